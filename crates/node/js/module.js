'use strict';
// node:module — the CommonJS loader: resolution (relative, absolute, node_modules, package
// main, index files, built-ins), the module cache and the per-module `require`.

const path = require('path');
const codes = require('internal/lazy_codes');
const native = internalBinding('module');
const packageJson = require('internal/modules/package_json');
const resolver = require('internal/modules/resolve');
const hooks = require('internal/modules/hooks');
const { wrappedFiles, mappedFiles, errorStack, caretLine, kArrowMessage, kThrowSite } = require('internal/stack_trace');
const { builtinIds } = internalBinding('builtins');
// Defines the globals through which compiled `await`s keep their async context.
require('internal/util/async_context');

// Built-ins reachable only through the node: scheme (`require('test')` is npm's package).
const schemeOnly = new Set(['sea', 'sqlite', 'test', 'test/reporters']);
const builtinSet = new Set(builtinIds().sort());
const builtinModules = [
  ...[...builtinSet].filter((id) => !schemeOnly.has(id)),
  ...[...builtinSet].filter((id) => schemeOnly.has(id)).map((id) => `node:${id}`),
];

function isBuiltin(id) {
  if (typeof id !== 'string') return false;
  if (id.startsWith('node:')) return builtinSet.has(id.slice(5));
  return builtinSet.has(id) && !schemeOnly.has(id);
}

// module.parent, as in Node: an accessor on the prototype, not a key of the module.
const moduleParents = new WeakMap();

function Module(id = '', parent) {
  this.id = id;
  this.path = path.dirname(id);
  this.exports = {};
  this.filename = null;
  this.loaded = false;
  this.children = [];
  moduleParents.set(this, parent);
  if (parent) parent.children.push(this);
}
Object.defineProperty(Module.prototype, 'parent', {
  get: function parent() { return moduleParents.get(this); },
  set: function parent(value) { moduleParents.set(this, value); },
  enumerable: false,
  configurable: false,
});

Module._cache = Object.create(null);
Module._extensions = Object.create(null);
Module.builtinModules = builtinModules;
Module.isBuiltin = isBuiltin;
Module.Module = Module;
// NODE_PATH folders, then the legacy global folders, as Node searches them.
Module._initPaths = function initPaths() {
  const home = process.env.HOME || '';
  const nodePath = process.env.NODE_PATH;
  Module.globalPaths = [
    ...(nodePath ? nodePath.split(':').filter(Boolean).map((p) => path.resolve(p)) : []),
    `${home}/.node_modules`,
    `${home}/.node_libraries`,
  ];
};
Module._initPaths();

// The CommonJS wrapper as Node documents it. ferro compiles the same parameters its own
// way until a program replaces `wrap` or `wrapper`; from then on sources go through them.
let wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
let wrap = function wrap(script) {
  return Module.wrapper[0] + script + Module.wrapper[1];
};
let wrapPatched = false;
Object.defineProperty(Module, 'wrapper', {
  get() { return wrapper; },
  set(value) { wrapPatched = true; wrapper = value; },
});
Object.defineProperty(Module, 'wrap', {
  get() { return wrap; },
  set(value) { wrapPatched = true; wrap = value; },
});

// Computed once per folder; each module gets its own copy, which it may change.
const nodeModulePathsCache = new Map();
Module._nodeModulePaths = function nodeModulePaths(from) {
  from = path.resolve(from);
  if (from === '/') return ['/node_modules'];
  let paths = nodeModulePathsCache.get(from);
  if (paths === undefined) {
    paths = [];
    // Each ancestor's node_modules, nearest first (a node_modules folder gets none inside).
    for (let end = from.length; end > 0; end = from.lastIndexOf('/', end - 1)) {
      const dir = from.slice(0, end);
      if (!dir.endsWith('/node_modules')) paths.push(`${dir}/node_modules`);
    }
    paths.push('/node_modules');
    nodeModulePathsCache.set(from, paths);
  }
  return paths.slice();
};

// Resolved real paths, as Node's realpath cache keeps them for the process's life.
const realpathCache = new Map();
function realpath(file) {
  let real = realpathCache.get(file);
  if (real === undefined) {
    real = native.realpath(file);
    realpathCache.set(file, real);
  }
  return real;
}

// While a require tree runs synchronously, successful stats are remembered, as Node does:
// a tree of modules stats the same files and folders many times.
let statCache = null;
let requireDepth = 0;
function cachedStat(file) {
  if (statCache !== null) {
    const known = statCache.get(file);
    if (known !== undefined) return known;
  }
  const kind = native.stat(file);
  if (statCache !== null && kind >= 0) statCache.set(file, kind);
  return kind;
}

function tryFile(file) {
  return cachedStat(file) === 0 ? realpath(file) : false;
}

// The extensions tried are the keys of require.extensions, so programs can add their own.
function tryExtensions(base) {
  for (const ext of Object.keys(Module._extensions)) {
    const found = tryFile(base + ext);
    if (found) return found;
  }
  return false;
}

function tryDirectory(dir, request) {
  const pkg = packageJson.read(dir);
  if (pkg && pkg.main) {
    const main = path.resolve(dir, pkg.main);
    const found = tryFile(main) || tryExtensions(main) || tryExtensions(`${main}/index`) || tryExtensions(`${dir}/index`);
    if (found) return found;
    const err = new Error(`Cannot find module '${main}'. Please verify that the package.json has a valid "main" entry`);
    err.code = 'MODULE_NOT_FOUND';
    err.path = pkg.path;
    err.requestPath = request;
    throw err;
  }
  return tryExtensions(`${dir}/index`);
}

// A request ending in '/' names a directory; otherwise the file, then with extensions.
function tryPath(base, request = base) {
  const trailingSlash = base.endsWith('/');
  const kind = cachedStat(base);
  if (!trailingSlash) {
    if (kind === 0) return realpath(base);
    const withExt = tryExtensions(base);
    if (withExt) return withExt;
  }
  if (kind === 1) return tryDirectory(trailingSlash ? base.slice(0, -1) : base, request);
  return false;
}

// Node's undocumented loader helpers are there but not enumerable.
function defineHiddenMethod(object, name, method) {
  Object.defineProperty(object, name, { value: method, writable: true, configurable: true, enumerable: false });
}

// Lookups already answered, by request and search paths (never invalidated, as in Node).
Module._pathCache = Object.create(null);

Module._findPath = function findPath(request, paths, isMain) {
  const searched = path.isAbsolute(request) ? [''] : paths;
  const cacheKey = `${request}\x00${searched.join('\x00')}`;
  const cached = Module._pathCache[cacheKey];
  if (cached) return cached;
  for (const dir of searched) {
    const found = tryPath(dir ? path.resolve(dir, request) + (request.endsWith('/') ? '/' : '') : request, request);
    if (found) {
      Module._pathCache[cacheKey] = found;
      return found;
    }
  }
  return false;
};

// 0 for a file, 1 for a directory, a negative errno otherwise.
defineHiddenMethod(Module, '_stat', function stat(filename) {
  return cachedStat(path.toNamespacedPath(filename));
});

// The package.json of `dir` as the loader sees it.
defineHiddenMethod(Module, '_readPackage', function readPackage(dir) {
  const pkg = packageJson.read(dir);
  const pjsonPath = path.resolve(dir, 'package.json');
  if (pkg === null) return { type: 'none', exists: false, pjsonPath };
  const result = Object.create(null);
  for (const key of ['name', 'main', 'type', 'exports', 'imports']) {
    if (pkg[key] !== undefined) result[key] = pkg[key];
  }
  result.exists = true;
  result.pjsonPath = pjsonPath;
  return result;
});

// `-r`-style preloads, resolved from the current directory.
Module._preloadModules = function preloadModules(requests) {
  if (!Array.isArray(requests)) return;
  const preloadRequire = Module.createRequire(`${process.cwd()}/`);
  for (const request of requests) preloadRequire(request);
};

// Deprecated (DEP0077) without a runtime warning, as in Node.
Module._debug = function deprecated(...args) {
  return require('internal/util/debuglog').debuglog('module')(...args);
};

function moduleNotFound(request, parent) {
  const stack = [];
  for (let m = parent; m && m.filename; m = m.parent) stack.push(m.filename);
  let message = `Cannot find module '${request}'`;
  if (stack.length > 0) message += `\nRequire stack:\n- ${stack.join('\n- ')}`;
  const err = new Error(message);
  err.code = 'MODULE_NOT_FOUND';
  err.requireStack = stack;
  // Where Node 24's loader throws it.
  Object.defineProperty(err, kThrowSite, { value: 'node:internal/modules/cjs/loader:1520\n  throw err;\n  ^\n' });
  return err;
}

function isRelative(request) {
  return request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..';
}

Module._resolveLookupPaths = function resolveLookupPaths(request, parent) {
  if (isRelative(request)) {
    return [parent && parent.filename ? path.dirname(parent.filename) : process.cwd()];
  }
  const paths = parent && parent.paths && parent.paths.length ? parent.paths : Module._nodeModulePaths(process.cwd());
  return [...paths, ...Module.globalPaths];
};

// Where Node 24's loader rethrows a missing "exports"/"imports" target, by how it was
// reached.
const kExportsThrowSite = {
  exports: 'node:internal/modules/cjs/loader:714\n      throw e;\n      ^\n',
  self: 'node:internal/modules/cjs/loader:679\n    throw e;\n    ^\n',
  imports: 'node:internal/modules/cjs/loader:1487\n        throw e;\n        ^\n',
};

// A file that package "exports"/"imports" mapped to must exist. Node's error then has a
// one-line message and, instead of a require stack, the `path` of the package (its folder
// when reached through node_modules, else its package.json).
function exportedFile(resolved, packagePath, via) {
  if (cachedStat(resolved) === 0) return realpath(resolved);
  const err = new Error(`Cannot find module '${resolved}'`);
  err.code = 'MODULE_NOT_FOUND';
  err.path = packagePath;
  Object.defineProperty(err, kThrowSite, { value: kExportsThrowSite[via] });
  throw err;
}

// A bare specifier: the package's own name, then node_modules folders; packages with
// "exports" resolve through it.
function resolvePackageRequest(request, parent, paths) {
  const parentFile = parent && parent.filename;
  let name;
  let subpath;
  try {
    ({ name, subpath } = resolver.parsePackageName(request));
  } catch {
    return false;
  }
  if (parentFile) {
    const self = resolver.resolveSelf(name, subpath, parentFile, resolver.CJS_CONDITIONS);
    if (self !== undefined) return exportedFile(self, packageJson.scopeOf(parentFile).path, 'self');
  }
  for (const dir of paths) {
    const pkgDir = path.resolve(dir, name);
    if (cachedStat(pkgDir) !== 1) {
      // A plain file in a node_modules or NODE_PATH folder.
      const file = tryPath(path.resolve(dir, request), request);
      if (file) return file;
      continue;
    }
    const pkg = packageJson.read(pkgDir);
    if (pkg && pkg.exports !== undefined && pkg.exports !== null) {
      return exportedFile(resolver.resolveExports(pkg, subpath, resolver.CJS_CONDITIONS), pkgDir, 'exports');
    }
    const found = tryPath(path.resolve(dir, request) + (request.endsWith('/') ? '/' : ''), request);
    if (found) return found;
  }
  return false;
}

Module._resolveFilename = function resolveFilename(request, parent, isMain, options) {
  if (request.startsWith('node:')) {
    if (isBuiltin(request)) return request;
    throw new codes.ERR_UNKNOWN_BUILTIN_MODULE(request);
  }
  if (isBuiltin(request)) return request;
  if (request[0] === '#' && parent && parent.filename) {
    const scope = packageJson.scopeOf(parent.filename);
    if (scope && scope.imports !== undefined && scope.imports !== null) {
      const target = resolver.resolveImports(request, parent.filename, resolver.CJS_CONDITIONS, parent.filename);
      if (typeof target !== 'object') return exportedFile(target, scope.path, 'imports');
      try {
        return Module._resolveFilename(target.bare, parent, isMain, options);
      } catch (err) {
        if (err.code === 'MODULE_NOT_FOUND') throw moduleNotFound(request, parent);
        throw err;
      }
    }
  }
  let paths;
  if (options && options.paths) {
    paths = [];
    for (const p of options.paths) {
      if (isRelative(request)) paths.push(path.resolve(p));
      else paths.push(...Module._nodeModulePaths(p));
    }
  } else if (path.isAbsolute(request)) {
    paths = [''];
  } else {
    paths = Module._resolveLookupPaths(request, parent);
  }
  if (!isRelative(request) && !path.isAbsolute(request)) {
    const found = resolvePackageRequest(request, parent, paths);
    if (found) return found;
    throw moduleNotFound(request, parent);
  }
  const found = Module._findPath(request, paths, isMain);
  if (found) return found;
  throw moduleNotFound(request, parent);
};

function loadBuiltin(id) {
  return require(id.startsWith('node:') ? id.slice(5) : id);
}

// Requests already resolved, by the requiring module's folder: a repeated require skips
// resolution while its module stays cached, as in Node.
const relativeResolveCache = Object.create(null);

Module._load = function load(request, parent, isMain) {
  if (hooks.active()) return loadThroughHooks(request, parent, isMain);
  let resolveCacheKey;
  if (parent) {
    resolveCacheKey = `${parent.path}\x00${request}`;
    const known = relativeResolveCache[resolveCacheKey];
    if (known !== undefined) {
      const cached = Module._cache[known];
      if (cached !== undefined) {
        if (!parent.children.includes(cached)) parent.children.push(cached);
        return cached.exports;
      }
      delete relativeResolveCache[resolveCacheKey];
    }
  }
  const filename = Module._resolveFilename(request, parent, isMain);
  if (isBuiltin(filename) && !path.isAbsolute(filename)) return loadBuiltin(filename);
  if (resolveCacheKey !== undefined) relativeResolveCache[resolveCacheKey] = filename;
  const cached = Module._cache[filename];
  if (cached !== undefined) {
    if (parent && !parent.children.includes(cached)) parent.children.push(cached);
    return cached.exports;
  }
  const module = new Module(filename, parent);
  if (isMain) {
    module.id = '.';
    process.mainModule = module;
    mainModule = module;
  }
  Module._cache[filename] = module;
  let threw = true;
  try {
    module.load(filename);
    threw = false;
  } finally {
    if (threw) delete Module._cache[filename];
  }
  return module.exports;
};

// ---- require() through registerHooks() hooks (register()'s async ones stay out) ----

const requireConditions = () => ['require', 'node', 'node-addons', 'module-sync', ...resolver.CJS_CONDITIONS.slice(5)];

// The format the default load gives a file required by path.
function requireFormatOf(filename) {
  try {
    const format = resolver.formatOf(filename);
    return format === 'addon' ? 'commonjs' : format;
  } catch {
    return 'commonjs';
  }
}

function defaultRequireLoad(url, context) {
  if (url.startsWith('node:')) return { source: null, format: 'builtin' };
  const filename = url.startsWith('file:') ? resolver.fileUrlToPath(url) : url;
  return { source: native.readFileUtf8(filename), format: context.format ?? requireFormatOf(filename) };
}

function sourceString(source) {
  if (typeof source === 'string') return source;
  const { Buffer } = require('buffer');
  return (ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength) : Buffer.from(source)).toString('utf8');
}

function loadThroughHooks(request, parent, isMain) {
  const parentURL = parent && parent.filename ? resolver.fileUrl(parent.filename) : undefined;
  const conditions = requireConditions();
  const resolved = hooks.run('resolve', request, { parentURL, importAttributes: undefined, conditions }, (specifier) => {
    if (typeof specifier !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('path', 'string', specifier);
    const filename = Module._resolveFilename(specifier, parent, isMain);
    if (isBuiltin(filename) && !path.isAbsolute(filename)) return { url: `node:${filename.replace(/^node:/, '')}` };
    return { url: resolver.fileUrl(filename) };
  }, false);
  const url = resolved.url;
  const filename = url.startsWith('file:') ? resolver.fileUrlToPath(url) : url;
  const cached = Module._cache[filename];
  if (cached !== undefined) {
    if (parent && !parent.children.includes(cached)) parent.children.push(cached);
    return cached.exports;
  }
  const format = resolved.format ?? (url.startsWith('node:') ? 'builtin' : requireFormatOf(filename));
  const loaded = hooks.run('load', url, { format, conditions }, defaultRequireLoad, false);
  if (loaded.format === 'builtin') return loadBuiltin(url.replace(/^node:/, ''));
  const module = new Module(filename, parent);
  if (isMain) {
    module.id = '.';
    process.mainModule = module;
    mainModule = module;
  }
  Module._cache[filename] = module;
  let threw = true;
  try {
    module.filename = filename;
    module.paths = Module._nodeModulePaths(path.dirname(filename));
    compileLoaded(module, filename, loaded);
    module.loaded = true;
    threw = false;
  } finally {
    if (threw) delete Module._cache[filename];
  }
  return module.exports;
}

// Runs what a load hook returned: an ES module, JSON or (any other format) CommonJS.
function compileLoaded(module, filename, loaded) {
  const source = loaded.source == null ? native.readFileUtf8(filename) : sourceString(loaded.source);
  if (loaded.format === 'module' || loaded.format === 'module-typescript') {
    module.exports = esm().requireModule(filename, module.parent, { format: 'module', source });
    return;
  }
  if (loaded.format === 'json') {
    module.exports = JSON.parse(source);
    return;
  }
  let compiled;
  try {
    compiled = compileCommonJs(source, filename);
  } catch (err) {
    if (err instanceof SyntaxError && native.hasModuleSyntax(source, filename)) {
      module.exports = esm().requireModule(filename, module.parent, { format: 'module', source });
      return;
    }
    throw err;
  }
  module._compile(source, filename, compiled);
}

// A CommonJS module imported while hooks exist: the ES loader already resolved and loaded
// it (`source` is what a load hook gave, if anything), so the require hooks stay out.
Object.defineProperty(Module, '_loadForImport', {
  value: function loadForImport(filename, source, isMain) {
    const cached = Module._cache[filename];
    if (cached !== undefined) return cached;
    const module = new Module(filename, null);
    if (isMain) {
      module.id = '.';
      process.mainModule = module;
      mainModule = module;
    }
    Module._cache[filename] = module;
    let threw = true;
    try {
      if (source === undefined) {
        module.load(filename);
      } else {
        module.filename = filename;
        module.paths = Module._nodeModulePaths(path.dirname(filename));
        module._compile(source, filename);
        module.loaded = true;
      }
      threw = false;
    } finally {
      if (threw) delete Module._cache[filename];
    }
    return module;
  },
});

// Under `--watch`, the watching parent learns of every file the program loads.
const reportsToWatcher = process.env.WATCH_REPORT_DEPENDENCIES !== undefined;

Module.prototype.load = function load(filename) {
  if (reportsToWatcher) require('internal/watch_mode').reportDependency('require', filename);
  this.filename = filename;
  this.paths = Module._nodeModulePaths(path.dirname(filename));
  const ext = path.extname(filename);
  const handler = Module._extensions[ext] || Module._extensions['.js'];
  handler(this, filename);
  this.loaded = true;
};

Module.prototype.require = function require(id) {
  if (typeof id !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('id', 'string', id);
  if (id === '') throw new codes.ERR_INVALID_ARG_VALUE('id', id, 'must be a non-empty string');
  return Module._load(id, this, false);
};

// The head of the wrapper native.compileFunction puts around a module's code (the
// parameter list is padded to the length of the one that adds `__ferro_import`).
const kWrapperHead = '(function ferroModuleWrapper(exports, require, module, __filename, __dirname                ) {';

function compileCommonJs(content, filename) {
  try {
    if (wrapPatched) return native.runScript(Module.wrap(content), filename);
    return native.compileFunction(content, filename);
  } catch (err) {
    const probe = wrapPatched ? (prefix) => checkSyntax(Module.wrap(prefix)) : probeCommonJs;
    throw decorateSyntaxError(err, filename, content, probe);
  }
}

// Parses a prefix of a module's code inside the same wrapper, so that their errors
// compare (see locateSyntaxError), left open unless asked: the code's own errors then come
// before the end of input.
function probeCommonJs(prefix, closed) {
  return checkSyntax(`${kWrapperHead}${prefix}${closed ? '\n})' : ''}`);
}

// `compiled` is the wrapper when the loader already compiled the source.
Module.prototype._compile = function compile(content, filename, compiled) {
  const wrapper = typeof compiled === 'function' ? compiled : compileCommonJs(content, filename);
  wrappedFiles.set(filename, native.wrapperHeadLength);
  if (native.hasMappings(filename)) mappedFiles.add(filename);
  const require = makeRequire(this);
  const dirname = path.dirname(filename);
  const args = [this.exports, require, this, filename, dirname];
  // A sixth parameter exists only when the module uses import().
  if (wrapper.length === 6) args.push((specifier, options) => esm().importFrom(specifier, options, filename));
  if (requireDepth === 0) statCache = new Map();
  requireDepth++;
  try {
    return Reflect.apply(wrapper, this.exports, args);
  } finally {
    requireDepth--;
    if (requireDepth === 0) statCache = null;
  }
};

// A `.js` file is an ES module under a package "type": "module", or when it only parses
// as one (Node's syntax detection, tried after CommonJS fails so most files parse once).
Module._extensions['.js'] = function loadJs(module, filename) {
  const scope = packageJson.scopeOf(filename);
  const type = scope === null ? 'none' : scope.type;
  if (type === 'module' && !/\.c[jt]s$/.test(filename)) {
    module.exports = esm().requireModule(filename, module.parent);
    return;
  }
  const source = native.readFileUtf8(filename);
  if (type === 'commonjs') {
    module._compile(source, filename);
    return;
  }
  let compiled;
  try {
    compiled = compileCommonJs(source, filename);
  } catch (err) {
    if (err instanceof SyntaxError && native.hasModuleSyntax(source, filename)) {
      module.exports = esm().requireModule(filename, module.parent);
      return;
    }
    throw err;
  }
  module._compile(source, filename, compiled);
};
const loadCjs = function loadCjs(module, filename) {
  module._compile(native.readFileUtf8(filename), filename);
};
const loadMjs = function loadMjs(module, filename) {
  module.exports = esm().requireModule(filename, module.parent);
};

// Handlers for extensions Node knows without listing them in require.extensions.
function defineHidden(ext, handler) {
  Object.defineProperty(Module._extensions, ext, { value: handler, writable: true, configurable: true, enumerable: false });
}
defineHidden('.cjs', loadCjs);
defineHidden('.mjs', loadMjs);

const esm = () => require('internal/modules/esm');

// TypeScript and JSX run directly: transpiled by oxc, as Bun and Deno do.
defineHidden('.ts', Module._extensions['.js']);
defineHidden('.tsx', Module._extensions['.js']);
defineHidden('.jsx', Module._extensions['.js']);
defineHidden('.cts', loadCjs);
defineHidden('.mts', loadMjs);

Module._extensions['.json'] = function loadJson(module, filename) {
  const text = native.readFileUtf8(filename);
  try {
    module.exports = JSON.parse(text);
  } catch (err) {
    err.message = `${filename}: ${err.message}`;
    throw err;
  }
};

Module._extensions['.node'] = function loadNative(module, filename) {
  return process.dlopen(module, path.toNamespacedPath(filename));
};

let mainModule;

// JSC reports a parse error through own line/column/sourceURL properties; Node instead
// puts "file:line\nsource\n  ^^^\n" in front of the stack, the carets under the offending
// token. Finding the token takes a few parses, so the banner is made when the stack is
// first read (a file that fails as CommonJS is often an ES module, whose error is dropped).
function decorateSyntaxError(err, filename, content, probe) {
  if (!(err instanceof SyntaxError) || typeof err.line !== 'number') return err;
  const { line, message } = err;
  delete err.line;
  delete err.column;
  delete err.sourceURL;
  // Only the program's own text can be cut into prefixes (not TypeScript, which is compiled
  // to something else first).
  if (/\.(?:[cm]?tsx?|jsx)$/.test(filename)) probe = undefined;
  // (Not for code that the loader will run as an ES module instead.)
  const eager = probe !== undefined && awaitMayExplain(message, content) && !native.hasModuleSyntax(content, filename);
  defineBannerStack(err, filename, () => syntaxErrorSite(content, line, message, probe), eager);
  return err;
}

// Where in `content` to mark a parse error JSC reports on `line`: { line, text (the
// line's), start, end, message? } as locateSyntaxError finds it (see there), else the
// line's first non-blank character.
function syntaxErrorSite(content, line, message, probe) {
  const found = probe === undefined ? undefined : locateSyntaxError(content, line, message, probe);
  const lines = sourceLines(content);
  if (found !== undefined) return { ...found, text: lines[found.line - 1] };
  const text = lines[line - 1] ?? '';
  const start = text.length - text.trimStart().length;
  return { line, text, start, end: start + 1 };
}

// Whether the place of a parse error may change its message (an `await` outside an async
// function), which must then be right from the start.
function awaitMayExplain(message, code) {
  return /^Unexpected /.test(message) && /\bawait\b/.test(code);
}

// Gives a SyntaxError the "file:line / source / carets" stack, made on first read from
// `site()` (as syntaxErrorSite answers), or now when `eager` (see awaitMayExplain).
function defineBannerStack(err, filename, site, eager) {
  const stack = errorStack(err);
  let banner;
  if (eager) {
    const found = site();
    site = () => found;
    if (found.message !== undefined) err.message = found.message;
  }
  Object.defineProperty(err, 'stack', {
    configurable: true,
    enumerable: false,
    get() {
      if (banner !== undefined) return banner;
      const { line, text, start, end, message } = site();
      let body = stack;
      if (message !== undefined) {
        err.message = message;
        const newline = stack.indexOf('\n');
        body = `${err.name}: ${message}${newline === -1 ? '' : stack.slice(newline)}`;
      }
      banner = `${filename}:${line}\n${text}\n${caretSpan(text, start, end)}\n\n${body}`;
      return banner;
    },
    set(value) {
      Object.defineProperty(err, 'stack', { value, writable: true, enumerable: false, configurable: true });
    },
  });
  Object.defineProperty(err, kArrowMessage, { value: true });
}

// The SyntaxError from parsing `code` as a script (in the context of `global`, the
// caller's when undefined), or undefined when it parses.
function checkSyntax(code, global = undefined) {
  try {
    internalBinding('vm').checkSyntax(global, code, 'node:internal/syntax_probe', 1);
  } catch (err) {
    if (err !== null && typeof err === 'object' && err.name === 'SyntaxError') return err;
  }
  return undefined;
}

const lineBreaks = /\r\n|[\n\r\u2028\u2029]/g;
function sourceLines(source) {
  return source.split(lineBreaks);
}

// Carets from column `start` to `end` under `text` (none for the end of input, where they
// are equal), with `text`'s tabs kept in the padding so that they line up.
function caretSpan(text, start, end) {
  const first = caretLine(text, start);
  if (end <= start) return first.endsWith('^') ? first.slice(0, -1) : first;
  if (!first.endsWith('^')) return first;
  return first + '^'.repeat(Math.min(end, kCaretLineMax) - start - 1);
}
const kCaretLineMax = 1020;

// Where a parse error lies. JSC gives a SyntaxError's line, but the column it sets is its
// caller's. The offending token ends where the shortest prefix of the source that fails
// with the same error ends: bisection finds it, `probe(prefix, closed)` giving the
// SyntaxError of a prefix (parsed the way the source was, in a wrapper left open unless
// `closed`) or undefined. Returns { line, start, end }
// (columns in that line; start === end at the end of input), with `message` when V8's
// message differs in a way only the place shows, or undefined when it can't tell.
function locateSyntaxError(source, line, message, probe) {
  const starts = [0];
  for (const match of source.matchAll(lineBreaks)) starts.push(match.index + match[0].length);
  const lines = sourceLines(source);
  const beyond = line > lines.length;
  // A missing end: JSC reports where the input stops (or, for a module's code, the
  // wrapper's closing `)` it then meets); V8 marks the end of the last line, or an
  // unterminated string.
  if (/^Unexpected (?:EOF|end of script)/.test(message) || (beyond && /^Unexpected token '\)'/.test(message))) {
    if (!beyond) {
      const start = unterminatedString(lines[line - 1]);
      if (start !== undefined) return { line, start, end: lines[line - 1].length };
    }
    const last = lines.length;
    return { line: last, start: lines[last - 1].length, end: lines[last - 1].length };
  }
  // A `}` that closes a module's wrapper early: JSC then wants the wrapper's `)` at
  // whatever comes next, which may be lines later; V8 reports the `}`.
  const closedEarly = /Expected '\)' to end a compound expression\.$/;
  const early = closedEarly.test(message);
  if (early) message = "Unexpected token '}'";
  // Past the code's end, or after the wrapper closed, the search spans the whole code.
  const whole = beyond || early;
  const fails = (length) => {
    let err;
    try {
      err = probe(source.slice(0, length), whole);
    } catch {
      return false;
    }
    if (err === undefined) return false;
    if (early) return closedEarly.test(err.message);
    // An error in a wrapper's end can only compare by message.
    return err.message === message && (beyond || err.line === line);
  };
  let low = whole ? 0 : starts[line - 1];
  let high = whole ? source.length : starts[line - 1] + lines[line - 1].length;
  if (fails(low) || !fails(high)) return undefined;
  // Node shows no caret past a line's first kCaretLineMax columns: no need to look there.
  if (!whole && high - low > kCaretLineMax + 1) {
    if (!fails(low + kCaretLineMax + 1)) return { line, start: kCaretLineMax, end: kCaretLineMax };
    high = low + kCaretLineMax + 1;
  }
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (fails(middle)) high = middle;
    else low = middle;
  }
  let found = line;
  if (whole) {
    found = 1;
    while (found < starts.length && starts[found] < high) found++;
  }
  const text = lines[found - 1];
  const [start, end] = tokenSpan(text, high - starts[found - 1], message);
  // `await` outside an async function is an identifier, followed by an unexpected token.
  const awaitBefore = /(?:^|[^\w$.])(await)\s+$/.exec(text.slice(0, start));
  if (awaitBefore !== null && /^Unexpected /.test(message)) {
    const at = awaitBefore.index + awaitBefore[0].indexOf('await');
    return { line: found, start: at, end: at + 5, message: 'await is only valid in async functions and the top level bodies of modules' };
  }
  return early ? { line: found, start, end, message } : { line: found, start, end };
}

// The columns V8 marks for the offending token, which ends at `end`: the one JSC's
// message quotes, else a word, string or regular expression, else the single character.
function tokenSpan(text, end, message) {
  const quoted = /^Unexpected [a-z ]+ '(.+?)'(?:\.|$)/.exec(message);
  if (quoted !== null && text.slice(end - quoted[1].length, end) === quoted[1]) return [end - quoted[1].length, end];
  const last = text[end - 1];
  if (last === '"' || last === "'") {
    const open = text.lastIndexOf(last, end - 2);
    return [open === -1 ? end - 1 : open, end];
  }
  let start = end;
  while (start > 0 && /[\p{ID_Continue}$\u200c\u200d\\]/u.test(text[start - 1])) start--;
  if (/regular expression/.test(message)) {
    // The pattern's closing slash comes before any flags; V8 marks the whole pattern, or
    // only its opening slash when the flags are wrong.
    const close = start < end ? start - 1 : end - 1;
    const open = text.lastIndexOf('/', close - 1);
    if (text[close] === '/' && open !== -1) return /flags/.test(message) ? [open, open + 1] : [open, end];
  }
  if (/^Function statements must have a name/.test(message)) {
    const keyword = text.lastIndexOf('function', end);
    if (keyword !== -1) return [keyword, keyword + 8];
  }
  if (start < end && /^No identifiers allowed directly after numeric literal/.test(message)) {
    const number = /^(?:0[xob][\da-f_]*|\d[\d_]*(?:\.\d*)?(?:e[+-]?\d+)?)/i.exec(text.slice(start, end));
    if (number !== null) return [start, start + number[0].length];
  }
  return start < end ? [start, end] : [end - 1, end];
}

// The column of a quote the line leaves open, if any.
function unterminatedString(text) {
  let quote;
  let start;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      start = i;
    } else if (c === '/' && text[i + 1] === '/') {
      break;
    }
  }
  return quote === undefined ? undefined : start;
}

function makeRequire(module) {
  const require = (id) => module.require(id);
  require.resolve = function resolve(request, options) {
    if (typeof request !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('request', 'string', request);
    return Module._resolveFilename(request, module, false, options);
  };
  require.resolve.paths = function paths(request) {
    if (isBuiltin(request)) return null;
    return Module._resolveLookupPaths(request, module);
  };
  require.main = mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

Module.createRequire = function createRequire(filename) {
  let file = filename instanceof URL || (typeof filename === 'string' && filename.startsWith('file:'))
    ? resolver.fileUrlToPath(String(filename))
    : filename;
  if (typeof file !== 'string' || !path.isAbsolute(file)) {
    throw new codes.ERR_INVALID_ARG_VALUE('filename', filename, 'must be a file URL object, file URL string, or absolute path string');
  }
  // A directory (trailing slash) resolves from inside it.
  const trailingSlash = file.endsWith('/');
  const proxyPath = trailingSlash ? path.join(file, 'noop.js') : file;
  const module = new Module(proxyPath, null);
  module.filename = proxyPath;
  module.paths = Module._nodeModulePaths(path.dirname(proxyPath));
  return makeRequire(module);
};

// The entry script: an ES module when its extension, package type or syntax says so.
// With register() hooks the ES loader runs it, so that their resolve and load apply.
Module.runMain = function runMain(file) {
  if (hooks.hasAsync()) {
    let resolved;
    try {
      resolved = Module._resolveFilename(path.resolve(file), null, true);
    } catch {
      resolved = path.resolve(file);
    }
    esm().runMain(resolved);
    return;
  }
  let resolved;
  try {
    resolved = Module._resolveFilename(path.resolve(file), null, true);
  } catch (err) {
    if (err.code === 'MODULE_NOT_FOUND') err.requireStack = [];
    throw err;
  }
  if (/\.m[jt]s$/.test(resolved) || (/\.([jt]sx?)$/.test(resolved) && resolver.formatOf(resolved) === 'module')) {
    esm().runMain(resolved);
    return;
  }
  Module._load(resolved, null, true);
};

// For vm and `-c`, which mark parse errors as the loader does.
Object.defineProperty(Module, Symbol.for('ferro.syntaxErrors'), {
  value: { awaitMayExplain, checkSyntax, defineBannerStack, probeCommonJs, syntaxErrorSite },
});

// The module and require of a `-e`, `-p` or stdin script.
defineHiddenMethod(Module, 'evalContext', function evalContext(name) {
  const module = new Module(name, null);
  module.filename = path.join(process.cwd(), name);
  module.paths = Module._nodeModulePaths(process.cwd());
  module.loaded = true;
  return { module, require: makeRequire(module) };
});

// ---- the rest of node:module's API ----

Module.registerHooks = hooks.registerHooks;

// The async hooks API: the hooks module is loaded now (resolved against `parentURL`,
// 'data:' by default) and its `initialize` runs with `data`; its resolve and load then
// apply to import. Node runs it on a separate thread; ferro on this one.
Module.register = function register(specifier, parentURL = undefined, options = undefined) {
  if (parentURL !== null && typeof parentURL === 'object' && !(parentURL instanceof URL)) {
    options = parentURL;
    parentURL = options.parentURL;
  }
  const base = parentURL === undefined ? 'data:' : `${parentURL}`;
  const url = `${specifier}`;
  const hooksModule = esm().loadHooksModule(url, base);
  const data = options?.data;
  const transferList = options?.transferList;
  if (typeof hooksModule.initialize === 'function') {
    // What crosses to Node's hooks thread is a structured clone (transferring transferList).
    const passed = data === undefined ? undefined : structuredClone(data, { transfer: transferList ?? [] });
    hooksModule.initialize(passed);
  }
  hooks.addAsyncHooks(hooksModule, url);
};

Module.findPackageJSON = function findPackageJSON(specifier, base = 'data:') {
  if (base !== 'data:' && typeof base !== 'string' && !(base instanceof URL)) throw new codes.ERR_INVALID_ARG_TYPE('base', 'string', base);
  let baseUrl = `${base}`;
  if (baseUrl.startsWith('/')) baseUrl = resolver.fileUrl(baseUrl);
  if (specifier instanceof URL) specifier = specifier.href;
  if (typeof specifier !== 'string') throw new codes.ERR_INVALID_URL(`${specifier}`);
  const basePath = baseUrl.startsWith('file:') ? resolver.fileUrlToPath(baseUrl) : baseUrl;
  let file;
  if (isRelative(specifier) || specifier.startsWith('/')) {
    if (!baseUrl.startsWith('file:')) throw new codes.ERR_UNSUPPORTED_RESOLVE_REQUEST(specifier, baseUrl);
    file = specifier.startsWith('/') ? specifier : path.resolve(path.dirname(basePath), specifier);
  } else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier)) {
    if (!specifier.startsWith('file:')) throw new codes.ERR_INVALID_URL_SCHEME('file');
    file = resolver.fileUrlToPath(specifier);
  } else {
    // A package name: its package.json, found as import would find the package.
    const { name } = resolver.parsePackageName(specifier, basePath);
    for (let dir = packageJson.parentDir(basePath); dir !== null; dir = packageJson.parentDir(dir)) {
      const candidate = `${dir === '/' ? '' : dir}/node_modules/${name}/package.json`;
      if (native.stat(candidate) === 0) return candidate;
    }
    throw new codes.ERR_MODULE_NOT_FOUND(name, basePath, false);
  }
  if (native.stat(file) < 0) throw new codes.ERR_MODULE_NOT_FOUND(file, basePath);
  for (let dir = packageJson.parentDir(file); dir !== null; dir = packageJson.parentDir(dir)) {
    const candidate = dir === '/' ? '/package.json' : `${dir}/package.json`;
    if (native.stat(candidate) === 0) return candidate;
  }
  return undefined;
};

Module.syncBuiltinESMExports = function syncBuiltinESMExports() {
  esm().syncBuiltinExports();
};

// ferro has no compile cache: enableCompileCache() reports it disabled, as Node does
// when NODE_DISABLE_COMPILE_CACHE is set.
const compileCacheStatus = Object.freeze({ __proto__: null, FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 });
Module.constants = Object.freeze({ __proto__: null, compileCacheStatus });
Module.enableCompileCache = function enableCompileCache(options) {
  const directory = typeof options === 'object' && options !== null ? options.directory : options;
  if (directory !== undefined && typeof directory !== 'string') {
    const err = new TypeError('cacheDir should be a string');
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  const message = process.env.NODE_DISABLE_COMPILE_CACHE ? 'Disabled by NODE_DISABLE_COMPILE_CACHE' : 'Disabled: ferro has no compile cache';
  return { status: compileCacheStatus.DISABLED, message };
};
Module.flushCompileCache = function flushCompileCache() {};
Module.getCompileCacheDir = function getCompileCacheDir() {
  return undefined;
};

// What `ferro --watch` runs (crates/cli).
Object.defineProperty(Module, Symbol.for('ferro.watch'), { value: () => require('internal/watch_mode').run() });

Module.stripTypeScriptTypes = function stripTypeScriptTypes(code, options = undefined) {
  return require('internal/modules/typescript').stripTypeScriptTypes(code, options);
};

const sourceMaps = () => require('internal/modules/source_map');
// A data property in Node (subclasses copy it over, as jest's does); loaded on first read.
const sourceMapData = (value) => ({ value, writable: true, enumerable: true, configurable: true });
Object.defineProperty(Module, 'SourceMap', {
  get() {
    const { SourceMap } = sourceMaps();
    Object.defineProperty(Module, 'SourceMap', sourceMapData(SourceMap));
    return SourceMap;
  },
  set(value) {
    Object.defineProperty(this, 'SourceMap', sourceMapData(value));
  },
  enumerable: true,
  configurable: true,
});
Module.findSourceMap = function findSourceMap(path) {
  return sourceMaps().findSourceMap(path);
};
Module.getSourceMapsSupport = function getSourceMapsSupport() {
  return sourceMaps().getSourceMapsSupport();
};
Module.setSourceMapsSupport = function setSourceMapsSupport(enabled, options = undefined) {
  sourceMaps().setSourceMapsSupport(enabled, options);
};

module.exports = Module;
