'use strict';

// Node's error machinery: `codes.ERR_*` classes with Node's exact messages,
// plus the argument validators that throw them.
//
// Every error class extends a built-in error (TypeError, RangeError, ...):
//   const err = new codes.ERR_INVALID_ARG_TYPE('size', 'number', 'x');
//   err.name      -> 'TypeError'      err.code -> 'ERR_INVALID_ARG_TYPE'
//   err.toString() -> 'TypeError [ERR_INVALID_ARG_TYPE]: The "size" ...'
//   err.constructor === TypeError, err instanceof TypeError
// Codes registered with several bases expose the others as properties, e.g.
// `new codes.ERR_INVALID_STATE.TypeError('closed')`.
//
// Node prints the stack header of these errors as `${name} [${code}]:
// ${message}` and computes it lazily (a later change of `name` or `message`
// shows up). Instances answer `true` to `err[kIsNodeError]` so the stack
// formatter can recognise them.

const ArrayIsArray = Array.isArray;
const JSONStringify = JSON.stringify;
const MathAbs = Math.abs;
const NumberIsInteger = Number.isInteger;
const NumberIsNaN = Number.isNaN;
const ObjectIs = Object.is;
const ObjectDefineProperty = Object.defineProperty;
const ReflectApply = Reflect.apply;

// Shared with internal/stack_trace, which gives Node errors their `Name [CODE]: msg` header.
const { kIsNodeError } = require('internal/stack_trace');

// inspect.js requires this file, so load it on first use.
let inspectModule;
function lazyInspectModule() {
  if (inspectModule === undefined) {
    inspectModule = require('internal/util/inspect');
  }
  return inspectModule;
}

function lazyInspect(value, options) {
  return lazyInspectModule().inspect(value, options);
}

// '1234567' -> '1_234_567' (the sign is kept in front).
function addNumericalSeparator(digits) {
  const start = digits[0] === '-' ? 1 : 0;
  let end = digits.length;
  let grouped = '';
  while (end - start >= 4) {
    grouped = `_${digits.slice(end - 3, end)}${grouped}`;
    end -= 3;
  }
  return `${digits.slice(0, end)}${grouped}`;
}

// Describes a received value the way Node's messages do:
// "type number (5)", "an instance of Foo", "null", "function f", ...
function determineSpecificType(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      return `type number (${ObjectIs(value, -0) ? '-0' : value})`;
    case 'boolean':
      return `type boolean (${value})`;
    case 'symbol':
      return `type symbol (${String(value)})`;
    case 'function':
      return `function ${value.name}`;
    case 'object':
      if (value.constructor && 'name' in value.constructor) {
        return `an instance of ${value.constructor.name}`;
      }
      return lazyInspect(value, { depth: -1 });
    case 'string': {
      const shown = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      if (!shown.includes("'")) return `type string ('${shown}')`;
      return `type string (${JSONStringify(shown)})`;
    }
    default: {
      let shown = lazyInspect(value, { colors: false });
      if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
      return `type ${typeof value} (${shown})`;
    }
  }
}

// "a, b, or c" / "a or b" / "a" with an optional lead-in for lists.
function listWithOr(items, leadSingle, leadMany) {
  if (items.length > 2) {
    const last = items[items.length - 1];
    return `${leadMany}${items.slice(0, -1).join(', ')}, or ${last}`;
  }
  if (items.length === 2) return `${leadMany}${items[0]} or ${items[1]}`;
  return `${leadSingle}${items[0]}`;
}

// Names that describe a `typeof` result rather than a class.
const kTypes = [
  'string', 'function', 'number', 'object', 'Function', 'Object', 'boolean',
  'bigint', 'symbol',
];
const classNamePattern = /^([A-Z][a-z0-9]*)+$/;

function invalidArgTypeMessage(name, expected, actual) {
  if (!ArrayIsArray(expected)) expected = [expected];
  let msg = 'The ';
  if (name.endsWith(' argument')) {
    msg += `${name} `;
  } else {
    msg += `"${name}" ${name.includes('.') ? 'property' : 'argument'} `;
  }
  msg += 'must be ';

  const types = [];
  const instances = [];
  const other = [];
  for (const value of expected) {
    if (kTypes.includes(value)) {
      types.push(value.toLowerCase());
    } else if (classNamePattern.test(value)) {
      instances.push(value);
    } else {
      other.push(value);
    }
  }
  // With classes in the list, "object" reads better as "an instance of
  // Object" next to them.
  if (instances.length > 0 && types.includes('object')) {
    types.splice(types.indexOf('object'), 1);
    instances.push('Object');
  }

  const parts = [];
  if (types.length > 0) {
    parts.push(listWithOr(types, 'of type ', 'one of type '));
  }
  if (instances.length > 0) {
    parts.push(listWithOr(instances, 'an instance of ', 'an instance of '));
  }
  if (other.length > 0) {
    if (other.length === 1) {
      parts.push(other[0].toLowerCase() !== other[0] ?
        `an ${other[0]}` : other[0]);
    } else {
      parts.push(listWithOr(other, '', 'one of '));
    }
  }
  return `${msg}${parts.join(' or ')}. Received ${determineSpecificType(actual)}`;
}

function invalidArgValueMessage(name, value, reason = 'is invalid') {
  let inspected = lazyInspect(value);
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
  const type = name.includes('.') ? 'property' : 'argument';
  return `The ${type} '${name}' ${reason}. Received ${inspected}`;
}

function outOfRangeMessage(str, range, input, replaceDefaultBoolean = false) {
  let msg = replaceDefaultBoolean ? str :
    `The value of "${str}" is out of range.`;
  let received;
  if (NumberIsInteger(input) && MathAbs(input) > 2 ** 32) {
    received = addNumericalSeparator(String(input));
  } else if (typeof input === 'bigint') {
    received = String(input);
    if (input > 2n ** 32n || input < -(2n ** 32n)) {
      received = addNumericalSeparator(received);
    }
    received += 'n';
  } else {
    received = lazyInspect(input);
  }
  msg += ` It must be ${range}. Received ${received}`;
  return msg;
}

function invalidReturnValueMessage(input, name, value) {
  return `Expected ${input} to be returned from the "${name}"` +
    ` function but got ${determineSpecificType(value)}.`;
}

function missingArgsMessage(...names) {
  const quoted = names.map((name) => (ArrayIsArray(name) ?
    name.map((alt) => `"${alt}"`).join(' or ') : `"${name}"`));
  let msg = 'The ';
  if (quoted.length === 1) {
    msg += `${quoted[0]} argument`;
  } else if (quoted.length === 2) {
    msg += `${quoted[0]} and ${quoted[1]} arguments`;
  } else {
    const last = quoted.pop();
    msg += `${quoted.join(', ')}, and ${last} arguments`;
  }
  return `${msg} must be specified`;
}

function unhandledErrorMessage(err = undefined) {
  const msg = 'Unhandled error.';
  if (err === undefined) return msg;
  return `${msg} (${err})`;
}

// Each registry entry turns the constructor arguments into a message.
// Template messages are filled in with util.format, like Node does.
function messageFor(template) {
  if (typeof template === 'function') return template;
  return (...args) => lazyInspectModule().format(template, ...args);
}

function defineReadOnlyGetter(target, key, get) {
  ObjectDefineProperty(target, key, {
    __proto__: null,
    get,
    enumerable: false,
    configurable: true,
  });
}

function makeNodeErrorClass(Base, code, getMessage) {
  class NodeError extends Base {
    constructor(...args) {
      super();
      this.code = code;
      ObjectDefineProperty(this, 'message', {
        __proto__: null,
        value: ReflectApply(getMessage, this, args),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }

    toString() {
      return `${this.name} [${code}]: ${this.message}`;
    }
  }
  // Instances report the built-in base as their constructor, like Node.
  defineReadOnlyGetter(NodeError.prototype, 'constructor', () => Base);
  defineReadOnlyGetter(NodeError.prototype, kIsNodeError, () => true);
  return NodeError;
}

const codes = {};

// Registers `code` with its message and one or more base classes. The first
// base is the default; the others hang off it by name. Each class is made on first use:
// a program meets a handful of the hundreds of codes.
function E(code, template, Base, ...otherBases) {
  ObjectDefineProperty(codes, code, {
    __proto__: null,
    get() {
      const getMessage = messageFor(template);
      const cls = makeNodeErrorClass(Base, code, getMessage);
      for (const Other of otherBases) {
        cls[Other.name] = makeNodeErrorClass(Other, code, getMessage);
      }
      ObjectDefineProperty(codes, code, { __proto__: null, value: cls, writable: true, enumerable: true, configurable: true });
      return cls;
    },
    enumerable: true,
    configurable: true,
  });
}

E('ERR_AMBIGUOUS_ARGUMENT', 'The "%s" argument is ambiguous. %s', TypeError);
E('ERR_ASSERTION', '%s', Error);
E('ERR_BUFFER_OUT_OF_BOUNDS', (name = undefined) => {
  if (name) return `"${name}" is outside of buffer bounds`;
  return 'Attempt to access memory outside buffer bounds';
}, RangeError);
E('ERR_BUFFER_TOO_LARGE', 'Cannot create a Buffer larger than %s bytes', RangeError);
E('ERR_CHILD_PROCESS_STDIO_MAXBUFFER', '%s maxBuffer length exceeded', RangeError);
E('ERR_CONSOLE_WRITABLE_STREAM',
  'Console expects a writable stream instance for %s', TypeError);
E('ERR_ENCODING_NOT_SUPPORTED', 'The "%s" encoding is not supported', RangeError);
E('ERR_EVENT_RECURSION', 'The event "%s" is already being dispatched', Error);
E('ERR_FALSY_VALUE_REJECTION', function(reason) {
  this.reason = reason;
  return 'Promise was rejected with falsy value';
}, Error);
E('ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor', TypeError);
E('ERR_INCOMPATIBLE_OPTION_PAIR',
  'Option "%s" cannot be used in combination with option "%s"', TypeError);
E('ERR_INVALID_ARG_TYPE', invalidArgTypeMessage, TypeError);
E('ERR_INVALID_ARG_VALUE', invalidArgValueMessage, TypeError, RangeError);
E('ERR_INVALID_BUFFER_SIZE', 'Buffer size must be a multiple of %s', RangeError);
E('ERR_INVALID_CHAR', (name, field = undefined) => {
  let msg = `Invalid character in ${name}`;
  if (field !== undefined) msg += ` ["${field}"]`;
  return msg;
}, TypeError);
E('ERR_INVALID_FD_TYPE', 'Unsupported fd type: %s', TypeError);
E('ERR_INVALID_HANDLE_TYPE', 'This handle type cannot be sent', TypeError);
E('ERR_INVALID_RETURN_VALUE', invalidReturnValueMessage, TypeError, RangeError);
E('ERR_INVALID_STATE', 'Invalid state: %s', Error, TypeError, RangeError);
E('ERR_INVALID_THIS', 'Value of "this" must be of type %s', TypeError);
E('ERR_INVALID_URL', function(input, base = null) {
  this.input = input;
  if (base != null) this.base = base;
  return 'Invalid URL';
}, TypeError);
E('ERR_INVALID_URL_SCHEME', (expected) => {
  if (typeof expected === 'string') expected = [expected];
  const schemes = expected.length === 2 ?
    `one of scheme ${expected[0]} or ${expected[1]}` : `of scheme ${expected[0]}`;
  return `The URL must be ${schemes}`;
}, TypeError);
E('ERR_METHOD_NOT_IMPLEMENTED', 'The %s method is not implemented', Error);
E('ERR_MISSING_ARGS', missingArgsMessage, TypeError);
E('ERR_MULTIPLE_CALLBACK', 'Callback called multiple times', Error);
E('ERR_OPERATION_FAILED', 'Operation failed: %s', Error, TypeError);
E('ERR_OUT_OF_RANGE', outOfRangeMessage, RangeError);
E('ERR_STREAM_ALREADY_FINISHED',
  'Cannot call %s after a stream was finished', Error);
E('ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable', Error);
E('ERR_STREAM_DESTROYED', 'Cannot call %s after a stream was destroyed', Error);
E('ERR_STREAM_NULL_VALUES', 'May not write null values to stream', TypeError);
E('ERR_STREAM_PREMATURE_CLOSE', 'Premature close', Error);
E('ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF', Error);
E('ERR_STREAM_UNSHIFT_AFTER_END_EVENT',
  'stream.unshift() after end event', Error);
E('ERR_STREAM_WRITE_AFTER_END', 'write after end', Error);
E('ERR_UNHANDLED_ERROR', unhandledErrorMessage, Error);
E('ERR_UNKNOWN_BUILTIN_MODULE', 'No such built-in module: %s', Error);
E('ERR_UNKNOWN_ENCODING', 'Unknown encoding: %s', TypeError);
E('ERR_UNKNOWN_SIGNAL', 'Unknown signal: %s', TypeError);

// --- Validators -----------------------------------------------------------

function validateString(value, name) {
  if (typeof value !== 'string') {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'string', value);
  }
}

function validateBoolean(value, name) {
  if (typeof value !== 'boolean') {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'boolean', value);
  }
}

function validateFunction(value, name) {
  if (typeof value !== 'function') {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'Function', value);
  }
}

// `validateNumber(value, name, min, max)`: min and max are optional bounds.
function validateNumber(value, name, min = undefined, max = undefined) {
  if (typeof value !== 'number') {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'number', value);
  }
  const hasMin = min != null;
  const hasMax = max != null;
  if ((hasMin && value < min) || (hasMax && value > max) ||
      ((hasMin || hasMax) && NumberIsNaN(value))) {
    const range = `${hasMin ? `>= ${min}` : ''}` +
      `${hasMin && hasMax ? ' && ' : ''}${hasMax ? `<= ${max}` : ''}`;
    throw new codes.ERR_OUT_OF_RANGE(name, range, value);
  }
}

function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER,
                         max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== 'number') {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'number', value);
  }
  if (!NumberIsInteger(value)) {
    throw new codes.ERR_OUT_OF_RANGE(name, 'an integer', value);
  }
  if (value < min || value > max) {
    throw new codes.ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
  }
}

function validateInt32(value, name, min = -2147483648, max = 2147483647) {
  validateInteger(value, name, min, max);
}

function validateUint32(value, name, positive = false) {
  validateInteger(value, name, positive ? 1 : 0, 4294967295);
}

// Options for validateObject (bit flags, combinable with |).
const kValidateObjectNone = 0;
const kValidateObjectAllowNullable = 1;
const kValidateObjectAllowArray = 2;
const kValidateObjectAllowFunction = 4;

function validateObject(value, name, options = kValidateObjectNone) {
  const allowNull = (options & kValidateObjectAllowNullable) !== 0;
  const allowArray = (options & kValidateObjectAllowArray) !== 0;
  const allowFunction = (options & kValidateObjectAllowFunction) !== 0;
  if ((value === null && !allowNull) ||
      (ArrayIsArray(value) && !allowArray) ||
      (typeof value !== 'object' &&
       (typeof value !== 'function' || !allowFunction))) {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'Object', value);
  }
}

function validateArray(value, name, minLength = 0) {
  if (!ArrayIsArray(value)) {
    throw new codes.ERR_INVALID_ARG_TYPE(name, 'Array', value);
  }
  if (value.length < minLength) {
    const reason = `must have a length of at least ${minLength}`;
    throw new codes.ERR_INVALID_ARG_VALUE(name, value, reason);
  }
}

function validateOneOf(value, name, oneOf) {
  if (!oneOf.includes(value)) {
    const allowed = oneOf.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
      .join(', ');
    const reason = `must be one of: ${allowed}`;
    throw new codes.ERR_INVALID_ARG_VALUE(name, value, reason);
  }
}

const validators = {
  kValidateObjectNone,
  kValidateObjectAllowNullable,
  kValidateObjectAllowArray,
  kValidateObjectAllowFunction,
  validateArray,
  validateBoolean,
  validateFunction,
  validateInt32,
  validateInteger,
  validateNumber,
  validateObject,
  validateOneOf,
  validateString,
  validateUint32,
};

module.exports = {
  addNumericalSeparator,
  codes,
  determineSpecificType,
  kIsNodeError,
  validators,
};

// --- URL and URLSearchParams ------------------------------------------------
E('ERR_ARG_NOT_ITERABLE', '%s must be iterable', TypeError);
E('ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on %s', TypeError);
E('ERR_INVALID_FILE_URL_PATH', function(path, input = undefined) {
  if (input !== undefined) this.input = input;
  return `File URL path ${path}`;
}, TypeError);
E('ERR_INVALID_TUPLE', '%s must be an iterable %s tuple', TypeError);

// --- Module resolution and loading -------------------------------------------
E('ERR_INVALID_PACKAGE_CONFIG', (path, base, message) =>
  `Invalid package config ${path}${base ? ` while importing ${base}` : ''}${message ? `. ${message}` : ''}`, Error);
E('ERR_PACKAGE_PATH_NOT_EXPORTED', (pkgPath, subpath, base = undefined) => {
  if (subpath === '.') return `No "exports" main defined in ${pkgPath}package.json${base ? ` imported from ${base}` : ''}`;
  return `Package subpath '${subpath}' is not defined by "exports" in ${pkgPath}package.json${base ? ` imported from ${base}` : ''}`;
}, Error);
E('ERR_INVALID_PACKAGE_TARGET', (pkgPath, key, target, isImport = false, base = undefined) => {
  const shown = typeof target === 'object' && target !== null ? JSON.stringify(target) : JSON.stringify(`${target}`);
  const relatedError = !isImport && (typeof target !== 'object' || target === null) && !`${target}`.startsWith('./');
  const from = base ? ` imported from ${base}` : '';
  const hint = relatedError ? '; targets must start with "./"' : '';
  if (key === '.') {
    return `Invalid "exports" main target ${shown} defined in the package config ${pkgPath}package.json${from}${hint}`;
  }
  return `Invalid "${isImport ? 'imports' : 'exports'}" target ${shown} defined for '${key}' in the package config ${pkgPath}package.json${from}${hint}`;
}, Error);
E('ERR_PACKAGE_IMPORT_NOT_DEFINED', (specifier, packagePath, base) =>
  `Package import specifier "${specifier}" is not defined${packagePath ? ` in package ${packagePath}package.json` : ''} imported from ${base}`, TypeError);
E('ERR_MODULE_NOT_FOUND', (path, base, exactUrl = true) =>
  `Cannot find ${exactUrl ? 'module' : 'package'} '${path}' imported from ${base}`, Error);
E('ERR_UNSUPPORTED_DIR_IMPORT', (path, base) =>
  `Directory import '${path}' is not supported resolving ES modules imported from ${base}`, Error);
E('ERR_UNKNOWN_FILE_EXTENSION', 'Unknown file extension "%s" for %s', TypeError);
E('ERR_INVALID_MODULE_SPECIFIER', (request, reason, base = undefined) =>
  `Invalid module "${request}" ${reason}${base ? ` imported from ${base}` : ''}`, TypeError);
E('ERR_REQUIRE_ASYNC_MODULE', (filename, parentFilename) =>
  'require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the top-level await comes from, use --experimental-print-required-tla.' +
    (parentFilename ? `\n  From ${parentFilename} ` : '') + (filename ? `\n  Requiring ${filename} ` : ''), Error);
E('ERR_REQUIRE_CYCLE_MODULE', '%s', Error);
E('ERR_IMPORT_ATTRIBUTE_MISSING', 'Module "%s" needs an import attribute of "%s: %s"', TypeError);
E('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', 'Module "%s" is not of type "%s"', TypeError);
E('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', 'Import attribute "%s" with value "%s" is not supported in %s', TypeError);
E('ERR_EVAL_ESM_CANNOT_PRINT', '--print cannot be used with ESM input', Error);
E('ERR_UNSUPPORTED_ESM_URL_SCHEME', (url) => {
  const schemes = url.protocol === 'http:' || url.protocol === 'https:' ? 'file and data' : 'file, data, and node';
  return `Only URLs with a scheme in: ${schemes} are supported by the default ESM loader. Received protocol '${url.protocol}'`;
}, Error);

// --- util, assert, events, timers, AbortController ----------------------------
E('ERR_INVALID_MIME_SYNTAX', (production, str, invalidIndex) =>
  `The MIME syntax for a ${production} in "${str}" is invalid${invalidIndex !== -1 ? ` at ${invalidIndex}` : ''}`,
TypeError);
E('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', '%s', TypeError);
E('ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
  "Unexpected argument '%s'. This command does not take positional arguments", TypeError);
E('ERR_PARSE_ARGS_UNKNOWN_OPTION', (option, allowPositionals) => {
  const hint = allowPositionals ? '. To specify a positional argument starting with a \'-\', place it at the end ' +
    `of the command after '--', as in '-- ${JSON.stringify(option)}` : '';
  return `Unknown option '${option}'${hint}`;
}, TypeError);
E('ERR_ASYNC_CALLBACK', '%s must be a function', TypeError);
E('ERR_ASYNC_TYPE', 'Invalid name for async "type": %s', TypeError);
E('ERR_INVALID_ASYNC_ID', 'Invalid %s value: %s', RangeError);

// What aborted operations reject with (code ABORT_ERR), the reason kept as `cause`.
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    if (options !== undefined && typeof options !== 'object') {
      throw new codes.ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}
module.exports.AbortError = AbortError;
E('ERR_INVALID_URI', 'URI malformed', URIError);
E('ERR_UNSUPPORTED_RESOLVE_REQUEST', (specifier, base) =>
  `Failed to resolve module specifier "${specifier}" from "${base}": Invalid relative URL or base scheme is not hierarchical.`, TypeError);
E('ERR_UNKNOWN_MODULE_FORMAT', 'Unknown module format: %s for URL %s', RangeError);

// --- crypto -------------------------------------------------------------------
E('ERR_CRYPTO_ECDH_INVALID_FORMAT', 'Invalid ECDH format: %s', TypeError);
E('ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY', 'Public key is not valid for specified curve', Error);
E('ERR_CRYPTO_HASH_FINALIZED', 'Digest already called', Error);
E('ERR_CRYPTO_HASH_UPDATE_FAILED', 'Hash update failed', Error);
E('ERR_CRYPTO_INCOMPATIBLE_KEY', 'Incompatible %s: %s', Error);
E('ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS', 'The selected key encoding %s %s.', Error);
E('ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest: %s', TypeError);
E('ERR_CRYPTO_INVALID_JWK', 'Invalid JWK data', TypeError);
E('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', 'Invalid key object type %s, expected %s.', TypeError);
E('ERR_CRYPTO_INVALID_STATE', 'Invalid state for operation %s', Error);
E('ERR_CRYPTO_SIGN_KEY_REQUIRED', 'No key provided to sign', Error);
E('ERR_MISSING_OPTION', '%s is required', TypeError);
E('ERR_SOCKET_BAD_PORT', (name, port, allowZero = true) => {
  const operator = allowZero ? '>=' : '>';
  return `${name} should be ${operator} 0 and < 65536. Received ${determineSpecificType(port)}.`;
}, RangeError);
E('ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.', Error);
E('ERR_SERVER_NOT_RUNNING', 'Server is not running.', Error);
E('ERR_SOCKET_CLOSED', 'Socket is closed', Error);
E('ERR_SOCKET_CLOSED_BEFORE_CONNECTION', 'Socket closed before the connection was established', Error);
E('ERR_INVALID_ADDRESS_FAMILY', (addressType, host, port) => `Invalid address family: ${addressType} ${host}:${port}`, RangeError);
E('ERR_INVALID_IP_ADDRESS', 'Invalid IP address: %s', TypeError);
E('ERR_SOCKET_CONNECTION_TIMEOUT', 'Socket connection timeout', Error);

// --- zlib ---------------------------------------------------------------------
E('ERR_BROTLI_INVALID_PARAM', '%s is not a valid Brotli parameter', RangeError);
E('ERR_ZSTD_INVALID_PARAM', '%s is not a valid zstd parameter', RangeError);
E('ERR_ZLIB_INITIALIZATION_FAILED', 'Initialization failed', Error);
E('ERR_TRAILING_JUNK_AFTER_STREAM_END', 'Trailing junk found after the end of the compressed stream', TypeError);
E('ERR_HTTP_HEADERS_SENT', 'Cannot %s headers after they are sent to the client', Error);
E('ERR_HTTP_INVALID_HEADER_VALUE', 'Invalid value "%s" for header "%s"', TypeError);
E('ERR_HTTP_INVALID_STATUS_CODE', 'Invalid status code: %s', RangeError);
E('ERR_HTTP_TRAILER_INVALID', 'Trailers are invalid with this transfer encoding', Error);
E('ERR_HTTP_BODY_NOT_ALLOWED', 'Adding content for this request method or response status is not allowed.', Error);
E('ERR_HTTP_CONTENT_LENGTH_MISMATCH', 'Response body\'s content-length of %s byte(s) does not match the content-length of %s byte(s) set in header', Error);
E('ERR_HTTP_SOCKET_ASSIGNED', 'ServerResponse has an already assigned socket', Error);
E('ERR_HTTP_SOCKET_ENCODING', 'Changing the socket encoding is not allowed per RFC7230 Section 3.', Error);
E('ERR_INVALID_HTTP_TOKEN', '%s must be a valid HTTP token ["%s"]', TypeError);
E('ERR_INVALID_PROTOCOL', 'Protocol "%s" not supported. Expected "%s"', TypeError);
E('ERR_UNESCAPED_CHARACTERS', '%s contains unescaped characters', TypeError);
E('ERR_INTERNAL_ASSERTION', (message) => {
  const suffix = 'This is caused by either a bug in Node.js or incorrect usage of Node.js internals.\n' +
    'Please open an issue with this stack trace at https://github.com/nodejs/node/issues\n';
  return message === undefined ? suffix : `${message}\n${suffix}`;
}, Error);
E('ERR_INVALID_ADDRESS', 'Invalid socket address', Error);

// --- child_process --------------------------------------------------------------
E('ERR_CHILD_PROCESS_IPC_REQUIRED', "Forked processes must have an IPC channel, missing value 'ipc' in %s", Error);
E('ERR_INVALID_SYNC_FORK_INPUT', 'Asynchronous forks do not support Buffer, TypedArray, DataView or string input: %s', TypeError);
E('ERR_IPC_CHANNEL_CLOSED', 'Channel closed', Error);
E('ERR_IPC_DISCONNECTED', 'IPC channel is already disconnected', Error);
E('ERR_IPC_ONE_PIPE', 'Child process can have only one IPC pipe', Error);
E('ERR_IPC_SYNC_FORK', 'IPC cannot be used with synchronous forks', Error);

// --- tty / readline ---------------------------------------------------------------------
E('ERR_INVALID_FD', '"fd" must be a positive integer: %s', RangeError);
E('ERR_INVALID_CURSOR_POS', 'Cannot set cursor row without setting its column', TypeError);
E('ERR_USE_AFTER_CLOSE', '%s was closed', Error);

// --- worker_threads -----------------------------------------------------------
E('ERR_WORKER_PATH', (filename) => 'The worker script or module filename must be an absolute path or a relative path starting with \'./\' or \'../\'.' +
  (filename.startsWith('file://') ? ' Wrap file:// URLs with `new URL`.' : '') +
  (filename.startsWith('data:text/javascript') ? ' Wrap data: URLs with `new URL`.' : '') +
  ` Received "${filename}"`, TypeError);
E('ERR_CONSTRUCT_CALL_INVALID', 'Constructor cannot be called', TypeError);
E('ERR_WORKER_OUT_OF_MEMORY', 'Worker terminated due to reaching memory limit: %s', Error);

// --- http2 --------------------------------------------------------------------
E('ERR_HTTP2_INVALID_SETTING_VALUE', 'Invalid value for setting "%s": %s', TypeError, RangeError);
E('ERR_HTTP2_INVALID_PACKED_SETTINGS_LENGTH', 'Packed settings length must be a multiple of six', RangeError);

// --- tls ----------------------------------------------------------------------
E('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: %s", Error);
E('ERR_TLS_INVALID_PROTOCOL_VERSION', '%j is not a valid %s TLS protocol version', TypeError);
E('ERR_TLS_PROTOCOL_VERSION_CONFLICT', 'TLS protocol version %j conflicts with secureProtocol %j', TypeError);
E('ERR_TLS_SNI_FROM_SERVER', 'Cannot issue SNI from a TLS server-side socket', Error);
E('ERR_TLS_INVALID_CONTEXT', '%s must be a SecureContext', TypeError);
E('ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout', Error);
E('ERR_TLS_RENEGOTIATION_DISABLED', 'TLS session renegotiation disabled for this socket', Error);
E('ERR_TLS_REQUIRED_SERVER_NAME', '"servername" is required parameter for Server.addContext', Error);
E('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established', Error);
E('ERR_TLS_INVALID_PROTOCOL_METHOD', '%s', TypeError);

// --- perf_hooks ---------------------------------------------------------------
E('ERR_PERFORMANCE_INVALID_TIMESTAMP', '%d is not a valid timestamp', TypeError);
E('ERR_PERFORMANCE_MEASURE_INVALID_OPTIONS', '%s', TypeError);

// --- vm -----------------------------------------------------------------------
E('ERR_SCRIPT_EXECUTION_TIMEOUT', 'Script execution timed out after %sms', Error);

// --- v8, sea, trace_events, inspector, domain -----------------------------------
E('ERR_NOT_BUILDING_SNAPSHOT', 'Operation cannot be invoked when not building startup snapshot', Error);
E('ERR_NOT_IN_SINGLE_EXECUTABLE_APPLICATION', 'Operation cannot be invoked when not in a single-executable application', Error);
E('ERR_TRACE_EVENTS_CATEGORY_REQUIRED', 'At least one category is required', TypeError);
E('ERR_INSPECTOR_NOT_AVAILABLE', 'Inspector is not available', Error);
E('ERR_DOMAIN_CALLBACK_NOT_AVAILABLE', 'A callback was registered through process.setUncaughtExceptionCaptureCallback(), which is mutually exclusive with using the `domain` module', Error);

// --- module hooks and TypeScript stripping -------------------------------------
E('ERR_INVALID_RETURN_PROPERTY_VALUE', (input, name, prop, value) =>
  `Expected ${input} to be returned for the "${prop}" from the "${name}" hook but got ${determineSpecificType(value)}.`, TypeError);
E('ERR_LOADER_CHAIN_INCOMPLETE', '"%s" did not call the next hook in its chain and did not explicitly signal a short circuit. If this is intentional, include `shortCircuit: true` in the hook\'s return.', Error);
E('ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', '%s', SyntaxError);
E('ERR_INVALID_TYPESCRIPT_SYNTAX', '%s', SyntaxError);

// --- dgram --------------------------------------------------------------------
E('ERR_SOCKET_BAD_TYPE', 'Bad socket type specified. Valid types are: udp4, udp6', TypeError);
E('ERR_SOCKET_ALREADY_BOUND', 'Socket is already bound', Error);
E('ERR_SOCKET_BAD_BUFFER_SIZE', 'Buffer size must be a positive integer', TypeError);
E('ERR_SOCKET_DGRAM_IS_CONNECTED', 'Already connected', Error);
E('ERR_SOCKET_DGRAM_NOT_CONNECTED', 'Not connected', Error);
E('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running', Error);

// --- process ------------------------------------------------------------------
E('ERR_UNKNOWN_CREDENTIAL', '%s identifier does not exist: %s', Error);
E('ERR_INVALID_MODULE', '%s', Error);
E('ERR_UNCAUGHT_EXCEPTION_CAPTURE_ALREADY_SET', '`process.setupUncaughtExceptionCapture()` was called while a capture callback was already active', Error);
E('ERR_WORKER_UNSUPPORTED_OPERATION', '%s is not supported in workers', TypeError);
E('ERR_SYNTHETIC', 'JavaScript Callstack', Error);
E('ERR_INVALID_URL_PATTERN', 'Failed to construct URLPattern', TypeError);

// --- net.BoundSocket ----------------------------------------------------------
E('ERR_SOCKET_HANDLE_ADOPTED', 'The bound socket has already been adopted by a server or socket', Error);

// --- built-in proxy support (internal/http_proxy) -----------------------------
E('ERR_PROXY_INVALID_CONFIG', '%s', Error);
E('ERR_PROXY_TUNNEL', '%s', Error);
