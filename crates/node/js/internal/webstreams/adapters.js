'use strict';

// Conversions between Node streams and web streams, behind Readable.toWeb/fromWeb,
// Writable.toWeb/fromWeb and Duplex.toWeb/fromWeb.

const {
  AbortError,
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_STREAM_PREMATURE_CLOSE },
  validators: { validateBoolean, validateObject },
} = require('internal/errors');
const { ReadableStream, isReadableStream } = require('internal/webstreams/readablestream');
const { WritableStream, isWritableStream } = require('internal/webstreams/writablestream');
const { CountQueuingStrategy } = require('internal/webstreams/queuingstrategies');
const { PromiseResolve, PromiseWithResolvers } = require('internal/webstreams/util');
const { isAnyArrayBuffer } = require('internal/util/types');

// node:stream and its internals load on first use: they are big and load us lazily too.
let streamModules;
function streams() {
  if (streamModules === undefined) {
    const { Readable, Writable, Duplex } = require('stream');
    const utils = require('internal/streams/utils');
    streamModules = {
      Readable,
      Writable,
      Duplex,
      finished: require('internal/streams/end-of-stream'),
      destroy: require('internal/streams/destroy').destroyer,
      isDestroyed: utils.isDestroyed,
      isReadable: utils.isReadable,
      isWritable: utils.isWritable,
      isWritableEnded: utils.isWritableEnded,
      isReadableNodeStream: utils.isReadableNodeStream,
      isWritableNodeStream: utils.isWritableNodeStream,
      isDuplexNodeStream: utils.isDuplexNodeStream,
    };
  }
  return streamModules;
}

// Bytes for buffers, length for strings, 1 for anything else.
function byteLengthSize(chunk) {
  return chunk?.byteLength ?? chunk?.length ?? 1;
}

// How errors of the Node stream show on the web side: a premature close as an AbortError,
// a zlib failure (code Z_*) as a TypeError carrying the code.
function webError(error) {
  const code = error?.code;
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return new AbortError(undefined, { cause: error });
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const typeError = new TypeError(undefined, { cause: error });
    typeError.code = code;
    return typeError;
  }
  return error;
}

// Calls back, rethrowing what the callback throws on the next tick (outside the promise).
function callbackSafely(callback, error) {
  try {
    callback(error);
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}

function encodeString(chunk, encoding) {
  const buffer = Buffer.from(chunk, encoding);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

// --- Node Readable -> ReadableStream ---------------------------------------------------

function newReadableStreamFromStreamReadable(streamReadable, options = {}) {
  const { isReadableNodeStream, isDestroyed, isReadable, finished, destroy } = streams();
  if (typeof streamReadable?._readableState !== 'object' || !isReadableNodeStream(streamReadable)) {
    throw new ERR_INVALID_ARG_TYPE('streamReadable', 'stream.Readable', streamReadable);
  }
  validateObject(options, 'options');
  if (isDestroyed(streamReadable) || !isReadable(streamReadable)) {
    const readable = new ReadableStream();
    readable.cancel();
    return readable;
  }
  const objectMode = streamReadable.readableObjectMode;
  const highWaterMark = streamReadable.readableHighWaterMark;
  const isBytes = options.type === 'bytes';
  let strategy = options.strategy;
  if (strategy === undefined) {
    strategy = objectMode ?
      new CountQueuingStrategy({ highWaterMark }) :
      { highWaterMark, size: byteLengthSize };
  }
  let controller;
  let wasCanceled = false;

  function onData(chunk) {
    if (Buffer.isBuffer(chunk) && !objectMode) {
      chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    controller.enqueue(chunk);
    if (controller.desiredSize <= 0) streamReadable.pause();
  }

  function handleStreamEnd(error) {
    streamReadable.removeListener('data', onData);
    if (error) {
      controller.error(webError(error));
      return;
    }
    if (wasCanceled) return;
    controller.close();
    // A byte stream's pending BYOB read ends with the stream.
    if (isBytes) controller.byobRequest?.respond(0);
  }

  finished(streamReadable, handleStreamEnd);
  streamReadable.on('data', onData);

  const source = {
    start(c) {
      controller = c;
    },
    pull() {
      streamReadable.resume();
    },
    cancel(reason) {
      wasCanceled = true;
      destroy(streamReadable, reason);
    },
  };
  if (isBytes) {
    source.type = 'bytes';
    return new ReadableStream(source, strategy === options.strategy ? strategy : { highWaterMark });
  }
  return new ReadableStream(source, strategy);
}

// --- ReadableStream -> Node Readable ---------------------------------------------------

function newStreamReadableFromReadableStream(readableStream, options = {}) {
  if (!isReadableStream(readableStream)) {
    throw new ERR_INVALID_ARG_TYPE('readableStream', 'ReadableStream', readableStream);
  }
  validateObject(options, 'options');
  const { highWaterMark, encoding, objectMode = false, signal } = options;
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) {
    throw new ERR_INVALID_ARG_VALUE('options.encoding', encoding);
  }
  validateBoolean(objectMode, 'options.objectMode');
  const { Readable, destroy } = streams();
  const reader = readableStream.getReader();
  let closed = false;

  const readable = new Readable({
    objectMode,
    highWaterMark,
    encoding,
    signal,
    read() {
      reader.read().then(({ value, done }) => {
        if (done) readable.push(null);
        else readable.push(value);
      }, (error) => destroy(readable, error));
    },
    destroy(error, callback) {
      const done = () => callbackSafely(callback, error);
      if (!closed) {
        reader.cancel(error).then(done, done);
        return;
      }
      done();
    },
  });

  reader.closed.then(() => {
    closed = true;
  }, (error) => {
    closed = true;
    destroy(readable, error);
  });
  return readable;
}

// --- Node Writable -> WritableStream ---------------------------------------------------

function newWritableStreamFromStreamWritable(streamWritable) {
  const { isWritableNodeStream, isDestroyed, isWritable, isWritableEnded, finished, destroy } = streams();
  if (typeof streamWritable?._writableState !== 'object' || !isWritableNodeStream(streamWritable)) {
    throw new ERR_INVALID_ARG_TYPE('streamWritable', 'stream.Writable', streamWritable);
  }
  if (isDestroyed(streamWritable) || !isWritable(streamWritable)) {
    const writable = new WritableStream();
    writable.close();
    return writable;
  }
  const highWaterMark = streamWritable.writableHighWaterMark;
  const strategy = streamWritable.writableObjectMode ?
    new CountQueuingStrategy({ highWaterMark }) :
    { highWaterMark, size: byteLengthSize };
  let controller;
  // Settled by 'drain' while a write waits for it.
  let backpressure;
  // Settled when the Node stream finishes after close().
  let closed;

  function onDrain() {
    backpressure?.resolve();
  }

  const cleanup = finished(streamWritable, (error) => {
    cleanup();
    // Keep an error after the stream is done from becoming uncaught.
    streamWritable.on('error', () => {});
    if (error != null) {
      error = webError(error);
      if (backpressure !== undefined) {
        backpressure.reject(error);
        backpressure = undefined;
      }
      if (closed !== undefined) {
        closed.reject(error);
        closed = undefined;
      }
      controller?.error(error);
      controller = undefined;
      return;
    }
    if (closed !== undefined) {
      closed.resolve();
      closed = undefined;
      return;
    }
    controller?.error(new AbortError());
    controller = undefined;
  });
  streamWritable.on('drain', onDrain);

  return new WritableStream({
    start(c) {
      controller = c;
    },
    write(chunk) {
      if (isAnyArrayBuffer(chunk)) chunk = new Uint8Array(chunk);
      let wrote;
      try {
        wrote = !streamWritable.writableNeedDrain && streamWritable.write(chunk);
      } catch (err) {
        destroy(streamWritable, err);
        throw err;
      }
      if (!wrote) {
        backpressure = PromiseWithResolvers();
        return backpressure.promise.finally(() => {
          backpressure = undefined;
        });
      }
    },
    abort(reason) {
      destroy(streamWritable, reason);
    },
    close() {
      if (closed === undefined && !isWritableEnded(streamWritable)) {
        closed = PromiseWithResolvers();
        streamWritable.end();
        return closed.promise;
      }
      controller = undefined;
      return PromiseResolve();
    },
  }, strategy);
}

// --- WritableStream -> Node Writable ---------------------------------------------------

function newStreamWritableFromWritableStream(writableStream, options = {}) {
  if (!isWritableStream(writableStream)) {
    throw new ERR_INVALID_ARG_TYPE('writableStream', 'WritableStream', writableStream);
  }
  validateObject(options, 'options');
  const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
  validateBoolean(objectMode, 'options.objectMode');
  validateBoolean(decodeStrings, 'options.decodeStrings');
  const { Writable, isWritableEnded, destroy } = streams();
  const writer = writableStream.getWriter();
  let closed = false;

  const writable = new Writable({
    highWaterMark,
    objectMode,
    decodeStrings,
    signal,
    writev(chunks, callback) {
      writeAll(writer, chunks, callback, writable);
    },
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && decodeStrings && !objectMode) chunk = encodeString(chunk, encoding);
      writeOne(writer, chunk, callback, writable);
    },
    destroy(error, callback) {
      const done = () => callbackSafely(callback, error);
      if (!closed) {
        if (error != null) writer.abort(error).then(done, done);
        else writer.close().then(done, done);
        return;
      }
      done();
    },
    final(callback) {
      const done = (error) => callbackSafely(callback, error);
      if (!closed) writer.close().then(done, done);
    },
  });

  writer.closed.then(() => {
    closed = true;
    if (!isWritableEnded(writable)) destroy(writable, new ERR_STREAM_PREMATURE_CLOSE());
  }, (error) => {
    closed = true;
    destroy(writable, error);
  });
  return writable;
}

// Writes one chunk once the writer is ready; the callback gets the write's error.
function writeOne(writer, chunk, callback, stream) {
  const done = (error) => {
    try {
      callback(error);
    } catch (err) {
      streams().destroy(stream, err);
    }
  };
  writer.ready.then(() => writer.write(chunk).then(done, done), done);
}

function writeAll(writer, chunks, callback, stream) {
  const done = (errors) => {
    const error = Array.isArray(errors) ? errors.find((e) => e != null) : errors;
    try {
      callback(error);
    } catch (err) {
      streams().destroy(stream, err);
    }
  };
  writer.ready.then(() => {
    const writes = chunks.map(({ chunk }) => writer.write(chunk).then(() => undefined, (error) => error));
    return Promise.all(writes).then(done, done);
  }, done);
}

// --- Duplex <-> { readable, writable } -------------------------------------------------

function newReadableWritablePairFromDuplex(duplex) {
  const { isDuplexNodeStream, isDestroyed, isReadable, isWritable } = streams();
  if (!isDuplexNodeStream(duplex)) throw new ERR_INVALID_ARG_TYPE('duplex', 'stream.Duplex', duplex);
  if (isDestroyed(duplex)) {
    const writable = new WritableStream();
    const readable = new ReadableStream();
    writable.close();
    readable.cancel();
    return { readable, writable };
  }
  let writable;
  if (isWritable(duplex)) {
    writable = newWritableStreamFromStreamWritable(duplex);
  } else {
    writable = new WritableStream();
    writable.close();
  }
  let readable;
  if (isReadable(duplex)) {
    readable = newReadableStreamFromStreamReadable(duplex);
  } else {
    readable = new ReadableStream();
    readable.cancel();
  }
  return { writable, readable };
}

function newStreamDuplexFromReadableWritablePair(pair = {}, options = {}) {
  validateObject(pair, 'pair');
  const { readable: readableStream, writable: writableStream } = pair;
  if (!isReadableStream(readableStream)) {
    throw new ERR_INVALID_ARG_TYPE('pair.readable', 'ReadableStream', readableStream);
  }
  if (!isWritableStream(writableStream)) {
    throw new ERR_INVALID_ARG_TYPE('pair.writable', 'WritableStream', writableStream);
  }
  validateObject(options, 'options');
  const {
    allowHalfOpen = false,
    objectMode = false,
    encoding,
    decodeStrings = true,
    highWaterMark,
    signal,
  } = options;
  validateBoolean(objectMode, 'options.objectMode');
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) {
    throw new ERR_INVALID_ARG_VALUE('options.encoding', encoding);
  }
  const { Duplex, isWritableEnded, destroy } = streams();
  const writer = writableStream.getWriter();
  const reader = readableStream.getReader();
  let writableClosed = false;
  let readableClosed = false;

  const duplex = new Duplex({
    allowHalfOpen,
    highWaterMark,
    objectMode,
    encoding,
    decodeStrings,
    signal,
    writev(chunks, callback) {
      writeAll(writer, chunks, callback, duplex);
    },
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && decodeStrings && !objectMode) chunk = encodeString(chunk, encoding);
      writeOne(writer, chunk, callback, duplex);
    },
    final(callback) {
      const done = (error) => callbackSafely(callback, error);
      if (!writableClosed) writer.close().then(done, done);
    },
    read() {
      reader.read().then(({ value, done }) => {
        if (done) duplex.push(null);
        else duplex.push(value);
      }, (error) => destroy(duplex, error));
    },
    destroy(error, callback) {
      const done = () => callbackSafely(callback, error);
      const closeWriter = () => {
        if (writableClosed) return PromiseResolve();
        return error != null ? writer.abort(error) : writer.close();
      };
      const closeReader = () => (readableClosed ? PromiseResolve() : reader.cancel(error));
      if (!writableClosed || !readableClosed) {
        Promise.all([closeWriter(), closeReader()]).then(done, done);
        return;
      }
      done();
    },
  });

  writer.closed.then(() => {
    writableClosed = true;
    if (!isWritableEnded(duplex)) destroy(duplex, new ERR_STREAM_PREMATURE_CLOSE());
  }, (error) => {
    writableClosed = true;
    readableClosed = true;
    destroy(duplex, error);
  });
  reader.closed.then(() => {
    readableClosed = true;
  }, (error) => {
    writableClosed = true;
    readableClosed = true;
    destroy(duplex, error);
  });
  return duplex;
}

module.exports = {
  newReadableStreamFromStreamReadable,
  newStreamReadableFromReadableStream,
  newWritableStreamFromStreamWritable,
  newStreamWritableFromWritableStream,
  newReadableWritablePairFromDuplex,
  newStreamDuplexFromReadableWritablePair,
};
