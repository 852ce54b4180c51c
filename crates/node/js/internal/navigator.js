'use strict';
// The `navigator` global Node provides: processor count, language, platform, user agent.

const codes = require('internal/lazy_codes');
const kConstruct = Symbol('kConstruct');

function platformName() {
  const arch = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' }[process.arch] ?? process.arch;
  const os = { linux: 'Linux', darwin: 'MacIntel', win32: 'Win32' }[process.platform] ?? process.platform;
  return process.platform === 'linux' ? `${os} ${arch}` : os;
}

class Navigator {
  #language;
  constructor(token) {
    if (token !== kConstruct) throw new codes.ERR_ILLEGAL_CONSTRUCTOR();
  }
  get hardwareConcurrency() {
    return require('os').availableParallelism();
  }
  get locks() {
    return undefined;
  }
  get language() {
    this.#language ??= new Intl.DateTimeFormat().resolvedOptions().locale;
    return this.#language;
  }
  get languages() {
    return [this.language];
  }
  get userAgent() {
    return `Node.js/${process.version.slice(1, process.version.indexOf('.'))}`;
  }
  get platform() {
    return platformName();
  }
}

module.exports = { Navigator, navigator: new Navigator(kConstruct) };
