'use strict';
// node:net workloads over loopback TCP in one process, each timed here and printed as
// "<name> <milliseconds>":
//   echo_pingpong   100,000 64-byte messages echoed one at a time over one connection
//   transfer_1gb    1 GiB written one way in 64 KiB chunks (honouring backpressure)
const net = require('net');

function echoPingPong(count) {
  return new Promise((resolve) => {
    const server = net.createServer((s) => s.on('data', (d) => s.write(d)));
    server.listen(0, '127.0.0.1', () => {
      const message = Buffer.alloc(64, 'm');
      const c = net.connect(server.address().port, '127.0.0.1', () => {
        c.setNoDelay(true);
        const start = process.hrtime.bigint();
        let sent = 1;
        let pending = message.length;
        c.on('data', (d) => {
          pending -= d.length;
          if (pending > 0) return;
          if (sent === count) {
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            c.destroy();
            server.close(() => resolve(ms));
            return;
          }
          sent++;
          pending = message.length;
          c.write(message);
        });
        c.write(message);
      });
    });
  });
}

function transfer(totalBytes) {
  return new Promise((resolve) => {
    let received = 0;
    let start;
    const server = net.createServer((s) => {
      s.on('data', (d) => { received += d.length; });
      s.on('end', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (received !== totalBytes) throw new Error(`received ${received} of ${totalBytes}`);
        s.end();
        server.close(() => resolve(ms));
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const chunk = Buffer.alloc(64 * 1024, 't');
      const c = net.connect(server.address().port, '127.0.0.1', () => {
        start = process.hrtime.bigint();
        let sent = 0;
        const pump = () => {
          while (sent < totalBytes) {
            sent += chunk.length;
            if (!c.write(chunk)) return;
          }
          c.end();
        };
        c.on('drain', pump);
        pump();
      });
      c.resume();
    });
  });
}

(async () => {
  console.log('echo_pingpong', (await echoPingPong(100000)).toFixed(1));
  console.log('transfer_1gb', (await transfer(1024 * 1024 * 1024)).toFixed(1));
})();
