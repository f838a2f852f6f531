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

export class PipelineError extends Error {
  readonly code: ErrorCode;
  /** Where the problem is: a flag, file:line:column, a template. */
  readonly where?: string;
  /** How to fix it, one sentence. */
  readonly hint?: string;
  constructor(code: ErrorCode, message: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "PipelineError";
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
  }
}

export const usageError = (message: string, where?: string, hint?: string) =>
  new PipelineError("usage", message, { where, hint });
export const validationError = (message: string, where?: string, hint?: string) =>
  new PipelineError("validation", message, { where, hint });
export const packError = (message: string, where?: string, hint?: string) =>
  new PipelineError("pack", message, { where, hint });

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
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
