'use strict';

// node:os — facts about the machine, the OS and the current user (ops in src/os.rs).

const binding = internalBinding('os');
const { kIsNodeError, validators } = require('internal/errors');
const { validateInt32 } = validators;

// Node's SystemError for a failed libuv call ({ errno, syscall } from the binding).
function systemError({ errno, syscall }) {
  const [code, message] = internalBinding('uv').errorMap[errno] ??
    [`Unknown system error ${errno}`, `Unknown system error ${errno}`];
  const info = { errno, code, message, syscall };
  const err = new Error(`A system error occurred: ${syscall} returned ${code} (${message})`);
  Object.defineProperty(err, 'name', { value: 'SystemError', writable: true, configurable: true });
  err.code = 'ERR_SYSTEM_ERROR';
  err.info = info;
  Object.defineProperties(err, {
    errno: {
      get() { return info.errno; },
      set(value) { info.errno = value; },
      enumerable: true,
      configurable: true,
    },
    syscall: {
      get() { return info.syscall; },
      set(value) { info.syscall = value; },
      enumerable: true,
      configurable: true,
    },
  });
  // Node's errors print `Name [CODE]: message` in toString() and their stack header.
  Object.defineProperty(err, kIsNodeError, { value: true, configurable: true });
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${this.code}]: ${this.message}`; },
    writable: true,
    configurable: true,
  });
  return err;
}

function checked(result) {
  if (result !== null && typeof result === 'object' && typeof result.syscall === 'string') {
    throw systemError(result);
  }
  return result;
}

// Legacy: `${os.hostname}` still gives the host name, so these functions convert to
// their result.
function withPrimitive(fn) {
  fn[Symbol.toPrimitive] = () => fn();
  return fn;
}

let uname;
function unameField(i) {
  uname ??= checked(binding.uname());
  return uname[i];
}

const arch = withPrimitive(function arch() {
  return process.arch;
});

const platform = withPrimitive(function platform() {
  return process.platform;
});

const getOSType = withPrimitive(function getOSType() {
  return unameField(0);
});

const getOSRelease = withPrimitive(function getOSRelease() {
  return unameField(1);
});

const getOSVersion = withPrimitive(function getOSVersion() {
  return unameField(2);
});

const getMachine = withPrimitive(function getMachine() {
  return unameField(3);
});

// Node's names for the functions that can throw a SystemError.
function wrapped(op) {
  return withPrimitive(function wrappedFn() {
    return checked(op());
  });
}

const hostname = wrapped(() => binding.hostname());
const homedir = wrapped(() => binding.homedir());
const uptime = wrapped(() => binding.uptime());

const totalmem = withPrimitive(() => binding.totalMemory());
const freemem = withPrimitive(() => binding.freeMemory());
const availableParallelism = withPrimitive(() => binding.availableParallelism());

const endianness = withPrimitive(function endianness() {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';
});

// $TMPDIR, $TMP or $TEMP (the first non-empty), else /tmp; without a trailing slash.
const tmpdir = withPrimitive(function tmpdir() {
  let path = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
});

function loadavg() {
  return binding.loadavg();
}

function cpus() {
  const data = checked(binding.cpus());
  const list = [];
  for (let i = 0; i < data.length; i += 7) {
    list.push({
      model: data[i],
      speed: data[i + 1],
      times: { user: data[i + 2], nice: data[i + 3], sys: data[i + 4], idle: data[i + 5], irq: data[i + 6] },
    });
  }
  return list;
}

// "255.255.255.0" or "ffff:ffff::" -> the prefix length, or null for a non-contiguous mask.
function prefixLength(netmask, family) {
  let bits = '';
  if (family === 'IPv4') {
    for (const part of netmask.split('.')) bits += (+part).toString(2).padStart(8, '0');
  } else {
    const [head, tail = ''] = netmask.split('::');
    const headGroups = head === '' ? [] : head.split(':');
    const tailGroups = tail === '' ? [] : tail.split(':');
    const groups = [...headGroups, ...new Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
    for (const group of groups) bits += parseInt(group, 16).toString(2).padStart(16, '0');
  }
  const ones = bits.indexOf('0') === -1 ? bits.length : bits.indexOf('0');
  return bits.slice(ones).includes('1') ? null : ones;
}

function networkInterfaces() {
  const data = checked(binding.interfaceAddresses());
  const result = {};
  for (let i = 0; i < data.length; i += 7) {
    const [name, address, netmask, family, mac, internal, scopeid] = data.slice(i, i + 7);
    const prefix = prefixLength(netmask, family);
    const entry = { address, netmask, family, mac, internal, cidr: prefix === null ? null : `${address}/${prefix}` };
    if (family === 'IPv6') entry.scopeid = scopeid;
    (result[name] ??= []).push(entry);
  }
  return result;
}

// Node reads `options.encoding` without validating anything.
function userInfo(options) {
  const info = checked(binding.userInfo());
  const result = { __proto__: null, ...info };
  if (options !== null && typeof options === 'object' && options.encoding === 'buffer') {
    const { Buffer } = require('buffer');
    result.username = Buffer.from(result.username);
    result.homedir = Buffer.from(result.homedir);
    result.shell = Buffer.from(result.shell);
  }
  return result;
}

function getPriority(pid) {
  if (pid === undefined) pid = 0;
  validateInt32(pid, 'pid');
  return checked(binding.getPriority(pid));
}

function setPriority(pid, priority) {
  if (priority === undefined) {
    priority = pid;
    pid = 0;
  }
  validateInt32(pid, 'pid');
  validateInt32(priority, 'priority', -20, 19);
  checked(binding.setPriority(pid, priority));
}

const signals = Object.freeze({ __proto__: null, ...internalBinding('process').signals });
const constants = {
  __proto__: null,
  UV_UDP_REUSEADDR: 4,
  dlopen: { __proto__: null, ...binding.dlopen },
  errno: { __proto__: null, ...binding.errno },
  signals,
  priority: {
    __proto__: null,
    PRIORITY_LOW: 19,
    PRIORITY_BELOW_NORMAL: 10,
    PRIORITY_NORMAL: 0,
    PRIORITY_ABOVE_NORMAL: -7,
    PRIORITY_HIGH: -14,
    PRIORITY_HIGHEST: -20,
  },
};

module.exports = {
  arch,
  availableParallelism,
  cpus,
  endianness,
  freemem,
  getPriority,
  homedir,
  hostname,
  loadavg,
  networkInterfaces,
  platform,
  release: getOSRelease,
  setPriority,
  tmpdir,
  totalmem,
  type: getOSType,
  userInfo,
  uptime,
  version: getOSVersion,
  machine: getMachine,
};

Object.defineProperties(module.exports, {
  constants: { value: constants, enumerable: true, writable: false, configurable: false },
  EOL: { value: '\n', enumerable: true, writable: false, configurable: true },
  devNull: { value: '/dev/null', enumerable: true, writable: false, configurable: true },
});
