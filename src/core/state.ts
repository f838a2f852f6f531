import { isMap, isScalar, parseDocument, type Document } from "yaml";
import { didYouMean, PipelineError, validationError } from "./errors.js";
import { hashContent } from "./hash.js";
import { parseYamlSource } from "./yaml-source.js";
import type { Given } from "./answers.js";
import type { Answers, PackManifest, StateFile, Tree } from "./types.js";

/** The answers: human-editable, the file a team reads to know its pipeline. */
export const ANSWERS_FILE = ".create-pipeline.yaml";
/** Machine data: pack, versions, hashes, and the last generated content of managed files. */
export const STATE_FILE = ".create-pipeline/state.json";
export const BASE_FILE = ".create-pipeline/base.json";
export const SCHEMA_URL = (version: string) => `https://unpkg.com/create-pipeline@${version}/schema/answers.schema.json`;

const schemaLine = (toolVersion: string) => `# yaml-language-server: $schema=${SCHEMA_URL(toolVersion)}`;
const packLine = (packLabel: string) => `# The answers that define this repository's pipeline (template pack: ${packLabel}).`;

export function serializeAnswers(manifest: PackManifest, answers: Answers, toolVersion: string, packLabel: string): string {
  const ordered: Record<string, unknown> = {};
  for (const q of manifest.questions) if (q.key in answers) ordered[q.key] = answers[q.key];
  const header = [
    schemaLine(toolVersion),
    packLine(packLabel),
    "# Edit them and run `npx create-pipeline update` to regenerate; `npx create-pipeline check` tells CI whether files drifted.",
  ].join("\n");
  const body = Object.entries(ordered)
    .map(([k, v]) => (Array.isArray(v) ? `${k}:\n${v.map((i) => `  - ${yamlScalar(i)}`).join("\n")}` : `${k}: ${yamlScalar(v)}`))
    .join("\n");
  return `${header}\n${body}\n`;
}

/**
 * A scalar in YAML: plain when it reads back as the same string, else double-quoted (a JSON string
 * is a valid YAML double-quoted scalar). Answers are only strings, numbers, booleans and lists of
 * strings, so this small writer replaces the YAML library on the create path (start-up time).
 */
export function yamlScalar(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const s = String(v);
  const plain =
    /^[A-Za-z_/.][\w ./@+:=-]*$/.test(s) &&
    !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s) &&
    !/(: | #|:$|\s$)/.test(s) &&
    !/^[.]?[0-9]/.test(s);
  return plain ? s : JSON.stringify(s);
}

/**
 * The answers file with its header naming this tool version and pack, the rest left as the user
 * wrote it (an update that changes no answer must not reformat the file or drop its comments).
 */
export function refreshAnswersHeader(text: string, toolVersion: string, packLabel: string): string {
  return text
    .replace(/^# yaml-language-server: \$schema=https:\/\/unpkg\.com\/create-pipeline@[^/\s]+\/schema\/answers\.schema\.json(?=\r?$)/m, () => schemaLine(toolVersion))
    .replace(/^# The answers that define this repository's pipeline \(template pack: .*\)\.(?=\r?$)/m, () => packLine(packLabel));
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
  const doc = parseDocument(text) as unknown as Document;
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

export function makeState(
  tree: Tree,
  pack: { name: string; version: string; source: string; ref?: string },
  toolVersion: string,
  keep?: Readonly<Record<string, { owner: "managed" | "seed"; hash: string }>>,
): StateFile {
  const files: StateFile["files"] = {};
  for (const f of tree.values()) files[f.path] = { owner: f.owner, hash: hashContent(f.content) };
  // Files the user deleted (or that were kept on purpose) stay recorded so they stay deleted.
  for (const [p, v] of Object.entries(keep ?? {})) if (!(p in files)) files[p] = v;
  return { schemaVersion: 1, tool: toolVersion, pack: pack.ref ? pack : { name: pack.name, version: pack.version, source: pack.source }, files: sortKeys(files) };
}

export const serializeState = (s: StateFile) => `${JSON.stringify(s, null, 2)}\n`;

/** The last generated content of every managed file: the merge base for `update`. */
export function serializeBase(tree: Tree): string {
  const base: Record<string, string> = {};
  for (const f of tree.values()) if (f.owner === "managed") base[f.path] = f.content;
  return `${JSON.stringify(sortKeys(base), null, 1)}\n`;
}

export function parseState(text: string, file = STATE_FILE): StateFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new PipelineError("validation", `${file} is not valid JSON: ${(e as Error).message}`, { where: file, hint: "restore it from git (git checkout -- .create-pipeline/)" });
  }
  const s = v as StateFile;
  if (!s || s.schemaVersion !== 1 || typeof s.pack?.name !== "string" || typeof s.files !== "object")
    throw new PipelineError("validation", `${file} is not a create-pipeline state file`, { where: file, hint: "restore it from git, or run create again with --force" });
  return s;
}

export function parseBase(text: string, file = BASE_FILE): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    /* fall through */
  }
  throw new PipelineError("validation", `${file} is damaged`, { where: file, hint: "restore it from git (git checkout -- .create-pipeline/)" });
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
