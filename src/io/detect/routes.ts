/**
 * Health and root routes with the path a request really takes: the prefix of the router, blueprint,
 * group or controller a route is registered on, and where that is mounted (`app.use("/api", router)`,
 * `register_blueprint(bp, url_prefix=...)`, `include_router(r, prefix=...)`, `r.Group("/api")`,
 * chi `Route`/`Mount`, Koa `prefix`, NestJS `@Controller` and `setGlobalPrefix`, a Spring class's
 * `@RequestMapping` and `server.servlet.context-path`). A route whose mounting cannot be followed
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

const HEALTH_WORD = /^(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health|live|liveness|ready|readiness|ping|status)$/;

const HEALTH_RE =
  /["'`](?:(?:GET|HEAD)\s+)?((?:\/api(?:\/v\d+)?)?(?:\/[\w-]+)?\/(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health(?:\/(?:live|liveness|ready|readiness))?|actuator\/health|ping|status|live|liveness|ready|readiness))(\/?)["'`]/g;

/** A route call's receiver and method, right before the path literal. */
const CALL_BEFORE =
  /((?:this\s*\.\s*)?[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*(get|head|all|route|api_route|add_url_rule|add_api_route|HandleFunc|Handle|Path|GET|HEAD|Any|Get|Head|Method|MethodFunc|use|Use)\(\s*(?:["'`][A-Z]+["'`]\s*,\s*)?$/;
const PREFIX_BEFORE = /(?:\b(?:url_)?prefix\s*[=:]\s*|\.\s*(?:Route|Mount|Group|PathPrefix|group|basePath|setGlobalPrefix|prefix)\(\s*)$/;
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
          add(this.django(fi, `/${m[1]}`));
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
    const routed = call !== null || deco !== null || /(?:path|route|url|pattern)\s*[:=]\s*$/i.test(before) || /^["'`](?:GET|HEAD)\s/.test(text.slice(index));
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
    const receiver = call?.[1] ?? deco?.[1];
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
        /^(?:await\s+)?(?:express|Fastify|fastify|polka|connect|restify\.createServer|createServer)\s*\(|^new\s+(?:Koa|Hono|Elysia)\s*\(|^require\(\s*["'`](?:express|fastify|polka|connect)["'`]\s*\)\s*\(/.test(
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
        /^(?:express\s*\.\s*)?Router\s*\(|^new\s+(?:\w*Router|Hono)\s*\(|^require\(\s*["'`](?:express["'`]\s*\)\s*\.\s*Router|(?:koa-router|@koa\/router)["'`]\s*\))\s*\(/.test(
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
    return { reason: `the function that registers the route is not called with an app or registered anywhere the sources read show` };
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
    const versioned = /@Controller\(\s*\{[^}]*\bversion\s*:/.test(text) || /@Version\(/.test(text);
    const global = this.nestGlobal();
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
      if (versioned && global.versioning) {
        out.push({ file, written: local, reason: `${file}: the controller is versioned (enableVersioning): the version segment is not followed` });
        continue;
      }
      if (global.routerModule) {
        out.push({ file, written: local, reason: `${file}: RouterModule mounts modules under paths this tool does not follow` });
        continue;
      }
      const excluded = global.exclude.some((x) => join(x) === local);
      const full = global.prefix && !excluded ? join(global.prefix, local) : local;
      out.push({
        path: full,
        file,
        written: local,
        via: [`@Controller("${prefix}")`, global.prefix && !excluded ? `setGlobalPrefix("${global.prefix}")` : ""].filter(Boolean).join(", "),
      });
    }
    return out;
  }

  private nestGlobal(): { prefix?: string | undefined; exclude: string[]; versioning: boolean; routerModule: boolean } {
    let prefix: string | undefined;
    let exclude: string[] = [];
    let versioning = false;
    let routerModule = false;
    for (const t of this.texts) {
      if (t === undefined) continue;
      const g = /setGlobalPrefix\(\s*["'`]\/?([^"'`]*?)\/?["'`]\s*(?:,\s*\{([\s\S]*?)\}\s*)?\)/.exec(t);
      if (g !== null) {
        prefix = g[1];
        exclude = [...(g[2] ?? "").matchAll(/["'`]\/?([^"'`]+)["'`]/g)].map((m) => m[1]!);
      }
      if (/enableVersioning\(/.test(t) && /VersioningType\.URI|enableVersioning\(\s*\)/.test(t)) versioning = true;
      if (/RouterModule\.register\(/.test(t)) routerModule = true;
    }
    return { prefix: prefix || undefined, exclude, versioning, routerModule };
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
    if (/^(?:Flask|Quart|FastAPI|Starlette|Sanic|Litestar|APIFlask)$/.test(ctor)) return ROOT;
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

  /** Django: a route in an app's urls.py is under the path its project's urls.py includes it at. */
  private django(fi: number, route: string): Route | Unmounted {
    const file = this.files[fi]!;
    const mod = file.replace(/\.py$/, "").replace(/\//g, ".");
    for (let gi = 0; gi < this.files.length; gi++) {
      const t = this.texts[gi];
      if (t === undefined || gi === fi) continue;
      for (const m of t.matchAll(/\b(?:path|re_path|url)\(\s*r?["']\^?([^"'$]*)\$?["']\s*,\s*include\(\s*["']([\w.]+)["']/g)) {
        if (mod === m[2] || mod.endsWith(`.${m[2]}`))
          return { path: compose(`/${m[1]}`, route), file, written: route, via: `include("${m[2]}") at "${m[1]}" in ${this.files[gi]}` };
      }
    }
    return { path: route, file, written: route, via: "" };
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
