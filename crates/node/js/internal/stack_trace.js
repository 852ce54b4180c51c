'use strict';
// Error stacks in V8's format. JSC writes `fn@file:line:col` lines without a header; Node
// programs and the packages they use expect "Error: msg\n    at fn (file:line:col)".

const { sourceLine } = internalBinding('errors');

// Files compiled inside a wrapper (CommonJS or ES module) → the wrapper's length, by
// which their line 1 columns are shifted.
const wrappedFiles = new Map();
// Files transpiled from TypeScript or JSX, whose positions map back to the original.
const mappedFiles = new Set();

// A line of the program's code: frames in ferro's built-ins keep the engine's columns and
// names, which saves reading their lines for every stack (their lines differ from Node's
// anyway).
function programLine(file, line) {
  return file.startsWith('node:') ? undefined : sourceLine(file, line);
}

// JSC frame: "name@file:line:col", "@file:line:col", "global code@..." or "[native code]".
const jscFrame = /^(?:([^@]*)@)?(.*?)(?::(\d+):(\d+))?$/;

// JSC points a call (`f(...)`, `a.b(...)`, `new X(...)`) at the end of what is called and,
// at the throw site, a failed `a.b` at the dot and an unknown name (`unresolved`) at its
// end; V8 points at the called name (`f`, `b`, `new`), the property name and the unknown
// name. Move the column where V8 puts it.
function v8Column(file, line, column, first, unresolved) {
  const text = programLine(file, line);
  if (text === undefined) return column;
  const at = column - 1;
  if (unresolved !== undefined && text.slice(at - unresolved.length, at) === unresolved) {
    return at - unresolved.length + 1;
  }
  if (/^\s*\(/.test(text.slice(at, at + 40))) {
    const before = text.slice(0, at);
    const match = /new\s+[\w$.]+\s*$/.exec(before) ?? /[\w$]+\s*$/.exec(before);
    if (match) return match.index + 1;
  } else if (!first) {
    return column;
  } else if (text[at] === '.' && /[\w$#]/.test(text[at + 1] ?? '')) {
    return column + 1;
  } else {
    // A source map may point at the constructor's name.
    const match = /new\s+$/.exec(text.slice(0, at));
    if (match) return match.index + 1;
  }
  return column;
}

// A JSC frame line → { name, file, line, column } in the user's coordinates (file is
// 'native' for built-in code, line/column undefined then).
function parseFrame(text, first, unresolved) {
  const match = jscFrame.exec(text);
  let name = match[1] || '';
  let file = match[2];
  let line;
  let column;
  if (file === '[native code]') file = 'native';
  if (match[3] !== undefined) {
    line = +match[3];
    column = +match[4];
    if (line === 1 && wrappedFiles.has(file)) column -= wrappedFiles.get(file);
    if (mappedFiles.has(file)) {
      const original = internalBinding('module').mapPosition(file, line, column);
      if (original !== undefined) [line, column] = original;
    }
    column = v8Column(file, line, column, first, unresolved);
  }
  if (name === 'ferroModuleWrapper') name = 'Object.<anonymous>';
  if (name === 'global code' || name === 'module code' || name === 'eval code') name = '';
  return { name, file, line, column };
}

// The frames of JSC stack lines. An async function called from a program shows twice in
// JSC: its body's frame (unnamed for an arrow), then one of the function starting it, at
// the end of the body: just past its `}` or its expression. V8 shows the body's frame only,
// under the function's name. (A call site instead points at what is called.)
function parseFrames(lines, unresolved) {
  const frames = lines.map((line, i) => parseFrame(line, i === 0, i === 0 ? unresolved : undefined));
  for (let i = 0; i + 1 < frames.length; i++) {
    const [body, starter] = [frames[i], frames[i + 1]];
    if (starter.file !== body.file || starter.line === undefined || (starter.name !== body.name && body.name !== '')) continue;
    const text = programLine(starter.file, starter.line);
    if (text === undefined) continue;
    const endOfBody = text[starter.column - 2] === '}' || /^[;,)\]]?$/.test(text[starter.column - 1] ?? '');
    if (!endOfBody) continue;
    body.name = starter.name;
    frames.splice(i + 1, 1);
  }
  // A module body resumed after a top-level await runs under the loader's coroutine step
  // alone, where V8 shows no frame below the module's.
  const last = frames[frames.length - 1];
  if (frames.length > 1 && last.name === 'step' && last.file === 'node:internal/modules/esm') frames.pop();
  return frames;
}

// The object V8 names before a built-in's frame (`at Array.forEach (<anonymous>)`), for
// the built-ins that call back into programs; JSC's frame gives the bare method name.
const builtinOwners = new Map([
  ...['forEach', 'map', 'filter', 'reduce', 'reduceRight', 'sort', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'from', 'toSorted']
    .map((name) => [name, 'Array']),
  ['parse', 'JSON'],
  ['stringify', 'JSON'],
]);

function frameText(frame) {
  if (frame.file === 'native') {
    const owner = builtinOwners.get(frame.name);
    const name = owner === undefined ? frame.name : `${owner}.${frame.name}`;
    return name ? `${name} (<anonymous>)` : '<anonymous>';
  }
  const location = frame.line === undefined ? frame.file : `${frame.file}:${frame.line}:${frame.column}`;
  return frame.name ? `${frame.name} (${location})` : location;
}

// V8's CallSite objects, for programs that set Error.prepareStackTrace (depd, callsites,
// source-map-support...). JSC reports less than V8: no receiver, type or method names.
class CallSite {
  #frame;
  constructor(frame) {
    this.#frame = frame;
  }
  getThis() { return undefined; }
  getTypeName() { return null; }
  getFunction() { return undefined; }
  getFunctionName() { return this.#frame.name || null; }
  getMethodName() { return null; }
  getFileName() { return this.#frame.file === 'native' ? undefined : this.#frame.file; }
  getScriptNameOrSourceURL() { return this.getFileName(); }
  getScriptHash() { return ''; }
  getLineNumber() { return this.#frame.line ?? null; }
  getColumnNumber() { return this.#frame.column ?? null; }
  getEnclosingLineNumber() { return this.getLineNumber(); }
  getEnclosingColumnNumber() { return this.getColumnNumber(); }
  getPosition() { return 0; }
  getEvalOrigin() { return undefined; }
  getPromiseIndex() { return null; }
  isToplevel() { return this.#frame.name === '' || this.#frame.name === 'Object.<anonymous>'; }
  isEval() { return false; }
  isNative() { return this.#frame.file === 'native'; }
  isConstructor() { return false; }
  isAsync() { return false; }
  isPromiseAll() { return false; }
  toString() { return frameText(this.#frame); }
}

// V8 names a constructor's frame `new X` where JSC gives `X`: a frame is a construction when
// its caller's frame points at a `new` or a `super(...)`.
function convertFrames(lines, unresolved) {
  const frames = parseFrames(lines, unresolved);
  for (let i = 0; i + 1 < frames.length; i++) {
    const caller = frames[i + 1];
    if (frames[i].name === '' || caller.line === undefined) continue;
    const text = programLine(caller.file, caller.line);
    if (text !== undefined && /^(?:new\s|super\s*\()/.test(text.slice(caller.column - 1, caller.column + 20))) {
      frames[i].name = `new ${frames[i].name}`;
    }
  }
  return frames.map((frame) => `    at ${frameText(frame)}`);
}

// Every JSC frame line holds an '@' (or is "[native code]"); a V8-style stack has a header.
function isJscStack(stack) {
  return stack === '' || stack.split('\n').every((line) => line === '[native code]' || line.includes('@'));
}

// Node's own errors (internal/errors) carry their code in the stack header.
const kIsNodeError = Symbol('kIsNodeError');

function header(err) {
  let name;
  let message;
  let code;
  try {
    name = err.name;
    message = err.message;
    if (err[kIsNodeError]) code = err.code;
  } catch {
    return 'Error';
  }
  name = name === undefined ? 'Error' : String(name);
  if (code !== undefined) name = `${name} [${code}]`;
  message = message === undefined ? '' : String(message);
  if (name === '') return message;
  if (message === '') return name;
  return `${name}: ${message}`;
}

const converted = new WeakMap();

// The engine's wording of its common errors → V8's, where the engine's message holds all
// V8's does (the property, the callee); anything else keeps the engine's words.
const propertyOfAccess = /(?:\.([\w$]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])$/;
function v8Message(message) {
  let match = /^(null|undefined) is not an object \(evaluating '([\s\S]*)'\)$/.exec(message);
  if (match !== null) {
    const [, value, expression] = match;
    const assignment = /^([\s\S]+?)\s*=(?!=)/.exec(expression);
    const property = propertyOfAccess.exec(assignment === null ? expression : assignment[1]);
    if (property === null || expression.endsWith('[Symbol.iterator]')) return message;
    const name = property[1] ?? property[2] ?? property[3] ?? property[4];
    return assignment === null
      ? `Cannot read properties of ${value} (reading '${name}')`
      : `Cannot set properties of ${value} (setting '${name}')`;
  }
  if ((match = /^Can't find variable: ([\w$]+)$/.exec(message)) !== null) return `${match[1]} is not defined`;
  if ((match = /^([\s\S]+) is not a function\. \(In '[\s\S]*', '[\s\S]*' is [\s\S]*\)$/.exec(message)) !== null) {
    return `${match[1]} is not a function`;
  }
  if ((match = /^[\s\S]+ is not a constructor \(evaluating 'new ([\w$.]+)\([\s\S]*\)'\)$/.exec(message)) !== null) {
    return `${match[1]} is not a constructor`;
  }
  if (/^Invalid mix of BigInt and other type in [\w ]+\.$/.test(message)) return 'Cannot mix BigInt and other types, use explicit conversions';
  return engineMessages.get(message) ?? message;
}
const engineMessages = new Map([
  ['Maximum call stack size exceeded.', 'Maximum call stack size exceeded'],
  ['Cannot convert a symbol to a string', 'Cannot convert a Symbol value to a string'],
  ['Right hand side of instanceof is not an object', "Right-hand side of 'instanceof' is not an object"],
  ['Array length must be a positive integer of safe magnitude.', 'Invalid array length'],
  ['URI error', 'URI malformed'],
  ['reduce of empty array with no initial value', 'Reduce of empty array with no initial value'],
  ['reduceRight of empty array with no initial value', 'Reduce of empty array with no initial value'],
  ['toFixed() argument must be between 0 and 100', 'toFixed() digits argument must be between 0 and 100'],
]);

// The unknown name a ReferenceError reports (`x is not defined`), whose throw site V8
// points at.
function unresolvedName(err) {
  try {
    return err.name === 'ReferenceError' ? /^([\w$]+) is not defined$/.exec(err.message)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

// Gives an engine error V8's message (its own `message`, which the stack's header reads).
function adoptV8Message(err) {
  const own = Object.getOwnPropertyDescriptor(err, 'message');
  if (own === undefined || !('value' in own) || typeof own.value !== 'string') return;
  const message = v8Message(own.value);
  if (message !== own.value) Object.defineProperty(err, 'message', { ...own, value: message });
}

// The V8-format stack of an error, or its own `stack` when the program set one.
function errorStack(err) {
  let stack;
  try {
    stack = err.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string') return stack;
  const cached = converted.get(err);
  if (cached !== undefined && cached.raw === stack) return cached.text;
  if (!isJscStack(stack)) return stack;
  try {
    adoptV8Message(err);
  } catch {
    // A message that can't be redefined stays.
  }
  const frames = stack === '' ? [] : convertFrames(limitFrames(stack.split('\n')), unresolvedName(err));
  const text = [header(err), ...frames].join('\n');
  converted.set(err, { raw: stack, text });
  return text;
}

// Gives an error the engine made (its own `stack` still in JSC's format) a V8-format
// stack, formatted on first read as V8 does. Called where such errors reach programs:
// catch clauses (`__ferro_caught(e)`, which the script rewrite puts first in each) and
// 'uncaughtException'/'unhandledRejection' listeners. Anything else is left alone, and
// nothing here may throw into the program's catch block.
function adoptV8Stack(err) {
  if (err === null || typeof err !== 'object') return;
  try {
    const own = Object.getOwnPropertyDescriptor(err, 'stack');
    if (own === undefined || !('value' in own) || typeof own.value !== 'string' || !isJscStack(own.value)) return;
    adoptV8Message(err);
    defineV8Stack(err, own.value === '' ? [] : own.value.split('\n'));
  } catch {
    // A revoked proxy, a frozen error: its stack stays as it is.
  }
}

// Drops the frames at the top of a JSC stack string that are not the program's: these
// wrappers, native code, and the constructors of Node's errors (Node hides those too).
function dropWrapperFrames(stack) {
  const lines = stack === '' ? [] : stack.split('\n');
  let first = 0;
  while (first < lines.length && isWrapperFrame(lines[first])) first++;
  return lines.slice(first);
}

function isWrapperFrame(line) {
  return line.includes('@node:internal/stack_trace:') || line.includes('@node:internal/errors:') || line.endsWith('@[native code]');
}

// The first Error.stackTraceLimit frames: the engine captures a few more (see
// installV8Stacks).
function limitFrames(frames) {
  const limit = Error.stackTraceLimit;
  return typeof limit === 'number' && limit >= 0 && frames.length > limit ? frames.slice(0, limit) : frames;
}

// Whether Error.prepareStackTrace is running.
let preparing = false;

// V8 formats a stack on first read, with the name and message the error has by then, and
// exposes it through an accessor; so does this.
function defineV8Stack(target, jscFrames) {
  // The limit when the stack was captured, as V8 applies it.
  const frames = limitFrames(jscFrames);
  let text;
  Object.defineProperty(target, 'stack', {
    configurable: true,
    enumerable: false,
    get() {
      if (text !== undefined) return text;
      const prepare = Error.prepareStackTrace;
      // Stacks read while Error.prepareStackTrace runs get the default format, as in V8.
      if (typeof prepare === 'function' && !preparing) {
        const unresolved = unresolvedName(target);
        const callSites = parseFrames(frames, unresolved).map((frame) => new CallSite(frame));
        preparing = true;
        try {
          text = prepare(target, callSites);
        } finally {
          preparing = false;
        }
      } else {
        text = [header(target), ...convertFrames(frames, unresolvedName(target))].join('\n');
      }
      return text;
    },
    set(value) {
      Object.defineProperty(target, 'stack', { value, writable: true, enumerable: false, configurable: true });
    },
  });
}

// Frames of the wrappers below at the top of a captured stack.
const kWrapperFrames = 2;

// Wraps the global error constructors so that errors made by programs carry V8-format
// stacks from the start, as code that parses `err.stack` expects. Errors the engine
// itself throws keep JSC's format until printed (errorStack converts them), caught or
// handed to a listener (adoptV8Stack).
function installV8Stacks(global) {
  const OriginalError = global.Error;
  const names = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];
  const wrappers = new Map();
  for (const name of names) {
    const Original = global[name];
    if (typeof Original !== 'function') continue;
    // A named function expression keeps `name` and the constructor's own frame identifiable.
    const Wrapped = {
      [name]: function (...args) {
        const err = Reflect.construct(Original, args, new.target ?? Wrapped);
        // Only the engine's AggregateError (Promise.any) should read the prototype message.
        if (name === 'AggregateError' && !Object.hasOwn(err, 'message')) {
          Object.defineProperty(err, 'message', { value: '', writable: true, configurable: true, enumerable: false });
        }
        const stack = err.stack;
        if (typeof stack === 'string') defineV8Stack(err, dropWrapperFrames(stack));
        return err;
      },
    }[name];
    Object.defineProperty(Wrapped, 'length', { value: Original.length });
    Object.defineProperty(Wrapped, 'prototype', { value: Original.prototype, writable: false });
    Object.defineProperty(Original.prototype, 'constructor', { value: Wrapped, writable: true, configurable: true, enumerable: false });
    wrappers.set(Original, Wrapped);
    Object.defineProperty(global, name, { value: Wrapped, writable: true, configurable: true, enumerable: false });
  }
  for (const [Original, Wrapped] of wrappers) {
    const parent = Object.getPrototypeOf(Original);
    Object.setPrototypeOf(Wrapped, wrappers.get(parent) ?? parent);
  }
  // V8's message for Promise.any's rejection; JSC leaves it empty.
  Object.defineProperty(global.AggregateError.prototype, 'message', { value: 'All promises were rejected', writable: true, configurable: true, enumerable: false });
  const ErrorWrapper = wrappers.get(OriginalError);
  // The engine reads the limit from its own constructor, and counts the frames of these
  // wrappers (the constructor and Reflect.construct) that are dropped afterwards: it
  // captures that many more, and the stacks are cut to the program's limit.
  let stackTraceLimit = OriginalError.stackTraceLimit;
  const setEngineLimit = (value) => {
    OriginalError.stackTraceLimit = typeof value === 'number' ? value + kWrapperFrames : value;
  };
  setEngineLimit(stackTraceLimit);
  Object.defineProperty(ErrorWrapper, 'stackTraceLimit', {
    configurable: true,
    enumerable: true,
    get: () => stackTraceLimit,
    set: (value) => {
      stackTraceLimit = value;
      setEngineLimit(value);
    },
  });
  const jscCaptureStackTrace = OriginalError.captureStackTrace;
  Object.defineProperty(ErrorWrapper, 'captureStackTrace', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function captureStackTrace(target, constructorOpt) {
      // Captured on a fresh object: JSC leaves real errors' stacks alone, and a target may
      // already hold a converted stack.
      const holder = {};
      Reflect.apply(jscCaptureStackTrace, OriginalError, [holder, constructorOpt]);
      if (typeof holder.stack === 'string') defineV8Stack(target, dropWrapperFrames(holder.stack));
    },
  });
}

// The caret line under a source line in that banner. Node keeps the source's tabs in the
// padding so the caret lines up, and builds the line in a fixed buffer of kCaretLineMax
// characters: a caret past it is not shown.
const kCaretLineMax = 1020;
function caretLine(text, caret) {
  let pad = '';
  for (let i = 0; i < caret && i < kCaretLineMax; i++) pad += text[i] === '\t' ? '\t' : ' ';
  return caret < kCaretLineMax ? `${pad}^` : pad;
}

// Marks errors whose stack already starts with the "file:line / source / caret" banner.
const kArrowMessage = Symbol('kArrowMessage');

// The uncaught-error banner of an error Node throws from its own JS, as Node prints it
// (its file, line and statement), where ferro's source differs.
const kThrowSite = Symbol('kThrowSite');

// A function from an error's stack to the text printed when it is fatal, as Node adds
// where an unhandled 'error' event was emitted.
const kEnhanceStack = Symbol('kEnhanceStack');

module.exports = { errorStack, adoptV8Stack, caretLine, installV8Stacks, wrappedFiles, mappedFiles, kArrowMessage, kIsNodeError, kThrowSite, kEnhanceStack };
