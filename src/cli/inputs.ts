import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Given } from "../core/answers.js";
import { usageError, PipelineError } from "../core/errors.js";
import type { PackSource } from "../core/types.js";
import { describeSource, loadPack, recordSource, resolveSource, type LoadedPack } from "../io/pack-loader.js";
import { parseArgs, parseSets, type ParsedArgs } from "./args.js";
import { interactive, type CliIo } from "./io.js";
import { isTrusted, rememberTrust } from "../io/trust.js";

/** Load the pack named by --template (or recorded in the state file), asking for trust if remote. */
export async function openPack(io: CliIo, args: ParsedArgs, recorded?: PackSource): Promise<LoadedPack> {
  const fromRecord = args.flags.template === undefined && recorded !== undefined;
  const source = fromRecord ? recorded : await resolveSource(args.flags.template, io.cwd);
  // A local pack named on this command line is the user's choice; one named only by the
  // repository's state file is not (a pull request can change it): it needs --trust too.
  if (source.kind === "local" && (!fromRecord || args.flags.trust)) rememberTrust(io.env, source.path);
  if (source.kind === "local" && fromRecord && !args.flags.trust && !isTrusted(io.env, source.path)) {
    const where = describeSource(source);
    if (!interactive(io, args.flags))
      throw usageError(
        `this repository's state names the local template pack '${where}', and a pack's templates run JavaScript: it is not run without your say`,
        "--template",
        `review it, then pass --trust or name it yourself (--template ${where}); either way it is trusted on this machine from then on`,
      );
    const p = await io.prompter();
    const ok = await p.confirm(`This repository uses the local template pack ${where} (its templates run JavaScript). Use it?`, false);
    if (!ok) throw new PipelineError("cancelled", "cancelled: the template pack was not trusted; nothing was written");
    rememberTrust(io.env, source.path);
  }
  if (source.kind === "git" && !args.flags.trust) {
    if (!interactive(io, args.flags))
      throw usageError(
        `template pack '${source.spec}' comes from a remote repository and its templates run JavaScript`,
        "--template",
        "review it, then pass --trust to use it",
      );
    const p = await io.prompter();
    const ok = await p.confirm(`Template pack ${source.spec} is code from a remote repository (its templates run JavaScript). Use it?`, false);
    if (!ok) throw new PipelineError("cancelled", "cancelled: the remote template pack was not trusted; nothing was written");
  }
  return loadPack(source);
}

/** Answers given on the command line and in --config; flags win over --set, which wins over the file. */
export async function givenAnswers(io: CliIo, argv: readonly string[], loaded: LoadedPack): Promise<{ args: ParsedArgs; given: Record<string, Given> }> {
  const args = parseArgs(argv, loaded.pack.manifest.questions);
  let fromFile: Record<string, Given> = {};
  if (args.flags.config !== undefined) {
    const file = resolve(io.cwd, args.flags.config);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      throw usageError(`config file '${args.flags.config}' cannot be read`, "--config", "give the path of a YAML or JSON answers file");
    }
    const { parseAnswersFile } = await import("../core/answers-file.js");
    fromFile = parseAnswersFile(text, args.flags.config, loaded.pack.manifest);
  }
  return { args, given: { ...fromFile, ...parseSets(args.flags.set), ...args.answers } };
}

/** The pack as named in messages; with a target, as recorded there (a local folder relative to it, never a home path). */
export const packLabel = (loaded: LoadedPack, target?: string) =>
  `${loaded.pack.manifest.name}@${loaded.pack.manifest.version} (${target !== undefined ? recordSource(loaded.pack.source, target) : describeSource(loaded.pack.source)})`;
