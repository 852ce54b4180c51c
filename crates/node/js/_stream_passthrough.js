'use strict';
// node:_stream_passthrough — the legacy name of stream.PassThrough.

module.exports = require('stream').PassThrough;
