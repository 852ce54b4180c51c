'use strict';

// node:url — the WHATWG URL API (internal/url) plus Node's legacy `Url` objects:
// url.parse(), url.format(), url.resolve() and url.resolveObject().

const {
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  fileURLToPath,
  fileURLToPathBuffer,
  pathToFileURL,
  urlToHttpOptions,
  formatURL,
  isInsideNodeModules,
} = require('internal/url');
const { codes, validators } = require('internal/errors');
const querystring = require('querystring');

const { validateString, validateObject, kValidateObjectAllowNullable } = validators;

// --- Legacy Url objects ------------------------------------------------------------------

function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

// Protocols that never have a host, and those whose URLs always have `//` and a path.
const hostlessProtocols = new Set(['javascript', 'javascript:']);
const slashedProtocols = new Set([
  'http', 'http:', 'https', 'https:', 'ftp', 'ftp:', 'gopher', 'gopher:', 'file', 'file:',
  'ws', 'ws:', 'wss', 'wss:',
]);

const protocolPattern = /^[a-z0-9.+-]+:/i;
const portPattern = /:[0-9]*$/;
// `//user@host` counts as having slashes even without a protocol.
const authorityWithAuthPattern = /^\/\/[^@/]+@[^@/]+/;
// A path with no hash, whitespace or authority: the common case, parsed without the scan.
const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const hostnameMaxLength = 255;

// Characters escaped in the path, query and hash of a parsed URL.
const autoEscapes = {
  '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', "'": '%27', '<': '%3C',
  '>': '%3E', '\\': '%5C', '^': '%5E', '`': '%60', '{': '%7B', '|': '%7C', '}': '%7D',
};
const autoEscapePattern = /[\t\n\r "'<>\\^`{|}]/g;

// Characters that end the host part without being part of it, and those that can
// never be in a host (the host stops before them and they start the path).
const hostEnders = new Set(['/', '?', '#']);
const nonHostChars = new Set([' ', '"', '%', "'", ';', '<', '>', '\\', '^', '`', '{', '|', '}']);
// Characters parse() rejects in a host name outright.
const forbiddenHostnameChars = /[\0[\]]/;

// parse() trims these from both ends of the input.
function isTrimmed(code) {
  return code <= 0x20 || code === 0xa0 || code === 0xfeff;
}

let warnedParse = false;
let warnedInvalidPort = false;

Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
  validateString(url, 'url');
  const rest = prepareInput(url);
  if (!slashesDenoteHost && !rest.hasHash) {
    const simplePath = simplePathPattern.exec(rest.text);
    if (simplePath !== null) {
      this.path = rest.text;
      this.href = rest.text;
      this.pathname = simplePath[1];
      if (simplePath[2]) {
        this.search = simplePath[2];
        this.query = parseQueryString ? querystring.parse(this.search.slice(1)) : this.search.slice(1);
      } else if (parseQueryString) {
        this.search = null;
        this.query = Object.create(null);
      }
      return this;
    }
  }
  let text = rest.text;

  const protocolMatch = protocolPattern.exec(text);
  let protocol;
  if (protocolMatch !== null) {
    protocol = protocolMatch[0].toLowerCase();
    this.protocol = protocol;
    text = text.slice(protocolMatch[0].length);
  }

  let slashes = false;
  if (slashesDenoteHost || protocolMatch !== null || authorityWithAuthPattern.test(text)) {
    slashes = text.startsWith('//');
    if (slashes && !(protocol !== undefined && hostlessProtocols.has(protocol))) {
      text = text.slice(2);
      this.slashes = true;
    }
  }

  if (!hostlessProtocols.has(protocol) &&
      (slashes || (protocol !== undefined && !slashedProtocols.has(protocol)))) {
    text = parseAuthority(this, text, url);
  }

  if (!hostlessProtocols.has(protocol)) {
    text = text.replace(autoEscapePattern, (c) => autoEscapes[c]);
  }

  const hashStart = text.indexOf('#');
  if (hashStart !== -1) {
    this.hash = text.slice(hashStart);
    text = text.slice(0, hashStart);
  }
  const queryStart = text.indexOf('?');
  if (queryStart !== -1) {
    this.search = text.slice(queryStart);
    this.query = text.slice(queryStart + 1);
    if (parseQueryString) this.query = querystring.parse(this.query);
    text = text.slice(0, queryStart);
  } else if (parseQueryString) {
    this.search = null;
    this.query = Object.create(null);
  }

  if (text.length > 0) this.pathname = text;
  if (slashedProtocols.has(protocol) && this.hostname && !this.pathname) this.pathname = '/';
  if (this.pathname || this.search) this.path = (this.pathname || '') + (this.search || '');
  this.href = this.format();
  return this;
};

// Trims the input, turns backslashes before the query or hash into slashes and notes
// whether there is a hash.
function prepareInput(url) {
  let start = 0;
  let end = url.length;
  while (start < end && isTrimmed(url.charCodeAt(start))) start++;
  while (end > start && isTrimmed(url.charCodeAt(end - 1))) end--;
  let text = url.slice(start, end);
  const queryOrHash = text.search(/[?#]/);
  const beforeQuery = queryOrHash === -1 ? text : text.slice(0, queryOrHash);
  if (beforeQuery.includes('\\')) {
    text = beforeQuery.replaceAll('\\', '/') + text.slice(beforeQuery.length);
  }
  return { text, hasHash: text.includes('#') };
}

// Parses `auth@host:port` at the start of `text` into the Url; returns the rest.
function parseAuthority(self, text, url) {
  let hostEnd = -1;
  let atSign = -1;
  let nonHost = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (hostEnders.has(c)) {
      if (nonHost === -1) nonHost = i;
      hostEnd = i;
      break;
    } else if (nonHost === -1 && nonHostChars.has(c)) {
      nonHost = i;
    } else if (c === '@') {
      atSign = i;
      nonHost = -1;
    }
  }
  let hostStart = 0;
  if (atSign !== -1) {
    self.auth = decodeURIComponent(text.slice(0, atSign).replace(/[\t\n\r]/g, ''));
    hostStart = atSign + 1;
  }
  const hostStop = nonHost === -1 ? (hostEnd === -1 ? text.length : hostEnd) : nonHost;
  self.host = text.slice(hostStart, hostStop).replace(/[\t\n\r]/g, '');
  let rest = text.slice(hostStop);

  self.parseHost();
  let hostname = self.hostname || '';
  const ipv6 = hostname[0] === '[' && hostname[hostname.length - 1] === ']';
  if (!ipv6) {
    // A colon left in the host name (a port that is not a number) starts the path.
    const colon = hostname.indexOf(':');
    if (colon !== -1) {
      if (!warnedInvalidPort) {
        warnedInvalidPort = true;
        process.emitWarning(`The URL ${url} is invalid. Future versions of Node.js will throw an error.`,
          'DeprecationWarning', 'DEP0170');
      }
      rest = `/${hostname.slice(colon)}${rest}`;
      hostname = hostname.slice(0, colon);
    }
    if (forbiddenHostnameChars.test(hostname)) throw new codes.ERR_INVALID_URL(url);
  }
  if (hostname.length > hostnameMaxLength) {
    hostname = '';
  } else {
    hostname = hostname.toLowerCase();
  }
  if (!ipv6 && hostname !== '') hostname = hostnameToASCII(hostname, url);

  const port = self.port ? `:${self.port}` : '';
  self.host = hostname + port;
  if (ipv6) {
    self.hostname = hostname.slice(1, -1);
    if (rest[0] !== '/') rest = `/${rest}`;
  } else {
    self.hostname = hostname;
  }
  return rest;
}

// IDNA for host names: only non-ASCII names and punycode labels need the full mapping.
function hostnameToASCII(hostname, url) {
  if (!/[^\0-\x7f]|xn--/.test(hostname)) return hostname;
  // A label after the name keeps a numeric last label from being read as an IPv4 address.
  const ascii = domainToASCII(`${hostname}.a`);
  if (ascii === '') throw new codes.ERR_INVALID_URL(url);
  return ascii.slice(0, -2);
}

// --- format ------------------------------------------------------------------------------

// Characters kept as they are in the auth part: encodeURIComponent's set plus ':'.
function encodeAuth(auth) {
  try {
    return encodeURIComponent(auth).replaceAll('%3A', ':');
  } catch {
    throw new codes.ERR_INVALID_URI();
  }
}

Url.prototype.format = function format() {
  let auth = this.auth || '';
  if (auth) auth = `${encodeAuth(`${auth}`)}@`;
  let protocol = `${this.protocol || ''}`;
  let pathname = `${this.pathname || ''}`;
  let hash = `${this.hash || ''}`;
  let host = '';
  if (this.host) {
    host = auth + this.host;
  } else if (this.hostname) {
    const hostname = `${this.hostname}`;
    host = auth + (hostname.includes(':') && !(hostname[0] === '[' && hostname.endsWith(']')) ?
      `[${hostname}]` : hostname);
    if (this.port) host += `:${this.port}`;
  }
  let query = '';
  if (this.query !== null && typeof this.query === 'object') query = querystring.stringify(this.query);
  let search = `${this.search || (query && `?${query}`) || ''}`;

  if (protocol && !protocol.endsWith(':')) protocol += ':';
  pathname = pathname.replace(/[#?]/g, (c) => (c === '#' ? '%23' : '%3F'));

  if (this.slashes || slashedProtocols.has(protocol)) {
    if (this.slashes || host) {
      if (pathname && pathname[0] !== '/') pathname = `/${pathname}`;
      host = `//${host}`;
    } else if (protocol === 'file:') {
      host = '//';
    }
  }
  search = search.replaceAll('#', '%23');
  if (hash && hash[0] !== '#') hash = `#${hash}`;
  if (search && search[0] !== '?') search = `?${search}`;
  return protocol + host + pathname + search + hash;
};

// --- resolve -----------------------------------------------------------------------------

Url.prototype.resolve = function resolve(relative) {
  return this.resolveObject(urlParse(relative, false, true)).format();
};

// Resolves `relative` against this Url, keeping the legacy parser's view of URLs:
// protocols outside `slashedProtocols` have no real host and path.
Url.prototype.resolveObject = function resolveObject(relative) {
  if (typeof relative === 'string') {
    const parsed = new Url();
    parsed.parse(relative, false, true);
    relative = parsed;
  }
  const result = new Url();
  for (const key of Object.keys(this)) result[key] = this[key];
  result.hash = relative.hash;

  if (relative.href === '') return finish(result);

  // `//host/path`: everything but the protocol comes from the reference.
  if (relative.slashes && !relative.protocol) {
    for (const key of Object.keys(relative)) {
      if (key !== 'protocol') result[key] = relative[key];
    }
    if (slashedProtocols.has(result.protocol) && result.hostname && !result.pathname) {
      result.path = result.pathname = '/';
    }
    return finish(result);
  }

  if (relative.protocol && relative.protocol !== result.protocol) {
    return resolveOtherProtocol(result, relative);
  }

  const sourceIsAbsolute = Boolean(result.pathname && result.pathname[0] === '/');
  const relativeIsAbsolute = Boolean(relative.host || (relative.pathname && relative.pathname[0] === '/'));
  let mustEndAbsolute = Boolean(relativeIsAbsolute || sourceIsAbsolute || (result.host && relative.pathname));
  const removeAllDots = mustEndAbsolute;
  let sourcePath = (result.pathname && result.pathname.split('/')) || [];
  const relativePath = (relative.pathname && relative.pathname.split('/')) || [];
  // Without a slashed protocol the host is just the first path segment.
  const hostInPath = Boolean(result.protocol && !slashedProtocols.has(result.protocol));

  if (hostInPath) {
    result.hostname = '';
    result.port = null;
    if (result.host) {
      if (sourcePath[0] === '') sourcePath[0] = result.host;
      else sourcePath.unshift(result.host);
    }
    result.host = '';
    if (relative.protocol) {
      result.auth = null;
      relative.hostname = null;
      relative.port = null;
      if (relative.host) {
        if (relativePath[0] === '') relativePath[0] = relative.host;
        else relativePath.unshift(relative.host);
      }
      relative.host = null;
    }
    mustEndAbsolute = mustEndAbsolute && (relativePath[0] === '' || sourcePath[0] === '');
  }

  if (relativeIsAbsolute) {
    if (relative.host || relative.host === '') {
      if (result.host !== relative.host) result.auth = null;
      result.host = relative.host;
      result.port = relative.port;
    }
    if (relative.hostname || relative.hostname === '') {
      if (result.hostname !== relative.hostname) result.auth = null;
      result.hostname = relative.hostname;
    }
    result.search = relative.search;
    result.query = relative.query;
    sourcePath = relativePath;
  } else if (relativePath.length > 0) {
    sourcePath.pop();
    sourcePath = sourcePath.concat(relativePath);
    result.search = relative.search;
    result.query = relative.query;
  } else if (relative.search !== null && relative.search !== undefined) {
    // Only a new query: keep the path.
    if (hostInPath) takeHostFromPath(result, sourcePath);
    result.search = relative.search;
    result.query = relative.query;
    if (result.pathname !== null || result.search !== null) {
      result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
    }
    return finish(result);
  }

  if (sourcePath.length === 0) {
    result.pathname = null;
    result.path = result.search ? `/${result.search}` : null;
    return finish(result);
  }

  let last = sourcePath[sourcePath.length - 1];
  const hasTrailingSlash = Boolean(
    ((result.host || relative.host || sourcePath.length > 1) && (last === '.' || last === '..')) ||
    last === '');

  // Drop '.' and resolve '..' from the end; count the '..' that go above the root.
  let up = 0;
  for (let i = sourcePath.length - 1; i >= 0; i--) {
    last = sourcePath[i];
    if (last === '.') {
      sourcePath.splice(i, 1);
    } else if (last === '..') {
      sourcePath.splice(i, 1);
      up++;
    } else if (up > 0) {
      sourcePath.splice(i, 1);
      up--;
    }
  }
  if (!mustEndAbsolute && !removeAllDots) {
    for (; up > 0; up--) sourcePath.unshift('..');
  }
  if (mustEndAbsolute && sourcePath[0] !== '' && (!sourcePath[0] || sourcePath[0][0] !== '/')) {
    sourcePath.unshift('');
  }
  if (hasTrailingSlash && !sourcePath.join('/').endsWith('/')) sourcePath.push('');

  const isAbsolute = sourcePath[0] === '' || Boolean(sourcePath[0] && sourcePath[0][0] === '/');
  if (hostInPath) {
    result.hostname = result.host = isAbsolute ? '' : (sourcePath.length > 0 ? sourcePath.shift() : '');
    splitAuthFromHost(result);
  }
  mustEndAbsolute = mustEndAbsolute || Boolean(result.host && sourcePath.length > 0);
  if (mustEndAbsolute && !isAbsolute) sourcePath.unshift('');

  if (sourcePath.length > 0) {
    result.pathname = sourcePath.join('/');
  } else {
    result.pathname = null;
    result.path = null;
  }
  if (result.pathname !== null || result.search !== null) {
    result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
  }
  result.auth = relative.auth || result.auth;
  result.slashes = result.slashes || relative.slashes;
  return finish(result);
};

function finish(result) {
  result.href = result.format();
  return result;
}

function takeHostFromPath(result, sourcePath) {
  result.hostname = result.host = sourcePath.shift();
  splitAuthFromHost(result);
}

// A host taken from a path may carry `auth@`.
function splitAuthFromHost(result) {
  const host = result.host;
  if (host && host.indexOf('@') > 0) {
    const [auth, rest] = host.split('@');
    result.auth = auth;
    result.host = result.hostname = rest;
  }
}

// A reference with a protocol of its own replaces most of the base.
function resolveOtherProtocol(result, relative) {
  if (!slashedProtocols.has(relative.protocol)) {
    for (const key of Object.keys(relative)) result[key] = relative[key];
    return finish(result);
  }
  result.protocol = relative.protocol;
  if (!relative.host && !/^file:?$/.test(relative.protocol) && !hostlessProtocols.has(relative.protocol)) {
    // `http:path` takes its host from the first non-empty path segment.
    const segments = (relative.pathname || '').split('/');
    while (segments.length > 0 && !(relative.host = segments.shift()));
    if (!relative.host) relative.host = '';
    if (!relative.hostname) relative.hostname = '';
    if (segments[0] !== '') segments.unshift('');
    if (segments.length < 2) segments.unshift('');
    result.pathname = segments.join('/');
  } else {
    result.pathname = relative.pathname;
  }
  result.search = relative.search;
  result.query = relative.query;
  result.host = relative.host || '';
  result.auth = relative.auth;
  result.hostname = relative.hostname || relative.host;
  result.port = relative.port;
  if (result.pathname || result.search) {
    result.path = (result.pathname || '') + (result.search || '');
  }
  result.slashes = result.slashes || relative.slashes;
  return finish(result);
}

// Splits a trailing `:port` off this.host into this.port; the rest becomes this.hostname.
Url.prototype.parseHost = function parseHost() {
  let host = this.host;
  const portMatch = portPattern.exec(host);
  if (portMatch !== null) {
    const port = portMatch[0];
    if (port !== ':') this.port = port.slice(1);
    host = host.slice(0, host.length - port.length);
  }
  if (host) this.hostname = host;
};

// --- Module functions --------------------------------------------------------------------

function urlParse(url, parseQueryString, slashesDenoteHost) {
  if (!warnedParse && !isInsideNodeModules()) {
    warnedParse = true;
    process.emitWarning(
      '`url.parse()` behavior is not standardized and prone to errors that have security ' +
      'implications. Use the WHATWG URL API instead. CVEs are not issued for `url.parse()` ' +
      'vulnerabilities.', 'DeprecationWarning', 'DEP0169');
  }
  if (url instanceof Url) return url;
  const result = new Url();
  result.parse(url, parseQueryString, slashesDenoteHost);
  return result;
}

function urlFormat(urlObject, options) {
  if (typeof urlObject === 'string') {
    urlObject = urlParse(urlObject);
  } else if (typeof urlObject !== 'object' || urlObject === null) {
    throw new codes.ERR_INVALID_ARG_TYPE('urlObject', ['Object', 'string'], urlObject);
  } else if (urlObject instanceof URL) {
    let auth = true;
    let fragment = true;
    let search = true;
    let unicode = false;
    if (options !== undefined) {
      validateObject(options, 'options', kValidateObjectAllowNullable);
      if (options !== null) {
        if (options.auth !== undefined) auth = Boolean(options.auth);
        if (options.fragment !== undefined) fragment = Boolean(options.fragment);
        if (options.search !== undefined) search = Boolean(options.search);
        if (options.unicode !== undefined) unicode = Boolean(options.unicode);
      }
    }
    return formatURL(urlObject, { auth, fragment, search, unicode });
  }
  return Url.prototype.format.call(urlObject);
}

function urlResolve(source, relative) {
  return urlParse(source, false, true).resolve(relative);
}

function urlResolveObject(source, relative) {
  if (!source) return relative;
  return urlParse(source, false, true).resolveObject(relative);
}

module.exports = {
  Url,
  parse: urlParse,
  resolve: urlResolve,
  resolveObject: urlResolveObject,
  format: urlFormat,
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  pathToFileURL,
  fileURLToPath,
  fileURLToPathBuffer,
  urlToHttpOptions,
};

// URLPattern loads with its parser on first use.
Object.defineProperty(module.exports, 'URLPattern', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    return require('internal/url_pattern').URLPattern;
  },
});
