// Worker threads workload; prints "<operation> <milliseconds>" lines for run.sh.
//   start-20-workers: start 20 workers and wait until each has answered one message.
//   roundtrip-100k:   100,000 small messages to one worker and back, one at a time.
const { Worker } = require('worker_threads');

const echo = `
  const { parentPort } = require('worker_threads');
  parentPort.on('message', (m) => {
    if (m === 'bye') parentPort.close();
    else parentPort.postMessage(m);
  });
`;

function startWorkers(n) {
  const started = performance.now();
  const workers = [];
  const ready = [];
  for (let i = 0; i < n; i++) {
    const worker = new Worker(echo, { eval: true });
    workers.push(worker);
    ready.push(new Promise((resolve) => worker.once('message', resolve)));
    worker.postMessage({ hello: i });
  }
  return Promise.all(ready).then(() => {
    const elapsed = performance.now() - started;
    return Promise.all(workers.map((w) => w.terminate())).then(() => elapsed);
  });
}

function roundTrips(count) {
  return new Promise((resolve) => {
    const worker = new Worker(echo, { eval: true });
    let left = count;
    let started;
    worker.on('message', () => {
      if (--left === 0) {
        const elapsed = performance.now() - started;
        worker.postMessage('bye');
        resolve(elapsed);
        return;
      }
      worker.postMessage({ seq: left, tag: 'ping' });
    });
    worker.once('online', () => {
      started = performance.now();
      worker.postMessage({ seq: left, tag: 'ping' });
    });
  });
}

(async () => {
  console.log('start-20-workers', (await startWorkers(20)).toFixed(1));
  console.log('roundtrip-100k', (await roundTrips(100000)).toFixed(1));
})();
