'use strict';
// node:timers/promises — setTimeout/setImmediate as promises, setInterval as an async
// iterator, and the scheduler object. An abort rejects with an AbortError whose cause is
// the signal's reason; `ref: false` lets the process exit while waiting.

const timers = require('internal/timers');
const { codes, validators, AbortError } = require('internal/errors');
const { isAbortSignal } = require('internal/abort_controller');

function validateOptions(options) {
  validators.validateObject(options, 'options');
  if (options.signal !== undefined && !isAbortSignal(options.signal)) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.signal', 'AbortSignal', options.signal);
  }
  if (options.ref !== undefined) validators.validateBoolean(options.ref, 'options.ref');
}

function abortError(signal) {
  return new AbortError(undefined, { cause: signal.reason });
}

// Waits for a timer made by `start(resolve)`; `clear` cancels it when the signal aborts.
function waitFor(options, start, clear) {
  const { signal, ref = true } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  let onAbort;
  const promise = new Promise((resolve, reject) => {
    const timer = start(resolve);
    if (!ref) timer.unref();
    if (signal !== undefined) {
      onAbort = () => {
        clear(timer);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  if (onAbort === undefined) return promise;
  return promise.finally(() => signal.removeEventListener('abort', onAbort));
}

function setTimeout(after, value, options = Object.create(null)) {
  try {
    if (after !== undefined) validators.validateNumber(after, 'delay');
    validateOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  return waitFor(options, (resolve) => timers.setTimeout(resolve, after, value), timers.clearTimeout);
}

function setImmediate(value, options = Object.create(null)) {
  try {
    validateOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  return waitFor(options, (resolve) => timers.setImmediate(resolve, value), timers.clearImmediate);
}

async function* setInterval(after, value, options = Object.create(null)) {
  validateOptions(options);
  const { signal, ref = true } = options;
  if (signal?.aborted) throw abortError(signal);
  let interval;
  let onAbort;
  // Ticks not yet handed out, and the wakeup of a reader waiting for one.
  let pending = 0;
  let wake;
  try {
    interval = timers.setInterval(() => {
      pending++;
      wake?.();
      wake = undefined;
    }, after);
    if (!ref) interval.unref();
    if (signal !== undefined) {
      onAbort = () => {
        timers.clearInterval(interval);
        wake?.();
        wake = undefined;
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    while (!signal?.aborted) {
      if (pending === 0) {
        await new Promise((resolve) => {
          wake = resolve;
        });
        if (signal?.aborted) break;
      }
      for (; pending > 0; pending--) yield value;
    }
    throw abortError(signal);
  } finally {
    timers.clearInterval(interval);
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

const kScheduler = Symbol('kScheduler');

class Scheduler {
  constructor() {
    throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
  }

  yield() {
    if (!this[kScheduler]) throw new codes.ERR_INVALID_THIS('Scheduler');
    return setImmediate();
  }

  wait(delay, options) {
    if (!this[kScheduler]) throw new codes.ERR_INVALID_THIS('Scheduler');
    return setTimeout(delay, undefined, options);
  }
}

const scheduler = Object.create(Scheduler.prototype, {
  [kScheduler]: { value: true, enumerable: true },
});

module.exports = { setTimeout, setImmediate, setInterval, scheduler };
