import http from "node:http";

const routes = {};
const app = { get: (p, h) => (routes[p] = h) };
app.get("/", (_req, res) => res.end(JSON.stringify({ status: "catalog is running" })));

const PORT = process.env.PORT ?? 9999;
http.createServer((req, res) => (routes[req.url] ? routes[req.url](req, res) : ((res.statusCode = 404), res.end()))).listen(Number(PORT));
