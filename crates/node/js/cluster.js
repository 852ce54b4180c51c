'use strict';

// node:cluster: the primary's side, or in a worker (set up at startup when the process
// was forked by a primary) the worker's.

const child = require('internal/net').clusterHooks.getServer !== null;
module.exports = child ? require('internal/cluster/child') : require('internal/cluster/primary');
