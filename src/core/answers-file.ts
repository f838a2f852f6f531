// Reading and editing the answers file (.create-pipeline.yaml, or a --config file) with the YAML
// library. Kept apart from state.ts so that a create from a built-in pack, which only writes a
// fresh answers file, never loads the YAML parser (start-up time).
import { isMap, isScalar, parseDocument, type Document } from "yaml";
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
  map.items = map.items.filter((p) => keyOf(p) in answers);
  const order = manifest.questions.map((q) => q.key);
  for (const key of order) {
    if (!(key in answers)) continue;
    const value = answers[key]!;
    const pair = map.items.find((p) => keyOf(p) === key);
    if (pair) {
      if (JSON.stringify((pair.value as { toJSON?: () => unknown })?.toJSON?.() ?? pair.value) !== JSON.stringify(value)) pair.value = doc.createNode(value);
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
