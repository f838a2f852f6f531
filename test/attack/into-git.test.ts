// A symlink inside the repository that leads into its own .git (`.github -> .git`,
// `Dockerfile -> .git/config`) stays inside the target, so the outside-the-target check lets it
// by; but writing through it changes git's data (a hook runs code) and reading through it prints
// git's config. Writes, reads and diff refuse it with exit 2; .git is untouched.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, unwrapReport } from "../support/cli.js";
import { makeRepo, V2 } from "../support/repo.js";

const gitFiles = (dir: string) => readdirSync(join(dir, ".git")).sort();

describe("a symlink into .git is never written or read through", () => {
  it("'.github -> .git': update exits 2 and writes no .git/workflows; check exits 2", async () => {
    const dir = await makeRepo();
    rmSync(join(dir, ".github"), { recursive: true });
    symlinkSync(".git", join(dir, ".github"));
    const before = gitFiles(dir);
    for (const argv of [
      ["update", dir, "--template", V2, "--set", "team=core", "--yes", "--allow-dirty"],
      ["check", dir],
    ]) {
      const r = await runCli(argv);
      const err = unwrapReport(r.stderr);
      expect(r.code, `${argv[0]}: ${err}`).toBe(2);
      expect(err).toContain(".git");
      expect(err).toMatch(/\.github/);
    }
    expect(existsSync(join(dir, ".git/workflows"))).toBe(false);
    expect(gitFiles(dir)).toEqual(before);
  });

  it("'Dockerfile -> .git/config': diff and check exit 2 without printing git's config; update leaves it alone", async () => {
    const dir = await makeRepo();
    const config = readFileSync(join(dir, ".git/config"), "utf8");
    renameSync(join(dir, "Dockerfile"), join(dir, "Dockerfile.mine"));
    symlinkSync(".git/config", join(dir, "Dockerfile"));
    for (const argv of [
      ["diff", dir],
      ["check", dir],
      ["update", dir, "--template", V2, "--set", "team=core", "--yes", "--allow-dirty"],
    ]) {
      const r = await runCli(argv);
      const err = unwrapReport(r.stderr);
      expect(r.code, `${argv[0]}: ${err}`).toBe(2);
      expect(err).toContain("Dockerfile");
      expect(err).toContain(".git");
      expect(r.stdout).not.toContain("[core]");
      expect(err).not.toContain("[core]");
    }
    expect(readFileSync(join(dir, ".git/config"), "utf8")).toBe(config);
  });
});
