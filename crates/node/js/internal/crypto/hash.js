'use strict';

// Hash, Hmac and crypto.hash(): streaming digests over native EVP contexts.

const {
  binding, FastBuffer, outCode, finishOutput, smallHex, dataFor, viewBytes, normalizeEncoding, digestInfo,
} = require('internal/crypto/util');
const { LazyTransform } = require('internal/crypto/lazy_transform');
const {
  codes: {
    ERR_CRYPTO_HASH_FINALIZED, ERR_CRYPTO_INVALID_DIGEST,
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE,
  },
  validators: { validateString, validateUint32 },
} = require('internal/errors');
const { isArrayBufferView } = require('internal/crypto/util');

const kHandle = Symbol('kHandle');
const kState = Symbol('kState');
const kFinalized = Symbol('kFinalized');
const kDataTypes = ['string', 'Buffer', 'TypedArray', 'DataView'];
// Captured at load, as user code may replace the prototype's method.
const TypedArrayPrototypeToBase64 = Uint8Array.prototype.toBase64;

let lazyKeys;
const keys = () => (lazyKeys ??= require('internal/crypto/keys'));

// What hashing needs of a digest, by algorithm name: its id for the native ops (see
// digestId in src/crypto.rs), its default output size and whether it is an XOF; null for
// names OpenSSL doesn't know.
const digests = new Map();
// The last lookup, as a program usually hashes with one algorithm.
let lastAlgorithm;
let lastDigest;
function digestOf(algorithm) {
  if (algorithm === lastAlgorithm) return lastDigest;
  let digest = digests.get(algorithm);
  if (digest === undefined) {
    const info = digestInfo(algorithm);
    digest = info === null ? null : { id: binding.digestId(algorithm), size: info[0], xof: info[2] };
    digests.set(algorithm, digest);
  }
  lastAlgorithm = algorithm;
  lastDigest = digest;
  return digest;
}

// Strings, and views of up to kMaxShort bytes, are hashed in one native call that takes
// its arguments from memory shared with the native side (see digest_short in
// src/crypto.rs), as a native call's argument conversions cost more than hashing a short
// input: cell 0 takes the digest id, cell 1 the input length, cell 2 is 1 to get the
// digest back as hex; the input goes at byte kShortInputAt and the digest comes back at
// byte kShortOutputAt.
const shortCells = binding.digestScratch;
const shortBytes = new Uint8Array(shortCells.buffer);
const kShortOutputAt = 24;
const kShortInputAt = 88;
const kMaxShort = 1024;

// Copies a typed array's bytes to the scratch input; false when it is too long.
function putShortView(view) {
  const length = view.byteLength;
  if (length > kMaxShort) return false;
  // Uint8Arrays copy as bytes; other element types are viewed as bytes first.
  const bytes = view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, length);
  shortBytes.set(bytes, kShortInputAt);
  shortCells[1] = length;
  return true;
}

// Views of the scratch digest by size.
const shortOutputs = [];
function shortOutput(size) {
  return (shortOutputs[size] ??= new FastBuffer(shortCells.buffer, kShortOutputAt, size));
}

// Hashes `string` (its UTF-8 bytes), or else the scratch input, and returns the digest
// (its default size) as `encoding` asks (undefined or 'buffer' for a Buffer).
function shortDigest(digest, encoding, string) {
  shortCells[0] = digest.id;
  if (encoding === 'hex') {
    shortCells[2] = 1;
    return string === undefined ? binding.digestShort() : binding.digestShort(string);
  }
  shortCells[2] = 0;
  if (string === undefined) binding.digestShort();
  else binding.digestShort(string);
  const output = shortOutput(digest.size);
  // The engine's toBase64 makes the string for less than a native call.
  if (encoding === 'base64') return TypedArrayPrototypeToBase64.call(output);
  return finishOutput(new FastBuffer(output), encoding);
}

function Hash(algorithm, options) {
  if (!new.target) return new Hash(algorithm, options);
  const isCopy = algorithm instanceof NativeDigest;
  if (!isCopy) validateString(algorithm, 'algorithm');
  const outputLength = options != null && typeof options === 'object' ? options.outputLength : undefined;
  if (outputLength !== undefined) validateUint32(outputLength, 'options.outputLength');
  if (isCopy) {
    this[kHandle] = binding.digestCopy(algorithm.handle, outputLength);
    this[kState] = { [kFinalized]: false, digest: algorithm.digest, pending: undefined, outputLength };
  } else {
    const digest = digestOf(algorithm);
    if (digest === null) throw new Error('Digest method not supported');
    // Creating the native context checks outputLength against the digest now, as Node does.
    const deferrable = outputLength === undefined;
    this[kHandle] = deferrable ? null : binding.digestNew(digest.id, outputLength);
    this[kState] = { [kFinalized]: false, digest, pending: undefined, outputLength };
  }
  LazyTransform.call(this, options);
}
Object.setPrototypeOf(Hash.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Hash, LazyTransform);

// Marks the source of Hash#copy (a handle wrapped so it can't be mistaken for a name).
function NativeDigest(handle, digest) {
  this.handle = handle;
  this.digest = digest;
}

// The native context, made on first need; deferred input goes in first.
function nativeHandle(hash) {
  let handle = hash[kHandle];
  if (handle === null) {
    const state = hash[kState];
    handle = binding.digestNew(state.digest.id, state.outputLength);
    if (state.pending !== undefined) {
      binding.digestUpdate(handle, state.pending);
      state.pending = undefined;
    }
    hash[kHandle] = handle;
  }
  return handle;
}

Hash.prototype.copy = function copy(options) {
  const state = this[kState];
  if (state[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
  return new Hash(new NativeDigest(nativeHandle(this), state.digest), options);
};

Hash.prototype._transform = function _transform(chunk, encoding, callback) {
  this.update(chunk, encoding);
  callback();
};

Hash.prototype._flush = function _flush(callback) {
  this.push(this.digest());
  callback();
};

Hash.prototype.update = function update(data, encoding) {
  const state = this[kState];
  if (state[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
  if (typeof data === 'string') {
    data = dataFor(data, encoding);
  } else if (isArrayBufferView(data)) {
    data = viewBytes(data);
  } else {
    throw new ERR_INVALID_ARG_TYPE('data', kDataTypes, data);
  }
  // A first string, or view of up to kMaxShort bytes, is kept until the next call, so that
  // the common createHash().update(x).digest() makes one native call and no native context.
  if (this[kHandle] === null && state.pending === undefined) {
    // Strings are immutable; views are copied, as the caller may reuse them.
    if (typeof data === 'string') {
      state.pending = data;
      return this;
    }
    if (data.byteLength <= kMaxShort) {
      state.pending = new Uint8Array(data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return this;
    }
  }
  binding.digestUpdate(nativeHandle(this), data);
  return this;
};

Hash.prototype.digest = function digest(outputEncoding) {
  const state = this[kState];
  if (state[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
  state[kFinalized] = true;
  const encoding = typeof outputEncoding === 'string' ? outputEncoding : undefined;
  const handle = this[kHandle];
  const { digest, pending } = state;
  state.pending = undefined;
  if (handle === null) {
    // At most one short input was deferred (see update): one native call does it all.
    if (typeof pending === 'string') return shortDigest(digest, encoding, pending);
    if (pending === undefined) shortCells[1] = 0;
    else putShortView(pending);
    return shortDigest(digest, encoding);
  }
  const size = state.outputLength ?? digest.size;
  const hex = smallHex(encoding, size, (bytes) => binding.digestFinal(handle, 0, bytes));
  if (hex !== undefined) return hex;
  const code = outCode(encoding);
  return finishOutput(binding.digestFinal(handle, code, code === 0 ? new FastBuffer(size) : undefined), encoding);
};

function Hmac(hmac, key, options) {
  if (!new.target) {
    return new Hmac(hmac, key, options);
  }
  validateString(hmac, 'hmac');
  const encoding = options != null && typeof options === 'object' ? options.encoding : undefined;
  const keyBytes = keys().prepareSecretKey(key, encoding);
  const handle = binding.hmacNew(hmac, keyBytes);
  if (handle === undefined) throw new ERR_CRYPTO_INVALID_DIGEST(hmac);
  this[kHandle] = handle;
  this[kState] = { [kFinalized]: false, size: digestInfo(hmac)[0] };
  LazyTransform.call(this, options);
}
Object.setPrototypeOf(Hmac.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Hmac, LazyTransform);

Hmac.prototype.update = function update(data, encoding) {
  if (this[kState][kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
  if (typeof data === 'string') {
    binding.hmacUpdate(this[kHandle], dataFor(data, encoding));
  } else if (isArrayBufferView(data)) {
    binding.hmacUpdate(this[kHandle], viewBytes(data));
  } else {
    throw new ERR_INVALID_ARG_TYPE('data', kDataTypes, data);
  }
  return this;
};

// A second digest() gives an empty result rather than throwing, as in Node.
Hmac.prototype.digest = function digest(outputEncoding) {
  const state = this[kState];
  const encoding = typeof outputEncoding === 'string' ? outputEncoding : undefined;
  if (state[kFinalized]) {
    const empty = new FastBuffer();
    return encoding === undefined || encoding === 'buffer' ? empty : empty.toString(encoding);
  }
  state[kFinalized] = true;
  const hex = smallHex(encoding, state.size, (bytes) => binding.hmacFinal(this[kHandle], 0, bytes));
  if (hex !== undefined) return hex;
  const code = outCode(encoding);
  return finishOutput(binding.hmacFinal(this[kHandle], code, code === 0 ? new FastBuffer(state.size) : undefined), encoding);
};

Hmac.prototype._flush = function _flush(callback) {
  this.push(this.digest());
  callback();
};
Hmac.prototype._transform = function _transform(chunk, encoding, callback) {
  binding.hmacUpdate(this[kHandle], dataFor(chunk, encoding));
  callback();
};

// crypto.hash(algorithm, input, outputEncoding | { outputEncoding, outputLength })
function hash(algorithm, input, options = 'hex') {
  validateString(algorithm, 'algorithm');
  const isString = typeof input === 'string';
  if (!isString && !isArrayBufferView(input)) {
    throw new ERR_INVALID_ARG_TYPE('input', kDataTypes, input);
  }
  // The common call, kept small: a known digest of a string or short view, in hex (the
  // default) or as a Buffer.
  if (options === 'hex' || options === 'buffer') {
    const digest = digestOf(algorithm);
    if (digest !== null) {
      if (isString) return shortDigest(digest, options, input);
      if (putShortView(viewBytes(input))) return shortDigest(digest, options);
    }
  }
  return hashWithOptions(algorithm, input, isString, options);
}

function hashWithOptions(algorithm, input, isString, options) {
  let outputEncoding = options;
  let outputLength;
  if (typeof options === 'object' && options !== null) {
    outputEncoding = options.outputEncoding ?? 'hex';
    outputLength = options.outputLength;
    if (outputLength !== undefined && typeof outputLength !== 'number') {
      throw new ERR_INVALID_ARG_TYPE('outputLength', 'number', outputLength);
    }
    if (outputLength !== undefined) validateUint32(outputLength, 'outputLength');
  } else if (typeof options !== 'string') {
    throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
  }
  validateString(outputEncoding, 'outputEncoding');
  const encoding = outputEncoding === 'buffer' ? 'buffer' : normalizeEncoding(outputEncoding);
  if (encoding === undefined) {
    throw new ERR_INVALID_ARG_VALUE('outputEncoding', outputEncoding);
  }
  const digest = digestOf(algorithm);
  if (digest === null) throw new Error(`Digest method ${algorithm} is not supported`);
  const size = outputLength ?? digest.size;
  const data = isString ? input : viewBytes(input);
  if (size !== digest.size) {
    if (!digest.xof) {
      throw new Error(`Output length ${outputLength} is invalid for ${algorithm}, which does not support XOF`);
    }
  } else if (isString) {
    return shortDigest(digest, encoding, input);
  } else if (putShortView(data)) {
    return shortDigest(digest, encoding);
  }
  const hex = smallHex(encoding, size, (bytes) => binding.digestOnce(digest.id, data, 0, outputLength, bytes));
  if (hex !== undefined) return hex;
  const code = outCode(encoding);
  const target = code === 0 ? new FastBuffer(size) : undefined;
  return finishOutput(binding.digestOnce(digest.id, data, code, outputLength, target), encoding);
}

module.exports = { Hash, Hmac, hash };
