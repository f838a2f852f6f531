// Three-way merge by key for YAML and JSON. It works on yaml's node tree of the user's
// document and only touches what the template changed, so the user's comments, quoting
// and layout survive; nodes the template adds are copied with their own comments.

import { Document, isMap, isNode, isScalar, isSeq, parseAllDocuments, visit } from "yaml";
import type { Pair, ToStringOptions, YAMLSeq } from "yaml";

export type StructuredKind = "yaml" | "json";

/** Seen as "this cannot be merged by key"; the caller then keeps the line merge. */
class NoMerge extends Error {}
const noMerge = (): never => {
  throw new NoMerge();
};

/** Identity keys for lists of maps, in order of preference (`uses` is for GitHub steps). */
const IDENTITY_KEYS = ["name", "id", "key", "uses"];

/** Merged file text, or null when the sides do not parse or change the same thing differently. */
export function mergeStructured(kind: StructuredKind, base: string, ours: string, theirs: string): string | null {
  try {
    const merged = kind === "json" ? mergeJson(base, ours, theirs) : mergeYaml(base, ours, theirs);
    // The serialisers write "\n"; keep the user's Windows line endings.
    return ours.includes("\r\n") ? merged.replace(/\r?\n/g, "\r\n") : merged;
  } catch (error) {
    if (error instanceof NoMerge) return null;
    throw error;
  }
}

/** The data a file holds (YAML: one entry per document), or undefined when it does not parse. */
export function parseValue(kind: StructuredKind, text: string): { value: unknown } | undefined {
  try {
    if (kind === "json") return { value: JSON.parse(text) };
    const docs = parseAllDocuments(text);
    if (docs.some((doc) => doc.errors.length > 0)) return undefined;
    return { value: docs.map((doc) => doc.toJS()) };
  } catch {
    return undefined;
  }
}

export function deepEqual(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  if (Array.isArray(x) || Array.isArray(y)) {
    return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => deepEqual(v, y[i]));
  }
  if (!isObject(x) || !isObject(y)) return false;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && deepEqual(x[k], y[k]));
}

function mergeJson(base: string, ours: string, theirs: string): string {
  const [b, o, t] = [base, ours, theirs].map((text) => {
    try {
      return new Document(JSON.parse(text));
    } catch {
      return noMerge();
    }
  });
  // Re-emit with the user's indentation (tabs, 4 spaces), as the YAML merge does.
  const indent = /^[[{][ \t]*\r?\n([ \t]+)\S/.exec(ours)?.[1] ?? 2;
  return `${JSON.stringify(js(mergeNode(b.contents, o.contents, t.contents)), null, indent)}\n`;
}

function mergeYaml(base: string, ours: string, theirs: string): string {
  const [b, o, t] = [base, ours, theirs].map(parseYaml);
  if (o.length === 0 || b.length !== o.length || t.length !== o.length) noMerge();
  o.forEach((doc, i) => {
    doc.contents = mergeNode(b[i].contents, doc.contents, t[i].contents) as typeof doc.contents;
    threeWayComments(doc, b[i], doc, t[i]);
  });
  const format = formatOf(ours);
  return o.map((doc) => doc.toString(format)).join("");
}

function parseYaml(text: string): Document[] {
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    if (doc.errors.length > 0) noMerge();
    // Anchors would dangle once nodes move between documents.
    visit(doc, { Alias: () => noMerge() });
  }
  return docs;
}

/** Re-emit with the user's indentation habits; never fold long lines. */
function formatOf(text: string): ToStringOptions {
  const indents = text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"))
    .map((line) => line.length - line.trimStart().length)
    .filter((n) => n > 0);
  const indent = indents.length > 0 ? Math.min(...indents) : 2;
  return {
    lineWidth: 0,
    flowCollectionPadding: false,
    indent: indent >= 2 && indent <= 8 ? indent : 2,
    // "key:\n- item" at the key's own column
    indentSeq: !/^( *)[^\s#-].*:[ \t]*\r?\n\1- /m.test(text),
  };
}

/** Returns the merged node; collections of `ours` are updated in place. */
function mergeNode(b: unknown, o: unknown, t: unknown): unknown {
  if (deepEqual(js(o), js(t))) return o;
  if (isMap(o) && isMap(t)) {
    o.items = mergeOrdered(isMap(b) ? b.items : [], o.items, t.items, pairId, (p) => js(p.value), mergePair);
    threeWayComments(o, b, o, t);
    return o;
  }
  if (isSeq(o) && isSeq(t) && mergeSeq(isSeq(b) ? b.items : [], o, t)) {
    threeWayComments(o, b, o, t);
    return o;
  }
  // Scalars, type changes and lists without identity: whoever changed it wins.
  const jb = js(b);
  if (deepEqual(jb, js(t))) return o;
  if (!deepEqual(jb, js(o))) noMerge();
  const taken = copy(t);
  if (isScalar(o) && isScalar(taken)) threeWayComments(taken, b, o, t);
  return taken;
}

function mergePair(b: Pair | undefined, o: Pair, t: Pair): Pair {
  o.value = mergeNode(b?.value, o.value, t.value);
  // Comments written above a key live on the key node.
  threeWayComments(o.key, b?.key, o.key, t.key);
  return o;
}

/** Lists of scalars merge as ordered sets, lists of maps by identity key; false means neither applies. */
function mergeSeq(b: unknown[], o: YAMLSeq, t: YAMLSeq): boolean {
  const all = [...b, ...o.items, ...t.items];
  const sides = [b, o.items, t.items];
  if (all.every(isScalar)) {
    const id = (item: unknown) => JSON.stringify(js(item));
    if (!sides.every((items) => distinct(items.map(id)))) return false;
    o.items = mergeOrdered(b, o.items, t.items, id, js, (_b, item) => item);
    return true;
  }
  const key = IDENTITY_KEYS.find((k) => all.every((item) => isMap(item) && isScalar(item.get(k, true))));
  if (key === undefined) return false;
  const id = (item: unknown) => JSON.stringify(js(isMap(item) ? item.get(key, true) : undefined));
  if (!sides.every((items) => distinct(items.map(id)))) return false;
  o.items = mergeOrdered(b, o.items, t.items, id, js, mergeNode);
  return true;
}

/**
 * Items matched by id: ours keeps its order, an item the template adds goes right after its
 * predecessor in theirs. Removing an item the other side changed is a conflict.
 */
function mergeOrdered<I>(
  base: readonly I[],
  ours: readonly I[],
  theirs: readonly I[],
  id: (item: I) => string,
  value: (item: I) => unknown,
  mergeItem: (b: I | undefined, o: I, t: I) => I,
): I[] {
  const inBase = byId(base, id);
  const inTheirs = byId(theirs, id);
  const out: I[] = [];
  const outIds: string[] = [];
  for (const o of ours) {
    const k = id(o);
    const t = inTheirs.get(k);
    const b = inBase.get(k);
    if (t !== undefined) {
      out.push(mergeItem(b, o, t));
      outIds.push(k);
    } else if (b === undefined) {
      out.push(o);
      outIds.push(k);
    } else if (!deepEqual(value(b), value(o))) {
      noMerge();
    }
  }
  let at = 0;
  for (const t of theirs) {
    const k = id(t);
    const found = outIds.indexOf(k);
    if (found >= 0) {
      at = found + 1;
      continue;
    }
    const b = inBase.get(k);
    if (b !== undefined) {
      // The user removed it: fine unless the template changed it meanwhile.
      if (!deepEqual(value(b), value(t))) noMerge();
      continue;
    }
    out.splice(at, 0, copy(t) as I);
    outIds.splice(at, 0, k);
    at++;
  }
  return out;
}

function byId<I>(items: readonly I[], id: (item: I) => string): Map<string, I> {
  const map = new Map<string, I>();
  for (const item of items) {
    const k = id(item);
    if (map.has(k)) noMerge();
    map.set(k, item);
  }
  return map;
}

function pairId(pair: Pair): string {
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  if (isObject(key) || Array.isArray(key) || isNode(key)) noMerge();
  return JSON.stringify(key) ?? String(key);
}

type Commented = { comment?: string | null; commentBefore?: string | null };

/** A comment the user left alone follows the template's version of it. */
function threeWayComments(target: unknown, b: unknown, o: unknown, t: unknown): void {
  if (!hasComments(target)) return;
  const [cb, co, ct] = [b, o, t].map((n): Commented => (hasComments(n) ? n : {}));
  for (const prop of ["comment", "commentBefore"] as const) {
    const pick = co[prop] === cb[prop] ? ct[prop] : co[prop];
    if (target[prop] !== pick) target[prop] = pick;
  }
}

function hasComments(n: unknown): n is Commented {
  return isNode(n) || n instanceof Document;
}

const SCRATCH = new Document();
function js(n: unknown): unknown {
  return isNode(n) ? n.toJS(SCRATCH) : n;
}

function copy(n: unknown): unknown {
  return isNode(n) ? n.clone() : n;
}

function distinct(ids: string[]): boolean {
  return new Set(ids).size === ids.length;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
