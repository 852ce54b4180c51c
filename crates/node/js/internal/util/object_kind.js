'use strict';
// The kind of built-in object a value is ('map', 'date', 'typedarray', ... or 'object'),
// found cheaply: util.types' brand checks throw (and catch) on a mismatch, which is slow
// on this engine, so the Object.prototype.toString tag picks the one candidate to
// confirm. Values whose tag may be overridden fall back to trying every check.

const types = require('internal/util/types');

const ObjectPrototypeToString = Function.prototype.call.bind(Object.prototype.toString);
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ArrayBufferIsView = ArrayBuffer.isView;

function isErrorObject(value) {
  return types.isNativeError(value) || value instanceof Error;
}

// [tag, kind, brand check] for the built-ins with their own comparison or cloning rules.
const kByTag = new Map([
  ['[object Date]', ['date', types.isDate]],
  ['[object RegExp]', ['regexp', types.isRegExp]],
  ['[object Map]', ['map', types.isMap]],
  ['[object Set]', ['set', types.isSet]],
  ['[object Error]', ['error', isErrorObject]],
  ['[object ArrayBuffer]', ['arraybuffer', types.isArrayBuffer]],
  ['[object SharedArrayBuffer]', ['arraybuffer', types.isSharedArrayBuffer]],
  ['[object Number]', ['boxed', types.isNumberObject]],
  ['[object String]', ['boxed', types.isStringObject]],
  ['[object Boolean]', ['boxed', types.isBooleanObject]],
  ['[object BigInt]', ['boxed', types.isBigIntObject]],
  ['[object Symbol]', ['boxed', types.isSymbolObject]],
  ['[object WeakMap]', ['opaque', types.isWeakMap]],
  ['[object WeakSet]', ['opaque', types.isWeakSet]],
  ['[object Promise]', ['opaque', types.isPromise]],
  ['[object WeakRef]', ['opaque', (value) => value instanceof WeakRef]],
]);

const kBuiltins = [Map, Set, Date, RegExp, Error, ArrayBuffer, DataView, Number, String, Boolean, WeakMap, WeakSet,
  Promise];
if (typeof SharedArrayBuffer === 'function') kBuiltins.push(SharedArrayBuffer);

function inheritsBuiltin(value) {
  if (ArrayBufferIsView(value)) return true;
  for (const Builtin of kBuiltins) {
    if (value instanceof Builtin) return true;
  }
  return false;
}

// Every check in turn, for values whose tag says nothing reliable.
function slowKind(value) {
  if (ArrayBufferIsView(value)) return types.isTypedArray(value) ? 'typedarray' : 'dataview';
  if (types.isDate(value)) return 'date';
  if (types.isRegExp(value)) return 'regexp';
  if (isErrorObject(value)) return 'error';
  if (types.isAnyArrayBuffer(value)) return 'arraybuffer';
  if (types.isBoxedPrimitive(value)) return 'boxed';
  if (types.isMap(value)) return 'map';
  if (types.isSet(value)) return 'set';
  if (types.isWeakMap(value) || types.isWeakSet(value) || types.isPromise(value) ||
      (typeof WeakRef === 'function' && value instanceof WeakRef)) {
    return 'opaque';
  }
  return 'object';
}

// `tag` is Object.prototype.toString(value) when the caller has it already.
function objectKind(value, tag = ObjectPrototypeToString(value)) {
  if (ArrayBufferIsView(value)) return types.isTypedArray(value) ? 'typedarray' : 'dataview';
  const candidate = kByTag.get(tag);
  if (candidate !== undefined) return candidate[1](value) ? candidate[0] : slowKind(value);
  // Any other tag hides a built-in only behind an overridden Symbol.toStringTag, and then
  // (within this realm) the built-in's prototype is still in the chain.
  const proto = ObjectGetPrototypeOf(value);
  if (proto === Object.prototype || proto === Array.prototype || proto === null) return 'object';
  return inheritsBuiltin(value) ? slowKind(value) : 'object';
}

module.exports = { objectKind };
