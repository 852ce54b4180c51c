'use strict';

// The ChildProcess class and the plumbing under node:child_process: stdio descriptions,
// the native process handle (src/child_process.rs), signal names and spawnSync's result.

const EventEmitter = require('events');
const { captureResourceContext, contextToEnter, runInContext } = require('internal/util/async_context');
const { codes, validators } = require('internal/errors');
const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_UNKNOWN_SIGNAL, ERR_IPC_ONE_PIPE, ERR_IPC_SYNC_FORK } = codes;
const { validateObject, validateString, validateArray, validateOneOf } = validators;
const { errnoException } = require('internal/net');
const binding = internalBinding('child_process');
const { signals } = internalBinding('process');

const UV_ENOENT = -2;
const UV_EACCES = -13;
const UV_EAGAIN = -11;
const UV_EMFILE = -24;
const UV_ENFILE = -23;
const UV_ESRCH = -3;
const UV_EINVAL = -22;
const UV_ENOSYS = -38;

let signalNames;
function signalName(number) {
  if (signalNames === undefined) {
    signalNames = Object.create(null);
    for (const name of Object.keys(signals)) signalNames[signals[name]] ??= name;
  }
  return signalNames[number];
}

// A signal name (any case) or number to its number; ERR_UNKNOWN_SIGNAL otherwise.
function convertToValidSignal(signal) {
  if (typeof signal === 'number' && signalName(signal) !== undefined) return signal;
  if (typeof signal === 'string') {
    const number = signals[signal.toUpperCase()];
    if (number) return number;
  }
  throw new ERR_UNKNOWN_SIGNAL(signal);
}

function sanitizeKillSignal(killSignal) {
  if (typeof killSignal === 'string' || typeof killSignal === 'number') return convertToValidSignal(killSignal);
  if (killSignal != null) {
    throw new ERR_INVALID_ARG_TYPE('options.killSignal', ['string', 'number'], killSignal);
  }
}

// 'exit' runs in the async context the child was spawned in.
binding.setExitCallback((child, exitCode, signal) => {
  const args = [exitCode, signal === 0 ? null : signalName(signal) ?? signal];
  const context = contextToEnter(child);
  if (context === undefined) Reflect.apply(child[kOnExit], child, args);
  else runInContext(context, child[kOnExit], child, args);
});

const kOnExit = Symbol('kOnExit');

// stdio as `{ type: 'pipe'|'ipc'|'ignore'|'inherit'|'fd', fd }` per descriptor.
function getValidStdio(stdio, sync) {
  if (typeof stdio === 'string') {
    if (stdio !== 'pipe' && stdio !== 'overlapped' && stdio !== 'ignore' && stdio !== 'inherit') {
      throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
    }
    stdio = [stdio, stdio, stdio];
  } else if (!Array.isArray(stdio)) {
    throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  } else {
    stdio = [...stdio];
  }
  while (stdio.length < 3) stdio.push(undefined);
  let ipcFd;
  const result = stdio.map((entry, i) => {
    if (entry == null) entry = i < 3 ? 'pipe' : 'ignore';
    if (entry === 'ignore') return { type: 'ignore' };
    if (entry === 'pipe' || entry === 'overlapped' || (typeof entry === 'number' && entry < 0)) {
      return { type: 'pipe', readable: i === 0, writable: i !== 0 };
    }
    if (entry === 'ipc') {
      if (sync) throw new ERR_IPC_SYNC_FORK();
      if (ipcFd !== undefined) throw new ERR_IPC_ONE_PIPE();
      ipcFd = i;
      return { type: 'ipc', ipc: true };
    }
    if (entry === 'inherit') return { type: 'inherit', fd: i };
    if (typeof entry === 'number') return { type: 'fd', fd: entry };
    if (typeof entry === 'object' && typeof entry.fd === 'number') return { type: 'fd', fd: entry.fd };
    if (typeof entry === 'object' && entry._handle && typeof entry._handle.fd === 'number') {
      return { type: 'fd', fd: entry._handle.fd };
    }
    if (ArrayBuffer.isView(entry) || typeof entry === 'string') {
      if (!sync) {
        const { inspect } = require('internal/util/inspect');
        throw new codes.ERR_INVALID_SYNC_FORK_INPUT(inspect(entry));
      }
      return { type: 'ignore' };
    }
    throw new ERR_INVALID_ARG_VALUE('stdio', entry);
  });
  return { stdio: result, ipcFd };
}

function ChildProcess() {
  EventEmitter.call(this);
  this._closesNeeded = 1;
  this._closesGot = 0;
  this.connected = false;
  this.signalCode = null;
  this.exitCode = null;
  this.killed = false;
  this.spawnfile = null;
  this._handle = null;
}
Object.setPrototypeOf(ChildProcess.prototype, EventEmitter.prototype);
Object.setPrototypeOf(ChildProcess, EventEmitter);

ChildProcess.prototype.spawn = function spawn(options) {
  validateObject(options, 'options');
  captureResourceContext(this);
  const { stdio, ipcFd } = getValidStdio(options.stdio || 'pipe', false);
  const serialization = options.serialization || 'json';
  if (ipcFd !== undefined) {
    options.envPairs = [...(options.envPairs || []), `NODE_CHANNEL_FD=${ipcFd}`];
    validateOneOf(options.serialization, 'options.serialization', [undefined, 'json', 'advanced']);
    options.envPairs.push(`NODE_CHANNEL_SERIALIZATION_MODE=${serialization}`);
  }
  validateString(options.file, 'options.file');
  this.spawnfile = options.file;
  if (options.args === undefined) this.spawnargs = [];
  else {
    validateArray(options.args, 'options.args');
    this.spawnargs = options.args;
  }
  if (options.envPairs !== undefined) validateArray(options.envPairs, 'options.envPairs');

  const spawned = binding.spawn(this, {
    file: options.file,
    args: this.spawnargs,
    cwd: options.cwd,
    envPairs: options.envPairs,
    stdio,
    detached: !!options.detached,
    uid: options.uid,
    gid: options.gid,
  });
  const err = spawned.err;
  // Failures to run the program are 'error' events; anything else is thrown.
  if (err === UV_EACCES || err === UV_EAGAIN || err === UV_EMFILE || err === UV_ENFILE || err === UV_ENOENT) {
    process.nextTick(onErrorNT, this, err);
    if (err === UV_EMFILE || err === UV_ENFILE) return err;
  } else if (err) {
    throw errnoException(err, 'spawn');
  } else {
    this._handle = spawned.handle;
    process.nextTick(onSpawnNT, this);
  }
  this.pid = spawned.pid;

  const net = require('net');
  const sockets = stdio.map((entry, i) => {
    const handle = spawned.pipes[i];
    if (handle === undefined) return null;
    if (entry.ipc) {
      this._closesNeeded++;
      return { ipc: handle };
    }
    const socket = new net.Socket({ handle, readable: i > 0 });
    if (i > 0) {
      this._closesNeeded++;
      socket.on('close', () => maybeClose(this));
    }
    return socket;
  });
  this.stdin = sockets.length >= 1 && sockets[0] && !sockets[0].ipc ? sockets[0] : null;
  this.stdout = sockets.length >= 2 && sockets[1] && !sockets[1].ipc ? sockets[1] : null;
  this.stderr = sockets.length >= 3 && sockets[2] && !sockets[2].ipc ? sockets[2] : null;
  this.stdio = sockets.map((s) => (s && s.ipc ? null : s));
  if (ipcFd !== undefined) {
    require('internal/child_process/ipc').setupChannel(this, sockets[ipcFd].ipc, false, serialization);
  }
  return err;
};

function onSpawnNT(child) {
  child.emit('spawn');
}

function onErrorNT(child, err) {
  child[kOnExit](err, null);
}

ChildProcess.prototype[kOnExit] = function onExit(exitCode, signalCode) {
  if (signalCode) this.signalCode = signalCode;
  else this.exitCode = exitCode;
  if (this.stdin) this.stdin.destroy();
  this._handle = null;
  if (exitCode < 0) {
    const syscall = this.spawnfile ? `spawn ${this.spawnfile}` : 'spawn';
    const err = errnoException(exitCode, syscall);
    if (this.spawnfile) err.path = this.spawnfile;
    err.spawnargs = this.spawnargs.slice(1);
    this.emit('error', err);
  } else {
    this.emit('exit', this.exitCode, this.signalCode);
  }
  process.nextTick(flushStdio, this);
  maybeClose(this);
};

// Output nobody reads still has to drain for the pipes (and 'close') to finish.
function flushStdio(child) {
  const stdio = child.stdio;
  if (stdio == null) return;
  for (const stream of stdio) {
    if (!stream || !stream.readable || stream._readableState.readableListening) continue;
    stream.resume();
  }
}

function maybeClose(child) {
  child._closesGot++;
  if (child._closesGot === child._closesNeeded) {
    child.emit('close', child.exitCode, child.signalCode);
  }
}

ChildProcess.prototype.kill = function kill(sig) {
  const signal = sig === 0 ? sig : convertToValidSignal(sig === undefined ? 'SIGTERM' : sig);
  if (this._handle) {
    const err = binding.kill(this._handle, signal);
    if (err === 0) {
      this.killed = true;
      return true;
    }
    if (err === UV_EINVAL || err === UV_ENOSYS) throw errnoException(err, 'kill');
    // ESRCH: it already exited and we haven't heard yet.
    if (err !== UV_ESRCH) this.emit('error', errnoException(err, 'kill'));
  }
  return false;
};

ChildProcess.prototype[Symbol.dispose] = function dispose() {
  if (!this.killed) this.kill();
};

ChildProcess.prototype.ref = function ref() {
  if (this._handle) binding.setRef(this._handle, true);
};

ChildProcess.prototype.unref = function unref() {
  if (this._handle) binding.setRef(this._handle, false);
};

// spawnSync's native call: `options` as normalized by child_process.spawnSync.
function spawnSync(options) {
  const stdin = options.stdio[0];
  const native = binding.spawnSync({
    file: options.file,
    args: options.args,
    cwd: options.cwd,
    envPairs: options.envPairs,
    stdio: options.stdio,
    detached: !!options.detached,
    uid: options.uid,
    gid: options.gid,
    input: stdin && stdin.type === 'pipe' ? stdin.input : undefined,
    timeout: options.timeout ?? 0,
    killSignal: options.killSignal ?? signals.SIGTERM,
    maxBuffer: options.maxBuffer ?? Infinity,
  });
  const result = {};
  if (native.error) result.error = native.error;
  result.status = native.status ?? null;
  result.signal = native.signal ? signalName(native.signal) : null;
  if (result.signal) result.status = null;
  let output = native.output ?? null;
  if (output) {
    const { FastBuffer } = internalBinding('buffer').internals;
    output = output.map((bytes) => {
      if (bytes === null) return null;
      const buf = new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
      return options.encoding && options.encoding !== 'buffer' ? buf.toString(options.encoding) : buf;
    });
  }
  result.output = output;
  result.pid = native.pid;
  result.stdout = output && output[1];
  result.stderr = output && output[2];
  if (result.error) {
    result.error = errnoException(result.error, `spawnSync ${options.file}`);
    result.error.path = options.file;
    result.error.spawnargs = options.args.slice(1);
  }
  return result;
}

module.exports = {
  ChildProcess,
  convertToValidSignal,
  getValidStdio,
  maybeClose,
  sanitizeKillSignal,
  signalName,
  spawnSync,
};
