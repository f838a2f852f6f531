import { toolCommand } from "../product.js";
import {
  constants,
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { close as closeAsync, fdatasync as fdatasyncAsync, fsync as fsyncAsync, open as openAsync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { PipelineError, STOP_SIGNALS, environmentError, stoppedMessage, type StopSignal } from "../core/errors.js";
import { hashContent } from "../core/hash.js";
import { samePath, unsafePath } from "../core/paths.js";
import { tracked } from "./git.js";
import { assertInside } from "./inside.js";
import { LOCK_FILE, isAlive } from "./lock.js";
import { readRegularFile } from "./read.js";
import { seeSignals } from "./stop.js";

export interface Change {
  path: string;
  /** undefined: delete the file */
  content?: string;
}

/** The engine's own folder in the target: state, merge base, and while a commit runs, its journal. */
export const ENGINE_DIR = ".create-pipeline";
export const JOURNAL = `${ENGINE_DIR}/journal.json`;

/**
 * The intent journal: written and flushed before the first rename, so that a run killed at any
 * point (kill -9, power cut after the flush, a signal) is found by the next run and put back.
 * `phase` says which way recovery goes: before "committed" everything is rolled back to the old
 * bytes; from "committed" on, the new files are all in place and only the leftovers are removed.
 */
interface Journal {
  version: 1;
  pid: number;
  started: string;
  phase: "prepare" | "apply" | "committed";
  /** Folders this commit creates (relative to the target), outermost first. */
  dirs: string[];
  files: { path: string; tmp?: string; bak?: string; hash?: string; hadOld?: boolean }[];
}

export interface CommitOptions {
  /**
   * Fault injection: called before every step that changes the disk, with its number. Tests use
   * it to stop a commit dead at each step and check what the next run makes of it.
   */
  onStep?: (step: number, what: string) => void;
  /**
   * The paths whose content is no longer what the plan read (a file edited, created or deleted
   * while a prompt waited or the templates rendered): asked once every new file is on disk, just
   * before anything is moved; any path makes the commit stop with nothing written.
   */
  changedSince?: () => readonly string[];
}

/** Fault injection for commits started by the CLI (tests set it, then run a command in-process). */
export const faults: { onStep?: CommitOptions["onStep"] } = {};

/** Thrown by a fault-injection hook to stop a commit as a crash would: no rollback, no cleanup. */
export class SimulatedCrash extends Error {}

/**
 * Set by the bundler: true only in the build the tests of real processes run (scripts/build.mjs with
 * CREATE_PIPELINE_FAULTS_BUILD=1); false in the published package, whose bundle then holds no
 * fault injection at all. Run from source (the in-process tests), it is on.
 */
declare const __FAULTS__: boolean | undefined;

/**
 * CREATE_PIPELINE_FAULT_STEP=n sends the process a real signal at commit step n (SIGKILL, or
 * CREATE_PIPELINE_FAULT_SIGNAL): the crash and signal tests of real processes. Inert in the
 * published package: with __FAULTS__ false the bundler drops the rest of this function.
 */
function envFault(): CommitOptions["onStep"] {
  if (typeof __FAULTS__ === "boolean" && !__FAULTS__) return undefined;
  const at = Number(process.env.CREATE_PIPELINE_FAULT_STEP);
  if (!Number.isInteger(at) || at <= 0) return undefined;
  const sig = process.env.CREATE_PIPELINE_FAULT_SIGNAL || "SIGKILL";
  return (n) => {
    if (n === at) process.kill(process.pid, sig as NodeJS.Signals);
  };
}

/** Paths of staging folders of commits running in this process (never swept as stale). */
const activeStages = new Set<string>();

const SIGNALS = Object.keys(STOP_SIGNALS) as StopSignal[];

let running = 0;
let committed = 0;
/** Is a commit running in this process (it handles the stop signals itself)? */
export const commitRunning = () => running > 0;
/** Has a commit of this process put its changes in place? */
export const committedInThisRun = () => committed > 0;

/**
 * The only writer. Every new content goes to a temp file beside its target first, the journal is
 * flushed, then existing files are moved aside, the temp files renamed into place, the journal
 * marked committed, and the backups removed. Any failure (or Ctrl-C, SIGTERM, SIGHUP, held off
 * until a step boundary) puts everything back as it was; a crash is put back by the next run.
 */
export async function commit(target: string, changes: readonly Change[], opts: CommitOptions = {}): Promise<void> {
  if (changes.length === 0) return;
  const hook = opts.onStep ?? faults.onStep ?? envFault();
  let stepNo = 0;
  const step = (what: string) => hook?.(++stepNo, what);
  const tag = `.create-pipeline-${process.pid}`;
  let interrupted: StopSignal | undefined;
  const onSignal = (sig: StopSignal) => {
    interrupted ??= sig;
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  running++;
  try {
    const fresh = !existsSync(target);
    const seen = validate(target, changes, fresh);
    if (fresh && changes.every((c) => c.content !== undefined)) await commitFresh(target, changes, tag, () => interrupted, step);
    else await commitInPlace(target, changes, tag, () => interrupted, step, seen, opts.changedSince);
    committed++;
  } finally {
    running--;
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/** The error of a commit stopped by a signal: what it left, the signal's exit code. */
const stopped = (sig: StopSignal, left: string) => new PipelineError("cancelled", stoppedMessage(sig, left), { signal: sig });

/** What validate found at a path written in place: its lstat (undefined: nothing there). */
type Seen = Map<string, Stats | undefined>;

/**
 * Refuse, before touching anything, what the renames cannot undo cleanly or what would land outside
 * the target. Returns what is at each path to be written (one lstat per file, reused by the commit).
 */
function validate(target: string, changes: readonly Change[], fresh: boolean): Seen {
  const seen: Seen = new Map();
  const paths = new Set(changes.map((c) => c.path));
  const folders = new Set<string>();
  for (const c of changes) {
    const dest = join(target, c.path);
    for (let d = dirname(c.path); d !== "." && d !== "/" && d !== ""; d = dirname(d)) {
      if (paths.has(d)) throw new PipelineError("internal", `'${d}' cannot be both a file and the folder of '${c.path}'`, { where: dest });
      if (c.content === undefined || fresh || folders.has(d)) continue;
      folders.add(d);
      const st = statSync(join(target, d), { throwIfNoEntry: false });
      if (st && !st.isDirectory())
        throw new PipelineError("usage", `'${d}' is a file where a folder is needed for '${c.path}'`, {
          where: join(target, d),
          hint: "move or rename that file, then run again",
        });
    }
    // After the folders above: stat through a file would fail with ENOTDIR rather than answer.
    if (c.content !== undefined && !fresh) {
      const old = lstatSync(dest, { throwIfNoEntry: false });
      seen.set(c.path, old);
      const st = old?.isSymbolicLink() ? statSync(dest, { throwIfNoEntry: false }) : old;
      if (st?.isDirectory())
        throw new PipelineError("usage", `'${c.path}' is a folder where a file is to be written`, { where: dest, hint: "move or rename that folder" });
    }
  }
  if (!fresh) {
    const cache = new Map<string, boolean>();
    for (const c of changes) assertInside(target, c.path, cache, false);
  }
  return seen;
}

async function commitInPlace(
  target: string,
  changes: readonly Change[],
  tag: string,
  interrupted: () => StopSignal | undefined,
  step: (what: string) => void,
  found: Seen,
  changedSince?: () => readonly string[],
): Promise<void> {
  const journalPath = join(target, JOURNAL);
  // Paths here are all join(target, …): the relative path is what follows the target's prefix.
  const prefix = join(target, "x").slice(0, -1);
  const relOf = (full: string) => (full.startsWith(prefix) ? full.slice(prefix.length) : relative(target, full)).split("\\").join("/");
  // Folders to create: the engine folder (for the journal) and every missing parent, outermost first.
  const dirs: string[] = [];
  const seen = new Set<string>();
  const present = new Set<string>();
  const want = (dir: string) => {
    const missing: string[] = [];
    let d = dir;
    for (; d !== target && !seen.has(d) && !present.has(d) && !existsSync(d); d = dirname(d)) missing.unshift(d);
    if (d !== target && !seen.has(d)) present.add(d);
    for (const m of missing) {
      seen.add(m);
      dirs.push(relOf(m));
    }
  };
  if (!existsSync(target)) throw new PipelineError("usage", `target '${target}' vanished while writing`, { where: target });
  want(join(target, ENGINE_DIR));
  const journal: Journal = { version: 1, pid: process.pid, started: new Date().toISOString(), phase: "prepare", dirs, files: [] };
  for (const c of changes) {
    const dest = join(target, c.path);
    if (c.content !== undefined) {
      want(dirname(dest));
      journal.files.push({ path: c.path, tmp: relOf(join(dirname(dest), `.${basename(dest)}${tag}.tmp`)), hash: hashContent(c.content) });
    } else journal.files.push({ path: c.path });
    journal.files.at(-1)!.bak = relOf(join(dirname(dest), `.${basename(dest)}${tag}.bak`));
  }
  let journalWritten = false;
  const flush = flusher();
  try {
    step("create folders and write the journal");
    for (const d of dirs.filter((x) => x === ENGINE_DIR)) mkdirSync(join(target, d));
    writeJournal(journalPath, journal);
    journalWritten = true;
    for (const d of dirs.filter((x) => x !== ENGINE_DIR)) {
      step(`create folder ${d}`);
      mkdirSync(join(target, d));
    }
    for (const [i, c] of changes.entries()) {
      const f = journal.files[i]!;
      const dest = join(target, c.path);
      // One lstat per file (validate's, for a file written) says both whether it is there (to
      // move aside) and its mode (to keep).
      const old = found.has(c.path) ? found.get(c.path) : lstatSync(dest, { throwIfNoEntry: false });
      f.hadOld = old !== undefined;
      if (c.content === undefined) continue;
      const tmp = join(target, f.tmp!);
      step(`write ${tmp}`);
      writeFresh(tmp, c.content, flush);
      const st = old?.isSymbolicLink() ? statSync(dest, { throwIfNoEntry: false }) : old;
      if (st) chmodSync(tmp, st.mode & 0o7777);
    }
    // Every new content is on disk before the journal lets it be renamed into place.
    step("flush the new files");
    await flush.done();
    // Let a pending signal be seen before anything on disk changes.
    await seeSignals();
    const early = interrupted();
    if (early) throw stopped(early, "nothing was written");
    const moved = changedSince?.() ?? [];
    if (moved.length)
      throw new PipelineError(
        "usage",
        `${moved.length === 1 ? `'${moved[0]}' changed` : `${moved.length} files changed (${moved.join(", ")})`} after it was read for this run: nothing was written, so no edit is lost`,
        { where: join(target, moved[0]!), hint: "run the command again: it plans against the files as they are now" },
      );
    journal.phase = "apply";
    step("flush the journal (apply)");
    writeJournal(journalPath, journal);
    for (const f of journal.files) {
      if (!f.hadOld) continue;
      step(`move ${f.path} aside`);
      renameSync(join(target, f.path), join(target, f.bak!));
    }
    for (const f of journal.files) {
      if (!f.tmp) continue;
      step(`move ${f.path} into place`);
      renameSync(join(target, f.tmp), join(target, f.path));
    }
    // Every folder whose entries changed (new names, renames) is flushed before the journal says
    // committed: after that a power cut can no longer take the run back.
    const changedDirs = new Set(journal.files.map((f) => dirname(join(target, f.path))));
    for (const d of journal.dirs) changedDirs.add(dirname(join(target, d)));
    step("flush the folders");
    for (const d of changedDirs) flush.dir(d);
    await flush.done();
    await seeSignals();
    const late = interrupted();
    if (late) throw stopped(late, `every change was rolled back (${journal.files.length} file${journal.files.length === 1 ? "" : "s"} as they were)`);
    journal.phase = "committed";
    step("flush the journal (committed)");
    writeJournal(journalPath, journal);
  } catch (e) {
    if (e instanceof SimulatedCrash) throw e;
    // The same code the next run would use: the journal in memory says what to put back.
    const left = safe(() => finish(target, journal, "rollback", step));
    if (left === undefined) {
      // Could not put everything back (the disk refuses): keep the journal on disk for the next run.
      if (journalWritten) safe(() => writeJournal(journalPath, journal));
    }
    throw e instanceof PipelineError ? e : (environmentError(e, target) ?? e);
  }
  finish(target, journal, "forward", step, true);
}

/**
 * Take an interrupted or failed commit to its end: "rollback" restores every old file and removes
 * every new one; "forward" (the journal says committed) removes the backups. Both remove the
 * temp files, the folders the commit made that are now empty, and the journal.
 */
function finish(target: string, j: Journal, way: "rollback" | "forward", step: (what: string) => void = () => {}, inRun = false): string[] {
  /** Files changed by someone after the run stopped: kept as they are, each with its backup. */
  const kept: string[] = [];
  const at = (p: string) => join(target, p);
  const exists = (p: string) => {
    try {
      return lstatSync(at(p), { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false; // a name the file system refuses (too long) was never created
    }
  };
  if (way === "rollback") {
    for (const f of [...j.files].reverse()) {
      const tmpLeft = f.tmp !== undefined && exists(f.tmp);
      if (tmpLeft) unlinkSync(at(f.tmp!));
      if (f.bak && exists(f.bak)) {
        if (exists(f.path)) {
          // What is there is the run's new file only if it has the hash the journal recorded;
          // anything else was written after the run stopped (an edit, a re-created file): it is
          // kept, and the file as it was before the run stays beside it as the backup.
          if (f.tmp === undefined || tmpLeft || hashOf(at(f.path)) !== f.hash) {
            kept.push(`${f.path} (changed since the interrupted run: kept; the file before that run is ${f.bak})`);
            continue;
          }
          unlinkSync(at(f.path));
        }
        renameSync(at(f.bak), at(f.path));
      } else if (tmpLeft) {
        // Not moved into place: the file there (if any) is the old one.
      } else if (f.tmp && j.phase !== "prepare" && f.hadOld === false && exists(f.path) && hashOf(at(f.path)) === f.hash) {
        // A new file already moved into place: it was not there before.
        unlinkSync(at(f.path));
      }
    }
  } else {
    for (const f of j.files) {
      // In the run that committed, every temp file was renamed into place and a backup exists
      // exactly for the files that were there before; a recovery checks each.
      if (!inRun && f.tmp && exists(f.tmp)) unlinkSync(at(f.tmp));
      if (f.bak && (inRun ? f.hadOld : exists(f.bak))) {
        step(`remove the backup of ${f.path}`);
        unlinkSync(at(f.bak));
      }
    }
    // Folders emptied by deletions go too.
    for (const f of j.files) if (!f.tmp) pruneEmpty(dirname(at(f.path)), target);
  }
  step("remove the journal");
  if (existsSync(at(JOURNAL))) unlinkSync(at(JOURNAL));
  safe(() => unlinkSync(`${at(JOURNAL)}.tmp`));
  // The folders it made that are left empty go. In the run that committed, a folder above a file it
  // put in place holds that file: only the others are looked at (thousands of folders for hundreds
  // of services).
  const holding = new Set<string>();
  if (inRun && way === "forward")
    for (const f of j.files) if (f.tmp) for (let d = dirname(f.path); d !== "." && d !== "/" && !holding.has(d); d = dirname(d)) holding.add(d);
  for (const d of [...j.dirs].reverse()) if (!holding.has(d)) safe(() => readdirSync(at(d)).length === 0 && rmdirSync(at(d)));
  return kept;
}

function hashOf(file: string): string | undefined {
  try {
    return hashContent(readRegularFile(file, "file", { noFollow: true }));
  } catch {
    return undefined;
  }
}

/**
 * Write a file of our own naming (temp, journal) as a new file: whatever is at that name is removed
 * first (a leftover, or a planted symlink), and the open is exclusive, so it never follows a link
 * out of the repository; something re-planted in between makes it fail instead.
 */
function writeFresh(path: string, content: string, flush?: Flusher): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = openSync(path, flags, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    unlinkSync(path);
    fd = openSync(path, flags, 0o644);
  }
  try {
    writeSync(fd, content);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  if (flush) flush.file(fd);
  else closeSync(fd);
}

/** File systems that cannot flush a folder (or at all) say so with these: nothing more can be done there. */
const CANNOT_FLUSH = new Set(["EINVAL", "EISDIR", "ENOTSUP", "EBADF"]);

/**
 * Flushes to disk, started as the files are written and run in parallel on libuv's threads (one
 * flush costs milliseconds; thousands in a row would cost seconds); `done()` waits for them all.
 * What a power cut could otherwise lose is on disk before the step that relies on it: a file's
 * content before the journal lets it be renamed into place, a folder's entries before the
 * journal says committed (or before a staging folder becomes the target).
 */
interface Flusher {
  /** Flush this open file's data, then close it. */
  file(fd: number): void;
  /** Flush this folder's entries. */
  dir(path: string): void;
  done(): Promise<void>;
}

function flusher(): Flusher {
  const pending: Promise<void>[] = [];
  let failure: unknown;
  const track = (p: Promise<void>) => pending.push(p.catch((e) => void (failure ??= e)));
  const ok = (e: NodeJS.ErrnoException | null) => e === null || CANNOT_FLUSH.has(e.code ?? "");
  return {
    file(fd) {
      track(new Promise((res, rej) => fdatasyncAsync(fd, (e) => closeAsync(fd, () => (ok(e) ? res() : rej(e))))));
    },
    dir(path) {
      track(
        new Promise((res, rej) =>
          openAsync(path, "r", (e, fd) => {
            if (e) return ok(e) ? res() : rej(e);
            fsyncAsync(fd, (e2) => closeAsync(fd, () => (ok(e2) ? res() : rej(e2))));
          }),
        ),
      );
    },
    async done() {
      const all = pending.splice(0);
      await Promise.all(all);
      if (failure !== undefined) throw failure;
    },
  };
}

function writeJournal(path: string, j: Journal): void {
  const tmp = `${path}.tmp`;
  safe(() => unlinkSync(tmp));
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
  try {
    writeSync(fd, JSON.stringify(j));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  // The rename itself must survive a power cut: flush the folder entry too.
  safe(() => {
    const dfd = openSync(dirname(path), "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  });
}

export interface Recovery {
  /** What was found and done, one sentence for the user. */
  message: string;
}

/**
 * Called by every command before it reads the target (with the repository lock held): finish a
 * commit a killed run left half done, and remove the staging folder a killed create left beside a
 * new target. Returns what was done, or undefined when there was nothing to do.
 */
export function recover(target: string): Recovery | undefined {
  const notes: string[] = [];
  sweepStages(target);
  const path = join(target, JOURNAL);
  let text: string | undefined;
  try {
    // Only ever a regular file this tool wrote: a symlink (to /dev/zero, /dev/stdin, out of the
    // repository), a FIFO or a huge file is refused, never read or waited on.
    text = readRegularFile(path, "the journal", {
      noFollow: true,
      hint: `delete ${JOURNAL} (and \`git rm\` it if it is committed: a journal is only left by an interrupted run, never shared), check the files with \`git status\` / \`git diff\`, then run again`,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof PipelineError) throw e;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw environmentError(e, path) ?? e;
  }
  if (text === undefined) {
    // A journal that never got its first rename: nothing had changed yet.
    safe(() => unlinkSync(`${path}.tmp`));
    return undefined;
  }
  let j: Journal;
  try {
    j = JSON.parse(text) as Journal;
    if (j.version !== 1 || !Array.isArray(j.files) || !Array.isArray(j.dirs)) throw new Error("not a journal");
    for (const f of j.files) for (const p of [f.path, f.tmp, f.bak]) if (p !== undefined) checkRel(p);
    for (const d of j.dirs) checkRel(d);
  } catch {
    throw new PipelineError("validation", `${JOURNAL} (left by an interrupted run) is damaged, so it cannot be finished safely`, {
      where: path,
      hint: `check the files with git status / git diff, restore what is wrong from git, then delete ${JOURNAL}`,
    });
  }
  // A journal is only ever left by a run on this machine. One that git tracks came with the
  // repository (a pull request can add it): acting on it would let its author move files.
  if (tracked(target, JOURNAL))
    throw new PipelineError("validation", `${JOURNAL} is committed to the repository: a journal is only left by an interrupted run, never shared`, {
      where: path,
      hint: `remove it from git (\`git rm --cached ${JOURNAL}\`) and check the other files it names with \`git diff\`; nothing was changed`,
    });
  const why = journalProblem(target, j);
  if (why)
    throw new PipelineError("validation", `${JOURNAL} (left by an interrupted run) names ${why}: refusing to finish it`, {
      where: path,
      hint: `check the files with git status / git diff, restore what is wrong from git, then delete ${JOURNAL}; nothing was changed`,
    });
  if (j.pid !== process.pid && isAlive(j.pid) && j.phase !== "committed") {
    // Only reached without the lock (it is taken first); never undo a live run's work.
    throw new PipelineError("usage", `another create-pipeline run (pid ${j.pid}) is writing to this repository`, {
      where: path,
      hint: "wait for it to finish, then run again",
    });
  }
  const way = j.phase === "committed" ? "forward" : "rollback";
  let kept: string[];
  try {
    kept = finish(target, j, way);
  } catch (e) {
    throw environmentError(e, target) ?? e;
  }
  notes.push(
    way === "forward"
      ? `finished an interrupted run of ${j.started}: its changes were all in place; the leftovers were removed`
      : kept.length === 0
        ? `undid an interrupted run of ${j.started}: every file is back as it was before it`
        : `undid an interrupted run of ${j.started}: every file is back as it was before it, except ${kept.join(", ")}; compare the two and delete the backup when done`,
  );
  return { message: notes.join("; ") };
}

/**
 * What is wrong with a journal's entries, beyond their spelling: each file must be one a run may
 * write (the rule for rendered paths; the engine's state files too, but never the journal or lock),
 * its temp and backup names exactly the ones that run derived from it, and nothing may lead
 * outside the target through a symlinked folder.
 */
function journalProblem(target: string, j: Journal): string | undefined {
  if (!Number.isInteger(j.pid) || j.pid <= 0) return "no run (its process id is not a number)";
  const tag = `.create-pipeline-${j.pid}`;
  const own = (p: string) => {
    const why = unsafePath(p, true) ?? (samePath(p, JOURNAL) || samePath(p, LOCK_FILE) ? "it is the journal or the lock" : undefined);
    return why && `'${p}', a path no run writes (${why})`;
  };
  const cache = new Map<string, boolean>();
  try {
    for (const f of j.files) {
      const bad = own(f.path);
      if (bad) return bad;
      const beside = (ext: string) => relOfPath(join(dirname(f.path), `.${basename(f.path)}${tag}.${ext}`));
      if (f.tmp !== undefined && f.tmp !== beside("tmp")) return `'${f.tmp}' as the temp file of '${f.path}' (a run names it ${beside("tmp")})`;
      if (f.bak !== undefined && f.bak !== beside("bak")) return `'${f.bak}' as the backup of '${f.path}' (a run names it ${beside("bak")})`;
      for (const p of [f.path, f.tmp, f.bak]) if (p !== undefined) assertInside(target, p, cache);
    }
    for (const d of j.dirs) {
      const bad = own(d);
      if (bad) return bad;
      assertInside(target, d, cache, false);
    }
  } catch (e) {
    if (e instanceof PipelineError) return `a path that leads outside the target (${e.message})`;
    throw e;
  }
  return undefined;
}

const relOfPath = (p: string) => p.split("\\").join("/").replace(/^\.\//, "");

/** Journal paths must stay inside the target, like every other recorded path. */
function checkRel(p: string): void {
  if (
    typeof p !== "string" ||
    p === "" ||
    p.startsWith("/") ||
    p.includes("\\") ||
    p.includes("\0") ||
    p.split("/").some((s) => s === ".." || s === "." || s === "")
  )
    throw new Error(`unsafe path ${p}`);
}

/** Remove the staging folders that killed creates of this target left beside it. */
function sweepStages(target: string): void {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.create-pipeline-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(n.slice(prefix.length)) : null;
    if (!m) continue;
    const full = join(parent, n);
    if (activeStages.has(full)) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    safe(() => rmSync(full, { recursive: true, force: true }));
  }
}

/**
 * A target that does not exist yet is built beside it in a staging folder and moved into place
 * with one rename: the same all-or-nothing guarantee, at a fraction of the system calls. A killed
 * run leaves only the staging folder, which the next run for that target removes.
 */
async function commitFresh(
  target: string,
  changes: readonly Change[],
  tag: string,
  interrupted: () => StopSignal | undefined,
  step: (what: string) => void,
): Promise<void> {
  const parent = dirname(target);
  const madeParents: string[] = [];
  for (let d = parent; !existsSync(d); d = dirname(d)) madeParents.unshift(d);
  const stage = join(parent, `.${basename(target)}${tag}.tmp`);
  activeStages.add(stage);
  const flush = flusher();
  try {
    step("create the staging folder");
    for (const d of madeParents) mkdirSync(d);
    mkdirSync(stage);
    const made = new Set<string>([stage]);
    for (const c of changes) {
      const file = join(stage, c.path);
      const dir = dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      step(`write ${c.path}`);
      writeFresh(file, c.content!, flush);
    }
    // The staged files are on disk, and so are the staging folders' entries, before the one
    // rename that makes them the target; then the parent's entry for that rename.
    step("flush the staged files and folders");
    const folders = new Set<string>();
    for (const m of made) for (let d = m; d.startsWith(stage) && !folders.has(d); d = dirname(d)) folders.add(d);
    for (const d of folders) flush.dir(d);
    await flush.done();
    await seeSignals();
    const sig = interrupted();
    if (sig) throw stopped(sig, "nothing was written");
    step("move the staging folder into place");
    try {
      renameSync(stage, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST")
        throw new PipelineError("usage", `'${target}' was created by something else while this run was writing it: nothing was written`, {
          where: target,
          hint: `run \`${toolCommand()} create\` again (into the folder as it is now)`,
        });
      throw e;
    }
    step("flush the parent folder");
    for (const d of new Set([parent, ...madeParents.map(dirname)])) flush.dir(d);
    await flush.done();
  } catch (e) {
    if (e instanceof SimulatedCrash) throw e;
    rmSync(stage, { recursive: true, force: true });
    for (const d of madeParents.reverse()) safe(() => readdirSync(d).length === 0 && rmdirSync(d));
    throw e instanceof PipelineError ? e : (environmentError(e, target) ?? e);
  } finally {
    activeStages.delete(stage);
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
