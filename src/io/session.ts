import { existsSync } from "node:fs";
import { commitRunning, recover } from "./commit.js";
import { lockRepo } from "./lock.js";

export interface RepoSession {
  /** What recovery of an interrupted earlier run did, to tell the user. */
  recovered?: string;
  release: () => void;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Start work on a target: take the repository lock (waiting briefly for a running holder), put
 * back whatever an interrupted earlier run left half done, and make SIGINT, SIGTERM and SIGHUP
 * stop the run cleanly (a commit in progress rolls back first; otherwise the lock is released
 * and the run ends as cancelled). A target that does not exist yet only has stale staging
 * folders of killed creates removed.
 */
export async function openRepo(target: string, command: string, stderr: (t: string) => void): Promise<RepoSession> {
  if (!existsSync(target)) {
    recover(target);
    return { release: () => {} };
  }
  const unlock = await lockRepo(target, command);
  const onSignal = (sig: string) => {
    // A commit holds the signal off and rolls back on its own; it then throws "cancelled".
    if (commitRunning()) return;
    unlock();
    stderr(`create-pipeline: cancelled (${sig}): nothing was written\n`);
    process.exit(130);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const release = () => {
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
