'use strict';
// Terminal input decoding: turns characters into 'keypress' events ({ sequence, name,
// ctrl, meta, shift, code }), recognising the escape sequences of xterm, rxvt, gnome,
// putty and the Linux console; and emitKeypressEvents(), which feeds a stream's 'data'
// through the decoder.

const { StringDecoder } = require('string_decoder');

const kEscape = '\x1b';
const kEscapeCodeTimeout = 500;

const KEYPRESS_DECODER = Symbol('keypress-decoder');
const ESCAPE_DECODER = Symbol('escape-decoder');

// Key names by escape code: [name, shift, ctrl] (modifier bits may add more).
const CODE_NAMES = {
  __proto__: null,
  // xterm/gnome ESC O letter, xterm/rxvt ESC [ number ~, Cygwin/libuv ESC [ [ letter.
  'OP': ['f1'], 'OQ': ['f2'], 'OR': ['f3'], 'OS': ['f4'],
  '[P': ['f1'], '[Q': ['f2'], '[R': ['f3'], '[S': ['f4'],
  '[11~': ['f1'], '[12~': ['f2'], '[13~': ['f3'], '[14~': ['f4'],
  '[[A': ['f1'], '[[B': ['f2'], '[[C': ['f3'], '[[D': ['f4'], '[[E': ['f5'],
  '[15~': ['f5'], '[17~': ['f6'], '[18~': ['f7'], '[19~': ['f8'], '[20~': ['f9'],
  '[21~': ['f10'], '[23~': ['f11'], '[24~': ['f12'],
  '[200~': ['paste-start'], '[201~': ['paste-end'],
  '[A': ['up'], '[B': ['down'], '[C': ['right'], '[D': ['left'], '[E': ['clear'], '[F': ['end'], '[H': ['home'],
  'OA': ['up'], 'OB': ['down'], 'OC': ['right'], 'OD': ['left'], 'OE': ['clear'], 'OF': ['end'], 'OH': ['home'],
  '[1~': ['home'], '[2~': ['insert'], '[3~': ['delete'], '[4~': ['end'], '[5~': ['pageup'], '[6~': ['pagedown'],
  '[[5~': ['pageup'], '[[6~': ['pagedown'],
  '[7~': ['home'], '[8~': ['end'],
  // rxvt with shift.
  '[a': ['up', true], '[b': ['down', true], '[c': ['right', true], '[d': ['left', true], '[e': ['clear', true],
  '[2$': ['insert', true], '[3$': ['delete', true], '[5$': ['pageup', true], '[6$': ['pagedown', true],
  '[7$': ['home', true], '[8$': ['end', true],
  // rxvt with ctrl.
  'Oa': ['up', false, true], 'Ob': ['down', false, true], 'Oc': ['right', false, true], 'Od': ['left', false, true],
  'Oe': ['clear', false, true],
  '[2^': ['insert', false, true], '[3^': ['delete', false, true], '[5^': ['pageup', false, true],
  '[6^': ['pagedown', false, true], '[7^': ['home', false, true], '[8^': ['end', false, true],
  '[Z': ['tab', true],
};

const isDigit = (ch) => ch >= '0' && ch <= '9';

// How many UTF-16 units the character at `i` takes.
function charLengthAt(str, i) {
  if (str.length <= i) return 1;
  return str.codePointAt(i) >= 0x10000 ? 2 : 1;
}

// A generator fed one character at a time (`next(ch)`); '' flushes a pending escape.
function* emitKeys(stream) {
  while (true) {
    let ch = yield;
    let s = ch;
    let escaped = false;
    const key = { sequence: null, name: undefined, ctrl: false, meta: false, shift: false };

    if (ch === kEscape) {
      escaped = true;
      s += (ch = yield);
      if (ch === kEscape) s += (ch = yield);
    }

    if (escaped && (ch === 'O' || ch === '[')) {
      let code = ch;
      let modifier = 0;
      if (ch === 'O') {
        // ESC O letter, or ESC O modifier letter.
        s += (ch = yield);
        if (isDigit(ch)) {
          modifier = Number(ch) - 1;
          s += (ch = yield);
        }
        code += ch;
      } else {
        // ESC [ letter, ESC [ modifier letter, ESC [ [ letter, ESC [ number(;modifier) ~^$.
        s += (ch = yield);
        if (ch === '[') {
          code += ch;
          s += (ch = yield);
        }
        const cmdStart = s.length - 1;
        if (isDigit(ch)) {
          s += (ch = yield);
          if (isDigit(ch)) {
            s += (ch = yield);
            if (isDigit(ch)) s += (ch = yield);
          }
        }
        if (ch === ';') {
          s += (ch = yield);
          if (isDigit(ch)) s += yield;
        }
        const cmd = s.slice(cmdStart);
        let match;
        if ((match = /^(?:(\d\d?)(?:;(\d))?([~^$])|(\d{3}~))$/.exec(cmd))) {
          if (match[4]) {
            code += match[4];
          } else {
            code += match[1] + match[3];
            modifier = (match[2] || 1) - 1;
          }
        } else if ((match = /^((\d;)?(\d))?([A-Za-z])$/.exec(cmd))) {
          code += match[4];
          modifier = (match[3] || 1) - 1;
        } else {
          code += cmd;
        }
      }
      key.ctrl = Boolean(modifier & 4);
      key.meta = Boolean(modifier & 10);
      key.shift = Boolean(modifier & 1);
      key.code = code;
      const known = CODE_NAMES[code];
      if (known) {
        key.name = known[0];
        if (known[1]) key.shift = true;
        if (known[2]) key.ctrl = true;
      } else {
        key.name = 'undefined';
      }
    } else if (ch === '\r') {
      key.name = 'return';
      key.meta = escaped;
    } else if (ch === '\n') {
      key.name = 'enter';
      key.meta = escaped;
    } else if (ch === '\t') {
      key.name = 'tab';
      key.meta = escaped;
    } else if (ch === '\b' || ch === '\x7f') {
      key.name = 'backspace';
      key.meta = escaped;
    } else if (ch === kEscape) {
      key.name = 'escape';
      key.meta = escaped;
    } else if (ch === ' ') {
      key.name = 'space';
      key.meta = escaped;
    } else if (!escaped && ch <= '\x1a') {
      // ctrl+letter (and ctrl+` for NUL).
      key.name = String.fromCharCode(ch.charCodeAt(0) + 96);
      key.ctrl = true;
    } else if (/^[0-9A-Za-z]$/.test(ch)) {
      key.name = ch.toLowerCase();
      key.shift = /^[A-Z]$/.test(ch);
      key.meta = escaped;
    } else if (escaped) {
      key.name = ch.length ? undefined : 'escape';
      key.meta = true;
    }

    key.sequence = s;
    if (s.length !== 0 && (key.name !== undefined || escaped)) {
      stream.emit('keypress', escaped ? undefined : s, key);
    } else if (charLengthAt(s, 0) === s.length) {
      stream.emit('keypress', s, key);
    }
  }
}

// Makes `stream` emit 'keypress' events for its input while anyone listens for them.
function emitKeypressEvents(stream, iface = {}) {
  if (stream[KEYPRESS_DECODER]) return;
  stream[KEYPRESS_DECODER] = new StringDecoder('utf8');
  stream[ESCAPE_DECODER] = emitKeys(stream);
  stream[ESCAPE_DECODER].next();

  let timeoutId;
  const flushEscape = () => stream[ESCAPE_DECODER].next('');

  function onData(input) {
    if (stream.listenerCount('keypress') === 0) {
      // Nobody listens: stop decoding until someone does.
      stream.removeListener('data', onData);
      stream.on('newListener', onNewListener);
      return;
    }
    const string = stream[KEYPRESS_DECODER].write(input);
    if (!string) return;
    clearTimeout(timeoutId);
    iface._sawKeyPress = charLengthAt(string, 0) === string.length;
    iface.isCompletionEnabled = false;
    let length = 0;
    for (const character of string) {
      length += character.length;
      if (length === string.length) iface.isCompletionEnabled = true;
      try {
        stream[ESCAPE_DECODER].next(character);
        // A lone ESC at the end may be the escape key or the start of a sequence.
        if (length === string.length && character === kEscape) {
          timeoutId = setTimeout(flushEscape, iface.escapeCodeTimeout ?? kEscapeCodeTimeout);
        }
      } catch (err) {
        // A throwing 'keypress' listener ends the generator: start a new one.
        stream[ESCAPE_DECODER] = emitKeys(stream);
        stream[ESCAPE_DECODER].next();
        throw err;
      }
    }
  }

  function onNewListener(event) {
    if (event === 'keypress') {
      stream.on('data', onData);
      stream.removeListener('newListener', onNewListener);
    }
  }

  if (stream.listenerCount('keypress') > 0) stream.on('data', onData);
  else stream.on('newListener', onNewListener);
}

module.exports = { emitKeys, emitKeypressEvents, charLengthAt, kEscapeCodeTimeout };
