'use strict';

// Request: parseRequest() turns fetch()'s or the constructor's (input, init) into a plain
// record; the Request class wraps one. fetch() uses the record directly.

const { createHeaders, fillHeaders, listOf, illegalInvocation } = require('internal/fetch/headers');
const {
  extractBody, bodyStream, isUnusable, isUsed, consumeBody, cloneBody, takeBody,
} = require('internal/fetch/body');

const customInspect = Symbol.for('nodejs.util.inspect.custom');

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

let patchWarned = false;

function checkInit(init) {
  if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
    throw new TypeError(`undefined: Expected ${typeof init === 'string' ? `"${init}"` : String(init)} to be one of: Null, Undefined, Object.`);
  }
  return init ?? {};
}

function checkEnum(value, allowed) {
  value = `${value}`;
  if (!allowed.includes(value)) {
    throw new TypeError(`undefined: ${value} is not an accepted type. Expected one of ${allowed.join(', ')}.`);
  }
  return value;
}

function parseURL(input, base = undefined) {
  try {
    return new URL(input, base);
  } catch (error) {
    throw new TypeError(`Failed to parse URL from ${input}`, { cause: error });
  }
}

function normalizeMethod(method) {
  method = `${method}`;
  if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  if (NORMALIZED_METHODS.has(upper)) return upper;
  if (method === 'patch' && !patchWarned) {
    patchWarned = true;
    process.emitWarning('Using `patch` is highly likely to result in a `405 Method Not Allowed`. ' +
      '`PATCH` is much more likely to succeed.', { code: 'UNDICI-FETCH-patch' });
  }
  return method;
}

let requestRecordOf;
// The record the next Request is made from, instead of its arguments (see requestFromRecord).
let adoptedRecord = null;

function requestFromRecord(record) {
  adoptedRecord = record;
  return new Request();
}

// { method, url (URL), headers (Headers), body (BodyState or null), signal (or null),
//   redirect, keepalive } from (input, init).
function parseRequest(input, init) {
  init = checkInit(init);
  const from = input instanceof Request ? requestRecordOf(input) : null;
  let url;
  if (from !== null) {
    url = from.url;
  } else {
    url = parseURL(`${input}`);
    if (url.username !== '' || url.password !== '') {
      throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${input}`);
    }
  }
  const record = {
    method: from?.method ?? 'GET',
    url,
    headers: null,
    body: null,
    signal: from?.signal ?? null,
    redirect: from?.redirect ?? 'follow',
    mode: from?.mode ?? 'cors',
    credentials: from?.credentials ?? 'same-origin',
    cache: from?.cache ?? 'default',
    keepalive: from?.keepalive ?? false,
    duplex: 'half',
  };
  if (init.mode !== undefined) {
    if (`${init.mode}` === 'navigate') throw new TypeError('Request constructor: invalid request mode navigate.');
    record.mode = checkEnum(init.mode, ['same-origin', 'no-cors', 'cors', 'navigate', 'websocket']);
  }
  if (init.credentials !== undefined) record.credentials = checkEnum(init.credentials, ['omit', 'same-origin', 'include']);
  if (init.cache !== undefined) {
    record.cache = checkEnum(init.cache, ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']);
  }
  if (init.redirect !== undefined) record.redirect = checkEnum(init.redirect, ['follow', 'manual', 'error']);
  if (init.keepalive !== undefined) record.keepalive = !!init.keepalive;
  if (init.method !== undefined) record.method = normalizeMethod(init.method);
  if (init.signal !== undefined) {
    const { signal } = init;
    if (signal !== null && !(signal instanceof AbortSignal)) {
      throw new TypeError(`RequestInit: Expected signal ("${signal}") to be an instance of AbortSignal.`);
    }
    record.signal = signal;
  }
  if (init.duplex !== undefined) record.duplex = checkEnum(init.duplex, ['half']);

  // init.headers replaces the input Request's headers.
  const copied = from === null || init.headers !== undefined ? undefined : listOf(from.headers);
  const headers = createHeaders('request', copied);
  if (init.headers !== undefined) fillHeaders(headers, init.headers);
  record.headers = headers;

  const initBody = init.body;
  const hasInitBody = initBody !== undefined && initBody !== null;
  if ((hasInitBody || from?.body) && (record.method === 'GET' || record.method === 'HEAD')) {
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  }
  if (hasInitBody) {
    const { body, type } = extractBody(initBody);
    if (body.parts === null && init.duplex === undefined) {
      throw new TypeError('RequestInit: duplex option is required when sending a body.');
    }
    if (type !== null && !headers.has('content-type')) listOf(headers).append('content-type', type);
    record.body = body;
  } else if (from?.body) {
    if (isUnusable(from.body)) {
      throw new TypeError('Cannot construct a Request with a Request object that has already been used.');
    }
    record.body = takeBody(from.body);
  }
  return record;
}

class Request {
  #record;
  #signal = null;

  static {
    requestRecordOf = (request) => request.#record;
  }

  constructor(input, init = undefined) {
    if (adoptedRecord !== null) {
      this.#record = adoptedRecord;
      adoptedRecord = null;
      return;
    }
    if (arguments.length < 1) throw new TypeError('Request constructor: 1 argument required, but 0 found.');
    this.#record = parseRequest(input, init);
  }

  static #check(request) {
    if (request === null || typeof request !== 'object' || !(#record in request)) throw illegalInvocation();
    return request.#record;
  }

  get method() { return Request.#check(this).method; }
  get url() { return Request.#check(this).url.href; }
  get headers() { return Request.#check(this).headers; }
  get destination() { Request.#check(this); return ''; }
  get referrer() { Request.#check(this); return 'about:client'; }
  get referrerPolicy() { Request.#check(this); return ''; }
  get mode() { return Request.#check(this).mode; }
  get credentials() { return Request.#check(this).credentials; }
  get cache() { return Request.#check(this).cache; }
  get redirect() { return Request.#check(this).redirect; }
  get integrity() { Request.#check(this); return ''; }
  get keepalive() { return Request.#check(this).keepalive; }
  get isReloadNavigation() { Request.#check(this); return false; }
  get isHistoryNavigation() { Request.#check(this); return false; }

  // A signal of the Request's own that follows the one it was given.
  get signal() {
    const record = Request.#check(this);
    if (this.#signal === null) {
      this.#signal = record.signal === null ? new AbortController().signal : AbortSignal.any([record.signal]);
    }
    return this.#signal;
  }

  get body() {
    const { body } = Request.#check(this);
    return body === null ? null : bodyStream(body);
  }

  get bodyUsed() { return isUsed(Request.#check(this).body); }
  get duplex() { Request.#check(this); return 'half'; }

  clone() {
    const record = Request.#check(this);
    if (isUnusable(record.body)) throw new TypeError('Request.clone: Body has already been consumed.');
    return requestFromRecord({
      ...record,
      headers: createHeaders('request', listOf(record.headers)),
      body: record.body === null ? null : cloneBody(record.body),
      signal: this.signal,
    });
  }

  blob() { return Request.#consume(this, 'blob'); }
  arrayBuffer() { return Request.#consume(this, 'arrayBuffer'); }
  text() { return Request.#consume(this, 'text'); }
  json() { return Request.#consume(this, 'json'); }
  formData() { return Request.#consume(this, 'formData'); }
  bytes() { return Request.#consume(this, 'bytes'); }

  static #consume(object, kind) {
    let record;
    try {
      record = Request.#check(object);
    } catch (error) {
      return Promise.reject(error);
    }
    return consumeBody(record.body, kind, record.headers.get('content-type'));
  }

  [customInspect](depth, options, inspect) {
    const shown = {
      method: this.method,
      url: this.url,
      headers: this.headers,
      destination: this.destination,
      referrer: this.referrer,
      referrerPolicy: this.referrerPolicy,
      mode: this.mode,
      credentials: this.credentials,
      cache: this.cache,
      redirect: this.redirect,
      integrity: this.integrity,
      keepalive: this.keepalive,
      isReloadNavigation: this.isReloadNavigation,
      isHistoryNavigation: this.isHistoryNavigation,
      signal: this.signal,
    };
    return `Request ${inspect(shown, options)}`;
  }
}
Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });
for (const name of Object.getOwnPropertyNames(Request.prototype)) {
  if (name !== 'constructor') Object.defineProperty(Request.prototype, name, { enumerable: true });
}
// An empty enumerable property Node's Request.prototype has too.
Object.defineProperty(Request.prototype, 'attribute', { value: undefined, enumerable: true });

module.exports = { Request, parseRequest, parseURL, checkInit };
