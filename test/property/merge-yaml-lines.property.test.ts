// update's YAML merge never loses a user line: base, the user's copy and the template's new
// version are generated (comments above and beside keys, blank lines, nested maps, lists of
// named items, anchors and aliases), the template adds, removes, renames, reorders and edits
// keys, the user adds comments, keys and anchors and edits values. Every user line carries a
// token; each token must be in the merged result (merged, or inside a conflict block that the
// result reports). Seeded, so a failure reproduces; minimal repros live in test/unit/merge.test.ts.
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { merge3 } from "../../src/core/merge.js";

type Value = { kind: "scalar"; v: string } | { kind: "map"; entries: Entry[] } | { kind: "list"; items: { name: string; val: string; comment?: string }[] };
interface Entry {
  key: string;
  value: Value;
  comments: string[];
  trailing?: string;
  blankBefore?: boolean;
}

const clone = <T>(x: T): T => structuredClone(x);

function renderEntries(entries: Entry[], indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  for (const e of entries) {
    if (e.blankBefore) out.push("");
    for (const c of e.comments) out.push(`${pad}# ${c}`);
    const tail = e.trailing ? ` # ${e.trailing}` : "";
    if (e.value.kind === "scalar") out.push(`${pad}${e.key}: ${e.value.v}${tail}`);
    else if (e.value.kind === "map") {
      out.push(`${pad}${e.key}:${tail}`);
      renderEntries(e.value.entries, indent + 2, out);
    } else {
      out.push(`${pad}${e.key}:${tail}`);
      for (const item of e.value.items) {
        if (item.comment) out.push(`${pad}  # ${item.comment}`);
        out.push(`${pad}  - name: ${item.name}`, `${pad}    val: ${item.val}`);
      }
    }
  }
}
const render = (entries: Entry[]) => {
  const out: string[] = [];
  renderEntries(entries, 0, out);
  return `${out.join("\n")}\n`;
};

/** Every entry list in the document (top level and nested maps), for picking where an edit lands. */
function lists(entries: Entry[], acc: Entry[][] = []): Entry[][] {
  acc.push(entries);
  for (const e of entries) if (e.value.kind === "map") lists(e.value.entries, acc);
  return acc;
}

const scalarArb = fc.constantFrom("a", "b", "1", "true", "x-y", '"quoted"', "'single'", "2.5");
const baseEntryArb: fc.Arbitrary<Entry> = fc.letrec<{ entry: Entry }>((tie) => ({
  entry: fc.record({
    key: fc.constant(""),
    comments: fc.array(fc.constantFrom("generated", "see docs"), { maxLength: 1 }),
    blankBefore: fc.boolean(),
    trailing: fc.option(fc.constant("tmpl"), { nil: undefined }),
    value: fc.oneof(
      { weight: 3, arbitrary: scalarArb.map((v): Value => ({ kind: "scalar", v })) },
      {
        weight: 1,
        arbitrary: fc.array(tie("entry"), { minLength: 1, maxLength: 3, depthIdentifier: "d" }).map((entries): Value => ({ kind: "map", entries })),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(scalarArb, { minLength: 1, maxLength: 3 })
          .map((vals): Value => ({ kind: "list", items: vals.map((val, i) => ({ name: `item${i}`, val })) })),
      },
    ),
  }),
})).entry;

/** Unique keys throughout a document. */
function keyed(entries: Entry[], prefix: string, n = { i: 0 }): Entry[] {
  for (const e of entries) {
    e.key = `${prefix}${n.i++}`;
    if (e.value.kind === "map") keyed(e.value.entries, prefix, n);
  }
  return entries;
}

type Op = { what: number; at: number; at2: number };
const opsArb = fc.array(fc.record({ what: fc.nat(), at: fc.nat(), at2: fc.nat() }), { minLength: 1, maxLength: 5 });

/** Where an edit lands: an entry list of the document (op.at) and one of its entries (op.at2). */
function target(doc: Entry[], op: Op): { list: Entry[]; e: Entry | undefined } {
  const all = lists(doc);
  const list = all[op.at % all.length]!;
  return { list, e: list.length ? list[op.at2 % list.length] : undefined };
}

/** The template's changes: edit a value, add, remove, rename, reorder, list items. */
function templateEdits(doc: Entry[], ops: Op[]): void {
  let n = 0;
  for (const op of ops) {
    const { list, e } = target(doc, op);
    switch (op.what % 7) {
      case 0:
        if (e?.value.kind === "scalar") e.value.v = `t${n++}`;
        break;
      case 1:
        list.splice(op.at2 % (list.length + 1), 0, { key: `tk${n++}`, value: { kind: "scalar", v: "new" }, comments: ["added by the template"] });
        break;
      case 2:
        if (e && list.length > 1) list.splice(list.indexOf(e), 1);
        break;
      case 3:
        if (e) e.key = `${e.key}r${n++}`;
        break;
      case 4:
        if (list.length > 1) list.push(list.shift()!);
        break;
      case 5:
        if (e?.value.kind === "list") e.value.items.push({ name: `titem${n++}`, val: "t" });
        break;
      case 6:
        if (e?.value.kind === "list" && e.value.items.length > 1) e.value.items.pop();
        break;
    }
  }
}

/** The user's changes, each carrying a unique token (U<n>) that must survive the merge. */
function userEdits(doc: Entry[], ops: Op[]): void {
  let n = 0;
  const token = () => `U${n++}x`;
  for (const op of ops) {
    const { list, e } = target(doc, op);
    switch (op.what % 7) {
      case 0:
        if (e) e.comments.push(`note ${token()}`);
        break;
      case 1:
        if (e) e.trailing = `why ${token()}`;
        break;
      case 2:
        list.splice(op.at2 % (list.length + 1), 0, { key: `uk${n}`, value: { kind: "scalar", v: token() }, comments: [] });
        break;
      case 3:
        if (e?.value.kind === "scalar") e.value.v = token();
        break;
      case 4: {
        // An anchor and an alias to it.
        const t = token();
        doc.push({ key: `ua${t}`, value: { kind: "scalar", v: `&a${t} v${t}` }, comments: [], blankBefore: true });
        doc.push({ key: `ub${t}`, value: { kind: "scalar", v: `*a${t}` }, comments: [] });
        break;
      }
      case 5:
        if (e?.value.kind === "list" && e.value.items.length) e.value.items[op.at % e.value.items.length]!.comment = `item note ${token()}`;
        break;
      case 6:
        if (e) e.blankBefore = true;
        break;
    }
  }
}

const tokens = (text: string) => new Set(text.match(/U\d+x/g) ?? []);

const caseArb = fc.tuple(fc.array(baseEntryArb, { minLength: 1, maxLength: 6 }), opsArb, opsArb).map(([entries, tOps, uOps]) => {
  const base = keyed(clone(entries), "k");
  const theirs = clone(base);
  templateEdits(theirs, tOps);
  const ours = clone(base);
  userEdits(ours, uOps);
  return { base: render(base), ours: render(ours), theirs: render(theirs) };
});

describe("YAML merge: no user line is lost", () => {
  it("every line the user added (comment, key, value, anchor) is in the result, merged or inside a conflict (1,200 cases)", () => {
    let conflicts = 0;
    let merged = 0;
    fc.assert(
      fc.property(caseArb, ({ base, ours, theirs }) => {
        // The generator only makes valid YAML.
        for (const t of [base, ours, theirs]) expect(parseAllDocuments(t).flatMap((d) => d.errors)).toEqual([]);
        const r = merge3("config/values.yaml", base, ours, theirs);
        const kept = tokens(r.content);
        for (const t of tokens(ours))
          expect(kept.has(t), `user line with ${t} lost (${r.clean ? "reported as merged" : "conflict"}):\n${r.content}`).toBe(true);
        if (r.clean) {
          merged++;
          expect(r.content).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
          expect(parseAllDocuments(r.content).flatMap((d) => d.errors)).toEqual([]);
        } else {
          conflicts++;
          expect(r.content).toMatch(/^<<<<<<< ours$/m);
        }
      }),
      { numRuns: Number(process.env.MERGE_PROPERTY_RUNS ?? 1200), seed: Number(process.env.MERGE_PROPERTY_SEED ?? 20261130) },
    );
    expect(merged).toBeGreaterThan(100);
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);
});
