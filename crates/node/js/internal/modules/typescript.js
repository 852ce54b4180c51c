'use strict';
// module.stripTypeScriptTypes(). The argument checks are Node's; the stripping itself
// (whitespace in place of types, or oxc's transform) is not built yet.

const codes = require('internal/lazy_codes');

let warned = false;

function stripTypeScriptTypes(code, options = {}) {
  if (typeof code !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('code', 'string', code);
  if (options === null || typeof options !== 'object') throw new codes.ERR_INVALID_ARG_TYPE('options', 'object', options);
  const { mode = 'strip', sourceMap = false, sourceUrl = '' } = options;
  if (mode !== 'strip' && mode !== 'transform') {
    throw new codes.ERR_INVALID_ARG_VALUE('options.mode', mode, "must be one of: 'strip', 'transform'");
  }
  if (typeof sourceMap !== 'boolean') throw new codes.ERR_INVALID_ARG_TYPE('options.sourceMap', 'boolean', sourceMap);
  if (mode === 'strip' && sourceMap) {
    throw new codes.ERR_INVALID_ARG_VALUE('options.sourceMap', sourceMap, 'must be one of: false, undefined');
  }
  if (typeof sourceUrl !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('options.sourceUrl', 'string', sourceUrl);
  if (!warned) {
    warned = true;
    process.emitWarning('stripTypeScriptTypes is an experimental feature and might change at any time', 'ExperimentalWarning');
  }
  throw new codes.ERR_METHOD_NOT_IMPLEMENTED('stripTypeScriptTypes()');
}

module.exports = { stripTypeScriptTypes };
