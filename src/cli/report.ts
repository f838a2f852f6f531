import type { PlanEntry } from "../core/types.js";
import { summarize } from "../core/plan.js";

const SYMBOL: Record<PlanEntry["kind"], string> = {
  create: "+",
  update: "~",
  merge: "~",
  delete: "-",
  keep: "=",
  skip: "=",
  conflict: "!",
};

/** One line per file: what happens and why. */
export function formatPlan(plan: readonly PlanEntry[], opts: { all?: boolean } = {}): string {
  const shown = opts.all ? plan : plan.filter((e) => e.kind !== "keep");
  const width = Math.max(0, ...shown.map((e) => e.path.length));
  const lines = shown.map((e) => `  ${SYMBOL[e.kind]} ${e.path.padEnd(width)}  ${e.kind}${e.from ? ` from ${e.from}` : ""}: ${e.reason}`);
  const counts = summarize(plan);
  const tally = Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  return `${lines.join("\n")}${lines.length ? "\n" : ""}  (${tally || "nothing to do"})`;
}

export function planJson(plan: readonly PlanEntry[]) {
  return plan.map((e) => ({ path: e.path, action: e.kind, reason: e.reason, owner: e.owner, ...(e.edited ? { edited: true } : {}), ...(e.from ? { from: e.from } : {}) }));
}

/** Lines with their terminator kept, so a missing final newline is a difference too (as in diff -u). */
function lines(text: string | undefined): string[] {
  if (text === undefined || text === "") return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A small unified diff (the format of `diff -u`) for --dry-run and the interactive "show diff". */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, context = 3): string {
  const a = lines(before);
  const b = lines(after);
  // LCS table is fine for generated files (hundreds of lines).
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  // ai/bi: how many lines of a/b come before this one (so +1 is its line number).
  const ops: { t: " " | "-" | "+"; s: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: " ", s: a[i++]!, ai: i - 1, bi: j++ });
    // Removed lines come before added ones, as diff -u prints them.
    else if (i < n && (j >= m || dp[i + 1]![j]! >= dp[i]![j + 1]!)) ops.push({ t: "-", s: a[i++]!, ai: i - 1, bi: j });
    else ops.push({ t: "+", s: b[j++]!, ai: i, bi: j - 1 });
  }
  const changed = ops.map((o, k) => (o.t !== " " ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return "";
  const out = [`--- ${before === undefined ? "/dev/null" : `a/${path}`}`, `+++ ${after === undefined ? "/dev/null" : `b/${path}`}`];
  // An empty range is written as the line before it, with length 0 (diff -u: "-0,0", "+4,0").
  const range = (start: number, len: number) => (len === 1 ? `${start + 1}` : `${len === 0 ? start : start + 1},${len}`);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = Math.min(ops.length - 1, changed[k]! + context);
    while (k + 1 < changed.length && changed[k + 1]! - context <= end + 1) end = Math.min(ops.length - 1, changed[++k]! + context);
    k++;
    const hunk = ops.slice(start, end + 1);
    const aLen = hunk.filter((o) => o.t !== "+").length;
    const bLen = hunk.filter((o) => o.t !== "-").length;
    out.push(`@@ -${range(hunk[0]!.ai, aLen)} +${range(hunk[0]!.bi, bLen)} @@`);
    for (const o of hunk) out.push(o.s.endsWith("\n") ? `${o.t}${o.s.slice(0, -1)}` : `${o.t}${o.s}\n\\ No newline at end of file`);
  }
  return `${out.join("\n")}\n`;
}
