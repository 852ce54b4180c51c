'use strict';

// Web Crypto: the Crypto object behind globalThis.crypto and SubtleCrypto. This file
// converts SubtleCrypto's arguments (WebIDL), normalizes algorithms and makes the checks
// every operation shares; the algorithms themselves live in webcrypto_secret.js and
// webcrypto_asymmetric.js. Operations settle a promise; key pair generation runs on
// the thread pool, everything else synchronously.

const { binding } = require('internal/crypto/util');
const random = require('internal/crypto/random');
const { kHandle } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  codes: { ERR_INVALID_THIS },
} = require('internal/errors');
const {
  domException, codedTypeError, isCryptoKey, bufferSourceBytes, copyBytes, normalizeAlgorithm, CryptoKey,
  construct, checkConstructing, checkUsages, kAlgorithm, kExtractable, kUsages, kUsageOrder, kDigests,
} = require('internal/crypto/webcrypto_common');

const algorithms = {
  ...require('internal/crypto/webcrypto_secret').algorithms,
  ...require('internal/crypto/webcrypto_asymmetric').algorithms,
};

// --- argument conversion (WebIDL) ---------------------------------------------------

const kOrdinals = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th'];
const kKeyFormats = ['raw', 'spki', 'pkcs8', 'jwk'];

function argumentError(code, method, index, message) {
  return codedTypeError(code, `Failed to execute '${method}' on 'SubtleCrypto': ${kOrdinals[index]} argument ${message}`);
}

function requireArgs(method, count, given) {
  if (given < count) {
    throw codedTypeError('ERR_MISSING_ARGS',
      `Failed to execute '${method}' on 'SubtleCrypto': ${count} arguments required, but only ${given} present.`);
  }
}

// A private copy of a BufferSource argument's bytes.
function bufferArg(value, method, index) {
  const bytes = bufferSourceBytes(value);
  if (bytes === undefined) {
    throw argumentError('ERR_INVALID_ARG_TYPE', method, index, 'is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.');
  }
  return copyBytes(bytes);
}

function keyArg(value, method, index) {
  if (!isCryptoKey(value)) throw argumentError('ERR_INVALID_ARG_TYPE', method, index, 'is not of type CryptoKey.');
  return value;
}

function formatArg(value, method, index) {
  const format = `${value}`;
  if (!kKeyFormats.includes(format)) {
    throw argumentError('ERR_INVALID_ARG_VALUE', method, index, `'${format}' is not a valid enum value of type KeyFormat.`);
  }
  return format;
}

function usagesArg(value, method, index) {
  if (typeof value !== 'object' || value === null || typeof value[Symbol.iterator] !== 'function') {
    throw argumentError('ERR_INVALID_ARG_TYPE', method, index, 'cannot be converted to sequence.');
  }
  const usages = [];
  for (const item of value) {
    const usage = `${item}`;
    if (!kUsageOrder.includes(usage)) {
      throw codedTypeError('ERR_INVALID_ARG_VALUE',
        `Failed to execute '${method}' on 'SubtleCrypto': ${kOrdinals[index]} argument[${usages.length}] '${usage}' is not a valid enum value of type KeyUsage.`);
    }
    usages.push(usage);
  }
  return usages;
}

// importKey's keyData: a JsonWebKey dictionary for 'jwk', bytes otherwise.
function keyDataArg(format, value, method, index) {
  if (format !== 'jwk') return bufferArg(value, method, index);
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw argumentError('ERR_INVALID_ARG_TYPE', method, index, 'cannot be converted to a dictionary');
  }
  return value;
}

// WebIDL `unsigned long` without [EnforceRange]; null stands for "not given".
function lengthArg(value) {
  if (value === undefined || value === null) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) return 0;
  return ((Math.trunc(n) % 2 ** 32) + 2 ** 32) % 2 ** 32;
}

// --- shared checks ------------------------------------------------------------------

function checkKey(key, algorithm, usage) {
  if (key[kAlgorithm].name !== algorithm.name) throw domException('Key algorithm mismatch', 'InvalidAccessError');
  if (!key[kUsages].includes(usage)) throw domException(`Unable to use this key to ${usage}`, 'InvalidAccessError');
}

function checkBaseKey(key, algorithm, usage) {
  algorithms[algorithm.name].checkDeriveParams?.(algorithm);
  if (key[kAlgorithm].name !== algorithm.name) throw domException('Key algorithm mismatch', 'InvalidAccessError');
  if (!key[kUsages].includes(usage)) throw domException(`baseKey does not have ${usage} usage`, 'InvalidAccessError');
}

// wrapKey/unwrapKey take AES-KW or any encryption algorithm.
function normalizeWrapAlgorithm(algorithm, op, fallback) {
  try {
    return normalizeAlgorithm(algorithm, op);
  } catch (err) {
    if (err?.name !== 'NotSupportedError') throw err;
    return normalizeAlgorithm(algorithm, fallback);
  }
}

function importKey(format, keyData, algorithm, extractable, usages) {
  return algorithms[algorithm.name].importKey(format, keyData, algorithm, extractable, usages);
}

function exportKey(format, key) {
  const { name } = key[kAlgorithm];
  if (algorithms[name].exportKey === undefined) throw domException(`${name} key export is not supported`, 'NotSupportedError');
  if (!key[kExtractable]) throw domException('key is not extractable', 'InvalidAccessError');
  return algorithms[name].exportKey(format, key);
}

// --- SubtleCrypto -------------------------------------------------------------------

// Runs a SubtleCrypto method body: `this` is checked first, any throw rejects.
function operation(self, body) {
  if (!(self instanceof SubtleCrypto)) return Promise.reject(new ERR_INVALID_THIS('SubtleCrypto'));
  return new Promise((resolve) => resolve(body()));
}

class SubtleCrypto {
  constructor() {
    checkConstructing();
  }

  digest(algorithm, data) {
    return operation(this, () => {
      requireArgs('digest', 2, arguments.length);
      const bytes = bufferArg(data, 'digest', 1);
      const normalized = normalizeAlgorithm(algorithm, 'digest');
      return binding.digestOnce(kDigests[normalized.name], bytes, 0);
    });
  }

  generateKey(algorithm, extractable, keyUsages) {
    return operation(this, () => {
      requireArgs('generateKey', 3, arguments.length);
      const usages = usagesArg(keyUsages, 'generateKey', 2);
      const normalized = normalizeAlgorithm(algorithm, 'generateKey');
      return algorithms[normalized.name].generateKey(normalized, !!extractable, usages);
    });
  }

  importKey(format, keyData, algorithm, extractable, keyUsages) {
    return operation(this, () => {
      requireArgs('importKey', 5, arguments.length);
      format = formatArg(format, 'importKey', 0);
      const data = keyDataArg(format, keyData, 'importKey', 1);
      const usages = usagesArg(keyUsages, 'importKey', 4);
      const normalized = normalizeAlgorithm(algorithm, 'importKey');
      return importKey(format, data, normalized, !!extractable, usages);
    });
  }

  exportKey(format, key) {
    return operation(this, () => {
      requireArgs('exportKey', 2, arguments.length);
      format = formatArg(format, 'exportKey', 0);
      keyArg(key, 'exportKey', 1);
      return exportKey(format, key);
    });
  }

  sign(algorithm, key, data) {
    return operation(this, () => {
      requireArgs('sign', 3, arguments.length);
      keyArg(key, 'sign', 1);
      const bytes = bufferArg(data, 'sign', 2);
      const normalized = normalizeAlgorithm(algorithm, 'sign');
      checkKey(key, normalized, 'sign');
      return algorithms[normalized.name].sign(normalized, key, bytes);
    });
  }

  verify(algorithm, key, signature, data) {
    return operation(this, () => {
      requireArgs('verify', 4, arguments.length);
      keyArg(key, 'verify', 1);
      const signatureBytes = bufferArg(signature, 'verify', 2);
      const bytes = bufferArg(data, 'verify', 3);
      const normalized = normalizeAlgorithm(algorithm, 'verify');
      checkKey(key, normalized, 'verify');
      return algorithms[normalized.name].verify(normalized, key, signatureBytes, bytes);
    });
  }

  encrypt(algorithm, key, data) {
    return operation(this, () => {
      requireArgs('encrypt', 3, arguments.length);
      keyArg(key, 'encrypt', 1);
      const bytes = bufferArg(data, 'encrypt', 2);
      const normalized = normalizeAlgorithm(algorithm, 'encrypt');
      checkKey(key, normalized, 'encrypt');
      return algorithms[normalized.name].encrypt(normalized, key, bytes);
    });
  }

  decrypt(algorithm, key, data) {
    return operation(this, () => {
      requireArgs('decrypt', 3, arguments.length);
      keyArg(key, 'decrypt', 1);
      const bytes = bufferArg(data, 'decrypt', 2);
      const normalized = normalizeAlgorithm(algorithm, 'decrypt');
      checkKey(key, normalized, 'decrypt');
      return algorithms[normalized.name].decrypt(normalized, key, bytes);
    });
  }

  deriveBits(algorithm, baseKey, length) {
    return operation(this, () => {
      requireArgs('deriveBits', 2, arguments.length);
      keyArg(baseKey, 'deriveBits', 1);
      const bits = lengthArg(length);
      const normalized = normalizeAlgorithm(algorithm, 'deriveBits');
      checkBaseKey(baseKey, normalized, 'deriveBits');
      return algorithms[normalized.name].deriveBits(normalized, baseKey, bits);
    });
  }

  deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
    return operation(this, () => {
      requireArgs('deriveKey', 5, arguments.length);
      keyArg(baseKey, 'deriveKey', 1);
      const usages = usagesArg(keyUsages, 'deriveKey', 4);
      const normalized = normalizeAlgorithm(algorithm, 'deriveBits');
      const importAlgorithm = normalizeAlgorithm(derivedKeyType, 'importKey');
      const lengthAlgorithm = normalizeAlgorithm(derivedKeyType, 'getKeyLength');
      checkBaseKey(baseKey, normalized, 'deriveKey');
      const length = algorithms[lengthAlgorithm.name].keyLength(lengthAlgorithm);
      const bits = algorithms[normalized.name].deriveBits(normalized, baseKey, length);
      return importKey('raw', new Uint8Array(bits), importAlgorithm, !!extractable, usages);
    });
  }

  wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    return operation(this, () => {
      requireArgs('wrapKey', 4, arguments.length);
      format = formatArg(format, 'wrapKey', 0);
      keyArg(key, 'wrapKey', 1);
      keyArg(wrappingKey, 'wrapKey', 2);
      const normalized = normalizeWrapAlgorithm(wrapAlgorithm, 'wrapKey', 'encrypt');
      checkKey(wrappingKey, normalized, 'wrapKey');
      const exported = exportKey(format, key);
      let bytes;
      if (format === 'jwk') {
        let json = JSON.stringify(exported);
        // AES-KW wraps whole 64-bit blocks: the JSON is padded with spaces.
        if (normalized.name === 'AES-KW') json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
        bytes = new Uint8Array(Buffer.from(json));
      } else {
        bytes = new Uint8Array(exported);
      }
      const impl = algorithms[normalized.name];
      return (impl.wrapKey ?? impl.encrypt)(normalized, wrappingKey, bytes);
    });
  }

  unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
    return operation(this, () => {
      requireArgs('unwrapKey', 7, arguments.length);
      format = formatArg(format, 'unwrapKey', 0);
      const wrapped = bufferArg(wrappedKey, 'unwrapKey', 1);
      keyArg(unwrappingKey, 'unwrapKey', 2);
      const usages = usagesArg(keyUsages, 'unwrapKey', 6);
      const normalized = normalizeWrapAlgorithm(unwrapAlgorithm, 'unwrapKey', 'decrypt');
      const importAlgorithm = normalizeAlgorithm(unwrappedKeyAlgorithm, 'importKey');
      checkKey(unwrappingKey, normalized, 'unwrapKey');
      const impl = algorithms[normalized.name];
      const bytes = new Uint8Array((impl.unwrapKey ?? impl.decrypt)(normalized, unwrappingKey, wrapped));
      let keyData = bytes;
      if (format === 'jwk') {
        try {
          keyData = JSON.parse(Buffer.from(bytes).toString());
        } catch {
          throw domException('Invalid wrapped JWK key', 'DataError');
        }
      }
      return importKey(format, keyData, importAlgorithm, !!extractable, usages);
    });
  }
}
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { __proto__: null, value: 'SubtleCrypto', configurable: true });

const subtle = construct(() => new SubtleCrypto());

// KeyObject#toCryptoKey: the key as a CryptoKey of `algorithm`, checked like importKey.
function keyObjectToCryptoKey(keyObject, algorithm, extractable, keyUsages) {
  const normalized = normalizeAlgorithm(algorithm, 'importKey');
  if (typeof keyUsages !== 'object' || keyUsages === null || typeof keyUsages[Symbol.iterator] !== 'function') {
    throw codedTypeError('ERR_INVALID_ARG_TYPE', 'Value cannot be converted to sequence.');
  }
  const usages = [...keyUsages];
  const impl = algorithms[normalized.name];
  // A secret KeyObject takes only secret-key algorithms, a key pair half only the others.
  if ((keyObject.type === 'secret') !== (impl.importKeyObject === undefined)) {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  if (keyObject.type === 'secret') {
    return impl.importKey('raw', new Uint8Array(keyObject[kHandle]), normalized, !!extractable, usages);
  }
  checkUsages(normalized.name, usages, impl.usagesOf(keyObject));
  return impl.importKeyObject(keyObject, normalized, !!extractable, usages);
}

// --- Crypto -------------------------------------------------------------------------

class Crypto {
  constructor() {
    checkConstructing();
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

const crypto = construct(() => new Crypto());

module.exports = { crypto, Crypto, CryptoKey, SubtleCrypto, keyObjectToCryptoKey };
