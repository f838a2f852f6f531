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
  return plan.map((e) => ({ path: e.path, action: e.kind, reason: e.reason, owner: e.owner, ...(e.from ? { from: e.from } : {}) }));
}

/** A small unified diff for --dry-run and the interactive "show diff". */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, context = 3): string {
  const a = before === undefined ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === undefined ? [] : after.replace(/\n$/, "").split("\n");
  // LCS table is fine for generated files (hundreds of lines).
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const ops: { t: " " | "-" | "+"; s: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: " ", s: a[i++]!, ai: i, bi: ++j });
    else if (j < m && (i >= n || dp[i]![j + 1]! >= dp[i + 1]![j]!)) ops.push({ t: "+", s: b[j++]!, ai: i, bi: j });
    else ops.push({ t: "-", s: a[i++]!, ai: i, bi: j });
  }
  const changed = ops.map((o, k) => (o.t !== " " ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return "";
  const out = [`--- ${before === undefined ? "/dev/null" : `a/${path}`}`, `+++ ${after === undefined ? "/dev/null" : `b/${path}`}`];
  let k = 0;
  while (k < changed.length) {
    let start = Math.max(0, changed[k]! - context);
    let end = Math.min(ops.length - 1, changed[k]! + context);
    while (k + 1 < changed.length && changed[k + 1]! - context <= end + 1) end = Math.min(ops.length - 1, changed[++k]! + context);
    k++;
    const hunk = ops.slice(start, end + 1);
    const aStart = hunk.find((o) => o.t !== "+")?.ai ?? 0;
    const bStart = hunk.find((o) => o.t !== "-")?.bi ?? 0;
    const aLen = hunk.filter((o) => o.t !== "+").length;
    const bLen = hunk.filter((o) => o.t !== "-").length;
    out.push(`@@ -${aLen ? aStart : aStart}${aLen === 1 ? "" : `,${aLen}`} +${bLen ? bStart : bStart}${bLen === 1 ? "" : `,${bLen}`} @@`);
    for (const o of hunk) out.push(`${o.t}${o.s}`);
    start = end;
  }
  return `${out.join("\n")}\n`;
}
