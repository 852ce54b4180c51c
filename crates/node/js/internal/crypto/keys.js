'use strict';

// KeyObject (secret, public, private), createSecretKey/createPublicKey/createPrivateKey
// and the key-preparing helpers every crypto operation uses. Secret keys keep their bytes
// in JS; asymmetric keys are native OpenSSL keys (see src/crypto/keys.rs).

const {
  binding, FastBuffer, viewBytes, nativeError, kKeyObjectBrand, kCryptoKeyBrand,
} = require('internal/crypto/util');
const { Buffer } = require('buffer');
const {
  codes: {
    ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS, ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE, ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
  },
  validators: { validateObject, validateOneOf, validateString },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const kKeyType = Symbol('kKeyType');
const kKeyData = Symbol('kKeyData');
const kHandle = Symbol('kHandle');
// The CryptoKey's KeyObject (set by webcrypto).
const kKeyObjectOf = Symbol('kKeyObjectOf');

const invalidJwk = (message) => nativeError(TypeError, 'ERR_CRYPTO_INVALID_JWK', message);

class KeyObject {
  constructor(type, handle) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') {
      throw new ERR_INVALID_ARG_VALUE('type', type);
    }
    if (typeof handle !== 'object' || handle === null) {
      throw new ERR_INVALID_ARG_TYPE('handle', 'object', handle);
    }
    Object.defineProperty(this, kKeyType, { __proto__: null, value: type, enumerable: false, configurable: false, writable: false });
    Object.defineProperty(this, kHandle, { __proto__: null, value: handle, enumerable: false, configurable: false, writable: false });
  }

  get type() {
    return this[kKeyType];
  }

  static from(key) {
    if (!isCryptoKey(key)) throw new ERR_INVALID_ARG_TYPE('key', 'CryptoKey', key);
    return key[kKeyObjectOf];
  }

  toCryptoKey(algorithm, extractable, keyUsages) {
    return require('internal/crypto/webcrypto').keyObjectToCryptoKey(this, algorithm, extractable, keyUsages);
  }

  equals(otherKeyObject) {
    if (!isKeyObject(otherKeyObject)) {
      throw new ERR_INVALID_ARG_TYPE('otherKeyObject', 'KeyObject', otherKeyObject);
    }
    if (otherKeyObject.type !== this.type) return false;
    if (this.type === 'secret') {
      const a = this[kHandle];
      const b = otherKeyObject[kHandle];
      return a.byteLength === b.byteLength && binding.timingSafeEqual(a, b);
    }
    return binding.keyEquals(this[kHandle], otherKeyObject[kHandle]);
  }
}
Object.defineProperty(KeyObject.prototype, Symbol.toStringTag, { __proto__: null, value: 'KeyObject', configurable: true });
Object.defineProperty(KeyObject.prototype, kKeyObjectBrand, { __proto__: null, value: true });

class SecretKeyObject extends KeyObject {
  constructor(bytes) {
    super('secret', bytes);
  }

  get symmetricKeySize() {
    return this[kHandle].byteLength;
  }

  export(options) {
    if (options !== undefined) {
      validateObject(options, 'options');
      validateOneOf(options.format, 'options.format', [undefined, 'buffer', 'jwk']);
      if (options.format === 'jwk') {
        return { kty: 'oct', k: Buffer.from(this[kHandle]).toString('base64url') };
      }
    }
    return Buffer.from(this[kHandle]);
  }
}

// Native description, fetched once per key: [type, isPrivate, modulusLength, exponentHex, curve, divisorLength].
const kInfo = Symbol('kInfo');
function keyInfo(key) {
  let info = key[kInfo];
  if (info === undefined) {
    info = binding.keyInfo(key[kHandle]);
    Object.defineProperty(key, kInfo, { __proto__: null, value: info, enumerable: false });
  }
  return info;
}

class AsymmetricKeyObject extends KeyObject {
  get asymmetricKeyType() {
    return keyInfo(this)[0];
  }

  get asymmetricKeyDetails() {
    const [type, , modulusLength, exponentHex, namedCurve, divisorLength] = keyInfo(this);
    switch (type) {
      case 'rsa':
      case 'rsa-pss':
        return { modulusLength, publicExponent: BigInt(`0x${exponentHex}`) };
      case 'ec':
        return { namedCurve };
      case 'dsa':
        return { modulusLength, divisorLength };
      default:
        return {};
    }
  }
}

function exportJwk(key, wantPublic) {
  const raw = binding.keyJwk(key[kHandle], wantPublic);
  if (raw === 'type') {
    throw nativeError(Error, 'ERR_CRYPTO_JWK_UNSUPPORTED_KEY_TYPE', 'Unsupported JWK Key Type.');
  }
  if (typeof raw === 'string') {
    throw nativeError(Error, 'ERR_CRYPTO_JWK_UNSUPPORTED_CURVE', `Unsupported JWK EC curve: ${raw.slice(6)}.`);
  }
  const members = {};
  for (let i = 0; i < raw.length; i += 2) {
    const value = raw[i + 1];
    members[raw[i]] = typeof value === 'string' ? value : Buffer.from(value).toString('base64url');
  }
  // Node's member order per key type.
  const order = {
    RSA: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
    EC: ['kty', 'x', 'y', 'crv', 'd'],
    OKP: ['crv', 'd', 'x', 'kty'],
  }[members.kty];
  const jwk = {};
  for (const name of order) if (members[name] !== undefined) jwk[name] = members[name];
  return jwk;
}

function exportFormat(options) {
  const { format } = options;
  if (format !== 'pem' && format !== 'der' && format !== 'jwk') {
    throw new ERR_INVALID_ARG_VALUE('options.format', format);
  }
  return format;
}

class PublicKeyObject extends AsymmetricKeyObject {
  constructor(handle) {
    super('public', handle);
  }

  export(options) {
    validateObject(options, 'options');
    const format = exportFormat(options);
    if (format === 'jwk') return exportJwk(this, true);
    const { type } = options;
    if (type !== 'pkcs1' && type !== 'spki') throw new ERR_INVALID_ARG_VALUE('options.type', type);
    if (type === 'pkcs1' && this.asymmetricKeyType !== 'rsa') {
      throw new ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS('pkcs1', 'can only be used for RSA keys');
    }
    return exportOutput(binding.keyExport(this[kHandle], true, format, type));
  }
}

class PrivateKeyObject extends AsymmetricKeyObject {
  constructor(handle) {
    super('private', handle);
  }

  export(options) {
    validateObject(options, 'options');
    const format = exportFormat(options);
    if (format === 'jwk') {
      if (options.passphrase !== undefined) {
        throw new ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS('jwk', 'does not support encryption');
      }
      return exportJwk(this, false);
    }
    const { type, cipher, passphrase } = options;
    if (type !== 'pkcs1' && type !== 'pkcs8' && type !== 'sec1') throw new ERR_INVALID_ARG_VALUE('options.type', type);
    if (type === 'pkcs1' && this.asymmetricKeyType !== 'rsa') {
      throw new ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS('pkcs1', 'can only be used for RSA keys');
    }
    if (type === 'sec1' && this.asymmetricKeyType !== 'ec') {
      throw new ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS('sec1', 'can only be used for EC keys');
    }
    let passphraseBytes;
    if (cipher !== undefined) {
      validateString(cipher, 'options.cipher');
      if (passphrase === undefined) throw new ERR_INVALID_ARG_VALUE('options.passphrase', passphrase);
      passphraseBytes = passphraseArg(passphrase, 'options.passphrase');
      if (format === 'der' && type !== 'pkcs8') {
        throw new ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS(type, 'does not support encryption');
      }
    } else if (passphrase !== undefined) {
      throw new ERR_INVALID_ARG_VALUE('options.cipher', cipher);
    }
    return exportOutput(binding.keyExport(this[kHandle], false, format, type, cipher, passphraseBytes));
  }
}

function exportOutput(out) {
  return typeof out === 'string' ? out : new FastBuffer(out);
}

function passphraseArg(passphrase, name) {
  if (typeof passphrase === 'string') return Buffer.from(passphrase);
  if (isAnyArrayBuffer(passphrase)) return new Uint8Array(passphrase);
  if (isArrayBufferView(passphrase)) return viewBytes(passphrase);
  throw new ERR_INVALID_ARG_VALUE(name, passphrase);
}

const kSecretKeyTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'];
const kBufferTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

function isKeyObject(value) {
  return value != null && value[kKeyObjectBrand] === true;
}

function isCryptoKey(value) {
  return value != null && value[kCryptoKeyBrand] === true;
}

function isStringOrBuffer(value) {
  return typeof value === 'string' || isArrayBufferView(value) || isAnyArrayBuffer(value);
}

function toBytes(value, encoding) {
  if (typeof value === 'string') return Buffer.from(value, encoding === 'buffer' || encoding === undefined ? 'utf8' : encoding);
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  return viewBytes(value);
}

// The raw bytes of a secret key argument (HMAC keys, cipher keys, ...).
function prepareSecretKey(key, encoding, bufferOnly = false) {
  if (!bufferOnly) {
    if (isKeyObject(key)) {
      if (key.type !== 'secret') throw new ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE(key.type, 'secret');
      return key[kHandle];
    }
    if (isCryptoKey(key)) {
      if (key.type !== 'secret') throw new ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE(key.type, 'secret');
      return key[kKeyObjectOf][kHandle];
    }
  }
  if (!isStringOrBuffer(key)) {
    throw new ERR_INVALID_ARG_TYPE('key', bufferOnly ? kSecretKeyTypes.slice(0, 5) : kSecretKeyTypes, key);
  }
  return toBytes(key, encoding);
}

// HKDF's input keying material: a secret KeyObject or bytes.
function prepareHkdfKey(ikm) {
  if (isKeyObject(ikm)) {
    if (ikm.type !== 'secret') throw new ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE(ikm.type, 'secret');
    return ikm[kHandle];
  }
  if (isStringOrBuffer(ikm)) return toBytes(ikm);
  throw new ERR_INVALID_ARG_TYPE('ikm', ['string', 'SecretKeyObject', 'ArrayBuffer', 'TypedArray', 'DataView', 'Buffer'], ikm);
}

function createSecretKey(key, encoding) {
  if (!isStringOrBuffer(key)) {
    throw new ERR_INVALID_ARG_TYPE('key', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], key);
  }
  const bytes = toBytes(key, encoding);
  // A private copy: later changes to the caller's buffer don't change the key.
  return new SecretKeyObject(new FastBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

// --- Parsing asymmetric keys ------------------------------------------------------

// Reads { key, format, type, passphrase, encoding } (or a bare PEM string/buffer).
function keyInput(key, isPublic, allowKeyObject) {
  if (isStringOrBuffer(key)) return { data: toBytes(key), format: 'pem' };
  if (typeof key !== 'object' || key === null || (allowKeyObject && (isKeyObject(key) || isCryptoKey(key)))) {
    throw new ERR_INVALID_ARG_TYPE('key', allowKeyObject || isPublic ? kSecretKeyTypes : kBufferTypes, key);
  }
  if (isKeyObject(key) || isCryptoKey(key)) throw new ERR_INVALID_ARG_TYPE('key', kBufferTypes, key);
  const { key: data, encoding, passphrase } = key;
  const format = key.format ?? 'pem';
  if (format === 'jwk') {
    validateObject(data, 'key.key');
    return { jwk: data };
  }
  if (!isStringOrBuffer(data)) {
    throw new ERR_INVALID_ARG_TYPE('key.key', kBufferTypes, data);
  }
  if (format !== 'pem' && format !== 'der') throw new ERR_INVALID_ARG_VALUE('key.format', format);
  let type;
  if (format === 'der') {
    type = key.type;
    const allowed = isPublic ? ['pkcs1', 'spki', 'pkcs8', 'sec1'] : ['pkcs1', 'pkcs8', 'sec1'];
    if (!allowed.includes(type)) throw new ERR_INVALID_ARG_VALUE('key.type', type);
  }
  let passphraseBytes;
  if (passphrase !== undefined && passphrase !== null) passphraseBytes = passphraseArg(passphrase, 'key.passphrase');
  return { data: toBytes(data, encoding), format, type, passphrase: passphraseBytes };
}

const kJwkCurves = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'secp256k1': 'secp256k1' };

function jwkBytes(value) {
  return Buffer.from(value, 'base64url');
}

function keyFromJwk(jwk, isPublic) {
  const { kty } = jwk;
  validateString(kty, 'key.kty');
  let handle;
  if (kty === 'RSA') {
    const names = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'];
    const needed = isPublic ? 2 : 8;
    for (let i = 0; i < 2; i++) if (typeof jwk[names[i]] !== 'string') throw invalidJwk('Invalid JWK RSA key');
    const priv = !isPublic;
    if (priv && jwk.d === undefined) throw invalidJwk('JWK does not contain private key material');
    for (let i = 2; i < needed; i++) if (typeof jwk[names[i]] !== 'string') throw invalidJwk('Invalid JWK RSA key');
    handle = binding.keyFromJwk('RSA', priv, ...names.slice(0, needed).map((n) => jwkBytes(jwk[n])));
    if (handle === undefined) throw invalidJwk('Invalid JWK RSA key');
  } else if (kty === 'EC') {
    const curve = kJwkCurves[jwk.crv];
    if (curve === undefined) throw nativeError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name');
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw invalidJwk('Invalid JWK EC key');
    if (!isPublic && jwk.d === undefined) throw invalidJwk('JWK does not contain private key material');
    if (!isPublic && typeof jwk.d !== 'string') throw invalidJwk('Invalid JWK EC key');
    handle = binding.keyFromJwk('EC', !isPublic, curve, jwkBytes(jwk.x), jwkBytes(jwk.y), isPublic ? undefined : jwkBytes(jwk.d));
    if (handle === undefined) throw invalidJwk('Invalid JWK EC key');
  } else if (kty === 'OKP') {
    const sizes = { Ed25519: 32, X25519: 32, Ed448: 57, X448: 56 };
    const size = sizes[jwk.crv];
    if (size === undefined || typeof jwk.x !== 'string') throw invalidJwk('Invalid JWK OKP key');
    if (!isPublic && jwk.d === undefined) throw invalidJwk('JWK does not contain private key material');
    const x = jwkBytes(jwk.x);
    const d = isPublic ? undefined : jwkBytes(jwk.d);
    if (x.length !== size || (d !== undefined && d.length !== size)) throw invalidJwk('Invalid JWK OKP key');
    handle = binding.keyFromJwk('OKP', !isPublic, jwk.crv, x, d);
    if (handle === undefined) throw invalidJwk('Invalid JWK OKP key');
  } else {
    throw invalidJwk(`${kty} is not a supported JWK key type`);
  }
  return handle;
}

function parseKey(input, isPublic) {
  if (input.jwk !== undefined) return keyFromJwk(input.jwk, isPublic);
  if (input.format === 'der' && input.type === 'pkcs8' && input.passphrase === undefined && !isPublic) {
    // Node names a missing passphrase for encrypted PKCS#8 DER itself.
    try {
      return binding.keyParse(isPublic, input.data, input.format, input.type, input.passphrase);
    } catch (e) {
      if (e.code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED') {
        throw nativeError(TypeError, 'ERR_MISSING_PASSPHRASE', 'Passphrase required for encrypted key');
      }
      throw e;
    }
  }
  return binding.keyParse(isPublic, input.data, input.format, input.type, input.passphrase);
}

function createPrivateKey(key) {
  return new PrivateKeyObject(parseKey(keyInput(key, false, false), false));
}

function createPublicKey(key) {
  if (isKeyObject(key) || isCryptoKey(key)) {
    const keyObject = isCryptoKey(key) ? key[kKeyObjectOf] : key;
    if (keyObject.type !== 'private') throw new ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE(keyObject.type, 'private');
    return new PublicKeyObject(keyObject[kHandle]);
  }
  return new PublicKeyObject(parseKey(keyInput(key, true, false), true));
}

// Native key handle for sign/verify/encrypt: KeyObject, CryptoKey, PEM/DER input or
// { key, ... } options. `wantPrivate` keys must be private.
function prepareAsymmetricKey(key, wantPrivate) {
  if (isKeyObject(key) || isCryptoKey(key)) {
    const keyObject = isCryptoKey(key) ? key[kKeyObjectOf] : key;
    if (keyObject.type === 'secret' || (wantPrivate && keyObject.type !== 'private')) {
      throw new ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE(keyObject.type, wantPrivate ? 'private' : 'private or public');
    }
    return keyObject[kHandle];
  }
  if (typeof key === 'object' && key !== null && !isStringOrBuffer(key) && (isKeyObject(key.key) || isCryptoKey(key.key))) {
    return prepareAsymmetricKey(key.key, wantPrivate);
  }
  if (!isStringOrBuffer(key) && (typeof key !== 'object' || key === null)) {
    throw new ERR_INVALID_ARG_TYPE('key', kSecretKeyTypes, key);
  }
  return parseKey(keyInput(key, !wantPrivate, true), !wantPrivate);
}

function handleOf(keyObject) {
  return keyObject[kHandle];
}

module.exports = {
  KeyObject,
  SecretKeyObject,
  PublicKeyObject,
  PrivateKeyObject,
  createSecretKey,
  createPublicKey,
  createPrivateKey,
  prepareSecretKey,
  prepareHkdfKey,
  prepareAsymmetricKey,
  isKeyObject,
  isCryptoKey,
  handleOf,
  kHandle,
  kKeyObjectOf,
  exportJwk,
};
