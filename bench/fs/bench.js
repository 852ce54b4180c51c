// fs workloads over the data bench/fs/run.sh prepares in $BENCH_FS_DIR; prints
// "name milliseconds" lines (see bench/compare.sh).
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { pipeline } = require('stream/promises');

const dir = process.env.BENCH_FS_DIR;
const time = async (name, work) => {
  const start = performance.now();
  await work();
  console.log(name, (performance.now() - start).toFixed(1));
};

(async () => {
  await time('promises.readFile-10k-small', async () => {
    const names = fs.readdirSync(path.join(dir, 'small'));
    await Promise.all(names.map((n) => fs.promises.readFile(path.join(dir, 'small', n))));
  });
  await time('pipeline-copy-big', async () => {
    await pipeline(fs.createReadStream(path.join(dir, 'big.bin')), fs.createWriteStream(path.join(dir, 'copy.bin')));
  });
  fs.rmSync(path.join(dir, 'copy.bin'));
  await time('readFileSync-100MB', () => fs.readFileSync(path.join(dir, 'hundred.bin')));
  await time('readdir-50k', () => fs.readdirSync(path.join(dir, 'many')));
  await time('readline-lines', async () => {
    let lines = 0;
    const rl = readline.createInterface({ input: fs.createReadStream(path.join(dir, 'lines.txt')), crlfDelay: Infinity });
    for await (const line of rl) lines += line.length > 0 ? 1 : 0;
  });
})();
