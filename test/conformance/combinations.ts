/**
 * The option space of the built-in `pipeline` pack, derived from its manifest
 * (templates/pipeline/template.yaml), and a deterministic pairwise (all-pairs)
 * cover of it, plus the named profiles (test/conformance/profiles/*.yaml).
 *
 * Nothing here lists the pack's questions by hand: add a question, a choice, a
 * `when` or a constraint to the manifest and the space, the cover and the
 * counts follow. The only hand-written data is REQUIRED_TEXT: a valid value
 * for each text question that has no default (cloud ids).
 *
 * Model
 * - Every question is a dimension. select: its choices; confirm: true/false;
 *   multiselect: every subset of its choices in choice order (the empty one
 *   included, so that constraints are seen to drop it); text/number: one valid
 *   value (its default with nothing detected, else REQUIRED_TEXT), checked with
 *   the engine's own `coerce`.
 * - A question whose `when` is false has no answer. `when` is a statement
 *   about the final answers, so questions are walked in dependency order
 *   (every question after the questions its `when` and its default read),
 *   not necessarily manifest order.
 * - A combination is valid when every active question has an answer from its
 *   domain, no inactive one has, and every constraint holds.
 * - A pair is two (question, value) items of different questions; text and
 *   number questions have one item ("*": present with its valid value). The
 *   universe is every pair that occurs in at least one valid combination.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { coerce, flagName, resolveDefault } from "../../src/core/answers.js";
import { conditionKeys, evaluate } from "../../src/core/conditions.js";
import { parseManifest } from "../../src/core/manifest.js";
import type { AnswerValue, DefaultSpec, PackManifest, Question } from "../../src/core/types.js";

export const REPO = join(import.meta.dirname, "..", "..");
export const PACK_DIR = join(REPO, "templates", "pipeline");
export const PROFILES_DIR = join(import.meta.dirname, "profiles");

/** A valid value for each text question without a default (the ids a user must give), or whose default is empty. */
export const REQUIRED_TEXT: Readonly<Record<string, string>> = {
  owner: "my-org",
  awsAccountId: "123456789012",
  gcpProject: "my-proj-123",
  acrName: "myregistry1",
  azureResourceGroup: "rg-app",
  gatewayName: "public-gateway",
  gatewayNamespace: "gateway-system",
  ingressHost: "api.my-org.dev",
  loadBalancerCidrs: "10.0.0.0/16",
  // Empty by default (nothing detected): with it the canary analysis and Flagger's blue-green are
  // refused, so the cover gives one that the analysis can query.
  requestMetric: "http_requests_total{status}",
};

export type Answers = Record<string, AnswerValue>;

export interface Dimension {
  question: Question;
  /** select / multiselect / confirm: the values the cover picks from. */
  choice: boolean;
  /** Choice domain (empty for text/number questions). */
  values: AnswerValue[];
}

export interface Combination {
  /** "#07", or the profile name. */
  id: string;
  /** Every active question's answer (text/number ones with their one valid value). */
  answers: Answers;
  /** What is handed to the CLI: every choice answer, the name, and the required ids. The CLI derives the rest. */
  given: Answers;
}

/** Item token: the JSON of a choice value, or "*" for a text/number question. */
const token = (d: Dimension, v: AnswerValue): string => (d.choice ? JSON.stringify(v) : "*");
export const itemKey = (key: string, tok: string) => `${key}=${tok}`;
/** Canonical pair key: the two items sorted, so the pair's order never matters. */
export const pairKey = (a: string, b: string) => (a < b ? `${a} & ${b}` : `${b} & ${a}`);

function subsets(choices: string[]): string[][] {
  const all: number[][] = [];
  for (let mask = 0; mask < 1 << choices.length; mask++) all.push(choices.map((_, i) => i).filter((i) => mask & (1 << i)));
  // by size, then by the choices' order: [], [dev], [staging], [prod], [dev, staging], [dev, prod], ...
  const cmp = (a: number[], b: number[]) => a.length - b.length || a.reduce((r, x, i) => r || x - b[i]!, 0);
  return all.sort(cmp).map((s) => s.map((i) => choices[i]!));
}

function defaultKeys(spec: DefaultSpec | undefined): string[] {
  if (spec === undefined || typeof spec !== "object" || Array.isArray(spec)) return [];
  if ("detect" in spec) return defaultKeys(spec.else);
  if ("answer" in spec) return [spec.answer, ...defaultKeys(spec.else)];
  if ("switch" in spec) return [spec.switch, ...Object.values(spec.cases).flatMap(defaultKeys), ...defaultKeys(spec.else)];
  if ("origin" in spec) return [spec.origin, ...Object.values(spec.cases).flatMap(defaultKeys), ...defaultKeys(spec.else)];
  return [...spec.format.matchAll(/\{(detect\.)?([A-Za-z0-9]+)(?:\|[a-z]+)*\}/g)].filter((m) => !m[1]).map((m) => m[2]!);
}

/** Questions ordered so that each comes after every question its `when` and its default read (stable: manifest order otherwise). */
export function dependencyOrder(manifest: PackManifest): Question[] {
  const keys = new Set(manifest.questions.map((q) => q.key));
  const deps = new Map(
    manifest.questions.map((q) => [q.key, new Set([...conditionKeys(q.when), ...defaultKeys(q.default)].filter((k) => keys.has(k) && k !== q.key))]),
  );
  const placed = new Set<string>();
  const out: Question[] = [];
  while (out.length < manifest.questions.length) {
    const next = manifest.questions.find((q) => !placed.has(q.key) && [...deps.get(q.key)!].every((d) => placed.has(d)));
    if (!next)
      throw new Error(
        `questions depend on each other in a cycle: ${manifest.questions
          .filter((q) => !placed.has(q.key))
          .map((q) => q.key)
          .join(", ")}`,
      );
    placed.add(next.key);
    out.push(next);
  }
  return out;
}

export class OptionSpace {
  readonly order: Question[];
  readonly dims = new Map<string, Dimension>();
  /** Keys read at or after position i (conditions, defaults) plus the constraints' keys: what the future depends on. */
  private readonly relevant: string[][];
  private readonly memos = new Map<string, Map<string, boolean>>();

  constructor(
    readonly manifest: PackManifest,
    readonly required: Readonly<Record<string, string>> = REQUIRED_TEXT,
  ) {
    this.order = dependencyOrder(manifest);
    for (const q of this.order) {
      const choices = (q.choices ?? []).map((c) => c.value);
      const values: AnswerValue[] = q.type === "select" ? choices : q.type === "confirm" ? [true, false] : q.type === "multiselect" ? subsets(choices) : [];
      this.dims.set(q.key, { question: q, choice: values.length > 0, values });
    }
    const constraintKeys = manifest.constraints.flatMap((c) => [...conditionKeys(c.when), ...conditionKeys(c.require)]);
    this.relevant = this.order.map((_, i) =>
      [...new Set([...constraintKeys, ...this.order.slice(i).flatMap((q) => [...conditionKeys(q.when), ...defaultKeys(q.default)])])].sort(),
    );
  }

  /** One option space per manifest text: its cover is computed once per process. */
  private static loaded = new Map<string, OptionSpace>();

  static load(packDir = PACK_DIR): OptionSpace {
    const file = join(packDir, "template.yaml");
    const text = readFileSync(file, "utf8");
    let space = OptionSpace.loaded.get(`${file}\0${text}`);
    if (!space) {
      space = new OptionSpace(parseManifest(text, file));
      space.source = text;
      OptionSpace.loaded.set(`${file}\0${text}`, space);
    }
    return space;
  }

  /** The manifest's text, when loaded from a file: the cover is then kept on disk (coverCacheFile). */
  private source?: string;

  /**
   * Where the cover of this manifest is kept between test processes (it takes tens of seconds to
   * compute): named by the manifest's text, this file and the core modules that decide what a
   * valid combination is, so a change to any of them computes it again.
   */
  private coverCacheFile(candidates: number): string | undefined {
    if (this.source === undefined) return undefined;
    const h = createHash("sha256").update(this.source).update(String(candidates));
    for (const f of ["test/conformance/combinations.ts", "src/core/answers.ts", "src/core/conditions.ts", "src/core/manifest.ts", "src/core/types.ts"]) {
      try {
        h.update(readFileSync(join(REPO, f)));
      } catch {
        return undefined;
      }
    }
    return join(REPO, "node_modules", ".cache", "create-pipeline-tests", `cover-${h.digest("hex").slice(0, 32)}.json`);
  }

  private covers = new Map<number, Combination[]>();

  /** The one valid value of a text/number question, given the answers before it. */
  textValue(q: Question, answers: Answers, useDefault = false): AnswerValue {
    const def = resolveDefault(q, answers, {});
    const req = this.required[q.key];
    if (def !== undefined && (useDefault || !(def.value === "" && req !== undefined))) return def.value;
    if (req === undefined)
      throw new Error(`text question '${q.key}' has no default: add a valid value for it to REQUIRED_TEXT in test/conformance/combinations.ts`);
    return coerce(q, req, `REQUIRED_TEXT.${q.key}`);
  }

  constraintsHold(answers: Answers): boolean {
    return this.manifest.constraints.every((c) => !evaluate(c.when, answers) || evaluate(c.require, answers));
  }

  items(): { key: string; tok: string; value?: AnswerValue }[] {
    return this.order.flatMap((q) => {
      const d = this.dims.get(q.key)!;
      return d.choice ? d.values.map((v) => ({ key: q.key, tok: token(d, v), value: v })) : [{ key: q.key, tok: "*" }];
    });
  }

  private memoFor(fixed: ReadonlyMap<string, string>): Map<string, boolean> {
    const k = [...fixed]
      .sort()
      .map(([a, b]) => `${a}=${b}`)
      .join(";");
    let m = this.memos.get(k);
    if (!m) this.memos.set(k, (m = new Map()));
    return m;
  }

  private stateKey(i: number, answers: Answers): string {
    return `${i}|${this.relevant[i]!.map((k) => JSON.stringify(answers[k] ?? null)).join(",")}`;
  }

  /** Can answers (for order[0..i)) be completed to a valid combination that holds the fixed items? */
  completable(i: number, answers: Answers, fixed: ReadonlyMap<string, string>, memo = this.memoFor(fixed)): boolean {
    if (i === this.order.length) return this.constraintsHold(answers);
    const sk = this.stateKey(i, answers);
    const hit = memo.get(sk);
    if (hit !== undefined) return hit;
    const q = this.order[i]!;
    const d = this.dims.get(q.key)!;
    let ok: boolean;
    if (!evaluate(q.when, answers)) ok = !fixed.has(q.key) && this.completable(i + 1, answers, fixed, memo);
    else if (!d.choice) ok = this.completable(i + 1, { ...answers, [q.key]: this.textValue(q, answers) }, fixed, memo);
    else {
      const want = fixed.get(q.key);
      ok = d.values.some((v) => (want === undefined || token(d, v) === want) && this.completable(i + 1, { ...answers, [q.key]: v }, fixed, memo));
    }
    memo.set(sk, ok);
    return ok;
  }

  /** Number of valid combinations (the full product after `when` and constraints). */
  countValid(): number {
    const memo = new Map<string, number>();
    const count = (i: number, answers: Answers): number => {
      if (i === this.order.length) return this.constraintsHold(answers) ? 1 : 0;
      const sk = this.stateKey(i, answers);
      const hit = memo.get(sk);
      if (hit !== undefined) return hit;
      const q = this.order[i]!;
      const d = this.dims.get(q.key)!;
      const n = !evaluate(q.when, answers)
        ? count(i + 1, answers)
        : !d.choice
          ? count(i + 1, { ...answers, [q.key]: this.textValue(q, answers) })
          : d.values.reduce<number>((s, v) => s + count(i + 1, { ...answers, [q.key]: v }), 0);
      memo.set(sk, n);
      return n;
    };
    return count(0, {});
  }

  /** Product of the choice domains, ignoring `when` and constraints. */
  rawProduct(): number {
    return [...this.dims.values()].reduce((p, d) => p * Math.max(1, d.values.length), 1);
  }

  /** Items that occur in no valid combination (e.g. environments=[] under the "at least one environment" constraint). */
  impossibleItems(): string[] {
    return this.items()
      .filter((it) => !this.completable(0, {}, new Map([[it.key, it.tok]])))
      .map((it) => itemKey(it.key, it.tok));
  }

  /** Every pair of items of two different questions that occurs in at least one valid combination. */
  pairUniverse(): string[] {
    const items = this.items();
    const out: string[] = [];
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) {
        const x = items[a]!;
        const y = items[b]!;
        if (x.key === y.key) continue;
        if (
          this.completable(
            0,
            {},
            new Map([
              [x.key, x.tok],
              [y.key, y.tok],
            ]),
          )
        )
          out.push(pairKey(itemKey(x.key, x.tok), itemKey(y.key, y.tok)));
      }
    return out;
  }

  /** Items (key=token) of a combination's answers. */
  itemsOf(answers: Answers): string[] {
    return this.order.filter((q) => q.key in answers).map((q) => itemKey(q.key, token(this.dims.get(q.key)!, answers[q.key]!)));
  }

  /**
   * Greedy deterministic all-pairs cover (AETG style): each new combination is
   * built around one still-uncovered pair (trying the first `candidates` of
   * them and keeping the one that covers most new pairs); the other questions
   * are filled in dependency order with the value that covers most uncovered
   * pairs with what is already chosen, among values that can still be
   * completed to a valid combination.
   */
  pairwiseCover(candidates = 24): Combination[] {
    let cover = this.covers.get(candidates);
    if (!cover) {
      const file = this.coverCacheFile(candidates);
      try {
        if (file) cover = JSON.parse(readFileSync(file, "utf8")) as Combination[];
      } catch {
        /* not kept yet, or unreadable: computed below */
      }
      if (!cover) {
        cover = this.computeCover(candidates);
        if (file) {
          try {
            mkdirSync(join(file, ".."), { recursive: true });
            writeFileSync(`${file}.${process.pid}`, JSON.stringify(cover));
            renameSync(`${file}.${process.pid}`, file);
          } catch {
            /* a read-only checkout: computed each time */
          }
        }
      }
      this.covers.set(candidates, cover);
    }
    // Callers may change what they are given: each gets its own copy.
    return structuredClone(cover);
  }

  private computeCover(candidates: number): Combination[] {
    const universe = this.pairUniverse();
    const uncovered = new Set(universe);
    const rows: Answers[] = [];
    // How many uncovered pairs an item still takes part in: a tie-breaker that spreads values.
    const open = new Map<string, number>();
    for (const p of universe) for (const it of p.split(" & ")) open.set(it, (open.get(it) ?? 0) + 1);

    const build = (seed: string): Answers => {
      const fixed = new Map(seed.split(" & ").map((it) => it.split(/=(.*)/s).slice(0, 2) as [string, string]));
      const memo = this.memoFor(fixed);
      const answers: Answers = {};
      const chosen: string[] = [];
      this.order.forEach((q, i) => {
        if (!evaluate(q.when, answers)) return;
        const d = this.dims.get(q.key)!;
        let value: AnswerValue;
        if (!d.choice) value = this.textValue(q, answers);
        else {
          let best: { v: AnswerValue; score: [number, number] } | undefined;
          for (const v of d.values) {
            const tok = token(d, v);
            if (fixed.has(q.key) && fixed.get(q.key) !== tok) continue;
            if (!this.completable(i + 1, { ...answers, [q.key]: v }, fixed, memo)) continue;
            const it = itemKey(q.key, tok);
            const score: [number, number] = [chosen.filter((c) => uncovered.has(pairKey(c, it))).length, open.get(it) ?? 0];
            if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1])) best = { v, score };
          }
          if (!best) throw new Error(`pairwise cover: no value for ${q.key} completes seed ${seed} (bug in completable)`);
          value = best.v;
        }
        answers[q.key] = value;
        chosen.push(itemKey(q.key, token(d, value)));
      });
      return answers;
    };
    const newPairs = (answers: Answers): string[] => {
      const its = this.itemsOf(answers);
      const out: string[] = [];
      for (let a = 0; a < its.length; a++)
        for (let b = a + 1; b < its.length; b++) if (uncovered.has(pairKey(its[a]!, its[b]!))) out.push(pairKey(its[a]!, its[b]!));
      return out;
    };

    while (uncovered.size > 0) {
      let best: { row: Answers; pairs: string[] } | undefined;
      for (const seed of [...uncovered].slice(0, candidates)) {
        const row = build(seed);
        const pairs = newPairs(row);
        if (!best || pairs.length > best.pairs.length) best = { row, pairs };
      }
      for (const p of best!.pairs) {
        uncovered.delete(p);
        for (const it of p.split(" & ")) open.set(it, open.get(it)! - 1);
      }
      rows.push(best!.row);
    }
    const width = String(rows.length).length;
    return rows.map((answers, i) => this.combination(`#${String(i + 1).padStart(width, "0")}`, answers));
  }

  /** A combination from full answers: `given` is what the CLI needs (choices, the name, required ids). */
  combination(id: string, answers: Answers): Combination {
    const given: Answers = {};
    for (const q of this.manifest.questions) {
      if (!(q.key in answers)) continue;
      if (this.dims.get(q.key)!.choice || q.key === "name" || q.key in this.required) given[q.key] = answers[q.key]!;
    }
    return { id, answers, given };
  }

  /** Full answers for given answers (a profile), with the pack's defaults (nothing detected) for the rest. */
  complete(given: Answers): Answers {
    const answers: Answers = {};
    for (const q of this.order) {
      if (!evaluate(q.when, answers)) continue;
      answers[q.key] =
        q.key in given
          ? coerce(q, given[q.key], `profile answer ${q.key}`)
          : this.dims.get(q.key)!.choice
            ? resolveDefault(q, answers, {})!.value
            : this.textValue(q, answers, true);
    }
    return answers;
  }
}

// ---------------------------------------------------------------------------
// Presentation: CLI flags, one-line reproduction, short labels

/** Command-line flags for answers, in manifest order (`--no-x` for false confirms). */
export function toFlags(manifest: PackManifest, given: Answers): string[] {
  const out: string[] = [];
  for (const q of manifest.questions) {
    if (!(q.key in given)) continue;
    const v = given[q.key]!;
    const f = `--${flagName(q)}`;
    if (q.type === "confirm") out.push(v ? f : `--no-${flagName(q)}`);
    else out.push(f, Array.isArray(v) ? v.join(",") : String(v));
  }
  return out;
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_./:,=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** One shell command that recreates the combination's output. */
export function reproduceCommand(manifest: PackManifest, c: Combination, dir = "/tmp/repro"): string {
  return ["node", "bin/create-pipeline.js", dir, "--yes", ...toFlags(manifest, c.given)].map(shellQuote).join(" ");
}

/** The choice answers, compactly: "language=java buildTool=gradle ... environments=dev,prod". */
export function label(space: OptionSpace, answers: Answers): string {
  return space.order
    .filter((q) => q.key in answers && space.dims.get(q.key)!.choice)
    .map((q) => {
      const v = answers[q.key]!;
      return `${q.key}=${Array.isArray(v) ? v.join(",") : String(v)}`;
    })
    .join(" ");
}

// ---------------------------------------------------------------------------
// Named profiles

export interface Profile {
  name: string;
  /** The answers file handed to `create --config`. */
  file: string;
  given: Answers;
}

/** test/conformance/profiles/<name>.yaml, sorted by name (default first). */
export function loadProfiles(dir = PROFILES_DIR): Profile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort((a, b) => (a === "default.yaml" ? -1 : b === "default.yaml" ? 1 : a.localeCompare(b)))
    .map((f) => ({ name: f.replace(/\.yaml$/, ""), file: join(dir, f), given: (parseYaml(readFileSync(join(dir, f), "utf8")) ?? {}) as Answers }));
}

/** A concurrency limit: at most `limit` of the functions handed to it run at once, the rest wait in order. */
export function pool(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= limit)
      await new Promise<void>((r) => waiting.push(r)); // the slot is handed over
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
