'use strict';
// node:assert/strict — the same object as require('assert').strict.

module.exports = require('assert').strict;
