'use strict';
// duplexPair(): two Duplex streams wired back to back — what one writes the other reads.

const Duplex = require('internal/streams/duplex');

const kCallback = Symbol('kCallback');
const kPeer = Symbol('kPeer');

class DuplexSide extends Duplex {
  constructor(options) {
    super(options);
    this[kCallback] = null;
    this[kPeer] = null;
  }

  // Called once, right after both sides exist.
  initOtherSide(other) {
    this[kPeer] = other;
  }

  _read() {
    // A write waiting for the peer to read goes through now.
    const callback = this[kCallback];
    if (callback) {
      this[kCallback] = null;
      callback();
    }
  }

  _write(chunk, encoding, callback) {
    if (chunk.length === 0) {
      process.nextTick(callback);
    } else {
      this[kPeer].push(chunk);
      this[kPeer][kCallback] = callback;
    }
  }

  _final(callback) {
    this[kPeer].on('end', callback);
    this[kPeer].push(null);
  }
}

function duplexPair(options) {
  const side0 = new DuplexSide(options);
  const side1 = new DuplexSide(options);
  side0.initOtherSide(side1);
  side1.initOtherSide(side0);
  return [side0, side1];
}

module.exports = duplexPair;
