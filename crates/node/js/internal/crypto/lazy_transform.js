'use strict';

// The base of Hash, Hmac, Cipheriv, Sign...: a stream.Transform whose stream state is
// only built when the object is first used as a stream, so plain update()/digest() use
// pays nothing for it. Without node:stream in this build they are plain objects.

let Transform;
try {
  Transform = require('stream').Transform;
} catch {
  Transform = undefined;
}

function LazyTransform(options) {
  this._options = options;
}

if (Transform !== undefined) {
  Object.setPrototypeOf(LazyTransform.prototype, Transform.prototype);
  Object.setPrototypeOf(LazyTransform, Transform);

  // Reading any of these builds the Transform on first access.
  for (const name of ['_readableState', '_writableState', '_transformState']) {
    Object.defineProperty(LazyTransform.prototype, name, {
      __proto__: null,
      configurable: true,
      enumerable: true,
      get() {
        Transform.call(this, this._options);
        return this[name];
      },
      set(value) {
        Object.defineProperty(this, name, {
          __proto__: null, value, configurable: true, enumerable: true, writable: true,
        });
      },
    });
  }
}

module.exports = { LazyTransform };
