'use strict';
// Module customization hooks. registerHooks() adds synchronous hooks applied in this thread
// to require() and import; register() adds a hooks module's (usually async) `resolve` and
// `load`, which Node runs in a separate thread: ferro runs them on the main thread, for
// import only (a promise cannot be waited for inside require()). Each chain runs the
// newest hook first and ends in ferro's own resolution or loading.

const codes = require('internal/lazy_codes');

// { resolve, load, name, async } in registration order; `name` is null for registerHooks.
const chain = [];

class ModuleHooks {
  constructor(resolve, load) {
    this.resolve = resolve;
    this.load = load;
  }

  deregister() {
    const index = chain.findIndex((entry) => entry.handle === this);
    if (index !== -1) chain.splice(index, 1);
  }
}

function registerHooks(hooks) {
  const { resolve, load } = hooks;
  if (resolve !== undefined && typeof resolve !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('hooks.resolve', 'function', resolve);
  if (load !== undefined && typeof load !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('hooks.load', 'function', load);
  const handle = new ModuleHooks(resolve, load);
  chain.push({ resolve, load, name: null, async: false, handle });
  return handle;
}

function addAsyncHooks(exports, name) {
  const resolve = typeof exports.resolve === 'function' ? exports.resolve : undefined;
  const load = typeof exports.load === 'function' ? exports.load : undefined;
  if (resolve !== undefined || load !== undefined) chain.push({ resolve, load, name, async: true, handle: null });
}

const active = () => chain.length > 0;
const hasAsync = () => chain.some((entry) => entry.async);

const isThenable = (value) => value !== null && typeof value === 'object' && typeof value.then === 'function';

// `f(value)` now, or once `value` settles when it is a promise.
function after(value, f) {
  return isThenable(value) ? value.then(f) : f(value);
}

function hookName(entry, step) {
  return entry.name === null ? step : `${entry.name} '${step}'`;
}

function isSource(value) {
  return typeof value === 'string' || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function checkResult(step, entry, result, calledNext) {
  const name = hookName(entry, step);
  // (A null result throws the engine's TypeError here, as in Node.)
  if (!calledNext && result.shortCircuit !== true) {
    if (entry.async) throw new codes.ERR_LOADER_CHAIN_INCOMPLETE(name);
    throw new codes.ERR_INVALID_RETURN_PROPERTY_VALUE('true', name, 'shortCircuit', result.shortCircuit);
  }
  if (result === null || typeof result !== 'object') throw new codes.ERR_INVALID_RETURN_VALUE('an object', name, result);
  if (step === 'resolve') {
    if (typeof result.url !== 'string') throw new codes.ERR_INVALID_RETURN_PROPERTY_VALUE('a URL string', name, 'url', result.url);
    if (result.format != null && typeof result.format !== 'string') {
      throw new codes.ERR_INVALID_RETURN_PROPERTY_VALUE('a string', name, 'format', result.format);
    }
  } else {
    if (typeof result.format !== 'string' && result.format != null) {
      throw new codes.ERR_INVALID_RETURN_PROPERTY_VALUE('a string', name, 'format', result.format);
    }
    if (result.source != null && !isSource(result.source)) {
      throw new codes.ERR_INVALID_RETURN_PROPERTY_VALUE('a string, an ArrayBuffer, or a TypedArray', name, 'source', result.source);
    }
  }
  return result;
}

// Runs the `step` ('resolve' or 'load') chain on `input` (a specifier or URL). `useAsync`
// false leaves out register()'s hooks. The result is a promise when an async hook ran.
function run(step, input, context, last, useAsync) {
  const entries = chain.filter((entry) => typeof entry[step] === 'function' && (useAsync || !entry.async));
  const callFrom = (index, value, ctx) => {
    if (index < 0) return last(value, ctx);
    const entry = entries[index];
    let calledNext = false;
    const next = (nextValue, nextContext) => {
      calledNext = true;
      const merged = nextContext !== null && typeof nextContext === 'object' ? { ...ctx, ...nextContext } : ctx;
      return callFrom(index - 1, nextValue, merged);
    };
    return after(entry[step](value, ctx, next), (result) => checkResult(step, entry, result, calledNext));
  };
  return callFrom(entries.length - 1, input, context);
}

module.exports = { ModuleHooks, registerHooks, addAsyncHooks, active, hasAsync, after, isThenable, run };
