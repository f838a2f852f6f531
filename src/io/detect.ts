/**
 * Detection: read what a service repository already says (manifests, version
 * pin files, a few well-known source files, `.git/config`) and turn it into
 * facts that pre-fill the pack's questions (`{ detect: key }` defaults).
 *
 * Rules:
 * - read only, never write; never spawn processes (no `git`, no `node`);
 * - only a handful of known small files, each read up to 64 KiB; no walk of
 *   the tree (one bounded walk of `src/main/{java,kotlin}` for Java), never
 *   into node_modules;
 * - whatever is not found stays absent: nothing is guessed. The pack's
 *   `else:` defaults fill the gaps.
 */
import { constants } from "node:fs";
import { open, readdir } from "node:fs/promises";
import path from "node:path";

export type DetectedValue = string | number | boolean | string[] | undefined;
export type DetectResult = Record<string, DetectedValue>;

/**
 * The keys `detect()` may return (a key is absent when nothing was found).
 *
 * - `name`: service name, a DNS-1123 slug (see `slugify`), from the
 *   manifest of the detected language (package.json `name` without its
 *   `@scope/`, pyproject `[project]`/`[tool.poetry]` `name`, the last path
 *   segment of the go.mod `module`, pom.xml `artifactId`, settings.gradle
 *   `rootProject.name`), else the folder name.
 * - `language`: `node` | `python` | `go` | `java`.
 * - `buildTool`: `maven` | `gradle` (Java only).
 * - `languageVersion`: e.g. `"22"`, `"3.12"`, `"1.25"`, `"21"`.
 * - `lintCommand`, `testCommand`: Node only, from package.json scripts.
 * - `startCommand`: Node only, package.json `scripts.start`, else
 *   `node <main>`.
 * - `port`: a number, from a PORT default or listen call in the main file,
 *   Spring `server.port`, or `EXPOSE` in an existing Dockerfile.
 * - `healthPath`: a literal health route found in the same files, or
 *   `/actuator/health` when Spring Boot Actuator is a dependency.
 * - `owner`, `repoUrl`: from the GitHub remote `origin` in `.git/config`;
 *   `repoUrl` is `https://github.com/<owner>/<repo>.git`.
 */
export const detectedKeys: readonly string[] = Object.freeze([
  "name",
  "language",
  "buildTool",
  "languageVersion",
  "lintCommand",
  "testCommand",
  "startCommand",
  "port",
  "healthPath",
  "owner",
  "repoUrl",
]);

/** Largest number of bytes read from any one file. */
const MAX_READ = 64 * 1024;
const MAX_NAME = 53;

// ---------------------------------------------------------------- helpers

/**
 * A DNS-1123 label usable as a Kubernetes object, Helm release and image
 * name: lowercase ASCII letters, digits and '-', starting and ending with a
 * letter or digit, at most 53 characters. Accents are dropped; every other
 * run of characters becomes one '-'. May return "" (nothing usable).
 */
export function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, MAX_NAME)
    .replace(/-+$/, "");
}

/** First `MAX_READ` bytes of a regular file as UTF-8, or undefined. */
async function readHead(file: string): Promise<string | undefined> {
  let fh;
  try {
    // O_NONBLOCK: a FIFO named like a manifest must not hang detection.
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return undefined;
    const size = Math.min(st.size, MAX_READ);
    if (size === 0) return "";
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    return buf.toString("utf8", 0, bytesRead).replace(/^\uFEFF/, "");
  } catch {
    return undefined;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

interface Listing {
  files: Set<string>;
  dirs: Set<string>;
}

/** Names in one directory (no recursion); empty when unreadable. */
async function list(dir: string): Promise<Listing> {
  const out: Listing = { files: new Set(), dirs: new Set() };
  try {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) out.dirs.add(e.name);
      else if (e.isFile() || e.isSymbolicLink()) out.files.add(e.name);
    }
  } catch {
    // missing or unreadable: nothing to detect here
  }
  return out;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** `key = "value"` pairs of one TOML table (only single-line strings). */
function tomlTable(text: string | undefined, table: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text === undefined) return out;
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([^[\]]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      inside = header[1] === table;
      continue;
    }
    if (line.startsWith("[[")) {
      inside = false;
      continue;
    }
    if (!inside) continue;
    const kv = /^["']?([A-Za-z0-9_.-]+)["']?\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (kv?.[1] !== undefined) out.set(kv[1], kv[2] ?? kv[3] ?? "");
  }
  return out;
}

/** First capture group of the first pattern that matches. */
function firstMatch(text: string | undefined, patterns: readonly RegExp[]): string | undefined {
  if (text === undefined) return undefined;
  for (const re of patterns) {
    const m = re.exec(text);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

// ---------------------------------------------------------------- versions

const NODE_LTS: Record<string, string> = {
  argon: "4",
  boron: "6",
  carbon: "8",
  dubnium: "10",
  erbium: "12",
  fermium: "14",
  gallium: "16",
  hydrogen: "18",
  iron: "20",
  jod: "22",
  krypton: "24",
};

/**
 * The lower bound of a version range, for each `||` alternative; the
 * highest of those. Upper bounds (`<`, `<=`) and exclusions are skipped.
 * Returns the numeric parts, e.g. ">=20.19 <23" → [20, 19].
 */
function lowerBound(range: string): number[] | undefined {
  let best: number[] | undefined;
  for (const alt of range.split("||")) {
    // "20 - 22" (hyphen range): the lower bound is the first part.
    const comparators = alt.trim().replace(/\s+-\s+.*$/, "").split(/[\s,]+/);
    for (const c of comparators) {
      if (c === "" || /^(<|!=)/.test(c)) continue;
      const m = /^(?:>=|>|\^|~=|~|===|==|=)?\s*v?(\d+)((?:\.\d+)*)/.exec(c);
      if (!m?.[1]) continue;
      const parts = [Number(m[1]), ...(m[2] ?? "").split(".").filter(Boolean).map(Number)];
      if (best === undefined || compareParts(parts, best) > 0) best = parts;
      break; // one lower bound per alternative
    }
  }
  return best;
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** ">=20.19" → "20", "^22" → "22", "v20.11.1" → "20", "lts/iron" → "20". */
export function nodeMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const s = spec.trim().toLowerCase();
  const lts = /^lts\/([a-z]+)$/.exec(s);
  if (lts?.[1] !== undefined) return NODE_LTS[lts[1]];
  const parts = lowerBound(s);
  const major = parts?.[0];
  return major !== undefined && major >= 4 && major < 100 ? String(major) : undefined;
}

/** ">=3.12" → "3.12", "3.12.4" → "3.12", "^3.11" → "3.11", ">=3.9,<4" → "3.9". */
export function majorMinor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const parts = lowerBound(spec.trim().replace(/^(?:python|pypy|cpython)-?/i, ""));
  if (parts === undefined || parts.length < 2) return undefined;
  return `${parts[0]}.${parts[1]}`;
}

/** "1.8" → "8", "17" → "17", "VERSION_1_8" → "8", "21.0.2-tem" → "21". */
function javaMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const m = /^(?:JavaVersion\.)?(?:VERSION_)?(\d+)(?:[._](\d+))?/.exec(spec.trim().replace(/^['"]|['"]$/g, ""));
  if (!m?.[1]) return undefined;
  const major = m[1] === "1" && m[2] !== undefined ? m[2] : m[1];
  const n = Number(major);
  return n >= 5 && n < 100 ? String(n) : undefined;
}

// ---------------------------------------------------------------- ports and health routes

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

function portIn(text: string | undefined): number | undefined {
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

function healthIn(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...text.matchAll(HEALTH_RE)].map((m) => m[1]).filter((p): p is string => p !== undefined);
}

function bestHealth(found: string[]): string | undefined {
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

// ---------------------------------------------------------------- git

/** `owner` and `repoUrl` from a GitHub remote URL (https, ssh, git forms). */
export function parseGitHubRemote(url: string): { owner: string; repoUrl: string } | undefined {
  const u = url.trim();
  const m =
    /^(?:https?|git|ssh|git\+ssh):\/\/(?:[^@/]+@)?(?:www\.|ssh\.)?github\.com(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(u) ??
    /^(?:[^@/]+@)?github\.com:\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(u);
  const owner = m?.[1];
  const repo = m?.[2];
  if (owner === undefined || repo === undefined) return undefined;
  if (!/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(owner)) return undefined;
  if (!/^[A-Za-z0-9._-]+$/.test(repo) || repo === "." || repo === "..") return undefined;
  return { owner, repoUrl: `https://github.com/${owner}/${repo}.git` };
}

/** URL of remote "origin" (or of the only remote) in a git config file. */
export function remoteUrl(config: string | undefined): string | undefined {
  if (config === undefined) return undefined;
  const urls = new Map<string, string>();
  let remote: string | undefined;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      remote = section[1]?.toLowerCase() === "remote" ? section[2] : undefined;
      continue;
    }
    if (remote === undefined) continue;
    const kv = /^url\s*=\s*(.*)$/i.exec(line);
    const value = kv?.[1]?.replace(/^"(.*)"$/, "$1").trim();
    if (value && !urls.has(remote)) urls.set(remote, value);
  }
  return urls.get("origin") ?? (urls.size === 1 ? [...urls.values()][0] : undefined);
}

/** Contents of the repository's git config: `dir/.git/config`, following a
 * `.git` file (worktree, submodule), looking upward a few levels for the
 * repository root when `dir` is a folder inside it. */
async function readGitConfig(dir: string): Promise<string | undefined> {
  let cur = dir;
  for (let i = 0; i < 8; i++) {
    const dotGit = path.join(cur, ".git");
    const [config, pointer] = await Promise.all([readHead(path.join(dotGit, "config")), readHead(dotGit)]);
    if (config !== undefined) return config;
    const gitdir = pointer === undefined ? undefined : /^gitdir:\s*(.+)$/m.exec(pointer)?.[1]?.trim();
    if (gitdir !== undefined) {
      const abs = path.resolve(cur, gitdir);
      const common = (await readHead(path.join(abs, "commondir")))?.trim();
      const configDir = common ? path.resolve(abs, common) : abs;
      return readHead(path.join(configDir, "config"));
    }
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  return undefined;
}

// ---------------------------------------------------------------- per language

interface Found {
  name?: string | undefined;
  languageVersion?: string | undefined;
  lintCommand?: string | undefined;
  testCommand?: string | undefined;
  startCommand?: string | undefined;
  port?: number | undefined;
  healthPath?: string | undefined;
  /** Files to scan for a port and a health route, in order. */
  sources: string[];
}

type Reader = (rel: string) => Promise<string | undefined>;

/** Read the first file of `names` that exists in the listing. */
async function firstOf(read: Reader, top: Listing, names: readonly string[]): Promise<string | undefined> {
  for (const n of names) {
    if (top.files.has(n)) {
      const t = await read(n);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

async function detectNode(root: string, read: Reader, top: Listing, pkgText: string | undefined): Promise<Found> {
  const pkg = parseJson(pkgText);
  const found: Found = { sources: [] };
  if (pkg === undefined) return found;

  const name = str(pkg.name);
  if (name !== undefined) found.name = name.replace(/^@[^/]+\//, "");

  const pin = await firstOf(read, top, [".nvmrc", ".node-version"]);
  const volta = str(asRecord(pkg.volta)?.node);
  const engines = str(asRecord(pkg.engines)?.node);
  found.languageVersion = nodeMajor(pin?.split(/\r?\n/)[0]) ?? nodeMajor(volta) ?? nodeMajor(engines);

  const scripts = asRecord(pkg.scripts) ?? {};
  const test = str(scripts.test);
  if (test !== undefined && !/no test specified/i.test(test)) found.testCommand = "npm test";
  if (str(scripts.lint) !== undefined) found.lintCommand = "npm run lint";

  const start = str(scripts.start);
  const main = str(pkg.main);
  if (start !== undefined) found.startCommand = start;
  else if (main !== undefined) found.startCommand = `node ${main}`;

  // The file the start script runs, `main` (and their TypeScript sources
  // when they point at build output), then the usual entry points.
  const startFile = start === undefined ? undefined : /(?:^|\s)((?:\.\/)?[\w./-]+\.[cm]?[jt]s)(?=\s|$)/.exec(start)?.[1];
  const named = [startFile, main]
    .filter((c): c is string => c !== undefined && !c.split(/[\\/]/).includes(".."))
    .map((c) => path.posix.normalize(c))
    .flatMap((c) => {
      const built = /^(?:dist|build|lib|out)\/(.+)\.[cm]?js$/.exec(c)?.[1];
      return built === undefined ? [c] : [c, `src/${built}.ts`];
    });
  const src = top.dirs.has("src") ? await list(path.join(root, "src")) : undefined;
  const usual = [
    ...["server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs", "app.mjs"].filter((f) => top.files.has(f)),
    ...["index", "server", "app", "main"]
      .flatMap((b) => [`${b}.ts`, `${b}.js`, `${b}.mjs`])
      .filter((f) => src?.files.has(f))
      .map((f) => `src/${f}`),
  ];
  found.sources = [...new Set([...named, ...usual])];
  // A PORT=4000 prefix in the start script is the most explicit.
  if (start !== undefined) found.port = portIn(/\bPORT=\d/.test(start) ? start : undefined);
  return found;
}

async function detectPython(read: Reader, top: Listing, pyproject: string | undefined): Promise<Found> {
  const project = tomlTable(pyproject, "project");
  const poetry = tomlTable(pyproject, "tool.poetry");
  const found: Found = { sources: [] };

  let name = project.get("name") ?? poetry.get("name");
  if (name === undefined && top.files.has("setup.py")) {
    name = /\bname\s*=\s*["']([^"']+)["']/.exec((await read("setup.py")) ?? "")?.[1];
  }
  if (name === undefined && top.files.has("setup.cfg")) {
    name = /^\[metadata\][^[]*?^name\s*=\s*([\w.-]+)/m.exec((await read("setup.cfg")) ?? "")?.[1];
  }
  if (name !== undefined) found.name = name;

  const pin = await firstOf(read, top, [".python-version"]);
  const pinned = pin
    ?.split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^\d+\.\d+/.test(l));
  const runtime = top.files.has("runtime.txt") ? (await read("runtime.txt"))?.trim() : undefined;
  found.languageVersion =
    majorMinor(pinned) ??
    majorMinor(project.get("requires-python")) ??
    majorMinor(tomlTable(pyproject, "tool.poetry.dependencies").get("python")) ??
    majorMinor(runtime);

  const pkgDir = found.name?.replace(/-/g, "_").toLowerCase();
  const files = ["main.py", "app.py", "server.py", "asgi.py", "wsgi.py", "Procfile"];
  const sources = files.filter((f) => top.files.has(f));
  for (const d of ["app", "src", pkgDir]) {
    if (d !== undefined && top.dirs.has(d)) sources.push(`${d}/main.py`, `${d}/app.py`, `${d}/__main__.py`);
  }
  if (pkgDir !== undefined && top.dirs.has("src")) {
    sources.push(`src/${pkgDir}/main.py`, `src/${pkgDir}/app.py`, `src/${pkgDir}/__main__.py`);
  }
  found.sources = sources;
  return found;
}

async function detectGo(root: string, top: Listing, gomod: string | undefined): Promise<Found> {
  const found: Found = { sources: [] };
  const mod = gomod ?? "";
  const module = /^\s*module\s+"?([^\s"]+)"?/m.exec(mod)?.[1];
  if (module !== undefined) {
    const segments = module.split("/").filter((s) => s !== "" && !/^v\d+$/.test(s));
    found.name = segments[segments.length - 1];
  }
  const toolchain = /^\s*toolchain\s+go(\d+\.\d+)/m.exec(mod)?.[1];
  const goLine = /^\s*go\s+(\d+\.\d+)/m.exec(mod)?.[1];
  // The toolchain line (when newer) names the Go that builds the module.
  found.languageVersion =
    toolchain !== undefined && (goLine === undefined || compareParts(toolchain.split(".").map(Number), goLine.split(".").map(Number)) > 0)
      ? toolchain
      : goLine;

  const sources = ["main.go", "server.go"].filter((f) => top.files.has(f));
  if (top.dirs.has("cmd")) {
    const cmd = [...(await list(path.join(root, "cmd"))).dirs].sort();
    // Prefer cmd/<name>, then cmd/server, then the rest (at most 4).
    cmd.sort((a, b) => rankCmd(b, found.name) - rankCmd(a, found.name));
    sources.push(...cmd.slice(0, 4).map((d) => `cmd/${d}/main.go`));
  }
  found.sources = sources;
  return found;
}

function rankCmd(d: string, name: string | undefined): number {
  if (d === name) return 3;
  if (d === "server" || d === "api") return 2;
  return 0;
}

/** pom.xml without the blocks whose artifactIds are not the project's. */
function pomProjectPart(pom: string): string {
  return pom
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<profiles>[\s\S]*?<\/profiles>/g, "")
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, "")
    .replace(/<build>[\s\S]*?<\/build>/g, "")
    .replace(/<reporting>[\s\S]*?<\/reporting>/g, "")
    .replace(/<dependencies>[\s\S]*?<\/dependencies>/g, "")
    .replace(/<parent>[\s\S]*?<\/parent>/g, "");
}

async function detectJava(
  root: string,
  read: Reader,
  top: Listing,
  buildTool: "maven" | "gradle",
  buildFile: string | undefined,
): Promise<Found> {
  const found: Found = { sources: [] };
  const text = (buildFile ?? "").replace(/<!--[\s\S]*?-->/g, "");

  if (buildTool === "maven") {
    const artifactId = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(pomProjectPart(buildFile ?? ""))?.[1];
    if (artifactId !== undefined && !artifactId.includes("${")) found.name = artifactId;
    found.languageVersion = javaMajor(
      firstMatch(text, [
        /<maven\.compiler\.release>\s*([\d.]+)\s*</,
        /<java\.version>\s*([\d.]+)\s*</,
        /<release>\s*([\d.]+)\s*<\/release>/,
        /<maven\.compiler\.target>\s*([\d.]+)\s*</,
        /<maven\.compiler\.source>\s*([\d.]+)\s*</,
        /<target>\s*([\d.]+)\s*<\/target>/,
      ]),
    );
  } else {
    const settings = await firstOf(read, top, ["settings.gradle.kts", "settings.gradle"]);
    const rootName = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings ?? "")?.[1];
    if (rootName !== undefined) found.name = rootName;
    found.languageVersion = javaMajor(
      firstMatch(text, [
        /JavaLanguageVersion\.of\(\s*["']?(\d+)/,
        /jvmToolchain\(\s*(\d+)/,
        /options\.release(?:\.set\(|\s*=\s*)\s*(\d+)/,
        /sourceCompatibility\s*=\s*(JavaVersion\.VERSION_[\d_]+|["']?[\d.]+)/,
        /targetCompatibility\s*=\s*(JavaVersion\.VERSION_[\d_]+|["']?[\d.]+)/,
      ]),
    );
  }
  if (found.languageVersion === undefined) {
    const pin = await firstOf(read, top, [".java-version", ".sdkmanrc"]);
    found.languageVersion = javaMajor(/^\s*(?:java\s*=\s*)?(\d[\w.-]*)/m.exec(pin ?? "")?.[1]);
  }

  const resources = ["application.properties", "application.yml", "application.yaml"].map(
    (f) => `src/main/resources/${f}`,
  );
  const [props, yml, yaml] = await Promise.all(resources.map(read));
  const springYaml = yml ?? yaml;
  found.port = portIn(props) ?? springYamlPort(springYaml);

  if (text.includes("spring-boot-starter-actuator")) {
    const base =
      /^[ \t]*management\.endpoints\.web\.base-path[ \t]*[=:][ \t]*(\/[\w/-]*)/m.exec(props ?? "")?.[1] ??
      springYamlBasePath(springYaml);
    found.healthPath = `${base === undefined || base === "/" ? "/actuator" : base.replace(/\/+$/, "")}/health`;
  }
  found.sources = await javaSources(root, top);
  return found;
}

/** `server:\n  port: 8081` (or `server.port: 8081`) in a Spring YAML file. */
function springYamlPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m =
    /^server\.port:[ \t]*(?:["']?\$\{[A-Za-z_.]+:)?["']?(\d{2,5})\b/m.exec(text) ??
    /^server:[ \t]*\r?\n(?:[ \t]+.*\r?\n)*?[ \t]+port:[ \t]*(?:["']?\$\{[A-Za-z_.]+:)?["']?(\d{2,5})\b/m.exec(text);
  const n = m?.[1] === undefined ? undefined : Number(m[1]);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

function springYamlBasePath(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return (
    /^[ \t]*management\.endpoints\.web\.base-path:[ \t]*["']?(\/[\w/-]*)/m.exec(text)?.[1] ??
    /^[ \t]+base-path:[ \t]*["']?(\/[\w/-]*)/m.exec(text)?.[1]
  );
}

/**
 * Entry-point-like Java/Kotlin sources under src/main: a bounded walk
 * (at most 40 directories, 8 levels) for *Application, *App, Main, *Server,
 * *Controller, *Health* files; at most 6 are returned.
 */
async function javaSources(root: string, top: Listing): Promise<string[]> {
  if (!top.dirs.has("src")) return [];
  const out: string[] = [];
  let level = ["src/main/java", "src/main/kotlin"];
  let visited = 0;
  // Breadth first, one level at a time, the directories of a level in parallel.
  for (let depth = 0; depth <= 8 && level.length > 0 && visited < 40 && out.length < 6; depth++) {
    level = level.slice(0, 40 - visited);
    visited += level.length;
    const listings = await Promise.all(level.map((rel) => list(path.join(root, rel))));
    const next: string[] = [];
    listings.forEach((l, i) => {
      const rel = level[i]!;
      for (const f of [...l.files].sort()) {
        if (/(?:Application|App|Main|Server|Controller|Health\w*)\.(?:java|kt)$/.test(f)) out.push(`${rel}/${f}`);
      }
      for (const d of [...l.dirs].sort()) next.push(`${rel}/${d}`);
    });
    level = next;
  }
  return out.slice(0, 6);
}

// ---------------------------------------------------------------- detect

/**
 * Facts about the service in `dir`, for `{ detect: key }` defaults. Keys are
 * listed in `detectedKeys`; a key is absent when nothing was found.
 */
export async function detect(dir: string): Promise<DetectResult> {
  const root = path.resolve(dir);
  const read: Reader = (rel) => readHead(path.join(root, rel));
  const top = await list(root);
  const readIf = (n: string) => (top.files.has(n) ? read(n) : Promise.resolve(undefined));

  const [pkgText, pyproject, gomod, pom, gradle, gradleKts, dockerfile, gitConfig] = await Promise.all([
    readIf("package.json"),
    readIf("pyproject.toml"),
    readIf("go.mod"),
    readIf("pom.xml"),
    readIf("build.gradle"),
    readIf("build.gradle.kts"),
    top.files.has("Dockerfile") ? read("Dockerfile") : readIf("Containerfile"),
    readGitConfig(root),
  ]);

  // Which language: the most specific manifest wins (a Python or Java
  // service may carry a package.json for tooling; requirements.txt alone
  // is weaker than a package.json).
  let language: "node" | "python" | "go" | "java" | undefined;
  let buildTool: "maven" | "gradle" | undefined;
  const has = (n: string) => top.files.has(n);
  if (has("go.mod")) language = "go";
  else if (has("pom.xml")) [language, buildTool] = ["java", "maven"];
  else if (has("build.gradle") || has("build.gradle.kts")) [language, buildTool] = ["java", "gradle"];
  else if (has("pyproject.toml") || has("setup.py")) language = "python";
  else if (has("package.json")) language = "node";
  else if (has("requirements.txt")) language = "python";

  let found: Found = { sources: [] };
  if (language === "node") found = await detectNode(root, read, top, pkgText);
  else if (language === "python") found = await detectPython(read, top, pyproject);
  else if (language === "go") found = await detectGo(root, top, gomod);
  else if (language === "java" && buildTool !== undefined) {
    found = await detectJava(root, read, top, buildTool, buildTool === "maven" ? pom : (gradleKts ?? gradle));
  }

  // Port and health route: the known source files, then the Dockerfile.
  const texts = await Promise.all(found.sources.map(read));
  let port = found.port;
  for (const t of texts) port ??= portIn(t);
  port ??= portIn(dockerfile);
  const healthPath =
    found.healthPath ??
    bestHealth(texts.flatMap(healthIn)) ??
    /^[ \t]*HEALTHCHECK\b.*?https?:\/\/[^/\s"']+(\/[\w./~-]*)/m.exec(dockerfile ?? "")?.[1];

  const remote = remoteUrl(gitConfig);
  const github = remote === undefined ? undefined : parseGitHubRemote(remote);

  const name = slugify(found.name ?? "") || slugify(path.basename(root)) || undefined;

  const result: DetectResult = {
    name,
    language,
    buildTool,
    languageVersion: found.languageVersion,
    lintCommand: found.lintCommand,
    testCommand: found.testCommand,
    startCommand: found.startCommand,
    port,
    healthPath,
    owner: github?.owner,
    repoUrl: github?.repoUrl,
  };
  for (const k of Object.keys(result)) if (result[k] === undefined) delete result[k];
  return result;
}
