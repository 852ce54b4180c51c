'use strict';

// CompressionStream and DecompressionStream: a zlib stream seen as a readable/writable
// pair of web streams.

const {
  codes: { ERR_INVALID_ARG_VALUE, ERR_INVALID_THIS },
} = require('internal/errors');
const { customInspect, inspectObject, defineToStringTag, makeEnumerable } = require('internal/webstreams/util');
const { newReadableWritablePairFromDuplex } = require('internal/webstreams/adapters');

let zlib;
function lazyZlib() {
  zlib ??= require('zlib');
  return zlib;
}

const kCompressors = {
  'deflate': () => lazyZlib().createDeflate(),
  'deflate-raw': () => lazyZlib().createDeflateRaw(),
  'gzip': () => lazyZlib().createGzip(),
  'brotli': () => lazyZlib().createBrotliCompress(),
};

// Decompressors reject trailing data after the end of the compressed stream.
const kDecompressors = {
  'deflate': () => lazyZlib().createInflate({ rejectGarbageAfterEnd: true }),
  'deflate-raw': () => lazyZlib().createInflateRaw({ rejectGarbageAfterEnd: true }),
  'gzip': () => lazyZlib().createGunzip({ rejectGarbageAfterEnd: true }),
  'brotli': () => lazyZlib().createBrotliDecompress({ rejectGarbageAfterEnd: true }),
};

function createPair(className, factories, format) {
  format = `${format}`;
  if (!Object.hasOwn(factories, format)) {
    const err = new ERR_INVALID_ARG_VALUE('format', format);
    err.message = `Failed to construct '${className}': 1st argument '${format}' is not a valid enum value of type CompressionFormat.`;
    throw err;
  }
  return newReadableWritablePairFromDuplex(factories[format]());
}

class CompressionStream {
  #pair;

  constructor(format) {
    this.#pair = createPair('CompressionStream', kCompressors, format);
  }

  get readable() {
    if (!(#pair in this)) throw new ERR_INVALID_THIS('CompressionStream');
    return this.#pair.readable;
  }

  get writable() {
    if (!(#pair in this)) throw new ERR_INVALID_THIS('CompressionStream');
    return this.#pair.writable;
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, {
      readable: this.#pair.readable,
      writable: this.#pair.writable,
    }, depth, options);
  }
}
makeEnumerable(CompressionStream.prototype, ['readable', 'writable']);
defineToStringTag(CompressionStream.prototype, 'CompressionStream');

class DecompressionStream {
  #pair;

  constructor(format) {
    this.#pair = createPair('DecompressionStream', kDecompressors, format);
  }

  get readable() {
    if (!(#pair in this)) throw new ERR_INVALID_THIS('DecompressionStream');
    return this.#pair.readable;
  }

  get writable() {
    if (!(#pair in this)) throw new ERR_INVALID_THIS('DecompressionStream');
    return this.#pair.writable;
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, {
      readable: this.#pair.readable,
      writable: this.#pair.writable,
    }, depth, options);
  }
}
makeEnumerable(DecompressionStream.prototype, ['readable', 'writable']);
defineToStringTag(DecompressionStream.prototype, 'DecompressionStream');

module.exports = { CompressionStream, DecompressionStream };
