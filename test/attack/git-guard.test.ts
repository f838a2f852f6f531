// The uncommitted-edits guard fails closed: when git cannot answer, update stops with the reason.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dirtyPaths } from "../../src/io/git.js";
import { runCli, tempDir } from "../support/cli.js";
import { commitAll, git, makeRepo } from "../support/repo.js";

describe("uncommitted-edits guard", () => {
  it("a repository where git is not installed: refused with the reason, not waved through", async () => {
    const dir = await makeRepo();
    const path = process.env.PATH;
    process.env.PATH = tempDir(); // no git on it
    try {
      expect(() => dirtyPaths(dir, ["README.md"])).toThrow(/git is not installed/);
    } finally {
      process.env.PATH = path;
    }
  });

  it("a folder that is not a repository has nothing to protect", () => {
    expect(dirtyPaths(tempDir(), ["README.md"])).toBeUndefined();
  });
});

describe("a repository's own git configuration runs nothing", () => {
  it("core.fsmonitor and a clean filter in .git/config are not run by update or check", async () => {
    const dir = await makeRepo();
    const marker = join(tempDir("cp-victim-"), "PWNED");
    const hook = join(dir, ".git", "evil.sh");
    writeFileSync(hook, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
    chmodSync(hook, 0o755);
    git(dir, "config", "core.fsmonitor", hook);
    git(dir, "config", "filter.evil.clean", `${hook} clean`);
    git(dir, "config", "filter.evil.process", `${hook} process`);
    writeFileSync(join(dir, ".gitattributes"), "* filter=evil\n");
    commitAll(dir, "attributes");
    // Plain git would run them (the premise of the test).
    git(dir, "status", "--porcelain");
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    // A hand edit, so status has a modified file to filter.
    writeFileSync(join(dir, "README.md"), `${readFileSync(join(dir, "README.md"), "utf8")}my note\n`);
    for (const args of [
      ["update", dir, "--yes", "--set", "debug=true"],
      ["check", dir],
      ["update", dir, "--yes", "--set", "debug=true", "--allow-dirty"],
    ]) {
      const r = await runCli(args);
      expect(r.stderr).not.toContain("internal error");
    }
    expect(dirtyPaths(dir, ["README.md"])).toEqual(["README.md"]);
    expect(existsSync(marker), existsSync(marker) ? readFileSync(marker, "utf8") : "").toBe(false);
  });
});
