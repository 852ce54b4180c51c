'use strict';
// A worker thread's startup: reads what the Worker was created with, makes process fit a
// worker (stdio through the parent, its own env, exit ends only this thread, uncaught
// errors go to the Worker's 'error'), then runs the worker's script.

const EventEmitter = require('events');
const io = require('internal/worker/io');
const state = require('internal/worker/state');
const serializer = require('internal/worker/serializer');

const native = internalBinding('worker');
const loopInfo = internalBinding('loop').info;

// Set while the loop's own hooks run ('exit' listeners, uncaught errors): there the stack
// is already unwound, and cutting off the running JS would fail the hook itself.
let inLoopHook = 0;

// Empties the loop: no timers, immediates, ticks or handles keep it alive any longer, so
// it ends after the current callback and the thread exits.
function stopLoop() {
  loopInfo[1] = Infinity; // timer expiry
  loopInfo[2] = 0; // referenced timers
  loopInfo[3] = 0; // immediates
  loopInfo[4] = 0; // referenced immediates
  loopInfo[5] = 0; // ticks
  native.releaseLoop();
}

// Whether the exit code is decided (process.exit() or termination).
let exitDecided = false;

function exitWorker(code) {
  exitDecided = true;
  process._exiting = true;
  process.exitCode = code;
  stopLoop();
  if (inLoopHook > 0) return;
  native.requestTermination();
  // The engine's watchdog cuts this off (uncatchably) within milliseconds.
  for (;;);
}

// Whether worker.terminate() ended the worker: its pending output is dropped, as in Node.
let terminated = false;

// worker.terminate(): the loop ends and the exit code is 1, without 'exit' listeners.
function onTerminate() {
  if (!exitDecided) {
    exitDecided = true;
    terminated = true;
    process._exiting = true;
    process.exitCode = 1;
  }
  stopLoop();
}

// The worker's stdout/stderr: text goes to the parent, which writes it (or hands it to
// worker.stdout). As in Node, one chunk is in flight at a time: what is written before
// the parent acknowledges it waits and goes as one chunk.
const stdioStreams = [];

function stdioStream(fd) {
  const stream = new EventEmitter();
  let inFlight = false;
  let waiting = '';
  const send = (text) => {
    inFlight = true;
    native.notifyParent('stdio', fd, text);
  };
  stream.fd = fd;
  stream.writable = true;
  stream.isTTY = false;
  stream._isStdio = true;
  stream.write = function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') callback = encoding;
    if (typeof chunk !== 'string') chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString();
    if (inFlight) waiting += chunk;
    else send(chunk);
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  };
  stream.end = function end(chunk, encoding, callback) {
    if (typeof chunk === 'function') callback = chunk;
    else if (chunk !== undefined && chunk !== null) stream.write(chunk, encoding);
    if (typeof callback === 'function') process.nextTick(callback, null);
    return stream;
  };
  stream.cork = () => {};
  stream.uncork = () => {};
  stream.setDefaultEncoding = () => stream;
  stream._onAck = () => {
    inFlight = false;
    stream._flush();
  };
  stream._flush = () => {
    if (waiting === '') return;
    const text = waiting;
    waiting = '';
    send(text);
  };
  stdioStreams[fd] = stream;
  return stream;
}

const ErrorConstructors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];

// "file:line\nsource\n   ^\n\n" before the stack, as Node decorates a worker's fatal error.
function locationBanner(stack) {
  const frame = /^ {4}at (?:.* \()?(.+?):(\d+):(\d+)\)?$/m.exec(stack);
  if (frame === null) return '';
  const [, file, line, column] = frame;
  const text = internalBinding('errors').sourceLine(file, +line);
  if (text === undefined) return '';
  let caret = Math.max(0, column - 1);
  const throwAt = text.lastIndexOf('throw', caret);
  if (throwAt !== -1) caret = throwAt;
  return `${file}:${line}\n${text}\n${require('internal/stack_trace').caretLine(text, caret)}\n\n`;
}

// An uncaught error as the Worker's 'error' event gets it: the nearest built-in error
// type, and every own property (name, message and stack first) that can be cloned.
function describeError(err) {
  let proto = Object.getPrototypeOf(err);
  while (proto !== null && !ErrorConstructors.some((C) => C.prototype === proto)) proto = Object.getPrototypeOf(proto);
  if (proto === null) return null;
  const properties = [];
  const add = (key, descriptor) => {
    if (!('value' in descriptor) || typeof descriptor.value === 'function') return;
    try {
      serializer.serialize(descriptor.value);
    } catch {
      return;
    }
    properties.push([key, descriptor.value, descriptor.enumerable]);
  };
  const find = (key) => {
    for (let o = err; o !== null; o = Object.getPrototypeOf(o)) {
      const descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (descriptor !== undefined) return descriptor;
    }
    return undefined;
  };
  for (const key of ['name', 'message']) {
    const descriptor = find(key);
    if (descriptor !== undefined) add(key, descriptor);
  }
  const stack = err.stack;
  if (typeof stack === 'string') properties.push(['stack', locationBanner(stack) + stack, false]);
  for (const key of Object.getOwnPropertyNames(err)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    add(key, Object.getOwnPropertyDescriptor(err, key));
  }
  return { errorType: proto.constructor.name, properties };
}

function sendError(err) {
  let message;
  try {
    const described = err !== null && typeof err === 'object' ? describeError(err) : null;
    message = serializer.serialize(described ?? { value: err });
  } catch {
    // What cannot be cloned arrives as its description.
    message = serializer.serialize({ value: require('internal/util/inspect').inspect(err) });
  }
  native.notifyParent('error', message.text, message.buffers, []);
}

function setUpProcess(init) {
  const stdout = stdioStream(1);
  const stderr = stdioStream(2);
  Object.defineProperty(process, 'stdout', { value: stdout, configurable: true, enumerable: true, writable: true });
  Object.defineProperty(process, 'stderr', { value: stderr, configurable: true, enumerable: true, writable: true });
  // The global console writes to the descriptors itself until process.stdout exists:
  // in a worker it must use these streams (set when the console is first used).
  const useWorkerStreams = (console) => {
    console._stdout = stdout;
    console._stderr = stderr;
    return console;
  };
  const consoleDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'console');
  if (consoleDescriptor?.get) {
    Object.defineProperty(globalThis, 'console', {
      ...consoleDescriptor,
      get() {
        return useWorkerStreams(consoleDescriptor.get.call(this));
      },
    });
  } else {
    useWorkerStreams(globalThis.console);
  }
  if (init.env !== null) {
    // A worker has its own copy of the environment (unless it shares the parent's).
    const env = new Proxy(init.env, {
      set(target, key, value) {
        target[key] = `${value}`;
        return true;
      },
    });
    Object.defineProperty(process, 'env', { value: env, writable: true, configurable: true, enumerable: true });
  }
  process.reallyExit = exitWorker;
  const emitExit = process._emitExit;
  process._emitExit = function () {
    inLoopHook++;
    try {
      return emitExit.call(this);
    } finally {
      inLoopHook--;
      // Output still waiting for the parent goes now, unless the worker was terminated.
      if (!terminated) for (const stream of stdioStreams) stream?._flush();
    }
  };

  const fatal = require('internal/fatal_exception');
  const report = fatal.onUncaughtException;
  fatal.onUncaughtException = function onUncaughtException(err, fromPromise = false) {
    if (native.isTerminating()) {
      if (native.heapLimitReached()) {
        const { ERR_WORKER_OUT_OF_MEMORY } = require('internal/errors').codes;
        sendError(new ERR_WORKER_OUT_OF_MEMORY('JS heap out of memory'));
      }
      onTerminate();
      return;
    }
    inLoopHook++;
    try {
      if (process.listenerCount('uncaughtException') > 0) {
        report(err, fromPromise);
        return;
      }
      process.emit('uncaughtExceptionMonitor', err, fromPromise ? 'unhandledRejection' : 'uncaughtException');
      process.exitCode = 1;
      if (!process._exiting) {
        process._exiting = true;
        try {
          process.emit('exit', 1);
        } catch {
          // The worker ends with the original failure.
        }
      }
      sendError(err);
      exitWorker(1);
    } finally {
      inLoopHook--;
    }
  };
}

function runEval(source) {
  const name = '[worker eval]';
  const mod = require('module');
  const context = mod.evalContext(name);
  const define = (key, value) => Object.defineProperty(globalThis, key, { value, writable: true, configurable: true, enumerable: true });
  define('__filename', name);
  define('__dirname', '.');
  define('module', context.module);
  define('exports', context.module.exports);
  define('require', context.require);
  Object.defineProperty(globalThis, '__ferro_import', {
    value: (specifier, options) => require('internal/modules/esm').importFrom(specifier, options),
    writable: true,
    configurable: true,
  });
  const moduleBinding = internalBinding('module');
  try {
    moduleBinding.runScript(source, name);
  } catch (err) {
    // Code that only parses as a module runs as one.
    if (err instanceof SyntaxError && moduleBinding.hasModuleSyntax(source, name)) {
      for (const key of ['__filename', 'module', 'exports', '__dirname', 'require', '__ferro_import']) delete globalThis[key];
      require('internal/modules/esm').runSource(source, name);
      return;
    }
    throw err;
  }
}

// `preload()` runs once the worker is set up, before its script.
function run(preload) {
  const self = native.workerInit();
  io.eventHandlers.set('terminate', onTerminate);
  io.eventHandlers.set('stdioAck', (fd) => stdioStreams[fd]?._onAck());
  const init = io.readMessage(...self.init).value;
  state.isMainThread = false;
  state.threadId = self.threadId;
  state.threadName = init.name || 'WorkerThread';
  state.workerData = init.workerData;
  state.resourceLimits = init.resourceLimits;
  if (init.heapLimitMb > 0) native.limitHeap(init.heapLimitMb);
  state.environmentData = init.environmentData;
  state.parentPort = io.createPort(self.port);
  setUpProcess(init);
  if (native.isTerminating()) {
    onTerminate();
    return;
  }
  io.eventHandlers.set('start', () => {
    native.notifyParent('online');
    preload();
    if (init.isEval) runEval(init.filename);
    else require('module').runMain(init.filename);
  });
  native.scheduleStart();
}

module.exports = { run };
