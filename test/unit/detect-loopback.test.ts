import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-loop-");
const report = async (files: Record<string, string>) => detectReport(repo(files), { refusal: false });

const goMod = "module example.com/acme/inventory\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n";
const ginMain = (addr: string) =>
  `package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\trouter := gin.Default()\n\trouter.GET("/healthz", func(c *gin.Context) { c.String(200, "ok") })\n\trouter.Run(${addr})\n}\n`;

describe("a service bound to loopback only is refused with the port and the fix", () => {
  it('gin\'s router.Run("localhost:8081")', async () => {
    const r = (await report({ "go.mod": goMod, "main.go": ginMain('"localhost:8081"') })).refusal;
    expect(r?.message).toMatch(/^the service listens on loopback only \(main\.go: router\.Run\("localhost:8081"\), port 8081\): in a pod/);
    expect(r?.hint).toMatch(/listen on ":8081" \(or "0\.0\.0\.0:8081"\) instead.*--start-command.*--port 8081/);
    expect(r?.overriddenBy).toEqual(["startCommand"]);
  });

  it("net/http on 127.0.0.1 through a variable, and an http.Server's Addr", async () => {
    const viaVar =
      'package main\n\nimport "net/http"\n\nfunc main() {\n\taddr := "127.0.0.1:9090"\n\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(addr, nil)\n}\n';
    expect((await report({ "go.mod": "module example.com/x\n\ngo 1.22\n", "main.go": viaVar })).refusal?.message).toMatch(/loopback only .*port 9090/);
    const server = 'package main\n\nimport "net/http"\n\nfunc main() {\n\ts := &http.Server{Addr: "localhost:7070"}\n\ts.ListenAndServe()\n}\n';
    expect((await report({ "go.mod": "module example.com/x\n\ngo 1.22\n", "main.go": server })).refusal?.message).toMatch(/Addr: "localhost:7070", port 7070/);
  });

  it("does not refuse a Go service on every interface, nor one with pprof on localhost beside it", async () => {
    const r = await report({ "go.mod": goMod, "main.go": ginMain('":8081"') });
    expect(r.refusal).toBeUndefined();
    expect(r.values.port).toBe(8081);
    const pprof = ginMain('":8081"')
      .replace("\trouter.Run(", '\tgo func() { log.Println(http.ListenAndServe("localhost:6060", nil)) }()\n\trouter.Run(')
      .replace('import "github.com/gin-gonic/gin"', 'import (\n\t"log"\n\t"net/http"\n\t_ "net/http/pprof"\n\n\t"github.com/gin-gonic/gin"\n)');
    const withPprof = await report({ "go.mod": goMod, "main.go": pprof });
    expect(withPprof.refusal).toBeUndefined();
    expect(withPprof.values.port).toBe(8081);
  });

  const fastifyPkg = JSON.stringify({ name: "api", private: true, scripts: { start: "node server.js" }, dependencies: { fastify: "^5.0.0" } });
  const fastifyServer = (listen: string) =>
    `const fastify = require("fastify")({ logger: true });\nfastify.get("/health", async () => ({ ok: true }));\n${listen}\n`;

  it("Fastify's listen({ port }) without a host (its default host is localhost)", async () => {
    const r = (await report({ "package.json": fastifyPkg, "server.js": fastifyServer("fastify.listen({ port: 3000 });") })).refusal;
    expect(r?.message).toMatch(
      /^the service listens on loopback only \(server\.js: \.listen\(\{ port: 3000 \}\) \(Fastify's default host is localhost\), port 3000\)/,
    );
    expect(r?.hint).toMatch(/listen\(\{ port, host: "0\.0\.0\.0" \}\)/);
    // The app built with Fastify in one file and listened on in another.
    const split = await report({
      "package.json": fastifyPkg,
      "app.js": 'const Fastify = require("fastify");\nmodule.exports = () => Fastify();\n',
      "server.js": 'const app = require("./app")();\napp.listen({ port: 4000 });\n',
    });
    expect(split.refusal?.message).toMatch(/loopback only \(server\.js: \.listen\(\{ port: 4000 \}\) \(Fastify's default host is localhost\), port 4000\)/);
  });

  it("does not refuse Fastify given a host, nor Express's listen(port)", async () => {
    expect(
      (await report({ "package.json": fastifyPkg, "server.js": fastifyServer('fastify.listen({ port: 3000, host: "0.0.0.0" });') })).refusal,
    ).toBeUndefined();
    expect((await report({ "package.json": fastifyPkg, "server.js": fastifyServer("fastify.listen({ port: 3000, host: HOST });") })).refusal).toBeUndefined();
    expect((await report({ "package.json": fastifyPkg, "server.js": fastifyServer("fastify.listen({ ...config.server });") })).refusal).toBeUndefined();
    expect((await report({ "package.json": fastifyPkg, "server.js": fastifyServer("fastify.listen(listenOptions);") })).refusal).toBeUndefined();
    expect(
      (await report({ "package.json": fastifyPkg, "server.js": fastifyServer("fastify.listen(PORT, (err) => { if (err) throw err; });") })).refusal?.message,
    ).toMatch(/Fastify's default host is localhost/);
    const express = JSON.stringify({ name: "web", private: true, scripts: { start: "node app.js" }, dependencies: { express: "^4.21.0" } });
    expect(
      (
        await report({
          "package.json": express,
          "app.js": 'const app = require("express")();\napp.get("/healthz", (q, s) => s.send("ok"));\napp.listen(3000);\n',
        })
      ).refusal,
    ).toBeUndefined();
  });

  it("Koa's listen(3000, '127.0.0.1')", async () => {
    const pkg = JSON.stringify({ name: "koa-api", private: true, scripts: { start: "node index.js" }, dependencies: { koa: "^2.15.0" } });
    const r = (await report({ "package.json": pkg, "index.js": "const Koa = require('koa');\nconst app = new Koa();\napp.listen(3000, '127.0.0.1');\n" }))
      .refusal;
    expect(r?.message).toMatch(/loopback only \(index\.js: \.listen\(3000, '127\.0\.0\.1'\), port 3000\)/);
    expect(r?.hint).toMatch(/listen\(3000, "0\.0\.0\.0"\)/);
  });

  it("node:http's server.listen(port, hostname) with const hostname = '127.0.0.1'", async () => {
    const pkg = JSON.stringify({ name: "hello", private: true, scripts: { start: "node server.js" } });
    const server =
      "const http = require('node:http');\nconst hostname = '127.0.0.1';\nconst port = 3000;\nconst server = http.createServer((req, res) => { res.end('ok'); });\nserver.listen(port, hostname, () => {\n  console.log(`Server running at http://${hostname}:${port}/`);\n});\n";
    const r = (await report({ "package.json": pkg, "server.js": server })).refusal;
    expect(r?.message).toMatch(/loopback only \(server\.js: \.listen\(port, hostname, .*\), port 3000\)/);
  });

  it("a Python script serving on 127.0.0.1", async () => {
    const r = (
      await report({
        "requirements.txt": "prometheus-client==0.21.0\n",
        "server.py":
          'from http.server import BaseHTTPRequestHandler, HTTPServer\n\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_response(200)\n        self.end_headers()\n\nif __name__ == "__main__":\n    HTTPServer(("127.0.0.1", 8000), H).serve_forever()\n',
      })
    ).refusal;
    expect(r?.message).toMatch(/loopback only \(server\.py: \(\("127\.0\.0\.1", 8000\), port 8000\)/);
  });

  it('a Flask app.run(host="127.0.0.1") is started by a command that binds every interface, not refused', async () => {
    const r = await report({
      "requirements.txt": "flask==3.1.0\n",
      "app.py":
        'from flask import Flask\n\napp = Flask(__name__)\n\n@app.get("/healthz")\ndef h():\n    return "ok"\n\nif __name__ == "__main__":\n    app.run(host="127.0.0.1", port=5000)\n',
    });
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toMatch(/--host 0\.0\.0\.0/);
  });

  it("a start command with a server's loopback --host or --bind binds every interface instead", async () => {
    const r = await report({
      "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n",
      Dockerfile: 'FROM python:3.12-slim\nCMD ["uvicorn", "main:app", "--host", "127.0.0.1", "--port", "8000"]\n',
      "main.py": 'from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get("/healthz")\ndef h():\n    return {}\n',
    });
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toBe("uvicorn main:app --host 0.0.0.0 --port 8000");
    expect(r.from.startCommand).toMatch(/--host 0\.0\.0\.0 instead of --host 127\.0\.0\.1/);
  });
});

describe("a listener whose host is read from the environment with a loopback default", () => {
  const express = (host: string) =>
    `const express = require("express");\n${host}\nconst app = express();\napp.get("/healthz", (req, res) => res.send("ok"));\napp.listen(3000, host);\n`;
  const pkg = (start: string) => JSON.stringify({ name: "api", private: true, scripts: { start }, dependencies: { express: "^4.19.2" } });

  it('Node.js: const host = process.env.HOST || "127.0.0.1" is started with env HOST=0.0.0.0, said where it came from', async () => {
    const r = await report({ "package.json": pkg("node server.js"), "server.js": express('const host = process.env.HOST || "127.0.0.1";') });
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toBe("env HOST=0.0.0.0 node server.js");
    expect(r.from.startCommand).toMatch(/HOST=0\.0\.0\.0: server\.js reads the host from HOST, 127\.0\.0\.1 by default/);
  });

  it("Node.js: process.env.BIND_HOST ?? 'localhost' in listen({ host })", async () => {
    const server = `const http = require("node:http");\nhttp.createServer((q, s) => s.end("ok")).listen({ port: 8080, host: process.env.BIND_HOST ?? 'localhost' });\n`;
    const r = await report({ "package.json": JSON.stringify({ name: "api", private: true, scripts: { start: "node index.js" } }), "index.js": server });
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toBe("env BIND_HOST=0.0.0.0 node index.js");
  });

  it('Python: os.environ.get("HOST", "127.0.0.1") passed to uvicorn.run of a script', async () => {
    const main = `import os\nimport uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get("/healthz")\ndef health():\n    return "ok"\n\nif __name__ == "__main__":\n    host = os.environ.get("HOST", "127.0.0.1")\n    uvicorn.run(app, host=host, port=8000)\n`;
    const r = await report({ "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n", Procfile: "web: python main.py\n", "main.py": main });
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toBe("env HOST=0.0.0.0 python main.py");
  });

  it("leaves the start command alone when the variable is another host's (a database's) or no loopback default", async () => {
    const config = 'module.exports = { db: { host: process.env.DB_HOST || "localhost", port: 5432 } };\n';
    const server =
      'const { db } = require("./config");\nconst express = require("express");\nconst host = process.env.HOST || "0.0.0.0";\nexpress().listen(3000, host);\n';
    const r = await report({ "package.json": pkg("node server.js"), "config.js": config, "server.js": server });
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toBe("node server.js");
  });

  it("a yarn start (npm's in the image) is refused with the variable and the fix", async () => {
    const r = await report({
      "package.json": pkg("node server.js | pino-pretty"),
      "yarn.lock": "# yarn lockfile v1\n",
      "server.js": express('const host = process.env.HOST || "127.0.0.1";'),
    });
    expect(r.values.startCommand).toBe("yarn start");
    expect(r.refusal?.message).toMatch(
      /^the service listens on loopback only unless HOST says otherwise \(server\.js reads the host from HOST, 127\.0\.0\.1 by default\) and its start command "yarn start" cannot set it/,
    );
    expect(r.refusal?.hint).toContain('`--start-command "env HOST=0.0.0.0 <command>"`');
  });
});
