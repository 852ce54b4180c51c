// Web streams hot paths, timed inside one process; prints "name microseconds-per-chunk".
async function time(name, chunks, fn) {
  await fn(Math.max(10_000, chunks / 10)); // warm up
  const start = process.hrtime.bigint();
  await fn(chunks);
  const us = Number(process.hrtime.bigint() - start) / 1000 / chunks;
  console.log(`${name} ${us.toFixed(4)}`);
}

// A pull source enqueues one chunk per pull; a reader reads them in a loop.
async function enqueueRead(count) {
  let n = 0;
  const rs = new ReadableStream({
    pull(c) {
      c.enqueue(n);
      if (++n === count) c.close();
    },
  }, { highWaterMark: 16 });
  const reader = rs.getReader();
  let sum = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    sum += value;
  }
  return sum;
}

// Batches of 10k chunks enqueued up front, then read (Node's queue is slow past that).
async function queuedRead(count) {
  let sum = 0;
  for (let batch = 0; batch < count; batch += 10_000) {
    const rs = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10_000; i++) c.enqueue(i);
        c.close();
      },
    });
    const reader = rs.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      sum += value;
    }
  }
  return sum;
}

async function pipeThroughTransform(count) {
  let n = 0;
  const rs = new ReadableStream({
    pull(c) {
      c.enqueue(n);
      if (++n === count) c.close();
    },
  }, { highWaterMark: 16 });
  let sum = 0;
  await rs
    .pipeThrough(new TransformStream({ transform(chunk, c) { c.enqueue(chunk * 2); } }))
    .pipeTo(new WritableStream({ write(chunk) { sum += chunk; } }));
  return sum;
}

async function forAwait(count) {
  let n = 0;
  const rs = new ReadableStream({
    pull(c) {
      c.enqueue(n);
      if (++n === count) c.close();
    },
  }, { highWaterMark: 16 });
  let sum = 0;
  for await (const chunk of rs) sum += chunk;
  return sum;
}

(async () => {
  await time('enqueue-read-1M', 1_000_000, enqueueRead);
  await time('queued-read-1M', 1_000_000, queuedRead);
  await time('pipeThrough-200k', 200_000, pipeThroughTransform);
  await time('for-await-200k', 200_000, forAwait);
})();
