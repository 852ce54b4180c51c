'use strict';

// ByteLengthQueuingStrategy and CountQueuingStrategy: a highWaterMark and the size
// function (shared by all instances of a class) that streams measure chunks with.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_MISSING_OPTION },
} = require('internal/errors');
const { customInspect, inspectObject, defineToStringTag, makeEnumerable } = require('internal/webstreams/util');

function highWaterMarkOf(init) {
  if (init === null || typeof init !== 'object') throw new ERR_INVALID_ARG_TYPE('init', 'object', init);
  const highWaterMark = init.highWaterMark;
  if (highWaterMark === undefined) throw new ERR_MISSING_OPTION('init.highWaterMark');
  return +highWaterMark;
}

// What reading a private field of a foreign object throws, as Node's getters do.
function privateMemberError() {
  return new TypeError('Cannot read private member #highWaterMark from an object whose class did not declare it');
}

const byteLengthSize = {
  size(chunk) {
    return chunk.byteLength;
  },
}.size;

const countSize = {
  size() {
    return 1;
  },
}.size;

class ByteLengthQueuingStrategy {
  #highWaterMark;

  constructor(init) {
    this.#highWaterMark = highWaterMarkOf(init);
  }

  get highWaterMark() {
    return this.#highWaterMark;
  }

  get size() {
    if (!(#highWaterMark in this)) throw privateMemberError();
    return byteLengthSize;
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, { highWaterMark: this.#highWaterMark }, depth, options);
  }
}
makeEnumerable(ByteLengthQueuingStrategy.prototype, ['highWaterMark', 'size']);
defineToStringTag(ByteLengthQueuingStrategy.prototype, 'ByteLengthQueuingStrategy');

class CountQueuingStrategy {
  #highWaterMark;

  constructor(init) {
    this.#highWaterMark = highWaterMarkOf(init);
  }

  get highWaterMark() {
    return this.#highWaterMark;
  }

  get size() {
    if (!(#highWaterMark in this)) throw privateMemberError();
    return countSize;
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, { highWaterMark: this.#highWaterMark }, depth, options);
  }
}
makeEnumerable(CountQueuingStrategy.prototype, ['highWaterMark', 'size']);
defineToStringTag(CountQueuingStrategy.prototype, 'CountQueuingStrategy');

module.exports = { ByteLengthQueuingStrategy, CountQueuingStrategy };
