'use strict';
// module.stripTypeScriptTypes(): Node's argument checks, then crates/runtime's strip mode
// (types become spaces, positions kept) or oxc's transform (the code differs from the
// swc output Node prints, but means the same).

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
  return internalBinding('module').stripTypeScript(code, mode, sourceUrl, sourceMap);
}

module.exports = { stripTypeScriptTypes };
