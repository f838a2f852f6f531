// create (--force, --dry-run, several services) never writes through a symlink: a generated file
// that is a symlink, or is reached through a symlinked folder (`.github -> ci`, `Dockerfile ->
// docker/Dockerfile`, the answers file), is refused with exit 2 naming it, inside the repository
// or out of it; the tree, the links and what they point to stay as they were. A target that is a
// symlink to nothing, or lies below a file, is exit 2 too (never "internal error").
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { makeRepo, servicesShop, snapshot, V1 } from "../support/repo.js";

/** Move `path` to `real` (inside the repository) and leave a relative symlink to it in its place. */
function linkInside(dir: string, path: string, real: string, rel: string) {
  mkdirSync(join(dir, real, ".."), { recursive: true });
  renameSync(join(dir, path), join(dir, real));
  symlinkSync(rel, join(dir, path));
}

function expectRefused(dir: string, before: ReturnType<typeof snapshot>, r: { code: number; stderr: string }, path: string) {
  const err = unwrapReport(r.stderr);
  expect(r.code, err).toBe(2);
  expect(err).not.toContain("internal error");
  expect(err).toContain(`'${path}'`);
  expect(err).toMatch(/symlink/);
  expect(snapshot(dir)).toEqual(before);
}

const force = (dir: string, ...extra: string[]) => runCli(["create", dir, "--template", V1, "--yes", "--language", "go", "--force", ...extra]);

describe("one service: create --force", () => {
  it("a generated file symlinked inside the repository: exit 2 naming it, the link and the user's line kept (--dry-run too)", async () => {
    const dir = await makeRepo({ git: false });
    linkInside(dir, "Dockerfile", "docker/Dockerfile", "docker/Dockerfile");
    writeFileSync(join(dir, "docker/Dockerfile"), `${readFileSync(join(dir, "docker/Dockerfile"), "utf8")}# mine\n`);
    const before = snapshot(dir);
    expectRefused(dir, before, await force(dir), "Dockerfile");
    expectRefused(dir, before, await force(dir, "--dry-run"), "Dockerfile");
    expect(lstatSync(join(dir, "Dockerfile")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "docker/Dockerfile"), "utf8")).toContain("# mine");
  });

  it("a generated folder symlinked inside the repository: nothing written into what it points to", async () => {
    const dir = await makeRepo({ git: false });
    linkInside(dir, "env", "deploy/env", "deploy/env");
    writeFileSync(join(dir, "deploy/env/dev.yaml"), `${readFileSync(join(dir, "deploy/env/dev.yaml"), "utf8")}# mine\n`);
    const before = snapshot(dir);
    expectRefused(dir, before, await force(dir), "env");
    expect(readFileSync(join(dir, "deploy/env/dev.yaml"), "utf8")).toContain("# mine");
  });

  it("the answers file as a symlink inside the repository: refused, the link kept", async () => {
    const dir = await makeRepo({ git: false });
    linkInside(dir, ".create-pipeline.yaml", "answers.yaml", "answers.yaml");
    const before = snapshot(dir);
    expectRefused(dir, before, await force(dir, "--port", "9999"), ".create-pipeline.yaml");
    expect(lstatSync(join(dir, ".create-pipeline.yaml")).isSymbolicLink()).toBe(true);
  });

  it("links out of the repository (a file, .github, the state folder): exit 2, nothing outside written or deleted", async () => {
    const outside = tempDir("cp-out-");
    for (const [path, isDir] of [
      ["Dockerfile", false],
      [".github", true],
      [".create-pipeline", true],
    ] as const) {
      const dir = await makeRepo({ git: false });
      const there = join(outside, path.replace(/^\./, "dot"));
      renameSync(join(dir, path), there);
      symlinkSync(there, join(dir, path));
      const was = snapshot(isDir ? there : outside);
      const r = await force(dir);
      expect(r.code, r.stderr).toBe(2);
      expect(unwrapReport(r.stderr)).toContain(path);
      expect(unwrapReport(r.stderr)).not.toContain("internal error");
      expect(snapshot(isDir ? there : outside)).toEqual(was);
    }
  });

  it("a target that is a symlink to nothing, or lies below a file: exit 2 with a fix, never an internal error", async () => {
    const root = tempDir("cp-target-");
    symlinkSync(join(root, "nowhere"), join(root, "dangling"));
    const r = await force(join(root, "dangling"));
    expect(r.code, r.stderr).toBe(2);
    expect(unwrapReport(r.stderr)).toMatch(/is a symlink to .*nowhere', which does not exist/);
    expect(unwrapReport(r.stderr)).toContain("fix: create the folder it points to");
    expect(lstatSync(join(root, "dangling")).isSymbolicLink()).toBe(true);
    writeFileSync(join(root, "afile"), "x");
    const below = await force(join(root, "afile", "sub"));
    expect(below.code, below.stderr).toBe(2);
    expect(unwrapReport(below.stderr)).toContain("is below a file, not a folder");
  });
});

describe("several services: create --force", () => {
  it(".github symlinked to a folder inside the repository: exit 2 naming it, nothing written through it", async () => {
    const dir = await servicesShop("cp-create-links-");
    linkInside(dir, ".github", "ci/github", "ci/github");
    const before = snapshot(dir);
    const r = await runCli(["create", dir, "--yes", "--force"]);
    expectRefused(dir, before, r, ".github");
    expect(lstatSync(join(dir, ".github")).isSymbolicLink()).toBe(true);
  });

  it("a service's Dockerfile symlinked out of the repository: exit 2, the file outside untouched", async () => {
    const dir = await servicesShop("cp-create-links-");
    const outside = join(tempDir("cp-out-"), "Dockerfile");
    writeFileSync(outside, "FROM scratch\n");
    rmSync(join(dir, "services/api/Dockerfile"));
    symlinkSync(outside, join(dir, "services/api/Dockerfile"));
    const r = await runCli(["create", dir, "--yes", "--force"]);
    expect(r.code, r.stderr).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("services/api/Dockerfile");
    expect(readFileSync(outside, "utf8")).toBe("FROM scratch\n");
  });
});
