'use strict';
// node:sea — single-executable-application assets. ferro never runs as a SEA: isSea() is
// false and the asset getters throw Node's error for a normal process.

const { codes, validators } = require('internal/errors');

function notInSea() {
  return new codes.ERR_NOT_IN_SINGLE_EXECUTABLE_APPLICATION();
}

function isSea() {
  return false;
}

function getRawAsset(key) {
  validators.validateString(key, 'key');
  throw notInSea();
}

function getAsset(key, encoding) {
  validators.validateString(key, 'key');
  if (encoding !== undefined) validators.validateString(encoding, 'encoding');
  throw notInSea();
}

function getAssetAsBlob(key, options) {
  validators.validateString(key, 'key');
  throw notInSea();
}

function getAssetKeys() {
  throw notInSea();
}

module.exports = { isSea, getAsset, getRawAsset, getAssetAsBlob, getAssetKeys };
