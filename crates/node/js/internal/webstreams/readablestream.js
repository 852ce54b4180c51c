'use strict';

// ReadableStream (WHATWG Streams): default and byte streams, default and BYOB readers,
// tee, pipeTo/pipeThrough, async iteration and ReadableStream.from.
//
// Each public object keeps its spec slots in a record under kState; the algorithms
// below work on those records (`stream`, `controller`, `reader`), which point back to
// their public object through `.object`.

const {
  codes: {
    ERR_ARG_NOT_ITERABLE,
    ERR_ILLEGAL_CONSTRUCTOR,
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_STATE,
    ERR_INVALID_THIS,
    ERR_OUT_OF_RANGE,
  },
} = require('internal/errors');
const {
  kState,
  kType,
  customInspect,
  kIsClosedPromise,
  kControllerErrorFunction,
  isClosedPromiseOf,
  PromisePrototypeThen,
  PromiseResolve,
  PromiseReject,
  PromiseWithResolvers,
  uponPromise,
  setPromiseHandled,
  promiseFor,
  promiseCall,
  SizedQueue,
  validateDictionary,
  validateUnderlying,
  validateOptionalFunction,
  validateStart,
  extractHighWaterMark,
  extractSizeAlgorithm,
  defaultSize,
  validateChunkSize,
  isDetached,
  transferArrayBuffer,
  elementSizeOf,
  inspectObject,
  defineToStringTag,
  makeEnumerable,
} = require('internal/webstreams/util');
const writable = require('internal/webstreams/writablestream');

const kSkipInit = Symbol('kSkipInit');
const kDisturbed = Symbol.for('nodejs.stream.disturbed');
const kErrored = Symbol.for('nodejs.stream.errored');
const kReadable = Symbol.for('nodejs.stream.readable');

function invalidState(message) {
  return new ERR_INVALID_STATE.TypeError(message);
}

function isReadableStream(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'ReadableStream';
}

function streamOf(value, name) {
  if (!isReadableStream(value)) throw new ERR_INVALID_THIS(name);
  return value[kState];
}

// --- ReadableStream --------------------------------------------------------------------

class ReadableStream {
  constructor(source = {}, strategy = undefined) {
    if (source === kSkipInit) return;
    validateUnderlying(source, 'source');
    validateDictionary(strategy, 'strategy');
    const size = strategy?.size;
    const highWaterMark = strategy?.highWaterMark;
    let type = source.type;
    if (type !== undefined) {
      if (`${type}` !== 'bytes') throw new ERR_INVALID_ARG_VALUE('source.type', type);
      type = 'bytes';
    }
    initializeReadableStream(this);
    if (type === 'bytes') {
      if (size !== undefined) throw new ERR_INVALID_ARG_VALUE.RangeError('strategy.size', size);
      const hwm = extractHighWaterMark(highWaterMark, 0);
      setUpByteControllerFromSource(this[kState], source, hwm);
    } else {
      const hwm = extractHighWaterMark(highWaterMark, 1);
      const sizeAlgorithm = extractSizeAlgorithm(size);
      setUpDefaultControllerFromSource(this[kState], source, hwm, sizeAlgorithm);
    }
  }

  get locked() {
    return streamOf(this, 'ReadableStream').reader !== undefined;
  }

  cancel(reason = undefined) {
    if (!isReadableStream(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStream'));
    const stream = this[kState];
    if (stream.reader !== undefined) return PromiseReject(invalidState('ReadableStream is locked'));
    return readableStreamCancel(stream, reason);
  }

  getReader(options = undefined) {
    const stream = streamOf(this, 'ReadableStream');
    validateDictionary(options, 'options');
    const mode = options?.mode;
    if (mode === undefined) return newDefaultReader(stream);
    if (`${mode}` !== 'byob') throw new ERR_INVALID_ARG_VALUE('options.mode', mode);
    return newBYOBReader(stream);
  }

  pipeThrough(transform, options = undefined) {
    const stream = streamOf(this, 'ReadableStream');
    const readable = transform?.readable;
    if (!isReadableStream(readable)) {
      throw new ERR_INVALID_ARG_TYPE('transform.readable', 'ReadableStream', readable);
    }
    const dest = transform.writable;
    if (!writable.isWritableStream(dest)) {
      throw new ERR_INVALID_ARG_TYPE('transform.writable', 'WritableStream', dest);
    }
    const { preventAbort, preventCancel, preventClose, signal } = pipeOptions(options);
    if (stream.reader !== undefined) throw invalidState('The ReadableStream is locked');
    if (dest[kState].writer !== undefined) throw invalidState('The WritableStream is locked');
    const promise = readableStreamPipeTo(stream, dest[kState], preventClose, preventAbort, preventCancel, signal);
    setPromiseHandled(promise);
    return readable;
  }

  pipeTo(destination, options = undefined) {
    try {
      const stream = streamOf(this, 'ReadableStream');
      if (!writable.isWritableStream(destination)) {
        throw new ERR_INVALID_ARG_TYPE('transform.writable', 'WritableStream', destination);
      }
      const { preventAbort, preventCancel, preventClose, signal } = pipeOptions(options);
      if (stream.reader !== undefined) throw invalidState('The ReadableStream is locked');
      if (destination[kState].writer !== undefined) throw invalidState('The WritableStream is locked');
      return readableStreamPipeTo(stream, destination[kState], preventClose, preventAbort, preventCancel, signal);
    } catch (err) {
      return PromiseReject(err);
    }
  }

  tee() {
    const stream = streamOf(this, 'ReadableStream');
    return readableStreamTee(stream);
  }

  values(options = undefined) {
    const stream = streamOf(this, 'ReadableStream');
    validateDictionary(options, 'options');
    const preventCancel = !!options?.preventCancel;
    return createAsyncIterator(stream, preventCancel);
  }

  get [kDisturbed]() {
    return this[kState].disturbed;
  }

  get [kErrored]() {
    return this[kState].state === 'errored';
  }

  get [kReadable]() {
    return this[kState].state === 'readable';
  }

  get [kIsClosedPromise]() {
    return isClosedPromiseOf(this[kState], 'closed', 'errored');
  }

  [kControllerErrorFunction](error) {
    const controller = this[kState].controller;
    if (controller.byte) byteControllerError(controller, error);
    else defaultControllerError(controller, error);
  }

  [customInspect](depth, options) {
    const stream = this[kState];
    return inspectObject(this.constructor.name, {
      locked: stream.reader !== undefined,
      state: stream.state,
      supportsBYOB: stream.controller.byte,
    }, depth, options);
  }

  static from(iterable) {
    return readableStreamFromIterable(iterable);
  }
}
ReadableStream.prototype[Symbol.asyncIterator] = ReadableStream.prototype.values;
Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, { enumerable: false });
makeEnumerable(ReadableStream.prototype, ['locked', 'cancel', 'getReader', 'pipeThrough', 'pipeTo', 'tee', 'values']);
defineToStringTag(ReadableStream.prototype, 'ReadableStream');

function pipeOptions(options) {
  validateDictionary(options, 'options');
  const preventAbort = !!options?.preventAbort;
  const preventCancel = !!options?.preventCancel;
  const preventClose = !!options?.preventClose;
  const signal = options?.signal;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ERR_INVALID_ARG_TYPE('options.signal', 'AbortSignal', signal);
  }
  return { preventAbort, preventCancel, preventClose, signal };
}

let abortControllerModule;
function isAbortSignal(value) {
  abortControllerModule ??= require('internal/abort_controller');
  return abortControllerModule.isAbortSignal(value);
}

function initializeReadableStream(object) {
  object[kType] = 'ReadableStream';
  object[kState] = {
    state: 'readable',
    reader: undefined,
    storedError: undefined,
    disturbed: false,
    controller: undefined,
    isClosed: undefined,
    object,
  };
}

function isReadableStreamLocked(stream) {
  return stream.reader !== undefined;
}

// CreateReadableStream: a default stream whose source is the given algorithms.
function createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 1, sizeAlgorithm = defaultSize) {
  const object = new ReadableStream(kSkipInit);
  initializeReadableStream(object);
  const controller = newDefaultController(object[kState]);
  setUpDefaultController(object[kState], controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark, sizeAlgorithm);
  return object;
}

function createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm) {
  const object = new ReadableStream(kSkipInit);
  initializeReadableStream(object);
  const controller = newByteController(object[kState]);
  setUpByteController(object[kState], controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, 0, undefined);
  return object;
}

function readableStreamCancel(stream, reason) {
  stream.disturbed = true;
  if (stream.state === 'closed') return PromiseResolve();
  if (stream.state === 'errored') return PromiseReject(stream.storedError);
  readableStreamClose(stream);
  const reader = stream.reader;
  if (reader !== undefined && reader.byob) {
    const requests = reader.requests;
    reader.requests = [];
    for (let i = 0; i < requests.length; i++) requests[i].close(undefined);
  }
  const sourceCancelPromise = stream.controller.cancelSteps(reason);
  const { promise, resolve, reject } = PromiseWithResolvers();
  uponPromise(sourceCancelPromise, () => resolve(), reject);
  return promise;
}

function readableStreamClose(stream) {
  stream.state = 'closed';
  stream.isClosed?.resolve();
  const reader = stream.reader;
  if (reader === undefined) return;
  reader.closed.resolve();
  if (!reader.byob) {
    const requests = reader.requests;
    if (requests.length === 0) return;
    reader.requests = [];
    for (let i = 0; i < requests.length; i++) requests[i].close();
  }
}

function readableStreamError(stream, error) {
  stream.state = 'errored';
  stream.storedError = error;
  stream.isClosed?.reject(error);
  const reader = stream.reader;
  if (reader === undefined) return;
  reader.closed.reject(error);
  setPromiseHandled(reader.closed.promise);
  errorReadRequests(reader, error);
}

function errorReadRequests(reader, error) {
  const requests = reader.requests;
  reader.requests = [];
  for (let i = 0; i < requests.length; i++) requests[i].error(error);
}

function readableStreamFulfillReadRequest(stream, chunk, done) {
  const readRequest = stream.reader.requests.shift();
  if (done) readRequest.close();
  else readRequest.chunk(chunk);
}

function readableStreamFulfillReadIntoRequest(stream, chunk, done) {
  const readIntoRequest = stream.reader.requests.shift();
  if (done) readIntoRequest.close(chunk);
  else readIntoRequest.chunk(chunk);
}

function numReadRequests(stream) {
  return stream.reader.requests.length;
}

function hasDefaultReader(stream) {
  return stream.reader !== undefined && !stream.reader.byob;
}

function hasBYOBReader(stream) {
  return stream.reader !== undefined && stream.reader.byob;
}

// --- Readers ---------------------------------------------------------------------------

function newReaderRecord(object, byob) {
  return { stream: undefined, closed: undefined, requests: [], byob, object };
}

function readerGenericInitialize(reader, stream) {
  reader.stream = stream;
  stream.reader = reader;
  const closed = PromiseWithResolvers();
  reader.closed = closed;
  if (stream.state === 'closed') {
    closed.resolve();
  } else if (stream.state === 'errored') {
    closed.reject(stream.storedError);
    setPromiseHandled(closed.promise);
  }
}

function readerGenericRelease(reader) {
  const stream = reader.stream;
  const error = invalidState('Reader released');
  if (stream.state === 'readable') {
    reader.closed.reject(error);
  } else {
    reader.closed = PromiseWithResolvers();
    reader.closed.reject(error);
  }
  setPromiseHandled(reader.closed.promise);
  stream.controller.releaseSteps();
  stream.reader = undefined;
  reader.stream = undefined;
}

function readerRelease(reader) {
  readerGenericRelease(reader);
  errorReadRequests(reader, invalidState('Releasing reader'));
}

function newDefaultReader(stream) {
  const object = new ReadableStreamDefaultReader(kSkipInit);
  setUpDefaultReader(object, stream);
  return object;
}

function setUpDefaultReader(object, stream) {
  if (stream.reader !== undefined) throw invalidState('ReadableStream is locked');
  object[kType] = 'ReadableStreamDefaultReader';
  const reader = newReaderRecord(object, false);
  object[kState] = reader;
  readerGenericInitialize(reader, stream);
  return reader;
}

function isDefaultReader(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'ReadableStreamDefaultReader';
}

// The read request of reader.read(): settles a promise with an iterator result.
class ReadRequest {
  constructor() {
    const { promise, resolve, reject } = PromiseWithResolvers();
    this.promise = promise;
    this.resolve = resolve;
    this.reject = reject;
  }

  chunk(value) {
    this.resolve({ value, done: false });
  }

  close() {
    this.resolve({ value: undefined, done: true });
  }

  error(error) {
    this.reject(error);
  }
}

class ReadableStreamDefaultReader {
  constructor(stream) {
    if (stream === kSkipInit) return;
    if (!isReadableStream(stream)) throw new ERR_INVALID_ARG_TYPE('stream', 'ReadableStream', stream);
    setUpDefaultReader(this, stream[kState]);
  }

  read() {
    if (!isDefaultReader(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStreamDefaultReader'));
    const stream = this[kState].stream;
    if (stream === undefined) return PromiseReject(invalidState('The reader is not attached to a stream'));
    // Fast path: a chunk is waiting in a default controller's queue.
    const controller = stream.controller;
    if (stream.state === 'readable' && !controller.byte && controller.queue.length > 0) {
      stream.disturbed = true;
      const chunk = dequeueChunk(controller);
      return PromiseResolve({ value: chunk, done: false });
    }
    const readRequest = new ReadRequest();
    defaultReaderRead(this[kState], readRequest);
    return readRequest.promise;
  }

  releaseLock() {
    if (!isDefaultReader(this)) throw new ERR_INVALID_THIS('ReadableStreamDefaultReader');
    const reader = this[kState];
    if (reader.stream === undefined) return;
    readerRelease(reader);
  }

  get closed() {
    if (!isDefaultReader(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStreamDefaultReader'));
    return this[kState].closed.promise;
  }

  cancel(reason = undefined) {
    if (!isDefaultReader(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStreamDefaultReader'));
    const reader = this[kState];
    if (reader.stream === undefined) return PromiseReject(invalidState('The reader is not attached to a stream'));
    return readableStreamCancel(reader.stream, reason);
  }

  [customInspect](depth, options) {
    const reader = this[kState];
    return inspectObject(this.constructor.name, {
      stream: reader.stream?.object,
      readRequests: reader.requests.length,
      close: reader.closed.promise,
    }, depth, options);
  }
}
makeEnumerable(ReadableStreamDefaultReader.prototype, ['read', 'releaseLock', 'closed', 'cancel']);
defineToStringTag(ReadableStreamDefaultReader.prototype, 'ReadableStreamDefaultReader');

function defaultReaderRead(reader, readRequest) {
  const stream = reader.stream;
  stream.disturbed = true;
  if (stream.state === 'closed') readRequest.close();
  else if (stream.state === 'errored') readRequest.error(stream.storedError);
  else stream.controller.pullSteps(readRequest);
}

function newBYOBReader(stream) {
  const object = new ReadableStreamBYOBReader(kSkipInit);
  setUpBYOBReader(object, stream);
  return object;
}

function setUpBYOBReader(object, stream) {
  if (stream.reader !== undefined) throw invalidState('ReadableStream is locked');
  if (!stream.controller.byte) {
    throw new ERR_INVALID_ARG_VALUE('stream', stream.object, 'must be a byte stream');
  }
  object[kType] = 'ReadableStreamBYOBReader';
  const reader = newReaderRecord(object, true);
  object[kState] = reader;
  readerGenericInitialize(reader, stream);
  return reader;
}

function isBYOBReader(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'ReadableStreamBYOBReader';
}

// The read-into request of byobReader.read(view).
class ReadIntoRequest extends ReadRequest {
  close(view) {
    this.resolve({ value: view, done: true });
  }
}

class ReadableStreamBYOBReader {
  constructor(stream) {
    if (stream === kSkipInit) return;
    if (!isReadableStream(stream)) throw new ERR_INVALID_ARG_TYPE('stream', 'ReadableStream', stream);
    setUpBYOBReader(this, stream[kState]);
  }

  read(view, options = undefined) {
    if (!isBYOBReader(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStreamBYOBReader'));
    if (!ArrayBuffer.isView(view)) {
      return PromiseReject(new ERR_INVALID_ARG_TYPE('view', ['Buffer', 'TypedArray', 'DataView'], view));
    }
    try {
      validateDictionary(options, 'options');
    } catch (err) {
      return PromiseReject(err);
    }
    const min = options?.min === undefined ? 1 : toEnforcedUnsignedLongLong(options.min, 'options.min');
    if (min instanceof Error) return PromiseReject(min);
    if (view.byteLength === 0 || view.buffer.byteLength === 0 || isDetached(view.buffer)) {
      return PromiseReject(invalidState('View or Viewed ArrayBuffer is zero-length or detached'));
    }
    if (min === 0) {
      return PromiseReject(new ERR_INVALID_ARG_VALUE('options.min', min, 'must be greater than 0'));
    }
    const length = view instanceof DataView ? view.byteLength : view.length;
    if (min > length) {
      const range = view instanceof DataView ? '<= view.byteLength' : '<= view.length';
      return PromiseReject(new ERR_OUT_OF_RANGE('options.min', range, min));
    }
    const reader = this[kState];
    if (reader.stream === undefined) return PromiseReject(invalidState('The reader is not attached to a stream'));
    const readIntoRequest = new ReadIntoRequest();
    byobReaderRead(reader, view, min, readIntoRequest);
    return readIntoRequest.promise;
  }

  releaseLock() {
    if (!isBYOBReader(this)) throw new ERR_INVALID_THIS('ReadableStreamBYOBReader');
    const reader = this[kState];
    if (reader.stream === undefined) return;
    readerRelease(reader);
  }

  get closed() {
    if (!isBYOBReader(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStreamBYOBReader'));
    return this[kState].closed.promise;
  }

  cancel(reason = undefined) {
    if (!isBYOBReader(this)) return PromiseReject(new ERR_INVALID_THIS('ReadableStreamBYOBReader'));
    const reader = this[kState];
    if (reader.stream === undefined) return PromiseReject(invalidState('The reader is not attached to a stream'));
    return readableStreamCancel(reader.stream, reason);
  }

  [customInspect](depth, options) {
    const reader = this[kState];
    return inspectObject(this.constructor.name, {
      stream: reader.stream?.object,
      readIntoRequests: reader.requests.length,
      close: reader.closed.promise,
    }, depth, options);
  }
}
makeEnumerable(ReadableStreamBYOBReader.prototype, ['read', 'releaseLock', 'closed', 'cancel']);
defineToStringTag(ReadableStreamBYOBReader.prototype, 'ReadableStreamBYOBReader');

// Web IDL [EnforceRange] unsigned long long; returns the error instead of throwing.
function toEnforcedUnsignedLongLong(value, name) {
  const number = +value;
  if (!Number.isFinite(number)) return new ERR_INVALID_ARG_VALUE(name, value, 'must be a finite number');
  const integer = Math.trunc(number);
  if (integer < 0 || integer > Number.MAX_SAFE_INTEGER) {
    return new ERR_OUT_OF_RANGE(name, `>= 0 && <= ${Number.MAX_SAFE_INTEGER}`, value);
  }
  return integer;
}

function byobReaderRead(reader, view, min, readIntoRequest) {
  const stream = reader.stream;
  stream.disturbed = true;
  if (stream.state === 'errored') readIntoRequest.error(stream.storedError);
  else byteControllerPullInto(stream.controller, view, min, readIntoRequest);
}

// --- ReadableStreamDefaultController ---------------------------------------------------

// Node's default controller methods fail on a foreign `this` with a plain TypeError.
function defaultControllerOf(value) {
  if (typeof value !== 'object' || value === null || value[kType] !== 'ReadableStreamDefaultController') {
    throw new TypeError('Value of "this" must be of type ReadableStreamDefaultController');
  }
  return value[kState];
}

class ReadableStreamDefaultController {
  constructor(key = undefined) {
    if (key !== kSkipInit) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get desiredSize() {
    return defaultControllerGetDesiredSize(defaultControllerOf(this));
  }

  close() {
    const controller = defaultControllerOf(this);
    if (!defaultControllerCanCloseOrEnqueue(controller)) throw invalidState('Controller is already closed');
    defaultControllerClose(controller);
  }

  enqueue(chunk = undefined) {
    const controller = defaultControllerOf(this);
    if (!defaultControllerCanCloseOrEnqueue(controller)) throw invalidState('Controller is already closed');
    defaultControllerEnqueue(controller, chunk);
  }

  error(error = undefined) {
    defaultControllerError(defaultControllerOf(this), error);
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, {}, depth, options);
  }
}
makeEnumerable(ReadableStreamDefaultController.prototype, ['desiredSize', 'close', 'enqueue', 'error']);
defineToStringTag(ReadableStreamDefaultController.prototype, 'ReadableStreamDefaultController');

// The controller record: the spec's slots plus the [[CancelSteps]], [[PullSteps]] and
// [[ReleaseSteps]] of a default controller.
class DefaultControllerState {
  constructor(stream, object) {
    this.stream = stream;
    this.object = object;
    this.byte = false;
    this.queue = new SizedQueue();
    this.started = false;
    this.closeRequested = false;
    this.pullAgain = false;
    this.pulling = false;
    this.highWaterMark = 0;
    this.sizeAlgorithm = undefined;
    this.pullAlgorithm = undefined;
    this.cancelAlgorithm = undefined;
  }

  cancelSteps(reason) {
    this.queue.clear();
    const result = this.cancelAlgorithm(reason);
    defaultControllerClearAlgorithms(this);
    return result;
  }

  pullSteps(readRequest) {
    if (this.queue.length > 0) {
      readRequest.chunk(dequeueChunk(this));
    } else {
      this.stream.reader.requests.push(readRequest);
      defaultControllerCallPullIfNeeded(this);
    }
  }

  releaseSteps() {}
}

// The chunk half of [[PullSteps]]: takes the next chunk and closes or pulls as needed.
function dequeueChunk(controller) {
  const chunk = controller.queue.shift();
  if (controller.closeRequested && controller.queue.length === 0) {
    defaultControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  } else {
    defaultControllerCallPullIfNeeded(controller);
  }
  return chunk;
}

function newDefaultController(stream) {
  const object = new ReadableStreamDefaultController(kSkipInit);
  object[kType] = 'ReadableStreamDefaultController';
  const controller = new DefaultControllerState(stream, object);
  object[kState] = controller;
  return controller;
}

function setUpDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark, sizeAlgorithm) {
  controller.sizeAlgorithm = sizeAlgorithm;
  controller.highWaterMark = highWaterMark;
  controller.pullAlgorithm = pullAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
  stream.controller = controller;
  const startResult = startAlgorithm();
  uponPromise(promiseFor(startResult), () => {
    controller.started = true;
    defaultControllerCallPullIfNeeded(controller);
  }, (error) => defaultControllerError(controller, error));
}

function setUpDefaultControllerFromSource(stream, source, highWaterMark, sizeAlgorithm) {
  const controller = newDefaultController(stream);
  const { start, pull, cancel } = source;
  validateStart(start);
  validateOptionalFunction(pull, 'source.pull');
  validateOptionalFunction(cancel, 'source.cancel');
  const object = controller.object;
  setUpDefaultController(
    stream,
    controller,
    start === undefined ? returnUndefined : () => start.call(source, object),
    () => promiseCall(pull, source, object),
    (reason) => promiseCall(cancel, source, reason),
    highWaterMark,
    sizeAlgorithm,
  );
}

function returnUndefined() {}

function defaultControllerCallPullIfNeeded(controller) {
  if (!defaultControllerShouldCallPull(controller)) return;
  if (controller.pulling) {
    controller.pullAgain = true;
    return;
  }
  controller.pulling = true;
  uponPromise(controller.pullAlgorithm(), () => {
    controller.pulling = false;
    if (controller.pullAgain) {
      controller.pullAgain = false;
      defaultControllerCallPullIfNeeded(controller);
    }
  }, (error) => defaultControllerError(controller, error));
}

function defaultControllerShouldCallPull(controller) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== 'readable' || !controller.started) return false;
  if (stream.reader !== undefined && stream.reader.requests.length > 0) return true;
  return controller.highWaterMark - controller.queue.totalSize > 0;
}

function defaultControllerClearAlgorithms(controller) {
  controller.pullAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
  controller.sizeAlgorithm = undefined;
}

function defaultControllerClose(controller) {
  if (!defaultControllerCanCloseOrEnqueue(controller)) return;
  controller.closeRequested = true;
  if (controller.queue.length === 0) {
    defaultControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  }
}

function defaultControllerEnqueue(controller, chunk) {
  if (!defaultControllerCanCloseOrEnqueue(controller)) return;
  const stream = controller.stream;
  const reader = stream.reader;
  if (reader !== undefined && reader.requests.length > 0) {
    readableStreamFulfillReadRequest(stream, chunk, false);
  } else {
    let chunkSize;
    try {
      chunkSize = validateChunkSize(controller.sizeAlgorithm(chunk));
    } catch (err) {
      defaultControllerError(controller, err);
      throw err;
    }
    controller.queue.push(chunk, chunkSize);
  }
  defaultControllerCallPullIfNeeded(controller);
}

function defaultControllerError(controller, error) {
  const stream = controller.stream;
  if (stream.state !== 'readable') return;
  controller.queue.clear();
  defaultControllerClearAlgorithms(controller);
  readableStreamError(stream, error);
}

function defaultControllerGetDesiredSize(controller) {
  const state = controller.stream.state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return controller.highWaterMark - controller.queue.totalSize;
}

function defaultControllerHasBackpressure(controller) {
  return !defaultControllerShouldCallPull(controller);
}

function defaultControllerCanCloseOrEnqueue(controller) {
  return !controller.closeRequested && controller.stream.state === 'readable';
}

// --- ReadableByteStreamController ------------------------------------------------------

function isByteController(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'ReadableByteStreamController';
}

class ReadableByteStreamController {
  constructor(key = undefined) {
    if (key !== kSkipInit) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get byobRequest() {
    if (!isByteController(this)) throw new ERR_INVALID_THIS('ReadableByteStreamController');
    return byteControllerGetBYOBRequest(this[kState]);
  }

  get desiredSize() {
    if (!isByteController(this)) throw new ERR_INVALID_THIS('ReadableByteStreamController');
    return byteControllerGetDesiredSize(this[kState]);
  }

  close() {
    if (!isByteController(this)) throw new ERR_INVALID_THIS('ReadableByteStreamController');
    const controller = this[kState];
    if (controller.closeRequested) throw invalidState('Controller is already closed');
    if (controller.stream.state !== 'readable') throw invalidState('ReadableStream is already closed');
    byteControllerClose(controller);
  }

  enqueue(chunk) {
    if (!isByteController(this)) throw new ERR_INVALID_THIS('ReadableByteStreamController');
    if (!ArrayBuffer.isView(chunk)) {
      throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], chunk);
    }
    const controller = this[kState];
    if (chunk.byteLength === 0 || chunk.buffer.byteLength === 0) {
      throw invalidState('chunk ArrayBuffer is zero-length or detached');
    }
    if (controller.closeRequested) throw invalidState('Controller is already closed');
    if (controller.stream.state !== 'readable') throw invalidState('ReadableStream is already closed');
    byteControllerEnqueue(controller, chunk);
  }

  error(error = undefined) {
    if (!isByteController(this)) throw new ERR_INVALID_THIS('ReadableByteStreamController');
    byteControllerError(this[kState], error);
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, {}, depth, options);
  }
}
makeEnumerable(ReadableByteStreamController.prototype, ['byobRequest', 'desiredSize', 'close', 'enqueue', 'error']);
defineToStringTag(ReadableByteStreamController.prototype, 'ReadableByteStreamController');

function isBYOBRequest(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'ReadableStreamBYOBRequest';
}

class ReadableStreamBYOBRequest {
  constructor(key = undefined) {
    if (key !== kSkipInit) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get view() {
    if (!isBYOBRequest(this)) throw new ERR_INVALID_THIS('ReadableStreamBYOBRequest');
    return this[kState].view;
  }

  respond(bytesWritten) {
    if (!isBYOBRequest(this)) throw new ERR_INVALID_THIS('ReadableStreamBYOBRequest');
    const request = this[kState];
    if (request.controller === undefined) throw invalidState('This BYOB request has been invalidated');
    if (isDetached(request.view.buffer)) {
      throw invalidState('Viewed ArrayBuffer is detached');
    }
    byteControllerRespond(request.controller, bytesWritten);
  }

  respondWithNewView(view) {
    if (!isBYOBRequest(this)) throw new ERR_INVALID_THIS('ReadableStreamBYOBRequest');
    if (!ArrayBuffer.isView(view)) {
      throw new ERR_INVALID_ARG_TYPE('view', ['Buffer', 'TypedArray', 'DataView'], view);
    }
    const request = this[kState];
    if (request.controller === undefined) throw invalidState('This BYOB request has been invalidated');
    if (isDetached(view.buffer)) throw invalidState('Viewed ArrayBuffer is detached');
    byteControllerRespondWithNewView(request.controller, view);
  }

  [customInspect](depth, options) {
    const request = this[kState];
    return inspectObject(this.constructor.name, {
      view: request.view,
      controller: request.controller?.object,
    }, depth, options);
  }
}
makeEnumerable(ReadableStreamBYOBRequest.prototype, ['view', 'respond', 'respondWithNewView']);
defineToStringTag(ReadableStreamBYOBRequest.prototype, 'ReadableStreamBYOBRequest');

class ByteControllerState {
  constructor(stream, object) {
    this.stream = stream;
    this.object = object;
    this.byte = true;
    // Entries { buffer, byteOffset, byteLength }.
    this.queue = [];
    this.queueTotalSize = 0;
    this.started = false;
    this.closeRequested = false;
    this.pullAgain = false;
    this.pulling = false;
    this.highWaterMark = 0;
    this.pullAlgorithm = undefined;
    this.cancelAlgorithm = undefined;
    this.autoAllocateChunkSize = undefined;
    this.byobRequest = null;
    // Pull-into descriptors: { buffer, bufferByteLength, byteOffset, byteLength,
    // bytesFilled, minimumFill, elementSize, viewConstructor, readerType }.
    this.pendingPullIntos = [];
  }

  cancelSteps(reason) {
    byteControllerClearPendingPullIntos(this);
    this.queue = [];
    this.queueTotalSize = 0;
    const result = this.cancelAlgorithm(reason);
    byteControllerClearAlgorithms(this);
    return result;
  }

  pullSteps(readRequest) {
    const stream = this.stream;
    if (this.queueTotalSize > 0) {
      byteControllerFillReadRequestFromQueue(this, readRequest);
      return;
    }
    const autoAllocateChunkSize = this.autoAllocateChunkSize;
    if (autoAllocateChunkSize !== undefined) {
      let buffer;
      try {
        buffer = new ArrayBuffer(autoAllocateChunkSize);
      } catch (err) {
        readRequest.error(err);
        return;
      }
      this.pendingPullIntos.push({
        buffer,
        bufferByteLength: autoAllocateChunkSize,
        byteOffset: 0,
        byteLength: autoAllocateChunkSize,
        bytesFilled: 0,
        minimumFill: 1,
        elementSize: 1,
        viewConstructor: Uint8Array,
        readerType: 'default',
      });
    }
    stream.reader.requests.push(readRequest);
    byteControllerCallPullIfNeeded(this);
  }

  releaseSteps() {
    if (this.pendingPullIntos.length > 0) {
      const first = this.pendingPullIntos[0];
      first.readerType = 'none';
      this.pendingPullIntos = [first];
    }
  }
}

function newByteController(stream) {
  const object = new ReadableByteStreamController(kSkipInit);
  object[kType] = 'ReadableByteStreamController';
  const controller = new ByteControllerState(stream, object);
  object[kState] = controller;
  return controller;
}

function setUpByteController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark, autoAllocateChunkSize) {
  controller.highWaterMark = highWaterMark;
  controller.pullAlgorithm = pullAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
  controller.autoAllocateChunkSize = autoAllocateChunkSize;
  stream.controller = controller;
  const startResult = startAlgorithm();
  uponPromise(promiseFor(startResult), () => {
    controller.started = true;
    byteControllerCallPullIfNeeded(controller);
  }, (error) => byteControllerError(controller, error));
}

function setUpByteControllerFromSource(stream, source, highWaterMark) {
  const controller = newByteController(stream);
  const { start, pull, cancel } = source;
  validateStart(start);
  validateOptionalFunction(pull, 'source.pull');
  validateOptionalFunction(cancel, 'source.cancel');
  let autoAllocateChunkSize = source.autoAllocateChunkSize;
  if (autoAllocateChunkSize !== undefined) {
    const size = +autoAllocateChunkSize;
    if (size === 0) throw new ERR_INVALID_ARG_VALUE('source.autoAllocateChunkSize', autoAllocateChunkSize);
    if (!Number.isInteger(size) || size < 0) {
      throw new ERR_INVALID_ARG_VALUE('source.autoAllocateChunkSize', autoAllocateChunkSize);
    }
    autoAllocateChunkSize = size;
  }
  const object = controller.object;
  setUpByteController(
    stream,
    controller,
    start === undefined ? returnUndefined : () => start.call(source, object),
    () => promiseCall(pull, source, object),
    (reason) => promiseCall(cancel, source, reason),
    highWaterMark,
    autoAllocateChunkSize,
  );
}

function byteControllerCallPullIfNeeded(controller) {
  if (!byteControllerShouldCallPull(controller)) return;
  if (controller.pulling) {
    controller.pullAgain = true;
    return;
  }
  controller.pulling = true;
  uponPromise(controller.pullAlgorithm(), () => {
    controller.pulling = false;
    if (controller.pullAgain) {
      controller.pullAgain = false;
      byteControllerCallPullIfNeeded(controller);
    }
  }, (error) => byteControllerError(controller, error));
}

function byteControllerShouldCallPull(controller) {
  const stream = controller.stream;
  if (stream.state !== 'readable' || controller.closeRequested || !controller.started) return false;
  if (stream.reader !== undefined && stream.reader.requests.length > 0) return true;
  return byteControllerGetDesiredSize(controller) > 0;
}

function byteControllerClearAlgorithms(controller) {
  controller.pullAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
}

function byteControllerClearPendingPullIntos(controller) {
  byteControllerInvalidateBYOBRequest(controller);
  controller.pendingPullIntos = [];
}

function byteControllerClose(controller) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== 'readable') return;
  if (controller.queueTotalSize > 0) {
    controller.closeRequested = true;
    return;
  }
  if (controller.pendingPullIntos.length > 0) {
    const first = controller.pendingPullIntos[0];
    if (first.bytesFilled % first.elementSize !== 0) {
      const error = invalidState('Partial read');
      byteControllerError(controller, error);
      throw error;
    }
  }
  byteControllerClearAlgorithms(controller);
  readableStreamClose(stream);
}

function byteControllerEnqueue(controller, chunk) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== 'readable') return;
  const { buffer, byteOffset, byteLength } = chunk;
  if (isDetached(buffer)) throw invalidState('chunk ArrayBuffer is zero-length or detached');
  const transferredBuffer = transferArrayBuffer(buffer);
  if (controller.pendingPullIntos.length > 0) {
    const first = controller.pendingPullIntos[0];
    if (isDetached(first.buffer)) throw invalidState('The BYOB request ArrayBuffer has been detached');
    byteControllerInvalidateBYOBRequest(controller);
    first.buffer = transferArrayBuffer(first.buffer);
    if (first.readerType === 'none') byteControllerEnqueueDetachedPullIntoToQueue(controller, first);
  }
  if (hasDefaultReader(stream)) {
    byteControllerProcessReadRequestsUsingQueue(controller);
    if (numReadRequests(stream) === 0) {
      byteControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
    } else {
      if (controller.pendingPullIntos.length > 0) byteControllerShiftPendingPullInto(controller);
      readableStreamFulfillReadRequest(stream, new Uint8Array(transferredBuffer, byteOffset, byteLength), false);
    }
  } else if (hasBYOBReader(stream)) {
    byteControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
    const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(controller);
    for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(stream, filled[i]);
  } else {
    byteControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
  }
  byteControllerCallPullIfNeeded(controller);
}

function byteControllerEnqueueChunkToQueue(controller, buffer, byteOffset, byteLength) {
  controller.queue.push({ buffer, byteOffset, byteLength });
  controller.queueTotalSize += byteLength;
}

function byteControllerEnqueueClonedChunkToQueue(controller, buffer, byteOffset, byteLength) {
  let clone;
  try {
    clone = buffer.slice(byteOffset, byteOffset + byteLength);
  } catch (err) {
    byteControllerError(controller, err);
    return;
  }
  byteControllerEnqueueChunkToQueue(controller, clone, 0, byteLength);
}

function byteControllerEnqueueDetachedPullIntoToQueue(controller, descriptor) {
  if (descriptor.bytesFilled > 0) {
    byteControllerEnqueueClonedChunkToQueue(controller, descriptor.buffer, descriptor.byteOffset, descriptor.bytesFilled);
  }
  byteControllerShiftPendingPullInto(controller);
}

function byteControllerError(controller, error) {
  const stream = controller.stream;
  if (stream.state !== 'readable') return;
  byteControllerClearPendingPullIntos(controller);
  controller.queue = [];
  controller.queueTotalSize = 0;
  byteControllerClearAlgorithms(controller);
  readableStreamError(stream, error);
}

function byteControllerFillHeadPullIntoDescriptor(controller, size, descriptor) {
  descriptor.bytesFilled += size;
}

// Copies queued bytes into the descriptor; true when it holds its minimum fill.
function byteControllerFillPullIntoDescriptorFromQueue(controller, descriptor) {
  const maxBytesToCopy = Math.min(controller.queueTotalSize, descriptor.byteLength - descriptor.bytesFilled);
  const maxBytesFilled = descriptor.bytesFilled + maxBytesToCopy;
  let totalBytesToCopyRemaining = maxBytesToCopy;
  let ready = false;
  const maxAlignedBytes = maxBytesFilled - (maxBytesFilled % descriptor.elementSize);
  if (maxAlignedBytes >= descriptor.minimumFill) {
    totalBytesToCopyRemaining = maxAlignedBytes - descriptor.bytesFilled;
    ready = true;
  }
  const queue = controller.queue;
  while (totalBytesToCopyRemaining > 0) {
    const head = queue[0];
    const bytesToCopy = Math.min(totalBytesToCopyRemaining, head.byteLength);
    const destStart = descriptor.byteOffset + descriptor.bytesFilled;
    new Uint8Array(descriptor.buffer, destStart, bytesToCopy)
      .set(new Uint8Array(head.buffer, head.byteOffset, bytesToCopy));
    if (head.byteLength === bytesToCopy) {
      queue.shift();
    } else {
      head.byteOffset += bytesToCopy;
      head.byteLength -= bytesToCopy;
    }
    controller.queueTotalSize -= bytesToCopy;
    byteControllerFillHeadPullIntoDescriptor(controller, bytesToCopy, descriptor);
    totalBytesToCopyRemaining -= bytesToCopy;
  }
  return ready;
}

function byteControllerFillReadRequestFromQueue(controller, readRequest) {
  const entry = controller.queue.shift();
  controller.queueTotalSize -= entry.byteLength;
  byteControllerHandleQueueDrain(controller);
  readRequest.chunk(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength));
}

function byteControllerGetBYOBRequest(controller) {
  if (controller.byobRequest === null && controller.pendingPullIntos.length > 0) {
    const first = controller.pendingPullIntos[0];
    const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled);
    const object = new ReadableStreamBYOBRequest(kSkipInit);
    object[kType] = 'ReadableStreamBYOBRequest';
    object[kState] = { controller, view };
    controller.byobRequest = object;
  }
  return controller.byobRequest;
}

function byteControllerGetDesiredSize(controller) {
  const state = controller.stream.state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return controller.highWaterMark - controller.queueTotalSize;
}

function byteControllerHandleQueueDrain(controller) {
  if (controller.queueTotalSize === 0 && controller.closeRequested) {
    byteControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  } else {
    byteControllerCallPullIfNeeded(controller);
  }
}

function byteControllerInvalidateBYOBRequest(controller) {
  const request = controller.byobRequest;
  if (request === null) return;
  request[kState].controller = undefined;
  request[kState].view = null;
  controller.byobRequest = null;
}

function byteControllerProcessPullIntoDescriptorsUsingQueue(controller) {
  const filled = [];
  while (controller.pendingPullIntos.length > 0) {
    if (controller.queueTotalSize === 0) break;
    const descriptor = controller.pendingPullIntos[0];
    if (byteControllerFillPullIntoDescriptorFromQueue(controller, descriptor)) {
      byteControllerShiftPendingPullInto(controller);
      filled.push(descriptor);
    }
  }
  return filled;
}

function byteControllerProcessReadRequestsUsingQueue(controller) {
  const reader = controller.stream.reader;
  while (reader.requests.length > 0) {
    if (controller.queueTotalSize === 0) return;
    const readRequest = reader.requests.shift();
    byteControllerFillReadRequestFromQueue(controller, readRequest);
  }
}

function byteControllerPullInto(controller, view, min, readIntoRequest) {
  const stream = controller.stream;
  let elementSize = 1;
  let viewConstructor = DataView;
  if (!(view instanceof DataView)) {
    elementSize = elementSizeOf(view);
    viewConstructor = view.constructor;
  }
  const minimumFill = min * elementSize;
  const { byteOffset, byteLength } = view;
  let buffer;
  try {
    buffer = transferArrayBuffer(view.buffer);
  } catch (err) {
    readIntoRequest.error(err);
    return;
  }
  const descriptor = {
    buffer,
    bufferByteLength: buffer.byteLength,
    byteOffset,
    byteLength,
    bytesFilled: 0,
    minimumFill,
    elementSize,
    viewConstructor,
    readerType: 'byob',
  };
  if (controller.pendingPullIntos.length > 0) {
    controller.pendingPullIntos.push(descriptor);
    stream.reader.requests.push(readIntoRequest);
    return;
  }
  if (stream.state === 'closed') {
    readIntoRequest.close(new viewConstructor(descriptor.buffer, descriptor.byteOffset, 0));
    return;
  }
  if (controller.queueTotalSize > 0) {
    if (byteControllerFillPullIntoDescriptorFromQueue(controller, descriptor)) {
      const filledView = byteControllerConvertPullIntoDescriptor(descriptor);
      byteControllerHandleQueueDrain(controller);
      readIntoRequest.chunk(filledView);
      return;
    }
    if (controller.closeRequested) {
      const error = invalidState('ReadableStream closed');
      byteControllerError(controller, error);
      readIntoRequest.error(error);
      return;
    }
  }
  controller.pendingPullIntos.push(descriptor);
  stream.reader.requests.push(readIntoRequest);
  byteControllerCallPullIfNeeded(controller);
}

function byteControllerRespond(controller, bytesWritten) {
  const first = controller.pendingPullIntos[0];
  const state = controller.stream.state;
  if (state === 'closed') {
    if (bytesWritten !== 0) throw new ERR_INVALID_ARG_VALUE('bytesWritten', bytesWritten);
  } else {
    if (bytesWritten === 0) throw new ERR_INVALID_ARG_VALUE('bytesWritten', bytesWritten);
    if (first.bytesFilled + bytesWritten > first.byteLength) {
      throw new ERR_INVALID_ARG_VALUE.RangeError('bytesWritten', bytesWritten);
    }
  }
  first.buffer = transferArrayBuffer(first.buffer);
  byteControllerRespondInternal(controller, bytesWritten);
}

function byteControllerRespondInClosedState(controller, first) {
  if (first.readerType === 'none') byteControllerShiftPendingPullInto(controller);
  const stream = controller.stream;
  if (hasBYOBReader(stream)) {
    const filled = [];
    while (filled.length < numReadRequests(stream)) filled.push(byteControllerShiftPendingPullInto(controller));
    for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(stream, filled[i]);
  }
}

function byteControllerRespondInReadableState(controller, bytesWritten, descriptor) {
  byteControllerFillHeadPullIntoDescriptor(controller, bytesWritten, descriptor);
  if (descriptor.readerType === 'none') {
    byteControllerEnqueueDetachedPullIntoToQueue(controller, descriptor);
    const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(controller);
    for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(controller.stream, filled[i]);
    return;
  }
  if (descriptor.bytesFilled < descriptor.minimumFill) return;
  byteControllerShiftPendingPullInto(controller);
  const remainderSize = descriptor.bytesFilled % descriptor.elementSize;
  if (remainderSize > 0) {
    const end = descriptor.byteOffset + descriptor.bytesFilled;
    byteControllerEnqueueClonedChunkToQueue(controller, descriptor.buffer, end - remainderSize, remainderSize);
  }
  descriptor.bytesFilled -= remainderSize;
  const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(controller);
  byteControllerCommitPullIntoDescriptor(controller.stream, descriptor);
  for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(controller.stream, filled[i]);
}

function byteControllerRespondInternal(controller, bytesWritten) {
  const first = controller.pendingPullIntos[0];
  byteControllerInvalidateBYOBRequest(controller);
  if (controller.stream.state === 'closed') {
    byteControllerRespondInClosedState(controller, first);
  } else {
    byteControllerRespondInReadableState(controller, bytesWritten, first);
  }
  byteControllerCallPullIfNeeded(controller);
}

function byteControllerRespondWithNewView(controller, view) {
  const first = controller.pendingPullIntos[0];
  const state = controller.stream.state;
  if (state === 'closed') {
    if (view.byteLength !== 0) throw new ERR_INVALID_ARG_VALUE('view', view);
  } else if (view.byteLength === 0) {
    throw invalidState('View is zero-length');
  }
  if (first.byteOffset + first.bytesFilled !== view.byteOffset ||
      first.bufferByteLength !== view.buffer.byteLength ||
      first.bytesFilled + view.byteLength > first.byteLength) {
    throw new ERR_INVALID_ARG_VALUE.RangeError('view', view);
  }
  const viewByteLength = view.byteLength;
  first.buffer = transferArrayBuffer(view.buffer);
  byteControllerRespondInternal(controller, viewByteLength);
}

function byteControllerShiftPendingPullInto(controller) {
  return controller.pendingPullIntos.shift();
}

function byteControllerCommitPullIntoDescriptor(stream, descriptor) {
  const done = stream.state === 'closed';
  const filledView = byteControllerConvertPullIntoDescriptor(descriptor);
  if (descriptor.readerType === 'default') readableStreamFulfillReadRequest(stream, filledView, done);
  else readableStreamFulfillReadIntoRequest(stream, filledView, done);
}

function byteControllerConvertPullIntoDescriptor(descriptor) {
  const buffer = transferArrayBuffer(descriptor.buffer);
  const { viewConstructor, byteOffset, bytesFilled, elementSize } = descriptor;
  return new viewConstructor(buffer, byteOffset, bytesFilled / elementSize);
}

// --- tee -------------------------------------------------------------------------------

function readableStreamTee(stream) {
  if (stream.controller.byte) return readableByteStreamTee(stream);
  return readableStreamDefaultTee(stream);
}

function readableStreamDefaultTee(stream) {
  const reader = newDefaultReader(stream)[kState];
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = PromiseWithResolvers();

  const readRequest = {
    chunk(chunk) {
      queueMicrotask(() => {
        readAgain = false;
        if (!canceled1) defaultControllerEnqueue(branch1[kState].controller, chunk);
        if (!canceled2) defaultControllerEnqueue(branch2[kState].controller, chunk);
        reading = false;
        if (readAgain) pullAlgorithm();
      });
    },
    // Node closes the branches on the next tick.
    close() {
      process.nextTick(() => {
        reading = false;
        if (!canceled1) defaultControllerClose(branch1[kState].controller);
        if (!canceled2) defaultControllerClose(branch2[kState].controller);
        if (!canceled1 || !canceled2) cancelPromise.resolve();
      });
    },
    error() {
      reading = false;
    },
  };

  function pullAlgorithm() {
    if (reading) {
      readAgain = true;
      return PromiseResolve();
    }
    reading = true;
    defaultReaderRead(reader, readRequest);
    return PromiseResolve();
  }

  function cancel1Algorithm(reason) {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  }

  function cancel2Algorithm(reason) {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  }

  branch1 = createReadableStream(returnUndefined, pullAlgorithm, cancel1Algorithm);
  branch2 = createReadableStream(returnUndefined, pullAlgorithm, cancel2Algorithm);
  uponPromise(reader.closed.promise, undefined, (error) => {
    defaultControllerError(branch1[kState].controller, error);
    defaultControllerError(branch2[kState].controller, error);
    if (!canceled1 || !canceled2) cancelPromise.resolve();
  });
  return [branch1, branch2];
}

function cloneAsUint8Array(view) {
  const buffer = view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
  return new Uint8Array(buffer);
}

function readableByteStreamTee(stream) {
  let reader = newDefaultReader(stream)[kState];
  let reading = false;
  let readAgainForBranch1 = false;
  let readAgainForBranch2 = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = PromiseWithResolvers();
  const controllerOf = (branch) => branch[kState].controller;

  function forwardReaderError(thisReader) {
    uponPromise(thisReader.closed.promise, undefined, (error) => {
      if (thisReader !== reader) return;
      byteControllerError(controllerOf(branch1), error);
      byteControllerError(controllerOf(branch2), error);
      if (!canceled1 || !canceled2) cancelPromise.resolve();
    });
  }

  function pullWithDefaultReader() {
    if (reader.byob) {
      readerRelease(reader);
      reader = newDefaultReader(stream)[kState];
      forwardReaderError(reader);
    }
    defaultReaderRead(reader, {
      chunk(chunk) {
        queueMicrotask(() => {
          readAgainForBranch1 = false;
          readAgainForBranch2 = false;
          let chunk1 = chunk;
          let chunk2 = chunk;
          if (!canceled1 && !canceled2) {
            try {
              chunk2 = cloneAsUint8Array(chunk);
            } catch (err) {
              byteControllerError(controllerOf(branch1), err);
              byteControllerError(controllerOf(branch2), err);
              cancelPromise.resolve(readableStreamCancel(stream, err));
              return;
            }
          }
          if (!canceled1) byteControllerEnqueue(controllerOf(branch1), chunk1);
          if (!canceled2) byteControllerEnqueue(controllerOf(branch2), chunk2);
          reading = false;
          if (readAgainForBranch1) pull1Algorithm();
          else if (readAgainForBranch2) pull2Algorithm();
        });
      },
      close() {
        reading = false;
        if (!canceled1) byteControllerClose(controllerOf(branch1));
        if (!canceled2) byteControllerClose(controllerOf(branch2));
        if (controllerOf(branch1).pendingPullIntos.length > 0) byteControllerRespond(controllerOf(branch1), 0);
        if (controllerOf(branch2).pendingPullIntos.length > 0) byteControllerRespond(controllerOf(branch2), 0);
        if (!canceled1 || !canceled2) cancelPromise.resolve();
      },
      error() {
        reading = false;
      },
    });
  }

  function pullWithBYOBReader(view, forBranch2) {
    if (!reader.byob) {
      readerRelease(reader);
      reader = setUpBYOBReader(new ReadableStreamBYOBReader(kSkipInit), stream);
      forwardReaderError(reader);
    }
    const byobBranch = forBranch2 ? branch2 : branch1;
    const otherBranch = forBranch2 ? branch1 : branch2;
    byobReaderRead(reader, view, 1, {
      chunk(chunk) {
        queueMicrotask(() => {
          readAgainForBranch1 = false;
          readAgainForBranch2 = false;
          const byobCanceled = forBranch2 ? canceled2 : canceled1;
          const otherCanceled = forBranch2 ? canceled1 : canceled2;
          if (!otherCanceled) {
            let clonedChunk;
            try {
              clonedChunk = cloneAsUint8Array(chunk);
            } catch (err) {
              byteControllerError(controllerOf(byobBranch), err);
              byteControllerError(controllerOf(otherBranch), err);
              cancelPromise.resolve(readableStreamCancel(stream, err));
              return;
            }
            if (!byobCanceled) byteControllerRespondWithNewView(controllerOf(byobBranch), chunk);
            byteControllerEnqueue(controllerOf(otherBranch), clonedChunk);
          } else if (!byobCanceled) {
            byteControllerRespondWithNewView(controllerOf(byobBranch), chunk);
          }
          reading = false;
          if (readAgainForBranch1) pull1Algorithm();
          else if (readAgainForBranch2) pull2Algorithm();
        });
      },
      close(chunk) {
        reading = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!byobCanceled) byteControllerClose(controllerOf(byobBranch));
        if (!otherCanceled) byteControllerClose(controllerOf(otherBranch));
        if (chunk !== undefined) {
          if (!byobCanceled) byteControllerRespondWithNewView(controllerOf(byobBranch), chunk);
          if (!otherCanceled && controllerOf(otherBranch).pendingPullIntos.length > 0) {
            byteControllerRespond(controllerOf(otherBranch), 0);
          }
        }
        if (!byobCanceled || !otherCanceled) cancelPromise.resolve();
      },
      error() {
        reading = false;
      },
    });
  }

  function pull1Algorithm() {
    if (reading) {
      readAgainForBranch1 = true;
      return PromiseResolve();
    }
    reading = true;
    const byobRequest = byteControllerGetBYOBRequest(controllerOf(branch1));
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequest[kState].view, false);
    return PromiseResolve();
  }

  function pull2Algorithm() {
    if (reading) {
      readAgainForBranch2 = true;
      return PromiseResolve();
    }
    reading = true;
    const byobRequest = byteControllerGetBYOBRequest(controllerOf(branch2));
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequest[kState].view, true);
    return PromiseResolve();
  }

  function cancel1Algorithm(reason) {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  }

  function cancel2Algorithm(reason) {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  }

  branch1 = createReadableByteStream(returnUndefined, pull1Algorithm, cancel1Algorithm);
  branch2 = createReadableByteStream(returnUndefined, pull2Algorithm, cancel2Algorithm);
  forwardReaderError(reader);
  return [branch1, branch2];
}

// --- pipeTo ----------------------------------------------------------------------------

function readableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
  const reader = newDefaultReader(source)[kState];
  const writer = writable.acquireWriter(dest);
  source.disturbed = true;
  let shuttingDown = false;
  let currentWrite = PromiseResolve();
  const { promise, resolve, reject } = PromiseWithResolvers();
  let abortAlgorithm;

  if (signal !== undefined) {
    abortAlgorithm = () => {
      const error = signal.reason;
      const actions = [];
      if (!preventAbort) {
        actions.push(() => (dest.state === 'writable' ? writable.writableStreamAbort(dest, error) : PromiseResolve()));
      }
      if (!preventCancel) {
        actions.push(() => (source.state === 'readable' ? readableStreamCancel(source, error) : PromiseResolve()));
      }
      shutdownWithAction(() => promiseFor(Promise.all(actions.map((action) => action()))), true, error);
    };
    if (signal.aborted) {
      abortAlgorithm();
      return promise;
    }
    signal.addEventListener('abort', abortAlgorithm, { once: true });
  }

  // Reads one chunk when the destination wants more, writes it, and repeats.
  const readRequest = {
    chunk(chunk) {
      currentWrite = writable.writerWrite(writer, chunk);
      setPromiseHandled(currentWrite);
      pipeStep();
    },
    close() {},
    error() {},
  };

  function pipeStep() {
    if (shuttingDown) return;
    if (writer.readyPending) {
      uponPromise(writer.ready.promise, pipeStep);
      return;
    }
    if (reader.stream === undefined) return;
    defaultReaderRead(reader, readRequest);
  }

  function isOrBecomesErrored() {
    if (source.state === 'errored') {
      sourceErrored(source.storedError);
      return true;
    }
    if (dest.state === 'errored') {
      destErrored(dest.storedError);
      return true;
    }
    return false;
  }

  function sourceErrored(error) {
    if (!preventAbort) shutdownWithAction(() => writable.writableStreamAbort(dest, error), true, error);
    else shutdown(true, error);
  }

  function destErrored(error) {
    if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, error), true, error);
    else shutdown(true, error);
  }

  function sourceClosed() {
    if (!preventClose) shutdownWithAction(() => writable.writerCloseWithErrorPropagation(writer), false);
    else shutdown(false);
  }

  function destClosed() {
    const error = new ERR_INVALID_STATE.TypeError('Destination WritableStream is closed');
    if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, error), true, error);
    else shutdown(true, error);
  }

  // A promise settled once the writes of every chunk read so far have settled.
  function waitForWrites() {
    const oldWrite = currentWrite;
    const check = () => (oldWrite !== currentWrite ? waitForWrites() : undefined);
    const { promise, resolve } = PromiseWithResolvers();
    uponPromise(currentWrite, () => resolve(check()), () => resolve(check()));
    return promise;
  }

  function shouldWaitForWrites() {
    return dest.state === 'writable' && !writable.closeQueuedOrInFlight(dest);
  }

  function shutdownWithAction(action, hasError, originalError) {
    if (shuttingDown) return;
    shuttingDown = true;
    const run = () => {
      uponPromise(action(), () => finalize(hasError, originalError), (error) => finalize(true, error));
    };
    if (shouldWaitForWrites()) uponPromise(waitForWrites(), run);
    else run();
  }

  function shutdown(hasError, error) {
    if (shuttingDown) return;
    shuttingDown = true;
    if (shouldWaitForWrites()) uponPromise(waitForWrites(), () => finalize(hasError, error));
    else finalize(hasError, error);
  }

  function finalize(hasError, error) {
    writable.writerRelease(writer);
    readerRelease(reader);
    if (signal !== undefined) signal.removeEventListener('abort', abortAlgorithm);
    if (hasError) reject(error);
    else resolve();
  }

  uponPromise(reader.closed.promise, () => {
    if (!isOrBecomesErrored()) sourceClosed();
  }, sourceErrored);
  uponPromise(writer.closed.promise, undefined, destErrored);

  if (!isOrBecomesErrored()) {
    if (source.state === 'closed') sourceClosed();
    else if (writable.closeQueuedOrInFlight(dest) || dest.state === 'closed') destClosed();
    else pipeStep();
  }
  return promise;
}

// --- Async iteration -------------------------------------------------------------------

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
// The iterators carry their methods as own properties, over a prototype that names them.
const ReadableStreamAsyncIteratorPrototype = Object.create(AsyncIteratorPrototype, {
  next: { value: undefined, writable: true, enumerable: true, configurable: true },
  return: { value: undefined, writable: true, enumerable: true, configurable: true },
});

// The iterator follows Node's timing: the first next() runs one step behind a resolved
// promise; later calls with nothing in flight take a queued chunk at once; calls made
// while one is in flight run after it.
function createAsyncIterator(stream, preventCancel) {
  const reader = newDefaultReader(stream)[kState];
  let ongoing;
  let started = false;
  let finished = false;

  function nextSteps() {
    if (finished) return PromiseResolve({ done: true, value: undefined });
    if (reader.stream === undefined) {
      return PromiseReject(invalidState('The reader is not attached to a stream'));
    }
    const { promise, resolve, reject } = PromiseWithResolvers();
    defaultReaderRead(reader, {
      chunk(value) {
        ongoing = undefined;
        resolve({ value, done: false });
      },
      close() {
        ongoing = undefined;
        finished = true;
        readerRelease(reader);
        resolve({ done: true, value: undefined });
      },
      error(error) {
        ongoing = undefined;
        finished = true;
        readerRelease(reader);
        reject(error);
      },
    });
    return promise;
  }

  function returnSteps(value) {
    if (finished) return PromiseResolve({ done: true, value });
    finished = true;
    if (reader.stream === undefined) return PromiseResolve({ done: true, value });
    if (!preventCancel) {
      const result = readableStreamCancel(reader.stream, value);
      readerRelease(reader);
      const { promise, resolve, reject } = PromiseWithResolvers();
      uponPromise(result, () => resolve({ done: true, value }), reject);
      return promise;
    }
    readerRelease(reader);
    return PromiseResolve({ done: true, value });
  }

  return Object.setPrototypeOf({
    next() {
      if (!started) {
        started = true;
        if (ongoing === undefined) ongoing = PromiseResolve();
      }
      if (ongoing !== undefined) {
        ongoing = PromisePrototypeThen.call(ongoing, nextSteps, nextSteps);
        return ongoing;
      }
      const controller = reader.stream?.controller;
      if (!finished && controller !== undefined && !controller.byte &&
          reader.stream.state === 'readable' && controller.queue.length > 0) {
        reader.stream.disturbed = true;
        return PromiseResolve({ done: false, value: dequeueChunk(controller) });
      }
      ongoing = nextSteps();
      return ongoing;
    },
    return(value = undefined) {
      const steps = () => returnSteps(value);
      ongoing = ongoing === undefined ? steps() : PromisePrototypeThen.call(ongoing, steps, steps);
      return ongoing;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  }, ReadableStreamAsyncIteratorPrototype);
}

// --- ReadableStream.from ---------------------------------------------------------------

function readableStreamFromIterable(asyncIterable) {
  const iteratorRecord = getAsyncIterator(asyncIterable);
  let stream;

  function pullAlgorithm() {
    let nextResult;
    try {
      nextResult = iteratorRecord.next.call(iteratorRecord.iterator);
    } catch (err) {
      return PromiseReject(err);
    }
    const { promise, resolve, reject } = PromiseWithResolvers();
    uponPromise(PromiseResolve(nextResult), (iterResult) => {
      if (typeof iterResult !== 'object' || iterResult === null) {
        reject(new ERR_INVALID_STATE.TypeError('The promise returned by the iterator.next() method must fulfill with an object'));
        return;
      }
      try {
        if (iterResult.done) {
          defaultControllerClose(stream[kState].controller);
        } else {
          defaultControllerEnqueue(stream[kState].controller, iterResult.value);
        }
        resolve();
      } catch (err) {
        reject(err);
      }
    }, reject);
    return promise;
  }

  function cancelAlgorithm(reason) {
    const iterator = iteratorRecord.iterator;
    let returnMethod;
    try {
      returnMethod = iterator.return;
    } catch (err) {
      return PromiseReject(err);
    }
    if (returnMethod === undefined || returnMethod === null) return PromiseResolve();
    let returnResult;
    try {
      returnResult = returnMethod.call(iterator, reason);
    } catch (err) {
      return PromiseReject(err);
    }
    const { promise, resolve, reject } = PromiseWithResolvers();
    uponPromise(PromiseResolve(returnResult), (result) => {
      if (typeof result !== 'object' || result === null) {
        reject(new ERR_INVALID_STATE.TypeError('The promise returned by the iterator.return() method must fulfill with an object'));
      } else {
        resolve();
      }
    }, reject);
    return promise;
  }

  stream = createReadableStream(returnUndefined, pullAlgorithm, cancelAlgorithm, 0);
  return stream;
}

// GetIterator(obj, async): the async iterator, or the sync one adapted to async.
function getAsyncIterator(obj) {
  let method = obj[Symbol.asyncIterator];
  let iterator;
  if (method === undefined || method === null) {
    const syncMethod = obj[Symbol.iterator];
    if (syncMethod === undefined || syncMethod === null) throw new ERR_ARG_NOT_ITERABLE(obj);
    if (typeof syncMethod !== 'function') throw new ERR_ARG_NOT_ITERABLE(obj);
    const syncIterator = syncMethod.call(obj);
    if (typeof syncIterator !== 'object' || syncIterator === null) {
      throw new ERR_INVALID_STATE.TypeError('The iterator method must return an object');
    }
    iterator = asyncFromSyncIterator(syncIterator);
  } else {
    if (typeof method !== 'function') throw new ERR_ARG_NOT_ITERABLE(obj);
    iterator = method.call(obj);
    if (typeof iterator !== 'object' || iterator === null) {
      throw new ERR_INVALID_STATE.TypeError('The iterator method must return an object');
    }
  }
  return { iterator, next: iterator.next };
}

// CreateAsyncFromSyncIterator: next() and return() of the sync iterator, with the value
// awaited.
function asyncFromSyncIterator(syncIterator) {
  const nextMethod = syncIterator.next;
  const continuation = (result) => {
    if (typeof result !== 'object' || result === null) {
      return PromiseReject(new TypeError(`Iterator result ${result} is not an object`));
    }
    if (result.done) return PromiseResolve({ value: result.value, done: true });
    return PromiseResolve(result.value).then((value) => ({ value, done: false }));
  };
  return {
    next(value) {
      try {
        return continuation(nextMethod.call(syncIterator, value));
      } catch (err) {
        return PromiseReject(err);
      }
    },
    return(value) {
      try {
        const returnMethod = syncIterator.return;
        if (returnMethod === undefined || returnMethod === null) return PromiseResolve({ value, done: true });
        return continuation(returnMethod.call(syncIterator, value));
      } catch (err) {
        return PromiseReject(err);
      }
    },
  };
}

module.exports = {
  ReadableStream,
  ReadableStreamDefaultReader,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableByteStreamController,
  ReadableStreamDefaultController,
  isReadableStream,
  isReadableStreamLocked,
  createReadableStream,
  readableStreamCancel,
  defaultControllerEnqueue,
  defaultControllerClose,
  defaultControllerError,
  defaultControllerGetDesiredSize,
  defaultControllerHasBackpressure,
  defaultControllerCanCloseOrEnqueue,
  readableStreamTee,
  readableStreamPipeTo,
};
