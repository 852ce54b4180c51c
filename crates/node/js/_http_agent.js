'use strict';
const EventEmitter = require('events');
function Agent() { EventEmitter.call(this); }
Object.setPrototypeOf(Agent.prototype, EventEmitter.prototype);
module.exports = { Agent, globalAgent: new Agent() };
