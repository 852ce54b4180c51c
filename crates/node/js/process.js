'use strict';
// node:process — the process object: an EventEmitter carrying the program's startup facts,
// environment, clocks, exit machinery and standard streams.

const EventEmitter = require('events');
const codes = require('internal/lazy_codes');
const native = internalBinding('process');
const { nextTick } = require('internal/task_queues');

const NODE_VERSION = 'v24.19.0';

function Process() {
  EventEmitter.call(this);
}
Object.setPrototypeOf(Process.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Process, EventEmitter);
Object.defineProperty(Process.prototype, Symbol.toStringTag, { value: 'process', configurable: true });

const process = new Process();
module.exports = process;

const ids = native.ids();

process.title = 'ferro';
// node:domain sets it while a domain is active.
process.domain = null;
process.version = NODE_VERSION;
process.versions = {
  node: NODE_VERSION.slice(1),
  ferro: native.ferroVersion,
  modules: '137',
  napi: '10',
  unicode: '16.0',
};
process.arch = native.arch;
process.platform = native.platform;
process.release = {
  name: 'node',
  lts: 'Krypton',
  sourceUrl: `https://nodejs.org/download/release/${NODE_VERSION}/node-${NODE_VERSION}.tar.gz`,
  headersUrl: `https://nodejs.org/download/release/${NODE_VERSION}/node-${NODE_VERSION}-headers.tar.gz`,
};
process.argv = native.argv();
process.execArgv = native.execArgv();
// Node sets these only when their flag is given (on the command line or in NODE_OPTIONS).
for (const [flag, key] of [['--no-deprecation', 'noDeprecation'], ['--throw-deprecation', 'throwDeprecation'],
  ['--trace-deprecation', 'traceDeprecation']]) {
  if (require('internal/options').hasFlag(flag)) process[key] = true;
}
process.execPath = native.execPath();
process.argv0 = native.argv0();
process.pid = ids.pid;
process.ppid = ids.ppid;
process.features = { inspector: false, debug: false, uv: true, ipv6: true, tls_alpn: true, tls_sni: true, tls_ocsp: true, tls: true, cached_builtins: true, typescript: false };
process.config = { target_defaults: {}, variables: {} };
process.moduleLoadList = [];
process._exiting = false;
process.exitCode = undefined;

// process.exitCode accepts integers and integer strings, as Node validates it.
let exitCode;
Object.defineProperty(process, 'exitCode', {
  enumerable: true,
  configurable: false,
  get() {
    return exitCode;
  },
  set(code) {
    if (code !== null && code !== undefined) {
      let value = code;
      if (typeof code === 'string' && code !== '' && Number.isInteger(+code)) value = +code;
      if (!Number.isInteger(value)) {
        throw new codes.ERR_INVALID_ARG_TYPE('code', 'integer', code);
      }
    }
    exitCode = code;
  },
});

// The environment: values are coerced to strings and changes reach the real environment
// (child processes and native code see them). Built on first access.
function makeEnv() {
  const envStore = native.envSnapshot();
  return new Proxy(envStore, {
    set(target, key, value) {
      if (typeof key === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
      // A template literal, like Node's coercion, throws for symbols.
      const str = `${value}`;
      target[key] = str;
      native.setEnv(key, str);
      return true;
    },
    defineProperty(target, key, desc) {
      if (!('value' in desc) || desc.get || desc.set) {
        throw new TypeError(`'process.env' does not accept an accessor(getter/setter) descriptor`);
      }
      return Reflect.set(process.env, key, desc.value);
    },
    deleteProperty(target, key) {
      if (typeof key === 'string') native.unsetEnv(key);
      delete target[key];
      return true;
    },
  });
}
Object.defineProperty(process, 'env', {
  configurable: true,
  enumerable: true,
  get() {
    const env = makeEnv();
    Object.defineProperty(process, 'env', { value: env, writable: true, configurable: true, enumerable: true });
    return env;
  },
  set(value) {
    Object.defineProperty(process, 'env', { value, writable: true, configurable: true, enumerable: true });
  },
});

process.cwd = function cwd() {
  return native.cwd();
};

process.chdir = function chdir(directory) {
  if (typeof directory !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('directory', 'string', directory);
  native.chdir(directory);
};

process.umask = function umask(mask) {
  if (mask === undefined) return native.umask();
  if (typeof mask === 'string') mask = parseInt(mask, 8);
  return native.umask(mask);
};

process.getuid = () => ids.uid;
process.geteuid = () => ids.euid;
process.getgid = () => ids.gid;
process.getegid = () => ids.egid;
process.getgroups = () => native.groups();

function hrtime(prev) {
  const [sec, nsec] = native.hrtime();
  if (prev === undefined) return [sec, nsec];
  if (!Array.isArray(prev)) throw new codes.ERR_INVALID_ARG_TYPE('time', 'Array', prev);
  let ds = sec - prev[0];
  let dn = nsec - prev[1];
  if (dn < 0) {
    ds -= 1;
    dn += 1e9;
  }
  return [ds, dn];
}
hrtime.bigint = function bigint() {
  const [sec, nsec] = native.hrtime();
  return BigInt(sec) * 1000000000n + BigInt(nsec);
};
process.hrtime = hrtime;

process.uptime = () => native.uptime();

process.memoryUsage = function memoryUsage() {
  return native.memoryUsage();
};
process.memoryUsage.rss = () => native.rss();

process.cpuUsage = function cpuUsage(prev) {
  const [user, system] = native.cpuUsage();
  if (prev === undefined) return { user, system };
  return { user: user - prev.user, system: system - prev.system };
};

process.resourceUsage = () => native.resourceUsage();

// Node-API addons (crates/node/src/napi.rs); `flags` are dlopen's, RTLD_LAZY by default.
process.dlopen = function dlopen(module, filename, flags) {
  if (arguments.length < 2) {
    const err = new TypeError('process.dlopen needs at least 2 arguments');
    err.code = 'ERR_MISSING_ARGS';
    throw err;
  }
  if (module?.exports == null) throw new TypeError('Cannot convert undefined or null to object');
  internalBinding('napi').dlopen(module, `${filename}`, require('internal/napi'), flags === undefined ? undefined : flags | 0);
};

// --- signals: process.kill and signal listeners (owned by child_process) ---------------
process.kill = function kill(pid, sig) {
  // eslint-disable-next-line eqeqeq
  if (pid != (pid | 0)) throw new codes.ERR_INVALID_ARG_TYPE('pid', 'number', pid);
  let signal = sig;
  if (sig !== (sig | 0)) {
    const name = sig || 'SIGTERM';
    signal = native.signals[name];
    if (!signal) throw new codes.ERR_UNKNOWN_SIGNAL(name);
  }
  try {
    native.kill(pid, signal);
  } catch (err) {
    throw require('internal/net').errnoException(err.errno, 'kill');
  }
  return true;
};

// A signal's native watcher runs while the process has listeners for it.
let signalWatchers;
function startListeningIfSignal(type) {
  if (typeof type !== 'string' || !type.startsWith('SIG') || native.signals[type] === undefined) return;
  if (signalWatchers === undefined) {
    signalWatchers = internalBinding('signals');
    signalWatchers.setSignalCallback((number) => {
      for (const name of Object.keys(native.signals)) {
        if (native.signals[name] === number && process.listenerCount(name) > 0) process.emit(name, name, number);
      }
    });
  }
  if (process.listenerCount(type) > 0) return;
  const err = signalWatchers.start(native.signals[type]);
  if (err) throw require('internal/net').errnoException(err, 'uv_signal_start');
}
function stopListeningIfSignal(type) {
  if (signalWatchers === undefined || native.signals[type] === undefined) return;
  if (process.listenerCount(type) === 0) signalWatchers.stop(native.signals[type]);
}
process.on('newListener', startListeningIfSignal);
process.on('removeListener', stopListeningIfSignal);
// --- end of signals ------------------------------------------------------------------------

process.abort = () => native.abort();

process.reallyExit = function reallyExit(code) {
  native.reallyExit(code | 0);
};

function exitCodeNumber() {
  return exitCode === undefined || exitCode === null ? 0 : Number(exitCode);
}

process.exit = function exit(code) {
  if (code !== undefined) process.exitCode = code;
  if (!process._exiting) {
    process._exiting = true;
    process.emit('exit', exitCodeNumber());
  }
  process.reallyExit(exitCodeNumber());
};

process._emitBeforeExit = function emitBeforeExit() {
  if (!process._exiting) process.emit('beforeExit', exitCodeNumber());
};

// Returns the exit code once 'exit' listeners had their say.
process._emitExit = function emitExit() {
  if (!process._exiting) {
    process._exiting = true;
    try {
      process.emit('exit', exitCodeNumber());
    } catch (err) {
      require('internal/fatal_exception').onUncaughtException(err);
    }
  }
  return exitCodeNumber();
};

process.nextTick = nextTick;

// Node's own listener prints warnings (removing it silences them).
process.on('warning', function onWarning(warning) {
  require('internal/process_warning').printWarning(warning);
});

process.emitWarning = function emitWarning(warning, type, code, ctor) {
  require('internal/process_warning').emitWarning(warning, type, code, ctor);
};

process.binding = function binding(name) {
  throw new Error(`No such module: ${name}`);
};

// The standard streams, built on first access (see internal/process/stdio.js).
function defineStream(name, create) {
  let stream;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: true,
    get() {
      stream ??= create();
      return stream;
    },
  });
}
defineStream('stdout', () => require('internal/process/stdio').getStdout());
defineStream('stderr', () => require('internal/process/stdio').getStderr());
defineStream('stdin', () => require('internal/process/stdio').getStdin());
