import { existsSync } from "node:fs";
import { STOP_SIGNALS, type StopSignal } from "../core/errors.js";
import { commitRunning, committedInThisRun, recover } from "./commit.js";
import { lockRepo } from "./lock.js";
import { stopNow } from "./stop.js";

export interface RepoSession {
  /** What recovery of an interrupted earlier run did, to tell the user. */
  recovered?: string;
  release: () => void;
}

const SIGNALS = Object.keys(STOP_SIGNALS) as StopSignal[];

/** Open sessions: while one is, it answers the stop signals (and releases its lock). */
let open = 0;

/**
 * What a run stopped outside a commit has left: nothing, or (a signal after the last commit
 * finished) every change in place. A commit in progress answers the signal itself: it rolls back.
 */
const leftNote = () => (committedInThisRun() ? "the changes were already all written" : "nothing was written");

/**
 * Start work on a target: take the repository lock (waiting briefly for a running holder), put
 * back whatever an interrupted earlier run left half done, and make SIGINT, SIGTERM and SIGHUP
 * stop the run cleanly (a commit in progress rolls back first; otherwise the lock is released
 * and the run ends with one line and the signal's exit code, 128 + its number). A target that
 * does not exist yet only has stale staging folders of killed creates removed.
 */
export async function openRepo(target: string, command: string, stderr: (t: string) => void): Promise<RepoSession> {
  if (!existsSync(target)) {
    recover(target);
    return { release: () => {} };
  }
  const unlock = await lockRepo(target, command);
  const onSignal = (sig: StopSignal) => {
    // A commit holds the signal off and rolls back on its own; it then throws "cancelled".
    if (commitRunning()) return;
    unlock();
    stopNow(sig, leftNote(), stderr);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  open++;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    open--;
    for (const s of SIGNALS) process.off(s, onSignal);
    unlock();
  };
  try {
    const r = recover(target);
    return { recovered: r?.message, release };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * For the whole process: a stop signal outside any repository session (loading a pack, rendering
 * a new target's files, before the lock is taken) ends the run with the same one line and exit
 * code instead of the bare signal death. A signal that comes while a template holds the thread
 * is seen when the template returns or reaches its time limit. Returns the undo.
 */
export function stopOutsideSessions(stderr: (t: string) => void): () => void {
  const onSignal = (sig: StopSignal) => {
    if (open > 0 || commitRunning()) return;
    stopNow(sig, leftNote(), stderr);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
}
