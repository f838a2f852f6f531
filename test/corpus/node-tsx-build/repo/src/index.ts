import { createServer } from "node:http";
import { QUOTES, quoteById } from "./quotes.js";

const port = Number(process.env.PORT ?? 3000);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz") {
    res.end("ok");
    return;
  }
  const m = /^\/quotes(?:\/(\d+))?$/.exec(url.pathname);
  if (m) {
    const body = m[1] ? quoteById(Number(m[1])) : QUOTES;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { error: "not found" }));
    return;
  }
  res.writeHead(404).end();
});

server.listen(port, () => console.log(`quotes-api on ${port}`));
