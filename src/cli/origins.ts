/**
 * Where each of a service's answers came from, as `create` prints it: detected (the file and what
 * in it), given, or defaulted (with why, when something found was not taken). One service and
 * each service of a repository of several.
 */
import type { AnswerValue } from "../core/types.js";
import { wrapText } from "./wrap.js";

/** The answers that describe the service itself, in the order they are shown. */
export const SERVICE_KEYS = [
  "language",
  "buildTool",
  "languageVersion",
  "packageManager",
  "packageManagerVersion",
  "imageDevDependencies",
  "javaPackaging",
  "javaFramework",
  "buildTarget",
  "runtimeAssets",
  "startCommand",
  "buildCommand",
  "lintCommand",
  "testCommand",
  "protocol",
  "port",
  "healthPath",
  "healthPort",
  "livenessPath",
  "readinessPath",
  "grpcHealth",
  "metricsPath",
  "metricsPort",
  "requestMetric",
  "defaultBranch",
  "repoUrl",
];

/** Answers whose default is another answer's value: said so when nothing better was found. */
const DEFAULTS_FROM: Record<string, string> = { livenessPath: "healthPath", readinessPath: "healthPath" };

export type AnswerOrigin = "given" | "detected" | "default";

/** What detection said about a folder: where each fact came from, and why something found was not taken. */
export interface DetectionSaid {
  from: Record<string, string>;
  notes: Record<string, string>;
  /** Values that are a framework's own default (nothing in the repository sets them): defaults, not detected. */
  defaulted?: Record<string, string> | undefined;
  /** A port written into the service's files that no environment variable moves (file:line and the fix). */
  fixedPort?: { port: number; where: string; fix: string } | undefined;
}

/**
 * A port written into the service's files that no environment variable moves (Ktor's
 * `port = 8080`), when the answered port is another: the chart would probe and route to a port
 * the service does not listen on. Said with where and the fix.
 */
export function fixedPortWarning(
  answers: Record<string, AnswerValue>,
  said: Pick<DetectionSaid, "fixedPort"> | undefined,
): { where: string; message: string } | undefined {
  const fixed = said?.fixedPort;
  if (fixed === undefined || answers.port === undefined || Number(answers.port) === fixed.port) return undefined;
  return {
    where: fixed.where,
    message: `the service listens on port ${fixed.port} whatever PORT says (${fixed.where}; no environment variable overrides it), but the answered port is ${String(answers.port)}: the chart's probes and Service would call ${String(answers.port)}. Fix: ${fixed.fix}; or answer --port ${fixed.port}`,
  };
}

/** The origins with a framework's own default (a server's default port) said as a default, not as detected. */
export function honestOrigins<O extends string>(
  origins: Record<string, O | AnswerOrigin>,
  said: Pick<DetectionSaid, "defaulted"> | undefined,
): Record<string, O | AnswerOrigin> {
  const d = said?.defaulted;
  if (d === undefined) return origins;
  return Object.fromEntries(Object.entries(origins).map(([k, o]) => [k, o === "detected" && d[k] !== undefined ? "default" : o]));
}

/** "[from <file>]", "[given]" or "[DEFAULT …; check it]" for one answer. */
export function originText(key: string, origin: AnswerOrigin | undefined, said: DetectionSaid): string {
  if (origin === "detected") return `from ${said.from[key] ?? "the repository"}`;
  if (origin === "default") {
    if (said.notes[key] !== undefined) return `DEFAULT: ${said.notes[key]}; check it`;
    if (DEFAULTS_FROM[key] !== undefined) return `DEFAULT: ${DEFAULTS_FROM[key]}'s value, nothing more specific found in the repository: check it`;
    return "DEFAULT, nothing found in the repository: check it";
  }
  return "given";
}

/** One line per service answer (the health and metrics ports only when they are ports of their own), wrapped to 80 columns. */
export function originLines(answers: Record<string, AnswerValue>, origins: Record<string, AnswerOrigin>, said: DetectionSaid, indent = 2): string[] {
  const pad = " ".repeat(indent);
  origins = honestOrigins(origins, said) as Record<string, AnswerOrigin>;
  const lines = SERVICE_KEYS.filter((k) => k in answers && ((k !== "healthPort" && k !== "metricsPort") || answers[k] !== 0)).map((k) => {
    const v = answers[k];
    const shown = v === "" ? "(none)" : String(v);
    return wrapText(`${pad}${k}: ${shown}  [${originText(k, origins[k], said)}]`, 80, indent + 2);
  });
  const fixed = fixedPortWarning(answers, said);
  if (fixed !== undefined) lines.push(wrapText(`${pad}WARNING: ${fixed.message}`, 80, indent + 2));
  return lines;
}
