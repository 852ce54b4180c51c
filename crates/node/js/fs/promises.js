'use strict';
// node:fs/promises — the callback forms of node:fs wrapped in promises (so the same
// validation applies and its errors become rejections), plus FileHandle.

const fs = require('fs');
const EventEmitter = require('events');
const { Buffer } = require('buffer');
const { codes, validators, AbortError } = require('internal/errors');
const {
  binding, constants, getOptions, dataBytes, toBuffer, getStats, toUnixTimestamp, getValidatedFd,
} = require('internal/fs/utils');

// `fn` called with exactly `arity` arguments and a callback; resolves with the callback's value.
function promisify(fn, arity) {
  return function(...args) {
    return new Promise((resolve, reject) => {
      args.length = arity;
      fn(...args, (err, value) => (err ? reject(err) : resolve(value)));
    });
  };
}

// A pending op on a descriptor, as a promise.
function call(op, ...args) {
  return new Promise((resolve, reject) => {
    op(...args, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

// FileHandle keeps its state under symbols, as Node's does, so util.inspect shows the same keys.
const kHandle = Symbol('kHandle');
const kFd = Symbol('kFd');
const kRefs = Symbol('kRefs');
const kClosePromise = Symbol('kClosePromise');
const kCloseResolve = Symbol('kCloseResolve');
const kCloseReject = Symbol('kCloseReject');
const kLocked = Symbol('kLocked');

const kReadSize = 16384;
const kMaxBigIntPosition = 2n ** 63n - 3n;

// Stands in for Node's native handle, which util.inspect shows as `FileHandle {}`.
const NativeHandle = class FileHandle {
  #asyncId;

  getAsyncId() {
    this.#asyncId ??= new (require('async_hooks').AsyncResource)('FILEHANDLE').asyncId();
    return this.#asyncId;
  }
};

function closedError(syscall) {
  const err = new Error('file closed');
  err.code = 'EBADF';
  err.syscall = syscall;
  return err;
}

// Runs an op on the handle's descriptor, holding a reference so that a close() waits for it.
async function fsCall(op, handle, syscall, ...args) {
  if (!(handle instanceof FileHandle)) {
    throw new codes.ERR_INTERNAL_ASSERTION('handle must be an instance of FileHandle');
  }
  if (handle[kFd] === -1) throw closedError(syscall);
  handle[kRefs]++;
  try {
    return await op(handle[kFd], ...args);
  } finally {
    release(handle);
  }
}

// Drops a reference; the last one closes the descriptor when a close() is waiting.
function release(handle) {
  if (--handle[kRefs] !== 0 || !handle[kClosePromise]) return;
  const fd = handle[kFd];
  handle[kFd] = -1;
  call(binding.close, fd).then(handle[kCloseResolve], handle[kCloseReject]);
}

class FileHandle extends EventEmitter {
  constructor(fd) {
    super();
    // An own property, as in Node, so it works detached from the handle. The descriptor closes
    // once the ops in flight (and a readableWebStream) let go of it; 'close' is emitted at once.
    const close = () => {
      if (this[kFd] === -1) return Promise.resolve();
      if (this[kClosePromise]) return this[kClosePromise];
      let closing;
      if (--this[kRefs] === 0) {
        const fd = this[kFd];
        this[kFd] = -1;
        closing = call(binding.close, fd);
      } else {
        closing = new Promise((resolve, reject) => {
          this[kCloseResolve] = resolve;
          this[kCloseReject] = reject;
        });
      }
      this[kClosePromise] = closing.finally(() => { this[kClosePromise] = undefined; });
      this.emit('close');
      return this[kClosePromise];
    };
    this.close = close;
    this[kHandle] = new NativeHandle();
    this[kFd] = fd;
    this[kRefs] = 1;
    this[kClosePromise] = null;
  }

  getAsyncId() {
    return this[kHandle].getAsyncId();
  }

  get fd() {
    return this[kFd];
  }

  appendFile(data, options) {
    return fsCall(writeFileOp, this, 'writeFile', data, options);
  }

  chmod(mode) {
    return fsCall(fchmodOp, this, 'fchmod', mode);
  }

  chown(uid, gid) {
    return fsCall(fchownOp, this, 'fchown', uid, gid);
  }

  datasync() {
    return fsCall(fdatasyncOp, this, 'fdatasync');
  }

  sync() {
    return fsCall(fsyncOp, this, 'fsync');
  }

  read(buffer, offset, length, position) {
    return fsCall(readOp, this, 'read', buffer, offset, length, position);
  }

  readv(buffers, position) {
    return fsCall(readvOp, this, 'readv', buffers, position);
  }

  readFile(options) {
    return fsCall(readFileOp, this, 'readFile', options);
  }

  // A readline Interface over the file's contents, for `for await (const line of ...)`.
  readLines(options = undefined) {
    const { Interface } = require('internal/readline/interface');
    return new Interface({ input: this.createReadStream(options), crlfDelay: Infinity });
  }

  stat(options) {
    return fsCall(fstatOp, this, 'fstat', options);
  }

  truncate(len = 0) {
    return fsCall(ftruncateOp, this, 'ftruncate', len);
  }

  utimes(atime, mtime) {
    return fsCall(futimesOp, this, 'futimes', atime, mtime);
  }

  write(buffer, offset, length, position) {
    return fsCall(writeOp, this, 'write', buffer, offset, length, position);
  }

  writev(buffers, position) {
    return fsCall(writevOp, this, 'writev', buffers, position);
  }

  writeFile(data, options) {
    return fsCall(writeFileOp, this, 'writeFile', data, options);
  }

  // A byte ReadableStream of the file from its current position, in 16 KiB chunks.
  // Only one per handle; it holds a reference until it ends, and ends when the handle closes.
  readableWebStream(options = {}) {
    if (this[kFd] === -1 || this[kClosePromise]) throw new codes.ERR_INVALID_STATE('The FileHandle is closed');
    if (this[kLocked]) throw new codes.ERR_INVALID_STATE('The FileHandle is locked');
    this[kLocked] = true;
    validators.validateObject(options, 'options');
    const { type, autoClose = false } = options;
    validators.validateBoolean(autoClose, 'options.autoClose');
    if (type !== undefined && type !== 'bytes') {
      process.emitWarning('A non-"bytes" options.type has no effect. A byte-oriented steam is always created.',
                          'ExperimentalWarning');
    }
    return webStream(this, autoClose);
  }

  // A closed handle fails here, as its fd (-1) is out of range.
  createReadStream(options = undefined) {
    getValidatedFd(this[kFd]);
    return new (require('internal/fs/streams').ReadStream)(undefined, { ...options, fd: this });
  }

  createWriteStream(options = undefined) {
    getValidatedFd(this[kFd]);
    return new (require('internal/fs/streams').WriteStream)(undefined, { ...options, fd: this });
  }

  async [Symbol.asyncDispose]() {
    await this.close();
  }
}

function webStream(handle, autoClose) {
  const { ReadableStream, readableStreamCancel } = require('internal/webstreams/readablestream');
  const { kState } = require('internal/webstreams/util');
  let done = false;
  // Gives the handle's reference back, once, and closes the handle when asked to.
  const finish = () => {
    if (done) return false;
    done = true;
    release(handle);
    if (autoClose) handle.close();
    return true;
  };
  handle[kRefs]++;
  const stream = new ReadableStream({
    type: 'bytes',
    autoAllocateChunkSize: kReadSize,
    async pull(controller) {
      const view = controller.byobRequest.view;
      let bytesRead;
      try {
        ({ bytesRead } = await handle.read(view, 0, view.byteLength, null));
      } catch (err) {
        if (finish()) controller.error(err);
        return;
      }
      if (done) return;
      if (bytesRead === 0) {
        finish();
        controller.close();
        controller.byobRequest.respond(0);
      } else {
        controller.byobRequest.respond(bytesRead);
      }
    },
    cancel() {
      finish();
    },
  });
  // Closing the handle ends the stream as a cancel does (pending reads get done: true).
  handle.once('close', () => {
    if (!done) readableStreamCancel(stream[kState]);
  });
  return stream;
}

// --- the ops behind the FileHandle methods: (fd, ...arguments) -> result ----------------------

function validateBuffers(buffers) {
  if (!Array.isArray(buffers) || !buffers.every((b) => ArrayBuffer.isView(b))) {
    throw new codes.ERR_INVALID_ARG_TYPE('buffers', 'ArrayBufferView[]', buffers);
  }
}

// write, readv and writev take a position only as a non-negative integer number; anything
// else means the current file position.
function loosePosition(position) {
  return Number.isSafeInteger(position) && position >= 0 ? position : null;
}

// read() checks its position: -1 or null for the current one.
function readPosition(position) {
  if (position == null) return null;
  if (typeof position === 'number') {
    validators.validateInteger(position, 'position', -1);
  } else if (typeof position === 'bigint') {
    if (position < -1n || position > kMaxBigIntPosition) {
      throw new codes.ERR_OUT_OF_RANGE('position', `>= -1 && <= ${kMaxBigIntPosition}`, position);
    }
    position = Number(position);
  } else {
    throw new codes.ERR_INVALID_ARG_TYPE('position', ['bigint', 'integer'], position);
  }
  return position === -1 ? null : position;
}

// A length within the `room` left in the buffer after the offset.
function validateLength(length, room) {
  if (typeof length !== 'number') throw new codes.ERR_INVALID_ARG_TYPE('length', 'number', length);
  if (!Number.isInteger(length)) throw new codes.ERR_OUT_OF_RANGE('length', 'an integer', length);
  if (length < 0) throw new codes.ERR_OUT_OF_RANGE('length', '>= 0', length);
  if (length > room) throw new codes.ERR_OUT_OF_RANGE('length', `<= ${room}`, length);
}

// The bytes of `length` at `offset` in any ArrayBufferView.
function viewBytes(view, offset, length) {
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

// read(buffer, offset, length, position), read(buffer, options) or read(options).
async function readOp(fd, buffer, offset, length, position) {
  if (!ArrayBuffer.isView(buffer)) {
    if (buffer != null) validators.validateObject(buffer, 'options');
    ({ buffer = Buffer.alloc(kReadSize), offset = 0, length = buffer.byteLength - offset, position = null } =
      buffer ?? {});
    if (!ArrayBuffer.isView(buffer)) {
      throw new codes.ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
    }
  } else if (offset !== null && typeof offset === 'object') {
    ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
  }
  if (offset == null) offset = 0;
  else validators.validateInteger(offset, 'offset', 0);
  length ??= buffer.byteLength - offset;
  position = readPosition(position);
  if (length === 0) return { __proto__: null, bytesRead: 0, buffer };
  validateLength(length, buffer.byteLength - offset);
  const bytesRead = await call(binding.read, fd, viewBytes(buffer, offset, length), position ?? -1);
  return { __proto__: null, bytesRead, buffer };
}

// write(buffer, offset, length, position), write(buffer, options) or write(string, position, encoding).
async function writeOp(fd, buffer, offset, length, position) {
  let bytes;
  if (ArrayBuffer.isView(buffer)) {
    if (buffer.byteLength === 0) return { __proto__: null, bytesWritten: 0, buffer };
    if (offset !== null && typeof offset === 'object') {
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
    }
    if (offset == null) {
      offset = 0;
    } else {
      validators.validateInteger(offset, 'offset', 0);
      if (offset > buffer.byteLength) throw new codes.ERR_OUT_OF_RANGE('offset', `<= ${buffer.byteLength}`, offset);
    }
    if (typeof length !== 'number') length = buffer.byteLength - offset;
    validateLength(length, buffer.byteLength - offset);
    bytes = viewBytes(buffer, offset, length);
    position = loosePosition(position);
  } else if (typeof buffer === 'string') {
    bytes = Buffer.from(buffer, Buffer.isEncoding(length) ? length : 'utf8');
    position = loosePosition(offset);
  } else {
    throw new codes.ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
  }
  const bytesWritten = await call(binding.write, fd, bytes, position ?? -1);
  return { __proto__: null, bytesWritten, buffer };
}

async function readvOp(fd, buffers, position) {
  validateBuffers(buffers);
  if (buffers.length === 0) {
    // What readv(2) says to an empty list of buffers.
    const err = new Error('EINVAL: invalid argument, read');
    Object.assign(err, { errno: -22, code: 'EINVAL', syscall: 'read' });
    throw err;
  }
  const bytesRead = await call(fs.readv, fd, buffers, loosePosition(position));
  return { __proto__: null, bytesRead, buffers };
}

async function writevOp(fd, buffers, position) {
  validateBuffers(buffers);
  if (buffers.length === 0) return { __proto__: null, bytesWritten: 0, buffers };
  const bytesWritten = await call(fs.writev, fd, buffers, loosePosition(position));
  return { __proto__: null, bytesWritten, buffers };
}

function validateSignal(signal) {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.signal', 'AbortSignal', signal);
  }
}

function throwIfAborted(signal) {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

// The rest of the file from the current position.
async function readFileOp(fd, options) {
  const { encoding, signal } = getOptions(options, { encoding: null });
  validateSignal(signal);
  throwIfAborted(signal);
  const buffer = toBuffer(await call(binding.readFile, fd, 0));
  throwIfAborted(signal);
  if (!encoding) return buffer;
  if (!Buffer.isEncoding(encoding)) throw new codes.ERR_UNKNOWN_ENCODING(encoding); // 'buffer'
  return buffer.toString(encoding);
}

// Writes at the current position: a string or bytes, or each chunk of an (async) iterable.
async function writeFileOp(fd, data, options) {
  const { encoding, signal, flush } = getOptions(options, { encoding: 'utf8' });
  validateSignal(signal);
  if (flush != null) validators.validateBoolean(flush, 'options.flush');
  throwIfAborted(signal);
  if (typeof data === 'string' || ArrayBuffer.isView(data)) {
    await call(binding.writeFile, fd, dataBytes(data, encoding), 0, 0);
  } else if (data != null && (typeof data[Symbol.iterator] === 'function' ||
                              typeof data[Symbol.asyncIterator] === 'function')) {
    for await (const chunk of data) {
      throwIfAborted(signal);
      const bytes = ArrayBuffer.isView(chunk) ? chunk : Buffer.from(chunk, encoding);
      await call(binding.writeFile, fd, bytes, 0, 0);
    }
  } else {
    throw new codes.ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  if (flush) await call(binding.fsync, fd, false);
}

const fchmodOp = promisify(fs.fchmod, 2);
const fchownOp = promisify(fs.fchown, 3);
const fsyncOp = promisify(fs.fsync, 1);
const fdatasyncOp = promisify(fs.fdatasync, 1);

async function fstatOp(fd, options = { bigint: false }) {
  const bigint = options.bigint === true;
  return getStats(await call(binding.fstat, fd, bigint), bigint);
}

async function ftruncateOp(fd, len) {
  validators.validateInteger(len, 'len');
  await call(binding.truncate, fd, Math.max(0, len));
}

async function futimesOp(fd, atime, mtime) {
  atime = toUnixTimestamp(atime, 'atime');
  mtime = toUnixTimestamp(mtime, 'mtime');
  await call(binding.utimes, fd, atime, mtime, false);
}

// A temporary directory that removes itself (with everything in it) when disposed.
async function mkdtempDisposable(prefix, options) {
  const path = await new Promise((resolve, reject) => {
    fs.mkdtemp(prefix, options, (err, dir) => (err ? reject(err) : resolve(dir)));
  });
  const remove = () => fs.promises.rm(path, { recursive: true, force: true });
  return { path, remove, [Symbol.asyncDispose]: remove };
}

// Linux has no lchmod.
async function lchmod() {
  throw new codes.ERR_METHOD_NOT_IMPLEMENTED('lchmod()');
}

async function open(path, flags, mode) {
  const fd = await promisify(fs.open, 3)(path, flags, mode);
  return new FileHandle(fd);
}

// readFile, writeFile and appendFile take an open FileHandle in place of a path.
async function readFile(path, options) {
  if (path instanceof FileHandle) {
    getValidatedFd(path.fd); // -1 once closed
    return path.readFile(options);
  }
  return promisify(fs.readFile, 2)(path, options);
}

async function writeFile(path, data, options) {
  if (path instanceof FileHandle) {
    getValidatedFd(path.fd); // -1 once closed
    return path.writeFile(data, options);
  }
  return promisify(fs.writeFile, 3)(path, data, options);
}

async function appendFile(path, data, options) {
  if (path instanceof FileHandle) {
    getValidatedFd(path.fd); // -1 once closed
    return path.appendFile(data, options);
  }
  return promisify(fs.appendFile, 3)(path, data, options);
}

module.exports = {
  access: promisify(fs.access, 2),
  copyFile: promisify(fs.copyFile, 3),
  open,
  rename: promisify(fs.rename, 2),
  truncate: promisify(fs.truncate, 2),
  rm: promisify(fs.rm, 2),
  rmdir: promisify(fs.rmdir, 2),
  mkdir: promisify(fs.mkdir, 2),
  readdir: promisify(fs.readdir, 2),
  readlink: promisify(fs.readlink, 2),
  symlink: promisify(fs.symlink, 3),
  lstat: promisify(fs.lstat, 2),
  stat: promisify(fs.stat, 2),
  link: promisify(fs.link, 2),
  unlink: promisify(fs.unlink, 1),
  chmod: promisify(fs.chmod, 2),
  lchown: promisify(fs.lchown, 3),
  chown: promisify(fs.chown, 3),
  utimes: promisify(fs.utimes, 3),
  lutimes: promisify(fs.lutimes, 3),
  realpath: promisify(fs.realpath, 2),
  mkdtemp: promisify(fs.mkdtemp, 2),
  mkdtempDisposable,
  lchmod,
  writeFile,
  appendFile,
  readFile,
  constants,
  cp: (src, dest, options) => require('internal/fs/cp').cpPromise(src, dest, options),
  opendir: (path, options) => new Promise((resolve, reject) => {
    require('internal/fs/dir').opendir(path, options, (err, dir) => (err ? reject(err) : resolve(dir)));
  }),
  statfs: (path, options) => new Promise((resolve, reject) => {
    require('fs').statfs(path, options, (err, stats) => (err ? reject(err) : resolve(stats)));
  }),
  watch: (filename, options) => require('internal/fs/watchers').watchPromise(filename, options),
  glob: (pattern, options) => require('internal/fs/glob').globPromise(pattern, options),
};
