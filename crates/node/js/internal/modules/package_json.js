'use strict';
// package.json files, read once and cached, and the package scope of a path (the nearest
// enclosing package.json), which decides what `.js` means and what `#imports` map to.

const native = internalBinding('module');
const codes = require('internal/lazy_codes');

const cache = new Map();

// The parsed package.json in `dir`, or null when there is none.
function read(dir) {
  let result = cache.get(dir);
  if (result !== undefined) return result;
  result = null;
  const file = dir === '/' ? '/package.json' : `${dir}/package.json`;
  if (native.stat(file) === 0) {
    const text = native.readFileUtf8(file);
    let json;
    try {
      json = JSON.parse(text);
    } catch (err) {
      const error = new codes.ERR_INVALID_PACKAGE_CONFIG(file, undefined, err.message);
      throw error;
    }
    result = {
      path: file,
      dir,
      name: typeof json.name === 'string' ? json.name : undefined,
      main: typeof json.main === 'string' ? json.main : undefined,
      type: json.type === 'module' || json.type === 'commonjs' ? json.type : 'none',
      exports: json.exports,
      imports: json.imports,
    };
  }
  cache.set(dir, result);
  return result;
}

function parentDir(dir) {
  if (dir === '/') return null;
  const i = dir.lastIndexOf('/');
  return i <= 0 ? '/' : dir.slice(0, i);
}

// The package.json that governs `file`; the search stops at node_modules boundaries.
function scopeOf(file) {
  let dir = parentDir(file);
  while (dir !== null) {
    if (dir.endsWith('/node_modules')) return null;
    const pkg = read(dir);
    if (pkg !== null) return pkg;
    dir = parentDir(dir);
  }
  return null;
}

module.exports = { read, scopeOf, parentDir };
