'use strict';
// V8's JSON.parse errors, for internal/json_parse: when the engine rejects a text, a small
// scanner finds the first error the way V8 reports it (position and kind), so that
// programs printing or testing the message see Node's.

// What the scanner reports besides a positioned message.
const END = 'end'; // the text ends where more was needed
const TOKEN = 'token'; // a character that cannot start or continue what is expected here

// Messages that V8 reports with their position.
const EXPECTED_PROPERTY_OR_BRACE = "Expected property name or '}' in JSON";
const EXPECTED_PROPERTY = 'Expected double-quoted property name in JSON';
const EXPECTED_COLON = "Expected ':' after property name in JSON";
const EXPECTED_COMMA_OR_BRACE = "Expected ',' or '}' after property value in JSON";
const EXPECTED_COMMA_OR_BRACKET = "Expected ',' or ']' after array element in JSON";
const TRAILING_CHARACTER = 'Unexpected non-whitespace character after JSON';
const UNTERMINATED_STRING = 'Unterminated string in JSON';
const CONTROL_CHARACTER = 'Bad control character in string literal in JSON';
const BAD_ESCAPE = 'Bad escaped character in JSON';
const BAD_UNICODE_ESCAPE = 'Bad Unicode escape in JSON';
const NO_NUMBER_AFTER_MINUS = 'No number after minus sign in JSON';
const UNTERMINATED_FRACTION = 'Unterminated fractional number in JSON';
const MISSING_EXPONENT = 'Exponent part is missing a number in JSON';
const UNEXPECTED_NUMBER = 'Unexpected number in JSON';
const UNEXPECTED_STRING = 'Unexpected string in JSON';

// Texts V8 names whole instead of pointing at a token (what String() makes of common
// mistakes: JSON.parse(undefined), JSON.parse({})...).
const WHOLE_TEXT_ERRORS = new Set(['undefined', 'NaN', 'Infinity', '[object Object]']);

// The error to throw for `err`, which the engine's parse threw: a SyntaxError with V8's
// message when `err` reports bad JSON, else `err` itself (a reviver's errors, stack
// overflow...).
function v8Error(err, text, { Error, SyntaxError, parse }) {
  if (!(err instanceof SyntaxError)) return err;
  const message = err.message;
  if (typeof message !== 'string' || !message.startsWith('JSON Parse error:')) return err;
  const found = findSyntaxError(text);
  // Text that scans as valid: a reviver threw it (the engine never calls one on bad text).
  if (found === null) return err;
  const error = new SyntaxError(v8Message(text, found));
  captureParseStack(error, Error, parse);
  const { kThrowSite } = require('internal/stack_trace');
  Object.defineProperty(error, kThrowSite, { value: throwSite(text, found) });
  return error;
}

// The banner Node prints above an uncaught JSON error: the text's line where the error is,
// with a caret under it (none when the text ended early).
function throwSite(text, found) {
  const at = found.reason === END ? text.length : found.at;
  const { line, lineStart } = position(text, at);
  const rest = text.slice(lineStart);
  const lineText = rest.slice(0, rest.search(/\r|\n|$/));
  const caret = found.reason === END ? '' : `${' '.repeat(at - lineStart)}^\n`;
  return `<anonymous_script>:${line}\n${lineText}\n${caret}`;
}

// V8's stack for the error: a `JSON.parse (<anonymous>)` frame, then the caller's frames.
// Error.stackTraceLimit counts the JSON.parse frame, as in V8.
function captureParseStack(error, ErrorConstructor, parse) {
  const limit = ErrorConstructor.stackTraceLimit;
  if (typeof limit !== 'number' || !(limit >= 1)) return;
  ErrorConstructor.stackTraceLimit = limit - 1;
  try {
    ErrorConstructor.captureStackTrace(error, parse);
  } finally {
    ErrorConstructor.stackTraceLimit = limit;
  }
  const captured = Object.getOwnPropertyDescriptor(error, 'stack');
  if (typeof captured?.get !== 'function') return;
  let text;
  Object.defineProperty(error, 'stack', {
    configurable: true,
    enumerable: false,
    get() {
      if (text === undefined) text = withParseFrame(captured.get.call(error), error);
      return text;
    },
    set: captured.set,
  });
}

// Inserts the JSON.parse frame after the stack's "name: message" header.
function withParseFrame(stack, error) {
  if (typeof stack !== 'string') return stack;
  const header = `${error.name}: ${error.message}`;
  if (!stack.startsWith(header)) return stack;
  return `${header}\n    at JSON.parse (<anonymous>)${stack.slice(header.length)}`;
}

function v8Message(text, found) {
  let { reason } = found;
  const { at } = found;
  if (reason === END) return 'Unexpected end of JSON input';
  if (reason === TOKEN) {
    // V8 names a token that starts a number or a string by its kind.
    const c = text[at];
    if (c === '-' || isDigit(c)) reason = UNEXPECTED_NUMBER;
    else if (c === '"') reason = UNEXPECTED_STRING;
    else if (WHOLE_TEXT_ERRORS.has(text)) return `"${text}" is not valid JSON`;
    else return `Unexpected token '${c}', ${excerpt(text, at)} is not valid JSON`;
  }
  return `${reason} at position ${at} (${lineAndColumn(text, at)})`;
}

// The text quoted whole when short, else the 10 characters either side of `at`, with
// "..." where it was cut.
function excerpt(text, at) {
  if (text.length <= 20) return `"${text}"`;
  const start = Math.max(0, at - 10);
  const end = at + 10;
  const before = at >= 10 ? '...' : '';
  const after = end < text.length ? '...' : '';
  return `${before}"${text.slice(start, end)}"${after}`;
}

// "line L column C", 1-based; a line ends at \n, \r or \r\n, as V8 counts.
function lineAndColumn(text, at) {
  const { line, lineStart } = position(text, at);
  return `line ${line} column ${at - lineStart + 1}`;
}

// The 1-based line of offset `at` and where that line starts.
function position(text, at) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\n' || c === '\r') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, lineStart };
}

const isDigit = (c) => c >= '0' && c <= '9';
const isHexDigit = (c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const SIMPLE_ESCAPES = '"\\/bfnrt';
const LITERALS = { t: 'true', f: 'false', n: 'null' };

// The first error in `text` as { reason, at }, or null when it is valid JSON. Iterative,
// so that deep nesting cannot overflow the stack.
function findSyntaxError(text) {
  const length = text.length;
  // Open containers, innermost last: '[' or '{'.
  const open = [];
  let i = skipWhitespace(text, 0);
  for (;;) {
    // A value starts at i.
    if (i >= length) return { reason: END, at: i };
    const c = text[i];
    let end;
    if (c === '"') {
      end = scanString(text, i);
    } else if (c === '-' || isDigit(c)) {
      end = scanNumber(text, i);
    } else if (c === 't' || c === 'f' || c === 'n') {
      end = scanLiteral(text, i, LITERALS[c]);
    } else if (c === '[') {
      i = skipWhitespace(text, i + 1);
      if (text[i] !== ']') {
        open.push('[');
        continue;
      }
      end = i + 1;
    } else if (c === '{') {
      i = skipWhitespace(text, i + 1);
      if (text[i] !== '}') {
        if (text[i] !== '"') return { reason: EXPECTED_PROPERTY_OR_BRACE, at: i };
        const next = scanPropertyName(text, i);
        if (typeof next !== 'number') return next;
        open.push('{');
        i = next;
        continue;
      }
      end = i + 1;
    } else {
      return { reason: TOKEN, at: i };
    }
    if (typeof end !== 'number') return end;
    // After a value: close containers until one continues with another value.
    i = skipWhitespace(text, end);
    for (;;) {
      const container = open[open.length - 1];
      if (container === undefined) {
        return i < length ? { reason: TRAILING_CHARACTER, at: i } : null;
      }
      const close = container === '[' ? ']' : '}';
      if (text[i] === close) {
        open.pop();
        i = skipWhitespace(text, i + 1);
        continue;
      }
      if (text[i] !== ',') {
        return { reason: container === '[' ? EXPECTED_COMMA_OR_BRACKET : EXPECTED_COMMA_OR_BRACE, at: i };
      }
      i = skipWhitespace(text, i + 1);
      if (container === '{') {
        if (text[i] !== '"') return { reason: EXPECTED_PROPERTY, at: i };
        const next = scanPropertyName(text, i);
        if (typeof next !== 'number') return next;
        i = next;
      }
      break;
    }
  }
}

// A property name and its colon, from the quote at `start`: the index of the value after
// them, or the error.
function scanPropertyName(text, start) {
  const end = scanString(text, start);
  if (typeof end !== 'number') return end;
  const colon = skipWhitespace(text, end);
  if (text[colon] !== ':') return { reason: EXPECTED_COLON, at: colon };
  return skipWhitespace(text, colon + 1);
}

function skipWhitespace(text, i) {
  for (;;) {
    const c = text[i];
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return i;
    i++;
  }
}

// Each scan* takes the index of the token's first character and returns the index after
// it, or the error.
function scanString(text, start) {
  const length = text.length;
  let i = start + 1;
  for (;;) {
    if (i >= length) return { reason: UNTERMINATED_STRING, at: i };
    const c = text[i];
    if (c === '"') return i + 1;
    if (c === '\\') {
      if (i + 1 >= length) return { reason: END, at: i + 1 };
      const escape = text[i + 1];
      if (escape === 'u') {
        for (let k = i + 2; k < i + 6; k++) {
          if (k >= length || !isHexDigit(text[k])) return { reason: BAD_UNICODE_ESCAPE, at: k };
        }
        i += 6;
      } else if (SIMPLE_ESCAPES.includes(escape)) {
        i += 2;
      } else {
        // V8 names only a Latin-1 character a bad escape; others are unexpected tokens.
        return { reason: escape.charCodeAt(0) <= 0xff ? BAD_ESCAPE : TOKEN, at: i + 1 };
      }
    } else if (c < ' ') {
      return { reason: CONTROL_CHARACTER, at: i };
    } else {
      i++;
    }
  }
}

function scanNumber(text, start) {
  let i = start;
  if (text[i] === '-') {
    i++;
    if (!isDigit(text[i])) return { reason: NO_NUMBER_AFTER_MINUS, at: i };
  }
  if (text[i] === '0') {
    i++;
    if (isDigit(text[i])) return { reason: UNEXPECTED_NUMBER, at: i };
  } else {
    i = skipDigits(text, i);
  }
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) return { reason: UNTERMINATED_FRACTION, at: i };
    i = skipDigits(text, i);
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) return { reason: MISSING_EXPONENT, at: i };
    i = skipDigits(text, i);
  }
  return i;
}

function skipDigits(text, i) {
  while (isDigit(text[i])) i++;
  return i;
}

function scanLiteral(text, start, literal) {
  for (let k = 0; k < literal.length; k++) {
    const i = start + k;
    if (i >= text.length) return { reason: END, at: i };
    if (text[i] !== literal[k]) return { reason: TOKEN, at: i };
  }
  return start + literal.length;
}

module.exports = { v8Error };
