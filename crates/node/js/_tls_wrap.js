'use strict';

// TLSSocket and tls.Server. A TLSSocket is a net.Socket whose bytes go through a native
// TLS engine (src/tls.rs) wrapped around a transport stream (a net.Socket or any
// Duplex): ciphertext read from the transport is fed to the engine, which hands back
// plaintext to push and ciphertext to write; plaintext written is encrypted and
// written to the transport.

const net = require('net');
const { Duplex } = require('stream');
const { Buffer } = require('buffer');
const { codes, validators } = require('internal/errors');
const {
  ERR_INVALID_ARG_TYPE, ERR_TLS_SNI_FROM_SERVER, ERR_TLS_REQUIRED_SERVER_NAME, ERR_TLS_INVALID_CONTEXT,
  ERR_MULTIPLE_CALLBACK, ERR_TLS_HANDSHAKE_TIMEOUT, ERR_SOCKET_CLOSED, ERR_TLS_INVALID_STATE,
  ERR_TLS_RENEGOTIATION_DISABLED,
} = codes;
const { validateFunction, validateObject, validateString, validateNumber } = validators;
const { isArrayBufferView } = require('internal/util/types');
const common = require('_tls_common');
const { createSecureContext, SecureContext, linkChain, translatePeerCertificate, fixSslErrorCode } = common;
const { kDataHook } = require('internal/net');
const binding = internalBinding('tls');

const SECURE_NOW = 1;
const PEER_CLOSED = 2;
const WANTS_SERVERNAME = 4;

const kEngine = Symbol('kEngine');
const kTransport = Symbol('kTransport');
const kPendingInput = Symbol('kPendingInput');
const kWaitingForSecure = Symbol('kWaitingForSecure');
const kTransportPaused = Symbol('kTransportPaused');
const kErrorEmitted = Symbol('kErrorEmitted');
const kPlainBytes = Symbol('kPlainBytes');

function isSecureContext(value) {
  return value instanceof SecureContext || (value && typeof value === 'object' && value.context !== undefined);
}

// --- TLSSocket ---------------------------------------------------------------------

function TLSSocket(socket, opts) {
  if (!(this instanceof TLSSocket)) return new TLSSocket(socket, opts);
  const tlsOptions = { ...opts };
  if (tlsOptions.ALPNProtocols) require('tls').convertALPNProtocols(tlsOptions.ALPNProtocols, tlsOptions);
  this._tlsOptions = tlsOptions;
  this._secureEstablished = false;
  this.secureConnecting = true;
  this._SNICallback = null;
  this.servername = null;
  this.alpnProtocol = null;
  this.authorized = false;
  this.authorizationError = null;
  this.encrypted = true;
  this[kPendingInput] = null;
  this[kWaitingForSecure] = [];
  this[kTransportPaused] = false;
  this[kErrorEmitted] = false;
  this[kPlainBytes] = { read: 0, written: 0 };

  net.Socket.call(this, {
    allowHalfOpen: socket?.allowHalfOpen ?? tlsOptions.allowHalfOpen,
    highWaterMark: tlsOptions.highWaterMark,
    signal: tlsOptions.signal,
  });

  const transport = socket || new net.Socket();
  this[kTransport] = transport;
  this._parent = transport instanceof net.Socket ? transport : null;
  this.connecting = Boolean(transport.connecting);

  const context = tlsOptions.secureContext || createSecureContext(tlsOptions);
  if (!isSecureContext(context)) throw new ERR_TLS_INVALID_CONTEXT('context');
  this._sharedCreds = context;
  const server = tlsOptions.server;
  const isServer = Boolean(tlsOptions.isServer);
  const pauseForServername = isServer && server && (server._SNICallback || server._contexts.length > 0);
  this[kEngine] = binding.create(context.context, isServer, tlsOptions.servername || '',
                                 tlsOptions.ALPNProtocols, requestCertMode(tlsOptions),
                                 tlsOptions.session, Boolean(pauseForServername));
  if (tlsOptions.session) this._hasSession = true;

  transport.on('data', (chunk) => this._feed(chunk));
  transport.on('end', () => onTransportEnd(this));
  transport.on('error', (err) => {
    if (this.destroyed) return;
    // A reset during the handshake is reported as the disconnection it is.
    if (!this._secureEstablished && err.code === 'ECONNRESET') onTransportEnd(this);
    else this.destroy(err);
  });
  transport.on('close', () => {
    if (!this._secureEstablished && !this.destroyed) onTransportEnd(this);
    else if (!this.destroyed) this.destroy();
  });

  // A client sends its ClientHello when tls.connect() starts it: a TLSSocket made
  // directly over a stream waits, as in Node.
}
Object.setPrototypeOf(TLSSocket.prototype, net.Socket.prototype);
Object.setPrototypeOf(TLSSocket, net.Socket);

// 0: no client certificate; 1: ask for one; 2: the handshake fails without one.
function requestCertMode(options) {
  if (!options.isServer || !options.requestCert) return 0;
  return options.rejectUnauthorized === false ? 1 : 2;
}

// The client's first flight (ClientHello).
TLSSocket.prototype._start = function() {
  if (this.destroyed || !this[kEngine]) return;
  this._feed(undefined);
};

TLSSocket.prototype._feed = function(chunk) {
  if (this.destroyed || !this[kEngine]) return;
  this._unrefTimer();
  if (this[kPendingInput]) {
    // SNI is being resolved; the handshake resumes once a context is picked.
    if (chunk) this[kPendingInput].push(chunk);
    return;
  }
  const [out, plaintext, flags, error, sessions] = binding.feed(this[kEngine], chunk);
  if (error) {
    if (out) this[kTransport].write(out);
    fixSslErrorCode(error);
    this._tlsError(this[kWaitingForSecure].length ? writeError(error) : error);
    return;
  }
  if (flags & WANTS_SERVERNAME) {
    this[kPendingInput] = [];
    resolveServername(this);
    return;
  }
  if (flags & SECURE_NOW) onHandshakeDone(this, out);
  else if (out) this[kTransport].write(out);
  if (this.destroyed) return;
  if (sessions && !binding.isSessionReused(this[kEngine])) {
    for (const s of sessions) {
      this.emit('session', Buffer.from(s.buffer, s.byteOffset, s.length));
    }
  }
  if (plaintext) {
    const buf = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.length);
    this[kPlainBytes].read += buf.length;
    // http's server takes bytes through the data hook, as from a net.Socket.
    if (this[kDataHook] !== undefined) this[kDataHook](buf);
    else if (!this.push(buf) && !this[kTransportPaused]) {
      this[kTransportPaused] = true;
      this[kTransport].pause();
    }
  }
  if (flags & PEER_CLOSED) {
    this.push(null);
    this.read(0);
  }
};

// A handshake failure with writes waiting reaches them as Node's failed write does.
function writeError(error) {
  const err = new Error(`write EPROTO ${error.message}`);
  err.errno = -71;
  err.code = 'EPROTO';
  err.syscall = 'write';
  return err;
}

function resolveServername(socket) {
  const server = socket._tlsOptions.server;
  const servername = binding.servername(socket[kEngine]);
  socket.servername = servername;
  const sniCallback = server._SNICallback || defaultSNICallback.bind(server);
  let called = false;
  sniCallback(servername, (err, context) => {
    if (called) {
      socket.destroy(new ERR_MULTIPLE_CALLBACK());
      return;
    }
    called = true;
    if (socket.destroyed) return;
    if (err) {
      socket.destroy(err);
      return;
    }
    if (context) {
      if (!isSecureContext(context)) {
        socket.destroy(new ERR_TLS_INVALID_CONTEXT('context'));
        return;
      }
      socket._sharedCreds = context;
      binding.setContext(socket[kEngine], context.context);
    }
    const pending = socket[kPendingInput];
    socket[kPendingInput] = null;
    socket._feed(pending.length ? Buffer.concat(pending) : undefined);
  });
}

function defaultSNICallback(servername, cb) {
  let context = null;
  for (const { pattern, context: c } of this._contexts) {
    if (pattern.test(servername)) context = c;
  }
  cb(null, context);
}

// The handshake's last flight goes out only if the socket survives the verdict on its
// peer, and before anything 'secure' listeners write.
function onHandshakeDone(socket, out) {
  const flush = () => {
    if (out) socket[kTransport].write(out);
  };
  socket._secureEstablished = true;
  socket.secureConnecting = false;
  socket.alpnProtocol = binding.alpnProtocol(socket[kEngine]);
  const options = socket._tlsOptions;
  socket.servername = binding.servername(socket[kEngine]);
  if (options.isServer) {
    if (options.requestCert) {
      const verifyError = binding.verifyError(socket[kEngine]);
      if (verifyError) {
        socket.authorizationError = verifyError[0];
      } else {
        socket.authorized = true;
      }
    }
    const server = options.server;
    if (options.requestCert && options.rejectUnauthorized !== false && !socket.authorized) {
      const err = new Error('socket hang up');
      err.code = 'ECONNRESET';
      socket._tlsError(err);
      return;
    }
    flush();
    releaseWrites(socket);
    socket.emit('secure');
    if (server) server.emit('secureConnection', socket);
    return;
  }

  let verifyError = binding.verifyError(socket[kEngine]);
  if (verifyError) {
    const code = verifyError[0];
    const hint = kSystemCAHintCodes.has(code) ? '; if the root CA is installed locally, try running Node.js with --use-system-ca' : '';
    const err = new Error(verifyError[1] + hint);
    err.code = code;
    verifyError = err;
  } else {
    const hostname = options.servername || options.host || 'localhost';
    const cert = socket.getPeerCertificate(true);
    verifyError = options.checkServerIdentity(hostname, cert) || null;
  }
  if (verifyError) {
    socket.authorized = false;
    socket.authorizationError = verifyError.code || verifyError.message;
    if (options.rejectUnauthorized) {
      socket.destroy(verifyError);
      return;
    }
  } else {
    socket.authorized = true;
  }
  flush();
  releaseWrites(socket);
  socket.emit('secure');
  socket.emit('secureConnect');
}

// Failures a missing root CA explains.
const kSystemCAHintCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function releaseWrites(socket) {
  const waiting = socket[kWaitingForSecure];
  socket[kWaitingForSecure] = [];
  for (const fn of waiting) fn();
}

// The transport ended or closed: before the handshake that is a reset; after, the end
// of the plaintext stream.
function onTransportEnd(socket) {
  if (socket.destroyed) return;
  const handshaking = socket._tlsOptions.isServer || socket._tlsOptions._fromConnect;
  if (!socket._secureEstablished && !handshaking) {
    // A client TLSSocket made directly, never started: its transport just went away.
    socket.destroy();
    return;
  }
  if (!socket._secureEstablished) {
    const options = socket._tlsOptions;
    const err = new Error(options.isServer ? 'socket hang up' :
      'Client network socket disconnected before secure TLS connection was established');
    err.code = 'ECONNRESET';
    if (!options.isServer) {
      err.path = options.path;
      err.host = options.host;
      err.port = options.port;
      err.localAddress = options.localAddress;
    }
    socket._tlsError(err);
    return;
  }
  // As net's EOF: 'end' comes even when nobody reads.
  socket.push(null);
  socket.read(0);
}

TLSSocket.prototype._tlsError = function(err) {
  if (this[kErrorEmitted]) return;
  this[kErrorEmitted] = true;
  const server = this._tlsOptions.server;
  if (this._tlsOptions.isServer && server) {
    // A failed handshake on a server socket is the server's 'tlsClientError'.
    if (!this._secureEstablished || !this.authorized && this._tlsOptions.requestCert) {
      // A failed handshake has closed the socket by then; a timeout leaves it to a
      // listener.
      if (err.code !== 'ERR_TLS_HANDSHAKE_TIMEOUT') this.destroy();
      if (!server.emit('tlsClientError', err, this)) this.destroy();
      return;
    }
  }
  this.destroy(err);
};

TLSSocket.prototype._read = function() {
  if (this[kTransportPaused]) {
    this[kTransportPaused] = false;
    this[kTransport].resume();
  }
};

TLSSocket.prototype._write = function(chunk, encoding, cb) {
  if (!this._secureEstablished) {
    this[kWaitingForSecure].push(() => this._write(chunk, encoding, cb));
    return;
  }
  if (!this[kEngine]) return cb(new ERR_SOCKET_CLOSED());
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
  let out;
  try {
    out = binding.write(this[kEngine], bytes);
  } catch (err) {
    return cb(fixSslErrorCode(err));
  }
  this._unrefTimer();
  this[kPlainBytes].written += bytes.length;
  this[kTransport].write(out, cb);
};

TLSSocket.prototype._writev = function(chunks, cb) {
  const bufs = chunks.map(({ chunk, encoding }) => (typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk));
  this._write(Buffer.concat(bufs), '', cb);
};

TLSSocket.prototype._final = function(cb) {
  if (!this._secureEstablished) {
    this[kWaitingForSecure].push(() => this._final(cb));
    return;
  }
  const transport = this[kTransport];
  // A transport whose peer already ended (without half-open) takes no more writes.
  const peerGone = transport.readableEnded && !transport.allowHalfOpen;
  if (this[kEngine] && !peerGone && !transport.writableEnded) transport.write(binding.shutdown(this[kEngine]));
  transport.end();
  cb();
};

TLSSocket.prototype._destroy = function(exception, cb) {
  this.connecting = false;
  this.setTimeout(0);
  this[kEngine] = null;
  const transport = this[kTransport];
  const emitClose = () => this.emit('close', Boolean(exception));
  cb(exception);
  if (transport.destroyed && (transport.closed || !(transport instanceof net.Socket))) {
    process.nextTick(emitClose);
  } else {
    transport.once('close', emitClose);
    transport.destroy();
  }
  if (this._server) {
    this._server._connections--;
    if (this._server._emitCloseIfDrained) this._server._emitCloseIfDrained();
  }
};

// Socket facts come from the transport.
TLSSocket.prototype._getpeername = function() {
  const t = this[kTransport];
  return t && typeof t._getpeername === 'function' ? t._getpeername() : {};
};
TLSSocket.prototype._getsockname = function() {
  const t = this[kTransport];
  return t && typeof t._getsockname === 'function' ? t._getsockname() : {};
};
TLSSocket.prototype.address = function() {
  return this._getsockname();
};
for (const name of ['setNoDelay', 'setKeepAlive', 'ref', 'unref']) {
  TLSSocket.prototype[name] = function(...args) {
    const t = this[kTransport];
    if (t && typeof t[name] === 'function') t[name](...args);
    return this;
  };
}
// With a data hook, flow control is the transport's.
TLSSocket.prototype.pause = function() {
  if (this[kDataHook] !== undefined) this[kTransport].pause();
  return Duplex.prototype.pause.call(this);
};

TLSSocket.prototype.resume = function() {
  if (this[kDataHook] !== undefined && !this[kTransportPaused]) this[kTransport].resume();
  return Duplex.prototype.resume.call(this);
};

// Byte counts are of plaintext.
Object.defineProperty(TLSSocket.prototype, 'bytesRead', {
  configurable: true,
  get() { return this[kPlainBytes].read; },
});
Object.defineProperty(TLSSocket.prototype, 'bytesWritten', {
  configurable: true,
  get() { return this[kPlainBytes].written; },
});

Object.defineProperty(TLSSocket.prototype, 'pending', {
  configurable: true,
  get() { return Boolean(this[kTransport]?.pending); },
});
Object.defineProperty(TLSSocket.prototype, '_handle', {
  configurable: true,
  get() { return this[kEngine] ? (this[kTransport]?._handle ?? null) : null; },
  set(v) {},
});

TLSSocket.prototype.getPeerCertificate = function(detailed) {
  if (!this[kEngine]) return null;
  const chain = binding.peerCertificates(this[kEngine]);
  if (chain.length === 0) return {};
  if (detailed) return linkChain(chain);
  return translatePeerCertificate(chain[0]);
};

TLSSocket.prototype.getCertificate = function() {
  if (!this[kEngine]) return null;
  return translatePeerCertificate(binding.ownCertificate(this[kEngine])) || {};
};

TLSSocket.prototype.getPeerX509Certificate = function() {
  const cert = this[kEngine] && binding.peerCertificates(this[kEngine])[0];
  if (!cert) return undefined;
  const { X509Certificate } = require('crypto');
  return new X509Certificate(Buffer.from(cert.raw));
};

TLSSocket.prototype.getX509Certificate = function() {
  const cert = this[kEngine] && binding.ownCertificate(this[kEngine]);
  if (!cert) return undefined;
  const { X509Certificate } = require('crypto');
  return new X509Certificate(Buffer.from(cert.raw));
};

TLSSocket.prototype.getProtocol = function() {
  if (!this[kEngine]) return null;
  return binding.protocol(this[kEngine]);
};

TLSSocket.prototype.getCipher = function() {
  if (!this[kEngine] || !this._secureEstablished) return {};
  const c = binding.cipher(this[kEngine]);
  if (!c) return {};
  return { name: c[0], standardName: c[1], version: c[2] };
};

TLSSocket.prototype.getSession = function() {
  if (!this[kEngine]) return undefined;
  const der = binding.session(this[kEngine]);
  return der ? Buffer.from(der.buffer, der.byteOffset, der.length) : undefined;
};

TLSSocket.prototype.isSessionReused = function() {
  return this[kEngine] ? binding.isSessionReused(this[kEngine]) : false;
};

TLSSocket.prototype.setServername = function(name) {
  validateString(name, 'name');
  if (this._tlsOptions.isServer) throw new ERR_TLS_SNI_FROM_SERVER();
  this._tlsOptions.servername = name;
  if (this[kEngine]) binding.setServername(this[kEngine], name);
};

TLSSocket.prototype.setSession = function(session) {
  if (typeof session === 'string') session = Buffer.from(session, 'latin1');
  this._tlsOptions.session = session;
  if (this[kEngine]) binding.setSession(this[kEngine], session);
};

TLSSocket.prototype.getEphemeralKeyInfo = function() {
  if (this._tlsOptions.isServer || !this[kEngine]) return null;
  const info = binding.ephemeralKeyInfo(this[kEngine]);
  if (!info) return {};
  return info[0] === 'DH' ? { type: 'DH', size: info[2] } : { type: info[0], name: info[1], size: info[2] };
};

TLSSocket.prototype.getFinished = function() {
  const f = this[kEngine] && binding.finished(this[kEngine], false);
  return f ? Buffer.from(f.buffer, f.byteOffset, f.length) : undefined;
};

TLSSocket.prototype.getPeerFinished = function() {
  const f = this[kEngine] && binding.finished(this[kEngine], true);
  return f ? Buffer.from(f.buffer, f.byteOffset, f.length) : undefined;
};

TLSSocket.prototype.exportKeyingMaterial = function(length, label, context) {
  validateNumber(length, 'length');
  validateString(label, 'label');
  if (context !== undefined && !isArrayBufferView(context)) {
    throw new ERR_INVALID_ARG_TYPE('context', ['Buffer', 'TypedArray', 'DataView'], context);
  }
  if (!this._secureEstablished) throw new ERR_TLS_INVALID_STATE();
  let km;
  try {
    km = binding.exportKeyingMaterial(this[kEngine], length, label, context);
  } catch (err) {
    throw fixSslErrorCode(err);
  }
  return Buffer.from(km.buffer, km.byteOffset, km.length);
};

TLSSocket.prototype.getTLSTicket = function() {
  return undefined;
};

TLSSocket.prototype.setMaxSendFragment = function(size) {
  validateNumber(size, 'size');
  return size >= 512 && size <= 16384;
};

TLSSocket.prototype.disableRenegotiation = function() {
  this._disableRenegotiation = true;
};

TLSSocket.prototype.renegotiate = function(options, callback) {
  validateObject(options, 'options');
  if (callback !== undefined) validateFunction(callback, 'callback');
  if (this.destroyed) return false;
  if (callback) process.nextTick(callback, new ERR_TLS_RENEGOTIATION_DISABLED());
  return false;
};

TLSSocket.prototype.enableTrace = function() {};

// --- Server ------------------------------------------------------------------------

function Server(options, listener) {
  if (!(this instanceof Server)) return new Server(options, listener);
  if (typeof options === 'function') {
    listener = options;
    options = {};
  } else if (options == null || typeof options === 'object') {
    options = options || {};
  } else {
    throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  this._contexts = [];
  this.requestCert = options.requestCert === true;
  this.rejectUnauthorized = options.rejectUnauthorized !== false;
  if (options.ALPNProtocols) require('tls').convertALPNProtocols(options.ALPNProtocols, this);
  if (options.SNICallback !== undefined) validateFunction(options.SNICallback, 'options.SNICallback');
  this._SNICallback = options.SNICallback || null;
  this.setSecureContext(options);

  const handshakeTimeout = options.handshakeTimeout;
  if (handshakeTimeout !== undefined) validateNumber(handshakeTimeout, 'options.handshakeTimeout');
  this[kHandshakeTimeout] = handshakeTimeout || 120000;

  net.Server.call(this, options, tlsConnectionListener);
  if (listener) this.on('secureConnection', listener);
}
Object.setPrototypeOf(Server.prototype, net.Server.prototype);
Object.setPrototypeOf(Server, net.Server);
const kHandshakeTimeout = Symbol('kHandshakeTimeout');

Server.prototype.setSecureContext = function(options) {
  validateObject(options, 'options');
  this._sharedCreds = createSecureContext(options);
  for (const name of ['key', 'cert', 'ca', 'passphrase', 'pfx', 'ciphers', 'ecdhCurve', 'honorCipherOrder',
    'minVersion', 'maxVersion', 'secureProtocol', 'sessionIdContext', 'ticketKeys', 'sessionTimeout']) {
    if (options[name] !== undefined) this[name] = options[name];
  }
};

Server.prototype.addContext = function(servername, context) {
  if (!servername) throw new ERR_TLS_REQUIRED_SERVER_NAME();
  const pattern = new RegExp('^' + servername.replace(/([.^$+?\-\\[\]{}])/g, '\\$1').replace(/\*/g, '[^.]*') + '$', 'i');
  const secureContext = isSecureContext(context) ? context : createSecureContext(context);
  this._contexts.push({ pattern, context: secureContext });
};

Server.prototype.setTicketKeys = function(keys) {
  if (!isArrayBufferView(keys)) throw new ERR_INVALID_ARG_TYPE('keys', ['Buffer', 'TypedArray', 'DataView'], keys);
  this._ticketKeys = keys;
};

Server.prototype.getTicketKeys = function() {
  return this._ticketKeys || Buffer.alloc(48);
};

function tlsConnectionListener(rawSocket) {
  const socket = new TLSSocket(rawSocket, {
    secureContext: this._sharedCreds,
    isServer: true,
    server: this,
    requestCert: this.requestCert,
    rejectUnauthorized: this.rejectUnauthorized,
    ALPNProtocols: this.ALPNProtocols,
  });
  socket._server = null;
  const timeout = this[kHandshakeTimeout];
  if (timeout > 0) {
    const timer = setTimeout(() => {
      if (!socket._secureEstablished) socket._tlsError(new ERR_TLS_HANDSHAKE_TIMEOUT());
    }, timeout);
    timer.unref();
    socket.once('secure', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  }
}

// --- connect -----------------------------------------------------------------------

function normalizeConnectArgs(listArgs) {
  const args = net._normalizeArgs(listArgs);
  const options = args[0];
  const cb = args[1];
  // connect(port, host, options, cb) and connect(path, options, cb) carry options last.
  if (listArgs[1] !== null && typeof listArgs[1] === 'object') {
    Object.assign(options, listArgs[1]);
  } else if (listArgs[2] !== null && typeof listArgs[2] === 'object') {
    Object.assign(options, listArgs[2]);
  }
  return cb ? [options, cb] : [options];
}

function connect(...args) {
  args = normalizeConnectArgs(args);
  let options = args[0];
  const cb = args[1];
  const tls = require('tls');
  const allowUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0';
  options = {
    rejectUnauthorized: !allowUnauthorized,
    ciphers: tls.DEFAULT_CIPHERS,
    checkServerIdentity: tls.checkServerIdentity,
    minDHSize: 1024,
    ...options,
  };
  if (!options.keepAlive) options.singleUse = true;
  validateFunction(options.checkServerIdentity, 'options.checkServerIdentity');
  validateNumber(options.minDHSize, 'options.minDHSize', 1);
  if (options.servername !== undefined && options.servername !== null) {
    validateString(options.servername, 'options.servername');
  }

  const context = options.secureContext || createSecureContext(options);
  const transport = options.socket || new net.Socket({ allowHalfOpen: options.allowHalfOpen });
  const tlssock = new TLSSocket(transport, {
    ...options,
    _fromConnect: true,
    secureContext: context,
    isServer: false,
    servername: options.servername,
    ALPNProtocols: options.ALPNProtocols,
  });
  tlssock._tlsOptions.host = options.host;
  tlssock._tlsOptions.port = options.port;
  tlssock._tlsOptions.path = options.path;
  tlssock._tlsOptions.localAddress = options.localAddress;
  tlssock._tlsOptions.rejectUnauthorized = options.rejectUnauthorized !== false;
  tlssock._tlsOptions.checkServerIdentity = options.checkServerIdentity;
  if (cb) tlssock.once('secureConnect', cb);

  if (options.socket) {
    if (transport.connecting) {
      transport.once('connect', () => {
        tlssock.connecting = false;
        tlssock.emit('connect');
        tlssock._start();
      });
    } else {
      process.nextTick(() => tlssock._start());
    }
  } else {
    const connectOptions = {
      path: options.path,
      port: options.port,
      host: options.host,
      family: options.family,
      localAddress: options.localAddress,
      localPort: options.localPort,
      lookup: options.lookup,
    };
    if (options.timeout) tlssock.setTimeout(options.timeout);
    tlssock.connecting = true;
    transport.once('connect', () => {
      tlssock.connecting = false;
      tlssock.emit('connect');
      tlssock._start();
    });
    transport.connect(connectOptions);
  }
  return tlssock;
}

function createServer(options, listener) {
  return new Server(options, listener);
}

module.exports = { TLSSocket, Server, createServer, connect };
