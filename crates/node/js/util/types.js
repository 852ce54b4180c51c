'use strict';
// node:util/types — the same object as require('util').types.

module.exports = require('internal/util/types');
