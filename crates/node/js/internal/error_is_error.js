'use strict';
// Error.isError (ES2026), which the engine lacks: whether a value has [[ErrorData]], that
// is, was made by an Error constructor (subclasses and other realms too), never a proxy.
// JavaScriptCore gives every such object its own cell type.

const { getCellType } = internalBinding('util');

const errorCellType = getCellType(new Error());

function isError(value) {
  return typeof value === 'object' && value !== null && getCellType(value) === errorCellType;
}

module.exports = { isError };
