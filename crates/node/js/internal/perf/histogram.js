'use strict';
// Histograms of perf_hooks: RecordableHistogram (createHistogram) and the event-loop
// delay IntervalHistogram (monitorEventLoopDelay). Values are bucketed as an HDR
// histogram with `figures` significant digits, so min/max/mean/percentiles come out
// as Node reports them.

const codes = require('internal/lazy_codes');
const native = internalBinding('process');

const kInspect = Symbol.for('nodejs.util.inspect.custom');
const kConstruct = Symbol('kConstruct');
const kEmptyMin = 9223372036854775807; // INT64_MAX, what Node reports as min when empty
const kMaxValue = Number.MAX_SAFE_INTEGER;

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'object', value);
  }
}

function validateInteger(value, name, min, max = kMaxValue) {
  if (typeof value !== 'number') throw new codes.ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw new codes.ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw new codes.ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

function bitLength(value) {
  if (value < 2 ** 32) return 32 - Math.clz32(value);
  return 64 - Math.clz32(Math.floor(value / 2 ** 32));
}

function hrtimeNs() {
  const [sec, nsec] = native.hrtime();
  return sec * 1e9 + nsec;
}

class Histogram {
  #lowest;
  #highest;
  #unitMagnitude;
  #subBucketHalfMagnitude;
  #subBucketMask;
  // Lowest equivalent value of each bucket -> count, and the exact extremes.
  #buckets = new Map();
  #count = 0;
  #min = kEmptyMin;
  #max = 0;
  exceedsCount = 0;

  constructor(token, lowest = 1, highest = kMaxValue, figures = 3) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
    this.#lowest = lowest;
    this.#highest = highest;
    this.#unitMagnitude = Math.floor(Math.log2(lowest));
    const subBucketCountMagnitude = Math.ceil(Math.log2(2 * 10 ** figures));
    this.#subBucketHalfMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
    this.#subBucketMask = (2 ** (this.#subBucketHalfMagnitude + 1) - 1) * 2 ** this.#unitMagnitude;
  }

  // [lowest, size] of the bucket holding `value`.
  #bucketOf(value) {
    const bucketIndex = Math.max(
      bitLength(Math.max(value, this.#subBucketMask)) - this.#unitMagnitude - (this.#subBucketHalfMagnitude + 1),
      0,
    );
    const shift = 2 ** (bucketIndex + this.#unitMagnitude);
    return [Math.floor(value / shift) * shift, shift];
  }

  #lowestEquivalent(value) {
    return this.#bucketOf(value)[0];
  }

  #highestEquivalent(value) {
    const [low, size] = this.#bucketOf(value);
    return low + size - 1;
  }

  #medianEquivalent(value) {
    const [low, size] = this.#bucketOf(value);
    return low + Math.floor(size / 2);
  }

  // Records `value` `times` times; values above `highest` are dropped as Node does.
  recordValue(value, times = 1) {
    if (value > this.#highest) {
      this.exceedsCount += times;
      return;
    }
    const low = this.#lowestEquivalent(value);
    this.#buckets.set(low, (this.#buckets.get(low) ?? 0) + times);
    this.#count += times;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  // [lowest equivalent value, count] in increasing order.
  sortedBuckets() {
    return [...this.#buckets].sort((a, b) => a[0] - b[0]);
  }

  get count() {
    return this.#count;
  }

  get countBigInt() {
    return BigInt(this.#count);
  }

  get min() {
    return this.#count === 0 ? kEmptyMin : this.#lowestEquivalent(this.#min);
  }

  get minBigInt() {
    return this.#count === 0 ? 9223372036854775807n : BigInt(this.min);
  }

  get max() {
    return this.#count === 0 ? 0 : this.#highestEquivalent(this.#max);
  }

  get maxBigInt() {
    return BigInt(this.max);
  }

  get mean() {
    if (this.#count === 0) return NaN;
    let total = 0;
    for (const [value, count] of this.#buckets) total += this.#medianEquivalent(value) * count;
    return total / this.#count;
  }

  get exceeds() {
    return this.exceedsCount;
  }

  get exceedsBigInt() {
    return BigInt(this.exceedsCount);
  }

  get stddev() {
    if (this.#count === 0) return NaN;
    const mean = this.mean;
    let total = 0;
    for (const [value, count] of this.#buckets) total += (this.#medianEquivalent(value) - mean) ** 2 * count;
    return Math.sqrt(total / this.#count);
  }

  percentile(percentile) {
    if (typeof percentile !== 'number') throw new codes.ERR_INVALID_ARG_TYPE('percentile', 'number', percentile);
    if (!(percentile > 0 && percentile <= 100)) {
      throw new codes.ERR_OUT_OF_RANGE('percentile', '> 0 && <= 100', percentile);
    }
    if (this.#count === 0) return 0;
    const wanted = Math.max(Math.floor((percentile / 100) * this.#count + 0.5), 1);
    let seen = 0;
    for (const [value, count] of this.sortedBuckets()) {
      seen += count;
      if (seen >= wanted) return this.#highestEquivalent(value);
    }
    return 0;
  }

  percentileBigInt(percentile) {
    return BigInt(this.percentile(percentile));
  }

  // Percentile -> value at HDR's reporting points 0, 50, 75, 87.5, ...: each step
  // reports the next point reached, and once every value is counted, 100.
  get percentiles() {
    const map = new Map();
    const buckets = this.sortedBuckets();
    const total = this.#count;
    let index = -1;
    let seen = 0;
    let next = 0;
    let value = 0;
    while (seen < total) {
      while (index === -1 || next > (100 * seen) / total) seen += buckets[++index][1];
      value = buckets[index][0];
      map.set(next, value);
      next += 100 / 2 ** (Math.trunc(Math.log2(100 / (100 - next))) + 1);
    }
    map.set(100, value);
    return map;
  }

  // Node reports these as numbers too.
  get percentilesBigInt() {
    return this.percentiles;
  }

  reset() {
    this.#buckets.clear();
    this.#count = 0;
    this.#min = kEmptyMin;
    this.#max = 0;
    this.exceedsCount = 0;
  }

  toJSON() {
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: this.mean,
      exceeds: this.exceeds,
      stddev: this.stddev,
      percentiles: Object.fromEntries(this.percentiles),
    };
  }

  [kInspect](depth, options, inspect) {
    if (depth < 0) return '[Histogram]';
    const shown = {
      min: this.min,
      max: this.max,
      mean: this.mean,
      exceeds: this.exceeds,
      stddev: this.stddev,
      count: this.count,
      percentiles: this.percentiles,
    };
    return `Histogram ${inspect(shown, { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
  }
}

class RecordableHistogram extends Histogram {
  #lastDelta;

  constructor(token, lowest, highest, figures) {
    super(token, lowest, highest, figures);
  }

  record(val) {
    if (typeof val === 'bigint') {
      if (val < 1n || val > BigInt(kMaxValue)) throw new codes.ERR_OUT_OF_RANGE('val', `>= 1 && <= ${kMaxValue}`, val);
      val = Number(val);
    } else {
      validateInteger(val, 'val', 1);
    }
    this.recordValue(val);
  }

  // Records the nanoseconds since the previous call; the first call only starts timing.
  recordDelta() {
    const now = hrtimeNs();
    if (this.#lastDelta !== undefined) this.recordValue(Math.max(now - this.#lastDelta, 1));
    this.#lastDelta = now;
  }

  add(other) {
    if (!(other instanceof RecordableHistogram)) {
      throw new codes.ERR_INVALID_ARG_TYPE('other', 'RecordableHistogram', other);
    }
    for (const [value, count] of other.sortedBuckets()) this.recordValue(value, count);
    this.exceedsCount += other.exceedsCount;
  }
}

// Samples event-loop delay: an unref'd timer fires every `resolution` ms and records
// how late it ran, in nanoseconds.
class IntervalHistogram extends Histogram {
  #resolution;
  #timer = null;
  #last = 0;

  constructor(token, resolution) {
    super(token);
    this.#resolution = resolution;
  }

  enable() {
    if (this.#timer !== null) return false;
    const timers = require('timers');
    this.#last = hrtimeNs();
    this.#timer = timers.setInterval(() => {
      const now = hrtimeNs();
      const delay = now - this.#last - this.#resolution * 1e6;
      this.#last = now;
      if (delay > 0) this.recordValue(Math.round(delay));
    }, this.#resolution);
    this.#timer.unref();
    return true;
  }

  disable() {
    if (this.#timer === null) return false;
    require('timers').clearInterval(this.#timer);
    this.#timer = null;
    return true;
  }

  [Symbol.dispose]() {
    this.disable();
  }
}
Object.defineProperty(IntervalHistogram, 'name', { value: 'ELDHistogram' });

function createHistogram(options = {}) {
  validateObject(options, 'options');
  const { lowest = 1, highest = kMaxValue, figures = 3 } = options;
  validateInteger(lowest, 'options.lowest', 1);
  validateInteger(highest, 'options.highest', 2 * lowest);
  validateInteger(figures, 'options.figures', 1, 5);
  return new RecordableHistogram(kConstruct, lowest, highest, figures);
}

function monitorEventLoopDelay(options = {}) {
  validateObject(options, 'options');
  const { resolution = 10 } = options;
  validateInteger(resolution, 'options.resolution', 1);
  return new IntervalHistogram(kConstruct, resolution);
}

module.exports = { Histogram, RecordableHistogram, IntervalHistogram, createHistogram, monitorEventLoopDelay };
