// In-process CLI runs for tests: captured output, a scripted prompter, temp dirs.
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { DefaultResult } from "../../src/core/answers.js";
import { PipelineError } from "../../src/core/errors.js";
import type { Question } from "../../src/core/types.js";
import { run } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import type { ExistingChoice, Prompter } from "../../src/io/prompter.js";

export const REPO = join(import.meta.dirname, "..", "..");
export const PACKS = join(REPO, "test", "fixtures", "packs");

export const tempDir = (prefix = "cp-test-") => mkdtempSync(join(tmpdir(), prefix));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What the scripted prompter was asked, in order. */
  asked: string[];
  notes: string[];
  /** The session's opening line, each time it was shown; the group headers shown. */
  intros: string[];
  sections: string[];
  /** The hint shown in an empty text prompt (a question's help, when it offers no default), by key. */
  placeholders: Record<string, string>;
}

/** Answers for the scripted prompter: by question key, or a function; "default" takes the default. */
export interface Script {
  answers?: Record<string, unknown>;
  confirm?: boolean | ((message: string) => boolean);
  existing?: ExistingChoice[];
  /** Throw a cancellation at this question key (Ctrl-C in a prompt). */
  cancelAt?: string;
  /** Answers to select prompts, in order, by message (e.g. "Write these files?": ["change", "write"]). */
  select?: Record<string, string[]>;
  /** Called as each question is asked, before it is answered (what a user does meanwhile). */
  onAsk?: (key: string) => void;
  /** The extras multiselect, when asked: the keys turned on. */
  extras?: string[];
  /** Answers to other multiselect prompts, by message (e.g. "Which to correct?"). */
  multiselect?: Record<string, string[]>;
}

export function scriptedPrompter(
  script: Script,
  log: { asked: string[]; notes: string[]; intros?: string[]; sections?: string[]; placeholders?: Record<string, string> },
): Prompter {
  const existing = [...(script.existing ?? [])];
  return {
    intro: (t: string) => log.intros?.push(t),
    section: (t: string) => {
      if (t) log.sections?.push(t);
    },
    async ask(q: Question, def: DefaultResult) {
      log.asked.push(q.key);
      script.onAsk?.(q.key);
      // As the terminal prompter: a text prompt without a value to offer shows the help instead.
      if (def === undefined && q.help && log.placeholders) log.placeholders[q.key] = q.help;
      if (script.cancelAt === q.key) throw new PipelineError("cancelled", "cancelled: nothing was written");
      const a = script.answers?.[q.key];
      if (a === undefined || a === "default") {
        if (def === undefined) throw new Error(`scripted prompter: no answer for required question ${q.key}`);
        return def.value;
      }
      return a;
    },
    async confirm(message: string) {
      log.asked.push(`confirm: ${message}`);
      const c = script.confirm ?? true;
      return typeof c === "function" ? c(message) : c;
    },
    async select<T extends string>(message: string, options: { value: T }[], initial?: T): Promise<T> {
      log.asked.push(`select: ${message}`);
      const queue = script.select?.[message];
      const next = queue?.shift() ?? initial ?? options[0]!.value;
      if (script.cancelAt === message) throw new PipelineError("cancelled", "cancelled: nothing was written");
      if (!options.some((o) => o.value === next)) throw new Error(`scripted prompter: '${next}' is not an option of ${message}`);
      return next as T;
    },
    async multiselect(message: string, _options: unknown, initial: string[]) {
      log.asked.push(`multiselect: ${message}`);
      return script.multiselect?.[message] ?? script.extras ?? initial;
    },
    async existing(path: string) {
      log.asked.push(`existing: ${path}`);
      const next = existing.shift();
      if (!next) throw new Error(`scripted prompter: no choice for existing file ${path}`);
      return next;
    },
    note: (text: string, title?: string) => log.notes.push(`${title ?? ""}\n${text}`),
    step: (text: string) => log.notes.push(text),
    spin: async (_m, _d, work) => work(),
    outro: (text: string) => log.notes.push(text),
  };
}

/** Run the CLI in-process. With a script, it behaves as in a terminal; without, as in CI. */
export async function runCli(argv: string[], opts: { cwd?: string; script?: Script; env?: Record<string, string> } = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const log = { asked: [] as string[], notes: [] as string[], intros: [] as string[], sections: [] as string[], placeholders: {} as Record<string, string> };
  const io: CliIo = {
    cwd: opts.cwd ?? REPO,
    // Colour is on only in a terminal; the scripted terminal runs plain unless a test asks for it.
    env: opts.env ?? { NO_COLOR: "1", CREATE_PIPELINE_CONFIG_DIR: process.env.CREATE_PIPELINE_CONFIG_DIR ?? "" },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: opts.script !== undefined,
    prompter: async () => {
      if (!opts.script) throw new Error("the CLI tried to prompt in a non-interactive run");
      return scriptedPrompter(opts.script, log);
    },
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, ...log };
}

/** Every file under dir (relative path → content), for comparing trees. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (name === ".git") continue;
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return out;
}

/**
 * An error report as logical lines: the CLI wraps each part ("create-pipeline: ...", "  at: ...",
 * "  fix: ...") to 80 columns under its own label; continuation lines are joined back with the
 * space they were broken at.
 */
export function unwrapReport(text: string): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const starts = out.length === 0 || /^(\S| {2}(at|fix): )/.test(line) || line === "";
    if (!starts && out[out.length - 1] !== "" && /^ {2,}\S/.test(line)) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
  }
  return out.join("\n");
}
