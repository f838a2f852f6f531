// A repository that already has parts of a pipeline: its own Helm chart, Dockerfile, workflows,
// release, hook and update tools. create never mixes generated files into them or overwrites them
// silently; it puts the chart beside or skips it, and says what it did and what to do.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { existingOutcome, formatterIgnores, workflowRoles, workflowTriggers } from "../../src/core/existing.js";
import type { PlanEntry } from "../../src/core/types.js";
import { existingSetup } from "../../src/io/detect/existing.js";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";

function write(dir: string, path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const CHART = "apiVersion: v2\nname: shop\nversion: 0.3.0\n";
const TEST_WORKFLOW =
  "name: tests\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n";

function service(dir: string) {
  write(dir, "package.json", JSON.stringify({ name: "shop", scripts: { start: "node server.js", test: "node --test" } }));
  write(dir, "server.js", "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n");
}

const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

describe("workflow triggers and roles", () => {
  it("reads the events in map, list and single forms", () => {
    expect(workflowTriggers(TEST_WORKFLOW)).toEqual(["push", "pull_request"]);
    expect(workflowTriggers("on: [push, pull_request]\njobs: {}\n")).toEqual(["push", "pull_request"]);
    expect(workflowTriggers("on: push\n")).toEqual(["push"]);
    expect(workflowTriggers('"on":\n  - pull_request\n  - workflow_dispatch\n')).toEqual(["pull_request", "workflow_dispatch"]);
  });
  it("tells CI, release, image, deploy and CodeQL workflows apart", () => {
    expect(workflowRoles(TEST_WORKFLOW)).toEqual(["ci"]);
    // tests run only by hand are not a CI that would run twice
    expect(workflowRoles(TEST_WORKFLOW.replace(/on:[\s\S]*?jobs/, "on: workflow_dispatch\njobs"))).toEqual([]);
    expect(workflowRoles("on: push\njobs:\n  r:\n    steps:\n      - uses: googleapis/release-please-action@v4\n")).toEqual(["release"]);
    expect(
      workflowRoles("on: push\njobs:\n  r:\n    steps:\n      - uses: docker/build-push-action@v6\n      - run: helm upgrade --install x ./chart\n"),
    ).toEqual(["image", "deploy"]);
    expect(workflowRoles("on: [pull_request]\njobs:\n  a:\n    steps:\n      - uses: github/codeql-action/init@v3\n")).toEqual(["codeql"]);
  });
  it("decides per finding, from the plan (pure)", () => {
    const plan: PlanEntry[] = [
      { path: "charts/shop/Chart.yaml", kind: "create", reason: "", owner: "managed", content: CHART },
      { path: ".github/workflows/ci.yml", kind: "create", reason: "", owner: "managed", content: TEST_WORKFLOW },
    ];
    const chart = [{ kind: "chart" as const, path: "charts/shop", name: "shop" }];
    expect(existingOutcome(chart, plan, "error", new Set()).refusal?.message).toContain("mixed");
    expect(existingOutcome(chart, plan, "force", new Set()).refusal?.message).toContain("--force does not mix");
    expect(existingOutcome(chart, plan, "skip", new Set())).toMatchObject({ skipDirs: ["charts/shop"] });
    expect(existingOutcome(chart, plan, "skip", new Set())).not.toHaveProperty("refusal");
    // written by this tool before (its state lists it): ours, not the repository's own
    expect(existingOutcome(chart, plan, "error", new Set(["charts/shop/Chart.yaml"]))).toEqual({ skipDirs: [], notes: [] });
    // a chart at the repository root would make the generated one its subchart
    expect(existingOutcome([{ kind: "chart", path: "." }], plan, "error", new Set()).refusal).toBeDefined();
  });
});

describe("create in a repository with its own pipeline parts", () => {
  it("finds charts anywhere, Dockerfiles, workflows and the release, hook and update tools", async () => {
    const dir = tempDir();
    write(dir, "deploy/helm/Chart.yaml", CHART);
    write(dir, "docker/api.Dockerfile", "FROM scratch\n");
    write(dir, ".github/workflows/test.yml", TEST_WORKFLOW);
    write(dir, ".releaserc.yml", "branches: [main]\n");
    write(dir, ".husky/pre-commit", "npm test\n");
    write(dir, ".github/renovate.json", "{}\n");
    write(dir, "node_modules/dep/chart/Chart.yaml", CHART);
    write(dir, ".travis.yml", "language: node_js\n");
    write(dir, ".circleci/config.yml", "version: 2.1\n");
    const found = (await existingSetup(dir)).map((i) => `${i.kind} ${i.path}${i.name ? ` ${i.name}` : ""}`);
    expect(found.sort()).toEqual(
      [
        "chart deploy/helm shop",
        "dockerfile docker/api.Dockerfile",
        "workflow .github/workflows/test.yml",
        "release .releaserc.yml semantic-release",
        "hooks .husky/ husky",
        "updates .github/renovate.json Renovate",
        "ci .travis.yml Travis CI",
        "ci .circleci/config.yml CircleCI",
      ].sort(),
    );
  });

  it("refuses to write a chart into the repository's own chart folder; --skip-existing keeps it whole and says so", async () => {
    const dir = tempDir();
    service(dir);
    write(dir, "charts/shop/Chart.yaml", CHART);
    write(dir, "charts/shop/templates/configmap.yaml", "kind: ConfigMap\n");
    const refused = await runCli([dir, "--yes", "--owner", "acme"]);
    expect(refused.code).toBe(2);
    expect(unwrapReport(refused.stderr)).toContain("charts/shop/ (chart shop) is the repository's own Helm chart");
    expect(refused.stderr).toContain("--name <other>");
    expect(existsSync(join(dir, ".github"))).toBe(false);
    // --force does not mix either
    expect((await runCli([dir, "--yes", "--owner", "acme", "--force"])).code).toBe(2);
    expect(existsSync(join(dir, ".github"))).toBe(false);

    const kept = await runCli([dir, "--yes", "--owner", "acme", "--skip-existing", "--json"]);
    expect(kept.code).toBe(0);
    expect(readdirSync(join(dir, "charts", "shop")).sort()).toEqual(["Chart.yaml", "templates"]);
    expect(readdirSync(join(dir, "charts", "shop", "templates"))).toEqual(["configmap.yaml"]);
    expect(readFileSync(join(dir, "charts", "shop", "Chart.yaml"), "utf8")).toBe(CHART);
    const out = json(kept.stdout);
    expect(out.problems).toContainEqual(expect.objectContaining({ kind: "existing", path: "charts/shop/", message: expect.stringContaining("kept whole") }));
    expect(out.files.filter((f: any) => f.path.startsWith("charts/shop/")).every((f: any) => f.action === "skip")).toBe(true);
    expect(existsSync(join(dir, ".github", "workflows", "ci.yml"))).toBe(true);
  });

  it("writes the chart beside a chart elsewhere, and reports workflows, release, hooks and updates that would run twice", async () => {
    const dir = tempDir();
    service(dir);
    write(dir, "deploy/helm/Chart.yaml", CHART);
    write(dir, ".github/workflows/test.yml", TEST_WORKFLOW);
    write(dir, ".releaserc.json", "{}\n");
    write(dir, ".husky/pre-commit", "npm test\n");
    write(dir, "renovate.json", "{}\n");
    write(dir, "Jenkinsfile", "pipeline {}\n");
    write(dir, ".github/workflows/codeql-analysis.yml", "on: [push]\njobs:\n  a:\n    steps:\n      - uses: github/codeql-action/init@v3\n");
    const r = await runCli([dir, "--yes", "--owner", "acme"]);
    expect(r.code).toBe(0);
    // Readable at 80 columns, the heading included.
    expect(r.stdout.split("\n").filter((l) => l.length > 80)).toEqual([]);
    const text = r.stdout.replace(/\n +/g, " ");
    expect(text).toContain("Already in the repository (nothing of it overwritten or mixed with generated files):");
    expect(text).toContain(
      "deploy/helm/: the repository's own Helm chart deploy/helm/ (chart shop): left as it is; the generated chart is written beside it in charts/shop/",
    );
    expect(text).toMatch(
      /\.github\/workflows\/test\.yml: already runs lint and tests on push, pull_request, as the generated \.github\/workflows\/ci\.yml does: both would run/,
    );
    expect(text).toContain("husky already manages git hooks");
    expect(text).toContain("Renovate already opens dependency pull requests");
    expect(text).toContain("Jenkinsfile: Jenkins runs CI for this repository too");
    expect(text).toContain(".github/workflows/codeql-analysis.yml: already runs CodeQL analysis, as the generated .github/workflows/codeql.yml does");
    expect(readFileSync(join(dir, "deploy", "helm", "Chart.yaml"), "utf8")).toBe(CHART);
    expect(readFileSync(join(dir, ".github", "workflows", "test.yml"), "utf8")).toBe(TEST_WORKFLOW);
  });

  it("a workflow or Dockerfile of the same name is never overwritten silently, and the summary says which way it went", async () => {
    const dir = tempDir();
    service(dir);
    write(dir, ".github/workflows/ci.yml", TEST_WORKFLOW);
    write(dir, "Dockerfile", "FROM node:24\nCMD node server.js\n");
    const clash = await runCli([dir, "--yes", "--owner", "acme"]);
    expect(clash.code).toBe(2);
    expect(readFileSync(join(dir, ".github", "workflows", "ci.yml"), "utf8")).toBe(TEST_WORKFLOW);
    const dry = json((await runCli([dir, "--yes", "--owner", "acme", "--dry-run", "--json"])).stdout);
    expect(dry.problems).toContainEqual(
      expect.objectContaining({ kind: "existing", path: ".github/workflows/ci.yml", message: expect.stringContaining("Rename yours") }),
    );
    const kept = await runCli([dir, "--yes", "--owner", "acme", "--skip-existing"]);
    expect(kept.code).toBe(0);
    const text = kept.stdout.replace(/\n +/g, " ");
    expect(text).toContain("Dockerfile: the repository's own Dockerfile: kept (--skip-existing), and the pipeline builds it");
    expect(text).toContain(".github/workflows/ci.yml: the repository's own workflow of the same name: kept (--skip-existing)");
    expect(readFileSync(join(dir, ".github", "workflows", "ci.yml"), "utf8")).toBe(TEST_WORKFLOW);
  });
});

describe("the repository's own formatters", () => {
  const plan: PlanEntry[] = [
    "charts/shop/templates/deployment.yaml",
    "charts/shop/values.yaml",
    ".github/workflows/ci.yml",
    "docs/pipeline.md",
    "Dockerfile",
    ".create-pipeline/state.json",
  ].map((path) => ({ path, kind: "create", reason: "", owner: "managed", content: "x" }));
  it("prettier and markdownlint get one marked block of the generated files they read, kept apart from the repository's entries", () => {
    const [prettier, md] = formatterIgnores(
      [
        { kind: "formatter", name: "prettier", path: ".prettierignore", text: "dist/\n" },
        { kind: "formatter", name: "markdownlint", path: ".markdownlintignore" },
      ],
      plan,
    );
    expect(prettier).toMatchObject({ path: ".prettierignore", kind: "update" });
    const lines = prettier!.content!.split("\n");
    expect(lines[0]).toBe("dist/");
    expect(lines.filter((l) => l.startsWith("/"))).toEqual(["/.create-pipeline/", "/.github/workflows/ci.yml", "/charts/shop/", "/docs/pipeline.md"]);
    expect(md).toMatchObject({ path: ".markdownlintignore", kind: "create" });
    expect(md!.content!.split("\n").filter((l) => l.startsWith("/"))).toEqual(["/docs/pipeline.md"]);
    // a second create replaces its block and keeps the rest
    const again = formatterIgnores([{ kind: "formatter", name: "prettier", path: ".prettierignore", text: `${prettier!.content}build/\n` }], plan.slice(0, 3));
    expect(again[0]!.content!.match(/create-pipeline: generated files/g)).toHaveLength(1);
    expect(again[0]!.content).toContain("build/");
    expect(again[0]!.content).not.toContain("/docs/pipeline.md");
  });

  it("create writes the ignore entries, outside its state (the corpus runs prettier's own check over them)", async () => {
    const dir = tempDir();
    service(dir);
    write(dir, ".prettierrc.json", "{}\n");
    const r = await runCli([dir, "--yes", "--owner", "acme", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r.stdout).files).toContainEqual(expect.objectContaining({ path: ".prettierignore", action: "create" }));
    const ignore = readFileSync(join(dir, ".prettierignore"), "utf8");
    expect(ignore).toContain("/charts/shop/\n");
    expect(ignore).toContain("/.github/workflows/ci.yml\n");
    // The state does not claim the repository's ignore file.
    expect(readFileSync(join(dir, ".create-pipeline", "state.json"), "utf8")).not.toContain(".prettierignore");
  });
});

describe("update keeps the formatter ignore block in line with the generated files", () => {
  const block = (dir: string) =>
    readFileSync(join(dir, ".prettierignore"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("/"));

  it("a file the update adds or drops is added to or dropped from the block; the repository's own lines stay", async () => {
    const dir = tempDir();
    service(dir);
    write(dir, ".prettierrc.json", "{}\n");
    write(dir, ".prettierignore", "dist/\n");
    expect((await runCli([dir, "--yes", "--owner", "acme", "--no-pre-commit", "--json"])).code).toBe(0);
    expect(block(dir)).not.toContain("/.pre-commit-config.yaml");
    expect(block(dir)).not.toContain("/.yamllint.yaml");

    // check sees the block fall behind once the answers change (nothing written), update settles it
    const checked = await runCli(["check", dir, "--set", "preCommit=true", "--json"]);
    expect(checked.code).toBe(3);
    expect(json(checked.stdout).files).toContainEqual(expect.objectContaining({ path: ".prettierignore" }));
    const up = await runCli(["update", dir, "--pre-commit", "--yes", "--json"]);
    expect(up.code).toBe(0);
    expect(json(up.stdout).files).toContainEqual(expect.objectContaining({ path: ".prettierignore", action: "update" }));
    expect(existsSync(join(dir, ".pre-commit-config.yaml"))).toBe(true);
    expect(block(dir)).toContain("/.pre-commit-config.yaml");
    expect(block(dir)).toContain("/.yamllint.yaml");
    expect(readFileSync(join(dir, ".prettierignore"), "utf8").startsWith("dist/\n")).toBe(true);
    expect(readFileSync(join(dir, ".create-pipeline", "state.json"), "utf8")).not.toContain(".prettierignore");

    // and back: the dropped files leave the block, no second block is written
    expect((await runCli(["update", dir, "--no-pre-commit", "--yes"])).code).toBe(0);
    expect(existsSync(join(dir, ".pre-commit-config.yaml"))).toBe(false);
    expect(block(dir)).not.toContain("/.pre-commit-config.yaml");
    expect(readFileSync(join(dir, ".prettierignore"), "utf8").match(/create-pipeline: generated files/g)).toHaveLength(1);
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("a block removed by hand is not written back by update", async () => {
    const dir = tempDir();
    service(dir);
    write(dir, ".prettierrc.json", "{}\n");
    expect((await runCli([dir, "--yes", "--owner", "acme", "--no-pre-commit"])).code).toBe(0);
    write(dir, ".prettierignore", "dist/\n");
    const up = await runCli(["update", dir, "--pre-commit", "--yes", "--json"]);
    expect(up.code).toBe(0);
    expect(readFileSync(join(dir, ".prettierignore"), "utf8")).toBe("dist/\n");
  });
});
