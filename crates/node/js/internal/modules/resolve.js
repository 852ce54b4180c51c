'use strict';
// Package resolution shared by require and import: package.json "exports" and "imports"
// (conditions, subpath patterns, null targets), self-reference, and the ES module
// resolution of specifiers to files, written from the algorithm in Node's ESM docs.

const native = internalBinding('module');
const codes = require('internal/lazy_codes');
const packageJson = require('internal/modules/package_json');
const path = require('path');

const ESM_CONDITIONS = ['node', 'import', 'module-sync', 'node-addons', 'default'];
const CJS_CONDITIONS = ['node', 'require', 'module-sync', 'node-addons', 'default'];

function isBuiltin(id) {
  return require('module').isBuiltin(id);
}

// file: URLs for paths, percent-encoding what the URL path state would (and '%', '#', '?').
// Characters a file URL's path must percent-encode.
const NEEDS_ENCODING = /[^\x21-\x7e]|["#%<>?`{}\\]/;

function fileUrl(p) {
  if (!NEEDS_ENCODING.test(p)) return `file://${p}`;
  let out = 'file://';
  for (const ch of p) {
    const code = ch.codePointAt(0);
    if (code > 0x7e || code <= 0x20 || '"#%<>?`{}\\'.includes(ch)) {
      for (const byte of utf8Bytes(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

// UTF-8 bytes of one character (no dependency on TextEncoder at this level).
function utf8Bytes(ch) {
  const c = ch.codePointAt(0);
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 63)];
  if (c < 0x10000) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
  return [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
}

function fileUrlToPath(url) {
  const match = /^file:\/\/([^/]*)(\/[^?#]*)?/i.exec(url);
  if (match === null) throw new codes.ERR_INVALID_URL_SCHEME('file');
  if (match[1] !== '' && match[1] !== 'localhost') throw new codes.ERR_INVALID_FILE_URL_HOST('linux');
  const pathname = match[2] ?? '/';
  if (/%2f/i.test(pathname)) throw new codes.ERR_INVALID_FILE_URL_PATH('must not include encoded / characters');
  return decodeURIComponent(pathname);
}

// `@scope/name/sub` → { name: '@scope/name', subpath: './sub' }.
function parsePackageName(specifier, base) {
  let end = specifier.indexOf('/');
  let valid = true;
  if (specifier[0] === '@') {
    if (end === -1 || specifier.length === 0) valid = false;
    else end = specifier.indexOf('/', end + 1);
  }
  const name = end === -1 ? specifier : specifier.slice(0, end);
  if (name.startsWith('.') || name.includes('\\') || name.includes('%')) valid = false;
  if (!valid) {
    throw new codes.ERR_INVALID_MODULE_SPECIFIER(specifier, 'is not a valid package name', base);
  }
  return { name, subpath: `.${end === -1 ? '' : specifier.slice(end)}` };
}

function isObjectLike(value) {
  return value !== null && typeof value === 'object';
}

// Whether an "exports" object is a map of conditions (keys without a leading dot).
function isConditionalSugar(exports, pkg, base) {
  if (typeof exports === 'string' || Array.isArray(exports)) return true;
  if (!isObjectLike(exports)) return false;
  let dotted = null;
  for (const key of Object.keys(exports)) {
    const isDot = key === '' || key[0] === '.';
    if (dotted === null) {
      dotted = isDot;
    } else if (dotted !== isDot) {
      throw new codes.ERR_INVALID_PACKAGE_CONFIG(pkg.path, base,
        '"exports" cannot contain some keys starting with \'.\' and some not. The exports object must either be an object of package subpath keys or an object of main entry condition name keys only.');
    }
  }
  return !dotted;
}

const invalidSegment = /(^|\\|\/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))?(\\|\/|$)/i;

function invalidTarget(pkg, key, target, isImports, base) {
  return new codes.ERR_INVALID_PACKAGE_TARGET(`${pkg.dir}/`, key, target, isImports, base);
}

function resolveTarget(pkg, target, patternMatch, key, isImports, conditions, base) {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) {
      if (isImports && !target.startsWith('../') && !target.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        const bare = patternMatch === null ? target : target.replaceAll('*', patternMatch);
        return { bare };
      }
      throw invalidTarget(pkg, key, target, isImports, base);
    }
    if (invalidSegment.test(target.slice(2))) throw invalidTarget(pkg, key, target, isImports, base);
    const resolved = pkg.dir + target.slice(1);
    if (patternMatch === null) return resolved;
    if (invalidSegment.test(patternMatch)) {
      throw new codes.ERR_INVALID_MODULE_SPECIFIER(key.replace('*', patternMatch), `request is not a valid match in pattern "${key}" for the "${isImports ? 'imports' : 'exports'}" resolution of ${pkg.path}`, base);
    }
    return resolved.replaceAll('*', patternMatch);
  }
  if (Array.isArray(target)) {
    if (target.length === 0) return null;
    let lastError;
    for (const item of target) {
      let resolved;
      try {
        resolved = resolveTarget(pkg, item, patternMatch, key, isImports, conditions, base);
      } catch (err) {
        lastError = err;
        if (err.code === 'ERR_INVALID_PACKAGE_TARGET') continue;
        throw err;
      }
      if (resolved === undefined) continue;
      if (resolved === null) {
        lastError = null;
        continue;
      }
      return resolved;
    }
    if (lastError === undefined || lastError === null) return lastError;
    throw lastError;
  }
  if (isObjectLike(target)) {
    for (const condition of Object.keys(target)) {
      if (/^\d+$/.test(condition)) {
        throw new codes.ERR_INVALID_PACKAGE_CONFIG(pkg.path, base, '"exports" cannot contain numeric property keys.');
      }
    }
    for (const condition of Object.keys(target)) {
      if (condition === 'default' || conditions.includes(condition)) {
        const resolved = resolveTarget(pkg, target[condition], patternMatch, key, isImports, conditions, base);
        if (resolved === undefined) continue;
        return resolved;
      }
    }
    return undefined;
  }
  if (target === null) return null;
  throw invalidTarget(pkg, key, target, isImports, base);
}

// More specific patterns first: longer prefix before '*', then longer key.
function comparePatternKeys(a, b) {
  const baseA = a.indexOf('*');
  const baseB = b.indexOf('*');
  const lenA = baseA === -1 ? a.length : baseA + 1;
  const lenB = baseB === -1 ? b.length : baseB + 1;
  if (lenA > lenB) return -1;
  if (lenB > lenA) return 1;
  if (baseA === -1) return 1;
  if (baseB === -1) return -1;
  if (a.length > b.length) return -1;
  if (b.length > a.length) return 1;
  return 0;
}

function resolveInMap(matchKey, map, pkg, isImports, conditions, base) {
  if (Object.hasOwn(map, matchKey) && !matchKey.includes('*')) {
    return resolveTarget(pkg, map[matchKey], null, matchKey, isImports, conditions, base);
  }
  const patterns = Object.keys(map).filter((k) => k.indexOf('*') !== -1 && k.indexOf('*') === k.lastIndexOf('*'));
  patterns.sort(comparePatternKeys);
  for (const key of patterns) {
    const star = key.indexOf('*');
    const prefix = key.slice(0, star);
    const trailer = key.slice(star + 1);
    if (matchKey.startsWith(prefix) && matchKey !== prefix) {
      if (trailer.length === 0 || (matchKey.endsWith(trailer) && matchKey.length >= key.length)) {
        const match = matchKey.slice(prefix.length, matchKey.length - trailer.length);
        return resolveTarget(pkg, map[key], match, key, isImports, conditions, base);
      }
    }
  }
  return null;
}

// A package subpath ('.', './feature') through its "exports" → an absolute path.
function resolveExports(pkg, subpath, conditions, base) {
  let exports = pkg.exports;
  if (isConditionalSugar(exports, pkg, base)) exports = { '.': exports };
  let resolved = null;
  if (subpath === '.' ? Object.hasOwn(exports, '.') : true) {
    resolved = subpath === '.'
      ? resolveTarget(pkg, exports['.'], null, '.', false, conditions, base)
      : resolveInMap(subpath, exports, pkg, false, conditions, base);
  }
  if (resolved === null || resolved === undefined || typeof resolved === 'object') {
    throw new codes.ERR_PACKAGE_PATH_NOT_EXPORTED(`${pkg.dir}/`, subpath, base);
  }
  return resolved;
}

// `#name` through the "imports" of the package containing `parentPath`. Returns a path,
// or `{ bare }` when the target is another package.
function resolveImports(specifier, parentPath, conditions, base) {
  if (specifier === '#' || specifier.endsWith('/')) {
    throw new codes.ERR_INVALID_MODULE_SPECIFIER(specifier, 'is not a valid internal imports specifier name', base);
  }
  const pkg = packageJson.scopeOf(parentPath);
  if (pkg !== null && isObjectLike(pkg.imports)) {
    const resolved = resolveInMap(specifier, pkg.imports, pkg, true, conditions, base);
    if (resolved !== null && resolved !== undefined) return resolved;
  }
  throw new codes.ERR_PACKAGE_IMPORT_NOT_DEFINED(specifier, pkg && `${pkg.dir}/`, base);
}

// The package itself by its own name, when its package.json has "exports".
function resolveSelf(name, subpath, parentPath, conditions, base) {
  const pkg = packageJson.scopeOf(parentPath);
  if (pkg === null || pkg.exports === undefined || pkg.exports === null || pkg.name !== name) return undefined;
  return resolveExports(pkg, subpath, conditions, base);
}

// ---- ES module resolution ----

function fileKind(p) {
  return native.stat(p);
}

// Node's legacy main lookup for packages without "exports" when imported.
function legacyMain(pkgDir, pkg, base) {
  const candidates = [];
  if (pkg && pkg.main) {
    const main = path.resolve(pkgDir, pkg.main);
    candidates.push(main, `${main}.js`, `${main}.json`, `${main}.node`, `${main}/index.js`, `${main}/index.json`, `${main}/index.node`);
  }
  candidates.push(`${pkgDir}/index.js`, `${pkgDir}/index.json`, `${pkgDir}/index.node`);
  for (const c of candidates) if (fileKind(c) === 0) return c;
  throw new codes.ERR_MODULE_NOT_FOUND(pkgDir, base, false);
}

function resolvePackage(specifier, parentPath, base) {
  const { name, subpath } = parsePackageName(specifier, base);
  const self = resolveSelf(name, subpath, parentPath, ESM_CONDITIONS, base);
  if (self !== undefined) return self;
  let dir = packageJson.parentDir(parentPath);
  while (dir !== null) {
    const pkgDir = `${dir === '/' ? '' : dir}/node_modules/${name}`;
    dir = packageJson.parentDir(dir);
    if (fileKind(pkgDir) !== 1) continue;
    const pkg = packageJson.read(pkgDir);
    if (pkg !== null && pkg.exports !== undefined && pkg.exports !== null) {
      return resolveExports(pkg, subpath, ESM_CONDITIONS, base);
    }
    if (subpath === '.') return legacyMain(pkgDir, pkg, base);
    return pkgDir + subpath.slice(1);
  }
  throw new codes.ERR_MODULE_NOT_FOUND(name, base, false);
}

function decodeFileUrl(specifier, base) {
  try {
    return fileUrlToPath(specifier);
  } catch (err) {
    if (err.code === 'ERR_INVALID_URL') throw new codes.ERR_INVALID_MODULE_SPECIFIER(specifier, 'is not a valid URL', base);
    throw err;
  }
}

// `./a.js?v=1#x` → ['./a.js', '?v=1#x']: the query and fragment make distinct modules.
function splitSuffix(specifier) {
  const at = specifier.search(/[?#]/);
  return at === -1 ? [specifier, ''] : [specifier.slice(0, at), specifier.slice(at)];
}

function isRelativeOrAbsolute(specifier) {
  return specifier.startsWith('/') || specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
}

// An import specifier from a module at `parentPath` → { id } for built-ins, { path, suffix }
// for files, { url } for data: URLs. `lenient` is import.meta.resolve's mode: files need
// not exist and unknown schemes pass through.
function esmResolve(specifier, parentPath, lenient = false) {
  const fromData = parentPath.startsWith('data:');
  // Node names the importing file by its path in these messages.
  const base = parentPath;
  if (specifier.startsWith('node:')) {
    const id = specifier.slice(5);
    if (!lenient && !isBuiltin(specifier)) throw new codes.ERR_UNKNOWN_BUILTIN_MODULE(specifier);
    return { id };
  }
  if (specifier.startsWith('data:')) return { url: specifier };
  let resolved;
  let suffix = '';
  if (isRelativeOrAbsolute(specifier)) {
    if (fromData) {
      throw new codes.ERR_UNSUPPORTED_RESOLVE_REQUEST(specifier, parentPath);
    }
    const [file, rest] = splitSuffix(specifier);
    suffix = rest;
    if (/%2f|%5c/i.test(file)) {
      const dir = parentPath.startsWith('[') ? process.cwd() : path.dirname(parentPath);
      throw new codes.ERR_INVALID_MODULE_SPECIFIER(path.resolve(dir, file), 'must not include encoded "/" or "\\" characters', base);
    }
    const dir = parentPath.startsWith('[') ? process.cwd() : path.dirname(parentPath);
    resolved = decodeURIComponent(path.resolve(dir, file)) + (file.endsWith('/') ? '/' : '');
  } else if (specifier.startsWith('file:')) {
    const [url, rest] = splitSuffix(specifier);
    suffix = rest;
    resolved = decodeFileUrl(url, base);
  } else if (specifier.startsWith('#')) {
    resolved = resolveImports(specifier, parentPath, ESM_CONDITIONS, base);
    if (typeof resolved === 'object') return esmResolve(resolved.bare, parentPath, lenient);
  } else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier)) {
    if (lenient) return { url: specifier };
    throw new codes.ERR_UNSUPPORTED_ESM_URL_SCHEME(new URL(specifier));
  } else {
    if (isBuiltin(specifier)) return { id: specifier };
    resolved = resolvePackage(specifier, parentPath, base);
  }
  if (lenient) return { path: resolved, suffix };
  const kind = fileKind(resolved.endsWith('/') ? resolved.slice(0, -1) : resolved);
  if (kind === 1 || resolved.endsWith('/')) {
    const err = new codes.ERR_UNSUPPORTED_DIR_IMPORT(resolved, base);
    err.url = fileUrl(resolved);
    throw err;
  }
  if (kind !== 0) {
    const err = new codes.ERR_MODULE_NOT_FOUND(resolved, base);
    // For package subpaths Node suggests the file with its extension.
    if (!isRelativeOrAbsolute(specifier) && fileKind(`${resolved}.js`) === 0) {
      err.message += `\nDid you mean to import "${specifier}.js"?`;
    }
    err.url = fileUrl(resolved);
    throw err;
  }
  return { path: native.realpath(resolved), suffix };
}

// How a resolved file is loaded: 'module', 'commonjs', 'json', 'builtin', 'addon'.
function formatOf(file) {
  const ext = path.extname(file);
  switch (ext) {
    case '.mjs':
    case '.mts':
      return 'module';
    case '.cjs':
    case '.cts':
      return 'commonjs';
    case '.json':
      return 'json';
    case '.node':
      return 'addon';
    case '.js':
    case '.ts':
    case '.jsx':
    case '.tsx':
    case '': {
      const pkg = packageJson.scopeOf(file);
      const type = pkg === null ? 'none' : pkg.type;
      if (type === 'module') return 'module';
      if (type === 'commonjs') return 'commonjs';
      // No "type": ESM syntax makes it a module, as Node's detection does.
      if (ext === '' && pkg === null) return 'commonjs';
      return native.hasModuleSyntax(native.readFileUtf8(file), file) ? 'module' : 'commonjs';
    }
    default:
      throw new codes.ERR_UNKNOWN_FILE_EXTENSION(ext, file);
  }
}

module.exports = {
  fileUrl,
  fileUrlToPath,
  CJS_CONDITIONS,
  ESM_CONDITIONS,
  parsePackageName,
  resolveExports,
  resolveImports,
  resolveSelf,
  esmResolve,
  formatOf,
};
