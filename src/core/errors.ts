// Typed errors: the core throws them, the CLI edge turns them into one message and an exit code.

export type ErrorCode = "usage" | "validation" | "pack" | "conflict" | "cancelled" | "internal" | "drift";

export const exitCodes: Record<ErrorCode, number> = {
  internal: 1,
  usage: 2,
  validation: 2,
  pack: 2,
  drift: 3,
  conflict: 4,
  cancelled: 130,
};

export interface ErrorContext {
  target?: string;
  pack?: { name: string; version: string; source?: string; from?: string };
  /** The answers known when it failed: given (flags, --set, --config, the answers file). */
  answers?: Record<string, { value: unknown; where: string }>;
}

/** Attach what was known to an error on its way out (the first context attached stays). */
export function withContext(e: unknown, context: ErrorContext): unknown {
  if (e instanceof PipelineError && e.context === undefined) e.context = context;
  return e;
}

export class PipelineError extends Error {
  readonly code: ErrorCode;
  /** Where the problem is: a flag, file:line:column, a template. */
  readonly where?: string;
  /** How to fix it, one sentence. */
  readonly hint?: string;
  /** What the command had settled when it failed (the pack, the answers given), for --json. */
  context?: ErrorContext;
  /** The signal that stopped the run (SIGTERM, SIGHUP, SIGINT): the exit code is 128 + its number. */
  readonly signal?: StopSignal;
  /** Already told to the user where it happened (an interrupted prompt says "Cancelled"): not repeated. */
  shown?: boolean;
  constructor(code: ErrorCode, message: string, opts: { where?: string; hint?: string; cause?: unknown; signal?: StopSignal } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "PipelineError";
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
    this.signal = opts.signal;
  }
}

/** The signals that stop a run cleanly, and the conventional exit code of each (128 + its number). */
export const STOP_SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** The exit code of an error: a run stopped by a signal exits as a program ended by it would. */
export const exitCodeOf = (e: PipelineError) => (e.code === "cancelled" && e.signal ? STOP_SIGNALS[e.signal] : exitCodes[e.code]);

/** The one line a stopped run prints: what stopped it, what it left, how to go on. */
export const stoppedMessage = (signal: StopSignal, left: string) => `stopped by ${signal}: ${left}; run the same command again to finish the job`;

export const usageError = (message: string, where?: string, hint?: string) => new PipelineError("usage", message, { where, hint });
export const validationError = (message: string, where?: string, hint?: string) => new PipelineError("validation", message, { where, hint });
export const packError = (message: string, where?: string, hint?: string) => new PipelineError("pack", message, { where, hint });

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of two neighbouring
  // letters each cost one ("chekc" is one edit from "check", as a person sees it).
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function didYouMean(input: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(input.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  if (best !== undefined && bestD <= limit) return best;
  // A longer or shorter spelling of an option ("golang" for "go", "env" for "environments").
  const lower = input.toLowerCase();
  const prefixed = options.filter((o) => {
    const l = o.toLowerCase();
    return Math.min(l.length, lower.length) >= 2 && (lower.startsWith(l) || l.startsWith(lower));
  });
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** What the system refused, in words a user can act on. */
const ENV_ERRORS: Record<string, [string, string]> = {
  EACCES: ["permission denied", "check the owner and permissions of that path (or run as its owner)"],
  EPERM: ["operation not permitted", "check the owner and permissions of that path"],
  ENOSPC: ["no space left on the device", "free some space, then run again"],
  EDQUOT: ["disk quota exceeded", "free some space, then run again"],
  EROFS: ["the file system is read-only", "run it on a writable copy of the repository"],
  ENAMETOOLONG: ["a file name is too long for the file system", "shorten the answer that names the file"],
  ELOOP: ["too many symbolic links (a link loop)", "remove the symlink loop"],
  EMFILE: ["too many open files", "raise the open-file limit (ulimit -n) and run again"],
  EIO: ["an input/output error from the disk", "check the disk, then run again"],
  EBUSY: ["a file is busy (in use by another program)", "close the program using it, then run again"],
  EXDEV: ["a file would move across file systems", "keep the repository on one file system"],
};

/**
 * A system error from reading or writing the user's files (no space, no permission, ...) as a
 * usage error (exit 2) that names the path and the fix; undefined for anything else.
 */
export function environmentError(e: unknown, fallbackWhere?: string): PipelineError | undefined {
  if (e instanceof PipelineError) return e;
  const err = e as NodeJS.ErrnoException | undefined;
  const known = err?.code ? ENV_ERRORS[err.code] : undefined;
  if (!known) return undefined;
  const where = err?.path ?? fallbackWhere;
  return new PipelineError("usage", `cannot ${err?.syscall ? `${err.syscall} ` : "use "}${where ?? "a file"}: ${known[0]} (${err!.code})`, {
    where,
    hint: known[1],
    cause: e,
  });
}
