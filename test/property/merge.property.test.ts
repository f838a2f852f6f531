import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { merge3 } from "../../src/core/merge.js";

const PATHS = ["notes.txt", "charts/api/values.yaml", "charts/api/templates/cm.yaml", "config.json"];

// Few distinct lines so the three sides overlap and conflict often; no '<' so inputs hold no markers.
const textArb = fc.array(fc.constantFrom("alpha", "beta", "gamma", "", "  key: 1", "- item"), { maxLength: 12 }).map((ls) => ls.map((l) => `${l}\n`).join(""));

const yamlArb = fc
  .dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.array(fc.constantFrom("x", "y", "z"), { maxLength: 3 })))
  .map((value) => stringify(value));

describe("merge3 properties", () => {
  it("returns theirs when the user changed nothing, ours when the template changed nothing", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), textArb, textArb, (path, base, other) => {
        expect(merge3(path, base, base, other)).toEqual({ clean: true, content: other });
        expect(merge3(path, base, other, base)).toEqual({ clean: true, content: other });
        expect(merge3(path, base, other, other)).toEqual({ clean: true, content: other });
      }),
    );
  });

  it("never leaves markers in a clean result", () => {
    const sides = fc.oneof(fc.tuple(textArb, textArb, textArb), fc.tuple(yamlArb, yamlArb, yamlArb));
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), sides, (path, [base, ours, theirs]) => {
        const result = merge3(path, base, ours, theirs);
        if (result.clean) expect(result.content).not.toContain("<<<<<<< ");
        else expect(result.content).toContain("<<<<<<< ours\n");
      }),
      { numRuns: 300 },
    );
  });

  type Edit = "keep" | "replace" | "delete" | "insertAfter";
  const editArb = fc.constantFrom<Edit>("keep", "replace", "delete", "insertAfter");

  function apply(line: string, edit: Edit, who: string): string[] {
    if (edit === "replace") return [`${who} ${line}`];
    if (edit === "delete") return [];
    if (edit === "insertAfter") return [line, `${who} after ${line}`];
    return [line];
  }

  it("keeps disjoint line edits from both sides", () => {
    const caseArb = fc.integer({ min: 3, max: 30 }).chain((n) => {
      const split = Math.floor(n / 2); // line `split` stays untouched between the two halves
      return fc.record({
        n: fc.constant(n),
        split: fc.constant(split),
        ours: fc.array(editArb, { minLength: split, maxLength: split }),
        theirs: fc.array(editArb, { minLength: n - split - 1, maxLength: n - split - 1 }),
      });
    });
    fc.assert(
      fc.property(caseArb, ({ n, split, ours, theirs }) => {
        const base = Array.from({ length: n }, (_, i) => `line ${i}`);
        const edit = (i: number, side: "ours" | "theirs"): Edit => (side === "ours" ? (ours[i] ?? "keep") : i > split ? theirs[i - split - 1] : "keep");
        const text = (ls: string[]) => ls.map((l) => `${l}\n`).join("");
        const oursText = text(base.flatMap((l, i) => apply(l, edit(i, "ours"), "ours")));
        const theirsText = text(base.flatMap((l, i) => apply(l, edit(i, "theirs"), "theirs")));
        const expected = text(base.flatMap((l, i) => (i < split ? apply(l, edit(i, "ours"), "ours") : apply(l, edit(i, "theirs"), "theirs"))));
        expect(merge3("notes.txt", text(base), oursText, theirsText)).toEqual({ clean: true, content: expected });
      }),
    );
  });

  it("keeps keys the user added and keys the template added to a YAML map", () => {
    const keysArb = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 6 });
    const caseArb = fc.record({
      base: keysArb,
      userKeys: keysArb,
      templateKeys: keysArb,
      userAt: fc.nat(),
      templateAt: fc.nat(),
      changedBase: fc.nat(),
    });
    fc.assert(
      fc.property(caseArb, ({ base, userKeys, templateKeys, userAt, templateAt, changedBase }) => {
        const entries = base.map((k): [string, unknown] => [`base_${k}`, k]);
        const insert = (at: number, added: [string, unknown][]) => {
          const i = at % (entries.length + 1);
          return [...entries.slice(0, i), ...added, ...entries.slice(i)];
        };
        const userAdded = userKeys.map((k): [string, unknown] => [`user_${k}`, { value: k }]);
        const templateAdded = templateKeys.map((k): [string, unknown] => [`tpl_${k}`, [k]]);
        // The template also changes one existing value, the user none, so there is nothing to conflict.
        const changed = entries[changedBase % entries.length][0];
        const theirsEntries = insert(templateAt, templateAdded).map(([k, v]): [string, unknown] => [k, k === changed ? "new" : v]);
        const doc = (es: [string, unknown][]) => stringify(Object.fromEntries(es));

        const result = merge3("values.yaml", doc(entries), doc(insert(userAt, userAdded)), doc(theirsEntries));
        expect(result.clean).toBe(true);
        expect(parse(result.content)).toEqual(Object.fromEntries([...theirsEntries, ...userAdded]));
      }),
    );
  });
});
