'use strict';
// node:tty — terminal detection, and the net.Socket subclasses Node uses for terminals:
// ReadStream (raw mode) and WriteStream (window size, colour depth, cursor control).

const net = require('net');
const { codes, validators, kIsNodeError } = require('internal/errors');
const binding = internalBinding('tty');
const { makeStdioWritable } = require('internal/process/stdio');

const { ERR_INVALID_FD } = codes;
const { validateInteger } = validators;

function isatty(fd) {
  return Number.isInteger(fd) && fd >= 0 && fd <= 2147483647 && binding.isatty(fd);
}

function validateTtyFd(fd) {
  // eslint-disable-next-line no-bitwise
  if (fd >> 0 !== fd || fd < 0) throw new ERR_INVALID_FD(fd);
  if (!binding.isatty(fd)) throw ttyInitFailed(-22);
}

// Node's SystemError ERR_TTY_INIT_FAILED, with the libuv error in `info`.
function ttyInitFailed(errno) {
  const [code, message] = internalBinding('uv').errorMap[errno];
  const info = { errno, code, message, syscall: 'uv_tty_init' };
  const err = new Error(`TTY initialization failed: uv_tty_init returned ${code} (${message})`);
  Object.defineProperty(err, 'name', { value: 'SystemError', writable: true, configurable: true });
  err.code = 'ERR_TTY_INIT_FAILED';
  Object.defineProperty(err, 'info', { value: info, enumerable: true, configurable: true });
  for (const key of ['errno', 'syscall']) {
    Object.defineProperty(err, key, {
      get() { return info[key]; },
      set(value) { info[key] = value; },
      enumerable: true,
      configurable: true,
    });
  }
  Object.defineProperty(err, kIsNodeError, { value: true, configurable: true });
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${this.code}]: ${this.message}`; },
    writable: true,
    configurable: true,
  });
  return err;
}

function ReadStream(fd, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(fd, options);
  validateTtyFd(fd);
  const handle = binding.openStdin(fd, 'TTY');
  if (typeof handle === 'number') {
    throw ttyInitFailed(handle);
  }
  net.Socket.call(this, {
    readableHighWaterMark: 0,
    ...options,
    handle,
    manualStart: true,
  });
  this._handle.reading = false;
  this.fd = fd;
  this.isRaw = false;
  this.isTTY = true;
}
Object.setPrototypeOf(ReadStream.prototype, net.Socket.prototype);
Object.setPrototypeOf(ReadStream, net.Socket);

ReadStream.prototype.setRawMode = function setRawMode(flag) {
  flag = !!flag;
  const status = binding.setRawMode(this.fd, flag);
  if (status < 0) {
    this.emit('error', require('internal/net').errnoException(status, 'setRawMode'));
    return this;
  }
  this.isRaw = flag;
  return this;
};

function WriteStream(fd) {
  if (!(this instanceof WriteStream)) return new WriteStream(fd);
  validateTtyFd(fd);
  net.Socket.call(this, { readableHighWaterMark: 0, manualStart: true });
  makeStdioWritable(this, fd);
  Object.defineProperty(this, 'pending', { value: false, writable: true, configurable: true });
  const size = binding.windowSize(fd);
  if (typeof size !== 'number') {
    this.columns = size[0];
    this.rows = size[1];
  }
}
Object.setPrototypeOf(WriteStream.prototype, net.Socket.prototype);
Object.setPrototypeOf(WriteStream, net.Socket);

WriteStream.prototype.isTTY = true;

// --- colour depth ----------------------------------------------------------------------
// The rules follow Node's documented and observed behaviour: FORCE_COLOR wins, then the
// "no colour" variables, then what the terminal and CI environment say about themselves.

const COLORS_2 = 1;
const COLORS_16 = 4;
const COLORS_256 = 8;
const COLORS_16M = 24;

// TERM values known by name (compared in lower case).
const TERM_DEPTHS = {
  __proto__: null,
  eterm: COLORS_16,
  cons25: COLORS_16,
  console: COLORS_16,
  cygwin: COLORS_16,
  dtterm: COLORS_16,
  gnome: COLORS_16,
  hurd: COLORS_16,
  jfbterm: COLORS_16,
  konsole: COLORS_16,
  kterm: COLORS_16,
  mlterm: COLORS_16,
  mosh: COLORS_16M,
  putty: COLORS_16,
  st: COLORS_16,
  'rxvt-unicode-24bit': COLORS_16M,
  terminator: COLORS_16M,
  'xterm-kitty': COLORS_16M,
  'xterm-truecolor': COLORS_16M,
};

// Other TERM values with at least 16 colours.
const TERM_PATTERNS_16 = [/ansi/i, /color/i, /linux/i, /^con[0-9]*x[0-9]/i, /^rxvt/i, /^screen/i, /^xterm/i, /^vt100/i, /^vt220/i];

const CI_DEPTHS = [
  ['GITHUB_ACTIONS', COLORS_16M],
  ['GITEA_ACTIONS', COLORS_16M],
  ['CIRCLECI', COLORS_16M],
  ['TRAVIS', COLORS_256],
  ['APPVEYOR', COLORS_256],
  ['GITLAB_CI', COLORS_256],
  ['BUILDKITE', COLORS_256],
  ['DRONE', COLORS_256],
];

let warnedIgnoredNoColor = false;

function forcedColorDepth(env) {
  const force = env.FORCE_COLOR;
  if (force === '' || force === '1' || force === 'true') return COLORS_16;
  if (force === '2') return COLORS_256;
  if (force === '3') return COLORS_16M;
  return COLORS_2;
}

function getColorDepth(env = process.env) {
  if (env.FORCE_COLOR !== undefined) {
    if (!warnedIgnoredNoColor) {
      const ignored = env.NODE_DISABLE_COLORS !== undefined ? 'NODE_DISABLE_COLORS' :
        env.NO_COLOR !== undefined ? 'NO_COLOR' : undefined;
      if (ignored !== undefined) {
        warnedIgnoredNoColor = true;
        process.emitWarning(`The '${ignored}' env is ignored due to the 'FORCE_COLOR' env being set.`, 'Warning');
      }
    }
    return forcedColorDepth(env);
  }
  if (env.NODE_DISABLE_COLORS !== undefined || env.NO_COLOR !== undefined || env.TERM === 'dumb') {
    return COLORS_2;
  }
  if (env.TMUX) return COLORS_16M;
  if (env.CI !== undefined) {
    for (const [name, depth] of CI_DEPTHS) {
      if (name in env) return depth;
    }
    return env.CI_NAME === 'codeship' ? COLORS_256 : COLORS_2;
  }
  if ('TEAMCITY_VERSION' in env) {
    return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION) ? COLORS_16 : COLORS_2;
  }
  switch (env.TERM_PROGRAM) {
    case 'iTerm.app':
      if (!env.TERM_PROGRAM_VERSION || Number(env.TERM_PROGRAM_VERSION.split('.')[0]) < 3) return COLORS_256;
      return COLORS_16M;
    case 'Apple_Terminal':
      return COLORS_256;
    case 'MacTerm':
      return COLORS_16M;
  }
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return COLORS_16M;
  const term = env.TERM;
  if (term) {
    if (term.startsWith('xterm-256')) return COLORS_256;
    const known = TERM_DEPTHS[term.toLowerCase()];
    if (known !== undefined) return known;
    if (TERM_PATTERNS_16.some((re) => re.test(term))) return COLORS_16;
  }
  if (env.COLORTERM) return COLORS_16;
  return COLORS_2;
}

function hasColors(count, env) {
  if (env === undefined && (count === undefined || (typeof count === 'object' && count !== null))) {
    env = count;
    count = 16;
  } else {
    validateInteger(count, 'count', 2);
  }
  return count <= 2 ** getColorDepth(env);
}

WriteStream.prototype.getColorDepth = function(env) {
  return getColorDepth(env);
};
WriteStream.prototype.hasColors = function(count, env) {
  return hasColors(count, env);
};

WriteStream.prototype._refreshSize = function() {
  const oldCols = this.columns;
  const oldRows = this.rows;
  const size = binding.windowSize(this.fd);
  if (typeof size === 'number') {
    this.emit('error', require('internal/net').errnoException(size, 'getWindowSize'));
    return;
  }
  const [newCols, newRows] = size;
  if (oldCols !== newCols || oldRows !== newRows) {
    this.columns = newCols;
    this.rows = newRows;
    this.emit('resize');
  }
};

WriteStream.prototype.cursorTo = function(x, y, callback) {
  return require('internal/readline/callbacks').cursorTo(this, x, y, callback);
};
WriteStream.prototype.moveCursor = function(dx, dy, callback) {
  return require('internal/readline/callbacks').moveCursor(this, dx, dy, callback);
};
WriteStream.prototype.clearLine = function(dir, callback) {
  return require('internal/readline/callbacks').clearLine(this, dir, callback);
};
WriteStream.prototype.clearScreenDown = function(callback) {
  return require('internal/readline/callbacks').clearScreenDown(this, callback);
};
WriteStream.prototype.getWindowSize = function() {
  return [this.columns, this.rows];
};

module.exports = { isatty, ReadStream, WriteStream };
// For console and util.inspect: the colour depth of an environment.
Object.defineProperty(module.exports, 'colorDepth', { value: getColorDepth, enumerable: false });
