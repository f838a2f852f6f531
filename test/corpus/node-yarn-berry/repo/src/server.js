const http = require("node:http");
const { uptime } = require("./format");

const started = Date.now();
const port = process.env.PORT || 4100;

http
  .createServer((req, res) => {
    if (req.url === "/healthz") return res.end("ok");
    if (req.url === "/") return res.end(uptime(Date.now() - started));
    res.statusCode = 404;
    res.end();
  })
  .listen(port);
