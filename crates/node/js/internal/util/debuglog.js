'use strict';
// util.debuglog(section): a logger that writes "SECTION pid: message" to stderr when
// NODE_DEBUG (read once, at first use) names the section. Names are comma-separated,
// case-insensitive (spaces count), and may hold '*' wildcards.

const { formatWithOptions } = require('internal/util/inspect');

let enabledSections;

function isEnabled(section) {
  if (enabledSections === undefined) {
    const value = process.env.NODE_DEBUG;
    if (!value) {
      enabledSections = null;
    } else {
      const alternatives = value.split(',').map((name) =>
        name.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*'));
      enabledSections = new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
    }
  }
  return enabledSections !== null && enabledSections.test(section);
}

function makeLogger(section, enabled) {
  const log = enabled ? function debug(...args) {
    const colors = require('internal/util/colors').shouldColorize(process.stderr);
    const message = formatWithOptions({ colors }, ...args);
    process.stderr.write(`${section} ${process.pid}: ${message}\n`);
  } : function debug() {};
  log.enabled = enabled;
  return log;
}

function debuglog(section, callback) {
  let logger;
  // Resolved on first use, so that creating loggers at load time costs nothing.
  const init = () => {
    if (logger === undefined) {
      section = `${section}`.toUpperCase();
      logger = makeLogger(section, isEnabled(section));
      if (typeof callback === 'function') callback(logger);
    }
    return logger;
  };
  function debug(...args) {
    Reflect.apply(init(), this, args);
  }
  Object.defineProperty(debug, 'enabled', {
    get() {
      return init().enabled;
    },
    configurable: true,
    enumerable: true,
  });
  return debug;
}

module.exports = { debuglog };
