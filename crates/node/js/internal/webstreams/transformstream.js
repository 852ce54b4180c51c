'use strict';

// TransformStream (WHATWG Streams): a writable side whose chunks go through the
// transformer into a readable side, with backpressure from the readable to the writable.

const {
  codes: {
    ERR_ILLEGAL_CONSTRUCTOR,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_STATE,
    ERR_INVALID_THIS,
  },
} = require('internal/errors');
const {
  kState,
  kType,
  customInspect,
  PromiseResolve,
  PromiseReject,
  PromiseWithResolvers,
  uponPromise,
  promiseCall,
  promiseCall2,
  validateDictionary,
  validateUnderlying,
  validateOptionalFunction,
  validateStart,
  extractHighWaterMark,
  extractSizeAlgorithm,
  inspectObject,
  defineToStringTag,
  makeEnumerable,
} = require('internal/webstreams/util');
const readable = require('internal/webstreams/readablestream');
const writable = require('internal/webstreams/writablestream');

const kSkipInit = Symbol('kSkipInit');

function isTransformStream(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'TransformStream';
}

class TransformStream {
  constructor(transformer = {}, writableStrategy = undefined, readableStrategy = undefined) {
    if (transformer === kSkipInit) return;
    validateUnderlying(transformer, 'transformer');
    validateDictionary(writableStrategy, 'writableStrategy');
    validateDictionary(readableStrategy, 'readableStrategy');
    const { readableType, writableType, start } = transformer;
    if (readableType !== undefined) {
      throw new ERR_INVALID_ARG_VALUE.RangeError('transformer.readableType', readableType);
    }
    if (writableType !== undefined) {
      throw new ERR_INVALID_ARG_VALUE.RangeError('transformer.writableType', writableType);
    }
    const readableHWM = extractHighWaterMark(readableStrategy?.highWaterMark, 0);
    const readableSize = extractSizeAlgorithm(readableStrategy?.size);
    const writableHWM = extractHighWaterMark(writableStrategy?.highWaterMark, 1);
    const writableSize = extractSizeAlgorithm(writableStrategy?.size);
    const startPromise = PromiseWithResolvers();
    initializeTransformStream(this, startPromise.promise, writableHWM, writableSize, readableHWM, readableSize);
    setUpControllerFromTransformer(this[kState], transformer);
    if (start !== undefined) {
      validateStart(start);
      startPromise.resolve(start.call(transformer, this[kState].controller.object));
    } else {
      startPromise.resolve();
    }
  }

  get readable() {
    if (!isTransformStream(this)) throw new ERR_INVALID_THIS('TransformStream');
    return this[kState].readable;
  }

  get writable() {
    if (!isTransformStream(this)) throw new ERR_INVALID_THIS('TransformStream');
    return this[kState].writable;
  }

  [customInspect](depth, options) {
    const stream = this[kState];
    return inspectObject(this.constructor.name, {
      readable: stream.readable,
      writable: stream.writable,
      backpressure: stream.backpressure,
    }, depth, options);
  }
}
makeEnumerable(TransformStream.prototype, ['readable', 'writable']);
defineToStringTag(TransformStream.prototype, 'TransformStream');

function initializeTransformStream(object, startPromise, writableHWM, writableSize, readableHWM, readableSize) {
  object[kType] = 'TransformStream';
  const stream = {
    readable: undefined,
    writable: undefined,
    readableController: undefined,
    writableController: undefined,
    backpressure: undefined,
    backpressureChangePromise: undefined,
    controller: undefined,
    object,
  };
  object[kState] = stream;
  const startAlgorithm = () => startPromise;
  stream.writable = writable.createWritableStream(
    startAlgorithm,
    (chunk) => sinkWriteAlgorithm(stream, chunk),
    () => sinkCloseAlgorithm(stream),
    (reason) => sinkAbortAlgorithm(stream, reason),
    writableHWM,
    writableSize,
  );
  stream.writableController = stream.writable[kState].controller;
  stream.readable = readable.createReadableStream(
    startAlgorithm,
    () => sourcePullAlgorithm(stream),
    (reason) => sourceCancelAlgorithm(stream, reason),
    readableHWM,
    readableSize,
  );
  stream.readableController = stream.readable[kState].controller;
  setBackpressure(stream, true);
}

function transformStreamError(stream, error) {
  readable.defaultControllerError(stream.readableController, error);
  errorWritableAndUnblockWrite(stream, error);
}

function errorWritableAndUnblockWrite(stream, error) {
  controllerClearAlgorithms(stream.controller);
  writable.controllerErrorIfNeeded(stream.writableController, error);
  unblockWrite(stream);
}

function unblockWrite(stream) {
  if (stream.backpressure) setBackpressure(stream, false);
}

function setBackpressure(stream, backpressure) {
  if (stream.backpressureChangePromise !== undefined) stream.backpressureChangePromise.resolve();
  stream.backpressureChangePromise = PromiseWithResolvers();
  stream.backpressure = backpressure;
}

// --- TransformStreamDefaultController --------------------------------------------------

function isController(value) {
  return typeof value === 'object' && value !== null && value[kType] === 'TransformStreamDefaultController';
}

class TransformStreamDefaultController {
  constructor(key = undefined) {
    if (key !== kSkipInit) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get desiredSize() {
    if (!isController(this)) throw new ERR_INVALID_THIS('TransformStreamDefaultController');
    return readable.defaultControllerGetDesiredSize(this[kState].stream.readableController);
  }

  enqueue(chunk = undefined) {
    if (!isController(this)) throw new ERR_INVALID_THIS('TransformStreamDefaultController');
    controllerEnqueue(this[kState], chunk);
  }

  error(reason = undefined) {
    if (!isController(this)) throw new ERR_INVALID_THIS('TransformStreamDefaultController');
    transformStreamError(this[kState].stream, reason);
  }

  terminate() {
    if (!isController(this)) throw new ERR_INVALID_THIS('TransformStreamDefaultController');
    controllerTerminate(this[kState]);
  }

  // Node shows the stream with its sides left out.
  [customInspect](depth, options) {
    const stream = this[kState].stream;
    const shown = { readable: undefined, writable: undefined, backpressure: stream.backpressure };
    Object.defineProperty(shown, customInspect, {
      value: (d, o) => inspectObject('TransformStream', { ...shown }, d, o),
    });
    return inspectObject(this.constructor.name, { stream: shown }, depth, options);
  }
}
makeEnumerable(TransformStreamDefaultController.prototype, ['desiredSize', 'enqueue', 'error', 'terminate']);
defineToStringTag(TransformStreamDefaultController.prototype, 'TransformStreamDefaultController');

function setUpController(stream, transformAlgorithm, flushAlgorithm, cancelAlgorithm) {
  const object = new TransformStreamDefaultController(kSkipInit);
  object[kType] = 'TransformStreamDefaultController';
  const controller = {
    stream,
    object,
    transformAlgorithm,
    flushAlgorithm,
    cancelAlgorithm,
    finishPromise: undefined,
  };
  object[kState] = controller;
  stream.controller = controller;
  return controller;
}

function setUpControllerFromTransformer(stream, transformer) {
  const { transform, flush, cancel } = transformer;
  validateOptionalFunction(transform, 'transformer.transform');
  validateOptionalFunction(flush, 'transformer.flush');
  validateOptionalFunction(cancel, 'transformer.cancel');
  const controller = setUpController(stream, undefined, undefined, undefined);
  const object = controller.object;
  controller.transformAlgorithm = transform === undefined ?
    (chunk) => {
      try {
        controllerEnqueue(controller, chunk);
        return PromiseResolve();
      } catch (err) {
        return PromiseReject(err);
      }
    } :
    (chunk) => promiseCall2(transform, transformer, chunk, object);
  controller.flushAlgorithm = flush === undefined ? resolvedUndefined : () => promiseCall(flush, transformer, object);
  controller.cancelAlgorithm = cancel === undefined ? resolvedUndefined : (reason) => promiseCall(cancel, transformer, reason);
}

function resolvedUndefined() {
  return PromiseResolve();
}

function controllerClearAlgorithms(controller) {
  controller.transformAlgorithm = undefined;
  controller.flushAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
}

function controllerEnqueue(controller, chunk) {
  const stream = controller.stream;
  const readableController = stream.readableController;
  if (!readable.defaultControllerCanCloseOrEnqueue(readableController)) {
    throw new ERR_INVALID_STATE.TypeError('Unable to enqueue');
  }
  try {
    readable.defaultControllerEnqueue(readableController, chunk);
  } catch (err) {
    errorWritableAndUnblockWrite(stream, err);
    throw stream.readable[kState].storedError;
  }
  const backpressure = readable.defaultControllerHasBackpressure(readableController);
  if (backpressure !== stream.backpressure) setBackpressure(stream, true);
}

function controllerTerminate(controller) {
  const stream = controller.stream;
  readable.defaultControllerClose(stream.readableController);
  errorWritableAndUnblockWrite(stream, new ERR_INVALID_STATE.TypeError('TransformStream has been terminated'));
}

function performTransform(controller, chunk) {
  const { promise, resolve, reject } = PromiseWithResolvers();
  uponPromise(controller.transformAlgorithm(chunk), resolve, (error) => {
    transformStreamError(controller.stream, error);
    reject(error);
  });
  return promise;
}

function sinkWriteAlgorithm(stream, chunk) {
  const controller = stream.controller;
  if (!stream.backpressure) return performTransform(controller, chunk);
  const { promise, resolve, reject } = PromiseWithResolvers();
  uponPromise(stream.backpressureChangePromise.promise, () => {
    const writableStream = stream.writable[kState];
    if (writableStream.state === 'erroring') {
      reject(writableStream.storedError);
      return;
    }
    uponPromise(performTransform(controller, chunk), resolve, reject);
  }, reject);
  return promise;
}

function sinkAbortAlgorithm(stream, reason) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const readableStream = stream.readable[kState];
  const finish = PromiseWithResolvers();
  controller.finishPromise = finish;
  const cancelPromise = controller.cancelAlgorithm(reason);
  controllerClearAlgorithms(controller);
  uponPromise(cancelPromise, () => {
    if (readableStream.state === 'errored') {
      finish.reject(readableStream.storedError);
    } else {
      readable.defaultControllerError(stream.readableController, reason);
      finish.resolve();
    }
  }, (error) => {
    readable.defaultControllerError(stream.readableController, error);
    finish.reject(error);
  });
  return finish.promise;
}

function sinkCloseAlgorithm(stream) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const readableStream = stream.readable[kState];
  const finish = PromiseWithResolvers();
  controller.finishPromise = finish;
  const flushPromise = controller.flushAlgorithm();
  controllerClearAlgorithms(controller);
  uponPromise(flushPromise, () => {
    if (readableStream.state === 'errored') {
      finish.reject(readableStream.storedError);
    } else {
      readable.defaultControllerClose(stream.readableController);
      finish.resolve();
    }
  }, (error) => {
    readable.defaultControllerError(stream.readableController, error);
    finish.reject(error);
  });
  return finish.promise;
}

function sourceCancelAlgorithm(stream, reason) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const writableStream = stream.writable[kState];
  const finish = PromiseWithResolvers();
  controller.finishPromise = finish;
  const cancelPromise = controller.cancelAlgorithm(reason);
  controllerClearAlgorithms(controller);
  uponPromise(cancelPromise, () => {
    if (writableStream.state === 'errored') {
      finish.reject(writableStream.storedError);
    } else {
      writable.controllerErrorIfNeeded(stream.writableController, reason);
      unblockWrite(stream);
      finish.resolve();
    }
  }, (error) => {
    writable.controllerErrorIfNeeded(stream.writableController, error);
    unblockWrite(stream);
    finish.reject(error);
  });
  return finish.promise;
}

function sourcePullAlgorithm(stream) {
  setBackpressure(stream, false);
  return stream.backpressureChangePromise.promise;
}

module.exports = {
  TransformStream,
  TransformStreamDefaultController,
  isTransformStream,
};
