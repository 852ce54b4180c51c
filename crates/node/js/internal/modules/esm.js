'use strict';
// The ES module loader. Sources are rewritten in Rust (runtime::esm) into functions (into
// generators for modules in import cycles or with top-level await); this file keeps the
// module records: it resolves and links a graph (creating every namespace before any body
// runs), checks imported names, and evaluates bodies in the spec's post-order,
// asynchronously when top-level await is involved. It also gives CommonJS, JSON and
// built-in modules their namespaces.

const native = internalBinding('module');
const codes = require('internal/lazy_codes');
const resolver = require('internal/modules/resolve');
const { wrappedFiles, mappedFiles } = require('internal/stack_trace');
const path = require('path');
// Defines the globals through which compiled `await`s keep their async context.
require('internal/util/async_context');
const hooks = require('internal/modules/hooks');

const records = new Map(); // key (path, `node:id`, data: URL) → record

class ModuleRecord {
  constructor(key, kind, file = key, suffix = '') {
    this.key = key;
    this.file = file; // the path read, without the URL's query and fragment
    this.suffix = suffix;
    this.kind = kind; // 'module' | 'commonjs' | 'json' | 'builtin'
    this.status = 'new'; // new → linking → linked → evaluating → evaluated | errored
    this.namespace = Object.create(null);
    this.getters = null; // name → () => value, for 'module' records once their function ran
    this.deps = [];
    this.compiled = null;
    this.generator = null;
    this.error = undefined;
    this.promise = null; // pending async evaluation
    this.async = false; // the graph below (or this module) has top-level await
    this.meta = null;
    this.fileUrl = undefined;
  }

  get url() {
    if (this.kind === 'builtin' || this.custom) return this.key;
    if (this.key.startsWith('data:')) return this.key;
    this.fileUrl ??= resolver.fileUrl(this.file) + this.suffix;
    return this.fileUrl;
  }
}

// A parse error's banner ends with a blank line; a link error's (`width` carets under the
// imported name) does not.
function syntaxError(message, url, source, line, column, width) {
  const err = new SyntaxError(message);
  if (url !== undefined) {
    // Node's banner: the file, line and caret come first in the stack.
    const text = source.split('\n')[line - 1] ?? '';
    const carets = width === undefined ? '^\n' : '^'.repeat(Math.max(1, width));
    const arrow = `${url}:${line}\n${text}\n${' '.repeat(Math.max(0, column - 1))}${carets}`;
    err.stack = `${arrow}\n${require('internal/stack_trace').errorStack(err)}`;
    Object.defineProperty(err, require('internal/stack_trace').kArrowMessage, { value: true });
  }
  return err;
}

// Under `--watch`, the watching parent learns of every file the program loads.
const reportsToWatcher = process.env.WATCH_REPORT_DEPENDENCIES !== undefined;

// Where a banner names the module: its URL, except for data: URLs (none).
function bannerUrl(url) {
  return url.startsWith('data:') ? undefined : url;
}

// Modules are compiled under their URL, which stack traces show, as Node's do.
function compile(record, source, url, inCycle = false) {
  if (reportsToWatcher && url.startsWith('file:')) require('internal/watch_mode').reportDependency('import', require('internal/url').fileURLToPath(url));
  let compiled;
  try {
    compiled = native.compileModule(source, url, inCycle);
  } catch (err) {
    if (err instanceof SyntaxError && typeof err.line === 'number') {
      throw syntaxError(err.message, bannerUrl(url), source, err.line, err.column);
    }
    throw err;
  }
  wrappedFiles.set(url, compiled.headerLength);
  if (native.hasMappings(url)) mappedFiles.add(url);
  record.compiled = compiled;
  // For the banner of a link error.
  record.source = source;
  // A plain function turns out to be in a cycle only once the graph is linked.
  record.recompile = compiled.generator ? undefined : () => compile(record, source, url, true);
}

// Named exports of a CommonJS file, following its re-exports of other CommonJS files.
function cjsExportNames(file, visiting) {
  if (visiting.has(file)) return [];
  visiting.add(file);
  const [names, reexports] = native.cjsExports(native.readFileUtf8(file));
  const Module = require('module');
  for (const specifier of reexports) {
    let target;
    try {
      target = Module._resolveFilename(specifier, { filename: file, paths: Module._nodeModulePaths(path.dirname(file)) });
    } catch {
      continue;
    }
    if (/\.(c?js|cts|ts)$/.test(target)) names.push(...cjsExportNames(target, visiting));
  }
  return names;
}

function dataUrlSource(url) {
  const match = /^data:([^,;]*)(;base64)?,(.*)$/s.exec(url);
  if (match === null) throw new codes.ERR_INVALID_URL(url);
  const [, mime, base64, body] = match;
  const text = base64 ? require('buffer').Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
  const kind = mime === 'application/json' ? 'json' : mime === 'text/javascript' ? 'module' : null;
  if (kind === null) throw new codes.ERR_UNKNOWN_MODULE_FORMAT(mime, url);
  return { kind, text };
}

// The record for a resolved module, created (and compiled) once. With load hooks the
// record comes from the chain's format and source (a promise when an async hook ran);
// `loaded` is a { format, source } the CommonJS loader's hooks already produced.
function recordFor(resolved, attributeType, importerUrl, loaded) {
  const key = resolved.id !== undefined ? `node:${resolved.id}` : resolved.url ?? resolved.path + (resolved.suffix ?? '');
  let record = records.get(key);
  if (record === undefined && (loaded !== undefined || hooks.active())) {
    const url = descriptorUrl(resolved);
    const result = loaded ?? hooks.run('load', url, loadContext(resolved.format, attributeType, hooks.hasAsync()), defaultLoad, true);
    return hooks.after(result, (r) => {
      record = records.get(key) ?? recordFromSource(key, resolved, r.format, r.source);
      records.set(key, record);
      checkAttributes(record, attributeType, importerUrl);
      return record;
    });
  }
  if (record === undefined) {
    if (resolved.id !== undefined) {
      record = new ModuleRecord(key, 'builtin');
    } else if (resolved.url !== undefined) {
      const { kind, text } = dataUrlSource(resolved.url);
      record = new ModuleRecord(key, kind);
      if (kind === 'module') compile(record, text, key);
      else record.jsonText = text;
    } else {
      const kind = resolver.formatOf(resolved.path);
      const suffix = resolved.suffix ?? '';
      if (kind === 'addon') {
        const err = new Error(`Cannot load native addon '${resolved.path}': ferro does not support Node-API addons yet`);
        err.code = 'ERR_DLOPEN_FAILED';
        throw err;
      }
      record = new ModuleRecord(key, kind, resolved.path, suffix);
      if (kind === 'module') compile(record, native.readFileUtf8(resolved.path), record.url);
      if (kind === 'commonjs') record.cjsNames = cjsExportNames(resolved.path, new Set());
    }
    records.set(key, record);
  }
  checkAttributes(record, attributeType, importerUrl);
  return record;
}

// ---- hooks: resolved descriptors as URLs and back, the default resolve and load ----

const esmConditions = () => resolver.ESM_CONDITIONS.filter((c) => c !== 'default');

function descriptorUrl(resolved) {
  if (resolved.id !== undefined) return `node:${resolved.id}`;
  return resolved.url ?? resolver.fileUrl(resolved.path) + (resolved.suffix ?? '');
}

// A URL from the resolve chain → { id } | { path, suffix } | { url } (data: and the
// custom URLs hooks invent), keeping the chain's format.
function descriptorOf(url, format) {
  if (url.startsWith('node:')) return { id: url.slice(5), format };
  if (url.startsWith('file:')) {
    const at = url.search(/[?#]/);
    const file = at === -1 ? url : url.slice(0, at);
    return { path: resolver.fileUrlToPath(file), suffix: at === -1 ? '' : url.slice(at), format };
  }
  if (url.startsWith('data:')) return { url, format };
  return { url, format, custom: true };
}

function pathOfUrl(url) {
  if (url === undefined) return `${process.cwd()}/[eval]`;
  if (url.startsWith('file:')) return resolver.fileUrlToPath(url.replace(/[?#].*$/s, ''));
  return url;
}

function defaultResolve(specifier, context) {
  if (typeof specifier !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('specifier', 'string', specifier);
  const resolved = resolver.esmResolve(specifier, pathOfUrl(context.parentURL));
  let format;
  if (resolved.id !== undefined) format = 'builtin';
  else if (resolved.path !== undefined) format = formatOrUndefined(resolved.path);
  else format = dataUrlSource(resolved.url).kind;
  return { url: descriptorUrl(resolved), format };
}

// Node's hooks thread gives load no conditions.
function loadContext(format, attributeType, forAsync) {
  const context = { format, importAttributes: attributeType ? { type: attributeType } : {} };
  if (!forAsync) context.conditions = esmConditions();
  return context;
}

// An unknown extension is an error only when the default load meets it.
function formatOrUndefined(file) {
  try {
    return resolver.formatOf(file);
  } catch (err) {
    if (err.code === 'ERR_UNKNOWN_FILE_EXTENSION') return undefined;
    throw err;
  }
}

function defaultLoad(url, context) {
  if (typeof url !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('url', 'string', url);
  if (url.startsWith('node:')) return { format: 'builtin', responseURL: url, source: null };
  if (url.startsWith('data:')) {
    const { kind, text } = dataUrlSource(url);
    return { format: kind, responseURL: url, source: text };
  }
  if (!url.startsWith('file:')) throw new codes.ERR_UNSUPPORTED_ESM_URL_SCHEME(new URL(url));
  const file = pathOfUrl(url);
  const format = context.format ?? resolver.formatOf(file);
  // With register() hooks, CommonJS comes back without source (its loader reads the file).
  const source = format === 'commonjs' && hooks.hasAsync() ? null : require('fs').readFileSync(file);
  return { format, responseURL: url, source };
}

function sourceText(source) {
  if (typeof source === 'string') return source;
  const { Buffer } = require('buffer');
  const bytes = ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength) : Buffer.from(source);
  return bytes.toString('utf8');
}

const formats = { __proto__: null, 'module': 'module', 'module-typescript': 'module', 'commonjs': 'commonjs', 'commonjs-typescript': 'commonjs', 'json': 'json', 'builtin': 'builtin' };

function recordFromSource(key, resolved, format, source) {
  const url = descriptorUrl(resolved);
  const kind = formats[format];
  if (kind === undefined) throw new codes.ERR_UNKNOWN_MODULE_FORMAT(format, url);
  if (kind === 'builtin') return new ModuleRecord(`node:${url.replace(/^node:/, '')}`, 'builtin');
  const file = resolved.path ?? url;
  const record = new ModuleRecord(key, kind, file, resolved.suffix ?? '');
  record.custom = resolved.custom === true;
  const text = source == null ? (resolved.path !== undefined ? native.readFileUtf8(resolved.path) : null) : sourceText(source);
  if (text === null) throw new codes.ERR_UNKNOWN_MODULE_FORMAT(format, url);
  if (kind === 'module') compile(record, text, record.url);
  else if (kind === 'json') record.jsonText = text;
  else {
    if (source != null) record.cjsSource = text;
    record.cjsNames = source == null ? cjsExportNames(file, new Set()) : native.cjsExports(text)[0];
  }
  return record;
}

// A specifier imported from `parentPath` (whose URL is `parentUrl`) → a resolved
// descriptor, through the resolve hooks when there are any (maybe a promise then).
function resolveImport(specifier, parentPath, parentUrl, attributeType) {
  if (!hooks.active()) return resolver.esmResolve(specifier, parentPath);
  const importAttributes = attributeType ? { type: attributeType } : {};
  // (Node's hooks thread builds the context in the other order.)
  const context = hooks.hasAsync()
    ? { conditions: esmConditions(), importAttributes, parentURL: parentUrl }
    : { parentURL: parentUrl, importAttributes, conditions: esmConditions() };
  return hooks.after(hooks.run('resolve', specifier, context, defaultResolve, true), (r) => descriptorOf(r.url, r.format));
}

function checkAttributes(record, type, importerUrl) {
  if (type === '' || type === undefined) {
    if (record.kind === 'json') throw new codes.ERR_IMPORT_ATTRIBUTE_MISSING(record.url, 'type', 'json');
    return;
  }
  if (type !== 'json') throw new codes.ERR_IMPORT_ATTRIBUTE_UNSUPPORTED('type', type, record.url);
  if (record.kind !== 'json') throw new codes.ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE(record.url, 'json');
}

function parentPathOf(record) {
  return record.kind === 'builtin' ? process.cwd() + '/' : record.key.startsWith('data:') ? record.key : record.file;
}

// Resolves and creates the records of the whole graph below `record`. Returns a promise
// when async hooks took part; each record's link waits for the links it started.
function link(record) {
  if (record.status !== 'new') return undefined;
  record.status = 'linking';
  if (record.kind !== 'module') {
    record.status = 'linked';
    return undefined;
  }
  const deps = record.compiled.requests.map(([specifier, type]) => {
    const resolved = resolveImport(specifier, parentPathOf(record), record.url, type);
    return hooks.after(hooks.after(resolved, (r) => recordFor(r, type, record.url)), (dep) => {
      dep.importedBy ??= { specifier, file: record.file };
      return dep;
    });
  });
  const linkDeps = (list) => {
    record.deps = list;
    const waits = list.map(link).filter(hooks.isThenable);
    if (waits.length === 0) {
      record.status = 'linked';
      return undefined;
    }
    return Promise.all(waits).then(() => {
      record.status = 'linked';
    });
  };
  if (deps.some(hooks.isThenable)) return Promise.all(deps).then(linkDeps);
  return linkDeps(deps);
}

// Modules of an import cycle may be read by the others before their own body runs, so they
// must be generators (see runtime::esm): the cycles of the newly linked part of the graph
// (Tarjan's strongly connected components) are recompiled so.
function compileCycles(root) {
  let counter = 0;
  const stack = [];
  const visits = new Map(); // record → { index, low, onStack }
  const visit = (record) => {
    const node = { index: counter, low: counter, onStack: true };
    counter++;
    visits.set(record, node);
    stack.push(record);
    for (const dep of record.deps) {
      if (dep.kind !== 'module' || dep.status !== 'linked') continue;
      const seen = visits.get(dep);
      if (seen === undefined) {
        visit(dep);
        node.low = Math.min(node.low, visits.get(dep).low);
      } else if (seen.onStack) {
        node.low = Math.min(node.low, seen.index);
      }
    }
    if (node.low !== node.index) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      visits.get(member).onStack = false;
      component.push(member);
    } while (member !== record);
    if (component.length > 1 || record.deps.includes(record)) {
      for (const m of component) if (m.recompile !== undefined) m.recompile();
    }
  };
  if (root.kind === 'module' && root.status === 'linked') visit(root);
}

// Calls a module's compiled function with its namespace handle and its requests'
// namespaces: a plain function runs the whole body, a generator is created.
function callModuleFunction(record) {
  const handle = {
    e(getters) {
      record.getters = getters;
    },
    n(read) {
      const value = read();
      if (typeof value === 'function' && value.name === '__ferro_default') {
        Object.defineProperty(value, 'name', { value: 'default', configurable: true });
      }
    },
  };
  const importDynamic = (specifier, options) => importFrom(specifier, options, record.key);
  record.recompile = undefined;
  // Called without a receiver: `this` at a module's top level is undefined.
  return Reflect.apply(record.compiled.fn, undefined, [handle, importMeta(record), importDynamic, ...record.deps.map((d) => d.namespace)]);
}

// Creates the export getters of generator modules: their first step.
function instantiate(record, seen) {
  if (seen.has(record)) return;
  seen.add(record);
  for (const dep of record.deps) instantiate(dep, seen);
  if (record.kind !== 'module' || record.generator !== null || !record.compiled.generator) return;
  record.generator = callModuleFunction(record);
  record.generator.next();
  record.async = record.compiled.hasTopLevelAwait;
}

// A plain module's getters come when its body starts; its namespace reads through these,
// one per name, so that star exports can tell bindings apart by identity.
function forwardingGetter(record, name) {
  const forwarders = record.forwarders ??= Object.create(null);
  return forwarders[name] ??= () => {
    if (record.getters === null) throw new ReferenceError(`Cannot access '${name}' before initialization`);
    return record.getters[name]();
  };
}

// The names a module exports, with `export *` followed (default excluded, ambiguous names
// dropped as the spec says).
function exportNames(record, visiting = new Set()) {
  if (record.kind !== 'module') return Object.keys(namespaceSource(record));
  if (visiting.has(record)) return [];
  visiting.add(record);
  const names = new Set(record.compiled.exports);
  const starred = new Map();
  for (const index of record.compiled.starExports) {
    for (const name of exportNames(record.deps[index], visiting)) {
      if (name === 'default' || names.has(name)) continue;
      const from = starred.get(name);
      if (from === undefined) starred.set(name, record.deps[index]);
      else if (from !== record.deps[index] && from !== null) starred.set(name, null);
    }
  }
  for (const [name, from] of starred) if (from !== null) names.add(name);
  return [...names];
}

const AMBIGUOUS = Symbol('ambiguous');

// A getter for `name` exported by `record`, following `export *`; AMBIGUOUS when two star
// exports provide different bindings for it.
function exportGetter(record, name, visiting = new Set()) {
  if (record.kind !== 'module') {
    const source = namespaceSource(record);
    return Object.hasOwn(source, name) ? source[name] : undefined;
  }
  if (!record.compiled.generator) {
    record.exportSet ??= new Set(record.compiled.exports);
    if (record.exportSet.has(name)) return forwardingGetter(record, name);
  } else if (record.getters && Object.hasOwn(record.getters, name)) {
    return record.getters[name];
  }
  if (visiting.has(record) || name === 'default') return undefined;
  visiting.add(record);
  let found;
  for (const index of record.compiled.starExports) {
    const getter = exportGetter(record.deps[index], name, visiting);
    if (getter === undefined) continue;
    if (getter === AMBIGUOUS || (found !== undefined && found !== getter)) return AMBIGUOUS;
    found = getter;
  }
  return found;
}

// name → getter for the namespaces of CommonJS, JSON and built-in modules.
function namespaceSource(record) {
  if (record.sourceGetters) return record.sourceGetters;
  const getters = Object.create(null);
  if (record.kind === 'json') {
    let value;
    getters.default = () => (value ??= JSON.parse(record.jsonText ?? native.readFileUtf8(record.key)));
  } else if (record.kind === 'builtin') {
    // Named exports keep the values they had when imported, until syncBuiltinESMExports().
    const exports = require(record.key.slice(5));
    getters.default = () => exports;
    record.builtinValues = Object.create(null);
    if (exports !== null && typeof exports === 'object' || typeof exports === 'function') {
      // Accessors (lazily loaded parts such as fs.promises) are read on first use.
      const values = record.builtinValues;
      for (const name of Object.keys(exports)) {
        if (name === 'default') continue;
        const descriptor = Object.getOwnPropertyDescriptor(exports, name);
        if ('value' in descriptor) values[name] = descriptor.value;
        getters[name] = () => (name in values ? values[name] : (values[name] = exports[name]));
      }
    }
  } else {
    // Named exports are the values module.exports had when the module finished running.
    const moduleExports = () => record.cjsModule?.exports;
    getters.default = moduleExports;
    for (const name of record.cjsNames ?? []) {
      if (name !== 'default') getters[name] = () => record.cjsSnapshot?.[name];
    }
    getters['module.exports'] = moduleExports;
  }
  record.sourceGetters = getters;
  return getters;
}

// Fills the namespace objects, sorted as module namespaces are, then seals them.
function buildNamespaces(record, seen) {
  if (seen.has(record)) return;
  seen.add(record);
  for (const dep of record.deps) buildNamespaces(dep, seen);
  if (Object.isSealed(record.namespace)) return;
  const names = exportNames(record).sort();
  for (const name of names) {
    const get = exportGetter(record, name);
    if (get === undefined || get === AMBIGUOUS) continue;
    Object.defineProperty(record.namespace, name, { get, set: undefined, enumerable: true, configurable: false });
  }
  Object.defineProperty(record.namespace, Symbol.toStringTag, { value: 'Module' });
  Object.preventExtensions(record.namespace);
  namespaces.add(record.namespace);
}

const namespaces = new WeakSet();

// Every imported name must exist, as the spec's linking checks.
function checkImports(record, seen) {
  if (seen.has(record)) return;
  seen.add(record);
  for (const dep of record.deps) checkImports(dep, seen);
  if (record.kind !== 'module') return;
  for (const [index, name, line, column, width] of record.compiled.imports) {
    const dep = record.deps[index];
    const getter = exportGetter(dep, name);
    const specifier = record.compiled.requests[index][0];
    const linkError = (message) => syntaxError(message, bannerUrl(record.url), record.source, line, column, width);
    if (getter === AMBIGUOUS) {
      throw linkError(`The requested module '${specifier}' contains conflicting star exports for name '${name}'`);
    }
    if (getter !== undefined) continue;
    let message = `The requested module '${specifier}' does not provide an export named '${name}'`;
    if (dep.kind === 'commonjs') {
      message = `Named export '${name}' not found. The requested module '${specifier}' is a CommonJS module, which may not support all module.exports as named exports.\nCommonJS modules can always be imported via the default export, for example using:\n\nimport pkg from '${specifier}';\nconst { ${name} } = pkg;\n`;
    }
    throw linkError(message);
  }
}

function prepare(record) {
  link(record);
  compileCycles(record);
  instantiate(record, new Set());
  buildNamespaces(record, new Set());
  checkImports(record, new Set());
}

// Runs the graph's bodies; returns a promise when some module awaits at top level.
function evaluate(record) {
  switch (record.status) {
    case 'evaluated':
      return record.promise ?? undefined;
    case 'errored':
      throw record.error;
    case 'evaluating':
      return record.promise ?? undefined;
  }
  record.status = 'evaluating';
  try {
    const pending = [];
    for (const dep of record.deps) {
      const wait = evaluate(dep);
      if (wait !== undefined) pending.push(wait);
    }
    if (pending.length > 0) {
      record.async = true;
      record.promise = Promise.all(pending).then(() => runBody(record));
      record.promise.catch((err) => fail(record, err));
      record.status = 'evaluated';
      return record.promise;
    }
    const result = runBody(record);
    record.status = 'evaluated';
    return result;
  } catch (err) {
    fail(record, err);
    throw err;
  }
}

function fail(record, err) {
  record.status = 'errored';
  record.error = err;
}

function runBody(record) {
  if (record.kind === 'commonjs') {
    const Module = require('module');
    if (record.cjsSource !== undefined || record.custom) {
      record.cjsModule = Module._loadForImport(record.file, record.cjsSource, record === mainRecord);
      record.cjsSnapshot = snapshotOf(record);
      return undefined;
    }
    const loading = Module._cache[record.file];
    // Inside require(esm), importing a CommonJS module that is still loading is a cycle.
    if (requireDepth > 0 && loading !== undefined && !loading.loaded) {
      const importer = record.importedBy;
      throw new codes.ERR_REQUIRE_CYCLE_MODULE(`Cannot import CommonJS Module ${importer?.specifier ?? record.file} in a cycle. (from ${importer?.file ?? 'unknown'})`);
    }
    if (hooks.active()) Module._loadForImport(record.file, undefined, record === mainRecord);
    else Module._load(record.file, null, false);
    record.cjsModule = Module._cache[record.file];
    record.cjsSnapshot = snapshotOf(record);
    return undefined;
  }
  if (record.kind === 'json') {
    namespaceSource(record).default();
    return undefined;
  }
  if (record.kind !== 'module') return undefined;
  if (!record.compiled.generator) {
    callModuleFunction(record);
    return undefined;
  }
  if (!record.compiled.hasTopLevelAwait) {
    record.generator.next();
    return undefined;
  }
  record.promise = record.compiled.asyncGenerator ? record.generator.next().then(() => undefined) : driveCoroutine(record.generator);
  record.promise.catch((err) => fail(record, err));
  return record.promise;
}

function snapshotOf(record) {
  const exports = record.cjsModule?.exports;
  const snapshot = Object.create(null);
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
    for (const name of record.cjsNames ?? []) snapshot[name] = exports[name];
  }
  return snapshot;
}

// Runs a module body whose top-level awaits were compiled to yields: it starts now, as an
// async module's evaluation does, and each awaited value resumes it a tick later.
function driveCoroutine(generator) {
  return new Promise((resolve, reject) => {
    function step(method, input) {
      let result;
      try {
        result = generator[method](input);
      } catch (err) {
        reject(err);
        return;
      }
      if (result.done) resolve();
      else Promise.resolve(result.value).then((value) => step('next', value), (err) => step('throw', err));
    }
    step('next');
  });
}

// import.meta: url, filename, dirname and resolve(), created on first use.
function importMeta(record) {
  const meta = Object.create(null);
  if (record.kind === 'module' && !record.key.startsWith('data:') && !record.custom) {
    meta.dirname = path.dirname(record.key);
    meta.filename = record.key;
  }
  meta.main = record === mainRecord;
  meta.resolve = function resolve(specifier) {
    const resolved = resolver.esmResolve(`${specifier}`, parentPathOf(record), true);
    if (resolved.id !== undefined) return `node:${resolved.id}`;
    return resolved.url ?? resolver.fileUrl(resolved.path) + resolved.suffix;
  };
  meta.url = record.url;
  return meta;
}

// import() from a module or script whose file is `referrer`.
function importFrom(specifier, options, referrer) {
  return Promise.resolve().then(() => new Promise((resolve, reject) => {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new TypeError('The second argument of import() must be an object');
    }
    const attributes = options?.with;
    if (attributes !== undefined && (attributes === null || typeof attributes !== 'object')) {
      throw new TypeError('The "with" option of import() must be an object');
    }
    const type = attributes?.type ?? '';
    const parent = referrer ?? `${process.cwd()}/[eval]`;
    const parentUrl = referrer === undefined ? undefined : urlOfReferrer(referrer);
    const linked = hooks.after(resolveImport(`${specifier}`, parent, parentUrl, type), (resolved) => hooks.after(recordFor(resolved, type, parent), (record) => hooks.after(link(record), () => record)));
    const finish = (record) => {
      prepare(record);
      const wait = evaluate(record);
      if (wait === undefined) resolve(record.namespace);
      else wait.then(() => resolve(record.namespace), reject);
    };
    if (hooks.isThenable(linked)) linked.then(finish).catch(reject);
    else finish(linked);
  }));
}

// A referrer is a record key: a path, a data: URL or a custom URL.
function urlOfReferrer(referrer) {
  const record = records.get(referrer);
  if (record !== undefined) return record.url;
  return referrer.startsWith('/') ? resolver.fileUrl(referrer) : referrer;
}

// The entry point given on the command line, as an ES module.
let mainRecord = null;

function runMain(file) {
  if (!hooks.active()) {
    mainRecord = recordFor({ path: file }, '', undefined);
    runRecord(mainRecord);
    return;
  }
  // The entry goes through the hooks too, by its URL and with no parent.
  const linked = hooks.after(resolveImport(resolver.fileUrl(file), file, undefined, ''), (resolved) => hooks.after(recordFor(resolved, '', undefined), (record) => {
    mainRecord = record;
    return link(record);
  }));
  if (hooks.isThenable(linked)) {
    mainPromise = linked;
    const fatal = (err) => require('internal/fatal_exception').onUncaughtException(err);
    linked.then(() => {
      mainPromise = null;
      try {
        runRecord(mainRecord);
      } catch (err) {
        fatal(err);
      }
    }, (err) => {
      mainPromise = null;
      fatal(err);
    });
  } else {
    runRecord(mainRecord);
  }
}

// `--input-type=module` code from -e or stdin, named as Node names it.
function runSource(source, name) {
  const file = `${process.cwd()}/${name}`;
  const record = new ModuleRecord(file, 'module');
  compile(record, source, resolver.fileUrl(file));
  records.set(file, record);
  mainRecord = record;
  runRecord(record);
}

function runRecord(record) {
  prepare(record);
  const wait = evaluate(record);
  if (wait !== undefined) {
    mainPromise = wait;
    wait.then(() => {
      mainPromise = null;
    }, (err) => {
      mainPromise = null;
      require('internal/fatal_exception').onUncaughtException(err);
    });
  }
}
let mainPromise = null;

// require() of an ES module: synchronous, so top-level await is refused. A module with a
// default export comes back as a namespace-like object marked `__esModule`, as in Node.
let requireDepth = 0;
function requireModule(file, parent, loaded) {
  const descriptor = file.startsWith('/') ? { path: file } : descriptorOf(file, 'module');
  // require() cannot wait for register()'s hooks: only registerHooks() ones load it.
  if (loaded === undefined && hooks.active() && !records.has(descriptorUrl(descriptor).startsWith('file:') ? file : descriptorUrl(descriptor))) {
    loaded = hooks.run('load', descriptorUrl(descriptor), loadContext('module', '', false), defaultLoad, false);
  }
  const record = recordFor(descriptor, '', undefined, loaded);
  if (hooks.isThenable(record)) throw new codes.ERR_REQUIRE_ASYNC_MODULE(file, parent?.filename);
  if (record.status === 'evaluating' && record.kind === 'module') {
    throw new codes.ERR_REQUIRE_CYCLE_MODULE(`Cannot require() ES Module ${file} in a cycle.`);
  }
  prepare(record);
  if (hasAsyncGraph(record, new Set())) throw new codes.ERR_REQUIRE_ASYNC_MODULE(file, parent?.filename);
  requireDepth++;
  try {
    evaluate(record);
  } finally {
    requireDepth--;
  }
  const ns = record.namespace;
  if (Object.hasOwn(ns, 'module.exports')) return ns['module.exports'];
  if (!Object.hasOwn(ns, 'default')) return ns;
  record.requireResult ??= withEsModuleMarker(ns);
  return record.requireResult;
}

function withEsModuleMarker(ns) {
  const result = { __proto__: null, __esModule: true };
  for (const name of Object.keys(ns)) {
    Object.defineProperty(result, name, { get: () => ns[name], enumerable: true });
  }
  Object.defineProperty(result, Symbol.toStringTag, { value: 'Module' });
  return Object.preventExtensions(result);
}

function hasAsyncGraph(record, seen) {
  if (seen.has(record)) return false;
  seen.add(record);
  if (record.kind === 'module' && record.compiled.hasTopLevelAwait && record.status !== 'evaluated') return true;
  return record.deps.some((d) => hasAsyncGraph(d, seen));
}

// The URL of an entry whose top-level await never settled (Node warns and exits 13).
function unsettledMain() {
  return mainPromise !== null ? mainRecord.url : undefined;
}

// register()'s hooks module, loaded synchronously as require(esm) would load it.
function loadHooksModule(specifier, base) {
  let parent = base.startsWith('file:') ? pathOfUrl(base) : base;
  // A directory URL (pathToFileURL('./')) resolves inside the directory.
  if (parent.endsWith('/')) parent += '[register]';
  const resolved = resolver.esmResolve(specifier, parent);
  if (resolved.id !== undefined) return require(resolved.id);
  return requireModule(resolved.path ?? resolved.url, undefined);
}

// syncBuiltinESMExports(): the built-ins' named exports take the values their exports
// objects have now (names added since cannot join a namespace).
function syncBuiltinExports() {
  for (const record of records.values()) {
    if (record.builtinValues === undefined) continue;
    const exports = require(record.key.slice(5));
    for (const name of Object.keys(namespaceSource(record))) {
      if (name !== 'default') record.builtinValues[name] = exports[name];
    }
  }
}

module.exports = { runMain, runSource, importFrom, requireModule, unsettledMain, namespaces, syncBuiltinExports, loadHooksModule };
