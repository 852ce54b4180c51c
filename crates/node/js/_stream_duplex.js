'use strict';
// node:_stream_duplex — the legacy name of stream.Duplex.

module.exports = require('stream').Duplex;
