'use strict';
// process.emitWarning and the default printing of warnings to stderr.

const codes = require('internal/lazy_codes');

let traceHintShown = false;
let listenerInstalled = false;

function printWarning(warning) {
  if (process.noDeprecation && warning.name === 'DeprecationWarning') return;
  const code = warning.code ? `[${warning.code}] ` : '';
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
  if (warning.name === 'DeprecationWarning' && process.noDeprecation) return;
  if (!listenerInstalled) {
    listenerInstalled = true;
    process.on('warning', printWarning);
  }
  process.nextTick(() => process.emit('warning', warning));
}

module.exports = { emitWarning };
