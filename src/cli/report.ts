import { summarize } from "../core/plan.js";
import type { Answers, PlanEntry } from "../core/types.js";
import { ANSWERS_FILE, BASE_FILE, SCHEMA_FILE, STATE_FILE } from "../core/state.js";
import type { AnswerChange, FileJson } from "./envelope.js";
import type { Paint } from "./style.js";
import { wrapText } from "./wrap.js";
import { show, type Origin } from "./wizard.js";

const SYMBOL: Record<PlanEntry["kind"], string> = {
  create: "+",
  update: "~",
  merge: "~",
  delete: "-",
  keep: "=",
  skip: "=",
  conflict: "!",
};

/** How much of a plan to list: `all` includes unchanged files; `verbose` every changed one. */
export interface PlanView {
  all?: boolean;
  verbose?: boolean;
  paint?: Paint;
}

const WIDTH = 80;
const plain: Paint = (_f, t) => t;
const COLOUR: Record<PlanEntry["kind"], Parameters<Paint>[0]> = {
  create: "green",
  update: "yellow",
  merge: "yellow",
  delete: "red",
  keep: "dim",
  skip: "dim",
  conflict: "red",
};

/**
 * The plan as text that fits 80 columns: one line per file (the reason on its own line when it
 * would not fit) and a tally. Collapsed by default: new and unchanged files are only counted,
 * what changes an existing file (and every clash) is listed.
 */
export function formatPlan(plan: readonly PlanEntry[], view: PlanView = {}): string {
  const paint = view.paint ?? plain;
  const listed = (e: PlanEntry) => view.all || (e.kind !== "keep" && (view.verbose || e.kind !== "create"));
  const shown = plan.filter(listed);
  const width = Math.min(40, Math.max(0, ...shown.map((e) => e.path.length)));
  const lines: string[] = [];
  for (const e of shown) {
    const head = `  ${paint(COLOUR[e.kind], SYMBOL[e.kind])} ${e.path.padEnd(width)}`;
    const why = `${e.kind}${e.from ? ` from ${e.from}` : ""}: ${e.reason}`;
    if (4 + width + 2 + why.length <= WIDTH && e.path.length <= width) lines.push(`${head}  ${paint("dim", why)}`);
    else
      lines.push(
        head.trimEnd(),
        ...wrapText(`      ${why}`, WIDTH, 8)
          .split("\n")
          .map((l) => paint("dim", l)),
      );
    for (const b of e.because ?? []) lines.push(wrapText(`      because ${b}`, WIDTH, 8));
  }
  const counts = summarize(plan);
  const tally = Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  const hidden = plan.length - shown.length;
  const more = hidden > 0 && !view.verbose && !view.all ? "; --verbose lists every file" : "";
  return `${lines.join("\n")}${lines.length ? "\n" : ""}  (${tally || "nothing to do"}${more})`;
}

export function planJson(plan: readonly PlanEntry[]): FileJson[] {
  return plan.map((e) => ({
    path: e.path,
    action: e.kind,
    reason: e.reason,
    ...(e.owner ? { owner: e.owner } : {}),
    ...(e.edited ? { edited: true } : {}),
    ...(e.unproven ? { unproven: true } : {}),
    ...(e.from ? { from: e.from } : {}),
    ...(e.because?.length ? { because: e.because } : {}),
  }));
}

/** The answers, one per line, each with where it came from. */
export function formatAnswers(answers: Answers, origins: Record<string, Origin>, paint: Paint = plain): string {
  return Object.entries(answers)
    .map(([k, v]) => `${k}: ${show(v)} ${paint("dim", `(${origins[k] ?? "given"})`)}`)
    .join("\n");
}

/** `port: 8000 → 8001` (an answer that appeared or went away shows "(none)"). */
export function changeLine(c: AnswerChange): string {
  const v = (x: unknown) => (x === undefined ? "(none)" : show(x));
  return `${c.key}: ${v(c.from)} → ${v(c.to)}`;
}

export interface CheckView {
  paint: Paint;
  verbose: boolean;
  strict: boolean;
  /** The option a kept hand edit or deleted file fails with (--strict, --strict-workflows), if any. */
  failsWith?: (e: Pick<PlanEntry, "path">) => string | undefined;
  pack?: { from: string; to: string };
  answerChanges: AnswerChange[];
  /** The changes as said already (several services: `services[<folder>].port: 8000 → 8001`), instead of answerChanges. */
  changeLines?: string[];
  rewriteAnswers: boolean;
  schemaNote?: string;
  plan: readonly PlanEntry[];
  edits: readonly PlanEntry[];
  /** Files whose bytes are not UTF-8 (update cannot merge into them). */
  notUtf8?: readonly PlanEntry[];
  /** State entries for files the tool cannot show it generated (kept by update). */
  notOurs?: readonly PlanEntry[];
  /** The option they fail with (--strict, --strict-workflows), if any. */
  notOursFailWith?: string;
  unresolved?: string;
  /** Generated files with a symlink on the way (the file itself or a folder above it). */
  linked?: { path: string; link: string }[];
  workflowNote: string;
  verdict: string;
}

/** check's report: what moved (answers, pack), the files that would change and why, hand edits. */
export function checkText(v: CheckView): string {
  const lines: string[] = [];
  if (v.pack) lines.push(`The template pack moved: ${v.pack.from} → ${v.pack.to}.`);
  const changed = v.changeLines ?? v.answerChanges.map(changeLine);
  if (changed.length) lines.push(`Answers changed since the files were generated:\n${changed.map((c) => `  ${c}`).join("\n")}`);
  else if (v.rewriteAnswers) lines.push(`${ANSWERS_FILE} has answers that the generated files do not reflect yet.`);
  if (v.schemaNote) lines.push(v.schemaNote);
  if (v.unresolved) lines.push(v.unresolved);
  const changing = v.plan.filter((e) => e.kind !== "keep" && e.kind !== "skip");
  if (changing.length) lines.push(`Files update would change:\n${formatPlan(changing, { verbose: true, paint: v.paint })}`);
  // Without --strict, what fails anyway (--strict-workflows: under .github/) is marked per file.
  const marked = (e: Pick<PlanEntry, "path">) => (v.strict ? "" : v.failsWith?.(e) ? ` (fails with ${v.failsWith(e)})` : "");
  // A hand edit that conflicts with the template's change is not kept as it is: it is listed
  // above, among the files update would change, with its conflict.
  const kept = v.edits.filter((e) => e.kind !== "conflict");
  if (kept.length)
    lines.push(
      `Hand edits update keeps${v.strict ? " (fail with --strict)" : kept.some((e) => marked(e)) ? " (allowed unless marked)" : " (allowed)"}:\n${kept.map((e) => `  * ${e.path}: ${e.reason}${marked(e)}`).join("\n")}`,
    );
  const deleted = v.plan.filter((e) => e.kind === "skip");
  if (deleted.length)
    lines.push(`Deleted by you (stay deleted${v.strict ? "; fail with --strict" : ""}):\n${deleted.map((e) => `  - ${e.path}${marked(e)}`).join("\n")}`);
  if (v.notOurs?.length)
    lines.push(
      `${STATE_FILE} lists files create-pipeline cannot show it generated (update keeps them${v.notOursFailWith ? `; fail with ${v.notOursFailWith}` : ""}):\n${v.notOurs.map((e) => wrapText(`  * ${e.path}: ${e.reason.replace(/^no longer generated; kept: /, "")}`, WIDTH, 4)).join("\n")}`,
    );
  if (v.notUtf8?.length)
    lines.push(
      `Not UTF-8 text (update cannot merge into them until they are converted to UTF-8):\n${v.notUtf8.map((e) => `  * ${e.path} (${e.notUtf8})`).join("\n")}`,
    );
  if (v.linked?.length)
    lines.push(
      `Generated files reached through a symlink (GitHub does not run a workflow through one):\n${v.linked.map((l) => `  * ${l.path}: ${l.link} is a symlink${marked(l)}`).join("\n")}`,
    );
  if (v.workflowNote) lines.push(wrapText(v.workflowNote));
  lines.push(wrapText(v.verdict));
  return `${lines.join("\n")}\n`;
}

export interface UpdateView {
  paint: Paint;
  shown: string;
  pack: string;
  answers: Answers;
  origins: Record<string, Origin>;
  answerChanges: AnswerChange[];
  /** The flag that sets an answer (`--grpc-health / --no-grpc-health`), named beside a defaulted one. */
  flagOf?: (key: string) => string | undefined;
  /** `pipeline@1.0.0 → pipeline@1.1.0` when the pack version moved. */
  packStep?: string;
  plan: readonly PlanEntry[];
  /** Hand edits kept as they are. */
  kept: readonly PlanEntry[];
  /** Files the state lists that update does not delete: nothing shows it generated them. */
  notDeleted?: readonly PlanEntry[];
  unresolved?: string;
}

/**
 * The files the state lists that update keeps instead of deleting, each with why: nothing shows
 * the tool generated them (a state file edited by hand or by a change under review).
 */
export function notDeletedText(entries: readonly PlanEntry[]): string {
  if (entries.length === 0) return "";
  const head = wrapText(
    "Kept, not deleted: the state lists these files as generated, but create-pipeline cannot show it generated them (delete them yourself if you do not need them):",
    WIDTH,
    0,
  );
  const items = entries.map((e) => wrapText(`  * ${e.path}: ${e.reason.replace(/^no longer generated; kept: /, "")}`, WIDTH, 4));
  return `${head}\n${items.join("\n")}\n`;
}

/** update's report: a dry run (answers, whole plan, diffs), the confirmation, the result. */
export function updateText(stage: "dry-run" | "confirm" | "done" | "nothing", v: UpdateView): string {
  // An answer that applies only now (after another changed) and was neither given nor asked took
  // its default (or what detection found): said so, with the flag that sets it.
  const newlyDefaulted = (c: AnswerChange) => {
    const origin = v.origins[c.key];
    if (c.from !== undefined || c.to === undefined || (origin !== "default" && origin !== "detected")) return "";
    const flag = v.flagOf?.(c.key);
    return ` (${origin === "detected" ? "detected" : "DEFAULT"}: it applies now; check it${flag ? `, or set it with ${flag}` : ""})`;
  };
  const why = [...v.answerChanges.map((c) => `  ${changeLine(c)}${newlyDefaulted(c)}`), ...(v.packStep ? [`  template pack ${v.packStep}`] : [])];
  const whyText = why.length ? `What changed:\n${why.join("\n")}\n` : "";
  const kept = `${v.kept.length ? `Your edits, kept as they are:\n${v.kept.map((e) => `  * ${e.path}: ${e.reason}`).join("\n")}\n` : ""}${notDeletedText(v.notDeleted ?? [])}`;
  switch (stage) {
    case "dry-run": {
      const answers = formatAnswers(v.answers, v.origins, v.paint).replace(/^/gm, "  ");
      // The tool's own machine files (state, merge base, answers schema) are listed, not diffed.
      const machine = new Set([STATE_FILE, BASE_FILE, SCHEMA_FILE]);
      const diffs = v.plan.filter((e) => e.kind !== "keep" && e.kind !== "skip" && !machine.has(e.path)).map((e) => unifiedDiff(e.path, e.current, e.content));
      const first = v.unresolved ? `But first: ${v.unresolved}\n` : "";
      return `Dry run, nothing written. Answers:\n${answers}\n${whyText}update would:\n${formatPlan(v.plan, { all: true, paint: v.paint })}\n${kept}${first}${diffs.join("")}`;
    }
    case "confirm":
      return `${whyText}${formatPlan(v.plan, { verbose: true })}`;
    case "done":
      return `Updated ${v.shown} to ${v.pack}:\n${whyText}${formatPlan(v.plan, { verbose: true, paint: v.paint })}\n${kept}`;
    case "nothing":
      return `Nothing to update: ${v.shown} already follows ${v.pack}.\n${kept}`;
  }
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
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
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
