/**
 * Repositories that hold a program but not a network service: a Go command-line program (a main
 * package with no listener anywhere in its module), an npm library (published, never run), a
 * root package.json that only runs tools over sub-folders that are the services. Each judgement
 * looks for any sign of a service first and refuses only when none is found in everything it
 * read; whatever it cannot read whole (a cap reached, a file cut at the read limit, a module of
 * the checkout outside the folder) keeps the folder a service, so a real service is not refused.
 */
import path from "node:path";
import { declaredDependencies, requirementsIn } from "./pyproject.js";
import { PYTHON_SERVICE, type Refusal } from "./shape.js";
import { MAX_READ, list, readHead, type Listing, type Reader } from "./read.js";

// ---------------------------------------------------------------------------------------------
// Go

/** Calls, types and constructors that listen, or that only a server has (a handler's writer). */
const GO_LISTENER = [
  /(?:ListenAndServe|NewServeMux|NewServer|RunTLS|RunUnix|RunListener|StartTLS|StartServer)\w*\s*\(/,
  /\.(?:Serve|Listen)\w*\s*\(/,
  /\b(?:net|tls|quic|kcp)\.Listen\w*\s*\(|\bnet\.FileListener\s*\(/,
  /\bhttp\.(?:Serve|ServeTLS|Handle|HandleFunc)\s*\(|\bhttp\.(?:Server|ResponseWriter|Handler|HandlerFunc)\b/,
  /\b(?:gin\.(?:New|Default)|echo\.New|fiber\.New|iris\.(?:New|Default)|chi\.NewRouter|mux\.NewRouter|httprouter\.New|beego\.Run|server\.Default|grpc\.NewServer|kratos\.New|micro\.NewService|fx\.New|lambda\.Start|\w+\.Spin)\s*\(/,
];

/** Imports of server frameworks (a listener, even when started through the library). */
const GO_SERVICE_IMPORT =
  /"(?:github\.com\/(?:gin-gonic\/gin|labstack\/echo|gofiber\/fiber|go-chi\/chi|gorilla\/(?:mux|websocket|handlers)|julienschmidt\/httprouter|valyala\/fasthttp|kataras\/iris|beego\/beego|astaxie\/beego|cloudwego\/(?:hertz|kitex)|go-kratos\/kratos|micro\/go-micro|go-micro|zeromicro\/go-zero|gogf\/gf|gobuffalo\/buffalo|revel\/revel|twitchtv\/twirp|99designs\/gqlgen\/graphql\/handler|grpc-ecosystem\/grpc-gateway|aws\/aws-lambda-go|miekg\/dns|gliderlabs\/ssh|caddyserver\/caddy|prometheus\/client_golang\/prometheus\/promhttp)|go\.uber\.org\/fx|connectrpc\.com|golang\.org\/x\/net\/http2)[/"]/;

/** Imports of what keeps a worker running without a listener: queues, brokers, schedulers, bots. */
const GO_WORKER_IMPORT =
  /"(?:github\.com\/(?:hibiken\/asynq|RichardKnop\/machinery|segmentio\/kafka-go|IBM\/sarama|Shopify\/sarama|confluentinc\/confluent-kafka-go|twmb\/franz-go|nats-io\/[\w.-]+|streadway\/amqp|rabbitmq\/amqp091-go|robfig\/cron|go-co-op\/gocron|bwmarrin\/discordgo|go-telegram-bot-api\/telegram-bot-api|go-telegram\/bot|aws\/aws-sdk-go(?:-v2)?\/service\/sqs)|go\.temporal\.io\/sdk\/worker|cloud\.google\.com\/go\/pubsub|gopkg\.in\/telebot\.v\d)[/"]/;

/** What a long-running process does that a command run to completion does not. */
const GO_DAEMON = /\bsignal\.Notify\s*\(|\bselect\s*\{\s*\}|^\s*<-\s*[\w.]+(?:\(\))?\s*$|\btime\.(?:NewTicker|Tick)\s*\(/m;

/** Command-line libraries, by import path, and how they are named. */
const GO_CLI: [RegExp, string][] = [
  [/"github\.com\/spf13\/cobra"/, "spf13/cobra"],
  [/"github\.com\/urfave\/cli(?:\/v\d)?"/, "urfave/cli"],
  [/"github\.com\/alecthomas\/kong"/, "alecthomas/kong"],
  [/"(?:gopkg\.in\/alecthomas\/kingpin\.v2|github\.com\/alecthomas\/kingpin(?:\/v2)?)"/, "kingpin"],
  [/"github\.com\/peterbourgon\/ff(?:\/v\d)?(?:\/ffcli)?"/, "peterbourgon/ff"],
  [/"github\.com\/jessevdk\/go-flags"/, "jessevdk/go-flags"],
  [/"flag"/, "the flag package"],
];

/**
 * A `.Run(`/`.Start(` call that may start a server through a library (a framework's `app.Run()`,
 * go-zero's `server.Start()`), i.e. one that is not a command's (`exec.Command(...).Run()`,
 * urfave/cli's `app.Run(os.Args)`, kong's `ctx.Run()`, pprof or trace).
 */
function goRunCall(text: string, module?: string): string | undefined {
  const local = new Set<string>();
  // The module's own packages are read whole with it: their Run() is no library's server.
  if (module !== undefined) {
    const own = new Set<string>();
    const prefix = `${module}/`.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    for (const m of text.matchAll(new RegExp(`^\\s*(?:import\\s+)?(\\w+\\s+)?"${prefix}(?:[\\w.-]+/)*([\\w.-]+)"`, "gm"))) own.add((m[1] ?? m[2]!).trim());
    for (const p of own) {
      local.add(p);
      for (const m of text.matchAll(new RegExp(`(\\w+)(?:\\s*,\\s*\\w+)?\\s*:?=\\s*&?${p}\\.\\w+`, "g"))) local.add(m[1]!);
    }
  }
  for (const m of text.matchAll(
    /(\w+)\s*:?=\s*(?:&?exec\.Cmd\s*\{|exec\.Command(?:Context)?\s*\(|kong\.(?:Parse|Must)\s*\(|\w+\.Parse\s*\(\s*os\.Args|tea\.NewProgram\s*\()/g,
  ))
    local.add(m[1]!);
  for (const line of text.split("\n")) {
    if (/^\s*\/\//.test(line)) continue;
    for (const m of line.matchAll(/(\w+|\))\s*\.\s*(?:Run|Start)\w*\s*\(([^)]*)/g)) {
      const [call, recv, args] = [m[0], m[1]!, m[2] ?? ""];
      if (/\bos\.Args\b/.test(args) || /\bos\.Args\b/.test(line.slice(m.index ?? 0))) continue;
      if (recv === ")" ? /\bexec\.Command/.test(line) : local.has(recv) || /^(?:os|exec|pprof|trace|runtime|strings|bytes|utf8|testing|t|b|m)$/.test(recv))
        continue;
      return call.trim();
    }
  }
  return undefined;
}

/** Why a Go source shows a listener (a listen call, a server framework, a handler), or undefined. */
export function goServiceSign(text: string, module?: string): string | undefined {
  const code = text.replace(/^\s*\/\/.*$/gm, "");
  for (const re of GO_LISTENER) {
    const m = re.exec(code);
    if (m) return m[0].trim();
  }
  const imp = GO_SERVICE_IMPORT.exec(code);
  if (imp) return `import ${imp[0].replace(/[/"]$/, "")}"`;
  return goRunCall(code, module);
}

/** Why a Go source shows a long-running worker (a queue or bot client, a signal wait, a ticker), or undefined. */
export function goWorkerSign(text: string): string | undefined {
  const code = text.replace(/^\s*\/\/.*$/gm, "");
  const imp = GO_WORKER_IMPORT.exec(code);
  if (imp) return `import ${imp[0].replace(/[/"]$/, "")}"`;
  return GO_DAEMON.exec(code)?.[0].trim();
}

const GO_SKIP = /^(?:\.|_|vendor$|node_modules$|testdata$)/;
const GO_MAX_FILES = 400;

/**
 * A Go module whose every Go file (tests left out) shows no sign of a service: the main package
 * is a command-line program. Undefined when a sign is found or the module cannot be read whole
 * (more than GO_MAX_FILES files, a file longer than the read limit, a module of the checkout
 * it replaces an import with).
 */
export async function goWithoutListener(root: string, read: Reader, gomod: string, main: string): Promise<GoProgram | undefined> {
  // A module replaced by a folder of the checkout is built into the program too: not read here.
  if (/^\s*(?:replace\s+)?[^\s=]+(?:\s+v\S+)?\s*=>\s*\.{1,2}\//m.test(gomod)) return undefined;
  const module = /^\s*module\s+"?([^\s"]+)"?/m.exec(gomod)?.[1];
  const files: string[] = [];
  const queue: [string, number][] = [[".", 0]];
  while (queue.length > 0) {
    const [dir, depth] = queue.shift()!;
    const l = await list(path.join(root, dir));
    for (const f of [...l.files].sort()) {
      if (!f.endsWith(".go") || f.endsWith("_test.go")) continue;
      files.push(dir === "." ? f : `${dir}/${f}`);
      if (files.length > GO_MAX_FILES) return undefined;
    }
    if (depth < 8) for (const d of [...l.dirs].sort()) if (!GO_SKIP.test(d)) queue.push([dir === "." ? d : `${dir}/${d}`, depth + 1]);
  }
  let cli: string | undefined;
  let worker: { file: string; sign: string } | undefined;
  for (const f of files) {
    const t = await read(f);
    if (t === undefined || Buffer.byteLength(t) >= MAX_READ) return undefined;
    if (goServiceSign(t, module) !== undefined) return undefined;
    cli ??= GO_CLI.find(([re]) => re.test(t))?.[1];
    if (worker === undefined) {
      const sign = goWorkerSign(t);
      if (sign !== undefined) worker = { file: f, sign };
    }
  }
  return { main, files: files.length, cli, worker };
}

/** A Go main package with no listener in its module: a command-line program, or a worker when something keeps it running. */
export interface GoProgram {
  main: string;
  files: number;
  cli?: string | undefined;
  /** What keeps it running (a queue or bot client, a signal wait, a ticker) and where. */
  worker?: { file: string; sign: string } | undefined;
}

export function goProgramRefusal(root: string, found: GoProgram): Refusal {
  const others = found.files - 1;
  if (found.worker !== undefined) {
    const w = found.worker;
    return {
      message: `a background worker with no network listener (Go, ${found.main}): ${w.file} runs without a listener (${w.sign}), and neither it nor the ${others > 0 ? `${others} other Go file${others === 1 ? "" : "s"} of the module` : "module"} opens a port (no ListenAndServe, Serve or net.Listen, no server framework or gRPC server); a pipeline deploys a service that listens on a port, and its probes would never pass`,
      hint: `nothing was written; a worker that consumes a queue or a bot's messages needs a Deployment without a Service and without TCP or HTTP probes, which this pipeline does not make. If it does listen (a health or metrics endpoint started where detection does not look), say so with --port <port> (and --start-command "./<binary> <args>" if it needs arguments)`,
      where: path.join(root, found.main),
      overriddenBy: ["port", "startCommand"],
      worker: true,
    };
  }
  return {
    message: `a Go command-line program (${found.main}${found.cli ? `, built on ${found.cli}` : ""}): no network listener found in it${others > 0 ? ` or the ${others} other Go file${others === 1 ? "" : "s"} of the module` : ""} (no ListenAndServe, Serve or net.Listen, no server framework, gRPC server, handler or worker loop); a pipeline deploys a service that listens on a port, and its probes would never pass`,
    hint: `nothing was written; a command-line tool is released as binaries or an image to run as a job, not deployed as a service. If it is a service whose listener is started where detection does not look, say so with --port <port> (and --start-command "./<binary> <args>" if it needs arguments)`,
    where: path.join(root, found.main),
    overriddenBy: ["port", "startCommand"],
    // Named with --services it is refused all the same, as a Node.js or Python program that opens no port.
    worker: true,
  };
}

// ---------------------------------------------------------------------------------------------
// Node.js

/** Dependencies that make a package a server, a web application or a long-running worker. */
const NODE_SERVICE_DEP =
  /^(?:express|fastify|koa|@koa\/router|koa-router|@hapi\/hapi|hapi|hono|@hono\/node-server|next|nuxt|@nestjs\/core|@nestjs\/platform-[\w-]+|restify|polka|micro|@feathersjs\/[\w-]+|sails|loopback|@loopback\/(?:core|rest)|@adonisjs\/core|socket\.io|ws|graphql-yoga|apollo-server(?:-[\w-]+)?|@apollo\/server|@remix-run\/(?:serve|express|node)|@react-router\/serve|@sveltejs\/kit|astro|@grpc\/grpc-js|grpc|json-server|connect|http-server|serve|@trpc\/server|elysia|h3|nitropack|strapi|@strapi\/strapi|@keystone-6\/core|gatsby|vite|react-scripts|@angular\/core|discord\.js|telegraf|node-telegram-bot-api|grammy|bullmq|bull|kafkajs|amqplib|node-cron|cron|agenda|@slack\/bolt|probot)$/;

/** A listener, or what keeps a process running, in a Node.js source. */
const NODE_LISTENER =
  /\.listen\s*\(|\bcreate(?:Secure)?Server\s*\(|\bserve\s*\(\s*\{|\bNestFactory\b|\bstartStandaloneServer\b|\b(?:Bun|Deno)\.serve\b|\bprocess\.env\.PORT\b|\bsetInterval\s*\(|\bprocess\.on\s*\(\s*["']SIG|\.login\s*\(|\bnew\s+Worker\s*\(|\bschedule\s*\(/;

/** What in package.json makes it a package to publish. */
const LIBRARY_FIELDS = ["exports", "types", "typings", "module", "bin", "files", "peerDependencies", "publishConfig"];

const NODE_SOURCE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;
const NODE_MAX_FILES = 150;

/**
 * The files a package's entry reaches by relative imports (require("./x"), import ... from
 * "./x", export ... from "./x"), with every JavaScript or TypeScript file at the root and in
 * src/ and lib/. Undefined when more than NODE_MAX_FILES would have to be read or a file is
 * longer than the read limit.
 */
async function nodeSources(root: string, read: Reader, top: Listing, entries: string[]): Promise<Map<string, string> | undefined> {
  const texts = new Map<string, string>();
  const queue = [...entries, ...[...top.files].filter((f) => NODE_SOURCE.test(f) && !/\.d\.[cm]?ts$/.test(f)).sort()];
  for (const d of ["src", "lib", "source"].filter((x) => top.dirs.has(x))) {
    for (const f of [...(await list(path.join(root, d))).files].sort()) if (NODE_SOURCE.test(f) && !/\.d\.[cm]?ts$/.test(f)) queue.push(`${d}/${f}`);
  }
  while (queue.length > 0) {
    const f = path.posix.normalize(queue.shift()!);
    if (texts.has(f) || f.startsWith("..")) continue;
    const t = await read(f);
    if (t === undefined) continue;
    if (Buffer.byteLength(t) >= MAX_READ || texts.size >= NODE_MAX_FILES) return undefined;
    texts.set(f, t);
    for (const m of t.matchAll(/(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm)) {
      const rel = path.posix.join(path.posix.dirname(f), m[1]!);
      const base = rel.replace(/\.[cm]?js$/, "");
      queue.push(rel, ...[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", "/index.js", "/index.ts"].map((e) => `${base}${e}`));
    }
  }
  return texts;
}

/**
 * An npm package to publish (exports, types, files, bin...; not private) with no start script,
 * no Procfile or Dockerfile, no server or worker among its dependencies and no listener in its
 * entry or any file it imports: a library (or a command-line package), not a service.
 */
export async function nodeLibraryRefusal(
  root: string,
  read: Reader,
  top: Listing,
  pkg: Record<string, unknown>,
  startFrom: string | undefined,
): Promise<Refusal | undefined> {
  if (pkg.private === true) return undefined;
  if (["Procfile", "Dockerfile", "Containerfile", "server.js", "server.ts", "app.js"].some((f) => top.files.has(f))) return undefined;
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  if (["start", "start:prod", "start:production", "prod", "serve", "docker:start"].some((k) => typeof scripts[k] === "string")) return undefined;
  // Only a start command that is the package's main or a usual entry file (or none) is in doubt.
  if (startFrom !== undefined && !/^package\.json main |\(the usual entry file/.test(startFrom)) return undefined;
  const signs = LIBRARY_FIELDS.filter((k) => pkg[k] !== undefined);
  if (top.files.has("index.d.ts") && !signs.includes("types")) signs.push("index.d.ts");
  if (signs.length === 0) return undefined;
  const deps = Object.keys((pkg.dependencies ?? {}) as Record<string, unknown>);
  if (deps.some((d) => NODE_SERVICE_DEP.test(d))) return undefined;
  const main = typeof pkg.main === "string" ? pkg.main : undefined;
  const entries = [main, "index.js", "index.mjs", "index.cjs", "index.ts", "src/index.ts", "src/index.js"].filter((e): e is string => e !== undefined);
  const texts = await nodeSources(root, read, top, entries);
  if (texts === undefined || [...texts.values()].some((t) => NODE_LISTENER.test(t))) return undefined;
  const read1 = [...texts.keys()];
  const entry = read1.find((f) => entries.includes(f)) ?? read1[0];
  const bin = pkg.bin !== undefined;
  return {
    message: `an npm ${bin ? "command-line package" : "library"} (package.json ${signs.join(", ")}): no start script, no server framework among its dependencies and no listener${entry ? ` in ${entry}${read1.length > 1 ? ` or the ${read1.length - 1} other file${read1.length === 2 ? "" : "s"} it is made of` : ""}` : ""} (listen(), createServer(), serve()); a package is published to a registry, not run as a service`,
    hint: `nothing was written; release it with npm publish. If it is a service after all, say how it starts with --start-command "node <file>" and --port <port>; in a repository of several services, name the service folders with --services`,
    where: path.join(root, "package.json"),
    overriddenBy: ["startCommand", "port"],
  };
}

// ---------------------------------------------------------------------------------------------
// A root package.json that only runs tools over its sub-folders

/** Tools that run scripts of other folders or several scripts at once. */
const ORCHESTRATOR = /\b(?:concurrently|npm-run-all2?|run-p|run-s|turbo|nx|lerna|wireit)\b/;

/**
 * The root's start script, with the scripts it runs (npm run x, yarn x, concurrently's "npm:x",
 * npm-run-all's names and globs), as separate commands.
 */
function expandScript(scripts: Record<string, unknown>, name: string, seen = new Set<string>()): string[] {
  const s = scripts[name];
  if (typeof s !== "string" || seen.has(name)) return [];
  seen.add(name);
  const out = [s];
  const refs = new Set<string>();
  for (const m of s.matchAll(/\b(?:npm\s+run(?:-script)?|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+([\w:.-]+)(?![^"']*--(?:prefix|cwd|dir)\b)/g))
    refs.add(m[1]!);
  for (const m of s.matchAll(/["']npm:([\w:.*-]+)["']/g)) refs.add(m[1]!);
  const runAll = /\b(?:npm-run-all2?|run-p|run-s)\b((?:\s+[^\s&|;]+)+)/.exec(s)?.[1];
  for (const w of runAll?.trim().split(/\s+/) ?? []) if (!w.startsWith("-")) refs.add(w.replace(/^["']|["']$/g, ""));
  for (const r of refs) {
    const names = r.includes("*") ? Object.keys(scripts).filter((k) => new RegExp(`^${r.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(k)) : [r];
    for (const n of names) if (n !== name && n in scripts) out.push(...expandScript(scripts, n, seen));
  }
  return out;
}

/** A runtime or server the root would run itself (not through a sub-folder). */
const RUNS_ITSELF =
  /(?:^|[\s"'&;])(?:node|nodemon|ts-node|ts-node-dev|tsx|pm2|pm2-runtime|next|nuxt|nest|remix-serve|react-router-serve|gunicorn|uvicorn|python3?|go\s+run|java)\s+(?!--prefix)/;

/**
 * A root package.json (no workspaces) whose start script only runs tools (concurrently,
 * npm-run-all, turbo, nx...) or the scripts of sub-folders that hold their own manifests
 * (backend/, frontend/): the sub-folders are the services, the root is none.
 */
export async function toolingRootRefusal(
  root: string,
  top: Listing,
  pkg: Record<string, unknown>,
  startFrom: string | undefined,
  manifests: readonly string[],
): Promise<Refusal | undefined> {
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  // The start script is how the root starts (or was not taken: it runs a file the root does not have).
  const viaStart = startFrom === undefined ? typeof scripts.start === "string" : /scripts\.start |Procfile web "(?:npm|yarn|pnpm)/.test(startFrom);
  if (pkg.workspaces !== undefined || !viaStart) return undefined;
  const commands = expandScript(scripts, "start");
  const all = commands.join("\n");
  const deps = Object.keys((pkg.dependencies ?? {}) as Record<string, unknown>);
  if (deps.some((d) => NODE_SERVICE_DEP.test(d))) return undefined;
  const dirs = [...top.dirs].filter((d) => !d.startsWith(".") && d !== "node_modules").sort();
  const listed = await Promise.all(dirs.map(async (d) => [d, await list(path.join(root, d))] as const));
  const used = listed
    .filter(([d, l]) => manifests.some((m) => l.files.has(m)) && new RegExp(`(?:^|[\\s"'=/])(?:\\./)?${d.replace(/[.]/g, "\\.")}(?:[/\\s"']|$)`, "m").test(all))
    .map(([d]) => d);
  if (used.length === 0) return undefined;
  const delegates = (c: string) => used.some((d) => new RegExp(`(?:--prefix[= ]|--cwd[= ]|--dir[= ]|-C\\s+|--filter[= ]|\\bcd\\s+)(?:\\./)?${d}\\b`).test(c));
  if (!ORCHESTRATOR.test(all) && !commands.some(delegates)) return undefined;
  // The root runs something of its own beside them (node server.js in concurrently): it is a service.
  const quoted = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;
  const pieces = commands.flatMap((c) => [c.replace(quoted, " "), ...[...c.matchAll(quoted)].map((m) => m[1] ?? m[2] ?? "")]);
  const inUsed = (p: string) => used.some((d) => new RegExp(`(?:^|[\\s"'])(?:\\./)?${d}/`).test(p));
  const own = pieces.some(
    (p) =>
      !delegates(p) &&
      p
        .split(/&&|;|\|\||&/)
        .map((x) => x.trim())
        .some((x) => RUNS_ITSELF.test(` ${x}`) && !inUsed(x)),
  );
  if (own) return undefined;
  // Which of them run as services: a start script (or another manifest, a Dockerfile); a
  // package without one (a front-end its build turns into files) is named apart.
  const runs = await Promise.all(
    used.map(async (d) => {
      const l = listed.find(([x]) => x === d)![1];
      if (!l.files.has("package.json") || l.files.has("Dockerfile") || manifests.some((m) => m !== "package.json" && l.files.has(m))) return true;
      const sub = (await readHead(path.join(root, d, "package.json"))) ?? "";
      return /"(?:start|start:prod|serve)"\s*:/.test(sub);
    }),
  );
  const services = used.filter((_, i) => runs[i]);
  const others = used.filter((_, i) => !runs[i]);
  const start = String(scripts.start ?? "");
  const apart = others.length > 0 && services.length > 0 ? ` (${others.join(", ")}: no start script, so not a service either)` : "";
  return {
    message: `a repository root whose package.json only runs tools over its sub-folders (${used.join(", ")}): scripts.start "${start}" starts them, each with its own manifest, and the root has no service of its own; one image of this root would hold none of them`,
    hint: `nothing was written; make a pipeline for ${services.length > 0 ? `the service${services.length === 1 ? "" : "s"} among them` : "each of them"} in this repository with --services ${(services.length > 0 ? services : used).join(",")}${apart}. If the root really is one service, say how it starts with --start-command (and --port)`,
    where: path.join(root, "package.json"),
    overriddenBy: ["startCommand"],
  };
}

// ---------------------------------------------------------------------------------------------
// Python

/** A listener, a server run from code, or a worker in a Python source. */
const PYTHON_LISTENER =
  /\b(?:serve_forever|run_app|start_server|start_http_server|make_server|HTTPServer|TCPServer|run_simple)\s*\(|\b(?:uvicorn|hypercorn|waitress|bjoern|granian)\.(?:run|serve)\s*\(|\.bind\s*\(\s*\(|\bgrpc\.(?:aio\.)?server\s*\(|\bapp\.run\s*\(|\bsignal\.signal\s*\(|\bschedule\.every\b|\bwhile\s+True\s*:/;

/**
 * A Python package to build and publish (pyproject.toml [build-system], or setup.py) for which no
 * start command was found, with no server, framework or worker among its dependencies and no
 * listener in the sources read: a library, not a service (said as such instead of only "no
 * start command found").
 */
export function pythonLibraryRefusal(
  root: string,
  top: Listing,
  texts: { pyproject?: string | undefined; requirements?: string | undefined; pipfile?: string | undefined; sources: (string | undefined)[] },
): Refusal | undefined {
  if (["Procfile", "Dockerfile", "Containerfile", "manage.py"].some((f) => top.files.has(f))) return undefined;
  const backend = /^\s*build-backend\s*=\s*["']([^"']+)["']/m.exec(texts.pyproject ?? "")?.[1];
  const built = backend !== undefined ? `pyproject.toml [build-system] ${backend}` : top.files.has("setup.py") ? "setup.py" : undefined;
  if (built === undefined) return undefined;
  const declared = declaredDependencies(texts.pyproject, texts.pipfile);
  const names = [...declared.runtime, ...requirementsIn(texts.requirements)];
  if (names.some((n) => PYTHON_SERVICE.test(n))) return undefined;
  if (texts.sources.some((t) => t !== undefined && PYTHON_LISTENER.test(t))) return undefined;
  const cli = /^\[(?:project\.scripts|tool\.poetry\.scripts)\]/m.test(texts.pyproject ?? "") || /console_scripts/.test(texts.pyproject ?? "");
  return {
    message: `a Python ${cli ? "command-line package" : "library"} (${built}): no app entry point (Procfile web line, app object with its server, manage.py, script that runs itself) and no web framework, server or worker among its dependencies; a package is published to a registry, not run as a service`,
    hint: "nothing was written; release it with a package upload (uv publish, twine). If it is a service after all, say how it starts with --start-command (and --port)",
    where: path.join(root, backend !== undefined ? "pyproject.toml" : "setup.py"),
    overriddenBy: ["startCommand"],
  };
}

// ---------------------------------------------------------------------------------------------
// Background workers: a bot, a queue consumer or a scheduler that never opens a port

/** Node.js dependencies of a process that runs without a listener (bots, queue consumers, schedulers). */
const NODE_WORKER_DEP =
  /^(?:discord\.js|@discordjs\/core|eris|oceanic\.js|telegraf|node-telegram-bot-api|grammy|bullmq|bull|bee-queue|kafkajs|amqplib|amqp-connection-manager|nats|@google-cloud\/pubsub|sqs-consumer|@aws-sdk\/client-sqs|node-cron|cron|agenda)$/;

/** A listener in a Node.js source (a webhook mode or a PORT read counts: it may listen). */
const NODE_SERVER_SIGN =
  /\.listen\s*\(|\bcreate(?:Secure)?Server\s*\(|\bserve\s*\(\s*\{|\bNestFactory\b|\bstartStandaloneServer\b|\b(?:Bun|Deno)\.serve\b|\bwebhook|\bprocess\.env\.PORT\b|\bprocess\.env\[\s*["']PORT["']\s*\]|\bexpress\s*\(/i;

/** What a worker does in its code: a bot's login or launch, a queue's consumer, a schedule. */
const NODE_WORKER_SIGN =
  /\.login\s*\(|\.launch\s*\(|\bnew\s+Worker\s*\(|\.consumer\s*\(|\beachMessage\b|\.consume\s*\(|\bcron\.schedule\s*\(|\bnew\s+CronJob\s*\(|\bpolling\s*:\s*true|\bbot\.start\s*\(|\.subscribe\s*\(|\.process\s*\(\s*(?:["'][\w:-]+["']\s*,\s*)?(?:async\s*)?(?:\(|function|\w+\s*=>)/;

/** A package whose start runs a bot, a queue consumer or a scheduler and opens no port anywhere in the files it is made of. */
export async function nodeWorkerRefusal(
  root: string,
  read: Reader,
  top: Listing,
  pkg: Record<string, unknown>,
  startCommand: string | undefined,
): Promise<Refusal | undefined> {
  const deps = Object.keys((pkg.dependencies ?? {}) as Record<string, unknown>);
  const workerDeps = deps.filter((d) => NODE_WORKER_DEP.test(d));
  const procfile = top.files.has("Procfile") ? ((await read("Procfile")) ?? "") : "";
  if (/^web\s*:/m.test(procfile)) return undefined;
  // A Procfile with processes and no web one says the app is a worker (a platform routes no request to it).
  const procs = [...procfile.matchAll(/^([\w-]+)\s*:\s*(.+?)\s*$/gm)].filter((m) => m[1] !== "release");
  if ((workerDeps.length === 0 && procs.length === 0) || deps.some((d) => NODE_SERVICE_DEP.test(d) && !NODE_WORKER_DEP.test(d))) return undefined;
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  const startScript = typeof scripts.start === "string" ? scripts.start : "";
  const command = /^(?:npm|yarn|pnpm) start$/.test(startCommand ?? "") ? startScript : (startCommand ?? startScript);
  const file = /(?:^|[\s&;])(?:node|nodemon|ts-node|tsx|ts-node-dev)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.[cm]?[jt]s)\b/.exec(command)?.[1];
  const main = typeof pkg.main === "string" ? pkg.main : undefined;
  const entries = [file, main, "index.js", "bot.js", "worker.js", "src/index.js", "src/index.ts", "src/bot.ts", "src/worker.ts"].filter(
    (e): e is string => e !== undefined,
  );
  const texts = await nodeSources(root, read, top, entries);
  if (texts === undefined || texts.size === 0 || [...texts.values()].some((t) => NODE_SERVER_SIGN.test(t))) return undefined;
  let sign: { file: string; call: string } | undefined;
  for (const [f, t] of texts) {
    const m = NODE_WORKER_SIGN.exec(t);
    if (m) {
      sign = { file: f, call: m[0].replace(/\s+/g, "").replace(/\($/, "()") };
      break;
    }
  }
  const procEvidence = procs.length > 0 ? `its Procfile has ${procs.map((m) => `${m[1]}: "${m[2]}"`).join(", ")} and no web process` : undefined;
  if (sign === undefined && procEvidence === undefined) return undefined;
  const count = texts.size;
  const what = [workerDeps.length > 0 ? `${workerDeps.join(", ")} in package.json` : "", procEvidence ?? ""].filter(Boolean).join("; ");
  const runs = sign !== undefined ? `${sign.file} runs ${sign.call} and none` : "none";
  return {
    message: `a background worker with no network listener (Node.js, ${what}): ${runs} of the ${count} file${count === 1 ? "" : "s"} it is made of opens a port (no listen(), createServer(), serve() or webhook, no PORT read); a pipeline deploys a service that listens on a port, and its probes would never pass`,
    hint: `nothing was written; a bot or queue worker needs a Deployment without a Service and without TCP or HTTP probes, which this pipeline does not make. If it does listen (a webhook or health endpoint), say so with \`--port <port>\` and \`--start-command "node <file>"\``,
    where: path.join(root, sign?.file ?? "Procfile"),
    overriddenBy: ["port", "startCommand"],
    worker: true,
  };
}

/** Python dependencies of a process that runs without a listener. */
const PYTHON_WORKER_DEP =
  /^(?:celery|rq|dramatiq|huey|arq|discord-py|py-cord|nextcord|disnake|python-telegram-bot|aiogram|pytelegrambotapi|telethon|pyrogram|kafka-python|confluent-kafka|aiokafka|pika|aio-pika|nats-py|apscheduler|schedule)$/;

/** A listener in a Python source (without the worker loops PYTHON_LISTENER also counts). */
const PYTHON_SERVER_SIGN =
  /\b(?:serve_forever|run_app|start_server|start_http_server|make_server|HTTPServer|TCPServer|run_simple|run_webhook|start_webhook|add_insecure_port|add_secure_port)\s*\(|\b(?:uvicorn|hypercorn|waitress|bjoern|granian)\.(?:run|serve)\s*\(|\.bind\s*\(\s*\(|\bgrpc\.(?:aio\.)?server\s*\(|\bapp\.run\s*\(|\bweb\.TCPSite\b|\bos\.environ(?:\.get)?\s*[([]\s*["']PORT["']|\bgetenv\s*\(\s*["']PORT["']/;

/** What a Python worker does in its code: a bot's run, a task queue, a consumer loop. */
const PYTHON_WORKER_SIGN =
  /\b(?:bot|client)\.run\s*\(|\.run_polling\s*\(|\bstart_polling\s*\(|\.infinity_polling\s*\(|\bCelery\s*\(|\bWorker\s*\(|\bKafkaConsumer\s*\(|\bConsumer\s*\(|\.basic_consume\s*\(|\.start_consuming\s*\(|\.subscribe\s*\(|\bschedule\.every\b|\bBlockingScheduler\s*\(|\bwhile\s+True\s*:/;

/**
 * A Python folder whose process is a worker: a Procfile with worker processes and no web one, or a
 * script run as itself with a bot, queue or scheduler library and no web framework or server among
 * its dependencies, and no listener in the sources read.
 */
export function pythonWorkerRefusal(
  root: string,
  texts: {
    procfile?: string | undefined;
    startCommand?: string | undefined;
    dependencies: string[];
    files: string[];
    sources: (string | undefined)[];
  },
): Refusal | undefined {
  if (/^web\s*:/m.test(texts.procfile ?? "")) return undefined;
  const start = texts.startCommand;
  if (start !== undefined && !/^python3?\s+(?:-u\s+)?(?:-m\s+)?[\w./-]+/.test(start)) return undefined;
  if (texts.dependencies.some((n) => PYTHON_SERVICE.test(n) && n !== "celery")) return undefined;
  if (texts.sources.some((t) => t !== undefined && PYTHON_SERVER_SIGN.test(t))) return undefined;
  const procs = [...(texts.procfile ?? "").matchAll(/^([\w-]+)\s*:\s*(.+?)\s*$/gm)].filter((m) => !/^(?:release|web)$/.test(m[1]!));
  const workerDeps = texts.dependencies.filter((n) => PYTHON_WORKER_DEP.test(n));
  let evidence: string | undefined;
  let where = "Procfile";
  if (start === undefined && procs.length > 0) {
    evidence = `its Procfile has ${procs.map((m) => `${m[1]}: "${m[2]}"`).join(", ")} and no web process`;
  } else if (workerDeps.length > 0) {
    // The file the start command runs, or (none found) a script that runs itself (bot.py, worker.py).
    const main = /if\s+__name__\s*==\s*["']__main__["']/;
    const i = texts.sources.findIndex((t) => t !== undefined && PYTHON_WORKER_SIGN.test(t) && (start !== undefined || main.test(t)));
    if (i < 0) return undefined;
    const call = PYTHON_WORKER_SIGN.exec(texts.sources[i]!)![0].replace(/\s+/g, " ").trim().replace(/\($/, "()");
    const runs = start !== undefined ? `"${start}" runs ${texts.files[i]}` : `${texts.files[i]} runs itself`;
    evidence = `${runs} (${call}) with ${workerDeps.join(", ")} among its dependencies`;
    where = texts.files[i]!;
  }
  if (evidence === undefined) return undefined;
  return {
    message: `a background worker with no network listener (Python): ${evidence}; no web framework or server among its dependencies and no listener in its sources (no app.run, serve_forever, uvicorn.run, add_insecure_port, no PORT read); a pipeline deploys a service that listens on a port, and its probes would never pass`,
    hint: `nothing was written; a task-queue worker or bot needs a Deployment without a Service and without TCP or HTTP probes, which this pipeline does not make. If it does listen (a webhook or health endpoint), say so with \`--port <port>\` and \`--start-command "<command>"\``,
    where: path.join(root, where),
    overriddenBy: ["port", "startCommand"],
    worker: true,
  };
}
