// A file edited, created or deleted after a run read it (while its confirmation waited, or while the
// templates rendered: an editor's auto-save, a formatter) is never overwritten: the commit finds
// that what is on disk is no longer what the plan read, stops before anything moves and exits 2.
// The edit is injected at the commit's last step before files are put in place.
import { cpSync, existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { faults } from "../../src/io/commit.js";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git, makeRepo, read, snapshot, V1 } from "../support/repo.js";

/** A repository of two services (node and python) under services/. */
function twoServices(): string {
  const dir = join(tempDir("cp-edit-mono-"), "shop");
  mkdirSync(dir, { recursive: true });
  for (const [lang, name] of [
    ["node", "api"],
    ["python", "worker"],
  ])
    cpSync(join(REPO, "test", "fixtures", "services", lang!), join(dir, "services", name!), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  return dir;
}

/** Run `act` once, when the commit is about to put its files in place. */
function whenCommitting(act: () => void): void {
  let done = false;
  faults.onStep = (_n, what) => {
    if (!done && what === "flush the new files") {
      done = true;
      act();
    }
  };
}

afterEach(() => {
  faults.onStep = undefined;
});

/** The report with its line wrapping undone. */
const flat = (text: string) => text.replace(/\s+/g, " ");

const texts = (dir: string) => Object.fromEntries(Object.entries(snapshot(dir)).map(([p, s]) => [p, s.text]));

describe("an edit made after the run read the files is not lost", () => {
  it("update: a generated file edited meanwhile: exit 2 naming it, nothing written, the edit kept", async () => {
    const dir = await makeRepo();
    const file = join(dir, ".create-pipeline.yaml");
    whenCommitting(() => writeFileSync(file, `${readFileSync(file, "utf8")}# mine\n`));
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=5000"]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain("'.create-pipeline.yaml' changed after it was read for this run: nothing was written");
    expect(read(dir, ".create-pipeline.yaml")).toContain("# mine");
    expect(read(dir, ".create-pipeline.yaml")).not.toContain("5000");
    expect(existsSync(join(dir, ".create-pipeline/journal.json"))).toBe(false);
    // Run again: it plans against the edited file and keeps the edit.
    faults.onStep = undefined;
    const again = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=5000", "--allow-dirty"]);
    expect(again.code, again.stderr).toBe(0);
    expect(read(dir, ".create-pipeline.yaml")).toContain("# mine");
  });

  it("update --reconfigure: the answers file edited while a question waits: exit 2, the edit kept", async () => {
    const dir = await makeRepo();
    const file = join(dir, ".create-pipeline.yaml");
    let edited = false;
    const onAsk = () => {
      if (edited) return;
      edited = true;
      writeFileSync(file, `${readFileSync(file, "utf8")}# mine, saved while the question waited\n`);
    };
    const r = await runCli(["update", dir, "--template", V1, "--reconfigure"], { script: { answers: { port: 9000 }, onAsk } });
    expect(edited).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(flat(r.stderr)).toContain("'.create-pipeline.yaml' changed after it was read for this run: nothing was written");
    expect(read(dir, ".create-pipeline.yaml")).toContain("# mine, saved while the question waited");
    expect(read(dir, ".create-pipeline.yaml")).not.toMatch(/^port: 9000$/m);
  });

  it("several services, update --services --reconfigure: the same", async () => {
    const dir = twoServices();
    expect((await runCli(["create", dir, "--yes"])).code).toBe(0);
    commitAll(dir, "create");
    const file = join(dir, ".create-pipeline.yaml");
    let edited = false;
    const onAsk = () => {
      if (edited) return;
      edited = true;
      writeFileSync(file, `${readFileSync(file, "utf8")}# mine, saved while the question waited\n`);
    };
    const r = await runCli(["update", dir, "--reconfigure", "--services", "services/api"], { script: { answers: { port: 9001 }, onAsk } });
    expect(edited).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(flat(r.stderr)).toContain("'.create-pipeline.yaml' changed after it was read for this run: nothing was written");
    expect(read(dir, ".create-pipeline.yaml")).toContain("# mine, saved while the question waited");
  });

  it("update: a file to be deleted is edited meanwhile, or one to be written is deleted: exit 2, the tree as the edit left it", async () => {
    const dir = await makeRepo();
    commitAll(dir, "create");
    const { "go-only.txt": _gone, ...before } = texts(dir);
    whenCommitting(() => unlinkSync(join(dir, "go-only.txt")));
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--language", "node"]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toMatch(/go-only\.txt.*changed after it was read for this run/);
    expect(texts(dir)).toEqual(before);
  });

  it("create into an existing folder: a file written there meanwhile is not overwritten", async () => {
    const dir = tempDir("cp-edit-create-");
    writeFileSync(join(dir, "notes.txt"), "ours\n");
    whenCommitting(() => writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n"));
    const r = await runCli(["create", dir, "--template", V1, "--yes", "--name", "svc", "--language", "go"]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain("'Dockerfile' changed after it was read");
    expect(read(dir, "Dockerfile")).toBe("FROM scratch\n");
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
  });

  it("no false alarm: a formatter ignore file with a byte order mark or over 64 KiB is written as planned", async () => {
    const dir = tempDir("cp-edit-ignore-");
    writeFileSync(join(dir, ".prettierrc"), "{}\n");
    writeFileSync(join(dir, ".prettierignore"), `\uFEFFnode_modules\n${"# padding line\n".repeat(6000)}`);
    const r = await runCli(["create", dir, "--template", V1, "--yes", "--name", "svc", "--language", "go"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, ".prettierignore")).toContain("node_modules");
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(true);
  });

  it("several services, update and create: the same", async () => {
    const dir = twoServices();
    const made = await runCli(["create", dir, "--yes"]);
    expect(made.code, made.stderr).toBe(0);
    commitAll(dir, "create");
    const docs = join(dir, "docs/pipeline.md");
    whenCommitting(() => writeFileSync(docs, "# our own guide\n"));
    const r = await runCli(["update", dir, "--yes", "--set", "strategy=canary"]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain("'docs/pipeline.md' changed after it was read for this run");
    expect(read(dir, "docs/pipeline.md")).toBe("# our own guide\n");

    const fresh = twoServices();
    whenCommitting(() => writeFileSync(join(fresh, ".create-pipeline.yaml"), "# ours\n"));
    const c = await runCli(["create", fresh, "--yes"]);
    expect(c.code).toBe(2);
    expect(read(fresh, ".create-pipeline.yaml")).toBe("# ours\n");
  });
});
