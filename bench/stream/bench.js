'use strict';
// Stream workloads, each timed here; prints "<name> <milliseconds>" per line.
//   buffers-pipeline: 1M small Buffers, Readable -> Transform -> Writable with pipeline()
//   objects-pipeline: 1M objects through the same chain in object mode
//   fs-read-200mb:    fs.createReadStream of a 200 MB file piped into a discarding Writable
const { Readable, Transform, Writable, pipeline } = require('stream');
const fs = require('fs');
const os = require('os');
const path = require('path');

const COUNT = 1e6;

function timed(name, run) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    run(() => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      console.log(`${name} ${ms.toFixed(1)}`);
      resolve();
    });
  });
}

function chain(objectMode, makeChunk, done) {
  let i = 0;
  const source = new Readable({
    objectMode,
    read() {
      while (i < COUNT) {
        if (!this.push(makeChunk(i++))) return;
      }
      this.push(null);
    },
  });
  const passthrough = new Transform({ objectMode, transform(chunk, enc, cb) { cb(null, chunk); } });
  let seen = 0;
  const sink = new Writable({ objectMode, write(chunk, enc, cb) { seen++; cb(); } });
  pipeline(source, passthrough, sink, (err) => {
    if (err || seen !== COUNT) throw err || new Error(`saw ${seen}`);
    done();
  });
}

async function main() {
  const small = Buffer.from('0123456789abcdef');
  await timed('buffers-pipeline', (done) => chain(false, () => small, done));
  await timed('objects-pipeline', (done) => chain(true, (i) => ({ i }), done));

  const file = path.join(os.tmpdir(), `ferro-stream-bench-${process.pid}.bin`);
  const block = Buffer.alloc(1 << 20, 7);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < 200; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  await timed('fs-read-200mb', (done) => {
    let bytes = 0;
    const sink = new Writable({ write(chunk, enc, cb) { bytes += chunk.length; cb(); } });
    fs.createReadStream(file).pipe(sink).on('finish', () => {
      if (bytes !== 200 << 20) throw new Error(`read ${bytes}`);
      done();
    });
  });
  fs.unlinkSync(file);
}

main();
