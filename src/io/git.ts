import { execFileSync } from "node:child_process";

/**
 * Which of these paths have uncommitted changes (or are untracked) in the git work tree at
 * `dir`. Undefined when `dir` is not in a git work tree or git is not installed.
 */
export function dirtyPaths(dir: string, paths: readonly string[]): string[] | undefined {
  if (paths.length === 0) return [];
  const git = (args: string[]) =>
    // Literal pathspecs: a generated file named `a[1].txt` or `*.md` means that file, not a glob.
    execFileSync("git", ["--literal-pathspecs", "-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  let out: string;
  let prefix: string;
  try {
    out = git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths]);
    prefix = git(["rev-parse", "--show-prefix"]).trim();
  } catch {
    return undefined;
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
