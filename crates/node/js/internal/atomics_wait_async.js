'use strict';
// Atomics.waitAsync, which the engine doesn't expose, and the Atomics.notify that wakes its
// waiters (bootstrap.js installs both as functions that load this module on first call).
//
// Waiters live in this thread's JS. A notify from this thread resolves them in FIFO order,
// up to its count, in a task (as Node resolves them), and counts them in its result. The
// engine's notify in another thread can't see them, so each waiter also polls its cell
// (after 1 ms, backing off to 10 ms) and resolves 'ok' once the value there differs from
// the one it waited on: a notify from another thread that comes without a store is seen
// only at the timeout. A store in this thread without a notify also wakes a waiter, where
// Node would wait for a notify. Pending waiters don't keep the process alive, as in Node.

const { setTimeout, clearTimeout } = require('internal/timers');

const AtomicsLoad = Atomics.load;
const TypedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype);
const getter = (prototype, name) => Object.getOwnPropertyDescriptor(prototype, name).get;
const TypedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
const TypedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
const TypedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset');
const TypedArrayLength = getter(TypedArrayPrototype, 'length');
const SharedArrayBufferByteLength = getter(SharedArrayBuffer.prototype, 'byteLength');
const ArrayBufferDetached = getter(ArrayBuffer.prototype, 'detached');
const FunctionToString = Function.prototype.toString;
const ObjectToString = Object.prototype.toString;
const ErrorToString = Error.prototype.toString;

const FIRST_POLL_MS = 1;
const LAST_POLL_MS = 10;

// SharedArrayBuffer -> Map(byte index -> waiters, oldest first).
const waiterLists = new WeakMap();

function isShared(buffer) {
  try {
    SharedArrayBufferByteLength.call(buffer);
    return true;
  } catch {
    return false;
  }
}

// How V8 names a value in its messages: primitives as strings, functions by their source,
// plain objects by their constructor, objects with their own toString by their tag.
function describe(value) {
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return FunctionToString.call(value);
  if (typeof value !== 'object' || value === null) return String(value);
  if (require('internal/util/types').isProxy(value)) return '#<Object>';
  if (value instanceof Error) return ErrorToString.call(value);
  const toString = findOwnValue(value, 'toString');
  if (toString !== ObjectToString) return ObjectToString.call(value);
  const ctor = findOwnValue(value, 'constructor');
  return `#<${typeof ctor === 'function' && ctor.name ? ctor.name : 'Object'}>`;
}

// The value of the nearest own data property `key` along the prototype chain, without
// running getters.
function findOwnValue(object, key) {
  for (let current = object; current !== null; current = Object.getPrototypeOf(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return descriptor.value;
  }
  return undefined;
}

// ValidateIntegerTypedArray for the waitable types, with V8's messages; returns the tag.
function validateWaitable(typedArray, method) {
  const tag = typeof typedArray === 'object' && typedArray !== null ? TypedArrayTag.call(typedArray) : undefined;
  if (tag === undefined) throw new TypeError(`${describe(typedArray)} is not an int32 or BigInt64 typed array.`);
  const buffer = TypedArrayBuffer.call(typedArray);
  if (!isShared(buffer) && ArrayBufferDetached.call(buffer)) {
    throw new TypeError(`Cannot perform ${method} on a detached ArrayBuffer`);
  }
  if (tag !== 'Int32Array' && tag !== 'BigInt64Array') {
    throw new TypeError(`${describe(typedArray)} is not an int32 or BigInt64 typed array.`);
  }
  return tag;
}

// ToNumber and ToBigInt, with V8's messages for the primitives they refuse.
function toNumber(value) {
  if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a number');
  if (typeof value === 'bigint') throw new TypeError('Cannot convert a BigInt value to a number');
  return +value;
}

function toBigInt64(value) {
  const type = typeof value;
  if (type === 'number' || type === 'symbol' || value === undefined || value === null) {
    throw new TypeError(`Cannot convert ${String(value)} to a BigInt`);
  }
  if (type !== 'string') return BigInt.asIntN(64, value);
  try {
    return BigInt.asIntN(64, value);
  } catch {
    throw new SyntaxError(`Cannot convert ${value} to a BigInt`);
  }
}

// ValidateAtomicAccess: the index as an integer within the array.
function toAccessIndex(typedArray, index) {
  const number = toNumber(index);
  const integer = number !== number ? 0 : Math.trunc(number);
  if (!(integer >= 0 && integer < TypedArrayLength.call(typedArray))) {
    throw new RangeError('Invalid atomic access index');
  }
  return integer;
}

function byteIndexOf(typedArray, tag, index) {
  return TypedArrayByteOffset.call(typedArray) + index * (tag === 'Int32Array' ? 4 : 8);
}

function waitAsync(typedArray, index, value, timeout) {
  const tag = validateWaitable(typedArray, 'Atomics.wait');
  const buffer = TypedArrayBuffer.call(typedArray);
  if (!isShared(buffer)) throw new TypeError(`${describe(typedArray)} is not a shared typed array.`);
  const i = toAccessIndex(typedArray, index);
  const expected = tag === 'Int32Array' ? toNumber(value) | 0 : toBigInt64(value);
  const milliseconds = toNumber(timeout);
  const wait = milliseconds !== milliseconds ? Infinity : Math.max(milliseconds, 0);
  if (AtomicsLoad(typedArray, i) !== expected) return { async: false, value: 'not-equal' };
  if (wait === 0) return { async: false, value: 'timed-out' };

  let resolve;
  const promise = new Promise((resolvePromise) => { resolve = resolvePromise; });
  const waiter = {
    typedArray, index: i, expected, resolve, cell: undefined, timer: undefined,
    deadline: Date.now() + wait, delay: FIRST_POLL_MS,
  };
  let lists = waiterLists.get(buffer);
  if (lists === undefined) {
    lists = new Map();
    waiterLists.set(buffer, lists);
  }
  const byteIndex = byteIndexOf(typedArray, tag, i);
  let list = lists.get(byteIndex);
  if (list === undefined) {
    list = [];
    lists.set(byteIndex, list);
  }
  list.push(waiter);
  // Where the waiter is listed, to unlist it when it settles.
  waiter.cell = { lists, byteIndex, waiters: list };
  schedulePoll(waiter);
  return { async: true, value: promise };
}

function schedulePoll(waiter) {
  waiter.timer = setTimeout(poll, Math.max(Math.min(waiter.delay, waiter.deadline - Date.now()), 1), waiter);
  waiter.timer.unref();
}

function poll(waiter) {
  waiter.timer = undefined;
  if (AtomicsLoad(waiter.typedArray, waiter.index) !== waiter.expected) {
    removeWaiter(waiter);
    waiter.resolve('ok');
  } else if (Date.now() >= waiter.deadline) {
    removeWaiter(waiter);
    waiter.resolve('timed-out');
  } else {
    waiter.delay = Math.min(waiter.delay * 2, LAST_POLL_MS);
    schedulePoll(waiter);
  }
}

function removeWaiter(waiter) {
  const { lists, byteIndex, waiters } = waiter.cell;
  const at = waiters.indexOf(waiter);
  if (at !== -1) waiters.splice(at, 1);
  if (waiters.length === 0 && lists.get(byteIndex) === waiters) lists.delete(byteIndex);
  if (waiter.timer !== undefined) clearTimeout(waiter.timer);
  waiter.timer = undefined;
}

// Waiters woken by a notify, resolved together in the next task.
let woken = [];
function resolveWoken() {
  const resolving = woken;
  woken = [];
  for (let i = 0; i < resolving.length; i++) resolving[i].resolve('ok');
}

function notify(engineNotify, typedArray, index, count) {
  const tag = validateWaitable(typedArray, 'Atomics.notify');
  const i = toAccessIndex(typedArray, index);
  let remaining = Infinity;
  if (count !== undefined) {
    const number = toNumber(count);
    remaining = number !== number ? 0 : Math.max(Math.trunc(number), 0);
  }
  let wokenHere = 0;
  const lists = waiterLists.get(TypedArrayBuffer.call(typedArray));
  const waiters = lists?.get(byteIndexOf(typedArray, tag, i));
  if (waiters !== undefined) {
    while (waiters.length > 0 && wokenHere < remaining) {
      const waiter = waiters[0];
      removeWaiter(waiter);
      if (woken.length === 0) setTimeout(resolveWoken, 0);
      woken.push(waiter);
      wokenHere++;
    }
  }
  if (wokenHere >= remaining) return wokenHere;
  return wokenHere + engineNotify(typedArray, i, remaining - wokenHere);
}

module.exports = { waitAsync, notify };
