'use strict';

// node:http: the server (_http_server), the client (_http_client) and its connection
// pooling (_http_agent), over net sockets with a native HTTP/1 parser.

const { methods } = require('_http_common');
const { IncomingMessage } = require('_http_incoming');
const { OutgoingMessage, validateHeaderName, validateHeaderValue } = require('_http_outgoing');
const { STATUS_CODES, Server, ServerResponse, _connectionListener } = require('_http_server');
const { Agent } = require('_http_agent');
const { ClientRequest } = require('_http_client');
const { validateInteger } = require('internal/errors').validators;

let maxHeaderSize = require('_http_common').kMaxHeaderSize;

function createServer(opts, requestListener) {
  return new Server(opts, requestListener);
}

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

function get(url, options, cb) {
  const req = request(url, options, cb);
  req.end();
  return req;
}

module.exports = {
  _connectionListener,
  METHODS: methods.slice().sort(),
  STATUS_CODES,
  Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers(max) {
    validateInteger(max, 'max', 1);
  },
  setGlobalProxyFromEnv: require('internal/http_proxy').setGlobalProxyFromEnv,
};

Object.defineProperty(module.exports, 'maxHeaderSize', {
  configurable: true,
  enumerable: true,
  get() { return maxHeaderSize; },
});

Object.defineProperty(module.exports, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get() { return require('_http_agent').globalAgent; },
  set(value) { require('_http_agent').globalAgent = value; },
});

// The WebSocket client and its events, as Node re-exports them from undici.
for (const [name, load] of [
  ['WebSocket', () => require('internal/websocket').WebSocket],
  ['CloseEvent', () => require('internal/websocket').CloseEvent],
  ['MessageEvent', () => require('internal/worker/io').MessageEvent],
]) {
  Object.defineProperty(module.exports, name, { configurable: true, enumerable: true, get: () => load() });
}
