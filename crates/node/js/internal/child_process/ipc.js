'use strict';

// The IPC channel between a parent and a child started by fork() (or with 'ipc' in its
// stdio): newline-delimited JSON over a socket pair, Node's 'json' serialization. The
// parent's end hangs off the ChildProcess; the child's end (NODE_CHANNEL_FD) off process.

const { codes } = require('internal/errors');
const { ERR_MISSING_ARGS, ERR_INVALID_ARG_TYPE, ERR_IPC_CHANNEL_CLOSED, ERR_IPC_DISCONNECTED } = codes;

// Wires `target` (a ChildProcess or process) to the channel over `handle`.
function setupChannel(target, handle, isChild) {
  const net = require('net');
  const channel = new net.Socket({ handle, readable: true, writable: true });
  let pending = '';
  let refCount = 0;

  target.channel = channel;
  target._channel = channel;
  target.connected = true;

  channel.setEncoding('utf8');
  channel.on('data', (text) => {
    pending += text;
    let newline;
    while (target.connected && (newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const message = JSON.parse(line);
      if (message !== null && typeof message === 'object' && typeof message.cmd === 'string' &&
          message.cmd.startsWith('NODE_')) {
        target.emit('internalMessage', message);
      } else {
        target.emit('message', message, undefined);
      }
    }
  });
  channel.on('end', () => disconnect());
  channel.on('error', () => disconnect());
  if (!isChild) {
    channel.on('close', () => require('internal/child_process').maybeClose(target));
  }

  function disconnect() {
    if (!target.connected) return;
    target.connected = false;
    channel.destroy();
    process.nextTick(() => target.emit('disconnect'));
  }

  target.send = function send(message, handleToSend, options, callback) {
    if (typeof handleToSend === 'function') {
      callback = handleToSend;
      handleToSend = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (message === undefined) throw new ERR_MISSING_ARGS('message');
    if (typeof message !== 'string' && typeof message !== 'object' &&
        typeof message !== 'number' && typeof message !== 'boolean') {
      throw new ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'], message);
    }
    if (!target.connected) {
      const err = new ERR_IPC_CHANNEL_CLOSED();
      if (typeof callback === 'function') process.nextTick(callback, err);
      else process.nextTick(() => target.emit('error', err));
      return false;
    }
    return channel.write(`${JSON.stringify(message)}\n`, (err) => {
      if (typeof callback === 'function') callback(err ?? null);
    });
  };

  target.disconnect = function() {
    if (!target.connected) {
      target.emit('error', new ERR_IPC_DISCONNECTED());
      return;
    }
    // Let queued messages out first, as Node does.
    if (channel.writableLength > 0) channel.once('drain', disconnect);
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
  delete process.env.NODE_CHANNEL_FD;
  delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;
  if (!Number.isInteger(fd) || fd < 0) return;
  require('child_process')._forkChild(fd, 'json');
}

module.exports = { setupChannel, setupChildChannel };
