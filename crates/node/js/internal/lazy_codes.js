'use strict';
// Node's error classes by code, loaded on first use: startup should not pay for
// internal/errors when nothing throws.

let codes;
module.exports = new Proxy({}, {
  get(target, name) {
    codes ??= require('internal/errors').codes;
    return codes[name];
  },
});
