// A power cut loses what was written but not flushed. The commit's promise (old bytes or new
// bytes, never half) holds only if each file's content is on disk before the journal lets it be
// renamed into place, and each renamed folder entry before the journal says "committed" (after
// which recovery rolls forward and never back). The file system calls of real commits are
// recorded here, in order, and those flush orderings are checked for an update and a create.
import * as realFs from "node:fs";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { commit } from "../../src/io/commit.js";
import { tempDir } from "../support/cli.js";

type Op =
  | { op: "open"; fd: number; path: string }
  | { op: "write"; fd: number; text: string }
  | { op: "sync"; fd: number }
  | { op: "writeFile"; path: string; flush: boolean }
  | { op: "rename"; from: string; to: string };

const rec = vi.hoisted(() => ({ on: false, log: [] as unknown[] }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const log = (o: unknown) => rec.on && rec.log.push(o);
  return {
    ...fs,
    openSync: (p: realFs.PathLike, ...rest: unknown[]) => {
      const fd = (fs.openSync as (...a: unknown[]) => number)(p, ...rest);
      log({ op: "open", fd, path: String(p) });
      return fd;
    },
    writeSync: (fd: number, data: unknown, ...rest: unknown[]) => {
      log({ op: "write", fd, text: String(data) });
      return (fs.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    },
    fsyncSync: (fd: number) => {
      log({ op: "sync", fd });
      return fs.fsyncSync(fd);
    },
    fdatasyncSync: (fd: number) => {
      log({ op: "sync", fd });
      return fs.fdatasyncSync(fd);
    },
    writeFileSync: (p: realFs.PathOrFileDescriptor, data: unknown, opts?: { flush?: boolean }) => {
      log({ op: "writeFile", path: String(p), flush: Boolean(opts && typeof opts === "object" && opts.flush) });
      return (fs.writeFileSync as (...a: unknown[]) => void)(p, data, opts);
    },
    // The asynchronous flushes: logged when they complete (that is when the data is on disk).
    open: (p: realFs.PathLike, flags: string, cb: (e: NodeJS.ErrnoException | null, fd: number) => void) =>
      fs.open(p, flags, (e, fd) => {
        if (!e) log({ op: "open", fd, path: String(p) });
        cb(e, fd);
      }),
    fsync: (fd: number, cb: (e: NodeJS.ErrnoException | null) => void) =>
      fs.fsync(fd, (e) => {
        if (!e) log({ op: "sync", fd });
        cb(e);
      }),
    fdatasync: (fd: number, cb: (e: NodeJS.ErrnoException | null) => void) =>
      fs.fdatasync(fd, (e) => {
        if (!e) log({ op: "sync", fd });
        cb(e);
      }),
    renameSync: (from: realFs.PathLike, to: realFs.PathLike) => {
      log({ op: "rename", from: String(from), to: String(to) });
      return fs.renameSync(from, to);
    },
  };
});

afterEach(() => {
  rec.on = false;
  rec.log = [];
});

/** The index of the first op after `from` that flushes `path` (a file or a folder, by an fd opened on it). */
function flushedAt(log: Op[], path: string, from: number): number {
  const fds = new Set<number>();
  for (let i = 0; i < log.length; i++) {
    const o = log[i]!;
    if (o.op === "open") {
      if (o.path === path) fds.add(o.fd);
      else fds.delete(o.fd);
    }
    if (i > from && o.op === "sync" && fds.has(o.fd)) return i;
    if (i > from && o.op === "writeFile" && o.path === path && o.flush) return i;
  }
  return -1;
}

describe("what a power cut could lose is flushed before the journal relies on it", () => {
  it("update: every new file's content before the apply phase, every changed folder before committed", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    writeFileSync(join(dir, "a", "b", "old.txt"), "old\n");
    writeFileSync(join(dir, "keep.txt"), "k\n");
    rec.on = true;
    await commit(dir, [
      { path: "a/b/old.txt", content: "new\n" },
      { path: "new/deep/file.txt", content: "fresh\n" },
      { path: "top.txt", content: "top\n" },
      { path: "keep.txt" },
    ]);
    rec.on = false;
    const log = rec.log as Op[];
    // The journal's phases, as written: the write of each journal.json.tmp, then its rename.
    const journalRename = (phase: string) =>
      log.findIndex(
        (o, i) =>
          o.op === "rename" &&
          o.to.endsWith("journal.json") &&
          log
            .slice(0, i)
            .reverse()
            .find((w) => w.op === "write")?.op === "write" &&
          (
            log
              .slice(0, i)
              .reverse()
              .find((w) => w.op === "write") as { text: string }
          ).text.includes(`"phase":"${phase}"`),
      );
    const apply = journalRename("apply");
    const committed = journalRename("committed");
    expect(apply, "the journal was written with phase apply").toBeGreaterThan(0);
    expect(committed).toBeGreaterThan(apply);
    const intoPlace = log.flatMap((o, i) => (o.op === "rename" && o.from.endsWith(".tmp") && !o.to.endsWith("journal.json") ? [{ ...o, i }] : []));
    expect(intoPlace.map((r) => r.to.slice(dir.length + 1)).sort()).toEqual(["a/b/old.txt", "new/deep/file.txt", "top.txt"]);
    for (const r of intoPlace) {
      const written = log.findIndex((o) => o.op === "open" && o.path === r.from);
      const synced = flushedAt(log, r.from, written);
      expect(synced, `${r.from}: its content is not flushed before it is renamed into place`).toBeGreaterThan(written);
      expect(synced, `${r.from}: flushed only after the journal allowed the rename`).toBeLessThan(apply);
      expect(r.i).toBeGreaterThan(apply);
    }
    // Each folder whose entries changed (renamed in, moved aside, new) is flushed after its last
    // rename and before the journal says committed.
    const renames = log.flatMap((o, i) => (o.op === "rename" && !o.to.endsWith("journal.json") ? [{ ...o, i }] : []));
    const folders = new Set(renames.flatMap((r) => [dirname(r.from), dirname(r.to)]));
    for (const d of [...folders, join(dir, "new"), dir]) {
      const last = Math.max(...renames.filter((r) => dirname(r.from) === d || dirname(r.to) === d).map((r) => r.i), -1);
      const synced = flushedAt(log, d, last);
      expect(synced, `${d}: its entries are not flushed after the renames`).toBeGreaterThan(last);
      expect(synced, `${d}: flushed only after the journal said committed`).toBeLessThan(committed);
    }
    expect(realFs.readFileSync(join(dir, "a", "b", "old.txt"), "utf8")).toBe("new\n");
  });

  it("create into a new folder: every staged file and folder before the one rename, the parent after it", async () => {
    const parent = tempDir();
    const target = join(parent, "svc");
    rec.on = true;
    await commit(target, [
      { path: "x/y/z.txt", content: "z\n" },
      { path: "a.txt", content: "a\n" },
    ]);
    rec.on = false;
    const log = rec.log as Op[];
    const into = log.findIndex((o) => o.op === "rename" && o.to === target);
    expect(into).toBeGreaterThan(0);
    const stage = (log[into] as { from: string }).from;
    for (const f of ["x/y/z.txt", "a.txt"]) {
      const p = join(stage, f);
      const synced = flushedAt(log, p, -1);
      expect(synced, `${f}: not flushed before the staging folder becomes the target`).toBeGreaterThanOrEqual(0);
      expect(synced).toBeLessThan(into);
    }
    for (const d of [stage, join(stage, "x"), join(stage, "x", "y")]) {
      const synced = flushedAt(log, d, -1);
      expect(synced, `${d}: entries not flushed before the rename`).toBeGreaterThanOrEqual(0);
      expect(synced).toBeLessThan(into);
    }
    expect(flushedAt(log, parent, into), "the parent's entry for the rename is not flushed").toBeGreaterThan(into);
  });
});
