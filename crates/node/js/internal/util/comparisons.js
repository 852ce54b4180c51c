'use strict';
// Deep equality for assert.deepEqual (loose), assert.deepStrictEqual / util.isDeepStrictEqual
// (strict) and assert.partialDeepStrictEqual (partial: `expected` may leave things out).
//
// Rules, as Node applies them:
// - loose: primitives by == (NaN equals NaN), prototypes and symbol keys ignored;
// - strict: primitives by Object.is, prototypes must match (or share a defined constructor),
//   enumerable own symbol keys compared;
// - partial: like strict without the prototype check; objects, Maps and Sets of `expected`
//   need only be contained in `actual`, arrays (and typed arrays, buffers) are subsequences.
// Both sides must have the same Object.prototype.toString tag. Cycles compare equal when
// both sides reach them at the same depth.

const types = require('internal/util/types');
const { objectKind } = require('internal/util/object_kind');

const kLoose = 0;
const kStrict = 1;
const kPartial = 2;
// Nesting depth below which objects are not recorded for cycle detection.
const kUntrackedDepth = 16;

const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const ObjectIs = Object.is;
const ObjectKeys = Object.keys;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
// Called with .call() on hot paths, which this engine runs faster than uncurried functions.
const { toString: objectToString, propertyIsEnumerable: isEnumerable } = Object.prototype;
const hasOwn = Object.hasOwn;
const propertyIsEnumerable = (obj, key) => isEnumerable.call(obj, key);
const ArrayIsArray = Array.isArray;
const NumberIsNaN = Number.isNaN;
const DateGetTime = uncurry(Date.prototype.getTime);
const RegExpSource = uncurry(Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get);
const RegExpFlags = uncurry(Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get);
const NumberValueOf = uncurry(Number.prototype.valueOf);
const StringValueOf = uncurry(String.prototype.valueOf);
const BooleanValueOf = uncurry(Boolean.prototype.valueOf);
const BigIntValueOf = uncurry(BigInt.prototype.valueOf);
const SymbolValueOf = uncurry(Symbol.prototype.valueOf);
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArrayLength = uncurry(Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length').get);

function isArrayIndex(key) {
  if (typeof key !== 'string' || key.length === 0 || key.length > 10) return false;
  const n = +key;
  return n >>> 0 === n && n !== 4294967295 && String(n) === key;
}

// Own enumerable keys the comparison looks at (symbols only when not loose), leaving out
// array indices when `skipIndices` is set.
function comparedKeys(obj, mode, skipIndices) {
  let keys = ObjectKeys(obj);
  if (skipIndices) {
    // Index keys come first, in order: the others are the tail.
    let start = keys.length;
    while (start > 0 && !isArrayIndex(keys[start - 1])) start--;
    keys = keys.slice(start);
  }
  if (mode !== kLoose) {
    for (const symbol of ObjectGetOwnPropertySymbols(obj)) {
      if (propertyIsEnumerable(obj, symbol)) keys.push(symbol);
    }
  }
  return keys;
}

// Compares the `keys` of `a` (of `b`, the expected value, in partial mode) with the same
// keys of the other side. Outside partial mode both sides must have the same key set.
function keysEquiv(a, b, mode, memos, keys, skipIndices = false) {
  if (mode === kPartial) {
    for (const key of keys) {
      if (!hasOwn(a, key) || !propertyIsEnumerable(a, key)) return false;
      if (!innerDeepEqual(a[key], b[key], mode, memos)) return false;
    }
    return true;
  }
  const otherKeys = comparedKeys(b, mode, skipIndices);
  if (keys.length !== otherKeys.length) return false;
  for (const key of keys) {
    if (!isEnumerable.call(b, key)) return false;
  }
  for (const key of keys) {
    if (!innerDeepEqual(a[key], b[key], mode, memos)) return false;
  }
  return true;
}

function prototypesMatch(a, b) {
  if (ObjectGetPrototypeOf(a) === ObjectGetPrototypeOf(b)) return true;
  // Node accepts different prototypes that lead to the same defined constructor.
  const ctor = a.constructor;
  return ctor !== undefined && ctor === b.constructor;
}

function boxedEquiv(a, b) {
  if (types.isNumberObject(a)) return types.isNumberObject(b) && ObjectIs(NumberValueOf(a), NumberValueOf(b));
  if (types.isStringObject(a)) return types.isStringObject(b) && StringValueOf(a) === StringValueOf(b);
  if (types.isBooleanObject(a)) return types.isBooleanObject(b) && BooleanValueOf(a) === BooleanValueOf(b);
  if (types.isBigIntObject(a)) return types.isBigIntObject(b) && BigIntValueOf(a) === BigIntValueOf(b);
  return types.isSymbolObject(b) && SymbolValueOf(a) === SymbolValueOf(b);
}

function errorEquiv(a, b, mode, memos) {
  if (a.message !== b.message || a.name !== b.name) return false;
  for (const key of ['cause', 'errors']) {
    const inA = hasOwn(a, key);
    const inB = hasOwn(b, key);
    if (mode === kPartial ? inB && (!inA || !innerDeepEqual(a[key], b[key], mode, memos))
      : inA !== inB || (inA && !innerDeepEqual(a[key], b[key], mode, memos))) {
      return false;
    }
  }
  return true;
}

function bytesOf(value) {
  if (!ArrayBuffer.isView(value)) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

// Is `expected` a subsequence of `actual`, element by element with `equal`?
function isSubsequence(actual, expected, equal) {
  let i = 0;
  for (let j = 0; j < expected.length; j++) {
    if (!hasOwn(expected, j)) continue;
    while (i < actual.length && !(hasOwn(actual, i) && equal(actual[i], expected[j]))) i++;
    if (i === actual.length) return false;
    i++;
  }
  return true;
}

function bytesEquiv(a, b, mode) {
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (mode === kPartial) return isSubsequence(x, y, (p, q) => p === q);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return false;
  }
  return true;
}

function isFloatArray(value) {
  return types.isFloat32Array(value) || types.isFloat64Array(value) ||
    (typeof types.isFloat16Array === 'function' && types.isFloat16Array(value));
}

function typedArrayEquiv(a, b, mode) {
  if (mode === kPartial) return isSubsequence(a, b, ObjectIs);
  const length = TypedArrayLength(a);
  if (length !== TypedArrayLength(b)) return false;
  if (!isFloatArray(a)) return bytesEquiv(a, b, mode);
  // Floats: strict tells -0 from 0 and matches NaN; loose is ==.
  for (let i = 0; i < length; i++) {
    if (mode === kLoose ? a[i] != b[i] : !ObjectIs(a[i], b[i])) return false; // eslint-disable-line eqeqeq
  }
  return true;
}

function arrayEquiv(a, b, mode, memos) {
  if (mode === kPartial) {
    if (!isSubsequence(a, b, (x, y) => innerDeepEqual(x, y, mode, memos))) return false;
    return keysEquiv(a, b, mode, memos, comparedKeys(b, mode, true));
  }
  const length = a.length;
  if (length !== b.length) return false;
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    // Only an undefined read can be a hole; holes must line up.
    if ((x === undefined || y === undefined) && hasOwn(a, i) !== hasOwn(b, i)) return false;
    if (!innerDeepEqual(x, y, mode, memos)) return false;
  }
  // Same holes and elements; the rest of the keys (and symbols) compare like an object's.
  const keys = comparedKeys(a, mode, true);
  const otherKeys = comparedKeys(b, mode, true);
  if (keys.length !== otherKeys.length) return false;
  for (const key of keys) {
    if (!hasOwn(b, key) || !propertyIsEnumerable(b, key)) return false;
    if (!innerDeepEqual(a[key], b[key], mode, memos)) return false;
  }
  return true;
}

function isObjectLike(value) {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

// Compares a value of the side whose members are looked up (`small`: actual, or expected in
// partial mode) with one of the other side, keeping actual first as partial mode needs.
function equalAcross(smallValue, bigValue, mode, memos) {
  return mode === kPartial ? innerDeepEqual(bigValue, smallValue, mode, memos) :
    innerDeepEqual(smallValue, bigValue, mode, memos);
}

// Takes out of `candidates` the first one `equal` to `value`; false when none is.
function takeMatch(candidates, value, equal) {
  for (let i = 0; i < candidates.length; i++) {
    if (equal(value, candidates[i])) {
      candidates.splice(i, 1);
      return true;
    }
  }
  return false;
}

function sizesFit(a, b, mode) {
  return mode === kPartial ? b.size <= a.size : a.size === b.size;
}

// Sets: members found by SameValueZero match themselves; the others (objects, and in loose
// mode primitives equal by ==) must pair up one to one with the other side's leftovers.
function setEquiv(a, b, mode, memos) {
  if (!sizesFit(a, b, mode)) return false;
  const small = mode === kPartial ? b : a;
  const big = mode === kPartial ? a : b;
  let unmatched;
  for (const value of small) {
    if (big.has(value)) continue;
    if (!isObjectLike(value) && mode !== kLoose) return false;
    (unmatched ??= []).push(value);
  }
  if (unmatched === undefined) return true;
  const candidates = [];
  for (const value of big) {
    if (!small.has(value) && (isObjectLike(value) || mode === kLoose)) candidates.push(value);
  }
  const equal = (value, candidate) => equalAcross(value, candidate, mode, memos);
  return unmatched.every((value) => takeMatch(candidates, value, equal));
}

// Maps: entries whose key the other side has compare values; the rest pair up by key and
// value like set members.
function mapEquiv(a, b, mode, memos) {
  if (!sizesFit(a, b, mode)) return false;
  const small = mode === kPartial ? b : a;
  const big = mode === kPartial ? a : b;
  let unmatched;
  for (const [key, value] of small) {
    if (big.has(key)) {
      if (!equalAcross(value, big.get(key), mode, memos)) return false;
      continue;
    }
    if (!isObjectLike(key) && mode !== kLoose) return false;
    (unmatched ??= []).push([key, value]);
  }
  if (unmatched === undefined) return true;
  const candidates = [];
  for (const entry of big) {
    if (!small.has(entry[0]) && (isObjectLike(entry[0]) || mode === kLoose)) candidates.push(entry);
  }
  const equal = (entry, candidate) => equalAcross(entry[0], candidate[0], mode, memos) &&
    equalAcross(entry[1], candidate[1], mode, memos);
  return unmatched.every((entry) => takeMatch(candidates, entry, equal));
}

function objectEquiv(a, b, mode, memos) {
  const tag = objectToString.call(a);
  if (tag !== objectToString.call(b)) return false;
  if (mode === kStrict && !prototypesMatch(a, b)) return false;
  const isArray = ArrayIsArray(a);
  if (isArray !== ArrayIsArray(b)) return false;

  // Cycles: equal when both sides come back to an object at the same depth. Shallow values
  // cannot cycle yet, so tracking starts some levels down.
  if (memos.depth < kUntrackedDepth) {
    memos.depth++;
    try {
      return objectContentEquiv(a, b, mode, memos, isArray, tag);
    } finally {
      memos.depth--;
    }
  }
  memos.a ??= new Map();
  memos.b ??= new Map();
  const seenA = memos.a.get(a);
  if (seenA !== undefined) {
    const seenB = memos.b.get(b);
    if (seenB !== undefined) return seenA === seenB;
  }
  const depth = memos.depth++;
  const previousA = seenA;
  const previousB = memos.b.get(b);
  memos.a.set(a, depth);
  memos.b.set(b, depth);
  try {
    return objectContentEquiv(a, b, mode, memos, isArray, tag);
  } finally {
    memos.depth--;
    if (previousA === undefined) memos.a.delete(a);
    else memos.a.set(a, previousA);
    if (previousB === undefined) memos.b.delete(b);
    else memos.b.set(b, previousB);
  }
}

function objectContentEquiv(a, b, mode, memos, isArray, tag) {
  if (isArray) return arrayEquiv(a, b, mode, memos);
  const kind = objectKind(a, tag);
  if (kind !== objectKind(b, tag)) return false;
  // For the partial mode, keys come from `expected`, the second argument.
  const keySource = mode === kPartial ? b : a;
  let skipIndices = false;
  switch (kind) {
    case 'date':
      if (!ObjectIs(DateGetTime(a), DateGetTime(b))) return false;
      break;
    case 'regexp':
      if (RegExpSource(a) !== RegExpSource(b) || RegExpFlags(a) !== RegExpFlags(b) || a.lastIndex !== b.lastIndex) {
        return false;
      }
      break;
    case 'error':
      if (!errorEquiv(a, b, mode, memos)) return false;
      break;
    case 'typedarray':
      if (!typedArrayEquiv(a, b, mode)) return false;
      skipIndices = true;
      break;
    case 'dataview':
    case 'arraybuffer':
      if ((mode !== kPartial && a.byteLength !== b.byteLength) || !bytesEquiv(a, b, mode)) return false;
      break;
    case 'boxed':
      if (!boxedEquiv(a, b)) return false;
      // A String object's characters are index keys.
      skipIndices = types.isStringObject(a);
      break;
    case 'set':
      if (!setEquiv(a, b, mode, memos)) return false;
      break;
    case 'map':
      if (!mapEquiv(a, b, mode, memos)) return false;
      break;
    case 'opaque':
      // WeakMaps, WeakSets, promises: contents cannot be read, only the same object is equal.
      return false;
    default:
      break;
  }
  return keysEquiv(a, b, mode, memos, comparedKeys(keySource, mode, skipIndices), skipIndices);
}

function innerDeepEqual(a, b, mode, memos) {
  if (a === b) return a !== 0 || ObjectIs(a, b) || mode === kLoose;
  if (mode === kLoose) {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') {
        return a == b || (NumberIsNaN(a) && NumberIsNaN(b)); // eslint-disable-line eqeqeq
      }
      return false;
    }
    if (b === null || typeof b !== 'object') return false;
  } else {
    if (typeof a !== 'object') return typeof a === 'number' && NumberIsNaN(a) && NumberIsNaN(b);
    if (typeof b !== 'object' || a === null || b === null) return false;
  }
  return objectEquiv(a, b, mode, memos);
}

function newMemos() {
  return { a: undefined, b: undefined, depth: 0 };
}

function isDeepEqual(a, b) {
  return innerDeepEqual(a, b, kLoose, newMemos());
}

function isDeepStrictEqual(a, b) {
  return innerDeepEqual(a, b, kStrict, newMemos());
}

// Whether `expected` is contained in `actual`.
function isPartialStrictEqual(actual, expected) {
  return innerDeepEqual(actual, expected, kPartial, newMemos());
}

module.exports = { isDeepEqual, isDeepStrictEqual, isPartialStrictEqual };
