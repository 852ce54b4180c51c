'use strict';
// DOMException (WebIDL): name, message and the legacy code looked up from the name.

// [name, legacy constant] in code order; code = index + 1. Names without a legacy code
// (EncodingError, DataError, ...) have code 0.
const kLegacyCodes = [
  ['IndexSizeError', 'INDEX_SIZE_ERR'],
  ['DOMStringSizeError', 'DOMSTRING_SIZE_ERR'],
  ['HierarchyRequestError', 'HIERARCHY_REQUEST_ERR'],
  ['WrongDocumentError', 'WRONG_DOCUMENT_ERR'],
  ['InvalidCharacterError', 'INVALID_CHARACTER_ERR'],
  ['NoDataAllowedError', 'NO_DATA_ALLOWED_ERR'],
  ['NoModificationAllowedError', 'NO_MODIFICATION_ALLOWED_ERR'],
  ['NotFoundError', 'NOT_FOUND_ERR'],
  ['NotSupportedError', 'NOT_SUPPORTED_ERR'],
  ['InUseAttributeError', 'INUSE_ATTRIBUTE_ERR'],
  ['InvalidStateError', 'INVALID_STATE_ERR'],
  ['SyntaxError', 'SYNTAX_ERR'],
  ['InvalidModificationError', 'INVALID_MODIFICATION_ERR'],
  ['NamespaceError', 'NAMESPACE_ERR'],
  ['InvalidAccessError', 'INVALID_ACCESS_ERR'],
  ['ValidationError', 'VALIDATION_ERR'],
  ['TypeMismatchError', 'TYPE_MISMATCH_ERR'],
  ['SecurityError', 'SECURITY_ERR'],
  ['NetworkError', 'NETWORK_ERR'],
  ['AbortError', 'ABORT_ERR'],
  ['URLMismatchError', 'URL_MISMATCH_ERR'],
  ['QuotaExceededError', 'QUOTA_EXCEEDED_ERR'],
  ['TimeoutError', 'TIMEOUT_ERR'],
  ['InvalidNodeTypeError', 'INVALID_NODE_TYPE_ERR'],
  ['DataCloneError', 'DATA_CLONE_ERR'],
];

// DOMStringSizeError, NoDataAllowedError and ValidationError are historical: their
// constants remain but the names map to code 0.
const kHistorical = new Set(['DOMStringSizeError', 'NoDataAllowedError', 'ValidationError']);
const codeByName = new Map();
kLegacyCodes.forEach(([name], i) => {
  if (!kHistorical.has(name)) codeByName.set(name, i + 1);
});

function invalidThis() {
  const err = new TypeError('Value of "this" must be of DOMException');
  err.code = 'ERR_INVALID_THIS';
  return err;
}

// Instances are real error objects (with a stack) whose prototype chain goes through
// DOMException.prototype to Error.prototype; DOMException itself does not extend Error.
const fields = new WeakMap();

function fieldsOf(value) {
  const found = (typeof value === 'object' && value !== null) ? fields.get(value) : undefined;
  if (found === undefined) throw invalidThis();
  return found;
}

class DOMException {
  constructor(message = '', options = 'Error') {
    const self = Reflect.construct(Error, [], new.target);
    let name;
    if (options !== null && typeof options === 'object') {
      name = `${options.name}`;
      if ('cause' in options) {
        Object.defineProperty(self, 'cause', {
          value: options.cause,
          writable: true,
          enumerable: false,
          configurable: true,
        });
      }
    } else {
      name = `${options}`;
    }
    fields.set(self, { name, message: `${message}` });
    return self;
  }

  get name() {
    return fieldsOf(this).name;
  }

  get message() {
    return fieldsOf(this).message;
  }

  get code() {
    return codeByName.get(fieldsOf(this).name) ?? 0;
  }
}

Object.setPrototypeOf(DOMException.prototype, Error.prototype);
for (const key of ['name', 'message', 'code']) {
  Object.defineProperty(DOMException.prototype, key, { enumerable: true });
}
kLegacyCodes.forEach(([, constant], i) => {
  const descriptor = { value: i + 1, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(DOMException, constant, descriptor);
  Object.defineProperty(DOMException.prototype, constant, descriptor);
});
Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {
  value: 'DOMException',
  writable: false,
  enumerable: false,
  configurable: true,
});

module.exports = { DOMException };
