'use strict';

// node:net. Sockets are Duplex streams over a native stream handle (TCP, Unix socket or
// pipe; see src/stream_handle.rs); servers are EventEmitters over a native listener.
// The native side calls back through the functions registered at the bottom of this file.

const EventEmitter = require('events');
const { Duplex } = require('stream');
const { codes, validators } = require('internal/errors');
const {
  ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_SERVER_ALREADY_LISTEN,
  ERR_SERVER_NOT_RUNNING, ERR_SOCKET_CLOSED, ERR_MISSING_ARGS, ERR_INVALID_ADDRESS_FAMILY,
  ERR_INVALID_FD_TYPE, ERR_SOCKET_CLOSED_BEFORE_CONNECTION, ERR_INVALID_IP_ADDRESS, ERR_OUT_OF_RANGE,
  ERR_SOCKET_CONNECTION_TIMEOUT, ERR_SOCKET_HANDLE_ADOPTED,
} = codes;
const { validateNumber, validateFunction, validateInt32, validateBoolean, validateObject, validateString } = validators;
const binding = internalBinding('net');
require('buffer'); // defines the binding's internals
const { captureResourceContext, contextToEnter, runInContext } = require('internal/util/async_context');
const { FastBuffer } = internalBinding('buffer').internals;
const {
  isIP, isIPv4, isIPv6, validatePort, errnoException, exceptionWithHostPort, uvExceptionWithHostPort, kDataHook,
  kDataHookTakesArrayBuffer, kWriteStringNow, kOnConnection, clusterHooks,
} = require('internal/net');

const UV_EOF = -4095;
// Slot 0: the byte count of the last binding.writeString.
const streamWriteInfo = binding.writeInfo;
const kOnRead = Symbol('kOnRead');
const kOnConnect = Symbol('kOnConnect');
const kTimeout = Symbol('kTimeout');
const kBytesRead = Symbol('kBytesRead');
const kBytesWritten = Symbol('kBytesWritten');
const kLastWriteQueueSize = Symbol('kLastWriteQueueSize');
const kSetNoDelay = Symbol('kSetNoDelay');
const kSetKeepAlive = Symbol('kSetKeepAlive');
const kKeepAliveDelay = Symbol('kKeepAliveDelay');
const kPipePath = Symbol('kPipePath');
const kResetOnClose = Symbol('kResetOnClose');
// The descriptor of an adopted net.BoundSocket until the Socket connects it.
const kBoundFd = Symbol('kBoundFd');

function toNumber(x) {
  return (x = Number(x)) >= 0 ? x : false;
}

function isPipeName(s) {
  return typeof s === 'string' && toNumber(s) === false;
}

// [options, cb] from the argument shapes connect() and createConnection() accept.
function normalizeArgs(args) {
  if (args.length === 0) return [{}, null];
  const arg0 = args[0];
  let options = {};
  if (typeof arg0 === 'object' && arg0 !== null) {
    options = arg0;
  } else if (isPipeName(arg0)) {
    options.path = arg0;
  } else {
    options.port = arg0;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  const cb = args[args.length - 1];
  return [options, typeof cb === 'function' ? cb : null];
}

// --- Socket --------------------------------------------------------------------------

function Socket(options) {
  if (!(this instanceof Socket)) return new Socket(options);
  if (typeof options === 'number') options = { fd: options };
  else options = { ...options };
  let boundFd;
  if (options.handle instanceof BoundSocket) {
    // Bound but not connected: the handle gets the descriptor when connect() connects it.
    boundFd = options.handle[kBoundSocketConsume]();
    options.handle = binding.createSocket();
  } else if (options.fd !== undefined) {
    // A socket descriptor (inherited, passed): the Socket takes it over.
    validateInt32(options.fd, 'fd', 0);
    const type = internalBinding('tty').guessHandleType(options.fd);
    const handle = type === 'TCP' || type === 'PIPE' ? binding.adoptSocket(options.fd) : null;
    if (handle === null || typeof handle === 'number') throw new ERR_INVALID_FD_TYPE(type);
    options.handle = handle;
  }
  const { signal } = options;
  delete options.signal;
  validateAbortSignal(signal, 'signal');

  this.connecting = false;
  this._hadError = false;
  this._handle = null;
  this._parent = null;
  this._host = null;
  this[kTimeout] = null;
  this[kBytesRead] = 0;
  this[kBytesWritten] = 0;
  this[kLastWriteQueueSize] = 0;
  this[kSetNoDelay] = Boolean(options.noDelay);
  this[kSetKeepAlive] = Boolean(options.keepAlive);
  this[kKeepAliveDelay] = ~~((options.keepAliveInitialDelay ?? 0) / 1000);
  this[kBoundFd] = boundFd;
  this.server = null;
  this._server = null;
  captureResourceContext(this);

  options.allowHalfOpen = Boolean(options.allowHalfOpen);
  options.emitClose = false;
  options.autoDestroy = true;
  options.decodeStrings = false;
  Duplex.call(this, options);

  if (options.handle) {
    this._handle = options.handle;
    binding.setOwner(this._handle, this);
    this[kSetNoDelayOnHandle]();
  }

  this.on('end', onReadableStreamEnd);

  if (signal) addAbortSignalTo(this, signal);

  if (this._handle && options.readable !== false) {
    if (options.pauseOnCreate) {
      this._handle.reading = false;
      binding.readStop(this._handle);
      this.readableFlowing = false;
    } else if (!options.manualStart) {
      this.read(0);
    }
  }
}
Object.setPrototypeOf(Socket.prototype, Duplex.prototype);
Object.setPrototypeOf(Socket, Duplex);

const kSetNoDelayOnHandle = Symbol('kSetNoDelayOnHandle');
Socket.prototype[kSetNoDelayOnHandle] = function() {
  if (this[kSetNoDelay]) binding.setNoDelay(this._handle, true);
  if (this[kSetKeepAlive]) binding.setKeepAlive(this._handle, true, this[kKeepAliveDelay]);
};

function validateAbortSignal(signal, name) {
  const { isAbortSignal } = require('internal/abort_controller');
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

function addAbortSignalTo(socket, signal) {
  const onAbort = () => {
    const { AbortError } = require('internal/errors');
    socket.destroy(new AbortError(undefined, { cause: signal.reason }));
  };
  if (signal.aborted) process.nextTick(onAbort);
  else {
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => signal.removeEventListener('abort', onAbort));
  }
}

function onReadableStreamEnd() {
  if (!this.allowHalfOpen) {
    this.write = writeAfterFIN;
  }
}

function writeAfterFIN(chunk, encoding, cb) {
  if (!this.writableEnded) {
    return Duplex.prototype.write.call(this, chunk, encoding, cb);
  }
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  }
  const er = new Error('This socket has been ended by the other party');
  er.code = 'EPIPE';
  if (typeof cb === 'function') process.nextTick(cb, er);
  this.destroy(er);
  return false;
}

Socket.prototype.setTimeout = function(msecs, callback) {
  if (this.destroyed) return this;
  this.timeout = msecs;
  msecs = timerDuration(msecs, 'msecs');
  if (this[kTimeout]) {
    clearTimeout(this[kTimeout]);
    this[kTimeout] = null;
  }
  if (msecs === 0) {
    if (callback !== undefined) {
      validateFunction(callback, 'callback');
      this.removeListener('timeout', callback);
    }
  } else {
    this[kTimeout] = setTimeout(onSocketTimeout, msecs, this);
    this[kTimeout].unref();
    if (callback !== undefined) {
      validateFunction(callback, 'callback');
      this.once('timeout', callback);
    }
  }
  return this;
};

function timerDuration(msecs, name) {
  validateNumber(msecs, name);
  if (msecs < 0 || !Number.isFinite(msecs)) {
    throw new ERR_OUT_OF_RANGE(name, 'a non-negative finite number', msecs);
  }
  // Beyond the timers' range Node warns and uses 1 ms; 2^31-1 ms is over 24 days.
  return msecs > 2147483647 ? 1 : msecs;
}

// The timer stays the socket's: activity refreshes it, which arms it again after it fired.
function onSocketTimeout(socket) {
  socket.emit('timeout');
}

Socket.prototype._unrefTimer = function _unrefTimer() {
  for (let s = this; s !== null; s = s._parent) {
    if (s[kTimeout]) s[kTimeout].refresh();
  }
};

Socket.prototype.setNoDelay = function(enable) {
  const on = enable === undefined ? true : Boolean(enable);
  if (!this._handle) {
    this[kSetNoDelay] = on;
    return this;
  }
  if (this[kSetNoDelay] !== on) {
    this[kSetNoDelay] = on;
    binding.setNoDelay(this._handle, on);
  }
  return this;
};

Socket.prototype.setKeepAlive = function(enable, initialDelayMsecs) {
  enable = Boolean(enable);
  const initialDelay = ~~((initialDelayMsecs ?? 0) / 1000);
  if (!this._handle) {
    this[kSetKeepAlive] = enable;
    this[kKeepAliveDelay] = initialDelay;
    return this;
  }
  if (this[kSetKeepAlive] !== enable || (enable && this[kKeepAliveDelay] !== initialDelay)) {
    this[kSetKeepAlive] = enable;
    this[kKeepAliveDelay] = initialDelay;
    binding.setKeepAlive(this._handle, enable, initialDelay);
  }
  return this;
};

Socket.prototype.address = function() {
  return this._getsockname();
};

Object.defineProperty(Socket.prototype, '_connecting', {
  get() { return this.connecting; },
});

Object.defineProperty(Socket.prototype, 'pending', {
  get() { return !this._handle || this.connecting; },
  configurable: true,
});

Object.defineProperty(Socket.prototype, 'readyState', {
  get() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  },
});

Object.defineProperty(Socket.prototype, 'bufferSize', {
  get() {
    if (this._handle) return this.writableLength + binding.writeQueueSize(this._handle);
    return undefined;
  },
});

Object.defineProperty(Socket.prototype, 'bytesRead', {
  get() { return this[kBytesRead]; },
});

Object.defineProperty(Socket.prototype, 'bytesWritten', {
  get() {
    let bytes = this[kBytesWritten];
    const data = this._pendingData;
    const state = this._writableState;
    if (!state) return undefined;
    for (const el of this.writableBuffer) {
      bytes += el.chunk instanceof Buffer ? el.chunk.length : Buffer.byteLength(el.chunk, el.encoding);
    }
    if (Array.isArray(data)) {
      for (const el of data) bytes += el.chunk instanceof Buffer ? el.chunk.length : Buffer.byteLength(el.chunk, el.encoding);
    } else if (data) {
      bytes += typeof data === 'string' ? Buffer.byteLength(data, this._pendingEncoding) : data.length;
    }
    return bytes;
  },
});

Socket.prototype._getpeername = function() {
  if (!this._handle || this.connecting) return this._peername || {};
  if (!this._peername) {
    const out = binding.peername(this._handle);
    if (typeof out === 'number') return {};
    this._peername = out;
  }
  return this._peername;
};

Socket.prototype._getsockname = function() {
  if (!this._handle) return {};
  if (this[kPipePath] !== undefined) return {};
  if (!this._sockname) {
    const fd = this[kBoundFd];
    const out = fd === undefined ? binding.sockname(this._handle) : binding.boundAddress(fd);
    if (typeof out === 'number') return {};
    this._sockname = out;
  }
  return this._sockname;
};

for (const [name, key, from] of [
  ['remoteAddress', 'address', '_getpeername'], ['remoteFamily', 'family', '_getpeername'],
  ['remotePort', 'port', '_getpeername'], ['localAddress', 'address', '_getsockname'],
  ['localPort', 'port', '_getsockname'], ['localFamily', 'family', '_getsockname'],
]) {
  Object.defineProperty(Socket.prototype, name, {
    get() { return this[from]()[key]; },
    configurable: true,
  });
}

Socket.prototype._read = function(n) {
  if (this.connecting || !this._handle || this[kBoundFd] !== undefined) {
    this.once('connect', () => this._read(n));
  } else if (!this._handle.reading) {
    tryReadStart(this);
  }
};

function tryReadStart(socket) {
  socket._handle.reading = true;
  const err = binding.readStart(socket._handle);
  if (err) socket.destroy(errnoException(err, 'read'));
}

Socket.prototype[kOnRead] = function(status, chunk) {
  this._unrefTimer();
  if (status > 0) {
    this[kBytesRead] += status;
    if (this[kDataHook] !== undefined) {
      this[kDataHook](this[kDataHookTakesArrayBuffer] === true ? chunk : new FastBuffer(chunk, 0, status));
      return;
    }
    const buf = new FastBuffer(chunk, 0, status);
    if (!this.push(buf) && this._handle) {
      this._handle.reading = false;
      binding.readStop(this._handle);
    }
    return;
  }
  if (status === UV_EOF) {
    if (this._handle) this._handle.reading = false;
    this.push(null);
    this.read(0);
    return;
  }
  this.destroy(errnoException(status, 'read'));
};

// With a data hook the Readable side carries no data, so flow control is the handle's.
Socket.prototype.pause = function() {
  if (this[kDataHook] !== undefined && this._handle && this._handle.reading && !this.connecting) {
    this._handle.reading = false;
    binding.readStop(this._handle);
  }
  return Duplex.prototype.pause.call(this);
};

Socket.prototype.resume = function() {
  if (this[kDataHook] !== undefined && this._handle && !this._handle.reading && !this.connecting && !this.destroyed) {
    tryReadStart(this);
  }
  return Duplex.prototype.resume.call(this);
};

Socket.prototype.end = function(data, encoding, callback) {
  Duplex.prototype.end.call(this, data, encoding, callback);
  return this;
};

Socket.prototype.destroySoon = function() {
  if (this.writable) this.end();
  if (this.writableFinished) this.destroy();
  else this.once('finish', this.destroy);
};

Socket.prototype.resetAndDestroy = function() {
  if (this._handle) {
    if (this.connecting) {
      this.once('connect', () => this.resetAndDestroy());
      return this;
    }
    this[kResetOnClose] = true;
    return this.destroy();
  }
  return this.destroy(new ERR_SOCKET_CLOSED());
};

Socket.prototype._final = function(cb) {
  if (this.pending) {
    return this.once('connect', () => this._final(cb));
  }
  if (!this._handle) return cb();
  const req = { oncomplete: (status) => {
    if (status < 0 && status !== -107) return cb(errnoException(status, 'shutdown'));
    cb();
  } };
  const err = binding.shutdown(this._handle, req);
  if (err < 0 && err !== -107) return cb(errnoException(err, 'shutdown'));
  // Done at once (1), or not connected (ENOTCONN) so there is nothing to shut down.
  if (err === 1 || err < 0) cb();
};

Socket.prototype._writeGeneric = function(writev, data, encoding, cb) {
  if (this.connecting) {
    this._pendingData = data;
    this._pendingEncoding = encoding;
    this.once('connect', function connect() {
      this.off('close', onClose);
      this._writeGeneric(writev, data, encoding, cb);
    });
    function onClose() {
      cb(new ERR_SOCKET_CLOSED_BEFORE_CONNECTION());
    }
    this.once('close', onClose);
    return;
  }
  this._pendingData = null;
  this._pendingEncoding = '';
  if (!this._handle) {
    cb(new ERR_SOCKET_CLOSED());
    return false;
  }
  if (this[kBoundFd] !== undefined) {
    // An adopted BoundSocket that was never connected: write(2) fails, and the stream
    // errors out.
    cb(errnoException(-32 /* EPIPE */, 'write'));
    return;
  }
  this._unrefTimer();
  const req = { oncomplete: null };
  let status;
  if (writev) {
    // Several chunks leave in one system call, without joining them first.
    const chunks = new Array(data.length);
    for (let i = 0; i < data.length; i++) {
      chunks[i] = toBytes(data[i].chunk, data[i].encoding);
      this[kBytesWritten] += chunks[i].length;
    }
    status = binding.writev(this._handle, chunks, req);
  } else if (typeof data === 'string' && (encoding === 'utf8' || encoding === 'latin1' || encoding === 'utf-8')) {
    // Encoded by the native side straight from the string, without a Buffer.
    status = binding.writeString(this._handle, data, encoding === 'latin1', req);
    this[kBytesWritten] += streamWriteInfo[0];
  } else {
    const bytes = toBytes(data, encoding);
    this[kBytesWritten] += bytes.length;
    status = binding.writeBuffer(this._handle, bytes, req);
  }
  settleWrite(this, status, req, cb, false);
};

// A native write's status: 0 done, 1 pending (`req.oncomplete` gets the result), else an
// errno. `deferred` runs the callback of a finished write on the next tick.
function settleWrite(socket, status, req, cb, deferred) {
  const finish = deferred ? (...args) => process.nextTick(cb, ...args) : cb;
  if (status === 0) {
    finish();
  } else if (status === 1) {
    req.oncomplete = (s) => {
      socket._unrefTimer();
      if (s < 0) {
        const ex = errnoException(s, 'write');
        socket.destroy(ex);
        cb(ex);
        return;
      }
      cb();
    };
  } else {
    const ex = errnoException(status, 'write');
    socket.destroy(ex);
    finish(ex);
  }
}

Socket.prototype[kWriteStringNow] = function(data, encoding, cb) {
  const state = this._writableState;
  // Subclasses that write otherwise (TLS) take the ordinary way.
  if (this._write !== Socket.prototype._write || this._writev !== Socket.prototype._writev ||
      this.connecting || !this._handle || !this.writable || state.length !== 0 || state.corked !== 0 ||
      state.writing || state.ending || state.destroyed || state.errored || !state.constructed ||
      state.bufferedIndex !== state.buffered.length || (encoding !== 'utf8' && encoding !== 'latin1')) {
    return false;
  }
  this._unrefTimer();
  const req = { oncomplete: null };
  const status = binding.writeString(this._handle, data, encoding === 'latin1', req);
  this[kBytesWritten] += streamWriteInfo[0];
  settleWrite(this, status, req, cb, true);
  return true;
};

function toBytes(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  return chunk;
}

Socket.prototype._writev = function(chunks, cb) {
  this._writeGeneric(true, chunks, '', cb);
};

Socket.prototype._write = function(data, encoding, cb) {
  this._writeGeneric(false, data, encoding, cb);
};

Socket.prototype._destroy = function(exception, cb) {
  if (this[kAttempts]) {
    clearTimeout(this[kAttempts].timer);
    this[kAttempts] = null;
  }
  this.connecting = false;
  for (let s = this; s !== null; s = s._parent) {
    if (s[kTimeout]) {
      clearTimeout(s[kTimeout]);
      s[kTimeout] = null;
    }
  }
  if (this[kBoundFd] !== undefined) {
    binding.closeFd(this[kBoundFd]);
    this[kBoundFd] = undefined;
  }
  if (this._handle) {
    const isException = exception ? true : false;
    this._sockname = this._sockname || undefined;
    if (this[kResetOnClose]) binding.resetAndClose(this._handle);
    else binding.close(this._handle);
    this._handle = null;
    // libuv runs close callbacks after the check phase of the loop turn.
    setImmediate(() => this.emit('close', isException));
    cb(exception);
  } else {
    cb(exception);
    process.nextTick(() => this.emit('close'));
  }
  if (this._server) {
    this._server._connections--;
    if (this._server._emitCloseIfDrained) this._server._emitCloseIfDrained();
  }
};

Socket.prototype.ref = function() {
  if (!this._handle) {
    this.once('connect', this.ref);
    return this;
  }
  binding.setRef(this._handle, true);
  return this;
};

Socket.prototype.unref = function() {
  if (!this._handle) {
    this.once('connect', this.unref);
    return this;
  }
  binding.setRef(this._handle, false);
  return this;
};

Socket.prototype.connect = function(...args) {
  let normalized;
  if (Array.isArray(args[0]) && args[0][normalizedArgsSymbol]) normalized = args[0];
  else normalized = normalizeArgs(args);
  const [options, cb] = normalized;
  captureResourceContext(this);

  if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
  if (this.destroyed) {
    this._handle = null;
    this._peername = null;
    this._sockname = null;
    this._undestroy();
  }

  const { path } = options;
  const pipe = !!path;
  if (pipe) {
    if (typeof path !== 'string') throw new ERR_INVALID_ARG_TYPE('options.path', 'string', path);
  } else if (options.port === undefined && path == null) {
    throw new ERR_MISSING_ARGS(['options', 'port', 'path']);
  }
  if (options.timeout) this.setTimeout(options.timeout);
  if (cb !== null) this.once('connect', cb);

  if (this[kBoundFd] === undefined) {
    this._handle = binding.createSocket();
    binding.setOwner(this._handle, this);
  }
  this._unrefTimer();
  this.connecting = true;

  if (pipe) {
    this[kPipePath] = path;
    internalConnect(this, path);
  } else {
    lookupAndConnect(this, options);
  }
  return this;
};

Socket.prototype.write = Duplex.prototype.write;

function lookupAndConnect(self, options) {
  const { localAddress, localPort } = options;
  if (options.host != null && typeof options.host !== 'string') {
    throw new ERR_INVALID_ARG_TYPE('options.host', 'string', options.host);
  }
  const host = options.host || 'localhost';
  let { port } = options;
  const adopted = self[kBoundFd] !== undefined;
  if (adopted && (localAddress !== undefined || localPort !== undefined)) {
    throw new ERR_INVALID_ARG_VALUE('options', options, 'localAddress and localPort cannot be used with an adopted bound socket');
  }
  if (localAddress && !isIP(localAddress)) {
    throw new ERR_INVALID_IP_ADDRESS(localAddress);
  }
  if (localPort) validateNumber(localPort, 'options.localPort');
  if (typeof port !== 'undefined') {
    if (typeof port !== 'number' && typeof port !== 'string') {
      throw new ERR_INVALID_ARG_TYPE('options.port', ['number', 'string'], port);
    }
    port = validatePort(port);
  }
  port |= 0;

  const addressType = isIP(host);
  if (addressType) {
    process.nextTick(() => {
      if (self.connecting) internalConnect(self, host, port, addressType, localAddress, localPort);
    });
    return;
  }
  if (options.lookup != null) validateFunction(options.lookup, 'options.lookup');
  let autoSelectFamily = autoSelectFamilyDefault;
  if (options.autoSelectFamily != null) {
    validateBoolean(options.autoSelectFamily, 'options.autoSelectFamily');
    autoSelectFamily = options.autoSelectFamily;
  }
  let attemptTimeout = autoSelectFamilyAttemptTimeoutDefault;
  if (options.autoSelectFamilyAttemptTimeout != null) {
    validateInt32(options.autoSelectFamilyAttemptTimeout, 'options.autoSelectFamilyAttemptTimeout', 1);
    attemptTimeout = Math.max(options.autoSelectFamilyAttemptTimeout, 10);
  }
  const lookup = options.lookup || require('dns').lookup;
  const anyFamily = options.family !== 4 && options.family !== 6;
  const dnsopts = { family: options.family, hints: options.hints || (anyFamily ? kAddrConfig : 0) };
  // An adopted socket has one descriptor: one address to try.
  if (anyFamily && autoSelectFamily && !localAddress && !adopted) dnsopts.all = true;
  self._host = host;
  lookup(host, dnsopts, function emitLookup(err, ip, addressType) {
    if (!self.connecting) return;
    if (err) {
      self.emit('lookup', err, ip, addressType, host);
      process.nextTick(connectErrorNT, self, err);
      return;
    }
    let addresses = null;
    if (dnsopts.all && Array.isArray(ip)) {
      if (ip.length === 0) {
        process.nextTick(connectErrorNT, self, new Error(`getaddrinfo ENOTFOUND ${host}`));
        return;
      }
      addresses = ip;
      ({ address: ip, family: addressType } = addresses[0]);
    }
    self.emit('lookup', err, ip, addressType, host);
    if (!isIP(ip)) {
      process.nextTick(connectErrorNT, self, new ERR_INVALID_IP_ADDRESS(ip));
      return;
    }
    if (addressType !== 4 && addressType !== 6) {
      process.nextTick(connectErrorNT, self, new ERR_INVALID_ADDRESS_FAMILY(addressType, options.host, options.port));
      return;
    }
    self._unrefTimer();
    if (addresses !== null) addresses = interleaveFamilies(addresses);
    if (addresses !== null && addresses.length > 1) {
      connectMultiple(self, addresses, port, localAddress, localPort, attemptTimeout);
    } else {
      internalConnect(self, ip, port, addressType, localAddress, localPort);
    }
  });
}

const kAddrConfig = 32; // dns.ADDRCONFIG
const kAttempts = Symbol('kAttempts');

// Distinct addresses alternating between the two families, starting with the first one's.
function interleaveFamilies(resolved) {
  const seen = new Set();
  const addresses = resolved.filter((a) => !seen.has(a.address) && seen.add(a.address));
  const first = addresses[0].family;
  const same = addresses.filter((a) => a.family === first);
  const other = addresses.filter((a) => a.family !== first);
  const out = [];
  for (let i = 0; i < Math.max(same.length, other.length); i++) {
    if (i < same.length) out.push(same[i]);
    if (i < other.length) out.push(other[i]);
  }
  return out;
}

// autoSelectFamily (happy eyeballs): each address gets `timeout` ms to connect before
// the attempt is dropped for the next one; the last runs to its end. When all fail, the
// error is an AggregateError of each attempt's error.
function connectMultiple(self, addresses, port, localAddress, localPort, timeout) {
  self.autoSelectFamilyAttemptedAddresses = [];
  self[kAttempts] = { addresses, next: 0, port, localAddress, localPort, timeout, errors: [], timer: null };
  attemptNext(self);
}

function attemptNext(self) {
  const attempts = self[kAttempts];
  const { address, family } = attempts.addresses[attempts.next++];
  self.autoSelectFamilyAttemptedAddresses.push(`${address}:${attempts.port}`);
  if (attempts.next < attempts.addresses.length) {
    attempts.timer = setTimeout(() => {
      attempts.timer = null;
      attempts.errors.push(new ERR_SOCKET_CONNECTION_TIMEOUT());
      replaceHandle(self);
      attemptNext(self);
    }, attempts.timeout);
  }
  internalConnect(self, address, attempts.port, family, attempts.localAddress, attempts.localPort);
}

function replaceHandle(self) {
  binding.close(self._handle);
  self._handle = binding.createSocket();
  binding.setOwner(self._handle, self);
}

function aggregateError(errors) {
  const error = new AggregateError(errors, '');
  error.code = errors[0].code;
  return error;
}

function connectErrorNT(self, err) {
  self.destroy(err);
}

function internalConnect(self, address, port, addressType, localAddress, localPort) {
  const req = { address, port };
  if (self[kBoundFd] !== undefined) {
    connectBound(self, req);
  } else if (self[kPipePath] !== undefined) {
    binding.connectPipe(self._handle, address, req);
  } else {
    binding.connectTcp(self._handle, address, port, req, localAddress, localPort || 0);
  }
}

// Connects an adopted BoundSocket's descriptor, which the handle takes over. Until the
// connection is made the socket's address is the bound one. A failure of connect(2)
// itself is reported as libuv's, with that address.
function connectBound(self, req) {
  const fd = self[kBoundFd];
  self[kBoundFd] = undefined;
  const local = binding.boundAddress(fd);
  if (!self._sockname && typeof local !== 'number') self._sockname = local;
  let err;
  if (self[kPipePath] !== undefined) {
    binding.closeFd(fd);
    err = -22; // EINVAL: a TCP socket can't connect to a path
  } else {
    err = binding.connectBound(self._handle, fd, req.address, req.port, req);
  }
  if (err === 0) return;
  const ex = exceptionWithHostPort(err, 'connect', req.address, self[kPipePath] === undefined ? req.port : undefined);
  if (typeof local !== 'number') ex.message += ` - Local (${local.address}:${local.port})`;
  process.nextTick(connectErrorNT, self, ex);
}

Socket.prototype[kOnConnect] = function(req, status) {
  if (this.destroyed) return;
  const attempts = this[kAttempts];
  if (attempts) {
    clearTimeout(attempts.timer);
    if (status < 0) {
      attempts.errors.push(exceptionWithHostPort(status, 'connect', req.address, req.port));
      if (attempts.next < attempts.addresses.length) {
        replaceHandle(this);
        attemptNext(this);
        return;
      }
      this[kAttempts] = null;
      this.connecting = false;
      this.destroy(aggregateError(attempts.errors));
      return;
    }
    this[kAttempts] = null;
  }
  this.connecting = false;
  if (status === 0) {
    // Asked again of the connected socket (an adopted one may have had an address before).
    this._sockname = null;
    this[kSetNoDelayOnHandle]();
    this.readable = this._readableState ? !this._readableState.ended || this.readable : true;
    this.emit('connect');
    this.emit('ready');
    if (this.readable && !this.isPaused()) this.read(0);
  } else {
    let ex;
    if (this[kPipePath] !== undefined) ex = exceptionWithHostPort(status, 'connect', req.address);
    else ex = exceptionWithHostPort(status, 'connect', req.address, req.port);
    this.destroy(ex);
  }
};

Socket.prototype[Symbol.asyncDispose] = async function() {
  if (!this.destroyed) {
    const { finished } = require('stream/promises');
    this.destroy();
    try { await finished(this); } catch {}
  }
};

// --- Server --------------------------------------------------------------------------

function Server(options, connectionListener) {
  if (!(this instanceof Server)) return new Server(options, connectionListener);
  EventEmitter.call(this);
  if (typeof options === 'function') {
    connectionListener = options;
    options = {};
  } else if (options == null || typeof options === 'object') {
    options = { ...options };
  } else {
    throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  if (typeof connectionListener === 'function') this.on('connection', connectionListener);
  this._connections = 0;
  this._handle = null;
  this._usingWorkers = false;
  this._workers = [];
  this._unref = false;
  this._listeningId = 1;
  this.allowHalfOpen = options.allowHalfOpen || false;
  this.pauseOnConnect = !!options.pauseOnConnect;
  this.noDelay = Boolean(options.noDelay);
  this.keepAlive = Boolean(options.keepAlive);
  this.keepAliveInitialDelay = ~~(options.keepAliveInitialDelay / 1000);
  this.highWaterMark = options.highWaterMark;
  captureResourceContext(this);
}
Object.setPrototypeOf(Server.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Server, EventEmitter);

Object.defineProperty(Server.prototype, 'listening', {
  get() { return !!this._handle; },
  configurable: true,
  enumerable: true,
});

const kExclusive = Symbol('kExclusive');

// A cluster worker's server handle (internal/cluster/child) rather than a native one.
function isClusterHandle(handle) {
  return typeof handle.close === 'function';
}

function listenInternal(server, address, port, addressType, backlog, ipv6Only, pipePath) {
  if (server._handle) throw new ERR_SERVER_ALREADY_LISTEN();
  if (clusterHooks.getServer !== null && !server[kExclusive]) {
    listenInCluster(server, address, port, addressType, backlog, pipePath);
    return;
  }
  // As libuv, any backlog that isn't a usable count becomes the system's default.
  backlog = Number.isInteger(backlog) && backlog >= 0 ? backlog : 511;
  const handle = binding.createServer(server);
  let err;
  if (pipePath !== undefined) {
    err = binding.listenPipe(handle, pipePath, backlog);
  } else if (address === null) {
    // No host: the IPv6 any-address (dual stack), or IPv4's when IPv6 is unavailable.
    err = binding.listenTcp(handle, '::', port, backlog, false);
    if (err === -97 /* EAFNOSUPPORT */) {
      address = '0.0.0.0';
      err = binding.listenTcp(handle, address, port, backlog, false);
    } else {
      address = '::';
    }
  } else {
    err = binding.listenTcp(handle, address, port, backlog, !!ipv6Only);
  }
  if (err) {
    binding.serverClose(handle);
    const ex = uvExceptionWithHostPort(err, 'listen', pipePath ?? address, pipePath === undefined ? port : -1);
    process.nextTick(emitErrorNT, server, ex);
    return;
  }
  server._handle = handle;
  server._pipePath = pipePath;
  if (server._unref) binding.serverSetRef(handle, false);
  process.nextTick(emitListeningNT, server);
}

// Accepts on a socket that is already bound; the server owns it from now on. Without a
// backlog the socket is already listening (a descriptor received over IPC or given by a
// cluster primary); with one it is a BoundSocket's, listened on now.
function listenOnFd(server, fd, backlog) {
  const handle = binding.createServer(server);
  let err;
  if (backlog === undefined) {
    err = binding.listenFd(handle, fd);
  } else {
    backlog = Number.isInteger(backlog) && backlog >= 0 ? backlog : 511;
    err = binding.listenBound(handle, fd, backlog);
  }
  if (err) {
    binding.serverClose(handle);
    const ex = backlog === undefined ? errnoException(err, 'listen') : uvExceptionWithHostPort(err, 'listen', null, -1);
    process.nextTick(emitErrorNT, server, ex);
    return;
  }
  server._handle = handle;
  if (server._unref) binding.serverSetRef(handle, false);
  process.nextTick(emitListeningNT, server);
}

// In a cluster worker: the primary binds (or accepts) for us.
function listenInCluster(server, address, port, addressType, backlog, pipePath) {
  const options = { address: pipePath ?? address, port, addressType, fd: undefined, backlog };
  clusterHooks.getServer(server, options, (err, handle) => {
    if (err) {
      server.emit('error', exceptionWithHostPort(err, 'bind', pipePath ?? address, port));
      return;
    }
    server._handle = handle;
    server._pipePath = pipePath;
    if (server._unref) handle.setRef(false);
    process.nextTick(emitListeningNT, server);
  });
}

function emitErrorNT(server, err) {
  server.emit('error', err);
}

function emitListeningNT(server) {
  if (server._handle) server.emit('listening');
}

const normalizedArgsSymbol = Symbol('normalizedArgs');

Server.prototype.listen = function(...args) {
  captureResourceContext(this);
  const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
  const first = args[0];
  let options;
  if (first !== null && typeof first === 'object') {
    options = first;
  } else {
    options = {};
    if (args.length === 0 || typeof first === 'function') {
      options.port = 0;
    } else if (isPipeName(first)) {
      options.path = first;
      if (typeof args[1] === 'number') options.backlog = args[1];
    } else {
      options.port = first ?? undefined;
      if (args.length > 1 && typeof args[1] === 'string') {
        options.host = args[1];
        if (typeof args[2] === 'number') options.backlog = args[2];
      } else if (typeof args[1] === 'number') {
        options.backlog = args[1];
      }
    }
  }
  if (cb !== null) this.once('listening', cb);
  if (this._handle) throw new ERR_SERVER_ALREADY_LISTEN();
  if (options.signal !== undefined) {
    validateAbortSignal(options.signal, 'options.signal');
    addServerAbortSignal(this, options.signal);
    if (options.signal.aborted) return this;
  }
  const { backlog, ipv6Only } = options;
  this[kExclusive] = Boolean(options.exclusive);

  if (options instanceof BoundSocket || options.handle instanceof BoundSocket) {
    // listen(bound[, backlog]) or listen({ handle: bound, backlog }): listening starts now.
    const bound = options instanceof BoundSocket ? options : options.handle;
    listenOnFd(this, bound[kBoundSocketConsume](), backlog ?? (typeof args[1] === 'number' ? args[1] : 511));
    return this;
  }

  const handle = listenableHandle(options);
  if (handle !== null) {
    // Node shares the handle: its connections now come to this server.
    binding.serverSetOwner(handle, this);
    this._handle = handle;
    if (this._unref) binding.serverSetRef(handle, false);
    process.nextTick(emitListeningNT, this);
    return this;
  }
  // Any other handle stands for the options: an `fd`, or Node's error.
  options = options._handle || options.handle || options;
  if (typeof options.fd === 'number' && options.fd >= 0) {
    listenOnFd(this, options.fd);
    return this;
  }

  // A null port means "any port", as an absent one.
  const port = options.port === null ? undefined : options.port;
  if (typeof port === 'number' || typeof port === 'string' || 'port' in options && port === undefined) {
    const validPort = validatePort(port ?? 0, 'options.port');
    if (options.host) {
      // Node resolves the host (even an IP literal) before binding, so listening is
      // always asynchronous here.
      lookupAndListen(this, options.host, validPort, backlog, ipv6Only);
    } else {
      listenInternal(this, null, validPort, 4, backlog, ipv6Only);
    }
    return this;
  }
  if (options.path && isPipeName(options.path)) {
    listenInternal(this, null, -1, -1, backlog, false, String(options.path));
    return this;
  }
  if (!('port' in options) && !('path' in options)) {
    throw new ERR_INVALID_ARG_VALUE('options', options, 'must have the property "port" or "path"');
  }
  throw new ERR_INVALID_ARG_VALUE('options', options);
};

// listen()'s handle forms: a listening server's native handle, or a server (or an
// options object) holding one as `_handle` / `handle`.
function listenableHandle(options) {
  for (const candidate of [options, options._handle, options.handle, options.handle?._handle]) {
    if (candidate != null && typeof candidate === 'object' && binding.serverFd(candidate) >= 0) {
      return candidate;
    }
  }
  return null;
}

function lookupAndListen(server, host, port, backlog, ipv6Only) {
  const type = isIP(host);
  if (type) {
    process.nextTick(() => listenInternal(server, host, port, type, backlog, ipv6Only));
    return;
  }
  require('dns').lookup(host, (err, ip, addressType) => {
    if (err) server.emit('error', err);
    else listenInternal(server, ip, port, addressType, backlog, ipv6Only);
  });
}

function addServerAbortSignal(server, signal) {
  const onAborted = () => server.close();
  if (signal.aborted) {
    process.nextTick(onAborted);
  } else {
    signal.addEventListener('abort', onAborted, { once: true });
    server.once('close', () => signal.removeEventListener('abort', onAborted));
  }
}

const kAddressCache = Symbol('kAddressCache');

Server.prototype.address = function() {
  if (!this._handle) return null;
  if (this._pipePath !== undefined) return this._pipePath;
  // A listening socket's address doesn't change: asked once per handle, copied after.
  const cached = this[kAddressCache];
  if (cached !== undefined && cached.handle === this._handle) {
    return { address: cached.address, family: cached.family, port: cached.port };
  }
  const out = isClusterHandle(this._handle) ? this._handle.address() : binding.serverAddress(this._handle);
  if (typeof out === 'number') throw errnoException(out, 'address');
  if (out !== null && typeof out === 'object' && typeof out.port === 'number') {
    this[kAddressCache] = { handle: this._handle, address: out.address, family: out.family, port: out.port };
  }
  return out;
};

Server.prototype[kOnConnection] = function(status, handle) {
  if (status < 0) {
    this.emit('error', errnoException(status, 'accept'));
    return;
  }
  if (this.maxConnections != null && this._connections >= this.maxConnections) {
    const local = binding.sockname(handle);
    const remote = binding.peername(handle);
    binding.close(handle);
    this.emit('drop', typeof local === 'number' || typeof remote === 'number' ? {} : {
      localAddress: local.address,
      localPort: local.port,
      localFamily: local.family,
      remoteAddress: remote.address,
      remotePort: remote.port,
      remoteFamily: remote.family,
    });
    return;
  }
  const socket = new Socket({
    handle,
    allowHalfOpen: this.allowHalfOpen,
    pauseOnCreate: this.pauseOnConnect,
    readable: true,
    writable: true,
    noDelay: this.noDelay,
    keepAlive: this.keepAlive,
    keepAliveInitialDelay: this.keepAliveInitialDelay * 1000,
    highWaterMark: this.highWaterMark,
  });
  this._connections++;
  socket.server = this;
  socket._server = this;
  this.emit('connection', socket);
};

Server.prototype.getConnections = function(cb) {
  process.nextTick(cb, null, this._connections);
  return this;
};

Server.prototype.close = function(cb) {
  if (typeof cb === 'function') {
    if (!this._handle) {
      this.once('close', function close() {
        cb(new ERR_SERVER_NOT_RUNNING());
      });
    } else {
      this.once('close', cb);
    }
  }
  if (this._handle) {
    if (isClusterHandle(this._handle)) this._handle.close();
    else binding.serverClose(this._handle);
    this._handle = null;
  }
  this._emitCloseIfDrained();
  return this;
};

Server.prototype._emitCloseIfDrained = function() {
  if (this._handle || this._connections) return;
  process.nextTick(() => this.emit('close'));
};

Server.prototype[Symbol.asyncDispose] = function() {
  if (!this._handle) return Promise.resolve();
  return new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
};

Server.prototype.ref = function() {
  this._unref = false;
  if (this._handle) setServerRef(this._handle, true);
  return this;
};

Server.prototype.unref = function() {
  this._unref = true;
  if (this._handle) setServerRef(this._handle, false);
  return this;
};

function setServerRef(handle, on) {
  if (isClusterHandle(handle)) handle.setRef(on);
  else binding.serverSetRef(handle, on);
}

// --- BoundSocket -----------------------------------------------------------------------

const kBoundSocketConsume = Symbol('kBoundSocketConsume');

// A TCP socket bound at construction (so bind errors throw there), that server.listen()
// or new net.Socket({ handle }) adopts later, taking its descriptor.
class BoundSocket {
  #fd = -1; // -1 once adopted or closed
  #address = null;

  constructor(options = {}) {
    validateObject(options, 'options');
    const { ipv6Only, reusePort } = options;
    let { host } = options;
    const port = validatePort(options.port ?? 0, 'options.port');
    if (ipv6Only != null) validateBoolean(ipv6Only, 'options.ipv6Only');
    if (reusePort != null) validateBoolean(reusePort, 'options.reusePort');
    if (host == null) {
      host = ipv6Only ? '::' : '0.0.0.0';
    } else {
      validateString(host, 'options.host');
      if (!isIP(host)) {
        throw new ERR_INVALID_ARG_VALUE('options.host', host,
          'must be a numeric IP address; net.BoundSocket does not perform DNS resolution');
      }
    }
    const fd = binding.bindSocket(host, port, Boolean(ipv6Only), Boolean(reusePort));
    if (fd < 0) throw exceptionWithHostPort(fd, 'bind', host, port);
    this.#fd = fd;
  }

  // The same object each time, as Node.
  address() {
    const fd = this.#live();
    if (this.#address === null) {
      const out = binding.boundAddress(fd);
      if (typeof out === 'number') throw errnoException(out, 'getsockname');
      this.#address = out;
    }
    return this.#address;
  }

  fd() {
    return this.#live();
  }

  close() {
    binding.closeFd(this[kBoundSocketConsume]());
  }

  [Symbol.dispose]() {
    if (this.#fd !== -1) this.close();
  }

  // The descriptor, which the caller owns from now on.
  [kBoundSocketConsume]() {
    const fd = this.#live();
    this.#fd = -1;
    return fd;
  }

  #live() {
    if (this.#fd === -1) throw new ERR_SOCKET_HANDLE_ADOPTED();
    return this.#fd;
  }
}

// --- module functions ----------------------------------------------------------------

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

function connect(...args) {
  const normalized = normalizeArgs(args);
  const [options] = normalized;
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  normalized[normalizedArgsSymbol] = true;
  return socket.connect(normalized);
}

let autoSelectFamilyDefault = true;
let autoSelectFamilyAttemptTimeoutDefault = 250;

// Calls `fn` on `target` in the async context of the socket or server that owns it, the one
// it was made (or connected, or listened) in.
function inOwnerContext(owner, fn, target, a, b) {
  const context = contextToEnter(owner);
  return context === undefined ? fn.call(target, a, b) : runInContext(context, fn, target, [a, b]);
}

binding.setStreamCallbacks(
  (owner, status, chunk) => inOwnerContext(owner, owner[kOnRead], owner, status, chunk),
  (owner, req, status) => inOwnerContext(owner, req.oncomplete, req, status),
  (owner, req, status) => inOwnerContext(owner, req.oncomplete, req, status),
);
binding.setNetCallbacks(
  (server, status, handle) => inOwnerContext(server, server[kOnConnection], server, status, handle),
  (socket, req, status) => inOwnerContext(socket, socket[kOnConnect], socket, req, status),
);

module.exports = {
  _normalizeArgs: normalizeArgs,
  get BlockList() {
    return require('internal/blocklist').BlockList;
  },
  get SocketAddress() {
    return require('internal/socketaddress').SocketAddress;
  },
  BoundSocket,
  connect,
  createConnection: connect,
  createServer,
  isIP,
  isIPv4,
  isIPv6,
  Server,
  Socket,
  Stream: Socket,
  getDefaultAutoSelectFamily() { return autoSelectFamilyDefault; },
  setDefaultAutoSelectFamily(value) {
    validateBoolean(value, 'value');
    autoSelectFamilyDefault = value;
  },
  getDefaultAutoSelectFamilyAttemptTimeout() { return autoSelectFamilyAttemptTimeoutDefault; },
  setDefaultAutoSelectFamilyAttemptTimeout(value) {
    validateInt32(value, 'value', 1);
    autoSelectFamilyAttemptTimeoutDefault = value < 10 ? 10 : value;
  },
};
