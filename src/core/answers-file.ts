// Reading and editing the answers file (.create-pipeline.yaml, or a --config file) with the YAML
// library. Kept apart from state.ts so that a create from a built-in pack, which only writes a
// fresh answers file, never loads the YAML parser (start-up time).
import { isMap, isScalar, parseDocument, type Document } from "yaml";
import type { Given } from "./answers.js";
import { didYouMean, validationError } from "./errors.js";
import { editLine, packLine, schemaLine, serializeAnswers } from "./state.js";
import type { Answers, PackManifest } from "./types.js";
import { parseYamlSource } from "./yaml-source.js";

/** The editor's schema hint: one line, this tool's (any `$schema=` there is replaced by it). */
const SCHEMA_LINE = /^# yaml-language-server: \$schema=.*(?=\r?$)/m;
/** The header line that says how to run the tool: it names the exact version that wrote the file. */
const EDIT_LINE = /^# Edit them and run `npx (?:@create-pipeline\/cli@\S+|create-pipeline(?:@\S+)?) update` to regenerate; .*(?=\r?$)/m;

/**
 * The answers file with its header naming this tool version and pack, the rest left as the user
 * wrote it (an update that changes no answer must not reformat the file or drop its comments).
 * The schema hint is the tool's: a missing one is put back as the first line.
 */
export function refreshAnswersHeader(text: string, toolVersion: string, packLabel: string): string {
  return refreshToolLines(text, toolVersion).replace(/^# The answers that define this repository's pipeline \(template pack: .*\)\.(?=\r?$)/m, () =>
    packLine(packLabel),
  );
}

/**
 * Only the header lines that concern the tool (the schema hint, the command and version to run):
 * when they differ, the file is out of date whatever else changed. (The pack line follows the pack
 * and is refreshed whenever an update writes.)
 */
export function refreshToolLines(text: string, toolVersion: string): string {
  const withSchema = SCHEMA_LINE.test(text) ? text.replace(SCHEMA_LINE, () => schemaLine()) : `${schemaLine()}${text.includes("\r\n") ? "\r\n" : "\n"}${text}`;
  return withSchema.replace(EDIT_LINE, () => editLine(toolVersion));
}

/** Read an answers file (--config or .create-pipeline.yaml) into given values that know their line. */
export function parseAnswersFile(text: string, file: string, manifest?: PackManifest): Record<string, Given> {
  const src = parseYamlSource(text, file);
  if (src.value === null || src.value === undefined) return {};
  if (typeof src.value !== "object" || Array.isArray(src.value))
    throw validationError(`${file} must be a mapping of answer keys to values`, src.where([]), "write it as `key: value` lines, e.g. `language: go`");
  const keys = manifest ? manifest.questions.map((q) => q.key) : undefined;
  const out: Record<string, Given> = {};
  for (const [k, v] of Object.entries(src.value as Record<string, unknown>)) {
    if (keys && !keys.includes(k)) {
      const near = didYouMean(k, keys);
      throw validationError(`unknown key '${k}' in ${file}`, src.where([k]), near ? `did you mean '${near}'?` : `known keys: ${keys.join(", ")}`);
    }
    out[k] = { value: v, where: src.where([k]) };
  }
  return out;
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
  return refreshAnswersHeader(doc.toString({ lineWidth: 0 }), toolVersion, packLabel);
}
