// The servers bench/http/run.sh measures: `hello` (Node's front-page example), `json`
// (a 4 KB JSON response) and `echo` (POST bodies sent back). Usage: servers.js KIND PORT
const http = require('http');
const [kind, port] = [process.argv[2], Number(process.argv[3])];
const payload = JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'] })) });
const handlers = {
  hello(req, res) {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('Hello, World!\n');
  },
  json(req, res) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(payload);
  },
  echo(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => res.end(Buffer.concat(chunks)));
  },
};
http.createServer(handlers[kind]).listen(port, '127.0.0.1', () => console.log('ready'));
