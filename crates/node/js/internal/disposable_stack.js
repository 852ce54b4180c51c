'use strict';
// Explicit resource management (ES2026), which the engine lacks: DisposableStack,
// AsyncDisposableStack, SuppressedError, and `__ferro_using()`, the disposal scope that
// code lowered from `using` declarations calls (see runtime::explicit_resource):
//
//   { using x = e; B }  →  { const __ferro_u = __ferro_using(); try { const x = __ferro_u.u(e); B }
//                            catch (__ferro_e) { __ferro_u.e(__ferro_e) } finally { __ferro_u.d() } }
//
// With `await using` the finally block awaits each value `n()` hands out, so the awaits
// happen in the user's function, as many as the spec's DisposeResources performs.
// Error messages are V8's.

const ReflectApply = Reflect.apply;
const ReflectConstruct = Reflect.construct;
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const FunctionPrototypeToString = Function.prototype.toString;
const PromiseResolve = Promise.resolve.bind(Promise);
const PromiseReject = Promise.reject.bind(Promise);
const ArrayIsArray = Array.isArray;
const ErrorCaptureStackTrace = Error.captureStackTrace;
const SymbolDispose = Symbol.dispose;
const SymbolAsyncDispose = Symbol.asyncDispose;

// How V8 names a value in its messages, without running user code.
function describe(value) {
  if (typeof value === 'function') return ReflectApply(FunctionPrototypeToString, value, []);
  if (typeof value === 'symbol') return value.toString();
  if (typeof value !== 'object' || value === null) return String(value);
  if (ArrayIsArray(value)) return '[object Array]';
  let ctor;
  for (let object = value; object !== null && ctor === undefined; object = ObjectGetPrototypeOf(object)) {
    ctor = Object.getOwnPropertyDescriptor(object, 'constructor');
  }
  const name = ctor !== undefined && typeof ctor.value === 'function' ? ctor.value.name : '';
  return typeof name === 'string' && name !== '' ? `#<${name}>` : '[object Object]';
}

// Errors thrown for the user's code point at it, not at these helpers.
function typeError(message, from) {
  const err = new TypeError(message);
  ErrorCaptureStackTrace(err, from);
  return err;
}

function notFunction(value, from) {
  return typeError(`${describe(value)} is not a function`, from);
}

function SuppressedError(error, suppressed, message) {
  const target = new.target === undefined ? SuppressedError : new.target;
  const err = message === undefined ?
    ReflectConstruct(Error, [], target) : ReflectConstruct(Error, [`${message}`], target);
  ErrorCaptureStackTrace(err, target);
  ObjectDefineProperty(err, 'error', { value: error, writable: true, enumerable: false, configurable: true });
  ObjectDefineProperty(err, 'suppressed', { value: suppressed, writable: true, enumerable: false, configurable: true });
  return err;
}
Object.setPrototypeOf(SuppressedError, Error);
ObjectDefineProperty(SuppressedError, 'prototype', {
  value: Object.create(Error.prototype, {
    constructor: { value: SuppressedError, writable: true, enumerable: false, configurable: true },
    name: { value: 'SuppressedError', writable: true, enumerable: false, configurable: true },
    message: { value: '', writable: true, enumerable: false, configurable: true },
  }),
  writable: false,
  enumerable: false,
  configurable: false,
});

// The method that disposes `value` (GetDisposeMethod), for `using` when not `isAsync`.
function disposeMethod(value, isAsync, from) {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw typeError('An object is expected with `using` declarations', from);
  }
  if (isAsync) {
    const method = value[SymbolAsyncDispose];
    if (method !== undefined && method !== null) {
      if (typeof method !== 'function') throw typeError('Symbol(Symbol.asyncDispose) is not a function', from);
      return method;
    }
  }
  const method = value[SymbolDispose];
  if (typeof method !== 'function') throw typeError('Symbol(Symbol.dispose) is not a function', from);
  if (!isAsync) return method;
  // A sync disposer used by `await using`: its result is ignored, its throw a rejection.
  return function () {
    try {
      ReflectApply(method, this, []);
      return PromiseResolve(undefined);
    } catch (err) {
      return PromiseReject(err);
    }
  };
}

// A DisposeCapability: resources in the order added, with the completion so far.
class DisposalScope {
  constructor() {
    this.resources = [];
    this.hasError = false;
    this.error = undefined;
    this.needsAwait = false;
    this.hasAwaited = false;
  }

  add(value, method, isAsync) {
    this.resources.push({ value, method, isAsync });
  }

  // `using x = value`
  u(value) {
    if (value !== null && value !== undefined) this.add(value, disposeMethod(value, false, this.u), false);
    return value;
  }

  // `await using x = value`: null and undefined still make disposal await once.
  a(value) {
    const method = value === null || value === undefined ? undefined : disposeMethod(value, true, this.a);
    this.add(value, method, true);
    return value;
  }

  // A throw from the scope's body or from a disposer: a later one suppresses the earlier.
  // `from` is the outermost helper on the stack, hidden from the SuppressedError's trace.
  e(error, from = this.e) {
    if (this.hasError) {
      const suppressed = this.error;
      this.error = new SuppressedError(error, suppressed, 'An error was suppressed during disposal');
      ErrorCaptureStackTrace(this.error, from);
    } else {
      this.hasError = true;
      this.error = error;
    }
  }

  // Disposes what is left, last added first, then ends with the scope's completion.
  d() {
    const resources = this.resources;
    while (resources.length > 0) {
      const { value, method } = resources.pop();
      if (method === undefined) continue;
      try {
        ReflectApply(method, value, []);
      } catch (err) {
        this.e(err, this.d);
      }
    }
    if (this.hasError) throw this.error;
  }

  // One step of asynchronous disposal: disposes resources until one needs an await and
  // returns what to await, or returns the scope itself when all are disposed.
  n() {
    const resources = this.resources;
    while (resources.length > 0) {
      const resource = resources.pop();
      if (!resource.isAsync && this.needsAwait && !this.hasAwaited) {
        resources.push(resource);
        this.needsAwait = false;
        return undefined;
      }
      if (resource.method === undefined) {
        this.needsAwait = true;
        continue;
      }
      let result;
      try {
        result = ReflectApply(resource.method, resource.value, []);
      } catch (err) {
        this.e(err, this.n);
        continue;
      }
      if (resource.isAsync) {
        this.hasAwaited = true;
        return result;
      }
    }
    if (this.needsAwait && !this.hasAwaited) {
      this.needsAwait = false;
      return undefined;
    }
    return this;
  }
}

function newDisposalScope() {
  return new DisposalScope();
}

// Stack objects → their DisposalScope, or null once disposed.
const syncScopes = new WeakMap();
const asyncScopes = new WeakMap();

function scopeOf(stack, kind, method, from) {
  const scopes = kind === 'DisposableStack' ? syncScopes : asyncScopes;
  if (!scopes.has(stack)) {
    throw typeError(`Method ${method.startsWith('get ') ? `get ${kind}.prototype.${method.slice(4)}` : `${kind}.prototype.${method}`} called on incompatible receiver ${describe(stack)}`, from);
  }
  return scopes.get(stack);
}

function pendingScopeOf(stack, kind, method, from) {
  const scope = scopeOf(stack, kind, method, from);
  if (scope === null) {
    const err = new ReferenceError(`Cannot call ${kind}.prototype.${method} on an already-disposed DisposableStack`);
    ErrorCaptureStackTrace(err, from);
    throw err;
  }
  return scope;
}

function DisposableStack() {
  if (new.target === undefined) throw typeError("Constructor DisposableStack requires 'new'", DisposableStack);
  const stack = ReflectConstruct(Object, [], new.target);
  syncScopes.set(stack, new DisposalScope());
  return stack;
}

function AsyncDisposableStack() {
  if (new.target === undefined) throw typeError("Constructor AsyncDisposableStack requires 'new'", AsyncDisposableStack);
  const stack = ReflectConstruct(Object, [], new.target);
  asyncScopes.set(stack, new DisposalScope());
  return stack;
}

// Object literal methods: named, and not constructors, like built-in methods.
const syncMethods = {
  use(value) {
    const scope = pendingScopeOf(this, 'DisposableStack', 'use', syncMethods.use);
    if (value !== null && value !== undefined) scope.add(value, disposeMethod(value, false, syncMethods.use), false);
    return value;
  },
  dispose() {
    const scope = scopeOf(this, 'DisposableStack', 'dispose', syncMethods.dispose);
    if (scope === null) return undefined;
    syncScopes.set(this, null);
    scope.d();
    return undefined;
  },
  adopt(value, onDispose) {
    const scope = pendingScopeOf(this, 'DisposableStack', 'adopt', syncMethods.adopt);
    if (typeof onDispose !== 'function') throw notFunction(onDispose, syncMethods.adopt);
    scope.add(undefined, () => { onDispose(value); }, false);
    return value;
  },
  defer(onDispose) {
    const scope = pendingScopeOf(this, 'DisposableStack', 'defer', syncMethods.defer);
    if (typeof onDispose !== 'function') throw notFunction(onDispose, syncMethods.defer);
    scope.add(undefined, onDispose, false);
  },
  move() {
    const scope = pendingScopeOf(this, 'DisposableStack', 'move', syncMethods.move);
    const moved = new DisposableStack();
    syncScopes.set(moved, scope);
    syncScopes.set(this, null);
    return moved;
  },
  get disposed() {
    const get = Object.getOwnPropertyDescriptor(syncMethods, 'disposed').get;
    return scopeOf(this, 'DisposableStack', 'get disposed', get) === null;
  },
};

const asyncMethods = {
  use(value) {
    const scope = pendingScopeOf(this, 'AsyncDisposableStack', 'use', asyncMethods.use);
    const method = value === null || value === undefined ? undefined : disposeMethod(value, true, asyncMethods.use);
    scope.add(value, method, true);
    return value;
  },
  async disposeAsync() {
    if (!asyncScopes.has(this)) throw new TypeError('Receiver is not an AsyncDisposableStack');
    const scope = asyncScopes.get(this);
    if (scope === null) return undefined;
    asyncScopes.set(this, null);
    for (let next; (next = scope.n()) !== scope;) {
      try {
        await next;
      } catch (err) {
        scope.e(err);
      }
    }
    scope.d();
    return undefined;
  },
  adopt(value, onDisposeAsync) {
    const scope = pendingScopeOf(this, 'AsyncDisposableStack', 'adopt', asyncMethods.adopt);
    if (typeof onDisposeAsync !== 'function') throw notFunction(onDisposeAsync, asyncMethods.adopt);
    scope.add(undefined, () => onDisposeAsync(value), true);
    return value;
  },
  defer(onDisposeAsync) {
    const scope = pendingScopeOf(this, 'AsyncDisposableStack', 'defer', asyncMethods.defer);
    if (typeof onDisposeAsync !== 'function') throw notFunction(onDisposeAsync, asyncMethods.defer);
    scope.add(undefined, onDisposeAsync, true);
  },
  move() {
    const scope = pendingScopeOf(this, 'AsyncDisposableStack', 'move', asyncMethods.move);
    const moved = new AsyncDisposableStack();
    asyncScopes.set(moved, scope);
    asyncScopes.set(this, null);
    return moved;
  },
  get disposed() {
    const get = Object.getOwnPropertyDescriptor(asyncMethods, 'disposed').get;
    return scopeOf(this, 'AsyncDisposableStack', 'get disposed', get) === null;
  },
};

function definePrototype(ctor, methods, disposeName, disposeSymbol) {
  const proto = {};
  ObjectDefineProperty(proto, 'constructor', { value: ctor, writable: true, enumerable: false, configurable: true });
  for (const name of ['use', disposeName, 'adopt', 'defer', 'move']) {
    ObjectDefineProperty(proto, name, { value: methods[name], writable: true, enumerable: false, configurable: true });
  }
  const disposed = Object.getOwnPropertyDescriptor(methods, 'disposed').get;
  ObjectDefineProperty(proto, 'disposed', { get: disposed, set: undefined, enumerable: false, configurable: true });
  ObjectDefineProperty(proto, disposeSymbol, { value: methods[disposeName], writable: true, enumerable: false, configurable: true });
  ObjectDefineProperty(proto, Symbol.toStringTag, { value: ctor.name, writable: false, enumerable: false, configurable: true });
  ObjectDefineProperty(ctor, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
}

definePrototype(DisposableStack, syncMethods, 'dispose', SymbolDispose);
definePrototype(AsyncDisposableStack, asyncMethods, 'disposeAsync', SymbolAsyncDispose);

module.exports = {
  DisposableStack,
  AsyncDisposableStack,
  SuppressedError,
  __ferro_using: newDisposalScope,
};
