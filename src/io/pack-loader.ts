import { lstatSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import * as semver from "../core/semver.js";
import { parse as parseYaml } from "yaml";
import { packError, PipelineError, didYouMean } from "../core/errors.js";
import { parseManifest } from "../core/manifest.js";
import type { Pack, PackSource } from "../core/types.js";
import { TOOL_VERSION } from "../version.js";
import { builtinPacksDir } from "./paths.js";

const GIT_SPEC = /^(gh:|github:|gitlab:|bitbucket:|git@|https:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/)/;

/** Decide what kind of pack a --template value names. */
export async function resolveSource(spec: string | undefined, cwd: string): Promise<PackSource> {
  const name = spec ?? "pipeline";
  if (GIT_SPEC.test(name)) return { kind: "git", spec: name, ref: name.includes("#") ? name.split("#")[1] : undefined };
  if (/^[a-z0-9][a-z0-9-]*$/.test(name) && !name.startsWith(".")) {
    const builtins = await listBuiltins();
    if (builtins.includes(name)) return { kind: "builtin", name };
    const local = resolve(cwd, name);
    if (await isDir(local)) return { kind: "local", path: local };
    const near = didYouMean(name, builtins);
    throw packError(`no built-in template pack named '${name}'`, "--template", near ? `did you mean '${near}'?` : `built-in packs: ${builtins.join(", ")}; or give a folder (./my-pack) or a git repo (gh:org/repo/subdir#ref)`);
  }
  const local = resolve(cwd, name);
  if (!(await isDir(local))) throw packError(`template pack folder '${name}' does not exist`, "--template", "give a folder that holds a template.yaml");
  return { kind: "local", path: local };
}

/** How a source is recorded in the state file: a local pack inside the target is kept relative, so a fresh clone finds it. */
export function recordSource(s: PackSource, target: string): string {
  if (s.kind !== "local") return describeSource(s);
  const rel = relative(target, s.path).split(sep).join("/");
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? `./${rel}` : s.path;
}

export function describeSource(s: PackSource): string {
  return s.kind === "builtin" ? `builtin:${s.name}` : s.kind === "local" ? s.path : s.spec;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function listBuiltins(): Promise<string[]> {
  const dir = builtinPacksDir();
  const names = readdirSync(dir);
  const out: string[] = [];
  for (const n of names) if (await isDir(join(dir, n))) out.push(n);
  return out.sort();
}

/** Fetch a git pack with degit into a fresh temp dir; returns the dir and the resolved commit. */
/** Set when a fetch was abandoned on its timeout: its sockets may still hold the process open. */
export let abandonedFetch = false;

/** How long a remote pack fetch may take (ms); CREATE_PIPELINE_FETCH_TIMEOUT_MS overrides. */
const fetchTimeout = () => Number(process.env.CREATE_PIPELINE_FETCH_TIMEOUT_MS) || 120_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandonedFetch = true;
      reject(new Error(`${what} did not finish within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function fetchGitPack(spec: string): Promise<{ dir: string; commit?: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "create-pipeline-pack-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  // Ctrl-C while downloading: remove the half-fetched pack, then stop as cancelled.
  const onSigint = () => {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write("create-pipeline: cancelled: nothing was written\n");
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  // degit runs `git ls-remote`; for a missing or private repository git would ask for a
  // username on the terminal and wait forever. Make it fail instead.
  const prompt = process.env.GIT_TERMINAL_PROMPT;
  process.env.GIT_TERMINAL_PROMPT = "0";
  const warnings: { code?: string; message?: string; original?: unknown }[] = [];
  try {
    const { default: degit } = await import("degit");
    const emitter = degit(spec.replace(/^gh:/, "github:"), { cache: false, force: true, verbose: false });
    (emitter as unknown as { on(ev: string, fn: (w: (typeof warnings)[number]) => void): void }).on("warn", (w) => warnings.push(w));
    let commit: string | undefined;
    const repo = (emitter as unknown as { repo?: unknown }).repo;
    const getHash = (emitter as unknown as { _getHash?: (r: unknown, c: object) => Promise<string> })._getHash;
    // A network that drops packets silently would otherwise wait for the system's connect timeout.
    const deadline = Date.now() + fetchTimeout();
    if (repo && getHash) commit = await withTimeout(getHash.call(emitter, repo, {}), fetchTimeout(), "resolving the ref").catch((e: Error) => (abandonedFetch ? Promise.reject(e) : undefined));
    await withTimeout(emitter.clone(dir), Math.max(1, deadline - Date.now()), "downloading the pack");
    return { dir, commit, cleanup };
  } catch (e) {
    await cleanup();
    // degit reports an unreachable or missing repository as "could not find commit hash";
    // the reason is in the warning it emitted before.
    const unreachable = warnings.find((w) => w.code === "COULD_NOT_FETCH");
    const git = unreachable ? gitReason(unreachable.original) : undefined;
    const reason = unreachable ? `${unreachable.message ?? "could not reach the repository"}${git ? ` (${git})` : ""}` : (e as Error).message;
    throw packError(
      `could not fetch template pack '${spec}': ${reason}`,
      "--template",
      "check the repository, path and ref exist and the network can reach it (or use a local folder)",
    );
  } finally {
    process.off("SIGINT", onSigint);
    if (prompt === undefined) delete process.env.GIT_TERMINAL_PROMPT;
    else process.env.GIT_TERMINAL_PROMPT = prompt;
  }
}

/** The `fatal:` line git printed, without the noise around it. */
function gitReason(err: unknown): string | undefined {
  const e = err as { stderr?: unknown; message?: unknown } | undefined;
  const text = `${typeof e?.stderr === "string" ? e.stderr : ""}\n${typeof e?.message === "string" ? e.message : ""}`;
  return /^(?:fatal|error): (.+)$/m.exec(text)?.[1]?.trim();
}

/** Load and check a pack from a folder: manifest, files, partials, data. Never runs its code. */
export async function loadPackDir(dir: string, source: PackSource): Promise<Pack> {
  const manifestPath = join(dir, "template.yaml");
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch {
    throw packError(`'${dir}' is not a template pack: it has no template.yaml`, manifestPath, "a pack holds template.yaml and files/ (see docs/template-authoring.md)");
  }
  const manifest = parseManifest(text, source.kind === "builtin" ? `templates/${source.name}/template.yaml` : manifestPath);
  if (!semver.satisfies(TOOL_VERSION, manifest.engine)) {
    throw new PipelineError("pack", `template pack '${manifest.name}' ${manifest.version} needs create-pipeline ${manifest.engine}, but this is create-pipeline ${TOOL_VERSION}`, {
      where: manifestPath,
      hint: semver.gtr(TOOL_VERSION, manifest.engine) ? "use an older version of the pack" : "upgrade: npx create-pipeline@latest",
    });
  }
  const root = realpathSync(dir);
  const files = await readTree(join(dir, "files"), root);
  const partials = new Map<string, string>();
  for (const [p, t] of await readTree(join(dir, "partials"), root)) if (p.endsWith(".eta")) partials.set(p.slice(0, -4), t);
  const data: Record<string, unknown> = {};
  for (const [p, t] of await readTree(join(dir, "data"), root)) {
    if (!/\.ya?ml$/.test(p)) continue;
    try {
      data[basename(p).replace(/\.ya?ml$/, "")] = parseYaml(t);
    } catch (e) {
      throw packError(`data file is not valid YAML: ${(e as Error).message.split("\n")[0]}`, join(dir, "data", p));
    }
  }
  return { manifest, source, files, partials, data };
}

/** Read every file under dir as text; refuse symlinks and anything that resolves outside the pack. */
async function readTree(dir: string, packRoot: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!(await isDir(dir))) return out;
  // Synchronous reads: a pack is a few dozen small files, and awaiting each costs more than reading it.
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name);
      const rel = relative(dir, full).split(sep).join("/");
      const info = lstatSync(full);
      if (info.isSymbolicLink()) {
        let target: string | undefined;
        try {
          target = realpathSync(full);
        } catch {
          target = undefined;
        }
        if (!target || relative(packRoot, target).startsWith("..") || isAbsolute(relative(packRoot, target)))
          throw packError(`pack file '${rel}' is a symlink that points outside the pack`, full, "replace the symlink with a real file");
        throw packError(`pack file '${rel}' is a symlink; packs must hold real files`, full, "replace the symlink with a real file");
      }
      if (info.isDirectory()) walk(full);
      else if (info.isFile()) out.set(rel, readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/** A built-in pack pre-validated at build time (dist/packs/<name>.json), when running the bundle. */
function loadSnapshot(source: Extract<PackSource, { kind: "builtin" }>): Pack | undefined {
  let text: string;
  try {
    text = readFileSync(new URL(`./packs/${source.name}.json`, import.meta.url), "utf8");
  } catch {
    return undefined;
  }
  const s = JSON.parse(text) as { manifest: Pack["manifest"]; files: [string, string][]; partials: [string, string][]; data: Pack["data"]; precompiled: [string, string][] };
  return { manifest: s.manifest, source, files: new Map(s.files), partials: new Map(s.partials), data: s.data, precompiled: new Map(s.precompiled) };
}

export interface LoadedPack {
  pack: Pack;
  /** Resolved commit of a git pack, to pin in the state file. */
  commit?: string;
  cleanup: () => Promise<void>;
}

/** Load a pack from any source. Git packs are code: the caller must have checked trust first. */
export async function loadPack(source: PackSource): Promise<LoadedPack> {
  if (source.kind === "builtin") return { pack: loadSnapshot(source) ?? (await loadPackDir(join(builtinPacksDir(), source.name), source)), cleanup: async () => {} };
  if (source.kind === "local") return { pack: await loadPackDir(source.path, source), cleanup: async () => {} };
  const fetched = await fetchGitPack(source.spec);
  try {
    return { pack: await loadPackDir(fetched.dir, source), commit: fetched.commit, cleanup: fetched.cleanup };
  } catch (e) {
    await fetched.cleanup();
    throw e;
  }
}
