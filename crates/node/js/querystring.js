'use strict';

// node:querystring — Node's lenient `a=1&b=2` parser and serializer (not the WHATWG
// application/x-www-form-urlencoded rules URLSearchParams follows).

const codes = require('internal/lazy_codes');

// Like encodeURIComponent (which keeps A-Z a-z 0-9 - _ . ! ~ * ' ( )), with Node's error.
function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  try {
    return encodeURIComponent(str);
  } catch {
    throw new codes.ERR_INVALID_URI();
  }
}

function qsUnescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch {
    return decodeUTF8(unescapeBytes(s, decodeSpaces));
  }
}

const hexValue = (code) => {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
};

// Each `%XX` becomes its byte, `+` a space when asked, and any other character the low
// byte of its code unit (as Node does).
function unescapeBytes(s, decodeSpaces) {
  const bytes = new Uint8Array(s.length);
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code === 0x2b && decodeSpaces) {
      bytes[length++] = 0x20;
      continue;
    }
    if (code === 0x25 && i + 2 < s.length) {
      const high = hexValue(s.charCodeAt(i + 1));
      const low = hexValue(s.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        bytes[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    bytes[length++] = code & 0xff;
  }
  return bytes.subarray(0, length);
}

function unescapeBuffer(s, decodeSpaces) {
  const bytes = unescapeBytes(s, decodeSpaces);
  const { Buffer } = require('buffer');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

// UTF-8 to a string, each invalid sequence (maximal subpart) becoming U+FFFD.
function decodeUTF8(bytes) {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      if (b0 === 0xe0) lower = 0xa0;
      if (b0 === 0xed) upper = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      if (b0 === 0xf0) lower = 0x90;
      if (b0 === 0xf4) upper = 0x8f;
    } else {
      out += '\ufffd';
      i++;
      continue;
    }
    let j = i + 1;
    for (; j <= i + need; j++) {
      const b = bytes[j];
      if (j >= bytes.length || b < lower || b > upper) break;
      cp = (cp << 6) | (b & 0x3f);
      lower = 0x80;
      upper = 0xbf;
    }
    if (j === i + need + 1) {
      out += String.fromCodePoint(cp);
    } else {
      out += '\ufffd';
    }
    i = j;
  }
  return out;
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function stringify(obj, sep, eq, options) {
  sep ||= '&';
  eq ||= '=';
  let encode = module.exports.escape;
  if (options && typeof options.encodeURIComponent === 'function') {
    encode = options.encodeURIComponent;
  }
  if (obj === null || typeof obj !== 'object') return '';
  const fields = [];
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const name = encode(stringifyPrimitive(key)) + eq;
    if (Array.isArray(value)) {
      for (const item of value) fields.push(name + encode(stringifyPrimitive(item)));
    } else {
      fields.push(name + encode(stringifyPrimitive(value)));
    }
  }
  return fields.join(sep);
}

const hasEscape = /%[0-9a-fA-F]{2}/;

// The default decoding: `+` is a space, and only strings with an escape are decoded.
function decodeDefault(s) {
  if (s.includes('+')) s = s.replaceAll('+', ' ');
  if (!hasEscape.test(s)) return s;
  return qsUnescape(s, true);
}

// A custom decoder gets `+` as `%20`; when it throws, Node's own unescape is used.
function decodeWith(decoder, s) {
  if (s.length === 0) return s;
  if (s.includes('+')) s = s.replaceAll('+', '%20');
  try {
    return decoder(s);
  } catch {
    return qsUnescape(s, true);
  }
}

function parse(qs, sep, eq, options) {
  const obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  sep = sep ? `${sep}` : '&';
  eq = eq ? `${eq}` : '=';

  // Only a positive count limits the pairs; a fraction never reaches exactly zero.
  let pairsLeft = 1000;
  if (options && typeof options.maxKeys === 'number') pairsLeft = options.maxKeys;
  if (!(pairsLeft > 0)) pairsLeft = -1;

  let decoder = module.exports.unescape;
  if (options && typeof options.decodeURIComponent === 'function') decoder = options.decodeURIComponent;
  const decode = decoder === qsUnescape ? decodeDefault : (s) => decodeWith(decoder, s);

  let start = 0;
  while (start <= qs.length) {
    let end = qs.indexOf(sep, start);
    if (end === -1) end = qs.length;
    const piece = qs.slice(start, end);
    start = end + sep.length;
    if (piece.length > 0) {
      const eqAt = piece.indexOf(eq);
      const key = decode(eqAt === -1 ? piece : piece.slice(0, eqAt));
      const value = eqAt === -1 ? '' : decode(piece.slice(eqAt + eq.length));
      const existing = obj[key];
      if (existing === undefined) obj[key] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else obj[key] = [existing, value];
    }
    if (--pairsLeft === 0) break;
    if (end === qs.length) break;
  }
  return obj;
}

module.exports = {
  unescapeBuffer,
  unescape: qsUnescape,
  escape: qsEscape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};
