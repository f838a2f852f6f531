// Data shapes shared by the whole engine. Everything here is plain, immutable data
// so the core can be tested (and property-tested) without a file system.

export type Scalar = string | number | boolean;
export type AnswerValue = Scalar | string[];
export type Answers = Readonly<Record<string, AnswerValue>>;
/** Facts found in the target repository (package.json, go.mod, ...). */
export type Detected = Readonly<Record<string, AnswerValue | undefined>>;

/** Conditions are data, never code: evaluated by `evaluate()` in conditions.ts. */
export type Condition =
  | { key: string; equals: Scalar }
  | { key: string; in: Scalar[] }
  | { key: string; includes: string } // multiselect contains the value
  | { key: string; truthy: true }
  | { key: string; matches: string } // a text answer matches a regular expression
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** A default: a literal, or derived from detection / other answers. */
export type DefaultSpec =
  | AnswerValue
  | { detect: string; else?: DefaultSpec }
  | { answer: string; else?: DefaultSpec }
  | { switch: string; cases: Record<string, DefaultSpec>; else?: DefaultSpec }
  // by where an earlier answer came from: "given", "detected", "default" (the pack's) or "asked"
  | { origin: string; cases: Record<string, DefaultSpec>; else?: DefaultSpec }
  // "{key}" placeholders read answers, "{detect.key}" detection; else: when the text is not a valid answer
  | { format: string; else?: DefaultSpec };

export type QuestionType = "text" | "number" | "select" | "multiselect" | "confirm";

export interface Choice {
  value: string;
  label?: string;
  hint?: string;
}

export interface Question {
  key: string;
  type: QuestionType;
  message: string;
  help?: string;
  group?: string;
  default?: DefaultSpec;
  choices?: Choice[];
  pattern?: string;
  patternMessage?: string;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Suggest a slug of the given value when the pattern fails (names). */
  slug?: boolean;
  /** Text may hold line breaks (and tabs). Without it a text answer is one line, no control characters. */
  multiline?: boolean;
  /** Text the answer must not contain, each with why and how to fix (e.g. `${{` in a command). */
  refuse?: Refusal[];
  /** Asked only when the condition holds; otherwise the answer is absent. */
  when?: Condition;
  /** Flag name without dashes; defaults to the kebab-case key. */
  flag?: string;
  /** Never prompted (derived or advanced); still settable by flag/config. */
  advanced?: boolean;
  /**
   * Where the interactive flow puts it: `facts` are shown together and confirmed in one step
   * (what detection finds), `main` are asked one by one (the choices that matter); the rest take
   * their recommended default unless the user asks to review them.
   */
  wizard?: "facts" | "main";
}

export interface Refusal {
  /** A regular expression; an answer it matches anywhere is refused. */
  pattern: string;
  /** What is wrong, completing "<key>: ..." */
  message: string;
  /** How to fix it. */
  hint?: string;
  /** Only when this holds for the answers before it (e.g. a rule for one language). */
  when?: Condition;
}

export interface Constraint {
  when?: Condition;
  require: Condition;
  message: string;
  /** How to fix it. */
  hint?: string;
}

export type Ownership = "managed" | "seed";

export interface FileRule {
  /** Glob over template paths relative to files/ (without .eta), e.g. ".github/workflows/codeql.yml", "charts/**". */
  match: string;
  when?: Condition;
  owner?: Ownership;
  /** Render once per item of a list answer; the item is `it[as]` and `{{as}}` in the path. */
  each?: { key: string; as: string };
}

export type Migration =
  | { appliesTo: string; renameFile: { from: string; to: string } }
  | { appliesTo: string; renameAnswer: { from: string; to: string } }
  | { appliesTo: string; dropAnswer: string }
  /** The pack stopped generating this file: across this version step, update may delete an untouched copy. */
  | { appliesTo: string; dropFile: string };

export interface PackManifest {
  name: string;
  version: string;
  /** semver range of create-pipeline versions that can render this pack */
  engine: string;
  description?: string;
  questions: Question[];
  constraints: Constraint[];
  files: FileRule[];
  migrations: Migration[];
  /** Next steps shown after create, rendered with eta like a file. */
  nextSteps?: string;
  /** How the pack renders a repository that holds several services (absent: one service only). */
  services?: ServicesSpec;
}

/**
 * A repository of several services: which questions are answered per service, which templates
 * are rendered once per service (inside its folder, or at the root with its name in the path),
 * and which once for the whole repository.
 */
export interface ServicesSpec {
  /** Question keys a service may override (the rest are the repository's, shared by all). */
  keys: string[];
  /** Globs over template paths rendered per service and written inside the service's folder. */
  inFolder: string[];
  /** Globs over template paths rendered per service and written at the repository root. */
  perService: string[];
  /** Folder under files/ of templates used only for a repository of several services (prefix dropped on output). */
  repository: string;
  /** Globs over single-service templates also rendered once at the root of such a repository. */
  shared: string[];
  /** Answers that have no effect on such a repository yet (left out of its answers file, and said so). */
  notYet: string[];
  /** Answers only such a repository supports so far: a one-service render refuses them when set. */
  only: string[];
}

/** An eta template function compiled ahead of time (as eta's compile() makes). */
export type PrecompiledTemplate = (this: unknown, it: object, options: object) => string;

/** A loaded pack: manifest plus its template sources, all in memory. */
export interface Pack {
  manifest: PackManifest;
  /** Where it came from, as recorded in the state file. */
  source: PackSource;
  /** template path (relative to files/, with .eta kept) -> text */
  files: ReadonlyMap<string, string>;
  /** partial name (file name without .eta under partials/) -> text */
  partials: ReadonlyMap<string, string>;
  /** data/*.yaml parsed, by base name */
  data: Readonly<Record<string, unknown>>;
  /** Set on the partial packs that render a repository of several services (src/core/services.ts). */
  servicesPart?: "service" | "repository";
  /**
   * Templates compiled at build time ("files/<path>", "partials/<name>", the next-steps text), for
   * built-in packs: eta template functions, called with the eta instance as `this`.
   */
  precompiled?: { get(key: string): PrecompiledTemplate | undefined };
}

export type PackSource = { kind: "builtin"; name: string } | { kind: "local"; path: string } | { kind: "git"; spec: string; ref?: string };

export interface RenderedFile {
  path: string;
  content: string;
  owner: Ownership;
  /** the template it came from, for error messages and reports */
  template: string;
}

export type Tree = ReadonlyMap<string, RenderedFile>;

export type PlanKind = "create" | "update" | "delete" | "keep" | "conflict" | "skip" | "merge";

export interface PlanEntry {
  path: string;
  kind: PlanKind;
  reason: string;
  /** New content to write (create/update/merge/conflict). */
  content?: string;
  /** What is on disk now, if anything (for diffs). */
  current?: string;
  owner?: Ownership;
  /** Path this file moves from (rename migrations). */
  from?: string;
  /** The user's copy differs from what was generated last time (a hand edit). */
  edited?: boolean;
  /**
   * A generated file under .github/ whose only edits are newer pins of the same actions (what
   * Dependabot writes): those bumps, for people (`actions/checkout v7.0.1 → v7.1.0`).
   */
  bumps?: string;
  /** The same bumps, one by one (check confirms each SHA against its version tag). */
  bumped?: import("./action-bumps.js").ActionBump[];
  /**
   * Listed in the state as generated, no longer generated, but nothing shows the tool wrote it
   * (not in the previous render or the merge base): kept, never deleted.
   */
  unproven?: boolean;
  /** check: the file on disk is not UTF-8 text; where its first such byte is ("line N, byte 0xXY"). */
  notUtf8?: string;
  /** Why it changes, for people: answers that moved (`port: 8000 → 8001`), the pack version step. */
  because?: string[];
}

export interface StateFile {
  schemaVersion: 1;
  tool: string;
  pack: { name: string; version: string; source: string; ref?: string };
  /** The answers the files were last generated from (so update can say which answers changed). */
  answers?: Answers;
  /**
   * The answers nobody gave: detected from the repository (with the file it was read from) or the
   * pack's default. Absent: given. An answer edited since then is given (its value no longer matches).
   */
  origins?: Record<string, { origin: "detected" | "default"; from?: string }>;
  /**
   * Several services: per service folder, the answers its files were last generated from and
   * those nobody gave (as `origins`); `answers` and `origins` above are then the shared ones.
   */
  services?: Record<string, { answers: Answers; origins?: Record<string, { origin: "detected" | "default"; from?: string }> }>;
  files: Record<string, { owner: Ownership; hash: string }>;
}
