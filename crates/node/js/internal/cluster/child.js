'use strict';

// node:cluster in a worker process (started by the primary's fork() with NODE_UNIQUE_ID).
// Servers listen through the primary: `_getServer` asks it for the socket, and net's
// server then holds a ClusterServerHandle instead of a listener of its own.

const EventEmitter = require('events');
const Worker = require('internal/cluster/worker');
const { sendMessage, onClusterMessage } = require('internal/cluster/messages');
const { kOnConnection, clusterHooks } = require('internal/net');
const binding = internalBinding('net');

const cluster = new EventEmitter();
cluster.isWorker = true;
cluster.isMaster = false;
cluster.isPrimary = false;
cluster.worker = null;
cluster.Worker = Worker;

// The server handles this worker holds, by their key in the primary.
const handles = new Map();
// How many servers this worker listened with per address, so two listen(0) in one worker
// get two sockets while the n-th of each worker share one.
const indexes = new Map();

cluster._setupWorker = function _setupWorker() {
  const worker = new Worker({ id: Number(process.env.NODE_UNIQUE_ID) | 0, process, state: 'none' });
  cluster.worker = worker;
  delete process.env.NODE_UNIQUE_ID;
  clusterHooks.getServer = cluster._getServer;

  process.once('disconnect', () => {
    worker.emit('disconnect');
    // The primary went away without asking us to stop.
    if (!worker.exitedAfterDisconnect) process.exit(0);
  });
  process.on('internalMessage', onClusterMessage(onPrimaryMessage));
  sendMessage(process, { act: 'online' });
  worker.state = 'online';
};

function onPrimaryMessage(message, fd) {
  if (message.act === 'newconn') {
    const handle = handles.get(message.key);
    if (handle === undefined || typeof fd !== 'number') {
      if (typeof fd === 'number') binding.closeFd(fd);
      return;
    }
    const connection = binding.adoptSocket(fd);
    if (typeof connection !== 'number') handle.server[kOnConnection](0, connection);
  } else if (message.act === 'disconnect') {
    cluster.worker.exitedAfterDisconnect = true;
    closeServersThenDisconnect(true);
  }
}

// `options`: { address, port, addressType, fd, backlog }; `callback(errno, handle)`.
cluster._getServer = function _getServer(server, options, callback) {
  const indexKey = `${options.address}:${options.port}:${options.addressType}:${options.fd}`;
  const index = indexes.get(indexKey) ?? 0;
  indexes.set(indexKey, index + 1);
  const query = { act: 'queryServer', index, ...options };
  server.once('listening', () => {
    cluster.worker.state = 'listening';
    const address = server.address();
    sendMessage(process, {
      act: 'listening',
      address: options.address,
      port: (address && address.port) || options.port,
      addressType: options.addressType,
      fd: options.fd,
    });
  });
  sendMessage(process, query, undefined, (reply, fd) => {
    if (reply.errno) {
      callback(reply.errno, null);
      return;
    }
    const handle = new ClusterServerHandle(reply.key, server, reply.sockname, fd);
    if (handle.errno) {
      callback(handle.errno, null);
      return;
    }
    handles.set(reply.key, handle);
    callback(0, handle);
  });
};

// What net.Server holds as `_handle` in a worker: either connections handed over by the
// primary (round-robin), or its own listener on the socket the primary sent (`fd`).
class ClusterServerHandle {
  constructor(key, server, sockname, fd) {
    this.key = key;
    this.server = server;
    this.sockname = sockname;
    this.native = null;
    this.errno = 0;
    if (typeof fd === 'number') {
      this.native = binding.createServer(server);
      this.errno = binding.listenFd(this.native, fd);
    }
  }

  address() {
    if (this.native === null) return this.sockname;
    return binding.serverAddress(this.native);
  }

  setRef(on) {
    if (this.native !== null) binding.serverSetRef(this.native, on);
  }

  close() {
    if (this.native !== null) binding.serverClose(this.native);
    this.native = null;
    if (handles.get(this.key) === this) {
      handles.delete(this.key);
      sendMessage(process, { act: 'close', key: this.key });
    }
  }
}

function closeServersThenDisconnect(primaryInitiated) {
  for (const handle of [...handles.values()]) handle.server.close();
  if (primaryInitiated) process.disconnect();
  else sendMessage(process, { act: 'exitedAfterDisconnect' }, undefined, () => process.disconnect());
}

Worker.prototype.disconnect = function disconnect() {
  if (this.state !== 'disconnecting' && this.state !== 'destroying') {
    this.state = 'disconnecting';
    this.exitedAfterDisconnect = true;
    closeServersThenDisconnect(false);
  }
  return this;
};

Worker.prototype.destroy = function destroy() {
  if (this.state === 'destroying') return;
  this.exitedAfterDisconnect = true;
  if (!this.isConnected()) {
    process.exit(0);
    return;
  }
  this.state = 'destroying';
  sendMessage(process, { act: 'exitedAfterDisconnect' }, undefined, () => process.disconnect());
  process.once('disconnect', () => process.exit(0));
};

module.exports = cluster;
