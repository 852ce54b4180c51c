'use strict';

// The cluster's own messages between primary and workers: `{ cmd: 'NODE_CLUSTER', act,
// seq, ack, ... }` over the IPC channel, as internal messages. A message sent with a
// reply callback carries `seq`; the answer carries `ack` equal to it.

const replies = new Map();
let seq = 0;

// Sends `message` to `target` (a ChildProcess or process), with descriptor `fd` when
// given; `onReply(reply, fd)` gets the answer.
function sendMessage(target, message, fd, onReply) {
  if (!target.connected) return false;
  const packet = { cmd: 'NODE_CLUSTER', ...message, seq: seq++ };
  if (typeof onReply === 'function') replies.set(packet.seq, onReply);
  return target._send(packet, fd, undefined, undefined);
}

// Wraps `handler(message, fd)` for a target's 'internalMessage' events: replies go to
// the callbacks waiting for them, cluster messages to the handler.
function onClusterMessage(handler) {
  return (message, fd) => {
    if (message.cmd !== 'NODE_CLUSTER') return;
    if (message.ack !== undefined && replies.has(message.ack)) {
      const onReply = replies.get(message.ack);
      replies.delete(message.ack);
      onReply(message, fd);
      return;
    }
    handler(message, fd);
  };
}

module.exports = { sendMessage, onClusterMessage };
