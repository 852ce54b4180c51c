'use strict';
// node:inspector — Node's API as it behaves with no debugger attached. ferro runs no
// debugger server, so open() throws ERR_INSPECTOR_NOT_AVAILABLE and url() is undefined.
// A Session answers in-process the protocol methods ferro can genuinely serve
// (Runtime.evaluate, Runtime.getHeapUsage, Profiler.enable/disable,
// HeapProfiler.collectGarbage); any other method gets the protocol's "wasn't found" error,
// as V8's inspector answers a method it doesn't know. No notifications are ever sent.

const EventEmitter = require('events');
const { codes, kIsNodeError, validators } = require('internal/errors');
const { validateString, validateObject, validateFunction } = validators;
const { adoptV8Stack } = require('internal/stack_trace');

// Node's inspector error codes (internal/errors has only ERR_INSPECTOR_NOT_AVAILABLE).
function inspectorError(code, message) {
  const err = new Error(message);
  err.code = code;
  Object.defineProperty(err, kIsNodeError, { value: true, configurable: true });
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${code}]: ${this.message}`; },
    writable: true,
    configurable: true,
  });
  return err;
}
const notConnected = () => inspectorError('ERR_INSPECTOR_NOT_CONNECTED', 'Session is not connected');
const closed = () => inspectorError('ERR_INSPECTOR_CLOSED', 'Session was closed');
const commandError = ({ code, message }) =>
  inspectorError('ERR_INSPECTOR_COMMAND', `Inspector error ${code}: ${message}`);

// --- protocol -------------------------------------------------------------------------

// A protocol error response ({ code, message } as in JSON-RPC).
class ProtocolError {
  constructor(code, message) {
    this.code = code;
    this.message = message;
  }
}
const invalidParams = () => new ProtocolError(-32602, 'Invalid parameters');
const notFound = (method) => new ProtocolError(-32601, `'${method}' wasn't found`);

// The protocol's RemoteObject for a value (without objectId: ferro keeps no remote
// objects, so nothing could be asked about one later).
function remoteObject(value, byValue) {
  switch (typeof value) {
    case 'undefined':
      return { type: 'undefined' };
    case 'string':
    case 'boolean':
      return { type: typeof value, value };
    case 'number':
      if (Object.is(value, -0) || !Number.isFinite(value)) {
        const text = Object.is(value, -0) ? '-0' : String(value);
        return { type: 'number', unserializableValue: text, description: text };
      }
      return { type: 'number', value, description: String(value) };
    case 'bigint':
      return { type: 'bigint', unserializableValue: `${value}n`, description: `${value}n` };
    case 'symbol':
      if (byValue) throw new ProtocolError(-32000, "Object couldn't be returned by value");
      return { type: 'symbol', description: value.toString() };
  }
  if (value === null) return { type: 'object', subtype: 'null', value: null };
  if (byValue) return { type: typeof value, value: jsonValue(value, 0) };
  if (typeof value === 'function') {
    return { type: 'function', className: 'Function', description: Function.prototype.toString.call(value) };
  }
  const result = { type: 'object' };
  const subtype = subtypeOf(value);
  if (subtype !== undefined) result.subtype = subtype;
  result.className = className(value);
  result.description = describe(value, subtype, result.className);
  return result;
}

// returnByValue's JSON: functions and other objects give their own enumerable properties,
// non-finite numbers are null, undefined properties are left out; bigints and symbols
// can't be sent, nor a chain of objects deeper than the protocol's limit.
function jsonValue(value, depth) {
  if (typeof value === 'bigint' || typeof value === 'symbol') {
    throw new ProtocolError(-32000, "Object couldn't be returned by value");
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (depth >= 1000) throw new ProtocolError(-32000, 'Object reference chain is too long');
  if (Array.isArray(value)) {
    return Array.from({ length: value.length }, (_, i) => jsonValue(value[i], depth + 1) ?? null);
  }
  const out = {};
  for (const key of Object.keys(value)) {
    const item = jsonValue(value[key], depth + 1);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

function subtypeOf(value) {
  const types = require('internal/util/types');
  if (Array.isArray(value)) return 'array';
  if (types.isNativeError(value) || value instanceof Error) return 'error';
  if (types.isRegExp(value)) return 'regexp';
  if (types.isDate(value)) return 'date';
  if (types.isMap(value)) return 'map';
  if (types.isSet(value)) return 'set';
  if (types.isWeakMap(value)) return 'weakmap';
  if (types.isWeakSet(value)) return 'weakset';
  if (types.isPromise(value)) return 'promise';
  if (types.isTypedArray(value)) return 'typedarray';
  if (types.isArrayBuffer(value) || types.isSharedArrayBuffer(value)) return 'arraybuffer';
  if (types.isDataView(value)) return 'dataview';
  if (types.isProxy(value)) return 'proxy';
  if (types.isGeneratorObject(value)) return 'generator';
  return undefined;
}

function className(value) {
  try {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // A throwing getter or proxy trap: the plain name.
  }
  return 'Object';
}

function describe(value, subtype, name) {
  try {
    switch (subtype) {
      case 'array':
      case 'typedarray':
        return `${name}(${value.length})`;
      case 'map':
      case 'set':
        return `${name}(${value.size})`;
      case 'error':
        return typeof value.stack === 'string' ? value.stack : `${value.name}: ${value.message}`;
      case 'regexp':
        return RegExp.prototype.toString.call(value);
      case 'date':
        return Date.prototype.toString.call(value);
    }
  } catch {
    // Fall back on the class name.
  }
  return name;
}

let exceptionId = 0;
let scriptId = 0;

// Runtime.evaluate's answer for a value thrown by `expression`: where it was thrown comes
// from the error's first `<anonymous>` frame (the evaluated script's name), moved back to
// a `throw` before it on that line as V8 reports it; 0:0 when there is none.
function exceptionResult(error, expression = '') {
  const exception = remoteObject(error, false);
  let lineNumber = 0;
  let columnNumber = 0;
  const stack = error !== null && typeof error === 'object' ? error.stack : undefined;
  const at = typeof stack === 'string' ? /\(?<anonymous>:(\d+):(\d+)\)?$/m.exec(stack) : null;
  if (at) {
    lineNumber = at[1] - 1;
    columnNumber = at[2] - 1;
    const throwAt = (expression.split('\n')[lineNumber] ?? '').lastIndexOf('throw', columnNumber);
    if (throwAt !== -1) columnNumber = throwAt;
  }
  return {
    result: exception,
    exceptionDetails: {
      exceptionId: ++exceptionId,
      text: 'Uncaught',
      lineNumber,
      columnNumber,
      scriptId: String(scriptId),
      exception,
    },
  };
}

// awaitPromise's answer for a rejection: no place, the error's header in the text.
function rejectionResult(reason) {
  const exception = remoteObject(reason, false);
  let text = 'Uncaught (in promise)';
  if (exception.subtype === 'error') text += ` ${exception.description.split('\n')[0]}`;
  return {
    result: exception,
    exceptionDetails: { exceptionId: ++exceptionId, text, lineNumber: 0, columnNumber: 0, exception },
  };
}

// Runtime.evaluate's answer for an expression that doesn't parse, placed as the loader
// places parse errors (V8 gives such errors no stack frames).
function syntaxError(expression) {
  const { checkSyntax, syntaxErrorSite } = require('module')[Symbol.for('ferro.syntaxErrors')];
  const err = checkSyntax(expression);
  if (err === undefined) return undefined;
  const { line, message } = err;
  for (const key of ['line', 'column', 'sourceURL']) delete err[key];
  const site = syntaxErrorSite(expression, line, message, (prefix) => checkSyntax(prefix));
  if (site.message !== undefined) err.message = site.message;
  adoptV8Stack(err);
  const answer = exceptionResult(err);
  answer.exceptionDetails.lineNumber = site.line - 1;
  answer.exceptionDetails.columnNumber = site.start;
  return answer;
}

const booleanParams = ['includeCommandLineAPI', 'silent', 'returnByValue', 'generatePreview',
  'userGesture', 'awaitPromise', 'throwOnSideEffect', 'disableBreaks', 'replMode',
  'allowUnsafeEvalBlockedByCSP'];

// Evaluates as a global script (top-level let/const persist between calls, as in V8).
function evaluate(params, respond) {
  if (typeof params.expression !== 'string') return invalidParams();
  for (const name of booleanParams) {
    if (params[name] !== undefined && typeof params[name] !== 'boolean') return invalidParams();
  }
  const byValue = params.returnByValue === true;
  const answer = (value) => {
    try {
      return { result: remoteObject(value, byValue) };
    } catch (err) {
      if (err instanceof ProtocolError) return err;
      throw err;
    }
  };
  scriptId++;
  const parseError = syntaxError(params.expression);
  if (parseError !== undefined) return parseError;
  let value;
  try {
    value = internalBinding('vm').evaluate(undefined, params.expression, '<anonymous>', 1, 0);
  } catch (err) {
    adoptV8Stack(err);
    return exceptionResult(err, params.expression);
  }
  if (params.awaitPromise !== true) return answer(value);
  // The answer comes once the value settles.
  Promise.resolve(value).then((settled) => respond(answer(settled)), (err) => {
    adoptV8Stack(err);
    respond(rejectionResult(err));
  });
  return undefined;
}

function heapUsage() {
  const usage = process.memoryUsage();
  return {
    usedSize: usage.heapUsed,
    totalSize: usage.heapTotal,
    embedderHeapUsedSize: 0,
    backingStorageSize: usage.arrayBuffers,
  };
}

// Runs one command. Returns the result object or a ProtocolError, or undefined when the
// answer comes later through `respond`.
function dispatch(state, method, params, respond) {
  switch (method) {
    case 'Runtime.evaluate':
      return evaluate(params, respond);
    case 'Runtime.getHeapUsage':
      return heapUsage();
    case 'Profiler.enable':
      state.profilerEnabled = true;
      return {};
    case 'Profiler.disable':
      state.profilerEnabled = false;
      return {};
    case 'HeapProfiler.collectGarbage':
      // V8 answers it after the current task.
      setImmediate(() => {
        internalBinding('util').collectGarbage();
        respond({});
      });
      return undefined;
  }
  if (method === 'Profiler.start' && !state.profilerEnabled) {
    return new ProtocolError(-32000, 'Profiler is not enabled');
  }
  return notFound(method);
}

// --- Session --------------------------------------------------------------------------

let nextCallId = 0;

class Session extends EventEmitter {
  #connected = false;
  // Sessions from connectToMainThread() on a worker: ferro can't reach the main
  // thread's engine from here, so every method is unknown to them.
  #remote = false;
  #state = { profilerEnabled: false };
  // Callbacks waiting for a late answer, by call id.
  #pending = new Map();

  connect() {
    if (this.#connected) {
      throw inspectorError('ERR_INSPECTOR_ALREADY_CONNECTED', 'The inspector session is already connected');
    }
    this.#connected = true;
    this.#remote = false;
  }

  connectToMainThread() {
    if (require('worker_threads').isMainThread) {
      throw inspectorError('ERR_INSPECTOR_NOT_WORKER', 'Current thread is not a worker');
    }
    this.connect();
    this.#remote = true;
  }

  post(method, params, callback) {
    validateString(method, 'method');
    if (!callback && typeof params === 'function') {
      callback = params;
      params = null;
    }
    if (params) validateObject(params, 'params');
    if (callback) validateFunction(callback, 'callback');
    if (!this.#connected) throw notConnected();
    // Parameters travel as JSON, as to V8's inspector.
    params = JSON.parse(JSON.stringify(params ?? {}));
    const id = ++nextCallId;
    const deliver = (answer) => {
      if (!callback) return;
      if (answer instanceof ProtocolError) callback(commandError(answer));
      else callback(null, answer);
    };
    let late = false;
    const respond = (answer) => {
      if (late && !this.#pending.delete(id)) return;
      deliver(answer);
    };
    const answer = this.#remote ? notFound(method) : dispatch(this.#state, method, params, respond);
    if (answer !== undefined) {
      deliver(answer);
    } else {
      late = true;
      this.#pending.set(id, callback);
    }
  }

  disconnect() {
    if (!this.#connected) return;
    this.#connected = false;
    this.#state = { profilerEnabled: false };
    // Callbacks still waiting hear that the session closed.
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const callback of waiting) {
      if (callback) process.nextTick(callback, closed());
    }
  }
}

// --- the module -----------------------------------------------------------------------

function inspectorOpen(port, host, wait) {
  throw new codes.ERR_INSPECTOR_NOT_AVAILABLE();
}

// Closes the debugger connection; there is none.
function _debugEnd() {}

function url() {
  return undefined;
}

function inspectorWaitForDebugger() {
  throw inspectorError('ERR_INSPECTOR_NOT_ACTIVE', 'Inspector is not active');
}

// The inspector's console: it writes only to an attached debugger, so here to nowhere.
const inspectorConsole = {};
for (const name of ['debug', 'error', 'info', 'log', 'warn', 'dir', 'dirxml', 'table', 'trace',
  'group', 'groupCollapsed', 'groupEnd', 'clear', 'count', 'countReset', 'assert', 'profile',
  'profileEnd', 'time', 'timeLog', 'timeEnd', 'timeStamp', 'context']) {
  inspectorConsole[name] = { [name]() {} }[name];
}
Object.defineProperty(inspectorConsole, Symbol.toStringTag, { value: 'console', configurable: true });

// Events a program reports to a debugger's Network and DOMStorage panels: with no debugger
// they go nowhere, once their params are checked.
function frontendEvents(names) {
  const events = {};
  for (const name of names) {
    events[name] = {
      [name](params = {}) {
        validateObject(params, 'params');
      },
    }[name];
  }
  return events;
}

const Network = frontendEvents(['requestWillBeSent', 'responseReceived', 'loadingFinished',
  'loadingFailed', 'dataSent', 'dataReceived', 'webSocketCreated', 'webSocketClosed',
  'webSocketHandshakeResponseReceived']);

const NetworkResources = {
  put(url, data) {
    process.emitWarning('The --experimental-inspector-network-resource option is not enabled. ' +
      'Please enable it to use the putNetworkResource function');
  },
};

const DOMStorage = frontendEvents(['domStorageItemAdded', 'domStorageItemRemoved',
  'domStorageItemUpdated', 'domStorageItemsCleared', 'registerStorage']);

module.exports = {
  open: inspectorOpen,
  close: _debugEnd,
  url,
  waitForDebugger: inspectorWaitForDebugger,
  console: inspectorConsole,
  Session,
  Network,
  NetworkResources,
  DOMStorage,
};
