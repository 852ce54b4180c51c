'use strict';
// node:repl — a read-eval-print loop on top of readline: REPLServer evaluates each line
// (or block of lines, while the input is incomplete) as global code and prints the
// result with util.inspect. This engine has no separate contexts, so code always runs in
// the global scope: `context` is globalThis whatever `useGlobal` says.

const { Interface } = require('readline');
const { inspect } = require('internal/util/inspect');
const { errorStack } = require('internal/stack_trace');
const { validators } = require('internal/errors');
const { mentionsAwait, wrapTopLevelAwait } = require('internal/repl/await');

const REPL_MODE_SLOPPY = Symbol('repl-sloppy');
const REPL_MODE_STRICT = Symbol('repl-strict');
const CONTINUATION_PROMPT = '| ';

let evalCount = 0;

// A SyntaxError telling that the input is incomplete: the REPL reads more lines.
function Recoverable(err) {
  this.err = err;
}
Object.setPrototypeOf(Recoverable.prototype, SyntaxError.prototype);
Object.setPrototypeOf(Recoverable, SyntaxError);

function writer(obj) {
  return inspect(obj, writer.options);
}
writer.options = { ...inspect.defaultOptions, showProxy: true };

// Parser messages for input that ended too soon (JavaScriptCore's wording).
const INCOMPLETE_INPUT = /Unexpected end of script|Unterminated template|Unexpected EOF|Unterminated (?:string|regular expression|multiline comment)|Expected (?:'[)\]}]'|an opening|a closing)[^]*but found end of/;

function isRecoverableError(err, code) {
  if (!(err instanceof SyntaxError) || typeof err.message !== 'string') return false;
  if (INCOMPLETE_INPUT.test(err.message)) return true;
  // A string left open by a trailing backslash continues on the next line.
  return /Unterminated string|Invalid or unexpected token/.test(err.message) && /\\\n$/.test(code);
}

// Runs `code` as global script code (so declarations persist from line to line).
function runInGlobalScope(code, filename, strict) {
  const source = strict ? `'use strict'; ${code}` : code;
  return internalBinding('module').runScript(source, filename);
}

function defaultEval(code, context, file, cb) {
  const strict = this.replMode === REPL_MODE_STRICT;
  let result;
  let wrappedAwait = false;
  try {
    // `{ a: 1 }` is an object literal in the REPL, not a block.
    if (/^\s*\{/.test(code) && !/;\s*$/.test(code)) {
      try {
        result = runInGlobalScope(`(${code.replace(/\n$/, '')})\n`, file, strict);
        return cb(null, result);
      } catch (err) {
        if (!(err instanceof SyntaxError)) return cb(thrown(err));
      }
    }
    try {
      result = runInGlobalScope(code, file, strict);
    } catch (err) {
      if (!(err instanceof SyntaxError) || !mentionsAwait(code)) throw err;
      const wrapped = wrapTopLevelAwait(code);
      if (wrapped === undefined) throw err;
      try {
        result = runInGlobalScope(wrapped, file, strict);
      } catch (wrappedErr) {
        throw wrappedErr instanceof SyntaxError ? err : wrappedErr;
      }
      wrappedAwait = true;
    }
  } catch (err) {
    if (isRecoverableError(err, code)) return cb(new Recoverable(err));
    return cb(thrown(err));
  }
  if (!wrappedAwait) return cb(null, result);
  // The end of the input waits for this await (see the 'close' handler); a later await
  // finishing first lets it go.
  this._awaiting = true;
  const settle = (err, value) => {
    this._awaiting = false;
    cb(err, value);
    if (this._exitAfterAwait) {
      this._exitAfterAwait = false;
      this.emit('exit');
    }
  };
  result.then((completion) => settle(null, completion?.value), (err) => settle(thrown(err)));
}

// `throw null` and `throw undefined` reach the callback boxed, as its null means success.
class ThrownValue {
  constructor(value) {
    this.value = value;
  }
}
const thrown = (value) => (value === null || value === undefined ? new ThrownValue(value) : value);

function REPLServer(prompt, stream, eval_, useGlobal, ignoreUndefined, replMode) {
  if (!(this instanceof REPLServer)) {
    return new REPLServer(prompt, stream, eval_, useGlobal, ignoreUndefined, replMode);
  }
  let options;
  if (prompt !== null && typeof prompt === 'object') {
    options = { ...prompt };
    stream = options.stream || options.socket;
    eval_ = options.eval;
    useGlobal = options.useGlobal;
    ignoreUndefined = options.ignoreUndefined;
    prompt = options.prompt;
    replMode = options.replMode;
  } else {
    options = {};
  }
  const input = options.input ?? stream ?? process.stdin;
  const output = options.output ?? stream ?? process.stdout;
  const terminal = options.terminal ?? !!output.isTTY;
  prompt = prompt === undefined ? '> ' : prompt;

  Interface.call(this, {
    input,
    output,
    completer: options.completer ?? ((line, callback) => this.complete(line, callback)),
    terminal,
    historySize: options.historySize,
    prompt,
  });

  this.useColors = options.useColors ?? terminal;
  this.useGlobal = !!useGlobal;
  this.ignoreUndefined = !!ignoreUndefined;
  this.replMode = replMode ?? REPL_MODE_SLOPPY;
  this.breakEvalOnSigint = !!options.breakEvalOnSigint;
  this.editorMode = false;
  this.underscoreAssigned = false;
  this.underscoreErrAssigned = false;
  this.last = undefined;
  this.lastError = undefined;
  this.lines = [];
  this.context = globalThis;
  this.eval = eval_ ?? defaultEval;
  this.writer = options.writer ?? writer;
  if (this.writer === writer && this.useColors) {
    this.writer = (obj) => inspect(obj, { ...writer.options, colors: true });
  }
  this._initialPrompt = prompt;
  this._bufferedCommand = '';
  this._editorLines = [];
  this._sawSIGINT = false;
  this.commands = Object.create(null);
  defineDefaultCommands(this);
  this._defineUnderscores();
  this._defineImport();

  this.on('line', (line) => this._onReplLine(line));
  this._awaiting = false;
  this._exitAfterAwait = false;
  this.on('close', () => {
    if (this.terminal) this._writeToOutput('\n');
    if (this._awaiting) this._exitAfterAwait = true;
    else this.emit('exit');
  });
  this.on('SIGINT', () => this._onSIGINT());
  this.displayPrompt();
}
Object.setPrototypeOf(REPLServer.prototype, Interface.prototype);
Object.setPrototypeOf(REPLServer, Interface);

// `_` is the last result and `_error` the last uncaught error, until code assigns them.
REPLServer.prototype._defineUnderscores = function() {
  const repl = this;
  for (const [name, field, flag] of [['_', 'last', 'underscoreAssigned'], ['_error', 'lastError', 'underscoreErrAssigned']]) {
    Object.defineProperty(this.context, name, {
      configurable: true,
      get: () => repl[field],
      set: (value) => {
        Object.defineProperty(repl.context, name, { value, writable: true, enumerable: true, configurable: true });
        if (!repl[flag]) {
          repl[flag] = true;
          repl._writeToOutput(`Expression assignment to ${name} now disabled.\n`);
        }
      },
    });
  }
};

// import() in REPL code goes to the ES module loader, relative to the current directory.
REPLServer.prototype._defineImport = function() {
  if (typeof globalThis.__ferro_import === 'function') return;
  Object.defineProperty(globalThis, '__ferro_import', {
    configurable: true,
    writable: true,
    value: (specifier, options) => require('internal/modules/esm').importFrom(specifier, options, `${process.cwd()}/[repl]`),
  });
};

REPLServer.prototype.clearBufferedCommand = function clearBufferedCommand() {
  this._bufferedCommand = '';
};

REPLServer.prototype.displayPrompt = function displayPrompt(preserveCursor) {
  this.setPrompt(this._bufferedCommand.length > 0 ? CONTINUATION_PROMPT : this._initialPrompt);
  this.prompt(preserveCursor);
};

REPLServer.prototype.defineCommand = function defineCommand(keyword, cmd) {
  if (typeof cmd === 'function') cmd = { action: cmd };
  else validators.validateFunction(cmd?.action, 'cmd.action');
  this.commands[keyword] = cmd;
};

REPLServer.prototype.setupHistory = function setupHistory(historyFile, callback) {
  try {
    require('internal/repl/history').setup(this, historyFile);
  } catch (err) {
    if (typeof callback === 'function') return callback(err);
    throw err;
  }
  if (typeof callback === 'function') process.nextTick(callback, null, this);
};

REPLServer.prototype.resetContext = function resetContext() {
  this.lines = [];
  this.emit('reset', this.context);
};

REPLServer.prototype._onReplLine = function(line) {
  this._sawSIGINT = false;
  if (this.editorMode) {
    this._editorLines.push(line);
    return;
  }
  const trimmed = line.trim();
  if (trimmed[0] === '.' && trimmed[1] !== '.' && Number.isNaN(Number.parseFloat(trimmed))) {
    const match = /^\.([^\s]+)\s*(.*)$/.exec(trimmed);
    const command = match && this.commands[match[1]];
    if (command) {
      command.action.call(this, match[2]);
      return;
    }
    if (this._bufferedCommand.length === 0) {
      this.lines.push(line);
      this._writeToOutput('Invalid REPL keyword\n');
      this.displayPrompt();
      return;
    }
  }
  if (this._bufferedCommand.length === 0 && line === '') {
    this.displayPrompt();
    return;
  }
  this._evaluate(`${this._bufferedCommand}${line}\n`, line);
};

// Evaluates `code` (a whole statement or the lines so far of an incomplete one) and
// prints the outcome, or keeps the code to continue on the next line.
REPLServer.prototype._evaluate = function(code, line) {
  const filename = `REPL${++evalCount}`;
  this.eval(code, this.context, filename, (err, result) => {
    if (err instanceof Recoverable) {
      this._bufferedCommand = code;
      this.lines.push(line);
      this.displayPrompt();
      return;
    }
    this._bufferedCommand = '';
    // The session, as .save writes it, is what was typed, less the lines that failed.
    if (!err) this.lines.push(line);
    if (err) {
      this._printError(err instanceof ThrownValue ? err.value : err, filename, code);
    } else if (!(this.ignoreUndefined && result === undefined)) {
      if (!this.underscoreAssigned) this.last = result;
      this._writeToOutput(`${this.writer(result)}\n`);
    }
    if (!this.closed) this.displayPrompt();
  });
};

// "Uncaught " and the error as inspect shows it, without the REPL's own stack frames.
REPLServer.prototype._printError = function(err, filename, code) {
  if (!this.underscoreErrAssigned) this.lastError = err;
  // A parse error shows the line it is on and where.
  if (err instanceof SyntaxError && err.sourceURL === filename && typeof err.line === 'number') {
    const sourceLine = code.split('\n')[err.line - 1] ?? '';
    const column = Math.max(0, Math.min(sourceLine.length, (err.column ?? 1) - 1));
    this._writeToOutput(`${sourceLine}\n${' '.repeat(column)}^\n\nUncaught SyntaxError: ${err.message}\n`);
    return;
  }
  let text;
  const isError = err instanceof Error || (err !== null && typeof err === 'object' && typeof err.stack === 'string');
  if (isError && typeof err.stack === 'string') {
    // The error keeps the shorter stack, as `_error` then shows it.
    const trimmed = trimStack(errorStack(err), filename, err.constructor?.name);
    if (trimmed !== err.stack) {
      Object.defineProperty(err, 'stack', { value: trimmed, writable: true, configurable: true, enumerable: false });
    }
    text = this.writer(err);
    const bracketed = /^\[([^]*)\]$/.exec(text);
    if (bracketed) text = bracketed[1];
  } else {
    text = this.writer(err);
  }
  this._writeToOutput(`Uncaught ${text}\n`);
};

// The stack without the frames of the REPL's machinery: everything from the frame of the
// evaluated script's top level (or the first internal frame) on.
function trimStack(stack, filename, constructorName) {
  if (typeof stack !== 'string') return stack;
  const isFrame = (line) => /^\s+at /.test(line);
  // Like V8, leave out the frames of the error's own (subclass) constructor.
  const ownConstructor = typeof constructorName === 'string' && constructorName !== '' ? `    at new ${constructorName} (` : undefined;
  const topLevel = new RegExp(`^\\s+at (?:global code \\()?${filename}:\\d+:\\d+\\)?$`);
  const isMachinery = (line) => /\(native\)$|\(?node:(?:repl|readline|internal\/)/.test(line);
  // Frames without a location are the engine's (an implicit class constructor).
  const lines = stack.split('\n').filter((line) => !/^\s+at [^(]*\(\)$/.test(line) && !(ownConstructor && line.startsWith(ownConstructor)));
  // Cut at the script's own top level (the last frame of it: callbacks run inside it look
  // alike), or else where the REPL's machinery starts.
  let cut = lines.findLastIndex((line) => topLevel.test(line));
  if (cut === -1) cut = lines.findIndex((line) => isFrame(line) && isMachinery(line));
  return (cut === -1 ? lines : lines.slice(0, cut)).join('\n');
}

REPLServer.prototype._onSIGINT = function() {
  const hadInput = this.line.length > 0 || this._bufferedCommand.length > 0 || this.editorMode;
  this.clearLine();
  this.clearBufferedCommand();
  if (this.editorMode) {
    this.editorMode = false;
    this._editorLines = [];
  }
  if (!hadInput) {
    if (this._sawSIGINT) {
      this._sawSIGINT = false;
      this.close();
      return;
    }
    this._writeToOutput('(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n');
    this._sawSIGINT = true;
  } else {
    this._sawSIGINT = false;
  }
  this.displayPrompt();
};

// Editor mode (terminal only) ends with Ctrl+D, which evaluates what was typed.
REPLServer.prototype._ttyWrite = function(s, key) {
  if (this.editorMode && key?.ctrl && key.name === 'd') {
    this.editorMode = false;
    this._writeToOutput('\n');
    const lines = this._editorLines;
    if (this.line.length > 0) lines.push(this.line);
    this._editorLines = [];
    this.line = '';
    this.cursor = 0;
    if (lines.length === 0 || lines.every((l) => l.trim() === '')) {
      this.displayPrompt();
      return;
    }
    this._evaluate(`${lines.join('\n')}\n`, lines.join('\n'));
    return;
  }
  Interface.prototype._ttyWrite.call(this, s, key);
};

const KEYWORDS = [
  'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'let',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while',
  'with', 'yield',
];

// Tab completion: REPL commands, then `a.b.partial` properties, then global names.
REPLServer.prototype.complete = function complete(line, callback) {
  const command = /^\s*\.(\w*)$/.exec(line);
  if (command) {
    const names = Object.keys(this.commands).filter((n) => n.startsWith(command[1])).map((n) => `.${n}`);
    return callback(null, [names.sort(), `.${command[1]}`]);
  }
  const match = /(?:[A-Za-z_$][\w$]*\s*\.\s*)*[A-Za-z_$]?[\w$]*$/.exec(line);
  const expression = match ? match[0] : '';
  const dot = expression.lastIndexOf('.');
  const partial = expression.slice(dot + 1).trim();
  let names = [];
  if (dot === -1) {
    names = [...propertyNames(globalThis), ...KEYWORDS];
  } else {
    try {
      const target = runInGlobalScope(expression.slice(0, dot), `REPL${++evalCount}`, false);
      if (target !== null && target !== undefined) names = propertyNames(Object(target));
    } catch {
      // Not an expression we can evaluate: no completions.
    }
  }
  const found = [...new Set(names)].filter((n) => n.startsWith(partial) && /^[A-Za-z_$][\w$]*$/.test(n)).sort();
  callback(null, [found, partial]);
};

function propertyNames(object) {
  const names = [];
  for (let o = object; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
    names.push(...Object.getOwnPropertyNames(o));
  }
  return names;
}

function defineDefaultCommands(repl) {
  repl.defineCommand('break', {
    help: 'Sometimes you get stuck, this gets you out',
    action() {
      this.clearBufferedCommand();
      this.displayPrompt();
    },
  });
  repl.defineCommand('clear', {
    help: repl.useGlobal ? 'Alias for .break' : 'Break, and also clear the local context',
    action() {
      this.clearBufferedCommand();
      if (!this.useGlobal) {
        this._writeToOutput('Clearing context...\n');
        this.resetContext();
      }
      this.displayPrompt();
    },
  });
  repl.defineCommand('exit', {
    help: 'Exit the REPL',
    action() {
      this.close();
    },
  });
  repl.defineCommand('help', {
    help: 'Print this help message',
    action() {
      const names = Object.keys(this.commands).sort();
      const width = Math.max(...names.map((n) => n.length)) + 3;
      for (const name of names) {
        const help = this.commands[name].help;
        this._writeToOutput(help ? `.${name.padEnd(width)}${help}\n` : `.${name}\n`);
      }
      this._writeToOutput('\nPress Ctrl+C to abort current expression, Ctrl+D to exit the REPL\n');
      this.displayPrompt();
    },
  });
  repl.defineCommand('save', {
    help: 'Save all evaluated commands in this REPL session to a file',
    action(file) {
      if (!file) {
        this._writeToOutput('The "file" argument must be specified\n');
      } else {
        try {
          require('fs').writeFileSync(file, this.lines.join('\n'));
          this._writeToOutput(`Session saved to: ${file}\n`);
        } catch {
          this._writeToOutput(`Failed to save: ${file}\n`);
        }
      }
      this.displayPrompt();
    },
  });
  repl.defineCommand('load', {
    help: 'Load JS from a file into the REPL session',
    action(file) {
      if (!file) {
        this._writeToOutput('The "file" argument must be specified\n');
        this.displayPrompt();
        return;
      }
      const fs = require('fs');
      try {
        if (!fs.statSync(file).isFile()) {
          this._writeToOutput(`Failed to load: ${file} is not a valid file\n`);
        } else {
          const data = fs.readFileSync(file, 'utf8');
          this._evaluate(data.endsWith('\n') ? data : `${data}\n`, data.replace(/\n$/, ''));
        }
      } catch {
        this._writeToOutput(`Failed to load: ${file}\n`);
      }
      this.displayPrompt();
    },
  });
  if (repl.terminal) {
    repl.defineCommand('editor', {
      help: 'Enter editor mode',
      action() {
        this.editorMode = true;
        this._editorLines = [];
        this._writeToOutput('// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)\n');
      },
    });
  }
}

function start(prompt, source, eval_, useGlobal, ignoreUndefined, replMode) {
  return new REPLServer(prompt, source, eval_, useGlobal, ignoreUndefined, replMode);
}

// Whether `code` parses as a script.
function isValidSyntax(code) {
  try {
    // A function body never runs: parsing it is the check.
    Function(`if (false) {\n${code}\n}`);
    return true;
  } catch {
    return false;
  }
}

module.exports = {
  start,
  writer,
  REPLServer,
  REPL_MODE_SLOPPY,
  REPL_MODE_STRICT,
  Recoverable,
  isValidSyntax,
};

Object.defineProperty(module.exports, 'builtinModules', {
  configurable: true,
  enumerable: false,
  get() {
    return publicBuiltins();
  },
});

function publicBuiltins() {
  return require('module').builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));
}

// The older name (DEP0191), replaceable by assignment.
let builtinLibs;
Object.defineProperty(module.exports, '_builtinLibs', {
  configurable: true,
  enumerable: false,
  get: () => builtinLibs ?? publicBuiltins(),
  set(value) {
    builtinLibs = value;
  },
});
