'use strict';

// http.IncomingMessage: a request (server side) or a response (client side), readable
// for its body. The connection code pushes the body in and ends it.

const { Readable } = require('stream');

const kHeaders = Symbol('kHeaders');
const kHeadersDistinct = Symbol('kHeadersDistinct');
const kHeadersCount = Symbol('kHeadersCount');
const kTrailers = Symbol('kTrailers');
const kTrailersDistinct = Symbol('kTrailersDistinct');
const kTrailersCount = Symbol('kTrailersCount');

function IncomingMessage(socket) {
  let streamOptions;
  if (socket) {
    streamOptions = { highWaterMark: socket.readableHighWaterMark };
  }
  Readable.call(this, streamOptions);
  this._readableState.readingMore = true;
  this.socket = socket;
  this.httpVersionMajor = null;
  this.httpVersionMinor = null;
  this.httpVersion = null;
  this.complete = false;
  this[kHeaders] = null;
  this[kHeadersCount] = 0;
  this.rawHeaders = [];
  this[kTrailers] = null;
  this[kTrailersCount] = 0;
  this.rawTrailers = [];
  this.joinDuplicateHeaders = false;
  this.aborted = false;
  this.upgrade = null;
  this.url = '';
  this.method = null;
  this.statusCode = null;
  this.statusMessage = null;
  this.client = socket;
  this._consuming = false;
  this._dumped = false;
}
Object.setPrototypeOf(IncomingMessage.prototype, Readable.prototype);
Object.setPrototypeOf(IncomingMessage, Readable);

Object.defineProperty(IncomingMessage.prototype, 'connection', {
  get() { return this.socket; },
  set(val) { this.socket = val; },
});

Object.defineProperty(IncomingMessage.prototype, 'headers', {
  get() {
    if (!this[kHeaders]) {
      this[kHeaders] = {};
      const src = this.rawHeaders;
      const dst = this[kHeaders];
      for (let n = 0; n < this[kHeadersCount]; n += 2) {
        this._addHeaderLine(src[n], src[n + 1], dst);
      }
    }
    return this[kHeaders];
  },
  set(val) { this[kHeaders] = val; },
});

Object.defineProperty(IncomingMessage.prototype, 'headersDistinct', {
  get() {
    if (!this[kHeadersDistinct]) {
      this[kHeadersDistinct] = Object.create(null);
      const src = this.rawHeaders;
      const dst = this[kHeadersDistinct];
      for (let n = 0; n < this[kHeadersCount]; n += 2) {
        this._addHeaderLineDistinct(src[n], src[n + 1], dst);
      }
    }
    return this[kHeadersDistinct];
  },
  set(val) { this[kHeadersDistinct] = val; },
});

Object.defineProperty(IncomingMessage.prototype, 'trailers', {
  get() {
    if (!this[kTrailers]) {
      this[kTrailers] = {};
      const src = this.rawTrailers;
      const dst = this[kTrailers];
      for (let n = 0; n < this[kTrailersCount]; n += 2) {
        this._addHeaderLine(src[n], src[n + 1], dst);
      }
    }
    return this[kTrailers];
  },
  set(val) { this[kTrailers] = val; },
});

Object.defineProperty(IncomingMessage.prototype, 'trailersDistinct', {
  get() {
    if (!this[kTrailersDistinct]) {
      this[kTrailersDistinct] = Object.create(null);
      const src = this.rawTrailers;
      const dst = this[kTrailersDistinct];
      for (let n = 0; n < this[kTrailersCount]; n += 2) {
        this._addHeaderLineDistinct(src[n], src[n + 1], dst);
      }
    }
    return this[kTrailersDistinct];
  },
  set(val) { this[kTrailersDistinct] = val; },
});

IncomingMessage.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (callback) this.on('timeout', callback);
  this.socket.setTimeout(msecs);
  return this;
};

IncomingMessage.prototype._read = function _read(n) {
  if (!this._consuming) {
    this._readableState.readingMore = false;
    this._consuming = true;
  }
  // The connection pauses its socket when the body backs up; reading resumes it.
  if (this.socket && this.socket.readable && this[kPausedSocket]) {
    this[kPausedSocket] = false;
    this.socket.resume();
  }
};
const kPausedSocket = Symbol('kPausedSocket');

// Pushes a body chunk, pausing the socket when the reader is behind.
IncomingMessage.prototype._pushBody = function(chunk) {
  if (!this.push(chunk) && this.socket && !this[kPausedSocket]) {
    this[kPausedSocket] = true;
    this.socket.pause();
  }
};

IncomingMessage.prototype._destroy = function _destroy(err, cb) {
  if (!this.readableEnded || !this.complete) {
    this.aborted = true;
    this.emit('aborted');
  }
  if (this.socket && !this.socket.destroyed && this.aborted) {
    this.socket.destroy(err);
    this.socket.once('close', () => process.nextTick(onError, this, err, cb));
  } else {
    process.nextTick(onError, this, err, cb);
  }
};

// An aborted message only reports its error to someone listening for it.
function onError(self, error, cb) {
  if (self.listenerCount('error') === 0) cb();
  else cb(error);
}

IncomingMessage.prototype._addHeaderLines = function _addHeaderLines(headers, n) {
  if (headers && headers.length) {
    let dest;
    if (this.complete) {
      this.rawTrailers = headers;
      this[kTrailersCount] = n;
      dest = this[kTrailers];
    } else {
      this.rawHeaders = headers;
      this[kHeadersCount] = n;
      dest = this[kHeaders];
    }
    if (dest) {
      for (let i = 0; i < n; i += 2) this._addHeaderLine(headers[i], headers[i + 1], dest);
    }
  }
};

// How a repeated header combines: 0 keep the first, 1 join with ', ', 2 join with '; ',
// 3 collect into an array (set-cookie).
function matchKnownFields(field) {
  switch (field.length) {
    case 3: if (field === 'age') return ['age', 0]; break;
    case 4:
      if (field === 'host') return ['host', 0];
      if (field === 'from') return ['from', 0];
      if (field === 'etag') return ['etag', 0];
      break;
    case 6:
      if (field === 'server') return ['server', 0];
      if (field === 'cookie') return ['cookie', 2];
      break;
    case 7:
      if (field === 'referer') return ['referer', 0];
      if (field === 'expires') return ['expires', 0];
      break;
    case 8: if (field === 'location') return ['location', 0]; break;
    case 10:
      if (field === 'user-agent') return ['user-agent', 0];
      if (field === 'set-cookie') return ['set-cookie', 3];
      break;
    case 11: if (field === 'retry-after') return ['retry-after', 0]; break;
    case 12:
      if (field === 'content-type') return ['content-type', 0];
      if (field === 'max-forwards') return ['max-forwards', 0];
      break;
    case 13:
      if (field === 'authorization') return ['authorization', 0];
      if (field === 'last-modified') return ['last-modified', 0];
      break;
    case 14: if (field === 'content-length') return ['content-length', 0]; break;
    case 17: if (field === 'if-modified-since') return ['if-modified-since', 0]; break;
    case 19:
      if (field === 'if-unmodified-since') return ['if-unmodified-since', 0];
      if (field === 'proxy-authorization') return ['proxy-authorization', 0];
      break;
  }
  return null;
}

IncomingMessage.prototype._addHeaderLine = function _addHeaderLine(field, value, dest) {
  const lower = field.toLowerCase();
  const known = matchKnownFields(lower);
  const name = known ? known[0] : lower;
  const rule = known ? known[1] : 1;
  if (rule === 3) {
    if (dest['set-cookie'] !== undefined) dest['set-cookie'].push(value);
    else dest['set-cookie'] = [value];
  } else if (this.joinDuplicateHeaders) {
    if (dest[name] === undefined) dest[name] = value;
    else dest[name] += ', ' + value;
  } else if (dest[name] === undefined) {
    dest[name] = value;
  } else if (rule === 2) {
    dest[name] += '; ' + value;
  } else if (rule === 1) {
    dest[name] += ', ' + value;
  }
};

IncomingMessage.prototype._addHeaderLineDistinct = function(field, value, dest) {
  const name = field.toLowerCase();
  if (!dest[name]) dest[name] = [value];
  else dest[name].push(value);
};

// Reads and discards the body nobody consumed, so the connection can go on.
IncomingMessage.prototype._dump = function _dump() {
  if (!this._dumped) {
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
};

module.exports = { IncomingMessage };
