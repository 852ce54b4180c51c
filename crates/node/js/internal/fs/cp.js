'use strict';

// fs.cp, fs.cpSync and fs.promises.cp. The copy is written once, as a generator of the
// file-system operations it needs, run synchronously or not by internal/fs/drive.

const path = require('path');
const { validators } = require('internal/errors');
const { getValidatedPath } = require('internal/fs/utils');
const { runSync, runAsync } = require('internal/fs/drive');

function cpError(code, message, name = 'Error') {
  const err = new Error(message);
  err.code = code;
  if (name !== 'Error') Object.defineProperty(err, 'name', { value: name, configurable: true, writable: true });
  return err;
}

function existsError(dest) {
  const message = `cp returned EEXIST (${dest} already exists)`;
  const err = cpError('ERR_FS_CP_EEXIST', `Target already exists: ${message} ${dest}`, 'SystemError');
  err.errno = 17;
  err.syscall = 'cp';
  err.path = dest;
  err.info = { message, path: dest, syscall: 'cp', errno: 17, code: 'EEXIST' };
  return err;
}

function validateOptions(options) {
  options = options === undefined ? {} : options;
  validators.validateObject(options, 'options');
  const opts = {
    dereference: false, errorOnExist: false, force: true, preserveTimestamps: false,
    recursive: false, verbatimSymlinks: false, mode: 0, filter: undefined, ...options,
  };
  for (const key of ['dereference', 'errorOnExist', 'force', 'preserveTimestamps', 'recursive', 'verbatimSymlinks']) {
    validators.validateBoolean(opts[key], `options.${key}`);
  }
  if (opts.filter !== undefined) validators.validateFunction(opts.filter, 'options.filter');
  validators.validateInteger(opts.mode, 'options.mode', 0);
  return opts;
}

function isInside(parent, child) {
  const p = path.resolve(parent);
  const c = path.resolve(child);
  return c !== p && c.startsWith(p.endsWith(path.sep) ? p : p + path.sep);
}

function* lstatOrNull(target) {
  try {
    return yield ['lstat', target];
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

function* copy(src, dest, opts) {
  if (opts.filter !== undefined && !(yield ['filter', src, dest])) return;
  const srcStat = yield [opts.dereference ? 'stat' : 'lstat', src];
  const destStat = yield* lstatOrNull(dest);
  if (destStat !== null && destStat.ino === srcStat.ino && destStat.dev === srcStat.dev) {
    throw cpError('ERR_FS_CP_EINVAL', `src and dest cannot be the same ${src}`);
  }
  if (srcStat.isDirectory()) {
    if (destStat !== null && !destStat.isDirectory()) {
      throw cpError('ERR_FS_CP_DIR_TO_NON_DIR', `Cannot overwrite non-directory ${dest} with directory ${src}`);
    }
    if (isInside(src, dest)) {
      throw cpError('ERR_FS_CP_EINVAL', `Cannot copy ${src}/ to a subdirectory of self ${dest}`);
    }
    if (!opts.recursive) {
      throw cpError('ERR_FS_EISDIR', `Recursive option not enabled, cannot copy a directory: ${src}/`);
    }
    if (destStat === null) yield ['mkdir', dest, { mode: srcStat.mode & 0o7777 }];
    for (const name of yield ['readdir', src]) {
      yield* copy(path.join(src, name), path.join(dest, name), opts);
    }
    return;
  }
  if (destStat !== null && destStat.isDirectory()) {
    throw cpError('ERR_FS_CP_NON_DIR_TO_DIR', `Cannot overwrite directory ${dest} with non-directory ${src}`);
  }
  if (srcStat.isSymbolicLink()) {
    let target = yield ['readlink', src];
    if (!opts.verbatimSymlinks && !path.isAbsolute(target)) target = path.resolve(path.dirname(src), target);
    if (destStat !== null) yield ['unlink', dest];
    yield ['symlink', target, dest];
    return;
  }
  if (!srcStat.isFile()) {
    throw cpError('ERR_FS_CP_UNKNOWN', `Cannot copy an unknown file type: ${src}`, 'SystemError');
  }
  if (destStat !== null) {
    if (!opts.force) {
      if (opts.errorOnExist) throw existsError(dest);
      return;
    }
  }
  yield ['copyFile', src, dest, opts.mode];
  if (opts.preserveTimestamps) yield ['utimes', dest, srcStat.atime, srcStat.mtime];
}

function args(src, dest, options) {
  return [getValidatedPath(src, 'src'), getValidatedPath(dest, 'dest'), validateOptions(options)];
}

function cpSync(src, dest, options) {
  const [from, to, opts] = args(src, dest, options);
  runSync(copy(from, to, opts), { filter: opts.filter });
}

function run(from, to, opts) {
  return runAsync(copy(from, to, opts), { filter: opts.filter });
}

async function cpPromise(src, dest, options) {
  return run(...args(src, dest, options));
}

function cp(src, dest, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validators.validateFunction(callback, 'cb');
  run(...args(src, dest, options)).then(() => callback(null), callback);
}

module.exports = { cp, cpSync, cpPromise };
