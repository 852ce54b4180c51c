'use strict';
// structuredClone(value, { transfer }): the HTML structured clone algorithm as V8's
// serializer applies it in Node. Shared references and cycles are kept; prototypes are
// not (class instances come back as plain objects); functions, symbols, WeakMaps,
// promises and the like throw a DataCloneError DOMException. ArrayBuffers in `transfer`
// are moved: the originals are detached.

const { codes } = require('internal/errors');
const types = require('internal/util/types');
const { DOMException } = require('internal/dom_exception');
const { objectKind } = require('internal/util/object_kind');
// How V8 names a value it cannot clone.
const { describeUncloneable: describe } = require('internal/worker/serializer');

const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const ObjectPrototypeToString = uncurry(Object.prototype.toString);
const hasOwn = uncurry(Object.prototype.hasOwnProperty);
const DateGetTime = uncurry(Date.prototype.getTime);
const ArrayBufferSlice = uncurry(ArrayBuffer.prototype.slice);

// Error names that keep their prototype; any other name comes back as a plain Error.
const kErrorPrototypes = {
  Error: Error.prototype,
  EvalError: EvalError.prototype,
  RangeError: RangeError.prototype,
  ReferenceError: ReferenceError.prototype,
  SyntaxError: SyntaxError.prototype,
  TypeError: TypeError.prototype,
  URIError: URIError.prototype,
};

function dataCloneError(message) {
  return new DOMException(message, 'DataCloneError');
}

function optionsError(message) {
  const err = new TypeError(`Failed to execute 'structuredClone': ${message}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}


function isUncloneablePlatformObject(value) {
  const name = value.constructor?.name;
  if (name !== 'URL' && name !== 'URLSearchParams') return false;
  const url = require('internal/url');
  return value instanceof url.URL || value instanceof url.URLSearchParams;
}

function defineHidden(target, key, value) {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

class Cloner {
  constructor(transfer) {
    // Original object -> its clone, so that shared references and cycles survive.
    this.memory = new Map();
    this.transfer = new Set(transfer);
  }

  clone(value) {
    if (typeof value === 'symbol') throw dataCloneError(`${describe(value)} could not be cloned.`);
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    const known = this.memory.get(value);
    if (known !== undefined) return known;
    if (typeof value === 'function' || types.isProxy(value)) {
      throw dataCloneError(`${describe(value)} could not be cloned.`);
    }
    return this.cloneObject(value);
  }

  remember(value, copy) {
    this.memory.set(value, copy);
    return copy;
  }

  cloneObject(value) {
    const tag = ObjectPrototypeToString(value);
    switch (objectKind(value, tag)) {
      case 'boxed':
        if (types.isSymbolObject(value)) throw dataCloneError(`${describe(value)} could not be cloned.`);
        return this.remember(value, Object(value.valueOf()));
      case 'date':
        return this.remember(value, new Date(DateGetTime(value)));
      case 'regexp':
        return this.remember(value, new RegExp(value.source, value.flags));
      case 'arraybuffer':
        return this.remember(value, this.transfer.has(value) ? value.transfer() : this.cloneBuffer(value));
      case 'typedarray':
      case 'dataview':
        return this.cloneView(value);
      case 'map': {
        const copy = this.remember(value, new Map());
        for (const [key, entry] of value) copy.set(this.clone(key), this.clone(entry));
        return copy;
      }
      case 'set': {
        const copy = this.remember(value, new Set());
        for (const entry of value) copy.add(this.clone(entry));
        return copy;
      }
      case 'error':
        if (value instanceof DOMException) {
          const copy = this.remember(value, new DOMException(value.message, value.name));
          if (typeof value.stack === 'string') defineHidden(copy, 'stack', value.stack);
          return copy;
        }
        if (types.isNativeError(value)) return this.cloneError(value);
        break;
      case 'opaque':
        throw dataCloneError(`${describe(value)} could not be cloned.`);
      default:
        // Iterators, generators and namespaces carry tags of their own.
        if (tag !== '[object Object]' && tag !== '[object Array]' &&
            (types.isGeneratorObject(value) || types.isMapIterator(value) || types.isSetIterator(value) ||
             types.isModuleNamespaceObject(value))) {
          throw dataCloneError(`${describe(value)} could not be cloned.`);
        }
        if (isUncloneablePlatformObject(value)) throw dataCloneError('Cannot clone object of unsupported type.');
    }
    const copy = this.remember(value, Array.isArray(value) ? new Array(value.length) : {});
    for (const key of Object.keys(value)) copy[key] = this.clone(value[key]);
    return copy;
  }

  cloneBuffer(buffer) {
    if (types.isSharedArrayBuffer(buffer)) return internalBinding('worker').shareMemory(buffer) ?? buffer;
    if (buffer.detached) throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
    if (buffer.resizable) {
      const copy = new ArrayBuffer(buffer.byteLength, { maxByteLength: buffer.maxByteLength });
      new Uint8Array(copy).set(new Uint8Array(buffer));
      return copy;
    }
    return ArrayBufferSlice(buffer, 0);
  }

  // A view is cloned with its whole buffer, which other views may share. Its geometry is
  // read first: transferring the buffer empties the view.
  cloneView(view) {
    const { byteOffset } = view;
    let copy;
    if (types.isDataView(view)) {
      const { byteLength } = view;
      copy = new DataView(this.clone(view.buffer), byteOffset, byteLength);
    } else {
      const { length } = view;
      const Constructor = globalThis[ObjectPrototypeToString(view).slice(8, -1)];
      copy = new Constructor(this.clone(view.buffer), byteOffset, length);
    }
    return this.remember(view, copy);
  }

  cloneError(error) {
    const name = error.name;
    const prototype = hasOwn(kErrorPrototypes, name) ? kErrorPrototypes[name] : Error.prototype;
    const copy = new prototype.constructor();
    this.remember(error, copy);
    if (hasOwn(error, 'message')) defineHidden(copy, 'message', `${error.message}`);
    const stack = error.stack;
    if (typeof stack === 'string') defineHidden(copy, 'stack', stack);
    if (hasOwn(error, 'cause')) defineHidden(copy, 'cause', this.clone(error.cause));
    return copy;
  }
}

function transferList(options) {
  if (options === undefined || options === null) return [];
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw optionsError('Options cannot be converted to a dictionary');
  }
  const transfer = options.transfer;
  if (transfer === undefined) return [];
  if (transfer === null || typeof transfer !== 'object' || typeof transfer[Symbol.iterator] !== 'function') {
    throw optionsError('transfer in Options cannot be converted to sequence.');
  }
  const list = [...transfer];
  list.forEach((item, i) => {
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
      throw optionsError(`transfer in Options[${i}] is not an object.`);
    }
  });
  return list;
}

function structuredClone(value, options) {
  if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('The value argument must be specified');
  const transfer = transferList(options);
  for (const item of transfer) {
    if (!types.isArrayBuffer(item)) throw dataCloneError('Found invalid value in transferList.');
    if (item.detached) throw dataCloneError('Cannot transfer object of unsupported type.');
  }
  if (new Set(transfer).size !== transfer.length) {
    throw dataCloneError('Transfer list contains duplicate ArrayBuffer');
  }
  const cloner = new Cloner(transfer);
  const result = cloner.clone(value);
  // Listed buffers the value did not reach are detached all the same.
  for (const buffer of transfer) {
    if (!cloner.memory.has(buffer)) buffer.transfer();
  }
  return result;
}

module.exports = { structuredClone };
