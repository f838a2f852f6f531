// `.create-pipeline/state.json` comes with the repository: anyone can edit it, a pull request
// included. An entry for one of the user's own files, carrying that file's hash, must not make
// `update` delete it: a file is deleted only when the pack can be shown to have generated it
// (the previous render: the recorded pack version with the recorded answers; across a version
// step, the merge base). Such files are kept, and the report says so and why.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashContent } from "../../src/core/hash.js";
import { runCli } from "../support/cli.js";
import { commitAll, makeRepo, read, updateToV2, V1, write } from "../support/repo.js";

const VICTIM = "src/main.go";
const VICTIM_TEXT = "package main\n\nfunc main() {}\n";

/** A repository made by create, with a file of the user's own, committed. */
async function repoWithUserFile(): Promise<string> {
  const dir = await makeRepo();
  mkdirSync(join(dir, "src"), { recursive: true });
  write(dir, VICTIM, VICTIM_TEXT);
  commitAll(dir, "the service's own code");
  return dir;
}

/** What a malicious change does: list the user's file in the state (and the merge base) as generated. */
function forge(dir: string, path: string, opts: { base?: boolean } = {}): void {
  const state = JSON.parse(read(dir, ".create-pipeline/state.json"));
  state.files[path] = { hash: hashContent(read(dir, path)), owner: "managed" };
  write(dir, ".create-pipeline/state.json", `${JSON.stringify(state, null, 2)}\n`);
  if (opts.base) {
    const base = JSON.parse(read(dir, ".create-pipeline/base.json"));
    base[path] = read(dir, path);
    write(dir, ".create-pipeline/base.json", `${JSON.stringify(base, null, 1)}\n`);
  }
  commitAll(dir, "forged state");
}

const entry = (out: { files: { path: string; action: string; unproven?: boolean; reason: string }[] }, path: string) => out.files.find((f) => f.path === path);

describe("a state entry the pack never generated does not get a user's file deleted", () => {
  it("same pack version: update keeps the file, exit 0, and the report names it and says why", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM);
    const r = await runCli(["update", dir, "--template", V1, "--yes"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(read(dir, VICTIM)).toBe(VICTIM_TEXT);
    expect(r.stdout).toContain("Kept, not deleted");
    expect(r.stdout).toMatch(/src\/main\.go: the template pack never generated it/);
  });

  it("same pack version, state and merge base both forged: still kept (the previous render decides)", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM, { base: true });
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--json"]);
    expect(r.code).toBe(0);
    expect(read(dir, VICTIM)).toBe(VICTIM_TEXT);
    const e = entry(JSON.parse(r.stdout), VICTIM);
    expect(e).toMatchObject({ action: "keep", unproven: true });
  });

  it("across a pack version step (no previous render), a state entry alone is not enough: kept", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM);
    const r = await updateToV2(dir, "--yes");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, VICTIM))).toBe(true);
    expect(r.stdout).toMatch(/src\/main\.go: the merge base holds no copy of it/);
    // the file the pack really dropped is still deleted
    expect(existsSync(join(dir, "dropped.txt"))).toBe(false);
  });

  it("a file an answer change drops (same version) is still deleted: the previous render shows it was generated", async () => {
    const dir = await makeRepo();
    expect(existsSync(join(dir, "go-only.txt"))).toBe(true);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--language", "node"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "go-only.txt"))).toBe(false);
    expect(r.stdout).toMatch(/- go-only\.txt\s+delete: no longer generated and untouched/);
  });

  it("check passes (nothing to update), check --strict fails naming the state entry", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM);
    const plain = await runCli(["check", dir, "--template", V1]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(VICTIM);
    const strict = await runCli(["check", dir, "--template", V1, "--strict", "--json"]);
    expect(strict.code).toBe(3);
    const problems = JSON.parse(strict.stdout).problems as { kind: string; path?: string }[];
    expect(problems).toContainEqual(expect.objectContaining({ kind: "state-mismatch", path: VICTIM }));
  });
});
