const http = require("node:http");
const { route } = require("./routes");

// Bound to this machine only unless HOST says otherwise.
const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT) || 8088;

const server = http.createServer(route);

server.listen(port, host, () => {
  console.log(`status-board listening on http://${host}:${port}`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
