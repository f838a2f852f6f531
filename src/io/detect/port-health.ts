/** Port and health route, scanned in the service's own files and its Dockerfile. */
import { firstMatch } from "./read.js";

/** Patterns for a port, tried in order on each scanned file. */
const PORT_PATTERNS: readonly RegExp[] = [
  // Spring: server.port=8081, server.port: ${PORT:8081}
  /^[ \t]*server\.port[ \t]*[=:][ \t]*(?:\$\{[A-Za-z_.]+:)?(\d{2,5})\b/m,
  // Node: process.env.PORT || 3000, Number(process.env.PORT ?? "3000")
  /process\.env\.PORT\s*\)?\s*(?:\|\||\?\?)\s*['"`]?(\d{2,5})\b/,
  // Python: os.environ.get("PORT", "8000"), os.getenv('PORT', 8000);
  // Java: System.getenv().getOrDefault("PORT", "8080")
  /(?:environ\.get|getenv|environ\.setdefault|getOrDefault)\(\s*['"]PORT['"]\s*,\s*['"]?(\d{2,5})\b/,
  // Go: cmp.Or(os.Getenv("PORT"), "8080")
  /Getenv\(\s*"PORT"\s*\)\s*,\s*"(\d{2,5})"/,
  // Flag defaults: flag.Int("port", 9898, ...), fs.IntVar(&p, "port", 80, ...), flag.String("addr", ":8080", ...),
  // argparse add_argument("--port", default=8000), click.option("--port", default=8000)
  /\.(?:Int|Uint|Int64|String)(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"(?:port|listen-port|http-port|p)"\s*,\s*(?:"p"\s*,\s*)?"?:?(\d{2,5})"?/,
  /\.(?:String)(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"(?:addr|address|listen|listen-addr|http-addr|http\.addr|bind)"\s*,\s*(?:"\w"\s*,\s*)?"[\w.]*:(\d{2,5})"/,
  /add_argument\(\s*["']--port["'][^)]*?default\s*=\s*["']?(\d{2,5})/,
  /option\(\s*["']--port["'][^)]*?default\s*=\s*["']?(\d{2,5})/,
  // An env variable named like a port, with a fallback: getEnvInt("APP_PORT", 80), env("HTTP_PORT", "8080")
  /\(\s*["'][A-Z][A-Z0-9_]*PORT(?:_NUMBER)?["']\s*,\s*["']?:?(\d{2,5})["']?\s*\)/,
  // Node: const { PORT = 3000 } = process.env; PORT ?? 3000; zod PORT: z.coerce.number().default(9999)
  /\{[^}]*\bPORT\s*=\s*(\d{2,5})[^}]*\}\s*=\s*process\.env/,
  /\bPORT\s*(?:\|\||\?\?)\s*['"`]?(\d{2,5})\b/,
  /\bPORT\b\s*:\s*z\.[^\n]{0,80}?\.default\(\s*['"]?(\d{2,5})/,
  // Command lines: PORT=4000 node server.js, --port 8000, --bind 0.0.0.0:8000
  /\bPORT=(\d{2,5})\b/,
  /--port[= ](\d{2,5})\b/,
  /(?:^|\s)(?:--bind|-b)[= ]['"]?[\w.[\]:]*:(\d{2,5})\b/,
  // Dockerfile
  /^[ \t]*EXPOSE[ \t]+(\d{2,5})\b/im,
  /^[ \t]*ENV[ \t]+PORT[ \t=]+(\d{2,5})\b/m,
  // .env.example: PORT=3000
  /^[ \t]*(?:export[ \t]+)?PORT[ \t]*=[ \t]*["']?(\d{2,5})\b/m,
  // listen(3000, ...)
  /\.listen\(\s*(\d{2,5})\b/,
  // const PORT = 3000; port := "8080"; { port: 3000 }; uvicorn.run(app, port=8000)
  /\bport\s*(?::=|[:=])\s*(?:int\(\s*)?['"`]?(\d{2,5})\b/i,
  // Go / Python literals: ":8080", "0.0.0.0:8080", ("", 8000)
  /["'](?:0\.0\.0\.0|\[::\]|)?:(\d{2,5})["']/,
  /\(\s*['"](?:0\.0\.0\.0|localhost|127\.0\.0\.1|::|)['"]\s*,\s*(\d{2,5})\s*\)/,
];

export function portIn(text: string | undefined): number | undefined {
  const p = firstMatch(text, PORT_PATTERNS);
  if (p === undefined) return undefined;
  const n = Number(p);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/** Health routes, most preferred first. */
const HEALTH_RANK = [
  "/healthz",
  "/livez",
  "/health",
  "/health/live",
  "/health/liveness",
  "/healthcheck",
  "/readyz",
  "/health/ready",
  "/health/readiness",
  "/actuator/health",
  "/q/health/live",
  "/status",
  "/ping",
  "/health-check",
  "/health_check",
];

const HEALTH_RE =
  /["'`](?:(?:GET|HEAD)\s+)?((?:\/api(?:\/v\d+)?)?(?:\/[\w-]+)?\/(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health(?:\/(?:live|liveness|ready|readiness))?|actuator\/health|ping|status))(\/?)["'`]/g;

/** Route registrations: a string literal that is the first argument of a route call or decorator. */
const ROUTE_CALL =
  /(?:\.(?:get|head|all|route|api_route|add_url_rule|HandleFunc|Handle|GET|Any|add_api_route)|@(?:Get|app\.get|router\.get|[\w.]*\.(?:get|route)))\(\s*$/i;

/**
 * Health-like routes registered in a source file ("/healthz", "/api/health",
 * "/_healthz"), kept as written (with a trailing slash when it has one). A
 * string counts when it is a route argument or (without call context) a
 * path under one of the health words.
 */
export function healthIn(text: string | undefined): string[] {
  if (text === undefined) return [];
  const out: string[] = [];
  // Django: path("healthz/", ...), re_path(r"^health/$", ...): routes without a leading slash.
  for (const m of text.matchAll(
    /\b(?:path|re_path|url)\(\s*r?["']\^?((?:[\w-]+\/)*(?:_?healthz|livez|readyz|healthcheck|health[-_]check|health|ping|status)\/?)\$?["']/g,
  ))
    out.push(`/${m[1]}`);
  for (const m of text.matchAll(HEALTH_RE)) {
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    const routed = ROUTE_CALL.test(before) || /(?:path|route|url|pattern)\s*[:=]\s*$/i.test(before) || /["'`](?:GET|HEAD)\s/.test(m[0]);
    const word = m[1]!.split("/").pop()!;
    // "/status" and "/ping" are common strings: only as a route.
    if (!routed && /^(?:status|ping)$/.test(word)) continue;
    if (!routed && /\b(?:fetch|axios|request|curl|http\.get|client)\b/i.test(before)) continue;
    out.push(`${m[1]}${m[2] ?? ""}`);
  }
  return out;
}

/** Is a root route ("/") registered in this file (app.get("/"), @app.get("/"), @Get() in a controller)? */
export function rootRouteIn(text: string | undefined): boolean {
  if (text === undefined) return false;
  return (
    /(?:\.(?:get|route|all|HandleFunc|GET|Any)|@(?:app|router|api|bp|blueprint)\.(?:get|route))\(\s*["'`]\/["'`]/.test(text) ||
    (/@Controller\(\s*\)/.test(text) && /@Get\(\s*\)/.test(text))
  );
}

export function bestHealth(found: string[]): string | undefined {
  let best: string | undefined;
  let bestRank = Infinity;
  for (const p of found) {
    const bare = p
      .replace(/\/$/, "")
      .replace(/^\/api(?:\/v\d+)?/, "")
      .replace(/^\/[\w-]+(?=\/)/, "")
      .replace(/^\/_/, "/");
    const r = HEALTH_RANK.indexOf(bare);
    const rank = r === -1 ? HEALTH_RANK.length : r + (bare === p ? 0 : 0.5);
    if (rank < bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}
