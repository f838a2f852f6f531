// The one shape of every --json result, success or error, for every command.
// Its JSON Schema is docs/cli.schema.json; test/cli/json-envelope.test.ts validates every
// command's output against it. Bump SCHEMA_VERSION on any incompatible change.
import type { PipelineError } from "../core/errors.js";
import type { AnswerValue } from "../core/types.js";
import type { Origin } from "./wizard.js";

export const SCHEMA_VERSION = 1;

export interface FileJson {
  path: string;
  action: "create" | "update" | "merge" | "delete" | "keep" | "skip" | "conflict";
  reason: string;
  owner?: "managed" | "seed";
  edited?: boolean;
  /** Listed in the state, but nothing shows the tool generated it: kept, never deleted. */
  unproven?: boolean;
  from?: string;
  /** Why it changes: the answers that moved (`port: 8000 → 8001`) or the pack version step. */
  because?: string[];
  /** diff: the user's edits against the generated base (unified diff). */
  diff?: string;
}

export interface Problem {
  kind:
    | "drift"
    | "hand-edit"
    | "unresolved-conflict"
    | "conflict"
    | "clash"
    | "existing"
    | "unanswered"
    | "ignored"
    | "deleted"
    | "state-mismatch"
    | "not-utf8"
    | "symlink"
    | "no-check-workflow"
    | "unscoped-check-workflow";
  message: string;
  /** The file it is about (for "ignored": the answer key). */
  path?: string;
}

export interface AnswerChange {
  key: string;
  from?: AnswerValue;
  to?: AnswerValue;
}

/**
 * Several services: what changed for one service since its files were generated (`added` or
 * `removed` from the services list, or its resolved answers that differ).
 */
export interface ServiceChange {
  path: string;
  name?: AnswerValue;
  change?: "added" | "removed";
  answers: AnswerChange[];
}

/** The answers that differ between two sets (added, removed or changed), by key. */
export function answerChanges(prev: Record<string, unknown>, now: Record<string, unknown>): AnswerChange[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(now)])];
  return keys
    .filter((k) => !same(prev[k], now[k]))
    .map((k) => ({ key: k, ...(k in prev ? { from: prev[k] as AnswerValue } : {}), ...(k in now ? { to: now[k] as AnswerValue } : {}) }));
}

/**
 * Several services: each service whose own answers changed, or that was added or removed, from
 * the repository as resolved before to as resolved now (services that did not change are left out).
 */
export function changedServices(
  before: { services: { path: string; answers: Record<string, unknown> }[] },
  after: { services: { path: string; answers: Record<string, unknown> }[] },
  serviceKeys: readonly string[],
): ServiceChange[] {
  // A service's own answers (those a service may set): the shared ones are in `changes.answers`.
  const own = (a: Record<string, unknown>) => Object.fromEntries(serviceKeys.filter((k) => k in a).map((k) => [k, a[k]]));
  const ownChanges = (prev: Record<string, unknown>, now: Record<string, unknown>) => answerChanges(own(prev), own(now));
  const out: ServiceChange[] = [];
  const was = new Map(before.services.map((s) => [s.path, s]));
  for (const s of after.services) {
    const old = was.get(s.path);
    const name = s.answers.name as AnswerValue | undefined;
    if (!old) out.push({ path: s.path, ...(name !== undefined ? { name } : {}), change: "added", answers: ownChanges({}, s.answers) });
    else {
      const answers = ownChanges(old.answers, s.answers);
      if (answers.length) out.push({ path: s.path, ...(name !== undefined ? { name } : {}), answers });
    }
  }
  const now = new Set(after.services.map((s) => s.path));
  for (const s of before.services)
    if (!now.has(s.path)) {
      const name = s.answers.name as AnswerValue | undefined;
      out.push({ path: s.path, ...(name !== undefined ? { name } : {}), change: "removed", answers: ownChanges(s.answers, {}) });
    }
  return out;
}

export interface Envelope {
  schemaVersion: typeof SCHEMA_VERSION;
  ok: boolean;
  command: string;
  exitCode: number;
  dryRun?: boolean;
  target?: string;
  pack?: { name: string; version: string; source?: string; from?: string };
  /**
   * `from`: for a detected answer, the file (and what in it) it was read from; in an error, where a
   * given one was given. `note`: for a defaulted answer, why what was found was not taken.
   */
  answers?: Record<string, { value: AnswerValue; origin: Origin; from?: string; note?: string }>;
  /** update/check: what moved since the last generation. */
  changes?: { answers: AnswerChange[]; pack?: { from: string; to: string }; services?: ServiceChange[] };
  files?: FileJson[];
  problems?: Problem[];
  error?: { code: string; message: string; where?: string; hint?: string };
  /** Command-specific extras: create's next steps, schema's schema, version, help text. */
  nextSteps?: string;
  result?: unknown;
}

export function envelope(command: string, exitCode: number, rest: Omit<Envelope, "schemaVersion" | "ok" | "command" | "exitCode"> = {}): Envelope {
  return { schemaVersion: SCHEMA_VERSION, ok: exitCode === 0, command, exitCode, ...rest };
}

/** An error as the envelope's `error` field holds it. */
export const errorJson = (err: PipelineError) => ({
  code: err.code,
  message: err.message,
  ...(err.where ? { where: err.where } : {}),
  ...(err.hint ? { hint: err.hint } : {}),
});

/** An error with what the command knew when it failed: the pack and the answers given (origin "given", `from` where). */
export function errorEnvelope(command: string, exitCode: number, err: PipelineError): Envelope {
  const c = err.context;
  const answers =
    c?.answers && Object.keys(c.answers).length
      ? Object.fromEntries(Object.entries(c.answers).map(([k, g]) => [k, { value: jsonValue(g.value), origin: "given" as const, from: g.where }]))
      : undefined;
  return envelope(command, exitCode, {
    ...(c?.target ? { target: c.target } : {}),
    ...(c?.pack ? { pack: c.pack } : {}),
    ...(answers ? { answers } : {}),
    error: errorJson(err),
  });
}

/** A given value as the envelope holds answers: string, number, boolean or a list of strings. */
function jsonValue(v: unknown): AnswerValue {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return JSON.stringify(v);
}

export const printJson = (e: Envelope) => `${JSON.stringify(e, null, 2)}\n`;

export function answersJson(
  answers: Record<string, AnswerValue>,
  origins: Record<string, Origin>,
  from: Record<string, string> = {},
  notes: Record<string, string> = {},
): NonNullable<Envelope["answers"]> {
  return Object.fromEntries(
    Object.entries(answers).map(([k, v]) => {
      const origin = origins[k] ?? "given";
      return [
        k,
        { value: v, origin, ...(origin === "detected" && from[k] ? { from: from[k] } : {}), ...(origin === "default" && notes[k] ? { note: notes[k] } : {}) },
      ];
    }),
  );
}
