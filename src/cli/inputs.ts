import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Given } from "../core/answers.js";
import { usageError, PipelineError } from "../core/errors.js";
import type { PackSource } from "../core/types.js";
import { describeSource, loadPack, resolveSource, type LoadedPack } from "../io/pack-loader.js";
import { parseArgs, parseSets, type ParsedArgs } from "./args.js";
import { interactive, type CliIo } from "./io.js";

/** Load the pack named by --template (or recorded in the state file), asking for trust if remote. */
export async function openPack(io: CliIo, args: ParsedArgs, recorded?: PackSource): Promise<LoadedPack> {
  const source = args.flags.template !== undefined || !recorded ? await resolveSource(args.flags.template, io.cwd) : recorded;
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

export const packLabel = (loaded: LoadedPack) => `${loaded.pack.manifest.name}@${loaded.pack.manifest.version} (${describeSource(loaded.pack.source)})`;
