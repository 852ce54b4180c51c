'use strict';
// node:readline — line-by-line reading from any readable stream, with line editing,
// history and completion on terminals; question() takes a callback.

const { Interface: BaseInterface, kQuestionCancel, validateAbortSignal } = require('internal/readline/interface');
const { emitKeypressEvents } = require('internal/readline/keys');
const { cursorTo, moveCursor, clearLine, clearScreenDown } = require('internal/readline/callbacks');

function Interface(input, output, completer, terminal) {
  if (!(this instanceof Interface)) return new Interface(input, output, completer, terminal);
  BaseInterface.call(this, input, output, completer, terminal);
}
Object.setPrototypeOf(Interface.prototype, BaseInterface.prototype);
Object.setPrototypeOf(Interface, BaseInterface);

Interface.prototype.question = function question(query, options, cb) {
  cb = typeof options === 'function' ? options : cb;
  if (options !== null && typeof options === 'object') {
    const { signal } = options;
    if (signal) {
      validateAbortSignal(signal, 'options.signal');
      if (signal.aborted) return;
      const onAbort = () => this[kQuestionCancel]();
      signal.addEventListener('abort', onAbort, { once: true });
      const original = cb;
      cb = typeof original === 'function' ? (answer) => {
        signal.removeEventListener('abort', onAbort);
        return original(answer);
      } : original;
    }
  }
  if (typeof cb === 'function') this._question(query, cb);
};

// util.promisify(rl.question) resolves with the answer.
Object.defineProperty(Interface.prototype.question, require('util').promisify.custom, {
  enumerable: false,
  configurable: true,
  value(query, options) {
    return new Promise((resolve, reject) => {
      let cb = resolve;
      if (options?.signal) {
        if (options.signal.aborted) {
          const { AbortError } = require('internal/errors');
          return reject(new AbortError(undefined, { cause: options.signal.reason }));
        }
        options.signal.addEventListener('abort', () => {
          const { AbortError } = require('internal/errors');
          reject(new AbortError(undefined, { cause: options.signal.reason }));
        }, { once: true });
        cb = (answer) => resolve(answer);
      }
      this.question(query, options, cb);
    });
  },
});

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

module.exports = {
  Interface,
  clearLine,
  clearScreenDown,
  createInterface,
  cursorTo,
  emitKeypressEvents,
  moveCursor,
};
Object.defineProperty(module.exports, 'promises', {
  configurable: true,
  enumerable: true,
  get() {
    return require('readline/promises');
  },
});
