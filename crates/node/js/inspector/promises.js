'use strict';
// node:inspector/promises — node:inspector with a Session whose post() returns a promise
// (like util.promisify of the callback form: bad arguments reject too).

const inspector = require('inspector');

class Session extends inspector.Session {
  post(...args) {
    return new Promise((resolve, reject) => {
      super.post(...args, (err, result) => (err ? reject(err) : resolve(result)));
    });
  }
}
// The callback form's length, as promisify keeps it.
Object.defineProperty(Session.prototype.post, 'length', { value: 3 });

module.exports = { ...inspector, Session };
