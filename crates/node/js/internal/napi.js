'use strict';
// The JS half of Node-API (crates/node/src/napi.rs): what addons ask of objects that the
// engine's C API cannot do directly (keys of any type, property descriptors, classes,
// typed array kinds, BigInt words...).

const { Buffer } = require('buffer');
const types = require('internal/util/types');

const typedArrayKinds = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
];
const TypedArray = Object.getPrototypeOf(Uint8Array);
const kindOf = Function.prototype.call.bind(Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get);

// napi_key_filter bits.
const KEY_WRITABLE = 1;
const KEY_ENUMERABLE = 2;
const KEY_CONFIGURABLE = 4;
const KEY_SKIP_STRINGS = 8;
const KEY_SKIP_SYMBOLS = 16;

function propertyNames(object, ownOnly, filter, numbersToStrings) {
  const names = [];
  const seen = new Set();
  for (let o = object; o !== null; o = ownOnly ? null : Object.getPrototypeOf(o)) {
    for (const key of Reflect.ownKeys(o)) {
      if (seen.has(key)) continue;
      seen.add(key);
      if (typeof key === 'symbol' ? filter & KEY_SKIP_SYMBOLS : filter & KEY_SKIP_STRINGS) continue;
      const d = Reflect.getOwnPropertyDescriptor(o, key);
      if (filter & KEY_ENUMERABLE && !d.enumerable) continue;
      if (filter & KEY_WRITABLE && !d.writable) continue;
      if (filter & KEY_CONFIGURABLE && !d.configurable) continue;
      const index = typeof key === 'string' && !numbersToStrings && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
      names.push(index);
    }
  }
  return names;
}

// A class whose constructor runs the addon's callback with `new.target` first (undefined
// when called without `new`, which V8's function templates allow too).
function makeClass(name, construct) {
  const cls = {
    [name]: function (...args) {
      const result = Reflect.apply(construct, this, [new.target, ...args]);
      return result !== null && (typeof result === 'object' || typeof result === 'function') ? result : this;
    },
  }[name];
  return cls;
}

function makeError(kind, code, message) {
  const error = new kind(message);
  if (code !== undefined) error.code = code;
  return error;
}

// napi_typedarray_type of a typed array.
function typedArrayType(view) {
  return typedArrayKinds.findIndex((kind) => kind.name === kindOf(view));
}

function bigintToWords(value) {
  const sign = value < 0n ? 1 : 0;
  let magnitude = sign ? -value : value;
  const words = [];
  do {
    words.push(magnitude & 0xffffffffffffffffn);
    magnitude >>= 64n;
  } while (magnitude > 0n);
  return [sign, words];
}

function bigintFromWords(sign, words) {
  let value = 0n;
  for (let i = words.length - 1; i >= 0; i--) value = (value << 64n) | BigInt.asUintN(64, words[i]);
  return sign ? -value : value;
}

module.exports = {
  getProperty: (object, key) => object[key],
  setProperty: (object, key, value) => Reflect.set(object, key, value),
  hasProperty: (object, key) => key in object,
  hasOwnProperty: (object, key) => Object.prototype.hasOwnProperty.call(object, key),
  deleteProperty: (object, key) => Reflect.deleteProperty(object, key),
  defineProperty: (object, key, descriptor) => Object.defineProperty(object, key, descriptor),
  propertyNames,
  instanceOf: (object, constructor) => object instanceof constructor,
  makeClass,
  makeError,
  isError: (value) => types.isNativeError(value) || value instanceof Error,
  isDate: (value) => types.isDate(value),
  makeDate: (time) => new Date(time),
  dateValue: (date) => Date.prototype.valueOf.call(date),
  isPromise: (value) => types.isPromise(value),
  isArrayBuffer: (value) => types.isArrayBuffer(value),
  isDetached: (buffer) => buffer.detached,
  detach: (buffer) => void buffer.transfer(),
  isTypedArray: (value) => types.isTypedArray(value),
  isDataView: (value) => types.isDataView(value),
  isBuffer: (value) => types.isUint8Array(value),
  typedArrayType,
  makeTypedArray: (type, buffer, offset, length) => new typedArrayKinds[type](buffer, offset, length),
  makeDataView: (buffer, offset, length) => new DataView(buffer, offset, length),
  toBuffer: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  symbol: (description) => Symbol(description),
  symbolFor: (description) => Symbol.for(description),
  bigint: (text) => BigInt(text),
  bigintToWords,
  bigintFromWords,
  bigintToString: (value) => value.toString(),
  freeze: (object) => void Object.freeze(object),
  seal: (object) => void Object.seal(object),
  coerceToObject: (value) => Object(value),
  coerceToString: (value) => `${value}`,
  coerceToNumber: (value) => +value,
  // napi_add_finalizer: a hidden holder that dies with the object.
  attachFinalizer: (object, holder) => void Object.defineProperty(object, Symbol('napi finalizer'), { value: holder }),
  fatalException: (error) => require('internal/fatal_exception').onUncaughtException(error),
  // napi_wrap: object → holder of the native pointer; napi_type_tag_object: object → tag.
  wraps: new WeakMap(),
  tags: new WeakMap(),
};
