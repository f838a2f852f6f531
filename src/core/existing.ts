import { toolCommand } from "../product.js";
/**
 * What the repository already has of a pipeline, against what `create` is about to write: a Helm
 * chart the generated one would be mixed into, Dockerfiles, workflows that would run the same job
 * twice, a second release tool, hook manager or update bot. Pure: the findings are read by
 * src/io/detect/existing.ts. Nothing here overwrites anything; it decides what to skip, what to
 * refuse and what to tell the user (with what to do).
 */
import type { ExistingPolicy } from "./plan.js";
import type { PlanEntry } from "./types.js";

export interface ExistingItem {
  kind: "chart" | "dockerfile" | "workflow" | "ci" | "release" | "hooks" | "updates" | "formatter";
  /** Relative path (a chart: its folder, "." for the root; a formatter: its ignore file or config). */
  path: string;
  /** The chart's name, or the tool a config file belongs to. */
  name?: string;
  text?: string;
}

export interface ExistingNote {
  path: string;
  message: string;
}

export interface ExistingOutcome {
  /** Folders of the repository's own charts the generated chart would be written into: skipped whole. */
  skipDirs: string[];
  notes: ExistingNote[];
  /** Set when create must stop (exit 2) rather than mix files into the repository's own. */
  refusal?: { message: string; where: string; hint: string };
}

export type Role = "ci" | "release" | "image" | "deploy" | "codeql";

const ROLE_NAMES: Record<Role, string> = {
  ci: "lint and tests",
  release: "releases",
  image: "image builds and pushes",
  deploy: "deployments",
  codeql: "CodeQL analysis",
};

/** The events a workflow runs on, read from its `on:` (map, list or single event). */
export function workflowTriggers(text: string): string[] {
  const on = /^(?:on|"on"|'on'|true)[ \t]*:[ \t]*(.*)$/m.exec(text);
  if (!on) return [];
  const inline = on[1]!.replace(/#.*$/, "").trim();
  if (inline)
    return inline
      .replace(/[[\]]/g, "")
      .split(/[,\s]+/)
      .filter(Boolean);
  // The block under `on:`: its keys (or list items) at the block's own indentation.
  const block: string[] = [];
  for (const line of text.slice(on.index + on[0].length + 1).split("\n")) {
    if (/^\S/.test(line)) break;
    if (line.trim() && !line.trim().startsWith("#")) block.push(line);
  }
  const indent = Math.min(...block.map((l) => /^ */.exec(l)![0].length));
  return block
    .filter((l) => /^ */.exec(l)![0].length === indent)
    .map((l) => /^\s*-?\s*([A-Za-z_]+)/.exec(l)?.[1])
    .filter((t): t is string => t !== undefined);
}

const TEST_OR_LINT =
  /(?:^|[\s;&|"'`(])(?:npm (?:run )?(?:test|lint|check)|npm t\b|yarn (?:run )?(?:test|lint)|pnpm (?:run )?(?:test|lint)|(?:python -m )?pytest|tox\b|nox\b|go test|go vet|golangci-lint|\.\/mvnw|mvn\b|\.\/gradlew|gradle\b|ruff\b|flake8|eslint|make (?:test|check|lint)|cargo (?:test|clippy)|dotnet test|python manage\.py test)/m;

/** What a workflow does, by the actions it uses and the commands it runs. */
export function workflowRoles(text: string): Role[] {
  const roles: Role[] = [];
  const triggers = workflowTriggers(text);
  const onChange = triggers.some((t) => t === "push" || t === "pull_request" || t === "merge_group");
  if (onChange && TEST_OR_LINT.test(text)) roles.push("ci");
  if (/release-please-action|semantic-release|goreleaser\/goreleaser-action|changesets\/action|softprops\/action-gh-release|\bgh release create\b/.test(text))
    roles.push("release");
  if (/docker\/build-push-action|\bdocker (?:buildx )?(?:build|push)\b[^\n]*(?:--push|\bpush\b)|\bdocker push\b/.test(text)) roles.push("image");
  if (/\bhelm (?:upgrade|install)\b|\bkubectl (?:apply|set image|rollout)\b|\bargocd app\b/.test(text)) roles.push("deploy");
  if (/github\/codeql-action\/(?:init|analyze)/.test(text)) roles.push("codeql");
  return roles;
}

const GENERATED_RELEASE: Record<string, string> = { ".releaserc.json": "semantic-release", "release-please-config.json": "release-please" };

/**
 * Compare what is there with what is planned. `ours`: paths a previous run of this tool wrote
 * (state.json), never the repository's own. `command`: how to run the tool, for the hints.
 */
export function existingOutcome(
  items: readonly ExistingItem[],
  plan: readonly PlanEntry[],
  policy: ExistingPolicy,
  ours: ReadonlySet<string>,
): ExistingOutcome {
  const notes: ExistingNote[] = [];
  const skipDirs: string[] = [];
  const planned = new Map(plan.map((e) => [e.path, e]));
  // Theirs: not written by this tool before, and not already exactly what it would write.
  const theirs = (p: string) => !ours.has(p) && !(planned.get(p)?.kind === "keep");
  const generatedCharts = plan.filter((e) => /(^|\/)Chart\.yaml$/.test(e.path)).map((e) => e.path.replace(/\/?Chart\.yaml$/, "") || ".");
  const genChart = generatedCharts[0];
  let refusal: ExistingOutcome["refusal"];

  for (const c of items.filter((i) => i.kind === "chart" && theirs(i.path === "." ? "Chart.yaml" : `${i.path}/Chart.yaml`))) {
    const label = `${c.path === "." ? "the repository root" : `${c.path}/`}${c.name ? ` (chart ${c.name})` : ""}`;
    const inside = genChart !== undefined && (c.path === "." || genChart === c.path || genChart.startsWith(`${c.path}/`));
    if (inside) {
      if (policy === "skip") {
        skipDirs.push(c.path);
        notes.push({
          path: `${c.path}/`,
          message: `the repository's own Helm chart ${label}: kept whole, the generated chart was NOT written into it (--skip-existing). The pipeline deploys ${genChart}/ with values-<environment>.yaml files and image.repository/image.tag values: add those to your chart, or run \`${toolCommand()} create --name <other>\` again to write the generated chart beside it`,
        });
      } else
        refusal ??= {
          message: `${label} is the repository's own Helm chart, and the generated chart would be written into the same folder (${genChart}/): its templates would be mixed with yours${policy === "force" ? " (--force does not mix charts either)" : ""}`,
          where: `${c.path}/Chart.yaml`,
          hint: `pass --name <other> to write the generated chart beside yours (charts/<other>/), or --skip-existing to keep your chart whole and write everything else`,
        };
    } else if (genChart !== undefined)
      notes.push({
        path: `${c.path}/`,
        message: `the repository's own Helm chart ${label}: left as it is; the generated chart is written beside it in ${genChart}/ and is the one the pipeline deploys. Compare them and remove the one you do not keep`,
      });
  }

  const genDocker = plan.find((e) => /(^|\/)Dockerfile$/.test(e.path));
  for (const d of items.filter((i) => i.kind === "dockerfile" && theirs(i.path))) {
    const e = planned.get(d.path);
    if (e?.kind === "skip")
      notes.push({
        path: d.path,
        message:
          "the repository's own Dockerfile: kept (--skip-existing), and the pipeline builds it. It must listen on $PORT and stop on SIGTERM; compare it with the generated one (create --dry-run --json shows it)",
      });
    else if (e?.kind === "update")
      notes.push({ path: d.path, message: "the repository's own Dockerfile: replaced by the generated one (--force); yours is in git history" });
    else if (e?.kind === "conflict")
      notes.push({
        path: d.path,
        message: "the repository's own Dockerfile: not overwritten. Pass --skip-existing to keep it (the pipeline then builds it) or --force to replace it",
      });
    else if (genDocker && !e) notes.push({ path: d.path, message: `another Dockerfile: left as it is; the pipeline builds the generated ${genDocker.path}` });
  }

  // Workflows: the same file name is a clash (never overwritten silently); another workflow doing
  // the same job on the same events would run it twice.
  // (What the generated workflows do is read only when the repository has workflows or CI to compare.)
  const genFlows = items.some((i) => i.kind === "workflow" || i.kind === "ci")
    ? plan
        .filter((e) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(e.path) && e.content !== undefined)
        .map((e) => ({ path: e.path, roles: workflowRoles(e.content!) }))
    : [];
  for (const w of items.filter((i) => i.kind === "workflow" && theirs(i.path))) {
    const e = planned.get(w.path);
    if (e && (e.kind === "conflict" || e.kind === "skip" || e.kind === "update")) {
      notes.push({
        path: w.path,
        message:
          e.kind === "skip"
            ? `the repository's own workflow of the same name: kept (--skip-existing); the generated one was not written, so its jobs do not run. Merge them by hand, or rename yours and run \`${toolCommand()} create\` again`
            : e.kind === "update"
              ? "the repository's own workflow of the same name: replaced (--force); yours is in git history"
              : `the repository's own workflow of the same name: not overwritten. Rename yours (\`git mv\`) and run \`${toolCommand()} create\` again, or pass --skip-existing to keep it`,
      });
      continue;
    }
    const roles = workflowRoles(w.text ?? "");
    for (const g of genFlows) {
      if (g.path === w.path) continue;
      const both = roles.filter((r) => g.roles.includes(r));
      if (!both.length) continue;
      notes.push({
        path: w.path,
        message: `already runs ${both.map((r) => ROLE_NAMES[r]).join(" and ")}${both.includes("ci") ? ` on ${workflowTriggers(w.text ?? "").join(", ")}` : ""}, as the generated ${g.path} does: both would run. Delete ${w.path} once the generated workflow runs your checks, or delete ${g.path} (update keeps it deleted)`,
      });
    }
  }

  // Another CI system running the same checks.
  const genCi = genFlows.find((g) => g.roles.includes("ci"));
  for (const c of items.filter((i) => i.kind === "ci")) {
    if (!genCi) continue;
    notes.push({
      path: c.path,
      message: `${c.name} runs CI for this repository too; the generated ${genCi.path} runs the lint and tests on GitHub Actions. Once it runs your checks, remove ${c.path} (or keep it and delete ${genCi.path})`,
    });
  }

  const genRelease = plan.map((e) => GENERATED_RELEASE[e.path]).find(Boolean);
  for (const r of items.filter((i) => i.kind === "release" && theirs(i.path))) {
    if (!genRelease || planned.has(r.path)) continue;
    notes.push({
      path: r.path,
      message: `${r.name} already makes releases here; the generated ${genRelease} would tag and publish too. Keep one: remove ${r.path}, or answer --no-release (or delete the generated release files)`,
    });
  }

  const genHooks = planned.has(".pre-commit-config.yaml");
  for (const h of items.filter((i) => i.kind === "hooks" && theirs(i.path))) {
    if (!genHooks || h.path === ".pre-commit-config.yaml") continue;
    notes.push({
      path: h.path,
      message:
        h.name === "pre-commit"
          ? `pre-commit reads .pre-commit-config.yaml first, so ${h.path} would stop being used: merge its hooks into the generated .pre-commit-config.yaml and delete it`
          : `${h.name} already manages git hooks: \`pre-commit install\` refuses while core.hooksPath is set. Run the generated hooks from ${h.name} (\`pre-commit run --hook-stage pre-commit\`) or delete the generated .pre-commit-config.yaml`,
    });
  }

  const genUpdates = planned.has(".github/dependabot.yml");
  for (const u of items.filter((i) => i.kind === "updates" && theirs(i.path))) {
    if (!genUpdates || u.path === ".github/dependabot.yml") continue;
    notes.push({
      path: u.path,
      message: `${u.name} already opens dependency pull requests; the generated .github/dependabot.yml would open the same ones. Keep one: delete ${u.path} or the generated .github/dependabot.yml`,
    });
  }
  for (const f of items.filter((i) => i.kind === "formatter" && theirs(i.path))) {
    if (f.name === "yamllint" && planned.has(".yamllint.yaml") && f.path !== ".yamllint.yaml")
      notes.push({
        path: f.path,
        message:
          f.path === ".yamllint"
            ? "the repository's own yamllint config is read before the generated .yamllint.yaml, so it lints the generated YAML: add `charts/*/templates/` to its `ignore:` (Helm templates are not plain YAML) and delete the generated .yamllint.yaml"
            : "yamllint reads the generated .yamllint.yaml before the repository's own .yamllint.yml: merge your rules into .yamllint.yaml and delete .yamllint.yml",
      });
    if (f.name === "markdownlint-cli2")
      notes.push({ path: f.path, message: "markdownlint-cli2 reads no ignore file: add the generated docs/pipeline.md to the `ignores` of this config" });
    if (f.name === "Biome")
      notes.push({
        path: f.path,
        message:
          "Biome formats JSON: add the generated JSON files (.create-pipeline/, release and chart schema files) to its files.includes as negated patterns",
      });
  }
  return { skipDirs, notes, ...(refusal ? { refusal } : {}) };
}

const IGNORE_BEGIN = "# create-pipeline: generated files, kept in line by its `check` (not by this tool)";
const IGNORE_END = "# end of create-pipeline's generated files";

/**
 * Ignore entries for the repository's own formatters (prettier, markdownlint): the generated files
 * they would read, so `prettier --check .` keeps passing (Helm templates are not YAML it can
 * parse, and generated YAML, JSON and Markdown follow the pack's style, not the repository's).
 * One marked block, replaced on a later create and kept in line by `update` (`refresh`: only a
 * block that is there, with the files the update leaves); everything else in the file is kept.
 */
export function formatterIgnores(items: readonly ExistingItem[], plan: readonly PlanEntry[], opts: { refresh?: boolean } = {}): PlanEntry[] {
  const out: PlanEntry[] = [];
  const written = plan.filter((e) => e.kind !== "skip" && e.kind !== "delete").map((e) => e.path);
  for (const f of items.filter((i) => i.kind === "formatter" && (i.name === "prettier" || i.name === "markdownlint"))) {
    const wanted = f.name === "prettier" ? /\.(ya?ml|json|md|markdown|js|cjs|mjs|ts|css|html)$/ : /\.(md|markdown)$/;
    const entries = new Set<string>();
    for (const p of written) {
      if (!wanted.test(p)) continue;
      const chart = /^(charts\/[^/]+)\//.exec(p)?.[1];
      const meta = /^(\.create-pipeline)\//.exec(p)?.[1];
      entries.add(`/${chart ?? meta ?? p}${chart || meta ? "/" : ""}`);
    }
    const current = f.text;
    const at = current?.indexOf(IGNORE_BEGIN) ?? -1;
    const end = current?.indexOf(IGNORE_END) ?? -1;
    const marked = current !== undefined && at >= 0 && end > at;
    // update keeps a block that is there in line with the files it generates now (a block
    // removed by hand stays removed); create writes one.
    if (opts.refresh && !marked) continue;
    if (!entries.size && !marked) continue;
    const block = [IGNORE_BEGIN, ...[...entries].sort(), IGNORE_END].join("\n");
    let content: string;
    if (current === undefined) content = `${block}\n`;
    else {
      content = marked
        ? `${current.slice(0, at)}${block}${current.slice(end + IGNORE_END.length)}`
        : `${current}${current === "" || current.endsWith("\n") ? "" : "\n"}${current.trim() ? "\n" : ""}${block}\n`;
    }
    if (content === current) out.push({ path: f.path, kind: "keep", reason: "already ignores the generated files", current });
    else
      out.push({
        path: f.path,
        kind: current === undefined ? "create" : "update",
        reason: opts.refresh
          ? `the generated files changed: the marked block of those the repository's ${f.name} leaves alone follows them`
          : `the repository's ${f.name} would check the generated files: ignore entries ${current === undefined ? "" : "added "}in a marked block`,
        content,
        ...(current !== undefined ? { current } : {}),
      });
  }
  return out;
}

/** Plan entries under the repository's own chart folders are skipped, never mixed into it. */
export function skipInside(plan: PlanEntry[], dirs: readonly string[]): PlanEntry[] {
  if (!dirs.length) return plan;
  return plan.map((e) => {
    const dir = dirs.find((d) => d === "." || e.path.startsWith(`${d}/`));
    if (dir === undefined || e.kind === "keep") return e;
    const { content: _content, ...rest } = e;
    return { ...rest, kind: "skip", reason: `inside the repository's own Helm chart ${dir}/: not written (--skip-existing)` };
  });
}

/**
 * For a repository of several services (create and add): the first generated chart that would be
 * written into, or below, a Helm chart the tool did not write (a Chart.yaml in its folder or a
 * folder above). `foreign(dir)`: dir ("." for the root) holds a Chart.yaml that is the
 * repository's own. Nothing is mixed, --force included: the run stops with what to do.
 */
export function foreignChartRefusal(
  generated: readonly string[],
  foreign: (dir: string) => boolean,
  hint: string,
): { message: string; where: string; hint: string } | undefined {
  for (const file of generated.filter((p) => /(^|\/)Chart\.yaml$/.test(p))) {
    const chart = file.replace(/\/?Chart\.yaml$/, "") || ".";
    const parts = chart === "." ? [] : chart.split("/");
    for (let i = parts.length; i >= 0; i--) {
      const dir = parts.slice(0, i).join("/") || ".";
      if (!foreign(dir)) continue;
      const label = dir === "." ? "the repository root" : `${dir}/`;
      return {
        message: `${label} holds the repository's own Helm chart (not written by create-pipeline), and the generated chart would be written into ${dir === chart ? "the same folder" : "it"} (${chart}/): its files would be overwritten or mixed with generated ones (--force and --skip-existing do not mix charts either); nothing was written`,
        where: dir === "." ? "Chart.yaml" : `${dir}/Chart.yaml`,
        hint,
      };
    }
  }
  return undefined;
}
