/**
 * Delivery of a repository of several services, its generated scripts run against stand-ins
 * (test/support/standins.ts: a loopback GitHub API over a bare repository, the `gh` stand-in, CLI
 * stubs that record their arguments) and real git:
 * - which services a run builds: each against the commit it was last delivered from (a failed
 *   run's services are built again, a healthy one is not rebuilt while another fails), the list
 *   handed to the CI run and only what passed it built; a release pull request's merge only for
 *   the services it released;
 * - each build leg: pushed by digest, scanned, then tagged; an image already published for the
 *   commit (a re-run) is reused, never rebuilt;
 * - GitOps: the next environment takes a service only once Argo CD reported it healthy;
 * - push: PROMOTION_GATE=dispatch stops a push before the gated environment;
 * - docs/pipeline.md's one-time setup, run as written: environments limited to the default
 *   branch, one cloud identity per environment with rights in every service's namespace.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";
import { PUSH_ON_EKS } from "../support/answers.js";
import {
  TOOLS_BIN,
  resolveEnv,
  runScript,
  sandbox,
  startGitHub,
  workflowSteps,
  type GitHubStandIn,
  type Sandbox,
  type StubRule,
  type WorkflowStep,
} from "../support/standins.js";
import { REPO } from "./combinations.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");
const APP_KEY = "-----BEGIN RSA PRIVATE KEY-----\n";

async function polyglot(flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-svc-delivery-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  cpSync(join(SAMPLES, "python"), join(dir, "services", "worker"), { recursive: true });
  writeFileSync(join(dir, "README.md"), "# shop\n");
  const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--repo-url", "https://github.com/acme/shop.git", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

/** The services of a created repository, by folder. */
const byPath = (dir: string) =>
  Object.fromEntries(
    readdirSync(join(dir, ".github/services")).map((f) => {
      const s = JSON.parse(readFileSync(join(dir, ".github/services", f), "utf8")) as { name: string; path: string };
      return [s.path, s.name];
    }),
  ) as Record<string, string>;

const step = (dir: string, job: string, name: RegExp): WorkflowStep => {
  const s = workflowSteps(join(dir, ".github/workflows/delivery.yml")).find((x) => x.job === job && name.test(x.name));
  if (!s) throw new Error(`no step ${name} in delivery.yml / ${job}`);
  return s;
};

const apiEnv = (gh: GitHubStandIn) => ({
  GH_STANDIN_URL: gh.url,
  GITHUB_REPOSITORY: `${gh.state.owner}/${gh.state.name}`,
  GITHUB_SERVER_URL: "https://github.com",
});

const commitAll = (dir: string, message: string) => {
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", message);
  return git(dir, "rev-parse", "HEAD").trim();
};

type Wf = { jobs: Record<string, { name?: string }> };

describe("which services a Delivery run builds", () => {
  let dir: string;
  let gh: GitHubStandIn;
  let sb: Sandbox;
  let names: Record<string, string>;
  beforeAll(async () => {
    dir = await polyglot(["--mode", "gitops", "--environments", "dev,prod"]);
    names = byPath(dir);
    git(dir, "init", "-q");
    gh = await startGitHub({ "README.md": "x\n" }, { name: "shop" });
    sb = sandbox();
  });
  afterAll(() => gh?.close());

  const base = async () => {
    const s = step(dir, "changes", /^The commit each service was last delivered from/);
    return runScript(s.run, { ...apiEnv(gh), ...resolveEnv(s, { "github.token": "ghs_workflow_token" }) }, sb, { cwd: dir });
  };
  /** The workflow's own pick step, given the bases the step before found. */
  const pickWith = async (bases: string) => {
    const s = step(dir, "changes", /^Pick the changed services/);
    const r = await runScript(s.run, resolveEnv(s, { "steps.base.outputs.bases": bases }), sb, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.outputs.services!) as { name: string }[]).map((x) => x.name).sort();
  };
  const pick = (from: string) => {
    const r = runScriptSync(dir, from);
    return JSON.parse(/^services=(.*)$/m.exec(r)![1]!)
      .map((s: { name: string }) => s.name)
      .sort();
  };

  it("each service's base is the commit it was last delivered from: a broken service never makes the healthy ones rebuild", async () => {
    const [api, gateway, worker] = [names["services/api"]!, names["services/gateway"]!, names["services/worker"]!];
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, { name?: string }> };
    const built = (n: string) => wf.jobs.build!.name!.replace("${{ matrix.service.name }}", n);
    const created = commitAll(dir, "create");
    writeFileSync(join(dir, "services/api/extra.js"), "1\n");
    writeFileSync(join(dir, "services/worker/extra.py"), "1\n");
    const both = commitAll(dir, "api and worker");
    writeFileSync(join(dir, "services/gateway/extra.go"), "package main\n");
    const gw = commitAll(dir, "gateway");
    writeFileSync(join(dir, "services/worker/extra.py"), "2\n");
    commitAll(dir, "worker, still broken");
    const run = (id: number, sha: string, conclusion: string, jobs: [string, string][] = []) => ({
      id,
      workflow: "delivery.yml",
      head_sha: sha,
      head_branch: "main",
      event: "push",
      status: "completed",
      conclusion,
      jobs: jobs.map(([name, c]) => ({ name, conclusion: c })),
    });
    // Newest first. The worker's tests have failed since "both": no run succeeded in full, but
    // the api (in "both") and the gateway (in "gw") were built and promoted to dev. A newer
    // successful run on a commit a force push left behind is not this history.
    gh.state.workflowRuns = [
      run(9, "f".repeat(40), "success"),
      run(3, gw, "failure", [
        ["CI / Lint and test " + worker, "failure"],
        [built(gateway), "success"],
        [built(worker), "skipped"],
        ["Promote to dev", "success"],
      ]),
      run(2, both, "failure", [
        ["CI / Lint and test " + worker, "failure"],
        [built(api), "success"],
        ["Promote to dev", "success"],
      ]),
      run(1, created, "success"),
    ];
    const r = await base();
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.outputs.bases!)).toEqual({ [api]: both, [gateway]: gw, [worker]: created });
    const call = gh.calls.find((c) => c.path === "/repos/acme/shop/actions/workflows/delivery.yml/runs")!;
    expect(call.query).toMatchObject({ branch: "main", event: "push", status: "completed" });
    // Only the worker is built (and tested) again; with the last fully successful run as every
    // service's base, the api and the gateway would be rebuilt and promoted again on every push.
    expect(await pickWith(r.outputs.bases!)).toEqual([worker]);
    expect(pick(created)).toEqual([api, gateway, worker].sort());
    // A run whose promotion to dev failed delivered nothing: its services are built again.
    gh.state.workflowRuns = [
      run(3, gw, "failure", [
        [built(gateway), "success"],
        ["Promote to dev", "failure"],
      ]),
      run(1, created, "success"),
    ];
    const failed = await base();
    expect(JSON.parse(failed.outputs.bases!)).toEqual({ [api]: created, [gateway]: created, [worker]: created });
    // No run delivered anything yet: every service.
    gh.state.workflowRuns = [run(2, both, "cancelled", [[built(api), "cancelled"]])];
    const none = await base();
    expect(none.outputs.bases).toBe("{}");
    expect(await pickWith(none.outputs.bases!)).toEqual([api, gateway, worker].sort());
  });

  it("the job names the base lookup matches are those GitHub gives the build leg and the first promotion (GitOps and push)", async () => {
    const push = await polyglot(["--mode", "push", "--cluster", "kubeconfig", "--environments", "dev,prod"]);
    for (const [repo, first] of [
      [dir, (wf: Wf) => wf.jobs["promote-dev"]!.name!],
      [push, () => `Deploy {name} / ${(parseYaml(readFileSync(join(push, ".github/workflows/deploy-service.yml"), "utf8")) as Wf).jobs["deploy-dev"]!.name}`],
    ] as const) {
      const wf = parseYaml(readFileSync(join(repo, ".github/workflows/delivery.yml"), "utf8")) as Wf;
      const s = workflowSteps(join(repo, ".github/workflows/delivery.yml")).find((x) => /^The commit each service was last delivered/.test(x.name))!;
      expect(s.env.BUILD_JOB).toBe(wf.jobs.build!.name!.replace("${{ matrix.service.name }}", "{name}"));
      if (repo === push) expect(wf.jobs.deploy!.name).toBe("Deploy ${{ matrix.image.name }}");
      expect(s.env.DEPLOY_JOB).toBe(first(wf));
    }
  });

  it("a release pull request's merge builds only the services it released", async () => {
    const before = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, ".release-please-manifest.json"), JSON.stringify({ "services/api": "1.1.0" }));
    writeFileSync(join(dir, "release-please-config.json"), readFileSync(join(dir, "release-please-config.json"), "utf8").replace("{", '{"x":1,'));
    writeFileSync(join(dir, "services/api/CHANGELOG.md"), "# 1.1.0\n");
    const pkg = JSON.parse(readFileSync(join(dir, "services/api/package.json"), "utf8"));
    writeFileSync(join(dir, "services/api/package.json"), JSON.stringify({ ...pkg, version: "1.1.0" }, null, 2));
    commitAll(dir, "chore: release main");
    expect(pick(before)).toEqual([names["services/api"]]);
    // A root build file is still shared by every service.
    const again = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, "Makefile"), "all:\n");
    commitAll(dir, "build: a root Makefile");
    expect(pick(again)).toEqual(Object.values(names).sort());
  });

  it("a promotion commit (only image.tag and image.digest in values-<env>.yaml) rebuilds nothing; any other change to that file does", async () => {
    const api = names["services/api"]!;
    const file = join(dir, `charts/${api}/values-dev.yaml`);
    const text = readFileSync(file, "utf8");
    const before = git(dir, "rev-parse", "HEAD").trim();
    // What promote.sh writes (yq -i, comments and layout kept): the two keys, nothing else.
    writeFileSync(file, text.replace(/^(\s+)tag: ".*"$/m, '$1tag: "sha-0123456789ab"').replace(/^(\s+)digest: ".*"$/m, `$1digest: "sha256:${"a".repeat(64)}"`));
    expect(readFileSync(file, "utf8")).not.toBe(text);
    commitAll(dir, "chore(dev): deploy api [skip ci]");
    expect(pick(before)).toEqual([]);
    // The same file with a real change (an environment variable) still counts, also together with a promotion.
    const promoted = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(file, `${readFileSync(file, "utf8").replace(/^(\s+)tag: ".*"$/m, '$1tag: "sha-111111111111"')}\nenv:\n  LOG_LEVEL: debug\n`);
    commitAll(dir, "feat(api): an extra variable in dev");
    expect(pick(promoted)).toEqual([api]);
    expect(pick(before)).toEqual([api]);
  });
});

describe("Delivery builds only services its own CI run checked and passed", () => {
  type Job = {
    needs?: string | string[];
    if?: string;
    with?: Record<string, string>;
    outputs?: Record<string, string>;
    steps?: { name: string; id?: string }[];
  };
  type Wf = { on: Record<string, { inputs?: Record<string, unknown>; outputs?: Record<string, { value: string }> }>; jobs: Record<string, Job> };
  let dir: string;
  let names: string[];
  let ci: Wf;
  let delivery: Wf;
  const sb = sandbox();
  beforeAll(async () => {
    dir = await polyglot(["--mode", "gitops", "--environments", "dev,prod"]);
    names = Object.values(byPath(dir)).sort();
    ci = parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as Wf;
    delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as Wf;
  });
  const ciStep = (job: string, name: RegExp) => {
    const s = workflowSteps(join(dir, ".github/workflows/ci.yml")).find((x) => x.job === job && name.test(x.name));
    if (!s) throw new Error(`no step ${name} in ci.yml / ${job}`);
    return s;
  };

  it("the list Delivery picks is the list its CI run checks, and the build matrix is the part of it that passed", () => {
    const needs = (j: Job) => [j.needs ?? []].flat();
    expect(needs(delivery.jobs.ci!)).toContain("changes");
    expect(delivery.jobs.ci!.with).toEqual({ services: "${{ needs.changes.outputs.services }}" });
    expect(ci.on.workflow_call!.inputs).toHaveProperty("services");
    expect(ci.on.workflow_call!.outputs!.passed!.value).toBe("${{ jobs.passed.outputs.services }}");
    const build = delivery.jobs.build as Job & { strategy: { matrix: { service: string } } };
    expect(needs(build)).toContain("ci");
    expect(build.strategy.matrix.service).toBe("${{ fromJSON(needs.ci.outputs.passed) }}");
    // Each service's lint/test leg and container leg record it as their last step, so a failed leg records nothing.
    for (const job of ["test", "container"]) {
      const j = ci.jobs[job]!;
      expect(j.steps!.at(-1)!.id, job).toBe("passed");
      for (const n of names) expect(j.outputs![n], `${job} ${n}`).toBe(`\${{ steps.passed.outputs.${n} }}`);
    }
  });

  it("called with Delivery's list, CI checks exactly it, not what the push's `before` gives", async () => {
    git(dir, "init", "-q");
    commitAll(dir, "create");
    writeFileSync(join(dir, "services/api/extra.js"), "1\n");
    const before = commitAll(dir, "api");
    writeFileSync(join(dir, "README.md"), "# shop, docs\n");
    commitAll(dir, "docs");
    const all = JSON.parse(/^services=(.*)$/m.exec(runScriptSync(dir, ""))![1]!) as { name: string }[];
    const list = JSON.stringify(all.filter((x) => x.name !== names[0]));
    const s = ciStep("changes", /^Pick the changed services/);
    const called = await runScript(
      s.run,
      resolveEnv(s, { "github.event.pull_request.base.sha || github.event.merge_group.base_sha || github.event.before": before, "inputs.services": list }),
      sb,
      { cwd: dir },
    );
    expect(called.code, called.stderr).toBe(0);
    expect(JSON.parse(called.outputs.services!)).toEqual(JSON.parse(list));
    expect(called.outputs.any).toBe("true");
    // A pull request (no input): the change against its base, here a docs change: nothing.
    const pr = await runScript(
      s.run,
      resolveEnv(s, { "github.event.pull_request.base.sha || github.event.merge_group.base_sha || github.event.before": before, "inputs.services": "" }),
      sb,
      { cwd: dir },
    );
    expect(pr.outputs.services).toBe("[]");
    expect(pr.outputs.any).toBe("false");
  });

  it("only a service whose lint/test and container legs both passed is passed on", async () => {
    const s = ciStep("passed", /^List them/);
    const list = names.map((name) => ({ name }));
    const [a, b, c] = names;
    const r = await runScript(
      s.run,
      resolveEnv(s, {
        "needs.changes.outputs.services": JSON.stringify(list),
        "toJSON(needs.test.outputs)": JSON.stringify({ [a!]: "true", [b!]: "true" }),
        "toJSON(needs.container.outputs)": JSON.stringify({ [a!]: "true", [c!]: "true" }),
      }),
      sb,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.outputs.services!)).toEqual([{ name: a }]);
  });
});

/** changed-services.sh as the workflow runs it, in the repository (the runners' yq on PATH). */
function runScriptSync(dir: string, base: string): string {
  return execFileSync("bash", [".github/scripts/changed-services.sh", base, "HEAD"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH}` },
  });
}

describe("each service's build leg", () => {
  let dir: string;
  let sb: Sandbox;
  beforeAll(async () => {
    dir = await polyglot(["--mode", "gitops", "--environments", "dev,prod", "--scan", "--supply-chain", "--multi-arch"]);
    sb = sandbox();
  });

  it("pushes by digest, scans every platform, attests and signs that digest, and only then tags; uploads and signs only where it may", () => {
    const job = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")).jobs.build as {
      permissions: Record<string, string>;
      steps: { name: string; id?: string; if?: string; with?: Record<string, string>; env?: Record<string, string> }[];
    };
    expect(job.permissions).toMatchObject({ "security-events": "write", actions: "read", "id-token": "write" });
    const names = job.steps.map((s) => s.name);
    const at = (re: RegExp) => names.findIndex((n) => re.test(n));
    const build = job.steps[at(/^Build and push by digest/)]!;
    expect(build.with?.outputs).toContain("push-by-digest=true");
    expect(build.with?.tags).toBeUndefined();
    const gates = names.flatMap((n, i) => (/^Scan the image \(gate/.test(n) ? [i] : []));
    expect(gates.map((i) => job.steps[i]!.env?.TRIVY_PLATFORM)).toEqual(["linux/amd64", "linux/arm64"]);
    const tag = at(/^Tag the signed image/);
    expect(Math.max(...gates)).toBeLessThan(at(/^Attest/));
    // Attested and signed by the digest the build pushed, before any tag names it.
    expect(at(/^Attest/)).toBeLessThan(tag);
    expect(at(/^Sign the image/)).toBeLessThan(tag);
    expect(job.steps[at(/^Attest/)]!.with?.["subject-digest"]).toBe("${{ steps.build.outputs.digest }}");
    expect(job.steps[at(/^Sign the image/)]!.env?.DIGEST).toBe("${{ steps.build.outputs.digest }}");
    expect(at(/^Verify the published image's signature/)).toBeGreaterThan(tag);
    for (const s of job.steps.filter((x) => /^Upload the scan/.test(x.name)))
      expect(s.if).toContain("vars.CODE_SCANNING == 'true' || (vars.CODE_SCANNING == '' && github.event.repository.visibility == 'public')");
    for (const s of job.steps.filter((x) => /cosign|Sign the image/.test(x.name)))
      expect(s.if).toContain("github.event.repository.visibility == 'public' || vars.COSIGN_PRIVATE == 'true'");
    // Every build, scan and signing step is skipped when the commit's image already exists; the
    // signature check runs only then.
    for (const s of job.steps.slice(at(/already published/) + 1))
      if (!/^(Tag the|Record the|Install cosign|Verify the published)/.test(s.name)) expect(s.if, s.name).toContain("steps.existing.outputs.found != 'true'");
    expect(job.steps[at(/^Verify the published/)]!.if).toContain("steps.existing.outputs.found == 'true'");
  });

  it("a re-run finds the commit's image and reuses its digest; a new build is tagged from its digest", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const values = {
      "matrix.service.image": "ghcr.io/acme/api",
      "steps.build.outputs.digest": "",
      "steps.existing.outputs.found": "true",
      "github.token": "ghs_workflow_token",
    };
    const existing = step(dir, "build", /already published/);
    const tagStep = step(dir, "build", /^Tag the/);
    const inspect = { cmd: "docker", match: ["buildx", "imagetools", "inspect"], stdout: JSON.stringify({ digest: `sha256:${"a".repeat(64)}` }) };
    sb.setRules([inspect]);
    const found = await runScript(existing.run, { ...resolveEnv(existing, values), GITHUB_SHA: sha }, sb);
    expect(found.outputs.found).toBe("true");
    expect(found.stdout).toContain("already exists: reusing it, nothing is rebuilt");
    const reused = await runScript(tagStep.run, { ...resolveEnv(tagStep, values), GITHUB_SHA: sha }, sb);
    expect(reused.code, reused.stderr).toBe(0);
    expect(reused.outputs).toMatchObject({ tag: "sha-0123456789ab", digest: `sha256:${"a".repeat(64)}` });
    expect(sb.commands().some((c) => c[0] === "docker" && c.includes("create"))).toBe(false);
    // A new build: tagged sha-<12> and main from the digest the build pushed (after the scan),
    // and the tag read back names that digest.
    sb.setRules([
      {
        cmd: "docker",
        match: ["buildx", "imagetools", "inspect"],
        after: ["imagetools", "create"],
        stdout: JSON.stringify({ digest: `sha256:${"b".repeat(64)}` }),
      },
      { cmd: "docker", match: ["buildx", "imagetools", "inspect"], exit: 1, stderr: "not found" },
    ]);
    const built = await runScript(
      tagStep.run,
      {
        ...resolveEnv(tagStep, {
          ...values,
          "steps.existing.outputs.found": "false",
          "steps.build.outputs.digest": `sha256:${"b".repeat(64)}`,
          "github.token": "ghs_workflow_token",
        }),
        GITHUB_SHA: sha,
      },
      sb,
    );
    expect(built.code, built.stderr).toBe(0);
    const creates = sb.commands().filter((c) => c[0] === "docker" && c.includes("create"));
    expect(creates.map((c) => c.slice(1))).toEqual([
      ["buildx", "imagetools", "create", "--tag", "ghcr.io/acme/api:sha-0123456789ab", `ghcr.io/acme/api@sha256:${"b".repeat(64)}`],
      ["buildx", "imagetools", "create", "--tag", "ghcr.io/acme/api:main", `ghcr.io/acme/api@sha256:${"b".repeat(64)}`],
    ]);
    expect(built.outputs.digest).toBe(`sha256:${"b".repeat(64)}`);
  });

  it("a run that finishes late leaves the branch tag on a newer commit's image; a newer run moves it", async () => {
    const gh = await startGitHub({ "README.md": "x\n" }, { name: "shop" });
    try {
      const older = gh.commit("a.txt", "1\n", "older");
      const newer = gh.commit("a.txt", "2\n", "newer");
      const tagStep = step(dir, "build", /^Tag the/);
      const digest = `sha256:${"c".repeat(64)}`;
      // The branch tag's image, by platform as imagetools lists a multi-platform index, with the
      // revision label the build sets.
      const mainImage = (sha: string) =>
        JSON.stringify({ "linux/amd64": { config: { Labels: { "org.opencontainers.image.revision": sha } } }, "linux/arm64": { config: { Labels: {} } } });
      const run = async (sha: string, onMain: string) => {
        const local = sandbox([
          { cmd: "docker", match: ["inspect", "ghcr.io/acme/api:main"], stdout: mainImage(onMain) },
          { cmd: "docker", match: ["buildx", "imagetools", "inspect"], after: ["imagetools", "create"], stdout: JSON.stringify({ digest }) },
          { cmd: "docker", match: ["buildx", "imagetools", "inspect"], exit: 1, stderr: "not found" },
        ]);
        const values = {
          "matrix.service.image": "ghcr.io/acme/api",
          "steps.build.outputs.digest": digest,
          "steps.existing.outputs.found": "false",
          "github.token": "ghs_workflow_token",
        };
        const r = await runScript(tagStep.run, { ...apiEnv(gh), ...resolveEnv(tagStep, values), GITHUB_SHA: sha }, local);
        expect(r.code, r.stderr + r.stdout).toBe(0);
        expect(r.outputs.tag).toBe(`sha-${sha.slice(0, 12)}`);
        return {
          out: r.stdout,
          tags: local
            .commands()
            .filter((c) => c.includes("create"))
            .map((c) => c[c.indexOf("--tag") + 1]),
        };
      };
      const late = await run(older, newer);
      expect(late.tags).toEqual([`ghcr.io/acme/api:sha-${older.slice(0, 12)}`]);
      expect(late.out).toContain(`ghcr.io/acme/api:main stays on the image of ${newer.slice(0, 12)}`);
      const inOrder = await run(newer, older);
      expect(inOrder.tags).toEqual([`ghcr.io/acme/api:sha-${newer.slice(0, 12)}`, "ghcr.io/acme/api:main"]);
    } finally {
      gh.close();
    }
  });

  it("never moves a tag another run of the commit set to another digest; a re-run promotes only a signed image", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const tagStep = step(dir, "build", /^Tag the/);
    const verify = step(dir, "build", /^Verify the published image's signature/);
    const other = `sha256:${"c".repeat(64)}`;
    // The tag already names another digest when this build (its own digest) comes to tag.
    const race = sandbox([{ cmd: "docker", match: ["buildx", "imagetools", "inspect"], stdout: JSON.stringify({ digest: other }) }]);
    const values = {
      "matrix.service.image": "ghcr.io/acme/api",
      "steps.build.outputs.digest": `sha256:${"b".repeat(64)}`,
      "steps.existing.outputs.found": "false",
      "github.token": "ghs_workflow_token",
    };
    const r = await runScript(tagStep.run, { ...resolveEnv(tagStep, values), GITHUB_SHA: sha }, race);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::ghcr.io/acme/api:sha-0123456789ab already points at ${other}, not at this run's sha256:${"b".repeat(64)}`);
    expect(race.commands().some((c) => c.includes("create"))).toBe(false);
    // A re-run: the signature of the digest the tag names is verified against this repository's
    // Delivery workflow on main; without one the image is not promoted.
    const env = {
      ...resolveEnv(verify, { "matrix.service.image": "ghcr.io/acme/api", "steps.tag.outputs.digest": other }),
      GITHUB_SHA: sha,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/shop",
    };
    const unsigned = sandbox([{ cmd: "cosign", match: ["verify"], exit: 1, stderr: "no signatures found" }]);
    const bad = await runScript(verify.run, env, unsigned);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      `::error::ghcr.io/acme/api@${other} (tagged sha-0123456789ab) has no valid signature by https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/main: it is not promoted`,
    );
    const signed = sandbox([]);
    const good = await runScript(verify.run, env, signed);
    expect(good.code, good.stderr).toBe(0);
    expect(signed.commands()).toEqual([
      [
        "cosign",
        "verify",
        `ghcr.io/acme/api@${other}`,
        "--certificate-identity",
        "https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/main",
        "--certificate-oidc-issuer",
        "https://token.actions.githubusercontent.com",
      ],
    ]);
  });

  it("a re-run promotes a reused image only once the build provenance attestation of its digest checks out", async () => {
    const job = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")).jobs.build as {
      permissions: Record<string, string>;
      steps: { name: string; if?: string }[];
    };
    const check = job.steps.find((s) => /^Verify the published image's build provenance/.test(s.name));
    expect(check, "no attestation check on a re-run").toBeDefined();
    expect(check!.if).toContain("steps.existing.outputs.found == 'true'");
    expect(check!.if).toContain("github.event.repository.visibility == 'public' || vars.ATTESTATIONS == 'true'");
    expect(job.permissions.attestations).toBe("write");
    const verify = step(dir, "build", /^Verify the published image's build provenance/);
    const digest = `sha256:${"d".repeat(64)}`;
    const identity = "https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/main";
    const gh = await startGitHub({ "README.md": "# shop\n" }, { name: "shop" });
    try {
      const run = async () => {
        const box = sandbox();
        const values = {
          "matrix.service.image": "ghcr.io/acme/api",
          "github.token": "ghs_workflow_token",
          "steps.tag.outputs.digest": digest,
          "steps.tag.outputs.tag": "sha-0123456789ab",
        };
        const r = await runScript(verify.run, { ...apiEnv(gh), ...resolveEnv(verify, values), GITHUB_SHA: "0123456789abcdef" }, box);
        return { ...r, gh: box.commands().filter((c) => c[0] === "gh") };
      };
      const unattested = await run();
      expect(unattested.code).toBe(1);
      expect(unattested.stdout).toContain(
        `::error::ghcr.io/acme/api@${digest} (tagged sha-0123456789ab) has no build provenance attestation by ${identity}: it is not promoted.`,
      );
      expect(unattested.gh).toEqual([["gh", "attestation", "verify", `oci://ghcr.io/acme/api@${digest}`, "--repo", "acme/shop", "--cert-identity", identity]]);
      gh.state.attestations.push({ digest, signer: identity });
      const attested = await run();
      expect(attested.code, attested.stderr + attested.stdout).toBe(0);
    } finally {
      await gh.close();
    }
  });
});

describe("GitOps: the next environment takes a service once Argo CD reports it healthy", () => {
  let dir: string;
  let gh: GitHubStandIn;
  let sb: Sandbox;
  let names: string[];
  beforeAll(async () => {
    dir = await polyglot(["--mode", "gitops", "--environments", "dev,staging,prod"]);
    names = Object.values(byPath(dir)).sort();
    gh = await startGitHub({ "README.md": "x\n" }, { name: "shop" });
    sb = sandbox();
  });
  afterAll(() => gh?.close());

  const images = () => names.map((n, i) => ({ name: n, tag: "sha-0123456789ab", digest: `sha256:${String(i).repeat(64)}` }));
  const wait = async (promoted: string, changed: string[], gate = "", minutes = "0", missing = "") => {
    const s = step(dir, "promote-dev", /^Wait for Argo CD/);
    return runScript(
      s.run,
      {
        ...apiEnv(gh),
        POLL_SECONDS: "0",
        ...resolveEnv(s, {
          "github.token": "ghs_workflow_token",
          "needs.images.outputs.images": JSON.stringify(images()),
          "steps.promote.outputs.sha": promoted,
          "steps.promote.outputs.services": JSON.stringify(changed),
          "steps.promote.outputs.missing": missing,
          "vars.ARGOCD_HEALTH_GATE": gate,
          "vars.ARGOCD_HEALTH_WAIT_MINUTES || '15'": minutes,
        }),
      },
      sb,
    );
  };
  const passed = (r: { outputs: Record<string, string> }) => (JSON.parse(r.outputs.images!) as { name: string }[]).map((x) => x.name);

  it("the jobs: each environment after the first takes the list the one before passes on", () => {
    const jobs = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")).jobs;
    expect(jobs["promote-dev"].outputs).toEqual({ images: "${{ steps.healthy.outputs.images }}" });
    expect(jobs["promote-dev"].permissions).toMatchObject({ statuses: "read" });
    expect(jobs["promote-staging"].env.IMAGES).toBe("${{ needs.promote-dev.outputs.images }}");
    expect(jobs["promote-staging"].if).toContain("needs.promote-dev.outputs.images != '[]'");
    expect(jobs["promote-staging"].if).not.toContain("needs.promote-dev.result == 'success'");
    expect(jobs["promote-prod"].env.IMAGES).toBe("${{ inputs.promote && 'from:staging' || needs.promote-staging.outputs.images }}");
    expect(jobs["promote-prod"].outputs).toBeUndefined();
  });

  it("reads every page of a commit's statuses: Argo CD's behind 40 newer statuses of other checks still counts", async () => {
    const promoted = gh.commit("charts/x.txt", "2\n", "chore(dev): deploy");
    const [a, b] = names as [string, string, string];
    const others = Array.from({ length: 40 }, (_, i) => ({ context: `ci/check-${i}`, state: "success" }));
    gh.state.statuses[promoted] = [{ context: `argocd/${a}-dev`, state: "success" }, { context: `argocd/${b}-dev`, state: "failure" }, ...others];
    const r = await wait(promoted, [a, b]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${a}-dev is Synced and Healthy`);
    expect(r.stdout).toContain(`::error::Argo CD reports ${b}-dev failure: ${b} is not promoted to staging`);
  });

  it("passes on the healthy services, keeps out one reported failed and one never reported, and fails the job", async () => {
    const promoted = gh.commit("charts/x.txt", "1\n", "chore(dev): deploy");
    const later = gh.commit("README.md", "y\n", "docs: y");
    const [a, b, c] = names as [string, string, string];
    gh.state.statuses[promoted] = [{ context: `argocd/${a}-dev`, state: "success" }];
    gh.state.statuses[later] = [{ context: `argocd/${b}-dev`, state: "failure" }];
    const r = await wait(promoted, names);
    expect(r.code).toBe(1);
    expect(passed(r)).toEqual([a]);
    expect(r.stdout).toContain(`${a}-dev is Synced and Healthy`);
    expect(r.stdout).toContain(`::error::Argo CD reports ${b}-dev failure: ${b} is not promoted to staging`);
    expect(r.stdout).toContain(`::error::no argocd/<service>-dev success status after 0 minutes for: ${c}.`);
  });

  it("a service the promotion did not change goes on; all healthy passes every service", async () => {
    const promoted = gh.commit("charts/x.txt", "2\n", "chore(dev): deploy");
    const [a, b] = names as [string, string, string];
    gh.state.statuses[promoted] = [
      { context: `argocd/${a}-dev`, state: "pending" },
      { context: `argocd/${a}-dev`, state: "success" },
      { context: `argocd/${b}-dev`, state: "success" },
    ];
    const r = await wait(promoted, [a, b], "", "1");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(passed(r)).toEqual(names);
  });

  it("after a promotion that left out a service with no values file (the promote step failed), the wait still runs and the others go on", async () => {
    const s = step(dir, "promote-dev", /^Wait for Argo CD/);
    // The default success() would skip the step after the failed promote step: no service would reach the next environment.
    expect(s.if).toContain("failure() && steps.promote.outcome == 'failure'");
    expect(s.if).toContain("steps.promote.outputs.missing != '[]'");
    const promoted = gh.commit("charts/x.txt", "3\n", "chore(dev): deploy");
    const [a, b, c] = names as [string, string, string];
    gh.state.statuses[promoted] = [
      { context: `argocd/${a}-dev`, state: "success" },
      { context: `argocd/${b}-dev`, state: "success" },
    ];
    const r = await wait(promoted, [a, b], "", "1", JSON.stringify([c]));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(passed(r)).toEqual([a, b]);
    // Nothing committed (the only service to promote had no values file): nothing goes on.
    const none = await wait("", [], "", "0", JSON.stringify(names));
    expect(passed(none)).toEqual([]);
  });

  it("ARGOCD_HEALTH_GATE=off, or no promotion commit (nothing changed), passes every service without asking GitHub", async () => {
    const calls = gh.calls.length;
    const off = await wait(gh.head(), names, "off");
    expect(off.code).toBe(0);
    expect(passed(off)).toEqual(names);
    const none = await wait("", []);
    expect(none.code).toBe(0);
    expect(passed(none)).toEqual(names);
    expect(gh.calls.length).toBe(calls);
  });
});

describe("GitOps with a config repository: the next environment waits for Argo CD's status on the config repository's commit", () => {
  let dir: string;
  let config: GitHubStandIn;
  let sb: Sandbox;
  let names: string[];
  beforeAll(async () => {
    dir = await polyglot(["--mode", "gitops", "--environments", "dev,prod", "--gitops-repo", "acme/shop-config"]);
    names = Object.values(byPath(dir)).sort();
    config = await startGitHub({ "README.md": "x\n" }, { name: "shop-config" });
    sb = sandbox();
  });
  afterAll(() => config?.close());

  it("Argo CD posts the status on its second source's revision; the App token reads it; a failed service stays out of prod", async () => {
    // Argo CD side: the Applications subscribe to the config-repository triggers, whose templates
    // name the second source (the config repository) and its synced revision.
    const appset = parseYaml(readFileSync(join(dir, "deploy/argocd/applicationset.yaml"), "utf8"));
    const annotations = Object.keys(appset.spec.template.metadata.annotations);
    expect(annotations.filter((k) => k.endsWith(".github"))).toEqual([
      "notifications.argoproj.io/subscribe.pipeline-config-on-deployed.github",
      "notifications.argoproj.io/subscribe.pipeline-config-on-sync-failed.github",
      "notifications.argoproj.io/subscribe.pipeline-config-on-health-degraded.github",
    ]);
    expect(appset.spec.template.spec.sources[1].repoURL).toBe("https://github.com/acme/shop-config.git");
    const cm = parseYaml(readFileSync(join(dir, "deploy/argocd/notifications/argocd-notifications-cm.yaml"), "utf8")).data as Record<string, string>;
    const deployed = parseYaml(cm["template.pipeline-config-app-deployed"]!);
    expect(deployed.github.repoURLPath).toBe("{{(index .app.spec.sources 1).repoURL}}");
    expect(deployed.github.revisionPath).toBe("{{index .app.status.operationState.syncResult.revisions 1}}");
    expect(deployed.github.status.label).toBe("argocd/{{.app.metadata.name}}");
    expect(parseYaml(cm["trigger.pipeline-config-on-deployed"]!)[0].send).toEqual(["pipeline-config-app-deployed"]);

    // Workflow side: dev's token may read commit statuses of the config repository; prod waits for dev's list.
    const jobs = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")).jobs;
    const app = (jobs["promote-dev"].steps as { id?: string; with?: Record<string, string> }[]).find((x) => x.id === "app")!;
    expect(app.with).toMatchObject({ repositories: "shop-config", "permission-statuses": "read" });
    expect(jobs["promote-dev"].outputs).toEqual({ images: "${{ steps.healthy.outputs.images }}" });
    expect(jobs["promote-prod"].env.IMAGES).toBe("${{ inputs.promote && 'from:dev' || needs.promote-dev.outputs.images }}");

    const promoted = config.commit("apps/shop/dev/x.txt", "1\n", "chore(dev): deploy");
    const later = config.commit("README.md", "y\n", "docs: y");
    const [a, b] = names as [string, string, string];
    config.state.statuses[promoted] = [{ context: `argocd/${a}-dev`, state: "success" }];
    config.state.statuses[later] = [{ context: `argocd/${b}-dev`, state: "failure" }];
    const s = step(dir, "promote-dev", /^Wait for Argo CD/);
    const images = names.map((n, i) => ({ name: n, tag: "sha-0123456789ab", digest: `sha256:${String(i).repeat(64)}` }));
    const r = await runScript(
      s.run,
      {
        ...apiEnv(config),
        GITHUB_REPOSITORY: "acme/shop",
        POLL_SECONDS: "0",
        ...resolveEnv(s, {
          "steps.app.outputs.token": "ghs_app_token",
          "needs.images.outputs.images": JSON.stringify(images),
          "steps.promote.outputs.sha": promoted,
          "steps.promote.outputs.services": JSON.stringify([a, b]),
          "steps.promote.outputs.missing": "",
          "vars.ARGOCD_HEALTH_GATE": "",
          "vars.ARGOCD_HEALTH_WAIT_MINUTES || '15'": "1",
        }),
      },
      sb,
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.outputs.images!).map((x: { name: string }) => x.name)).toEqual(names.filter((n) => n !== b));
    expect(r.stdout).toContain(`::error::Argo CD reports ${b}-dev failure: ${b} is not promoted to prod`);
    // Every read went to the config repository, with the App's token.
    const reads = config.calls.filter((c) => c.path.includes("/statuses") || c.path.includes("/compare/"));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.path.startsWith("/repos/acme/shop-config/"))).toBe(true);
  });
});

describe("push mode, the gated environment and the one-time setup", () => {
  it("PROMOTION_GATE=dispatch stops a push before prod; -f promote=true is the approval", async () => {
    const dir = await polyglot([...PUSH_ON_EKS, "--environments", "dev,prod"]);
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    expect(wf.on.workflow_dispatch.inputs.promote.type).toBe("boolean");
    // The manual run's answer reaches each service's deploy-service.yml run.
    expect(wf.jobs.deploy.with.promote).toBe("${{ inputs.promote == true }}");
    const called = parseYaml(readFileSync(join(dir, ".github/workflows/deploy-service.yml"), "utf8"));
    expect(called.on.workflow_call.inputs.promote).toEqual(expect.objectContaining({ type: "boolean", default: false }));
    expect(called.jobs["deploy-prod"].if).toContain("(vars.PROMOTION_GATE != 'dispatch' || inputs.promote)");
    expect(called.jobs["deploy-dev"].if).not.toContain("PROMOTION_GATE");
    // Every leg checks its environment's identity before the cloud login.
    const steps = called.jobs["deploy-prod"].steps.map((s: { name: string }) => s.name);
    expect(steps.indexOf("Check the prod identity is configured")).toBeLessThan(steps.indexOf("Configure AWS credentials (OIDC)"));
  });

  const setupOf = async (flags: string[], state: Parameters<typeof startGitHub>[1] = {}, rules: StubRule[] = []) => {
    const dir = await polyglot(flags);
    const names = Object.values(byPath(dir)).sort();
    const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    const start = docs.indexOf("\n## One-time setup\n");
    const part = docs.slice(start, docs.indexOf("\n## ", start + 5));
    // What a person fills in: the VAR="<...>" placeholder lines, and the approving team.
    const keyFile = join(dir, "app-key.pem");
    writeFileSync(keyFile, APP_KEY);
    const argocdKeyFile = join(dir, "argocd-status-key.pem");
    writeFileSync(argocdKeyFile, "-----BEGIN RSA PRIVATE KEY-----\nargocd-status\n-----END RSA PRIVATE KEY-----\n");
    const fill: Record<string, string> = {
      APP_ID: "123456",
      APP_KEY_FILE: keyFile,
      ARGOCD_APP_ID: "654321",
      ARGOCD_APP_INSTALLATION_ID: "98765432",
      ARGOCD_APP_KEY_FILE: argocdKeyFile,
      ARGOCD_URL: "https://argocd.acme.example",
    };
    const blocks = [...part.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) =>
      m[1]!
        .replace(/^(\w+)="<[^>]*>"/gm, (line, v: string) => {
          if (!(v in fill)) throw new Error(`no test value for the placeholder ${line}`);
          return `${v}="${fill[v]}"`;
        })
        .replace(/^REVIEWER=""$/m, 'REVIEWER="platform"'),
    );
    const gh = await startGitHub({ "README.md": "x\n" }, { name: "shop", ...state });
    const sb = sandbox([
      ...rules,
      { cmd: "kubectl", match: ["config", "view"], stdout: "https://k8s.example:6443" },
      { cmd: "kubectl", match: ["get", "configmap", "kube-root-ca.crt"], stdout: "-----BEGIN CERTIFICATE-----" },
      { cmd: "kubectl", match: ["create", "token"], stdout: "short-lived-token" },
    ]);
    const r = await runScript(
      ["set -euo pipefail", ...blocks].join("\n"),
      { ...apiEnv(gh), GH_REPO: "acme/shop", REGISTRY_PASSWORD: "pull-token", PIPELINE_EVENTS_URL: "https://hooks.example.com/argocd" },
      sb,
      {
        shellArgs: ["--noprofile", "--norc"],
        cwd: dir,
      },
    );
    await gh.close();
    return { r, gh, cmds: sb.commands(), names, docs, dir };
  };

  it("EKS: environments limited to main before any deploy, one role per environment with rights in every service's namespace", async () => {
    const { r, gh, cmds, names, docs } = await setupOf([...PUSH_ON_EKS, "--environments", "dev,prod"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(docs).toContain("**without any protection rule**");
    for (const env of ["dev", "prod"]) expect(gh.state.environments[env]?.policies).toEqual(["main"]);
    expect(gh.state.variables.filter((v) => v.name === "AWS_DEPLOY_ROLE_ARN")).toEqual([
      { name: "AWS_DEPLOY_ROLE_ARN", env: "dev", value: "arn:aws:iam::123456789012:role/github-shop-dev" },
      { name: "AWS_DEPLOY_ROLE_ARN", env: "prod", value: "arn:aws:iam::123456789012:role/github-shop-prod" },
    ]);
    const aws = cmds.filter((c) => c[0] === "aws").map((c) => c.slice(1));
    const trust = (role: string) => {
      const c = aws.find((x) => x[0] === "iam" && x[1] === "create-role" && x[3] === role)!;
      return JSON.parse(c[5]!).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
    };
    expect(trust("github-shop-build")).toBe("repo:acme@5544123/shop@821093847:ref:refs/heads/main");
    expect(trust("github-shop-prod")).toBe("repo:acme@5544123/shop@821093847:environment:prod");
    for (const env of ["dev", "prod"]) {
      const assoc = aws.find((x) => x[1] === "associate-access-policy" && x.includes(`arn:aws:iam::123456789012:role/github-shop-${env}`))!;
      const scope = assoc[assoc.indexOf("--access-scope") + 1]!;
      expect(scope).toMatch(/^type=namespace,namespaces=/);
      expect(scope.split("=").at(-1)!.split(",").sort()).toEqual(names.map((n) => `${n}-${env}`));
    }
    const repos = aws.filter((x) => x[0] === "ecr" && x[1] === "create-repository").map((x) => x[3]);
    expect(repos.sort()).toEqual(names);
    const policy = JSON.parse(aws.find((x) => x[1] === "put-role-policy" && x.includes("ecr-push"))!.at(-1)!);
    expect([...policy.Statement[1].Resource].sort()).toEqual(names.map((n) => `arn:aws:ecr:us-east-1:123456789012:repository/${n}`));
    const namespaces = cmds.filter((c) => c[0] === "kubectl" && c[1] === "create" && c[2] === "namespace").map((c) => c[3]);
    expect(namespaces.sort()).toEqual(names.flatMap((n) => [`${n}-dev`, `${n}-prod`]).sort());
  });

  it("kubeconfig: one expiring deployer per environment, bound in every service's namespace of it, stored as the environment's secret", async () => {
    const { r, gh, cmds, names } = await setupOf(["--mode", "push", "--cluster", "kubeconfig", "--environments", "dev,prod"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(gh.state.secrets.filter((s) => s.name === "KUBECONFIG").map((s) => s.env)).toEqual(["dev", "prod"]);
    const bindings = cmds.filter((c) => c[0] === "kubectl" && c[1] === "create" && c[2] === "rolebinding");
    for (const env of ["dev", "prod"])
      for (const n of names)
        expect(bindings.some((b) => b.includes(`${n}-${env}`) && b.includes(`shop-deployers:github-${env}`) && b.includes("edit"))).toBe(true);
  });

  it("GitOps with release-please: the App's key is a secret of dev, prod and release (each limited to main), never of the repository", async () => {
    const { r, gh, dir } = await setupOf(["--mode", "gitops", "--environments", "dev,prod", "--release-tool", "release-please"], {
      // An earlier setup stored the key and the ID for the whole repository.
      secrets: [{ name: "PIPELINE_APP_PRIVATE_KEY", value: "old" }],
      variables: [{ name: "PIPELINE_APP_ID", value: "1" }],
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // Every job that reads the key names an environment that accepts main only.
    const keyJobs = readdirSync(join(dir, ".github/workflows")).flatMap((f) => {
      const wf = parseYaml(readFileSync(join(dir, ".github/workflows", f), "utf8")) as {
        jobs: Record<string, { environment?: string | { name: string }; steps?: unknown[] }>;
      };
      return Object.entries(wf.jobs)
        .filter(([, j]) => JSON.stringify(j.steps ?? []).includes("secrets.PIPELINE_APP_PRIVATE_KEY"))
        .map(([id, j]) => ({ job: `${f}:${id}`, env: typeof j.environment === "string" ? j.environment : j.environment?.name }));
    });
    expect(keyJobs.map((j) => j.job).sort()).toEqual(["delivery.yml:promote-dev", "delivery.yml:promote-prod", "release.yml:release"]);
    for (const { job, env } of keyJobs) {
      expect(env, `${job} names an environment`).toBeTruthy();
      expect(gh.state.environments[env!]?.policies, `${job}: ${env} accepts main only`).toEqual(["main"]);
    }
    const where = (list: { name: string; env?: string; value: string }[], name: string) =>
      list
        .filter((x) => x.name === name)
        .map((x) => `${x.env ?? "(repository)"}=${x.value}`)
        .sort();
    expect(where(gh.state.secrets, "PIPELINE_APP_PRIVATE_KEY")).toEqual(["dev", "prod", "release"].map((e) => `${e}=${APP_KEY}`));
    expect(where(gh.state.variables, "PIPELINE_APP_ID")).toEqual(["dev", "prod", "release"].map((e) => `${e}=123456`));
  });

  it("where environments keep no branch policy (a private repository on GitHub Free), the key is stored nowhere and the setup says so", async () => {
    const { r, gh } = await setupOf(["--mode", "gitops", "--environments", "dev,prod", "--release-tool", "release-please"], {
      visibility: "private",
      environmentsAvailable: false,
    });
    expect(r.stderr).toContain("WARNING: dev is not limited to main: the App's key is not stored there");
    expect(r.stderr).toContain("WARNING: release is not limited to main");
    expect(gh.state.secrets.filter((x) => x.name === "PIPELINE_APP_PRIVATE_KEY")).toEqual([]);
  });

  it("GKE with Artifact Registry: the service account the Autopilot nodes run as gets roles/artifactregistry.reader on the one repository", async () => {
    const cluster = {
      autopilot: { enabled: true },
      clusterAutoscaling: { autoprovisioningNodePoolDefaults: { serviceAccount: "gke-nodes@p-123456.iam.gserviceaccount.com" } },
    };
    const { r, cmds } = await setupOf(["--mode", "gitops", "--cluster", "gke", "--registry", "gar", "--gcp-project", "p-123456"], {}, [
      { cmd: "gcloud", match: ["container", "clusters", "describe"], stdout: `${JSON.stringify(cluster)}\n` },
      { cmd: "gcloud", match: ["workload-identity-pools", "describe"], stdout: "projects/1/locations/global/workloadIdentityPools/github\n" },
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const readers = cmds.filter((c) => c[0] === "gcloud" && c.includes("add-iam-policy-binding") && c.includes("roles/artifactregistry.reader"));
    expect(readers.map((c) => c[c.indexOf("--member") + 1])).toEqual(["serviceAccount:gke-nodes@p-123456.iam.gserviceaccount.com"]);
  });

  it("removing a service (GitOps): the ApplicationSet is applied, its Applications are waited out, and only then the AppProject", async () => {
    const dir = await polyglot(["--mode", "gitops", "--environments", "dev,prod"]);
    const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    const part = docs.slice(docs.indexOf("## Services: adding, changing, removing"), docs.indexOf("\n## What runs when"));
    const block = /```bash\n([\s\S]*?)```/.exec(part.replace(/^ {2}/gm, ""))![1]!.replace(/^NAME="<[^>]*>"$/m, 'NAME="worker"');
    const sb = sandbox();
    const r = await runScript(["set -euo pipefail", block].join("\n"), {}, sb, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(sb.commands().map((c) => c.slice(1).join(" "))).toEqual([
      "apply -f deploy/argocd/applicationset.yaml",
      "wait --for=delete application/worker-dev --namespace argocd --timeout=10m",
      "wait --for=delete application/worker-prod --namespace argocd --timeout=10m",
      "apply -f deploy/argocd/project.yaml",
    ]);
  });
});
