// An http.get client loop against a local server in the same process: requests/second.
const http = require('http');
const N = Number(process.argv[2] || 5000);
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', async () => {
  const agent = new http.Agent({ keepAlive: true });
  const get = () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
  for (let i = 0; i < 200; i++) await get();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await get();
  const dt = performance.now() - t0;
  console.log(Math.round(N / (dt / 1000)));
  agent.destroy();
  server.close();
});
