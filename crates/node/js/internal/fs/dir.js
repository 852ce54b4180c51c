'use strict';

// fs.Dir (opendir): the entries of a directory, read one at a time. The listing is taken
// when the directory is opened (with readdir's withFileTypes), then handed out in order.

const { validators } = require('internal/errors');
const { getValidatedPath, getOptions, makeCallback, binding, readdirResult } = require('internal/fs/utils');

const kEntries = Symbol('kEntries');
const kClosed = Symbol('kClosed');
const kPath = Symbol('kPath');

function dirClosed() {
  const err = new Error('Directory handle was closed');
  err.code = 'ERR_DIR_CLOSED';
  return err;
}

class Dir {
  constructor(path, entries) {
    this[kPath] = path;
    this[kEntries] = entries;
    this[kClosed] = false;
  }

  get path() {
    return this[kPath];
  }

  readSync() {
    if (this[kClosed]) throw dirClosed();
    return this[kEntries].length > 0 ? this[kEntries].shift() : null;
  }

  read(callback) {
    if (callback === undefined) {
      return new Promise((resolve, reject) => this.read((err, entry) => (err ? reject(err) : resolve(entry))));
    }
    validators.validateFunction(callback, 'callback');
    if (this[kClosed]) {
      process.nextTick(callback, dirClosed());
      return;
    }
    const entry = this[kEntries].length > 0 ? this[kEntries].shift() : null;
    process.nextTick(callback, null, entry);
  }

  closeSync() {
    if (this[kClosed]) throw dirClosed();
    this[kClosed] = true;
    this[kEntries] = [];
  }

  close(callback) {
    if (callback === undefined) {
      return new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
    }
    validators.validateFunction(callback, 'callback');
    if (this[kClosed]) {
      process.nextTick(callback, dirClosed());
      return;
    }
    this.closeSync();
    process.nextTick(callback, null);
  }

  async *entries() {
    try {
      for (;;) {
        const entry = await this.read();
        if (entry === null) break;
        yield entry;
      }
    } finally {
      if (!this[kClosed]) await this.close();
    }
  }

  [Symbol.asyncIterator]() {
    return this.entries();
  }

  [Symbol.dispose]() {
    if (!this[kClosed]) this.closeSync();
  }

  async [Symbol.asyncDispose]() {
    if (!this[kClosed]) await this.close();
  }
}

function opendirArgs(path, options) {
  path = getValidatedPath(path);
  options = getOptions(options, { encoding: 'utf8' });
  if (options.bufferSize !== undefined) {
    validators.validateUint32(options.bufferSize, 'options.bufferSize', true);
  }
  return [path, options];
}

// readdir reports its errors as scandir's; opendir's name only the call, as Node's do.
function opendirError(err) {
  if (err && err.syscall === 'scandir') {
    err.syscall = 'opendir';
    err.message = `${err.code}: ${err.message.slice(err.code.length + 2).split(',')[0]}, opendir`;
    delete err.path;
  }
  return err;
}

function entriesOf(path, options, names) {
  return readdirResult(path, names, { encoding: options.encoding, withFileTypes: true });
}

function opendirSync(path, options) {
  [path, options] = opendirArgs(path, options);
  let names;
  try {
    names = binding.readdir(path, true, Boolean(options.recursive));
  } catch (err) {
    throw opendirError(err);
  }
  return new Dir(path, entriesOf(path, options, names));
}

function opendir(path, options, callback) {
  callback = makeCallback(typeof options === 'function' ? options : callback);
  [path, options] = opendirArgs(path, typeof options === 'function' ? undefined : options);
  binding.readdir(path, true, Boolean(options.recursive), (err, names) => {
    if (err) callback(opendirError(err));
    else callback(null, new Dir(path, entriesOf(path, options, names)));
  });
}

module.exports = { Dir, opendir, opendirSync };
