// The uncommitted-edits guard fails closed: when git cannot answer, update stops with the reason.
import { describe, expect, it } from "vitest";
import { dirtyPaths } from "../../src/io/git.js";
import { tempDir } from "../support/cli.js";
import { makeRepo } from "../support/repo.js";

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
