'use strict';
// The current async context: an immutable Map from AsyncLocalStorage instance to its store.
// Code that defers a callback (timers, immediates, nextTick, queueMicrotask) can capture
// getContext() when scheduling and call the callback through runInContext(), so that
// AsyncLocalStorage stores follow the callback. Promise reactions and `await` continuations
// are not covered: the engine runs them without a hook.

const emptyContext = new Map();
let current = emptyContext;

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

// A context like the current one with `key` mapped to `value`.
function contextWith(key, value) {
  return new Map(current).set(key, value);
}

module.exports = { getContext, setContext, runInContext, contextWith, emptyContext };
