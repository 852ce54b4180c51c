'use strict';
// The REPL's persistent history: one entry a line, newest first, as Node keeps
// ~/.node_repl_history. Saved after every line, so it survives a killed process.

const fs = require('fs');

const DEFAULT_SIZE = 1000;

function setup(repl, file) {
  if (!file) return;
  const size = Number(process.env.NODE_REPL_HISTORY_SIZE) || DEFAULT_SIZE;
  repl.historySize = size;
  try {
    const text = fs.readFileSync(file, 'utf8');
    repl.history = text.split(/\r?\n/).filter((line) => line !== '').slice(0, size);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  repl.on('line', () => {
    try {
      fs.writeFileSync(file, repl.history.slice(0, size).join('\n'), { mode: 0o600 });
    } catch {
      // A history that can't be written shouldn't stop the session.
    }
  });
}

module.exports = { setup };
