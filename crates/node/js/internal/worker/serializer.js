'use strict';
// The structured clone algorithm in a form that crosses threads: serialize() turns a
// value into text plus side tables (ArrayBuffers to copy or move, MessagePorts to
// transfer) and deserialize() rebuilds it in another context. Shared references and cycles are kept; prototypes are not.
//
// The text is a sequence of records, each a one-letter tag and its fields; numbers end
// with ';', strings are written as `<length>;<UTF-16 code units>`. Objects are numbered
// in the order they are written, and a repeated object is written as a reference.

const types = require('internal/util/types');
const { DOMException } = require('internal/dom_exception');
const { objectKind } = require('internal/util/object_kind');

const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const ObjectPrototypeToString = uncurry(Object.prototype.toString);
const FunctionPrototypeToString = uncurry(Function.prototype.toString);
const hasOwn = uncurry(Object.prototype.hasOwnProperty);
const DateGetTime = uncurry(Date.prototype.getTime);
const ArrayBufferSlice = uncurry(ArrayBuffer.prototype.slice);

// Error names that keep their prototype; any other name comes back as a plain Error.
const kErrorConstructors = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

// Objects that refuse to move or to be cloned (markAsUntransferable, markAsUncloneable).
const untransferable = new WeakSet();
const uncloneable = new WeakSet();

// Hooks for MessagePort, which lives in internal/worker/io (loaded after this file).
const portHooks = { isPort: () => false, portId: null, makePort: null };

function dataCloneError(message) {
  return new DOMException(message, 'DataCloneError');
}

// How V8 names a value it cannot clone: "#<Ctor>" after the nearest constructor.
function describe(value) {
  if (typeof value === 'function') return FunctionPrototypeToString(value);
  if (typeof value === 'symbol') return String(value);
  if (types.isSymbolObject(value)) return '[object Symbol]';
  if (types.isProxy(value)) return '#<Object>';
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (descriptor === undefined) continue;
    const ctor = descriptor.value;
    if (typeof ctor === 'function' && ctor.name) return `#<${ctor.name}>`;
    break;
  }
  return ObjectPrototypeToString(value);
}

// Whether the engine lets native code hand a SharedArrayBuffer's memory to another one.
let memorySharing;
function canShareMemory() {
  memorySharing ??= internalBinding('worker').shareMemory(new SharedArrayBuffer(1)) !== undefined;
  return memorySharing;
}

function uncloneableError(value) {
  return dataCloneError(`${describe(value)} could not be cloned.`);
}

class Writer {
  constructor(transferBuffers, transferPorts) {
    this.text = '';
    this.objects = new Map();
    this.transferBuffers = transferBuffers;
    this.transferPorts = transferPorts;
    this.buffers = [];
  }

  number(n) {
    this.text += `${n};`;
  }

  string(s) {
    this.text += `${s.length};${s}`;
  }

  value(v) {
    switch (typeof v) {
      case 'undefined': this.text += 'u'; return;
      case 'boolean': this.text += v ? 't' : 'f'; return;
      case 'string': this.text += 's'; this.string(v); return;
      case 'number':
        if (v === 0 && 1 / v < 0) this.text += 'z';
        else { this.text += 'd'; this.number(v); }
        return;
      case 'bigint': this.text += 'b'; this.number(v); return;
      case 'symbol': throw uncloneableError(v);
      case 'function': throw uncloneableError(v);
    }
    if (v === null) {
      this.text += 'n';
      return;
    }
    const known = this.objects.get(v);
    if (known !== undefined) {
      this.text += 'r';
      this.number(known);
      return;
    }
    if (types.isProxy(v) || uncloneable.has(v)) throw uncloneableError(v);
    this.object(v);
  }

  remember(v) {
    this.objects.set(v, this.objects.size);
  }

  object(v) {
    const tag = ObjectPrototypeToString(v);
    switch (objectKind(v, tag)) {
      case 'boxed':
        if (types.isSymbolObject(v)) throw uncloneableError(v);
        this.remember(v);
        this.text += 'B';
        this.value(v.valueOf());
        return;
      case 'date':
        this.remember(v);
        this.text += 'D';
        this.number(DateGetTime(v));
        return;
      case 'regexp':
        this.remember(v);
        this.text += 'x';
        this.string(v.source);
        this.string(v.flags);
        return;
      case 'arraybuffer':
        this.remember(v);
        this.arrayBuffer(v);
        return;
      case 'typedarray':
      case 'dataview':
        this.view(v);
        return;
      case 'map':
        this.remember(v);
        this.text += 'M';
        this.number(v.size);
        for (const [key, entry] of v) {
          this.value(key);
          this.value(entry);
        }
        return;
      case 'set':
        this.remember(v);
        this.text += 'S';
        this.number(v.size);
        for (const entry of v) this.value(entry);
        return;
      case 'error':
        if (v instanceof DOMException) {
          this.remember(v);
          this.text += 'X';
          this.string(`${v.name}`);
          this.string(`${v.message}`);
          this.optionalString(v.stack);
          return;
        }
        if (types.isNativeError(v)) {
          this.error(v);
          return;
        }
        break;
      case 'opaque':
        throw uncloneableError(v);
      default:
        if (portHooks.isPort(v)) {
          this.port(v);
          return;
        }
        if (tag !== '[object Object]' && tag !== '[object Array]' &&
            (types.isGeneratorObject(v) || types.isMapIterator(v) || types.isSetIterator(v) ||
             types.isModuleNamespaceObject(v))) {
          throw uncloneableError(v);
        }
    }
    this.remember(v);
    const keys = Object.keys(v);
    if (Array.isArray(v)) {
      this.text += 'a';
      this.number(v.length);
    } else {
      this.text += 'o';
    }
    this.number(keys.length);
    for (const key of keys) {
      this.string(key);
      this.value(v[key]);
    }
  }

  optionalString(s) {
    if (typeof s === 'string') {
      this.text += 's';
      this.string(s);
    } else {
      this.text += 'u';
    }
  }

  arrayBuffer(buffer) {
    // A SharedArrayBuffer is written like an ArrayBuffer; native code passes its memory
    // instead of its bytes.
    if (types.isSharedArrayBuffer(buffer) && !canShareMemory()) {
      throw dataCloneError('SharedArrayBuffer cannot be shared between threads by this JavaScriptCore.');
    }
    if (buffer.detached) throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
    this.text += 'A';
    this.number(this.buffers.push(buffer) - 1);
    this.number(buffer.resizable ? buffer.maxByteLength : -1);
  }

  // A view is written with its whole buffer, which other views may share.
  view(view) {
    this.remember(view);
    const isDataView = types.isDataView(view);
    this.text += 'V';
    this.string(isDataView ? 'DataView' : ObjectPrototypeToString(view).slice(8, -1));
    this.number(view.byteOffset);
    // A view that tracks a resizable buffer's length is written without one.
    const { buffer } = view;
    const tracking = buffer.resizable && !isDataView && view.length * view.BYTES_PER_ELEMENT + view.byteOffset === buffer.byteLength &&
      new (Object.getPrototypeOf(view).constructor)(buffer, view.byteOffset).length === view.length;
    this.number(tracking ? -1 : isDataView ? view.byteLength : view.length);
    this.value(buffer);
  }

  error(error) {
    this.remember(error);
    this.text += 'E';
    this.string(`${error.name}`);
    this.optionalString(hasOwn(error, 'message') ? `${error.message}` : undefined);
    this.optionalString(error.stack);
    if (hasOwn(error, 'cause')) {
      this.text += 'c';
      this.value(error.cause);
    } else {
      this.text += '-';
    }
  }

  port(port) {
    const index = this.transferPorts.indexOf(port);
    if (index === -1) throw dataCloneError('Object that needs transfer was found in message but not listed in transferList');
    this.remember(port);
    this.text += 'P';
    this.number(index);
  }
}

class Reader {
  constructor(text, buffers, ports) {
    this.text = text;
    this.pos = 0;
    this.objects = [];
    this.buffers = buffers;
    this.ports = ports;
  }

  numberText() {
    const end = this.text.indexOf(';', this.pos);
    const s = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return s;
  }

  number() {
    return +this.numberText();
  }

  string() {
    const length = this.number();
    const s = this.text.slice(this.pos, this.pos + length);
    this.pos += length;
    return s;
  }

  remember(v) {
    this.objects.push(v);
    return v;
  }

  value() {
    const tag = this.text[this.pos++];
    switch (tag) {
      case 'u': return undefined;
      case 'n': return null;
      case 't': return true;
      case 'f': return false;
      case 'z': return -0;
      case 'd': return this.number();
      case 'b': return BigInt(this.numberText());
      case 's': return this.string();
      case 'r': return this.objects[this.number()];
      case 'B': {
        const slot = this.objects.push(undefined) - 1;
        return (this.objects[slot] = Object(this.value()));
      }
      case 'D': return this.remember(new Date(this.number()));
      case 'x': {
        const source = this.string();
        return this.remember(new RegExp(source, this.string()));
      }
      case 'A': {
        const buffer = this.buffers[this.number()];
        const max = this.number();
        if (max < 0) return this.remember(buffer);
        const resizable = new ArrayBuffer(buffer.byteLength, { maxByteLength: max });
        new Uint8Array(resizable).set(new Uint8Array(buffer));
        return this.remember(resizable);
      }
      case 'V': {
        const slot = this.objects.push(undefined) - 1;
        const kind = this.string();
        const byteOffset = this.number();
        const length = this.number();
        const buffer = this.value();
        const Constructor = globalThis[kind];
        const view = length < 0 ? new Constructor(buffer, byteOffset) : new Constructor(buffer, byteOffset, length);
        return (this.objects[slot] = view);
      }
      case 'M': {
        const map = this.remember(new Map());
        for (let n = this.number(); n > 0; n--) {
          const key = this.value();
          map.set(key, this.value());
        }
        return map;
      }
      case 'S': {
        const set = this.remember(new Set());
        for (let n = this.number(); n > 0; n--) set.add(this.value());
        return set;
      }
      case 'X': {
        const slot = this.objects.push(undefined) - 1;
        const name = this.string();
        const error = new DOMException(this.string(), name);
        const stack = this.value();
        if (stack !== undefined) defineHidden(error, 'stack', stack);
        return (this.objects[slot] = error);
      }
      case 'E': return this.error();
      case 'P': return this.remember(this.ports[this.number()]);
      case 'a':
      case 'o': {
        const target = this.remember(tag === 'a' ? new Array(this.number()) : {});
        for (let n = this.number(); n > 0; n--) {
          const key = this.string();
          target[key] = this.value();
        }
        return target;
      }
    }
    throw new Error(`Corrupt message at ${this.pos - 1}`);
  }

  error() {
    const name = this.string();
    const Constructor = hasOwn(kErrorConstructors, name) ? kErrorConstructors[name] : Error;
    const error = this.remember(new Constructor());
    const message = this.value();
    if (message !== undefined) defineHidden(error, 'message', message);
    const stack = this.value();
    if (stack !== undefined) defineHidden(error, 'stack', stack);
    if (this.text[this.pos++] === 'c') defineHidden(error, 'cause', this.value());
    return error;
  }
}

function defineHidden(target, key, value) {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

// Checks a transfer list and splits it into ArrayBuffers and MessagePorts.
function splitTransferList(transferList, sourcePort) {
  const buffers = [];
  const ports = [];
  for (const item of transferList) {
    if (types.isArrayBuffer(item)) {
      if (buffers.includes(item)) throw dataCloneError('Transfer list contains duplicate ArrayBuffer');
      if (item.detached || untransferable.has(item)) throw dataCloneError('Cannot transfer object of unsupported type.');
      buffers.push(item);
    } else if (portHooks.isPort(item)) {
      if (item === sourcePort) throw dataCloneError('Transfer list contains source port');
      if (ports.includes(item)) throw dataCloneError('Transfer list contains duplicate MessagePort');
      if (portHooks.portId(item) === undefined) throw dataCloneError('MessagePort in transfer list is already detached');
      ports.push(item);
    } else {
      throw dataCloneError('Found invalid value in transferList.');
    }
  }
  return { buffers, ports };
}

// value -> { text, buffers, ports }: `ports` are the MessagePorts to hand over.
//
// Native code reads the bytes of `buffers`; the engine pins a buffer whose bytes native
// code has seen (it can never be detached afterwards), so it is handed copies, and for
// transferred buffers their moved contents (which detaches the originals).
const kNothing = { buffers: [], ports: [] };

function serialize(value, transferList = [], sourcePort) {
  const transfer = transferList.length === 0 ? kNothing : splitTransferList(transferList, sourcePort);
  const writer = new Writer(transfer.buffers, transfer.ports);
  writer.value(value);
  const buffers = writer.buffers.length === 0 ? writer.buffers :
    writer.buffers.map((buffer) => (transfer.buffers.includes(buffer) || types.isSharedArrayBuffer(buffer) ?
      buffer : ArrayBufferSlice(buffer, 0)));
  // Listed buffers the value did not reach are detached all the same.
  for (const buffer of transfer.buffers) {
    const moved = buffer.transfer();
    const index = buffers.indexOf(buffer);
    if (index !== -1) buffers[index] = moved;
  }
  return { text: writer.text, buffers, ports: transfer.ports };
}

function deserialize(text, buffers, ports) {
  return new Reader(text, buffers, ports).value();
}

module.exports = {
  describeUncloneable: describe,
  serialize,
  deserialize,
  untransferable,
  uncloneable,
  portHooks,
  dataCloneError,
};
