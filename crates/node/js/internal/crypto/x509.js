'use strict';

// X509Certificate (and the legacy Certificate SPKAC helper's shape).

const { binding, FastBuffer, viewBytes, nativeError } = require('internal/crypto/util');
const { PublicKeyObject, isKeyObject, handleOf } = require('internal/crypto/keys');
const { Buffer } = require('buffer');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE },
  validators: { validateString, validateObject, validateBoolean },
} = require('internal/errors');
const { isArrayBufferView } = require('internal/crypto/util');

const kHandle = Symbol('kHandle');
const kInfo = Symbol('kInfo');
const customInspect = Symbol.for('nodejs.util.inspect.custom');

function info(cert) {
  return (cert[kInfo] ??= binding.x509Info(cert[kHandle]));
}

function nameObject(text) {
  const out = Object.create(null);
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (out[key] === undefined) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}

class X509Certificate {
  constructor(buffer) {
    if (typeof buffer === 'string') buffer = Buffer.from(buffer);
    if (!isArrayBufferView(buffer)) {
      throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
    }
    Object.defineProperty(this, kHandle, { __proto__: null, value: binding.x509Parse(viewBytes(buffer)) });
    Object.defineProperty(this, kInfo, { __proto__: null, value: undefined, writable: true });
  }

  get subject() { return info(this)[0]; }
  get issuer() { return info(this)[1]; }
  get subjectAltName() { return info(this)[2]; }
  get infoAccess() { return info(this)[3]; }
  get validFrom() { return info(this)[4]; }
  get validTo() { return info(this)[5]; }
  get validFromDate() { return new Date(this.validFrom); }
  get validToDate() { return new Date(this.validTo); }
  get fingerprint() { return info(this)[6]; }
  get fingerprint256() { return info(this)[7]; }
  get fingerprint512() { return info(this)[8]; }
  get keyUsage() { return undefined; }
  get serialNumber() { return info(this)[9]; }
  get raw() { return new FastBuffer(info(this)[10].slice(0)); }
  get ca() { return info(this)[11]; }
  get issuerCertificate() { return undefined; }
  get publicKey() { return new PublicKeyObject(binding.x509PublicKey(this[kHandle])); }

  checkHost(name, options) {
    validateString(name, 'name');
    return binding.x509Check(this[kHandle], 'host', name, hostFlags(options));
  }

  checkEmail(email, options) {
    validateString(email, 'email');
    return binding.x509Check(this[kHandle], 'email', email, hostFlags(options));
  }

  checkIP(ip) {
    validateString(ip, 'ip');
    const match = binding.x509Check(this[kHandle], 'ip', ip, 0);
    if (match === null) throw nativeError(TypeError, 'ERR_INVALID_ARG_VALUE', 'Invalid name');
    return match;
  }

  checkIssued(otherCert) {
    if (!(otherCert instanceof X509Certificate)) {
      throw new ERR_INVALID_ARG_TYPE('otherCert', 'X509Certificate', otherCert);
    }
    return binding.x509CheckIssued(this[kHandle], otherCert[kHandle]);
  }

  checkPrivateKey(pkey) {
    if (!isKeyObject(pkey)) throw new ERR_INVALID_ARG_TYPE('pkey', 'KeyObject', pkey);
    if (pkey.type !== 'private') throw new ERR_INVALID_ARG_VALUE('pkey', pkey);
    return binding.x509CheckPrivateKey(this[kHandle], handleOf(pkey));
  }

  verify(pkey) {
    if (!isKeyObject(pkey)) throw new ERR_INVALID_ARG_TYPE('pkey', 'KeyObject', pkey);
    if (pkey.type !== 'public') throw new ERR_INVALID_ARG_VALUE('pkey', pkey);
    return binding.x509Verify(this[kHandle], handleOf(pkey));
  }

  toString() { return info(this)[12]; }
  toJSON() { return this.toString(); }

  toLegacyObject() {
    const [subject, issuer, altNames, infoAccess, validFrom, validTo, fp1, fp256, fp512, serial, raw, ca] = info(this);
    const out = {
      subject: nameObject(subject),
      issuer: nameObject(issuer),
    };
    out.subjectaltname = altNames;
    out.infoAccess = infoAccess;
    out.ca = ca;
    const key = this.publicKey;
    if (key.asymmetricKeyType === 'rsa') {
      const jwk = key.export({ format: 'jwk' });
      out.modulus = Buffer.from(jwk.n, 'base64url').toString('hex').toUpperCase();
      out.exponent = `0x${Buffer.from(jwk.e, 'base64url').toString('hex').replace(/^0+/, '')}`;
      out.pubkey = key.export({ format: 'der', type: 'spki' });
      out.bits = key.asymmetricKeyDetails.modulusLength;
    }
    out.valid_from = validFrom;
    out.valid_to = validTo;
    out.fingerprint = fp1;
    out.fingerprint256 = fp256;
    out.fingerprint512 = fp512;
    out.ext_key_usage = undefined;
    out.serialNumber = serial;
    out.raw = new FastBuffer(raw.slice(0));
    if (key.asymmetricKeyType === 'ec') {
      out.asn1Curve = key.asymmetricKeyDetails.namedCurve;
      out.nistCurve = undefined;
    } else {
      out.asn1Curve = undefined;
      out.nistCurve = undefined;
    }
    return out;
  }

  [customInspect](depth, options, inspect) {
    if (depth < 0) return this;
    const fields = {
      subject: this.subject,
      subjectAltName: this.subjectAltName,
      issuer: this.issuer,
      infoAccess: this.infoAccess,
      validFrom: this.validFrom,
      validTo: this.validTo,
      validFromDate: this.validFromDate,
      validToDate: this.validToDate,
      fingerprint: this.fingerprint,
      fingerprint256: this.fingerprint256,
      fingerprint512: this.fingerprint512,
      keyUsage: this.keyUsage,
      serialNumber: this.serialNumber,
    };
    return `X509Certificate ${inspect(fields, { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
  }
}

// X509_CHECK_FLAG_* bits for checkHost/checkEmail options.
function hostFlags(options) {
  if (options === undefined) return 0;
  validateObject(options, 'options');
  const { subject = 'default', wildcards = true, partialWildcards = true, multiLabelWildcards = false, singleLabelSubdomains = false } = options;
  validateBoolean(wildcards, 'options.wildcards');
  validateBoolean(partialWildcards, 'options.partialWildcards');
  validateBoolean(multiLabelWildcards, 'options.multiLabelWildcards');
  validateBoolean(singleLabelSubdomains, 'options.singleLabelSubdomains');
  let flags = 0;
  if (subject === 'always') flags |= 0x1;
  else if (subject === 'never') flags |= 0x20;
  else if (subject !== 'default') throw new ERR_INVALID_ARG_VALUE('options.subject', subject);
  if (!wildcards) flags |= 0x2;
  if (!partialWildcards) flags |= 0x4;
  if (multiLabelWildcards) flags |= 0x8;
  if (singleLabelSubdomains) flags |= 0x10;
  return flags;
}

// The legacy SPKAC helper; this build has no SPKAC support and reports every input invalid.
function Certificate() {
  if (!new.target) return new Certificate();
}
Certificate.verifySpkac = () => false;
Certificate.exportPublicKey = () => new FastBuffer(0);
Certificate.exportChallenge = () => new FastBuffer(0);
Certificate.prototype.verifySpkac = Certificate.verifySpkac;
Certificate.prototype.exportPublicKey = Certificate.exportPublicKey;
Certificate.prototype.exportChallenge = Certificate.exportChallenge;

module.exports = { X509Certificate, Certificate };
