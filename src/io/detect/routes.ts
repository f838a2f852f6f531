/**
 * Health and root routes with the path a request really takes: the prefix of the router, blueprint,
 * group or controller a route is registered on, and where that is mounted (`app.use("/api", router)`,
 * `register_blueprint(bp, url_prefix=...)`, `include_router(r, prefix=...)`, `r.Group("/api")`,
 * chi `Route`/`Mount`, Koa `prefix`, Fastify autoload folders, NestJS `@Controller`, `setGlobalPrefix`,
 * URI versions and `RouterModule`, Hono `app.route("/api", sub)` and @hono/zod-openapi's
 * `createRoute` registered with `.openapi`, Flask-RESTX/RESTful `Api`/`Namespace`, Starlette `Mount`, a
 * Spring class's `@RequestMapping` and the context and servlet paths). A route whose mounting cannot be followed
 * is reported as unmounted, with the reason, and never taken as the path: the probes would 404.
 */
import path from "node:path";

export interface Route {
  /** The full path a request takes. */
  path: string;
  /** The file it is registered in. */
  file: string;
  /** The path as written in the route call. */
  written: string;
  /** How the prefix was found ("" when the route is on the application itself). */
  via: string;
}

export interface Unmounted {
  file: string;
  written: string;
  reason: string;
}

export interface RouteScan {
  health: Route[];
  root: Route[];
  unmounted: Unmounted[];
}

export type Lang = "node" | "python" | "go" | "java";

/** Options that apply to every route of the service (read from its configuration). */
export interface RouteContext {
  /** Spring `server.servlet.context-path`, Quarkus `quarkus.http.root-path`. */
  contextPath?: string | undefined;
}

export const HEALTH_WORD = /^(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health|live|liveness|ready|readiness|ping|status)$/;

const HEALTH_RE =
  /["'`](?:(?:GET|HEAD)\s+)?((?:\/api(?:\/v\d+)?)?(?:\/[\w-]+)?\/(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health(?:\/(?:live|liveness|ready|readiness))?|actuator\/health|ping|status|live|liveness|ready|readiness))(\/?)["'`]/g;

/** A route call's receiver and method, right before the path literal. */
const CALL_BEFORE =
  /((?:this\s*\.\s*)?[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*(get|head|all|route|api_route|add_url_rule|add_api_route|HandleFunc|Handle|Path|GET|HEAD|Any|Get|Head|Method|MethodFunc|use|Use)\(\s*(?:["'`][A-Z]+["'`]\s*,\s*)?$/;
const PREFIX_BEFORE =
  /(?:\b(?:url_)?prefix\s*[=:]\s*|\.\s*(?:Route|Mount|Group|PathPrefix|group|basePath|setGlobalPrefix|prefix|mount)\(\s*|(?<![\w.])Mount\(\s*(?:path\s*=\s*)?|\bNamespace\(\s*(?:["'][\w-]*["']\s*,\s*)?path\s*=\s*|\badd_namespace\([^()]*\bpath\s*=\s*)$/;
const DECORATOR_BEFORE = /@([A-Za-z_]\w*(?:\.\w+)*)\.(get|head|route|api_route)\(\s*$/;

/**
 * Names an application object goes by: a route on one whose definition is not in the sources read
 * (passed in, imported) is taken as on the application itself. Routers and groups are never assumed.
 */
const APP_NAME = /^(?:app|application|server|mux|engine)$/;

type Res = { prefix: string; via: string } | { reason: string };
const ROOT: Res = { prefix: "", via: "" };
const TOO_DEEP: Res = { reason: "its router is mounted through more levels than are followed" };

const join = (...parts: string[]) => {
  const p = parts
    .filter((x) => x !== "")
    .map((x) => x.replace(/^\/+|\/+$/g, ""))
    .filter((x) => x !== "")
    .join("/");
  return `/${p}`;
};

/** `a + b`, keeping b's trailing slash ("/api" + "/health-check/"). */
function compose(prefix: string, route: string): string {
  if (prefix === "" || prefix === "/") return route;
  const slash = route.endsWith("/") && route !== "/";
  const p = join(prefix, route);
  return slash ? `${p}/` : p;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The string literal at the start of `s` (quotes '', "", ``), or undefined. */
function literalAt(s: string): string | undefined {
  return /^\s*(?:r|f)?(["'`])([^"'`\n]*)\1/.exec(s)?.[2];
}

/** Brace/paren-balanced end of the block opened at `open` (the index of its opener). */
function blockEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

class Scanner {
  private readonly depthLimit = 8;

  constructor(
    private readonly lang: Lang,
    private readonly files: string[],
    private readonly texts: (string | undefined)[],
    private readonly ctx: RouteContext,
  ) {}

  scan(): RouteScan {
    const out: RouteScan = { health: [], root: [], unmounted: [] };
    const add = (r: Route | Unmounted) => {
      // A prefix read from a placeholder or a template (`${api.prefix}`, `{version}`) is not a path.
      if (!("reason" in r) && !/^\/[A-Za-z0-9._~/-]*$/.test(r.path))
        r = { file: r.file, written: r.written, reason: `${r.file}: its prefix (${r.path}) is not a plain path (a placeholder or an expression)` };
      if ("reason" in r) out.unmounted.push(r);
      else {
        const last = r.path.replace(/\/$/, "").split("/").pop() ?? "";
        if (r.path === "/" || r.path === "") out.root.push({ ...r, path: "/" });
        else if (HEALTH_WORD.test(last) || /\/actuator\/health$/.test(r.path)) out.health.push(r);
      }
    };
    this.files.forEach((file, fi) => {
      const text = this.texts[fi];
      if (text === undefined) return;
      if (this.lang === "node" && /@Controller\(/.test(text)) {
        for (const r of this.nest(fi, text)) add(r);
        return;
      }
      if (this.lang === "java") {
        // Ktor's routing DSL: routes with the route("...") blocks they are in.
        if (file.endsWith(".kt") && /\brouting\s*\{|\bfun\s+Route\./.test(text)) {
          for (const r of this.ktor(fi, text)) add(r);
          return;
        }
        for (const r of this.java(fi, text)) add(r);
        // Literals outside annotations (a JDK HttpServer's createContext("/healthz")).
        for (const m of text.matchAll(HEALTH_RE)) {
          if (/@\w+\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*(?:"[^"]*"\s*,\s*)*$/.test(text.slice(Math.max(0, m.index - 80), m.index))) continue;
          const written = `${m[1]}${m[2] ?? ""}`;
          add({
            path: this.ctx.contextPath ? join(this.ctx.contextPath, written) : written,
            file,
            written,
            via: this.ctx.contextPath ? `context path "${this.ctx.contextPath}"` : "",
          });
        }
        return;
      }
      if (this.lang === "python") {
        // Django: path("healthz/", ...), re_path(r"^health/$", ...): routes without a leading slash.
        for (const m of text.matchAll(
          /\b(?:path|re_path|url)\(\s*r?["']\^?((?:[\w-]+\/)*(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health|ping|status)\/?)\$?["']/g,
        ))
          add(this.django(fi, `/${m[1]}`, m.index));
      }
      for (const m of text.matchAll(HEALTH_RE)) {
        const written = `${m[1]}${m[2] ?? ""}`;
        const r = this.candidate(fi, text, m.index, m[0].length, written);
        if (r !== undefined) add(r);
      }
      // Root routes: "/" as the path of a route call.
      for (const m of text.matchAll(/["'`]\/?["'`]/g)) {
        const before = text.slice(Math.max(0, m.index - 80), m.index);
        if (!CALL_BEFORE.test(before) && !DECORATOR_BEFORE.test(before)) continue;
        const r = this.candidate(fi, text, m.index, m[0].length, "/");
        if (r !== undefined) add(r);
      }
    });
    return out;
  }

  /** One path literal: a route call on some receiver, a decorator, or a bare string. */
  private candidate(fi: number, text: string, index: number, length: number, written: string): Route | Unmounted | undefined {
    const file = this.files[fi]!;
    const before = text.slice(Math.max(0, index - 80), index);
    const after = text.slice(index + length, index + length + 40);
    // A prefix, not a route: url_prefix="/health", { prefix: "/health" }, r.Group("/health"),
    // r.Route("/health", ...), Mount("/health", ...): the routes under it are found on their own.
    if (PREFIX_BEFORE.test(before)) return undefined;
    const call = CALL_BEFORE.exec(before);
    const deco = DECORATOR_BEFORE.exec(before);
    // Flask-RESTful / Flask-RESTX: api.add_resource(Health, "/health"), the path after the resource.
    const resource = this.lang === "python" ? /([A-Za-z_]\w*)\s*\.\s*add_resource\(\s*[\w.]+\s*,\s*(?:["'][^"'\n]*["']\s*,\s*)*$/.exec(before) : null;
    // Starlette: Route("/health", ...) in a routes list, under the Mount("/p", routes=[...]) it is in.
    if (this.lang === "python" && /(?<![\w.])(?:Route|WebSocketRoute)\(\s*$/.test(before)) {
      const res = this.starlettePrefix(fi, index, 0);
      if ("reason" in res) return { file, written, reason: res.reason };
      return { path: compose(res.prefix, written), file, written, via: res.via };
    }
    // @hono/zod-openapi: createRoute({ method, path }) is served where it is registered,
    // ROUTER.openapi(route, handler), inline or by the route's name.
    if (
      this.lang === "node" &&
      /\bpath\s*:\s*$/.test(before) &&
      /\bcreateRoute\(\s*\{(?:[^{}]|\{[^{}]*\})*$/.test(text.slice(Math.max(0, index - 600), index))
    ) {
      const res = this.openapiPrefix(fi, text.lastIndexOf("createRoute(", index), 0);
      if ("reason" in res) return { file, written, reason: res.reason };
      return { path: compose(res.prefix, written), file, written, via: res.via };
    }
    const routed =
      call !== null ||
      deco !== null ||
      resource !== null ||
      /(?:path|route|url|pattern)\s*[:=]\s*$/i.test(before) ||
      /^["'`](?:GET|HEAD)\s/.test(text.slice(index));
    const word = written.replace(/\/$/, "").split("/").pop() ?? "";
    // "/status", "/ping", "/live", "/ready" are common strings: only as a route.
    if (!routed && /^(?:status|ping|live|liveness|ready|readiness)$/.test(word) && !/\/health\/[a-z]+$/.test(written.replace(/\/$/, ""))) return undefined;
    // A literal a client sends (fetch("/healthz"), a curl line), not one a route serves: judged on
    // its own line or the call it opens, never on a word further up (a handler's `request` parameter).
    const line = before.slice(before.lastIndexOf("\n") + 1);
    if (
      !routed &&
      (/\b(?:fetch|axios|request|curl|http\.get|client)\b/i.test(line) ||
        /\b(?:fetch|axios|request|curl|client)\w*(?:\s*\.\s*\w+)?\s*\(\s*(?:["'`][A-Z]+["'`]\s*,\s*)?$/i.test(before))
    )
      return undefined;
    const receiver = call?.[1] ?? deco?.[1] ?? resource?.[1];
    if (receiver === undefined) return written === "/" ? undefined : { path: written, file, written, via: "" };
    const method = call?.[2];
    if (method === "use" || method === "Use") {
      // app.use("/health", handler) and app.use("/health", healthcheck()) serve the path;
      // app.use("/health", router) and app.use("/health", require("./health")) mount a router of
      // the repository's own, whose routes are found on their own.
      if (/^\s*,\s*(?:[\w$.]+\s*(?:\.\s*routes\(\s*\)\s*)?[,)]|require\(\s*["'`]\.)/.test(after)) return undefined;
    }
    const bare = receiver.replace(/\s+/g, "");
    const res = this.prefixOf(fi, bare, index, 0);
    if ("reason" in res) return { file, written, reason: res.reason };
    return { path: compose(res.prefix, written), file, written, via: res.via };
  }

  private prefixOf(fi: number, receiver: string, at: number, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    switch (this.lang) {
      case "node":
        return this.jsPrefix(fi, receiver, at, depth);
      case "python":
        return this.pyPrefix(fi, receiver, depth);
      case "go":
        return this.goPrefix(fi, receiver, at, depth);
      default:
        return ROOT;
    }
  }

  // ---------------------------------------------------------------- Node (Express, Koa, Fastify, Hono)

  private jsPrefix(fi: number, receiver: string, at: number, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    const text = this.texts[fi]!;
    const file = this.files[fi]!;
    const name = receiver
      .replace(/^this\./, "")
      .split(".")
      .pop()!;
    if (receiver === "http" || receiver === "https") return ROOT;
    const def = lastDefinition(text, name, at);
    if (def !== undefined) {
      if (
        /^(?:await\s+)?(?:express|Fastify|fastify|polka|connect|restify\.createServer|createServer)\s*\(|^new\s+(?:Koa|\w*Hono|Elysia)\s*\(|^[\w$]*App\(\s*\)|^require\(\s*["'`](?:express|fastify|polka|connect)["'`]\s*\)\s*\(/.test(
          def,
        )
      ) {
        // An application may itself be mounted in another (app.use("/admin", adminApp), Hono app.route("/api", sub)).
        const base = /\.basePath\(\s*["'`]([^"'`]*)["'`]/.exec(def)?.[1] ?? "";
        const mount = this.jsMount(fi, name, depth);
        const up = "reason" in mount ? ROOT : mount;
        if ("reason" in up) return up;
        const p = join(up.prefix, base);
        return { prefix: p === "/" ? "" : p, via: [up.via, base ? `${name}.basePath("${base}")` : ""].filter(Boolean).join(", ") };
      }
      if (
        /^(?:express\s*\.\s*)?Router\s*\(|^new\s+(?:\w*Router|Hono)\s*\(|^[\w$]*Router\(\s*\)|^require\(\s*["'`](?:express["'`]\s*\)\s*\.\s*Router|(?:koa-router|@koa\/router)["'`]\s*\))\s*\(/.test(
          def,
        )
      ) {
        const ownExpr = /\bprefix\s*:\s*([^,})]+)/.exec(def)?.[1] ?? new RegExp(`\\b${esc(name)}\\.prefix\\(\\s*([^)]+)\\)`).exec(text)?.[1];
        const own = ownExpr === undefined ? "" : this.jsValue(ownExpr.trim());
        if (own === undefined) return { reason: `${file}: the prefix of ${name} (${ownExpr!.trim()}) is not a string this tool can read` };
        const mount = this.jsMount(fi, name, depth);
        if ("reason" in mount) return { reason: `${file}: ${mount.reason}` };
        return {
          prefix: join(mount.prefix, own) === "/" ? "" : join(mount.prefix, own),
          via: [mount.via, own ? `prefix "${own}"` : ""].filter(Boolean).join(", "),
        };
      }
      if (/^require\(|^await\s+import\(/.test(def) && APP_NAME.test(name)) return ROOT;
      if (APP_NAME.test(name)) return ROOT;
      return { reason: `${file}: ${name} is not an application or a router this tool follows` };
    }
    // Imported from a file of the repository that defines it: follow it there.
    const origin = this.jsOrigin(fi, name);
    if (origin !== undefined) return this.jsPrefix(origin.fi, origin.name, this.texts[origin.fi]!.length, depth + 1);
    if (importedBinding(text, name) && APP_NAME.test(name)) return ROOT;
    // A parameter: the app passed to a function (module.exports = (app) => { app.get(...) }), or a
    // plugin's instance (Fastify register).
    const fn = enclosingFunction(text, name, at);
    if (fn !== undefined) {
      const mount = this.jsFunctionMount(fi, fn, depth);
      if (!("reason" in mount)) return mount;
      if (APP_NAME.test(name)) return ROOT;
      return { reason: `${file}: ${mount.reason}` };
    }
    if (APP_NAME.test(name)) return ROOT;
    return { reason: `${file}: where ${name} comes from is not found` };
  }

  /**
   * The router a @hono/zod-openapi route (the createRoute( call at `at` in file `fi`) is
   * registered on: `ROUTER.openapi(createRoute({...}), handler)`, or `const NAME = createRoute(...)`
   * and `ROUTER.openapi(NAME, ...)` (or `routes.NAME`) here or in a file that imports this one; a
   * builder chain (`const router = createRouter().openapi(...)`) is the router it is assigned to.
   */
  private openapiPrefix(fi: number, at: number, depth: number): Res {
    const text = this.texts[fi]!;
    const file = this.files[fi]!;
    /** The router whose .openapi( call ends just before `end` in `t`. */
    const routerAt = (t: string, end: number): string | undefined => {
      const pre = t.slice(Math.max(0, end - 300), end);
      const direct = /([A-Za-z_$][\w$]*)\s*\.\s*openapi\(\s*$/.exec(pre)?.[1];
      if (direct !== undefined) return direct;
      if (!/\)\s*\.\s*openapi\(\s*$/.test(pre)) return undefined;
      return [...t.slice(0, end).matchAll(/^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm)].pop()?.[1];
    };
    const inline = routerAt(text, at);
    if (inline !== undefined) return this.jsPrefix(fi, inline, at, depth + 1);
    const named = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*$/.exec(text.slice(Math.max(0, at - 120), at))?.[1];
    if (named !== undefined) {
      const imports = (t: string, from: string) =>
        [...t.matchAll(/\bfrom\s*["'`]([^"'`]+)["'`]|\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].some((m) => resolveJs(from, m[1] ?? m[2]!, this.files) === fi);
      for (let gi = 0; gi < this.files.length; gi++) {
        const t = this.texts[gi];
        if (t === undefined || (gi !== fi && !imports(t, this.files[gi]!))) continue;
        for (const m of t.matchAll(new RegExp(`\\.\\s*openapi\\(\\s*(?:[A-Za-z_$][\\w$]*\\s*\\.\\s*)?${esc(named)}\\s*[,)]`, "g"))) {
          const open = m.index + m[0].indexOf("(") + 1;
          const router = routerAt(t, open);
          if (router !== undefined) return this.jsPrefix(gi, router, open, depth + 1);
        }
      }
      return { reason: `${file}: the route ${named} is not registered with .openapi(${named}, ...) anywhere the sources read show` };
    }
    return { reason: `${file}: the createRoute(...) is not registered with .openapi() where this tool can follow it` };
  }

  /** The file and name a local binding is imported from (`import router from "./router"`, `const { api } = require("./api")`). */
  private jsOrigin(fi: number, name: string): { fi: number; name: string } | undefined {
    const text = this.texts[fi]!;
    for (const m of text.matchAll(
      /(?:import\s+([\w$]+)?\s*,?\s*(?:\{([^}]*)\})?\s*from\s*|(?:const|let|var)\s+(?:([\w$]+)|\{([^}]*)\})\s*=\s*require\(\s*)["'`](\.[^"'`]*)["'`]/g,
    )) {
      const gi = resolveJs(this.files[fi]!, m[5]!, this.files);
      if (gi === -1 || gi === fi || this.texts[gi] === undefined) continue;
      const target = this.texts[gi]!;
      if ((m[1] ?? m[3]) === name) {
        const exported = /(?:export\s+default|module\.exports\s*=)\s*([\w$]+)\s*;?\s*$/m.exec(target)?.[1];
        if (exported !== undefined && exported !== "function" && exported !== "class") return { fi: gi, name: exported };
      }
      for (const item of (m[2] ?? m[4] ?? "").split(",")) {
        const [orig, local] = item.trim().split(/\s*(?:\bas\b|:)\s*/);
        if (orig !== undefined && orig !== "" && (local ?? orig) === name) return { fi: gi, name: orig };
      }
    }
    return undefined;
  }

  /** Where a router defined in file `fi` as `name` is mounted: `.use("/p", name)` here or where the file is imported. */
  private jsMount(fi: number, name: string, depth: number): Res {
    const refs = [{ fi, expr: name }, ...this.jsImporters(fi, name)];
    for (const { fi: gi, expr } of refs) {
      const t = this.texts[gi]!;
      const e = esc(expr);
      // RECEIVER.use(<args before>, [name | name.routes()], { prefix })
      const re = new RegExp(
        `((?:this\\s*\\.\\s*)?[A-Za-z_$][\\w$]*(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)\\s*\\.\\s*(?:use|route|register)\\(\\s*((?:[^(),]|\\([^()]*\\))*,\\s*)*?\\[?\\s*${e}(?:\\s*\\.\\s*(?:routes|middleware)\\(\\s*\\))?\\s*\\]?\\s*(,\\s*\\{[^}]*?\\bprefix\\s*:[^}]*\\})?\\s*[,)]`,
        "g",
      );
      for (const m of t.matchAll(re)) {
        const parent = m[1]!.replace(/\s+/g, "");
        if (parent === expr) continue;
        const open = t.indexOf("(", m.index + m[1]!.length);
        const before = t.slice(open + 1, m.index + m[0].length).replace(new RegExp(`(?<![\\w$.])\\[?\\s*${e}(?![\\w$])[\\s\\S]*$`), "");
        const path = this.jsMountPath(before, m[3]);
        if (typeof path !== "string") return { reason: `${path.reason} (in ${this.files[gi]})` };
        const up = this.jsPrefix(gi, parent, m.index, depth + 1);
        if ("reason" in up) return up;
        const prefix = join(up.prefix, path);
        return { prefix: prefix === "/" ? "" : prefix, via: [up.via, path ? `mounted at "${path}" in ${this.files[gi]}` : ""].filter(Boolean).join(", ") };
      }
    }
    return { reason: `${name} is not mounted anywhere the sources read show (no .use(..., ${name}))` };
  }

  /**
   * The path a mount call puts a router under, from what comes before the router (`"/api", auth,`)
   * and an options object (`{ prefix: "/api" }`): a string literal, a constant the sources assign
   * one string, or nothing (middleware only). A path held in something else is not guessed.
   */
  private jsMountPath(before: string, options: string | undefined): string | { reason: string } {
    if (options !== undefined) {
      const v = /\bprefix\s*:\s*([^,}]+)/.exec(options)?.[1]?.trim() ?? "";
      const p = this.jsValue(v);
      return p ?? { reason: `its mount prefix (${v}) is not a string this tool can read` };
    }
    const first = before.split(",")[0]!.trim();
    if (first === "") return "";
    const lit = literalAt(first);
    if (lit !== undefined) return lit;
    // A call or a function is middleware (cors(), express.json(), (req, res, next) => ...).
    if (/\)\s*$|^(?:async\s+)?function\b|=>/.test(first)) return "";
    const v = this.jsValue(first);
    if (v !== undefined) return v;
    if (/prefix|path|base|url|route|mount|api|version/i.test(first) || /^[A-Z][A-Z0-9_]*$/.test(first.split(".").pop() ?? ""))
      return { reason: `its mount path (${first}) is not a string this tool can read` };
    return "";
  }

  /** A string literal, or a name the sources assign exactly one string (`const API_PREFIX = "/api"`, `apiPrefix: "/api"`). */
  private jsValue(expr: string): string | undefined {
    const lit = literalAt(expr);
    if (lit !== undefined) return lit.includes("${") ? undefined : lit;
    const name = /^[\w$.]+$/.exec(expr)?.[0]?.split(".").pop();
    if (name === undefined) return undefined;
    const values = new Set<string>();
    for (const t of this.texts)
      for (const m of (t ?? "").matchAll(
        new RegExp(`(?:\\b(?:const|let|var)\\s+${esc(name)}\\s*(?::\\s*\\w+\\s*)?=|[{,\\s]${esc(name)}\\s*:)\\s*(["'\`])(\\/[^"'\`$]*)\\1`, "g"),
      ))
        values.add(m[2]!);
    return values.size === 1 ? [...values][0] : undefined;
  }

  /** A function whose parameter registers routes: called with an app (`routes(app)`) or registered (`app.register(routes, { prefix })`). */
  private jsFunctionMount(fi: number, fn: FunctionInfo, depth: number): Res {
    const refs = fn.name === undefined ? [] : [{ fi, expr: fn.name }];
    if (fn.exported !== undefined) refs.push(...this.jsImporters(fi, fn.exported));
    for (const { fi: gi, expr } of refs) {
      const t = this.texts[gi]!;
      const e = esc(expr);
      const reg = new RegExp(
        `((?:this\\s*\\.\\s*)?[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*\\.\\s*register\\(\\s*${e}\\s*(?:,\\s*\\{[^}]*?prefix\\s*:\\s*["'\`]([^"'\`]*)["'\`][^}]*\\})?\\s*[,)]`,
        "g",
      );
      for (const m of t.matchAll(reg)) {
        const up = this.jsPrefix(gi, m[1]!.replace(/\s+/g, ""), m.index, depth + 1);
        if ("reason" in up) return up;
        const p = join(up.prefix, m[2] ?? "");
        return { prefix: p === "/" ? "" : p, via: [up.via, m[2] ? `registered with prefix "${m[2]}" in ${this.files[gi]}` : ""].filter(Boolean).join(", ") };
      }
      const call = new RegExp(`(?<![\\w$.])${e}\\(\\s*((?:this\\.)?[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*[,)]`, "g");
      for (const m of t.matchAll(call)) {
        if (gi === fi && m.index >= fn.start && m.index <= fn.end) continue;
        const arg = m[1]!;
        if (fn.param !== 0) continue;
        return this.jsPrefix(gi, arg, m.index, depth + 1);
      }
    }
    // A plugin file loaded by @fastify/autoload from a folder: the folder path is its prefix.
    const auto = this.jsAutoload(fi, depth);
    if (auto !== undefined) return auto;
    return { reason: `the function that registers the route is not called with an app or registered anywhere the sources read show` };
  }

  /**
   * @fastify/autoload: `register(autoload, { dir: path.join(__dirname, "routes"), options: { prefix } })`
   * loads every plugin file under that folder with the prefix `options.prefix` + the folders below
   * it (`dirNameRoutePrefix`, on by default), a file's own `autoPrefix` replacing the folders.
   * Undefined when file `fi` is under no autoloaded folder.
   */
  private jsAutoload(fi: number, depth: number): Res | undefined {
    const file = this.files[fi]!;
    for (let gi = 0; gi < this.files.length; gi++) {
      const t = this.texts[gi];
      if (t === undefined || !/["'`](?:@fastify\/autoload|fastify-autoload)["'`]/.test(t)) continue;
      const binding =
        /(?:import\s+([\w$]+)\s*(?:,\s*\{[^}]*\}\s*)?from|(?:const|let|var)\s+([\w$]+)\s*=\s*require\()\s*["'`](?:@fastify\/autoload|fastify-autoload)["'`]/.exec(
          t,
        );
      const name = binding?.[1] ?? binding?.[2];
      if (name === undefined) continue;
      for (const m of t.matchAll(
        new RegExp(`((?:this\\s*\\.\\s*)?[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*\\.\\s*register\\(\\s*${esc(name)}\\s*,\\s*\\{`, "g"),
      )) {
        const open = m.index + m[0].length - 1;
        const opts = t.slice(open, blockEnd(t, open) + 1);
        const dirArgs = /\bdir\s*:\s*(?:path\s*\.\s*)?(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*([^()]*)\)/.exec(opts)?.[1];
        if (dirArgs === undefined) continue;
        const segs = dirArgs.split(",").map((x) => literalAt(x.trim()));
        if (segs.some((x) => x === undefined)) continue;
        const dir = path.posix.normalize(path.posix.join(path.posix.dirname(this.files[gi]!), ...(segs as string[])));
        if (!file.startsWith(`${dir}/`)) continue;
        const rel = path.posix.dirname(file.slice(dir.length + 1));
        const folders = rel === "." ? [] : rel.split("/");
        const dirName = /\bdirNameRoutePrefix\s*:\s*([^,}\n]+)/.exec(opts)?.[1]?.trim();
        if (dirName !== undefined && dirName !== "true" && dirName !== "false")
          return { reason: `${file}: its folder prefix is rewritten by a dirNameRoutePrefix function this tool does not follow` };
        const optionsPrefixExpr = /\boptions\s*:[^}]*?\bprefix\s*:\s*([^,}\n]+)/.exec(opts)?.[1]?.trim();
        const optionsPrefix = optionsPrefixExpr === undefined ? "" : this.jsValue(optionsPrefixExpr);
        if (optionsPrefix === undefined) return { reason: `${file}: the autoload prefix (${optionsPrefixExpr}) is not a string this tool can read` };
        const own = this.texts[fi]!;
        const autoPrefixExpr = /(?:module\.exports\.autoPrefix|exports\.autoPrefix|export\s+const\s+autoPrefix)\s*=\s*([^;\n]+)/.exec(own)?.[1]?.trim();
        const autoPrefix = autoPrefixExpr === undefined ? undefined : this.jsValue(autoPrefixExpr);
        if (autoPrefixExpr !== undefined && autoPrefix === undefined)
          return { reason: `${file}: its autoPrefix (${autoPrefixExpr}) is not a string this tool can read` };
        const here = autoPrefix ?? (dirName === "false" ? "" : join(...folders));
        // The register call's own prefix: its app, or the application plugin a runner loads.
        let up: { prefix: string; via: string };
        const res = this.jsPrefix(gi, m[1]!.replace(/\s+/g, ""), m.index, depth + 1);
        if ("reason" in res) {
          const fn = enclosingFunction(t, m[1]!.replace(/\s+/g, "").split(".").pop()!, m.index);
          // The plugin function a runner loads (fastify-cli's app.js exports it, typed or not).
          if (fn === undefined) return res;
          up = { prefix: "", via: "" };
        } else up = res;
        const p = join(up.prefix, optionsPrefix, here);
        return {
          prefix: p === "/" ? "" : p,
          via: [
            up.via,
            `loaded by @fastify/autoload from ${dir}${optionsPrefix ? ` with prefix "${optionsPrefix}"` : ""}`,
            autoPrefix !== undefined ? `autoPrefix "${autoPrefix}"` : here !== "/" ? `folder prefix "${here}"` : "",
          ]
            .filter(Boolean)
            .join(", "),
        };
      }
    }
    return undefined;
  }

  /** How other files refer to `exported` of file `fi` (default or named export, require or import). */
  private jsImporters(fi: number, name: string): { fi: number; expr: string }[] {
    const text = this.texts[fi]!;
    const isDefault = new RegExp(
      `(?:module\\.exports\\s*=\\s*${esc(name)}\\b|export\\s+default\\s+(?:async\\s+)?(?:function\\s+)?${esc(name)}\\b|export\\s+default\\s+(?:async\\s+)?function\\s*\\()`,
    ).test(text);
    const namedAs = new RegExp(
      `(?:export\\s+(?:const|let|var|function|async\\s+function)\\s+${esc(name)}\\b|exports\\.${esc(name)}\\s*=|module\\.exports\\s*=\\s*\\{[^}]*\\b${esc(name)}\\b)`,
    ).test(text)
      ? name
      : (new RegExp(`export\\s*\\{[^}]*\\b${esc(name)}\\s+as\\s+(\\w+)`).exec(text)?.[1] ??
        (new RegExp(`export\\s*\\{[^}]*\\b${esc(name)}\\b[^}]*\\}`).test(text) ? name : undefined));
    const out: { fi: number; expr: string }[] = [];
    this.files.forEach((g, gi) => {
      if (gi === fi) return;
      const t = this.texts[gi];
      if (t === undefined) return;
      for (const m of t.matchAll(
        /(?:import\s+([\w$]+)?\s*,?\s*(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*from\s*|(?:const|let|var)\s+(?:([\w$]+)|\{([^}]*)\})\s*=\s*require\(\s*)["'`]([^"'`]+)["'`]/g,
      )) {
        if (resolveJs(g, m[6]!, this.files) !== fi) continue;
        const def = m[1] ?? m[4];
        const braces = m[2] ?? m[5];
        const star = m[3];
        if (isDefault && def !== undefined) out.push({ fi: gi, expr: def });
        if (namedAs !== undefined) {
          const b = braces === undefined ? undefined : new RegExp(`\\b${esc(namedAs)}\\b(?:\\s*(?:as|:)\\s*([\\w$]+))?`).exec(braces);
          if (b) out.push({ fi: gi, expr: b[1] ?? namedAs });
          if (star !== undefined) out.push({ fi: gi, expr: `${star}.${namedAs}` });
          if (def !== undefined && m[4] !== undefined) out.push({ fi: gi, expr: `${def}.${namedAs}` });
        }
      }
      // Inline: app.use("/api", require("./routes/health"))
      for (const m of t.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)(\.[\w$]+)?/g)) {
        if (resolveJs(g, m[1]!, this.files) !== fi) continue;
        if (m[2] === undefined && isDefault) out.push({ fi: gi, expr: m[0] });
        if (m[2] !== undefined && namedAs !== undefined && m[2] === `.${namedAs}`) out.push({ fi: gi, expr: m[0] });
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- NestJS

  private nest(fi: number, text: string): (Route | Unmounted)[] {
    const file = this.files[fi]!;
    const out: (Route | Unmounted)[] = [];
    const ctrl = /@Controller\(\s*(?:(["'`])([^"'`]*)\1|\{[^}]*?path\s*:\s*(["'`])([^"'`]*)\3[^}]*\})?/.exec(text);
    if (ctrl === null) return out;
    const prefix = ctrl[2] ?? ctrl[4] ?? "";
    const opaque = /@Controller\(\s*(?![\s)"'`{])|@Controller\(\s*\{[^}]*\bpath\s*:(?!\s*["'`])/.test(text);
    const global = this.nestGlobal();
    // The controller's version (`@Controller({ version: "1" })`), read only when URI versioning is on.
    const ctrlVersion = global.versioning === undefined ? undefined : nestVersion(/@Controller\(\s*\{([^}]*)\}/.exec(text)?.[1] ?? "", /\bversion\s*:\s*/);
    const className = /@Controller\([^)]*\)\s*(?:@\w+\([^)]*\)\s*)*export\s+(?:default\s+)?class\s+(\w+)/.exec(text)?.[1] ?? /class\s+(\w+)/.exec(text)?.[1];
    const module = className === undefined ? { prefix: "", via: "" } : this.nestModulePath(className);
    for (const m of text.matchAll(/@(?:Get|Head|All)\(\s*(?:(["'`])([^"'`]*)\1)?\s*\)/g)) {
      const sub = m[2] ?? "";
      const local = join(prefix, sub);
      const last = local.split("/").pop() ?? "";
      if (opaque) {
        // @Controller(HEALTH_ROUTE) + @Get(): a health route, by its names, under a path not known.
        const arg = /@Controller\(\s*([^)]*)\)/.exec(text)?.[1]?.trim() ?? "";
        if (/health|live|ready|ping|status/i.test(`${arg} ${sub}`))
          out.push({
            file,
            written: `@Controller(${arg}) ${sub ? `@Get("${sub}")` : "@Get()"}`,
            reason: `${file}: the controller's path is not a string literal`,
          });
        continue;
      }
      if (local !== "/" && !HEALTH_WORD.test(last)) continue;
      if ("reason" in module) {
        out.push({ file, written: local, reason: `${file}: ${module.reason}` });
        continue;
      }
      // URI versioning: the method's @Version, else the controller's, else the default version.
      let version = "";
      let versionVia = "";
      if (global.versioning !== undefined) {
        const v = global.versioning;
        // The decorators of this method: from the end of the previous member to the method's body.
        const startAt = Math.max(text.lastIndexOf("}", m.index), text.lastIndexOf(";", m.index), text.lastIndexOf("{", m.index));
        const bodyAt = text.indexOf("{", m.index + m[0].length);
        const decorators = text.slice(startAt + 1, bodyAt === -1 ? undefined : bodyAt);
        const methodVersion = nestVersion(decorators, /@Version\(\s*/);
        const picked = methodVersion ?? ctrlVersion ?? v.defaultVersion;
        if (picked !== undefined && "reason" in picked) {
          out.push({ file, written: local, reason: `${file}: the controller is versioned (enableVersioning) with ${picked.reason}` });
          continue;
        }
        if (v.prefix === undefined) {
          out.push({ file, written: local, reason: `${file}: the URI version prefix (enableVersioning prefix) is not a string this tool can read` });
          continue;
        }
        if (picked !== undefined && picked.version !== "") {
          version = `${v.prefix}${picked.version}`;
          versionVia = `version "${picked.version}" (${methodVersion ? "@Version" : ctrlVersion ? "@Controller" : "defaultVersion"}, URI versioning)`;
        }
      }
      // Nest composes: global prefix / version / module path (RouterModule) / controller / method.
      const inner = join(version, module.prefix, local);
      const excluded = global.exclude.some((x) => join(x) === inner);
      const full = global.prefix && !excluded ? join(global.prefix, inner) : inner;
      out.push({
        path: full,
        file,
        written: local,
        via: [`@Controller("${prefix}")`, module.via, versionVia, global.prefix && !excluded ? `setGlobalPrefix("${global.prefix}")` : ""]
          .filter(Boolean)
          .join(", "),
      });
    }
    return out;
  }

  private nestCache: ReturnType<Scanner["nestGlobalRead"]> | undefined;

  private nestGlobal(): ReturnType<Scanner["nestGlobalRead"]> {
    this.nestCache ??= this.nestGlobalRead();
    return this.nestCache;
  }

  private nestGlobalRead(): {
    prefix?: string | undefined;
    exclude: string[];
    /** URI versioning: its prefix ("v" by default; undefined when not a string literal) and default version. */
    versioning?: { prefix: string | undefined; defaultVersion: NestVersion | undefined } | undefined;
    routes: NestRoutes;
  } {
    let prefix: string | undefined;
    let exclude: string[] = [];
    let versioning: { prefix: string | undefined; defaultVersion: NestVersion | undefined } | undefined;
    let routes: NestRoutes = { tree: [] };
    this.texts.forEach((t, ti) => {
      if (t === undefined) return;
      const g = /setGlobalPrefix\(\s*["'`]\/?([^"'`]*?)\/?["'`]\s*(?:,\s*\{([\s\S]*?)\}\s*)?\)/.exec(t);
      if (g !== null) {
        prefix = g[1];
        exclude = [...(g[2] ?? "").matchAll(/["'`]\/?([^"'`]+)["'`]/g)].map((m) => m[1]!);
      }
      const ev = /\benableVersioning\(/.exec(t);
      if (ev !== null) {
        const open = ev.index + ev[0].length - 1;
        const args = t.slice(open + 1, blockEnd(t, open));
        // enableVersioning() defaults to URI versioning; header, media type and custom versioning leave paths alone.
        if (args.trim() === "" || /\btype\s*:\s*VersioningType\.URI\b/.test(args)) {
          const p = /\bprefix\s*:\s*([^,}\n]+)/.exec(args)?.[1]?.trim();
          const lit = p === undefined ? "v" : p === "false" ? "" : literalAt(p);
          versioning = { prefix: lit, defaultVersion: nestVersion(args, /\bdefaultVersion\s*:\s*/) };
        }
      }
      const rm = /RouterModule\.register\(\s*/.exec(t);
      if (rm !== null) {
        const at = rm.index + rm[0].length;
        let arr: string | undefined;
        if (t[at] === "[") arr = t.slice(at, blockEnd(t, at) + 1);
        else {
          // RouterModule.register(routes), the routes a `const routes: Routes = [...]` in the sources.
          const id = /^[\w$]+/.exec(t.slice(at))?.[0];
          for (const u of id === undefined ? [] : [t, ...this.texts.filter((x, xi) => x !== undefined && xi !== ti)]) {
            const d = new RegExp(`\\b(?:const|let|var)\\s+${esc(id!)}\\s*(?::\\s*[\\w.<>\\[\\]]+\\s*)?=\\s*\\[`).exec(u!);
            if (d !== null) {
              const o = d.index + d[0].length - 1;
              arr = u!.slice(o, blockEnd(u!, o) + 1);
              break;
            }
          }
        }
        routes = arr === undefined ? { tree: [], reason: "RouterModule.register is given routes this tool cannot read" } : { tree: nestRouteTree(arr) };
      }
    });
    return { prefix: prefix || undefined, exclude, versioning, routes };
  }

  /** The path RouterModule puts a controller's module under: the module whose `controllers` lists it. */
  private nestModulePath(className: string): { prefix: string; via: string } | { reason: string } {
    const { routes } = this.nestGlobal();
    if (routes.tree.length === 0 && routes.reason === undefined) return { prefix: "", via: "" };
    let moduleName: string | undefined;
    for (const t of this.texts) {
      if (t === undefined) continue;
      for (const m of t.matchAll(/@Module\(\s*\{/g)) {
        const open = m.index + m[0].length - 1;
        const body = t.slice(open, blockEnd(t, open) + 1);
        const ctrls = /\bcontrollers\s*:\s*\[([^\]]*)\]/.exec(body)?.[1] ?? "";
        if (!new RegExp(`(?<![\\w$])${esc(className)}(?![\\w$])`).test(ctrls)) continue;
        moduleName = /class\s+(\w+)/.exec(t.slice(open + body.length))?.[1];
      }
    }
    if (moduleName === undefined)
      return routes.reason !== undefined
        ? { reason: routes.reason }
        : { reason: `the module declaring ${className} is not found, and RouterModule may mount it under a path` };
    const find = (nodes: NestRouteNode[], up: string): string | undefined => {
      for (const n of nodes) {
        const here = join(up, n.path);
        if (n.module === moduleName) return here;
        const sub = find(n.children, here);
        if (sub !== undefined) return sub;
      }
      return undefined;
    };
    const p = find(routes.tree, "");
    if (p === undefined) return routes.reason !== undefined ? { reason: routes.reason } : { prefix: "", via: "" };
    if (p === "/") return { prefix: "", via: "" };
    return { prefix: p, via: `RouterModule path "${p}" for ${moduleName}` };
  }

  // ---------------------------------------------------------------- Python (Flask, FastAPI, Django)

  private pyPrefix(fi: number, receiver: string, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    const text = this.texts[fi]!;
    const file = this.files[fi]!;
    if (receiver.includes(".")) return { reason: `${file}: routes on ${receiver} are not followed` };
    const def = new RegExp(`^[ \\t]*${esc(receiver)}\\s*(?::\\s*[\\w.\\[\\]]+\\s*)?=\\s*([\\w.]+)\\(`, "m").exec(text);
    if (def === null) {
      // Imported from the module that defines it (Flask: `from . import main` in main/views.py).
      for (const m of text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+\(?([\w\s,]+?)\)?\s*$/gm)) {
        for (const item of m[2]!.split(",")) {
          const [what, as] = item.trim().split(/\s+as\s+/);
          if ((as ?? what) !== receiver || what === undefined) continue;
          const gi = resolvePy(file, m[1]!, this.files);
          if (gi !== -1 && gi !== fi) return this.pyPrefix(gi, what, depth + 1);
        }
      }
      return APP_NAME.test(receiver) ? ROOT : { reason: `${file}: where ${receiver} comes from is not found` };
    }
    const ctor = def[1]!.split(".").pop()!;
    if (/^(?:Flask|Quart|FastAPI|Starlette|Sanic|Litestar|APIFlask)$/.test(ctor)) return this.pyAppMount(fi, receiver, depth);
    const restful = this.texts.some((t) => /\b(?:from|import)\s+flask_rest(?:x|ful|plus)\b/.test(t ?? ""));
    if (restful && (ctor === "Api" || ctor === "Namespace" || ctor === "namespace")) return this.pyRestful(fi, receiver, def, ctor, depth);
    if (ctor !== "Blueprint" && ctor !== "APIRouter") return { reason: `${file}: ${receiver} = ${ctor}(...) is not a router this tool follows` };
    const open = def.index + def[0].length - 1;
    const args = text.slice(open, blockEnd(text, open) + 1);
    const ownArg = /\b(?:url_)?prefix\s*=\s*([^,)\n]+)/.exec(args)?.[1];
    let own = "";
    if (ownArg !== undefined) {
      const v = this.pyValue(ownArg.trim());
      if (v === undefined) return { reason: `${file}: the prefix of ${receiver} (${ownArg.trim()}) is not a string this tool can read` };
      own = v;
    }
    const mount = this.pyMount(fi, receiver, ctor, depth);
    if ("reason" in mount) return { reason: `${file}: ${mount.reason}` };
    // Flask: a url_prefix given at registration replaces the blueprint's own; FastAPI adds both.
    const inner = ctor === "Blueprint" && mount.replaced ? "" : own;
    const p = join(mount.prefix, inner);
    return {
      prefix: p === "/" ? "" : p,
      via: [mount.via, inner ? `${ctor}(${ctor === "Blueprint" ? "url_prefix" : "prefix"}="${inner}")` : ""].filter(Boolean).join(", "),
    };
  }

  /**
   * Flask-RESTX / Flask-RESTful: an `Api(app_or_blueprint, prefix=...)` is under its app's or
   * blueprint's path and its own prefix; a `Namespace("name", path=...)` (path "/name" by default)
   * is under the Api it is added to (`api.add_namespace(ns, path=...)`, whose path replaces it).
   */
  private pyRestful(fi: number, receiver: string, def: RegExpExecArray, ctor: string, depth: number): Res {
    const text = this.texts[fi]!;
    const file = this.files[fi]!;
    const open = def.index + def[0].length - 1;
    const args = text.slice(open + 1, blockEnd(text, open));
    const kw = (k: string) => new RegExp(`\\b${k}\\s*=\\s*([^,)\\n]+)`).exec(args)?.[1]?.trim();
    const positional = args
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== "" && !/^\w+\s*=/.test(a));
    if (ctor === "Api") {
      const pre = kw("prefix");
      const own = pre === undefined ? "" : this.pyValue(pre);
      if (own === undefined) return { reason: `${file}: the prefix of ${receiver} (${pre}) is not a string this tool can read` };
      // Api(app) / Api(bp), or Api() and api.init_app(app_or_bp) later.
      let target: { fi: number; name: string } | undefined =
        positional[0] !== undefined && /^\w+$/.test(positional[0]) ? { fi, name: positional[0] } : undefined;
      if (target === undefined)
        for (const { fi: gi, expr } of [{ fi, expr: receiver }, ...this.pyImporters(fi, receiver)]) {
          const m = new RegExp(`(?<![\\w.])${esc(expr)}\\s*\\.\\s*init_app\\(\\s*(\\w+)`).exec(this.texts[gi]!);
          if (m !== null) {
            target = { fi: gi, name: m[1]! };
            break;
          }
        }
      if (target === undefined) return { reason: `${file}: ${receiver} = Api() is not given an app or blueprint anywhere the sources read show` };
      const up = this.pyPrefix(target.fi, target.name, depth + 1);
      if ("reason" in up) return up;
      const p = join(up.prefix, own);
      return { prefix: p === "/" ? "" : p, via: [up.via, own ? `Api(prefix="${own}")` : ""].filter(Boolean).join(", ") };
    }
    // A namespace: its own path ("/" + its name unless path= is given).
    const pathArg = kw("path");
    const nameArg = positional[0];
    const own =
      pathArg !== undefined ? this.pyValue(pathArg) : nameArg !== undefined && literalAt(nameArg) !== undefined ? `/${literalAt(nameArg)}` : undefined;
    if (ctor === "namespace") {
      // api.namespace("name", path=...): made by the Api itself.
      if (own === undefined) return { reason: `${file}: the path of ${receiver} (${pathArg ?? nameArg}) is not a string this tool can read` };
      const api = def[1]!.split(".").slice(0, -1).join(".");
      const up = this.pyPrefix(fi, api, depth + 1);
      if ("reason" in up) return up;
      const p = join(up.prefix, own);
      return { prefix: p === "/" ? "" : p, via: [up.via, `namespace path "${own}"`].filter(Boolean).join(", ") };
    }
    for (const { fi: gi, expr } of [{ fi, expr: receiver }, ...this.pyImporters(fi, receiver)]) {
      const t = this.texts[gi]!;
      const m = new RegExp(`([A-Za-z_]\\w*)\\s*\\.\\s*add_namespace\\(\\s*${esc(expr)}\\s*[,)]`).exec(t);
      if (m === null) continue;
      const o = t.indexOf("(", m.index);
      const call = t.slice(o, blockEnd(t, o) + 1);
      const over = /\bpath\s*=\s*([^,)\n]+)/.exec(call)?.[1]?.trim();
      const here = over !== undefined ? this.pyValue(over) : own;
      if (here === undefined) return { reason: `${file}: the path of ${receiver} (${over ?? pathArg ?? nameArg}) is not a string this tool can read` };
      const up = this.pyPrefix(gi, m[1]!, depth + 1);
      if ("reason" in up) return up;
      const p = join(up.prefix, here);
      return {
        prefix: p === "/" ? "" : p,
        via: [up.via, over !== undefined ? `add_namespace(..., path="${here}") in ${this.files[gi]}` : `namespace path "${here}"`].filter(Boolean).join(", "),
      };
    }
    return { reason: `${file}: ${receiver} is not added to an Api anywhere the sources read show (no add_namespace(${receiver}))` };
  }

  /** An application mounted in another: `app.mount("/p", sub)`, `Mount("/p", app=sub)`; else the root. */
  private pyAppMount(fi: number, name: string, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    for (const { fi: gi, expr } of [{ fi, expr: name }, ...this.pyImporters(fi, name)]) {
      const t = this.texts[gi]!;
      const m = new RegExp(`([A-Za-z_]\\w*)\\s*\\.\\s*mount\\(\\s*(?:path\\s*=\\s*)?([^,]+?)\\s*,\\s*(?:app\\s*=\\s*)?${esc(expr)}\\s*[,)]`).exec(t);
      const mm = m ?? new RegExp(`(?<![\\w.])Mount\\(\\s*([^,]+?)\\s*,\\s*app\\s*=\\s*${esc(expr)}\\s*[,)]`).exec(t);
      if (mm === null) continue;
      const pathExpr = (m !== null ? m[2] : mm[1])!;
      const here = this.pyValue(pathExpr);
      if (here === undefined)
        return { reason: `${this.files[fi]}: ${name} is mounted at ${pathExpr.trim()} (in ${this.files[gi]}), not a string this tool can read` };
      const up = m !== null ? this.pyPrefix(gi, m[1]!, depth + 1) : this.starlettePrefix(gi, mm.index, depth + 1);
      if ("reason" in up) return up;
      const p = join(up.prefix, here);
      return { prefix: p === "/" ? "" : p, via: [up.via, `${name} mounted at "${here}" in ${this.files[gi]}`].filter(Boolean).join(", ") };
    }
    return ROOT;
  }

  /**
   * Starlette: the prefix of a route at `at`: the `Mount("/p", routes=[...])` blocks around it, and
   * where the list it is in is mounted (`api = [Route(...)]` then `Mount("/api", routes=api)`).
   */
  private starlettePrefix(fi: number, at: number, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    const text = this.texts[fi]!;
    const file = this.files[fi]!;
    const parts: string[] = [];
    let outer = -1;
    for (const m of text.slice(0, at).matchAll(/(?<![\w.])Mount\(\s*/g)) {
      const o = text.indexOf("(", m.index);
      if (blockEnd(text, o) < at) continue;
      const arg = /^\s*(?:path\s*=\s*)?([^,)]+)/.exec(text.slice(o + 1))?.[1]?.trim() ?? "";
      const v = this.pyValue(arg);
      if (v === undefined) return { reason: `${file}: the path of Mount(${arg}, ...) is not a string this tool can read` };
      parts.push(v);
      if (outer === -1) outer = m.index;
    }
    const first = outer === -1 ? at : outer;
    // The list the route (or its outermost Mount) is in, when it is assigned to a name.
    let up: Res = ROOT;
    for (const m of text.slice(0, first).matchAll(/^([A-Za-z_]\w*)\s*(?::\s*[\w.[\]]+\s*)?=\s*\[/gm)) {
      const o = m.index + m[0].length - 1;
      if (blockEnd(text, o) < first) continue;
      const name = m[1]!;
      for (const { fi: gi, expr } of [{ fi, expr: name }, ...this.pyImporters(fi, name)]) {
        const t = this.texts[gi]!;
        const mount = new RegExp(`(?<![\\w.])Mount\\(\\s*(?:path\\s*=\\s*)?([^,]+?)\\s*,\\s*routes\\s*=\\s*${esc(expr)}\\s*[,)]`).exec(t);
        if (mount === null) continue;
        const v = this.pyValue(mount[1]!);
        if (v === undefined) return { reason: `${file}: ${name} is mounted at ${mount[1]!.trim()} (in ${this.files[gi]}), not a string this tool can read` };
        const above = this.starlettePrefix(gi, mount.index, depth + 1);
        if ("reason" in above) return above;
        up = { prefix: join(above.prefix, v), via: [above.via, `Mount("${v}", routes=${name}) in ${this.files[gi]}`].filter(Boolean).join(", ") };
        break;
      }
    }
    if ("reason" in up) return up;
    const p = join(up.prefix, ...parts);
    return {
      prefix: p === "/" ? "" : p,
      via: [up.via, ...parts.filter((x) => x !== "" && x !== "/").map((x) => `Mount("${x}")`)].filter(Boolean).join(", "),
    };
  }

  private pyMount(fi: number, name: string, ctor: string, depth: number): { prefix: string; via: string; replaced: boolean } | { reason: string } {
    // Flask register_blueprint, Sanic app.blueprint; FastAPI include_router.
    const call = ctor === "Blueprint" ? "register_blueprint" : "include_router";
    const calls = ctor === "Blueprint" ? "(?:register_blueprint|blueprint)" : call;
    const refs = [{ fi, expr: name }, ...this.pyImporters(fi, name)];
    for (const { fi: gi, expr } of refs) {
      const t = this.texts[gi]!;
      const re = new RegExp(`([A-Za-z_]\\w*)\\s*\\.\\s*${calls}\\(\\s*${esc(expr)}\\s*[,)]`, "g");
      for (const m of t.matchAll(re)) {
        const open = t.indexOf("(", m.index);
        const args = t.slice(open, blockEnd(t, open) + 1);
        const arg = /\b(?:url_)?prefix\s*=\s*([^,)\n]+)/.exec(args)?.[1];
        let here = "";
        if (arg !== undefined) {
          const v = this.pyValue(arg.trim());
          if (v === undefined) return { reason: `the prefix ${name} is mounted with (${arg.trim()}, in ${this.files[gi]}) is not a string this tool can read` };
          here = v;
        }
        const up = this.pyPrefix(gi, m[1]!, depth + 1);
        if ("reason" in up) return up;
        const p = join(up.prefix, here);
        return {
          prefix: p === "/" ? "" : p,
          via: [up.via, here ? `${call}(..., ${ctor === "Blueprint" ? "url_prefix" : "prefix"}="${here}") in ${this.files[gi]}` : ""]
            .filter(Boolean)
            .join(", "),
          replaced: arg !== undefined,
        };
      }
    }
    return { reason: `${name} is not registered anywhere the sources read show (no ${call}(${name}, ...))` };
  }

  /** A string literal, or a module-level constant assigned one string in the sources ("/api/v1"). */
  private pyValue(expr: string): string | undefined {
    const lit = literalAt(expr);
    if (lit !== undefined) return lit;
    const attr = /^[\w.]+$/.exec(expr)?.[0]?.split(".").pop();
    if (attr === undefined) return undefined;
    const values = new Set<string>();
    for (const t of this.texts)
      for (const m of (t ?? "").matchAll(new RegExp(`^[ \\t]*${esc(attr)}\\s*(?::\\s*[\\w\\[\\]]+\\s*)?=\\s*(["'])([^"'\\n]*)\\1`, "gm"))) values.add(m[2]!);
    return values.size === 1 ? [...values][0] : undefined;
  }

  /** How other Python files refer to `name` of file `fi`: `from pkg.mod import name as x`, `from pkg import mod` → `mod.name`. */
  private pyImporters(fi: number, name: string): { fi: number; expr: string }[] {
    const out: { fi: number; expr: string }[] = [];
    this.files.forEach((g, gi) => {
      if (gi === fi) return;
      const t = this.texts[gi];
      if (t === undefined) return;
      for (const m of t.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+\(?([\w\s,]+?)\)?\s*$/gm)) {
        const mod = m[1]!;
        for (const item of m[2]!.split(",")) {
          const [what, as] = item.trim().split(/\s+as\s+/);
          if (what === undefined || what === "") continue;
          if (what === name && resolvePy(g, mod, this.files) === fi) out.push({ fi: gi, expr: as ?? what });
          if (resolvePy(g, mod.endsWith(".") ? `${mod}${what}` : `${mod}.${what}`, this.files) === fi) out.push({ fi: gi, expr: `${as ?? what}.${name}` });
        }
      }
      for (const m of t.matchAll(/^[ \t]*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/gm)) {
        if (resolvePy(g, m[1]!, this.files) === fi) out.push({ fi: gi, expr: `${m[2] ?? m[1]}.${name}` });
      }
    });
    return out;
  }

  /**
   * Django: a route in an app's URLconf is under the path each include() on the way from the
   * project's URLconf (ROOT_URLCONF) puts it: `path("api/", include("shop.urls"))`, the 2-tuple
   * `include(("shop.urls", "shop"), namespace=...)`, a module imported and passed by name
   * (`from shop import urls as shop_urls` ... `include(shop_urls)`), and an inline list
   * `include([path(...), ...])` (docs.djangoproject.com/en/stable/topics/http/urls/#including-other-urlconfs).
   * A URLconf that is not ROOT_URLCONF and that no include() reaches serves nothing.
   */
  private django(fi: number, route: string, at: number): Route | Unmounted {
    const file = this.files[fi]!;
    const text = this.texts[fi]!;
    // Inline lists this route is inside, innermost last.
    const inline: string[] = [];
    for (const m of text.matchAll(/\b(?:path|re_path|url)\(\s*r?["']\^?([^"'$]*)\$?["']\s*,\s*include\(\s*\[/g)) {
      const open = m.index + m[0].length - 1;
      if (m.index < at && blockEnd(text, open) > at) inline.push(m[1]!);
    }
    const res = this.djangoPrefix(fi, 0);
    if ("reason" in res) return { file, written: route, reason: res.reason };
    const prefix = join(res.prefix, ...inline);
    const via = [res.via, ...inline.map((p) => `include([...]) at "${p}" in ${file}`)].filter(Boolean).join(", ");
    return { path: compose(prefix === "/" ? "" : prefix, route), file, written: route, via };
  }

  /** The path the URLconf in file `fi` is included at, through every include() up to the project's. */
  private djangoPrefix(fi: number, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    const file = this.files[fi]!;
    const mod = file.replace(/\.py$/, "").replace(/\//g, ".");
    const isMod = (from: string, name: string) => mod === name || mod.endsWith(`.${name}`) || resolvePy(from, name, this.files) === fi;
    for (let gi = 0; gi < this.files.length; gi++) {
      const t = this.texts[gi];
      const g = this.files[gi]!;
      if (t === undefined || gi === fi) continue;
      // Names this file binds to the URLconf module: `from pkg import urls as x`, `import pkg.urls`.
      const names = new Set<string>();
      for (const m of t.matchAll(/^\s*from\s+([\w.]+)\s+import\s+\(?([^)\n]+)\)?/gm))
        for (const item of m[2]!.split(",")) {
          const [orig, alias] = item.trim().split(/\s+as\s+/);
          if (orig && isMod(g, `${m[1]}${m[1]!.endsWith(".") ? "" : "."}${orig}`)) names.add(alias ?? orig);
        }
      for (const m of t.matchAll(/^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?/gm)) if (isMod(g, m[1]!)) names.add(m[2] ?? m[1]!);
      for (const m of t.matchAll(/\b(?:path|re_path|url)\(\s*r?["']\^?([^"'$]*)\$?["']\s*,\s*include\(\s*\(?\s*(?:["']([\w.]+)["']|([\w.]+))/g)) {
        const hit = m[2] !== undefined ? isMod(g, m[2]) : names.has(m[3]!);
        if (!hit) continue;
        const up = this.djangoPrefix(gi, depth + 1);
        if ("reason" in up) return up;
        const p = join(up.prefix, m[1]!);
        return {
          prefix: p === "/" ? "" : p,
          via: [up.via, `include(${m[2] !== undefined ? `"${m[2]}"` : m[3]}) at "${m[1]}" in ${g}`].filter(Boolean).join(", "),
        };
      }
    }
    // Not included anywhere read: the project's own URLconf, unless settings name another one.
    const roots = new Set<string>();
    for (const t of this.texts) for (const m of (t ?? "").matchAll(/^\s*ROOT_URLCONF\s*=\s*["']([\w.]+)["']/gm)) roots.add(m[1]!);
    if (roots.size > 0 && ![...roots].some((r) => mod === r || mod.endsWith(`.${r}`)))
      return { reason: `${file}: it is not the project's URLconf (ROOT_URLCONF "${[...roots].join('", "')}") and no include() of it was found` };
    return ROOT;
  }

  // ---------------------------------------------------------------- Go (net/http, gin, echo, chi, gorilla, fiber)

  private goPrefix(fi: number, receiver: string, at: number, depth: number): Res {
    if (depth > this.depthLimit) return TOO_DEEP;
    const text = this.texts[fi]!;
    const file = this.files[fi]!;
    if (receiver === "http") return ROOT;
    const name = receiver.split(".").pop()!;
    // A closure parameter: r.Route("/api", func(r chi.Router) { ... }), r.Group(func(r chi.Router) { ... }).
    const closure = enclosingGoClosure(text, name, at);
    if (closure !== undefined) {
      if (closure.path === undefined) return { reason: `${file}: the path of ${closure.outer}.Route(...) is not a string literal` };
      const path = closure.path;
      const outer = this.goPrefix(fi, closure.outer, closure.index, depth + 1);
      if ("reason" in outer) return outer;
      const p = join(outer.prefix, path);
      return { prefix: p === "/" ? "" : p, via: [outer.via, path ? `${closure.outer}.Route("${path}")` : ""].filter(Boolean).join(", ") };
    }
    const def = goDefinition(text, name, at) ?? (receiver.includes(".") ? this.goField(name) : this.goPackageVar(fi, name));
    if (def !== undefined) {
      const d = def.rhs;
      if (
        /^(?:gin\.(?:Default|New)|echo\.New|chi\.(?:NewRouter|NewMux)|mux\.NewRouter|http\.NewServeMux|fiber\.New|httprouter\.New|bunrouter\.New|gorillamux\.NewRouter)\(/.test(
          d,
        )
      )
        return this.goMounted(def.fi ?? fi, name, def.func, depth);
      const g = /^([\w.]+)\s*\.\s*(?:Group|PathPrefix|Route)\(\s*"([^"]*)"/.exec(d);
      if (g !== null) {
        const up = this.goPrefix(def.fi ?? fi, g[1]!, def.index, depth + 1);
        if ("reason" in up) return up;
        const p = join(up.prefix, g[2]!);
        return { prefix: p === "/" ? "" : p, via: [up.via, `${g[1]}.Group("${g[2]}")`].filter(Boolean).join(", ") };
      }
      return { reason: `${file}: ${name} is not a router this tool follows` };
    }
    // A function parameter: its type says whether it is the engine itself or a group.
    const param = goParam(text, name, at);
    if (param !== undefined) {
      if (/^\*(?:gin\.Engine|echo\.Echo|fiber\.App|http\.ServeMux)$/.test(param.type)) return ROOT;
      for (let gi = 0; gi < this.files.length; gi++) {
        const t = this.texts[gi];
        if (t === undefined) continue;
        for (const m of t.matchAll(new RegExp(`(?<![\\w])${esc(param.func)}\\(([^()]*)\\)`, "g"))) {
          if (gi === fi && m.index >= param.start - 200 && m.index <= param.start + 5) continue;
          const arg = m[1]!.split(",")[param.position]?.trim();
          if (arg === undefined || !/^[\w.]+$/.test(arg)) continue;
          return this.goPrefix(gi, arg, m.index, depth + 1);
        }
      }
      return { reason: `${file}: ${name} is a parameter of ${param.func} (${param.type}), and no call of ${param.func} is found` };
    }
    if (APP_NAME.test(name)) return ROOT;
    return { reason: `${file}: where ${name} comes from is not found` };
  }

  /** A package-level `var name = ...` in another file of the same package. */
  private goPackageVar(fi: number, name: string): { rhs: string; index: number; func?: string; fi?: number } | undefined {
    const dir = path.posix.dirname(this.files[fi]!);
    for (let gi = 0; gi < this.files.length; gi++) {
      const t = this.texts[gi];
      if (t === undefined || gi === fi || path.posix.dirname(this.files[gi]!) !== dir) continue;
      const m = new RegExp(`^var\\s+${esc(name)}\\s*(?:[\\w.*]+\\s*)?=\\s*([^\\n;]+)`, "m").exec(t);
      if (m !== null) return { rhs: m[1]!.trim(), index: m.index, fi: gi };
    }
    return undefined;
  }

  /** A struct field's router (s.router = gin.New(), router: chi.NewRouter()), in any file. */
  private goField(field: string): { rhs: string; index: number; func?: string; fi?: number } | undefined {
    for (let gi = 0; gi < this.files.length; gi++) {
      const t = this.texts[gi];
      if (t === undefined) continue;
      const m = new RegExp(`(?:\\.${esc(field)}\\s*=|\\b${esc(field)}\\s*:)\\s*([^\\n;]+)`).exec(t);
      if (m !== null && /^(?:gin|echo|chi|mux|http|fiber)\./.test(m[1]!.trim())) return { rhs: m[1]!.trim(), index: m.index, fi: gi };
    }
    return undefined;
  }

  /** A router made in a function other than main may be mounted: chi Mount("/p", router) / Mount("/p", makeRouter()). */
  private goMounted(fi: number, name: string, func: string | undefined, depth: number): Res {
    for (let gi = 0; gi < this.files.length; gi++) {
      const t = this.texts[gi];
      if (t === undefined) continue;
      const call = func !== undefined && func !== "main" ? `(?:\\w+\\.)?${esc(func)}\\([^()]*\\)` : undefined;
      const refs = [gi === fi ? esc(name) : undefined, call];
      // What the function returns, held in a variable first: api := catalog.Handler().
      if (call !== undefined) for (const v of t.matchAll(new RegExp(`(\\w+)\\s*:?=\\s*${call}`, "g"))) refs.push(esc(v[1]!));
      for (const r of refs.filter((x): x is string => x !== undefined)) {
        // chi: Mount("/p", sub); net/http: Handle("/p/", http.StripPrefix("/p", sub)) (the sub-mux sees the rest).
        const m =
          new RegExp(`([\\w.]+)\\s*\\.\\s*Mount\\(\\s*"([^"]*)"\\s*,\\s*${r}\\s*\\)`).exec(t) ??
          new RegExp(`([\\w.]+)\\s*\\.\\s*Handle\\(\\s*"[^"]*"\\s*,\\s*http\\.StripPrefix\\(\\s*"([^"]*)"\\s*,\\s*${r}\\s*\\)`).exec(t);
        if (m === null) continue;
        const up = this.goPrefix(gi, m[1]!, m.index, depth + 1);
        if ("reason" in up) return up;
        const p = join(up.prefix, m[2]!);
        const how = /\.\s*Mount\(/.test(m[0]) ? `Mount("${m[2]}")` : `http.StripPrefix("${m[2]}")`;
        return { prefix: p === "/" ? "" : p, via: [up.via, `${how} in ${this.files[gi]}`].filter(Boolean).join(", ") };
      }
    }
    return ROOT;
  }

  // ---------------------------------------------------------------- Java (Spring MVC, JAX-RS)

  /**
   * Ktor: `routing { route("/api") { get("/health") { ... } } }`, each GET route with the paths of
   * the route blocks around it. One in a `fun Route.x()` extension outside a routing block is
   * mounted where x() is called, which is not followed.
   */
  private ktor(fi: number, text: string): (Route | Unmounted)[] {
    const file = this.files[fi]!;
    const out: (Route | Unmounted)[] = [];
    const stack: { kind: "routing" | "route" | "other"; path: string }[] = [];
    const body = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
    for (const m of body.matchAll(/\brouting\s*\{|\broute\(\s*"([^"]*)"\s*\)\s*\{|\b(?:get|head)(?:\(\s*"([^"]*)"\s*\)|\s*(?=\{))|"(?:[^"\\]|\\.)*"|\{|\}/g)) {
      const t = m[0];
      if (t.startsWith('"')) continue;
      if (t === "}") stack.pop();
      else if (t === "{") stack.push({ kind: "other", path: "" });
      else if (/^routing/.test(t)) stack.push({ kind: "routing", path: "" });
      else if (/^route\(/.test(t)) stack.push({ kind: "route", path: m[1] ?? "" });
      else {
        const inRouting = stack.findIndex((e) => e.kind === "routing");
        const prefix = stack
          .slice(inRouting + 1)
          .filter((e) => e.kind === "route")
          .map((e) => e.path);
        const written = m[2] ?? "";
        const local = join(...prefix, written);
        const last = local.replace(/\/$/, "").split("/").pop() ?? "";
        if (local !== "/" && !HEALTH_WORD.test(last)) continue;
        if (inRouting < 0) {
          out.push({ file, written: local, reason: `${file}: a route of a Route extension function, mounted where it is called (not followed)` });
          continue;
        }
        out.push({ path: local, file, written: written || local, via: prefix.length ? `route("${prefix.join('") > route("')}")` : "" });
      }
    }
    return out;
  }

  private java(fi: number, text: string): (Route | Unmounted)[] {
    const file = this.files[fi]!;
    const out: (Route | Unmounted)[] = [];
    const classAt = /\b(?:class|object)\s+\w+/.exec(text)?.index ?? 0;
    const head = text.slice(0, classAt);
    const mapping = /@(?:RequestMapping|Path)\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)"/.exec(head)?.[1] ?? "";
    const opaque = mapping === "" && /@(?:RequestMapping|Path)\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*[A-Za-z_][\w.]*\s*[,)}]/.test(head);
    const ctx = this.ctx.contextPath ?? "";
    for (const m of text.matchAll(/@(?:GetMapping|RequestMapping|Path|GET)\b(?:\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*(?:"([^"]*)")?[^)]*\))?/g)) {
      if (m.index < classAt) continue;
      if (/@RequestMapping/.test(m[0]) && /method\s*=/.test(m[0]) && !/GET|HEAD/.test(m[0])) continue;
      if (/@Path\b/.test(m[0]) && !/@GET\b/.test(text.slice(Math.max(0, m.index - 120), m.index + 200))) continue;
      if (/@GET\b/.test(m[0]) && m[1] === undefined) {
        // JAX-RS: a @GET method without its own @Path serves the class path.
        const near = text.slice(m.index, m.index + 200);
        if (/@Path\(/.test(near)) continue;
      }
      const sub = m[1] ?? "";
      const local = join(mapping, sub);
      const last = local.split("/").pop() ?? "";
      if (local !== "/" && !HEALTH_WORD.test(last)) continue;
      if (opaque) {
        out.push({ file, written: local, reason: `${file}: the class's @RequestMapping path is not a string literal` });
        continue;
      }
      if (/@GetMapping\b$|@GetMapping\(\s*\)/.test(m[0]) && mapping === "" && sub === "") {
        out.push({ path: join(ctx, "/"), file, written: "/", via: ctx ? `context path "${ctx}"` : "" });
        continue;
      }
      out.push({
        path: join(ctx, local),
        file,
        written: sub || local,
        via: [mapping ? `class mapping "${mapping}"` : "", ctx ? `context path "${ctx}"` : ""].filter(Boolean).join(", "),
      });
    }
    return out;
  }
}

// ---------------------------------------------------------------- NestJS helpers

type NestVersion = { version: string } | { reason: string };
interface NestRouteNode {
  path: string;
  module: string | undefined;
  children: NestRouteNode[];
}
interface NestRoutes {
  tree: NestRouteNode[];
  reason?: string;
}

/**
 * A Nest version after `key` in `text` ("1", ["1", "2"]: the first, VERSION_NEUTRAL: none);
 * undefined when there is none; a reason when it is not a literal.
 */
function nestVersion(text: string, key: RegExp): NestVersion | undefined {
  const m = new RegExp(`${key.source}(\\[[^\\]]*\\]|[^,)}\\n]+)`).exec(text);
  if (m === null) return undefined;
  const expr = m[1]!.trim();
  const first = expr.startsWith("[") ? (expr.slice(1).split(",")[0] ?? "").trim() : expr;
  if (/^VERSION_NEUTRAL$/.test(first)) return { version: "" };
  const lit = literalAt(first);
  if (lit !== undefined) return { version: lit };
  return { reason: `a version that is not a string literal (${expr})` };
}

/** RouterModule routes `[{ path, module, children: [...] }, ...]`, read from their source text. */
function nestRouteTree(arr: string): NestRouteNode[] {
  const out: NestRouteNode[] = [];
  let i = 1;
  while (i < arr.length - 1) {
    const c = arr[i]!;
    if (c === "{") {
      const end = blockEnd(arr, i);
      const obj = arr.slice(i, end + 1);
      // The object's own keys: its children's text removed first.
      const ch = /\bchildren\s*:\s*\[/.exec(obj);
      const childArr = ch === null ? undefined : obj.slice(ch.index + ch[0].length - 1, blockEnd(obj, ch.index + ch[0].length - 1) + 1);
      const own = childArr === undefined ? obj : obj.replace(childArr, "[]");
      out.push({
        path: literalAt(/\bpath\s*:\s*([^,}\n]+)/.exec(own)?.[1] ?? "") ?? "",
        module: /\bmodule\s*:\s*([\w$]+)/.exec(own)?.[1],
        children: childArr === undefined ? [] : nestRouteTree(childArr),
      });
      i = end + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      // A bare module in children: under its parent's path.
      const id = /^[\w$]+/.exec(arr.slice(i))![0];
      out.push({ path: "", module: id, children: [] });
      i += id.length;
    } else i++;
  }
  return out;
}

/** Health routes (and root routes) with their full paths; routes whose mount is not followed. */
export function scanRoutes(lang: Lang, files: string[], texts: (string | undefined)[], ctx: RouteContext = {}): RouteScan {
  return new Scanner(lang, files, texts, ctx).scan();
}

// ---------------------------------------------------------------- helpers (text, not parsing)

/** The right-hand side of the last `name = ...` before `at` (else the first after it). */
function lastDefinition(text: string, name: string, at: number): string | undefined {
  const re = new RegExp(
    `(?:\\b(?:const|let|var)\\s+|\\bthis\\s*\\.\\s*|^\\s*|[;{(,]\\s*)${esc(name)}\\s*(?::\\s*[\\w.<>\\[\\]| ]+?)?\\s*=(?!=)\\s*([^;\\n]+)`,
    "gm",
  );
  let best: string | undefined;
  for (const m of text.matchAll(re)) {
    if (m.index < at) best = m[1]!.trim();
    else {
      best ??= m[1]!.trim();
      break;
    }
  }
  return best;
}

function importedBinding(text: string, name: string): boolean {
  return new RegExp(`(?:import\\s+${esc(name)}\\b|import\\s*\\{[^}]*\\b${esc(name)}\\b[^}]*\\}|(?:const|let|var)\\s+${esc(name)}\\s*=\\s*require\\()`).test(
    text,
  );
}

interface FunctionInfo {
  name?: string | undefined;
  exported?: string | undefined;
  param: number;
  start: number;
  end: number;
}

/** The function around `at` that has `name` as a parameter: its name, how it is exported, where. */
function enclosingFunction(text: string, name: string, at: number): FunctionInfo | undefined {
  // function name(a, b) { ... } or (a, b) => { ... } / a => { ... }, with how it is bound or exported.
  const re =
    /(?:(export\s+default\s+)|(export\s+)|module\.exports\s*=\s*|(?:const|let|var)\s+([\w$]+)\s*=\s*)?(?:async\s+)?(?:function\s*([\w$]*)\s*\(([^()]*)\)|\(([^()]*)\)\s*(?::\s*[^={]+)?=>|([\w$]+)\s*=>)\s*(?::\s*[^={]+)?\{/g;
  let best: FunctionInfo | undefined;
  for (const m of text.matchAll(re)) {
    if (m.index > at) break;
    const params = (m[5] ?? m[6] ?? m[7]!).split(",").map((p) => p.trim().split(/[\s:=]/)[0]);
    const position = params.indexOf(name);
    if (position === -1) continue;
    const open = m.index + m[0].length - 1;
    const end = blockEnd(text, open);
    if (end < at) continue;
    const fnName = m[4] || m[3] || undefined;
    let exported: string | undefined;
    if (m[1] !== undefined || /^module\.exports/.test(m[0])) exported = "default";
    else if (m[2] !== undefined && fnName !== undefined) exported = fnName;
    else if (fnName !== undefined && new RegExp(`module\\.exports\\s*=\\s*${esc(fnName)}\\b|export\\s+default\\s+${esc(fnName)}\\b`).test(text))
      exported = fnName;
    else if (
      fnName !== undefined &&
      new RegExp(`exports\\.${esc(fnName)}\\s*=|module\\.exports\\s*=\\s*\\{[^}]*\\b${esc(fnName)}\\b|export\\s*\\{[^}]*\\b${esc(fnName)}\\b`).test(text)
    )
      exported = fnName;
    best = { name: fnName, exported, param: position, start: m.index, end };
  }
  return best;
}

/** Resolve a JS import specifier from `from` to one of `files` (relative specifiers, or from the root or src/). */
function resolveJs(from: string, spec: string, files: string[]): number {
  const bases = spec.startsWith(".") ? [path.posix.join(path.posix.dirname(from), spec)] : [spec.replace(/^[@~]\//, "src/"), `src/${spec}`];
  for (const b of bases) {
    const stem = b.replace(/\.(?:[cm]?js|jsx)$/, "");
    for (const c of [
      b,
      ...["ts", "js", "mjs", "cjs", "tsx", "jsx", "mts", "cts"].map((e) => `${stem}.${e}`),
      ...["ts", "js", "mjs"].map((e) => `${b}/index.${e}`),
    ]) {
      const i = files.indexOf(path.posix.normalize(c));
      if (i !== -1) return i;
    }
  }
  return -1;
}

/** Resolve a Python module (absolute, relative, or under src/) from file `from` to one of `files`. */
function resolvePy(from: string, mod: string, files: string[]): number {
  let rel: string;
  const dots = /^\.+/.exec(mod)?.[0].length ?? 0;
  if (dots > 0) {
    let dir = path.posix.dirname(from);
    for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    const rest = mod.slice(dots).replace(/\./g, "/");
    rel = rest === "" ? dir : dir === "." ? rest : `${dir}/${rest}`;
  } else rel = mod.replace(/\./g, "/");
  for (const c of [`${rel}.py`, `${rel}/__init__.py`, `src/${rel}.py`, `src/${rel}/__init__.py`]) {
    const i = files.indexOf(path.posix.normalize(c));
    if (i !== -1) return i;
  }
  return -1;
}

/** `name := <rhs>` / `name = <rhs>` / `var name = <rhs>`: the last before `at` (else the first after), with the function it is in. */
function goDefinition(text: string, name: string, at: number): { rhs: string; index: number; func?: string; fi?: number } | undefined {
  let best: { rhs: string; index: number; func?: string } | undefined;
  for (const m of text.matchAll(new RegExp(`(?:\\bvar\\s+|^\\s*|[;{(,]\\s*)${esc(name)}\\s*(?::=|=(?!=))\\s*([^\\n;]+)`, "gm"))) {
    if (m.index > at && best !== undefined) break;
    const func = [...text.slice(0, m.index).matchAll(/^func\s+(?:\([^)]*\)\s*)?(\w+)/gm)].pop()?.[1];
    best = { rhs: m[1]!.trim(), index: m.index, ...(func !== undefined ? { func } : {}) };
    if (m.index > at) break;
  }
  return best;
}

/** The closure around `at` whose parameter is `name`, passed to `outer.Route("/p", ...)` or `outer.Group(...)`. */
function enclosingGoClosure(text: string, name: string, at: number): { outer: string; path: string | undefined; index: number } | undefined {
  let found: { outer: string; path: string | undefined; index: number } | undefined;
  const re = new RegExp(`([\\w.]+)\\s*\\.\\s*(Route|Group)\\(\\s*(?:("[^"]*"|[^,()"]+)\\s*,\\s*)?func\\s*\\(\\s*${esc(name)}\\s+[\\w.*]+\\s*\\)\\s*\\{`, "g");
  for (const m of text.matchAll(re)) {
    if (m.index >= at) break;
    const open = m.index + m[0].length - 1;
    if (blockEnd(text, open) < at) continue;
    const arg = m[3]?.trim();
    // A path that is not a literal (r.Route(cfg.Prefix, ...)) is kept unknown, never taken as "".
    found = { outer: m[1]!, path: arg === undefined ? "" : arg.startsWith('"') ? arg.slice(1, -1) : undefined, index: m.index };
  }
  return found;
}

/** `func name(a *gin.Engine, g *gin.RouterGroup)` around `at`: the parameter's type and position. */
function goParam(text: string, name: string, at: number): { func: string; type: string; position: number; start: number } | undefined {
  let found: { func: string; type: string; position: number; start: number } | undefined;
  for (const m of text.matchAll(/^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(([^)]*)\)[^{\n]*\{/gm)) {
    if (m.index > at) break;
    const params = m[2]!.split(",").map((p) => p.trim().split(/\s+/));
    // Go groups names before one type: (a, b *gin.RouterGroup).
    const types: string[] = [];
    for (let i = params.length - 1, last = ""; i >= 0; i--) {
      const p = params[i]!;
      if (p.length >= 2) last = p.slice(1).join(" ");
      types[i] = last;
    }
    const position = params.findIndex((p) => p[0] === name);
    if (position === -1) {
      found = undefined;
      continue;
    }
    found = { func: m[1]!, type: types[position]!, position, start: m.index };
  }
  return found;
}
