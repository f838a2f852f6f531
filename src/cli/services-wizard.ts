// The interactive create flow for a repository of several services, to the standard of the
// one-service flow (wizard.ts):
//   1. the facts of every service detected (path, name, language, port, health path, where the
//      start command comes from; all included) and the shared ones (repository name, owner,
//      default branch) shown as one table and confirmed in one step; "no" asks what to change:
//      which services to include (only then, and only for detected ones, not --services or
//      --config), and which facts to correct (shared, or some services'), then only those;
//   2. the shared choices that matter (`wizard: main`), asked one by one;
//   3. "use recommended settings for the rest?" — if not, the rest's shared yes/no questions as
//      one multiselect, then its other shared questions one by one;
//   4. at the final confirmation, "change an answer" picks one (shared, or one service's fact).
// A question without a usable default is always asked when it becomes active (no placeholder),
// and so is a start command the service's folder does not say. Every step re-resolves the whole
// repository (detection is cached), so conditions and derived defaults follow each choice.
import { usageError } from "../core/errors.js";
import { coerce, type Asker, type DefaultResult, type Given } from "../core/answers.js";
import type { ResolvedRepository, ServicesModel } from "../core/services.js";
import type { AnswerValue, Answers, PackManifest, Question } from "../core/types.js";
import type { Prompter } from "../io/prompter.js";
import type { AnswerOrigin, DetectionSaid } from "./origins.js";
import { formatAnswers } from "./report.js";
import { show } from "./wizard.js";
import { wrapText } from "./wrap.js";

/** What a session has answered: shared answers and each service's own, only where they differ from what was offered. */
export interface ServicesChoices {
  /** The services kept at "which services to include", when asked. */
  services?: string[];
  chosen: Record<string, AnswerValue>;
  perService: Map<string, Record<string, AnswerValue>>;
}

export interface ServicesWizardOptions {
  manifest: PackManifest;
  /** The services and the answers given for them (flags, --set, a --config file). */
  model: ServicesModel;
  prompter: Prompter;
  choices: ServicesChoices;
  /** The services detected, offered for leaving some out (the model holds them all); none when named by --services or --config. */
  selectable?: { path: string; hint?: string }[];
  /** The pack's per-service keys. */
  serviceKeys: ReadonlySet<string>;
  /** Resolve the whole repository with these askers (the caller's detectors, cached per run). */
  resolve: (model: ServicesModel, askTop: Asker, askService: (path: string) => Asker) => Promise<ResolvedRepository>;
  /** Where each detected fact of a service's folder came from, and why something found was not taken. */
  said: (path: string) => DetectionSaid;
  /** What detection looked for in a service's folder and did not find (a start command). */
  unresolved: (path: string) => Record<string, string>;
}

/** Shown and confirmed with the facts, shared by every service. */
const SHARED_FACTS = ["name", "owner", "defaultBranch", "repoUrl"];
/** Each service's facts in the table (and, when corrected, asked in this order). */
const SERVICE_FACTS = ["name", "language", "buildTool", "languageVersion", "startCommand", "port", "healthPath"];
const SHARED = "(shared)";
/** At "which to correct?": which services to include. */
const INCLUDE = "(services)";
/** What fits on a line of a note in an 80-column terminal (its frame takes 6). */
const NOTE_WIDTH = 74;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

export class ServicesWizard {
  private readonly askedTop = new Set<string>();
  private readonly seenTop = new Set<string>();
  private readonly askedIn = new Map<string, Set<string>>();
  private readonly seenIn = new Map<string, Set<string>>();

  constructor(private readonly o: ServicesWizardOptions) {}

  /** The whole flow, up to (not including) the final confirmation. */
  async run(): Promise<ResolvedRepository> {
    let repo = await this.pass(
      () => false,
      () => false,
    );
    repo = await this.facts(repo);
    repo = await this.pass(
      (q) => q.wizard === "main",
      () => false,
    );
    const rest = this.restQuestions(repo);
    if (rest.length > 0) {
      if (!(await this.o.prompter.confirm("Use recommended settings for the rest?", true))) {
        const toggles = rest.filter((q) => q.type === "confirm");
        if (toggles.length > 0) {
          const on = await this.o.prompter.multiselect(
            "Extras (space toggles, enter accepts)",
            toggles.map((q) => ({ value: q.key, label: q.message })),
            toggles.filter((q) => repo.top[q.key] === true).map((q) => q.key),
          );
          for (const q of toggles) {
            this.record(this.o.choices.chosen, q, on.includes(q.key), repo.top[q.key]);
            this.seenTop.add(q.key);
          }
        }
        // (Also what the extras open up: a Slack channel once Slack is on.)
        repo = await this.pass(
          (q) => !q.wizard && q.type !== "confirm" && !SHARED_FACTS.includes(q.key),
          () => false,
        );
      }
    }
    return repo;
  }

  /** "Change an answer": a shared one or one service's fact, answered again; then what it opens up. */
  async change(current: ResolvedRepository): Promise<ResolvedRepository> {
    const shared = this.o.manifest.questions.filter((q) => q.key in current.top && this.isShared(q.key));
    const options = shared.map((q) => ({ value: `${SHARED}\t${q.key}`, label: `${q.key}: ${show(current.top[q.key])}`, hint: q.message }));
    for (const s of current.services)
      for (const key of SERVICE_FACTS.filter((k) => k in s.answers))
        options.push({ value: `${s.path}\t${key}`, label: `${s.path} ${key}: ${show(s.answers[key])}`, hint: this.question(key)!.message });
    const picked = await this.o.prompter.select("Which answer?", options, options[0]?.value);
    const [where, key] = picked.split("\t") as [string, string];
    const q = this.question(key)!;
    const s = current.services.find((x) => x.path === where);
    const answers = s ? s.answers : current.top;
    const v = coerce(q, await this.o.prompter.ask(q, { value: answers[key]!, source: "default" }, answers), "prompt", answers);
    if (s) {
      this.ownChoices(s.path)[key] = v;
      this.set(this.askedIn, s.path).add(key);
      this.set(this.seenIn, s.path).add(key);
    } else {
      this.o.choices.chosen[key] = v;
      this.askedTop.add(key);
      this.seenTop.add(key);
    }
    return this.pass(
      () => false,
      () => false,
    );
  }

  /**
   * Where each answer came from. Answered at a prompt (Enter on the offered value included) is
   * "given"; a detected value the user confirmed stays "detected"; "default" is only what nobody
   * was shown. A service's answer inherited from the shared ones has the shared answer's origin.
   */
  origins(repo: ResolvedRepository): { top: Record<string, AnswerOrigin>; services: Map<string, Record<string, AnswerOrigin>> } {
    const top: Record<string, AnswerOrigin> = {};
    for (const k of Object.keys(repo.top)) top[k] = this.origin(repo.topSources?.[k], this.seenTop.has(k));
    const services = new Map<string, Record<string, AnswerOrigin>>();
    for (const s of repo.services) {
      const entry = this.o.model.services.find((e) => e.path === s.path);
      const own = (k: string) => entry?.given[k] !== undefined || k in (this.o.choices.perService.get(s.path) ?? {});
      const seen = this.seenIn.get(s.path);
      services.set(
        s.path,
        Object.fromEntries(
          Object.entries(s.sources).map(([k, src]) => [
            k,
            src === "given" && !own(k) && k in top && !(k in this.o.model.top) && !(k in this.o.choices.chosen)
              ? top[k]!
              : this.origin(src, seen?.has(k) === true),
          ]),
        ),
      );
    }
    return { top, services };
  }

  /** The answers as the final confirmation shows them: shared ones, then each service's, each with its origin. */
  summary(repo: ResolvedRepository): { shared: string; services: string } {
    const { top, services } = this.origins(repo);
    const shared = Object.fromEntries(Object.entries(repo.top).filter(([k]) => this.isShared(k)));
    return {
      shared: formatAnswers(shared, top),
      services: repo.services
        .map((s) => {
          const own = Object.fromEntries(Object.entries(s.answers).filter(([k]) => k !== "name" && this.o.serviceKeys.has(k)));
          return `${s.path} (${show(s.answers.name)}):\n${indent(formatAnswers(own, services.get(s.path) ?? {}))}`;
        })
        .join("\n"),
    };
  }

  /** Step 1: every service's facts and the shared ones, in one table, confirmed once. */
  private async facts(repo: ResolvedRepository): Promise<ResolvedRepository> {
    const { top } = this.origins(repo);
    const mark = (k: string) => (top[k] === "detected" ? "detected" : top[k] === "default" ? "not found: a guess" : "given");
    const shared = SHARED_FACTS.filter((k) => k in repo.top).map((k) => `${k === "name" ? "repository" : k}: ${show(repo.top[k])} (${mark(k)})`);
    const rows = [["path", "name", "language", "port", "health", "start from"]];
    let guessed = false;
    for (const s of repo.services) {
      const a = s.answers;
      // A fact the folder does not say is the pack's default: marked, so it is checked before it is confirmed.
      const cell = (k: string, text = show(a[k])) => (s.sources[k] === "default" ? `${text}*` : text);
      const lang = [cell("language"), a.languageVersion === undefined ? undefined : cell("languageVersion")].filter((x) => x !== undefined).join(" ");
      rows.push([s.path, cell("name"), lang, cell("port"), cell("healthPath", a.healthPath === "" ? "(none)" : show(a.healthPath)), this.startFrom(s)]);
      guessed ||= ["name", "language", "languageVersion", "port", "healthPath"].some((k) => s.sources[k] === "default");
    }
    const width = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    let table = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i]!))).join("  "));
    // Wider than a note in 80 columns (long folder names): one line per service, no columns.
    if (table.some((l) => l.length > NOTE_WIDTH))
      table = rows
        .slice(1)
        .map(([path, name, lang, port, health, start]) =>
          wrapText(
            `${path}${name === path!.split("/").pop() ? "" : ` (${name})`}: ${lang}, port ${port}, health ${health}, start from ${start}`,
            NOTE_WIDTH,
            4,
          ),
        );
    if (guessed) table.push("* not found in the service's folder: the pack's default, a guess");
    this.o.prompter.note([...table, "", ...shared].join("\n"), `About these ${repo.services.length} services`);
    if (await this.o.prompter.confirm("Are these right?", true)) {
      for (const k of SHARED_FACTS) this.seenTop.add(k);
      for (const s of repo.services) for (const k of SERVICE_FACTS) this.set(this.seenIn, s.path).add(k);
      return repo;
    }
    // Only what the user says is wrong is asked: which services, the shared facts, or some services' facts.
    const selectable = this.o.selectable ?? [];
    const options = [
      ...(selectable.length > 1 ? [{ value: INCLUDE, label: "Services to set up", hint: `${repo.services.length} of ${selectable.length} included` }] : []),
      { value: SHARED, label: "Shared", hint: shared.join(", ") },
      ...repo.services.map((s) => ({ value: s.path, label: s.path, hint: `${show(s.answers.name)}, ${show(s.answers.language)}` })),
    ];
    const fix = new Set(
      await this.o.prompter.multiselect(
        "Which to correct?",
        options,
        options.map((o) => o.value),
      ),
    );
    if (fix.has(INCLUDE)) await this.include(selectable);
    return this.pass(
      (q) => fix.has(SHARED) && SHARED_FACTS.includes(q.key),
      (path, q) => fix.has(path) && SERVICE_FACTS.includes(q.key),
    );
  }

  /** "Which services to include": the detected ones, those left out dropped with their answers. */
  private async include(selectable: { path: string; hint?: string }[]): Promise<void> {
    const model = this.o.model;
    const current = model.services.map((e) => e.path);
    const q: Question = {
      key: "services",
      type: "multiselect",
      message: "Services to set up",
      choices: selectable.map((s) => ({ value: s.path, label: s.path, hint: s.hint })),
      default: current,
    };
    this.o.prompter.section("Services");
    const picked = await this.o.prompter.ask(q, { value: current, source: "detected" }, {});
    if (!Array.isArray(picked) || picked.length === 0)
      throw usageError("no service chosen", "services", "choose at least one service, or name them with --services");
    const kept = new Set(picked.map(String));
    // (The model is the caller's: the command printed on cancel names the services kept.)
    model.services = model.services.filter((e) => kept.has(e.path));
    for (const path of current)
      if (!kept.has(path)) {
        this.o.choices.perService.delete(path);
        this.askedIn.delete(path);
        this.seenIn.delete(path);
      }
    this.o.choices.services = model.services.map((e) => e.path);
  }

  /** Where a service's start command comes from, as the table shows it. */
  private startFrom(s: ResolvedRepository["services"][number]): string {
    const src = s.sources.startCommand;
    if (src === undefined) return "-";
    const built = "its build";
    if (src === "detected") {
      // The file it was read from (package.json, Procfile, ...); a binary built from the sources is "its build".
      const from = this.o.said(s.path).from.startCommand ?? "";
      const file = (from.split(" ")[0] ?? "").replace(/[:,]$/, "");
      if (/\.|^[A-Z][a-z]+file$/.test(file)) return file;
      return /^the binary built|packaging of/.test(from) ? built : "detected";
    }
    if (src === "default") return s.answers.language === "go" || s.answers.language === "java" ? built : "DEFAULT: check it";
    return "given";
  }

  /** One resolution of every answer; `askTop` and `askService` say which questions this step asks. */
  private pass(askTop: (q: Question) => boolean, askService: (path: string, q: Question) => boolean): Promise<ResolvedRepository> {
    const top: Asker = {
      ask: async (q, def, answers) => {
        // Service questions are asked per service; at the top only the repository's own.
        if (!this.isShared(q.key)) return def?.value;
        if (def === undefined || (!this.askedTop.has(q.key) && askTop(q))) return this.askTop(q, def, answers);
        return def.value;
      },
    };
    const service = (path: string): Asker => ({
      ask: async (q, def, answers) => {
        const asked = this.askedIn.get(path)?.has(q.key) === true;
        // A start command the service's folder does not say: the pack's default would only be a guess.
        const open = !asked && this.guess(path, q.key, answers) && !(q.key in this.ownChoices(path));
        if (open) return this.askService(path, q, undefined, answers);
        if (def === undefined || (!asked && askService(path, q))) return this.askService(path, q, def, answers);
        return def.value;
      },
    });
    return this.o.resolve(this.modelNow(), top, service);
  }

  private async askTop(q: Question, def: DefaultResult, answers: Answers): Promise<AnswerValue> {
    this.o.prompter.section(q.group ?? "");
    const v = coerce(q, await this.o.prompter.ask(q, def, answers), "prompt", answers);
    this.askedTop.add(q.key);
    this.seenTop.add(q.key);
    this.record(this.o.choices.chosen, q, v, def?.value);
    return v;
  }

  private async askService(path: string, q: Question, def: DefaultResult, answers: Answers): Promise<AnswerValue> {
    this.o.prompter.section(`${path}: ${q.group ?? ""}`);
    const v = coerce(q, await this.o.prompter.ask(q, def, answers), "prompt", answers);
    this.set(this.askedIn, path).add(q.key);
    this.set(this.seenIn, path).add(q.key);
    this.record(this.ownChoices(path), q, v, def?.value);
    return v;
  }

  /** Keep a value only when it differs from what was offered, so derived defaults keep following. */
  private record(into: Record<string, AnswerValue>, q: Question, value: AnswerValue, offered: AnswerValue | undefined): void {
    if (offered !== undefined && same(value, offered)) delete into[q.key];
    else into[q.key] = value;
  }

  /** The model with this session's answers given on top of the flags' and the --config file's. */
  private modelNow(): ServicesModel {
    const given = (values: Record<string, AnswerValue>): Record<string, Given> =>
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, where: "prompt" }]));
    return {
      top: { ...this.o.model.top, ...given(this.o.choices.chosen) },
      services: this.o.model.services.map((e) => ({ ...e, given: { ...e.given, ...given(this.o.choices.perService.get(e.path) ?? {}) } })),
    };
  }

  /** The rest: shared questions that apply, not given, not asked, not among the facts or the main choices. */
  private restQuestions(repo: ResolvedRepository): Question[] {
    return this.o.manifest.questions.filter(
      (q) =>
        !q.wizard &&
        !q.advanced &&
        this.isShared(q.key) &&
        !SHARED_FACTS.includes(q.key) &&
        q.key in repo.top &&
        !(q.key in this.o.model.top) &&
        !this.askedTop.has(q.key),
    );
  }

  /** Would the pack's default for this service answer only be a guess (its folder does not say it)? */
  private guess(path: string, key: string, answers: Answers): boolean {
    if (this.o.unresolved(path)[key] === undefined) return false;
    // A Go or Java image starts what its build made (the pack's default names it): not a guess.
    return key !== "startCommand" || answers.language === "python" || answers.language === "node";
  }

  /** Answered at the top: the repository's own questions (its name included), not a service's. */
  private isShared(key: string): boolean {
    return key === "name" || !this.o.serviceKeys.has(key);
  }

  private origin(source: string | undefined, seen: boolean): AnswerOrigin {
    if (source === "detected") return "detected";
    if (source === "default" && !seen) return "default";
    return "given";
  }

  private ownChoices(path: string): Record<string, AnswerValue> {
    let own = this.o.choices.perService.get(path);
    if (!own) this.o.choices.perService.set(path, (own = {}));
    return own;
  }

  private set(map: Map<string, Set<string>>, path: string): Set<string> {
    let s = map.get(path);
    if (!s) map.set(path, (s = new Set()));
    return s;
  }

  private question(key: string): Question | undefined {
    return this.o.manifest.questions.find((q) => q.key === key);
  }
}
