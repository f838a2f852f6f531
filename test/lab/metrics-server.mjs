// A stand-in for the generated service's metrics endpoint, run by the lab as a process of its own
// (test/lab/scrape.ts): it serves Prometheus's text exposition format over HTTP/1.1, the request
// counter the chart's analysis reads (requestMetric: name{statusLabel}), growing at the rates the
// lab asks for. kwok pods run no containers, so each pod the lab serves gets a listener here, on a
// loopback address of its own (the pod's IP moved into 127.0.0.0/8) and on the port and path the
// service is told or known to serve its metrics on. What is exported carries no pod, namespace or
// pod-template label: as from a real service, those come from Prometheus's discovery of the pod.
//
//   node metrics-server.mjs TARGETS.json
//
// TARGETS.json: {"targets": [{"pod", "host", "port", "path", "metric", "series": [{"labels": {...},
// "perSec": n}]}]}, read again whenever it changes (every 200 ms). A target keeps its counters while
// its pod stays the same; its rates change from the moment the file does.
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node metrics-server.mjs TARGETS.json\n");
  process.exit(2);
}

/** host:port -> { t: target, counts: number[], last: ms, server } */
const listeners = new Map();
let seen = -1;

const labelText = (labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",");

function advance(l) {
  const now = Date.now();
  const dt = (now - l.last) / 1000;
  l.last = now;
  l.t.series.forEach((s, i) => {
    l.counts[i] += s.perSec * dt;
  });
}

function exposition(l) {
  advance(l);
  const { metric, series } = l.t;
  const lines = [`# HELP ${metric} Requests handled, by outcome.`, `# TYPE ${metric} counter`];
  series.forEach((s, i) => {
    lines.push(`${metric}{${labelText(s.labels)}} ${Math.floor(l.counts[i])}`);
  });
  return `${lines.join("\n")}\n`;
}

function listen(key, t) {
  const l = { t, counts: t.series.map(() => 0), last: Date.now(), scrapes: 0 };
  l.server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== l.t.path) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`not found: ${req.method} ${path} (metrics are at ${l.t.path})\n`);
      return;
    }
    l.scrapes++;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(exposition(l));
  });
  l.server.on("error", (e) => process.stderr.write(`${key} (${t.pod}): ${e.message}\n`));
  l.server.listen(t.port, t.host, () => process.stderr.write(`${key} (${t.pod}) serves ${t.metric} at ${t.path}\n`));
  listeners.set(key, l);
}

function sync() {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return;
  }
  if (mtime === seen) return;
  let targets;
  try {
    targets = JSON.parse(readFileSync(file, "utf8")).targets ?? [];
  } catch {
    return; // being written: read it at the next tick
  }
  seen = mtime;
  const want = new Map(targets.map((t) => [`${t.host}:${t.port}`, t]));
  for (const [key, l] of listeners)
    if (!want.has(key) || want.get(key).pod !== l.t.pod) {
      l.server.close();
      listeners.delete(key);
    }
  for (const [key, t] of want) {
    const l = listeners.get(key);
    if (!l) listen(key, t);
    else if (JSON.stringify(l.t) !== JSON.stringify(t)) {
      // The same pod at new rates: count up to now at the old ones.
      advance(l);
      l.t = t;
      while (l.counts.length < t.series.length) l.counts.push(0);
    }
  }
}

sync();
setInterval(sync, 200);
for (const sig of ["SIGTERM", "SIGINT"])
  process.on(sig, () => {
    for (const l of listeners.values()) l.server.close();
    process.exit(0);
  });
