'use strict';
// The test tree of node:test: Test (a test or subtest) and Suite (describe), how they
// run (hooks, timeouts, concurrency, filters), and their contexts. The harness reports them.

const { inspect } = require('internal/util/inspect');
const { codes, validators, kIsNodeError } = require('internal/errors');
const { validateFunction, validateObject, validateNumber } = validators;

const kCancelledByParent = 'cancelledByParent';
const kTestCodeFailure = 'testCodeFailure';
const kHookFailure = 'hookFailed';
const kSubtestsFailed = 'subtestsFailed';
const kTestTimeoutFailure = 'testTimeoutFailure';
const kUncaughtException = 'uncaughtException';
const kTestAborted = 'testAborted';

// Node's ERR_TEST_FAILURE: wraps what a test threw, with why it failed.
function TestFailure(cause, failureType, message) {
  message ??= typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : inspect(cause);
  const err = new Error(message);
  Object.defineProperty(err, kIsNodeError, { value: true });
  err.code = 'ERR_TEST_FAILURE';
  err.failureType = failureType;
  err.cause = cause;
  return err;
}
const isTestFailure = (err) => err instanceof Error && err.code === 'ERR_TEST_FAILURE' && 'failureType' in err;

// Durations as Node measures them: nanosecond clock readings, in milliseconds.
const now = () => globalThis.process.hrtime.bigint();
const msSince = (start) => Number(now() - start) / 1e6;

// Where the caller of a test-creating function is (the first frame outside the built-ins):
// { file, line, column } or undefined. The engine reports a call at its `(`; Node at the
// called name, which fixLocation finds in the source.
function callerLocation() {
  const holder = {};
  const previous = Error.prepareStackTrace;
  let sites;
  try {
    Error.prepareStackTrace = (_, callSites) => callSites;
    Error.captureStackTrace(holder);
    sites = holder.stack;
  } finally {
    Error.prepareStackTrace = previous;
  }
  if (!Array.isArray(sites)) return undefined;
  const site = sites.find((s) => {
    const file = s.getFileName();
    return file && !file.startsWith('node:');
  });
  if (site === undefined) return undefined;
  let file = site.getFileName();
  if (file.startsWith('file://')) file = require('internal/url').fileURLToPath(file);
  return { file, line: site.getLineNumber(), column: site.getColumnNumber(), fixed: false };
}

const sourceLines = new Map();
// Moves a location to the start of the called name, as V8 reports a call: the engine
// reports it elsewhere (at the `(`, or later in modules), so this looks back from there
// for the nearest `name(`.
function fixLocation(loc) {
  if (loc === undefined || loc.fixed) return loc;
  loc.fixed = true;
  let lines = sourceLines.get(loc.file);
  if (lines === undefined) {
    try {
      lines = require('fs').readFileSync(loc.file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    sourceLines.set(loc.file, lines);
  }
  const text = lines[loc.line - 1];
  if (text === undefined) return loc;
  for (let paren = text.lastIndexOf('(', loc.column - 1); paren >= 0; paren = text.lastIndexOf('(', paren - 1)) {
    let end = paren - 1;
    while (end >= 0 && /\s/.test(text[end])) end--;
    let start = end;
    while (start >= 0 && /[\w$]/.test(text[start])) start--;
    if (start < end) {
      loc.column = start + 2;
      break;
    }
    if (paren === 0) break;
  }
  return loc;
}

// This process's `--test-*` filters and default timeout, set by the harness.
let runOptions = {
  namePatterns: [],
  skipPatterns: [],
  timeout: Infinity,
};
function setRunOptions(options) {
  runOptions = { ...runOptions, ...options };
}

// The assertion functions of `t.assert`, which count toward `t.plan()`.
const assertNames = [
  'deepEqual', 'deepStrictEqual', 'doesNotMatch', 'doesNotReject', 'doesNotThrow', 'equal', 'fail',
  'ifError', 'match', 'notDeepEqual', 'notDeepStrictEqual', 'notEqual', 'notStrictEqual', 'ok',
  'partialDeepStrictEqual', 'rejects', 'strictEqual', 'throws',
];
const customAssertions = new Map();

function makeAssert(test) {
  const assert = require('assert');
  const target = Object.create(null);
  for (const name of assertNames) {
    if (typeof assert[name] !== 'function') continue;
    target[name] = function (...args) {
      test.assertionCount++;
      return assert[name].apply(this, args);
    };
  }
  // Snapshot testing is not implemented: these fail clearly rather than pass silently.
  for (const name of ['fileSnapshot', 'snapshot']) {
    target[name] = () => {
      throw new Error(`t.assert.${name}() is not supported by ferro`);
    };
  }
  for (const [name, fn] of customAssertions) {
    target[name] = function (...args) {
      test.assertionCount++;
      return fn.apply(target, args);
    };
  }
  return target;
}

class TestContext {
  #test;
  constructor(test) {
    this.#test = test;
  }
  get signal() {
    return this.#test.abortController.signal;
  }
  get name() {
    return this.#test.name;
  }
  get fullName() {
    return this.#test.fullName();
  }
  get filePath() {
    return this.#test.loc?.file;
  }
  get passed() {
    return this.#test.passed;
  }
  get error() {
    return this.#test.error;
  }
  get attempt() {
    return 0;
  }
  get assert() {
    this.#test.assertObject ??= makeAssert(this.#test);
    return this.#test.assertObject;
  }
  get mock() {
    this.#test.mockTracker ??= new (require('internal/test_runner/mock').MockTracker)();
    return this.#test.mockTracker;
  }
  diagnostic(message) {
    this.#test.diagnostics.push(String(message));
  }
  plan(count) {
    if (this.#test.planned !== undefined) throw new codes.ERR_INVALID_STATE('cannot set plan more than once');
    validateNumber(count, 'count', 0);
    this.#test.planned = count;
  }
  runOnly(value) {
    this.#test.runOnlySubtests = !!value;
  }
  skip(message) {
    this.#test.skipped = message === undefined ? true : String(message);
  }
  todo(message) {
    this.#test.todo = message === undefined ? true : String(message);
  }
  test(name, options, fn) {
    const test = this.#test;
    const loc = callerLocation();
    test.assertionCount++;
    return test.createSubtest(Test, name, options, fn, { loc }).startPromise();
  }
  // Runs at once (the test is running), before the subtests.
  before(fn, options) {
    const test = this.#test;
    test.addHook('before', fn, options);
    const hook = test.hooks.before.at(-1);
    test.beforeHookRuns ??= [];
    test.beforeHookRuns.push(
      test.runWithTimeout(hook.fn, this, [this], hook.timeout, hook.fn.length > 1).then(
        () => undefined,
        (err) => {
          const failure = isTestFailure(err) ? err : new TestFailure(err, kHookFailure, 'failed running before hook');
          test.fail(failure);
          return failure;
        },
      ),
    );
  }
  after(fn, options) {
    this.#test.addHook('after', fn, options);
  }
  beforeEach(fn, options) {
    this.#test.addHook('beforeEach', fn, options);
  }
  afterEach(fn, options) {
    this.#test.addHook('afterEach', fn, options);
  }
  waitFor(condition, options = {}) {
    validateFunction(condition, 'condition');
    validateObject(options, 'options');
    const { interval = 50, timeout = 1000 } = options;
    const start = now();
    return new Promise((resolve, reject) => {
      const attempt = async () => {
        try {
          resolve(await condition());
        } catch (err) {
          if (msSince(start) >= timeout) reject(err);
          else setTimeout(attempt, interval);
        }
      };
      attempt();
    });
  }
}

class SuiteContext {
  #suite;
  constructor(suite) {
    this.#suite = suite;
  }
  get signal() {
    return this.#suite.abortController.signal;
  }
  get name() {
    return this.#suite.name;
  }
  get fullName() {
    return this.#suite.fullName();
  }
  get filePath() {
    return this.#suite.loc?.file;
  }
}

// Whether a pattern matches the test's name or its full name.
function matchesPatterns(patterns, test) {
  return patterns.some((p) => p.test(test.name) || p.test(test.fullName()));
}

// Normalises test(name, options, fn)'s optional arguments.
function parseArguments(name, options, fn) {
  if (typeof name === 'function') {
    fn = name;
    name = fn.name || '<anonymous>';
    options = {};
  } else if (typeof name === 'object' && name !== null) {
    fn = typeof options === 'function' ? options : fn;
    options = name;
    name = fn?.name || '<anonymous>';
  } else {
    if (typeof options === 'function') {
      fn = options;
      options = {};
    }
    options ??= {};
    if (name === undefined || name === '') name = fn?.name || '<anonymous>';
    else name = String(name);
  }
  // Options that are no object are ignored, as Node does.
  if (options === null || typeof options !== 'object') options = {};
  return { name, options, fn };
}

class Test {
  constructor(parent, name, options, fn, extra = {}) {
    this.parent = parent;
    this.root = parent ? parent.root : this;
    this.name = name;
    this.fn = fn;
    this.loc = extra.loc;
    this.nesting = parent ? parent.nesting + 1 : -1;
    this.subtests = [];
    this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
    this.diagnostics = [];
    this.assertionCount = 0;
    this.planned = options.plan;
    this.only = !!options.only;
    this.skipped = options.skip ? (typeof options.skip === 'string' ? options.skip : true) : false;
    this.todo = options.todo ? (typeof options.todo === 'string' ? options.todo : true) : false;
    // The tests of a todo suite are todo too.
    if (this.todo === false && parent?.type === 'suite' && parent.todo !== false) this.todo = true;
    this.expectFailure = !!options.expectFailure;
    const inheritedTimeout = parent ? parent.timeout : runOptions.timeout;
    if (options.timeout !== undefined && options.timeout !== Infinity) validateNumber(options.timeout, 'options.timeout', 0, 2147483647);
    this.timeout = options.timeout ?? inheritedTimeout;
    const concurrency = options.concurrency;
    if (concurrency !== undefined && typeof concurrency !== 'boolean' && typeof concurrency !== 'number') {
      throw new codes.ERR_INVALID_ARG_TYPE('options.concurrency', ['boolean', 'number'], concurrency);
    }
    if (concurrency === true) this.concurrency = Infinity;
    else if (typeof concurrency === 'number') this.concurrency = concurrency;
    else this.concurrency = 1;
    if (options.signal !== undefined) validateObject(options.signal, 'options.signal');
    this.abortController = new AbortController();
    if (options.signal) {
      const outer = options.signal;
      if (outer.aborted) this.abortController.abort(outer.reason);
      else outer.addEventListener('abort', () => this.abortWith(outer.reason), { once: true });
    }
    this.runOnlySubtests = parent ? parent.runOnlySubtests : false;
    this.state = 'pending'; // pending, running, done
    this.passed = false;
    this.error = undefined;
    this.duration = 0;
    this.activeSubtests = 0;
    this.queuedSubtests = [];
    this.reportIndex = 0;
    this.startReported = parent === undefined;
    this.filteredOut = false;
    if (parent && this.runOnlySubtests && !this.only) this.filteredOut = true;
    this.skippedByPattern = parent !== undefined && matchesPatterns(runOptions.skipPatterns, this);
    if (parent && (this.skippedByPattern || !this.matchesNamePatterns())) this.filteredOut = true;
  }

  get type() {
    return 'test';
  }

  fullName() {
    const names = [];
    for (let t = this; t && t.parent; t = t.parent) names.unshift(t.name);
    return names.join(' > ');
  }

  // Whether `--test-name-pattern` keeps the test: it, or an ancestor, matches.
  matchesNamePatterns() {
    if (runOptions.namePatterns.length === 0) return true;
    for (let t = this; t && t.parent; t = t.parent) {
      if (matchesPatterns(runOptions.namePatterns, t)) return true;
    }
    return false;
  }

  createSubtest(Kind, name, options, fn, extra) {
    const args = parseArguments(name, options, fn);
    const test = new Kind(this, args.name, { ...args.options, ...extra.overrides }, args.fn, extra);
    this.subtests.push(test);
    this.root.harness?.onSubtestCreated(test);
    return test;
  }

  addHook(kind, fn, options = {}) {
    validateFunction(fn, 'fn');
    validateObject(options, 'options');
    this.hooks[kind].push({ kind, fn, timeout: options.timeout ?? this.timeout });
  }

  // The promise that settles when the test is done.
  whenDone() {
    this.donePromise ??= new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    return this.donePromise;
  }

  // Starts the test (once) when its parent's concurrency allows.
  startPromise() {
    if (!this.scheduled) {
      this.scheduled = true;
      const parent = this.parent;
      if (parent.activeSubtests < parent.concurrency) this.start();
      else parent.queuedSubtests.push(this);
    }
    return this.whenDone();
  }

  async start() {
    const parent = this.parent;
    parent.activeSubtests++;
    try {
      // A failed `t.before` hook of the parent fails its subtests.
      for (const run of parent.beforeHookRuns ?? []) {
        const failure = await run;
        if (failure) this.fail(failure);
      }
      await this.run();
    } finally {
      parent.activeSubtests--;
      this.whenDone();
      this.resolveDone();
      const next = parent.queuedSubtests.shift();
      if (next) next.start();
    }
  }

  // Runs fn with a timeout; rejects on throw, rejection, done(err) or timeout.
  runWithTimeout(fn, thisArg, args, timeout, acceptsDone) {
    const harness = this.root.harness;
    return new Promise((resolve, reject) => {
      let timer;
      const finish = (err) => {
        if (timer) clearTimeout(timer);
        if (err !== undefined) reject(err);
        else resolve();
      };
      // An uncaught error attributed to this test ends it at once.
      this.stopRunning = finish;
      if (timeout !== Infinity && timeout !== undefined) {
        timer = setTimeout(() => {
          const err = new TestFailure(`test timed out after ${timeout}ms`, kTestTimeoutFailure);
          finish(err);
        }, timeout);
        timer.unref?.();
      }
      // test()/it()/hooks called synchronously by fn belong to this test.
      const previous = harness?.currentTest;
      if (harness) harness.currentTest = this;
      try {
        if (acceptsDone) {
          let called = false;
          const done = (err) => {
            if (called) {
              this.fail(new TestFailure('callback invoked multiple times', kTestCodeFailure));
              return;
            }
            called = true;
            finish(err == null ? undefined : err);
          };
          const result = fn.call(thisArg, ...args, done);
          if (result && typeof result.then === 'function') {
            result.then(() => {}, () => {});
            finish(new TestFailure('passed a callback but also returned a Promise', kTestCodeFailure));
          }
        } else {
          const result = fn.apply(thisArg, args);
          if (result && typeof result.then === 'function') {
            result.then(() => finish(), (err) => finish(err === undefined ? new TestFailure('undefined', kTestCodeFailure) : err));
          } else {
            finish();
          }
        }
      } catch (err) {
        finish(err === undefined ? new TestFailure('undefined', kTestCodeFailure) : err);
      } finally {
        if (harness) harness.currentTest = previous;
      }
    });
  }

  async runHook(hook, context) {
    try {
      await this.runWithTimeout(hook.fn, context, [context], hook.timeout, hook.fn.length > 1);
      return true;
    } catch (err) {
      this.fail(isTestFailure(err) ? err : new TestFailure(err, kHookFailure, `failed running ${hook.kind} hook`));
      return false;
    }
  }

  // The ancestors' hooks of a kind, level by level: outermost level first unless `innermostFirst`.
  ancestorHooks(kind, innermostFirst = false) {
    const levels = [];
    for (let t = this.parent; t; t = t.parent) levels.push(t.hooks[kind]);
    if (!innermostFirst) levels.reverse();
    return levels.flat();
  }

  // Ancestors' beforeEach hooks run outermost first; afterEach hooks innermost first.
  async runBeforeEachHooks(context) {
    for (const hook of this.ancestorHooks('beforeEach')) {
      if (!(await this.runHook(hook, context))) return false;
    }
    return true;
  }

  async runAfterEachHooks(context) {
    for (const hook of this.ancestorHooks('afterEach', true)) await this.runHook(hook, context);
  }

  async run() {
    this.state = 'running';
    this.startTime = now();
    const harness = this.root.harness;
    if (this.filteredOut) {
      this.finish();
      return;
    }
    const context = new TestContext(this);
    if (this.parent.abortController.signal.aborted && !this.error) {
      this.fail(new TestFailure('test did not finish before its parent and was cancelled', kCancelledByParent));
    }
    if (this.skipped || this.error) {
      this.passed = !this.error;
      this.finish();
      return;
    }
    try {
      // Awaiting only when there are hooks starts the test's function synchronously.
      const beforeEachOk = this.ancestorHooks('beforeEach').length === 0 || (await this.runBeforeEachHooks(context));
      if (beforeEachOk) {
        if (!this.error) {
          try {
            if (typeof this.fn === 'function') {
              await this.runWithTimeout(this.fn, context, [context], this.timeout, this.fn.length >= 2);
            }
          } catch (err) {
            this.fail(err, isTestFailure(err) ? err.failureType : kTestCodeFailure);
          }
        }
        await this.waitForSubtests();
        if (this.planned !== undefined && !this.error && this.assertionCount !== this.planned) {
          this.fail(new TestFailure(`plan expected ${this.planned} assertions but received ${this.assertionCount}`, kTestCodeFailure));
        }
      }
      // The ancestors' afterEach hooks run before the test's own after hooks.
      if (this.ancestorHooks('afterEach').length > 0) await this.runAfterEachHooks(context);
      for (const hook of this.hooks.after) await this.runHook(hook, context);
    } finally {
      this.mockTracker?.reset();
    }
    this.finish();
  }

  async waitForSubtests() {
    while (this.subtests.some((t) => t.state !== 'done')) {
      await Promise.all(this.subtests.map((t) => t.startPromise()));
    }
    const failed = this.subtests.filter((t) => !t.passed && !t.isTodo() && t.error).length;
    if (failed > 0 && !this.error) {
      this.fail(new TestFailure(`${failed} subtest${failed === 1 ? '' : 's'} failed`, kSubtestsFailed));
    }
  }

  isTodo() {
    return this.todo !== false;
  }

  fail(err, failureType = kTestCodeFailure) {
    if (this.error !== undefined) return;
    if (!isTestFailure(err)) err = new TestFailure(err, failureType);
    this.error = err;
    this.passed = false;
  }

  // The `signal` option aborted: the reason itself is the failure, as in Node.
  abortWith(reason) {
    if (this.state === 'done') return;
    if (reason !== null && typeof reason === 'object' && this.error === undefined) {
      reason.failureType = kTestAborted;
      this.error = reason;
    } else {
      this.fail(reason, kTestAborted);
    }
    this.abortController.abort(reason);
    this.stopRunning?.(this.error);
  }

  finish() {
    if (this.state === 'done') return;
    if (this.expectFailure) {
      if (this.error) this.error = undefined;
      else this.error = new TestFailure('test was expected to fail but passed', 'expectedFailure');
    }
    this.passed = this.error === undefined;
    this.duration = this.startTime === undefined ? 0 : msSince(this.startTime);
    this.state = 'done';
    // Subtests that never ran (their parent finished first) are cancelled.
    for (const sub of this.subtests) {
      if (sub.state !== 'done') {
        sub.fail(new TestFailure('test did not finish before its parent and was cancelled', kCancelledByParent));
        sub.finish();
      }
    }
    if (!this.abortController.signal.aborted) this.abortController.abort();
    this.root.harness?.onTestFinished(this);
  }
}

class Suite extends Test {
  constructor(parent, name, options, fn, extra) {
    super(parent, name, options, fn, extra);
    this.buildPromise = undefined;
    // A skipped suite's function does not run.
    if (typeof fn === 'function' && !this.skipped) {
      const harness = this.root.harness;
      const previous = harness?.currentSuite;
      if (harness) harness.currentSuite = this;
      try {
        const result = fn.call(new SuiteContext(this), new SuiteContext(this));
        if (result && typeof result.then === 'function') {
          // Tests created at the top level while an async suite builds belong to it.
          harness?.buildingSuites.push(this);
          const built = () => harness?.buildingSuites.splice(harness.buildingSuites.indexOf(this), 1);
          this.buildPromise = Promise.resolve(result).then(built, (err) => {
            built();
            this.fail(err);
          });
        }
      } catch (err) {
        this.fail(err);
      } finally {
        if (harness) harness.currentSuite = previous;
      }
    }
    // A suite stays, under a name pattern, when a test in it matches.
    if (this.filteredOut && !this.skippedByPattern && this.subtests.some((t) => !t.filteredOut)) this.filteredOut = false;
  }

  get type() {
    return 'suite';
  }

  async run() {
    this.state = 'running';
    this.startTime = now();
    if (this.buildPromise) await this.buildPromise;
    if (this.filteredOut || this.skipped) {
      this.finish();
      return;
    }
    const context = new SuiteContext(this);
    if (!this.error) {
      for (const hook of this.hooks.before) {
        if (!(await this.runHook(hook, context))) break;
      }
    }
    // After a failed build or before hook the tests are cancelled, unrun.
    if (!this.error) await this.waitForSubtests();
    for (const sub of this.subtests) {
      if (sub.state === 'done') continue;
      sub.fail(new TestFailure('test did not finish before its parent and was cancelled', kCancelledByParent));
      sub.finish();
    }
    for (const hook of this.hooks.after) await this.runHook(hook, context);
    this.finish();
  }
}

module.exports = {
  Test,
  Suite,
  TestContext,
  TestFailure,
  msSince,
  now,
  callerLocation,
  fixLocation,
  setRunOptions,
  customAssertions,
  failureTypes: {
    kCancelledByParent,
    kTestCodeFailure,
    kHookFailure,
    kSubtestsFailed,
    kTestTimeoutFailure,
    kUncaughtException,
    kTestAborted,
  },
};
