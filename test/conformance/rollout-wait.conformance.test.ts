/**
 * Push mode's wait for a progressive rollout after `helm upgrade` (templates/pipeline/partials/
 * rollout-wait.eta), run against a kubectl stand-in that answers each `kubectl get` with the next
 * state of a list (the Rollout or Canary as the controller would report it) and the recording helm
 * stub: a Healthy Rollout or a Succeeded Canary ends the wait; an aborted or Degraded Rollout, a
 * Failed Canary or a wait that runs out rolls the release back (`helm rollback <release> 0`) and
 * fails the job with the reason. One service (the deploy-<env> jobs of delivery.yml) and several
 * (the deploy-service.yml workflow each service runs through its environments).
 *
 *   npx vitest run --config vitest.conformance.config.ts test/conformance/rollout-wait.conformance.test.ts
 */
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { deployImageValues, resolveEnv, runScript, sandbox, workflowSteps, type Sandbox, type WorkflowStep } from "../support/standins.js";
import { REPO } from "./combinations.js";

/**
 * kubectl answering `get` calls whose arguments contain a key of `answers` with that key's states
 * in turn (the last one repeated; a state "!<message>" fails the call with that message); every call is recorded in the sandbox log like the other stubs.
 */
function kubectl(sb: Sandbox, answers: Record<string, string[]>): void {
  const state = join(sb.dir, `kubectl-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(state, JSON.stringify({ answers, seen: {} }));
  writeFileSync(
    join(sb.bin, "kubectl"),
    `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify(["kubectl", ...args]) + "\\n");
if (args[0] !== "get") process.exit(0);
const s = JSON.parse(fs.readFileSync(${JSON.stringify(state)}, "utf8"));
const line = args.join(" ");
const key = Object.keys(s.answers).find((k) => line.includes(k));
if (key === undefined) { process.stderr.write("kubectl stand-in: no answer for " + line + "\\n"); process.exit(1); }
const n = s.seen[key] ?? 0;
s.seen[key] = n + 1;
fs.writeFileSync(${JSON.stringify(state)}, JSON.stringify(s));
const list = s.answers[key];
const answer = list[Math.min(n, list.length - 1)];
// "!<message>": the read fails as kubectl does when the API server cannot be reached.
if (answer.startsWith("!")) { process.stderr.write(answer.slice(1) + "\\n"); process.exit(1); }
process.stdout.write(answer);
`,
  );
  chmodSync(join(sb.bin, "kubectl"), 0o755);
  // No real waiting between polls.
  writeFileSync(join(sb.bin, "sleep"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(sb.bin, "sleep"), 0o755);
}

const rollout = (status: Record<string, unknown>, generation = 3) =>
  JSON.stringify({ metadata: { generation }, spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: "1m" } }] } } }, status });

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const helmCalls = (sb: Sandbox) => sb.commands().filter((c) => c[0] === "helm");

async function oneService(flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-rollout-wait-"), "pay");
  const r = await runCli(["create", dir, "--yes", "--name", "pay", "--owner", "acme", "--mode", "push", "--environments", "dev,prod", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

const stepOf = (file: string, job: string, name: RegExp): WorkflowStep => {
  const s = workflowSteps(file).find((x) => x.job === job && name.test(x.name));
  if (!s) throw new Error(`no step ${name} in ${file} / ${job}`);
  return s;
};

describe("one service, Argo Rollouts canary: the deploy waits for the Rollout", () => {
  let dir = "";
  const run = async (sb: Sandbox, env = "dev") => {
    if (!dir) dir = await oneService(["--strategy", "canary", "--progressive-delivery", "argo-rollouts"]);
    const s = stepOf(join(dir, ".github/workflows/delivery.yml"), `deploy-${env}`, /^Smoke check/);
    return runScript(s.run, resolveEnv(s, deployImageValues(env)), sb);
  };

  it("a Rollout the controller has not seen yet (older observedGeneration) is waited for until Healthy; no rollback", async () => {
    const sb = sandbox();
    kubectl(sb, {
      rollout: [
        rollout({ observedGeneration: "2", phase: "Healthy" }),
        rollout({ observedGeneration: "3", phase: "Progressing" }),
        rollout({ observedGeneration: "3", phase: "Paused", pauseConditions: [{ reason: "CanaryPauseStep" }], currentStepIndex: 1 }),
        rollout({ observedGeneration: "3", phase: "Healthy" }),
      ],
    });
    const r = await run(sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/Rollout phase: /g)).toHaveLength(4);
    expect(helmCalls(sb).map((c) => c[1])).toEqual(["test"]);
  });

  it("an aborted Rollout (Degraded) is rolled back with helm rollback <release> 0 and fails the job, saying why", async () => {
    const sb = sandbox();
    kubectl(sb, {
      rollout: [
        rollout({ observedGeneration: "3", phase: "Progressing" }),
        rollout({ observedGeneration: "3", phase: "Degraded", abort: true, message: "RolloutAborted: Rollout aborted update to revision 4" }),
      ],
    });
    const r = await run(sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "::error::pay in pay-dev: the rollout was aborted (Degraded: RolloutAborted: Rollout aborted update to revision 4); the stable version keeps serving; rolling the release back to its previous revision (helm rollback pay 0)",
    );
    expect(helmCalls(sb)).toEqual([["helm", "rollback", "pay", "0", "--namespace", "pay-dev", "--timeout", "5m"]]);
  });

  it("an abort the controller records before its phase says so (status.abort) counts as Degraded", async () => {
    const sb = sandbox();
    kubectl(sb, { rollout: [rollout({ observedGeneration: "3", phase: "Progressing", abort: true })] });
    const r = await run(sb, "prod");
    expect(r.code).toBe(1);
    expect(helmCalls(sb)).toEqual([["helm", "rollback", "pay", "0", "--namespace", "pay-prod", "--timeout", "5m"]]);
  });

  it("a read of the Rollout that fails now and then (TLS handshake timeout) is retried with a warning; no rollback", async () => {
    const sb = sandbox();
    kubectl(sb, {
      rollout: [
        rollout({ observedGeneration: "3", phase: "Progressing" }),
        "!Unable to connect to the server: net/http: TLS handshake timeout",
        "!Unable to connect to the server: net/http: TLS handshake timeout",
        rollout({ observedGeneration: "3", phase: "Healthy" }),
      ],
    });
    const r = await run(sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "::warning::pay in pay-dev: could not read the Rollout (2 in a row): Unable to connect to the server: net/http: TLS handshake timeout",
    );
    expect(helmCalls(sb).map((c) => c[1])).toEqual(["test"]);
  });

  it("five failed reads in a row end the wait as a failed one: rolled back, saying why", async () => {
    const sb = sandbox();
    kubectl(sb, { rollout: [rollout({ observedGeneration: "3", phase: "Progressing" }), "!Unable to connect to the server: net/http: TLS handshake timeout"] });
    const r = await run(sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "::error::pay in pay-dev: the Rollout could not be read 5 times in a row (last error: Unable to connect to the server: net/http: TLS handshake timeout ); rolling the release back",
    );
    expect(helmCalls(sb)).toEqual([["helm", "rollback", "pay", "0", "--namespace", "pay-dev", "--timeout", "5m"]]);
  });

  it("a Rollout still progressing when the wait runs out is rolled back too", async () => {
    const sb = sandbox();
    kubectl(sb, { rollout: [rollout({ observedGeneration: "3", phase: "Progressing" })] });
    const dirNow = dir || (await oneService(["--strategy", "canary", "--progressive-delivery", "argo-rollouts"]));
    dir = dirNow;
    const s = stepOf(join(dir, ".github/workflows/delivery.yml"), "deploy-dev", /^Smoke check/);
    const r = await runScript(
      s.run,
      { ...resolveEnv(s, { "needs.image.outputs.tag": "sha-0123456789ab", "needs.image.outputs.digest": "sha256:d" }), ROLLOUT_WAIT_SECONDS: "0" },
      sb,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::pay in pay-dev: the Rollout did not finish within 0 minutes (last phase: Progressing)");
    expect(helmCalls(sb).map((c) => c.slice(0, 3))).toEqual([["helm", "rollback", "pay"]]);
  });
});

describe("one service, Flagger canary: the deploy waits for the Canary's verdict", () => {
  let dir = "";
  let step: WorkflowStep | undefined;
  const stepRun = () => (step as WorkflowStep).run;
  const stepEnv = (template: string) =>
    resolveEnv(step as WorkflowStep, {
      "needs.image.outputs.tag": "sha-0123456789ab",
      "needs.image.outputs.digest": "sha256:d",
      "steps.before.outputs.spec": "old",
      "steps.before.outputs.template": template,
    });
  beforeAll(async () => {
    dir = await oneService(["--strategy", "canary", "--progressive-delivery", "flagger"]);
    step = stepOf(join(dir, ".github/workflows/delivery.yml"), "deploy-dev", /^Smoke check/);
  });
  const run = async (sb: Sandbox) => {
    if (!dir) dir = await oneService(["--strategy", "canary", "--progressive-delivery", "flagger"]);
    const s = stepOf(join(dir, ".github/workflows/delivery.yml"), "deploy-dev", /^Smoke check/);
    return runScript(
      s.run,
      resolveEnv(s, {
        "needs.image.outputs.tag": "sha-0123456789ab",
        "needs.image.outputs.digest": "sha256:d",
        "steps.before.outputs.spec": "old",
        "steps.before.outputs.template": "",
      }),
      sb,
    );
  };

  it("Succeeded once Flagger analysed the new revision: helm test runs, no rollback", async () => {
    const sb = sandbox();
    // The previous release's Succeeded is not the verdict: the phase is read only once lastAppliedSpec moved.
    kubectl(sb, { lastAppliedSpec: ["old", "old", "new"], "{.status.phase}": ["Progressing", "Progressing", "Succeeded"] });
    const r = await run(sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/Canary phase: /g)).toHaveLength(3);
    expect(helmCalls(sb).map((c) => c[1])).toEqual(["test"]);
  });

  it("failed reads of the Canary are retried with a warning, before and during the analysis", async () => {
    const sb = sandbox();
    kubectl(sb, {
      lastAppliedSpec: ["!Unable to connect to the server: net/http: TLS handshake timeout", "new"],
      "{.status.phase}": ["!Unable to connect to the server: net/http: TLS handshake timeout", "Succeeded"],
    });
    const r = await run(sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/::warning::pay in pay-dev: could not read the Canary \(1 in a row\)/g)).toHaveLength(2);
    expect(helmCalls(sb).map((c) => c[1])).toEqual(["test"]);
  });

  it("Failed: the job fails telling how to fix forward; no helm rollback (Flagger already serves the primary)", async () => {
    const sb = sandbox();
    kubectl(sb, { lastAppliedSpec: ["new"], "{.status.phase}": ["Progressing", "Failed"] });
    const r = await run(sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "::error::pay in pay-dev: Flagger's analysis failed (Canary Failed): it scaled the canary to zero and the primary (the previous version) keeps serving all traffic.",
    );
    expect(r.stdout).toContain("Fix forward: find the cause in the events above and push a fix");
    expect(helmCalls(sb)).toEqual([]);
  });

  it("five failed reads of the Canary in a row fail the job without a helm rollback (Flagger decides by itself)", async () => {
    const sb = sandbox();
    kubectl(sb, { lastAppliedSpec: ["new"], "{.status.phase}": ["!Unable to connect to the server: net/http: TLS handshake timeout"] });
    const r = await run(sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::pay in pay-dev: the Canary could not be read 5 times in a row");
    expect(r.stdout).toContain("Flagger goes on with the analysis and rolls the canary back itself if it fails");
    expect(helmCalls(sb)).toEqual([]);
    // Every read is bounded: a hanging API server cannot hold the job until its timeout.
    const reads = sb.commands().filter((c) => c[0] === "kubectl" && c[1] === "get");
    expect(reads.length).toBeGreaterThan(0);
    for (const c of reads) expect(c).toContain("--request-timeout");
  });

  it("an analysis still running when the wait runs out fails the job without a helm rollback", async () => {
    const sb = sandbox();
    kubectl(sb, { lastAppliedSpec: ["new"], "{.status.phase}": ["Progressing"] });
    const r = await runScript(stepRun(), { ...stepEnv(""), ROLLOUT_WAIT_SECONDS: "0" }, sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::pay in pay-dev: the Canary did not finish within 0 minutes (last phase: Progressing)");
    expect(helmCalls(sb)).toEqual([]);
  });

  it("a change Flagger never picks up (lastAppliedSpec unchanged) fails the job: the previous Succeeded does not count", async () => {
    const sb = sandbox();
    kubectl(sb, { lastAppliedSpec: ["old"], "{.status.phase}": ["Succeeded"], "{.spec.template}": ['{"spec":{"containers":[{"image":"pay:new"}]}}'] });
    const r = await runScript(stepRun(), { ...stepEnv(sha256('{"spec":{"containers":[{"image":"pay:old"}]}}')), FLAGGER_PICKUP_SECONDS: "0" }, sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::pay in pay-dev: Flagger saw no change within 0 minutes although the Deployment's pod template changed");
    expect(r.stdout).not.toContain("Canary phase:");
    expect(helmCalls(sb)).toEqual([]);
  });

  it("an upgrade that leaves the pod template as it was (the same image again) passes: nothing for Flagger to analyse", async () => {
    const sb = sandbox();
    const template = '{"spec":{"containers":[{"image":"pay:same"}]}}';
    kubectl(sb, { lastAppliedSpec: ["old"], "{.status.phase}": ["Failed"], "{.spec.template}": [template] });
    const r = await runScript(stepRun(), { ...stepEnv(sha256(template)), FLAGGER_PICKUP_SECONDS: "0" }, sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("::notice::pay in pay-dev: the Deployment's pod template did not change");
    expect(helmCalls(sb).map((c) => c[1])).toEqual(["test"]);
  });
});

/** A repository of two services (Node.js and Go samples) created in push mode. */
async function twoServices(flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-rollout-wait-svc-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, "test", "fixtures", "services", "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(REPO, "test", "fixtures", "services", "go"), join(dir, "services", "gateway"), { recursive: true });
  const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--repo-url", "https://github.com/acme/shop.git", "--mode", "push", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

describe("several services: each service's deploy (deploy-service.yml) waits for its rollout and runs helm test", () => {
  const inputs = { "inputs.service": "api", "inputs.tag": "sha-0123456789ab", "inputs.digest": "sha256:d" };

  it("Argo Rollouts: an aborted Rollout in staging rolls back that service's release there and fails its job", async () => {
    const dir = await twoServices(["--environments", "dev,staging,prod", "--strategy", "canary", "--progressive-delivery", "argo-rollouts"]);
    const s = stepOf(join(dir, ".github/workflows/deploy-service.yml"), "deploy-staging", /^Smoke check/);
    const sb = sandbox();
    kubectl(sb, {
      rollout: [rollout({ observedGeneration: "3", phase: "Progressing" }), rollout({ observedGeneration: "3", phase: "Degraded", abort: true })],
    });
    const r = await runScript(s.run, resolveEnv(s, inputs), sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::api in api-staging: the rollout was aborted (Degraded); the stable version keeps serving; rolling the release back");
    expect(helmCalls(sb)).toEqual([["helm", "rollback", "api", "0", "--namespace", "api-staging", "--timeout", "5m"]]);
    expect(sb.commands().some((c) => c[0] === "kubectl" && c.includes("rollout") && c.includes("api") && c.includes("api-staging"))).toBe(true);

    // Healthy: helm test runs for that service, and the summary names it.
    const ok = sandbox();
    kubectl(ok, { rollout: [rollout({ observedGeneration: "3", phase: "Healthy" })] });
    const done = await runScript(s.run, resolveEnv(s, inputs), ok);
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(helmCalls(ok)).toEqual([["helm", "test", "api", "--namespace", "api-staging", "--timeout", "5m"]]);
    expect(done.summary).toBe("api: staging → sha-0123456789ab (sha256:d)\n");
  });

  it("Flagger: a Failed Canary fails the service's job without a helm rollback; Succeeded passes on to helm test", async () => {
    const dir = await twoServices(["--environments", "dev,prod", "--strategy", "canary", "--progressive-delivery", "flagger"]);
    const s = stepOf(join(dir, ".github/workflows/deploy-service.yml"), "deploy-prod", /^Smoke check/);
    const values = { ...inputs, "steps.before.outputs.spec": "old", "steps.before.outputs.template": "" };
    const sb = sandbox();
    kubectl(sb, { lastAppliedSpec: ["new"], "{.status.phase}": ["Failed"] });
    const r = await runScript(s.run, resolveEnv(s, values), sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::api in api-prod: Flagger's analysis failed (Canary Failed)");
    expect(helmCalls(sb)).toEqual([]);
    const ok = sandbox();
    kubectl(ok, { lastAppliedSpec: ["old", "new"], "{.status.phase}": ["Progressing", "Succeeded"] });
    const done = await runScript(s.run, resolveEnv(s, values), ok);
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(helmCalls(ok).map((c) => c[1])).toEqual(["test"]);
  });

  it("rolling: kubectl rollout status of the service's Deployment, then helm test", async () => {
    const dir = await twoServices(["--environments", "dev"]);
    const s = stepOf(join(dir, ".github/workflows/deploy-service.yml"), "deploy-dev", /^Smoke check/);
    const sb = sandbox();
    const r = await runScript(s.run, resolveEnv(s, inputs), sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sb.commands()).toEqual([
      ["kubectl", "rollout", "status", "deployment/api", "--namespace", "api-dev", "--timeout", "5m"],
      ["helm", "test", "api", "--namespace", "api-dev", "--timeout", "5m"],
    ]);
  });
});

/**
 * The worst case of a push-mode deploy job, read from its own steps: every `--timeout Nm` (helm
 * upgrade's counted twice: --rollback-on-failure spends it again on its rollback), Flagger's grace
 * for picking up the change and the rollout wait's deadline (ROLLOUT_WAIT_SECONDS).
 */
function worstCaseMinutes(file: string, job: string): { timeout: number; worst: number } {
  const doc = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { "timeout-minutes": number; steps: { run?: string }[] }> };
  let worst = 0;
  for (const step of doc.jobs[job].steps) {
    const run = step.run ?? "";
    for (const m of run.matchAll(/--timeout[ =](\d+)m/g))
      worst += Number(m[1]) * (/--rollback-on-failure[^\n]*--timeout/.test(run) && /helm upgrade/.test(run) ? 2 : 1);
    for (const m of run.matchAll(/deadline=\$\(\(SECONDS \+ \$\{[A-Z_]+:-(\d+)\}\)\)/g)) worst += Number(m[1]) / 60;
  }
  return { timeout: doc.jobs[job]["timeout-minutes"], worst };
}

describe("a deploy job's timeout-minutes exceeds the worst case of its steps (GitHub never cancels it mid-rollback)", () => {
  for (const flags of [
    ["--strategy", "canary", "--progressive-delivery", "argo-rollouts"],
    ["--strategy", "canary", "--progressive-delivery", "flagger"],
    [],
  ]) {
    it(`one service ${flags.join(" ") || "rolling"}`, async () => {
      const dir = await oneService(flags);
      for (const env of ["dev", "prod"]) {
        const { timeout, worst } = worstCaseMinutes(join(dir, ".github/workflows/delivery.yml"), `deploy-${env}`);
        expect(worst).toBeGreaterThan(10);
        expect(timeout, `deploy-${env}: ${timeout} min for a worst case of ${worst} min`).toBeGreaterThan(worst + 5);
      }
    });
    it(`several services ${flags.join(" ") || "rolling"}`, async () => {
      const dir = await twoServices(["--environments", "dev,prod", ...flags]);
      for (const env of ["dev", "prod"]) {
        const { timeout, worst } = worstCaseMinutes(join(dir, ".github/workflows/deploy-service.yml"), `deploy-${env}`);
        expect(worst).toBeGreaterThan(10);
        expect(timeout, `deploy-${env}: ${timeout} min for a worst case of ${worst} min`).toBeGreaterThan(worst + 5);
      }
    });
  }
});
