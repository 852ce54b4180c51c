'use strict';
// node:perf_hooks — the high-resolution clock (`performance`), the mark/measure timeline,
// PerformanceObserver, timerify, event-loop utilization and histograms
// (internal/perf/histogram.js, loaded on first use).

const codes = require('internal/lazy_codes');
const { EventTarget } = require('internal/event_target');
const native = internalBinding('process');
const loopBinding = internalBinding('loop');

const kInspect = Symbol.for('nodejs.util.inspect.custom');
const kConstruct = Symbol('kConstruct');

// Slots of the loop-info array the event loop fills in (see crates/runtime event_loop.rs):
// when the loop started and how long it has waited for I/O, both in ms on the loop clock.
const kLoopStartSlot = 6;
const kIdleTimeSlot = 7;

function monotonicMs() {
  const [sec, nsec] = native.hrtime();
  return sec * 1e3 + nsec / 1e6;
}

// The process start on the monotonic clock, and on the wall clock.
const originMonotonic = monotonicMs() - native.uptime() * 1e3;
const processTimeOrigin = Date.now() - native.uptime() * 1e3;

function performanceNow() {
  return monotonicMs() - originMonotonic;
}

let histogramModule;
function histograms() {
  histogramModule ??= require('internal/perf/histogram');
  return histogramModule;
}

function lazyInspect() {
  return require('internal/util/inspect').inspect;
}

function lazyDOMException() {
  return require('internal/dom_exception').DOMException;
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'object', value);
  }
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw new codes.ERR_INVALID_ARG_TYPE(name, 'function', value);
}

function validateTimestamp(value, name) {
  if (typeof value !== 'number') throw new codes.ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (value < 0) throw new codes.ERR_PERFORMANCE_INVALID_TIMESTAMP(value);
}

function cloneDetail(detail) {
  if (detail == null) return null;
  return require('internal/structured_clone').structuredClone(detail);
}

// `${Class} ${inspect(json)}` one level deeper, as Node prints these objects.
function inspectAs(label, value, depth, options) {
  if (depth < 0) return `[${label}]`;
  const inspect = lazyInspect();
  return `${label} ${inspect(value, { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
}

// Event-loop timing ---------------------------------------------------------

// performance.now() at the moment the loop clock read 0; 'now' reads whole ms, so it is
// measured as the earliest such offset.
let loopClockOrigin;
function loopClockToPerformance(ms) {
  const offset = performanceNow() - loopBinding.now();
  if (loopClockOrigin === undefined || offset < loopClockOrigin) loopClockOrigin = offset;
  return loopClockOrigin + ms;
}

// When the event loop started (performance time), or -1 before it has.
function loopStart() {
  const start = loopBinding.info[kLoopStartSlot];
  return start > 0 ? loopClockToPerformance(start) : -1;
}

function idleTime() {
  return loopBinding.info[kIdleTimeSlot] ?? 0;
}

function eventLoopUtilization(utilization1, utilization2) {
  const start = loopStart();
  if (start < 0) return { idle: 0, active: 0, utilization: 0 };
  if (utilization2) {
    const idle = utilization1.idle - utilization2.idle;
    const active = utilization1.active - utilization2.active;
    return { idle, active, utilization: active / (idle + active) };
  }
  const idle = idleTime();
  const active = performanceNow() - start - idle;
  if (!utilization1) return { idle, active, utilization: active / (idle + active) };
  const idleDelta = idle - utilization1.idle;
  const activeDelta = active - utilization1.active;
  return { idle: idleDelta, active: activeDelta, utilization: activeDelta / (idleDelta + activeDelta) };
}

// Entries ---------------------------------------------------------------------

class PerformanceEntry {
  #name;
  #entryType;
  #startTime;
  #duration;

  constructor(token, name, entryType, startTime, duration) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
    this.#name = name;
    this.#entryType = entryType;
    this.#startTime = startTime;
    this.#duration = duration;
  }

  static #check(entry) {
    if (!(#name in entry)) throw new codes.ERR_INVALID_THIS('PerformanceEntry');
  }

  get name() {
    PerformanceEntry.#check(this);
    return this.#name;
  }

  get entryType() {
    PerformanceEntry.#check(this);
    return this.#entryType;
  }

  get startTime() {
    PerformanceEntry.#check(this);
    return this.#startTime;
  }

  get duration() {
    PerformanceEntry.#check(this);
    return this.#duration;
  }

  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration };
  }

  [kInspect](depth, options) {
    return inspectAs(this.constructor.name, this.toJSON(), depth, options);
  }
}

class PerformanceMark extends PerformanceEntry {
  #detail;

  constructor(name, options = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
    name = `${name}`;
    if (options != null) validateObject(options, 'options');
    const startTime = options?.startTime ?? performanceNow();
    validateTimestamp(startTime, 'startTime');
    super(kConstruct, name, 'mark', startTime, 0);
    this.#detail = cloneDetail(options?.detail);
  }

  get detail() {
    return this.#detail;
  }

  toJSON() {
    return { ...super.toJSON(), detail: this.#detail };
  }

  get [Symbol.toStringTag]() {
    return 'PerformanceMark';
  }
}

class PerformanceMeasure extends PerformanceEntry {
  #detail;

  constructor(token, name, startTime, duration, detail) {
    super(token, name, 'measure', startTime, duration);
    this.#detail = detail;
  }

  get detail() {
    return this.#detail;
  }

  toJSON() {
    return { ...super.toJSON(), detail: this.#detail };
  }

  get [Symbol.toStringTag]() {
    return 'PerformanceMeasure';
  }
}

// Entries Node itself creates ('function' from timerify); `detail` is the call's arguments.
class PerformanceNodeEntry extends PerformanceEntry {
  #detail;

  constructor(token, name, entryType, startTime, duration, detail) {
    super(token, name, entryType, startTime, duration);
    this.#detail = detail;
  }

  get detail() {
    return this.#detail;
  }

  toJSON() {
    return { ...super.toJSON(), detail: this.#detail };
  }
}

// The timeline: marks, measures and resource timings, and the latest time of each mark name.
const markEntries = [];
const measureEntries = [];
const markTimes = new Map();
// Resource timings, up to the buffer size (Node's default: 250).
const resourceEntries = [];
let resourceBufferSize = 250;

function timelineEntries(name, type) {
  let list;
  if (type === undefined) list = [...markEntries, ...measureEntries, ...resourceEntries];
  else if (type === 'mark') list = markEntries.slice();
  else if (type === 'measure') list = measureEntries.slice();
  else if (type === 'resource') list = resourceEntries.slice();
  else return [];
  if (name !== undefined) list = list.filter((entry) => entry.name === name);
  return list.sort((a, b) => a.startTime - b.startTime);
}

function clearTimeline(list, name) {
  for (let i = list.length - 1; i >= 0; i--) {
    if (name === undefined || list[i].name === name) list.splice(i, 1);
  }
}

// Observers -------------------------------------------------------------------

const kSupportedEntryTypes = Object.freeze(['dns', 'function', 'gc', 'http', 'http2', 'mark', 'measure', 'net', 'resource']);
const connectedObservers = new Set();
let deliveryScheduled = false;

// Hands new entries to the observers that watch their type; callbacks run together
// in a later check phase, as Node does.
function enqueueEntry(entry) {
  for (const observer of connectedObservers) {
    if (observer[kWants](entry.entryType)) {
      observer[kBuffer].push(entry);
      scheduleDelivery();
    }
  }
}

function scheduleDelivery() {
  if (deliveryScheduled) return;
  deliveryScheduled = true;
  setImmediate(() => {
    deliveryScheduled = false;
    for (const observer of [...connectedObservers]) observer[kDeliver]();
  });
}

function hasObservers(type) {
  for (const observer of connectedObservers) {
    if (observer[kWants](type)) return true;
  }
  return false;
}

const kWants = Symbol('kWants');
const kBuffer = Symbol('kBuffer');
const kDeliver = Symbol('kDeliver');

class PerformanceObserverEntryList {
  #entries;

  constructor(token, entries) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
    this.#entries = entries.slice().sort((a, b) => a.startTime - b.startTime);
  }

  getEntries() {
    return this.#entries.slice();
  }

  getEntriesByType(type) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('type');
    type = `${type}`;
    return this.#entries.filter((entry) => entry.entryType === type);
  }

  getEntriesByName(name, type = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
    name = `${name}`;
    if (type !== undefined) type = `${type}`;
    return this.#entries.filter((entry) => entry.name === name && (type === undefined || entry.entryType === type));
  }

  [kInspect](depth, options) {
    return inspectAs('PerformanceObserverEntryList', this.#entries, depth, options);
  }
}

class PerformanceObserver {
  #callback;
  #entryTypes = new Set();
  // undefined until observe(): 'single' for { type }, 'multiple' for { entryTypes }.
  #mode;
  [kBuffer] = [];

  constructor(callback) {
    validateFunction(callback, 'callback');
    this.#callback = callback;
  }

  static get supportedEntryTypes() {
    return kSupportedEntryTypes;
  }

  observe(options = {}) {
    validateObject(options, 'options');
    const { entryTypes, type, buffered } = options;
    if (entryTypes === undefined && type === undefined) {
      throw new codes.ERR_MISSING_ARGS('options.entryTypes', 'options.type');
    }
    if (entryTypes != null && type != null) {
      throw new codes.ERR_INVALID_ARG_VALUE('options.entryTypes', entryTypes,
        'options.entryTypes can not set with options.type together');
    }
    const DOMException = lazyDOMException();
    if (entryTypes !== undefined) {
      if (!Array.isArray(entryTypes)) throw new codes.ERR_INVALID_ARG_TYPE('options.entryTypes', 'string[]', entryTypes);
      const supported = entryTypes.filter((entryType) => kSupportedEntryTypes.includes(entryType));
      if (supported.length === 0) return;
      if (this.#mode === 'single') {
        throw new DOMException('PerformanceObserver can not change to multiple observations', 'InvalidModificationError');
      }
      this.#mode = 'multiple';
      this.#entryTypes = new Set(supported);
    } else {
      const entryType = `${type}`;
      if (!kSupportedEntryTypes.includes(entryType)) return;
      if (this.#mode === 'multiple') {
        throw new DOMException('PerformanceObserver can not change to single observation', 'InvalidModificationError');
      }
      this.#mode = 'single';
      this.#entryTypes.add(entryType);
      if (buffered) {
        const earlier = timelineEntries(undefined, entryType);
        if (earlier.length > 0) {
          this[kBuffer].push(...earlier);
          scheduleDelivery();
        }
      }
    }
    if (this.#entryTypes.size > 0) connectedObservers.add(this);
    else connectedObservers.delete(this);
  }

  disconnect() {
    connectedObservers.delete(this);
    this[kBuffer] = [];
    this.#entryTypes.clear();
    this.#mode = undefined;
  }

  takeRecords() {
    const records = this[kBuffer];
    this[kBuffer] = [];
    return records;
  }

  [kWants](entryType) {
    return this.#entryTypes.has(entryType);
  }

  [kDeliver]() {
    if (this[kBuffer].length === 0) return;
    const list = new PerformanceObserverEntryList(kConstruct, this.takeRecords());
    this.#callback.call(this, list, this);
  }

  [kInspect](depth, options) {
    const shown = {
      connected: connectedObservers.has(this),
      pending: this[kBuffer].length > 0,
      entryTypes: [...this.#entryTypes],
      buffer: this[kBuffer],
    };
    return inspectAs('PerformanceObserver', shown, depth, options);
  }
}

// performance -------------------------------------------------------------------

// Times of Node's startup milestones that ferro knows: the process start, and the
// event-loop start once the loop runs.
const kNodeMilestones = ['nodeStart', 'v8Start', 'bootstrapComplete', 'environment', 'loopStart', 'loopExit'];

class PerformanceNodeTiming {
  constructor(token) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
  }

  get name() {
    return 'node';
  }

  get entryType() {
    return 'node';
  }

  get startTime() {
    return 0;
  }

  get duration() {
    return performanceNow();
  }

  get nodeStart() {
    return 0;
  }

  get v8Start() {
    return 0;
  }

  get environment() {
    return 0;
  }

  get bootstrapComplete() {
    return 0;
  }

  get loopStart() {
    return loopStart();
  }

  get loopExit() {
    return -1;
  }

  get idleTime() {
    return idleTime();
  }

  toJSON() {
    const json = { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration };
    for (const milestone of kNodeMilestones) json[milestone] = this[milestone];
    json.idleTime = this.idleTime;
    return json;
  }

  [kInspect](depth, options) {
    return inspectAs('PerformanceNodeTiming', this.toJSON(), depth, options);
  }
}

const nodeTiming = new PerformanceNodeTiming(kConstruct);

// A named time: a mark's latest time, a Node milestone, or a timestamp.
function markTime(name) {
  if (name === undefined) return undefined;
  if (typeof name === 'number') {
    if (name < 0) throw new codes.ERR_PERFORMANCE_INVALID_TIMESTAMP(name);
    return name;
  }
  name = `${name}`;
  if (markTimes.has(name)) return markTimes.get(name);
  if (kNodeMilestones.includes(name)) return nodeTiming[name];
  const DOMException = lazyDOMException();
  throw new DOMException(`The "${name}" performance mark has not been set`, 'SyntaxError');
}

function addMark(name, options = undefined) {
  if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
  const entry = new PerformanceMark(name, options);
  markEntries.push(entry);
  markTimes.set(entry.name, entry.startTime);
  enqueueEntry(entry);
  return entry;
}

function addMeasure(name, startOrOptions = undefined, endMark = undefined) {
  if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
  name = `${name}`;
  let start;
  let end;
  let duration;
  let detail;
  if (startOrOptions !== null && typeof startOrOptions === 'object') {
    if (endMark !== undefined) throw new codes.ERR_PERFORMANCE_MEASURE_INVALID_OPTIONS('endMark must not be specified');
    ({ start, end, duration, detail } = startOrOptions);
    if (start !== undefined && end !== undefined && duration !== undefined) {
      throw new codes.ERR_PERFORMANCE_MEASURE_INVALID_OPTIONS(
        'Must not have options.start, options.end, and options.duration specified');
    }
  } else {
    // A positional start counts only as a mark name (Node ignores a number there).
    if (typeof startOrOptions === 'string') start = startOrOptions;
    end = endMark;
  }
  let startTime = markTime(start);
  let endTime = markTime(end);
  if (endTime === undefined) {
    endTime = startTime !== undefined && duration !== undefined ? startTime + duration : performanceNow();
  }
  if (startTime === undefined) startTime = duration !== undefined && end !== undefined ? endTime - duration : 0;
  const entry = new PerformanceMeasure(kConstruct, name, startTime, endTime - startTime, cloneDetail(detail));
  measureEntries.push(entry);
  enqueueEntry(entry);
  return entry;
}

function timerify(fn, options = {}) {
  validateFunction(fn, 'fn');
  validateObject(options, 'options');
  const { histogram } = options;
  if (histogram !== undefined && !(histogram instanceof histograms().RecordableHistogram)) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.histogram', 'RecordableHistogram', histogram);
  }
  function timerified(...args) {
    const startTime = performanceNow();
    const result = new.target ? Reflect.construct(fn, args, fn) : Reflect.apply(fn, this, args);
    const duration = performanceNow() - startTime;
    if (histogram !== undefined) histogram.record(Math.max(Math.ceil(duration * 1e6), 1));
    if (hasObservers('function')) {
      const entry = new PerformanceNodeEntry(kConstruct, fn.name, 'function', startTime, duration, args);
      Object.assign(entry, args);
      enqueueEntry(entry);
    }
    return result;
  }
  Object.defineProperties(timerified, {
    length: { configurable: true, value: fn.length },
    name: { configurable: true, value: `timerified ${fn.name}` },
  });
  return timerified;
}

class Performance extends EventTarget {
  constructor(token) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
    super();
  }
}

// Methods check their receiver, as Node's do.
function checkPerformance(receiver) {
  if (receiver !== performance) throw new codes.ERR_INVALID_THIS('Performance');
}

// In the order Node lists them; getters are marked `get`.
const performanceMembers = [
  ['clearMarks', function clearMarks(name = undefined) {
    checkPerformance(this);
    if (name !== undefined) name = `${name}`;
    clearTimeline(markEntries, name);
    if (name === undefined) markTimes.clear();
    else markTimes.delete(name);
  }],
  ['clearMeasures', function clearMeasures(name = undefined) {
    checkPerformance(this);
    clearTimeline(measureEntries, name === undefined ? undefined : `${name}`);
  }],
  ['clearResourceTimings', function clearResourceTimings() {
    checkPerformance(this);
    resourceEntries.length = 0;
  }],
  ['getEntries', function getEntries() {
    checkPerformance(this);
    return timelineEntries(undefined, undefined);
  }],
  ['getEntriesByName', function getEntriesByName(name, type = undefined) {
    checkPerformance(this);
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
    return timelineEntries(`${name}`, type === undefined ? undefined : `${type}`);
  }],
  ['getEntriesByType', function getEntriesByType(type) {
    checkPerformance(this);
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('type');
    return timelineEntries(undefined, `${type}`);
  }],
  ['mark', function mark(name, options = undefined) {
    checkPerformance(this);
    return Reflect.apply(addMark, undefined, arguments);
  }],
  ['measure', function measure(name, startOrOptions = undefined, endMark = undefined) {
    checkPerformance(this);
    return Reflect.apply(addMeasure, undefined, arguments);
  }],
  ['now', function now() {
    checkPerformance(this);
    return performanceNow();
  }],
  ['setResourceTimingBufferSize', function setResourceTimingBufferSize(maxSize) {
    checkPerformance(this);
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('maxSize');
    resourceBufferSize = maxSize >>> 0;
  }],
  ['timeOrigin', 'get', function timeOrigin() {
    checkPerformance(this);
    return processTimeOrigin;
  }],
  ['toJSON', function toJSON() {
    checkPerformance(this);
    return { nodeTiming, timeOrigin: processTimeOrigin, eventLoopUtilization: eventLoopUtilization() };
  }],
  ['eventLoopUtilization', eventLoopUtilization],
  ['nodeTiming', 'get', function nodeTimingGetter() {
    return nodeTiming;
  }],
  // Called detached (undici keeps the function), so no receiver check, as in Node.
  ['markResourceTiming', function markResourceTiming(timingInfo, requestedUrl, initiatorType, global, cacheMode, bodyInfo, responseStatus, deliveryType = '') {
    const entry = new PerformanceResourceTiming(kConstruct, requestedUrl, initiatorType, timingInfo, cacheMode, responseStatus, deliveryType);
    if (resourceEntries.length < resourceBufferSize) resourceEntries.push(entry);
    enqueueEntry(entry);
    return entry;
  }],
  ['timerify', timerify],
  ['onresourcetimingbufferfull', 'get', function onresourcetimingbufferfull() {
    return null;
  }],
];
for (const [key, kind, fn] of performanceMembers) {
  if (kind === 'get') {
    Object.defineProperty(Performance.prototype, key, { get: fn, enumerable: true, configurable: true });
  } else {
    Object.defineProperty(Performance.prototype, key, { value: kind, writable: true, enumerable: true, configurable: true });
  }
}
Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true });
Object.defineProperty(Performance.prototype, kInspect, {
  value(depth, options) {
    return inspectAs('Performance', { nodeTiming, timeOrigin: processTimeOrigin }, depth, options);
  },
  configurable: true,
});

const performance = new Performance(kConstruct);

// A fetch's timings (undici's fetch reports them through markResourceTiming): Node's
// fields, read from the fetch spec's timing info.
class PerformanceResourceTiming extends PerformanceEntry {
  #initiatorType;
  #timing;
  #cacheMode;
  #responseStatus;
  #deliveryType;

  constructor(token, name, initiatorType, timing, cacheMode, responseStatus, deliveryType) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
    super(token, name, 'resource', timing.startTime, timing.endTime - timing.startTime);
    this.#initiatorType = initiatorType;
    this.#timing = timing;
    this.#cacheMode = cacheMode;
    this.#responseStatus = responseStatus;
    this.#deliveryType = deliveryType;
  }

  static #check(entry) {
    if (!(#timing in entry)) throw new codes.ERR_INVALID_THIS('PerformanceResourceTiming');
  }

  static fields(entry) {
    PerformanceResourceTiming.#check(entry);
    const timing = entry.#timing;
    const connection = timing.finalConnectionTimingInfo;
    return {
      initiatorType: entry.#initiatorType,
      nextHopProtocol: connection?.ALPNNegotiatedProtocol,
      workerStart: timing.finalServiceWorkerStartTime,
      redirectStart: timing.redirectStartTime,
      redirectEnd: timing.redirectEndTime,
      fetchStart: timing.postRedirectStartTime,
      domainLookupStart: connection?.domainLookupStartTime,
      domainLookupEnd: connection?.domainLookupEndTime,
      connectStart: connection?.connectionStartTime,
      connectEnd: connection?.connectionEndTime,
      secureConnectionStart: connection?.secureConnectionStartTime,
      requestStart: timing.finalNetworkRequestStartTime,
      responseStart: timing.finalNetworkResponseStartTime,
      responseEnd: timing.endTime,
      // Node counts 300 bytes of headers for anything not served from a local cache.
      transferSize: entry.#cacheMode === 'local' ? 0 : timing.encodedBodySize + 300,
      encodedBodySize: timing.encodedBodySize,
      decodedBodySize: timing.decodedBodySize,
      deliveryType: entry.#deliveryType,
      responseStatus: entry.#responseStatus,
    };
  }

  toJSON() {
    return { ...super.toJSON(), ...PerformanceResourceTiming.fields(this) };
  }
}
for (const key of Object.keys(PerformanceResourceTiming.fields(
  new PerformanceResourceTiming(kConstruct, '', '', { startTime: 0, endTime: 0 }, '', 0, '')))) {
  Object.defineProperty(PerformanceResourceTiming.prototype, key, {
    get() { return PerformanceResourceTiming.fields(this)[key]; },
    enumerable: true,
    configurable: true,
  });
}

module.exports = {
  Performance,
  PerformanceEntry,
  PerformanceMark,
  PerformanceMeasure,
  PerformanceObserver,
  PerformanceObserverEntryList,
  PerformanceResourceTiming,
  monitorEventLoopDelay: (options) => histograms().monitorEventLoopDelay(options),
  eventLoopUtilization,
  timerify,
  createHistogram: (options) => histograms().createHistogram(options),
  performance,
  constants: Object.freeze({
    NODE_PERFORMANCE_GC_MAJOR: 4,
    NODE_PERFORMANCE_GC_MINOR: 1,
    NODE_PERFORMANCE_GC_MINOR_MARK_SWEEP: 2,
    NODE_PERFORMANCE_GC_INCREMENTAL: 8,
    NODE_PERFORMANCE_GC_WEAKCB: 16,
    NODE_PERFORMANCE_GC_FLAGS_NO: 0,
    NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2,
    NODE_PERFORMANCE_GC_FLAGS_FORCED: 4,
    NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
    NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16,
    NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
    NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
  }),
};
