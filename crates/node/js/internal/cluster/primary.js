'use strict';

// node:cluster in the primary process: forks workers and shares listening sockets with
// them. A worker's listen() becomes a 'queryServer' request here; with SCHED_RR the
// primary listens itself and hands each accepted connection to the next worker, with
// SCHED_NONE it hands the listening socket to every worker, which accept on their own.

const EventEmitter = require('events');
const Worker = require('internal/cluster/worker');
const { sendMessage, onClusterMessage } = require('internal/cluster/messages');
const { kOnConnection } = require('internal/net');
const binding = internalBinding('net');

const SCHED_NONE = 1;
const SCHED_RR = 2;

const cluster = new EventEmitter();
// Emits 'disconnect' once no worker is left (for cluster.disconnect's callback).
const intercom = new EventEmitter();
cluster.isWorker = false;
cluster.isMaster = true;
cluster.isPrimary = true;
cluster.Worker = Worker;
cluster.workers = {};
cluster.settings = {};
cluster.SCHED_NONE = SCHED_NONE;
cluster.SCHED_RR = SCHED_RR;
const policyFromEnv = process.env.NODE_CLUSTER_SCHED_POLICY;
cluster.schedulingPolicy = policyFromEnv === 'none' ? SCHED_NONE : SCHED_RR;

let initialized = false;
// Frozen at the first setupPrimary() or fork(), as Node's.
let schedulingPolicy = cluster.schedulingPolicy;
let ids = 0;
// Listening sockets shared with workers, by their key.
const shares = new Map();

cluster.setupPrimary = function setupPrimary(options) {
  const settings = {
    args: process.argv.slice(2),
    exec: process.argv[1],
    execArgv: process.execArgv,
    silent: false,
    ...cluster.settings,
    ...options,
  };
  cluster.settings = settings;
  if (!initialized) {
    initialized = true;
    schedulingPolicy = cluster.schedulingPolicy;
  }
  process.nextTick(() => cluster.emit('setup', settings));
};
cluster.setupMaster = cluster.setupPrimary;

cluster.fork = function fork(env) {
  cluster.setupPrimary();
  const id = ++ids;
  const settings = cluster.settings;
  const child = require('child_process').fork(settings.exec, settings.args, {
    cwd: settings.cwd,
    env: { ...process.env, ...env, NODE_UNIQUE_ID: `${id}` },
    serialization: settings.serialization,
    silent: settings.silent,
    windowsHide: settings.windowsHide,
    execArgv: settings.execArgv,
    stdio: settings.stdio,
    execPath: settings.execPath,
    gid: settings.gid,
    uid: settings.uid,
  });
  const worker = new Worker({ id, process: child });
  worker.on('message', function(message, handle) {
    cluster.emit('message', this, message, handle);
  });

  child.once('disconnect', () => {
    worker.state = 'disconnected';
    worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
    removeSharesOf(worker);
    worker.emit('disconnect');
    cluster.emit('disconnect', worker);
    if (worker.isDead()) removeWorker(worker);
    else if (Object.keys(cluster.workers).length === 0) intercom.emit('disconnect');
  });
  child.once('exit', (code, signal) => {
    // A dead worker's channel is closing too: report that first.
    if (child.connected) child.once('disconnect', () => onExit(code, signal));
    else onExit(code, signal);
  });
  function onExit(code, signal) {
    worker.state = 'dead';
    worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
    removeSharesOf(worker);
    removeWorker(worker);
    worker.emit('exit', code, signal);
    cluster.emit('exit', worker, code, signal);
  }
  child.on('internalMessage', onClusterMessage((message, fd) => onWorkerMessage(worker, message, fd)));

  process.nextTick(() => cluster.emit('fork', worker));
  cluster.workers[id] = worker;
  return worker;
};

cluster.disconnect = function disconnect(callback) {
  const workers = Object.values(cluster.workers);
  if (workers.length === 0) {
    process.nextTick(() => intercom.emit('disconnect'));
  } else {
    for (const worker of workers) {
      if (worker.isConnected()) worker.disconnect();
    }
  }
  if (typeof callback === 'function') intercom.once('disconnect', callback);
};

function removeWorker(worker) {
  if (cluster.workers[worker.id] !== worker) return;
  delete cluster.workers[worker.id];
  if (Object.keys(cluster.workers).length === 0) intercom.emit('disconnect');
}

function removeSharesOf(worker) {
  for (const [key, share] of shares) {
    if (share.remove(worker)) shares.delete(key);
  }
}

function onWorkerMessage(worker, message) {
  switch (message.act) {
    case 'online':
      worker.state = 'online';
      worker.emit('online');
      cluster.emit('online', worker);
      return;
    case 'queryServer':
      queryServer(worker, message);
      return;
    case 'listening': {
      const info = { addressType: message.addressType, address: message.address, port: message.port, fd: message.fd };
      worker.state = 'listening';
      worker.emit('listening', info);
      cluster.emit('listening', worker, info);
      return;
    }
    case 'exitedAfterDisconnect':
      worker.exitedAfterDisconnect = true;
      sendMessage(worker.process, { ack: message.seq });
      return;
    case 'close': {
      const share = shares.get(message.key);
      if (share !== undefined && share.remove(worker)) shares.delete(message.key);
      return;
    }
  }
}

function queryServer(worker, message) {
  if (worker.exitedAfterDisconnect) return;
  const { address, port, addressType, fd, index } = message;
  const key = `${address}:${port}:${addressType}:${fd}:${index}`;
  let share = shares.get(key);
  if (share === undefined) {
    // Unix sockets always go round-robin: a path can't be bound twice anyway.
    const roundRobin = schedulingPolicy === SCHED_RR || addressType === -1;
    share = roundRobin ? new RoundRobinShare(key, message) : new SocketShare(message);
    shares.set(key, share);
  }
  const reply = { ack: message.seq, key, errno: share.errno };
  if (share.errno) {
    shares.delete(key);
    sendMessage(worker.process, reply);
    return;
  }
  share.workers.push(worker);
  if (share instanceof RoundRobinShare) {
    reply.sockname = share.sockname();
    sendMessage(worker.process, reply);
  } else {
    sendMessage(worker.process, reply, share.fd);
  }
}

const kDefaultBacklog = 511;

// SCHED_RR: the primary accepts, and each connection goes to the next worker in turn.
class RoundRobinShare {
  constructor(key, { address, port, addressType, backlog }) {
    this.key = key;
    this.workers = [];
    this.next = 0;
    this.path = addressType === -1 ? address : undefined;
    this.handle = binding.createServer(this);
    backlog = Number.isInteger(backlog) && backlog >= 0 ? backlog : kDefaultBacklog;
    let err;
    if (this.path !== undefined) {
      err = binding.listenPipe(this.handle, address, backlog);
    } else if (address === null) {
      err = binding.listenTcp(this.handle, '::', port, backlog, false);
      if (err === -97 /* EAFNOSUPPORT */) err = binding.listenTcp(this.handle, '0.0.0.0', port, backlog, false);
    } else {
      err = binding.listenTcp(this.handle, address, port, backlog, false);
    }
    this.errno = err;
    if (err) this.close();
  }

  sockname() {
    if (this.path !== undefined) return this.path;
    const out = binding.serverAddress(this.handle);
    return typeof out === 'number' ? null : out;
  }

  [kOnConnection](status, connection) {
    if (status < 0) return;
    if (this.workers.length === 0) {
      binding.close(connection);
      return;
    }
    const worker = this.workers[this.next++ % this.workers.length];
    // The descriptor is duplicated when the message has to wait, so ours closes now.
    sendMessage(worker.process, { act: 'newconn', key: this.key }, binding.fdOf(connection));
    binding.close(connection);
  }

  // Drops `worker`; true when no worker is left and the socket was closed.
  remove(worker) {
    const index = this.workers.indexOf(worker);
    if (index === -1) return false;
    this.workers.splice(index, 1);
    if (this.workers.length > 0) return false;
    this.close();
    return true;
  }

  close() {
    if (this.handle === null) return;
    binding.serverClose(this.handle);
    this.handle = null;
  }
}

// SCHED_NONE: every worker gets the listening socket itself.
class SocketShare {
  constructor({ address, port, backlog }) {
    this.workers = [];
    backlog = Number.isInteger(backlog) && backlog >= 0 ? backlog : kDefaultBacklog;
    let fd;
    if (address === null) {
      fd = binding.bindTcp('::', port, backlog, false);
      if (fd === -97 /* EAFNOSUPPORT */) fd = binding.bindTcp('0.0.0.0', port, backlog, false);
    } else {
      fd = binding.bindTcp(address, port, backlog, false);
    }
    this.errno = fd < 0 ? fd : 0;
    this.fd = fd;
  }

  remove(worker) {
    const index = this.workers.indexOf(worker);
    if (index === -1) return false;
    this.workers.splice(index, 1);
    if (this.workers.length > 0) return false;
    binding.closeFd(this.fd);
    return true;
  }
}

Worker.prototype.disconnect = function disconnect() {
  this.exitedAfterDisconnect = true;
  sendMessage(this.process, { act: 'disconnect' });
  removeSharesOf(this);
  removeWorker(this);
  return this;
};

Worker.prototype.destroy = function destroy(signal) {
  this.process.kill(signal || 'SIGTERM');
};

module.exports = cluster;
