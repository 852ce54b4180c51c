'use strict';

// fetch(): http: and https: through the http/https clients on keep-alive Agents of its
// own (as undici pools connections), with redirects, decompression and abort; data:
// URLs are answered without a network.

const { createHeaders, listOf } = require('internal/fetch/headers');
const { BodyState, bodyFromParts, bodyStream, isStreamBody } = require('internal/fetch/body');
const { parseRequest } = require('internal/fetch/request');
const { responseFromRecord, newRecord, NULL_BODY_STATUSES, REDIRECT_STATUSES } = require('internal/fetch/response');
const { Blob } = require('buffer');
const { fetchAgentFor } = require('internal/http_proxy');

const MAX_REDIRECTS = 20;
// The Fetch standard's bad ports: fetch refuses them.
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);
// Request headers dropped when a redirect turns the request into a GET without body.
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length'];
// Default headers undici adds, in its order, when the request has none of that name.
const DEFAULT_HEADERS = [
  ['accept', '*/*'],
  ['accept-language', '*'],
  ['sec-fetch-mode', 'cors'],
  ['user-agent', 'node'],
  ['accept-encoding', 'gzip, deflate'],
];

function fetchFailed(cause) {
  return new TypeError('fetch failed', { cause });
}

let agents;
function agentFor(url) {
  // NODE_USE_ENV_PROXY and http.setGlobalProxyFromEnv() send fetch() through proxies.
  const proxyAgent = fetchAgentFor(url);
  if (proxyAgent !== undefined) return proxyAgent;
  if (agents === undefined) {
    const http = require('http');
    const https = require('https');
    // undici keeps idle connections for 4 seconds.
    agents = {
      'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
      'https:': new https.Agent({ keepAlive: true, timeout: 4000 }),
    };
  }
  return agents[url.protocol];
}

function fetch(input, init = undefined) {
  let request;
  try {
    request = parseRequest(input, init);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (request.body !== null && request.body.consumed) {
    return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
  }
  switch (request.url.protocol) {
    case 'http:':
    case 'https:':
      return httpFetch(request);
    case 'data:':
      return dataFetch(request.url);
    case 'blob:':
      return blobFetch(request);
    default:
      return Promise.reject(fetchFailed(new Error('unknown scheme')));
  }
}

// --- data: and blob: -------------------------------------------------------------------

function percentDecode(text) {
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x25 && i + 2 < bytes.length && /^[0-9a-fA-F]{2}$/.test(bytes.toString('latin1', i + 1, i + 3))) {
      out[length++] = parseInt(bytes.toString('latin1', i + 1, i + 3), 16);
      i += 2;
    } else {
      out[length++] = byte;
    }
  }
  return new Uint8Array(out.subarray(0, length));
}

// The body bytes and MIME type of a data: URL, or null if it is malformed.
function parseDataURL(url) {
  const serialized = url.href.slice(5).replace(/#.*$/, '');
  const comma = serialized.indexOf(',');
  if (comma === -1) return null;
  let mime = serialized.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  let bytes = percentDecode(serialized.slice(comma + 1));
  const base64 = /;[\x20]*base64$/i.exec(mime);
  if (base64 !== null) {
    mime = mime.slice(0, base64.index);
    const text = Buffer.from(bytes).toString('latin1').replace(/[\t\n\f\r ]/g, '');
    if (/[^A-Za-z0-9+/=]/.test(text) || /=[^=]/.test(text) || text.length % 4 === 1) return null;
    bytes = new Uint8Array(Buffer.from(text, 'base64'));
  }
  if (mime.startsWith(';')) mime = `text/plain${mime}`;
  const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\/([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(.*)$/.exec(mime);
  const type = match === null ? 'text/plain;charset=US-ASCII' :
    `${match[1].toLowerCase()}/${match[2].toLowerCase()}${match[3].replace(/\s*;\s*/g, ';')}`;
  return { bytes, type };
}

function dataFetch(url) {
  const parsed = parseDataURL(url);
  if (parsed === null) return Promise.reject(fetchFailed(new Error('failed to fetch the data URL')));
  const headers = createHeaders('immutable');
  listOf(headers).append('content-type', parsed.type);
  return Promise.resolve(responseFromRecord(newRecord({
    type: 'basic',
    statusText: 'OK',
    headers,
    body: bodyFromParts([parsed.bytes]),
    url: url.href.replace(/#.*$/, ''),
  })));
}

function blobFetch(request) {
  const blob = require('buffer').resolveObjectURL(request.url.href);
  if (request.method !== 'GET' || !(blob instanceof Blob)) {
    return Promise.reject(fetchFailed(new TypeError('invalid method')));
  }
  const headers = createHeaders('immutable');
  listOf(headers).append('content-length', `${blob.size}`);
  listOf(headers).append('content-type', blob.type);
  return Promise.resolve(responseFromRecord(newRecord({
    type: 'basic',
    statusText: 'OK',
    headers,
    body: bodyFromParts([blob]),
    url: request.url.href,
  })));
}

// --- http: and https: ------------------------------------------------------------------

// The header lines to send, as [name, value] pairs in undici's order: host, connection,
// the request's own headers, the defaults it lacks, then the body's length.
function requestHeaderLines(request) {
  const { url, body } = request;
  const list = listOf(request.headers);
  const lines = [];
  if (!list.has('host')) lines.push(['host', url.host]);
  if (!list.has('connection')) lines.push(['connection', 'keep-alive']);
  for (const { name, values } of list.map.values()) {
    for (const value of values) lines.push([name, value]);
  }
  for (const [name, value] of DEFAULT_HEADERS) {
    if (!list.has(name)) lines.push([name, value]);
  }
  if (body === null) {
    if (request.method === 'POST' || request.method === 'PUT') lines.push(['content-length', '0']);
  } else if (body.length !== null) {
    lines.push(['content-length', `${body.length}`]);
  } else {
    lines.push(['transfer-encoding', 'chunked']);
  }
  return lines;
}

// Writes the body, waiting for 'drain' when the socket is full; errors destroy the request.
async function writeBody(clientRequest, body) {
  try {
    if (body.parts !== null && body.stream === null) {
      for (const part of body.parts) {
        const bytes = part instanceof Blob ? await part.bytes() : part;
        if (!clientRequest.write(bytes)) await drained(clientRequest);
      }
    } else {
      const reader = bodyStream(body).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = typeof value === 'string' ? Buffer.from(value) : value;
        if (!clientRequest.write(chunk)) await drained(clientRequest);
      }
    }
    clientRequest.end();
  } catch (error) {
    clientRequest.destroy(error);
  }
}

function drained(clientRequest) {
  return new Promise((resolve) => {
    const done = () => {
      clientRequest.off('drain', done);
      clientRequest.off('close', done);
      resolve();
    };
    clientRequest.on('drain', done);
    clientRequest.on('close', done);
  });
}

// The decoders for a response's content-encoding, first to apply first; none if any
// coding is unknown.
function decoders(contentEncoding) {
  const zlib = require('zlib');
  const options = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const codings = contentEncoding.toLowerCase().split(',').map((coding) => coding.trim()).filter(Boolean);
  const streams = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i];
    if (coding === 'gzip' || coding === 'x-gzip') streams.push(zlib.createGunzip(options));
    else if (coding === 'deflate') streams.push(inflateAny(options));
    else if (coding === 'br') streams.push(zlib.createBrotliDecompress());
    else if (coding === 'zstd' && typeof zlib.createZstdDecompress === 'function') streams.push(zlib.createZstdDecompress());
    else return [];
  }
  return streams;
}

// 'deflate' is meant to be zlib-wrapped, but servers also send raw deflate: the first
// byte tells (a zlib header has compression method 8 in its low nibble).
function inflateAny(options) {
  const zlib = require('zlib');
  const { PassThrough } = require('stream');
  const output = new PassThrough();
  let inflater = null;
  const input = new PassThrough();
  input.once('data', function first(chunk) {
    input.pause();
    inflater = (chunk[0] & 0x0f) === 0x08 ? zlib.createInflate(options) : zlib.createInflateRaw(options);
    inflater.on('error', (error) => output.destroy(error));
    inflater.pipe(output);
    inflater.write(chunk);
    input.pipe(inflater);
    input.resume();
  });
  input.once('end', () => {
    if (inflater === null) output.end();
  });
  input.once('error', (error) => output.destroy(error));
  output.input = input;
  return output;
}

// The IncomingMessage, piped through its decoders; errors travel to the last stream.
function decodedBody(incoming, streams) {
  let readable = incoming;
  for (const stream of streams) {
    const target = stream.input ?? stream;
    const source = readable;
    source.on('error', (error) => stream.destroy(error));
    source.pipe(target);
    readable = stream;
  }
  return readable;
}

function sendRequest(request, signal) {
  return new Promise((resolve, reject) => {
    const { url, body } = request;
    const isHttps = url.protocol === 'https:';
    const transport = isHttps ? require('https') : require('http');
    const clientRequest = transport.request({
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || (isHttps ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: requestHeaderLines(request),
      agent: agentFor(url),
    });
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      clientRequest.destroy();
      reject(signal.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    clientRequest.once('error', (error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(fetchFailed(error));
    });
    clientRequest.once('response', (incoming) => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(incoming);
    });
    if (body === null) clientRequest.end();
    else writeBody(clientRequest, body);
  });
}

function responseHeaders(incoming) {
  const headers = createHeaders('immutable');
  const list = listOf(headers);
  const raw = incoming.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) list.append(raw[i].toLowerCase(), raw[i + 1]);
  return headers;
}

// Follows redirects: the request for the next hop, or a rejection reason.
function redirectRequest(request, incoming, redirectCount) {
  if (request.redirect === 'error') return fetchFailed(new Error('unexpected redirect'));
  if (redirectCount >= MAX_REDIRECTS) return fetchFailed(new Error('redirect count exceeded'));
  let location;
  try {
    location = new URL(incoming.headers.location, request.url);
  } catch (error) {
    return fetchFailed(error);
  }
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    return fetchFailed(new Error('URL scheme must be a HTTP(S) scheme'));
  }
  const status = incoming.statusCode;
  const next = { ...request, url: location, headers: createHeaders('request', listOf(request.headers)) };
  const nextList = listOf(next.headers);
  if (((status === 301 || status === 302) && request.method === 'POST') ||
      (status === 303 && request.method !== 'GET' && request.method !== 'HEAD')) {
    next.method = 'GET';
    next.body = null;
    for (const name of BODY_HEADERS) nextList.delete(name);
  } else if (request.body !== null) {
    if (isStreamBody(request.body)) return fetchFailed(new Error());
    next.body = bodyFromParts(request.body.parts);
  }
  if (location.origin !== request.url.origin) {
    for (const name of ['authorization', 'proxy-authorization', 'cookie', 'host']) nextList.delete(name);
  }
  return next;
}

async function httpFetch(request) {
  const { signal } = request;
  let redirectCount = 0;
  for (;;) {
    if (BAD_PORTS.has(Number(request.url.port))) throw fetchFailed(new Error('bad port'));
    const incoming = await sendRequest(request, signal);
    const status = incoming.statusCode;
    if (REDIRECT_STATUSES.has(status) && incoming.headers.location !== undefined && request.redirect !== 'manual') {
      const next = redirectRequest(request, incoming, redirectCount);
      incoming.resume();
      if (next instanceof Error) throw next;
      request = next;
      redirectCount++;
      continue;
    }
    return networkResponse(request, incoming, redirectCount > 0);
  }
}

function networkResponse(request, incoming, redirected) {
  const { signal } = request;
  const status = incoming.statusCode;
  const headers = responseHeaders(incoming);
  let body = null;
  if (request.method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    incoming.resume();
  } else {
    const encoding = incoming.headers['content-encoding'];
    const streams = encoding === undefined || REDIRECT_STATUSES.has(status) ? [] : decoders(encoding);
    const readable = decodedBody(incoming, streams);
    readable.pause();
    // As with undici, a body nobody reads keeps the process alive only until all of it
    // has arrived; after that the connection counts only while the body flows to a reader.
    const socket = incoming.socket;
    if (socket) {
      const unrefWhenIdle = () => {
        if (incoming.complete && !readable.readableFlowing) socket.unref();
      };
      incoming._onComplete = unrefWhenIdle;
      readable.on('pause', unrefWhenIdle);
      readable.on('resume', () => socket.ref());
      unrefWhenIdle();
    }
    body = new BodyState({ readable });
    if (signal !== null) {
      const onAbort = () => readable.destroy(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      readable.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    // A connection lost mid-body ends the body with an error, as undici's 'terminated'.
    incoming.once('aborted', () => readable.destroy(new TypeError('terminated', { cause: new Error('other side closed') })));
  }
  return responseFromRecord(newRecord({
    type: 'basic',
    status,
    statusText: incoming.statusMessage ?? '',
    headers,
    body,
    url: request.url.href.replace(/#.*$/, ''),
    redirected,
  }));
}

module.exports = { fetch };
