const http = require("node:http");
const ms = require("ms");

const port = Number(process.env.PORT) || 3400;
const started = Date.now();

const server = http.createServer((req, res) => {
  if (req.url === "/readyz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`ready, up ${ms(Date.now() - started)}\n`);
    return;
  }
  res.writeHead(404);
  res.end();
});

server.listen(port, () => console.log(`parcel-tracker on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
