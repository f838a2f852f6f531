// Reading and editing the answers file (.create-pipeline.yaml, or a --config file) with the YAML
// library. Kept apart from state.ts so that a create from a built-in pack, which only writes a
// fresh answers file, never loads the YAML parser (start-up time).
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLMap } from "yaml";
import type { Given } from "./answers.js";
import {
  bareText,
  canonicalJson,
  givenFrom,
  inTextForm,
  refreshAnswersHeader,
  refreshToolLines,
  refuseDifferentAnswers,
  textForm,
  unreadableEdit,
} from "./answers-read.js";
import { PipelineError, validationError } from "./errors.js";
import { ANSWERS_FILE } from "./state.js";
import type { Answers, PackManifest } from "./types.js";
import { parseYamlSource } from "./yaml-source.js";

export { refreshAnswersHeader, refreshToolLines };

/** An answers file's value as the YAML library reads it (errors with file:line:column). */
export const answersValue = (text: string, file: string): unknown => parseYamlSource(text, file).value;

/** Read an answers file (--config or .create-pipeline.yaml) into given values that know their line. */
export function parseAnswersFile(text: string, file: string, manifest?: PackManifest): Record<string, Given> {
  return givenFrom(parseYamlSource(text, file), file, manifest);
}

/** Where a node of a parsed answers file starts, as file:line:column. */
export type At = (node: unknown) => string;

/**
 * One edit of an answers file in place. The YAML library edits the text without its byte-order
 * mark and with "\n" line ends; the result gets the file's mark and dominant line ending back. A
 * file that does not parse, is not a mapping or has a key that is not a plain value is refused
 * (never rewritten from scratch: that would drop the user's comments). The result is read back and
 * must be exactly `intended` (from the answers the file held before), else nothing is returned.
 */
export function editAnswersDocument(
  text: string,
  file: string,
  change: (doc: Document, map: YAMLMap, at: At, old: Record<string, unknown>) => void,
  intended: (old: Record<string, unknown>) => unknown,
): string {
  const form = textForm(text);
  const body = bareText(text);
  const lineCounter = new LineCounter();
  // Typed as an unparsed document: nodes made here have no source range.
  const doc = parseDocument(body, { uniqueKeys: false, lineCounter }) as unknown as Document;
  const at: At = (node) => {
    const range = isNode(node) || isPair(node) ? (isPair(node) ? (node.key as Node | undefined)?.range : node.range) : undefined;
    if (!range) return file;
    // An anchored node starts after its `&name`: the place given is the anchor's.
    const anchor = isNode(node) && node.anchor ? body.lastIndexOf(`&${node.anchor}`, range[0]) : -1;
    const p = lineCounter.linePos(anchor >= 0 ? anchor : range[0]);
    return `${file}:${p.line}:${p.col}`;
  };
  const first = doc.errors[0];
  if (first) {
    const p = lineCounter.linePos(first.pos[0]);
    throw validationError(
      `${file} is not valid YAML: ${first.message.split("\n")[0]}`,
      `${file}:${p.line}:${p.col}`,
      "fix the YAML syntax at that position, then run the command again",
    );
  }
  // A file of comments only holds no answers yet: they go into a new mapping, the comments stay.
  if (doc.contents === null) doc.contents = doc.createNode({}) as Node;
  const map = doc.contents;
  if (!isMap(map)) throw validationError(`${file} must be a mapping of answer keys to values`, at(map), "write it as `key: value` lines, e.g. `language: go`");
  for (const p of map.items)
    if (!isScalar(p.key))
      throw validationError(
        `${file} has a key that is not a plain name`,
        at(p.key),
        "write each answer as `key: value`, with a plain or quoted name as its key",
      );
  const old = (doc.toJS() ?? {}) as Record<string, unknown>;
  change(doc, map as YAMLMap, at, old);
  const out = inTextForm(doc.toString({ lineWidth: 0 }), form);
  refuseUnfaithful(out, intended(old), file);
  return out;
}

/**
 * The answers file after an update changed some answers: changed values replaced, answers that no
 * longer apply removed, new ones inserted in question order, and everything else (the user's
 * comments, layout, quoting, byte-order mark and line endings) left as it was.
 */
export function updateAnswersText(text: string, manifest: PackManifest, answers: Answers, toolVersion: string, packLabel: string, file = ANSWERS_FILE): string {
  const edited = editAnswersDocument(
    text,
    file,
    (doc, map, at, old) => {
      const keyOf = (p: (typeof map.items)[number]) => String((p.key as { value: unknown }).value);
      refuseMergeKeys(map, at, file);
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
        } else {
          refuseLinked(doc, p.value, at, file, `answer '${keyOf(p)}', which no longer applies,`, false);
          carried.push(...commentsOf(p));
        }
      }
      if (carried.length) doc.comment = [...carried, doc.comment].filter(Boolean).join("\n");
      map.items = kept;
      const order = manifest.questions.map((q) => q.key);
      for (const key of order) {
        if (!(key in answers)) continue;
        const value = answers[key]!;
        const pair = map.items.find((p) => keyOf(p) === key);
        if (pair) {
          if (!sameValue(old[key], value)) {
            refuseLinked(doc, pair.value, at, file, `answer '${key}'`, true);
            pair.value = replaceValue(doc, pair.value, value);
          }
          continue;
        }
        // After the nearest earlier question that is in the file.
        const earlier = new Set(order.slice(0, order.indexOf(key)));
        let i = 0;
        map.items.forEach((p, j) => {
          if (earlier.has(keyOf(p))) i = j + 1;
        });
        map.items.splice(i, 0, doc.createPair(key, value));
      }
    },
    () => answers,
  );
  return refreshAnswersHeader(edited, toolVersion, packLabel);
}

/**
 * An edited answers file must read back (as the tool reads it) as exactly the intended answers;
 * otherwise the edit is refused and nothing is written.
 */
export function refuseUnfaithful(out: string, intended: unknown, file: string): void {
  let read: unknown;
  try {
    read = parseYamlSource(out, file).value ?? {};
  } catch (e) {
    throw unreadableEdit(file, e);
  }
  refuseDifferentAnswers(read, intended, file);
}

/** Two answer values are the same (as JSON: key order of mappings aside). */
export const sameValue = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * The refusal of an edit that would have to change a YAML alias, an anchored value an alias reads,
 * or a merge key: a validation error (exit 2) whose message says which, typed so that a caller
 * trying another way of editing (appendServiceItem) can tell it from "this way cannot do it".
 */
export class LinkedValueError extends PipelineError {
  constructor(message: string, where: string, hint: string) {
    super("validation", message, { where, hint });
  }
}

/**
 * A YAML merge key (`<<: *defaults`) in a mapping an edit changes: what it brings in cannot be
 * changed in place (and YAML 1.2 reads `<<` as a plain key), so the edit is refused.
 */
export function refuseMergeKeys(map: YAMLMap, at: At, file: string): void {
  for (const p of map.items)
    if (isScalar(p.key) && p.key.value === "<<")
      throw new LinkedValueError(
        `${file} has a YAML merge key (<<) where this command must change answers`,
        at(p),
        "write the merged keys out in place of `<<: *…` (each answer as its own `key: value` line), then run the command again",
      );
}

/**
 * An answer an edit replaces (or removes) must be its own value: not an alias of another (`*x`:
 * replacing it would silently unlink the two), and not holding an anchor (`&x`) that an alias
 * elsewhere reads (the alias would change with it, or be left pointing at nothing).
 */
export function refuseLinked(doc: Document, node: unknown, at: At, file: string, what: string, replaced: boolean, deep = true): void {
  if (replaced && isAlias(node))
    throw new LinkedValueError(
      `${what} in ${file} is a YAML alias (*${node.source}): changing it here would unlink it from its anchor`,
      at(node),
      `write the value out in place of *${node.source} (or change the anchored value by hand), then run the command again`,
    );
  const used = new Set<string>();
  visit(doc, {
    Alias(_, a) {
      used.add(a.source);
    },
  });
  let anchored: Node | undefined;
  if (isNode(node) && !deep) anchored = node.anchor && used.has(node.anchor) ? node : undefined;
  else if (isNode(node))
    visit(node, {
      Node(_, n) {
        if (!anchored && n.anchor && used.has(n.anchor)) anchored = n;
      },
    });
  if (anchored)
    throw new LinkedValueError(
      `${what} in ${file} carries the YAML anchor &${anchored.anchor}, which an alias (*${anchored.anchor}) elsewhere in the file reads: changing it would change or break that alias`,
      at(anchored),
      `write the value out in place of each *${anchored.anchor} and drop the anchor, then run the command again`,
    );
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
