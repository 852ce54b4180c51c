'use strict';
// stream.Duplex: a Readable that also carries a WritableState and Writable's methods.
// With allowHalfOpen false the writable side ends when the readable side does.

const Readable = require('internal/streams/readable');
const Writable = require('internal/streams/writable');
const { Stream } = require('internal/streams/legacy');
const destroyImpl = require('internal/streams/destroy');
const { kInternals } = require('internal/streams/state');

const { ReadableState } = Readable;
const { WritableState } = Writable;
const { onReadableConstructed } = Readable[kInternals];
const { onWritableConstructed, writableGetters, defineGetters } = Writable[kInternals];

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  // Created first so own keys come in Node's order (_events, state, ...).
  this._events ??= Object.create(null);
  this._readableState = new ReadableState(options, this, true);
  this._writableState = new WritableState(options, this, true);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      const r = this._readableState;
      r.readable = false;
      r.ended = true;
      r.endEmitted = true;
    }
    if (options.writable === false) {
      const w = this._writableState;
      w.writable = false;
      w.ending = true;
      w.ended = true;
      w.finished = true;
    }
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) require('internal/streams/add-abort-signal').addAbortSignalNoValidate(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
  Stream.call(this, options);
  if (typeof this._construct === 'function') {
    destroyImpl.construct(this, onDuplexConstructed);
  }
}
Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);

function onDuplexConstructed() {
  onReadableConstructed.call(this);
  onWritableConstructed.call(this);
}

for (const method of ['write', 'cork', 'uncork', 'setDefaultEncoding', '_write', '_writev', 'end', 'destroy']) {
  if (!Object.prototype.hasOwnProperty.call(Duplex.prototype, method)) {
    Duplex.prototype[method] = Writable.prototype[method];
  }
}

const { writable, writableHighWaterMark, writableObjectMode, writableBuffer, writableLength,
  writableFinished, writableCorked, writableEnded, writableNeedDrain } =
  Object.getOwnPropertyDescriptors(writableGetters);
Object.defineProperties(Duplex.prototype, {
  writable, writableHighWaterMark, writableObjectMode, writableBuffer, writableLength,
  writableFinished, writableCorked, writableEnded, writableNeedDrain,
});
for (const name of Object.getOwnPropertyNames(Duplex.prototype)) {
  const desc = Object.getOwnPropertyDescriptor(Duplex.prototype, name);
  if (desc.get) Object.defineProperty(Duplex.prototype, name, { ...desc, enumerable: false });
}

defineGetters(Duplex.prototype, {
  // Destroyed only when both sides are.
  get destroyed() {
    if (this._readableState === undefined || this._writableState === undefined) return false;
    return this._readableState.destroyed && this._writableState.destroyed;
  },
  set destroyed(value) {
    if (this._readableState && this._writableState) {
      this._readableState.destroyed = value;
      this._writableState.destroyed = value;
    }
  },
});

Duplex.fromWeb = function fromWeb(pair, options) {
  return require('internal/webstreams/adapters').newStreamDuplexFromReadableWritablePair(pair, options);
};

Duplex.toWeb = function toWeb(duplex) {
  return require('internal/webstreams/adapters').newReadableWritablePairFromDuplex(duplex);
};

Duplex.from = function from(body) {
  return require('internal/streams/duplexify')(body, 'body');
};

module.exports = Duplex;
