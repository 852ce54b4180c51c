// Hello-world http server for bench/cluster/run.sh: `server.js PORT WORKERS`. With
// WORKERS > 0 a cluster primary forks that many workers sharing the port (round-robin);
// with 0 it is one plain process.
const cluster = require('cluster');
const http = require('http');

const port = Number(process.argv[2]);
const workers = Number(process.argv[3]);

if (workers > 0 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello world\n');
  }).listen(port, '127.0.0.1');
}
