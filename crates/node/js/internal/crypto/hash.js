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

let lazyKeys;
const keys = () => (lazyKeys ??= require('internal/crypto/keys'));

// Digest ids by algorithm name (see digestId in src/crypto.rs); -1 for unknown names.
const digestIds = new Map();
// Output sizes by digest id, so digest() can allocate its Buffer in JS.
const digestSizes = [];
function digestIdOf(algorithm) {
  let id = digestIds.get(algorithm);
  if (id === undefined) {
    id = binding.digestId(algorithm);
    digestIds.set(algorithm, id);
    if (id !== -1) digestSizes[id] = digestInfo(algorithm)[0];
  }
  return id;
}

// Small inputs are kept (copied) until digest() so that the common
// createHash().update(x).digest() makes one native call and no native context.
const kMaxDeferred = 1024;

function Hash(algorithm, options) {
  if (!new.target) return new Hash(algorithm, options);
  const isCopy = algorithm instanceof NativeDigest;
  if (!isCopy) validateString(algorithm, 'algorithm');
  const outputLength = options != null && typeof options === 'object' ? options.outputLength : undefined;
  if (outputLength !== undefined) validateUint32(outputLength, 'options.outputLength');
  if (isCopy) {
    this[kHandle] = binding.digestCopy(algorithm.handle, outputLength);
    this[kState] = { [kFinalized]: false, id: algorithm.id, pending: undefined, outputLength };
  } else {
    const id = digestIdOf(algorithm);
    if (id === -1) throw new Error('Digest method not supported');
    // Creating the native context checks outputLength against the digest now, as Node does.
    const deferrable = outputLength === undefined;
    this[kHandle] = deferrable ? null : binding.digestNew(id, outputLength);
    this[kState] = { [kFinalized]: false, id, pending: undefined, outputLength };
  }
  LazyTransform.call(this, options);
}
Object.setPrototypeOf(Hash.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Hash, LazyTransform);

// Marks the source of Hash#copy (a handle wrapped so it can't be mistaken for a name).
function NativeDigest(handle, id) {
  this.handle = handle;
  this.id = id;
}

// The native context, made on first need; deferred input goes in first.
function nativeHandle(hash) {
  let handle = hash[kHandle];
  if (handle === null) {
    const state = hash[kState];
    handle = binding.digestNew(state.id, state.outputLength);
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
  return new Hash(new NativeDigest(nativeHandle(this), state.id), options);
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
  if (this[kHandle] === null && state.pending === undefined &&
      (typeof data === 'string' ? data.length : data.byteLength) <= kMaxDeferred) {
    // Strings are immutable; views are copied, as the caller may reuse them.
    if (typeof data === 'string') {
      state.pending = data;
    } else {
      state.pending = new Uint8Array(data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    return this;
  }
  binding.digestUpdate(nativeHandle(this), data);
  return this;
};

Hash.prototype.digest = function digest(outputEncoding) {
  const state = this[kState];
  if (state[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
  state[kFinalized] = true;
  const encoding = typeof outputEncoding === 'string' ? outputEncoding : undefined;
  const size = state.outputLength ?? digestSizes[state.id];
  const hex = smallHex(encoding, size, (bytes) => {
    if (this[kHandle] === null) {
      binding.digestOnce(state.id, state.pending ?? '', 0, undefined, bytes);
      state.pending = undefined;
    } else {
      binding.digestFinal(this[kHandle], 0, bytes);
    }
  });
  if (hex !== undefined) return hex;
  const code = outCode(encoding);
  const target = code === 0 ? new FastBuffer(size) : undefined;
  if (this[kHandle] === null) {
    const out = binding.digestOnce(state.id, state.pending ?? '', code, undefined, target);
    state.pending = undefined;
    return finishOutput(out, encoding);
  }
  return finishOutput(binding.digestFinal(this[kHandle], code, target), encoding);
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
  if (typeof input !== 'string' && !isArrayBufferView(input)) {
    throw new ERR_INVALID_ARG_TYPE('input', kDataTypes, input);
  }
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
  const normalized = outputEncoding === 'buffer' ? 'buffer' : normalizeEncoding(outputEncoding);
  if (normalized === undefined) {
    throw new ERR_INVALID_ARG_VALUE('outputEncoding', outputEncoding);
  }
  const info = digestInfo(algorithm);
  if (info === null) throw new Error(`Digest method ${algorithm} is not supported`);
  if (outputLength !== undefined && outputLength !== info[0] && !info[2]) {
    throw new Error(`Output length ${outputLength} is invalid for ${algorithm}, which does not support XOF`);
  }
  const id = digestIdOf(algorithm);
  const size = outputLength ?? digestSizes[id];
  const hex = smallHex(normalized, size, (bytes) => binding.digestOnce(id, viewBytes(input), 0, outputLength, bytes));
  if (hex !== undefined) return hex;
  const code = outCode(normalized);
  const target = code === 0 ? new FastBuffer(size) : undefined;
  const out = binding.digestOnce(id, viewBytes(input), code, outputLength, target);
  return finishOutput(out, normalized);
}

module.exports = { Hash, Hmac, hash };
