'use strict';

// node:tls: TLS sockets and servers (_tls_wrap), secure contexts (_tls_common), and
// the helpers around them: server identity checks, ALPN lists, the CA store.

const net = require('net');
const { Buffer } = require('buffer');
const { codes, validators } = require('internal/errors');
const { ERR_TLS_CERT_ALTNAME_INVALID, ERR_OUT_OF_RANGE, ERR_INVALID_ARG_VALUE } = codes;
const { validateString, validateArray, validateOneOf } = validators;
const { isArrayBufferView } = require('internal/util/types');
const { createSecureContext, SecureContext } = require('_tls_common');
const { TLSSocket, Server, createServer, connect } = require('_tls_wrap');
const binding = internalBinding('tls');

let rootCertificates;
function getRootCertificates() {
  rootCertificates ??= Object.freeze(binding.rootCertificates());
  return rootCertificates;
}

let defaultCACertificates = null;

function getCACertificates(type = 'default') {
  validateString(type, 'type');
  validateOneOf(type, 'type', ['default', 'system', 'bundled', 'extra']);
  if (type === 'default') return defaultCACertificates ?? getRootCertificates();
  if (type === 'extra') return [];
  return getRootCertificates();
}

function setDefaultCACertificates(certs) {
  validateArray(certs, 'certs');
  defaultCACertificates = Object.freeze(certs.map((c, i) => {
    if (typeof c === 'string') return c;
    if (isArrayBufferView(c)) return Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString();
    throw new codes.ERR_INVALID_ARG_TYPE(`certs[${i}]`, ['string', 'ArrayBufferView'], c);
  }));
}

// ['h2', 'http/1.1'] → <02 h2 08 http/1.1>, the wire format; Buffers pass through.
function convertProtocols(protocols) {
  const lens = new Array(protocols.length);
  const total = protocols.reduce((sum, p, i) => {
    const len = Buffer.byteLength(p);
    if (len > 255) {
      throw new ERR_OUT_OF_RANGE('The byte length of the protocol at index ' + `${i} exceeds the maximum length.`,
                                 '<= 255', len, true);
    }
    lens[i] = len;
    return sum + 1 + len;
  }, 0);
  const buf = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < protocols.length; i++) {
    buf[offset++] = lens[i];
    offset += buf.write(protocols[i], offset);
  }
  return buf;
}

function convertALPNProtocols(protocols, out) {
  if (Array.isArray(protocols)) {
    out.ALPNProtocols = convertProtocols(protocols);
  } else if (isArrayBufferView(protocols)) {
    out.ALPNProtocols = Buffer.from(protocols.buffer.slice(protocols.byteOffset, protocols.byteOffset + protocols.byteLength));
  }
}

function unfqdn(host) {
  return host.replace(/[.]$/, '');
}

function splitHost(host) {
  return unfqdn(host).toLowerCase().split('.');
}

// Whether `pattern` (a DNS name from the certificate, maybe with one wildcard in its
// first label) covers the host's labels.
function check(hostParts, pattern, wildcards) {
  if (!pattern) return false;
  const patternParts = splitHost(pattern);
  if (hostParts.length !== patternParts.length) return false;
  if (patternParts.includes('')) return false;
  const isBad = (s) => /[^\u0021-\u007F]/u.test(s);
  if (patternParts.some(isBad)) return false;
  for (let i = hostParts.length - 1; i > 0; i -= 1) {
    if (hostParts[i] !== patternParts[i]) return false;
  }
  const hostSubdomain = hostParts[0];
  const patternSubdomain = patternParts[0];
  const patternSubdomainParts = patternSubdomain.split('*', 3);
  if (patternSubdomainParts.length === 1 || patternSubdomain.includes('xn--')) {
    return hostSubdomain === patternSubdomain;
  }
  if (!wildcards) return false;
  if (patternSubdomainParts.length > 2) return false;
  if (patternParts.length <= 2) return false;
  const { 0: prefix, 1: suffix } = patternSubdomainParts;
  if (prefix.length + suffix.length > hostSubdomain.length) return false;
  if (!hostSubdomain.startsWith(prefix)) return false;
  if (!hostSubdomain.endsWith(suffix)) return false;
  return true;
}

// "DNS:a, IP Address:1.2.3.4, email:x" → entries; a value may be quoted (JSON string).
function splitAltNames(altNames) {
  const out = [];
  const re = /([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  let m;
  while ((m = re.exec(altNames)) !== null && m[0] !== '') {
    let value = m[2];
    if (value.startsWith('"')) {
      try { value = JSON.parse(value); } catch {}
    }
    out.push(`${m[1]}:${value}`);
  }
  return out;
}

function canonicalizeIP(ip) {
  if (net.isIPv4(ip)) return ip;
  try {
    return new URL(`http://[${ip}]`).hostname.slice(1, -1).toUpperCase();
  } catch {
    return ip;
  }
}

function certIPText(ip) {
  if (net.isIPv4(ip)) return ip;
  return canonicalizeIP(ip);
}

function checkServerIdentity(hostname, cert) {
  const subject = cert.subject;
  const altNames = cert.subjectaltname;
  const dnsNames = [];
  const ips = [];
  hostname = '' + hostname;
  if (altNames) {
    for (const name of splitAltNames(altNames)) {
      if (name.startsWith('DNS:')) dnsNames.push(name.slice(4));
      else if (name.startsWith('IP Address:')) ips.push(certIPText(name.slice(11)));
    }
  }
  let valid = false;
  let reason = 'Unknown reason';
  hostname = unfqdn(hostname);
  if (net.isIP(hostname)) {
    valid = ips.includes(canonicalizeIP(hostname));
    if (!valid) reason = `IP: ${hostname} is not in the cert's list: ${ips.join(', ')}`;
  } else if (dnsNames.length > 0 || subject?.CN) {
    const hostParts = splitHost(hostname);
    const wildcard = (pattern) => check(hostParts, pattern, true);
    if (dnsNames.length > 0) {
      valid = dnsNames.some(wildcard);
      if (!valid) reason = `Host: ${hostname}. is not in the cert's altnames: ${altNames}`;
    } else {
      const cn = subject.CN;
      if (Array.isArray(cn)) valid = cn.some(wildcard);
      else if (cn) valid = wildcard(cn);
      if (!valid) reason = `Host: ${hostname}. is not cert's CN: ${cn}`;
    }
  } else {
    reason = 'Cert does not contain a DNS name';
  }
  if (!valid) {
    const err = new ERR_TLS_CERT_ALTNAME_INVALID(reason);
    err.reason = reason;
    err.host = hostname;
    err.cert = cert;
    return err;
  }
}

let ciphers;
function getCiphers() {
  ciphers ??= binding.ciphers();
  return ciphers.slice();
}

module.exports = {
  CLIENT_RENEG_LIMIT: 3,
  CLIENT_RENEG_WINDOW: 600,
  DEFAULT_CIPHERS: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:' +
    'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:' +
    'ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:' +
    'ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:' +
    '!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA',
  DEFAULT_ECDH_CURVE: 'auto',
  DEFAULT_MIN_VERSION: 'TLSv1.2',
  DEFAULT_MAX_VERSION: 'TLSv1.3',
  getCiphers,
  getCertificateCompressionAlgorithms() { return []; },
  rootCertificates: undefined,
  getCACertificates,
  setDefaultCACertificates,
  convertALPNProtocols,
  checkServerIdentity,
  createSecureContext,
  SecureContext,
  TLSSocket,
  Server,
  createServer,
  connect,
};

Object.defineProperty(module.exports, 'rootCertificates', {
  configurable: false,
  enumerable: true,
  get: getRootCertificates,
});
