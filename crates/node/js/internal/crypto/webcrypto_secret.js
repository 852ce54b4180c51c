'use strict';

// Web Crypto algorithms on secret keys: AES-CTR/CBC/GCM/KW, HMAC, PBKDF2 and HKDF.
// Each entry of `algorithms` implements the SubtleCrypto operations its algorithm supports.

const { binding, FastBuffer } = require('internal/crypto/util');
const { SecretKeyObject, kKeyObjectOf, kHandle } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  domException, operationError, invalidKeyData, arrayBufferOf, makeCryptoKey, checkUsages, checkNotEmpty,
  checkJwk, checkJwkAlg, kAlgorithm, kExtractable, kUsages, kDigests,
} = require('internal/crypto/webcrypto_common');

const kBlockBits = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const kDigestBytes = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const kJwkHmac = { 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' };
const kAesUsages = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
const kGcmTagLengths = [32, 64, 96, 104, 112, 120, 128];
const kKeyWrapIv = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');

const keyBytes = (key) => key[kKeyObjectOf][kHandle];
const notSupportedImport = (name, format) => domException(`Unable to import ${name} using ${format} format`, 'NotSupportedError');

function randomKeyObject(length) {
  const bytes = new FastBuffer(length);
  binding.randomFill(bytes, 0, length);
  return new SecretKeyObject(bytes);
}

function secretKeyObject(bytes) {
  return new SecretKeyObject(new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

// The key bytes of a secret JWK after the checks every JWK import makes.
function jwkSecretBytes(jwk, expectedUse, extractable, usages) {
  checkJwk(jwk, 'oct', expectedUse, extractable, usages);
  if (jwk.k === undefined) throw invalidKeyData();
  return new Uint8Array(Buffer.from(typeof jwk.k === 'string' ? jwk.k : '', 'base64url'));
}

function exportSecret(format, key, jwkAlg) {
  const bytes = keyBytes(key);
  if (format === 'raw') return arrayBufferOf(Buffer.from(bytes));
  if (format === 'jwk') {
    const jwk = { key_ops: [...key[kUsages]], ext: key[kExtractable] };
    if (jwkAlg !== undefined) jwk.alg = jwkAlg;
    jwk.kty = 'oct';
    jwk.k = Buffer.from(bytes).toString('base64url');
    return jwk;
  }
  throw domException(`Unable to export ${key[kAlgorithm].name} secret key using ${format} format`, 'NotSupportedError');
}

// --- AES ----------------------------------------------------------------------------

function checkAesLength(bits) {
  if (bits !== 128 && bits !== 192 && bits !== 256) {
    throw domException('AES key length must be 128, 192, or 256 bits', 'OperationError');
  }
}

function runCipher(cipher, key, iv, data, encrypt, { tagLength = -1, aad, wrap = false } = {}) {
  const aead = tagLength !== -1;
  try {
    const handle = binding.cipherNew(cipher, keyBytes(key), iv, encrypt, tagLength, aead, wrap);
    if (aead) {
      if (aad !== undefined) binding.cipherSetAAD(handle, aad);
      if (!encrypt) {
        if (data.byteLength < tagLength) throw operationError();
        binding.cipherSetTag(handle, data.subarray(data.byteLength - tagLength));
        data = data.subarray(0, data.byteLength - tagLength);
      }
    }
    const body = new FastBuffer(binding.cipherUpdate(handle, data));
    const last = binding.cipherFinal(handle);
    if (last === null) throw operationError();
    const parts = [body, new FastBuffer(last)];
    if (encrypt && aead) parts.push(new FastBuffer(binding.cipherGetTag(handle, tagLength)));
    return arrayBufferOf(Buffer.concat(parts));
  } catch {
    throw operationError();
  }
}

// AES-CTR with a `length`-bit counter: OpenSSL's CTR mode carries into the whole block,
// so the data is split where the low `length` bits of the counter wrap to zero.
function aesCtr(key, counter, length, data, cipher) {
  if (length === 0 || length > 128) {
    throw domException('AES-CTR algorithm.length must be between 1 and 128', 'OperationError');
  }
  const counterBits = BigInt(length);
  const block = BigInt(`0x${Buffer.from(counter).toString('hex')}`);
  const mask = (1n << counterBits) - 1n;
  const blocks = BigInt(Math.ceil(data.byteLength / 16));
  if (blocks > (1n << counterBits)) throw operationError();
  const untilWrap = (1n << counterBits) - (block & mask);
  if (blocks <= untilWrap) return runCipher(cipher, key, counter, data, true);
  const splitAt = Number(untilWrap) * 16;
  const wrapped = Buffer.from((block & ~mask).toString(16).padStart(32, '0'), 'hex');
  const first = runCipher(cipher, key, counter, data.subarray(0, splitAt), true);
  const second = runCipher(cipher, key, wrapped, data.subarray(splitAt), true);
  return arrayBufferOf(Buffer.concat([Buffer.from(first), Buffer.from(second)]));
}

function aesCrypt(encrypt) {
  return (algorithm, key, data) => {
    const bits = keyBytes(key).byteLength * 8;
    switch (algorithm.name) {
      case 'AES-CBC':
        if (algorithm.iv.byteLength !== 16) throw domException('algorithm.iv must contain exactly 16 bytes', 'OperationError');
        return runCipher(`aes-${bits}-cbc`, key, algorithm.iv, data, encrypt);
      case 'AES-CTR':
        if (algorithm.counter.byteLength !== 16) {
          throw domException('algorithm.counter must contain exactly 16 bytes', 'OperationError');
        }
        return aesCtr(key, algorithm.counter, algorithm.length, data, `aes-${bits}-ctr`);
      default: {
        const tagBits = algorithm.tagLength ?? 128;
        if (!kGcmTagLengths.includes(tagBits)) {
          throw domException(`${tagBits} is not a valid AES-GCM tag length`, 'OperationError');
        }
        // Node takes IVs of 96 bits and more.
        if (algorithm.iv.byteLength < 12) throw operationError();
        return runCipher(`aes-${bits}-gcm`, key, algorithm.iv, data, encrypt, { tagLength: tagBits / 8, aad: algorithm.additionalData });
      }
    }
  };
}

// AES-KW (RFC 3394) through OpenSSL's key wrap ciphers.
function aesKeyWrap(encrypt) {
  return (algorithm, key, data) => {
    if (data.byteLength % 8 !== 0 || data.byteLength < (encrypt ? 16 : 24)) throw operationError();
    return runCipher(`id-aes${keyBytes(key).byteLength * 8}-wrap`, key, kKeyWrapIv, data, encrypt, { wrap: true });
  };
}

function aesAlgorithm(name) {
  const mode = name.slice(4);
  const usages = name === 'AES-KW' ? ['wrapKey', 'unwrapKey'] : kAesUsages;
  const jwkAlg = (bits) => `A${bits}${mode}`;
  return {
    generateKey(algorithm, extractable, keyUsages) {
      checkAesLength(algorithm.length);
      checkUsages(name, keyUsages, usages);
      checkNotEmpty(keyUsages, 'creating a key');
      return makeCryptoKey(randomKeyObject(algorithm.length / 8), { name, length: algorithm.length }, extractable, keyUsages);
    },
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      checkUsages(name, keyUsages, usages);
      let bytes;
      if (format === 'raw') bytes = keyData;
      else if (format === 'jwk') bytes = jwkSecretBytes(keyData, 'enc', extractable, keyUsages);
      else throw notSupportedImport(name, format);
      const bits = bytes.byteLength * 8;
      if (bits !== 128 && bits !== 192 && bits !== 256) throw domException('Invalid key length', 'DataError');
      if (format === 'jwk') checkJwkAlg(keyData, jwkAlg(bits));
      checkNotEmpty(keyUsages, 'importing a secret key');
      return makeCryptoKey(secretKeyObject(bytes), { name, length: bits }, extractable, keyUsages);
    },
    exportKey: (format, key) => exportSecret(format, key, jwkAlg(key[kAlgorithm].length)),
    keyLength(algorithm) {
      checkAesLength(algorithm.length);
      return algorithm.length;
    },
    ...(name === 'AES-KW' ?
      { wrapKey: aesKeyWrap(true), unwrapKey: aesKeyWrap(false) } :
      { encrypt: aesCrypt(true), decrypt: aesCrypt(false) }),
  };
}

// --- HMAC ---------------------------------------------------------------------------

function hmacOf(key, data) {
  const handle = binding.hmacNew(kDigests[key[kAlgorithm].hash.name], keyBytes(key));
  binding.hmacUpdate(handle, data);
  return new FastBuffer(binding.hmacFinal(handle, 0));
}

const hmac = {
  generateKey(algorithm, extractable, keyUsages) {
    const length = algorithm.length ?? kBlockBits[algorithm.hash.name];
    if (length === 0) throw domException('HmacKeyGenParams.length cannot be 0', 'OperationError');
    checkUsages('HMAC', keyUsages, ['sign', 'verify']);
    checkNotEmpty(keyUsages, 'creating a key');
    const keyAlgorithm = { name: 'HMAC', length, hash: algorithm.hash };
    return makeCryptoKey(randomKeyObject(Math.ceil(length / 8)), keyAlgorithm, extractable, keyUsages);
  },
  importKey(format, keyData, algorithm, extractable, keyUsages) {
    checkUsages('HMAC', keyUsages, ['sign', 'verify']);
    let bytes;
    if (format === 'raw') {
      bytes = keyData;
    } else if (format === 'jwk') {
      bytes = jwkSecretBytes(keyData, 'sig', extractable, keyUsages);
      checkJwkAlg(keyData, kJwkHmac[algorithm.hash.name]);
    } else {
      throw notSupportedImport('HMAC', format);
    }
    const bits = bytes.byteLength * 8;
    if (bits === 0) throw domException('Zero-length key is not supported', 'DataError');
    const { length = bits } = algorithm;
    if (length > bits || length <= bits - 8) throw domException('Invalid key length', 'DataError');
    checkNotEmpty(keyUsages, 'importing a secret key');
    return makeCryptoKey(secretKeyObject(bytes), { name: 'HMAC', length, hash: algorithm.hash }, extractable, keyUsages);
  },
  exportKey: (format, key) => exportSecret(format, key, kJwkHmac[key[kAlgorithm].hash.name]),
  sign: (algorithm, key, data) => arrayBufferOf(hmacOf(key, data)),
  verify(algorithm, key, signature, data) {
    const expected = hmacOf(key, data);
    return expected.byteLength === signature.byteLength && binding.timingSafeEqual(expected, signature);
  },
  keyLength: (algorithm) => algorithm.length ?? kBlockBits[algorithm.hash.name],
};

// --- PBKDF2 and HKDF ----------------------------------------------------------------

function kdfAlgorithm(name, derive) {
  return {
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      if (extractable) throw domException(`${name} keys are not extractable`, 'SyntaxError');
      if (keyUsages.some((usage) => usage !== 'deriveKey' && usage !== 'deriveBits')) {
        throw domException(`Unsupported key usage for a ${name} key`, 'SyntaxError');
      }
      if (format !== 'raw') throw notSupportedImport(name, format);
      checkNotEmpty(keyUsages, 'importing a secret key');
      return makeCryptoKey(secretKeyObject(keyData), { name }, false, keyUsages);
    },
    deriveBits(algorithm, key, length) {
      if (length === null) throw domException('length cannot be null', 'OperationError');
      if (length % 8 !== 0) throw domException('length must be a multiple of 8', 'OperationError');
      return derive(algorithm, keyBytes(key), length / 8);
    },
    keyLength: () => null,
  };
}

const pbkdf2 = kdfAlgorithm('PBKDF2', (algorithm, password, length) => {
  if (algorithm.iterations === 0) throw domException('iterations cannot be zero', 'OperationError');
  if (length === 0) return new ArrayBuffer(0);
  try {
    return binding.pbkdf2(password, algorithm.salt, algorithm.iterations, length, kDigests[algorithm.hash.name]);
  } catch {
    throw operationError();
  }
});

const hkdf = kdfAlgorithm('HKDF', (algorithm, ikm, length) => {
  if (length === 0) return new ArrayBuffer(0);
  if (length > 255 * kDigestBytes[algorithm.hash.name]) throw operationError();
  try {
    return binding.hkdf(kDigests[algorithm.hash.name], ikm, algorithm.salt, algorithm.info, length);
  } catch {
    throw operationError();
  }
});

const algorithms = {
  'AES-CTR': aesAlgorithm('AES-CTR'),
  'AES-CBC': aesAlgorithm('AES-CBC'),
  'AES-GCM': aesAlgorithm('AES-GCM'),
  'AES-KW': aesAlgorithm('AES-KW'),
  HMAC: hmac,
  PBKDF2: pbkdf2,
  HKDF: hkdf,
};

module.exports = { algorithms };
