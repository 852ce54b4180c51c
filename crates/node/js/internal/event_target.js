'use strict';
// EventTarget, Event and CustomEvent as Node implements them: a target has no parents, so
// every event is dispatched at its target. Listeners of a type live in a linked list in
// registration order; one added during a dispatch runs in that dispatch, one removed is
// skipped. A listener's exception (or rejected promise) becomes an uncaught exception on the
// next tick, after the dispatch has finished. NodeEventTarget adds EventEmitter-like methods.

const { codes, validators } = require('internal/errors');
const { inspect } = require('internal/util/inspect');

const kIsEventTarget = Symbol.for('nodejs.event_target');
// Per-target maximum before MaxListenersExceededWarning; read by events.getMaxListeners.
const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
// Options used by Node's own listeners (abort signals): keep firing after
// stopImmediatePropagation, and make the event trusted.
const kResistStopPropagation = Symbol('kResistStopPropagation');
const kTrustEvent = Symbol('kTrustEvent');

const trustedEvents = new WeakSet();

let performance;
function now() {
  performance ??= require('perf_hooks').performance;
  return performance.now();
}

function inspectOptions(options) {
  return { ...options, depth: Number.isInteger(options.depth) ? options.depth - 1 : options.depth };
}

// ---- Event ----

class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #timeStamp;
  #defaultPrevented = false;
  #propagationStopped = false;
  #immediateStopped = false;
  #target = null;
  #currentTarget = null;
  #phase = 0;
  #dispatching = false;
  #inPassiveListener = false;

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('type');
    if (options !== null && options !== undefined) {
      validators.validateObject(options, 'options', validators.kValidateObjectAllowArray |
        validators.kValidateObjectAllowFunction);
    }
    this.#type = `${type}`;
    this.#bubbles = Boolean(options?.bubbles);
    this.#cancelable = Boolean(options?.cancelable);
    this.#composed = Boolean(options?.composed);
    if (options?.[kTrustEvent]) trustedEvents.add(this);
    this.#timeStamp = now();
  }

  static isEvent(value) {
    return value !== null && typeof value === 'object' && #type in value;
  }

  initEvent(type, bubbles = false, cancelable = false) {
    checkEvent(this);
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('type');
    if (this.#dispatching) return;
    this.#type = `${type}`;
    this.#bubbles = Boolean(bubbles);
    this.#cancelable = Boolean(cancelable);
  }

  stopImmediatePropagation() {
    checkEvent(this);
    this.#propagationStopped = true;
    this.#immediateStopped = true;
  }

  preventDefault() {
    checkEvent(this);
    if (this.#cancelable && !this.#inPassiveListener) this.#defaultPrevented = true;
  }

  get target() {
    checkEvent(this);
    return this.#target;
  }

  get currentTarget() {
    checkEvent(this);
    return this.#currentTarget;
  }

  get srcElement() {
    checkEvent(this);
    return this.#target;
  }

  get type() {
    checkEvent(this);
    return this.#type;
  }

  get cancelable() {
    checkEvent(this);
    return this.#cancelable;
  }

  get defaultPrevented() {
    checkEvent(this);
    return this.#cancelable && this.#defaultPrevented;
  }

  get timeStamp() {
    checkEvent(this);
    return this.#timeStamp;
  }

  composedPath() {
    checkEvent(this);
    return this.#dispatching ? [this.#currentTarget] : [];
  }

  get returnValue() {
    checkEvent(this);
    return !this.#cancelable || !this.#defaultPrevented;
  }

  set returnValue(value) {
    checkEvent(this);
    if (!value) this.preventDefault();
  }

  get bubbles() {
    checkEvent(this);
    return this.#bubbles;
  }

  get composed() {
    checkEvent(this);
    return this.#composed;
  }

  get eventPhase() {
    checkEvent(this);
    return this.#phase;
  }

  get cancelBubble() {
    checkEvent(this);
    return this.#propagationStopped;
  }

  set cancelBubble(value) {
    checkEvent(this);
    if (value) this.#propagationStopped = true;
  }

  stopPropagation() {
    checkEvent(this);
    this.#propagationStopped = true;
  }

  get isTrusted() {
    return trustedEvents.has(this);
  }

  [inspect.custom](depth, options) {
    const name = this.constructor.name;
    if (depth < 0) return name;
    const fields = {
      type: this.#type,
      defaultPrevented: this.#defaultPrevented,
      cancelable: this.#cancelable,
      timeStamp: this.#timeStamp,
    };
    return `${name} ${inspect(fields, inspectOptions(options))}`;
  }

  // Dispatch bookkeeping, for EventTarget only (static so it stays out of the prototype).
  static beginDispatch(event, target) {
    if (event.#dispatching) throw new codes.ERR_EVENT_RECURSION(event.#type);
    event.#dispatching = true;
    event.#target = target;
    event.#currentTarget = target;
    event.#phase = 2;
  }

  static endDispatch(event) {
    event.#dispatching = false;
    event.#currentTarget = null;
    event.#phase = 0;
  }

  static immediateStopped(event) {
    return event.#immediateStopped;
  }

  static setPassive(event, passive) {
    event.#inPassiveListener = passive;
  }
}

function checkEvent(value) {
  if (!isEvent(value)) throw new codes.ERR_INVALID_THIS('Event');
}

const eventDispatch = {
  begin: Event.beginDispatch,
  end: Event.endDispatch,
  immediateStopped: Event.immediateStopped,
  setPassive: Event.setPassive,
};
delete Event.beginDispatch;
delete Event.endDispatch;
delete Event.immediateStopped;
delete Event.setPassive;
const isEvent = Event.isEvent;
delete Event.isEvent;

for (const key of Object.getOwnPropertyNames(Event.prototype)) {
  if (key !== 'constructor') Object.defineProperty(Event.prototype, key, { enumerable: true });
}
Object.defineProperty(Event.prototype, Symbol.toStringTag, {
  value: 'Event',
  writable: false,
  enumerable: false,
  configurable: true,
});
['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE'].forEach((name, value) => {
  Object.defineProperty(Event, name, { value, writable: false, enumerable: true, configurable: false });
});

class CustomEvent extends Event {
  #detail;

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('type');
    super(type, options);
    this.#detail = options?.detail ?? null;
  }

  get detail() {
    if (!(#detail in this)) throw new codes.ERR_INVALID_THIS('CustomEvent');
    return this.#detail;
  }
}
Object.defineProperty(CustomEvent.prototype, 'detail', { enumerable: true });
Object.defineProperty(CustomEvent.prototype, Symbol.toStringTag, {
  value: 'CustomEvent',
  writable: false,
  enumerable: false,
  configurable: true,
});

// ---- listeners ----

// One registration in a type's list. `callback` is a function or a handleEvent object.
class Listener {
  constructor(callback, options) {
    this.callback = callback;
    this.once = options.once;
    this.capture = options.capture;
    this.passive = options.passive;
    this.resistStopPropagation = options.resistStopPropagation;
    this.removed = false;
    this.previous = null;
    this.next = null;
  }

  invoke(target, event) {
    const callback = this.callback;
    if (typeof callback === 'function') return Reflect.apply(callback, target, [event]);
    return Reflect.apply(callback.handleEvent, callback, [event]);
  }
}

// Rethrows after the current dispatch, as an uncaught exception.
function reportError(err) {
  process.nextTick(() => {
    throw err;
  });
}

function validateListener(listener) {
  if (typeof listener === 'function' || (listener !== null && typeof listener === 'object')) return true;
  if (listener === null || listener === undefined) return false;
  throw new codes.ERR_INVALID_ARG_TYPE('listener', 'EventListener', listener);
}

function listenerOptions(options) {
  if (typeof options === 'boolean') return { capture: options, once: false, passive: false };
  if (options === null || options === undefined) return { capture: false, once: false, passive: false };
  validators.validateObject(options, 'options', validators.kValidateObjectAllowArray |
    validators.kValidateObjectAllowFunction);
  const signal = options.signal;
  if (signal !== undefined) validateAbortSignal(signal, 'options.signal');
  return {
    capture: Boolean(options.capture),
    once: Boolean(options.once),
    passive: Boolean(options.passive),
    signal,
    resistStopPropagation: Boolean(options[kResistStopPropagation]),
  };
}

function validateAbortSignal(signal, name) {
  const { isAbortSignal } = require('internal/abort_controller');
  if (!isAbortSignal(signal)) throw new codes.ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
}

// Hidden per-target state that events.setMaxListeners and NodeEventTarget change.
function setMaxListenersOf(target, n) {
  Object.defineProperty(target, kMaxEventTargetListeners, { value: n, writable: true, configurable: true });
  Object.defineProperty(target, kMaxEventTargetListenersWarned, { value: false, writable: true, configurable: true });
}

// removeEventListener reads only a literal `capture: true` from an options object; a
// boolean argument counts as false (Node does it this way, unlike addEventListener).
function captureOf(options) {
  return options?.capture === true;
}

let defaultMaxListeners;
function maxListenersDefault() {
  defaultMaxListeners ??= require('events');
  return defaultMaxListeners.defaultMaxListeners;
}

class EventTarget {
  // type -> { head, tail, size }; lists stay when emptied, so that a running dispatch sees
  // listeners added after the list emptied.
  #listeners = new Map();

  constructor() {
    setMaxListenersOf(this, maxListenersDefault());
  }

  static isEventTarget(value) {
    return value !== null && typeof value === 'object' && #listeners in value;
  }

  addEventListener(type, listener, options = undefined) {
    if (!isEventTarget(this)) throw new codes.ERR_INVALID_THIS('EventTarget');
    if (arguments.length < 2) throw new codes.ERR_MISSING_ARGS('type', 'listener');
    const parsed = listenerOptions(options);
    if (!validateListener(listener)) {
      const warning = new Error(`addEventListener called with ${listener} which has no effect.`);
      warning.name = 'AddEventListenerArgumentTypeWarning';
      warning.target = this;
      warning.type = type;
      process.emitWarning(warning);
      return;
    }
    type = `${type}`;
    const signal = parsed.signal;
    if (signal !== undefined) {
      if (signal.aborted) return;
      signal.addEventListener('abort', () => this.removeEventListener(type, listener, options), {
        once: true,
        [kResistStopPropagation]: true,
      });
    }
    let list = this.#listeners.get(type);
    if (list === undefined) {
      list = { head: null, tail: null, size: 0 };
      this.#listeners.set(type, list);
    }
    for (let entry = list.head; entry !== null; entry = entry.next) {
      if (entry.callback === listener && entry.capture === parsed.capture) return;
    }
    const entry = new Listener(listener, parsed);
    entry.previous = list.tail;
    if (list.tail === null) list.head = entry;
    else list.tail.next = entry;
    list.tail = entry;
    list.size++;
    this.#warnIfTooMany(type, list.size);
  }

  #warnIfTooMany(type, size) {
    const max = this[kMaxEventTargetListeners];
    if (max > 0 && size > max && !this[kMaxEventTargetListenersWarned]) {
      this[kMaxEventTargetListenersWarned] = true;
      const warning = new Error(`Possible EventTarget memory leak detected. ${size} ${type} listeners added to ` +
        `${inspect(this, { depth: -1 })}. MaxListeners is ${max}. Use events.setMaxListeners() to increase limit`);
      warning.name = 'MaxListenersExceededWarning';
      warning.target = this;
      warning.type = type;
      warning.count = size;
      process.emitWarning(warning);
    }
  }

  removeEventListener(type, listener, options = undefined) {
    if (!isEventTarget(this)) throw new codes.ERR_INVALID_THIS('EventTarget');
    if (arguments.length < 2) throw new codes.ERR_MISSING_ARGS('type', 'listener');
    if (!validateListener(listener)) return;
    type = `${type}`;
    const capture = captureOf(options);
    const list = this.#listeners.get(type);
    if (list === undefined) return;
    for (let entry = list.head; entry !== null; entry = entry.next) {
      if (entry.callback === listener && entry.capture === capture) {
        unlink(list, entry);
        return;
      }
    }
  }

  dispatchEvent(event) {
    if (!isEventTarget(this)) throw new codes.ERR_INVALID_THIS('EventTarget');
    if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('event');
    if (!isEvent(event)) throw new codes.ERR_INVALID_ARG_TYPE('event', 'Event', event);
    eventDispatch.begin(event, this);
    try {
      this.#invokeListeners(event);
    } finally {
      eventDispatch.end(event);
    }
    return event.defaultPrevented !== true;
  }

  #invokeListeners(event) {
    const list = this.#listeners.get(event.type);
    if (list === undefined) return;
    // Listeners appended meanwhile are reached through `next`; removed ones are flagged.
    for (let entry = list.head; entry !== null; entry = entry.next) {
      if (entry.removed) continue;
      if (eventDispatch.immediateStopped(event) && !entry.resistStopPropagation) break;
      if (entry.once) unlink(list, entry);
      eventDispatch.setPassive(event, entry.passive);
      try {
        const result = entry.invoke(this, event);
        if (result !== undefined && result !== null && typeof result.then === 'function') {
          result.then(undefined, reportError);
        }
      } catch (err) {
        reportError(err);
      } finally {
        eventDispatch.setPassive(event, false);
      }
    }
  }

  // The registered callbacks of `type`, for events.getEventListeners.
  static listenersOf(target, type) {
    const list = target.#listeners.get(`${type}`);
    const result = [];
    for (let entry = list?.head ?? null; entry !== null; entry = entry.next) {
      if (!entry.removed) result.push(entry.callback);
    }
    return result;
  }

  static typesOf(target) {
    return [...target.#listeners.keys()].filter((type) => target.#listeners.get(type).size > 0);
  }

  static countOf(target, type) {
    return target.#listeners.get(`${type}`)?.size ?? 0;
  }

  [inspect.custom](depth, options) {
    const name = this.constructor.name;
    if (depth < 0) return name;
    return `${name} ${inspect({}, inspectOptions(options))}`;
  }
}

// Flags the entry (a running dispatch skips it) and takes it out of the list; its `next`
// stays so that a dispatch standing on it can go on.
function unlink(list, entry) {
  if (entry.removed) return;
  entry.removed = true;
  if (entry.previous === null) list.head = entry.next;
  else entry.previous.next = entry.next;
  if (entry.next === null) list.tail = entry.previous;
  else entry.next.previous = entry.previous;
  list.size--;
}

const isEventTarget = EventTarget.isEventTarget;
const listenersOf = EventTarget.listenersOf;
const typesOf = EventTarget.typesOf;
const countOf = EventTarget.countOf;
delete EventTarget.isEventTarget;
delete EventTarget.listenersOf;
delete EventTarget.typesOf;
delete EventTarget.countOf;

for (const key of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  Object.defineProperty(EventTarget.prototype, key, { enumerable: true });
}
Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, {
  value: 'EventTarget',
  writable: false,
  enumerable: false,
  configurable: true,
});
Object.defineProperty(EventTarget.prototype, kIsEventTarget, { value: true });

// `on<type>` attributes: the handler keeps the place of its first assignment among the
// listeners; a later assignment replaces the function there.
function defineEventHandler(target, type, name = `on${type}`) {
  const handlers = new WeakMap();
  Object.defineProperty(target, name, {
    get() {
      return handlers.get(this)?.handler ?? null;
    },
    set(value) {
      let record = handlers.get(this);
      if (record === undefined) {
        record = { handler: value };
        handlers.set(this, record);
        const listener = function (event) {
          if (typeof record.handler === 'function') return Reflect.apply(record.handler, this, [event]);
        };
        this.addEventListener(type, listener);
      }
      record.handler = value;
    },
    enumerable: true,
    configurable: true,
  });
}

// ---- NodeEventTarget ----

// An EventTarget that can also be used like an EventEmitter (on/off/once/emit). emit()
// hands its argument, not an Event, to the listeners added with on/once.
const emittedArgs = new WeakMap();

class NodeEventTarget extends EventTarget {
  #wrappers = new Map();

  #wrap(type, listener, once) {
    let byListener = this.#wrappers.get(type);
    if (byListener === undefined) {
      byListener = new Map();
      this.#wrappers.set(type, byListener);
    }
    let wrapper = byListener.get(listener);
    if (wrapper === undefined) {
      wrapper = (event) => {
        if (once) byListener.delete(listener);
        return Reflect.apply(listener, this, [emittedArgs.has(event) ? emittedArgs.get(event) : event]);
      };
      byListener.set(listener, wrapper);
    }
    return wrapper;
  }

  setMaxListeners(n) {
    validators.validateNumber(n, 'n', 0);
    setMaxListenersOf(this, n);
  }

  getMaxListeners() {
    return this[kMaxEventTargetListeners];
  }

  eventNames() {
    return typesOf(this);
  }

  listenerCount(type) {
    return countOf(this, type);
  }

  off(type, listener, options) {
    this.removeListener(type, listener, options);
    return this;
  }

  removeListener(type, listener, options) {
    const wrapper = this.#wrappers.get(`${type}`)?.get(listener);
    if (wrapper !== undefined) {
      this.#wrappers.get(`${type}`).delete(listener);
      this.removeEventListener(type, wrapper, options);
    }
    return this;
  }

  on(type, listener) {
    this.addEventListener(type, this.#wrap(`${type}`, listener, false));
    return this;
  }

  addListener(type, listener) {
    return this.on(type, listener);
  }

  emit(type, arg) {
    validators.validateString(type, 'type');
    const hadListeners = this.listenerCount(type) > 0;
    const event = new Event(type);
    emittedArgs.set(event, arg);
    this.dispatchEvent(event);
    return hadListeners;
  }

  once(type, listener) {
    this.addEventListener(type, this.#wrap(`${type}`, listener, true), { once: true });
    return this;
  }

  removeAllListeners(type) {
    const types = type === undefined ? this.eventNames() : [`${type}`];
    for (const name of types) {
      for (const callback of listenersOf(this, name)) this.removeEventListener(name, callback);
      this.#wrappers.delete(name);
    }
    return this;
  }
}

module.exports = {
  Event,
  CustomEvent,
  EventTarget,
  NodeEventTarget,
  defineEventHandler,
  isEventTarget,
  getEventListeners: listenersOf,
  kMaxEventTargetListeners,
  kMaxEventTargetListenersWarned,
  setMaxListenersOf,
  kResistStopPropagation,
  kTrustEvent,
};
