'use strict';
// Default high water marks (process-wide, settable) and the option check shared by
// Readable, Writable, Duplex and Transform.

const { codes, validators } = require('internal/errors');

let defaultBytesHighWaterMark = 64 * 1024;
let defaultObjectHighWaterMark = 16;

function getDefaultHighWaterMark(objectMode) {
  return objectMode ? defaultObjectHighWaterMark : defaultBytesHighWaterMark;
}

function setDefaultHighWaterMark(objectMode, value) {
  validators.validateInteger(value, 'value', 0);
  if (objectMode) defaultObjectHighWaterMark = value;
  else defaultBytesHighWaterMark = value;
}

// options.highWaterMark wins; a Duplex side may also take its own key
// (readableHighWaterMark / writableHighWaterMark).
function getHighWaterMark(objectMode, options, duplexKey, isDuplex) {
  const hwm = options.highWaterMark != null ? options.highWaterMark :
    (isDuplex ? options[duplexKey] : null);
  if (hwm != null) {
    if (!Number.isInteger(hwm) || hwm < 0) {
      const name = isDuplex ? `options.${duplexKey}` : 'options.highWaterMark';
      throw new codes.ERR_INVALID_ARG_VALUE(name, hwm);
    }
    return Math.floor(hwm);
  }
  return getDefaultHighWaterMark(objectMode);
}

// Where Readable and Writable keep helpers that Duplex needs.
const kInternals = Symbol('kInternals');

module.exports = { getDefaultHighWaterMark, setDefaultHighWaterMark, getHighWaterMark, kInternals };
