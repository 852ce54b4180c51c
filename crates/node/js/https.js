'use strict';

// node:https: HTTP over TLS. The server is a tls.Server whose secure connections go to
// http's connection handling; the client is http's ClientRequest with an Agent that
// opens connections through tls.connect.

const tls = require('tls');
const { Agent: HttpAgent } = require('_http_agent');
const { ClientRequest } = require('_http_client');
const {
  Server: HttpServer, _connectionListener, storeHTTPOptions, setupConnectionsTracking, kConnections,
} = require('_http_server');
const { validators } = require('internal/errors');
const { validateObject } = validators;
const { kProxiedProtocol, proxyFor, tunnelForAgent, globalAgentProxyEnv } = require('internal/http_proxy');

function Server(opts, requestListener) {
  if (!(this instanceof Server)) return new Server(opts, requestListener);
  if (typeof opts === 'function') {
    requestListener = opts;
    opts = {};
  } else if (opts == null) {
    opts = {};
  } else {
    validateObject(opts, 'options');
  }
  opts = { ...opts };
  storeHTTPOptions.call(this, opts);
  tls.Server.call(this, { noDelay: true, ...opts }, _connectionListener);
  this.httpAllowHalfOpen = false;
  if (requestListener) this.addListener('request', requestListener);
  this.addListener('tlsClientError', function onTlsClientError(err, conn) {
    if (!this.emit('clientError', err, conn)) conn.destroy(err);
  });
  this.timeout = 0;
  this.maxHeadersCount = null;
  this.maxRequestsPerSocket = 0;
  this[kConnections] = new Set();
  this.on('listening', setupConnectionsTracking);
}
Object.setPrototypeOf(Server.prototype, tls.Server.prototype);
Object.setPrototypeOf(Server, tls.Server);

for (const name of ['closeAllConnections', 'closeIdleConnections', 'setTimeout', 'close']) {
  Server.prototype[name] = HttpServer.prototype[name];
}
Server.prototype[Symbol.asyncDispose] = HttpServer.prototype[Symbol.asyncDispose];

function createServer(opts, requestListener) {
  return new Server(opts, requestListener);
}

function createConnection(port, host, options) {
  const callback = [port, host, options].find((arg) => typeof arg === 'function');
  if (port !== null && typeof port === 'object') {
    options = port;
  } else if (host !== null && typeof host === 'object') {
    options = { ...host };
  } else if (options === null || typeof options !== 'object') {
    options = {};
  } else {
    options = { ...options };
  }
  if (typeof port === 'number') options.port = port;
  if (typeof host === 'string') options.host = host;

  if (options._agentKey) {
    const session = this._getSession(options._agentKey);
    if (session) options = { session, ...options };
  }
  // Through the agent's proxy: TLS to the origin inside a CONNECT tunnel, handed to the
  // callback once the tunnel is up.
  const proxy = proxyFor(this, options.host, options.port, options.socketPath);
  if (proxy) {
    tunnelForAgent(this, proxy, options, (err, tunnel) => {
      if (err) callback?.(err);
      else callback?.(null, watchSession(this, tls.connect({ ...options, socket: tunnel }), options));
    });
    return undefined;
  }
  return watchSession(this, tls.connect(options), options);
}

// Caches the socket's TLS session under its pool name, for the next connection there.
function watchSession(agent, socket, options) {
  if (options._agentKey) {
    socket.on('session', (session) => agent._cacheSession(options._agentKey, session));
    socket.once('close', (err) => {
      if (err) agent._evictSession(options._agentKey);
    });
  }
  return socket;
}

function Agent(options) {
  if (!(this instanceof Agent)) return new Agent(options);
  const { defaultPort, protocol } = options ?? {};
  HttpAgent.call(this, { __proto__: null, ...options, defaultPort: defaultPort || 443, protocol: protocol || 'https:' });
  this.maxCachedSessions = this.options.maxCachedSessions;
  if (this.maxCachedSessions === undefined) this.maxCachedSessions = 100;
  this._sessionCache = { map: {}, list: [] };
}
Object.setPrototypeOf(Agent.prototype, HttpAgent.prototype);
Object.setPrototypeOf(Agent, HttpAgent);
Agent.prototype.createConnection = createConnection;
Agent.prototype[kProxiedProtocol] = 'https:';

// The TLS options that make two connections incompatible belong in the pool's name.
Agent.prototype.getName = function getName(options = {}) {
  let name = HttpAgent.prototype.getName.call(this, options);
  name += ':';
  if (options.ca) name += options.ca;
  name += ':';
  if (options.cert) name += options.cert;
  name += ':';
  if (options.clientCertEngine) name += options.clientCertEngine;
  name += ':';
  if (options.ciphers) name += options.ciphers;
  name += ':';
  if (options.key) name += options.key;
  name += ':';
  if (options.pfx) name += options.pfx;
  name += ':';
  if (options.rejectUnauthorized !== undefined) name += options.rejectUnauthorized;
  name += ':';
  if (options.servername && options.servername !== options.host) name += options.servername;
  name += ':';
  if (options.minVersion) name += options.minVersion;
  name += ':';
  if (options.maxVersion) name += options.maxVersion;
  name += ':';
  if (options.secureProtocol) name += options.secureProtocol;
  name += ':';
  if (options.crl) name += options.crl;
  name += ':';
  if (options.honorCipherOrder !== undefined) name += options.honorCipherOrder;
  name += ':';
  if (options.ecdhCurve) name += options.ecdhCurve;
  name += ':';
  if (options.dhparam) name += options.dhparam;
  name += ':';
  if (options.secureOptions !== undefined) name += options.secureOptions;
  name += ':';
  if (options.sessionIdContext) name += options.sessionIdContext;
  name += ':';
  if (options.sigalgs) name += JSON.stringify(options.sigalgs);
  name += ':';
  if (options.privateKeyIdentifier) name += options.privateKeyIdentifier;
  name += ':';
  if (options.privateKeyEngine) name += options.privateKeyEngine;
  return name;
};

Agent.prototype._getSession = function _getSession(key) {
  return this._sessionCache.map[key];
};

Agent.prototype._cacheSession = function _cacheSession(key, session) {
  if (this.maxCachedSessions === 0) return;
  if (this._sessionCache.map[key]) {
    this._sessionCache.map[key] = session;
    return;
  }
  if (this._sessionCache.list.length >= this.maxCachedSessions) {
    const oldKey = this._sessionCache.list.shift();
    delete this._sessionCache.map[oldKey];
  }
  this._sessionCache.list.push(key);
  this._sessionCache.map[key] = session;
};

Agent.prototype._evictSession = function _evictSession(key) {
  const index = this._sessionCache.list.indexOf(key);
  if (index === -1) return;
  this._sessionCache.list.splice(index, 1);
  delete this._sessionCache.map[key];
};

const globalAgent = new Agent({
  keepAlive: true, scheduling: 'lifo', timeout: 5000, proxyEnv: globalAgentProxyEnv(), defaultPort: 443, protocol: 'https:',
});

function request(...args) {
  let options = {};
  if (typeof args[0] === 'string' || args[0] instanceof URL) {
    // The URL's fields become the options; http's ClientRequest parses it.
  } else if (args[0] !== null && typeof args[0] === 'object') {
    options = { ...args[0] };
    args[0] = options;
  }
  if (args[1] !== null && typeof args[1] === 'object' && typeof args[1] !== 'function') {
    args[1] = { ...args[1], _defaultAgent: module.exports.globalAgent };
  } else if (typeof args[0] === 'string' || args[0] instanceof URL) {
    args.splice(1, 0, { _defaultAgent: module.exports.globalAgent });
  } else {
    options._defaultAgent = module.exports.globalAgent;
  }
  return new ClientRequest(...args);
}

function get(input, options, cb) {
  const req = request(input, options, cb);
  req.end();
  return req;
}

module.exports = {
  Agent,
  globalAgent,
  Server,
  createServer,
  get,
  request,
};
