/**
 * Proof for a repository of several services, through the real validators and real processes:
 * - the corpus's monorepo shape (a Maven reactor of services: test/fixtures/monorepos/
 *   maven-reactor) and a polyglot repository (the sample services under services/) are created
 *   non-interactively; their services are detected; the whole tree passes validateAll (actionlint,
 *   zizmor, hadolint, helm lint/template per chart and environment, the Argo CD ApplicationSet and
 *   AppProject against their schemas, yamllint);
 * - each service's generated CI commands (.github/services/<name>.json: lint and test, run in
 *   its folder as the CI matrix does) run with the local toolchain;
 * - .github/scripts/changed-services.sh picks the right services in a real git history;
 * - .github/scripts/promote.sh promotes several services in one commit to a bare git repository
 *   standing in for the app or the config repository (pushes racing each other included; commits
 *   through a loopback stand-in of the GitHub API, which only the App's token may make), and
 *   opens a pull request against that stand-in; the config repository's token comes from the
 *   same pinned actions/create-github-app-token step as a same-repository promotion.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";
import { PUSH_ON_EKS } from "../support/answers.js";
import { actionlint, formatFindings, TOOLS_DIR, validateAll, zizmor } from "../support/validators.js";
import { REPO } from "./combinations.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");
const REACTOR = join(REPO, "test", "fixtures", "monorepos", "maven-reactor");
const BIN = join(TOOLS_DIR, "bin");
const PATH = `${BIN}${delimiter}${process.env.PATH}`;

function polyglot(): string {
  const dir = join(tempDir("cp-mono-conf-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  cpSync(join(SAMPLES, "python"), join(dir, "services", "worker"), { recursive: true });
  writeFileSync(join(dir, "README.md"), "# shop\n");
  return dir;
}

function reactor(): string {
  const dir = join(tempDir("cp-mono-conf-"), "clinic");
  cpSync(REACTOR, dir, { recursive: true });
  return dir;
}

const sh = (cwd: string, script: string, env: Record<string, string> = {}) =>
  spawnSync("bash", ["-eo", "pipefail", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH, GOTOOLCHAIN: "local", CI: "true", ...env },
    timeout: 540_000,
  });

const services = (dir: string) =>
  readdirSync(join(dir, ".github/services"))
    .sort()
    .map(
      (f) =>
        JSON.parse(readFileSync(join(dir, ".github/services", f), "utf8")) as {
          name: string;
          path: string;
          context: string;
          language: string;
          buildTool: string | null;
          lintCommand: string;
          testCommand: string;
          chart: string;
        },
    );

describe.each([
  ["the corpus monorepo shape (Maven reactor)", reactor, ["--owner", "clinic"]],
  ["a polyglot repository (Node, Go, Python)", polyglot, ["--owner", "acme"]],
  ["a polyglot repository delivering to a separate config repository", polyglot, ["--owner", "acme", "--gitops-repo", "acme/shop-config"]],
  ["a polyglot repository, push mode with canary on Argo Rollouts", polyglot, ["--owner", "acme", ...PUSH_ON_EKS, "--strategy", "canary"]],
] as const)("%s", (_label, make, flags) => {
  let dir = "";
  beforeAll(async () => {
    dir = make();
    const r = await runCli(["create", dir, "--yes", ...flags]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("detects every service and passes every validator", async () => {
    const found = services(dir);
    expect(found.length).toBeGreaterThanOrEqual(3);
    const res = await validateAll(dir, { skip: ["pre-commit"] });
    expect(res.total, formatFindings(res.findings)).toBe(0);
    // Dependabot covers each service's folder (or the root its build reads) in its ecosystem, and
    // its Dockerfile; CodeQL analyses each language the services use.
    const dependabot = parseYaml(readFileSync(join(dir, ".github/dependabot.yml"), "utf8")) as {
      updates: { "package-ecosystem": string; directory?: string; directories?: string[] }[];
    };
    const eco = { node: "npm", python: "pip", go: "gomod", java: "maven" } as Record<string, string>;
    for (const s of found) {
      const ctx = `/${s.context === "." ? "" : s.context}`.replace(/^\/$/, "/");
      expect(dependabot.updates.some((u) => u["package-ecosystem"] === (s.buildTool === "gradle" ? "gradle" : eco[s.language]) && u.directory === ctx)).toBe(
        true,
      );
      expect(dependabot.updates.find((u) => u["package-ecosystem"] === "docker")?.directories).toContain(`/${s.path}`);
    }
    const codeql = parseYaml(readFileSync(join(dir, ".github/workflows/codeql.yml"), "utf8"));
    const langs = codeql.jobs.analyze.strategy.matrix.include.map((i: { language: string }) => i.language);
    expect(langs).toContain("actions");
    expect(langs.length).toBe(new Set(found.map((s) => s.language)).size + 1);
    // The charts and the Argo CD objects were validated, not skipped.
    expect(res.rendered.length).toBeGreaterThan(0);
    expect((await runCli(["check", dir])).code).toBe(0);
  });
});

describe("the generated per-service CI commands run", () => {
  it("in each service's folder, as the CI matrix runs them", async () => {
    const dir = polyglot();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
    const ran: string[] = [];
    for (const s of services(dir)) {
      const cwd = join(dir, s.path);
      let install = "";
      if (s.language === "node") install = "npm ci --no-audit --no-fund";
      if (s.language === "go") install = "go mod download";
      if (s.language === "python")
        install = `python3 -m venv "${cwd}/.venv" && . "${cwd}/.venv/bin/activate" && python -m pip install -q ruff pytest && if [ -f requirements.txt ]; then python -m pip install -q -r requirements.txt; fi`;
      const activate = s.language === "python" ? `. "${cwd}/.venv/bin/activate" && ` : "";
      const r = sh(cwd, `${install}\n${activate}eval "$LINT_COMMAND"\n${activate}eval "$TEST_COMMAND"`, {
        LINT_COMMAND: s.lintCommand,
        TEST_COMMAND: s.testCommand,
      });
      expect(r.status, `${s.name} (${s.path}): ${r.stdout}\n${r.stderr}`).toBe(0);
      ran.push(s.language);
    }
    expect(ran.sort()).toEqual(["go", "node", "python"]);
  });

  it("for a module of the Maven reactor that uses a sibling module: from the reactor root, with -pl <module> -am", async () => {
    const dir = reactor();
    // A library module of the reactor (no main class) that the config server depends on: the
    // module's own folder cannot resolve it (it is in no repository), the reactor builds it.
    const common = join(dir, "clinic-common");
    mkdirSync(join(common, "src/main/java/org/example/clinic/common"), { recursive: true });
    writeFileSync(
      join(common, "pom.xml"),
      `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.example.clinic</groupId><artifactId>clinic-microservices</artifactId><version>1.0.0</version></parent>
  <artifactId>clinic-common</artifactId>
  <packaging>jar</packaging>
</project>
`,
    );
    writeFileSync(
      join(common, "src/main/java/org/example/clinic/common/Names.java"),
      "package org.example.clinic.common;\n\npublic final class Names {\n  private Names() {}\n\n  public static String of(String s) {\n    return s;\n  }\n}\n",
    );
    const rootPom = join(dir, "pom.xml");
    writeFileSync(rootPom, readFileSync(rootPom, "utf8").replace("<modules>", "<modules>\n    <module>clinic-common</module>"));
    const pom = join(dir, "clinic-config-server/pom.xml");
    writeFileSync(
      pom,
      readFileSync(pom, "utf8").replace(
        "</project>",
        "  <dependencies>\n    <dependency><groupId>org.example.clinic</groupId><artifactId>clinic-common</artifactId><version>1.0.0</version></dependency>\n  </dependencies>\n</project>",
      ),
    );
    expect((await runCli(["create", dir, "--yes", "--owner", "clinic", "--services", "clinic-config-server"])).code).toBe(0);
    const [s] = services(dir) as (ReturnType<typeof services>[number] & { workdir: string })[];
    expect(s).toMatchObject({ workdir: ".", testCommand: "mvn -B -ntp -pl clinic-config-server -am test" });
    // The CI job runs the commands in the service's workdir (its defaults.run.working-directory).
    const ci = parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8"));
    expect(ci.jobs.test.defaults.run["working-directory"]).toBe("${{ matrix.service.workdir }}");
    const r = sh(join(dir, s!.workdir), `eval "$LINT_COMMAND" && eval "$TEST_COMMAND"`, { LINT_COMMAND: s!.lintCommand, TEST_COMMAND: s!.testCommand });
    expect(r.status, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stdout).toContain("BUILD SUCCESS");
    expect(r.stdout).toMatch(/Reactor Summary[\s\S]*clinic-common[\s\S]*clinic-config-server/);
    // In the module's folder alone the sibling is missing.
    const alone = sh(join(dir, "clinic-config-server"), "mvn -B -ntp -o test");
    expect(alone.status).not.toBe(0);
    expect(alone.stdout).toMatch(/clinic-common/);
  });
});

describe("pre-commit and releases for several services", () => {
  it.each([["release-please"], ["semantic-release"]])(
    "with %s: every file passes its validator, and a service's lint hook runs in its folder",
    async (tool) => {
      const dir = polyglot();
      const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--pre-commit", "--release-tool", tool]);
      expect(r.code, r.stderr).toBe(0);
      const res = await validateAll(dir);
      expect(res.total, formatFindings(res.findings)).toBe(0);
      const found = services(dir);
      const release = readFileSync(join(dir, ".github/workflows/release.yml"), "utf8");
      if (tool === "release-please") {
        // One package per service folder, each with its own tag; one version file entry each.
        const config = JSON.parse(readFileSync(join(dir, "release-please-config.json"), "utf8"));
        expect(Object.keys(config.packages).sort()).toEqual(found.map((s) => s.path).sort());
        for (const s of found) expect(config.packages[s.path]).toMatchObject({ component: s.name, "include-component-in-tag": true });
        expect(Object.keys(JSON.parse(readFileSync(join(dir, ".release-please-manifest.json"), "utf8"))).sort()).toEqual(found.map((s) => s.path).sort());
        expect(release).toContain("googleapis/release-please-action");
      } else {
        expect(existsSync(join(dir, ".releaserc.json"))).toBe(true);
        expect(release).toContain("semantic-release");
      }
      // A service's lint hook, run as pre-commit runs a local hook: its entry split like a shell
      // line (shlex), its args appended, from the repository root.
      const config = parseYaml(readFileSync(join(dir, ".pre-commit-config.yaml"), "utf8"));
      const local = config.repos.find((x: { repo: string; hooks: { id: string }[] }) => x.repo === "local" && x.hooks.some((h) => h.id.startsWith("lint-")));
      const gateway = found.find((s) => s.path === "services/gateway")!;
      const hook = local.hooks.find((h: { id: string }) => h.id === `lint-${gateway.name}`);
      expect(hook.files).toBe("^services/gateway/");
      const argv = JSON.parse(
        execFileSync("python3", ["-c", "import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1]) + sys.argv[2:]))", hook.entry, ...hook.args], {
          encoding: "utf8",
        }),
      ) as string[];
      const run = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: "utf8", env: { ...process.env, PATH, GOTOOLCHAIN: "local" }, timeout: 300_000 });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      // And it fails when the service's lint fails.
      writeFileSync(join(dir, "services/gateway/bad.go"), 'package main\n\nimport "fmt"\n\nfunc bad() { fmt.Printf("%d\\n", "x") }\n');
      const failing = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: "utf8", env: { ...process.env, PATH, GOTOOLCHAIN: "local" }, timeout: 300_000 });
      expect(failing.status).not.toBe(0);
    },
  );
});

describe("changed-services.sh", () => {
  it("picks the services a change touches, and all of them for a shared file", async () => {
    const dir = polyglot();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "create");
    const base = git(dir, "rev-parse", "HEAD").trim();
    const pick = (b: string) => {
      const out = execFileSync("bash", [".github/scripts/changed-services.sh", b, "HEAD"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const line = out.split("\n").find((l) => l.startsWith("services="))!;
      return { names: (JSON.parse(line.slice("services=".length)) as { name: string }[]).map((s) => s.name), any: out.includes("any=true") };
    };
    const names = services(dir).map((s) => s.name);
    const api = services(dir).find((s) => s.path === "services/api")!;
    writeFileSync(join(dir, "services/api/server.js"), `${readFileSync(join(dir, "services/api/server.js"), "utf8")}\n// change\n`);
    git(dir, "commit", "-qam", "api");
    expect(pick(base)).toEqual({ names: [api.name], any: true });
    const afterApi = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, "README.md"), "# shop, documented\n");
    git(dir, "commit", "-qam", "docs");
    expect(pick(afterApi)).toEqual({ names: [], any: false });
    const afterDocs = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, "Makefile"), "all:\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "shared build file");
    expect(pick(afterDocs).names.sort()).toEqual([...names].sort());
    const gw = services(dir).find((s) => s.path === "services/gateway")!;
    const values = join(dir, gw.chart, "values-dev.yaml");
    writeFileSync(values, `${readFileSync(values, "utf8")}# tuned\n`);
    const afterShared = git(dir, "rev-parse", "HEAD").trim();
    git(dir, "commit", "-qam", "gateway chart");
    expect(pick(afterShared).names).toEqual([gw.name]);
    // An answer changed for one service: the answers file and that service's generated files
    // change, and only that service counts (the answers file is not a shared build file).
    const afterChart = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, ".create-pipeline.yaml"), `${readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")}# port changed\n`);
    const gwFile = join(dir, ".github/services", `${gw.name}.json`);
    writeFileSync(gwFile, readFileSync(gwFile, "utf8").replace('"lintCommand"', '"lintCommand2"'));
    git(dir, "commit", "-qam", "gateway answer");
    expect(pick(afterChart).names).toEqual([gw.name]);
    // CI runs for every change (a required check must not stay pending on a docs-only pull request).
    const ci = parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8"));
    expect(ci.on.pull_request["paths-ignore"]).toBeUndefined();
    expect(ci.on.merge_group).toBeDefined();
    expect(ci.jobs.result.if).toBe("always()");
    // a file moved from the api service into docs/ changes the api service (both names count)
    const afterGateway = git(dir, "rev-parse", "HEAD").trim();
    mkdirSync(join(dir, "docs"), { recursive: true });
    git(dir, "mv", "services/api/server.js", "docs/server.md");
    git(dir, "commit", "-qm", "move");
    expect(pick(afterGateway).names).toEqual([api.name]);
    // No usable base (first push, manual run): every service.
    expect(pick("").names.sort()).toEqual([...names].sort());
    expect(pick("0000000000000000000000000000000000000000").names.length).toBe(names.length);
  });
});

describe("delivery: each service on its own", () => {
  it("a failed build leaves only its service out; no waiting promotion is cancelled; a deploy waits only for its own service", async () => {
    const dir = polyglot();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme", "--environments", "dev,prod"])).code).toBe(0);
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    const names = services(dir).map((s) => s.name);
    // Each build leg records its image as the last step: one output per service.
    expect(Object.keys(delivery.jobs.build.outputs).sort()).toEqual([...names].sort());
    const buildSteps = delivery.jobs.build.steps as { id?: string }[];
    expect(buildSteps[buildSteps.length - 1]!.id).toBe("record");
    // The collect step as generated, with what GitHub hands it when one leg failed (no output).
    const collect = delivery.jobs.images.steps[0] as { run: string };
    expect(delivery.jobs.images.if).toContain("!cancelled()");
    const work = tempDir("cp-collect-");
    const built = Object.fromEntries(names.map((n, i) => [n, i === 0 ? "" : JSON.stringify({ name: n, tag: "sha-0123456789ab", digest: `sha256:${i}` })]));
    const r = sh(work, collect.run, { BUILT: JSON.stringify(built), GITHUB_OUTPUT: join(work, "out"), GITHUB_STEP_SUMMARY: join(work, "summary") });
    expect(r.status, r.stderr).toBe(0);
    const line = readFileSync(join(work, "out"), "utf8").trim();
    expect(JSON.parse(line.slice("images=".length)).map((x: { name: string }) => x.name)).toEqual(names.slice(1).sort());
    // The promotions run after a failed leg (!cancelled()), only on what succeeded before them,
    // and have no concurrency group (GitHub cancels a waiting job of a group when another queues).
    for (const env of ["dev", "prod"]) {
      const job = delivery.jobs[`promote-${env}`];
      expect(job.if).toMatch(/^\$\{\{ !cancelled\(\) && .*needs\.images\.result == 'success'/);
      expect(job.concurrency).toBeUndefined();
    }
    // prod takes what dev passed on (the services Argo CD reported healthy there).
    expect(delivery.jobs["promote-prod"].if).toContain("needs.promote-dev.outputs.images != '[]'");
    // Push mode: each service goes through its environments on its own. One job calls
    // deploy-service.yml from a matrix over the new images; that workflow has one job per
    // environment, chained by needs, so a service's staging never waits for another's dev.
    const push = polyglot();
    const created = await runCli(["create", push, "--yes", "--owner", "acme", ...PUSH_ON_EKS, "--environments", "dev,staging,prod"]);
    expect(created.code, created.stderr).toBe(0);
    const jobs = parseYaml(readFileSync(join(push, ".github/workflows/delivery.yml"), "utf8")).jobs;
    expect(Object.keys(jobs).filter((k) => /^(promote|deployed)-/.test(k))).toEqual([]);
    expect(jobs.deploy.uses).toBe("./.github/workflows/deploy-service.yml");
    expect(jobs.deploy.needs).toEqual(["changes", "images"]);
    expect(jobs.deploy.if).toContain("!cancelled()");
    expect(jobs.deploy.strategy).toEqual({ "fail-fast": false, matrix: { image: "${{ fromJSON(needs.images.outputs.images) }}" } });
    expect(jobs.deploy.with).toEqual({
      service: "${{ matrix.image.name }}",
      tag: "${{ matrix.image.tag }}",
      digest: "${{ matrix.image.digest }}",
      promote: "${{ inputs.promote == true }}",
    });
    const called = parseYaml(readFileSync(join(push, ".github/workflows/deploy-service.yml"), "utf8"));
    expect(Object.keys(called.on.workflow_call.inputs)).toEqual(["service", "tag", "digest", "promote"]);
    expect(called.permissions).toEqual({});
    expect(Object.keys(called.jobs)).toEqual(["deploy-dev", "deploy-staging", "deploy-prod"]);
    for (const [env, prev] of [
      ["dev", undefined],
      ["staging", "dev"],
      ["prod", "staging"],
    ] as const) {
      const job = called.jobs[`deploy-${env}`];
      // The job names its environment: its protection rules, variables and secrets apply.
      expect(job.environment).toEqual({ name: env });
      expect(job.needs).toBe(prev === undefined ? undefined : `deploy-${prev}`);
      expect(job.concurrency).toEqual({ group: `\${{ github.workflow }}-\${{ inputs.service }}-${env}`, "cancel-in-progress": false });
      expect(job.env).toMatchObject({ RELEASE: "${{ inputs.service }}", NAMESPACE: `\${{ inputs.service }}-${env}` });
      // The caller grants what the called jobs ask for, no more.
      expect(job.permissions).toEqual(jobs.deploy.permissions);
      const names = (job.steps as { name: string }[]).map((x) => x.name);
      expect(names.indexOf(`Check the ${env} identity is configured`)).toBeLessThan(names.indexOf("Configure AWS credentials (OIDC)"));
      expect(names.indexOf("helm upgrade --install")).toBeLessThan(names.indexOf("Smoke check"));
    }
    expect(called.jobs["deploy-prod"].if).toContain("(vars.PROMOTION_GATE != 'dispatch' || inputs.promote)");
    expect(called.jobs["deploy-dev"].if).not.toContain("PROMOTION_GATE");
    // The workflows pass actionlint (expressions, needs and outputs included) and zizmor.
    const lint = [...(await actionlint(push)), ...(await zizmor(push))];
    expect(lint, formatFindings(lint)).toEqual([]);
    // EKS needs no secret (OIDC); a cluster by kubeconfig reads each environment's KUBECONFIG
    // secret in the called jobs, which see only the secrets the caller passes on: inherit.
    expect(jobs.deploy.secrets).toBeUndefined();
    const byKubeconfig = polyglot();
    const k = await runCli(["create", byKubeconfig, "--yes", "--owner", "acme", "--mode", "push", "--cluster", "kubeconfig"]);
    expect(k.code, k.stderr).toBe(0);
    const kJobs = parseYaml(readFileSync(join(byKubeconfig, ".github/workflows/delivery.yml"), "utf8")).jobs;
    expect(kJobs.deploy.secrets).toBe("inherit");
    expect(readFileSync(join(byKubeconfig, ".github/workflows/deploy-service.yml"), "utf8")).toContain("${{ secrets.KUBECONFIG }}");
    const kLint = [...(await actionlint(byKubeconfig)), ...(await zizmor(byKubeconfig))];
    expect(kLint, formatFindings(kLint)).toEqual([]);
  });
});

describe("Argo CD notifications for several services", () => {
  for (const [label, flags, github] of [
    ["webhook, same repository", ["--argocd-notify", "webhook"], true],
    ["Slack, config repository", ["--argocd-notify", "slack", "--argocd-slack-channel", "shop-alerts", "--gitops-repo", "acme/shop-config"], true],
  ] as const) {
    it(`${label}: every Application the ApplicationSet makes subscribes to triggers and templates of the notifications file and services the setup sets`, async () => {
      const dir = polyglot();
      const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--mode", "gitops", "--environments", "dev,prod", ...flags]);
      expect(r.code, r.stderr).toBe(0);
      const data = parseYaml(readFileSync(join(dir, "deploy/argocd/notifications/argocd-notifications-cm.yaml"), "utf8")).data as Record<string, string>;
      const appset = parseYaml(readFileSync(join(dir, "deploy/argocd/applicationset.yaml"), "utf8"));
      const subs = Object.entries(appset.spec.template.metadata.annotations as Record<string, string>);
      for (const key of Object.keys(data)) expect(key).toMatch(/^(trigger|template)\.pipeline-/);
      // A commit status on every Application: with a config repository, on its commit (the
      // pipeline-config-* triggers name the second source).
      expect(subs.some(([k]) => k.endsWith(".github"))).toBe(github);
      expect(subs.some(([k]) => k.includes(".pipeline-config-on-"))).toBe(label.includes("config repository"));
      expect(subs.length).toBe((github ? 3 : 0) + 2);
      for (const [k, recipient] of subs) {
        const [, trigger, service] = /^notifications\.argoproj\.io\/subscribe\.([^.]+)\.(.+)$/.exec(k)!;
        const t = parseYaml(data[`trigger.${trigger}`] ?? "null") as { send: string[] }[] | null;
        expect(t, k).not.toBeNull();
        // The services are set by the setup commands where none is (never in the forced file).
        const key = service === "slack" || service === "github" ? service : `webhook\\.${service}`;
        expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8"), k).toContain(`jsonpath='{.data.service\\.${key}}'`);
        if (service === "slack") expect(recipient).toBe("shop-alerts");
        for (const name of t!.flatMap((c) => c.send)) {
          const tpl = parseYaml(data[`template.${name}`]!);
          expect(Object.keys(tpl), `${name} for ${service}`).toContain(service === "slack" ? "message" : service === "github" ? "github" : "webhook");
        }
      }
      // The docs apply that file as one service's do, and keep a status App set up before.
      const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
      expect(docs).toContain(
        "kubectl apply --server-side --field-manager shop-pipeline --force-conflicts \\\n  -f deploy/argocd/notifications/argocd-notifications-cm.yaml",
      );
      expect(docs).toContain("Argo CD already has a GitHub service");
    });
  }
});

describe("promotion against local stand-ins", () => {
  const yq = join(BIN, "yq");
  let api: Server;
  let apiUrl = "";
  const requests: { method: string; url: string; auth: string; body: string }[] = [];
  const pulls: { number: number; head: string; title: string; body: string }[] = [];
  const apiRepo = { bare: "", name: "shop", commits: 0, moveFirst: false };
  const body = (req: IncomingMessage) =>
    new Promise<string>((ok) => {
      let b = "";
      req.on("data", (c) => (b += c));
      req.on("end", () => ok(b));
    });

  beforeAll(async () => {
    // A loopback stand-in for the parts of the GitHub API the scripts use.
    api = createServer(async (req, res) => {
      const b = await body(req);
      requests.push({ method: req.method ?? "", url: req.url ?? "", auth: String(req.headers.authorization ?? ""), body: b });
      const send = (code: number, o: unknown) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(o));
      };
      const bearer = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
      // Pull requests: the open ones are kept, listed by head and updated in place.
      const prUrl = /^\/repos\/acme\/shop-config\/pulls(?:\/(\d+))?(?:\?(.*))?$/.exec(req.url ?? "");
      if (prUrl) {
        if (bearer !== "ghs_app") return send(401, { message: "bad token" });
        if (req.method === "GET") {
          const head = new URLSearchParams(prUrl[2] ?? "").get("head");
          return send(
            200,
            pulls.filter((p) => `acme:${p.head}` === head),
          );
        }
        if (req.method === "POST") {
          const pr = JSON.parse(b) as { head: string; title: string; body: string };
          if (pulls.some((p) => p.head === pr.head)) return send(422, { message: "A pull request already exists" });
          const number = pulls.length + 1;
          pulls.push({ ...pr, number });
          return send(201, { html_url: `http://127.0.0.1/acme/shop-config/pull/${number}`, number });
        }
        if (req.method === "PATCH") {
          const pr = pulls.find((p) => p.number === Number(prUrl[1]));
          if (!pr) return send(404, { message: "no such pull request" });
          Object.assign(pr, JSON.parse(b));
          return send(200, pr);
        }
      }
      // The branch of the repository promotions commit to (the app repository, or the config
      // repository acme/shop-config), its files and commits made through the API (GraphQL
      // createCommitOnBranch), on the bare repository `apiRepo.bare`: only the App's token writes.
      const g = (...a: string[]) => git(apiRepo.bare, ...a);
      const own = `/repos/acme/${apiRepo.name}`;
      if (req.method === "GET" && req.url === own) return send(200, { full_name: `acme/${apiRepo.name}`, default_branch: "main" });
      if (req.method === "GET" && req.url === `${own}/commits/main`) return send(200, { sha: g("rev-parse", "main").trim() });
      const contents = req.url?.startsWith(`${own}/contents/`) ? /\/contents\/([^?]+)\?ref=([0-9a-f]{40})$/.exec(req.url) : null;
      if (req.method === "GET" && contents) {
        try {
          return send(200, { content: Buffer.from(g("show", `${contents[2]}:${contents[1]}`)).toString("base64") });
        } catch {
          return send(404, { message: "Not Found" });
        }
      }
      if (req.method === "POST" && req.url === "/graphql") {
        if (bearer !== "ghs_app") return send(200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] });
        const input = JSON.parse(b).variables.input as {
          branch: { branchName: string; repositoryNameWithOwner: string };
          expectedHeadOid: string;
          message: { headline: string };
          fileChanges: { additions: { path: string; contents: string }[] };
        };
        if (input.branch.repositoryNameWithOwner !== `acme/${apiRepo.name}`)
          return send(200, { errors: [{ type: "NOT_FOUND", message: "no such repository" }] });
        apiRepo.commits++;
        if (apiRepo.moveFirst && apiRepo.commits === 1) {
          // Someone else's commit lands between the read and the commit.
          const t = g("commit-tree", "-p", "main", "-m", "unrelated", `main^{tree}`).trim();
          g("update-ref", "refs/heads/main", t);
        }
        const head = g("rev-parse", "main").trim();
        if (head !== input.expectedHeadOid)
          return send(200, { errors: [{ message: `Expected branch to point to "${input.expectedHeadOid}" but it did not` }] });
        const index = join(tempDir("cp-index-"), "index");
        const env = { ...process.env, GIT_INDEX_FILE: index };
        const run = (args: string[], stdin?: string) => execFileSync("git", ["-C", apiRepo.bare, ...args], { env, encoding: "utf8", input: stdin }).trim();
        run(["read-tree", head]);
        for (const a of input.fileChanges.additions) {
          const blob = run(["hash-object", "-w", "--stdin"], Buffer.from(a.contents, "base64").toString());
          run(["update-index", "--add", "--cacheinfo", `100644,${blob},${a.path}`]);
        }
        const tree = run(["write-tree"]);
        const commit = execFileSync(
          "git",
          ["-C", apiRepo.bare, "-c", "user.name=app", "-c", "user.email=app@e", "commit-tree", tree, "-p", head, "-m", input.message.headline],
          {
            encoding: "utf8",
          },
        ).trim();
        run(["update-ref", "refs/heads/main", commit, head]);
        return send(200, { data: { createCommitOnBranch: { commit: { oid: commit } } } });
      }
      send(404, { message: "not found" });
    });
    await new Promise<void>((ok) => api.listen(0, "127.0.0.1", ok));
    const addr = api.address();
    apiUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((ok) => api.close(() => ok())));

  /**
   * A created app repository (for its scripts) and the repository promotions write to, as a bare
   * git repository with a working clone: the app repository itself, or (gitops) a config
   * repository laid out by `create --config-repo-for`.
   */
  async function setup(gitops = false): Promise<{ dir: string; bare: string; work: string; names: string[] }> {
    const dir = polyglot();
    const extra = gitops ? ["--gitops-repo", "acme/shop-config"] : [];
    expect((await runCli(["create", dir, "--yes", "--owner", "acme", "--environments", "dev,staging,prod", ...extra])).code).toBe(0);
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "create");
    let source = dir;
    if (gitops) {
      source = join(tempDir("cp-mono-config-"), "shop-config");
      mkdirSync(source);
      const r = await runCli(["create", source, "--config-repo-for", dir]);
      expect(r.code, r.stderr).toBe(0);
      git(source, "init", "-q");
      git(source, "add", "-A");
      git(source, "commit", "-qm", "layout");
    }
    const bare = join(tempDir("cp-mono-bare-"), "remote.git");
    git(dir, "clone", "-q", "--bare", source, bare);
    const work = join(tempDir("cp-mono-work-"), "work");
    git(dir, "clone", "-q", bare, work);
    return { dir, bare, work, names: services(dir).map((s) => s.name) };
  }

  const promote = (work: string, script: string, env: string, images: unknown, extra: Record<string, string> = {}) =>
    new Promise<{ code: number; out: string }>((ok) => {
      const p = spawn("bash", [script, env, typeof images === "string" ? images : JSON.stringify(images)], {
        cwd: work,
        env: { ...process.env, PATH, GIT_CONFIG_GLOBAL: "/dev/null", PROMOTE_BACKOFF: "0", BRANCH: "main", ...extra },
      });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("close", (code) => ok({ code: code ?? 1, out }));
    });

  it("writes every service's image into its values file in one commit per environment", async () => {
    expect(existsSync(yq), "yq is installed by scripts/install-tools.sh").toBe(true);
    const { dir, bare, work, names } = await setup();
    const images = names.slice(0, 2).map((name, i) => ({ name, tag: `sha-00000000000${i}`, digest: `sha256:${String(i).repeat(64)}` }));
    const before = Number(git(bare, "rev-list", "--count", "main").trim());
    const r = await promote(work, join(dir, ".github/scripts/promote.sh"), "dev", images);
    expect(r.code, r.out).toBe(0);
    expect(Number(git(bare, "rev-list", "--count", "main").trim())).toBe(before + 1);
    const files = git(bare, "show", "--name-only", "--format=%s", "main").trim().split("\n");
    expect(files[0]).toBe(`chore(dev): deploy ${names[0]}, ${names[1]} [skip ci]`);
    expect(files.slice(1).filter(Boolean).sort()).toEqual(images.map((i) => `charts/${i.name}/values-dev.yaml`).sort());
    const values = parseYaml(git(bare, "show", `main:charts/${names[0]}/values-dev.yaml`));
    expect(values.image).toEqual({ tag: images[0]!.tag, digest: images[0]!.digest });
    // Comments of the team's values file survive the edit.
    expect(git(bare, "show", `main:charts/${names[0]}/values-dev.yaml`)).toContain("# This file is yours to edit");
    // Promoting the same images again changes nothing.
    const again = await promote(work, join(dir, ".github/scripts/promote.sh"), "dev", images);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain("already runs these images");
  });

  it("retries a push that lost a race, so concurrent promotions all land", async () => {
    const { dir, bare, names } = await setup();
    const works = ["dev", "staging", "prod"].map((env) => {
      const w = join(tempDir("cp-mono-race-"), env);
      git(dir, "clone", "-q", bare, w);
      return { env, w };
    });
    const results = await Promise.all(
      works.map(({ env, w }) =>
        promote(w, join(dir, ".github/scripts/promote.sh"), env, [{ name: names[0], tag: `sha-${env.padEnd(12, "0")}`, digest: "sha256:" + "a".repeat(64) }]),
      ),
    );
    for (const r of results) expect(r.code, r.out).toBe(0);
    for (const env of ["dev", "staging", "prod"])
      expect(parseYaml(git(bare, "show", `main:charts/${names[0]}/values-${env}.yaml`)).image.tag).toBe(`sha-${env.padEnd(12, "0")}`);
  });

  it("promotes to the config repository: the pinned App token step, a commit through the API for dev, a pull request for prod", async () => {
    const { dir, bare, work, names } = await setup(true);
    // The workflow's token and promote steps, as generated: the same pinned action as a
    // same-repository promotion, limited to the config repository (and to pull requests where
    // one is opened), with no script of its own minting tokens.
    expect(existsSync(join(dir, ".github/scripts/app-token.sh"))).toBe(false);
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    type Step = { name: string; id?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string> };
    const stepsOf = (job: string) => delivery.jobs[job].steps as Step[];
    const step = (job: string) => stepsOf(job).find((x) => x.name.startsWith("Promote to"))!;
    for (const job of ["promote-dev", "promote-staging", "promote-prod"]) {
      const app = stepsOf(job).find((x) => x.id === "app")!;
      expect(app.uses).toMatch(/^actions\/create-github-app-token@[0-9a-f]{40}$/);
      expect(app.with).toMatchObject({
        "client-id": "${{ vars.GITOPS_APP_ID }}",
        "private-key": "${{ secrets.GITOPS_APP_PRIVATE_KEY }}",
        owner: "acme",
        repositories: "shop-config",
        "permission-contents": "write",
      });
      expect(app.with!["permission-pull-requests"]).toBe(job === "promote-prod" ? "write" : undefined);
      expect(step(job).env!.GH_TOKEN).toBe("${{ steps.app.outputs.token }}");
      expect(delivery.jobs[job].permissions).toEqual({ contents: "read" });
    }
    expect(step("promote-dev").env).toMatchObject({ PROMOTE_VIA: "api", TARGET_REPOSITORY: "acme/shop-config" });
    // The branch is named explicitly: the config repository's default branch, read by a step before.
    expect(step("promote-dev").env!.BRANCH).toBe("${{ steps.branch.outputs.name }}");
    expect(step("promote-prod").env!.BRANCH).toBe("${{ steps.branch.outputs.name }}");
    expect(step("promote-prod").env!.PROMOTE_VIA).toBe("pull-request");
    const pattern = step("promote-dev").env!.VALUES_PATTERN!;
    expect(pattern).toBe("apps/shop/{env}/{name}/values.yaml");
    const images = [{ name: names[1], tag: "sha-111111111111", digest: "sha256:" + "b".repeat(64) }];
    // dev: one commit on the config repository's default branch, with the App's token.
    Object.assign(apiRepo, { bare, name: "shop-config", commits: 0, moveFirst: false });
    const apiEnv = { GITHUB_API_URL: apiUrl, GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`, GITHUB_REPOSITORY: "acme/shop" };
    const dev = await promote(dir, join(dir, ".github/scripts/promote.sh"), "dev", images, {
      ...step("promote-dev").env,
      ...apiEnv,
      GH_TOKEN: "ghs_app",
      BRANCH: "main",
    });
    expect(dev.code, dev.out).toBe(0);
    expect(git(bare, "log", "-1", "--format=%s", "main").trim()).toBe(`chore(dev): deploy ${names[1]} [skip ci]`);
    expect(parseYaml(git(bare, "show", `main:apps/shop/dev/${names[1]}/values.yaml`)).image.tag).toBe("sha-111111111111");
    // A token the config repository does not take fails and names the App to set up.
    const denied = await promote(dir, join(dir, ".github/scripts/promote.sh"), "staging", images, {
      ...step("promote-staging").env,
      ...apiEnv,
      GH_TOKEN: "ghs_workflow",
      BRANCH: "main",
    });
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/GITOPS_APP_ID/);
    // GitHub's refusal is shown with its HTTP status and message.
    expect(denied.out).toContain("HTTP 200: Resource not accessible by integration");
    const r = await promote(work, join(dir, ".github/scripts/promote.sh"), "prod", images, {
      VALUES_PATTERN: pattern,
      PROMOTE_VIA: "pull-request",
      TARGET_REPOSITORY: "acme/shop-config",
      GH_TOKEN: "ghs_app",
      GITHUB_API_URL: apiUrl,
      RUNNER_TEMP: work,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("Opened http://127.0.0.1/acme/shop-config/pull/1");
    const pr = JSON.parse(requests.find((q) => q.url === "/repos/acme/shop-config/pulls")!.body);
    expect(pr).toMatchObject({ head: "promote/prod", base: "main", title: `chore(prod): deploy ${names[1]}` });
    // The branch holds the change; main does not (a person merges the pull request).
    expect(parseYaml(git(bare, "show", `promote/prod:apps/shop/prod/${names[1]}/values.yaml`)).image.tag).toBe("sha-111111111111");
    expect(parseYaml(git(bare, "show", `main:apps/shop/prod/${names[1]}/values.yaml`)).image.tag).toBe("");
    // The ApplicationSet reads the chart from the app repository and the values from the config repository.
    const appset = parseYaml(readFileSync(join(dir, "deploy/argocd/applicationset.yaml"), "utf8"));
    expect(appset.spec.template.spec.sources.map((x: { repoURL: string }) => x.repoURL)).toEqual([
      "https://github.com/acme/shop.git",
      "https://github.com/acme/shop-config.git",
    ]);
  });
  it("a service whose values file the config repository lacks (just added) is named with the command that writes it; the others are promoted; the job fails", async () => {
    const { dir, bare, work, names } = await setup(true);
    const script = join(dir, ".github/scripts/promote.sh");
    const pattern = "apps/shop/{env}/{name}/values.yaml";
    // names[0] was added after the config repository was laid out: none of its values files there.
    git(work, "rm", "-q", "-r", ...["dev", "prod"].map((e) => `apps/shop/${e}/${names[0]}`));
    git(work, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", `no ${names[0]} yet`);
    git(work, "push", "-q", "origin", "HEAD:main");
    const images = names.slice(0, 2).map((name, i) => ({ name, tag: `sha-33333333333${i}`, digest: `sha256:${String(i + 3).repeat(64)}` }));
    const annotation = (env: string) =>
      new RegExp(
        `::error title=${names[0]} not promoted to ${env}::apps/shop/${env}/${names[0]}/values\\.yaml is missing on main of acme/shop-config, ` +
          `so ${names[0]} was not promoted to ${env} \\(the other services were\\)\\..*create --config-repo-for <this repository's folder>`,
      );
    // dev, through the API: one commit with the other service.
    Object.assign(apiRepo, { bare, name: "shop-config", commits: 0, moveFirst: false });
    const out = join(tempDir("cp-mono-out-"), "output");
    const dev = await promote(dir, script, "dev", images, {
      VALUES_PATTERN: pattern,
      PROMOTE_VIA: "api",
      TARGET_REPOSITORY: "acme/shop-config",
      GITHUB_REPOSITORY: "acme/shop",
      GH_TOKEN: "ghs_app",
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      GITHUB_OUTPUT: out,
    });
    expect(dev.code, dev.out).toBe(1);
    expect(dev.out).toMatch(annotation("dev"));
    expect(git(bare, "log", "-1", "--format=%s", "main").trim()).toBe(`chore(dev): deploy ${names[1]} [skip ci]`);
    expect(parseYaml(git(bare, "show", `main:apps/shop/dev/${names[1]}/values.yaml`)).image.tag).toBe("sha-333333333331");
    const outputs = readFileSync(out, "utf8");
    expect(outputs).toContain(`services=["${names[1]}"]`);
    expect(outputs).toContain(`missing=["${names[0]}"]`);
    // prod, a pull request from a clone: the same.
    git(work, "pull", "-q", "origin", "main");
    const prod = await promote(work, script, "prod", images, {
      VALUES_PATTERN: pattern,
      PROMOTE_VIA: "pull-request",
      TARGET_REPOSITORY: "acme/shop-config",
      GITHUB_REPOSITORY: "acme/shop",
      GH_TOKEN: "ghs_app",
      GITHUB_API_URL: apiUrl,
      RUNNER_TEMP: work,
      SOURCE_DIR: dir,
    });
    expect(prod.code, prod.out).toBe(1);
    expect(prod.out).toMatch(annotation("prod"));
    expect(parseYaml(git(bare, "show", `promote/prod:apps/shop/prod/${names[1]}/values.yaml`)).image.tag).toBe("sha-333333333331");
    // Only the missing one: nothing else to promote, and still a failure naming it.
    const only = await promote(work, script, "prod", [images[0]], {
      VALUES_PATTERN: pattern,
      PROMOTE_VIA: "push",
      SOURCE_DIR: dir,
    });
    expect(only.code, only.out).toBe(1);
    expect(only.out).toContain("Nothing else to promote to prod.");
    expect(only.out).toContain(`apps/shop/prod/${names[0]}/values.yaml is missing on main`);
    expect(only.out).not.toContain("the other services were");
    expect(only.out).toContain("then re-run this job");
  });

  it("needs BRANCH; the App token reaches git only as an HTTP header in the environment, never in a URL or an argument", async () => {
    const { dir, bare, names } = await setup(true);
    const script = join(dir, ".github/scripts/promote.sh");
    const images = [{ name: names[0], tag: "sha-222222222222", digest: `sha256:${"c".repeat(64)}` }];
    const pattern = "apps/shop/{env}/{name}/values.yaml";
    const head = git(bare, "rev-parse", "main").trim();
    // No BRANCH: refused before anything is read or written.
    const none = await promote(dir, script, "dev", images, { BRANCH: "", VALUES_PATTERN: pattern, PROMOTE_VIA: "push", REPO_DIR: dir });
    expect(none.code).toBe(2);
    expect(none.out).toContain("::error::BRANCH is not set: name the branch Argo CD syncs");
    expect(git(bare, "rev-parse", "main").trim()).toBe(head);
    // The workflow's clone of the config repository, then the promotion by pull request, with the
    // server a local folder and git wrapped to record its arguments and the header it is given.
    const server = tempDir("cp-mono-server-");
    mkdirSync(join(server, "acme"));
    git(dir, "clone", "-q", "--bare", bare, join(server, "acme", "shop-config.git"));
    const wrap = tempDir("cp-mono-gitwrap-");
    const log = join(wrap, "calls.jsonl");
    const realGit = execFileSync("bash", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(wrap, "git"),
      `#!/usr/bin/env bash\njq -cn --args '{argv: $ARGS.positional, key: env.GIT_CONFIG_KEY_0, value: env.GIT_CONFIG_VALUE_0, count: env.GIT_CONFIG_COUNT}' -- "$@" >> ${JSON.stringify(log)}\nexec ${realGit} "$@"\n`,
      { mode: 0o755 },
    );
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    const clone = (delivery.jobs["promote-prod"].steps as { name: string; run?: string }[]).find((x) => x.name === "Check out acme/shop-config")!;
    const temp = tempDir("cp-mono-runner-");
    const token = "ghs_app";
    const serverUrl = `file://${server}`;
    const env = { ...process.env, PATH: `${wrap}${delimiter}${PATH}`, GIT_CONFIG_GLOBAL: "/dev/null", GITHUB_SERVER_URL: serverUrl, RUNNER_TEMP: temp };
    const c = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", clone.run!], {
      env: { ...env, GH_TOKEN: token, TARGET_REPOSITORY: "acme/shop-config" },
      encoding: "utf8",
    });
    expect(c.status, c.stderr).toBe(0);
    const r = await promote(join(temp, "config"), script, "prod", images, {
      PATH: env.PATH,
      GITHUB_SERVER_URL: serverUrl,
      VALUES_PATTERN: pattern,
      PROMOTE_VIA: "pull-request",
      TARGET_REPOSITORY: "acme/shop-config",
      GH_TOKEN: token,
      GITHUB_API_URL: apiUrl,
      RUNNER_TEMP: temp,
    });
    expect(r.code, r.out).toBe(0);
    expect(git(join(server, "acme", "shop-config.git"), "log", "-1", "--format=%s", "promote/prod").trim()).toBe(`chore(prod): deploy ${names[0]}`);
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { argv: string[]; key?: string; value?: string; count?: string });
    expect(calls.some((x) => x.argv[0] === "clone")).toBe(true);
    expect(calls.some((x) => x.argv[0] === "push")).toBe(true);
    const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
    for (const x of calls) {
      expect(x.argv.join(" "), "no token in git's arguments").not.toContain(token);
      if (["clone", "fetch", "push", "ls-remote"].includes(x.argv[0]!)) {
        expect(x).toMatchObject({ count: "1", key: `http.${serverUrl}/.extraheader`, value: header });
      }
    }
    expect(git(join(temp, "config"), "remote", "get-url", "origin").trim()).toBe(`${serverUrl}/acme/shop-config.git`);
  });

  /** Two more commits of the application repository: the commits of an older and a newer image. */
  const laterCommits = (dir: string) =>
    ["first", "second"].map((what) => {
      writeFileSync(join(dir, "CHANGES.txt"), `${what}\n`);
      git(dir, "add", "-A");
      git(dir, "commit", "-qm", what);
      return git(dir, "rev-parse", "HEAD").trim();
    });
  const tagOf = (sha: string) => `sha-${sha.slice(0, 12)}`;

  it("an older run finishing late never replaces a newer image; the other services of its run still land", async () => {
    const { dir, bare, work, names } = await setup();
    const [older, newer] = laterCommits(dir) as [string, string];
    const script = join(dir, ".github/scripts/promote.sh");
    const first = await promote(work, script, "dev", [{ name: names[0], tag: tagOf(newer), digest: `sha256:${"1".repeat(64)}` }], { SOURCE_DIR: dir });
    expect(first.code, first.out).toBe(0);
    const late = await promote(
      work,
      script,
      "dev",
      [names[0], names[1]].map((name) => ({ name, tag: tagOf(older), digest: `sha256:${"2".repeat(64)}` })),
      { SOURCE_DIR: dir },
    );
    expect(late.code, late.out).toBe(0);
    expect(late.out).toContain(`${names[0]} in dev already runs ${tagOf(newer)}, newer than ${tagOf(older)}: kept`);
    const tag = (n: string) => parseYaml(git(bare, "show", `main:charts/${n}/values-dev.yaml`)).image.tag;
    expect(tag(names[0]!)).toBe(tagOf(newer));
    expect(tag(names[1]!)).toBe(tagOf(older));
    expect(git(bare, "log", "-1", "--format=%s", "main").trim()).toBe(`chore(dev): deploy ${names[1]} [skip ci]`);
  });

  it("an overtaken run (the previous environment already runs a newer commit of a service) leaves that service alone; its other services land", async () => {
    const { dir, bare, work, names } = await setup();
    const [older, newer] = laterCommits(dir) as [string, string];
    const script = join(dir, ".github/scripts/promote.sh");
    // The newer run promoted names[0] to dev and has not reached staging yet.
    const dev = await promote(work, script, "dev", [{ name: names[0], tag: tagOf(newer), digest: `sha256:${"1".repeat(64)}` }], { SOURCE_DIR: dir });
    expect(dev.code, dev.out).toBe(0);
    // The older run, late, promotes both services to staging.
    const late = await promote(
      work,
      script,
      "staging",
      [names[0], names[1]].map((name) => ({ name, tag: tagOf(older), digest: `sha256:${"2".repeat(64)}` })),
      { SOURCE_DIR: dir, PREVIOUS_ENVIRONMENT: "dev" },
    );
    expect(late.code, late.out).toBe(0);
    expect(late.out).toContain(
      `${names[0]} in dev already runs ${tagOf(newer)}, newer than ${tagOf(older)}: this run was overtaken and leaves ${names[0]} in staging to the newer one`,
    );
    const tag = (n: string) => parseYaml(git(bare, "show", `main:charts/${n}/values-staging.yaml`)).image.tag;
    expect(tag(names[0]!)).toBe("");
    expect(tag(names[1]!)).toBe(tagOf(older));
    expect(git(bare, "log", "-1", "--format=%s", "main").trim()).toBe(`chore(staging): deploy ${names[1]} [skip ci]`);
    // The generated workflow passes the previous environment to every promotion after the first.
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    expect(delivery.jobs["promote-dev"].env.PREVIOUS_ENVIRONMENT).toBeUndefined();
    expect(delivery.jobs["promote-staging"].env.PREVIOUS_ENVIRONMENT).toBe("dev");
    expect(delivery.jobs["promote-prod"].env.PREVIOUS_ENVIRONMENT).toBe("staging");
  });

  it("a promotion by hand (promote=true) carries exactly the tags and digests the previous environment runs, builds nothing, moves no other environment", async () => {
    const { dir, bare, work, names } = await setup();
    const [older, newer] = laterCommits(dir) as [string, string];
    const script = join(dir, ".github/scripts/promote.sh");
    const staged = [
      { name: names[0], tag: tagOf(newer), digest: `sha256:${"a".repeat(64)}` },
      { name: names[1], tag: tagOf(older), digest: `sha256:${"b".repeat(64)}` },
    ];
    expect((await promote(work, script, "staging", staged, { SOURCE_DIR: dir })).code).toBe(0);
    const devBefore = names.map((n) => git(bare, "show", `main:charts/${n}/values-dev.yaml`));
    const r = await promote(work, script, "prod", "from:staging", { SOURCE_DIR: dir, PREVIOUS_ENVIRONMENT: "staging" });
    expect(r.code, r.out).toBe(0);
    const image = (env: string, n: string) => parseYaml(git(bare, "show", `main:charts/${n}/values-${env}.yaml`)).image;
    expect(image("prod", names[0]!)).toEqual({ tag: tagOf(newer), digest: `sha256:${"a".repeat(64)}` });
    expect(image("prod", names[1]!)).toEqual({ tag: tagOf(older), digest: `sha256:${"b".repeat(64)}` });
    // A service staging runs nothing of is not promoted, and says so.
    expect(r.out).toContain(`${names[2]} runs no image in staging yet: not promoted to prod`);
    expect(image("prod", names[2]!).tag).toBe("");
    expect(names.map((n) => git(bare, "show", `main:charts/${n}/values-dev.yaml`))).toEqual(devBefore);
    expect(git(bare, "log", "-1", "--format=%s", "main").trim()).toBe(`chore(prod): deploy ${names[0]}, ${names[1]} [skip ci]`);
    // Through the API (the same-repository workflow's way), from the branch head it read.
    Object.assign(apiRepo, { bare, name: "shop", commits: 0, moveFirst: false });
    git(work, "fetch", "-q", "origin");
    const api = await promote(dir, script, "prod", "from:staging", {
      PROMOTE_VIA: "api",
      BRANCH: "main",
      GH_TOKEN: "ghs_app",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      SOURCE_DIR: dir,
      PREVIOUS_ENVIRONMENT: "staging",
    });
    expect(api.code, api.out).toBe(0);
    expect(api.out).toContain("prod already runs these images (or newer).");
    // A values file that names a tag without a digest is refused: nothing exact to promote.
    git(work, "pull", "-q", "origin", "main");
    const f = join(work, `charts/${names[2]}/values-staging.yaml`);
    writeFileSync(f, readFileSync(f, "utf8").replace(/^(\s*)tag: .*$/m, `$1tag: "${tagOf(newer)}"`));
    git(work, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qam", "tag only");
    git(work, "push", "-q", "origin", "HEAD:main");
    const bad = await promote(work, script, "prod", "from:staging", { SOURCE_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`charts/${names[2]}/values-staging.yaml names ${tagOf(newer)} without an image.digest`);
    expect((await promote(work, script, "prod", "from:prod", { SOURCE_DIR: dir })).code).toBe(2);
    // The workflow: promote=true skips the builds and runs only the gate's promotion, with from:staging.
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    expect(delivery.on.workflow_dispatch.inputs.promote).toMatchObject({ type: "boolean", default: false });
    expect(delivery.jobs.changes.if).toBe("${{ !inputs.promote }}");
    expect(delivery.jobs["promote-prod"].env.IMAGES).toBe("${{ inputs.promote && 'from:staging' || needs.promote-staging.outputs.images }}");
    expect(delivery.jobs["promote-prod"].if).toContain("inputs.promote ||");
    expect(delivery.jobs["promote-staging"].if).not.toContain("inputs.promote");
  });

  it("a second promotion to a gated environment adds to its open pull request instead of replacing it", async () => {
    pulls.length = 0;
    const { dir, bare, work, names } = await setup(true);
    const [older, newer] = laterCommits(dir) as [string, string];
    const prod = (images: unknown) =>
      promote(work, join(dir, ".github/scripts/promote.sh"), "prod", images, {
        VALUES_PATTERN: "apps/shop/{env}/{name}/values.yaml",
        PROMOTE_VIA: "pull-request",
        TARGET_REPOSITORY: "acme/shop-config",
        GH_TOKEN: "ghs_app",
        GITHUB_API_URL: apiUrl,
        RUNNER_TEMP: work,
        SOURCE_DIR: dir,
      });
    const a = await prod([{ name: names[0], tag: tagOf(newer), digest: `sha256:${"a".repeat(64)}` }]);
    expect(a.code, a.out).toBe(0);
    expect(a.out).toContain("Opened http://127.0.0.1/acme/shop-config/pull/1");
    const b = await prod([{ name: names[1], tag: tagOf(older), digest: `sha256:${"b".repeat(64)}` }]);
    expect(b.code, b.out).toBe(0);
    expect(b.out).toContain(`Updated pull request #1 for prod: ${names[0]}, ${names[1]}`);
    const tag = (ref: string, n: string) => parseYaml(git(bare, "show", `${ref}:apps/shop/prod/${n}/values.yaml`)).image.tag;
    // Both services' images are on the one pull request's branch; main is unchanged until it is merged.
    expect([tag("promote/prod", names[0]!), tag("promote/prod", names[1]!)]).toEqual([tagOf(newer), tagOf(older)]);
    expect([tag("main", names[0]!), tag("main", names[1]!)]).toEqual(["", ""]);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ head: "promote/prod", title: `chore(prod): deploy ${names[0]}, ${names[1]}` });
    expect(pulls[0]!.body).toContain(`${names[0]}: \`${tagOf(newer)}\``);
    // An older image of a service the pull request already proposes a newer one for is not taken.
    const c = await prod([{ name: names[0], tag: tagOf(older), digest: `sha256:${"c".repeat(64)}` }]);
    expect(c.code, c.out).toBe(0);
    expect(tag("promote/prod", names[0]!)).toBe(tagOf(newer));
    expect(tag("promote/prod", names[1]!)).toBe(tagOf(older));
    // The pull request is closed without merging (rejected): the next promotion opens a new one
    // with its own image only; the rejected images do not come back.
    pulls.length = 0;
    const d = await prod([{ name: names[2], tag: tagOf(newer), digest: `sha256:${"d".repeat(64)}` }]);
    expect(d.code, d.out).toBe(0);
    expect(d.out).toContain("promote/prod has no open pull request (it was closed without merging): its images are not carried over");
    expect(d.out).toContain(`Opened http://127.0.0.1/acme/shop-config/pull/1 for prod: ${names[2]}`);
    expect([tag("promote/prod", names[0]!), tag("promote/prod", names[1]!), tag("promote/prod", names[2]!)]).toEqual(["", "", tagOf(newer)]);
  });

  /**
   * The prod job of a config-repository delivery, run as generated: its "Check out" step clones
   * the config repository (GitHub's URL, served here from the bare repository over file://, where
   * git fetches as over HTTPS: shallow, partial or whole), then its "Promote to prod" step runs
   * promote.sh in that clone. `extraPath` puts stand-ins first on PATH.
   */
  async function prodJob(dir: string, bare: string, images: unknown, extraPath = "") {
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    const steps = delivery.jobs["promote-prod"].steps as { name: string; run?: string; env?: Record<string, string> }[];
    const clone = steps.find((x) => x.name === "Check out acme/shop-config")!;
    const step = steps.find((x) => x.name === "Promote to prod in acme/shop-config")!;
    const runner = tempDir("cp-mono-runner-");
    const env = {
      ...process.env,
      PATH: `${extraPath}${PATH}`,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `url.file://${bare}.insteadOf`,
      GIT_CONFIG_VALUE_0: "https://github.com/acme/shop-config.git",
      GITHUB_SERVER_URL: "https://github.com",
      RUNNER_TEMP: runner,
      GH_TOKEN: "ghs_app",
    };
    const c = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", clone.run!], {
      cwd: dir,
      encoding: "utf8",
      env: { ...env, ...clone.env, GH_TOKEN: "ghs_app" },
    });
    expect(c.status, c.stderr).toBe(0);
    return promote(dir, join(dir, ".github/scripts/promote.sh"), "prod", images, {
      ...env,
      ...step.env,
      GH_TOKEN: "ghs_app",
      BRANCH: "main",
      REPO_DIR: step.env!.REPO_DIR!.replace("${{ runner.temp }}", runner),
      GITHUB_API_URL: apiUrl,
      SOURCE_DIR: dir,
    });
  }

  it("config repository, prod: every image the open pull request holds stays in it, however far main has moved since (the workflow's own clone)", async () => {
    pulls.length = 0;
    const { dir, bare, work, names } = await setup(true);
    git(bare, "config", "uploadpack.allowFilter", "true");
    const [older, newer] = laterCommits(dir) as [string, string];
    const image = (name: string | undefined, sha: string, d: string) => ({ name, tag: tagOf(sha), digest: `sha256:${d.repeat(64)}` });
    // main moves between prod promotions: dev and staging are promoted to it, service by service.
    const lower = async (env: string, name: string | undefined) => {
      git(work, "pull", "-q", "origin", "main");
      const r = await promote(work, join(dir, ".github/scripts/promote.sh"), env, [image(name, newer, "d")], {
        VALUES_PATTERN: "apps/shop/{env}/{name}/values.yaml",
        SOURCE_DIR: dir,
      });
      expect(r.code, r.out).toBe(0);
    };
    const a = await prodJob(dir, bare, [image(names[0], newer, "a")]);
    expect(a.code, a.out).toBe(0);
    await lower("dev", names[1]);
    await lower("staging", names[1]);
    const b = await prodJob(dir, bare, [image(names[1], older, "b")]);
    expect(b.code, b.out).toBe(0);
    await lower("dev", names[2]);
    const c = await prodJob(dir, bare, [image(names[2], newer, "c")]);
    expect(c.code, c.out).toBe(0);
    const tag = (ref: string, n: string) => parseYaml(git(bare, "show", `${ref}:apps/shop/prod/${n}/values.yaml`)).image.tag;
    // Each promotion added its service; none dropped one promoted before.
    expect(names.map((n) => tag("promote/prod", n))).toEqual([tagOf(newer), tagOf(older), tagOf(newer)]);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.title).toBe(`chore(prod): deploy ${names[0]}, ${names[1]}, ${names[2]}`);
    // The pull request starts from the current main (it carries nothing back of dev or staging)
    // and changes only prod's values files; main's prod is unchanged until it is merged.
    expect(git(bare, "merge-base", "main", "promote/prod").trim()).toBe(git(bare, "rev-parse", "main").trim());
    expect(git(bare, "diff", "--name-only", "main", "promote/prod").trim().split("\n").sort()).toEqual(
      names.map((n) => `apps/shop/prod/${n}/values.yaml`).sort(),
    );
    expect(names.map((n) => tag("main", n))).toEqual(["", "", ""]);
  });

  it("config repository, prod: a git failure while reading the open pull request stops the promotion and leaves the pull request as it was", async () => {
    pulls.length = 0;
    const { dir, bare, names } = await setup(true);
    const [, newer] = laterCommits(dir) as [string, string];
    const a = await prodJob(dir, bare, [{ name: names[0], tag: tagOf(newer), digest: `sha256:${"a".repeat(64)}` }]);
    expect(a.code, a.out).toBe(0);
    const before = git(bare, "rev-parse", "promote/prod").trim();
    // A git that fails whenever it is asked how the two branches relate (what the pull request
    // changed since it left main).
    const stand = tempDir("cp-mono-git-");
    writeFileSync(
      join(stand, "git"),
      `#!/bin/sh\nfor a in "$@"; do case "$a" in merge-base | *...*) echo "fatal: stand-in failure" >&2; exit 128 ;; esac; done\nexec ${execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim()} "$@"\n`,
      { mode: 0o755 },
    );
    const b = await prodJob(dir, bare, [{ name: names[1], tag: tagOf(newer), digest: `sha256:${"b".repeat(64)}` }], `${stand}${delimiter}`);
    expect(b.code, b.out).not.toBe(0);
    expect(b.out).toContain("stand-in failure");
    expect(git(bare, "rev-parse", "promote/prod").trim()).toBe(before);
    expect(pulls[0]!.title).toBe(`chore(prod): deploy ${names[0]}`);
  });

  it("same repository: the promotion is one commit made through the API with the GitHub App's token, which a protected main takes", async () => {
    const { dir, bare, work, names } = await setup();
    // main is protected: a push to it is refused.
    writeFileSync(
      join(bare, "hooks", "pre-receive"),
      '#!/bin/sh\nwhile read -r old new ref; do if [ "$ref" = refs/heads/main ]; then echo "protected branch" >&2; exit 1; fi; done\n',
      { mode: 0o755 },
    );
    Object.assign(apiRepo, { bare, name: "shop", commits: 0, moveFirst: true });
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    const steps = delivery.jobs["promote-dev"].steps as {
      name: string;
      uses?: string;
      id?: string;
      with?: Record<string, string>;
      env?: Record<string, string>;
    }[];
    const app = steps.find((x) => x.uses?.startsWith("actions/create-github-app-token@"))!;
    expect(app).toMatchObject({ id: "app", with: { "client-id": "${{ vars.PIPELINE_APP_ID }}", "private-key": "${{ secrets.PIPELINE_APP_PRIVATE_KEY }}" } });
    const step = steps.find((x) => x.name.startsWith("Promote to"))!;
    expect(step.env).toMatchObject({ PROMOTE_VIA: "api", GH_TOKEN: "${{ steps.app.outputs.token || github.token }}", BRANCH: "main" });
    // statuses: read for the wait on Argo CD before staging.
    expect(delivery.jobs["promote-dev"].permissions).toEqual({ contents: "write", statuses: "read" });
    expect(delivery.jobs["promote-prod"].permissions).toEqual({ contents: "write" });
    const images = names.slice(0, 2).map((name, i) => ({ name, tag: `sha-00000000000${i}`, digest: `sha256:${String(i).repeat(64)}` }));
    const script = join(dir, ".github/scripts/promote.sh");
    // A git push (what the workflow did before) is refused by the protected branch.
    const pushed = await promote(work, script, "dev", images);
    expect(pushed.code).not.toBe(0);
    // The generated step's way, with the App's token: one commit, after a race with another commit.
    const env = {
      ...step.env,
      GH_TOKEN: "ghs_app",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      PROMOTE_BACKOFF: "0",
    };
    const before = git(bare, "rev-parse", "main").trim();
    const r = await promote(dir, script, "dev", images, env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("main moved while promoting (attempt 1/5)");
    expect(git(bare, "rev-list", "--count", `${before}..main`).trim()).toBe("2"); // the other commit and the promotion
    const files = git(bare, "show", "--name-only", "--format=%s", "main").trim().split("\n");
    expect(files[0]).toBe(`chore(dev): deploy ${names[0]}, ${names[1]} [skip ci]`);
    expect(files.slice(1).filter(Boolean).sort()).toEqual(images.map((i) => `charts/${i.name}/values-dev.yaml`).sort());
    expect(parseYaml(git(bare, "show", `main:charts/${names[1]}/values-dev.yaml`)).image).toEqual({ tag: images[1]!.tag, digest: images[1]!.digest });
    expect(git(bare, "show", `main:charts/${names[0]}/values-dev.yaml`)).toContain("# This file is yours to edit");
    // A token that may not write there fails and says what to set up.
    const denied = await promote(dir, script, "staging", images, { ...env, GH_TOKEN: "ghs_workflow" });
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/PIPELINE_APP_ID/);
  });
});
