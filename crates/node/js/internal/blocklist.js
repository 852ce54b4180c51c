'use strict';

// net.BlockList: rules (single addresses, ranges, subnets) that check() matches an address
// against. IPv4 and IPv4-mapped IPv6 addresses match each other, as in Node.

const { codes, validators } = require('internal/errors');
const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } = codes;
const { validateInt32, validateString } = validators;
const { SocketAddress, parsedAddressOf } = require('internal/socketaddress');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

function toSocketAddress(value, name, family) {
  if (SocketAddress.isSocketAddress(value)) return value;
  validateString(value, name);
  validateString(family, 'family');
  return new SocketAddress({ address: value, family });
}

function isMapped(bytes) {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function compareBytes(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

// -1, 0 or 1; null when an IPv4 address meets an IPv6 one that isn't IPv4-mapped.
function compare(a, b) {
  if (a.family === b.family) return compareBytes(a.bytes, b.bytes);
  if (a.family === 6) {
    const c = compare(b, a);
    return c === null ? null : -c;
  }
  return isMapped(b.bytes) ? compareBytes(a.bytes, b.bytes.subarray(12)) : null;
}

function prefixEqual(a, b, bits) {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

function inSubnet(address, network, prefix) {
  if (address.family === network.family) return prefixEqual(address.bytes, network.bytes, prefix);
  if (network.family === 6) {
    const mapped = new Uint8Array(16);
    mapped[10] = mapped[11] = 0xff;
    mapped.set(address.bytes, 12);
    return prefixEqual(mapped, network.bytes, prefix);
  }
  return isMapped(address.bytes) && prefixEqual(address.bytes.subarray(12), network.bytes, prefix);
}

const familyName = (sa) => (sa.family === 'ipv4' ? 'IPv4' : 'IPv6');

let isBlockList;

class BlockList {
  // Newest first, as Node lists and checks them.
  #rules = [];

  static {
    isBlockList = (value) => value !== null && typeof value === 'object' && #rules in value;
  }

  static isBlockList(value) {
    return isBlockList(value);
  }

  [inspectCustom](depth, options, inspect) {
    if (depth < 0) return '[BlockList]';
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `BlockList ${inspect({ rules: this.rules }, opts)}`;
  }

  addAddress(address, family = 'ipv4') {
    const sa = toSocketAddress(address, 'address', family);
    const parsed = parsedAddressOf(sa);
    this.#rules.unshift({
      text: `Address: ${familyName(sa)} ${sa.address}`,
      matches: (a) => compare(a, parsed) === 0,
    });
  }

  addRange(start, end, family = 'ipv4') {
    const first = toSocketAddress(start, 'start', family);
    const last = toSocketAddress(end, 'end', family);
    const from = parsedAddressOf(first);
    const to = parsedAddressOf(last);
    if (compare(from, to) > 0) throw new ERR_INVALID_ARG_VALUE('start', first, 'must come before end');
    this.#rules.unshift({
      text: `Range: ${familyName(first)} ${first.address}-${last.address}`,
      matches: (a) => {
        const low = compare(a, from);
        const high = compare(a, to);
        return low !== null && high !== null && low >= 0 && high <= 0;
      },
    });
  }

  addSubnet(network, prefix, family = 'ipv4') {
    const sa = toSocketAddress(network, 'network', family);
    validateInt32(prefix, 'prefix', 0, sa.family === 'ipv4' ? 32 : 128);
    const parsed = parsedAddressOf(sa);
    this.#rules.unshift({
      text: `Subnet: ${familyName(sa)} ${sa.address}/${prefix}`,
      matches: (a) => inSubnet(a, parsed, prefix),
    });
  }

  check(address, family = 'ipv4') {
    let sa;
    if (SocketAddress.isSocketAddress(address)) {
      sa = address;
    } else {
      validateString(address, 'address');
      validateString(family, 'family');
      try {
        sa = new SocketAddress({ address, family });
      } catch {
        return false;
      }
    }
    const parsed = parsedAddressOf(sa);
    return this.#rules.some((rule) => rule.matches(parsed));
  }

  toJSON() {
    return this.rules;
  }

  // Adds the rules of a toJSON() array (or its JSON text); rules that don't parse are skipped.
  fromJSON(data) {
    if (typeof data === 'string') data = JSON.parse(data);
    if (!Array.isArray(data) || !data.every((rule) => typeof rule === 'string')) {
      throw new ERR_INVALID_ARG_TYPE('data', ['string', 'string[]'], data);
    }
    for (const rule of data) {
      const match = /^(Address|Range|Subnet): (IPv4|IPv6) (.+)$/.exec(rule);
      if (match === null) continue;
      const [, kind, familyText, rest] = match;
      const family = familyText.toLowerCase();
      const valid = (text) => {
        try {
          new SocketAddress({ address: text, family });
          return true;
        } catch {
          return false;
        }
      };
      if (kind === 'Address') {
        if (valid(rest)) this.addAddress(rest, family);
      } else if (kind === 'Range') {
        const [start, end, extra] = rest.split('-');
        if (extra === undefined && end !== undefined && valid(start) && valid(end)) this.addRange(start, end, family);
      } else {
        const slash = rest.lastIndexOf('/');
        const network = rest.slice(0, slash);
        const prefix = Number(rest.slice(slash + 1));
        if (slash !== -1 && valid(network) && Number.isInteger(prefix)) this.addSubnet(network, prefix, family);
      }
    }
  }

  get rules() {
    return this.#rules.map((rule) => rule.text);
  }
}

module.exports = { BlockList };
