import { closeSync, linkSync, lstatSync, mkdirSync, statSync, openSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { PipelineError, environmentError } from "../core/errors.js";
import { tracked } from "./git.js";
import { readRegularFile } from "./read.js";

/** One run at a time per repository: the lock file, in the engine's folder of the target. */
export const LOCK_FILE = ".create-pipeline/lock";

/** Is a process with this pid running (on this machine)? */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface Holder {
  pid: number;
  host: string;
  command: string;
  started: string;
}

/** Locks this process holds (a lock of our own pid that is not here was left by an abandoned run). */
const held = new Set<string>();

/** A lock from another machine (a shared folder) is taken as stale after this long. */
const FOREIGN_STALE_MS = 60 * 60 * 1000;
/** How far ahead another machine's clock may be before a time it wrote counts as unknown. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function stale(h: Holder | undefined, path: string): boolean {
  if (!h || typeof h.pid !== "number") {
    // Unreadable or half-written: stale once it is a few seconds old (a live writer finishes at once).
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age > 2000;
  }
  if (h.host !== hostname()) {
    // Its age: from the start time it names and the file's own time, whichever is older (a lock
    // without a start time, or with one that does not parse, is still judged by the file's age). A
    // time in the future (beyond a few minutes of clock skew) is unknown: it would never grow old.
    const now = Date.now();
    const times = [Date.parse(String(h.started)), statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Number.NaN].filter(
      (t) => Number.isFinite(t) && t <= now + CLOCK_SKEW_MS,
    );
    return times.length === 0 || now - Math.min(...times) > FOREIGN_STALE_MS;
  }
  if (h.pid === process.pid) return !held.has(path);
  return !isAlive(h.pid);
}

/**
 * The holder a lock names; undefined when it is gone, half-written or not JSON. A lock is a small
 * regular file this tool writes: anything else (a symlink to /dev/zero, a FIFO, a huge file, all
 * of which a pull request can commit) is refused with exit 2, never read.
 */
const readHolder = (path: string): Holder | undefined => {
  let text: string;
  try {
    text = readRegularFile(path, "the lock", {
      max: 64 * 1024,
      noFollow: true,
      hint: `delete ${LOCK_FILE} (and \`git rm\` it if it is committed: a lock is never shared), then run again`,
    });
  } catch (e) {
    if (e instanceof PipelineError) throw e;
    return undefined;
  }
  try {
    return JSON.parse(text) as Holder;
  } catch {
    return undefined;
  }
};

/** How long a second run waits for the first before giving up (ms); CREATE_PIPELINE_LOCK_WAIT_MS overrides. */
const lockWait = () => {
  const v = Number(process.env.CREATE_PIPELINE_LOCK_WAIT_MS);
  return Number.isFinite(v) && v >= 0 ? v : 5000;
};

/**
 * Take the repository's lock, waiting briefly for a running holder; a lock whose process is gone
 * is removed. Returns the release function. Exits with a usage error (2) naming the holder.
 */
export async function lockRepo(target: string, command: string): Promise<() => void> {
  const dir = join(target, ".create-pipeline");
  const path = join(target, LOCK_FILE);
  // `check` only reads: on a repository it may not write (read-only checkout), it runs unlocked.
  const readOnly = (e: unknown) => command === "check" && ["EROFS", "EACCES", "EPERM"].includes((e as NodeJS.ErrnoException).code ?? "");
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (readOnly(e)) return () => {};
    if (code !== "EEXIST") throw environmentError(e, dir) ?? e;
    const st = lstatSync(dir);
    if (st.isSymbolicLink())
      throw new PipelineError(
        "usage",
        `.create-pipeline in ${target} is a symbolic link: the tool keeps its state and lock only in a real folder inside the repository`,
        { where: dir, hint: "replace the link with the folder it points to (or remove it), then run again" },
      );
    if (!st.isDirectory())
      throw new PipelineError("usage", `.create-pipeline in ${target} is a file, not the folder create-pipeline keeps its state in`, {
        where: dir,
        hint: "move or rename it, then run again",
      });
  }
  const deadline = Date.now() + lockWait();
  let committed: boolean | undefined;
  const me: Holder = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
  for (;;) {
    try {
      const fd = openSync(path, "wx", 0o644);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      held.add(path);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(path);
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
        // The folder made only for the lock goes with it.
        try {
          if (readdirSync(dir).length === 0) rmdirSync(dir);
        } catch {
          /* not empty or gone */
        }
      };
    } catch (e) {
      if (readOnly(e)) return () => {};
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw environmentError(e, path) ?? e;
    }
    const holder = readHolder(path);
    // A lock git tracks came with the repository (committed by mistake, or by a pull request):
    // no run here holds it, and waiting would not help. Said at once, with how to remove it.
    if (committed === undefined) committed = tracked(target, LOCK_FILE);
    if (committed) {
      const who = holder ? ` (it names ${holder.command}, pid ${holder.pid} on ${holder.host}, started ${holder.started ?? "at an unknown time"})` : "";
      throw new PipelineError("usage", `${LOCK_FILE} is committed to the repository${who}: a lock belongs to one run on one machine and is never shared`, {
        where: path,
        hint: `remove it from git and from the folder (\`git rm ${LOCK_FILE}\`, then commit), then run again`,
      });
    }
    if (stale(holder, path)) {
      // Take the stale lock over atomically: move it aside under a name of our own, then make sure
      // what was moved is the stale lock that was read (another run may have replaced it with a
      // live one in between); a live lock moved by mistake goes back where it was.
      const aside = `${path}.${process.pid}.stale`;
      try {
        renameSync(path, aside);
      } catch {
        continue; // another run moved or removed it first
      }
      const moved = readHolder(aside);
      if (moved && holder && (moved.pid !== holder.pid || moved.started !== holder.started || moved.host !== holder.host)) {
        try {
          linkSync(aside, path);
        } catch {
          /* a third run holds it now; it waits for or takes over from that one */
        }
      }
      try {
        unlinkSync(aside);
      } catch {
        /* gone */
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder
        ? `${holder.command} (pid ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ""}, started ${holder.started ?? "at an unknown time"})`
        : "another run";
      throw new PipelineError("usage", `another create-pipeline run is working on this repository: ${who}`, {
        where: path,
        hint:
          holder && holder.host !== hostname()
            ? `it was taken on another machine (${holder.host}): if no run is working there, delete ${LOCK_FILE} (a lock from another machine is taken as stale ${FOREIGN_STALE_MS / 60_000} minutes after it started, or after the lock file was written when it names no start)`
            : `wait for it to finish and run again; if no such process is running, delete ${LOCK_FILE}`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
