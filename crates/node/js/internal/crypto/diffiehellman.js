'use strict';

// DiffieHellman, DiffieHellmanGroup, ECDH and crypto.diffieHellman.

const { binding, FastBuffer, nativeError, viewBytes, normalizeEncoding } = require('internal/crypto/util');
const { isKeyObject, handleOf } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  codes: {
    ERR_CRYPTO_ECDH_INVALID_FORMAT, ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY, ERR_CRYPTO_INCOMPATIBLE_KEY,
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE,
  },
  validators: { validateObject, validateString, validateInt32 },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const kHandle = Symbol('kHandle');

function toBuf(value, encoding, name = 'key') {
  if (typeof value === 'string') return Buffer.from(value, encoding === 'buffer' || !encoding ? 'utf8' : encoding);
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  if (isArrayBufferView(value)) return viewBytes(value);
  throw new ERR_INVALID_ARG_TYPE(name, ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value);
}

function encode(bytes, encoding) {
  const buf = new FastBuffer(bytes);
  if (encoding && encoding !== 'buffer') return buf.toString(normalizeEncoding(encoding) ?? encoding);
  return buf;
}

function hide(self, handle) {
  Object.defineProperty(self, kHandle, { __proto__: null, value: handle, enumerable: false });
}

// --- finite-field Diffie-Hellman ---------------------------------------------------

function DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding) {
  if (!new.target) return new DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding);
  if (typeof sizeOrKey !== 'number' && typeof sizeOrKey !== 'string' && !isArrayBufferView(sizeOrKey) && !isAnyArrayBuffer(sizeOrKey)) {
    throw new ERR_INVALID_ARG_TYPE('sizeOrKey', ['number', 'string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], sizeOrKey);
  }
  if (typeof sizeOrKey === 'number') validateInt32(sizeOrKey, 'sizeOrKey');
  if (keyEncoding && !Buffer.isEncoding(keyEncoding) && keyEncoding !== 'buffer') {
    genEncoding = generator;
    generator = keyEncoding;
    keyEncoding = false;
  }
  if (generator === undefined) generator = 2;
  let handle;
  if (typeof sizeOrKey === 'number') {
    if (typeof generator !== 'number') generator = toBuf(generator, genEncoding, 'generator')[0] ?? 0;
    if (sizeOrKey < 2 || generator < 2) throw new ERR_INVALID_ARG_VALUE('sizeOrKey', sizeOrKey);
    handle = binding.dhGenerateParams(sizeOrKey, generator);
  } else {
    const prime = toBuf(sizeOrKey, keyEncoding, 'sizeOrKey');
    let gen;
    if (typeof generator === 'number') {
      validateInt32(generator, 'generator');
      gen = Buffer.from([generator]);
    } else {
      gen = toBuf(generator, genEncoding, 'generator');
    }
    handle = binding.dhNew(prime, gen);
  }
  hide(this, handle);
  Object.defineProperty(this, 'verifyError', {
    __proto__: null, enumerable: true, configurable: true, value: binding.dhVerifyError(handle),
  });
}

function DiffieHellmanGroup(name) {
  if (!new.target) return new DiffieHellmanGroup(name);
  if (typeof name !== 'string') throw nativeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'Group name must be a string');
  const prime = binding.dhGroupPrime(name);
  if (prime === undefined) throw nativeError(Error, 'ERR_CRYPTO_UNKNOWN_DH_GROUP', 'Unknown DH group');
  const handle = binding.dhNew(prime, Buffer.from([2]));
  hide(this, handle);
  Object.defineProperty(this, 'verifyError', {
    __proto__: null, enumerable: true, configurable: true, value: binding.dhVerifyError(handle),
  });
}

const dhMethods = {
  generateKeys(encoding) {
    binding.dhGenerateKeys(this[kHandle]);
    return encode(binding.dhGet(this[kHandle], 'pub'), encoding);
  },
  computeSecret(key, inputEncoding, outputEncoding) {
    const peer = toBuf(key, inputEncoding);
    const secret = binding.dhCompute(this[kHandle], peer);
    if (secret === 'small') throw nativeError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Supplied key is too small');
    if (secret === 'large') throw nativeError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Supplied key is too large');
    return encode(secret, outputEncoding);
  },
  getPrime(encoding) {
    return encode(binding.dhGet(this[kHandle], 'p'), encoding);
  },
  getGenerator(encoding) {
    return encode(binding.dhGet(this[kHandle], 'g'), encoding);
  },
  getPublicKey(encoding) {
    const key = binding.dhGet(this[kHandle], 'pub');
    if (key === undefined) throw nativeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'No public key - did you forget to generate one?');
    return encode(key, encoding);
  },
  getPrivateKey(encoding) {
    const key = binding.dhGet(this[kHandle], 'priv');
    if (key === undefined) throw nativeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'No private key - did you forget to generate one?');
    return encode(key, encoding);
  },
};

Object.assign(DiffieHellman.prototype, dhMethods, {
  setPublicKey(key, encoding) {
    binding.dhSet(this[kHandle], 'pub', toBuf(key, encoding));
    return this;
  },
  setPrivateKey(key, encoding) {
    binding.dhSet(this[kHandle], 'priv', toBuf(key, encoding));
    return this;
  },
});
Object.assign(DiffieHellmanGroup.prototype, dhMethods);

function createDiffieHellman(prime, primeEncoding, generator, generatorEncoding) {
  return new DiffieHellman(prime, primeEncoding, generator, generatorEncoding);
}

function getDiffieHellman(groupName) {
  return new DiffieHellmanGroup(groupName);
}

// --- ECDH -------------------------------------------------------------------------

function validateFormat(format) {
  if (format === undefined || format === 'uncompressed') return 'uncompressed';
  if (format === 'compressed' || format === 'hybrid') return format;
  throw new ERR_CRYPTO_ECDH_INVALID_FORMAT(format);
}

function ECDH(curve) {
  if (!new.target) return new ECDH(curve);
  validateString(curve, 'curve');
  const handle = binding.ecdhNew(curve);
  if (handle === undefined) throw nativeError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name');
  hide(this, handle);
}

ECDH.prototype.generateKeys = function generateKeys(encoding, format) {
  binding.ecdhGenerate(this[kHandle]);
  return this.getPublicKey(encoding, format);
};

ECDH.prototype.getPublicKey = function getPublicKey(encoding, format) {
  const f = validateFormat(format);
  const key = binding.ecdhPublic(this[kHandle], f);
  if (key === undefined) throw nativeError(Error, 'ERR_CRYPTO_OPERATION_FAILED', 'Failed to get ECDH public key');
  return encode(key, encoding);
};

ECDH.prototype.getPrivateKey = function getPrivateKey(encoding) {
  const key = binding.ecdhPrivate(this[kHandle]);
  if (key === undefined) throw nativeError(Error, 'ERR_CRYPTO_OPERATION_FAILED', 'Failed to get ECDH private key');
  return encode(key, encoding);
};

ECDH.prototype.setPrivateKey = function setPrivateKey(key, encoding) {
  const bytes = toBuf(key, encoding);
  if (!binding.ecdhSetPrivate(this[kHandle], bytes)) {
    throw nativeError(RangeError, 'ERR_CRYPTO_INVALID_KEYTYPE', 'Private key is not valid for specified curve.');
  }
  return this;
};

ECDH.prototype.computeSecret = function computeSecret(key, inputEncoding, outputEncoding) {
  const peer = toBuf(key, inputEncoding);
  const secret = binding.ecdhCompute(this[kHandle], peer);
  if (secret === null) throw nativeError(RangeError, 'ERR_CRYPTO_INVALID_KEYPAIR', 'Invalid key pair');
  if (secret === undefined) throw new ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY();
  return encode(secret, outputEncoding);
};

ECDH.convertKey = function convertKey(key, curve, inEnc, outEnc, format) {
  validateString(curve, 'curve');
  const bytes = toBuf(key, inEnc);
  const f = validateFormat(format);
  const out = binding.ecdhConvert(curve, bytes, f);
  if (out === null) throw nativeError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name');
  if (out === undefined) throw nativeError(Error, 'ERR_CRYPTO_OPERATION_FAILED', 'Failed to convert Buffer to EC_POINT');
  return encode(out, outEnc);
};

function createECDH(curve) {
  return new ECDH(curve);
}

// --- crypto.diffieHellman ---------------------------------------------------------

function diffieHellman(options) {
  validateObject(options, 'options');
  const { privateKey, publicKey } = options;
  if (!isKeyObject(publicKey)) throw new ERR_INVALID_ARG_VALUE('options.publicKey', publicKey);
  if (!isKeyObject(privateKey)) throw new ERR_INVALID_ARG_VALUE('options.privateKey', privateKey);
  if (privateKey.type !== 'private') throw new ERR_INVALID_ARG_VALUE('options.privateKey', privateKey);
  if (publicKey.type !== 'public' && publicKey.type !== 'private') throw new ERR_INVALID_ARG_VALUE('options.publicKey', publicKey);
  const a = privateKey.asymmetricKeyType;
  const b = publicKey.asymmetricKeyType;
  if (a !== b) throw new ERR_CRYPTO_INCOMPATIBLE_KEY('key types for Diffie-Hellman', `${a} and ${b}`);
  return new FastBuffer(binding.deriveSecret(handleOf(privateKey), handleOf(publicKey)));
}

module.exports = {
  DiffieHellman, DiffieHellmanGroup, ECDH, createDiffieHellman, getDiffieHellman, createECDH, diffieHellman,
};
