/**
 * Next.js: routes are files, not calls. A health route is an App Router route handler
 * (`app/api/health/route.ts` exporting GET → /api/health; `src/app/` when there is no `app/` at the
 * root) or a Pages Router API route (`pages/api/health.ts` or `pages/api/health/index.ts`), under
 * next.config's `basePath`. The port is `next start`'s `-p`/`--port`, else PORT, else 3000.
 *
 * Conventions as the Next.js documentation states them (nextjs.org/docs/app/api-reference):
 * - file-conventions/route: a route.js|ts file exports functions named by HTTP method (GET...);
 *   a folder in parentheses is a route group (left out of the URL), a folder starting with `_`
 *   is private (not routed), `[x]` is a dynamic segment, `@x` a parallel-route slot;
 * - src-folder: `src/app` and `src/pages` are ignored when `app` or `pages` is at the root;
 * - config/next-config-js/basePath and trailingSlash (a path without the slash is redirected);
 * - cli: `next start -p <port>` (`--port`), else the PORT environment variable, else 3000
 *   (next/src/server/lib/utils getPort: `args['--port'] ?? process.env.PORT ?? 3000`).
 */
import path from "node:path";
import { HEALTH_WORD } from "./routes.js";
import { bestHealth } from "./port-health.js";
import { list, type Listing, type Reader } from "./read.js";

export interface NextFacts {
  /** The port `next start` is told (-p / --port) in the start script. */
  port?: { port: number; from: string };
  /** Next's own default when the start script runs `next start` without a port. */
  defaultPort?: { port: number; from: string };
  health?: { path: string; from: string };
  /** Why a health route found is not taken. */
  healthNote?: string;
}

const ROUTE_FILE = /^route\.(?:[cm]?[jt]s|[jt]sx)$/;
const API_FILE = /^([\w-]+)\.(?:[cm]?[jt]s|[jt]sx)$/;
const CONFIG_FILES = ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts"];

/** `next start -p 4000` / `--port=4000` / `-p4000` in a script: the port. */
export function nextStartPort(script: string): number | undefined {
  const m = /\bnext\s+start\b[^&|;]*?(?:\s-p\s*=?\s*|\s--port(?:\s+|=))(\d{1,5})\b/.exec(script);
  const n = m === null ? undefined : Number(m[1]);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

/** A route handler exporting GET (function, const, or a re-export under that name; Next answers HEAD from GET, not GET from HEAD). */
function exportsGet(text: string): boolean {
  return /\bexport\s+(?:async\s+)?function\s+GET\b|\bexport\s+(?:const|let|var)\s+GET\b|\bexport\s*\{[^}]*\bGET\b[^}]*\}/.test(text);
}

/** URL segments of a folder path under app/ ("(ops)/api/health" → ["api", "health"]); undefined when not routed statically. */
function appSegments(rel: string): string[] | undefined {
  const out: string[] = [];
  for (const seg of rel.split("/").filter(Boolean)) {
    if (/^\(.*\)$/.test(seg)) continue;
    if (seg.startsWith("_") || seg.startsWith("@") || seg.startsWith("[") || seg.startsWith("(")) return undefined;
    out.push(seg);
  }
  return out;
}

/** Files under `base` (relative to root) to `maxDepth` levels, with their folder path below base. */
async function tree(root: string, base: string, maxDepth: number): Promise<{ dir: string; listing: Listing }[]> {
  const out: { dir: string; listing: Listing }[] = [];
  let level = [""];
  for (let depth = 0; depth <= maxDepth && level.length > 0 && out.length < 400; depth++) {
    const listings = await Promise.all(level.map((d) => list(path.join(root, base, d))));
    const next: string[] = [];
    listings.forEach((l, i) => {
      const d = level[i]!;
      out.push({ dir: d, listing: l });
      for (const sub of [...l.dirs].sort()) if (sub !== "node_modules" && !sub.startsWith(".")) next.push(d === "" ? sub : `${d}/${sub}`);
    });
    level = next;
  }
  return out;
}

export async function detectNextjs(root: string, read: Reader, top: Listing, start: string | undefined): Promise<NextFacts> {
  const facts: NextFacts = {};
  const runsNextStart = start !== undefined && /(?:^|[\s;&|])next\s+start\b/.test(start);
  const p = start === undefined ? undefined : nextStartPort(start);
  if (p !== undefined) facts.port = { port: p, from: `package.json scripts.start "${start}" (next start's port)` };
  else if (runsNextStart) facts.defaultPort = { port: 3000, from: `Next.js's default port (package.json scripts.start "${start}" gives none)` };

  // next.config: basePath (a literal only) and trailingSlash.
  const configName = CONFIG_FILES.find((f) => top.files.has(f));
  const config = configName === undefined ? "" : ((await read(configName)) ?? "").replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
  const baseExpr = /\bbasePath\s*:\s*([^,}\n]+)/.exec(config)?.[1]?.trim();
  const baseLit = baseExpr === undefined ? "" : /^(["'`])(\/[\w./-]*)\1$/.exec(baseExpr)?.[2];
  const trailing = /\btrailingSlash\s*:\s*true\b/.test(config);

  // Route handlers and API routes, by the URL they answer.
  const found: { path: string; file: string; how: string }[] = [];
  const has = (d: string) => top.dirs.has(d);
  const srcDirs = has("src") ? (await list(path.join(root, "src"))).dirs : new Set<string>();
  const appDir = has("app") ? "app" : srcDirs.has("app") ? "src/app" : undefined;
  const pagesDir = has("pages") ? "pages" : srcDirs.has("pages") ? "src/pages" : undefined;
  if (appDir !== undefined) {
    for (const { dir, listing } of await tree(root, appDir, 6)) {
      const file = [...listing.files].find((f) => ROUTE_FILE.test(f));
      const segs = file === undefined ? undefined : appSegments(dir);
      if (file === undefined || segs === undefined || segs.length === 0 || !HEALTH_WORD.test(segs[segs.length - 1]!)) continue;
      const rel = `${appDir}/${dir}/${file}`;
      if (exportsGet((await read(rel)) ?? "")) found.push({ path: `/${segs.join("/")}`, file: rel, how: "an App Router route handler exporting GET" });
    }
  }
  if (pagesDir !== undefined && (await list(path.join(root, pagesDir))).dirs.has("api")) {
    for (const { dir, listing } of await tree(root, `${pagesDir}/api`, 4)) {
      const segs = appSegments(dir);
      if (segs === undefined) continue;
      for (const f of [...listing.files].sort()) {
        const stem = API_FILE.exec(f)?.[1];
        if (stem === undefined || stem.startsWith("_")) continue;
        const route = stem === "index" ? segs : [...segs, stem];
        if (route.length === 0 || !HEALTH_WORD.test(route[route.length - 1]!)) continue;
        const rel = `${pagesDir}/api/${dir === "" ? "" : `${dir}/`}${f}`;
        // An API route answers every method with its default export.
        if (/\bexport\s+default\b|module\.exports\s*=/.test((await read(rel)) ?? ""))
          found.push({ path: `/api/${route.join("/")}`, file: rel, how: "a Pages Router API route" });
      }
    }
  }
  const best = bestHealth(found.map((f) => f.path));
  const hit = found.find((f) => f.path === best);
  if (hit === undefined) return facts;
  if (baseLit === undefined) {
    facts.healthNote = `the route ${hit.path} (${hit.file}) is under ${configName}'s basePath ${baseExpr}, which is not a string literal`;
    return facts;
  }
  const full = `${baseLit.replace(/\/$/, "")}${hit.path}${trailing ? "/" : ""}`;
  const extra = [baseLit ? `${configName} basePath "${baseLit}"` : "", trailing ? `${configName} trailingSlash: true` : ""].filter(Boolean).join(", ");
  facts.health = { path: full, from: `${hit.file}: ${hit.how}${extra ? ` (${extra})` : ""}` };
  return facts;
}
