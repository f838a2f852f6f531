import { toolCommand } from "../product.js";
import { PipelineError } from "./errors.js";
import { hashContent } from "./hash.js";
import { unsafePath } from "./paths.js";
import type { Answers, PackManifest, StateFile, Tree } from "./types.js";

/** The fix for a damaged or edited file of the tool's own folder. */
export const RESTORE_FROM_GIT = "restore it from git (`git checkout -- .create-pipeline/`)";

/** The answers: human-editable, the file a team reads to know its pipeline. */
export const ANSWERS_FILE = ".create-pipeline.yaml";
/** Machine data: pack, versions, hashes, and the last generated content of managed files. */
export const STATE_FILE = ".create-pipeline/state.json";
export const BASE_FILE = ".create-pipeline/base.json";
/**
 * The JSON Schema of the answers file, written beside the state on every create and update so the
 * answers file's editor hint works offline and always describes the pack that wrote the file
 * (yaml-language-server resolves a relative `$schema` against the YAML file's folder).
 */
export const SCHEMA_FILE = ".create-pipeline/answers.schema.json";

export const schemaLine = () => `# yaml-language-server: $schema=./${SCHEMA_FILE}`;
export const editLine = (toolVersion: string) =>
  `# Edit them and run \`${toolCommand(toolVersion)} update\` to regenerate; \`${toolCommand(toolVersion)} check\` tells CI whether files drifted.`;
/** A label inside a comment line: control characters (a newline in a path) are escaped, so they cannot start a line of YAML. */
// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
export const packLine = (packLabel: string) => `# The answers that define this repository's pipeline (template pack: ${oneLine(packLabel)}).`;

export function serializeAnswers(manifest: PackManifest, answers: Answers, toolVersion: string, packLabel: string): string {
  const ordered: Record<string, unknown> = {};
  for (const q of manifest.questions) if (q.key in answers) ordered[q.key] = answers[q.key];
  const header = [schemaLine(), packLine(packLabel), editLine(toolVersion)].join("\n");
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
    !/^[.]?[0-9]/.test(s) &&
    !/^\.(?:inf|nan)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

export function makeState(
  tree: Tree,
  pack: { name: string; version: string; source: string; ref?: string },
  toolVersion: string,
  keep?: Readonly<Record<string, { owner: "managed" | "seed"; hash: string }>>,
  answers?: Answers,
  origins?: StateFile["origins"],
  services?: StateFile["services"],
): StateFile {
  const files: StateFile["files"] = {};
  for (const f of tree.values()) files[f.path] = { owner: f.owner, hash: hashContent(f.content) };
  // Files the user deleted (or that were kept on purpose) stay recorded so they stay deleted.
  for (const [p, v] of Object.entries(keep ?? {})) if (!(p in files)) files[p] = v;
  return {
    schemaVersion: 1,
    tool: toolVersion,
    pack: pack.ref ? pack : { name: pack.name, version: pack.version, source: pack.source },
    ...(answers ? { answers } : {}),
    ...(origins && Object.keys(origins).length ? { origins } : {}),
    ...(services ? { services } : {}),
    files: sortKeys(files),
  };
}

/** The origins worth keeping in the state: every answer that was not given, with where a detected one came from. */
export function stateOrigins(
  origins: Readonly<Record<string, "given" | "detected" | "default">>,
  from: Readonly<Record<string, string>> = {},
): StateFile["origins"] {
  const out: NonNullable<StateFile["origins"]> = {};
  for (const [k, o] of Object.entries(origins)) if (o !== "given") out[k] = { origin: o, ...(o === "detected" && from[k] ? { from: from[k] } : {}) };
  return out;
}

/**
 * Where the answers of a repository came from, read back: an answer still equal to the value the
 * state recorded keeps its recorded origin (detected, default); anything else was given (the
 * answers file edited, a flag). `settled` holds the origins of answers settled this run (a new
 * question's default).
 */
export function recordedOrigins(
  state: StateFile,
  answers: Answers,
  settled: Readonly<Record<string, string>>,
  flags: ReadonlySet<string>,
): { origins: Record<string, "given" | "detected" | "default">; from: Record<string, string> } {
  const origins: Record<string, "given" | "detected" | "default"> = {};
  const from: Record<string, string> = {};
  for (const [k, v] of Object.entries(answers)) {
    const now = settled[k];
    if (now === "detected" || now === "default") origins[k] = now;
    else {
      const rec = state.origins?.[k];
      const unchanged = rec !== undefined && !flags.has(k) && state.answers !== undefined && JSON.stringify(state.answers[k]) === JSON.stringify(v);
      origins[k] = unchanged && (rec.origin === "detected" || rec.origin === "default") ? rec.origin : "given";
      if (unchanged && rec.origin === "detected" && typeof rec.from === "string") from[k] = rec.from;
    }
  }
  return { origins, from };
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
    throw new PipelineError("validation", `${file} is not valid JSON: ${(e as Error).message}`, {
      where: file,
      hint: RESTORE_FROM_GIT,
    });
  }
  const s = v as StateFile;
  if (
    !s ||
    typeof s !== "object" ||
    s.schemaVersion !== 1 ||
    typeof s.pack !== "object" ||
    s.pack === null ||
    typeof s.pack.name !== "string" ||
    typeof s.pack.version !== "string" ||
    typeof s.pack.source !== "string" ||
    typeof s.files !== "object" ||
    s.files === null ||
    Array.isArray(s.files)
  )
    throw new PipelineError("validation", `${file} is not a create-pipeline state file`, {
      where: file,
      hint: `restore it from git, or run \`${toolCommand()} create --force\``,
    });
  // Every path in it is checked like a rendered path: a crafted entry must not make update read,
  // move or delete anything outside the target (or inside .git).
  for (const [p, e] of Object.entries(s.files)) {
    const problem = unsafePath(p);
    if (problem)
      throw new PipelineError("validation", `${file} lists an unsafe path '${p}': ${problem}`, {
        where: file,
        hint: `${RESTORE_FROM_GIT}; it was edited by hand or by someone else`,
      });
    if (!e || typeof e !== "object" || (e.owner !== "managed" && e.owner !== "seed") || typeof e.hash !== "string")
      throw new PipelineError("validation", `${file}: the entry for '${p}' is damaged (needs owner managed|seed and a hash)`, {
        where: file,
        hint: RESTORE_FROM_GIT,
      });
  }
  return s;
}

export function parseBase(text: string, file = BASE_FILE): Record<string, string> {
  let v: unknown;
  try {
    v = JSON.parse(text) as unknown;
  } catch {
    v = undefined;
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new PipelineError("validation", `${file} is damaged`, { where: file, hint: RESTORE_FROM_GIT });
  for (const [p, t] of Object.entries(v as Record<string, unknown>)) {
    const problem = unsafePath(p);
    if (problem)
      throw new PipelineError("validation", `${file} lists an unsafe path '${p}': ${problem}`, {
        where: file,
        hint: RESTORE_FROM_GIT,
      });
    if (typeof t !== "string")
      throw new PipelineError("validation", `${file}: the entry for '${p}' is not text`, {
        where: file,
        hint: RESTORE_FROM_GIT,
      });
  }
  return v as Record<string, string>;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
