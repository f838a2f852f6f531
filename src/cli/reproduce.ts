// The one command that repeats a set of answers: printed when an interactive create is cancelled,
// so nothing the user typed is lost.
import { coerce, flagName, type Given } from "../core/answers.js";
import type { AnswerValue, PackManifest } from "../core/types.js";
import { toolCommand } from "../product.js";
import { takenFlag } from "./options.js";

const SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;
export const shellQuote = (s: string) => (SAFE.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export interface ReproduceInput {
  target: string;
  template?: string;
  trust?: boolean;
  /** Answers from flags, --set and --config. */
  given: Readonly<Record<string, Given>>;
  /** Answers chosen in this session. */
  chosen: Readonly<Record<string, AnswerValue>>;
  /** Every answer is settled: --yes takes the defaults of the rest without asking. */
  final: boolean;
}

/** `npx <package>@<version> create <dir> --flag value ...`, broken with `\` to fit 80 columns. */
export function reproduceCommand(manifest: PackManifest, input: ReproduceInput): string {
  const parts: string[] = [`${toolCommand()} create ${shellQuote(input.target)}`];
  if (input.template !== undefined) parts.push(`--template ${shellQuote(input.template)}`);
  if (input.trust) parts.push("--trust");
  const values: Record<string, AnswerValue> = {};
  for (const q of manifest.questions) {
    const g = input.given[q.key];
    if (g !== undefined) {
      try {
        values[q.key] = coerce(q, g.value, g.where);
      } catch {
        continue;
      }
    }
    if (q.key in input.chosen) values[q.key] = input.chosen[q.key]!;
  }
  parts.push(...answerArgs(manifest, values));
  if (input.final) parts.push("--yes");
  const lines: string[] = [];
  let line = "";
  for (const p of parts) {
    if (line && line.length + 1 + p.length > 76) {
      lines.push(`${line} \\`);
      line = `  ${p}`;
    } else line = line ? `${line} ${p}` : p;
  }
  lines.push(line);
  return lines.join("\n");
}

/** The flags that give these answers, in the pack's order, shell-quoted. A question whose flag is
 * taken by a command option (a pack asking "to" or "force") is answered with --set, as the parser
 * and the help say. */
export function answerArgs(manifest: PackManifest, values: Readonly<Record<string, AnswerValue>>): string[] {
  const parts: string[] = [];
  for (const q of manifest.questions) {
    if (!(q.key in values)) continue;
    const v = values[q.key]!;
    const f = flagName(q);
    const text = Array.isArray(v) ? v.join(",") : String(v);
    if (takenFlag(f) || (q.type === "confirm" && takenFlag(`no-${f}`))) parts.push(`--set ${shellQuote(`${q.key}=${text}`)}`);
    else if (q.type === "confirm") parts.push(v ? `--${f}` : `--no-${f}`);
    else parts.push(`--${f} ${shellQuote(text)}`);
  }
  return parts;
}
