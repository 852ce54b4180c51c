'use strict';

// Headers (WHATWG Fetch): a header list keyed by lower-cased name, iterated sorted with
// duplicate values combined, and the WebIDL-style argument checks undici makes.

const { ERR_INVALID_THIS } = require('internal/lazy_codes');

// What undici throws for a method called on the wrong object.
function illegalInvocation() {
  const error = new TypeError('Illegal invocation');
  error.code = 'ERR_INVALID_THIS';
  return error;
}

const customInspect = Symbol.for('nodejs.util.inspect.custom');
// The list and guard of a Headers (private fields, reached through these).
let listOf;
let guardOf;
let setGuard;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[\0\r\n]/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function requireArgs(prefix, count, found) {
  if (found < count) {
    const noun = count === 1 ? 'argument' : 'arguments';
    throw new TypeError(`${prefix}: ${count} ${noun} required, but${found > 0 ? ' only' : ''} ${found} found.`);
  }
}

// WebIDL ByteString: a string whose characters all fit in a byte.
function toByteString(value, symbolMessage) {
  if (typeof value === 'symbol') throw new TypeError(symbolMessage);
  const string = `${value}`;
  for (let i = 0; i < string.length; i++) {
    const code = string.charCodeAt(i);
    if (code > 255) {
      throw new TypeError('Cannot convert argument to a ByteString because the character at index ' +
        `${i} has a value of ${code} which is greater than 255.`);
    }
  }
  return string;
}

function isValidHeaderName(name) {
  return TOKEN.test(name);
}

function normalizeValue(value) {
  return value.replace(HTTP_WHITESPACE, '');
}

// Repeated values combine with ', ', but cookies with '; ' as undici does.
function combine(key, values) {
  return values.join(key === 'cookie' ? '; ' : ', ');
}

// name (lower-cased) -> { name: as first given, values: [...] }, in insertion order, plus
// the sorted-and-combined view iteration uses, rebuilt after a change.
class HeaderList {
  constructor() {
    this.map = new Map();
    this.sorted = null;
  }

  append(name, value) {
    const key = name.toLowerCase();
    const entry = this.map.get(key);
    if (entry === undefined) this.map.set(key, { name, values: [value] });
    else entry.values.push(value);
    this.sorted = null;
  }

  set(name, value) {
    const key = name.toLowerCase();
    const entry = this.map.get(key);
    if (entry === undefined) this.map.set(key, { name, values: [value] });
    else entry.values = [value];
    this.sorted = null;
  }

  delete(name) {
    if (this.map.delete(name.toLowerCase())) this.sorted = null;
  }

  has(name) {
    return this.map.has(name.toLowerCase());
  }

  get(name) {
    const entry = this.map.get(name.toLowerCase());
    return entry === undefined ? null : combine(name.toLowerCase(), entry.values);
  }

  getSetCookie() {
    const entry = this.map.get('set-cookie');
    return entry === undefined ? [] : entry.values.slice();
  }

  // [[name, value]...] sorted by name, set-cookie values kept apart.
  entries() {
    if (this.sorted !== null) return this.sorted;
    const keys = [...this.map.keys()].sort();
    const sorted = [];
    for (const key of keys) {
      const { values } = this.map.get(key);
      if (key === 'set-cookie') {
        for (const value of values) sorted.push([key, value]);
      } else {
        sorted.push([key, combine(key, values)]);
      }
    }
    this.sorted = sorted;
    return sorted;
  }
}

function checkName(prefix, name) {
  if (!isValidHeaderName(name)) throw new TypeError(`${prefix}: "${name}" is an invalid header name.`);
}

function checkMutable(headers) {
  if (guardOf(headers) === 'immutable') throw new TypeError('immutable');
}

function appendHeader(headers, name, value, prefix) {
  value = normalizeValue(value);
  checkName(prefix, name);
  if (INVALID_VALUE.test(value)) throw new TypeError(`${prefix}: "${value}" is an invalid header value.`);
  checkMutable(headers);
  listOf(headers).append(name, value);
}

// Fills from a HeadersInit: a Headers, an iterable of pairs or a record.
function fillHeaders(headers, init) {
  const prefix = 'Headers constructor';
  if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
    throw new TypeError(`${prefix}: Argument 1 could not be converted to one of: ` +
      'sequence<sequence<ByteString>>, record<ByteString, ByteString>.');
  }
  if (init instanceof Headers) {
    for (const [, { name, values }] of listOf(init).map) {
      for (const value of values) listOf(headers).append(name, value);
    }
    return;
  }
  const iterator = init[Symbol.iterator];
  if (iterator !== undefined) {
    if (typeof iterator !== 'function') {
      throw new TypeError(`${prefix}: Argument 1 could not be converted to one of: ` +
        'sequence<sequence<ByteString>>, record<ByteString, ByteString>.');
    }
    const pairs = [];
    let index = 0;
    for (const pair of init) {
      if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') {
        throw new TypeError(`${prefix}: init[${index}] (${typeof pair === 'symbol' ? pair.toString() : pair}) is not iterable.`);
      }
      const items = [...pair].map((item) => toByteString(item));
      pairs.push(items);
      index++;
    }
    for (const pair of pairs) {
      if (pair.length !== 2) {
        throw new TypeError(`${prefix}: expected name/value pair to be length 2, found ${pair.length}.`);
      }
      appendHeader(headers, pair[0], pair[1], 'Headers.append');
    }
    return;
  }
  const record = [];
  for (const key of Reflect.ownKeys(init)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(init, key);
    if (descriptor === undefined || !descriptor.enumerable) continue;
    const name = toByteString(key, `${prefix}: Key Symbol(${typeof key === 'symbol' ? key.description : key}) in init is a symbol, which cannot be converted to a ByteString.`);
    record.push([name, toByteString(init[key])]);
  }
  for (const [name, value] of record) appendHeader(headers, name, value, 'Headers.append');
}

class HeadersIterator {
  #headers;
  #kind;
  #index = 0;

  constructor(headers, kind) {
    this.#headers = headers;
    this.#kind = kind;
  }

  next() {
    if (!(#headers in this)) throw new ERR_INVALID_THIS('Headers Iterator');
    const entries = listOf(this.#headers).entries();
    if (this.#index >= entries.length) return { value: undefined, done: true };
    const [name, value] = entries[this.#index++];
    if (this.#kind === 'key') return { value: name, done: false };
    if (this.#kind === 'value') return { value, done: false };
    return { value: [name, value], done: false };
  }

  [customInspect](depth, options, inspect) {
    return 'Object [Headers Iterator] {}';
  }
}
Object.setPrototypeOf(HeadersIterator.prototype,
  Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
Object.defineProperty(HeadersIterator.prototype, Symbol.toStringTag, { value: 'Headers Iterator', configurable: true });

class Headers {
  #list = new HeaderList();
  #guard = 'none';

  static {
    listOf = (headers) => {
      if (headers === null || typeof headers !== 'object' || !(#list in headers)) throw illegalInvocation();
      return headers.#list;
    };
    guardOf = (headers) => headers.#guard;
    setGuard = (headers, guard) => {
      headers.#guard = guard;
    };
  }

  constructor(init = undefined) {
    if (init !== undefined) fillHeaders(this, init);
  }

  append(name, value) {
    listOf(this);
    requireArgs('Headers.append', 2, arguments.length);
    appendHeader(this, toByteString(name), toByteString(value), 'Headers.append');
  }

  delete(name) {
    const list = listOf(this);
    requireArgs('Headers.delete', 1, arguments.length);
    name = toByteString(name);
    checkName('Headers.delete', name);
    checkMutable(this);
    list.delete(name);
  }

  get(name) {
    const list = listOf(this);
    requireArgs('Headers.get', 1, arguments.length);
    name = toByteString(name);
    checkName('Headers.get', name);
    return list.get(name);
  }

  has(name) {
    const list = listOf(this);
    requireArgs('Headers.has', 1, arguments.length);
    name = toByteString(name);
    checkName('Headers.has', name);
    return list.has(name);
  }

  set(name, value) {
    const list = listOf(this);
    requireArgs('Headers.set', 2, arguments.length);
    name = toByteString(name);
    value = normalizeValue(toByteString(value));
    checkName('Headers.set', name);
    if (INVALID_VALUE.test(value)) throw new TypeError(`Headers.set: "${value}" is an invalid header value.`);
    checkMutable(this);
    list.set(name, value);
  }

  getSetCookie() {
    return listOf(this).getSetCookie();
  }

  keys() {
    listOf(this);
    return new HeadersIterator(this, 'key');
  }

  values() {
    listOf(this);
    return new HeadersIterator(this, 'value');
  }

  entries() {
    listOf(this);
    return new HeadersIterator(this, 'key+value');
  }

  forEach(callback, thisArg = undefined) {
    const list = listOf(this);
    requireArgs('Headers.forEach', 1, arguments.length);
    if (typeof callback !== 'function') {
      throw new TypeError("Headers.forEach: Argument 1 could not be converted to: Function.");
    }
    const entries = list.entries();
    for (let i = 0; i < entries.length; i++) {
      callback.call(thisArg, entries[i][1], entries[i][0], this);
      if (list.sorted !== entries) break;
    }
  }

  // As Node prints it: the names as first given, in insertion order, values combined.
  [customInspect](depth, options, inspect) {
    const shown = {};
    for (const [key, { name, values }] of this.#list.map) shown[name] = combine(key, values);
    return `Headers ${inspect(shown, options)}`;
  }
}
Object.defineProperty(Headers.prototype, Symbol.iterator, {
  value: Headers.prototype.entries, writable: true, configurable: true,
});
Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });
for (const name of ['append', 'delete', 'get', 'has', 'set', 'getSetCookie', 'keys', 'values', 'entries', 'forEach']) {
  Object.defineProperty(Headers.prototype, name, { enumerable: true });
}

// A new Headers with a copy of a list (or an empty one) and a guard: 'none', 'request',
// 'response' or 'immutable'.
function createHeaders(guard, list = undefined) {
  const headers = new Headers();
  if (list !== undefined) {
    const target = listOf(headers);
    for (const [key, { name, values }] of list.map) target.map.set(key, { name, values: values.slice() });
  }
  setGuard(headers, guard);
  return headers;
}

module.exports = {
  Headers,
  createHeaders,
  fillHeaders,
  listOf: (headers) => listOf(headers),
  setGuard: (headers, guard) => setGuard(headers, guard),
  guardOf: (headers) => guardOf(headers),
  isValidHeaderName,
  normalizeValue,
  toByteString,
  requireArgs,
  illegalInvocation,
};
