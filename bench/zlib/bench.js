'use strict';
// Times zlib workloads; prints "<name> <milliseconds>" per line. Run by run.sh.
const zlib = require('zlib');

// Compressible but not trivial: words drawn from a small vocabulary with numbers mixed in.
function makeInput(size) {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'theta', 'lambda', 'sigma', 'omega'];
  const parts = [];
  let x = 42;
  let length = 0;
  while (length < size) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const w = `${words[x % words.length]}${x % 1000} `;
    parts.push(w);
    length += w.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

function time(name, fn) {
  fn(); // warm-up
  const start = process.hrtime.bigint();
  fn();
  console.log(name, Number(process.hrtime.bigint() - start) / 1e6);
}

const tenMB = makeInput(10 * 1024 * 1024);
const oneMB = tenMB.subarray(0, 1024 * 1024);
const gz = zlib.gzipSync(tenMB);
const br4 = zlib.brotliCompressSync(tenMB, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
const small = [];
for (let i = 0; i < 1000; i++) small.push(tenMB.subarray(i * 1024, (i + 1) * 1024));

time('gzipSync-10MB', () => zlib.gzipSync(tenMB));
time('gunzipSync-10MB', () => zlib.gunzipSync(gz));
time('brotli-q4-10MB', () => zlib.brotliCompressSync(tenMB, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }));
time('brotli-decompress-10MB', () => zlib.brotliDecompressSync(br4));
time('brotli-q11-1MB', () => zlib.brotliCompressSync(oneMB));
time('deflateSync-1000x1KB', () => { for (const b of small) zlib.deflateSync(b); });

// The callback form and a stream, which run on the thread pool.
async function asyncRuns() {
  const gzipAsync = () => new Promise((resolve) => zlib.gzip(tenMB, (err, out) => resolve(out)));
  await gzipAsync();
  let start = process.hrtime.bigint();
  await gzipAsync();
  console.log('gzip-callback-10MB', Number(process.hrtime.bigint() - start) / 1e6);
  const streamGunzip = () => new Promise((resolve) => {
    const g = zlib.createGunzip();
    g.on('data', () => {});
    g.on('end', resolve);
    for (let i = 0; i < gz.length; i += 65536) g.write(gz.subarray(i, i + 65536));
    g.end();
  });
  await streamGunzip();
  start = process.hrtime.bigint();
  await streamGunzip();
  console.log('gunzip-stream-10MB', Number(process.hrtime.bigint() - start) / 1e6);
}
asyncRuns();
