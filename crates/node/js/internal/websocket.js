'use strict';
// The WHATWG WebSocket client (a global, as in Node 22+), CloseEvent, and the ErrorEvent its
// failures fire, over net/tls sockets. The RFC 6455 opening handshake and framing are done
// here; permessage-deflate is offered (as Node does) and received messages are inflated with
// zlib's synchronous chunk processing; sent messages are never compressed. Behaviour and
// messages follow what Node (undici) shows, its quirks included: events are not trusted, a
// close() while connecting fails the connection and leaves readyState at CLOSING.

const { Event, EventTarget } = require('internal/event_target');
const { DOMException } = require('internal/dom_exception');
const { Headers, illegalInvocation, listOf, requireArgs } = require('internal/fetch/headers');

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
// RFC 7230 token characters, which a subprotocol name is made of.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// The end of a flushed deflate block, which permessage-deflate senders strip.
const DEFLATE_TAIL = [0x00, 0x00, 0xff, 0xff];

let lazyModules;
function modules() {
  lazyModules ??= {
    net: require('net'),
    tls: require('tls'),
    crypto: require('crypto'),
    zlib: require('zlib'),
    Blob: require('buffer').Blob,
    MessageEvent: require('internal/worker/io').MessageEvent,
  };
  return lazyModules;
}

// ---- WebIDL conversions, with undici's messages ----

// unsigned short as undici converts it: the integer part's remainder by 2^16, sign kept.
function toUnsignedShort(value) {
  const number = Math.trunc(Number(value));
  if (!Number.isFinite(number)) return 0;
  return number % 65536;
}

// [Clamp] unsigned short: clamped to 0..65535, rounded half to even.
function toClampedUnsignedShort(value) {
  const number = Number(value);
  if (Number.isNaN(number)) return 0;
  const clamped = Math.min(Math.max(number, 0), 65535);
  const floor = Math.floor(clamped);
  const fraction = clamped - floor;
  if (fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1)) return floor + 1;
  return floor;
}

function toUSVString(value) {
  return `${value}`.toWellFormed();
}

function checkDictionary(value) {
  if (value === undefined || value === null || typeof value === 'object' || typeof value === 'function') return;
  throw new TypeError(`undefined: Expected ${value} to be one of: Null, Undefined, Object.`);
}

function toStringSequence(iterable) {
  const result = [];
  for (const item of iterable) {
    if (typeof item === 'symbol') {
      throw new TypeError(`undefined: undefined[${result.length}] is a symbol, which cannot be converted to a DOMString.`);
    }
    result.push(`${item}`);
  }
  return result;
}

const isIterable = (value) => typeof value?.[Symbol.iterator] === 'function';
const isObject = (value) => (typeof value === 'object' && value !== null) || typeof value === 'function';

// The constructor's second argument: a protocol, a sequence of them, or a WebSocketInit
// dictionary ({ protocols, headers, dispatcher }).
function readProtocolsArgument(value) {
  if (value === undefined) return { protocols: [], headers: undefined };
  if (isObject(value) && !isIterable(value)) {
    const protocols = value.protocols;
    const headers = value.headers === undefined ? undefined : new Headers(value.headers);
    if (protocols === undefined) return { protocols: [], headers };
    return { protocols: isObject(protocols) ? toStringSequence(protocols) : [`${protocols}`], headers };
  }
  return { protocols: isObject(value) ? toStringSequence(value) : [`${value}`], headers: undefined };
}

function validateProtocols(protocols) {
  const seen = new Set();
  for (const protocol of protocols) {
    const folded = protocol.toLowerCase();
    if (!TOKEN.test(protocol) || seen.has(folded)) {
      throw new DOMException('Invalid Sec-WebSocket-Protocol value', 'SyntaxError');
    }
    seen.add(folded);
  }
}

function parseWebSocketURL(url) {
  let parsed;
  try {
    parsed = new URL(`${url}`);
  } catch (err) {
    throw new DOMException(`${err}`, 'SyntaxError');
  }
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new DOMException('expected a ws: or wss: url', 'SyntaxError');
  }
  if (parsed.hash !== '' || parsed.href.endsWith('#')) throw new DOMException('hash', 'SyntaxError');
  return parsed;
}

// A close code a peer may send (RFC 6455 7.4).
function isValidReceivedCloseCode(code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}

function defineConstants(target) {
  for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]]) {
    Object.defineProperty(target, name, { value, writable: false, enumerable: true, configurable: false });
  }
}

// Class members enumerable (as WebIDL makes them) and the toString tag.
function exposeInterface(Class, name) {
  for (const key of Object.getOwnPropertyNames(Class.prototype)) {
    if (key !== 'constructor') Object.defineProperty(Class.prototype, key, { enumerable: true });
  }
  Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: name, writable: false, enumerable: false, configurable: true });
}

// ---- events ----

// Instances of each class, for the receiver checks of its members.
const webSockets = new WeakSet();
const closeEvents = new WeakSet();
const errorEvents = new WeakSet();

function checkBrand(instances, value) {
  if (!instances.has(value)) throw illegalInvocation();
}

class CloseEvent extends Event {
  #wasClean;
  #code;
  #reason;

  constructor(type, eventInitDict = undefined) {
    requireArgs('CloseEvent constructor', 1, arguments.length);
    checkDictionary(eventInitDict);
    super(type, eventInitDict);
    closeEvents.add(this);
    this.#wasClean = Boolean(eventInitDict?.wasClean);
    this.#code = eventInitDict?.code === undefined ? 0 : toUnsignedShort(eventInitDict.code);
    this.#reason = eventInitDict?.reason === undefined ? '' : toUSVString(eventInitDict.reason);
  }

  get wasClean() {
    checkBrand(closeEvents, this);
    return this.#wasClean;
  }

  get code() {
    checkBrand(closeEvents, this);
    return this.#code;
  }

  get reason() {
    checkBrand(closeEvents, this);
    return this.#reason;
  }
}
exposeInterface(CloseEvent, 'CloseEvent');

// Fired at a WebSocket whose connection failed; Node does not expose the class.
class ErrorEvent extends Event {
  #message;
  #filename;
  #lineno;
  #colno;
  #error;

  constructor(type, eventInitDict) {
    requireArgs('ErrorEvent constructor', 1, arguments.length);
    checkDictionary(eventInitDict);
    super(type, eventInitDict);
    errorEvents.add(this);
    this.#message = `${eventInitDict?.message ?? ''}`;
    this.#filename = `${eventInitDict?.filename ?? ''}`;
    this.#lineno = eventInitDict?.lineno >>> 0;
    this.#colno = eventInitDict?.colno >>> 0;
    this.#error = eventInitDict?.error;
  }

  get message() {
    checkBrand(errorEvents, this);
    return this.#message;
  }

  get filename() {
    checkBrand(errorEvents, this);
    return this.#filename;
  }

  get lineno() {
    checkBrand(errorEvents, this);
    return this.#lineno;
  }

  get colno() {
    checkBrand(errorEvents, this);
    return this.#colno;
  }

  get error() {
    checkBrand(errorEvents, this);
    return this.#error;
  }
}
exposeInterface(ErrorEvent, 'ErrorEvent');

// ---- framing ----

// A violation of the protocol by the server: the connection fails with this close code.
class ProtocolError {
  constructor(code, reason) {
    this.code = code;
    this.reason = reason;
  }
}

// A masked client frame (RFC 6455 5.2).
function encodeFrame(opcode, payload) {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = 0x80 | length;
  } else if (length < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  const mask = modules().crypto.randomBytes(4);
  mask.copy(frame, headerLength);
  const start = headerLength + 4;
  for (let i = 0; i < length; i++) frame[start + i] = payload[i] ^ mask[i & 3];
  return frame;
}

function closePayload(code, reason) {
  if (code === undefined) return Buffer.alloc(0);
  const reasonBytes = Buffer.from(reason ?? '');
  const payload = Buffer.allocUnsafe(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  reasonBytes.copy(payload, 2);
  return payload;
}

// Reads the server's frames from a byte stream and reassembles fragmented messages.
// next() returns { opcode, payload, compressed } (a whole message or a control frame) or
// null until more bytes arrive; it throws a ProtocolError for a malformed stream.
class FrameReader {
  #chunks = [];
  #length = 0;
  #deflate;
  // The message being reassembled from fragments, if any.
  #message = null;

  constructor(deflate) {
    this.#deflate = deflate;
  }

  push(chunk) {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  // The first `count` buffered bytes as one buffer (without consuming them).
  #peek(count) {
    if (this.#chunks[0].length < count) {
      this.#chunks = [Buffer.concat(this.#chunks)];
    }
    return this.#chunks[0];
  }

  #consume(count) {
    const taken = this.#peek(count).subarray(0, count);
    const rest = this.#chunks[0].subarray(count);
    if (rest.length === 0) this.#chunks.shift();
    else this.#chunks[0] = rest;
    this.#length -= count;
    return taken;
  }

  next() {
    for (;;) {
      const frame = this.#readFrame();
      if (frame === null) return null;
      if (frame.opcode >= OPCODE_CLOSE) return frame;
      const message = this.#assemble(frame);
      if (message !== null) return message;
    }
  }

  #readFrame() {
    if (this.#length < 2) return null;
    let header = this.#peek(2);
    const fin = (header[0] & 0x80) !== 0;
    const rsv1 = (header[0] & 0x40) !== 0;
    const opcode = header[0] & 0x0f;
    const masked = (header[1] & 0x80) !== 0;
    const isControl = opcode >= OPCODE_CLOSE;
    if ((header[0] & 0x30) !== 0) throw new ProtocolError(1002, 'RSV1, RSV2, RSV3 must be clear');
    if (rsv1 && !this.#deflate) throw new ProtocolError(1002, 'Expected RSV1 to be clear.');
    if (rsv1 && (isControl || opcode === OPCODE_CONTINUATION)) {
      throw new ProtocolError(1002, 'RSV1, RSV2, RSV3 must be clear');
    }
    if (opcode > OPCODE_BINARY && opcode !== OPCODE_CLOSE && opcode !== OPCODE_PING && opcode !== OPCODE_PONG) {
      throw new ProtocolError(1002, 'Invalid opcode received');
    }
    if (masked) throw new ProtocolError(1002, 'Frame cannot be masked');
    if (isControl && !fin) throw new ProtocolError(1002, 'Invalid frame type was fragmented.');
    let length = header[1] & 0x7f;
    if (isControl && length > 125) throw new ProtocolError(1002, 'Control frame either too large or fragmented');
    if (opcode === OPCODE_CONTINUATION && this.#message === null) {
      throw new ProtocolError(1002, 'Unexpected continuation frame');
    }
    if (!isControl && opcode !== OPCODE_CONTINUATION && this.#message !== null) {
      throw new ProtocolError(1002, 'Expected continuation frame');
    }
    let headerLength = 2;
    if (length === 126) {
      if (this.#length < 4) return null;
      header = this.#peek(4);
      length = header.readUInt16BE(2);
      headerLength = 4;
    } else if (length === 127) {
      if (this.#length < 10) return null;
      header = this.#peek(10);
      const high = header.readUInt32BE(2);
      const low = header.readUInt32BE(6);
      if (high !== 0 || low > 2 ** 31) throw new ProtocolError(1009, 'Received payload length > 2^31 bytes.');
      length = low;
      headerLength = 10;
    }
    if (this.#length < headerLength + length) return null;
    this.#consume(headerLength);
    const payload = length === 0 ? Buffer.alloc(0) : this.#consume(length);
    return { fin, rsv1, opcode, payload };
  }

  #assemble(frame) {
    if (frame.opcode !== OPCODE_CONTINUATION) {
      if (frame.fin) return { opcode: frame.opcode, payload: frame.payload, compressed: frame.rsv1 };
      this.#message = { opcode: frame.opcode, fragments: [frame.payload], compressed: frame.rsv1 };
      return null;
    }
    this.#message.fragments.push(frame.payload);
    if (!frame.fin) return null;
    const { opcode, fragments, compressed } = this.#message;
    this.#message = null;
    return { opcode, payload: Buffer.concat(fragments), compressed };
  }
}

// The server's accepted permessage-deflate parameters, or null.
function parseDeflateExtension(header) {
  const [name, ...params] = header.split(';').map((part) => part.trim());
  if (name !== 'permessage-deflate') return null;
  const options = new Map();
  for (const param of params) {
    const [key, value = ''] = param.split('=').map((part) => part.trim());
    options.set(key, value);
  }
  return { serverNoContextTakeover: options.has('server_no_context_takeover') };
}

// ---- the opening handshake ----

// The upgrade request, with its headers in Node's order: custom headers (from the
// WebSocketInit dictionary) come after Upgrade and replace defaults of the same name.
function handshakeRequest(url, key, protocols, customHeaders) {
  const custom = customHeaders === undefined ? [] :
    Array.from(listOf(customHeaders).map.values(), ({ name, values }) => [name, values.join(', ')]);
  const customNames = new Set(custom.map(([name]) => name.toLowerCase()));
  const defaults = [
    ['sec-websocket-key', key],
    ['sec-websocket-version', '13'],
    ...(protocols.length > 0 ? [['sec-websocket-protocol', protocols.join(', ')]] : []),
    ['sec-websocket-extensions', 'permessage-deflate; client_max_window_bits'],
    ['accept', '*/*'],
    ['accept-language', '*'],
    ['sec-fetch-mode', 'websocket'],
    ['user-agent', 'node'],
    ['pragma', 'no-cache'],
    ['cache-control', 'no-cache'],
    ['accept-encoding', 'gzip, deflate'],
  ].filter(([name]) => !customNames.has(name));
  const headers = [['host', url.host], ['connection', 'upgrade'], ['upgrade', 'websocket'], ...custom, ...defaults];
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `GET ${url.pathname}${url.search} HTTP/1.1\r\n${lines}\r\n`;
}

// Parses a response head ("HTTP/1.1 101 ...\r\nName: value\r\n..."); header names lower-cased,
// repeated headers joined. Returns null when it is not an HTTP response.
function parseResponseHead(text) {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]);
  if (status === null) return null;
  const headers = new Map();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) return null;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return { status: Number(status[1]), headers };
}

// Checks the server's answer (RFC 6455 4.1); returns { protocol, extensions, deflate } or null.
function acceptHandshake(response, key, protocols) {
  const { headers } = response;
  if (response.status !== 101) return null;
  if (headers.get('upgrade')?.toLowerCase() !== 'websocket') return null;
  if (headers.get('connection')?.toLowerCase() !== 'upgrade') return null;
  const expected = modules().crypto.createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
  if (headers.get('sec-websocket-accept') !== expected) return null;
  const extensions = headers.get('sec-websocket-extensions');
  let deflate = null;
  if (extensions !== undefined) {
    deflate = parseDeflateExtension(extensions);
    if (deflate === null) return null;
  }
  const protocol = headers.get('sec-websocket-protocol');
  if (protocol !== undefined ? !protocols.includes(protocol) : protocols.length > 0) return null;
  return { protocol: protocol ?? '', extensions: extensions ?? '', deflate };
}

// ---- WebSocket ----

class WebSocket extends EventTarget {
  #url;
  #readyState = CONNECTING;
  #protocol = '';
  #extensions = '';
  #binaryType = 'blob';
  #bufferedAmount = 0;
  #handlers = { __proto__: null, open: null, error: null, close: null, message: null };
  #socket = null;
  #reader = null;
  #inflater = null;
  #deflate = null;
  // Messages to send, in order; a Blob's bytes arrive later, and later messages wait for it.
  #sendQueue = [];
  #closeFrameSent = false;
  // The server's close frame, once received: { code, reason }.
  #closeFrameReceived = null;
  #closeEventFired = false;

  constructor(url, protocols = undefined) {
    requireArgs('WebSocket constructor', 1, arguments.length);
    super();
    webSockets.add(this);
    const parsed = parseWebSocketURL(url);
    const init = readProtocolsArgument(protocols);
    validateProtocols(init.protocols);
    this.#url = parsed;
    this.#connect(parsed, init.protocols, init.headers);
  }

  close(code = undefined, reason = undefined) {
    checkBrand(webSockets, this);
    if (code !== undefined) {
      code = toClampedUnsignedShort(code);
      if (code !== 1000 && (code < 3000 || code > 4999)) throw new DOMException('invalid code', 'InvalidAccessError');
    }
    if (reason !== undefined) {
      reason = toUSVString(reason);
      const length = Buffer.byteLength(reason);
      if (length > 123) {
        throw new DOMException(`Reason must be less than 123 bytes; received ${length}`, 'SyntaxError');
      }
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    if (this.#readyState === CONNECTING) {
      this.#fail();
      this.#readyState = CLOSING;
      return;
    }
    // A reason goes with a code; 1000 when none was given.
    if (code === undefined && reason !== undefined) code = 1000;
    this.#sendCloseFrame(closePayload(code, reason));
    this.#readyState = CLOSING;
  }

  send(data) {
    checkBrand(webSockets, this);
    requireArgs('WebSocket.send', 1, arguments.length);
    if (this.#readyState === CONNECTING) throw new DOMException('Sent before connected.', 'InvalidStateError');
    let entry;
    const { Blob } = modules();
    if (typeof data === 'string') {
      entry = { opcode: OPCODE_TEXT, bytes: Buffer.from(data.toWellFormed()) };
    } else if (data instanceof ArrayBuffer) {
      entry = { opcode: OPCODE_BINARY, bytes: Buffer.from(new Uint8Array(data.slice(0))) };
    } else if (ArrayBuffer.isView(data)) {
      entry = { opcode: OPCODE_BINARY, bytes: Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
    } else if (data instanceof Blob) {
      entry = { opcode: OPCODE_BINARY, bytes: null, size: data.size };
      data.arrayBuffer().then((buffer) => {
        entry.bytes = Buffer.from(buffer);
        this.#flushSendQueue();
      });
    } else {
      entry = { opcode: OPCODE_TEXT, bytes: Buffer.from(toUSVString(data)) };
    }
    if (this.#readyState !== OPEN) return;
    entry.size ??= entry.bytes.length;
    this.#bufferedAmount += entry.size;
    this.#sendQueue.push(entry);
    this.#flushSendQueue();
  }

  get readyState() {
    checkBrand(webSockets, this);
    return this.#readyState;
  }

  get bufferedAmount() {
    checkBrand(webSockets, this);
    return this.#bufferedAmount;
  }

  get url() {
    checkBrand(webSockets, this);
    return this.#url.href;
  }

  get extensions() {
    checkBrand(webSockets, this);
    return this.#extensions;
  }

  get protocol() {
    checkBrand(webSockets, this);
    return this.#protocol;
  }

  get onopen() {
    checkBrand(webSockets, this);
    return this.#handlers.open;
  }

  set onopen(value) {
    checkBrand(webSockets, this);
    this.#setHandler('open', value);
  }

  get onerror() {
    checkBrand(webSockets, this);
    return this.#handlers.error;
  }

  set onerror(value) {
    checkBrand(webSockets, this);
    this.#setHandler('error', value);
  }

  get onclose() {
    checkBrand(webSockets, this);
    return this.#handlers.close;
  }

  set onclose(value) {
    checkBrand(webSockets, this);
    this.#setHandler('close', value);
  }

  get onmessage() {
    checkBrand(webSockets, this);
    return this.#handlers.message;
  }

  set onmessage(value) {
    checkBrand(webSockets, this);
    this.#setHandler('message', value);
  }

  get binaryType() {
    checkBrand(webSockets, this);
    return this.#binaryType;
  }

  set binaryType(type) {
    checkBrand(webSockets, this);
    this.#binaryType = type === 'arraybuffer' ? 'arraybuffer' : 'blob';
  }

  // Like Node: a new handler replaces the old one at the end of the listener list; objects
  // are kept (and returned) but only functions are called.
  #setHandler(type, value) {
    const previous = this.#handlers[type];
    if (typeof previous === 'function') this.removeEventListener(type, previous);
    if (typeof value === 'function') {
      this.#handlers[type] = value;
      this.addEventListener(type, value);
    } else {
      this.#handlers[type] = isObject(value) ? value : null;
    }
  }

  #connect(url, protocols, headers) {
    const { net, tls, crypto } = modules();
    const key = crypto.randomBytes(16).toString('base64');
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = Number(url.port) || (url.protocol === 'wss:' ? 443 : 80);
    const socket = url.protocol === 'wss:'
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.write(handshakeRequest(url, key, protocols, headers));

    let head = Buffer.alloc(0);
    const onHandshakeData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.removeListener('data', onHandshakeData);
      const response = parseResponseHead(head.subarray(0, end).toString('latin1'));
      const accepted = response === null ? null : acceptHandshake(response, key, protocols);
      if (accepted === null) {
        this.#fail();
        return;
      }
      this.#open(accepted, head.subarray(end + 4));
    };
    socket.on('data', onHandshakeData);
    socket.on('error', () => {});
    socket.on('close', () => this.#onSocketClose());
  }

  #open({ protocol, extensions, deflate }, rest) {
    if (this.#readyState !== CONNECTING) return;
    this.#protocol = protocol;
    this.#extensions = extensions;
    this.#deflate = deflate;
    this.#reader = new FrameReader(deflate !== null);
    this.#readyState = OPEN;
    this.dispatchEvent(new Event('open'));
    this.#socket.on('data', (chunk) => this.#onData(chunk));
    if (rest.length > 0) this.#onData(rest);
  }

  #onData(chunk) {
    if (this.#closeFrameReceived !== null || this.#readyState === CLOSED) return;
    this.#reader.push(chunk);
    try {
      for (;;) {
        const message = this.#reader.next();
        if (message === null) return;
        this.#onMessage(message);
        if (this.#closeFrameReceived !== null || this.#readyState === CLOSED) return;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.#fail(err.code, err.reason);
    }
  }

  #onMessage({ opcode, payload, compressed }) {
    switch (opcode) {
      case OPCODE_PING:
        if (this.#readyState === OPEN) this.#socket.write(encodeFrame(OPCODE_PONG, payload));
        return;
      case OPCODE_PONG:
        return;
      case OPCODE_CLOSE:
        this.#onCloseFrame(payload);
        return;
    }
    if (compressed) payload = this.#inflate(payload);
    let data;
    if (opcode === OPCODE_TEXT) {
      try {
        data = new TextDecoder('utf-8', { fatal: true }).decode(payload);
      } catch {
        throw new ProtocolError(1007, 'Received invalid UTF-8 in text frame.');
      }
    } else if (this.#binaryType === 'arraybuffer') {
      data = payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.length);
    } else {
      data = new (modules().Blob)([payload]);
    }
    if (this.#readyState !== OPEN) return;
    this.dispatchEvent(new (modules().MessageEvent)('message', { data, origin: this.#url.origin }));
  }

  #inflate(payload) {
    const { zlib } = modules();
    if (this.#inflater === null || this.#deflate.serverNoContextTakeover) this.#inflater = zlib.createInflateRaw();
    try {
      return this.#inflater._processChunk(Buffer.concat([payload, Buffer.from(DEFLATE_TAIL)]), zlib.constants.Z_SYNC_FLUSH);
    } catch {
      throw new ProtocolError(1007, 'Invalid compressed data');
    }
  }

  #onCloseFrame(payload) {
    if (payload.length === 1) throw new ProtocolError(1002, 'Received close frame with a 1-byte body.');
    let code = 1005;
    let reason = '';
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      if (!isValidReceivedCloseCode(code)) throw new ProtocolError(1002, 'Invalid status code');
      try {
        reason = new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(2));
      } catch {
        throw new ProtocolError(1007, 'Invalid UTF-8');
      }
    }
    this.#closeFrameReceived = { code, reason };
    // Answers with the code alone, unless our own close frame went first.
    if (!this.#closeFrameSent) this.#sendCloseFrame(closePayload(payload.length >= 2 ? code : undefined));
    this.#readyState = CLOSING;
  }

  #sendCloseFrame(payload) {
    this.#closeFrameSent = true;
    this.#socket.write(encodeFrame(OPCODE_CLOSE, payload));
  }

  #flushSendQueue() {
    while (this.#sendQueue.length > 0 && this.#sendQueue[0].bytes !== null) {
      const { opcode, bytes, size } = this.#sendQueue.shift();
      if (this.#readyState !== OPEN) continue;
      this.#socket.write(encodeFrame(opcode, bytes), () => {
        this.#bufferedAmount -= size;
      });
    }
  }

  #onSocketClose() {
    if (this.#closeEventFired) return;
    if (this.#closeFrameReceived === null) {
      this.#fail();
      return;
    }
    const { code, reason } = this.#closeFrameReceived;
    this.#readyState = CLOSED;
    this.#closeEventFired = true;
    this.dispatchEvent(new CloseEvent('close', { wasClean: true, code, reason }));
  }

  // Fails the connection: tells the server why (once open), drops the socket, and fires
  // error and close (1006), as Node does, right away.
  #fail(code = undefined, reason = undefined) {
    if (this.#closeEventFired) return;
    const socket = this.#socket;
    if (code !== undefined && !this.#closeFrameSent) {
      this.#sendCloseFrame(closePayload(code, reason));
      socket.end();
    } else {
      socket.destroy();
    }
    this.#readyState = CLOSED;
    this.#closeEventFired = true;
    this.#sendQueue = [];
    this.dispatchEvent(new ErrorEvent('error', { error: new TypeError() }));
    this.dispatchEvent(new CloseEvent('close', { wasClean: false, code: 1006, reason: '' }));
  }
}

exposeInterface(WebSocket, 'WebSocket');
defineConstants(WebSocket);
defineConstants(WebSocket.prototype);

module.exports = { WebSocket, CloseEvent, ErrorEvent };
