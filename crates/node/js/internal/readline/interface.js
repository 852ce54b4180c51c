'use strict';
// The readline Interface shared by node:readline and node:readline/promises: reads lines
// from any readable stream, and in terminal mode edits the line in place (cursor keys,
// history, word motions, tab completion) with raw-mode keypresses.

const EventEmitter = require('events');
const { StringDecoder } = require('string_decoder');
const { codes, validators } = require('internal/errors');
const { getStringWidth, stripVTControlCharacters, inspect } = require('internal/util/inspect');
const { emitKeypressEvents, charLengthAt } = require('internal/readline/keys');
const { cursorTo, moveCursor, clearScreenDown } = require('internal/readline/callbacks');

const { ERR_INVALID_ARG_VALUE, ERR_INVALID_ARG_TYPE, ERR_USE_AFTER_CLOSE } = codes;
const { validateArray, validateNumber, validateUint32, validateString } = validators;

const kHistorySize = 30;
const kMaxHistorySize = 2 ** 32 - 1;
const kMinCrlfDelay = 100;
const kEscapeCodeTimeout = 500;
// Lines buffered by the async iterator before input is paused.
const kIteratorHighWaterMark = 1024;

const kQuestionCancel = Symbol('kQuestionCancel');
const kLineIterator = Symbol('kLineIterator');
// The async iterator's 'line' listener, which lines go to directly while it is the only one.
const kIteratorOnLine = Symbol('kIteratorOnLine');

function validateAbortSignal(signal, name) {
  const { isAbortSignal } = require('internal/abort_controller');
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

// Width of the character left of `i` in UTF-16 units.
function charLengthLeft(str, i) {
  if (i <= 0) return 0;
  if (i > 1 && str.codePointAt(i - 2) >= 0x10000) return 2;
  return 1;
}

function commonPrefix(strings) {
  if (strings.length === 0) return '';
  if (strings.length === 1) return strings[0];
  const sorted = [...strings].sort();
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  for (let i = 0; i < min.length; i++) {
    if (min[i] !== max[i]) return min.slice(0, i);
  }
  return min;
}

function Interface(input, output, completer, terminal) {
  EventEmitter.call(this);
  let history;
  let historySize;
  let removeHistoryDuplicates = false;
  let crlfDelay;
  let prompt = '> ';
  let signal;
  this.isCompletionEnabled = true;
  this.escapeCodeTimeout = kEscapeCodeTimeout;
  this.tabSize = 8;

  if (input?.input) {
    // An options object.
    const options = input;
    output = options.output;
    completer = options.completer;
    terminal = options.terminal;
    history = options.history;
    historySize = options.historySize;
    signal = options.signal;
    if (options.tabSize !== undefined) {
      validateUint32(options.tabSize, 'tabSize', true);
      this.tabSize = options.tabSize;
    }
    removeHistoryDuplicates = options.removeHistoryDuplicates;
    if (options.prompt !== undefined) prompt = options.prompt;
    if (options.escapeCodeTimeout !== undefined) {
      if (Number.isFinite(options.escapeCodeTimeout)) {
        this.escapeCodeTimeout = options.escapeCodeTimeout;
      } else {
        throw new ERR_INVALID_ARG_VALUE('input.escapeCodeTimeout', this.escapeCodeTimeout);
      }
    }
    if (signal) validateAbortSignal(signal, 'options.signal');
    crlfDelay = options.crlfDelay;
    input = options.input;
  }

  if (completer !== undefined && typeof completer !== 'function') {
    throw new ERR_INVALID_ARG_VALUE('completer', completer);
  }
  if (history === undefined) history = [];
  else validateArray(history, 'history');
  if (historySize === undefined) historySize = kHistorySize;
  validateNumber(historySize, 'size', 0);
  if (terminal === undefined && !(output === null || output === undefined)) terminal = !!output.isTTY;

  this.line = '';
  this.output = output;
  this.input = input;
  this.history = history;
  this.historySize = historySize;
  this.historyIndex = -1;
  this.removeHistoryDuplicates = !!removeHistoryDuplicates;
  this.crlfDelay = crlfDelay ? Math.max(kMinCrlfDelay, crlfDelay) : kMinCrlfDelay;
  this.completer = completer === undefined ? undefined :
    completer.length === 2 ? completer : (line, cb) => cb(null, completer(line));
  this.terminal = !!terminal;

  this._sawReturnAt = 0;
  this._prompt = prompt;
  this._line_buffer = null;
  this._questionCallback = null;
  this._oldPrompt = '';
  this._previousKey = null;
  this._decoder = new StringDecoder('utf8');

  const onData = (data) => this._normalWrite(data);
  const onEnd = () => {
    if (typeof this._line_buffer === 'string' && this._line_buffer.length > 0) {
      this.emit('line', this._line_buffer);
    }
    this.close();
  };
  const onTermEnd = () => {
    if (typeof this.line === 'string' && this.line.length > 0) this.emit('line', this.line);
    this.close();
  };
  const onKeypress = (s, key) => this._ttyWrite(s, key);
  const onResize = () => this._refreshLine();
  const onAbort = () => this.close();

  this.once('close', () => {
    if (this.terminal) {
      input.removeListener('keypress', onKeypress);
      input.removeListener('end', onTermEnd);
      if (output !== null && output !== undefined) output.removeListener('resize', onResize);
    } else {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
    }
    signal?.removeEventListener('abort', onAbort);
  });

  if (signal) {
    if (signal.aborted) process.nextTick(onAbort);
    else signal.addEventListener('abort', onAbort, { once: true });
  }

  if (!this.terminal) {
    input.on('data', onData);
    input.on('end', onEnd);
  } else {
    emitKeypressEvents(input, this);
    input.on('keypress', onKeypress);
    input.on('end', onTermEnd);
    this._setRawMode(true);
    this.terminal = true;
    this.cursor = 0;
    this.historyIndex = -1;
    if (output !== null && output !== undefined) output.on('resize', onResize);
  }
  input.resume();
}
Object.setPrototypeOf(Interface.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Interface, EventEmitter);

Object.defineProperty(Interface.prototype, 'columns', {
  configurable: true,
  enumerable: true,
  get() {
    if (this.output && this.output.columns) return this.output.columns;
    return Infinity;
  },
});

Interface.prototype.setPrompt = function setPrompt(prompt) {
  this._prompt = prompt;
};

Interface.prototype.getPrompt = function getPrompt() {
  return this._prompt;
};

Interface.prototype.prompt = function prompt(preserveCursor) {
  if (this.paused) this.resume();
  if (this.terminal && process.env.TERM !== 'dumb') {
    if (!preserveCursor) this.cursor = 0;
    this._refreshLine();
  } else {
    this._writeToOutput(this._prompt);
  }
};

// Starts a question; `cb` gets the next line instead of 'line' listeners.
Interface.prototype._question = function(query, cb) {
  if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
  if (this._questionCallback) {
    this.prompt();
  } else {
    this._oldPrompt = this._prompt;
    this.setPrompt(query);
    this._questionCallback = cb;
    this.prompt();
  }
};

Interface.prototype[kQuestionCancel] = function() {
  if (this._questionCallback) {
    this._questionCallback = null;
    this.setPrompt(this._oldPrompt);
    this.clearLine();
  }
};

Interface.prototype._onLine = function(line) {
  if (this._questionCallback) {
    const cb = this._questionCallback;
    this._questionCallback = null;
    this.setPrompt(this._oldPrompt);
    cb(line);
  } else {
    this.emit('line', line);
  }
};

Interface.prototype._writeToOutput = function(stringToWrite) {
  validateString(stringToWrite, 'stringToWrite');
  if (this.output !== null && this.output !== undefined) this.output.write(stringToWrite);
};

Interface.prototype._setRawMode = function(mode) {
  const wasInRawMode = this.input.isRaw;
  if (typeof this.input.setRawMode === 'function') this.input.setRawMode(mode);
  return wasInRawMode;
};

Interface.prototype.close = function close() {
  if (this.closed) return;
  this.pause();
  if (this.terminal) this._setRawMode(false);
  this.closed = true;
  this.emit('close');
};

Interface.prototype.pause = function pause() {
  if (this.paused) return;
  this.input.pause();
  this.paused = true;
  this.emit('pause');
  return this;
};

Interface.prototype.resume = function resume() {
  if (!this.paused) return;
  this.input.resume();
  this.paused = false;
  this.emit('resume');
  return this;
};

Interface.prototype.write = function write(data, key) {
  if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
  if (this.paused) this.resume();
  if (this.terminal) this._ttyWrite(data, key);
  else this._normalWrite(data);
};

// Non-terminal input: split into lines on \n, \r\n or \r (a \r\n split across chunks
// within crlfDelay is one line end).
Interface.prototype._normalWrite = function(b) {
  if (b === undefined) return;
  let string = this._decoder.write(b);
  if (this._sawReturnAt && Date.now() - this._sawReturnAt <= this.crlfDelay) {
    if (string.charCodeAt(0) === 10) string = string.slice(1);
    this._sawReturnAt = 0;
  }
  // The partial line left by the last chunk joins only this chunk's first line: joined to
  // the whole chunk, it would make JSC copy the chunk to search it.
  let pending = this._line_buffer;
  this._line_buffer = null;
  // Line ends are \n, \r\n or a lone \r; found with indexOf, which beats a regular
  // expression here.
  let start = 0;
  let nl = string.indexOf('\n');
  let cr = string.indexOf('\r');
  while (nl !== -1 || cr !== -1) {
    let line;
    if (cr !== -1 && (nl === -1 || cr < nl)) {
      line = string.slice(start, cr);
      start = cr + (nl === cr + 1 ? 2 : 1);
      cr = string.indexOf('\r', start);
      if (nl !== -1 && nl < start) nl = string.indexOf('\n', start);
    } else {
      line = string.slice(start, nl);
      start = nl + 1;
      nl = string.indexOf('\n', start);
    }
    if (pending !== null) {
      line = pending + line;
      pending = null;
    }
    const iteratorOnLine = this[kIteratorOnLine];
    if (iteratorOnLine !== undefined && this._events.line === iteratorOnLine && !this._questionCallback) iteratorOnLine(line);
    else this._onLine(line);
    if (this.closed) return;
  }
  // A trailing \r may be the first half of a \r\n split across chunks.
  if (start > 0) this._sawReturnAt = string.charCodeAt(string.length - 1) === 13 ? Date.now() : 0;
  if (start < string.length) {
    const rest = string.slice(start);
    this._line_buffer = pending !== null ? pending + rest : rest;
  } else {
    this._line_buffer = pending;
  }
};

Interface.prototype._insertString = function(c) {
  if (this.cursor < this.line.length) {
    this.line = this.line.slice(0, this.cursor) + c + this.line.slice(this.cursor);
    this.cursor += c.length;
    this._refreshLine();
  } else {
    const oldPos = this.getCursorPos();
    this.line += c;
    this.cursor += c.length;
    const newPos = this.getCursorPos();
    if (oldPos.rows < newPos.rows) this._refreshLine();
    else this._writeToOutput(c);
  }
};

Interface.prototype._tabComplete = function(lastKeypressWasTab) {
  this.pause();
  const string = this.line.slice(0, this.cursor);
  this.completer(string, (err, value) => {
    this.resume();
    if (err) {
      this._writeToOutput(`Tab completion error: ${inspect(err)}`);
      return;
    }
    this._tabCompleter(lastKeypressWasTab, value);
  });
};

Interface.prototype._tabCompleter = function(lastKeypressWasTab, { 0: completions, 1: completeOn }) {
  if (!completions || completions.length === 0) return;
  const prefix = commonPrefix(completions.filter((e) => e !== ''));
  if (prefix.startsWith(completeOn) && prefix.length > completeOn.length) {
    this._insertString(prefix.slice(completeOn.length));
    return;
  } else if (!completeOn.startsWith(prefix)) {
    this.line = this.line.slice(0, this.cursor - completeOn.length) + prefix + this.line.slice(this.cursor);
    this.cursor = this.cursor - completeOn.length + prefix.length;
    this._refreshLine();
    return;
  }
  if (!lastKeypressWasTab) return;
  // A second tab lists the candidates in columns.
  const widths = completions.map((e) => getStringWidth(e));
  const width = Math.max(...widths) + 2;
  let maxColumns = Math.floor(this.columns / width) || 1;
  if (maxColumns === Infinity) maxColumns = 1;
  let output = '\r\n';
  let lineIndex = 0;
  let whitespace = 0;
  for (let i = 0; i < completions.length; i++) {
    const completion = completions[i];
    if (completion === '' || lineIndex === maxColumns) {
      output += '\r\n';
      lineIndex = 0;
      whitespace = 0;
    } else {
      output += ' '.repeat(whitespace);
    }
    if (completion !== '') {
      output += completion;
      whitespace = width - widths[i];
      lineIndex++;
    } else {
      output += '\r\n';
    }
  }
  if (lineIndex !== 0) output += '\r\n\r\n';
  this._writeToOutput(output);
  this._refreshLine();
};

Interface.prototype._wordLeft = function() {
  if (this.cursor > 0) {
    const leading = [...this.line.slice(0, this.cursor)].reverse().join('');
    const match = /^\s*(?:[^\w\s]+|\w+)?/.exec(leading);
    this._moveCursor(-match[0].length);
  }
};

Interface.prototype._wordRight = function() {
  if (this.cursor < this.line.length) {
    const trailing = this.line.slice(this.cursor);
    const match = /^(?:\s+|[^\w\s]+|\w+)\s*/.exec(trailing);
    this._moveCursor(match[0].length);
  }
};

Interface.prototype._deleteLeft = function() {
  if (this.cursor > 0 && this.line.length > 0) {
    const charSize = charLengthLeft(this.line, this.cursor);
    this.line = this.line.slice(0, this.cursor - charSize) + this.line.slice(this.cursor);
    this.cursor -= charSize;
    this._refreshLine();
  }
};

Interface.prototype._deleteRight = function() {
  if (this.cursor < this.line.length) {
    const charSize = charLengthAt(this.line, this.cursor);
    this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + charSize);
    this._refreshLine();
  }
};

Interface.prototype._deleteWordLeft = function() {
  if (this.cursor > 0) {
    let leading = this.line.slice(0, this.cursor);
    const reversed = [...leading].reverse().join('');
    const match = /^\s*(?:[^\w\s]+|\w+)?/.exec(reversed);
    leading = leading.slice(0, leading.length - match[0].length);
    this.line = leading + this.line.slice(this.cursor);
    this.cursor = leading.length;
    this._refreshLine();
  }
};

Interface.prototype._deleteWordRight = function() {
  if (this.cursor < this.line.length) {
    const trailing = this.line.slice(this.cursor);
    const match = /^(?:\s+|\W+|\w+)\s*/.exec(trailing);
    this.line = this.line.slice(0, this.cursor) + trailing.slice(match[0].length);
    this._refreshLine();
  }
};

Interface.prototype._deleteLineLeft = function() {
  this.line = this.line.slice(this.cursor);
  this.cursor = 0;
  this._refreshLine();
};

Interface.prototype._deleteLineRight = function() {
  this.line = this.line.slice(0, this.cursor);
  this._refreshLine();
};

Interface.prototype.clearLine = function clearLine() {
  this._moveCursor(+Infinity);
  this._writeToOutput('\r\n');
  this.line = '';
  this.cursor = 0;
  this.prevRows = 0;
};

Interface.prototype._line = function() {
  const line = this._addHistory();
  this.clearLine();
  this._onLine(line);
};

Interface.prototype._addHistory = function() {
  if (this.line.length === 0) return '';
  if (this.historySize === 0) return this.line;
  if (this.line.trim().length === 0) return this.line;
  if (this.history.length === 0 || this.history[0] !== this.line) {
    if (this.removeHistoryDuplicates) {
      const dupIndex = this.history.indexOf(this.line);
      if (dupIndex !== -1) this.history.splice(dupIndex, 1);
    }
    this.history.unshift(this.line);
    if (this.history.length > this.historySize) this.history.pop();
  }
  this.historyIndex = -1;
  const line = this.history[0];
  this.emit('history', this.history);
  return line;
};

// History navigation shows the entries starting with what was typed before it began
// (skipping repeats of the current line); past either end the typed text comes back.
Interface.prototype._historyNext = function() {
  if (this.historyIndex >= 0) {
    const search = this._historySearch || '';
    let index = this.historyIndex - 1;
    while (index >= 0 && (!this.history[index].startsWith(search) || this.line === this.history[index])) index--;
    this.line = index === -1 ? search : this.history[index];
    this.historyIndex = index;
    this.cursor = this.line.length;
    this._refreshLine();
  }
};

Interface.prototype._historyPrev = function() {
  if (this.historyIndex < this.history.length && this.history.length) {
    if (this.historyIndex === -1) this._historySearch = this.line;
    const search = this._historySearch;
    let index = this.historyIndex + 1;
    while (index < this.history.length &&
           (!this.history[index].startsWith(search) || this.line === this.history[index])) index++;
    this.line = index === this.history.length ? search : this.history[index];
    this.historyIndex = index;
    this.cursor = this.line.length;
    this._refreshLine();
  }
};

// Where `str` ends on screen ({ cols, rows }), counting wide characters and tabs.
Interface.prototype._getDisplayPos = function(str) {
  let offset = 0;
  const col = this.columns;
  let rows = 0;
  str = stripVTControlCharacters(str);
  for (const char of str) {
    if (char === '\n') {
      rows += Math.ceil(offset / col) || 1;
      offset = 0;
      continue;
    }
    if (char === '\t') {
      offset += this.tabSize - (offset % this.tabSize);
      continue;
    }
    const width = getStringWidth(char, false);
    if (width === 0 || width === 1) {
      offset += width;
    } else {
      // A wide character doesn't start in the last column.
      if ((offset + 1) % col === 0) offset++;
      offset += 2;
    }
  }
  const cols = offset % col;
  rows += (offset - cols) / col;
  return { cols, rows };
};

Interface.prototype.getCursorPos = function getCursorPos() {
  return this._getDisplayPos(this._prompt + this.line.slice(0, this.cursor));
};
Interface.prototype._getCursorPos = Interface.prototype.getCursorPos;

Interface.prototype._moveCursor = function(dx) {
  if (dx === 0) return;
  const oldPos = this.getCursorPos();
  this.cursor += dx;
  if (this.cursor < 0) this.cursor = 0;
  else if (this.cursor > this.line.length) this.cursor = this.line.length;
  const newPos = this.getCursorPos();
  if (oldPos.rows === newPos.rows) moveCursor(this.output, newPos.cols - oldPos.cols, 0);
  else this._refreshLine();
};

// Redraws the prompt and line, and puts the cursor back where it was.
Interface.prototype._refreshLine = function() {
  const line = this._prompt + this.line;
  const dispPos = this._getDisplayPos(line);
  const lineCols = dispPos.cols;
  const lineRows = dispPos.rows;
  const cursorPos = this.getCursorPos();
  const prevRows = this.prevRows || 0;
  if (prevRows > 0) moveCursor(this.output, 0, -prevRows);
  cursorTo(this.output, 0);
  clearScreenDown(this.output);
  this._writeToOutput(line);
  if (lineCols === 0) this._writeToOutput(' ');
  cursorTo(this.output, cursorPos.cols);
  const diff = lineRows - cursorPos.rows;
  if (diff > 0) moveCursor(this.output, 0, -diff);
  this.prevRows = cursorPos.rows;
};

// Terminal input: one keypress.
Interface.prototype._ttyWrite = function(s, key) {
  const previousKey = this._previousKey;
  key = key || {};
  this._previousKey = key;
  if (key.name === 'escape') return;

  if (key.ctrl && key.shift) {
    switch (key.name) {
      case 'backspace': this._deleteLineLeft(); break;
      case 'delete': this._deleteLineRight(); break;
    }
  } else if (key.ctrl) {
    switch (key.name) {
      case 'c':
        if (this.listenerCount('SIGINT') > 0) this.emit('SIGINT');
        else this.close();
        break;
      case 'h': this._deleteLeft(); break;
      case 'd':
        if (this.cursor === 0 && this.line.length === 0) this.close();
        else if (this.cursor < this.line.length) this._deleteRight();
        break;
      case 'u': this._deleteLineLeft(); break;
      case 'k': this._deleteLineRight(); break;
      case 'a': this._moveCursor(-Infinity); break;
      case 'e': this._moveCursor(+Infinity); break;
      case 'b': this._moveCursor(-charLengthLeft(this.line, this.cursor)); break;
      case 'f': this._moveCursor(+charLengthAt(this.line, this.cursor)); break;
      case 'l':
        cursorTo(this.output, 0, 0);
        clearScreenDown(this.output);
        this._refreshLine();
        break;
      case 'n': this._historyNext(); break;
      case 'p': this._historyPrev(); break;
      case 'z':
        if (this.listenerCount('SIGTSTP') > 0) this.emit('SIGTSTP');
        break;
      case 'w':
      case 'backspace': this._deleteWordLeft(); break;
      case 'delete': this._deleteWordRight(); break;
      case 'left': this._wordLeft(); break;
      case 'right': this._wordRight(); break;
    }
  } else if (key.meta) {
    switch (key.name) {
      case 'b': this._wordLeft(); break;
      case 'f': this._wordRight(); break;
      case 'd':
      case 'delete': this._deleteWordRight(); break;
      case 'backspace': this._deleteWordLeft(); break;
    }
  } else {
    if (this._sawReturnAt && key.name !== 'enter') this._sawReturnAt = 0;
    switch (key.name) {
      case 'return':
        this._sawReturnAt = Date.now();
        this._line();
        break;
      case 'enter':
        // \r\n counts once.
        if (this._sawReturnAt === 0 || Date.now() - this._sawReturnAt > this.crlfDelay) this._line();
        this._sawReturnAt = 0;
        break;
      case 'backspace': this._deleteLeft(); break;
      case 'delete': this._deleteRight(); break;
      case 'left': this._moveCursor(-charLengthLeft(this.line, this.cursor)); break;
      case 'right': this._moveCursor(+charLengthAt(this.line, this.cursor)); break;
      case 'home': this._moveCursor(-Infinity); break;
      case 'end': this._moveCursor(+Infinity); break;
      case 'up': this._historyPrev(); break;
      case 'down': this._historyNext(); break;
      case 'tab':
        if (typeof this.completer === 'function' && this.isCompletionEnabled) {
          this._tabComplete(previousKey !== null && previousKey.name === 'tab');
          break;
        }
      // Without a completer a tab is inserted like any character.
      // falls through
      default:
        if (typeof s === 'string' && s) {
          // Pasted text may hold several lines.
          const lines = s.split(/\r\n|\n|\r/);
          for (let i = 0; i < lines.length; i++) {
            if (i > 0) this._line();
            this._insertString(lines[i]);
          }
        }
    }
  }
};

// `for await (const line of rl)`: lines queue up (input pauses past a high water mark)
// until read; leaving the loop early closes the interface.
Interface.prototype[Symbol.asyncIterator] = function() {
  if (this[kLineIterator] !== undefined) return this[kLineIterator];
  const queue = [];
  let queueStart = 0;
  let waiting = null;
  let done = false;
  let inputPaused = false;
  const onLine = (line) => {
    if (waiting !== null) {
      const resolve = waiting;
      waiting = null;
      resolve({ value: line, done: false });
      return;
    }
    queue.push(line);
    if (queue.length - queueStart >= kIteratorHighWaterMark && !inputPaused) {
      inputPaused = true;
      this.pause();
    }
  };
  const finish = () => {
    done = true;
    this.removeListener('line', onLine);
    if (waiting !== null) {
      const resolve = waiting;
      waiting = null;
      resolve({ value: undefined, done: true });
    }
  };
  this.on('line', onLine);
  this[kIteratorOnLine] = onLine;
  this.once('close', finish);
  const iterator = {
    next: () => {
      if (queueStart < queue.length) {
        const value = queue[queueStart];
        queue[queueStart++] = undefined;
        if (queueStart === queue.length) {
          queue.length = 0;
          queueStart = 0;
        }
        if (inputPaused && queue.length - queueStart < kIteratorHighWaterMark / 2 && !this.closed) {
          inputPaused = false;
          this.resume();
        }
        return Promise.resolve({ value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => { waiting = resolve; });
    },
    return: () => {
      this.close();
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw: (err) => {
      this.close();
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  this[kLineIterator] = iterator;
  return iterator;
};

module.exports = { Interface, kQuestionCancel, validateAbortSignal };
