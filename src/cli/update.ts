import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { readAnswersFile, refreshAnswersHeader, refreshToolLines, refuseAnswersEdit } from "../core/answers-read.js";
import { flagName, resolveAnswers, type Asker, type Given, type Resolved } from "../core/answers.js";
import { CHECK_WORKFLOW_PATH, checkWorkflow, rescope, runsCheck, runsUnscoped } from "../core/check-workflow.js";
import { isServicesAnswers, refuseServicesOnly } from "../core/services-only.js";
import { PipelineError, usageError, withContext } from "../core/errors.js";
import {
  applicableDrops,
  applicableRenames,
  changesFiles,
  eitherRender,
  handEdits,
  planUpdateMerging,
  stateMismatchFailsWith,
  strictness,
  confirmBumps,
  unproven,
  unresolvedConflicts,
  userContent,
} from "../core/plan-update.js";
import { touchedPaths, writes } from "../core/plan.js";
import { render } from "../core/render.js";
import * as semver from "../core/semver.js";
import {
  ANSWERS_FILE,
  BASE_FILE,
  RESTORE_FROM_GIT,
  SCHEMA_FILE,
  STATE_FILE,
  makeState,
  parseBase,
  parseState,
  recordedOrigins,
  serializeBase,
  serializeState,
  stateOrigins,
} from "../core/state.js";
import type { AnswerValue, Answers, Migration, PackSource, PlanEntry, StateFile, Tree } from "../core/types.js";
import { commit } from "../io/commit.js";
import { ignoreFormatters } from "../io/detect/existing.js";
import { formatterIgnores } from "../core/existing.js";
import { changedSincePlan, checkTarget, notUtf8At, readFiles, readTargetFile, refuseUndecodable } from "../io/disk.js";
import { answersCommittedWith, dirtyPaths } from "../io/git.js";
import { refuseSymlinkedChanges, symlinkOnTheWay } from "../io/inside.js";
import { openRepo } from "../io/session.js";
import { packRecord, recordSource, type LoadedPack } from "../io/pack-loader.js";
import type { Prompter } from "../io/prompter.js";
import { answersSchemaFile } from "../core/json-schema.js";
import { TOOL_VERSION } from "../version.js";
import type { ParsedArgs } from "./args.js";
import { takenFlag } from "./options.js";
import type { Origin } from "./wizard.js";
import { answerChanges, answersJson, envelope, printJson, type AnswerChange, type Problem } from "./envelope.js";
import { givenAnswers, openPack, packLabel } from "./inputs.js";
import { PACKAGE_NAME, toolCommand } from "../product.js";
import { commandFor, displayPath, interactive, type CliIo } from "./io.js";
import { changeLine, checkText, planJson, updateText, type UpdateView } from "./report.js";
import { painter } from "./style.js";
import { answerArgs } from "./reproduce.js";
import { explainPlan } from "./explain.js";

/** Where the recorded pack came from, as a source to load again (relative paths are the target's). */
export function recordedSource(state: StateFile, target: string, to?: string): PackSource {
  const s = state.pack.source;
  if (s.startsWith("builtin:")) {
    if (to !== undefined)
      throw usageError(
        "--to works with git template packs; a built-in pack's version comes with create-pipeline itself",
        "--to",
        `run npx ${PACKAGE_NAME}@<version> update with the version you want`,
      );
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

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What check and update both need: the repository read, the answers settled, the plan made. */
export interface RepoPlan {
  args: ParsedArgs;
  loaded: LoadedPack;
  target: string;
  shown: string;
  state: StateFile;
  stateText: string;
  answersText: string;
  resolved: Resolved;
  /** Where each answer came from, kept through the state since create (detected, default, given). */
  origins: { origins: Record<string, Origin>; from: Record<string, string> };
  tree: Tree;
  plan: PlanEntry[];
  /** Answers that differ from the ones the files were generated from. */
  answerChanges: AnswerChange[];
  /** Answers given on this command line (flags, --set, --config) that differ from the answers file. */
  givenHere: Record<string, AnswerValue>;
  /** The answers file itself must be rewritten (a flag, --set or a migration changed an answer). */
  rewriteAnswers: boolean;
  /** What the plan read of each file it may write (the answers file and state included), by path. */
  read: ReadonlyMap<string, string | undefined>;
  /** The answers schema the answers file points at, and what is there now. */
  schema: { text: string; current?: string };
  /** The answers file's header (schema hint, the command and version to run, the pack) is not this tool's. */
  headerStale: boolean;
  versionChanged: boolean;
  drift: boolean;
  edits: PlanEntry[];
  unresolved: string[];
  prompter?: Prompter;
}

type Planning =
  | { plan: RepoPlan }
  | { unanswered: { key: string; flag: string; message: string }; args: ParsedArgs; loaded: LoadedPack; state: StateFile; target: string };

/** The repository folder update/check work on (it must exist). */
function repoTarget(io: CliIo, first: ParsedArgs): { target: string; shown: string } {
  // Before the pack is known, `update --debug mydir` cannot tell whether mydir is --debug's value
  // or the target: a candidate that holds a state file is taken, and the full parse must agree.
  const guess = first.target ?? first.maybeTarget?.find((t) => existsSync(join(resolve(io.cwd, t), STATE_FILE)));
  const target = resolve(io.cwd, guess ?? ".");
  const shown = displayPath(io, target);
  if (checkTarget(target) === "absent") throw usageError(`target '${shown}' does not exist`, shown, "give the folder of a repository made by create-pipeline");
  return { target, shown };
}

/** For `update --help` in a repository: the pack its state records (undefined: none readable). */
export function recordedPackOf(io: CliIo, first: ParsedArgs): PackSource | undefined {
  try {
    const { target } = repoTarget(io, first);
    const text = readTargetFile(target, STATE_FILE);
    return text === undefined ? undefined : recordedSource(parseState(text, STATE_FILE), target);
  } catch {
    return undefined;
  }
}

/** The one planning step behind check, update and update --dry-run. */
async function planRepo(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<Planning> {
  const isCheck = first.command === "check";
  const { target, shown } = repoTarget(io, first);
  const stateText = readTargetFile(target, STATE_FILE);
  if (stateText === undefined)
    throw usageError(
      `${shown} has no ${STATE_FILE}: it was not made by create-pipeline`,
      join(target, STATE_FILE),
      `run \`${commandFor(io, target, "create")}\` first`,
    );
  const state = parseState(stateText, STATE_FILE);
  const base = parseBase(readTargetFile(target, BASE_FILE) ?? "{}", BASE_FILE);
  const answersText = readTargetFile(target, ANSWERS_FILE);
  if (answersText === undefined)
    throw usageError(`${ANSWERS_FILE} is missing`, join(target, ANSWERS_FILE), "restore it from git: it holds the answers that define the pipeline");

  const loaded = await openPack(io, first, recordedSource(state, target, first.flags.to));
  let contextAnswers: Record<string, Given> | undefined;
  try {
    const { pack } = loaded;
    const { args, given: fromFlags } = await givenAnswers(io, argv, loaded);
    contextAnswers = fromFlags;
    if (resolve(io.cwd, args.target ?? ".") !== target)
      throw usageError(
        `the target folder is ambiguous: '${shown}' or '${args.target ?? "."}'`,
        shown,
        `put the folder right after the command: \`${toolCommand()} ${isCheck ? "check" : "update"} <dir> [flags]\``,
      );
    const written = await readAnswersFile(answersText, ANSWERS_FILE);
    const stored = migrateAnswers(written, pack.manifest.migrations, state.pack.version);
    contextAnswers = { ...stored, ...fromFlags };
    const prompter = !isCheck && interactive(io, args.flags) ? await io.prompter() : undefined;
    if (args.flags.reconfigure && !prompter)
      throw usageError(
        "--reconfigure asks every question again, which needs a terminal",
        "--reconfigure",
        "change answers with --set key=value, the question flags or --config instead (or drop --yes/--json)",
      );
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
    let unanswered: string | undefined;
    const checkAsker: Asker | undefined = isCheck
      ? {
          ask: async (q, def) => {
            if (def !== undefined) return def.value;
            unanswered = q.key;
            throw new Unanswered();
          },
        }
      : undefined;
    let resolved: Resolved;
    try {
      // A question new in the pack gets the default create would give it, detection included
      // (read only if such a default needs it).
      resolved = await resolveAnswers(pack.manifest, {
        given,
        detected: async () => (await import("../io/detect/index.js")).detect(target),
        asker: asker ?? checkAsker,
      });
    } catch (e) {
      if (!(e instanceof Unanswered)) throw e;
      const q = pack.manifest.questions.find((x) => x.key === unanswered)!;
      return { unanswered: { key: q.key, flag: flagName(q), message: q.message }, args, loaded, state, target };
    }
    if (pack.manifest.services) refuseServicesOnly(pack.manifest, resolved.answers, given);
    const tree = render(pack, resolved.answers, { toolVersion: TOOL_VERSION });
    const versionChanged = pack.manifest.version !== state.pack.version || pack.manifest.name !== state.pack.name;
    const renames = versionChanged ? applicableRenames(pack.manifest.migrations, state.pack.version) : [];
    const paths = new Set([...tree.keys(), ...Object.keys(state.files), ...renames.map((r) => r.from)]);
    const disk = readFiles(target, paths);
    const writtenValues = Object.fromEntries(Object.entries(written).map(([k, g]) => [k, g.value]));
    // What proves a dropped file was the tool's: the pack's render of the answers in the answers file
    // as it stands (before this run's flags change any), which a review reads; the answers recorded in the state
    // are used only when they are exactly those. A file is deleted only if it is byte for byte what
    // that render holds at its path (see planUpdate).
    const current = async (): Promise<Tree | string> => {
      try {
        if (!versionChanged && state.answers !== undefined && sameAnswers(state.answers, writtenValues))
          return same(state.answers, resolved.answers) ? tree : render(pack, state.answers, { toolVersion: TOOL_VERSION });
        return await renderAnswers(stored);
      } catch {
        return `the answers in ${ANSWERS_FILE} as they stood before this run do not render on their own`;
      }
    };
    // A flag that answers a question the answers file does not hold yet (new in the pack) changes
    // nothing that was generated: it is kept; a flag that changes an answer of the file is not.
    const renderAnswers = async (from: Record<string, Given>) => {
      const before = await resolveAnswers(pack.manifest, {
        given: { ...Object.fromEntries(Object.entries(fromFlags).filter(([k]) => !(k in from))), ...from },
        detected: async () => (await import("../io/detect/index.js")).detect(target),
      });
      return render(pack, before.answers, { toolVersion: TOOL_VERSION });
    };
    // An answer changed by editing the answers file: the answers file committed with the state on
    // disk (what its files were generated from, and what a review read) shows what the change drops.
    const committed = async (): Promise<Tree | string> => {
      const text = answersCommittedWith(target, STATE_FILE, stateText, ANSWERS_FILE);
      if (text === undefined || text === answersText) return "";
      try {
        return await renderAnswers(migrateAnswers(await readAnswersFile(text, ANSWERS_FILE), pack.manifest.migrations, state.pack.version));
      } catch {
        return "";
      }
    };
    const previous = async (): Promise<Tree | string> => eitherRender([await current(), await committed()], disk);
    const drops = versionChanged ? applicableDrops(pack.manifest.migrations, state.pack.version) : undefined;
    const plan = await planUpdateMerging({ tree, state, base, disk, renames, restore: args.flags.restore, previous, drops });
    // Files whose bytes are not UTF-8 are never rewritten with the user's text in them; check says
    // which they are (update would refuse to merge into them).
    if (!isCheck) refuseUndecodable(target, [ANSWERS_FILE, ...userContent(plan)]);
    else
      for (const e of plan) {
        const at = e.current !== undefined ? notUtf8At(target, e.path) : undefined;
        if (at) {
          e.reason = `${e.reason}; and it is not UTF-8 text (${at}): update cannot merge into it until it is converted to UTF-8`;
          e.notUtf8 = at;
        }
      }
    // Against the file as written: a migrated (renamed or dropped) answer is a change to write.
    const rewriteAnswers = !sameAnswers(resolved.answers, writtenValues);
    // Against what the files were generated from (recorded in the state; older states: the file).
    const answerChanges = diffAnswers(state.answers ?? writtenValues, resolved.answers);
    // Why each file changes: the new pack's render of the previous answers, each change tried alone.
    const prev = state.answers ?? writtenValues;
    const tryRender = (answers: Record<string, unknown>): Tree | undefined => {
      try {
        return render(pack, answers as Answers, { toolVersion: TOOL_VERSION });
      } catch {
        return undefined;
      }
    };
    explainPlan(plan, {
      tree,
      before: answerChanges.length ? tryRender(prev) : tree,
      causes: answerChanges.map((ch) => ({ line: changeLine(ch), alone: () => tryRender({ ...prev, ...(ch.to === undefined ? {} : { [ch.key]: ch.to }) }) })),
      base: () => base,
      step: versionChanged ? `template pack ${state.pack.name}@${state.pack.version} → ${pack.manifest.name}@${pack.manifest.version}` : undefined,
    });
    // The marked block of generated files in the repository's own formatter ignore files
    // (create wrote it) follows the files this update leaves; not recorded in the state.
    const meta = [ANSWERS_FILE, STATE_FILE, BASE_FILE, SCHEMA_FILE].map((path): PlanEntry => ({ path, kind: "keep", reason: "" }));
    for (const e of formatterIgnores(await ignoreFormatters(target), [...plan, ...meta], { refresh: true }))
      if (e.kind !== "keep" && !plan.some((p) => p.path === e.path)) plan.push(e);
    // The answers file's schema hint points at this copy: a missing or stale one is drift too.
    const schema = { text: answersSchemaFile(pack.manifest), current: readTargetFile(target, SCHEMA_FILE) };
    const headerStale = refreshToolLines(answersText, TOOL_VERSION) !== answersText;
    const drift = changesFiles(plan) || rewriteAnswers || answerChanges.length > 0 || versionChanged || schema.current !== schema.text || headerStale;
    // Answers given on this command line that differ from the answers file: the update that
    // makes this drift real needs them too.
    const givenHere = Object.fromEntries(
      Object.keys(fromFlags)
        .filter((k) => k in resolved.answers && JSON.stringify(resolved.answers[k]) !== JSON.stringify(writtenValues[k]))
        .map((k) => [k, resolved.answers[k]!]),
    );
    return {
      plan: {
        givenHere,
        args,
        loaded,
        target,
        shown,
        state,
        stateText,
        answersText,
        resolved,
        origins: recordedOrigins(state, resolved.answers, resolved.sources, new Set(Object.keys(fromFlags))),
        tree,
        plan,
        answerChanges,
        rewriteAnswers,
        read: new Map([...disk, [ANSWERS_FILE, answersText], [STATE_FILE, stateText], [SCHEMA_FILE, schema.current]]),
        schema,
        headerStale,
        versionChanged,
        drift,
        edits: handEdits(plan),
        unresolved: unresolvedConflicts(plan, tree),
        prompter,
      },
    };
  } catch (e) {
    await loaded.cleanup();
    throw withContext(e, {
      target,
      pack: { name: loaded.pack.manifest.name, version: loaded.pack.manifest.version, from: state.pack.version },
      answers: contextAnswers,
    });
  }
}

const sameAnswers = (a: Answers, b: Record<string, unknown>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => same(v, b[k]));

const diffAnswers = (prev: Record<string, unknown>, now: Answers): AnswerChange[] => answerChanges(prev, now);

export async function runUpdate(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<number> {
  // One run at a time; an interrupted earlier run is finished or undone before anything is read.
  const session = await openRepo(repoTarget(io, first).target, first.command === "check" ? "check" : "update", io.stderr);
  try {
    if (session.recovered) io.stderr(`create-pipeline: ${session.recovered}\n`);
    // A repository of several services (its answers have a services list): src/cli/services.ts.
    const { target } = repoTarget(io, first);
    const answersText = readTargetFile(target, ANSWERS_FILE);
    if (answersText !== undefined && isServicesAnswers(answersText)) {
      const stateText = readTargetFile(target, STATE_FILE);
      if (stateText === undefined)
        throw usageError(
          `${displayPath(io, target)} has no ${STATE_FILE}: it was not made by create-pipeline`,
          join(target, STATE_FILE),
          `run \`${toolCommand()} create\` first`,
        );
      const loaded = await openPack(io, first, recordedSource(parseState(stateText, STATE_FILE), target, first.flags.to));
      try {
        const { runServicesUpdate } = await import("./services.js");
        return await runServicesUpdate(io, argv, first, target, loaded, answersText);
      } catch (e) {
        throw withContext(e, { target, pack: { name: loaded.pack.manifest.name, version: loaded.pack.manifest.version } });
      } finally {
        await loaded.cleanup();
      }
    }
    if (first.flags.services !== undefined)
      throw usageError(
        "--services names services of a repository of several services; this one has one service at its root",
        "--services",
        "drop --services: the answer flags and --reconfigure change this service's answers",
      );
    const planning = await planRepo(io, argv, first);
    const loaded = "plan" in planning ? planning.plan.loaded : planning.loaded;
    try {
      if ("unanswered" in planning) return presentUnanswered(io, planning);
      return first.command === "check" ? await runCheck(io, planning.plan) : await applyUpdate(io, planning.plan);
    } finally {
      await loaded.cleanup();
    }
  } finally {
    session.release();
  }
}

function presentUnanswered(io: CliIo, p: Extract<Planning, { unanswered: unknown }>): number {
  const { pack } = p.loaded;
  const u = p.unanswered;
  const message = `the template pack ${pack.manifest.name}@${pack.manifest.version} asks a new question: ${u.key} (${u.message})`;
  const answer = takenFlag(u.flag) ? `--set ${u.key}=<value>` : `--${u.flag} <value>`;
  const fix = `run ${commandFor(io, p.target, "update")} ${answer} (or interactively)`;
  if (p.args.flags.json)
    io.stdout(
      printJson(
        envelope(p.args.command, 3, {
          target: p.target,
          pack: { name: pack.manifest.name, version: pack.manifest.version, from: p.state.pack.version },
          files: [],
          problems: [{ kind: "unanswered", message: `${message}; ${fix}` }],
        }),
      ),
    );
  else io.stdout(`T${message.slice(1)}. To answer it, ${fix}.\nDrift found: run ${commandFor(io, p.target, "update")}.\n`);
  return 3;
}

const packJson = (p: RepoPlan) => ({
  name: p.loaded.pack.manifest.name,
  version: p.loaded.pack.manifest.version,
  from: p.state.pack.version,
  source: recordSource(p.loaded.pack.source, p.target),
});
const changesJson = (p: RepoPlan) => ({
  answers: p.answerChanges,
  ...(p.versionChanged
    ? { pack: { from: `${p.state.pack.name}@${p.state.pack.version}`, to: `${p.loaded.pack.manifest.name}@${p.loaded.pack.manifest.version}` } }
    : {}),
});

const unresolvedText = (u: string[]) => `${u.join(", ")} still hold${u.length > 1 ? "" : "s"} conflict markers from an earlier update`;
const UNRESOLVED_FIX = `resolve the <<<<<<< ours / >>>>>>> create-pipeline blocks and commit, then run \`${toolCommand()} update\` again`;

const schemaNote = (p: RepoPlan) =>
  p.schema.current === p.schema.text
    ? undefined
    : `${SCHEMA_FILE}, the schema of the answers, is ${p.schema.current === undefined ? "missing" : "out of date"}.`;
const HEADER_NOTE = `The header of ${ANSWERS_FILE} (its schema hint, or the command and version to run) is not this version's.`;

function workflowFiles(target: string): { name: string; text: string }[] {
  const dir = join(target, ".github", "workflows");
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((name) => ({ name, text: readTargetFile(target, `.github/workflows/${name}`) ?? "" }))
    : [];
}

async function runCheck(io: CliIo, p: RepoPlan): Promise<number> {
  const { args, target, plan } = p;
  // Offer the pull-request job that runs this check, when no workflow does yet.
  const workflows = workflowFiles(target).map((f) => f.text);
  let workflowNote = "";
  let hasWorkflow = runsCheck(workflows);
  // A check workflow written before the tool was published under its scope runs the unrelated
  // unscoped package on every pull request: that fails the check until it is rewritten.
  const unscoped = workflowFiles(target).filter((f) => runsUnscoped(f.text));
  if (unscoped.length && args.flags.addWorkflow) {
    await commit(
      target,
      unscoped.map((f) => ({ path: `.github/workflows/${f.name}`, content: rescope(f.text, TOOL_VERSION) })),
    );
    workflowNote = `Rewrote ${unscoped.map((f) => `.github/workflows/${f.name}`).join(", ")} to run ${toolCommand()} check instead of the unrelated npm package create-pipeline.`;
    unscoped.length = 0;
  } else if (unscoped.length) {
    workflowNote = `${unscoped.map((f) => `.github/workflows/${f.name}`).join(", ")} run${unscoped.length > 1 ? "" : "s"} the unrelated npm package create-pipeline, not this tool: \`${commandFor(io, target, "check")} --add-workflow\` rewrites ${unscoped.length > 1 ? "them" : "it"} to run ${PACKAGE_NAME}@${TOOL_VERSION}.`;
  }
  if (!hasWorkflow && !unscoped.length) {
    if (args.flags.addWorkflow && !existsSync(join(target, CHECK_WORKFLOW_PATH))) {
      await commit(target, [{ path: CHECK_WORKFLOW_PATH, content: checkWorkflow(TOOL_VERSION) }]);
      workflowNote = `Wrote ${CHECK_WORKFLOW_PATH}: this check now runs on every pull request.`;
      hasWorkflow = true;
    } else if (!args.flags.addWorkflow) {
      workflowNote = `Tip: no workflow runs this check on pull requests; \`${toolCommand()} check --add-workflow\` writes ${CHECK_WORKFLOW_PATH}.`;
    } else {
      workflowNote = `${CHECK_WORKFLOW_PATH} exists but does not run the pipeline check; left as it is.`;
    }
  }
  // --strict: the files must be exactly what the template generates: hand edits and deleted
  // generated files fail too. --strict-workflows: the same for generated files under .github/ (what
  // runs in CI and with its secrets), and the state must list only files the pack generated.
  const deletedFiles = plan.filter((x) => x.kind === "skip");
  // State entries for files the tool cannot show it generated: the state does not match the pack.
  const notOurs = unproven(plan);
  await confirmBumps(plan, args.flags);
  const failsWith = strictness(args.flags);
  const mismatchFailsWith = stateMismatchFailsWith(args.flags);
  // A generated file reached through a symlink: its content may match, but GitHub does not run a
  // workflow through a symlink (a pull request could switch delivery off that way).
  const folders = new Map<string, "link" | "folder" | "missing">();
  const linked = plan.flatMap((e) => {
    if (e.kind === "delete" || e.kind === "skip") return [];
    const link = symlinkOnTheWay(target, e.path, folders);
    return link === undefined ? [] : [{ path: e.path, link }];
  });
  const failing =
    linked.some((l) => failsWith(l) !== undefined) ||
    p.drift ||
    unscoped.length > 0 ||
    p.unresolved.length > 0 ||
    [...p.edits, ...deletedFiles].some((e) => failsWith(e) !== undefined) ||
    (notOurs.length > 0 && mismatchFailsWith !== undefined);
  const code = failing ? 3 : 0;
  if (args.flags.json) {
    const problems: Problem[] = [];
    if (p.drift)
      problems.push({
        kind: "drift",
        message: `update would change the repository: run ${[commandFor(io, target, "update"), ...answerArgs(p.loaded.pack.manifest, p.givenHere)].join(" ")}`,
      });
    if (p.schema.current !== p.schema.text) problems.push({ kind: "drift", path: SCHEMA_FILE, message: schemaNote(p)! });
    if (p.headerStale) problems.push({ kind: "drift", path: ANSWERS_FILE, message: HEADER_NOTE });
    for (const f of unscoped) problems.push({ kind: "unscoped-check-workflow", path: `.github/workflows/${f.name}`, message: workflowNote });
    for (const e of p.edits) problems.push({ kind: "hand-edit", path: e.path, message: `${e.path}: ${e.reason}${driftWith(failsWith(e))}` });
    for (const u of p.unresolved) problems.push({ kind: "unresolved-conflict", path: u, message: `${u} still holds conflict markers from an earlier update` });
    for (const e of deletedFiles) problems.push({ kind: "deleted", path: e.path, message: `${e.path}: ${e.reason}${driftWith(failsWith(e))}` });
    for (const e of plan)
      if (e.notUtf8) problems.push({ kind: "not-utf8", path: e.path, message: `${e.path} is not UTF-8 text (${e.notUtf8}): convert it to UTF-8` });
    for (const e of notOurs)
      problems.push({
        kind: "state-mismatch",
        path: e.path,
        message: `${STATE_FILE} lists ${e.path}: ${e.reason}${driftWith(mismatchFailsWith)}`,
      });
    for (const l of linked)
      problems.push({
        kind: "symlink",
        path: l.path,
        message: `${l.path}: ${l.link} is a symlink; GitHub does not run a workflow through one${driftWith(failsWith(l))}`,
      });
    if (!hasWorkflow && !unscoped.length) problems.push({ kind: "no-check-workflow", message: workflowNote });
    io.stdout(
      printJson(
        envelope("check", code, {
          target,
          pack: packJson(p),
          answers: answersJson(p.resolved.answers, p.origins.origins, p.origins.from),
          changes: changesJson(p),
          files: planJson(plan.filter((e) => e.kind !== "keep" || e.edited)),
          problems,
        }),
      ),
    );
    return code;
  }
  io.stdout(
    checkText({
      paint: painter(io.env, io.isTTY),
      verbose: args.flags.verbose,
      strict: args.flags.strict,
      failsWith,
      pack: p.versionChanged
        ? { from: `${p.state.pack.name}@${p.state.pack.version}`, to: `${p.loaded.pack.manifest.name}@${p.loaded.pack.manifest.version}` }
        : undefined,
      answerChanges: p.answerChanges,
      rewriteAnswers: p.rewriteAnswers,
      schemaNote: [schemaNote(p), p.headerStale ? HEADER_NOTE : undefined].filter(Boolean).join("\n") || undefined,
      plan,
      edits: p.edits,
      notOurs,
      linked,
      notOursFailWith: mismatchFailsWith,
      unresolved: p.unresolved.length ? `${unresolvedText(p.unresolved)}: ${UNRESOLVED_FIX}.` : undefined,
      workflowNote,
      verdict: failing
        ? verdictOf(p, {
            update: [commandFor(io, target, "update"), ...answerArgs(p.loaded.pack.manifest, p.givenHere)].join(" "),
            diff: commandFor(io, target, "diff"),
            unscoped: unscoped.length > 0,
            linked: linked.filter((l) => failsWith(l) !== undefined),
            edits: p.edits.filter((e) => failsWith(e) !== undefined),
            deleted: deletedFiles.filter((e) => failsWith(e) !== undefined),
            strict: args.flags.strict,
          })
        : "No drift: the repository follows its conventions.",
    }),
  );
  return code;
}

const driftWith = (flag: string | undefined) => (flag ? ` (drift with ${flag})` : "");

/** check's last line when it fails: what to run or do about it. */
function verdictOf(
  p: RepoPlan,
  c: { update: string; diff: string; unscoped: boolean; linked: { path: string; link: string }[]; edits: PlanEntry[]; deleted: PlanEntry[]; strict: boolean },
): string {
  if (p.drift || p.unresolved.length) return `Drift found: run ${c.update}.`;
  if (c.unscoped) return "Drift found: the pull-request check runs another package.";
  if (c.linked.length && !c.edits.length && !c.deleted.length)
    return `Drift found: generated files are reached through a symlink (${[...new Set(c.linked.map((l) => l.link))].join(", ")}); replace it with the real folder or file.`;
  if (!c.edits.length && !c.deleted.length)
    return `Drift found: ${STATE_FILE} lists files the template pack did not generate; ${RESTORE_FROM_GIT} or remove those entries.`;
  if (!c.strict)
    return `Drift found: generated files under .github/ differ from what the template generates; undo those changes (\`${c.diff}\` shows the edits${c.deleted.length ? `, \`${c.update} --restore\` brings deleted files back` : ""}) or make them through the answers.`;
  return `Drift found: run ${c.update}${c.deleted.length && !c.edits.length ? " --restore to bring the deleted files back" : " or move the hand edits into the answers"}.`;
}

async function applyUpdate(io: CliIo, p: RepoPlan): Promise<number> {
  const { args, target, shown, plan, loaded, prompter } = p;
  const { pack } = loaded;
  const paint = painter(io.env, io.isTTY);
  if (p.unresolved.length && !args.flags.dryRun)
    throw new PipelineError("conflict", `${unresolvedText(p.unresolved)}: nothing was written`, { where: p.unresolved[0], hint: UNRESOLVED_FIX });
  // Refuse to touch files with uncommitted edits (git only), so every change stays reviewable.
  const touched = plan
    .filter((e) => e.current !== undefined && (e.kind === "update" || e.kind === "merge" || e.kind === "conflict" || e.kind === "delete"))
    .map((e) => e.path);
  if (!args.flags.allowDirty && !args.flags.dryRun && touched.length) {
    const dirty = dirtyPaths(target, touched) ?? [];
    if (dirty.length)
      throw usageError(
        `update would change files with uncommitted edits: ${dirty.join(", ")}`,
        shown,
        "commit or stash them first so the update can be reviewed and undone, or pass --allow-dirty",
      );
  }
  const fileChanges = writes(plan).map((e) => ({ path: e.path, content: e.content! }));
  const deletes = plan.filter((e) => e.kind === "delete").map((e) => ({ path: e.path }));
  const meta: PlanEntry[] = [];
  if (p.drift) {
    const keep = Object.fromEntries(plan.filter((e) => e.kind === "skip" && p.state.files[e.path]).map((e) => [e.path, p.state.files[e.path]!]));
    const newState = makeState(p.tree, packRecord(loaded, target), TOOL_VERSION, keep, p.resolved.answers, stateOrigins(p.origins.origins, p.origins.from));
    // An answer change rewrites the answers file; otherwise only its header follows the pack.
    const answersOut = p.rewriteAnswers
      ? (await import("../core/answers-file.js")).updateAnswersText(p.answersText, pack.manifest, p.resolved.answers, TOOL_VERSION, packLabel(loaded, p.target))
      : refreshAnswersHeader(p.answersText, TOOL_VERSION, packLabel(loaded, p.target));
    // Read back before anything is written: the mark and line endings kept, exactly these answers.
    await refuseAnswersEdit(p.answersText, answersOut, ANSWERS_FILE, p.rewriteAnswers ? p.resolved.answers : undefined);
    const candidates: PlanEntry[] = [
      { path: STATE_FILE, kind: "update", reason: "pack, versions, answers and file hashes", content: serializeState(newState), current: p.stateText },
      { path: BASE_FILE, kind: "update", reason: "merge base for the next update", content: serializeBase(p.tree), current: readTargetFile(target, BASE_FILE) },
      {
        path: SCHEMA_FILE,
        kind: "update",
        reason: "JSON Schema of the answers (editor completion, offline)",
        content: p.schema.text,
        current: p.schema.current,
      },
      {
        path: ANSWERS_FILE,
        kind: "update",
        reason: p.rewriteAnswers ? "answers changed" : "header names this version and pack",
        content: answersOut,
        current: p.answersText,
      },
    ];
    // Unchanged metadata is not rewritten: no new bytes, no new mtime.
    meta.push(...candidates.filter((m) => m.content !== m.current));
  }
  // A file it would replace or delete that is a symlink (or behind one) is refused, --dry-run too.
  refuseSymlinkedChanges(target, touchedPaths(plan, meta), "update");
  const conflicts = plan.filter((e) => e.kind === "conflict");
  const view: UpdateView = {
    paint,
    shown,
    pack: packLabel(loaded),
    answers: p.resolved.answers,
    origins: p.origins.origins,
    answerChanges: p.answerChanges,
    flagOf: (key) => {
      const q = pack.manifest.questions.find((x) => x.key === key);
      return q && (q.type === "confirm" ? `--${flagName(q)} / --no-${flagName(q)}` : `--${flagName(q)}`);
    },
    packStep: p.versionChanged ? `${p.state.pack.name}@${p.state.pack.version} → ${pack.manifest.name}@${pack.manifest.version}` : undefined,
    // The tool's own files that update writes are listed too.
    plan: [...plan, ...meta],
    kept: p.edits.filter((e) => e.kind === "keep"),
    notDeleted: unproven(plan),
    unresolved: p.unresolved.length ? `${unresolvedText(p.unresolved)}; ${UNRESOLVED_FIX}.` : undefined,
  };
  const problems: Problem[] = [
    ...conflicts.map((c): Problem => ({ kind: "conflict", path: c.path, message: `${c.path}: ${c.reason}` })),
    ...p.unresolved.map((u): Problem => ({ kind: "unresolved-conflict", path: u, message: `${u} still holds conflict markers from an earlier update` })),
  ];
  const json = (code: number) =>
    printJson(
      envelope("update", code, {
        dryRun: args.flags.dryRun,
        target,
        pack: packJson(p),
        answers: answersJson(p.resolved.answers, p.origins.origins, p.origins.from),
        changes: changesJson(p),
        files: planJson([...plan, ...meta]),
        ...(problems.length ? { problems } : {}),
      }),
    );
  if (args.flags.dryRun) {
    if (args.flags.json) io.stdout(json(0));
    else {
      io.stdout(updateText("dry-run", view));
    }
    return 0;
  }
  // What the plan read must still be there when the files are put in place: an edit made while
  // the confirmation waits is not overwritten (see changedSincePlan).
  const unchanged = changedSincePlan(target, [...plan.filter((e) => e.kind === "delete" || e.content !== undefined), ...meta], p.read);
  if (prompter && (fileChanges.length || deletes.length)) {
    prompter.note(updateText("confirm", view), "Changes");
    if (!(await prompter.confirm("Apply these changes?", true))) throw new PipelineError("cancelled", "cancelled: nothing was written");
  }
  // State last: a crash before it leaves the update re-runnable.
  await commit(target, [...fileChanges, ...deletes, ...meta.map((m) => ({ path: m.path, content: m.content! }))], { changedSince: unchanged });
  const code = conflicts.length ? 4 : 0;
  if (args.flags.json) io.stdout(json(code));
  else {
    const msg = updateText(p.drift ? "done" : "nothing", view);
    if (prompter) prompter.outro(msg);
    else io.stdout(msg);
  }
  if (conflicts.length) {
    io.stderr(
      `create-pipeline: ${conflicts.length} file${conflicts.length > 1 ? "s have" : " has"} conflicts to resolve: ${conflicts.map((c) => c.path).join(", ")}\n  fix: edit the <<<<<<< ours / >>>>>>> create-pipeline blocks, then commit\n`,
    );
  }
  return code;
}
