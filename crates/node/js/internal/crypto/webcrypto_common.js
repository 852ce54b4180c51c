'use strict';

// Pieces every Web Crypto module shares: CryptoKey, the errors SubtleCrypto raises,
// algorithm normalization (the WebCrypto registry of algorithms per operation and the
// WebIDL dictionaries of their parameters) and key usage rules.

const { viewBytes, isAnyArrayBuffer, isArrayBufferView, kCryptoKeyBrand } = require('internal/crypto/util');
const { kKeyObjectOf } = require('internal/crypto/keys');
const {
  codes: { ERR_INVALID_THIS, ERR_ILLEGAL_CONSTRUCTOR },
} = require('internal/errors');

let lazyDOMException;
function domException(message, name) {
  lazyDOMException ??= require('internal/dom_exception').DOMException;
  return new lazyDOMException(message, name);
}

const operationError = () => domException('The operation failed for an operation-specific reason', 'OperationError');
const invalidKeyData = () => domException('Invalid keyData', 'DataError');
const unrecognizedAlgorithm = () => domException('Unrecognized algorithm name', 'NotSupportedError');

function codedTypeError(code, message) {
  const err = new TypeError(message);
  err.code = code;
  return err;
}

function isCryptoKey(value) {
  return value != null && value[kCryptoKeyBrand] === true;
}

// Bytes of a BufferSource, or undefined when `value` is none.
function bufferSourceBytes(value) {
  if (isArrayBufferView(value)) return viewBytes(value);
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  return undefined;
}

// A private copy of `view`'s bytes: later changes to the caller's buffer don't matter.
function copyBytes(view) {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

// --- algorithm normalization ------------------------------------------------------

// Dictionary members in WebIDL conversion order: [member, type, required].
const kHashMember = ['hash', 'hash', true];
const kDictionaries = {
  Algorithm: [],
  RsaHashedKeyGenParams: [['modulusLength', 'ulong', true], ['publicExponent', 'bigint', true], kHashMember],
  RsaHashedImportParams: [kHashMember],
  RsaPssParams: [['saltLength', 'ulong', true]],
  RsaOaepParams: [['label', 'buffer', false]],
  EcKeyGenParams: [['namedCurve', 'string', true]],
  EcKeyImportParams: [['namedCurve', 'string', true]],
  EcdsaParams: [kHashMember],
  EcdhKeyDeriveParams: [['public', 'key', true]],
  HmacKeyGenParams: [kHashMember, ['length', 'ulong', false]],
  HmacImportParams: [kHashMember, ['length', 'ulong', false]],
  AesKeyGenParams: [['length', 'ushort', true]],
  AesDerivedKeyParams: [['length', 'ushort', true]],
  AesCbcParams: [['iv', 'buffer', true]],
  AesCtrParams: [['counter', 'buffer', true], ['length', 'octet', true]],
  AeadParams: [['additionalData', 'buffer', false], ['iv', 'buffer', true], ['tagLength', 'octet', false]],
  HkdfParams: [kHashMember, ['info', 'buffer', true], ['salt', 'buffer', true]],
  Pbkdf2Params: [kHashMember, ['iterations', 'ulong', true], ['salt', 'buffer', true]],
};

const kShaNames = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const each = (names, dictionary) => Object.fromEntries(names.map((name) => [name, dictionary]));
const kRsa = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'];
const kAes = ['AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW'];

// Which algorithms each operation knows, and the dictionary of their parameters.
const kRegistry = {
  digest: each(kShaNames, 'Algorithm'),
  generateKey: {
    ...each(kRsa, 'RsaHashedKeyGenParams'),
    ECDSA: 'EcKeyGenParams', ECDH: 'EcKeyGenParams', Ed25519: 'Algorithm', X25519: 'Algorithm',
    HMAC: 'HmacKeyGenParams', ...each(kAes, 'AesKeyGenParams'),
  },
  importKey: {
    ...each(kRsa, 'RsaHashedImportParams'),
    ECDSA: 'EcKeyImportParams', ECDH: 'EcKeyImportParams', Ed25519: 'Algorithm', X25519: 'Algorithm',
    HMAC: 'HmacImportParams', ...each(kAes, 'Algorithm'), PBKDF2: 'Algorithm', HKDF: 'Algorithm',
  },
  sign: { 'RSASSA-PKCS1-v1_5': 'Algorithm', 'RSA-PSS': 'RsaPssParams', ECDSA: 'EcdsaParams', Ed25519: 'Algorithm', HMAC: 'Algorithm' },
  encrypt: { 'RSA-OAEP': 'RsaOaepParams', 'AES-CTR': 'AesCtrParams', 'AES-CBC': 'AesCbcParams', 'AES-GCM': 'AeadParams' },
  deriveBits: { ECDH: 'EcdhKeyDeriveParams', X25519: 'EcdhKeyDeriveParams', HKDF: 'HkdfParams', PBKDF2: 'Pbkdf2Params' },
  getKeyLength: { ...each(kAes, 'AesDerivedKeyParams'), HMAC: 'HmacImportParams', HKDF: 'Algorithm', PBKDF2: 'Algorithm' },
  wrapKey: { 'AES-KW': 'Algorithm' },
};
kRegistry.verify = kRegistry.sign;
kRegistry.decrypt = kRegistry.encrypt;
kRegistry.unwrapKey = kRegistry.wrapKey;

const kAllNames = [...new Set(Object.values(kRegistry).flatMap(Object.keys))];
const kUpperNames = new Map(kAllNames.map((name) => [name.toUpperCase(), name]));

const kRanges = { ulong: 4294967295, ushort: 65535, octet: 255 };

function normalizeError(code, message) {
  return codedTypeError(code, `Failed to normalize algorithm: ${message}`);
}

// One dictionary member converted per WebIDL.
function convertMember(value, member, type, dictionary) {
  switch (type) {
    case 'ulong':
    case 'ushort':
    case 'octet': {
      const n = Number(value);
      if (!Number.isFinite(n)) throw normalizeError('ERR_INVALID_ARG_TYPE', `${member} in passed algorithm is not a finite number.`);
      const max = kRanges[type];
      const integer = Math.trunc(n);
      if (integer < 0 || integer > max) {
        throw normalizeError('ERR_OUT_OF_RANGE', `${member} in passed algorithm is outside the expected range of 0 to ${max}.`);
      }
      return integer;
    }
    case 'bigint':
      if (!(value instanceof Uint8Array)) throw normalizeError('ERR_INVALID_ARG_TYPE', `${member} in passed algorithm is not an Uint8Array object.`);
      return copyBytes(value);
    case 'buffer': {
      const bytes = bufferSourceBytes(value);
      if (bytes === undefined) {
        throw normalizeError('ERR_INVALID_ARG_TYPE', `${member} in passed algorithm is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
      }
      return copyBytes(bytes);
    }
    case 'key':
      if (!isCryptoKey(value)) throw normalizeError('ERR_INVALID_ARG_TYPE', `${member} in passed algorithm is not of type CryptoKey.`);
      return value;
    case 'string':
      return `${value}`;
    case 'hash':
      try {
        return normalizeAlgorithm(value, 'digest');
      } catch {
        throw domException(`Only SHA hashes are supported in ${dictionary}`, 'NotSupportedError');
      }
  }
}

// The algorithm `op` gets: `{ name, ...members }` with the name in its registered spelling.
function normalizeAlgorithm(algorithm, op) {
  if (typeof algorithm === 'string') algorithm = { name: algorithm };
  if (typeof algorithm !== 'object' || algorithm === null) throw unrecognizedAlgorithm();
  if (algorithm.name === undefined) {
    throw normalizeError('ERR_MISSING_OPTION', "passed algorithm cannot be converted to 'Algorithm' because 'name' is required in 'Algorithm'.");
  }
  const name = typeof algorithm.name === 'string' ? kUpperNames.get(algorithm.name.toUpperCase()) : undefined;
  const dictionary = name === undefined ? undefined : kRegistry[op][name];
  if (dictionary === undefined) throw unrecognizedAlgorithm();
  const normalized = { name };
  for (const [member, type, required] of kDictionaries[dictionary]) {
    const value = algorithm[member];
    if (value === undefined) {
      if (required) {
        throw normalizeError('ERR_MISSING_OPTION',
          `passed algorithm cannot be converted to '${dictionary}' because '${member}' is required in '${dictionary}'.`);
      }
      continue;
    }
    normalized[member] = convertMember(value, member, type, dictionary);
  }
  return normalized;
}

// --- CryptoKey --------------------------------------------------------------------

const kAlgorithm = Symbol('kAlgorithm');
const kExtractable = Symbol('kExtractable');
const kUsages = Symbol('kUsages');
let constructing = false;

// Runs `fn` with the illegal-constructor guard of the Web Crypto classes lifted.
function construct(fn) {
  constructing = true;
  try {
    return fn();
  } finally {
    constructing = false;
  }
}

function checkConstructing() {
  if (!constructing) throw new ERR_ILLEGAL_CONSTRUCTOR();
}

class CryptoKey {
  constructor() {
    checkConstructing();
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

  [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
    if (depth < 0) return this;
    const shown = { type: this.type, extractable: this.extractable, algorithm: this.algorithm, usages: this.usages };
    return `CryptoKey ${inspect(shown, { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
  }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { __proto__: null, value: 'CryptoKey', configurable: true });
Object.defineProperty(CryptoKey.prototype, kCryptoKeyBrand, { __proto__: null, value: true });

// Key usages in the order of the KeyUsage enum, which is how CryptoKey lists them.
const kUsageOrder = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'];

function sortedUsages(usages) {
  return kUsageOrder.filter((usage) => usages.includes(usage));
}

function makeCryptoKey(keyObject, algorithm, extractable, usages) {
  const key = construct(() => new CryptoKey());
  const hidden = (k, value) => Object.defineProperty(key, k, { __proto__: null, value });
  hidden(kKeyObjectOf, keyObject);
  hidden(kAlgorithm, algorithm);
  hidden(kExtractable, !!extractable);
  hidden(kUsages, sortedUsages(usages));
  return key;
}

// SyntaxError unless every usage is one of `allowed`.
function checkUsages(name, usages, allowed) {
  if (usages.some((usage) => !allowed.includes(usage))) {
    throw domException(`Unsupported key usage for ${name} key`, 'SyntaxError');
  }
}

function checkNotEmpty(usages, what) {
  if (usages.length === 0) throw domException(`Usages cannot be empty when ${what}.`, 'SyntaxError');
}

// The checks every JWK import makes before reading key material (X25519 ignores `use`).
function checkJwk(jwk, kty, expectedUse, extractable, usages) {
  if (jwk.kty === undefined) throw invalidKeyData();
  if (jwk.kty !== kty) throw domException('Invalid JWK "kty" Parameter', 'DataError');
  if (expectedUse !== undefined && jwk.use !== undefined && jwk.use !== expectedUse) throw domException('Invalid JWK "use" Parameter', 'DataError');
  if (jwk.key_ops !== undefined) {
    if (Array.isArray(jwk.key_ops) && new Set(jwk.key_ops).size !== jwk.key_ops.length) {
      throw domException('Duplicate key operation', 'DataError');
    }
    if (!Array.isArray(jwk.key_ops) || usages.some((usage) => !jwk.key_ops.includes(usage))) {
      throw domException('Key operations and usage mismatch', 'DataError');
    }
  }
  if (jwk.ext === false && extractable) throw domException('JWK "ext" Parameter and extractable mismatch', 'DataError');
}

function checkJwkAlg(jwk, expected) {
  if (jwk.alg !== undefined && jwk.alg !== expected) {
    throw domException('JWK "alg" does not match the requested algorithm', 'DataError');
  }
}

function arrayBufferOf(bytes) {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ?
    bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

const kDigests = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

module.exports = {
  domException,
  operationError,
  invalidKeyData,
  unrecognizedAlgorithm,
  codedTypeError,
  isCryptoKey,
  bufferSourceBytes,
  copyBytes,
  arrayBufferOf,
  normalizeAlgorithm,
  CryptoKey,
  construct,
  checkConstructing,
  makeCryptoKey,
  checkUsages,
  checkNotEmpty,
  checkJwk,
  checkJwkAlg,
  kAlgorithm,
  kExtractable,
  kUsages,
  kUsageOrder,
  kDigests,
};
