'use strict';

// The WHATWG URL and URLSearchParams classes, plus the file-URL and host helpers node:url
// exports. Parsing and the standard's setters run in Rust (src/url.rs, the `url` crate);
// a URL keeps its serialization (`href`) and the offsets of its components, so every
// getter is a slice of `href`.

const binding = internalBinding('url');
const { inspect, stripVTControlCharacters } = require('internal/util/inspect');
const { codes, validators } = require('internal/errors');
const { validateFunction, validateObject, validateString } = validators;

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

// Indexes into a URL's offsets (see offsets() in src/url.rs).
const AFTER_SCHEME = 0;
const BEFORE_USERNAME = 1;
const AFTER_USERNAME = 2;
const BEFORE_PASSWORD = 3;
const AFTER_PASSWORD = 4;
const BEFORE_HOST = 5;
const AFTER_HOST = 6;
const BEFORE_PORT = 7;
const AFTER_PORT = 8;
const BEFORE_PATH = 9;
const AFTER_PATH = 10;
const AFTER_QUERY = 11;
const OFFSET_COUNT = 12;

// The ops write a URL's offsets here; each URL keeps a copy.
const scratchOffsets = new Uint32Array(OFFSET_COUNT);
function copyOffsets() {
  const o = scratchOffsets;
  return [o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10], o[11]];
}

// Setter numbers understood by binding.update.
const SET_HREF = 0;
const SET_PROTOCOL = 1;
const SET_USERNAME = 2;
const SET_PASSWORD = 3;
const SET_HOST = 4;
const SET_HOSTNAME = 5;
const SET_PORT = 6;
const SET_PATHNAME = 7;
const SET_SEARCH = 8;
const SET_HASH = 9;

const specialSchemes = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

// Node's numbering of schemes in its parser's state, shown by util.inspect(url, { showHidden }).
const schemeTypes = { 'http:': 0, 'https:': 2, 'ws:': 3, 'ftp:': 4, 'wss:': 5, 'file:': 6 };
const contextSymbol = Symbol('context');
class URLContext {}

// WebIDL USVString conversion: lone surrogates become U+FFFD.
function toUSVString(value) {
  return `${value}`.toWellFormed();
}

// The error `new URL()` throws: a plain TypeError (its stack header has no code), as in Node.
function invalidUrlError(input, base) {
  const err = new TypeError('Invalid URL');
  err.code = 'ERR_INVALID_URL';
  err.input = input;
  if (base !== undefined) err.base = base;
  return err;
}

// Functions that reach the private state of the classes below, set in their static blocks.
let paramsListOf;
let linkParamsToUrl;
let replaceParamsList;
let isURLSearchParams;
let updateUrlSearch;
let checkIterator;
let formatURL;

function checkParams(value) {
  if (!isURLSearchParams(value)) throw new codes.ERR_INVALID_THIS('URLSearchParams');
}

class URL {
  #href = '';
  // A plain array: typed arrays cost more to create than the parse itself.
  #offsets;
  #searchParams = undefined;

  constructor(input, base = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('url');
    input = toUSVString(input);
    if (base !== undefined) base = toUSVString(base);
    const href = binding.parse(input, base, scratchOffsets);
    if (href === undefined) throw invalidUrlError(input, base);
    this.#href = href;
    this.#offsets = copyOffsets();
  }

  static parse(input, base = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('url');
    try {
      return new URL(input, base);
    } catch (err) {
      if (err?.code === 'ERR_INVALID_URL') return null;
      throw err;
    }
  }

  static canParse(input, base = undefined) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('url');
    input = toUSVString(input);
    if (base !== undefined) base = toUSVString(base);
    return binding.canParse(input, base);
  }

  static createObjectURL(obj) {
    const { Blob } = require('buffer');
    if (!(obj instanceof Blob)) {
      throw new codes.ERR_INVALID_ARG_TYPE('obj', 'Blob', obj);
    }
    const url = `blob:nodedata:${randomUUID()}`;
    blobRegistry.set(url, obj);
    return url;
  }

  static revokeObjectURL(url) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('url');
    const key = blobRegistryKey(url);
    if (key !== undefined) blobRegistry.delete(key);
  }

  static {
    updateUrlSearch = (url, search) => url.#apply(SET_SEARCH, search, false);
    formatURL = (url, options) => url.#format(options);
  }

  // url.format(URL, options): the href without some parts, or with a Unicode host.
  #format({ auth, fragment, search, unicode }) {
    const href = this.#href;
    const at = (i) => this.#offsets[i];
    let out = fragment ? href : href.slice(0, at(AFTER_QUERY));
    if (!search) out = out.slice(0, at(AFTER_PATH)) + out.slice(at(AFTER_QUERY));
    if (unicode) {
      out = out.slice(0, at(BEFORE_HOST)) + binding.domainToUnicode(this.hostname) + out.slice(at(AFTER_HOST));
    }
    // Credentials run from the username to the '@' before the host.
    if (!auth && at(BEFORE_HOST) > at(BEFORE_USERNAME)) {
      out = out.slice(0, at(BEFORE_USERNAME)) + out.slice(at(BEFORE_HOST));
    }
    return out;
  }

  // Runs one of the standard's setters; a setter the standard ignores leaves the URL as it is.
  #apply(setter, value, syncParams = true) {
    const href = binding.update(this.#href, setter, value, scratchOffsets);
    if (href === false) return false;
    this.#href = href;
    this.#offsets = copyOffsets();
    if (syncParams && this.#searchParams !== undefined) {
      replaceParamsList(this.#searchParams, parseParams(this.search));
    }
    return true;
  }

  #slice(start, end) {
    return this.#href.slice(this.#offsets[start], end === undefined ? undefined : this.#offsets[end]);
  }

  toString() {
    return this.#href;
  }

  get href() {
    return this.#href;
  }

  set href(value) {
    value = toUSVString(value);
    if (!this.#apply(SET_HREF, value)) throw new codes.ERR_INVALID_URL(value);
  }

  get origin() {
    const scheme = this.#href.slice(0, this.#offsets[AFTER_SCHEME]);
    if (specialSchemes.has(scheme)) return `${scheme}://${this.#slice(BEFORE_HOST, AFTER_PORT)}`;
    if (scheme === 'blob') {
      // The origin of the URL in the path, when that is an http(s) URL.
      const inner = URL.parse(this.pathname);
      if (inner !== null && (inner.protocol === 'http:' || inner.protocol === 'https:')) return inner.origin;
    }
    return 'null';
  }

  get protocol() {
    return this.#href.slice(0, this.#offsets[AFTER_SCHEME] + 1);
  }

  set protocol(value) {
    this.#apply(SET_PROTOCOL, toUSVString(value));
  }

  get username() {
    return this.#slice(BEFORE_USERNAME, AFTER_USERNAME);
  }

  set username(value) {
    this.#apply(SET_USERNAME, toUSVString(value));
  }

  get password() {
    return this.#slice(BEFORE_PASSWORD, AFTER_PASSWORD);
  }

  set password(value) {
    this.#apply(SET_PASSWORD, toUSVString(value));
  }

  get host() {
    return this.#slice(BEFORE_HOST, AFTER_PORT);
  }

  set host(value) {
    this.#apply(SET_HOST, toUSVString(value));
  }

  get hostname() {
    return this.#slice(BEFORE_HOST, AFTER_HOST);
  }

  set hostname(value) {
    this.#apply(SET_HOSTNAME, toUSVString(value));
  }

  get port() {
    return this.#slice(BEFORE_PORT, AFTER_PORT);
  }

  set port(value) {
    this.#apply(SET_PORT, toUSVString(value));
  }

  get pathname() {
    return this.#slice(BEFORE_PATH, AFTER_PATH);
  }

  set pathname(value) {
    this.#apply(SET_PATHNAME, toUSVString(value));
  }

  // `?` alone (an empty query) reads as ''.
  get search() {
    const search = this.#slice(AFTER_PATH, AFTER_QUERY);
    return search.length > 1 ? search : '';
  }

  set search(value) {
    this.#apply(SET_SEARCH, toUSVString(value));
  }

  get searchParams() {
    if (this.#searchParams === undefined) {
      this.#searchParams = new URLSearchParams(this.search);
      linkParamsToUrl(this.#searchParams, this);
    }
    return this.#searchParams;
  }

  get hash() {
    const hash = this.#slice(AFTER_QUERY);
    return hash.length > 1 ? hash : '';
  }

  set hash(value) {
    this.#apply(SET_HASH, toUSVString(value));
  }

  toJSON() {
    return this.#href;
  }

  [inspectCustom](depth, options) {
    if (typeof depth === 'number' && depth < 0) return this;
    const shown = {
      href: this.href,
      origin: this.origin,
      protocol: this.protocol,
      username: this.username,
      password: this.password,
      host: this.host,
      hostname: this.hostname,
      port: this.port,
      pathname: this.pathname,
      search: this.search,
      searchParams: this.searchParams,
      hash: this.hash,
    };
    if (options.showHidden) shown[contextSymbol] = this.#describeContext();
    return `${constructorName(this, 'URL')} ${inspect(shown, options)}`;
  }

  // What Node shows as the URL's internal state under `showHidden`: its serialization
  // and component offsets as Node's parser (ada) records them.
  #describeContext() {
    const href = this.#href;
    const at = (i) => this.#offsets[i];
    const omitted = 4294967295;
    const protocolEnd = at(AFTER_SCHEME) + 1;
    const hasAuthority = href.startsWith('//', protocolEnd);
    const hasCredentials = at(BEFORE_HOST) > at(BEFORE_USERNAME);
    const context = new URLContext();
    context.href = href;
    context.protocol_end = protocolEnd;
    context.username_end = !hasAuthority ? protocolEnd : hasCredentials ? at(AFTER_USERNAME) : protocolEnd + 2;
    context.host_start = !hasAuthority ? protocolEnd : hasCredentials ? at(BEFORE_HOST) - 1 : protocolEnd + 2;
    context.host_end = hasAuthority ? at(AFTER_HOST) : protocolEnd;
    context.pathname_start = at(BEFORE_PATH);
    context.search_start = at(AFTER_QUERY) > at(AFTER_PATH) ? at(AFTER_PATH) : omitted;
    context.hash_start = at(AFTER_QUERY) < href.length ? at(AFTER_QUERY) : omitted;
    context.port = this.port === '' ? omitted : Number(this.port);
    context.scheme_type = schemeTypes[this.protocol] ?? 1;
    const getters = {
      hasPort: () => context.port !== omitted,
      hasSearch: () => context.search_start !== omitted,
      hasHash: () => context.hash_start !== omitted,
    };
    for (const [name, get] of Object.entries(getters)) {
      Object.defineProperty(context, name, { get, enumerable: false, configurable: true });
    }
    return context;
  }
}

function constructorName(obj, fallback) {
  const ctor = obj.constructor;
  return typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : fallback;
}

// Node's URL and URLSearchParams members are enumerable, unlike class members.
function makeEnumerable(target, names) {
  for (const name of names) {
    Object.defineProperty(target, name, { enumerable: true });
  }
}

makeEnumerable(URL.prototype, [
  'toString', 'href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname',
  'port', 'pathname', 'search', 'searchParams', 'hash', 'toJSON',
]);
makeEnumerable(URL, ['parse', 'canParse', 'createObjectURL', 'revokeObjectURL']);
Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });

// --- blob: URLs ------------------------------------------------------------------------

const blobRegistry = new Map();

function randomUUID() {
  const hex = [];
  for (let i = 0; i < 16; i++) hex.push(Math.floor(Math.random() * 256));
  hex[6] = (hex[6] & 0x0f) | 0x40;
  hex[8] = (hex[8] & 0x3f) | 0x80;
  const s = hex.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

// The registry key of a `blob:nodedata:<id>` URL, or undefined for any other URL.
function blobRegistryKey(url) {
  const parsed = URL.parse(`${url}`);
  if (parsed === null || parsed.protocol !== 'blob:' || !parsed.pathname.startsWith('nodedata:')) return undefined;
  return `blob:${parsed.pathname}`;
}

// The Blob behind a URL made by URL.createObjectURL, if still registered.
function resolveObjectURL(url) {
  const key = blobRegistryKey(url);
  return key === undefined ? undefined : blobRegistry.get(key);
}

// --- URLSearchParams -------------------------------------------------------------------

// application/x-www-form-urlencoded parsing: [name, value, name, value, ...].
function parseParams(query) {
  const list = [];
  if (query[0] === '?') query = query.slice(1);
  if (query.length === 0) return list;
  for (const piece of query.split('&')) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    if (eq === -1) {
      list.push(decodeParam(piece), '');
    } else {
      list.push(decodeParam(piece.slice(0, eq)), decodeParam(piece.slice(eq + 1)));
    }
  }
  return list;
}

// `+` is a space and `%XX` a UTF-8 byte; decodeURIComponent does the common case, Rust
// the malformed escapes and byte sequences it rejects.
function decodeParam(str) {
  if (str.includes('+')) str = str.replaceAll('+', ' ');
  if (!str.includes('%')) return str;
  try {
    return decodeURIComponent(str);
  } catch {
    return binding.percentDecode(str);
  }
}

// Bytes the urlencoded serializer keeps as they are: * - . 0-9 A-Z _ a-z.
const keptAsIs = /^[*\-.0-9A-Z_a-z]*$/;
const hexByte = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`);

function encodeParam(str) {
  if (keptAsIs.test(str)) return str;
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x20) out += '+';
      else if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
               c === 0x2a || c === 0x2d || c === 0x2e || c === 0x5f) out += str[i];
      else out += hexByte[c];
    } else if (c < 0x800) {
      out += hexByte[0xc0 | (c >> 6)] + hexByte[0x80 | (c & 0x3f)];
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      // Names and values are USVStrings, so a high surrogate is always followed by a low one.
      const cp = 0x10000 + ((c - 0xd800) << 10) + (str.charCodeAt(++i) - 0xdc00);
      out += hexByte[0xf0 | (cp >> 18)] + hexByte[0x80 | ((cp >> 12) & 0x3f)] +
        hexByte[0x80 | ((cp >> 6) & 0x3f)] + hexByte[0x80 | (cp & 0x3f)];
    } else {
      out += hexByte[0xe0 | (c >> 12)] + hexByte[0x80 | ((c >> 6) & 0x3f)] + hexByte[0x80 | (c & 0x3f)];
    }
  }
  return out;
}

function serializeParams(list) {
  let out = '';
  for (let i = 0; i < list.length; i += 2) {
    if (i > 0) out += '&';
    out += `${encodeParam(list[i])}=${encodeParam(list[i + 1])}`;
  }
  return out;
}

function isObjectLike(value) {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

class URLSearchParams {
  // Names and values alternate: [name, value, name, value, ...].
  #list = [];
  // The URL whose query this object mirrors (URL#searchParams), if any.
  #url = null;

  constructor(init = undefined) {
    if (init === undefined) return;
    if (!isObjectLike(init)) {
      this.#list = parseParams(toUSVString(init));
      return;
    }
    const method = init[Symbol.iterator];
    if (method === this[Symbol.iterator] && #list in init) {
      this.#list = init.#list.slice();
    } else if (method != null) {
      if (typeof method !== 'function') throw new codes.ERR_ARG_NOT_ITERABLE('Query pairs');
      const pairs = [];
      for (const pair of { [Symbol.iterator]: () => method.call(init) }) {
        if (!isObjectLike(pair) || typeof pair[Symbol.iterator] !== 'function') {
          throw new codes.ERR_INVALID_TUPLE('Each query pair', '[name, value]');
        }
        pairs.push(Array.from(pair));
      }
      for (const pair of pairs) {
        if (pair.length !== 2) throw new codes.ERR_INVALID_TUPLE('Each query pair', '[name, value]');
        this.#list.push(toUSVString(pair[0]), toUSVString(pair[1]));
      }
    } else {
      // A record: its own enumerable keys, symbols included (which throw, as in Node).
      for (const key of Reflect.ownKeys(init)) {
        const desc = Reflect.getOwnPropertyDescriptor(init, key);
        if (desc !== undefined && desc.enumerable) {
          this.#list.push(toUSVString(key), toUSVString(init[key]));
        }
      }
    }
  }

  static {
    paramsListOf = (params) => params.#list;
    linkParamsToUrl = (params, url) => { params.#url = url; };
    replaceParamsList = (params, list) => { params.#list = list; };
    isURLSearchParams = (value) => isObjectLike(value) && #list in value;
  }

  // The standard's "update steps": mirror the list into the URL's query.
  #update() {
    if (this.#url !== null) updateUrlSearch(this.#url, serializeParams(this.#list));
  }

  get size() {
    checkParams(this);
    return this.#list.length / 2;
  }

  append(name, value) {
    checkParams(this);
    if (arguments.length < 2) throw new codes.ERR_MISSING_ARGS('name', 'value');
    this.#list.push(toUSVString(name), toUSVString(value));
    this.#update();
  }

  delete(name, value = undefined) {
    checkParams(this);
    if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    const list = this.#list;
    if (value !== undefined) {
      value = toUSVString(value);
      for (let i = 0; i < list.length;) {
        if (list[i] === name && list[i + 1] === value) list.splice(i, 2);
        else i += 2;
      }
    } else {
      for (let i = 0; i < list.length;) {
        if (list[i] === name) list.splice(i, 2);
        else i += 2;
      }
    }
    this.#update();
  }

  get(name) {
    checkParams(this);
    if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    const list = this.#list;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) return list[i + 1];
    }
    return null;
  }

  getAll(name) {
    checkParams(this);
    if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    const list = this.#list;
    const values = [];
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) values.push(list[i + 1]);
    }
    return values;
  }

  has(name, value = undefined) {
    checkParams(this);
    if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('name');
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    const list = this.#list;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
    }
    return false;
  }

  set(name, value) {
    checkParams(this);
    if (arguments.length < 2) throw new codes.ERR_MISSING_ARGS('name', 'value');
    name = toUSVString(name);
    value = toUSVString(value);
    const list = this.#list;
    let found = false;
    for (let i = 0; i < list.length;) {
      if (list[i] !== name) {
        i += 2;
      } else if (!found) {
        list[i + 1] = value;
        found = true;
        i += 2;
      } else {
        list.splice(i, 2);
      }
    }
    if (!found) list.push(name, value);
    this.#update();
  }

  // Stable sort by name, comparing UTF-16 code units.
  sort() {
    checkParams(this);
    const list = this.#list;
    const pairs = [];
    for (let i = 0; i < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#list = pairs.flat();
    this.#update();
  }

  entries() {
    checkParams(this);
    return new URLSearchParamsIterator(this, 'key+value');
  }

  forEach(callback, thisArg = undefined) {
    checkParams(this);
    validateFunction(callback, 'callback');
    // The list is read afresh each step, so changes made by the callback are seen.
    for (let i = 0; i < this.#list.length; i += 2) {
      callback.call(thisArg, this.#list[i + 1], this.#list[i], this);
    }
  }

  keys() {
    checkParams(this);
    return new URLSearchParamsIterator(this, 'key');
  }

  values() {
    checkParams(this);
    return new URLSearchParamsIterator(this, 'value');
  }

  toString() {
    checkParams(this);
    return serializeParams(this.#list);
  }

  [inspectCustom](recurseTimes, ctx) {
    checkParams(this);
    if (typeof recurseTimes === 'number' && recurseTimes < 0) return ctx.stylize('[Object]', 'special');
    const innerOptions = { ...ctx };
    if (recurseTimes !== null) innerOptions.depth = recurseTimes - 1;
    const list = this.#list;
    const output = [];
    for (let i = 0; i < list.length; i += 2) {
      output.push(`${inspect(list[i], innerOptions)} => ${inspect(list[i + 1], innerOptions)}`);
    }
    const width = output.reduce((sum, entry) => sum + stripVTControlCharacters(entry).length + 2, -2);
    const name = constructorName(this, 'URLSearchParams');
    if (width > ctx.breakLength) return `${name} {\n  ${output.join(',\n  ')} }`;
    if (output.length > 0) return `${name} { ${output.join(', ')} }`;
    return `${name} {}`;
  }
}

makeEnumerable(URLSearchParams.prototype, [
  'size', 'append', 'delete', 'get', 'getAll', 'has', 'set', 'sort', 'entries', 'forEach',
  'keys', 'values', 'toString',
]);
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams', configurable: true,
});
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true,
});

// Iterators read the live list, so they see changes made while iterating.
class URLSearchParamsIterator {
  #params;
  #kind;
  #index = 0;

  constructor(params, kind) {
    this.#params = params;
    this.#kind = kind;
  }

  static {
    checkIterator = (value) => {
      if (!(isObjectLike(value) && #kind in value)) {
        throw new codes.ERR_INVALID_THIS('URLSearchParamsIterator');
      }
    };
  }

  #item(list, i) {
    if (this.#kind === 'key') return list[i];
    if (this.#kind === 'value') return list[i + 1];
    return [list[i], list[i + 1]];
  }

  next() {
    checkIterator(this);
    const list = paramsListOf(this.#params);
    if (this.#index >= list.length) return { value: undefined, done: true };
    const value = this.#item(list, this.#index);
    this.#index += 2;
    return { value, done: false };
  }

  [inspectCustom](recurseTimes, ctx) {
    checkIterator(this);
    if (typeof recurseTimes === 'number' && recurseTimes < 0) return ctx.stylize('[Object]', 'special');
    const innerOptions = { ...ctx };
    if (recurseTimes !== null) innerOptions.depth = recurseTimes - 1;
    const list = paramsListOf(this.#params);
    const items = [];
    for (let i = this.#index; i < list.length; i += 2) items.push(this.#item(list, i));
    const multiline = inspect(items, innerOptions).includes('\n');
    const shown = items.map((item) => inspect(item, innerOptions));
    const body = multiline ? `\n  ${shown.join(',\n  ')}` : ` ${shown.join(', ')}`;
    return `${this[Symbol.toStringTag]} {${body} }`;
  }
}

// The iterator prototype has only `next` (enumerable) and inherits from %IteratorPrototype%.
Object.setPrototypeOf(URLSearchParamsIterator.prototype, IteratorPrototype);
delete URLSearchParamsIterator.prototype.constructor;
makeEnumerable(URLSearchParamsIterator.prototype, ['next']);
Object.defineProperty(URLSearchParamsIterator.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams Iterator', configurable: true,
});

// --- Helpers for node:url and other built-ins ------------------------------------------

// Whether `value` is a WHATWG URL (or looks like one, as Node accepts for file paths).
function isURL(value) {
  return Boolean(value?.href && value.protocol && value.auth === undefined && value.path === undefined);
}

function domainToASCII(domain) {
  if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('domain');
  return binding.domainToASCII(`${domain}`);
}

function domainToUnicode(domain) {
  if (arguments.length < 1) throw new codes.ERR_MISSING_ARGS('domain');
  return binding.domainToUnicode(`${domain}`);
}

// The file: URL behind fileURLToPath's argument (a string or a URL).
function toFileURL(path) {
  let url = path;
  if (typeof path === 'string') url = new URL(path);
  else if (!isURL(path)) throw new codes.ERR_INVALID_ARG_TYPE('path', ['string', 'URL'], path);
  if (url.protocol !== 'file:') throw new codes.ERR_INVALID_URL_SCHEME('file');
  return url;
}

function fileURLToPath(path, options = undefined) {
  const windows = windowsOption(options);
  const url = toFileURL(path);
  return windows ? windowsPathFromURL(url) : posixPathFromURL(url);
}

// Node reads `options.windows` without validating it; a truthy value selects Windows rules.
function windowsOption(options) {
  return Boolean(options?.windows);
}

function checkPosixFileURL(url) {
  if (url.hostname !== '') throw new codes.ERR_INVALID_FILE_URL_HOST(process.platform);
  if (/%2f/i.test(url.pathname)) {
    throw new codes.ERR_INVALID_FILE_URL_PATH('must not include encoded / characters', url);
  }
}

function posixPathFromURL(url) {
  checkPosixFileURL(url);
  return decodeURIComponent(url.pathname);
}

function windowsPathFromURL(url) {
  const hostname = url.hostname;
  let pathname = url.pathname;
  if (/%2f|%5c/i.test(pathname)) {
    throw new codes.ERR_INVALID_FILE_URL_PATH('must not include encoded \\ or / characters', url);
  }
  pathname = decodeURIComponent(pathname.replaceAll('/', '\\'));
  if (hostname !== '') {
    // A UNC path: \\server\share\...
    return `\\\\${domainToUnicode(hostname)}${pathname}`;
  }
  const letter = pathname.charCodeAt(1) | 0x20;
  if (!(letter >= 0x61 && letter <= 0x7a) || pathname[2] !== ':') {
    throw new codes.ERR_INVALID_FILE_URL_PATH('must be absolute', url);
  }
  return pathname.slice(1);
}

// fileURLToPath's result as the bytes of the percent-decoded path (which need not be UTF-8).
function fileURLToPathBuffer(path, options = undefined) {
  const windows = windowsOption(options);
  const url = toFileURL(path);
  const { Buffer } = require('buffer');
  if (windows) return Buffer.from(windowsPathFromURL(url));
  checkPosixFileURL(url);
  return Buffer.from(percentDecodeBytes(url.pathname));
}

// The bytes of a percent-encoded ASCII string (a URL's pathname).
function percentDecodeBytes(str) {
  const bytes = [];
  for (let i = 0; i < str.length; i++) {
    const escape = str.slice(i + 1, i + 3);
    if (str[i] === '%' && /^[0-9a-fA-F]{2}$/.test(escape)) {
      bytes.push(parseInt(escape, 16));
      i += 2;
    } else {
      bytes.push(str.charCodeAt(i));
    }
  }
  return bytes;
}

// Characters pathToFileURL escapes before parsing: those the parser would take as
// delimiters, strip or leave alone (other controls are encoded or trimmed by the parser).
const posixPathEscapes = /[\0\t\n\r "#%<>?[\\\]^`{|}~]/g;
const windowsPathEscapes = /[\0\t\n\r "#%<>?[\]^`{|}~]/g;
const escapeChar = (c) => hexByte[c.charCodeAt(0)];

function pathToFileURL(filepath, options) {
  const windows = windowsOption(options);
  validateString(filepath, 'path');
  if (windows) return windowsPathToFileURL(filepath);
  let resolved = require('path').resolve(filepath);
  if (filepath.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
  return new URL(`file://${resolved.replace(posixPathEscapes, escapeChar)}`);
}

function windowsPathToFileURL(filepath) {
  if (filepath.startsWith('\\\\?\\')) filepath = filepath.slice(4);
  if (filepath.startsWith('\\\\')) {
    // UNC: \\server\share\path
    const end = filepath.indexOf('\\', 2);
    if (end === -1) {
      throw new codes.ERR_INVALID_ARG_VALUE('path', filepath, 'Missing UNC resource path');
    }
    if (end === 2) throw new codes.ERR_INVALID_ARG_VALUE('path', filepath, 'Empty UNC servername');
    const url = new URL('file://');
    url.hostname = filepath.slice(2, end);
    url.pathname = filepath.slice(end).replace(windowsPathEscapes, escapeChar).replaceAll('\\', '/');
    return url;
  }
  const escaped = filepath.replace(windowsPathEscapes, escapeChar).replaceAll('\\', '/');
  return new URL(`file://${escaped.startsWith('/') ? '' : '/'}${escaped}`);
}

// Whether the user code that called into a built-in lives in a node_modules folder (Node
// spares packages some deprecation warnings).
function isInsideNodeModules() {
  const frames = `${new Error().stack}`.split('\n').slice(1);
  const caller = frames.find((line) => !/\(node:|at node:|at native$/.test(line));
  return caller !== undefined && caller.includes('/node_modules/');
}

// A path argument that may be a file: URL, as fs functions accept.
function toPathIfFileURL(value) {
  return isURL(value) ? fileURLToPath(value) : value;
}

// The options http.request() derives from a URL.
function urlToHttpOptions(url) {
  validateObject(url, 'url', validators.kValidateObjectAllowArray | validators.kValidateObjectAllowFunction);
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: hostname && hostname[0] === '[' ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) {
    options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  }
  return options;
}

module.exports = {
  URL,
  formatURL: (url, options) => formatURL(url, options),
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  fileURLToPath,
  fileURLToPathBuffer,
  pathToFileURL,
  toPathIfFileURL,
  urlToHttpOptions,
  isURL,
  isInsideNodeModules,
  isURLSearchParams: (value) => isURLSearchParams(value),
  resolveObjectURL,
};
