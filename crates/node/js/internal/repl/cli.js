'use strict';
// What the command line runs besides programs: the interactive REPL (`ferro` on a
// terminal, or `-i`) and `-c`'s syntax check.

const path = require('path');

function start() {
  const repl = require('repl');
  const Module = require('module');
  process.stdout.write(`Welcome to Node.js ${process.version}.\nType ".help" for more information.\n`);
  // Built-in modules are globals in the REPL, loaded on first use and replaceable.
  for (const name of repl.builtinModules) {
    if (name.includes('/') || Object.prototype.hasOwnProperty.call(globalThis, name)) continue;
    Object.defineProperty(globalThis, name, {
      configurable: true,
      enumerable: false,
      get() {
        const value = require(name);
        Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
        return value;
      },
      set(value) {
        Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
      },
    });
  }
  const context = Module.evalContext('<repl>');
  for (const [name, value] of [['module', context.module], ['require', context.require]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
  const replMode = process.env.NODE_REPL_MODE === 'strict' ? repl.REPL_MODE_STRICT : repl.REPL_MODE_SLOPPY;
  const server = repl.start({ prompt: '> ', useGlobal: true, ignoreUndefined: false, replMode });
  if (server.terminal) {
    const configured = process.env.NODE_REPL_HISTORY;
    const file = configured === undefined ? path.join(require('os').homedir(), '.node_repl_history') : configured.trim();
    if (file !== '') server.setupHistory(file);
  }
  server.on('exit', () => process.exit());
}

// Compiles the program without running it; a SyntaxError is thrown as the program's own.
function checkSyntax(file, stdinSource) {
  const binding = internalBinding('module');
  const resolver = require('internal/modules/resolve');
  let filename = '[stdin]';
  let source = stdinSource;
  if (file !== undefined) {
    const Module = require('module');
    try {
      filename = Module._resolveFilename(file, null, true);
    } catch (err) {
      if (err.code === 'MODULE_NOT_FOUND') err.requireStack = [];
      throw err;
    }
    source = binding.readFileUtf8(filename);
  }
  const module = /\.m[jt]s$/.test(filename) || (file !== undefined && /\.[jt]sx?$/.test(filename) && resolver.formatOf(filename) === 'module');
  if (module) {
    binding.compileModule(source, filename);
    return;
  }
  const { probeCommonJs } = require('module')[Symbol.for('ferro.syntaxErrors')];
  try {
    binding.compileFunction(source, filename);
  } catch (err) {
    // Code that only parses as an ES module is one, as Node detects it.
    if (!(err instanceof SyntaxError) || !binding.hasModuleSyntax(source, filename)) {
      throw withSourceArrow(err, filename, source, probeCommonJs);
    }
    try {
      binding.compileModule(source, filename);
    } catch (moduleErr) {
      throw withSourceArrow(moduleErr, filename, source);
    }
  }
}

// Node prints a parse error after "file:line", the line and carets under the offending
// token, which the loader finds by parsing prefixes with `probe` (see module.js); JSC gives
// the position as own properties, which Node's errors don't have.
function withSourceArrow(err, filename, source, probe = undefined) {
  if (!(err instanceof SyntaxError) || typeof err.line !== 'number') return err;
  const { awaitMayExplain, defineBannerStack, syntaxErrorSite } = require('module')[Symbol.for('ferro.syntaxErrors')];
  const { line, message } = err;
  for (const key of ['line', 'column', 'sourceURL']) delete err[key];
  const eager = probe !== undefined && awaitMayExplain(message, source);
  defineBannerStack(err, filename, () => syntaxErrorSite(source, line, message, probe), eager);
  return err;
}

module.exports = { start, checkSyntax };
