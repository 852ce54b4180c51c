'use strict';
// node:constants (deprecated): the os (dlopen, errno, priority, signals), fs and crypto
// constants in one frozen object.

const os = require('os');
const fs = require('fs');
const crypto = require('crypto');

const constants = Object.assign({}, os.constants.dlopen, os.constants.errno, os.constants.priority,
  os.constants.signals, fs.constants, crypto.constants);
// crypto.constants.defaultCipherList is added by node:crypto, not part of the constants.
delete constants.defaultCipherList;
module.exports = Object.freeze(constants);
