'use strict';
// node:worker_threads — Worker threads, each its own JavaScriptCore context on its own OS
// thread with its own event loop, and the message ports between them.

const EventEmitter = require('events');
const path = require('path');
const { codes, validators } = require('internal/errors');
const io = require('internal/worker/io');
const serializer = require('internal/worker/serializer');
const state = require('internal/worker/state');
const { captureResourceContext, contextToEnter, runInContext } = require('internal/util/async_context');

const native = internalBinding('worker');

const SHARE_ENV = Symbol.for('nodejs.worker_threads.SHARE_ENV');

// Running workers of this thread by thread id, for their events.
const workers = new Map();
const kOnEvent = Symbol('kOnEvent');

// A worker's events run in the async context it was created in.
function onWorkerEvent(threadId, ...args) {
  const worker = workers.get(threadId);
  if (worker === undefined) return;
  const context = contextToEnter(worker);
  if (context === undefined) worker[kOnEvent](...args);
  else runInContext(context, worker[kOnEvent], worker, args);
}
io.eventHandlers.set('online', (threadId) => onWorkerEvent(threadId, 'online'));
io.eventHandlers.set('error', (threadId, ...message) => onWorkerEvent(threadId, 'error', message));
io.eventHandlers.set('stdio', (threadId, fd, text) => onWorkerEvent(threadId, 'stdio', fd, text));
io.eventHandlers.set('exit', (threadId, code) => onWorkerEvent(threadId, 'exit', code));

function isURL(value) {
  return value !== null && typeof value === 'object' && typeof value.href === 'string' && typeof value.protocol === 'string';
}

function resolveFilename(filename, isEval) {
  if (isEval) return filename;
  if (isURL(filename)) {
    if (filename.protocol !== 'file:') throw new codes.ERR_INVALID_URL_SCHEME('file');
    return require('url').fileURLToPath(filename);
  }
  if (filename.startsWith('file:')) return require('url').fileURLToPath(filename);
  if (!path.isAbsolute(filename) && !/^\.\.?[\\/]/.test(filename)) throw new codes.ERR_WORKER_PATH(filename);
  return path.resolve(filename);
}

function validateOptions(options) {
  if (options.argv !== undefined && !Array.isArray(options.argv)) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.argv', 'Array', options.argv);
  }
  if (options.execArgv !== undefined && !Array.isArray(options.execArgv)) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.execArgv', 'Array', options.execArgv);
  }
  const { env } = options;
  if (env !== undefined && env !== null && env !== SHARE_ENV && typeof env !== 'object') {
    throw new codes.ERR_INVALID_ARG_TYPE('options.env', ['object', 'undefined', 'null', 'worker_threads.SHARE_ENV'], env);
  }
  if (options.name !== undefined) validators.validateString(options.name, 'options.name');
  if (options.resourceLimits !== undefined && options.resourceLimits !== null) {
    validators.validateObject(options.resourceLimits, 'options.resourceLimits');
  }
}

// Node reports the limits a worker runs with: the values asked for over V8's defaults.
// Of these, ferro enforces the stack size and an asked-for maxOldGenerationSizeMb (as a
// budget for the whole heap, young generation included).
function resourceLimitsOf(requested = {}) {
  const pick = (key, fallback) => (typeof requested[key] === 'number' && requested[key] > 0 ? requested[key] : fallback);
  return {
    maxYoungGenerationSizeMb: pick('maxYoungGenerationSizeMb', 48),
    maxOldGenerationSizeMb: pick('maxOldGenerationSizeMb', 2048),
    codeRangeSizeMb: pick('codeRangeSizeMb', 0),
    stackSizeMb: pick('stackSizeMb', 4),
  };
}

class Worker extends EventEmitter {
  #threadId;
  #port;
  #hold = new io.LoopHold();
  #exited = false;
  #exitWaiters = [];
  #stdout = null;
  #stderr = null;
  #pipeStdout;
  #pipeStderr;
  #resourceLimits;

  constructor(filename, options = {}) {
    super();
    captureResourceContext(this);
    const isEval = Boolean(options?.eval);
    if (isEval) {
      if (typeof filename !== 'string') {
        throw new codes.ERR_INVALID_ARG_VALUE('options.eval', options.eval, 'must be false when \'filename\' is not a string');
      }
    } else if (typeof filename !== 'string' && !isURL(filename)) {
      throw new codes.ERR_INVALID_ARG_TYPE('filename', ['string', 'URL'], filename);
    }
    validators.validateObject(options, 'options', { nullable: true });
    options ??= {};
    validateOptions(options);
    const resolved = resolveFilename(filename, isEval);
    const env = options.env === SHARE_ENV ? null : { ...(options.env ?? process.env) };
    this.#resourceLimits = resourceLimitsOf(options.resourceLimits ?? undefined);
    const init = {
      filename: resolved,
      isEval,
      workerData: options.workerData,
      environmentData: state.environmentData,
      env,
      name: options.name ?? '',
      stdout: Boolean(options.stdout),
      stderr: Boolean(options.stderr),
      resourceLimits: this.#resourceLimits,
      heapLimitMb: options.resourceLimits?.maxOldGenerationSizeMb > 0 ?
        this.#resourceLimits.maxOldGenerationSizeMb + this.#resourceLimits.maxYoungGenerationSizeMb : 0,
    };
    const transferList = options.transferList === undefined ? [] : [...options.transferList];
    const message = serializer.serialize(init, transferList);
    const portIds = message.ports.map((port) => {
      const id = port[io.kId];
      port.close = () => {};
      return id;
    });
    const argv = (options.argv ?? []).map((arg) => `${arg}`);
    const [threadId, portId] = native.spawn(
      process.execPath, process.argv0, options.execArgv ?? process.execArgv,
      [isEval ? '[worker eval]' : resolved, ...argv], this.#resourceLimits.stackSizeMb,
      message.text, message.buffers, portIds);
      this.#threadId = threadId;
    this.#pipeStdout = !options.stdout;
    this.#pipeStderr = !options.stderr;
    if (options.stdout) this.#stdout = makeReadable();
    if (options.stderr) this.#stderr = makeReadable();
    workers.set(threadId, this);
    this.#hold.update(true, true);
    this.#port = io.createPort(portId);
    this.#port.on('message', (value) => this.emit('message', value));
    this.#port.on('messageerror', (err) => this.emit('messageerror', err));
    this.#port.unref();
    this.performance = { eventLoopUtilization: () => ({ idle: 0, active: 0, utilization: 0 }) };
  }

  get threadId() {
    return this.#exited ? -1 : this.#threadId;
  }

  get resourceLimits() {
    return this.#exited ? {} : this.#resourceLimits;
  }

  get stdin() {
    return null;
  }

  get stdout() {
    return (this.#stdout ??= makeReadable());
  }

  get stderr() {
    return (this.#stderr ??= makeReadable());
  }

  postMessage(value, transferList) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('value');
    if (this.#exited) return;
    this.#port.postMessage(value, transferList);
  }

  terminate(callback) {
    if (typeof callback === 'function') {
      process.emitWarning('Passing a callback to worker.terminate() is deprecated. It returns a Promise instead.',
        'DeprecationWarning', 'DEP0132');
    }
    if (this.#exited) {
      if (typeof callback === 'function') process.nextTick(callback, null, undefined);
      return Promise.resolve();
    }
    const done = new Promise((resolve) => this.#exitWaiters.push(resolve));
    if (typeof callback === 'function') done.then((code) => callback(null, code));
    native.terminate(this.#threadId);
    return done;
  }

  ref() {
    if (!this.#exited) this.#hold.update(true, true);
  }

  unref() {
    if (!this.#exited) this.#hold.update(true, false);
  }

  [kOnEvent](kind, a, b) {
    switch (kind) {
      case 'online':
        this.emit('online');
        break;
      case 'error':
        this.emit('error', rebuildError(io.readMessage(...a).value));
        break;
      case 'stdio':
        if (a === 1) {
          if (this.#pipeStdout) process.stdout.write(b);
          else this.#stdout.push(b);
        } else if (this.#pipeStderr) {
          process.stderr.write(b);
        } else {
          this.#stderr.push(b);
        }
        native.ackStdio(this.#threadId, a);
        break;
      case 'exit':
        this.#exited = true;
        workers.delete(this.#threadId);
        this.#hold.update(false, false);
        this.#stdout?.push(null);
        this.#stderr?.push(null);
        this.emit('exit', a);
        for (const resolve of this.#exitWaiters.splice(0)) resolve(a);
        break;
    }
  }
}

const kErrorTypes = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError };

// A worker's uncaught error, from internal/worker/main's description of it.
function rebuildError(described) {
  if (described.errorType === undefined) return described.value;
  const Constructor = Object.hasOwn(kErrorTypes, described.errorType) ? kErrorTypes[described.errorType] : Error;
  const error = Reflect.construct(Constructor, []);
  for (const key of Object.getOwnPropertyNames(error)) delete error[key];
  for (const [key, value, enumerable] of described.properties) {
    Object.defineProperty(error, key, { value, enumerable, writable: true, configurable: true });
  }
  return error;
}

function makeReadable() {
  const { Readable } = require('stream');
  return new Readable({ read() {} });
}

function setEnvironmentData(key, value) {
  if (value === undefined) state.environmentData.delete(key);
  else state.environmentData.set(key, value);
}

function getEnvironmentData(key) {
  return state.environmentData.get(key);
}

function moveMessagePortToContext() {
  throw new codes.ERR_METHOD_NOT_IMPLEMENTED('moveMessagePortToContext()');
}

module.exports = {
  isMainThread: state.isMainThread,
  isInternalThread: false,
  MessagePort: io.MessagePort,
  MessageChannel: io.MessageChannel,
  markAsUncloneable: io.markAsUncloneable,
  markAsUntransferable: io.markAsUntransferable,
  isMarkedAsUntransferable: io.isMarkedAsUntransferable,
  moveMessagePortToContext,
  receiveMessageOnPort: io.receiveMessageOnPort,
  resourceLimits: state.resourceLimits,
  postMessageToThread: undefined,
  threadId: state.threadId,
  threadName: state.threadName,
  SHARE_ENV,
  Worker,
  parentPort: state.parentPort,
  workerData: state.workerData,
  BroadcastChannel: io.BroadcastChannel,
  setEnvironmentData,
  getEnvironmentData,
  locks: undefined,
};
