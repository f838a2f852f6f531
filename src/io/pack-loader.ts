import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { packError, didYouMean } from "../core/errors.js";
import type { Pack, PackSource } from "../core/types.js";
import { compiledTemplates } from "./code-cache.js";
import { builtinPacksDir, compiledPacksDir } from "./paths.js";
import { atStop } from "./stop.js";

const GIT_SPEC = /^(gh:|github:|gitlab:|bitbucket:|git@|https:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/)/;

/** Decide what kind of pack a --template value names. */
export async function resolveSource(spec: string | undefined, cwd: string): Promise<PackSource> {
  const name = spec ?? "pipeline";
  if (GIT_SPEC.test(name)) return { kind: "git", spec: name, ref: name.includes("#") ? name.split("#")[1] : undefined };
  if (/^[a-z0-9][a-z0-9-]*$/.test(name) && !name.startsWith(".")) {
    const builtins = listBuiltins();
    if (builtins.includes(name)) return { kind: "builtin", name };
    const local = resolve(cwd, name);
    if (isDir(local)) return { kind: "local", path: local };
    const near = didYouMean(name, builtins);
    throw packError(
      `no built-in template pack named '${name}'`,
      "--template",
      near ? `did you mean '${near}'?` : `built-in packs: ${builtins.join(", ")}; or give a folder (./my-pack) or a git repo (gh:org/repo/subdir#ref)`,
    );
  }
  const local = resolve(cwd, name);
  if (!isDir(local)) throw packError(`template pack folder '${name}' does not exist`, "--template", "give a folder that holds a template.yaml");
  return { kind: "local", path: local };
}

/** How a source is recorded in the state file: a local pack inside the target is kept relative, so a fresh clone finds it. */
export function recordSource(s: PackSource, target: string): string {
  if (s.kind !== "local") return describeSource(s);
  // Relative to the target even when outside it: the state is committed, and an absolute path
  // would publish the user's home folder (and mean nothing on another machine).
  const rel = relative(target, s.path).split(sep).join("/");
  if (isAbsolute(rel)) return s.path; // another drive
  return rel.startsWith("..") ? rel : `./${rel}`;
}

/** The pack as the state file records it after a re-render: the fetched commit, or the git ref asked for. */
export function packRecord(loaded: LoadedPack, target: string): { name: string; version: string; source: string; ref?: string } {
  const { pack } = loaded;
  return {
    name: pack.manifest.name,
    version: pack.manifest.version,
    source: recordSource(pack.source, target),
    ref: loaded.commit ?? (pack.source.kind === "git" ? pack.source.ref : undefined),
  };
}

export function describeSource(s: PackSource): string {
  return s.kind === "builtin" ? `builtin:${s.name}` : s.kind === "local" ? s.path : s.spec;
}

const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

function listBuiltins(): string[] {
  const dir = builtinPacksDir();
  const compiled = compiledPacksDir();
  const names = new Set([
    ...(isDir(dir) ? readdirSync(dir).filter((n) => isDir(join(dir, n))) : []),
    ...(isDir(compiled)
      ? readdirSync(compiled)
          .filter((n) => n.endsWith(".json"))
          .map((n) => n.slice(0, -".json".length))
      : []),
  ]);
  return [...names].sort();
}

/** Set when a fetch was abandoned on its timeout: its sockets may still hold the process open. */
export let abandonedFetch = false;

/** How long a remote pack fetch may take (ms); CREATE_PIPELINE_FETCH_TIMEOUT_MS overrides. */
const fetchTimeout = () => Number(process.env.CREATE_PIPELINE_FETCH_TIMEOUT_MS) || 120_000;

/** `limit` is the budget the message names (the whole fetch's), `ms` what is left of it. */
function withTimeout<T>(work: Promise<T>, ms: number, what: string, limit = ms): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandonedFetch = true;
      reject(new Error(`${what} did not finish within ${limit >= 1000 ? `${Math.round(limit / 1000)} s` : `${limit} ms`}`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Fetch a git pack with degit into a fresh temp dir; returns the dir and the resolved commit. */
export async function fetchGitPack(spec: string): Promise<{ dir: string; commit?: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "create-pipeline-pack-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  // Ctrl-C (or SIGTERM, SIGHUP) while downloading: remove the half-fetched pack, then stop.
  const undoAtStop = atStop(() => rmSync(dir, { recursive: true, force: true }));
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
    if (repo && getHash)
      commit = await withTimeout(getHash.call(emitter, repo, {}), fetchTimeout(), "resolving the ref").catch((e: Error) =>
        abandonedFetch ? Promise.reject(e) : undefined,
      );
    await withTimeout(emitter.clone(dir), Math.max(1, deadline - Date.now()), "downloading the pack", fetchTimeout());
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
    undoAtStop();
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

/**
 * A built-in pack pre-validated at build time, when running the bundle: dist/packs/<name>.json and
 * its compiled templates, dist/packs/<name>.templates.js and <name>.services.templates.js (each
 * read on the first render that needs it, through the code cache: src/io/code-cache.ts).
 */
function loadSnapshot(source: Extract<PackSource, { kind: "builtin" }>): { pack: Pack; usesYaml: boolean; save: () => void } | undefined {
  let text: string;
  try {
    text = readFileSync(new URL(`./packs/${source.name}.json`, import.meta.url), "utf8");
  } catch {
    return undefined;
  }
  const s = JSON.parse(text) as {
    manifest: Pack["manifest"];
    files: [string, string][];
    partials: [string, string][];
    data: Pack["data"];
    templates: { parts: { file: string; prefix?: string; sha256: string }[]; usesYaml: boolean };
  };
  const parts = s.templates.parts.map((p) => ({
    prefix: p.prefix,
    templates: compiledTemplates(fileURLToPath(new URL(`./packs/${p.file}`, import.meta.url)), p.sha256),
  }));
  // A key belongs to the part whose prefix it starts with, else to the part without one.
  const partOf = (key: string) => parts.find((p) => p.prefix !== undefined && key.startsWith(p.prefix)) ?? parts.find((p) => p.prefix === undefined);
  return {
    pack: {
      manifest: s.manifest,
      source,
      files: new Map(s.files),
      partials: new Map(s.partials),
      data: s.data,
      precompiled: { get: (key) => partOf(key)?.templates.get(key) },
    },
    usesYaml: s.templates.usesYaml,
    save: () => {
      for (const p of parts) p.templates.save();
    },
  };
}

export interface LoadedPack {
  pack: Pack;
  /** Resolved commit of a git pack, to pin in the state file. */
  commit?: string;
  cleanup: () => Promise<void>;
}

/** Load a pack from any source. Git packs are code: the caller must have checked trust first. */
export async function loadPack(source: PackSource): Promise<LoadedPack> {
  // Reading a pack folder parses YAML; a built-in pack's snapshot does not, so it is loaded only when needed.
  const loadPackDir = async (dir: string, src: PackSource) => (await import("./pack-dir.js")).loadPackDir(dir, src);
  if (source.kind === "builtin") {
    // Only a pack that ships with the tool is a built-in: a recorded `builtin:../../x` is refused.
    if (!listBuiltins().includes(source.name))
      throw packError(
        `'builtin:${source.name}' is not a built-in template pack of create-pipeline`,
        "state.json",
        `built-in packs: ${listBuiltins().join(", ")}; restore .create-pipeline/state.json from git`,
      );
  }
  if (source.kind === "builtin") {
    const snapshot = loadSnapshot(source);
    if (snapshot?.usesYaml) {
      (await import("../core/yaml-writer.js")).useYamlWriter();
    }
    if (snapshot) return { pack: snapshot.pack, cleanup: async () => snapshot.save() };
    return { pack: await loadPackDir(join(builtinPacksDir(), source.name), source), cleanup: async () => {} };
  }
  if (source.kind === "local") return { pack: await loadPackDir(source.path, source), cleanup: async () => {} };
  const fetched = await fetchGitPack(source.spec);
  try {
    return { pack: await loadPackDir(fetched.dir, source), commit: fetched.commit, cleanup: fetched.cleanup };
  } catch (e) {
    await fetched.cleanup();
    throw e;
  }
}
