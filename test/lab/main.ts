/**
 * `npm run lab`: starts the lab's control plane, creates a repository for each combination and
 * runs the scenarios of scenarios.ts against it, then the PID-1 check of each sample service;
 * prints a table (or JSON with --json) and exits 1 when a check failed.
 *
 *   npm run lab                    the CI subset (see docs/conformance.md)
 *   npm run lab -- --all           every combination of the pairwise cover
 *   npm run lab -- --only 07,12    some combinations of the cover
 *   npm run lab -- --no-pid1       without the sample services' PID-1 check
 *   npm run lab -- --no-services   without the repository of several services (an ApplicationSet);
 *                                  with --only it runs only when the list names "services"
 *   npm run lab -- --no-shared     without the repositories that share one Argo CD (shared.ts);
 *                                  with --only it runs only when the list names "shared"
 *   npm run lab -- --keep          keep the lab's folder and the generated repositories
 *   npm run lab -- --record        keep the run's results in test/lab/runs/ (written after each
 *                                  combination, so an interrupted run keeps what it did), then
 *                                  write the tables of every kept run into docs/conformance.md
 *   npm run lab -- --doc           no run: writes the tables of the kept runs (test/lab/runs/*.json)
 *                                  into docs/conformance.md, between its markers: each combination's
 *                                  latest result, with its date, and the cover's others as not run
 *   npm run lab -- --doc FILE      the same from FILE (the --json of a run; several as FILE,FILE)
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OptionSpace, toFlags, type Combination } from "../conformance/combinations.js";
import { Lab, REPO, missingTools } from "./cluster.js";
import { runPid1, type Pid1Result } from "./pid1.js";
import { runCombination, type ComboResult } from "./scenarios.js";
import { runServices, servicesNamespaces, servicesRepo } from "./services.js";
import { runShared, sharedNamespaces, sharedPicks } from "./shared.js";

/** The dimensions each of whose values (that the cover has) is in the CI subset. */
export const SUBSET_DIMS = ["mode", "cluster", "strategy", "progressiveDelivery", "canaryAnalysis", "registry", "environments", "language", "httpRoute"];

/** What the cluster is given to roll out: rolling, or the strategy with its controller (and analysis). */
export function deliveryKind(a: Record<string, unknown>): string {
  return a.strategy === "rolling" ? "rolling" : `${a.strategy}/${a.progressiveDelivery}${a.canaryAnalysis === true ? "+analysis" : ""}`;
}

/** The values of a combination the CI subset must show again: each dimension's, and its delivery kind. */
export function ciItems(c: Combination): string[] {
  const out = SUBSET_DIMS.filter((k) => k in c.answers).map((k) => `${k}=${JSON.stringify(c.answers[k])}`);
  out.push(`kind=${deliveryKind(c.answers)}`);
  return out;
}

/** A combination's rough lab time: a Flagger release waits out Flagger's 10 s checks, a rollout controller's steps less. */
function labCost(c: Combination): number {
  const a = c.answers;
  return (a.progressiveDelivery === "flagger" ? 3 : a.strategy === "rolling" ? 1 : 2) + ((a.environments as string[] | undefined)?.length ?? 1) / 2;
}

/**
 * The CI subset: combinations of the pairwise cover chosen greedily (most new items per unit of
 * lab time first, then the first id) until every value of every SUBSET_DIMS dimension and every
 * delivery kind that the cover has appears again; then the quick share's kinds (ciQuick) if one
 * is still missing.
 */
export function ciSubset(cover: Combination[]): Combination[] {
  const left = new Set(cover.flatMap(ciItems));
  const picked: Combination[] = [];
  while (left.size) {
    let best: Combination | undefined;
    let bestN = 0;
    for (const c of cover) {
      if (picked.includes(c)) continue;
      const n = ciItems(c).filter((p) => left.has(p)).length / labCost(c);
      if (n > bestN) [best, bestN] = [c, n];
    }
    if (!best) break;
    picked.push(best);
    for (const p of ciItems(best)) left.delete(p);
  }
  for (const k of QUICK_KINDS)
    if (!picked.some((c) => k(c.answers))) {
      const c = cheapest(cover.filter((x) => k(x.answers)));
      if (c) picked.push(c);
    }
  return picked.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The lab's share of CI time: from the CI subset, combinations picked greedily (most kinds still
 * missing, then fewest environments, then first id) until each kind that the lab exists to prove
 * is there: an Argo Rollouts canary walked and aborted by real analysis; a GitOps first sync and
 * first promotion under the Rollouts controller; a blue-green preview and promotion; a Flagger
 * blue-green release promoted on a passing success rate and rolled back on a failing one; a
 * rolling update with an HTTPRoute.
 * `LAB_SCOPE=subset` runs the whole CI subset.
 */
export function ciQuick(cover: Combination[]): Combination[] {
  const subset = ciSubset(cover);
  // Greedy: the combination that shows most of the kinds still missing, then the cheapest.
  const picked: Combination[] = [];
  let left = QUICK_KINDS.filter((k) => subset.some((c) => k(c.answers)));
  while (left.length) {
    const n = (c: Combination) => left.filter((k) => k(c.answers)).length;
    const best = Math.max(...subset.map(n));
    const c = cheapest(subset.filter((x) => n(x) === best))!;
    picked.push(c);
    left = left.filter((k) => !k(c.answers));
  }
  return [...new Set(picked)].sort((a, b) => a.id.localeCompare(b.id));
}

// The pairwise cover need not have every triple (GitOps with an Argo Rollouts blue-green, say), so
// these are separate kinds; one combination may show several.
const QUICK_KINDS: ((a: Record<string, unknown>) => boolean)[] = [
  (a) => a.progressiveDelivery === "argo-rollouts" && a.strategy === "canary" && a.canaryAnalysis === true,
  (a) => a.mode === "gitops" && a.progressiveDelivery === "argo-rollouts",
  (a) => a.progressiveDelivery === "argo-rollouts" && a.strategy === "blue-green",
  // Blue-green: a canary with the "kubernetes" router is ten of Flagger's 10-second iterations.
  (a) => a.mode === "push" && a.progressiveDelivery === "flagger" && a.strategy === "blue-green",
  (a) => a.strategy === "rolling" && a.httpRoute === true,
];

const envCount = (c: Combination) => (c.answers.environments as string[] | undefined)?.length ?? 0;
/** The combination with the fewest environments (then the first id). */
const cheapest = (cs: Combination[]) => [...cs].sort((a, b) => envCount(a) - envCount(b) || a.id.localeCompare(b.id))[0];

export const SAMPLES: { fixture: string; flags: string[] }[] = [
  { fixture: "node", flags: [] },
  { fixture: "python", flags: [] },
  { fixture: "go", flags: [] },
  { fixture: "java-maven", flags: [] },
  { fixture: "java-gradle", flags: [] },
];

export function createRepo(dir: string, flags: string[], cwd?: string): { answers: Record<string, unknown> } {
  // The owner has no default (it comes from a git remote): these repositories have none.
  const owner = flags.includes("--owner") ? [] : ["--owner", "acme"];
  const r = spawnSync(process.execPath, [join(REPO, "bin", "create-pipeline.js"), dir, "--yes", "--json", ...owner, ...flags], {
    encoding: "utf8",
    cwd: cwd ?? tmpdir(),
    env: { ...process.env, CI: "true" },
  });
  if (r.status !== 0) throw new Error(`create failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { answers: Record<string, { value: unknown }> };
  return { answers: Object.fromEntries(Object.entries(out.answers).map(([k, a]) => [k, a.value])) };
}

export function combinationsFor(args: string[]): Combination[] {
  const space = OptionSpace.load();
  const cover = space.pairwiseCover();
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1]!.split(",").map((s) => `#${s.replace(/^#/, "").padStart(2, "0")}`) : undefined;
  if (only) return cover.filter((c) => only.includes(c.id));
  return args.includes("--all") ? cover : ciSubset(cover);
}

export async function runLab(
  combos: Combination[],
  opts: {
    pid1?: boolean;
    services?: boolean;
    shared?: boolean;
    keep?: boolean;
    log?: (s: string) => void;
    /** Called with the results so far after each combination (and scenario of several repositories). */
    progress?: (results: ComboResult[], startupMs: number) => void;
  } = {},
) {
  const log = opts.log ?? (() => {});
  const space = OptionSpace.load();
  const work = mkdtempSync(join(tmpdir(), "cp-lab-repos-"));
  // Interrupted (Ctrl-C, a timeout's SIGTERM), also while the control plane starts: stop its
  // processes, not only this one (before the lab is up, the exit kills what it started).
  let lab: Lab | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: stopping the lab`);
    const exit = () => {
      if (!opts.keep) rmSync(work, { recursive: true, force: true });
      process.exit(130);
    };
    if (!lab) exit();
    else void lab.stop().finally(exit);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("SIGHUP", onSignal);
  try {
    lab = await Lab.start({ keep: opts.keep });
  } catch (e) {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    throw e;
  }
  log(`lab up in ${(lab.startupMs / 1000).toFixed(1)} s (${lab.dir})`);
  const results: ComboResult[] = [];
  const pid1: Pid1Result[] = [];
  try {
    for (const c of combos) {
      const name = `lab-${c.id.replace(/\W/g, "")}`;
      const dir = join(work, name);
      let res: ComboResult;
      try {
        const out = createRepo(dir, toFlags(space.manifest, { ...c.given, name }));
        res = await runCombination(lab, c.id, out.answers, dir);
      } catch (e) {
        res = { id: c.id, answers: c.answers, dir, checks: [{ scenario: "create", ok: false, detail: String(e), ms: 0 }], ms: 0 };
      }
      results.push(res);
      opts.progress?.(results, lab.startupMs);
      log(`${c.id} ${res.checks.every((x) => x.ok) ? "ok" : "FAILED"} in ${(res.ms / 1000).toFixed(1)} s`);
      for (const x of res.checks.filter((x) => !x.ok)) log(`   ${x.scenario}: ${x.detail.split("\n").slice(0, 6).join("\n     ")}`);
      // Free the cluster for the next combination.
      const envs = (res.answers.environments as string[] | undefined) ?? [];
      lab.kubectl(["delete", "namespace", "--wait=false", "--ignore-not-found", ...envs.map((e) => `${name}-${e}`)]);
    }
    if (opts.services !== false) {
      // A repository of several services: the ApplicationSet and every Application it generates.
      const dir = join(work, "shop");
      let res: ComboResult;
      try {
        servicesRepo(dir, (d, flags) => createRepo(d, flags));
        res = await runServices(lab, "services", dir);
      } catch (e) {
        res = { id: "services", answers: {}, dir, checks: [{ scenario: "create", ok: false, detail: String(e), ms: 0 }], ms: 0 };
      }
      results.push(res);
      opts.progress?.(results, lab.startupMs);
      log(`services ${res.checks.every((x) => x.ok) ? "ok" : "FAILED"} in ${(res.ms / 1000).toFixed(1)} s`);
      for (const x of res.checks.filter((x) => !x.ok)) log(`   ${x.scenario}: ${x.detail.split("\n").slice(0, 6).join("\n     ")}`);
      lab.kubectl(["delete", "namespace", "--wait=false", "--ignore-not-found", ...servicesNamespaces(res)]);
    }
    if (opts.shared !== false) {
      // Several repositories (one per notifications answer) set up into one Argo CD.
      const repos: { answers: Record<string, unknown>; dir: string }[] = [];
      let res: ComboResult;
      try {
        for (const c of sharedPicks(space.pairwiseCover())) {
          const name = `shared-${c.id.replace(/\W/g, "")}`;
          const dir = join(work, name);
          repos.push({ dir, answers: createRepo(dir, toFlags(space.manifest, { ...c.given, name })).answers });
        }
        res = await runShared(lab, "shared", repos);
      } catch (e) {
        res = { id: "shared", answers: {}, dir: work, checks: [{ scenario: "create", ok: false, detail: String(e), ms: 0 }], ms: 0 };
      }
      results.push(res);
      opts.progress?.(results, lab.startupMs);
      log(`shared ${res.checks.every((x) => x.ok) ? "ok" : "FAILED"} in ${(res.ms / 1000).toFixed(1)} s`);
      for (const x of res.checks.filter((x) => !x.ok)) log(`   ${x.scenario}: ${x.detail.split("\n").slice(0, 6).join("\n     ")}`);
      lab.kubectl(["delete", "namespace", "--wait=false", "--ignore-not-found", ...sharedNamespaces(repos)]);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    await lab.stop();
  }
  if (opts.pid1 !== false) {
    for (const s of SAMPLES) {
      const dir = join(work, `svc-${s.fixture}`);
      cpSync(join(REPO, "test", "fixtures", "services", s.fixture), dir, { recursive: true });
      let r: Pid1Result;
      try {
        const out = createRepo(dir, s.flags, work);
        r = await runPid1(s.fixture, dir, out.answers, mkdtempSync(join(tmpdir(), "cp-lab-pid1-")));
      } catch (e) {
        r = { service: s.fixture, ok: false, detail: String(e) };
      }
      pid1.push(r);
      log(`pid1 ${s.fixture}: ${r.skipped ? `not run (${r.skipped})` : r.ok ? "ok" : "FAILED"}${r.ok ? "" : `: ${r.detail}`}`);
    }
  }
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
  return { startupMs: lab.startupMs, results, pid1, work };
}

const cell = (r: ComboResult, scenario: string) => {
  if (r.checks.length === 0) return scenario === "setup" ? "not run" : "-";
  const x = r.checks.find((c) => c.scenario.startsWith(scenario));
  if (!x) return "-";
  if (!x.ok) return "FAIL";
  // Nodes that pull with the cloud's own identity (ECR+EKS, GAR+GKE, ACR+AKS) need no pull secret:
  // nothing of the pull is checked in the lab there but the recorded node grant (GKE), so not "ok".
  if (scenario === "pull-secret" && x.detail.split("; ").every((d) => / nodes pull with their cloud identity/.test(d))) return "node identity";
  return `ok ${(x.ms / 1000).toFixed(0)}s`;
};

/** A result as a table row: its combination's answers, each scenario, its time (and the date of its run). */
type Row = ComboResult & { date?: string };

export function table(run: { startupMs: number; results: Row[]; pid1: Pid1Result[] }, opts: { dates?: boolean } = {}): string {
  const head = [
    "combination",
    "mode",
    "cluster",
    "strategy",
    "registry",
    "environments",
    "setup",
    "deploy/sync",
    "pull secret",
    "network policy",
    "progressive",
    "total",
  ];
  const rows = [opts.dates ? [...head, "run"] : head];
  for (const r of run.results) {
    const a = r.answers;
    const strategy =
      a.strategy === "rolling" ? "rolling" : `${a.strategy}/${a.progressiveDelivery}${a.strategy === "canary" ? (a.canaryAnalysis ? "+analysis" : "") : ""}`;
    const row = [
      r.id,
      Array.isArray(a.services)
        ? `${a.mode}, ${a.services.length} services`
        : Array.isArray(a.shared)
          ? `${a.mode}, ${a.shared.length} repositories, one Argo CD`
          : String(a.mode),
      String(a.cluster),
      strategy,
      String(a.registry),
      ((a.environments as string[] | undefined) ?? []).join(","),
      cell(r, "setup"),
      r.checks.find((c) => c.scenario === "deploy") ? cell(r, "deploy") : cell(r, "sync"),
      cell(r, "pull-secret"),
      cell(r, "network-policy"),
      a.progressiveDelivery === "flagger" ? cell(r, "flagger") : cell(r, "progressive"),
      r.checks.length ? `${(r.ms / 1000).toFixed(0)}s` : "-",
    ];
    if (opts.dates) row.push(r.date?.slice(0, 10) ?? "not run");
    rows.push(row);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
  const out = [line(rows[0]!), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...rows.slice(1).map(line)];
  if (run.pid1.length) {
    out.push("", "| sample service | PID 1 in its own PID namespace |", "|---|---|");
    for (const p of run.pid1)
      out.push(`| ${p.service} | ${p.skipped ? `not run: ${p.skipped}` : p.ok ? `ok: ${p.detail}` : `FAIL: ${p.detail.split("\n")[0]}`} |`);
  }
  const ran = run.results.filter((r) => r.checks.length);
  const total = ran.reduce((s, r) => s + r.ms, 0);
  out.push(
    "",
    `lab start-up ${(run.startupMs / 1000).toFixed(1)} s; ${ran.length} combinations in ${(total / 1000).toFixed(0)} s (mean ${(total / 1000 / Math.max(1, ran.length)).toFixed(1)} s)`,
  );
  return out.join("\n");
}

const DOC_START = "<!-- lab-results:start (npm run lab -- --record, or --doc, writes this part from the kept runs in test/lab/runs/) -->";
const DOC_END = "<!-- lab-results:end -->";

/** Where `--record` keeps each run's results: one file per run, named by its start. */
export const RUNS_DIR = join(REPO, "test", "lab", "runs");

export interface RunJson {
  date?: string;
  scope?: string;
  /** What a reader should know of how the run was kept. */
  note?: string;
  /**
   * The commit the generated files came from, and whether the pack or the CLI's sources had
   * uncommitted changes then: a run of an older commit says nothing of a chart changed since.
   */
  commit?: string;
  startupMs: number;
  combinations: ComboResult[];
  pid1: Pid1Result[];
  ok: boolean;
}

/** The runs kept in dir (test/lab/runs/), oldest first. */
export function keptRuns(dir = RUNS_DIR): RunJson[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      try {
        return JSON.parse(readFileSync(join(dir, f), "utf8")) as RunJson;
      } catch (e) {
        throw new Error(`test/lab/runs/${f} is not a run's JSON (${(e as Error).message}): fix or remove it`);
      }
    });
}

/** A run as it is kept: without its temporary folders, each check's detail cut to its first 40 lines. */
export function forRecord(run: RunJson): RunJson {
  const cut = (s: string) => {
    const lines = s.split("\n");
    return lines.length > 40 ? [...lines.slice(0, 40), `(${lines.length - 40} more lines)`].join("\n") : s;
  };
  return {
    ...run,
    combinations: run.combinations.map((r) => ({ ...r, dir: "", checks: r.checks.map((c) => ({ ...c, detail: cut(c.detail) })) })),
    pid1: run.pid1.map((p) => ({ ...p, detail: cut(p.detail) })),
  };
}

/**
 * The combination of today's cover a run's result is of: the one whose chosen answers (its flags)
 * the result has. Cover ids are positions and move when the option space changes, so the id the
 * run gave it does not count. The run's repository is named lab-<id>, so answers derived from the
 * name (cluster name, repository URL) are compared with the cover's name put in.
 */
export function coverOf(r: ComboResult, cover: Combination[]): Combination | undefined {
  if (!r.id.startsWith("#")) return undefined;
  const renamed = (v: unknown, name: unknown) => (typeof v === "string" && typeof r.answers.name === "string" ? v.split(r.answers.name).join(String(name)) : v);
  return cover.find((c) =>
    Object.entries(c.given).every(([k, v]) => k === "name" || JSON.stringify(renamed(r.answers[k], c.answers.name)) === JSON.stringify(v)),
  );
}

/**
 * Several runs as one table: each combination's result from the latest run that has it (its date
 * in the row), then every combination of today's pairwise cover that none of them ran, as "not
 * run". A combination's result whose chosen answers are no combination of today's cover (the cover
 * changed since) does not count; other scenarios (several services, one shared Argo CD) follow it.
 */
export function mergeRuns(runs: RunJson[], cover: Combination[]): { rows: Row[]; pid1: Pid1Result[]; runs: RunJson[] } {
  const sorted = [...runs].sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""));
  const latest = new Map<string, Row>();
  for (const run of sorted)
    for (const r of run.combinations) {
      if (!r.id.startsWith("#")) latest.set(r.id, { ...r, date: run.date });
      else {
        const c = coverOf(r, cover);
        if (c) latest.set(c.id, { ...r, id: c.id, answers: c.answers, date: run.date });
      }
    }
  const rows: Row[] = [];
  for (const c of cover) rows.push(latest.get(c.id) ?? { id: c.id, answers: c.answers, dir: "", checks: [], ms: 0 });
  for (const [id, r] of latest) if (!cover.some((c) => c.id === id)) rows.push(r);
  const pid1 = [...sorted].reverse().find((r) => r.pid1.length)?.pid1 ?? [];
  return { rows, pid1, runs: sorted };
}

/** The results part of docs/conformance.md for runs' --json. */
export function docSection(runs: RunJson[], cover: Combination[]): string {
  const { rows, pid1, runs: sorted } = mergeRuns(runs, cover);
  const ran = rows.filter((r) => r.checks.length);
  const failed = ran.filter((r) => r.checks.some((c) => !c.ok));
  const ofCover = (rs: Row[]) => rs.filter((r) => cover.some((c) => c.id === r.id));
  const dates = [...new Set(sorted.map((r) => r.date?.slice(0, 10) ?? "an unrecorded date"))].join(", ");
  const lines = [
    DOC_START,
    "",
    `${sorted.length === 1 ? "Run" : `${sorted.length} runs`} of ${dates} (${sorted.map((r) => r.scope ?? "some combinations").join("; ")}). ` +
      `Of the ${cover.length} combinations of the pairwise cover, ${ofCover(ran).length} were run: ${ofCover(ran).length - ofCover(failed).length} passed every scenario, ` +
      `${ofCover(failed).length} failed, ${cover.length - ofCover(ran).length} were not run` +
      `${ran.length > ofCover(ran).length ? `; besides the cover, ${ran.length - ofCover(ran).length - (failed.length - ofCover(failed).length)} of ${ran.length - ofCover(ran).length} other scenarios passed` : ""}. ` +
      "Each row is the latest run of that combination (its date in the last column); a row marked not run was not run with today's cover." +
      [...new Set(sorted.flatMap((r) => (r.note ? [` Note: ${r.note}.`] : [])))].join(""),
    "",
    table(
      {
        startupMs: Math.round(sorted.reduce((s, r) => s + r.startupMs, 0) / Math.max(1, sorted.length)),
        results: rows,
        pid1,
      },
      { dates: true },
    ),
  ];
  lines.push("", `Lab start-up per run: ${sorted.map((r) => `${(r.startupMs / 1000).toFixed(1)} s`).join(", ")}.`);
  if (failed.length) lines.push("", "Failed checks:", "");
  for (const r of failed) for (const c of r.checks.filter((x) => !x.ok)) lines.push(`- ${r.id} ${c.scenario}: ${c.detail.split("\n")[0]!}`);
  lines.push("", DOC_END);
  return lines.join("\n");
}

/** Writes the results part of docs/conformance.md from runs (the kept ones unless given). */
function writeDoc(runs: RunJson[], from: string): number {
  const doc = join(REPO, "docs", "conformance.md");
  const text = readFileSync(doc, "utf8");
  const a = text.indexOf(DOC_START);
  const b = text.indexOf(DOC_END);
  if (a < 0 || b < a) {
    process.stderr.write(`docs/conformance.md has no lab-results markers (${DOC_START} ... ${DOC_END})\n`);
    return 2;
  }
  writeFileSync(doc, text.slice(0, a) + docSection(runs, OptionSpace.load().pairwiseCover()) + text.slice(b + DOC_END.length));
  process.stderr.write(`docs/conformance.md: lab results of ${from} written\n`);
  return 0;
}

const USAGE = `npm run lab -- [options]
  (no option)         the CI subset of the pairwise cover, the services and shared-repository runs, PID 1 checks
  --all               every combination of the pairwise cover
  --only <ids>        those combinations (e.g. 3,17,42), and/or services, shared
  --no-pid1 --no-services --no-shared   leave those parts out
  --record            keep the run in test/lab/runs/ (then --doc writes docs/conformance.md)
  --json              the results as JSON
  --keep              leave the control plane's folder in place after the run
  --doc [files]       write the lab table of docs/conformance.md from the kept runs (or those files)
`;
/** Options that take a value: the value is not an option. */
const VALUED = new Set(["--only", "--doc"]);
const FLAGS = new Set(["--all", "--only", "--no-pid1", "--no-services", "--no-shared", "--record", "--json", "--keep", "--doc", "--help", "-h"]);

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = argv.filter((a, i) => !FLAGS.has(a) && !(i > 0 && VALUED.has(argv[i - 1]!) && !a.startsWith("--")));
  if (unknown.length > 0) {
    process.stderr.write(`npm run lab: unknown argument ${unknown.map((a) => JSON.stringify(a)).join(", ")}: nothing was started\n${USAGE}`);
    return 2;
  }
  if (argv.includes("--only") && (argv[argv.indexOf("--only") + 1] ?? "--").startsWith("--")) {
    process.stderr.write("npm run lab: --only needs the combinations (e.g. --only 3,17 or --only services): nothing was started\n");
    return 2;
  }
  if (argv.includes("--doc")) {
    const arg = argv[argv.indexOf("--doc") + 1];
    const files = arg && !arg.startsWith("--") ? arg.split(",") : undefined;
    let runs: RunJson[];
    try {
      runs = files ? files.map((f) => JSON.parse(readFileSync(f, "utf8")) as RunJson) : keptRuns();
    } catch (e) {
      process.stderr.write(`--doc: ${(e as Error).message}\n`);
      return 2;
    }
    if (runs.length === 0) {
      process.stderr.write("--doc: no run is kept in test/lab/runs/ (npm run lab -- --record keeps one); or name a run's --json file\n");
      return 2;
    }
    return writeDoc(runs, files ? files.join(", ") : "the kept runs");
  }
  const json = argv.includes("--json");
  const miss = missingTools();
  if (miss.length) {
    process.stderr.write(
      `The lab is not installed (missing: ${miss.join(", ")}).\nInstall it with: bash scripts/install-lab.sh (about 15 minutes the first time; cached in .tools/lab)\n`,
    );
    return 2;
  }
  const combos = combinationsFor(argv);
  const onlyServices = argv.includes("--only") && /(^|,)services(,|$)/.test(argv[argv.indexOf("--only") + 1] ?? "");
  const services = !argv.includes("--no-services") && (!argv.includes("--only") || onlyServices);
  const onlyShared = argv.includes("--only") && /(^|,)shared(,|$)/.test(argv[argv.indexOf("--only") + 1] ?? "");
  const shared = !argv.includes("--no-shared") && (!argv.includes("--only") || onlyShared);
  if (combos.length === 0 && !onlyServices && !onlyShared) {
    process.stderr.write("No combination matches --only; the ids are those of the pairwise cover (npm run conformance prints them).\n");
    return 2;
  }
  const scope = argv.includes("--only") ? `--only ${argv[argv.indexOf("--only") + 1]}` : argv.includes("--all") ? "the whole pairwise cover" : "the CI subset";
  const date = new Date().toISOString();
  const record = argv.includes("--record") ? join(RUNS_DIR, `${date.replace(/[:.]/g, "-")}.json`) : undefined;
  const keep = (r: RunJson) => {
    if (!record) return;
    mkdirSync(RUNS_DIR, { recursive: true });
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: REPO, encoding: "utf8" }).stdout?.trim();
    const dirty = spawnSync("git", ["status", "--porcelain", "--", "templates", "src"], { cwd: REPO, encoding: "utf8" }).stdout?.trim();
    const commit = head ? `${head}${dirty ? " (with uncommitted changes to templates/ or src/)" : ""}` : undefined;
    writeFileSync(record, `${JSON.stringify(forRecord({ ...r, ...(commit ? { commit } : {}) }), null, 2)}\n`);
  };
  const run = await runLab(combos, {
    pid1: !argv.includes("--no-pid1"),
    services,
    shared,
    keep: argv.includes("--keep"),
    // Progress goes to stderr in both forms (stdout carries the table or the JSON).
    log: (s) => process.stderr.write(`${s}\n`),
    // Kept after each combination: a run stopped part-way keeps what it did, and says so.
    progress: (results, startupMs) =>
      keep({ date, scope: `${scope}, stopped before its end (${results.length} done)`, startupMs, combinations: results, pid1: [], ok: false }),
  });
  const failed = run.results.some((r) => r.checks.some((c) => !c.ok)) || run.pid1.some((p) => !p.ok);
  const result: RunJson = { date, scope, startupMs: run.startupMs, combinations: run.results, pid1: run.pid1, ok: !failed };
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${table(run)}\n`);
  if (record) {
    keep(result);
    process.stderr.write(`kept in ${record}\n`);
    if (writeDoc(keptRuns(), "the kept runs") !== 0) return 2;
  }
  return failed ? 1 : 0;
}
