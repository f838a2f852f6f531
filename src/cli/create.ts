import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { flagName, flagUsage, resolveAnswers, slugify, type Given, type Resolved } from "../core/answers.js";
import { isServicesAnswers, refuseServicesOnly, servicesOnlyAnswer } from "../core/services-only.js";
import { PipelineError, exitCodes, usageError, withContext, type ErrorContext } from "../core/errors.js";
import { existingOutcome, formatterIgnores, skipInside, type ExistingItem, type ExistingOutcome } from "../core/existing.js";
import { planCreate, writes, type ExistingPolicy } from "../core/plan.js";
import { render, renderText } from "../core/render.js";
import { ANSWERS_FILE, BASE_FILE, SCHEMA_FILE, STATE_FILE, makeState, serializeAnswers, serializeBase, serializeState, stateOrigins } from "../core/state.js";
import type { Answers, PackManifest, PlanEntry, Question, StateFile } from "../core/types.js";
import { commit } from "../io/commit.js";
import { refuseDirtyOverwrites } from "../io/git.js";
import type { DetectReport } from "../io/detect/index.js";
import { changedSincePlan, checkTarget, readFiles, readTargetFile } from "../io/disk.js";
import { refuseSymlinkedChanges } from "../io/inside.js";
import { describeSource, packRecord, recordSource, type LoadedPack } from "../io/pack-loader.js";
import { openRepo, type RepoSession } from "../io/session.js";
import { answersSchemaFile } from "../core/json-schema.js";
import { PACKAGE_NAME, toolCommand } from "../product.js";
import { TOOL_VERSION } from "../version.js";
import type { ParsedArgs } from "./args.js";
import { answersJson, envelope, errorJson, printJson, type Problem } from "./envelope.js";
import { commandLineAnswers, givenAnswers, openPack, packLabel } from "./inputs.js";
import { commandFor, displayPath, interactive, type CliIo } from "./io.js";
import { formatAnswers, formatPlan, planJson, unifiedDiff } from "./report.js";
import { wrapText } from "./wrap.js";
import { fixedPortWarning, honestOrigins, originLines } from "./origins.js";
import { reproduceCommand } from "./reproduce.js";
import { painter } from "./style.js";
import { Wizard, askWrite, type Origin } from "./wizard.js";
import { introOnFirstUse, type Prompter } from "../io/prompter.js";
import { parseArgs } from "./args.js";

const valuesOf = (given: Record<string, Given>): Answers => Object.fromEntries(Object.entries(given).map(([k, g]) => [k, g.value])) as Answers;

/** create for a repository of several services, when the target is one; undefined otherwise. */
async function servicesCreateIfAny(
  io: CliIo,
  argv: readonly string[],
  first: ParsedArgs,
  loaded: LoadedPack,
  prompter: Prompter | undefined,
): Promise<number | undefined> {
  if (!loaded.pack.manifest.services && first.flags.services === undefined && first.flags.configRepoFor === undefined) return undefined;
  const args = parseArgs(argv, loaded.pack.manifest.questions, io.cwd);
  const target = resolve(io.cwd, args.target ?? ".");
  if (args.flags.configRepoFor !== undefined) return (await import("./services.js")).createConfigRepo(io, args, loaded, target);
  if (checkTarget(target) !== "exists") {
    if (args.flags.services !== undefined)
      throw usageError(
        "--services needs an existing repository that holds the service folders",
        "--services",
        `run \`${toolCommand()} create\` at the repository root`,
      );
    return undefined;
  }
  const svc = await import("./services.js");
  const text = svc.configText(io, args);
  // An answer only the services layout supports so far (a separate config repository,
  // --gitops-repo), given on the command line for a repository whose root is the service: it is
  // set up as a repository of one service (--services .), which update and check then follow.
  const only =
    args.flags.services === undefined && text === undefined ? servicesOnlyAnswer(loaded.pack.manifest, valuesOf(commandLineAnswers(args))) : undefined;
  if (only !== undefined && (await svc.servicesShape(target, { ...args, flags: { ...args.flags, services: "." } }, text))?.rootIsService) {
    const flag = args.answers[only]?.where ?? only;
    io.stderr(
      `create-pipeline: ${flag} is supported for a repository of several services: setting this one up as a repository of one service (--services .)\n`,
    );
    args.flags.services = ".";
  }
  const shape = await svc.servicesShape(target, args, text);
  if (shape === undefined) return undefined;
  const refuseMade = () => {
    if (existsSync(join(target, STATE_FILE)) && !args.flags.force)
      throw usageError(
        `${displayPath(io, target)} already has a pipeline made by create-pipeline`,
        join(target, STATE_FILE),
        `run \`${commandFor(io, target, "update")}\` to change it, \`${commandFor(io, target, "add")} <folder>\` to add a service, or \`${commandFor(io, target, "create")} --force\` to start over`,
      );
  };
  refuseMade();
  let given: Record<string, Given>;
  if (text !== undefined && isServicesAnswers(text)) given = commandLineAnswers(args);
  else given = (await givenAnswers(io, argv, loaded)).given;
  const session = await openRepo(target, "create", io.stderr);
  try {
    if (session.recovered) io.stderr(`create-pipeline: ${session.recovered}\n`);
    // Again under the lock: an interrupted run may have had the state file moved aside.
    refuseMade();
    return await svc.createServices({ io, args, loaded, target, given, shape, prompter, configText: text });
  } finally {
    session.release();
  }
}

export async function runCreate(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<number> {
  if (first.flags.force && first.flags.skipExisting) throw usageError("--force and --skip-existing cannot be used together", "--force", "pick one");
  // Checked early (before a remote pack is fetched), and again below: only the second parse,
  // which knows the pack's flags, can tell `--debug mydir` (a target) from `--name mydir`.
  checkTarget(resolve(io.cwd, first.target ?? "."));
  // The session's opening line comes with its first prompt: an option error before it is only the error.
  const prompter = interactive(io, first.flags) ? introOnFirstUse(await io.prompter(), `${PACKAGE_NAME}@${TOOL_VERSION}`) : undefined;
  const paint = painter(io.env, io.isTTY);
  const loaded = await openPack(io, first);
  let session: RepoSession | undefined;
  const { manifest } = loaded.pack;
  const context: ErrorContext = {
    target: resolve(io.cwd, first.target ?? "."),
    pack: { name: manifest.name, version: manifest.version, source: describeSource(loaded.pack.source) },
  };
  try {
    // A repository of several services (service folders below a root that is not one, --services,
    // or a --config with a services list) takes its own path: src/cli/services.ts.
    const multi = await servicesCreateIfAny(io, argv, first, loaded, prompter);
    if (multi !== undefined) return multi;
    const { args, given } = await givenAnswers(io, argv, loaded);
    const target = resolve(io.cwd, args.target ?? ".");
    Object.assign(context, { target, answers: given });
    const shown = displayPath(io, target);
    checkTarget(target);
    // One run at a time; an interrupted earlier run is finished or undone before anything is read.
    session = await openRepo(target, "create", io.stderr);
    if (session.recovered) io.stderr(`create-pipeline: ${session.recovered}\n`);
    const status = checkTarget(target);
    if (status === "exists" && existsSync(join(target, STATE_FILE)) && !args.flags.force)
      throw usageError(
        `${shown} already has a pipeline made by create-pipeline`,
        join(target, STATE_FILE),
        `run \`${commandFor(io, target, "update")}\` to change it, or \`${commandFor(io, target, "create")} --force\` to start over`,
      );
    const { pack } = loaded;
    // Detection is read only when a default needs it; a folder it refuses (a language or layout
    // not supported) stops here unless the language was given explicitly.
    let report: DetectReport | undefined;
    const detected =
      status === "exists"
        ? async () => {
            // (Detection's code loads only for a folder that holds something to detect.)
            report = await (await import("../io/detect/index.js")).detectReport(target);
            const r = report.refusal;
            // (A refusal some answers override: given, the user says what detection did not see.)
            if (r !== undefined && !["language", ...(r.overriddenBy ?? [])].some((k) => given[k] !== undefined))
              throw usageError(`cannot make a pipeline here: ${r.message}`, r.where, r.hint);
            return report.values;
          }
        : // A new folder: its name is the one given on the command line, not a clone's folder.
          { name: slugify(basename(target)), repoName: slugify(basename(target)) };
    const wizard = prompter && new Wizard(pack.manifest, given, detected, prompter);
    const again = (final: boolean) =>
      reproduceCommand(pack.manifest, { target: shown, template: args.flags.template, trust: args.flags.trust, given, chosen: wizard?.chosen ?? {}, final });
    // Ctrl-C at any prompt: nothing is written, and what was answered (flags included) is not
    // lost: the command that starts again from there is printed, once.
    let reproduced = false;
    const cancellable = async <T>(step: () => Promise<T>, final = true): Promise<T> => {
      try {
        return await step();
      } catch (e) {
        if (e instanceof PipelineError && e.code === "cancelled" && wizard && !reproduced) {
          reproduced = true;
          io.stdout(`\nTo start again with the answers given so far:\n\n${again(final)}\n\n`);
        }
        throw e;
      }
    };
    const resolved0 = wizard
      ? await cancellable(() => wizard.run(), false)
      : await resolveAnswers(pack.manifest, { given, detected }).catch((e: unknown) => {
          throw withDetected(e, report, given);
        });
    let resolved: Resolved = resolved0;
    // In a terminal, what the repository must say and does not is asked (nothing offered).
    if (wizard && report?.unresolved) {
      const origins = wizard.origins(resolved);
      const open = Object.keys(report.unresolved).filter((k) => origins[k] === "default");
      if (open.length) resolved = await cancellable(() => wizard.settle(open, resolved), false);
    }
    if (pack.manifest.services) refuseServicesOnly(pack.manifest, resolved.answers, given, commandFor(io, target, "create"));
    refuseGuesses(pack.manifest, resolved, wizard ? wizard.origins(resolved) : originsOf(resolved), report, target);
    // Recorded in the state, so check and update still say which answers were detected or defaulted.
    const originsNow = () => stateOrigins(honestOrigins(wizard ? wizard.origins(resolved) : originsOf(resolved), report), report?.from);
    const policy: ExistingPolicy = args.flags.force ? "force" : args.flags.skipExisting ? "skip" : "error";
    const decisions: Record<string, "overwrite" | "skip"> = {};
    // What the repository already has (its own chart, Dockerfiles, workflows, release and hook
    // tools): never mixed into or overwritten silently, each reported with what to do.
    const existing: Existing =
      status === "exists"
        ? { items: await (await import("../io/detect/existing.js")).existingSetup(target), ours: ownFiles(target) }
        : { items: [], ours: new Set() };
    let planned: Planned;
    for (;;) {
      planned = planFiles(loaded, target, resolved, policy, decisions, existing, originsNow());
      // A file it would write (over a clash too) that is a symlink, or behind one, is refused
      // before any question, --dry-run too: a rename would replace the link, and a folder link
      // would have the file written into whatever it points to.
      refuseSymlinkedChanges(
        target,
        writes(planned.full).map((e) => e.path),
        "create",
      );
      const refusal = planned.existing.refusal;
      if (refusal) throw usageError(`cannot write the chart: ${refusal.message}`, refusal.where, refusal.hint);
      if (!prompter || args.flags.dryRun) break;
      if (policy === "error") {
        for (const e of planned.full.filter((x) => x.kind === "conflict" && !(x.path in decisions))) {
          for (;;) {
            const choice = await cancellable(() => prompter.existing(e.path));
            if (choice === "diff") {
              prompter.note(unifiedDiff(e.path, e.current, e.content) || "(no difference)", e.path);
              continue;
            }
            if (choice === "abort") throw new PipelineError("cancelled", "aborted: nothing was written");
            decisions[e.path] = choice;
            break;
          }
        }
        planned = planFiles(loaded, target, resolved, policy, decisions, existing, originsNow());
      }
      prompter.note(formatAnswers(resolved.answers, honestOrigins(wizard!.origins(resolved), report), paint), "Answers");
      prompter.note(formatPlan(planned.full, { verbose: args.flags.verbose, paint }), `Files in ${shown}`);
      if (planned.existing.notes.length) prompter.note(existingText(planned.existing, false), "Already in the repository");
      const fixed = fixedPortWarning(resolved.answers, report);
      if (fixed !== undefined) prompter.note(wrap(fixed.message, 76, 0), "Warning: a port no variable moves");
      // Ctrl-C here is the same as choosing Cancel: nothing written, the command printed, 130.
      const { choice, interrupted } = await askWrite(prompter);
      if (choice === "write") break;
      if (choice === "cancel") {
        // (An interrupted prompt has already said so.)
        if (!interrupted) prompter.outro("Cancelled: nothing was written.");
        io.stdout(`To create it later with these answers:\n\n${again(true)}\n`);
        return exitCodes.cancelled;
      }
      // Interrupted while changing an answer: what it opens up is not settled, so no --yes.
      resolved = await cancellable(() => wizard!.change(resolved), false);
    }
    const origins: Record<string, Origin> = honestOrigins(wizard ? wizard.origins(resolved) : originsOf(resolved), report);
    const clashes = planned.full.filter((e) => e.kind === "conflict");
    const clashError =
      clashes.length > 0
        ? usageError(
            `${clashes.length} file${clashes.length > 1 ? "s" : ""} already exist${clashes.length > 1 ? "" : "s"} with other content: ${clashes.map((c) => c.path).join(", ")}`,
            target,
            "pass --force to overwrite them or --skip-existing to keep yours (update merges them later); --dry-run lists them",
          )
        : undefined;
    if (clashError && !args.flags.dryRun) throw clashError;
    if (!args.flags.dryRun) {
      refuseDirtyOverwrites(target, planned.full, args.flags.allowDirty);
      const changes = writes(planned.full).map((e) => ({ path: e.path, content: e.content! }));
      // A file written while the confirmation waited is not overwritten: the commit stops instead.
      const work = () => commit(target, changes, { changedSince: planned.unchanged });
      if (prompter) await prompter.spin("Writing files", `Wrote ${changes.length} files`, work);
      else await work();
    }
    const problems: Problem[] = [
      ...clashes.map((c) => ({
        kind: "clash" as const,
        path: c.path,
        message: `${c.path} exists with other content (--force overwrites, --skip-existing keeps it)`,
      })),
      ...planned.existing.notes.map((n) => ({ kind: "existing" as const, path: n.path, message: n.message })),
      ...[fixedPortWarning(resolved.answers, report)].flatMap((w) => (w ? [{ kind: "existing" as const, path: w.where, message: w.message }] : [])),
    ];
    const { nextSteps } = planned;
    // A dry run lists clashes instead of stopping, but exits as the real run would (2), so a dry
    // run in CI does not pass where the create would fail.
    const code = clashes.length ? exitCodes.usage : 0;
    if (args.flags.json) {
      io.stdout(
        printJson(
          envelope("create", code, {
            dryRun: args.flags.dryRun,
            target,
            pack: { name: pack.manifest.name, version: pack.manifest.version, source: recordSource(pack.source, target) },
            answers: answersJson(resolved.answers, origins, report?.from, report?.notes),
            files: planJson(planned.full),
            ...(problems.length || resolved.ignored.length ? { problems: [...problems, ...ignoredProblems(resolved)] } : {}),
            ...(nextSteps && !args.flags.dryRun ? { nextSteps } : {}),
            ...(clashError ? { error: errorJson(clashError) } : {}),
          }),
        ),
      );
      return code;
    }
    const out: string[] = [];
    if (args.flags.dryRun) {
      out.push(wrap(`Dry run, nothing written. create would write ${shown} with ${packLabel(loaded)}:`, 80));
      out.push(`Answers:\n${indent(formatAnswers(resolved.answers, origins, paint))}`);
      if (report !== undefined) out.push(serviceReport(resolved, origins, report));
      out.push(`Files:\n${formatPlan(planned.full, { all: true, paint })}`);
      if (clashes.length)
        out.push(
          `${wrap("Would clash (exist with other content; --force overwrites, --skip-existing keeps them):", 80)}\n${clashes.map((c) => `  ! ${c.path}`).join("\n")}`,
        );
      if (planned.existing.notes.length) out.push(existingText(planned.existing));
    } else if (!prompter) {
      out.push(`${wrap(`Wrote ${shown} with ${packLabel(loaded)}:`, 80)}\n${formatPlan(planned.full, { verbose: args.flags.verbose, paint })}`);
      if (report !== undefined) out.push(serviceReport(resolved, origins, report));
      if (planned.existing.notes.length) out.push(existingText(planned.existing));
      out.push(originLine(resolved, origins));
    }
    if (resolved.ignored.length) out.push(wrap(`Ignored (not used with these answers): ${resolved.ignored.join(", ")}`, 80));
    if (prompter) prompter.outro(args.flags.dryRun ? "Dry run: nothing was written." : `Done: ${shown} has its pipeline.`);
    // Plain text, outside any box, so the commands copy and paste as they are.
    if (nextSteps && !args.flags.dryRun) out.push(/^next steps/i.test(nextSteps.trimStart()) ? nextSteps.trim() : `Next steps:\n${nextSteps.trimEnd()}`);
    if (out.length) io.stdout(`${out.join("\n\n")}\n`);
    return code;
  } catch (e) {
    throw withContext(e, context);
  } finally {
    session?.release();
    await loaded.cleanup();
  }
}

interface Planned {
  full: PlanEntry[];
  /** Which files the plan writes no longer hold what they held when it was made (see changedSincePlan). */
  unchanged: () => string[];
  nextSteps: string;
  existing: ExistingOutcome;
}

interface Existing {
  items: ExistingItem[];
  /** Paths a previous run of this tool wrote (its state file): never the repository's own. */
  ours: ReadonlySet<string>;
}

function ownFiles(target: string): ReadonlySet<string> {
  // A state file that is not a regular file inside the target is refused (exit 2); one that does
  // not parse names no files.
  const text = readTargetFile(target, STATE_FILE);
  try {
    return new Set(Object.keys((JSON.parse(text ?? "{}") as { files?: object }).files ?? {}));
  } catch {
    return new Set();
  }
}

/** The summary of what was already there: what create did with each, and what to do. */
function existingText(outcome: ExistingOutcome, heading = true): string {
  const items = outcome.notes.map((n) => wrap(`  ${n.path}: ${n.message}`, 80, 6)).join("\n");
  return heading ? `${wrap("Already in the repository (nothing of it overwritten or mixed with generated files):", 80)}\n${items}` : items;
}

/** Render and plan every file (the state files included) for these answers. */
function planFiles(
  loaded: LoadedPack,
  target: string,
  resolved: Resolved,
  policy: ExistingPolicy,
  decisions: Record<string, "overwrite" | "skip">,
  existing: Existing,
  origins: StateFile["origins"],
): Planned {
  const { pack } = loaded;
  const tree = render(pack, resolved.answers, { toolVersion: TOOL_VERSION });
  const disk = readFiles(target, tree.keys());
  const first = planCreate({ tree, disk, policy, decisions });
  const outcome = existingOutcome(existing.items, first, policy, existing.ours);
  const plan = skipInside(first, outcome.skipDirs);
  const state = makeState(tree, packRecord(loaded, target), TOOL_VERSION, undefined, resolved.answers, origins);
  const meta: PlanEntry[] = [
    {
      path: ANSWERS_FILE,
      kind: "create",
      reason: "the answers (edit them to change the pipeline)",
      content: serializeAnswers(pack.manifest, resolved.answers, TOOL_VERSION, packLabel(loaded, target)),
    },
    { path: STATE_FILE, kind: "create", reason: "pack, versions and file hashes", content: serializeState(state) },
    { path: BASE_FILE, kind: "create", reason: "last generated content, the merge base for update", content: serializeBase(tree) },
    { path: SCHEMA_FILE, kind: "create", reason: "JSON Schema of the answers (editor completion, offline)", content: answersSchemaFile(pack.manifest) },
  ];
  for (const m of meta) {
    const cur = readFiles(target, [m.path]).get(m.path);
    if (cur !== undefined) Object.assign(m, cur === m.content ? { kind: "keep", reason: "already identical" } : { kind: "update", current: cur });
  }
  const nextSteps = pack.manifest.nextSteps ? renderText(pack, pack.manifest.nextSteps, resolved.answers, { toolVersion: TOOL_VERSION }) : "";
  // The repository's own formatters are told to leave the generated files alone (not recorded in
  // the state: the ignore file is the repository's).
  const ignores = formatterIgnores(existing.items, [...plan, ...meta]).filter((e) => !plan.some((p) => p.path === e.path));
  const full = [...plan, ...meta, ...ignores];
  return { full, nextSteps, existing: outcome, unchanged: changedSincePlan(target, writes(full), disk) };
}

/** Nothing silent: a fact the repository must supply and does not (detection says so) is not
 * filled in with the pack's default, which would only be a guess; the run stops and names the
 * flag that gives it. */
function refuseGuesses(manifest: PackManifest, resolved: Resolved, origins: Record<string, Origin>, report: DetectReport | undefined, target: string): void {
  // (A guess the user was shown and took in a terminal is the user's answer.)
  const open = Object.entries(report?.unresolved ?? {})
    .map(([key, why]) => ({ key, why, q: manifest.questions.find((x) => x.key === key) }))
    .filter((u): u is { key: string; why: string; q: Question } => u.q !== undefined && u.key in resolved.answers && origins[u.key] === "default");
  if (open.length === 0) return;
  const flag = (q: Question) => (q.type === "text" ? `--${flagName(q)} "<value>"` : flagUsage(q));
  const guesses = open.map((u) => JSON.stringify(resolved.answers[u.key])).join(", ");
  throw usageError(
    open[0]!.why,
    target,
    open.length === 1
      ? `give it with ${flag(open[0]!.q)} (${open[0]!.q.message}), or put ${open[0]!.key} in --config answers.yaml; the pack's default (${guesses}) would only be a guess`
      : `nothing was written; give ${open.map((u) => flag(u.q)).join(" and ")}, or put ${open.map((u) => u.key).join(" and ")} in --config answers.yaml; the pack's defaults (${guesses}) would only be guesses`,
  );
}

export function originsOf(resolved: Resolved): Record<string, Origin> {
  return Object.fromEntries(Object.entries(resolved.sources).map(([k, s]) => [k, s === "detected" || s === "default" ? s : "given"]));
}

const ignoredProblems = (r: Resolved): Problem[] =>
  r.ignored.map((k) => ({ kind: "ignored" as const, path: k, message: `${k} was given but is not used with these answers` }));

const indent = (text: string) => text.replace(/^/gm, "  ");

/**
 * A refusal that names a detected answer (a constraint on metricsPath, say) also says what detection
 * found for it: the user sees why, not only that.
 */
function withDetected(e: unknown, report: DetectReport | undefined, given: Record<string, Given>): unknown {
  if (!(e instanceof PipelineError) || e.code !== "validation" || report === undefined) return e;
  const said = Object.keys(report.from)
    .filter((k) => given[k] === undefined && new RegExp(`\\b${k}\\b`).test(e.message))
    .map((k) => `${k} ${report.values[k] === "" ? "(none)" : String(report.values[k])} was detected from ${report.from[k]}`);
  // Why a missing answer was not found (the remote is not on github.com: no owner).
  for (const [k, note] of Object.entries(report.notes))
    if (given[k] === undefined && report.values[k] === undefined && new RegExp(`missing required answers?: .*\\b${k}\\b`).test(e.message))
      said.push(`${k}: ${note}`);
  if (said.length === 0) return e;
  const out = new PipelineError(e.code, `${e.message} (${said.join("; ")})`, { where: e.where, hint: e.hint, cause: e.cause });
  out.context = e.context;
  return out;
}

/** The service answers read from the repository: each detected one with the file it came from,
 * each defaulted one flagged for checking. */
function serviceReport(resolved: Resolved, origins: Record<string, Origin>, report: DetectReport): string {
  const lines = originLines(resolved.answers, origins, report);
  // A canary left without its analysis (no metrics, or no request metric known) is said, not silent.
  if (resolved.answers.canaryAnalysis === false && origins.canaryAnalysis === "default") {
    const why =
      resolved.answers.metricsPath === ""
        ? "the service exports no Prometheus metrics (metricsPath), so the canary is not gated on a success-rate analysis; export them and give --metrics-path, --request-metric and --canary-analysis true to gate it"
        : resolved.answers.requestMetric === ""
          ? "no request metric is known (requestMetric), so the canary is not gated on a success-rate analysis; give --request-metric 'name{statusLabel}' (the counter the service exports at metricsPath) and --canary-analysis true to gate it"
          : "the metrics path (metricsPath) is only the pack's guess, so the canary is not gated on a success-rate analysis that might find no data; give --metrics-path and --canary-analysis true to gate it";
    lines.push(wrap(`  canaryAnalysis: false  [DEFAULT: ${why}]`, 80, 4));
  }
  return `What the service is (from the repository):\n${lines.join("\n")}`;
}

/** Nothing silent: what was detected is named, what was defaulted is counted. */
function originLine(resolved: Resolved, origins: Record<string, Origin>): string {
  const by = (o: Origin) => Object.keys(resolved.answers).filter((k) => origins[k] === o);
  const detected = by("detected").map((k) => `${k} ${String(resolved.answers[k])}`);
  const parts = [
    `${by("given").length} given`,
    `${detected.length} detected${detected.length ? ` (${detected.join(", ")})` : ""}`,
    `${by("default").length} default`,
  ];
  return wrap(`Answers: ${parts.join("; ")}. All are in ${ANSWERS_FILE}.`, 80);
}

export const wrap = (text: string, width: number, indent = 2): string => wrapText(text, width, indent);
