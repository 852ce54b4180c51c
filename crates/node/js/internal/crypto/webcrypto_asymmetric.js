'use strict';

// Web Crypto algorithms on key pairs: RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, ECDSA, ECDH,
// Ed25519 and X25519, built on node:crypto's KeyObjects and native sign/verify/derive ops.
// Each entry of `algorithms` implements the SubtleCrypto operations its algorithm supports.

const { binding, FastBuffer } = require('internal/crypto/util');
const {
  PublicKeyObject, PrivateKeyObject, createPublicKey, createPrivateKey, exportJwk, kKeyObjectOf, kHandle,
} = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  domException, operationError, invalidKeyData, arrayBufferOf, makeCryptoKey, checkUsages, checkNotEmpty,
  checkJwk, checkJwkAlg, kAlgorithm, kExtractable, kUsages, kDigests,
} = require('internal/crypto/webcrypto_common');

const RSA_PKCS1_PADDING = 1;
const RSA_PKCS1_OAEP_PADDING = 4;
const RSA_PKCS1_PSS_PADDING = 6;

const kCurves = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
const kCurveBytes = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
const kJwkEcdsa = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
const kJwkRsa = {
  'RSASSA-PKCS1-v1_5': { 'SHA-1': 'RS1', 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' },
  'RSA-PSS': { 'SHA-1': 'PS1', 'SHA-256': 'PS256', 'SHA-384': 'PS384', 'SHA-512': 'PS512' },
  'RSA-OAEP': { 'SHA-1': 'RSA-OAEP', 'SHA-256': 'RSA-OAEP-256', 'SHA-384': 'RSA-OAEP-384', 'SHA-512': 'RSA-OAEP-512' },
};

const handleOf = (key) => key[kKeyObjectOf][kHandle];
const keyObjectOf = (key) => key[kKeyObjectOf];

// Usages allowed on each half of a key pair.
const kSigningUsages = { private: ['sign'], public: ['verify'] };
const kEncryptingUsages = { private: ['decrypt', 'unwrapKey'], public: ['encrypt', 'wrapKey'] };
const kDerivingUsages = { private: ['deriveKey', 'deriveBits'], public: [] };

// Runs the native key pair generator on the thread pool: [public, private] KeyObjects.
function generatePair(type, bits, exponent, curve) {
  return new Promise((resolve, reject) => {
    binding.keyGenerate(type, bits, exponent, curve, (err, pub, priv) => {
      if (err) reject(operationError());
      else resolve([new PublicKeyObject(pub), new PrivateKeyObject(priv)]);
    });
  });
}

// A CryptoKeyPair from generated KeyObjects; the public key is always extractable.
function keyPair([publicObject, privateObject], algorithm, extractable, usages, usageSets) {
  const publicUsages = usages.filter((usage) => usageSets.public.includes(usage));
  const privateUsages = usages.filter((usage) => usageSets.private.includes(usage));
  return {
    publicKey: makeCryptoKey(publicObject, algorithm(), true, publicUsages),
    privateKey: makeCryptoKey(privateObject, algorithm(), extractable, privateUsages),
  };
}

function checkPairUsages(name, usages, usageSets) {
  checkUsages(name, usages, [...usageSets.private, ...usageSets.public]);
  checkNotEmpty(usages.filter((usage) => usageSets.private.includes(usage)), 'creating a key');
}

// A KeyObject from DER or JWK key data, or DataError.
function parseKeyData(format, keyData) {
  try {
    switch (format) {
      case 'spki':
        return new PublicKeyObject(binding.keyParse(true, keyData, 'der', 'spki'));
      case 'pkcs8':
        return new PrivateKeyObject(binding.keyParse(false, keyData, 'der', 'pkcs8'));
      default:
        return keyData.d === undefined ?
          createPublicKey({ key: keyData, format: 'jwk' }) : createPrivateKey({ key: keyData, format: 'jwk' });
    }
  } catch {
    throw invalidKeyData();
  }
}

// The usages a key of `format`'s data may have.
function usagesFor(format, keyData, usageSets) {
  const isPrivate = format === 'pkcs8' || (format === 'jwk' && keyData.d !== undefined);
  return isPrivate ? usageSets.private : usageSets.public;
}

function finishImport(keyObject, algorithm, extractable, usages) {
  if (keyObject.type === 'private') checkNotEmpty(usages, 'importing a private key');
  return makeCryptoKey(keyObject, algorithm, extractable, usages);
}

function exportPair(format, key, formats, jwkAlg) {
  const keyObject = keyObjectOf(key);
  const { type } = keyObject;
  if (!formats[type].includes(format)) {
    throw domException(`Unable to export ${key[kAlgorithm].name} ${type} key using ${format} format`, 'NotSupportedError');
  }
  switch (format) {
    case 'spki':
      return arrayBufferOf(keyObject.export({ format: 'der', type: 'spki' }));
    case 'pkcs8':
      return arrayBufferOf(keyObject.export({ format: 'der', type: 'pkcs8' }));
    case 'raw': {
      const jwk = exportJwk(keyObject, true);
      if (jwk.kty === 'OKP') return arrayBufferOf(Buffer.from(jwk.x, 'base64url'));
      return arrayBufferOf(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
    }
    default: {
      const jwk = { key_ops: [...key[kUsages]], ext: key[kExtractable] };
      if (jwkAlg !== undefined) jwk.alg = jwkAlg;
      return Object.assign(jwk, exportJwk(keyObject, type === 'public'));
    }
  }
}

function checkKeyType(keyObject, types) {
  if (!types.includes(keyObject.asymmetricKeyType)) throw domException('Invalid key type', 'DataError');
}

// --- RSA ----------------------------------------------------------------------------

function rsaKeyAlgorithm(name, keyObject, hash) {
  const { modulusLength, publicExponent } = keyObject.asymmetricKeyDetails;
  let hex = publicExponent.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return { name, modulusLength, publicExponent: new Uint8Array(Buffer.from(hex, 'hex')), hash: { ...hash } };
}

function rsaAlgorithm(name, usageSets) {
  const importKeyObject = (keyObject, algorithm, extractable, usages) => {
    checkKeyType(keyObject, name === 'RSA-PSS' ? ['rsa', 'rsa-pss'] : ['rsa']);
    return finishImport(keyObject, rsaKeyAlgorithm(name, keyObject, algorithm.hash), extractable, usages);
  };
  const formats = { public: ['spki', 'jwk'], private: ['pkcs8', 'jwk'] };
  return {
    async generateKey(algorithm, extractable, usages) {
      checkPairUsages(name, usages, usageSets);
      const exponentBytes = algorithm.publicExponent;
      const exponent = exponentBytes.reduce((n, byte) => n * 256 + byte, 0);
      if (exponent > 0xffffffff) throw operationError();
      const pair = await generatePair('rsa', algorithm.modulusLength, exponent, undefined);
      return keyPair(pair, () => rsaKeyAlgorithm(name, pair[0], algorithm.hash), extractable, usages, usageSets);
    },
    importKey(format, keyData, algorithm, extractable, usages) {
      if (!['spki', 'pkcs8', 'jwk'].includes(format)) {
        throw domException(`Unable to import ${name} using ${format} format`, 'NotSupportedError');
      }
      if (format === 'jwk' && keyData.kty === undefined) throw invalidKeyData();
      checkUsages(name, usages, usagesFor(format, keyData, usageSets));
      if (format === 'jwk') {
        checkJwk(keyData, 'RSA', name === 'RSA-OAEP' ? 'enc' : 'sig', extractable, usages);
        checkJwkAlg(keyData, kJwkRsa[name][algorithm.hash.name]);
      }
      return importKeyObject(parseKeyData(format, keyData), algorithm, extractable, usages);
    },
    importKeyObject,
    usagesOf: (keyObject) => usageSets[keyObject.type],
    exportKey: (format, key) => exportPair(format, key, formats, kJwkRsa[name][key[kAlgorithm].hash.name]),
  };
}

function rsaSignature(padding, saltLength) {
  return {
    sign(algorithm, key, data) {
      const md = kDigests[key[kAlgorithm].hash.name];
      try {
        return arrayBufferOf(new FastBuffer(binding.sign(handleOf(key), data, md, padding, saltLength?.(algorithm), false)));
      } catch {
        throw operationError();
      }
    },
    verify(algorithm, key, signature, data) {
      const md = kDigests[key[kAlgorithm].hash.name];
      try {
        return binding.verify(handleOf(key), data, signature, md, padding, saltLength?.(algorithm), false);
      } catch {
        return false;
      }
    },
  };
}

function rsaOaep(op) {
  return (algorithm, key, data) => {
    const md = kDigests[key[kAlgorithm].hash.name];
    try {
      return arrayBufferOf(new FastBuffer(binding.rsaCrypt(handleOf(key), op, data, RSA_PKCS1_OAEP_PADDING, md, algorithm.label)));
    } catch {
      throw operationError();
    }
  };
}

// --- EC -----------------------------------------------------------------------------

function checkCurve(namedCurve) {
  if (kCurves[namedCurve] === undefined) throw domException('Unrecognized namedCurve', 'NotSupportedError');
}

// An EC public KeyObject from an uncompressed or compressed point.
function ecPointKey(namedCurve, bytes) {
  const point = binding.ecdhConvert(kCurves[namedCurve], bytes, 'uncompressed');
  const size = kCurveBytes[namedCurve];
  if (point === undefined || point.byteLength !== 1 + 2 * size) throw invalidKeyData();
  const coordinates = Buffer.from(point);
  const jwk = {
    kty: 'EC', crv: namedCurve,
    x: coordinates.subarray(1, 1 + size).toString('base64url'), y: coordinates.subarray(1 + size).toString('base64url'),
  };
  return parseKeyData('jwk', jwk);
}

function ecAlgorithm(name, usageSets) {
  const importKeyObject = (keyObject, algorithm, extractable, usages) => {
    checkKeyType(keyObject, ['ec']);
    if (keyObject.asymmetricKeyDetails.namedCurve !== kCurves[algorithm.namedCurve]) {
      throw domException('Named curve mismatch', 'DataError');
    }
    return finishImport(keyObject, { name, namedCurve: algorithm.namedCurve }, extractable, usages);
  };
  const formats = { public: ['raw', 'spki', 'jwk'], private: ['pkcs8', 'jwk'] };
  return {
    async generateKey(algorithm, extractable, usages) {
      checkCurve(algorithm.namedCurve);
      checkPairUsages(name, usages, usageSets);
      const pair = await generatePair('ec', 0, 0, kCurves[algorithm.namedCurve]);
      return keyPair(pair, () => ({ name, namedCurve: algorithm.namedCurve }), extractable, usages, usageSets);
    },
    importKey(format, keyData, algorithm, extractable, usages) {
      checkCurve(algorithm.namedCurve);
      if (!['raw', 'spki', 'pkcs8', 'jwk'].includes(format)) {
        throw domException(`Unable to import ${name} using ${format} format`, 'NotSupportedError');
      }
      if (format === 'jwk' && keyData.kty === undefined) throw invalidKeyData();
      checkUsages(name, usages, usagesFor(format, keyData, usageSets));
      if (format === 'raw') return importKeyObject(ecPointKey(algorithm.namedCurve, keyData), algorithm, extractable, usages);
      if (format === 'jwk') {
        checkJwk(keyData, 'EC', name === 'ECDSA' ? 'sig' : 'enc', extractable, usages);
        if (keyData.crv === undefined) throw invalidKeyData();
        if (keyData.crv !== algorithm.namedCurve) {
          throw domException('JWK "crv" does not match the requested algorithm', 'DataError');
        }
        if (name === 'ECDSA') checkJwkAlg(keyData, kJwkEcdsa[algorithm.namedCurve]);
      }
      return importKeyObject(parseKeyData(format, keyData), algorithm, extractable, usages);
    },
    importKeyObject,
    usagesOf: (keyObject) => usageSets[keyObject.type],
    exportKey: (format, key) => exportPair(format, key, formats, undefined),
  };
}

const ecdsaSignature = {
  sign(algorithm, key, data) {
    try {
      return arrayBufferOf(new FastBuffer(binding.sign(handleOf(key), data, kDigests[algorithm.hash.name], undefined, undefined, true)));
    } catch {
      throw operationError();
    }
  },
  verify(algorithm, key, signature, data) {
    if (signature.byteLength !== 2 * kCurveBytes[key[kAlgorithm].namedCurve]) return false;
    try {
      return binding.verify(handleOf(key), data, signature, kDigests[algorithm.hash.name], undefined, undefined, true);
    } catch {
      return false;
    }
  },
};

// --- Ed25519 and X25519 -------------------------------------------------------------

function okpAlgorithm(name, usageSets) {
  const type = name.toLowerCase();
  const importKeyObject = (keyObject, algorithm, extractable, usages) => {
    checkKeyType(keyObject, [type]);
    return finishImport(keyObject, { name }, extractable, usages);
  };
  const formats = { public: ['raw', 'spki', 'jwk'], private: ['pkcs8', 'jwk'] };
  return {
    async generateKey(algorithm, extractable, usages) {
      checkPairUsages(name, usages, usageSets);
      const pair = await generatePair(type, 0, 0, undefined);
      return keyPair(pair, () => ({ name }), extractable, usages, usageSets);
    },
    importKey(format, keyData, algorithm, extractable, usages) {
      if (!['raw', 'spki', 'pkcs8', 'jwk'].includes(format)) {
        throw domException(`Unable to import ${name} using ${format} format`, 'NotSupportedError');
      }
      if (format === 'jwk' && keyData.kty === undefined) throw invalidKeyData();
      checkUsages(name, usages, usagesFor(format, keyData, usageSets));
      if (format === 'raw') {
        if (keyData.byteLength !== 32) throw invalidKeyData();
        const jwk = { kty: 'OKP', crv: name, x: Buffer.from(keyData).toString('base64url') };
        return importKeyObject(parseKeyData('jwk', jwk), algorithm, extractable, usages);
      }
      if (format === 'jwk') {
        checkJwk(keyData, 'OKP', name === 'Ed25519' ? 'sig' : undefined, extractable, usages);
        if (keyData.crv !== name) throw domException('JWK "crv" Parameter and algorithm name mismatch', 'DataError');
        if (name === 'Ed25519' && keyData.alg !== undefined && keyData.alg !== 'EdDSA') checkJwkAlg(keyData, name);
      }
      return importKeyObject(parseKeyData(format, keyData), algorithm, extractable, usages);
    },
    importKeyObject,
    usagesOf: (keyObject) => usageSets[keyObject.type],
    exportKey: (format, key) => exportPair(format, key, formats, name === 'Ed25519' ? name : undefined),
  };
}

const ed25519Signature = {
  sign(algorithm, key, data) {
    try {
      return arrayBufferOf(new FastBuffer(binding.sign(handleOf(key), data, undefined, undefined, undefined, false)));
    } catch {
      throw operationError();
    }
  },
  verify(algorithm, key, signature, data) {
    try {
      return binding.verify(handleOf(key), data, signature, undefined, undefined, undefined, false);
    } catch {
      return false;
    }
  },
};

// ECDH's and X25519's checks of the public key, made before those of the base key.
function checkPublicKey(algorithm) {
  const publicKey = algorithm.public;
  if (publicKey.type !== 'public') throw domException('algorithm.public must be a public key', 'InvalidAccessError');
  if (publicKey[kAlgorithm].name !== algorithm.name) throw domException('key algorithm mismatch', 'InvalidAccessError');
}

// ECDH and X25519 share secrets; `length` bits of it (all of it when null).
function deriveSharedBits(algorithm, baseKey, length) {
  const publicKey = algorithm.public;
  if (publicKey[kAlgorithm].namedCurve !== baseKey[kAlgorithm].namedCurve) {
    throw domException('Named curve mismatch', 'InvalidAccessError');
  }
  let secret;
  try {
    secret = new FastBuffer(binding.deriveSecret(handleOf(baseKey), handleOf(publicKey)));
  } catch {
    throw operationError();
  }
  if (length === null) return arrayBufferOf(secret);
  if (length > secret.byteLength * 8) throw domException('derived bit length is too small', 'OperationError');
  const bytes = Buffer.from(secret.subarray(0, Math.ceil(length / 8)));
  if (length % 8) bytes[bytes.length - 1] &= 0xff << (8 - (length % 8));
  return arrayBufferOf(bytes);
}

const algorithms = {
  'RSASSA-PKCS1-v1_5': { ...rsaAlgorithm('RSASSA-PKCS1-v1_5', kSigningUsages), ...rsaSignature(RSA_PKCS1_PADDING) },
  'RSA-PSS': { ...rsaAlgorithm('RSA-PSS', kSigningUsages), ...rsaSignature(RSA_PKCS1_PSS_PADDING, (a) => a.saltLength) },
  'RSA-OAEP': { ...rsaAlgorithm('RSA-OAEP', kEncryptingUsages), encrypt: rsaOaep(0), decrypt: rsaOaep(1) },
  ECDSA: { ...ecAlgorithm('ECDSA', kSigningUsages), ...ecdsaSignature },
  ECDH: { ...ecAlgorithm('ECDH', kDerivingUsages), checkDeriveParams: checkPublicKey, deriveBits: deriveSharedBits },
  Ed25519: { ...okpAlgorithm('Ed25519', kSigningUsages), ...ed25519Signature },
  X25519: { ...okpAlgorithm('X25519', kDerivingUsages), checkDeriveParams: checkPublicKey, deriveBits: deriveSharedBits },
};

module.exports = { algorithms };
