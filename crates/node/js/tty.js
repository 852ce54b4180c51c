'use strict';
// node:tty — terminal detection and the colour depth a terminal supports.

const EventEmitter = require('events');
const native = internalBinding('process');

function isatty(fd) {
  return Number.isInteger(fd) && fd >= 0 && fd <= 2147483647 && native.isTTY(fd);
}

// Colour depth from the environment, as Node's WriteStream.getColorDepth documents it.
function colorDepth(env = process.env) {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === '1' || force === 'true') return 4;
    if (force === '2') return 8;
    if (force === '3') return 24;
    return 1;
  }
  if (env.NODE_DISABLE_COLORS !== undefined || env.NO_COLOR !== undefined || env.TERM === 'dumb') return 1;
  if (env.TMUX) return 24;
  if (env.CI !== undefined) return 8;
  const colorterm = env.COLORTERM;
  if (colorterm === 'truecolor' || colorterm === '24bit') return 24;
  const term = env.TERM;
  if (!term) return 1;
  if (/-256(colou?r)?$/i.test(term)) return 8;
  if (/^(xterm|screen|vt100|vt220|rxvt|color|ansi|cygwin|linux|konsole|eterm|kterm|putty|st|tmux)/i.test(term)) return 4;
  if (colorterm) return 4;
  return 1;
}

function WriteStream(fd) {
  if (!(this instanceof WriteStream)) return new WriteStream(fd);
  EventEmitter.call(this);
  this.fd = fd;
  this.isTTY = true;
  const size = native.windowSize(fd);
  this.columns = size ? size[0] : 80;
  this.rows = size ? size[1] : 24;
}
Object.setPrototypeOf(WriteStream.prototype, EventEmitter.prototype);
WriteStream.prototype.getColorDepth = function getColorDepth(env) {
  return colorDepth(env);
};
WriteStream.prototype.hasColors = function hasColors(count = 16, env) {
  if (typeof count === 'object') {
    env = count;
    count = 16;
  }
  return count <= 2 ** colorDepth(env);
};
WriteStream.prototype.getWindowSize = function getWindowSize() {
  return [this.columns, this.rows];
};
WriteStream.prototype.write = function write(chunk, encoding, callback) {
  native.writeFd(this.fd, chunk);
  if (typeof encoding === 'function') callback = encoding;
  if (typeof callback === 'function') process.nextTick(callback, null);
  return true;
};

function ReadStream(fd) {
  if (!(this instanceof ReadStream)) return new ReadStream(fd);
  EventEmitter.call(this);
  this.fd = fd;
  this.isTTY = true;
  this.isRaw = false;
}
Object.setPrototypeOf(ReadStream.prototype, EventEmitter.prototype);
ReadStream.prototype.setRawMode = function setRawMode(flag) {
  this.isRaw = Boolean(flag);
  return this;
};

module.exports = { isatty, WriteStream, ReadStream };
Object.defineProperty(module.exports, 'colorDepth', { value: colorDepth, enumerable: false });
