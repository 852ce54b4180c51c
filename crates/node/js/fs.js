'use strict';
// node:fs — the sync and callback forms. Each function validates its arguments,
// then calls one op of internalBinding('fs'): without a callback the op runs at
// once, with one it runs on the thread pool.

const { Buffer } = require('buffer');
const { codes, validators } = require('internal/errors');
const {
  constants, stringToFlags, parseFileMode, getValidatedPath, getValidatedFd, getOptions, makeCallback,
  dataBytes, encodeResult, encodeName, rmError, rmSyncError, validateRmOptions, toUnixTimestamp,
  validatePosition, getStats, Stats, Dirent, readdirResult,
  binding,
} = require('internal/fs/utils');

const { F_OK } = constants;

function isFd(value) {
  return (value | 0) === value;
}

// The callback the ops call: the result mapped through `map`.
function wrap(cb, map) {
  return (err, value) => (err ? cb(err) : cb(null, map ? map(value) : value));
}

// --- readFile / writeFile / appendFile ---------------------------------------

function readFileArgs(path, options) {
  options = getOptions(options, { flag: 'r' });
  const target = isFd(path) ? getValidatedFd(path) : getValidatedPath(path);
  return [target, stringToFlags(options.flag), options];
}

function readFileSync(path, options) {
  const [target, flags, opts] = readFileArgs(path, options);
  return encodeResult(binding.readFile(target, flags), opts.encoding);
}

function readFile(path, options, callback) {
  callback = makeCallback(typeof options === 'function' ? options : callback);
  const [target, flags, opts] = readFileArgs(path, options);
  binding.readFile(target, flags, wrap(callback, (u8) => encodeResult(u8, opts.encoding)));
}

function writeFileArgs(path, data, options, defaultFlag) {
  options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag: defaultFlag });
  const target = isFd(path) ? getValidatedFd(path) : getValidatedPath(path, 'path');
  const bytes = dataBytes(data, options.encoding);
  return [target, bytes, stringToFlags(options.flag), parseFileMode(options.mode, 'mode', 0o666)];
}

function writeFileSync(path, data, options) {
  binding.writeFile(...writeFileArgs(path, data, options, 'w'));
}

function writeFile(path, data, options, callback) {
  callback = makeCallback(typeof options === 'function' ? options : callback);
  binding.writeFile(...writeFileArgs(path, data, options, 'w'), wrap(callback));
}

function appendFileSync(path, data, options) {
  binding.writeFile(...writeFileArgs(path, data, options, 'a'));
}

function appendFile(path, data, options, callback) {
  callback = makeCallback(typeof options === 'function' ? options : callback);
  binding.writeFile(...writeFileArgs(path, data, options, 'a'), wrap(callback));
}

// --- exists / access -------------------------------------------------------------

function existsSync(path) {
  try {
    path = getValidatedPath(path);
  } catch {
    return false;
  }
  return binding.exists(path);
}

function exists(path, callback) {
  validators.validateFunction(callback, 'cb');
  try {
    path = getValidatedPath(path);
  } catch {
    process.nextTick(callback, false);
    return;
  }
  binding.exists(path, (err, value) => callback(value));
}

// access's and copyFile's mode checks word their errors as Node's native layer does.
function validateSmallMode(mode) {
  if ((mode | 0) !== mode) {
    throw Object.assign(new TypeError('mode must be int32 or null/undefined'), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  if (mode < 0 || mode > 7) {
    throw Object.assign(new RangeError('mode is out of range: >= 0 && <= 7'), { code: 'ERR_OUT_OF_RANGE' });
  }
  return mode;
}

function accessArgs(path, mode) {
  return [getValidatedPath(path), validateSmallMode(mode == null ? F_OK : mode)];
}

function accessSync(path, mode) {
  binding.access(...accessArgs(path, mode));
}

function access(path, mode, callback) {
  if (typeof mode === 'function') {
    callback = mode;
    mode = F_OK;
  }
  callback = makeCallback(callback);
  binding.access(...accessArgs(path, mode), wrap(callback));
}

// --- stat ------------------------------------------------------------------------

function statOptions(options) {
  return { bigint: options?.bigint === true, throwIfNoEntry: options?.throwIfNoEntry !== false };
}

function makeStatSync(op, toTarget) {
  return function(path, options) {
    const { bigint, throwIfNoEntry } = statOptions(options);
    const stats = op(toTarget(path), bigint, undefined, !throwIfNoEntry);
    return stats === undefined ? undefined : getStats(stats, bigint);
  };
}

function makeStat(op, toTarget) {
  return function(path, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    callback = makeCallback(callback);
    const { bigint } = statOptions(options);
    op(toTarget(path), bigint, wrap(callback, (u8) => getStats(u8, bigint)));
  };
}

const statSync = makeStatSync(binding.stat, getValidatedPath);
const lstatSync = makeStatSync(binding.lstat, getValidatedPath);
const fstatSync = makeStatSync(binding.fstat, getValidatedFd);
const stat = makeStat(binding.stat, getValidatedPath);
const lstat = makeStat(binding.lstat, getValidatedPath);
const fstat = makeStat(binding.fstat, getValidatedFd);

// --- directories -----------------------------------------------------------------

function mkdirArgs(path, options) {
  let recursive = false;
  let mode = 0o777;
  if (typeof options === 'number' || typeof options === 'string') {
    mode = parseFileMode(options, 'mode');
  } else if (options != null) {
    validators.validateObject(options, 'options');
    if (options.recursive !== undefined) recursive = options.recursive;
    mode = parseFileMode(options.mode, 'options.mode', 0o777);
  }
  validators.validateBoolean(recursive, 'options.recursive');
  return [getValidatedPath(path), recursive, mode];
}

function mkdirSync(path, options) {
  return binding.mkdir(...mkdirArgs(path, options));
}

function mkdir(path, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  callback = makeCallback(callback);
  binding.mkdir(...mkdirArgs(path, options), wrap(callback));
}

function readdirArgs(path, options) {
  options = getOptions(options, { encoding: 'utf8', withFileTypes: false, recursive: false });
  path = getValidatedPath(path);
  validators.validateBoolean(options.recursive, 'options.recursive');
  return [path, options];
}

function readdirSync(path, options) {
  const [dir, opts] = readdirArgs(path, options);
  return readdirResult(dir, binding.readdir(dir, !!opts.withFileTypes, opts.recursive), opts);
}

function readdir(path, options, callback) {
  callback = makeCallback(typeof options === 'function' ? options : callback);
  const [dir, opts] = readdirArgs(path, typeof options === 'function' ? undefined : options);
  binding.readdir(dir, !!opts.withFileTypes, opts.recursive, wrap(callback, (r) => readdirResult(dir, r, opts)));
}

function rmSync(path, options) {
  const { recursive, force } = validateRmOptions(options);
  path = getValidatedPath(path);
  try {
    binding.rm(path, recursive, force);
  } catch (err) {
    throw rmSyncError(err, path);
  }
}

function rm(path, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  callback = makeCallback(callback);
  const { recursive, force } = validateRmOptions(options);
  binding.rm(getValidatedPath(path), recursive, force, (err) => callback(err ? rmError(err) : null));
}

function rmdirArgs(path, options) {
  path = getValidatedPath(path);
  if (options !== undefined) validators.validateObject(options, 'options');
  return [path, options?.recursive === true];
}

function rmdirSync(path, options) {
  const [dir, recursive] = rmdirArgs(path, options);
  if (recursive) binding.rm(dir, true, false);
  else binding.rmdir(dir);
}

function rmdir(path, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  callback = makeCallback(callback);
  const [dir, recursive] = rmdirArgs(path, options);
  if (recursive) binding.rm(dir, true, false, wrap(callback));
  else binding.rmdir(dir, wrap(callback));
}

function mkdtempArgs(prefix, options) {
  options = getOptions(options, { encoding: 'utf8' });
  return [getValidatedPath(prefix, 'prefix'), options.encoding];
}

function mkdtempSync(prefix, options) {
  const [path, encoding] = mkdtempArgs(prefix, options);
  return encodeName(binding.mkdtemp(path), encoding);
}

// A temporary directory that removes itself (with everything in it) when disposed.
function mkdtempDisposableSync(prefix, options) {
  const path = mkdtempSync(prefix, options);
  const remove = () => rmSync(path, { recursive: true, force: true });
  return { path, remove, [Symbol.dispose]: remove };
}

function mkdtemp(prefix, options, callback) {
  callback = makeCallback(typeof options === 'function' ? options : callback);
  const [path, encoding] = mkdtempArgs(prefix, typeof options === 'function' ? undefined : options);
  binding.mkdtemp(path, wrap(callback, (p) => encodeName(p, encoding)));
}

// --- paths and links -------------------------------------------------------------

// Ops with one path and a string result (realpath, readlink).
function makeStringOp(op, extra = []) {
  const sync = function(path, options) {
    const { encoding } = getOptions(options, { encoding: 'utf8' });
    return encodeName(op(getValidatedPath(path), ...extra), encoding);
  };
  const async = function(path, options, callback) {
    callback = makeCallback(typeof options === 'function' ? options : callback);
    const { encoding } = getOptions(typeof options === 'function' ? undefined : options, { encoding: 'utf8' });
    op(getValidatedPath(path), ...extra, wrap(callback, (p) => encodeName(p, encoding)));
  };
  return [sync, async];
}

const [realpathSync, realpath] = makeStringOp(binding.realpath, [false]);
[realpathSync.native, realpath.native] = makeStringOp(binding.realpath, [true]);
const [readlinkSync, readlink] = makeStringOp(binding.readlink);

// Ops on a single path with nothing to return (unlink).
function unlinkSync(path) {
  binding.unlink(getValidatedPath(path));
}

function unlink(path, callback) {
  callback = makeCallback(callback);
  binding.unlink(getValidatedPath(path), wrap(callback));
}

// Ops on two paths (rename, link, symlink's target and path).
function makeTwoPathOp(op, names) {
  const sync = (a, b) => { op(getValidatedPath(a, names[0]), getValidatedPath(b, names[1])); };
  const async = (a, b, callback) => {
    callback = makeCallback(callback);
    op(getValidatedPath(a, names[0]), getValidatedPath(b, names[1]), wrap(callback));
  };
  return [sync, async];
}

const [renameSync, rename] = makeTwoPathOp(binding.rename, ['oldPath', 'newPath']);
const [linkSync, link] = makeTwoPathOp(binding.link, ['existingPath', 'newPath']);

function symlinkArgs(target, path, type) {
  if (type != null) validators.validateOneOf(type, 'type', ['dir', 'file', 'junction', null, undefined]);
  return [getValidatedPath(target, 'target'), getValidatedPath(path)];
}

function symlinkSync(target, path, type) {
  binding.symlink(...symlinkArgs(target, path, type));
}

function symlink(target, path, type, callback) {
  callback = makeCallback(typeof type === 'function' ? type : callback);
  binding.symlink(...symlinkArgs(target, path, typeof type === 'function' ? undefined : type), wrap(callback));
}

function copyFileArgs(src, dest, mode) {
  src = getValidatedPath(src, 'src');
  dest = getValidatedPath(dest, 'dest');
  return [src, dest, validateSmallMode(mode == null ? 0 : mode)];
}

function copyFileSync(src, dest, mode) {
  binding.copyFile(...copyFileArgs(src, dest, mode));
}

function copyFile(src, dest, mode, callback) {
  if (typeof mode === 'function') {
    callback = mode;
    mode = 0;
  }
  callback = makeCallback(callback);
  binding.copyFile(...copyFileArgs(src, dest, mode), wrap(callback));
}

// --- metadata --------------------------------------------------------------------

function chmodSync(path, mode) {
  binding.chmod(getValidatedPath(path), parseFileMode(mode, 'mode'));
}

function chmod(path, mode, callback) {
  path = getValidatedPath(path);
  mode = parseFileMode(mode, 'mode');
  binding.chmod(path, mode, wrap(makeCallback(callback)));
}

function fchmodSync(fd, mode) {
  binding.fchmod(getValidatedFd(fd), parseFileMode(mode, 'mode'));
}

function fchmod(fd, mode, callback) {
  fd = getValidatedFd(fd);
  mode = parseFileMode(mode, 'mode');
  binding.fchmod(fd, mode, wrap(makeCallback(callback)));
}

function validateIds(uid, gid) {
  validators.validateInteger(uid, 'uid', -1, 4294967295);
  validators.validateInteger(gid, 'gid', -1, 4294967295);
}

function makeChown(noFollow) {
  const sync = (path, uid, gid) => {
    path = getValidatedPath(path);
    validateIds(uid, gid);
    binding.chown(path, uid, gid, noFollow);
  };
  const async = (path, uid, gid, callback) => {
    callback = makeCallback(callback);
    path = getValidatedPath(path);
    validateIds(uid, gid);
    binding.chown(path, uid, gid, noFollow, wrap(callback));
  };
  return [sync, async];
}

const [chownSync, chown] = makeChown(false);
const [lchownSync, lchown] = makeChown(true);

function fchownSync(fd, uid, gid) {
  fd = getValidatedFd(fd);
  validateIds(uid, gid);
  binding.fchown(fd, uid, gid);
}

function fchown(fd, uid, gid, callback) {
  callback = makeCallback(callback);
  fd = getValidatedFd(fd);
  validateIds(uid, gid);
  binding.fchown(fd, uid, gid, wrap(callback));
}

function makeUtimes(toTarget, noFollow) {
  const sync = (path, atime, mtime) => {
    binding.utimes(toTarget(path), toUnixTimestamp(atime), toUnixTimestamp(mtime), noFollow);
  };
  const async = (path, atime, mtime, callback) => {
    callback = makeCallback(callback);
    binding.utimes(toTarget(path), toUnixTimestamp(atime), toUnixTimestamp(mtime), noFollow,
                   wrap(callback));
  };
  return [sync, async];
}

const [utimesSync, utimes] = makeUtimes(getValidatedPath, false);
const [lutimesSync, lutimes] = makeUtimes(getValidatedPath, true);
const [futimesSync, futimes] = makeUtimes(getValidatedFd, false);

function validateLength(len) {
  len = len ?? 0;
  validators.validateInteger(len, 'len');
  return Math.max(0, len);
}

function truncateSync(path, len) {
  if (isFd(path)) return ftruncateSync(path, len);
  binding.truncate(getValidatedPath(path), validateLength(len));
}

function truncate(path, len, callback) {
  if (typeof len === 'function') {
    callback = len;
    len = 0;
  }
  if (isFd(path)) return ftruncate(path, len, callback);
  callback = makeCallback(callback);
  binding.truncate(getValidatedPath(path), validateLength(len), wrap(callback));
}

function ftruncateSync(fd, len) {
  binding.truncate(getValidatedFd(fd), validateLength(len));
}

function ftruncate(fd, len, callback) {
  if (typeof len === 'function') {
    callback = len;
    len = 0;
  }
  fd = getValidatedFd(fd);
  len = validateLength(len);
  binding.truncate(fd, len, wrap(makeCallback(callback)));
}

function makeFsync(dataOnly) {
  const sync = (fd) => { binding.fsync(getValidatedFd(fd), dataOnly); };
  const async = (fd, callback) => {
    fd = getValidatedFd(fd);
    binding.fsync(fd, dataOnly, wrap(makeCallback(callback)));
  };
  return [sync, async];
}

const [fsyncSync, fsync] = makeFsync(false);
const [fdatasyncSync, fdatasync] = makeFsync(true);

// --- file descriptors ------------------------------------------------------------

function openArgs(path, flags, mode) {
  return [getValidatedPath(path), stringToFlags(flags), parseFileMode(mode, 'mode', 0o666)];
}

function openSync(path, flags, mode) {
  return binding.open(...openArgs(path, flags, mode));
}

function open(path, flags, mode, callback) {
  if (arguments.length < 3) {
    callback = flags;
    flags = 'r';
    mode = 0o666;
  } else if (typeof mode === 'function') {
    callback = mode;
    mode = 0o666;
  }
  callback = makeCallback(callback);
  binding.open(...openArgs(path, flags, mode), wrap(callback));
}

function closeSync(fd) {
  binding.close(getValidatedFd(fd));
}

function close(fd, callback = () => {}) {
  fd = getValidatedFd(fd);
  binding.close(fd, wrap(makeCallback(callback)));
}

// A non-negative integer no larger than `max` (an offset or length in a buffer).
function validateBounded(value, name, max) {
  validators.validateInteger(value, name, 0);
  if (value > max) throw new codes.ERR_OUT_OF_RANGE(name, `<= ${max}`, value);
  return value;
}

// read(fd, buffer, offset, length, position) or read(fd, buffer, { offset, length, position })
// or read(fd, { buffer, offset, length, position }).
function readArgs(fd, buffer, offsetOrOptions, length, position) {
  fd = getValidatedFd(fd);
  let offset = offsetOrOptions;
  if (buffer === undefined) {
    buffer = {};
  }
  if (buffer !== null && !ArrayBuffer.isView(buffer) && typeof buffer === 'object') {
    ({ buffer = Buffer.alloc(16384), offset = 0, length, position = null } = buffer);
  } else if (offsetOrOptions != null && typeof offsetOrOptions === 'object') {
    ({ offset = 0, length, position = null } = offsetOrOptions);
  }
  if (!ArrayBuffer.isView(buffer)) {
    throw new codes.ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
  }
  offset = validateBounded(offset ?? 0, 'offset', buffer.byteLength);
  length = validateBounded(length ?? buffer.byteLength - offset, 'length', buffer.byteLength - offset);
  return [fd, buffer, offset, length, validatePosition(position)];
}

// The bytes a read fills: the whole buffer when it can, else a Uint8Array over that part.
function readTarget(buffer, offset, length) {
  if (offset === 0 && length === buffer.byteLength) return buffer;
  return new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
}

function readSync(fd, buffer, offset, length, position) {
  const [f, buf, off, len, pos] = readArgs(fd, buffer, offset, length, position);
  if (len === 0) return 0;
  return binding.read(f, readTarget(buf, off, len), pos);
}

function read(fd, buffer, offset, length, position, callback) {
  const args = [buffer, offset, length, position, callback];
  callback = makeCallback(args.findLast((a) => typeof a === 'function'));
  const cut = args.indexOf(callback);
  for (let i = cut; i < 4; i++) args[i] = undefined;
  const [f, buf, off, len, pos] = readArgs(fd, ...args.slice(0, 4));
  if (len === 0) {
    process.nextTick(callback, null, 0, buf);
    return;
  }
  binding.read(f, readTarget(buf, off, len), pos, (err, n) => (err ? callback(err) : callback(null, n, buf)));
}

// write(fd, buffer, offset, length, position) or write(fd, string, position, encoding).
function writeArgs(fd, data, a, b, c) {
  fd = getValidatedFd(fd);
  if (typeof data === 'string') {
    return [fd, Buffer.from(data, b || 'utf8'), writePosition(a)];
  }
  if (!ArrayBuffer.isView(data)) {
    throw new codes.ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  let offset = a;
  let length = b;
  let position = c;
  if (a != null && typeof a === 'object') ({ offset = 0, length, position = null } = a);
  offset = validateBounded(offset ?? 0, 'offset', data.byteLength);
  length = validateBounded(length ?? data.byteLength - offset, 'length', data.byteLength - offset);
  const bytes = new Uint8Array(data.buffer, data.byteOffset + offset, length);
  return [fd, bytes, writePosition(position)];
}

// write() ignores a position that is not a number.
function writePosition(position) {
  return typeof position === 'number' || typeof position === 'bigint' ? validatePosition(position) : -1;
}

function writeSync(fd, data, a, b, c) {
  return binding.write(...writeArgs(fd, data, a, b, c));
}

function write(fd, data, ...rest) {
  const callback = makeCallback(rest.findLast((a) => typeof a === 'function'));
  const args = rest.slice(0, rest.indexOf(callback));
  binding.write(...writeArgs(fd, data, ...args), (err, n) => (err ? callback(err) : callback(null, n, data)));
}

// --- statfs ---------------------------------------------------------------------

class StatFs {
  constructor(type, bsize, frsize, blocks, bfree, bavail, files, ffree) {
    Object.assign(this, { type, bsize, frsize, blocks, bfree, bavail, files, ffree });
  }
}

function statFsResult(u8, options) {
  const fields = Array.from(new Float64Array(u8.buffer, u8.byteOffset, 8));
  return new StatFs(...(options.bigint ? fields.map(BigInt) : fields));
}

function statfsSync(path, options = { bigint: false }) {
  return statFsResult(binding.statfs(getValidatedPath(path)), options);
}

function statfs(path, options = { bigint: false }, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = { bigint: false };
  }
  callback = makeCallback(callback);
  binding.statfs(getValidatedPath(path), wrap(callback, (u8) => statFsResult(u8, options)));
}

// --- openAsBlob ------------------------------------------------------------------

function openAsBlob(path, options = {}) {
  validators.validateObject(options, 'options');
  const type = options.type || '';
  validators.validateString(type, 'options.type');
  path = getValidatedPath(path);
  // Node checks the file when called, with its own wording for any failure.
  if (!existsSync(path) || statSync(path).isDirectory()) {
    const err = new TypeError('Unable to open file as blob');
    err.code = 'ERR_INVALID_ARG_VALUE';
    throw err;
  }
  return new Promise((resolve, reject) => {
    readFile(path, (err, bytes) => {
      if (err) return reject(err);
      const { Blob } = require('buffer');
      resolve(new Blob([bytes], { type }));
    });
  });
}

// --- readv / writev: several buffers in turn, from one position ---------------------

function validateBuffers(buffers) {
  if (!Array.isArray(buffers) || !buffers.every((b) => ArrayBuffer.isView(b))) {
    throw new codes.ERR_INVALID_ARG_TYPE('buffers', 'ArrayBufferView[]', buffers);
  }
  return buffers;
}

function vectorPosition(position) {
  return typeof position === 'number' ? position : null;
}

// Fills each buffer in turn; a short read ends it, as readv(2) does.
function readvSync(fd, buffers, position) {
  fd = getValidatedFd(fd);
  validateBuffers(buffers);
  let pos = vectorPosition(position);
  let total = 0;
  for (const buffer of buffers) {
    const n = readSync(fd, buffer, 0, buffer.byteLength, pos);
    total += n;
    if (pos !== null) pos += n;
    if (n < buffer.byteLength) break;
  }
  return total;
}

function readv(fd, buffers, position, callback) {
  callback = makeCallback(typeof position === 'function' ? position : callback);
  fd = getValidatedFd(fd);
  validateBuffers(buffers);
  let pos = vectorPosition(position);
  let total = 0;
  const next = (i) => {
    if (i === buffers.length) return callback(null, total, buffers);
    const buffer = buffers[i];
    read(fd, buffer, 0, buffer.byteLength, pos, (err, n) => {
      if (err) return callback(err);
      total += n;
      if (pos !== null) pos += n;
      if (n < buffer.byteLength) return callback(null, total, buffers);
      next(i + 1);
    });
  };
  next(0);
}

function writevSync(fd, buffers, position) {
  fd = getValidatedFd(fd);
  validateBuffers(buffers);
  let pos = vectorPosition(position);
  let total = 0;
  for (const buffer of buffers) {
    const n = writeSync(fd, buffer, 0, buffer.byteLength, pos);
    total += n;
    if (pos !== null) pos += n;
  }
  return total;
}

function writev(fd, buffers, position, callback) {
  callback = makeCallback(typeof position === 'function' ? position : callback);
  fd = getValidatedFd(fd);
  validateBuffers(buffers);
  let pos = vectorPosition(position);
  let total = 0;
  const next = (i) => {
    if (i === buffers.length) return callback(null, total, buffers);
    const buffer = buffers[i];
    write(fd, buffer, 0, buffer.byteLength, pos, (err, n) => {
      if (err) return callback(err);
      total += n;
      if (pos !== null) pos += n;
      next(i + 1);
    });
  };
  next(0);
}

// --- streams (internal/fs/streams, loaded on first use) ---------------------------

// The classes, replaceable by assigning fs.ReadStream / fs.WriteStream as in Node.
const streamClasses = { ReadStream: undefined, WriteStream: undefined };
function streamClass(name) {
  streamClasses[name] ??= require('internal/fs/streams')[name];
  return streamClasses[name];
}

function createReadStream(path, options) {
  return new (streamClass('ReadStream'))(path, options);
}

function createWriteStream(path, options) {
  return new (streamClass('WriteStream'))(path, options);
}

module.exports = {
  appendFile, appendFileSync, access, accessSync, chown, chownSync, chmod, chmodSync, close, closeSync,
  copyFile, copyFileSync, exists, existsSync, fchown, fchownSync, fchmod, fchmodSync, fdatasync, fdatasyncSync,
  fstat, fstatSync, fsync, fsyncSync, ftruncate, ftruncateSync, futimes, futimesSync, lchown, lchownSync,
  link, linkSync, lstat, lstatSync, lutimes, lutimesSync, mkdir, mkdirSync, mkdtemp, mkdtempSync, open, openSync,
  readdir, readdirSync, read, readSync, readFile, readFileSync, readlink, readlinkSync, realpath, realpathSync,
  rename, renameSync, rm, rmSync, rmdir, rmdirSync, stat, statSync, symlink, symlinkSync, truncate, truncateSync,
  unlink, unlinkSync, utimes, utimesSync, write, writeSync, writeFile, writeFileSync,
  readv, readvSync, writev, writevSync, statfs, statfsSync, openAsBlob, mkdtempDisposableSync,
  createReadStream, createWriteStream,
  Dirent, Stats,
  // Linux has no lchmod; Node lists the names with no function behind them.
  lchmod: undefined, lchmodSync: undefined,
  constants,
  _toUnixTimestamp: toUnixTimestamp,
};

// fs.F_OK and friends: hidden and deprecated in favour of fs.constants (DEP0176).
for (const name of ['F_OK', 'R_OK', 'W_OK', 'X_OK']) {
  let warned = false;
  Object.defineProperty(module.exports, name, {
    __proto__: null,
    enumerable: false,
    configurable: false,
    get: function deprecated() {
      if (!warned) {
        warned = true;
        process.emitWarning(`fs.${name} is deprecated, use fs.constants.${name} instead`, 'DeprecationWarning', 'DEP0176');
      }
      return constants[name];
    },
  });
}

// opendir/Dir, cp, glob and the watchers load on first use.
for (const [name, id] of [['opendir', 'internal/fs/dir'], ['opendirSync', 'internal/fs/dir'], ['Dir', 'internal/fs/dir'],
  ['cp', 'internal/fs/cp'], ['cpSync', 'internal/fs/cp'], ['glob', 'internal/fs/glob'], ['globSync', 'internal/fs/glob'],
  ['watch', 'internal/fs/watchers'], ['watchFile', 'internal/fs/watchers'], ['unwatchFile', 'internal/fs/watchers'],
  ['Utf8Stream', 'internal/fs/utf8_stream']]) {
  Object.defineProperty(module.exports, name, {
    __proto__: null,
    configurable: true,
    enumerable: true,
    get() {
      return require(id)[name];
    },
  });
}

// ReadStream/WriteStream (and their File* aliases) load with the stream machinery on first
// access.
for (const [name, key] of [['ReadStream', 'ReadStream'], ['WriteStream', 'WriteStream'],
  ['FileReadStream', 'ReadStream'], ['FileWriteStream', 'WriteStream']]) {
  Object.defineProperty(module.exports, name, {
    __proto__: null,
    configurable: true,
    enumerable: true,
    get() {
      return streamClass(key);
    },
    set(val) {
      streamClasses[key] = val;
    },
  });
}

Object.defineProperty(module.exports, 'promises', {
  configurable: true,
  enumerable: true,
  get() {
    return require('fs/promises');
  },
});
