'use strict';

// randomBytes, randomFill(Sync), randomInt, randomUUID(v7) and getRandomValues, on
// OpenSSL's RAND_bytes. randomInt and randomUUID draw from a small cache of random bytes
// so that short calls don't each cross into native code.

const { binding, FastBuffer, viewBytes } = require('internal/crypto/util');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE },
  validators: { validateFunction, validateNumber, validateObject, validateBoolean },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const kMaxInt32 = 2 ** 31 - 1;
const kMaxPossibleLength = Math.min(Number.MAX_SAFE_INTEGER, kMaxInt32);

function assertOffset(offset, elementSize, length) {
  validateNumber(offset, 'offset');
  offset *= elementSize;
  const maxLength = Math.min(length, kMaxPossibleLength);
  if (Number.isNaN(offset) || offset > maxLength || offset < 0) {
    throw new ERR_OUT_OF_RANGE('offset', `>= 0 && <= ${maxLength}`, offset);
  }
  return offset >>> 0;
}

function assertSize(size, elementSize, offset, length) {
  validateNumber(size, 'size');
  size *= elementSize;
  if (Number.isNaN(size) || size > kMaxPossibleLength || size < 0) {
    throw new ERR_OUT_OF_RANGE('size', `>= 0 && <= ${kMaxPossibleLength}`, size);
  }
  if (size + offset > length) {
    throw new ERR_OUT_OF_RANGE('size + offset', `<= ${length}`, size + offset);
  }
  return size >>> 0;
}

function validateSize(size) {
  validateNumber(size, 'size', 0, kMaxInt32);
}

function randomBytes(size, callback) {
  validateSize(size);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const buf = new FastBuffer(size);
  if (callback === undefined) {
    binding.randomFill(buf, 0, size);
    return buf;
  }
  binding.randomFill(buf, 0, size, (err) => {
    if (err) return callback(err);
    callback(null, buf);
  });
}

function validateBuffer(buf) {
  if (!isAnyArrayBuffer(buf) && !isArrayBufferView(buf)) {
    throw new ERR_INVALID_ARG_TYPE('buf', ['ArrayBuffer', 'ArrayBufferView'], buf);
  }
}

function randomFillSync(buf, offset = 0, size) {
  validateBuffer(buf);
  const elementSize = buf.BYTES_PER_ELEMENT || 1;
  offset = assertOffset(offset, elementSize, buf.byteLength);
  if (size === undefined) {
    size = buf.byteLength - offset;
  } else {
    size = assertSize(size, elementSize, offset, buf.byteLength);
  }
  if (size === 0) return buf;
  binding.randomFill(viewBytes(buf), offset, size);
  return buf;
}

function randomFill(buf, offset, size, callback) {
  validateBuffer(buf);
  const elementSize = buf.BYTES_PER_ELEMENT || 1;
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = buf.byteLength;
  } else if (typeof size === 'function') {
    validateFunction(size, 'callback');
    callback = size;
    offset = assertOffset(offset, elementSize, buf.byteLength);
    size = buf.byteLength - offset;
  } else {
    validateFunction(callback, 'callback');
    offset = assertOffset(offset, elementSize, buf.byteLength);
    if (size === undefined) {
      size = buf.byteLength - offset;
    } else {
      size = assertSize(size, elementSize, offset, buf.byteLength);
    }
  }
  validateFunction(callback, 'callback');
  if (size === 0) {
    callback(null, buf);
    return;
  }
  binding.randomFill(viewBytes(buf), offset, size, (err) => {
    if (err) return callback(err);
    callback(null, buf);
  });
}

// --- randomInt --------------------------------------------------------------------

// Largest range whose values fit the 48-bit integers read from the cache.
const RAND_MAX = 0xFFFF_FFFF_FFFF;
const randomCache = new FastBuffer(6 * 1024);
let randomCacheOffset = randomCache.length;

function randomInt(min, max, callback) {
  // randomInt(max[, callback]) leaves min at 0.
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = typeof callback === 'undefined';
  if (!isSync) validateFunction(callback, 'callback');
  if (!Number.isSafeInteger(min)) throw new ERR_INVALID_ARG_TYPE('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw new ERR_INVALID_ARG_TYPE('max', 'a safe integer', max);
  if (max <= min) {
    throw new ERR_OUT_OF_RANGE('max', `greater than the value of "min" (${min})`, max);
  }
  const range = max - min;
  if (!(range <= RAND_MAX)) {
    throw new ERR_OUT_OF_RANGE(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, range);
  }
  // Values at or above randLimit would bias the result; they are drawn again.
  const randLimit = RAND_MAX - (RAND_MAX % range);
  if (isSync) {
    for (;;) {
      if (randomCacheOffset === randomCache.length) {
        binding.randomFill(randomCache, 0, randomCache.length);
        randomCacheOffset = 0;
      }
      const x = randomCache.readUIntBE(randomCacheOffset, 6);
      randomCacheOffset += 6;
      if (x < randLimit) return (x % range) + min;
    }
  }
  asyncCachePending.push({ min, range, randLimit, callback });
  serveAsyncRandomInts();
}

// Callback requests take values from the cache; an empty cache is refilled on the
// thread pool while they wait.
const asyncCachePending = [];
let asyncCacheFilling = false;
function serveAsyncRandomInts() {
  while (asyncCachePending.length > 0) {
    if (randomCacheOffset === randomCache.length) {
      if (!asyncCacheFilling) {
        asyncCacheFilling = true;
        binding.randomFill(randomCache, 0, randomCache.length, () => {
          asyncCacheFilling = false;
          randomCacheOffset = 0;
          serveAsyncRandomInts();
        });
      }
      return;
    }
    const x = randomCache.readUIntBE(randomCacheOffset, 6);
    randomCacheOffset += 6;
    const request = asyncCachePending[0];
    if (x < request.randLimit) {
      asyncCachePending.shift();
      process.nextTick(request.callback, undefined, (x % request.range) + request.min);
    }
  }
}

// --- randomUUID -------------------------------------------------------------------

const kHex = [];
for (let i = 0; i < 256; i++) kHex.push((i < 16 ? '0' : '') + i.toString(16));

// 128 UUIDs' worth of random bytes at a time.
const uuidCache = new FastBuffer(16 * 128);
let uuidCacheOffset = uuidCache.length;

function formatUUID(b, o) {
  return kHex[b[o]] + kHex[b[o + 1]] + kHex[b[o + 2]] + kHex[b[o + 3]] + '-' +
    kHex[b[o + 4]] + kHex[b[o + 5]] + '-' +
    kHex[b[o + 6]] + kHex[b[o + 7]] + '-' +
    kHex[b[o + 8]] + kHex[b[o + 9]] + '-' +
    kHex[b[o + 10]] + kHex[b[o + 11]] + kHex[b[o + 12]] +
    kHex[b[o + 13]] + kHex[b[o + 14]] + kHex[b[o + 15]];
}

function validateUUIDOptions(options) {
  if (options !== undefined) validateObject(options, 'options');
  const disableEntropyCache = options?.disableEntropyCache ?? false;
  validateBoolean(disableEntropyCache, 'options.disableEntropyCache');
  return disableEntropyCache;
}

// Fresh random bytes for one UUID: from the cache, or made now when it is disabled.
function uuidBytes(disableEntropyCache) {
  if (disableEntropyCache) {
    const one = new FastBuffer(16);
    binding.randomFill(one, 0, 16);
    return [one, 0];
  }
  if (uuidCacheOffset === uuidCache.length) {
    binding.randomFill(uuidCache, 0, uuidCache.length);
    uuidCacheOffset = 0;
  }
  const offset = uuidCacheOffset;
  uuidCacheOffset += 16;
  return [uuidCache, offset];
}

function randomUUID(options) {
  const [b, o] = uuidBytes(validateUUIDOptions(options));
  b[o + 6] = (b[o + 6] & 0x0f) | 0x40;
  b[o + 8] = (b[o + 8] & 0x3f) | 0x80;
  return formatUUID(b, o);
}

// Version 7: a 48-bit millisecond timestamp, then random bits.
function randomUUIDv7(options) {
  const [b, o] = uuidBytes(validateUUIDOptions(options));
  const now = Date.now();
  const high = Math.floor(now / 2 ** 16);
  b[o] = high >>> 24 & 0xff;
  b[o + 1] = high >>> 16 & 0xff;
  b[o + 2] = high >>> 8 & 0xff;
  b[o + 3] = high & 0xff;
  b[o + 4] = now >>> 8 & 0xff;
  b[o + 5] = now & 0xff;
  b[o + 6] = (b[o + 6] & 0x0f) | 0x70;
  b[o + 8] = (b[o + 8] & 0x3f) | 0x80;
  return formatUUID(b, o);
}

// --- getRandomValues (Web Crypto) -------------------------------------------------

let lazyDOMException;
function domException(message, name) {
  lazyDOMException ??= require('internal/dom_exception').DOMException;
  return new lazyDOMException(message, name);
}

function isIntegerTypedArray(data) {
  if (!isArrayBufferView(data) || data instanceof DataView) return false;
  const tag = Object.prototype.toString.call(data);
  return tag !== '[object Float32Array]' && tag !== '[object Float64Array]' && tag !== '[object Float16Array]';
}

function getRandomValues(data) {
  if (!isIntegerTypedArray(data)) {
    throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (data.byteLength > 65536) {
    throw domException('The requested length exceeds 65,536 bytes', 'QuotaExceededError');
  }
  binding.randomFill(data, 0, data.byteLength);
  return data;
}

module.exports = {
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  randomUUIDv7,
  getRandomValues,
};
