'use strict';

// http.ClientRequest: writes a request on a socket from an Agent (or its own
// connection), parses the response into an IncomingMessage, and gives a keep-alive
// socket back to the agent when the response has been read.

const net = require('net');
const { Buffer } = require('buffer');
const { codes, validators, AbortError } = require('internal/errors');
const {
  ERR_INVALID_ARG_TYPE, ERR_INVALID_HTTP_TOKEN, ERR_INVALID_PROTOCOL, ERR_UNESCAPED_CHARACTERS,
  ERR_HTTP_HEADERS_SENT, ERR_INVALID_ARG_VALUE,
} = codes;
const { validateInteger, validateNumber } = validators;
const { HTTPParser, RESPONSE, checkIsHttpToken, kMaxHeaderSize } = require('_http_common');
const { OutgoingMessage, kOutHeaders } = require('_http_outgoing');
const { IncomingMessage } = require('_http_incoming');
const { Agent } = require('_http_agent');
const { proxyFor, authorityOf } = require('internal/http_proxy');

const INVALID_PATH_REGEX = /[^\u0021-\u00ff]/;
const kError = Symbol('kError');

function connResetException(msg) {
  const ex = new Error(msg);
  ex.code = 'ECONNRESET';
  return ex;
}

// The request options a URL stands for.
function urlToHttpOptions(url) {
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: hostname && hostname[0] === '[' ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) {
    options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  }
  return options;
}

function validateHost(host, name) {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw new ERR_INVALID_ARG_TYPE(`options.${name}`, ['string', 'undefined', 'null'], host);
  }
  return host;
}

// The request target an http proxy gets: the absolute form of `path` (which must be
// origin-form, `*` for OPTIONS, or an absolute http: URL of this authority).
function proxiedRequestPath(path, method, authority) {
  if (path[0] === '/') return new URL(`http://${authority}${path}`).href;
  if (path === '*' && method === 'OPTIONS') return path;
  let url;
  try {
    url = new URL(path);
  } catch {
    throw new ERR_INVALID_ARG_VALUE('options.path', path, 'must be in absolute-form or start with /');
  }
  if (url.protocol !== 'http:') {
    throw new ERR_INVALID_ARG_VALUE('options.path', url.protocol, 'must use http: scheme when specified as an absolute URL');
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new ERR_INVALID_ARG_VALUE('options.path', url.href, 'must not contain userinfo, use options.auth instead');
  }
  if (url.host !== authority) {
    throw new ERR_INVALID_ARG_VALUE('options.path', url, `must match the request authority (${authority})`);
  }
  return url.href;
}

// A proxied request's Host header is its authority; one given in the headers must name it.
function setProxiedHostHeader(req, authority) {
  const hostHeader = req.getHeader('host');
  if (hostHeader === undefined) {
    req.setHeader('Host', authority);
    return;
  }
  let hostHeaderAuthority;
  try {
    hostHeaderAuthority = new URL(`http://${hostHeader}`).host;
  } catch {
    // Not a host: it fails the comparison below.
  }
  if (hostHeaderAuthority !== authority) {
    throw new ERR_INVALID_ARG_VALUE('Host in options.headers', hostHeader, `must match the request authority (${authority})`);
  }
  if (hostHeader !== authority) req.setHeader('Host', authority);
}

function setProxyHeaders(req, proxy) {
  if (proxy.auth) req.setHeader('proxy-authorization', proxy.auth);
  req.setHeader('proxy-connection', req.shouldKeepAlive ? 'keep-alive' : 'close');
}

function ClientRequest(input, options, cb) {
  OutgoingMessage.call(this);

  if (typeof input === 'string') {
    input = urlToHttpOptions(new URL(input));
  } else if (input instanceof URL) {
    input = urlToHttpOptions(input);
  } else {
    cb = options;
    options = input;
    input = null;
  }
  if (typeof options === 'function') {
    cb = options;
    options = input || Object.create(null);
  } else {
    options = Object.assign(input || {}, options);
  }

  let agent = options.agent;
  const defaultAgent = options._defaultAgent || require('_http_agent').globalAgent;
  if (agent === false) {
    agent = new defaultAgent.constructor();
  } else if (agent === null || agent === undefined) {
    if (typeof options.createConnection !== 'function') agent = defaultAgent;
    options._defaultAgent = defaultAgent;
  } else if (typeof agent.addRequest !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('options.agent', ['Agent-like Object', 'undefined', 'false'], agent);
  }
  this.agent = agent;

  const protocol = options.protocol || defaultAgent.protocol;
  let expectedProtocol = defaultAgent.protocol;
  if (this.agent?.protocol) expectedProtocol = this.agent.protocol;

  if (options.path) {
    const path = String(options.path);
    if (INVALID_PATH_REGEX.test(path)) throw new ERR_UNESCAPED_CHARACTERS('Request path');
  }
  if (protocol !== expectedProtocol) throw new ERR_INVALID_PROTOCOL(protocol, expectedProtocol);

  const defaultPort = options.defaultPort || (this.agent?.defaultPort);
  const optsWithoutSignal = { __proto__: null, ...options };
  const port = optsWithoutSignal.port = options.port || defaultPort || 80;
  const host = optsWithoutSignal.host =
    validateHost(options.hostname, 'hostname') || validateHost(options.host, 'host') || 'localhost';
  const setHost = options.setHost === undefined || Boolean(options.setHost);

  this.socketPath = options.socketPath;

  if (options.timeout !== undefined) {
    validateNumber(options.timeout, 'timeout', 0);
    this.timeout = options.timeout;
  }

  const signal = options.signal;
  if (signal) {
    delete optsWithoutSignal.signal;
    const onAbort = () => this.destroy(new AbortError(undefined, { cause: signal.reason }));
    if (signal.aborted) process.nextTick(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      this.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }

  let method = options.method;
  const methodIsString = typeof method === 'string';
  if (method !== null && method !== undefined && !methodIsString) {
    throw new ERR_INVALID_ARG_TYPE('options.method', 'string', method);
  }
  if (methodIsString && method) {
    if (!checkIsHttpToken(method)) throw new ERR_INVALID_HTTP_TOKEN('Method', method);
    method = this.method = method.toUpperCase();
  } else {
    method = this.method = 'GET';
  }

  const maxHeaderSize = options.maxHeaderSize;
  if (maxHeaderSize !== undefined) validateInteger(maxHeaderSize, 'maxHeaderSize', 0);
  this.maxHeaderSize = maxHeaderSize;
  this.joinDuplicateHeaders = options.joinDuplicateHeaders;

  this.path = options.path || '/';
  if (cb) this.once('response', cb);

  // Through an http agent's proxy, the request line carries the absolute URL.
  const proxy = this.agent?.protocol === 'http:' ? proxyFor(this.agent, host, port, options.socketPath) : null;
  let proxiedAuthority;
  if (proxy) {
    proxiedAuthority = new URL(`http://${authorityOf(host, port)}`).host;
    if (method !== 'CONNECT') this.path = proxiedRequestPath(this.path, method, proxiedAuthority);
  }

  if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS' ||
      method === 'TRACE' || method === 'CONNECT') {
    this.useChunkedEncodingByDefault = false;
  } else {
    this.useChunkedEncodingByDefault = true;
  }

  this._ended = false;
  this.res = null;
  this.aborted = false;
  this.timeoutCb = null;
  this.upgradeOrConnect = false;
  this.parser = null;
  this.maxHeadersCount = null;
  this.reusedSocket = false;
  this.host = host;
  this.protocol = protocol;

  if (this.agent) {
    // An agent without keep-alive and without a socket limit closes each connection.
    if (!this.agent.keepAlive && !Number.isFinite(this.agent.maxSockets)) {
      this._last = true;
      this.shouldKeepAlive = false;
    } else {
      this._last = false;
      this.shouldKeepAlive = true;
    }
  }

  const headersArray = Array.isArray(options.headers);
  if (!headersArray) {
    if (options.headers) {
      const keys = Object.keys(options.headers);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        this.setHeader(key, options.headers[key]);
      }
    }
    if (proxy && setHost) setProxiedHostHeader(this, proxiedAuthority);
    if (host && !this.getHeader('host') && setHost) {
      let hostHeader = host;
      const posColon = hostHeader.indexOf(':');
      if (posColon !== -1 && hostHeader.includes(':', posColon + 1) && hostHeader.charCodeAt(0) !== 91) {
        hostHeader = `[${hostHeader}]`;
      }
      if (port && +port !== defaultPort) hostHeader += ':' + port;
      this.setHeader('Host', hostHeader);
    }
    if (options.auth && !this.getHeader('Authorization')) {
      this.setHeader('Authorization', 'Basic ' + Buffer.from(options.auth).toString('base64'));
    }
    if (proxy) setProxyHeaders(this, proxy);
    if (this.getHeader('expect')) {
      if (this._header) throw new ERR_HTTP_HEADERS_SENT('render');
      this._storeHeader(this.method + ' ' + this.path + ' HTTP/1.1\r\n', this[kOutHeaders]);
    }
  } else {
    // Set but not sent: the array is the whole header.
    if (proxy) setProxyHeaders(this, proxy);
    this._storeHeader(this.method + ' ' + this.path + ' HTTP/1.1\r\n', options.headers);
  }

  if (this.agent) {
    this.agent.addRequest(this, optsWithoutSignal);
  } else {
    this._last = true;
    this.shouldKeepAlive = false;
    let opts = optsWithoutSignal;
    if (opts.path || opts.socketPath) {
      opts = { ...optsWithoutSignal };
      if (opts.socketPath) opts.path = opts.socketPath;
      else delete opts.path;
    }
    if (typeof opts.createConnection === 'function') {
      let called = false;
      const oncreate = (err, socket) => {
        if (called) return;
        called = true;
        if (err) process.nextTick(() => this.emit('error', err));
        else this.onSocket(socket);
      };
      try {
        const newSocket = opts.createConnection(opts, oncreate);
        if (newSocket) oncreate(null, newSocket);
      } catch (err) {
        oncreate(err);
      }
    } else {
      this.onSocket(net.createConnection(opts));
    }
  }
}
Object.setPrototypeOf(ClientRequest.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ClientRequest, OutgoingMessage);

ClientRequest.prototype._finish = function _finish() {
  OutgoingMessage.prototype._finish.call(this);
};

ClientRequest.prototype._implicitHeader = function _implicitHeader() {
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('render');
  this._storeHeader(this.method + ' ' + this.path + ' HTTP/1.1\r\n', this[kOutHeaders]);
};

ClientRequest.prototype.abort = function abort() {
  if (this.aborted) return;
  this.aborted = true;
  process.nextTick(emitAbortNT, this);
  this.destroy();
};

function emitAbortNT(req) {
  req.emit('abort');
}

ClientRequest.prototype.destroy = function destroy(err) {
  if (this.destroyed) return this;
  this.destroyed = true;
  if (this.res) this.res._dump();
  this[kError] = err;
  this.socket?.destroy(err);
  return this;
};

function emitErrorEvent(request, error) {
  request.emit('error', error);
}

function socketCloseListener() {
  const socket = this;
  const req = socket._httpMessage;
  const parser = socket.parser;
  const res = req.res;
  req.destroyed = true;
  if (res) {
    if (!res.complete) {
      res.destroy(connResetException('aborted'));
    }
    req._closed = true;
    req.emit('close');
    if (!res.aborted && res.readable) {
      res.push(null);
    }
  } else {
    if (!req.socket._hadError) {
      req.socket._hadError = true;
      emitErrorEvent(req, req[kError] ?? connResetException('socket hang up'));
    }
    req._closed = true;
    req.emit('close');
  }
  if (req.outputData) req.outputData.length = 0;
  if (parser) {
    parser.finish();
    parser.close();
  }
}

function socketErrorListener(err) {
  const socket = this;
  const req = socket._httpMessage;
  if (req) {
    req.socket._hadError = true;
    emitErrorEvent(req, err);
  }
  const parser = socket.parser;
  if (parser) {
    parser.finish();
    socket.parser = null;
  }
  socket.removeListener('data', socketOnData);
  socket.removeListener('end', socketOnEnd);
  socket.destroy();
}

function socketOnEnd() {
  const socket = this;
  const req = this._httpMessage;
  const parser = this.parser;
  if (!req.res && !req.socket._hadError) {
    req.socket._hadError = true;
    emitErrorEvent(req, connResetException('socket hang up'));
  }
  if (parser) {
    parser.finish();
  }
  socket.destroy();
}

function socketOnData(d) {
  const socket = this;
  const req = this._httpMessage;
  const parser = this.parser;
  const ret = parser.execute(d);
  if (ret === -1) {
    const err = parser.error(d);
    parser.close();
    socket.removeListener('data', socketOnData);
    socket.removeListener('end', socketOnEnd);
    socket.destroy();
    req.socket._hadError = true;
    emitErrorEvent(req, err);
  } else if (parser.upgraded) {
    // A 101 response: the rest of the connection belongs to the 'upgrade' listener.
    const bodyHead = d.subarray(ret);
    const eventName = req.method === 'CONNECT' ? 'connect' : 'upgrade';
    socket.removeListener('data', socketOnData);
    socket.removeListener('end', socketOnEnd);
    socket.removeListener('drain', ondrain);
    socket.removeListener('close', socketCloseListener);
    socket.removeListener('error', socketErrorListener);
    parser.close();
    socket.parser = null;
    req.upgradeOrConnect = true;
    if (req.listenerCount(eventName) > 0) {
      socket._httpMessage = null;
      socket.readableFlowing = null;
      req.emit(eventName, req.res, socket, bodyHead);
      req.destroyed = true;
      req._closed = true;
      req.emit('close');
    } else {
      socket.destroy();
    }
  }
}

function parserOnIncomingClient(req, socket, res, shouldKeepAlive) {
  if (req.res) {
    // A second response to one request: the server is broken.
    socket.destroy();
    return false;
  }
  req.res = res;
  if (res.upgrade) return true;

  const method = req.method;
  if (res.statusCode >= 100 && res.statusCode < 200 && res.statusCode !== 101) {
    req.res = null;
    if (res.statusCode === 100) req.emit('continue');
    req.emit('information', {
      statusCode: res.statusCode,
      statusMessage: res.statusMessage,
      httpVersion: res.httpVersion,
      httpVersionMajor: res.httpVersionMajor,
      httpVersionMinor: res.httpVersionMinor,
      headers: res.headers,
      rawHeaders: res.rawHeaders,
    });
    return true;
  }

  if (req.shouldKeepAlive && !shouldKeepAlive && !req.upgradeOrConnect) {
    req.shouldKeepAlive = false;
  }
  res.req = req;
  res.once('end', responseOnEnd);
  if (req.aborted || !req.emit('response', res)) res._dump();
  if (method === 'HEAD') return true;
  if (res.statusCode === 304) {
    res.complete = true;
    return true;
  }
  return false;
}

function responseOnEnd() {
  const req = this.req;
  const socket = req.socket;
  if (socket && req.timeoutCb) socket.removeListener('timeout', emitRequestTimeout);
  req._ended = true;
  if (!req.shouldKeepAlive) {
    if (socket.writable) {
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
    }
  } else if (req.writableFinished && !this.aborted) {
    responseKeepAlive(req);
  }
}

function requestOnFinish() {
  const req = this;
  if (req.shouldKeepAlive && req._ended) responseKeepAlive(req);
}

function responseKeepAlive(req) {
  const socket = req.socket;
  socket.removeListener('close', socketCloseListener);
  socket.removeListener('error', socketErrorListener);
  socket.removeListener('data', socketOnData);
  socket.removeListener('end', socketOnEnd);
  socket.removeListener('drain', ondrain);
  if (socket.parser) {
    socket.parser.close();
    socket.parser = null;
  }
  req.destroyed = true;
  if (req.res) req.res.socket = socket;
  process.nextTick(emitFreeNT, req);
}

function emitFreeNT(req) {
  req._closed = true;
  req.emit('close');
  if (req.socket) req.socket.emit('free');
}

function ondrain() {
  const msg = this._httpMessage;
  if (msg && !msg.finished && msg.writableNeedDrain) {
    msg.emit('drain');
  }
}

function tickOnSocket(req, socket) {
  const parser = new HTTPParser(RESPONSE, req.maxHeaderSize ?? kMaxHeaderSize);
  req.socket = socket;
  socket.parser = parser;
  socket._httpMessage = req;
  parser.upgraded = false;
  parser.onHeaders = (major, minor, rawHeaders, method, url, statusCode, statusMessage, upgrade, keepAlive) => {
    const res = new IncomingMessage(socket);
    res.httpVersionMajor = major;
    res.httpVersionMinor = minor;
    res.httpVersion = `${major}.${minor}`;
    res.joinDuplicateHeaders = req.joinDuplicateHeaders;
    let n = rawHeaders.length;
    if (req.maxHeadersCount && n > req.maxHeadersCount * 2) n = req.maxHeadersCount * 2;
    res._addHeaderLines(rawHeaders, n);
    res.statusCode = statusCode;
    res.statusMessage = statusMessage;
    res.upgrade = upgrade;
    if (upgrade) parser.upgraded = true;
    parser.incoming = res;
    return parserOnIncomingClient(req, socket, res, keepAlive);
  };
  parser.onBody = (chunk) => {
    const res = parser.incoming;
    if (res && !res._dumped) res._pushBody(chunk);
  };
  parser.onComplete = (trailers) => {
    const res = parser.incoming;
    parser.incoming = null;
    if (!res || res.upgrade) return;
    if (res.statusCode >= 100 && res.statusCode < 200) return;
    res.complete = true;
    if (trailers) res._addHeaderLines(trailers, trailers.length);
    res.push(null);
    // fetch() lets go of the connection once all of an unread body is in.
    if (res._onComplete !== undefined) res._onComplete();
  };

  socket.on('error', socketErrorListener);
  socket.on('data', socketOnData);
  socket.on('end', socketOnEnd);
  socket.on('close', socketCloseListener);
  socket.on('drain', ondrain);

  if (req.timeout !== undefined || (req.agent && req.agent.options && req.agent.options.timeout)) {
    listenSocketTimeout(req);
  }
  req.on('finish', requestOnFinish);
  req.emit('socket', socket);
}

function emitRequestTimeout() {
  const req = this._httpMessage;
  if (req) req.emit('timeout');
}

function listenSocketTimeout(req) {
  if (req.timeoutCb) return;
  req.timeoutCb = emitRequestTimeout;
  if (req.socket) {
    req.socket.once('timeout', emitRequestTimeout);
  } else {
    req.on('socket', (socket) => socket.once('timeout', emitRequestTimeout));
  }
}

ClientRequest.prototype.onSocket = function onSocket(socket, err) {
  process.nextTick(onSocketNT, this, socket, err);
};

function onSocketNT(req, socket, err) {
  if (req.destroyed || err) {
    req.destroyed = true;
    if (!err && req.agent && !socket.destroyed) {
      socket.emit('free');
    } else {
      if (socket && !socket.destroyed) socket.destroy(err);
      if (!req.socket?._hadError) emitErrorEvent(req, err ?? req[kError] ?? connResetException('socket hang up'));
      req._closed = true;
      req.emit('close');
    }
    return;
  }
  tickOnSocket(req, socket);
  req._flush();
}

ClientRequest.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (this._ended) return this;
  validateNumber(msecs, 'msecs', 0);
  this.timeout = msecs;
  if (callback) this.once('timeout', callback);
  if (this.socket) setSocketTimeout(this.socket, msecs);
  else this.once('socket', (sock) => setSocketTimeout(sock, msecs));
  listenSocketTimeout(this);
  return this;
};

function setSocketTimeout(sock, msecs) {
  if (sock.connecting) sock.once('connect', () => sock.setTimeout(msecs));
  else sock.setTimeout(msecs);
}

ClientRequest.prototype.setNoDelay = function setNoDelay(noDelay) {
  if (this.socket) this.socket.setNoDelay(noDelay);
  else this.once('socket', (sock) => sock.setNoDelay(noDelay));
};

ClientRequest.prototype.setSocketKeepAlive = function setSocketKeepAlive(enable, initialDelay) {
  if (this.socket) this.socket.setKeepAlive(enable, initialDelay);
  else this.once('socket', (sock) => sock.setKeepAlive(enable, initialDelay));
};

ClientRequest.prototype.clearTimeout = function clearTimeout(cb) {
  this.setTimeout(0, cb);
};

module.exports = { ClientRequest, urlToHttpOptions };
