'use strict';

// net.SocketAddress: a validated IP address, port and flow label, plus the binary address
// forms that net.BlockList compares.

const { codes, validators } = require('internal/errors');
const { ERR_INVALID_ARG_VALUE, ERR_INVALID_ADDRESS } = codes;
const { validateObject, validateString, validateUint32 } = validators;
const { isIPv4, isIPv6, validatePort } = require('internal/net');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

// Bytes of a dotted-quad IPv4 address (already known valid).
function ipv4Bytes(text) {
  return Uint8Array.from(text.split('.'), Number);
}

// The 16 bytes of an IPv6 address in any valid text form (zone already removed), or null.
function ipv6Bytes(text) {
  if (!isIPv6(text)) return null;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    // An IPv4 tail is the last two words.
    const [a, b, c, d] = ipv4Bytes(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const words = (part) => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  const [head, rest] = text.split('::');
  const headWords = words(head);
  const restWords = rest === undefined ? [] : words(rest);
  const all = [...headWords, ...new Array(8 - headWords.length - restWords.length).fill(0), ...restWords];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[i * 2] = all[i] >> 8;
    bytes[i * 2 + 1] = all[i] & 0xff;
  }
  return bytes;
}

// Canonical IPv6 text, as libuv's inet_ntop: the longest run of two or more zero words
// becomes `::`, and an IPv4-compatible or -mapped address ends in dotted form.
function formatIPv6(bytes) {
  const words = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best.base) {
      out += '::';
      i += best.len - 1;
      continue;
    }
    if (i > 0 && !out.endsWith(':')) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += words[i].toString(16);
  }
  return out;
}

// { family: 4|6, bytes } for valid address text of the given family, else null.
function parseAddress(text, family) {
  if (family === 4) return isIPv4(text) ? { family, bytes: ipv4Bytes(text) } : null;
  const zone = text.indexOf('%');
  const bytes = ipv6Bytes(zone === -1 ? text : text.slice(0, zone));
  return bytes ? { family, bytes } : null;
}

// The parsed form of a SocketAddress ({ family: 4|6, bytes }), for BlockList.
let parsedAddressOf;

class SocketAddress {
  #parsed;
  #address;
  #port;
  #family;
  #flowlabel;

  static {
    parsedAddressOf = (socketAddress) => socketAddress.#parsed;
  }

  static isSocketAddress(value) {
    return value !== null && typeof value === 'object' && #parsed in value;
  }

  static parse(input) {
    validateString(input, 'input');
    // Read as the authority of a URL, as Node does (so a port of 80 reads as 0).
    try {
      const { hostname, port } = new URL(`http://${input}`);
      const ipv6 = hostname.startsWith('[');
      return new SocketAddress({
        address: ipv6 ? hostname.slice(1, -1) : hostname,
        port: port | 0,
        family: ipv6 ? 'ipv6' : 'ipv4',
      });
    } catch {
      return undefined;
    }
  }

  constructor(options = {}) {
    validateObject(options, 'options');
    const { family = 'ipv4' } = options;
    // The default address follows the family as written, so 'IPv4' defaults to '::'.
    const { address = family === 'ipv4' ? '127.0.0.1' : '::', port = 0, flowlabel = 0 } = options;
    let type;
    switch (typeof family === 'string' ? family.toLowerCase() : family) {
      case 'ipv4': type = 4; break;
      case 'ipv6': type = 6; break;
      default: throw new ERR_INVALID_ARG_VALUE('options.family', options.family);
    }
    validateString(address, 'options.address');
    const validPort = validatePort(port, 'options.port');
    validateUint32(flowlabel, 'options.flowlabel');
    const parsed = parseAddress(address, type);
    if (parsed === null) throw new ERR_INVALID_ADDRESS();
    this.#parsed = parsed;
    this.#address = type === 4 ? address : formatIPv6(parsed.bytes);
    this.#port = validPort;
    this.#family = type === 4 ? 'ipv4' : 'ipv6';
    this.#flowlabel = type === 4 ? 0 : flowlabel;
  }

  get address() { return this.#address; }
  get port() { return this.#port; }
  get family() { return this.#family; }
  get flowlabel() { return this.#flowlabel; }

  toJSON() {
    return { address: this.#address, port: this.#port, family: this.#family, flowlabel: this.#flowlabel };
  }

  [inspectCustom](depth, options, inspect) {
    if (depth < 0) return '[SocketAddress]';
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `SocketAddress ${inspect(this.toJSON(), opts)}`;
  }
}
module.exports = { SocketAddress, parsedAddressOf: (sa) => parsedAddressOf(sa), formatIPv6 };
