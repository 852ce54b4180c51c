'use strict';

// node:zlib. Every stream owns a native engine (internalBinding('zlib'), src/zlib.rs):
// deflate/inflate in its zlib, gzip and raw forms, brotli and zstd. A write hands the
// engine one whole chunk and a flush mode and gets back all the output it made, which
// is cut into Buffers at the boundaries of Node's chunkSize output buffers. Streams and
// the callback functions compress on the thread pool; the *Sync functions inline.

const { Buffer, kMaxLength } = require('buffer');
const Transform = require('internal/streams/transform');
const { codes, validators } = require('internal/errors');
const { isArrayBufferView, isAnyArrayBuffer } = require('internal/util/types');
const { FastBuffer } = internalBinding('buffer').internals;
const binding = internalBinding('zlib');

const {
  ERR_BROTLI_INVALID_PARAM,
  ERR_BUFFER_TOO_LARGE,
  ERR_INTERNAL_ASSERTION,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_OUT_OF_RANGE,
  ERR_TRAILING_JUNK_AFTER_STREAM_END,
  ERR_ZLIB_INITIALIZATION_FAILED,
  ERR_ZSTD_INVALID_PARAM,
} = codes;
const { validateFunction, validateUint32 } = validators;

const NumberIsFinite = Number.isFinite;
const NumberIsInteger = Number.isInteger;
const NumberIsNaN = Number.isNaN;
const ObjectDefineProperty = Object.defineProperty;
const ObjectKeys = Object.keys;
const ObjectSetPrototypeOf = Object.setPrototypeOf;

// --- constants ------------------------------------------------------------------

const constants = {};
{
  const values = [
    ['Z_NO_FLUSH', 0], ['Z_PARTIAL_FLUSH', 1], ['Z_SYNC_FLUSH', 2], ['Z_FULL_FLUSH', 3], ['Z_FINISH', 4],
    ['Z_BLOCK', 5], ['Z_OK', 0], ['Z_STREAM_END', 1], ['Z_NEED_DICT', 2], ['Z_ERRNO', -1],
    ['Z_STREAM_ERROR', -2], ['Z_DATA_ERROR', -3], ['Z_MEM_ERROR', -4], ['Z_BUF_ERROR', -5],
    ['Z_VERSION_ERROR', -6], ['Z_NO_COMPRESSION', 0], ['Z_BEST_SPEED', 1], ['Z_BEST_COMPRESSION', 9],
    ['Z_DEFAULT_COMPRESSION', -1], ['Z_FILTERED', 1], ['Z_HUFFMAN_ONLY', 2], ['Z_RLE', 3], ['Z_FIXED', 4],
    ['Z_DEFAULT_STRATEGY', 0], ['ZLIB_VERNUM', 4897], ['DEFLATE', 1], ['INFLATE', 2], ['GZIP', 3],
    ['GUNZIP', 4], ['DEFLATERAW', 5], ['INFLATERAW', 6], ['UNZIP', 7], ['BROTLI_DECODE', 8],
    ['BROTLI_ENCODE', 9], ['ZSTD_DECOMPRESS', 11], ['ZSTD_COMPRESS', 10], ['Z_MIN_WINDOWBITS', 8],
    ['Z_MAX_WINDOWBITS', 15], ['Z_DEFAULT_WINDOWBITS', 15], ['Z_MIN_CHUNK', 64], ['Z_MAX_CHUNK', Infinity],
    ['Z_DEFAULT_CHUNK', 16384], ['Z_MIN_MEMLEVEL', 1], ['Z_MAX_MEMLEVEL', 9], ['Z_DEFAULT_MEMLEVEL', 8],
    ['Z_MIN_LEVEL', -1], ['Z_MAX_LEVEL', 9], ['Z_DEFAULT_LEVEL', -1], ['BROTLI_OPERATION_PROCESS', 0],
    ['BROTLI_OPERATION_FLUSH', 1], ['BROTLI_OPERATION_FINISH', 2], ['BROTLI_OPERATION_EMIT_METADATA', 3],
    ['BROTLI_PARAM_MODE', 0], ['BROTLI_MODE_GENERIC', 0], ['BROTLI_MODE_TEXT', 1], ['BROTLI_MODE_FONT', 2],
    ['BROTLI_DEFAULT_MODE', 0], ['BROTLI_PARAM_QUALITY', 1], ['BROTLI_MIN_QUALITY', 0],
    ['BROTLI_MAX_QUALITY', 11], ['BROTLI_DEFAULT_QUALITY', 11], ['BROTLI_PARAM_LGWIN', 2],
    ['BROTLI_MIN_WINDOW_BITS', 10], ['BROTLI_MAX_WINDOW_BITS', 24], ['BROTLI_LARGE_MAX_WINDOW_BITS', 30],
    ['BROTLI_DEFAULT_WINDOW', 22], ['BROTLI_PARAM_LGBLOCK', 3], ['BROTLI_MIN_INPUT_BLOCK_BITS', 16],
    ['BROTLI_MAX_INPUT_BLOCK_BITS', 24], ['BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING', 4],
    ['BROTLI_PARAM_SIZE_HINT', 5], ['BROTLI_PARAM_LARGE_WINDOW', 6], ['BROTLI_PARAM_NPOSTFIX', 7],
    ['BROTLI_PARAM_NDIRECT', 8], ['BROTLI_DECODER_RESULT_ERROR', 0], ['BROTLI_DECODER_RESULT_SUCCESS', 1],
    ['BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT', 2], ['BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT', 3],
    ['BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION', 0], ['BROTLI_DECODER_PARAM_LARGE_WINDOW', 1],
    ['BROTLI_DECODER_NO_ERROR', 0], ['BROTLI_DECODER_SUCCESS', 1], ['BROTLI_DECODER_NEEDS_MORE_INPUT', 2],
    ['BROTLI_DECODER_NEEDS_MORE_OUTPUT', 3], ['BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE', -1],
    ['BROTLI_DECODER_ERROR_FORMAT_RESERVED', -2], ['BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE', -3],
    ['BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET', -4],
    ['BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME', -5], ['BROTLI_DECODER_ERROR_FORMAT_CL_SPACE', -6],
    ['BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE', -7], ['BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT', -8],
    ['BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1', -9], ['BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2', -10],
    ['BROTLI_DECODER_ERROR_FORMAT_TRANSFORM', -11], ['BROTLI_DECODER_ERROR_FORMAT_DICTIONARY', -12],
    ['BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS', -13], ['BROTLI_DECODER_ERROR_FORMAT_PADDING_1', -14],
    ['BROTLI_DECODER_ERROR_FORMAT_PADDING_2', -15], ['BROTLI_DECODER_ERROR_FORMAT_DISTANCE', -16],
    ['BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET', -19], ['BROTLI_DECODER_ERROR_INVALID_ARGUMENTS', -20],
    ['BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES', -21], ['BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS', -22],
    ['BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP', -25], ['BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1', -26],
    ['BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2', -27], ['BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES', -30],
    ['BROTLI_DECODER_ERROR_UNREACHABLE', -31], ['ZSTD_e_continue', 0], ['ZSTD_e_flush', 1], ['ZSTD_e_end', 2],
    ['ZSTD_fast', 1], ['ZSTD_dfast', 2], ['ZSTD_greedy', 3], ['ZSTD_lazy', 4], ['ZSTD_lazy2', 5],
    ['ZSTD_btlazy2', 6], ['ZSTD_btopt', 7], ['ZSTD_btultra', 8], ['ZSTD_btultra2', 9],
    ['ZSTD_c_compressionLevel', 100], ['ZSTD_c_windowLog', 101], ['ZSTD_c_hashLog', 102],
    ['ZSTD_c_chainLog', 103], ['ZSTD_c_searchLog', 104], ['ZSTD_c_minMatch', 105],
    ['ZSTD_c_targetLength', 106], ['ZSTD_c_strategy', 107], ['ZSTD_c_enableLongDistanceMatching', 160],
    ['ZSTD_c_ldmHashLog', 161], ['ZSTD_c_ldmMinMatch', 162], ['ZSTD_c_ldmBucketSizeLog', 163],
    ['ZSTD_c_ldmHashRateLog', 164], ['ZSTD_c_contentSizeFlag', 200], ['ZSTD_c_checksumFlag', 201],
    ['ZSTD_c_dictIDFlag', 202], ['ZSTD_c_nbWorkers', 400], ['ZSTD_c_jobSize', 401], ['ZSTD_c_overlapLog', 402],
    ['ZSTD_d_windowLogMax', 100], ['ZSTD_CLEVEL_DEFAULT', 3], ['ZSTD_error_no_error', 0],
    ['ZSTD_error_GENERIC', 1], ['ZSTD_error_prefix_unknown', 10], ['ZSTD_error_version_unsupported', 12],
    ['ZSTD_error_frameParameter_unsupported', 14], ['ZSTD_error_frameParameter_windowTooLarge', 16],
    ['ZSTD_error_corruption_detected', 20], ['ZSTD_error_checksum_wrong', 22],
    ['ZSTD_error_literals_headerWrong', 24], ['ZSTD_error_dictionary_corrupted', 30],
    ['ZSTD_error_dictionary_wrong', 32], ['ZSTD_error_dictionaryCreation_failed', 34],
    ['ZSTD_error_parameter_unsupported', 40], ['ZSTD_error_parameter_combination_unsupported', 41],
    ['ZSTD_error_parameter_outOfBound', 42], ['ZSTD_error_tableLog_tooLarge', 44],
    ['ZSTD_error_maxSymbolValue_tooLarge', 46], ['ZSTD_error_maxSymbolValue_tooSmall', 48],
    ['ZSTD_error_stabilityCondition_notRespected', 50], ['ZSTD_error_stage_wrong', 60],
    ['ZSTD_error_init_missing', 62], ['ZSTD_error_memory_allocation', 64],
    ['ZSTD_error_workSpace_tooSmall', 66], ['ZSTD_error_dstSize_tooSmall', 70],
    ['ZSTD_error_srcSize_wrong', 72], ['ZSTD_error_dstBuffer_null', 74],
    ['ZSTD_error_noForwardProgress_destFull', 80], ['ZSTD_error_noForwardProgress_inputEmpty', 82],
  ];
  for (const [name, value] of values) {
    ObjectDefineProperty(constants, name, { value, enumerable: true, writable: false, configurable: false });
  }
}

const {
  DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP,
  BROTLI_DECODE, BROTLI_ENCODE, ZSTD_COMPRESS, ZSTD_DECOMPRESS,
  Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH,
  Z_MIN_CHUNK, Z_DEFAULT_CHUNK, Z_MIN_WINDOWBITS, Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS,
  Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION, Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL, Z_DEFAULT_MEMLEVEL,
  Z_DEFAULT_STRATEGY, Z_FIXED,
  BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_FLUSH, BROTLI_OPERATION_FINISH, BROTLI_OPERATION_EMIT_METADATA,
  ZSTD_e_continue, ZSTD_e_flush, ZSTD_e_end,
} = constants;

// zlib return codes by name and by number.
const zlibCodes = {
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2,
  Z_DATA_ERROR: -3, Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
};
for (const name of ObjectKeys(zlibCodes)) zlibCodes[zlibCodes[name]] = name;
Object.freeze(zlibCodes);

// The largest parameter key each family takes (the native side rejects unknown ones).
const kMaxBrotliParam = 8;
const kMaxZstdCParam = 402;
const kMaxZstdDParam = 100;

// How strongly each flush mode flushes, weakest first: the last chunk of a stream is
// written with the stronger of its own mode and the finish mode.
const kFlushRank = [Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH];
function maxFlush(a, b) {
  return kFlushRank.indexOf(a) > kFlushRank.indexOf(b) ? a : b;
}

// --- validation -------------------------------------------------------------------

// undefined and NaN mean "use the default"; anything else must be a finite number.
function checkFiniteNumber(number, name) {
  if (number === undefined || NumberIsNaN(number)) return false;
  if (NumberIsFinite(number)) return true;
  if (typeof number !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', number);
  throw new ERR_OUT_OF_RANGE(name, 'a finite number', number);
}

function checkRangesOrGetDefault(number, name, lower, upper, def) {
  if (!checkFiniteNumber(number, name)) return def;
  if (number < lower || number > upper) {
    throw new ERR_OUT_OF_RANGE(name, `>= ${lower} and <= ${upper}`, number);
  }
  return number;
}

function toDictionary(dictionary) {
  if (dictionary === undefined) return undefined;
  if (isAnyArrayBuffer(dictionary)) return Buffer.from(dictionary);
  if (!isArrayBufferView(dictionary)) {
    throw new ERR_INVALID_ARG_TYPE('options.dictionary', ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'],
      dictionary);
  }
  return dictionary;
}

// Makes the native engine; its refusals become ERR_ZLIB_INITIALIZATION_FAILED.
function createHandle(create, ...args) {
  try {
    return create(...args);
  } catch (e) {
    const err = new ERR_ZLIB_INITIALIZATION_FAILED();
    if (e.message !== err.message) err.message = e.message;
    throw err;
  }
}

let warnedNoNew = false;
function warnNoNew(name) {
  if (warnedNoNew) return;
  warnedNoNew = true;
  process.emitWarning(`Instantiating ${name} without the 'new' keyword has been deprecated.`,
    'DeprecationWarning', 'DEP0184');
}

// The native side reads bytes from Uint8Arrays; other views are re-viewed as one.
function bytesOf(view) {
  if (view === undefined || view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

// --- errors from the engine -------------------------------------------------------

function brotliErrorCode(errno) {
  for (const name of ObjectKeys(constants)) {
    if (name.startsWith('BROTLI_DECODER_ERROR_') && constants[name] === errno) {
      return `ERR_${name.slice('BROTLI_DECODER'.length)}`;
    }
  }
  return 'ERR_BROTLI_DECOMPRESSION_FAILED';
}

function zstdErrorCode(errno) {
  for (const name of ObjectKeys(constants)) {
    if (name.startsWith('ZSTD_error_') && constants[name] === errno) return name;
  }
  return 'ZSTD_error_GENERIC';
}

function engineError(mode, message, errno) {
  let code;
  if (errno === -5 && message === 'unexpected end of file') code = 'Z_BUF_ERROR';
  else if (mode === BROTLI_DECODE) code = brotliErrorCode(errno);
  else if (mode === BROTLI_ENCODE) code = 'ERR_BROTLI_COMPRESSION_FAILED';
  else if (mode === ZSTD_COMPRESS || mode === ZSTD_DECOMPRESS) code = zstdErrorCode(errno);
  else code = zlibCodes[errno];
  const err = new Error(message);
  err.errno = errno;
  err.code = code;
  return err;
}

// --- the stream classes -----------------------------------------------------------

const kFlushFlag = Symbol('kFlushFlag');
const kFree = Symbol('kFree');
const kWriting = Symbol('kWriting');
const kPendingClose = Symbol('kPendingClose');

// Zero-length chunks that carry a flush mode through the writable queue.
const kFlushBuffers = [];
for (const kind of [Z_NO_FLUSH, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH, Z_BLOCK]) {
  kFlushBuffers[kind] = Buffer.alloc(0);
  kFlushBuffers[kind][kFlushFlag] = kind;
}

function ZlibBase(opts, mode, handle, defaults) {
  let chunkSize = Z_DEFAULT_CHUNK;
  let { flush, finishFlush } = defaults;
  let maxOutputLength = kMaxLength;
  if (opts) {
    chunkSize = opts.chunkSize;
    if (!checkFiniteNumber(chunkSize, 'options.chunkSize')) {
      chunkSize = Z_DEFAULT_CHUNK;
    } else if (chunkSize < Z_MIN_CHUNK) {
      throw new ERR_OUT_OF_RANGE('options.chunkSize', `>= ${Z_MIN_CHUNK}`, chunkSize);
    }
    flush = checkRangesOrGetDefault(opts.flush, 'options.flush', defaults.minFlush, defaults.maxFlush, flush);
    finishFlush = checkRangesOrGetDefault(opts.finishFlush, 'options.finishFlush',
      defaults.minFlush, defaults.maxFlush, finishFlush);
    maxOutputLength = checkRangesOrGetDefault(opts.maxOutputLength, 'options.maxOutputLength',
      1, kMaxLength, kMaxLength);
  }
  // `flush` is a number here; Transform would take a function there for its _flush.
  Transform.call(this, { autoDestroy: true, ...opts, flush: undefined });
  this.bytesWritten = 0;
  this._handle = handle;
  this._chunkSize = chunkSize;
  this._defaultFlushFlag = flush;
  this._finishFlushFlag = finishFlush;
  this._defaultFullFlushFlag = defaults.fullFlush;
  this._info = opts && opts.info;
  this._maxOutputLength = maxOutputLength;
  this._rejectGarbageAfterEnd = Boolean(opts && opts.rejectGarbageAfterEnd);
  this._mode = mode;
  this[kFree] = chunkSize;
  this[kWriting] = false;
  this[kPendingClose] = false;
}
ObjectSetPrototypeOf(ZlibBase.prototype, Transform.prototype);
ObjectSetPrototypeOf(ZlibBase, Transform);

ObjectDefineProperty(ZlibBase.prototype, '_closed', {
  configurable: true,
  enumerable: true,
  get() {
    return !this._handle;
  },
});

ZlibBase.prototype.reset = function reset() {
  if (!this._handle) throw new ERR_INTERNAL_ASSERTION('zlib binding closed');
  binding.reset(this._handle);
};

ZlibBase.prototype._flush = function _flush(callback) {
  this._transform(Buffer.alloc(0), '', callback);
};

ZlibBase.prototype._final = function _final(callback) {
  callback();
};

ZlibBase.prototype.flush = function flush(kind, callback) {
  if (typeof kind === 'function' || (kind === undefined && !callback)) {
    callback = kind;
    kind = this._defaultFullFlushFlag;
  }
  if (typeof kind !== 'number') throw new ERR_INVALID_ARG_TYPE('kind', 'number', kind);
  if (this.writableFinished) {
    if (callback) process.nextTick(callback);
  } else if (this.writableEnded) {
    if (callback) this.once('end', callback);
  } else {
    let chunk = kFlushBuffers[kind];
    if (chunk === undefined) {
      chunk = Buffer.alloc(0);
      chunk[kFlushFlag] = kind;
    }
    this.write(chunk, '', callback);
  }
};

ZlibBase.prototype.close = function close(callback) {
  if (callback) require('internal/streams/end-of-stream')(this, callback);
  this.destroy();
};

ZlibBase.prototype._destroy = function _destroy(err, callback) {
  closeHandle(this);
  callback(err);
};

ZlibBase.prototype._transform = function _transform(chunk, encoding, callback) {
  let flushFlag = this._defaultFlushFlag;
  if (typeof chunk[kFlushFlag] === 'number') flushFlag = chunk[kFlushFlag];
  // The last chunk of an ended stream is also the one that finishes it.
  if (this.writableEnded && this.writableLength === chunk.byteLength) {
    flushFlag = maxFlush(flushFlag, this._finishFlushFlag);
  }
  processChunk(this, chunk, flushFlag, callback);
};

ZlibBase.prototype._processChunk = function _processChunk(chunk, flushFlag, callback) {
  if (typeof callback === 'function') return processChunk(this, chunk, flushFlag, callback);
  return processChunkSync(this, chunk, flushFlag);
};

function closeHandle(stream) {
  if (!stream._handle) return;
  // A write on the thread pool still holds the engine; it is freed when that returns.
  if (stream[kWriting]) {
    stream[kPendingClose] = stream._handle;
  } else {
    binding.close(stream._handle);
  }
  stream._handle = null;
}

// Cuts one write's output at the boundaries of Node's output buffers: the rest of the
// current one (`free` bytes), then whole chunkSize buffers.
function forEachOutputPiece(output, free, chunkSize, fn) {
  if (output === null) return;
  const { buffer } = output;
  const length = output.length;
  let offset = 0;
  let room = free;
  while (offset < length) {
    const n = Math.min(room, length - offset);
    fn(new FastBuffer(buffer, offset, n));
    offset += n;
    room = chunkSize;
  }
}

function toBuffer(output) {
  return output === null ? Buffer.alloc(0) : new FastBuffer(output.buffer, 0, output.length);
}

function processChunk(stream, chunk, flushFlag, callback) {
  const handle = stream._handle;
  if (!handle) {
    process.nextTick(callback);
    return;
  }
  const free = stream[kFree];
  stream[kWriting] = true;
  binding.writeAsync(handle, flushFlag, bytesOf(chunk), free, stream._chunkSize, undefined, undefined, (result) => {
    stream[kWriting] = false;
    if (stream[kPendingClose]) {
      binding.close(stream[kPendingClose]);
      stream[kPendingClose] = false;
    }
    if (stream.destroyed) {
      callback();
      return;
    }
    const [output, unconsumed, nextFree, message, errno] = result;
    if (message !== undefined) {
      stream.destroy(engineError(stream._mode, message, errno));
      return;
    }
    stream.bytesWritten += chunk.byteLength - unconsumed;
    stream[kFree] = nextFree;
    const readableEnded = stream._readableState.ended;
    if (!readableEnded) forEachOutputPiece(output, free, stream._chunkSize, (piece) => stream.push(piece));
    if (unconsumed > 0 && !readableEnded) {
      // The engine reached the end of its data: the rest of the input is ignored.
      if (stream._rejectGarbageAfterEnd) {
        stream.destroy(new ERR_TRAILING_JUNK_AFTER_STREAM_END());
        return;
      }
      stream.push(null);
    }
    callback();
  });
}

function processChunkSync(stream, chunk, flushFlag) {
  const handle = stream._handle;
  if (!handle) throw new Error('zlib binding closed');
  const [output, unconsumed, free, message, errno] =
    binding.write(handle, flushFlag, bytesOf(chunk), stream[kFree], stream._chunkSize, stream._maxOutputLength);
  if (errno === 'too large') {
    closeHandle(stream);
    throw new ERR_BUFFER_TOO_LARGE(stream._maxOutputLength);
  }
  if (message !== undefined) {
    closeHandle(stream);
    throw engineError(stream._mode, message, errno);
  }
  if (unconsumed > 0 && stream._rejectGarbageAfterEnd) {
    closeHandle(stream);
    throw new ERR_TRAILING_JUNK_AFTER_STREAM_END();
  }
  stream.bytesWritten = chunk.byteLength - unconsumed;
  stream[kFree] = free;
  return toBuffer(output);
}

// zlib: Deflate, Inflate, Gzip, Gunzip, DeflateRaw, InflateRaw, Unzip.
const zlibDefaults = {
  flush: Z_NO_FLUSH, finishFlush: Z_FINISH, fullFlush: Z_FULL_FLUSH, minFlush: Z_NO_FLUSH, maxFlush: Z_BLOCK,
};

function Zlib(opts, mode) {
  let windowBits = Z_DEFAULT_WINDOWBITS;
  let level = Z_DEFAULT_COMPRESSION;
  let memLevel = Z_DEFAULT_MEMLEVEL;
  let strategy = Z_DEFAULT_STRATEGY;
  let dictionary;
  if (opts) {
    // Inflating, 0 means "the window size the header names".
    if ((opts.windowBits == null || opts.windowBits === 0) &&
        (mode === INFLATE || mode === GUNZIP || mode === UNZIP)) {
      windowBits = 0;
    } else {
      windowBits = checkRangesOrGetDefault(opts.windowBits, 'options.windowBits',
        mode === GZIP ? 9 : Z_MIN_WINDOWBITS, Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS);
    }
    level = checkRangesOrGetDefault(opts.level, 'options.level', Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION);
    memLevel = checkRangesOrGetDefault(opts.memLevel, 'options.memLevel',
      Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL, Z_DEFAULT_MEMLEVEL);
    strategy = checkRangesOrGetDefault(opts.strategy, 'options.strategy', Z_DEFAULT_STRATEGY, Z_FIXED,
      Z_DEFAULT_STRATEGY);
    dictionary = toDictionary(opts.dictionary);
  }
  const handle = createHandle(binding.createZlib, mode, level, windowBits, memLevel, strategy,
    bytesOf(dictionary));
  ZlibBase.call(this, opts, mode, handle, zlibDefaults);
  this._level = level;
  this._strategy = strategy;
}
ObjectSetPrototypeOf(Zlib.prototype, ZlibBase.prototype);
ObjectSetPrototypeOf(Zlib, ZlibBase);

Zlib.prototype.params = function params(level, strategy, callback) {
  checkRangesOrGetDefault(level, 'level', Z_MIN_LEVEL, Z_MAX_LEVEL);
  checkRangesOrGetDefault(strategy, 'strategy', Z_DEFAULT_STRATEGY, Z_FIXED);
  if (this._level !== level || this._strategy !== strategy) {
    this.flush(Z_SYNC_FLUSH, () => {
      if (this._handle) binding.params(this._handle, level, strategy);
      if (!this.destroyed) {
        this._level = level;
        this._strategy = strategy;
        if (callback) callback();
      }
    });
  } else if (callback) {
    process.nextTick(callback);
  }
};

// Brotli: BrotliCompress, BrotliDecompress.
const brotliDefaults = {
  flush: BROTLI_OPERATION_PROCESS, finishFlush: BROTLI_OPERATION_FINISH, fullFlush: BROTLI_OPERATION_FLUSH,
  minFlush: BROTLI_OPERATION_PROCESS, maxFlush: BROTLI_OPERATION_EMIT_METADATA,
};

// `params` as [key, value, key, value...] for the native side.
function collectParams(params, maxKey, invalidParam) {
  const pairs = [];
  if (params == null) return pairs;
  for (const origKey of ObjectKeys(params)) {
    const key = +origKey;
    if (NumberIsNaN(key) || key < 0 || key > maxKey || !NumberIsInteger(key)) {
      throw new invalidParam(origKey);
    }
    const value = params[origKey];
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ERR_INVALID_ARG_TYPE('options.params[key]', 'number', value);
    }
    pairs.push(key, +value);
  }
  return pairs;
}

function Brotli(opts, mode) {
  const params = collectParams(opts && opts.params, kMaxBrotliParam, ERR_BROTLI_INVALID_PARAM);
  const dictionary = toDictionary(opts ? opts.dictionary : undefined);
  const handle = createHandle(binding.createBrotli, mode, params, bytesOf(dictionary));
  ZlibBase.call(this, opts, mode, handle, brotliDefaults);
}
// Brotli streams inherit from Zlib (so they have params()) without running its constructor.
ObjectSetPrototypeOf(Brotli.prototype, Zlib.prototype);
ObjectSetPrototypeOf(Brotli, Zlib);

// Zstd: ZstdCompress, ZstdDecompress.
const zstdDefaults = {
  flush: ZSTD_e_continue, finishFlush: ZSTD_e_end, fullFlush: ZSTD_e_flush,
  minFlush: ZSTD_e_continue, maxFlush: ZSTD_e_end,
};

function Zstd(opts, mode) {
  const maxKey = mode === ZSTD_COMPRESS ? kMaxZstdCParam : kMaxZstdDParam;
  const params = collectParams(opts && opts.params, maxKey, ERR_ZSTD_INVALID_PARAM);
  const pledgedSrcSize = opts ? opts.pledgedSrcSize : undefined;
  if (typeof pledgedSrcSize === 'number' && pledgedSrcSize < 0) {
    const err = new ERR_INVALID_ARG_VALUE('pledgedSrcSize', pledgedSrcSize);
    err.message = 'pledgedSrcSize may not be negative';
    throw err;
  }
  const dictionary = opts && isArrayBufferView(opts.dictionary) ? opts.dictionary : undefined;
  const handle = createHandle(binding.createZstd, mode, params, bytesOf(dictionary));
  ZlibBase.call(this, opts, mode, handle, zstdDefaults);
}
ObjectSetPrototypeOf(Zstd.prototype, ZlibBase.prototype);
ObjectSetPrototypeOf(Zstd, ZlibBase);

// The public classes: callable without `new` (deprecated), subclassable.
function defineClass(name, Base, mode) {
  const ctor = {
    [name]: function(opts) {
      if (!(this instanceof ctor)) {
        warnNoNew(name);
        return new ctor(opts);
      }
      Base.call(this, opts, mode);
    },
  }[name];
  ObjectSetPrototypeOf(ctor.prototype, Base.prototype);
  ObjectSetPrototypeOf(ctor, Base);
  return ctor;
}

const Deflate = defineClass('Deflate', Zlib, DEFLATE);
const Inflate = defineClass('Inflate', Zlib, INFLATE);
const Gzip = defineClass('Gzip', Zlib, GZIP);
const Gunzip = defineClass('Gunzip', Zlib, GUNZIP);
const DeflateRaw = defineClass('DeflateRaw', Zlib, DEFLATERAW);
const InflateRaw = defineClass('InflateRaw', Zlib, INFLATERAW);
const Unzip = defineClass('Unzip', Zlib, UNZIP);
const BrotliCompress = defineClass('BrotliCompress', Brotli, BROTLI_ENCODE);
const BrotliDecompress = defineClass('BrotliDecompress', Brotli, BROTLI_DECODE);
const ZstdCompress = defineClass('ZstdCompress', Zstd, ZSTD_COMPRESS);
const ZstdDecompress = defineClass('ZstdDecompress', Zstd, ZSTD_DECOMPRESS);

// --- convenience functions --------------------------------------------------------

function zlibBufferSync(engine, buffer) {
  if (typeof buffer === 'string') {
    buffer = Buffer.from(buffer);
  } else if (!isArrayBufferView(buffer)) {
    if (!isAnyArrayBuffer(buffer)) {
      throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'],
        buffer);
    }
    buffer = Buffer.from(buffer);
  }
  const result = processChunkSync(engine, buffer, engine._finishFlushFlag);
  closeHandle(engine);
  return engine._info ? { buffer: result, engine } : result;
}

// The whole input in one job on the thread pool. Like Node's stream.end(buffer), the input
// is written with the default flush and the stream then finished by an empty write.
function zlibBuffer(engine, buffer, callback) {
  validateFunction(callback, 'callback');
  if (typeof buffer === 'string') {
    buffer = Buffer.from(buffer);
  } else if (isAnyArrayBuffer(buffer)) {
    buffer = Buffer.from(buffer);
  } else if (!isArrayBufferView(buffer)) {
    throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], buffer);
  }
  const handle = engine._handle;
  engine[kWriting] = true;
  binding.writeAsync(handle, engine._defaultFlushFlag, bytesOf(buffer), engine[kFree], engine._chunkSize,
    engine._maxOutputLength, engine._finishFlushFlag, (result) => {
      engine[kWriting] = false;
      const [output, unconsumed, , message, errno] = result;
      binding.close(handle);
      engine._handle = null;
      let err = null;
      if (errno === 'too large') err = new ERR_BUFFER_TOO_LARGE(engine._maxOutputLength);
      else if (message !== undefined) err = engineError(engine._mode, message, errno);
      else if (unconsumed > 0 && engine._rejectGarbageAfterEnd) err = new ERR_TRAILING_JUNK_AFTER_STREAM_END();
      if (err) {
        callback(err);
        return;
      }
      engine.bytesWritten = buffer.byteLength - unconsumed;
      const out = toBuffer(output);
      callback(null, engine._info ? { buffer: out, engine } : out);
    });
}

function createConvenienceMethod(ctor, sync) {
  if (sync) {
    return function syncBufferWrapper(buffer, opts) {
      return zlibBufferSync(new ctor(opts), buffer);
    };
  }
  return function asyncBufferWrapper(buffer, opts, callback) {
    if (typeof opts === 'function') {
      callback = opts;
      opts = {};
    }
    return zlibBuffer(new ctor(opts), buffer, callback);
  };
}

function crc32(data, value = 0) {
  if (typeof data === 'string') {
    data = Buffer.from(data);
  } else if (!isArrayBufferView(data)) {
    throw new ERR_INVALID_ARG_TYPE('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  validateUint32(value, 'value');
  return binding.crc32(bytesOf(data), value);
}

// --- exports ----------------------------------------------------------------------

module.exports = {
  crc32,
  Deflate,
  Inflate,
  Gzip,
  Gunzip,
  DeflateRaw,
  InflateRaw,
  Unzip,
  BrotliCompress,
  BrotliDecompress,
  ZstdCompress,
  ZstdDecompress,
  deflate: createConvenienceMethod(Deflate, false),
  deflateSync: createConvenienceMethod(Deflate, true),
  gzip: createConvenienceMethod(Gzip, false),
  gzipSync: createConvenienceMethod(Gzip, true),
  deflateRaw: createConvenienceMethod(DeflateRaw, false),
  deflateRawSync: createConvenienceMethod(DeflateRaw, true),
  unzip: createConvenienceMethod(Unzip, false),
  unzipSync: createConvenienceMethod(Unzip, true),
  inflate: createConvenienceMethod(Inflate, false),
  inflateSync: createConvenienceMethod(Inflate, true),
  gunzip: createConvenienceMethod(Gunzip, false),
  gunzipSync: createConvenienceMethod(Gunzip, true),
  inflateRaw: createConvenienceMethod(InflateRaw, false),
  inflateRawSync: createConvenienceMethod(InflateRaw, true),
  brotliCompress: createConvenienceMethod(BrotliCompress, false),
  brotliCompressSync: createConvenienceMethod(BrotliCompress, true),
  brotliDecompress: createConvenienceMethod(BrotliDecompress, false),
  brotliDecompressSync: createConvenienceMethod(BrotliDecompress, true),
  zstdCompress: createConvenienceMethod(ZstdCompress, false),
  zstdCompressSync: createConvenienceMethod(ZstdCompress, true),
  zstdDecompress: createConvenienceMethod(ZstdDecompress, false),
  zstdDecompressSync: createConvenienceMethod(ZstdDecompress, true),
};

const factories = [
  ['createDeflate', Deflate], ['createInflate', Inflate], ['createDeflateRaw', DeflateRaw],
  ['createInflateRaw', InflateRaw], ['createGzip', Gzip], ['createGunzip', Gunzip], ['createUnzip', Unzip],
  ['createBrotliCompress', BrotliCompress], ['createBrotliDecompress', BrotliDecompress],
  ['createZstdCompress', ZstdCompress], ['createZstdDecompress', ZstdDecompress],
];
for (const [name, ctor] of factories) {
  // Node's factories are named 'value', after the descriptor they were defined with.
  const factory = { value: (options) => new ctor(options) }.value;
  ObjectDefineProperty(module.exports, name, { value: factory, enumerable: true, writable: false, configurable: true });
}

ObjectDefineProperty(module.exports, 'constants', {
  value: constants, enumerable: true, writable: false, configurable: false,
});
ObjectDefineProperty(module.exports, 'codes', {
  value: zlibCodes, enumerable: true, writable: false, configurable: false,
});

// The pre-`constants` names (all but brotli's) stay on the module, hidden.
for (const name of ObjectKeys(constants)) {
  if (name.startsWith('BROTLI')) continue;
  ObjectDefineProperty(module.exports, name, {
    value: constants[name], enumerable: false, writable: false, configurable: false,
  });
}
