// Reading the answers file without the YAML library when it is as this tool writes it (check and
// update run in every CI job: the library is the largest module to load). Anything else a person
// wrote is read by the library (answers-file.ts), so the result is always the library's.
import type { Given } from "./answers.js";
import { didYouMean, validationError } from "./errors.js";
import { parseSimpleYaml } from "./simple-yaml.js";
import { editLine, packLine, schemaLine } from "./state.js";
import type { PackManifest } from "./types.js";

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
  const bom = byteOrderMark(text);
  if (bom) return bom + refreshAnswersHeader(text.slice(bom.length), toolVersion, packLabel);
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
  // An editor that saves UTF-8 with a byte-order mark puts it before the first line: the header
  // lines are found (and rewritten) after it, and the mark stays.
  const bom = byteOrderMark(text);
  if (bom) return bom + refreshToolLines(text.slice(bom.length), toolVersion);
  const withSchema = SCHEMA_LINE.test(text) ? text.replace(SCHEMA_LINE, () => schemaLine()) : `${schemaLine()}${text.includes("\r\n") ? "\r\n" : "\n"}${text}`;
  return withSchema.replace(EDIT_LINE, () => editLine(toolVersion));
}

/** The UTF-8 byte-order mark a file starts with ("" when none). */
export const byteOrderMark = (text: string) => (text.startsWith("\uFEFF") ? "\uFEFF" : "");

/** Parsed answers (from either reader) into given values that know their line. */
export function givenFrom(
  src: { value: unknown; where(path: readonly (string | number)[]): string },
  file: string,
  manifest?: PackManifest,
): Record<string, Given> {
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

/** Read an answers file (--config or .create-pipeline.yaml); the YAML library is loaded only for
 * a file the small reader does not take whole. */
export async function readAnswersFile(text: string, file: string, manifest?: PackManifest): Promise<Record<string, Given>> {
  const simple = parseSimpleYaml(text, file);
  if (simple !== undefined) return givenFrom(simple, file, manifest);
  return (await import("./answers-file.js")).parseAnswersFile(text, file, manifest);
}
