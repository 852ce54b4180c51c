'use strict';
// v8.Serializer / v8.Deserializer: V8's ValueSerializer wire format (version 15), written
// and read in JS so that ferro exchanges the same bytes as Node. The format is a stream of
// one-byte tags followed by varints, doubles or raw bytes; every object gets an id in the
// order it is first met, so later occurrences (shared references, cycles) are written as
// back-references. Node's subclasses (DefaultSerializer/DefaultDeserializer in v8.js) add
// the host-object encoding of Buffers and typed arrays.

const types = require('internal/util/types');
const { objectKind } = require('internal/util/object_kind');

const kLatestVersion = 15;

// Tags (ASCII characters in V8's format).
const TAG = {
  VERSION: 0xff,
  PADDING: 0x00,
  VERIFY_OBJECT_COUNT: 0x3f, // '?'
  THE_HOLE: 0x2d, // '-'
  UNDEFINED: 0x5f, // '_'
  NULL: 0x30, // '0'
  TRUE: 0x54, // 'T'
  FALSE: 0x46, // 'F'
  INT32: 0x49, // 'I'
  UINT32: 0x55, // 'U'
  DOUBLE: 0x4e, // 'N'
  BIGINT: 0x5a, // 'Z'
  UTF8_STRING: 0x53, // 'S'
  ONE_BYTE_STRING: 0x22, // '"'
  TWO_BYTE_STRING: 0x63, // 'c'
  OBJECT_REFERENCE: 0x5e, // '^'
  BEGIN_OBJECT: 0x6f, // 'o'
  END_OBJECT: 0x7b, // '{'
  BEGIN_SPARSE_ARRAY: 0x61, // 'a'
  END_SPARSE_ARRAY: 0x40, // '@'
  BEGIN_DENSE_ARRAY: 0x41, // 'A'
  END_DENSE_ARRAY: 0x24, // '$'
  DATE: 0x44, // 'D'
  TRUE_OBJECT: 0x79, // 'y'
  FALSE_OBJECT: 0x78, // 'x'
  NUMBER_OBJECT: 0x6e, // 'n'
  BIGINT_OBJECT: 0x7a, // 'z'
  STRING_OBJECT: 0x73, // 's'
  REGEXP: 0x52, // 'R'
  BEGIN_MAP: 0x3b, // ';'
  END_MAP: 0x3a, // ':'
  BEGIN_SET: 0x27, // '\''
  END_SET: 0x2c, // ','
  ARRAY_BUFFER: 0x42, // 'B'
  RESIZABLE_ARRAY_BUFFER: 0x7e, // '~'
  ARRAY_BUFFER_TRANSFER: 0x74, // 't'
  ARRAY_BUFFER_VIEW: 0x56, // 'V'
  SHARED_ARRAY_BUFFER: 0x75, // 'u'
  HOST_OBJECT: 0x5c, // '\\'
  ERROR: 0x72, // 'r'
};

// Sub-tags inside an error record.
const ERROR_TAG = {
  EVAL: 0x45, // 'E'
  RANGE: 0x52, // 'R'
  REFERENCE: 0x46, // 'F'
  SYNTAX: 0x53, // 'S'
  TYPE: 0x54, // 'T'
  URI: 0x55, // 'U'
  MESSAGE: 0x6d, // 'm'
  CAUSE: 0x63, // 'c'
  STACK: 0x73, // 's'
  END: 0x2e, // '.'
};
const kErrorTagByName = {
  __proto__: null,
  EvalError: ERROR_TAG.EVAL,
  RangeError: ERROR_TAG.RANGE,
  ReferenceError: ERROR_TAG.REFERENCE,
  SyntaxError: ERROR_TAG.SYNTAX,
  TypeError: ERROR_TAG.TYPE,
  URIError: ERROR_TAG.URI,
};
const kErrorCtorByTag = new Map([
  [ERROR_TAG.EVAL, EvalError],
  [ERROR_TAG.RANGE, RangeError],
  [ERROR_TAG.REFERENCE, ReferenceError],
  [ERROR_TAG.SYNTAX, SyntaxError],
  [ERROR_TAG.TYPE, TypeError],
  [ERROR_TAG.URI, URIError],
]);

// Typed array kinds inside a 'V' record.
const kViewTags = [
  [Int8Array, 0x62], // 'b'
  [Uint8Array, 0x42], // 'B'
  [Uint8ClampedArray, 0x43], // 'C'
  [Int16Array, 0x77], // 'w'
  [Uint16Array, 0x57], // 'W'
  [Int32Array, 0x64], // 'd'
  [Uint32Array, 0x44], // 'D'
  [Float32Array, 0x66], // 'f'
  [Float64Array, 0x46], // 'F'
  [BigInt64Array, 0x71], // 'q'
  [BigUint64Array, 0x51], // 'Q'
  [DataView, 0x3f], // '?'
];
if (typeof Float16Array === 'function') kViewTags.push([Float16Array, 0x68]); // 'h'
const kViewTagByTag = new Map(kViewTags.map(([ctor, tag]) => [`[object ${ctor.name}]`, tag]));
const kViewCtorByTag = new Map(kViewTags.map(([ctor, tag]) => [tag, ctor]));

// RegExp flag bits.
const kRegExpFlags = [
  ['g', 1], ['i', 2], ['m', 4], ['y', 8], ['u', 16], ['s', 32], ['d', 128], ['v', 256],
];

const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const ObjectPrototypeToString = uncurry(Object.prototype.toString);
const FunctionPrototypeToString = uncurry(Function.prototype.toString);
const hasOwn = uncurry(Object.prototype.hasOwnProperty);
const DateGetTime = uncurry(Date.prototype.getTime);
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const TypedArrayBuffer = uncurry(Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'buffer').get);
const TypedArrayByteOffset = uncurry(Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteOffset').get);
const TypedArrayByteLength = uncurry(Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteLength').get);
const TypedArrayLength = uncurry(Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length').get);
const DataViewBuffer = uncurry(Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get);
const DataViewByteOffset = uncurry(Object.getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get);
const DataViewByteLength = uncurry(Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get);
const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
const StringIteratorPrototype = Object.getPrototypeOf(''[Symbol.iterator]());

const kState = Symbol('kState');

// Arrays made by a Deserializer. V8 creates those with holey elements, which it writes
// back in the sparse format even once full; these are remembered to do the same.
const holeyArrays = new WeakSet();

function lazyBuffer() {
  return require('buffer').Buffer;
}

// Errors Node's C++ layer throws: a plain error with a `code` and a fixed message.
function nativeError(Base, code, message) {
  const err = new Base(message);
  err.code = code;
  return err;
}

function constructCallRequired(name) {
  return nativeError(TypeError, 'ERR_CONSTRUCT_CALL_REQUIRED', `Class constructor ${name} cannot be invoked without 'new'`);
}

function isSmi(value) {
  return (value | 0) === value && !Object.is(value, -0);
}

// An own key that V8 stores as an element: a canonical array index below 2**32 - 1.
function arrayIndexOf(key) {
  if (key.length === 0 || key.length > 10) return -1;
  const n = Number(key);
  if (n >= 4294967295 || String(n) !== key) return -1;
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

// How V8 names a value it cannot clone in "... could not be cloned."
function describeUncloneable(value) {
  if (typeof value === 'function') return FunctionPrototypeToString(value);
  if (typeof value === 'symbol') return String(value);
  if (types.isSymbolObject(value) || types.isGeneratorObject(value) || ArrayBuffer.isView(value)) {
    return ObjectPrototypeToString(value);
  }
  if (types.isProxy(value)) return '#<Object>';
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (descriptor === undefined) continue;
    const ctor = descriptor.value;
    if (typeof ctor === 'function' && ctor.name) return `#<${ctor.name}>`;
    break;
  }
  return '#<Object>';
}

// Objects V8 refuses: everything with internal state the format has no record for.
function isUncloneableObject(value) {
  if (types.isProxy(value) || types.isPromise(value) || types.isWeakMap(value) || types.isWeakSet(value) ||
      types.isArgumentsObject(value) || types.isGeneratorObject(value) || types.isMapIterator(value) ||
      types.isSetIterator(value) || types.isModuleNamespaceObject(value) || types.isSymbolObject(value)) {
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === ArrayIteratorPrototype || proto === StringIteratorPrototype) return true;
  if (typeof WeakRef === 'function' && value instanceof WeakRef) return true;
  return typeof FinalizationRegistry === 'function' && value instanceof FinalizationRegistry;
}

function viewParts(view) {
  if (types.isDataView(view)) return [DataViewBuffer(view), DataViewByteOffset(view), DataViewByteLength(view)];
  return [TypedArrayBuffer(view), TypedArrayByteOffset(view), TypedArrayByteLength(view)];
}

// ---------------------------------------------------------------------------------------
// Serializer

class WriteState {
  constructor() {
    this.bytes = new Uint8Array(64);
    this.length = 0;
    this.ids = new Map();
    this.nextId = 0;
    this.transfers = new Map();
    this.viewsAsHostObjects = false;
    this.scratch = new DataView(new ArrayBuffer(8));
  }

  reserve(extra) {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const bytes = new Uint8Array(size);
    bytes.set(this.bytes.subarray(0, this.length));
    this.bytes = bytes;
  }

  byte(b) {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  varint(n) {
    this.reserve(5);
    n >>>= 0;
    while (n >= 0x80) {
      this.bytes[this.length++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.bytes[this.length++] = n;
  }

  bigVarint(n) {
    this.reserve(10);
    while (n >= 0x80n) {
      this.bytes[this.length++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.bytes[this.length++] = Number(n);
  }

  zigzag(n) {
    this.varint((n << 1) ^ (n >> 31));
  }

  double(value) {
    this.scratch.setFloat64(0, value, true);
    this.raw(new Uint8Array(this.scratch.buffer));
  }

  raw(bytes) {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }
}

function varintSize(n) {
  let size = 1;
  while (n >= 0x80) {
    n >>>= 7;
    size++;
  }
  return size;
}

// Short strings are copied here; longer ones through Buffer's native encoders.
const kShortString = 32;

function writeShortOneByte(state, string) {
  const length = string.length;
  for (let i = 0; i < length; i++) if (string.charCodeAt(i) > 0xff) return false;
  state.byte(TAG.ONE_BYTE_STRING);
  state.varint(length);
  state.reserve(length);
  const bytes = state.bytes;
  let at = state.length;
  for (let i = 0; i < length; i++) bytes[at++] = string.charCodeAt(i);
  state.length = at;
  return true;
}

function writeString(state, string) {
  if (string.length < kShortString && writeShortOneByte(state, string)) return;
  const Buffer = lazyBuffer();
  if (!/[^\x00-\xff]/.test(string)) {
    state.byte(TAG.ONE_BYTE_STRING);
    state.varint(string.length);
    state.raw(Buffer.from(string, 'latin1'));
    return;
  }
  const byteLength = string.length * 2;
  // V8 aligns the UTF-16 payload on an even offset.
  if ((state.length + 1 + varintSize(byteLength)) & 1) state.byte(TAG.PADDING);
  state.byte(TAG.TWO_BYTE_STRING);
  state.varint(byteLength);
  state.raw(Buffer.from(string, 'utf16le'));
}

function writeBigIntContents(state, value) {
  const negative = value < 0n;
  let magnitude = negative ? -value : value;
  const bytes = [];
  while (magnitude > 0n) {
    bytes.push(Number(magnitude & 0xffn));
    magnitude >>= 8n;
  }
  // Digits are 64-bit words.
  while (bytes.length % 8 !== 0) bytes.push(0);
  state.varint(bytes.length * 2 + (negative ? 1 : 0));
  state.raw(bytes);
}

function writeNumber(state, value) {
  if (isSmi(value)) {
    state.byte(TAG.INT32);
    state.zigzag(value);
  } else {
    state.byte(TAG.DOUBLE);
    state.double(value);
  }
}

function writeKey(state, key) {
  const index = arrayIndexOf(key);
  if (index === -1) writeString(state, key);
  else writeNumber(state, index);
}

function Serializer() {
  if (new.target === undefined) throw constructCallRequired('Serializer');
  Object.defineProperty(this, kState, { value: new WriteState(), writable: true });
}

function dataCloneError(serializer, message) {
  const make = serializer._getDataCloneError;
  return typeof make === 'function' ? make.call(serializer, message) : new Error(message);
}

function uncloneable(serializer, value) {
  return dataCloneError(serializer, `${describeUncloneable(value)} could not be cloned.`);
}

function writeValue(serializer, state, value) {
  switch (typeof value) {
    case 'undefined': return state.byte(TAG.UNDEFINED);
    case 'boolean': return state.byte(value ? TAG.TRUE : TAG.FALSE);
    case 'number': return writeNumber(state, value);
    case 'bigint':
      state.byte(TAG.BIGINT);
      return writeBigIntContents(state, value);
    case 'string': return writeString(state, value);
    case 'symbol':
    case 'function':
      throw uncloneable(serializer, value);
  }
  if (value === null) return state.byte(TAG.NULL);
  // V8 writes a view's buffer before the view itself (unless views are host objects).
  if (ArrayBuffer.isView(value) && !state.viewsAsHostObjects && !state.ids.has(value)) {
    writeReceiver(serializer, state, viewParts(value)[0]);
  }
  return writeReceiver(serializer, state, value);
}

function writeReceiver(serializer, state, object) {
  const known = state.ids.get(object);
  if (known !== undefined) {
    state.byte(TAG.OBJECT_REFERENCE);
    state.varint(known);
    return;
  }
  state.ids.set(object, state.nextId++);

  if (Array.isArray(object)) {
    if (types.isProxy(object)) throw uncloneable(serializer, object);
    return writeArray(serializer, state, object);
  }
  // The kind from the toString tag first: brand checks are slow on this engine.
  const tag = ObjectPrototypeToString(object);
  const kind = objectKind(object, tag);
  switch (kind) {
    case 'object':
      if (tag === '[object Object]' ? types.isProxy(object) : isUncloneableObject(object)) {
        throw uncloneable(serializer, object);
      }
      return writePlainObject(serializer, state, object);
    case 'typedarray':
    case 'dataview':
      return writeView(serializer, state, object);
    case 'opaque':
      throw uncloneable(serializer, object);
  }
  writeSpecialObject(serializer, state, object, kind, tag);
}

// Everything but plain objects, arrays and views, by the kind objectKind() found.
function writeSpecialObject(serializer, state, object, kind, tag) {
  if (kind === 'arraybuffer' && tag !== '[object SharedArrayBuffer]') return writeArrayBuffer(serializer, state, object);
  if (kind === 'arraybuffer') {
    const getId = serializer._getSharedArrayBufferId;
    if (typeof getId !== 'function') throw uncloneable(serializer, object);
    const id = getId.call(serializer, object);
    state.byte(TAG.SHARED_ARRAY_BUFFER);
    state.varint(id);
    return;
  }
  if (kind === 'date') {
    state.byte(TAG.DATE);
    state.double(DateGetTime(object));
    return;
  }
  if (kind === 'regexp') {
    state.byte(TAG.REGEXP);
    writeString(state, object.source);
    let bits = 0;
    const flags = object.flags;
    for (const [flag, bit] of kRegExpFlags) if (flags.includes(flag)) bits |= bit;
    state.varint(bits);
    return;
  }
  if (kind === 'map') {
    const entries = [...Map.prototype.entries.call(object)];
    state.byte(TAG.BEGIN_MAP);
    for (const [key, value] of entries) {
      writeValue(serializer, state, key);
      writeValue(serializer, state, value);
    }
    state.byte(TAG.END_MAP);
    state.varint(entries.length * 2);
    return;
  }
  if (kind === 'set') {
    const values = [...Set.prototype.values.call(object)];
    state.byte(TAG.BEGIN_SET);
    for (const value of values) writeValue(serializer, state, value);
    state.byte(TAG.END_SET);
    state.varint(values.length);
    return;
  }
  if (kind === 'error' && types.isNativeError(object)) return writeError(serializer, state, object);
  if (types.isNumberObject(object)) {
    state.byte(TAG.NUMBER_OBJECT);
    state.double(Number.prototype.valueOf.call(object));
    return;
  }
  if (types.isBooleanObject(object)) {
    state.byte(Boolean.prototype.valueOf.call(object) ? TAG.TRUE_OBJECT : TAG.FALSE_OBJECT);
    return;
  }
  if (types.isStringObject(object)) {
    state.byte(TAG.STRING_OBJECT);
    writeString(state, String.prototype.valueOf.call(object));
    return;
  }
  if (types.isBigIntObject(object)) {
    state.byte(TAG.BIGINT_OBJECT);
    writeBigIntContents(state, BigInt.prototype.valueOf.call(object));
    return;
  }
  // An object that looked like a built-in (by its tag or prototype) but is not one.
  if (isUncloneableObject(object)) throw uncloneable(serializer, object);
  writePlainObject(serializer, state, object);
}

function writePlainObject(serializer, state, object) {
  state.byte(TAG.BEGIN_OBJECT);
  const written = writeProperties(serializer, state, object, Object.keys(object));
  state.byte(TAG.END_OBJECT);
  state.varint(written);
}

// Key/value pairs of `keys`, read now (getters run); keys deleted meanwhile are skipped.
function writeProperties(serializer, state, object, keys) {
  let written = 0;
  for (const key of keys) {
    if (!hasOwn(object, key)) continue;
    const value = object[key];
    writeKey(state, key);
    writeValue(serializer, state, value);
    written++;
  }
  return written;
}

function writeArray(serializer, state, array) {
  const length = array.length;
  const keys = Object.keys(array);
  let elementCount = 0;
  while (elementCount < keys.length && arrayIndexOf(keys[elementCount]) !== -1) elementCount++;
  if (elementCount !== length || holeyArrays.has(array)) {
    // Holes: V8 keeps such arrays as holey and writes them as sparse key/value lists.
    state.byte(TAG.BEGIN_SPARSE_ARRAY);
    state.varint(length);
    const written = writeProperties(serializer, state, array, keys);
    state.byte(TAG.END_SPARSE_ARRAY);
    state.varint(written);
    state.varint(length);
    return;
  }
  state.byte(TAG.BEGIN_DENSE_ARRAY);
  state.varint(length);
  // An array of numbers with a non-integer among them has double elements in V8: all of
  // them are written as doubles.
  let allNumbers = length > 0;
  let anyDouble = false;
  for (let i = 0; i < length && allNumbers; i++) {
    const element = array[i];
    if (typeof element !== 'number') allNumbers = false;
    else if (!isSmi(element)) anyDouble = true;
  }
  if (allNumbers && anyDouble) {
    for (let i = 0; i < length; i++) {
      state.byte(TAG.DOUBLE);
      state.double(array[i]);
    }
  } else {
    for (let i = 0; i < length; i++) {
      if (!hasOwn(array, i)) {
        state.byte(TAG.THE_HOLE);
        continue;
      }
      writeValue(serializer, state, array[i]);
    }
  }
  const written = writeProperties(serializer, state, array, keys.slice(length));
  state.byte(TAG.END_DENSE_ARRAY);
  state.varint(written);
  state.varint(length);
}

function writeArrayBuffer(serializer, state, buffer) {
  const transferId = state.transfers.get(buffer);
  if (transferId !== undefined) {
    state.byte(TAG.ARRAY_BUFFER_TRANSFER);
    state.varint(transferId);
    return;
  }
  if (buffer.detached) throw dataCloneError(serializer, 'An ArrayBuffer is detached and could not be cloned.');
  const bytes = new Uint8Array(buffer);
  if (buffer.resizable) {
    state.byte(TAG.RESIZABLE_ARRAY_BUFFER);
    state.varint(buffer.byteLength);
    state.varint(buffer.maxByteLength);
  } else {
    state.byte(TAG.ARRAY_BUFFER);
    state.varint(buffer.byteLength);
  }
  state.raw(bytes);
}

function writeView(serializer, state, view) {
  if (state.viewsAsHostObjects) {
    state.byte(TAG.HOST_OBJECT);
    if (typeof serializer._writeHostObject !== 'function') throw uncloneable(serializer, view);
    serializer._writeHostObject(view);
    return;
  }
  const [buffer, byteOffset, byteLength] = viewParts(view);
  // Flags: bit 0 length-tracking, bit 1 backed by a resizable buffer. A view over a
  // resizable buffer that spans it to the end is taken as length-tracking; V8 writes
  // those with a byte length of 0.
  let flags = 0;
  if (buffer.resizable) {
    flags |= 2;
    if (byteOffset + byteLength === buffer.byteLength) flags |= 1;
  }
  state.byte(TAG.ARRAY_BUFFER_VIEW);
  state.byte(kViewTagByTag.get(ObjectPrototypeToString(view)));
  state.varint(byteOffset);
  state.varint(flags & 1 ? 0 : byteLength);
  state.varint(flags);
}

function writeError(serializer, state, error) {
  state.byte(TAG.ERROR);
  const name = error.name;
  const prototypeTag = typeof name === 'string' ? kErrorTagByName[name] : undefined;
  if (prototypeTag !== undefined) state.varint(prototypeTag);
  const message = Object.getOwnPropertyDescriptor(error, 'message');
  if (message !== undefined && 'value' in message) {
    state.varint(ERROR_TAG.MESSAGE);
    writeString(state, String(message.value));
  }
  const stack = error.stack;
  if (typeof stack === 'string') {
    state.varint(ERROR_TAG.STACK);
    writeString(state, stack);
  }
  const cause = Object.getOwnPropertyDescriptor(error, 'cause');
  if (cause !== undefined && 'value' in cause) {
    state.varint(ERROR_TAG.CAUSE);
    writeValue(serializer, state, cause.value);
  }
  state.varint(ERROR_TAG.END);
}

function invalidArgType(message) {
  return nativeError(TypeError, 'ERR_INVALID_ARG_TYPE', message);
}

const SerializerMethods = {
  writeHeader() {
    const state = this[kState];
    state.byte(TAG.VERSION);
    state.varint(kLatestVersion);
  },
  writeValue(value) {
    writeValue(this, this[kState], value);
    return true;
  },
  releaseBuffer() {
    const state = this[kState];
    // A Buffer of its own (not from the pool): deserialized views may share its memory.
    const result = lazyBuffer().from(state.bytes.slice(0, state.length).buffer);
    state.bytes = new Uint8Array(64);
    state.length = 0;
    return result;
  },
  transferArrayBuffer(id, arrayBuffer) {
    if (!types.isArrayBuffer(arrayBuffer)) throw invalidArgType('arrayBuffer must be an ArrayBuffer');
    this[kState].transfers.set(arrayBuffer, id >>> 0);
  },
  writeUint32(value) {
    this[kState].varint(Number(value) >>> 0);
  },
  writeUint64(hi, lo) {
    this[kState].bigVarint((BigInt(Number(hi) >>> 0) << 32n) | BigInt(Number(lo) >>> 0));
  },
  writeDouble(value) {
    this[kState].double(Number(value));
  },
  writeRawBytes(source) {
    if (!ArrayBuffer.isView(source)) throw invalidArgType('source must be a TypedArray or a DataView');
    const [buffer, byteOffset, byteLength] = viewParts(source);
    this[kState].raw(new Uint8Array(buffer, byteOffset, byteLength));
  },
  _setTreatArrayBufferViewsAsHostObjects(value) {
    this[kState].viewsAsHostObjects = Boolean(value);
  },
};

// ---------------------------------------------------------------------------------------
// Deserializer

// Thrown inside the reader when the data is malformed; readValue turns it into Node's error.
class InvalidData extends Error {}

class ReadState {
  constructor(bytes) {
    this.bytes = bytes;
    this.position = 0;
    this.version = 0;
    this.ids = new Map();
    this.nextId = 0;
    this.transfers = new Map();
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  atEnd() {
    return this.position >= this.bytes.length;
  }

  byte() {
    if (this.position >= this.bytes.length) throw new InvalidData();
    return this.bytes[this.position++];
  }

  varint() {
    let result = 0;
    let shift = 0;
    let b;
    do {
      b = this.byte();
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result >>> 0;
  }

  bigVarint() {
    let result = 0n;
    let shift = 0n;
    let b;
    do {
      b = this.byte();
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    return BigInt.asUintN(64, result);
  }

  zigzag() {
    const n = this.varint();
    return (n >>> 1) ^ -(n & 1);
  }

  double() {
    if (this.position + 8 > this.bytes.length) throw new InvalidData();
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  // Offset of the next `length` bytes, which are skipped.
  skip(length) {
    if (length > this.bytes.length - this.position) throw new InvalidData();
    const offset = this.position;
    this.position += length;
    return offset;
  }

  // The next tag, padding skipped, without consuming it.
  peekTag() {
    let position = this.position;
    while (position < this.bytes.length && this.bytes[position] === TAG.PADDING) position++;
    return position < this.bytes.length ? this.bytes[position] : -1;
  }

  tag() {
    let tag;
    do tag = this.byte(); while (tag === TAG.PADDING);
    return tag;
  }
}

function readStringContents(state, tag) {
  const length = state.varint();
  const offset = state.skip(length);
  if (tag === TAG.ONE_BYTE_STRING && length < kShortString) {
    let string = '';
    for (let i = offset; i < offset + length; i++) string += String.fromCharCode(state.bytes[i]);
    return string;
  }
  const Buffer = lazyBuffer();
  const bytes = Buffer.from(state.bytes.buffer, state.bytes.byteOffset + offset, length);
  switch (tag) {
    case TAG.ONE_BYTE_STRING: return bytes.toString('latin1');
    case TAG.UTF8_STRING: return bytes.toString('utf8');
    case TAG.TWO_BYTE_STRING:
      if (length % 2 !== 0) throw new InvalidData();
      return bytes.toString('utf16le');
  }
  throw new InvalidData();
}

function readString(state) {
  const tag = state.tag();
  if (tag !== TAG.ONE_BYTE_STRING && tag !== TAG.UTF8_STRING && tag !== TAG.TWO_BYTE_STRING) throw new InvalidData();
  return readStringContents(state, tag);
}

function readBigIntContents(state) {
  const bitfield = state.varint();
  const byteLength = bitfield >>> 1;
  const offset = state.skip(byteLength);
  let value = 0n;
  for (let i = byteLength - 1; i >= 0; i--) value = (value << 8n) | BigInt(state.bytes[offset + i]);
  return bitfield & 1 ? -value : value;
}

function Deserializer(buffer) {
  if (new.target === undefined) throw constructCallRequired('Deserializer');
  if (!ArrayBuffer.isView(buffer)) throw invalidArgType('buffer must be a TypedArray or a DataView');
  const [arrayBuffer, byteOffset, byteLength] = viewParts(buffer);
  Object.defineProperty(this, kState, { value: new ReadState(new Uint8Array(arrayBuffer, byteOffset, byteLength)) });
  this.buffer = buffer;
}

function readValue(deserializer, state) {
  let value = readValueInner(deserializer, state);
  // A view record follows the buffer it looks into.
  if ((value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) && state.peekTag() === TAG.ARRAY_BUFFER_VIEW) {
    state.tag();
    value = readView(state, value);
  }
  return value;
}

function remember(state, id, value) {
  state.ids.set(id, value);
  return value;
}

function readValueInner(deserializer, state) {
  const tag = state.tag();
  switch (tag) {
    case TAG.VERIFY_OBJECT_COUNT:
      state.varint();
      return readValueInner(deserializer, state);
    case TAG.UNDEFINED: return undefined;
    case TAG.NULL: return null;
    case TAG.TRUE: return true;
    case TAG.FALSE: return false;
    case TAG.INT32: return state.zigzag();
    case TAG.UINT32: return state.varint();
    case TAG.DOUBLE: return state.double();
    case TAG.BIGINT: return readBigIntContents(state);
    case TAG.UTF8_STRING:
    case TAG.ONE_BYTE_STRING:
    case TAG.TWO_BYTE_STRING:
      return readStringContents(state, tag);
    case TAG.OBJECT_REFERENCE: {
      const id = state.varint();
      if (!state.ids.has(id)) throw new InvalidData();
      return state.ids.get(id);
    }
    case TAG.BEGIN_OBJECT: {
      const object = remember(state, state.nextId++, {});
      readProperties(deserializer, state, object, TAG.END_OBJECT);
      return object;
    }
    case TAG.BEGIN_SPARSE_ARRAY: {
      const length = state.varint();
      const array = remember(state, state.nextId++, new Array(length));
      holeyArrays.add(array);
      readProperties(deserializer, state, array, TAG.END_SPARSE_ARRAY);
      if (state.varint() !== length) throw new InvalidData();
      return array;
    }
    case TAG.BEGIN_DENSE_ARRAY: {
      const length = state.varint();
      if (length > state.bytes.length - state.position) throw new InvalidData();
      const array = remember(state, state.nextId++, new Array(length));
      holeyArrays.add(array);
      for (let i = 0; i < length; i++) {
        if (state.peekTag() === TAG.THE_HOLE) {
          state.tag();
          continue;
        }
        array[i] = readValue(deserializer, state);
      }
      readProperties(deserializer, state, array, TAG.END_DENSE_ARRAY);
      if (state.varint() !== length) throw new InvalidData();
      return array;
    }
    case TAG.DATE: {
      const id = state.nextId++;
      return remember(state, id, new Date(state.double()));
    }
    case TAG.TRUE_OBJECT: return remember(state, state.nextId++, Object(true));
    case TAG.FALSE_OBJECT: return remember(state, state.nextId++, Object(false));
    case TAG.NUMBER_OBJECT: {
      const id = state.nextId++;
      return remember(state, id, Object(state.double()));
    }
    case TAG.BIGINT_OBJECT: {
      const id = state.nextId++;
      return remember(state, id, Object(readBigIntContents(state)));
    }
    case TAG.STRING_OBJECT: {
      const id = state.nextId++;
      return remember(state, id, Object(readString(state)));
    }
    case TAG.REGEXP: {
      const id = state.nextId++;
      const source = readString(state);
      const bits = state.varint();
      let flags = '';
      for (const [flag, bit] of kRegExpFlags) if (bits & bit) flags += flag;
      // An invalid pattern throws the engine's SyntaxError, as in Node.
      return remember(state, id, new RegExp(source, flags));
    }
    case TAG.BEGIN_MAP: {
      const map = remember(state, state.nextId++, new Map());
      let count = 0;
      while (state.peekTag() !== TAG.END_MAP) {
        const key = readValue(deserializer, state);
        const value = readValue(deserializer, state);
        map.set(key, value);
        count += 2;
      }
      state.tag();
      if (state.varint() !== count) throw new InvalidData();
      return map;
    }
    case TAG.BEGIN_SET: {
      const set = remember(state, state.nextId++, new Set());
      let count = 0;
      while (state.peekTag() !== TAG.END_SET) {
        set.add(readValue(deserializer, state));
        count++;
      }
      state.tag();
      if (state.varint() !== count) throw new InvalidData();
      return set;
    }
    case TAG.ARRAY_BUFFER: {
      const id = state.nextId++;
      const byteLength = state.varint();
      const offset = state.skip(byteLength);
      return remember(state, id, state.bytes.slice(offset, offset + byteLength).buffer);
    }
    case TAG.RESIZABLE_ARRAY_BUFFER: {
      const id = state.nextId++;
      const byteLength = state.varint();
      const maxByteLength = state.varint();
      if (byteLength > maxByteLength) throw new InvalidData();
      const offset = state.skip(byteLength);
      const buffer = new ArrayBuffer(byteLength, { maxByteLength });
      new Uint8Array(buffer).set(state.bytes.subarray(offset, offset + byteLength));
      return remember(state, id, buffer);
    }
    case TAG.ARRAY_BUFFER_TRANSFER: {
      const id = state.nextId++;
      const buffer = state.transfers.get(state.varint());
      if (buffer === undefined) throw new InvalidData();
      return remember(state, id, buffer);
    }
    // Node's Deserializer has no way to look up shared buffers by id: it rejects them.
    case TAG.SHARED_ARRAY_BUFFER: throw new InvalidData();
    case TAG.ERROR: return readError(deserializer, state);
    case TAG.HOST_OBJECT: {
      const id = state.nextId++;
      if (typeof deserializer._readHostObject !== 'function') throw new InvalidData();
      const object = deserializer._readHostObject();
      if (object === null || (typeof object !== 'object' && typeof object !== 'function')) throw new InvalidData();
      return remember(state, id, object);
    }
  }
  throw new InvalidData();
}

// Key/value pairs up to `endTag`, then the count V8 wrote, which must match.
function readProperties(deserializer, state, object, endTag) {
  let count = 0;
  while (state.peekTag() !== endTag) {
    const key = readValue(deserializer, state);
    if (typeof key !== 'string' && typeof key !== 'number') throw new InvalidData();
    const value = readValue(deserializer, state);
    if (key === '__proto__') {
      Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      object[key] = value;
    }
    count++;
  }
  state.tag();
  if (state.varint() !== count) throw new InvalidData();
}

function readView(state, buffer) {
  const subtag = state.byte();
  const byteOffset = state.varint();
  const byteLength = state.varint();
  const flags = state.version >= 14 ? state.varint() : 0;
  const id = state.nextId++;
  const Ctor = kViewCtorByTag.get(subtag);
  if (Ctor === undefined || byteOffset + byteLength > buffer.byteLength) throw new InvalidData();
  const elementSize = Ctor.BYTES_PER_ELEMENT ?? 1;
  if (byteOffset % elementSize !== 0 || byteLength % elementSize !== 0) throw new InvalidData();
  const lengthTracking = (flags & 1) !== 0;
  const view = lengthTracking ? new Ctor(buffer, byteOffset) :
    new Ctor(buffer, byteOffset, Ctor === DataView ? byteLength : byteLength / elementSize);
  return remember(state, id, view);
}

function readError(deserializer, state) {
  const id = state.nextId++;
  let Ctor = Error;
  let message;
  let stack;
  let cause;
  let hasCause = false;
  for (;;) {
    const tag = state.varint();
    if (tag === ERROR_TAG.END) break;
    if (kErrorCtorByTag.has(tag)) {
      Ctor = kErrorCtorByTag.get(tag);
    } else if (tag === ERROR_TAG.MESSAGE) {
      message = readString(state);
    } else if (tag === ERROR_TAG.STACK) {
      stack = readString(state);
    } else if (tag === ERROR_TAG.CAUSE) {
      cause = readValue(deserializer, state);
      hasCause = true;
    } else {
      throw new InvalidData();
    }
  }
  const error = message === undefined ? new Ctor() : new Ctor(message);
  if (hasCause) Object.defineProperty(error, 'cause', { value: cause, writable: true, enumerable: false, configurable: true });
  if (stack !== undefined) Object.defineProperty(error, 'stack', { value: stack, writable: true, enumerable: false, configurable: true });
  else delete error.stack;
  return remember(state, id, error);
}

function readFailed(what) {
  return new Error(`${what}() failed`);
}

const DeserializerMethods = {
  readHeader() {
    const state = this[kState];
    try {
      if (state.peekTag() !== TAG.VERSION) throw new InvalidData();
      state.tag();
      const version = state.varint();
      if (version > kLatestVersion) throw new InvalidData();
      state.version = version;
    } catch (err) {
      if (err instanceof InvalidData) throw new Error('Unable to deserialize cloned data due to invalid or unsupported version.');
      throw err;
    }
    return true;
  },
  readValue() {
    const state = this[kState];
    try {
      return readValue(this, state);
    } catch (err) {
      if (err instanceof InvalidData || err instanceof RangeError) throw new Error('Unable to deserialize cloned data.');
      throw err;
    }
  },
  getWireFormatVersion() {
    return this[kState].version;
  },
  transferArrayBuffer(id, arrayBuffer) {
    if (!types.isAnyArrayBuffer(arrayBuffer)) {
      throw invalidArgType('arrayBuffer must be an ArrayBuffer or SharedArrayBuffer');
    }
    this[kState].transfers.set(id >>> 0, arrayBuffer);
  },
  readUint32() {
    try {
      return this[kState].varint();
    } catch {
      throw readFailed('ReadUint32');
    }
  },
  readUint64() {
    let value;
    try {
      value = this[kState].bigVarint();
    } catch {
      throw readFailed('ReadUint64');
    }
    return [Number(value >> 32n), Number(value & 0xffffffffn)];
  },
  readDouble() {
    try {
      return this[kState].double();
    } catch {
      throw readFailed('ReadDouble');
    }
  },
  // The offset (into `this.buffer`) of the next `length` bytes, which are consumed.
  _readRawBytes(length) {
    try {
      return this[kState].skip(Number(length) >>> 0);
    } catch {
      throw readFailed('ReadRawBytes');
    }
  },
};

function readRawBytes(length) {
  const offset = this._readRawBytes(length);
  const [buffer, byteOffset] = viewParts(this.buffer);
  return lazyBuffer().from(buffer, byteOffset + offset, Number(length) >>> 0);
}

// Prototype methods non-enumerable, in Node's order ('constructor' after the natives).
function defineMethods(ctor, methods, after) {
  const proto = ctor.prototype;
  delete proto.constructor;
  for (const [name, fn] of Object.entries({ ...methods, constructor: ctor, ...after })) {
    Object.defineProperty(proto, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
}

defineMethods(Serializer, SerializerMethods, { _getDataCloneError: Error });
defineMethods(Deserializer, DeserializerMethods, { readRawBytes });

module.exports = { Serializer, Deserializer, viewParts };
