'use strict';

// SecureContext (an OpenSSL SSL_CTX built from key/cert/ca/pfx/ciphers/versions) and
// the translation of native certificate objects into getPeerCertificate()'s shape.

const { codes, validators } = require('internal/errors');
const { ERR_INVALID_ARG_TYPE, ERR_TLS_INVALID_PROTOCOL_VERSION, ERR_TLS_PROTOCOL_VERSION_CONFLICT } = codes;
const { validateString } = validators;
const { isArrayBufferView } = require('internal/util/types');
const { Buffer } = require('buffer');
const binding = internalBinding('tls');

const kVersions = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

// OpenSSL errors carry ERR_OSSL_<LIB>_<REASON>; Node names the SSL library's ERR_SSL_*.
function fixSslErrorCode(err) {
  if (err && typeof err.code === 'string' && err.code.startsWith('ERR_OSSL_SSL_')) {
    err.code = 'ERR_SSL_' + err.code.slice('ERR_OSSL_SSL_'.length);
  }
  return err;
}

function toBytes(value, name) {
  if (typeof value === 'string') return Buffer.from(value);
  if (isArrayBufferView(value)) return value;
  throw new ERR_INVALID_ARG_TYPE(name, ['string', 'Buffer', 'TypedArray', 'DataView'], value);
}

// A PEM/DER value, or an array of them (keys may also be { pem, passphrase }).
function bytesList(value, name) {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => toBytes(v && typeof v === 'object' && !isArrayBufferView(v) && 'pem' in v ? v.pem : v, name));
}

function validateVersion(value, which, fallback) {
  if (value === undefined || value === null) return fallback;
  if (!kVersions.includes(value)) throw new ERR_TLS_INVALID_PROTOCOL_VERSION(value, which);
  return value;
}

// OpenSSL's method names (secureProtocol) as the version range they allow.
function versionsOfMethod(method, min, max) {
  if (/^SSLv[23]_(client_|server_)?method$/.test(method) && method.startsWith('SSLv3')) {
    throw new codes.ERR_TLS_INVALID_PROTOCOL_METHOD('SSLv3 methods disabled');
  }
  const m = /^(TLS|SSLv23|TLSv1|TLSv1_1|TLSv1_2)_(client_|server_)?method$/.exec(method);
  if (!m) throw new codes.ERR_TLS_INVALID_PROTOCOL_METHOD(`Unknown method: ${method}`);
  const fixed = { TLSv1: 'TLSv1', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2' }[m[1]];
  return fixed ? [fixed, fixed] : [min, max];
}

function SecureContext(secureProtocol, secureOptions, minVersion, maxVersion) {
  if (!(this instanceof SecureContext)) {
    return new SecureContext(secureProtocol, secureOptions, minVersion, maxVersion);
  }
}

function createSecureContext(options) {
  if (!options) options = {};
  const tls = require('tls');
  const { key, cert, ca, pfx, passphrase, ciphers, ecdhCurve, honorCipherOrder, secureProtocol } = options;
  const keys = bytesList(key, 'options.key');
  const certs = bytesList(cert, 'options.cert');
  const cas = bytesList(ca, 'options.ca');
  if (ciphers !== undefined && ciphers !== null) validateString(ciphers, 'options.ciphers');
  if (ecdhCurve !== undefined && ecdhCurve !== null) validateString(ecdhCurve, 'options.ecdhCurve');
  let minVersion = validateVersion(options.minVersion, 'minimum', tls.DEFAULT_MIN_VERSION);
  let maxVersion = validateVersion(options.maxVersion, 'maximum', tls.DEFAULT_MAX_VERSION);
  // Node ignores a secureProtocol that is not a string.
  if (typeof secureProtocol === 'string') {
    if (options.minVersion || options.maxVersion) {
      throw new ERR_TLS_PROTOCOL_VERSION_CONFLICT(options.minVersion || options.maxVersion, secureProtocol);
    }
    [minVersion, maxVersion] = versionsOfMethod(secureProtocol, minVersion, maxVersion);
  }
  const keyPassphrase = Array.isArray(key) ? key.find((k) => k && k.passphrase)?.passphrase : undefined;
  const pfxBytes = pfx === undefined || pfx === null ? undefined :
    toBytes(Array.isArray(pfx) ? (pfx[0]?.buf ?? pfx[0]) : (pfx.buf ?? pfx), 'options.pfx');

  const c = new SecureContext();
  try {
    c.context = binding.createContext(keys, certs, cas, pfxBytes, keyPassphrase ?? passphrase,
                                      ciphers ?? tls.DEFAULT_CIPHERS, minVersion, maxVersion,
                                      ecdhCurve ?? tls.DEFAULT_ECDH_CURVE, Boolean(honorCipherOrder));
  } catch (err) {
    throw fixSslErrorCode(err);
  }
  return c;
}

// A native certificate object → Node's: subject/issuer as null-prototype objects (a
// repeated field becomes an array), Buffers for raw/pubkey.
function translateCertificate(native) {
  if (!native) return native;
  native.subject = nameObject(native.subject);
  native.issuer = nameObject(native.issuer);
  if (native.raw) native.raw = Buffer.from(native.raw.buffer, native.raw.byteOffset, native.raw.length);
  if (native.pubkey) native.pubkey = Buffer.from(native.pubkey.buffer, native.pubkey.byteOffset, native.pubkey.length);
  return native;
}

function nameObject(flat) {
  const out = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i];
    const value = flat[i + 1];
    if (out[key] === undefined) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}

// A chain (leaf first) linked through issuerCertificate; a self-issued root is its
// own issuer, an incomplete chain's last certificate has none.
function linkChain(list) {
  const certs = list.map(translateCertificate);
  for (let i = 0; i < certs.length; i++) {
    const next = certs[i + 1];
    if (next) certs[i].issuerCertificate = next;
    else if (sameName(certs[i].subject, certs[i].issuer)) certs[i].issuerCertificate = certs[i];
  }
  return certs[0];
}

function sameName(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => String(a[k]) === String(b[k]));
}

module.exports = {
  SecureContext,
  createSecureContext,
  translatePeerCertificate: translateCertificate,
  linkChain,
  fixSslErrorCode,
};
