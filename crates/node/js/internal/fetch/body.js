'use strict';

// Bodies of Requests and Responses. A body is read from its source: parts (Uint8Arrays
// and Blobs) that are known up front, a Node readable (a fetched response), or a
// ReadableStream. The ReadableStream behind `body` is made only when asked for, so
// text()/json() on a fetched response read the socket without any web stream.

const { Blob } = require('buffer');
const { ReadableStream, isReadableStream } = require('internal/webstreams/readablestream');
const { FormData, serializeFormData, parseMultipart, parseUrlEncoded } = require('internal/fetch/formdata');

const kDisturbed = Symbol.for('nodejs.stream.disturbed');
const encoder = new TextEncoder();
// How much of a fetched response is buffered ahead of the reader.
const STREAM_HIGH_WATER_MARK = 65536;

class BodyState {
  constructor({ parts = null, readable = null, stream = null, length = null }) {
    this.parts = parts;
    this.readable = readable;
    this.stream = stream;
    this.length = length;
    // Read without a stream (or handed to another Request).
    this.consumed = false;
  }
}

function bytesOfView(view) {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function partsLength(parts) {
  let length = 0;
  for (const part of parts) length += part instanceof Blob ? part.size : part.byteLength;
  return length;
}

function bodyFromParts(parts) {
  return new BodyState({ parts, length: partsLength(parts) });
}

function isAsyncIterable(value) {
  return value !== null && typeof value === 'object' && typeof value[Symbol.asyncIterator] === 'function';
}

// BodyInit -> { body, type }: the state and the content type it implies (or null).
function extractBody(value) {
  if (typeof value === 'string') {
    return { body: bodyFromParts([encoder.encode(value)]), type: 'text/plain;charset=UTF-8' };
  }
  if (value instanceof URLSearchParams) {
    return {
      body: bodyFromParts([encoder.encode(value.toString())]),
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)) {
    return { body: bodyFromParts([new Uint8Array(value.slice(0))]), type: null };
  }
  if (ArrayBuffer.isView(value)) return { body: bodyFromParts([bytesOfView(value)]), type: null };
  if (value instanceof Blob) return { body: bodyFromParts([value]), type: value.type || null };
  if (value instanceof FormData) {
    const { parts, type } = serializeFormData(value);
    return { body: bodyFromParts(parts), type };
  }
  if (isReadableStream(value)) {
    if (value[kDisturbed] || value.locked) {
      throw new TypeError('Response body object should not be disturbed or locked');
    }
    return { body: new BodyState({ stream: value }), type: null };
  }
  if (isAsyncIterable(value)) {
    return { body: new BodyState({ stream: ReadableStream.from(value) }), type: null };
  }
  return extractBody(`${value}`);
}

// A stream body is one that can only be read once (not re-sent on a redirect).
function isStreamBody(state) {
  return state.parts === null;
}

function isUnusable(state) {
  if (state === null) return false;
  if (state.consumed) return true;
  return state.stream !== null && (state.stream[kDisturbed] || state.stream.locked);
}

function isUsed(state) {
  if (state === null) return false;
  return state.consumed || (state.stream !== null && state.stream[kDisturbed] === true);
}

// A Uint8Array that owns its whole ArrayBuffer, as a byte stream takes it over.
function ownedBytes(chunk) {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) {
    return new Uint8Array(chunk.buffer, 0, chunk.byteLength);
  }
  return new Uint8Array(chunk);
}

// A byte stream fed from a Node readable, pausing it while the stream is full.
function streamFromReadable(readable) {
  let controller;
  let closed = false;
  return new ReadableStream({
    type: 'bytes',
    start(c) {
      controller = c;
      readable.on('data', (chunk) => {
        if (closed) return;
        controller.enqueue(ownedBytes(typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
        if (controller.desiredSize <= 0) readable.pause();
      });
      readable.once('end', () => {
        if (closed) return;
        closed = true;
        controller.close();
        // A pending BYOB request waits for a respond() after close.
        controller.byobRequest?.respond(0);
      });
      readable.once('error', (error) => {
        if (closed) return;
        closed = true;
        controller.error(error);
      });
    },
    pull() {
      readable.resume();
    },
    cancel(reason) {
      closed = true;
      readable.destroy();
    },
  }, { highWaterMark: STREAM_HIGH_WATER_MARK });
}

function streamFromParts(parts) {
  let index = 0;
  return new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      if (index >= parts.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const part = parts[index++];
      const bytes = part instanceof Blob ? await part.bytes() : part.slice();
      if (bytes.byteLength > 0) controller.enqueue(bytes);
    },
  });
}

// An empty stream that has been read to its end, for the body of what was read directly.
function usedStream() {
  const stream = new ReadableStream({ type: 'bytes', start(controller) { controller.close(); } });
  stream.getReader().read();
  return stream;
}

function bodyStream(state) {
  if (state.stream === null) {
    if (state.consumed) state.stream = usedStream();
    else if (state.readable !== null) state.stream = streamFromReadable(state.readable);
    else state.stream = streamFromParts(state.parts);
  }
  return state.stream;
}

function concat(chunks, length) {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function readParts(parts) {
  const chunks = [];
  let length = 0;
  for (const part of parts) {
    const bytes = part instanceof Blob ? await part.bytes() : part;
    chunks.push(bytes);
    length += bytes.byteLength;
  }
  return chunks.length === 1 ? chunks[0].slice() : concat(chunks, length);
}

function readReadable(readable) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let length = 0;
    readable.on('data', (chunk) => {
      if (typeof chunk === 'string') chunk = encoder.encode(chunk);
      chunks.push(chunk);
      length += chunk.byteLength;
    });
    readable.once('end', () => {
      const bytes = concat(chunks, length);
      resolve(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes));
    });
    readable.once('error', reject);
    readable.resume();
  });
}

async function readStream(stream) {
  const reader = stream.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('Received non-Uint8Array chunk');
    chunks.push(value);
    length += value.byteLength;
  }
  return concat(chunks, length);
}

// All the bytes of a body (fresh, owned by the caller), consuming it.
function consumeBytes(state) {
  if (state === null) return Promise.resolve(new Uint8Array(0));
  if (isUnusable(state)) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
  if (state.stream === null) {
    state.consumed = true;
    if (state.readable !== null) return readReadable(state.readable);
    return readParts(state.parts);
  }
  return readStream(state.stream);
}

// UTF-8 with a leading byte order mark dropped.
function decodeText(bytes) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function mimeEssence(contentType) {
  return contentType === null ? '' : contentType.split(';')[0].trim().toLowerCase();
}

// What the body mixin's methods return, from the body's bytes and the content type.
const consumers = {
  arrayBuffer: (bytes) => bytes.buffer,
  bytes: (bytes) => bytes,
  text: decodeText,
  json: (bytes) => JSON.parse(decodeText(bytes)),
  blob: (bytes, contentType) => new Blob([bytes], { type: contentType ?? '' }),
  formData(bytes, contentType) {
    const essence = mimeEssence(contentType);
    if (essence === 'multipart/form-data') return parseMultipart(bytes, contentType);
    if (essence === 'application/x-www-form-urlencoded') return parseUrlEncoded(decodeText(bytes));
    throw new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".');
  },
};

function consumeBody(state, kind, contentType) {
  const consumer = consumers[kind];
  return consumeBytes(state).then((bytes) => consumer(bytes, contentType));
}

// Two bodies reading the same content; the original is left unread.
function cloneBody(state) {
  if (state.stream === null && state.parts !== null) return bodyFromParts(state.parts);
  const [first, second] = bodyStream(state).tee();
  state.stream = first;
  return new BodyState({ stream: second, length: state.length });
}

// The body moves to a new Request; the old one counts as used.
function takeBody(state) {
  const taken = new BodyState(state);
  state.consumed = true;
  if (state.stream !== null) state.stream = usedStream();
  return taken;
}

module.exports = {
  BodyState,
  extractBody,
  bodyFromParts,
  bodyStream,
  isStreamBody,
  isUnusable,
  isUsed,
  consumeBody,
  cloneBody,
  takeBody,
};
