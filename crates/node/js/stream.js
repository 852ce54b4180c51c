'use strict';
// node:stream. module.exports is the legacy Stream class carrying the stream classes and
// helpers; the implementation lives in internal/streams/.

const { Stream } = require('internal/streams/legacy');
const utils = require('internal/streams/utils');
const destroyImpl = require('internal/streams/destroy');
const eos = require('internal/streams/end-of-stream');
const { getDefaultHighWaterMark, setDefaultHighWaterMark } = require('internal/streams/state');
require('buffer');
const { FastBuffer } = internalBinding('buffer').internals;
const types = require('internal/util/types');

const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

Stream.isDestroyed = utils.isDestroyed;
Stream.isDisturbed = utils.isDisturbed;
Stream.isErrored = utils.isErrored;
Stream.isReadable = utils.isReadable;
Stream.isWritable = utils.isWritable;
Stream.Readable = require('internal/streams/readable');
Stream.Writable = require('internal/streams/writable');
Stream.Duplex = require('internal/streams/duplex');
Stream.Transform = require('internal/streams/transform');
Stream.PassThrough = require('internal/streams/passthrough');
Stream.duplexPair = function duplexPair(options) {
  return require('internal/streams/duplexpair')(options);
};
Stream.pipeline = require('internal/streams/pipeline').pipeline;
Stream.addAbortSignal = require('internal/streams/add-abort-signal').addAbortSignal;
Stream.finished = eos;
Stream.destroy = destroyImpl.destroyer;
Stream.compose = function compose(...streams) {
  return require('internal/streams/compose')(...streams);
};
Stream.setDefaultHighWaterMark = setDefaultHighWaterMark;
Stream.getDefaultHighWaterMark = getDefaultHighWaterMark;

Object.defineProperty(Stream, 'promises', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    return require('stream/promises');
  },
});

Object.defineProperty(Stream.pipeline, promisifyCustom, {
  __proto__: null,
  enumerable: true,
  get() {
    return require('stream/promises').pipeline;
  },
});

Object.defineProperty(eos, promisifyCustom, {
  __proto__: null,
  enumerable: true,
  get() {
    return require('stream/promises').finished;
  },
});

// Backwards compatibility: require('stream').Stream === require('stream').
Stream.Stream = Stream;

Stream._isArrayBufferView = types.isArrayBufferView;
Stream._isUint8Array = types.isUint8Array;
Stream._uint8ArrayToBuffer = function _uint8ArrayToBuffer(chunk) {
  return new FastBuffer(chunk.buffer, chunk.byteOffset, chunk.byteLength);
};

module.exports = Stream;
