/** Node: package.json, lockfiles, version pins, the start script and the entry files. */
import path from "node:path";
import { newFound, put, type Found } from "./found.js";
import { detectNextjs } from "./nextjs.js";
import { portIn } from "./port-health.js";
import { firstOf, list, readHead, type Listing, type Reader } from "./read.js";
import { readOnlyForm } from "./lint.js";
import { managerVersion } from "./tool-versions.js";
import { lowerBound, pickVersion } from "./version.js";

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

/** Node.js LTS lines still supported, the most preferred first. */
export const NODE_SUPPORTED = ["24", "22"] as const;

/** ">=20.19" → "20", "^22" → "22", "v20.11.1" → "20", "lts/iron" → "20" (the lower bound). */
export function nodeMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const s = spec.trim().toLowerCase();
  const lts = /^lts\/([a-z]+)$/.exec(s);
  if (lts?.[1] !== undefined) return NODE_LTS[lts[1]];
  const parts = lowerBound(s);
  const major = parts?.[0];
  return major !== undefined && major >= 4 && major < 100 ? String(major) : undefined;
}

/**
 * The Node.js major to build and test with: an exact pin as it is; an open
 * range (">=12", "^20 || ^22") the newest supported LTS it allows, else its
 * lower bound; "lts/*", "node" and "latest" the newest LTS.
 */
export function nodeVersionFor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const s = spec.trim().toLowerCase().replace(/^v/, "");
  if (s === "") return undefined;
  if (/^(?:lts\/\*|lts|node|latest|stable|current)$/.test(s)) return NODE_SUPPORTED[0];
  if (/^lts\/[a-z]+$/.test(s)) return nodeMajor(s);
  if (/^\d+(?:\.\d+){0,2}$/.test(s)) return nodeMajor(s);
  const v = pickVersion(s, NODE_SUPPORTED, 1);
  return v !== undefined && Number(v) >= 4 && Number(v) < 100 ? v : undefined;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    // A byte order mark is accepted, as npm accepts it.
    return asRecord(JSON.parse(text.replace(/^\uFEFF/, "")));
  } catch {
    return undefined;
  }
}

/** Why a manifest's text is not a JSON object npm could read, with the line and column of the
 * error (1-based); undefined when it is one. */
export function jsonProblem(text: string): { message: string; line: number; column: number; syntax: boolean } | undefined {
  const body = text.replace(/^\uFEFF/, "");
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const pos = /at position (\d+)/.exec(raw)?.[1];
    const offset = pos !== undefined ? Number(pos) : body.trimEnd().length;
    const before = body.slice(0, offset).split("\n");
    const reason = raw.replace(/\s*in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "") || "not valid JSON";
    return {
      syntax: true,
      message: reason.replace(/^Unexpected end of JSON input$/, "the text ends before the JSON does"),
      line: before.length,
      column: before[before.length - 1]!.length + 1,
    };
  }
  if (asRecord(value) === undefined)
    return {
      syntax: false,
      message: `it holds ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}, not an object`,
      line: 1,
      column: 1,
    };
  return undefined;
}

/** A lint script that rewrites files (a fixer) is not a CI check as it is (its read-only form may be: lint.ts). */
export function isFixer(script: string): boolean {
  return (
    (/(?:^|\s)--fix\b|(?:^|\s)--write\b|(?:^|\s)-w\b(?!\S)|\bformat\b(?!:check|\s+--check)|--apply\b/.test(script) &&
      !/--check\b|--list-different\b|\bcheck\b/.test(script)) ||
    "parts" in readOnlyForm(script)
  );
}

/**
 * `node <file>` from a script line when its last `&&` part runs node (or a
 * process manager's runtime mode) on a file: "npm run build && node dist/server.js",
 * "cross-env NODE_ENV=production node ./dist/main.js", "pm2-runtime start src/index.js".
 */
export function nodeCommandIn(script: string): string | undefined {
  const last =
    script
      .split(/&&|;/)
      .map((s) => s.trim())
      .filter(Boolean)
      .pop() ?? "";
  // `--env-file .env` is `--env-file=.env`: its value is not the file node runs.
  const bare = last.replace(/^(?:cross-env\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*/, "").replace(/(--env-file(?:-if-exists)?)\s+(?!-)(\S+)/g, "$1=$2");
  const node = /^node\s+((?:--?[\w-]+(?:=\S+)?\s+)*)([\w./@-]+)(\s+[^|&;<>]*)?$/.exec(bare);
  if (node?.[2] !== undefined && !node[2].startsWith("-")) return `node ${node[1] ?? ""}${node[2]}${node[3] ?? ""}`.replace(/\s+/g, " ").trim();
  const pm2 = /^pm2(?:-docker|-runtime)\s+(?:start\s+)?([\w./-]+\.[cm]?js)\b/.exec(bare);
  if (pm2?.[1] !== undefined) return `node ${pm2[1]}`;
  return undefined;
}

export async function detectNode(
  root: string,
  read: Reader,
  top: Listing,
  pkgText: string | undefined,
  dockerfile: string | undefined,
  workspace?: { packageManager: string; from: string; version?: { value: string; from: string } | undefined },
): Promise<Found> {
  const pkg = parseJson(pkgText);
  const found = newFound();
  if (pkg === undefined) return found;

  const name = str(pkg.name);
  if (name !== undefined) found.name = name.replace(/^@[^/]+\//, "");

  // Package manager: a workspace member without a lockfile of its own is installed by its
  // workspace root's (given by the caller); else the packageManager field, then the lockfile
  // (the first answer found is kept).
  if (workspace !== undefined) put(found, "packageManager", workspace.packageManager, workspace.from);
  const declared = /^(npm|yarn|pnpm)@/.exec(str(pkg.packageManager) ?? "")?.[1];
  const has = (f: string) => top.files.has(f);
  if (declared !== undefined) put(found, "packageManager", declared, `package.json packageManager "${String(pkg.packageManager)}"`);
  else if (has("pnpm-lock.yaml")) put(found, "packageManager", "pnpm", "pnpm-lock.yaml");
  else if (has("package-lock.json") || has("npm-shrinkwrap.json"))
    put(found, "packageManager", "npm", has("yarn.lock") ? "package-lock.json (a yarn.lock is there too)" : "package-lock.json");
  else if (has("yarn.lock")) put(found, "packageManager", "yarn", "yarn.lock");
  else {
    // Bun's lockfile is not one npm reads: npm installs from package.json alone.
    const bun = ["bun.lock", "bun.lockb"].find(has);
    put(
      found,
      "packageManager",
      "npm",
      bun === undefined
        ? "no lockfile: npm (install without a lockfile)"
        : `no npm lockfile: ${bun} is Bun's lockfile, which npm does not read (install without a lockfile)`,
    );
  }
  const pm = String(found.values.packageManager);
  await packageManagerVersion(found, pm, read, top, str(pkg.packageManager));
  // A workspace member without a pin of its own is installed by the root's package manager.
  if (workspace?.version !== undefined && workspace.packageManager === pm) put(found, "packageManagerVersion", workspace.version.value, workspace.version.from);

  // Version: a pin file, volta, engines, then the base image of an existing Dockerfile.
  const pinFile = top.files.has(".nvmrc") ? ".nvmrc" : top.files.has(".node-version") ? ".node-version" : undefined;
  const pin = pinFile === undefined ? undefined : (await firstOf(read, top, [pinFile]))?.split(/\r?\n/)[0];
  const volta = str(asRecord(pkg.volta)?.node);
  const engines = str(asRecord(pkg.engines)?.node);
  const fromImage = /^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io\/)?(?:library\/)?node:(\d+)/im.exec(dockerfile ?? "")?.[1];
  // A version manager's pin (.tool-versions, mise.toml) after node's own exact pins, before a range.
  const manager = await managerVersion(read, top, "node");
  const enginesExact = engines !== undefined && /^\s*v?\d+(\.\d+){0,2}\s*$/.test(engines);
  const candidates: [string | undefined, string][] = [
    [pin, `${pinFile} "${pin?.trim()}"`],
    [volta, `package.json volta.node "${volta}"`],
    [enginesExact ? engines : undefined, `package.json engines.node "${engines}"`],
    [manager?.spec, manager?.from ?? ""],
    [
      engines,
      `package.json engines.node "${engines}"${engines !== undefined && !/^\s*v?\d+(\.\d+){0,2}\s*$/.test(engines) ? " (a range: the newest supported LTS it allows)" : ""}`,
    ],
    [fromImage, `Dockerfile FROM node:${fromImage}`],
  ];
  for (const [spec, from] of candidates) put(found, "languageVersion", nodeVersionFor(spec), from);

  const scripts = asRecord(pkg.scripts) ?? {};
  // yarn and pnpm run a script by its name; npm needs `run` (except for test).
  const run = (s: string) => (pm === "npm" ? `npm run ${s}` : `${pm} ${s}`);

  const test = str(scripts.test);
  if (test !== undefined && !/no test specified/i.test(test)) put(found, "testCommand", `${pm} test`, `package.json scripts.test "${test}"`);
  const lintKeys = ["lint", "lint:check", "lint:ci", "check:lint"].filter((k) => str(scripts[k]) !== undefined);
  const readOnlyKey = lintKeys.find((k) => !isFixer(str(scripts[k])!));
  if (readOnlyKey !== undefined) put(found, "lintCommand", run(readOnlyKey), `package.json scripts["${readOnlyKey}"] "${str(scripts[readOnlyKey])}"`);
  else if (lintKeys[0] !== undefined) {
    // Only a fixer (NestJS's `eslint "{src,apps,libs,test}/**/*.ts" --fix`): the same command
    // without rewriting, its tools run from the installed dependencies; else why not.
    const k = lintKeys[0];
    const s = str(scripts[k])!;
    const formed = readOnlyForm(s);
    const deps = { ...asRecord(pkg.dependencies), ...asRecord(pkg.devDependencies) };
    // Each tool runs from the installed dependencies: one that is not there is not run.
    const absent = "parts" in formed ? formed.parts.map((p) => p.split(/\s/)[0]!).find((t) => !(TOOL_PACKAGES[t] ?? [t]).some((d) => d in deps)) : undefined;
    const ro = absent !== undefined ? { reason: `${absent} is not in package.json's dependencies or devDependencies` } : formed;
    const exec = pm === "npm" ? "npx" : pm === "pnpm" ? "pnpm exec" : "yarn";
    if ("parts" in ro)
      put(
        found,
        "lintCommand",
        ro.parts.map((p) => `${exec} ${p}`).join(" && "),
        `package.json scripts["${k}"] "${s}" without rewriting files (${ro.changed.join(", ")}): the script itself is a fixer`,
      );
    else
      found.notes.lintCommand ??= `package.json scripts["${k}"] "${s}" rewrites files, so it is not a CI check, and it has no read-only form here (${ro.reason})`;
  }
  const build = str(scripts.build);
  if (build !== undefined) put(found, "buildCommand", run("build"), `package.json scripts.build "${build}"`);

  // A file node is told to run must be there, or be built (dist/, build/, lib/, out/): a start
  // script or main naming a file the repository does not have (a leftover "node index.js") is
  // not how the service starts.
  const fileOf = (cmd: string) => /^node\s+(?:--?[\w-]+(?:=\S+)?\s+)*((?:\.\/)?[\w./@-]+)/.exec(cmd)?.[1];
  const runnable = async (cmd: string | undefined) => {
    const f = cmd === undefined ? undefined : fileOf(cmd);
    if (f === undefined || f.split(/[\\/]/).includes("..")) return cmd !== undefined;
    if (/^(?:\.\/)?(?:dist|build|lib|out)\//.test(f)) return true;
    for (const c of [f, `${f}.js`, `${f}/index.js`]) if ((await readHead(path.join(root, c))) !== undefined) return true;
    return false;
  };
  // Start: a script that runs node on a file (node as PID 1 gets the signals),
  // else the start script through the package manager, else main, else a usual entry file.
  const start = str(scripts.start);
  for (const k of ["start", "start:prod", "start:production", "prod", "serve", "docker:start"]) {
    const s = str(scripts[k]);
    const cmd = s === undefined ? undefined : nodeCommandIn(s);
    if (cmd === undefined || found.values.startCommand !== undefined || !(await runnable(cmd))) continue;
    put(found, "startCommand", cmd, `package.json scripts["${k}"] "${s}"`);
    // Its pre-script builds what it runs ("prestart:prod": "tsc"): the image runs it too.
    const pre = str(scripts[`pre${k}`]);
    if (pre !== undefined && /^(?:\.\/)?(?:dist|build|lib|out)\//.test(fileOf(cmd) ?? ""))
      put(found, "buildCommand", run(`pre${k}`), `package.json scripts["pre${k}"] "${pre}" (builds what scripts["${k}"] runs)`);
  }
  // A Procfile's web process is how the platform it was written for starts the service.
  const web = top.files.has("Procfile") ? /^web:\s*(.+?)\s*$/m.exec((await read("Procfile")) ?? "")?.[1] : undefined;
  if (web !== undefined && found.values.startCommand === undefined) {
    const cmd = nodeCommandIn(web);
    if (cmd !== undefined && (await runnable(cmd))) put(found, "startCommand", cmd, `Procfile web "${web}"`);
    else if (/^(?:npm|yarn|pnpm)\s+(?:run\s+)?start$/.test(web) && start !== undefined) put(found, "startCommand", `${pm} start`, `Procfile web "${web}"`);
  }
  // A start script that runs the sources through a development tool (tsx, ts-node, nodemon...),
  // which the image's production install leaves out: the build's output run by node when the
  // build says where it goes, else the image keeps the devDependencies (and says why).
  const devDeps = asRecord(pkg.devDependencies) ?? {};
  const prodDeps = asRecord(pkg.dependencies) ?? {};
  const runner = start === undefined ? undefined : devRunnerIn(start);
  if (runner !== undefined && found.values.startCommand === undefined && runner.pkg in devDeps && !(runner.pkg in prodDeps)) {
    const built = build === undefined ? undefined : await builtFile(read, build, runner.file);
    if (runner.file !== undefined && /\.[cm]?js$/.test(runner.file) && (await runnable(`node ${runner.file}`))) {
      put(found, "startCommand", `node ${runner.file}`, `package.json scripts.start "${start}" (${runner.pkg}, a devDependency, only restarts it on changes)`);
    } else if (built !== undefined && runner.file !== undefined) {
      put(
        found,
        "startCommand",
        `node ${built}`,
        `package.json scripts.start "${start}" runs ${runner.file} with ${runner.pkg}, a devDependency; scripts.build "${build}" compiles it to ${built}`,
      );
    } else {
      put(found, "startCommand", `${pm} start`, `package.json scripts.start "${start}"`);
      put(
        found,
        "imageDevDependencies",
        true,
        `package.json scripts.start runs ${runner.pkg}, a devDependency${build === undefined ? " (no build script to run its output instead)" : ` (scripts.build "${build}" does not say where ${runner.file ?? "the entry"} goes)`}`,
      );
    }
  }
  const startNode = start === undefined ? undefined : nodeCommandIn(start);
  if (start !== undefined && (startNode === undefined || (await runnable(startNode))))
    put(found, "startCommand", `${pm} start`, `package.json scripts.start "${start}"`);
  const main = str(pkg.main);
  if (main !== undefined && !main.split(/[\\/]/).includes("..") && (await runnable(`node ${main}`)))
    put(found, "startCommand", `node ${main}`, `package.json main "${main}"`);

  await dropMissingEnvFile(found, read, top);

  const startFile = /\bnode\s+(?:--?[\w-]+(?:=\S+)?\s+)*((?:\.\/)?[\w./@-]+)/.exec(String(found.values.startCommand ?? ""))?.[1];
  const named = [startFile, main]
    .filter((c): c is string => c !== undefined && !c.split(/[\\/]/).includes(".."))
    .map((c) => path.posix.normalize(c))
    .flatMap((c) => {
      const built = /^(?:dist|build|lib|out)\/(?:src\/)?(.+?)(?:\.[cm]?js)?$/.exec(c)?.[1];
      return built === undefined ? [c, `${c}.js`, `${c}/index.js`] : [c, `src/${built}.ts`, `src/${built}.js`, `src/${built}/index.ts`, `src/${built}/main.ts`];
    });
  const src = top.dirs.has("src") ? await list(path.join(root, "src")) : undefined;
  const usual = [
    ...["server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs", "app.mjs", "server.ts", "index.ts"].filter((f) => top.files.has(f)),
    ...["index", "server", "app", "main", "env", "config"]
      .flatMap((b) => [`${b}.ts`, `${b}.js`, `${b}.mjs`])
      .filter((f) => src?.files.has(f))
      .map((f) => `src/${f}`),
  ];
  if (found.values.startCommand === undefined) {
    const entry = usual.find((f) => /\.[cm]?js$/.test(f));
    if (entry !== undefined) put(found, "startCommand", `node ${entry}`, `${entry} (the usual entry file; no start script or main)`);
  }
  found.sources = [...new Set([...named, ...usual])];
  // A PORT=4000 prefix in the start script is the most explicit.
  if (start !== undefined && /\bPORT=\d/.test(start)) put(found, "port", portIn(start), `package.json scripts.start "${start}"`);
  // Next.js: its routes are files (app/**/route.ts, pages/api/*), its port next start's -p.
  if ("next" in prodDeps || "next" in devDeps) {
    const next = await detectNextjs(root, read, top, start);
    if (next.port !== undefined) put(found, "port", next.port.port, next.port.from);
    if (next.defaultPort !== undefined) found.frameworkPort ??= next.defaultPort;
    if (next.health !== undefined) put(found, "healthPath", next.health.path, next.health.from);
    if (next.healthNote !== undefined) found.notes.healthPath ??= `${next.healthNote}: the probes check that the port is open`;
  }
  return found;
}

/**
 * `node --env-file=.env server.js`: node stops at start when the file is missing, and a .env that
 * the repository does not commit (absent, or matched by .gitignore) is not in the image. The flag
 * is dropped from the image's command (the chart's values give the environment), and said.
 * (`--env-file-if-exists`, Node.js 22.9+, tolerates a missing file and is kept.)
 */
async function dropMissingEnvFile(found: Found, read: Reader, top: Listing): Promise<void> {
  const cmd = found.values.startCommand;
  if (typeof cmd !== "string" || !/^node\s/.test(cmd)) return;
  const flags = [...cmd.matchAll(/\s--env-file=(\S+)/g)];
  if (flags.length === 0) return;
  const ignore = top.files.has(".gitignore") ? ((await read(".gitignore")) ?? "") : "";
  const ignored = (f: string) =>
    ignore
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/^\//, ""))
      .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("!"))
      .some((l) =>
        new RegExp(
          `^${l
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^/]*")
            .replace(/\?/g, "[^/]")}$`,
        ).test(f),
      );
  const missing = flags.map((m) => m[1]!.replace(/^["']|["']$/g, "").replace(/^\.\//, "")).filter((f) => !top.files.has(f) || ignored(f));
  if (missing.length === 0) return;
  let out = cmd;
  for (const m of flags) if (missing.includes(m[1]!.replace(/^["']|["']$/g, "").replace(/^\.\//, ""))) out = out.replace(m[0], "");
  const why = missing.map((f) => `${f} is ${top.files.has(f) ? "ignored by .gitignore" : "not in the repository"}`).join(", ");
  found.values.startCommand = out.replace(/\s+/g, " ").trim();
  found.from.startCommand = `${found.from.startCommand}, without --env-file (${why}, so not in the image, where node would stop at start: the environment comes from the chart's values)`;
}

/** The packages that provide a lint tool's command (its own name when not listed). */
const TOOL_PACKAGES: Record<string, string[]> = {
  biome: ["@biomejs/biome"],
  markdownlint: ["markdownlint-cli"],
  next: ["next"],
  tsc: ["typescript"],
};

/** Development tools that run sources directly, by the package that provides them. */
const DEV_RUNNERS: Record<string, string> = {
  tsx: "tsx",
  "ts-node": "ts-node",
  "ts-node-dev": "ts-node-dev",
  tsnd: "ts-node-dev",
  nodemon: "nodemon",
  "babel-node": "@babel/node",
  "vite-node": "vite-node",
  esno: "esno",
  esr: "esbuild-runner",
  "swc-node": "@swc-node/register",
};

/** `tsx watch src/index.ts`, `node --import tsx src/main.ts`, `ts-node -T src/app.ts` → the
 * package that runs it and the file it runs. */
export function devRunnerIn(script: string): { pkg: string; file?: string } | undefined {
  const last =
    script
      .split(/&&|;/)
      .map((p) => p.trim())
      .filter(Boolean)
      .pop() ?? "";
  const bare = last.replace(/^(?:cross-env\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*/, "");
  const words = bare.split(/\s+/);
  let pkg: string | undefined;
  let rest: string[] = [];
  if (words[0] !== undefined && words[0] in DEV_RUNNERS) {
    pkg = DEV_RUNNERS[words[0]];
    rest = words.slice(1);
  } else if (words[0] === "node") {
    const loader = /--(?:import|loader|require|r)[= ]?(tsx|ts-node(?:\/esm|\/register)?|@swc-node\/register)\b/.exec(bare)?.[1];
    if (loader !== undefined) pkg = loader.startsWith("ts-node") ? "ts-node" : loader;
    rest = words.slice(1);
  }
  if (pkg === undefined) return undefined;
  const file = rest.filter((w) => !w.startsWith("-") && /\.[cm]?[jt]sx?$/.test(w)).pop();
  return { pkg, ...(file !== undefined ? { file: file.replace(/^\.\//, "") } : {}) };
}

function parseJsonc(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  // Comments and trailing commas, as tsconfig.json allows them (not inside strings).
  const stripped = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? "").replace(/,(\s*[}\]])/g, "$1");
  return parseJson(stripped);
}

/**
 * Where the build script puts the compiled `file` (src/index.ts): tsc (tsconfig outDir and
 * rootDir, or the folder its include names), tsup (dist/), esbuild (--outfile, --outdir).
 * Undefined when the build does not say.
 */
export async function builtFile(read: Reader, build: string, file: string | undefined): Promise<string | undefined> {
  if (file === undefined || !/\.[cm]?tsx?$|\.[cm]?js$/.test(file)) return undefined;
  const js = (f: string) => f.replace(/\.([cm]?)tsx?$/, ".$1js").replace(/\.mjs$/, ".mjs");
  const outfile = /--outfile[= ](\S+)/.exec(build)?.[1];
  if (/\besbuild\b/.test(build) && outfile !== undefined) return outfile.replace(/^\.\//, "");
  const outdir = /\besbuild\b/.test(build) ? /--outdir[= ](\S+)/.exec(build)?.[1] : undefined;
  if (outdir !== undefined) return `${outdir.replace(/^\.\/|\/$/g, "")}/${js(path.posix.basename(file))}`;
  if (/\btsup\b/.test(build)) {
    const outDir = /(?:-d|--out-dir)[= ](\S+)/.exec(build)?.[1] ?? "dist";
    return `${outDir.replace(/^\.\/|\/$/g, "")}/${js(path.posix.basename(file))}`;
  }
  if (/(?:^|[\s;&])(?:npx\s+)?tsc\b/.test(build)) {
    const project = /(?:-p|--project)[= ](\S+)/.exec(build)?.[1] ?? "tsconfig.json";
    const tsconfig = parseJsonc(await read(project.endsWith(".json") ? project : `${project}/tsconfig.json`));
    const opts = (tsconfig?.compilerOptions ?? {}) as Record<string, unknown>;
    const outDir = typeof opts.outDir === "string" ? path.posix.normalize(opts.outDir).replace(/^\.\/|\/$/g, "") : undefined;
    if (outDir === undefined || outDir === ".") return undefined;
    let rootDir = typeof opts.rootDir === "string" ? path.posix.normalize(opts.rootDir).replace(/^\.\/|\/$/g, "") : undefined;
    if (rootDir === undefined) {
      // Without rootDir, tsc keeps the layout below the folder all the inputs share: the one
      // folder `include` names.
      const include = Array.isArray(tsconfig?.include) ? (tsconfig.include as unknown[]).map(String) : [];
      const tops = [...new Set(include.map((i) => i.replace(/^\.\//, "").split("/")[0]!))];
      if (tops.length !== 1 || /[*?.]/.test(tops[0]!)) return undefined;
      rootDir = tops[0];
    }
    const rel = rootDir === "." || rootDir === "" ? file : path.posix.relative(rootDir!, file);
    if (rel.startsWith("..")) return undefined;
    return `${outDir}/${js(rel)}`;
  }
  return undefined;
}

/**
 * The package manager's version: the packageManager field ("yarn@4.5.1+sha512..." → "4.5.1"),
 * else the release .yarnrc.yml's yarnPath names, else the lockfile's format (a yarn.lock's
 * __metadata version, pnpm-lock.yaml's lockfileVersion) → the major that writes it.
 */
async function packageManagerVersion(found: Found, pm: string, read: Reader, top: Listing, field: string | undefined): Promise<void> {
  const pinned = new RegExp(`^${pm}@(\\d+(?:\\.\\d+){0,2}(?:-[\\w.]+)?)`).exec(field ?? "")?.[1];
  put(found, "packageManagerVersion", pinned, `package.json packageManager "${field}"`);
  if (pm === "yarn") {
    const rc = top.files.has(".yarnrc.yml") ? await read(".yarnrc.yml") : undefined;
    const release = /^yarnPath:\s*["']?[^\n]*?yarn-(\d+\.\d+\.\d+)\.c?js/m.exec(rc ?? "")?.[1];
    put(found, "packageManagerVersion", release, `.yarnrc.yml yarnPath (Yarn ${release})`);
    const lock = top.files.has("yarn.lock") ? await read("yarn.lock") : undefined;
    const meta = /^__metadata:\s*\n\s+version:\s*(\d+)/m.exec(lock ?? "")?.[1];
    if (meta !== undefined) {
      // Which Yarn writes it (read off lockfiles written by each release): 4 → Yarn 2 (and 3.0,
      // whose lockfile Yarn 2 installs unchanged), 5 → 3.1, 6 → 3.2 to 3.8, 7 → 4's release
      // candidates, 8 → Yarn 4.
      const major = Number(meta) >= 7 ? "4" : Number(meta) >= 5 ? "3" : "2";
      put(found, "packageManagerVersion", major, `yarn.lock __metadata version ${meta} (written by Yarn ${major})`);
    } else if (/^# yarn lockfile v1/m.test(lock ?? "")) put(found, "packageManagerVersion", "1", "yarn.lock (Yarn 1's lockfile format)");
  }
  if (pm === "pnpm" && top.files.has("pnpm-lock.yaml")) {
    const v = pnpmLockMajor((await read("pnpm-lock.yaml")) ?? "");
    if (v !== undefined) put(found, "packageManagerVersion", v.major, `pnpm-lock.yaml ${v.said}`);
  }
}

/** The pnpm major that writes a pnpm-lock.yaml's lockfileVersion, and what was read. */
export function pnpmLockMajor(text: string): { major: string; said: string } | undefined {
  const v = /^lockfileVersion:\s*["']?(\d+)(?:\.(\d+))?/m.exec(text);
  if (v?.[1] === undefined) return undefined;
  const n = Number(v[1]);
  const minor = Number(v[2] ?? 0);
  const major = n >= 9 ? "9" : n >= 6 ? "8" : n === 5 && minor >= 4 ? "7" : "6";
  return { major, said: `lockfileVersion ${v[1]}${v[2] !== undefined ? `.${v[2]}` : ""} (written by pnpm ${major})` };
}
