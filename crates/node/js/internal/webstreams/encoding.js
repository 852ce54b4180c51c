'use strict';

// TextEncoderStream and TextDecoderStream: transform streams over TextEncoder and a
// streaming TextDecoder.

const {
  codes: { ERR_INVALID_ARG_TYPE },
} = require('internal/errors');
const { isAnyArrayBuffer } = require('internal/util/types');
const { TextEncoder, TextDecoder } = require('internal/encoding');
const { customInspect, inspectObject, makeEnumerable } = require('internal/webstreams/util');
const { TransformStream } = require('internal/webstreams/transformstream');

const kReplacementBytes = new Uint8Array([0xef, 0xbf, 0xbd]);

class TextEncoderStream {
  #encoder = new TextEncoder();
  // A high surrogate that ended the last chunk, waiting for its low half.
  #pendingHighSurrogate = '';
  #transform;

  constructor() {
    this.#transform = new TransformStream({
      transform: (chunk, controller) => {
        let text = this.#pendingHighSurrogate + `${chunk}`;
        this.#pendingHighSurrogate = '';
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          this.#pendingHighSurrogate = text[text.length - 1];
          text = text.slice(0, -1);
        }
        if (text.length > 0) controller.enqueue(this.#encoder.encode(text));
      },
      flush: (controller) => {
        if (this.#pendingHighSurrogate !== '') controller.enqueue(kReplacementBytes.slice());
      },
    });
  }

  get encoding() {
    return this.#encoder.encoding;
  }

  get readable() {
    return this.#transform.readable;
  }

  get writable() {
    return this.#transform.writable;
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, {
      encoding: 'utf-8',
      readable: this.#transform.readable,
      writable: this.#transform.writable,
    }, depth, options);
  }
}
makeEnumerable(TextEncoderStream.prototype, ['encoding', 'readable', 'writable']);

class TextDecoderStream {
  #decoder;
  #transform;

  constructor(encoding = 'utf-8', options = undefined) {
    const decoder = new TextDecoder(encoding, options);
    this.#decoder = decoder;
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        if (!ArrayBuffer.isView(chunk) && !isAnyArrayBuffer(chunk)) {
          throw new ERR_INVALID_ARG_TYPE('input', ['ArrayBuffer', 'ArrayBufferView'], chunk);
        }
        const text = decoder.decode(chunk, { stream: true });
        if (text !== '') controller.enqueue(text);
      },
      flush(controller) {
        const text = decoder.decode();
        if (text !== '') controller.enqueue(text);
      },
    });
  }

  get encoding() {
    return this.#decoder.encoding;
  }

  get fatal() {
    return this.#decoder.fatal;
  }

  get ignoreBOM() {
    return this.#decoder.ignoreBOM;
  }

  get readable() {
    return this.#transform.readable;
  }

  get writable() {
    return this.#transform.writable;
  }

  [customInspect](depth, options) {
    return inspectObject(this.constructor.name, {
      encoding: this.#decoder.encoding,
      fatal: this.#decoder.fatal,
      ignoreBOM: this.#decoder.ignoreBOM,
      readable: this.#transform.readable,
      writable: this.#transform.writable,
    }, depth, options);
  }
}
makeEnumerable(TextDecoderStream.prototype, ['encoding', 'fatal', 'ignoreBOM', 'readable', 'writable']);

module.exports = { TextEncoderStream, TextDecoderStream };
