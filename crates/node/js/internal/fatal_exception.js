'use strict';
// What happens to an exception nobody caught: 'uncaughtException' listeners, or Node's
// banner on stderr (source line, caret, the inspected error, the version) and exit code 1.

const { errorStack, adoptV8Stack, caretLine, kArrowMessage, kThrowSite, kEnhanceStack } = require('internal/stack_trace');
const { sourceLine } = internalBinding('errors');

function isError(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

// "file:line\nsource\n   ^\n" from the error's first stack frame.
function locationBanner(err) {
  if (!isError(err) || err[kArrowMessage]) return '';
  if (typeof err[kThrowSite] === 'string') return err[kThrowSite];
  const stack = errorStack(err);
  if (typeof stack !== 'string') return '';
  const frame = /^ {4}at (?:.* \()?(.+?):(\d+):(\d+)\)?$/m.exec(stack);
  if (frame === null) return '';
  const [, file, line, column] = frame;
  const text = sourceLine(file, +line);
  if (text === undefined) return '';
  // V8 marks the throw statement when there is one before the reported column.
  let caret = Math.max(0, column - 1);
  const throwAt = text.lastIndexOf('throw', caret);
  if (throwAt !== -1) caret = throwAt;
  return `${file}:${line}\n${text}\n${caretLine(text, caret)}\n`;
}

function describe(err) {
  const { inspect } = require('internal/util/inspect');
  if (isError(err)) return err[kArrowMessage] ? `${inspect(err)}\n` : `\n${inspect(err)}\n`;
  const text = typeof err === 'string' ? err : inspect(err);
  return `${text}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)\n`;
}

// node:domain's handler: it sees uncaught errors before 'uncaughtException' listeners and
// returns true when a domain took the error.
let uncaughtExceptionCapture = null;
function setUncaughtExceptionCapture(capture) {
  uncaughtExceptionCapture = capture;
}

// process.setUncaughtExceptionCaptureCallback(): takes uncaught errors instead of the
// 'uncaughtException' event.
let captureCallback = null;
function setCaptureCallback(fn) {
  const codes = require('internal/lazy_codes');
  if (fn === null) {
    captureCallback = null;
    return;
  }
  if (typeof fn !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('fn', ['function', 'null'], fn);
  if (captureCallback !== null) throw new codes.ERR_UNCAUGHT_EXCEPTION_CAPTURE_ALREADY_SET();
  if (uncaughtExceptionCapture !== null) throw new codes.ERR_DOMAIN_CALLBACK_NOT_AVAILABLE();
  captureCallback = fn;
}

// The stack printed for a fatal error: its own, with what Node adds for an unhandled
// 'error' event.
function enhanceStack(err) {
  const enhance = err[kEnhanceStack];
  if (typeof enhance !== 'function') return;
  const stack = errorStack(err);
  if (typeof stack !== 'string') return;
  Object.defineProperty(err, 'stack', { value: enhance(stack), writable: true, configurable: true, enumerable: false });
}

function printFatal(err) {
  let text;
  try {
    if (isError(err)) enhanceStack(err);
    // Node opens with a blank line when it prints a thrown non-error.
    text = (isError(err) ? '' : '\n') + locationBanner(err) + describe(err);
  } catch {
    text = `${String(err)}\n`;
  }
  process.stderr.write(`${text}\nNode.js ${process.version}\n`);
}

function onUncaughtException(err, fromPromise = false) {
  const origin = fromPromise ? 'unhandledRejection' : 'uncaughtException';
  adoptV8Stack(err);
  process.emit('uncaughtExceptionMonitor', err, origin);
  if (captureCallback !== null) {
    captureCallback(err);
    return;
  }
  if (uncaughtExceptionCapture !== null) {
    try {
      if (uncaughtExceptionCapture(err)) return;
    } catch (handlerError) {
      // Like Node when the exception handler itself throws: exit 7, no 'exit' event.
      printFatal(handlerError);
      process.reallyExit(7);
    }
  }
  if (process.listenerCount('uncaughtException') > 0) {
    process.emit('uncaughtException', err, origin);
    return;
  }
  printFatal(err);
  process.exitCode = 1;
  if (!process._exiting) {
    process._exiting = true;
    try {
      process.emit('exit', 1);
    } catch {
      // Node exits with the original failure even when an 'exit' listener throws.
    }
  }
  process.reallyExit(process.exitCode ?? 1);
}

module.exports = {
  onUncaughtException,
  setUncaughtExceptionCapture,
  setCaptureCallback,
  hasCaptureCallback: () => captureCallback !== null,
};
