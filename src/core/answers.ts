import { conditionKeys, decided, evaluate, describe } from "./conditions.js";
import { didYouMean, validationError, PipelineError } from "./errors.js";
import type { AnswerValue, Answers, DefaultSpec, Detected, PackManifest, Question } from "./types.js";

/** A value someone gave, and where it came from (for error messages). */
/** The longest text answer accepted, whatever the pack's own maxLength. */
export const MAX_ANSWER_LENGTH = 10_000;

/** C0 and C1 control characters, DEL and the Unicode line and paragraph separators. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
export const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

export interface Given {
  value: unknown;
  where: string;
  /** Given for this command in a file (`--config`): like a flag, a value for a question these
   * answers do not use is seen by the pack's constraints (an answer stored for later is not). */
  explicit?: boolean;
}

export const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const flagName = (q: Question) => q.flag ?? kebab(q.key);

export function flagUsage(q: Question): string {
  const f = `--${flagName(q)}`;
  switch (q.type) {
    case "confirm":
      return `${f} / --no-${flagName(q)}`;
    case "select":
      return `${f} <${(q.choices ?? []).map((c) => c.value).join("|")}>`;
    case "multiselect":
      return `${f} <${(q.choices ?? []).map((c) => c.value).join(",")}>`;
    case "number":
      return `${f} <number>`;
    default:
      return `${f} <value>`;
  }
}

/**
 * A DNS-1123 label usable as a Kubernetes object, Helm release and image name: lowercase ASCII
 * letters, digits and '-', starting and ending with a letter or digit, at most 53 characters
 * (Helm's release name limit). Accents are dropped; every other run of characters becomes one '-'.
 * May return "" (nothing usable).
 */
export function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 53)
    .replace(/-+$/, "");
}

/** Turn a raw value (flag text, YAML value, prompt result) into a valid answer, or throw saying why. */
export function coerce(q: Question, raw: unknown, where: string, answers?: Answers): AnswerValue {
  const bad = (msg: string, hint?: string): never => {
    throw validationError(`${q.key}: ${msg}`, where, hint);
  };
  const choices = (q.choices ?? []).map((c) => c.value);
  const checkChoice = (v: string): string => {
    if (choices.includes(v)) return v;
    const near = didYouMean(v, choices);
    return bad(`'${v}' is not one of ${choices.join(", ")}`, near ? `did you mean '${near}'? (${flagUsage(q)})` : `use ${flagUsage(q)}`);
  };
  switch (q.type) {
    case "confirm": {
      if (typeof raw === "boolean") return raw;
      const s = String(raw).toLowerCase();
      if (["true", "yes", "y", "1", "on"].includes(s)) return true;
      if (["false", "no", "n", "0", "off"].includes(s)) return false;
      return bad(`'${String(raw)}' is not a yes/no value`, `use --${flagName(q)} or --no-${flagName(q)}`);
    }
    case "number": {
      // A list or mapping is not a number, whatever String() makes of it ([8080] reads as 8080).
      if (typeof raw === "object" && raw !== null)
        return bad(`expected a whole number, got a ${Array.isArray(raw) ? "list" : "mapping"}`, "write the number itself, e.g. 8080");
      const n = typeof raw === "number" ? raw : /^\s*-?\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
      if (!Number.isInteger(n))
        return bad(
          `'${String(raw)}' is not a whole number`,
          q.min !== undefined || q.max !== undefined ? `use a whole number from ${q.min ?? "-∞"} to ${q.max ?? "∞"}` : "use a whole number",
        );
      if (q.min !== undefined && n < q.min) return bad(`${n} is below the minimum ${q.min}`, `use a value from ${q.min} to ${q.max ?? "∞"}`);
      if (q.max !== undefined && n > q.max) return bad(`${n} is above the maximum ${q.max}`, `use a value from ${q.min ?? "-∞"} to ${q.max}`);
      return n;
    }
    case "select":
      if (typeof raw !== "string" && typeof raw !== "number") return bad(`expected one of ${choices.join(", ")}`);
      return checkChoice(String(raw));
    case "multiselect": {
      if ((typeof raw === "object" && raw !== null && !Array.isArray(raw)) || (Array.isArray(raw) && raw.some((x) => typeof x === "object" && x !== null)))
        return bad(`expected a list of ${choices.join(", ")}`, `use ${flagUsage(q)}`);
      const items = Array.isArray(raw)
        ? raw.map(String)
        : String(raw)
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
      const picked = new Set(items.map(checkChoice));
      // Choice order is meaningful (environments are listed in promotion order).
      return choices.filter((c) => picked.has(c));
    }
    default: {
      if (typeof raw === "object" && raw !== null) return bad(`expected text, got a ${Array.isArray(raw) ? "list" : "mapping"}`);
      const s = String(raw ?? "");
      // A hard ceiling whatever the pack says: a huge answer is repeated into many files (memory, disk).
      if (s.length > MAX_ANSWER_LENGTH) return bad(`the answer is ${s.length} characters; answers are limited to ${MAX_ANSWER_LENGTH}`, "give a shorter value");
      // One line unless the pack says otherwise: a line break in a command would add a workflow
      // step or a Dockerfile instruction; other control characters are never meant.
      const ctl = (q.multiline ? CONTROL_MULTILINE : CONTROL).exec(s);
      if (ctl) {
        const c = ctl[0].codePointAt(0)!;
        const name = c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029 ? "a line break" : c === 9 ? "a tab" : "a control character";
        return bad(
          `contains ${name} (U+${c.toString(16).toUpperCase().padStart(4, "0")}) at character ${ctl.index + 1}; ${q.multiline ? "only line breaks and tabs are allowed" : "this answer is one line"}`,
          q.multiline
            ? "remove the control character"
            : "write it on one line (join commands with &&, or put them in a script in the repository and give its path)",
        );
      }
      for (const r of q.refuse ?? []) {
        // A refusal that depends on other answers applies once they are known (resolveAnswers passes them).
        if (r.when !== undefined && (answers === undefined || !evaluate(r.when, answers))) continue;
        if (new RegExp(r.pattern).test(s)) return bad(`'${s}' ${r.message}`, r.hint);
      }
      if (q.maxLength !== undefined && s.length > q.maxLength) {
        const slug = q.slug ? slugify(s) : undefined;
        return bad(`'${s}' is ${s.length} characters, at most ${q.maxLength} allowed`, slug ? `try '${slug}'` : undefined);
      }
      if (q.pattern !== undefined && !new RegExp(q.pattern).test(s)) {
        const slug = q.slug ? slugify(s) : undefined;
        return bad(
          `'${s}' is not valid: ${q.patternMessage ?? `must match ${q.pattern}`}`,
          slug && slug !== s ? `did you mean '${slug}'? (--${flagName(q)} ${slug})` : undefined,
        );
      }
      return s;
    }
  }
}

export type DefaultResult = { value: AnswerValue; source: "detected" | "default" } | undefined;

/** Work out a question's default from the answers so far (and where they came from) and what was detected. */
export function resolveDefault(q: Question, answers: Answers, detected: Detected, origins: Readonly<Record<string, string>> = {}): DefaultResult {
  const valid = (v: unknown): AnswerValue | undefined => {
    if (v === undefined || v === null) return undefined;
    try {
      return coerce(q, v, "default", answers);
    } catch {
      return undefined;
    }
  };
  const walk = (spec: DefaultSpec | undefined): DefaultResult => {
    if (spec === undefined) return undefined;
    if (typeof spec !== "object" || Array.isArray(spec)) {
      const v = valid(spec);
      return v === undefined ? undefined : { value: v, source: "default" };
    }
    if ("detect" in spec) {
      const v = valid(detected[spec.detect]);
      return v !== undefined ? { value: v, source: "detected" } : walk(spec.else);
    }
    if ("answer" in spec) {
      const v = valid(answers[spec.answer]);
      return v !== undefined ? { value: v, source: "default" } : walk(spec.else);
    }
    if ("switch" in spec) {
      const key = answers[spec.switch];
      const c = key === undefined ? undefined : spec.cases[String(key)];
      // Like detect, a case that gives no valid value falls through to else.
      return (c !== undefined ? walk(c) : undefined) ?? walk(spec.else);
    }
    if ("origin" in spec) {
      // An answer with no recorded origin (settled before this run) counts as given.
      const o = spec.origin in answers ? (origins[spec.origin] ?? "given") : undefined;
      const c = o === undefined ? undefined : spec.cases[o];
      return (c !== undefined ? walk(c) : undefined) ?? walk(spec.else);
    }
    // "{key}" reads an answer, "{detect.key}" a detected fact; "|lower" lower-cases the value.
    const text = spec.format.replace(/\{(detect\.)?([A-Za-z0-9]+)(\|lower)?\}/g, (_, d: string | undefined, k: string, lower: string | undefined) => {
      const v = String((d ? detected[k] : answers[k]) ?? "");
      return lower ? v.toLowerCase() : v;
    });
    const v = valid(text);
    return v === undefined ? walk(spec.else) : { value: v, source: "default" };
  };
  return walk(q.default);
}

export interface Asker {
  /** Ask one question; return the raw answer. */
  ask(q: Question, def: DefaultResult, answers: Answers): Promise<unknown>;
}

export interface ResolveOptions {
  given: Readonly<Record<string, Given>>;
  /** Facts about the target, or how to find them: then they are read only if a default needs them. */
  detected: Detected | (() => Promise<Detected>);
  /** Interactive only: asked for every active, non-advanced question without a given answer. */
  asker?: Asker;
  /** Advanced questions the asker is asked about too (the facts a wizard step shows). */
  askAdvanced?: ReadonlySet<string>;
  /** Questions that may stay unanswered here (a repository's shared answers: each service settles its own). */
  optional?: ReadonlySet<string>;
}

export interface Resolved {
  answers: Answers;
  /** Where each answer came from, for summaries. */
  sources: Record<string, "given" | "detected" | "default" | "asked">;
  /** Given values for questions that are not active with these answers. */
  ignored: string[];
}

/**
 * Settle every answer: given values are checked, the rest asked (interactive) or defaulted.
 * Questions are walked in order so later defaults and conditions see earlier answers.
 */
export async function resolveAnswers(manifest: PackManifest, opts: ResolveOptions): Promise<Resolved> {
  const answers: Record<string, AnswerValue> = {};
  const sources: Resolved["sources"] = {};
  const missing: Question[] = [];
  const known = new Set(manifest.questions.map((q) => q.key));
  for (const key of Object.keys(opts.given)) {
    if (!known.has(key)) {
      const near = didYouMean(key, [...known]);
      throw validationError(`unknown answer '${key}'`, opts.given[key]!.where, near ? `did you mean '${near}'?` : `known answers: ${[...known].join(", ")}`);
    }
  }
  let detected = opts.detected;
  // The asking order; when prompting, a question comes as soon as what it reads is settled and its
  // condition is decided, declared order first: a registry's details (AWS account: registry is ecr,
  // or cluster is eks) come right after the registry, not after a later answer their condition
  // also reads. The answers are the same in either order.
  const pending = [...askingOrder(manifest.questions)];
  const settled = new Set<string>();
  const isSettled = (k: string) => settled.has(k) || !known.has(k);
  const ready = (q: Question) => readsOf(q).every(isSettled) && decided(q.when, answers, isSettled) !== undefined;
  let last: Question | undefined;
  const next = (): Question | undefined => {
    if (last) settled.add(last.key);
    if (pending.length === 0) return undefined;
    const early = opts.asker ? manifest.questions.find((q) => !settled.has(q.key) && ready(q)) : undefined;
    const i = early ? Math.max(0, pending.indexOf(early)) : 0;
    last = pending.splice(i, 1)[0]!;
    return last;
  };
  // Values given on the command line (flags, --set, a --config file) for questions these answers
  // do not use: the pack's constraints see them, so that a value that would do nothing can be
  // refused, not dropped.
  const unused: Unused = { values: {}, where: {} };
  for (let q = next(); q; q = next()) {
    const g = opts.given[q.key];
    if (!evaluate(q.when, answers)) {
      // Not used now, but kept in the answers file, where it is used as soon as its condition
      // holds: a value given for it is checked (type, refusals, pattern) all the same.
      if (g !== undefined) {
        const value = coerce(q, g.value, g.where, answers);
        if (g.where.startsWith("--") || g.explicit) {
          unused.values[q.key] = value;
          unused.where[q.key] = g.where;
        }
      }
      continue;
    }
    if (g !== undefined) {
      answers[q.key] = coerce(q, g.value, g.where, answers);
      sources[q.key] = "given";
      continue;
    }
    if (typeof detected === "function") detected = readsDetection(q.default) ? await detected() : detected;
    const def = resolveDefault(q, answers, typeof detected === "function" ? {} : detected, sources);
    if (opts.asker && (!q.advanced || opts.askAdvanced?.has(q.key))) {
      const raw = await opts.asker.ask(q, def, answers);
      answers[q.key] = coerce(q, raw, "prompt", answers);
      // Accepting the offered default keeps its origin visible in summaries ("detected").
      sources[q.key] = def && JSON.stringify(def.value) === JSON.stringify(answers[q.key]) ? def.source : "asked";
    } else if (def !== undefined) {
      answers[q.key] = def.value;
      sources[q.key] = def.source;
    } else if (!opts.optional?.has(q.key)) {
      missing.push(q);
    }
  }
  if (missing.length > 0) {
    throw new PipelineError(
      "validation",
      `missing required answer${missing.length > 1 ? "s" : ""}: ${missing.map((q) => `${q.key} (${q.message})`).join("; ")}`,
      { hint: `supply ${missing.map(flagUsage).join(", ")}, or put ${missing.length > 1 ? "them" : "it"} in --config answers.yaml` },
    );
  }
  checkConstraints(manifest, answers, unused);
  const ignored = Object.keys(opts.given).filter((k) => !(k in answers));
  return { answers, sources, ignored };
}

/** The answers a question's default and refusals read (its condition is decided apart). */
const readsCache = new WeakMap<Question, string[]>();
function readsOf(q: Question): string[] {
  let keys = readsCache.get(q);
  if (!keys) readsCache.set(q, (keys = [...defaultKeys(q.default), ...(q.refuse ?? []).flatMap((r) => conditionKeys(r.when))]));
  return keys;
}

/** Does a default read a detected fact ({ detect }, "{detect.key}"), at any depth? */
function readsDetection(spec: DefaultSpec | undefined): boolean {
  if (spec === undefined || typeof spec !== "object" || Array.isArray(spec)) return false;
  if ("detect" in spec) return true;
  if ("answer" in spec) return readsDetection(spec.else);
  if ("switch" in spec || "origin" in spec) return Object.values(spec.cases).some(readsDetection) || readsDetection(spec.else);
  return spec.format.includes("{detect.") || readsDetection(spec.else);
}

/** Answer keys a default reads ({ answer }, { switch }, "{key}" in a format), at any depth. */
export function defaultKeys(spec: DefaultSpec | undefined): string[] {
  if (spec === undefined || typeof spec !== "object" || Array.isArray(spec)) return [];
  if ("detect" in spec) return defaultKeys(spec.else);
  if ("answer" in spec) return [spec.answer, ...defaultKeys(spec.else)];
  if ("switch" in spec) return [spec.switch, ...Object.values(spec.cases).flatMap(defaultKeys), ...defaultKeys(spec.else)];
  if ("origin" in spec) return [spec.origin, ...Object.values(spec.cases).flatMap(defaultKeys), ...defaultKeys(spec.else)];
  return [...[...spec.format.matchAll(/\{(?!detect\.)([A-Za-z0-9]+)(?:\|lower)?\}/g)].map((m) => m[1]!), ...defaultKeys(spec.else)];
}

/**
 * Declared order, except that a question comes after the questions its `when` and default read:
 * a question declared before the one that enables it (AWS account before "cluster: eks") would
 * otherwise be skipped as inactive and never answered. Cycles keep the declared order.
 */
const orderOf = new WeakMap<readonly Question[], Question[]>();

export function askingOrder(questions: readonly Question[]): Question[] {
  // A repository of many services resolves the same manifest once per service: order it once.
  const cached = orderOf.get(questions);
  if (cached) return cached;
  const out = computeOrder(questions);
  orderOf.set(questions, out);
  return out;
}

function computeOrder(questions: readonly Question[]): Question[] {
  const keys = new Set(questions.map((q) => q.key));
  const deps = new Map(
    questions.map((q) => [
      q.key,
      new Set(
        [...conditionKeys(q.when), ...defaultKeys(q.default), ...(q.refuse ?? []).flatMap((r) => conditionKeys(r.when))].filter(
          (k) => k !== q.key && keys.has(k),
        ),
      ),
    ]),
  );
  const placed = new Set<string>();
  const out: Question[] = [];
  while (out.length < questions.length) {
    const next = questions.find((q) => !placed.has(q.key) && [...deps.get(q.key)!].every((k) => placed.has(k))) ?? questions.find((q) => !placed.has(q.key))!;
    placed.add(next.key);
    out.push(next);
  }
  return out;
}

/** Values given on the command line (`--flag`, `--set`, `--config`) for questions the answers do not use. */
export interface Unused {
  values: Record<string, AnswerValue>;
  where: Record<string, string>;
}

/**
 * The pack's constraints. They see the answers and, when given, the command line's values for
 * unused questions (answers win): a constraint that fails on such a value is reported where it
 * was given.
 */
export function checkConstraints(manifest: PackManifest, answers: Answers, unused?: Unused): void {
  const seen = unused ? { ...unused.values, ...answers } : answers;
  for (const c of manifest.constraints) {
    if (evaluate(c.when, seen) && !evaluate(c.require, seen)) {
      const flag = unused ? conditionKeys(c.require).find((k) => k in unused.where && !(k in answers)) : undefined;
      throw validationError(c.message, flag ? unused!.where[flag] : c.when ? `when ${describe(c.when)}` : undefined, c.hint);
    }
  }
}

/** `{key}` in a choice's hint, filled from the answers so far ("push to {defaultBranch}"); a key not answered stays as written. */
export function fillAnswers(text: string, answers: Answers): string {
  return text.replace(/\{([A-Za-z0-9]+)\}/g, (whole, k: string) => {
    const v = answers[k];
    return v === undefined ? whole : Array.isArray(v) ? v.join(", ") : String(v);
  });
}
