'use strict';
// node:async_hooks — AsyncLocalStorage and AsyncResource over internal/util/async_context.
// Stores follow synchronous calls, `await`, promise reactions, timers, ticks, thread-pool
// callbacks and explicitly bound functions (AsyncResource, AsyncLocalStorage.bind/snapshot).
// There are no async ids or hook callbacks on this engine: createHook() returns a hook
// whose enable/disable do nothing, and ids are fixed.

const { codes, validators } = require('internal/errors');
const {
  getContext,
  setContext,
  runInContext,
  contextWith,
  trackContext,
} = require('internal/util/async_context');
const EventEmitter = require('events');

let nextAsyncId = 2;

function executionAsyncId() {
  return 1;
}

function triggerAsyncId() {
  return 0;
}

const topLevelResource = {};
function executionAsyncResource() {
  return topLevelResource;
}

// ---- AsyncResource ----

class AsyncResource {
  #context;
  #asyncId;
  #triggerAsyncId;

  constructor(type, options = Object.create(null)) {
    validators.validateString(type, 'type');
    let trigger = options;
    if (typeof options !== 'number') {
      trigger = options.triggerAsyncId === undefined ? triggerAsyncId() : options.triggerAsyncId;
    }
    if (!Number.isSafeInteger(trigger) || trigger < -1) {
      throw new codes.ERR_INVALID_ASYNC_ID('triggerAsyncId', trigger);
    }
    this.#context = getContext();
    this.#asyncId = nextAsyncId++;
    this.#triggerAsyncId = trigger;
  }

  runInAsyncScope(fn, thisArg, ...args) {
    return runInContext(this.#context, fn, thisArg, args);
  }

  emitDestroy() {
    return this;
  }

  asyncId() {
    return this.#asyncId;
  }

  triggerAsyncId() {
    return this.#triggerAsyncId;
  }

  bind(fn, thisArg) {
    validators.validateFunction(fn, 'fn');
    const resource = this;
    const bound = thisArg === undefined ?
      function (...args) {
        return resource.runInAsyncScope(fn, this, ...args);
      } :
      (...args) => resource.runInAsyncScope(fn, thisArg, ...args);
    Object.defineProperties(bound, {
      length: { value: fn.length, writable: false, enumerable: false, configurable: true },
      asyncResource: { value: this, writable: true, enumerable: true, configurable: true },
    });
    return bound;
  }

  static bind(fn, type, thisArg) {
    type = type || fn.name || 'bound-anonymous-fn';
    return new AsyncResource(type).bind(fn, thisArg);
  }
}

// ---- AsyncLocalStorage ----

class AsyncLocalStorage {
  #defaultValue;
  #name;
  #enabled = true;

  constructor(options = Object.create(null)) {
    validators.validateObject(options, 'options');
    this.#defaultValue = options.defaultValue;
    if (options.name !== undefined) this.#name = `${options.name}`;
    trackContext();
  }

  get name() {
    return this.#name ?? '';
  }

  static bind(fn) {
    validators.validateFunction(fn, 'fn');
    const context = getContext();
    return function (...args) {
      return runInContext(context, fn, this, args);
    };
  }

  static snapshot() {
    const context = getContext();
    return function runInAsyncScope(fn, ...args) {
      return runInContext(context, fn, this, args);
    };
  }

  disable() {
    this.#enabled = false;
  }

  getStore() {
    if (!this.#enabled) return undefined;
    const context = getContext();
    return context.has(this) ? context.get(this) : this.#defaultValue;
  }

  enterWith(store) {
    this.#enabled = true;
    setContext(contextWith(this, store));
  }

  run(store, callback, ...args) {
    this.#enabled = true;
    return runInContext(contextWith(this, store), callback, undefined, args);
  }

  exit(callback, ...args) {
    return runInContext(contextWith(this, undefined), callback, undefined, args);
  }
}

// ---- createHook ----

class AsyncHook {
  constructor(callbacks) {
    validators.validateObject(callbacks, 'callbacks');
    for (const name of ['init', 'before', 'after', 'destroy', 'promiseResolve']) {
      if (callbacks[name] !== undefined && typeof callbacks[name] !== 'function') {
        throw new codes.ERR_ASYNC_CALLBACK(`hook.${name}`);
      }
    }
  }

  enable() {
    return this;
  }

  disable() {
    return this;
  }
}

function createHook(callbacks) {
  return new AsyncHook(callbacks);
}

const asyncWrapProviders = Object.freeze({
  __proto__: null,
  ...Object.fromEntries([
    'NONE', 'DIRHANDLE', 'DNSCHANNEL', 'ELDHISTOGRAM', 'FILEHANDLE', 'FILEHANDLECLOSEREQ', 'BLOBREADER',
    'FSEVENTWRAP', 'FSREQCALLBACK', 'FSREQPROMISE', 'GETADDRINFOREQWRAP', 'GETNAMEINFOREQWRAP', 'HEAPSNAPSHOT',
    'HTTP2SESSION', 'HTTP2STREAM', 'HTTP2PING', 'HTTP2SETTINGS', 'HTTPINCOMINGMESSAGE', 'HTTPCLIENTREQUEST',
    'LOCKS', 'JSSTREAM', 'JSUDPWRAP', 'MESSAGEPORT', 'PIPECONNECTWRAP', 'PIPESERVERWRAP', 'PIPEWRAP',
    'PROCESSWRAP', 'PROMISE', 'QUERYWRAP', 'QUIC_ENDPOINT', 'QUIC_LOGSTREAM', 'QUIC_SESSION', 'QUIC_STREAM',
    'QUIC_UDP', 'SHUTDOWNWRAP', 'SIGNALWRAP', 'STATWATCHER', 'STREAMPIPE', 'TCPCONNECTWRAP', 'TCPSERVERWRAP',
    'TCPWRAP', 'TTYWRAP', 'UDPSENDWRAP', 'UDPWRAP', 'SIGINTWATCHDOG', 'WORKER', 'WORKERCPUPROFILE',
    'WORKERCPUUSAGE', 'WORKERHEAPPROFILE', 'WORKERHEAPSNAPSHOT', 'WORKERHEAPSTATISTICS', 'WRITEWRAP', 'ZLIB',
    'CHECKPRIMEREQUEST', 'PBKDF2REQUEST', 'KEYPAIRGENREQUEST', 'KEYGENREQUEST', 'KEYEXPORTREQUEST',
    'ARGON2REQUEST', 'CIPHERREQUEST', 'DERIVEBITSREQUEST', 'HASHREQUEST', 'RANDOMBYTESREQUEST',
    'RANDOMPRIMEREQUEST', 'SCRYPTREQUEST', 'SIGNREQUEST', 'TLSWRAP', 'VERIFYREQUEST',
  ].map((name, i) => [name, i])),
});

// ---- EventEmitterAsyncResource (exported by node:events) ----

class EventEmitterReferencingAsyncResource extends AsyncResource {
  #eventEmitter;

  constructor(eventEmitter, type, options) {
    super(type, options);
    this.#eventEmitter = eventEmitter;
  }

  get eventEmitter() {
    return this.#eventEmitter;
  }
}

// An EventEmitter whose listeners run in the async context it was created in.
class EventEmitterAsyncResource extends EventEmitter {
  #asyncResource;

  constructor(options = undefined) {
    let name;
    if (typeof options === 'string') {
      name = options;
      options = undefined;
    } else {
      if (new.target === EventEmitterAsyncResource) validators.validateString(options?.name, 'options.name');
      name = options?.name || new.target.name;
    }
    super(options);
    this.#asyncResource = new EventEmitterReferencingAsyncResource(this, name, options);
  }

  emit(event, ...args) {
    return this.#asyncResource.runInAsyncScope(super.emit, this, event, ...args);
  }

  emitDestroy() {
    this.#asyncResource.emitDestroy();
  }

  get asyncId() {
    return this.#asyncResource.asyncId();
  }

  get triggerAsyncId() {
    return this.#asyncResource.triggerAsyncId();
  }

  get asyncResource() {
    return this.#asyncResource;
  }
}

module.exports = {
  AsyncLocalStorage,
  createHook,
  executionAsyncId,
  triggerAsyncId,
  executionAsyncResource,
  asyncWrapProviders,
  AsyncResource,
  EventEmitterAsyncResource,
};
// Reached through node:events, like Node; not a key of node:async_hooks.
Object.defineProperty(module.exports, 'EventEmitterAsyncResource', { enumerable: false });
