'use strict';
// Top-level `await` in the REPL: the input becomes the body of an async arrow function
// whose top-level declarations are hoisted out of it (so they outlive the line) and
// whose last expression statement is returned, as `{ value }`, so a promise isn't adopted.

const KEYWORDS_BEFORE_REGEX = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);
const STATEMENT_KEYWORDS = new Set([
  'var', 'let', 'const', 'function', 'async', 'class', 'if', 'for', 'while', 'do', 'switch', 'try', 'return',
  'throw', 'break', 'continue', 'import', 'export', 'debugger', 'with',
]);
const isNameStart = (c) => /[A-Za-z_$\u0080-\uffff]/.test(c);
const isNamePart = (c) => /[\w$\u0080-\uffff]/.test(c);

// The tokens of `code` as { type: 'name' | 'punct' | 'other', value, start, end, depth },
// where depth counts the open (), [] and {} around the token. Strings, templates,
// regular expressions and numbers are 'other'; comments are dropped.
function tokenize(code) {
  const tokens = [];
  let depth = 0;
  let i = 0;
  const last = () => tokens[tokens.length - 1];
  const regexAllowed = () => {
    const t = last();
    if (t === undefined) return true;
    if (t.type === 'name') return KEYWORDS_BEFORE_REGEX.has(t.value);
    if (t.type === 'punct') return !(t.value === ')' || t.value === ']' || t.value === '}');
    return false;
  };
  while (i < code.length) {
    const c = code[i];
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && code[i + 1] === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 2;
    } else if (c === '"' || c === "'") {
      i = skipString(code, i);
      tokens.push({ type: 'other', value: code.slice(start, i), start, end: i, depth });
    } else if (c === '`') {
      i = skipTemplate(code, i);
      tokens.push({ type: 'other', value: code.slice(start, i), start, end: i, depth });
    } else if (c === '/' && regexAllowed()) {
      i = skipRegex(code, i);
      tokens.push({ type: 'other', value: code.slice(start, i), start, end: i, depth });
    } else if (isNameStart(c)) {
      while (i < code.length && isNamePart(code[i])) i++;
      tokens.push({ type: 'name', value: code.slice(start, i), start, end: i, depth });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(code[i + 1]))) {
      while (i < code.length && /[\w.]/.test(code[i])) i++;
      tokens.push({ type: 'other', value: code.slice(start, i), start, end: i, depth });
    } else {
      if (c === ')' || c === ']' || c === '}') depth--;
      const arrow = c === '=' && code[i + 1] === '>';
      i += arrow ? 2 : 1;
      tokens.push({ type: 'punct', value: code.slice(start, i), start, end: i, depth });
      if (c === '(' || c === '[' || c === '{') depth++;
    }
  }
  return tokens;
}

function skipString(code, i) {
  const quote = code[i++];
  while (i < code.length && code[i] !== quote && code[i] !== '\n') i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipTemplate(code, i) {
  i++;
  while (i < code.length && code[i] !== '`') {
    if (code[i] === '\\') {
      i += 2;
    } else if (code[i] === '$' && code[i + 1] === '{') {
      // A substitution: an expression up to its matching brace.
      let braces = 1;
      i += 2;
      while (i < code.length && braces > 0) {
        const c = code[i];
        if (c === '"' || c === "'") i = skipString(code, i);
        else if (c === '`') i = skipTemplate(code, i);
        else {
          if (c === '{') braces++;
          else if (c === '}') braces--;
          i++;
        }
      }
    } else {
      i++;
    }
  }
  return i + 1;
}

function skipRegex(code, i) {
  let inClass = false;
  i++;
  while (i < code.length && code[i] !== '\n') {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    i++;
  }
  i++;
  while (i < code.length && isNamePart(code[i])) i++;
  return i;
}

// Whether `await` occurs in `code` as a word (not in a string or comment).
function mentionsAwait(code) {
  return code.includes('await') && tokenize(code).some((t) => t.type === 'name' && t.value === 'await');
}

// The names a declaration binds, from its tokens after `var`/`let`/`const`: identifiers
// at the declaration's own depth followed by `=`, `,` or its end, and those inside
// destructuring patterns that aren't property keys.
function boundNames(tokens, baseDepth) {
  const names = [];
  let inInitializer = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const next = tokens[k + 1];
    if (t.depth === baseDepth && t.type === 'punct') {
      if (t.value === '=') inInitializer = true;
      else if (t.value === ',') inInitializer = false;
      continue;
    }
    if (inInitializer || t.type !== 'name') continue;
    if (tokens[k - 1]?.value === '.') continue;
    if (next === undefined || [',', '=', '}', ']'].includes(next.value)) names.push(t.value);
  }
  return names;
}

// The async-function form of `code`, or undefined when it has no top-level statements.
function wrapTopLevelAwait(code) {
  const tokens = tokenize(code);
  // Top-level statements, split at `;` outside any brackets.
  const statements = [];
  let current = [];
  for (const t of tokens) {
    if (t.depth === 0 && t.value === ';') {
      if (current.length > 0) statements.push(current);
      current = [];
    } else {
      current.push(t);
    }
    // A block or function body closing at the top level ends a declaration statement.
    if (t.depth === 0 && t.value === '}' && current.length > 0 && ['function', 'async', 'class'].includes(current[0].value)) {
      statements.push(current);
      current = [];
    }
  }
  if (current.length > 0) statements.push(current);
  if (statements.length === 0) return undefined;

  const hoisted = [];
  const edits = []; // [start, end, replacement] over the original code
  for (const statement of statements) {
    const [first, second] = statement;
    if (first.type === 'name' && (first.value === 'var' || first.value === 'let' || first.value === 'const')) {
      const names = boundNames(statement.slice(1), 0);
      hoisted.push(`${first.value === 'var' ? 'var' : 'let'} ${names.join(', ')};`);
      const end = statement[statement.length - 1].end;
      edits.push([first.start, second.start, 'void (']);
      edits.push([end, end, ')']);
    } else if (first.value === 'function' || (first.value === 'async' && second?.value === 'function')) {
      const nameToken = statement.find((t, k) => k > 0 && t.type === 'name' && t.value !== 'function');
      if (nameToken === undefined) continue;
      hoisted.push(`var ${nameToken.value};`);
      edits.push([first.start, first.start, `${nameToken.value} = `]);
    } else if (first.value === 'class' && second?.type === 'name') {
      hoisted.push(`let ${second.value};`);
      edits.push([first.start, first.start, `${second.value} = `]);
    }
  }
  const lastStatement = statements[statements.length - 1];
  const lastFirst = lastStatement[0];
  if (!(lastFirst.type === 'name' && STATEMENT_KEYWORDS.has(lastFirst.value)) && lastFirst.value !== '{') {
    const end = lastStatement[lastStatement.length - 1].end;
    edits.push([lastFirst.start, lastFirst.start, 'return { value: (']);
    edits.push([end, end, ') }']);
  }
  edits.sort((a, b) => a[0] - b[0]);
  let body = '';
  let at = 0;
  for (const [start, end, replacement] of edits) {
    body += code.slice(at, start) + replacement;
    at = end;
  }
  body += code.slice(at);
  return `${hoisted.join(' ')} (async () => { ${body}\n})()`;
}

module.exports = { mentionsAwait, wrapTopLevelAwait, tokenize };
