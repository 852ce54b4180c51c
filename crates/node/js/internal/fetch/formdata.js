'use strict';

// FormData, and its multipart/form-data serialization and parsing for bodies.

const { Blob, File } = require('buffer');
const { ERR_INVALID_THIS } = require('internal/lazy_codes');
const { requireArgs, illegalInvocation } = require('internal/fetch/headers');

const customInspect = Symbol.for('nodejs.util.inspect.custom');

function toUSVString(value) {
  return `${value}`.toWellFormed();
}

// The entry value: a string, or a File (a Blob becomes one, named by filename or 'blob').
function entryValue(prefix, value, filename, argumentCount) {
  if (argumentCount > 2 && !(value instanceof Blob)) {
    const shown = typeof value === 'string' ? `"${value}"` : `${value}`;
    throw new TypeError(`${prefix}: Expected value ("${shown}") to be an instance of Blob.`);
  }
  if (!(value instanceof Blob)) return toUSVString(value);
  if (filename !== undefined) {
    const options = { type: value.type };
    if (value instanceof File) options.lastModified = value.lastModified;
    return new File([value], toUSVString(filename), options);
  }
  if (value instanceof File) return value;
  return new File([value], 'blob', { type: value.type });
}

let entriesOf;

class FormDataIterator {
  #entries;
  #kind;
  #index = 0;

  constructor(entries, kind) {
    this.#entries = entries;
    this.#kind = kind;
  }

  next() {
    if (!(#entries in this)) throw new ERR_INVALID_THIS('FormData Iterator');
    if (this.#index >= this.#entries.length) return { value: undefined, done: true };
    const { name, value } = this.#entries[this.#index++];
    if (this.#kind === 'key') return { value: name, done: false };
    if (this.#kind === 'value') return { value, done: false };
    return { value: [name, value], done: false };
  }

  [customInspect]() {
    return 'Object [FormData Iterator] {}';
  }
}
Object.setPrototypeOf(FormDataIterator.prototype,
  Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
Object.defineProperty(FormDataIterator.prototype, Symbol.toStringTag, { value: 'FormData Iterator', configurable: true });

class FormData {
  #entries = [];

  static {
    entriesOf = (formData) => {
      if (formData === null || typeof formData !== 'object' || !(#entries in formData)) throw illegalInvocation();
      return formData.#entries;
    };
  }

  constructor(form = undefined) {
    if (form !== undefined) {
      throw new TypeError('FormData constructor: Argument 1 could not be converted to: undefined.');
    }
  }

  append(name, value, filename = undefined) {
    const entries = entriesOf(this);
    requireArgs('FormData.append', 2, arguments.length);
    entries.push({ name: toUSVString(name), value: entryValue('FormData.append', value, filename, arguments.length) });
  }

  delete(name) {
    const entries = entriesOf(this);
    requireArgs('FormData.delete', 1, arguments.length);
    name = toUSVString(name);
    this.#entries = entries.filter((entry) => entry.name !== name);
  }

  get(name) {
    const entries = entriesOf(this);
    requireArgs('FormData.get', 1, arguments.length);
    name = toUSVString(name);
    const entry = entries.find((item) => item.name === name);
    return entry === undefined ? null : entry.value;
  }

  getAll(name) {
    const entries = entriesOf(this);
    requireArgs('FormData.getAll', 1, arguments.length);
    name = toUSVString(name);
    return entries.filter((entry) => entry.name === name).map((entry) => entry.value);
  }

  has(name) {
    const entries = entriesOf(this);
    requireArgs('FormData.has', 1, arguments.length);
    name = toUSVString(name);
    return entries.some((entry) => entry.name === name);
  }

  // Replaces the first entry of that name and drops the others, or appends.
  set(name, value, filename = undefined) {
    const entries = entriesOf(this);
    requireArgs('FormData.set', 2, arguments.length);
    const entry = { name: toUSVString(name), value: entryValue('FormData.set', value, filename, arguments.length) };
    const first = entries.findIndex((item) => item.name === entry.name);
    if (first === -1) {
      entries.push(entry);
      return;
    }
    this.#entries = entries.filter((item, index) => index <= first || item.name !== entry.name);
    this.#entries[first] = entry;
  }

  keys() {
    return new FormDataIterator(entriesOf(this), 'key');
  }

  values() {
    return new FormDataIterator(entriesOf(this), 'value');
  }

  entries() {
    return new FormDataIterator(entriesOf(this), 'key+value');
  }

  forEach(callback, thisArg = undefined) {
    const entries = entriesOf(this);
    requireArgs('FormData.forEach', 1, arguments.length);
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
    }
    for (const { name, value } of entries) callback.call(thisArg, value, name, this);
  }

  // As Node prints it: one key per name, repeated names as an array.
  [customInspect](depth, options, inspect) {
    const shown = {};
    for (const { name, value } of this.#entries) {
      if (!Object.hasOwn(shown, name)) shown[name] = value;
      else if (Array.isArray(shown[name])) shown[name].push(value);
      else shown[name] = [shown[name], value];
    }
    return `FormData ${inspect(shown, options)}`;
  }
}
Object.defineProperty(FormData.prototype, Symbol.iterator, {
  value: FormData.prototype.entries, writable: true, configurable: true,
});
Object.defineProperty(FormData.prototype, Symbol.toStringTag, { value: 'FormData', configurable: true });
for (const name of ['append', 'delete', 'get', 'getAll', 'has', 'set', 'keys', 'values', 'entries', 'forEach']) {
  Object.defineProperty(FormData.prototype, name, { enumerable: true });
}

// --- multipart/form-data ----------------------------------------------------------------

const encoder = new TextEncoder();

function escapeName(name) {
  return name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

function randomBoundary() {
  const digits = `${Math.floor(Math.random() * 1e11)}`.padStart(11, '0');
  return `----formdata-undici-0${digits}`;
}

// The body parts (Uint8Arrays and Blobs, read later) and the content type.
function serializeFormData(formData) {
  const boundary = randomBoundary();
  const parts = [];
  for (const { name, value } of entriesOf(formData)) {
    const header = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
    if (typeof value === 'string') {
      const text = value.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n');
      parts.push(encoder.encode(`${header}\r\n\r\n${text}\r\n`));
    } else {
      const type = value.type || 'application/octet-stream';
      parts.push(encoder.encode(`${header}; filename="${escapeName(value.name)}"\r\nContent-Type: ${type}\r\n\r\n`));
      parts.push(value, encoder.encode('\r\n'));
    }
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  return { parts, type: `multipart/form-data; boundary=${boundary}` };
}

function parseFailure() {
  return new TypeError('Failed to parse body as FormData.');
}

function unescapeName(name) {
  return name.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%22/g, '"');
}

// The value of a parameter (quoted or not) in a header value such as a content type.
function headerParameter(value, parameter) {
  const match = new RegExp(`;\\s*${parameter}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
  if (match === null) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

function parseMultipart(bytes, contentType) {
  const boundary = headerParameter(contentType, 'boundary');
  if (!boundary) throw parseFailure();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const formData = new FormData();
  const entries = entriesOf(formData);
  let position = buffer.indexOf(delimiter);
  if (position !== 0) throw parseFailure();
  for (;;) {
    position += delimiter.length;
    if (buffer[position] === 0x2d && buffer[position + 1] === 0x2d) return formData;
    if (buffer[position] !== 0x0d || buffer[position + 1] !== 0x0a) throw parseFailure();
    position += 2;
    const headersEnd = buffer.indexOf('\r\n\r\n', position, 'latin1');
    if (headersEnd === -1) throw parseFailure();
    let name = null;
    let filename = null;
    let type = '';
    for (const line of buffer.toString('latin1', position, headersEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon === -1) throw parseFailure();
      const field = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (field === 'content-disposition') {
        if (!/^form-data\s*(;|$)/i.test(value)) throw parseFailure();
        name = headerParameter(value, 'name');
        filename = headerParameter(value, 'filename');
      } else if (field === 'content-type') {
        type = value;
      }
    }
    if (name === null) throw parseFailure();
    const contentStart = headersEnd + 4;
    const next = buffer.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]), contentStart);
    if (next === -1) throw parseFailure();
    name = unescapeName(Buffer.from(name, 'latin1').toString('utf8'));
    const content = buffer.subarray(contentStart, next);
    if (filename !== null) {
      filename = unescapeName(Buffer.from(filename, 'latin1').toString('utf8'));
      entries.push({ name, value: new File([content], filename, { type }) });
    } else {
      entries.push({ name, value: content.toString('utf8') });
    }
    position = next + 2;
  }
}

function parseUrlEncoded(text) {
  const formData = new FormData();
  const entries = entriesOf(formData);
  for (const [name, value] of new URLSearchParams(text)) entries.push({ name, value });
  return formData;
}

module.exports = {
  FormData,
  serializeFormData,
  parseMultipart,
  parseUrlEncoded,
};
