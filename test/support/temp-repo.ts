// Synthetic repositories for detection tests: files written into a fresh temporary folder, removed
// when the test file's tests have run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/**
 * A writer of synthetic repositories for one test file: `repo(files)` maps relative paths to
 * contents in a fresh temporary folder named `<prefix>…` (or the prefix given to that call).
 * Call it at the top of the test file: the folders are removed after its tests.
 */
export function tempRepos(prefix: string): (files: Record<string, string>, dirPrefix?: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return (files, dirPrefix = prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    dirs.push(dir);
    for (const [rel, text] of Object.entries(files)) {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    return dir;
  };
}
