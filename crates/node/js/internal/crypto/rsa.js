'use strict';

// publicEncrypt / privateDecrypt / privateEncrypt / publicDecrypt.

const { binding, FastBuffer, viewBytes } = require('internal/crypto/util');
const { prepareAsymmetricKey, isKeyObject, isCryptoKey } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  codes: { ERR_INVALID_ARG_TYPE },
  validators: { validateString },
} = require('internal/errors');
const { isAnyArrayBuffer, isArrayBufferView } = require('internal/crypto/util');

const RSA_PKCS1_PADDING = 1;
const RSA_PKCS1_OAEP_PADDING = 4;

function rsaFunction(op, defaultPadding, wantPrivate) {
  return function rsaCrypt(key, buffer) {
    const options = typeof key === 'object' && key !== null && !isArrayBufferView(key) && !isAnyArrayBuffer(key) &&
      !isKeyObject(key) && !isCryptoKey(key) ? key : undefined;
    const handle = prepareAsymmetricKey(key, wantPrivate);
    let padding = options?.padding ?? defaultPadding;
    if (typeof padding !== 'number') padding = -1;
    const oaepHash = options?.oaepHash;
    if (oaepHash !== undefined) validateString(oaepHash, 'key.oaepHash');
    let label = options?.oaepLabel;
    if (label !== undefined) label = toBytes(label, 'key.oaepLabel', options.encoding);
    const data = toBytes(buffer, 'buffer', options?.encoding);
    return new FastBuffer(binding.rsaCrypt(handle, op, data, padding, oaepHash, label));
  };
}

function toBytes(value, name, encoding) {
  if (typeof value === 'string') return Buffer.from(value, encoding === 'buffer' || !encoding ? 'utf8' : encoding);
  if (isAnyArrayBuffer(value)) return new Uint8Array(value);
  if (isArrayBufferView(value)) return viewBytes(value);
  throw new ERR_INVALID_ARG_TYPE(name, ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value);
}

module.exports = {
  publicEncrypt: rsaFunction(0, RSA_PKCS1_OAEP_PADDING, false),
  privateDecrypt: rsaFunction(1, RSA_PKCS1_OAEP_PADDING, true),
  privateEncrypt: rsaFunction(2, RSA_PKCS1_PADDING, true),
  publicDecrypt: rsaFunction(3, RSA_PKCS1_PADDING, false),
};
