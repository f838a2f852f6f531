// The interactive create flow, driven by the pack's `wizard` attributes (never by its keys):
//   1. facts (`wizard: facts`, what detection finds) shown together and confirmed in one step;
//   2. the choices that matter (`wizard: main`), asked one by one;
//   3. "use recommended settings for the rest?" — if not, the rest's yes/no questions as one
//      multiselect, then its other questions one by one.
// A question without a usable default is always asked when it becomes active (no placeholder).
// Every step re-resolves all answers, so conditions and derived defaults follow each choice.
import { coerce, resolveAnswers, type Asker, type Given, type Resolved } from "../core/answers.js";
import type { AnswerValue, Answers, Detected, PackManifest, Question } from "../core/types.js";
import { PipelineError } from "../core/errors.js";
import type { Prompter } from "../io/prompter.js";

export type Origin = "given" | "detected" | "default";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A facts pass stops at the first other question that would need asking. */
class Stop extends Error {}

export class Wizard {
  /** What the user set in this session (values that differ from the offered default). */
  readonly chosen: Record<string, AnswerValue> = {};
  /** Asked once already: later passes take the answer or its default without asking again. */
  private readonly asked = new Set<string>();
  /** Shown to the user and accepted or changed (a prompt, the facts step, the extras): not an untouched default. */
  private readonly seen = new Set<string>();
  private detected?: Promise<Detected>;
  /** Prompts shown so far (the flow's length, for the summary and tests). */
  prompts = 0;

  constructor(
    private readonly manifest: PackManifest,
    private readonly given: Readonly<Record<string, Given>>,
    private readonly detect: Detected | (() => Promise<Detected>),
    private readonly prompter: Prompter,
  ) {}

  /** The whole flow, up to (not including) the final confirmation. */
  async run(): Promise<Resolved> {
    // A pack that marks no question for the short flow is asked question by question.
    if (!this.manifest.questions.some((q) => q.wizard)) return this.pass(() => true);
    await this.facts();
    let resolved = await this.pass((q) => q.wizard === "main");
    const rest = this.restQuestions(resolved);
    if (rest.length > 0) {
      this.prompts++;
      const recommended = await this.prompter.confirm("Use recommended settings for the rest?", true);
      if (!recommended) {
        const toggles = rest.filter((q) => q.type === "confirm");
        if (toggles.length > 0) {
          this.prompts++;
          const on = await this.prompter.multiselect(
            "Extras (space toggles, enter accepts)",
            toggles.map((q) => ({ value: q.key, label: q.message })),
            toggles.filter((q) => resolved.answers[q.key] === true).map((q) => q.key),
          );
          for (const q of toggles) {
            this.record(q, on.includes(q.key), resolved.answers[q.key]);
            this.seen.add(q.key);
          }
        }
        resolved = await this.pass((q) => !q.wizard && q.type !== "confirm");
      }
    }
    return resolved;
  }

  /** "Change an answer": pick one, answer it again, then settle what that change opened up. */
  async change(current: Resolved): Promise<Resolved> {
    // Every answer that applies, advanced ones and those given as flags included.
    const candidates = this.manifest.questions.filter((q) => q.key in current.answers);
    this.prompts++;
    const key = await this.prompter.select(
      "Which answer?",
      candidates.map((q) => ({ value: q.key, label: `${q.key}: ${show(current.answers[q.key])}`, hint: q.message })),
      candidates[0]?.key,
    );
    const q = candidates.find((c) => c.key === key)!;
    this.prompts++;
    const raw = await this.prompter.ask(q, { value: current.answers[q.key]!, source: "default" }, current.answers);
    this.chosen[q.key] = coerce(q, raw, "prompt");
    this.asked.add(q.key);
    this.seen.add(q.key);
    return this.pass(() => false);
  }

  /** Ask these questions with nothing offered (what the repository must say and does not: a
   * default would only be a guess), then settle what the answers open up. */
  async settle(keys: readonly string[], current: Resolved): Promise<Resolved> {
    let asked = false;
    for (const key of keys) {
      const q = this.manifest.questions.find((x) => x.key === key);
      if (q === undefined || !(key in current.answers) || this.seen.has(key)) continue;
      await this.askOne(q, undefined, current.answers);
      asked = true;
    }
    return asked ? this.pass(() => false) : current;
  }

  /**
   * Where each answer came from. Flags and answers picked at a prompt are "given" (Enter on an
   * offered default included: the user chose it); a detected value the user confirmed stays
   * "detected"; "default" is only what nobody looked at.
   */
  origins(resolved: Resolved): Record<string, Origin> {
    return Object.fromEntries(
      Object.keys(resolved.answers).map((k) => {
        const s = resolved.sources[k];
        if (s === "detected") return [k, "detected"];
        if (s === "default" && !this.seen.has(k)) return [k, "default"];
        return [k, "given"];
      }),
    );
  }

  /** Step 1: the facts, offered together; "no" asks each of them. */
  private async facts(): Promise<void> {
    const offered: { q: Question; value: AnswerValue; source: Origin }[] = [];
    const asker: Asker = {
      ask: async (q, def, answers) => {
        if (q.wizard !== "facts") {
          if (def === undefined) throw new Stop();
          return def.value;
        }
        if (def === undefined || this.asked.has(q.key)) return this.askOne(q, def, answers);
        offered.push({ q, value: def.value, source: def.source });
        return def.value;
      },
    };
    try {
      await resolveAnswers(this.manifest, { given: this.givenNow(), detected: this.detectOnce, asker, askAdvanced: this.advancedFacts });
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    if (offered.length === 0) return;
    // A fact not found in the repository is a guess: said so, so it is checked before it is confirmed.
    const lines = offered.map((f) => `${f.q.message}: ${show(f.value)}${f.source === "detected" ? " (detected)" : " (not found: a guess)"}`);
    this.prompter.note(lines.join("\n"), "About this service");
    this.prompts++;
    if (await this.prompter.confirm("Are these right?", true)) {
      for (const f of offered) this.seen.add(f.q.key);
      return;
    }
    await this.pass((q) => q.wizard === "facts");
  }

  /** One resolution of every answer; `ask` says which questions this step asks. */
  private pass(ask: (q: Question) => boolean): Promise<Resolved> {
    const asker: Asker = {
      ask: async (q, def, answers) => {
        if (!this.asked.has(q.key) && (ask(q) || def === undefined)) return this.askOne(q, def, answers);
        if (def === undefined) return this.askOne(q, def, answers);
        return def.value;
      },
    };
    // An advanced fact (never asked on its own) is asked when the user says the facts are not right.
    const askAdvanced = new Set([...this.advancedFacts].filter((k) => this.manifest.questions.some((q) => q.key === k && ask(q))));
    return resolveAnswers(this.manifest, { given: this.givenNow(), detected: this.detectOnce, asker, askAdvanced }).then((r) => ({
      ...r,
      // Session choices that a later change made irrelevant are not the user's mistake.
      ignored: r.ignored.filter((k) => k in this.given),
    }));
  }

  private async askOne(q: Question, def: Parameters<Asker["ask"]>[1], answers: Answers): Promise<AnswerValue> {
    // A group's header only over a step that asks several of its questions: a header over a
    // lone question (the owner among the facts, the registry among the main choices) says nothing.
    const peers = this.manifest.questions.filter((p) => p.group === q.group && p.wizard === q.wizard).length;
    this.prompter.section(peers > 1 ? (q.group ?? "") : "");
    this.prompts++;
    const v = coerce(q, await this.prompter.ask(q, def, answers), "prompt", answers);
    this.asked.add(q.key);
    this.seen.add(q.key);
    this.record(q, v, def?.value);
    return v;
  }

  /** Keep a value only when it differs from the default, so derived defaults keep following. */
  private record(q: Question, value: AnswerValue, def: AnswerValue | undefined): void {
    if (def !== undefined && same(value, def)) delete this.chosen[q.key];
    else this.chosen[q.key] = value;
  }

  private restQuestions(resolved: Resolved): Question[] {
    return this.manifest.questions.filter((q) => !q.wizard && !q.advanced && q.key in resolved.answers && !(q.key in this.given) && !this.asked.has(q.key));
  }

  private givenNow(): Record<string, Given> {
    const session = Object.fromEntries(Object.entries(this.chosen).map(([k, v]) => [k, { value: v, where: "prompt" }]));
    return { ...this.given, ...session };
  }

  /** Advanced questions marked as facts: shown with the facts (a guess said so), asked only when they are not right. */
  private get advancedFacts(): ReadonlySet<string> {
    return new Set(this.manifest.questions.filter((q) => q.advanced && q.wizard === "facts").map((q) => q.key));
  }

  private readonly detectOnce = (): Promise<Detected> => {
    const d = this.detect;
    this.detected ??= typeof d === "function" ? d() : Promise.resolve(d);
    return this.detected;
  };
}

export const show = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v === "" ? '""' : String(v));

/**
 * The final confirmation of create (one service and several): write, change an answer, or cancel.
 * Ctrl-C there is the same as Cancel (`interrupted`: the prompt has already said so).
 */
export async function askWrite(prompter: Prompter): Promise<{ choice: "write" | "change" | "cancel"; interrupted: boolean }> {
  let interrupted = false;
  const choice = await prompter
    .select(
      "Write these files?",
      [
        { value: "write", label: "Yes, write them" },
        { value: "change", label: "Change an answer" },
        { value: "cancel", label: "Cancel", hint: "prints the command that repeats these answers" },
      ],
      "write",
    )
    .catch((e: unknown) => {
      if (!(e instanceof PipelineError && e.code === "cancelled")) throw e;
      interrupted = true;
      return "cancel" as const;
    });
  return { choice: choice as "write" | "change" | "cancel", interrupted };
}
