'use strict';
// node:test — the test runner's API. The module is the `test` function itself.

const { Test, Suite, TestContext, callerLocation, customAssertions } = require('internal/test_runner/test');
const { getHarness, peekHarness } = require('internal/test_runner/harness');
const { validateFunction, validateString } = require('internal/errors').validators;

// Where a new test or suite goes: the suite being built, else the running test, else the root.
function currentParent() {
  const harness = getHarness();
  if (harness.currentSuite ?? harness.currentTest) return harness.currentSuite ?? harness.currentTest;
  // After the file's synchronous code, a test with no other parent comes from an async
  // suite's function, after an await.
  return (harness.bootstrapped && harness.buildingSuites.at(-1)) || harness.root;
}

function create(Kind, name, options, fn, overrides) {
  const parent = currentParent();
  const loc = callerLocation();
  const test = parent.createSubtest(Kind, name, options, fn, { loc, overrides });
  // A test created while another runs becomes its subtest and starts; the others start
  // with their suite, or after the file has loaded.
  if (parent.type === 'test' && parent !== parent.root) return test.startPromise();
  return test.whenDone();
}

// `test`/`describe`/`it` with their `.skip`, `.todo`, `.only` and `.expectFailure` variants.
function makeApi(Kind, name) {
  const api = {
    [name](testName, options, fn) {
      return create(Kind, testName, options, fn);
    },
  }[name];
  for (const keyword of ['skip', 'todo', 'only', 'expectFailure']) {
    api[keyword] = (testName, options, fn) => create(Kind, testName, options, fn, { [keyword]: true });
  }
  return api;
}

const test = makeApi(Test, 'test');
const describe = makeApi(Suite, 'describe');
const it = makeApi(Test, 'it');

function hook(kind) {
  return {
    [kind](fn, options) {
      validateFunction(fn, 'fn');
      currentParent().addHook(kind, fn, options);
    },
  }[kind];
}

let mockTracker;
function getMock() {
  mockTracker ??= new (require('internal/test_runner/mock').MockTracker)();
  return mockTracker;
}

function getTestContext() {
  const running = peekHarness()?.currentTest;
  return running ? new TestContext(running) : undefined;
}

function run(options) {
  return require('internal/test_runner/runner').run(options);
}

const snapshot = {
  __proto__: null,
  setDefaultSnapshotSerializers(serializers) {
    require('internal/errors').validators.validateArray(serializers, 'serializers');
  },
  setResolveSnapshotPath(fn) {
    validateFunction(fn, 'fn');
  },
};

const assert = {
  __proto__: null,
  register(name, fn) {
    validateString(name, 'name');
    validateFunction(fn, 'fn');
    customAssertions.set(name, fn);
  },
};

// In Node's order, which Object.keys shows.
const api = {
  expectFailure: test.expectFailure,
  skip: test.skip,
  todo: test.todo,
  only: test.only,
  after: hook('after'),
  afterEach: hook('afterEach'),
  before: hook('before'),
  beforeEach: hook('beforeEach'),
  describe,
  getTestContext,
  it,
  run,
  suite: describe,
  test,
};
for (const [key, value] of Object.entries(api)) {
  delete test[key];
  test[key] = value;
}
Object.defineProperty(test, 'mock', { enumerable: true, configurable: true, get: getMock });
test.snapshot = snapshot;
test.assert = assert;
// What `ferro --test` runs.
Object.defineProperty(test, Symbol.for('ferro.test.cli'), { value: () => require('internal/test_runner/runner').main() });

module.exports = test;
