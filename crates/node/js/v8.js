'use strict';
// node:v8 — V8's value serializer (byte-compatible with Node, see internal/v8/serdes.js),
// heap statistics drawn from what JavaScriptCore reports, and V8-only tooling (heap
// snapshots, CPU profiles, promise hooks, GC profiling, object queries), which ferro
// cannot provide: those validate their arguments as Node does, then throw.

const { codes, validators } = require('internal/errors');
const { validateString, validateFunction, validateObject, validateOneOf, validateBoolean, validateUint32 } = validators;
const { Serializer, Deserializer, viewParts } = require('internal/v8/serdes');
const { Buffer } = require('buffer');

const ObjectPrototypeToString = Function.prototype.call.bind(Object.prototype.toString);

function unsupported(what, reason) {
  return new Error(`${what} is not supported by ferro: ${reason}`);
}
const kNoV8 = 'the JavaScriptCore engine has no V8 heap or profiler';

// ---- serialization ----------------------------------------------------------------

// Host-object type indexes of Node's DefaultSerializer (10 is Buffer).
const kHostViewTypes = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, DataView, Buffer, BigInt64Array, BigUint64Array,
];
if (typeof Float16Array === 'function') kHostViewTypes.push(Float16Array);
const kHostViewIndexByTag = new Map(
  kHostViewTypes.map((ctor, index) => [`[object ${ctor.name}]`, index]).filter(([, index]) => index !== 10),
);

// Writes Buffers, typed arrays and DataViews as host objects: type index, byte length,
// bytes. (V8's own record would serialize the whole underlying ArrayBuffer, which for a
// pooled Buffer holds unrelated data.)
class DefaultSerializer extends Serializer {
  constructor() {
    super();
    this._setTreatArrayBufferViewsAsHostObjects(true);
  }

  _writeHostObject(view) {
    let index = 10;
    if (view.constructor !== Buffer) {
      index = kHostViewIndexByTag.get(ObjectPrototypeToString(view));
      if (index === undefined) {
        const { inspect } = require('internal/util/inspect');
        throw this._getDataCloneError(`Unserializable host object: ${inspect(view)}`);
      }
    }
    const [buffer, byteOffset, byteLength] = viewParts(view);
    this.writeUint32(index);
    this.writeUint32(byteLength);
    this.writeRawBytes(new Uint8Array(buffer, byteOffset, byteLength));
  }
}

class DefaultDeserializer extends Deserializer {
  _readHostObject() {
    const index = this.readUint32();
    const Ctor = kHostViewTypes[index];
    const byteLength = this.readUint32();
    const offset = this._readRawBytes(byteLength);
    // Node fails here on the missing constructor, with V8's wording.
    if (Ctor === undefined) throw new TypeError("Cannot read properties of undefined (reading 'BYTES_PER_ELEMENT')");
    const [source, sourceOffset] = viewParts(this.buffer);
    const elementSize = Ctor.BYTES_PER_ELEMENT ?? 1;
    let buffer = source;
    let start = sourceOffset + offset;
    // Views need aligned offsets: copy misaligned payloads.
    if (start % elementSize !== 0) {
      buffer = new Uint8Array(source, start, byteLength).slice().buffer;
      start = 0;
    }
    if (Ctor === Buffer) return Buffer.from(buffer, start, byteLength);
    return new Ctor(buffer, start, Ctor === DataView ? byteLength : byteLength / elementSize);
  }
}

function serialize(value) {
  const serializer = new DefaultSerializer();
  serializer.writeHeader();
  serializer.writeValue(value);
  return serializer.releaseBuffer();
}

function deserialize(buffer) {
  const deserializer = new DefaultDeserializer(buffer);
  deserializer.readHeader();
  return deserializer.readValue();
}

// ---- heap statistics ------------------------------------------------------------------

// V8 sizes its default heap from physical memory; ferro reports the same kind of limit.
function heapSizeLimit() {
  return Math.min(Math.floor(require('os').totalmem() / 4), 2 ** 32) + 192 * 2 ** 20;
}

function getHeapStatistics() {
  const { heapTotal, heapUsed, external } = process.memoryUsage();
  const limit = heapSizeLimit();
  return {
    total_heap_size: heapTotal,
    total_heap_size_executable: 0,
    total_physical_size: heapTotal,
    total_available_size: Math.max(0, limit - heapUsed),
    used_heap_size: heapUsed,
    heap_size_limit: limit,
    malloced_memory: 0,
    peak_malloced_memory: 0,
    does_zap_garbage: 0,
    number_of_native_contexts: 1,
    number_of_detached_contexts: 0,
    total_global_handles_size: 0,
    used_global_handles_size: 0,
    external_memory: external,
  };
}

const kHeapSpaces = [
  'read_only_space', 'new_space', 'old_space', 'code_space', 'shared_space', 'trusted_space',
  'shared_trusted_space', 'new_large_object_space', 'large_object_space', 'code_large_object_space',
  'shared_large_object_space', 'shared_trusted_large_object_space', 'trusted_large_object_space',
];

// JavaScriptCore reports one heap: it is shown as V8's old space, the other spaces empty.
function getHeapSpaceStatistics() {
  const { heapTotal, heapUsed } = process.memoryUsage();
  return kHeapSpaces.map((name) => {
    const old = name === 'old_space';
    return {
      space_name: name,
      space_size: old ? heapTotal : 0,
      space_used_size: old ? heapUsed : 0,
      space_available_size: old ? Math.max(0, heapTotal - heapUsed) : 0,
      physical_space_size: old ? heapTotal : 0,
    };
  });
}

function getHeapCodeStatistics() {
  return {
    code_and_metadata_size: 0,
    bytecode_and_metadata_size: 0,
    external_script_source_size: 0,
    cpu_profiler_metadata_size: 0,
  };
}

const kFreeListBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

function emptyCppSpace(name, buckets) {
  return {
    __proto__: null,
    name,
    committed_size_bytes: 0,
    resident_size_bytes: 0,
    used_size_bytes: 0,
    page_stats: [],
    free_list_stats: {
      __proto__: null,
      bucket_size: buckets.slice(),
      free_count: buckets.map(() => 0),
      free_size: buckets.map(() => 0),
    },
  };
}

// ferro has no C++ (cppgc) heap: all sizes are zero.
function getCppHeapStatistics(type = 'detailed') {
  validateOneOf(type, 'type', ['brief', 'detailed']);
  const spaces = type === 'brief' ? [] : [
    emptyCppSpace('NormalPageSpace0', kFreeListBuckets),
    emptyCppSpace('NormalPageSpace1', kFreeListBuckets),
    emptyCppSpace('NormalPageSpace2', kFreeListBuckets),
    emptyCppSpace('NormalPageSpace3', kFreeListBuckets),
    emptyCppSpace('LargePageSpace', []),
  ];
  return {
    __proto__: null,
    committed_size_bytes: 0,
    resident_size_bytes: 0,
    used_size_bytes: 0,
    space_statistics: spaces,
    type_names: [],
    detail_level: type,
  };
}

// ---- misc -------------------------------------------------------------------------------

// A stable tag for this runtime version (V8 derives it from its version and flags).
const kCachedDataVersionTag = (() => {
  let hash = 0x811c9dc5;
  for (const ch of `ferro ${process.version}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return hash >>> 0;
})();

function cachedDataVersionTag() {
  return kCachedDataVersionTag;
}

// JavaScriptCore has no V8 flags: the string is checked and ignored.
function setFlagsFromString(flags) {
  validateString(flags, 'flags');
}

function isStringOneByteRepresentation(content) {
  validateString(content, 'content');
  return !/[^\x00-\xff]/.test(content);
}

// Coverage is only collected under NODE_V8_COVERAGE, which ferro does not support.
function takeCoverage() {}
function stopCoverage() {}

function notBuildingSnapshot() {
  throw new codes.ERR_NOT_BUILDING_SNAPSHOT();
}

const startupSnapshot = {
  addDeserializeCallback: function addDeserializeCallback() { notBuildingSnapshot(); },
  addSerializeCallback: function addSerializeCallback() { notBuildingSnapshot(); },
  setDeserializeMainFunction: function setDeserializeMainFunction() { notBuildingSnapshot(); },
  // Node answers with its internal flag, 0.
  isBuildingSnapshot: function isBuildingSnapshot() { return 0; },
};

function getHeapSnapshot(options) {
  if (options !== undefined) {
    validateObject(options, 'options');
    for (const name of ['exposeInternals', 'exposeNumericValues']) {
      if (options[name] !== undefined) validateBoolean(options[name], `options.${name}`);
    }
  }
  throw unsupported('v8.getHeapSnapshot()', kNoV8);
}

function writeHeapSnapshot(path, options) {
  if (path !== undefined && typeof path !== 'string' && !Buffer.isBuffer(path) && !(path instanceof URL)) {
    throw new codes.ERR_INVALID_ARG_TYPE('path', ['string', 'Buffer', 'URL'], path);
  }
  if (options !== undefined) validateObject(options, 'options');
  throw unsupported('v8.writeHeapSnapshot()', kNoV8);
}

function setHeapSnapshotNearHeapLimit(limit) {
  validateUint32(limit, 'limit', true);
  throw unsupported('v8.setHeapSnapshotNearHeapLimit()', kNoV8);
}

function startCpuProfile() {
  throw unsupported('v8.startCpuProfile()', kNoV8);
}

function queryObjects(ctor, options = undefined) {
  validateFunction(ctor, 'constructor');
  if (options !== undefined) {
    validateObject(options, 'options');
    const format = options.format;
    if (format !== undefined && format !== 'count' && format !== 'summary') {
      throw new codes.ERR_INVALID_ARG_VALUE('options.format', format);
    }
  }
  throw unsupported('v8.queryObjects()', 'the JavaScriptCore engine offers no heap queries');
}

const kNoPromiseHooks = 'the JavaScriptCore engine has no promise hooks';

function promiseHook(name, argName) {
  return function (hook) {
    validateFunction(hook, argName);
    throw unsupported(`v8.promiseHooks.${name}()`, kNoPromiseHooks);
  };
}

const promiseHooks = {
  createHook: function createHook({ init, before, after, settled } = {}) {
    const hooks = [[init, 'initHook'], [before, 'beforeHook'], [after, 'afterHook'], [settled, 'settledHook']];
    for (const [hook, argName] of hooks) if (hook !== undefined) validateFunction(hook, argName);
    if (hooks.some(([hook]) => hook !== undefined)) throw unsupported('v8.promiseHooks.createHook()', kNoPromiseHooks);
    return function stop() {};
  },
  onInit: promiseHook('onInit', 'initHook'),
  onBefore: promiseHook('onBefore', 'beforeHook'),
  onAfter: promiseHook('onAfter', 'afterHook'),
  onSettled: promiseHook('onSettled', 'settledHook'),
};

class GCProfiler {
  start() {
    throw unsupported('v8.GCProfiler', 'the JavaScriptCore engine reports no garbage collection events');
  }

  // Nothing was started, so there is nothing to report (as in Node before start()).
  stop() {
    return undefined;
  }
}

module.exports = {
  cachedDataVersionTag,
  getHeapSnapshot,
  getHeapStatistics,
  getHeapSpaceStatistics,
  getHeapCodeStatistics,
  getCppHeapStatistics,
  setFlagsFromString,
  Serializer,
  Deserializer,
  DefaultSerializer,
  DefaultDeserializer,
  deserialize,
  takeCoverage,
  stopCoverage,
  serialize,
  writeHeapSnapshot,
  promiseHooks,
  queryObjects,
  startupSnapshot,
  setHeapSnapshotNearHeapLimit,
  GCProfiler,
  isStringOneByteRepresentation,
  startCpuProfile,
};
