'use strict';

// Runs a file-system algorithm written once as a generator that yields the operations it
// needs ([name, ...args], answered with the result or thrown the error): synchronously with
// fs's *Sync functions, or asynchronously with fs.promises. `hooks` answers names that are
// not fs operations (a user callback, say), possibly with a promise in the async case.

function runSync(steps, hooks = {}) {
  const fs = require('fs');
  let step = steps.next();
  while (!step.done) {
    const [op, ...args] = step.value;
    let result;
    try {
      result = op in hooks ? hooks[op](...args) : fs[`${op}Sync`](...args);
    } catch (err) {
      step = steps.throw(err);
      continue;
    }
    step = steps.next(result);
  }
  return step.value;
}

async function runAsync(steps, hooks = {}) {
  const fsp = require('fs/promises');
  let step = steps.next();
  while (!step.done) {
    const [op, ...args] = step.value;
    let result;
    try {
      result = await (op in hooks ? hooks[op](...args) : fsp[op](...args));
    } catch (err) {
      step = steps.throw(err);
      continue;
    }
    step = steps.next(result);
  }
  return step.value;
}

module.exports = { runSync, runAsync };
