'use strict';
// stream.Transform: each written chunk goes through _transform(chunk, encoding, cb) and
// whatever it pushes comes out of the readable side; _flush() runs before the end.
// While the readable side is full, the write callback is held back until _read().

const Duplex = require('internal/streams/duplex');
const { codes } = require('internal/errors');
const { getHighWaterMark } = require('internal/streams/state');

// The write in progress: its callback and the readable length before _transform().
const kWriteCallback = Symbol('kWriteCallback');
const kLengthBefore = Symbol('kLengthBefore');
// The write callback held back while the readable side is full.
const kCallback = Symbol('kCallback');
// The callback handed to _transform(), made once per stream.
const kOnTransformed = Symbol('kOnTransformed');

function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  // A readable high water mark of 0 makes the writable side default to 0 as well.
  const readableHighWaterMark = options ?
    getHighWaterMark(false, options, 'readableHighWaterMark', true) : null;
  if (readableHighWaterMark === 0) {
    options = {
      ...options,
      highWaterMark: null,
      readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark || 0,
    };
  }
  Duplex.call(this, options);
  // Pushes happen from _write(), never inside _read(), so 'data' may be emitted at once.
  this._readableState.sync = false;
  this[kCallback] = null;
  this[kWriteCallback] = null;
  this[kLengthBefore] = 0;
  this[kOnTransformed] = onTransformed.bind(this);
  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
  this.on('prefinish', prefinish);
}
Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
Object.setPrototypeOf(Transform, Duplex);

function final(cb) {
  if (typeof this._flush === 'function' && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}

// A subclass that overrides _final() still gets its _flush() called.
function prefinish() {
  if (this._final !== final) final.call(this);
}

Transform.prototype._final = final;

Transform.prototype._transform = function _transform(chunk, encoding, callback) {
  throw new codes.ERR_METHOD_NOT_IMPLEMENTED('_transform()');
};

Transform.prototype._write = function _write(chunk, encoding, callback) {
  this[kWriteCallback] = callback;
  this[kLengthBefore] = this._readableState.length;
  this._transform(chunk, encoding, this[kOnTransformed]);
};

function onTransformed(err, val) {
  const callback = this[kWriteCallback];
  if (err) {
    callback(err);
    return;
  }
  if (val != null) this.push(val);
  const rState = this._readableState;
  if (this._writableState.ended || this[kLengthBefore] === rState.length ||
      rState.length < rState.highWaterMark) {
    callback();
  } else {
    this[kCallback] = callback;
  }
}

Transform.prototype._read = function _read() {
  if (this[kCallback]) {
    const callback = this[kCallback];
    this[kCallback] = null;
    callback();
  }
};

module.exports = Transform;
