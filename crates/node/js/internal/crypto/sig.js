'use strict';

// Sign / Verify streams and crypto.sign / crypto.verify. Data is collected in JS and
// signed in one native call (OpenSSL's one-shot signing covers Ed25519 as well).

const { binding, FastBuffer, nativeError, viewBytes, digestInfo, finishOutput } = require('internal/crypto/util');
const { LazyTransform } = require('internal/crypto/lazy_transform');
const { prepareAsymmetricKey, isKeyObject, isCryptoKey, handleOf, kKeyObjectOf } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  codes: { ERR_CRYPTO_SIGN_KEY_REQUIRED, ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE },
  validators: { validateString, validateFunction },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const kState = Symbol('kState');
const kBufferTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

function optionInt(options, name) {
  const value = options?.[name];
  if (value === undefined) return undefined;
  if (value !== (value | 0)) throw new ERR_INVALID_ARG_VALUE(`options.${name}`, value);
  return value;
}

// { padding, saltLength, dsaEncoding } of a key given as an options object.
function signOptions(key) {
  const options = typeof key === 'object' && key !== null && !isArrayBufferView(key) && !isAnyArrayBuffer(key) &&
    !isKeyObject(key) && !isCryptoKey(key) ? key : undefined;
  const padding = optionInt(options, 'padding');
  const saltLength = optionInt(options, 'saltLength');
  const dsaEncoding = options?.dsaEncoding ?? 'der';
  if (dsaEncoding !== 'der' && dsaEncoding !== 'ieee-p1363') {
    throw new ERR_INVALID_ARG_VALUE('options.dsaEncoding', dsaEncoding);
  }
  return { padding, saltLength, p1363: dsaEncoding === 'ieee-p1363' };
}

function bytesOf(data, encoding) {
  if (typeof data === 'string') return Buffer.from(data, encoding === 'buffer' ? 'utf8' : encoding);
  if (isAnyArrayBuffer(data)) return new Uint8Array(data);
  return viewBytes(data);
}

function keyTypeOf(handle) {
  return binding.keyInfo(handle)[0];
}

function Sign(algorithm, options) {
  if (!new.target) return new Sign(algorithm, options);
  validateString(algorithm, 'algorithm');
  if (digestInfo(algorithm) === null) throw nativeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest');
  Object.defineProperty(this, kState, { __proto__: null, value: { algorithm, chunks: [], done: false }, writable: true });
  LazyTransform.call(this, options);
}
Object.setPrototypeOf(Sign.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Sign, LazyTransform);

function update(data, encoding) {
  if (typeof data !== 'string' && !isArrayBufferView(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  const state = this[kState];
  if (state.done) throw nativeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Not initialised');
  // Copied: the caller may reuse its buffer before sign().
  state.chunks.push(Buffer.from(bytesOf(data, encoding)));
  return this;
}

function _write(chunk, encoding, callback) {
  this.update(chunk, encoding);
  callback();
}

Sign.prototype.update = update;
Sign.prototype._write = _write;

Sign.prototype.sign = function sign(privateKey, outputEncoding) {
  if (!privateKey) throw new ERR_CRYPTO_SIGN_KEY_REQUIRED();
  const state = this[kState];
  if (state.done) throw nativeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Not initialised');
  const options = signOptions(privateKey);
  const handle = prepareAsymmetricKey(privateKey, true);
  const type = keyTypeOf(handle);
  if (type === 'ed25519' || type === 'ed448') {
    throw nativeError(Error, 'ERR_CRYPTO_UNSUPPORTED_OPERATION', 'Unsupported crypto operation');
  }
  state.done = true;
  const signature = binding.sign(handle, Buffer.concat(state.chunks), state.algorithm, options.padding, options.saltLength, options.p1363);
  return finishOutput(signature, typeof outputEncoding === 'string' ? outputEncoding : undefined);
};

function Verify(algorithm, options) {
  if (!new.target) return new Verify(algorithm, options);
  validateString(algorithm, 'algorithm');
  if (digestInfo(algorithm) === null) throw nativeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest');
  Object.defineProperty(this, kState, { __proto__: null, value: { algorithm, chunks: [], done: false }, writable: true });
  LazyTransform.call(this, options);
}
Object.setPrototypeOf(Verify.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Verify, LazyTransform);
Verify.prototype.update = update;
Verify.prototype._write = _write;

function signatureBytes(signature, encoding) {
  if (typeof signature !== 'string' && !isArrayBufferView(signature) && !isAnyArrayBuffer(signature)) {
    throw new ERR_INVALID_ARG_TYPE('signature', kBufferTypes, signature);
  }
  return bytesOf(signature, encoding);
}

Verify.prototype.verify = function verify(object, signature, sigEncoding) {
  const state = this[kState];
  if (state.done) throw nativeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Not initialised');
  const options = signOptions(object);
  const handle = prepareAsymmetricKey(object, false);
  const sig = signatureBytes(signature, sigEncoding);
  const type = keyTypeOf(handle);
  if (type === 'ed25519' || type === 'ed448') {
    throw nativeError(Error, 'ERR_CRYPTO_UNSUPPORTED_OPERATION', 'Unsupported crypto operation');
  }
  state.done = true;
  return binding.verify(handle, Buffer.concat(state.chunks), sig, state.algorithm, options.padding, options.saltLength, options.p1363);
};

function createSign(algorithm, options) {
  return new Sign(algorithm, options);
}

function createVerify(algorithm, options) {
  return new Verify(algorithm, options);
}

function checkData(data) {
  if (typeof data !== 'string' && !isArrayBufferView(data) && !isAnyArrayBuffer(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', kBufferTypes, data);
  }
  return bytesOf(data);
}

function signOneShot(algorithm, data, key, callback) {
  if (algorithm != null) validateString(algorithm, 'algorithm');
  if (callback !== undefined) validateFunction(callback, 'callback');
  data = checkData(data);
  if (!key) throw new ERR_CRYPTO_SIGN_KEY_REQUIRED();
  const options = signOptions(key);
  const handle = prepareAsymmetricKey(key, true);
  let signature;
  try {
    signature = new FastBuffer(binding.sign(handle, data, algorithm ?? undefined, options.padding, options.saltLength, options.p1363));
  } catch (err) {
    if (callback === undefined) throw err;
    process.nextTick(callback, err);
    return;
  }
  if (callback === undefined) return signature;
  process.nextTick(callback, null, signature);
}

function verifyOneShot(algorithm, data, key, signature, callback) {
  if (algorithm != null) validateString(algorithm, 'algorithm');
  if (callback !== undefined) validateFunction(callback, 'callback');
  data = checkData(data);
  const options = signOptions(key);
  const handle = prepareAsymmetricKey(key, false);
  const sig = signatureBytes(signature);
  let result;
  try {
    result = binding.verify(handle, data, sig, algorithm ?? undefined, options.padding, options.saltLength, options.p1363);
  } catch (err) {
    if (callback === undefined) throw err;
    process.nextTick(callback, err);
    return;
  }
  if (callback === undefined) return result;
  process.nextTick(callback, null, result);
}

module.exports = { Sign, Verify, createSign, createVerify, signOneShot, verifyOneShot };
