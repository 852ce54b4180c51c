'use strict';
// JSON.parse with V8's error messages. The engine's own parse does the work; only when it
// throws does internal/json_parse_error rewrite the engine's SyntaxError into V8's.

// Replaces global.JSON.parse with a wrapper that looks like the original (name, length,
// not a constructor, same attributes). The error constructors are the context's, taken
// now: V8 throws its intrinsics even when a program replaces the globals.
function installJsonParse(global) {
  const engineParse = global.JSON.parse;
  const { Error, SyntaxError, TypeError } = global;
  const { parse } = {
    parse(text, reviver) {
      if (typeof text !== 'string') text = toText(text, TypeError);
      try {
        return engineParse(text, reviver);
      } catch (err) {
        // The scanner loads on the first error: startup pays only for this wrapper.
        throw require('internal/json_parse_error').v8Error(err, text, { Error, SyntaxError, parse });
      }
    },
  };
  Object.defineProperty(global.JSON, 'parse', { value: parse, writable: true, enumerable: false, configurable: true });
}

// ToString as V8 applies it to the text, with V8's message for a symbol.
function toText(value, TypeError) {
  if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
  return `${value}`;
}

module.exports = { installJsonParse };
