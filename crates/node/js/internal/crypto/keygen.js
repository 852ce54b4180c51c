'use strict';

// generateKeyPair(Sync), generateKey(Sync), generatePrime(Sync), checkPrime(Sync).

const { binding, FastBuffer, nativeError, viewBytes } = require('internal/crypto/util');
const { PublicKeyObject, PrivateKeyObject, SecretKeyObject } = require('internal/crypto/keys');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE },
  validators: { validateFunction, validateObject, validateString, validateUint32, validateInt32, validateOneOf, validateBoolean },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const kPairTypes = ['rsa', 'rsa-pss', 'dsa', 'ec', 'ed25519', 'ed448', 'x25519', 'x448'];

// How a generated key is handed back: a KeyObject, or exported per `{ type, format, ... }`.
function encodingFor(options, name) {
  const encoding = options?.[name];
  if (encoding === undefined) return undefined;
  if (typeof encoding !== 'object' || encoding === null) throw new ERR_INVALID_ARG_VALUE(`options.${name}`, encoding);
  const { format, type } = encoding;
  if (format !== 'pem' && format !== 'der' && format !== 'jwk') {
    throw new ERR_INVALID_ARG_VALUE(`options.${name}.format`, format);
  }
  if (format !== 'jwk') {
    const allowed = name === 'publicKeyEncoding' ? ['pkcs1', 'spki'] : ['pkcs1', 'pkcs8', 'sec1'];
    if (!allowed.includes(type)) throw new ERR_INVALID_ARG_VALUE(`options.${name}.type`, type);
  }
  return encoding;
}

// Validated native arguments for a key pair of `type`: [bits, exponent, curve].
function pairParams(type, options) {
  validateString(type, 'type');
  if (!kPairTypes.includes(type)) throw new ERR_INVALID_ARG_VALUE('type', type, 'must be a supported key type');
  if (options !== undefined) validateObject(options, 'options');
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa': {
      validateObject(options, 'options');
      const { modulusLength } = options;
      validateUint32(modulusLength, 'options.modulusLength');
      let { publicExponent } = options;
      if (publicExponent === undefined) publicExponent = 0x10001;
      else validateUint32(publicExponent, 'options.publicExponent');
      return [modulusLength, publicExponent, undefined];
    }
    case 'ec': {
      validateObject(options, 'options');
      const { namedCurve } = options;
      validateString(namedCurve, 'options.namedCurve');
      if (binding.ecdhNew(namedCurve) === undefined) {
        throw nativeError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name');
      }
      const { paramEncoding = 'named' } = options;
      validateOneOf(paramEncoding, 'options.paramEncoding', ['named', 'explicit']);
      return [0, 0, namedCurve];
    }
    default:
      return [0, 0, undefined];
  }
}

function finishPair(publicHandle, privateHandle, publicEncoding, privateEncoding) {
  const publicKey = new PublicKeyObject(publicHandle);
  const privateKey = new PrivateKeyObject(privateHandle);
  return {
    publicKey: publicEncoding === undefined ? publicKey : publicKey.export(publicEncoding),
    privateKey: privateEncoding === undefined ? privateKey : privateKey.export(privateEncoding),
  };
}

function generateKeyPairSync(type, options) {
  const [bits, exponent, curve] = pairParams(type, options);
  const publicEncoding = encodingFor(options, 'publicKeyEncoding');
  const privateEncoding = encodingFor(options, 'privateKeyEncoding');
  const [pub, priv] = binding.keyGenerate(type, bits, exponent, curve);
  return finishPair(pub, priv, publicEncoding, privateEncoding);
}

function generateKeyPair(type, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  const [bits, exponent, curve] = pairParams(type, options);
  const publicEncoding = encodingFor(options, 'publicKeyEncoding');
  const privateEncoding = encodingFor(options, 'privateKeyEncoding');
  binding.keyGenerate(type, bits, exponent, curve, (err, pub, priv) => {
    if (err) return callback(err);
    let pair;
    try {
      pair = finishPair(pub, priv, publicEncoding, privateEncoding);
    } catch (e) {
      return callback(e);
    }
    callback(null, pair.publicKey, pair.privateKey);
  });
}

function secretKeyBytes(type, options) {
  validateString(type, 'type');
  if (type !== 'hmac' && type !== 'aes') throw new ERR_INVALID_ARG_VALUE('type', type, 'must be a supported key type');
  validateObject(options, 'options');
  const { length } = options;
  if (type === 'hmac') {
    validateInt32(length, 'options.length', 8, 2 ** 31 - 1);
  } else {
    validateOneOf(length, 'options.length', [128, 192, 256]);
  }
  return Math.floor(length / 8);
}

function generateKeySync(type, options) {
  const size = secretKeyBytes(type, options);
  const bytes = new FastBuffer(size);
  binding.randomFill(bytes, 0, size);
  return new SecretKeyObject(bytes);
}

function generateKey(type, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  const size = secretKeyBytes(type, options);
  const bytes = new FastBuffer(size);
  binding.randomFill(bytes, 0, size, (err) => {
    if (err) return callback(err);
    callback(null, new SecretKeyObject(bytes));
  });
}

// --- primes -----------------------------------------------------------------------

function bigintToBytes(n) {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

function primeOptions(size, options) {
  validateInt32(size, 'size', 1);
  if (options !== undefined) validateObject(options, 'options');
  const { safe = false, bigint = false } = options ?? {};
  let { add, rem } = options ?? {};
  validateBoolean(safe, 'options.safe');
  validateBoolean(bigint, 'options.bigint');
  if (typeof add === 'bigint') add = bigintToBytes(add);
  if (typeof rem === 'bigint') rem = bigintToBytes(rem);
  return { safe, bigint, add, rem };
}

function primeResult(bytes, bigint) {
  if (!bigint) return bytes;
  const hex = Buffer.from(bytes).toString('hex');
  return BigInt(`0x${hex || '0'}`);
}

function generatePrimeSync(size, options) {
  const { safe, bigint, add, rem } = primeOptions(size, options);
  return primeResult(binding.primeGenerate(size, safe, add, rem), bigint);
}

function generatePrime(size, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  const { safe, bigint, add, rem } = primeOptions(size, options);
  let prime;
  try {
    prime = primeResult(binding.primeGenerate(size, safe, add, rem), bigint);
  } catch (err) {
    process.nextTick(callback, err);
    return;
  }
  process.nextTick(callback, undefined, prime);
}

function candidateBytes(candidate) {
  if (typeof candidate === 'bigint') {
    if (candidate < 0n) throw new ERR_OUT_OF_RANGE('candidate', '>= 0', candidate);
    return bigintToBytes(candidate);
  }
  if (isAnyArrayBuffer(candidate)) return new Uint8Array(candidate);
  if (isArrayBufferView(candidate)) return viewBytes(candidate);
  throw new ERR_INVALID_ARG_TYPE('candidate', ['ArrayBuffer', 'TypedArray', 'Buffer', 'DataView', 'bigint'], candidate);
}

function checkPrimeSync(candidate, options = {}) {
  const bytes = candidateBytes(candidate);
  validateObject(options, 'options');
  const { checks = 0 } = options;
  validateInt32(checks, 'options.checks', 0);
  return binding.primeCheck(bytes, checks);
}

function checkPrime(candidate, options = {}, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  const bytes = candidateBytes(candidate);
  validateObject(options, 'options');
  validateFunction(callback, 'callback');
  const { checks = 0 } = options;
  validateInt32(checks, 'options.checks', 0);
  const result = binding.primeCheck(bytes, checks);
  process.nextTick(callback, undefined, result);
}

module.exports = {
  generateKeyPair, generateKeyPairSync, generateKey, generateKeySync,
  generatePrime, generatePrimeSync, checkPrime, checkPrimeSync,
};
