'use strict';
// Bodies given to the Function constructor get the script rewrite programs' files get
// (runtime/src/esm.rs): catch clauses see engine errors in V8's words (template engines
// such as ejs compile their templates this way), `await` keeps the async context, and
// `import()` reaches ferro's module loader, resolving from the file that called the
// constructor, as Node does (CommonJS packages reach ES modules through
// `new Function('s', 'return import(s)')` so that bundlers leave the call alone).

const native = internalBinding('module');

// The file of the first frame outside the built-ins, from a V8-style stack whose frames
// read "at name (location)" or "at location", a location being "file:line:column".
function callerFile(stack) {
  for (const line of stack.split('\n').slice(1)) {
    const text = line.trim();
    const location = text.endsWith(')') ? text.slice(text.lastIndexOf('(') + 1, -1) : text.slice(3);
    const file = location.replace(/(?::\d+){1,2}$/, '');
    if (file.startsWith('file:')) return require('internal/url').fileURLToPath(file);
    if (file.startsWith('/')) return file;
  }
  return undefined;
}

// Makes the function `new.target`-constructing `EngineFunction(...args)` would, from the
// rewritten body; undefined when the rewrite leaves the body alone (the caller then builds
// it as usual).
function fromRewrittenBody(EngineFunction, args, newTarget, stack) {
  const body = `${args[args.length - 1]}`;
  const rewritten = native.rewriteFunctionBody(body);
  if (rewritten === undefined) return undefined;
  const [code, usesImport] = rewritten;
  if (code.includes('__ferro_ctx')) require('internal/util/async_context');
  if (!usesImport) return Reflect.construct(EngineFunction, [...args.slice(0, -1), code], newTarget);
  const params = args.slice(0, -1).map((p) => `${p}`).join(',');
  const referrer = callerFile(stack);
  const importDynamic = (specifier, options) => require('internal/modules/esm').importFrom(specifier, options, referrer);
  // The inner function is the one the spec's CreateDynamicFunction would make.
  const make = EngineFunction('__ferro_import', `return function anonymous(${params}\n) {\n${code}\n}`);
  return make(importDynamic);
}

module.exports = { fromRewrittenBody };
