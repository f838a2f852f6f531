import { parseArgs as tokenize } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { didYouMean, distance, usageError } from "../core/errors.js";
import { flagName, type Given } from "../core/answers.js";
import type { Question } from "../core/types.js";
import { toolCommand } from "../product.js";
import { COMMANDS, OPTIONS, type Command, type OptionSpec } from "./options.js";

export { COMMANDS, type Command } from "./options.js";

export interface ParsedArgs {
  command: Command;
  target?: string;
  /** Positional arguments after the target (diff: the files to show). */
  rest: string[];
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
    verbose: boolean;
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
    /** check: generated files under .github/ must be exactly as generated; the state must list only generated files. */
    strictWorkflows: boolean;
    addWorkflow: boolean;
    help: boolean;
    version: boolean;
  };
  /** Answers given as question flags, by answer key. */
  answers: Record<string, Given>;
}

const BOOL = /^(true|false|yes|no)$/i;
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parse argv. Without `questions` only the command and global flags are read (to find the pack);
 * with them, every token must be understood or it is an error with a suggestion.
 * `node:util` parseArgs, configured from the declared options (options.ts) and the pack's
 * questions, splits the tokens; the checks and messages are ours.
 */
export function parseArgs(argv: readonly string[], questions?: readonly Question[], cwd?: string): ParsedArgs {
  const out: ParsedArgs = {
    command: "create",
    rest: [],
    flags: {
      yes: false,
      set: [],
      trust: false,
      dryRun: false,
      json: false,
      verbose: false,
      force: false,
      skipExisting: false,
      reconfigure: false,
      restore: false,
      allowDirty: false,
      strict: false,
      strictWorkflows: false,
      addWorkflow: false,
      help: false,
      version: false,
    },
    answers: {},
  };
  const args = [...argv];
  const first = args[0];
  if (first !== undefined && !first.startsWith("-")) {
    if ((COMMANDS as readonly string[]).includes(first)) out.command = args.shift() as Command;
    else {
      // `create-pipeline updat` is a typo, not a new folder named updat.
      const near = mistypedFirst(argv, cwd);
      if (near)
        throw usageError(
          `unknown command '${first}': did you mean ${near}?`,
          first,
          `run ${toolCommand()} ${near}; to create into a folder named '${first}', write ./${first}`,
        );
    }
  }
  const byFlag = new Map((questions ?? []).map((q) => [flagName(q), q]));
  // An output-only option gives way to a pack question of the same name (--verbose in a pack
  // that asks "verbose"); every other option wins, and the question is answered with --set.
  const options = OPTIONS.filter((o) => !(o.yields && byFlag.has(o.name)));
  const config: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const o of options)
    config[o.name] = { type: o.value ? "string" : "boolean", ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  for (const [flag, q] of byFlag) {
    if (config[flag]) continue;
    config[flag] = { type: q.type === "confirm" ? "boolean" : "string" };
    if (q.type === "confirm" && !config[`no-${flag}`]) config[`no-${flag}`] = { type: "boolean" };
  }
  const { tokens } = tokenize({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  const allFlags = () => [...options.filter((o) => !o.commands || o.commands.includes(out.command)).map((o) => o.name), ...byFlag.keys()];
  const declared = new Map<string, OptionSpec>(options.map((o) => [o.name, o]));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "option-terminator") continue;
    if (t.kind === "positional") {
      addPositional(out, t.value);
      continue;
    }
    const name = t.name;
    const tok = args[t.index]!;
    const next = tokens[i + 1];
    const nextPositional = next?.kind === "positional" && next.index === t.index + 1 ? next.value : undefined;
    const value = (): string => {
      // parseArgs takes the next argument whatever it is: `--config --json` is a missing value.
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--") && t.value.length > 2))
        throw usageError(`option --${name} needs a value`, `--${name}`, `write --${name} <value>`);
      return t.value;
    };
    if (t.rawName.startsWith("-") && !t.rawName.startsWith("--") && !declared.get(name)?.short)
      throw usageError(`unknown option '${t.rawName}'`, t.rawName, "run with --help to see the options");
    const g = declared.get(name);
    if (g) {
      if (g.commands && !g.commands.includes(out.command))
        throw usageError(
          `option --${name} is for ${g.commands.join("/")}, not ${out.command}`,
          `--${name}`,
          `drop it; \`${toolCommand()} ${out.command} --help\` lists what ${out.command} takes`,
        );
      if (g.value) {
        const v = value();
        if (g.multiple) (out.flags as unknown as Record<string, string[]>)[camel(name)]!.push(v);
        else (out.flags as unknown as Record<string, string>)[camel(name)] = v;
      } else {
        if (t.inlineValue) throw usageError(`option --${name} takes no value`, tok);
        (out.flags as unknown as Record<string, boolean>)[camel(name)] = true;
      }
      continue;
    }
    if (!questions) {
      // First pass: skip what may be a question flag and its value; the second pass checks it.
      if (!t.inlineValue && nextPositional !== undefined && !nextPositional.startsWith("-")) {
        (out.maybeTarget ??= []).push(nextPositional);
        i++;
      }
      continue;
    }
    const neg = name.startsWith("no-") ? byFlag.get(name.slice(3)) : undefined;
    if (neg && neg.type === "confirm") {
      if (t.inlineValue) throw usageError(`option --${name} takes no value`, tok);
      out.answers[neg.key] = { value: false, where: `--${name}` };
      continue;
    }
    const q = byFlag.get(name);
    if (!q) {
      const near = didYouMean(name, allFlags());
      const help = `\`${toolCommand()} ${out.command} --help\` lists ${byFlag.size ? "its options and the template pack's answer flags" : "its options"}`;
      throw usageError(`unknown option '--${name}'`, tok, near ? `did you mean '--${near}'?` : help);
    }
    if (q.type === "confirm") {
      if (t.inlineValue) out.answers[q.key] = { value: t.value, where: `--${name}` };
      else if (nextPositional !== undefined && BOOL.test(nextPositional)) {
        out.answers[q.key] = { value: nextPositional, where: `--${name}` };
        i++;
      } else out.answers[q.key] = { value: true, where: `--${name}` };
    } else {
      out.answers[q.key] = { value: value(), where: `--${name}` };
    }
  }
  return out;
}

/** Other tools' words for a command: `upgrade` is update, not a folder named upgrade. */
const SYNONYMS: Record<string, Command> = { upgrade: "update", init: "create", new: "create", status: "check", verify: "check" };

/**
 * The command a first argument was probably meant to be: another tool's word for it (upgrade,
 * init, new, status, verify), or one edit away (two for longer words), so that a folder named
 * like a word ("date", "checkout") is still a folder.
 */
export function mistypedCommand(word: string): Command | undefined {
  if (/[/\\.]/.test(word)) return undefined;
  const w = word.toLowerCase();
  if (Object.hasOwn(SYNONYMS, w)) return SYNONYMS[w];
  let best: Command | undefined;
  let bestD = Infinity;
  for (const c of COMMANDS) {
    const d = distance(w, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  // "Check" is a command written with a capital, not a folder to create.
  return word !== best && bestD <= (w.length >= 6 ? 2 : 1) ? best : undefined;
}

/**
 * The command a first argument that is none was probably meant to be (see mistypedCommand),
 * unless a folder of that name is there (then it is create's target). The --json envelope of
 * such a run names no command ("unknown"), never the create it did not run.
 */
export function mistypedFirst(argv: readonly string[], cwd?: string): Command | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith("-") || (COMMANDS as readonly string[]).includes(first)) return undefined;
  const near = mistypedCommand(first);
  return near && !(cwd !== undefined && existsSync(join(cwd, first))) ? near : undefined;
}

function addPositional(out: ParsedArgs, tok: string): void {
  if (out.target === undefined) out.target = tok;
  else if (out.command === "diff" || out.command === "help") out.rest.push(tok);
  else
    throw usageError(
      `unexpected argument '${tok}' (the target folder is already '${out.target}')`,
      tok,
      "give one target folder; quote values that contain spaces",
    );
}

/** `--set key=value` pairs into given answers. */
export function parseSets(sets: readonly string[]): Record<string, Given> {
  const out: Record<string, Given> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw usageError(`--set '${s}' is not key=value`, `--set ${s}`, "write --set key=value, e.g. --set port=8080");
    const key = s.slice(0, eq);
    const raw = s.slice(eq + 1);
    // Names of an object's own machinery are no answer of any pack: `__proto__` would set the
    // answers' prototype and vanish without a word.
    if (key === "__proto__" || key === "constructor" || key === "prototype")
      throw usageError(`--set ${s}: '${key}' is not an answer key`, `--set ${s}`, "use a key of the pack's questions (help lists them), e.g. --set port=8080");
    out[key] = { value: raw, where: `--set ${s}` };
  }
  return out;
}
