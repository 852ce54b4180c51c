'use strict';
// The node options in effect: NODE_OPTIONS's words, then the command line's (execArgv), so
// that a later one wins. Values come as `--name=value` or `--name value`.

let words;
function optionWords() {
  words ??= [...internalBinding('process').nodeOptions(), ...process.execArgv];
  return words;
}

function hasFlag(flag) {
  return optionWords().includes(flag);
}

// Every value given for `name`, in order.
function optionValues(name) {
  const argv = optionWords();
  const values = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`${name}=`)) values.push(argv[i].slice(name.length + 1));
    else if (argv[i] === name && i + 1 < argv.length) values.push(argv[++i]);
  }
  return values;
}

module.exports = { hasFlag, optionValues };
