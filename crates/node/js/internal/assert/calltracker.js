'use strict';
// assert.CallTracker (deprecated, DEP0173): wraps functions to count their calls and
// verify() that each was called the expected number of times.

const { AssertionError } = require('internal/assert/assertion_error');
const { codes, validators } = require('internal/errors');

// Tracks calls when no function is given; its name is empty, so reports call it "calls".
const noop = Object.defineProperty(() => {}, 'name', { value: '' });

class CallTracker {
  // tracked function -> { name, expected, calls: [{ thisArg, arguments }] }
  #contexts = new Map();

  #context(tracked) {
    const context = this.#contexts.get(tracked);
    if (context === undefined) throw new codes.ERR_INVALID_ARG_VALUE('tracked', tracked, 'is not a tracked function');
    return context;
  }

  calls(fn, expected = 1) {
    if (typeof fn === 'number') {
      expected = fn;
      fn = noop;
    } else if (fn === undefined) {
      fn = noop;
    }
    validators.validateUint32(expected, 'expected', true);
    const context = { name: fn.name || 'calls', expected, calls: [] };
    // A proxy keeps the function's name and length.
    const tracked = new Proxy(fn, {
      apply(target, thisArg, args) {
        context.calls.push({ thisArg, arguments: args });
        return Reflect.apply(target, thisArg, args);
      },
    });
    this.#contexts.set(tracked, context);
    return tracked;
  }

  getCalls(tracked) {
    return this.#context(tracked).calls.slice();
  }

  reset(tracked) {
    if (tracked === undefined) {
      for (const context of this.#contexts.values()) context.calls = [];
      return;
    }
    this.#context(tracked).calls = [];
  }

  report() {
    const errors = [];
    for (const context of this.#contexts.values()) {
      const actual = context.calls.length;
      if (actual === context.expected) continue;
      errors.push({
        message: `Expected the ${context.name} function to be executed ${context.expected} time(s) but was ` +
          `executed ${actual} time(s).`,
        actual,
        expected: context.expected,
        operator: context.name,
        stack: new Error(),
      });
    }
    return errors;
  }

  verify() {
    const errors = this.report();
    if (errors.length === 0) return;
    const message = errors.length === 1 ? errors[0].message : 'Functions were not called the expected number of times';
    throw new AssertionError({ message, details: errors });
  }
}

module.exports = { CallTracker };
