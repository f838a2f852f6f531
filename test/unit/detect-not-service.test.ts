import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";
import { findServices } from "../../src/io/detect/services.js";

const repo = tempRepos("detect-ns-");
const refusalOf = async (files: Record<string, string>) => (await detectReport(repo(files), { refusal: false })).refusal;

const goMod = "module example.com/acme/tool\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.1\n";
const cobraMain = 'package main\n\nimport "example.com/acme/tool/internal/cli"\n\nfunc main() { cli.Root().Execute() }\n';
const cobraRoot = (body: string, imports = "") =>
  `package cli\n\nimport (\n\t"os/exec"\n\t"github.com/spf13/cobra"\n${imports})\n\nfunc Root() *cobra.Command {\n\treturn &cobra.Command{Use: "tool", RunE: func(c *cobra.Command, args []string) error {\n${body}\n\t\treturn nil\n\t}}\n}\n`;

describe("a Go command-line program is not a service", () => {
  it("refuses a cobra program that only processes files and runs commands, naming its main file", async () => {
    const r = await refusalOf({
      "go.mod": goMod,
      "cmd/tool/main.go": cobraMain,
      "internal/cli/root.go": cobraRoot(
        '\t\tgz := exec.Command("gzip", args[0])\n\t\tif err := gz.Run(); err != nil { return err }\n\t\tresp, _ := http.Get(args[1])\n\t\t_ = resp',
        '\t"net/http"\n',
      ),
    });
    expect(r?.message).toMatch(
      /^a Go command-line program \(cmd\/tool\/main\.go, built on spf13\/cobra\): no network listener found in it or the 1 other Go file of the module/,
    );
    expect(r?.hint).toMatch(/--port/);
    expect(r?.overriddenBy).toEqual(["port", "startCommand"]);
  });

  it("refuses a flag-based program at the root", async () => {
    const r = await refusalOf({
      "go.mod": "module example.com/wc\n\ngo 1.22\n",
      "main.go":
        'package main\n\nimport (\n\t"flag"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tflag.Parse()\n\tb, _ := os.ReadFile(flag.Arg(0))\n\tfmt.Println(len(b))\n}\n',
    });
    expect(r?.message).toMatch(/^a Go command-line program \(main\.go, built on the flag package\): no network listener found in it \(/);
  });

  it.each([
    [
      "a listener in another package of the module",
      { "internal/cli/serve.go": 'package cli\n\nimport "net/http"\n\nfunc serve() { http.ListenAndServe(":8080", nil) }\n' },
    ],
    ["http.Serve on a listener", { "internal/cli/serve.go": "package cli\n\nfunc serve(l net.Listener) { http.Serve(l, nil) }\n" }],
    [
      "a framework's Run() (kratos)",
      { "internal/cli/app.go": 'package cli\n\nimport "github.com/go-kratos/kratos/v2"\n\nfunc start() { kratos.New().Run() }\n' },
    ],
    ["a server library's Start() on a value", { "internal/cli/app.go": "package cli\n\nfunc start(s *platform.Server) { s.Start() }\n" }],
    ["gin's Run() with no address", { "internal/cli/app.go": "package cli\n\nfunc start() { r := gin.Default(); r.Run() }\n" }],
    ["a gRPC server", { "internal/cli/grpc.go": "package cli\n\nfunc start() { s := grpc.NewServer(); s.Serve(lis) }\n" }],
    [
      "a worker that also serves its health endpoint",
      {
        "internal/cli/worker.go":
          'package cli\n\nimport "github.com/segmentio/kafka-go"\n\nfunc work() {\n\tgo http.ListenAndServe(":8081", nil)\n\tvar _ kafka.Reader\n}\n',
      },
    ],
    ["an http.HandlerFunc served by another library", { "internal/cli/h.go": "package cli\n\nfunc health(w http.ResponseWriter, r *http.Request) {}\n" }],
    ["a module of the checkout it is built with", { "go.mod": `${goMod}\nreplace example.com/acme/platform => ./platform\n` }],
  ])("does not refuse %s", async (_what, extra) => {
    const r = await refusalOf({
      "go.mod": goMod,
      "cmd/tool/main.go": cobraMain,
      "internal/cli/root.go": cobraRoot('\t\t_ = exec.Command("true").Run()'),
      ...extra,
    });
    expect(r).toBeUndefined();
  });

  it("does not refuse a module it cannot read whole, nor one whose Dockerfile exposes a port", async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 401; i++) many[`internal/gen/f${i}.go`] = "package gen\n";
    expect(await refusalOf({ "go.mod": goMod, "cmd/tool/main.go": cobraMain, ...many })).toBeUndefined();
    expect(await refusalOf({ "go.mod": goMod, "cmd/tool/main.go": cobraMain, Dockerfile: "FROM scratch\nEXPOSE 8080\n" })).toBeUndefined();
  });

  it("leaves a Go command-line program out of a repository of several services, with why", async () => {
    const shape = await findServices(
      repo({
        "api/go.mod": "module example.com/api\n\ngo 1.22\n",
        "api/main.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
        "tools/seed/go.mod": "module example.com/seed\n\ngo 1.22\n",
        "tools/seed/main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("seeded") }\n',
      }),
    );
    expect(shape.services.map((s) => s.path)).toEqual(["api"]);
    expect(shape.skipped).toEqual([{ path: "tools/seed", reason: "a Go command-line program: no network listener found in its module" }]);
  });

  it("leaves Node.js and Python background workers out of a repository of several services, with why", async () => {
    const shape = await findServices(
      repo({
        "api/package.json": JSON.stringify({ name: "api", private: true, scripts: { start: "node server.js" }, dependencies: { express: "^4.19.2" } }),
        "api/server.js": 'const app = require("express")();\napp.listen(process.env.PORT || 3000);\n',
        "bot/package.json": JSON.stringify({ name: "bot", private: true, scripts: { start: "node bot.js" }, dependencies: { "discord.js": "^14.15.0" } }),
        "bot/bot.js": 'const { Client } = require("discord.js");\nnew Client({ intents: [] }).login(process.env.TOKEN);\n',
        "consumer/requirements.txt": "pika==1.3.2\n",
        "consumer/Procfile": "worker: python consume.py\n",
        "consumer/consume.py": "import pika\nchannel.basic_consume(queue='jobs', on_message_callback=handle)\nchannel.start_consuming()\n",
        "web/requirements.txt": "flask==3.0.3\ncelery==5.4.0\n",
        "web/Procfile": "web: gunicorn app:app\nworker: celery -A tasks worker\n",
        "web/app.py": "from flask import Flask\napp = Flask(__name__)\n",
      }),
    );
    expect(shape.services.map((s) => s.path)).toEqual(["api", "web"]);
    expect(shape.skipped.map((s) => s.path)).toEqual(["bot", "consumer"]);
    expect(shape.skipped[0]!.reason).toMatch(
      /^a background worker with no network listener \(Node\.js, discord\.js in package\.json\): bot\.js runs \.login\(\)/,
    );
    expect(shape.skipped[1]!.reason).toMatch(
      /^a background worker with no network listener \(Python\): its Procfile has worker: "python consume\.py" and no web process/,
    );
    expect(shape.skipped.every((s) => !/pipeline deploys/.test(s.reason))).toBe(true);
  });
});

const library = {
  "package.json": JSON.stringify({
    name: "@acme/slug",
    version: "1.0.0",
    type: "module",
    exports: "./index.js",
    types: "./index.d.ts",
    files: ["index.js", "lib"],
  }),
  "index.js": 'import { clean } from "./lib/clean.js";\nexport default (s) => clean(s).toLowerCase();\n',
  "lib/clean.js": 'export const clean = (s) => s.trim().replace(/\\s+/g, "-");\n',
};

describe("an npm library is not a service", () => {
  it("refuses a package with exports and types, no start script, no server and no listener", async () => {
    const r = await refusalOf(library);
    expect(r?.message).toBe(
      "an npm library (package.json exports, types, files): no start script, no server framework among its dependencies and no listener in index.js or the 1 other file it is made of (listen(), createServer(), serve()); a package is published to a registry, not run as a service",
    );
    expect(r?.hint).toMatch(/--start-command "node <file>" and --port <port>/);
  });

  it("names a package with bin a command-line package", async () => {
    const r = await refusalOf({ ...library, "package.json": JSON.stringify({ name: "slug-cli", bin: { slug: "index.js" } }) });
    expect(r?.message).toMatch(/^an npm command-line package \(package\.json bin\)/);
  });

  it.each([
    [
      "a listener in a file the entry imports",
      { "index.js": 'import "./config/server.js";\n', "config/server.js": 'import http from "node:http";\nhttp.createServer(() => {}).listen(3000);\n' },
    ],
    ["app.listen in a file under src/", { "src/app.js": "app.listen(process.env.PORT);\n" }],
    ["a server framework among its dependencies", { "package.json": JSON.stringify({ name: "x", exports: "./index.js", dependencies: { fastify: "^5" } }) }],
    ["a start script", { "package.json": JSON.stringify({ name: "x", exports: "./index.js", scripts: { start: "node index.js" } }) }],
    ["a private package", { "package.json": JSON.stringify({ name: "x", private: true, exports: "./index.js" }) }],
    ["a package with only main (an application's entry)", { "package.json": JSON.stringify({ name: "bot", main: "index.js" }) }],
    [
      "a Hono app served by @hono/node-server",
      { "package.json": JSON.stringify({ name: "x", exports: "./index.js", dependencies: { "@hono/node-server": "^1" } }) },
    ],
  ])("does not refuse %s", async (_what, extra) => {
    expect(await refusalOf({ ...library, ...extra })).toBeUndefined();
  });
});

const fullstack = (scripts: Record<string, string>, extra: Record<string, string> = {}) => ({
  "package.json": JSON.stringify({ name: "notes", private: true, scripts, devDependencies: { concurrently: "^9" } }),
  "backend/package.json": JSON.stringify({ name: "api", scripts: { start: "node server.js" }, dependencies: { express: "^4" } }),
  "backend/server.js": 'require("express")().listen(4000);\n',
  "frontend/package.json": JSON.stringify({ name: "web", scripts: { dev: "vite" }, devDependencies: { vite: "^6" } }),
  ...extra,
});

describe("a root package.json that only runs its sub-folders is not one service", () => {
  it.each([
    [
      "concurrently over scripts that use --prefix",
      { start: 'concurrently "npm:start:*"', "start:api": "npm start --prefix backend", "start:web": "npm run dev --prefix frontend" },
    ],
    ["cd into each folder", { start: 'concurrently "cd backend && npm start" "cd frontend && npm run dev"' }],
    ["npm-run-all over named scripts", { start: "run-p api web", api: "npm --prefix backend start", web: "npm --prefix frontend run dev" }],
    ["one folder only", { start: "cd backend && node server.js" }],
  ])("refuses %s, pointing to --services", async (_what, scripts) => {
    const r = await refusalOf(fullstack(scripts));
    expect(r?.message).toMatch(/^a repository root whose package\.json only runs tools over its sub-folders \(backend(?:, frontend)?\): scripts\.start "/);
    expect(r?.hint).toMatch(/--services backend/);
    expect(r?.overriddenBy).toEqual(["startCommand"]);
  });

  it("names with --services only the sub-folders that run as services, and the others apart", async () => {
    const r = await refusalOf(fullstack({ start: 'concurrently "npm start --prefix backend" "npm run dev --prefix frontend"' }));
    expect(r?.hint).toMatch(/with --services backend \(frontend: no start script, so not a service either\)\./);
  });

  it.each([
    [
      "a start script that runs the root's own server (the client only in dev)",
      { start: "node server.js", dev: 'concurrently "nodemon server.js" "npm start --prefix frontend"' },
    ],
    ["concurrently with a server of the root's own", { start: 'concurrently "node server.js" "npm run dev --prefix frontend"' }],
  ])("does not refuse %s", async (_what, scripts) => {
    expect(await refusalOf(fullstack(scripts, { "server.js": 'require("express")().listen(3000);\n' }))).toBeUndefined();
  });

  it("does not refuse when the root depends on a server framework", async () => {
    const files = fullstack({ start: 'concurrently "npm start --prefix backend" "npm run dev --prefix frontend"' });
    files["package.json"] = JSON.stringify({
      name: "notes",
      scripts: { start: 'concurrently "npm start --prefix backend" "npm run dev --prefix frontend"' },
      dependencies: { express: "^4" },
    });
    expect(await refusalOf(files)).toBeUndefined();
  });
});

const pyLibrary = {
  "pyproject.toml":
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "unitconv"\nversion = "1.0"\ndependencies = ["attrs"]\n',
  "src/unitconv/__init__.py": "def convert(v, a, b):\n    return v\n",
};

describe("a Python library is not a service", () => {
  it("says it is a library (not only that no start command was found)", async () => {
    const r = await detectReport(repo(pyLibrary), { refusal: false });
    expect(r.refusal?.message).toMatch(/^a Python library \(pyproject\.toml \[build-system\] hatchling\.build\): no app entry point/);
    expect(r.refusal?.hint).toMatch(/--start-command/);
    expect(r.unresolved?.startCommand).toMatch(/^no start command found/);
  });

  it.each([
    ["a web framework among its dependencies", { "pyproject.toml": pyLibrary["pyproject.toml"].replace('"attrs"', '"attrs", "fastapi"') }],
    ["a server run from its code", { "src/unitconv/serve.py": "import uvicorn\n\ndef main():\n    uvicorn.run(app, port=8000)\n" }],
    ["a worker loop", { "src/unitconv/worker.py": "def main():\n    while True:\n        poll()\n" }],
    ["a Procfile web process", { Procfile: "web: python -m unitconv.serve\n" }],
    ["no build backend (an application without its start command)", { "pyproject.toml": '[project]\nname = "app"\ndependencies = []\n' }],
  ])("does not refuse %s", async (_what, extra) => {
    expect(await refusalOf({ ...pyLibrary, ...extra })).toBeUndefined();
  });
});
