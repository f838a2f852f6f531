// Kept apart from services.ts, which reads YAML: a one-service create or update needs only this
// check, and loading the YAML library for it would cost every create its start-up time.
import type { Given } from "./answers.js";
import { usageError } from "./errors.js";
import type { Answers, PackManifest } from "./types.js";

/**
 * Whether an answers file lists several services: a top-level `services:` key, quoted or not,
 * on the first line after a byte-order mark too.
 */
export const isServicesAnswers = (text: string) => /^\uFEFF?(?:services|"services"|'services')[ \t]*:/m.test(text);

/** A one-service render refuses an answer that only a repository of several services supports so far. */
export function refuseServicesOnly(manifest: PackManifest, answers: Answers, where?: Record<string, Given>): void {
  for (const k of manifest.services?.only ?? []) {
    const v = answers[k];
    if (v === undefined || v === "" || v === false || (Array.isArray(v) && v.length === 0)) continue;
    throw usageError(
      `${k} is supported for a repository of several services only, so far (${k}: ${JSON.stringify(v)})`,
      where?.[k]?.where ?? k,
      `leave ${k} empty here, or set up the repository with a services list (create --services <folder>)`,
    );
  }
}
