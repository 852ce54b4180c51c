'use strict';
// AbortController and AbortSignal (with AbortSignal.abort/timeout/any). An aborted signal
// keeps its reason (a DOMException AbortError by default) and fires one trusted 'abort'.

const { codes, validators } = require('internal/errors');
const { inspect } = require('internal/util/inspect');
const {
  Event,
  EventTarget,
  defineEventHandler,
  setMaxListenersOf,
  kResistStopPropagation,
  kTrustEvent,
} = require('internal/event_target');
const { DOMException } = require('internal/dom_exception');

const kConstruct = Symbol('kConstruct');

function inspectOptions(options) {
  return { ...options, depth: Number.isInteger(options.depth) ? options.depth - 1 : options.depth };
}

function abortReason() {
  return new DOMException('This operation was aborted', 'AbortError');
}

function sequenceError(message) {
  const err = new TypeError(message);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;

  constructor(key = undefined) {
    if (key !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
    super();
    // A signal commonly has many listeners; Node does not warn about them.
    setMaxListenersOf(this, 0);
  }

  static isAbortSignal(value) {
    return value !== null && typeof value === 'object' && #aborted in value;
  }

  get aborted() {
    if (!isAbortSignal(this)) throw new codes.ERR_INVALID_THIS('AbortSignal');
    return this.#aborted;
  }

  get reason() {
    if (!isAbortSignal(this)) throw new codes.ERR_INVALID_THIS('AbortSignal');
    return this.#reason;
  }

  throwIfAborted() {
    if (!isAbortSignal(this)) throw new codes.ERR_INVALID_THIS('AbortSignal');
    if (this.#aborted) throw this.#reason;
  }

  static abort(reason = abortReason()) {
    const signal = new AbortSignal(kConstruct);
    signal.#aborted = true;
    signal.#reason = reason;
    return signal;
  }

  static timeout(delay) {
    validators.validateUint32(delay, 'delay', false);
    const signal = new AbortSignal(kConstruct);
    // The timer does not keep the process alive.
    require('internal/timers').setTimeout(() => {
      abortSignal(signal, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, delay).unref();
    return signal;
  }

  static any(signals) {
    if (signals === null || typeof signals !== 'object' || typeof signals[Symbol.iterator] !== 'function') {
      throw sequenceError('signals cannot be converted to sequence.');
    }
    const sources = [...signals];
    sources.forEach((source, i) => {
      if (!isAbortSignal(source)) throw sequenceError(`signals[${i}] is not of type AbortSignal.`);
    });
    const result = new AbortSignal(kConstruct);
    const aborted = sources.find((source) => source.#aborted);
    if (aborted !== undefined) {
      result.#aborted = true;
      result.#reason = aborted.#reason;
      return result;
    }
    for (const source of sources) {
      source.addEventListener('abort', () => abortSignal(result, source.#reason), {
        once: true,
        [kResistStopPropagation]: true,
      });
    }
    return result;
  }

  // Beyond the depth limit it prints as "[AbortSignal]", like an object with hidden state.
  [inspect.custom](depth, options) {
    if (depth < 0) return options.stylize(`[${this.constructor.name}]`, 'special');
    return `${this.constructor.name} ${inspect({ aborted: this.#aborted }, inspectOptions(options))}`;
  }

  static setAborted(signal, reason) {
    if (signal.#aborted) return false;
    signal.#aborted = true;
    signal.#reason = reason;
    return true;
  }
}

const isAbortSignal = AbortSignal.isAbortSignal;
const setAborted = AbortSignal.setAborted;
delete AbortSignal.isAbortSignal;
delete AbortSignal.setAborted;

defineEventHandler(AbortSignal.prototype, 'abort');
for (const key of ['aborted', 'reason', 'throwIfAborted']) {
  Object.defineProperty(AbortSignal.prototype, key, { enumerable: true });
}
Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, {
  value: 'AbortSignal',
  writable: false,
  enumerable: false,
  configurable: true,
});

function abortSignal(signal, reason) {
  if (!setAborted(signal, reason)) return;
  signal.dispatchEvent(new Event('abort', { [kTrustEvent]: true }));
}

class AbortController {
  #signal = new AbortSignal(kConstruct);

  get signal() {
    return this.#signal;
  }

  abort(reason = abortReason()) {
    abortSignal(this.#signal, reason);
  }

  [inspect.custom](depth, options) {
    if (depth < 0) return options.stylize(`[${this.constructor.name}]`, 'special');
    return `${this.constructor.name} ${inspect({ signal: this.#signal }, inspectOptions(options))}`;
  }
}

for (const key of ['signal', 'abort']) {
  Object.defineProperty(AbortController.prototype, key, { enumerable: true });
}
Object.defineProperty(AbortController.prototype, Symbol.toStringTag, {
  value: 'AbortController',
  writable: false,
  enumerable: false,
  configurable: true,
});

module.exports = { AbortController, AbortSignal, isAbortSignal };
