'use strict';

// http.Server and http.ServerResponse. Each connection gets a request parser; requests
// are answered in order (pipelined responses wait for the one before them), and a
// keep-alive connection waits for its next request for `keepAliveTimeout`.

const net = require('net');
const { kDataHook, kDataHookTakesArrayBuffer } = require('internal/net');
const { codes, validators } = require('internal/errors');
const { ERR_HTTP_HEADERS_SENT, ERR_HTTP_INVALID_STATUS_CODE, ERR_INVALID_ARG_TYPE, ERR_INVALID_CHAR, ERR_HTTP_SOCKET_ASSIGNED } = codes;
const { validateInteger, validateBoolean, validateObject } = validators;
const {
  HTTPParser, REQUEST, checkInvalidHeaderChar, chunkExpression, continueExpression, kMaxHeaderSize, kFlagHost, kFlagExpect, inputSlice,
} = require('_http_common');
const { OutgoingMessage, kOutHeaders, kNeedDrain } = require('_http_outgoing');
const { IncomingMessage } = require('_http_incoming');

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  418: 'I\'m a Teapot', 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended',
  511: 'Network Authentication Required',
};

const kServerResponse = Symbol('ServerResponse');
const kIncomingMessage = Symbol('IncomingMessage');
const kConnections = Symbol('kConnections');
const kState = Symbol('kHttpConnectionState');
const kSweepTimer = Symbol('kSweepTimer');
// The loop's cached time (ms), shared with the event loop: reading it costs no call.
const { info: loopInfo } = internalBinding('loop');
const kLoopNow = 0;
// What a connection is waiting for, and since when (state.since, loop time).
const kPhaseHead = 0;
const kPhaseBusy = 1;
const kPhaseIdle = 2;

function nop() {}

// --- ServerResponse ------------------------------------------------------------------

function ServerResponse(req, options) {
  OutgoingMessage.call(this, options);
  if (req.method === 'HEAD') this._hasBody = false;
  this.req = req;
  this.sendDate = true;
  this._sent100 = false;
  this._expect_continue = false;
  if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
    this.useChunkedEncodingByDefault = chunkExpression.test(req.headers.te);
    this.shouldKeepAlive = false;
  }
  this.statusCode = 200;
  this.statusMessage = undefined;
}
Object.setPrototypeOf(ServerResponse.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ServerResponse, OutgoingMessage);

ServerResponse.prototype._finish = function _finish() {
  OutgoingMessage.prototype._finish.call(this);
};

function onServerResponseClose() {
  const msg = this._httpMessage;
  if (msg) {
    msg.destroyed = true;
    msg._closed = true;
    msg.emit('close');
  }
}

ServerResponse.prototype.assignSocket = function assignSocket(socket) {
  if (socket._httpMessage) throw new ERR_HTTP_SOCKET_ASSIGNED();
  socket._httpMessage = this;
  socket.on('close', onServerResponseClose);
  this.socket = socket;
  this.emit('socket', socket);
  this._flush();
};

ServerResponse.prototype.detachSocket = function detachSocket(socket) {
  socket.removeListener('close', onServerResponseClose);
  socket._httpMessage = null;
  this.socket = null;
};

ServerResponse.prototype.writeContinue = function writeContinue(cb) {
  this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'ascii', cb);
  this._sent100 = true;
};

ServerResponse.prototype.writeProcessing = function writeProcessing(cb) {
  this._writeRaw('HTTP/1.1 102 Processing\r\n\r\n', 'ascii', cb);
};

ServerResponse.prototype.writeEarlyHints = function writeEarlyHints(hints, cb) {
  let head = 'HTTP/1.1 103 Early Hints\r\n';
  validateObject(hints, 'hints');
  if (hints.link === null || hints.link === undefined) return;
  const link = Array.isArray(hints.link) ? hints.link.join(', ') : hints.link;
  if (checkInvalidHeaderChar(link)) throw new ERR_INVALID_CHAR('header content', 'Link');
  head += 'Link: ' + link + '\r\n';
  for (const key of Object.keys(hints)) {
    if (key !== 'link') head += key + ': ' + hints[key] + '\r\n';
  }
  head += '\r\n';
  this._writeRaw(head, 'ascii', cb);
};

ServerResponse.prototype._implicitHeader = function _implicitHeader() {
  this.writeHead(this.statusCode);
};

ServerResponse.prototype.writeHead = function writeHead(statusCode, reason, obj) {
  if (this._header) throw new ERR_HTTP_HEADERS_SENT('write');
  const originalStatusCode = statusCode;
  statusCode |= 0;
  if (statusCode < 100 || statusCode > 999) throw new ERR_HTTP_INVALID_STATUS_CODE(originalStatusCode);

  if (typeof reason === 'string') {
    this.statusMessage = reason;
  } else {
    this.statusMessage ||= STATUS_CODES[statusCode] || 'unknown';
    obj ??= reason;
  }
  this.statusCode = statusCode;

  let headers;
  if (this[kOutHeaders]) {
    // Headers set with setHeader() merge with those given here.
    if (obj) {
      if (Array.isArray(obj)) {
        if (obj.length && Array.isArray(obj[0])) {
          for (const [k, v] of obj) this.appendHeader(k, v);
        } else {
          for (let n = 0; n < obj.length; n += 2) this.appendHeader(obj[n], obj[n + 1]);
        }
      } else {
        for (const k of Object.keys(obj)) {
          if (k) this.setHeader(k, obj[k]);
        }
      }
    }
    headers = this[kOutHeaders];
  } else {
    headers = obj;
  }

  if (checkInvalidHeaderChar(this.statusMessage)) throw new ERR_INVALID_CHAR('statusMessage');

  const statusLine = `HTTP/1.1 ${statusCode} ${this.statusMessage}\r\n`;
  if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199)) {
    this._hasBody = false;
  }
  if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
  this._storeHeader(statusLine, headers);
  return this;
};

ServerResponse.prototype.writeHeader = ServerResponse.prototype.writeHead;

// --- Server --------------------------------------------------------------------------

function storeHTTPOptions(options) {
  this[kIncomingMessage] = options.IncomingMessage || IncomingMessage;
  this[kServerResponse] = options.ServerResponse || ServerResponse;
  const maxHeaderSize = options.maxHeaderSize;
  if (maxHeaderSize !== undefined) validateInteger(maxHeaderSize, 'maxHeaderSize', 0);
  this.maxHeaderSize = maxHeaderSize;
  const insecureHTTPParser = options.insecureHTTPParser;
  if (insecureHTTPParser !== undefined) validateBoolean(insecureHTTPParser, 'options.insecureHTTPParser');
  this.insecureHTTPParser = insecureHTTPParser;
  const requestTimeout = options.requestTimeout;
  if (requestTimeout !== undefined) validateInteger(requestTimeout, 'requestTimeout', 0);
  this.requestTimeout = requestTimeout ?? 300000;
  const headersTimeout = options.headersTimeout;
  if (headersTimeout !== undefined) validateInteger(headersTimeout, 'headersTimeout', 0);
  this.headersTimeout = headersTimeout ?? Math.min(60000, this.requestTimeout || 60000);
  const keepAliveTimeout = options.keepAliveTimeout;
  if (keepAliveTimeout !== undefined) validateInteger(keepAliveTimeout, 'keepAliveTimeout', 0);
  this.keepAliveTimeout = keepAliveTimeout ?? 5000;
  this.keepAliveTimeoutBuffer = options.keepAliveTimeoutBuffer ?? 1000;
  const connectionsCheckingInterval = options.connectionsCheckingInterval;
  this.connectionsCheckingInterval = connectionsCheckingInterval ?? 30000;
  this.joinDuplicateHeaders = options.joinDuplicateHeaders;
  this.rejectNonStandardBodyWrites = options.rejectNonStandardBodyWrites ?? false;
  this.requireHostHeader = options.requireHostHeader ?? true;
  this.highWaterMark = options.highWaterMark;
  this.uniqueHeaders = options.uniqueHeaders;
}

function Server(options, requestListener) {
  if (!(this instanceof Server)) return new Server(options, requestListener);
  if (typeof options === 'function') {
    requestListener = options;
    options = {};
  } else if (options == null) {
    options = {};
  } else {
    validateObject(options, 'options');
  }
  storeHTTPOptions.call(this, options);
  net.Server.call(this, {
    allowHalfOpen: true,
    noDelay: options.noDelay ?? true,
    keepAlive: options.keepAlive,
    keepAliveInitialDelay: options.keepAliveInitialDelay,
    highWaterMark: options.highWaterMark,
  });
  if (requestListener) this.on('request', requestListener);
  this.httpAllowHalfOpen = false;
  this.on('connection', connectionListener);
  this.on('listening', setupConnectionsTracking);
  this.timeout = 0;
  this.maxHeadersCount = null;
  this.maxRequestsPerSocket = 0;
  this[kConnections] = new Set();
}
Object.setPrototypeOf(Server.prototype, net.Server.prototype);
Object.setPrototypeOf(Server, net.Server);

// One unref'd interval per listening server enforces headersTimeout and keepAliveTimeout
// on every connection, instead of a timer per request. Its period bounds how late a
// timeout can fire.
function setupConnectionsTracking() {
  this[kConnections] ||= new Set();
  if (this[kSweepTimer]) clearInterval(this[kSweepTimer]);
  const period = Math.max(1, Math.min(1000, this.connectionsCheckingInterval || 1000));
  this[kSweepTimer] = setInterval(sweepConnections, period, this);
  this[kSweepTimer].unref();
}

function sweepConnections(server) {
  const now = loopInfo[kLoopNow];
  for (const socket of server[kConnections]) {
    const state = socket[kState];
    if (!state || socket.destroyed) continue;
    if (state.phase === kPhaseHead) {
      if (server.headersTimeout && now - state.since >= server.headersTimeout) {
        socketOnError(state, Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }));
      }
    } else if (state.phase === kPhaseIdle) {
      if (server.keepAliveTimeout && now - state.since >= server.keepAliveTimeout + (server.keepAliveTimeoutBuffer || 0)) {
        socket.destroy();
      }
    }
  }
}

Server.prototype.close = function close(...args) {
  if (this[kSweepTimer]) {
    clearInterval(this[kSweepTimer]);
    this[kSweepTimer] = null;
  }
  this.closeIdleConnections();
  return net.Server.prototype.close.apply(this, args);
};

Server.prototype[Symbol.asyncDispose] = function() {
  return new Promise((resolve, reject) => {
    if (!this.listening) return resolve();
    this.close((err) => (err ? reject(err) : resolve()));
  });
};

Server.prototype.closeAllConnections = function closeAllConnections() {
  for (const socket of this[kConnections]) socket.destroy();
};

Server.prototype.closeIdleConnections = function closeIdleConnections() {
  for (const socket of this[kConnections]) {
    const state = socket[kState];
    if (state && !socket._httpMessage && state.incoming.length === 0 && !state.headPending) socket.destroy();
  }
};

Server.prototype.setTimeout = function setTimeout(msecs, callback) {
  this.timeout = msecs;
  if (callback) this.on('timeout', callback);
  return this;
};

function connectionListener(socket) {
  const server = this;
  server[kConnections].add(socket);
  if (server.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(server.timeout);
  socket.on('timeout', socketOnTimeout);

  // More headers than maxHeadersCount is a header overflow (431), as in Node.
  const maxHeaders = server.maxHeadersCount;
  const parser = new HTTPParser(REQUEST, server.maxHeaderSize ?? kMaxHeaderSize,
    typeof maxHeaders === 'number' && maxHeaders > 0 ? maxHeaders : 0);
  const state = {
    server,
    socket,
    parser,
    incoming: [],
    outgoing: [],
    current: null,
    requestsCount: 0,
    headPending: false,
    phase: kPhaseHead,
    since: loopInfo[kLoopNow],
    upgraded: false,
  };
  socket[kState] = state;
  parser.onHeaders = onHeaders.bind(undefined, state);
  parser.onBody = (chunk) => {
    const req = state.current;
    if (req && !req._dumped) req._pushBody(chunk);
  };
  parser.onComplete = (trailers) => {
    const req = state.current;
    state.current = null;
    if (!req) return;
    req.complete = true;
    if (trailers) req._addHeaderLines(trailers, trailers.length);
    req.push(null);
  };

  if (socket instanceof net.Socket) {
    socket[kDataHook] = (d) => socketOnData(state, d);
    socket[kDataHookTakesArrayBuffer] = true;
    socket.resume();
  } else {
    // Any other Duplex (a test harness's fake socket, say) is read through its events.
    socket.on('data', (d) => socketOnData(state, d));
  }
  socket.on('end', socketOnEnd.bind(undefined, state));
  socket.on('error', (e) => socketOnError(state, e));
  socket.on('close', socketOnClose.bind(undefined, state));
  socket.on('drain', socketOnDrain.bind(undefined, state));
}

function socketOnTimeout() {
  const state = this[kState];
  const req = state?.current;
  const server = state?.server;
  const reqTimeout = req && !req.complete && req.emit('timeout', this);
  const res = this._httpMessage;
  const resTimeout = res && res.emit('timeout', this);
  const serverTimeout = server && server.emit('timeout', this);
  if (!reqTimeout && !resTimeout && !serverTimeout) this.destroy();
}

function socketOnData(state, d) {
  const { socket, parser } = state;
  if (state.upgraded) return;
  if (state.phase === kPhaseIdle) {
    state.phase = kPhaseHead;
    state.since = loopInfo[kLoopNow];
  }
  // Bytes of a request head (not of a body) make the connection busy for closeIdleConnections.
  if (state.phase === kPhaseHead) state.headPending = true;
  const ret = parser.execute(d);
  if (ret === -1) {
    socketOnError(state, parser.error(d));
    return;
  }
  if (state.upgraded) {
    finishUpgrade(state, inputSlice(d, ret, d.byteLength));
  }
}

function finishUpgrade(state, head) {
  const { socket, server } = state;
  const req = state.pendingUpgrade;
  state.pendingUpgrade = null;
  state.phase = kPhaseBusy;
  socket[kDataHook] = undefined;
  socket[kDataHookTakesArrayBuffer] = false;
  socket.removeAllListeners('data');
  socket.removeAllListeners('end');
  socket.removeAllListeners('error');
  socket.removeAllListeners('close');
  socket.removeAllListeners('drain');
  socket.removeListener('timeout', socketOnTimeout);
  server[kConnections].delete(socket);
  socket[kState] = null;
  state.parser.close();
  const eventName = req.method === 'CONNECT' ? 'connect' : 'upgrade';
  socket.readableFlowing = null;
  // A CONNECT nobody handles is dropped, as in Node.
  if (!server.emit(eventName, req, socket, head)) socket.destroy();
}

function socketOnEnd(state) {
  const { socket, parser } = state;
  const ret = parser.finish();
  if (ret === -1) {
    socketOnError(state, parser.error());
    return;
  }
  if (!state.server.httpAllowHalfOpen) {
    abortIncoming(state);
    if (socket.writable && !socket._httpMessage && state.outgoing.length === 0) socket.end();
    else if (socket.writable) state.endAfterResponses = true;
  }
}

function socketOnError(state, e) {
  const socket = state.socket;
  state.phase = kPhaseBusy;
  if (!state.server.emit('clientError', e, socket)) {
    if (socket.writable && (!socket._httpMessage || !socket._httpMessage._headerSent)) {
      let response;
      switch (e.code) {
        case 'HPE_HEADER_OVERFLOW':
          response = 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n';
          break;
        case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
          response = 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n';
          break;
        case 'ERR_HTTP_REQUEST_TIMEOUT':
          response = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
          break;
        default:
          response = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
      }
      socket.write(response);
    }
    socket.destroy(e);
  }
}

function socketOnClose(state) {
  const { server, socket } = state;
  state.phase = kPhaseBusy;
  server[kConnections].delete(socket);
  state.parser.close();
  abortIncoming(state);
}

function abortIncoming(state) {
  const incoming = state.incoming;
  while (incoming.length) {
    const req = incoming.shift();
    if (!req.complete) {
      req.destroy(connResetException('aborted'));
    } else {
      req.destroy();
    }
  }
  if (state.current && !state.current.complete && !state.current.destroyed) {
    state.current.destroy(connResetException('aborted'));
  }
}

function connResetException(msg) {
  const ex = new Error(msg);
  ex.code = 'ECONNRESET';
  return ex;
}

function socketOnDrain(state) {
  const msg = state.socket._httpMessage;
  if (msg && msg[kNeedDrain]) {
    msg[kNeedDrain] = false;
    msg.emit('drain');
  }
}

function onHeaders(state, major, minor, rawHeaders, method, url, statusCode, statusMessage, upgrade, keepAlive, flags) {
  const { server, socket } = state;
  state.phase = kPhaseBusy;
  state.headPending = false;
  const req = new server[kIncomingMessage](socket);
  req.httpVersionMajor = major;
  req.httpVersionMinor = minor;
  req.httpVersion = `${major}.${minor}`;
  req.joinDuplicateHeaders = server.joinDuplicateHeaders;
  req._addHeaderLines(rawHeaders, rawHeaders.length);
  // The parser says which headers are there, so req.headers is built only if the handler
  // reads it.
  const hasHost = (flags & kFlagHost) !== 0;
  const hasExpect = (flags & kFlagExpect) !== 0;
  req.method = method;
  req.url = url;
  req.upgrade = upgrade;
  state.current = req;

  if (upgrade) {
    const eventName = method === 'CONNECT' ? 'connect' : 'upgrade';
    if (eventName === 'connect' || server.listenerCount(eventName) > 0) {
      state.upgraded = true;
      state.pendingUpgrade = req;
      state.current = null;
      return false;
    }
    req.upgrade = false;
  }

  state.incoming.push(req);
  state.requestsCount++;

  const res = new server[kServerResponse](req, {
    highWaterMark: socket.writableHighWaterMark,
    rejectNonStandardBodyWrites: server.rejectNonStandardBodyWrites,
  });
  res._keepAliveTimeout = server.keepAliveTimeout;
  res._maxRequestsPerSocket = server.maxRequestsPerSocket;
  res._onPendingData = nop;
  res.shouldKeepAlive = keepAlive && res.shouldKeepAlive;
  if (server.maxRequestsPerSocket > 0 && state.requestsCount >= server.maxRequestsPerSocket) {
    res.maxRequestsOnConnectionReached = true;
  }

  if (socket._httpMessage) {
    state.outgoing.push(res);
  } else {
    res.assignSocket(socket);
  }

  res[kState] = state;
  res.on('finish', resOnFinish);

  // HTTP/1.1 requires a Host header (RFC 9112 section 3.2).
  if (server.requireHostHeader && major === 1 && minor === 1 && !hasHost) {
    res.writeHead(400, ['Connection', 'close']);
    res.end();
    return false;
  }

  if (hasExpect && major === 1 && minor === 1) {
    if (continueExpression.test(req.headers.expect)) {
      res._expect_continue = true;
      if (server.listenerCount('checkContinue') > 0) {
        server.emit('checkContinue', req, res);
      } else {
        res.writeContinue();
        server.emit('request', req, res);
      }
    } else if (server.listenerCount('checkExpectation') > 0) {
      server.emit('checkExpectation', req, res);
    } else {
      res.writeHead(417);
      res.end();
    }
  } else {
    server.emit('request', req, res);
  }
  return false;
}

// A response's 'finish' listener (`this` is the response).
function resOnFinish() {
  const res = this;
  const req = res.req;
  const state = res[kState];
  const socket = state.socket;
  if (state.incoming[0] === req) {
    state.incoming.shift();
  } else {
    const index = state.incoming.indexOf(req);
    if (index !== -1) state.incoming.splice(index, 1);
  }
  // A body nobody read is read and dropped, so the next request can be parsed.
  if (!req._consuming && !req._readableState.resumeScheduled) req._dump();
  res.detachSocket(socket);
  process.nextTick(emitCloseNT, res);

  if (res._last) {
    if (typeof socket.destroySoon === 'function') socket.destroySoon();
    else socket.end();
  } else if (state.outgoing.length === 0) {
    if (state.endAfterResponses) {
      socket.end();
    } else {
      state.phase = kPhaseIdle;
      state.since = loopInfo[kLoopNow];
    }
  } else {
    const m = state.outgoing.shift();
    if (m) m.assignSocket(socket);
  }
}

function emitCloseNT(res) {
  if (!res._closed) {
    res.destroyed = true;
    res._closed = true;
    res.emit('close');
  }
}

module.exports = {
  STATUS_CODES,
  Server,
  ServerResponse,
  setupConnectionsTracking,
  storeHTTPOptions,
  _connectionListener: connectionListener,
  kServerResponse,
  kConnections,
};
