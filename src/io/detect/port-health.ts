/** Port and health-route ranking, over the service's own files and its Dockerfile (routes: routes.ts). */
import { goMetricsListener } from "./metrics.js";

/** Patterns for a port, tried in order on each scanned file. */
const PORT_PATTERNS: readonly RegExp[] = [
  // Spring: server.port=8081, server.port: ${PORT:8081}
  /^[ \t]*server\.port[ \t]*[=:][ \t]*(?:\$\{[A-Za-z_.]+:)?(\d{2,5})\b/m,
  // Node: process.env.PORT || 3000, Number(process.env.PORT ?? "3000"), parseInt(process.env.PORT, 10) || 3000,
  // Number.parseInt(process.env.PORT ?? "", 10) || 3000, process.env["PORT"] as string || 3000, env.PORT ?? 3000,
  // Deno.env.get("PORT") ?? "8000", process.env.APP_PORT || 8080
  /(?:process\.env|import\.meta\.env|Bun\.env|\benv)(?:\.(?:[A-Z][A-Z0-9]*_)*PORT\b|\[\s*["'`](?:[A-Z][A-Z0-9]*_)*PORT["'`]\s*\]|\.get\(\s*["'`](?:[A-Z][A-Z0-9]*_)*PORT["'`]\s*\))[^;\n]{0,40}?(?:\|\||\?\?)\s*['"`]?(\d{2,5})\b/,
  // process.env.PORT ? Number(process.env.PORT) : 3000
  /(?:process\.env|\benv)\.(?:[A-Z][A-Z0-9]*_)*PORT\s*\?[^:;\n]{0,60}:\s*['"`]?(\d{2,5})\b/,
  // Python: os.environ.get("PORT", "8000"), os.getenv('PORT', 8000), os.getenv("PORT") or 8000;
  // Java: System.getenv().getOrDefault("PORT", "8080")
  /(?:environ\.get|getenv|environ\.setdefault|getOrDefault)\(\s*['"]PORT['"]\s*,\s*['"]?(\d{2,5})\b/,
  /(?:environ\.get|getenv)\(\s*['"]PORT['"]\s*\)\s*or\s*['"]?(\d{2,5})\b/,
  // Go: cmp.Or(os.Getenv("PORT"), "8080"); struct tags `env:"PORT" envDefault:"8080"`,
  // `envconfig:"HTTP_PORT" default:"8080"`; viper.SetDefault("server.port", 8080)
  /Getenv\(\s*"PORT"\s*\)\s*,\s*"(\d{2,5})"/,
  /\b(?:env|envconfig):"(?:[A-Z][A-Z0-9]*_)*PORT"[^`\n]*?\b(?:envDefault|default):":?(\d{2,5})"/,
  /SetDefault\(\s*["'](?:[\w-]+\.)*(?:http[._-]?)?port["']\s*,\s*["']?:?(\d{2,5})/i,
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

/**
 * Words that name something the service talks to (a database, a cache, a broker, a mail server) or
 * a side port (metrics, debug, management): a port under them is never the port the service serves on.
 */
const NOT_SERVICE = new Set(
  (
    "db dbs database databases datasource datasources postgres postgresql pg psql mysql mariadb mssql sqlserver oracle " +
    "mongo mongodb mongoose redis valkey cache caches memcache memcached rabbit rabbitmq amqp mq kafka nats broker brokers " +
    "smtp imap pop3 mail mailer email sql sqlite sequelize typeorm knex prisma jdbc r2dbc hibernate elastic elasticsearch " +
    "opensearch solr cassandra clickhouse influx influxdb neo4j couchdb couchbase dynamodb celery queue sentry statsd " +
    "jaeger zipkin otel otlp collector consul etcd zookeeper vault ldap ftp sftp ssh metrics prometheus debug pprof " +
    "management admin actuator upstream proxy target remote client minio s3 storage"
  ).split(" "),
);

function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * What a match at `index` (of `length`) sits under: the text on its line before it, the keys or
 * calls of the brackets it is inside (`redis: {`, `new Pool(`, `DATABASES = {`), and the parent
 * keys of an indented YAML-like block (`database:\n  port: 5432`).
 */
function ownerText(text: string, index: number, length: number): string {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  const parts = [text.slice(lineStart, index + length)];
  // Enclosing brackets: walk back, counting closers, up to three openers and 3000 characters.
  let depth = 0;
  let found = 0;
  for (let i = index - 1; i >= Math.max(0, index - 3000) && found < 3; i--) {
    const c = text[i]!;
    if (c === ")" || c === "}" || c === "]") depth++;
    else if (c === "(" || c === "{" || c === "[") {
      if (depth > 0) depth--;
      else {
        const ls = text.lastIndexOf("\n", i - 1) + 1;
        const before = text.slice(Math.max(ls, i - 80), i);
        // A code block (a function body, an if/else/try block) is not a configuration object: what
        // encloses it (mongoose.connect(...).then(() => { app.listen(3000) })) says nothing about the port.
        if (c === "{" && /(?:=>|\)|\b(?:else|try|do|finally))\s*$/.test(before)) break;
        parts.push(before);
        found++;
      }
    }
  }
  // Indentation parents: earlier lines indented less than this one that open a block ("key:").
  const lines = text.slice(0, lineStart).split("\n");
  let indent = /^[ \t]*/.exec(text.slice(lineStart))![0].length;
  for (let j = lines.length - 1; j >= 0 && j >= lines.length - 200 && indent > 0; j--) {
    const l = lines[j]!;
    if (l.trim() === "" || /^\s*#/.test(l)) continue;
    const ind = /^[ \t]*/.exec(l)![0].length;
    if (ind < indent) {
      if (/^\s*(?:class\s+)?[\w."'-]+(?:\([^)]*\))?\s*:\s*(?:#.*)?$/.test(l)) parts.push(l);
      indent = ind;
    }
  }
  return parts.join(" ");
}

/** Is the port matched at `index` one the service does not serve on (a database's, a cache's...)? */
function notServicePort(text: string, index: number, length: number): boolean {
  return words(ownerText(text, index, length)).some((w) => NOT_SERVICE.has(w));
}

/**
 * The port a file says the service listens on: the first pattern (in order of how explicit it is)
 * with a match that is not under a database, cache, broker or side-port key.
 */
export function portIn(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // A Go listener serving only the metrics (promhttp) is the metrics port, not the service's.
  const metricsPort = /ListenAndServe/.test(text) ? goMetricsListener(text)?.port : undefined;
  for (const re of PORT_PATTERNS) {
    const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
    for (const m of text.matchAll(g)) {
      if (m[1] === undefined || notServicePort(text, m.index, m[0].length)) continue;
      const n = Number(m[1]);
      if (n === metricsPort) continue;
      if (Number.isInteger(n) && n >= 1 && n <= 65535) return n;
    }
  }
  return undefined;
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

/** The most preferred of the health routes found (by their last segments; a prefixed one after a bare one). */
export function bestHealth(found: string[]): string | undefined {
  let best: string | undefined;
  let bestRank = Infinity;
  for (const p of found) {
    const trimmed = p.replace(/\/$/, "");
    const tail = /(\/(?:health\/(?:live|liveness|ready|readiness)|actuator\/health|q\/health\/live|[\w-]+))$/.exec(trimmed)?.[1] ?? trimmed;
    const bare = tail.replace(/^\/_/, "/");
    const r = HEALTH_RANK.indexOf(bare);
    const rank = r === -1 ? HEALTH_RANK.length : r + (tail === trimmed ? 0 : 0.5);
    if (rank < bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}

/** Is a configuration key path (`server.port`, `database.port`) one of the service's own, not a database's or a side port's? */
export function serviceKey(key: string): boolean {
  return !words(key).some((w) => NOT_SERVICE.has(w));
}
