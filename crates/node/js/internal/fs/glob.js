'use strict';

// fs.glob, fs.globSync and fs.promises.glob: `*`, `?`, `[...]`, `{a,b}` and `**` (any
// depth of directories), matched segment by segment while walking from `cwd`. Names
// starting with a dot match only a pattern segment that starts with one. The walk is a
// generator of fs operations (see internal/fs/drive), so the async forms never block.

const path = require('path');
const { codes, validators } = require('internal/errors');
const { Dirent, constants } = require('internal/fs/utils');
const { runSync, runAsync } = require('internal/fs/drive');

// 'a/{b,c}/d' -> ['a/b/d', 'a/c/d'], nested braces included.
function expandBraces(pattern) {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      if (depth++ === 0) open = i;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      const body = pattern.slice(open + 1, i);
      const parts = [];
      let level = 0;
      let start = 0;
      for (let j = 0; j < body.length; j++) {
        if (body[j] === '{') level++;
        else if (body[j] === '}') level--;
        else if (body[j] === ',' && level === 0) {
          parts.push(body.slice(start, j));
          start = j + 1;
        }
      }
      parts.push(body.slice(start));
      if (parts.length < 2) continue;
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return parts.flatMap((part) => expandBraces(head + part + tail));
    }
  }
  return [pattern];
}

const isMagic = (segment) => /[*?[]/.test(segment);

// The regular expression for one path segment.
function segmentRegExp(segment) {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      if (body[0] === '!') body = '^' + body.slice(1);
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < segment.length) {
      source += '\\' + segment[++i];
    } else {
      source += /[.+^${}()|\\/]/.test(c) ? '\\' + c : c;
    }
  }
  return new RegExp(`^${source}$`);
}

function compile(pattern) {
  const absolute = path.isAbsolute(pattern);
  const segments = path.normalize(pattern).split('/').filter((s, i) => s !== '' && !(s === '.' && i > 0));
  return {
    absolute,
    segments: segments.map((s) => (s === '**' ? s : isMagic(s) ? { re: segmentRegExp(s), dot: s[0] === '.' } : s)),
  };
}

function* entries(dir) {
  try {
    return yield ['readdir', dir, { withFileTypes: true }];
  } catch {
    return [];
  }
}

function* exists(target) {
  try {
    return yield ['lstat', target];
  } catch {
    return null;
  }
}

// Walks `rel` (relative to `base`) against segments[i..]; adds matches to `found`.
function* walk(base, rel, segments, i, found) {
  if (i === segments.length) {
    found.set(rel === '' ? '.' : rel, true);
    return;
  }
  const segment = segments[i];
  const dir = rel === '' ? base : path.join(base, rel);
  if (segment === '**') {
    // Zero directories, then one more at a time.
    yield* walk(base, rel, segments, i + 1, found);
    const last = i === segments.length - 1;
    for (const dirent of yield* entries(dir)) {
      if (dirent.name[0] === '.' || (!last && !dirent.isDirectory())) continue;
      const next = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
      if (yield ['excluded', next, dirent]) continue;
      // A trailing ** matches files too.
      if (dirent.isDirectory()) yield* walk(base, next, segments, i, found);
      else found.set(next, true);
    }
    return;
  }
  if (typeof segment === 'string') {
    const next = rel === '' ? segment : segment === '..' ? path.normalize(`${rel}/..`) : `${rel}/${segment}`;
    if ((yield* exists(path.join(base, next))) !== null && !(yield ['excluded', next])) {
      yield* walk(base, next, segments, i + 1, found);
    }
    return;
  }
  for (const dirent of yield* entries(dir)) {
    if (dirent.name[0] === '.' && !segment.dot) continue;
    if (!segment.re.test(dirent.name)) continue;
    const next = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
    if (yield ['excluded', next, dirent]) continue;
    yield* walk(base, next, segments, i + 1, found);
  }
}

function* globAll(patterns, cwd) {
  const found = new Map();
  for (const pattern of patterns.flatMap(expandBraces)) {
    const { absolute, segments } = compile(pattern);
    const base = absolute ? '/' : cwd;
    const matches = new Map();
    yield* walk(base, '', segments, 0, matches);
    for (const match of matches.keys()) found.set(absolute ? `/${match}` : match, true);
  }
  return [...found.keys()];
}

function validate(pattern, options) {
  if (typeof pattern !== 'string' && !Array.isArray(pattern)) {
    throw new codes.ERR_INVALID_ARG_TYPE('patterns', 'string', pattern);
  }
  const patterns = Array.isArray(pattern) ? pattern : [pattern];
  for (const p of patterns) validators.validateString(p, 'patterns');
  options = options === undefined ? {} : options;
  validators.validateObject(options, 'options');
  const cwd = options.cwd === undefined ? process.cwd() : path.resolve(`${options.cwd instanceof URL ? require('url').fileURLToPath(options.cwd) : options.cwd}`);
  const { exclude, withFileTypes = false } = options;
  validators.validateBoolean(withFileTypes, 'options.withFileTypes');
  let isExcluded = () => false;
  if (typeof exclude === 'function') {
    isExcluded = (rel, dirent) => exclude(withFileTypes ? dirent ?? direntFor(cwd, rel) : rel);
  } else if (Array.isArray(exclude)) {
    const compiled = exclude.flatMap(expandBraces).map((p) => compile(p).segments);
    isExcluded = (rel) => compiled.some((segments) => matchesPath(segments, rel.split('/')));
  } else if (exclude !== undefined) {
    throw new codes.ERR_INVALID_ARG_TYPE('options.exclude', ['function', 'Array'], exclude);
  }
  return { patterns, cwd, withFileTypes, isExcluded };
}

// Whether whole path segments match a compiled pattern (for `exclude` patterns).
function matchesPath(segments, parts, i = 0, j = 0) {
  if (i === segments.length) return j === parts.length;
  const segment = segments[i];
  if (segment === '**') {
    for (let k = j; k <= parts.length; k++) {
      if (matchesPath(segments, parts, i + 1, k)) return true;
    }
    return false;
  }
  if (j === parts.length) return false;
  const ok = typeof segment === 'string' ? segment === parts[j] : segment.re.test(parts[j]);
  return ok && matchesPath(segments, parts, i + 1, j + 1);
}

function direntFor(cwd, rel) {
  const full = path.resolve(cwd, rel);
  const stats = require('fs').lstatSync(full);
  const { UV_DIRENT_DIR, UV_DIRENT_LINK, UV_DIRENT_FILE } = constants;
  const type = stats.isDirectory() ? UV_DIRENT_DIR : stats.isSymbolicLink() ? UV_DIRENT_LINK : UV_DIRENT_FILE;
  return new Dirent(path.basename(full), type, path.dirname(full));
}

function results(matches, { cwd, withFileTypes }) {
  return withFileTypes ? matches.map((m) => direntFor(cwd, m)) : matches;
}

function globSync(pattern, options) {
  const opts = validate(pattern, options);
  return results(runSync(globAll(opts.patterns, opts.cwd), { excluded: opts.isExcluded }), opts);
}

function glob(pattern, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validators.validateFunction(callback, 'callback');
  const opts = validate(pattern, options);
  runAsync(globAll(opts.patterns, opts.cwd), { excluded: opts.isExcluded })
    .then((matches) => callback(null, results(matches, opts)), callback);
}

async function* globPromise(pattern, options) {
  const opts = validate(pattern, options);
  const matches = await runAsync(globAll(opts.patterns, opts.cwd), { excluded: opts.isExcluded });
  yield* results(matches, opts);
}

module.exports = { glob, globSync, globPromise };
