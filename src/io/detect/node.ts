/** Node: package.json, lockfiles, version pins, the start script and the entry files. */
import path from "node:path";
import { newFound, put, type Found } from "./found.js";
import { portIn } from "./port-health.js";
import { firstOf, list, readHead, type Listing, type Reader } from "./read.js";
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
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** A lint script that rewrites files (a fixer) is not a CI check. */
export function isFixer(script: string): boolean {
  return (
    /(?:^|\s)--fix\b|(?:^|\s)--write\b|(?:^|\s)-w\b(?!\S)|\bformat\b(?!:check|\s+--check)|--apply\b/.test(script) &&
    !/--check\b|--list-different\b|\bcheck\b/.test(script)
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
  const bare = last.replace(/^(?:cross-env\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*/, "");
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
  workspace?: { packageManager: string; from: string },
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
  else put(found, "packageManager", "npm", "no lockfile: npm (install without a lockfile)");
  const pm = String(found.values.packageManager);

  // Version: a pin file, volta, engines, then the base image of an existing Dockerfile.
  const pinFile = top.files.has(".nvmrc") ? ".nvmrc" : top.files.has(".node-version") ? ".node-version" : undefined;
  const pin = pinFile === undefined ? undefined : (await firstOf(read, top, [pinFile]))?.split(/\r?\n/)[0];
  const volta = str(asRecord(pkg.volta)?.node);
  const engines = str(asRecord(pkg.engines)?.node);
  const fromImage = /^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io\/)?(?:library\/)?node:(\d+)/im.exec(dockerfile ?? "")?.[1];
  const candidates: [string | undefined, string][] = [
    [pin, `${pinFile} "${pin?.trim()}"`],
    [volta, `package.json volta.node "${volta}"`],
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
  for (const k of ["lint", "lint:check", "lint:ci", "check:lint"]) {
    const s = str(scripts[k]);
    if (s !== undefined && !isFixer(s)) {
      put(found, "lintCommand", run(k), `package.json scripts["${k}"] "${s}"`);
      break;
    }
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
  const startNode = start === undefined ? undefined : nodeCommandIn(start);
  if (start !== undefined && (startNode === undefined || (await runnable(startNode))))
    put(found, "startCommand", `${pm} start`, `package.json scripts.start "${start}"`);
  const main = str(pkg.main);
  if (main !== undefined && !main.split(/[\\/]/).includes("..") && (await runnable(`node ${main}`)))
    put(found, "startCommand", `node ${main}`, `package.json main "${main}"`);

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
  return found;
}
