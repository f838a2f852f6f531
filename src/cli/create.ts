import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Asker } from "../core/answers.js";
import { resolveAnswers, slugify } from "../core/answers.js";
import { PipelineError, usageError } from "../core/errors.js";
import { planCreate, writes, type ExistingPolicy } from "../core/plan.js";
import { render, renderText } from "../core/render.js";
import { ANSWERS_FILE, BASE_FILE, SCHEMA_FILE, STATE_FILE, makeState, serializeAnswers, serializeBase, serializeState } from "../core/state.js";
import type { PlanEntry } from "../core/types.js";
import { commit } from "../io/commit.js";
import { detect } from "../io/detect/index.js";
import { checkTarget, readFiles } from "../io/disk.js";
import { recordSource } from "../io/pack-loader.js";
import { PACKAGE_NAME, toolCommand } from "../product.js";
import { TOOL_VERSION } from "../version.js";
import { answersSchemaFile } from "../core/json-schema.js";
import type { ParsedArgs } from "./args.js";
import { displayPath, interactive, type CliIo } from "./io.js";
import { formatPlan, planJson, unifiedDiff } from "./report.js";
import { givenAnswers, openPack, packLabel } from "./inputs.js";
import type { LoadedPack } from "../io/pack-loader.js";
import type { Prompter } from "../io/prompter.js";
import { parseArgs, parseSets } from "./args.js";

/** create for a repository of several services, when the target is one; undefined otherwise. */
async function servicesCreateIfAny(io: CliIo, argv: readonly string[], first: ParsedArgs, loaded: LoadedPack, prompter: Prompter | undefined): Promise<number | undefined> {
  if (!loaded.pack.manifest.services && first.flags.services === undefined && first.flags.configRepoFor === undefined) return undefined;
  const args = parseArgs(argv, loaded.pack.manifest.questions);
  const target = resolve(io.cwd, args.target ?? ".");
  if (args.flags.configRepoFor !== undefined) return (await import("./services.js")).createConfigRepo(io, args, loaded, target);
  if (checkTarget(target) !== "exists") {
    if (args.flags.services !== undefined) throw usageError("--services needs an existing repository that holds the service folders", "--services", "run create at the repository root");
    return undefined;
  }
  const svc = await import("./services.js");
  const text = svc.configText(io, args);
  const shape = await svc.servicesShape(target, args, text);
  if (shape === undefined) return undefined;
  if (existsSync(join(target, STATE_FILE)) && !args.flags.force)
    throw usageError(`${displayPath(io.cwd, target)} already has a pipeline made by create-pipeline`, join(target, STATE_FILE), `run \`${toolCommand()} update\` to change it, \`${toolCommand()} add <folder>\` to add a service, or create --force to start over`);
  let given;
  if (text !== undefined && /^services[ \t]*:/m.test(text)) given = { ...parseSets(args.flags.set), ...args.answers };
  else given = (await givenAnswers(io, argv, loaded)).given;
  return svc.createServices({ io, args, loaded, target, given, shape, prompter, configText: text });
}

export async function runCreate(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<number> {
  if (first.flags.force && first.flags.skipExisting) throw usageError("--force and --skip-existing cannot be used together", "--force", "pick one");
  // Checked early (before a remote pack is fetched), and again below: only the second parse,
  // which knows the pack's flags, can tell `--debug mydir` (a target) from `--name mydir`.
  checkTarget(resolve(io.cwd, first.target ?? "."));
  const prompter = interactive(io, first.flags) ? await io.prompter() : undefined;
  prompter?.intro(`${PACKAGE_NAME}@${TOOL_VERSION}`);
  const loaded = await openPack(io, first);
  try {
    // A repository of several services (service folders below a root that is not one, --services,
    // or a --config with a services list) takes its own path: src/cli/services.ts.
    const multi = await servicesCreateIfAny(io, argv, first, loaded, prompter);
    if (multi !== undefined) return multi;
    const { args, given } = await givenAnswers(io, argv, loaded);
    const target = resolve(io.cwd, args.target ?? ".");
    const status = checkTarget(target);
    if (status === "exists" && existsSync(join(target, STATE_FILE)) && !args.flags.force)
      throw usageError(`${displayPath(io.cwd, target)} already has a pipeline made by create-pipeline`, join(target, STATE_FILE), `run \`${toolCommand()} update\` to change it, or \`${toolCommand()} create --force\` to start over`);
    const { pack } = loaded;
    const detected = status === "exists" ? () => detect(target) : { name: slugify(basename(target)) };
    const asker: Asker | undefined = prompter && {
      ask: (q, def, answers) => {
        prompter.section(q.group ?? "");
        return prompter.ask(q, def, answers);
      },
    };
    const resolved = await resolveAnswers(pack.manifest, { given, detected, asker });
    if (pack.manifest.services) (await import("../core/services.js")).refuseServicesOnly(pack.manifest, resolved.answers, given);
    const tree = render(pack, resolved.answers, { toolVersion: TOOL_VERSION });
    const disk = readFiles(target, tree.keys());
    const policy: ExistingPolicy = args.flags.force ? "force" : args.flags.skipExisting ? "skip" : "error";
    const decisions: Record<string, "overwrite" | "skip"> = {};
    if (prompter && policy === "error") {
      for (const e of planCreate({ tree, disk, policy }).filter((x) => x.kind === "conflict")) {
        for (;;) {
          const choice = await prompter.existing(e.path);
          if (choice === "diff") {
            prompter.note(unifiedDiff(e.path, e.current, e.content) || "(no difference)", e.path);
            continue;
          }
          if (choice === "abort") throw new PipelineError("cancelled", "aborted: nothing was written");
          decisions[e.path] = choice;
          break;
        }
      }
    }
    const plan = planCreate({ tree, disk, policy, decisions });
    const conflicts = plan.filter((e) => e.kind === "conflict");
    if (conflicts.length > 0) {
      throw usageError(
        `${conflicts.length} file${conflicts.length > 1 ? "s" : ""} already exist${conflicts.length > 1 ? "" : "s"} with other content: ${conflicts.map((c) => c.path).join(", ")}`,
        target,
        "pass --force to overwrite them or --skip-existing to keep yours (update merges them later)",
      );
    }
    const source = recordSource(pack.source, target);
    const state = makeState(tree, { name: pack.manifest.name, version: pack.manifest.version, source, ref: loaded.commit }, TOOL_VERSION);
    const meta: PlanEntry[] = [
      { path: ANSWERS_FILE, kind: "create", reason: "the answers (edit, then run update)", content: serializeAnswers(pack.manifest, resolved.answers, TOOL_VERSION, packLabel(loaded)) },
      { path: STATE_FILE, kind: "create", reason: "pack, versions and file hashes", content: serializeState(state) },
      { path: BASE_FILE, kind: "create", reason: "last generated content, the merge base for update", content: serializeBase(tree) },
      { path: SCHEMA_FILE, kind: "create", reason: "JSON Schema of the answers (editor completion, offline)", content: answersSchemaFile(pack.manifest) },
    ];
    for (const m of meta) {
      const cur = readFiles(target, [m.path]).get(m.path);
      if (cur !== undefined) Object.assign(m, cur === m.content ? { kind: "keep", reason: "already identical" } : { kind: "update" });
    }
    const full = [...plan, ...meta];
    const nextSteps = pack.manifest.nextSteps ? renderText(pack, pack.manifest.nextSteps, resolved.answers, { toolVersion: TOOL_VERSION }) : "";
    if (prompter && !args.flags.dryRun) {
      const summary = Object.entries(resolved.answers)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}${resolved.sources[k] === "detected" ? " (detected)" : ""}`)
        .join("\n");
      prompter.note(summary, "Answers");
      prompter.note(formatPlan(full, { all: true }), `Files in ${displayPath(io.cwd, target)}`);
      if (!(await prompter.confirm("Write these files?", true))) throw new PipelineError("cancelled", "cancelled: nothing was written");
    }
    if (!args.flags.dryRun) {
      const changes = writes(full).map((e) => ({ path: e.path, content: e.content! }));
      const work = () => commit(target, changes);
      if (prompter) await prompter.spin("Writing files", `Wrote ${changes.length} files`, work);
      else await work();
    }
    if (args.flags.json) {
      io.stdout(
        `${JSON.stringify(
          {
            ok: true,
            command: "create",
            dryRun: args.flags.dryRun,
            target,
            pack: { name: pack.manifest.name, version: pack.manifest.version, source },
            answers: resolved.answers,
            ignored: resolved.ignored,
            files: planJson(full),
          },
          null,
          2,
        )}\n`,
      );
    } else if (prompter) {
      if (resolved.ignored.length) prompter.step(`Ignored (not used with these answers): ${resolved.ignored.join(", ")}`);
      if (nextSteps) prompter.note(nextSteps.trimEnd(), "Next steps");
      prompter.outro(args.flags.dryRun ? "Dry run: nothing was written." : "Done. Commit the files, then read docs/pipeline.md.");
    } else {
      io.stdout(`${args.flags.dryRun ? "Dry run, nothing written. Would write" : "Wrote"} ${displayPath(io.cwd, target)} with ${packLabel(loaded)}:\n${formatPlan(full)}\n`);
      if (resolved.ignored.length) io.stdout(`Ignored (not used with these answers): ${resolved.ignored.join(", ")}\n`);
      if (nextSteps && !args.flags.dryRun) io.stdout(`\nNext steps:\n${nextSteps}`);
    }
    return 0;
  } finally {
    await loaded.cleanup();
  }
}
