'use strict';
// MessagePort, MessageChannel, BroadcastChannel and MessageEvent over the native port
// registry (src/worker.rs). A port's messages arrive one per macrotask through this
// thread's delivery handler; 'message' listeners added with on()/once() receive the
// value, addEventListener listeners a MessageEvent, as in Node.

const { Event, EventTarget, NodeEventTarget, defineEventHandler } = require('internal/event_target');
const { DOMException } = require('internal/dom_exception');
const { codes } = require('internal/errors');
const serializer = require('internal/worker/serializer');
const { captureResourceContext, contextToEnter, runInContext } = require('internal/util/async_context');

const native = internalBinding('worker');

// Node's own errors with messages of their own (not the code's usual template).
function errorWithCode(Base, code, message) {
  const err = new Base(message);
  err.code = code;
  return err;
}

const kConstruct = Symbol('kConstruct');
const kId = Symbol('kId');
const kOnClose = Symbol('kOnClose');
const kDeliver = Symbol('kDeliver');
const kDetach = Symbol('kDetach');
// The message's value as is (undefined included), for events made here.
const kData = Symbol('kData');
const kClosedId = Symbol('kClosedId');

// Live port objects of this thread by native id, for deliveries.
const portsById = new Map();
// Handlers of this thread's other deliveries ('exit', 'online', 'terminate', ...).
const eventHandlers = new Map();

// A port's deliveries run in the async context the port was made in.
function deliverToPort(port, method, args) {
  const context = contextToEnter(port);
  if (context === undefined) Reflect.apply(method, port, args);
  else runInContext(context, method, port, args);
}

function onDelivery(kind, id, ...rest) {
  if (kind === 'message' || kind === 'close') {
    const port = portsById.get(id);
    if (port !== undefined) deliverToPort(port, kind === 'message' ? port[kDeliver] : port[kOnClose], rest);
  } else {
    eventHandlers.get(kind)?.(id, ...rest);
  }
}
native.setHandler(onDelivery);

class MessageEvent extends Event {
  #data;
  #origin;
  #lastEventId;
  #source;
  #ports;

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new TypeError('MessageEvent constructor: 1 argument required, but 0 found.');
    super(type, options);
    const { data = null, origin = '', lastEventId = '', source = null, ports = [] } = options ?? {};
    this.#data = options?.[kData] ? options[kData].value : data;
    this.#origin = `${origin}`;
    this.#lastEventId = `${lastEventId}`;
    this.#source = source;
    this.#ports = [...ports];
  }

  get data() { return this.#data; }
  get origin() { return this.#origin; }
  get lastEventId() { return this.#lastEventId; }
  get source() { return this.#source; }
  get ports() { return this.#ports; }

  // Legacy; like Node's (undici's), it makes a new event and leaves this one as it was.
  initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = '', lastEventId = '', source = null, ports = []) {
    if (arguments.length === 0) throw new TypeError('MessageEvent.initMessageEvent: 1 argument required, but 0 found.');
    return new MessageEvent(type, { bubbles, cancelable, data, origin, lastEventId, source, ports });
  }
}
Object.defineProperty(MessageEvent.prototype, Symbol.toStringTag, { value: 'MessageEvent', configurable: true });

// Turns a delivered message back into a value; ports in it become this thread's.
function messageEvent(type, data, ports = []) {
  return new MessageEvent(type, { [kData]: { value: data }, ports });
}

// Empty lists arrive as undefined.
function readMessage(text, buffers, portIds) {
  const ports = portIds === undefined ? [] : portIds.map((id) => {
    native.adopt(id);
    return createPort(id);
  });
  return { value: serializer.deserialize(text, buffers, ports), ports };
}

const orUndefined = (list) => (list.length === 0 ? undefined : list);

const kNoTransfer = Object.freeze([]);

function checkTransferList(transferList) {
  if (transferList === undefined || transferList === null) return kNoTransfer;
  if (typeof transferList === 'object' && !(Symbol.iterator in transferList) && 'transfer' in transferList) {
    transferList = transferList.transfer;
    if (transferList === undefined || transferList === null) return [];
  }
  if (typeof transferList !== 'object' || typeof transferList[Symbol.iterator] !== 'function') {
    throw errorWithCode(TypeError, 'ERR_INVALID_ARG_TYPE', 'Optional transferList argument must be an iterable');
  }
  return [...transferList];
}

// Serializes and sends `value` from the port with native id `id`.
function send(id, value, transferList, sourcePort) {
  const message = serializer.serialize(value, checkTransferList(transferList), sourcePort);
  const portIds = message.ports.map((port) => port[kDetach]());
  native.post(id, message.text, orUndefined(message.buffers), orUndefined(portIds));
}

// Ref-counting on the loop: a started, referenced, open port keeps it alive.
class LoopHold {
  #refed = false;
  #open = false;

  update(open, refed) {
    if (open !== this.#open) {
      this.#open = open;
      if (open) native.openHandle();
      else native.closeHandle();
    }
    const hold = open && refed;
    if (hold !== this.#refed) {
      this.#refed = hold;
      if (hold) native.ref();
      else native.unref();
    }
  }

  get refed() {
    return this.#refed;
  }
}

class MessagePort extends NodeEventTarget {
  [kId];
  #receiving = false;
  #wantsRef = true;
  #hold = new LoopHold();
  #valueListeners = new Map();
  #onceListeners = new Map();

  constructor(token) {
    if (token !== kConstruct) throw new codes.ERR_CONSTRUCT_CALL_INVALID();
    super();
    captureResourceContext(this);
  }

  postMessage(value, transferList) {
    if (arguments.length === 0) throw errorWithCode(TypeError, 'ERR_MISSING_ARGS', 'Not enough arguments to MessagePort.postMessage');
    if (this[kId] === undefined) {
      // A closed port still checks what it is given.
      serializer.serialize(value, checkTransferList(transferList), this);
      return;
    }
    send(this[kId], value, transferList, this);
  }

  start() {
    if (this[kId] === undefined || this.#receiving) return;
    this.#receiving = true;
    native.setReceiving(this[kId], true);
    this.#updateHold();
  }

  close() {
    const id = this[kId];
    if (id === undefined) return;
    native.close(id);
  }

  ref() {
    this.#wantsRef = true;
    this.#updateHold();
    return this;
  }

  unref() {
    this.#wantsRef = false;
    this.#updateHold();
    return this;
  }

  hasRef() {
    return this.#hold.refed;
  }

  #updateHold() {
    this.#hold.update(this[kId] !== undefined && this.#receiving, this.#wantsRef);
  }

  // Node-style listeners of 'message' and 'messageerror' get the value, not the event.
  #valueListener(type, listener) {
    if (type !== 'message' && type !== 'messageerror') return listener;
    let wrappers = this.#valueListeners.get(type);
    if (wrappers === undefined) this.#valueListeners.set(type, (wrappers = new Map()));
    let wrapper = wrappers.get(listener);
    if (wrapper === undefined) {
      wrapper = function (event) {
        return Reflect.apply(listener, this, [event instanceof MessageEvent ? event.data : event]);
      };
      wrappers.set(listener, wrapper);
    }
    return wrapper;
  }

  on(type, listener) {
    super.on(type, this.#valueListener(`${type}`, listener));
    return this;
  }

  addListener(type, listener) {
    return this.on(type, listener);
  }

  // A once listener is removed like any other, so that the port unrefs with it.
  once(type, listener) {
    type = `${type}`;
    const port = this;
    let fired = false;
    const once = function (...args) {
      if (fired) return;
      fired = true;
      port.removeListener(type, listener);
      return Reflect.apply(listener, this, args);
    };
    let wrappers = this.#onceListeners.get(type);
    if (wrappers === undefined) this.#onceListeners.set(type, (wrappers = new Map()));
    wrappers.set(listener, once);
    return this.on(type, once);
  }

  off(type, listener) {
    return this.removeListener(type, listener);
  }

  removeListener(type, listener) {
    const once = this.#onceListeners.get(`${type}`)?.get(listener);
    if (once !== undefined) {
      this.#onceListeners.get(`${type}`).delete(listener);
      listener = once;
    }
    const wrapper = this.#valueListeners.get(`${type}`)?.get(listener) ?? listener;
    super.removeListener(type, wrapper);
    if (`${type}` === 'message' && this.listenerCount('message') === 0) this.unref();
    return this;
  }

  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    // Any 'message' listener starts the port, as in Node.
    if (`${type}` === 'message' && arguments.length >= 2 && listener) {
      this.start();
      if (this.#wantsRef) this.ref();
    }
  }

  [kDeliver](text, buffers, portIds) {
    let message;
    try {
      message = readMessage(text, buffers, portIds);
    } catch (err) {
      this.dispatchEvent(messageEvent('messageerror', err));
      return;
    }
    this.dispatchEvent(messageEvent('message', message.value, message.ports));
  }

  // The port closed (here or on the other side).
  [kOnClose]() {
    const id = this[kId];
    if (id === undefined) return;
    portsById.delete(id);
    this[kId] = undefined;
    // Messages that arrived before the close can still be taken with receiveMessageOnPort.
    this[kClosedId] = id;
    this.#updateHold();
    this.dispatchEvent(new Event('close'));
  }

  // The port is being transferred: this object stops using it.
  [kDetach]() {
    const id = this[kId];
    portsById.delete(id);
    this[kId] = undefined;
    this.#receiving = false;
    this.#updateHold();
    return id;
  }
}
defineEventHandler(MessagePort.prototype, 'messageerror');
// Setting onmessage starts the port.
{
  const { get, set } = (() => {
    const probe = {};
    defineEventHandler(probe, 'message');
    return Object.getOwnPropertyDescriptor(probe, 'onmessage');
  })();
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    get,
    set(value) {
      set.call(this, value);
      this.start();
    },
    enumerable: true,
    configurable: true,
  });
}
Object.defineProperty(MessagePort.prototype, Symbol.toStringTag, { value: 'MessagePort', configurable: true });

function createPort(id) {
  const port = new MessagePort(kConstruct);
  port[kId] = id;
  portsById.set(id, port);
  return port;
}

serializer.portHooks.isPort = (value) => value instanceof MessagePort;
serializer.portHooks.portId = (port) => port[kId];

class MessageChannel {
  constructor() {
    const [id1, id2] = native.createChannel();
    this.port1 = createPort(id1);
    this.port2 = createPort(id2);
  }
}

function receiveMessageOnPort(port) {
  if (!(port instanceof MessagePort)) {
    throw errorWithCode(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "port" argument must be a MessagePort instance');
  }
  const id = port[kId] ?? port[kClosedId];
  if (id === undefined) return undefined;
  const raw = native.receive(id);
  if (raw === undefined) return undefined;
  return { message: readMessage(...raw).value };
}

// ---- BroadcastChannel ----

class BroadcastChannel extends EventTarget {
  #name;
  #id;
  #hold = new LoopHold();
  #wantsRef = true;

  constructor(name) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('name');
    super();
    this.#name = `${name}`;
    this.#id = native.broadcastJoin(this.#name);
    const port = new MessagePort(kConstruct);
    port[kId] = this.#id;
    portsById.set(this.#id, port);
    // Deliveries reach the channel through a hidden port object.
    port[kDeliver] = (text, buffers, portIds) => {
      let value;
      try {
        value = readMessage(text, buffers, portIds).value;
      } catch (err) {
        this.dispatchEvent(messageEvent('messageerror', err));
        return;
      }
      this.dispatchEvent(messageEvent('message', value));
    };
    port[kOnClose] = () => {};
    native.setReceiving(this.#id, true);
    this.#hold.update(true, true);
  }

  get name() {
    return this.#name;
  }

  postMessage(message) {
    if (arguments.length === 0) throw new codes.ERR_MISSING_ARGS('message');
    if (this.#id === undefined) throw new DOMException('BroadcastChannel is closed.', 'InvalidStateError');
    send(this.#id, message, undefined, undefined);
  }

  close() {
    if (this.#id === undefined) return;
    portsById.delete(this.#id);
    native.close(this.#id);
    this.#id = undefined;
    this.#hold.update(false, false);
  }

  ref() {
    this.#wantsRef = true;
    this.#hold.update(this.#id !== undefined, true);
    return this;
  }

  unref() {
    this.#wantsRef = false;
    this.#hold.update(this.#id !== undefined, false);
    return this;
  }
}
defineEventHandler(BroadcastChannel.prototype, 'message');
defineEventHandler(BroadcastChannel.prototype, 'messageerror');
Object.defineProperty(BroadcastChannel.prototype, Symbol.toStringTag, { value: 'BroadcastChannel', configurable: true });

function markAsUntransferable(value) {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
  serializer.untransferable.add(value);
}

function isMarkedAsUntransferable(value) {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return serializer.untransferable.has(value);
}

function markAsUncloneable(value) {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
  serializer.uncloneable.add(value);
}

module.exports = {
  MessagePort,
  MessageChannel,
  MessageEvent,
  BroadcastChannel,
  receiveMessageOnPort,
  markAsUntransferable,
  isMarkedAsUntransferable,
  markAsUncloneable,
  createPort,
  readMessage,
  eventHandlers,
  errorWithCode,
  kId,
  LoopHold,
};
