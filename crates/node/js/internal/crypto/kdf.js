'use strict';

// pbkdf2, scrypt and hkdf: arguments checked here, the derivation run natively (on the
// thread pool for the callback forms).

const {
  binding, FastBuffer, getArrayBufferOrView, digestInfo, nativeError, invalidKeyLength, viewBytes,
} = require('internal/crypto/util');
const {
  codes: {
    ERR_CRYPTO_INVALID_DIGEST, ERR_INCOMPATIBLE_OPTION_PAIR, ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE,
  },
  validators: { validateFunction, validateInt32, validateInteger, validateString, validateUint32 },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

let lazyKeys;
const keys = () => (lazyKeys ??= require('internal/crypto/keys'));

// --- pbkdf2 -----------------------------------------------------------------------

function pbkdf2Check(password, salt, iterations, keylen, digest) {
  validateString(digest, 'digest');
  password = getArrayBufferOrView(password, 'password');
  salt = getArrayBufferOrView(salt, 'salt');
  validateInt32(iterations, 'iterations', 1);
  validateInt32(keylen, 'keylen', 0);
  return { password, salt };
}

function pbkdf2CheckDigest(digest) {
  if (digestInfo(digest) === null) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
}

function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') {
    callback = digest;
    digest = undefined;
  }
  ({ password, salt } = pbkdf2Check(password, salt, iterations, keylen, digest));
  validateFunction(callback, 'callback');
  pbkdf2CheckDigest(digest);
  binding.pbkdf2(password, salt, iterations, keylen, digest, (err, bits) => {
    if (err) return callback(err);
    callback(null, new FastBuffer(bits));
  });
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  ({ password, salt } = pbkdf2Check(password, salt, iterations, keylen, digest));
  pbkdf2CheckDigest(digest);
  return new FastBuffer(binding.pbkdf2(password, salt, iterations, keylen, digest));
}

// --- scrypt -----------------------------------------------------------------------

const defaults = { N: 16384, r: 8, p: 1, maxmem: 32 << 20 };

// One scrypt parameter given by either of its names (0 or absent means the default).
function scryptOption(options, name, alias) {
  const has = options[name] !== undefined;
  const hasAlias = options[alias] !== undefined;
  if (has && hasAlias) throw new ERR_INCOMPATIBLE_OPTION_PAIR(name, alias);
  let value = has ? options[name] : options[alias];
  if (value === undefined) return defaults[name];
  validateUint32(value, has ? name : alias);
  if (value === 0) value = defaults[name];
  return value;
}

function scryptCheck(password, salt, keylen, options) {
  password = getArrayBufferOrView(password, 'password');
  salt = getArrayBufferOrView(salt, 'salt');
  validateInt32(keylen, 'keylen', 0);
  let { N, r, p, maxmem } = defaults;
  if (options && options !== defaults) {
    N = scryptOption(options, 'N', 'cost');
    r = scryptOption(options, 'r', 'blockSize');
    p = scryptOption(options, 'p', 'parallelization');
    if (options.maxmem !== undefined) {
      maxmem = options.maxmem;
      validateInteger(maxmem, 'maxmem', 0);
      if (maxmem === 0) maxmem = defaults.maxmem;
    }
  }
  const problem = binding.scryptCheck(N, r, p, maxmem);
  if (problem !== undefined) {
    const detail = problem === '' ? '' : `: ${problem}`;
    throw nativeError(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', `Invalid scrypt params${detail}`);
  }
  return { password, salt, N, r, p, maxmem };
}

function scrypt(password, salt, keylen, options, callback = defaults) {
  if (callback === defaults) {
    callback = options;
    options = defaults;
  }
  validateFunction(callback, 'callback');
  const params = scryptCheck(password, salt, keylen, options);
  binding.scrypt(params.password, params.salt, params.N, params.r, params.p, params.maxmem, keylen, (err, bits) => {
    if (err) return callback(err);
    callback(null, new FastBuffer(bits));
  });
}

function scryptSync(password, salt, keylen, options = defaults) {
  const params = scryptCheck(password, salt, keylen, options);
  return new FastBuffer(binding.scrypt(params.password, params.salt, params.N, params.r, params.p, params.maxmem, keylen));
}

// --- hkdf -------------------------------------------------------------------------

const kByteSourceTypes = ['string', 'ArrayBuffer', 'TypedArray', 'DataView', 'Buffer'];

function byteSource(value, name) {
  if (typeof value === 'string') return Buffer.from(value);
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  if (isArrayBufferView(value)) return viewBytes(value);
  throw new ERR_INVALID_ARG_TYPE(name, kByteSourceTypes, value);
}

function hkdfCheck(digest, ikm, salt, info, length) {
  validateString(digest, 'digest');
  const key = keys().prepareHkdfKey(ikm);
  salt = byteSource(salt, 'salt');
  info = byteSource(info, 'info');
  validateInteger(length, 'length', 0, Number.MAX_SAFE_INTEGER);
  if (info.byteLength > 1024) {
    throw new ERR_OUT_OF_RANGE('info', 'must not contain more than 1024 bytes', info.byteLength);
  }
  const md = digestInfo(digest);
  if (md === null) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
  if (length > 255 * md[0]) throw invalidKeyLength();
  return { key, salt, info };
}

function hkdf(digest, ikm, salt, info, length, callback) {
  validateFunction(callback, 'callback');
  const p = hkdfCheck(digest, ikm, salt, info, length);
  binding.hkdf(digest, p.key, p.salt, p.info, length, callback);
}

function hkdfSync(digest, ikm, salt, info, length) {
  const p = hkdfCheck(digest, ikm, salt, info, length);
  return binding.hkdf(digest, p.key, p.salt, p.info, length);
}

module.exports = { pbkdf2, pbkdf2Sync, scrypt, scryptSync, hkdf, hkdfSync };
