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
  src: { value: unknown; where(path: readonly (string | number)[]): string; valueWhere(path: readonly (string | number)[]): string },
  file: string,
  manifest?: PackManifest,
): Record<string, Given> {
  if (src.value === null || src.value === undefined) return {};
  if (typeof src.value !== "object" || Array.isArray(src.value))
    throw validationError(`${file} must be a mapping of answer keys to values`, src.where([]), "write it as `key: value` lines, e.g. `language: go`");
  const keys = manifest ? manifest.questions.map((q) => q.key) : undefined;
  const out: Record<string, Given> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(src.value as Record<string, unknown>)) {
    if (keys && !keys.includes(k)) unknown.push(k);
    else out[k] = { value: v, where: src.valueWhere([k]) };
  }
  if (keys && unknown.length > 0) throw unknownKeysError(file, unknown, keys, (k) => src.where([k]));
  return out;
}

/**
 * Every unknown key of an answers file at once, each with its file:line:column and the known key
 * it is nearest to: a file with two typos is fixed in one round, not two.
 */
export function unknownKeysError(file: string, unknown: readonly string[], keys: readonly string[], where: (k: string) => string, known = keys.join(", ")) {
  const near = (k: string) => didYouMean(k, [...keys]);
  if (unknown.length === 1) {
    const k = unknown[0]!;
    const n = near(k);
    return validationError(`unknown key '${k}' in ${file}`, where(k), n ? `did you mean '${n}'?` : `known keys: ${known}`);
  }
  const each = unknown.map((k) => `'${k}' at ${where(k)}${near(k) ? ` (did you mean '${near(k)}'?)` : ""}`);
  return validationError(
    `${unknown.length} unknown keys in ${file}: ${each.join("; ")}`,
    where(unknown[0]!),
    unknown.every((k) => near(k) !== undefined) ? "rename each to the key suggested, or remove it" : `rename or remove each of them (known keys: ${known})`,
  );
}

/** Read an answers file (--config or .create-pipeline.yaml); the YAML library is loaded only for
 * a file the small reader does not take whole. */
export async function readAnswersFile(text: string, file: string, manifest?: PackManifest): Promise<Record<string, Given>> {
  const simple = parseSimpleYaml(text, file);
  if (simple !== undefined) return givenFrom(simple, file, manifest);
  return (await import("./answers-file.js")).parseAnswersFile(text, file, manifest);
}

/** How an answers file is laid out byte-wise: its byte-order mark and its line ending. */
export interface TextForm {
  bom: string;
  eol: "\n" | "\r\n";
}

/** A text's byte-order mark and dominant line ending ("\r\n" when most lines end so). */
export function textForm(text: string): TextForm {
  const all = text.match(/\n/g)?.length ?? 0;
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  return { bom: byteOrderMark(text), eol: crlf > all - crlf ? "\r\n" : "\n" };
}

/** The text without its byte-order mark, every line ending "\n" (what the YAML library edits). */
export const bareText = (text: string) => text.slice(byteOrderMark(text).length).replace(/\r\n/g, "\n");

/** A text made with "\n" line ends, given this form (mark and line ending) back. */
export const inTextForm = (text: string, form: TextForm) => {
  const body = bareText(text);
  return form.bom + (form.eol === "\r\n" ? body.replace(/\n/g, "\r\n") : body);
};

/** JSON with mapping keys sorted (two answer values compare equal whatever their key order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The first place where the answers read back differ from the intended ones ("" when they do not). */
export function answersDifference(read: unknown, intended: unknown, path = ""): string {
  if (canonicalJson(read) === canonicalJson(intended)) return "";
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObj(read) && isObj(intended)) {
    for (const k of new Set([...Object.keys(intended), ...Object.keys(read)])) {
      const d = answersDifference(read[k], intended[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  if (Array.isArray(read) && Array.isArray(intended) && read.length === intended.length) {
    for (let i = 0; i < read.length; i++) {
      const d = answersDifference(read[i], intended[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));
  return `${path || "the file"} would read ${show(read)}, not ${show(intended)}`;
}

/**
 * The last check before an answers file is written: the new text keeps the old one's byte-order
 * mark and line endings, and reads back (as the tool reads it) as exactly `intended` (by default,
 * the answers the old text holds: an edit of its header lines only). Exit 2 otherwise.
 */
export async function refuseAnswersEdit(before: string, after: string, file: string, intended?: unknown): Promise<void> {
  if (after === before) return;
  const was = textForm(before);
  const now = textForm(after);
  const mixed = (t: string, f: TextForm) => (f.eol === "\r\n" ? /(^|[^\r])\n/.test(t) : t.includes("\r\n"));
  const lines = (f: TextForm) => (f.eol === "\r\n" ? "CRLF" : "LF");
  if (was.bom !== now.bom || was.eol !== now.eol || (!mixed(before, was) && mixed(after, now)))
    throw validationError(
      `editing ${file} in place would change its ${was.bom !== now.bom ? "byte-order mark" : "line endings"} (${lines(was)}${was.bom ? " with a byte-order mark" : ""}): nothing was written`,
      file,
      "make the change by hand in the file, then run the command again",
    );
  const read = async (t: string) => (await readAnswersValue(t, file)) ?? {};
  let back: unknown;
  try {
    back = await read(after);
  } catch (e) {
    throw unreadableEdit(file, e);
  }
  refuseDifferentAnswers(back, intended === undefined ? await read(before) : intended, file);
}

/** The error for an edited answers file that would no longer read. */
export function unreadableEdit(file: string, e: unknown) {
  return validationError(
    `editing ${file} in place would leave it unreadable (${e instanceof Error ? e.message : String(e)}): nothing was written`,
    file,
    "make the change by hand in the file, then run the command again",
  );
}

/** Exit 2 when the answers an edited file reads back as are not exactly the intended ones. */
export function refuseDifferentAnswers(back: unknown, intended: unknown, file: string): void {
  const problem = answersDifference(back, intended);
  if (problem)
    throw validationError(
      `editing ${file} in place would not leave exactly the intended answers (${problem}): nothing was written`,
      file,
      "make the change by hand in the file (or write the answers involved as plain `key: value` lines), then run the command again",
    );
}

/** An answers file's value as the tool reads it: the small reader, else the YAML library. */
export async function readAnswersValue(text: string, file: string): Promise<unknown> {
  const simple = parseSimpleYaml(text, file);
  if (simple !== undefined) return simple.value;
  return (await import("./answers-file.js")).answersValue(text, file);
}
