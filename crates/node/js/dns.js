'use strict';

// node:dns with callbacks. lookup/lookupService use the system resolver (getaddrinfo and
// getnameinfo on the thread pool); Resolver and the resolve* functions speak DNS to the
// configured servers. The module-level resolve* functions and getServers/setServers run
// on a default Resolver.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS },
  validators: { validateFunction, validateOneOf, validateString },
} = require('internal/errors');
const { isIP, validatePort } = require('internal/net');
const {
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
} = require('internal/dns/utils');

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

// The request objects lookup and the resolve methods return, as Node's look.
class GetAddrInfoReqWrap {}
class GetNameInfoReqWrap {}
class QueryReqWrap {}

function onlookup(err, addresses) {
  if (err) {
    this.callback(dnsException(err, 'getaddrinfo', this.hostname));
    return;
  }
  this.callback(null, addresses[0], this.family || isIP(addresses[0]));
}

function onlookupall(err, addresses) {
  if (err) {
    this.callback(dnsException(err, 'getaddrinfo', this.hostname));
    return;
  }
  const family = this.family;
  this.callback(null, addresses.map((address) => ({ address, family: family || isIP(address) })));
}

function lookup(hostname, options, callback) {
  if (hostname) validateString(hostname, 'hostname');
  let settings;
  if (typeof options === 'function') {
    callback = options;
    settings = lookupOptions(undefined);
  } else if (typeof options === 'number') {
    validateFunction(callback, 'callback');
    validateOneOf(options, 'family', validFamilies);
    settings = { ...lookupOptions(undefined), family: options };
  } else if (options !== undefined && options !== null && typeof options !== 'object') {
    validateFunction(arguments.length === 2 ? options : callback, 'callback');
    throw new ERR_INVALID_ARG_TYPE('options', ['integer', 'object'], options);
  } else {
    validateFunction(callback, 'callback');
    settings = lookupOptions(options, true);
  }
  const { family, hints, all, order } = settings;

  if (!hostname) {
    emitInvalidHostnameWarning(hostname);
    if (all) {
      process.nextTick(callback, null, []);
    } else {
      process.nextTick(callback, null, null, family === 6 ? 6 : 4);
    }
    return {};
  }

  const matchedFamily = isIP(hostname);
  if (matchedFamily) {
    if (all) {
      process.nextTick(callback, null, [{ address: hostname, family: matchedFamily }]);
    } else {
      process.nextTick(callback, null, hostname, matchedFamily);
    }
    return {};
  }

  const req = new GetAddrInfoReqWrap();
  req.callback = callback;
  req.family = family;
  req.hostname = hostname;
  req.oncomplete = all ? onlookupall : onlookup;
  binding.getaddrinfo(hostname, family, hints, orderCode(order), (err, addresses) => {
    req.oncomplete(err, addresses);
  });
  return req;
}

// util.promisify(lookup) resolves with { address, family } (or the list with `all`).
Object.defineProperty(lookup, kCustomPromisify, {
  __proto__: null,
  enumerable: false,
  value: function lookup_(...args) {
    return new Promise((resolve, reject) => {
      lookup(...args, (err, address, family) => {
        if (err) reject(err);
        else resolve(family === undefined ? address : { address, family });
      });
    });
  },
});

function onlookupservice(err, hostname, service) {
  if (err) {
    this.callback(dnsException(err, 'getnameinfo', this.hostname));
    return;
  }
  this.callback(null, hostname, service);
}

function lookupService(address, port, callback) {
  if (arguments.length !== 3) throw new ERR_MISSING_ARGS('address', 'port', 'callback');
  if (isIP(address) === 0) throw new ERR_INVALID_ARG_VALUE('address', address);
  validatePort(port);
  validateFunction(callback, 'callback');
  port = +port;
  const req = new GetNameInfoReqWrap();
  req.callback = callback;
  req.hostname = address;
  req.port = port;
  req.oncomplete = onlookupservice;
  binding.getnameinfo(address, port, (err, hostname, service) => {
    req.oncomplete(err, hostname, service);
  });
  return req;
}

// util.promisify(lookupService) resolves with { hostname, service }.
Object.defineProperty(lookupService, kCustomPromisify, {
  __proto__: null,
  enumerable: false,
  value: function lookupService_(...args) {
    return new Promise((resolve, reject) => {
      lookupService(...args, (err, hostname, service) => {
        if (err) reject(err);
        else resolve({ hostname, service });
      });
    });
  },
});

// --- Resolver ---------------------------------------------------------------------------

function onresolve(err, result, ttls) {
  if (err) {
    this.callback(dnsException(err, this.bindingName, this.hostname));
    return;
  }
  if (ttls !== undefined && this.ttl) {
    result = result.map((address, index) => ({ address, ttl: ttls[index] }));
  }
  this.callback(null, result);
}

function resolver(bindingName) {
  function query_(name, /* options, */ callback) {
    let options;
    if (arguments.length > 2) {
      options = callback;
      callback = arguments[2];
    }
    validateString(name, 'name');
    validateFunction(callback, 'callback');
    const req = new QueryReqWrap();
    req.bindingName = bindingName;
    req.callback = callback;
    req.hostname = name;
    req.oncomplete = onresolve;
    req.ttl = !!(options && options.ttl);
    query(this, bindingName, name, (err, result, ttls) => req.oncomplete(err, result, ttls));
    return req;
  }
  Object.defineProperty(query_, 'name', { __proto__: null, value: bindingName });
  return query_;
}

class Resolver extends ResolverBase {}

for (const [method, bindingName] of resolverMethods) {
  Resolver.prototype[method] = resolver(bindingName);
}

Resolver.prototype.reverse = function getHostByAddr(ip, callback) {
  validateString(ip, 'name');
  validateFunction(callback, 'callback');
  if (isIP(ip) === 0) throw dnsException(-22, 'getHostByAddr', ip);
  const req = new QueryReqWrap();
  req.bindingName = 'getHostByAddr';
  req.callback = callback;
  req.hostname = ip;
  req.oncomplete = onresolve;
  req.ttl = false;
  queryHostByAddr(this, ip, (err, result) => req.oncomplete(err, result));
  return req;
};

Resolver.prototype.resolve = function resolve(hostname, rrtype, callback) {
  let method = 'resolve4';
  if (typeof rrtype === 'string') {
    if (!Object.hasOwn(resolveMethods, rrtype)) throw new ERR_INVALID_ARG_VALUE('rrtype', rrtype);
    method = resolveMethods[rrtype];
  } else if (typeof rrtype === 'function') {
    callback = rrtype;
  } else {
    throw new ERR_INVALID_ARG_TYPE('rrtype', 'string', rrtype);
  }
  return Resolver.prototype[method].call(this, hostname, callback);
};

// --- The default resolver ---------------------------------------------------------------

let promises = null;

function defaultResolverSetServers(servers) {
  const resolver = new Resolver();
  resolver.setServers(servers);
  setDefaultResolver(resolver);
  bindDefaultResolver(module.exports, defaultResolverMethods, Resolver.prototype);
  if (promises !== null) {
    bindDefaultResolver(promises, defaultResolverMethods, promises.Resolver.prototype);
  }
}

module.exports = {
  lookup,
  lookupService,
  Resolver,
  getDefaultResultOrder,
  setDefaultResultOrder,
  setServers: defaultResolverSetServers,
  ADDRCONFIG: AI_ADDRCONFIG,
  ALL: AI_ALL,
  V4MAPPED: AI_V4MAPPED,
  ...errorCodes,
};

bindDefaultResolver(module.exports, defaultResolverMethods, Resolver.prototype);

Object.defineProperty(module.exports, 'promises', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    promises ??= require('dns/promises');
    return promises;
  },
});
