'use strict';
// node:trace_events — Tracing objects with Node's API and validation. ferro records no
// trace: enabling a category collects nothing and no trace file is written; only the set
// of enabled categories is tracked.

const { codes, validators } = require('internal/errors');
const { inspect } = require('internal/util/inspect');

const kMaxTracingCount = 10;
const enabledTracings = new Set();
let warnedLeak = false;

class Tracing {
  #categories;
  #enabled = false;

  constructor(categories) {
    this.#categories = categories;
  }

  enable() {
    if (this.#enabled) return;
    this.#enabled = true;
    enabledTracings.add(this);
    if (enabledTracings.size > kMaxTracingCount && !warnedLeak) {
      warnedLeak = true;
      process.emitWarning('Possible trace_events memory leak detected. There are more than ' +
        `${kMaxTracingCount} enabled Tracing objects.`);
    }
  }

  disable() {
    if (!this.#enabled) return;
    this.#enabled = false;
    enabledTracings.delete(this);
  }

  get enabled() {
    return this.#enabled;
  }

  get categories() {
    return this.#categories.join(',');
  }

  [inspect.custom](depth, options) {
    if (typeof depth === 'number' && depth < 0) return this;
    const shown = { enabled: this.enabled, categories: this.categories };
    return `Tracing ${inspect(shown, options)}`;
  }
}

function createTracing(options) {
  validators.validateObject(options, 'options');
  const categories = options.categories;
  if (!Array.isArray(categories)) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.categories', 'Array', categories);
  }
  if (categories.length <= 0) throw new codes.ERR_TRACE_EVENTS_CATEGORY_REQUIRED();
  for (let i = 0; i < categories.length; i++) validators.validateString(categories[i], `options.categories[${i}]`);
  return new Tracing(categories);
}

// The categories of all enabled Tracing objects, sorted and comma-separated; undefined
// when none.
function getEnabledCategories() {
  const categories = new Set();
  for (const tracing of enabledTracings) for (const category of tracing.categories.split(',')) categories.add(category);
  return categories.size === 0 ? undefined : [...categories].sort().join(',');
}

module.exports = { createTracing, getEnabledCategories };
