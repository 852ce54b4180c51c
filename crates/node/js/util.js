'use strict';
// node:util — inspect/format live in internal/util/inspect; this module gathers the public API.

const { inspect, format, formatWithOptions, stripVTControlCharacters } = require('internal/util/inspect');
const types = require('internal/util/types');
const { codes, validators } = require('internal/errors');
const { isDeepStrictEqual } = require('internal/util/comparisons');
const { debuglog } = require('internal/util/debuglog');
const { parseArgs } = require('internal/util/parse_args');
const { MIMEType, MIMEParams } = require('internal/util/mime');

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw new codes.ERR_INVALID_ARG_TYPE('ctor', 'Function', ctor);
  if (superCtor === undefined || superCtor === null) {
    throw new codes.ERR_INVALID_ARG_TYPE('superCtor', 'Function', superCtor);
  }
  if (superCtor.prototype === undefined) {
    throw new codes.ERR_INVALID_ARG_TYPE('superCtor.prototype', 'Object', superCtor.prototype);
  }
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

function promisify(original) {
  if (typeof original !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('original', 'Function', original);
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    if (typeof fn !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('util.promisify.custom', 'Function', fn);
    return Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [
        ...args,
        (err, ...values) => {
          if (err) return reject(err);
          resolve(values[0]);
        },
      ]);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  validators.validateFunction(original, 'original');
  function callbackified(...args) {
    const callback = args.pop();
    validators.validateFunction(callback, 'last argument');
    const onRejected = (reason) => {
      if (!reason) {
        const err = new codes.ERR_FALSY_VALUE_REJECTION(reason);
        err.reason = reason;
        reason = err;
      }
      callback(reason);
    };
    Reflect.apply(original, this, args).then(
      (value) => process.nextTick(callback, null, value),
      (reason) => process.nextTick(onRejected, reason),
    );
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  // The callback is one more argument, and the name says what was done.
  if (typeof descriptors.length?.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name?.value === 'string') descriptors.name.value += 'Callbackified';
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

const warnedCodes = new Set();
function deprecate(fn, msg, code) {
  if (code !== undefined) validators.validateString(code, 'code');
  if (process.noDeprecation === true) return fn;
  let warned = false;
  function deprecated(...args) {
    if (!warned && !process.noDeprecation) {
      warned = true;
      if (code === undefined) {
        process.emitWarning(msg, 'DeprecationWarning', deprecated);
      } else if (!warnedCodes.has(code)) {
        warnedCodes.add(code);
        process.emitWarning(msg, 'DeprecationWarning', code, deprecated);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

// ---- errors by errno ----

function validateErrno(err) {
  validators.validateNumber(err, 'err');
  if (err >= 0 || !Number.isSafeInteger(err)) throw new codes.ERR_OUT_OF_RANGE('err', 'a negative integer', err);
}

function uvErrorMap() {
  return internalBinding('uv').errorMap;
}

function getSystemErrorName(err) {
  validateErrno(err);
  return internalBinding('uv').errname(err);
}

function getSystemErrorMessage(err) {
  validateErrno(err);
  const entry = uvErrorMap()[err];
  return entry === undefined ? `Unknown system error ${err}` : entry[1];
}

function getSystemErrorMap() {
  const map = new Map();
  const errors = uvErrorMap();
  for (const key of Object.keys(errors)) map.set(Number(key), errors[key]);
  return map;
}

// ---- styleText ----

function validateStyleStream(stream) {
  const isWebStream = (typeof ReadableStream === 'function' && stream instanceof ReadableStream) ||
    (typeof WritableStream === 'function' && stream instanceof WritableStream);
  const isNodeStream = stream !== null && typeof stream === 'object' &&
    (stream._readableState !== undefined || stream._writableState !== undefined ||
     (typeof stream.on === 'function' && (typeof stream.write === 'function' || typeof stream.pipe === 'function')));
  if (!isWebStream && !isNodeStream) {
    throw new codes.ERR_INVALID_ARG_TYPE('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  }
}

function styleText(format, text, { validateStream = true, stream = process.stdout } = {}) {
  validators.validateString(text, 'text');
  validators.validateBoolean(validateStream, 'options.validateStream');
  let skipColors = false;
  if (validateStream) {
    validateStyleStream(stream);
    skipColors = !require('internal/util/colors').shouldColorize(stream);
  }
  const formats = Array.isArray(format) ? format : [format];
  let open = '';
  let close = '';
  for (const key of formats) {
    if (key === 'none') continue;
    const codesOfStyle = typeof key === 'string' ? inspect.colors[key] : undefined;
    if (codesOfStyle === undefined) {
      const allowed = Object.getOwnPropertyNames(inspect.colors);
      validators.validateOneOf(key, 'format', allowed);
    }
    open += `\u001b[${codesOfStyle[0]}m`;
    close = `\u001b[${codesOfStyle[1]}m${close}`;
  }
  return skipColors ? text : `${open}${text}${close}`;
}

// ---- parseEnv ----

// Parses dotenv content: KEY=value lines, `export` prefixes, # comments, and values in
// single, double (with \n escapes) or back quotes, which may span lines.
function parseEnv(content) {
  validators.validateString(content, 'content');
  const text = content.replace(/\r\n?/g, '\n');
  const entries = new Map();
  let pos = 0;
  while (pos < text.length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = text.length;
    let line = text.slice(pos, lineEnd).trimStart();
    let next = lineEnd + 1;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const equals = line.indexOf('=');
    const key = equals === -1 ? '' : line.slice(0, equals).trim();
    if (line !== '' && line[0] !== '#' && key !== '') {
      let value = line.slice(equals + 1).trimStart();
      const quote = value[0];
      if (quote === '"' || quote === "'" || quote === '`') {
        // The value may continue on the following lines up to the closing quote.
        // `value` is the end of the line, so it starts at lineEnd - value.length.
        const valueStart = lineEnd - value.length + 1;
        const close = text.indexOf(quote, valueStart);
        if (close === -1) {
          value = value.trim();
        } else {
          value = text.slice(valueStart, close);
          if (quote === '"') value = value.replace(/\\n/g, '\n');
          const end = text.indexOf('\n', close);
          next = end === -1 ? text.length : end + 1;
        }
      } else {
        const hash = value.indexOf('#');
        value = (hash === -1 ? value : value.slice(0, hash)).trim();
      }
      entries.set(key, value);
    }
    pos = next;
  }
  const result = {};
  for (const key of [...entries.keys()].sort()) result[key] = entries.get(key);
  return result;
}

// ---- small helpers ----

function toUSVString(input) {
  return `${input}`.toWellFormed();
}

let warnedExtend = false;
function _extend(target, source) {
  if (!warnedExtend) {
    warnedExtend = true;
    process.emitWarning('The `util._extend` API is deprecated. Please use Object.assign() instead.',
      'DeprecationWarning', 'DEP0060');
  }
  if (source === null || typeof source !== 'object') return target;
  const keys = Object.keys(source);
  for (let i = keys.length - 1; i >= 0; i--) target[keys[i]] = source[keys[i]];
  return target;
}

function _errnoException(err, syscall, original) {
  const name = getSystemErrorName(err);
  const message = original ? `${syscall} ${name} ${original}` : `${syscall} ${name}`;
  const ex = new Error(message);
  ex.errno = err;
  ex.code = name;
  ex.syscall = syscall;
  return ex;
}

function _exceptionWithHostPort(err, syscall, address, port, additional) {
  const name = getSystemErrorName(err);
  let details = '';
  if (port && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  if (additional) details += ` - Local (${additional})`;
  const ex = new Error(`${syscall} ${name}${details}`);
  ex.errno = err;
  ex.code = name;
  ex.syscall = syscall;
  ex.address = address;
  if (port) ex.port = port;
  return ex;
}

// Linux signal numbers, in the order Node lists them.
const kSignals = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17,
  SIGSTKFLT: 16, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24,
  SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
};

function convertProcessSignalToExitCode(signalCode) {
  validators.validateOneOf(signalCode, 'signalCode', Object.keys(kSignals));
  return 128 + kSignals[signalCode];
}

function setTraceSigInt() {}

function getCallSites(frameCount = 10, options) {
  if (typeof frameCount === 'object' && frameCount !== null) {
    options = frameCount;
    frameCount = 10;
  }
  validators.validateNumber(frameCount, 'frameCount', 1, 200);
  if (options !== undefined) validators.validateObject(options, 'options');
  const holder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = frameCount;
  try {
    Error.captureStackTrace(holder, getCallSites);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const sites = [];
  for (const line of holder.stack.split('\n').slice(1)) {
    const match = /^\s*at (?:(.*?) \()?(.*?)(?::(\d+):(\d+))?\)?$/.exec(line);
    if (match === null) continue;
    const column = match[4] === undefined ? 0 : +match[4];
    sites.push({
      functionName: match[1] ?? '',
      scriptId: '0',
      scriptName: match[2],
      lineNumber: match[3] === undefined ? 0 : +match[3],
      columnNumber: column,
      column,
    });
  }
  return sites;
}

async function aborted(signal, resource) {
  if (!require('internal/abort_controller').isAbortSignal(signal)) {
    const err = new TypeError('signal is not of type AbortSignal.');
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  validators.validateObject(resource, 'resource', validators.kValidateObjectAllowArray |
    validators.kValidateObjectAllowFunction);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function diff(actual, expected) {
  const check = (value, name) => {
    if (Array.isArray(value)) value.forEach((item, i) => validators.validateString(item, `${name}[${i}]`));
    else validators.validateString(value, name);
  };
  check(actual, 'actual');
  check(expected, 'expected');
  if (actual === expected) return [];
  const { myersDiff } = require('internal/assert/myers_diff');
  const operations = { nop: 0, insert: 1, delete: -1 };
  return myersDiff([...actual], [...expected], false).map(([op, value]) => [operations[op], value]);
}

function lazyEncoding(name) {
  return {
    get() {
      return require('internal/encoding')[name];
    },
    enumerable: true,
    configurable: true,
  };
}

module.exports = {
  _errnoException,
  _exceptionWithHostPort,
  _extend,
  callbackify,
  convertProcessSignalToExitCode,
  debug: debuglog,
  debuglog,
  deprecate,
  format,
  styleText,
  formatWithOptions,
  getCallSites,
  getSystemErrorMap,
  getSystemErrorName,
  getSystemErrorMessage,
  inherits,
  inspect,
  isArray: Array.isArray,
  isDeepStrictEqual,
  promisify,
  stripVTControlCharacters,
  toUSVString,
  transferableAbortSignal: undefined,
  transferableAbortController: undefined,
  aborted,
  types,
  parseEnv,
  parseArgs,
  TextDecoder: undefined,
  TextEncoder: undefined,
  MIMEType,
  MIMEParams,
  diff,
  setTraceSigInt,
};

// Without workers there is nothing to transfer to: these only check their input.
Object.defineProperty(module.exports, 'transferableAbortSignal', {
  get() {
    return function transferableAbortSignal(signal) {
      const { AbortSignal } = require('internal/abort_controller');
      if (!(signal instanceof AbortSignal)) throw new codes.ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
      return signal;
    };
  },
  enumerable: true,
  configurable: true,
});
Object.defineProperty(module.exports, 'transferableAbortController', {
  get() {
    return function transferableAbortController() {
      return new (require('internal/abort_controller').AbortController)();
    };
  },
  enumerable: true,
  configurable: true,
});
Object.defineProperty(module.exports, 'TextDecoder', lazyEncoding('TextDecoder'));
Object.defineProperty(module.exports, 'TextEncoder', lazyEncoding('TextEncoder'));
