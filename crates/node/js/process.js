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
// Node's keys in Node's order. Libraries ferro links report their own versions (zlib as
// zlib-rs's C API reports itself; ICU's are the engine's, else Node's); the others name
// what ferro implements by Node's contract, so they carry Node 24.19.0's values.
const linked = native.libraryVersions();
process.versions = {
  node: NODE_VERSION.slice(1),
  acorn: '8.17.0',
  ada: '3.4.4',
  amaro: '1.1.10',
  ares: '1.34.6',
  brotli: linked.brotli,
  cldr: linked.cldr ?? '48.0',
  icu: linked.icu ?? '78.3',
  llhttp: '9.4.3',
  merve: '1.2.2',
  modules: '137',
  napi: '10',
  nbytes: '0.1.4',
  ncrypto: '0.0.1',
  nghttp2: '1.69.0',
  nghttp3: '',
  ngtcp2: '',
  openssl: linked.openssl,
  simdjson: '4.6.4',
  simdutf: '6.4.0',
  sqlite: linked.sqlite,
  tz: linked.tz ?? '2026b',
  undici: '7.29.0',
  unicode: linked.unicode ?? '17.0',
  uv: '1.52.1',
  uvwasi: '0.0.23',
  v8: '13.6.233.17-node.51',
  zlib: '1.3.0-zlib-rs-0.6.8',
  zstd: linked.zstd,
  ferro: native.ferroVersion,
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

// {user, system} in microseconds, less `prevValue` (an earlier result) when given.
function usageSince(prevValue, user, system) {
  if (prevValue === undefined) return { user, system };
  if (prevValue === null || typeof prevValue !== 'object') throw new codes.ERR_INVALID_ARG_TYPE('prevValue', 'object', prevValue);
  for (const key of ['user', 'system']) {
    const value = prevValue[key];
    if (typeof value !== 'number') throw new codes.ERR_INVALID_ARG_TYPE(`prevValue.${key}`, 'number', value);
    if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER)) {
      throw new codes.ERR_INVALID_ARG_VALUE.RangeError(`prevValue.${key}`, value);
    }
  }
  return { user: user - prevValue.user, system: system - prevValue.system };
}

process.cpuUsage = function cpuUsage(prevValue) {
  const [user, system] = native.cpuUsage();
  return usageSince(prevValue, user, system);
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

// The event loop's hooks into 'beforeExit' and 'exit' (not enumerable: Node has no such keys).
Object.defineProperty(process, '_emitBeforeExit', {
  value: function emitBeforeExit() {
    if (!process._exiting) process.emit('beforeExit', exitCodeNumber());
  },
  writable: true,
  configurable: true,
});

// Returns the exit code once 'exit' listeners had their say.
Object.defineProperty(process, '_emitExit', {
  value: function emitExit() {
    if (!process._exiting) {
      process._exiting = true;
      try {
        process.emit('exit', exitCodeNumber());
      } catch (err) {
        require('internal/fatal_exception').onUncaughtException(err);
      }
    }
    return exitCodeNumber();
  },
  writable: true,
  configurable: true,
});

process.nextTick = nextTick;

// Node's own listener prints warnings (removing it silences them).
process.on('warning', function onWarning(warning) {
  require('internal/process_warning').printWarning(warning);
});

process.emitWarning = function emitWarning(warning, type, code, ctor) {
  require('internal/process_warning').emitWarning(warning, type, code, ctor);
};

// The legacy bindings ferro provides, built on first use.
const legacyBindings = {
  __proto__: null,
  spawn_sync: () => ({ spawn }),
};
const legacyBindingCache = { __proto__: null };
let bindingWarned = false;

process.binding = function binding(name) {
  // DEP0111 is a pending deprecation: shown once, only when asked for.
  if (!bindingWarned) {
    bindingWarned = true;
    const options = require('internal/options');
    if ((options.hasFlag('--pending-deprecation') && !options.hasFlag('--no-pending-deprecation')) ||
        process.env.NODE_PENDING_DEPRECATION === '1') {
      process.emitWarning('process.binding() is deprecated. Please use public APIs instead.',
        'DeprecationWarning', 'DEP0111');
    }
  }
  name = `${name}`;
  if (legacyBindings[name] === undefined) throw new Error(`No such module: ${name}`);
  return (legacyBindingCache[name] ??= legacyBindings[name]());
};

// process.binding('spawn_sync').spawn(options): Node's raw synchronous spawn, wrapped by
// process-on-spawn (tap, nyc). Options are spawnSync's normalized ones (file, args,
// envPairs, stdio as [{ type, input }], timeout, killSignal as a number, maxBuffer);
// errors come back as a negative errno in `error`, never thrown. (Rest parameter: the
// length is 0, as the native function's.)
function spawn(...args) {
  const options = args[0];
  const { signalName } = require('internal/child_process');
  const invalid = { error: -22, status: null, signal: null, output: null, pid: 0 };
  if (options === null || typeof options !== 'object' || typeof options.file !== 'string' ||
      !Array.isArray(options.args) || !Array.isArray(options.stdio)) {
    return invalid;
  }
  const stdio = options.stdio.map((entry) => (entry !== null && typeof entry === 'object' ? entry : { type: 'ignore' }));
  const input = stdio[0] && stdio[0].type === 'pipe' && ArrayBuffer.isView(stdio[0].input) ? stdio[0].input : undefined;
  const native = internalBinding('child_process').spawnSync({
    file: options.file,
    args: options.args.map(String),
    cwd: options.cwd,
    envPairs: Array.isArray(options.envPairs) ? options.envPairs.map(String) : undefined,
    stdio,
    detached: !!options.detached,
    uid: options.uid,
    gid: options.gid,
    input: input && new Uint8Array(input.buffer, input.byteOffset, input.byteLength),
    timeout: options.timeout ?? 0,
    killSignal: options.killSignal ?? internalBinding('process').signals.SIGTERM,
    maxBuffer: options.maxBuffer > 0 ? options.maxBuffer : Infinity,
  });
  const result = {};
  if (native.error) result.error = native.error;
  result.status = native.status ?? null;
  result.signal = native.signal ? signalName(native.signal) ?? native.signal : null;
  if (result.signal) result.status = null;
  const { Buffer } = require('buffer');
  result.output = native.output
    ? native.output.map((bytes) => (bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)))
    : null;
  result.pid = native.pid;
  return result;
}

process._rawDebug = function _rawDebug(...args) {
  native.writeFd(2, `${require('internal/util/inspect').format(...args)}\n`);
};

process._linkedBinding = function _linkedBinding(name) {
  throw new codes.ERR_INVALID_MODULE(`No such binding was linked: ${name}`);
};

process._kill = (pid, sig) => native.rawKill(pid, sig);

process.threadCpuUsage = function threadCpuUsage(prevValue) {
  const [user, system] = native.threadCpuUsage();
  return usageSince(prevValue, user, system);
};

process.constrainedMemory = () => native.constrainedMemory();
process.availableMemory = () => native.availableMemory();

// Anything with Node's ref/unref protocol: the nodejs.ref symbols first, then ref()/unref().
process.ref = function ref(maybeRefable) {
  if (maybeRefable == null) return;
  const method = maybeRefable[Symbol.for('nodejs.ref')] ?? maybeRefable.ref;
  if (typeof method === 'function') method.call(maybeRefable);
};
process.unref = function unref(maybeRefable) {
  if (maybeRefable == null) return;
  const method = maybeRefable[Symbol.for('nodejs.unref')] ?? maybeRefable.unref;
  if (typeof method === 'function') method.call(maybeRefable);
};

process.loadEnvFile = function loadEnvFile(path = '.env') {
  const content = require('fs').readFileSync(require('internal/fs/utils').getValidatedPath(path), 'utf8');
  const parsed = require('util').parseEnv(content);
  for (const key of Object.keys(parsed)) {
    if (process.env[key] === undefined) process.env[key] = parsed[key];
  }
};

process.getBuiltinModule = function getBuiltinModule(id) {
  if (typeof id !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('id', 'string', id);
  if (!require('module').isBuiltin(id)) return undefined;
  return require(id.startsWith('node:') ? id.slice(5) : id);
};

process.getActiveResourcesInfo = function getActiveResourcesInfo() {
  const resources = [];
  const timers = require('internal/timers').activeRefs();
  for (let i = 0; i < timers.timeouts; i++) resources.push('Timeout');
  for (let i = 0; i < timers.immediates; i++) resources.push('Immediate');
  return resources;
};
process._getActiveRequests = () => [];
process._getActiveHandles = () => [];

process.setUncaughtExceptionCaptureCallback = function setUncaughtExceptionCaptureCallback(fn) {
  require('internal/fatal_exception').setCaptureCallback(fn);
};
process.hasUncaughtExceptionCaptureCallback = function hasUncaughtExceptionCaptureCallback() {
  return require('internal/fatal_exception').hasCaptureCallback();
};
process._fatalException = function _fatalException(err) {
  require('internal/fatal_exception').onUncaughtException(err);
  return true;
};
process._tickCallback = function _tickCallback() {
  require('internal/task_queues').processTicks();
};

let sourceMapsEnabled = native.execArgv().includes('--enable-source-maps');
Object.defineProperty(process, 'sourceMapsEnabled', {
  enumerable: true,
  configurable: true,
  get: () => sourceMapsEnabled,
});
process.setSourceMapsEnabled = function setSourceMapsEnabled(enabled) {
  if (typeof enabled !== 'boolean') throw new codes.ERR_INVALID_ARG_TYPE('enabled', 'boolean', enabled);
  sourceMapsEnabled = enabled;
};

process.openStdin = function openStdin() {
  process.stdin.resume();
  return process.stdin;
};

// No inspector: these exist for programs that probe for them.
process._debugProcess = function _debugProcess(pid) {
  process._kill(pid, native.signals.SIGUSR1);
};
process._debugEnd = function _debugEnd() {};
process._startProfilerIdleNotifier = function _startProfilerIdleNotifier() {};
process._stopProfilerIdleNotifier = function _stopProfilerIdleNotifier() {};
let debugPort = 9229;
Object.defineProperty(process, 'debugPort', {
  enumerable: true,
  configurable: true,
  get: () => debugPort,
  set(value) {
    if (typeof value === 'number' && value !== 0 && (value < 1024 || value > 65535 || !Number.isInteger(value))) {
      const err = new codes.ERR_OUT_OF_RANGE('process.debugPort', '', value);
      err.message = 'process.debugPort must be 0 or in range 1024 to 65535';
      throw err;
    }
    debugPort = value;
  },
});
process._preload_modules = [];
Object.defineProperty(process, 'allowedNodeEnvironmentFlags', {
  enumerable: true,
  configurable: true,
  get() {
    const { allowedNodeEnvironmentFlags } = require('internal/process/allowed_flags');
    Object.defineProperty(process, 'allowedNodeEnvironmentFlags', {
      value: allowedNodeEnvironmentFlags,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return allowedNodeEnvironmentFlags;
  },
});

// ---- credentials ----

// A numeric id, or a user/group name looked up in the system databases.
function credentialId(id, kind, name = 'id') {
  if (typeof id === 'number') {
    require('internal/errors').validators.validateUint32(id, name);
    return id;
  }
  if (typeof id !== 'string') throw new codes.ERR_INVALID_ARG_TYPE(name, ['number', 'string'], id);
  const result = native.credentialId(kind, id);
  if (result === -1) throw new codes.ERR_UNKNOWN_CREDENTIAL(kind === 'user' ? 'User' : 'Group', id);
  return result;
}

// Node's legacy errno errors: `EPERM, Operation not permitted` with errno, code, syscall.
function credentialFailure(syscall, [errno, text]) {
  const code = internalBinding('uv').errname(-errno);
  const err = new Error(`${code}, ${text}`);
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  return err;
}

function refreshIds() {
  Object.assign(ids, native.ids());
}

process.setgroups = function setgroups(groups) {
  if (!Array.isArray(groups)) throw new codes.ERR_INVALID_ARG_TYPE('groups', 'Array', groups);
  const list = groups.map((group, i) => credentialId(group, 'group', `groups[${i}]`));
  const failed = native.setGroups(list);
  if (failed !== undefined) throw credentialFailure('setgroups', failed);
};
process.initgroups = function initgroups(user, extraGroup) {
  if (typeof user !== 'number' && typeof user !== 'string') {
    throw new codes.ERR_INVALID_ARG_TYPE('user', ['number', 'string'], user);
  }
  if (typeof extraGroup !== 'number' && typeof extraGroup !== 'string') {
    throw new codes.ERR_INVALID_ARG_TYPE('extraGroup', ['number', 'string'], extraGroup);
  }
  let name = user;
  if (typeof user === 'number') {
    name = native.userName(credentialId(user, 'user', 'user'));
    if (name === undefined) throw new codes.ERR_UNKNOWN_CREDENTIAL('User', user);
  } else {
    credentialId(user, 'user', 'user');
  }
  const failed = native.initGroups(name, credentialId(extraGroup, 'group', 'extraGroup'));
  if (failed !== undefined) throw credentialFailure('initgroups', failed);
};

for (const [call, kind] of [['setegid', 'group'], ['seteuid', 'user'], ['setgid', 'group'], ['setuid', 'user']]) {
  process[call] = {
    [call](id) {
      const failed = native.setCredential(call, credentialId(id, kind));
      if (failed !== undefined) throw credentialFailure(call, failed);
      refreshIds();
    },
  }[call];
}

// ---- execve ----

let execveWarned = false;
process.execve = function execve(execPath, args = [], env = process.env) {
  if (!execveWarned) {
    execveWarned = true;
    process.emitWarning('process.execve is an experimental feature and might change at any time', 'ExperimentalWarning');
  }
  if (!require('internal/worker/state').isMainThread) throw new codes.ERR_WORKER_UNSUPPORTED_OPERATION('Calling process.execve');
  const { validateString, validateArray, validateObject } = require('internal/errors').validators;
  validateString(execPath, 'execPath');
  validateArray(args, 'args');
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] !== 'string' || args[i].includes('\0')) {
      throw new codes.ERR_INVALID_ARG_VALUE(`args[${i}]`, args[i], 'must be a string without null bytes');
    }
  }
  validateObject(env, 'env');
  const envList = [];
  for (const key of Object.keys(env)) {
    const value = env[key];
    if (typeof value !== 'string' || key.includes('\0') || value.includes('\0')) {
      throw new codes.ERR_INVALID_ARG_VALUE('env', env, 'must be an object with string keys and values without null bytes');
    }
    envList.push(`${key}=${value}`);
  }
  const failure = native.execve(execPath, args, envList);
  // Like Node: a failed exec is fatal.
  native.writeFd(2, `process.execve failed with error code ${failure}\n`);
  process.abort();
};

// ---- finalization: callbacks for objects still alive at exit ----

process.finalization = {
  register(obj, callback) {
    registerFinalization(obj, callback, 'exit');
  },
  registerBeforeExit(obj, callback) {
    registerFinalization(obj, callback, 'beforeExit');
  },
  unregister(obj) {
    finalizationRefs?.delete(obj);
  },
};
let finalizationRefs;
let finalizationWarned = false;
function registerFinalization(obj, callback, event) {
  if (!finalizationWarned) {
    finalizationWarned = true;
    process.emitWarning('process.finalization.register is an experimental feature and might change at any time', 'ExperimentalWarning');
  }
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    throw new codes.ERR_INVALID_ARG_TYPE('obj', 'object', obj);
  }
  if (finalizationRefs === undefined) {
    finalizationRefs = new Map();
    const run = (which) => () => {
      for (const [target, entry] of finalizationRefs) {
        if (entry.event === which) entry.callback(target, which);
      }
    };
    process.on('exit', run('exit'));
    process.on('beforeExit', run('beforeExit'));
  }
  finalizationRefs.set(obj, { callback, event });
}

// ---- process.report ----

Object.defineProperty(process, 'report', {
  enumerable: true,
  configurable: true,
  get() {
    const { report } = require('internal/process/report');
    Object.defineProperty(process, 'report', { value: report, writable: true, enumerable: true, configurable: true });
    return report;
  },
});

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
