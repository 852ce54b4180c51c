'use strict';

// util.inspect, util.format and friends, matching Node 24's output.
//
// Layout of this file:
//   1. saved built-ins, options, colors and styles
//   2. inspect() and the per-call context
//   3. formatValue / formatRaw: classify a value and collect its entries
//   4. formatters for each kind of value (arrays, maps, errors, ...)
//   5. layout: joining entries on one line or many, array grouping
//   6. format / formatWithOptions / stripVTControlCharacters
//
// Engine notes (JavaScriptCore):
// * Promise state and Proxy details come from internalBinding('util'):
//   getProxyDetails(value, showProxy) returns undefined for non-proxies,
//   else the target (null once revoked), or with showProxy true the pair
//   `[target, handler]` (handler undefined when the engine can't tell;
//   showProxy then prints `Proxy [ target, <handler unknown> ]`).
// * Error stacks are read through internal/stack_trace's errorStack(), which
//   gives the V8-style text Node users see in `err.stack`.
// * Map/Set iterators and WeakMap/WeakSet contents can only be previewed if
//   the binding offers V8's `previewEntries`: `previewEntries(iterator,
//   true)` gives `[entries, isKeyValue]` without advancing the iterator,
//   `previewEntries(weakCollection)` a flat list (key, value, key, value...
//   for a WeakMap). Without it iterators print as `Object [Map Iterator] {}`
//   and weak collections as `WeakMap { <items unknown> }` even with
//   showHidden.
// * Buffers are printed by their own `inspect.custom` method (buffer.js);
//   here they are plain Uint8Array subclasses.

const {
  isAnyArrayBuffer,
  isArgumentsObject,
  isArrayBuffer,
  isAsyncFunction,
  isBigIntObject,
  isBooleanObject,
  isBoxedPrimitive,
  isDataView,
  isDate,
  isGeneratorFunction,
  isMap,
  isMapIterator,
  isModuleNamespaceObject,
  isNativeError,
  isNumberObject,
  isPromise,
  isRegExp,
  isSet,
  isSetIterator,
  isStringObject,
  isTypedArray,
  isWeakMap,
  isWeakSet,
} = require('internal/util/types');
const {
  validators: { kValidateObjectAllowArray, validateObject, validateString },
} = require('internal/errors');
const { errorStack } = require('internal/stack_trace');

const utilBinding = internalBinding('util');
const { getPromiseDetails, getProxyDetails } = utilBinding;
const previewEntries = typeof utilBinding.previewEntries === 'function' ?
  utilBinding.previewEntries : undefined;

// --- 1. Saved built-ins ----------------------------------------------------

const uncurry = Function.prototype.bind.bind(Function.prototype.call);
function getter(proto, name) {
  return uncurry(Object.getOwnPropertyDescriptor(proto, name).get);
}

const ArrayIsArray = Array.isArray;
const ArrayPrototypeIncludes = uncurry(Array.prototype.includes);
const ArrayPrototypeJoin = uncurry(Array.prototype.join);
const ArrayPrototypePush = uncurry(Array.prototype.push);
const ArrayPrototypeSort = uncurry(Array.prototype.sort);
const ArrayPrototypeSplice = uncurry(Array.prototype.splice);
const ArrayPrototypeUnshift = uncurry(Array.prototype.unshift);
const BigIntPrototypeValueOf = uncurry(BigInt.prototype.valueOf);
const BooleanPrototypeValueOf = uncurry(Boolean.prototype.valueOf);
const DatePrototypeGetTime = uncurry(Date.prototype.getTime);
const DatePrototypeToISOString = uncurry(Date.prototype.toISOString);
const DatePrototypeToString = uncurry(Date.prototype.toString);
const ErrorPrototypeToString = uncurry(Error.prototype.toString);
const FunctionPrototypeToString = uncurry(Function.prototype.toString);
const JSONStringify = JSON.stringify;
const MapPrototypeEntries = uncurry(Map.prototype.entries);
const MapPrototypeGetSize = getter(Map.prototype, 'size');
const MapIteratorNext = uncurry(Object.getPrototypeOf(new Map().entries()).next);
const MathFloor = Math.floor;
const MathMax = Math.max;
const MathMin = Math.min;
const MathRound = Math.round;
const MathSqrt = Math.sqrt;
const NumberIsFinite = Number.isFinite;
const NumberIsNaN = Number.isNaN;
const NumberParseFloat = Number.parseFloat;
const NumberParseInt = Number.parseInt;
const NumberPrototypeValueOf = uncurry(Number.prototype.valueOf);
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectIs = Object.is;
const ObjectKeys = Object.keys;
const ObjectPrototypeHasOwnProperty = uncurry(Object.prototype.hasOwnProperty);
const ObjectPrototypePropertyIsEnumerable =
  uncurry(Object.prototype.propertyIsEnumerable);
const ObjectSetPrototypeOf = Object.setPrototypeOf;
const ReflectOwnKeys = Reflect.ownKeys;
const RegExpPrototypeExec = uncurry(RegExp.prototype.exec);
const RegExpPrototypeToString = uncurry(RegExp.prototype.toString);
const SetPrototypeGetSize = getter(Set.prototype, 'size');
const SetPrototypeValues = uncurry(Set.prototype.values);
const SetIteratorNext = uncurry(Object.getPrototypeOf(new Set().values()).next);
const StringPrototypeCharCodeAt = uncurry(String.prototype.charCodeAt);
const StringPrototypeCodePointAt = uncurry(String.prototype.codePointAt);
const StringPrototypeEndsWith = uncurry(String.prototype.endsWith);
const StringPrototypeIncludes = uncurry(String.prototype.includes);
const StringPrototypeIndexOf = uncurry(String.prototype.indexOf);
const StringPrototypeLastIndexOf = uncurry(String.prototype.lastIndexOf);
const StringPrototypeNormalize = uncurry(String.prototype.normalize);
const StringPrototypePadEnd = uncurry(String.prototype.padEnd);
const StringPrototypePadStart = uncurry(String.prototype.padStart);
const StringPrototypeRepeat = uncurry(String.prototype.repeat);
const StringPrototypeReplace = uncurry(String.prototype.replace);
const StringPrototypeSlice = uncurry(String.prototype.slice);
const StringPrototypeSplit = uncurry(String.prototype.split);
const StringPrototypeStartsWith = uncurry(String.prototype.startsWith);
const StringPrototypeToLowerCase = uncurry(String.prototype.toLowerCase);
const StringPrototypeValueOf = uncurry(String.prototype.valueOf);
const SymbolPrototypeToString = uncurry(Symbol.prototype.toString);
const SymbolPrototypeValueOf = uncurry(Symbol.prototype.valueOf);
const SymbolIterator = Symbol.iterator;
const SymbolToPrimitive = Symbol.toPrimitive;
const SymbolToStringTag = Symbol.toStringTag;
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArrayPrototypeGetLength = getter(TypedArrayPrototype, 'length');
const TypedArrayPrototypeGetSymbolToStringTag =
  getter(TypedArrayPrototype, SymbolToStringTag);
const Uint8ArrayCtor = Uint8Array;
// Typed array constructors by name, for typed arrays without prototype.
const typedArrayConstructors = Object.create(null);
for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
  if (typeof globalThis[name] === 'function') {
    typedArrayConstructors[name] = globalThis[name];
  }
}

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

const inspectDefaultOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
};

// Kinds of entry lists, which decide how a property is printed and whether
// array-style column grouping applies.
const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;

// Strings shorter than this are never split at their line breaks.
const kMinLineWidth = 16;

// Names of the engine's built-in globals (not Node's additions such as URL
// or Buffer). Prototypes of these count as "built-in" (e.g. for %s and
// showHidden).
const builtInObjects = new Set([
  'AggregateError', 'Array', 'ArrayBuffer', 'Atomics', 'BigInt',
  'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date',
  'DisposableStack', 'AsyncDisposableStack', 'Error', 'EvalError',
  'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array',
  'Function', 'Int16Array', 'Int32Array', 'Int8Array', 'Intl', 'Iterator',
  'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise', 'Proxy',
  'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set',
  'SharedArrayBuffer', 'String', 'SuppressedError', 'Symbol', 'SyntaxError',
  'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'WebAssembly',
]);

// --- Colors and styles -----------------------------------------------------

// [open, close] SGR codes.
const colors = Object.create(null);
function defineColor(name, open, close) {
  colors[name] = [open, close];
}
defineColor('reset', 0, 0);
defineColor('bold', 1, 22);
defineColor('dim', 2, 22);
defineColor('italic', 3, 23);
defineColor('underline', 4, 24);
defineColor('blink', 5, 25);
defineColor('inverse', 7, 27);
defineColor('hidden', 8, 28);
defineColor('strikethrough', 9, 29);
defineColor('doubleunderline', 21, 24);
const colorNames = ['black', 'red', 'green', 'yellow', 'blue', 'magenta',
                    'cyan', 'white'];
colorNames.forEach((name, i) => defineColor(name, 30 + i, 39));
colorNames.forEach((name, i) => {
  defineColor(`bg${name[0].toUpperCase()}${name.slice(1)}`, 40 + i, 49);
});
defineColor('framed', 51, 54);
defineColor('overlined', 53, 55);
defineColor('gray', 90, 39);
colorNames.slice(1).forEach((name, i) => defineColor(`${name}Bright`, 91 + i, 39));
defineColor('bgGray', 100, 49);
colorNames.slice(1).forEach((name, i) => {
  defineColor(`bg${name[0].toUpperCase()}${name.slice(1)}Bright`, 101 + i, 49);
});

// Aliases are hidden accessors that read and write the original entry.
function defineColorAlias(alias, target) {
  ObjectDefineProperty(colors, alias, {
    __proto__: null,
    get() { return this[target]; },
    set(value) { this[target] = value; },
    configurable: true,
    enumerable: false,
  });
}
defineColorAlias('grey', 'gray');
defineColorAlias('blackBright', 'gray');
defineColorAlias('bgGrey', 'bgGray');
defineColorAlias('bgBlackBright', 'bgGray');
defineColorAlias('faint', 'dim');
defineColorAlias('crossedout', 'strikethrough');
defineColorAlias('strikeThrough', 'strikethrough');
defineColorAlias('crossedOut', 'strikethrough');
defineColorAlias('conceal', 'hidden');
defineColorAlias('swapColors', 'inverse');
defineColorAlias('swapcolors', 'inverse');
defineColorAlias('doubleUnderline', 'doubleunderline');

const styles = {
  __proto__: null,
  special: 'cyan',
  number: 'yellow',
  bigint: 'yellow',
  boolean: 'yellow',
  undefined: 'grey',
  null: 'bold',
  string: 'green',
  symbol: 'green',
  date: 'magenta',
  regexp: 'red',
  module: 'underline',
};

// The names of these two functions are visible to inspect.custom callers.
function stylizeWithColor(str, styleType) {
  const style = inspect.styles[styleType];
  if (style !== undefined) {
    const color = inspect.colors[style];
    if (color !== undefined) {
      return `\u001b[${color[0]}m${str}\u001b[${color[1]}m`;
    }
  }
  return str;
}

function stylizeNoColor(str) {
  return str;
}

// --- String escaping ---------------------------------------------------------

// Escapes for C0 controls, quotes, backslash and C1 controls.
const meta = [];
for (let i = 0; i < 0xa0; i++) {
  if (i < 0x20 || (i >= 0x7f)) {
    meta[i] = `\\x${i.toString(16).toUpperCase().padStart(2, '0')}`;
  } else {
    meta[i] = '';
  }
}
meta[0x08] = '\\b';
meta[0x09] = '\\t';
meta[0x0a] = '\\n';
meta[0x0c] = '\\f';
meta[0x0d] = '\\r';
meta[0x27] = "\\'";
meta[0x5c] = '\\\\';

function quote(str, quoteChar) {
  return `${quoteChar}${str}${quoteChar}`;
}

// Quotes a string the way Node does: single quotes unless the string holds
// one, then double quotes, then backticks, and single quotes again (escaped)
// as the last resort.
function strEscape(str) {
  let quoteChar = "'";
  if (StringPrototypeIncludes(str, "'")) {
    if (!StringPrototypeIncludes(str, '"')) {
      quoteChar = '"';
    } else if (!StringPrototypeIncludes(str, '`') &&
               !StringPrototypeIncludes(str, '${')) {
      quoteChar = '`';
    }
  }
  const escapeQuote = quoteChar === "'";
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCharCodeAt(str, i);
    if ((code === 0x27 && escapeQuote) || code === 0x5c || code < 0x20 ||
        (code > 0x7e && code < 0xa0)) {
      result += `${StringPrototypeSlice(str, last, i)}${meta[code]}`;
      last = i + 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // Lone surrogates are escaped, proper pairs are kept.
      if (code <= 0xdbff && i + 1 < str.length) {
        const next = StringPrototypeCharCodeAt(str, i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
      }
      result += `${StringPrototypeSlice(str, last, i)}\\u${code.toString(16)}`;
      last = i + 1;
    }
  }
  if (last !== str.length) result += StringPrototypeSlice(str, last);
  return quote(result, quoteChar);
}

// Escapes control characters (but no quotes) in property keys and symbols.
function escapeControls(str) {
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCharCodeAt(str, i);
    if (code < 0x20 || code === 0x27 || code === 0x5c ||
        (code > 0x7e && code < 0xa0)) {
      result += `${StringPrototypeSlice(str, last, i)}${meta[code]}`;
      last = i + 1;
    }
  }
  return last === 0 ? str : result + StringPrototypeSlice(str, last);
}

// --- Numbers -----------------------------------------------------------------

// '1234567' -> '1_234_567'
function addNumericSeparator(integerString) {
  const start = StringPrototypeStartsWith(integerString, '-') ? 1 : 0;
  let end = integerString.length;
  let grouped = '';
  while (end >= start + 4) {
    grouped = `_${StringPrototypeSlice(integerString, end - 3, end)}${grouped}`;
    end -= 3;
  }
  return end === integerString.length ?
    integerString : `${StringPrototypeSlice(integerString, 0, end)}${grouped}`;
}

// '1234567' (fraction digits) -> '123_456_7'
function addNumericSeparatorEnd(digits) {
  let result = '';
  let i = 0;
  for (; i < digits.length - 3; i += 3) {
    result += `${StringPrototypeSlice(digits, i, i + 3)}_`;
  }
  return i === 0 ? digits : `${result}${StringPrototypeSlice(digits, i)}`;
}

function formatNumber(fn, number, numericSeparator) {
  // `${-0}` is '0'.
  if (ObjectIs(number, -0)) return fn('-0', 'number');
  if (!numericSeparator) return fn(`${number}`, 'number');
  const string = `${number}`;
  if (!NumberIsFinite(number) || StringPrototypeIncludes(string, 'e')) {
    return fn(string, 'number');
  }
  const dot = StringPrototypeIndexOf(string, '.');
  if (dot === -1) return fn(addNumericSeparator(string), 'number');
  const integer = StringPrototypeSlice(string, 0, dot);
  const fraction = StringPrototypeSlice(string, dot + 1);
  return fn(`${addNumericSeparator(integer)}.${addNumericSeparatorEnd(fraction)}`,
            'number');
}

function formatBigInt(fn, bigint, numericSeparator) {
  const string = String(bigint);
  if (!numericSeparator) return fn(`${string}n`, 'bigint');
  return fn(`${addNumericSeparator(string)}n`, 'bigint');
}

// --- Primitives --------------------------------------------------------------

// Splits after each '\n', keeping the line breaks.
function splitAfterNewlines(str) {
  const lines = [];
  let start = 0;
  let index;
  while ((index = StringPrototypeIndexOf(str, '\n', start)) !== -1) {
    ArrayPrototypePush(lines, StringPrototypeSlice(str, start, index + 1));
    start = index + 1;
  }
  if (start < str.length) ArrayPrototypePush(lines, StringPrototypeSlice(str, start));
  return lines;
}

function formatPrimitive(fn, value, ctx) {
  switch (typeof value) {
    case 'string': {
      let trailer = '';
      if (value.length > ctx.maxStringLength) {
        const remaining = value.length - ctx.maxStringLength;
        value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
      }
      // Long multi-line strings are printed as one quoted piece per line.
      if (ctx.compact !== true &&
          value.length > kMinLineWidth &&
          value.length > ctx.breakLength - ctx.indentationLvl - 4) {
        const lines = splitAfterNewlines(value)
          .map((line) => fn(strEscape(line), 'string'));
        const separator = ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`;
        return ArrayPrototypeJoin(lines, separator) + trailer;
      }
      return fn(strEscape(value), 'string') + trailer;
    }
    case 'number':
      return formatNumber(fn, value, ctx.numericSeparator);
    case 'bigint':
      return formatBigInt(fn, value, ctx.numericSeparator);
    case 'boolean':
      return fn(`${value}`, 'boolean');
    case 'undefined':
      return fn('undefined', 'undefined');
    default:
      return fn(SymbolPrototypeToString(value), 'symbol');
  }
}

// --- 2. inspect() ------------------------------------------------------------

/**
 * Returns a string representation of `value` for debugging.
 * Legacy signature: inspect(value, showHidden, depth, colors).
 */
function inspect(value, opts) {
  const ctx = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    stylize: stylizeNoColor,
    showHidden: inspectDefaultOptions.showHidden,
    depth: inspectDefaultOptions.depth,
    colors: inspectDefaultOptions.colors,
    customInspect: inspectDefaultOptions.customInspect,
    showProxy: inspectDefaultOptions.showProxy,
    maxArrayLength: inspectDefaultOptions.maxArrayLength,
    maxStringLength: inspectDefaultOptions.maxStringLength,
    breakLength: inspectDefaultOptions.breakLength,
    compact: inspectDefaultOptions.compact,
    sorted: inspectDefaultOptions.sorted,
    getters: inspectDefaultOptions.getters,
    numericSeparator: inspectDefaultOptions.numericSeparator,
  };
  if (arguments.length > 1) {
    if (arguments.length > 2) {
      if (arguments[2] !== undefined) ctx.depth = arguments[2];
      if (arguments.length > 3 && arguments[3] !== undefined) {
        ctx.colors = arguments[3];
      }
    }
    if (typeof opts === 'boolean') {
      ctx.showHidden = opts;
    } else if (opts) {
      for (const key of ObjectKeys(opts)) {
        if (ObjectPrototypeHasOwnProperty(inspectDefaultOptions, key) ||
            key === 'stylize') {
          ctx[key] = opts[key];
        } else if (ctx.userOptions === undefined) {
          // Unknown options are passed on to inspect.custom functions.
          ctx.userOptions = opts;
        }
      }
    }
  }
  if (ctx.colors) ctx.stylize = stylizeWithColor;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}

inspect.custom = inspectCustom;

ObjectDefineProperty(inspect, 'defaultOptions', {
  __proto__: null,
  get() {
    return inspectDefaultOptions;
  },
  set(options) {
    validateObject(options, 'options');
    return Object.assign(inspectDefaultOptions, options);
  },
});

inspect.colors = colors;
inspect.styles = styles;

// The options object handed to inspect.custom functions. Objects from
// another realm (and proxies) get a null-prototype copy without nested
// objects, so they cannot reach into this realm.
function getUserOptions(ctx, isCrossContext) {
  const ret = {
    stylize: ctx.stylize,
    showHidden: ctx.showHidden,
    depth: ctx.depth,
    colors: ctx.colors,
    customInspect: ctx.customInspect,
    showProxy: ctx.showProxy,
    maxArrayLength: ctx.maxArrayLength,
    maxStringLength: ctx.maxStringLength,
    breakLength: ctx.breakLength,
    compact: ctx.compact,
    sorted: ctx.sorted,
    getters: ctx.getters,
    numericSeparator: ctx.numericSeparator,
    ...ctx.userOptions,
  };
  if (!isCrossContext) return ret;

  delete ret.stylize;
  ObjectSetPrototypeOf(ret, null);
  for (const key of ObjectKeys(ret)) {
    if (typeof ret[key] === 'object' && ret[key] !== null) delete ret[key];
  }
  const stylize = (value, flavour) => {
    let stylized;
    try {
      stylized = `${ctx.stylize(value, flavour)}`;
    } catch {
      // Fall through and return the value unstyled.
    }
    return typeof stylized === 'string' ? stylized : value;
  };
  ObjectSetPrototypeOf(stylize, null);
  ret.stylize = stylize;
  return ret;
}

// --- 3. formatValue / formatRaw ---------------------------------------------

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) {
    return ctx.stylize('null', 'null');
  }

  // The receiver of inspect.custom is the original value, even for proxies.
  const context = value;
  // Proxies are inspected through their target so no trap is triggered.
  const proxy = getProxyDetails(value, !!ctx.showProxy);
  if (proxy !== undefined) {
    if (proxy === null || (ctx.showProxy && proxy[0] === null)) {
      return ctx.stylize('<Revoked Proxy>', 'special');
    }
    if (ctx.showProxy) {
      return formatProxy(ctx, proxy, recurseTimes);
    }
    value = proxy;
  }

  if (ctx.customInspect) {
    const custom = value[inspectCustom];
    if (typeof custom === 'function' && custom !== inspect &&
        !isConstructorPrototype(value)) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const isCrossContext = proxy !== undefined ||
        !(context instanceof Object);
      const ret = custom.call(context, depth,
                              getUserOptions(ctx, isCrossContext), inspect);
      if (ret !== context) {
        if (typeof ret !== 'string') {
          return formatValue(ctx, ret, recurseTimes);
        }
        return StringPrototypeReplace(
          ret, /\n/g, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
      }
    }
  }

  if (ArrayPrototypeIncludes(ctx.seen, value)) {
    return ctx.stylize(`[Circular *${circularIndex(ctx, value)}]`, 'special');
  }

  return formatRaw(ctx, value, recurseTimes, typedArray);
}

// `Foo.prototype` is not shown through Foo's own inspect.custom method.
function isConstructorPrototype(value) {
  const desc = ObjectGetOwnPropertyDescriptor(value, 'constructor');
  return desc !== undefined && typeof desc.value === 'function' &&
    desc.value.prototype === value;
}

// Numbers circular references in order of discovery: `<ref *1>`.
function circularIndex(ctx, value) {
  if (ctx.circular === undefined) ctx.circular = new Map();
  let index = ctx.circular.get(value);
  if (index === undefined) {
    index = ctx.circular.size + 1;
    ctx.circular.set(value, index);
  }
  return index;
}

function formatProxy(ctx, proxy, recurseTimes) {
  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    return ctx.stylize('Proxy [Array]', 'special');
  }
  recurseTimes += 1;
  ctx.indentationLvl += 2;
  // A handler is always an object; undefined means the engine hides it.
  const handler = proxy[1] === undefined ?
    ctx.stylize('<handler unknown>', 'special') :
    formatValue(ctx, proxy[1], recurseTimes);
  const output = [formatValue(ctx, proxy[0], recurseTimes), handler];
  ctx.indentationLvl -= 2;
  return reduceToSingleString(
    ctx, output, '', ['Proxy [', ']'], kArrayExtrasType, recurseTimes);
}

function getEmptyFormatArray() {
  return [];
}

// Formats an object: first decides the text before the braces (`base`), the
// braces, the function producing the leading entries (elements, map
// entries, ...), the own keys to append and the kind of entry list; then
// formats the entries and lays them out. Values that print as a single
// token (empty objects, functions, dates, ...) return early.
function formatRaw(ctx, value, recurseTimes, typedArray) {
  let protoProps;
  if (ctx.showHidden && (recurseTimes <= ctx.depth || ctx.depth === null)) {
    protoProps = [];
  }
  const constructor = getConstructorName(value, ctx, recurseTimes, protoProps);
  if (protoProps !== undefined && protoProps.length === 0) {
    protoProps = undefined;
  }

  let tag = value[SymbolToStringTag];
  // Plain objects without prototype are named after a tag that is shown as
  // a property: `[Tag: null prototype] { Symbol(Symbol.toStringTag): 'Tag' }`.
  let objectFallback = 'Object';
  // A tag that is printed as a property anyway is not repeated, nor one the
  // class name already spells out.
  if (typeof tag !== 'string') {
    tag = '';
  } else if (tag !== '' &&
             (ctx.showHidden ? ObjectPrototypeHasOwnProperty :
               ObjectPrototypePropertyIsEnumerable)(value, SymbolToStringTag)) {
    if (constructor === null) objectFallback = tag;
    tag = '';
  } else if (constructor !== null && isTagInName(constructor, tag)) {
    tag = '';
  }

  let keys;
  let base = '';
  let formatter = getEmptyFormatArray;
  let braces;
  let extrasType = kObjectType;
  let noIterator = true;
  const filterHidden = !ctx.showHidden;

  if (SymbolIterator in value || constructor === null) {
    noIterator = false;
    if (ArrayIsArray(value)) {
      const prefix = (constructor !== 'Array' || tag !== '') ?
        getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
      keys = getOwnNonIndexProperties(value, filterHidden, false);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0 && protoProps === undefined) {
        return `${braces[0]}]`;
      }
      extrasType = kArrayExtrasType;
      formatter = formatArray;
    } else if (isSet(value)) {
      const size = SetPrototypeGetSize(value);
      const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = (c, v, depth) => formatSet(value, c, v, depth);
      if (size === 0 && keys.length === 0 && protoProps === undefined) {
        return `${prefix}{}`;
      }
      braces = [`${prefix}{`, '}'];
    } else if (isMap(value)) {
      const size = MapPrototypeGetSize(value);
      const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = (c, v, depth) => formatMap(value, c, v, depth);
      if (size === 0 && keys.length === 0 && protoProps === undefined) {
        return `${prefix}{}`;
      }
      braces = [`${prefix}{`, '}'];
    } else if (isTypedArray(value)) {
      keys = getOwnNonIndexProperties(value, filterHidden, true);
      let bound = value;
      let fallback = '';
      if (constructor === null) {
        // Without a prototype the elements are read through a fresh copy.
        fallback = TypedArrayPrototypeGetSymbolToStringTag(value);
        bound = new typedArrayConstructors[fallback](value);
      }
      const size = TypedArrayPrototypeGetLength(value);
      const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0 && !ctx.showHidden) {
        return `${braces[0]}]`;
      }
      formatter = (c, v, depth) => formatTypedArray(bound, size, c, v, depth);
      extrasType = kArrayExtrasType;
    } else if (isMapIterator(value) && previewEntries !== undefined) {
      keys = getKeys(value, ctx.showHidden);
      braces = getIteratorBraces('Map', tag);
      formatter = (c, v, depth) => formatIterator(braces, c, v, depth);
    } else if (isSetIterator(value) && previewEntries !== undefined) {
      keys = getKeys(value, ctx.showHidden);
      braces = getIteratorBraces('Set', tag);
      formatter = (c, v, depth) => formatIterator(braces, c, v, depth);
    } else {
      noIterator = true;
    }
  }

  if (noIterator) {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (typeof value === 'function') {
      base = getFunctionBase(ctx, value, constructor, tag);
      if (keys.length === 0 && protoProps === undefined) {
        return ctx.stylize(base, 'special');
      }
    } else if (constructor === 'Object') {
      if (isArgumentsObject(value)) {
        braces[0] = '[Arguments] {';
      } else if (tag !== '') {
        braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
      }
      if (keys.length === 0 && protoProps === undefined) {
        return `${braces[0]}}`;
      }
    } else if (isRegExp(value)) {
      base = RegExpPrototypeToString(
        constructor !== null ? value : new RegExp(value));
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if ((keys.length === 0 && protoProps === undefined) ||
          (recurseTimes > ctx.depth && ctx.depth !== null)) {
        return ctx.stylize(base, 'regexp');
      }
    } else if (isDate(value)) {
      base = NumberIsNaN(DatePrototypeGetTime(value)) ?
        DatePrototypeToString(value) : DatePrototypeToISOString(value);
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0 && protoProps === undefined) {
        return ctx.stylize(base, 'date');
      }
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0 && protoProps === undefined) {
        return base;
      }
    } else if (isAnyArrayBuffer(value)) {
      const arrayType = isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer';
      const prefix = getPrefix(constructor, tag, arrayType);
      if (typedArray === undefined) {
        formatter = formatArrayBuffer;
      } else if (keys.length === 0 && protoProps === undefined) {
        // The `buffer` of a typed array shown with showHidden.
        return `${prefix}{ [byteLength]: ` +
          `${formatNumber(ctx.stylize, value.byteLength, false)} }`;
      }
      braces[0] = `${prefix}{`;
      ArrayPrototypeUnshift(keys, 'byteLength');
    } else if (isDataView(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
      ArrayPrototypeUnshift(keys, 'byteLength', 'byteOffset', 'buffer');
    } else if (isPromise(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
      formatter = formatPromise;
    } else if (isWeakSet(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakSet')}{`;
      formatter = ctx.showHidden && previewEntries !== undefined ?
        formatWeakSet : formatWeakCollection;
    } else if (isWeakMap(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakMap')}{`;
      formatter = ctx.showHidden && previewEntries !== undefined ?
        formatWeakMap : formatWeakCollection;
    } else if (isModuleNamespaceObject(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'Module')}{`;
      const namespaceKeys = keys;
      formatter = (c, v, depth) => formatNamespaceObject(namespaceKeys, c, v, depth);
      keys = [];
    } else if (isBoxedPrimitive(value)) {
      base = getBoxedBase(value, ctx, keys, constructor, tag);
      if (keys.length === 0 && protoProps === undefined) {
        return base;
      }
    } else {
      if (keys.length === 0 && protoProps === undefined) {
        return `${getPrefix(constructor, tag, objectFallback)}{}`;
      }
      braces[0] = `${getPrefix(constructor, tag, objectFallback)}{`;
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let constructorName = StringPrototypeSlice(
      getPrefix(constructor, tag, objectFallback), 0, -1);
    if (constructor !== null) constructorName = `[${constructorName}]`;
    return ctx.stylize(constructorName, 'special');
  }
  recurseTimes += 1;

  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  const indentationLvl = ctx.indentationLvl;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      ArrayPrototypePush(
        output, formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
    if (protoProps !== undefined) {
      for (let i = 0; i < protoProps.length; i++) {
        ArrayPrototypePush(output, protoProps[i]);
      }
    }
  } catch (err) {
    const constructorName = StringPrototypeSlice(
      getPrefix(constructor, tag, objectFallback), 0, -1);
    return handleMaxCallStackSize(ctx, err, constructorName, indentationLvl);
  }

  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = ctx.stylize(`<ref *${index}>`, 'special');
      if (ctx.compact !== true) {
        base = base === '' ? reference : `${reference} ${base}`;
      } else {
        braces[0] = `${reference} ${braces[0]}`;
      }
    }
  }
  ctx.seen.pop();

  if (ctx.sorted) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) {
      ArrayPrototypeSort(output, comparator);
    } else if (keys.length > 1) {
      // Only the named properties after the elements are sorted.
      const sorted = ArrayPrototypeSort(
        output.slice(output.length - keys.length), comparator);
      ArrayPrototypeSplice(output, output.length - keys.length, keys.length, ...sorted);
    }
  }

  const res = reduceToSingleString(
    ctx, output, base, braces, extrasType, recurseTimes, value);
  // Stop descending once a huge amount of output was produced.
  const budget = ctx.budget[ctx.indentationLvl] || 0;
  const newLength = budget + res.length;
  ctx.budget[ctx.indentationLvl] = newLength;
  if (newLength > 2 ** 27) {
    ctx.depth = -1;
  }
  return res;
}

// True when `name` contains `tag` as a whole word: 'MyMap' and 'MapFoo'
// contain 'Map', 'Mapped' does not.
function isTagInName(name, tag) {
  const index = StringPrototypeIndexOf(name, tag);
  if (index === -1) {
    return false;
  }
  const next = name[index + tag.length];
  return next === undefined || (next >= 'A' && next <= 'Z');
}

function isError(value) {
  return isNativeError(value) || value instanceof Error;
}

function isStackOverflowError(err) {
  return err instanceof RangeError &&
    typeof err.message === 'string' &&
    StringPrototypeIncludes(err.message, 'call stack size exceeded');
}

function handleMaxCallStackSize(ctx, err, constructorName, indentationLvl) {
  if (isStackOverflowError(err)) {
    ctx.seen.pop();
    ctx.indentationLvl = indentationLvl;
    return ctx.stylize(
      `[${constructorName}: Inspection interrupted prematurely. ` +
      'Maximum call stack size exceeded.]', 'special');
  }
  throw err;
}

// --- Names, prefixes and keys -----------------------------------------------

function isInstanceof(object, proto) {
  try {
    return object instanceof proto;
  } catch {
    return false;
  }
}

// The name of the nearest constructor on the prototype chain whose
// `prototype` the object really inherits from; null for objects without
// any such constructor and a null prototype at the end. Also collects the
// properties of user-defined prototypes for showHidden.
function getConstructorName(obj, ctx, recurseTimes, protoProps) {
  let firstProto;
  const tmp = obj;
  while (obj) {
    const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
    if (descriptor !== undefined &&
        typeof descriptor.value === 'function' &&
        descriptor.value.name !== '' &&
        isInstanceof(tmp, descriptor.value)) {
      if (protoProps !== undefined &&
          (firstProto !== obj || !builtInObjects.has(descriptor.value.name))) {
        addPrototypeProperties(
          ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
      }
      return String(descriptor.value.name);
    }
    obj = ObjectGetPrototypeOf(obj);
    if (firstProto === undefined) {
      firstProto = obj;
    }
  }

  if (firstProto === null) {
    return null;
  }

  const res = internalConstructorName(tmp);
  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    return `${res} <Complex prototype>`;
  }
  const protoConstr = getConstructorName(
    firstProto, ctx, recurseTimes + 1, protoProps);
  if (protoConstr === null) {
    return `${res} <${inspect(firstProto, {
      ...ctx,
      customInspect: false,
      depth: -1,
    })}>`;
  }
  return `${res} <${protoConstr}>`;
}

// Value of a data property found on the prototype chain, without running
// getters or proxy traps; undefined otherwise.
function getDataProperty(obj, key) {
  let current = obj;
  while (current !== null && getProxyDetails(current) === undefined) {
    const desc = ObjectGetOwnPropertyDescriptor(current, key);
    if (desc !== undefined) {
      return desc.value;
    }
    current = ObjectGetPrototypeOf(current);
  }
  return undefined;
}

// The engine's idea of an object's class when no usable constructor is on
// its prototype chain (as V8 reports it): a Symbol.toStringTag data
// property, else the name of a `constructor` data property, else the
// built-in kind of object.
function internalConstructorName(obj) {
  const tag = getDataProperty(obj, SymbolToStringTag);
  if (typeof tag === 'string' && tag !== '') {
    return tag;
  }
  const constructor = getDataProperty(obj, 'constructor');
  if (typeof constructor === 'function' &&
      typeof constructor.name === 'string' && constructor.name !== '') {
    return constructor.name;
  }
  if (typeof obj === 'function') return 'Function';
  if (ArrayIsArray(obj)) return 'Array';
  return 'Object';
}

// Collects the non-method properties of up to three user-defined prototype
// levels (showHidden only). They print faint when colors are on.
function addPrototypeProperties(ctx, main, obj, recurseTimes, output) {
  let depth = 0;
  let keys;
  let keySet;
  do {
    if (depth !== 0 || main === obj) {
      obj = ObjectGetPrototypeOf(obj);
      if (obj === null) {
        return;
      }
      const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
      if (descriptor !== undefined &&
          typeof descriptor.value === 'function' &&
          builtInObjects.has(descriptor.value.name)) {
        return;
      }
    }

    if (depth === 0) {
      keySet = new Set();
    } else {
      for (const key of keys) keySet.add(key);
    }
    keys = ReflectOwnKeys(obj);
    ctx.seen.push(main);
    for (const key of keys) {
      // Skip the constructor, shadowed keys and keys of lower levels.
      if (key === 'constructor' ||
          ObjectPrototypeHasOwnProperty(main, key) ||
          (depth !== 0 && keySet.has(key))) {
        continue;
      }
      const desc = ObjectGetOwnPropertyDescriptor(obj, key);
      if (typeof desc.value === 'function') {
        continue;
      }
      const value = formatProperty(
        ctx, obj, recurseTimes, key, kObjectType, desc, main);
      if (ctx.colors) {
        ArrayPrototypePush(output, `\u001b[2m${value}\u001b[22m`);
      } else {
        ArrayPrototypePush(output, value);
      }
    }
    ctx.seen.pop();
  } while (++depth !== 3);
}

// 'Foo(2) [Map] ' style prefixes. `fallback` names the kind of object when
// there is no constructor.
function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) {
      return `[${fallback}${size}: null prototype] [${tag}] `;
    }
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) {
    return `${constructor}${size} [${tag}] `;
  }
  return `${constructor}${size} `;
}

// Own enumerable (or, with showHidden, all) string keys followed by symbols.
function getKeys(value, showHidden) {
  let keys;
  const symbols = ObjectGetOwnPropertySymbols(value);
  if (showHidden) {
    keys = ObjectGetOwnPropertyNames(value);
    for (const symbol of symbols) ArrayPrototypePush(keys, symbol);
  } else {
    try {
      keys = ObjectKeys(value);
    } catch (err) {
      // Uninitialized bindings of module namespaces throw here.
      if (!isModuleNamespaceObject(value)) throw err;
      keys = ObjectGetOwnPropertyNames(value);
    }
    for (const symbol of symbols) {
      if (ObjectPrototypePropertyIsEnumerable(value, symbol)) {
        ArrayPrototypePush(keys, symbol);
      }
    }
  }
  return keys;
}

// Array index keys are '0'..'4294967294'; typed arrays use any integer.
function isIndexKey(key, anyInteger) {
  if (typeof key !== 'string' || key === '') return false;
  if (key !== '0' && (key[0] < '1' || key[0] > '9')) return false;
  for (let i = 1; i < key.length; i++) {
    if (key[i] < '0' || key[i] > '9') return false;
  }
  return anyInteger || +key < 4294967295;
}

// Own keys that are not element indices (for arrays and typed arrays).
function getOwnNonIndexProperties(value, onlyEnumerable, anyInteger) {
  const result = [];
  for (const key of ReflectOwnKeys(value)) {
    if (isIndexKey(key, anyInteger)) continue;
    if (onlyEnumerable && !ObjectPrototypePropertyIsEnumerable(value, key)) {
      continue;
    }
    ArrayPrototypePush(result, key);
  }
  return result;
}

const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

// One `key: value` entry (just the value for array elements).
function formatProperty(ctx, value, recurseTimes, key, type, desc,
                        original = value) {
  let name;
  let str;
  let extra = ' ';
  // Keys that are not own properties (byteLength of an ArrayBuffer, ...)
  // are read through the prototype and shown as internal: `[byteLength]`.
  let internal = false;
  desc = desc || ObjectGetOwnPropertyDescriptor(value, key);
  if (desc === undefined) {
    desc = { value: value[key], enumerable: true };
    internal = true;
  }
  if (desc.value !== undefined) {
    const diff = (ctx.compact !== true || type !== kObjectType) ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < getStringWidth(str, ctx.colors)) {
      extra = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
    }
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    str = formatAccessor(ctx, desc, original, recurseTimes);
  } else if (desc.set !== undefined) {
    str = ctx.stylize('[Setter]', 'special');
  } else {
    str = ctx.stylize('undefined', 'undefined');
  }
  if (type === kArrayType) {
    return str;
  }
  if (typeof key === 'symbol') {
    const symbol = ctx.stylize(escapeControls(SymbolPrototypeToString(key)), 'symbol');
    name = desc.enumerable === false ? `[${symbol}]` : symbol;
  } else if (internal) {
    name = ctx.stylize(`[${key}]`, 'string');
  } else if (key === '__proto__') {
    name = "['__proto__']";
  } else if (desc.enumerable === false) {
    const shown = RegExpPrototypeExec(keyStrRegExp, key) !== null ?
      key : strEscape(key);
    name = `[${shown}]`;
  } else if (RegExpPrototypeExec(keyStrRegExp, key) !== null) {
    name = ctx.stylize(key, 'name');
  } else {
    name = ctx.stylize(strEscape(key), 'string');
  }
  return `${name}:${extra}${str}`;
}

// `[Getter]`, `[Setter]`, `[Getter/Setter]`, or with the `getters` option
// the current value: `[Getter: 1]`, `[Getter] { a: 1 }`.
function formatAccessor(ctx, desc, original, recurseTimes) {
  const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
  const s = ctx.stylize;
  const sp = 'special';
  const wanted = ctx.getters && (ctx.getters === true ||
    (ctx.getters === 'get' && desc.set === undefined) ||
    (ctx.getters === 'set' && desc.set !== undefined));
  if (!wanted) {
    return s(`[${label}]`, sp);
  }
  let str;
  ctx.indentationLvl += 2;
  try {
    const tmp = desc.get.call(original);
    if (tmp === null) {
      str = `${s(`[${label}:`, sp)} ${s('null', 'null')}${s(']', sp)}`;
    } else if (typeof tmp === 'object') {
      str = `${s(`[${label}]`, sp)} ${formatValue(ctx, tmp, recurseTimes)}`;
    } else {
      const primitive = formatPrimitive(s, tmp, ctx);
      str = `${s(`[${label}:`, sp)} ${primitive}${s(']', sp)}`;
    }
  } catch (err) {
    const message = `<Inspection threw (${formatValue(ctx, err, recurseTimes)})>`;
    str = `${s(`[${label}:`, sp)} ${message}${s(']', sp)}`;
  }
  ctx.indentationLvl -= 2;
  return str;
}

// --- 4. Formatters -----------------------------------------------------------

function remainingText(remaining) {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
}

function formatArray(ctx, value, recurseTimes) {
  const valLen = value.length;
  const len = MathMin(MathMax(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!ObjectPrototypeHasOwnProperty(value, i)) {
      return formatSparseArray(ctx, value, recurseTimes, len, output, i);
    }
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, i, kArrayType));
  }
  if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function emptyItems(ctx, count) {
  return ctx.stylize(`<${count} empty item${count > 1 ? 's' : ''}>`, 'undefined');
}

// Arrays with holes: runs of missing elements print as `<n empty items>`,
// each run counting as one entry towards maxArrayLength.
function formatSparseArray(ctx, value, recurseTimes, maxLength, output, start) {
  const indices = [];
  for (const key of ObjectKeys(value)) {
    if (isIndexKey(key, false) && +key >= start) ArrayPrototypePush(indices, +key);
  }
  let index = start;
  for (let i = 0; i < indices.length && output.length < maxLength; i++) {
    const next = indices[i];
    if (next !== index) {
      ArrayPrototypePush(output, emptyItems(ctx, next - index));
      index = next;
      if (output.length === maxLength) {
        break;
      }
    }
    ArrayPrototypePush(
      output, formatProperty(ctx, value, recurseTimes, `${next}`, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) {
      ArrayPrototypePush(output, emptyItems(ctx, remaining));
    }
  } else if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function formatTypedArray(value, length, ctx, ignored, recurseTimes) {
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const remaining = value.length - maxLength;
  const output = [];
  const elementFormatter = value.length > 0 && typeof value[0] === 'number' ?
    formatNumber : formatBigInt;
  for (let i = 0; i < maxLength; ++i) {
    ArrayPrototypePush(output, elementFormatter(ctx.stylize, value[i], ctx.numericSeparator));
  }
  if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  if (ctx.showHidden) {
    // The buffer is printed in its short form (see formatRaw).
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength',
      'byteOffset', 'buffer']) {
      const str = formatValue(ctx, value[key], recurseTimes, true);
      ArrayPrototypePush(output, `${ctx.stylize(`[${key}]`, 'string')}: ${str}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function hexByte(byte) {
  return byte < 16 ? `0${byte.toString(16)}` : byte.toString(16);
}

function formatArrayBuffer(ctx, value) {
  let bytes;
  try {
    bytes = new Uint8ArrayCtor(value);
  } catch {
    return [ctx.stylize('(detached)', 'special')];
  }
  const shown = MathMin(ctx.maxArrayLength, bytes.length);
  const hex = [];
  for (let i = 0; i < shown; i++) ArrayPrototypePush(hex, hexByte(bytes[i]));
  let str = ArrayPrototypeJoin(hex, ' ');
  const remaining = bytes.length - ctx.maxArrayLength;
  if (remaining > 0) {
    str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  }
  return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${str}>`];
}

function formatSet(set, ctx, ignored, recurseTimes) {
  const length = SetPrototypeGetSize(set);
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  ctx.indentationLvl += 2;
  const iterator = SetPrototypeValues(set);
  for (let i = 0; i < maxLength; i++) {
    const step = SetIteratorNext(iterator);
    if (step.done) break;
    ArrayPrototypePush(output, formatValue(ctx, step.value, recurseTimes));
  }
  if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(map, ctx, ignored, recurseTimes) {
  const length = MapPrototypeGetSize(map);
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  ctx.indentationLvl += 2;
  const iterator = MapPrototypeEntries(map);
  for (let i = 0; i < maxLength; i++) {
    const step = MapIteratorNext(iterator);
    if (step.done) break;
    const { 0: k, 1: v } = step.value;
    ArrayPrototypePush(output,
                       `${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  }
  if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  ctx.indentationLvl -= 2;
  return output;
}

function getIteratorBraces(type, tag) {
  if (tag !== `${type} Iterator`) {
    if (tag !== '') tag += '] [';
    tag += `${type} Iterator`;
  }
  return [`[${tag}] {`, '}'];
}

// Needs previewEntries; the iterator itself is not advanced.
function formatIterator(braces, ctx, value, recurseTimes) {
  const { 0: entries, 1: isKeyValue } = previewEntries(value, true);
  if (isKeyValue) {
    // Mark entry iterators as such.
    braces[0] = StringPrototypeReplace(braces[0], / Iterator] {$/, ' Entries] {');
    return formatMapIterInner(ctx, recurseTimes, entries, kMapEntries);
  }
  return formatSetIterInner(ctx, recurseTimes, entries, kIterator);
}

const kWeak = 0;
const kIterator = 1;
const kMapEntries = 2;

function formatSetIterInner(ctx, recurseTimes, entries, state) {
  const maxArrayLength = MathMax(ctx.maxArrayLength, 0);
  const maxLength = MathMin(maxArrayLength, entries.length);
  const output = [];
  ctx.indentationLvl += 2;
  for (let i = 0; i < maxLength; i++) {
    ArrayPrototypePush(output, formatValue(ctx, entries[i], recurseTimes));
  }
  ctx.indentationLvl -= 2;
  if (state === kWeak && !ctx.sorted) {
    // WeakSet order is arbitrary; sort for stable output.
    ArrayPrototypeSort(output);
  }
  const remaining = entries.length - maxLength;
  if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function formatMapIterInner(ctx, recurseTimes, entries, state) {
  const maxArrayLength = MathMax(ctx.maxArrayLength, 0);
  // Entries are flat: key, value, key, value, ...
  const len = entries.length / 2;
  const remaining = len - maxArrayLength;
  const maxLength = MathMin(maxArrayLength, len);
  const output = [];
  let i = 0;
  ctx.indentationLvl += 2;
  if (state === kWeak) {
    for (; i < maxLength; i++) {
      const pos = i * 2;
      ArrayPrototypePush(output,
                         `${formatValue(ctx, entries[pos], recurseTimes)} => ` +
                         formatValue(ctx, entries[pos + 1], recurseTimes));
    }
    if (!ctx.sorted) ArrayPrototypeSort(output);
  } else {
    for (; i < maxLength; i++) {
      const pos = i * 2;
      const res = [
        formatValue(ctx, entries[pos], recurseTimes),
        formatValue(ctx, entries[pos + 1], recurseTimes),
      ];
      ArrayPrototypePush(output, reduceToSingleString(
        ctx, res, '', ['[', ']'], kArrayExtrasType, recurseTimes));
    }
  }
  ctx.indentationLvl -= 2;
  if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function formatWeakCollection(ctx) {
  return [ctx.stylize('<items unknown>', 'special')];
}

function formatWeakSet(ctx, value, recurseTimes) {
  const entries = previewEntries(value);
  return formatSetIterInner(ctx, recurseTimes, entries, kWeak);
}

function formatWeakMap(ctx, value, recurseTimes) {
  const entries = previewEntries(value);
  return formatMapIterInner(ctx, recurseTimes, entries, kWeak);
}

function formatPromise(ctx, value, recurseTimes) {
  const { 0: state, 1: result } = getPromiseDetails(value);
  if (state === 0) {
    return [ctx.stylize('<pending>', 'special')];
  }
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, result, recurseTimes);
  ctx.indentationLvl -= 2;
  return [state === 2 ? `${ctx.stylize('<rejected>', 'special')} ${str}` : str];
}

// Module namespaces: bindings still in their temporal dead zone print as
// `<uninitialized>`.
function formatNamespaceObject(keys, ctx, value, recurseTimes) {
  const output = [];
  for (let i = 0; i < keys.length; i++) {
    try {
      // ferro's namespace bindings are getters; show them as the values they are.
      const binding = { [keys[i]]: value[keys[i]] };
      ArrayPrototypePush(output,
                         formatProperty(ctx, binding, recurseTimes, keys[i], kObjectType));
    } catch (err) {
      if (!(isNativeError(err) && err.name === 'ReferenceError')) throw err;
      const placeholder = { [keys[i]]: '' };
      const entry = formatProperty(ctx, placeholder, recurseTimes, keys[i], kObjectType);
      const pos = StringPrototypeLastIndexOf(entry, ' ');
      ArrayPrototypePush(output, StringPrototypeSlice(entry, 0, pos + 1) +
        ctx.stylize('<uninitialized>', 'special'));
    }
  }
  return output;
}

// `[Number: 3]`, `[String: 'ab']`, `[Symbol: Symbol(a)]`, ...
function getBoxedBase(value, ctx, keys, constructor, tag) {
  let type;
  let primitive;
  if (isNumberObject(value)) {
    type = 'Number';
    primitive = NumberPrototypeValueOf(value);
  } else if (isStringObject(value)) {
    type = 'String';
    primitive = StringPrototypeValueOf(value);
    // The characters are shown in the base, not as index keys.
    ArrayPrototypeSplice(keys, 0, primitive.length);
  } else if (isBooleanObject(value)) {
    type = 'Boolean';
    primitive = BooleanPrototypeValueOf(value);
  } else if (isBigIntObject(value)) {
    type = 'BigInt';
    primitive = BigIntPrototypeValueOf(value);
  } else {
    type = 'Symbol';
    primitive = SymbolPrototypeValueOf(value);
  }
  let base = `[${type}`;
  if (type !== constructor) {
    base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  }
  base += `: ${formatPrimitive(stylizeNoColor, primitive, ctx)}]`;
  if (tag !== '' && tag !== constructor) {
    base += ` [${tag}]`;
  }
  if (keys.length !== 0 || ctx.stylize === stylizeNoColor) {
    return base;
  }
  return ctx.stylize(base, StringPrototypeToLowerCase(type));
}

// Source text that starts a class declaration (comments stripped).
const stripCommentsRegExp = /(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g;
const classRegExp = /^(\s+[^(]*?)\s*{/;

function isClassSource(source) {
  if (!StringPrototypeStartsWith(source, 'class') ||
      !StringPrototypeEndsWith(source, '}')) {
    return false;
  }
  const body = StringPrototypeSlice(source, 5, -1);
  const braceIndex = StringPrototypeIndexOf(body, '{');
  return braceIndex !== -1 &&
    (!StringPrototypeIncludes(StringPrototypeSlice(body, 0, braceIndex), '(') ||
     RegExpPrototypeExec(classRegExp,
                         StringPrototypeReplace(body, stripCommentsRegExp, '')) !== null);
}

function getClassBase(value, constructor, tag) {
  const hasName = ObjectPrototypeHasOwnProperty(value, 'name');
  const name = (hasName && value.name) || '(anonymous)';
  let base = `class ${name}`;
  if (constructor !== 'Function' && constructor !== null) {
    base += ` [${constructor}]`;
  }
  if (tag !== '' && constructor !== tag) {
    base += ` [${tag}]`;
  }
  if (constructor !== null) {
    const superName = ObjectGetPrototypeOf(value).name;
    if (superName) {
      base += ` extends ${superName}`;
    }
  } else {
    base += ' extends [null prototype]';
  }
  return `[${base}]`;
}

function getFunctionBase(ctx, value, constructor, tag) {
  const source = FunctionPrototypeToString(value);
  if (isClassSource(source)) {
    return getClassBase(value, constructor, tag);
  }
  let type = 'Function';
  if (isGeneratorFunction(value)) {
    type = `Generator${type}`;
  }
  if (isAsyncFunction(value)) {
    type = `Async${type}`;
  }
  let base = `[${type}`;
  if (constructor === null) {
    base += ' (null prototype)';
  }
  if (value.name === '') {
    base += ' (anonymous)';
  } else {
    base += `: ${value.name}`;
  }
  base += ']';
  if (constructor !== type && constructor !== null) {
    base += ` ${constructor}`;
  }
  if (tag !== '' && constructor !== tag) {
    base += ` [${tag}]`;
  }
  return base;
}

// --- Errors ------------------------------------------------------------------

// err.stack as Node users see it; non-string stacks are inspected. Objects
// that only inherit from Error.prototype have no engine stack to convert.
function getStackString(ctx, error) {
  const stack = isNativeError(error) ? errorStack(error) : error.stack;
  if (stack) {
    if (typeof stack === 'string') {
      return stack;
    }
    ctx.indentationLvl += 4;
    const formatted = formatValue(ctx, stack);
    ctx.indentationLvl -= 4;
    return `${ErrorPrototypeToString(error)}\n    ${formatted}`;
  }
  return ErrorPrototypeToString(error);
}

// `name`, `message` and `stack` are not repeated as properties when the
// stack already shows them.
function removeDuplicateErrorKeys(ctx, keys, err, stack) {
  if (!ctx.showHidden && keys.length !== 0) {
    for (const name of ['name', 'message', 'stack']) {
      const index = keys.indexOf(name);
      if (index !== -1 &&
          (typeof err[name] !== 'string' || StringPrototypeIncludes(stack, err[name]))) {
        ArrayPrototypeSplice(keys, index, 1);
      }
    }
  }
}

// Adds the class name to the first stack line when it differs from the
// error's name: `Foo [TypeError]: msg`, `[Error: null prototype]: msg`.
function improveStack(stack, constructor, name, tag) {
  let len = name.length;
  if (typeof name !== 'string') {
    // A non-string name is shown as written in the stack, tagged with the
    // class.
    const nameString = String(name);
    len = nameString.length;
    if (StringPrototypeStartsWith(stack, nameString) &&
        (stack.length === len || stack[len] === ':' || stack[len] === '\n')) {
      const prefix = StringPrototypeSlice(getPrefix(constructor, tag, 'Error'), 0, -1);
      return `${nameString} [${prefix}]${StringPrototypeSlice(stack, len)}`;
    }
    return stack;
  }
  if (constructor === null ||
      (StringPrototypeEndsWith(name, 'Error') &&
       StringPrototypeStartsWith(stack, name) &&
       (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
    let fallback = 'Error';
    if (constructor === null) {
      const start =
        RegExpPrototypeExec(/^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/, stack) ||
        RegExpPrototypeExec(/^([a-z_A-Z0-9-]*Error)$/, stack);
      fallback = (start && start[1]) || '';
      len = fallback.length;
      fallback = fallback || 'Error';
    }
    const prefix = StringPrototypeSlice(getPrefix(constructor, tag, fallback), 0, -1);
    if (name !== prefix) {
      if (StringPrototypeIncludes(prefix, name)) {
        if (len === 0) {
          stack = `${prefix}: ${stack}`;
        } else {
          stack = `${prefix}${StringPrototypeSlice(stack, len)}`;
        }
      } else {
        stack = `${prefix} [${name}]${StringPrototypeSlice(stack, len)}`;
      }
    }
  }
  return stack;
}

// Finds where `b` repeats a run of (more than three) lines of `a`.
function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = MathMin(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) {
          len++;
        }
        if (len > 3) {
          return { len, offset: i };
        }
      }
    }
  }
  return { len: 0, offset: 0 };
}

// Stack frame lines; frames shared with the cause's stack are collapsed.
function getStackFrames(ctx, err, stack) {
  const frames = StringPrototypeSplit(stack, '\n');
  let cause;
  try {
    ({ cause } = err);
  } catch {
    // A throwing `cause` getter just means there is nothing to collapse.
  }
  if (cause != null && isError(cause)) {
    const causeStack = getStackString(ctx, cause);
    const causeStackStart = StringPrototypeIndexOf(causeStack, '\n    at');
    if (causeStackStart !== -1) {
      const causeFrames = StringPrototypeSplit(
        StringPrototypeSlice(causeStack, causeStackStart + 1), '\n');
      const { len, offset } = identicalSequenceRange(frames, causeFrames);
      if (len > 0) {
        const skipped = len - 2;
        const msg = `    ... ${skipped} lines matching cause stack trace ...`;
        frames.splice(offset + 1, skipped, ctx.stylize(msg, 'undefined'));
      }
    }
  }
  return frames;
}

// Public built-in module ids (as in `node:fs`); frames in them print grey.
const builtinModuleIds = new Set([
  '_http_agent', '_http_client', '_http_common', '_http_incoming',
  '_http_outgoing', '_http_server', '_stream_duplex', '_stream_passthrough',
  '_stream_readable', '_stream_transform', '_stream_wrap', '_stream_writable',
  '_tls_common', '_tls_wrap', 'assert', 'assert/strict', 'async_hooks',
  'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto',
  'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events',
  'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix',
  'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring',
  'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers',
  'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers',
  'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util',
  'util/types', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
]);

function isBuiltinModuleId(id) {
  return builtinModuleIds.has(id) ||
    (StringPrototypeStartsWith(id, 'internal/') && id !== 'internal/main');
}

const coreModuleRegExp = /^ {4}at (?:[^/\\(]+ \(|)node:(.+):\d+:\d+\)?$/;
const nodeModulesRegExp = /[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)(?=[/\\])/g;

// Underlines package names after node_modules/.
function markNodeModules(ctx, line) {
  let result = '';
  let pos = 0;
  let match;
  nodeModulesRegExp.lastIndex = 0;
  while ((match = RegExpPrototypeExec(nodeModulesRegExp, line)) !== null) {
    // Keep '/node_modules/' (14 characters) as is.
    result += StringPrototypeSlice(line, pos, match.index + 14);
    result += ctx.stylize(match[1], 'module');
    pos = match.index + match[0].length;
  }
  return pos === 0 ? line : result + StringPrototypeSlice(line, pos);
}

// Greys out the working directory part of a frame's location.
function markCwd(ctx, line, workingDirectory) {
  let cwdStartPos = StringPrototypeIndexOf(line, workingDirectory);
  if (cwdStartPos === -1) {
    return line;
  }
  let cwdLength = workingDirectory.length;
  if (StringPrototypeSlice(line, cwdStartPos - 7, cwdStartPos) === 'file://') {
    cwdLength += 7;
    cwdStartPos -= 7;
  }
  const start = line[cwdStartPos - 1] === '(' ? cwdStartPos - 1 : cwdStartPos;
  const end = start !== cwdStartPos && StringPrototypeEndsWith(line, ')') ?
    -1 : line.length;
  const workingDirectoryEndPos = cwdStartPos + cwdLength + 1;
  let result = StringPrototypeSlice(line, 0, start);
  result += ctx.stylize(StringPrototypeSlice(line, start, workingDirectoryEndPos), 'undefined');
  result += StringPrototypeSlice(line, workingDirectoryEndPos, end);
  if (end === -1) {
    result += ctx.stylize(')', 'undefined');
  }
  return result;
}

function safeGetCWD() {
  try {
    return globalThis.process.cwd();
  } catch {
    return undefined;
  }
}

function fileUrlOf(path) {
  return `file://${encodeURI(path)}`;
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? err.name : 'Error';
  let stack = getStackString(ctx, err);
  removeDuplicateErrorKeys(ctx, keys, err, stack);

  if (ObjectPrototypeHasOwnProperty(err, 'cause') &&
      (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'cause'))) {
    ArrayPrototypePush(keys, 'cause');
  }
  // Errors aggregated by an AggregateError.
  if (ArrayIsArray(err.errors) &&
      (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'errors'))) {
    ArrayPrototypePush(keys, 'errors');
  }

  stack = improveStack(stack, constructor, name, tag);

  // Frames are searched after the message, which may contain "    at".
  let pos = (err.message && StringPrototypeIndexOf(stack, err.message)) || -1;
  if (pos !== -1) {
    pos += err.message.length;
  }
  const stackStart = StringPrototypeIndexOf(stack, '\n    at', pos);
  if (stackStart === -1) {
    // No frames: wrap the header in brackets.
    stack = `[${stack}]`;
  } else {
    let newStack = StringPrototypeSlice(stack, 0, stackStart);
    const lines = getStackFrames(ctx, err, StringPrototypeSlice(stack, stackStart + 1));
    if (ctx.colors) {
      // Grey out frames of Node's own modules, highlight packages and cwd.
      const workingDirectory = safeGetCWD();
      let esmWorkingDirectory;
      for (let line of lines) {
        const core = RegExpPrototypeExec(coreModuleRegExp, line);
        if (core !== null && isBuiltinModuleId(core[1])) {
          newStack += `\n${ctx.stylize(line, 'undefined')}`;
        } else {
          newStack += '\n';
          line = markNodeModules(ctx, line);
          if (workingDirectory !== undefined) {
            let newLine = markCwd(ctx, line, workingDirectory);
            if (newLine === line) {
              esmWorkingDirectory ??= fileUrlOf(workingDirectory);
              newLine = markCwd(ctx, line, esmWorkingDirectory);
            }
            line = newLine;
          }
          newStack += line;
        }
      }
    } else {
      newStack += `\n${ArrayPrototypeJoin(lines, '\n')}`;
    }
    stack = newStack;
  }
  // Continuation lines follow the current indentation.
  if (ctx.indentationLvl !== 0) {
    const indentation = StringPrototypeRepeat(' ', ctx.indentationLvl);
    stack = StringPrototypeReplace(stack, /\n/g, `\n${indentation}`);
  }
  return stack;
}

// --- 5. Layout ---------------------------------------------------------------

const colorRegExp = /\u001b\[\d\d?m/g;

function removeColors(str) {
  return StringPrototypeReplace(str, colorRegExp, '');
}

// Prints long lists of short array entries in aligned columns, aiming for a
// roughly square block (characters are ~2.5 times as high as wide).
function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  // A trailing "... more items" entry is not part of the grid.
  if (ctx.maxArrayLength < output.length) {
    outputLength--;
  }
  const separatorSpace = 2; // ", "
  const dataLen = [];
  for (let i = 0; i < outputLength; i++) {
    const len = getStringWidth(output[i], ctx.colors);
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) {
      maxLength = len;
    }
  }
  const actualMax = maxLength + separatorSpace;
  // Group only if three entries fit on a line and the entries are of
  // similar length (no entry longer than a fifth of all entries combined,
  // unless all are short).
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5;
    const averageBias = MathSqrt(actualMax - totalLength / output.length);
    const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
    const columns = MathMin(
      MathRound(MathSqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      MathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) {
      return output;
    }
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) {
          lineLength = dataLen[j];
        }
      }
      ArrayPrototypePush(maxLineLength, lineLength + separatorSpace);
    }
    // Numbers are right-aligned, everything else left-aligned.
    let order = StringPrototypePadStart;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          order = StringPrototypePadEnd;
          break;
        }
      }
    }
    const grouped = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = MathMin(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        // Color codes take no room on screen; pad by visible width.
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += order(`${output[j]}, `, padding, ' ');
      }
      if (order === StringPrototypePadStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] -
          separatorSpace;
        str += StringPrototypePadStart(output[j], padding, ' ');
      } else {
        str += output[j];
      }
      ArrayPrototypePush(grouped, str);
    }
    if (ctx.maxArrayLength < output.length) {
      ArrayPrototypePush(grouped, output[outputLength]);
    }
    output = grouped;
  }
  return output;
}

function isBelowBreakLength(ctx, output, start, base) {
  // Each entry adds a separator; `start` accounts for braces and base.
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) {
    return false;
  }
  for (let i = 0; i < output.length; i++) {
    totalLength += ctx.colors ? removeColors(output[i]).length : output[i].length;
    if (totalLength > ctx.breakLength) {
      return false;
    }
  }
  return base === '' || !StringPrototypeIncludes(base, '\n');
}

// Joins the entries either on a single line (when short enough and not
// nested more than `compact` levels deep) or one entry per line.
function reduceToSingleString(ctx, output, base, braces, extrasType,
                              recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      // `currentDepth` is the level of the most recently formatted object:
      // only the innermost `compact` levels may be combined.
      if (ctx.currentDepth - recurseTimes < ctx.compact &&
          entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length +
          base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joinedOutput = ArrayPrototypeJoin(output, ', ');
          if (!StringPrototypeIncludes(joinedOutput, '\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joinedOutput} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${
      ArrayPrototypeJoin(output, `,${indentation}  `)}${indentation}${braces[1]}`;
  }
  // compact: true puts as much as fits on each line.
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${ArrayPrototypeJoin(output, ', ')} ${braces[1]}`;
  }
  const indentation = StringPrototypeRepeat(' ', ctx.indentationLvl);
  const ln = base === '' && braces[0].length === 1 ?
    ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${ArrayPrototypeJoin(output, `,\n${indentation}  `)} ${braces[1]}`;
}

// --- String width --------------------------------------------------------------

// Wide (East Asian full-width) code points take two columns.
function isFullWidthCodePoint(code) {
  return code >= 0x1100 && (
    code <= 0x115f ||
    code === 0x2329 ||
    code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
    (code >= 0x3250 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0xa4c6) ||
    (code >= 0xa960 && code <= 0xa97c) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6b) ||
    (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1b000 && code <= 0x1b001) ||
    (code >= 0x1f200 && code <= 0x1f251) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

// Control characters, combining marks and zero-width characters.
function isZeroWidthCodePoint(code) {
  return code <= 0x1F ||
    (code >= 0x7F && code <= 0x9F) ||
    (code >= 0x300 && code <= 0x36F) ||
    (code >= 0x200B && code <= 0x200F) ||
    (code >= 0x20D0 && code <= 0x20FF) ||
    (code >= 0xFE00 && code <= 0xFE0F) ||
    (code >= 0xFE20 && code <= 0xFE2F) ||
    (code >= 0xE0100 && code <= 0xE01EF);
}

// Number of terminal columns `str` occupies.
function getStringWidth(str, removeControlChars = true) {
  let width = 0;
  if (removeControlChars) {
    str = stripVTControlCharacters(str);
  }
  str = StringPrototypeNormalize(str, 'NFC');
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCodePointAt(str, i);
    if (code > 0xffff) i++;
    if (isFullWidthCodePoint(code)) {
      width += 2;
    } else if (!isZeroWidthCodePoint(code)) {
      width++;
    }
  }
  return width;
}

// --- 6. format ---------------------------------------------------------------

// Whether `%s` should inspect the object rather than call its toString:
// true for objects whose toString is inherited from a built-in prototype.
function hasBuiltInToString(value) {
  // Proxies count as built-in; their target is checked without traps.
  const proxyTarget = getProxyDetails(value);
  if (proxyTarget !== undefined) {
    if (proxyTarget === null) {
      return true;
    }
    value = proxyTarget;
  }
  // Objects that cannot be converted count as built-in.
  if (typeof value.toString !== 'function' &&
      typeof value[SymbolToPrimitive] !== 'function') {
    return true;
  }
  const definesConversion = (object) =>
    ObjectPrototypeHasOwnProperty(object, 'toString') ||
    ObjectPrototypeHasOwnProperty(object, SymbolToPrimitive);
  if (definesConversion(value)) {
    return false;
  }
  // The conversion is built-in if the prototype defining it belongs to a
  // built-in constructor.
  let pointer = value;
  do {
    pointer = ObjectGetPrototypeOf(pointer);
  } while (!definesConversion(pointer));
  const descriptor = ObjectGetOwnPropertyDescriptor(pointer, 'constructor');
  return descriptor !== undefined &&
    typeof descriptor.value === 'function' &&
    builtInObjects.has(descriptor.value.name);
}

let circularErrorMessage;
function firstLine(message) {
  const index = StringPrototypeIndexOf(message, '\n');
  return index === -1 ? message : StringPrototypeSlice(message, 0, index);
}

// %j: JSON, with '[Circular]' for circular structures.
function tryStringify(arg) {
  try {
    return JSONStringify(arg);
  } catch (err) {
    // The engine's wording for circular structures is found out once.
    if (circularErrorMessage === undefined) {
      try {
        const a = {};
        a.a = a;
        JSONStringify(a);
      } catch (circularError) {
        circularErrorMessage = firstLine(circularError.message);
      }
    }
    if (err.name === 'TypeError' &&
        firstLine(err.message) === circularErrorMessage) {
      return '[Circular]';
    }
    throw err;
  }
}

function formatWithOptionsInternal(inspectOptions, args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';

  if (typeof first === 'string') {
    if (args.length === 1) {
      return first;
    }
    let tempStr;
    let lastPos = 0;

    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) !== 37) { // '%'
        continue;
      }
      const nextChar = StringPrototypeCharCodeAt(first, ++i);
      if (a + 1 !== args.length) {
        switch (nextChar) {
          case 115: { // 's'
            const tempArg = args[++a];
            if (typeof tempArg === 'number') {
              tempStr = formatNumber(stylizeNoColor, tempArg, false);
            } else if (typeof tempArg === 'bigint') {
              tempStr = formatBigInt(stylizeNoColor, tempArg, false);
            } else if (typeof tempArg !== 'object' ||
                       tempArg === null ||
                       !hasBuiltInToString(tempArg)) {
              tempStr = String(tempArg);
            } else {
              tempStr = inspect(tempArg, {
                ...inspectOptions,
                depth: 0,
                colors: false,
                compact: 3,
              });
            }
            break;
          }
          case 106: // 'j'
            tempStr = tryStringify(args[++a]);
            break;
          case 100: { // 'd'
            const tempNum = args[++a];
            if (typeof tempNum === 'bigint') {
              tempStr = formatBigInt(stylizeNoColor, tempNum, false);
            } else if (typeof tempNum === 'symbol') {
              tempStr = 'NaN';
            } else {
              tempStr = formatNumber(stylizeNoColor, Number(tempNum), false);
            }
            break;
          }
          case 79: // 'O'
            tempStr = inspect(args[++a], inspectOptions);
            break;
          case 111: // 'o'
            tempStr = inspect(args[++a], {
              ...inspectOptions,
              showHidden: true,
              showProxy: true,
              depth: 4,
            });
            break;
          case 105: { // 'i'
            const tempInteger = args[++a];
            if (typeof tempInteger === 'bigint') {
              tempStr = formatBigInt(stylizeNoColor, tempInteger, false);
            } else if (typeof tempInteger === 'symbol') {
              tempStr = 'NaN';
            } else {
              tempStr = formatNumber(stylizeNoColor, NumberParseInt(tempInteger), false);
            }
            break;
          }
          case 102: { // 'f'
            const tempFloat = args[++a];
            if (typeof tempFloat === 'symbol') {
              tempStr = 'NaN';
            } else {
              tempStr = formatNumber(stylizeNoColor, NumberParseFloat(tempFloat), false);
            }
            break;
          }
          case 99: // 'c': CSS is consumed and ignored.
            a += 1;
            tempStr = '';
            break;
          case 37: // '%'
            str += StringPrototypeSlice(first, lastPos, i);
            lastPos = i + 1;
            continue;
          default: // Not a format specifier.
            continue;
        }
        if (lastPos !== i - 1) {
          str += StringPrototypeSlice(first, lastPos, i - 1);
        }
        str += tempStr;
        lastPos = i + 1;
      } else if (nextChar === 37) {
        str += StringPrototypeSlice(first, lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) {
        str += StringPrototypeSlice(first, lastPos);
      }
    }
  }

  // Remaining arguments are appended: strings as they are, the rest
  // inspected.
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

function format(...args) {
  return formatWithOptionsInternal(undefined, args);
}

function formatWithOptions(inspectOptions, ...args) {
  validateObject(inspectOptions, 'inspectOptions', kValidateObjectAllowArray);
  return formatWithOptionsInternal(inspectOptions, args);
}

// ANSI escape sequences (CSI and OSC), as matched by Node.
const ansiPattern = '[\\u001B\\u009B][[\\]()#;?]*' +
  '(?:(?:(?:(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]+)*' +
  '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]*)*)?' +
  '(?:\\u0007|\\u001B\\u005C|\\u009C))' +
  '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PR-TZcf-nq-uy=><~]))';
const ansi = new RegExp(ansiPattern, 'g');

function stripVTControlCharacters(str) {
  validateString(str, 'str');
  return StringPrototypeReplace(str, ansi, '');
}

module.exports = {
  format,
  formatWithOptions,
  getStringWidth,
  inspect,
  inspectDefaultOptions,
  stripVTControlCharacters,
};
