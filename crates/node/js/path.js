'use strict';
// node:path — POSIX path handling. `path.win32` lives in internal/path_win32.js and is
// loaded on first access, since path is loaded at startup.

const codes = require('internal/lazy_codes');

function validateString(value, name) {
  if (typeof value !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(name, 'string', value);
}

// Resolves '.' and '..' segments; keeps leading '..' only for relative paths. Builds the
// result as one string (no split/join arrays): the module loader calls it on every lookup.
function normalizeSegments(path, allowAboveRoot) {
  let out = '';
  let depth = 0; // segments in `out` that are not '..' (they all follow any '..')
  const length = path.length;
  for (let start = 0; start <= length;) {
    let end = path.indexOf('/', start);
    if (end === -1) end = length;
    const size = end - start;
    if (size === 0 || (size === 1 && path.charCodeAt(start) === 46)) {
      // An empty or '.' segment.
    } else if (size === 2 && path.charCodeAt(start) === 46 && path.charCodeAt(start + 1) === 46) {
      if (depth > 0) {
        const cut = out.lastIndexOf('/');
        out = cut === -1 ? '' : out.slice(0, cut);
        depth--;
      } else if (allowAboveRoot) {
        out = out.length === 0 ? '..' : `${out}/..`;
      }
    } else {
      out = out.length === 0 ? path.slice(start, end) : `${out}/${path.slice(start, end)}`;
      depth++;
    }
    start = end + 1;
  }
  return out;
}

// The last segment of path[from, path.length) ignoring trailing slashes, as
// [start, end]; end === start when there is none. `start` is `from` when no slash
// precedes the segment.
function lastSegment(path, from) {
  let end = path.length;
  while (end > from && path[end - 1] === '/') end--;
  let start = end;
  while (start > from && path[start - 1] !== '/') start--;
  return [start, end];
}

// The extension of a file name: from its last dot, unless that dot starts the name
// or the name is '..'.
function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name === '..') return '';
  return name.slice(dot);
}

function resolve(...args) {
  let resolved = '';
  let absolute = false;
  for (let i = args.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? args[i] : process.cwd();
    validateString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolved = `${path}/${resolved}`;
    absolute = path[0] === '/';
  }
  resolved = normalizeSegments(resolved, !absolute);
  if (absolute) return `/${resolved}`;
  return resolved.length > 0 ? resolved : '.';
}

function normalize(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = path[0] === '/';
  const trailing = path[path.length - 1] === '/';
  let out = normalizeSegments(path, !absolute);
  if (out.length === 0) {
    if (absolute) return '/';
    return trailing ? './' : '.';
  }
  if (trailing) out += '/';
  return absolute ? `/${out}` : out;
}

function isAbsolute(path) {
  validateString(path, 'path');
  return path.length > 0 && path[0] === '/';
}

function join(...args) {
  if (args.length === 0) return '.';
  const parts = [];
  for (const arg of args) {
    validateString(arg, 'path');
    if (arg.length > 0) parts.push(arg);
  }
  if (parts.length === 0) return '.';
  return normalize(parts.join('/'));
}

function relative(from, to) {
  validateString(from, 'from');
  validateString(to, 'to');
  if (from === to) return '';
  from = resolve(from);
  to = resolve(to);
  if (from === to) return '';
  const fromParts = from === '/' ? [] : from.slice(1).split('/');
  const toParts = to === '/' ? [] : to.slice(1).split('/');
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  const up = fromParts.slice(common).map(() => '..');
  return [...up, ...toParts.slice(common)].join('/');
}

function dirname(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = path[0] === '/';
  // Only the slash right before the last segment is dropped ('/a//b' -> '/a/');
  // a leading slash never counts as that one.
  const [start, end] = lastSegment(path, 1);
  if (start === end || start === 1) return absolute ? '/' : '.';
  if (absolute && start === 2) return '//';
  return path.slice(0, start - 1);
}

function basename(path, suffix) {
  if (suffix !== undefined) validateString(suffix, 'suffix');
  validateString(path, 'path');
  const [start, end] = lastSegment(path, 0);
  if (suffix === undefined || suffix.length === 0 || suffix.length > path.length) return path.slice(start, end);
  if (suffix === path) return '';
  // With a suffix, a path of slashes only comes back whole (as in Node).
  if (start === end) return path;
  const base = path.slice(start, end);
  if (base !== suffix && base.endsWith(suffix)) return base.slice(0, base.length - suffix.length);
  // A name that is the tail of a longer suffix keeps its trailing slashes (as in Node).
  if (base.length < suffix.length && suffix.endsWith(base)) return path.slice(start);
  return base;
}

function extname(path) {
  validateString(path, 'path');
  const [start, end] = lastSegment(path, 0);
  return extensionOf(path.slice(start, end));
}

function parse(path) {
  validateString(path, 'path');
  const root = path[0] === '/' ? '/' : '';
  const parsed = { root, dir: root, base: '', ext: '', name: '' };
  const [start, end] = lastSegment(path, root.length);
  if (start === end) return parsed;
  const base = path.slice(start, end);
  // Node takes '/..' as name '.' with extension '.'.
  const ext = base === '..' && start === 1 ? '.' : extensionOf(base);
  parsed.base = base;
  parsed.ext = ext;
  parsed.name = base.slice(0, base.length - ext.length);
  if (start > root.length) parsed.dir = path.slice(0, start - 1);
  return parsed;
}

function validatePathObject(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new codes.ERR_INVALID_ARG_TYPE('pathObject', 'Object', value);
  }
}

// Shared with path.win32, which passes its own separator.
function formatWith(sep, pathObject) {
  validatePathObject(pathObject);
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext ? `${pathObject.ext[0] === '.' ? '' : '.'}${pathObject.ext}` : '';
  const base = pathObject.base || `${pathObject.name || ''}${ext}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}${sep}${base}`;
}

function format(pathObject) {
  return formatWith('/', pathObject);
}

function toNamespacedPath(path) {
  return path;
}

function matchesGlob(path, pattern) {
  validateString(path, 'path');
  validateString(pattern, 'pattern');
  return require('internal/path_glob').matchesGlob(path, pattern, false);
}

const posix = {
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
  sep: '/',
  delimiter: ':',
  win32: null,
  posix: null,
  _makeLong: toNamespacedPath,
};
posix.posix = posix;
// Replaced by the real object on first access.
Object.defineProperty(posix, 'win32', {
  configurable: true,
  enumerable: true,
  get() {
    const win32 = require('internal/path_win32');
    Object.defineProperty(posix, 'win32', { value: win32, writable: true, enumerable: true, configurable: true });
    return win32;
  },
  set(value) {
    Object.defineProperty(posix, 'win32', { value, writable: true, enumerable: true, configurable: true });
  },
});
module.exports = posix;
