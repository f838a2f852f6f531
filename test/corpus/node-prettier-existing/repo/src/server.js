const http = require('node:http');

const products = [
  { id: 1, name: 'kettle' },
  { id: 2, name: 'teapot' },
];

function handler(req, res) {
  if (req.url === '/livez') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok');
  }
  if (req.url === '/products') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(products));
  }
  res.writeHead(404);
  res.end();
}

const server = http.createServer(handler);
if (require.main === module) {
  const port = Number(process.env.PORT || 8081);
  server.listen(port, () => console.log(`catalog listening on ${port}`));
}

module.exports = { handler };
