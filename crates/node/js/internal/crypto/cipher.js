'use strict';

// Cipheriv / Decipheriv over native EVP cipher contexts, and getCipherInfo. The Node
// rules for key, IV and tag lengths are checked here from the cipher's description.

const {
  binding, FastBuffer, getArrayBufferOrView, nativeError, invalidKeyLength, normalizeEncoding, viewBytes,
} = require('internal/crypto/util');
const { LazyTransform } = require('internal/crypto/lazy_transform');
const { StringDecoder } = require('string_decoder');
const { Buffer } = require('buffer');
const {
  codes: {
    ERR_CRYPTO_INVALID_STATE, ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_UNKNOWN_ENCODING,
  },
  validators: { validateString, validateObject, validateInt32 },
} = require('internal/errors');
const { isArrayBufferView } = require('internal/crypto/util');

let lazyKeys;
const keys = () => (lazyKeys ??= require('internal/crypto/keys'));

const kHandle = Symbol('kHandle');
const kState = Symbol('kState');

// Description of a cipher by name: { nid, name, mode, blockSize, ivLength, keyLength,
// variableKeyLength, aead, supported }, or null; cached per name.
const infoCache = new Map();
function cipherInfo(name) {
  let info = infoCache.get(name);
  if (info === undefined) {
    const raw = binding.cipherInfo(name);
    info = raw === undefined ? null : {
      nid: raw[0], name: raw[1], mode: raw[2], blockSize: raw[3], ivLength: raw[4],
      keyLength: raw[5], variableKeyLength: raw[6], aead: raw[7], supported: raw[8],
    };
    infoCache.set(name, info);
  }
  return info;
}

// Node's limits on IV lengths for the AEAD modes (other modes need exactly ivLength).
function validIvLength(info, length) {
  switch (info.mode) {
    case 'gcm': return length > 0;
    case 'ccm': return length >= 7 && length <= 13;
    case 'ocb': return length >= 1 && length <= 15;
    default:
      if (info.aead && info.mode === 'stream') return length >= 1 && length <= 12;
      return length === info.ivLength;
  }
}

function validTagLength(info, length) {
  switch (info.mode) {
    case 'gcm': return length === 4 || length === 8 || (length >= 12 && length <= 16);
    case 'ccm': return length >= 4 && length <= 16 && length % 2 === 0;
    default: return length >= 1 && length <= 16;
  }
}

const invalidIv = () => nativeError(TypeError, 'ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector');
const invalidTag = (message) => nativeError(TypeError, 'ERR_CRYPTO_INVALID_AUTH_TAG', message);
const authFailed = () => new Error('Unsupported state or unable to authenticate data');

function getUIntOption(options, key) {
  let value;
  if (options && (value = options[key]) != null) {
    if (value >>> 0 !== value) throw new ERR_INVALID_ARG_VALUE(`options.${key}`, value);
    return value;
  }
  return -1;
}

function createCipherBase(self, cipher, key, iv, options, encrypt) {
  validateString(cipher, 'cipher');
  const encoding = options != null && typeof options === 'object' ? options.encoding : undefined;
  key = keys().prepareSecretKey(key, encoding);
  if (iv !== null) iv = getArrayBufferOrView(iv, 'iv');
  const authTagLength = getUIntOption(options, 'authTagLength');

  const info = cipherInfo(cipher);
  if (info === null) throw nativeError(Error, 'ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher');
  // AEAD as Node treats it: GCM, CCM, OCB and ChaCha20-Poly1305 (not the TLS-only
  // AES-CBC-HMAC ciphers, which OpenSSL also flags as AEAD).
  const isAead = info.mode === 'gcm' || info.mode === 'ccm' || info.mode === 'ocb' || (info.aead && info.mode === 'stream');
  let tagLength = authTagLength;
  if (info.supported) {
    if (iv === null ? info.ivLength !== 0 || isAead : !validIvLength(info, iv.byteLength)) throw invalidIv();
    if (isAead) {
      if (info.mode === 'ccm' && authTagLength === -1) {
        throw invalidTag(`authTagLength required for ${cipher}`);
      }
      if (authTagLength !== -1 && !validTagLength(info, authTagLength)) {
        throw invalidTag(`Invalid authentication tag length: ${authTagLength}`);
      }
      if (tagLength === -1 && (encrypt || info.mode !== 'gcm')) tagLength = 16;
    }
    if (key.byteLength !== info.keyLength && !info.variableKeyLength) throw invalidKeyLength();
  }
  const handle = binding.cipherNew(cipher, key, iv, encrypt, tagLength, isAead, info.mode === 'wrap');
  self._decoder = null;
  LazyTransform.call(self, options);
  self[kHandle] = handle;
  // Hidden from inspection, like the state Node keeps natively.
  Object.defineProperty(self, kState, { __proto__: null, enumerable: false, writable: true, value: {
    info, encrypt, isAead, tagLength, userTagLength: authTagLength,
    finalized: false, started: false, lengthSet: false, plaintextLength: -1, tag: null, tagSet: false, authFailed: false,
  } });
}

function decoderFor(self, encoding) {
  const normalized = normalizeEncoding(encoding);
  if (normalized === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
  if (self._decoder === null) {
    self._decoder = new StringDecoder(normalized);
  } else if (self._decoder.encoding !== normalized) {
    const err = new Error('Cannot change encoding\nThis is caused by either a bug in Node.js or incorrect usage of Node.js internals.\nPlease open an issue with this stack trace at https://github.com/nodejs/node/issues\n');
    err.code = 'ERR_INTERNAL_ASSERTION';
    throw err;
  }
  return self._decoder;
}

function update(data, inputEncoding, outputEncoding) {
  const state = this[kState];
  if (typeof data === 'string') {
    const normalized = normalizeEncoding(inputEncoding);
    data = normalized === undefined || normalized === 'utf8' ? data : Buffer.from(data, normalized);
  } else if (!isArrayBufferView(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  } else {
    data = viewBytes(data);
  }
  if (state.finalized) throw new Error('Trying to add data in unsupported state');
  let out;
  if (state.info.mode === 'ccm') {
    // CCM takes its whole message in one update, its length announced first.
    if (state.started) throw new Error('Trying to add data in unsupported state');
    const length = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    if (!state.lengthSet) {
      binding.cipherSetLength(this[kHandle], length);
    } else if (length !== state.plaintextLength) {
      throw new Error('Trying to add data in unsupported state');
    }
    if (state.encrypt) {
      out = binding.cipherUpdate(this[kHandle], data);
    } else {
      try {
        out = binding.cipherUpdate(this[kHandle], data);
      } catch {
        // A wrong tag shows in CCM's single update; Node reports it at final().
        state.authFailed = true;
        out = new ArrayBuffer(0);
      }
    }
  } else {
    out = binding.cipherUpdate(this[kHandle], data);
  }
  state.started = true;
  const buf = new FastBuffer(out);
  if (outputEncoding && outputEncoding !== 'buffer') return decoderFor(this, outputEncoding).write(buf);
  return buf;
}

function final(outputEncoding) {
  const state = this[kState];
  if (state.finalized) throw nativeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state');
  state.finalized = true;
  let out;
  if (state.authFailed) throw authFailed();
  if (!state.encrypt && state.isAead && !state.tagSet && state.info.mode !== 'ccm') {
    // Decrypting without the expected tag cannot authenticate.
    throw authFailed();
  }
  if (state.info.mode === 'ccm' && !state.encrypt) {
    out = new ArrayBuffer(0);
  } else {
    out = binding.cipherFinal(this[kHandle]);
    if (out === null) throw authFailed();
  }
  if (state.encrypt && state.isAead) state.tag = new FastBuffer(binding.cipherGetTag(this[kHandle], state.tagLength));
  const buf = new FastBuffer(out);
  if (outputEncoding && outputEncoding !== 'buffer') return decoderFor(this, outputEncoding).end(buf);
  return buf;
}

function setAutoPadding(autoPadding) {
  const state = this[kState];
  if (state.finalized) throw new ERR_CRYPTO_INVALID_STATE('setAutoPadding');
  binding.cipherSetPadding(this[kHandle], autoPadding === undefined ? true : !!autoPadding);
  return this;
}

function setAAD(aadbuf, options) {
  const state = this[kState];
  const encoding = options != null && typeof options === 'object' ? options.encoding : undefined;
  aadbuf = getArrayBufferOrView(aadbuf, 'aadbuf', encoding);
  const plaintextLength = getUIntOption(options, 'plaintextLength');
  if (!state.isAead || state.finalized || state.started) throw new ERR_CRYPTO_INVALID_STATE('setAAD');
  if (state.info.mode === 'ccm') {
    if (plaintextLength === -1) {
      throw nativeError(TypeError, 'ERR_MISSING_ARGS', 'options.plaintextLength required for CCM mode with AAD');
    }
    if (!state.lengthSet) {
      binding.cipherSetLength(this[kHandle], plaintextLength);
      state.lengthSet = true;
      state.plaintextLength = plaintextLength;
    }
  }
  if (!binding.cipherSetAAD(this[kHandle], aadbuf)) throw new ERR_CRYPTO_INVALID_STATE('setAAD');
  return this;
}

function getAuthTag() {
  const state = this[kState];
  if (state.tag === null) throw new ERR_CRYPTO_INVALID_STATE('getAuthTag');
  return state.tag;
}

let warnedShortTag = false;
function setAuthTag(tagbuf, encoding) {
  tagbuf = getArrayBufferOrView(tagbuf, 'buffer', encoding);
  const state = this[kState];
  if (!state.isAead || state.finalized || state.tagSet) throw new ERR_CRYPTO_INVALID_STATE('setAuthTag');
  const length = tagbuf.byteLength;
  const expected = state.userTagLength;
  const ok = expected === -1 || state.info.mode !== 'gcm' ? validTagLength(state.info, length) : length === expected;
  if (!ok || (state.info.mode === 'ccm' && length !== state.tagLength)) {
    throw invalidTag(`Invalid authentication tag length: ${length}`);
  }
  if (state.info.mode === 'gcm' && expected === -1 && length !== 16 && !warnedShortTag) {
    warnedShortTag = true;
    process.emitWarning('Using AES-GCM authentication tags of less than 128 bits without specifying the authTagLength option when initializing decryption is deprecated.', 'DeprecationWarning', 'DEP0182');
  }
  if (!binding.cipherSetTag(this[kHandle], tagbuf)) throw new ERR_CRYPTO_INVALID_STATE('setAuthTag');
  state.tagSet = true;
  return this;
}

function _transform(chunk, encoding, callback) {
  this.push(this.update(chunk, encoding));
  callback();
}

function _flush(callback) {
  try {
    this.push(this.final());
  } catch (e) {
    callback(e);
    return;
  }
  callback();
}

function Cipheriv(cipher, key, iv, options) {
  if (!new.target) return new Cipheriv(cipher, key, iv, options);
  createCipherBase(this, cipher, key, iv, options, true);
}
Object.setPrototypeOf(Cipheriv.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Cipheriv, LazyTransform);
Object.assign(Cipheriv.prototype, { _transform, _flush, update, final, setAutoPadding, getAuthTag, setAAD });

function Decipheriv(cipher, key, iv, options) {
  if (!new.target) return new Decipheriv(cipher, key, iv, options);
  createCipherBase(this, cipher, key, iv, options, false);
}
Object.setPrototypeOf(Decipheriv.prototype, LazyTransform.prototype);
Object.setPrototypeOf(Decipheriv, LazyTransform);
Object.assign(Decipheriv.prototype, { _transform, _flush, update, final, setAutoPadding, setAuthTag, setAAD });

function createCipheriv(cipher, key, iv, options) {
  return new Cipheriv(cipher, key, iv, options);
}

function createDecipheriv(cipher, key, iv, options) {
  return new Decipheriv(cipher, key, iv, options);
}

function getCipherInfo(nameOrNid, options) {
  let info;
  if (typeof nameOrNid === 'number') {
    validateInt32(nameOrNid, 'nameOrNid');
    const name = binding.cipherNameOfNid(nameOrNid);
    info = name === undefined ? null : cipherInfo(name);
  } else {
    if (typeof nameOrNid !== 'string') throw new ERR_INVALID_ARG_TYPE('nameOrNid', ['string', 'number'], nameOrNid);
    info = cipherInfo(nameOrNid);
  }
  if (options !== undefined) validateObject(options, 'options');
  const { keyLength, ivLength } = options ?? {};
  if (keyLength !== undefined) validateInt32(keyLength, 'options.keyLength');
  if (ivLength !== undefined) validateInt32(ivLength, 'options.ivLength');
  if (info === null) return undefined;
  if (keyLength !== undefined && keyLength !== info.keyLength && !info.variableKeyLength) return undefined;
  if (ivLength !== undefined && !validIvLength(info, ivLength)) {
    return undefined;
  }
  const result = { mode: info.mode, name: info.name.toLowerCase(), nid: info.nid };
  if (info.mode !== 'stream') result.blockSize = info.blockSize;
  if (info.ivLength !== 0 || info.mode === 'cbc') result.ivLength = ivLength ?? info.ivLength;
  result.keyLength = keyLength ?? info.keyLength;
  return result;
}

module.exports = {
  Cipheriv, Decipheriv, createCipheriv, createDecipheriv, getCipherInfo, cipherInfo,
};
