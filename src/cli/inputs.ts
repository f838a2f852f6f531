import { resolve } from "node:path";
import type { Given } from "../core/answers.js";
import { usageError, PipelineError } from "../core/errors.js";
import type { PackSource } from "../core/types.js";
import { describeSource, loadPack, recordSource, resolveSource, type LoadedPack } from "../io/pack-loader.js";
import { parseArgs, parseSets, type ParsedArgs } from "./args.js";
import { interactive, type CliIo } from "./io.js";
import { isKnown, rememberTrust, trustOf, type TrustState } from "../io/trust.js";
import { readRegularFile } from "../io/read.js";

/** Load the pack named by --template (or recorded in the state file), asking for trust if remote or changed. */
export async function openPack(io: CliIo, args: ParsedArgs, recorded?: PackSource): Promise<LoadedPack> {
  const fromRecord = args.flags.template === undefined && recorded !== undefined;
  const source = fromRecord ? recorded : await resolveSource(args.flags.template, io.cwd);
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
  const decide = async (trust: TrustState) => {
    const where = describeSource(source);
    const why =
      trust === "changed"
        ? `the local template pack '${where}' changed since you trusted it on this machine (its templates run JavaScript): it is not run without your say`
        : `this repository's state names the local template pack '${where}', and a pack's templates run JavaScript: it is not run without your say`;
    if (!interactive(io, args.flags))
      throw usageError(
        why,
        "--template",
        `review ${trust === "changed" ? "what changed in it" : "it"}, then pass --trust or name it yourself (--template ${where}); either way its current content is trusted on this machine from then on`,
      );
    const p = await io.prompter();
    const ok = await p.confirm(
      trust === "changed"
        ? `The local template pack ${where} changed since you trusted it (its templates run JavaScript). Use it as it is now?`
        : `This repository uses the local template pack ${where} (its templates run JavaScript). Use it?`,
      false,
    );
    if (!ok) throw new PipelineError("cancelled", "cancelled: the template pack was not trusted; nothing was written");
  };
  // A local pack named on this command line is the user's choice; one named only by the
  // repository's state file is not (a pull request can change it). Trust covers the content
  // that was trusted: a pack changed since then is asked about again.
  const chosen = source.kind === "local" && (!fromRecord || args.flags.trust);
  if (source.kind === "local" && !chosen && !isKnown(io.env, source.path)) await decide("unknown");
  // Loading reads and checks the pack; none of its code runs before the decision below.
  const loaded = await loadPack(source);
  if (source.kind !== "local") return loaded;
  try {
    const trust = chosen ? "trusted" : trustOf(io.env, source.path, loaded.pack);
    if (trust === "changed") await decide(trust);
    if (trust !== "trusted" || chosen) rememberTrust(io.env, source.path, loaded.pack);
    return loaded;
  } catch (e) {
    await loaded.cleanup();
    throw e;
  }
}

/** Answers given on the command line and in --config; flags win over --set, which wins over the file. */
export async function givenAnswers(io: CliIo, argv: readonly string[], loaded: LoadedPack): Promise<{ args: ParsedArgs; given: Record<string, Given> }> {
  const args = parseArgs(argv, loaded.pack.manifest.questions, io.cwd);
  let fromFile: Record<string, Given> = {};
  if (args.flags.config !== undefined) {
    const file = resolve(io.cwd, args.flags.config);
    let text: string;
    try {
      text = readRegularFile(file, "config file");
    } catch (e) {
      if (e instanceof PipelineError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === "ENOENT"
          ? "not found"
          : code === "EACCES" || code === "EPERM"
            ? "cannot be read (permission denied)"
            : code === "ENOTDIR"
              ? "not found (a part of its path is not a folder)"
              : `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
      throw usageError(
        `config file '${args.flags.config}' ${why}`,
        file,
        `--config is read from the current folder (${io.cwd}): give the path of a YAML or JSON answers file${code === "ENOENT" ? " that exists" : " you can read"}`,
      );
    }
    const { readAnswersFile } = await import("../core/answers-read.js");
    fromFile = await readAnswersFile(text, args.flags.config, loaded.pack.manifest);
    // Given for this command, as a flag is (the constraints see a value the answers do not use).
    for (const g of Object.values(fromFile)) g.explicit = true;
  }
  return { args, given: { ...fromFile, ...commandLineAnswers(args) } };
}

/** The answers given on the command line: --set and the answer flags. One answer given two
 * different values there (`--set port=8080 --port 9090`) is refused, naming both: neither is
 * quietly the one that counts. */
export function commandLineAnswers(args: ParsedArgs): Record<string, Given> {
  const sets = parseSets(args.flags.set);
  for (const [key, flag] of Object.entries(args.answers)) {
    const set = sets[key];
    if (set !== undefined && String(set.value) !== String(flag.value))
      throw usageError(
        `${key} is given two values: ${set.where} and ${flag.where} ${String(flag.value)}`,
        flag.where,
        `give ${key} once (keep ${flag.where} or ${set.where})`,
      );
  }
  return { ...sets, ...args.answers };
}

/** The pack as named in messages; with a target, as recorded there (a local folder relative to it, never a home path). */
export const packLabel = (loaded: LoadedPack, target?: string) =>
  `${loaded.pack.manifest.name}@${loaded.pack.manifest.version} (${target !== undefined ? recordSource(loaded.pack.source, target) : describeSource(loaded.pack.source)})`;
