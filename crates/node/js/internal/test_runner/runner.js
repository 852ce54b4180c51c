'use strict';
// Running test files, each in its own process: `ferro --test` and node:test's run().
// A file run so sends its events to the parent as marked JSON lines on its stdout; the
// parent reports them in file order, with the file's other output, and sums them up.

const { validators } = require('internal/errors');
const { validateObject, validateArray } = validators;

const kEventMarker = '\u0001ferro-test-event\u0001';

// The child's side: events go out on stdout, a little after they happen (as Node's
// reporter streams lag), so the program's own output comes first.
let pendingLines = '';
let flushScheduled;
function flushEventLines() {
  flushScheduled = undefined;
  if (pendingLines) require('fs').writeSync(1, pendingLines);
  pendingLines = '';
}
function writeEventLine(event, serializeError) {
  const { type, data } = event;
  let payload = data;
  if (data?.details?.error !== undefined) {
    payload = { ...data, details: { ...data.details, error: serializeError(data.details.error) } };
  }
  pendingLines += `${kEventMarker}${JSON.stringify({ type, data: payload })}\n`;
  flushScheduled ??= setImmediate(flushEventLines);
}

const testExtensions = ['js', 'cjs', 'mjs', 'ts', 'cts', 'mts'];

// Node's default test files, by base name or by being under a `test` directory.
function isDefaultTestFile(relativePath) {
  const parts = relativePath.split('/');
  const base = parts[parts.length - 1];
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || !testExtensions.includes(base.slice(dot + 1))) return false;
  const stem = base.slice(0, dot);
  if (/\.test$|-test$|_test$/.test(stem) || stem.startsWith('test-') || stem === 'test') return true;
  return parts.slice(0, -1).includes('test');
}

// Test files under `dir` (relative to `cwd`), skipping node_modules and hidden folders.
function discover(cwd, dir, found) {
  const fs = require('fs');
  const path = require('path');
  let entries;
  try {
    entries = fs.readdirSync(path.resolve(cwd, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const relative = dir === '.' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      discover(cwd, relative, found);
    } else if (isDefaultTestFile(relative)) {
      found.push(relative);
    }
  }
}

// The files that `patterns` name: Node's default test files when there are none.
function findTestFiles(cwd, patterns) {
  const fs = require('fs');
  const path = require('path');
  const found = [];
  if (patterns.length === 0) {
    discover(cwd, '.', found);
  } else {
    for (const pattern of patterns) {
      // A pattern that is no glob names a file (a folder too runs as one, and fails).
      if (!/[*?[{]/.test(pattern)) found.push(pattern);
      else if (typeof fs.globSync === 'function') {
        found.push(...fs.globSync(pattern, { cwd, exclude: (name) => name === 'node_modules' || name.endsWith('/node_modules') }));
      }
    }
  }
  const absolute = [...new Set(found.map((file) => path.resolve(cwd, file)))];
  return absolute.sort((a, b) => (path.relative(cwd, a) < path.relative(cwd, b) ? -1 : 1));
}

// The execArgv a test file's process gets: this process's, less the parent-only options.
function childExecArgv(execArgv, options) {
  const parentOnly = ['--test', '--test-reporter', '--test-reporter-destination', '--test-concurrency', '--test-name-pattern', '--test-skip-pattern', '--test-only', '--test-timeout', '--test-shard', '--test-isolation'];
  const argv = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (parentOnly.includes(name)) {
      // The value options' value may be the next argument.
      if (!arg.includes('=') && name !== '--test' && name !== '--test-only') i++;
      continue;
    }
    argv.push(arg);
  }
  for (const pattern of options.testNamePatterns) argv.push(`--test-name-pattern=${pattern}`);
  for (const pattern of options.testSkipPatterns) argv.push(`--test-skip-pattern=${pattern}`);
  if (options.only) argv.push('--test-only');
  if (options.timeout !== undefined && options.timeout !== Infinity) argv.push(`--test-timeout=${options.timeout}`);
  return argv;
}

// Counts the results as Node's summary does.
class Summary {
  constructor() {
    this.counts = { tests: 0, suites: 0, passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0, topLevel: 0 };
    this.success = true;
  }

  add({ type, data }) {
    if (type !== 'test:pass' && type !== 'test:fail') return;
    const counts = this.counts;
    if (data.nesting === 0) counts.topLevel++;
    const todo = data.todo !== undefined && data.todo !== false;
    if (type === 'test:fail' && !todo) this.success = false;
    if (data.details.type === 'suite') {
      counts.suites++;
      return;
    }
    counts.tests++;
    if (data.skip !== undefined && data.skip !== false) counts.skipped++;
    else if (todo) counts.todo++;
    else if (type === 'test:pass') counts.passed++;
    else if (['cancelledByParent', 'testTimeoutFailure', 'testAborted'].includes(data.details.error?.failureType)) counts.cancelled++;
    else counts.failed++;
  }

  // The events that end a run: the plan of the top-level tests (if any), the summary
  // lines and test:summary.
  endEvents(durationMs, success = this.success) {
    const c = this.counts;
    const plan = c.topLevel > 0 ? { type: 'test:plan', data: { __proto__: null, nesting: 0, count: c.topLevel } } : undefined;
    const lines = [
      `tests ${c.tests}`, `suites ${c.suites}`, `pass ${c.passed}`, `fail ${c.failed}`,
      `cancelled ${c.cancelled}`, `skipped ${c.skipped}`, `todo ${c.todo}`, `duration_ms ${durationMs}`,
    ];
    const diagnostics = lines.map((message) => ({ type: 'test:diagnostic', data: { __proto__: null, nesting: 0, message } }));
    const summary = { type: 'test:summary', data: { __proto__: null, success, counts: c, duration_ms: durationMs } };
    return { plan, diagnostics, summary };
  }
}

// Runs the files, calling `emit(event)` with their events in file order, then the summary;
// returns a promise of the Summary.
function runFiles(files, options, emit) {
  const { spawn } = require('child_process');
  const path = require('path');
  const { deserializeError } = require('internal/test_runner/harness');
  const { TestFailure, now, msSince } = require('internal/test_runner/test');
  const process = globalThis.process;
  const summary = new Summary();
  const start = now();
  const execArgv = childExecArgv(process.execArgv, options);
  let topLevelNumber = 0;
  let head = 0;
  const runs = files.map((file) => ({ file, events: [], done: false }));

  const report = (event) => {
    // Top-level tests are numbered across the files.
    if (event.data?.nesting === 0) {
      if (event.type === 'test:start') topLevelNumber++;
      if (['test:start', 'test:pass', 'test:fail'].includes(event.type)) event.data.testNumber = topLevelNumber;
    }
    summary.add(event);
    emit(event);
  };
  // Reports the head file's events as they come, and the later files' once it is done.
  const pump = () => {
    while (head < runs.length) {
      const run = runs[head];
      for (const event of run.events.splice(0)) report(event);
      if (!run.done) return;
      head++;
    }
  };

  // The test a file itself is reported as, when it reported none or failed silently.
  const fileResult = (run, exitCode, signal) => {
    // run() names them as Node does, `./` and the path from cwd.
    const name = `${options.namePrefix ?? ''}${path.relative(options.cwd, run.file)}`;
    const data = { __proto__: null, name, nesting: 0, file: run.file, line: 1, column: 1 };
    const details = { __proto__: null, duration_ms: msSince(run.start), type: 'test' };
    run.events.push({ type: 'test:start', data: { ...data } });
    if (exitCode === 0 && signal === null) {
      details.passed = true;
      run.events.push({ type: 'test:pass', data: { ...data, details } });
      return;
    }
    details.exitCode = exitCode;
    details.signal = signal;
    details.error = new TestFailure('test failed', 'testCodeFailure');
    run.events.push({ type: 'test:fail', data: { ...data, details } });
  };

  const runOne = (run) => new Promise((resolve) => {
    run.start = now();
    const child = spawn(process.execPath, [...execArgv, run.file], {
      cwd: options.cwd,
      env: { ...process.env, NODE_TEST_CONTEXT: 'child-ferro' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let reportedTests = 0;
    let reportedFailures = 0;
    let partial = '';
    const output = (type, message) => run.events.push({ type, data: { __proto__: null, file: run.file, message } });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const at = line.indexOf(kEventMarker);
        if (at === -1) {
          output('test:stdout', `${line}\n`);
          continue;
        }
        if (at > 0) output('test:stdout', line.slice(0, at));
        const event = JSON.parse(line.slice(at + kEventMarker.length));
        if (event.data.details?.error) event.data.details.error = deserializeError(event.data.details.error);
        if (event.type === 'test:pass' || event.type === 'test:fail') {
          reportedTests++;
          if (event.type === 'test:fail') reportedFailures++;
        }
        run.events.push(event);
      }
      pump();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      output('test:stderr', chunk);
      pump();
    });
    child.on('close', (exitCode, signal) => {
      if (partial) output('test:stdout', partial);
      if (reportedTests === 0 || (reportedFailures === 0 && exitCode !== 0)) fileResult(run, exitCode, signal);
      run.done = true;
      pump();
      resolve();
    });
  });

  // At most `concurrency` files at once.
  let next = 0;
  const worker = async () => {
    while (next < runs.length) await runOne(runs[next++]);
  };
  const workers = [];
  for (let i = 0; i < Math.max(1, Math.min(options.concurrency, runs.length)); i++) workers.push(worker());
  return Promise.all(workers).then(() => {
    pump();
    const end = summary.endEvents(msSince(start));
    for (const event of [end.plan, ...end.diagnostics, end.summary]) {
      if (event) emit(event);
    }
    return summary;
  });
}

function defaultConcurrency() {
  const os = require('os');
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(cpus - 1, 1);
}

// node:test's run(): a stream of the events of running the files.
function run(options = {}) {
  validateObject(options, 'options');
  const process = globalThis.process;
  const { patternToRegExp } = require('internal/test_runner/harness');
  const cwd = options.cwd ?? process.cwd();
  let files = options.files;
  if (files !== undefined) validateArray(files, 'options.files');
  if (options.globPatterns !== undefined) validateArray(options.globPatterns, 'options.globPatterns');
  if (files === undefined) files = findTestFiles(cwd, options.globPatterns ?? []);
  const concurrency = options.concurrency === true ? Infinity : typeof options.concurrency === 'number' ? options.concurrency : 1;
  const toList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  const runOptions = {
    cwd,
    namePrefix: './',
    concurrency,
    only: !!options.only,
    timeout: options.timeout,
    testNamePatterns: toList(options.testNamePatterns).map((p) => (p instanceof RegExp ? `/${p.source}/${p.flags}` : String(p))),
    testSkipPatterns: toList(options.testSkipPatterns).map((p) => (p instanceof RegExp ? `/${p.source}/${p.flags}` : String(p))),
  };
  for (const p of [...runOptions.testNamePatterns, ...runOptions.testSkipPatterns]) patternToRegExp(p);
  const { Readable } = require('stream');
  const stream = new Readable({ objectMode: true, read() {} });
  const path = require('path');
  // Node's TestsStream: the events are its data, and each is emitted by its type too.
  const emit = (event) => {
    stream.emit(event.type, event.data);
    stream.push(event);
  };
  runFiles(files.map((file) => path.resolve(cwd, file)), runOptions, emit).then(() => stream.push(null));
  return stream;
}

// `--test-shard=<index>/<total>`: every total-th file, from the index-th.
function shardOf(files, shard) {
  const { codes } = require('internal/errors');
  const match = /^(\d+)\/(\d+)$/.exec(shard);
  if (!match) throw new codes.ERR_INVALID_ARG_VALUE('--test-shard', shard, 'must be in the form of <index>/<total>');
  const [index, total] = [Number(match[1]), Number(match[2])];
  if (total < 1) throw new codes.ERR_OUT_OF_RANGE('options.shard.total', '>= 1', total);
  if (index < 1 || index > total) throw new codes.ERR_OUT_OF_RANGE('options.shard.index', `>= 1 && <= ${total}`, index);
  return files.filter((_, i) => i % total === index - 1);
}

// `ferro --test [patterns...]`: runs the files and reports them through the reporters.
function main() {
  const process = globalThis.process;
  const { getCliOptions } = require('internal/test_runner/harness');
  const { createReporterSinks } = require('internal/test_runner/reporters');
  const options = getCliOptions();
  const cwd = process.cwd();
  // Options after the patterns are not patterns (nor options, as in Node).
  const patterns = process.argv.slice(1).filter((arg) => !arg.startsWith('-'));
  // A pattern that is no glob must name something.
  const missing = patterns.filter((p) => !/[*?[{]/.test(p) && !require('fs').existsSync(require('path').resolve(cwd, p)));
  if (missing.length > 0) {
    process.stderr.write(`Could not find '${missing.join(', ')}'\n`);
    process.exitCode = 1;
    return;
  }
  let files = findTestFiles(cwd, patterns);
  if (options.shard !== undefined) files = shardOf(files, options.shard);
  const sinks = createReporterSinks(options.reporters, options.destinations);
  const concurrency = options.concurrency > 0 ? options.concurrency : defaultConcurrency();
  const runOptions = {
    cwd,
    concurrency,
    only: options.only,
    timeout: options.timeout,
    testNamePatterns: options.namePatterns,
    testSkipPatterns: options.skipPatterns,
  };
  runFiles(files, runOptions, (event) => {
    for (const sink of sinks) sink.write(event);
  }).then((summary) => {
    for (const sink of sinks) sink.end();
    if (!summary.success) process.exitCode = 1;
    if (options.forceExit) process.exit();
  });
}

module.exports = { run, main, writeEventLine, flushEventLines, Summary };
