/**
 * The pairwise cover really covers every pair: checked by code that shares
 * nothing with the generator in combinations.ts except the engine's own
 * `evaluate` (conditions) and `coerce` (answer checks).
 *
 * - Each combination is checked against the manifest directly: a question has
 *   an answer exactly when its `when` holds for the combination's final
 *   answers, every answer is in its domain (or valid text), and every
 *   constraint holds.
 * - The pairs that can co-occur are found by a plain depth-first search over
 *   the choice questions (the pair's own first, then manifest order), where "no answer" is a branch of
 *   its own and a branch is cut as soon as a condition or constraint whose
 *   keys are all decided fails (no memo, no dependency order, no sharing with
 *   the generator's search).
 * - On small synthetic manifests the generator's counts and pair universe are
 *   compared with a brute-force enumeration of the whole product.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { coerce } from "../../src/core/answers.js";
import { conditionKeys, evaluate } from "../../src/core/conditions.js";
import { parseManifest } from "../../src/core/manifest.js";
import type { AnswerValue, PackManifest, Question } from "../../src/core/types.js";
import { OptionSpace, PACK_DIR, type Combination } from "./combinations.js";

type Answers = Record<string, AnswerValue>;
const ABSENT = Symbol("absent");
type Slot = AnswerValue | typeof ABSENT;

// ---------------------------------------------------------------------------
// An independent model of the manifest

interface Model {
  manifest: PackManifest;
  choice: Question[];
  text: Question[];
  domain: Map<string, AnswerValue[]>;
}

function model(manifest: PackManifest): Model {
  const domain = new Map<string, AnswerValue[]>();
  for (const q of manifest.questions) {
    const cs = (q.choices ?? []).map((c) => c.value);
    if (q.type === "select") domain.set(q.key, cs);
    else if (q.type === "confirm") domain.set(q.key, [false, true]);
    else if (q.type === "multiselect") {
      const all: string[][] = [];
      for (let m = 0; m < 2 ** cs.length; m++) all.push(cs.filter((_, i) => (m >> i) & 1));
      domain.set(q.key, all);
    }
  }
  const choice = manifest.questions.filter((q) => domain.has(q.key));
  const text = manifest.questions.filter((q) => !domain.has(q.key));
  // This checker decides text questions' presence from choice answers only.
  for (const q of manifest.questions)
    for (const k of conditionKeys(q.when)) if (!domain.has(k)) throw new Error(`checker limitation: ${q.key}'s condition reads text question ${k}`);
  return { manifest, choice, text, domain };
}

const tok = (m: Model, key: string, v: AnswerValue) => (m.domain.has(key) ? `${key}=${JSON.stringify(v)}` : `${key}=*`);
const pair = (a: string, b: string) => (a < b ? `${a} & ${b}` : `${b} & ${a}`);

/** Why a combination is not valid for the manifest, or undefined. */
function invalid(m: Model, a: Answers): string | undefined {
  for (const q of m.manifest.questions) {
    const active = evaluate(q.when, a);
    if (active !== q.key in a) return `${q.key}: ${active ? "active but unanswered" : "answered but inactive"}`;
    if (!active) continue;
    const d = m.domain.get(q.key);
    if (d && !d.some((v) => JSON.stringify(v) === JSON.stringify(a[q.key]))) return `${q.key}: ${JSON.stringify(a[q.key])} is not in its domain`;
    if (!d)
      try {
        coerce(q, a[q.key], "test");
      } catch (e) {
        return `${q.key}: ${(e as Error).message}`;
      }
  }
  for (const c of m.manifest.constraints) if (evaluate(c.when, a) && !evaluate(c.require, a)) return `constraint: ${c.message}`;
  return undefined;
}

function pairsOf(m: Model, a: Answers): string[] {
  const items = m.manifest.questions.filter((q) => q.key in a).map((q) => tok(m, q.key, a[q.key]!));
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) out.push(pair(items[i]!, items[j]!));
  return out;
}

/** Is there a valid combination holding both items? Plain DFS with eager cuts. */
function coOccur(m: Model, x: [string, string], y: [string, string]): boolean {
  const want = new Map([x, y]);
  const slots = new Map<string, Slot>();
  const answers = (): Answers => {
    const a: Answers = {};
    for (const [k, v] of slots) if (v !== ABSENT) a[k] = v;
    return a;
  };
  const decided = (keys: string[]) => keys.every((k) => slots.has(k));
  const consistent = (): boolean => {
    const a = answers();
    for (const q of m.choice) if (slots.has(q.key) && decided(conditionKeys(q.when)) && evaluate(q.when, a) !== (slots.get(q.key) !== ABSENT)) return false;
    for (const q of m.text) if (want.has(q.key) && decided(conditionKeys(q.when)) && !evaluate(q.when, a)) return false;
    for (const c of m.manifest.constraints)
      if (decided([...conditionKeys(c.when), ...conditionKeys(c.require)]) && evaluate(c.when, a) && !evaluate(c.require, a)) return false;
    return true;
  };
  // The wanted questions (and what a wanted text question's condition reads) are decided first,
  // so a pair that cannot occur fails at once instead of after every answer before it.
  const first = new Set([...want.keys(), ...m.text.filter((q) => want.has(q.key)).flatMap((q) => conditionKeys(q.when))]);
  const order = [...m.choice.filter((q) => first.has(q.key)), ...m.choice.filter((q) => !first.has(q.key))];
  const dfs = (i: number): boolean => {
    if (i === order.length) return consistent();
    const q = order[i]!;
    const w = want.get(q.key);
    const options = ([ABSENT, ...m.domain.get(q.key)!] as Slot[]).filter(
      (v) => w === undefined || (v !== ABSENT && JSON.stringify(v) === w.slice(q.key.length + 1)),
    );
    for (const v of options) {
      slots.set(q.key, v);
      if (consistent() && dfs(i + 1)) return true;
      slots.delete(q.key);
    }
    return false;
  };
  return dfs(0);
}

function universeByDfs(m: Model): string[] {
  const items: [string, string][] = m.manifest.questions.flatMap((q) =>
    m.domain.has(q.key) ? m.domain.get(q.key)!.map((v): [string, string] => [q.key, tok(m, q.key, v)]) : [[q.key, tok(m, q.key, "")]],
  );
  const out: string[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      if (items[i]![0] !== items[j]![0] && coOccur(m, items[i]!, items[j]!)) out.push(pair(items[i]![1], items[j]![1]));
  return out.sort();
}

function checkCover(m: Model, cover: Combination[], universe: string[]): void {
  for (const c of cover) expect(invalid(m, c.answers), `${c.id} is not a valid combination`).toBeUndefined();
  const covered = new Set(cover.flatMap((c) => pairsOf(m, c.answers)));
  const missed = universe.filter((p) => !covered.has(p));
  expect(missed, `pairs no combination covers`).toEqual([]);
  // and the cover holds no pair outside the universe (it would mean the universe is too small)
  const universeSet = new Set(universe);
  expect([...covered].filter((p) => !universeSet.has(p))).toEqual([]);
}

// ---------------------------------------------------------------------------

describe("pairwise cover of the pipeline pack", () => {
  const manifest = parseManifest(readFileSync(join(PACK_DIR, "template.yaml"), "utf8"));
  const m = model(manifest);
  const space = OptionSpace.load();
  const cover = space.pairwiseCover();
  let cached: string[] | undefined;
  const universe = () => (cached ??= universeByDfs(m));

  it("covers every pair of values that can co-occur, with valid combinations only", () => {
    const universe = universeByDfs(m);
    cached = universe;
    expect(universe.length).toBeGreaterThan(0);
    checkCover(m, cover, universe);
    console.log(`pairwise cover: ${cover.length} combinations; ${universe.length} feasible pairs, all covered (checked independently)`);
    // The independent walk of the option space takes minutes; twice the suite's limit on a loaded machine.
  }, 1_200_000);

  it("agrees with the independent checker on which pairs can co-occur", () => {
    expect([...space.pairUniverse()].sort()).toEqual(universe());
  });

  it("the check is not vacuous: dropping any one combination leaves pairs uncovered", () => {
    for (let i = 0; i < cover.length; i++) {
      const rest = cover.filter((_, j) => j !== i);
      const covered = new Set(rest.flatMap((c) => pairsOf(m, c.answers)));
      expect(universe().filter((p) => !covered.has(p)).length, `${cover[i]!.id} adds nothing`).toBeGreaterThan(0);
    }
  });

  it("is derived from the manifest: every choice of every select, both confirm values, every non-empty environment set", () => {
    const seen = new Map<string, Set<string>>();
    for (const c of cover) for (const [k, v] of Object.entries(c.answers)) (seen.get(k) ?? seen.set(k, new Set()).get(k)!).add(JSON.stringify(v));
    for (const q of manifest.questions) {
      expect(seen.has(q.key), `${q.key} never answered`).toBe(true);
      if (q.type === "select") expect([...seen.get(q.key)!].sort()).toEqual(q.choices!.map((c) => JSON.stringify(c.value)).sort());
      if (q.type === "confirm") expect(seen.get(q.key)!.size).toBe(2);
    }
    // multiselect: all 2^n - 1 non-empty subsets; [] is dropped by the "at least one environment" constraint
    const envs = manifest.questions.find((q) => q.key === "environments")!.choices!.length;
    expect(seen.get("environments")!.size).toBe(2 ** envs - 1);
    expect(seen.get("environments")!.has("[]")).toBe(false);
    expect(space.impossibleItems()).toEqual(["environments=[]"]);
  });

  it("is deterministic", () => {
    expect(OptionSpace.load().pairwiseCover()).toEqual(cover);
  });

  it("gives the required cloud ids, and only with the questions that ask for them", () => {
    const withAws = cover.filter((c) => c.answers.registry === "ecr" || c.answers.cluster === "eks");
    expect(withAws.length).toBeGreaterThan(0);
    for (const c of cover) expect("awsAccountId" in c.given).toBe(withAws.includes(c));
    for (const c of withAws) expect(c.given.awsAccountId).toBe("123456789012");
    for (const c of cover.filter((c) => c.answers.cluster === "aks")) expect(c.given.azureResourceGroup).toBe("rg-app");
    for (const c of cover.filter((c) => c.answers.registry === "acr")) expect(c.given.acrName).toBe("myregistry1");
    for (const c of cover.filter((c) => c.answers.registry === "gar" || c.answers.cluster === "gke")) expect(c.given.gcpProject).toBe("my-proj-123");
  });
});

describe("the generator on small manifests, against brute force over the whole product", () => {
  const manifests: Record<string, string> = {
    "conditions, a forward reference and a constraint": `
name: t
version: 1.0.0
engine: ">=0"
questions:
  - { key: cloudId, type: text, message: id, when: { key: cloud, equals: b }, pattern: "^[0-9]+$" }
  - { key: lang, type: select, message: l, choices: [{ value: x }, { value: y }, { value: z }], default: x }
  - { key: tool, type: select, message: t, when: { key: lang, equals: z }, choices: [{ value: m }, { value: g }], default: m }
  - { key: cloud, type: select, message: c, choices: [{ value: a }, { value: b }, { value: c }], default: a }
  - { key: fast, type: confirm, message: f, default: true }
  - { key: extra, type: confirm, message: e, when: { all: [ { key: fast, equals: true }, { not: { key: lang, equals: x } } ] }, default: false }
  - { key: envs, type: multiselect, message: e, choices: [{ value: d }, { value: s }, { value: p }], default: [d] }
constraints:
  - { require: { key: envs, truthy: true }, message: one env }
  - { when: { key: tool, equals: g }, require: { key: cloud, in: [a, b] }, message: g needs a or b }
files: []
`,
    "independent booleans": `
name: t
version: 1.0.0
engine: ">=0"
questions:
${Array.from({ length: 8 }, (_, i) => `  - { key: b${i}, type: confirm, message: b, default: false }`).join("\n")}
  - { key: s, type: select, message: s, choices: [{ value: a }, { value: b }, { value: c }, { value: d }], default: a }
files: []
`,
  };

  for (const [title, text] of Object.entries(manifests)) {
    it(title, () => {
      const manifest = parseManifest(text);
      const m = model(manifest);
      // brute force: every assignment of every choice question (ABSENT included), kept if valid
      const valid: Answers[] = [];
      const walk = (i: number, a: Answers) => {
        if (i === m.choice.length) {
          const full = { ...a };
          for (const q of m.text) if (evaluate(q.when, full)) full[q.key] = "123456789012";
          if (invalid(m, full) === undefined) valid.push(full);
          return;
        }
        const q = m.choice[i]!;
        walk(i + 1, a);
        for (const v of m.domain.get(q.key)!) walk(i + 1, { ...a, [q.key]: v });
      };
      walk(0, {});
      const bruteUniverse = [...new Set(valid.flatMap((a) => pairsOf(m, a)))].sort();

      const space = new OptionSpace(manifest, { cloudId: "123456789012" });
      expect(space.countValid()).toBe(valid.length);
      expect([...space.pairUniverse()].sort()).toEqual(bruteUniverse);
      expect(universeByDfs(m)).toEqual(bruteUniverse);
      const cover = space.pairwiseCover();
      checkCover(m, cover, bruteUniverse);
      expect(cover.length).toBeLessThan(valid.length);
    });
  }
});
