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

process.kill = function kill(pid, sig = 'SIGTERM') {
  if (pid != (pid | 0)) throw new codes.ERR_INVALID_ARG_TYPE('pid', 'number', pid);
  let signal = sig;
  if (typeof sig === 'string') {
    signal = native.signals[sig];
    if (signal === undefined) throw new codes.ERR_UNKNOWN_SIGNAL(sig);
  }
  return native.kill(pid, signal);
};

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

process.emitWarning = function emitWarning(warning, type, code, ctor) {
  require('internal/process_warning').emitWarning(warning, type, code, ctor);
};

process.binding = function binding(name) {
  throw new Error(`No such module: ${name}`);
};

// Minimal standard streams until node:stream arrives: synchronous writes, as Node does
// for files, pipes and terminals.
function makeStdioStream(fd) {
  const stream = new EventEmitter();
  stream.fd = fd;
  stream.writable = true;
  stream._isStdio = true;
  stream.isTTY = native.isTTY(fd);
  if (stream.isTTY) {
    const size = native.windowSize(fd);
    stream.columns = size ? size[0] : 80;
    stream.rows = size ? size[1] : 24;
    stream.getWindowSize = () => [stream.columns, stream.rows];
    stream.getColorDepth = (env) => require('tty').colorDepth(env);
    stream.hasColors = (count = 16, env) => (typeof count === 'object' ? 16 : count) <= 2 ** stream.getColorDepth(typeof count === 'object' ? count : env);
  }
  stream.write = function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') callback = encoding;
    if (typeof chunk !== 'string' && !ArrayBuffer.isView(chunk)) {
      throw new codes.ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
    }
    native.writeFd(fd, chunk);
    if (typeof callback === 'function') nextTick(callback, null);
    return true;
  };
  stream.end = function end(chunk, encoding, callback) {
    if (typeof chunk === 'function') callback = chunk;
    else if (chunk !== undefined && chunk !== null) stream.write(chunk, encoding);
    if (typeof callback === 'function') nextTick(callback, null);
    return stream;
  };
  stream.cork = () => {};
  stream.uncork = () => {};
  stream.setDefaultEncoding = () => stream;
  return stream;
}

function defineStream(name, fd) {
  let stream;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: true,
    get() {
      stream ??= makeStdioStream(fd);
      return stream;
    },
  });
}
defineStream('stdout', 1);
defineStream('stderr', 2);
