// Process creation, timed by the runtime itself: prints "<name> <microseconds per op>".
const { spawnSync, execFile } = require('child_process');
const N = Number(process.argv[2]) || 500;

let start = process.hrtime.bigint();
for (let i = 0; i < N; i++) spawnSync('true');
console.log('spawnSync(true)', Number(process.hrtime.bigint() - start) / 1000 / N);

start = process.hrtime.bigint();
let done = 0;
(function next() {
  execFile('echo', ['hi'], (err, stdout) => {
    if (err || stdout !== 'hi\n') throw err || new Error(`bad output ${stdout}`);
    if (++done < N) return next();
    console.log('execFile(echo)', Number(process.hrtime.bigint() - start) / 1000 / N);
  });
})();
