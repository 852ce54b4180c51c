'use strict';
// The built-in reporters as formatters: `format(event)` returns the text an event prints,
// `end()` the text printed after the last event. node:test/reporters wraps them as
// streams and async generators; the harness writes their text where it is told.

const { inspect } = require('internal/util/inspect');

const kInspected = Symbol.for('ferro.test.inspected');

// What a reporter shows of a failure: the thrown value (a TestFailure's cause) as
// util.inspect prints it; errors from another process carry that text along.
function failureCause(error) {
  if (error && error.code === 'ERR_TEST_FAILURE' && 'cause' in error) return error.cause;
  return error;
}
function inspectValue(value, colors = false) {
  if (value !== null && typeof value === 'object' && typeof value[kInspected] === 'string') return value[kInspected];
  return inspect(value, { colors });
}
const indentLines = (text, prefix) => text.split('\n').map((line) => prefix + line).join('\n');

function directive(data, tap) {
  if (data.skip !== undefined && data.skip !== false) return ` # ${data.skip === true ? 'SKIP' : tap ? `SKIP ${data.skip}` : data.skip}`;
  if (data.todo !== undefined && data.todo !== false) return ` # ${data.todo === true ? 'TODO' : tap ? `TODO ${data.todo}` : data.todo}`;
  if (data.expectFailure) return ' # EXPECTED FAILURE';
  return '';
}

function relativeLocation(data) {
  if (data.file === undefined || data.line === undefined) return undefined;
  const { relative } = require('path');
  return `${relative(globalThis.process.cwd(), data.file)}:${data.line}:${data.column}`;
}

const colorCodes = { green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', gray: '\x1b[90m', blue: '\x1b[34m', reset: '\x1b[39m' };
const noColors = { green: '', red: '', yellow: '', gray: '', blue: '', reset: '' };

// `✔ name (1.2ms) # directive`, in the result's color when `c` has colors.
function resultLine(data, failed, c = noColors) {
  const todo = data.todo !== undefined && data.todo !== false;
  const skip = data.skip !== undefined && data.skip !== false;
  let symbol = '✔';
  let color = c.green;
  if (failed) [symbol, color] = todo ? ['⚠', c.yellow] : ['✖', c.red];
  else if (skip) [symbol, color] = ['﹣', c.gray];
  // Tests that never ran show no duration.
  const duration = data.details.duration_ms ? ` ${c.gray}(${data.details.duration_ms}ms)${c.reset}` : '';
  return `${color}${symbol} ${data.name}${duration}${directive(data, false)}${c.reset}`;
}

class SpecFormatter {
  constructor(colors = false) {
    this.stack = [];
    this.failures = [];
    this.colors = colors;
    this.c = colors ? colorCodes : noColors;
  }

  // The "▶ name" lines of the started tests that have not shown one yet.
  headers() {
    let text = '';
    for (const entry of this.stack) {
      if (entry.printed) continue;
      entry.printed = true;
      text += `${'  '.repeat(entry.data.nesting)}▶ ${entry.data.name}\n`;
    }
    return text;
  }

  format({ type, data }) {
    switch (type) {
      case 'test:start':
        this.stack.push({ data, printed: false });
        return '';
      case 'test:pass':
      case 'test:fail': {
        const top = this.stack[this.stack.length - 1];
        if (top && top.data.nesting === data.nesting && top.data.name === data.name) this.stack.pop();
        const failed = type === 'test:fail';
        if (failed && data.details.error?.failureType !== 'subtestsFailed') this.failures.push(data);
        return `${this.headers()}${'  '.repeat(data.nesting)}${resultLine(data, failed, this.c)}\n`;
      }
      case 'test:diagnostic':
        return `${this.headers()}${this.c.blue}${'  '.repeat(data.nesting)}ℹ ${data.message}${this.c.reset}\n`;
      case 'test:stdout':
      case 'test:stderr':
        return data.message;
      default:
        return '';
    }
  }

  end() {
    if (this.failures.length === 0) return '';
    const entries = this.failures.map((data) => {
      const where = relativeLocation(data);
      const error = indentLines(inspectValue(failureCause(data.details.error), this.colors), '  ');
      return `${where ? `test at ${where}\n` : ''}${resultLine(data, true, this.c)}\n${error}\n`;
    });
    return `\n${this.c.red}✖ failing tests:${this.c.reset}\n\n${entries.join('\n')}`;
  }
}

// TAP's YAML: strings quoted as util.inspect quotes them, multi-line ones as `|-` blocks.
function yamlLine(key, value, indent) {
  if (value === null || value === undefined) return `${indent}${key}: ~\n`;
  if (typeof value === 'string' && value.includes('\n')) {
    return `${indent}${key}: |-\n${value.split('\n').map((line) => `${indent}  ${line}`).join('\n')}\n`;
  }
  return `${indent}${key}: ${typeof value === 'string' ? inspect(value) : value}\n`;
}

// Control characters are spelled out first, so their backslashes are then escaped too.
const controlEscapes = { '\b': '\\b', '\f': '\\f', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\v': '\\v' };
// A value in TAP's YAML: objects and arrays as nested mappings (arrays by index).
function yamlValue(key, value, indent) {
  if (value === null || typeof value !== 'object') {
    return `${indent}${key}: ${typeof value === 'string' ? inspect(value) : value === undefined ? '~' : String(value)}\n`;
  }
  let text = `${indent}${key}:\n`;
  for (const [k, v] of Object.entries(value)) text += yamlValue(k, v, `${indent}  `);
  return text;
}

const tapEscape = (text) =>
  String(text).replace(/[\b\f\t\n\r\v]/g, (c) => controlEscapes[c]).replace(/\\/g, '\\\\').replace(/#/g, '\\#');

function stackFrames(stack) {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.replace(/^\s+at /, ''));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

class TapFormatter {
  constructor() {
    this.started = false;
  }

  format({ type, data }) {
    let text = '';
    if (!this.started) {
      this.started = true;
      text += 'TAP version 13\n';
    }
    const indent = '    '.repeat(data?.nesting ?? 0);
    switch (type) {
      case 'test:start':
        return `${text}${indent}# Subtest: ${tapEscape(data.name)}\n`;
      case 'test:pass':
      case 'test:fail': {
        const ok = type === 'test:pass' ? 'ok' : 'not ok';
        text += `${indent}${ok} ${data.testNumber} - ${tapEscape(data.name)}${directive(data, true)}\n`;
        return text + this.details(data, `${indent}  `);
      }
      case 'test:plan':
        return `${text}${indent}1..${data.count}\n`;
      case 'test:diagnostic':
        return `${text}${indent}# ${tapEscape(data.message)}\n`;
      case 'test:stdout':
      case 'test:stderr':
        return text + data.message.replace(/\n$/, '').split('\n').map((line) => `# ${line}\n`).join('');
      default:
        return text;
    }
  }

  details(data, indent) {
    const { details } = data;
    let text = `${indent}---\n${indent}duration_ms: ${details.duration_ms}\n${indent}type: '${details.type}'\n`;
    const error = details.error;
    if (error) {
      if (data.line !== undefined) text += yamlLine('location', `${data.file}:${data.line}:${data.column}`, indent);
      text += yamlLine('failureType', error.failureType, indent);
      if (details.exitCode !== undefined) {
        text += `${indent}exitCode: ${details.exitCode}\n`;
        text += yamlLine('signal', details.signal, indent);
      }
      const cause = failureCause(error);
      const isError = cause !== null && typeof cause === 'object' && typeof cause.message === 'string' && 'stack' in cause;
      let message;
      if (isError) message = cause.message;
      else if (typeof cause === 'string') message = cause;
      else message = inspectValue(cause);
      text += yamlLine('error', message, indent);
      text += yamlLine('code', isError && cause.code !== undefined ? cause.code : error.code, indent);
      if (isError) {
        if (cause.name !== 'Error') text += yamlLine('name', cause.name, indent);
        for (const key of ['expected', 'actual']) {
          if (key in cause) text += yamlValue(key, cause[key], indent);
        }
        if ('operator' in cause) text += yamlLine('operator', cause.operator, indent);
        const frames = stackFrames(cause.stack);
        if (frames) text += `${indent}stack: |-\n${frames.split('\n').map((line) => `${indent}  ${line}`).join('\n')}\n`;
      }
    }
    return `${text}${indent}...\n`;
  }

  end() {
    return '';
  }
}

class DotFormatter {
  constructor() {
    this.column = 0;
    this.failures = [];
  }

  format({ type, data }) {
    if (type !== 'test:pass' && type !== 'test:fail') return '';
    if (type === 'test:fail') this.failures.push(data);
    let text = type === 'test:pass' ? '.' : 'X';
    if (++this.column === 20) {
      this.column = 0;
      text += '\n';
    }
    return text;
  }

  end() {
    let text = this.column > 0 ? '\n' : '';
    if (this.failures.length > 0) {
      text += '\nFailed tests:\n\n';
      for (const data of this.failures) {
        text += `${resultLine(data, true)}\n${indentLines(inspectValue(failureCause(data.details.error)), '  ')}\n`;
      }
    }
    return text;
  }
}

const xmlEscape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

class JunitFormatter {
  constructor() {
    this.stack = [{ children: [] }];
  }

  format({ type, data }) {
    if (type === 'test:start') {
      this.stack.push({ data, children: [] });
    } else if (type === 'test:pass' || type === 'test:fail') {
      const node = this.stack.pop();
      node.data = data;
      node.failed = type === 'test:fail';
      this.stack[this.stack.length - 1].children.push(node);
    } else if (type === 'test:diagnostic') {
      this.stack[this.stack.length - 1].children.push({ comment: data.message });
    }
    return '';
  }

  node(node, depth) {
    const tabs = '\t'.repeat(depth);
    if (node.comment !== undefined) return `${tabs}<!-- ${xmlEscape(node.comment)} -->\n`;
    const { data } = node;
    const time = (data.details.duration_ms / 1000).toFixed(6);
    const file = data.file ? ` file="${xmlEscape(data.file)}"` : '';
    // A suite with no tests is reported as a test case.
    if (node.children.some((c) => c.data)) {
      const cases = node.children.filter((c) => c.data);
      const tests = cases.length;
      const failures = cases.filter((c) => c.failed).length;
      const skipped = cases.filter((c) => c.data.skip !== undefined || c.data.todo !== undefined).length;
      let text = `${tabs}<testsuite name="${xmlEscape(data.name)}" time="${time}" disabled="0" errors="0" tests="${tests}" failures="${failures}" skipped="${skipped}" timestamp="${new Date().toISOString()}" hostname="${xmlEscape(require('os').hostname())}">\n`;
      for (const child of node.children) text += this.node(child, depth + 1);
      return `${text}${tabs}</testsuite>\n`;
    }
    let open = `${tabs}<testcase name="${xmlEscape(data.name)}" time="${time}" classname="test"${file}`;
    let body = '';
    if (data.skip !== undefined || data.todo !== undefined) {
      const message = data.skip !== undefined ? data.skip : data.todo;
      body += `${tabs}\t<skipped type="${data.skip !== undefined ? 'skipped' : 'todo'}" message="${xmlEscape(message)}"/>\n`;
    }
    if (node.failed) {
      const error = data.details.error;
      const message = xmlEscape(error?.message ?? '').replace(/\n/g, '&#10;');
      open += ` failure="${message}"`;
      // The failure as util.inspect shows an error without its stack.
      const cause = inspect(failureCause(error), { breakLength: Infinity });
      const shown = `[Error [${error?.code}]: ${error?.message}] { code: '${error?.code}', failureType: '${error?.failureType}', cause: ${cause} }`;
      body += `${tabs}\t<failure type="${xmlEscape(error?.failureType ?? '')}" message="${message.replace(/(&#10;)+$/, '')}">\n${xmlEscape(shown)}\n${tabs}\t</failure>\n`;
    }
    if (body) return `${open}>\n${body}${tabs}</testcase>\n`;
    return `${open}/>\n`;
  }

  end() {
    let text = '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n';
    for (const child of this.stack[0].children) text += this.node(child, 1);
    return `${text}</testsuites>\n`;
  }
}

// Coverage is not collected, so lcov reports nothing.
class LcovFormatter {
  format() {
    return '';
  }

  end() {
    return '';
  }
}

const formatters = { spec: SpecFormatter, tap: TapFormatter, dot: DotFormatter, junit: JunitFormatter, lcov: LcovFormatter };

// A writer for `--test-reporter-destination`: stdout, stderr or a file.
function destinationWriter(destination) {
  const process = globalThis.process;
  if (destination === 'stdout') return (text) => process.stdout.write(text);
  if (destination === 'stderr') return (text) => process.stderr.write(text);
  const fs = require('fs');
  const fd = fs.openSync(destination, 'w');
  return (text) => fs.writeSync(fd, text);
}

// A custom reporter module: an async generator function or a stream, fed the events.
function customSink(name, write) {
  const process = globalThis.process;
  const { createRequire } = require('module');
  let reporter = createRequire(`${process.cwd()}/`)(name);
  if (reporter && typeof reporter === 'object' && reporter.default) reporter = reporter.default;
  const queue = [];
  let wake;
  let ended = false;
  const source = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) yield queue.shift();
        else if (ended) return;
        else await new Promise((resolve) => (wake = resolve));
      }
    },
  };
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  (async () => {
    // A stream (or a stream class) is piped the events; a function is called with them.
    let output;
    if (typeof reporter?.pipe === 'function') output = require('stream').Readable.from(source).pipe(reporter);
    else if (typeof reporter?.prototype?._transform === 'function') output = require('stream').Readable.from(source).pipe(new reporter());
    else output = reporter(source);
    for await (const chunk of output) write(String(chunk));
  })();
  return {
    write(event) {
      queue.push(event);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
  };
}

// The sinks for `--test-reporter`s (spec by default) and their destinations.
function createReporterSinks(names, destinations) {
  if (names.length === 0) names = ['spec'];
  return names.map((name, i) => {
    const write = destinationWriter(destinations[i] ?? 'stdout');
    const Formatter = formatters[name];
    if (Formatter === undefined) return customSink(name, write);
    // The spec reporter colors its output on a terminal that has colors.
    const stdout = globalThis.process.stdout;
    const colors = (destinations[i] ?? 'stdout') === 'stdout' && stdout.isTTY === true && stdout.hasColors?.() === true;
    const formatter = new Formatter(colors);
    // Like Node's reporter streams, output trails the tests a little: the first on the
    // next turn of the event loop, later output once the running code yields.
    let pending = '';
    let immediate;
    let flowing = false;
    let flushQueued = false;
    const flush = () => {
      immediate = undefined;
      flushQueued = false;
      flowing = true;
      if (pending) write(pending);
      pending = '';
    };
    return {
      write(event) {
        pending += formatter.format(event);
        if (!pending || flushQueued || immediate !== undefined) return;
        if (flowing) {
          flushQueued = true;
          queueMicrotask(flush);
        } else {
          immediate = setImmediate(flush);
        }
      },
      end() {
        if (immediate !== undefined) clearImmediate(immediate);
        pending += formatter.end();
        flush();
      },
    };
  });
}

module.exports = { formatters, createReporterSinks };
