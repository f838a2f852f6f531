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

/** The first answer given that only a repository of several services supports so far, if any. */
export function servicesOnlyAnswer(manifest: PackManifest, answers: Answers): string | undefined {
  for (const k of manifest.services?.only ?? []) {
    const v = answers[k];
    if (v === undefined || v === "" || v === false || (Array.isArray(v) && v.length === 0)) continue;
    return k;
  }
  return undefined;
}

/**
 * A one-service render refuses an answer that only a repository of several services supports so
 * far; `command` is the create command that sets the repository up as one of one service.
 */
export function refuseServicesOnly(manifest: PackManifest, answers: Answers, where?: Record<string, Given>, command?: string): void {
  const k = servicesOnlyAnswer(manifest, answers);
  if (k === undefined) return;
  const v = answers[k];
  const flag = where?.[k]?.where ?? k;
  const again = command
    ? `\`${command} --services .${flag.startsWith("--") ? ` ${flag} ${JSON.stringify(v).replace(/^"(.*)"$/, "$1")}` : ""}\``
    : "create --services <folder>";
  throw usageError(
    `${k} is supported for a repository of several services only, so far (${k}: ${JSON.stringify(v)})`,
    flag,
    `set it up as a repository of one service (its root holds the service's code): ${again}; or leave ${k} empty`,
  );
}
