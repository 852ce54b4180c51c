'use strict';
// node:domain (deprecated): groups callbacks so that errors thrown in them, or emitted as
// 'error' by EventEmitters created inside, go to the domain's 'error' event instead of
// crashing the process.
//
// Propagation: entering a domain records it in the async context, which timers,
// immediates, nextTick and queueMicrotask capture when scheduled; this module wraps the
// context runner so those callbacks run inside the domain (and stay inside it when they
// throw, so the uncaught-error path sees it). Promise continuations are not covered: the
// engine runs them without a hook. Loading this module also makes EventEmitters created
// inside a domain join it, as in Node.

const EventEmitter = require('events');
const asyncContext = require('internal/util/async_context');
const fatalException = require('internal/fatal_exception');
const codes = require('internal/lazy_codes');

// The async-context key under which the entered domain travels with callbacks.
const kDomain = Symbol('domain');

// Entered domains, innermost last.
const stack = [];

function setActive(domain) {
  exports.active = process.domain = domain;
  asyncContext.setContext(new Map(asyncContext.getContext()).set(kDomain, domain));
}

function defineDomain(target, domain) {
  Object.defineProperty(target, 'domain', { value: domain, writable: true, enumerable: false, configurable: true });
}

class Domain extends EventEmitter {
  constructor() {
    super();
    this.members = [];
  }

  enter() {
    stack.push(this);
    setActive(this);
  }

  // Leaves this domain and every domain entered after it.
  exit() {
    const index = stack.lastIndexOf(this);
    if (index === -1) return;
    stack.length = index;
    setActive(stack[stack.length - 1]);
  }

  run(fn, ...args) {
    this.enter();
    const result = Reflect.apply(fn, this, args);
    this.exit();
    return result;
  }

  add(emitter) {
    if (emitter.domain === this) return;
    if (emitter.domain) emitter.domain.remove(emitter);
    defineDomain(emitter, this);
    this.members.push(emitter);
  }

  remove(emitter) {
    emitter.domain = null;
    const index = this.members.indexOf(emitter);
    if (index !== -1) this.members.splice(index, 1);
  }

  bind(callback) {
    const domain = this;
    function runBound(...args) {
      domain.enter();
      const result = Reflect.apply(callback, this, args);
      domain.exit();
      return result;
    }
    defineDomain(runBound, this);
    return runBound;
  }

  // A node-style callback whose error argument goes to the domain's 'error' event.
  intercept(callback) {
    const domain = this;
    function runIntercepted(err, ...args) {
      if (err) {
        if (typeof err === 'object' || typeof err === 'function') {
          err.domainBound = callback;
          err.domainThrown = false;
          defineDomain(err, domain);
        }
        domain.emit('error', err);
        return undefined;
      }
      domain.enter();
      const result = Reflect.apply(callback, this, args);
      domain.exit();
      return result;
    }
    defineDomain(runIntercepted, this);
    return runIntercepted;
  }
}

function clearStack() {
  stack.length = 0;
  exports.active = process.domain = null;
}

// The uncaught-error handler: the active domain takes an error thrown inside it when some
// entered domain listens for 'error'. A handler that throws passes its error on to the
// enclosing domain, else it is fatal.
function captureUncaught(err) {
  const domain = exports.active;
  if (!domain || !stack.some((d) => d.listenerCount('error') > 0)) return false;
  if ((typeof err === 'object' && err !== null) || typeof err === 'function') {
    defineDomain(err, domain);
    err.domainThrown = true;
  }
  // The handler must not run inside the domain it handles.
  while (exports.active === domain) domain.exit();
  let caught;
  try {
    caught = domain.emit('error', err);
  } catch (handlerError) {
    if (stack.length > 0) return captureUncaught(handlerError);
    clearStack();
    throw handlerError;
  }
  clearStack();
  return caught;
}

// ---- hooks into timers/ticks (via the async context) and EventEmitter ----

const runInContext = asyncContext.runInContext;
function runInDomain(domain, fn, thisArg, args) {
  domain.enter();
  const result = Reflect.apply(fn, thisArg, args);
  domain.exit();
  return result;
}
asyncContext.runInContext = function runInDomainContext(context, fn, thisArg, args) {
  const domain = context.get(kDomain);
  if (domain === undefined) return runInContext(context, fn, thisArg, args);
  return runInContext(context, runInDomain, undefined, [domain, fn, thisArg, args]);
};

const init = EventEmitter.init;
EventEmitter.init = function (opts) {
  Reflect.apply(init, this, arguments);
  if (!(this instanceof Domain)) defineDomain(this, exports.active || null);
};
Object.defineProperty(EventEmitter.init, 'name', { value: 'init' });
EventEmitter.usingDomains = true;

const emit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function (type) {
  const domain = this.domain;
  if (domain === null || domain === undefined || this === process ||
      (type === 'error' && this.listenerCount('error') > 0)) {
    return Reflect.apply(emit, this, arguments);
  }
  if (type === 'error') {
    const err = arguments.length > 1 && arguments[1] ? arguments[1] : new codes.ERR_UNHANDLED_ERROR();
    if (typeof err === 'object') {
      err.domainEmitter = this;
      defineDomain(err, domain);
      err.domainThrown = false;
    }
    // The domain's handler runs outside the domain (and its duplicates on top).
    const savedStack = stack.slice();
    const savedActive = exports.active;
    while (stack.length > 0 && stack[stack.length - 1] === savedActive) stack.pop();
    setActive(stack[stack.length - 1] ?? null);
    try {
      domain.emit('error', err);
    } finally {
      stack.length = 0;
      stack.push(...savedStack);
      setActive(savedActive);
    }
    return false;
  }
  domain.enter();
  const result = Reflect.apply(emit, this, arguments);
  domain.exit();
  return result;
};
Object.defineProperty(EventEmitter.prototype.emit, 'name', { value: 'emit' });

fatalException.setUncaughtExceptionCapture(captureUncaught);

exports._stack = stack;
exports.Domain = Domain;
function create() {
  return new Domain();
}
exports.createDomain = create;
exports.create = create;
exports.active = null;
