const boards = [{ id: 1, name: "deploys", status: "green" }];

function route(req, res) {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    return;
  }
  if (req.method === "GET" && req.url === "/boards") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(boards));
    return;
  }
  res.writeHead(404);
  res.end();
}

module.exports = { route, boards };
