import { createServer } from "node:http";

const PORT = Number(process.env.PORT || 8787);
const seen: string[] = [];

createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  } else if (req.method === "POST" && req.url === "/hooks") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push(body);
      res.writeHead(202).end();
    });
  } else {
    res.writeHead(404).end();
  }
}).listen(PORT);
