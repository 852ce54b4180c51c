'use strict';
// The root of a file's tests: starts them once the file has loaded, reports results in
// order as events, prints them through the reporter and sets the exit code at the end.

const { Test, TestFailure, fixLocation, setRunOptions, failureTypes, now, msSince } = require('internal/test_runner/test');

// `--test-*` options of this process (from its execArgv), parsed once.
let cliOptions;
function getCliOptions() {
  if (cliOptions) return cliOptions;
  const argv = globalThis.process.execArgv;
  cliOptions = { reporters: [], destinations: [], namePatterns: [], skipPatterns: [], only: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const takeValue = () => (equals > 0 ? arg.slice(equals + 1) : argv[++i]);
    switch (name) {
      case '--test-only': cliOptions.only = true; break;
      case '--test-reporter': cliOptions.reporters.push(takeValue()); break;
      case '--test-reporter-destination': cliOptions.destinations.push(takeValue()); break;
      case '--test-name-pattern': cliOptions.namePatterns.push(takeValue()); break;
      case '--test-skip-pattern': cliOptions.skipPatterns.push(takeValue()); break;
      case '--test-concurrency': cliOptions.concurrency = Number(takeValue()); break;
      case '--test-timeout': cliOptions.timeout = Number(takeValue()); break;
      case '--test-shard': cliOptions.shard = takeValue(); break;
      case '--test-force-exit': cliOptions.forceExit = true; break;
      default:
    }
  }
  return cliOptions;
}

// '/re/flags' is a regular expression; anything else matches as a regular expression source.
function patternToRegExp(pattern) {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  return match ? new RegExp(match[1], match[2]) : new RegExp(pattern);
}

// Error objects cannot cross a process boundary; these plain records can.
function serializeError(err) {
  const { inspect } = require('internal/util/inspect');
  // Primitives travel as themselves; other values as their util.inspect text.
  if (err === null || (typeof err !== 'object' && typeof err !== 'function' && typeof err !== 'undefined' && typeof err !== 'symbol' && typeof err !== 'bigint')) {
    return { primitive: true, value: err };
  }
  if (!(err instanceof Error)) return { value: inspect(err) };
  // The parent shows the error as Node's does, a plain Error with the same stack and
  // properties (so without the custom inspection of, say, AssertionError).
  const plain = new Error(err.message);
  Object.defineProperty(plain, 'stack', { value: err.stack, writable: true, configurable: true });
  for (const key of Object.keys(err)) plain[key] = err[key];
  const record = {
    isError: true,
    name: err.name,
    message: err.message,
    stack: err.stack,
    inspected: inspect(plain),
    props: {},
  };
  for (const key of ['code', 'failureType', 'expected', 'actual', 'operator', 'generatedMessage']) {
    if (key in err) record.props[key] = key === 'expected' || key === 'actual' ? jsonCopy(err[key]) : err[key];
  }
  if ('cause' in err) record.cause = serializeError(err.cause);
  return record;
}

// A value as JSON carries it (for TAP's YAML of expected/actual), or undefined.
function jsonCopy(value) {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

const kInspected = Symbol.for('ferro.test.inspected');
function deserializeError(record) {
  if (!record) return record;
  if (record.primitive) return record.value;
  if (!record.isError) {
    return { [kInspected]: record.value, toString: () => record.value };
  }
  const err = new Error(record.message);
  err.name = record.name;
  err.stack = record.stack;
  err[kInspected] = record.inspected;
  for (const [key, value] of Object.entries(record.props)) err[key] = value;
  if (record.cause) err.cause = deserializeError(record.cause);
  return err;
}

class Harness {
  constructor({ onEvent, file, child }) {
    this.onEvent = onEvent;
    // In a file run by `--test`, the parent plans and sums up.
    this.child = child;
    this.file = file;
    this.root = new Test(undefined, '<root>', { concurrency: 1 }, undefined);
    this.root.harness = this;
    this.root.state = 'running';
    this.startTime = now();
    this.bootstrapped = false;
    this.finalized = false;
    this.currentTest = undefined;
    this.currentSuite = undefined;
    this.buildingSuites = [];
    this.running = new Set();
    this.summary = new (require('internal/test_runner/runner').Summary)();
  }

  emit(type, data) {
    const event = { type, data };
    this.summary.add(event);
    this.onEvent(event);
  }

  onSubtestCreated(test) {
    this.running.add(test);
    if (test.parent !== this.root) {
      this.reportNext(test.parent);
      return;
    }
    if (this.bootstrapped) {
      test.startPromise();
    } else if (!this.bootstrapScheduled) {
      this.bootstrapScheduled = true;
      globalThis.process.nextTick(() => this.bootstrap());
    }
  }

  // Once the file has loaded: apply `only`, then run the root tests in order.
  async bootstrap() {
    this.bootstrapped = true;
    const root = this.root;
    if (root.subtests.some(hasOnly)) filterOnly(root);
    this.reportNext(root);
    for (const hook of root.hooks.before) await root.runHook(hook, undefined);
    for (const test of root.subtests) test.startPromise();
  }

  // Runs the root's after hooks, once: their promise, or undefined when there are none.
  runRootAfterHooks() {
    if (this.afterHooksRan || this.root.hooks.after.length === 0) return undefined;
    this.afterHooksRan = true;
    return (async () => {
      // A turn later, as Node's root finishes: the last results are reported first.
      await null;
      for (const hook of this.root.hooks.after) await this.root.runHook(hook, undefined);
    })();
  }

  onTestFinished(test) {
    this.running.delete(test);
    if (test.parent) this.reportNext(test.parent);
    // The root's after hooks run as soon as its tests are done.
    if (test.parent === this.root && this.root.subtests.every((t) => t.state === 'done')) {
      this.afterHooksDone ??= this.runRootAfterHooks();
      this.onAllDone?.();
    }
  }

  // Reports the subtests of `parent` that are due: each in creation order, once it and
  // everything before it has finished.
  reportNext(parent) {
    // A subtest made after its parent was reported is not (Node never ends such a run).
    if (!parent.startReported || parent.resultReported) return;
    while (parent.reportIndex < parent.subtests.length) {
      const test = parent.subtests[parent.reportIndex];
      if (test.filteredOut && test.state === 'done') {
        parent.reportIndex++;
        continue;
      }
      if (test.filteredOut) return;
      if (!test.startReported) {
        test.startReported = true;
        parent.reportedCount = (parent.reportedCount ?? 0) + 1;
        test.testNumber = parent.reportedCount;
        this.emit('test:start', this.eventData(test));
        this.reportNext(test);
      }
      if (test.state !== 'done' || test.reportIndex < test.subtests.length) return;
      this.reportResult(test);
      parent.reportIndex++;
    }
  }

  eventData(test) {
    const loc = test.loc;
    return {
      __proto__: null,
      name: test.name,
      nesting: test.nesting,
      file: loc?.file ?? this.file,
      line: loc?.line,
      column: loc?.column,
      testNumber: test.testNumber,
    };
  }

  reportResult(test) {
    test.resultReported = true;
    const reportedSubtests = test.reportedCount ?? 0;
    if (reportedSubtests > 0) {
      this.emit('test:plan', { __proto__: null, nesting: test.nesting + 1, count: reportedSubtests, file: this.file });
    }
    const data = this.eventData(test);
    if (!test.passed) fixLocation(test.loc);
    if (test.loc) {
      data.line = test.loc.line;
      data.column = test.loc.column;
    }
    data.details = { __proto__: null, duration_ms: test.duration, type: test.type };
    if (test.skipped) data.skip = test.skipped;
    if (test.todo !== false) data.todo = test.todo;
    if (test.expectFailure) data.expectFailure = true;
    if (!test.passed) {
      data.details.error = test.error;
      this.emit('test:fail', data);
    } else {
      data.details.passed = true;
      this.emit('test:pass', data);
    }
    for (const message of test.diagnostics) {
      this.emit('test:diagnostic', { __proto__: null, nesting: test.nesting, message, file: this.file });
    }
  }

  // An uncaught error fails the test that is running (the latest started), at once;
  // after the tests it is reported as a diagnostic.
  onUncaught(err, event) {
    const running = [...this.running].filter((t) => t.state === 'running' && t.type === 'test');
    const test = running[running.length - 1];
    if (test) {
      test.fail(err, failureTypes.kUncaughtException);
      test.stopRunning?.(test.error);
      return;
    }
    this.root.diagnostics.push(`Error: A resource generated asynchronous activity after the test ended. This activity created the error "${String(err)}" which triggered an ${event} event, caught by the test runner.`);
    this.root.fail(err);
  }

  // Reports what is left: cancels the tests still pending (the event loop ran dry before
  // they settled), then the plan and the summary.
  finalize() {
    if (this.finalized) return;
    this.finalized = true;
    for (const test of [...this.running].reverse()) {
      if (test.state === 'done') continue;
      test.fail(new TestFailure('Promise resolution is still pending but the event loop has already resolved', failureTypes.kCancelledByParent));
      test.finish();
    }
    this.reportNext(this.root);
    // An error after the tests (root.error) fails the run too.
    this.success = this.summary.success && this.root.error === undefined;
    const diagnostics = this.root.diagnostics.map((message) => ({ type: 'test:diagnostic', data: { __proto__: null, nesting: 0, message } }));
    const end = this.summary.endEvents(msSince(this.startTime), this.success);
    // In a file run by `--test` the parent plans and sums up the files.
    const events = this.child ? [...diagnostics, end.summary] : [end.plan, ...diagnostics, ...end.diagnostics, end.summary];
    for (const event of events) {
      if (event) this.emit(event.type, { ...event.data, file: this.file });
    }
    if (this.child) require('internal/test_runner/runner').flushEventLines();
  }
}

function hasOnly(test) {
  return test.only || test.subtests.some(hasOnly);
}

// Node keeps, at each level where `only` appears, just the `only` tests and the ones
// leading to them.
function filterOnly(test) {
  for (const sub of test.subtests) {
    if (sub.only) {
      if (sub.subtests.some(hasOnly)) filterOnly(sub);
    } else if (hasOnly(sub)) {
      filterOnly(sub);
    } else {
      sub.filteredOut = true;
    }
  }
}

// This process's harness, made on first use: the reporters write to stdout, or, in a
// file run by `--test`, the events go to the parent.
let harness;
function getHarness() {
  if (harness) return harness;
  const process = globalThis.process;
  const options = getCliOptions();
  setRunOptions({
    namePatterns: options.namePatterns.map(patternToRegExp),
    skipPatterns: options.skipPatterns.map(patternToRegExp),
    timeout: options.timeout > 0 ? options.timeout : Infinity,
  });
  const file = process.argv[1];
  let onEvent;
  let finish;
  const child = process.env.NODE_TEST_CONTEXT === 'child-ferro';
  if (child) {
    const { writeEventLine } = require('internal/test_runner/runner');
    onEvent = (event) => writeEventLine(event, serializeError);
    finish = () => {};
  } else {
    const { createReporterSinks } = require('internal/test_runner/reporters');
    const sinks = createReporterSinks(options.reporters, options.destinations);
    onEvent = (event) => {
      for (const sink of sinks) sink.write(event);
    };
    finish = () => {
      for (const sink of sinks) sink.end();
    };
  }
  harness = new Harness({ onEvent, file, child });
  // The report, at the end; with --test-force-exit the process then ends, whatever is
  // still pending.
  const end = () => {
    if (harness.finalized) return;
    harness.finalize();
    finish();
    if (!harness.success) process.exitCode = 1;
    if (options.forceExit) process.exit();
  };
  if (options.forceExit) harness.onAllDone = () => Promise.resolve(harness.afterHooksDone).then(end);
  // Only then: a process.exit() during the tests ends the process without a report, as in Node.
  process.on('beforeExit', () => {
    if (harness.finalized) return;
    harness.afterHooksDone ??= harness.runRootAfterHooks();
    if (harness.afterHooksDone) harness.afterHooksDone.then(end);
    else end();
  });
  process.on('uncaughtException', (err) => {
    // An error while the file loads (before its tests start) stays fatal: Node's handler
    // rethrows it, which prints it and exits with 7 (a capture callback that throws does).
    if (!harness.bootstrapped) {
      const fatal = require('internal/fatal_exception');
      fatal.setUncaughtExceptionCapture(() => {
        throw err;
      });
      fatal.onUncaughtException(err);
    }
    harness.onUncaught(err, 'uncaughtException');
  });
  process.on('unhandledRejection', (err) => harness.onUncaught(err, 'unhandledRejection'));
  return harness;
}

module.exports = {
  Harness,
  getHarness,
  peekHarness: () => harness,
  getCliOptions,
  patternToRegExp,
  serializeError,
  deserializeError,
};
