/**
 * Shared by the conformance tests: create a pipeline non-interactively into a
 * temp dir, run every real validator over it, and describe what went wrong so
 * that a reader can reproduce it with one command.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { formatFindings, listFiles, validateAll, type Finding, type ValidateAllResult } from "../support/validators.js";
import { label, reproduceCommand, toFlags, type Answers, type Combination, type OptionSpace } from "./combinations.js";

export interface Problem {
  /** A short, answer-independent description used to group failures ("zizmor unpinned-uses", ...). */
  cause: string;
  /** The full text, with file and line. */
  detail: string;
}

export interface CheckResult {
  combination: Combination;
  /** The generated repository (kept when the check failed, deleted when it passed). */
  dir: string;
  problems: Problem[];
  validation?: ValidateAllResult;
  files: string[];
  ms: { create: number; validate: number };
}

/** What is required of every generated repository, beyond "validateAll has no blocking finding". */
function structuralProblems(dir: string, answers: Answers, files: string[], v: ValidateAllResult): Problem[] {
  const out: Problem[] = [];
  const need = (cond: boolean, cause: string, detail = cause) => {
    if (!cond) out.push({ cause, detail });
  };
  const name = String(answers.name);
  const workflows = files.filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f));
  need(workflows.length > 0, "no workflows generated");
  need(files.includes("Dockerfile"), "no Dockerfile generated");
  need(files.includes(`charts/${name}/Chart.yaml`), "no Helm chart generated", `charts/${name}/Chart.yaml is missing`);
  // every validator ran (a tool that did not run has no key)
  for (const tool of ["actionlint", "zizmor", "check-jsonschema", "hadolint", "helm", "kubernetes", "yaml-parse", "yamllint", "pre-commit"] as const)
    need(v.findings[tool] !== undefined, `validator ${tool} did not run`);
  // the chart was linted and rendered once per environment, and rendered something
  for (const env of (answers.environments as string[] | undefined) ?? []) {
    const vf = `charts/${name}/values-${env}.yaml`;
    need(files.includes(vf), `no values file for environment ${env}`, `${vf} is missing`);
    need(
      v.rendered.some((d) => d.file.endsWith(`[values: ${vf}]`)),
      `helm template rendered nothing for environment ${env}`,
      `no object was rendered with ${vf}`,
    );
    // Before any promotion (image.tag and image.digest empty) nothing may start or keep an image
    // that was never built; once promoted, the workload is rendered (and validated above).
    const kindsWith = (suffix: string) => v.rendered.filter((d) => d.file.endsWith(suffix)).map((d) => String((d.object as { kind?: unknown }).kind));
    const workloads = ["Deployment", "Rollout", "StatefulSet", "DaemonSet", "Job", "CronJob"];
    need(
      !kindsWith(`[values: ${vf}]`).some((k) => workloads.includes(k)),
      "the chart renders a workload before any image is promoted (it would run <image>:<appVersion>, never built)",
      `${vf} with image.tag and image.digest empty renders ${kindsWith(`[values: ${vf}]`)
        .filter((k) => workloads.includes(k))
        .join(", ")}`,
    );
    need(
      kindsWith(`[values: ${vf} as promoted]`).some((k) => k === "Deployment" || k === "Rollout"),
      `helm template rendered no workload for environment ${env} once an image is promoted`,
    );
  }
  if (answers.mode === "gitops")
    for (const env of answers.environments as string[]) need(files.includes(`deploy/argocd/${env}.yaml`), `no Argo CD Application for environment ${env}`);
  if (answers.preCommit === true) need(files.includes(".pre-commit-config.yaml"), "preCommit is on but there is no .pre-commit-config.yaml");
  out.push(...zizmorConfigProblems(dir, answers, files));
  return out;
}

const ZIZMOR_CONFIGS = [".github/zizmor.yml", ".github/zizmor.yaml", "zizmor.yml", "zizmor.yaml"];

/**
 * validateAll honours a zizmor config in the repository, as the user's CI does. So that such a
 * config cannot quietly buy a pass, the only one accepted is the pinActions=false policy: tag refs
 * allowed for unpinned-uses, nothing disabled or ignored, and only when pinActions is off.
 */
export function zizmorConfigProblems(dir: string, answers: Answers, files: string[]): Problem[] {
  const found = ZIZMOR_CONFIGS.filter((f) => files.includes(f));
  if (found.length === 0) return [];
  if (answers.pinActions !== false)
    return [
      { cause: "a zizmor config is generated although pinActions is on", detail: `${found.join(", ")} exists with pinActions: ${String(answers.pinActions)}` },
    ];
  const problems: Problem[] = [];
  for (const f of found) {
    const cfg = (parseYaml(readFileSync(join(dir, f), "utf8")) ?? {}) as { rules?: Record<string, unknown> };
    const rules = Object.keys(cfg.rules ?? {});
    const policy = JSON.stringify((cfg.rules?.["unpinned-uses"] as { config?: unknown } | undefined)?.config);
    const otherKeys = Object.keys(cfg).filter((k) => k !== "rules");
    if (rules.join() !== "unpinned-uses" || otherKeys.length > 0 || policy !== JSON.stringify({ policies: { "*": "ref-pin" } }))
      problems.push({
        cause: "the generated zizmor config does more than allow tag refs for unpinned-uses",
        detail: `${f}: ${JSON.stringify(cfg)} (expected only rules.unpinned-uses.config.policies {"*": "ref-pin"})`,
      });
  }
  return problems;
}

/** Group key of a finding: tool plus the rule/message with names, paths and numbers taken out. */
export function causeOf(f: Finding, name: string): string {
  const m = f.message;
  if (f.tool === "zizmor")
    return `zizmor ${m.split(" ")[0]} (severity ${/severity (\w+)/.exec(m)?.[1]})${m.includes("[ignored by zizmor") ? " [suppressed by an ignore comment or config]" : ""}`;
  if (f.tool === "hadolint") return `hadolint ${m.split(" ")[0]}`;
  const generic = m
    .split(name)
    .join("<name>")
    .replace(/\(values: [^)]*\)|\[values: [^\]]*\]/g, "")
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, (q) => (q.length > 40 ? `${q[0]}…${q[0]}` : q))
    .replace(/\b\d+\b/g, "N")
    .trim();
  const file = f.file
    .split(name)
    .join("<name>")
    .replace(/ \[values: .*\]$/, "");
  return `${f.tool}: ${file}: ${generic.slice(0, 160)}`;
}

export interface CreateOptions {
  /** Extra argv (e.g. --config <file>); default: the combination's answers as flags. */
  argv?: string[];
  /** Folder name of the target (the name a detection would use). */
  folder?: string;
  keep?: boolean;
}

/** Create non-interactively, compare the answers the CLI settled on with the expected ones, validate everything. */
export async function createAndValidate(space: OptionSpace, c: Combination, opts: CreateOptions = {}): Promise<CheckResult> {
  const work = tempDir("cp-conformance-");
  const dir = join(work, opts.folder ?? String(c.answers.name ?? "my-service"));
  const problems: Problem[] = [];
  const t0 = performance.now();
  const argv = [dir, "--yes", "--json", ...(opts.argv ?? toFlagsOf(space, c))];
  const r = await runCli(argv, { cwd: work });
  const create = Math.round(performance.now() - t0);
  if (r.code !== 0) {
    problems.push({ cause: `create failed: ${(r.stderr.split("\n")[0] ?? "").replace(/'[^']*'/g, "'…'")}`, detail: `exit ${r.code}\n${r.stderr}` });
    return { combination: c, dir, problems, files: [], ms: { create, validate: 0 } };
  }
  const env = JSON.parse(r.stdout) as { answers: Record<string, { value: Answers[string] }>; problems?: { kind: string; path?: string }[] };
  const out = {
    answers: Object.fromEntries(Object.entries(env.answers).map(([k, a]) => [k, a.value])) as Answers,
    ignored: (env.problems ?? []).filter((p) => p.kind === "ignored").map((p) => p.path!),
  };
  const diff = answerDiff(c, out);
  if (diff) problems.push(diff);
  const t1 = performance.now();
  const v = await validateAll(dir);
  const validate = Math.round(performance.now() - t1);
  const files = listFiles(dir);
  const name = String(out.answers.name);
  for (const list of Object.values(v.findings)) for (const f of list ?? []) problems.push({ cause: causeOf(f, name), detail: formatFindings([f]) });
  problems.push(...structuralProblems(dir, out.answers, files, v));
  if (problems.length === 0 && !opts.keep) rmSync(work, { recursive: true, force: true });
  return { combination: c, dir, problems, validation: v, files, ms: { create, validate } };
}

/** One problem when the CLI settled on other answers than the manifest's `when` conditions give. */
function answerDiff(c: Combination, out: { answers: Answers; ignored: string[] }): Problem | undefined {
  const keys = [...new Set([...Object.keys(c.answers), ...Object.keys(out.answers)])];
  const missing = keys.filter((k) => !(k in out.answers) && k in c.answers);
  const extra = keys.filter((k) => k in out.answers && !(k in c.answers));
  const differ = keys.filter((k) => k in out.answers && k in c.answers && JSON.stringify(out.answers[k]) !== JSON.stringify(c.answers[k]));
  if (out.ignored.length + missing.length + extra.length + differ.length === 0) return undefined;
  const parts = [
    out.ignored.length ? `given but ignored: ${out.ignored.join(", ")}` : "",
    missing.length ? `missing: ${missing.join(", ")}` : "",
    extra.length ? `unexpected: ${extra.join(", ")}` : "",
    differ.length ? `different: ${differ.join(", ")}` : "",
  ].filter(Boolean);
  const show = (k: string, a: Answers) => (k in a ? JSON.stringify(a[k]) : "(none)");
  return {
    cause: `the CLI's answers differ from what the manifest's \`when\` conditions give (${parts.join("; ")})`,
    detail: [
      `the CLI's answers differ from what the manifest's \`when\` conditions give: ${parts.join("; ")}`,
      ...[...new Set([...out.ignored, ...missing, ...extra, ...differ])].map(
        (k) => `${k}: expected ${show(k, c.answers)}, the CLI settled on ${show(k, out.answers)}`,
      ),
    ].join("\n"),
  };
}

const toFlagsOf = (space: OptionSpace, c: Combination) => toFlags(space.manifest, c.given);

/** The failure message of one combination: its answers, how to reproduce it, and every problem. */
export function report(
  space: OptionSpace,
  r: CheckResult,
  reproduce = reproduceCommand(space.manifest, r.combination),
  testFile = "test/conformance/pack.conformance.test.ts",
): string {
  return [
    `${r.combination.id}: ${r.problems.length} problem(s) in ${r.dir} (kept for inspection)`,
    `answers: ${label(space, r.combination.answers)}`,
    `reproduce: npm run build && ${reproduce}`,
    `re-run:    npx vitest run --config vitest.conformance.config.ts ${testFile} -t "${r.combination.id} "`,
    ...r.problems.map((p) => `  - ${p.detail.replace(/\n/g, "\n    ")}`),
  ].join("\n");
}

/** Failures grouped by cause: the cause, how many combinations, their ids, one reproduction. */
export function summarize(
  space: OptionSpace,
  results: CheckResult[],
  reproduce: (r: CheckResult) => string = (r) => reproduceCommand(space.manifest, r.combination),
): string {
  const groups = new Map<string, { ids: string[]; example: CheckResult; detail: string }>();
  for (const r of results)
    for (const p of r.problems) {
      const g = groups.get(p.cause) ?? { ids: [], example: r, detail: p.detail };
      if (!g.ids.includes(r.combination.id)) g.ids.push(r.combination.id);
      groups.set(p.cause, g);
    }
  const failed = results.filter((r) => r.problems.length > 0).length;
  const lines = [`${failed} of ${results.length} combinations failed; ${groups.size} distinct cause(s)`];
  for (const [cause, g] of [...groups].sort((a, b) => b[1].ids.length - a[1].ids.length || a[0].localeCompare(b[0]))) {
    lines.push(``, `* ${cause}`, `  in ${g.ids.length}: ${g.ids.join(" ")}`, `  e.g. ${g.detail.split("\n")[0]}`, `  reproduce: ${reproduce(g.example)}`);
  }
  const advisories = new Map<string, Set<string>>();
  for (const r of results)
    for (const list of Object.values(r.validation?.advisories ?? {}))
      for (const f of list ?? []) {
        const cause = causeOf(f, String(r.combination.answers.name));
        (advisories.get(cause) ?? advisories.set(cause, new Set()).get(cause)!).add(r.combination.id);
      }
  if (advisories.size > 0) {
    lines.push(``, `advisories (not blocking), by cause:`);
    for (const [cause, ids] of [...advisories].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))) lines.push(`  ${ids.size}x ${cause}`);
  }
  return lines.join("\n");
}
