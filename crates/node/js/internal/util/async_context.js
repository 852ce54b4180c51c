'use strict';
// The current async context: an immutable Map from AsyncLocalStorage instance to its store.
// Code that defers a callback (timers, immediates, nextTick, queueMicrotask) can capture
// getContext() when scheduling and call the callback through runInContext(), so that
// AsyncLocalStorage stores follow the callback. The engine has no promise hook: `await`
// continuations put their context back through the globals below, called by code the loader
// rewrote (runtime::async_context), and `.then` reactions once an AsyncLocalStorage exists.

const emptyContext = new Map();
let current = emptyContext;
// Set when an `await` continuation leaves a context behind; the loop's processTicks clears
// it before the next macrotask, so it cannot leak into unrelated callbacks.
const loopInfo = internalBinding('loop').info;
const CONTEXT_LEFT_SET = 8;

function getContext() {
  return current;
}

// Replaces the context for the rest of the current synchronous execution.
function setContext(context) {
  current = context;
}

function runInContext(context, fn, thisArg, args) {
  const previous = current;
  current = context;
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    current = previous;
  }
}

// Handles (sockets, servers, child processes, workers) remember the context they were made
// in, and their native callbacks run in it, as Node's async resources do.
const kResourceContext = Symbol('kResourceContext');
function captureResourceContext(resource) {
  resource[kResourceContext] = current;
}

// The context a resource's callback must switch to, or undefined when it is the current one.
function contextToEnter(resource) {
  const context = resource[kResourceContext];
  return context === undefined || context === current ? undefined : context;
}

// `__ferro_restore(context, value)`: where rewritten code resumes after an `await`.
function restoreContext(context, value) {
  current = context;
  if (context !== emptyContext) loopInfo[CONTEXT_LEFT_SET] = 1;
  return value;
}

function clearLeftContext() {
  if (loopInfo[CONTEXT_LEFT_SET] === 0) return;
  loopInfo[CONTEXT_LEFT_SET] = 0;
  current = emptyContext;
}

Object.defineProperty(globalThis, '__ferro_ctx', { value: getContext });
Object.defineProperty(globalThis, '__ferro_restore', { value: restoreContext });

// Started by the first AsyncLocalStorage, so programs without one keep the engine's own
// `then` and thread-pool calls: promise reactions then run in the context they were
// registered in, as in Node, and so do the callbacks of thread-pool work (fs, dns, crypto,
// zlib) in the context that started it.
let tracking = false;
function trackContext() {
  if (tracking) return;
  tracking = true;
  internalBinding('loop').trackAsyncContext(getContext, restoreContext);
  const engineThen = Promise.prototype.then;
  // No try/finally: a reaction that throws leaves its context, which the next
  // continuation or macrotask replaces anyway.
  const inContext = (context, reaction) =>
    function (value) {
      const previous = current;
      current = context;
      const result = reaction(value);
      current = previous;
      return result;
    };
  const { then } = {
    then(onFulfilled, onRejected) {
      const context = current;
      return Reflect.apply(engineThen, this, [
        typeof onFulfilled === 'function' ? inContext(context, onFulfilled) : onFulfilled,
        typeof onRejected === 'function' ? inContext(context, onRejected) : onRejected,
      ]);
    },
  };
  Object.defineProperty(Promise.prototype, 'then', { value: then, writable: true, configurable: true, enumerable: false });
}

// A context like the current one with `key` mapped to `value`.
function contextWith(key, value) {
  return new Map(current).set(key, value);
}

module.exports = {
  captureResourceContext,
  contextToEnter,
  getContext,
  setContext,
  runInContext,
  contextWith,
  emptyContext,
  clearLeftContext,
  trackContext,
};
