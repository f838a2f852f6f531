import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dirtyPaths } from "../../src/io/git.js";
import { tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

function repo(files: Record<string, string>): string {
  const dir = tempDir("cp-git-");
  git(dir, "init", "-q");
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  commitAll(dir, "init");
  return dir;
}

describe("dirtyPaths", () => {
  it("is undefined outside a git work tree", () => {
    expect(dirtyPaths(tempDir(), ["a.txt"])).toBeUndefined();
  });

  it("lists only the asked paths that are modified, staged or untracked", () => {
    const dir = repo({ "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    writeFileSync(join(dir, "a.txt"), "changed\n");
    writeFileSync(join(dir, "b.txt"), "staged\n");
    git(dir, "add", "b.txt");
    writeFileSync(join(dir, "new.txt"), "untracked\n");
    writeFileSync(join(dir, "other.txt"), "untracked, not asked\n");
    expect(dirtyPaths(dir, ["a.txt", "b.txt", "c.txt", "new.txt", "absent.txt"])).toEqual(["a.txt", "b.txt", "new.txt"]);
  });

  it("takes paths literally, not as globs", () => {
    const dir = repo({ "a[1].txt": "x\n", "a1.txt": "y\n", "star.md": "z\n" });
    writeFileSync(join(dir, "a1.txt"), "changed\n");
    writeFileSync(join(dir, "star.md"), "changed\n");
    expect(dirtyPaths(dir, ["a[1].txt", "*.md"])).toEqual([]);
  });

  it("reports paths relative to a subfolder of the work tree", () => {
    const dir = repo({ "svc/Dockerfile": "x\n", Dockerfile: "root\n" });
    writeFileSync(join(dir, "svc", "Dockerfile"), "changed\n");
    expect(dirtyPaths(join(dir, "svc"), ["Dockerfile"])).toEqual(["Dockerfile"]);
  });

  it("names both sides of a staged rename correctly", () => {
    const dir = repo({ Dockerfile: "x\n" });
    git(dir, "mv", "Dockerfile", "Dockerfile.old");
    writeFileSync(join(dir, "Dockerfile"), "new\n");
    expect(dirtyPaths(dir, ["Dockerfile", "Dockerfile.old"])).toEqual(["Dockerfile", "Dockerfile.old"]);
  });
});
