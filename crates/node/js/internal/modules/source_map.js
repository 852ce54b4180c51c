'use strict';
// module.SourceMap (Source Map v3, index maps included), findSourceMap() and the
// source-maps support switch. Written from the Source Map v3 format and Node's docs.

const codes = require('internal/lazy_codes');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64Digit = new Map([...BASE64].map((ch, i) => [ch, i]));

// The base64 VLQ fields of one mapping segment.
function decodeSegment(text) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = base64Digit.get(ch);
    if (digit === undefined) break;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  return fields;
}

// [generatedLine, generatedColumn, originalSource, originalLine, originalColumn, name]
// entries of one (non-index) map, shifted by an index map section's offset.
function decodeMappings(map, lineOffset, columnOffset, entries) {
  const sources = (map.sources ?? []).map((s) => (map.sourceRoot ? `${map.sourceRoot}${map.sourceRoot.endsWith('/') ? '' : '/'}${s}` : s));
  const names = map.names ?? [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let name = 0;
  const lines = map.mappings.split(';');
  for (let line = 0; line < lines.length; line++) {
    let column = 0;
    for (const segment of lines[line].split(',')) {
      if (segment === '') continue;
      const fields = decodeSegment(segment);
      column += fields[0];
      const generatedColumn = line === 0 ? column + columnOffset : column;
      if (fields.length < 4) continue;
      source += fields[1];
      originalLine += fields[2];
      originalColumn += fields[3];
      if (fields.length >= 5) name += fields[4];
      entries.push([line + lineOffset, generatedColumn, sources[source], originalLine, originalColumn, fields.length >= 5 ? names[name] : undefined]);
    }
  }
}

function clonePayload(payload) {
  const copy = { ...payload };
  for (const key of ['sources', 'sourcesContent', 'names']) if (Array.isArray(copy[key])) copy[key] = [...copy[key]];
  if (Array.isArray(copy.sections)) {
    copy.sections = copy.sections.map((section) => ({ ...section, map: clonePayload(section.map) }));
  }
  return copy;
}

class SourceMap {
  #payload;
  #lineLengths;
  #entries = [];

  constructor(payload, { lineLengths } = {}) {
    if (payload === null || typeof payload !== 'object') throw new codes.ERR_INVALID_ARG_TYPE('payload', 'object', payload);
    this.#payload = clonePayload(payload);
    if (lineLengths !== undefined) this.#lineLengths = lineLengths;
    if (Array.isArray(payload.sections)) {
      for (const { offset, map } of payload.sections) decodeMappings(map, offset.line, offset.column, this.#entries);
    } else {
      decodeMappings(payload, 0, 0, this.#entries);
    }
    this.#entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  get payload() {
    return this.#payload;
  }

  get lineLengths() {
    return this.#lineLengths;
  }

  // The mapping at or before a 0-based generated position; {} when there is none.
  findEntry(lineOffset, columnOffset) {
    const entries = this.#entries;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const [line, column] = entries[mid];
      if (line < lineOffset || (line === lineOffset && column <= columnOffset)) low = mid + 1;
      else high = mid;
    }
    if (low === 0) return {};
    const [generatedLine, generatedColumn, originalSource, originalLine, originalColumn, name] = entries[low - 1];
    return { generatedLine, generatedColumn, originalSource, originalLine, originalColumn, name };
  }

  // The original position of a 1-based generated one (as in stack traces).
  findOrigin(lineNumber, columnNumber) {
    const entry = this.findEntry(lineNumber - 1, columnNumber - 1);
    if (entry.originalSource === undefined) return {};
    return {
      name: entry.name,
      fileName: entry.originalSource,
      lineNumber: entry.originalLine + (lineNumber - 1 - entry.generatedLine) + 1,
      columnNumber: entry.originalColumn + (columnNumber - 1 - entry.generatedColumn) + 1,
    };
  }
}

// ---- support switch and findSourceMap ----

const support = { enabled: false, nodeModules: false, generatedCode: false };
if (process.execArgv.includes('--enable-source-maps') || /(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS ?? '')) {
  support.enabled = true;
}

function getSourceMapsSupport() {
  return { __proto__: null, ...support };
}

function setSourceMapsSupport(enabled, options) {
  if (typeof enabled !== 'boolean') throw new codes.ERR_INVALID_ARG_TYPE('enabled', 'boolean', enabled);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new codes.ERR_INVALID_ARG_TYPE('options', 'object', options);
  }
  const { nodeModules = false, generatedCode = false } = options ?? {};
  if (typeof nodeModules !== 'boolean') throw new codes.ERR_INVALID_ARG_TYPE('options.nodeModules', 'boolean', nodeModules);
  if (typeof generatedCode !== 'boolean') throw new codes.ERR_INVALID_ARG_TYPE('options.generatedCode', 'boolean', generatedCode);
  support.enabled = enabled;
  support.nodeModules = enabled && nodeModules;
  support.generatedCode = enabled && generatedCode;
}

const found = new Map(); // path → SourceMap | null

// The source map a loaded module's `//# sourceMappingURL=` names (a data: URL or a file
// beside it), when source maps support is on.
function findSourceMap(pathOrUrl) {
  if (typeof pathOrUrl !== 'string') throw new codes.ERR_INVALID_ARG_TYPE('path', 'string', pathOrUrl);
  if (!support.enabled) return undefined;
  const resolver = require('internal/modules/resolve');
  let file;
  try {
    file = pathOrUrl.startsWith('file:') ? resolver.fileUrlToPath(pathOrUrl) : pathOrUrl;
  } catch {
    return undefined;
  }
  if (!file.startsWith('/')) return undefined;
  if (!support.nodeModules && file.includes('/node_modules/')) return undefined;
  if (!found.has(file)) found.set(file, loadSourceMap(file));
  return found.get(file) ?? undefined;
}

function loadSourceMap(file) {
  const native = internalBinding('module');
  if (native.stat(file) !== 0) return null;
  const source = native.readFileUtf8(file);
  const match = /\/[*/][#@]\s*sourceMappingURL=([^\s'"*]+)\s*(?:\*\/\s*)?$/m.exec(source.slice(source.lastIndexOf('sourceMappingURL') - 4));
  if (match === null) return null;
  const url = match[1];
  let text;
  try {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const body = url.slice(comma + 1);
      text = /;base64$/.test(url.slice(0, comma)) ? require('buffer').Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    } else {
      const mapFile = require('path').resolve(require('path').dirname(file), decodeURIComponent(url));
      text = native.readFileUtf8(mapFile);
    }
    const lineLengths = source.split('\n').map((line) => line.length);
    return new SourceMap(JSON.parse(text), { lineLengths });
  } catch {
    return null;
  }
}

module.exports = { SourceMap, findSourceMap, getSourceMapsSupport, setSourceMapsSupport };
