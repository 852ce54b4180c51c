// node:crypto hot paths, timed inside one process; prints "name microseconds-per-op".
const crypto = require('crypto');
const small = Buffer.alloc(64, 'a');
const smallStr = 'x'.repeat(64);
const big = Buffer.alloc(1 << 20, 'b');
const key32 = Buffer.alloc(32, 1);
const iv12 = Buffer.alloc(12, 2);

function time(name, iterations, fn) {
  for (let i = 0; i < Math.max(1, iterations / 10); i++) fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const us = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  console.log(`${name} ${us.toFixed(3)}`);
}

time('sha256-64B-hex', 200000, () => crypto.createHash('sha256').update(small).digest('hex'));
time('sha256-64B-buffer', 200000, () => crypto.createHash('sha256').update(small).digest());
time('sha256-64B-string', 200000, () => crypto.createHash('sha256').update(smallStr).digest('hex'));
time('hash()-sha256-64B', 200000, () => crypto.hash('sha256', small));
time('sha256-1MB', 200, () => crypto.createHash('sha256').update(big).digest());
time('hmac-sha256-64B', 200000, () => crypto.createHmac('sha256', key32).update(small).digest('hex'));
time('aes-256-gcm-1MB', 200, () => {
  const c = crypto.createCipheriv('aes-256-gcm', key32, iv12);
  c.update(big);
  c.final();
  c.getAuthTag();
});
time('pbkdf2Sync-100k', 5, () => crypto.pbkdf2Sync('password', 'salt', 100000, 32, 'sha256'));
time('randomUUID', 500000, () => crypto.randomUUID());
time('randomBytes-16', 200000, () => crypto.randomBytes(16));
