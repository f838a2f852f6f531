import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { PipelineError } from "../core/errors.js";

export interface Change {
  path: string;
  /** undefined: delete the file */
  content?: string;
}

/**
 * The only writer. Every new content goes to a temp file beside its target first; then existing
 * files are moved aside, the temp files renamed into place, and the backups removed. Any failure
 * (or Ctrl-C, which is held off until the renames are done) puts everything back as it was.
 */
export async function commit(target: string, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const tag = `.create-pipeline-${process.pid}`;
  const createdDirs: string[] = [];
  const temps: { tmp: string; dest: string }[] = [];
  const backups: { bak: string; dest: string }[] = [];
  const placed: string[] = [];
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  const mkdirs = (dir: string) => {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      mkdirSync(d);
      createdDirs.push(d);
    }
  };
  const rollback = () => {
    for (const p of placed.reverse()) safe(() => unlinkSync(p));
    for (const { tmp } of temps) safe(() => unlinkSync(tmp));
    for (const { bak, dest } of backups.reverse()) safe(() => renameSync(bak, dest));
    for (const d of createdDirs.reverse()) safe(() => readdirSync(d).length === 0 && rmdirSync(d));
  };
  // Refuse, before touching anything, what the renames below cannot undo cleanly: a folder where
  // a file goes (it would be moved aside and left behind), or one change inside another's path.
  const paths = new Set(changes.map((c) => c.path));
  const fresh = !existsSync(target);
  const folders = new Set<string>();
  for (const c of changes) {
    const dest = join(target, c.path);
    for (let d = dirname(c.path); d !== "." && d !== "/" && d !== ""; d = dirname(d)) {
      if (paths.has(d)) throw new PipelineError("internal", `'${d}' cannot be both a file and the folder of '${c.path}'`, { where: dest });
      if (c.content === undefined || fresh || folders.has(d)) continue;
      folders.add(d);
      const st = statSync(join(target, d), { throwIfNoEntry: false });
      if (st && !st.isDirectory())
        throw new PipelineError("usage", `'${d}' is a file where a folder is needed for '${c.path}'`, { where: join(target, d), hint: "move or rename that file, then run again" });
    }
    // After the folders above: stat through a file would fail with ENOTDIR rather than answer.
    if (c.content !== undefined && !fresh && statSync(dest, { throwIfNoEntry: false })?.isDirectory())
      throw new PipelineError("usage", `'${c.path}' is a folder where a file is to be written`, { where: dest, hint: "move or rename that folder" });
  }
  if (fresh && changes.every((c) => c.content !== undefined)) {
    try {
      await commitFresh(target, changes, tag, () => interrupted, mkdirs);
    } catch (e) {
      for (const d of createdDirs.reverse()) safe(() => readdirSync(d).length === 0 && rmdirSync(d));
      throw e;
    } finally {
      process.off("SIGINT", onSigint);
    }
    return;
  }
  try {
    mkdirs(target);
    for (const c of changes) {
      const dest = join(target, c.path);
      if (c.content === undefined) continue;
      mkdirs(dirname(dest));
      const tmp = join(dirname(dest), `.${basename(dest)}${tag}.tmp`);
      writeFileSync(tmp, c.content, { mode: 0o644 });
      temps.push({ tmp, dest });
      const st = statSync(dest, { throwIfNoEntry: false });
      if (st) chmodSync(tmp, st.mode & 0o7777);
    }
    // Let a pending Ctrl-C be seen before anything on disk changes.
    await new Promise((r) => setImmediate(r));
    if (interrupted) throw new PipelineError("cancelled", "cancelled: nothing was written");
    for (const c of changes) {
      const dest = join(target, c.path);
      if (existsSync(dest)) {
        const bak = join(dirname(dest), `.${basename(dest)}${tag}.bak`);
        renameSync(dest, bak);
        backups.push({ bak, dest });
      }
    }
    for (const t of temps) {
      renameSync(t.tmp, t.dest);
      placed.push(t.dest);
    }
    temps.length = 0;
    await new Promise((r) => setImmediate(r));
    if (interrupted) throw new PipelineError("cancelled", "cancelled: every change was rolled back");
    for (const { bak } of backups) safe(() => unlinkSync(bak));
    // Folders emptied by deletions go too.
    for (const c of changes) if (c.content === undefined) pruneEmpty(dirname(join(target, c.path)), target);
  } catch (e) {
    rollback();
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/**
 * A target that does not exist yet is built beside it in a staging folder and moved into place
 * with one rename: the same all-or-nothing guarantee, at a fraction of the system calls.
 */
async function commitFresh(target: string, changes: readonly Change[], tag: string, interrupted: () => boolean, mkdirs: (dir: string) => void): Promise<void> {
  mkdirs(dirname(target));
  const stage = join(dirname(target), `.${basename(target)}${tag}.tmp`);
  try {
    mkdirSync(stage);
    const made = new Set<string>([stage]);
    for (const c of changes) {
      const file = join(stage, c.path);
      const dir = dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(file, c.content!, { mode: 0o644 });
    }
    await new Promise((r) => setImmediate(r));
    if (interrupted()) throw new PipelineError("cancelled", "cancelled: nothing was written");
    renameSync(stage, target);
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    throw e;
  }
}

function pruneEmpty(dir: string, stop: string): void {
  for (let d = dir; d.startsWith(stop) && d !== stop; d = dirname(d)) {
    if (!safe(() => readdirSync(d).length === 0 && (rmdirSync(d), true))) return;
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
