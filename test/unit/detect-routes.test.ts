// Health paths behind route prefixes, ports that are the service's own, and the main package that
// is built: detection on small repositories shaped like real services. Each case is a repository
// (its files) and what detection must read from it (the health path, or none with the reason; the
// port; where the path came from).
import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-routes-");

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const pkg = (main = "src/server.js") => JSON.stringify({ name: "svc", main, dependencies: { express: "^4.21.0" } });

async function health(files: Record<string, string>) {
  const r = await detectReport(repo(files));
  return {
    path: r.values.healthPath,
    from: r.from.healthPath,
    note: r.notes.healthPath,
    port: r.values.port,
    healthPort: r.values.healthPort,
    healthPortFrom: r.from.healthPort,
  };
}

/** A repository and what detection must read from it. */
interface Case {
  name: string;
  files: Record<string, string>;
  /** The health path; `undefined` when none may be claimed (then `note` says why). */
  path?: string | undefined;
  /** A path that must not be claimed. */
  notPath?: string;
  port?: number;
  /** The management port the health path is served on (`undefined`: the service port). */
  healthPort?: number | undefined;
  /** Part of where the management port came from. */
  healthPortFrom?: string;
  /** Part of where the path came from. */
  from?: string;
  /** Why no path was taken. */
  note?: RegExp;
}

function check(cases: Case[]) {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const h = await health(c.files);
    if ("path" in c) expect(h.path).toBe(c.path);
    if (c.notPath !== undefined) expect(h.path).not.toBe(c.notPath);
    if (c.port !== undefined) expect(h.port).toBe(c.port);
    if (c.from !== undefined) expect(h.from).toContain(c.from);
    if (c.note !== undefined) expect(h.note).toMatch(c.note);
    if ("healthPort" in c) expect(h.healthPort).toBe(c.healthPort);
    if (c.healthPortFrom !== undefined) expect(h.healthPortFrom).toContain(c.healthPortFrom);
  });
}

const healthRouterFile = lines(
  'const router = require("express").Router();',
  'router.get("/healthz", (req, res) => res.send("ok"));',
  "module.exports = router;",
);
const mountFiles = (mount: string, extra = "") => ({
  "package.json": pkg(),
  "src/server.js": lines('const express = require("express");', 'const health = require("./health");', extra, "const app = express();", mount),
  "src/health.js": healthRouterFile,
});

describe("health routes under prefixes: Express and Koa", () => {
  check([
    {
      name: "a router mounted with app.use('/api', router) from another file gets the prefix",
      files: {
        "package.json": pkg(),
        "src/server.js": lines(
          'const express = require("express");',
          'const healthRoutes = require("./routes/health");',
          "const app = express();",
          'app.use("/api", healthRoutes);',
          "app.listen(3000);",
        ),
        "src/routes/health.js": lines(
          'const { Router } = require("express");',
          "const router = Router();",
          'router.get("/healthz", (req, res) => res.json({ ok: true }));',
          "module.exports = router;",
        ),
      },
      path: "/api/healthz",
      from: 'mounted at "/api" in src/server.js',
    },
    {
      name: "nested routers compose, through ES module imports with a named export",
      files: {
        "package.json": pkg("dist/index.js"),
        "src/index.ts": lines('import express from "express";', 'import { api } from "./api/index.js";', "const app = express();", 'app.use("/v2", api);'),
        "src/api/index.ts": lines(
          'import { Router } from "express";',
          'import health from "./health";',
          "export const api = Router();",
          'api.use("/ops", health);',
        ),
        "src/api/health.ts": lines(
          'import express from "express";',
          "const r = express.Router();",
          'r.get("/livez", (_q, s) => s.send("ok"));',
          "export default r;",
        ),
      },
      path: "/v2/ops/livez",
    },
    {
      name: "a router with a route at '/' mounted at /health serves /health",
      files: {
        "package.json": pkg(),
        "src/server.js": lines('const express = require("express");', "const app = express();", 'app.use("/health", require("./health"));'),
        "src/health.js": lines(
          'const router = require("express").Router();',
          'router.get("/", (req, res) => res.sendStatus(200));',
          "module.exports = router;",
        ),
      },
      path: "/health",
    },
    {
      name: "a TypeScript App class mounting a router on this.app",
      files: {
        "package.json": JSON.stringify({ name: "svc", scripts: { start: "node dist/server.js", build: "tsc" } }),
        "src/server.ts": lines('import App from "./app";', "new App().app.listen(5000);"),
        "src/app.ts": lines(
          'import express from "express";',
          'import healthRouter from "./routes/health.routes";',
          "export default class App {",
          "  public app: express.Application;",
          "  constructor() {",
          "    this.app = express();",
          '    this.app.use("/api/v1", healthRouter);',
          "  }",
          "}",
        ),
        "src/routes/health.routes.ts": lines(
          'import { Router } from "express";',
          "const router: Router = Router();",
          'router.get("/health", (_q, s) => s.send("ok"));',
          "export default router;",
        ),
      },
      path: "/api/v1/health",
    },
    {
      name: "a health middleware from a package serves its path",
      files: {
        "package.json": pkg("index.js"),
        "index.js": lines('const app = require("express")();', 'app.use("/healthcheck", require("express-healthcheck")());', "app.listen(8000);"),
      },
      path: "/healthcheck",
    },
    {
      name: "routes added in one file to a router made and mounted in another",
      files: {
        "package.json": pkg(),
        "src/server.js": lines(
          'const express = require("express");',
          'const { api } = require("./api");',
          'require("./health");',
          "const app = express();",
          'app.use("/v3", api);',
        ),
        "src/api.js": lines('const express = require("express");', "const api = express.Router();", "module.exports = { api };"),
        "src/health.js": lines('const { api } = require("./api");', 'api.get("/readyz", (req, res) => res.send("ok"));'),
      },
      path: "/v3/readyz",
    },
    { name: "a mount path in a constant is read", files: mountFiles("app.use(API_PREFIX, health);", 'const API_PREFIX = "/api/v2";'), path: "/api/v2/healthz" },
    {
      name: "a mount path in configuration is not guessed",
      files: mountFiles("app.use(config.apiPrefix, health);", 'const config = require("./config");'),
      path: undefined,
      note: /config\.apiPrefix/,
    },
    { name: "middleware before the router adds nothing", files: mountFiles("app.use(cors(), authenticate, health);"), path: "/healthz" },
    {
      name: "Koa: a router's own prefix",
      files: {
        "package.json": pkg(),
        "src/server.js": lines(
          'const Koa = require("koa");',
          'const Router = require("@koa/router");',
          "const app = new Koa();",
          'const router = new Router({ prefix: "/internal" });',
          'router.get("/health", (ctx) => { ctx.body = "ok"; });',
          "app.use(router.routes());",
        ),
      },
      path: "/internal/health",
    },
    {
      name: "a router that is never mounted where the sources show is not taken: the default stays, with why",
      files: {
        "package.json": pkg(),
        "src/server.js": lines('const express = require("express");', "const app = express();", 'require("./boot")(app);', "app.listen(3000);"),
        "src/routes/health.js": healthRouterFile,
      },
      path: undefined,
      note: /\/healthz in src\/routes\/health\.js .*not followed.*probes check that the port is open/,
    },
    {
      name: "a routes function called with the app registers on the app",
      files: {
        "package.json": pkg(),
        "src/server.js": lines('const express = require("express");', 'const routes = require("./routes");', "const app = express();", "routes(app);"),
        "src/routes.js": lines("module.exports = function (app) {", '  app.get("/ping", (req, res) => res.send("pong"));', "};"),
      },
      path: "/ping",
    },
  ]);
});

describe("health routes under prefixes: Hono with @hono/zod-openapi (createRoute, .openapi, app.route)", () => {
  const honoPkg = JSON.stringify({
    name: "svc",
    scripts: { start: "node dist/index.js" },
    dependencies: { hono: "^4.6.0", "@hono/zod-openapi": "^0.18.0", "@hono/node-server": "^1.13.0" },
  });
  const factory = lines(
    'import { OpenAPIHono } from "@hono/zod-openapi";',
    "export function createRouter() { return new OpenAPIHono({ strict: false }); }",
    "export default function createApp() { return createRouter(); }",
  );
  const server = (mount: string) =>
    lines(
      'import { serve } from "@hono/node-server";',
      'import createApp from "./lib/create-app";',
      'import health from "./routes/health.index";',
      "const app = createApp();",
      `app.route("${mount}", health);`,
      "serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 4000) });",
    );
  check([
    {
      name: "a route declared inline in a router's .openapi( chain, the router mounted with app.route(prefix)",
      files: {
        "package.json": honoPkg,
        "src/lib/create-app.ts": factory,
        "src/index.ts": server("/v1"),
        "src/routes/health.index.ts": lines(
          'import { createRoute, z } from "@hono/zod-openapi";',
          'import { createRouter } from "../lib/create-app";',
          "const router = createRouter()",
          "  .openapi(",
          '    createRoute({ tags: ["Health"], method: "get", path: "/healthz", responses: { 200: { description: "ok" } } }),',
          "    (c) => c.json({ ok: true }, 200),",
          "  );",
          "export default router;",
        ),
      },
      path: "/v1/healthz",
      from: 'mounted at "/v1" in src/index.ts',
    },
    {
      name: "a route declared by name in its own file (createRoute) and registered by name in another (.openapi(routes.name, ...))",
      files: {
        "package.json": honoPkg,
        "src/lib/create-app.ts": factory,
        "src/index.ts": server("/api"),
        "src/routes/health.routes.ts": lines(
          'import { createRoute } from "@hono/zod-openapi";',
          "export const live = createRoute({",
          '  method: "get",',
          '  path: "/livez",',
          '  responses: { 200: { description: "alive" } },',
          "});",
        ),
        "src/routes/health.index.ts": lines(
          'import { createRouter } from "../lib/create-app";',
          'import * as routes from "./health.routes";',
          'const router = createRouter().openapi(routes.live, (c) => c.text("ok"));',
          "export default router;",
        ),
      },
      path: "/api/livez",
    },
    {
      name: "a createRoute that is never registered is not taken (the probes would 404)",
      files: {
        "package.json": honoPkg,
        "src/lib/create-app.ts": factory,
        "src/index.ts": server("/v1"),
        "src/routes/health.index.ts": lines(
          'import { createRoute } from "@hono/zod-openapi";',
          'import { createRouter } from "../lib/create-app";',
          'export const health = createRoute({ method: "get", path: "/healthz", responses: { 200: { description: "ok" } } });',
          "export default createRouter();",
        ),
      },
      path: undefined,
      note: /not registered with \.openapi\(health, \.\.\.\)/,
    },
  ]);
});

describe("health routes under prefixes: Fastify @fastify/autoload", () => {
  const fastifyPkg = JSON.stringify({
    name: "svc",
    scripts: { start: "fastify start -l info app.js" },
    dependencies: { fastify: "^5.0.0", "@fastify/autoload": "^6.0.0" },
  });
  const app = (options = "") =>
    lines(
      "const path = require('node:path');",
      "const AutoLoad = require('@fastify/autoload');",
      "module.exports = async function (fastify, opts) {",
      `  fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), ${options}options: Object.assign({}, opts) });`,
      "};",
    );
  const plugin = (route: string, extra = "") =>
    lines("module.exports = async function (fastify, opts) {", `  fastify.get('${route}', async () => ({ ok: true }));`, "};", extra);
  check([
    {
      name: "a folder under the autoloaded routes/ is the prefix of its plugins",
      files: { "package.json": fastifyPkg, "app.js": app(), "routes/health/index.js": plugin("/") },
      path: "/health",
      from: "loaded by @fastify/autoload from routes",
    },
    {
      name: "nested folders and an options prefix compose; a file at the top has no folder prefix",
      files: {
        "package.json": fastifyPkg,
        "app.js": app().replace("options: Object.assign({}, opts)", "options: { prefix: '/api' }"),
        "routes/root.js": plugin("/"),
        "routes/v1/ops/index.js": plugin("/readyz"),
      },
      path: "/api/v1/ops/readyz",
    },
    {
      name: "TypeScript: a default import beside named ones, plugins typed as FastifyPluginAsync, under src/",
      files: {
        "package.json": fastifyPkg,
        "src/app.ts": lines(
          "import { join } from 'node:path';",
          "import AutoLoad, { AutoloadPluginOptions } from '@fastify/autoload';",
          "const app: FastifyPluginAsync<AutoloadPluginOptions> = async (fastify, opts): Promise<void> => {",
          "  void fastify.register(AutoLoad, { dir: join(__dirname, 'routes'), options: opts });",
          "};",
          "export default app;",
        ),
        "src/routes/health/index.ts": lines(
          "const health: FastifyPluginAsync = async (fastify, opts): Promise<void> => {",
          "  fastify.get('/', async () => ({ status: 'ok' }));",
          "};",
          "export default health;",
        ),
      },
      path: "/health",
    },
    {
      name: "a plugin's autoPrefix replaces its folders",
      files: { "package.json": fastifyPkg, "app.js": app(), "routes/internal/status.js": plugin("/livez", "module.exports.autoPrefix = '/_ops';") },
      path: "/_ops/livez",
    },
    {
      name: "dirNameRoutePrefix: false drops the folder prefix",
      files: { "package.json": fastifyPkg, "app.js": app("dirNameRoutePrefix: false, "), "routes/health/index.js": plugin("/healthz") },
      path: "/healthz",
    },
    {
      name: "a dirNameRoutePrefix function is not followed: nothing is claimed",
      files: {
        "package.json": fastifyPkg,
        "app.js": app("dirNameRoutePrefix: (parent, name) => name.toUpperCase(), "),
        "routes/health/index.js": plugin("/healthz"),
      },
      path: undefined,
      note: /dirNameRoutePrefix/,
    },
    {
      name: "a plugin in a folder no autoload reads is not claimed",
      files: { "package.json": fastifyPkg, "app.js": app(), "lib/health.js": plugin("/healthz") },
      path: undefined,
      note: /\/healthz in lib\/health\.js/,
    },
  ]);
});

describe("health routes under prefixes: NestJS", () => {
  const nest = (main: string, controller: string, extra: Record<string, string> = {}) => ({
    "package.json": JSON.stringify({ name: "svc", scripts: { "start:prod": "node dist/main" } }),
    "src/main.ts": main,
    "src/health.controller.ts": controller,
    ...extra,
  });
  const create = "const app = await NestFactory.create(AppModule);";
  const uri = "app.enableVersioning({ type: VersioningType.URI });";
  const healthCtrl = (decorator = "@Controller('health')", method = "  @Get()") =>
    lines(decorator, "export class HealthController {", method, "  check() { return { ok: true }; }", "}");
  const modules = lines(
    "@Module({ imports: [RouterModule.register(routes)], controllers: [] })",
    "export class AppModule {}",
    "",
    "@Module({ controllers: [HealthController] })",
    "export class OpsModule {}",
  );
  check([
    {
      name: "@Controller('health') + @Get() with setGlobalPrefix('api')",
      files: nest(lines(create, "app.setGlobalPrefix('api');", "await app.listen(3000);"), healthCtrl()),
      path: "/api/health",
    },
    {
      name: "@Controller('ops') + @Get('healthz'), the global prefix excluding it",
      files: nest(
        lines(create, "app.setGlobalPrefix('v1', { exclude: ['ops/healthz'] });"),
        lines("@Controller('ops')", "export class OpsController {", "  @Get('healthz')", "  check() {}", "}"),
      ),
      path: "/ops/healthz",
    },
    {
      name: "URI versioning: the controller's version after the global prefix (/api/v1/health)",
      files: nest(lines(create, "app.setGlobalPrefix('api');", uri), healthCtrl("@Controller({ path: 'health', version: '1' })")),
      path: "/api/v1/health",
      from: 'version "1"',
    },
    {
      name: "URI versioning: a method's @Version wins over the controller's; a custom prefix",
      files: nest(
        lines(create, "app.enableVersioning({ type: VersioningType.URI, prefix: 'version-' });"),
        healthCtrl("@Controller({ path: 'health', version: '1' })", "  @Version('2')\n  @Get()"),
      ),
      path: "/version-2/health",
    },
    {
      name: "URI versioning: the default version for a controller with none; VERSION_NEUTRAL has no segment",
      files: nest(lines(create, "app.enableVersioning({ type: VersioningType.URI, defaultVersion: ['3', '4'] });"), healthCtrl()),
      path: "/v3/health",
    },
    {
      name: "URI versioning: a VERSION_NEUTRAL controller has no version segment",
      files: nest(
        lines(create, "app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });"),
        healthCtrl("@Controller({ path: 'health', version: VERSION_NEUTRAL })"),
      ),
      path: "/health",
    },
    {
      name: "header versioning leaves the path alone",
      files: nest(lines(create, "app.enableVersioning({ type: VersioningType.HEADER, header: 'X-Version' });"), healthCtrl()),
      path: "/health",
    },
    {
      name: "URI versioning with a version held in a constant is not followed: no path is claimed",
      files: nest(lines(create, uri), healthCtrl("@Controller({ path: 'health', version: API_VERSION })")),
      path: undefined,
      note: /versioned/,
    },
    {
      name: "RouterModule: the module declaring the controller is under its path (children compose)",
      files: nest(lines(create, "app.setGlobalPrefix('api');"), healthCtrl(), {
        "src/app.module.ts": lines(
          "const routes: Routes = [",
          "  { path: 'internal', module: InternalModule, children: [{ path: 'ops', module: OpsModule }] },",
          "  { path: 'users', module: UsersModule },",
          "];",
          modules,
        ),
      }),
      path: "/api/internal/ops/health",
      from: 'RouterModule path "/internal/ops" for OpsModule',
    },
    {
      name: "RouterModule: a module it does not list keeps the controller's own path",
      files: nest(lines(create), healthCtrl(), {
        "src/app.module.ts": lines(
          "@Module({ imports: [RouterModule.register([{ path: 'admin', module: AdminModule }])] })",
          "export class AppModule {}",
          modules.split("\n").slice(3).join("\n"),
        ),
      }),
      path: "/health",
    },
    {
      name: "RouterModule given routes it cannot read: nothing is claimed",
      files: nest(lines(create), healthCtrl(), {
        "src/app.module.ts": lines("@Module({ imports: [RouterModule.register(buildRoutes())] })", "export class AppModule {}"),
      }),
      path: undefined,
      note: /RouterModule/,
    },
  ]);
});

describe("health routes under prefixes: Flask, Flask-RESTX/RESTful, FastAPI, Starlette, Django", () => {
  const healthBlueprint = (url_prefix: string, route: string) =>
    lines("from flask import Blueprint", "", `bp = Blueprint("health", __name__${url_prefix})`, "", `@bp.get("${route}")`, "def health():", '    return "ok"');
  const starlette = (...body: string[]) => ({
    "requirements.txt": "starlette\nuvicorn\n",
    "app.py": lines(
      "from starlette.applications import Starlette",
      "from starlette.responses import PlainTextResponse",
      "from starlette.routing import Mount, Route",
      "",
      "async def healthz(request):",
      '    return PlainTextResponse("ok")',
      "",
      ...body,
    ),
  });
  check([
    {
      name: "Flask: a blueprint's url_prefix, registered in an app factory in another module",
      files: {
        "requirements.txt": "flask\ngunicorn\n",
        "wsgi.py": lines("from shop import create_app", "", "app = create_app()"),
        "shop/__init__.py": lines(
          "from flask import Flask",
          "",
          "def create_app():",
          "    app = Flask(__name__)",
          "    from shop.ops import ops",
          "    app.register_blueprint(ops)",
          "    return app",
        ),
        "shop/ops.py": lines(
          "from flask import Blueprint",
          "",
          'ops = Blueprint("ops", __name__, url_prefix="/ops")',
          "",
          '@ops.route("/healthz")',
          "def healthz():",
          '    return "ok"',
        ),
      },
      path: "/ops/healthz",
    },
    {
      name: "Flask: a blueprint defined in a package's __init__ and its routes in views.py",
      files: {
        "requirements.txt": "flask\n",
        "app/__init__.py": lines(
          "from flask import Flask",
          "",
          "def create_app():",
          "    app = Flask(__name__)",
          "    from .main import main as main_blueprint",
          '    app.register_blueprint(main_blueprint, url_prefix="/site")',
          "    return app",
        ),
        "app/main/__init__.py": lines("from flask import Blueprint", "", 'main = Blueprint("main", __name__)', "", "from . import views"),
        "app/main/views.py": lines("from . import main", "", '@main.route("/health")', "def health():", '    return "ok"'),
      },
      path: "/site/health",
    },
    {
      name: "Flask: url_prefix at register_blueprint replaces the blueprint's own",
      files: {
        "requirements.txt": "flask\n",
        "app.py": lines(
          "from flask import Flask",
          "from api.health import bp as health_bp",
          "",
          "app = Flask(__name__)",
          'app.register_blueprint(health_bp, url_prefix="/api/v1")',
        ),
        "api/__init__.py": "",
        "api/health.py": healthBlueprint(', url_prefix="/ignored"', "/health"),
      },
      path: "/api/v1/health",
    },
    {
      name: "Flask-RESTful: Api(app, prefix=...) and add_resource",
      files: {
        "requirements.txt": "flask\nflask-restful\n",
        "app.py": lines(
          "from flask import Flask",
          "from flask_restful import Api, Resource",
          "",
          "class Health(Resource):",
          "    def get(self):",
          '        return {"ok": True}',
          "",
          "app = Flask(__name__)",
          'api = Api(app, prefix="/api/v2")',
          'api.add_resource(Health, "/health", endpoint="health")',
        ),
      },
      path: "/api/v2/health",
      from: 'Api(prefix="/api/v2")',
    },
    {
      name: "Flask-RESTX: Api on a blueprint, a Namespace's path replaced by add_namespace(path=...)",
      files: {
        "requirements.txt": "flask\nflask-restx\n",
        "app.py": lines("from flask import Flask", "from api import blueprint", "", "app = Flask(__name__)", "app.register_blueprint(blueprint)"),
        "api/__init__.py": lines(
          "from flask import Blueprint",
          "from flask_restx import Api",
          "from .ops import ns as ops_ns",
          "",
          'blueprint = Blueprint("api", __name__, url_prefix="/api")',
          'api = Api(blueprint, doc="/docs")',
          'api.add_namespace(ops_ns, path="/ops")',
        ),
        "api/ops.py": lines(
          "from flask_restx import Namespace, Resource",
          "",
          'ns = Namespace("operations", description="probes")',
          "",
          '@ns.route("/livez")',
          "class Live(Resource):",
          "    def get(self):",
          '        return "ok"',
        ),
      },
      path: "/api/ops/livez",
    },
    {
      name: "Flask-RESTX: a Namespace's path is /<name> by default; Api() given its app by init_app",
      files: {
        "requirements.txt": "flask\nflask-restx\n",
        "app.py": lines(
          "from flask import Flask",
          "from flask_restx import Api, Namespace, Resource",
          "",
          "api = Api(version='1.0')",
          "ns = Namespace('health')",
          "",
          "@ns.route('/')",
          "class Health(Resource):",
          "    def get(self):",
          "        return 'ok'",
          "",
          "api.add_namespace(ns)",
          "app = Flask(__name__)",
          "api.init_app(app)",
        ),
      },
      path: "/health",
    },
    {
      name: "Flask-RESTX: a Namespace never added to an Api is not claimed",
      files: {
        "requirements.txt": "flask\nflask-restx\n",
        "app.py": lines(
          "from flask_restx import Namespace, Resource",
          "",
          "ns = Namespace('probes')",
          "",
          "@ns.route('/healthz')",
          "class H(Resource):",
          "    pass",
        ),
      },
      path: undefined,
      note: /not added to an Api/,
    },
    {
      name: "FastAPI: include_router prefix + APIRouter prefix, the prefix a settings constant",
      files: {
        "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi", "uvicorn"]\n',
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/config.py": lines("class Settings:", '    API_V1_STR: str = "/api/v1"', "", "settings = Settings()"),
        "app/main.py": lines(
          "from fastapi import FastAPI",
          "from app.api.main import api_router",
          "from app.core.config import settings",
          "",
          "app = FastAPI()",
          "app.include_router(api_router, prefix=settings.API_V1_STR)",
        ),
        "app/api/__init__.py": "",
        "app/api/main.py": lines(
          "from fastapi import APIRouter",
          "from app.api.routes import utils",
          "",
          "api_router = APIRouter()",
          "api_router.include_router(utils.router)",
        ),
        "app/api/routes/__init__.py": "",
        "app/api/routes/utils.py": lines(
          "from fastapi import APIRouter",
          "",
          'router = APIRouter(prefix="/utils", tags=["utils"])',
          "",
          '@router.get("/health-check/")',
          "async def health_check() -> bool:",
          "    return True",
        ),
      },
      path: "/api/v1/utils/health-check/",
    },
    {
      name: "FastAPI: a sub-application mounted with app.mount('/v1', sub)",
      files: {
        "requirements.txt": "fastapi\nuvicorn\n",
        "main.py": lines(
          "from fastapi import FastAPI",
          "",
          "app = FastAPI()",
          "v1 = FastAPI()",
          "",
          '@v1.get("/healthz")',
          "def healthz():",
          '    return "ok"',
          "",
          'app.mount("/v1", v1)',
        ),
      },
      path: "/v1/healthz",
    },
    {
      name: "Starlette: a Route list after a handler taking `request` is served",
      files: starlette('app = Starlette(routes=[Route("/healthz", healthz)])'),
      path: "/healthz",
    },
    {
      name: "Starlette: a Route inside Mount('/p', routes=[...]) blocks, nested",
      files: starlette(
        "app = Starlette(routes=[",
        '    Mount("/internal", routes=[',
        '        Mount("/ops", routes=[Route("/healthz", healthz)]),',
        "    ]),",
        "])",
      ),
      path: "/internal/ops/healthz",
      from: 'Mount("/internal"), Mount("/ops")',
    },
    {
      name: "Starlette: a routes list held in a name and mounted by Mount('/p', routes=name)",
      files: starlette('probe_routes = [Route("/readyz", healthz)]', "", 'app = Starlette(routes=[Mount("/_", routes=probe_routes)])'),
      path: "/_/readyz",
    },
    {
      name: "Starlette: a Mount path held in configuration is not guessed",
      files: starlette('app = Starlette(routes=[Mount(settings.PREFIX, routes=[Route("/healthz", healthz)])])'),
      path: undefined,
      note: /Mount\(settings\.PREFIX/,
    },
    {
      name: "Starlette: a path a client fetches is not a route",
      files: {
        "requirements.txt": "starlette\nuvicorn\nhttpx\n",
        "app.py": lines(
          "import httpx",
          "from starlette.applications import Starlette",
          "",
          "async def upstream():",
          '    return await httpx.AsyncClient().request("GET",',
          '        "/healthz")',
          "",
          "app = Starlette()",
        ),
      },
      notPath: "/healthz",
    },
    {
      name: "a prefix that reads like a health path is not itself a route (Flask)",
      files: {
        "requirements.txt": "flask\n",
        "app.py": lines("from flask import Flask", "from probes import probes", "", "app = Flask(__name__)", "app.register_blueprint(probes)"),
        "probes.py": lines(
          "from flask import Blueprint",
          "",
          'probes = Blueprint("probes", __name__, url_prefix="/health")',
          "",
          '@probes.route("/live")',
          "def live():",
          '    return "ok"',
        ),
      },
      path: "/health/live",
    },
    {
      name: "a blueprint registered in a loop is not followed: nothing is claimed, with why",
      files: {
        "requirements.txt": "flask\n",
        "app.py": lines(
          "from flask import Flask",
          "from views import BLUEPRINTS",
          "",
          "app = Flask(__name__)",
          "for bp in BLUEPRINTS:",
          "    app.register_blueprint(bp)",
        ),
        "views.py": lines(
          "from flask import Blueprint",
          "",
          'health = Blueprint("health", __name__, url_prefix="/_ops")',
          "",
          '@health.route("/healthz")',
          "def healthz():",
          '    return "ok"',
          "",
          "BLUEPRINTS = [health]",
        ),
      },
      path: undefined,
      note: /\/healthz in views\.py.*not registered/,
    },
    {
      name: "Django: an app's urls.py under the project's include()",
      files: {
        "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n',
        "requirements.txt": "django\n",
        "site_cfg/__init__.py": "",
        "site_cfg/urls.py": lines("from django.urls import include, path", "", "urlpatterns = [", '    path("ops/", include("monitor.urls")),', "]"),
        "monitor/__init__.py": "",
        "monitor/urls.py": lines("from django.urls import path", "from . import views", "", 'urlpatterns = [path("healthz/", views.healthz)]'),
      },
      path: "/ops/healthz/",
    },
  ]);
});

describe("health routes under prefixes: Go routers", () => {
  const gomod = "module example.com/svc\n\ngo 1.22\n";
  const ginmod = `${gomod}\nrequire github.com/gin-gonic/gin v1.10.0\n`;
  const main = (...body: string[]) => lines("package main", "", "func main() {", ...body, "}");
  check([
    {
      name: "gin: r.Group('/api') then a nested group",
      files: {
        "go.mod": ginmod,
        "main.go": main(
          "\tr := gin.Default()",
          '\tapi := r.Group("/api")',
          '\tv1 := api.Group("/v1")',
          "\t{",
          '\t\tv1.GET("/health", func(c *gin.Context) { c.String(200, "ok") })',
          "\t}",
          '\tr.Run(":8080")',
        ),
      },
      path: "/api/v1/health",
    },
    {
      name: 'gin: a group\'s root route (Group("/api/ping") then GET("/")) is the group\'s path, never /',
      files: {
        "go.mod": ginmod,
        "main.go": main(
          "\trouter := gin.New()",
          '\tping := router.Group("/api/ping")',
          '\tping.GET("/", func(c *gin.Context) { c.String(200, "pong") })',
          "\trouter.Run()",
        ),
      },
      path: "/api/ping",
    },
    {
      name: "gin: a group path that reads like a health path is not itself a route",
      files: { "go.mod": gomod, "main.go": main("\tr := gin.New()", '\thealth := r.Group("/api/health")', '\thealth.GET("", ok)', '\tr.Run(":8080")') },
      path: "/api/health",
    },
    {
      name: "net/http: a sub-mux returned by another package, mounted with http.StripPrefix",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          'import "example.com/svc/internal/api"',
          "",
          "func main() {",
          "\tmux := http.NewServeMux()",
          "\th := api.Handler()",
          '\tmux.Handle("/v1/", http.StripPrefix("/v1", h))',
          '\thttp.ListenAndServe(":8080", mux)',
          "}",
        ),
        "internal/api/api.go": lines(
          "package api",
          "",
          "func Handler() http.Handler {",
          "\tm := http.NewServeMux()",
          '\tm.HandleFunc("GET /livez", ok)',
          "\treturn m",
          "}",
        ),
      },
      path: "/v1/livez",
    },
    {
      name: "echo: a group passed to a registering function in another package",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          'import "example.com/svc/internal/httpapi"',
          "",
          "func main() {",
          "\te := echo.New()",
          '\tg := e.Group("/internal")',
          "\thttpapi.Register(g)",
          '\te.Start(":8080")',
          "}",
        ),
        "internal/httpapi/routes.go": lines("package httpapi", "", "func Register(g *echo.Group) {", '\tg.GET("/healthz", healthz)', "}"),
      },
      path: "/internal/healthz",
    },
    {
      name: "chi: r.Route('/ops', func(r chi.Router) { ... })",
      files: {
        "go.mod": gomod,
        "main.go": main(
          "\tr := chi.NewRouter()",
          '\tr.Get("/", index)',
          '\tr.Route("/ops", func(r chi.Router) {',
          '\t\tr.Get("/readyz", ready)',
          "\t})",
          '\thttp.ListenAndServe(":3333", r)',
        ),
      },
      path: "/ops/readyz",
    },
    {
      name: "chi: Mount('/admin', adminRouter())",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          "func main() {",
          "\tr := chi.NewRouter()",
          '\tr.Mount("/admin", adminRouter())',
          '\thttp.ListenAndServe(":3333", r)',
          "}",
          "",
          "func adminRouter() http.Handler {",
          "\tr := chi.NewRouter()",
          '\tr.Get("/healthz", ok)',
          "\treturn r",
          "}",
        ),
      },
      path: "/admin/healthz",
    },
    {
      name: "a prefix that is not a literal is not guessed: chi Route(prefix, ...)",
      files: { "go.mod": gomod, "main.go": main("\tr := chi.NewRouter()", "\tr.Route(cfg.Prefix, func(r chi.Router) {", '\t\tr.Get("/healthz", ok)', "\t})") },
      path: undefined,
      note: /not a string literal/,
    },
    {
      name: "a prefix that is not a literal is not guessed: @Controller(CONST)",
      files: {
        "package.json": JSON.stringify({ name: "svc" }),
        "src/health.controller.ts": lines("@Controller(HEALTH_ROUTE)", "export class HealthController {", "  @Get()", "  check() {}", "}"),
      },
      path: undefined,
      note: /not a string literal/,
    },
    {
      name: "a prefix that is not a literal is not guessed: @RequestMapping(Paths.OPS)",
      files: {
        "pom.xml": "<project><artifactId>svc</artifactId><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>",
        "src/main/java/a/HealthController.java": lines(
          "package a;",
          "@RestController",
          "@RequestMapping(Paths.OPS)",
          "public class HealthController {",
          '  @GetMapping("/health")',
          '  String h() { return "ok"; }',
          "}",
        ),
      },
      path: undefined,
      note: /not a string literal/,
    },
    {
      name: "a group handed to a function nobody is seen calling is not claimed",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          "func main() {",
          "\tr := gin.New()",
          '\tr.Run(":8080")',
          "}",
          "",
          "func health(g *gin.RouterGroup) {",
          '\tg.GET("/healthz", ok)',
          "}",
        ),
      },
      path: undefined,
      note: /\/healthz in main\.go/,
    },
  ]);
});

describe("Spring and Quarkus: context path, servlet path, Actuator base path", () => {
  const pom = (deps: string) =>
    `<project><artifactId>svc</artifactId><version>1.0</version><parent><artifactId>spring-boot-starter-parent</artifactId></parent><dependencies>${deps}</dependencies></project>`;
  const actuator = pom("<dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>");
  const props = "src/main/resources/application.properties";
  const yml = "src/main/resources/application.yml";
  const statusController = lines(
    "package com.acme;",
    "@RestController",
    '@RequestMapping("/internal")',
    "public class StatusController {",
    '  @GetMapping("/health")',
    '  public String health() { return "ok"; }',
    "}",
  );
  check([
    {
      name: "server.servlet.context-path prefixes Actuator's health",
      files: { "pom.xml": actuator, [yml]: lines("server:", "  port: 8081", "  servlet:", "    context-path: /billing") },
      path: "/billing/actuator/health",
    },
    {
      name: "WebFlux: spring.webflux.base-path, not the servlet context path",
      files: {
        "pom.xml": pom(
          "<dependency><artifactId>spring-boot-starter-webflux</artifactId></dependency><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>",
        ),
        [props]: lines("server.servlet.context-path=/ignored", "spring.webflux.base-path=/rx"),
      },
      path: "/rx/actuator/health",
    },
    {
      name: "management.endpoints.web.base-path and the health mapping",
      files: { "pom.xml": actuator, [props]: lines("management.endpoints.web.base-path=/manage", "management.endpoints.web.path-mapping.health=status") },
      path: "/manage/status",
    },
    {
      name: "spring.mvc.servlet.path (properties) puts Actuator under the DispatcherServlet's path, after the context path",
      files: { "pom.xml": actuator, [props]: lines("server.servlet.context-path=/shop", "spring.mvc.servlet.path=/api") },
      path: "/shop/api/actuator/health",
      from: "servlet path /api",
    },
    {
      name: "spring.mvc.servlet.path (yaml) prefixes a controller's routes",
      files: {
        "pom.xml": pom(""),
        [yml]: lines("spring:", "  mvc:", "    servlet:", "      path: /svc/"),
        "src/main/java/com/acme/StatusController.java": statusController,
      },
      path: "/svc/internal/health",
    },
    {
      name: "a controller's class-level @RequestMapping and the context path",
      files: { "pom.xml": pom(""), [props]: "server.servlet.context-path=/svc\n", "src/main/java/com/acme/StatusController.java": statusController },
      path: "/svc/internal/health",
    },
    {
      name: "a class mapping from a placeholder is not a path: nothing is claimed",
      files: {
        "pom.xml": pom(""),
        "src/main/java/com/acme/PingController.java": lines(
          "package com.acme;",
          "@RestController",
          '@RequestMapping("${api.base}/ops")',
          "public class PingController {",
          '  @GetMapping("/health")',
          '  public String health() { return "ok"; }',
          "}",
        ),
      },
      path: undefined,
      note: /not a plain path/,
    },
    {
      name: "Spring Boot's welcome page: a static index.html answers at the context path when no health endpoint or route is found",
      files: {
        "pom.xml": pom("<dependency><artifactId>spring-cloud-config-server</artifactId></dependency>"),
        [yml]: lines("server:", "  port: 8888", "  servlet:", "    context-path: /cfg"),
        "src/main/resources/static/index.html": "<html></html>\n",
      },
      path: "/cfg",
      port: 8888,
      from: "welcome page",
    },
    {
      name: "a health route wins over the welcome page",
      files: {
        "pom.xml": pom("<dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"),
        "src/main/resources/public/index.html": "<html></html>\n",
        "src/main/java/com/acme/StatusController.java": statusController,
      },
      path: "/internal/health",
    },
    {
      name: "Quarkus: quarkus.http.root-path moves SmallRye Health",
      files: {
        "pom.xml":
          "<project><artifactId>q</artifactId><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency></dependencies></project>",
        [props]: "quarkus.http.root-path=/app\n",
      },
      path: "/app/q/health/live",
    },
  ]);
});

describe("a health endpoint on a separate management port: probed there, with its path", () => {
  const pom =
    "<project><artifactId>svc</artifactId><version>1.0</version><parent><artifactId>spring-boot-starter-parent</artifactId></parent><dependencies><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>";
  const res = (f: string) => `src/main/resources/${f}`;
  const quarkusPom =
    "<project><artifactId>q</artifactId><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-rest</artifactId></dependency><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency></dependencies></project>";
  check([
    {
      name: "Spring Boot: management.server.port in application.yml",
      files: { "pom.xml": pom, [res("application.yml")]: lines("server:", "  port: 8080", "management:", "  server:", "    port: 9001") },
      path: "/actuator/health",
      port: 8080,
      healthPort: 9001,
      healthPortFrom: "management.server.port",
    },
    {
      name: "Spring Boot: on its own port the context path does not apply; management.server.base-path and the endpoints' base path do",
      files: {
        "pom.xml": pom,
        [res("application.properties")]: lines(
          "server.servlet.context-path=/shop",
          "management.server.port=8081",
          "management.server.base-path=/ops",
          "management.endpoints.web.base-path=/manage",
        ),
      },
      path: "/ops/manage/health",
      healthPort: 8081,
    },
    {
      name: "Spring Boot: the active profile's file overrides the base management port",
      files: {
        "pom.xml": pom,
        [res("application.properties")]: lines("spring.profiles.active=prod", "management.server.port=8081"),
        [res("application-prod.yml")]: lines("management:", "  server:", "    port: 9464"),
        [res("application-dev.properties")]: "management.server.port=7000\n",
      },
      path: "/actuator/health",
      healthPort: 9464,
      healthPortFrom: "application-prod.yml (profile prod)",
    },
    {
      name: "Spring Boot: a YAML document of the active profile sets it; another profile's document does not",
      files: {
        "pom.xml": pom,
        [res("application.yml")]: lines(
          "spring:",
          "  profiles:",
          "    active: kubernetes",
          "server:",
          "  port: 8080",
          "---",
          "spring:",
          "  config:",
          "    activate:",
          "      on-profile: local",
          "management:",
          "  server:",
          "    port: 7001",
          "---",
          "spring:",
          "  config:",
          "    activate:",
          "      on-profile: kubernetes",
          "management:",
          "  server:",
          "    port: 8558",
        ),
      },
      path: "/actuator/health",
      healthPort: 8558,
    },
    {
      name: "Spring Boot: a profile that is not active changes nothing (health on the service port)",
      files: {
        "pom.xml": pom,
        [res("application.properties")]: "server.port=8080\n",
        [res("application-ops.properties")]: "management.server.port=9001\n",
      },
      path: "/actuator/health",
      healthPort: undefined,
    },
    {
      name: "Spring Boot: the management port from a placeholder's default",
      files: { "pom.xml": pom, [res("application.properties")]: "management.server.port=${MANAGEMENT_PORT:8558}\n" },
      path: "/actuator/health",
      healthPort: 8558,
    },
    {
      name: "Spring Boot: management.server.port equal to the service port is the service port",
      files: { "pom.xml": pom, [res("application.properties")]: lines("server.port=8085", "management.server.port=8085") },
      path: "/actuator/health",
      healthPort: undefined,
    },
    {
      name: "Spring Boot: management.server.port=-1 turns Actuator's HTTP endpoints off: no health path, the reason shown",
      files: { "pom.xml": pom, [res("application.properties")]: "management.server.port=-1\n" },
      path: undefined,
      healthPort: undefined,
      note: /-1/,
    },
    {
      name: "Spring Boot: config/application.yml overrides the classpath root's; a profile's server.port is the service port",
      files: {
        "pom.xml": pom,
        [res("application.properties")]: lines("server.port=8080", "management.server.port=8081"),
        [res("config/application.yml")]: lines("spring:", "  profiles:", "    active: docker", "management:", "  server:", "    port: 9100"),
        [res("application-docker.properties")]: "server.port=8090\n",
      },
      path: "/actuator/health",
      port: 8090,
      healthPort: 9100,
      healthPortFrom: "config/application.yml",
    },
    {
      name: "Spring Boot 1: management.port and management.context-path, no /actuator prefix",
      files: {
        "pom.xml": pom.replace(
          "<parent><artifactId>spring-boot-starter-parent</artifactId></parent>",
          "<parent><artifactId>spring-boot-starter-parent</artifactId><version>1.5.22.RELEASE</version></parent>",
        ),
        [res("application.properties")]: lines("server.context-path=/api", "management.port=8181", "management.context-path=/admin"),
      },
      path: "/admin/health",
      healthPort: 8181,
    },
    {
      name: "Spring Boot 1 on the service port: the context path, then /health",
      files: {
        "build.gradle": lines(
          "buildscript { ext { springBootVersion = '1.5.10.RELEASE' } }",
          "apply plugin: 'org.springframework.boot'",
          "dependencies { compile('org.springframework.boot:spring-boot-starter-actuator') }",
        ),
        [res("application.yml")]: lines("server:", "  context-path: /shop"),
      },
      path: "/shop/health",
      healthPort: undefined,
    },
    {
      name: "Quarkus: the management interface serves SmallRye Health on port 9000 under /q",
      files: { "pom.xml": quarkusPom, [res("application.properties")]: lines("quarkus.http.root-path=/app", "quarkus.management.enabled=true") },
      path: "/q/health/live",
      healthPort: 9000,
    },
    {
      name: "Quarkus: the prod profile's management port and root path",
      files: {
        "pom.xml": quarkusPom,
        [res("application.properties")]: lines(
          "quarkus.management.enabled=true",
          "quarkus.management.port=9100",
          "%prod.quarkus.management.port=9200",
          "%dev.quarkus.management.port=9300",
          "quarkus.management.root-path=/admin",
        ),
      },
      path: "/admin/health/live",
      healthPort: 9200,
    },
    {
      name: "Quarkus: without the management interface, health is on the service port",
      files: { "pom.xml": quarkusPom, [res("application.properties")]: "quarkus.http.port=8081\n" },
      path: "/q/health/live",
      port: 8081,
      healthPort: undefined,
    },
  ]);
});

describe("ports: the service's own, never a database's or a cache's", () => {
  const gomod = "module example.com/svc\n\ngo 1.22\n";
  check([
    {
      name: "a database block's port is not the service port (JS config object)",
      files: {
        "package.json": pkg(),
        "src/server.js": lines('const config = require("./config");', "app.listen(config.port);"),
        "src/config.js": lines(
          "module.exports = {",
          '  database: { host: process.env.DB_HOST || "localhost", port: 5432 },',
          '  redis: { host: "cache", port: 6379 },',
          "  port: parseInt(process.env.PORT, 10) || 4100,",
          "};",
        ),
      },
      port: 4100,
    },
    {
      name: "DB_PORT / REDIS_PORT env fallbacks are skipped (Python)",
      files: {
        "requirements.txt": "flask\n",
        "config.py": lines(
          'DB_PORT = int(os.getenv("DB_PORT", "5432"))',
          'REDIS_PORT = os.environ.get("REDIS_PORT", 6379)',
          'PORT = int(os.environ.get("PORT", 5050))',
        ),
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
      },
      port: 5050,
    },
    {
      name: "a Spring data source's and cache's ports are skipped",
      files: {
        "pom.xml": "<project><artifactId>svc</artifactId><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>",
        "src/main/resources/application.properties": lines("spring.data.redis.port=6379", "spring.datasource.url=jdbc:postgresql://db:5432/app"),
      },
      port: 8080,
    },
    {
      name: "a Go client's and database's addresses are skipped",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          "func main() {",
          '\trdb := redis.NewClient(&redis.Options{Addr: ":6379"})',
          '\tdb := pgConfig{Host: "db", Port: 5432}',
          '\thttp.ListenAndServe(":8090", nil)',
          "}",
        ),
      },
      port: 8090,
    },
    {
      name: "Go: struct-tag defaults, the database's skipped",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          "type Config struct {",
          '\tDBPort   int `env:"DB_PORT" envDefault:"5432"`',
          '\tHTTPPort int `env:"HTTP_PORT" envDefault:"8088"`',
          "}",
          "",
          "func main() { http.ListenAndServe(addr(), nil) }",
        ),
      },
      port: 8088,
    },
    {
      name: "Go: viper defaults, the database's skipped",
      files: {
        "go.mod": gomod,
        "main.go": lines(
          "package main",
          "",
          "func main() {",
          '\tviper.SetDefault("database.port", 5432)',
          '\tviper.SetDefault("server.port", 8070)',
          "\thttp.ListenAndServe(addr(), nil)",
          "}",
        ),
      },
      port: 8070,
    },
    {
      name: "a listen call inside a database connect callback still counts",
      files: { "package.json": pkg(), "src/server.js": lines("mongoose.connect(uri).then(() => {", "  app.listen(3300);", "});") },
      port: 3300,
    },
    ...(
      [
        ["const port = parseInt(process.env.PORT, 10) || 3001;", 3001],
        ["const port = Number.parseInt(process.env.PORT ?? '', 10) || 3002;", 3002],
        ["const port = process.env.PORT ? Number(process.env.PORT) : 3003;", 3003],
        ['const port = parseInt(process.env["PORT"] as string, 10) || 3004;', 3004],
        ["const port = process.env.APP_PORT ?? 3005;", 3005],
        ["const port = env.PORT || 3006;", 3006],
      ] as const
    ).map(([line, port]) => ({ name: `a Node env default: ${line}`, files: { "package.json": pkg(), "src/server.js": `${line}\napp.listen(port);\n` }, port })),
  ]);
});

describe("Go: routes and ports of the main package that is built", () => {
  it("the other server main's health route and port are not taken", async () => {
    const r = await detectReport(
      repo({
        "go.mod": "module example.com/shop\n\ngo 1.22\n",
        "cmd/api/main.go": lines(
          "package main",
          "",
          'import "example.com/shop/internal/web"',
          "",
          "func main() {",
          '\tport := flag.Int("port", 8081, "port")',
          '\thttp.ListenAndServe(fmt.Sprintf(":%d", *port), web.Routes())',
          "}",
        ),
        "internal/web/routes.go": lines(
          "package web",
          "",
          "func Routes() http.Handler {",
          "\tmux := http.NewServeMux()",
          '\tmux.HandleFunc("/status", ok)',
          "\treturn mux",
          "}",
        ),
        "cmd/admin/main.go": lines(
          "package main",
          "",
          "func main() {",
          '\tport := flag.Int("port", 9090, "port")',
          '\thttp.HandleFunc("/healthz", ok)',
          '\thttp.ListenAndServe(fmt.Sprintf(":%d", *port), nil)',
          "}",
        ),
      }),
    );
    expect(r.values).toMatchObject({ buildTarget: "./cmd/api", port: 8081, healthPath: "/status" });
    expect(r.from.healthPath).toContain("internal/web/routes.go");
  });
});
