'use strict';
// Runs once per context as (function (internalBinding, loopBinding) {...}): builds the
// built-in module loader, process and the globals, and returns the functions the event
// loop calls (see runtime::event_loop::Hooks).

const bindings = new Map([['loop', loopBinding]]);
function binding(name) {
  let b = bindings.get(name);
  if (b === undefined) {
    b = internalBinding(name);
    bindings.set(name, b);
  }
  return b;
}

const { compileBuiltin } = binding('builtins');
const builtinCache = new Map();

// Built-ins are compiled on first require, so startup pays only for what the program uses.
function requireBuiltin(id) {
  const cached = builtinCache.get(id);
  if (cached !== undefined) return cached.exports;
  const fn = compileBuiltin(id);
  if (fn === undefined) throw new Error(`No such built-in module: ${id}`);
  const module = { exports: {}, id, loaded: false };
  builtinCache.set(id, module);
  try {
    fn.call(module.exports, module.exports, requireBuiltin, module, binding);
  } catch (err) {
    // A built-in that refuses to load (node:inspector here) throws on every require.
    builtinCache.delete(id);
    throw err;
  }
  module.loaded = true;
  return module.exports;
}

requireBuiltin('internal/stack_trace').installV8Stacks(globalThis);
// What each rewritten `catch (e) {` calls first (runtime/src/esm.rs).
Object.defineProperty(globalThis, '__ferro_caught', { value: requireBuiltin('internal/stack_trace').adoptV8Stack });
// V8's default, which programs and stack-parsing packages expect.
Error.stackTraceLimit = 10;
// JSON.parse throws V8's messages (the engine's words differ).
requireBuiltin('internal/json_parse').installJsonParse(globalThis);
// Functions show the program's text, not the loader's rewrite of it.
internalBinding('module').installFunctionToString(globalThis);

function defineGlobal(name, value, enumerable = false) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable });
}

// Explicit resource management's well-known symbols, which V8 has and this engine may not.
for (const name of ['dispose', 'asyncDispose']) {
  if (typeof Symbol[name] !== 'symbol') {
    Object.defineProperty(Symbol, name, { value: Symbol(`Symbol.${name}`) });
  }
}
// WebAssembly's promise-returning functions, which the engine settles on a run loop ferro
// does not run (internal/wasm.js, loaded on the first call), and the streaming forms.
for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const wrapper = { [name](source, imports) { return requireBuiltin('internal/wasm')[name](source, imports); } }[name];
  Object.defineProperty(wrapper, 'length', { value: 1 });
  Object.defineProperty(WebAssembly, name, { value: wrapper, writable: true, enumerable: true, configurable: true });
}
// The Function constructor, wrapped so that bodies get the script rewrite
// (internal/function_constructor.js, loaded for bodies with something to rewrite).
{
  const EngineFunction = Function;
  const mayNeedRewrite = /import|catch|await/;
  const FunctionConstructor = function Function(...args) {
    if ((new.target === undefined || new.target === FunctionConstructor) && args.length > 0 &&
        mayNeedRewrite.test(`${args[args.length - 1]}`)) {
      const made = requireBuiltin('internal/function_constructor')
        .fromRewrittenBody(EngineFunction, args, new.target ?? FunctionConstructor, new Error().stack);
      if (made !== undefined) return made;
    }
    return Reflect.construct(EngineFunction, args, new.target ?? FunctionConstructor);
  };
  Object.defineProperty(FunctionConstructor, 'length', { value: 1 });
  Object.defineProperty(FunctionConstructor, 'prototype', { value: EngineFunction.prototype, writable: false });
  Object.defineProperty(EngineFunction.prototype, 'constructor', { value: FunctionConstructor });
  defineGlobal('Function', FunctionConstructor);
}
// Error.isError, which this engine may not have; its module loads on the first call.
if (typeof Error.isError !== 'function') {
  const isError = (value) => requireBuiltin('internal/error_is_error').isError(value);
  Object.defineProperty(Error, 'isError', { value: isError, writable: true, configurable: true });
}
// Atomics.waitAsync, which this engine doesn't expose, and the Atomics.notify that also
// wakes its waiters (internal/atomics_wait_async.js, loaded on the first call of either).
if (typeof Atomics.waitAsync !== 'function') {
  const atomics = () => requireBuiltin('internal/atomics_wait_async');
  const engineNotify = Atomics.notify;
  const { waitAsync, notify } = {
    waitAsync(typedArray, index, value, timeout) { return atomics().waitAsync(typedArray, index, value, timeout); },
    notify(typedArray, index, count) { return atomics().notify(engineNotify, typedArray, index, count); },
  };
  Object.defineProperty(Atomics, 'waitAsync', { value: waitAsync, writable: true, configurable: true });
  Object.defineProperty(Atomics, 'notify', { value: notify, writable: true, configurable: true });
}

// Globals loaded on first access (a program may also set them), from entries [name,
// source]: source is the id of the built-in whose export of that name the global is, or a
// function that returns the value. One loop defines them all: a helper called once per
// global would run often enough during startup for the JIT to compile it.
function defineLazyGlobals(entries, enumerable) {
  for (let i = 0; i < entries.length; i++) {
    const [name, source] = entries[i];
    Object.defineProperty(globalThis, name, {
      configurable: true,
      enumerable,
      get() {
        const value = typeof source === 'function' ? source() : requireBuiltin(source)[name];
        defineGlobal(name, value, enumerable);
        return value;
      },
      set(value) {
        defineGlobal(name, value, enumerable);
      },
    });
  }
}

defineGlobal('global', globalThis, true);
Object.defineProperty(globalThis, Symbol.toStringTag, { value: 'global', writable: false, enumerable: false, configurable: true });
// In Node's order, which Object.keys(globalThis) shows. process too loads on first use: a
// program that never touches it doesn't pay for it.
defineLazyGlobals([['process', () => requireBuiltin('process')]], false);
defineLazyGlobals([
  ['clearImmediate', 'internal/timers'],
  ['setImmediate', 'internal/timers'],
  ['clearInterval', 'internal/timers'],
  ['clearTimeout', 'internal/timers'],
  ['setInterval', 'internal/timers'],
  ['setTimeout', 'internal/timers'],
  ['queueMicrotask', 'internal/task_queues'],
  ['structuredClone', 'internal/structured_clone'],
  ['atob', 'buffer'],
  ['btoa', 'buffer'],
  ['performance', 'perf_hooks'],
  ['fetch', 'internal/fetch/index'],
  ['crypto', 'internal/crypto/webcrypto'],
  ['navigator', 'internal/navigator'],
], true);
defineLazyGlobals([
  ['console', () => requireBuiltin('console')],
  ['Buffer', 'buffer'],
  ['Blob', 'buffer'],
  ['File', 'buffer'],
  ['TextEncoder', 'internal/encoding'],
  ['TextDecoder', 'internal/encoding'],
  ['URL', 'internal/url'],
  ['URLSearchParams', 'internal/url'],
  ['URLPattern', 'internal/url_pattern'],
  ['EventTarget', 'internal/event_target'],
  ['Event', 'internal/event_target'],
  ['CustomEvent', 'internal/event_target'],
  ['AbortController', 'internal/abort_controller'],
  ['AbortSignal', 'internal/abort_controller'],
  ['DOMException', 'internal/dom_exception'],
  ['Navigator', 'internal/navigator'],
  ['ReadableStream', 'internal/webstreams/readablestream'],
  ['ReadableStreamDefaultReader', 'internal/webstreams/readablestream'],
  ['ReadableStreamBYOBReader', 'internal/webstreams/readablestream'],
  ['ReadableStreamBYOBRequest', 'internal/webstreams/readablestream'],
  ['ReadableByteStreamController', 'internal/webstreams/readablestream'],
  ['ReadableStreamDefaultController', 'internal/webstreams/readablestream'],
  ['TransformStream', 'internal/webstreams/transformstream'],
  ['TransformStreamDefaultController', 'internal/webstreams/transformstream'],
  ['WritableStream', 'internal/webstreams/writablestream'],
  ['WritableStreamDefaultWriter', 'internal/webstreams/writablestream'],
  ['WritableStreamDefaultController', 'internal/webstreams/writablestream'],
  ['ByteLengthQueuingStrategy', 'internal/webstreams/queuingstrategies'],
  ['CountQueuingStrategy', 'internal/webstreams/queuingstrategies'],
  ['TextEncoderStream', 'internal/webstreams/encoding'],
  ['TextDecoderStream', 'internal/webstreams/encoding'],
  ['CompressionStream', 'internal/webstreams/compression'],
  ['DecompressionStream', 'internal/webstreams/compression'],
  ['Crypto', 'internal/crypto/webcrypto'],
  ['CryptoKey', 'internal/crypto/webcrypto'],
  ['SubtleCrypto', 'internal/crypto/webcrypto'],
  ['MessageChannel', 'internal/worker/io'],
  ['MessagePort', 'internal/worker/io'],
  ['MessageEvent', 'internal/worker/io'],
  ['BroadcastChannel', 'internal/worker/io'],
  ['Performance', 'perf_hooks'],
  ['PerformanceEntry', 'perf_hooks'],
  ['PerformanceMark', 'perf_hooks'],
  ['PerformanceMeasure', 'perf_hooks'],
  ['PerformanceObserver', 'perf_hooks'],
  ['PerformanceObserverEntryList', 'perf_hooks'],
  ['PerformanceResourceTiming', 'perf_hooks'],
  ['Headers', 'internal/fetch/index'],
  ['Request', 'internal/fetch/index'],
  ['Response', 'internal/fetch/index'],
  ['FormData', 'internal/fetch/index'],
  ['WebSocket', 'internal/websocket'],
  ['CloseEvent', 'internal/websocket'],
  ['DisposableStack', 'internal/disposable_stack'],
  ['AsyncDisposableStack', 'internal/disposable_stack'],
  ['SuppressedError', 'internal/disposable_stack'],
  // What code lowered from `using` declarations calls (runtime::explicit_resource).
  ['__ferro_using', 'internal/disposable_stack'],
], false);
const processIfLoaded = () => builtinCache.get('process')?.exports;
// Modules behind loop hooks load on first use.
const timers = () => requireBuiltin('internal/timers');
const taskQueues = () => requireBuiltin('internal/task_queues');

// --expose-gc: a global gc() that collects the whole heap before returning, or in a later
// task when asked for `{ execution: 'async' }` (then it returns a promise).
function exposeGc() {
  const collect = internalBinding('util').collectGarbage;
  const gc = function gc(options) {
    if (options?.execution === 'async') return new Promise((resolve) => setImmediate(() => resolve(collect())));
    collect();
  };
  Object.defineProperty(gc, 'length', { value: 0 });
  Object.defineProperty(globalThis, 'gc', { value: gc, writable: true, enumerable: true, configurable: true });
}

// `-r`, `--import`, `-C` and `--title`, given as [name, value, name, value...]; returns
// the promise of the `--import`s, if any, after which the program runs.
function applyStartOptions(options) {
  const required = [];
  const imported = [];
  for (let i = 0; i < options.length; i += 2) {
    const [name, value] = [options[i], options[i + 1]];
    if (name === 'require') required.push(value);
    else if (name === 'import') imported.push(value);
    else if (name === 'title') globalThis.process.title = value;
    else if (name === 'expose-gc') exposeGc();
    else if (name === 'condition') {
      const resolver = requireBuiltin('internal/modules/resolve');
      resolver.CJS_CONDITIONS.push(value);
      resolver.ESM_CONDITIONS.push(value);
    }
  }
  // Preloads resolve from the current directory, as if required by a module there.
  if (required.length > 0) {
    const preloadRequire = requireBuiltin('module').createRequire(`${globalThis.process.cwd()}/`);
    for (const id of required) preloadRequire(id);
  }
  if (imported.length === 0) return undefined;
  const esm = requireBuiltin('internal/modules/esm');
  return imported.reduce((previous, id) => previous.then(() => esm.importFrom(id)), Promise.resolve());
}

// A worker's `-r` and `-C` come from its execArgv (the parent's unless the Worker was
// given its own), as the main thread's come from the command line; Node runs no
// `--import` in workers.
function workerStartOptions() {
  const names = { '-r': 'require', '--require': 'require', '-C': 'condition', '--conditions': 'condition' };
  const argv = globalThis.process.execArgv;
  const options = [];
  for (let i = 0; i < argv.length; i++) {
    const equals = argv[i].indexOf('=');
    const name = names[equals > 0 ? argv[i].slice(0, equals) : argv[i]];
    if (name === undefined) continue;
    const value = equals > 0 ? argv[i].slice(equals + 1) : argv[++i];
    if (value !== undefined) options.push(name, value);
  }
  return options;
}

// NODE_USE_ENV_PROXY=1, or --use-env-proxy (the last of it and --no-use-env-proxy wins):
// the global http agents and fetch() use the environment's proxies.
function setupEnvProxy(startOptions) {
  let enabled;
  for (let i = 0; i < startOptions.length; i += 2) {
    if (startOptions[i] === 'use-env-proxy') enabled = startOptions[i + 1] === '1';
  }
  enabled ??= binding('process').envSnapshot().NODE_USE_ENV_PROXY === '1';
  if (enabled) requireBuiltin('internal/http_proxy').enableEnvProxy();
}

// `hasIpcChannel`: NODE_CHANNEL_FD is set (read natively, so that a program that never
// uses process doesn't load it).
function runMain(kind, payload, startOptions, hasIpcChannel) {
  // A worker thread: internal/worker/main reads what its Worker was created with, and
  // runs the preloads just before the worker's script.
  if (kind === 'worker') {
    requireBuiltin('internal/worker/main').run(() => applyStartOptions(workerStartOptions()));
    return;
  }
  // A child forked with an IPC channel (child_process.fork) talks to its parent over it.
  if (hasIpcChannel) {
    requireBuiltin('internal/child_process/ipc').setupChildChannel();
  }
  setupEnvProxy(startOptions);
  const imports = startOptions.length > 0 ? applyStartOptions(startOptions) : undefined;
  if (imports !== undefined) {
    imports.then(() => runEntry(kind, payload));
    return;
  }
  runEntry(kind, payload);
}

function runEntry(kind, payload) {
  if (kind === 'repl') {
    requireBuiltin('internal/repl/cli').start();
    return;
  }
  if (kind === 'check' || kind === 'check-stdin') {
    requireBuiltin('internal/repl/cli').checkSyntax(kind === 'check' ? payload : undefined, payload);
    return;
  }
  if (kind === 'file') {
    requireBuiltin('module').runMain(payload);
    return;
  }
  if (kind === 'print-module') throw new (requireBuiltin('internal/errors').codes.ERR_EVAL_ESM_CANNOT_PRINT)();
  if (kind === 'eval-module' || kind === 'stdin-module') {
    requireBuiltin('internal/modules/esm').runSource(payload, kind === 'eval-module' ? '[eval1]' : '[stdin]');
    return;
  }
  // `-e`, `-p` and stdin scripts run as global code with CommonJS's names as globals; the
  // loader only loads if the script uses them.
  const detect = kind === 'eval' || kind === 'stdin';
  const name = kind.startsWith('stdin') ? '[stdin]' : '[eval]';
  let context;
  const evalContext = () => (context ??= requireBuiltin('module').evalContext(name));
  // The target of `import()` in the script (rewritten so, as JSC's scripts have no loader).
  defineGlobal('__ferro_import', (specifier, options) => requireBuiltin('internal/modules/esm').importFrom(specifier, options));
  defineGlobal('__filename', name, true);
  defineLazyGlobals([['module', () => evalContext().module], ['exports', () => evalContext().module.exports]], true);
  defineGlobal('__dirname', '.', true);
  defineLazyGlobals([['require', () => evalContext().require]], true);
  // Compiled `await`s keep their async context through globals this module defines.
  if (payload.includes('await')) requireBuiltin('internal/util/async_context');
  let result;
  try {
    result = binding('module').runScript(payload, name);
  } catch (err) {
    // Code that only parses as a module runs as one, as Node detects it.
    if (detect && err instanceof SyntaxError && binding('module').hasModuleSyntax(payload, name)) {
      for (const global of ['__filename', 'module', 'exports', '__dirname', 'require', '__ferro_import']) delete globalThis[global];
      requireBuiltin('internal/modules/esm').runSource(payload, kind === 'eval' ? '[eval1]' : '[stdin]');
      return;
    }
    throw err;
  }
  // Node prints the value once the program has run to its end.
  if (kind === 'print') globalThis.process.on('exit', () => globalThis.console.log(result));
}

return {
  runMain,
  runNextTimer: (now) => timers().runNextTimer(now),
  beginImmediates: () => timers().beginImmediates(),
  runNextImmediate: () => timers().runNextImmediate(),
  processTicks: () => taskQueues().processTicks(),
  processRejections: (list, handledLate) => taskQueues().processRejections(list, handledLate),
  onUncaughtException: (err) => requireBuiltin('internal/fatal_exception').onUncaughtException(err),
  emitBeforeExit: () => processIfLoaded()?._emitBeforeExit(),
  emitExit: () => {
    // A top-level await that never settled: Node warns and exits with 13.
    const esm = builtinCache.get('internal/modules/esm')?.exports;
    const unsettled = esm?.unsettledMain();
    if (unsettled) {
      binding('process').writeFd(2, `Warning: Detected unsettled top-level await at ${unsettled}\n\n\n`);
      globalThis.process.exitCode = 13;
    }
    return processIfLoaded()?._emitExit() ?? 0;
  },
};
