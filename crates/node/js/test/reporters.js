'use strict';
// node:test/reporters: the built-in reporters. spec and lcov are Transform streams of
// events to text; dot, junit and tap are async generators over an event source.

const { formatters } = require('internal/test_runner/reporters');
const { Transform } = require('stream');

function generatorReporter(Formatter, name) {
  return {
    async *[name](source) {
      const formatter = new Formatter();
      for await (const event of source) {
        const text = formatter.format(event);
        if (text) yield text;
      }
      const text = formatter.end();
      if (text) yield text;
    },
  }[name];
}

function streamReporter(Formatter, name) {
  return {
    [name]: class extends Transform {
      #formatter = new Formatter();
      constructor() {
        super({ __proto__: null, writableObjectMode: true });
      }
      _transform(event, encoding, callback) {
        callback(null, this.#formatter.format(event) || undefined);
      }
      _flush(callback) {
        callback(null, this.#formatter.end() || undefined);
      }
    },
  }[name];
}

module.exports = {
  dot: generatorReporter(formatters.dot, 'dot'),
  junit: generatorReporter(formatters.junit, 'junitReporter'),
  spec: streamReporter(formatters.spec, 'SpecReporter'),
  tap: generatorReporter(formatters.tap, 'tapReporter'),
  lcov: streamReporter(formatters.lcov, 'LcovReporter'),
};
