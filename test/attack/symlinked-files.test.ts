// update, add and update --dry-run never change or delete a generated file that is a symlink, or
// that is reached through one (wherever it leads, inside the repository or out of it), nor the
// answers file or the state folder when they are symlinks: writing by rename would turn the link
// into a regular file and leave what it pointed to stale; deleting it would delete the link.
// Exit 2 naming the path, nothing written.
import { lstatSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { commitAll, makeRepo, read, servicesShop, snapshot, V1 } from "../support/repo.js";

/** Move `path` to `real` (inside the repository) and leave a relative symlink to it in its place. */
function linkInside(dir: string, path: string, real: string, rel: string) {
  mkdirSync(join(dir, real, ".."), { recursive: true });
  renameSync(join(dir, path), join(dir, real));
  symlinkSync(rel, join(dir, path));
}

/** Refused, naming the path; the tree (links included) as it was. */
function expectRefused(dir: string, before: ReturnType<typeof snapshot>, r: { code: number; stderr: string }, path: string) {
  const err = unwrapReport(r.stderr);
  expect(r.code, err).toBe(2);
  expect(err).toContain(`'${path}'`);
  expect(err).toMatch(/symlink/);
  expect(err).toContain("nothing was written");
  expect(snapshot(dir)).toEqual(before);
}

describe("one service", () => {
  it("update that would change a generated file symlinked inside the repository: exit 2, the link and its file as they were", async () => {
    const dir = await makeRepo();
    linkInside(dir, "Dockerfile", "docker/Dockerfile", "docker/Dockerfile");
    commitAll(dir, "link");
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expectRefused(dir, before, r, "Dockerfile");
    expect(lstatSync(join(dir, "Dockerfile")).isSymbolicLink()).toBe(true);
  });

  it("update --dry-run says the same (exit 2), --json too", async () => {
    const dir = await makeRepo();
    linkInside(dir, "Dockerfile", "docker/Dockerfile", "docker/Dockerfile");
    commitAll(dir, "link");
    const before = snapshot(dir);
    expectRefused(dir, before, await runCli(["update", dir, "--template", V1, "--dry-run", "--set", "port=9000"]), "Dockerfile");
    const j = await runCli(["update", dir, "--template", V1, "--dry-run", "--json", "--set", "port=9000"]);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toContain("'Dockerfile' is a symlink");
  });

  it("a symlink to a file outside the repository: exit 2, that file untouched", async () => {
    const dir = await makeRepo();
    const outside = join(tempDir("cp-outside-"), "Dockerfile");
    writeFileSync(outside, read(dir, "Dockerfile"));
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, "Dockerfile"));
    symlinkSync(outside, join(dir, "Dockerfile"));
    commitAll(dir, "link");
    const was = readFileSync(outside, "utf8");
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("'Dockerfile'");
    expect(snapshot(dir)).toEqual(before);
    expect(readFileSync(outside, "utf8")).toBe(was);
  });

  it("update that would delete a dropped file that is a symlink: exit 2, the link kept", async () => {
    const dir = await makeRepo();
    linkInside(dir, "go-only.txt", "notes/go-only.txt", "notes/go-only.txt");
    commitAll(dir, "link");
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--language", "node"]);
    expectRefused(dir, before, r, "go-only.txt");
    expect(lstatSync(join(dir, "go-only.txt")).isSymbolicLink()).toBe(true);
  });

  it("a generated file reached through a symlinked folder inside the repository: exit 2 naming the folder", async () => {
    const dir = await makeRepo();
    linkInside(dir, "env", "deploy/env", "deploy/env");
    commitAll(dir, "link");
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--environments", "dev,staging,prod"]);
    expectRefused(dir, before, r, "env/staging.yaml");
    expect(unwrapReport(r.stderr)).toContain("the symlink 'env'");
  });

  it("a symlink the update leaves alone does not stop it, and stays a symlink", async () => {
    const dir = await makeRepo();
    linkInside(dir, "README.md", "docs/README.md", "docs/README.md");
    commitAll(dir, "link");
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "debug=true"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(dir, "README.md")).isSymbolicLink()).toBe(true);
  });

  it("the answers file as a symlink: an update that rewrites it is refused", async () => {
    const dir = await makeRepo();
    linkInside(dir, ".create-pipeline.yaml", "config/pipeline.yaml", "config/pipeline.yaml");
    commitAll(dir, "link");
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expectRefused(dir, before, r, ".create-pipeline.yaml");
  });

  it("the state folder as a symlink inside the repository: refused, nothing written", async () => {
    const dir = await makeRepo();
    linkInside(dir, ".create-pipeline", "tools/state", "tools/state");
    commitAll(dir, "link");
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toMatch(/\.create-pipeline.*(symlink|symbolic link)/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("several services", () => {
  const shop = () => servicesShop("cp-links-");

  it("update (and --dry-run) that would change a service's symlinked file: exit 2 naming it", async () => {
    const dir = await shop();
    linkInside(dir, "services/api/Dockerfile", "services/api/docker/Dockerfile", "docker/Dockerfile");
    commitAll(dir, "link");
    const before = snapshot(dir);
    expectRefused(dir, before, await runCli(["update", dir, "--yes", "--services", "services/api", "--port", "9001"]), "services/api/Dockerfile");
    expectRefused(dir, before, await runCli(["update", dir, "--dry-run", "--services", "services/api", "--port", "9001"]), "services/api/Dockerfile");
  });

  it("add that would change a shared file that is a symlink: exit 2 naming it", async () => {
    const dir = await shop();
    const shared = (await runCli(["add", "services/gateway", "--dry-run", "--json"], { cwd: dir })).stdout;
    const changed = (JSON.parse(shared).files as { path: string; action: string }[]).find(
      (f) => f.action === "update" && !f.path.startsWith("services/") && !f.path.startsWith(".create-pipeline"),
    );
    expect(changed, shared).toBeDefined();
    const path = changed!.path;
    linkInside(dir, path, `linked/${path}`, `${"../".repeat(path.split("/").length - 1)}linked/${path}`);
    commitAll(dir, "link");
    const before = snapshot(dir);
    expectRefused(dir, before, await runCli(["add", "services/gateway"], { cwd: dir }), path);
  });
});
