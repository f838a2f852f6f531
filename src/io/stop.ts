// What a stop signal (SIGINT, SIGTERM, SIGHUP) does outside a commit: run the cleanups registered
// by the work in progress (a half-fetched pack's temp folder, the repository lock), print one line
// and exit with the signal's conventional code. A commit answers the signal itself (it rolls back).
import { STOP_SIGNALS, stoppedMessage, type StopSignal } from "../core/errors.js";

const hooks = new Set<() => void>();

/** Run fn if the run is stopped by a signal before the returned undo is called. */
export function atStop(fn: () => void): () => void {
  hooks.add(fn);
  return () => {
    hooks.delete(fn);
  };
}

/** End the run for a stop signal: cleanups (newest first), one line saying what is left, the exit code. */
export function stopNow(sig: StopSignal, left: string, stderr: (t: string) => void): never {
  for (const fn of [...hooks].reverse()) {
    try {
      fn();
    } catch {
      // A cleanup that fails must not keep the run from stopping.
    }
  }
  stderr(`create-pipeline: ${stoppedMessage(sig, left)}\n`);
  process.exit(STOP_SIGNALS[sig]);
}

/**
 * Let a signal that came while the thread was busy reach its handlers. Signals are read in the
 * event loop's poll phase; code resumed from a poll callback (a finished read) would reach the
 * next check phase without another poll, so one setImmediate is not enough: two always cross one.
 */
export async function seeSignals(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}
