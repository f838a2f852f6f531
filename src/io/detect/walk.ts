/** A bounded walk for source files: a few levels, a few dozen files, never into dependency or build folders. */
import path from "node:path";
import { list } from "./read.js";

const SKIP = new Set([
  "node_modules",
  "vendor",
  "dist",
  "build",
  "target",
  "out",
  ".git",
  ".venv",
  "venv",
  "env",
  "__pycache__",
  "test",
  "tests",
  "__tests__",
  "testdata",
  "docs",
  "doc",
  "examples",
  "migrations",
  "static",
  "public",
  "charts",
  "deploy",
  ".github",
  "coverage",
  ".next",
  ".nuxt",
  "site-packages",
]);

/**
 * Relative paths of files under `dirs` (relative to root) whose names match
 * `pattern`, breadth first: at most `maxDepth` levels, `maxDirs` folders and
 * `maxFiles` files; test files are left out.
 */
export async function walk(
  root: string,
  dirs: readonly string[],
  pattern: RegExp,
  opts: { maxDepth?: number; maxDirs?: number; maxFiles?: number } = {},
): Promise<string[]> {
  const { maxDepth = 4, maxDirs = 60, maxFiles = 60 } = opts;
  const out: string[] = [];
  let level = [...dirs];
  let visited = 0;
  for (let depth = 0; depth <= maxDepth && level.length > 0 && visited < maxDirs && out.length < maxFiles; depth++) {
    level = level.slice(0, maxDirs - visited);
    visited += level.length;
    const listings = await Promise.all(level.map((rel) => list(path.join(root, rel))));
    const next: string[] = [];
    listings.forEach((l, i) => {
      const rel = level[i]!;
      for (const f of [...l.files].sort()) {
        if (pattern.test(f) && !/(?:[._-]test|[._-]spec|_test)\.\w+$|^test_|^tests?\.py$|^conftest\.py$/.test(f)) out.push(rel === "." ? f : `${rel}/${f}`);
      }
      for (const d of [...l.dirs].sort()) if (!SKIP.has(d) && !d.startsWith(".")) next.push(rel === "." ? d : `${rel}/${d}`);
    });
    level = next;
  }
  return out.slice(0, maxFiles);
}
