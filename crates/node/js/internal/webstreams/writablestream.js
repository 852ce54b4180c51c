'use strict';

// WritableStream (WHATWG Streams) with its default writer and controller. As in
// readablestream.js, public objects keep their slots in a record under kState and the
// algorithms work on the records.

const {
  codes: {
    ERR_ILLEGAL_CONSTRUCTOR,
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_STATE,
    ERR_INVALID_THIS,
  },
} = require('internal/errors');
const {
  kState,
  kType,
  customInspect,
  kIsClosedPromise,
  kControllerErrorFunction,
  isClosedPromiseOf,
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
  inspectObject,
  defineToStringTag,
  makeEnumerable,
} = require('internal/webstreams/util');

const kSkipInit = Symbol('kSkipInit');
const kCloseSentinel = Symbol('kCloseSentinel');
const kErrored = Symbol.for('nodejs.stream.errored');
const kWritable = Symbol.for('nodejs.stream.writable');

function invalidState(message) {
  return new ERR_INVALID_STATE.TypeError(message);
}

function isWritableStream(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'WritableStream';
}

function streamOf(value) {
  if (!isWritableStream(value)) throw new ERR_INVALID_THIS('WritableStream');
  return value[kState];
}

let AbortController;
function newAbortController() {
  AbortController ??= require('internal/abort_controller').AbortController;
  return new AbortController();
}

// --- WritableStream --------------------------------------------------------------------

class WritableStream {
  constructor(sink = {}, strategy = undefined) {
    if (sink === kSkipInit) return;
    validateUnderlying(sink, 'sink');
    validateDictionary(strategy, 'strategy');
    const type = sink.type;
    if (type !== undefined) throw new ERR_INVALID_ARG_VALUE.RangeError('type', type);
    const size = strategy?.size;
    const highWaterMark = strategy?.highWaterMark;
    const sizeAlgorithm = extractSizeAlgorithm(size);
    const hwm = extractHighWaterMark(highWaterMark, 1);
    initializeWritableStream(this);
    setUpControllerFromSink(this[kState], sink, hwm, sizeAlgorithm);
  }

  get locked() {
    return streamOf(this).writer !== undefined;
  }

  abort(reason = undefined) {
    if (!isWritableStream(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStream'));
    const stream = this[kState];
    if (stream.writer !== undefined) return PromiseReject(invalidState('WritableStream is locked'));
    return writableStreamAbort(stream, reason);
  }

  close() {
    if (!isWritableStream(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStream'));
    const stream = this[kState];
    if (stream.writer !== undefined) return PromiseReject(invalidState('WritableStream is locked'));
    if (closeQueuedOrInFlight(stream)) return PromiseReject(invalidState('Failure closing WritableStream'));
    return writableStreamClose(stream);
  }

  getWriter() {
    const stream = streamOf(this);
    const object = new WritableStreamDefaultWriter(kSkipInit);
    setUpWriter(object, stream);
    return object;
  }

  get [kErrored]() {
    return this[kState].state === 'errored';
  }

  get [kWritable]() {
    return this[kState].state === 'writable';
  }

  get [kIsClosedPromise]() {
    return isClosedPromiseOf(this[kState], 'closed', 'errored');
  }

  [kControllerErrorFunction](error) {
    controllerErrorIfNeeded(this[kState].controller, error);
  }

  [customInspect](depth, options) {
    const stream = this[kState];
    return inspectObject(this.constructor.name, {
      locked: stream.writer !== undefined,
      state: stream.state,
    }, depth, options);
  }
}
makeEnumerable(WritableStream.prototype, ['locked', 'abort', 'close', 'getWriter']);
defineToStringTag(WritableStream.prototype, 'WritableStream');

function initializeWritableStream(object) {
  object[kType] = 'WritableStream';
  object[kState] = {
    state: 'writable',
    storedError: undefined,
    writer: undefined,
    controller: undefined,
    // Resolvers ({ promise, resolve, reject }) of the pending operations.
    writeRequests: [],
    inFlightWriteRequest: undefined,
    closeRequest: undefined,
    inFlightCloseRequest: undefined,
    pendingAbortRequest: undefined,
    backpressure: false,
    isClosed: undefined,
    object,
  };
}

// CreateWritableStream: a stream whose sink is the given algorithms.
function createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, highWaterMark = 1, sizeAlgorithm = defaultSize) {
  const object = new WritableStream(kSkipInit);
  initializeWritableStream(object);
  const controller = newController(object[kState]);
  setUpController(object[kState], controller, startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm);
  return object;
}

function writableStreamAbort(stream, reason) {
  if (stream.state === 'closed' || stream.state === 'errored') return PromiseResolve();
  stream.controller.abortController.abort(reason);
  const state = stream.state;
  if (state === 'closed' || state === 'errored') return PromiseResolve();
  if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise;
  let wasAlreadyErroring = false;
  if (state === 'erroring') {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const request = PromiseWithResolvers();
  request.reason = reason;
  request.wasAlreadyErroring = wasAlreadyErroring;
  stream.pendingAbortRequest = request;
  if (!wasAlreadyErroring) writableStreamStartErroring(stream, reason);
  return request.promise;
}

function writableStreamClose(stream) {
  const state = stream.state;
  if (state === 'closed' || state === 'errored') return PromiseReject(invalidState('WritableStream is closed'));
  const request = PromiseWithResolvers();
  stream.closeRequest = request;
  const writer = stream.writer;
  if (writer !== undefined && stream.backpressure && state === 'writable') resolveReady(writer);
  controllerClose(stream.controller);
  return request.promise;
}

function writableStreamDealWithRejection(stream, error) {
  if (stream.state === 'writable') {
    writableStreamStartErroring(stream, error);
    return;
  }
  writableStreamFinishErroring(stream);
}

function writableStreamFinishErroring(stream) {
  stream.state = 'errored';
  stream.isClosed?.reject(stream.storedError);
  stream.controller.queue.clear();
  const storedError = stream.storedError;
  const writeRequests = stream.writeRequests;
  stream.writeRequests = [];
  for (let i = 0; i < writeRequests.length; i++) writeRequests[i].reject(storedError);
  const abortRequest = stream.pendingAbortRequest;
  if (abortRequest === undefined) {
    rejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  stream.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.reject(storedError);
    rejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const promise = controllerAbortSteps(stream.controller, abortRequest.reason);
  uponPromise(promise, () => {
    abortRequest.resolve();
    rejectCloseAndClosedPromiseIfNeeded(stream);
  }, (reason) => {
    abortRequest.reject(reason);
    rejectCloseAndClosedPromiseIfNeeded(stream);
  });
}

function writableStreamFinishInFlightWrite(stream) {
  stream.inFlightWriteRequest.resolve();
  stream.inFlightWriteRequest = undefined;
}

function writableStreamFinishInFlightWriteWithError(stream, error) {
  stream.inFlightWriteRequest.reject(error);
  stream.inFlightWriteRequest = undefined;
  writableStreamDealWithRejection(stream, error);
}

function writableStreamFinishInFlightClose(stream) {
  stream.inFlightCloseRequest.resolve();
  stream.inFlightCloseRequest = undefined;
  if (stream.state === 'erroring') {
    stream.storedError = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      stream.pendingAbortRequest.resolve();
      stream.pendingAbortRequest = undefined;
    }
  }
  stream.state = 'closed';
  stream.isClosed?.resolve();
  const writer = stream.writer;
  if (writer !== undefined) writer.closed.resolve();
}

function writableStreamFinishInFlightCloseWithError(stream, error) {
  stream.inFlightCloseRequest.reject(error);
  stream.inFlightCloseRequest = undefined;
  if (stream.pendingAbortRequest !== undefined) {
    stream.pendingAbortRequest.reject(error);
    stream.pendingAbortRequest = undefined;
  }
  writableStreamDealWithRejection(stream, error);
}

function closeQueuedOrInFlight(stream) {
  return stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;
}

function hasOperationMarkedInFlight(stream) {
  return stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;
}

function rejectCloseAndClosedPromiseIfNeeded(stream) {
  if (stream.closeRequest !== undefined) {
    stream.closeRequest.reject(stream.storedError);
    stream.closeRequest = undefined;
  }
  const writer = stream.writer;
  if (writer !== undefined) {
    writer.closed.reject(stream.storedError);
    setPromiseHandled(writer.closed.promise);
  }
}

function writableStreamStartErroring(stream, reason) {
  const controller = stream.controller;
  stream.state = 'erroring';
  stream.storedError = reason;
  const writer = stream.writer;
  if (writer !== undefined) writerEnsureReadyPromiseRejected(writer, reason);
  if (!hasOperationMarkedInFlight(stream) && controller.started) writableStreamFinishErroring(stream);
}

function writableStreamUpdateBackpressure(stream, backpressure) {
  const writer = stream.writer;
  if (writer !== undefined && backpressure !== stream.backpressure) {
    if (backpressure) newReady(writer);
    else resolveReady(writer);
  }
  stream.backpressure = backpressure;
}

// --- WritableStreamDefaultWriter -------------------------------------------------------

function isWriter(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'WritableStreamDefaultWriter';
}

// The writer's ready promise, with `readyPending` telling whether it is still pending.
function newReady(writer) {
  writer.ready = PromiseWithResolvers();
  writer.readyPending = true;
}

function resolveReady(writer) {
  writer.readyPending = false;
  writer.ready.resolve();
}

function rejectedResolvers(error) {
  const resolvers = PromiseWithResolvers();
  resolvers.reject(error);
  setPromiseHandled(resolvers.promise);
  return resolvers;
}

function setUpWriter(object, stream) {
  if (stream.writer !== undefined) throw invalidState('WritableStream is locked');
  object[kType] = 'WritableStreamDefaultWriter';
  const writer = { stream, ready: undefined, readyPending: false, closed: undefined, object };
  object[kState] = writer;
  stream.writer = writer;
  const state = stream.state;
  if (state === 'writable') {
    if (!closeQueuedOrInFlight(stream) && stream.backpressure) newReady(writer);
    else writer.ready = resolvedResolvers();
    writer.closed = PromiseWithResolvers();
  } else if (state === 'erroring') {
    writer.ready = rejectedResolvers(stream.storedError);
    writer.closed = PromiseWithResolvers();
  } else if (state === 'closed') {
    writer.ready = resolvedResolvers();
    writer.closed = resolvedResolvers();
  } else {
    writer.ready = rejectedResolvers(stream.storedError);
    writer.closed = rejectedResolvers(stream.storedError);
  }
  return writer;
}

function resolvedResolvers() {
  const resolvers = PromiseWithResolvers();
  resolvers.resolve();
  return resolvers;
}

function acquireWriter(stream) {
  return setUpWriter(new WritableStreamDefaultWriter(kSkipInit), stream);
}

class WritableStreamDefaultWriter {
  constructor(stream) {
    if (stream === kSkipInit) return;
    if (!isWritableStream(stream)) throw new ERR_INVALID_ARG_TYPE('stream', 'WritableStream', stream);
    setUpWriter(this, stream[kState]);
  }

  get closed() {
    if (!isWriter(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    return this[kState].closed.promise;
  }

  get desiredSize() {
    if (!isWriter(this)) throw new ERR_INVALID_THIS('WritableStreamDefaultWriter');
    const writer = this[kState];
    if (writer.stream === undefined) throw invalidState('Writer is not bound to a WritableStream');
    return writerGetDesiredSize(writer);
  }

  get ready() {
    if (!isWriter(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    return this[kState].ready.promise;
  }

  abort(reason = undefined) {
    if (!isWriter(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    const writer = this[kState];
    if (writer.stream === undefined) return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
    return writableStreamAbort(writer.stream, reason);
  }

  close() {
    if (!isWriter(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    const writer = this[kState];
    const stream = writer.stream;
    if (stream === undefined) return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
    if (closeQueuedOrInFlight(stream)) return PromiseReject(invalidState('Failure to close WritableStream'));
    return writableStreamClose(stream);
  }

  releaseLock() {
    if (!isWriter(this)) throw new ERR_INVALID_THIS('WritableStreamDefaultWriter');
    const writer = this[kState];
    if (writer.stream === undefined) return;
    writerRelease(writer);
  }

  write(chunk = undefined) {
    if (!isWriter(this)) return PromiseReject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    const writer = this[kState];
    if (writer.stream === undefined) return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
    return writerWrite(writer, chunk);
  }

  [customInspect](depth, options) {
    const writer = this[kState];
    return inspectObject(this.constructor.name, {
      stream: writer.stream?.object,
      close: writer.closed.promise,
      ready: writer.ready.promise,
      desiredSize: writer.stream === undefined ? undefined : writerGetDesiredSize(writer),
    }, depth, options);
  }
}
makeEnumerable(WritableStreamDefaultWriter.prototype, ['closed', 'desiredSize', 'ready', 'abort', 'close', 'releaseLock', 'write']);
defineToStringTag(WritableStreamDefaultWriter.prototype, 'WritableStreamDefaultWriter');

function writerCloseWithErrorPropagation(writer) {
  const stream = writer.stream;
  const state = stream.state;
  if (closeQueuedOrInFlight(stream) || state === 'closed') return PromiseResolve();
  if (state === 'errored') return PromiseReject(stream.storedError);
  return writableStreamClose(stream);
}

function writerEnsureReadyPromiseRejected(writer, error) {
  if (writer.readyPending) {
    writer.ready.reject(error);
    writer.readyPending = false;
  } else {
    writer.ready = PromiseWithResolvers();
    writer.ready.reject(error);
  }
  setPromiseHandled(writer.ready.promise);
}

function writerGetDesiredSize(writer) {
  const stream = writer.stream;
  const state = stream.state;
  if (state === 'errored' || state === 'erroring') return null;
  if (state === 'closed') return 0;
  return controllerGetDesiredSize(stream.controller);
}

function writerRelease(writer) {
  const stream = writer.stream;
  const releasedError = invalidState('Writer has been released');
  writerEnsureReadyPromiseRejected(writer, releasedError);
  // The closed promise is pending exactly while the stream is writable or erroring
  // (closing and erroring settle it through the writer, which is still attached).
  const state = stream.state;
  if (state === 'writable' || state === 'erroring') {
    writer.closed.reject(releasedError);
  } else {
    writer.closed = PromiseWithResolvers();
    writer.closed.reject(releasedError);
  }
  setPromiseHandled(writer.closed.promise);
  stream.writer = undefined;
  writer.stream = undefined;
}

function writerWrite(writer, chunk) {
  const stream = writer.stream;
  const controller = stream.controller;
  const chunkSize = controllerGetChunkSize(controller, chunk);
  if (stream !== writer.stream) return PromiseReject(invalidState('Mismatched WritableStreams'));
  const state = stream.state;
  if (state === 'errored') return PromiseReject(stream.storedError);
  if (closeQueuedOrInFlight(stream) || state === 'closed') {
    return PromiseReject(invalidState('WritableStream is closed'));
  }
  if (state === 'erroring') return PromiseReject(stream.storedError);
  const request = PromiseWithResolvers();
  stream.writeRequests.push(request);
  controllerWrite(controller, chunk, chunkSize);
  return request.promise;
}

// --- WritableStreamDefaultController ---------------------------------------------------

function isController(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'WritableStreamDefaultController';
}

class WritableStreamDefaultController {
  constructor(key = undefined) {
    if (key !== kSkipInit) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get signal() {
    if (!isController(this)) throw new ERR_INVALID_THIS('WritableStreamDefaultController');
    return this[kState].abortController.signal;
  }

  error(error = undefined) {
    if (!isController(this)) throw new ERR_INVALID_THIS('WritableStreamDefaultController');
    const controller = this[kState];
    if (controller.stream.state !== 'writable') return;
    controllerError(controller, error);
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, { stream: this[kState].stream.object }, depth, options);
  }
}
makeEnumerable(WritableStreamDefaultController.prototype, ['signal', 'error']);
defineToStringTag(WritableStreamDefaultController.prototype, 'WritableStreamDefaultController');

function newController(stream) {
  const object = new WritableStreamDefaultController(kSkipInit);
  object[kType] = 'WritableStreamDefaultController';
  const controller = {
    stream,
    object,
    queue: new SizedQueue(),
    abortController: newAbortController(),
    started: false,
    highWaterMark: 1,
    sizeAlgorithm: undefined,
    writeAlgorithm: undefined,
    closeAlgorithm: undefined,
    abortAlgorithm: undefined,
  };
  object[kState] = controller;
  return controller;
}

function setUpController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm) {
  stream.controller = controller;
  controller.sizeAlgorithm = sizeAlgorithm;
  controller.highWaterMark = highWaterMark;
  controller.writeAlgorithm = writeAlgorithm;
  controller.closeAlgorithm = closeAlgorithm;
  controller.abortAlgorithm = abortAlgorithm;
  writableStreamUpdateBackpressure(stream, controllerGetBackpressure(controller));
  const startResult = startAlgorithm();
  uponPromise(promiseFor(startResult), () => {
    controller.started = true;
    controllerAdvanceQueueIfNeeded(controller);
  }, (error) => {
    controller.started = true;
    writableStreamDealWithRejection(stream, error);
  });
}

function setUpControllerFromSink(stream, sink, highWaterMark, sizeAlgorithm) {
  const controller = newController(stream);
  const { start, write, close, abort } = sink;
  validateStart(start);
  validateOptionalFunction(write, 'sink.write');
  validateOptionalFunction(close, 'sink.close');
  validateOptionalFunction(abort, 'sink.abort');
  const object = controller.object;
  setUpController(
    stream,
    controller,
    start === undefined ? returnUndefined : () => start.call(sink, object),
    write === undefined ? resolvedUndefined : (chunk) => promiseCall2(write, sink, chunk, object),
    () => promiseCall(close, sink),
    (reason) => promiseCall(abort, sink, reason),
    highWaterMark,
    sizeAlgorithm,
  );
}

function returnUndefined() {}

function resolvedUndefined() {
  return PromiseResolve();
}

function controllerAbortSteps(controller, reason) {
  const result = controller.abortAlgorithm(reason);
  controllerClearAlgorithms(controller);
  return result;
}

function controllerAdvanceQueueIfNeeded(controller) {
  const stream = controller.stream;
  if (!controller.started || stream.inFlightWriteRequest !== undefined) return;
  if (stream.state === 'erroring') {
    writableStreamFinishErroring(stream);
    return;
  }
  if (controller.queue.length === 0) return;
  const value = controller.queue.peek();
  if (value === kCloseSentinel) controllerProcessClose(controller);
  else controllerProcessWrite(controller, value);
}

function controllerClearAlgorithms(controller) {
  controller.writeAlgorithm = undefined;
  controller.closeAlgorithm = undefined;
  controller.abortAlgorithm = undefined;
  controller.sizeAlgorithm = undefined;
}

function controllerClose(controller) {
  controller.queue.push(kCloseSentinel, 0);
  controllerAdvanceQueueIfNeeded(controller);
}

function controllerError(controller, error) {
  controllerClearAlgorithms(controller);
  writableStreamStartErroring(controller.stream, error);
}

function controllerErrorIfNeeded(controller, error) {
  if (controller.stream.state === 'writable') controllerError(controller, error);
}

function controllerGetBackpressure(controller) {
  return controllerGetDesiredSize(controller) <= 0;
}

function controllerGetChunkSize(controller, chunk) {
  if (controller.sizeAlgorithm === undefined) return 1;
  try {
    return controller.sizeAlgorithm(chunk);
  } catch (err) {
    controllerErrorIfNeeded(controller, err);
    return 1;
  }
}

function controllerGetDesiredSize(controller) {
  return controller.highWaterMark - controller.queue.totalSize;
}

function controllerProcessClose(controller) {
  const stream = controller.stream;
  stream.inFlightCloseRequest = stream.closeRequest;
  stream.closeRequest = undefined;
  controller.queue.shift();
  const sinkClosePromise = controller.closeAlgorithm();
  controllerClearAlgorithms(controller);
  uponPromise(sinkClosePromise, () => writableStreamFinishInFlightClose(stream),
    (reason) => writableStreamFinishInFlightCloseWithError(stream, reason));
}

function controllerProcessWrite(controller, chunk) {
  const stream = controller.stream;
  stream.inFlightWriteRequest = stream.writeRequests.shift();
  uponPromise(controller.writeAlgorithm(chunk), () => {
    writableStreamFinishInFlightWrite(stream);
    controller.queue.shift();
    if (!closeQueuedOrInFlight(stream) && stream.state === 'writable') {
      writableStreamUpdateBackpressure(stream, controllerGetBackpressure(controller));
    }
    controllerAdvanceQueueIfNeeded(controller);
  }, (reason) => {
    if (stream.state === 'writable') controllerClearAlgorithms(controller);
    writableStreamFinishInFlightWriteWithError(stream, reason);
  });
}

function controllerWrite(controller, chunk, chunkSize) {
  try {
    controller.queue.push(chunk, validateChunkSize(chunkSize));
  } catch (err) {
    controllerErrorIfNeeded(controller, err);
    return;
  }
  const stream = controller.stream;
  if (!closeQueuedOrInFlight(stream) && stream.state === 'writable') {
    writableStreamUpdateBackpressure(stream, controllerGetBackpressure(controller));
  }
  controllerAdvanceQueueIfNeeded(controller);
}

module.exports = {
  WritableStream,
  WritableStreamDefaultWriter,
  WritableStreamDefaultController,
  isWritableStream,
  createWritableStream,
  acquireWriter,
  writerWrite,
  writerRelease,
  writerCloseWithErrorPropagation,
  writableStreamAbort,
  writableStreamClose,
  closeQueuedOrInFlight,
  controllerErrorIfNeeded,
  controllerError,
};
