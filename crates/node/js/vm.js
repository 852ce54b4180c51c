'use strict';
// node:vm. A context is the global object of a new JSC context in ferro's context group
// (values pass between contexts as they are); a "contextified" one looks its named
// properties up on the user's sandbox object first (crates/jsc's vm section). Scripts are
// kept as source and compiled by the engine on each run, which caches compiled code itself.

const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_SCRIPT_EXECUTION_TIMEOUT,
  },
  validators: {
    validateArray,
    validateBoolean,
    validateInt32,
    validateObject,
    validateOneOf,
    validateString,
    validateUint32,
    kValidateObjectAllowArray,
    kValidateObjectAllowNullable,
  },
} = require('internal/errors');
const { isArrayBufferView } = require('internal/util/types');
const { caretLine, errorStack, installV8Stacks, kArrowMessage } = require('internal/stack_trace');
const binding = internalBinding('vm');
const { sourceLine } = internalBinding('errors');

const kDefaultFilename = 'evalmachine.<anonymous>';

const constants = Object.freeze(Object.assign(Object.create(null), {
  USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol('vm_dynamic_import_main_context_default'),
  DONT_CONTEXTIFY: Symbol('vm_context_no_contextify'),
}));

// Contextified object (or, for DONT_CONTEXTIFY, the global itself) → its context's global.
const globalOf = new WeakMap();

function isContext(object) {
  validateObject(object, 'object', kValidateObjectAllowArray);
  return globalOf.has(object);
}

function validateContext(contextifiedObject) {
  if (!isContext(contextifiedObject)) {
    throw new ERR_INVALID_ARG_TYPE('contextifiedObject', 'vm.Context', contextifiedObject);
  }
}

// The new context's Error constructors give V8-format stacks, its JSON.parse V8's
// messages and its functions V8's text, as the main context's do.
function prepareGlobal(global) {
  binding.bypassingSandboxes(() => {
    installV8Stacks(global);
    require('internal/json_parse').installJsonParse(global);
    internalBinding('module').installFunctionToString(global);
  });
}

function createContext(contextObject = {}, options = {}) {
  if (contextObject === constants.DONT_CONTEXTIFY) {
    validateContextOptions(options);
    const global = binding.makeContext();
    prepareGlobal(global);
    globalOf.set(global, global);
    return global;
  }
  validateObject(contextObject, 'object', kValidateObjectAllowArray);
  if (globalOf.has(contextObject)) return contextObject;
  validateContextOptions(options);
  const global = binding.makeContext(contextObject);
  prepareGlobal(global);
  globalOf.set(contextObject, global);
  return contextObject;
}

// Options of createContext: checked, then only accepted (one microtask queue, no origins).
function validateContextOptions(options) {
  validateObject(options, 'options');
  const { name, origin, codeGeneration, microtaskMode, importModuleDynamically } = options;
  if (name !== undefined) validateString(name, 'options.name');
  if (origin !== undefined) validateString(origin, 'options.origin');
  if (codeGeneration !== undefined) {
    validateObject(codeGeneration, 'options.codeGeneration');
    const { strings, wasm } = codeGeneration;
    if (strings !== undefined) validateBoolean(strings, 'options.codeGeneration.strings');
    if (wasm !== undefined) validateBoolean(wasm, 'options.codeGeneration.wasm');
  }
  validateOneOf(microtaskMode, 'options.microtaskMode', ['afterEvaluate', undefined]);
  validateImportModuleDynamically(importModuleDynamically);
}

function validateImportModuleDynamically(importModuleDynamically) {
  if (importModuleDynamically !== undefined && typeof importModuleDynamically !== 'function' &&
      importModuleDynamically !== constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) {
    throw new ERR_INVALID_ARG_TYPE('options.importModuleDynamically', 'function', importModuleDynamically);
  }
}

// runInNewContext's context options are spelled with a `context` prefix.
function newContextOptions(options) {
  if (options === undefined || typeof options === 'string') return {};
  validateObject(options, 'options');
  const { contextName: name, contextOrigin: origin, contextCodeGeneration: codeGeneration, microtaskMode } = options;
  const out = { microtaskMode };
  if (name !== undefined) validateString(name, 'options.contextName');
  if (origin !== undefined) validateString(origin, 'options.contextOrigin');
  if (codeGeneration !== undefined) validateObject(codeGeneration, 'options.contextCodeGeneration');
  return out;
}

// The last `//# name=value` magic comment of a source, as V8 records it.
function magicComment(source, name) {
  const pattern = new RegExp(`//[#@][ \\t]+${name}=[ \\t]*([^\\s'"]*)[ \\t]*$`, 'gm');
  let value;
  for (const match of source.matchAll(pattern)) value = match[1];
  return value;
}

function scriptOptions(options) {
  if (typeof options === 'string') options = { filename: options };
  else if (options === undefined) options = {};
  else validateObject(options, 'options');
  const {
    filename = kDefaultFilename,
    lineOffset = 0,
    columnOffset = 0,
    cachedData,
    produceCachedData = false,
    importModuleDynamically,
  } = options;
  validateString(filename, 'options.filename');
  validateInt32(lineOffset, 'options.lineOffset');
  validateInt32(columnOffset, 'options.columnOffset');
  if (cachedData !== undefined && !isArrayBufferView(cachedData)) {
    throw new ERR_INVALID_ARG_TYPE('options.cachedData', ['Buffer', 'TypedArray', 'DataView'], cachedData);
  }
  validateBoolean(produceCachedData, 'options.produceCachedData');
  validateImportModuleDynamically(importModuleDynamically);
  return { filename, lineOffset, columnOffset, cachedData, produceCachedData };
}

function runOptions(options) {
  if (options === undefined || typeof options === 'string') return { timeout: 0, displayErrors: true };
  validateObject(options, 'options');
  const { timeout, displayErrors = true, breakOnSigint = false } = options;
  if (timeout !== undefined) validateUint32(timeout, 'options.timeout', true);
  validateBoolean(displayErrors, 'options.displayErrors');
  validateBoolean(breakOnSigint, 'options.breakOnSigint');
  return { timeout: timeout ?? 0, displayErrors };
}

function isErrorLike(value) {
  return value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]';
}

// Node puts "file:line\nsource\n   ^\n\n" before the stack of an error leaving a script,
// from where it was thrown: its first stack frame. (Parse errors get theirs from
// decorateSyntaxError.)
function decorateErrorStack(err) {
  if (!isErrorLike(err) || err[kArrowMessage]) return;
  const stack = errorStack(err);
  const frame = typeof stack === 'string' && /^ {4}at (?:.* \()?(.+?):(\d+):(\d+)\)?$/m.exec(stack);
  if (!frame) return;
  const file = frame[1];
  const line = +frame[2];
  const column = +frame[3];
  const text = sourceLine(file, line);
  if (text === undefined) return;
  let caret = Math.max(0, (column || 1) - 1);
  const throwAt = text.lastIndexOf('throw', caret);
  if (throwAt !== -1) caret = throwAt;
  try {
    err.stack = `${file}:${line}\n${text}\n${caretLine(text, caret)}\n\n${errorStack(err)}`;
    Object.defineProperty(err, kArrowMessage, { value: true });
  } catch {
    // A frozen error keeps its stack.
  }
}

// A parse error of `code`, compiled from line lineOffset + 1, gets Node's banner with
// carets under the offending token, which the loader finds (see module.js) by parsing
// prefixes of the code as `probe(prefix)` does.
function decorateSyntaxError(err, code, filename, lineOffset, probe) {
  // (The error may come from another context: no instanceof.)
  if (!isErrorLike(err) || err.name !== 'SyntaxError' || typeof err.line !== 'number' || err[kArrowMessage]) {
    decorateErrorStack(err);
    return;
  }
  const { line, message } = err;
  delete err.sourceURL;
  delete err.line;
  delete err.column;
  const { awaitMayExplain, defineBannerStack, syntaxErrorSite } = require('module')[Symbol.for('ferro.syntaxErrors')];
  defineBannerStack(err, filename, () => {
    const site = syntaxErrorSite(code, line - lineOffset, message, (prefix) => probe(prefix));
    return { ...site, line: site.line + lineOffset };
  }, awaitMayExplain(message, code));
}

// Runs source in a context (the caller's when `global` is undefined).
function evaluate(global, source, filename, lineOffset, { timeout, displayErrors }) {
  try {
    return binding.evaluate(global, source, filename, lineOffset + 1, timeout);
  } catch (err) {
    if (timeout > 0 && binding.lastRunTimedOut()) throw new ERR_SCRIPT_EXECUTION_TIMEOUT(timeout);
    if (displayErrors) decorateErrorStack(err);
    throw err;
  }
}

// Node's Script extends its native ContextifyScript, which holds createCachedData.
class ContextifyScript {
  // The engine's compiled code cannot be serialized: an empty cache.
  createCachedData() {
    return Buffer.alloc(0);
  }

  runInContext(contextifiedObject, options) {
    return Script.prototype.runInContext.call(this, contextifiedObject, options);
  }
}

// runInContext(code, context) compiles in that context, whose SyntaxError it throws.
const kParsingGlobal = Symbol('kParsingGlobal');

function parsingGlobal(options) {
  return options !== null && typeof options === 'object' ? options[kParsingGlobal] : undefined;
}

function withParsingGlobal(options, global) {
  if (typeof options === 'string') return { filename: options, [kParsingGlobal]: global };
  if (options === undefined) return { [kParsingGlobal]: global };
  if (options !== null && typeof options === 'object') return { ...options, [kParsingGlobal]: global };
  return options;
}

class Script extends ContextifyScript {
  #source;
  #filename;
  #lineOffset;

  constructor(code, options = {}) {
    code = `${code}`;
    const { filename, lineOffset, columnOffset, cachedData, produceCachedData } = scriptOptions(options);
    super();
    // JSC takes no starting column: the first line is shifted by spaces instead.
    const source = columnOffset > 0 ? ' '.repeat(columnOffset) + code : code;
    const global = parsingGlobal(options);
    try {
      binding.checkSyntax(global, source, filename, lineOffset + 1);
    } catch (err) {
      const { checkSyntax } = require('module')[Symbol.for('ferro.syntaxErrors')];
      // Prefixes keep the spaces that stand for the column offset: Node's columns count
      // from the code's start.
      const probe = (prefix) => checkSyntax(source.slice(0, source.length - code.length) + prefix, global);
      decorateSyntaxError(err, code, filename, lineOffset, probe);
      throw err;
    }
    this.#source = source;
    this.#filename = filename;
    this.#lineOffset = lineOffset;
    this.sourceURL = magicComment(code, 'sourceURL');
    this.sourceMapURL = magicComment(code, 'sourceMappingURL');
    // There is no code cache to accept.
    if (cachedData !== undefined) this.cachedDataRejected = true;
    if (produceCachedData) {
      this.cachedDataProduced = true;
      this.cachedData = this.createCachedData();
    }
  }

  runInThisContext(options) {
    return evaluate(undefined, this.#source, this.#filename, this.#lineOffset, runOptions(options));
  }

  runInContext(contextifiedObject, options) {
    validateContext(contextifiedObject);
    const run = runOptions(options);
    return evaluate(globalOf.get(contextifiedObject), this.#source, this.#filename, this.#lineOffset, run);
  }

  runInNewContext(contextObject, options) {
    const context = createContext(contextObject, newContextOptions(options));
    return this.runInContext(context, options);
  }
}

function createScript(code, options) {
  return new Script(code, options);
}

function runInThisContext(code, options) {
  return createScript(code, options).runInThisContext(options);
}

function runInContext(code, contextifiedObject, options) {
  validateContext(contextifiedObject);
  const script = createScript(code, withParsingGlobal(options, globalOf.get(contextifiedObject)));
  return script.runInContext(contextifiedObject, options);
}

function runInNewContext(code, contextObject, options) {
  const context = createContext(contextObject, newContextOptions(options));
  return createScript(code, withParsingGlobal(options, globalOf.get(context))).runInContext(context, options);
}

function compileFunction(code, params = [], options = {}) {
  validateString(code, 'code');
  validateArray(params, 'params');
  params.forEach((param, i) => validateString(param, `params[${i}]`));
  validateObject(options, 'options');
  const { filename, lineOffset } = scriptOptions({ ...options, filename: options.filename === undefined ? '' : options.filename });
  const { parsingContext, contextExtensions = [] } = options;
  if (parsingContext !== undefined && (parsingContext === null || typeof parsingContext !== 'object' || !globalOf.has(parsingContext))) {
    throw new ERR_INVALID_ARG_TYPE('options.parsingContext', 'Context', parsingContext);
  }
  validateArray(contextExtensions, 'options.contextExtensions');
  contextExtensions.forEach((extension, i) => validateObject(extension, `options.contextExtensions[${i}]`, kValidateObjectAllowNullable));
  // The function's header shares the body's first line so that line numbers stay right
  // (the engine numbers a script's lines from 1 at least). Context extensions are scopes
  // around it, as `with` statements in a sloppy wrapper.
  const header = `function (${params.join(', ')}) {`;
  const scopes = contextExtensions.map((_, i) => `with (arguments[${i}]) `).join('');
  const head = contextExtensions.length === 0 ? `(${header}` : `(function () { ${scopes}return ${header}`;
  const source = `${head}${code}\n}${contextExtensions.length === 0 ? ')' : ' })'}`;
  const global = parsingContext === undefined ? undefined : globalOf.get(parsingContext);
  let made;
  try {
    made = evaluate(global, source, filename, lineOffset, { timeout: 0, displayErrors: false });
  } catch (err) {
    // Prefixes of the code follow the same head, the function left open.
    const { checkSyntax } = require('module')[Symbol.for('ferro.syntaxErrors')];
    decorateSyntaxError(err, code, filename, lineOffset, (prefix) => checkSyntax(`${head}${prefix}`, global));
    throw err;
  }
  return contextExtensions.length === 0 ? made : Reflect.apply(made, undefined, contextExtensions);
}

let measureMemoryWarned = false;

function measureMemory(options = {}) {
  if (!measureMemoryWarned) {
    measureMemoryWarned = true;
    process.emitWarning('vm.measureMemory is an experimental feature and might change at any time', 'ExperimentalWarning');
  }
  validateObject(options, 'options');
  const { mode = 'summary', execution = 'default' } = options;
  validateOneOf(mode, 'options.mode', ['summary', 'detailed']);
  validateOneOf(execution, 'options.execution', ['default', 'eager']);
  const { heapUsed, heapTotal } = process.memoryUsage();
  const result = { total: { jsMemoryEstimate: heapUsed, jsMemoryRange: [heapUsed, heapTotal] } };
  if (mode === 'detailed') {
    result.current = result.total;
    result.other = [];
  }
  return Promise.resolve(result);
}

module.exports = {
  Script,
  createContext,
  createScript,
  runInContext,
  runInNewContext,
  runInThisContext,
  isContext,
  compileFunction,
  measureMemory,
  constants,
};
