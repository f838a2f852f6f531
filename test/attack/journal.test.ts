// A journal left by an interrupted run is acted on by the next command of any kind. Its entries
// decide which files are renamed over which: a hostile one (committed by a pull request, or
// planted) must not move a file outside the target, into .git, or over a generated file.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { commitAll, makeRepo } from "../support/repo.js";

const JOURNAL = ".create-pipeline/journal.json";
const journal = (files: unknown[], dirs: string[] = [], pid = 999_999) =>
  `${JSON.stringify({ version: 1, pid, started: "2026-01-01T00:00:00.000Z", phase: "apply", dirs, files })}\n`;

/** A repository with a victim folder beside it, a symlink to it, and a payload file. */
async function setUp(git: boolean) {
  const dir = await makeRepo({ git });
  const victim = tempDir("cp-victim-");
  writeFileSync(join(victim, "important.txt"), "precious\n");
  writeFileSync(join(victim, "two.txt"), "also precious\n");
  symlinkSync(victim, join(dir, "lnk"));
  writeFileSync(join(dir, "payload.sh"), "#!/bin/sh\necho HOOK-RAN\n");
  chmodSync(join(dir, "payload.sh"), 0o755);
  return { dir, victim };
}

describe("a hostile journal moves nothing", () => {
  const cases: [string, unknown[], string[]?][] = [
    ["a git hook", [{ path: ".git/hooks/pre-commit", bak: "payload.sh" }]],
    ["a file behind a symlinked folder", [{ path: "lnk/important.txt", bak: ".important.txt.create-pipeline-999999.bak" }]],
    ["a temp file behind a symlinked folder", [{ path: "x", tmp: "lnk/two.txt" }]],
    ["a backup not named after its file", [{ path: "README.md", bak: "payload.sh" }]],
    ["the lock", [{ path: ".create-pipeline/lock", bak: "payload.sh" }]],
    ["a folder inside .git", [], [".git/hooks/x"]],
    // git's folder on Windows or macOS, with the temp and backup names a run would derive.
    ["'.git.' (git's folder on Windows)", [{ path: ".git./hooks/pre-commit", bak: ".git./hooks/.pre-commit.create-pipeline-999999.bak" }]],
    ["'GIT~1' (git's folder's short name)", [{ path: "GIT~1/hooks/pre-commit", bak: "GIT~1/hooks/.pre-commit.create-pipeline-999999.bak" }]],
    ["'.GIT ' (git's folder on Windows)", [], [".GIT /hooks"]],
    ["the lock spelt as Windows opens it", [{ path: ".create-pipeline/LOCK.", bak: ".create-pipeline/.LOCK..create-pipeline-999999.bak" }]],
  ];
  for (const [what, files, dirs] of cases)
    it(`refuses an entry naming ${what}, exit 2, nothing touched`, async () => {
      const { dir, victim } = await setUp(false);
      const before = existsSync(join(dir, ".git/hooks/pre-commit"));
      for (const f of files as { bak?: string }[])
        if (f.bak && f.bak !== "payload.sh" && !f.bak.startsWith("lnk/") && !f.bak.startsWith(".important")) {
          mkdirSync(join(dir, f.bak, ".."), { recursive: true });
          writeFileSync(join(dir, f.bak), "#!/bin/sh\necho HOOK-RAN\n");
        }
      writeFileSync(join(dir, JOURNAL), journal(files, dirs));
      for (const cmd of ["check", "update"]) {
        const r = await runCli([cmd, dir]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain("journal.json");
        expect(r.stderr).not.toMatch(/undid|finished an interrupted/);
      }
      expect(readFileSync(join(victim, "important.txt"), "utf8")).toBe("precious\n");
      expect(readFileSync(join(victim, "two.txt"), "utf8")).toBe("also precious\n");
      expect(existsSync(join(dir, ".git/hooks/pre-commit"))).toBe(before);
      expect(existsSync(join(dir, "payload.sh"))).toBe(true);
      expect(existsSync(join(dir, JOURNAL))).toBe(true);
    });

  it("a journal git tracks is refused even when its entries are well formed (it cannot defeat check)", async () => {
    const dir = await makeRepo({ git: true });
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    // The pull request: a tampered generated file, a clean copy under the backup name, a journal.
    writeFileSync(join(dir, "README.md"), `${readme}tampered\n`);
    writeFileSync(join(dir, ".README.md.create-pipeline-999999.bak"), readme);
    writeFileSync(join(dir, JOURNAL), journal([{ path: "README.md", bak: ".README.md.create-pipeline-999999.bak" }]));
    commitAll(dir, "pull request");
    const r = await runCli(["check", dir, "--strict"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("committed to the repository");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe(`${readme}tampered\n`);
  });

  it("a well-formed journal of a killed run is still finished (the checks refuse only what no run writes)", async () => {
    const dir = await makeRepo({ git: false });
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    // What a run killed after moving the old file aside leaves: a backup, no file, a journal.
    writeFileSync(join(dir, ".README.md.create-pipeline-999999.bak"), readme);
    writeFileSync(join(dir, ".README.md.create-pipeline-999999.tmp"), "new\n");
    mkdirSync(join(dir, "newdir"));
    rmSync(join(dir, "README.md"));
    writeFileSync(
      join(dir, JOURNAL),
      journal([{ path: "README.md", tmp: ".README.md.create-pipeline-999999.tmp", bak: ".README.md.create-pipeline-999999.bak" }], ["newdir"]),
    );
    const r = await runCli(["check", dir]);
    expect(r.stderr).toContain("undid an interrupted run");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe(readme);
    expect(existsSync(join(dir, JOURNAL))).toBe(false);
    expect(existsSync(join(dir, ".README.md.create-pipeline-999999.tmp"))).toBe(false);
  });
});
