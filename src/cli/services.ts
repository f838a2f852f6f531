// A repository of several services: create (detect the service folders, choose, write), add one
// later, and update/check of the whole repository. Same path as for one service: answers →
// render (pure) → plan → commit; only the answers model (src/core/services.ts) differs.
import { existsSync, realpathSync, statSync } from "node:fs";
import { readRegularFile } from "../io/read.js";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { coerce, defaultKeys, flagName, type Asker, type Given } from "../core/answers.js";
import { PipelineError, exitCodes, usageError, validationError, withContext } from "../core/errors.js";
import {
  applicableDrops,
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
import { planCreate, touchedPaths, writes, type ExistingPolicy } from "../core/plan.js";
import {
  isServicesAnswers,
  normaliseServicePath,
  parseServicesFile,
  renderServices,
  resolveServices,
  serializeServicesAnswers,
  serviceEntryText,
  servicesSpec,
  topServiceAnswers,
  type ResolvedRepository,
  type ServicesModel,
} from "../core/services.js";
import { readAnswersValue, refuseAnswersEdit } from "../core/answers-read.js";
import {
  ANSWERS_FILE,
  BASE_FILE,
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
import type { AnswerValue, Answers, PackManifest, PlanEntry, StateFile, Tree } from "../core/types.js";
import { commit, JOURNAL } from "../io/commit.js";
import { detect, detectReport, type DetectResult } from "../io/detect/index.js";
import { buildContextOf, dependenciesOf, reactorCommand, workspaceOf } from "../io/detect/context.js";
import { cachedReader, type FileReader } from "../io/detect/read.js";
import { findServices, type RepositoryShape } from "../io/detect/services.js";
import { ignoreFormatters } from "../io/detect/existing.js";
import { foreignChartRefusal, formatterIgnores } from "../core/existing.js";
import { CHECK_WORKFLOW_PATH } from "../core/check-workflow.js";
import { changedSincePlan, notUtf8At, readFiles, readTargetFile, refuseUndecodable } from "../io/disk.js";
import { refuseSymlinkedChanges, symlinkOnTheWay } from "../io/inside.js";
import { answersCommittedWith, dirtyPaths, refuseDirtyOverwrites } from "../io/git.js";
import type { LoadedPack } from "../io/pack-loader.js";
import { packRecord, recordSource } from "../io/pack-loader.js";
import type { Prompter } from "../io/prompter.js";
import { TOOL_VERSION } from "../version.js";
import { PACKAGE_NAME, toolCommand } from "../product.js";
import { answersSchemaFile } from "../core/json-schema.js";
import type { ParsedArgs } from "./args.js";
import { givenAnswers, openPack, packLabel } from "./inputs.js";
import { displayPath, interactive, type CliIo } from "./io.js";
import { checkText, formatAnswers, formatPlan, notDeletedText, planJson, unifiedDiff } from "./report.js";
import { painter } from "./style.js";
import { wrapText } from "./wrap.js";
import { answerChanges, answersJson, changedServices, envelope, errorJson, printJson } from "./envelope.js";
import { explainPlan, repositoryCauses } from "./explain.js";
import { honestOrigins, originLines, type AnswerOrigin, type DetectionSaid } from "./origins.js";
import { openRepo } from "../io/session.js";
import { reproduceServicesCommand } from "./reproduce.js";
import { ServicesWizard } from "./services-wizard.js";
import { askWrite } from "./wizard.js";

/** Every answer of the repository counts as given (it is written in the answers file). */
/** Each shared answer's origin as create reports it: given (a flag, --config, a prompt), detected or default. */
const originsOf = (answers: Answers, sources?: Record<string, string>) =>
  Object.fromEntries(
    Object.keys(answers).map((k) => [
      k,
      sources?.[k] === "detected" ? ("detected" as const) : sources?.[k] === "default" ? ("default" as const) : ("given" as const),
    ]),
  );

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

/**
 * Facts for one service folder, cached per run. A version the service does not pin itself comes
 * from the repository root when the root is of the same language (a Maven parent pom's
 * java.version, a workspace's .nvmrc or engines). A workspace package without a lockfile of its
 * own is installed (and its scripts run) with its workspace root's package manager. A Maven
 * module or Gradle project built from its reactor or settings root is tested from there
 * (reactorCommand).
 */
function serviceDetector(root: string, read: FileReader, givenOf: (p: string) => Record<string, unknown> = () => ({})) {
  const cache = new Map<string, Promise<DetectResult>>();
  // A service folder of a repository of several is never refused as "a folder inside a repository".
  const opts = { read, refusal: false };
  const plainReport = (p: string) => detectReport(join(root, p), opts);
  const missing = new Map<string, Record<string, string>>();
  const said = new Map<string, DetectionSaid>();
  let rootReport: ReturnType<typeof plainReport> | undefined;
  const detectService = (p: string) => {
    let d = cache.get(p);
    if (!d) {
      d = (async () => {
        const workspace = p === "." ? undefined : await workspaceOf(root, p, read);
        const report = await detectReport(join(root, p), { ...opts, workspace });
        // (Only a manifest that cannot be read is refused here: the folder's place is not.)
        const r = report.refusal;
        // (A folder named as a service where no listener was found is taken: naming it says it is one.
        // One bound to loopback is not: no probe could ever reach it.)
        if (r !== undefined && (r.overriddenBy === undefined || r.unreachable === true))
          throw usageError(`cannot make a pipeline for ${p}: ${r.message}`, r.where, r.unreachable ? r.hint : `fix it, or leave ${p} out with --services`);
        // A program that opens no port (a background worker, a Go command-line program) named as a
        // service: refused as alone, unless its port or start command is given (it does listen after all).
        const given = givenOf(p);
        if (r?.worker === true && !(r.overriddenBy ?? []).some((k) => given[k] !== undefined))
          throw usageError(`cannot make a pipeline for ${p}: ${r.message}`, r.where, `${r.hint}; or leave ${p} out of \`--services\``);
        if (report.unresolved !== undefined) missing.set(p, report.unresolved);
        const own = report.values;
        // A service's folder inside the repository names it in every clone (git or not).
        if (p !== "." && own.repoName === undefined && own.name !== undefined) own.repoName = own.name;
        const from = { ...report.from };
        said.set(p, { from, notes: { ...report.notes }, defaulted: report.defaulted, fixedPort: report.fixedPort });
        if (own.languageVersion === undefined && own.language !== undefined && p !== ".") {
          const rr = await (rootReport ??= plainReport("."));
          const r = rr.values;
          if (r.language === own.language && r.languageVersion !== undefined) {
            own.languageVersion = r.languageVersion;
            from.languageVersion = `the repository root's ${rr.from.languageVersion ?? "manifest"}`;
          }
        }
        if (own.language === "java" && p !== ".") {
          const context = await buildContextOf(root, p, own, read);
          if (context !== undefined) {
            const ctxReport = await plainReport(context);
            const ctx = ctxReport.values;
            // The build tool is the root's (its wrapper, or none): said as the root's, so the
            // module's own wrapper (or its absence) is not named for a command it does not run.
            const rootTool = /^(.*?): the build's test task$/.exec(ctxReport.from.testCommand ?? "")?.[1];
            const at = context === "." ? "(the repository root)" : context;
            for (const k of ["testCommand", "lintCommand"] as const) {
              const cmd = typeof own[k] === "string" ? reactorCommand(own[k] as string, p, context, own.buildTool, ctx.testCommand) : undefined;
              if (cmd !== undefined) {
                own[k] = cmd;
                from[k] =
                  rootTool === undefined
                    ? `${from[k] ?? "the build"}; run from the build's root ${at}`
                    : k === "testCommand"
                      ? `the module's test task, run from the build's root ${at} with its build tool (${rootTool})`
                      : `${from[k] ?? "the build"}; run from the build's root ${at} with its build tool (${rootTool})`;
              }
            }
            // The image builds the module from that root too: with the root's build tool.
            const rootCmd = typeof ctx.testCommand === "string" ? /^((?:sh\s+)?\.\/(?:mvnw|gradlew)|mvn|gradle)\b/.exec(ctx.testCommand)?.[1] : undefined;
            const ownBuild = typeof own.buildCommand === "string" ? /^((?:sh\s+)?\.\/(?:mvnw|gradlew)|mvn|gradle)\b(.*)$/.exec(own.buildCommand) : null;
            if (rootCmd !== undefined && rootTool !== undefined && ownBuild !== null && ownBuild[1] !== rootCmd) {
              own.buildCommand = `${rootCmd}${ownBuild[2]}`;
              from.buildCommand = `${(from.buildCommand ?? "").replace(/^[^;]*;\s*/, "")}, built from the build's root ${at} with its build tool (${rootTool})`;
            }
          }
        }
        return own;
      })();
      cache.set(p, d);
    }
    return d;
  };
  /** What detection looked for in a service's folder and did not find (a start command). */
  detectService.unresolved = (p: string) => missing.get(p) ?? {};
  /** Where each fact of a service's folder came from, and why something found was not taken. */
  detectService.said = (p: string): DetectionSaid => said.get(p) ?? { from: {}, notes: {} };
  return detectService;
}

/**
 * Nothing silent, as for one service: a service whose start command (or another fact only its
 * repository can say) was looked for and not found, and is given neither for the service nor at
 * the top, is not filled in with the pack's default. The run stops (exit 2, nothing written),
 * naming the service, what was looked for, and how to give it or leave the service out.
 */
function refuseServiceGuesses(
  manifest: Parameters<typeof resolveServices>[0],
  repo: ResolvedRepository,
  detector: ReturnType<typeof serviceDetector>,
  where: (path: string) => string | undefined,
  configured: boolean,
): void {
  for (const s of repo.services) {
    for (const [key, why] of Object.entries(detector.unresolved(s.path))) {
      if (s.sources[key] !== "default") continue;
      // A Go or Java image starts what its build made (the pack's default names it): not a guess.
      if (key === "startCommand" && s.answers.language !== "python" && s.answers.language !== "node") continue;
      const q = manifest.questions.find((x) => x.key === key);
      if (q === undefined) continue;
      const others = repo.services.filter((o) => o.path !== s.path).map((o) => o.path);
      throw usageError(
        `service ${s.path}: ${why}`,
        where(s.path),
        `give it under the service's entry in the services list (- path: ${s.path} / ${key}: "<value>") of ${configured ? "the answers file" : `an answers file passed with --config (or ${ANSWERS_FILE} for add)`}, or with --${flagName(q)} "<value>" when every service starts the same way${
          others.length ? `; or leave the service out with --services ${others.join(",")}` : ""
        }; the pack's default (${JSON.stringify(s.answers[key])}) would only be a guess`,
      );
    }
  }
}

/**
 * given (a flag, the answers file, a prompt), detected or default, per answer of a service; a
 * shared answer nobody gave (the default branch, the repository URL) has the origin it has at the top.
 */
function originsOfService(
  s: ResolvedRepository["services"][number],
  repo: ResolvedRepository,
  model: ServicesModel,
  said?: DetectionSaid,
): Record<string, AnswerOrigin> {
  const own = model.services.find((e) => e.path === s.path)?.given ?? {};
  const plain = (o: string | undefined): AnswerOrigin => (o === "detected" || o === "default" ? o : "given");
  return honestOrigins(
    Object.fromEntries(
      Object.entries(s.sources).map(([k, o]) => [
        k,
        o === "given" && own[k] === undefined && model.top[k] === undefined && repo.topSources?.[k] !== undefined ? plain(repo.topSources[k]) : plain(o),
      ]),
    ),
    said,
  ) as Record<string, AnswerOrigin>;
}

/** `result.services[].origins` in --json: each answer's origin, the file a detected one was read from, why a defaulted one was not taken from what was found. */
function serviceOrigins(
  s: ResolvedRepository["services"][number],
  repo: ResolvedRepository,
  model: ServicesModel,
  said: DetectionSaid,
): Record<string, { origin: AnswerOrigin; from?: string; note?: string }> {
  const origins = originsOfService(s, repo, model, said);
  return Object.fromEntries(
    Object.keys(s.answers).map((k) => {
      const origin = origins[k] ?? "given";
      return [
        k,
        {
          origin,
          ...(origin === "detected" && said.from[k] ? { from: said.from[k] } : {}),
          ...(origin === "default" && said.notes[k] ? { note: said.notes[k] } : {}),
        },
      ];
    }),
  );
}

/** The folder each service's image is built from (its own, or a workspace or reactor root above it). */
const contextOf = (root: string, read: FileReader) => (p: string, answers: Answers) => buildContextOf(root, p, answers, read);

/** What outside its folder each service's build reads: a change there selects it in CI. */
const watchOf = (root: string, read: FileReader) => (p: string, answers: Answers) => dependenciesOf(root, p, answers, read);

/** Root facts for the repository's shared answers: its name, owner and URL (never a language). */
const rootDetector = (root: string, read: FileReader) => async () => {
  const d = await detect(root, { read, refusal: false });
  return { name: d.name, repoName: d.repoName, owner: d.owner, repoUrl: d.repoUrl, defaultBranch: d.defaultBranch } as Record<string, string | undefined>;
};

/**
 * Should create treat this folder as a repository of several services? Yes when --services is
 * given, when --config lists services, or when service folders were found below a root that is
 * not a service itself. Returns the shape it read (undefined: one service, the usual create).
 */
export async function servicesShape(target: string, args: ParsedArgs, configText: string | undefined): Promise<RepositoryShape | undefined> {
  const explicit = args.flags.services !== undefined || (configText !== undefined && isServicesAnswers(configText));
  const shape = await findServices(target);
  if (explicit) return shape;
  return !shape.rootIsService && shape.services.length > 0 ? shape : undefined;
}

/** The folders to include: --services, else every one detected (in a terminal, the facts step can leave some out). */
function chooseServices(io: CliIo, target: string, args: ParsedArgs, shape: RepositoryShape): string[] {
  if (args.flags.services !== undefined) {
    const chosen = args.flags.services
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (chosen.length === 0) throw usageError("--services is empty", "--services", "list service folders, e.g. --services services/api,services/web");
    return chosen.map((raw) => checkServiceFolder(io, target, resolve(target, raw), `--services ${raw}`));
  }
  if (shape.services.length === 0)
    throw usageError(
      `no service folder found in ${displayPath(io, target)}`,
      target,
      "a service is a folder with package.json, pyproject.toml, requirements.txt, go.mod, pom.xml or build.gradle; name them with --services",
    );
  return shape.services.map((s) => s.path);
}

/** A service folder given by a user: inside the repository, existing, a folder. Returns it relative to the root. */
function checkServiceFolder(io: CliIo, root: string, abs: string, where: string): string {
  const rel = relative(root, abs);
  if (rel.startsWith("..") || resolve(root, rel) !== abs || rel.split(sep).includes(".."))
    throw usageError(
      `service folder '${displayPath(io, abs)}' is not under the repository ${displayPath(io, root)}`,
      where,
      `a service must live inside the repository that holds .create-pipeline.yaml; run \`${toolCommand()} create\` in the other repository instead`,
    );
  const p = normaliseServicePath(rel === "" ? "." : rel.split(sep).join("/"), where);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(abs);
  } catch {
    throw usageError(`service folder '${p}' does not exist`, where, "create the folder (with its manifest) first, or fix the path");
  }
  if (!st.isDirectory()) throw usageError(`'${p}' is not a folder`, where, "give the service's folder");
  // Its real place, before anything in it is read: a folder that is (or is under) a symlink out
  // of the repository would have detection read someone else's files.
  const real = realpathSync.native(abs);
  const realRel = relative(realpathSync.native(root), real);
  if (realRel.startsWith("..") || isAbsolute(realRel))
    throw usageError(
      `service folder '${p}' leads outside the repository (to ${real}): nothing in it was read`,
      where,
      `a service must live inside the repository: replace the symlink with the folder itself, or run \`${toolCommand()} create\` in the other repository`,
    );
  return p;
}

interface Common {
  io: CliIo;
  args: ParsedArgs;
  loaded: LoadedPack;
  target: string;
}

/** Each answer's origin with the file a detected one was read from, or why a defaulted one was not taken from what was found. */
type OriginOf = { origin: AnswerOrigin; from?: string; note?: string };

/** Where the repository's answers came from: the shared ones, and each service's. */
interface RepoOrigins {
  top: Record<string, AnswerOrigin>;
  services: Map<string, Record<string, OriginOf>>;
}

/**
 * The origins of a repository's answers. With the state of an earlier run (update, check, add):
 * an answer written in the answers file keeps the origin recorded when it was settled (detected,
 * default) while its value is the one recorded and no flag of this run set it, as for one service
 * (recordedOrigins); anything else in the file was given. `fresh` holds a new service's origins
 * (add), which no state records yet.
 */
function repoOrigins(
  repo: ResolvedRepository,
  model: ServicesModel,
  said: (path: string) => DetectionSaid,
  state?: StateFile,
  flags: { top: ReadonlySet<string>; services: ReadonlyMap<string, ReadonlySet<string>> } = { top: new Set(), services: new Map() },
): RepoOrigins {
  const settled = Object.fromEntries(Object.entries(repo.topSources ?? {}).filter(([, o]) => o === "detected" || o === "default"));
  const top = state ? recordedOrigins(state, repo.top, settled, flags.top).origins : originsOf(repo.top, repo.topSources);
  const services = new Map<string, Record<string, OriginOf>>();
  for (const s of repo.services) {
    const d = said(s.path);
    const base = originsOfService(s, repo, model, d);
    const rec = state?.services?.[s.path];
    const flagged = flags.services.get(s.path);
    const out: Record<string, OriginOf> = {};
    for (const k of Object.keys(s.answers)) {
      const r = rec?.origins?.[k];
      if (
        (base[k] ?? "given") === "given" &&
        r !== undefined &&
        !flagged?.has(k) &&
        !(flags.top.has(k) && !(model.services.find((e) => e.path === s.path)?.given[k] !== undefined)) &&
        JSON.stringify(rec!.answers[k]) === JSON.stringify(s.answers[k])
      ) {
        out[k] = { origin: r.origin, ...(r.from ? { from: r.from } : {}) };
        continue;
      }
      const origin = base[k] ?? "given";
      out[k] = {
        origin,
        ...(origin === "detected" && d.from[k] ? { from: d.from[k] } : {}),
        ...(origin === "default" && d.notes[k] ? { note: d.notes[k] } : {}),
      };
    }
    services.set(s.path, out);
  }
  return { top, services };
}

/** What the state records of a repository's answers: the shared ones, and each service's, with the origins of those nobody gave. */
interface StateRecord {
  answers: Answers;
  origins: StateFile["origins"];
  services: NonNullable<StateFile["services"]>;
}

function stateRecord(repo: ResolvedRepository, o: RepoOrigins): StateRecord {
  const plainOf = (r: Record<string, OriginOf>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.origin]));
  const fromOf = (r: Record<string, OriginOf>) => Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v.from ? [[k, v.from]] : [])));
  const services: StateRecord["services"] = {};
  for (const s of repo.services) {
    const r = o.services.get(s.path) ?? {};
    const origins = stateOrigins(plainOf(r), fromOf(r));
    services[s.path] = { answers: s.answers, ...(origins && Object.keys(origins).length ? { origins } : {}) };
  }
  return { answers: repo.top, origins: stateOrigins(o.top), services };
}

/**
 * The repository's shared answers, as the top-level `answers` of --json and the "Shared answers"
 * of a dry run show them: every answer that is not a service's own (the repository's name
 * included); each service's are in result.services[].answers.
 */
function sharedAnswers(manifest: PackManifest, top: Answers): Answers {
  const own = new Set(servicesSpec(manifest).keys);
  return Object.fromEntries(Object.entries(top).filter(([k]) => k === "name" || !own.has(k)));
}

/** Each service's origins, plain (given, detected, default), as the text reports show them. */
const plainOrigins = (o: RepoOrigins) => (s: ResolvedRepository["services"][number]) =>
  Object.fromEntries(Object.entries(o.services.get(s.path) ?? {}).map(([k, v]) => [k, v.origin]));

/** Everything that writes the repository: state, base and answers file entries, then the plan. */
function metaEntries(
  target: string,
  tree: Tree,
  loaded: LoadedPack,
  answersText: string,
  record: StateRecord,
  keep?: Parameters<typeof makeState>[3],
): PlanEntry[] {
  const { pack } = loaded;
  const state = makeState(tree, packRecord(loaded, target), TOOL_VERSION, keep, record.answers, record.origins, record.services);
  const out: PlanEntry[] = [
    { path: ANSWERS_FILE, kind: "create", reason: "the answers (shared at the top, per service below)", content: answersText },
    { path: STATE_FILE, kind: "create", reason: "pack, versions and file hashes", content: serializeState(state) },
    { path: BASE_FILE, kind: "create", reason: "last generated content, the merge base for update", content: serializeBase(tree) },
    { path: SCHEMA_FILE, kind: "create", reason: "JSON Schema of the answers (editor completion, offline)", content: answersSchemaFile(pack.manifest) },
  ];
  const disk = readFiles(
    target,
    out.map((m) => m.path),
  );
  for (const m of out) {
    const cur = disk.get(m.path);
    if (cur !== undefined) Object.assign(m, cur === m.content ? { kind: "keep", reason: "already identical" } : { kind: "update", current: cur });
  }
  return out;
}

function summaryLines(repo: ResolvedRepository): string {
  return repo.services
    .map((s) => `  ${s.path}: ${String(s.answers.name)} (${String(s.answers.language)} ${String(s.answers.languageVersion)}, port ${String(s.answers.port)})`)
    .join("\n");
}

/** create in a repository of several services. */
export async function createServices(
  c: Common & { given: Record<string, Given>; shape: RepositoryShape; prompter?: Prompter; configText?: string },
): Promise<number> {
  const { io, args, loaded, target, prompter } = c;
  const { pack } = loaded;
  servicesSpec(pack.manifest, args.flags.config ?? target);
  // What this session has answered, so that a cancelled one prints the command that repeats it.
  const session: Session = { chosen: {}, perService: new Map() };
  const again = (final: boolean) => reproduceServices(c, model, session, final);
  let model: ServicesModel | undefined;
  try {
    return await createServicesAsked(c, session, (m) => {
      model = m;
    });
  } catch (e) {
    // Ctrl-C at any prompt: nothing is written, and what was answered (flags included) is not lost.
    if (prompter && e instanceof PipelineError && e.code === "cancelled" && !session.printed)
      io.stdout(`\nTo start again with the answers given so far:\n\n${again(session.settled === true)}\n\n`);
    throw e;
  }
}

/** What an interactive session of several services has answered so far. */
interface Session {
  /** The services picked at the prompt. */
  services?: string[];
  /** Shared answers that differ from what was offered. */
  chosen: Record<string, AnswerValue>;
  /** Per service, answers that differ from what was offered. */
  perService: Map<string, Record<string, AnswerValue>>;
  /** Every answer is settled (the last question is the confirmation). */
  settled?: boolean;
  /** The command was printed already. */
  printed?: boolean;
}

/** The command (or, with answers for one service only, the lines) that repeats a session. */
function reproduceServices(
  c: Common & { given: Record<string, Given>; configText?: string },
  model: ServicesModel | undefined,
  session: Session,
  final: boolean,
): string {
  const { pack } = c.loaded;
  const configured = c.configText !== undefined && isServicesAnswers(c.configText);
  const serviceChosen = [...session.perService.values()].some((v) => Object.keys(v).length > 0);
  const value = (key: string, g: Given): AnswerValue | undefined => {
    const q = pack.manifest.questions.find((x) => x.key === key);
    try {
      return q && coerce(q, g.value, g.where);
    } catch {
      return undefined;
    }
  };
  const perService = new Map<string, Record<string, AnswerValue>>();
  for (const s of model?.services ?? []) {
    const own: Record<string, AnswerValue> = {};
    for (const [k, g] of Object.entries(s.given)) {
      const v = value(k, g);
      if (v !== undefined) own[k] = v;
    }
    perService.set(s.path, { ...own, ...session.perService.get(s.path) });
  }
  const { services: _s, ...flags } = c.given;
  return reproduceServicesCommand(pack.manifest, {
    target: displayPath(c.io, c.target),
    template: c.args.flags.template,
    trust: c.args.flags.trust,
    // Answers for one service only are written to a new answers file that holds everything.
    config: configured && !serviceChosen ? c.args.flags.config : undefined,
    services: model?.services.map((s) => s.path) ?? session.services,
    given: configured && serviceChosen ? (model?.top ?? flags) : flags,
    chosen: session.chosen,
    perService,
    serviceChosen,
    final,
  });
}

/**
 * A generated chart that would land in (or below) a Helm chart the tool did not write stops the
 * run, --force and --skip-existing included, as for one service (see foreignChartRefusal).
 * `ours`: the files the state says the tool wrote.
 */
function refuseForeignChart(target: string, tree: Tree, ours: ReadonlySet<string>, hint: string): void {
  const chartAt = (dir: string) => (dir === "." ? "Chart.yaml" : `${dir}/Chart.yaml`);
  // Every Chart.yaml the refusal may look at (each generated chart's folder and those above it,
  // shared by hundreds of services), read at once: most are not there.
  const wanted = new Set<string>();
  for (const file of tree.keys()) {
    if (!/(^|\/)Chart\.yaml$/.test(file)) continue;
    const parts = file.split("/").slice(0, -1);
    for (let i = parts.length; i >= 0; i--) wanted.add(chartAt(parts.slice(0, i).join("/") || "."));
  }
  const disk = readFiles(
    target,
    [...wanted].filter((p) => !ours.has(p)),
    () => true,
  );
  const refusal = foreignChartRefusal(
    [...tree.keys()],
    (dir) => {
      const p = chartAt(dir);
      if (ours.has(p)) return false;
      const current = disk.get(p);
      return current !== undefined && current !== tree.get(p)?.content;
    },
    hint,
  );
  if (refusal) throw usageError(refusal.message, refusal.where, refusal.hint);
}

/** The files a state file at the target says the tool wrote (none when there is none, or it does not parse). */
function stateFiles(target: string): ReadonlySet<string> {
  try {
    return new Set(Object.keys((JSON.parse(readTargetFile(target, STATE_FILE) ?? "{}") as { files?: object }).files ?? {}));
  } catch {
    return new Set();
  }
}

async function createServicesAsked(
  c: Common & { given: Record<string, Given>; shape: RepositoryShape; prompter?: Prompter; configText?: string },
  session: Session,
  modelIs: (m: ServicesModel) => void,
): Promise<number> {
  const { io, args, loaded, target, prompter } = c;
  const { pack } = loaded;
  let model: ServicesModel;
  // Answers given beside a --config file (flags, --set): they win over the file's shared answers
  // and are written at the top of the answers file, as the one-service create records them.
  let fromFlags: Record<string, Given> = {};
  let selectable: { path: string; hint?: string }[] | undefined;
  if (c.configText !== undefined && isServicesAnswers(c.configText)) {
    model = parseServicesFile(c.configText, args.flags.config!, pack.manifest);
    // Given for this command, as a flag is (the constraints see a value the answers do not use).
    for (const g of [...Object.values(model.top), ...model.services.flatMap((s) => Object.values(s.given))]) g.explicit = true;
    for (const s of model.services) checkServiceFolder(io, target, resolve(target, s.path), s.where);
    const { services: _s, ...rest } = c.given;
    fromFlags = rest;
    Object.assign(model.top, fromFlags);
  } else {
    const paths = chooseServices(io, target, args, c.shape);
    // Detected, not named: the facts step offers to leave some out.
    if (args.flags.services === undefined) selectable = c.shape.services.map((s) => ({ path: s.path, hint: s.manifest }));
    model = { top: { ...c.given }, services: paths.map((p) => ({ path: p, given: {}, where: `services: ${p}` })) };
  }
  modelIs(model);
  const read = cachedReader();
  const detectService = serviceDetector(target, read, (p) => ({ ...model.top, ...(model.services.find((e) => e.path === p)?.given ?? {}) }));
  const spec = servicesSpec(pack.manifest);
  const resolveWith = (m: ServicesModel, askTop?: Asker, askService?: (path: string) => Asker) =>
    resolveServices(pack.manifest, m, {
      detectRoot: rootDetector(target, read),
      detectService,
      contextOf: contextOf(target, read),
      watchOf: watchOf(target, read),
      askService,
      askTop,
    });
  // In a terminal: the short flow (facts confirmed in one step, the choices that matter, the rest
  // recommended), and "change an answer" at the confirmation.
  const wizard =
    prompter &&
    new ServicesWizard({
      manifest: pack.manifest,
      model,
      prompter,
      choices: session,
      selectable,
      serviceKeys: new Set(spec.keys),
      resolve: resolveWith,
      said: detectService.said,
      unresolved: detectService.unresolved,
    });
  let repo = wizard ? await wizard.run() : await resolveWith(model);
  const configured = c.configText !== undefined && isServicesAnswers(c.configText);
  // The plan of the answers as settled (again after "change an answer" at the confirmation).
  const planFor = async (repo: ResolvedRepository) => {
    refuseServiceGuesses(pack.manifest, repo, detectService, (p) => model.services.find((e) => e.path === p)?.where ?? p, configured);
    const tree = renderServices(pack, repo, { toolVersion: TOOL_VERSION });
    const ours = stateFiles(target);
    refuseForeignChart(
      target,
      tree,
      ours,
      "move your chart out of the way (or rename its folder), or give the service another name (`name:` under its entry in a --config answers file) so its chart is written beside yours",
    );
    // (The files an earlier run wrote are there; the others, mostly not.)
    const disk = readFiles(target, tree.keys(), (p) => !ours.has(p));
    const policy: ExistingPolicy = args.flags.force ? "force" : args.flags.skipExisting ? "skip" : "error";
    const plan = planCreate({ tree, disk, policy });
    const conflicts = plan.filter((e) => e.kind === "conflict");
    const clashError =
      conflicts.length > 0
        ? usageError(
            `${plural(conflicts.length, "file")} already exist${conflicts.length === 1 ? "s" : ""} with other content: ${conflicts
              .map((e) => e.path)
              .slice(0, 10)
              .join(", ")}${conflicts.length > 10 ? ", …" : ""}`,
            target,
            "pass --force to overwrite them or --skip-existing to keep yours (update merges them later); --dry-run lists them",
          )
        : undefined;
    // A dry run lists the clashes instead of stopping (and exits 2 as the real run would).
    if (clashError && !args.flags.dryRun) throw clashError;
    let answersText: string;
    if (c.configText !== undefined && isServicesAnswers(c.configText)) {
      answersText = c.configText;
      const flagged = Object.keys(fromFlags);
      if (flagged.length) {
        const { setTopAnswers } = await import("../core/answers-file-services.js");
        answersText = setTopAnswers(
          answersText,
          pack.manifest,
          Object.fromEntries(flagged.map((k) => [k, (repo.top[k] ?? fromFlags[k]!.value) as AnswerValue])),
        );
      }
    } else answersText = serializeServicesAnswers(pack.manifest, repo, TOOL_VERSION, packLabel(loaded));
    const full = [...plan, ...metaEntries(target, tree, loaded, answersText, stateRecord(repo, repoOrigins(repo, model, detectService.said)))];
    // A file it would write that is a symlink, or behind one, is refused (--dry-run too).
    refuseSymlinkedChanges(
      target,
      writes(full).map((e) => e.path),
      "create",
    );
    // A file written while the confirmation waits is not overwritten: the commit stops instead.
    const unchanged = changedSincePlan(target, writes(full), disk);
    return { full, unchanged, conflicts, clashError };
  };
  let { full, unchanged, conflicts, clashError } = await planFor(repo);
  while (prompter && wizard && !args.flags.dryRun) {
    const summary = wizard.summary(repo);
    prompter.note(summary.shared, "Shared answers");
    prompter.note(summary.services, plural(repo.services.length, "service"));
    prompter.note(formatPlan(full), `Files in ${displayPath(io, target)}`);
    // Every answer is settled: the command printed on cancel creates the same files (--yes).
    session.settled = true;
    // Ctrl-C here is the same as choosing Cancel: nothing written, the command printed, 130.
    const { choice, interrupted } = await askWrite(prompter);
    if (choice === "write") break;
    if (choice === "cancel") {
      // (An interrupted prompt has already said so.)
      if (!interrupted) prompter.outro("Cancelled: nothing was written.");
      session.printed = true;
      io.stdout(`To create it later with these answers:\n\n${reproduceServices(c, model, session, true)}\n`);
      return exitCodes.cancelled;
    }
    // Interrupted while changing an answer: what it opens up is not settled, so no --yes.
    session.settled = false;
    repo = await wizard.change(repo);
    ({ full, unchanged, conflicts, clashError } = await planFor(repo));
  }
  if (!args.flags.dryRun) refuseDirtyOverwrites(target, full, args.flags.allowDirty);
  if (!args.flags.dryRun)
    await commit(
      target,
      writes(full).map((e) => ({ path: e.path, content: e.content! })),
      { changedSince: unchanged },
    );
  const code = clashError ? exitCodes.usage : 0;
  if (args.flags.json) {
    io.stdout(
      printJson(
        envelope("create", code, {
          dryRun: args.flags.dryRun,
          target,
          pack: { name: pack.manifest.name, version: pack.manifest.version, source: recordSource(pack.source, target) },
          answers: answersJson(sharedAnswers(pack.manifest, repo.top), originsOf(repo.top, repo.topSources)),
          files: planJson(full),
          ...(clashError
            ? {
                problems: conflicts.map((e) => ({
                  kind: "clash" as const,
                  path: e.path,
                  message: `${e.path} exists with other content (--force overwrites, --skip-existing keeps it)`,
                })),
                error: errorJson(clashError),
              }
            : {}),
          result: {
            services: repo.services.map((s) => ({ path: s.path, answers: s.answers, origins: serviceOrigins(s, repo, model, detectService.said(s.path)) })),
            skipped: c.shape.skipped,
          },
        }),
      ),
    );
    return code;
  }
  const notYet = spec.notYet.length ? `Not generated for several services yet: ${spec.notYet.join(", ")} (the one-service pipeline has them).\n` : "";
  const skipped =
    c.shape.skipped.length && args.flags.services === undefined
      ? `Not services (left out): ${c.shape.skipped.map((s) => `${s.path} (${s.reason})`).join(", ")}\n`
      : "";
  const perService = repo.services
    .map((s) => `${s.path} (from the repository):\n${originLines(s.answers, originsOfService(s, repo, model), detectService.said(s.path)).join("\n")}`)
    .join("\n");
  const head = `${wrapText(`${args.flags.dryRun ? "Dry run, nothing written. Would set up" : "Set up"} ${plural(repo.services.length, "service")} in ${displayPath(io, target)} with ${packLabel(loaded)}:`, 80)}\n${summaryLines(repo)}\n${skipped}${notYet}\n`;
  // A dry run shows what a review needs, as for one service: every answer with its origin, the
  // whole plan, and the files that would clash.
  const text = args.flags.dryRun
    ? `${head}${dryRunAnswers(repo, spec.keys, originsOf(repo.top, repo.topSources), (s) => originsOfService(s, repo, model, detectService.said(s.path)))}\n\n${perService}\n\nFiles:\n${formatPlan(full, { all: true })}\n${clashText(conflicts)}`
    : `${head}${perService}\n\n${formatPlan(full)}\n\n${wrapText("Next: commit the files, then read docs/pipeline.md (the one-time setup for every service).", 80)}\n`;
  if (prompter) prompter.outro(text);
  else io.stdout(text);
  return code;
}

/** A dry run's answers: the shared ones, then each service's own, each with its origin (given, detected, default). */
function dryRunAnswers(
  repo: ResolvedRepository,
  serviceKeys: readonly string[],
  top: Record<string, AnswerOrigin>,
  of: (s: ResolvedRepository["services"][number]) => Record<string, AnswerOrigin>,
): string {
  const own = new Set(serviceKeys);
  const pick = (a: Answers, keep: (k: string) => boolean) => Object.fromEntries(Object.entries(a).filter(([k]) => keep(k)));
  const indent = (t: string) => t.replace(/^/gm, "  ");
  const shared = `Shared answers:\n${indent(
    formatAnswers(
      pick(repo.top, (k) => !own.has(k) || k === "name"),
      top,
    ),
  )}`;
  const each = repo.services.map(
    (s) =>
      `Answers of ${s.path} (${String(s.answers.name)}):\n${indent(
        formatAnswers(
          pick(s.answers, (k) => own.has(k)),
          of(s),
        ),
      )}`,
  );
  return [shared, ...each].join("\n\n");
}

/** The files a dry run would clash with (exist with other content), listed instead of stopping. */
const clashText = (conflicts: readonly PlanEntry[]) =>
  conflicts.length
    ? `\n${wrapText("Would clash (exist with other content; --force overwrites, --skip-existing keeps them):", 80)}\n${conflicts.map((c) => `  ! ${c.path}`).join("\n")}\n`
    : "";

/**
 * The repository root for `add`: the folder (cwd or above) that holds the answers and state files,
 * or the journal of an interrupted run (which may have moved them aside: the lock's recovery puts
 * them back before they are read).
 */
function findRoot(from: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    if ((existsSync(join(d, STATE_FILE)) && existsSync(join(d, ANSWERS_FILE))) || existsSync(join(d, JOURNAL))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** `add <folder>`: one more service in a repository of several. */
export async function runAdd(io: CliIo, argv: readonly string[], first: ParsedArgs): Promise<number> {
  if (first.target === undefined && !first.maybeTarget?.length)
    throw usageError("add needs the service's folder", "add", `run ${toolCommand()} add <folder>, e.g. add services/billing`);
  const noRepository = () =>
    usageError(
      `no repository made by create-pipeline at ${displayPath(io, io.cwd)} or above`,
      io.cwd,
      `run \`${toolCommand()} create\` at the repository root first`,
    );
  const root = findRoot(io.cwd);
  if (root === undefined) throw noRepository();
  // The lock first: the answers are read after an interrupted run is finished or undone, and
  // after a run that holds the lock (an update changing them) has ended.
  const session = await openRepo(root, "add", io.stderr);
  try {
    if (session.recovered) io.stderr(`create-pipeline: ${session.recovered}\n`);
    const answersText = readTargetFile(root, ANSWERS_FILE);
    if (answersText === undefined || !existsSync(join(root, STATE_FILE))) throw noRepository();
    if (!isServicesAnswers(answersText))
      throw usageError(
        `${displayPath(io, root)} has one service at its root, not a services list`,
        join(root, ANSWERS_FILE),
        `a repository of several services starts with \`${toolCommand()} create\` at a root that holds service folders (or create --services <a,b>)`,
      );
    return await addService(io, argv, first, root, answersText);
  } finally {
    session.release();
  }
}

async function addService(io: CliIo, argv: readonly string[], first: ParsedArgs, root: string, answersText: string): Promise<number> {
  const state = parseState(readTargetFile(root, STATE_FILE)!, STATE_FILE);
  const { recordedSource } = await import("./update.js");
  const loaded = await openPack(io, first, recordedSource(state, root));
  try {
    const { args, given } = await givenAnswers(io, argv, loaded);
    const { pack } = loaded;
    const abs = resolve(io.cwd, args.target ?? ".");
    const path = checkServiceFolder(io, root, abs, args.target ?? ".");
    const model = parseServicesFile(answersText, ANSWERS_FILE, pack.manifest);
    if (model.services.some((s) => s.path === path))
      throw usageError(
        `service ${path} is already in ${ANSWERS_FILE}`,
        `${ANSWERS_FILE}`,
        `change its answers in the file and run \`${toolCommand()} update\``,
      );
    const spec = servicesSpec(pack.manifest);
    for (const k of Object.keys(given))
      if (!spec.keys.includes(k))
        throw validationError(
          `'${k}' is shared by every service: add sets only the new service's answers`,
          given[k]!.where,
          `change it at the top of ${ANSWERS_FILE}, then run \`${toolCommand()} update\``,
        );
    const entry = { path, given: { ...given }, where: args.target ?? path };
    const read = cachedReader();
    const detector = serviceDetector(root, read);
    const opts = { detectRoot: rootDetector(root, read), detectService: detector, contextOf: contextOf(root, read), watchOf: watchOf(root, read) };
    // The service answers at the top are the other services' convention: the new folder's own
    // facts win over them. Resolved alone (without them), what it detects that differs from the
    // top (and what follows from that: the liveness path from the health path) is its own.
    const alone = await resolveServices(pack.manifest, { top: sharedOnly(model, spec.keys), services: [entry] }, opts);
    const own = ownOverrides(pack.manifest, model, alone);
    for (const [k, v] of Object.entries(own.values)) entry.given[k] = { value: v, where: own.where[k]! };
    const withNew: ServicesModel = { top: model.top, services: [...model.services, entry] };
    const repo = await resolveServices(pack.manifest, withNew, opts);
    const added = repo.services.at(-1)!;
    for (const k of Object.keys(own.values)) added.sources[k] = own.origins[k]!;
    // An answer it inherits from the top that its folder settles the same way alone has that origin.
    const a = alone.services[0]!;
    for (const [k, o] of Object.entries(a.sources))
      if (
        !(k in given) &&
        (o === "detected" || o === "default") &&
        added.sources[k] === "given" &&
        JSON.stringify(a.answers[k]) === JSON.stringify(added.answers[k])
      )
        added.sources[k] = o;
    refuseServiceGuesses(pack.manifest, { top: repo.top, services: [added] }, detector, () => args.target ?? path, true);
    // The answers file keeps the user's text; the new item is appended to the services list.
    const item = serviceEntryText(pack.manifest, added, topServiceAnswers(pack.manifest, model));
    const newAnswers = await appendService(answersText, item);
    return await applyUpdate(
      { io, args, loaded, target: root },
      {
        repo,
        answersText,
        newAnswers,
        isCheck: false,
        note: `${args.flags.dryRun ? "Would add" : "Added"} service ${path} (${String(added.answers.name)}).${configRepoStep(repo.top.gitopsRepo)}`,
        said: detector.said,
        flags: { top: new Set(), services: new Map([[path, new Set(Object.keys(given))]]) },
      },
    );
  } catch (e) {
    throw withContext(e, { target: root, pack: { name: loaded.pack.manifest.name, version: loaded.pack.manifest.version } });
  } finally {
    await loaded.cleanup();
  }
}

/**
 * With a separate config repository, a new service's values files there must exist before its
 * first promotion (the promotion writes into them, and Argo CD reads them): said when it is added.
 */
function configRepoStep(gitopsRepo: AnswerValue | undefined): string {
  const [owner, name] = String(gitopsRepo ?? "").split("/");
  if (!owner || !name) return "";
  return `\nBefore its first promotion, the config repository ${owner}/${name} needs its values files: in a checkout of it, run \`${toolCommand()} create --config-repo-for <this repository's folder>\` (the files already there stay as they are).`;
}

/** The answers file's top without the service answers written there (the repository's name kept). */
function sharedOnly(model: ServicesModel, serviceKeys: readonly string[]): Record<string, Given> {
  return Object.fromEntries(Object.entries(model.top).filter(([k]) => k === "name" || !serviceKeys.includes(k)));
}

/**
 * A new service's own answers where the top's service answers do not fit it: each answer it
 * detects that differs from the top's, then each answer whose default reads one of those (the
 * liveness and readiness paths follow the health path) and differs too. With their origins.
 */
function ownOverrides(
  manifest: PackManifest,
  model: ServicesModel,
  alone: ResolvedRepository,
): { values: Record<string, AnswerValue>; origins: Record<string, "detected" | "default">; where: Record<string, string> } {
  const s = alone.services[0]!;
  const top = topServiceAnswers(manifest, model);
  const differs = (k: string) => top.has(k) && k in s.answers && JSON.stringify(top.get(k)) !== JSON.stringify(s.answers[k]);
  const taken = new Set([...top.keys()].filter((k) => s.sources[k] === "detected" && differs(k)));
  for (let grown = true; grown; ) {
    grown = false;
    for (const q of manifest.questions) {
      if (taken.has(q.key) || s.sources[q.key] !== "default" || !differs(q.key)) continue;
      if (defaultKeys(q.default).some((k) => taken.has(k))) {
        taken.add(q.key);
        grown = true;
      }
    }
  }
  const values: Record<string, AnswerValue> = {};
  const origins: Record<string, "detected" | "default"> = {};
  const where: Record<string, string> = {};
  for (const k of taken) {
    values[k] = s.answers[k]!;
    origins[k] = s.sources[k] === "detected" ? "detected" : "default";
    where[k] = `${s.path} (${origins[k]})`;
  }
  return { values, origins, where };
}

/** The answers text with one more item at the end of its services list (see appendServiceItem). */
async function appendService(text: string, item: string): Promise<string> {
  const { appendServiceItem } = await import("../core/answers-file-services.js");
  const out = appendServiceItem(text, item);
  if (out === undefined)
    throw usageError(
      `cannot add the service to the services list of ${ANSWERS_FILE}: written back, the file would not hold exactly the old answers and the new item`,
      ANSWERS_FILE,
      `write the list as a block list under \`services:\` (one \`- path: <folder>\` item each), then run \`${toolCommand()} add\` again`,
    );
  return out;
}

const holds = (files: readonly string[]) => (files.length === 1 ? "holds" : "hold");

/** update/check of a repository of several services (called by update.ts when the answers have a services list). */
export async function runServicesUpdate(
  io: CliIo,
  argv: readonly string[],
  first: ParsedArgs,
  target: string,
  loaded: LoadedPack,
  answersText: string,
): Promise<number> {
  const { args, given } = await givenAnswers(io, argv, loaded);
  const { pack } = loaded;
  const isCheck = first.command === "check";
  // The check workflow is generated for several services too (the pack's shared files): not
  // written by check, but never a silent no-op.
  if (isCheck && args.flags.addWorkflow && !existsSync(join(target, CHECK_WORKFLOW_PATH)))
    io.stderr(
      `create-pipeline: --add-workflow: ${CHECK_WORKFLOW_PATH} is generated with the other files of a repository of several services; run \`${toolCommand()} update\` to write it (\`update --restore\` if it was deleted)\n`,
    );
  const model = parseServicesFile(answersText, ANSWERS_FILE, pack.manifest);
  const spec = servicesSpec(pack.manifest);
  // --services: the services whose own answers the answer flags or --reconfigure change.
  const only = args.flags.services === undefined ? undefined : listedServices(args.flags.services, model);
  const prompter = !isCheck && args.flags.reconfigure && interactive(io, args.flags) ? await io.prompter() : undefined;
  if (args.flags.reconfigure && !prompter)
    throw usageError(
      `--reconfigure asks ${only ? "those services' own" : "the shared"} questions again, which needs a terminal`,
      "--reconfigure",
      `change answers with --set key=value, the question flags, or by editing ${ANSWERS_FILE} (or drop --yes/--json)`,
    );
  // --reconfigure asks again the repository's shared questions asked at create (advanced ones and
  // each service's own answers stay as written: a service's are edited under its item, or asked
  // again with --services).
  let askTop: Asker | undefined;
  const stored = { ...model.top };
  const askedKeys = new Set<string>();
  // With --services, a service answer given as a flag is that service's (written under its item).
  const serviceKey = (k: string) => spec.keys.includes(k) && k !== "name";
  // (`name` too: with --services it is that service's name, without it the repository's.)
  const ownKey = (k: string) => spec.keys.includes(k);
  const own = only ? Object.entries(given).filter(([k]) => ownKey(k)) : [];
  const shared = only ? Object.fromEntries(Object.entries(given).filter(([k]) => !ownKey(k))) : given;
  const serviceWrites = new Map<string, Set<string>>();
  const read = cachedReader();
  const detector = serviceDetector(target, read);
  const resolveAll = () =>
    resolveServices(pack.manifest, model, {
      detectRoot: rootDetector(target, read),
      detectService: detector,
      contextOf: contextOf(target, read),
      watchOf: watchOf(target, read),
      askTop,
    });
  // The named services' answers before this run changes them: what changed is shown against them.
  const before = only ? await resolveAll() : undefined;
  for (const s of model.services) {
    if (!only?.includes(s.path)) continue;
    for (const [k, g] of own) s.given[k] = g;
    if (own.length) serviceWrites.set(s.path, new Set(own.map(([k]) => k)));
  }
  if (prompter) prompter.intro(`${PACKAGE_NAME}@${TOOL_VERSION}: update`);
  if (prompter && !only) {
    const serviceKeys = new Set(spec.keys);
    for (const q of pack.manifest.questions) if (!q.advanced && !serviceKeys.has(q.key) && !(q.key in given)) delete model.top[q.key];
    askTop = {
      ask: async (q, def, answers) => {
        const prior = stored[q.key];
        if (serviceKeys.has(q.key) || q.advanced) return prior !== undefined ? prior.value : def?.value;
        prompter.section(q.group ?? "");
        askedKeys.add(q.key);
        return prompter.ask(q, prior !== undefined ? { value: prior.value as never, source: "default" } : def, answers);
      },
    };
  }
  let newAnswers = answersText;
  const flagOf = (k: string) => {
    const q = pack.manifest.questions.find((x) => x.key === k);
    return q ? `--${flagName(q)}` : k;
  };
  const changed = Object.entries(shared).filter(([k, g]) => JSON.stringify(stored[k]?.value) !== JSON.stringify(g.value));
  for (const [k, g] of changed) {
    if (serviceKey(k))
      throw usageError(
        `${g.where.startsWith("--set") ? k : flagOf(k)}: a service answer cannot be set for every service from the command line`,
        g.where,
        `name the services it is for with --services <folder,...>, or set it under one service in ${ANSWERS_FILE} (or at its top, for all), then run \`${toolCommand()} update\``,
      );
  }
  const renamed = changed.find(([k]) => k === "name");
  if (renamed && spec.keys.includes("name"))
    io.stderr(
      `create-pipeline: ${renamed[1].where} changes the repository's name (the top of ${ANSWERS_FILE}), not a service's; a service is renamed with --services <folder> ${renamed[1].where.startsWith("--set") ? "--set name=<new>" : "--name <new>"}\n`,
    );
  Object.assign(model.top, shared);
  let repo = await resolveAll();
  const askedHere = new Map<string, Set<string>>();
  if (prompter && only) {
    // Each named service's own questions, its current answers as defaults; what changed is
    // written under its item, so only its files change.
    // A question that applies only once an answer changed (healthPath after protocol: http) is
    // asked in its turn: the service is resolved again after each change.
    for (const path of only) {
      const entry = model.services.find((s) => s.path === path)!;
      const done = new Set<string>();
      askedHere.set(path, done);
      for (;;) {
        const current = repo.services.find((s) => s.path === path)!;
        const q = pack.manifest.questions.find(
          (x) => serviceKey(x.key) && !x.advanced && x.key in current.answers && !done.has(x.key) && !own.some(([k]) => k === x.key),
        );
        if (!q) break;
        done.add(q.key);
        prompter.section(`${path}: ${q.group ?? ""}`);
        const v = coerce(q, await prompter.ask(q, { value: current.answers[q.key]!, source: "default" }, current.answers), "prompt", current.answers);
        if (JSON.stringify(v) === JSON.stringify(current.answers[q.key])) continue;
        entry.given[q.key] = { value: v, where: "prompt" };
        if (!serviceWrites.has(path)) serviceWrites.set(path, new Set());
        serviceWrites.get(path)!.add(q.key);
        repo = await resolveAll();
      }
    }
  }
  // What --reconfigure changed counts like a flag: written at the top of the answers file.
  const asked = [...askedKeys].filter((k) => k in repo.top && JSON.stringify(stored[k]?.value) !== JSON.stringify(repo.top[k]));
  const rewrite = [...changed.map(([k]) => k), ...asked];
  if (rewrite.length) {
    const { setTopAnswers } = await import("../core/answers-file-services.js");
    newAnswers = setTopAnswers(answersText, pack.manifest, Object.fromEntries(rewrite.map((k) => [k, repo.top[k]!])));
  }
  if (serviceWrites.size) {
    const { setServiceAnswers } = await import("../core/answers-file-services.js");
    for (const [path, keys] of serviceWrites) {
      const s = repo.services.find((x) => x.path === path)!;
      newAnswers = setServiceAnswers(newAnswers, path, Object.fromEntries([...keys].map((k) => [k, s.answers[k]!])));
    }
  }
  const note = before ? serviceChanges(pack.manifest, before, repo, only!, askedHere, ownKey) : undefined;
  return applyUpdate(
    { io, args, loaded, target },
    { repo, answersText, newAnswers, isCheck, note, said: detector.said, flags: { top: new Set([...Object.keys(shared), ...asked]), services: serviceWrites } },
  );
}

/**
 * What changed in the named services' answers, each with where its new value came from: a question
 * that applies only after a changed answer and was not asked got its default, which is said (with
 * the flag that sets it), never taken silently.
 */
function serviceChanges(
  manifest: PackManifest,
  before: ResolvedRepository,
  after: ResolvedRepository,
  only: string[],
  asked: Map<string, Set<string>>,
  serviceKey: (k: string) => boolean,
): string | undefined {
  const show = (v: unknown) => (v === undefined ? "(none)" : Array.isArray(v) ? `[${v.join(", ")}]` : v === "" ? '""' : String(v));
  const out: string[] = [];
  for (const path of only) {
    const b = before.services.find((s) => s.path === path)!;
    const a = after.services.find((s) => s.path === path)!;
    const lines: string[] = [];
    for (const q of manifest.questions) {
      const k = q.key;
      if (!serviceKey(k) || JSON.stringify(b.answers[k]) === JSON.stringify(a.answers[k])) continue;
      let line = `  ${k}: ${show(b.answers[k])} → ${show(a.answers[k])}`;
      const src = a.sources[k];
      if (k in a.answers && !(k in b.answers) && !asked.get(path)?.has(k) && (src === "default" || src === "detected"))
        line += ` (${src === "detected" ? "detected" : "DEFAULT"}: it applies now; check it, or set it with ${q.type === "confirm" ? `--${flagName(q)} / --no-${flagName(q)}` : `--${flagName(q)}`} --services ${path})`;
      lines.push(line);
    }
    if (lines.length) out.push(`What changes in ${path}:\n${lines.join("\n")}`);
  }
  return out.length ? out.join("\n") : undefined;
}

/** --services of update: folders of the answers file's services list (relative to the repository root). */
function listedServices(raw: string, model: ServicesModel): string[] {
  const known = model.services.map((s) => s.path);
  const listed = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (listed.length === 0) throw usageError("--services is empty", "--services", `name folders of the services list: ${known.join(", ")}`);
  return listed.map((p) => {
    const n = normaliseServicePath(p, "--services");
    if (!known.includes(n))
      throw usageError(
        `--services: '${p}' is not in the services list of ${ANSWERS_FILE}`,
        "--services",
        `the services: ${known.join(", ")}; add a new one with \`${toolCommand()} add ${p}\``,
      );
    return n;
  });
}

async function applyUpdate(
  c: Common,
  u: {
    repo: ResolvedRepository;
    answersText: string;
    newAnswers: string;
    isCheck: boolean;
    note?: string;
    /** What detection said of each service's folder this run. */
    said: (path: string) => DetectionSaid;
    /** The answers this run's flags set: shared, and per service. */
    flags?: { top: ReadonlySet<string>; services: ReadonlyMap<string, ReadonlySet<string>> };
  },
): Promise<number> {
  const { io, args, loaded, target } = c;
  const { pack } = loaded;
  const shown = displayPath(io, target);
  const stateText = readTargetFile(target, STATE_FILE)!;
  const state = parseState(stateText, STATE_FILE);
  // Each answer's origin as recorded when it was settled (the answers file holds only values).
  const origins = repoOrigins(u.repo, parseServicesFile(u.newAnswers, ANSWERS_FILE, pack.manifest), u.said, state, u.flags);
  // The merge base is read when a file differs from the render (never by a check without drift).
  const base = () => parseBase(readTargetFile(target, BASE_FILE) ?? "{}", BASE_FILE);
  const tree = renderServices(pack, u.repo, { toolVersion: TOOL_VERSION });
  // (check reports; add and update would write the chart into the repository's own.)
  if (!u.isCheck)
    refuseForeignChart(
      target,
      tree,
      new Set(Object.keys(state.files)),
      `move your chart out of the way (or rename its folder), or give the service another name (\`add <folder> --name <other>\`, or \`name:\` under its entry in ${ANSWERS_FILE}) so its chart is written beside yours`,
    );
  const disk = readFiles(target, new Set([...tree.keys(), ...Object.keys(state.files)]));
  const versionChanged = pack.manifest.version !== state.pack.version || pack.manifest.name !== state.pack.name;
  // What proves a dropped file was the tool's: the pack's render of the answers file as it stood
  // before this run (what a review reads; the state records no answers for several services). A
  // file is deleted only if it is byte for byte what that render holds at its path (see planUpdate).
  const resolvedOf = new Map<string, Promise<ResolvedRepository>>();
  const resolveText = (text: string) => {
    let r = resolvedOf.get(text);
    if (!r) {
      const read = cachedReader();
      r = resolveServices(pack.manifest, parseServicesFile(text, ANSWERS_FILE, pack.manifest), {
        detectRoot: rootDetector(target, read),
        detectService: serviceDetector(target, read),
        contextOf: contextOf(target, read),
        watchOf: watchOf(target, read),
      });
      resolvedOf.set(text, r);
    }
    return r;
  };
  const renderAnswers = async (text: string) => renderServices(pack, await resolveText(text), { toolVersion: TOOL_VERSION });
  const current = async (): Promise<Tree | string> => {
    try {
      return await renderAnswers(u.answersText);
    } catch {
      return `the answers in ${ANSWERS_FILE} as they stood before this run do not render`;
    }
  };
  // A service removed from the list, or an answer changed, by editing the answers file: the answers
  // file committed with the state on disk (what its files were generated from, and what a review
  // read) shows what the change drops.
  let committedText: string | null | undefined = null;
  const committedAnswers = () => {
    if (committedText === null) committedText = answersCommittedWith(target, STATE_FILE, stateText, ANSWERS_FILE);
    return committedText;
  };
  const committed = async (): Promise<Tree | string> => {
    const text = committedAnswers();
    if (text === undefined || text === u.answersText) return "";
    try {
      return await renderAnswers(text);
    } catch {
      return "";
    }
  };
  const previous = async (): Promise<Tree | string> => eitherRender([await current(), await committed()], disk);
  const drops = versionChanged ? applicableDrops(pack.manifest.migrations, state.pack.version) : undefined;
  const plan = await planUpdateMerging({ tree, state, base, disk, restore: args.flags.restore, previous, drops });
  if (!u.isCheck) refuseUndecodable(target, [ANSWERS_FILE, ...userContent(plan)]);
  // A marked block of generated files in the repository's formatter ignore files follows them.
  const meta0 = [ANSWERS_FILE, STATE_FILE, BASE_FILE, SCHEMA_FILE].map((path): PlanEntry => ({ path, kind: "keep", reason: "" }));
  for (const e of formatterIgnores(await ignoreFormatters(target), [...plan, ...meta0], { refresh: true }))
    if (e.kind !== "keep" && !plan.some((p) => p.path === e.path)) plan.push(e);
  const answersChanged = u.newAnswers !== u.answersText;
  // The answers file's schema hint points at this copy: a missing or stale one is drift too.
  const schemaCurrent = readTargetFile(target, SCHEMA_FILE);
  const schemaNote =
    schemaCurrent === answersSchemaFile(pack.manifest)
      ? undefined
      : `${SCHEMA_FILE}, the schema of the answers, is ${schemaCurrent === undefined ? "missing" : "out of date"}.`;
  const drift = changesFiles(plan) || answersChanged || versionChanged || schemaNote !== undefined;
  // What this plan read must still be there when the files are put in place (see changedSincePlan).
  // Only a run that writes asks: a check, a dry run and an update without drift write nothing (and
  // so never read the merge base for it).
  const unchanged =
    !u.isCheck && !args.flags.dryRun && drift
      ? changedSincePlan(
          target,
          [...plan.filter((e) => e.kind === "delete" || e.content !== undefined), ...meta0],
          new Map([...disk, [ANSWERS_FILE, u.answersText], [STATE_FILE, stateText], [SCHEMA_FILE, schemaCurrent]]),
        )
      : () => [];
  // --json: what changed since the files were generated, shared and per service. "Before" is the
  // answers file committed with the state (what the files came from), else as it stood before this
  // run; answers that no longer resolve count as none.
  let previousRepo: Promise<ResolvedRepository | undefined> | undefined;
  const answeredBefore = () =>
    (previousRepo ??= (async () => {
      for (const text of [committedAnswers(), u.answersText]) {
        if (text === undefined) continue;
        try {
          return await resolveText(text);
        } catch {
          // the next candidate
        }
      }
      return undefined;
    })());
  const packStep = versionChanged ? `${state.pack.name}@${state.pack.version} → ${pack.manifest.name}@${pack.manifest.version}` : undefined;
  const changes = async () => {
    const before = await answeredBefore();
    return {
      answers: answerChanges(before?.top ?? {}, u.repo.top),
      ...(versionChanged ? { pack: { from: `${state.pack.name}@${state.pack.version}`, to: `${pack.manifest.name}@${pack.manifest.version}` } } : {}),
      services: changedServices(before ?? { services: [] }, u.repo, servicesSpec(pack.manifest).keys),
    };
  };
  // Why each file changes, as for one service: the shared answer, a service's answer
  // (services[<folder>].key) or the pack version step that moves it. Worked out only when
  // something changes (a check without drift resolves nothing more).
  const why: string[] = [];
  let answersMoved = false;
  if (changesFiles(plan) || answersChanged || versionChanged) {
    const before = await answeredBefore();
    const moved = await changes();
    answersMoved = before !== undefined && (moved.answers.length > 0 || moved.services.length > 0);
    const tryRender = (r: ResolvedRepository): Tree | undefined => {
      try {
        return renderServices(pack, r, { toolVersion: TOOL_VERSION });
      } catch {
        return undefined;
      }
    };
    const causes = before ? repositoryCauses(before, u.repo, moved, tryRender) : [];
    explainPlan(plan, { tree, before: causes.length ? tryRender(before!) : tree, causes, base, step: packStep && `template pack ${packStep}` });
    why.push(...causes.map((k) => k.line));
  }
  const edits = handEdits(plan);
  const unresolved = unresolvedConflicts(plan, tree);
  if (u.isCheck) {
    const deleted = plan.filter((e) => e.kind === "skip");
    const notOurs = unproven(plan);
    await confirmBumps(plan, args.flags);
    const failsWith = strictness(args.flags);
    const mismatchFailsWith = stateMismatchFailsWith(args.flags);
    // As for one service: a generated file reached through a symlink (GitHub runs no workflow
    // through one), and files whose bytes are not UTF-8 (update would refuse to merge into them).
    const folders = new Map<string, "link" | "folder" | "missing">();
    const linked = plan.flatMap((e) => {
      if (e.kind === "delete" || e.kind === "skip") return [];
      const link = symlinkOnTheWay(target, e.path, folders);
      return link === undefined ? [] : [{ path: e.path, link }];
    });
    for (const e of plan) {
      const at = e.current !== undefined ? notUtf8At(target, e.path) : undefined;
      if (at) {
        e.reason = `${e.reason}; and it is not UTF-8 text (${at}): update cannot merge into it until it is converted to UTF-8`;
        e.notUtf8 = at;
      }
    }
    const undecodable = plan.filter((e) => e.notUtf8 !== undefined);
    const failing =
      drift ||
      unresolved.length > 0 ||
      [...edits, ...deleted].some((e) => failsWith(e) !== undefined) ||
      linked.some((l) => failsWith(l) !== undefined) ||
      (notOurs.length > 0 && mismatchFailsWith !== undefined);
    const always = [
      ...undecodable.map((e) => ({
        kind: "not-utf8" as const,
        path: e.path,
        message: `${e.path} is not UTF-8 text (${e.notUtf8}): convert it to UTF-8`,
      })),
      ...linked.map((l) => ({
        kind: "symlink" as const,
        path: l.path,
        message: `${l.path}: ${l.link} is a symlink; GitHub does not run a workflow through one${failsWith(l) ? ` (drift with ${failsWith(l)})` : ""}`,
      })),
    ];
    if (args.flags.json) {
      io.stdout(
        printJson(
          envelope("check", failing ? 3 : 0, {
            target,
            pack: { name: pack.manifest.name, version: pack.manifest.version, from: state.pack.version, source: recordSource(pack.source, target) },
            answers: answersJson(sharedAnswers(pack.manifest, u.repo.top), origins.top),
            changes: await changes(),
            files: planJson(plan.filter((e) => e.kind !== "keep" || e.edited)),
            ...(failing
              ? {
                  problems: [
                    ...(drift ? [{ kind: "drift" as const, message: "files differ from what the answers generate" }] : []),
                    ...(unresolved.length
                      ? [{ kind: "unresolved-conflict" as const, message: `${unresolved.join(", ")} ${holds(unresolved)} conflict markers` }]
                      : []),
                    ...edits
                      .filter((e) => failsWith(e) !== undefined)
                      .map((e) => ({ kind: "hand-edit" as const, path: e.path, message: `${e.path}: ${e.reason} (drift with ${failsWith(e)})` })),
                    ...(schemaNote ? [{ kind: "drift" as const, path: SCHEMA_FILE, message: schemaNote }] : []),
                    ...deleted.map((e) => ({ kind: "deleted" as const, path: e.path, message: `${e.path}: ${e.reason}` })),
                    ...notOurs.map((e) => ({ kind: "state-mismatch" as const, path: e.path, message: `${STATE_FILE} lists ${e.path}: ${e.reason}` })),
                    ...always,
                  ],
                }
              : always.length
                ? { problems: always }
                : {}),
            result: {
              services: u.repo.services.map((s) => ({ path: s.path, name: s.answers.name, answers: s.answers, origins: origins.services.get(s.path) ?? {} })),
              drift,
              answersChanged: answersChanged || answersMoved,
              handEdits: edits.map((e) => e.path),
              unresolvedConflicts: unresolved,
            },
          }),
        ),
      );
    } else {
      const onlyLinks = !drift && !unresolved.length && linked.some((l) => failsWith(l) !== undefined);
      // The same report as for one service (report.ts), with the services' own verdict.
      io.stdout(
        checkText({
          paint: painter(io.env, io.isTTY),
          verbose: args.flags.verbose,
          strict: args.flags.strict,
          failsWith,
          pack: versionChanged ? { from: `${state.pack.name}@${state.pack.version}`, to: `${pack.manifest.name}@${pack.manifest.version}` } : undefined,
          answerChanges: [],
          changeLines: why,
          rewriteAnswers: false,
          schemaNote,
          plan,
          edits,
          notOurs,
          notOursFailWith: mismatchFailsWith,
          notUtf8: undecodable,
          linked,
          unresolved: unresolved.length ? `${unresolved.join(", ")} still ${holds(unresolved)} conflict markers from an earlier update.` : undefined,
          workflowNote: "",
          verdict: !failing
            ? `No drift: ${plural(u.repo.services.length, "service")} follow their conventions.`
            : onlyLinks && ![...edits, ...deleted].some((e) => failsWith(e) !== undefined)
              ? `Drift found: generated files are reached through a symlink (${[...new Set(linked.map((l) => l.link))].join(", ")}); replace it with the real folder or file.`
              : `Drift found: run \`${toolCommand()} update\`.`,
        }),
      );
    }
    return failing ? 3 : 0;
  }
  if (unresolved.length && !args.flags.dryRun)
    throw new PipelineError("conflict", `${unresolved.join(", ")} still ${holds(unresolved)} conflict markers from an earlier update: nothing was written`, {
      where: unresolved[0],
      hint: `resolve the <<<<<<< ours / >>>>>>> create-pipeline blocks and commit, then run \`${toolCommand()} update\` again`,
    });
  const touched = plan
    .filter((e) => e.current !== undefined && (e.kind === "update" || e.kind === "merge" || e.kind === "conflict" || e.kind === "delete"))
    .map((e) => e.path);
  if (!args.flags.allowDirty && !args.flags.dryRun && touched.length) {
    const dirty = dirtyPaths(target, touched) ?? [];
    if (dirty.length)
      throw usageError(
        `the change would touch files with uncommitted edits: ${dirty.join(", ")}`,
        shown,
        "commit or stash them first so the change can be reviewed and undone, or pass --allow-dirty",
      );
  }
  const keep = Object.fromEntries(plan.filter((e) => e.kind === "skip" && state.files[e.path]).map((e) => [e.path, state.files[e.path]!]));
  const { refreshAnswersHeader } = await import("../core/answers-file.js");
  const answersOut = refreshAnswersHeader(u.newAnswers, TOOL_VERSION, packLabel(loaded));
  // Read back before anything is written: the mark and line endings kept, exactly the edited answers.
  await refuseAnswersEdit(
    u.answersText,
    answersOut,
    ANSWERS_FILE,
    u.newAnswers === u.answersText ? undefined : await readAnswersValue(u.newAnswers, ANSWERS_FILE),
  );
  const meta = drift
    ? metaEntries(target, tree, loaded, answersOut, stateRecord(u.repo, origins), keep)
        .filter((m) => m.kind !== "keep")
        .map((m) => ({ ...m, kind: "update" as const }))
    : [];
  const fileChanges = writes(plan).map((e) => ({ path: e.path, content: e.content! }));
  const deletes = plan.filter((e) => e.kind === "delete").map((e) => ({ path: e.path }));
  // A file it would replace or delete that is a symlink (or behind one) is refused, --dry-run too.
  refuseSymlinkedChanges(target, touchedPaths(plan, meta), args.command === "add" ? "add" : "update");
  const conflicts = plan.filter((e) => e.kind === "conflict");
  if (!args.flags.dryRun)
    await commit(target, [...fileChanges, ...deletes, ...meta.map((m) => ({ path: m.path, content: m.content! }))], {
      changedSince: unchanged,
    });
  const command = args.command === "add" ? "add" : "update";
  if (args.flags.json) {
    io.stdout(
      printJson(
        envelope(command, conflicts.length ? 4 : 0, {
          dryRun: args.flags.dryRun,
          target,
          pack: { name: pack.manifest.name, version: pack.manifest.version, from: state.pack.version, source: recordSource(pack.source, target) },
          answers: answersJson(sharedAnswers(pack.manifest, u.repo.top), origins.top),
          changes: await changes(),
          files: planJson([...plan, ...meta]),
          ...(conflicts.length
            ? { problems: conflicts.map((e) => ({ kind: "conflict" as const, path: e.path, message: `${e.path} has conflicts to resolve` })) }
            : {}),
          result: { services: u.repo.services.map((s) => ({ path: s.path, answers: s.answers, origins: origins.services.get(s.path) ?? {} })) },
        }),
      ),
    );
  } else {
    const whyLines = [...why, ...(packStep ? [`template pack ${packStep}`] : [])];
    const head = `${u.note ? `${u.note}\n` : ""}${whyLines.length ? `What changed:\n${whyLines.map((l) => `  ${l}`).join("\n")}\n` : ""}`;
    const keptEdits = edits.filter((e) => e.kind === "keep");
    const kept = `${keptEdits.length ? `Your edits, kept as they are:\n${keptEdits.map((e) => `  * ${e.path}: ${e.reason}`).join("\n")}\n` : ""}${notDeletedText(unproven(plan))}`;
    if (args.flags.dryRun) {
      // As for one service: every answer with its origin, the whole plan, the diffs of what changes.
      const answers = dryRunAnswers(u.repo, servicesSpec(pack.manifest).keys, origins.top, plainOrigins(origins));
      const machine = new Set([STATE_FILE, BASE_FILE, SCHEMA_FILE]);
      const diffs = [...plan, ...meta]
        .filter((e) => e.kind !== "keep" && e.kind !== "skip" && !machine.has(e.path))
        .map((e) => unifiedDiff(e.path, e.current, e.content));
      const first = unresolved.length
        ? `But first: ${unresolved.join(", ")} still ${holds(unresolved)} conflict markers from an earlier update; resolve them and commit.\n`
        : "";
      io.stdout(
        `${u.note ? `${u.note}\n` : ""}${wrapText(`Dry run, nothing written. ${drift ? "Would update" : "Nothing to update in"} ${shown} (${plural(u.repo.services.length, "service")}) with ${packLabel(loaded)}.`, 80)}\n${answers}\n\n${whyLines.length ? `What changed:\n${whyLines.map((l) => `  ${l}`).join("\n")}\n` : ""}update would:\n${formatPlan([...plan, ...meta], { all: true })}\n${kept}${first}${diffs.join("")}`,
      );
    } else
      io.stdout(
        drift
          ? `${head}Updated ${shown} (${plural(u.repo.services.length, "service")}) to ${packLabel(loaded)}:\n${formatPlan([...plan, ...meta])}\n${kept}`
          : `${head}Nothing to update: ${shown} already follows ${packLabel(loaded)}.\n${kept}`,
      );
  }
  if (conflicts.length) {
    io.stderr(
      `create-pipeline: ${plural(conflicts.length, "file")} with conflicts to resolve: ${conflicts.map((e) => e.path).join(", ")}\n  fix: edit the <<<<<<< ours / >>>>>>> create-pipeline blocks, then commit\n`,
    );
    return 4;
  }
  return 0;
}

/**
 * `create --config-repo-for <app>` in a checkout of the GitOps config repository: writes, per
 * environment and service of the app repository, the values file the app's delivery workflow
 * promotes into (<folder>/<env>/<service>/values.yaml, rendered by the same template as a
 * chart's values-<env>.yaml) and a README. Existing files are the team's and stay as they are, so
 * running it again after `add` in the app repository only adds the new service's files.
 */
export async function createConfigRepo(io: CliIo, args: ParsedArgs, loaded: LoadedPack, target: string): Promise<number> {
  const app = resolve(io.cwd, args.flags.configRepoFor!);
  const appAnswers = readTargetFile(app, ANSWERS_FILE);
  if (appAnswers === undefined || !isServicesAnswers(appAnswers))
    throw usageError(
      `${displayPath(io, app)} is not a repository of several services made by create-pipeline`,
      "--config-repo-for",
      "give the folder of the app repository (its .create-pipeline.yaml has a services list and gitopsRepo)",
    );
  if (resolve(app) === resolve(target))
    throw usageError("the config repository must be another repository than the app's", "--config-repo-for", "run this in a checkout of the config repository");
  const { pack } = loaded;
  const model = parseServicesFile(appAnswers, join(app, ANSWERS_FILE), pack.manifest);
  const read = cachedReader();
  const repo = await resolveServices(pack.manifest, model, {
    detectRoot: rootDetector(app, read),
    detectService: serviceDetector(app, read),
    contextOf: contextOf(app, read),
    watchOf: watchOf(app, read),
  });
  // gitopsRepo is owner/name or owner/name/folder (default folder: apps/<name>).
  const [owner, repoName, ...folder] = String(repo.top.gitopsRepo ?? "").split("/");
  const configRepo = owner && repoName ? `${owner}/${repoName}` : "";
  const base = folder.length ? folder.join("/") : `apps/${String(repo.top.name)}`;
  if (!configRepo)
    throw usageError(
      `${displayPath(io, app)} delivers to its own repository (gitopsRepo is not set)`,
      "--config-repo-for",
      `set \`gitopsRepo: owner/name\` at the top of its .create-pipeline.yaml, run \`${toolCommand()} update\` there, then this command again`,
    );
  // The per-environment values of each chart, rendered as if they lived beside the chart.
  const local: ResolvedRepository = {
    top: { ...repo.top, gitopsRepo: "" },
    services: repo.services.map((s) => ({ ...s, answers: { ...s.answers, gitopsRepo: "" } })),
  };
  const tree = renderServices(pack, local, { toolVersion: TOOL_VERSION });
  const files = new Map<string, string>();
  for (const s of local.services) {
    const name = String(s.answers.name);
    for (const env of s.answers.environments as string[]) {
      const f = tree.get(`charts/${name}/values-${env}.yaml`);
      if (f)
        files.set(
          `${base}/${env}/${name}/values.yaml`,
          f.content.replace(
            /^(#.*\n)+/,
            `# Values of ${name} in ${env}, layered over charts/${name}/values.yaml of the app repository.\n# The delivery workflow writes image.tag and image.digest; the rest is yours to edit.\n`,
          ),
        );
    }
  }
  const rows = local.services.map(
    (s) =>
      `| ${String(s.answers.name)} | ${(s.answers.environments as string[]).map((e) => `\`${base}/${e}/${String(s.answers.name)}/values.yaml\``).join("<br>")} |`,
  );
  files.set(
    `${base}/README.md`,
    `# Deployment state of ${String(repo.top.name)}\n\nWhat runs where, per environment and service. The delivery workflow of ${String(repo.top.repoUrl)} writes each new image here\n(image.tag and image.digest), one commit or pull request per environment; Argo CD renders each service's chart from\nthe app repository with these values. Roll back with \`git revert\` of a promotion commit.\n\n| service | values per environment |\n| --- | --- |\n${rows.join("\n")}\n\nLaid out by \`${toolCommand()} create --config-repo-for <app repository>\`; run it again after adding a service\nthere. Existing files are never overwritten.\n`,
  );
  const disk = readFiles(target, files.keys());
  const plan: PlanEntry[] = [...files].map(([path, content]) =>
    disk.get(path) === undefined
      ? { path, kind: "create", reason: "new file", content, owner: "seed" }
      : { path, kind: "keep", reason: "exists: the team's file, kept", owner: "seed" },
  );
  refuseSymlinkedChanges(
    target,
    writes(plan).map((e) => e.path),
    "create",
  );
  if (!args.flags.dryRun)
    await commit(
      target,
      writes(plan).map((e) => ({ path: e.path, content: e.content! })),
    );
  if (args.flags.json)
    io.stdout(
      printJson(envelope("create", 0, { dryRun: args.flags.dryRun, target, files: planJson(plan), result: { configRepository: configRepo, folder: base } })),
    );
  else
    io.stdout(
      `${args.flags.dryRun ? "Dry run, nothing written. Would lay out" : "Laid out"} ${configRepo} in ${displayPath(io, target)} for ${plural(local.services.length, "service")}:\n${formatPlan(plan, { all: true })}\n`,
    );
  return 0;
}

/** Read a --config file's text (to tell whether it lists services); undefined without --config. */
export function configText(io: CliIo, args: ParsedArgs): string | undefined {
  if (args.flags.config === undefined) return undefined;
  try {
    return readRegularFile(resolve(io.cwd, args.flags.config), "config file");
  } catch (e) {
    if (e instanceof PipelineError) throw e;
    throw usageError(`config file '${args.flags.config}' cannot be read`, "--config", "give the path of a YAML or JSON answers file");
  }
}

export type { Answers };
export { interactive };
