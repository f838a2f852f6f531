import http from "node:http";

// A tiny router: app.get(path, handler).
const routes = new Map();
const app = { get: (path, handler) => routes.set(path, handler) };

app.get("/healthz", (_req, res) => res.end("ok"));
app.get("/orders", (_req, res) => res.end("[]"));

const port = Number(process.env.PORT || 8080);
const server = http.createServer((req, res) => {
  const handler = routes.get(new URL(req.url, "http://x").pathname);
  if (!handler) {
    res.statusCode = 404;
    return res.end("not found");
  }
  handler(req, res);
});
server.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
