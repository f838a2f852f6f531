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
  // Command lines: PORT=4000 node server.js, --port 8000, --bind 0.0.0.0:8000
  /\bPORT=(\d{2,5})\b/,
  /--port[= ](\d{2,5})\b/,
  /(?:^|\s)(?:--bind|-b)[= ]['"]?[\w.[\]:]*:(\d{2,5})\b/,
  // Dockerfile
  /^[ \t]*EXPOSE[ \t]+(\d{2,5})\b/im,
  /^[ \t]*ENV[ \t]+PORT[ \t=]+(\d{2,5})\b/m,
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
  "/ping",
];

const HEALTH_RE =
  /["'`](?:(?:GET|HEAD)\s+)?((?:\/api(?:\/v\d+)?)?\/(?:healthz|livez|readyz|healthcheck|health(?:\/(?:live|liveness|ready|readiness))?|actuator\/health|ping))\/?["'`]/g;

export function healthIn(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...text.matchAll(HEALTH_RE)].map((m) => m[1]).filter((p): p is string => p !== undefined);
}

export function bestHealth(found: string[]): string | undefined {
  let best: string | undefined;
  let bestRank = Infinity;
  for (const p of found) {
    const bare = p.replace(/^\/api(?:\/v\d+)?/, "");
    const r = HEALTH_RANK.indexOf(bare);
    const rank = r === -1 ? HEALTH_RANK.length : r + (bare === p ? 0 : 0.5);
    if (rank < bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}
