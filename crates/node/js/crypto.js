'use strict';

// node:crypto. The pieces live in internal/crypto/*; the native ops in src/crypto.rs.

const util = require('internal/crypto/util');
const { Hash, Hmac, hash } = require('internal/crypto/hash');
const random = require('internal/crypto/random');
const kdf = require('internal/crypto/kdf');
const cipher = require('internal/crypto/cipher');
const keys = require('internal/crypto/keys');
const {
  codes: { ERR_INVALID_ARG_TYPE },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const optional = (id) => {
  try {
    return require(id);
  } catch (e) {
    if (e && typeof e.message === 'string' && e.message.startsWith('No such built-in module')) return {};
    throw e;
  }
};
const sig = optional('internal/crypto/sig');
const keygen = optional('internal/crypto/keygen');
const dh = optional('internal/crypto/diffiehellman');
const x509 = optional('internal/crypto/x509');
const rsa = optional('internal/crypto/rsa');

// Node's function names: some exports are anonymous, the class exports are deprecation
// wrappers (named `deprecated`) that warn once and construct the class.
const anonymous = (fn) => fn;

function deprecatedClass(Class, message, code) {
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      process.emitWarning(message, 'DeprecationWarning', code);
    }
    return Reflect.construct(Class, args, new.target ?? Class);
  }
  Object.setPrototypeOf(deprecated, Class);
  deprecated.prototype = Class.prototype;
  return deprecated;
}

function createDiffieHellmanGroup(name) {
  return dh.getDiffieHellman(name);
}

function argon2() {
  notSupported('ERR_CRYPTO_ARGON2_NOT_SUPPORTED', 'Argon2 algorithm not supported');
}

function argon2Sync() {
  notSupported('ERR_CRYPTO_ARGON2_NOT_SUPPORTED', 'Argon2 algorithm not supported');
}

function encapsulate() {
  notSupported('ERR_CRYPTO_KEM_NOT_SUPPORTED', 'KEM is not supported');
}

function decapsulate() {
  notSupported('ERR_CRYPTO_KEM_NOT_SUPPORTED', 'KEM is not supported');
}

function createHash(algorithm, options) {
  return new Hash(algorithm, options);
}

function createHmac(hmac, key, options) {
  return new Hmac(hmac, key, options);
}

const timingSafeEqual = anonymous(function(buf1, buf2) {
  const check = (buf, name) => {
    if (isAnyArrayBuffer(buf)) return new Uint8Array(buf);
    if (!isArrayBufferView(buf)) {
      const err = new TypeError(`The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    return util.viewBytes(buf);
  };
  buf1 = check(buf1, 'buf1');
  buf2 = check(buf2, 'buf2');
  if (buf1.byteLength !== buf2.byteLength) {
    throw util.nativeError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length');
  }
  return util.binding.timingSafeEqual(buf1, buf2);
});

// Node's OpenSSL build accepts FIPS mode switches and reports them back.
let fipsMode = 0;
function getFips() {
  return fipsMode;
}

function setFips(value) {
  fipsMode = value ? 1 : 0;
}

// No secure heap is configured (Node's --secure-heap), as Node reports by default.
function secureHeapUsed() {
  return { total: 0, used: 0, utilization: null, min: 2 };
}

// Argon2 and KEM need OpenSSL 3.2+; the system OpenSSL 3.0 has neither.
function notSupported(code, message) {
  const err = new Error(message);
  err.code = code;
  throw err;
}

function setEngine(id) {
  if (typeof id !== 'string') throw new ERR_INVALID_ARG_TYPE('id', 'string', id);
  const err = new Error('Custom engines not supported by this OpenSSL');
  err.code = 'ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED';
  throw err;
}

const constants = {
  __proto__: null,
  OPENSSL_VERSION_NUMBER: util.binding.opensslVersionNumber,
  SSL_OP_ALL: 2147485776,
  SSL_OP_ALLOW_NO_DHE_KEX: 1024,
  SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION: 262144,
  SSL_OP_CIPHER_SERVER_PREFERENCE: 4194304,
  SSL_OP_CISCO_ANYCONNECT: 32768,
  SSL_OP_COOKIE_EXCHANGE: 8192,
  SSL_OP_CRYPTOPRO_TLSEXT_BUG: 2147483648,
  SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS: 2048,
  SSL_OP_LEGACY_SERVER_CONNECT: 4,
  SSL_OP_NO_COMPRESSION: 131072,
  SSL_OP_NO_ENCRYPT_THEN_MAC: 524288,
  SSL_OP_NO_QUERY_MTU: 4096,
  SSL_OP_NO_RENEGOTIATION: 1073741824,
  SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION: 65536,
  SSL_OP_NO_SSLv2: 0,
  SSL_OP_NO_SSLv3: 33554432,
  SSL_OP_NO_TICKET: 16384,
  SSL_OP_NO_TLSv1: 67108864,
  SSL_OP_NO_TLSv1_1: 268435456,
  SSL_OP_NO_TLSv1_2: 134217728,
  SSL_OP_NO_TLSv1_3: 536870912,
  SSL_OP_PRIORITIZE_CHACHA: 2097152,
  SSL_OP_TLS_ROLLBACK_BUG: 8388608,
  ENGINE_METHOD_RSA: 1,
  ENGINE_METHOD_DSA: 2,
  ENGINE_METHOD_DH: 4,
  ENGINE_METHOD_RAND: 8,
  ENGINE_METHOD_EC: 2048,
  ENGINE_METHOD_CIPHERS: 64,
  ENGINE_METHOD_DIGESTS: 128,
  ENGINE_METHOD_PKEY_METHS: 512,
  ENGINE_METHOD_PKEY_ASN1_METHS: 1024,
  ENGINE_METHOD_ALL: 65535,
  ENGINE_METHOD_NONE: 0,
  DH_CHECK_P_NOT_SAFE_PRIME: 2,
  DH_CHECK_P_NOT_PRIME: 1,
  DH_UNABLE_TO_CHECK_GENERATOR: 4,
  DH_NOT_SUITABLE_GENERATOR: 8,
  RSA_PKCS1_PADDING: 1,
  RSA_NO_PADDING: 3,
  RSA_PKCS1_OAEP_PADDING: 4,
  RSA_X931_PADDING: 5,
  RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1,
  RSA_PSS_SALTLEN_MAX_SIGN: -2,
  RSA_PSS_SALTLEN_AUTO: -2,
  defaultCoreCipherList: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA',
  TLS1_VERSION: 769,
  TLS1_1_VERSION: 770,
  TLS1_2_VERSION: 771,
  TLS1_3_VERSION: 772,
  POINT_CONVERSION_COMPRESSED: 2,
  POINT_CONVERSION_UNCOMPRESSED: 4,
  POINT_CONVERSION_HYBRID: 6,
  defaultCipherList: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA',
};

module.exports = {
  argon2,
  argon2Sync,
  checkPrime: keygen.checkPrime,
  checkPrimeSync: keygen.checkPrimeSync,
  createCipheriv: cipher.createCipheriv,
  createDecipheriv: cipher.createDecipheriv,
  createDiffieHellman: dh.createDiffieHellman,
  createDiffieHellmanGroup,
  createECDH: dh.createECDH,
  createHash,
  createHmac,
  createPrivateKey: keys.createPrivateKey,
  createPublicKey: keys.createPublicKey,
  createSecretKey: keys.createSecretKey,
  createSign: sig.createSign,
  createVerify: sig.createVerify,
  diffieHellman: dh.diffieHellman,
  generatePrime: keygen.generatePrime,
  generatePrimeSync: keygen.generatePrimeSync,
  getCiphers: anonymous(() => util.getCiphers()),
  getCipherInfo: cipher.getCipherInfo,
  getCurves: anonymous(() => util.getCurves()),
  getDiffieHellman: createDiffieHellmanGroup,
  getHashes: anonymous(() => util.getHashes()),
  hkdf: kdf.hkdf,
  hkdfSync: kdf.hkdfSync,
  pbkdf2: kdf.pbkdf2,
  pbkdf2Sync: kdf.pbkdf2Sync,
  generateKeyPair: keygen.generateKeyPair,
  generateKeyPairSync: keygen.generateKeyPairSync,
  generateKey: keygen.generateKey,
  generateKeySync: keygen.generateKeySync,
  privateDecrypt: anonymous((key, buffer) => rsa.privateDecrypt(key, buffer)),
  privateEncrypt: anonymous((key, buffer) => rsa.privateEncrypt(key, buffer)),
  publicDecrypt: anonymous((key, buffer) => rsa.publicDecrypt(key, buffer)),
  publicEncrypt: anonymous((key, buffer) => rsa.publicEncrypt(key, buffer)),
  randomBytes: random.randomBytes,
  randomFill: random.randomFill,
  randomFillSync: random.randomFillSync,
  randomInt: random.randomInt,
  randomUUID: random.randomUUID,
  randomUUIDv7: random.randomUUIDv7,
  scrypt: kdf.scrypt,
  scryptSync: kdf.scryptSync,
  sign: sig.signOneShot,
  setEngine,
  timingSafeEqual,
  getFips,
  setFips,
  verify: sig.verifyOneShot,
  hash,
  encapsulate,
  decapsulate,
  Certificate: x509.Certificate,
  Cipheriv: cipher.Cipheriv,
  Decipheriv: cipher.Decipheriv,
  DiffieHellman: dh.DiffieHellman,
  DiffieHellmanGroup: dh.DiffieHellmanGroup,
  ECDH: dh.ECDH,
  Hash: deprecatedClass(Hash, 'crypto.Hash constructor is deprecated.', 'DEP0179'),
  Hmac: deprecatedClass(Hmac, 'crypto.Hmac constructor is deprecated.', 'DEP0181'),
  KeyObject: keys.KeyObject,
  Sign: sig.Sign,
  Verify: sig.Verify,
  X509Certificate: x509.X509Certificate,
  secureHeapUsed,
  constants,
};

// Web Crypto loads on first use, as in Node.
let webcryptoModule;
const webcrypto = () => (webcryptoModule ??= require('internal/crypto/webcrypto'));
let fipsWarned = false;
function warnFips() {
  if (fipsWarned) return;
  fipsWarned = true;
  process.emitWarning('The crypto.fips is deprecated. Please use crypto.getFips()', 'DeprecationWarning', 'DEP0093');
}
Object.defineProperties(module.exports, {
  fips: {
    __proto__: null, configurable: false, enumerable: false,
    get: function deprecated() { warnFips(); return getFips(); },
    set: function deprecated(value) { warnFips(); setFips(value); },
  },
  // Old names of randomBytes, hidden as in Node.
  prng: { __proto__: null, configurable: true, enumerable: false, writable: true, value: random.randomBytes },
  pseudoRandomBytes: { __proto__: null, configurable: true, enumerable: false, writable: true, value: random.randomBytes },
  rng: { __proto__: null, configurable: true, enumerable: false, writable: true, value: random.randomBytes },
  webcrypto: {
    __proto__: null, configurable: false, enumerable: true,
    get() { return webcrypto().crypto; },
    set: undefined,
  },
  subtle: {
    __proto__: null, configurable: false, enumerable: true,
    get() { return webcrypto().crypto.subtle; },
    set: undefined,
  },
  getRandomValues: {
    __proto__: null, configurable: false, enumerable: true,
    get() { return random.getRandomValues; },
    set: undefined,
  },
});
