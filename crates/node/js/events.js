'use strict';
// node:events — EventEmitter with Node's listener bookkeeping, warnings and error rules.

const codes = require('internal/lazy_codes');

const kCapture = Symbol('kCapture');
const kShapeMode = Symbol('shapeMode');
const kRejection = Symbol.for('nodejs.rejection');
const kErrorMonitor = Symbol('events.errorMonitor');
let defaultMaxListeners = 10;

// Loaded on first use: process (an EventEmitter) loads this module at startup.
function validators() {
  return require('internal/errors').validators;
}

function eventTarget() {
  return require('internal/event_target');
}

function checkListener(listener) {
  if (typeof listener !== 'function') {
    throw new codes.ERR_INVALID_ARG_TYPE('listener', 'Function', listener);
  }
}

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}

EventEmitter.prototype._events = undefined;
// Listener maps are made with Object.create(null): JSC builds a `{ __proto__: null }`
// literal through a slow path, several times slower.
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;

EventEmitter.init = function init(opts) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
    this[kShapeMode] = false;
  } else {
    this[kShapeMode] = true;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts?.captureRejections) {
    validators().validateBoolean(opts.captureRejections, 'options.captureRejections');
    this[kCapture] = true;
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

EventEmitter.prototype[kCapture] = false;

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  validators().validateNumber(n, 'setMaxListeners', 0);
  this._maxListeners = n;
  return this;
};

function maxListenersOf(emitter) {
  return emitter._maxListeners === undefined ? defaultMaxListeners : emitter._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return maxListenersOf(this);
};

// Promise-returning listeners of captureRejections emitters route rejections to 'error'.
function watchRejection(emitter, result, type, args) {
  if (result === undefined || result === null || typeof result.then !== 'function') return;
  result.then(undefined, (err) => {
    process.nextTick(() => {
      if (typeof emitter[kRejection] === 'function') {
        emitter[kRejection](err, type, ...args);
      } else {
        const prev = emitter[kCapture];
        try {
          emitter[kCapture] = false;
          emitter.emit('error', err);
        } finally {
          emitter[kCapture] = prev;
        }
      }
    });
  });
}

// How Node reports an 'error' event nobody listens to when it is fatal: its own banner,
// and after the error's stack, where the event was emitted.
const kUnhandledErrorSite = "node:events:487\n      throw er; // Unhandled 'error' event\n      ^\n";
const kUnhandledValueSite = "node:events:500\n    throw err; // Unhandled 'error' event\n    ^\n";

function throwUnhandledError(emitter, args) {
  const { kThrowSite, kEnhanceStack } = require('internal/stack_trace');
  const er = args.length > 0 ? args[0] : undefined;
  if (er instanceof Error) {
    try {
      // emitSlow, not emit: emit's call to it is a tail call, which JSC runs in emit's frame.
      const emitSite = {};
      Error.captureStackTrace(emitSite, emitSlow);
      const name = emitter.constructor?.name;
      const on = typeof name === 'string' && name !== 'EventEmitter' ? ` on ${name} instance` : '';
      const enhance = (stack) => `${stack}\nEmitted 'error' event${on} at:\n${emitSite.stack.split('\n').slice(1).join('\n')}`;
      Object.defineProperty(er, kEnhanceStack, { value: enhance, configurable: true });
      Object.defineProperty(er, kThrowSite, { value: kUnhandledErrorSite, configurable: true });
    } catch {
      // A frozen error is thrown as it is.
    }
    throw er;
  }
  let stringified;
  try {
    stringified = require('internal/util/inspect').inspect(er);
  } catch {
    stringified = er;
  }
  const err = new codes.ERR_UNHANDLED_ERROR(stringified);
  err.context = er;
  Error.captureStackTrace(err, emitSlow);
  Object.defineProperty(err, kThrowSite, { value: kUnhandledValueSite, configurable: true });
  throw err;
}

EventEmitter.prototype.emit = function emit(type, a, b) {
  // The common case, one plain listener and up to two arguments, without the rest array
  // and Reflect.apply: JSC makes those several times slower than a direct call.
  const events = this._events;
  if (type !== 'error') {
    if (events === undefined) return false;
    const handler = events[type];
    // Streams and http emit many events nobody listens to.
    if (handler === undefined) return false;
    if (typeof handler === 'function' && arguments.length <= 3 && this[kCapture] !== true) {
      if (arguments.length === 1) handler.call(this);
      else if (arguments.length === 2) handler.call(this, a);
      else handler.call(this, a, b);
      return true;
    }
  }
  return emitSlow.apply(this, arguments);
};

function emitSlow(type, ...args) {
  const events = this._events;
  if (type === 'error') {
    if (events !== undefined && events[kErrorMonitor] !== undefined) this.emit(kErrorMonitor, ...args);
    if (events === undefined || events.error === undefined) throwUnhandledError(this, args);
  } else if (events === undefined) {
    return false;
  }
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    const result = Reflect.apply(handler, this, args);
    if (this[kCapture]) watchRejection(this, result, type, args);
  } else {
    // Copy so listeners added or removed while emitting don't affect this emit.
    const listeners = handler.slice();
    for (let i = 0; i < listeners.length; i++) {
      const result = Reflect.apply(listeners[i], this, args);
      if (this[kCapture]) watchRejection(this, result, type, args);
    }
  }
  return true;
}

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit('newListener', type, listener.listener ?? listener);
    events = target._events;
  }
  const existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    target._eventsCount++;
    return target;
  }
  let list;
  if (typeof existing === 'function') {
    list = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else {
    list = existing;
    if (prepend) list.unshift(listener);
    else list.push(listener);
  }
  const max = maxListenersOf(target);
  if (max > 0 && list.length > max && !list.warned) {
    list.warned = true;
    const w = new Error(
      `Possible EventEmitter memory leak detected. ${list.length} ${String(type)} listeners added to ` +
        `${require('internal/util/inspect').inspect(target, { depth: -1 })}. ` +
        'MaxListeners is ' + max + '. Use emitter.setMaxListeners() to increase limit',
    );
    w.name = 'MaxListenersExceededWarning';
    w.emitter = target;
    w.type = type;
    w.count = list.length;
    process.emitWarning(w);
  }
  return target;
}

EventEmitter.prototype.addListener = function addListenerMethod(type, listener) {
  return addListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true);
};

function onceWrapper(...args) {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return Reflect.apply(this.listener, this.target, args);
  }
}

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = onceWrapper.bind(state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    this._eventsCount--;
    if (this._eventsCount === 0) this._events = Object.create(null);
    else delete events[type];
    if (events.removeListener !== undefined) this.emit('removeListener', type, list.listener || listener);
  } else if (typeof list !== 'function') {
    let position = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        position = i;
        break;
      }
    }
    if (position < 0) return this;
    list.splice(position, 1);
    if (list.length === 1) events[type] = list[0];
    // Unlike for a lone listener, Node announces the function it was given here.
    if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
  }
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
    }
    return this;
  }
  // With 'removeListener' listeners, remove one by one so each removal is announced.
  if (arguments.length === 0) {
    for (const key of Reflect.ownKeys(events)) {
      if (key !== 'removeListener') this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = Object.create(null);
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const list = events[type];
  if (list === undefined) return [];
  if (typeof list === 'function') return unwrap ? [list.listener || list] : [list];
  return unwrap ? list.map((l) => l.listener || l) : list.slice();
}

EventEmitter.prototype.listeners = function listeners(type) {
  return listenersOf(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return listenersOf(this, type, false);
};

function listenerCount(type, listener) {
  const events = this._events;
  if (events === undefined) return 0;
  const list = events[type];
  if (list === undefined) return 0;
  if (typeof list === 'function') {
    return listener == null || list === listener || list.listener === listener ? 1 : 0;
  }
  if (listener == null) return list.length;
  return list.filter((l) => l === listener || l.listener === listener).length;
}

EventEmitter.prototype.listenerCount = listenerCount;

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

// ---- helpers shared by once() and on() for EventEmitters and EventTargets ----

function addListenerTo(emitter, name, listener, once) {
  if (typeof emitter.on === 'function') {
    if (once) emitter.once(name, listener);
    else emitter.on(name, listener);
  } else if (typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(name, listener, { once, [eventTarget().kResistStopPropagation]: true });
  } else {
    throw new codes.ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter);
  }
}

function removeListenerFrom(emitter, name, listener) {
  if (typeof emitter.removeListener === 'function') emitter.removeListener(name, listener);
  else if (typeof emitter.removeEventListener === 'function') emitter.removeEventListener(name, listener);
}

function validateAbortSignal(signal, name) {
  if (signal === undefined) return;
  const { isAbortSignal } = require('internal/abort_controller');
  if (!isAbortSignal(signal)) throw new codes.ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
}

function abortError(signal) {
  const { AbortError } = require('internal/errors');
  return new AbortError(undefined, { cause: signal.reason });
}

// ---- events.once ----

async function once(emitter, name, options = Object.create(null)) {
  validators().validateObject(options, 'options');
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw abortError(signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      removeListenerFrom(emitter, name, resolver);
      removeListenerFrom(emitter, 'error', onError);
      reject(abortError(signal));
    };
    const onError = (err) => {
      removeListenerFrom(emitter, name, resolver);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    };
    const resolver = (...args) => {
      if (typeof emitter.removeListener === 'function') emitter.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      resolve(args);
    };
    addListenerTo(emitter, name, resolver, true);
    if (name !== 'error' && typeof emitter.once === 'function') emitter.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true, [eventTarget().kResistStopPropagation]: true });
  });
}

// ---- events.on ----

// An async iterator over the emitter's `event`s, each value the array of the event's
// arguments. Events wait in a queue until read; past `highWaterMark` queued events the
// emitter is paused, below `lowWaterMark` resumed. An 'error' event (or an abort) ends it
// with that error; any of the `close` events ends it normally.
function on(emitter, event, options = Object.create(null)) {
  validators().validateObject(options, 'options');
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw abortError(signal);
  const highWaterMark = options.highWaterMark ?? options.highWatermark ?? Number.MAX_SAFE_INTEGER;
  validators().validateInteger(highWaterMark, 'options.highWaterMark', 1);
  const lowWaterMark = options.lowWaterMark ?? options.lowWatermark ?? 1;
  validators().validateInteger(lowWaterMark, 'options.lowWaterMark', 1);

  const queuedEvents = [];
  const waitingReads = [];
  const registered = [];
  let paused = false;
  let pendingError = null;
  let finished = false;
  let abortDisposable = null;

  const result = (value, done) => ({ value, done });
  const listen = (name, listener) => {
    addListenerTo(emitter, name, listener, false);
    registered.push([name, listener]);
  };

  function onEvent(...args) {
    if (waitingReads.length > 0) {
      waitingReads.shift().resolve(result(args, false));
      return;
    }
    queuedEvents.push(args);
    if (!paused && queuedEvents.length > highWaterMark) {
      paused = true;
      emitter.pause();
    }
  }

  function onError(err) {
    if (waitingReads.length > 0) waitingReads.shift().reject(err);
    else pendingError = err;
    close();
  }

  function close() {
    abortDisposable?.[Symbol.dispose]();
    for (const [name, listener] of registered) removeListenerFrom(emitter, name, listener);
    registered.length = 0;
    finished = true;
    const done = result(undefined, true);
    while (waitingReads.length > 0) waitingReads.shift().resolve(done);
    return Promise.resolve(done);
  }

  const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
  const iterator = Object.setPrototypeOf({
    next() {
      if (queuedEvents.length > 0) {
        const value = queuedEvents.shift();
        if (paused && queuedEvents.length < lowWaterMark) {
          emitter.resume();
          paused = false;
        }
        return Promise.resolve(result(value, false));
      }
      if (pendingError !== null) {
        const err = pendingError;
        pendingError = null;
        return Promise.reject(err);
      }
      if (finished) return close();
      return new Promise((resolve, reject) => waitingReads.push({ resolve, reject }));
    },
    return() {
      return close();
    },
    throw(err) {
      if (!err || !(err instanceof Error)) {
        throw new codes.ERR_INVALID_ARG_TYPE('EventEmitter.AsyncIterator', 'Error', err);
      }
      onError(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  }, AsyncIteratorPrototype);

  listen(event, onEvent);
  if (event !== 'error' && typeof emitter.on === 'function') listen('error', onError);
  const closeEvents = options.close;
  if (closeEvents?.length) {
    for (let i = 0; i < closeEvents.length; i++) listen(closeEvents[i], close);
  }
  if (signal !== undefined) abortDisposable = addAbortListener(signal, () => onError(abortError(signal)));
  return iterator;
}

// ---- EventTarget-aware statics ----

function isEventTargetLike(value) {
  return value !== null && typeof value === 'object' && eventTarget().isEventTarget(value);
}

function getEventListeners(emitterOrTarget, type) {
  if (typeof emitterOrTarget?.listeners === 'function') return emitterOrTarget.listeners(type);
  if (isEventTargetLike(emitterOrTarget)) return eventTarget().getEventListeners(emitterOrTarget, type);
  throw new codes.ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

function getMaxListeners(emitterOrTarget) {
  if (typeof emitterOrTarget?.getMaxListeners === 'function') return emitterOrTarget.getMaxListeners();
  if (isEventTargetLike(emitterOrTarget)) return emitterOrTarget[eventTarget().kMaxEventTargetListeners];
  throw new codes.ERR_INVALID_ARG_TYPE('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
}

function setMaxListeners(n = defaultMaxListeners, ...eventTargets) {
  validators().validateNumber(n, 'setMaxListeners', 0);
  if (eventTargets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  for (const target of eventTargets) {
    if (isEventTargetLike(target)) {
      eventTarget().setMaxListenersOf(target, n);
    } else if (typeof target?.setMaxListeners === 'function') {
      target.setMaxListeners(n);
    } else {
      throw new codes.ERR_INVALID_ARG_TYPE('eventTargets', ['EventEmitter', 'EventTarget'], target);
    }
  }
}

// Runs `listener` once when `signal` aborts (on a microtask if it already has); the result
// removes it when disposed.
function addAbortListener(signal, listener) {
  if (signal === undefined) throw new codes.ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
  validateAbortSignal(signal, 'signal');
  validators().validateFunction(listener, 'listener');
  let remove;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, { once: true, [eventTarget().kResistStopPropagation]: true });
    remove = () => signal.removeEventListener('abort', listener);
  }
  return {
    __proto__: null,
    [Symbol.dispose]() {
      remove?.();
    },
  };
}

// ---- exports, in Node's key order ----

module.exports = EventEmitter;
EventEmitter.addAbortListener = addAbortListener;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.getMaxListeners = getMaxListeners;
EventEmitter.listenerCount = function listenerCountOf(emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return listenerCount.call(emitter, type);
};
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
Object.defineProperty(EventEmitter, 'captureRejections', {
  enumerable: true,
  get() {
    return EventEmitter.prototype[kCapture];
  },
  set(value) {
    if (typeof value !== 'boolean') throw new codes.ERR_INVALID_ARG_TYPE('EventEmitter.captureRejections', 'boolean', value);
    EventEmitter.prototype[kCapture] = value;
  },
});
Object.defineProperty(EventEmitter, 'EventEmitterAsyncResource', {
  enumerable: true,
  configurable: true,
  get() {
    return require('async_hooks').EventEmitterAsyncResource;
  },
});
EventEmitter.errorMonitor = kErrorMonitor;
Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get() {
    return defaultMaxListeners;
  },
  set(n) {
    validators().validateNumber(n, 'defaultMaxListeners', 0);
    defaultMaxListeners = n;
  },
});
Object.defineProperty(EventEmitter, 'kMaxEventTargetListeners', {
  enumerable: false,
  configurable: false,
  get() {
    return eventTarget().kMaxEventTargetListeners;
  },
});
Object.defineProperty(EventEmitter, 'kMaxEventTargetListenersWarned', {
  enumerable: false,
  configurable: false,
  get() {
    return eventTarget().kMaxEventTargetListenersWarned;
  },
});
EventEmitter.setMaxListeners = setMaxListeners;
// EventEmitter.init was defined with the constructor; keep it last like Node.
{
  const init = EventEmitter.init;
  delete EventEmitter.init;
  EventEmitter.init = init;
}
