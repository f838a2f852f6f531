// Reading and editing the answers file (.create-pipeline.yaml, or a --config file) with the YAML
// library. Kept apart from state.ts so that a create from a built-in pack, which only writes a
// fresh answers file, never loads the YAML parser (start-up time).
import { isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from "yaml";
import type { Given } from "./answers.js";
import { byteOrderMark, givenFrom, refreshAnswersHeader, refreshToolLines } from "./answers-read.js";
import { serializeAnswers } from "./state.js";
import type { Answers, PackManifest } from "./types.js";
import { parseYamlSource } from "./yaml-source.js";

export { refreshAnswersHeader, refreshToolLines };

/** Read an answers file (--config or .create-pipeline.yaml) into given values that know their line. */
export function parseAnswersFile(text: string, file: string, manifest?: PackManifest): Record<string, Given> {
  return givenFrom(parseYamlSource(text, file), file, manifest);
}

/**
 * The answers file after an update changed some answers: changed values replaced, answers that no
 * longer apply removed, new ones inserted in question order, and everything else (the user's
 * comments, layout, quoting) left as it was. Falls back to a fresh file when it is not a mapping.
 */
export function updateAnswersText(text: string, manifest: PackManifest, answers: Answers, toolVersion: string, packLabel: string): string {
  // Typed as an unparsed document: nodes made here have no source range.
  const doc = parseDocument(text, { uniqueKeys: false }) as unknown as Document; // read (and checked) before
  const map = doc.contents;
  if (doc.errors.length > 0 || !isMap(map) || map.items.some((p) => !isScalar(p.key))) return serializeAnswers(manifest, answers, toolVersion, packLabel);
  const keyOf = (p: (typeof map.items)[number]) => String((p.key as { value: unknown }).value);
  // An answer that no longer applies goes, but not the user's comments on it: they move to the next
  // answer that stays (above its key), or after the last one.
  let carried: string[] = [];
  const kept: typeof map.items = [];
  for (const p of map.items) {
    if (keyOf(p) in answers) {
      if (carried.length) {
        const key = p.key as Node;
        key.commentBefore = [...carried, key.commentBefore].filter(Boolean).join("\n");
        carried = [];
      }
      kept.push(p);
    } else carried.push(...commentsOf(p));
  }
  if (carried.length) doc.comment = [...carried, doc.comment].filter(Boolean).join("\n");
  map.items = kept;
  const order = manifest.questions.map((q) => q.key);
  for (const key of order) {
    if (!(key in answers)) continue;
    const value = answers[key]!;
    const pair = map.items.find((p) => keyOf(p) === key);
    if (pair) {
      if (JSON.stringify((pair.value as { toJSON?: () => unknown })?.toJSON?.() ?? pair.value) !== JSON.stringify(value))
        pair.value = replaceValue(doc, pair.value, value);
      continue;
    }
    // After the nearest earlier question that is in the file.
    const earlier = new Set(order.slice(0, order.indexOf(key)));
    let at = 0;
    map.items.forEach((p, i) => {
      if (earlier.has(keyOf(p))) at = i + 1;
    });
    map.items.splice(at, 0, doc.createPair(key, value));
  }
  // The YAML library reads past a byte-order mark and does not write one: it is put back.
  return byteOrderMark(text) + refreshAnswersHeader(doc.toString({ lineWidth: 0 }), toolVersion, packLabel);
}

/** Every comment in a pair or node (above and after it, and inside a list or mapping), in order. */
function commentsOf(node: unknown): string[] {
  const out: string[] = [];
  const take = (n: Node) => {
    if (n.commentBefore) out.push(n.commentBefore);
    if (n.comment) out.push(n.comment);
  };
  const walk = (n: unknown) => {
    if (isNode(n))
      visit(n, {
        Node: (_, x) => {
          take(x);
        },
      });
  };
  if (isPair(node)) {
    walk(node.key);
    walk(node.value);
  } else walk(node);
  return out;
}

/**
 * A new value for an answer, made where the old one was: its comments (above, after, and on list
 * items that stay) and its flow or block style are the old value's; the comments of list items that
 * go are kept above the list.
 */
export function replaceValue(doc: Document, old: unknown, value: unknown): Node {
  const made = doc.createNode(value) as Node;
  if (!isNode(old)) return made;
  let before = old.commentBefore ? [old.commentBefore] : [];
  if (isSeq(old) && isSeq(made)) {
    // List items that stay are the old nodes, with their comments; the others' comments go above.
    const pool = [...old.items];
    made.items = made.items.map((item) => {
      const at = pool.findIndex((o) => isScalar(o) && isScalar(item) && o.value === item.value);
      return at < 0 ? item : pool.splice(at, 1)[0]!;
    });
    for (const gone of pool) before = [...before, ...commentsOf(gone)];
    made.flow = old.flow;
  } else if (!isScalar(old)) before = [...before, ...commentsOf(old).filter((c) => c !== old.commentBefore && c !== old.comment)];
  if (before.length) made.commentBefore = before.join("\n");
  if (old.comment) made.comment = old.comment;
  if (old.spaceBefore) made.spaceBefore = true;
  return made;
}
