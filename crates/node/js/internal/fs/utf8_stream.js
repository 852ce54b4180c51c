'use strict';

// fs.Utf8Stream: a buffered writer of strings (or Buffers in contentMode 'buffer') to a
// file or descriptor, in synchronous or asynchronous mode.
//
// Pending data is a queue of chunks, each chunk built from whole write() calls of at most
// `maxWrite` units (a single larger write() stays one chunk). Lengths are counted in the
// units of the data: UTF-16 code units for strings, bytes for Buffers. One chunk is written
// at a time; `writing` is also true while the file is being (re)opened.

const EventEmitter = require('events');
const fs = require('fs');
const path = require('path');
const { Buffer } = require('buffer');
const { codes, validators } = require('internal/errors');
const {
  validateBoolean, validateFunction, validateObject, validateOneOf, validateUint32,
} = validators;

const kDefaultMaxWrite = 16 * 1024;
// write() reports backpressure once this many units (or minLength, if larger) are pending.
const kMinHighWaterMark = 16387;
// Delay before retrying a write that failed with EAGAIN/EBUSY.
const kBusyRetryMs = 100;

const retryAlways = () => true;

function isBusyError(err) {
  return err.code === 'EAGAIN' || err.code === 'EBUSY';
}

function destroyedError() {
  return new codes.ERR_INVALID_STATE('Utf8Stream is destroyed');
}

// Blocks the thread; used between retries of a synchronous write.
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

class Utf8Stream extends EventEmitter {
  #fs;
  #fd = -1;
  #file = null;
  #path = null; // what reopen() opens; null when given a descriptor
  #mode;
  #append;
  #mkdir;
  #sync;
  #fsync;
  #minLength;
  #maxLength;
  #maxWrite;
  #highWaterMark;
  #periodicFlush;
  #contentMode;
  #retryEAGAIN;
  #flushTimer = null;

  #chunks = [];
  #length = 0; // pending units, including the chunk being written
  #inFlight = null; // { data, units, written } of the chunk being written
  #writing = false;
  #flushing = false; // write everything pending, even below minLength
  #reopenPending = false;
  #ending = false;
  #destroyed = false; // set once closing starts (end() drained, or destroy())
  #closeWhenIdle = false;
  #closing = false;
  #retryHead = false; // chunks[0] is a failed write, retried as it was
  #drainScheduled = false;

  constructor(options = {}) {
    super();
    validateObject(options, 'options');
    const {
      fd, dest, minLength, maxLength, maxWrite, periodicFlush, sync, fsync, append = true,
      mkdir, mode, retryEAGAIN, contentMode = 'utf8', fs: customFs,
    } = options;
    if (customFs !== undefined) validateObject(customFs, 'options.fs');
    // Methods missing from a custom fs fall back to the real ones.
    this.#fs = customFs === undefined ? fs : { __proto__: fs, ...customFs };

    this.#highWaterMark = Math.max(minLength || 0, kMinHighWaterMark);
    validateUint32(this.#highWaterMark, 'options.hwm');
    this.#minLength = minLength || 0;
    validateUint32(this.#minLength, 'options.minLength');
    this.#maxLength = maxLength || 0;
    validateUint32(this.#maxLength, 'options.maxLength');
    this.#maxWrite = maxWrite || kDefaultMaxWrite;
    validateUint32(this.#maxWrite, 'options.maxWrite');
    this.#periodicFlush = periodicFlush || 0;
    validateUint32(this.#periodicFlush, 'options.periodicFlush');
    this.#sync = sync || false;
    validateBoolean(this.#sync, 'options.sync');
    this.#fsync = fsync || false;
    validateBoolean(this.#fsync, 'options.fsync');
    this.#append = append || false;
    validateBoolean(this.#append, 'options.append');
    this.#mkdir = mkdir || false;
    validateBoolean(this.#mkdir, 'options.mkdir');
    this.#retryEAGAIN = retryEAGAIN || retryAlways;
    validateFunction(this.#retryEAGAIN, 'options.retryEAGAIN');
    validateOneOf(contentMode, 'options.contentMode', ['buffer', 'utf8']);
    this.#contentMode = contentMode;
    this.#mode = mode;

    // Adding a 'drain' listener re-arms the coalesced drain of sync mode.
    this.on('newListener', (name) => {
      if (name === 'drain') this.#drainScheduled = false;
    });

    const target = fd ?? dest;
    if (typeof target === 'number') {
      this.#fd = target;
      process.nextTick(() => this.emit('ready'));
    } else if (typeof target === 'string') {
      this.#path = target;
      this.#openFile(target, false);
    } else {
      throw new codes.ERR_INVALID_ARG_TYPE('fd', ['number', 'string'], target);
    }

    if (this.#minLength >= this.#maxWrite) {
      throw new codes.ERR_INVALID_ARG_VALUE.RangeError('minLength', this.#minLength,
        `should be smaller than maxWrite (${this.#maxWrite})`);
    }

    if (this.#periodicFlush > 0) {
      this.#flushTimer = setInterval(() => this.flush(), this.#periodicFlush);
      this.#flushTimer.unref();
    }
  }

  write(data) {
    if (this.#destroyed) throw destroyedError();
    if (this.#contentMode === 'buffer') {
      if (!Buffer.isBuffer(data)) throw new codes.ERR_INVALID_ARG_TYPE('data', 'Buffer', data);
    } else if (typeof data !== 'string') {
      throw new codes.ERR_INVALID_ARG_TYPE('data', 'string', data);
    }

    const units = data.length;
    if (this.#maxLength > 0 && this.#length + units > this.#maxLength) {
      this.emit('drop', data);
      return this.#length < this.#highWaterMark;
    }
    this.#enqueue(data);
    if (!this.#writing && this.#length >= this.#minLength) this.#writeOut();
    return this.#length < this.#highWaterMark;
  }

  flush(cb) {
    if (cb !== undefined) validateFunction(cb, 'cb');
    if (this.#destroyed) {
      if (cb !== undefined) cb(destroyedError());
      return;
    }
    if (this.#minLength <= 0) {
      if (cb !== undefined) cb();
      return;
    }
    if (cb !== undefined) this.#callAfterDrain(cb);
    if (!this.#writing) {
      this.#flushing = true;
      this.#writeOut();
    }
  }

  flushSync() {
    if (this.#destroyed) throw destroyedError();
    if (this.#fd < 0) throw new codes.ERR_INVALID_STATE('Invalid file descriptor');
    // The chunk in flight (async mode) is left to its own write.
    while (this.#chunks.length > 0) {
      const data = this.#chunks[0];
      const failed = this.#writeAllSync(data, () => {});
      if (failed !== undefined) {
        this.#chunks[0] = failed.pending;
        throw failed.err;
      }
      this.#chunks.shift();
      this.#retryHead = false;
      this.#length -= data.length;
    }
    this.#fs.fsyncSync(this.#fd);
  }

  reopen(file) {
    if (this.#destroyed) throw destroyedError();
    if (this.#path === null) {
      throw new codes.ERR_OPERATION_FAILED(
        'Unable to reopen a file descriptor, you must pass a file to SonicBoom');
    }
    if (this.#ending) return;
    if (file) this.#path = file;
    this.#file = this.#path;
    if (this.#writing) {
      // Reopen once the current write or open is done.
      this.#reopenPending = true;
      return;
    }
    this.#openFile(this.#path, true);
  }

  end() {
    if (this.#destroyed) throw destroyedError();
    if (this.#ending) return;
    this.#ending = true;
    this.#stopPeriodicFlush();
    if (this.#writing) return; // the running write or open continues and then closes
    if (this.#length > 0 && this.#fd >= 0) {
      this.#flushing = true;
      this.#writeOut();
      return;
    }
    this.#close(true);
  }

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#stopPeriodicFlush();
    this.#chunks = [];
    this.#length = this.#inFlight === null ? 0 : this.#inFlight.units;
    if (this.#writing) {
      this.#closeWhenIdle = true;
      return;
    }
    this.#close(false);
  }

  [Symbol.dispose]() {
    this.destroy();
  }

  get mode() { return this.#mode; }
  get file() { return this.#file; }
  get fd() { return this.#fd; }
  get minLength() { return this.#minLength; }
  get maxLength() { return this.#maxLength; }
  get writing() { return this.#writing; }
  get sync() { return this.#sync; }
  get fsync() { return this.#fsync; }
  get append() { return this.#append; }
  get periodicFlush() { return this.#periodicFlush; }
  get contentMode() { return this.#contentMode; }
  get mkdir() { return this.#mkdir; }

  #enqueue(data) {
    const last = this.#chunks.length - 1;
    const canAppend = last > 0 || (last === 0 && !this.#retryHead);
    if (canAppend && this.#chunks[last].length + data.length <= this.#maxWrite) {
      this.#chunks[last] = typeof data === 'string' ?
        this.#chunks[last] + data : Buffer.concat([this.#chunks[last], data]);
    } else {
      this.#chunks.push(data);
    }
    this.#length += data.length;
  }

  #emptyChunk() {
    return this.#contentMode === 'buffer' ? Buffer.alloc(0) : '';
  }

  #writeSyncOnce(data) {
    return typeof data === 'string' ?
      this.#fs.writeSync(this.#fd, data, 'utf8') : this.#fs.writeSync(this.#fd, data);
  }

  // What is left of `data` after `written` bytes went out, or null when all did.
  // Writes all of `data` synchronously, retrying EAGAIN/EBUSY while retryEAGAIN allows,
  // calling `wrote(n)` after each write. Returns undefined, or what was left and the error.
  #writeAllSync(data, wrote) {
    let pending = data;
    while (pending !== null) {
      let written;
      try {
        written = this.#writeSyncOnce(pending);
      } catch (err) {
        if (isBusyError(err) && this.#retryEAGAIN(err, pending.length, this.#length - pending.length)) {
          sleep(kBusyRetryMs);
          continue;
        }
        return { pending, err };
      }
      wrote(written);
      pending = this.#remainderAfter(pending, written);
    }
    return undefined;
  }

  #remainderAfter(data, written) {
    if (typeof data === 'string') {
      if (written >= Buffer.byteLength(data, 'utf8')) return null;
      return Buffer.from(data, 'utf8').subarray(written);
    }
    return written >= data.length ? null : data.subarray(written);
  }

  // Whether the pending data should be written now.
  #shouldWriteMore() {
    return this.#length > 0 &&
      (this.#length >= this.#minLength || this.#flushing || this.#ending);
  }

  // Starts writing pending data (at least one chunk, possibly an empty one for flush()).
  #writeOut() {
    const data = this.#chunks.length > 0 ? this.#chunks.shift() : this.#emptyChunk();
    this.#retryHead = false;
    this.#inFlight = { data, units: data.length, written: 0 };
    this.#writing = true;
    if (this.#sync) {
      this.#writeSyncLoop();
    } else {
      this.#writeAsync(data);
    }
  }

  #writeSyncLoop() {
    for (;;) {
      const chunk = this.#inFlight;
      const failed = this.#writeAllSync(chunk.data, (written) => { chunk.written += written; });
      if (failed !== undefined) {
        this.#failWrite(failed.pending, failed.err);
        return;
      }
      this.#inFlight = null;
      this.#length -= chunk.units;
      this.emit('write', chunk.written);
      if (this.#fsync) this.#fs.fsyncSync(this.#fd);
      if (this.#destroyed || !this.#shouldWriteMore()) break;
      const data = this.#chunks.shift();
      this.#inFlight = { data, units: data.length, written: 0 };
    }
    this.#writing = false;
    this.#flushing = false;
    if (!this.#ending) this.#scheduleDrain();
    if (this.#destroyed) {
      if (this.#closeWhenIdle) this.#close(false);
    } else if (this.#reopenPending) {
      this.#reopenPending = false;
      this.#openFile(this.#path, true);
    } else if (this.#ending) {
      this.#close(true);
    }
  }

  #writeAsync(data) {
    const onWritten = (err, written) => {
      if (err) {
        if (isBusyError(err) &&
            this.#retryEAGAIN(err, data.length, this.#length - data.length)) {
          setTimeout(() => this.#writeAsync(data), kBusyRetryMs);
        } else {
          this.#failWrite(data, err);
        }
        return;
      }
      const chunk = this.#inFlight;
      chunk.written += written;
      const rest = this.#remainderAfter(data, written);
      if (rest !== null) {
        this.#writeAsync(rest);
        return;
      }
      this.#inFlight = null;
      this.#length -= chunk.units;
      this.emit('write', chunk.written);
      if (this.#fsync) this.#fs.fsyncSync(this.#fd);
      this.#afterAsyncWrite();
    };
    if (typeof data === 'string') {
      this.#fs.write(this.#fd, data, 'utf8', onWritten);
    } else {
      this.#fs.write(this.#fd, data, onWritten);
    }
  }

  #afterAsyncWrite() {
    if (this.#destroyed) {
      this.#writing = false;
      this.emit('drain');
      if (this.#closeWhenIdle) this.#close(false);
      return;
    }
    if (this.#reopenPending) {
      this.#reopenPending = false;
      this.#openFile(this.#path, true);
      return;
    }
    if (this.#shouldWriteMore()) {
      this.#writeOut();
      return;
    }
    this.#writing = false;
    this.#flushing = false;
    if (this.#ending) {
      this.#close(true);
    } else {
      this.emit('drain');
    }
  }

  // A write failed for good: keep the unwritten data first in line and report.
  #failWrite(pending, err) {
    const chunk = this.#inFlight;
    this.#inFlight = null;
    this.#writing = false;
    this.#flushing = false;
    if (!this.#destroyed) {
      this.#chunks.unshift(pending);
      this.#retryHead = true;
      this.#length += pending.length - chunk.units;
    }
    this.emit('error', err);
    if (this.#destroyed && this.#closeWhenIdle) this.#close(false);
  }

  // Sync mode reports 'drain' once per tick, after the writes of that tick.
  #scheduleDrain() {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    process.nextTick(() => {
      this.#drainScheduled = false;
      this.emit('drain');
    });
  }

  // Calls cb once the pending data is written and synced, or with the write error.
  #callAfterDrain(cb) {
    const onDrain = () => {
      this.removeListener('error', onError);
      this.#fs.fsync(this.#fd, (err) => cb(err));
    };
    const onError = (err) => {
      this.removeListener('drain', onDrain);
      cb(err);
    };
    this.once('drain', onDrain);
    this.once('error', onError);
  }

  #openFile(file, isReopen) {
    this.#writing = true;
    const flags = this.#append ? 'a' : 'w';
    const previousFd = this.#fd;
    // A first asynchronous open names the file only once it succeeded.
    if (this.#sync) this.#file = file;

    const opened = (fd) => {
      this.#fd = fd;
      if (isReopen && previousFd >= 0 && previousFd !== fd) this.#closeFd(previousFd);
    };

    if (this.#sync) {
      try {
        if (this.#mkdir) this.#fs.mkdirSync(path.dirname(file), { recursive: true });
        opened(this.#fs.openSync(file, flags, this.#mode));
      } catch (err) {
        this.#writing = false;
        if (isReopen) process.nextTick(() => this.emit('error', err));
        throw err;
      }
      this.#writing = false;
      process.nextTick(() => this.emit('ready'));
      return;
    }

    const onOpen = (err, fd) => {
      if (err) {
        this.#writing = false;
        this.emit('error', err);
        if (this.#destroyed) this.#close(false);
        else this.#afterOpen();
        return;
      }
      if (this.#destroyed) {
        this.#fd = fd;
        this.#writing = false;
        this.emit('ready');
        this.#close(false);
        return;
      }
      this.#file = file;
      opened(fd);
      this.#writing = false;
      this.emit('ready');
      this.#afterOpen();
    };
    if (this.#mkdir) {
      this.#fs.mkdir(path.dirname(file), { recursive: true }, (err) => {
        if (err) onOpen(err);
        else this.#fs.open(file, flags, this.#mode, onOpen);
      });
    } else {
      this.#fs.open(file, flags, this.#mode, onOpen);
    }
  }

  // After an async (re)open: resume writing, or finish a pending end()/reopen().
  #afterOpen() {
    if (this.#writing || this.#destroyed) return;
    if (this.#reopenPending) {
      this.#reopenPending = false;
      this.#openFile(this.#path, true);
    } else if (this.#fd < 0) {
      if (this.#ending) this.#close(true);
    } else if (this.#shouldWriteMore()) {
      this.#writeOut();
    } else if (this.#ending) {
      this.#close(true);
    }
  }

  #closeFd(fd) {
    if (fd <= 2) return; // never close stdio
    this.#fs.close(fd, (err) => {
      if (err) this.emit('error', err);
    });
  }

  // Syncs and closes the descriptor, then emits 'finish' (after end()) and 'close'.
  #close(finished) {
    if (this.#closing) return;
    this.#closing = true;
    this.#destroyed = true;
    this.#stopPeriodicFlush();
    const fd = this.#fd;
    const done = (err) => {
      if (err) {
        this.emit('error', err);
        return;
      }
      if (finished) this.emit('finish');
      this.emit('close');
    };
    if (fd < 0) {
      process.nextTick(done);
      return;
    }
    // fsync fails on pipes and terminals; that is not an error when closing.
    this.#fs.fsync(fd, () => {
      if (fd <= 2) done();
      else this.#fs.close(fd, done);
    });
  }

  #stopPeriodicFlush() {
    if (this.#flushTimer !== null) {
      clearInterval(this.#flushTimer);
      this.#flushTimer = null;
    }
  }
}

module.exports = { Utf8Stream };
