'use strict';

// Built-in proxy support. An Agent given `proxyEnv` sends its http requests to the
// HTTP_PROXY in absolute form (ClientRequest rewrites them) and tunnels https through
// the HTTPS_PROXY with CONNECT; NO_PROXY names the hosts that go direct. With
// NODE_USE_ENV_PROXY=1 or --use-env-proxy the global agents take process.env and fetch()
// tunnels every request through the environment's proxies, with undici's NO_PROXY rules;
// http.setGlobalProxyFromEnv() does the same at run time.

const net = require('net');
const { Buffer } = require('buffer');
const codes = require('internal/lazy_codes');

const kProxyConfig = Symbol('kProxyConfig');
// On an Agent's prototype: the protocol whose proxy variables its instances read
// (https.Agent's constructor runs http.Agent's before it sets its own protocol).
const kProxiedProtocol = Symbol('kProxiedProtocol');

class ProxyConfig {
  constructor(proxyUrl, bypassList) {
    let url;
    try {
      url = new URL(proxyUrl);
    } catch {
      throw new codes.ERR_PROXY_INVALID_CONFIG(`Invalid proxy URL: ${proxyUrl}`);
    }
    this.href = proxyUrl;
    this.protocol = url.protocol;
    if (url.username || url.password) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.auth = `Basic ${Buffer.from(credentials).toString('base64')}`;
      // Credentials never appear in messages.
      url.username = '';
      url.password = '';
      this.href = url.href;
    }
    this.bypassList = bypassList;
    const host = url.hostname;
    this.proxyConnectionOptions = {
      host: host[0] === '[' ? host.slice(1, -1) : host,
      port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    };
  }
}

// The proxy for `protocol` ('http:' or 'https:') that `proxyEnv` names (lower-case names
// win), or null: URLs that are not http:// or https:// are ignored.
function proxyConfigFromEnv(proxyEnv, protocol) {
  const proxyUrl = protocol === 'https:' ?
    proxyEnv.https_proxy || proxyEnv.HTTPS_PROXY :
    proxyEnv.http_proxy || proxyEnv.HTTP_PROXY;
  if (!proxyUrl) return null;
  if (typeof proxyUrl !== 'string') throw new TypeError('proxyUrl.includes is not a function');
  if (!proxyUrl.startsWith('http://') && !proxyUrl.startsWith('https://')) return null;
  const noProxy = proxyEnv.no_proxy || proxyEnv.NO_PROXY;
  const bypassList = noProxy ? `${noProxy}`.split(',').map((entry) => entry.trim()) : [];
  return new ProxyConfig(proxyUrl, bypassList);
}

// Called by the Agent constructor: an object `proxyEnv` option gives the agent its proxy.
function configureAgentProxy(agent) {
  const proxyEnv = agent.options.proxyEnv;
  if (proxyEnv === null || typeof proxyEnv !== 'object') return;
  agent[kProxyConfig] = proxyConfigFromEnv(proxyEnv, agent[kProxiedProtocol] || 'http:');
}

function ipv4ToNumber(address) {
  return address.split('.').reduce((number, part) => number * 256 + Number(part), 0);
}

// NO_PROXY as Node's agents read it: `*`, exact hosts (optionally with a port), `.suffix`
// (also the bare domain), `*.suffix` (subdomains only) and IPv4 ranges `a.b.c.d-e.f.g.h`.
function bypassesProxy(bypassList, host, port) {
  host = `${host}`.toLowerCase();
  if (host[0] === '[') host = host.slice(1, -1);
  const hostAndPort = `${host}:${port}`;
  for (let i = 0; i < bypassList.length; i++) {
    const entry = bypassList[i].toLowerCase();
    if (entry === '*' || entry === host || entry === hostAndPort) return true;
    if (entry.startsWith('*.')) {
      if (host.endsWith(entry.slice(1))) return true;
    } else if (entry[0] === '.') {
      if (host.endsWith(entry) || host === entry.slice(1)) return true;
    } else if (entry.includes('-') && net.isIPv4(host)) {
      const [first, last] = entry.split('-').map((address) => address.trim());
      if (net.isIPv4(first) && net.isIPv4(last)) {
        const address = ipv4ToNumber(host);
        if (address >= ipv4ToNumber(first) && address <= ipv4ToNumber(last)) return true;
      }
    }
  }
  return false;
}

// The proxy an agent sends a request for host:port through, or null to connect directly
// (no proxy, a NO_PROXY match, or a Unix socket).
function proxyFor(agent, host, port, socketPath) {
  const proxy = agent?.[kProxyConfig];
  if (!proxy || socketPath) return null;
  return bypassesProxy(proxy.bypassList, host, port) ? null : proxy;
}

// `host:port` as a CONNECT target or the authority part of a URL.
function authorityOf(host, port) {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

// A connection to the proxy itself: TLS when its URL is https:.
function connectToProxy(proxy, options) {
  const connectOptions = { ...options, ...proxy.proxyConnectionOptions, path: undefined, socketPath: undefined };
  if (proxy.protocol !== 'https:') return net.createConnection(connectOptions);
  const servername = net.isIP(connectOptions.host) ? '' : connectOptions.host;
  return require('tls').connect({ ...connectOptions, servername });
}

// Opens a CONNECT tunnel to `target` through the proxy, sending `headerLines`.
// onResult(error, socket, statusLine, statusCode): the raw socket when the proxy answered
// 200; otherwise the refusing status line, or all empty when the proxy hung up first.
function openTunnel(proxy, options, target, headerLines, onResult) {
  const socket = connectToProxy(proxy, options);
  let head = '';
  for (const [name, value] of headerLines) head += `${name}: ${value}\r\n`;
  socket.write(`CONNECT ${target} HTTP/1.1\r\n${head}\r\n`);

  let received = Buffer.alloc(0);
  let settled = false;
  const finish = (error, statusLine, statusCode) => {
    if (settled) return;
    settled = true;
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.removeListener('close', onEnd);
    socket.removeListener('error', onError);
    if (error || statusCode !== 200) {
      socket.destroy();
      onResult(error, null, statusLine, statusCode);
    } else {
      onResult(null, socket, statusLine, statusCode);
    }
  };
  function onData(chunk) {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    if (end === -1) return;
    const lineEnd = received.indexOf('\r\n');
    const statusLine = received.toString('latin1', 0, lineEnd);
    const statusCode = Number(statusLine.split(' ')[1]);
    const rest = received.subarray(end + 4);
    finish(null, statusLine, statusCode);
    if (statusCode === 200 && rest.length > 0) socket.unshift(rest);
  }
  function onEnd() {
    finish(null, undefined, undefined);
  }
  function onError(error) {
    finish(error);
  }
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onEnd);
  socket.on('error', onError);
}

// https.Agent's proxied connections: a CONNECT tunnel (headers as Node's agents send
// them), then `callback(error, rawSocket)`.
function tunnelForAgent(agent, proxy, options, callback) {
  const target = authorityOf(options.host, options.port);
  const headerLines = [];
  if (proxy.auth) headerLines.push(['proxy-authorization', proxy.auth]);
  if (agent.keepAlive) headerLines.push(['proxy-connection', 'keep-alive']);
  headerLines.push(['host', target]);
  openTunnel(proxy, options, target, headerLines, (error, socket, statusLine, statusCode) => {
    if (error) return callback(error);
    if (socket) return callback(null, socket);
    if (statusLine === undefined) {
      return callback(new codes.ERR_PROXY_TUNNEL('Connection to establish proxy tunnel ended unexpectedly'));
    }
    const refused = new codes.ERR_PROXY_TUNNEL(
      `Failed to establish tunnel to ${target} via ${proxy.href}: ${statusLine}`);
    refused.statusCode = statusCode;
    callback(refused);
  });
}

// --- fetch() ------------------------------------------------------------------------

// What fetch() goes through: null, or { http, https, noProxy } where http and https are
// { proxy, agent } or null. Read from the environment once, at startup, as undici's
// dispatcher is; setGlobalProxyFromEnv() replaces it.
let fetchProxy = null;

function fetchProxyFromEnv(env) {
  const httpUrl = env.http_proxy || env.HTTP_PROXY;
  const httpsUrl = env.https_proxy || env.HTTPS_PROXY;
  if (!httpUrl && !httpsUrl) return null;
  const entry = (proxyUrl) => {
    new URL(proxyUrl); // An invalid URL throws ERR_INVALID_URL, as undici's does.
    return { proxy: new ProxyConfig(proxyUrl, []), agent: null };
  };
  const http = httpUrl ? entry(httpUrl) : null;
  // https: requests fall back to the http proxy (through an agent of their own).
  const https = entry(httpsUrl || httpUrl);
  const noProxy = `${env.no_proxy || env.NO_PROXY || ''}`.toLowerCase().split(/[,\s]/).filter(Boolean).map((item) => {
    const match = /^(.*?)(?::(\d+))?$/.exec(item);
    return { host: match[1].replace(/^\*/, '').replace(/^\./, ''), port: match[2], all: item === '*' };
  });
  return { http, https, noProxy };
}

// undici's NO_PROXY: entries split on commas and spaces; a name matches itself and its
// subdomains (a leading `*` or `.` is dropped); a port, when given, must match too.
function fetchBypassesProxy(noProxy, url) {
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry.all) return true;
    if (entry.port !== undefined && entry.port !== port) continue;
    if (host === entry.host || host.endsWith(`.${entry.host}`)) return true;
  }
  return false;
}

// The tunnel error fetch() reports, as undici words it.
function fetchTunnelError(statusCode) {
  const aborted = new Error(`Proxy response (${statusCode}) !== 200 when HTTP Tunneling`);
  aborted.name = 'AbortError';
  aborted.code = 'UND_ERR_ABORTED';
  const cancelled = new DOMException('Request was cancelled.');
  cancelled.cause = aborted;
  return cancelled;
}

// An agent whose every connection is a CONNECT tunnel with undici's headers: plain for
// http: targets, TLS inside the tunnel for https: ones.
function createFetchTunnelAgent(protocol, proxy) {
  const isHttps = protocol === 'https:';
  const { Agent } = isHttps ? require('https') : require('http');
  const defaultPort = isHttps ? 443 : 80;
  // undici keeps idle connections for 4 seconds.
  const agent = new Agent({ keepAlive: true, timeout: 4000 });
  agent.createConnection = function createConnection(options, callback) {
    const port = Number(options.port) || defaultPort;
    const target = authorityOf(options.host, port);
    const host = port === defaultPort ? (net.isIPv6(options.host) ? `[${options.host}]` : options.host) : target;
    const headerLines = [['host', host], ['connection', 'close']];
    if (proxy.auth) headerLines.push(['proxy-authorization', proxy.auth]);
    headerLines.push(['proxy-connection', 'keep-alive']);
    openTunnel(proxy, options, target, headerLines, (error, socket, statusLine, statusCode) => {
      if (error) return callback(error);
      if (!socket) {
        if (statusLine === undefined) return callback(new Error('other side closed'));
        return callback(fetchTunnelError(statusCode));
      }
      callback(null, isHttps ? require('tls').connect({ ...options, socket }) : socket);
    });
  };
  return agent;
}

// The agent fetch() sends a request for `url` with when a proxy applies, else undefined.
function fetchAgentFor(url) {
  if (fetchProxy === null) return undefined;
  const entry = url.protocol === 'https:' ? fetchProxy.https : fetchProxy.http;
  if (entry === null || fetchBypassesProxy(fetchProxy.noProxy, url)) return undefined;
  entry.agent ??= createFetchTunnelAgent(url.protocol, entry.proxy);
  return entry.agent;
}

// --- NODE_USE_ENV_PROXY, --use-env-proxy and http.setGlobalProxyFromEnv() -------------

let envProxyEnabled = false;

// At startup, when enabled: the http global agent is built now if there is an http proxy
// (so a bad proxy URL stops the program before it runs), and fetch's proxies are read.
function enableEnvProxy() {
  envProxyEnabled = true;
  const env = process.env;
  if (env.http_proxy || env.HTTP_PROXY) void require('_http_agent').globalAgent;
  fetchProxy = fetchProxyFromEnv(env);
}

// The `proxyEnv` of the global agents.
function globalAgentProxyEnv() {
  return envProxyEnabled ? process.env : undefined;
}

function validateProxyUrl(proxyUrl) {
  if (!proxyUrl) return;
  if (typeof proxyUrl !== 'string') throw new TypeError('proxyUrl.includes is not a function');
  try {
    new URL(proxyUrl);
  } catch {
    throw new codes.ERR_PROXY_INVALID_CONFIG(proxyUrl);
  }
}

function setGlobalProxyFromEnv(proxyEnv = process.env) {
  require('internal/errors').validators.validateObject(proxyEnv, 'proxyEnv');
  const httpProxy = proxyEnv.http_proxy || proxyEnv.HTTP_PROXY;
  const httpsProxy = proxyEnv.https_proxy || proxyEnv.HTTPS_PROXY;
  validateProxyUrl(httpProxy);
  validateProxyUrl(httpsProxy);
  // Nothing to configure: nothing to restore (Node's function for this has no name).
  if (!httpProxy && !httpsProxy) return () => {};
  const http = require('http');
  const https = require('https');
  const previous = { http: http.globalAgent, https: https.globalAgent, fetch: fetchProxy };
  const options = { keepAlive: true, scheduling: 'lifo', timeout: 5000, proxyEnv };
  if (httpProxy) http.globalAgent = new http.Agent(options);
  if (httpsProxy) https.globalAgent = new https.Agent({ ...options, defaultPort: 443, protocol: 'https:' });
  fetchProxy = fetchProxyFromEnv(proxyEnv);
  return function restore() {
    http.globalAgent = previous.http;
    https.globalAgent = previous.https;
    fetchProxy = previous.fetch;
  };
}

module.exports = {
  kProxiedProtocol,
  configureAgentProxy,
  proxyFor,
  authorityOf,
  connectToProxy,
  tunnelForAgent,
  fetchAgentFor,
  enableEnvProxy,
  globalAgentProxyEnv,
  setGlobalProxyFromEnv,
};
