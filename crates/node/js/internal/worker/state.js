'use strict';
// What node:worker_threads reports about the current thread. The main thread keeps these
// defaults; a worker's startup (internal/worker/main) fills them in before user code runs.

module.exports = {
  isMainThread: true,
  threadId: 0,
  threadName: '',
  parentPort: null,
  workerData: null,
  resourceLimits: {},
  // setEnvironmentData(): copied into every worker started afterwards.
  environmentData: new Map(),
};
