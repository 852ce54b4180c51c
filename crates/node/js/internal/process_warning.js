'use strict';
// process.emitWarning and the default printing of warnings to stderr.

const codes = require('internal/lazy_codes');

let traceHintShown = false;

// What the options say about printing warnings: --no-warnings (or NODE_NO_WARNINGS=1),
// --disable-warning=<code or type>, --trace-warnings.
let printing;
function printingOptions() {
  if (printing !== undefined) return printing;
  const { hasFlag, optionValues } = require('internal/options');
  printing = {
    silent: process.env.NODE_NO_WARNINGS === '1' || hasFlag('--no-warnings'),
    disabled: new Set(optionValues('--disable-warning')),
    trace: hasFlag('--trace-warnings'),
  };
  return printing;
}

function printWarning(warning) {
  if (process.noDeprecation && warning.name === 'DeprecationWarning') return;
  const { silent, disabled, trace } = printingOptions();
  if (silent || disabled.has(warning.name) || (warning.code !== undefined && disabled.has(warning.code))) return;
  const code = warning.code ? `[${warning.code}] ` : '';
  if (trace || (warning.name === 'DeprecationWarning' && process.traceDeprecation)) {
    process.stderr.write(`(node:${process.pid}) ${code}${warning.stack}\n`);
    return;
  }
  let text = `(node:${process.pid}) ${code}${warning.name}: ${warning.message}\n`;
  if (typeof warning.detail === 'string') text += `${warning.detail}\n`;
  if (!traceHintShown) {
    traceHintShown = true;
    const kind = warning.name === 'DeprecationWarning' ? 'deprecation' : 'warnings';
    text += `(Use \`node --trace-${kind} ...\` to show where the warning was created)\n`;
  }
  process.stderr.write(text);
}

function emitWarning(warning, type, code, ctor) {
  let detail;
  if (type !== null && typeof type === 'object' && !Array.isArray(type)) {
    ({ type, code, detail } = type);
  } else if (typeof type === 'function') {
    type = undefined;
  } else if (typeof code === 'function') {
    code = undefined;
  }
  type ??= 'Warning';
  if (typeof type !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('type', 'string', type);
  if (typeof warning === 'string') {
    const err = new Error(warning);
    err.name = String(type);
    if (code !== undefined) err.code = code;
    if (detail !== undefined) err.detail = detail;
    warning = err;
  } else if (!(warning instanceof Error)) {
    throw new codes.ERR_INVALID_ARG_TYPE('warning', ['Error', 'string'], warning);
  }
  if (warning.name === 'DeprecationWarning') {
    if (process.noDeprecation) return;
    if (process.throwDeprecation) {
      process.nextTick(() => {
        throw warning;
      });
      return;
    }
  }
  process.nextTick(() => process.emit('warning', warning));
}

module.exports = { emitWarning, printWarning };
