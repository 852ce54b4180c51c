'use strict';
// process.allowedNodeEnvironmentFlags: the flags NODE_OPTIONS accepts, in Node 24's order
// (as its process.allowedNodeEnvironmentFlags lists them).

const FLAGS = [
  '--test-skip-pattern', '--use-env-proxy', '--no-use-env-proxy', '--experimental-report',
  '--experimental-modules', '--experimental-addon-modules', '--no-experimental-addon-modules',
  '--test-coverage-functions', '--heapsnapshot-signal', '--test-coverage-exclude', '--trace-env',
  '--no-trace-env', '--test-rerun-failures', '--experimental-detect-module',
  '--no-experimental-detect-module', '--allow-addons', '--no-allow-addons',
  '--experimental-abortcontroller', '--trace-promises', '--no-trace-promises',
  '--experimental-import-text', '--no-experimental-import-text', '--force-context-aware',
  '--no-force-context-aware', '--max-semi-space-size', '--perf-prof-unwinding-info',
  '--http-parser', '--experimental-fetch', '--experimental-quic', '--disable-sigusr1',
  '--no-disable-sigusr1', '--allow-wasi', '--no-allow-wasi', '--experimental-loader', '--trace-tls',
  '--no-trace-tls', '--permission', '--no-permission', '--expose-gc', '--diagnostic-dir',
  '--force-async-hooks-checks', '--no-force-async-hooks-checks', '--strip-types',
  '--no-strip-types', '--experimental-sqlite', '--no-experimental-sqlite', '--require-module',
  '--no-require-module', '--allow-inspector', '--no-allow-inspector', '--allow-fs-read',
  '--preserve-symlinks-main', '--no-preserve-symlinks-main', '--allow-fs-write',
  '--allow-child-process', '--no-allow-child-process', '--allow-worker', '--no-allow-worker',
  '--experimental-vm-modules', '--no-experimental-vm-modules',
  '--experimental-wasi-unstable-preview1', '--inspect-publish-uid', '--inspect-brk',
  '--no-inspect-brk', '--inspect-port', '--experimental-top-level-await', '--report-on-signal',
  '--no-report-on-signal', '--cpu-prof-dir', '--experimental-json-modules',
  '--enable-etw-stack-walking', '--max-old-space-size', '--perf-basic-prof', '--inspect-wait',
  '--no-inspect-wait', '--experimental-transform-types', '--no-experimental-transform-types',
  '--perf-prof', '--track-heap-objects', '--no-track-heap-objects', '--max-heap-size', '--jitless',
  '--input-type', '--enable-source-maps', '--no-enable-source-maps',
  '--max-old-space-size-percentage', '--test-only', '--no-test-only', '--dns-result-order',
  '--network-family-autoselection', '--no-network-family-autoselection', '--report-signal',
  '--abort-on-uncaught-exception', '--deprecation', '--no-deprecation', '--tls-min-v1.0',
  '--no-tls-min-v1.0', '--interpreted-frames-native-stack', '--experimental-require-module',
  '--no-experimental-require-module', '--test-coverage-lines', '--trace-env-native-stack',
  '--no-trace-env-native-stack', '--report-exclude-network', '--no-report-exclude-network',
  '--throw-deprecation', '--no-throw-deprecation', '--trace-deprecation', '--no-trace-deprecation',
  '--heap-prof-dir', '--disable-wasm-trap-handler', '--no-disable-wasm-trap-handler',
  '--snapshot-blob', '--unhandled-rejections', '--test-randomize', '--no-test-randomize',
  '--test-isolation', '--entry-url', '--no-entry-url', '--openssl-shared-config',
  '--no-openssl-shared-config', '--conditions', '--heap-prof-interval', '--cpu-prof-interval',
  '--disable-proto', '--test-coverage-include', '--localstorage-file', '--trace-sigint',
  '--no-trace-sigint', '--import', '--cpu-prof', '--no-cpu-prof', '--zero-fill-buffers',
  '--no-zero-fill-buffers', '--experimental-webstorage', '--no-experimental-webstorage',
  '--openssl-legacy-provider', '--no-openssl-legacy-provider', '--v8-pool-size', '--force-fips',
  '--no-force-fips', '--experimental-shadow-realm', '--no-experimental-shadow-realm',
  '--async-context-frame', '--no-async-context-frame', '--experimental-global-webcrypto',
  '--test-reporter-destination', '--trace-env-js-stack', '--no-trace-env-js-stack',
  '--trace-event-file-pattern', '--secure-heap-min', '--trace-event-categories', '--addons',
  '--no-addons', '--node-memory-debug', '--experimental-specifier-resolution',
  '--network-family-autoselection-attempt-timeout', '--report-dir', '--global-search-paths',
  '--no-global-search-paths', '--experimental-global-customevent', '--trace-sync-io',
  '--no-trace-sync-io', '--debug-arraybuffer-allocations', '--no-debug-arraybuffer-allocations',
  '--report-compact', '--no-report-compact', '--experimental-repl-await',
  '--no-experimental-repl-await', '--tls-min-v1.3', '--no-tls-min-v1.3', '--experimental-websocket',
  '--no-experimental-websocket', '--enable-fips', '--no-enable-fips', '--test-global-setup',
  '--report-on-fatalerror', '--no-report-on-fatalerror', '--trace-uncaught', '--no-trace-uncaught',
  '--openssl-config', '--report-filename', '--tls-cipher-list', '--watch-path',
  '--trace-require-module', '--experimental-import-meta-resolve',
  '--no-experimental-import-meta-resolve', '--experimental-wasm-modules', '--use-openssl-ca',
  '--no-use-openssl-ca', '--perf-basic-prof-only-functions', '--experimental-print-required-tla',
  '--no-experimental-print-required-tla', '--experimental-worker', '--use-bundled-ca',
  '--no-use-bundled-ca', '--test-shard', '--experimental-global-navigator',
  '--no-experimental-global-navigator', '--tls-min-v1.1', '--no-tls-min-v1.1', '--use-system-ca',
  '--no-use-system-ca', '--warnings', '--no-warnings', '--test-name-pattern',
  '--verify-base-objects', '--no-verify-base-objects', '--use-largepages',
  '--experimental-eventsource', '--no-experimental-eventsource', '--test-reporter', '--secure-heap',
  '--trace-warnings', '--no-trace-warnings', '--watch-kill-signal', '--test-coverage-branches',
  '--test-random-seed', '--redirect-warnings', '--max-http-header-size', '--heap-prof',
  '--no-heap-prof', '--trace-exit', '--no-trace-exit', '--node-snapshot', '--no-node-snapshot',
  '--icu-data-dir', '--preserve-symlinks', '--no-preserve-symlinks', '--tls-max-v1.3',
  '--no-tls-max-v1.3', '--heap-prof-name', '--frozen-intrinsics', '--no-frozen-intrinsics',
  '--report-exclude-env', '--no-report-exclude-env', '--watch', '--no-watch',
  '--force-node-api-uncaught-exceptions-policy', '--no-force-node-api-uncaught-exceptions-policy',
  '--watch-preserve-output', '--no-watch-preserve-output', '--insecure-http-parser',
  '--no-insecure-http-parser', '--require', '--napi-modules', '--tls-max-v1.2', '--no-tls-max-v1.2',
  '--stack-trace-limit', '--extra-info-on-fatal-exception', '--no-extra-info-on-fatal-exception',
  '--disable-warning', '--heapsnapshot-near-heap-limit', '--title',
  '--disallow-code-generation-from-strings', '--tls-keylog', '--tls-min-v1.2', '--no-tls-min-v1.2',
  '--pending-deprecation', '--no-pending-deprecation', '--cpu-prof-name',
  '--report-uncaught-exception', '--no-report-uncaught-exception', '--inspect', '--no-inspect',
  '--prof-process', '-C', '--experimental-strip-types', '--loader', '--debug-port',
  '--trace-events-enabled', '--es-module-specifier-resolution', '--report-directory', '-r',
  '--experimental-test-isolation', '--enable-network-family-autoselection',
];

// A frozen Set whose `has` accepts a flag as NODE_OPTIONS would: leading dashes optional,
// `_` and `-` interchangeable after them, anything from `=` on ignored. add/delete/clear
// change nothing.
const normalized = new Set(FLAGS.map((flag) => flag.replace(/_/g, '-')));

class NodeEnvironmentFlagsSet extends Set {
  has(flag) {
    if (typeof flag !== 'string') return false;
    let name = flag.replace(/_/g, '-');
    const equals = name.indexOf('=');
    if (equals !== -1) name = name.slice(0, equals);
    if (normalized.has(name)) return true;
    if (name.startsWith('-')) return false;
    return normalized.has(`-${name}`) || normalized.has(`--${name}`);
  }

  add() {
    return this;
  }

  delete() {
    return false;
  }

  clear() {}

  get size() {
    return FLAGS.length;
  }

  forEach(callback, thisArg) {
    for (const flag of FLAGS) callback.call(thisArg, flag, flag, this);
  }

  entries() {
    return FLAGS.map((flag) => [flag, flag])[Symbol.iterator]();
  }

  values() {
    return FLAGS[Symbol.iterator]();
  }

  keys() {
    return FLAGS[Symbol.iterator]();
  }

  [Symbol.iterator]() {
    return FLAGS[Symbol.iterator]();
  }
}

module.exports = { allowedNodeEnvironmentFlags: Object.freeze(new NodeEnvironmentFlagsSet()) };
