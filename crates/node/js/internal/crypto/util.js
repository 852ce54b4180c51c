'use strict';

// Shared pieces of node:crypto: the native binding, byte/encoding conversions and the
// errors Node raises from native code (plain errors with a `code` property).

const binding = internalBinding('crypto');
const { Buffer } = require('buffer');
const { FastBuffer, normalizeEncoding } = internalBinding('buffer').internals;
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_UNKNOWN_ENCODING },
} = require('internal/errors');
const types = require('internal/util/types');

const isArrayBufferView = ArrayBuffer.isView;
// util.types' brand checks throw internally on other objects, which is slow: ask
// instanceof first (ArrayBuffers from other realms are not recognised).
function isAnyArrayBuffer(value) {
  if (value instanceof ArrayBuffer) return types.isArrayBuffer(value);
  return value instanceof SharedArrayBuffer && types.isSharedArrayBuffer(value);
}

// An error as Node's C++ layer throws it: the base class, a message and an own `code`.
function nativeError(Base, code, message) {
  const err = new Base(message);
  err.code = code;
  return err;
}

const invalidKeyLength = () => nativeError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');

// Native ops read typed arrays and ArrayBuffers; a DataView goes as bytes over its range.
function viewBytes(view) {
  return view instanceof DataView ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : view;
}

// Output encodings the native side produces directly (see OutEnc in src/crypto.rs).
const kOutBytes = 0;
const kOutCodes = { __proto__: null, hex: 1, base64: 2, base64url: 3, latin1: 4, binary: 4 };

// The native output code for an encoding; 0 means "give bytes" (the caller converts).
function outCode(encoding) {
  if (encoding === 'buffer' || encoding === undefined) return kOutBytes;
  const code = kOutCodes[encoding];
  if (code !== undefined) return code;
  const normalized = normalizeEncoding(encoding);
  return (normalized && kOutCodes[normalized]) || kOutBytes;
}

// Native output (ArrayBuffer or string) as Node returns it for `encoding`.
function finishOutput(out, encoding) {
  if (typeof out === 'string') return out;
  const buf = out instanceof FastBuffer ? out : new FastBuffer(out);
  if (encoding === undefined || encoding === 'buffer') return buf;
  const normalized = normalizeEncoding(encoding);
  return normalized ? buf.toString(normalized) : buf;
}

// Digests of up to 64 bytes asked for in hex are encoded here: a short string costs less
// to build in JS than to make in native code and hand over. `digestInto(target)` fills a
// scratch buffer of the digest's size; returns the hex, or undefined to let the caller
// ask natively.
let hexPairs;
const hexScratch = [];
function smallHex(encoding, size, digestInto) {
  if (encoding !== 'hex' || !(size > 0 && size <= 64)) return undefined;
  hexPairs ??= Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
  const bytes = hexScratch[size] ??= new FastBuffer(size);
  digestInto(bytes);
  let out = '';
  for (let i = 0; i < size; i++) out += hexPairs[bytes[i]];
  return out;
}

// Input data: views pass through, strings are UTF-8 natively or converted here.
function dataFor(data, encoding) {
  if (typeof data === 'string') {
    if (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8' || encoding === 'buffer') return data;
    const normalized = normalizeEncoding(encoding);
    if (normalized === 'utf8' || normalized === undefined) return data;
    return Buffer.from(data, normalized);
  }
  return viewBytes(data);
}

// `string | ArrayBuffer | Buffer | TypedArray | DataView` for key material, salts, ...
function getArrayBufferOrView(value, name, encoding) {
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  if (typeof value === 'string') {
    if (encoding === 'buffer') encoding = 'utf8';
    return Buffer.from(value, encoding);
  }
  if (!isArrayBufferView(value)) {
    throw new ERR_INVALID_ARG_TYPE(name, ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value);
  }
  return viewBytes(value);
}

function validateEncoding(encoding) {
  if (encoding !== undefined && encoding !== 'buffer' && normalizeEncoding(encoding) === undefined) {
    throw new ERR_UNKNOWN_ENCODING(encoding);
  }
}

// The digest names OpenSSL knows, remembered per name: null when unknown.
const digestInfoCache = new Map();
function digestInfo(name) {
  let info = digestInfoCache.get(name);
  if (info === undefined) {
    info = binding.digestInfo(name) ?? null;
    digestInfoCache.set(name, info);
  }
  return info;
}

let hashesCache;
let ciphersCache;
let curvesCache;
const getHashes = () => (hashesCache ??= binding.getHashes()).slice();
const getCiphers = () => (ciphersCache ??= binding.getCiphers()).slice();
const getCurves = () => (curvesCache ??= binding.getCurves()).slice();

// Brands util.types.isKeyObject / isCryptoKey can test without loading crypto.
const kKeyObjectBrand = Symbol.for('ferro.crypto.KeyObject');
const kCryptoKeyBrand = Symbol.for('ferro.crypto.CryptoKey');

module.exports = {
  binding,
  isAnyArrayBuffer,
  isArrayBufferView,
  FastBuffer,
  nativeError,
  invalidKeyLength,
  outCode,
  finishOutput,
  smallHex,
  dataFor,
  viewBytes,
  getArrayBufferOrView,
  validateEncoding,
  normalizeEncoding,
  digestInfo,
  getHashes,
  getCiphers,
  getCurves,
  kKeyObjectBrand,
  kCryptoKeyBrand,
};
