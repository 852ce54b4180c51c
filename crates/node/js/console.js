'use strict';

// The `console` module: the global console object (what `require('console')`
// returns) and the `Console` class, following Node 24's observable behaviour.

const {
  formatWithOptions,
  inspect,
  stripVTControlCharacters,
} = require('internal/util/inspect');
const { codes } = require('internal/errors');
const { errorStack } = require('internal/stack_trace');

const {
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_OUT_OF_RANGE,
} = codes;

// Used from internal/errors when it has them; otherwise built here with
// Node's exact messages.
const ERR_CONSOLE_WRITABLE_STREAM = codes.ERR_CONSOLE_WRITABLE_STREAM ??
  localError(TypeError, 'ERR_CONSOLE_WRITABLE_STREAM',
             (name) => `Console expects a writable stream instance for ${name}`);
const ERR_INCOMPATIBLE_OPTION_PAIR = codes.ERR_INCOMPATIBLE_OPTION_PAIR ??
  localError(TypeError, 'ERR_INCOMPATIBLE_OPTION_PAIR',
             (a, b) => `Option "${a}" cannot be used in combination with option "${b}"`);

function localError(Base, code, message) {
  return function NodeError(...args) {
    const error = new Base(message(...args));
    error.code = code;
    return error;
  };
}

// Per-instance state lives behind symbols (as in Node, where they show up in
// Object.getOwnPropertySymbols but not in inspect output).
const kCounts = Symbol('counts');
const kColorMode = Symbol('kColorMode');
const kIsConsole = Symbol('kIsConsole');
const kGroupIndentWidth = Symbol('kGroupIndentWidth');
const kGroupIndent = Symbol('kGroupIndentationString');

// Node keeps the user's inspectOptions out of sight in a side table.
const inspectOptionsByConsole = new WeakMap();

const kColorInspectOptions = { colors: true };
const kNoColorInspectOptions = {};

function noop() {}

function Console(options /* or: stdout, stderr, ignoreErrors = true */) {
  if (new.target === undefined) {
    return Reflect.construct(Console, arguments);
  }
  if (!options || typeof options.write === 'function') {
    options = { stdout: options, stderr: arguments[1], ignoreErrors: arguments[2] };
  }
  const {
    stdout,
    stderr = stdout,
    ignoreErrors = true,
    colorMode = 'auto',
    inspectOptions,
    groupIndentation = 2,
  } = options;

  validateWritableStream(stdout, 'stdout');
  validateWritableStream(stderr, 'stderr');
  if (colorMode !== 'auto' && colorMode !== true && colorMode !== false) {
    throw new ERR_INVALID_ARG_VALUE('colorMode', colorMode,
                                    "must be one of: 'auto', true, false");
  }
  validateGroupIndentation(groupIndentation);
  if (inspectOptions !== undefined) {
    if (inspectOptions === null || typeof inspectOptions !== 'object' ||
        Array.isArray(inspectOptions)) {
      throw new ERR_INVALID_ARG_TYPE('options.inspectOptions', 'object', inspectOptions);
    }
    // Only an explicitly passed colorMode conflicts, not the default.
    if (inspectOptions.colors !== undefined && options.colorMode !== undefined) {
      throw new ERR_INCOMPATIBLE_OPTION_PAIR('options.inspectOptions.color', 'colorMode');
    }
    inspectOptionsByConsole.set(this, inspectOptions);
  }

  bindMethods(this, this, false);
  defineHidden(this, '_stdout', stdout);
  defineHidden(this, '_stderr', stderr);
  initConsoleState(this, ignoreErrors, colorMode, groupIndentation);
}

function validateWritableStream(stream, name) {
  if (!stream || typeof stream.write !== 'function') {
    throw new ERR_CONSOLE_WRITABLE_STREAM(name);
  }
}

function validateGroupIndentation(value) {
  if (typeof value !== 'number') {
    throw new ERR_INVALID_ARG_TYPE('groupIndentation', 'number', value);
  }
  if (!Number.isInteger(value)) {
    throw new ERR_OUT_OF_RANGE('groupIndentation', 'an integer', value);
  }
  if (value < 0 || value > 1000) {
    throw new ERR_OUT_OF_RANGE('groupIndentation', '>= 0 && <= 1000', value);
  }
}

function defineHidden(object, key, value, writable = true) {
  Object.defineProperty(object, key, {
    value, writable, enumerable: false, configurable: true,
  });
}

// Every prototype method becomes an own, bound property named after its key,
// so `const { log } = console` works. Instances bind what they inherit (a
// subclass's overrides); the global console binds Console.prototype's.
function bindMethods(console, source, zeroLength) {
  for (const key of Object.keys(Console.prototype)) {
    const bound = source[key].bind(console);
    Object.defineProperty(bound, 'name', { value: key });
    // The global console's methods report length 0, like V8's wrappers.
    if (zeroLength) Object.defineProperty(bound, 'length', { value: 0 });
    console[key] = bound;
  }
}

function initConsoleState(console, ignoreErrors, colorMode, groupIndentation) {
  defineHidden(console, '_stdoutErrorHandler', createWriteErrorHandler(console, true));
  defineHidden(console, '_stderrErrorHandler', createWriteErrorHandler(console, false));
  defineHidden(console, '_ignoreErrors', Boolean(ignoreErrors));
  defineHidden(console, '_times', new Map());
  defineHidden(console, kCounts, new Map());
  defineHidden(console, kColorMode, colorMode);
  defineHidden(console, kIsConsole, true);
  defineHidden(console, kGroupIndentWidth, groupIndentation);
  defineHidden(console, kGroupIndent, '');
  defineHidden(console, Symbol.toStringTag, 'console', false);
}

// Handed to stream.write() as its callback: an asynchronous write error must
// not crash the process when nobody listens for 'error' on the stream.
function createWriteErrorHandler(console, useStdout) {
  return (err) => {
    const stream = useStdout ? console._stdout : console._stderr;
    if (err !== null && err !== undefined && !stream._writableState?.errorEmitted &&
        needsErrorGuard(stream)) {
      stream.once('error', noop);
    }
  };
}

// True for an event-emitting stream that nobody listens to for 'error' yet.
function needsErrorGuard(stream) {
  return typeof stream.listenerCount === 'function' &&
    typeof stream.once === 'function' &&
    typeof stream.removeListener === 'function' &&
    stream.listenerCount('error') === 0;
}

function writeToConsole(console, useStdout, string) {
  const indent = console[kGroupIndent];
  if (indent.length !== 0) {
    string = indent + string.split('\n').join(`\n${indent}`);
  }
  string += '\n';
  const stream = useStdout ? console._stdout : console._stderr;
  if (console._ignoreErrors === false) {
    stream.write(string);
    return;
  }
  // Swallow write errors, whether thrown synchronously or emitted as an
  // 'error' event during the write; a temporary listener covers the latter.
  let addedListener = false;
  try {
    addedListener = needsErrorGuard(stream);
    if (addedListener) stream.once('error', noop);
    stream.write(string, useStdout ? console._stdoutErrorHandler : console._stderrErrorHandler);
  } catch (err) {
    if (isStackOverflowError(err)) throw err;
  } finally {
    if (addedListener) stream.removeListener('error', noop);
  }
}

let stackOverflowMessage;
function isStackOverflowError(err) {
  if (stackOverflowMessage === undefined) {
    try {
      (function overflow() { return 1 + overflow(); })();
    } catch (overflowError) {
      stackOverflowMessage = overflowError.message;
    }
  }
  return err instanceof RangeError && err.message === stackOverflowMessage;
}

function getInspectOptions(console, stream) {
  let colors = console[kColorMode];
  if (colors === 'auto') colors = shouldColorize(stream);
  const options = inspectOptionsByConsole.get(console);
  if (options !== undefined) {
    return options.colors === undefined ? { ...options, colors } : options;
  }
  return colors ? kColorInspectOptions : kNoColorInspectOptions;
}

// FORCE_COLOR wins for any stream; otherwise only TTYs get colors. Streams
// without getColorDepth() fall back to NO_COLOR / NODE_DISABLE_COLORS / TERM.
function shouldColorize(stream) {
  const env = process.env;
  if (env.FORCE_COLOR !== undefined) {
    return ['', '1', 'true', '2', '3'].includes(env.FORCE_COLOR);
  }
  if (!stream?.isTTY) return false;
  if (typeof stream.getColorDepth === 'function') return stream.getColorDepth() > 2;
  return !env.NO_COLOR && !env.NODE_DISABLE_COLORS && env.TERM !== 'dumb';
}

function formatFor(console, stream, args) {
  return formatWithOptions(getInspectOptions(console, stream), ...args);
}

function logToStdout(console, args) {
  writeToConsole(console, true, formatFor(console, console._stdout, args));
}

function logToStderr(console, args) {
  writeToConsole(console, false, formatFor(console, console._stderr, args));
}

// Prototype methods, in Node's order (it is visible through Object.keys).
const consoleMethods = {
  log(...args) {
    logToStdout(this, args);
  },

  info(...args) {
    logToStdout(this, args);
  },

  debug(...args) {
    logToStdout(this, args);
  },

  warn(...args) {
    logToStderr(this, args);
  },

  error(...args) {
    logToStderr(this, args);
  },

  dir(object, options) {
    writeToConsole(this, true, inspect(object, {
      customInspect: false,
      ...getInspectOptions(this, this._stdout),
      ...options,
    }));
  },

  time(label = 'default') {
    label = `${label}`;
    if (this._times.has(label)) {
      process.emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    this._times.set(label, process.hrtime.bigint());
  },

  timeEnd(label = 'default') {
    label = `${label}`;
    if (logElapsed(this, 'timeEnd', label, [])) this._times.delete(label);
  },

  timeLog(label = 'default', ...data) {
    label = `${label}`;
    logElapsed(this, 'timeLog', label, data);
  },

  trace(...args) {
    const message = formatFor(this, this._stderr, args);
    // One extra frame is captured, as this method's own frame is dropped.
    const limit = Error.stackTraceLimit;
    const adjustLimit = typeof limit === 'number';
    if (adjustLimit) Error.stackTraceLimit = limit + 1;
    const err = new Error(message);
    if (adjustLimit) Error.stackTraceLimit = limit;
    err.name = 'Trace';
    this.error(removeFirstFrame(errorStack(err), err));
  },

  assert(expression, ...args) {
    if (expression) return;
    if (typeof args[0] === 'string') {
      args[0] = `Assertion failed: ${args[0]}`;
    } else {
      args.unshift('Assertion failed');
    }
    this.warn(...args);
  },

  // Moves the cursor home, then erases the screen; a no-op off a terminal.
  clear() {
    const stdout = this._stdout;
    if (stdout.isTTY && process.env.TERM !== 'dumb') {
      stdout.write('\x1b[1;1H');
      stdout.write('\x1b[0J');
    }
  },

  count(label = 'default') {
    label = `${label}`;
    const counts = this[kCounts];
    const count = (counts.get(label) ?? 0) + 1;
    counts.set(label, count);
    this.log(`${label}: ${count}`);
  },

  // Unlike count(), looks the label up without converting it to a string.
  countReset(label = 'default') {
    const counts = this[kCounts];
    if (!counts.has(label)) {
      process.emitWarning(`Count for '${label}' does not exist`);
      return;
    }
    counts.delete(label);
  },

  group(...data) {
    if (data.length > 0) this.log(...data);
    this[kGroupIndent] += ' '.repeat(this[kGroupIndentWidth]);
  },

  groupEnd() {
    const indent = this[kGroupIndent];
    this[kGroupIndent] = indent.slice(0, indent.length - this[kGroupIndentWidth]);
  },

  table(tabularData, properties) {
    if (properties !== undefined && !Array.isArray(properties)) {
      throw new ERR_INVALID_ARG_TYPE('properties', 'Array', properties);
    }
    if (tabularData === null || typeof tabularData !== 'object') {
      this.log(tabularData);
      return;
    }
    this.log(renderTable(...tableColumns(this, tabularData, properties)));
  },
};

Object.assign(Console.prototype, consoleMethods);
Console.prototype.dirxml = Console.prototype.log;
Console.prototype.groupCollapsed = Console.prototype.group;

Object.defineProperty(Console, Symbol.hasInstance, {
  value(instance) {
    return instance[kIsConsole];
  },
});

// Shared by timeEnd and timeLog; returns whether the label existed.
function logElapsed(console, method, label, data) {
  const start = console._times.get(label);
  if (start === undefined) {
    process.emitWarning(`No such label '${label}' for console.${method}()`);
    return false;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log('%s: %s', label, formatDuration(ms), ...data);
  return true;
}

// 1.234ms, 1.500s, 1:02.345 (m:ss.mmm), 1:02:03.456 (h:mm:ss.mmm).
function formatDuration(ms) {
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(3)}s`;
  const hours = Math.floor(ms / 3600000);
  const minutes = Math.floor((ms % 3600000) / 60000);
  const [whole, fraction] = ((ms % 60000) / 1000).toFixed(3).split('.');
  const seconds = `${whole.padStart(2, '0')}.${fraction}`;
  if (hours === 0) return `${minutes}:${seconds} (m:ss.mmm)`;
  return `${hours}:${String(minutes).padStart(2, '0')}:${seconds} (h:mm:ss.mmm)`;
}

// The stack's first frame is console.trace itself, which Node leaves out.
function removeFirstFrame(stack, err) {
  const header = err.message === '' ? err.name : `${err.name}: ${err.message}`;
  const frameStart = stack.indexOf('\n    at ', stack.startsWith(header) ? header.length : 0);
  if (frameStart === -1) return stack;
  const frameEnd = stack.indexOf('\n', frameStart + 1);
  return frameEnd === -1 ?
    stack.slice(0, frameStart) :
    stack.slice(0, frameStart) + stack.slice(frameEnd);
}

// ---- console.table ----

const mapSizeGetter = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
const setSizeGetter = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;

function hasBrand(value, sizeGetter) {
  try {
    sizeGetter.call(value);
    return true;
  } catch {
    return false;
  }
}

// Returns [head, columns]: column header strings and, per column, an array of
// cell strings indexed by row (holes render as empty cells).
function tableColumns(console, tabularData, properties) {
  const cell = (value) => inspectTableCell(console, value);
  const iterationIndex = (length) => Array.from({ length }, (_, i) => cell(i));

  if (hasBrand(tabularData, mapSizeGetter)) {
    const keys = [];
    const values = [];
    for (const { 0: key, 1: value } of tabularData) {
      keys.push(cell(key));
      values.push(cell(value));
    }
    return [['(iteration index)', 'Key', 'Values'],
            [iterationIndex(keys.length), keys, values]];
  }

  if (hasBrand(tabularData, setSizeGetter)) {
    const values = [];
    for (const value of tabularData) values.push(cell(value));
    return [['(iteration index)', 'Values'], [iterationIndex(values.length), values]];
  }

  // Null prototype: column order follows property order (integer keys first).
  const columnsByKey = Object.create(null);
  const rowKeys = Object.keys(tabularData);
  const primitiveValues = [];
  let hasPrimitives = false;
  rowKeys.forEach((rowKey, row) => {
    const item = tabularData[rowKey];
    const primitive = item === null ||
      (typeof item !== 'object' && typeof item !== 'function');
    if (primitive && properties === undefined) {
      hasPrimitives = true;
      primitiveValues[row] = cell(item);
      return;
    }
    for (const key of properties ?? Object.keys(item)) {
      columnsByKey[key] ??= [];
      columnsByKey[key][row] = !primitive && Object.hasOwn(item, key) ? cell(item[key]) : '';
    }
  });

  const head = ['(index)', ...Object.keys(columnsByKey)];
  const columns = [rowKeys, ...Object.values(columnsByKey)];
  if (hasPrimitives) {
    head.push('Values');
    columns.push(primitiveValues);
  }
  return [head, columns];
}

// Cells stay on one line; objects with more than two keys collapse entirely.
function inspectTableCell(console, value) {
  const depth = value !== null && typeof value === 'object' && !Array.isArray(value) &&
    Object.keys(value).length > 2 ? -1 : 0;
  return inspect(value, {
    depth,
    maxArrayLength: 3,
    breakLength: Infinity,
    ...getInspectOptions(console, console._stdout),
  });
}

function renderTable(head, columns) {
  const rowCount = Math.max(...columns.map((column) => column.length));
  const widths = head.map(stringWidth);
  const rows = [];
  for (let row = 0; row < rowCount; row++) {
    rows.push(columns.map((column, i) => {
      const text = Object.hasOwn(column, row) ? column[row] : '';
      widths[i] = Math.max(widths[i], stringWidth(text));
      return text;
    }));
  }
  const rule = (left, middle, right) =>
    left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + right;
  const line = (cells) => '│ ' + cells.map((text, i) =>
    text + ' '.repeat(widths[i] - stringWidth(text))).join(' │ ') + ' │';
  return [
    rule('┌', '┬', '┐'),
    line(head),
    rule('├', '┼', '┤'),
    ...rows.map(line),
    rule('└', '┴', '┘'),
  ].join('\n');
}

// ---- terminal column width of a string (as Node measures it with ICU) ----

// East Asian Width W/F ranges; emoji with default emoji presentation are
// matched by a regex instead.
const kWideRanges = [
  [0x1100, 0x115F], [0x2630, 0x2637], [0x268A, 0x268F], [0x2E80, 0x2E99],
  [0x2E9B, 0x2EF3], [0x2F00, 0x2FD5], [0x2FF0, 0x303E], [0x3041, 0x3096],
  [0x3099, 0x30FF], [0x3105, 0x312F], [0x3131, 0x318E], [0x3190, 0x31E5],
  [0x31EF, 0x321E], [0x3220, 0x3247], [0x3250, 0xA48C], [0xA490, 0xA4C6],
  [0xA960, 0xA97C], [0xAC00, 0xD7A3], [0xF900, 0xFAFF], [0xFE10, 0xFE19],
  [0xFE30, 0xFE52], [0xFE54, 0xFE66], [0xFE68, 0xFE6B], [0xFF01, 0xFF60],
  [0xFFE0, 0xFFE6], [0x16FE0, 0x16FE4], [0x16FF0, 0x16FF6], [0x17000, 0x18CD5],
  [0x18CFF, 0x18D1E], [0x18D80, 0x18DF2], [0x1AFF0, 0x1AFF3], [0x1AFF5, 0x1AFFB],
  [0x1AFFD, 0x1AFFE], [0x1B000, 0x1B122], [0x1B132, 0x1B132], [0x1B150, 0x1B152],
  [0x1B155, 0x1B155], [0x1B164, 0x1B167], [0x1B170, 0x1B2FB], [0x1D300, 0x1D356],
  [0x1D360, 0x1D376], [0x1F200, 0x1F202], [0x1F210, 0x1F23B], [0x1F240, 0x1F248],
  [0x1F260, 0x1F265], [0x20000, 0x2FFFD], [0x30000, 0x3FFFD],
];
const kEmojiPresentation = /\p{Emoji_Presentation}/u;
// Controls, format characters and combining marks take no column.
const kZeroWidth = /[\p{Cc}\p{Cf}\p{Mn}\p{Me}]/u;
const kPrintableAscii = /^[\x20-\x7e]*$/;

function isWideCodePoint(code) {
  let low = 0;
  let high = kWideRanges.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const [start, end] = kWideRanges[mid];
    if (code < start) high = mid - 1;
    else if (code > end) low = mid + 1;
    else return true;
  }
  return false;
}

function stringWidth(str) {
  str = stripVTControlCharacters(str);
  if (kPrintableAscii.test(str)) return str.length;
  let width = 0;
  for (const char of str.normalize('NFC')) {
    if (isWideCodePoint(char.codePointAt(0)) || kEmojiPresentation.test(char)) {
      width += 2;
    } else if (char === '\u00ad' || !kZeroWidth.test(char)) {
      width += 1;  // U+00AD SOFT HYPHEN is a format character but visible.
    }
  }
  return width;
}

// ---- the global console ----

// V8's inspector-only console methods: without an attached inspector they
// do nothing, which is all Node exposes of them.
const kContextMethodNames = [
  'dir', 'dirXml', 'table', 'groupEnd', 'clear', 'count', 'countReset',
  'profile', 'profileEnd', 'debug', 'error', 'info', 'log', 'warn', 'trace',
  'group', 'groupCollapsed', 'assert', 'time', 'timeLog', 'timeEnd', 'timeStamp',
];

const inspectorOnlyMethods = {
  profile() {},

  profileEnd() {},

  timeStamp() {},

  // Returns a console whose methods only talk to the inspector. The unused
  // parameters give each function V8's reported length of 1.
  context(name) {
    const contextConsole = {};
    for (const method of kContextMethodNames) {
      contextConsole[method] = { [method](data) {} }[method];
    }
    return contextConsole;
  },

  // `name = undefined` keeps the reported length at 0, as in V8.
  createTask(name = undefined) {
    if (typeof name !== 'string' || name === '') {
      throw new Error('First argument must be a non-empty string.');
    }
    const task = {
      run(fn) {
        if (this !== task) throw new Error("'run' called with illegal receiver.");
        if (typeof fn !== 'function') throw new Error('First argument must be a function.');
        return fn();
      },
    };
    return task;
  },
};

// The output streams are looked up on each use until one is assigned (assigning
// console._stdout replaces them).
function defineLazyStream(console, key, getDefault) {
  let stream;
  Object.defineProperty(console, key, {
    get() {
      return stream ?? getDefault();
    },
    set(value) {
      stream = value;
    },
    enumerable: false,
    configurable: true,
  });
}

function createGlobalConsole() {
  const globalConsole = Object.create({});
  bindMethods(globalConsole, Console.prototype, true);
  initConsoleState(globalConsole, true, 'auto', 2);
  globalConsole.Console = Console;
  Object.assign(globalConsole, inspectorOnlyMethods);
  let stdio;
  const stream = (fd, getStream) => (stdio ??= require('internal/process/stdio')).consoleStream(fd, getStream);
  defineLazyStream(globalConsole, '_stdout', () => stream(1, () => process.stdout));
  defineLazyStream(globalConsole, '_stderr', () => stream(2, () => process.stderr));
  return globalConsole;
}

module.exports = createGlobalConsole();
