'use strict';
// assert.AssertionError and the messages it generates: "1 !== 2" for short primitives, a
// "+ actual - expected" diff for everything else the strict operators compare, and the
// older "a == b" / "should loosely deep-equal" forms for the loose ones.

const { inspect } = require('internal/util/inspect');
const { validators } = require('internal/errors');
const { kIsNodeError } = require('internal/stack_trace');
const { myersDiff, printMyersDiff } = require('internal/assert/myers_diff');

const kReadableOperator = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  partialDeepStrictEqual: 'Expected values to be partially and strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};

// Two primitives this short (quotes not counted) print as "a !== b".
const kMaxShortLength = 12;
// The loose messages cut each value after this many characters.
const kMaxLongLength = 512;
// "not" messages cut a value printed on more lines than this.
const kMaxLines = 50;

function isObject(value) {
  return typeof value === 'object' && value !== null;
}

function isError(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

// Generated messages show errors as "[Error: msg]": the error's enumerable properties,
// message and cause on an object with its prototype, but no stack.
function copyError(err) {
  const copy = Object.create(Object.getPrototypeOf(err));
  for (const key of Object.keys(err)) copy[key] = err[key];
  Object.defineProperty(copy, 'message', { value: err.message });
  if (Object.prototype.hasOwnProperty.call(err, 'cause')) {
    Object.defineProperty(copy, 'cause', { value: err.cause, writable: true, configurable: true });
  }
  return copy;
}

function inspectValue(value) {
  return inspect(value, {
    compact: false,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Infinity,
    showHidden: false,
    showProxy: false,
    sorted: true,
    getters: true,
  });
}

function terminalWidth() {
  const stderr = process.stderr;
  return stderr?.isTTY && stderr.columns > 0 ? stderr.columns : 80;
}

// Both values on one line: "a !== b", or the two lines with a caret under the first
// difference of two strings.
function singleLineDiff(actual, inspectedActual, expected, inspectedExpected, header) {
  let length = inspectedActual.length + inspectedExpected.length;
  if (typeof actual === 'string') length -= 2;
  if (typeof expected === 'string') length -= 2;
  if (length <= kMaxShortLength && (actual !== 0 || expected !== 0)) {
    return `${header}\n\n${inspectedActual} !== ${inspectedExpected}\n`;
  }
  let message = `${header}\n+ actual - expected\n\n+ ${inspectedActual}\n- ${inspectedExpected}\n`;
  if (typeof actual === 'string' && typeof expected === 'string' &&
      inspectedActual.length + inspectedExpected.length <= terminalWidth()) {
    let i = 0;
    while (i < inspectedActual.length && inspectedActual[i] === inspectedExpected[i]) i++;
    // A difference among the first characters needs no pointer.
    if (i >= 3 && i < inspectedActual.length) message += `${' '.repeat(i + 2)}^\n`;
  }
  return message;
}

// The message of strictEqual, deepStrictEqual and partialDeepStrictEqual.
function createErrDiff(actual, expected, operator, customMessage) {
  if (operator === 'strictEqual' &&
      ((isObject(actual) && isObject(expected)) || (typeof actual === 'function' && typeof expected === 'function'))) {
    operator = 'strictEqualObject';
  }
  const inspectedActual = inspectValue(actual);
  const inspectedExpected = inspectValue(expected);
  if (inspectedActual === inspectedExpected && isObject(actual) && isObject(expected)) {
    return `${customMessage || kReadableOperator.notIdentical}\n\n${inspectedActual}\n`;
  }
  const header = customMessage || kReadableOperator[operator];
  const actualLines = inspectedActual.split('\n');
  const expectedLines = inspectedExpected.split('\n');
  if (actualLines.length === 1 && expectedLines.length === 1 && (!isObject(actual) || !isObject(expected))) {
    return singleLineDiff(actual, inspectedActual, expected, inspectedExpected, header);
  }
  const diff = myersDiff(actualLines, expectedLines, isObject(actual));
  const { message, skipped } = printMyersDiff(diff);
  return `${header}\n+ actual - expected${skipped ? '\n... Skipped lines' : ''}\n\n${message}`;
}

// notStrictEqual / notDeepStrictEqual: the values are the same, so show one.
function createUnequalMessage(actual, operator) {
  let header = kReadableOperator[operator];
  if (operator === 'notStrictEqual' && (isObject(actual) || typeof actual === 'function')) {
    header = kReadableOperator.notStrictEqualObject;
  }
  const lines = inspectValue(actual).split('\n');
  if (lines.length > kMaxLines) {
    lines.length = kMaxLines - 3;
    lines[kMaxLines - 4] = '...';
  }
  if (lines.length === 1) return `${header}${lines[0].length > 5 ? '\n\n' : ' '}${lines[0]}`;
  return `${header}\n\n${lines.join('\n')}\n`;
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

// The loose operators and anything else ("1 == 2", "1 > 2").
function createLooseMessage(actual, expected, operator) {
  const inspectedActual = inspectValue(actual);
  const inspectedExpected = inspectValue(expected);
  const known = kReadableOperator[operator];
  if (operator === 'notDeepEqual' && inspectedActual === inspectedExpected) {
    return truncate(`${known}\n\n${inspectedActual}`, 2 * kMaxLongLength);
  }
  const shownActual = truncate(inspectedActual, kMaxLongLength);
  const shownExpected = truncate(inspectedExpected, kMaxLongLength);
  if (operator === 'deepEqual') {
    return `${known}\n\n${shownActual}\n\nshould loosely deep-equal\n\n${shownExpected}`;
  }
  const unequal = kReadableOperator[`${operator}Unequal`];
  if (unequal !== undefined) {
    return `${unequal}\n\n${shownActual}\n\nshould not loosely deep-equal\n\n${shownExpected}`;
  }
  return `${shownActual} ${operator} ${shownExpected}`;
}

function isDiffOperator(operator) {
  return operator === 'deepStrictEqual' || operator === 'strictEqual' || operator === 'partialDeepStrictEqual';
}

class AssertionError extends Error {
  constructor(options) {
    validators.validateObject(options, 'options');
    const { message, operator, stackStartFn, diff = 'simple' } = options;
    let { actual, expected } = options;
    if (message == null) {
      if (isError(actual)) actual = copyError(actual);
      if (isError(expected)) expected = copyError(expected);
    }
    let text;
    if (message != null) {
      text = isDiffOperator(operator) ? createErrDiff(actual, expected, operator, message) : String(message);
    } else if (isDiffOperator(operator)) {
      text = createErrDiff(actual, expected, operator);
    } else if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
      text = createUnequalMessage(actual, operator);
    } else {
      text = createLooseMessage(actual, expected, operator);
    }
    super(text);
    this.generatedMessage = !message;
    Object.defineProperty(this, 'name', {
      value: 'AssertionError',
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    this.diff = diff;
    Error.captureStackTrace(this, stackStartFn || new.target);
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  // Shallow, with long strings cut, as Node prints it.
  [inspect.custom](recurseTimes, ctx) {
    const { actual, expected } = this;
    // Node keeps what follows the first 512 characters.
    if (typeof actual === 'string' && actual.length > kMaxLongLength) this.actual = `${actual.slice(kMaxLongLength)}...`;
    if (typeof expected === 'string' && expected.length > kMaxLongLength) {
      this.expected = `${expected.slice(kMaxLongLength)}...`;
    }
    try {
      return inspect(this, { ...ctx, customInspect: false, depth: 0 });
    } finally {
      this.actual = actual;
      this.expected = expected;
    }
  }
}

// The stack header reads "AssertionError [ERR_ASSERTION]: ...", like Node's own errors.
Object.defineProperty(AssertionError.prototype, kIsNodeError, { get: () => true, configurable: true });

module.exports = { AssertionError };
