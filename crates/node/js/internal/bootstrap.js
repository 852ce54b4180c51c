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
  fn.call(module.exports, module.exports, requireBuiltin, module, binding);
  module.loaded = true;
  return module.exports;
}

requireBuiltin('internal/stack_trace').installV8Stacks(globalThis);
// V8's default, which programs and stack-parsing packages expect.
Error.stackTraceLimit = 10;

function defineGlobal(name, value, enumerable = false) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable });
}

// A global whose module is loaded on first access.
function defineLazyGlobal(name, load, enumerable = false) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable,
    get() {
      const value = load();
      defineGlobal(name, value, enumerable);
      return value;
    },
    set(value) {
      defineGlobal(name, value, enumerable);
    },
  });
}

defineGlobal('global', globalThis);
Object.defineProperty(globalThis, Symbol.toStringTag, { value: 'global', writable: false, enumerable: false, configurable: true });
const process = requireBuiltin('process');
defineGlobal('process', process);

const timers = requireBuiltin('internal/timers');
for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate']) {
  defineGlobal(name, timers[name], true);
}
const taskQueues = requireBuiltin('internal/task_queues');
defineGlobal('queueMicrotask', taskQueues.queueMicrotask, true);
defineLazyGlobal('console', () => requireBuiltin('console'));
defineLazyGlobal('performance', () => requireBuiltin('perf_hooks').performance, true);

const fatal = requireBuiltin('internal/fatal_exception');

function runMain(kind, payload) {
  const Module = requireBuiltin('module');
  if (kind === 'file') {
    Module.runMain(payload);
    return;
  }
  const result = Module.runEvalScript(payload, kind === 'stdin' ? '[stdin]' : '[eval]');
  if (kind === 'print') globalThis.console.log(result);
}

return {
  runMain,
  runNextTimer: timers.runNextTimer,
  beginImmediates: timers.beginImmediates,
  runNextImmediate: timers.runNextImmediate,
  processTicks: taskQueues.processTicks,
  processRejections: taskQueues.processRejections,
  onUncaughtException: fatal.onUncaughtException,
  emitBeforeExit: process._emitBeforeExit,
  emitExit: process._emitExit,
};
