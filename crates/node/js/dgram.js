'use strict';

// node:dgram. A Socket is an EventEmitter over a native UDP handle (src/dgram.rs).
// Addresses go through a lookup function (dns.lookup unless the socket was given one)
// before every bind, connect and send, so those complete asynchronously; a socket that
// is still binding queues its sends and connect until it is listening.

const EventEmitter = require('events');
const { captureResourceContext, contextToEnter, runInContext } = require('internal/util/async_context');
const { codes, validators } = require('internal/errors');
const {
  ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS, ERR_BUFFER_OUT_OF_BOUNDS, ERR_SOCKET_BAD_TYPE,
  ERR_SOCKET_ALREADY_BOUND, ERR_SOCKET_BAD_BUFFER_SIZE, ERR_SOCKET_DGRAM_IS_CONNECTED,
  ERR_SOCKET_DGRAM_NOT_CONNECTED, ERR_SOCKET_DGRAM_NOT_RUNNING,
} = codes;
const { validateFunction, validateNumber, validateString, validateUint32 } = validators;
const { Buffer } = require('buffer');
const { FastBuffer } = internalBinding('buffer').internals;
const { isArrayBufferView, isDataView } = require('internal/util/types');
const { validatePort, errnoException, exceptionWithHostPort } = require('internal/net');
const { kIsNodeError } = require('internal/stack_trace');
const binding = internalBinding('dgram');

const kState = Symbol('state symbol');

const BIND_STATE_UNBOUND = 0;
const BIND_STATE_BINDING = 1;
const BIND_STATE_BOUND = 2;

const CONNECT_STATE_DISCONNECTED = 0;
const CONNECT_STATE_CONNECTING = 1;
const CONNECT_STATE_CONNECTED = 2;

// Flags of the native bind.
const FLAG_REUSE_ADDR = 1;
const FLAG_IPV6_ONLY = 2;
const FLAG_REUSE_PORT = 4;

function validateAbortSignal(signal, name) {
  const { isAbortSignal } = require('internal/abort_controller');
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

function defaultLookup(address, family, callback) {
  return require('dns').lookup(address, family, callback);
}

function Socket(type, listener) {
  if (!(this instanceof Socket)) return new Socket(type, listener);
  EventEmitter.call(this);
  captureResourceContext(this);
  let lookup;
  let recvBufferSize;
  let sendBufferSize;
  let options;
  if (type !== null && typeof type === 'object') {
    options = type;
    type = options.type;
    recvBufferSize = options.recvBufferSize;
    if (recvBufferSize !== undefined) validateUint32(recvBufferSize, 'options.recvBufferSize');
    sendBufferSize = options.sendBufferSize;
    if (sendBufferSize !== undefined) validateUint32(sendBufferSize, 'options.sendBufferSize');
    lookup = options.lookup;
    if (lookup !== undefined) validateFunction(lookup, 'lookup');
  }
  if (type !== 'udp4' && type !== 'udp6') throw new ERR_SOCKET_BAD_TYPE();
  const ipv6 = type === 'udp6';
  this.type = type;
  if (typeof listener === 'function') this.on('message', listener);

  this[kState] = {
    handle: binding.create(this, ipv6),
    ipv6,
    lookup: lookup || defaultLookup,
    receiving: false,
    bindState: BIND_STATE_UNBOUND,
    connectState: CONNECT_STATE_DISCONNECTED,
    queue: undefined,
    reuseAddr: Boolean(options && options.reuseAddr),
    reusePort: Boolean(options && options.reusePort),
    ipv6Only: Boolean(options && options.ipv6Only),
    recvBufferSize,
    sendBufferSize,
  };

  if (options && options.signal !== undefined) {
    const { signal } = options;
    validateAbortSignal(signal, 'options.signal');
    const onAborted = () => {
      if (this[kState].handle) this.close();
    };
    if (signal.aborted) {
      onAborted();
    } else {
      signal.addEventListener('abort', onAborted);
      this.once('close', () => signal.removeEventListener('abort', onAborted));
    }
  }
}
Object.setPrototypeOf(Socket.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Socket, EventEmitter);

function createSocket(type, listener) {
  return new Socket(type, listener);
}

// Resolves `address` (or the family's `fallback` when empty) with the socket's lookup.
function lookupAddress(socket, address, fallback, callback) {
  const state = socket[kState];
  return state.lookup(address || fallback, state.ipv6 ? 6 : 4, callback);
}

function anyAddress(state) {
  return state.ipv6 ? '::' : '0.0.0.0';
}

function loopbackAddress(state) {
  return state.ipv6 ? '::1' : '127.0.0.1';
}

function healthCheck(socket) {
  if (!socket[kState].handle) throw new ERR_SOCKET_DGRAM_NOT_RUNNING();
}

// What V8 says when a method runs on a closed socket's missing handle.
function nullHandle(state, property) {
  if (!state.handle) throw new TypeError(`Cannot read properties of null (reading '${property}')`);
  return state.handle;
}

function startListening(socket) {
  const state = socket[kState];
  state.receiving = true;
  state.bindState = BIND_STATE_BOUND;
  if (state.recvBufferSize) bufferSize(socket, state.recvBufferSize, true);
  if (state.sendBufferSize) bufferSize(socket, state.sendBufferSize, false);
  socket.emit('listening');
}

// Work that waits for the socket to be bound (sends and connect during an implicit bind).
function enqueue(socket, work) {
  const state = socket[kState];
  if (state.queue === undefined) {
    state.queue = [];
    socket.once('listening', onListenSuccess);
  }
  state.queue.push(work);
}

function onListenSuccess() {
  const state = this[kState];
  const queue = state.queue;
  state.queue = undefined;
  for (const work of queue) work();
}

function bindFailed(socket, error) {
  const state = socket[kState];
  state.bindState = BIND_STATE_UNBOUND;
  if (state.queue !== undefined) {
    socket.removeListener('listening', onListenSuccess);
    state.queue = undefined;
  }
  socket.emit('error', error);
}

Socket.prototype.bind = function(port_, address_ /* , callback */) {
  let port = port_;
  healthCheck(this);
  const state = this[kState];
  if (state.bindState !== BIND_STATE_UNBOUND) throw new ERR_SOCKET_ALREADY_BOUND();
  state.bindState = BIND_STATE_BINDING;

  const callback = arguments.length && arguments[arguments.length - 1];
  if (typeof callback === 'function') this.once('listening', callback);

  let address;
  let fd;
  let exclusive = false;
  if (port !== null && typeof port === 'object') {
    address = port.address || '';
    exclusive = Boolean(port.exclusive);
    fd = port.fd;
    port = port.port;
  } else {
    address = typeof address_ === 'function' ? '' : address_;
  }
  void exclusive; // Only meaningful for cluster workers, which ferro's dgram doesn't share.

  if (typeof fd === 'number' && fd >= 0) {
    const err = binding.open(state.handle, fd);
    if (err) throw errnoException(err, 'open');
    startListening(this);
    return this;
  }

  if (!address) address = anyAddress(state);
  lookupAddress(this, address, anyAddress(state), (err, ip) => {
    if (!state.handle) return; // closed while resolving
    if (err) {
      bindFailed(this, err);
      return;
    }
    let flags = 0;
    if (state.reuseAddr) flags |= FLAG_REUSE_ADDR;
    if (state.ipv6Only) flags |= FLAG_IPV6_ONLY;
    if (state.reusePort) flags |= FLAG_REUSE_PORT;
    // The native side takes the port as a C++ uint32 cast to 16 bits would be.
    const status = binding.bind(state.handle, ip, (port >>> 0) & 0xffff, flags);
    if (status) {
      bindFailed(this, exceptionWithHostPort(status, 'bind', ip, port));
      return;
    }
    startListening(this);
  });
  return this;
};

Socket.prototype.connect = function(port, address, callback) {
  port = validatePort(port, 'Port', false);
  if (typeof address === 'function') {
    callback = address;
    address = '';
  } else if (address === undefined) {
    address = '';
  }
  validateString(address, 'address');

  const state = this[kState];
  if (state.connectState !== CONNECT_STATE_DISCONNECTED) throw new ERR_SOCKET_DGRAM_IS_CONNECTED();
  state.connectState = CONNECT_STATE_CONNECTING;
  if (state.bindState === BIND_STATE_UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (state.bindState !== BIND_STATE_BOUND) {
    enqueue(this, () => startConnect(this, port, address, callback));
    return;
  }
  startConnect(this, port, address, callback);
};

function startConnect(socket, port, address, callback) {
  const state = socket[kState];
  if (typeof callback === 'function') socket.once('connect', callback);
  lookupAddress(socket, address, loopbackAddress(state), (ex, ip) => {
    if (!state.handle) return;
    if (!ex) {
      const err = binding.connect(state.handle, ip, port);
      if (err) ex = exceptionWithHostPort(err, 'connect', address, port);
    }
    if (ex) {
      state.connectState = CONNECT_STATE_DISCONNECTED;
      process.nextTick(() => {
        if (typeof callback === 'function') {
          socket.removeListener('connect', callback);
          callback(ex);
        } else {
          socket.emit('error', ex);
        }
      });
      return;
    }
    state.connectState = CONNECT_STATE_CONNECTED;
    process.nextTick(() => socket.emit('connect'));
  });
}

Socket.prototype.disconnect = function() {
  const state = this[kState];
  if (state.connectState !== CONNECT_STATE_CONNECTED) throw new ERR_SOCKET_DGRAM_NOT_CONNECTED();
  const err = binding.disconnect(state.handle);
  if (err) throw errnoException(err, 'connect');
  state.connectState = CONNECT_STATE_DISCONNECTED;
};

// Byte offsets into a string's UTF-8 or a view's bytes, converted as Node's uint32s.
function sliceBuffer(buffer, offset, length) {
  if (typeof buffer === 'string') {
    buffer = Buffer.from(buffer);
  } else if (!isArrayBufferView(buffer)) {
    throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
  }
  offset >>>= 0;
  length >>>= 0;
  if (offset > buffer.byteLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
  if (offset + length > buffer.byteLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
  return new FastBuffer(buffer.buffer, buffer.byteOffset + offset, length);
}

// A view the native side reads: typed arrays as they are, DataViews as bytes.
function byteView(view) {
  return isDataView(view) ? new FastBuffer(view.buffer, view.byteOffset, view.byteLength) : view;
}

// The chunks of one datagram: strings become their UTF-8 bytes.
function toList(buffer) {
  if (typeof buffer === 'string') return [Buffer.from(buffer)];
  if (isArrayBufferView(buffer)) return [byteView(buffer)];
  if (!Array.isArray(buffer)) {
    throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
  }
  const list = new Array(buffer.length);
  for (let i = 0; i < buffer.length; i++) {
    const chunk = buffer[i];
    if (typeof chunk === 'string') {
      list[i] = Buffer.from(chunk);
    } else if (isArrayBufferView(chunk)) {
      list[i] = byteView(chunk);
    } else {
      throw new ERR_INVALID_ARG_TYPE('buffer list arguments', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
    }
  }
  return list;
}

Socket.prototype.sendto = function(buffer, offset, length, port, address, callback) {
  validateNumber(offset, 'offset');
  validateNumber(length, 'length');
  validateNumber(port, 'port');
  validateString(address, 'address');
  this.send(buffer, offset, length, port, address, callback);
};

Socket.prototype.send = function(buffer, offset, length, port, address, callback) {
  const state = this[kState];
  const connected = state.connectState === CONNECT_STATE_CONNECTED;
  if (!connected) {
    if (address || (port && typeof port !== 'function')) {
      buffer = sliceBuffer(buffer, offset, length);
    } else {
      callback = port;
      port = offset;
      address = length;
    }
  } else {
    if (typeof length === 'number') {
      buffer = sliceBuffer(buffer, offset, length);
      if (typeof port === 'function') {
        callback = port;
        port = null;
      }
    } else {
      callback = offset;
    }
    if (port || address) throw new ERR_SOCKET_DGRAM_IS_CONNECTED();
  }

  const list = toList(buffer);
  if (!connected) port = validatePort(port, 'Port', false);
  if (typeof callback !== 'function') callback = undefined;
  if (typeof address === 'function') {
    callback = address;
    address = undefined;
  } else if (address != null) {
    validateString(address, 'address');
  }

  healthCheck(this);
  if (state.bindState === BIND_STATE_UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (list.length === 0) list.push(new FastBuffer());

  if (state.bindState !== BIND_STATE_BOUND) {
    enqueue(this, () => this.send(list, port, address, callback));
    return;
  }
  if (connected) {
    doSend(null, this, undefined, list, address, port, callback);
  } else {
    lookupAddress(this, address, loopbackAddress(state), (ex, ip) => {
      doSend(ex, this, ip, list, address, port, callback);
    });
  }
};

function doSend(ex, socket, ip, list, address, port, callback) {
  const state = socket[kState];
  if (ex) {
    if (callback) process.nextTick(callback, ex);
    else process.nextTick(() => socket.emit('error', ex));
    return;
  }
  if (!state.handle) return; // closed while resolving
  const request = callback ? { callback, address, port } : undefined;
  const result = ip === undefined ?
    binding.send(state.handle, undefined, 0, request, ...list) :
    binding.send(state.handle, ip, port, request, ...list);
  if (result === undefined || !callback) return; // queued: onSendDone reports it
  if (result < 0) process.nextTick(callback, exceptionWithHostPort(result, 'send', address, port));
  else process.nextTick(callback, null, result);
}

function onSendDone(socket, request, status) {
  if (!request) return;
  if (status < 0) request.callback(exceptionWithHostPort(status, 'send', request.address, request.port));
  else request.callback(null, status);
}

function onMessage(socket, status, bytes, ip, port) {
  if (status < 0) {
    socket.emit('error', errnoException(status, 'recvmsg'));
    return;
  }
  const message = new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
  const family = ip.includes(':') ? 'IPv6' : 'IPv4';
  socket.emit('message', message, { address: ip, family, port, size: message.length });
}

// A socket's callbacks run in the async context it was made in.
binding.setCallbacks(
  (socket, ...args) => inSocketContext(socket, onMessage, [socket, ...args]),
  (socket, ...args) => inSocketContext(socket, onSendDone, [socket, ...args]),
);

function inSocketContext(socket, fn, args) {
  const context = contextToEnter(socket);
  if (context === undefined) Reflect.apply(fn, undefined, args);
  else runInContext(context, fn, undefined, args);
}

Socket.prototype.close = function(callback) {
  const state = this[kState];
  if (typeof callback === 'function') this.on('close', callback);
  if (state.queue !== undefined) {
    // Still binding: close once bound, after the queued work ran.
    state.queue.push(() => this.close());
    return this;
  }
  healthCheck(this);
  state.receiving = false;
  binding.close(state.handle);
  state.handle = null;
  process.nextTick(() => this.emit('close'));
  return this;
};

Socket.prototype[Symbol.asyncDispose] = function() {
  if (!this[kState].handle) return Promise.resolve();
  return new Promise((resolve) => this.close(resolve));
};

Socket.prototype.address = function() {
  healthCheck(this);
  const out = binding.sockname(this[kState].handle);
  if (typeof out === 'number') throw errnoException(out, 'getsockname');
  return out;
};

Socket.prototype.remoteAddress = function() {
  healthCheck(this);
  const state = this[kState];
  if (state.connectState !== CONNECT_STATE_CONNECTED) throw new ERR_SOCKET_DGRAM_NOT_CONNECTED();
  const out = binding.peername(state.handle);
  if (typeof out === 'number') throw errnoException(out, 'getpeername');
  return out;
};

Socket.prototype.setBroadcast = function(arg) {
  const err = binding.setBroadcast(nullHandle(this[kState], 'setBroadcast'), arg);
  if (err) throw errnoException(err, 'setBroadcast');
};

Socket.prototype.setTTL = function(ttl) {
  validateNumber(ttl, 'ttl');
  const err = binding.setTTL(nullHandle(this[kState], 'setTTL'), ttl);
  if (err) throw errnoException(err, 'setTTL');
  return ttl;
};

Socket.prototype.setMulticastTTL = function(ttl) {
  validateNumber(ttl, 'ttl');
  const err = binding.setMulticastTTL(nullHandle(this[kState], 'setMulticastTTL'), ttl);
  if (err) throw errnoException(err, 'setMulticastTTL');
  return ttl;
};

Socket.prototype.setMulticastLoopback = function(arg) {
  const err = binding.setMulticastLoopback(nullHandle(this[kState], 'setMulticastLoopback'), arg);
  if (err) throw errnoException(err, 'setMulticastLoopback');
  return arg;
};

Socket.prototype.setMulticastInterface = function(interfaceAddress) {
  healthCheck(this);
  validateString(interfaceAddress, 'interfaceAddress');
  const err = binding.setMulticastInterface(this[kState].handle, interfaceAddress);
  if (err) throw errnoException(err, 'setMulticastInterface');
};

// Interface arguments reach the native side as strings, as Node's C++ converts them.
function optionalString(value) {
  return value === undefined || value === null ? undefined : `${value}`;
}

function changeMembership(socket, syscall, join, multicastAddress, interfaceAddress) {
  healthCheck(socket);
  if (!multicastAddress) throw new ERR_MISSING_ARGS('multicastAddress');
  const err = binding.membership(socket[kState].handle, `${multicastAddress}`, optionalString(interfaceAddress), join);
  if (err) throw errnoException(err, syscall);
}

Socket.prototype.addMembership = function(multicastAddress, interfaceAddress) {
  changeMembership(this, 'addMembership', true, multicastAddress, interfaceAddress);
};

Socket.prototype.dropMembership = function(multicastAddress, interfaceAddress) {
  changeMembership(this, 'dropMembership', false, multicastAddress, interfaceAddress);
};

function changeSourceMembership(socket, syscall, join, sourceAddress, groupAddress, interfaceAddress) {
  healthCheck(socket);
  validateString(sourceAddress, 'sourceAddress');
  validateString(groupAddress, 'groupAddress');
  const err = binding.sourceMembership(socket[kState].handle, sourceAddress, groupAddress, optionalString(interfaceAddress), join);
  if (err) throw errnoException(err, syscall);
}

Socket.prototype.addSourceSpecificMembership = function(sourceAddress, groupAddress, interfaceAddress) {
  changeSourceMembership(this, 'addSourceSpecificMembership', true, sourceAddress, groupAddress, interfaceAddress);
};

Socket.prototype.dropSourceSpecificMembership = function(sourceAddress, groupAddress, interfaceAddress) {
  changeSourceMembership(this, 'dropSourceSpecificMembership', false, sourceAddress, groupAddress, interfaceAddress);
};

Socket.prototype.ref = function() {
  const handle = this[kState].handle;
  if (handle) binding.setRef(handle, true);
  return this;
};

Socket.prototype.unref = function() {
  const handle = this[kState].handle;
  if (handle) binding.setRef(handle, false);
  return this;
};

// Node's SystemError ERR_SOCKET_BUFFER_SIZE, with the libuv error in `info`.
function bufferSizeError(errno, syscall) {
  const [code, message] = internalBinding('uv').errorMap[errno] ||
    [`Unknown system error ${errno}`, `Unknown system error ${errno}`];
  const info = { errno, code, message, syscall };
  const err = new Error(`Could not get or set buffer size: ${syscall} returned ${code} (${message})`);
  Object.defineProperty(err, 'name', { value: 'SystemError', writable: true, configurable: true });
  err.code = 'ERR_SOCKET_BUFFER_SIZE';
  Object.defineProperty(err, 'info', { value: info, enumerable: true, configurable: true });
  for (const key of ['errno', 'syscall']) {
    Object.defineProperty(err, key, {
      get() { return info[key]; },
      set(value) { info[key] = value; },
      enumerable: true,
      configurable: true,
    });
  }
  Object.defineProperty(err, kIsNodeError, { value: true, configurable: true });
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${this.code}]: ${this.message}`; },
    writable: true,
    configurable: true,
  });
  return err;
}

// Sets (size > 0) or reads the kernel's receive or send buffer size.
function bufferSize(socket, size, recv) {
  if (typeof size !== 'number' || !(size >= 0) || size > 0xffffffff) throw new ERR_SOCKET_BAD_BUFFER_SIZE();
  if (size === 0) {
    // A zero size is refused only once the socket is known to have a descriptor.
    queryBufferSize(socket, 0, recv);
    throw new ERR_SOCKET_BAD_BUFFER_SIZE();
  }
  // The kernel raises what it is given to its minimum anyway; 0 would mean "read".
  queryBufferSize(socket, Math.max(size >>> 0, 1), recv);
}

function queryBufferSize(socket, size, recv) {
  const handle = nullHandle(socket[kState], 'bufferSize');
  const out = binding.bufferSize(handle, size, recv);
  if (out < 0) throw bufferSizeError(out, recv ? 'uv_recv_buffer_size' : 'uv_send_buffer_size');
  return out;
}

Socket.prototype.setRecvBufferSize = function(size) {
  bufferSize(this, size, true);
};

Socket.prototype.setSendBufferSize = function(size) {
  bufferSize(this, size, false);
};

Socket.prototype.getRecvBufferSize = function() {
  return queryBufferSize(this, 0, true);
};

Socket.prototype.getSendBufferSize = function() {
  return queryBufferSize(this, 0, false);
};

Socket.prototype.getSendQueueSize = function() {
  return binding.sendQueueSize(nullHandle(this[kState], 'getSendQueueSize'));
};

Socket.prototype.getSendQueueCount = function() {
  return binding.sendQueueCount(nullHandle(this[kState], 'getSendQueueCount'));
};

// Legacy underscore accessors (deprecated in Node, DEP0112).
for (const [name, key] of [['_handle', 'handle'], ['_receiving', 'receiving'], ['_bindState', 'bindState'],
  ['_queue', 'queue'], ['_reuseAddr', 'reuseAddr']]) {
  Object.defineProperty(Socket.prototype, name, {
    get() { return this[kState][key]; },
    set(value) { this[kState][key] = value; },
    configurable: true,
    enumerable: false,
  });
}

Socket.prototype._healthCheck = function() {
  healthCheck(this);
};

Socket.prototype._stopReceiving = function() {
  this[kState].receiving = false;
};

// Used by Node's cluster to make a bound handle for a worker: a handle or a negative errno.
function _createSocketHandle(address, port, addressType, fd, flags) {
  const handle = binding.create(null, addressType === 'udp6');
  const err = typeof fd === 'number' && fd > 0 ?
    binding.open(handle, fd) :
    binding.bind(handle, address, port, flags | 0);
  if (err) {
    binding.close(handle);
    return err;
  }
  return handle;
}

module.exports = { _createSocketHandle, createSocket, Socket };
