'use strict';
// URLPattern (node:url and the global). The urlpattern crate parses patterns and
// canonicalizes inputs (crates/node/src/url.rs); matching runs each component's regular
// expression on the engine's RegExp with the v flag, as Node does.

const codes = require('internal/errors').codes;
const native = internalBinding('url');

const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
const INIT_KEYS = [...COMPONENTS, 'baseURL'];

// A string input, or a URLPatternInit dictionary, as the native ops take it.
function encodeInput(input, invalidTypeMessage) {
  if (typeof input === 'string') return `s${input}`;
  if (input === null || typeof input !== 'object') {
    const err = new codes.ERR_INVALID_ARG_TYPE('input', 'string', input);
    err.message = invalidTypeMessage;
    throw err;
  }
  const init = {};
  for (const key of INIT_KEYS) {
    if (input[key] !== undefined) init[key] = `${input[key]}`;
  }
  return JSON.stringify(init);
}

class URLPattern {
  #components;
  #hasRegExpGroups;

  constructor(input = {}, baseURL = undefined, options = undefined) {
    if (baseURL !== null && typeof baseURL === 'object' && options === undefined) {
      options = baseURL;
      baseURL = undefined;
    }
    const encoded = encodeInput(input, 'Input must be an object or a string');
    const ignoreCase = options?.ignoreCase === true;
    let compiled;
    try {
      compiled = JSON.parse(native.urlPatternParse(encoded, baseURL === undefined ? undefined : `${baseURL}`, ignoreCase));
    } catch {
      throw new codes.ERR_INVALID_URL_PATTERN();
    }
    const flags = ignoreCase ? 'vi' : 'v';
    this.#components = {};
    for (const name of COMPONENTS) {
      const component = compiled[name];
      let regexp;
      try {
        // The parser leaves `/` bare in the segment class, which the v flag rejects.
        regexp = new RegExp(component.regexpString.replaceAll('[^/]', '[^\\/]'), flags);
      } catch {
        throw new codes.ERR_INVALID_URL_PATTERN();
      }
      this.#components[name] = { pattern: component.patternString, regexp, groups: component.groupNameList };
    }
    this.#hasRegExpGroups = compiled.hasRegexpGroups;
  }

  get protocol() { return this.#components.protocol.pattern; }
  get username() { return this.#components.username.pattern; }
  get password() { return this.#components.password.pattern; }
  get hostname() { return this.#components.hostname.pattern; }
  get port() { return this.#components.port.pattern; }
  get pathname() { return this.#components.pathname.pattern; }
  get search() { return this.#components.search.pattern; }
  get hash() { return this.#components.hash.pattern; }
  get hasRegExpGroups() { return this.#hasRegExpGroups; }

  exec(input = {}, baseURL = undefined) {
    const values = this.#matchInput(input, baseURL, 'exec');
    if (values === null) return null;
    const result = { inputs: baseURL === undefined ? [input] : [input, baseURL] };
    for (const name of COMPONENTS) {
      const { regexp, groups } = this.#components[name];
      const match = regexp.exec(values[name]);
      if (match === null) return null;
      const named = {};
      for (let i = 0; i < groups.length; i++) named[groups[i]] = match[i + 1];
      result[name] = { input: values[name], groups: named };
    }
    return result;
  }

  test(input = {}, baseURL = undefined) {
    const values = this.#matchInput(input, baseURL, 'test');
    if (values === null) return false;
    return COMPONENTS.every((name) => this.#components[name].regexp.test(values[name]));
  }

  // The canonical component values of an input, or null when it is no URL.
  #matchInput(input, baseURL, operation) {
    const encoded = encodeInput(input, 'URLPattern input needs to be a string or an object');
    let values;
    try {
      values = native.urlPatternMatchInput(encoded, baseURL === undefined ? undefined : `${baseURL}`);
    } catch {
      // A base URL given with an init object.
      const err = new codes.ERR_OPERATION_FAILED.TypeError('');
      err.message = `Failed to ${operation} URLPattern`;
      throw err;
    }
    return values === null ? null : JSON.parse(values);
  }
}

module.exports = { URLPattern };
