'use strict';
// Timers and immediates. Timers with the same duration share a list in start order; the
// lists sit in a binary heap by expiry, as in Node, which fixes the order of callbacks.
// The event loop reads the earliest expiry and the ref counts from the shared loopInfo
// array and calls runNextTimer / runNextImmediate once per callback, draining ticks and
// promise jobs in between.

const codes = require('internal/lazy_codes');
// AsyncLocalStorage stores follow callbacks: each keeps the context it was scheduled in.
const asyncContext = require('internal/util/async_context');
const { info: loopInfo, now: refreshNow } = internalBinding('loop');
const TIMER_EXPIRY = 1;
const TIMER_REFS = 2;
const IMMEDIATE_COUNT = 3;
const IMMEDIATE_REFS = 4;
const TIMEOUT_MAX = 2 ** 31 - 1;

const kRefed = Symbol('refed');
const kHasPrimitive = Symbol('kHasPrimitive');
const kAsyncId = Symbol('asyncId');
let nextAsyncId = 2;
const timersById = new Map();

// ---- timer lists ----

class TimersList {
  constructor(expiry, msecs) {
    this._idleNext = this;
    this._idlePrev = this;
    this.expiry = expiry;
    this.id = nextListId++;
    this.msecs = msecs;
    this.priorityQueuePosition = null;
  }
}
let nextListId = 1;
const lists = new Map();

function listAppend(list, item) {
  item._idleNext = list;
  item._idlePrev = list._idlePrev;
  list._idlePrev._idleNext = item;
  list._idlePrev = item;
}

function listRemove(item) {
  if (item._idleNext) item._idleNext._idlePrev = item._idlePrev;
  if (item._idlePrev) item._idlePrev._idleNext = item._idleNext;
  item._idleNext = null;
  item._idlePrev = null;
}

function listIsEmpty(list) {
  return list._idleNext === list;
}

// Binary min-heap of lists by (expiry, id).
const heap = [];
function listBefore(a, b) {
  return a.expiry < b.expiry || (a.expiry === b.expiry && a.id < b.id);
}
function heapSwap(i, j) {
  const t = heap[i];
  heap[i] = heap[j];
  heap[j] = t;
  heap[i].priorityQueuePosition = i;
  heap[j].priorityQueuePosition = j;
}
function heapUp(i) {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!listBefore(heap[i], heap[parent])) break;
    heapSwap(i, parent);
    i = parent;
  }
}
function heapDown(i) {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let min = i;
    if (l < heap.length && listBefore(heap[l], heap[min])) min = l;
    if (r < heap.length && listBefore(heap[r], heap[min])) min = r;
    if (min === i) return;
    heapSwap(i, min);
    i = min;
  }
}
function heapInsert(list) {
  list.priorityQueuePosition = heap.length;
  heap.push(list);
  heapUp(heap.length - 1);
}
function heapRemoveTop() {
  const last = heap.pop();
  if (heap.length > 0) {
    heap[0] = last;
    last.priorityQueuePosition = 0;
    heapDown(0);
  }
}

function publishExpiry() {
  loopInfo[TIMER_EXPIRY] = heap.length > 0 ? heap[0].expiry : Infinity;
}

function insertTimer(timer, msecs, start) {
  timer._idleStart = start;
  let list = lists.get(msecs);
  if (list === undefined) {
    list = new TimersList(start + msecs, msecs);
    lists.set(msecs, list);
    heapInsert(list);
    publishExpiry();
  }
  listAppend(list, timer);
}

function loopNow() {
  return refreshNow();
}

// ---- Timeout ----

function normalizeDelay(after) {
  after *= 1;
  if (!(after >= 1 && after <= TIMEOUT_MAX)) {
    if (after > TIMEOUT_MAX) {
      process.emitWarning(
        `${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`,
        'TimeoutOverflowWarning',
      );
    } else if (after < 0) {
      process.emitWarning(`${after} is a negative number.\nTimeout duration was set to 1.`, 'TimeoutNegativeWarning');
    }
    after = 1;
  }
  return after;
}

function Timeout(callback, after, args, isRepeat, isRefed) {
  after = normalizeDelay(after);
  this._idleTimeout = after;
  this._idlePrev = this;
  this._idleNext = this;
  this._idleStart = null;
  this._onTimeout = callback;
  this._timerArgs = args;
  this._repeat = isRepeat ? after : null;
  this._destroyed = false;
  this._asyncContext = asyncContext.getContext();
  this[kRefed] = isRefed;
  this[kHasPrimitive] = false;
  this[kAsyncId] = nextAsyncId++;
  if (isRefed) loopInfo[TIMER_REFS]++;
  insertTimer(this, after, loopNow());
}

// Restarts the timer; one that already fired is armed again (a cleared one stays
// cleared), as Node documents.
Timeout.prototype.refresh = function refresh() {
  if (this._idleTimeout < 0) return this;
  if (this._destroyed) {
    this._destroyed = false;
    if (this[kRefed]) loopInfo[TIMER_REFS]++;
    if (this[kHasPrimitive]) timersById.set(this[kAsyncId], this);
  } else {
    listRemove(this);
  }
  insertTimer(this, this._idleTimeout, loopNow());
  return this;
};

Timeout.prototype.unref = function unref() {
  if (this[kRefed]) {
    this[kRefed] = false;
    if (!this._destroyed) loopInfo[TIMER_REFS]--;
  }
  return this;
};

Timeout.prototype.ref = function ref() {
  if (!this[kRefed]) {
    this[kRefed] = true;
    if (!this._destroyed) loopInfo[TIMER_REFS]++;
  }
  return this;
};

Timeout.prototype.hasRef = function hasRef() {
  return this[kRefed];
};

Timeout.prototype.close = function close() {
  clearTimeout(this);
  return this;
};

Timeout.prototype[Symbol.toPrimitive] = function toPrimitive() {
  if (!this[kHasPrimitive]) {
    this[kHasPrimitive] = true;
    timersById.set(this[kAsyncId], this);
  }
  return this[kAsyncId];
};

Timeout.prototype[Symbol.dispose] = function dispose() {
  clearTimeout(this);
};

function unenroll(timer) {
  if (timer._destroyed) return;
  timer._destroyed = true;
  if (timer[kRefed]) loopInfo[TIMER_REFS]--;
  if (timer[kHasPrimitive]) timersById.delete(timer[kAsyncId]);
  listRemove(timer);
  timer._idleTimeout = -1;
}

function validateCallback(callback) {
  if (typeof callback !== 'function') throw new codes.ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
}

const kPromisifyCustom = Symbol.for('nodejs.util.promisify.custom');
function definePromisified(fn, name) {
  Object.defineProperty(fn, kPromisifyCustom, {
    enumerable: true,
    configurable: true,
    get: () => require('timers/promises')[name],
  });
}

function setTimeout(callback, after, ...args) {
  validateCallback(callback);
  return new Timeout(callback, after, args.length ? args : undefined, false, true);
}

function setInterval(callback, repeat, ...args) {
  validateCallback(callback);
  return new Timeout(callback, repeat, args.length ? args : undefined, true, true);
}

function clearTimeout(timer) {
  if (timer && timer._onTimeout) {
    timer._onTimeout = null;
    unenroll(timer);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const found = timersById.get(+timer);
    if (found !== undefined) {
      found._onTimeout = null;
      unenroll(found);
    }
  }
}

// Runs the earliest due timer. Returns false when none is due at `now`.
function runNextTimer(now) {
  while (heap.length > 0) {
    const list = heap[0];
    if (list.expiry > now) break;
    if (listIsEmpty(list)) {
      heapRemoveTop();
      if (lists.get(list.msecs) === list) lists.delete(list.msecs);
      continue;
    }
    const timer = list._idleNext;
    if (now - timer._idleStart < list.msecs) {
      // Not due yet: the list moves back to its first timer's expiry.
      list.expiry = Math.max(timer._idleStart + list.msecs, now + 1);
      list.id = nextListId++;
      heapDown(0);
      continue;
    }
    listRemove(timer);
    const callback = timer._onTimeout;
    const args = timer._timerArgs;
    if (timer._repeat) {
      insertTimer(timer, timer._repeat, now);
    } else {
      timer._destroyed = true;
      if (timer[kRefed]) loopInfo[TIMER_REFS]--;
      if (timer[kHasPrimitive]) timersById.delete(timer[kAsyncId]);
    }
    publishExpiry();
    asyncContext.runInContext(timer._asyncContext, callback, timer, args ?? []);
    return true;
  }
  publishExpiry();
  return false;
}

// ---- Immediate ----

let immediateQueue = [];
let runningQueue = [];
let runningIndex = 0;

function Immediate(callback, args) {
  this._idleNext = null;
  this._idlePrev = null;
  this._onImmediate = callback;
  this._argv = args;
  this._destroyed = false;
  this._asyncContext = asyncContext.getContext();
  this[kRefed] = true;
  loopInfo[IMMEDIATE_REFS]++;
  loopInfo[IMMEDIATE_COUNT]++;
  immediateQueue.push(this);
}

Immediate.prototype.ref = function ref() {
  if (!this[kRefed]) {
    this[kRefed] = true;
    if (!this._destroyed) loopInfo[IMMEDIATE_REFS]++;
  }
  return this;
};

Immediate.prototype.unref = function unref() {
  if (this[kRefed]) {
    this[kRefed] = false;
    if (!this._destroyed) loopInfo[IMMEDIATE_REFS]--;
  }
  return this;
};

Immediate.prototype.hasRef = function hasRef() {
  return this[kRefed];
};

Immediate.prototype[Symbol.dispose] = function dispose() {
  clearImmediate(this);
};

function retireImmediate(immediate) {
  immediate._destroyed = true;
  immediate._onImmediate = null;
  loopInfo[IMMEDIATE_COUNT]--;
  if (immediate[kRefed]) loopInfo[IMMEDIATE_REFS]--;
}

function setImmediate(callback, ...args) {
  validateCallback(callback);
  return new Immediate(callback, args.length ? args : undefined);
}

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed || !(immediate instanceof Immediate)) return;
  retireImmediate(immediate);
}

// The check phase runs the immediates queued before it began; new ones wait a turn.
function beginImmediates() {
  runningQueue = immediateQueue;
  runningIndex = 0;
  immediateQueue = [];
}

function runNextImmediate() {
  while (runningIndex < runningQueue.length) {
    const immediate = runningQueue[runningIndex++];
    if (immediate._destroyed) continue;
    const callback = immediate._onImmediate;
    const args = immediate._argv;
    retireImmediate(immediate);
    asyncContext.runInContext(immediate._asyncContext, callback, immediate, args ?? []);
    return true;
  }
  runningQueue = [];
  return false;
}

definePromisified(setTimeout, 'setTimeout');
definePromisified(setImmediate, 'setImmediate');

// Ref'd timeouts and immediates, for process.getActiveResourcesInfo().
function activeRefs() {
  return { timeouts: loopInfo[TIMER_REFS], immediates: loopInfo[IMMEDIATE_REFS] };
}

module.exports = {
  activeRefs,
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval: clearTimeout,
  setImmediate,
  clearImmediate,
  runNextTimer,
  beginImmediates,
  runNextImmediate,
  Timeout,
  Immediate,
};
