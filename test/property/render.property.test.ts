// Properties of render() over random valid answers: deterministic, safe relative paths only,
// no eta tags left in the output, LF line endings and exactly one final newline. Run over the
// demo fixture pack and over the built-in pipeline pack, with answers generated from each
// pack's own questions (so the properties keep holding as the pack grows).
import { isAbsolute, join, posix, resolve, sep } from "node:path";
import vm from "node:vm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { coerce, resolveAnswers, type Given } from "../../src/core/answers.js";
import { PipelineError } from "../../src/core/errors.js";
import { render } from "../../src/core/render.js";
import type { Answers, Pack, PrecompiledTemplate, Question, Tree } from "../../src/core/types.js";
import { snapshotPack } from "../../src/cli/snapshot.js";
import { loadPackDir } from "../../src/io/pack-dir.js";
import { PACKS, REPO } from "../support/cli.js";

const ctx = { toolVersion: "0.0.0-test" };
const TARGET = resolve("/srv/target");
const hasEtaTag = (s: string) => s.includes("<%") || s.includes("%>");

/** A Kubernetes/Helm-style name: lowercase words joined by '-'. */
const slugArb = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 5 }).map((ws) => ws.join("-"));

/** Something a user could type for this question that the question accepts. */
function valueArb(q: Question): fc.Arbitrary<unknown> {
  const choices = (q.choices ?? []).map((c) => c.value);
  switch (q.type) {
    case "confirm":
      return fc.boolean();
    case "number":
      return fc.integer({ min: q.min ?? 0, max: q.max ?? 1_000_000 });
    case "select":
      return fc.constantFrom(...choices);
    case "multiselect":
      return fc.subarray(choices, { minLength: 1 });
    default: {
      const raw = q.slug ? slugArb : q.pattern ? fc.stringMatching(new RegExp(q.pattern)) : fc.string({ maxLength: 40 });
      // Text holding an eta tag would pass through verbatim; that is the user's text, not a leak.
      return raw.filter((s) => !hasEtaTag(s) && accepts(q, s));
    }
  }
}

function accepts(q: Question, raw: unknown): boolean {
  try {
    coerce(q, raw, "test");
    return true;
  } catch {
    return false;
  }
}

interface GivenSets {
  /** Some answers left out, so their defaults apply. */
  some: Record<string, Given>;
  /** A value for every question (used when a derived default does not fit, e.g. from another answer). */
  all: Record<string, Given>;
}

/** Given answers for a pack: a value for every question, and a subset of them. */
function givenArb(pack: Pack): fc.Arbitrary<GivenSets> {
  const entries = pack.manifest.questions.map((q) => [q.key, fc.tuple(valueArb(q), fc.boolean())] as const);
  return fc.record(Object.fromEntries(entries)).map((r) => {
    const some: Record<string, Given> = {};
    const all: Record<string, Given> = {};
    for (const [k, [value, omit]] of Object.entries(r)) {
      all[k] = { value, where: `--${k}` };
      if (!omit) some[k] = all[k]!;
    }
    return { some, all };
  });
}

async function answersFor(pack: Pack, given: GivenSets): Promise<Answers> {
  // Answers each valid on their own may break one of the pack's constraints together: such sets are not renderable inputs.
  const constraint = (e: unknown) => e instanceof PipelineError && e.code === "validation" && !e.message.startsWith("missing required answer");
  try {
    return (await resolveAnswers(pack.manifest, { given: given.some, detected: {} })).answers;
  } catch (e) {
    fc.pre(!constraint(e));
    if (!(e instanceof PipelineError && e.message.startsWith("missing required answer"))) throw e;
    try {
      return (await resolveAnswers(pack.manifest, { given: given.all, detected: {} })).answers;
    } catch (e2) {
      fc.pre(!constraint(e2));
      throw e2;
    }
  }
}

function checkPaths(tree: Tree): void {
  const paths = [...tree.keys()];
  for (const p of paths) {
    expect(tree.get(p)!.path).toBe(p);
    expect(isAbsolute(p), p).toBe(false);
    expect(p, p).not.toMatch(/\\|\0/);
    expect(posix.normalize(p), p).toBe(p);
    expect(
      p.split("/").every((s) => s !== "" && s !== "." && s !== ".."),
      p,
    ).toBe(true);
    expect(resolve(TARGET, p).startsWith(TARGET + sep), p).toBe(true);
    // a path is never both a file and the folder of another file
    expect(
      paths.filter((o) => o.startsWith(`${p}/`)),
      p,
    ).toEqual([]);
  }
}

function checkContents(tree: Tree): void {
  for (const f of tree.values()) {
    expect(hasEtaTag(f.content), `${f.path} holds an eta tag`).toBe(false);
    expect(f.content.includes("\r"), `${f.path} has a CR`).toBe(false);
    expect(f.content.endsWith("\n"), `${f.path} lacks a final newline`).toBe(true);
    expect(f.content.endsWith("\n\n"), `${f.path} ends with blank lines`).toBe(false);
    expect(f.content.trim().length, `${f.path} is empty`).toBeGreaterThan(0);
  }
}

const entries = (t: Tree) => [...t.entries()];

const SUBJECTS = [
  { name: "demo fixture pack", dir: join(PACKS, "demo-v1"), runs: 150 },
  { name: "built-in pipeline pack", dir: join(REPO, "templates", "pipeline"), runs: 40 },
];

for (const subject of SUBJECTS) {
  describe(`render properties: ${subject.name}`, () => {
    let pack: Pack;
    let again: Pack;
    let shipped: Pack;
    beforeAll(async () => {
      pack = await loadPackDir(subject.dir, { kind: "local", path: subject.dir });
      again = await loadPackDir(subject.dir, { kind: "local", path: subject.dir });
      // As the build ships built-in packs: templates compiled ahead of time (dist/packs/<name>.json
      // and its scripts, <name>.templates.js and <name>.services.templates.js, whose values are the
      // compiled templates).
      const snapshot = await snapshotPack(subject.dir, "pipeline");
      const s = JSON.parse(snapshot.json) as {
        manifest: Pack["manifest"];
        files: [string, string][];
        partials: [string, string][];
        data: Pack["data"];
      };
      const compiled = Object.assign(
        {},
        ...Object.values(snapshot.scripts).map((source) => vm.runInThisContext(source) as Record<string, PrecompiledTemplate>),
      ) as Record<string, PrecompiledTemplate>;
      shipped = {
        manifest: s.manifest,
        source: pack.source,
        files: new Map(s.files),
        partials: new Map(s.partials),
        data: s.data,
        precompiled: new Map(Object.entries(compiled)),
      };
    });

    it("can generate a valid answer for every question", () => {
      for (const q of pack.manifest.questions) {
        const sample = fc.sample(valueArb(q), 3);
        expect(sample.length, q.key).toBe(3);
      }
    });

    it("is deterministic: the same answers give the same tree, in the same order, precompiled or not", async () => {
      await fc.assert(
        fc.asyncProperty(givenArb(pack), async (given) => {
          const answers = await answersFor(pack, given);
          const one = render(pack, answers, ctx);
          expect(entries(render(pack, answers, ctx))).toEqual(entries(one));
          expect(entries(render(again, { ...answers }, ctx))).toEqual(entries(one));
          expect(entries(render(shipped, answers, ctx))).toEqual(entries(one));
          expect([...one.keys()]).toEqual([...one.keys()].sort());
        }),
        { numRuns: subject.runs },
      );
    });

    it("writes only relative, normalised paths inside the target; no eta tags; LF and one final newline", async () => {
      await fc.assert(
        fc.asyncProperty(givenArb(pack), async (given) => {
          const tree = render(pack, await answersFor(pack, given), ctx);
          checkPaths(tree);
          checkContents(tree);
        }),
        { numRuns: subject.runs },
      );
    });
  });
}

describe("render properties: an answer used in a path", () => {
  it("either gives a safe path inside the target or is refused as a pack error", async () => {
    const dir = join(PACKS, "unsafe-path");
    const pack = await loadPackDir(dir, { kind: "local", path: dir });
    const segment = fc.constantFrom("..", ".", "", "app", "a b", "/", "\\", "C:", "~", "..\\x", "%2e%2e");
    const value = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join(""));
    const joined = fc.array(value, { minLength: 1, maxLength: 3 }).map((s) => s.join("/"));
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(value, joined), (dirAnswer) => {
        let tree: Tree;
        try {
          tree = render(pack, { dir: dirAnswer }, ctx);
        } catch (e) {
          expect(e).toBeInstanceOf(PipelineError);
          expect((e as PipelineError).code).toBe("pack");
          refused++;
          return;
        }
        checkPaths(tree);
        expect(tree.get("top.txt")?.content).toBe("a file the pack always writes\n");
      }),
      { numRuns: 300 },
    );
    // the generator really does produce unsafe answers
    expect(refused).toBeGreaterThan(0);
  });
});
