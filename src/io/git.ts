import type { execFileSync as ExecFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PipelineError } from "../core/errors.js";

// node:child_process (and the net and stream modules it loads) only when git is run: most runs
// never do, and loading it costs start-up time.
const require = createRequire(import.meta.url);
let exec: typeof ExecFileSync | undefined;
const execFileSync: typeof ExecFileSync = ((...args: Parameters<typeof ExecFileSync>) =>
  (exec ??= (require("node:child_process") as typeof import("node:child_process")).execFileSync)(...args)) as typeof ExecFileSync;

/** Is dir inside a folder that holds .git (a repository, whether or not git is installed)? */
function insideGitFolder(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return true;
    if (d === dirname(d)) return false;
  }
}

/** The innermost folder below `dir` (relative, "" for none) holding its own .git that contains path `p`. */
function nestedRepo(dir: string, p: string): string {
  const parts = p.split("/").slice(0, -1);
  for (let i = parts.length; i > 0; i--) {
    const sub = parts.slice(0, i).join("/");
    if (existsSync(join(dir, sub, ".git"))) return sub;
  }
  return "";
}

/**
 * Which of these paths have uncommitted changes (or are untracked) in the git work tree at
 * `dir`, and in any git repository nested in it (a submodule, a vendored clone): the outer
 * repository only sees such a folder as one entry, so each nested one is asked about its own
 * files. Undefined when `dir` is not in a git work tree or git is not installed.
 */
export function dirtyPaths(dir: string, paths: readonly string[]): string[] | undefined {
  if (paths.length === 0) return [];
  const groups = new Map<string, string[]>();
  for (const p of paths) {
    const root = nestedRepo(dir, p);
    groups.set(root, [...(groups.get(root) ?? []), root ? p.slice(root.length + 1) : p]);
  }
  let any = false;
  const out: string[] = [];
  for (const [root, rel] of groups) {
    const found = dirtyIn(root ? join(dir, root) : dir, rel);
    // A folder holding .git that git does not take for a repository cannot be vouched for.
    if (found === undefined && root)
      throw new PipelineError("usage", `cannot tell whether the files to change in '${root}' have uncommitted edits: it holds a .git that git does not read`, {
        where: join(dir, root),
        hint: "fix or remove that .git, or pass --allow-dirty to update without the check",
      });
    if (found === undefined) continue;
    any = true;
    out.push(...found.map((f) => (root ? `${root}/${f}` : f)));
  }
  return any ? out.sort() : undefined;
}

/**
 * Settings that make git run a command of the repository's choosing while it only reads: a
 * file-system monitor hook (`core.fsmonitor`) and the clean/process filters (`filter.<name>.*`,
 * applied to modified files by `git status`). A repository's own `.git/config` is not what the
 * user chose to run (an unpacked archive, a vendored clone), so these are switched off for every
 * git call the tool makes. Reading the configuration runs nothing.
 */
function neutralConfig(dir: string): string[] {
  const args = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null"];
  let names = "";
  try {
    names = execFileSync("git", ["-C", dir, "config", "--name-only", "--get-regexp", "^filter\\..*\\.(clean|smudge|process)$"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    // No such settings (exit 1), or not a repository: nothing to switch off.
  }
  for (const n of new Set(names.split("\n").filter(Boolean))) args.push("-c", `${n}=`);
  return args;
}

function dirtyIn(dir: string, paths: readonly string[]): string[] | undefined {
  let safe: string[] | undefined;
  const git = (args: string[]) =>
    // Literal pathspecs: a generated file named `a[1].txt` or `*.md` means that file, not a glob.
    execFileSync("git", [...(safe ??= neutralConfig(dir)), "--no-optional-locks", "--literal-pathspecs", "-C", dir, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  let out: string;
  let prefix: string;
  try {
    out = git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=all", "--", ...paths]);
    prefix = git(["rev-parse", "--show-prefix"]).trim();
  } catch (e) {
    // Not a git work tree: nothing to protect. Any other failure (git missing in a repository,
    // a repository owned by another user, a damaged index) fails closed: the guard cannot vouch.
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      err.code === "ENOENT"
        ? "git is not installed"
        : (
            String(err.stderr ?? "")
              .split("\n")
              .find((l) => /^(fatal|error):/.test(l)) ?? err.message
          ).trim();
    if (err.code !== "ENOENT" && /not a git repository/i.test(reason)) return undefined;
    if (err.code === "ENOENT" && !insideGitFolder(dir)) return undefined;
    throw new PipelineError("usage", `cannot tell whether the files to change have uncommitted edits: ${reason}`, {
      where: dir,
      hint: "fix git for this repository (e.g. git config --global --add safe.directory <dir>), or pass --allow-dirty to update without the check",
    });
  }
  // Entries are "XY path\0"; a rename or copy adds its source as one more bare "path\0".
  const dirty = new Set<string>();
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4) continue;
    dirty.add(f.slice(3));
    if (/[RC]/.test(f.slice(0, 2))) dirty.add(fields[++i] ?? "");
  }
  const wanted = new Set(paths);
  // Porcelain paths are relative to the repository root; ours are relative to `dir`.
  return [...dirty]
    .map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p))
    .filter((p) => wanted.has(p))
    .sort();
}

/**
 * Whether git tracks this path (relative to `dir`). False when it does not, when `dir` is not in
 * a git work tree or when git cannot answer: the caller's own checks still apply then.
 */
export function tracked(dir: string, path: string): boolean {
  try {
    execFileSync("git", [...neutralConfig(dir), "--no-optional-locks", "--literal-pathspecs", "-C", dir, "ls-files", "--error-unmatch", "--", path], {
      stdio: ["ignore", "ignore", "ignore"],
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * The answers file as it was committed with the state file on disk: the text of `answersPath` at
 * the last commit that changed `statePath`, when that commit's state file is byte for byte the one
 * on disk (so those answers are the ones its files were generated from, and a review has read
 * them). Undefined when there is none: not a git work tree, git missing, the state not committed or
 * changed since, the answers file not in that commit.
 */
export function answersCommittedWith(dir: string, statePath: string, stateText: string, answersPath: string): string | undefined {
  try {
    const git = (args: string[]) =>
      execFileSync("git", [...neutralConfig(dir), "--no-optional-locks", "--literal-pathspecs", "-C", dir, ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 64 * 1024 * 1024,
      });
    const commit = git(["log", "-1", "--format=%H", "--", statePath]).trim();
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
    if (git(["show", `${commit}:./${statePath}`]) !== stateText) return undefined;
    return git(["show", `${commit}:./${answersPath}`]);
  } catch {
    return undefined;
  }
}

/**
 * create --force (or an overwrite chosen at a prompt) replaces files that already exist: one with
 * uncommitted edits, or untracked, would be lost for good (git never had it). Such a run stops
 * with exit 2 and writes nothing, unless --allow-dirty; the same guard as update's (dirtyPaths:
 * fails closed when git cannot answer).
 */
export function refuseDirtyOverwrites(dir: string, plan: readonly { path: string; kind: string; current?: string }[], allowDirty: boolean): void {
  if (allowDirty) return;
  const overwritten = plan.filter((e) => e.kind === "update" && e.current !== undefined).map((e) => e.path);
  const dirty = dirtyPaths(dir, overwritten) ?? [];
  if (dirty.length)
    throw new PipelineError(
      "usage",
      `create would overwrite ${dirty.length === 1 ? "a file" : `${dirty.length} files`} with uncommitted edits (git does not have them): ${dirty.join(", ")}; nothing was written`,
      { where: dir, hint: "commit them first (or move them aside) so what is overwritten stays in git, or pass --allow-dirty to overwrite them anyway" },
    );
}
