'use strict';

// Pieces shared by the web stream classes: the internal-slot symbols, the queue with
// sizes, strategy extraction, promise helpers and the inspect format of every class.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE },
} = require('internal/errors');

// Every public object keeps its spec slots in one plain object under kState; kType
// names its class for brand checks. Both are module-private, so they can't be forged.
const kState = Symbol('kState');
const kType = Symbol('kType');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
// What node:stream's finished() and addAbortSignal() use on web streams.
const kIsClosedPromise = Symbol.for('nodejs.webstream.isClosedPromise');
const kControllerErrorFunction = Symbol.for('nodejs.webstream.controllerErrorFunction');

const PromisePrototypeThen = Promise.prototype.then;
const PromiseResolve = Promise.resolve.bind(Promise);
const PromiseReject = Promise.reject.bind(Promise);
const PromiseWithResolvers = Promise.withResolvers.bind(Promise);

// The spec's "upon fulfillment / upon rejection": a reaction that can't be observed
// through a patched Promise.prototype.then and never leaves an unhandled rejection.
function uponPromise(promise, onFulfilled, onRejected) {
  PromisePrototypeThen.call(promise, onFulfilled, onRejected ?? rethrowSilently);
}

function rethrowSilently() {}

function setPromiseHandled(promise) {
  PromisePrototypeThen.call(promise, undefined, rethrowSilently);
}

// A promise for the result of an underlying source, sink or transformer method. Node
// resolves a promise with the result, so a returned promise is adopted (two ticks later)
// rather than passed through.
function promiseFor(result) {
  if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
    const { promise, resolve } = PromiseWithResolvers();
    resolve(result);
    return promise;
  }
  return PromiseResolve(result);
}

// Calls `method` of `target` as a promise: a throw becomes a rejection, a missing method
// a promise resolved with undefined.
function promiseCall(method, target, arg) {
  if (method === undefined) return PromiseResolve();
  try {
    return promiseFor(method.call(target, arg));
  } catch (err) {
    return PromiseReject(err);
  }
}

function promiseCall2(method, target, arg1, arg2) {
  try {
    return promiseFor(method.call(target, arg1, arg2));
  } catch (err) {
    return PromiseReject(err);
  }
}

// A FIFO of chunks with their sizes ("queue-with-sizes"). Consumed entries are dropped
// in batches so shifting stays O(1).
class SizedQueue {
  constructor() {
    this.values = [];
    this.sizes = [];
    this.head = 0;
    this.totalSize = 0;
  }

  get length() {
    return this.values.length - this.head;
  }

  push(value, size) {
    this.values.push(value);
    this.sizes.push(size);
    this.totalSize += size;
  }

  shift() {
    const head = this.head;
    const values = this.values;
    const value = values[head];
    this.totalSize -= this.sizes[head];
    // Sizes may not add up exactly in floating point.
    if (this.totalSize < 0) this.totalSize = 0;
    if (head + 1 === values.length) {
      values.length = 0;
      this.sizes.length = 0;
      this.head = 0;
    } else {
      values[head] = undefined;
      this.head = head + 1;
      if (head > 1024 && head * 2 > values.length) {
        values.splice(0, head + 1);
        this.sizes.splice(0, head + 1);
        this.head = 0;
      }
    }
    return value;
  }

  peek() {
    return this.values[this.head];
  }

  clear() {
    this.values = [];
    this.sizes = [];
    this.head = 0;
    this.totalSize = 0;
  }
}

function validateDictionary(value, name) {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new ERR_INVALID_ARG_TYPE(name, 'object', value);
  }
}

// The source/sink/transformer argument: any object (a function too), never null.
function validateUnderlying(value, name) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new ERR_INVALID_ARG_TYPE(name, 'object', value);
  }
}

function validateOptionalFunction(value, name) {
  if (value !== undefined && typeof value !== 'function') {
    throw new ERR_INVALID_ARG_TYPE(name, 'function', value);
  }
}

// The `start` method is called right away; anything but a function there fails the way
// Node's binding of it does.
function validateStart(start) {
  if (start !== undefined && typeof start !== 'function') {
    throw new TypeError('Bind must be called on a function');
  }
}

function extractHighWaterMark(highWaterMark, defaultHWM) {
  if (highWaterMark === undefined) return defaultHWM;
  const number = +highWaterMark;
  if (number !== number || number < 0) {
    throw new ERR_INVALID_ARG_VALUE.RangeError('strategy.highWaterMark', highWaterMark);
  }
  return number;
}

function defaultSize() {
  return 1;
}

function extractSizeAlgorithm(size) {
  if (size === undefined) return defaultSize;
  if (typeof size !== 'function') throw new ERR_INVALID_ARG_TYPE('strategy.size', 'function', size);
  return size;
}

// A chunk size as a number (Web IDL unrestricted double): finite and non-negative.
function validateChunkSize(size) {
  const number = +size;
  if (!(number >= 0) || number === Infinity) throw new ERR_INVALID_ARG_VALUE.RangeError('size', size);
  return number;
}

// The promise settled when a stream closes (fulfilled) or errors (rejected), made on
// first use: `stream.isClosed` is created by the getter and settled by the stream.
function isClosedPromiseOf(stream, closedState, erroredState) {
  if (stream.isClosed === undefined) {
    stream.isClosed = PromiseWithResolvers();
    setPromiseHandled(stream.isClosed.promise);
    if (stream.state === closedState) stream.isClosed.resolve();
    else if (stream.state === erroredState) stream.isClosed.reject(stream.storedError);
  }
  return stream.isClosed;
}

function isDetached(buffer) {
  return buffer.detached === true;
}

// Moves the bytes of `buffer` to a new ArrayBuffer, leaving `buffer` detached.
function transferArrayBuffer(buffer) {
  return buffer.transfer();
}

// Element size of a typed array's constructor, 1 for DataView.
function elementSizeOf(view) {
  return view.BYTES_PER_ELEMENT ?? 1;
}

let inspectFn;
function inspect(value, options) {
  inspectFn ??= require('internal/util/inspect').inspect;
  return inspectFn(value, options);
}

// Node prints a stream object as `Name { field: value, ... }`; past the depth limit the
// custom inspector yields nothing, which prints as undefined.
function inspectObject(name, fields, depth, options) {
  if (depth < 0) return undefined;
  const nested = { ...options, depth: options.depth == null ? null : options.depth - 1 };
  return `${name} ${inspect(fields, nested)}`;
}

function defineToStringTag(proto, name) {
  Object.defineProperty(proto, Symbol.toStringTag, {
    value: name,
    writable: false,
    enumerable: false,
    configurable: true,
  });
}

// Web IDL members are enumerable on the prototype.
function makeEnumerable(proto, names) {
  for (const name of names) Object.defineProperty(proto, name, { enumerable: true });
}

module.exports = {
  kState,
  kType,
  customInspect,
  kIsClosedPromise,
  kControllerErrorFunction,
  PromisePrototypeThen,
  PromiseResolve,
  PromiseReject,
  PromiseWithResolvers,
  uponPromise,
  setPromiseHandled,
  promiseFor,
  promiseCall,
  promiseCall2,
  SizedQueue,
  validateDictionary,
  validateUnderlying,
  validateOptionalFunction,
  validateStart,
  extractHighWaterMark,
  extractSizeAlgorithm,
  defaultSize,
  validateChunkSize,
  isClosedPromiseOf,
  isDetached,
  transferArrayBuffer,
  elementSizeOf,
  inspect,
  inspectObject,
  defineToStringTag,
  makeEnumerable,
};
