// Buffer encoding hot paths, timed inside one process; prints "name microseconds-per-op".
const big = 'hello wörld, ferro! '.repeat(1 << 16).slice(0, 1 << 20); // ~1 MB, mixed ASCII/UTF-8
const ascii = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30000).slice(0, 1 << 20);
const small = 'small string, 64 bytes long, with some text in it, ok. 12345678'.slice(0, 64);
const bigBuf = Buffer.from(big);
const asciiBuf = Buffer.from(ascii);
const smallBuf = Buffer.from(small);
const hexStr = asciiBuf.toString('hex');
const b64Str = asciiBuf.toString('base64');
const parts = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, i));
const needle = Buffer.from('needle-not-present');

// Runs `fn` in batches of `iterations` for about 300 ms after a warm-up and prints the
// median batch's time per call: a single short batch mostly measured the first garbage
// collections and page faults.
function time(name, iterations, fn) {
  for (let i = 0; i < Math.max(1, iterations / 10); i++) fn(); // warm up
  const batches = [];
  const until = process.hrtime.bigint() + 300_000_000n;
  do {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  } while (process.hrtime.bigint() < until || batches.length < 3);
  batches.sort((a, b) => a - b);
  console.log(`${name} ${batches[batches.length >> 1].toFixed(3)}`);
}

time('toString-utf8-1MB', 20, () => bigBuf.toString('utf8'));
time('toString-hex-1MB', 10, () => asciiBuf.toString('hex'));
time('toString-base64-1MB', 20, () => asciiBuf.toString('base64'));
time('from-utf8-1MB', 20, () => Buffer.from(big, 'utf8'));
time('from-hex-1MB', 10, () => Buffer.from(hexStr, 'hex'));
time('from-base64-1MB', 20, () => Buffer.from(b64Str, 'base64'));
time('concat-1MB', 50, () => Buffer.concat(parts));
time('indexOf-1MB', 50, () => asciiBuf.indexOf(needle));
time('toString-utf8-64B', 100000, () => smallBuf.toString('utf8'));
time('toString-hex-64B', 100000, () => smallBuf.toString('hex'));
time('toString-base64-64B', 100000, () => smallBuf.toString('base64'));
time('from-utf8-64B', 100000, () => Buffer.from(small, 'utf8'));
time('concat-64B', 100000, () => Buffer.concat([smallBuf, smallBuf]));
time('indexOf-64B', 100000, () => smallBuf.indexOf('ok.'));
