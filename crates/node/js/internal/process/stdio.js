'use strict';
// process.stdin, process.stdout and process.stderr, built on first access from what the
// descriptor is: a terminal (tty.ReadStream / tty.WriteStream), a file (fs.ReadStream /
// SyncWriteStream), or a pipe or socket (net.Socket).
//
// stdout and stderr write synchronously whatever they are connected to, so nothing written
// before process.exit() is lost and console output keeps its order.

const binding = internalBinding('tty');

let Buffer;
let errnoException;

// _write for stdout/stderr: the whole chunk reaches the kernel before the callback runs.
function writeSync(chunk, encoding, cb) {
  let data = chunk;
  if (typeof chunk === 'string' && encoding !== 'utf8' && encoding !== 'utf-8') {
    Buffer ??= require('buffer').Buffer;
    data = Buffer.from(chunk, encoding);
  }
  const status = binding.writeSync(this.fd, data);
  if (status < 0) {
    errnoException ??= require('internal/net').errnoException;
    cb(errnoException(status, 'write'));
    return;
  }
  cb();
}

function writevSync(chunks, cb) {
  Buffer ??= require('buffer').Buffer;
  const buffers = new Array(chunks.length);
  for (let i = 0; i < chunks.length; i++) {
    const { chunk, encoding } = chunks[i];
    buffers[i] = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
  }
  this._write(Buffer.concat(buffers), 'buffer', cb);
}

// Destroying a standard stream never closes its descriptor: the stream comes back to life
// (later writes still work), but 'close' is still emitted so that finished() and pipeline()
// see it end.
function destroyStdio(err, cb) {
  cb(err);
  this._undestroy();
  if (!this._writableState.emitClose) process.nextTick(() => this.emit('close'));
}

// write() for stdout/stderr: while the stream is idle (nothing buffered, corked, ending or
// failed) a string goes straight to the descriptor, skipping the Writable machinery that
// would only complete it synchronously anyway; anything else takes the regular path.
function writeFast(chunk, encoding, cb) {
  const state = this._writableState;
  if (typeof chunk === 'string' && (encoding === undefined || typeof encoding === 'function') &&
      state.length === 0 && !state.writing && !state.corked && !state.ending && !state.destroyed &&
      !state.errored && this._write === writeSync && state.defaultEncoding === 'utf8' &&
      binding.writeSync(this.fd, chunk) === 0) {
    if (typeof encoding === 'function') cb = encoding;
    if (typeof cb === 'function') process.nextTick(cb, null);
    return true;
  }
  return this[kClassWrite](chunk, encoding, cb);
}

const kClassWrite = Symbol('kClassWrite');
// Per stream class, a subclass of the same name whose prototype holds the standard streams'
// methods: a standard stream's write is then its class's own, as in Node (loggers such as
// pino treat an own `write` property as a sign that someone patched the stream).
const stdioPrototypes = new Map();
function stdioPrototypeOf(Base) {
  let proto = stdioPrototypes.get(Base);
  if (proto !== undefined) return proto;
  const Stdio = { [Base.name]: function(...args) { return Reflect.construct(Base, args, new.target); } }[Base.name];
  Object.setPrototypeOf(Stdio, Base);
  proto = Object.create(Base.prototype);
  const method = (value) => ({ value, writable: true, configurable: true });
  Object.defineProperties(proto, {
    constructor: method(Stdio),
    write: method(writeFast),
    _write: method(writeSync),
    _writev: method(writevSync),
    _destroy: method(destroyStdio),
    destroySoon: method(Base.prototype.destroy),
    [kClassWrite]: method(Base.prototype.write),
  });
  Stdio.prototype = proto;
  stdioPrototypes.set(Base, proto);
  return proto;
}

// Makes a writable stream (of whatever class) a standard output stream for `fd`.
function makeStdioWritable(stream, fd) {
  stream.fd = fd;
  stream._isStdio = true;
  Object.setPrototypeOf(stream, stdioPrototypeOf(stream.constructor));
  return stream;
}

let SyncWriteStream;
// fs's writable stream for stdout/stderr redirected to a file.
function getSyncWriteStream() {
  if (SyncWriteStream) return SyncWriteStream;
  const { Writable } = require('stream');
  SyncWriteStream = function SyncWriteStream(fd, options) {
    Writable.call(this, { autoDestroy: true });
    this.fd = fd;
    this.readable = false;
    this.autoClose = options?.autoClose ?? true;
  };
  Object.setPrototypeOf(SyncWriteStream.prototype, Writable.prototype);
  Object.setPrototypeOf(SyncWriteStream, Writable);
  SyncWriteStream.prototype._write = writeSync;
  SyncWriteStream.prototype.destroySoon = SyncWriteStream.prototype.destroy;
  return SyncWriteStream;
}

function createWritableStdioStream(fd) {
  let stream;
  switch (binding.guessHandleType(fd)) {
    case 'TTY': {
      const tty = require('tty');
      stream = new tty.WriteStream(fd);
      stream._type = 'tty';
      break;
    }
    case 'FILE': {
      const Stream = getSyncWriteStream();
      stream = new Stream(fd, { autoClose: false });
      stream._type = 'fs';
      break;
    }
    case 'PIPE':
    case 'TCP': {
      const net = require('net');
      stream = new net.Socket({ readable: false, writable: true });
      stream._type = 'pipe';
      // A standard stream is never "pending" or half open, whatever its handle.
      Object.defineProperty(stream, 'pending', { value: false, writable: true, configurable: true });
      break;
    }
    default: {
      // Nowhere to write to: a black hole, as Node gives non-console programs.
      const { Writable } = require('stream');
      stream = new Writable({ write(chunk, encoding, cb) { cb(); } });
    }
  }
  makeStdioWritable(stream, fd);
  if (stream._type === 'tty') watchWindowSize(stream);
  return stream;
}

// Terminal output streams follow window size changes.
function watchWindowSize(stream) {
  process.on('SIGWINCH', () => stream._refreshSize());
}

function createStdin(fd) {
  let stdin;
  const kind = binding.guessHandleType(fd);
  switch (kind) {
    case 'TTY': {
      const tty = require('tty');
      stdin = new tty.ReadStream(fd);
      break;
    }
    case 'FILE': {
      const fs = require('fs');
      stdin = new fs.ReadStream(null, { fd, autoClose: false });
      break;
    }
    case 'PIPE':
    case 'TCP': {
      const net = require('net');
      const handle = binding.openStdin(fd, kind);
      if (typeof handle === 'number') {
        errnoException ??= require('internal/net').errnoException;
        throw errnoException(handle, 'open');
      }
      stdin = new net.Socket({ handle, readable: true, writable: false, manualStart: true });
      stdin._handle.reading = false;
      break;
    }
    default: {
      // No stdin at all: a stream that ends at once.
      const { Readable } = require('stream');
      stdin = new Readable({ read() {} });
      stdin.push(null);
    }
  }
  stdin.fd = fd;

  // Reading starts when someone wants data ('data', 'readable', resume(), pipe()); pause()
  // stops it at once so that an idle stdin doesn't keep the process alive.
  if (stdin._handle && stdin._handle.reading === false) {
    stdin.on('pause', () => {
      process.nextTick(stopReadingIfPaused, stdin);
    });
  }
  return stdin;
}

function stopReadingIfPaused(stdin) {
  const handle = stdin._handle;
  if (!handle || !handle.reading || !stdin.isPaused()) return;
  stdin._readableState.reading = false;
  handle.reading = false;
  internalBinding('net').readStop(handle);
}

// The streams once the program has asked for them.
const streams = [undefined, undefined, undefined];

// What the global console writes to: process.stdout/stderr on a terminal (for colours) or
// once the program has touched them; until then, a plain synchronous writer, so that
// console.log needs neither the stream nor the socket modules. Both write synchronously,
// so output keeps its order either way.
const consoleWriters = [undefined, undefined, undefined];
function consoleStream(fd, getStream) {
  if (streams[fd] !== undefined) return streams[fd];
  if (consoleWriters[fd] === undefined) {
    if (binding.guessHandleType(fd) === 'TTY') return getStream();
    consoleWriters[fd] = {
      fd,
      write(chunk) {
        const status = binding.writeSync(fd, chunk);
        if (status < 0) {
          errnoException ??= require('internal/net').errnoException;
          throw errnoException(status, 'write');
        }
        return true;
      },
    };
  }
  return consoleWriters[fd];
}

module.exports = {
  getStdout: () => (streams[1] = createWritableStdioStream(1)),
  getStderr: () => (streams[2] = createWritableStdioStream(2)),
  consoleStream,
  getStdin: () => createStdin(0),
  makeStdioWritable,
  writeSync,
};
