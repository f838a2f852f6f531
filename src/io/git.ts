import { execFileSync } from "node:child_process";

/**
 * Which of these paths have uncommitted changes (or are untracked) in the git work tree at
 * `dir`. Undefined when `dir` is not in a git work tree or git is not installed.
 */
export function dirtyPaths(dir: string, paths: readonly string[]): string[] | undefined {
  if (paths.length === 0) return [];
  try {
    const out = execFileSync("git", ["-C", dir, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const prefix = execFileSync("git", ["-C", dir, "rev-parse", "--show-prefix"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return out
      .split("\0")
      .filter((l) => l.length > 3)
      .map((l) => l.slice(3))
      .map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p));
  } catch {
    return undefined;
  }
}
