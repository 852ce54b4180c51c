'use strict';

// What the HTTP client and server share: the native parser, token and header-value
// validation, and the rules for headers' names.

const binding = internalBinding('http');
require('buffer'); // defines the buffer binding's internals
const { FastBuffer } = internalBinding('buffer').internals;

const REQUEST = 0;
const RESPONSE = 1;

// A parser bound to one connection. The native side calls its `onHeaders`, `onBody`
// and `onComplete` (with the raw trailers of a chunked message, if any) fields.
class HTTPParser {
  // `maxHeaders`: more headers than that fail as a header overflow (0: no such limit).
  constructor(kind, maxHeaderSize, maxHeaders = 0) {
    this.handle = binding.createParser(kind, maxHeaderSize, this, maxHeaders);
    this.onHeaders = null;
    this.onBody = null;
    this.onComplete = null;
    // The bytes being executed: body chunks are slices of them.
    this.input = null;
  }

  execute(bytes) {
    this.input = bytes;
    try {
      return binding.execute(this.handle, bytes);
    } finally {
      this.input = null;
    }
  }

  finish() {
    return binding.finish(this.handle);
  }

  // A Node-shaped parse error: `Parse Error: <reason>` with code `HPE_*`. `socketData`:
  // the bytes being parsed (an ArrayBuffer or a Buffer).
  error(socketData) {
    const [code, reason, bytesParsed] = binding.lastError(this.handle) ?? ['HPE_INTERNAL', 'Internal error', 0];
    const err = new Error(`Parse Error: ${reason}`);
    err.bytesParsed = bytesParsed;
    err.code = code;
    err.reason = reason;
    if (socketData) err.rawPacket = inputSlice(socketData, 0, socketData.byteLength);
    return err;
  }

  close() {
    binding.close(this.handle);
  }
}

// Where the parts of a head are in the head string (see src/http.rs): method, url and
// status text, then name and value of each header, as start/end pairs.
const offsets = binding.offsets;
const kFlagUpgrade = 1;
const kFlagKeepAlive = 2;
const kFlagComplete = 4;
const kFlagHost = 8;
const kFlagExpect = 16;

function onHeadersNative(parser, head, minor, statusCode, flags, count) {
  const rawHeaders = new Array(count * 2);
  for (let i = 0, o = 6; i < rawHeaders.length; i++, o += 2) {
    rawHeaders[i] = head.slice(offsets[o], offsets[o + 1]);
  }
  const method = statusCode === 0 ? head.slice(offsets[0], offsets[1]) : undefined;
  const url = statusCode === 0 ? head.slice(offsets[2], offsets[3]) : undefined;
  const statusMessage = statusCode === 0 ? undefined : head.slice(offsets[4], offsets[5]);
  const skipBody = parser.onHeaders(1, minor, rawHeaders, method, url, statusCode, statusMessage,
    (flags & kFlagUpgrade) !== 0, (flags & kFlagKeepAlive) !== 0, flags);
  if (flags & kFlagComplete) parser.onComplete(undefined);
  return skipBody;
}

// A piece of the bytes being executed, as a Buffer.
function inputSlice(input, start, end) {
  return input instanceof ArrayBuffer ? new FastBuffer(input, start, end - start) : input.subarray(start, end);
}

binding.setHttpCallbacks(
  onHeadersNative,
  (parser, start, end) => parser.onBody(inputSlice(parser.input, start, end)),
  (parser, trailers) => parser.onComplete(trailers),
);

const tokenRegExp = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
// RFC 7230 token characters.
function checkIsHttpToken(val) {
  return tokenRegExp.test(val);
}

const headerCharRegex = /[^\t\x20-\x7e\x80-\xff]/;
// Whether a header value contains a character HTTP forbids (controls other than tab).
function checkInvalidHeaderChar(val) {
  return headerCharRegex.test(val);
}

const chunkExpression = /(?:^|\W)chunked(?:$|\W)/i;
const continueExpression = /(?:^|\W)100-continue(?:$|\W)/i;

// The default header limit: 16 KiB, or --max-http-header-size=N from the command line
// (which wins) or NODE_OPTIONS.
const kMaxHeaderSize = (() => {
  const flags = [...(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...process.execArgv];
  for (let i = flags.length - 1; i >= 0; i--) {
    if (!flags[i].startsWith('--max-http-header-size=')) continue;
    const size = Number(flags[i].slice('--max-http-header-size='.length));
    if (Number.isInteger(size) && size >= 0) return size;
  }
  return 16384;
})();

module.exports = {
  kMaxHeaderSize,
  kFlagHost,
  kFlagExpect,
  inputSlice,
  HTTPParser,
  REQUEST,
  RESPONSE,
  methods: binding.methods,
  checkIsHttpToken,
  checkInvalidHeaderChar,
  chunkExpression,
  continueExpression,
  // Node's names for the same things.
  CRLF: '\r\n',
  _checkIsHttpToken: checkIsHttpToken,
  _checkInvalidHeaderChar: checkInvalidHeaderChar,
};
