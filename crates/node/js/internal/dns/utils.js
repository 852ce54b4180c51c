'use strict';

// What node:dns and node:dns/promises share: argument validation, Node's DNS errors, the
// default result order, the c-ares error constants, and the Resolver base class (its
// channel: servers, timeouts, local address, cancel).

const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_IP_ADDRESS,
  },
  validators: {
    validateArray,
    validateInt32,
    validateNumber,
    validateOneOf,
    validateString,
    validateUint32,
  },
} = require('internal/errors');
const { isIP } = require('internal/net');

const binding = internalBinding('dns');

// getaddrinfo flags (the libc AI_* values).
const AI_V4MAPPED = 8;
const AI_ALL = 16;
const AI_ADDRCONFIG = 32;

// c-ares's error codes, exported by name from both modules.
const errorCodes = {
  NODATA: 'ENODATA',
  FORMERR: 'EFORMERR',
  SERVFAIL: 'ESERVFAIL',
  NOTFOUND: 'ENOTFOUND',
  NOTIMP: 'ENOTIMP',
  REFUSED: 'EREFUSED',
  BADQUERY: 'EBADQUERY',
  BADNAME: 'EBADNAME',
  BADFAMILY: 'EBADFAMILY',
  BADRESP: 'EBADRESP',
  CONNREFUSED: 'ECONNREFUSED',
  TIMEOUT: 'ETIMEOUT',
  EOF: 'EOF',
  FILE: 'EFILE',
  NOMEM: 'ENOMEM',
  DESTRUCTION: 'EDESTRUCTION',
  BADSTR: 'EBADSTR',
  BADFLAGS: 'EBADFLAGS',
  NONAME: 'ENONAME',
  BADHINTS: 'EBADHINTS',
  NOTINITIALIZED: 'ENOTINITIALIZED',
  LOADIPHLPAPI: 'ELOADIPHLPAPI',
  ADDRGETNETWORKPARAMS: 'EADDRGETNETWORKPARAMS',
  CANCELLED: 'ECANCELLED',
};

// libuv's getaddrinfo/getnameinfo error numbers and names.
const UV_EAI_NODATA = -3007;
const UV_EAI_NONAME = -3008;
const eaiNames = {
  [-3000]: 'EAI_ADDRFAMILY',
  [-3001]: 'EAI_AGAIN',
  [-3002]: 'EAI_BADFLAGS',
  [-3003]: 'EAI_CANCELED',
  [-3004]: 'EAI_FAIL',
  [-3005]: 'EAI_FAMILY',
  [-3006]: 'EAI_MEMORY',
  [-3007]: 'EAI_NODATA',
  [-3008]: 'EAI_NONAME',
  [-3009]: 'EAI_OVERFLOW',
  [-3010]: 'EAI_SERVICE',
  [-3011]: 'EAI_SOCKTYPE',
  [-3013]: 'EAI_BADHINTS',
  [-3014]: 'EAI_PROTOCOL',
};

// `getaddrinfo ENOTFOUND example.invalid`, `queryA ETIMEOUT example.com`: `code` is a
// libuv error number (lookup, lookupService) or a c-ares code name (resolvers).
function dnsException(code, syscall, hostname) {
  let errno;
  if (typeof code === 'number') {
    errno = code;
    if (code === UV_EAI_NODATA || code === UV_EAI_NONAME) {
      code = 'ENOTFOUND';
    } else {
      code = eaiNames[code] || internalBinding('uv').errname(code);
    }
  }
  const ex = new Error(`${syscall} ${code}${hostname ? ` ${hostname}` : ''}`);
  ex.errno = errno;
  ex.code = code;
  ex.syscall = syscall;
  if (hostname) ex.hostname = hostname;
  Error.captureStackTrace(ex, dnsException);
  return ex;
}

// --- lookup options ---------------------------------------------------------------------

const validDnsOrders = ['verbatim', 'ipv4first', 'ipv6first'];
const validFamilies = [0, 4, 6];
// --dns-result-order sets the starting value.
const flagResultOrder = require('internal/options').optionValues('--dns-result-order').at(-1);
if (flagResultOrder !== undefined && !validDnsOrders.includes(flagResultOrder)) {
  throw new ERR_INVALID_ARG_VALUE('--dns-result-order', flagResultOrder,
    `must be one of: ${validDnsOrders.map((o) => `'${o}'`).join(', ')}`);
}
let defaultResultOrder = flagResultOrder ?? 'verbatim';

function getDefaultResultOrder() {
  return defaultResultOrder;
}

function setDefaultResultOrder(order) {
  validateOneOf(order, 'dnsOrder', validDnsOrders);
  defaultResultOrder = order;
}

// The order's number for the native side.
function orderCode(order) {
  return order === 'ipv4first' ? 1 : order === 'ipv6first' ? 2 : 0;
}

function validateHints(hints) {
  if ((hints & ~(AI_ADDRCONFIG | AI_ALL | AI_V4MAPPED)) !== 0) {
    throw new ERR_INVALID_ARG_VALUE('hints', hints);
  }
}

// The object form of lookup's options: { family, hints, all, order }. The callback API
// also takes 'IPv4' and 'IPv6' as families.
function lookupOptions(options, familyNames = false) {
  let hints = 0;
  let family = 0;
  let all = false;
  let order = defaultResultOrder;
  if (options?.hints != null) {
    validateNumber(options.hints, 'options.hints');
    hints = options.hints >>> 0;
    validateHints(hints);
  }
  if (options?.family != null) {
    if (familyNames && options.family === 'IPv4') {
      family = 4;
    } else if (familyNames && options.family === 'IPv6') {
      family = 6;
    } else {
      validateOneOf(options.family, 'options.family', validFamilies);
      family = options.family;
    }
  }
  if (options?.all != null) {
    if (typeof options.all !== 'boolean') throw new ERR_INVALID_ARG_TYPE('options.all', 'boolean', options.all);
    all = options.all;
  }
  if (options?.verbatim != null) {
    if (typeof options.verbatim !== 'boolean') {
      throw new ERR_INVALID_ARG_TYPE('options.verbatim', 'boolean', options.verbatim);
    }
    order = options.verbatim ? 'verbatim' : 'ipv4first';
  }
  if (options?.order != null) {
    validateOneOf(options.order, 'options.order', validDnsOrders);
    order = options.order;
  }
  return { hints, family, all, order };
}

let warnedInvalidHostname = false;
function emitInvalidHostnameWarning(hostname) {
  if (warnedInvalidHostname) return;
  warnedInvalidHostname = true;
  process.emitWarning(
    `The provided hostname "${hostname}" is not a valid hostname, and is supported in the dns module solely for compatibility.`,
    'DeprecationWarning',
    'DEP0118');
}

// --- Resolver ---------------------------------------------------------------------------

// A Resolver's `_handle`: its native channel (servers, timeouts, queries in flight).
class ChannelWrap {
  #channel;

  constructor(timeout, tries, maxTimeout) {
    this.#channel = binding.createChannel(timeout, tries, maxTimeout);
  }

  static channel(handle) {
    return handle.#channel;
  }
}

const channelOf = (resolver) => ChannelWrap.channel(resolver._handle);

// `1.2.3.4`, `1.2.3.4:53`, `::1`, `[::1]`, `[::1]:53`: [address, port] or undefined.
const kBracketed = /^\[([^\]]+)\](?::(\d*))?$/;
const kIPv4WithPort = /^([^:]+):(\d+)$/;
function parseServer(server) {
  if (isIP(server) !== 0) return [server, 53];
  let match = kBracketed.exec(server);
  if (match !== null) {
    if (isIP(match[1]) === 0) return undefined;
    return [match[1], match[2] ? +match[2] : 53];
  }
  match = kIPv4WithPort.exec(server);
  if (match !== null && isIP(match[1]) === 4) return [match[1], +match[2]];
  return undefined;
}

class ResolverBase {
  constructor(options = undefined) {
    const timeout = options?.timeout;
    if (timeout !== undefined) validateInt32(timeout, 'options.timeout', -1);
    const tries = options?.tries;
    if (tries !== undefined) validateInt32(tries, 'options.tries', 1);
    const maxTimeout = options?.maxTimeout;
    if (maxTimeout !== undefined) validateUint32(maxTimeout, 'options.maxTimeout');
    this._handle = new ChannelWrap(timeout ?? -1, tries ?? 4, maxTimeout ?? 0);
  }

  cancel() {
    binding.cancel(channelOf(this));
  }

  getServers() {
    return binding.getServers(channelOf(this)).map(([address, port]) => {
      if (port === 53) return address;
      return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    });
  }

  setServers(servers) {
    validateArray(servers, 'servers');
    const parsed = [];
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i];
      validateString(server, `servers[${i}]`);
      const entry = parseServer(server);
      if (entry === undefined) throw new ERR_INVALID_IP_ADDRESS(server);
      parsed.push(entry);
    }
    binding.setServers(channelOf(this), parsed);
  }

  setLocalAddress(ipv4, ipv6) {
    validateString(ipv4, 'ipv4');
    if (ipv6 !== undefined) validateString(ipv6, 'ipv6');
    let v4;
    let v6;
    for (const address of ipv6 === undefined ? [ipv4] : [ipv4, ipv6]) {
      const family = isIP(address);
      if (family === 0) throw invalidLocalAddress('Invalid IP address.');
      if (family === 4) {
        if (v4 !== undefined) throw invalidLocalAddress('Cannot specify two IPv4 addresses.');
        v4 = address;
      } else {
        if (v6 !== undefined) throw invalidLocalAddress('Cannot specify two IPv6 addresses.');
        v6 = address;
      }
    }
    binding.setLocalAddress(channelOf(this), v4, v6);
  }
}

// Node raises these from native code: a TypeError with a code but a plain message.
function invalidLocalAddress(message) {
  const err = new TypeError(message);
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

// The query of each resolve method, by its Node binding name.
const queryTypes = {
  queryAny: 255,
  queryA: 1,
  queryAaaa: 28,
  queryCaa: 257,
  queryCname: 5,
  queryMx: 15,
  queryNs: 2,
  queryTlsa: 52,
  queryTxt: 16,
  querySrv: 33,
  queryPtr: 12,
  queryNaptr: 35,
  querySoa: 6,
};

// `resolve(name, rrtype)`'s record types and the methods answering them.
const resolveMethods = {
  A: 'resolve4',
  AAAA: 'resolve6',
  ANY: 'resolveAny',
  CAA: 'resolveCaa',
  CNAME: 'resolveCname',
  MX: 'resolveMx',
  NS: 'resolveNs',
  TLSA: 'resolveTlsa',
  TXT: 'resolveTxt',
  SRV: 'resolveSrv',
  PTR: 'resolvePtr',
  NAPTR: 'resolveNaptr',
  SOA: 'resolveSoa',
};

// The method names of a Resolver, in Node's order, with their binding names.
const resolverMethods = [
  ['resolveAny', 'queryAny'],
  ['resolve4', 'queryA'],
  ['resolve6', 'queryAaaa'],
  ['resolveCaa', 'queryCaa'],
  ['resolveCname', 'queryCname'],
  ['resolveMx', 'queryMx'],
  ['resolveNs', 'queryNs'],
  ['resolveTlsa', 'queryTlsa'],
  ['resolveTxt', 'queryTxt'],
  ['resolveSrv', 'querySrv'],
  ['resolvePtr', 'queryPtr'],
  ['resolveNaptr', 'queryNaptr'],
  ['resolveSoa', 'querySoa'],
];

// Runs a query on `resolver`'s channel; `done(code, result, ttls)` afterwards.
function query(resolver, bindingName, name, done) {
  binding.query(channelOf(resolver), name, queryTypes[bindingName], done);
}

function queryHostByAddr(resolver, ip, done) {
  binding.getHostByAddr(channelOf(resolver), ip, done);
}

// The resolver behind the module-level functions of node:dns and node:dns/promises. Each
// setServers() replaces it with a new one and binds the module's functions to that.
let defaultResolver;
function getDefaultResolver() {
  defaultResolver ??= new ResolverBase();
  return defaultResolver;
}

function setDefaultResolver(resolver) {
  defaultResolver = resolver;
}

function bindDefaultResolver(target, names, proto) {
  const resolver = getDefaultResolver();
  for (const name of names) {
    target[name] = proto[name].bind(resolver);
  }
}

// The module functions that are the default resolver's methods, in Node's export order.
const defaultResolverMethods = [
  'getServers', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTlsa',
  'resolveTxt', 'reverse',
];

module.exports = {
  AI_ADDRCONFIG,
  AI_ALL,
  AI_V4MAPPED,
  ResolverBase,
  binding,
  bindDefaultResolver,
  defaultResolverMethods,
  dnsException,
  emitInvalidHostnameWarning,
  errorCodes,
  getDefaultResultOrder,
  lookupOptions,
  orderCode,
  query,
  queryHostByAddr,
  resolveMethods,
  resolverMethods,
  setDefaultResolver,
  setDefaultResultOrder,
  validFamilies,
};
