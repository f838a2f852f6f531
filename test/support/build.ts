// Build dist/ once for the end-to-end tests that spawn bin/create-pipeline.js. Test files run in
// parallel workers: a lock keeps two of them from rewriting dist/ at the same time, and a build
// newer than every source file is not redone.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./cli.js";

export const BIN = join(REPO, "bin", "create-pipeline.js");

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

const fresh = () => {
  const out = join(REPO, "dist", "cli.js");
  // The tests of real processes need the build with fault injection (the published one has none).
  if (!existsSync(out) || !existsSync(join(REPO, "dist", ".faults-build"))) return false;
  // the build also snapshots the built-in packs (templates/) into dist/packs
  const inputs = Math.max(...["src", "templates", "scripts/build.mjs", "package.json"].map((p) => newest(join(REPO, p))));
  return statSync(out).mtimeMs > inputs;
};

export async function buildOnce(): Promise<void> {
  // Outside dist/: the build empties dist/ first.
  const lock = join(tmpdir(), `create-pipeline-build-${createHash("sha256").update(REPO).digest("hex").slice(0, 12)}.lock`);
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after a minute (a build takes a second or two).
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (remove it if no build is running)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (!fresh())
      execFileSync("npm", ["run", "build", "--silent"], {
        cwd: REPO,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, CREATE_PIPELINE_FAULTS_BUILD: "1" },
      });
  } finally {
    rmdirSync(lock);
  }
}
