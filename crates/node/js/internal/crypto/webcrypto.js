'use strict';

// Web Crypto: the Crypto object behind globalThis.crypto, CryptoKey and SubtleCrypto.
// SubtleCrypto covers digest, HMAC, AES-GCM/CBC/CTR/KW-free symmetric encryption, PBKDF2
// and HKDF, with raw and JWK import/export of secret keys; other algorithms reject with
// NotSupportedError. Operations run on the synchronous native ops and settle a promise.

const { binding, FastBuffer, viewBytes, isAnyArrayBuffer, isArrayBufferView, kCryptoKeyBrand } = require('internal/crypto/util');
const random = require('internal/crypto/random');
const { SecretKeyObject, kKeyObjectOf, kHandle } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  codes: { ERR_INVALID_THIS, ERR_ILLEGAL_CONSTRUCTOR },
} = require('internal/errors');

let lazyDOMException;
function domException(message, name) {
  lazyDOMException ??= require('internal/dom_exception').DOMException;
  return new lazyDOMException(message, name);
}

function codedTypeError(code, message) {
  const err = new TypeError(message);
  err.code = code;
  return err;
}

const kDigests = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const kDigestBits = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const kAlgorithms = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'HMAC', 'AES-GCM', 'AES-CBC', 'AES-CTR', 'PBKDF2', 'HKDF'];
const kJwkHmac = { 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' };

// --- argument normalization (WebIDL) ----------------------------------------------

function requireArgs(method, count, given) {
  if (given < count) {
    throw codedTypeError('ERR_MISSING_ARGS',
      `Failed to execute '${method}' on 'SubtleCrypto': ${count} arguments required, but only ${given} present.`);
  }
}

const kOrdinals = ['1st', '2nd', '3rd', '4th', '5th'];
function bufferSource(value, method, index) {
  if (isArrayBufferView(value)) return viewBytes(value);
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  throw codedTypeError('ERR_INVALID_ARG_TYPE',
    `Failed to execute '${method}' on 'SubtleCrypto': ${kOrdinals[index]} argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
}

function copyBytes(view) {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

// { name, ...params } with the name in its registered spelling.
function normalizeAlgorithm(algorithm) {
  if (typeof algorithm === 'string') algorithm = { name: algorithm };
  if (typeof algorithm !== 'object' || algorithm === null || algorithm.name === undefined) {
    throw codedTypeError('ERR_MISSING_OPTION',
      "Failed to normalize algorithm: passed algorithm cannot be converted to 'Algorithm' because 'name' is required in 'Algorithm'.");
  }
  const upper = String(algorithm.name).toUpperCase();
  const name = kAlgorithms.find((a) => a === upper);
  if (name === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
  const normalized = { ...algorithm, name };
  if (normalized.hash !== undefined) normalized.hash = normalizeAlgorithm(normalized.hash);
  return normalized;
}

// --- CryptoKey --------------------------------------------------------------------

const kAlgorithm = Symbol('kAlgorithm');
const kExtractable = Symbol('kExtractable');
const kUsages = Symbol('kUsages');
let constructing = false;

class CryptoKey {
  constructor() {
    if (!constructing) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get type() {
    if (!(this instanceof CryptoKey)) throw new ERR_INVALID_THIS('CryptoKey');
    return this[kKeyObjectOf].type;
  }

  get extractable() {
    if (!(this instanceof CryptoKey)) throw new ERR_INVALID_THIS('CryptoKey');
    return this[kExtractable];
  }

  get algorithm() {
    if (!(this instanceof CryptoKey)) throw new ERR_INVALID_THIS('CryptoKey');
    return this[kAlgorithm];
  }

  get usages() {
    if (!(this instanceof CryptoKey)) throw new ERR_INVALID_THIS('CryptoKey');
    return this[kUsages];
  }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { __proto__: null, value: 'CryptoKey', configurable: true });
Object.defineProperty(CryptoKey.prototype, kCryptoKeyBrand, { __proto__: null, value: true });

function makeCryptoKey(keyObject, algorithm, extractable, usages) {
  constructing = true;
  const key = new CryptoKey();
  constructing = false;
  const hidden = (k, value) => Object.defineProperty(key, k, { __proto__: null, value });
  hidden(kKeyObjectOf, keyObject);
  hidden(kAlgorithm, algorithm);
  hidden(kExtractable, !!extractable);
  hidden(kUsages, [...usages]);
  return key;
}

function keyBytes(key) {
  return key[kKeyObjectOf][kHandle];
}

function checkUsage(key, usage, action) {
  if (!key[kUsages].includes(usage)) throw domException(`Unable to use this key to ${action}`, 'InvalidAccessError');
}

function checkAlgorithm(key, name) {
  if (key[kAlgorithm].name !== name) throw domException('Key algorithm mismatch', 'InvalidAccessError');
}

// The algorithm description of a secret key of `length` bytes.
function secretAlgorithm(algorithm, length) {
  switch (algorithm.name) {
    case 'HMAC': {
      if (algorithm.hash === undefined) {
        throw codedTypeError('ERR_MISSING_OPTION', "Failed to normalize algorithm: 'hash' is required in 'HmacImportParams'.");
      }
      return { name: 'HMAC', length: length * 8, hash: { name: algorithm.hash.name } };
    }
    case 'AES-GCM':
    case 'AES-CBC':
    case 'AES-CTR':
      if (length !== 16 && length !== 24 && length !== 32) throw domException('Invalid key length', 'DataError');
      return { name: algorithm.name, length: length * 8 };
    case 'PBKDF2':
    case 'HKDF':
      return { name: algorithm.name };
    default:
      throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
}

function keyObjectToCryptoKey(keyObject, algorithm, extractable, keyUsages) {
  const normalized = normalizeAlgorithm(algorithm);
  if (keyObject.type !== 'secret') throw domException('Unrecognized algorithm name', 'NotSupportedError');
  return makeCryptoKey(keyObject, secretAlgorithm(normalized, keyObject.symmetricKeySize), extractable, keyUsages);
}

// --- SubtleCrypto -----------------------------------------------------------------

function settle(fn) {
  return new Promise((resolve) => resolve(fn()));
}

function arrayBufferOf(bytes) {
  return bytes.buffer.byteLength === bytes.byteLength && bytes.byteOffset === 0 ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function runCipher(name, key, iv, data, encrypt, tagLength = 16, aad) {
  const cipher = `aes-${keyBytes(key).byteLength * 8}-${name.slice(4).toLowerCase()}`;
  const handle = binding.cipherNew(cipher, keyBytes(key), iv, encrypt, name === 'AES-GCM' ? tagLength : -1, name === 'AES-GCM', false);
  try {
    if (name === 'AES-GCM') {
      if (aad !== undefined) binding.cipherSetAAD(handle, aad);
      if (!encrypt) {
        if (data.byteLength < tagLength) throw new Error();
        binding.cipherSetTag(handle, data.subarray(data.byteLength - tagLength));
        data = data.subarray(0, data.byteLength - tagLength);
      }
    }
    const body = new FastBuffer(binding.cipherUpdate(handle, data));
    const last = binding.cipherFinal(handle);
    if (last === null) throw new Error();
    const parts = [body, new FastBuffer(last)];
    if (encrypt && name === 'AES-GCM') parts.push(new FastBuffer(binding.cipherGetTag(handle, tagLength)));
    return arrayBufferOf(Buffer.concat(parts));
  } catch {
    throw domException('The operation failed for an operation-specific reason', 'OperationError');
  }
}

function cipherOp(method, encrypt) {
  return function(algorithm, key, data) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs(method, 3, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      const bytes = copyBytes(bufferSource(data, method, 2));
      checkAlgorithm(key, alg.name);
      checkUsage(key, method, method);
      switch (alg.name) {
        case 'AES-CBC': {
          const iv = bufferSource(alg.iv, method, 0);
          if (iv.byteLength !== 16) throw domException('algorithm.iv must contain exactly 16 bytes', 'OperationError');
          return runCipher('AES-CBC', key, iv, bytes, encrypt);
        }
        case 'AES-CTR': {
          const counter = bufferSource(alg.counter, method, 0);
          if (counter.byteLength !== 16) throw domException('algorithm.counter must contain exactly 16 bytes', 'OperationError');
          return runCipher('AES-CTR', key, counter, bytes, encrypt);
        }
        case 'AES-GCM': {
          const iv = bufferSource(alg.iv, method, 0);
          const tagLength = (alg.tagLength ?? 128) / 8;
          const aad = alg.additionalData === undefined ? undefined : bufferSource(alg.additionalData, method, 0);
          return runCipher('AES-GCM', key, iv, bytes, encrypt, tagLength, aad);
        }
        default:
          throw domException('Unrecognized algorithm name', 'NotSupportedError');
      }
    });
  };
}

function hmacOf(key, data) {
  const handle = binding.hmacNew(kDigests[key[kAlgorithm].hash.name], keyBytes(key));
  binding.hmacUpdate(handle, data);
  return new FastBuffer(binding.hmacFinal(handle, 0));
}

class SubtleCrypto {
  constructor() {
    if (!constructing) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  digest(algorithm, data) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('digest', 2, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      const bytes = bufferSource(data, 'digest', 1);
      const md = kDigests[alg.name];
      if (md === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
      return binding.digestOnce(md, bytes, 0);
    });
  }

  importKey(format, keyData, algorithm, extractable, keyUsages) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('importKey', 5, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      let bytes;
      if (format === 'raw') {
        bytes = copyBytes(bufferSource(keyData, 'importKey', 1));
      } else if (format === 'jwk') {
        if (typeof keyData !== 'object' || keyData === null || keyData.kty !== 'oct' || typeof keyData.k !== 'string') {
          throw domException('Invalid keyData', 'DataError');
        }
        bytes = new Uint8Array(Buffer.from(keyData.k, 'base64url'));
      } else {
        throw domException('Unrecognized algorithm name', 'NotSupportedError');
      }
      const keyObject = new SecretKeyObject(new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return makeCryptoKey(keyObject, secretAlgorithm(alg, bytes.byteLength), extractable, keyUsages);
    });
  }

  exportKey(format, key) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('exportKey', 2, arguments.length);
      if (!key?.[kCryptoKeyBrand]) throw codedTypeError('ERR_INVALID_ARG_TYPE', "Failed to execute 'exportKey' on 'SubtleCrypto': 2nd argument is not of type CryptoKey.");
      if (!key[kExtractable]) throw domException('key is not extractable', 'InvalidAccessError');
      const bytes = keyBytes(key);
      if (format === 'raw') return arrayBufferOf(Buffer.from(bytes));
      if (format === 'jwk') {
        const alg = key[kAlgorithm];
        const jwk = { key_ops: [...key[kUsages]], ext: key[kExtractable] };
        if (alg.name === 'HMAC') jwk.alg = kJwkHmac[alg.hash.name];
        else if (alg.name.startsWith('AES-')) jwk.alg = `A${alg.length}${alg.name.slice(4)}`;
        jwk.kty = 'oct';
        jwk.k = Buffer.from(bytes).toString('base64url');
        return jwk;
      }
      throw domException('Unrecognized algorithm name', 'NotSupportedError');
    });
  }

  generateKey(algorithm, extractable, keyUsages) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('generateKey', 3, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      let length;
      if (alg.name === 'HMAC') {
        if (alg.hash === undefined) {
          throw codedTypeError('ERR_MISSING_OPTION', "Failed to normalize algorithm: 'hash' is required in 'HmacKeyGenParams'.");
        }
        length = (alg.length ?? kDigestBits[alg.hash.name]) / 8;
      } else if (alg.name.startsWith('AES-')) {
        if (![128, 192, 256].includes(alg.length)) {
          throw domException('AES key length must be 128, 192, or 256 bits', 'OperationError');
        }
        length = alg.length / 8;
      } else {
        throw domException('Unrecognized algorithm name', 'NotSupportedError');
      }
      const bytes = new FastBuffer(length);
      binding.randomFill(bytes, 0, length);
      return makeCryptoKey(new SecretKeyObject(bytes), secretAlgorithm(alg, length), extractable, keyUsages);
    });
  }

  sign(algorithm, key, data) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('sign', 3, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      const bytes = bufferSource(data, 'sign', 2);
      checkAlgorithm(key, alg.name);
      checkUsage(key, 'sign', 'sign');
      if (alg.name !== 'HMAC') throw domException('Unrecognized algorithm name', 'NotSupportedError');
      return arrayBufferOf(hmacOf(key, bytes));
    });
  }

  verify(algorithm, key, signature, data) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('verify', 4, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      const sig = bufferSource(signature, 'verify', 2);
      const bytes = bufferSource(data, 'verify', 3);
      checkAlgorithm(key, alg.name);
      checkUsage(key, 'verify', 'verify');
      if (alg.name !== 'HMAC') throw domException('Unrecognized algorithm name', 'NotSupportedError');
      const expected = hmacOf(key, bytes);
      return expected.byteLength === sig.byteLength && binding.timingSafeEqual(expected, sig);
    });
  }

  deriveBits(algorithm, baseKey, length) {
    if (!(this instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
    return settle(() => {
      requireArgs('deriveBits', 2, arguments.length);
      const alg = normalizeAlgorithm(algorithm);
      checkAlgorithm(baseKey, alg.name);
      checkUsage(baseKey, 'deriveBits', 'deriveBits');
      if (length === null || length === undefined || length % 8 !== 0) {
        throw domException('length must be a multiple of 8', 'OperationError');
      }
      const hash = alg.hash === undefined ? undefined : kDigests[alg.hash.name];
      const salt = bufferSource(alg.salt, 'deriveBits', 0);
      if (alg.name === 'PBKDF2') {
        if (!(alg.iterations > 0)) throw domException('iterations cannot be zero', 'OperationError');
        if (length === 0) return new ArrayBuffer(0);
        return binding.pbkdf2(keyBytes(baseKey), salt, alg.iterations, length / 8, hash);
      }
      if (alg.name === 'HKDF') {
        const info = bufferSource(alg.info, 'deriveBits', 0);
        if (length === 0) return new ArrayBuffer(0);
        return binding.hkdf(hash, keyBytes(baseKey), salt, info, length / 8);
      }
      throw domException('Unrecognized algorithm name', 'NotSupportedError');
    });
  }
}

SubtleCrypto.prototype.encrypt = cipherOp('encrypt', true);
SubtleCrypto.prototype.decrypt = cipherOp('decrypt', false);
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { __proto__: null, value: 'SubtleCrypto', configurable: true });

constructing = true;
const subtle = new SubtleCrypto();
constructing = false;

class Crypto {
  constructor() {
    if (!constructing) throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get subtle() {
    if (!(this instanceof Crypto)) throw new ERR_INVALID_THIS('Crypto');
    return subtle;
  }

  getRandomValues(array) {
    if (!(this instanceof Crypto)) throw new ERR_INVALID_THIS('Crypto');
    return random.getRandomValues(array);
  }

  randomUUID() {
    if (!(this instanceof Crypto)) throw new ERR_INVALID_THIS('Crypto');
    return random.randomUUID();
  }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { __proto__: null, value: 'Crypto', configurable: true });

constructing = true;
const crypto = new Crypto();
constructing = false;

module.exports = { crypto, Crypto, CryptoKey, SubtleCrypto, keyObjectToCryptoKey };
