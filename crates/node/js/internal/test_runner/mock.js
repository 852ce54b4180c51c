'use strict';
// node:test's mocks: mock functions and methods (a Proxy that records its calls) and
// mock timers.

const { codes, validators } = require('internal/errors');
const { validateFunction, validateObject, validateInteger, validateArray, validateNumber } = validators;

const kNextImplementation = Symbol('nextImplementation');
const kRecord = Symbol('record');

class MockFunctionContext {
  #calls = [];
  #implementation;
  #onceImplementations = new Map();
  #times;
  #restore;

  constructor(implementation, restore, times) {
    this.#implementation = implementation;
    this.#restore = restore;
    this.#times = times;
  }

  get calls() {
    return this.#calls.slice();
  }

  callCount() {
    return this.#calls.length;
  }

  mockImplementation(implementation) {
    validateFunction(implementation, 'implementation');
    this.#implementation = implementation;
  }

  mockImplementationOnce(implementation, onCall) {
    validateFunction(implementation, 'implementation');
    const call = onCall ?? this.#calls.length;
    validateInteger(call, 'onCall', this.#calls.length);
    this.#onceImplementations.set(call, implementation);
  }

  restore() {
    this.#restore?.();
  }

  resetCalls() {
    this.#calls = [];
  }

  // The implementation for the next call; after `times` calls the original comes back.
  [kNextImplementation](original) {
    const call = this.#calls.length;
    const once = this.#onceImplementations.get(call);
    if (once) {
      this.#onceImplementations.delete(call);
      return once;
    }
    if (this.#times !== undefined && call >= this.#times) return original;
    return this.#implementation;
  }

  [kRecord](call) {
    this.#calls.push(call);
  }
}

class MockPropertyContext {
  #object;
  #name;
  #descriptor;
  #value;
  // The value of the next read only, from mockImplementationOnce.
  #once;
  #accesses = [];

  constructor(object, name, value) {
    this.#object = object;
    this.#name = name;
    this.#descriptor = Object.getOwnPropertyDescriptor(object, name);
    this.#value = value;
    Object.defineProperty(object, name, {
      configurable: true,
      enumerable: this.#descriptor?.enumerable ?? true,
      get: () => {
        const read = this.#once ? this.#once.value : this.#value;
        this.#once = undefined;
        this.#accesses.push({ type: 'get', value: read, stack: new Error() });
        return read;
      },
      set: (newValue) => {
        this.#accesses.push({ type: 'set', value: newValue, stack: new Error() });
        this.#value = newValue;
      },
    });
  }

  get accesses() {
    return this.#accesses.slice();
  }

  accessCount() {
    return this.#accesses.length;
  }

  mockImplementation(value) {
    this.#value = value;
  }

  mockImplementationOnce(value) {
    this.#once = { value };
  }

  resetAccesses() {
    this.#accesses = [];
  }

  restore() {
    if (this.#descriptor) Object.defineProperty(this.#object, this.#name, this.#descriptor);
    else delete this.#object[this.#name];
  }
}

const kMock = Symbol('mock');

function makeMock(original, implementation, restore, times) {
  const context = new MockFunctionContext(implementation, restore, times);
  const record = (thisArg, args, target, run) => {
    const impl = context[kNextImplementation](original);
    const stack = new Error();
    let result;
    let error;
    try {
      result = run(impl);
    } catch (err) {
      error = err;
      throw err;
    } finally {
      context[kRecord]({ __proto__: null, arguments: args, error, result, stack, target, this: thisArg });
    }
    return result;
  };
  const mock = new Proxy(original, {
    __proto__: null,
    get(target, property, receiver) {
      if (property === 'mock') return context;
      return Reflect.get(target, property, receiver);
    },
    apply(target, thisArg, args) {
      return record(thisArg, args, undefined, (impl) => Reflect.apply(impl, thisArg, args));
    },
    construct(target, args, newTarget) {
      return record(undefined, args, target, (impl) => Reflect.construct(impl, args, newTarget === mock ? impl : newTarget));
    },
  });
  return { mock, context };
}

function validateTimes(options) {
  validateObject(options, 'options');
  const { times } = options;
  if (times !== undefined) validateInteger(times, 'options.times', 1);
  return times;
}

class MockTracker {
  #mocks = [];
  #timers;

  get timers() {
    this.#timers ??= new MockTimers();
    return this.#timers;
  }

  fn(original = function () {}, implementation = original, options = {}) {
    if (original !== null && typeof original === 'object') {
      options = original;
      original = function () {};
      implementation = original;
    } else if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = original;
    }
    validateFunction(original, 'original');
    validateFunction(implementation, 'implementation');
    const times = validateTimes(options);
    const { mock, context } = makeMock(original, implementation, undefined, times);
    this.#mocks.push(context);
    return mock;
  }

  method(object, methodName, implementation = kMock, options = {}) {
    if (object === null || (typeof object !== 'object' && typeof object !== 'function')) {
      throw new codes.ERR_INVALID_ARG_TYPE('object', 'Object', object);
    }
    if (typeof methodName !== 'string' && typeof methodName !== 'symbol') {
      throw new codes.ERR_INVALID_ARG_TYPE('methodName', ['string', 'symbol'], methodName);
    }
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = kMock;
    }
    const times = validateTimes(options);
    const { getter = false, setter = false } = options;
    if (getter && setter) throw new codes.ERR_INVALID_ARG_VALUE('options.setter', setter, "cannot be used with 'options.getter'");
    // The property's descriptor, wherever on the prototype chain it is.
    let owner = object;
    let descriptor;
    while (owner !== null) {
      descriptor = Object.getOwnPropertyDescriptor(owner, methodName);
      if (descriptor) break;
      owner = Object.getPrototypeOf(owner);
    }
    const accessor = getter ? 'get' : setter ? 'set' : undefined;
    const original = accessor ? descriptor?.[accessor] : descriptor?.value;
    if (typeof original !== 'function') {
      throw new codes.ERR_INVALID_ARG_VALUE('methodName', original, 'must be a method');
    }
    if (implementation === kMock) implementation = original;
    validateFunction(implementation, 'implementation');
    // Restoring puts the original on the object itself, wherever it was found.
    const restore = () => Object.defineProperty(object, methodName, descriptor);
    const { mock, context } = makeMock(original, implementation, restore, times);
    const replaced = { configurable: descriptor.configurable, enumerable: descriptor.enumerable };
    if (accessor) {
      replaced.get = getter ? mock : descriptor.get;
      replaced.set = setter ? mock : descriptor.set;
    } else {
      replaced.value = mock;
      replaced.writable = descriptor.writable;
    }
    Object.defineProperty(object, methodName, replaced);
    this.#mocks.push(context);
    return mock;
  }

  getter(object, methodName, implementation = kMock, options = {}) {
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = kMock;
    }
    if (options.getter === false) throw new codes.ERR_INVALID_ARG_VALUE('options.getter', false, 'cannot be false');
    return this.method(object, methodName, implementation, { ...options, getter: true });
  }

  setter(object, methodName, implementation = kMock, options = {}) {
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = kMock;
    }
    if (options.setter === false) throw new codes.ERR_INVALID_ARG_VALUE('options.setter', false, 'cannot be false');
    return this.method(object, methodName, implementation, { ...options, setter: true });
  }

  // A property whose value is replaced; reads and writes are recorded.
  property(object, propertyName, value) {
    validateObject(object, 'object', { allowFunction: true });
    const context = new MockPropertyContext(object, propertyName, arguments.length > 2 ? value : object[propertyName]);
    this.#mocks.push(context);
    return new Proxy(object, {
      get(target, property, receiver) {
        if (property === 'mock') return context;
        return Reflect.get(target, property, receiver);
      },
    });
  }

  reset() {
    this.restoreAll();
    this.#timers?.reset();
    this.#mocks = [];
  }

  restoreAll() {
    for (const mock of this.#mocks) mock.restore();
  }
}

const timerApis = ['setInterval', 'setTimeout', 'setImmediate', 'Date', 'scheduler.wait'];

// Fake setTimeout/setInterval/setImmediate/Date on a clock that moves only by tick().
class MockTimers {
  #enabled = false;
  #now = 0;
  #queue = [];
  #nextId = 1;
  #originals = new Map();
  #apis = [];

  #schedule(callback, delay, args, repeat, kind) {
    validateFunction(callback, 'callback');
    delay = Number(delay);
    if (!(delay >= 1 && delay <= 2147483647)) delay = kind === 'immediate' ? 0 : 1;
    const timer = {
      id: this.#nextId++,
      callback,
      args,
      runAt: this.#now + delay,
      interval: repeat ? delay : undefined,
      kind,
      ref() {
        return this;
      },
      unref() {
        return this;
      },
      hasRef() {
        return true;
      },
      refresh: () => {
        timer.runAt = this.#now + delay;
        return timer;
      },
      [Symbol.toPrimitive]() {
        return timer.id;
      },
    };
    this.#queue.push(timer);
    return timer;
  }

  #clear(timer) {
    const id = typeof timer === 'object' && timer !== null ? timer.id : Number(timer);
    const index = this.#queue.findIndex((t) => t.id === id);
    if (index !== -1) this.#queue.splice(index, 1);
  }

  #createDate() {
    const RealDate = this.#originals.get('Date');
    const timers = this;
    function MockDate(...args) {
      if (!new.target) return new RealDate(timers.#now).toString();
      if (args.length === 0) return Reflect.construct(RealDate, [timers.#now], new.target);
      return Reflect.construct(RealDate, args, new.target);
    }
    Object.setPrototypeOf(MockDate, RealDate);
    MockDate.prototype = RealDate.prototype;
    MockDate.now = () => timers.#now;
    MockDate.parse = RealDate.parse;
    MockDate.UTC = RealDate.UTC;
    return MockDate;
  }

  enable(options = {}) {
    if (this.#enabled) throw new codes.ERR_INVALID_STATE('MockTimers is already enabled!');
    validateObject(options, 'options');
    const apis = options.apis ?? timerApis;
    validateArray(apis, 'options.apis');
    for (const api of apis) {
      if (!timerApis.includes(api)) {
        throw new codes.ERR_INVALID_ARG_VALUE('options.apis', api, `option ${api} is not supported`);
      }
    }
    const now = options.now ?? 0;
    if (now instanceof Date) this.#now = now.getTime();
    else {
      validateNumber(now, 'options.now', 0);
      this.#now = now;
    }
    this.#enabled = true;
    this.#apis = apis;
    const g = globalThis;
    const timersModule = require('timers');
    const replace = (name, value) => {
      this.#originals.set(name, g[name]);
      g[name] = value;
      timersModule[name] = value;
    };
    if (apis.includes('setTimeout')) {
      replace('setTimeout', (callback, delay, ...args) => this.#schedule(callback, delay, args, false, 'timeout'));
      replace('clearTimeout', (timer) => this.#clear(timer));
    }
    if (apis.includes('setInterval')) {
      replace('setInterval', (callback, delay, ...args) => this.#schedule(callback, delay, args, true, 'interval'));
      replace('clearInterval', (timer) => this.#clear(timer));
    }
    if (apis.includes('setImmediate')) {
      replace('setImmediate', (callback, ...args) => this.#schedule(callback, 0, args, false, 'immediate'));
      replace('clearImmediate', (timer) => this.#clear(timer));
    }
    if (apis.includes('Date')) {
      this.#originals.set('Date', g.Date);
      g.Date = this.#createDate();
    }
  }

  setTime(milliseconds) {
    validateNumber(milliseconds, 'milliseconds');
    if (!this.#enabled) throw new codes.ERR_INVALID_STATE('You should enable MockTimers first by calling the .enable function');
    this.#now = milliseconds;
  }

  // Moves the clock forward, running the timers that come due, in order.
  tick(milliseconds = 1) {
    validateNumber(milliseconds, 'milliseconds');
    // Node's own wording.
    if (milliseconds < 0) throw new codes.ERR_INVALID_ARG_VALUE('time', 'positive integer', milliseconds);
    if (!this.#enabled) {
      throw new codes.ERR_INVALID_STATE('You should enable MockTimers first by calling the .enable function');
    }
    // The clock moves first: the timers that come due run at the new time, in order.
    this.#now += milliseconds;
    for (;;) {
      const due = this.#queue
        .filter((t) => t.runAt <= this.#now)
        .sort((a, b) => a.runAt - b.runAt || a.id - b.id)[0];
      if (due === undefined) break;
      if (due.interval !== undefined) due.runAt += due.interval;
      else this.#clear(due);
      due.callback(...due.args);
    }
  }

  runAll() {
    if (!this.#enabled) {
      throw new codes.ERR_INVALID_STATE('You should enable MockTimers first by calling the .enable function');
    }
    const last = this.#queue.reduce((max, t) => Math.max(max, t.runAt), this.#now);
    this.tick(last - this.#now);
  }

  reset() {
    if (!this.#enabled) return;
    const g = globalThis;
    const timersModule = require('timers');
    for (const [name, value] of this.#originals) {
      g[name] = value;
      if (name !== 'Date') timersModule[name] = value;
    }
    this.#originals.clear();
    this.#queue = [];
    this.#enabled = false;
    this.#now = 0;
  }

  [Symbol.dispose]() {
    this.reset();
  }
}

module.exports = { MockTracker, MockFunctionContext, MockTimers };
