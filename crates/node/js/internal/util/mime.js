'use strict';
// util.MIMEType and util.MIMEParams: WHATWG MIME type parsing and serialization.

const { codes } = require('internal/errors');

const kTokenChars = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const kNotTokenChar = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;
// Code points allowed in a quoted parameter value: tab, visible ASCII and U+0080-U+00FF.
const kNotQuotedChar = /[^\t\u0020-\u007e\u0080-\u00ff]/;
const kWhitespace = /[\t\n\r ]/;

function trimHttpWhitespace(text) {
  return text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

function trimTrailingHttpWhitespace(text) {
  return text.replace(/[\t\n\r ]+$/, '');
}

// Throws the syntax error for `production` ('type', 'subtype', 'parameter name', ...) when
// `text` is empty or holds a character matching `notAllowed`; the message quotes `input`.
function validateSyntax(production, text, notAllowed, input = text) {
  const match = notAllowed.exec(text);
  if (text.length === 0 || match !== null) {
    throw new codes.ERR_INVALID_MIME_SYNTAX(production, input, match === null ? -1 : match.index);
  }
}

function serializeValue(value) {
  if (value.length > 0 && kTokenChars.test(value)) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

// Reads a quoted string starting at `start` (the opening quote); returns [value, end].
function readQuoted(text, start) {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') return [value, i + 1];
    if (ch === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\\') {
      value += '\\';
      return [value, i + 1];
    }
    value += ch;
    i++;
  }
  return [value, i];
}

// Adds the parameters in `text` (after the essence) to `params`, skipping invalid ones.
function parseParameters(text, params) {
  let i = 0;
  while (i < text.length) {
    i++; // the ';'
    while (i < text.length && kWhitespace.test(text[i])) i++;
    let nameEnd = i;
    while (nameEnd < text.length && text[nameEnd] !== ';' && text[nameEnd] !== '=') nameEnd++;
    const name = text.slice(i, nameEnd).toLowerCase();
    i = nameEnd;
    if (i >= text.length) break;
    if (text[i] === ';') continue;
    i++; // the '='
    if (i >= text.length) break;
    let value;
    if (text[i] === '"') {
      [value, i] = readQuoted(text, i);
      while (i < text.length && text[i] !== ';') i++;
    } else {
      let valueEnd = i;
      while (valueEnd < text.length && text[valueEnd] !== ';') valueEnd++;
      value = trimTrailingHttpWhitespace(text.slice(i, valueEnd));
      i = valueEnd;
      if (value.length === 0) continue;
    }
    if (name.length > 0 && kTokenChars.test(name) && !kNotQuotedChar.test(value) && !params.has(name)) {
      params.set(name, value);
    }
  }
}

class MIMEParams {
  #data = new Map();

  delete(name) {
    this.#data.delete(name);
  }

  get(name) {
    const value = this.#data.get(`${name}`);
    return value === undefined ? null : value;
  }

  has(name) {
    return this.#data.has(`${name}`);
  }

  set(name, value) {
    name = `${name}`;
    value = `${value}`;
    validateSyntax('parameter name', name, kNotTokenChar);
    const bad = kNotQuotedChar.exec(value);
    if (bad !== null) throw new codes.ERR_INVALID_MIME_SYNTAX('parameter value', value, bad.index);
    this.#data.set(name, value);
  }

  *entries() {
    yield* this.#data.entries();
  }

  *keys() {
    yield* this.#data.keys();
  }

  *values() {
    yield* this.#data.values();
  }

  toString() {
    let text = '';
    for (const [name, value] of this.#data) {
      text += `${text === '' ? '' : ';'}${name}=${serializeValue(value)}`;
    }
    return text;
  }

  toJSON() {
    return this.toString();
  }
}

Object.defineProperty(MIMEParams.prototype, Symbol.iterator, {
  value: MIMEParams.prototype.entries,
  writable: true,
  configurable: true,
});

class MIMEType {
  #type;
  #subtype;
  #params;

  constructor(input) {
    const text = trimHttpWhitespace(`${input}`);
    const slash = text.indexOf('/');
    const type = slash === -1 ? text : text.slice(0, slash);
    if (slash === -1 || type.length === 0) throw new codes.ERR_INVALID_MIME_SYNTAX('type', text, -1);
    validateSyntax('type', type, kNotTokenChar, text);
    const semicolon = text.indexOf(';', slash + 1);
    const subtype = trimTrailingHttpWhitespace(text.slice(slash + 1, semicolon === -1 ? text.length : semicolon));
    validateSyntax('subtype', subtype, kNotTokenChar, text);
    this.#type = type.toLowerCase();
    this.#subtype = subtype.toLowerCase();
    this.#params = new MIMEParams();
    if (semicolon !== -1) parseParameters(text.slice(semicolon), this.#params);
  }

  get type() {
    return this.#type;
  }

  set type(value) {
    value = `${value}`;
    validateSyntax('type', value, kNotTokenChar);
    this.#type = value.toLowerCase();
  }

  get subtype() {
    return this.#subtype;
  }

  set subtype(value) {
    value = `${value}`;
    validateSyntax('subtype', value, kNotTokenChar);
    this.#subtype = value.toLowerCase();
  }

  get essence() {
    return `${this.#type}/${this.#subtype}`;
  }

  get params() {
    return this.#params;
  }

  toString() {
    const params = this.#params.toString();
    return params === '' ? this.essence : `${this.essence};${params}`;
  }

  toJSON() {
    return this.toString();
  }
}

module.exports = { MIMEType, MIMEParams };
