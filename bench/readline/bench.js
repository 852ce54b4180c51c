// Reads FILE line by line with readline, two ways; prints "<name> <ms> <lines>".
const fs = require('fs');
const readline = require('readline');
const file = process.argv[2];

async function forAwait() {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let lines = 0;
  for await (const line of rl) if (line.length >= 0) lines++;
  return lines;
}

function onLine() {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let lines = 0;
    rl.on('line', () => { lines++; });
    rl.on('close', () => resolve(lines));
  });
}

async function main() {
  for (const [name, fn] of [['for-await', forAwait], ['on-line', onLine]]) {
    const start = process.hrtime.bigint();
    const lines = await fn();
    console.log(name, Number(process.hrtime.bigint() - start) / 1e6, lines);
  }
}
main();
