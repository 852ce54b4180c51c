'use strict';
// The source text of the assert(...) call that failed, for "The expression evaluated to a
// falsy value:\n\n  assert(a === b)\n". Like Node, only the call's first line is shown.

const { sourceLine } = internalBinding('errors');

// "    at name (file:line:col)" or "    at file:line:col"; native frames have no position.
const frameLocation = /^\s*at (?:.*? \()?(.*?):(\d+):(\d+)\)?$/;

// File, line and column of the first non-native frame above `fn`.
function callerLocation(fn) {
  const holder = {};
  Error.captureStackTrace(holder, fn);
  const stack = holder.stack;
  if (typeof stack !== 'string') return undefined;
  for (const line of stack.split('\n').slice(1)) {
    if (line.endsWith('(native)')) continue;
    const match = frameLocation.exec(line);
    // Code without a position (eval, new Function) cannot be shown.
    return match === null ? undefined : { file: match[1], line: +match[2], column: +match[3] };
  }
  return undefined;
}

// Index just past the string, template or regular expression literal starting at `start`.
function skipLiteral(text, start) {
  const quote = text[start];
  let i = start + 1;
  let inClass = false;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (quote === '/') {
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) return i + 1;
    } else if (ch === quote) {
      return i + 1;
    }
    i++;
  }
  return i;
}

// Does a '/' at `i` start a regular expression (rather than divide)?
function startsRegExp(text, i) {
  let j = i - 1;
  while (j >= 0 && /\s/.test(text[j])) j--;
  return j < 0 || /[(,=:[!&|?{};+\-*%<>~^]/.test(text[j]);
}

// The end of the parenthesised argument list opening at `open`, or the end of the line.
function argumentsEnd(text, open) {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`' || (ch === '/' && text[i + 1] !== '/' && text[i + 1] !== '*' &&
        startsRegExp(text, i))) {
      i = skipLiteral(text, i);
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') return text.length;
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return text.length;
      i = close + 2;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return text.length;
}

// Walks back from the call's '(' over the callee: names, dots, `?.` and `[...]`.
function calleeStart(text, open) {
  let i = open;
  for (;;) {
    let j = i - 1;
    while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
    if (j < 0) return i;
    const ch = text[j];
    if (/[\w$]/.test(ch)) {
      while (j > 0 && /[\w$]/.test(text[j - 1])) j--;
      i = j;
    } else if (ch === '.' || ch === '?') {
      i = j;
    } else if (ch === ']') {
      let depth = 0;
      while (j >= 0) {
        if (text[j] === ']') depth++;
        else if (text[j] === '[' && --depth === 0) break;
        j--;
      }
      if (j < 0) return i;
      i = j;
    } else {
      return i;
    }
  }
}

// The code of the call to `fn` that is on the stack, or undefined when unknown.
function failedCallSource(fn) {
  const location = callerLocation(fn);
  if (location === undefined) return undefined;
  const text = sourceLine(location.file, location.line);
  if (text === undefined) return undefined;
  let open = location.column - 1;
  // The engine points at the argument list; some frames point at the callee instead.
  if (text[open] !== '(') {
    const next = text.indexOf('(', open);
    if (next === -1) return undefined;
    open = next;
  }
  const start = calleeStart(text, open);
  return text.slice(start, argumentsEnd(text, open)).trimEnd();
}

module.exports = { failedCallSource };
