const notes = [{ id: 1, text: "first" }];

export function handle(req, res) {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    return;
  }
  if (req.method === "GET" && req.url === "/notes") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(notes));
    return;
  }
  res.writeHead(404);
  res.end();
}
