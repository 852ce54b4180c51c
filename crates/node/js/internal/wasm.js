'use strict';
// WebAssembly's promise-returning functions. The engine settles its own asynchronous
// compilation on a run loop of its own that ferro does not run, so those promises would
// never settle: here the module is compiled synchronously and the promise settles with it
// (a compile or link error rejects it). The streaming forms take a fetch Response, as Node's.

const { Module, Instance } = WebAssembly;

function compile(bytes) {
  return new Promise((resolve) => resolve(new Module(bytes)));
}

function instantiate(source, imports) {
  return new Promise((resolve) => {
    if (source instanceof Module) {
      resolve(new Instance(source, imports));
      return;
    }
    const module = new Module(source);
    resolve({ module, instance: new Instance(module, imports) });
  });
}

// The bytes of a Response (or a promise of one) holding a WebAssembly module.
async function responseBytes(source) {
  const response = await source;
  const { Response } = require('internal/fetch/index');
  if (!(response instanceof Response)) {
    const err = new (require('internal/errors').codes.ERR_INVALID_ARG_TYPE)('source', 'Response', response);
    // Node's wording, article included.
    err.message = err.message.replace('an instance of Response.', 'an instance of Response or an Promise resolving to Response.');
    throw err;
  }
  const type = response.headers.get('content-type');
  if (type !== 'application/wasm') throw new TypeError(`WebAssembly response has unsupported MIME type '${type}'`);
  if (!response.ok) throw new TypeError(`WebAssembly response has status code ${response.status}`);
  if (response.bodyUsed) throw new TypeError('WebAssembly response body has already been used');
  return response.arrayBuffer();
}

async function compileStreaming(source) {
  return new Module(await responseBytes(source));
}

async function instantiateStreaming(source, imports) {
  const module = new Module(await responseBytes(source));
  return { module, instance: new Instance(module, imports) };
}

module.exports = { compile, instantiate, compileStreaming, instantiateStreaming };
