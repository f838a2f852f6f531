import { stringify } from "yaml";
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

export function serializeAnswers(manifest: PackManifest, answers: Answers, toolVersion: string, packLabel: string): string {
  const ordered: Record<string, unknown> = {};
  for (const q of manifest.questions) if (q.key in answers) ordered[q.key] = answers[q.key];
  const header = [
    `# yaml-language-server: $schema=${SCHEMA_URL(toolVersion)}`,
    `# The answers that define this repository's pipeline (template pack: ${packLabel}).`,
    "# Edit them and run `npx create-pipeline update` to regenerate; `npx create-pipeline check` tells CI whether files drifted.",
  ].join("\n");
  return `${header}\n${stringify(ordered, { lineWidth: 0 })}`;
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
