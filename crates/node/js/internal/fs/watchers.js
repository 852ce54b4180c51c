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
    this._handles = [];
  }

  // Watches `dir` (and, when recursive, each directory below it).
  start(filename, options) {
    const report = (prefix) => (eventType, name) => {
      this.emit('change', eventType, encodeName(prefix + name, options.encoding));
    };
    this._handles.push(binding.watchStart(report(''), filename));
    if (options.recursive) {
      for (const dirent of require('fs').readdirSync(filename, { withFileTypes: true, recursive: true })) {
        if (!dirent.isDirectory()) continue;
        const full = path.join(dirent.parentPath, dirent.name);
        this._handles.push(binding.watchStart(report(`${path.relative(filename, full)}/`), full));
      }
    }
    if (!options.persistent) this.unref();
  }

  close() {
    if (this._handles.length === 0) return;
    for (const handle of this._handles) binding.watchClose(handle);
    this._handles = [];
    process.nextTick(() => this.emit('close'));
  }

  ref() {
    for (const handle of this._handles) binding.watchRef(handle, true);
    return this;
  }

  unref() {
    for (const handle of this._handles) binding.watchRef(handle, false);
    return this;
  }

  [Symbol.dispose]() {
    this.close();
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
