/**
 * Real-validator harness for the conformance tests.
 *
 * Every function takes generated output (a service repository root, or a chart
 * directory) and returns findings; an empty list means clean. The external
 * tools are installed by `bash scripts/install-tools.sh` into `.tools/`; the
 * schema packages (kubernetes-models, @kubernetes-models/argo-cd,
 * @kubernetes-models/argo-rollouts, @kubernetes-models/gateway-api) are devDependencies. A missing tool never
 * passes silently: it throws ToolMissingError.
 *
 * See docs/validation.md for what each validator covers and what it does not.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { LineCounter, parseAllDocuments } from "yaml";

// ---------------------------------------------------------------------------
// Types

export interface Finding {
  /** Tool that reported it, e.g. "actionlint", "zizmor", "kubernetes-models". */
  tool: string;
  /** File the finding is about, relative to the directory that was validated. */
  file: string;
  /** 1-based line, when the tool reports one. */
  line?: number;
  message: string;
}

/** Blocking findings plus lower-severity notes that do not fail a run. */
export interface ToolReport {
  findings: Finding[];
  advisories: Finding[];
}

/** One Kubernetes object to validate, with where it came from. */
export interface K8sDoc {
  /** Source file (for rendered charts: the template, plus the values file used). */
  file: string;
  line?: number;
  object: unknown;
}

export interface HelmOptions {
  /** Release name for `helm template` (default: the chart directory name). */
  releaseName?: string;
  /** Namespace for `helm lint` / `helm template` (default: "default"). */
  namespace?: string;
  /** Passed as --kube-version (default: the one helm was built for, see install-tools.sh). */
  kubeVersion?: string;
  /** Findings' file paths are made relative to this directory (default: the chart's parent). */
  rootDir?: string;
  /**
   * Also render each values file as a promotion leaves it (image.tag and image.digest set), so
   * that objects a chart renders only once an image is deployed are validated too.
   */
  promoted?: { tag: string; digest: string };
}

/** An image as the delivery workflow promotes it: a tag and the digest that was built. */
export const PROMOTED_IMAGE = { tag: "sha-0123456789ab", digest: `sha256:${"0a".repeat(32)}` };

export interface HelmResult extends ToolReport {
  /** Every object rendered by `helm template`, once per values file. */
  rendered: K8sDoc[];
}

export type ToolName = "actionlint" | "zizmor" | "check-jsonschema" | "hadolint" | "helm" | "kubernetes" | "yaml-parse" | "yamllint" | "pre-commit";

export const ALL_TOOLS: readonly ToolName[] = [
  "actionlint",
  "zizmor",
  "check-jsonschema",
  "hadolint",
  "helm",
  "kubernetes",
  "yaml-parse",
  "yamllint",
  "pre-commit",
];

export interface ChartSpec {
  /** Chart directory, absolute or relative to the validated directory. */
  dir: string;
  /** Values files, absolute or relative to the chart directory. */
  valuesFiles: string[];
}

export interface ValidateAllOptions {
  /** Charts to lint and render. Default: every Chart.yaml found (not subcharts of another chart found),
   * each with the values-*.yaml files beside it. */
  charts?: ChartSpec[];
  /** Extra plain-YAML manifest files (relative to dir) to schema-check. Default: every YAML file outside
   * charts and .github whose documents carry apiVersion and kind (e.g. deploy/argocd/*.yaml). */
  manifestFiles?: string[];
  /** Tools not to run. */
  skip?: ToolName[];
  /** helm options; `promoted` defaults to PROMOTED_IMAGE (pass `promoted: undefined` to render as written only). */
  helm?: Omit<HelmOptions, "rootDir">;
}

export interface ValidateAllResult {
  /** Blocking findings grouped by tool; every tool that ran has a key (empty list = clean). */
  findings: Partial<Record<ToolName, Finding[]>>;
  advisories: Partial<Record<ToolName, Finding[]>>;
  /** Wall time per tool in milliseconds (tools run concurrently). */
  timingsMs: Partial<Record<ToolName, number>>;
  rendered: K8sDoc[];
  /** Number of blocking findings over all tools. */
  total: number;
}

export class ToolMissingError extends Error {
  constructor(
    readonly tool: string,
    where: string,
    hint = "run `bash scripts/install-tools.sh`",
  ) {
    super(`validator "${tool}" is not available (looked for ${where}): ${hint}`);
    this.name = "ToolMissingError";
  }
}

// ---------------------------------------------------------------------------
// Locations of the tools

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TOOLS_DIR = process.env.CREATE_PIPELINE_TOOLS_DIR ?? path.join(REPO_ROOT, ".tools");

const BIN = path.join(TOOLS_DIR, "bin");
const VENV_BIN = path.join(TOOLS_DIR, "venv", "bin");

/** The Helm version the generated workflows pin (tools.helm in versions.yaml); install-tools.sh installs that one. */
export const HELM_VERSION =
  /^ {2}helm: *(v[0-9][0-9.]*)/m.exec(fs.readFileSync(path.join(REPO_ROOT, "templates", "pipeline", "data", "versions.yaml"), "utf8"))?.[1] ?? "unknown";

export const toolPaths = {
  helm: path.join(TOOLS_DIR, "helm", HELM_VERSION, "helm"),
  actionlint: path.join(BIN, "actionlint"),
  kubeStrict: path.join(BIN, "kube-strict"),
  hadolint: path.join(VENV_BIN, "hadolint"),
  zizmor: path.join(VENV_BIN, "zizmor"),
  yamllint: path.join(VENV_BIN, "yamllint"),
  preCommit: path.join(VENV_BIN, "pre-commit"),
  checkJsonschema: path.join(VENV_BIN, "check-jsonschema"),
  shellcheck: path.join(VENV_BIN, "shellcheck"),
} as const;

function requireTool(name: string, file: string): string {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new ToolMissingError(name, file);
  }
  return file;
}

// ---------------------------------------------------------------------------
// Process and file helpers

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  tool: string,
  file: string,
  args: string[],
  opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; unsetEnv?: string[] } = {},
): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...opts.env };
  for (const k of opts.unsetEnv ?? []) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e: NodeJS.ErrnoException) => {
      reject(e.code === "ENOENT" || e.code === "EACCES" ? new ToolMissingError(tool, file) : e);
    });
    child.on("close", (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
    child.stdin.on("error", () => {
      /* the tool may exit before reading stdin; its exit code tells */
    });
    child.stdin.end(opts.input ?? "");
  });
}

function toolFailure(tool: string, args: string[], r: RunResult): Error {
  const detail = (r.stderr || r.stdout).trim().slice(0, 4000);
  return new Error(`${tool} ${args.join(" ")} failed to run (exit ${r.code}): ${detail}`);
}

const SKIP_DIRS = new Set([".git", "node_modules", ".tools", ".venv", "dist", "coverage"]);

/** All files under dir (relative, POSIX separators), skipping VCS/dependency folders. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) walk(r);
      } else if (ent.isFile()) {
        out.push(r);
      }
    }
  };
  walk("");
  return out.sort();
}

const isYaml = (f: string): boolean => /\.ya?ml$/i.test(f);

/** Directories (relative to dir) holding a Chart.yaml. */
function chartDirsIn(files: string[]): string[] {
  return files.filter((f) => path.posix.basename(f) === "Chart.yaml").map((f) => path.posix.dirname(f));
}

/** True when rel lies in a chart's templates/ folder (Go templates, not YAML). */
function inChartTemplates(rel: string, chartDirs: string[]): boolean {
  return chartDirs.some((c) => {
    const prefix = c === "." ? "templates/" : `${c}/templates/`;
    return rel.startsWith(prefix);
  });
}

function workflowFiles(files: string[]): string[] {
  return files.filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(f));
}

function relTo(root: string, p: string): string {
  const r = path.relative(root, p);
  return r.split(path.sep).join("/") || ".";
}

// ---------------------------------------------------------------------------
// actionlint (native binary, with shellcheck for run: scripts)

interface ActionlintJson {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

/** actionlint over every .github/workflows/*.yml|yaml; shellcheck checks the run: scripts. */
export async function actionlint(dir: string): Promise<Finding[]> {
  const files = workflowFiles(listFiles(dir));
  if (files.length === 0) return [];
  const bin = requireTool("actionlint", toolPaths.actionlint);
  const shellcheck = requireTool("shellcheck", toolPaths.shellcheck);
  const args = ["-format", "{{json .}}", "-no-color", "-shellcheck", shellcheck, "-pyflakes", "", ...files];
  const r = await run("actionlint", bin, args, { cwd: dir });
  if (r.code !== 0 && r.code !== 1) throw toolFailure("actionlint", args, r);
  let items: ActionlintJson[];
  try {
    items = JSON.parse(r.stdout.trim() || "[]") as ActionlintJson[];
  } catch {
    throw toolFailure("actionlint", args, r);
  }
  if (r.code === 1 && items.length === 0) throw toolFailure("actionlint", args, r);
  return items.map((i) => ({
    tool: "actionlint",
    file: i.filepath.replace(/^\.\//, ""),
    line: i.line,
    message: `${i.message} [${i.kind}]`,
  }));
}

// ---------------------------------------------------------------------------
// zizmor

interface ZizmorLocation {
  symbolic: {
    key: { Local?: { verbatim_path?: string; given_path?: string } } & Record<string, unknown>;
    annotation?: string;
    kind?: string;
  };
  concrete?: { location?: { start_point?: { row: number; column: number } } };
}

interface ZizmorJson {
  ident: string;
  desc: string;
  determinations: { confidence: string; severity: string; persona: string };
  locations: ZizmorLocation[];
  ignored?: boolean;
}

const ZIZMOR_BLOCKING = new Set(["Medium", "High"]);

/**
 * zizmor (offline audits) over the repository's workflows, actions and
 * dependabot config. Blocking: findings of the default ("regular") persona with
 * severity medium or high. Advisories: everything else zizmor's pedantic persona
 * reports (low/informational severity, pedantic-only audits) and findings
 * suppressed with a zizmor ignore comment or config.
 */
export async function zizmorReport(dir: string): Promise<ToolReport> {
  const files = listFiles(dir);
  const inputs = files.filter(
    (f) => /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(f) || /^\.github\/dependabot\.ya?ml$/i.test(f) || /(^|\/)action\.ya?ml$/i.test(f),
  );
  if (inputs.length === 0) return { findings: [], advisories: [] };
  const bin = requireTool("zizmor", toolPaths.zizmor);
  const args = ["--offline", "--format", "json", "--persona", "pedantic", "--no-progress", "--color", "never", ...inputs];
  const r = await run("zizmor", bin, args, {
    cwd: dir,
    // offline: never hand it a token (CI may have one)
    unsetEnv: ["GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN", "ZIZMOR_CONFIG"],
  });
  // 0: no findings; 10-14: findings (10 + highest severity); anything else: zizmor itself failed.
  if (r.code !== 0 && !(r.code >= 10 && r.code <= 19)) throw toolFailure("zizmor", args, r);
  let items: ZizmorJson[];
  try {
    items = JSON.parse(r.stdout) as ZizmorJson[];
  } catch {
    throw toolFailure("zizmor", args, r);
  }
  const report: ToolReport = { findings: [], advisories: [] };
  for (const it of items) {
    const loc = it.locations.find((l) => l.symbolic.kind === "Primary") ?? it.locations[0];
    const local = loc?.symbolic.key.Local;
    const file = (local?.verbatim_path ?? local?.given_path ?? "?").replace(/^\.\//, "");
    const row = loc?.concrete?.location?.start_point?.row;
    const d = it.determinations;
    const note = loc?.symbolic.annotation ? `: ${loc.symbolic.annotation}` : "";
    const f: Finding = {
      tool: "zizmor",
      file,
      line: row === undefined ? undefined : row + 1,
      message: `${it.ident} (severity ${d.severity.toLowerCase()}, confidence ${d.confidence.toLowerCase()}, persona ${d.persona.toLowerCase()}) ${it.desc}${note}${it.ignored ? " [ignored by zizmor config/comment]" : ""}`,
    };
    const blocking = !it.ignored && d.persona === "Regular" && ZIZMOR_BLOCKING.has(d.severity);
    (blocking ? report.findings : report.advisories).push(f);
  }
  return report;
}

export async function zizmor(dir: string): Promise<Finding[]> {
  return (await zizmorReport(dir)).findings;
}

// ---------------------------------------------------------------------------
// check-jsonschema with the schemas it ships (SchemaStore copies)

interface CheckJsonschemaJson {
  status: string;
  errors?: { filename: string; path: string; message: string; best_deep_match?: { path: string; message: string } }[];
  parse_errors?: { filename: string; message: string }[];
}

/** Workflows, dependabot.yml and action.yml against the vendored SchemaStore schemas in check-jsonschema. */
export async function checkJsonschema(dir: string): Promise<Finding[]> {
  const files = listFiles(dir);
  const groups: [string, string[]][] = [
    ["vendor.github-workflows", workflowFiles(files)],
    ["vendor.dependabot", files.filter((f) => /^\.github\/dependabot\.ya?ml$/i.test(f))],
    ["vendor.github-actions", files.filter((f) => /(^|\/)action\.ya?ml$/i.test(f))],
  ];
  if (groups.every(([, g]) => g.length === 0)) return [];
  const bin = requireTool("check-jsonschema", toolPaths.checkJsonschema);
  const findings: Finding[] = [];
  for (const [schema, group] of groups) {
    if (group.length === 0) continue;
    const args = ["--builtin-schema", schema, "--output-format", "json", "--color", "never", ...group];
    const r = await run("check-jsonschema", bin, args, { cwd: dir });
    let res: CheckJsonschemaJson;
    try {
      res = JSON.parse(r.stdout) as CheckJsonschemaJson;
    } catch {
      throw toolFailure("check-jsonschema", args, r);
    }
    if (r.code !== 0 && r.code !== 1) throw toolFailure("check-jsonschema", args, r);
    for (const e of res.errors ?? []) {
      const best = e.best_deep_match ?? { path: e.path, message: e.message };
      findings.push({ tool: "check-jsonschema", file: e.filename, message: `${schema}: ${best.path}: ${best.message}` });
    }
    for (const e of res.parse_errors ?? []) {
      findings.push({ tool: "check-jsonschema", file: e.filename, message: `${schema}: cannot parse: ${e.message}` });
    }
    if (r.code === 1 && findings.length === 0) throw toolFailure("check-jsonschema", args, r);
  }
  return findings;
}

// ---------------------------------------------------------------------------
// hadolint

interface HadolintJson {
  code: string;
  file: string;
  level: "error" | "warning" | "info" | "style";
  line: number;
  message: string;
}

export function dockerfilesIn(files: string[]): string[] {
  return files.filter((f) => {
    const b = path.posix.basename(f);
    // Dockerfile.dockerignore is an ignore file beside a Dockerfile, not a Dockerfile.
    return (/^(Dockerfile|Containerfile)(\..+)?$/.test(b) && !b.endsWith(".dockerignore")) || /\.(dockerfile|containerfile)$/i.test(b);
  });
}

/** hadolint over every Dockerfile. Blocking: level error or warning; advisories: info and style. */
export async function hadolintReport(dir: string): Promise<ToolReport> {
  const files = dockerfilesIn(listFiles(dir));
  if (files.length === 0) return { findings: [], advisories: [] };
  const bin = requireTool("hadolint", toolPaths.hadolint);
  const args = ["--no-fail", "--no-color", "--format", "json", ...files];
  const r = await run("hadolint", bin, args, { cwd: dir });
  let items: HadolintJson[];
  try {
    items = JSON.parse(r.stdout) as HadolintJson[];
  } catch {
    throw toolFailure("hadolint", args, r);
  }
  if (r.code !== 0) throw toolFailure("hadolint", args, r);
  const report: ToolReport = { findings: [], advisories: [] };
  for (const i of items) {
    const f: Finding = { tool: "hadolint", file: i.file, line: i.line, message: `${i.code} [${i.level}] ${i.message}` };
    (i.level === "error" || i.level === "warning" ? report.findings : report.advisories).push(f);
  }
  return report;
}

export async function hadolint(dir: string): Promise<Finding[]> {
  return (await hadolintReport(dir)).findings;
}

// ---------------------------------------------------------------------------
// YAML parsing and yamllint

/** YAML files (relative) outside charts' templates/ folders. */
export function yamlFilesIn(files: string[]): string[] {
  const charts = chartDirsIn(files);
  return files.filter((f) => isYaml(f) && !inChartTemplates(f, charts));
}

/** Every .yml/.yaml outside charts' templates/ parses with the `yaml` package (multi-document allowed). */
export async function yamlParses(dir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const f of yamlFilesIn(listFiles(dir))) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    const lc = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lc })) {
      for (const e of doc.errors) {
        findings.push({
          tool: "yaml",
          file: f,
          line: e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line,
          message: `${e.code}: ${e.message.split("\n")[0]}`,
        });
      }
    }
  }
  return findings;
}

const YAMLLINT_CONFIGS = [".yamllint.yaml", ".yamllint.yml", ".yamllint"];

/**
 * yamllint over every YAML file outside charts' templates/, with the
 * repository's .yamllint(.yaml|.yml) when there is one, else the "relaxed"
 * preset. Blocking: level error; advisories: level warning.
 */
export async function yamllintReport(dir: string): Promise<ToolReport> {
  const files = yamlFilesIn(listFiles(dir));
  if (files.length === 0) return { findings: [], advisories: [] };
  const bin = requireTool("yamllint", toolPaths.yamllint);
  const config = YAMLLINT_CONFIGS.find((c) => fs.existsSync(path.join(dir, c)));
  const args = ["-f", "parsable", ...(config ? ["-c", config] : ["-d", "relaxed"]), ...files];
  const r = await run("yamllint", bin, args, { cwd: dir });
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) throw toolFailure("yamllint", args, r);
  const report: ToolReport = { findings: [], advisories: [] };
  for (const ln of r.stdout.split("\n")) {
    const m = /^(.+?):(\d+):(\d+): \[(error|warning)\] (.*)$/.exec(ln);
    if (!m) continue;
    const f: Finding = { tool: "yamllint", file: m[1]!.replace(/^\.\//, ""), line: Number(m[2]), message: m[5]! };
    (m[4] === "error" ? report.findings : report.advisories).push(f);
  }
  if (r.code === 1 && report.findings.length === 0) throw toolFailure("yamllint", args, r);
  return report;
}

export async function yamllint(dir: string): Promise<Finding[]> {
  return (await yamllintReport(dir)).findings;
}

// ---------------------------------------------------------------------------
// pre-commit

/** `pre-commit validate-config` on .pre-commit-config.yaml (and validate-manifest on .pre-commit-hooks.yaml). */
export async function preCommitValidate(dir: string): Promise<Finding[]> {
  const checks: [string, string][] = [
    [".pre-commit-config.yaml", "validate-config"],
    [".pre-commit-hooks.yaml", "validate-manifest"],
  ];
  const present = checks.filter(([f]) => fs.existsSync(path.join(dir, f)));
  if (present.length === 0) return [];
  const bin = requireTool("pre-commit", toolPaths.preCommit);
  const findings: Finding[] = [];
  for (const [file, cmd] of present) {
    const args = [cmd, file];
    const r = await run("pre-commit", bin, args, {
      cwd: dir,
      env: { PRE_COMMIT_HOME: path.join(os.tmpdir(), "create-pipeline-pre-commit-home") },
    });
    if (r.code === 0) continue;
    const text = `${r.stdout}\n${r.stderr}`.trim();
    if (!/==>|Error|error/.test(text)) throw toolFailure("pre-commit", args, r);
    findings.push({ tool: "pre-commit", file, message: text.replace(/\s*\n\s*/g, " ").slice(0, 2000) });
  }
  return findings;
}

// ---------------------------------------------------------------------------
// Helm

function helmEnv(): NodeJS.ProcessEnv {
  const home = path.join(os.tmpdir(), "create-pipeline-helm-home");
  return {
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_DATA_HOME: path.join(home, "data"),
  };
}

/**
 * `helm lint --strict` and `helm template` of chartDir once per values file
 * (each merged over the chart's values.yaml); with no values files, once with
 * the chart's defaults. Returns lint/render findings (helm [INFO] lines are
 * advisories) and every rendered object for validateK8sObjects().
 */
export async function helmLintAndTemplate(chartDir: string, valuesFiles: string[], opts: HelmOptions = {}): Promise<HelmResult> {
  const bin = requireTool("helm", toolPaths.helm);
  const chartAbs = path.resolve(chartDir);
  const root = path.resolve(opts.rootDir ?? path.dirname(chartAbs));
  const chartRel = relTo(root, chartAbs);
  const release =
    opts.releaseName ??
    (path
      .basename(chartAbs)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-") ||
      "release");
  const ns = opts.namespace ?? "default";
  const common = ["--namespace", ns, ...(opts.kubeVersion ? ["--kube-version", opts.kubeVersion] : [])];
  const result: HelmResult = { findings: [], advisories: [], rendered: [] };
  const variants: (string | undefined)[] = valuesFiles.length > 0 ? valuesFiles : [undefined];

  for (const vf of variants) {
    const vfAbs = vf === undefined ? undefined : path.resolve(chartAbs, vf);
    if (vfAbs !== undefined && !fs.existsSync(vfAbs)) {
      result.findings.push({ tool: "helm", file: relTo(root, vfAbs), message: "values file does not exist" });
      continue;
    }
    const vArgs = vfAbs ? ["-f", vfAbs] : [];
    const label = vfAbs ? relTo(root, vfAbs) : `${chartRel}/values.yaml`;

    // helm lint --strict
    const lintArgs = ["lint", "--strict", chartAbs, ...vArgs, ...common];
    const lint = await run("helm", bin, lintArgs, { env: helmEnv() });
    let lintFindings = 0;
    for (const ln of `${lint.stdout}\n${lint.stderr}`.split("\n")) {
      const m = /^\[(ERROR|WARNING|INFO)\]\s+([^:]*):\s*(.*)$/.exec(ln.trim());
      if (!m) continue;
      const file = m[2]!.trim() ? `${chartRel}/${m[2]!.trim()}`.replace(/\/$/, "") : chartRel;
      const f: Finding = { tool: "helm lint", file, message: `[${m[1]}] ${m[3]} (values: ${label})` };
      if (m[1] === "INFO") result.advisories.push(f);
      else {
        result.findings.push(f);
        lintFindings++;
      }
    }
    if (lint.code !== 0 && lintFindings === 0) {
      result.findings.push({
        tool: "helm lint",
        file: chartRel,
        message: `helm lint failed (values: ${label}): ${(lint.stderr || lint.stdout).trim().slice(0, 2000)}`,
      });
    }

    // helm template (as written, then as promoted)
    const renders: { label: string; args: string[] }[] = [{ label, args: [] }];
    if (opts.promoted)
      renders.push({
        label: `${label} as promoted`,
        args: ["--set-string", `image.tag=${opts.promoted.tag}`, "--set-string", `image.digest=${opts.promoted.digest}`],
      });
    for (const { label, args } of renders) {
      const tplArgs = ["template", release, chartAbs, ...vArgs, ...args, ...common];
      const tpl = await run("helm", bin, tplArgs, { env: helmEnv() });
      if (tpl.code !== 0) {
        result.findings.push({
          tool: "helm template",
          file: chartRel,
          message: `helm template failed (values: ${label}): ${tpl.stderr.trim().slice(0, 2000)}`,
        });
        continue;
      }
      const lc = new LineCounter();
      for (const doc of parseAllDocuments(tpl.stdout, { lineCounter: lc })) {
        const comment = `${doc.commentBefore ?? ""}\n${doc.contents?.commentBefore ?? ""}`;
        const src = /Source:\s*(\S+)/.exec(comment)?.[1];
        // "# Source: <chart name>/templates/x.yaml" -> "<chartRel>/templates/x.yaml"
        const srcFile = src ? `${chartRel}/${src.split("/").slice(1).join("/")}` : `${chartRel} (rendered)`;
        const file = `${srcFile} [values: ${label}]`;
        if (doc.errors.length > 0) {
          for (const e of doc.errors) {
            result.findings.push({ tool: "helm template", file, message: `rendered output is not valid YAML: ${e.message.split("\n")[0]}` });
          }
          continue;
        }
        const obj: unknown = doc.toJS();
        if (obj === null || obj === undefined) continue;
        result.rendered.push({ file, object: obj });
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------
// Kubernetes object schemas

/** Load Kubernetes objects from plain YAML files (relative to dir); empty documents are skipped. */
export function loadK8sDocs(dir: string, files: string[]): K8sDoc[] {
  const docs: K8sDoc[] = [];
  for (const f of files) {
    const lc = new LineCounter();
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), "utf8"), { lineCounter: lc })) {
      if (doc.errors.length > 0) continue; // yamlParses() reports these
      const obj: unknown = doc.toJS();
      if (obj === null || obj === undefined) continue;
      const start = doc.contents?.range[0];
      docs.push({ file: f, line: start === undefined ? undefined : lc.linePos(start).line, object: obj });
    }
  }
  return docs;
}

/** YAML files (outside charts and .github) whose documents look like Kubernetes objects. */
export function manifestFilesIn(dir: string, files: string[]): string[] {
  const charts = chartDirsIn(files);
  return files.filter((f) => {
    if (!isYaml(f) || f.startsWith(".github/")) return false;
    if (charts.some((c) => c === "." || f.startsWith(`${c}/`))) return false;
    try {
      const docs = parseAllDocuments(fs.readFileSync(path.join(dir, f), "utf8"));
      return docs.some((d) => {
        const o: unknown = d.errors.length === 0 ? d.toJS() : null;
        return isRecord(o) && typeof o.apiVersion === "string" && typeof o.kind === "string";
      });
    } catch {
      return false;
    }
  });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

type ModelClass = (new (data: unknown) => { validate(): void }) & { apiVersion?: string; kind?: string };

/** npm packages with schema models, tried in order for each apiVersion. */
const MODEL_PACKAGES = ["kubernetes-models", "@kubernetes-models/argo-rollouts", "@kubernetes-models/argo-cd", "@kubernetes-models/gateway-api"] as const;

/** package name -> the subpaths its package.json "exports" map offers */
const packageExports = new Map<string, Set<string>>();
const moduleCache = new Map<string, Promise<Record<string, unknown>>>();

function packageJsonOf(pkg: string): string | undefined {
  const req = createRequire(import.meta.url);
  for (const base of req.resolve.paths(pkg) ?? []) {
    const f = path.join(base, pkg, "package.json");
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

function requireModelPackages(): void {
  for (const pkg of MODEL_PACKAGES) {
    if (packageExports.has(pkg)) continue;
    const pj = packageJsonOf(pkg);
    if (!pj) {
      throw new ToolMissingError(pkg, `node_modules/${pkg}`, `it is a devDependency: run \`npm install\` (or \`npm install --no-save ${pkg}\`)`);
    }
    const exp: unknown = (JSON.parse(fs.readFileSync(pj, "utf8")) as { exports?: unknown }).exports;
    packageExports.set(pkg, new Set(isRecord(exp) ? Object.keys(exp) : []));
  }
}

function importModule(spec: string): Promise<Record<string, unknown>> {
  let p = moduleCache.get(spec);
  if (!p) {
    p = import(spec).then((m: unknown) => (isRecord(m) ? m : {}));
    moduleCache.set(spec, p);
  }
  return p;
}

async function findModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  // "apps/v1" -> <pkg>/apps/v1, "v1" -> <pkg>/v1 (the packages' export layout)
  for (const pkg of MODEL_PACKAGES) {
    if (!packageExports.get(pkg)?.has(`./${apiVersion}`)) continue;
    const mod = await importModule(`${pkg}/${apiVersion}`);
    const cls = Object.hasOwn(mod, kind) ? mod[kind] : undefined;
    if (typeof cls === "function") {
      const c = cls as ModelClass;
      if (c.apiVersion === apiVersion && c.kind === kind) return c;
    }
  }
  return undefined;
}

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function formatModelError(e: unknown): string[] {
  const errs = isRecord(e) && Array.isArray(e.errors) ? (e.errors as AjvLikeError[]) : undefined;
  if (!errs || errs.length === 0) return [e instanceof Error ? e.message : String(e)];
  // anyOf/oneOf produce one error per branch; keep them but drop exact duplicates
  const seen = new Set<string>();
  const out: string[] = [];
  for (const x of errs) {
    const params = x.params && Object.keys(x.params).length > 0 ? ` ${JSON.stringify(x.params)}` : "";
    const s = `${x.instancePath || "/"}: ${x.message ?? x.keyword ?? "invalid"}${params}`;
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

interface KubeStrictResult {
  index: number;
  gvk?: string;
  error?: string;
  notRegistered?: boolean;
}

/** The API modules kube-strict must be built with (scripts/install-tools.sh); an older build is refused, not trusted. */
const KUBE_STRICT_MODULES = ["k8s.io/api@", "github.com/argoproj/argo-rollouts@", "github.com/fluxcd/flagger@", "sigs.k8s.io/gateway-api@"];
let kubeStrictChecked: Promise<void> | undefined;

async function kubeStrict(objects: unknown[]): Promise<KubeStrictResult[]> {
  const bin = requireTool("kube-strict", toolPaths.kubeStrict);
  kubeStrictChecked ??= run("kube-strict", bin, ["-version"]).then((v) => {
    const missing = KUBE_STRICT_MODULES.filter((m) => !v.stdout.includes(` ${m}`));
    if (missing.length > 0) throw new ToolMissingError("kube-strict", bin, `it was built without ${missing.join(", ")}: run \`bash scripts/install-tools.sh\``);
  });
  await kubeStrictChecked;
  const r = await run("kube-strict", bin, [], { input: JSON.stringify(objects) });
  if (r.code !== 0) throw toolFailure("kube-strict", [], r);
  const res = JSON.parse(r.stdout) as KubeStrictResult[];
  if (!Array.isArray(res) || res.length !== objects.length) throw toolFailure("kube-strict", [], r);
  return res;
}

/** Required fields of the Flagger CRDs (flagger.app/v1beta1), which the Go types cannot express. */
function flaggerRequired(kind: string, o: Record<string, unknown>): string[] {
  const missing: string[] = [];
  const get = (obj: unknown, key: string): unknown => (isRecord(obj) ? obj[key] : undefined);
  const need = (obj: unknown, keys: string[], at: string): void => {
    for (const k of keys) if (get(obj, k) === undefined || get(obj, k) === null) missing.push(`${at}.${k}`);
  };
  const spec = o.spec;
  if (kind === "Canary") {
    need(spec, ["targetRef", "service", "analysis"], "spec");
    for (const ref of ["targetRef", "autoscalerRef", "ingressRef", "routeRef", "upstreamRef"]) {
      if (get(spec, ref) !== undefined) need(get(spec, ref), ["apiVersion", "kind", "name"], `spec.${ref}`);
    }
    if (get(spec, "service") !== undefined) need(get(spec, "service"), ["port"], "spec.service");
    const analysis = get(spec, "analysis");
    const each = (key: string, fields: string[]): void => {
      const arr = get(analysis, key);
      if (Array.isArray(arr)) arr.forEach((m, i) => need(m, fields, `spec.analysis.${key}[${i}]`));
    };
    each("metrics", ["name"]);
    each("webhooks", ["name", "url"]);
    each("alerts", ["name", "providerRef"]);
    const metrics = get(analysis, "metrics");
    if (Array.isArray(metrics)) {
      metrics.forEach((m, i) => {
        if (get(m, "templateRef") !== undefined) need(get(m, "templateRef"), ["name"], `spec.analysis.metrics[${i}].templateRef`);
      });
    }
  } else if (kind === "MetricTemplate") {
    need(spec, ["provider", "query"], "spec");
    if (get(spec, "provider") !== undefined) need(get(spec, "provider"), ["type"], "spec.provider");
  }
  return missing;
}

/**
 * Validate Kubernetes objects against schemas:
 *  - kubernetes-models / @kubernetes-models/argo-rollouts / @kubernetes-models/argo-cd /
 *    @kubernetes-models/gateway-api (the Gateway API CRDs' schemas)
 *    (JSON schema: types, required fields, enums, formats; not unknown fields);
 *  - kube-strict: strict decoding with the Go API types of Kubernetes, Argo
 *    Rollouts, Flagger and the Gateway API (unknown and mistyped fields);
 *  - the required fields of Flagger's CRDs.
 * An object that no schema covers is a finding ("no schema for ...").
 */
export async function validateK8sObjects(docs: K8sDoc[]): Promise<Finding[]> {
  if (docs.length === 0) return [];
  requireModelPackages();
  const strict = await kubeStrict(docs.map((d) => d.object));
  const findings: Finding[] = [];
  for (const [i, d] of docs.entries()) {
    const o = d.object;
    const base = { file: d.file, ...(d.line !== undefined ? { line: d.line } : {}) };
    if (!isRecord(o) || typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
      findings.push({ tool: "kubernetes", ...base, message: "not a Kubernetes object (apiVersion and kind must be strings)" });
      continue;
    }
    const name = isRecord(o.metadata) && typeof o.metadata.name === "string" ? o.metadata.name : "<no name>";
    const what = `${o.apiVersion} ${o.kind} "${name}"`;
    const model = await findModel(o.apiVersion, o.kind);
    const s = strict[i]!;
    const strictKnows = !s.notRegistered && !(s.error && !s.gvk);
    const isFlagger = o.apiVersion === "flagger.app/v1beta1";
    if (!model && !strictKnows) {
      findings.push({ tool: "kubernetes", ...base, message: `no schema for ${o.apiVersion} ${o.kind} ("${name}"): not validated` });
      continue;
    }
    if (model) {
      try {
        new model(o).validate();
      } catch (e) {
        for (const m of formatModelError(e)) findings.push({ tool: "kubernetes-models", ...base, message: `${what}: ${m}` });
      }
    }
    if (s.error && !s.notRegistered) {
      findings.push({ tool: "kube-strict", ...base, message: `${what}: ${s.error}` });
    }
    if (isFlagger) {
      for (const m of flaggerRequired(o.kind, o)) {
        findings.push({ tool: "flagger-crd", ...base, message: `${what}: required field ${m} is missing` });
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------
// Everything

export function detectCharts(dir: string, files = listFiles(dir)): ChartSpec[] {
  const all = chartDirsIn(files);
  // skip subcharts (<chart>/charts/<sub>), not a top-level charts/<name>/ folder
  const charts = all.filter((c) => !all.some((p) => p !== c && c.startsWith(p === "." ? "charts/" : `${p}/charts/`)));
  return charts.map((c) => {
    const prefix = c === "." ? "" : `${c}/`;
    const values = files
      .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes("/"))
      .map((f) => f.slice(prefix.length))
      .filter((b) => /^values[-.].+\.ya?ml$/i.test(b) && !/^values\.ya?ml$/i.test(b));
    return { dir: c, valuesFiles: values };
  });
}

/** Runs every validator on a generated service repository; tools run concurrently. */
export async function validateAll(dir: string, opts: ValidateAllOptions = {}): Promise<ValidateAllResult> {
  const root = path.resolve(dir);
  const skip = new Set(opts.skip ?? []);
  const result: ValidateAllResult = { findings: {}, advisories: {}, timingsMs: {}, rendered: [], total: 0 };
  const files = listFiles(root);

  const timed = async (tool: ToolName, fn: () => Promise<ToolReport | Finding[]>): Promise<void> => {
    if (skip.has(tool)) return;
    const t0 = performance.now();
    const r = await fn();
    result.timingsMs[tool] = Math.round(performance.now() - t0);
    const rep = Array.isArray(r) ? { findings: r, advisories: [] } : r;
    result.findings[tool] = rep.findings;
    if (rep.advisories.length > 0) result.advisories[tool] = rep.advisories;
  };

  const k8sAndHelm = async (): Promise<void> => {
    const charts = opts.charts ?? detectCharts(root, files);
    const helmRep: ToolReport = { findings: [], advisories: [] };
    if (!skip.has("helm")) {
      const t0 = performance.now();
      for (const c of charts) {
        const r = await helmLintAndTemplate(path.resolve(root, c.dir), c.valuesFiles, { promoted: PROMOTED_IMAGE, ...opts.helm, rootDir: root });
        helmRep.findings.push(...r.findings);
        helmRep.advisories.push(...r.advisories);
        result.rendered.push(...r.rendered);
      }
      result.timingsMs.helm = Math.round(performance.now() - t0);
      result.findings.helm = helmRep.findings;
      if (helmRep.advisories.length > 0) result.advisories.helm = helmRep.advisories;
    }
    await timed("kubernetes", async () => {
      const manifests = opts.manifestFiles ?? manifestFilesIn(root, files);
      return validateK8sObjects([...result.rendered, ...loadK8sDocs(root, manifests)]);
    });
  };

  await Promise.all([
    timed("actionlint", () => actionlint(root)),
    timed("zizmor", () => zizmorReport(root)),
    timed("check-jsonschema", () => checkJsonschema(root)),
    timed("hadolint", () => hadolintReport(root)),
    timed("yaml-parse", () => yamlParses(root)),
    timed("yamllint", () => yamllintReport(root)),
    timed("pre-commit", () => preCommitValidate(root)),
    k8sAndHelm(),
  ]);
  result.total = Object.values(result.findings).reduce((n, f) => n + (f?.length ?? 0), 0);
  return result;
}

/** One line per finding, for assertion messages. */
export function formatFindings(findings: Finding[] | Partial<Record<string, Finding[]>>): string {
  const list = Array.isArray(findings) ? findings : Object.values(findings).flatMap((f) => f ?? []);
  return list.map((f) => `${f.tool}: ${f.file}${f.line !== undefined ? `:${f.line}` : ""}: ${f.message}`).join("\n");
}

/** Versions of the installed tools (throws if one is missing). */
export async function toolVersions(): Promise<Record<string, string>> {
  const first = async (name: string, file: string, args: string[]): Promise<string> => {
    const r = await run(name, requireTool(name, file), args);
    return (r.stdout || r.stderr).trim().split("\n")[0] ?? "";
  };
  return {
    helm: await first("helm", toolPaths.helm, ["version", "--template", "{{.Version}}"]),
    actionlint: await first("actionlint", toolPaths.actionlint, ["-version"]),
    "kube-strict": await first("kube-strict", toolPaths.kubeStrict, ["-version"]),
    hadolint: await first("hadolint", toolPaths.hadolint, ["--version"]),
    zizmor: await first("zizmor", toolPaths.zizmor, ["--version"]),
    yamllint: await first("yamllint", toolPaths.yamllint, ["--version"]),
    "pre-commit": await first("pre-commit", toolPaths.preCommit, ["--version"]),
    "check-jsonschema": await first("check-jsonschema", toolPaths.checkJsonschema, ["--version"]),
  };
}
