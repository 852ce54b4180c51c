'use strict';

// fs.watch (inotify, see src/fs/watch.rs) and fs.watchFile (polling with stat, as Node
// does), with their FSWatcher and StatWatcher objects.

const EventEmitter = require('events');
const path = require('path');
const { validators } = require('internal/errors');
const { binding, getValidatedPath, getOptions, encodeName } = require('internal/fs/utils');

class FSWatcher extends EventEmitter {
  constructor() {
    super();
    this._handles = new Map(); // watched directory (or file) -> native watcher
    this._refed = true;
    // Entries created during this turn of the loop: with `recursive`, their first writes
    // are not reported apart from the creation, as in Node.
    this._created = new Set();
  }

  // Watches `filename` and, when recursive, each directory below it, including those
  // created later.
  start(filename, options) {
    this._root = filename;
    this._options = options;
    this._watch(filename);
    if (options.recursive) this._watchBelow(filename);
    if (!options.persistent) this.unref();
  }

  _watch(target) {
    if (this._handles.has(target)) return;
    const prefix = target === this._root ? '' : `${path.relative(this._root, target)}/`;
    let handle;
    try {
      handle = binding.watchStart((type, name, isSelf) => this._onEvent(target, prefix, type, name, isSelf), target);
    } catch (err) {
      if (target === this._root) throw err;
      return; // a subdirectory removed in the meantime
    }
    if (!this._refed) binding.watchRef(handle, false);
    this._handles.set(target, handle);
  }

  _watchBelow(dir) {
    let entries;
    try {
      entries = require('fs').readdirSync(dir, { withFileTypes: true, recursive: true });
    } catch {
      return;
    }
    for (const dirent of entries) {
      if (dirent.isDirectory()) this._watch(path.join(dirent.parentPath, dirent.name));
    }
  }

  _onEvent(target, prefix, type, name, isSelf) {
    if (this._options.recursive) {
      if (isSelf && target !== this._root) {
        // A subdirectory's own event: its parent reports the entry. Once it is gone,
        // its watch goes too.
        if (type === 'rename' && !require('fs').existsSync(target)) this._unwatch(target);
        return;
      }
      const entry = prefix + name;
      if (type === 'rename') {
        const full = path.join(target, name);
        if (!this._handles.has(full) && isDirectory(full)) {
          this._watch(full);
          this._watchBelow(full);
        }
        if (this._created.size === 0) setImmediate(() => this._created.clear());
        this._created.add(entry);
      } else if (this._created.has(entry)) {
        return;
      }
    }
    this.emit('change', type, encodeName(prefix + name, this._options.encoding));
  }

  _unwatch(target) {
    const handle = this._handles.get(target);
    if (handle === undefined) return;
    binding.watchClose(handle);
    this._handles.delete(target);
  }

  close() {
    if (this._handles.size === 0) return;
    for (const handle of this._handles.values()) binding.watchClose(handle);
    this._handles.clear();
    process.nextTick(() => this.emit('close'));
  }

  ref() {
    this._refed = true;
    for (const handle of this._handles.values()) binding.watchRef(handle, true);
    return this;
  }

  unref() {
    this._refed = false;
    for (const handle of this._handles.values()) binding.watchRef(handle, false);
    return this;
  }

  [Symbol.dispose]() {
    this.close();
  }
}

function isDirectory(target) {
  try {
    return require('fs').statSync(target).isDirectory();
  } catch {
    return false;
  }
}

function watch(filename, options, listener) {
  if (typeof options === 'function') {
    listener = options;
    options = undefined;
  }
  options = getOptions(options, { persistent: true, recursive: false, encoding: 'utf8' });
  filename = getValidatedPath(filename, 'filename');
  validators.validateBoolean(options.persistent ?? true, 'options.persistent');
  validators.validateBoolean(options.recursive ?? false, 'options.recursive');
  const watcher = new FSWatcher();
  watcher.start(filename, { persistent: true, recursive: false, encoding: 'utf8', ...options });
  if (listener) watcher.on('change', listener);
  if (options.signal) {
    if (options.signal.aborted) process.nextTick(() => watcher.close());
    else options.signal.addEventListener('abort', () => watcher.close(), { once: true });
  }
  return watcher;
}

// --- watchFile: stat polling ------------------------------------------------------

const statWatchers = new Map();

class StatWatcher extends EventEmitter {
  constructor(bigint) {
    super();
    this._bigint = bigint;
    this._timer = null;
    this._previous = null;
  }

  start(filename, persistent, interval) {
    const fs = require('fs');
    const poll = () => {
      fs.stat(filename, { bigint: this._bigint }, (err, stats) => {
        if (this._timer === null) return;
        const current = err ? zeroStats(fs, this._bigint) : stats;
        const previous = this._previous;
        this._previous = current;
        if (previous !== null && Number(current.mtimeMs) !== Number(previous.mtimeMs) ||
            previous !== null && Number(current.ino) !== Number(previous.ino) ||
            previous !== null && Number(current.size) !== Number(previous.size)) {
          this.emit('change', current, previous);
        }
      });
    };
    this._timer = setInterval(poll, interval);
    if (!persistent) this._timer.unref();
    poll();
  }

  stop() {
    if (this._timer === null) return;
    clearInterval(this._timer);
    this._timer = null;
    process.nextTick(() => this.emit('stop'));
  }

  ref() {
    this._timer?.ref();
    return this;
  }

  unref() {
    this._timer?.unref();
    return this;
  }
}

// A missing file's stats: every field zero, as Node reports it.
function zeroStats(fs, bigint) {
  const stats = Object.create(bigint ? fs.BigIntStats?.prototype ?? fs.Stats.prototype : fs.Stats.prototype);
  for (const key of ['dev', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'blksize', 'ino', 'size', 'blocks',
    'atimeMs', 'mtimeMs', 'ctimeMs', 'birthtimeMs']) {
    stats[key] = bigint ? 0n : 0;
  }
  for (const key of ['atime', 'mtime', 'ctime', 'birthtime']) stats[key] = new Date(0);
  return stats;
}

function watchFile(filename, options, listener) {
  filename = path.resolve(`${getValidatedPath(filename)}`);
  if (typeof options === 'function') {
    listener = options;
    options = undefined;
  }
  options = { interval: 5007, persistent: true, bigint: false, ...options };
  validators.validateFunction(listener, 'listener');
  let watcher = statWatchers.get(filename);
  if (watcher === undefined) {
    watcher = new StatWatcher(options.bigint);
    watcher.start(filename, options.persistent, options.interval);
    statWatchers.set(filename, watcher);
  }
  watcher.addListener('change', listener);
  return watcher;
}

function unwatchFile(filename, listener) {
  filename = path.resolve(`${getValidatedPath(filename)}`);
  const watcher = statWatchers.get(filename);
  if (watcher === undefined) return;
  if (typeof listener === 'function') watcher.removeListener('change', listener);
  else watcher.removeAllListeners('change');
  if (watcher.listenerCount('change') === 0) {
    watcher.stop();
    statWatchers.delete(filename);
  }
}

// fs.promises.watch: the events as an async iterator of { eventType, filename }.
async function* watchPromise(filename, options = {}) {
  const queue = [];
  let wake = null;
  let error = null;
  const { signal, ...rest } = typeof options === 'string' ? { encoding: options } : options;
  const watcher = watch(filename, rest, (eventType, name) => {
    queue.push({ eventType, filename: name });
    wake?.();
  });
  const onAbort = () => {
    const { AbortError } = require('internal/errors');
    error = new AbortError(undefined, { cause: signal.reason });
    wake?.();
  };
  if (signal) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  try {
    for (;;) {
      if (error) throw error;
      if (queue.length > 0) {
        yield queue.shift();
        continue;
      }
      await new Promise((resolve) => { wake = resolve; });
      wake = null;
    }
  } finally {
    watcher.close();
    signal?.removeEventListener('abort', onAbort);
  }
}

module.exports = { FSWatcher, StatWatcher, watch, watchFile, unwatchFile, watchPromise };
