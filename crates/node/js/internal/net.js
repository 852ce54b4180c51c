'use strict';

// Address validation and the system errors of the socket layer, shared by net, http,
// dns and child_process.

const { codes: { ERR_SOCKET_BAD_PORT } } = require('internal/errors');
const { errorMap } = internalBinding('uv');

function uvCode(err) {
  const entry = errorMap.get ? errorMap.get(err) : errorMap[err];
  return entry ? entry : [`Unknown system error ${err}`, `Unknown system error ${err}`];
}

// `connect ECONNREFUSED 127.0.0.1:80`
function exceptionWithHostPort(err, syscall, address, port) {
  const [code] = uvCode(err);
  let details = '';
  if (port && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  const e = new Error(`${syscall} ${code}${details}`);
  e.errno = err;
  e.code = code;
  e.syscall = syscall;
  e.address = address;
  if (port) e.port = port;
  return e;
}

// `listen EADDRINUSE: address already in use 127.0.0.1:80`
function uvExceptionWithHostPort(err, syscall, address, port) {
  const [code, uvmsg] = uvCode(err);
  let details = '';
  if (port && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  const e = new Error(`${syscall} ${code}: ${uvmsg}${details}`);
  e.code = code;
  e.errno = err;
  e.syscall = syscall;
  e.address = address;
  if (port) e.port = port;
  return e;
}

// `read ECONNRESET`
function errnoException(err, syscall) {
  const [code] = uvCode(err);
  const e = new Error(`${syscall} ${code}`);
  e.errno = err;
  e.code = code;
  e.syscall = syscall;
  return e;
}


const IPV4_PART = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4_RE = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);
const HEX4 = '[0-9a-fA-F]{1,4}';

// Like Node's regular-expression checks, these take any value and test its string form.
function isIPv4(input) {
  return IPV4_RE.test(input);
}

const HEX4_RE = new RegExp(`^${HEX4}$`);
const ZONE_RE = /^[0-9a-zA-Z.:-]+$/;

// RFC 4291 text forms: 8 groups, one `::` run, an IPv4 tail, and an optional `%zone`.
function isIPv6(input) {
  let s = `${input}`;
  const zone = s.indexOf('%');
  if (zone !== -1) {
    if (!ZONE_RE.test(s.slice(zone + 1))) return false;
    s = s.slice(0, zone);
  }
  let groups = 8;
  const lastColon = s.lastIndexOf(':');
  if (lastColon !== -1 && s.indexOf('.', lastColon) !== -1) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    s = s.slice(0, lastColon + 1) + '0';
    groups = 7;
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const parts = (half) => (half === '' ? [] : half.split(':'));
  if (halves.length === 2) {
    const all = [...parts(halves[0]), ...parts(halves[1])];
    return all.length < groups && all.every((p) => HEX4_RE.test(p));
  }
  const all = parts(s);
  return all.length === groups && all.every((p) => HEX4_RE.test(p));
}

function isIP(input) {
  if (isIPv4(input)) return 4;
  if (isIPv6(input)) return 6;
  return 0;
}

function isLegalPort(port) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0)) return false;
  return +port === (+port >>> 0) && port <= 0xFFFF;
}

function validatePort(port, name = 'Port', allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0) ||
      +port !== (+port >>> 0) || port > 0xFFFF || (port === 0 && !allowZero)) {
    throw new ERR_SOCKET_BAD_PORT(name, port, allowZero);
  }
  return port | 0;
}

// A socket whose `[kDataHook]` is a function hands it each chunk read, instead of pushing
// it through the Readable side (the http server parses straight from the socket this way).
// With `[kDataHookTakesArrayBuffer]` true, a net.Socket hands the ArrayBuffer that holds
// just the chunk rather than a Buffer of it (a TLS socket still hands Buffers).
const kDataHook = Symbol('kDataHook');
const kDataHookTakesArrayBuffer = Symbol('kDataHookTakesArrayBuffer');

// `socket[kWriteStringNow](string, encoding, cb)`: writes a utf8 or latin1 string straight
// to the socket's handle, past the Writable side, when nothing is queued there; false when
// that doesn't apply. `cb(err)` is called as a Writable write's callback would be.
const kWriteStringNow = Symbol('kWriteStringNow');

// How net.Server takes a new connection's stream handle: `server[kOnConnection](status,
// handle)` (also used by the cluster, which hands connections over itself).
const kOnConnection = Symbol('kOnConnection');

// In a cluster worker, `getServer(server, options, callback)` (internal/cluster/child):
// servers listen through the primary.
const clusterHooks = { getServer: null };

module.exports = {
  isIP, isIPv4, isIPv6, isLegalPort, validatePort, errnoException, exceptionWithHostPort, uvExceptionWithHostPort,
  kDataHook, kDataHookTakesArrayBuffer, kWriteStringNow, kOnConnection, clusterHooks,
};
