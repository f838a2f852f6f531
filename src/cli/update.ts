import { existsSync, readdirSync } from "node:fs";
import { CHECK_WORKFLOW_PATH, checkWorkflow, runsCheck } from "../core/check-workflow.js";
import { join, resolve } from "node:path";
import * as semver from "../core/semver.js";
import { flagName, resolveAnswers, type Asker, type Given, type Resolved } from "../core/answers.js";
import { PipelineError, usageError } from "../core/errors.js";
import { applicableRenames, changesFiles, handEdits, planUpdate, unresolvedConflicts } from "../core/plan-update.js";
import { writes } from "../core/plan.js";
import { render } from "../core/render.js";
import { parseAnswersFile, refreshAnswersHeader, updateAnswersText } from "../core/answers-file.js";
import { ANSWERS_FILE, BASE_FILE, SCHEMA_FILE, STATE_FILE, makeState, parseBase, parseState, serializeBase, serializeState } from "../core/state.js";
import type { Answers, Migration, PackSource, PlanEntry, StateFile } from "../core/types.js";
import { commit } from "../io/commit.js";
import { detect } from "../io/detect/index.js";
import { checkTarget, readFiles, readText } from "../io/disk.js";
import { dirtyPaths } from "../io/git.js";
import { recordSource } from "../io/pack-loader.js";
import { PACKAGE_NAME, toolCommand } from "../product.js";
import { TOOL_VERSION } from "../version.js";
import { answersSchemaFile } from "../core/json-schema.js";
import type { ParsedArgs } from "./args.js";
import { displayPath, interactive, type CliIo } from "./io.js";
import { formatPlan, planJson, unifiedDiff } from "./report.js";
import { givenAnswers, openPack, packLabel } from "./inputs.js";

/** Where the recorded pack came from, as a source to load again (relative paths are the target's). */
function recordedSource(state: StateFile, target: string, to?: string): PackSource {
  const s = state.pack.source;
  if (s.startsWith("builtin:")) {
    if (to !== undefined) throw usageError("--to works with git template packs; a built-in pack's version comes with create-pipeline itself", "--to", `run npx ${PACKAGE_NAME}@<version> update with the version you want`);
    return { kind: "builtin", name: s.slice("builtin:".length) };
  }
  if (/^(gh:|github:|gitlab:|bitbucket:|git@|https:\/\/)/.test(s)) {
    const bare = s.split("#")[0]!;
    const ref = to ?? state.pack.ref ?? s.split("#")[1];
    return { kind: "git", spec: ref ? `${bare}#${ref}` : bare, ref };
  }
  if (to !== undefined) throw usageError("--to works with git template packs only", "--to");
  return { kind: "local", path: resolve(target, s) };
}

/** Old answers renamed or dropped by the pack's migrations for this version step. */
function migrateAnswers(given: Record<string, Given>, migrations: readonly Migration[], fromVersion: string): Record<string, Given> {
  const out = { ...given };
  for (const m of migrations) {
    if (!semver.satisfies(fromVersion, m.appliesTo)) continue;
    if ("renameAnswer" in m && m.renameAnswer.from in out) {
      out[m.renameAnswer.to] = out[m.renameAnswer.from]!;
      delete out[m.renameAnswer.from];
    } else if ("dropAnswer" in m) delete out[m.dropAnswer];
  }
  return out;
}

/** Thrown by check's asker: a new question has no default, so only update can settle it. */
class Unanswered extends Error {}

const sameAnswers = (a: Answers, b: Record<string, Given>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => JSON.stringify(v) === JSON.stringify(b[k]?.value));

export async function runUpdate(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<number> {
  const isCheck = first.command === "check";
  // Before the pack is known, `update --debug mydir` cannot tell whether mydir is --debug's value
  // or the target: a candidate that holds a state file is taken, and the full parse must agree.
  const guess = first.target ?? first.maybeTarget?.find((t) => existsSync(join(resolve(io.cwd, t), STATE_FILE)));
  const target = resolve(io.cwd, guess ?? ".");
  const shown = displayPath(io.cwd, target);
  if (checkTarget(target) === "absent") throw usageError(`target '${shown}' does not exist`, shown, "give the folder of a repository made by create-pipeline");
  const stateText = readText(join(target, STATE_FILE));
  if (stateText === undefined) throw usageError(`${shown} has no ${STATE_FILE}: it was not made by create-pipeline`, join(target, STATE_FILE), `run \`${toolCommand()} create\` first`);
  const state = parseState(stateText, STATE_FILE);
  const base = parseBase(readText(join(target, BASE_FILE)) ?? "{}", BASE_FILE);
  const answersText = readText(join(target, ANSWERS_FILE));
  if (answersText === undefined) throw usageError(`${ANSWERS_FILE} is missing`, join(target, ANSWERS_FILE), "restore it from git: it holds the answers that define the pipeline");

  const loaded = await openPack(io, first, recordedSource(state, target, first.flags.to));
  try {
    const { pack } = loaded;
    const { args, given: fromFlags } = await givenAnswers(io, argv, loaded);
    if (resolve(io.cwd, args.target ?? ".") !== target)
      throw usageError(`the target folder is ambiguous: '${shown}' or '${args.target ?? "."}'`, shown, `put the folder right after the command: \`${toolCommand()} ${isCheck ? "check" : "update"} <dir> [flags]\``);
    const written = parseAnswersFile(answersText, ANSWERS_FILE);
    const stored = migrateAnswers(written, pack.manifest.migrations, state.pack.version);
    const prompter = !isCheck && interactive(io, args.flags) ? await io.prompter() : undefined;
    if (args.flags.reconfigure && !prompter)
      throw usageError("--reconfigure asks every question again, which needs a terminal", "--reconfigure", "change answers with --set key=value, the question flags or --config instead (or drop --yes/--json)");
    prompter?.intro(`${PACKAGE_NAME}@${TOOL_VERSION}: update`);
    const reconfigure = args.flags.reconfigure && prompter !== undefined;
    // --reconfigure asks again what is asked at create; advanced answers are never asked, so they stay.
    const advanced = new Set(pack.manifest.questions.filter((q) => q.advanced).map((q) => q.key));
    const given = reconfigure ? { ...Object.fromEntries(Object.entries(stored).filter(([k]) => advanced.has(k))), ...fromFlags } : { ...stored, ...fromFlags };
    // Only questions new in the pack without a default are asked, unless --reconfigure.
    const asker: Asker | undefined = prompter && {
      ask: async (q, def, answers) => {
        const prior = stored[q.key];
        if (!reconfigure && def !== undefined) return def.value;
        prompter.section(q.group ?? "");
        return prompter.ask(q, prior !== undefined ? { value: prior.value as never, source: "default" } : def, answers);
      },
    };
    // check never asks: a new question without a default is drift that update must settle.
    const unanswered: string[] = [];
    const checkAsker: Asker | undefined = isCheck
      ? {
          ask: async (q, def) => {
            if (def !== undefined) return def.value;
            unanswered.push(q.key);
            throw new Unanswered();
          },
        }
      : undefined;
    let resolved: Resolved;
    try {
      // A question new in the pack gets the default create would give it, detection included
      // (read only if such a default needs it).
      resolved = await resolveAnswers(pack.manifest, { given, detected: () => detect(target), asker: asker ?? checkAsker });
    } catch (e) {
      if (!(e instanceof Unanswered)) throw e;
      const q = pack.manifest.questions.find((x) => x.key === unanswered[0])!;
      const line = `The template pack ${pack.manifest.name}@${pack.manifest.version} asks a new question: ${q.key} (${q.message}). Run \`${toolCommand()} update --${flagName(q)} <value>\` (or interactively).`;
      if (args.flags.json) io.stdout(`${JSON.stringify({ ok: false, command: "check", drift: true, strict: args.flags.strict, pack: { name: pack.manifest.name, recorded: state.pack.version, current: pack.manifest.version }, unanswered, files: [] }, null, 2)}\n`);
      else io.stdout(`${line}\nDrift found: run \`${toolCommand()} update\`.\n`);
      return 3;
    }
    const tree = render(pack, resolved.answers, { toolVersion: TOOL_VERSION });
    const versionChanged = pack.manifest.version !== state.pack.version || pack.manifest.name !== state.pack.name;
    const renames = versionChanged ? applicableRenames(pack.manifest.migrations, state.pack.version) : [];
    const paths = new Set([...tree.keys(), ...Object.keys(state.files), ...renames.map((r) => r.from)]);
    const disk = readFiles(target, paths);
    const plan = planUpdate({ tree, state, base, disk, renames, restore: args.flags.restore });
    // Against the file as written: a migrated (renamed or dropped) answer is a change to write.
    const answersChanged = !sameAnswers(resolved.answers, written);
    // The answers file's schema hint points at this copy: a missing or stale one is drift too.
    const schemaText = answersSchemaFile(pack.manifest);
    const schemaCurrent = readText(join(target, SCHEMA_FILE));
    const schemaStale = schemaCurrent !== schemaText;
    const drift = changesFiles(plan) || answersChanged || versionChanged || schemaStale;
    const edits = handEdits(plan);
    const unresolved = unresolvedConflicts(plan, tree);
    const unresolvedText = `${unresolved.join(", ")} still hold${unresolved.length > 1 ? "" : "s"} conflict markers from an earlier update`;
    const unresolvedFix = "resolve the <<<<<<< ours / >>>>>>> create-pipeline blocks and commit, then run update again";

    if (isCheck) {
      // Offer the pull-request job that runs this check, when no workflow does yet.
      const workflowsDir = join(target, ".github", "workflows");
      const workflows = existsSync(workflowsDir) ? readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => readText(join(workflowsDir, f)) ?? "") : [];
      let workflowNote = "";
      if (!runsCheck(workflows)) {
        if (args.flags.addWorkflow && !existsSync(join(target, CHECK_WORKFLOW_PATH))) {
          await commit(target, [{ path: CHECK_WORKFLOW_PATH, content: checkWorkflow(TOOL_VERSION) }]);
          workflowNote = `Wrote ${CHECK_WORKFLOW_PATH}: this check now runs on every pull request.`;
        } else if (!args.flags.addWorkflow) {
          workflowNote = `Tip: no workflow runs this check on pull requests; \`${toolCommand()} check --add-workflow\` writes ${CHECK_WORKFLOW_PATH}.`;
        } else {
          workflowNote = `${CHECK_WORKFLOW_PATH} exists but does not run the pipeline check; left as it is.`;
        }
      }
      const failing = drift || unresolved.length > 0 || (args.flags.strict && edits.length > 0);
      if (args.flags.json) {
        io.stdout(
          `${JSON.stringify({ ok: !failing, command: "check", drift, strict: args.flags.strict, pack: { name: pack.manifest.name, recorded: state.pack.version, current: pack.manifest.version }, answersChanged, files: planJson(plan.filter((e) => e.kind !== "keep" || e.edited)), handEdits: edits.map((e) => e.path), unresolvedConflicts: unresolved, pullRequestWorkflow: runsCheck(workflows) || workflowNote.startsWith("Wrote") }, null, 2)}\n`,
        );
      } else {
        const lines: string[] = [];
        if (versionChanged) lines.push(`The template pack moved: ${state.pack.name}@${state.pack.version} → ${pack.manifest.name}@${pack.manifest.version}.`);
        if (answersChanged) lines.push(`${ANSWERS_FILE} has answers that the generated files do not reflect yet.`);
        if (schemaStale) lines.push(`${SCHEMA_FILE}, the schema of the answers, is ${schemaCurrent === undefined ? "missing" : "out of date"}.`);
        if (unresolved.length) lines.push(`${unresolvedText}: ${unresolvedFix}.`);
        const changing = plan.filter((e) => e.kind !== "keep" && e.kind !== "skip");
        if (changing.length) lines.push(`Files update would change:\n${formatPlan(changing)}`);
        if (edits.length) lines.push(`Hand edits update keeps${args.flags.strict ? " (fail with --strict)" : " (allowed)"}:\n${edits.map((e) => `  * ${e.path}: ${e.reason}`).join("\n")}`);
        const deleted = plan.filter((e) => e.kind === "skip");
        if (deleted.length) lines.push(`Deleted by you (stay deleted):\n${deleted.map((e) => `  - ${e.path}`).join("\n")}`);
        if (workflowNote) lines.push(workflowNote);
        lines.push(failing ? `Drift found: run \`${toolCommand()} update\`${drift || unresolved.length ? "" : " or move the hand edits into the answers"}.` : "No drift: the repository follows its conventions.");
        io.stdout(`${lines.join("\n")}\n`);
      }
      return failing ? 3 : 0;
    }

    if (unresolved.length && !args.flags.dryRun) throw new PipelineError("conflict", `${unresolvedText}: nothing was written`, { where: unresolved[0], hint: unresolvedFix });
    // Refuse to touch files with uncommitted edits (git only), so every change stays reviewable.
    const touched = plan.filter((e) => e.current !== undefined && (e.kind === "update" || e.kind === "merge" || e.kind === "conflict" || e.kind === "delete")).map((e) => e.path);
    if (!args.flags.allowDirty && !args.flags.dryRun && touched.length) {
      const dirty = dirtyPaths(target, touched) ?? [];
      if (dirty.length)
        throw usageError(`update would change files with uncommitted edits: ${dirty.join(", ")}`, shown, "commit or stash them first so the update can be reviewed and undone, or pass --allow-dirty");
    }
    const fileChanges = writes(plan).map((e) => ({ path: e.path, content: e.content! }));
    const deletes = plan.filter((e) => e.kind === "delete").map((e) => ({ path: e.path }));
    const meta: PlanEntry[] = [];
    if (drift) {
      const keep = Object.fromEntries(plan.filter((e) => e.kind === "skip" && state.files[e.path]).map((e) => [e.path, state.files[e.path]!]));
      const newState = makeState(tree, { name: pack.manifest.name, version: pack.manifest.version, source: recordSource(pack.source, target), ref: loaded.commit ?? (pack.source.kind === "git" ? pack.source.ref : undefined) }, TOOL_VERSION, keep);
      // An answer change rewrites the answers file; otherwise only its header follows the pack.
      const answersOut = answersChanged ? updateAnswersText(answersText, pack.manifest, resolved.answers, TOOL_VERSION, packLabel(loaded)) : refreshAnswersHeader(answersText, TOOL_VERSION, packLabel(loaded));
      const candidates: PlanEntry[] = [
        { path: STATE_FILE, kind: "update", reason: "pack, versions and file hashes", content: serializeState(newState), current: stateText },
        { path: BASE_FILE, kind: "update", reason: "merge base for the next update", content: serializeBase(tree), current: readText(join(target, BASE_FILE)) },
        { path: SCHEMA_FILE, kind: "update", reason: "JSON Schema of the answers (editor completion, offline)", content: schemaText, current: schemaCurrent },
        { path: ANSWERS_FILE, kind: "update", reason: answersChanged ? "answers changed" : "header names the new pack", content: answersOut, current: answersText },
      ];
      // Unchanged metadata is not rewritten: no new bytes, no new mtime.
      meta.push(...candidates.filter((m) => m.content !== m.current));
    }
    const conflicts = plan.filter((e) => e.kind === "conflict");
    const keptEdits = edits.filter((e) => e.kind === "keep");
    const keptText = keptEdits.length ? `Your edits, kept as they are:\n${keptEdits.map((e) => `  * ${e.path}: ${e.reason}`).join("\n")}\n` : "";
    if (args.flags.dryRun) {
      if (args.flags.json)
        io.stdout(`${JSON.stringify({ ok: unresolved.length === 0, command: "update", dryRun: true, pack: { name: pack.manifest.name, from: state.pack.version, to: pack.manifest.version }, answers: resolved.answers, files: planJson(plan), conflicts: conflicts.map((c) => c.path), unresolvedConflicts: unresolved }, null, 2)}\n`);
      else {
        io.stdout(`Dry run, nothing written. update would:\n${formatPlan(plan)}\n${keptText}`);
        if (unresolved.length) io.stdout(`But first: ${unresolvedText}; ${unresolvedFix}.\n`);
        for (const e of plan) if (e.kind !== "keep" && e.kind !== "skip") io.stdout(unifiedDiff(e.path, e.current, e.content));
      }
      return 0;
    }
    if (prompter && (fileChanges.length || deletes.length)) {
      prompter.note(formatPlan(plan), "Changes");
      if (!(await prompter.confirm("Apply these changes?", true))) throw new PipelineError("cancelled", "cancelled: nothing was written");
    }
    // State last: a crash before it leaves the update re-runnable.
    await commit(target, [...fileChanges, ...deletes, ...meta.map((m) => ({ path: m.path, content: m.content! }))]);
    if (args.flags.json) {
      io.stdout(`${JSON.stringify({ ok: conflicts.length === 0, command: "update", pack: { name: pack.manifest.name, from: state.pack.version, to: pack.manifest.version }, answers: resolved.answers, files: planJson(plan), conflicts: conflicts.map((c) => c.path) }, null, 2)}\n`);
    } else {
      const msg = drift ? `Updated ${shown} to ${packLabel(loaded)}:\n${formatPlan(plan)}\n${keptText}` : `Nothing to update: ${shown} already follows ${packLabel(loaded)}.\n${keptText}`;
      if (prompter) prompter.outro(msg);
      else io.stdout(msg);
    }
    if (conflicts.length) {
      io.stderr(`create-pipeline: ${conflicts.length} file${conflicts.length > 1 ? "s have" : " has"} conflicts to resolve: ${conflicts.map((c) => c.path).join(", ")}\n  fix: edit the <<<<<<< ours / >>>>>>> create-pipeline blocks, then commit\n`);
      return 4;
    }
    return 0;
  } finally {
    await loaded.cleanup();
  }
}

