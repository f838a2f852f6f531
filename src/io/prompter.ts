import { styleText } from "node:util";
import { coerce, fillAnswers, type DefaultResult } from "../core/answers.js";
import { PipelineError } from "../core/errors.js";
import type { Answers, Question } from "../core/types.js";

export type ExistingChoice = "overwrite" | "skip" | "diff" | "abort";
export interface Option<T extends string = string> {
  value: T;
  label: string;
  hint?: string;
}

/** Everything interactive goes through this, so tests can script it and CI never reaches it. */
export interface Prompter {
  intro(title: string): void;
  section(title: string): void;
  ask(q: Question, def: DefaultResult, answers: Answers): Promise<unknown>;
  confirm(message: string, initial: boolean): Promise<boolean>;
  select<T extends string>(message: string, options: Option<T>[], initial?: T): Promise<T>;
  /** Pick any number (zero included) of the options. */
  multiselect(message: string, options: Option[], initial: string[]): Promise<string[]>;
  existing(path: string): Promise<ExistingChoice>;
  note(text: string, title?: string): void;
  step(text: string): void;
  spin<T>(message: string, done: string, work: () => Promise<T>): Promise<T>;
  outro(text: string): void;
}

/** Ctrl-C at a prompt: the prompt has said so on the terminal, so the error is not printed again. */
const cancelled = () => Object.assign(new PipelineError("cancelled", "cancelled: nothing was written"), { shown: true });

/** The real prompter: @clack/prompts, loaded only when a run in a terminal needs it. */
export async function clackPrompter(): Promise<Prompter> {
  const p = await import("@clack/prompts");
  const check = <T>(v: T | symbol): T => {
    if (p.isCancel(v)) {
      p.cancel("Cancelled: nothing was written.");
      throw cancelled();
    }
    return v as T;
  };
  let lastSection = "";
  return {
    intro: (t) => p.intro(t),
    section(title) {
      if (title && title !== lastSection) p.log.step(title);
      lastSection = title;
    },
    async ask(q, def, answers) {
      const detected = def?.source === "detected" ? " (detected)" : "";
      const message = `${q.message}${detected}`;
      const options = () =>
        (q.choices ?? []).map((c) => ({ value: c.value, label: c.label ?? c.value, hint: c.hint === undefined ? undefined : fillAnswers(c.hint, answers) }));
      switch (q.type) {
        case "confirm":
          return check(await p.confirm({ message, initialValue: def?.value === undefined ? true : Boolean(def.value) }));
        case "select":
          return check(
            await p.select({
              message,
              options: options(),
              initialValue: def?.value as string | undefined,
            }),
          );
        case "multiselect":
          return check(
            await p.multiselect({
              message,
              options: options(),
              initialValues: (def?.value as string[] | undefined) ?? [],
              required: true,
            }),
          );
        default: {
          const initial = def?.value === undefined ? undefined : String(def.value);
          // clack leaves a text prompt's message and placeholder unwrapped: wrapped here under
          // its gutter, so a long question or hint does not spill into the margin.
          const width = Math.max(40, process.stdout.columns || 80) - 3;
          const v = check(
            await p.text({
              message: underGutter(message, width, p.S_BAR),
              initialValue: initial,
              placeholder: initial === undefined && q.help ? underGutter(q.help, width, p.S_BAR) : undefined,
              validate: (raw) => {
                try {
                  coerce(q, raw ?? "", "prompt");
                  return undefined;
                } catch (e) {
                  const err = e as PipelineError;
                  return `${err.message.replace(`${q.key}: `, "")}${err.hint ? ` — ${err.hint}` : ""}`;
                }
              },
            }),
          );
          return v;
        }
      }
    },
    async confirm(message, initial) {
      return check<boolean>(await p.confirm({ message, initialValue: initial }));
    },
    async select(message, options, initial) {
      return check(await p.select({ message, options: options as never, initialValue: initial })) as (typeof options)[number]["value"];
    },
    async multiselect(message, options, initial) {
      return check<string[]>(await p.multiselect({ message, options, initialValues: initial, required: false }));
    },
    async existing(path) {
      return check<ExistingChoice>(
        await p.select<ExistingChoice>({
          message: `${path} already exists with other content`,
          options: [
            { value: "overwrite", label: "Overwrite it" },
            { value: "skip", label: "Keep mine", hint: "update will merge later" },
            { value: "diff", label: "Show the difference" },
            { value: "abort", label: "Abort", hint: "nothing is written" },
          ],
          initialValue: "skip",
        }),
      );
    },
    note: (text, title) => p.note(text, title),
    step: (text) => p.log.info(text),
    async spin(message, done, work) {
      const s = p.spinner();
      s.start(message);
      try {
        const r = await work();
        s.stop(done);
        return r;
      } catch (e) {
        s.stop("Failed");
        throw e;
      }
    },
    outro: (t) => p.outro(t),
  };
}

/**
 * The prompter with its opening line shown on first use: a run that stops on a bad option or
 * answer before anything is asked prints only the error, not a session header above it.
 */
export function introOnFirstUse(p: Prompter, title: string): Prompter {
  let opened = false;
  const open = () => {
    if (!opened) p.intro(title);
    opened = true;
  };
  const wrapped = {} as Record<string, unknown>;
  for (const k of Object.keys(p) as (keyof Prompter)[]) {
    const f = p[k] as (...a: unknown[]) => unknown;
    wrapped[k] = (...a: unknown[]) => {
      if (k === "intro") {
        opened = true;
        return f(...a);
      }
      open();
      return f(...a);
    };
  }
  return wrapped as unknown as Prompter;
}

/** Lines of at most `width` after the first, each continued under the prompt's gutter bar. */
export function underGutter(text: string, width: number, bar: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${styleText("gray", bar)}  `);
}
