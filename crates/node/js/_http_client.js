'use strict';
module.exports = { ClientRequest: function ClientRequest() {} };
