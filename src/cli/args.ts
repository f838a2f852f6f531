import { didYouMean, usageError } from "../core/errors.js";
import { flagName, type Given } from "../core/answers.js";
import type { Question } from "../core/types.js";

export const COMMANDS = ["create", "update", "check", "add", "schema", "help"] as const;
export type Command = (typeof COMMANDS)[number];

/** Flags every command understands (value: takes an argument). */
const GLOBAL: Record<string, { value: boolean; short?: string; commands?: Command[] }> = {
  yes: { value: false, short: "y" },
  config: { value: true },
  set: { value: true },
  template: { value: true },
  trust: { value: false },
  "dry-run": { value: false },
  json: { value: false },
  force: { value: false, commands: ["create"] },
  "skip-existing": { value: false, commands: ["create"] },
  services: { value: true, commands: ["create"] },
  "config-repo-for": { value: true, commands: ["create"] },
  to: { value: true, commands: ["update"] },
  reconfigure: { value: false, commands: ["update"] },
  restore: { value: false, commands: ["update"] },
  "allow-dirty": { value: false, commands: ["update", "add"] },
  strict: { value: false, commands: ["check"] },
  "add-workflow": { value: false, commands: ["check"] },
  help: { value: false, short: "h" },
  version: { value: false, short: "v" },
};

export interface ParsedArgs {
  command: Command;
  target?: string;
  /** First pass only: tokens taken as a possible answer flag's value that may be the target instead. */
  maybeTarget?: string[];
  flags: {
    yes: boolean;
    config?: string;
    set: string[];
    template?: string;
    trust: boolean;
    dryRun: boolean;
    json: boolean;
    force: boolean;
    skipExisting: boolean;
    /** create: the service folders to include (comma-separated), in a repository of several services. */
    services?: string;
    /** create: lay out a GitOps config repository for the app repository in this folder. */
    configRepoFor?: string;
    to?: string;
    reconfigure: boolean;
    restore: boolean;
    allowDirty: boolean;
    strict: boolean;
    addWorkflow: boolean;
    help: boolean;
    version: boolean;
  };
  /** Answers given as question flags, by answer key. */
  answers: Record<string, Given>;
}

/**
 * Parse argv. Without `questions` only the command and global flags are read (to find the pack);
 * with them, every token must be understood or it is an error with a suggestion.
 */
export function parseArgs(argv: readonly string[], questions?: readonly Question[]): ParsedArgs {
  const shorts = Object.fromEntries(Object.entries(GLOBAL).filter(([, v]) => v.short).map(([k, v]) => [v.short!, k]));
  const byFlag = new Map((questions ?? []).map((q) => [flagName(q), q]));
  const out: ParsedArgs = {
    command: "create",
    flags: { yes: false, set: [], trust: false, dryRun: false, json: false, force: false, skipExisting: false, reconfigure: false, restore: false, allowDirty: false, strict: false, addWorkflow: false, help: false, version: false },
    answers: {},
  };
  const tokens = [...argv];
  if (tokens[0] && !tokens[0].startsWith("-") && (COMMANDS as readonly string[]).includes(tokens[0])) out.command = tokens.shift() as Command;
  const allFlags = () => [...Object.keys(GLOBAL), ...[...byFlag.keys()]];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === "--") {
      // Everything after `--` is positional (a target named like a flag); extra ones are errors, not dropped.
      for (const rest of tokens.slice(i + 1)) setTarget(out, rest);
      break;
    }
    if (!tok.startsWith("-") || tok === "-") {
      setTarget(out, tok);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (tok.startsWith("--")) {
      const eq = tok.indexOf("=");
      name = eq >= 0 ? tok.slice(2, eq) : tok.slice(2);
      inline = eq >= 0 ? tok.slice(eq + 1) : undefined;
    } else {
      const long = shorts[tok.slice(1)];
      if (!long) throw usageError(`unknown option '${tok}'`, tok, "run with --help to see the options");
      name = long;
    }
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = tokens[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) throw usageError(`option --${name} needs a value`, `--${name}`, `write --${name} <value>`);
      i++;
      return next;
    };
    const g = GLOBAL[name];
    if (g) {
      if (g.commands && !g.commands.includes(out.command))
        throw usageError(`option --${name} is for ${g.commands.join("/")}, not ${out.command}`, `--${name}`);
      if (g.value) {
        const v = takeValue();
        if (name === "set") out.flags.set.push(v);
        else (out.flags as unknown as Record<string, string>)[camel(name)] = v;
      } else {
        if (inline !== undefined) throw usageError(`option --${name} takes no value`, tok);
        (out.flags as unknown as Record<string, boolean>)[camel(name)] = true;
      }
      continue;
    }
    if (!questions) {
      // First pass: skip what may be a question flag and its value; the second pass checks it.
      if (inline === undefined && tokens[i + 1] !== undefined && !tokens[i + 1]!.startsWith("-")) {
        (out.maybeTarget ??= []).push(tokens[i + 1]!);
        i++;
      }
      continue;
    }
    const neg = name.startsWith("no-") ? byFlag.get(name.slice(3)) : undefined;
    if (neg && neg.type === "confirm") {
      if (inline !== undefined) throw usageError(`option --${name} takes no value`, tok);
      out.answers[neg.key] = { value: false, where: `--${name}` };
      continue;
    }
    const q = byFlag.get(name);
    if (!q) {
      const near = didYouMean(name, allFlags());
      throw usageError(`unknown option '--${name}'`, tok, near ? `did you mean '--${near}'?` : "run with --help to see the options of this template pack");
    }
    if (q.type === "confirm") {
      const nextIsBool = inline === undefined && /^(true|false|yes|no)$/i.test(tokens[i + 1] ?? "");
      out.answers[q.key] = { value: inline ?? (nextIsBool ? tokens[++i]! : true), where: `--${name}` };
    } else {
      out.answers[q.key] = { value: takeValue(), where: `--${name}` };
    }
  }
  return out;
}

function setTarget(out: ParsedArgs, tok: string): void {
  if (out.target !== undefined) throw usageError(`unexpected argument '${tok}' (the target folder is already '${out.target}')`, tok, "give one target folder; quote values that contain spaces");
  out.target = tok;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `--set key=value` pairs into given answers. */
export function parseSets(sets: readonly string[]): Record<string, Given> {
  const out: Record<string, Given> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw usageError(`--set '${s}' is not key=value`, `--set ${s}`, "write --set key=value, e.g. --set port=8080");
    const key = s.slice(0, eq);
    const raw = s.slice(eq + 1);
    out[key] = { value: raw, where: `--set ${s}` };
  }
  return out;
}
