'use strict';

// node:sqlite (reachable only as 'node:sqlite'). SQLite runs in native code
// (internalBinding('sqlite'), src/sqlite.rs); this file validates arguments with Node's
// messages, keeps each object's settings and builds the rows. Node's binding throws plain
// errors with a `code` (not NodeErrors), so this file makes its errors the same way.

const binding = internalBinding('sqlite');

const ObjectCreate = Object.create;
const ObjectDefineProperties = Object.defineProperties;
const ArrayIsArray = Array.isArray;
const NumberIsInteger = Number.isInteger;

// Flags of the statement ops and of open (src/sqlite.rs has the same bits).
const kReadBigInts = 1;
const kReturnArrays = 2;
const kAllowBareNamed = 4;
const kAllowUnknownNamed = 8;
const kOpenReadOnly = 1;
const kOpenForeignKeys = 2;
const kOpenDoubleQuotedStrings = 4;
const kOpenAllowExtension = 8;
const kOpenDefensive = 16;
const kFunctionDeterministic = 1;
const kFunctionDirectOnly = 2;
const kFunctionBigIntArguments = 4;

const kSqliteType = Symbol('sqlite-type');

// Gives `exposed` the class's prototype, with Node's shape: methods enumerable in
// Node's order, `constructor` last, every function of length 0.
function exposeClass(exposed, Class, order) {
  const proto = Class.prototype;
  for (const key of [...order, ...Object.getOwnPropertySymbols(proto)]) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    descriptor.enumerable = true;
    delete proto[key];
    Object.defineProperty(proto, key, descriptor);
    Object.defineProperty(descriptor.value, 'length', { value: 0 });
  }
  delete proto.constructor;
  Object.defineProperty(proto, 'constructor', { value: exposed, writable: true, configurable: true });
  Object.defineProperty(exposed, 'prototype', { value: proto, writable: false });
  Object.defineProperty(exposed, 'length', { value: 0 });
}

// Node's accessors are anonymous functions.
function anonymous(fn) {
  Object.defineProperty(fn, 'name', { value: '' });
  return fn;
}

function nodeError(Base, code, message) {
  const error = new Base(message);
  error.code = code;
  return error;
}

function argTypeError(message) {
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', message);
}

function invalidState(message) {
  return nodeError(Error, 'ERR_INVALID_STATE', message);
}

function illegalInvocation() {
  return new TypeError('Illegal invocation');
}

function validateBooleanOption(options, name, fullName) {
  const value = options[name];
  if (value !== undefined && typeof value !== 'boolean') {
    throw argTypeError(`The "${fullName}" argument must be a boolean.`);
  }
  return value;
}

function databasePath(path) {
  if (typeof path === 'string') {
    if (!path.includes('\0')) return path;
  } else if (path instanceof Uint8Array) {
    if (!path.includes(0)) return require('buffer').Buffer.from(path.buffer, path.byteOffset, path.length).toString();
  } else if (path !== null && typeof path === 'object' && typeof path.href === 'string' &&
             typeof path.protocol === 'string') {
    if (path.protocol !== 'file:') {
      throw nodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file:');
    }
    if (!path.href.includes('\0')) return path.href;
  }
  throw argTypeError('The "path" argument must be a string, Uint8Array, or URL without null bytes.');
}

// SQLite's limits by the names Node gives them, with their sqlite3_limit ids.
const limitIds = {
  length: 0,
  sqlLength: 1,
  column: 2,
  exprDepth: 3,
  compoundSelect: 4,
  vdbeOp: 5,
  functionArg: 6,
  attach: 7,
  likePatternLength: 8,
  variableNumber: 9,
  triggerDepth: 10,
};

// db.limits: reads and sets SQLite's limits by name; other keys are ordinary properties.
function makeLimits(openHandle, isOpen) {
  const isLimit = (key) => typeof key === 'string' && Object.hasOwn(limitIds, key);
  const read = (key) => binding.limit(openHandle(), limitIds[key], -1);
  // The target holds the values too, for inspection (which looks at the target).
  const target = {};
  if (isOpen) for (const key of Object.keys(limitIds)) target[key] = read(key);
  return new Proxy(target, {
    get(target, key, receiver) {
      return isLimit(key) ? read(key) : Reflect.get(target, key, receiver);
    },
    set(target, key, value, receiver) {
      if (!isLimit(key)) return Reflect.set(target, key, value, receiver);
      if (value !== Infinity && !NumberIsInteger(value)) {
        throw argTypeError('Limit value must be a non-negative integer or Infinity.');
      }
      if (value < 0) throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'Limit value must be non-negative.');
      binding.limit(openHandle(), limitIds[key], value === Infinity ? 0x7fffffff : value);
      target[key] = read(key);
      return true;
    },
    has(target, key) {
      return isLimit(key) || Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (isLimit(key)) target[key] = read(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

// Node defines these on each instance (enumerable, as inspect shows them); set up in
// the class body, where its private fields are reachable.
let databaseAccessors;

function checkDatabase(db) {
  if (!Database.isDatabase(db)) throw illegalInvocation();
  return db;
}

class Database {
  #handle = null;
  #path;
  #openFlags = 0;
  #timeout = 0;
  #allowExtension = false;
  #extensionsEnabled = false;
  #limits = null;
  #limitsProxy = undefined;
  // Settings the statements start with.
  #statementFlags = kAllowBareNamed;

  static isDatabase(value) {
    return value !== null && typeof value === 'object' && #handle in value;
  }

  static {
    databaseAccessors = {
      isOpen: { get: anonymous(function() { return checkDatabase(this).#handle !== null; }), enumerable: true },
      isTransaction: {
        get: anonymous(function() { return binding.isTransaction(checkDatabase(this).#openHandle()); }),
        enumerable: true,
      },
      limits: { get: anonymous(function() { return checkDatabase(this).#limitsObject(); }), enumerable: true },
    };
  }

  constructor(path, options = undefined) {
    this.#path = databasePath(path);
    let open = true;
    let flags = kOpenForeignKeys | kOpenDefensive;
    let statementFlags = kAllowBareNamed;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object') {
        throw argTypeError('The "options" argument must be an object.');
      }
      const name = (key) => `options.${key}`;
      const bool = (key) => validateBooleanOption(options, key, name(key));
      if (bool('open') === false) open = false;
      if (bool('readOnly')) flags |= kOpenReadOnly;
      if (bool('enableForeignKeyConstraints') === false) flags &= ~kOpenForeignKeys;
      if (bool('enableDoubleQuotedStringLiterals')) flags |= kOpenDoubleQuotedStrings;
      if (bool('allowExtension')) {
        flags |= kOpenAllowExtension;
        this.#allowExtension = true;
      }
      const timeout = options.timeout;
      if (timeout !== undefined && !NumberIsInteger(timeout)) {
        throw argTypeError('The "options.timeout" argument must be an integer.');
      }
      if (timeout !== undefined) this.#timeout = timeout;
      if (bool('readBigInts')) statementFlags |= kReadBigInts;
      if (bool('returnArrays')) statementFlags |= kReturnArrays;
      if (bool('allowBareNamedParameters') === false) statementFlags &= ~kAllowBareNamed;
      if (bool('allowUnknownNamedParameters')) statementFlags |= kAllowUnknownNamed;
      if (bool('defensive') === false) flags &= ~kOpenDefensive;
      const limits = options.limits;
      if (limits !== undefined) {
        if (limits === null || typeof limits !== 'object') {
          throw argTypeError('The "options.limits" argument must be an object.');
        }
        for (const key of Object.keys(limitIds)) {
          const value = limits[key];
          if (value === undefined) continue;
          if (!NumberIsInteger(value)) {
            throw argTypeError(`The "options.limits.${key}" argument must be an integer.`);
          }
          if (value < 0) {
            throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The "options.limits.${key}" argument must be non-negative.`);
          }
        }
        this.#limits = { ...limits };
      }
    }
    this.#openFlags = flags;
    this.#extensionsEnabled = this.#allowExtension;
    this.#statementFlags = statementFlags;
    ObjectDefineProperties(this, databaseAccessors);
    this[kSqliteType] = 'node:sqlite';
    if (open) this.#open();
  }

  #open() {
    this.#handle = binding.open(this.#path, this.#openFlags, this.#timeout);
    if (this.#limits !== null) {
      for (const key of Object.keys(limitIds)) {
        const value = this.#limits[key];
        if (value !== undefined) binding.limit(this.#handle, limitIds[key], value);
      }
    }
  }

  #openHandle() {
    if (this.#handle === null) throw invalidState('database is not open');
    return this.#handle;
  }

  #limitsObject() {
    this.#limitsProxy ??= makeLimits(() => this.#openHandle(), this.#handle !== null);
    return this.#limitsProxy;
  }

  open() {
    checkDatabase(this);
    if (this.#handle !== null) throw invalidState('database is already open');
    this.#open();
  }

  close() {
    checkDatabase(this);
    binding.close(this.#openHandle());
    this.#handle = null;
  }

  prepare(sql) {
    checkDatabase(this);
    const handle = this.#openHandle();
    if (typeof sql !== 'string') throw argTypeError('The "sql" argument must be a string.');
    return new Statement(binding.prepare(handle, sql), this.#statementFlags);
  }

  exec(sql) {
    checkDatabase(this);
    const handle = this.#openHandle();
    if (typeof sql !== 'string') throw argTypeError('The "sql" argument must be a string.');
    binding.exec(handle, sql);
  }

  function(name, options, fn) {
    checkDatabase(this);
    const handle = this.#openHandle();
    if (typeof name !== 'string') throw argTypeError('The "name" argument must be a string.');
    // The function is the last of two or three arguments.
    if (arguments.length < 3) {
      fn = options;
      options = undefined;
    }
    let flags = 0;
    let varargs = false;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object') {
        throw argTypeError('The "options" argument must be an object.');
      }
      flags = functionFlags(options);
      varargs = validateBooleanOption(options, 'varargs', 'options.varargs') === true;
    }
    if (typeof fn !== 'function') throw argTypeError('The "function" argument must be a function.');
    binding.createFunction(handle, name, fn, varargs ? -1 : fn.length, flags);
  }

  aggregate(name, options) {
    checkDatabase(this);
    const handle = this.#openHandle();
    const start = options.start;
    const startIsFunction = typeof start === 'function';
    if (start === undefined || (start !== null && typeof start === 'object')) {
      throw argTypeError('The "options.start" argument must be a function or a primitive value.');
    }
    const { step, inverse, result } = options;
    if (typeof step !== 'function') throw argTypeError('The "options.step" argument must be a function.');
    if (inverse !== undefined && typeof inverse !== 'function') {
      throw argTypeError('The "options.inverse" argument must be a function.');
    }
    // Node takes `deterministic` here without checking its type.
    let flags = options.deterministic === true ? kFunctionDeterministic : 0;
    if (validateBooleanOption(options, 'directOnly', 'options.directOnly')) flags |= kFunctionDirectOnly;
    if (validateBooleanOption(options, 'useBigIntArguments', 'options.useBigIntArguments')) {
      flags |= kFunctionBigIntArguments;
    }
    const varargs = validateBooleanOption(options, 'varargs', 'options.varargs') === true;
    let argumentCount = -1;
    if (!varargs) {
      // The accumulator is not an SQL argument.
      const length = Math.max(step.length, inverse === undefined ? 0 : inverse.length);
      argumentCount = Math.max(length - 1, 0);
    }
    binding.createAggregate(handle, `${name}`, argumentCount, flags, start, startIsFunction, step, inverse,
                            typeof result === 'function' ? result : undefined);
  }

  location(dbName = 'main') {
    checkDatabase(this);
    const handle = this.#openHandle();
    if (typeof dbName !== 'string') throw argTypeError('The "dbName" argument must be a string.');
    return binding.location(handle, dbName);
  }

  enableLoadExtension(allow) {
    checkDatabase(this);
    if (typeof allow !== 'boolean') throw argTypeError('The "allow" argument must be a boolean.');
    const handle = this.#openHandle();
    if (allow && !this.#allowExtension) {
      throw invalidState('Cannot enable extension loading because it was disabled at database creation.');
    }
    binding.enableLoadExtension(handle, allow);
    this.#extensionsEnabled = allow;
  }

  loadExtension(path, entryPoint = undefined) {
    checkDatabase(this);
    const handle = this.#openHandle();
    if (!this.#allowExtension || !this.#extensionsEnabled) throw invalidState('extension loading is not allowed');
    if (typeof path !== 'string') throw argTypeError('The "path" argument must be a string.');
    if (entryPoint !== undefined && typeof entryPoint !== 'string') {
      throw argTypeError('The "entryPoint" argument must be a string.');
    }
    binding.loadExtension(handle, path, entryPoint);
  }

  enableDefensive(active) {
    checkDatabase(this);
    const handle = this.#openHandle();
    if (typeof active !== 'boolean') throw argTypeError('The "active" argument must be a boolean.');
    binding.enableDefensive(handle, active);
  }

  [Symbol.dispose]() { // Named '' below, as in Node.
    checkDatabase(this);
    if (this.#handle !== null) {
      binding.close(this.#handle);
      this.#handle = null;
    }
  }
}

function functionFlags(options) {
  let flags = 0;
  if (validateBooleanOption(options, 'deterministic', 'options.deterministic')) flags |= kFunctionDeterministic;
  if (validateBooleanOption(options, 'directOnly', 'options.directOnly')) flags |= kFunctionDirectOnly;
  if (validateBooleanOption(options, 'useBigIntArguments', 'options.useBigIntArguments')) {
    flags |= kFunctionBigIntArguments;
  }
  return flags;
}

// The constructors Node exports: DatabaseSync needs `new`; StatementSync objects come
// only from prepare().
function DatabaseSync(path, options) {
  if (new.target === undefined) {
    throw nodeError(TypeError, 'ERR_CONSTRUCT_CALL_REQUIRED', 'Cannot call constructor without `new`');
  }
  return Reflect.construct(Database, [path, options], new.target);
}
exposeClass(DatabaseSync, Database, ['open', 'close', 'prepare', 'exec', 'function', 'location', 'aggregate',
  'enableLoadExtension', 'enableDefensive', 'loadExtension']);
Object.defineProperty(Database.prototype[Symbol.dispose], 'name', { value: '' });

const statementAccessors = {
  sourceSQL: { get: anonymous(function() { return binding.sourceSQL(checkStatement(this).handle); }), enumerable: true },
  expandedSQL: {
    get: anonymous(function() { return binding.expandedSQL(checkStatement(this).handle); }),
    enumerable: true,
  },
};

function checkStatement(stmt) {
  const state = Statement.stateOf(stmt);
  if (state === undefined) throw illegalInvocation();
  return state;
}

function makeRow(names, values, offset, asArray) {
  const count = names.length;
  if (asArray) return values.slice(offset, offset + count);
  const row = ObjectCreate(null);
  for (let i = 0; i < count; i++) row[names[i]] = values[offset + i];
  return row;
}

class Statement {
  // { handle, flags, iteration }: the native statement, the kReadBigInts... bits, and a
  // count of executions that tells an iterator when another one replaced it.
  #state;

  static stateOf(value) {
    return value !== null && typeof value === 'object' && #state in value ? value.#state : undefined;
  }

  constructor(handle, flags) {
    this.#state = { handle, flags, iteration: 0 };
    ObjectDefineProperties(this, statementAccessors);
  }

  run(...params) {
    const state = checkStatement(this);
    state.iteration++;
    const [changes, lastInsertRowid] = binding.run(state.handle, state.flags, ...params);
    return { changes, lastInsertRowid };
  }

  get(...params) {
    const state = checkStatement(this);
    state.iteration++;
    const [names, values] = binding.get(state.handle, state.flags, ...params);
    if (values.length === 0) return undefined;
    return makeRow(names, values, 0, (state.flags & kReturnArrays) !== 0);
  }

  all(...params) {
    const state = checkStatement(this);
    state.iteration++;
    const [names, values] = binding.all(state.handle, state.flags, ...params);
    const rows = [];
    const count = names.length;
    if (count === 0) return rows;
    const asArray = (state.flags & kReturnArrays) !== 0;
    for (let offset = 0; offset < values.length; offset += count) {
      rows.push(makeRow(names, values, offset, asArray));
    }
    return rows;
  }

  iterate(...params) {
    const state = checkStatement(this);
    const iteration = ++state.iteration;
    const names = binding.bind(state.handle, state.flags, ...params);
    const iterator = ObjectCreate(StatementSyncIterator.prototype);
    iterators.set(iterator, { state, iteration, names, done: false });
    return iterator;
  }

  columns() {
    const state = checkStatement(this);
    const flat = binding.columns(state.handle);
    const columns = [];
    for (let i = 0; i < flat.length; i += 5) {
      const column = ObjectCreate(null);
      column.column = flat[i];
      column.database = flat[i + 1];
      column.name = flat[i + 2];
      column.table = flat[i + 3];
      column.type = flat[i + 4];
      columns.push(column);
    }
    return columns;
  }

  setReadBigInts(readBigInts) {
    this.#setFlag(readBigInts, 'readBigInts', kReadBigInts);
  }

  setReturnArrays(returnArrays) {
    this.#setFlag(returnArrays, 'returnArrays', kReturnArrays);
  }

  setAllowBareNamedParameters(allowBareNamedParameters) {
    this.#setFlag(allowBareNamedParameters, 'allowBareNamedParameters', kAllowBareNamed);
  }

  setAllowUnknownNamedParameters(enabled) {
    this.#setFlag(enabled, 'enabled', kAllowUnknownNamed);
  }

  #setFlag(value, name, bit) {
    const state = checkStatement(this);
    if (!binding.isLive(state.handle)) throw invalidState('statement has been finalized');
    if (typeof value !== 'boolean') throw argTypeError(`The "${name}" argument must be a boolean.`);
    state.flags = value ? state.flags | bit : state.flags & ~bit;
  }
}

function StatementSync() {
  throw nodeError(Error, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
}
exposeClass(StatementSync, Statement, ['iterate', 'all', 'get', 'run', 'columns', 'setAllowBareNamedParameters',
  'setAllowUnknownNamedParameters', 'setReadBigInts', 'setReturnArrays']);

// What iterate() returns: an Iterator whose next() reads one row at a time.
const iterators = new WeakMap();

function iteratorResult(done, value) {
  const result = ObjectCreate(null);
  result.done = done;
  result.value = value;
  return result;
}

function StatementSyncIterator() {
  throw nodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
}
StatementSyncIterator.prototype = ObjectCreate(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), {
  next: {
    value: function next() {
      const it = iterators.get(this);
      if (it === undefined) throw illegalInvocation();
      if (it.done) return iteratorResult(true, null);
      const { state } = it;
      if (state.iteration !== it.iteration) {
        if (!binding.isLive(state.handle)) throw invalidState('statement has been finalized');
        throw invalidState('iterator was invalidated');
      }
      const values = binding.step(state.handle, state.flags);
      if (values === null) {
        it.done = true;
        return iteratorResult(true, null);
      }
      return iteratorResult(false, makeRow(it.names, values, 0, (state.flags & kReturnArrays) !== 0));
    },
    writable: true, enumerable: true, configurable: true,
  },
  return: {
    value: function() {
      const it = iterators.get(this);
      if (it === undefined) throw illegalInvocation();
      if (!it.done && it.state.iteration === it.iteration) binding.reset(it.state.handle);
      it.done = true;
      return iteratorResult(true, null);
    },
    writable: true, enumerable: true, configurable: true,
  },
});
Object.defineProperty(StatementSyncIterator.prototype.return, 'name', { value: 'return' });
Object.defineProperty(StatementSyncIterator.prototype, 'constructor',
                      { value: StatementSyncIterator, writable: true, configurable: true });

const constants = {
  SQLITE_CHANGESET_OMIT: 0,
  SQLITE_CHANGESET_REPLACE: 1,
  SQLITE_CHANGESET_ABORT: 2,
  SQLITE_CHANGESET_DATA: 1,
  SQLITE_CHANGESET_NOTFOUND: 2,
  SQLITE_CHANGESET_CONFLICT: 3,
  SQLITE_CHANGESET_CONSTRAINT: 4,
  SQLITE_CHANGESET_FOREIGN_KEY: 5,
  SQLITE_OK: 0,
  SQLITE_DENY: 1,
  SQLITE_IGNORE: 2,
  SQLITE_CREATE_INDEX: 1,
  SQLITE_CREATE_TABLE: 2,
  SQLITE_CREATE_TEMP_INDEX: 3,
  SQLITE_CREATE_TEMP_TABLE: 4,
  SQLITE_CREATE_TEMP_TRIGGER: 5,
  SQLITE_CREATE_TEMP_VIEW: 6,
  SQLITE_CREATE_TRIGGER: 7,
  SQLITE_CREATE_VIEW: 8,
  SQLITE_DELETE: 9,
  SQLITE_DROP_INDEX: 10,
  SQLITE_DROP_TABLE: 11,
  SQLITE_DROP_TEMP_INDEX: 12,
  SQLITE_DROP_TEMP_TABLE: 13,
  SQLITE_DROP_TEMP_TRIGGER: 14,
  SQLITE_DROP_TEMP_VIEW: 15,
  SQLITE_DROP_TRIGGER: 16,
  SQLITE_DROP_VIEW: 17,
  SQLITE_INSERT: 18,
  SQLITE_PRAGMA: 19,
  SQLITE_READ: 20,
  SQLITE_SELECT: 21,
  SQLITE_TRANSACTION: 22,
  SQLITE_UPDATE: 23,
  SQLITE_ATTACH: 24,
  SQLITE_DETACH: 25,
  SQLITE_ALTER_TABLE: 26,
  SQLITE_REINDEX: 27,
  SQLITE_ANALYZE: 28,
  SQLITE_CREATE_VTABLE: 29,
  SQLITE_DROP_VTABLE: 30,
  SQLITE_FUNCTION: 31,
  SQLITE_SAVEPOINT: 32,
  SQLITE_COPY: 0,
  SQLITE_RECURSIVE: 33,
};

module.exports = {
  DatabaseSync,
  StatementSync,
  constants,
};
