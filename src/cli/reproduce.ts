// The one command that repeats a set of answers: printed when an interactive create is cancelled,
// so nothing the user typed is lost.
import { coerce, flagName, type Given } from "../core/answers.js";
import type { AnswerValue, PackManifest } from "../core/types.js";
import { yamlScalar } from "../core/state.js";
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
  parts.push(...answerArgs(manifest, settled(manifest, input.given, input.chosen)));
  if (input.final) parts.push("--yes");
  return fold(parts);
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

/** A session in a repository of several services: which services, and what was answered for each. */
export interface ServicesReproduceInput {
  target: string;
  template?: string;
  trust?: boolean;
  /** The --config file of the run, when it listed the services (its answers stay in it). */
  config?: string;
  /** The services chosen (at the prompt or with --services); undefined: none chosen yet. */
  services?: readonly string[];
  /** Shared answers from flags and --set (and, with a services --config, that file's top). */
  given: Readonly<Record<string, Given>>;
  /** Shared answers chosen in this session. */
  chosen: Readonly<Record<string, AnswerValue>>;
  /** Each service's answers: from the --config file, then chosen in this session (path → key → value). */
  perService: ReadonlyMap<string, Readonly<Record<string, AnswerValue>>>;
  /** Answers chosen in this session for one service only (they need an answers file: flags set every service). */
  serviceChosen: boolean;
  final: boolean;
}

/** Where the printed commands save the answers of a cancelled session of several services. */
export const SAVED_ANSWERS = '"${TMPDIR:-/tmp}/create-pipeline-answers.yaml"';

/**
 * The command that repeats a cancelled session in a repository of several services. Shared
 * answers are flags, as for one service; an answer given to one service only cannot be a flag
 * (a flag sets every service), so then the lines printed first save every answer to an answers
 * file (a shell here-document: nothing is written until they are run) and create reads it.
 */
export function reproduceServicesCommand(manifest: PackManifest, input: ServicesReproduceInput): string {
  const head = [`${toolCommand()} create ${shellQuote(input.target)}`];
  if (input.template !== undefined) head.push(`--template ${shellQuote(input.template)}`);
  if (input.trust) head.push("--trust");
  const shared = settled(manifest, input.given, input.chosen);
  if (!input.serviceChosen) {
    const parts = [...head];
    if (input.config !== undefined) parts.push(`--config ${shellQuote(input.config)}`);
    else if (input.services !== undefined) parts.push(`--services ${shellQuote(input.services.join(","))}`);
    parts.push(...answerArgs(manifest, shared));
    if (input.final) parts.push("--yes");
    return fold(parts);
  }
  const item = (k: string, v: AnswerValue, indent: string) =>
    Array.isArray(v)
      ? `${indent}${k}:${v.length ? "" : " []"}\n${v.map((i) => `${indent}  - ${yamlScalar(i)}`).join("\n")}`.trimEnd()
      : `${indent}${k}: ${yamlScalar(v)}`;
  const lines = ["# create-pipeline answers: shared at the top, each service's own under services."];
  for (const q of manifest.questions) if (q.key in shared) lines.push(item(q.key, shared[q.key]!, ""));
  lines.push("services:");
  for (const path of input.services ?? []) {
    lines.push(`  - path: ${yamlScalar(path)}`);
    const own = input.perService.get(path) ?? {};
    for (const q of manifest.questions) if (q.key in own) lines.push(item(q.key, own[q.key]!, "    "));
  }
  const command = fold([...head, `--config ${SAVED_ANSWERS}`, ...(input.final ? ["--yes"] : [])]);
  return `cat > ${SAVED_ANSWERS} <<'EOF'\n${lines.join("\n")}\nEOF\n${command}`;
}

/** Given answers (coerced; one that does not hold is left out) with the session's choices over them. */
function settled(manifest: PackManifest, given: Readonly<Record<string, Given>>, chosen: Readonly<Record<string, AnswerValue>>): Record<string, AnswerValue> {
  const values: Record<string, AnswerValue> = {};
  for (const q of manifest.questions) {
    const g = given[q.key];
    if (g !== undefined) {
      try {
        values[q.key] = coerce(q, g.value, g.where);
      } catch {
        // not valid: it was refused when given
      }
    }
    if (q.key in chosen) values[q.key] = chosen[q.key]!;
  }
  return values;
}

/** Parts joined into lines broken with `\` to fit 80 columns. */
function fold(parts: readonly string[]): string {
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
