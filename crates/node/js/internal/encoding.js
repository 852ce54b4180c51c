'use strict';

// TextEncoder and TextDecoder (WHATWG Encoding) over the buffer ops. The decoder knows
// UTF-8, UTF-16LE, UTF-16BE and windows-1252 (which the labels latin1, ascii, ... name).

require('buffer');
const binding = internalBinding('buffer');
const { utf8, ucs2, latin1 } = binding.internals;
const {
  codes: { ERR_ENCODING_NOT_SUPPORTED, ERR_INVALID_ARG_TYPE, ERR_INVALID_THIS },
  validators: { validateObject, validateString },
} = require('internal/errors');
const { isAnyArrayBuffer } = require('internal/util/types');

const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const kSmallString = 32;
const kEmpty = new Uint8Array(0);

let inspectModule;
function lazyInspect() {
  inspectModule ??= require('internal/util/inspect');
  return inspectModule.inspect;
}

// The options to inspect the fields of an object one level down with.
function nestedOptions(options) {
  return { ...options, depth: options.depth == null ? null : options.depth - 1 };
}

// --- TextEncoder ------------------------------------------------------------------------

let isEncoder;

class TextEncoder {
  #brand;

  static {
    isEncoder = (value) => typeof value === 'object' && value !== null && #brand in value;
  }

  get encoding() {
    validateEncoder(this);
    return 'utf-8';
  }

  encode(input = '') {
    validateEncoder(this);
    input = `${input}`;
    const len = input.length;
    if (len <= kSmallString) {
      const bytes = new Uint8Array(len);
      let i = 0;
      while (i < len) {
        const code = input.charCodeAt(i);
        if (code > 0x7f) break;
        bytes[i++] = code;
      }
      if (i === len) return bytes;
    }
    return binding.utf8Encode(input);
  }

  encodeInto(src, dest) {
    validateEncoder(this);
    validateString(src, 'src');
    if (!(dest instanceof Uint8Array)) throw new ERR_INVALID_ARG_TYPE('dest', 'Uint8Array', dest);
    const [read, written] = binding.utf8EncodeInto(src, dest);
    return { read, written };
  }

  [customInspectSymbol](depth, options) {
    if (typeof depth === 'number' && depth < 0) return options.stylize('[TextEncoder]', 'special');
    return lazyInspect()({ encoding: this.encoding }, nestedOptions(options));
  }
}
function validateEncoder(value) {
  if (!isEncoder(value)) throw new ERR_INVALID_THIS('TextEncoder');
}
Object.defineProperties(TextEncoder.prototype, {
  encode: { enumerable: true },
  encodeInto: { enumerable: true },
  encoding: { enumerable: true },
  [Symbol.toStringTag]: { value: 'TextEncoder', configurable: true },
});

// --- TextDecoder ------------------------------------------------------------------------

const encodingLabels = {
  'utf-8': ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8',
    'x-unicode20utf8'],
  'utf-16le': ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16',
    'utf-16le'],
  'utf-16be': ['unicodefffe', 'utf-16be'],
  'windows-1252': ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819',
    'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1',
    'latin1', 'us-ascii', 'windows-1252', 'x-cp1252'],
};
const encodingByLabel = Object.create(null);
for (const [encoding, labels] of Object.entries(encodingLabels)) {
  for (const label of labels) encodingByLabel[label] = encoding;
}

// A label names its encoding ignoring case and surrounding ASCII whitespace.
function encodingForLabel(label) {
  return encodingByLabel[`${label}`.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase()];
}

// windows-1252 differs from latin1 in 0x80-0x9F.
const windows1252High = '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160' +
  '\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122' +
  '\u0161\u203a\u0153\x9d\u017e\u0178';

const kFatal = 2;
const kIgnoreBOM = 4;
const kFlags = Symbol('flags');
const kHandle = Symbol('handle');

// The handle Node's UTF-16 decoders show with showHidden.
class Converter {}

function invalidData(encoding) {
  const err = new TypeError(`The encoded data was not valid for encoding ${encoding}`);
  err.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
  return err;
}

function bytesOf(input) {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (isAnyArrayBuffer(input)) return new Uint8Array(input);
  const err = new TypeError('The "list" argument must be an instance of SharedArrayBuffer, ' +
    'ArrayBuffer or ArrayBufferView.');
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

function concatBytes(a, b) {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// How many bytes at the end are a valid but unfinished UTF-8 sequence, kept for the next
// chunk when streaming.
function utf8PendingLength(bytes) {
  const len = bytes.length;
  for (let k = 1; k <= 3 && k <= len; k++) {
    const lead = bytes[len - k];
    if (lead >= 0x80 && lead <= 0xbf) continue;
    const needed = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 :
      lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
    if (needed <= k) return 0;
    if (k >= 2) {
      // The second byte's range depends on the lead byte (no overlongs, surrogates or
      // code points past U+10FFFF).
      const second = bytes[len - k + 1];
      const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
      if (second < low || second > high) return 0;
    }
    return k;
  }
  return 0;
}

// How many bytes at the end of UTF-16 (in `littleEndian` order) wait for the rest of
// their character: an odd byte, or a leading surrogate.
function utf16PendingLength(bytes, littleEndian) {
  let pending = bytes.length % 2;
  const end = bytes.length - pending;
  if (end >= 2) {
    const high = littleEndian ? bytes[end - 1] : bytes[end - 2];
    if ((high & 0xfc) === 0xd8) pending += 2;
  }
  return pending;
}

function decodeUtf16(bytes, littleEndian, fatal, encoding) {
  let units = bytes;
  if (!littleEndian) {
    units = new Uint8Array(bytes);
    binding.swap(units, 2);
  }
  let text = ucs2.slice(units, 0, units.length - (units.length % 2));
  if (fatal) {
    if (units.length % 2 !== 0 || !text.isWellFormed()) throw invalidData(encoding);
  } else {
    text = text.toWellFormed();
    if (units.length % 2 !== 0) text += '\ufffd';
  }
  return text;
}

let stateOf;

class TextDecoder {
  // { encoding, flags, pending: bytes held back while streaming, bomSeen }
  #state;

  static {
    stateOf = (decoder) => {
      if (typeof decoder !== 'object' || decoder === null || !(#state in decoder)) {
        throw new ERR_INVALID_THIS('TextDecoder');
      }
      return decoder.#state;
    };
  }

  constructor(encoding = 'utf-8', options = {}) {
    const name = encodingForLabel(encoding);
    if (name === undefined) throw new ERR_ENCODING_NOT_SUPPORTED(`${encoding}`);
    if (options !== null) validateObject(options, 'options', 0);
    const flags = (options?.fatal ? kFatal : 0) | (options?.ignoreBOM ? kIgnoreBOM : 0);
    this.#state = { encoding: name, flags, pending: kEmpty, bomSeen: false };
  }

  decode(input = kEmpty, options = undefined) {
    const state = stateOf(this);
    if (options != null) validateObject(options, 'options', 0);
    const stream = Boolean(options?.stream);
    const fatal = (state.flags & kFatal) !== 0;
    let bytes = concatBytes(state.pending, bytesOf(input));
    state.pending = kEmpty;

    let text;
    switch (state.encoding) {
      case 'utf-8': {
        if (stream) {
          const pending = utf8PendingLength(bytes);
          if (pending > 0) {
            state.pending = bytes.slice(bytes.length - pending);
            bytes = bytes.subarray(0, bytes.length - pending);
          }
        }
        if (fatal && !binding.isUtf8(bytes)) {
          resetStream(state);
          throw invalidData('utf-8');
        }
        text = utf8.slice(bytes, 0, bytes.length);
        break;
      }
      case 'utf-16le':
      case 'utf-16be': {
        const littleEndian = state.encoding === 'utf-16le';
        if (stream) {
          const pending = utf16PendingLength(bytes, littleEndian);
          if (pending > 0) {
            state.pending = bytes.slice(bytes.length - pending);
            bytes = bytes.subarray(0, bytes.length - pending);
          }
        }
        try {
          text = decodeUtf16(bytes, littleEndian, fatal, state.encoding);
        } catch (err) {
          resetStream(state);
          throw err;
        }
        break;
      }
      default:
        text = latin1.slice(bytes, 0, bytes.length);
        if (state.encoding === 'windows-1252') {
          text = text.replace(/[\x80-\x9f]/g, (c) => windows1252High[c.charCodeAt(0) - 0x80]);
        }
    }

    // A byte order mark is dropped at the start of a stream, for the Unicode encodings.
    if (!state.bomSeen && text.length > 0) {
      state.bomSeen = true;
      if (text.charCodeAt(0) === 0xfeff && (state.flags & kIgnoreBOM) === 0 &&
          state.encoding !== 'windows-1252') {
        text = text.slice(1);
      }
    }
    if (!stream) resetStream(state);
    return text;
  }

  get encoding() {
    return stateOf(this).encoding;
  }

  get fatal() {
    return (stateOf(this).flags & kFatal) !== 0;
  }

  get ignoreBOM() {
    return (stateOf(this).flags & kIgnoreBOM) !== 0;
  }

  [customInspectSymbol](depth, options) {
    const name = this.constructor?.name ?? 'TextDecoder';
    if (typeof depth === 'number' && depth < 0) return options.stylize(`[${name}]`, 'special');
    const fields = { encoding: this.encoding, fatal: this.fatal, ignoreBOM: this.ignoreBOM };
    if (options.showHidden) {
      const state = stateOf(this);
      fields[kFlags] = state.flags;
      fields[kHandle] = state.encoding.startsWith('utf-16') ? new Converter() : undefined;
    }
    return `${name} ${lazyInspect()(fields, nestedOptions(options))}`;
  }
}

function resetStream(state) {
  state.pending = kEmpty;
  state.bomSeen = false;
}

Object.defineProperties(TextDecoder.prototype, {
  decode: { enumerable: true },
  encoding: { enumerable: true },
  fatal: { enumerable: true },
  ignoreBOM: { enumerable: true },
  [Symbol.toStringTag]: { value: 'TextDecoder', configurable: true },
});

module.exports = { TextEncoder, TextDecoder };
