'use strict';
// process.nextTick, queueMicrotask and unhandled rejections, in Node's order: the loop
// (runtime::event_loop) runs processTicks after each macrotask, then lets the engine drain
// promise jobs, then hands over the rejections nobody handled.

const codes = require('internal/lazy_codes');
const asyncContext = require('internal/util/async_context');
const loopInfo = internalBinding('loop').info;
const TICK_COUNT = 5;

// [callback, args or undefined, context, ...] from `head` on. The loop only asks whether
// any are queued: TICK_COUNT is 1 while some are, 0 once processTicks has run them all.
const queue = [];
let head = 0;
const plainRunInContext = asyncContext.runInContext;

function nextTick(callback) {
  if (typeof callback !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
  if (process._exiting) return;
  // No rest parameter: most ticks have no argument or one, and an array per tick shows.
  let args;
  const count = arguments.length;
  if (count === 2) {
    args = [arguments[1]];
  } else if (count > 2) {
    args = new Array(count - 1);
    for (let i = 1; i < count; i++) args[i - 1] = arguments[i];
  }
  queue.push(callback, args, asyncContext.getContext());
  loopInfo[TICK_COUNT] = 1;
}

// Runs the queue dry, each callback in the context it was queued in. A callback that
// throws leaves the rest queued, and the loop calls this again after reporting it.
function processTicks() {
  asyncContext.clearLeftContext();
  const outer = asyncContext.getContext();
  // node:domain wraps runInContext to enter each callback's domain.
  const run = asyncContext.runInContext === plainRunInContext ? undefined : asyncContext.runInContext;
  try {
    while (head < queue.length) {
      const callback = queue[head];
      const args = queue[head + 1];
      const context = queue[head + 2];
      queue[head] = queue[head + 1] = queue[head + 2] = undefined;
      head += 3;
      asyncContext.setContext(context);
      if (run !== undefined) run(context, callback, undefined, args ?? []);
      else if (args === undefined) callback();
      else if (args.length === 1) callback(args[0]);
      else Reflect.apply(callback, undefined, args);
    }
  } finally {
    asyncContext.setContext(outer);
    if (head >= queue.length) {
      queue.length = 0;
      head = 0;
      loopInfo[TICK_COUNT] = 0;
    }
  }
}

const resolved = Promise.resolve();

function queueMicrotask(callback) {
  if (typeof callback !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('callback', 'function', callback);
  const context = asyncContext.getContext();
  resolved.then(() => {
    try {
      asyncContext.runInContext(context, callback, undefined, []);
    } catch (err) {
      require('internal/fatal_exception').onUncaughtException(err);
    }
  });
}

function isErrorLike(value) {
  return typeof value === 'object' && value !== null && typeof value.stack === 'string' && 'message' in value;
}

// How V8 names a value without running user code: primitives as strings, objects by class.
function noSideEffectsToString(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return typeof value === 'symbol' ? value.toString() : String(value);
  }
  if (typeof value === 'function') return Function.prototype.toString.call(value);
  const ctor = Object.getPrototypeOf(value)?.constructor;
  return `#<${typeof ctor === 'function' && ctor.name ? ctor.name : 'Object'}>`;
}

class UnhandledPromiseRejection extends Error {
  constructor(reason) {
    super(
      'This error originated either by throwing inside of an async function without a catch block, ' +
        'or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "' +
        noSideEffectsToString(reason) + '".',
    );
    this.code = 'ERR_UNHANDLED_REJECTION';
  }
}
Object.defineProperty(UnhandledPromiseRejection.prototype, 'name', { value: 'UnhandledPromiseRejection', configurable: true, writable: true });

// Node 24's default (--unhandled-rejections=throw): 'unhandledRejection' listeners, else an
// uncaught exception.
// Promises reported through 'unhandledRejection', for 'rejectionHandled'.
const reported = new WeakSet();

// `list` is [promise, reason, ...] still unhandled at the end of a macrotask; `handledLate`
// the promises that got a handler after an earlier report.
function processRejections(list, handledLate) {
  for (const promise of handledLate) {
    if (reported.delete(promise)) process.emit('rejectionHandled', promise);
  }
  for (let i = 0; i < list.length; i += 2) {
    const promise = list[i];
    const reason = list[i + 1];
    require('internal/stack_trace').adoptV8Stack(reason);
    if (process.emit('unhandledRejection', reason, promise)) {
      reported.add(promise);
      continue;
    }
    const err = isErrorLike(reason) ? reason : new UnhandledPromiseRejection(reason);
    require('internal/fatal_exception').onUncaughtException(err, true);
  }
}

module.exports = { nextTick, processTicks, queueMicrotask, processRejections };
