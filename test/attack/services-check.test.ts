// `check` on a repository of several services looks for what the one-service check looks for:
// generated files reached through a symlink (GitHub runs no workflow through one, so a pull request
// could switch CI off with identical content) and hand-edited files whose bytes are not UTF-8
// (update would refuse to merge into them), with the same problem kinds in --json.
import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

const CI = ".github/workflows/ci.yml";

async function shop(): Promise<string> {
  const dir = join(tempDir("cp-svc-check-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, "test", "fixtures", "services", "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(REPO, "test", "fixtures", "services", "go"), join(dir, "services", "gateway"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  const r = await runCli(["create", dir, "--yes"]);
  expect(r.code, r.stderr).toBe(0);
  commitAll(dir, "create");
  return dir;
}

type Problem = { kind: string; path?: string };

describe("check of several services: symlinks and bytes that are not UTF-8", () => {
  it(".github swapped for a symlink to an identical copy: reported, and failed with --strict-workflows", async () => {
    const dir = await shop();
    renameSync(join(dir, ".github"), join(dir, "shared-gh"));
    symlinkSync("shared-gh", join(dir, ".github"));
    const plain = await runCli(["check", dir, "--json"]);
    expect(plain.code, plain.stdout).toBe(0);
    expect(JSON.parse(plain.stdout).problems as Problem[]).toContainEqual(expect.objectContaining({ kind: "symlink", path: CI }));
    const strict = await runCli(["check", dir, "--strict-workflows"]);
    expect(strict.code, strict.stdout).toBe(3);
    expect(strict.stdout).toContain(`${CI}: .github is a symlink (fails with --strict-workflows)`);
    expect(strict.stdout).toContain("Drift found: generated files are reached through a symlink (.github)");
  });

  it("a generated file hand-edited with a Latin-1 byte: reported with its line and byte (not-utf8)", async () => {
    const dir = await shop();
    const path = "services/api/Dockerfile";
    const text = readFileSync(join(dir, path));
    writeFileSync(join(dir, path), Buffer.concat([text, Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
    const r = await runCli(["check", dir, "--json"]);
    const problems = JSON.parse(r.stdout).problems as Problem[];
    expect(problems).toContainEqual(expect.objectContaining({ kind: "not-utf8", path }));
    const text2 = await runCli(["check", dir]);
    expect(text2.stdout).toMatch(/services\/api\/Dockerfile \(line \d+, byte 0xE9\)/);
  });
});
