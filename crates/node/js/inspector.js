'use strict';
// node:inspector — ferro has no inspector: like a Node built without it, loading the module
// throws ERR_INSPECTOR_NOT_AVAILABLE.

throw new (require('internal/errors').codes.ERR_INSPECTOR_NOT_AVAILABLE)();
