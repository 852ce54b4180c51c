'use strict';

// The IPC channel between a parent and a child started by fork() (or with 'ipc' in its
// stdio), over a socket pair. The parent's end hangs off the ChildProcess; the child's end
// (NODE_CHANNEL_FD) off process.
//
// Two wire formats, as Node's `serialization` option: 'json' is newline-delimited JSON;
// 'advanced' is length-prefixed frames of the structured-clone serializer's output (ferro
// only talks to ferro here, so the frame layout is ours). A net.Server or net.Socket sent
// along with a message travels as its descriptor (SCM_RIGHTS) attached to the message's
// bytes, inside a `{ cmd: 'NODE_HANDLE', type, msg }` envelope.

const { codes, validators } = require('internal/errors');
const {
  ERR_MISSING_ARGS, ERR_INVALID_ARG_TYPE, ERR_IPC_CHANNEL_CLOSED, ERR_IPC_DISCONNECTED, ERR_INVALID_HANDLE_TYPE,
} = codes;
const { validateObject } = validators;
const { kDataHook, errnoException } = require('internal/net');
const binding = internalBinding('net');

// Node's send() reports backpressure once this much waits in the kernel's queue.
const kBackpressureBytes = 65536 * 2;

// --- wire formats --------------------------------------------------------------------

const jsonCodec = {
  encode(message) {
    return Buffer.from(`${JSON.stringify(message)}\n`, 'utf8');
  },
  decoder() {
    const { StringDecoder } = require('string_decoder');
    const text = new StringDecoder('utf8');
    let pending = '';
    // Each complete line read so far, parsed; the rest waits for more bytes.
    return function* decode(chunk) {
      pending += text.write(chunk);
      let newline;
      while ((newline = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        yield JSON.parse(line);
      }
    };
  },
};

// An 'advanced' frame: u32 length of the rest, then u32 count of the side buffers, u32
// count of the Buffer marks, per side buffer its u32 length, the marks (u32 each), the
// serializer's text as UTF-16LE, and the side buffers' bytes.
const advancedCodec = {
  encode(message) {
    const serializer = require('internal/worker/serializer');
    let serialized;
    try {
      serialized = serializer.serialize(message);
    } catch (err) {
      // V8's serializer throws a plain Error with the same message here.
      if (err && err.name === 'DataCloneError') throw new Error(err.message);
      throw err;
    }
    const { text, buffers } = serialized;
    const marks = bufferMarks(message);
    const header = 12 + 4 * buffers.length + 4 * marks.length;
    let size = header + text.length * 2;
    for (const buffer of buffers) size += buffer.byteLength;
    const frame = Buffer.allocUnsafe(size);
    frame.writeUInt32LE(size - 4, 0);
    frame.writeUInt32LE(buffers.length, 4);
    frame.writeUInt32LE(marks.length, 8);
    let offset = 12;
    for (const buffer of buffers) offset = frame.writeUInt32LE(buffer.byteLength, offset);
    for (const mark of marks) offset = frame.writeUInt32LE(mark, offset);
    offset += frame.write(text, offset, 'utf16le');
    for (const buffer of buffers) {
      frame.set(new Uint8Array(buffer), offset);
      offset += buffer.byteLength;
    }
    return frame;
  },
  decoder() {
    let pending = null;
    return function* decode(chunk) {
      pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
      while (pending !== null && pending.length >= 4) {
        const size = pending.readUInt32LE(0) + 4;
        if (pending.length < size) break;
        const frame = pending.subarray(0, size);
        pending = pending.length === size ? null : pending.subarray(size);
        yield decodeAdvancedFrame(frame);
      }
    };
  },
};

function decodeAdvancedFrame(frame) {
  const bufferCount = frame.readUInt32LE(4);
  const markCount = frame.readUInt32LE(8);
  let offset = 12;
  const lengths = [];
  for (let i = 0; i < bufferCount; i++, offset += 4) lengths.push(frame.readUInt32LE(offset));
  const marks = [];
  for (let i = 0; i < markCount; i++, offset += 4) marks.push(frame.readUInt32LE(offset));
  let textEnd = frame.length;
  for (const length of lengths) textEnd -= length;
  const text = frame.toString('utf16le', offset, textEnd);
  offset = textEnd;
  const buffers = lengths.map((length) => {
    const copy = new ArrayBuffer(length);
    new Uint8Array(copy).set(frame.subarray(offset, offset + length));
    offset += length;
    return copy;
  });
  const message = require('internal/worker/serializer').deserialize(text, buffers, []);
  if (marks.length > 0) restoreBuffers(message, marks);
  return message;
}

// Buffers arrive as Buffers (the serializer alone would make them Uint8Arrays): the
// sender lists which typed arrays, numbered in the order of a walk both sides make over
// the same shape, were Buffers.
function walkTypedArrays(value, visit) {
  const seen = new Set();
  let count = 0;
  const walk = (v) => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      visit(v, count++);
    } else if (v instanceof Map) {
      for (const [key, entry] of v) { walk(key); walk(entry); }
    } else if (v instanceof Set) {
      for (const entry of v) walk(entry);
    } else if (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype ||
               Object.getPrototypeOf(v) === null) {
      for (const key of Object.keys(v)) walk(v[key]);
    }
  };
  walk(value);
}

function bufferMarks(message) {
  const marks = [];
  walkTypedArrays(message, (view, index) => {
    if (Buffer.isBuffer(view)) marks.push(index);
  });
  return marks;
}

function restoreBuffers(message, marks) {
  const wanted = new Set(marks);
  walkTypedArrays(message, (view, index) => {
    if (wanted.has(index)) Object.setPrototypeOf(view, Buffer.prototype);
  });
}

// --- handles -----------------------------------------------------------------------

// The type name Node gives a sendable handle, or undefined.
function handleType(handle) {
  const net = require('net');
  if (handle instanceof net.Socket) return 'net.Socket';
  if (handle instanceof net.Server) return 'net.Server';
  return undefined;
}

function descriptorOf(type, handle) {
  if (type === 'net.Server') return handle._handle ? binding.serverFd(handle._handle) : -1;
  return handle._handle ? binding.fdOf(handle._handle) : -1;
}

// After a socket went to the other process, this one lets go of it unless asked to keep
// it (as Node, the Socket object stays, without a handle).
function releaseSentSocket(socket) {
  const handle = socket._handle;
  if (!handle) return;
  handle.reading = false;
  binding.readStop(handle);
  binding.close(handle);
  socket._handle = null;
}

// Rebuilds a handle from a descriptor received with a NODE_HANDLE message, then calls
// `emit(handle)`.
function receiveHandle(type, fd, emit) {
  const net = require('net');
  if (type === 'fd') {
    emit(fd);
    return;
  }
  if (type === 'net.Socket') {
    const handle = binding.adoptSocket(fd);
    if (typeof handle === 'number') throw errnoException(handle, 'adoptSocket');
    emit(new net.Socket({ handle, readable: true, writable: true }));
    return;
  }
  const server = new net.Server();
  server.listen({ fd }, () => emit(server));
}

// --- the channel --------------------------------------------------------------------

// Wires `target` (a ChildProcess or process) to the channel over `handle`.
function setupChannel(target, handle, isChild, serialization = 'json') {
  const net = require('net');
  const codec = serialization === 'advanced' ? advancedCodec : jsonCodec;
  binding.setIpc(handle);
  const channel = new net.Socket({ handle, readable: true, writable: true });
  const decode = codec.decoder();
  let refCount = 0;
  // Writes the kernel hasn't taken yet, and what to do once they are out.
  let writesInFlight = 0;
  let onWritesDone = null;

  target.channel = channel;
  target._channel = channel;
  target.connected = true;

  channel[kDataHook] = (chunk) => {
    for (const message of decode(chunk)) dispatch(message);
  };
  channel.on('end', () => disconnect());
  channel.on('error', () => disconnect());
  if (!isChild) {
    channel.on('close', () => require('internal/child_process').maybeClose(target));
  }

  // Messages are emitted on the next tick, as Node's, so all those of one read arrive
  // even if a listener disconnects.
  function emitMessage(message, received) {
    const internal = message !== null && typeof message === 'object' && typeof message.cmd === 'string' &&
      message.cmd.startsWith('NODE_');
    process.nextTick(() => target.emit(internal ? 'internalMessage' : 'message', message, received));
  }

  function dispatch(message) {
    if (message === null || typeof message !== 'object' || message.cmd !== 'NODE_HANDLE') {
      emitMessage(message, undefined);
      return;
    }
    const fd = binding.takeReceivedFd(handle);
    if (fd < 0) emitMessage(message.msg, undefined);
    else receiveHandle(message.type, fd, (received) => emitMessage(message.msg, received));
  }

  function disconnect() {
    if (!target.connected) return;
    target.connected = false;
    channel.destroy();
    process.nextTick(() => target.emit('disconnect'));
  }

  function writeDone(status, callback) {
    const err = status < 0 ? errnoException(status, 'write') : null;
    if (typeof callback === 'function') callback(err);
    if (err) disconnect();
  }

  // Sends `message` (anything the codec takes), with `sendHandle` when given; no checks.
  function rawSend(message, sendHandle, options, callback) {
    let type;
    let fd = -1;
    if (typeof sendHandle === 'number') {
      // A bare descriptor, from the cluster's internals.
      type = 'fd';
      fd = sendHandle;
      message = { cmd: 'NODE_HANDLE', type, msg: message };
    } else if (sendHandle != null) {
      type = handleType(sendHandle);
      fd = descriptorOf(type, sendHandle);
      message = { cmd: 'NODE_HANDLE', type, msg: message };
    }
    const bytes = codec.encode(message);
    const request = { oncomplete: null };
    const status = fd >= 0 ? binding.writeWithHandle(handle, bytes, fd, request) : binding.writeBuffer(handle, bytes, request);
    if (type === 'net.Socket' && !(options && options.keepOpen)) releaseSentSocket(sendHandle);
    if (status === 1) {
      writesInFlight++;
      request.oncomplete = (s) => {
        writesInFlight--;
        writeDone(s, callback);
        if (writesInFlight === 0 && onWritesDone !== null) {
          const done = onWritesDone;
          onWritesDone = null;
          done();
        }
      };
    } else {
      process.nextTick(writeDone, status, callback);
    }
    return status >= 0 && binding.writeQueueSize(handle) < kBackpressureBytes;
  }

  target._send = function _send(message, sendHandle, options, callback) {
    if (typeof sendHandle === 'function') {
      callback = sendHandle;
      sendHandle = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (!target.connected) {
      const err = new ERR_IPC_CHANNEL_CLOSED();
      if (typeof callback === 'function') process.nextTick(callback, err);
      else process.nextTick(() => target.emit('error', err));
      return false;
    }
    return rawSend(message, sendHandle, options, callback);
  };

  target.send = function send(message, sendHandle, options, callback) {
    if (typeof sendHandle === 'function') {
      callback = sendHandle;
      sendHandle = undefined;
      options = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    } else if (options !== undefined) {
      validateObject(options, 'options');
    }
    if (message === undefined) throw new ERR_MISSING_ARGS('message');
    if (typeof message !== 'string' && typeof message !== 'object' &&
        typeof message !== 'number' && typeof message !== 'boolean') {
      throw new ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'], message);
    }
    if (sendHandle != null && handleType(sendHandle) === undefined) throw new ERR_INVALID_HANDLE_TYPE();
    return target._send(message, sendHandle, options, callback);
  };

  target.disconnect = function() {
    if (!target.connected) {
      target.emit('error', new ERR_IPC_DISCONNECTED());
      return;
    }
    // Let queued messages out first, as Node does.
    if (writesInFlight > 0) onWritesDone = disconnect;
    else disconnect();
  };
  target._disconnect = target.disconnect;

  // The child's channel keeps it alive only while someone listens for messages.
  if (isChild) {
    channel.unref();
    const counts = (type) => type === 'message' || type === 'disconnect';
    target.on('newListener', (type) => {
      if (counts(type) && refCount++ === 0) channel.ref();
    });
    target.on('removeListener', (type) => {
      if (counts(type) && --refCount === 0) channel.unref();
    });
  }
}

// In a child started with an IPC channel: process.send() and friends.
function setupChildChannel() {
  const fd = Number(process.env.NODE_CHANNEL_FD);
  const serialization = process.env.NODE_CHANNEL_SERIALIZATION_MODE || 'json';
  delete process.env.NODE_CHANNEL_FD;
  delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;
  if (!Number.isInteger(fd) || fd < 0) return;
  require('child_process')._forkChild(fd, serialization);
  if (process.env.NODE_UNIQUE_ID !== undefined) require('internal/cluster/child')._setupWorker();
}

module.exports = { setupChannel, setupChildChannel };
