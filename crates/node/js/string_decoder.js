'use strict';

// node:string_decoder. A decoder keeps the bytes of a character split across chunks in a
// 7-byte state buffer laid out as Node's native decoder does (inspection shows it):
// bytes 0-3 the incomplete character, 4 the bytes still missing, 5 the bytes buffered,
// 6 the encoding's number.

require('buffer');
const binding = internalBinding('buffer');
const { getEncodingOps, normalizeEncoding, utf8, ucs2 } = binding.internals;
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_THIS, ERR_UNKNOWN_ENCODING },
} = require('internal/errors');

const kNativeDecoder = Symbol('kNativeDecoder');
const kMissingBytes = 4;
const kBufferedBytes = 5;
const kEncodingField = 6;
const kEncodingNumbers = {
  __proto__: null, ascii: 0, utf8: 1, base64: 2, utf16le: 3, latin1: 4, hex: 5, base64url: 7,
};

function StringDecoder(encoding) {
  const normalized = normalizeEncoding(encoding);
  if (normalized === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  this.encoding = normalized;
  const state = Buffer.alloc(7);
  state[kEncodingField] = kEncodingNumbers[normalized];
  this[kNativeDecoder] = state;
}

function bytesOf(view) {
  if (view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

// How many bytes at the end of bytes[start, end) begin a UTF-8 character that is not
// complete yet, and how many it still misses: [buffered, missing].
function utf8Tail(bytes, start, end) {
  if ((bytes[end - 1] & 0x80) === 0) return [0, 0];
  let buffered = 0;
  for (let i = end - 1; ; i--) {
    buffered++;
    const byte = bytes[i];
    if ((byte & 0xc0) === 0x80) {
      // A continuation byte: the lead byte is further back, unless it is too far.
      if (buffered >= 4 || i === start) return [0, 0];
      continue;
    }
    let length;
    if ((byte & 0xe0) === 0xc0) length = 2;
    else if ((byte & 0xf0) === 0xe0) length = 3;
    else if ((byte & 0xf8) === 0xf0) length = 4;
    else return [0, 0];
    return buffered >= length ? [0, 0] : [buffered, length - buffered];
  }
}

function decode(decoder, state, view) {
  const ops = getEncodingOps(decoder.encoding);
  const bytes = bytesOf(view);
  let start = 0;
  const end = bytes.length;
  const splits = ops === utf8 || ops === ucs2 || decoder.encoding.startsWith('base64');
  let prefix = '';
  if (splits && state[kMissingBytes] > 0) {
    if (ops === utf8) {
      // A byte that should continue the character but does not ends it early; that byte
      // starts the next character.
      for (let i = 0; i < end && i < state[kMissingBytes]; i++) {
        if ((bytes[i] & 0xc0) !== 0x80) {
          state[kMissingBytes] = 0;
          state.set(bytes.subarray(0, i), state[kBufferedBytes]);
          state[kBufferedBytes] += i;
          start = i;
          break;
        }
      }
    }
    const found = Math.min(end - start, state[kMissingBytes]);
    state.set(bytes.subarray(start, start + found), state[kBufferedBytes]);
    start += found;
    state[kMissingBytes] -= found;
    state[kBufferedBytes] += found;
    if (state[kMissingBytes] === 0) {
      prefix = ops.slice(state, 0, state[kBufferedBytes]);
      state[kBufferedBytes] = 0;
    }
  }
  if (start >= end) return prefix;

  let buffered = 0;
  let missing = 0;
  const length = end - start;
  if (ops === utf8) {
    [buffered, missing] = utf8Tail(bytes, start, end);
  } else if (ops === ucs2) {
    if (length % 2 === 1) {
      buffered = missing = 1;
    } else if ((bytes[end - 1] & 0xfc) === 0xd8) {
      // The first half of a surrogate pair.
      buffered = missing = 2;
    }
  } else if (splits) {
    buffered = length % 3;
    if (buffered > 0) missing = 3 - buffered;
  }
  if (buffered > 0) {
    state.set(bytes.subarray(end - buffered, end), 0);
    state[kBufferedBytes] = buffered;
    state[kMissingBytes] = missing;
  }
  const bodyEnd = end - buffered;
  return bodyEnd > start ? prefix + ops.slice(bytes, start, bodyEnd) : prefix;
}

function flush(decoder, state) {
  if (decoder.encoding === 'utf16le' && state[kBufferedBytes] % 2 === 1) {
    // A lone trailing byte of UTF-16 is dropped.
    state[kMissingBytes]--;
    state[kBufferedBytes]--;
  }
  if (state[kBufferedBytes] === 0) return '';
  const text = getEncodingOps(decoder.encoding).slice(state, 0, state[kBufferedBytes]);
  state[kMissingBytes] = 0;
  state[kBufferedBytes] = 0;
  return text;
}

StringDecoder.prototype.write = function write(buf) {
  if (typeof buf === 'string') return buf;
  if (!ArrayBuffer.isView(buf)) {
    throw new ERR_INVALID_ARG_TYPE('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
  }
  const state = this[kNativeDecoder];
  if (!state) throw new ERR_INVALID_THIS('StringDecoder');
  return decode(this, state, buf);
};

StringDecoder.prototype.end = function end(buf) {
  let text = '';
  if (buf !== undefined) text = this.write(buf);
  if (this[kNativeDecoder][kBufferedBytes] > 0) text += flush(this, this[kNativeDecoder]);
  return text;
};

// Decodes buf from `offset`, forgetting any incomplete character from before.
StringDecoder.prototype.text = function text(buf, offset) {
  this[kNativeDecoder][kMissingBytes] = 0;
  this[kNativeDecoder][kBufferedBytes] = 0;
  return this.write(buf.slice(offset));
};

Object.defineProperties(StringDecoder.prototype, {
  lastChar: {
    configurable: true,
    enumerable: true,
    get() { return this[kNativeDecoder].subarray(0, kMissingBytes); },
  },
  lastNeed: {
    configurable: true,
    enumerable: true,
    get() { return this[kNativeDecoder][kMissingBytes]; },
  },
  lastTotal: {
    configurable: true,
    enumerable: true,
    get() { return this[kNativeDecoder][kBufferedBytes] + this[kNativeDecoder][kMissingBytes]; },
  },
});

module.exports = { StringDecoder };
