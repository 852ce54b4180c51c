'use strict';
// Line diff of two inspected values (Myers' O(ND) algorithm) and its printing with runs of
// unchanged lines collapsed, as assert's error messages show them.

// Lines of context kept after a change before a run of unchanged lines is cut.
const kContextLines = 5;

// Inspected objects end their lines with commas except the last one, so when a line was
// added after it, the same entry differs only by the comma.
function sameLine(actual, expected, ignoreComma) {
  if (actual === expected) return true;
  if (!ignoreComma) return false;
  return `${actual},` === expected || actual === `${expected},`;
}

// Returns [operation, line] pairs in order; operation is 'nop', 'insert' (only in actual,
// printed "+") or 'delete' (only in expected, printed "-").
function myersDiff(actual, expected, ignoreComma) {
  const n = actual.length;
  const m = expected.length;
  const max = n + m;
  const offset = max + 1;
  const furthest = new Int32Array(2 * max + 3);
  const trace = [];
  let end = -1;
  for (let d = 0; d <= max && end < 0; d++) {
    trace.push(furthest.slice());
    for (let k = -d; k <= d; k += 2) {
      // Step from the neighbouring diagonal that got further.
      let x = k === -d || (k !== d && furthest[offset + k - 1] < furthest[offset + k + 1]) ?
        furthest[offset + k + 1] : furthest[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && sameLine(actual[x], expected[y], ignoreComma)) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) {
        end = d;
        break;
      }
    }
  }
  return backtrack(trace, actual, expected, offset);
}

function backtrack(trace, actual, expected, offset) {
  const result = [];
  let x = actual.length;
  let y = expected.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const furthest = trace[d];
    const k = x - y;
    const fromK = k === -d || (k !== d && furthest[offset + k - 1] < furthest[offset + k + 1]) ? k + 1 : k - 1;
    const fromX = furthest[offset + fromK];
    const fromY = fromX - fromK;
    while (x > fromX && y > fromY) {
      x--;
      y--;
      // Of two entries equal but for the comma, the one with it reads right in the middle.
      const line = actual[x].length >= expected[y].length ? actual[x] : expected[y];
      result.push(['nop', line]);
    }
    if (d > 0) {
      if (x === fromX) {
        y--;
        result.push(['delete', expected[y]]);
      } else {
        x--;
        result.push(['insert', actual[x]]);
      }
    }
  }
  return result.reverse();
}

// Prints the diff; unchanged runs keep their first lines and the line right before the
// next change, the middle turns into "...". Returns { message, skipped }.
function printMyersDiff(diff) {
  let message = '';
  let skipped = false;
  let run = [];
  const flushRun = () => {
    // A run that ends in a change: its head was printed; print its tail or "..." + last.
    const hidden = run.length - kContextLines;
    if (hidden === 1 || hidden === 2) {
      for (const line of run.slice(kContextLines)) message += `  ${line}\n`;
    } else if (hidden > 2) {
      message += `...\n  ${run[run.length - 1]}\n`;
      skipped = true;
    }
    run = [];
  };
  for (const [operation, line] of diff) {
    if (operation === 'nop') {
      if (run.length < kContextLines) message += `  ${line}\n`;
      run.push(line);
      continue;
    }
    flushRun();
    message += operation === 'insert' ? `+ ${line}\n` : `- ${line}\n`;
  }
  return { message, skipped };
}

module.exports = { myersDiff, printMyersDiff };
