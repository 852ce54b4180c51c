'use strict';
// node:fs/promises — the callback forms of node:fs wrapped in promises (so the same
// validation applies and its errors become rejections), plus FileHandle.

const fs = require('fs');
const { Buffer } = require('buffer');
const { binding, constants, getOptions, dataBytes, encodeResult, getStats } = require('internal/fs/utils');

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

const kClosed = -1;

class FileHandle {
  #fd;

  constructor(fd) {
    this.#fd = fd;
  }

  get fd() {
    return this.#fd;
  }

  // The descriptor for an op, or Node's "file closed" error once closed.
  #open(syscall) {
    if (this.#fd === kClosed) {
      const err = new Error('file closed');
      err.code = 'EBADF';
      err.syscall = syscall;
      throw err;
    }
    return this.#fd;
  }

  async read(buffer, offset, length, position) {
    const fd = this.#open('read');
    if (buffer == null || (!ArrayBuffer.isView(buffer) && typeof buffer === 'object')) {
      const options = buffer ?? {};
      buffer = options.buffer ?? Buffer.alloc(16384);
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = options);
    } else if (offset != null && typeof offset === 'object') {
      ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
    }
    const bytesRead = await new Promise((resolve, reject) => {
      fs.read(fd, buffer, offset ?? 0, length ?? buffer.byteLength - (offset ?? 0), position ?? null,
              (err, n) => (err ? reject(err) : resolve(n)));
    });
    return { __proto__: null, bytesRead, buffer };
  }

  async write(data, ...rest) {
    const fd = this.#open('write');
    const bytesWritten = await new Promise((resolve, reject) => {
      fs.write(fd, data, ...rest, (err, n) => (err ? reject(err) : resolve(n)));
    });
    return { __proto__: null, bytesWritten, buffer: data };
  }

  async readFile(options) {
    const fd = this.#open('readFile');
    const { encoding } = getOptions(options, { encoding: null });
    return encodeResult(await call(binding.readFile, fd, 0), encoding);
  }

  async writeFile(data, options) {
    const fd = this.#open('writeFile');
    const { encoding } = getOptions(options, { encoding: 'utf8' });
    await call(binding.writeFile, fd, dataBytes(data, encoding), 0, 0);
  }

  async appendFile(data, options) {
    return this.writeFile(data, options);
  }

  async stat(options) {
    const fd = this.#open('fstat');
    const bigint = options?.bigint === true;
    return getStats(await call(binding.fstat, fd, bigint), bigint);
  }

  async truncate(len) {
    return promisify(fs.ftruncate, 2)(this.#open('ftruncate'), len);
  }

  async chmod(mode) {
    return promisify(fs.fchmod, 2)(this.#open('fchmod'), mode);
  }

  async chown(uid, gid) {
    return promisify(fs.fchown, 3)(this.#open('fchown'), uid, gid);
  }

  async utimes(atime, mtime) {
    return promisify(fs.futimes, 3)(this.#open('futime'), atime, mtime);
  }

  async sync() {
    return promisify(fs.fsync, 1)(this.#open('fsync'));
  }

  async datasync() {
    return promisify(fs.fdatasync, 1)(this.#open('fdatasync'));
  }

  async close() {
    if (this.#fd === kClosed) return;
    const fd = this.#fd;
    this.#fd = kClosed;
    await call(binding.close, fd);
  }

  createReadStream(options = undefined) {
    return new (require('internal/fs/streams').ReadStream)(undefined, { ...options, fd: this });
  }

  createWriteStream(options = undefined) {
    return new (require('internal/fs/streams').WriteStream)(undefined, { ...options, fd: this });
  }

  // A readline Interface over the file's contents, for `for await (const line of ...)`.
  readLines(options = undefined) {
    const { Interface } = require('internal/readline/interface');
    return new Interface({ input: this.createReadStream(options), crlfDelay: Infinity });
  }

  async [Symbol.asyncDispose]() {
    await this.close();
  }
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
  throw new (require('internal/errors').codes.ERR_METHOD_NOT_IMPLEMENTED)('lchmod()');
}

async function open(path, flags, mode) {
  const fd = await promisify(fs.open, 3)(path, flags, mode);
  return new FileHandle(fd);
}

async function readFile(path, options) {
  if (path instanceof FileHandle) return path.readFile(options);
  return promisify(fs.readFile, 2)(path, options);
}

async function writeFile(path, data, options) {
  if (path instanceof FileHandle) return path.writeFile(data, options);
  return promisify(fs.writeFile, 3)(path, data, options);
}

async function appendFile(path, data, options) {
  if (path instanceof FileHandle) return path.appendFile(data, options);
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
