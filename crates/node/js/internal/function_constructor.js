'use strict';
// `import()` in a body given to the Function constructor: CommonJS packages reach ES
// modules that way (`new Function('s', 'return import(s)')`) so that bundlers leave the
// call alone. The engine has no module loader behind such code, so the body is rewritten
// to call ferro's, resolving from the file that called the constructor, as Node does.

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

// Makes the function `EngineFunction(...args)` would, with its `import()`s going to the
// loader; undefined when the body has none (the caller then builds it as usual).
function withImport(EngineFunction, args, stack) {
  const body = `${args[args.length - 1]}`;
  const code = native.rewriteImports(body);
  if (code === undefined) return undefined;
  if (code.includes('__ferro_ctx')) require('internal/util/async_context');
  const params = args.slice(0, -1).map((p) => `${p}`).join(',');
  const referrer = callerFile(stack);
  const importDynamic = (specifier, options) => require('internal/modules/esm').importFrom(specifier, options, referrer);
  // The inner function is the one the spec's CreateDynamicFunction would make.
  const make = EngineFunction('__ferro_import', `return function anonymous(${params}\n) {\n${code}\n}`);
  return make(importDynamic);
}

module.exports = { withImport };
