'use strict';
// fs.ReadStream and fs.WriteStream: streams over a file opened by path (in _construct)
// or given as a descriptor or FileHandle. File operations go through `options.fs`
// (open/read/write/writev/close, node:fs by default); reads with the default fs go to the
// native op directly.

const { Buffer } = require('buffer');
const { FastBuffer } = internalBinding('buffer').internals;
const { codes, validators } = require('internal/errors');
const { binding, getValidatedPath, validatePosition } = require('internal/fs/utils');
const Readable = require('internal/streams/readable');
const Writable = require('internal/streams/writable');
const { errorOrDestroy } = require('internal/streams/destroy');
const eos = require('internal/streams/end-of-stream');

const { ERR_INVALID_ARG_TYPE, ERR_METHOD_NOT_IMPLEMENTED, ERR_OUT_OF_RANGE } = codes;
const { validateFunction, validateInteger, validateBoolean } = validators;

const kFs = Symbol('kFs');
const kIsPerformingIO = Symbol('kIsPerformingIO');
const kIoDone = Symbol('kIoDone');
const kHandle = Symbol('kHandle');

// Loaded on first use of fs.createReadStream & co., when node:fs is complete.
const fs = require('fs');
// Reads and writes through the unpatched fs.read and fs.write may use the native ops directly.
const fsRead = fs.read;
const fsWrite = fs.write;

// Options as a copy (they are modified), from an encoding string or an object.
function copyOptions(options) {
  if (options == null) return {};
  if (typeof options === 'string') {
    if (options !== 'buffer' && !Buffer.isEncoding(options)) {
      throw new codes.ERR_INVALID_ARG_VALUE('encoding', options, 'is invalid encoding');
    }
    return { encoding: options };
  }
  if (typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', ['string', 'object'], options);
  if (options.encoding && options.encoding !== 'buffer' && !Buffer.isEncoding(options.encoding)) {
    throw new codes.ERR_INVALID_ARG_VALUE('encoding', options.encoding, 'is invalid encoding');
  }
  return { ...options };
}

// A FileHandle from fs/promises, recognised by its shape.
function isFileHandle(value) {
  return value !== null && typeof value === 'object' && typeof value.fd === 'number' &&
    typeof value.close === 'function' && typeof value.read === 'function';
}

// The fs-like operations of a stream over a FileHandle.
function fileHandleOperations(handle) {
  return {
    open() {
      throw new ERR_METHOD_NOT_IMPLEMENTED('open()');
    },
    close(fd, cb) {
      handle.close().then(() => cb(), cb);
    },
    read(fd, buf, offset, length, pos, cb) {
      handle.read(buf, offset, length, pos).then((r) => cb(null, r.bytesRead, r.buffer), (err) => cb(err, 0, buf));
    },
    write(fd, buf, offset, length, pos, cb) {
      handle.write(buf, offset, length, pos).then((r) => cb(null, r.bytesWritten, r.buffer), (err) => cb(err, 0, buf));
    },
  };
}

// Sets stream.fd, and stream.path when opening by path (in that key order).
function importFd(stream, path, options) {
  if (options.fd == null) {
    stream.fd = null;
    stream.path = getValidatedPath(path);
    stream[kFs] = options.fs || fs;
    return;
  }
  if (typeof options.fd === 'number') {
    stream.fd = options.fd;
    stream[kFs] = options.fs || fs;
  } else if (isFileHandle(options.fd)) {
    if (options.fs) throw new ERR_METHOD_NOT_IMPLEMENTED('FileHandle with fs');
    const handle = options.fd;
    if (handle.fd < 0) throw new ERR_OUT_OF_RANGE('fd', '>= 0 && <= 2147483647', handle.fd);
    stream[kHandle] = handle;
    stream.fd = handle.fd;
    stream[kFs] = fileHandleOperations(handle);
    // As in Node, closing the handle ends the stream, without an error (and, as there, the
    // listener stays on the handle after the stream is done).
    handle.on('close', () => stream.destroy());
  } else {
    throw new ERR_INVALID_ARG_TYPE('options.fd', ['number', 'FileHandle'], options.fd);
  }
}

// Opens the file before any read or write (the streams' _construct).
function construct(callback) {
  const stream = this;
  if (typeof stream.fd === 'number') {
    callback();
    return;
  }
  stream[kFs].open(stream.path, stream.flags, stream.mode, (er, fd) => {
    if (er) {
      callback(er);
    } else {
      stream.fd = fd;
      callback();
      stream.emit('open', stream.fd);
      stream.emit('ready');
    }
  });
}

// _destroy of both streams: waits for the operation in flight, then closes the file.
function destroyStream(err, cb) {
  if (this[kIsPerformingIO]) this.once(kIoDone, (er) => close(this, err || er, cb));
  else close(this, err, cb);
}

function close(stream, err, cb) {
  if (!stream.fd) {
    cb(err);
  } else if (stream.flush) {
    stream[kFs].fsync(stream.fd, (flushErr) => closeFd(stream, err || flushErr, cb));
  } else {
    closeFd(stream, err, cb);
  }
}

function closeFd(stream, err, cb) {
  stream[kFs].close(stream.fd, (er) => {
    cb(er || err);
  });
  stream.fd = null;
}

function definePending(proto) {
  Object.defineProperty(proto, 'pending', {
    __proto__: null,
    get() {
      return this.fd === null;
    },
    configurable: true,
  });
}

// autoClose is the stream's autoDestroy.
function defineAutoClose(proto, stateKey) {
  Object.defineProperty(proto, 'autoClose', {
    __proto__: null,
    get() {
      return this[stateKey].autoDestroy;
    },
    set(val) {
      this[stateKey].autoDestroy = val;
    },
    configurable: true,
  });
}

function ReadStream(path, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(path, options);
  options = copyOptions(options);
  if (options.highWaterMark === undefined) options.highWaterMark = 64 * 1024;
  if (options.autoDestroy === undefined) options.autoDestroy = false;

  importFd(this, path, options);
  validateFunction(this[kFs].open, 'options.fs.open');
  validateFunction(this[kFs].read, 'options.fs.read');
  validateFunction(this[kFs].close, 'options.fs.close');
  options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;

  this.flags = options.flags === undefined ? 'r' : options.flags;
  this.mode = options.mode === undefined ? 0o666 : options.mode;
  this.start = options.start;
  this.end = options.end ?? Infinity;
  this.pos = undefined;
  this.bytesRead = 0;
  this[kIsPerformingIO] = false;

  if (this.start !== undefined) {
    validateInteger(this.start, 'start', 0);
    this.pos = this.start;
  }
  if (this.end !== Infinity) {
    validateInteger(this.end, 'end', 0);
    if (this.start !== undefined && this.start > this.end) {
      throw new ERR_OUT_OF_RANGE('start', `<= "end" (here: ${this.end})`, this.start);
    }
  }
  Readable.call(this, options);
}
Object.setPrototypeOf(ReadStream.prototype, Readable.prototype);
Object.setPrototypeOf(ReadStream, Readable);

defineAutoClose(ReadStream.prototype, '_readableState');
ReadStream.prototype._construct = construct;

ReadStream.prototype._read = function _read(n) {
  n = this.pos !== undefined ?
    Math.min(this.end - this.pos + 1, n) :
    Math.min(this.end - this.bytesRead + 1, n);
  if (n <= 0) {
    this.push(null);
    return;
  }
  this[kIsPerformingIO] = true;
  // Over an ArrayBuffer from the start: a typed array gets one only when native code takes
  // its bytes, and then the engine counts its memory twice, collecting twice as often.
  const buf = new FastBuffer(new ArrayBuffer(n), 0, n);
  const done = (er, bytesRead) => afterRead(this, er, bytesRead, fitted(buf, bytesRead));
  if (this[kFs] === fs && fs.read === fsRead) {
    binding.read(this.fd, buf, this.pos === undefined ? -1 : validatePosition(this.pos), done);
  } else {
    this[kFs].read(this.fd, buf, 0, n, this.pos, done);
  }
};

// A chunk holds exactly the bytes read, in a buffer of its own.
function fitted(buf, bytesRead) {
  if (!(bytesRead > 0 && bytesRead !== buf.length)) return buf;
  const chunk = new FastBuffer(bytesRead);
  chunk.set(buf.subarray(0, bytesRead));
  return chunk;
}

function afterRead(stream, er, bytesRead, buf) {
  stream[kIsPerformingIO] = false;
  if (stream.destroyed) {
    stream.emit(kIoDone, er);
    return;
  }
  if (er) {
    errorOrDestroy(stream, er);
  } else if (bytesRead > 0) {
    if (stream.pos !== undefined) stream.pos += bytesRead;
    stream.bytesRead += bytesRead;
    stream.push(buf);
  } else {
    stream.push(null);
  }
}

ReadStream.prototype._destroy = destroyStream;

ReadStream.prototype.close = function close(cb) {
  if (typeof cb === 'function') eos(this, cb);
  this.destroy();
};

definePending(ReadStream.prototype);

function WriteStream(path, options) {
  if (!(this instanceof WriteStream)) return new WriteStream(path, options);
  options = copyOptions(options);
  // Strings are always written as bytes.
  options.decodeStrings = true;

  importFd(this, path, options);
  validateFunction(this[kFs].open, 'options.fs.open');
  if (!this[kFs].write && !this[kFs].writev) {
    throw new ERR_INVALID_ARG_TYPE('options.fs.write', 'function', this[kFs].write);
  }
  if (this[kFs].write) validateFunction(this[kFs].write, 'options.fs.write');
  if (this[kFs].writev) validateFunction(this[kFs].writev, 'options.fs.writev');
  validateFunction(this[kFs].close, 'options.fs.close');
  // Without one of the two, the stream does without the matching method.
  if (!this[kFs].write) this._write = null;
  if (!this[kFs].writev && this[kFs] !== fs) this._writev = null;

  options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;

  this.flags = options.flags === undefined ? 'w' : options.flags;
  this.mode = options.mode === undefined ? 0o666 : options.mode;
  this.start = options.start;
  this.pos = undefined;
  this.bytesWritten = 0;
  this[kIsPerformingIO] = false;

  if (options.flush == null) {
    this.flush = false;
  } else {
    validateBoolean(options.flush, 'options.flush');
    this.flush = options.flush;
  }

  if (this.start !== undefined) {
    validateInteger(this.start, 'start', 0);
    this.pos = this.start;
  }

  Writable.call(this, options);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
}
Object.setPrototypeOf(WriteStream.prototype, Writable.prototype);
Object.setPrototypeOf(WriteStream, Writable);

defineAutoClose(WriteStream.prototype, '_writableState');
WriteStream.prototype._construct = construct;

function afterWrite(stream, er, bytes, cb) {
  stream[kIsPerformingIO] = false;
  if (stream.destroyed) {
    cb(er);
    stream.emit(kIoDone, er);
    return;
  }
  if (er) {
    cb(er);
    return;
  }
  stream.bytesWritten += bytes;
  cb();
}

WriteStream.prototype._write = function _write(data, encoding, cb) {
  this[kIsPerformingIO] = true;
  const done = (er, bytes) => afterWrite(this, er, bytes, cb);
  if (this[kFs] === fs && fs.write === fsWrite && ArrayBuffer.isView(data)) {
    binding.write(this.fd, data, this.pos === undefined ? -1 : validatePosition(this.pos), done);
  } else {
    this[kFs].write(this.fd, data, 0, data.length, this.pos, done);
  }
  if (this.pos !== undefined) this.pos += data.length;
};

WriteStream.prototype._writev = function _writev(data, cb) {
  const len = data.length;
  const chunks = new Array(len);
  let size = 0;
  for (let i = 0; i < len; i++) {
    const chunk = data[i].chunk;
    chunks[i] = chunk;
    size += chunk.length;
  }
  this[kIsPerformingIO] = true;
  const done = (er, bytes) => afterWrite(this, er, bytes, cb);
  // node:fs has no writev yet: the chunks go out as one write.
  if (this[kFs] !== fs && this[kFs].writev) this[kFs].writev(this.fd, chunks, this.pos ?? null, done);
  else this[kFs].write(this.fd, Buffer.concat(chunks, size), 0, size, this.pos, done);
  if (this.pos !== undefined) this.pos += size;
};

WriteStream.prototype._destroy = destroyStream;

WriteStream.prototype.close = function close(cb) {
  if (cb) {
    if (this.closed) {
      process.nextTick(cb);
      return;
    }
    this.on('close', cb);
  }
  // Without autoClose, end() alone would leave the file open.
  if (!this.autoClose) this.on('finish', this.destroy);
  this.end();
};

// Kept for old code: ends the stream (the file closes after 'finish').
WriteStream.prototype.destroySoon = WriteStream.prototype.end;

definePending(WriteStream.prototype);

module.exports = { ReadStream, WriteStream, kFs };
