'use strict';
// path.win32 — Windows path handling: both '\' and '/' separate, roots are drives
// ('C:', 'C:\'), UNC shares ('\\server\share') or a leading separator. Output uses '\'.
// On a POSIX host the current directory is process.cwd() (as Node does), so
// `resolve('a')` gives '\\work\\a' for cwd '/work'.

const codes = require('internal/lazy_codes');
const posix = require('path');

function validateString(value, name) {
  if (typeof value !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(name, 'string', value);
}

function isSep(c) {
  return c === '\\' || c === '/';
}

function isDriveLetter(c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// 'C:' at the start of the path.
function hasDrive(path) {
  return path.length >= 2 && path[1] === ':' && isDriveLetter(path[0]);
}

// The server and share of a path starting '\\server\share', with where the share
// name starts and ends; null when the path is not of that form.
function uncRoot(path) {
  const len = path.length;
  if (len < 3 || !isSep(path[0]) || !isSep(path[1])) return null;
  let j = 2;
  while (j < len && !isSep(path[j])) j++;
  if (j === 2 || j === len) return null;
  const server = path.slice(2, j);
  while (j < len && isSep(path[j])) j++;
  if (j === len) return null;
  const shareStart = j;
  while (j < len && !isSep(path[j])) j++;
  return { server, share: path.slice(shareStart, j), shareStart, shareEnd: j };
}

// The device ('C:', '\\server\share' or ''), where the root ends, and whether the path
// is absolute — the view normalize() and resolve() take.
function deviceRoot(path) {
  if (path.length === 0) return { device: '', rootEnd: 0, absolute: false };
  if (isSep(path[0])) {
    const unc = uncRoot(path);
    if (unc === null) return { device: '', rootEnd: 1, absolute: true };
    // Device namespaces ('\\?\C:\x', '\\.\pipe\x'): everything after the prefix is path.
    if (unc.server === '?' || unc.server === '.') {
      return { device: `\\\\${unc.server}`, rootEnd: unc.shareStart, absolute: true };
    }
    return { device: `\\\\${unc.server}\\${unc.share}`, rootEnd: unc.shareEnd, absolute: true };
  }
  if (hasDrive(path)) {
    const absolute = path.length > 2 && isSep(path[2]);
    return { device: path.slice(0, 2), rootEnd: absolute ? 3 : 2, absolute };
  }
  return { device: '', rootEnd: 0, absolute: false };
}

// The root as dirname() and parse() see it: it includes the separator after a UNC share.
// Returns -1 when there is no root.
function rootLength(path) {
  const len = path.length;
  if (len === 0) return -1;
  if (isSep(path[0])) {
    const unc = uncRoot(path);
    if (unc === null) return 1;
    return unc.shareEnd === len ? len : unc.shareEnd + 1;
  }
  if (hasDrive(path)) return len > 2 && isSep(path[2]) ? 3 : 2;
  return -1;
}

// Resolves '.' and '..' segments and joins with '\'; keeps leading '..' only for
// relative paths.
function normalizeSegments(path, allowAboveRoot) {
  const out = [];
  for (const segment of path.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (allowAboveRoot) out.push('..');
    } else {
      out.push(segment);
    }
  }
  return out.join('\\');
}

// The last segment of path[from, path.length) ignoring trailing separators, as
// [start, end]; end === start when there is none.
function lastSegment(path, from) {
  let end = path.length;
  while (end > from && isSep(path[end - 1])) end--;
  let start = end;
  while (start > from && !isSep(path[start - 1])) start--;
  return [start, end];
}

function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name === '..') return '';
  return name.slice(dot);
}

function resolve(...args) {
  let resolvedDevice = '';
  let resolvedTail = '';
  let resolvedAbsolute = false;
  for (let i = args.length - 1; i >= -1; i--) {
    let path;
    if (i >= 0) {
      path = args[i];
      validateString(path, `paths[${i}]`);
      if (path.length === 0) continue;
    } else if (resolvedDevice.length === 0) {
      path = process.cwd();
    } else {
      // The current directory of that drive, or its root when it lies on another one.
      path = process.env[`=${resolvedDevice}`] || process.cwd();
      if (path.slice(0, 2).toLowerCase() !== resolvedDevice.toLowerCase() && path[2] === '\\') {
        path = `${resolvedDevice}\\`;
      }
    }
    const { device, rootEnd, absolute } = deviceRoot(path);
    if (device.length > 0) {
      if (resolvedDevice.length === 0) resolvedDevice = device;
      else if (device.toLowerCase() !== resolvedDevice.toLowerCase()) continue;
    }
    if (resolvedAbsolute) {
      if (resolvedDevice.length > 0) break;
    } else {
      resolvedTail = `${path.slice(rootEnd)}\\${resolvedTail}`;
      resolvedAbsolute = absolute;
      if (absolute && resolvedDevice.length > 0) break;
    }
  }
  resolvedTail = normalizeSegments(resolvedTail, !resolvedAbsolute);
  if (resolvedAbsolute) return `${resolvedDevice}\\${resolvedTail}`;
  return `${resolvedDevice}${resolvedTail}` || '.';
}

function normalize(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  if (path.length === 1) return isSep(path) ? '\\' : path;
  const { device, rootEnd, absolute } = deviceRoot(path);
  let tail = normalizeSegments(path.slice(rootEnd), !absolute);
  if (tail.length === 0 && !absolute) tail = '.';
  if (tail.length > 0 && rootEnd < path.length && isSep(path[path.length - 1])) tail += '\\';
  // A relative path with a colon must not come out as something Windows reads as a
  // drive: prefix '.\\' when the result starts 'x:' or the input has a colon ending a
  // segment ('a:\\..', 'b\\c:').
  if (device.length === 0 && !absolute && (/^[A-Za-z]:/.test(tail) || /:(?:[\\/]|$)/.test(path))) {
    tail = `.\\${tail}`;
  }
  return absolute ? `${device}\\${tail}` : `${device}${tail}`;
}

function isAbsolute(path) {
  validateString(path, 'path');
  if (path.length === 0) return false;
  return isSep(path[0]) || (hasDrive(path) && path.length > 2 && isSep(path[2]));
}

function join(...args) {
  if (args.length === 0) return '.';
  const parts = [];
  for (const arg of args) {
    validateString(arg, 'path');
    if (arg.length > 0) parts.push(arg);
  }
  if (parts.length === 0) return '.';
  let joined = parts.join('\\');
  // Leading separators collapse to one, so normalize() doesn't read a UNC root, unless
  // the first part clearly names one: exactly two separators and a name.
  const first = parts[0];
  const meansUnc = first.length > 2 && isSep(first[0]) && isSep(first[1]) && !isSep(first[2]);
  if (!meansUnc && joined.length > 1 && isSep(joined[0]) && isSep(joined[1])) {
    let i = 2;
    while (i < joined.length && isSep(joined[i])) i++;
    joined = `\\${joined.slice(i)}`;
  }
  return normalize(joined);
}

// [start, end] of path without its leading and trailing backslashes.
function trimBackslashes(path) {
  let start = 0;
  let end = path.length;
  while (start < end && path[start] === '\\') start++;
  while (end > start && path[end - 1] === '\\') end--;
  return [start, end];
}

// Compares the resolved paths character by character, case-insensitively; the result
// keeps `to`'s spelling. Paths with nothing in common give `to` resolved.
function relative(from, to) {
  validateString(from, 'from');
  validateString(to, 'to');
  if (from === to) return '';
  const fromOriginal = resolve(from);
  const toOriginal = resolve(to);
  if (fromOriginal === toOriginal) return '';
  const fromPath = fromOriginal.toLowerCase();
  const toPath = toOriginal.toLowerCase();
  if (fromPath === toPath) return '';
  const [fromStart, fromEnd] = trimBackslashes(fromPath);
  const [toStart, toEnd] = trimBackslashes(toPath);
  const fromLength = fromEnd - fromStart;
  const toLength = toEnd - toStart;
  const length = Math.min(fromLength, toLength);
  let lastCommonSep = -1;
  let i = 0;
  for (; i < length; i++) {
    const c = fromPath[fromStart + i];
    if (c !== toPath[toStart + i]) break;
    if (c === '\\') lastCommonSep = i;
  }
  if (i !== length) {
    if (lastCommonSep === -1) return toOriginal;
  } else {
    if (toLength > length) {
      // `from` is a parent of `to`, or the drive 'c:' of 'c:\\x'.
      if (toPath[toStart + i] === '\\') return toOriginal.slice(toStart + i + 1);
      if (i === 2) return toOriginal.slice(toStart + i);
    }
    if (fromLength > length) {
      // `to` is a parent of `from`, or its drive.
      if (fromPath[fromStart + i] === '\\') lastCommonSep = i;
      else if (i === 2) lastCommonSep = 3;
    }
    if (lastCommonSep === -1) lastCommonSep = 0;
  }
  // One '..' for each segment of `from` after the common part.
  let up = '';
  for (let j = fromStart + lastCommonSep + 1; j <= fromEnd; j++) {
    if (j === fromEnd || fromPath[j] === '\\') up += up.length === 0 ? '..' : '\\..';
  }
  let rest = toStart + lastCommonSep;
  if (up.length > 0) return `${up}${toOriginal.slice(rest, toEnd)}`;
  if (toOriginal[rest] === '\\') rest++;
  return toOriginal.slice(rest, toEnd);
}

function toNamespacedPath(path) {
  if (typeof path !== 'string' || path.length === 0) return path;
  const resolved = resolve(path);
  if (resolved.length <= 2) return path;
  if (resolved[0] === '\\' && resolved[1] === '\\') {
    if (resolved[2] !== '?' && resolved[2] !== '.') return `\\\\?\\UNC\\${resolved.slice(2)}`;
  } else if (hasDrive(resolved) && resolved[2] === '\\') {
    return `\\\\?\\${resolved}`;
  }
  return resolved;
}

function dirname(path) {
  validateString(path, 'path');
  const len = path.length;
  if (len === 0) return '.';
  if (len === 1) return isSep(path[0]) ? path : '.';
  const rootEnd = rootLength(path);
  if (rootEnd === len && uncRoot(path) !== null) return path;
  const from = Math.max(rootEnd, 0);
  // The separator right before the last segment.
  let i = len - 1;
  while (i >= from && isSep(path[i])) i--;
  while (i >= from && !isSep(path[i])) i--;
  if (i >= from) return path.slice(0, i);
  return rootEnd === -1 ? '.' : path.slice(0, rootEnd);
}

function basename(path, suffix) {
  if (suffix !== undefined) validateString(suffix, 'suffix');
  validateString(path, 'path');
  const from = hasDrive(path) ? 2 : 0;
  const [start, end] = lastSegment(path, from);
  if (suffix === undefined || suffix.length === 0 || suffix.length > path.length) return path.slice(start, end);
  if (suffix === path) return '';
  // With a suffix, a path of separators only comes back whole (as in Node).
  if (start === end) return path.slice(from);
  const base = path.slice(start, end);
  if (base === suffix) return base;
  if (base.endsWith(suffix)) return base.slice(0, base.length - suffix.length);
  // A name that is the tail of a longer suffix keeps its trailing separators (as in Node).
  if (base.length < suffix.length && suffix.endsWith(base)) return path.slice(start);
  return base;
}

function extname(path) {
  validateString(path, 'path');
  const [start, end] = lastSegment(path, hasDrive(path) ? 2 : 0);
  return extensionOf(path.slice(start, end));
}

function parse(path) {
  validateString(path, 'path');
  const parsed = { root: '', dir: '', base: '', ext: '', name: '' };
  if (path.length === 0) return parsed;
  const rootEnd = Math.max(rootLength(path), 0);
  const root = path.slice(0, rootEnd);
  parsed.root = root;
  parsed.dir = root;
  const [start, end] = lastSegment(path, rootEnd);
  if (start === end) return parsed;
  const base = path.slice(start, end);
  const ext = extensionOf(base);
  parsed.base = base;
  parsed.ext = ext;
  parsed.name = base.slice(0, base.length - ext.length);
  if (start > rootEnd) parsed.dir = path.slice(0, start - 1);
  return parsed;
}

function format(pathObject) {
  if (pathObject === null || typeof pathObject !== 'object' || Array.isArray(pathObject)) {
    throw new codes.ERR_INVALID_ARG_TYPE('pathObject', 'Object', pathObject);
  }
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext ? `${pathObject.ext[0] === '.' ? '' : '.'}${pathObject.ext}` : '';
  const base = pathObject.base || `${pathObject.name || ''}${ext}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}\\${base}`;
}

function matchesGlob(path, pattern) {
  validateString(path, 'path');
  validateString(pattern, 'pattern');
  return require('internal/path_glob').matchesGlob(path, pattern, true);
}

const win32 = {
  resolve,
  normalize,
  isAbsolute,
  join,
  relative,
  toNamespacedPath,
  dirname,
  basename,
  extname,
  format,
  parse,
  matchesGlob,
  sep: '\\',
  delimiter: ';',
  win32: null,
  posix,
  _makeLong: toNamespacedPath,
};
win32.win32 = win32;
module.exports = win32;
