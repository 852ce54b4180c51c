'use strict';
// What fs.js and fs/promises.js share: argument checks with Node's error codes,
// open flags, fs.constants, Stats and Dirent.

const { Buffer } = require('buffer');
const { codes, validators } = require('internal/errors');
const { isURL, fileURLToPath } = require('internal/url');
const { validateInt32, validateUint32, validateObject, validateFunction } = validators;

// The fs ops, with Node's stack on their errors: the JS caller's frames for a thrown
// error, only the message line for one passed to a callback.
const binding = {};
const ops = internalBinding('fs');
for (const name of Object.getOwnPropertyNames(ops)) {
  const op = ops[name];
  binding[name] = function callOp(...args) {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = function done(err, value) {
        if (err) Error.captureStackTrace(err, done);
        return callback(err, value);
      };
      return op(...args);
    }
    try {
      return op(...args);
    } catch (err) {
      if (err instanceof Error) Error.captureStackTrace(err, callOp);
      throw err;
    }
  };
}

const constants = {
  UV_FS_SYMLINK_DIR: 1,
  UV_FS_SYMLINK_JUNCTION: 2,
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  UV_DIRENT_UNKNOWN: 0,
  UV_DIRENT_FILE: 1,
  UV_DIRENT_DIR: 2,
  UV_DIRENT_LINK: 3,
  UV_DIRENT_FIFO: 4,
  UV_DIRENT_SOCKET: 5,
  UV_DIRENT_CHAR: 6,
  UV_DIRENT_BLOCK: 7,
  S_IFMT: 0o170000,
  S_IFREG: 0o100000,
  S_IFDIR: 0o40000,
  S_IFCHR: 0o20000,
  S_IFBLK: 0o60000,
  S_IFIFO: 0o10000,
  S_IFLNK: 0o120000,
  S_IFSOCK: 0o140000,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  UV_FS_O_FILEMAP: 0,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_DIRECTORY: 0o200000,
  O_NOATIME: 0o1000000,
  O_NOFOLLOW: 0o400000,
  O_SYNC: 0o4010000,
  O_DSYNC: 0o10000,
  O_DIRECT: 0o40000,
  O_NONBLOCK: 0o4000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o70,
  S_IRGRP: 0o40,
  S_IWGRP: 0o20,
  S_IXGRP: 0o10,
  S_IRWXO: 0o7,
  S_IROTH: 0o4,
  S_IWOTH: 0o2,
  S_IXOTH: 0o1,
  F_OK: 0,
  R_OK: 4,
  W_OK: 2,
  X_OK: 1,
  UV_FS_COPYFILE_EXCL: 1,
  COPYFILE_EXCL: 1,
  UV_FS_COPYFILE_FICLONE: 2,
  COPYFILE_FICLONE: 2,
  UV_FS_COPYFILE_FICLONE_FORCE: 4,
  COPYFILE_FICLONE_FORCE: 4,
};

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC } = constants;

const kStringFlags = {
  __proto__: null,
  'r': O_RDONLY,
  'rs': O_RDONLY | O_SYNC,
  'sr': O_RDONLY | O_SYNC,
  'r+': O_RDWR,
  'rs+': O_RDWR | O_SYNC,
  'sr+': O_RDWR | O_SYNC,
  'w': O_TRUNC | O_CREAT | O_WRONLY,
  'wx': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'xw': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR,
  'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'a': O_APPEND | O_CREAT | O_WRONLY,
  'ax': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  'xa': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  'as': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'sa': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR,
  'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

function stringToFlags(flags, name = 'flags') {
  if (typeof flags === 'number') return flags;
  if (flags == null) return O_RDONLY;
  const value = kStringFlags[flags];
  if (value === undefined) throw new codes.ERR_INVALID_ARG_VALUE(name, flags);
  return value;
}

const octalPattern = /^[0-7]+$/;

function parseFileMode(value, name, def) {
  value ??= def;
  if (typeof value === 'string') {
    if (!octalPattern.test(value)) {
      throw new codes.ERR_INVALID_ARG_VALUE(name, value, 'must be a 32-bit unsigned integer or an octal string');
    }
    value = parseInt(value, 8);
  }
  validateUint32(value, name);
  return value;
}

// A path argument (string, Buffer/Uint8Array or file: URL) as the string the ops take.
function getValidatedPath(path, name = 'path') {
  if (isURL(path)) path = fileURLToPath(path);
  else if (path instanceof Uint8Array) path = Buffer.from(path.buffer, path.byteOffset, path.length).toString();
  else if (typeof path !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'URL'], path);
  if (path.includes('\u0000')) {
    throw new codes.ERR_INVALID_ARG_VALUE(name, path, 'must be a string, Uint8Array, or URL without null bytes');
  }
  return path;
}

function getValidatedFd(fd, name = 'fd') {
  validateInt32(fd, name, 0);
  return fd;
}

function assertEncoding(encoding) {
  if (encoding && encoding !== 'buffer' && !Buffer.isEncoding(encoding)) {
    throw new codes.ERR_INVALID_ARG_VALUE('encoding', encoding, 'is invalid encoding');
  }
}

// Options given as an encoding string or an object, merged over the defaults.
function getOptions(options, defaults) {
  if (options == null || typeof options === 'function') return defaults;
  if (typeof options === 'string') {
    assertEncoding(options);
    return { ...defaults, encoding: options };
  }
  if (typeof options !== 'object') {
    throw new codes.ERR_INVALID_ARG_TYPE('options', ['string', 'Object'], options);
  }
  assertEncoding(options.encoding);
  return { ...defaults, ...options };
}

function makeCallback(cb) {
  validateFunction(cb, 'cb');
  return cb;
}

// The bytes of writeFile/appendFile/write data.
function dataBytes(data, encoding, name = 'data') {
  if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
  if (ArrayBuffer.isView(data)) return data;
  throw new codes.ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data);
}

function toBuffer(u8) {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.length);
}

function encodeResult(u8, encoding) {
  const buffer = toBuffer(u8);
  return encoding && encoding !== 'buffer' ? buffer.toString(encoding) : buffer;
}

function encodeName(name, encoding) {
  if (encoding === 'buffer') return Buffer.from(name);
  if (encoding && encoding !== 'utf8' && encoding !== 'utf-8') return Buffer.from(name).toString(encoding);
  return name;
}

// Node's SystemError, used for ERR_FS_EISDIR.
class SystemError extends Error {
  constructor(key, prefix, info) {
    super(`${prefix}: ${info.syscall} returned ${info.code} (${info.message}) ${info.path}`);
    Object.defineProperty(this, 'name', { value: 'SystemError', enumerable: false, writable: true, configurable: true });
    this.code = key;
    this.info = info;
    this.errno = info.errno;
    this.syscall = info.syscall;
    this.path = info.path;
  }

  get ['constructor']() {
    return SystemError;
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

// The op error for a directory given to rm without `recursive`.
function rmError(err) {
  if (err && err.syscall === 'rm' && err.code === 'EISDIR') {
    return new SystemError('ERR_FS_EISDIR', 'Path is a directory',
                           { code: 'EISDIR', message: 'is a directory', path: err.path, syscall: 'rm', errno: 21 });
  }
  return err;
}

// strerror()'s text for the codes a removal meets; others take uv's message capitalized.
const kStrerror = {
  EBUSY: 'Device or resource busy', EIO: 'Input/output error', ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files', ENAMETOOLONG: 'File name too long',
};

// rmSync removes as C++'s std::filesystem does: past the first lstat, a failure reads
// "EACCES, Permission denied: <path> '<path>'" and names the path given, with a positive
// errno and syscall 'rm'.
function rmSyncError(err, path) {
  if (!err || typeof err.errno !== 'number' || err.syscall === 'lstat' ||
      (err.syscall === 'rm' && err.code === 'EISDIR')) {
    return rmError(err);
  }
  const target = typeof path === 'string' ? path : path.toString();
  const uvMessage = err.message.slice(err.code.length + 2, err.message.indexOf(','));
  const text = kStrerror[err.code] ?? uvMessage[0].toUpperCase() + uvMessage.slice(1);
  const error = new Error(`${err.code}, ${text}: ${target} '${target}'`);
  error.errno = -err.errno;
  error.code = err.code;
  error.path = target;
  error.syscall = 'rm';
  return error;
}

// --- Stats -----------------------------------------------------------------

const { S_IFMT, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFLNK, S_IFSOCK } = constants;

class StatsBase {
  isDirectory() { return (Number(this.mode) & S_IFMT) === S_IFDIR; }
  isFile() { return (Number(this.mode) & S_IFMT) === S_IFREG; }
  isBlockDevice() { return (Number(this.mode) & S_IFMT) === S_IFBLK; }
  isCharacterDevice() { return (Number(this.mode) & S_IFMT) === S_IFCHR; }
  isSymbolicLink() { return (Number(this.mode) & S_IFMT) === S_IFLNK; }
  isFIFO() { return (Number(this.mode) & S_IFMT) === S_IFIFO; }
  isSocket() { return (Number(this.mode) & S_IFMT) === S_IFSOCK; }
}

const kTimeNames = ['atime', 'mtime', 'ctime', 'birthtime'];

function Stats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks,
               atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
  this.dev = dev;
  this.mode = mode;
  this.nlink = nlink;
  this.uid = uid;
  this.gid = gid;
  this.rdev = rdev;
  this.blksize = blksize;
  this.ino = ino;
  this.size = size;
  this.blocks = blocks;
  this.atimeMs = atimeMs;
  this.mtimeMs = mtimeMs;
  this.ctimeMs = ctimeMs;
  this.birthtimeMs = birthtimeMs;
}
Object.setPrototypeOf(Stats.prototype, StatsBase.prototype);

// The Date fields are made on first use from the *Ms fields and then become own properties.
for (const name of kTimeNames) {
  const own = (stats, value) => {
    Object.defineProperty(stats, name, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(StatsBase.prototype, name, {
    configurable: true,
    enumerable: false,
    get() { return own(this, new Date(Number(this[`${name}Ms`]))); },
    set(value) { own(this, value); },
  });
}

function BigIntStats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks,
                     atimeNs, mtimeNs, ctimeNs, birthtimeNs) {
  Object.assign(this, { dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks });
  const times = { atime: atimeNs, mtime: mtimeNs, ctime: ctimeNs, birthtime: birthtimeNs };
  for (const name of kTimeNames) this[`${name}Ms`] = times[name] / 1000000n;
  for (const name of kTimeNames) this[`${name}Ns`] = times[name];
}
Object.setPrototypeOf(BigIntStats.prototype, StatsBase.prototype);

// A Stats from the op's fields (see stat_bytes in src/fs.rs).
function getStats(u8, bigint) {
  if (!bigint) {
    const f = new Float64Array(u8.buffer, u8.byteOffset, 14);
    return new Stats(f[0], f[2], f[3], f[4], f[5], f[6], f[8], f[1], f[7], f[9], f[10], f[11], f[12], f[13]);
  }
  const f = new BigInt64Array(u8.buffer, u8.byteOffset, 18);
  const ns = (i) => f[10 + 2 * i] * 1000000000n + f[11 + 2 * i];
  return new BigIntStats(f[0], f[2], f[3], f[4], f[5], f[6], f[8], f[1], f[7], f[9], ns(0), ns(1), ns(2), ns(3));
}

// --- Dirent ----------------------------------------------------------------

const kType = Symbol('type');

class Dirent {
  constructor(name, type, path) {
    this.name = name;
    this.parentPath = path;
    this[kType] = type;
  }
  isDirectory() { return this[kType] === constants.UV_DIRENT_DIR; }
  isFile() { return this[kType] === constants.UV_DIRENT_FILE; }
  isBlockDevice() { return this[kType] === constants.UV_DIRENT_BLOCK; }
  isCharacterDevice() { return this[kType] === constants.UV_DIRENT_CHAR; }
  isSymbolicLink() { return this[kType] === constants.UV_DIRENT_LINK; }
  isFIFO() { return this[kType] === constants.UV_DIRENT_FIFO; }
  isSocket() { return this[kType] === constants.UV_DIRENT_SOCKET; }
}

// readdir's result from the op's names (relative to `path` when recursive) and types.
// The readdir op joins the names with NUL: one string splits faster than the op could
// make one string per entry.
function splitNames(joined) {
  return joined === '' ? [] : joined.split('\0');
}

function readdirResult(path, result, options) {
  const { encoding, withFileTypes } = options;
  if (!withFileTypes) {
    const names = splitNames(result);
    if (!encoding || encoding === 'utf8' || encoding === 'utf-8') return names;
    return names.map((name) => encodeName(name, encoding));
  }
  const names = splitNames(result[0]);
  const types = result[1];
  return names.map((rel, i) => {
    const slash = rel.lastIndexOf('/');
    const parent = slash < 0 ? path : `${path}/${rel.slice(0, slash)}`;
    return new Dirent(encodeName(rel.slice(slash + 1), encoding), types[i], parent);
  });
}

function validateRmOptions(options) {
  if (options === undefined) return { recursive: false, force: false };
  validateObject(options, 'options');
  const { recursive = false, force = false, maxRetries = 0, retryDelay = 100 } = options;
  validators.validateBoolean(recursive, 'options.recursive');
  validators.validateBoolean(force, 'options.force');
  validators.validateInteger(maxRetries, 'options.maxRetries', 0);
  validators.validateInteger(retryDelay, 'options.retryDelay', 0);
  return { recursive, force };
}

function toUnixTimestamp(time, name = 'time') {
  if (typeof time === 'string' && +time == time) return +time;
  if (typeof time === 'number' && Number.isFinite(time)) return time < 0 ? Date.now() / 1000 : time;
  if (time instanceof Date) return time.getTime() / 1000;
  throw new codes.ERR_INVALID_ARG_TYPE(name, ['Date', 'Time in seconds'], time);
}

function validatePosition(position, name = 'position') {
  if (position == null || position === -1) return -1;
  if (typeof position === 'bigint') return Number(position);
  validators.validateInteger(position, name, -1);
  return position;
}


module.exports = {
  binding,
  constants,
  stringToFlags,
  parseFileMode,
  getValidatedPath,
  getValidatedFd,
  getOptions,
  makeCallback,
  dataBytes,
  toBuffer,
  encodeResult,
  encodeName,
  rmError,
  rmSyncError,
  validateRmOptions,
  toUnixTimestamp,
  validatePosition,
  getStats,
  Stats,
  BigIntStats,
  Dirent,
  readdirResult,
};
