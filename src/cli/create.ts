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
import { detectReport, type DetectReport } from "../io/detect/index.js";
import { checkTarget, readFiles } from "../io/disk.js";
import { recordSource } from "../io/pack-loader.js";
import { PACKAGE_NAME, toolCommand } from "../product.js";
import { TOOL_VERSION } from "../version.js";
import { answersSchemaFile } from "../core/json-schema.js";
import type { ParsedArgs } from "./args.js";
import { displayPath, interactive, type CliIo } from "./io.js";
import { formatPlan, planJson, unifiedDiff } from "./report.js";
import { givenAnswers, openPack, packLabel } from "./inputs.js";

export async function runCreate(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<number> {
  if (first.flags.force && first.flags.skipExisting) throw usageError("--force and --skip-existing cannot be used together", "--force", "pick one");
  // Checked early (before a remote pack is fetched), and again below: only the second parse,
  // which knows the pack's flags, can tell `--debug mydir` (a target) from `--name mydir`.
  checkTarget(resolve(io.cwd, first.target ?? "."));
  const prompter = interactive(io, first.flags) ? await io.prompter() : undefined;
  prompter?.intro(`${PACKAGE_NAME}@${TOOL_VERSION}`);
  const loaded = await openPack(io, first);
  try {
    const { args, given } = await givenAnswers(io, argv, loaded);
    const target = resolve(io.cwd, args.target ?? ".");
    const status = checkTarget(target);
    if (status === "exists" && existsSync(join(target, STATE_FILE)) && !args.flags.force)
      throw usageError(`${displayPath(io.cwd, target)} already has a pipeline made by create-pipeline`, join(target, STATE_FILE), `run \`${toolCommand()} update\` to change it, or \`${toolCommand()} create --force\` to start over`);
    const { pack } = loaded;
    // Detection is read only when a default needs it; a refused folder (a language or layout
    // not supported) stops here unless the language was given explicitly.
    let report: DetectReport | undefined;
    const detected =
      status === "exists"
        ? async () => {
            report = await detectReport(target);
            const r = report.refusal;
            if (r !== undefined && given.language === undefined) throw usageError(`cannot make a pipeline here: ${r.message}`, r.where, r.hint);
            return report.values;
          }
        : { name: slugify(basename(target)) };
    const asker: Asker | undefined = prompter && {
      ask: (q, def, answers) => {
        prompter.section(q.group ?? "");
        return prompter.ask(q, def, answers);
      },
    };
    const resolved = await resolveAnswers(pack.manifest, { given, detected, asker });
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
    const origins = describeOrigins(resolved, report);
    const nextSteps = pack.manifest.nextSteps ? renderText(pack, pack.manifest.nextSteps, resolved.answers, { toolVersion: TOOL_VERSION }) : "";
    if (prompter && !args.flags.dryRun) {
      const summary = Object.entries(resolved.answers)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}${resolved.sources[k] === "detected" ? " (detected)" : ""}`)
        .join("\n");
      prompter.note(summary, "Answers");
      if (report !== undefined) prompter.note(formatOrigins(origins).trimEnd(), "Where the answers came from");
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
            origins,
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
      if (report !== undefined) io.stdout(formatOrigins(origins));
      io.stdout(`${args.flags.dryRun ? "Dry run, nothing written. Would write" : "Wrote"} ${displayPath(io.cwd, target)} with ${packLabel(loaded)}:\n${formatPlan(full)}\n`);
      if (resolved.ignored.length) io.stdout(`Ignored (not used with these answers): ${resolved.ignored.join(", ")}\n`);
      if (nextSteps && !args.flags.dryRun) io.stdout(`\nNext steps:\n${nextSteps}`);
    }
    return 0;
  } finally {
    await loaded.cleanup();
  }
}

/** Service answers read from the repository, and where each came from; defaulted ones are flagged. */
const REPORTED = ["language", "buildTool", "languageVersion", "packageManager", "javaPackaging", "buildTarget", "runtimeAssets", "startCommand", "buildCommand", "lintCommand", "testCommand", "protocol", "port", "healthPath", "grpcHealth", "defaultBranch"];

type Origin = { value: unknown; source: string; from?: string };

function describeOrigins(resolved: { answers: Record<string, unknown>; sources: Record<string, string> }, report: DetectReport | undefined): Record<string, Origin> {
  const out: Record<string, Origin> = {};
  for (const k of REPORTED) {
    if (!(k in resolved.answers)) continue;
    const source = resolved.sources[k] ?? "default";
    const from = source === "detected" ? report?.from[k] : undefined;
    out[k] = { value: resolved.answers[k], source, ...(from ? { from } : {}) };
  }
  return out;
}

function formatOrigins(origins: Record<string, Origin>): string {
  const lines = Object.entries(origins).map(([k, o]) => {
    const v = o.value === "" ? "(none)" : Array.isArray(o.value) ? o.value.join(", ") : String(o.value);
    const why = o.source === "detected" ? `from ${o.from}` : o.source === "default" ? "DEFAULT: nothing found in the repository; check it" : o.source;
    return `  ${k}: ${v}  [${why}]`;
  });
  return `Service answers:\n${lines.join("\n")}\n`;
}
