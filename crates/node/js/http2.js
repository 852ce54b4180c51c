'use strict';

// node:http2. What works: the constants, the settings helpers (getDefaultSettings,
// getPackedSettings, getUnpackedSettings) and sensitiveHeaders, so that packages which load
// http2 next to http (Fastify, got...) run. HTTP/2 sessions themselves are not implemented
// yet: createServer, createSecureServer, connect and performServerHandshake throw.

const { Buffer } = require('buffer');
const { codes, validators } = require('internal/errors');
const { ERR_INVALID_ARG_TYPE, ERR_HTTP2_INVALID_SETTING_VALUE, ERR_HTTP2_INVALID_PACKED_SETTINGS_LENGTH } = codes;
const types = require('internal/util/types');

const kMaxUint32 = 2 ** 32 - 1;
const kMaxInt32 = 2 ** 31 - 1;
const kMinMaxFrameSize = 16384;
const kMaxMaxFrameSize = 2 ** 24 - 1;

// --- constants --------------------------------------------------------------------------

const constants = {
  NGHTTP2_ERR_FRAME_SIZE_ERROR: -522,
  NGHTTP2_SESSION_SERVER: 0,
  NGHTTP2_SESSION_CLIENT: 1,
  NGHTTP2_STREAM_STATE_IDLE: 1,
  NGHTTP2_STREAM_STATE_OPEN: 2,
  NGHTTP2_STREAM_STATE_RESERVED_LOCAL: 3,
  NGHTTP2_STREAM_STATE_RESERVED_REMOTE: 4,
  NGHTTP2_STREAM_STATE_HALF_CLOSED_LOCAL: 5,
  NGHTTP2_STREAM_STATE_HALF_CLOSED_REMOTE: 6,
  NGHTTP2_STREAM_STATE_CLOSED: 7,
  NGHTTP2_FLAG_NONE: 0,
  NGHTTP2_FLAG_END_STREAM: 1,
  NGHTTP2_FLAG_END_HEADERS: 4,
  NGHTTP2_FLAG_ACK: 1,
  NGHTTP2_FLAG_PADDED: 8,
  NGHTTP2_FLAG_PRIORITY: 32,
  DEFAULT_SETTINGS_HEADER_TABLE_SIZE: 4096,
  DEFAULT_SETTINGS_ENABLE_PUSH: 1,
  DEFAULT_SETTINGS_MAX_CONCURRENT_STREAMS: kMaxUint32,
  DEFAULT_SETTINGS_INITIAL_WINDOW_SIZE: 65535,
  DEFAULT_SETTINGS_MAX_FRAME_SIZE: 16384,
  DEFAULT_SETTINGS_MAX_HEADER_LIST_SIZE: 65535,
  DEFAULT_SETTINGS_ENABLE_CONNECT_PROTOCOL: 0,
  MAX_MAX_FRAME_SIZE: kMaxMaxFrameSize,
  MIN_MAX_FRAME_SIZE: kMinMaxFrameSize,
  MAX_INITIAL_WINDOW_SIZE: kMaxInt32,
  NGHTTP2_SETTINGS_HEADER_TABLE_SIZE: 1,
  NGHTTP2_SETTINGS_ENABLE_PUSH: 2,
  NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS: 3,
  NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE: 4,
  NGHTTP2_SETTINGS_MAX_FRAME_SIZE: 5,
  NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE: 6,
  NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL: 8,
  PADDING_STRATEGY_NONE: 0,
  PADDING_STRATEGY_ALIGNED: 1,
  PADDING_STRATEGY_MAX: 2,
  PADDING_STRATEGY_CALLBACK: 1,
  NGHTTP2_NO_ERROR: 0,
  NGHTTP2_PROTOCOL_ERROR: 1,
  NGHTTP2_INTERNAL_ERROR: 2,
  NGHTTP2_FLOW_CONTROL_ERROR: 3,
  NGHTTP2_SETTINGS_TIMEOUT: 4,
  NGHTTP2_STREAM_CLOSED: 5,
  NGHTTP2_FRAME_SIZE_ERROR: 6,
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8,
  NGHTTP2_COMPRESSION_ERROR: 9,
  NGHTTP2_CONNECT_ERROR: 10,
  NGHTTP2_ENHANCE_YOUR_CALM: 11,
  NGHTTP2_INADEQUATE_SECURITY: 12,
  NGHTTP2_HTTP_1_1_REQUIRED: 13,
  NGHTTP2_DEFAULT_WEIGHT: 16,
};

// HTTP2_HEADER_<NAME> is the lowercased name with '-' for '_'; the pseudo-headers start
// with ':'.
const kPseudoHeaders = ['STATUS', 'METHOD', 'AUTHORITY', 'SCHEME', 'PATH', 'PROTOCOL'];
const kHeaders = [
  'ACCEPT_ENCODING', 'ACCEPT_LANGUAGE', 'ACCEPT_RANGES', 'ACCEPT', 'ACCESS_CONTROL_ALLOW_CREDENTIALS',
  'ACCESS_CONTROL_ALLOW_HEADERS', 'ACCESS_CONTROL_ALLOW_METHODS', 'ACCESS_CONTROL_ALLOW_ORIGIN',
  'ACCESS_CONTROL_EXPOSE_HEADERS', 'ACCESS_CONTROL_REQUEST_HEADERS', 'ACCESS_CONTROL_REQUEST_METHOD', 'AGE',
  'AUTHORIZATION', 'CACHE_CONTROL', 'CONNECTION', 'CONTENT_DISPOSITION', 'CONTENT_ENCODING', 'CONTENT_LENGTH',
  'CONTENT_TYPE', 'COOKIE', 'DATE', 'ETAG', 'FORWARDED', 'HOST', 'IF_MODIFIED_SINCE', 'IF_NONE_MATCH', 'IF_RANGE',
  'LAST_MODIFIED', 'LINK', 'LOCATION', 'RANGE', 'REFERER', 'SERVER', 'SET_COOKIE', 'STRICT_TRANSPORT_SECURITY',
  'TRANSFER_ENCODING', 'TE', 'UPGRADE_INSECURE_REQUESTS', 'UPGRADE', 'USER_AGENT', 'VARY', 'X_CONTENT_TYPE_OPTIONS',
  'X_FRAME_OPTIONS', 'KEEP_ALIVE', 'PROXY_CONNECTION', 'X_XSS_PROTECTION', 'ALT_SVC', 'CONTENT_SECURITY_POLICY',
  'EARLY_DATA', 'EXPECT_CT', 'ORIGIN', 'PURPOSE', 'TIMING_ALLOW_ORIGIN', 'X_FORWARDED_FOR', 'PRIORITY',
  'ACCEPT_CHARSET', 'ACCESS_CONTROL_MAX_AGE', 'ALLOW', 'CONTENT_LANGUAGE', 'CONTENT_LOCATION', 'CONTENT_MD5',
  'CONTENT_RANGE', 'DNT', 'EXPECT', 'EXPIRES', 'FROM', 'IF_MATCH', 'IF_UNMODIFIED_SINCE', 'MAX_FORWARDS', 'PREFER',
  'PROXY_AUTHENTICATE', 'PROXY_AUTHORIZATION', 'REFRESH', 'RETRY_AFTER', 'TRAILER', 'TK', 'VIA', 'WARNING',
  'WWW_AUTHENTICATE', 'HTTP2_SETTINGS',
];
for (const name of kPseudoHeaders) constants[`HTTP2_HEADER_${name}`] = `:${name.toLowerCase()}`;
for (const name of kHeaders) constants[`HTTP2_HEADER_${name}`] = name.toLowerCase().replaceAll('_', '-');

// HTTP2_METHOD_<NAME> is the method with '-' for '_'.
const kMethods = [
  'ACL', 'BASELINE_CONTROL', 'BIND', 'CHECKIN', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LABEL',
  'LINK', 'LOCK', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MKREDIRECTREF', 'MKWORKSPACE', 'MOVE', 'OPTIONS',
  'ORDERPATCH', 'PATCH', 'POST', 'PRI', 'PROPFIND', 'PROPPATCH', 'PUT', 'REBIND', 'REPORT', 'SEARCH', 'TRACE',
  'UNBIND', 'UNCHECKOUT', 'UNLINK', 'UNLOCK', 'UPDATE', 'UPDATEREDIRECTREF', 'VERSION_CONTROL',
];
for (const name of kMethods) constants[`HTTP2_METHOD_${name}`] = name.replaceAll('_', '-');

const kStatuses = {
  CONTINUE: 100, SWITCHING_PROTOCOLS: 101, PROCESSING: 102, EARLY_HINTS: 103, OK: 200, CREATED: 201,
  ACCEPTED: 202, NON_AUTHORITATIVE_INFORMATION: 203, NO_CONTENT: 204, RESET_CONTENT: 205, PARTIAL_CONTENT: 206,
  MULTI_STATUS: 207, ALREADY_REPORTED: 208, IM_USED: 226, MULTIPLE_CHOICES: 300, MOVED_PERMANENTLY: 301,
  FOUND: 302, SEE_OTHER: 303, NOT_MODIFIED: 304, USE_PROXY: 305, TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308, BAD_REQUEST: 400, UNAUTHORIZED: 401, PAYMENT_REQUIRED: 402, FORBIDDEN: 403,
  NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405, NOT_ACCEPTABLE: 406, PROXY_AUTHENTICATION_REQUIRED: 407,
  REQUEST_TIMEOUT: 408, CONFLICT: 409, GONE: 410, LENGTH_REQUIRED: 411, PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413, URI_TOO_LONG: 414, UNSUPPORTED_MEDIA_TYPE: 415, RANGE_NOT_SATISFIABLE: 416,
  EXPECTATION_FAILED: 417, TEAPOT: 418, MISDIRECTED_REQUEST: 421, UNPROCESSABLE_ENTITY: 422, LOCKED: 423,
  FAILED_DEPENDENCY: 424, TOO_EARLY: 425, UPGRADE_REQUIRED: 426, PRECONDITION_REQUIRED: 428,
  TOO_MANY_REQUESTS: 429, REQUEST_HEADER_FIELDS_TOO_LARGE: 431, UNAVAILABLE_FOR_LEGAL_REASONS: 451,
  INTERNAL_SERVER_ERROR: 500, NOT_IMPLEMENTED: 501, BAD_GATEWAY: 502, SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504, HTTP_VERSION_NOT_SUPPORTED: 505, VARIANT_ALSO_NEGOTIATES: 506,
  INSUFFICIENT_STORAGE: 507, LOOP_DETECTED: 508, BANDWIDTH_LIMIT_EXCEEDED: 509, NOT_EXTENDED: 510,
  NETWORK_AUTHENTICATION_REQUIRED: 511,
};
for (const [name, code] of Object.entries(kStatuses)) constants[`HTTP_STATUS_${name}`] = code;

const sensitiveHeaders = Symbol('sensitiveHeaders');

// --- settings ---------------------------------------------------------------------------

function getDefaultSettings() {
  return {
    __proto__: null,
    headerTableSize: constants.DEFAULT_SETTINGS_HEADER_TABLE_SIZE,
    enablePush: true,
    initialWindowSize: constants.DEFAULT_SETTINGS_INITIAL_WINDOW_SIZE,
    maxFrameSize: constants.DEFAULT_SETTINGS_MAX_FRAME_SIZE,
    maxConcurrentStreams: constants.DEFAULT_SETTINGS_MAX_CONCURRENT_STREAMS,
    maxHeaderSize: constants.DEFAULT_SETTINGS_MAX_HEADER_LIST_SIZE,
    maxHeaderListSize: constants.DEFAULT_SETTINGS_MAX_HEADER_LIST_SIZE,
    enableConnectProtocol: false,
  };
}

// Numeric settings: [name, id, minimum, maximum].
const kNumericSettings = [
  ['headerTableSize', 1, 0, kMaxUint32],
  ['maxConcurrentStreams', 3, 0, kMaxUint32],
  ['initialWindowSize', 4, 0, kMaxInt32],
  ['maxFrameSize', 5, kMinMaxFrameSize, kMaxMaxFrameSize],
  ['maxHeaderListSize', 6, 0, kMaxUint32],
];
const kBooleanSettings = [['enablePush', 2], ['enableConnectProtocol', 8]];

function checkNumber(name, value, min, max) {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ERR_HTTP2_INVALID_SETTING_VALUE.RangeError(name, value);
  }
}

// Validates settings in place (maxHeaderSize is another name for maxHeaderListSize).
function validateSettings(settings) {
  if (settings.maxHeaderSize !== undefined) {
    if (settings.maxHeaderListSize !== undefined) {
      process.emitWarning('settings.maxHeaderSize overwrite settings.maxHeaderListSize');
    }
    settings = { ...settings, maxHeaderListSize: settings.maxHeaderSize };
  }
  for (const [name, , min, max] of kNumericSettings) {
    if (settings[name] !== undefined) checkNumber(name, settings[name], min, max);
  }
  for (const [name] of kBooleanSettings) {
    if (settings[name] !== undefined && typeof settings[name] !== 'boolean') {
      throw new ERR_HTTP2_INVALID_SETTING_VALUE(name, settings[name]);
    }
  }
  if (settings.customSettings !== undefined) {
    validators.validateObject(settings.customSettings, 'settings.customSettings');
    for (const [id, value] of Object.entries(settings.customSettings)) {
      checkNumber('customSettings:id', Number(id), 0, 0xffff);
      checkNumber('customSettings:value', value, 0, kMaxUint32);
    }
  }
  return settings;
}

function getPackedSettings(settings = {}) {
  validators.validateObject(settings, 'settings');
  settings = validateSettings(settings);
  const entries = [];
  for (const [name, id] of kNumericSettings) {
    if (settings[name] !== undefined) entries.push([id, settings[name]]);
  }
  for (const [name, id] of kBooleanSettings) {
    if (settings[name] !== undefined) entries.push([id, settings[name] ? 1 : 0]);
  }
  for (const [id, value] of Object.entries(settings.customSettings ?? {})) entries.push([Number(id), value]);
  entries.sort((a, b) => a[0] - b[0]);
  const packed = Buffer.alloc(entries.length * 6);
  entries.forEach(([id, value], i) => {
    packed.writeUInt16BE(id, i * 6);
    packed.writeUInt32BE(value >>> 0, i * 6 + 2);
  });
  return packed;
}

const kNamesById = {
  1: 'headerTableSize', 2: 'enablePush', 3: 'maxConcurrentStreams', 4: 'initialWindowSize',
  5: 'maxFrameSize', 6: 'maxHeaderListSize', 8: 'enableConnectProtocol',
};

function getUnpackedSettings(buf, options = {}) {
  if (!types.isArrayBufferView(buf)) throw new ERR_INVALID_ARG_TYPE('buf', ['Buffer', 'TypedArray'], buf);
  if (buf.byteLength % 6 !== 0) throw new ERR_HTTP2_INVALID_PACKED_SETTINGS_LENGTH();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const settings = {};
  for (let offset = 0; offset < buf.byteLength; offset += 6) {
    const id = view.getUint16(offset);
    const value = view.getUint32(offset + 2);
    const name = kNamesById[id];
    if (name === 'enablePush' || name === 'enableConnectProtocol') {
      settings[name] = value !== 0;
    } else if (name === 'maxHeaderListSize') {
      settings.maxHeaderSize = value;
      settings.maxHeaderListSize = value;
    } else if (name !== undefined) {
      settings[name] = value;
    } else {
      settings.customSettings ??= {};
      settings.customSettings[id] = value;
    }
  }
  if (options !== null && typeof options === 'object' && options.validate) {
    for (const [name, , min, max] of kNumericSettings) {
      if (settings[name] !== undefined) checkNumber(name, settings[name], min, max);
    }
  }
  return settings;
}

// --- sessions (not implemented) ---------------------------------------------------------

function notImplemented(what) {
  const error = new Error(`${what} is not available: ferro does not implement HTTP/2 sessions yet`);
  error.code = 'ERR_NOT_IMPLEMENTED';
  return error;
}

function createServer(options, onRequestHandler) {
  throw notImplemented('http2.createServer()');
}

function createSecureServer(options, onRequestHandler) {
  throw notImplemented('http2.createSecureServer()');
}

function connect(authority, options, listener) {
  throw notImplemented('http2.connect()');
}

function performServerHandshake(socket, options) {
  throw notImplemented('http2.performServerHandshake()');
}

class Http2ServerRequest {
  constructor() {
    throw notImplemented('Http2ServerRequest');
  }
}

class Http2ServerResponse {
  constructor() {
    throw notImplemented('Http2ServerResponse');
  }
}

module.exports = {
  connect,
  constants,
  createServer,
  createSecureServer,
  getDefaultSettings,
  getPackedSettings,
  getUnpackedSettings,
  performServerHandshake,
  sensitiveHeaders,
  Http2ServerRequest,
  Http2ServerResponse,
};
