'use strict';

// node:dns/promises: node:dns with promises instead of callbacks. Arguments are checked
// before the promise is made (bad ones throw); lookup and query failures reject.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS },
  validators: { validateOneOf, validateString },
} = require('internal/errors');
const { isIP, validatePort } = require('internal/net');
const {
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

function lookup(hostname, options) {
  if (hostname) validateString(hostname, 'hostname');
  let settings;
  if (typeof options === 'number') {
    validateOneOf(options, 'family', validFamilies);
    settings = { ...lookupOptions(undefined), family: options };
  } else if (options !== undefined && options !== null && typeof options !== 'object') {
    throw new ERR_INVALID_ARG_TYPE('options', ['integer', 'object'], options);
  } else {
    settings = lookupOptions(options);
  }
  const { family, hints, all, order } = settings;

  if (!hostname) {
    emitInvalidHostnameWarning(hostname);
    return Promise.resolve(all ? [] : { address: null, family: family === 6 ? 6 : 4 });
  }
  const matchedFamily = isIP(hostname);
  if (matchedFamily !== 0) {
    const result = { address: hostname, family: matchedFamily };
    return Promise.resolve(all ? [result] : result);
  }
  return new Promise((resolve, reject) => {
    binding.getaddrinfo(hostname, family, hints, orderCode(order), (err, addresses) => {
      if (err) {
        reject(dnsException(err, 'getaddrinfo', hostname));
        return;
      }
      const entries = addresses.map((address) => ({ address, family: family || isIP(address) }));
      resolve(all ? entries : entries[0]);
    });
  });
}

function lookupService(address, port) {
  if (arguments.length !== 2) throw new ERR_MISSING_ARGS('address', 'port');
  if (isIP(address) === 0) throw new ERR_INVALID_ARG_VALUE('address', address);
  validatePort(port);
  return new Promise((resolve, reject) => {
    binding.getnameinfo(address, +port, (err, hostname, service) => {
      if (err) reject(dnsException(err, 'getnameinfo', address));
      else resolve({ hostname, service });
    });
  });
}

// --- Resolver ---------------------------------------------------------------------------

function resolver(bindingName) {
  function query_(name, options) {
    validateString(name, 'name');
    const ttl = !!(options && options.ttl);
    return new Promise((resolve, reject) => {
      query(this, bindingName, name, (err, result, ttls) => {
        if (err) {
          reject(dnsException(err, bindingName, name));
          return;
        }
        if (ttls !== undefined && ttl) {
          result = result.map((address, index) => ({ address, ttl: ttls[index] }));
        }
        resolve(result);
      });
    });
  }
  Object.defineProperty(query_, 'name', { __proto__: null, value: bindingName });
  return query_;
}

class Resolver extends ResolverBase {}

for (const [method, bindingName] of resolverMethods) {
  Resolver.prototype[method] = resolver(bindingName);
}

Resolver.prototype.reverse = function getHostByAddr(ip) {
  validateString(ip, 'name');
  return new Promise((resolve, reject) => {
    if (isIP(ip) === 0) {
      reject(dnsException(-22, 'getHostByAddr', ip));
      return;
    }
    queryHostByAddr(this, ip, (err, result) => {
      if (err) reject(dnsException(err, 'getHostByAddr', ip));
      else resolve(result);
    });
  });
};

Resolver.prototype.resolve = function resolve(hostname, rrtype) {
  let method = 'resolve4';
  if (typeof rrtype === 'string') {
    if (!Object.hasOwn(resolveMethods, rrtype)) throw new ERR_INVALID_ARG_VALUE('rrtype', rrtype);
    method = resolveMethods[rrtype];
  } else if (rrtype !== undefined) {
    throw new ERR_INVALID_ARG_TYPE('rrtype', 'string', rrtype);
  }
  return Resolver.prototype[method].call(this, hostname);
};

// --- The default resolver ---------------------------------------------------------------

function defaultResolverSetServers(servers) {
  const resolver = new Resolver();
  resolver.setServers(servers);
  setDefaultResolver(resolver);
  bindDefaultResolver(module.exports, defaultResolverMethods, Resolver.prototype);
}

module.exports = {
  lookup,
  lookupService,
  Resolver,
  getDefaultResultOrder,
  setDefaultResultOrder,
  setServers: defaultResolverSetServers,
  ...errorCodes,
};

bindDefaultResolver(module.exports, defaultResolverMethods, Resolver.prototype);
