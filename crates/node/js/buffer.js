'use strict';

// node:buffer. Buffer is a Uint8Array subclass (FastBuffer) whose prototype carries Node's
// API; `Buffer` itself is the legacy callable constructor sharing that prototype.
//
// The encoders and decoders live in Rust (internalBinding('buffer'), see src/buffer.rs),
// except base64 output, which the engine's own Uint8Array.prototype.toBase64 makes faster;
// short strings and buffers stay in JS, where a loop beats crossing into native code.
// Small unsafe allocations are carved out of a shared pool, as in Node: `allocUnsafe`,
// `from` of strings and arrays and `concat` return views into a `Buffer.poolSize` ArrayBuffer.

const binding = internalBinding('buffer');
const {
  codes: {
    ERR_BUFFER_OUT_OF_BOUNDS,
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_BUFFER_SIZE,
    ERR_INVALID_THIS,
    ERR_MISSING_ARGS,
    ERR_OUT_OF_RANGE,
    ERR_UNKNOWN_ENCODING,
  },
  validators: { validateArray, validateInteger, validateNumber, validateString },
} = require('internal/errors');
const {
  isArrayBuffer, isSharedArrayBuffer, isTypedArray, isUint8Array,
} = require('internal/util/types');

// Whether `value` is a Uint8Array (a Buffer included). The exact check makes a string
// per call in JSC; a typed array view whose prototype is Buffer's own passes without it
// (so would another kind of view given Buffer.prototype, which Node refuses).
function isUint8ArrayFast(value) {
  if (ArrayBufferIsView(value) && ObjectGetPrototypeOf(value) === FastBufferPrototype) return true;
  return isUint8Array(value);
}

// The brand checks throw internally on other objects, which is slow: ask instanceof first
// (ArrayBuffers from other realms are not recognised).
function isAnyArrayBuffer(value) {
  if (value instanceof ArrayBuffer) return isArrayBuffer(value);
  return value instanceof SharedArrayBuffer && isSharedArrayBuffer(value);
}

const ArrayBufferIsView = ArrayBuffer.isView;
const ArrayIsArray = Array.isArray;
const MathFloor = Math.floor;
const MathMin = Math.min;
const MathTrunc = Math.trunc;
const NumberIsInteger = Number.isInteger;
const NumberIsNaN = Number.isNaN;
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const StringFromCharCode = String.fromCharCode;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const TypedArrayFill = TypedArrayPrototype.fill;
const TypedArraySet = TypedArrayPrototype.set;
const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');

const kMaxLength = Number.MAX_SAFE_INTEGER;
// V8's limit, which Node reports (JSC's own is larger).
const kStringMaxLength = 536870888;
const constants = Object.defineProperties({}, {
  MAX_LENGTH: { value: kMaxLength, enumerable: true },
  MAX_STRING_LENGTH: { value: kStringMaxLength, enumerable: true },
});
let INSPECT_MAX_BYTES = 50;

// Below these sizes the JS loops are faster than a call into Rust (measured on JSC 2.50).
const kSmallString = 128;
const kSmallSlice = 32;
const kSmallHexSlice = 16;

class FastBuffer extends Uint8Array {
  // Passing the arguments on explicitly is faster in JSC than the implicit constructor.
  constructor(bufferOrLength, byteOffset, length) {
    super(bufferOrLength, byteOffset, length);
  }
}
const FastBufferPrototype = FastBuffer.prototype;

// --- errors Node raises from native code (a plain error with a `code`) ---------------

function nativeError(Ctor, code, message) {
  const err = new Ctor(message);
  err.code = code;
  return err;
}

function notAString() {
  return nativeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
}

// --- encodings ------------------------------------------------------------------------

// UTF-8 of a short string, in JS; returns -1 (writing nothing useful) at the first
// non-ASCII character so the caller can hand the whole string to Rust.
function asciiWriteSmall(buf, string, offset, max) {
  const n = MathMin(string.length, max);
  let i = 0;
  // Four characters at a time, one test for all four: a third faster in JSC.
  for (; i + 4 <= n; i += 4) {
    const a = string.charCodeAt(i);
    const b = string.charCodeAt(i + 1);
    const c = string.charCodeAt(i + 2);
    const d = string.charCodeAt(i + 3);
    if ((a | b | c | d) > 0x7f) return -1;
    buf[offset + i] = a;
    buf[offset + i + 1] = b;
    buf[offset + i + 2] = c;
    buf[offset + i + 3] = d;
  }
  for (; i < n; i++) {
    const code = string.charCodeAt(i);
    if (code > 0x7f) return -1;
    buf[offset + i] = code;
  }
  return n;
}

function utf8Write(buf, string, offset, max) {
  if (string.length <= kSmallString) {
    const n = asciiWriteSmall(buf, string, offset, max);
    if (n >= 0) return n;
  }
  return binding.utf8Write(buf, string, offset, max);
}

// Calls a slice op of the binding, without the range when it is the whole view (one
// crossing with two number conversions fewer).
function nativeSlice(op, buf, start, end) {
  return start === 0 && end === buf.length ? op(buf) : op(buf, start, end);
}

function utf8Slice(buf, start, end) {
  if (end - start <= kSmallSlice) {
    let out = '';
    for (let i = start; i < end; i++) {
      const byte = buf[i];
      if (byte > 0x7f) return nativeSlice(binding.utf8Slice, buf, start, end);
      out += StringFromCharCode(byte);
    }
    return out;
  }
  return nativeSlice(binding.utf8Slice, buf, start, end);
}

function utf8ByteLength(string) {
  const len = string.length;
  if (len > kSmallString) return binding.byteLengthUtf8(string);
  for (let i = 0; i < len; i++) {
    if (string.charCodeAt(i) > 0x7f) return binding.byteLengthUtf8(string);
  }
  return len;
}

function latin1Write(buf, string, offset, max) {
  if (string.length <= kSmallString) {
    const n = MathMin(string.length, max);
    for (let i = 0; i < n; i++) buf[offset + i] = string.charCodeAt(i);
    return n;
  }
  return binding.latin1Write(buf, string, offset, max);
}

function latin1Slice(buf, start, end) {
  if (end - start <= kSmallSlice) {
    let out = '';
    for (let i = start; i < end; i++) out += StringFromCharCode(buf[i]);
    return out;
  }
  return nativeSlice(binding.latin1Slice, buf, start, end);
}

function asciiSlice(buf, start, end) {
  if (end - start <= kSmallSlice) {
    let out = '';
    for (let i = start; i < end; i++) out += StringFromCharCode(buf[i] & 0x7f);
    return out;
  }
  return nativeSlice(binding.asciiSlice, buf, start, end);
}

const hexDigits = '0123456789abcdef';

function hexSlice(buf, start, end) {
  if (end - start <= kSmallHexSlice) {
    let out = '';
    for (let i = start; i < end; i++) out += hexDigits[buf[i] >> 4] + hexDigits[buf[i] & 15];
    return out;
  }
  return nativeSlice(binding.hexSlice, buf, start, end);
}

// The engine's own base64 encoder (Uint8Array.prototype.toBase64, where the engine has
// it) is faster than a call into Rust at every size.
const TypedArrayToBase64 = Uint8Array.prototype.toBase64;
const kBase64urlOptions = { alphabet: 'base64url', omitPadding: true };

function base64Slice(buf, start, end) {
  if (TypedArrayToBase64 === undefined || !(buf instanceof Uint8Array)) {
    return nativeSlice(binding.base64Slice, buf, start, end);
  }
  return TypedArrayToBase64.call(uint8Range(buf, start, end));
}

function base64urlSlice(buf, start, end) {
  if (TypedArrayToBase64 === undefined || !(buf instanceof Uint8Array)) {
    return nativeSlice(binding.base64urlSlice, buf, start, end);
  }
  return TypedArrayToBase64.call(uint8Range(buf, start, end), kBase64urlOptions);
}

// buf[start, end) as a Uint8Array: buf itself when that is the whole of it.
function uint8Range(buf, start, end) {
  if (start === 0 && end === buf.length) return buf;
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

// The engine's base64 decoder (Uint8Array.prototype.setFromBase64, vectorized) takes
// strict base64 and ASCII whitespace. It writes what Node's lenient decoder writes up to
// where it stops (an unknown character, data after padding, a full target), and the Rust
// decoder then does the whole string Node's way. Below this length the view it needs costs
// more than it saves.
const TypedArraySetFromBase64 = Uint8Array.prototype.setFromBase64;
const kEngineBase64Min = 512;

function base64Write(buf, string, offset, length) {
  if (TypedArraySetFromBase64 !== undefined && string.length >= kEngineBase64Min && buf instanceof Uint8Array) {
    try {
      const { read, written } = TypedArraySetFromBase64.call(uint8Range(buf, offset, offset + length), string);
      if (read === string.length) return written;
    } catch {
      // Not strict base64: Node's rules below.
    }
  }
  return binding.base64Write(buf, string, offset, length);
}

// Node's estimate: padding at the end is not counted, anything else is.
function base64ByteLength(string) {
  let bytes = string.length;
  if (bytes > 0 && string.charCodeAt(bytes - 1) === 0x3d) {
    bytes--;
    if (bytes > 1 && string.charCodeAt(bytes - 1) === 0x3d) bytes--;
  }
  return (bytes * 3) >>> 2;
}

// Each encoding: byteLength(string), bytes(string) → a new Uint8Array of exactly the
// encoded bytes, write(buf, string, offset, max) → bytes written, slice(buf, start, end)
// → string, and indexOf for string needles.
const utf8 = {
  encoding: 'utf8',
  byteLength: utf8ByteLength,
  bytes: binding.utf8Encode,
  write: utf8Write,
  slice: utf8Slice,
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfString(buf, string, byteOffset, dir, utf8),
};
const ucs2 = {
  encoding: 'utf16le',
  byteLength: (string) => string.length * 2,
  bytes: binding.ucs2Bytes,
  write: binding.ucs2Write,
  slice: (buf, start, end) => nativeSlice(binding.ucs2Slice, buf, start, end),
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfUcs2(buf, encodeString(string, ucs2), byteOffset, dir, buf.length & ~1),
};
const latin1 = {
  encoding: 'latin1',
  byteLength: (string) => string.length,
  bytes: binding.latin1Bytes,
  write: latin1Write,
  slice: latin1Slice,
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfString(buf, string, byteOffset, dir, latin1),
};
const ascii = {
  encoding: 'ascii',
  byteLength: (string) => string.length,
  bytes: binding.latin1Bytes,
  write: latin1Write,
  slice: asciiSlice,
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfString(buf, string, byteOffset, dir, ascii),
};
const base64 = {
  encoding: 'base64',
  byteLength: base64ByteLength,
  bytes: binding.base64Bytes,
  write: base64Write,
  slice: base64Slice,
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfBytes(buf, encodeString(string, base64), byteOffset, dir),
};
const base64url = {
  encoding: 'base64url',
  byteLength: base64ByteLength,
  bytes: binding.base64Bytes,
  write: base64Write,
  slice: base64urlSlice,
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfBytes(buf, encodeString(string, base64url), byteOffset, dir),
};
const hex = {
  encoding: 'hex',
  byteLength: (string) => string.length >>> 1,
  bytes: binding.hexBytes,
  write: binding.hexWrite,
  slice: hexSlice,
  indexOf: (buf, string, byteOffset, dir) =>
    indexOfBytes(buf, encodeString(string, hex), byteOffset, dir),
};

const encodingsByName = {
  __proto__: null,
  'utf8': utf8,
  'utf-8': utf8,
  'ucs2': ucs2,
  'ucs-2': ucs2,
  'utf16le': ucs2,
  'utf-16le': ucs2,
  'latin1': latin1,
  'binary': latin1,
  'ascii': ascii,
  'base64': base64,
  'base64url': base64url,
  'hex': hex,
};

// The operations of an encoding name (any case), or undefined.
function getEncodingOps(encoding) {
  if (typeof encoding !== 'string') return undefined;
  return encodingsByName[encoding] ?? encodingsByName[encoding.toLowerCase()];
}

// 'utf8', 'utf16le', 'latin1', ... for an encoding name; undefined if unknown.
// Shared with string_decoder and internal/encoding.
function normalizeEncoding(encoding) {
  if (encoding === undefined || encoding === null || encoding === '') return 'utf8';
  return getEncodingOps(encoding)?.encoding;
}

// --- the pool ---------------------------------------------------------------------------

let poolSize = 0;
let poolOffset = 0;
let allocPool;
// A view of the whole pool, for encoders to write at poolOffset: a plain Uint8Array,
// which JSC's JIT stores into about twice as fast as a Buffer.
let allocPoolView;

function createPool() {
  poolSize = Buffer.poolSize;
  allocPool = new ArrayBuffer(poolSize);
  allocPoolView = new Uint8Array(allocPool);
  poolOffset = 0;
}

// Keeps pool slices 8-byte aligned.
function alignPool() {
  if (poolOffset & 7) poolOffset = (poolOffset | 7) + 1;
}

// A buffer of `size` bytes, from the pool when small; contents unspecified.
function allocate(size) {
  if (size <= 0) return new FastBuffer();
  if (size < (Buffer.poolSize >>> 1)) {
    if (size > poolSize - poolOffset) createPool();
    const buf = new FastBuffer(allocPool, poolOffset, size);
    poolOffset += size;
    alignPool();
    return buf;
  }
  return new FastBuffer(size);
}

function fromStringFast(string, ops) {
  const half = Buffer.poolSize >>> 1;
  // Every code unit takes at most three bytes in any encoding.
  let length = string.length * 3;
  if (length >= half && ops === utf8) {
    // One pass in Rust: measure and encode into a new Uint8Array this buffer adopts.
    const bytes = binding.utf8Encode(string);
    if (bytes.length >= half) return new FastBuffer(bytes.buffer, 0, bytes.length);
    const buf = allocate(bytes.length);
    TypedArraySet.call(buf, bytes);
    return buf;
  }
  if (length >= half) {
    length = ops.byteLength(string);
  }
  if (length >= half) {
    // The engine's own (reused) memory faults in fewer fresh pages than a Rust buffer.
    const buf = new FastBuffer(length);
    const written = ops.write(buf, string, 0, length);
    return written === length ? buf : new FastBuffer(buf.buffer, 0, written);
  }
  if (length > poolSize - poolOffset) createPool();
  const written = ops.write(allocPoolView, string, poolOffset, length);
  const buf = new FastBuffer(allocPool, poolOffset, written);
  poolOffset += written;
  alignPool();
  return buf;
}

// The bytes of a string in a plain Uint8Array outside the pool, for search needles, fill
// patterns and other short-lived uses.
function encodeString(string, ops) {
  return ops.bytes(string);
}

function fromString(string, encoding) {
  let ops = utf8;
  if (typeof encoding === 'string' && encoding.length !== 0) {
    ops = getEncodingOps(encoding);
    if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  }
  if (string.length === 0) return new FastBuffer();
  return fromStringFast(string, ops);
}

function fromArrayBuffer(arrayBuffer, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (NumberIsNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = arrayBuffer.byteLength - byteOffset;
  if (maxLength < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
    } else {
      length = 0;
    }
  }
  return new FastBuffer(arrayBuffer, byteOffset, length);
}

function fromArrayLike(array) {
  const length = array.length;
  if (length <= 0) return new FastBuffer();
  const buf = allocate(length);
  if (isTypedArray(array)) {
    TypedArraySet.call(buf, array);
  } else {
    for (let i = 0; i < length; i++) buf[i] = array[i];
  }
  return buf;
}

function fromObject(obj) {
  if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
    if (typeof obj.length !== 'number') return new FastBuffer();
    return fromArrayLike(obj);
  }
  if (obj.type === 'Buffer' && Array.isArray(obj.data)) return fromArrayLike(obj.data);
  return undefined;
}

function invalidFirstArgument(value) {
  return new ERR_INVALID_ARG_TYPE('first argument',
    ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
}

// --- Buffer -------------------------------------------------------------------------------

let deprecationShown = false;

// DEP0005 is shown once, unless the call comes from code given with -e or on stdin.
function showBufferDeprecation() {
  if (deprecationShown) return;
  const frames = new Error().stack.split('\n').slice(2);
  const caller = frames.find((line) => !line.includes('(node:') && !line.includes(' node:'));
  if (caller === undefined || caller.includes('[eval]') || caller.includes('[stdin]')) return;
  deprecationShown = true;
  process.emitWarning('Buffer() is deprecated due to security and usability issues. Please use ' +
    'the Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.',
  'DeprecationWarning', 'DEP0005');
}

function Buffer(arg, encodingOrOffset, length) {
  showBufferDeprecation();
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') {
      throw new ERR_INVALID_ARG_TYPE('string', 'string', arg);
    }
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}

Buffer.prototype = FastBuffer.prototype;
ObjectDefineProperty(FastBuffer.prototype, 'constructor', {
  value: Buffer, writable: true, enumerable: false, configurable: true,
});
Object.setPrototypeOf(Buffer, Uint8Array);
// Typed array methods that make new arrays (map, filter, ...) make plain FastBuffers.
ObjectDefineProperty(Buffer, Symbol.species, { get() { return FastBuffer; }, configurable: true });

Buffer.poolSize = 64 * 1024;

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf && value.valueOf();
    if (valueOf != null && valueOf !== value &&
        (typeof valueOf === 'string' || typeof valueOf === 'object')) {
      return from(valueOf, encodingOrOffset, length);
    }
    const buf = fromObject(value);
    if (buf !== undefined) return buf;
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const primitive = value[Symbol.toPrimitive]('string');
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
    }
  }
  throw invalidFirstArgument(value);
};

Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!isTypedArray(view)) throw new ERR_INVALID_ARG_TYPE('view', ['TypedArray'], view);
  const viewLength = view.length;
  if (viewLength === 0) return new FastBuffer();
  if (offset !== undefined || length !== undefined) {
    if (offset !== undefined) {
      validateInteger(offset, 'offset', 0);
      if (offset >= viewLength) return new FastBuffer();
    } else {
      offset = 0;
    }
    let end;
    if (length !== undefined) {
      validateInteger(length, 'length', 0);
      end = offset + length;
    } else {
      end = viewLength;
    }
    view = view.subarray(offset, end);
  }
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return fromArrayLike(bytes);
};

Buffer.of = function of(...items) {
  const buf = allocate(items.length);
  for (let i = 0; i < items.length; i++) buf[i] = items[i];
  return buf;
};

Buffer.alloc = function alloc(size, fill, encoding) {
  validateNumber(size, 'size', 0, kMaxLength);
  if (fill !== undefined && fill !== 0 && size > 0) {
    const buf = new FastBuffer(size);
    return fillImpl(buf, fill, 0, buf.length, encoding);
  }
  return new FastBuffer(size);
};

Buffer.allocUnsafe = function allocUnsafe(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return allocate(size);
};

Buffer.allocUnsafeSlow = function allocUnsafeSlow(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
};

Buffer.isBuffer = function isBuffer(b) {
  return b instanceof Buffer;
};

Buffer.compare = function compare(buf1, buf2) {
  if (!isUint8ArrayFast(buf1)) throw new ERR_INVALID_ARG_TYPE('buf1', ['Buffer', 'Uint8Array'], buf1);
  if (!isUint8ArrayFast(buf2)) throw new ERR_INVALID_ARG_TYPE('buf2', ['Buffer', 'Uint8Array'], buf2);
  if (buf1 === buf2) return 0;
  return binding.compare(buf1, buf2);
};

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === 'string' && encoding.length !== 0 &&
    getEncodingOps(encoding) !== undefined;
};

Buffer.concat = function concat(list, length) {
  if (!ArrayIsArray(list)) validateArray(list, 'list');
  const count = list.length;
  if (count === 0) return new FastBuffer();
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < count; i++) {
      const item = list[i];
      if (!isUint8ArrayFast(item)) throw invalidListItem(i, item);
      length += item.length;
    }
  } else {
    validateOffset(length, 'length');
    for (let i = 0; i < count; i++) {
      if (!isUint8ArrayFast(list[i])) throw invalidListItem(i, list[i]);
    }
  }
  const buffer = allocate(length);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const item = list[i];
    if (pos + item.length <= length) {
      TypedArraySet.call(buffer, item, pos);
      pos += item.length;
    } else if (pos < length) {
      pos += copyBytes(item, buffer, pos, 0, item.length);
    }
  }
  // Zero what a shorter list leaves over: the pool may hold older data.
  if (pos < length) TypedArrayFill.call(buffer, 0, pos, length);
  return buffer;
};

function invalidListItem(index, item) {
  return new ERR_INVALID_ARG_TYPE(`list[${index}]`, ['Buffer', 'Uint8Array'], item);
}

function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) return string.byteLength;
    throw new ERR_INVALID_ARG_TYPE('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  const len = string.length;
  const mustMatch = arguments.length > 2 && arguments[2] === true;
  if (!mustMatch && len === 0) return 0;
  if (!encoding) return (mustMatch ? -1 : utf8ByteLength(string));
  const ops = getEncodingOps(encoding);
  if (ops === undefined) return mustMatch ? -1 : utf8ByteLength(string);
  return ops.byteLength(string);
}
Buffer.byteLength = byteLength;

const proto = Buffer.prototype;

// --- Buffer.prototype: numbers (defined first, as Node does) --------------------------------

function boundsError(value, length, type) {
  if (MathFloor(value) !== value) {
    validateNumber(value, type);
    throw new ERR_OUT_OF_RANGE(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS();
  throw new ERR_OUT_OF_RANGE(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

// Checks that `size` bytes at `offset` exist.
function checkBounds(buf, offset, size) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + size - 1] === undefined) {
    boundsError(offset, buf.length - size);
  }
}

// The message part of a range error for a `size`-byte integer between min and max.
function intRange(min, max, size) {
  if (size > 4 || typeof min === 'bigint') {
    const n = typeof min === 'bigint' ? 'n' : '';
    if (min === 0 || min === 0n) return `>= 0${n} and < 2${n} ** ${size * 8}${n}`;
    return `>= -(2${n} ** ${size * 8 - 1}${n}) and < 2${n} ** ${size * 8 - 1}${n}`;
  }
  return `>= ${min} and <= ${max}`;
}

function checkInt(value, min, max, buf, offset, size) {
  if (value > max || value < min) {
    throw new ERR_OUT_OF_RANGE('value', intRange(min, max, size), value);
  }
  checkBounds(buf, offset, size);
}

// Variable-width integers (1 to 6 bytes) as unsigned numbers.
function readUnsigned(buf, offset, size, littleEndian) {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < size; i++) {
    value += buf[littleEndian ? offset + i : offset + size - 1 - i] * scale;
    scale *= 256;
  }
  return value;
}

function writeUnsigned(buf, value, offset, size, littleEndian) {
  // `value` may be negative here (two's complement): work on the unsigned equivalent.
  let rest = value < 0 ? value + 2 ** (size * 8) : value;
  for (let i = 0; i < size; i++) {
    buf[littleEndian ? offset + i : offset + size - 1 - i] = rest % 256;
    rest = MathFloor(rest / 256);
  }
  return offset + size;
}

function readInt(buf, offset, size, littleEndian, signed) {
  checkBounds(buf, offset, size);
  const value = readUnsigned(buf, offset, size, littleEndian);
  if (signed && value >= 2 ** (size * 8 - 1)) return value - 2 ** (size * 8);
  return value;
}

function writeInt(buf, value, offset, size, littleEndian, signed) {
  value = +value;
  if (size === 1) {
    // Single bytes check the offset's type before the value.
    validateNumber(offset, 'offset');
  }
  const min = signed ? -(2 ** (size * 8 - 1)) : 0;
  const max = signed ? 2 ** (size * 8 - 1) - 1 : 2 ** (size * 8) - 1;
  checkInt(value, min, max, buf, offset, size);
  // Truncate like a typed array store would.
  const truncated = NumberIsNaN(value) ? 0 : MathTrunc(value);
  return writeUnsigned(buf, truncated, offset, size, littleEndian);
}

function validateByteLength(byteLength) {
  if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) return;
  boundsError(byteLength, 6, 'byteLength');
}

// Gives a method its name (Node's names differ from the property names at times).
function named(name, fn) {
  ObjectDefineProperty(fn, 'name', { value: name });
  return fn;
}

// The number methods by property name, built below and installed in Node's order.
const numberMethods = Object.create(null);

for (const signed of [false, true]) {
  const type = signed ? 'Int' : 'UInt';
  for (const littleEndian of [true, false]) {
    const order = littleEndian ? 'LE' : 'BE';
    numberMethods[`read${type}${order}`] = named(`read${type}${order}`, function(offset, byteLength) {
      if (offset === undefined) throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
      validateByteLength(byteLength);
      return readInt(this, offset, byteLength, littleEndian, signed);
    });
    numberMethods[`write${type}${order}`] = named(`write${type}${order}`, function(value, offset, byteLength) {
      validateByteLength(byteLength);
      if (offset === undefined) throw new ERR_INVALID_ARG_TYPE('offset', 'number', offset);
      return writeInt(this, value, offset, byteLength, littleEndian, signed);
    });
    for (const size of [4, 2, 1]) {
      if (size === 1 && !littleEndian) continue;
      const name = `${type}${size * 8}${size === 1 ? '' : order}`;
      // Node's fixed-width reads are anonymous.
      numberMethods[`read${name}`] = named('', function(offset) {
        return readInt(this, offset === undefined ? 0 : offset, size, littleEndian, signed);
      });
      numberMethods[`write${name}`] = named(`write${name}`, function(value, offset = 0) {
        return writeInt(this, value, offset, size, littleEndian, signed);
      });
    }
  }
  const bigType = signed ? 'BigInt64' : 'BigUInt64';
  for (const littleEndian of [true, false]) {
    const order = littleEndian ? 'LE' : 'BE';
    numberMethods[`read${bigType}${order}`] = named(`read${bigType}${order}`, function(offset = 0) {
      checkBounds(this, offset, 8);
      const view = new DataView(this.buffer, this.byteOffset + offset, 8);
      return signed ? view.getBigInt64(0, littleEndian) : view.getBigUint64(0, littleEndian);
    });
    numberMethods[`write${bigType}${order}`] = named(`write${bigType}${order}`, function(value, offset = 0) {
      const min = signed ? -(2n ** 63n) : 0n;
      const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
      checkInt(value, min, max, this, offset, 8);
      // A Number here throws the engine's "cannot mix BigInt" TypeError, as in Node.
      const bits = BigInt.asUintN(64, value & 0xffffffffffffffffn);
      new DataView(this.buffer, this.byteOffset + offset, 8).setBigUint64(0, bits, littleEndian);
      return offset + 8;
    });
  }
}

{
  const float32 = new Float32Array(1);
  const float64 = new Float64Array(1);
  const floats = [['Float', float32, new Uint8Array(float32.buffer)],
    ['Double', float64, new Uint8Array(float64.buffer)]];
  // Typed arrays use the platform's byte order, little-endian: LE copies bytes "forwards".
  for (const [type, array, bytes] of floats) {
    const size = array.BYTES_PER_ELEMENT;
    for (const littleEndian of [true, false]) {
      const order = littleEndian ? 'LE' : 'BE';
      const direction = littleEndian ? 'Forwards' : 'Backwards';
      numberMethods[`read${type}${order}`] = named(`read${type}${direction}`, function(offset = 0) {
        checkBounds(this, offset, size);
        for (let i = 0; i < size; i++) bytes[littleEndian ? i : size - 1 - i] = this[offset + i];
        return array[0];
      });
      numberMethods[`write${type}${order}`] = named(`write${type}${direction}`, function(value, offset = 0) {
        value = +value;
        checkBounds(this, offset, size);
        array[0] = value;
        for (let i = 0; i < size; i++) this[offset + i] = bytes[littleEndian ? i : size - 1 - i];
        return offset + size;
      });
    }
  }
}

// Node's order of definition, which Object.keys(Buffer.prototype) shows; `Uint` names are
// aliases of the `UInt` methods.
function numberMethodOrder() {
  const names = [];
  for (const kind of ['read', 'write']) {
    for (const type of ['BigUInt64', 'BigUint64', 'BigInt64']) names.push(`${kind}${type}LE`, `${kind}${type}BE`);
  }
  for (const kind of ['read', 'write']) {
    for (const type of ['UInt', 'Uint', 'Int']) {
      names.push(`${kind}${type}LE`, `${kind}${type}32LE`, `${kind}${type}16LE`, `${kind}${type}8`,
        `${kind}${type}BE`, `${kind}${type}32BE`, `${kind}${type}16BE`);
    }
  }
  for (const kind of ['read', 'write']) {
    names.push(`${kind}FloatLE`, `${kind}FloatBE`, `${kind}DoubleLE`, `${kind}DoubleBE`);
  }
  return names;
}
for (const name of numberMethodOrder()) {
  proto[name] = numberMethods[name.replace('Uint', 'UInt')];
}

// --- Buffer.prototype: strings and bytes -------------------------------------------------

function validateOffset(value, name, min = 0, max = kMaxLength) {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!NumberIsInteger(value)) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

function toIntegerOrZero(value) {
  return MathTrunc(+value) || 0;
}

// The public `buf.xSlice(start, end)` methods, strict like Node's native ones.
function publicSlice(slice) {
  return function(start, end) {
    if (!isUint8ArrayFast(this)) {
      throw nativeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a buffer');
    }
    const len = this.length;
    start = start === undefined ? 0 : toIntegerOrZero(start);
    end = end === undefined ? len : toIntegerOrZero(end);
    if (start < 0 || end < 0) throw nativeError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
    if (end < start) end = start;
    if (end > len) throw nativeError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
    return slice(this, start, end);
  };
}

// The public `buf.xWrite(string, offset, length)` methods.
function publicWrite(write) {
  return function(string, offset, length) {
    offset = offset === undefined ? 0 : toIntegerOrZero(offset);
    if (length === undefined) length = this.length - offset;
    if (offset < 0 || offset > this.length) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
    length = toIntegerOrZero(length);
    if (length < 0 || length > this.length - offset) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
    if (typeof string !== 'string') throw notAString();
    return length === 0 ? 0 : write(this, string, offset, length);
  };
}

proto.asciiSlice = publicSlice(ascii.slice);
proto.base64Slice = publicSlice(base64.slice);
proto.base64urlSlice = publicSlice(base64url.slice);
proto.latin1Slice = publicSlice(latin1.slice);
proto.hexSlice = publicSlice(hex.slice);
proto.ucs2Slice = publicSlice(ucs2.slice);
proto.utf8Slice = publicSlice(utf8.slice);
proto.asciiWrite = publicWrite(ascii.write);
proto.base64Write = publicWrite(base64.write);
proto.base64urlWrite = publicWrite(base64url.write);
proto.latin1Write = publicWrite(latin1.write);
proto.hexWrite = publicWrite(hex.write);
proto.ucs2Write = publicWrite(ucs2.write);
proto.utf8Write = publicWrite(utf8.write);

ObjectDefineProperty(proto, 'parent', {
  enumerable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return this.buffer;
  },
});
ObjectDefineProperty(proto, 'offset', {
  enumerable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return this.byteOffset;
  },
});

proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  return copyImpl(this, target, targetStart, sourceStart, sourceEnd);
};

// Like Node's toInteger: NaN and non-safe values give the default, fractions floor.
function toInteger(value, defaultValue) {
  value = +value;
  if (!NumberIsNaN(value) && value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER) {
    return value % 1 === 0 ? value : MathFloor(value);
  }
  return defaultValue;
}

function copyImpl(source, target, targetStart, sourceStart, sourceEnd) {
  if (!ArrayBuffer.isView(target)) {
    throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  }
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = NumberIsInteger(targetStart) ? targetStart : toInteger(targetStart, 0);
    if (targetStart < 0) throw new ERR_OUT_OF_RANGE('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = NumberIsInteger(sourceStart) ? sourceStart : toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > source.byteLength) {
      throw new ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${source.byteLength}`, sourceStart);
    }
  }
  if (sourceEnd === undefined) {
    sourceEnd = source.byteLength;
  } else {
    sourceEnd = NumberIsInteger(sourceEnd) ? sourceEnd : toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw new ERR_OUT_OF_RANGE('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= target.byteLength || sourceStart >= sourceEnd) return 0;
  return copyBytes(source, target, targetStart, sourceStart, sourceEnd);
}

// Copies source[sourceStart, sourceEnd) to target at targetStart, as much as fits.
function copyBytes(source, target, targetStart, sourceStart, sourceEnd) {
  const n = MathMin(sourceEnd, source.byteLength) - sourceStart;
  const room = target.byteLength - targetStart;
  const count = MathMin(n, room);
  if (count <= 0) return 0;
  const from = new Uint8Array(source.buffer, source.byteOffset + sourceStart, count);
  if (isUint8Array(target)) {
    TypedArraySet.call(target, from, targetStart);
  } else {
    TypedArraySet.call(new Uint8Array(target.buffer, target.byteOffset, target.byteLength), from, targetStart);
  }
  return count;
}

proto.toString = function toString(encoding, start, end) {
  const len = this.length;
  if (start === undefined && end === undefined) {
    // The whole buffer, the common case.
    if (len === 0) return '';
    if (encoding === undefined || encoding === 'utf8') {
      return len > kSmallSlice ? binding.utf8Slice(this) : utf8Slice(this, 0, len);
    }
    const ops = getEncodingOps(encoding);
    if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    return ops.slice(this, 0, len);
  }
  if (start <= 0) {
    start = 0;
  } else if (start >= len) {
    return '';
  } else {
    start = toIntegerOrZero(start);
  }
  if (end === undefined || end > len) {
    end = len;
  } else {
    end = toIntegerOrZero(end);
  }
  if (end <= start) return '';
  if (encoding === undefined) return utf8Slice(this, start, end);
  const ops = getEncodingOps(encoding);
  if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  return ops.slice(this, start, end);
};

proto.equals = function equals(otherBuffer) {
  if (!isUint8ArrayFast(otherBuffer)) {
    throw new ERR_INVALID_ARG_TYPE('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  }
  if (this === otherBuffer) return true;
  const len = this.length;
  if (len !== otherBuffer.length) return false;
  if (len === 0) return true;
  return binding.compare(this, otherBuffer) === 0;
};

// --- inspection ---------------------------------------------------------------------------

let inspectModule;
function lazyInspect() {
  inspectModule ??= require('internal/util/inspect');
  return inspectModule.inspect;
}

// Listing a typed array's own keys costs a string per element in JSC, so string-keyed
// extras are looked for only up to this length (symbols are cheap to list).
const kMaxExtrasScan = 8192;

// The own properties besides the bytes, to show after them: enumerable ones (symbols too),
// or all of them with showHidden.
function extraKeys(buf, showHidden) {
  const keys = [];
  const candidates = buf.length <= kMaxExtrasScan ? Reflect.ownKeys(buf) :
    Object.getOwnPropertySymbols(buf);
  for (const key of candidates) {
    if (typeof key === 'string' && key !== '' && key.charCodeAt(0) <= 0x39 &&
        String(+key) === key) {
      continue;
    }
    if (!showHidden && !Object.prototype.propertyIsEnumerable.call(buf, key)) continue;
    keys.push(key);
  }
  return keys;
}

proto[customInspectSymbol] = function inspect(recurseTimes, ctx) {
  const max = INSPECT_MAX_BYTES;
  const shown = MathMin(max, this.length);
  let str = '';
  for (let i = 0; i < shown; i++) {
    const byte = this[i];
    str += (i === 0 ? '' : ' ') + (byte < 16 ? '0' : '') + byte.toString(16);
  }
  const remaining = this.length - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  if (ctx) {
    const keys = extraKeys(this, ctx.showHidden);
    if (keys.length > 0) {
      const extras = Object.create(null);
      for (const key of keys) extras[key] = this[key];
      const text = lazyInspect()(extras, { ...ctx, breakLength: Infinity, compact: true });
      // `[Object: null prototype] { a: 1 }` → `a: 1`
      if (this.length !== 0) str += ', ';
      str += text.slice('[Object: null prototype] { '.length, -2);
    }
  }
  return `<${this.constructor.name} ${str}>`;
};
proto.inspect = proto[customInspectSymbol];

// --- comparison and search ------------------------------------------------------------

proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isUint8ArrayFast(target)) {
    throw new ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
  }
  if (arguments.length === 1) return this === target ? 0 : binding.compare(this, target);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = target.length;
  else validateOffset(targetEnd, 'targetEnd', 0, target.length);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = this.length;
  else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return (targetStart >= targetEnd ? 0 : -1);
  if (targetStart >= targetEnd) return 1;
  return binding.compare(this.subarray(sourceStart, sourceEnd), target.subarray(targetStart, targetEnd));
};

// Where a search of a needle of `needleLength` starts: negative offsets count from the end;
// -1 when nothing can match.
function searchStart(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (forward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  return forward ? -1 : length - 1;
}

function indexOfBytes(buf, needle, byteOffset, forward) {
  const start = searchStart(buf.length, byteOffset, needle.length, forward);
  if (needle.length === 0) return start;
  if (start < 0 || buf.length === 0 || (forward && start + needle.length > buf.length)) return -1;
  return binding.indexOfBytes(buf, needle, start, forward);
}

// Haystacks and needles up to these lengths are searched in JS, below the cost of a
// crossing (the needle bound keeps the simple search's worst case small).
const kSmallSearch = 128;
const kSmallNeedle = 16;

// A utf8, latin1 or ascii needle, encoded in Rust as part of the search (one crossing).
function indexOfString(buf, string, byteOffset, forward, ops) {
  const needleLength = ops.byteLength(string);
  const start = searchStart(buf.length, byteOffset, needleLength, forward);
  if (needleLength === 0) return start;
  if (start < 0 || buf.length === 0 || (forward && start + needleLength > buf.length)) return -1;
  // A UTF-8 needle as long as the string is ASCII, its bytes the code units; latin1 and
  // ascii needles are the low byte of each.
  if (buf.length <= kSmallSearch && needleLength <= kSmallNeedle && needleLength === string.length) {
    return indexOfCodeUnits(buf, string, start, forward);
  }
  return binding.indexOfString(buf, string, start, forward, ops === utf8);
}

// Where the low bytes of `string`'s code units occur in `buf`, searched from `start`.
function indexOfCodeUnits(buf, string, start, forward) {
  const n = string.length;
  const first = string.charCodeAt(0) & 0xff;
  const last = buf.length - n;
  const step = forward ? 1 : -1;
  candidates: for (let i = forward ? start : MathMin(start, last); forward ? i <= last : i >= 0; i += step) {
    if (buf[i] !== first) continue;
    for (let j = 1; j < n; j++) {
      if (buf[i + j] !== (string.charCodeAt(j) & 0xff)) continue candidates;
    }
    return i;
  }
  return -1;
}

// `haystackLength` is where offsets count from: Node leaves an odd last byte out of the
// text for string needles, not for buffer needles.
function indexOfUcs2(buf, needle, byteOffset, forward, haystackLength) {
  const start = searchStart(haystackLength, byteOffset, needle.length, forward);
  if (needle.length === 0) return start;
  if (start < 0 || buf.length < 2 || (forward && start + needle.length > buf.length)) return -1;
  return binding.indexOfUcs2(buf, needle, start, forward);
}

function indexOfNumber(buf, byte, byteOffset, forward) {
  const start = searchStart(buf.length, byteOffset, 1, forward);
  if (start < 0 || buf.length === 0) return -1;
  return binding.indexOfByte(buf, byte, start, forward);
}

function bidirectionalIndexOf(buf, value, byteOffset, encoding, forward) {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (NumberIsNaN(byteOffset)) byteOffset = forward ? 0 : buf.length;
  byteOffset = MathTrunc(byteOffset);

  if (typeof value === 'number') return indexOfNumber(buf, value >>> 0 & 0xff, byteOffset, forward);
  if (typeof value === 'string') {
    if (encoding === undefined) return utf8.indexOf(buf, value, byteOffset, forward);
    const ops = getEncodingOps(encoding);
    if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    return ops.indexOf(buf, value, byteOffset, forward);
  }
  if (isUint8ArrayFast(value)) {
    if (encoding !== undefined && getEncodingOps(encoding) === ucs2) {
      return indexOfUcs2(buf, value, byteOffset, forward, buf.length);
    }
    return indexOfBytes(buf, value, byteOffset, forward);
  }
  throw new ERR_INVALID_ARG_TYPE('value', ['number', 'string', 'Buffer', 'Uint8Array'], value);
}

proto.indexOf = function indexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
};

proto.lastIndexOf = function lastIndexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
};

proto.includes = function includes(val, byteOffset, encoding) {
  return this.indexOf(val, byteOffset, encoding) !== -1;
};

// --- fill and write ---------------------------------------------------------------------

proto.fill = function fill(value, offset, end, encoding) {
  return fillImpl(this, value, offset, end, encoding);
};

function fillImpl(buf, value, offset, end, encoding) {
  let ops;
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = buf.length;
    } else if (typeof end === 'string') {
      encoding = end;
      end = buf.length;
    }
    ops = encoding === undefined || encoding === null ? utf8 : getEncodingOps(encoding);
    if (ops === undefined) {
      validateString(encoding, 'encoding');
      throw new ERR_UNKNOWN_ENCODING(encoding);
    }
    if (value.length === 0) {
      value = 0;
    } else if (value.length === 1) {
      // A single character that is a single byte fills like a number.
      const code = value.charCodeAt(0);
      if ((ops === utf8 && code < 0x80) || ops === latin1) value = code;
    }
  }

  if (offset === undefined) {
    offset = 0;
    end = buf.length;
  } else {
    validateOffset(offset, 'offset');
    if (end === undefined) end = buf.length;
    else validateOffset(end, 'end', 0, buf.length);
    if (offset >= end) return buf;
  }

  if (typeof value === 'number') {
    TypedArrayFill.call(buf, value, offset, end);
    return buf;
  }
  let pattern;
  if (typeof value === 'string') {
    pattern = encodeString(value, ops);
  } else if (isTypedArray(value)) {
    pattern = value;
  } else if (ArrayBuffer.isView(value)) {
    pattern = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } else {
    // Anything else fills with its number value, as a byte.
    TypedArrayFill.call(buf, (value >>> 0) & 0xff, offset, end);
    return buf;
  }
  if (pattern.byteLength === 0) throw new ERR_INVALID_ARG_VALUE('value', value);
  binding.fill(buf, pattern, offset, end);
  return buf;
}

proto.write = function write(string, offset, length, encoding) {
  // write(string)
  if (offset === undefined) {
    if (typeof string !== 'string') throw notAString();
    return utf8Write(this, string, 0, this.length);
  }
  if (length === undefined && typeof offset === 'string') {
    // write(string, encoding)
    encoding = offset;
    length = this.length;
    offset = 0;
  } else {
    // write(string, offset[, length][, encoding])
    validateOffset(offset, 'offset', 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, this.length);
      if (length > remaining) length = remaining;
    }
  }
  let ops = utf8;
  if (encoding) {
    ops = getEncodingOps(encoding);
    if (ops === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  }
  if (typeof string !== 'string') throw notAString();
  return length === 0 ? 0 : ops.write(this, string, offset, length);
};

proto.toJSON = function toJSON() {
  const len = this.length;
  const data = new Array(len);
  for (let i = 0; i < len; i++) data[i] = this[i];
  return { type: 'Buffer', data };
};

// Node's offset adjustment for slice: negative counts from the end, clamped to the buffer.
function adjustOffset(offset, length) {
  offset = MathTrunc(offset);
  if (offset === 0 || NumberIsNaN(offset)) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  return offset < length ? offset : length;
}

proto.subarray = function subarray(start, end) {
  const srcLength = this.length;
  start = adjustOffset(start, srcLength);
  end = end !== undefined ? adjustOffset(end, srcLength) : srcLength;
  const newLength = end > start ? end - start : 0;
  return new FastBuffer(this.buffer, this.byteOffset + start, newLength);
};

proto.slice = function slice(start, end) {
  return this.subarray(start, end);
};

function swapBytes(name, width) {
  return {
    [name]() {
      const len = this.length;
      if (len % width !== 0) throw new ERR_INVALID_BUFFER_SIZE(`${width * 8}-bits`);
      if (len < 128) {
        for (let i = 0; i < len; i += width) {
          for (let a = i, b = i + width - 1; a < b; a++, b--) {
            const t = this[a];
            this[a] = this[b];
            this[b] = t;
          }
        }
      } else {
        binding.swap(this, width);
      }
      return this;
    },
  }[name];
}

proto.swap16 = swapBytes('swap16', 2);
proto.swap32 = swapBytes('swap32', 4);
proto.swap64 = swapBytes('swap64', 8);

proto.toLocaleString = proto.toString;

// --- module functions -----------------------------------------------------------------

let slowBufferWarned = false;

// SlowBuffer(size): allocUnsafeSlow with a one-time DEP0030 warning.
const SlowBuffer = named('deprecated', function(size) {
  if (!slowBufferWarned) {
    slowBufferWarned = true;
    process.emitWarning('SlowBuffer() is deprecated. Please use Buffer.allocUnsafeSlow()',
      'DeprecationWarning', 'DEP0030');
  }
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
});

// ICU's error for a failed conversion, with its name and number.
function transcodeError(name, errno) {
  const err = new Error(`Unable to transcode Buffer [${name}]`);
  err.code = name;
  err.errno = errno;
  return err;
}

// Converts between utf8, ucs2, latin1 and ascii as Node's ICU converters do: undecodable
// input becomes U+FFFD, and characters the target cannot hold become '?', except that
// utf8 -> ucs2 and ucs2 -> utf8 refuse invalid input.
function transcode(source, fromEncoding, toEncoding) {
  if (!isUint8Array(source)) {
    throw new ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
  }
  if (source.length === 0) return new FastBuffer();
  const from = transcodeEncoding(fromEncoding);
  const to = transcodeEncoding(toEncoding);
  if (from === undefined || to === undefined) throw transcodeError('U_ILLEGAL_ARGUMENT_ERROR', 1);
  let text = from === ascii ?
    latin1.slice(source, 0, source.length).replace(/[\x80-\xff]/g, '\ufffd') :
    from.slice(source, 0, source.length);
  if ((from === utf8 && to === ucs2 && !binding.isUtf8(source)) ||
      (from === ucs2 && to === utf8 && !text.isWellFormed())) {
    throw transcodeError('U_INVALID_CHAR_FOUND', 10);
  }
  if (to === ascii) text = text.replace(/[^\x00-\x7f]/gu, '?');
  else if (to === latin1) text = text.replace(/[^\x00-\xff]/gu, '?');
  return fromStringFast(text, to);
}

function transcodeEncoding(encoding) {
  const ops = getEncodingOps(encoding);
  return ops === utf8 || ops === ucs2 || ops === latin1 || ops === ascii ? ops : undefined;
}

function isUtf8(input) {
  if (isTypedArray(input) || isAnyArrayBuffer(input)) {
    return binding.isUtf8(input);
  }
  throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

function isAscii(input) {
  if (isTypedArray(input) || isAnyArrayBuffer(input)) {
    return binding.isAscii(input);
  }
  throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

// --- atob and btoa ----------------------------------------------------------------------

let DOMException;
function lazyDOMException(message, name) {
  DOMException ??= require('internal/dom_exception').DOMException;
  return new DOMException(message, name);
}

function btoa(input) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('input');
  input = `${input}`;
  for (let i = 0; i < input.length; i++) {
    if (input.charCodeAt(i) > 0xff) throw lazyDOMException('Invalid character', 'InvalidCharacterError');
  }
  const bytes = encodeString(input, latin1);
  return base64.slice(bytes, 0, bytes.length);
}

const kBase64Alphabet = /^[A-Za-z0-9+/]*$/;
const kAsciiWhitespace = /[\t\n\f\r ]/g;

// WHATWG forgiving-base64, as Node checks it: after trailing whitespace, up to two `=`
// (whitespace may sit between them) are padding; the rest must be the alphabet and
// whitespace.
function atob(input) {
  if (arguments.length === 0) throw new ERR_MISSING_ARGS('input');
  input = `${input}`;
  const isSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
  let end = input.length;
  while (end > 0 && isSpace(input.charCodeAt(end - 1))) end--;
  let padding = 0;
  if (end > 0 && input.charCodeAt(end - 1) === 0x3d) {
    end--;
    padding = 1;
    while (end > 0 && isSpace(input.charCodeAt(end - 1))) end--;
    if (end > 0 && input.charCodeAt(end - 1) === 0x3d) {
      end--;
      padding = 2;
    }
  }
  const data = input.slice(0, end).replace(kAsciiWhitespace, '');
  if (!kBase64Alphabet.test(data)) throw lazyDOMException('Invalid character', 'InvalidCharacterError');
  if (data.length % 4 === 1) {
    throw lazyDOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  }
  if (padding !== 0 && (data.length + padding) % 4 !== 0) {
    throw lazyDOMException('Invalid character', 'InvalidCharacterError');
  }
  const bytes = encodeString(data, base64);
  return latin1.slice(bytes, 0, bytes.length);
}

// --- Blob and File --------------------------------------------------------------------
// Immutable bytes with a MIME type. textStream() is missing.

const { Blob, File } = createBlobClasses();

function createBlobClasses() {
  let blobBytes;

  // A Blob type is kept only if it is printable ASCII, and then lower-cased.
  function normalizeType(type) {
    return /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : '';
  }

  function partBytes(part, endings) {
    if (typeof part === 'string') {
      if (endings === 'native') part = part.replace(/\r?\n/g, '\n');
      return encodeString(part, utf8);
    }
    if (ArrayBuffer.isView(part)) {
      return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
    }
    if (isAnyArrayBuffer(part)) return new Uint8Array(part.slice(0));
    if (part instanceof Blob) return blobBytes(part);
    return encodeString(`${part}`, utf8);
  }

  function concatParts(parts) {
    let length = 0;
    for (const part of parts) length += part.byteLength;
    const bytes = new Uint8Array(length);
    let pos = 0;
    for (const part of parts) {
      bytes.set(part, pos);
      pos += part.byteLength;
    }
    return bytes;
  }

  function nestedOptions(options) {
    return { ...options, depth: options.depth == null ? null : options.depth - 1 };
  }

  class Blob {
    #bytes;
    #type;

    static {
      blobBytes = (blob) => blob.#bytes;
    }

    constructor(sources = [], options) {
      if (sources === null || typeof sources !== 'object' ||
          typeof sources[Symbol.iterator] !== 'function') {
        throw nativeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'Value cannot be converted to sequence.');
      }
      if (options != null && typeof options !== 'object' && typeof options !== 'function') {
        const err = new ERR_INVALID_ARG_TYPE('options', 'object', options);
        err.message = err.message.replace('must be of type object', 'must be a dictionary');
        throw err;
      }
      const { type = '', endings = 'transparent' } = options ?? {};
      if (`${endings}` !== 'transparent' && `${endings}` !== 'native') {
        throw new ERR_INVALID_ARG_VALUE('options.endings', `${endings}`);
      }
      const parts = [];
      for (const source of sources) {
        if (typeof source === 'symbol') {
          throw nativeError(TypeError, 'ERR_INVALID_ARG_TYPE',
            `Value[${parts.length}] is a Symbol and cannot be converted to a string.`);
        }
        parts.push(partBytes(source, `${endings}`));
      }
      this.#bytes = concatParts(parts);
      this.#type = normalizeType(`${type}`);
    }

    get type() {
      if (!(#type in this)) throw new ERR_INVALID_THIS('Blob');
      return this.#type;
    }

    get size() {
      if (!(#bytes in this)) throw new ERR_INVALID_THIS('Blob');
      return this.#bytes.byteLength;
    }

    slice(start = 0, end = this.size, contentType = '') {
      const size = this.size;
      const clamp = (n) => {
        n = toIntegerOrZero(n);
        return n < 0 ? Math.max(size + n, 0) : MathMin(n, size);
      };
      const from = clamp(start);
      const to = Math.max(from, clamp(end));
      return new Blob([this.#bytes.subarray(from, to)], { type: `${contentType}` });
    }

    async arrayBuffer() {
      return this.#bytes.slice().buffer;
    }

    // UTF-8 with a leading byte order mark dropped, as TextDecoder does.
    async text() {
      const text = binding.utf8Slice(this.#bytes, 0, this.#bytes.length);
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }

    async bytes() {
      return this.#bytes.slice();
    }

    // A byte stream of the contents, in one chunk (Node gives one chunk per part).
    stream() {
      if (!(#bytes in this)) throw new ERR_INVALID_THIS('Blob');
      const bytes = this.#bytes;
      const { ReadableStream } = require('internal/webstreams/readablestream');
      return new ReadableStream({
        type: 'bytes',
        pull(controller) {
          if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
          controller.close();
        },
      });
    }

    [customInspectSymbol](depth, options, inspect) {
      if (depth < 0) return options.stylize('[Blob]', 'special');
      return `Blob ${inspect({ size: this.size, type: this.type }, nestedOptions(options))}`;
    }
  }
  Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });

  class File extends Blob {
    #name;
    #lastModified;

    constructor(fileBits, fileName, options = {}) {
      if (arguments.length < 2) throw new ERR_MISSING_ARGS('fileBits', 'fileName');
      super(fileBits, options);
      let { lastModified } = options ?? {};
      if (lastModified !== undefined) {
        lastModified = +lastModified;
        if (NumberIsNaN(lastModified)) lastModified = 0;
      } else {
        lastModified = Date.now();
      }
      this.#name = `${fileName}`;
      this.#lastModified = lastModified;
    }

    get name() {
      return this.#name;
    }

    get lastModified() {
      return this.#lastModified;
    }

    [customInspectSymbol](depth, options, inspect) {
      if (depth < 0) return options.stylize('[File]', 'special');
      const fields = { size: this.size, type: this.type, name: this.#name, lastModified: this.#lastModified };
      return `File ${inspect(fields, nestedOptions(options))}`;
    }
  }
  Object.defineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });

  return { Blob, File };
}

// There is no blob: URL registry (URL.createObjectURL), so no URL resolves.
// blob: URLs are registered by URL.createObjectURL (internal/url).
function resolveObjectURL(url) {
  return require('internal/url').resolveObjectURL(url);
}

module.exports = {
  Buffer,
  SlowBuffer,
  transcode,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  btoa,
  atob,
  constants,
  INSPECT_MAX_BYTES: undefined,
  Blob,
  resolveObjectURL,
  File,
};

ObjectDefineProperty(module.exports, 'INSPECT_MAX_BYTES', {
  enumerable: true,
  configurable: true,
  get() { return INSPECT_MAX_BYTES; },
  set(value) {
    validateNumber(value, 'INSPECT_MAX_BYTES', 0);
    INSPECT_MAX_BYTES = value;
  },
});

// For string_decoder and internal/encoding, which reach them through the shared binding.
binding.internals = { FastBuffer, getEncodingOps, normalizeEncoding, utf8, ucs2, latin1 };
