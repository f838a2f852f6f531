// Health paths behind route prefixes, ports that are the service's own, and the main package that
// is built: detection on small repositories shaped like real services.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectReport } from "../../src/io/detect/index.js";

const tmpRoots: string[] = [];
afterAll(() => {
  for (const d of tmpRoots) fs.rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "detect-routes-"));
  tmpRoots.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const pkg = (main = "src/server.js") => JSON.stringify({ name: "svc", main, dependencies: { express: "^4.21.0" } });

async function health(files: Record<string, string>) {
  const r = await detectReport(repo(files));
  return { path: r.values.healthPath, from: r.from.healthPath, note: r.notes.healthPath, port: r.values.port };
}

describe("health routes under prefixes: Express and Koa", () => {
  it("a router mounted with app.use('/api', router) from another file gets the prefix", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/api/healthz");
    expect(h.from).toContain('mounted at "/api" in src/server.js');
  });

  it("nested routers compose, through ES module imports with a named export", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/v2/ops/livez");
  });

  it("a router with a route at '/' mounted at /health serves /health", async () => {
    const h = await health({
      "package.json": pkg(),
      "src/server.js": lines('const express = require("express");', "const app = express();", 'app.use("/health", require("./health"));'),
      "src/health.js": lines('const router = require("express").Router();', 'router.get("/", (req, res) => res.sendStatus(200));', "module.exports = router;"),
    });
    expect(h.path).toBe("/health");
  });

  it("a TypeScript App class mounting a router on this.app; a health middleware from a package serves its path", async () => {
    const cls = await health({
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
    });
    expect(cls.path).toBe("/api/v1/health");
    const middleware = await health({
      "package.json": pkg("index.js"),
      "index.js": lines('const app = require("express")();', 'app.use("/healthcheck", require("express-healthcheck")());', "app.listen(8000);"),
    });
    expect(middleware.path).toBe("/healthcheck");
  });

  it("routes added in one file to a router made and mounted in another", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/v3/readyz");
  });

  it("a mount path in a constant is read; one in configuration is not guessed; middleware before the router adds nothing", async () => {
    const files = (mount: string, extra = "") => ({
      "package.json": pkg(),
      "src/server.js": lines('const express = require("express");', 'const health = require("./health");', extra, "const app = express();", mount),
      "src/health.js": lines(
        'const router = require("express").Router();',
        'router.get("/healthz", (req, res) => res.send("ok"));',
        "module.exports = router;",
      ),
    });
    expect((await health(files("app.use(API_PREFIX, health);", 'const API_PREFIX = "/api/v2";'))).path).toBe("/api/v2/healthz");
    const config = await health(files("app.use(config.apiPrefix, health);", 'const config = require("./config");'));
    expect(config.path).toBeUndefined();
    expect(config.note).toMatch(/config\.apiPrefix/);
    expect((await health(files("app.use(cors(), authenticate, health);"))).path).toBe("/healthz");
  });

  it("Koa: a router's own prefix", async () => {
    const h = await health({
      "package.json": pkg(),
      "src/server.js": lines(
        'const Koa = require("koa");',
        'const Router = require("@koa/router");',
        "const app = new Koa();",
        'const router = new Router({ prefix: "/internal" });',
        'router.get("/health", (ctx) => { ctx.body = "ok"; });',
        "app.use(router.routes());",
      ),
    });
    expect(h.path).toBe("/internal/health");
  });

  it("a router that is never mounted where the sources show is not taken: the default stays, with why", async () => {
    const r = await detectReport(
      repo({
        "package.json": pkg(),
        "src/server.js": lines('const express = require("express");', "const app = express();", 'require("./boot")(app);', "app.listen(3000);"),
        "src/routes/health.js": lines(
          'const router = require("express").Router();',
          'router.get("/healthz", (req, res) => res.send("ok"));',
          "module.exports = router;",
        ),
      }),
    );
    expect(r.values.healthPath).toBeUndefined();
    expect(r.notes.healthPath).toMatch(/\/healthz in src\/routes\/health\.js .*not followed.*probes check that the port is open/);
  });

  it("a routes function called with the app registers on the app", async () => {
    const h = await health({
      "package.json": pkg(),
      "src/server.js": lines('const express = require("express");', 'const routes = require("./routes");', "const app = express();", "routes(app);"),
      "src/routes.js": lines("module.exports = function (app) {", '  app.get("/ping", (req, res) => res.send("pong"));', "};"),
    });
    expect(h.path).toBe("/ping");
  });
});

describe("health routes under prefixes: NestJS", () => {
  const nest = (main: string, controller: string) =>
    health({
      "package.json": JSON.stringify({ name: "svc", scripts: { "start:prod": "node dist/main" } }),
      "src/main.ts": main,
      "src/health.controller.ts": controller,
    });

  it("@Controller('health') + @Get() with setGlobalPrefix('api')", async () => {
    const h = await nest(
      lines("const app = await NestFactory.create(AppModule);", "app.setGlobalPrefix('api');", "await app.listen(3000);"),
      lines("@Controller('health')", "export class HealthController {", "  @Get()", "  check() { return { ok: true }; }", "}"),
    );
    expect(h.path).toBe("/api/health");
  });

  it("@Controller('ops') + @Get('healthz'), the global prefix excluding it", async () => {
    const h = await nest(
      lines("const app = await NestFactory.create(AppModule);", "app.setGlobalPrefix('v1', { exclude: ['ops/healthz'] });"),
      lines("@Controller('ops')", "export class OpsController {", "  @Get('healthz')", "  check() {}", "}"),
    );
    expect(h.path).toBe("/ops/healthz");
  });

  it("URI versioning is not followed: no path is claimed", async () => {
    const h = await nest(
      lines("const app = await NestFactory.create(AppModule);", "app.enableVersioning({ type: VersioningType.URI });"),
      lines("@Controller({ path: 'health', version: '1' })", "export class HealthController {", "  @Get()", "  check() {}", "}"),
    );
    expect(h.path).toBeUndefined();
    expect(h.note).toMatch(/versioned/);
  });
});

describe("health routes under prefixes: Flask and FastAPI", () => {
  it("Flask: a blueprint's url_prefix, registered in an app factory in another module", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/ops/healthz");
  });

  it("Flask: a blueprint defined in a package's __init__ and its routes in views.py", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/site/health");
  });

  it("Flask: url_prefix at register_blueprint replaces the blueprint's own", async () => {
    const h = await health({
      "requirements.txt": "flask\n",
      "app.py": lines(
        "from flask import Flask",
        "from api.health import bp as health_bp",
        "",
        "app = Flask(__name__)",
        'app.register_blueprint(health_bp, url_prefix="/api/v1")',
      ),
      "api/__init__.py": "",
      "api/health.py": lines(
        "from flask import Blueprint",
        "",
        'bp = Blueprint("health", __name__, url_prefix="/ignored")',
        "",
        '@bp.get("/health")',
        "def health():",
        '    return "ok"',
      ),
    });
    expect(h.path).toBe("/api/v1/health");
  });

  it("FastAPI: include_router prefix + APIRouter prefix, the prefix a settings constant", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/api/v1/utils/health-check/");
  });

  it("Starlette: a Route list after a handler taking `request` is served; a path a client fetches is not", async () => {
    const h = await health({
      "requirements.txt": "starlette\nuvicorn\n",
      "app.py": lines(
        "from starlette.applications import Starlette",
        "from starlette.responses import PlainTextResponse",
        "from starlette.routing import Route",
        "",
        "async def healthz(request):",
        '    return PlainTextResponse("ok")',
        "",
        'app = Starlette(routes=[Route("/healthz", healthz)])',
      ),
    });
    expect(h.path).toBe("/healthz");
    const client = await health({
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
    });
    expect(client.path).not.toBe("/healthz");
  });

  it("a prefix that reads like a health path is not itself a route", async () => {
    const h = await health({
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
    });
    expect(h.path).toBe("/health/live");
    const gin = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        "\tr := gin.New()",
        '\thealth := r.Group("/api/health")',
        '\thealth.GET("", ok)',
        '\tr.Run(":8080")',
        "}",
      ),
    });
    expect(gin.path).toBe("/api/health");
  });

  it("a blueprint registered in a loop is not followed: nothing is claimed, with why", async () => {
    const h = await health({
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
    });
    expect(h.path).toBeUndefined();
    expect(h.note).toMatch(/\/healthz in views\.py.*not registered/);
  });

  it("Django: an app's urls.py under the project's include()", async () => {
    const h = await health({
      "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n',
      "requirements.txt": "django\n",
      "site_cfg/__init__.py": "",
      "site_cfg/urls.py": lines("from django.urls import include, path", "", "urlpatterns = [", '    path("ops/", include("monitor.urls")),', "]"),
      "monitor/__init__.py": "",
      "monitor/urls.py": lines("from django.urls import path", "from . import views", "", 'urlpatterns = [path("healthz/", views.healthz)]'),
    });
    expect(h.path).toBe("/ops/healthz/");
  });
});

describe("health routes under prefixes: Go routers", () => {
  const gomod = "module example.com/svc\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n";

  it("gin: r.Group('/api') then a nested group", async () => {
    const h = await health({
      "go.mod": gomod,
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        "\tr := gin.Default()",
        '\tapi := r.Group("/api")',
        '\tv1 := api.Group("/v1")',
        "\t{",
        '\t\tv1.GET("/health", func(c *gin.Context) { c.String(200, "ok") })',
        "\t}",
        '\tr.Run(":8080")',
        "}",
      ),
    });
    expect(h.path).toBe("/api/v1/health");
  });

  it('gin: a group\'s root route (Group("/api/ping") then GET("/")) is the group\'s path, never /', async () => {
    const h = await health({
      "go.mod": gomod,
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        "\trouter := gin.New()",
        '\tping := router.Group("/api/ping")',
        '\tping.GET("/", func(c *gin.Context) { c.String(200, "pong") })',
        "\trouter.Run()",
        "}",
      ),
    });
    expect(h.path).toBe("/api/ping");
  });

  it("net/http: a sub-mux returned by another package, mounted with http.StripPrefix", async () => {
    const h = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
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
    });
    expect(h.path).toBe("/v1/livez");
  });

  it("echo: a group passed to a registering function in another package", async () => {
    const h = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
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
    });
    expect(h.path).toBe("/internal/healthz");
  });

  it("chi: r.Route('/ops', func(r chi.Router) { ... }) and Mount", async () => {
    const route = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        "\tr := chi.NewRouter()",
        '\tr.Get("/", index)',
        '\tr.Route("/ops", func(r chi.Router) {',
        '\t\tr.Get("/readyz", ready)',
        "\t})",
        '\thttp.ListenAndServe(":3333", r)',
        "}",
      ),
    });
    expect(route.path).toBe("/ops/readyz");
    const mount = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
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
    });
    expect(mount.path).toBe("/admin/healthz");
  });

  it("a prefix that is not a literal is not guessed: chi Route(prefix, ...), @Controller(CONST), @RequestMapping(Paths.BASE)", async () => {
    const chi = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        "\tr := chi.NewRouter()",
        "\tr.Route(cfg.Prefix, func(r chi.Router) {",
        '\t\tr.Get("/healthz", ok)',
        "\t})",
        "}",
      ),
    });
    expect(chi.path).toBeUndefined();
    expect(chi.note).toMatch(/not a string literal/);
    const nest = await health({
      "package.json": JSON.stringify({ name: "svc" }),
      "src/health.controller.ts": lines("@Controller(HEALTH_ROUTE)", "export class HealthController {", "  @Get()", "  check() {}", "}"),
    });
    expect(nest.path).toBeUndefined();
    expect(nest.note).toMatch(/not a string literal/);
    const spring = await health({
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
    });
    expect(spring.path).toBeUndefined();
    expect(spring.note).toMatch(/not a string literal/);
  });

  it("a group handed to a function nobody is seen calling is not claimed", async () => {
    const h = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
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
    });
    expect(h.path).toBeUndefined();
    expect(h.note).toMatch(/\/healthz in main\.go/);
  });
});

describe("Spring and Quarkus: context path, Actuator base path and management port", () => {
  const pom = (deps: string) =>
    `<project><artifactId>svc</artifactId><version>1.0</version><parent><artifactId>spring-boot-starter-parent</artifactId></parent><dependencies>${deps}</dependencies></project>`;

  it("server.servlet.context-path prefixes Actuator's health", async () => {
    const h = await health({
      "pom.xml": pom("<dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>"),
      "src/main/resources/application.yml": lines("server:", "  port: 8081", "  servlet:", "    context-path: /billing"),
    });
    expect(h.path).toBe("/billing/actuator/health");
  });

  it("WebFlux: spring.webflux.base-path, not the servlet context path", async () => {
    const h = await health({
      "pom.xml": pom(
        "<dependency><artifactId>spring-boot-starter-webflux</artifactId></dependency><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>",
      ),
      "src/main/resources/application.properties": lines("server.servlet.context-path=/ignored", "spring.webflux.base-path=/rx"),
    });
    expect(h.path).toBe("/rx/actuator/health");
  });

  it("management.endpoints.web.base-path and the health mapping", async () => {
    const h = await health({
      "pom.xml": pom("<dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>"),
      "src/main/resources/application.properties": lines("management.endpoints.web.base-path=/manage", "management.endpoints.web.path-mapping.health=status"),
    });
    expect(h.path).toBe("/manage/status");
  });

  it("Actuator on its own management port is not probed on the service port", async () => {
    const h = await health({
      "pom.xml": pom("<dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>"),
      "src/main/resources/application.yml": lines("server:", "  port: 8080", "management:", "  server:", "    port: 9001"),
    });
    expect(h.path).toBeUndefined();
    expect(h.port).toBe(8080);
    expect(h.note).toMatch(/management port 9001/);
  });

  it("a controller's class-level @RequestMapping and the context path", async () => {
    const h = await health({
      "pom.xml": pom(""),
      "src/main/resources/application.properties": "server.servlet.context-path=/svc\n",
      "src/main/java/com/acme/StatusController.java": lines(
        "package com.acme;",
        "@RestController",
        '@RequestMapping("/internal")',
        "public class StatusController {",
        '  @GetMapping("/health")',
        '  public String health() { return "ok"; }',
        "}",
      ),
    });
    expect(h.path).toBe("/svc/internal/health");
  });

  it("a class mapping from a placeholder is not a path: nothing is claimed", async () => {
    const h = await health({
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
    });
    expect(h.path).toBeUndefined();
    expect(h.note).toMatch(/not a plain path/);
  });

  it("Quarkus: quarkus.http.root-path moves SmallRye Health", async () => {
    const h = await health({
      "pom.xml":
        "<project><artifactId>q</artifactId><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency></dependencies></project>",
      "src/main/resources/application.properties": "quarkus.http.root-path=/app\n",
    });
    expect(h.path).toBe("/app/q/health/live");
  });
});

describe("ports: the service's own, never a database's or a cache's", () => {
  it("a database block's port is not the service port (JS config object)", async () => {
    const h = await health({
      "package.json": pkg(),
      "src/server.js": lines('const config = require("./config");', "app.listen(config.port);"),
      "src/config.js": lines(
        "module.exports = {",
        '  database: { host: process.env.DB_HOST || "localhost", port: 5432 },',
        '  redis: { host: "cache", port: 6379 },',
        "  port: parseInt(process.env.PORT, 10) || 4100,",
        "};",
      ),
    });
    expect(h.port).toBe(4100);
  });

  it("DB_PORT / REDIS_PORT env fallbacks and a YAML database section are skipped", async () => {
    const py = await health({
      "requirements.txt": "flask\n",
      "config.py": lines(
        'DB_PORT = int(os.getenv("DB_PORT", "5432"))',
        'REDIS_PORT = os.environ.get("REDIS_PORT", 6379)',
        'PORT = int(os.environ.get("PORT", 5050))',
      ),
      "app.py": "from flask import Flask\napp = Flask(__name__)\n",
    });
    expect(py.port).toBe(5050);
    const spring = await health({
      "pom.xml": "<project><artifactId>svc</artifactId><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>",
      "src/main/resources/application.properties": lines("spring.data.redis.port=6379", "spring.datasource.url=jdbc:postgresql://db:5432/app"),
    });
    expect(spring.port).toBe(8080);
    const go = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        '\trdb := redis.NewClient(&redis.Options{Addr: ":6379"})',
        '\tdb := pgConfig{Host: "db", Port: 5432}',
        '\thttp.ListenAndServe(":8090", nil)',
        "}",
      ),
    });
    expect(go.port).toBe(8090);
  });

  it("Go: struct-tag and viper defaults, the database's skipped", async () => {
    const tags = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
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
    });
    expect(tags.port).toBe(8088);
    const viper = await health({
      "go.mod": "module example.com/svc\n\ngo 1.22\n",
      "main.go": lines(
        "package main",
        "",
        "func main() {",
        '\tviper.SetDefault("database.port", 5432)',
        '\tviper.SetDefault("server.port", 8070)',
        "\thttp.ListenAndServe(addr(), nil)",
        "}",
      ),
    });
    expect(viper.port).toBe(8070);
  });

  it("a listen call inside a database connect callback still counts", async () => {
    const h = await health({
      "package.json": pkg(),
      "src/server.js": lines("mongoose.connect(uri).then(() => {", "  app.listen(3300);", "});"),
    });
    expect(h.port).toBe(3300);
  });

  it("env defaults written the ways Node services write them", async () => {
    const forms: [string, number][] = [
      ["const port = parseInt(process.env.PORT, 10) || 3001;", 3001],
      ["const port = Number.parseInt(process.env.PORT ?? '', 10) || 3002;", 3002],
      ["const port = process.env.PORT ? Number(process.env.PORT) : 3003;", 3003],
      ['const port = parseInt(process.env["PORT"] as string, 10) || 3004;', 3004],
      ["const port = process.env.APP_PORT ?? 3005;", 3005],
      ["const port = env.PORT || 3006;", 3006],
    ];
    for (const [line, want] of forms) {
      const h = await health({ "package.json": pkg(), "src/server.js": `${line}\napp.listen(port);\n` });
      expect(h.port, line).toBe(want);
    }
  });
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
