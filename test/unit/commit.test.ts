import * as realFs from "node:fs";
import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PipelineError } from "../../src/core/errors.js";
import { commit } from "../../src/io/commit.js";
import { readTree, tempDir } from "../support/cli.js";

// renameSync can be made to fail on its n-th call, to break a commit after files were moved.
const failRename = vi.hoisted(() => ({ at: 0, calls: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return {
    ...fs,
    renameSync: (from: realFs.PathLike, to: realFs.PathLike) => {
      failRename.calls++;
      if (failRename.at > 0 && failRename.calls === failRename.at) throw Object.assign(new Error("EIO: simulated failure"), { code: "EIO" });
      return fs.renameSync(from, to);
    },
  };
});

afterEach(() => {
  failRename.at = 0;
  failRename.calls = 0;
});

/** Every entry under dir, folders included, with file contents and modes: "exactly as before". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const full = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = statSync(full);
      if (st.isDirectory()) {
        out[`${r}/`] = `dir ${(st.mode & 0o777).toString(8)}`;
        walk(full, r);
      } else out[r] = `${(st.mode & 0o777).toString(8)} ${realFs.readFileSync(full, "utf8")}`;
    }
  };
  walk(dir, "");
  return out;
}

function existing(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "README.md"), "mine\n");
  mkdirSync(join(dir, "config"));
  writeFileSync(join(dir, "config", "values.yaml"), "old: 1\n");
  chmodSync(join(dir, "config", "values.yaml"), 0o600);
  writeFileSync(join(dir, "blocker"), "a file where a folder is wanted\n");
  writeFileSync(join(dir, "old.txt"), "to delete\n");
  return dir;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe("commit", () => {
  it("writes new files, replaces changed ones (keeping their mode), deletes, and leaves nothing else", async () => {
    const dir = existing();
    await commit(dir, [
      { path: "README.md", content: "new readme\n" },
      { path: "config/values.yaml", content: "new: 2\n" },
      { path: "deep/er/file.txt", content: "x\n" },
      { path: "old.txt" },
    ]);
    expect(readTree(dir)).toEqual({
      "README.md": "new readme\n",
      blocker: "a file where a folder is wanted\n",
      "config/values.yaml": "new: 2\n",
      "deep/er/file.txt": "x\n",
    });
    expect(statSync(join(dir, "config", "values.yaml")).mode & 0o777).toBe(0o600);
  });

  it("a new target that fails half-way leaves no target and no staging folder behind", async () => {
    const parent = tempDir();
    const dir = join(parent, "new", "svc");
    const e = await failure(
      commit(dir, [
        { path: "a.txt", content: "a\n" },
        { path: `b/${"x".repeat(300)}.txt`, content: "too long a name\n" },
      ]),
    );
    expect(e).toBeInstanceOf(PipelineError);
    expect(e.message).toMatch(/file name is too long.*\(ENAMETOOLONG\)/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("creates the target folder itself when it does not exist", async () => {
    const dir = join(tempDir(), "new", "svc");
    await commit(dir, [{ path: "a/b.txt", content: "b\n" }]);
    expect(readTree(dir)).toEqual({ "a/b.txt": "b\n" });
  });

  it("when the second of several writes fails, the target is exactly as before: no temp files, no new folders", async () => {
    const dir = existing();
    const before = snapshot(dir);
    const e = await failure(
      commit(dir, [
        { path: "README.md", content: "new readme\n" },
        { path: `fresh/${"x".repeat(300)}.txt`, content: "cannot be written: the name is too long\n" },
        { path: "fresh/dir/new.txt", content: "new\n" },
        { path: "config/values.yaml", content: "new: 2\n" },
        { path: "old.txt" },
      ]),
    );
    expect(e).toBeInstanceOf(PipelineError);
    expect(e.message).toMatch(/file name is too long.*\(ENAMETOOLONG\)/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a file where a folder is needed is refused before anything is touched, naming the path", async () => {
    const dir = existing();
    const before = snapshot(dir);
    const e = await failure(
      commit(dir, [
        { path: "README.md", content: "new readme\n" },
        { path: "blocker/inside.txt", content: "x\n" },
      ]),
    );
    expect((e as Error).message).toBe("'blocker' is a file where a folder is needed for 'blocker/inside.txt'");
    expect(snapshot(dir)).toEqual(before);
  });

  it("when a rename fails after files were already moved into place, everything is put back", async () => {
    for (const at of [1, 2, 3, 4, 5, 6]) {
      const dir = existing();
      const before = snapshot(dir);
      failRename.calls = 0;
      failRename.at = at;
      const e = await failure(
        commit(dir, [
          { path: "README.md", content: "new readme\n" },
          { path: "fresh/new.txt", content: "new\n" },
          { path: "config/values.yaml", content: "new: 2\n" },
          { path: "old.txt" },
        ]),
      );
      expect(e.message, `rename #${at}`).toContain("input/output error from the disk (EIO)");
      expect(snapshot(dir), `rename #${at}`).toEqual(before);
    }
  });

  it("refuses, before touching anything, a folder where a file is to be written", async () => {
    const dir = existing();
    mkdirSync(join(dir, "charts"));
    writeFileSync(join(dir, "charts", "keep.yaml"), "k: 1\n");
    const before = snapshot(dir);
    const e = await failure(
      commit(dir, [
        { path: "README.md", content: "new\n" },
        { path: "charts", content: "a file\n" },
      ]),
    );
    expect(e).toBeInstanceOf(PipelineError);
    expect(e.message).toBe("'charts' is a folder where a file is to be written");
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a change set that makes one path both a file and a folder", async () => {
    const dir = existing();
    const before = snapshot(dir);
    const e = await failure(
      commit(dir, [
        { path: "app", content: "file\n" },
        { path: "app/main.go", content: "package main\n" },
      ]),
    );
    expect(e.message).toBe("'app' cannot be both a file and the folder of 'app/main.go'");
    expect(snapshot(dir)).toEqual(before);
  });

  it("an empty change set touches nothing, not even a missing target", async () => {
    const dir = join(tempDir(), "absent");
    await commit(dir, []);
    expect(realFs.existsSync(dir)).toBe(false);
  });

  it("replaces a symlink in the target by a file rather than writing through it", async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, "secret.txt"), "outside\n");
    symlinkSync(join(outside, "secret.txt"), join(dir, "link.txt"));
    await commit(dir, [{ path: "link.txt", content: "inside\n" }]);
    expect(realFs.lstatSync(join(dir, "link.txt")).isSymbolicLink()).toBe(false);
    expect(realFs.readFileSync(join(dir, "link.txt"), "utf8")).toBe("inside\n");
    expect(realFs.readFileSync(join(outside, "secret.txt"), "utf8")).toBe("outside\n");
  });
});
