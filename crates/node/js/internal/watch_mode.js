'use strict';
// `ferro --watch script.js`: this process runs the script in a child and runs it again
// when a file it loaded changes (or, with `--watch-path`, anything under those paths).
// The child reports the files it loads over its IPC channel (see reportDependency).

const path = require('path');

const WATCH_FLAGS = new Set(['--watch', '--watch-preserve-output']);
// Editors save in several steps; one restart per burst.
const SETTLE_MS = 100;

const WATCH_VALUE_OPTIONS = ['--watch-path', '--watch-kill-signal'];

// The watch options' values ([name, value] pairs) and the execArgv left for the child.
function splitExecArgv(execArgv) {
  const values = [];
  const rest = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    const [name, inline] = arg.split(/=(.*)/s);
    if (WATCH_VALUE_OPTIONS.includes(name)) values.push([name, inline ?? execArgv[++i]]);
    else if (!WATCH_FLAGS.has(arg)) rest.push(arg);
  }
  return { values, rest };
}

function run() {
  const fs = require('fs');
  const { spawn } = require('child_process');
  const [, file, ...args] = process.argv;
  // How the messages name the run: the script and its arguments.
  const shown = [file, ...args].join(' ');
  const execArgv = process.execArgv;
  const tty = process.stdout.isTTY;
  const preserveOutput = execArgv.includes('--watch-preserve-output');
  const { values, rest: childArgv } = splitExecArgv(execArgv);
  const paths = values.filter(([name]) => name === '--watch-path').map(([, p]) => path.resolve(p));
  const killSignal = values.findLast(([name]) => name === '--watch-kill-signal')?.[1] ?? 'SIGTERM';
  const say = (color, text) => process.stdout.write(tty ? `\x1b[${color}m${text}\x1b[39m\n` : `${text}\n`);

  // The files whose change restarts the script, and a watcher per folder holding them.
  const watched = new Set();
  const folders = new Map();
  let child = null;
  let restartTimer = null;
  let changed = null;

  function onChange(filename) {
    changed ??= filename;
    clearTimeout(restartTimer);
    restartTimer = setTimeout(restart, SETTLE_MS);
  }

  function watchFile(filename) {
    if (watched.has(filename)) return;
    watched.add(filename);
    const folder = path.dirname(filename);
    if (folders.has(folder)) return;
    try {
      const watcher = fs.watch(folder, (event, name) => {
        const full = path.join(folder, `${name}`);
        if (watched.has(full)) onChange(full);
      });
      folders.set(folder, watcher);
    } catch {
      // A folder that cannot be watched (gone, no permission) is skipped, as node does.
    }
  }

  function watchTree(root) {
    try {
      const watcher = fs.watch(root, { recursive: true }, (event, name) => {
        onChange(name ? path.join(root, `${name}`) : root);
      });
      folders.set(root, watcher);
    } catch {
      // Missing paths are skipped.
    }
  }

  function start() {
    child = spawn(process.execPath, [...childArgv, file, ...args], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, WATCH_REPORT_DEPENDENCIES: '1' },
    });
    const running = child;
    running.on('message', (message) => {
      const loaded = message?.['watch:require'] ?? message?.['watch:import'];
      if (paths.length === 0 && Array.isArray(loaded)) loaded.forEach((f) => watchFile(path.resolve(f)));
    });
    running.on('exit', (code) => {
      if (child !== running) return;
      child = null;
      if (code === 0) say(34, `Completed running '${shown}'. Waiting for file changes before restarting...`);
      else say(31, `Failed running '${shown}'. Waiting for file changes before restarting...`);
    });
  }

  function restart() {
    const filename = changed;
    changed = null;
    const begin = () => {
      if (tty && !preserveOutput) process.stdout.write('\x1bc');
      say(34, `Change detected in '${filename}'`);
      say(32, `Restarting '${shown}'`);
      start();
    };
    if (child === null) return begin();
    const stopping = child;
    child = null;
    stopping.once('exit', begin);
    stopping.kill(killSignal);
  }

  if (paths.length > 0) paths.forEach(watchTree);
  else watchFile(path.resolve(file));
  start();
}

// In the child (WATCH_REPORT_DEPENDENCIES set): tells the watching parent about each file
// the program loads.
function reportDependency(kind, filename) {
  if (typeof process.send === 'function') process.send({ [`watch:${kind}`]: [filename] });
}

module.exports = { run, reportDependency };
