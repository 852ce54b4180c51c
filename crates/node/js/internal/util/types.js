'use strict';

// util.types: brand checks for built-in objects.
//
// JavaScriptCore gives no access to internal slots from JS, so every check
// here asks a built-in method that only succeeds on the genuine object (a
// getter or method that throws a TypeError on anything else). That makes the
// checks immune to `instanceof` tricks, Symbol.toStringTag spoofing and
// prototype swapping, and makes them work across realms. The built-ins are
// saved at load time so later patching by user code has no effect.

const { getPromiseDetails, getProxyDetails, getCellType } = internalBinding('util');

const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectIsExtensible = Object.isExtensible;
const ObjectPrototypeToString = Object.prototype.toString;
const FunctionPrototypeCall = Function.prototype.call;
const FunctionPrototypeToString = Function.prototype.toString;
const ArrayBufferIsView = ArrayBuffer.isView;
const ErrorIsError = typeof Error.isError === 'function' ? Error.isError : undefined;
const ErrorPrototype = Error.prototype;
const SymbolToStringTag = Symbol.toStringTag;

// `uncurry(fn)(thisArg, ...args)` calls a saved built-in on `thisArg`.
const uncurry = FunctionPrototypeCall.bind.bind(FunctionPrototypeCall);

function getter(proto, name) {
  return uncurry(ObjectGetOwnPropertyDescriptor(proto, name).get);
}

const MapSize = getter(Map.prototype, 'size');
const SetSize = getter(Set.prototype, 'size');
const WeakMapHas = uncurry(WeakMap.prototype.has);
const WeakSetHas = uncurry(WeakSet.prototype.has);
const DateGetTime = uncurry(Date.prototype.getTime);
// The `global` getter returns a boolean for real regular expressions,
// undefined for RegExp.prototype itself and throws for anything else.
const RegExpGlobal = getter(RegExp.prototype, 'global');
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArrayTag = getter(TypedArrayPrototype, SymbolToStringTag);
const ArrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const SharedArrayBufferByteLength = typeof SharedArrayBuffer === 'function' ?
  getter(SharedArrayBuffer.prototype, 'byteLength') : undefined;
// `buffer` (unlike `byteLength`) does not throw for detached views.
const DataViewBuffer = getter(DataView.prototype, 'buffer');
const NumberValueOf = uncurry(Number.prototype.valueOf);
const StringValueOf = uncurry(String.prototype.valueOf);
const BooleanValueOf = uncurry(Boolean.prototype.valueOf);
const BigIntValueOf = uncurry(BigInt.prototype.valueOf);
const SymbolValueOf = uncurry(Symbol.prototype.valueOf);
const toStringTag = uncurry(ObjectPrototypeToString);
const functionSource = uncurry(FunctionPrototypeToString);

// Prototypes of objects that have no side-effect free brand check.
const GeneratorPrototype = ObjectGetPrototypeOf(function* () {}.prototype);
const AsyncGeneratorPrototype =
  ObjectGetPrototypeOf(async function* () {}.prototype);
const MapIteratorPrototype = ObjectGetPrototypeOf(new Map().entries());
const SetIteratorPrototype = ObjectGetPrototypeOf(new Set().values());

function isObjectLike(value) {
  return (typeof value === 'object' && value !== null) ||
    typeof value === 'function';
}

// Runs a brand-checking built-in; true when it accepts `value`.
function passes(check, value) {
  if (!isObjectLike(value)) return false;
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

// One native call reads the engine's cell type, where a brand check that fails throws
// and catches (~1 µs each on JSC). A kind uses it only when its sample's cell type is
// its own: not shared with plain objects, arrays, functions or another kind.
const kSamples = {
  map: () => new Map(),
  set: () => new Set(),
  weakMap: () => new WeakMap(),
  weakSet: () => new WeakSet(),
  date: () => new Date(0),
  regExp: () => /x/,
  number: () => new Number(0),
  string: () => new String(''),
  boolean: () => new Boolean(false),
  bigint: () => Object(0n),
  symbol: () => Object(Symbol('')),
  arrayBuffer: () => new ArrayBuffer(0),
  sharedArrayBuffer: () => (typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(0) : {}),
  dataView: () => new DataView(new ArrayBuffer(0)),
};
const kCellTypes = (() => {
  const plain = [{}, Object.create(null), [], function () {}, () => {}, new (class {})()].map(getCellType);
  const types = {};
  for (const kind of Object.keys(kSamples)) types[kind] = getCellType(kSamples[kind]());
  const trusted = {};
  for (const kind of Object.keys(types)) {
    const type = types[kind];
    const shared = plain.includes(type) || Object.keys(types).some((other) => other !== kind && types[other] === type);
    if (type !== 0 && !shared) trusted[kind] = type;
  }
  return trusted;
})();

function byCellType(kind, slowCheck) {
  const type = kCellTypes[kind];
  if (type === undefined) return slowCheck;
  return (value) => isObjectLike(value) && getCellType(value) === type;
}

function isProxy(value) {
  return isObjectLike(value) && getProxyDetails(value) !== undefined;
}

const isMap = byCellType('map', (value) => passes(MapSize, value));
const isSet = byCellType('set', (value) => passes(SetSize, value));
const isWeakMap = byCellType('weakMap', (value) => passes((v) => WeakMapHas(v, ErrorPrototype), value));
const isWeakSet = byCellType('weakSet', (value) => passes((v) => WeakSetHas(v, ErrorPrototype), value));
const isDate = byCellType('date', (value) => passes(DateGetTime, value));
const isRegExp = byCellType('regExp', (value) => {
  if (!isObjectLike(value)) return false;
  try {
    return typeof RegExpGlobal(value) === 'boolean';
  } catch {
    return false;
  }
});

function isPromise(value) {
  return isObjectLike(value) && getPromiseDetails(value) !== undefined;
}

function isTypedArray(value) {
  return isObjectLike(value) && TypedArrayTag(value) !== undefined;
}

function typedArrayCheck(name) {
  return function(value) {
    return isObjectLike(value) && TypedArrayTag(value) === name;
  };
}

const isUint8Array = typedArrayCheck('Uint8Array');
const isUint8ClampedArray = typedArrayCheck('Uint8ClampedArray');
const isUint16Array = typedArrayCheck('Uint16Array');
const isUint32Array = typedArrayCheck('Uint32Array');
const isInt8Array = typedArrayCheck('Int8Array');
const isInt16Array = typedArrayCheck('Int16Array');
const isInt32Array = typedArrayCheck('Int32Array');
const isFloat16Array = typedArrayCheck('Float16Array');
const isFloat32Array = typedArrayCheck('Float32Array');
const isFloat64Array = typedArrayCheck('Float64Array');
const isBigInt64Array = typedArrayCheck('BigInt64Array');
const isBigUint64Array = typedArrayCheck('BigUint64Array');

const isArrayBuffer = byCellType('arrayBuffer', (value) => passes(ArrayBufferByteLength, value));
function isSharedArrayBuffer(value) {
  return SharedArrayBufferByteLength !== undefined &&
    passes(SharedArrayBufferByteLength, value);
}
function isAnyArrayBuffer(value) {
  return isArrayBuffer(value) || isSharedArrayBuffer(value);
}
const isDataView = byCellType('dataView', (value) => passes(DataViewBuffer, value));
function isArrayBufferView(value) { return ArrayBufferIsView(value); }

// valueOf accepts primitives too, so insist on an object first.
function boxedCheck(valueOf) {
  return function(value) {
    return typeof value === 'object' && passes(valueOf, value);
  };
}

const isNumberObject = byCellType('number', boxedCheck(NumberValueOf));
const isStringObject = byCellType('string', boxedCheck(StringValueOf));
const isBooleanObject = byCellType('boolean', boxedCheck(BooleanValueOf));
const isBigIntObject = byCellType('bigint', boxedCheck(BigIntValueOf));
const isSymbolObject = byCellType('symbol', boxedCheck(SymbolValueOf));

function isBoxedPrimitive(value) {
  return isNumberObject(value) || isStringObject(value) ||
    isBooleanObject(value) || isBigIntObject(value) || isSymbolObject(value);
}

// True when Object.prototype.toString(value) may report a Symbol.toStringTag
// instead of the built-in tag. Looks at descriptors only (no getter runs).
function hasStringTag(value) {
  let current = value;
  while (current !== null) {
    if (isProxy(current)) return true;
    const desc = ObjectGetOwnPropertyDescriptor(current, SymbolToStringTag);
    if (desc !== undefined) {
      return desc.get !== undefined || typeof desc.value === 'string';
    }
    current = ObjectGetPrototypeOf(current);
  }
  return false;
}

function inheritsFrom(value, proto) {
  let current = value;
  while (current !== null) {
    current = ObjectGetPrototypeOf(current);
    if (current === proto) return true;
  }
  return false;
}

function isNativeError(value) {
  if (!isObjectLike(value) || isProxy(value)) return false;
  if (ErrorIsError !== undefined) return ErrorIsError(value);
  // Without Error.isError, Object.prototype.toString reveals [[ErrorData]]
  // unless a Symbol.toStringTag overrides it; then fall back to the chain.
  if (hasStringTag(value)) return inheritsFrom(value, ErrorPrototype);
  return toStringTag(value) === '[object Error]';
}

function isArgumentsObject(value) {
  if (typeof value !== 'object' || value === null || isProxy(value)) {
    return false;
  }
  return !hasStringTag(value) && toStringTag(value) === '[object Arguments]';
}

// Namespace objects are the only exotic objects with a null prototype, no
// extensibility and a read-only, non-configurable `Symbol.toStringTag` of
// 'Module'.
function isModuleNamespaceObject(value) {
  if (typeof value !== 'object' || value === null || isProxy(value)) {
    return false;
  }
  if (ObjectGetPrototypeOf(value) !== null || ObjectIsExtensible(value)) {
    return false;
  }
  const desc = ObjectGetOwnPropertyDescriptor(value, SymbolToStringTag);
  return desc !== undefined && desc.value === 'Module' &&
    desc.writable === false && desc.enumerable === false &&
    desc.configurable === false;
}

// Objects without a side-effect free brand check (iterators, generator
// objects) are recognised by the intrinsic prototype they inherit from.
function chainCheck(proto) {
  return function(value) {
    return typeof value === 'object' && value !== null && !isProxy(value) &&
      inheritsFrom(value, proto);
  };
}

const isMapIterator = chainCheck(MapIteratorPrototype);
const isSetIterator = chainCheck(SetIteratorPrototype);
const isSyncGeneratorObject = chainCheck(GeneratorPrototype);
const isAsyncGeneratorObject = chainCheck(AsyncGeneratorPrototype);

function isGeneratorObject(value) {
  return isSyncGeneratorObject(value) || isAsyncGeneratorObject(value);
}

// --- Function kinds -------------------------------------------------------
// The kind of a function (async, generator) is only visible in its source
// text, which Function.prototype.toString returns for every non-native
// function. We read the leading tokens of that text.

function isIdentifierChar(ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
    (ch >= '0' && ch <= '9') || ch === '_' || ch === '$' || ch > '\x7f';
}

// Skips whitespace and comments starting at `i`.
function skipTrivia(src, i) {
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' ||
        ch === '\v' || ch === '\f' || ch === '\u00a0' || ch === '\ufeff' ||
        ch === '\u2028' || ch === '\u2029') {
      i++;
    } else if (ch === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end === -1 ? src.length : end + 2;
    } else {
      break;
    }
  }
  return i;
}

function readWord(src, i) {
  let end = i;
  while (end < src.length && isIdentifierChar(src[end])) end++;
  return src.slice(i, end);
}

// `src[open]` is '('. Returns the index just past the matching ')'.
function skipParens(src, open) {
  let depth = 0;
  let i = open;
  while (i < src.length) {
    i = skipTrivia(src, i);
    const ch = src[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      // Template substitutions are rare in parameter defaults; treat the
      // template as a plain string.
      i++;
      while (i < src.length && src[i] !== ch) i += src[i] === '\\' ? 2 : 1;
    }
    i++;
  }
  return src.length;
}

function functionKind(fn) {
  const kind = { async: false, generator: false };
  if (typeof fn !== 'function') return kind;
  let src;
  try {
    src = functionSource(fn);
  } catch {
    return kind;
  }
  let i = skipTrivia(src, 0);
  let word = readWord(src, i);
  if (word === 'static') {
    const next = skipTrivia(src, i + 6);
    if (src[next] !== '(') {
      i = next;
      word = readWord(src, i);
    }
  }
  if (word === 'async') {
    const next = skipTrivia(src, i + 5);
    if (src[next] === '(') {
      // `async(...) => ...` is an async arrow; `async(...) {}` is a method
      // that happens to be called "async".
      const after = skipTrivia(src, skipParens(src, next));
      kind.async = src[after] === '=' && src[after + 1] === '>';
      return kind;
    }
    if (next < src.length && src[next] !== '=' && src[next] !== '{') {
      kind.async = true;
      i = next;
      word = readWord(src, i);
    }
  }
  if (word === 'function') {
    kind.generator = src[skipTrivia(src, i + 8)] === '*';
  } else {
    kind.generator = src[i] === '*';
  }
  return kind;
}

function isAsyncFunction(value) {
  return functionKind(value).async;
}

function isGeneratorFunction(value) {
  return functionKind(value).generator;
}

function isExternal() { return false; }
// node:crypto brands its KeyObject and CryptoKey instances with these registered symbols.
const kKeyObjectBrand = Symbol.for('ferro.crypto.KeyObject');
const kCryptoKeyBrand = Symbol.for('ferro.crypto.CryptoKey');
function isKeyObject(value) { return value != null && value[kKeyObjectBrand] === true; }
function isCryptoKey(value) { return value != null && value[kCryptoKeyBrand] === true; }

module.exports = {
  isArgumentsObject,
  isArrayBuffer,
  isAsyncFunction,
  isBigIntObject,
  isBooleanObject,
  isDate,
  isExternal,
  isGeneratorFunction,
  isGeneratorObject,
  isMap,
  isMapIterator,
  isModuleNamespaceObject,
  isNativeError,
  isNumberObject,
  isPromise,
  isProxy,
  isRegExp,
  isSet,
  isSetIterator,
  isSharedArrayBuffer,
  isStringObject,
  isSymbolObject,
  isWeakMap,
  isWeakSet,
  isAnyArrayBuffer,
  isBoxedPrimitive,
  isArrayBufferView,
  isDataView,
  isTypedArray,
  isUint8Array,
  isUint8ClampedArray,
  isUint16Array,
  isUint32Array,
  isInt8Array,
  isInt16Array,
  isInt32Array,
  isFloat16Array,
  isFloat32Array,
  isFloat64Array,
  isBigInt64Array,
  isBigUint64Array,
  isKeyObject,
  isCryptoKey,
};
