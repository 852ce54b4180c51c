'use strict';

// Response: made by its constructor, its static factories, or fetch() (responseFromNetwork).

const {
  createHeaders, fillHeaders, listOf, setGuard, guardOf, illegalInvocation,
} = require('internal/fetch/headers');
const {
  extractBody, bodyStream, isUnusable, isUsed, consumeBody, cloneBody,
} = require('internal/fetch/body');
const { parseURL, checkInit } = require('internal/fetch/request');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// reason-phrase: tab, space, visible ASCII and obs-text.
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

// The record the next Response is made from, instead of its arguments.
let adoptedRecord = null;

function responseFromRecord(record) {
  adoptedRecord = record;
  return new Response();
}

function newRecord(fields) {
  return {
    type: 'default',
    status: 200,
    statusText: '',
    headers: null,
    body: null,
    url: '',
    redirected: false,
    ...fields,
  };
}

// WebIDL unsigned short.
function toUnsignedShort(value) {
  const number = Math.trunc(Number(value));
  return Number.isFinite(number) ? ((number % 65536) + 65536) % 65536 : 0;
}

// Applies a ResponseInit and a body to a new record.
function initializeRecord(record, init, body) {
  init = checkInit(init);
  const status = init.status === undefined ? 200 : toUnsignedShort(init.status);
  if (status < 200 || status > 599) {
    throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
  }
  const statusText = init.statusText === undefined ? '' : `${init.statusText}`;
  if (!REASON_PHRASE.test(statusText)) throw new TypeError('Invalid statusText');
  record.status = status;
  record.statusText = statusText;
  if (init.headers !== undefined) fillHeaders(record.headers, init.headers);
  if (body !== null) {
    if (NULL_BODY_STATUSES.has(status)) {
      throw new TypeError(`Response constructor: Invalid response status code ${status}`);
    }
    record.body = body.body;
    if (body.type !== null && !record.headers.has('content-type')) {
      listOf(record.headers).append('content-type', body.type);
    }
  }
}

class Response {
  #record;

  constructor(body = null, init = undefined) {
    if (adoptedRecord !== null) {
      this.#record = adoptedRecord;
      adoptedRecord = null;
      return;
    }
    const record = newRecord({ headers: createHeaders('response') });
    initializeRecord(record, init, body === null ? null : extractBody(body));
    this.#record = record;
  }

  static #check(response) {
    if (response === null || typeof response !== 'object' || !(#record in response)) throw illegalInvocation();
    return response.#record;
  }

  static error() {
    const headers = createHeaders('immutable');
    return responseFromRecord(newRecord({ type: 'error', status: 0, headers }));
  }

  static json(data, init = undefined) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable');
    const record = newRecord({ headers: createHeaders('response') });
    const body = extractBody(text);
    body.type = 'application/json';
    initializeRecord(record, init, body);
    return responseFromRecord(record);
  }

  static redirect(url, status = 302) {
    const parsed = parseURL(`${url}`);
    status = toUnsignedShort(status);
    if (!REDIRECT_STATUSES.has(status)) throw new RangeError(`Invalid status code ${status}`);
    const headers = createHeaders('response');
    listOf(headers).append('location', parsed.href);
    setGuard(headers, 'immutable');
    return responseFromRecord(newRecord({ status, headers }));
  }

  get type() { return Response.#check(this).type; }
  get url() { return Response.#check(this).url; }
  get redirected() { return Response.#check(this).redirected; }
  get status() { return Response.#check(this).status; }

  get ok() {
    const { status } = Response.#check(this);
    return status >= 200 && status <= 299;
  }

  get statusText() { return Response.#check(this).statusText; }
  get headers() { return Response.#check(this).headers; }

  get body() {
    const { body } = Response.#check(this);
    return body === null ? null : bodyStream(body);
  }

  get bodyUsed() { return isUsed(Response.#check(this).body); }

  clone() {
    const record = Response.#check(this);
    if (isUnusable(record.body)) throw new TypeError('Response.clone: Body has already been consumed.');
    const headers = createHeaders(guardOf(record.headers), listOf(record.headers));
    return responseFromRecord({
      ...record,
      headers,
      body: record.body === null ? null : cloneBody(record.body),
    });
  }

  blob() { return Response.#consume(this, 'blob'); }
  arrayBuffer() { return Response.#consume(this, 'arrayBuffer'); }
  text() { return Response.#consume(this, 'text'); }
  json() { return Response.#consume(this, 'json'); }
  formData() { return Response.#consume(this, 'formData'); }
  bytes() { return Response.#consume(this, 'bytes'); }

  static #consume(object, kind) {
    let record;
    try {
      record = Response.#check(object);
    } catch (error) {
      return Promise.reject(error);
    }
    return consumeBody(record.body, kind, record.headers.get('content-type'));
  }

  [customInspect](depth, options, inspect) {
    const record = this.#record;
    const shown = {
      status: record.status,
      statusText: record.statusText,
      headers: record.headers,
      body: this.body,
      bodyUsed: this.bodyUsed,
      ok: this.ok,
      redirected: record.redirected,
      type: record.type,
      url: record.url,
    };
    return `Response ${inspect(shown, options)}`;
  }
}
Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: 'Response', configurable: true });
for (const name of Object.getOwnPropertyNames(Response.prototype)) {
  if (name !== 'constructor') Object.defineProperty(Response.prototype, name, { enumerable: true });
}
for (const name of ['error', 'json', 'redirect']) Object.defineProperty(Response, name, { enumerable: true });

module.exports = { Response, responseFromRecord, newRecord, NULL_BODY_STATUSES, REDIRECT_STATUSES };
