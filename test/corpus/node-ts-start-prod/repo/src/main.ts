import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { findArticle } from "./articles";

function handle(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === "/api/health") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "ok" }));
    return;
  }
  const m = /^\/api\/articles\/([\w-]+)$/.exec(req.url ?? "");
  const article = m ? findArticle(m[1]) : undefined;
  res.writeHead(article ? 200 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify(article ?? { error: "not found" }));
}

const port = Number(process.env.PORT) || 3000;
createServer(handle).listen(port, () => console.log(`articles-api on ${port}`));
