'use strict';

// The fetch globals: fetch, Headers, Request, Response and FormData.

const { Headers } = require('internal/fetch/headers');
const { FormData } = require('internal/fetch/formdata');
const { Request } = require('internal/fetch/request');
const { Response } = require('internal/fetch/response');
const { fetch } = require('internal/fetch/fetch');

module.exports = { fetch, Headers, Request, Response, FormData };
