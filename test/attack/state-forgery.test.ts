// `.create-pipeline/state.json` comes with the repository: anyone can edit it, a pull request
// included. An entry for one of the user's own files, carrying that file's hash, must not make
// `update` delete it: a file is deleted only when the pack can be shown to have generated it
// (the previous render: the recorded pack version with the recorded answers; across a version
// step, the merge base). Such files are kept, and the report says so and why.
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashContent } from "../../src/core/hash.js";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, edit, git, makeRepo, read, updateToV2, V1, write } from "../support/repo.js";

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
function forge(dir: string, path: string, opts: { base?: boolean; state?: (s: Record<string, any>) => void } = {}): void {
  const state = JSON.parse(read(dir, ".create-pipeline/state.json"));
  state.files[path] = { hash: hashContent(read(dir, path)), owner: "managed" };
  opts.state?.(state);
  write(dir, ".create-pipeline/state.json", `${JSON.stringify(state, null, 2)}\n`);
  if (opts.base) {
    const base = JSON.parse(read(dir, ".create-pipeline/base.json"));
    base[path] = read(dir, path);
    write(dir, ".create-pipeline/base.json", `${JSON.stringify(base, null, 1)}\n`);
  }
  commitAll(dir, "forged state");
}

/** The report with its line wrapping undone. */
const flat = (text: string) => text.replace(/\s+/g, " ");

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
    expect(r.stdout).toMatch(/src\/main\.go: the template pack does not generate it from the answers/);
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

  it("same pack version, the recorded answers forged so that the previous render holds the path: a file that is not that render is kept", async () => {
    // Created for node (go-only.txt is not generated); the user has a go-only.txt of their own. The
    // forgery records language: go (whose render does hold go-only.txt) and the file in state and base.
    const dir = await makeRepo({ args: ["--language", "node"] });
    expect(existsSync(join(dir, "go-only.txt"))).toBe(false);
    write(dir, "go-only.txt", "the user's own notes\n");
    commitAll(dir, "own file");
    const state = JSON.parse(read(dir, ".create-pipeline/state.json"));
    state.answers.language = "go";
    write(dir, ".create-pipeline/state.json", `${JSON.stringify(state, null, 2)}\n`);
    forge(dir, "go-only.txt", { base: true });
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "go-only.txt")).toBe("the user's own notes\n");
    expect(entry(JSON.parse(r.stdout), "go-only.txt")).toMatchObject({ action: "keep", unproven: true });
  });

  it("the recorded answers removed from the state, state and merge base forged: kept (no previous render is no proof)", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM, { base: true, state: (s) => delete s.answers });
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, VICTIM)).toBe(VICTIM_TEXT);
    expect(entry(JSON.parse(r.stdout), VICTIM)).toMatchObject({ action: "keep", unproven: true });
    expect(entry(JSON.parse(r.stdout), VICTIM)?.reason).toMatch(/does not generate it from the answers in \.create-pipeline\.yaml/);
  });

  it("a forged recorded pack version (a version step that never happened), state and merge base forged: kept", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM, { base: true, state: (s) => (s.pack.version = "0.9.0") });
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, VICTIM)).toBe(VICTIM_TEXT);
    expect(entry(JSON.parse(r.stdout), VICTIM)).toMatchObject({ action: "keep", unproven: true });
    expect(entry(JSON.parse(r.stdout), VICTIM)?.reason).toMatch(/does not generate it from the answers in \.create-pipeline\.yaml/);
  });

  it("a real pack version step, state and merge base forged: kept, and listed under Kept, not deleted", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM, { base: true });
    const r = await updateToV2(dir, "--yes");
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, VICTIM)).toBe(VICTIM_TEXT);
    expect(r.stdout).toContain("Kept, not deleted");
    expect(flat(r.stdout)).toMatch(/src\/main\.go: the template pack does not generate it from the answers in \.create-pipeline\.yaml/);
  });

  it("recorded answers that differ from the answers file prove nothing, even when their render is byte for byte the user's file", async () => {
    // Created for node; the user's own go-only.txt happens to be exactly what the pack writes for go.
    const dir = await makeRepo({ args: ["--language", "node"] });
    write(dir, "go-only.txt", "only for go: example.com/svc\n");
    commitAll(dir, "own file");
    forge(dir, "go-only.txt", {
      base: true,
      state: (s) => Object.assign(s.answers, { language: "go", goModule: "example.com/svc" }),
    });
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "go-only.txt")).toBe("only for go: example.com/svc\n");
    const e = entry(JSON.parse(r.stdout), "go-only.txt");
    expect(e).toMatchObject({ action: "keep", unproven: true });
    expect(e?.reason).toMatch(/does not generate it from the answers in \.create-pipeline\.yaml/);
  });

  it("an answer changed by editing the answers file (not by a flag): the file it drops is kept and listed, not deleted", async () => {
    const dir = await makeRepo();
    edit(dir, ".create-pipeline.yaml", /^language: go$/m, "language: node");
    commitAll(dir, "switch to node");
    const r = await runCli(["update", dir, "--template", V1, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "go-only.txt")).toBe("only for go: example.com/svc\n");
    expect(r.stdout).toContain("Kept, not deleted");
    expect(flat(r.stdout)).toMatch(
      /go-only\.txt: the template pack does not generate it from the answers in \.create-pipeline\.yaml as they stood before this run/,
    );
    // The next update no longer lists it: it is the user's now.
    expect(JSON.parse(read(dir, ".create-pipeline/state.json")).files["go-only.txt"]).toBeUndefined();
  });

  it("across a pack version step (no previous render), a state entry alone is not enough: kept", async () => {
    const dir = await repoWithUserFile();
    forge(dir, VICTIM);
    const r = await updateToV2(dir, "--yes");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, VICTIM))).toBe(true);
    expect(flat(r.stdout)).toMatch(/src\/main\.go: the template pack does not generate it from the answers in \.create-pipeline\.yaml/);
    // the file the pack really dropped (and declares so: a dropFile migration) is still deleted
    expect(existsSync(join(dir, "dropped.txt"))).toBe(false);
    expect(r.stdout).toMatch(/- dropped\.txt\s+delete: no longer generated and untouched/);
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

describe("a repository of several services: a forged state cannot get a user's file deleted", () => {
  const SAMPLES = join(REPO, "test", "fixtures", "services");
  async function servicesRepo(): Promise<string> {
    const dir = join(tempDir("cp-forge-"), "shop");
    mkdirSync(dir, { recursive: true });
    cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
    cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    write(dir, "services/api/NOTES.md", "the team's own notes\n");
    commitAll(dir, "create");
    return dir;
  }

  it("state and merge base both list the user's file: update keeps it (unproven), check --strict names it", async () => {
    const dir = await servicesRepo();
    forge(dir, "services/api/NOTES.md", { base: true });
    const r = await runCli(["update", dir, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "services/api/NOTES.md")).toBe("the team's own notes\n");
    expect(entry(JSON.parse(r.stdout), "services/api/NOTES.md")).toMatchObject({ action: "keep", unproven: true });
  });

  it("a forged recorded pack version with state and merge base forged: kept", async () => {
    const dir = await servicesRepo();
    forge(dir, "services/api/NOTES.md", { base: true, state: (s) => (s.pack.version = "0.9.0") });
    const r = await runCli(["update", dir, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "services/api/NOTES.md")).toBe("the team's own notes\n");
    expect(entry(JSON.parse(r.stdout), "services/api/NOTES.md")).toMatchObject({ action: "keep", unproven: true });
  });
});

describe("a forged merge base cannot make update take the new render over a hand edit", () => {
  const HAND = "RUN echo build\nRUN echo my own step\n";
  /** The user's edit of the Dockerfile, committed, then base.json forged to hold exactly the edited file. */
  async function editedWithForgedBase(): Promise<string> {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "RUN echo build\n", HAND);
    commitAll(dir, "own step");
    const base = JSON.parse(read(dir, ".create-pipeline/base.json"));
    base.Dockerfile = read(dir, "Dockerfile");
    write(dir, ".create-pipeline/base.json", `${JSON.stringify(base, null, 1)}\n`);
    commitAll(dir, "forged base");
    return dir;
  }

  it("same pack version: the previous render is the merge base, so the hand edit is merged with the new port", async () => {
    const dir = await editedWithForgedBase();
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--port", "9000", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "Dockerfile")).toContain("RUN echo my own step\n");
    expect(read(dir, "Dockerfile")).toContain("EXPOSE 9000\n");
    expect(entry(JSON.parse(r.stdout), "Dockerfile")).toMatchObject({ action: "merge" });
  });

  it("across a version step (no previous render), a base that does not match the state's hash is not used: the user's file is kept", async () => {
    const dir = await editedWithForgedBase();
    const r = await updateToV2(dir, "--yes", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "Dockerfile")).toContain("RUN echo my own step\n");
    const e = entry(JSON.parse(r.stdout), "Dockerfile");
    expect(e).toMatchObject({ action: "keep" });
    expect(e?.reason).toMatch(/does not match the hash/);
  });
});
