'use strict';
// node:perf_hooks — the high-resolution clock (`performance`) with marks and measures.

const codes = require('internal/lazy_codes');
const native = internalBinding('process');

function monotonicMs() {
  const [sec, nsec] = native.hrtime();
  return sec * 1e3 + nsec / 1e6;
}

// The process start on the monotonic clock, and on the wall clock.
const originMonotonic = monotonicMs() - native.uptime() * 1e3;
const timeOrigin = Date.now() - native.uptime() * 1e3;

class PerformanceEntry {
  constructor(name, entryType, startTime, duration, detail) {
    this.name = name;
    this.entryType = entryType;
    this.startTime = startTime;
    this.duration = duration;
    this.detail = detail ?? null;
  }
  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration, detail: this.detail };
  }
}
class PerformanceMark extends PerformanceEntry {}
class PerformanceMeasure extends PerformanceEntry {}

const entries = [];

function now() {
  return monotonicMs() - originMonotonic;
}

function markTime(name) {
  if (name === undefined) return now();
  if (typeof name === 'number') return name;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === 'mark' && entries[i].name === name) return entries[i].startTime;
  }
  const err = new SyntaxError(`The "${name}" performance mark has not been set`);
  err.name = 'SyntaxError';
  throw err;
}

const performance = {
  now,
  timeOrigin,
  mark(name, options = {}) {
    if (typeof name !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('name', 'string', name);
    const entry = new PerformanceMark(name, 'mark', options.startTime ?? now(), 0, options.detail);
    entries.push(entry);
    return entry;
  },
  measure(name, startOrOptions, endMark) {
    let start;
    let end;
    let detail;
    if (startOrOptions !== null && typeof startOrOptions === 'object') {
      start = markTime(startOrOptions.start ?? 0);
      end = startOrOptions.end !== undefined ? markTime(startOrOptions.end) : now();
      detail = startOrOptions.detail;
    } else {
      start = startOrOptions === undefined ? 0 : markTime(startOrOptions);
      end = endMark === undefined ? now() : markTime(endMark);
    }
    const entry = new PerformanceMeasure(name, 'measure', start, end - start, detail);
    entries.push(entry);
    return entry;
  },
  getEntries() {
    return entries.slice();
  },
  getEntriesByName(name, type) {
    return entries.filter((e) => e.name === name && (type === undefined || e.entryType === type));
  },
  getEntriesByType(type) {
    return entries.filter((e) => e.entryType === type);
  },
  clearMarks(name) {
    removeEntries('mark', name);
  },
  clearMeasures(name) {
    removeEntries('measure', name);
  },
  toJSON() {
    return { timeOrigin, nodeTiming: {}, eventLoopUtilization: {} };
  },
};
Object.defineProperty(performance, Symbol.toStringTag, { value: 'Performance', configurable: true });

function removeEntries(type, name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === type && (name === undefined || entries[i].name === name)) entries.splice(i, 1);
  }
}

module.exports = { performance, PerformanceEntry, PerformanceMark, PerformanceMeasure };
