'use strict';
// node:inspector/promises — unavailable, as node:inspector.

throw new (require('internal/errors').codes.ERR_INSPECTOR_NOT_AVAILABLE)();
