/**
 * The lab's scenarios for one generated repository (one combination of answers), run against the
 * real control plane of cluster.ts:
 *
 *   setup        docs/pipeline.md's one-time setup commands, run as written (cloud CLIs and the two
 *                downloads stand in, shims.ts); Argo CD objects in the documented order
 *   deploy       push: the workflow's own `helm upgrade --install --rollback-on-failure --wait` script, as the
 *                deploy identity the setup created, per environment; pods admitted under
 *                "restricted" and Ready
 *   sync         GitOps: each Application's chart rendered with its value files and applied as Argo
 *                CD's controller does; the AppProject permits what is rendered and no more
 *   first-sync   before any promotion nothing runs an image that was never built
 *   pull-secret  the registry pull secret exists before the first pod, and the pods use it
 *   route        an HTTPRoute: stored by the API server under the Gateway API CRDs, attached to
 *                the answered Gateway, for the environment's host, to a port of the release's
 *                Service (no Gateway controller runs: traffic through it is not proven)
 *   progressive  Argo Rollouts: canary to 100% on a passing analysis, abort on a failing one;
 *                blue-green preview + promote; the HPA reads the Rollout's scale
 *   flagger      the Canary (and MetricTemplate) accepted and the identity may manage them; the
 *                Flagger controller promotes a release, measuring a passing success rate on
 *                Prometheus where the chart has that check, and rolls back a failing one
 *
 * A repository of several services has its own scenarios (services.ts).
 */

import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parseDocument, parse as parseYaml } from "yaml";
import { K8S_VERSION, REPO, sleep, type Lab } from "./cluster.js";
import { PodScrape } from "./scrape.js";
import { PROVIDER_ROLES, providerRolesYaml, writeShims } from "./shims.js";

export type Answers = Record<string, unknown>;

export interface Check {
  scenario: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface ComboResult {
  id: string;
  answers: Answers;
  dir: string;
  checks: Check[];
  ms: number;
}

/** Thrown by a check: the scenario failed with this message. */
export class Fail extends Error {}
export const need = (cond: unknown, msg: string): void => {
  if (!cond) throw new Fail(msg);
};

export const BUILT = { tag: "sha-0123456789ab", digest: `sha256:${"ab".repeat(32)}` };
export const BUILT2 = { tag: "sha-fedcba987654", digest: `sha256:${"cd".repeat(32)}` };
export const BUILT3 = { tag: "sha-00aa11bb22cc", digest: `sha256:${"ef".repeat(32)}` };

/** Lab timings: the same knobs a user has, shortened so a rollout takes seconds. */
function labValues(lab: Lab, a: Answers): string[] {
  const out: string[] = [];
  if (a.progressiveDelivery === "argo-rollouts" && a.strategy === "canary") out.push("rollout.canary.pauseDuration=2s");
  if (a.progressiveDelivery === "argo-rollouts" && a.strategy === "blue-green") out.push("rollout.blueGreen.scaleDownDelaySeconds=5");
  if (a.progressiveDelivery === "argo-rollouts" && a.strategy === "canary" && a.canaryAnalysis === true)
    // (the lab's Prometheus scrapes every second: two scrapes fill a rate() well within 4 s)
    out.push(`analysis.prometheusAddress=${lab.prometheusUrl}`, "analysis.interval=2s", "analysis.initialDelay=4s");
  if (a.progressiveDelivery === "flagger" && a.strategy !== "rolling") out.push("flagger.interval=2s");
  // Flagger checks every 10 s at the least: three blue-green iterations instead of ten.
  if (a.progressiveDelivery === "flagger" && a.strategy === "blue-green") out.push("flagger.iterations=3");
  if (flaggerMetricsIn(a)) out.push(`flagger.metrics.prometheusAddress=${lab.prometheusUrl}`);
  out.push("minReadySeconds=0");
  return out;
}

/** The chart has Flagger's success-rate check (flagger.metrics): blue-green, or a canary with analysis. */
export const flaggerMetricsIn = (a: Answers) =>
  a.progressiveDelivery === "flagger" && (a.strategy === "blue-green" || (a.strategy === "canary" && a.canaryAnalysis === true));

/**
 * Runs a scenario and records it in `checks`: passed with the detail it returns, or failed with
 * the message it threw, with its wall-clock time. Resolves to whether it passed.
 */
export function recorder(checks: Check[]): (scenario: string, fn: () => Promise<string> | string) => Promise<boolean> {
  return async (scenario, fn) => {
    const s = performance.now();
    try {
      const detail = await fn();
      checks.push({ scenario, ok: true, detail, ms: Math.round(performance.now() - s) });
      return true;
    } catch (e) {
      checks.push({ scenario, ok: false, detail: e instanceof Error ? e.message : String(e), ms: Math.round(performance.now() - s) });
      return false;
    }
  };
}

// -------------------------------------------------------------------------------------------------
// docs/pipeline.md

interface Block {
  section: string;
  code: string;
}

/** The bash blocks of "## One-time setup", with their "### N. Title". */
export function setupBlocks(doc: string): Block[] {
  const start = doc.indexOf("\n## One-time setup");
  const end = doc.indexOf("\n## ", start + 5);
  const part = doc.slice(start, end < 0 ? undefined : end);
  const out: Block[] = [];
  let section = "";
  const re = /^### (.*)$|^```bash\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(part); m; m = re.exec(part)) {
    if (m[1] !== undefined) section = m[1];
    else out.push({ section, code: m[2]! });
  }
  return out;
}

// -------------------------------------------------------------------------------------------------

interface Identity {
  /** helm/kubectl extra arguments that act as the identity. */
  args: (env: string) => string[];
  kubectlArgs: (env: string) => string[];
  describe: string;
}

export async function runCombination(lab: Lab, id: string, answers: Answers, dir: string): Promise<ComboResult> {
  const t0 = performance.now();
  const checks: Check[] = [];
  const gitops = answers.mode === "gitops";
  const ctx = ctxFor(lab, answers, dir);
  const { controller } = ctx;

  const check = recorder(checks);

  const setupOk = await check("setup", () => setup(ctx));
  if (setupOk) {
    if (gitops) {
      await check("sync + first-sync", () => gitopsSync(ctx));
    } else {
      await check("deploy", () => pushDeploy(ctx));
    }
    await check("pull-secret", () => pullSecret(ctx));
    if (answers.httpRoute === true) await check("route", () => routes(ctx));
    if (answers.networkPolicy === true) await check("network-policy", () => networkPolicies(ctx));
    if (controller === "argo-rollouts") await check("progressive", () => progressive(ctx));
    if (controller === "flagger") await check("flagger", () => flagger(ctx));
  }
  return { id, answers, dir, checks, ms: Math.round(performance.now() - t0) };
}

/** A generated repository's context in the lab. */
export function ctxFor(lab: Lab, answers: Answers, dir: string): Ctx {
  const name = String(answers.name);
  const controller = answers.strategy === "rolling" ? undefined : (answers.progressiveDelivery as string);
  return {
    lab,
    answers,
    dir,
    name,
    envs: answers.environments as string[],
    ns: (env) => `${name}-${env}`,
    controller,
    chart: join(dir, "charts", name),
    identity: undefined,
  };
}

export interface Ctx {
  lab: Lab;
  answers: Answers;
  dir: string;
  name: string;
  envs: string[];
  ns: (env: string) => string;
  controller: string | undefined;
  chart: string;
  identity: Identity | undefined;
}

// -------------------------------------------------------------------------------------------------
// 1. setup

export async function setup(c: Ctx): Promise<string> {
  const { lab, dir, answers } = c;
  const doc = readFileSync(join(dir, "docs", "pipeline.md"), "utf8");
  // GitHub-only configuration (environments, the GitHub App) is not the cluster's business.
  const blocks = setupBlocks(doc).filter((b) => !/GitHub: environments|A GitHub App/.test(b.section));
  need(
    blocks.some((b) => /The cluster/.test(b.section)),
    "docs/pipeline.md has no bash block in 'The cluster'",
  );
  const shims = writeShims(dir);
  lab.apply(providerRolesYaml());
  // One shell, block after block, as a person pastes them (a variable set in one block is seen by
  // the next); the variables the docs ask for are set beforehand.
  const ran = blocks.map((b) => b.section.replace(/^\d+\.\s*/, ""));
  const script = blocks.map((b) => `echo ${JSON.stringify(`@@ ${b.section}`)} >&2\n${b.code}`).join("\n");
  const r = lab.run("bash", ["-e", "-o", "pipefail", "-c", script], {
    cwd: dir,
    env: {
      PATH: `${shims}:${lab.env().PATH}`,
      LAB_HELM_EXTRA: "",
      REGISTRY_PASSWORD: "lab-registry-token",
      MESH_PROVIDER: "kubernetes",
      PROMETHEUS_URL: lab.prometheusUrl,
    },
    timeoutMs: 300_000,
  });
  if (r.code !== 0) {
    const section = [...r.stderr.matchAll(/^@@ (.*)$/gm)].pop()?.[1] ?? "?";
    throw new Fail(`the "${section}" commands of docs/pipeline.md failed (exit ${r.code}):\n${r.stderr.slice(-1500)}`);
  }
  // Cloud grants -> the Kubernetes rights the provider documents for them.
  const grants = readFileSync(join(dir, "grants.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { cli: string; args: string[] });
  const opt = (args: string[], flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const rb: object[] = [];
  // One deploy identity per environment: the EKS access entry of role github-<name>-<env>.
  const eksUsers = new Map<string, { user: string; groups: string[] }>();
  for (const g of grants) {
    if (g.cli === "aws" && g.args[0] === "eks" && g.args[1] === "create-access-entry") {
      const principal = opt(g.args, "--principal-arn")!;
      const role = principal.split("/").pop();
      const groups = (opt(g.args, "--kubernetes-groups") ?? "").split(",").filter(Boolean);
      // An IAM role's access entry authenticates as its assumed-role session.
      const env = c.envs.find((e) => role === `github-${c.name}-${e}`);
      need(env, `the EKS access entry of ${principal} is not the role of one environment (github-${c.name}-<env>)`);
      eksUsers.set(env!, {
        user: `arn:aws:sts::${answers.awsAccountId}:assumed-role/${role}/github-actions`,
        groups: [...groups, `lab:eks-entry:${principal}`],
      });
    }
    if (g.cli === "aws" && g.args[0] === "eks" && g.args[1] === "associate-access-policy") {
      const principal = opt(g.args, "--principal-arn")!;
      const policy = opt(g.args, "--policy-arn")!.split("/").pop()!;
      const role = PROVIDER_ROLES[policy];
      need(role, `the lab has no mapping of the EKS access policy ${policy}`);
      const scope = opt(g.args, "--access-scope") ?? "";
      const nss = /namespaces=([^ ]+)/.exec(scope)?.[1]?.split(",") ?? [];
      for (const n of nss)
        rb.push({
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: `eks-${policy}`.toLowerCase(), namespace: n },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role!.name },
          subjects: [{ kind: "Group", name: `lab:eks-entry:${principal}`, apiGroup: "rbac.authorization.k8s.io" }],
        });
    }
    if (g.cli === "az" && g.args[0] === "role" && g.args[1] === "assignment") {
      const roleName = opt(g.args, "--role")!;
      const scope = opt(g.args, "--scope") ?? "";
      const n = /\/namespaces\/([^/]+)$/.exec(scope)?.[1];
      const role = PROVIDER_ROLES[roleName];
      if (n && role)
        rb.push({
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: "aks-rbac-writer", namespace: n },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.name },
          subjects: [{ kind: "User", name: AKS_SP_OBJECT_ID, apiGroup: "rbac.authorization.k8s.io" }],
        });
      else if (n) throw new Fail(`the lab has no mapping of the AKS role "${roleName}"`);
    }
  }
  if (rb.length) lab.apply(rb.map((o) => JSON.stringify(o)).join("\n---\n"));
  // The deploy identity.
  if (answers.mode === "push") {
    const cluster = answers.cluster;
    if (cluster === "kubeconfig") {
      // The docs store each kubeconfig as the environment's KUBECONFIG secret (the gh shim keeps
      // what it was given) and delete the file.
      const stored = (env: string) => join(dir, "shims", "secrets", `KUBECONFIG.${env}`);
      for (const env of c.envs) need(existsSync(stored(env)), `the setup stored no KUBECONFIG secret for ${env}`);
      c.identity = {
        args: (env) => ["--kubeconfig", stored(env)],
        kubectlArgs: (env) => ["--kubeconfig", stored(env)],
        describe: "each environment's github-deployer service account (its KUBECONFIG secret)",
      };
    } else {
      // One identity per environment.
      const who = (env: string): { user: string; groups: string[] } => {
        if (cluster === "eks") {
          const u = eksUsers.get(env);
          need(u, `the EKS setup created no access entry for the ${env} deploy role`);
          return u!;
        }
        if (cluster === "gke") {
          const suffix = `-${env}`;
          return {
            user: `github-${c.name.slice(0, 30 - 7 - suffix.length).replace(/-+$/, "")}${suffix}@${answers.gcpProject}.iam.gserviceaccount.com`,
            groups: [],
          };
        }
        return { user: AKS_SP_OBJECT_ID, groups: [] };
      };
      c.identity = {
        args: (env) => {
          const { user, groups } = who(env);
          return [`--kube-as-user=${user}`, ...groups.map((g) => `--kube-as-group=${g}`), ...(groups.length ? ["--kube-as-group=system:authenticated"] : [])];
        },
        kubectlArgs: (env) => {
          const { user, groups } = who(env);
          return [`--as=${user}`, ...groups.map((g) => `--as-group=${g}`), ...(groups.length ? ["--as-group=system:authenticated"] : [])];
        },
        describe: `the ${cluster} identity of each environment`,
      };
    }
  }
  // Argo CD objects: accepted by the real CRDs, the AppProject created before any Application.
  if (answers.mode === "gitops") {
    const ev = lab
      .auditEvents()
      .filter((e) => e.namespace === "argocd" && (e.resource === "applications" || e.resource === "appprojects") && e.verb !== "get" && e.code < 300);
    const firstApp = ev.findIndex((e) => e.resource === "applications" && e.name?.startsWith(`${c.name}-`));
    const project = ev.findIndex((e) => e.resource === "appprojects" && e.name === c.name);
    need(project >= 0, `the AppProject ${c.name} was not created by the documented commands`);
    need(firstApp >= 0, "no Application was created by the documented commands");
    need(
      project < firstApp,
      `the documented commands create Application ${ev[firstApp]!.name} before its AppProject ${c.name} (Argo CD reports it invalid until the project exists)`,
    );
  }
  return `ran ${ran.join("; ")}${c.identity ? `; deploys as ${c.identity.describe}` : ""}`;
}

export const AKS_SP_OBJECT_ID = "00000000-0000-4000-8000-0000000000b2";

// -------------------------------------------------------------------------------------------------
// 2. push

/** The workflow's helm step for an environment, as a script (it reads RELEASE, CHART, NAMESPACE, IMAGE_TAG, IMAGE_DIGEST). */
function helmScript(c: Ctx, env: string): string {
  const wf = parseYaml(readFileSync(join(c.dir, ".github", "workflows", "delivery.yml"), "utf8")) as {
    jobs: Record<string, { steps?: { name?: string; run?: string }[] }>;
  };
  const job = wf.jobs[`deploy-${env}`];
  need(job, `delivery.yml has no deploy-${env} job`);
  const step = job!.steps?.find((s) => s.run?.includes("helm upgrade --install"));
  need(step, `deploy-${env} has no helm upgrade --install step`);
  need(/--rollback-on-failure/.test(step!.run!) && /--wait/.test(step!.run!), `deploy-${env}'s helm step does not use --rollback-on-failure --wait`);
  // Run as written: the lab's helm is the version the workflow pins (install-tools.sh).
  return step!.run!;
}

function deployPush(c: Ctx, env: string, image: { tag: string; digest: string }, extra: string[] = []) {
  const { lab } = c;
  const script = helmScript(c, env).replace(/--timeout \S+/, "--timeout 3m");
  const sets = [...labValues(lab, c.answers), ...extra].flatMap((s) => ["--set", s]);
  const r = lab.run("bash", ["-e", "-o", "pipefail", "-c", script], {
    cwd: c.dir,
    env: {
      PATH: `${join(c.dir, "shims")}:${lab.env().PATH}`,
      RELEASE: c.name,
      CHART: `charts/${c.name}`,
      NAMESPACE: c.ns(env),
      IMAGE_TAG: image.tag,
      IMAGE_DIGEST: image.digest,
      LAB_HELM_EXTRA: [...c.identity!.args(env), ...sets].join(" "),
      KUBECONFIG: lab.adminKubeconfig,
    },
    timeoutMs: 240_000,
  });
  need(r.code === 0, `helm upgrade --install into ${c.ns(env)} as ${c.identity!.describe} failed:\n${(r.stderr || r.stdout).slice(-2000)}`);
}

async function pushDeploy(c: Ctx): Promise<string> {
  const out: string[] = [];
  for (const env of c.envs) {
    const s = performance.now();
    deployPush(c, env, BUILT);
    await waitReady(c, env, BUILT);
    out.push(`${env} ${Math.round((performance.now() - s) / 1000)}s`);
  }
  return `helm upgrade --install --rollback-on-failure --wait as the deploy identity, pods Ready${c.controller === "flagger" ? "" : " under restricted"}: ${out.join(", ")}`;
}

// -------------------------------------------------------------------------------------------------
// Ready, admitted, right image

export function imagesBuilt(c: Ctx): Set<string> {
  const repo = (parseYaml(readFileSync(join(c.chart, "values.yaml"), "utf8")) as { image: { repository: string } }).image.repository;
  const s = new Set<string>();
  for (const b of [BUILT, BUILT2, BUILT3]) {
    s.add(`${repo}:${b.tag}`);
    s.add(`${repo}@${b.digest}`);
  }
  return s;
}

export interface Pod {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: {
    containers: { image: string; ports?: { name?: string; containerPort: number }[]; env?: { name: string; value?: string }[] }[];
    imagePullSecrets?: { name: string }[];
    terminationGracePeriodSeconds?: number;
  };
  status: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

export function podsOf(c: Ctx, env: string): Pod[] {
  return (c.lab.getJson<{ items: Pod[] }>(["get", "pods", "-n", c.ns(env), "-l", `app.kubernetes.io/instance=${c.name}`])?.items ?? []).filter(
    (p) => !p.metadata.deletionTimestamp && !p.metadata.annotations?.["helm.sh/hook"],
  );
}

const ready = (p: Pod) => p.status.conditions?.some((x) => x.type === "Ready" && x.status === "True") === true;

/** waitFor with a check that awaits. */
export async function waitForAsync<T>(what: string, ms: number, fn: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Fail(`timed out after ${ms / 1000}s waiting for ${what}`);
    await sleep(500);
  }
}

export async function waitFor<T>(what: string, ms: number, fn: () => T | undefined | false): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Fail(`timed out after ${ms / 1000}s waiting for ${what}`);
    await sleep(500);
  }
}

function workload(c: Ctx, env: string): { kind: string; obj: any } | undefined {
  for (const kind of ["rollout", "deployment"]) {
    const obj = c.lab.getJson(["get", kind, c.name, "-n", c.ns(env)]);
    if (obj) return { kind, obj };
  }
  return undefined;
}

export async function waitReady(c: Ctx, env: string, image: { digest: string }) {
  const n = c.ns(env);
  const nsObj = c.lab.getJson<{ metadata: { labels?: Record<string, string> } }>(["get", "namespace", n]);
  const labels = nsObj?.metadata.labels ?? {};
  if (c.controller !== "flagger")
    need(
      labels["pod-security.kubernetes.io/enforce"] === "restricted",
      `namespace ${n} does not enforce the restricted Pod Security profile (labels: ${JSON.stringify(labels)})`,
    );
  await waitFor(`Ready pods of ${c.name} running ${image.digest.slice(0, 15)}… in ${n}`, 120_000, () => {
    const w = workload(c, env);
    if (!w) return false;
    const want = w.obj.spec.replicas ?? 1;
    const pods = podsOf(c, env).filter((p) => p.spec.containers[0]!.image.endsWith(image.digest));
    if (w.kind === "rollout" && w.obj.status?.phase !== "Healthy" && w.obj.status?.phase !== "Paused") return false;
    return pods.length >= Math.min(want, 1) && pods.filter(ready).length >= want && want > 0;
  });
  // Nothing refused by Pod Security admission.
  const refused = c.lab.auditEvents().filter((e) => e.namespace === n && e.resource === "pods" && e.verb === "create" && e.code === 403);
  need(refused.length === 0, `${refused.length} pod(s) refused in ${n} (Pod Security admission)`);
  const events = c.lab.getJson<{ items: { reason: string; message: string }[] }>(["get", "events", "-n", n])?.items ?? [];
  const psa = events.filter((e) => e.reason === "FailedCreate" && /PodSecurity|forbidden/.test(e.message));
  need(psa.length === 0, `pods refused in ${n}: ${psa[0]?.message}`);
  // Every pod runs an image the pipeline built, and no ReplicaSet (the stable one a Rollout keeps
  // included, whatever its scale) could start another.
  const built = imagesBuilt(c);
  const bad = podsOf(c, env).filter((p) => p.spec.containers.some((k) => !built.has(k.image)));
  need(bad.length === 0, `pod ${bad[0]?.metadata.name} in ${n} runs ${bad[0]?.spec.containers[0]?.image}, an image the pipeline never built`);
  const badRs = unbuiltReplicaSets(c, env);
  need(badRs.length === 0, `ReplicaSet ${badRs[0]} in ${n}: an image the pipeline never built`);
}

/** "<name> (<replicas> replicas) runs <image>" for each ReplicaSet of the release whose pod template has an image that was never built. */
export function unbuiltReplicaSets(c: Ctx, env: string): string[] {
  const built = imagesBuilt(c);
  const rss =
    c.lab.getJson<{ items: { metadata: { name: string }; spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } } }[] }>([
      "get",
      "replicasets",
      "-n",
      c.ns(env),
    ])?.items ?? [];
  return rss
    .filter((r) => r.spec.template.spec.containers.some((k) => !built.has(k.image)))
    .map((r) => `${r.metadata.name} (${r.spec.replicas ?? 0} replicas) runs ${r.spec.template.spec.containers.map((k) => k.image).join(", ")}`);
}

// -------------------------------------------------------------------------------------------------
// 3. GitOps

export interface Application {
  metadata: { name: string };
  spec: {
    project: string;
    source: { repoURL: string; path: string; helm?: { releaseName?: string; valueFiles?: string[] } };
    destination: { server?: string; namespace: string };
    syncPolicy?: { syncOptions?: string[]; managedNamespaceMetadata?: { labels?: Record<string, string> } };
  };
}

interface GK {
  group: string;
  kind: string;
}

export function renderApp(c: Ctx, app: Application, extra: string[] = []): any[] {
  const { lab } = c;
  const src = app.spec.source;
  const path = join(c.dir, src.path);
  const versions = lab.kubectl(["api-versions"]).stdout.split("\n").filter(Boolean);
  const args = [
    "template",
    src.helm?.releaseName ?? app.metadata.name,
    path,
    "--namespace",
    app.spec.destination.namespace,
    "--kube-version",
    K8S_VERSION,
    ...versions.flatMap((v) => ["--api-versions", v]),
  ];
  for (const vf of src.helm?.valueFiles ?? []) args.push("--values", join(path, vf));
  for (const s of [...labValues(lab, c.answers), ...extra]) args.push("--set", s);
  const r = lab.helm(args);
  need(r.code === 0, `helm template for Application ${app.metadata.name} failed:\n${r.stderr.slice(-1500)}`);
  return (
    parseAllDocuments(r.stdout)
      .map((d) => d.toJS())
      .filter((o) => o?.kind)
      // Argo CD does not run Helm test hooks.
      .filter((o) => !/test/.test(o.metadata?.annotations?.["helm.sh/hook"] ?? ""))
  );
}

export const gkOf = (o: { apiVersion: string; kind: string }): GK => ({ group: o.apiVersion.includes("/") ? o.apiVersion.split("/")[0]! : "", kind: o.kind });
export const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PriorityClass",
  "StorageClass",
  "IngressClass",
]);

export function projectPermits(project: any, gk: GK, clusterScoped: boolean): boolean {
  const m = (l: { group: string; kind: string }[] | undefined) =>
    (l ?? []).some((x) => (x.group === "*" || x.group === gk.group) && (x.kind === "*" || x.kind === gk.kind));
  const s = project.spec;
  if (clusterScoped) return m(s.clusterResourceWhitelist) && !m(s.clusterResourceBlacklist);
  if (s.namespaceResourceWhitelist) return m(s.namespaceResourceWhitelist) && !m(s.namespaceResourceBlacklist);
  return !m(s.namespaceResourceBlacklist);
}

export async function gitopsSync(c: Ctx): Promise<string> {
  const { lab } = c;
  const project = lab.getJson(["get", "appproject", c.name, "-n", "argocd"]);
  need(project, `AppProject ${c.name} is not in the cluster after the setup`);
  const notes: string[] = [];
  // Everything the chart may render once promoted, with its own switches (autoscaling, PDB,
  // ingress, HTTPRoute, NetworkPolicy, Flagger's success-rate check, the canary's analysis): the
  // most the project should allow.
  const possible = new Map<string, GK>();
  for (const env of c.envs) {
    const app = lab.getJson<Application>(["get", "application", `${c.name}-${env}`, "-n", "argocd"]);
    need(app, `Application ${c.name}-${env} is not in the cluster after the setup`);
    need(app!.spec.project === c.name, `Application ${c.name}-${env} is in project ${app!.spec.project}`);
    need((project.spec.sourceRepos as string[]).includes(app!.spec.source.repoURL), `the AppProject does not allow the repository ${app!.spec.source.repoURL}`);
    need(
      (project.spec.destinations as { namespace: string }[]).some((d) => d.namespace === app!.spec.destination.namespace),
      `the AppProject does not allow namespace ${app!.spec.destination.namespace}`,
    );
    for (const o of renderApp(c, app!, [
      `image.tag=${BUILT.tag}`,
      `image.digest=${BUILT.digest}`,
      "autoscaling.enabled=true",
      "podDisruptionBudget.enabled=true",
      "ingress.enabled=true",
      // A host, as a person who turns the ingress on must give one.
      "ingress.hosts[0].host=lab.example.test",
      "ingress.hosts[0].paths[0].path=/",
      "ingress.hosts[0].paths[0].pathType=Prefix",
      "httpRoute.enabled=true",
      // The chart always carries its NetworkPolicy, off unless the answer turned it on.
      "networkPolicy.enabled=true",
      ...(flaggerMetricsIn(c.answers) ? ["flagger.metrics.enabled=true"] : []),
      // The canary's analysis, off in dev's values (no steady traffic there) and on where promoted.
      ...(c.answers.progressiveDelivery === "argo-rollouts" && c.answers.strategy === "canary" && c.answers.canaryAnalysis === true
        ? ["analysis.enabled=true"]
        : []),
    ]))
      possible.set(`${gkOf(o).group}/${o.kind}`, gkOf(o));
  }
  for (const env of c.envs) {
    const app = lab.getJson<Application>(["get", "application", `${c.name}-${env}`, "-n", "argocd"])!;
    notes.push(...(await syncApplication(c, project, app, env, { watchMs: 6000 })).map((x) => `${env}: ${x}`));
  }
  // The project permits nothing the chart can never render (beyond the Namespace it creates).
  const permittedNs = (project.spec.namespaceResourceWhitelist ?? []) as GK[];
  if (permittedNs.length === 0 || permittedNs.some((x) => x.kind === "*"))
    need(
      false,
      `AppProject ${c.name} permits every namespaced kind (a blacklist, or "*"), not what the Applications render: ${[...possible.keys()].join(", ")}`,
    );
  const extra = permittedNs.filter((x) => !possible.has(`${x.group}/${x.kind}`));
  need(extra.length === 0, `AppProject ${c.name} permits ${extra.map((x) => `${x.group || "core"}/${x.kind}`).join(", ")}, which the chart never renders`);
  const clusterWide = ((project.spec.clusterResourceWhitelist ?? []) as GK[]).filter((x) => !(x.group === "" && x.kind === "Namespace"));
  need(clusterWide.length === 0, `AppProject ${c.name} permits cluster-wide ${clusterWide.map((x) => x.kind).join(", ")}`);
  return notes.join("; ");
}

/**
 * One Application synced as Argo CD's controller does, then its first promotion: every kind the
 * chart renders is permitted by the project; the namespace is created as the Application's
 * CreateNamespace does (with its managed labels) or relabelled; the first sync (the values as
 * committed) applies nothing that names an unbuilt image; then the promotion commit is synced and
 * the workload becomes Ready on the built image (waitReady: admitted under the restricted profile,
 * no ReplicaSet of an unbuilt image). With `watchMs`, the pods of the first sync are checked after
 * two seconds and the first promotion is watched that long for a ReplicaSet of an unbuilt image.
 */
export async function syncApplication(c: Ctx, project: any, app: Application, env: string, opts: { watchMs?: number } = {}): Promise<string[]> {
  const { lab } = c;
  const n = app.spec.destination.namespace;
  const syncOptions = app.spec.syncPolicy?.syncOptions ?? [];
  const notes: string[] = [];
  // First sync: the values as committed (no promotion yet).
  const objs = renderApp(c, app);
  for (const o of objs) {
    const gk = gkOf(o);
    need(
      projectPermits(project, gk, CLUSTER_SCOPED.has(o.kind)),
      `AppProject ${project.metadata.name} does not permit ${gk.group || "core"}/${gk.kind}, which Application ${app.metadata.name} renders`,
    );
  }
  if (lab.kubectl(["get", "namespace", n]).code !== 0) {
    need(syncOptions.includes("CreateNamespace=true"), `namespace ${n} does not exist and Application ${app.metadata.name} does not create it`);
    need(projectPermits(project, { group: "", kind: "Namespace" }, true), `AppProject ${project.metadata.name} does not permit creating the Namespace ${n}`);
    lab.apply(
      JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: n, labels: app.spec.syncPolicy?.managedNamespaceMetadata?.labels ?? {} } }),
    );
  } else if (app.spec.syncPolicy?.managedNamespaceMetadata?.labels) {
    const labels = Object.entries(app.spec.syncPolicy.managedNamespaceMetadata.labels).map(([k, v]) => `${k}=${v}`);
    lab.kubectl(["label", "namespace", n, "--overwrite", ...labels]);
  }
  applyObjs(c, n, objs);
  const built = imagesBuilt(c);
  // Nothing the first sync applies names an image that was never built (a workload at zero
  // replicas would still become the stable version a Rollout scales up at the first promotion).
  const named = objs.flatMap((o) =>
    ((o.spec?.template?.spec?.containers ?? []) as { image: string }[])
      .filter((k) => !built.has(k.image))
      .map((k) => `${o.kind} ${o.metadata?.name}: ${k.image}`),
  );
  need(named.length === 0, `the first sync of ${app.metadata.name}, before any promotion, applies ${named[0]}, an image the pipeline never built`);
  if (opts.watchMs) {
    await sleep(2000);
    const pods = podsOf(c, env);
    const wrong = pods.filter((p) => p.spec.containers.some((k) => !built.has(k.image)));
    need(
      wrong.length === 0,
      `the first sync of ${app.metadata.name}, before any promotion, runs ${wrong[0]?.spec.containers[0]?.image}: an image the pipeline never built (ImagePullBackOff)`,
    );
    notes.push(`first sync runs ${pods.length} pod(s), names no unbuilt image`);
  } else notes.push("first sync names no unbuilt image");
  // Promotion: the delivery workflow commits tag + digest into values-<env>.yaml; the controllers
  // (Argo Rollouts included) act on it.
  promote(c, env, BUILT);
  const s = performance.now();
  applyObjs(c, n, renderApp(c, app));
  // Watch the first promotion as it happens: no ReplicaSet or pod may run an unbuilt image at any moment.
  const watchEnd = Date.now() + (opts.watchMs ?? 0);
  while (Date.now() < watchEnd) {
    const rs = unbuiltReplicaSets(c, env);
    need(rs.length === 0, `the first promotion in ${n} creates or scales ReplicaSet ${rs[0]}: an image the pipeline never built`);
    await sleep(500);
  }
  await waitReady(c, env, BUILT);
  notes.push(`first promotion runs only the built image, ${podsOf(c, env).length} pod(s) Ready in ${Math.round((performance.now() - s) / 1000)}s`);
  return notes;
}

export function applyObjs(c: Ctx, n: string, objs: any[]) {
  const r = c.lab.kubectl(["apply", "-n", n, "-f", "-"], { input: objs.map((o) => JSON.stringify(o)).join("\n---\n") });
  need(r.code === 0, `applying the rendered chart into ${n} failed:\n${r.stderr.slice(-1500)}`);
}

/** What the delivery workflow's promotion does: image.tag and image.digest in values-<env>.yaml. */
export function promote(c: Ctx, env: string, image: { tag: string; digest: string }) {
  const f = join(c.chart, `values-${env}.yaml`);
  const doc = parseDocument(readFileSync(f, "utf8"));
  doc.setIn(["image", "tag"], image.tag);
  doc.setIn(["image", "digest"], image.digest);
  writeFileSync(f, doc.toString());
}

// -------------------------------------------------------------------------------------------------
// HTTPRoute: accepted by the API server with the Gateway API's CRDs. No Gateway controller runs in
// the lab (no data plane), so the route is never Accepted by a Gateway and no request goes through it.

async function routes(c: Ctx): Promise<string> {
  const { lab, answers } = c;
  const out: string[] = [];
  for (const env of c.envs) {
    const n = c.ns(env);
    const route = lab.getJson(["get", "httproute", c.name, "-n", n]);
    need(route, `no HTTPRoute ${c.name} in ${n}: the chart's route never reached the API server`);
    const parents = (route.spec.parentRefs ?? []) as { name: string; namespace?: string }[];
    need(
      parents.some((p) => p.name === answers.gatewayName && p.namespace === answers.gatewayNamespace),
      `HTTPRoute ${c.name} in ${n} attaches to ${JSON.stringify(parents)}, not the Gateway ${answers.gatewayNamespace}/${answers.gatewayName}`,
    );
    const host = env === "prod" ? String(answers.ingressHost) : `${env}.${answers.ingressHost}`;
    need(
      JSON.stringify(route.spec.hostnames ?? []) === JSON.stringify([host]),
      `HTTPRoute ${c.name} in ${n} matches the hosts ${JSON.stringify(route.spec.hostnames)}, not ${host}`,
    );
    // Each backend is a Service of the release on one of its ports (Flagger creates the Service
    // <name> from the Canary, with the Canary's port).
    for (const b of route.spec.rules.flatMap((r: any) => r.backendRefs ?? []) as { name: string; port: number; kind?: string }[]) {
      need((b.kind ?? "Service") === "Service", `HTTPRoute ${c.name} in ${n} sends traffic to a ${b.kind}`);
      if (c.controller === "flagger") {
        const canary = lab.getJson(["get", "canary", c.name, "-n", n]);
        need(
          canary && canary.spec.targetRef.name === b.name && canary.spec.service.port === b.port,
          `HTTPRoute ${c.name} in ${n} sends traffic to ${b.name}:${b.port}, not the Service Flagger creates for the Canary (${canary?.spec.targetRef.name}:${canary?.spec.service.port})`,
        );
      } else {
        const svc = lab.getJson(["get", "service", b.name, "-n", n]);
        need(svc, `HTTPRoute ${c.name} in ${n} sends traffic to the Service ${b.name}, which does not exist`);
        need(
          (svc.spec.ports as { port: number }[]).some((p) => p.port === b.port),
          `HTTPRoute ${c.name} in ${n} sends traffic to port ${b.port} of the Service ${b.name}, which has ${JSON.stringify(svc.spec.ports.map((p: { port: number }) => p.port))}`,
        );
      }
    }
    out.push(`${env}: accepted, ${host} → ${parents.map((p) => `${p.namespace}/${p.name}`).join(",")}`);
  }
  // The CRD's validation is live: an Ingress-style path type is refused (server-side dry run).
  const n = c.ns(c.envs[0]!);
  const bad = lab.kubectl([
    "patch",
    "httproute",
    c.name,
    "-n",
    n,
    "--dry-run=server",
    "--type=json",
    "-p",
    '[{"op":"replace","path":"/spec/rules/0/matches/0/path/type","value":"Prefix"}]',
  ]);
  need(
    bad.code !== 0,
    "the API server accepted an HTTPRoute with path type Prefix: the Gateway API CRDs' validation is not in force, so acceptance proves nothing",
  );
  return `${out.join("; ")}; the CRD refuses an invalid route (no Gateway controller: traffic not proven)`;
}

// -------------------------------------------------------------------------------------------------
// NetworkPolicy: what the stored policy admits, read with the API server's own label selection. No
// network plugin runs in the lab (kwok pods have no network), so nothing enforces it: that the
// ingress controller and Prometheus get through and other namespaces do not is what the policy
// says, not what a packet did.

interface PolicyPeer {
  namespaceSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  ipBlock?: { cidr: string };
}

/** A label selector as kubectl's -l, from matchLabels (the chart's selectors have no expressions). */
function selectorArg(sel: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }): string {
  need(!sel.matchExpressions?.length, `a selector with matchExpressions (${JSON.stringify(sel)}): the lab reads matchLabels only`);
  return Object.entries(sel.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** Whether the policy's ingress rules admit TCP `port` of the selected pods from pods in namespace `from`, the API server selecting the namespaces. */
function admits(c: Ctx, policy: any, from: string, port: number): boolean {
  return ((policy.spec.ingress ?? []) as { from?: PolicyPeer[]; ports?: { port?: number | string; protocol?: string }[] }[]).some((rule) => {
    const portOk = !rule.ports?.length || rule.ports.some((p) => (p.protocol ?? "TCP") === "TCP" && (p.port === undefined || p.port === port));
    if (!portOk) return false;
    if (!rule.from?.length) return true;
    return rule.from.some((peer) => {
      if (peer.ipBlock) return false;
      if (!peer.namespaceSelector) return from === policy.metadata.namespace;
      const names = c.lab.kubectl(["get", "namespaces", "-l", selectorArg(peer.namespaceSelector), "-o", "name"]).stdout.split("\n");
      return names.includes(`namespace/${from}`);
    });
  });
}

async function networkPolicies(c: Ctx): Promise<string> {
  const { lab, answers } = c;
  const out: string[] = [];
  // The namespaces the answers let in, as a person's cluster has them (the API server labels every
  // namespace kubernetes.io/metadata.name), and one that must stay out.
  const exposed = answers.ingress === true || answers.httpRoute === true;
  const ingressNs = exposed && answers.trafficSource === "proxy" ? String(answers.ingressNamespace) : undefined;
  const promNs = /^https?:\/\/[^.:/]+\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc|[:/]|$)/.exec(String(answers.prometheusAddress ?? ""))?.[1] ?? "monitoring";
  const other = "lab-np-elsewhere";
  for (const n of [ingressNs, promNs, other]) if (n && lab.kubectl(["get", "namespace", n]).code !== 0) lab.kubectl(["create", "namespace", n]);
  for (const env of c.envs) {
    const n = c.ns(env);
    const policy = lab.getJson(["get", "networkpolicy", c.name, "-n", n]);
    need(policy, `no NetworkPolicy ${c.name} in ${n}, although the networkPolicy answer is on`);
    need((policy.spec.policyTypes as string[]).includes("Ingress"), `NetworkPolicy ${c.name} in ${n} does not restrict ingress`);
    // It selects every pod of the namespace's release (Flagger's -primary pods and Argo Rollouts' canary pods too).
    const all = (lab.getJson<{ items: Pod[] }>(["get", "pods", "-n", n])?.items ?? []).filter((p) => !p.metadata.deletionTimestamp);
    need(all.length > 0, `no pods in ${n}`);
    const selected = new Set(
      lab
        .kubectl(["get", "pods", "-n", n, "-l", selectorArg(policy.spec.podSelector), "-o", "name"])
        .stdout.split("\n")
        .filter(Boolean),
    );
    const missed = all.filter((p) => !selected.has(`pod/${p.metadata.name}`));
    need(
      missed.length === 0,
      `NetworkPolicy ${c.name} in ${n} does not select pod ${missed[0]?.metadata.name} (labels ${JSON.stringify(missed[0]?.metadata.labels)})`,
    );
    const pod = all[0]!;
    // The service port as the Service sends it to the pods (its targetPort, by name or number); with
    // Flagger, which creates the Services from the Canary, the Canary's targetPort.
    const svc = lab.getJson(["get", "service", c.name, "-n", n]);
    const canary = c.controller === "flagger" ? lab.getJson(["get", "canary", c.name, "-n", n]) : undefined;
    const target = (canary ? canary.spec.service.targetPort : svc?.spec.ports[0].targetPort) as number | string | undefined;
    need(target !== undefined, `no Service ${c.name} in ${n}`);
    const servePort = typeof target === "number" ? target : pod.spec.containers[0]!.ports?.find((p) => p.name === target)?.containerPort;
    need(servePort, `the Service ${c.name} in ${n} targets port ${target}, which the pods do not declare`);
    const notes = [`selects all ${all.length} pod(s)`];
    if (ingressNs) {
      need(
        admits(c, policy, ingressNs, servePort!),
        `NetworkPolicy ${c.name} in ${n} does not let the ingress controller's namespace ${ingressNs} reach port ${servePort}, where the Service sends requests`,
      );
      notes.push(`admits ${ingressNs} on ${servePort}`);
    }
    if (exposed && answers.trafficSource === "load-balancer") {
      // A load balancer that connects to the pod IPs: its address ranges, on the service port.
      const want = String(answers.loadBalancerCidrs ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      const rules = (policy.spec.ingress ?? []) as { from?: PolicyPeer[]; ports?: { port?: number | string }[] }[];
      const let_ = rules
        .filter((r) => r.ports?.some((p) => p.port === servePort))
        .flatMap((r) => (r.from ?? []).flatMap((p) => (p.ipBlock ? [p.ipBlock.cidr] : [])));
      const missing = want.filter((x) => !let_.includes(x));
      need(missing.length === 0, `NetworkPolicy ${c.name} in ${n} does not let the load balancer's ${missing.join(", ")} reach port ${servePort}`);
      if (want.length) notes.push(`admits ${want.join(", ")} on ${servePort}`);
    }
    const ann = pod.metadata.annotations ?? {};
    if (ann["prometheus.io/scrape"] === "true") {
      const { port: mport, note } = scrapePort(c, pod);
      need(
        admits(c, policy, promNs, mport),
        `NetworkPolicy ${c.name} in ${n} does not let Prometheus's namespace ${promNs} scrape port ${mport} (the pods' prometheus.io/port)`,
      );
      notes.push(`admits ${promNs} on the ${note}`);
    }
    need(!admits(c, policy, other, servePort!), `NetworkPolicy ${c.name} in ${n} lets any namespace (${other}) reach port ${servePort}`);
    need(admits(c, policy, n, servePort!), `NetworkPolicy ${c.name} in ${n} does not let the namespace's own pods reach port ${servePort}`);
    notes.push(`keeps ${other} out`);
    out.push(`${env}: ${notes.join(", ")}`);
  }
  return `${out.join("; ")} (as stored and selected by the API server; not enforced: no network plugin runs)`;
}

// -------------------------------------------------------------------------------------------------
// 6. pull secret

async function pullSecret(c: Ctx): Promise<string> {
  const { lab } = c;
  const values = parseYaml(readFileSync(join(c.chart, "values.yaml"), "utf8")) as { imagePullSecrets?: { name: string }[] };
  const out: string[] = [];
  const nativePull =
    (c.answers.registry === "ecr" && c.answers.cluster === "eks") ||
    (c.answers.registry === "gar" && c.answers.cluster === "gke") ||
    (c.answers.registry === "acr" && c.answers.cluster === "aks");
  for (const env of c.envs) {
    const pods = podsOf(c, env);
    need(pods.length > 0, `no pods in ${c.ns(env)}`);
    const names = pods[0]!.spec.imagePullSecrets?.map((s) => s.name) ?? [];
    if (nativePull && names.length === 0) {
      // GKE: the docs' setup commands grant the nodes' service account the reader role on the
      // repository (recorded by the gcloud stand-in); EKS's node role policy and `--attach-acr`
      // are not among the commands run here.
      if (c.answers.registry === "gar") {
        const grants = readFileSync(join(c.dir, "grants.jsonl"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { cli: string; args: string[] });
        const reader = grants.find(
          (g) =>
            g.cli === "gcloud" &&
            g.args.includes("add-iam-policy-binding") &&
            g.args.some((a, i) => (a === "--role" && g.args[i + 1] === "roles/artifactregistry.reader") || a === "--role=roles/artifactregistry.reader") &&
            g.args.some((a) => /compute@developer\.gserviceaccount\.com/.test(a)),
        );
        need(reader, "the setup commands grant no node service account roles/artifactregistry.reader: GKE nodes could not pull the image");
      }
      out.push(`${env}: nodes pull with their cloud identity${c.answers.registry === "gar" ? " (the node service account's reader role granted)" : ""}`);
      continue;
    }
    need(
      names.length > 0,
      `pods in ${c.ns(env)} have no imagePullSecrets (values.yaml imagePullSecrets: ${JSON.stringify(values.imagePullSecrets ?? [])}): a private ${c.answers.registry} image cannot be pulled`,
    );
    const ev = lab.auditEvents().filter((e) => e.namespace === c.ns(env) && e.verb === "create" && e.code < 300);
    const firstPod = ev.findIndex((e) => e.resource === "pods");
    for (const s of names) {
      const created = ev.findIndex((e) => e.resource === "secrets" && e.name === s);
      need(created >= 0, `the pull secret ${s} the pods use was never created in ${c.ns(env)} by the documented setup`);
      need(created < firstPod, `the pull secret ${s} was created in ${c.ns(env)} after the first pod`);
      const sec = lab.getJson<{ type: string }>(["get", "secret", s, "-n", c.ns(env)]);
      need(sec?.type === "kubernetes.io/dockerconfigjson", `secret ${s} in ${c.ns(env)} is not a kubernetes.io/dockerconfigjson secret`);
    }
    out.push(`${env}: ${names.join(",")} before the first pod`);
  }
  return out.join("; ");
}

// -------------------------------------------------------------------------------------------------
// 4. progressive delivery

function rolloutOf(c: Ctx, env: string): any {
  return c.lab.getJson(["get", "rollout", c.name, "-n", c.ns(env)]);
}

/** Deploys a new image the way the mode does (helm upgrade, or a promotion commit + sync). */
async function update(c: Ctx, env: string, image: { tag: string; digest: string }, extra: string[] = []) {
  if (c.answers.mode === "push") {
    // helm --wait does not wait for a Rollout, so --atomic only sees the objects applied.
    deployPush(c, env, image, extra);
  } else {
    promote(c, env, image);
    const app = c.lab.getJson<Application>(["get", "application", `${c.name}-${env}`, "-n", "argocd"])!;
    applyObjs(c, c.ns(env), renderApp(c, app, extra));
  }
}

/**
 * The release's request counters, served by a real process and scraped by the lab's Prometheus
 * through its discovery of the pods (scrape.ts): the canary pods (hash) at okPerSec and errPerSec
 * requests per second, the others' requests all succeeding. Each pod is served where the pod tells
 * the service to serve its metrics; Prometheus finds it with the community chart's annotation-based
 * job. Returns the canary pods (undefined while some pod has no IP yet).
 */
async function serveScrape(c: Ctx, env: string, hash: string, okPerSec: number, errPerSec: number): Promise<Pod[] | undefined> {
  const pods = podsOf(c, env);
  const canary = pods.filter((p) => p.metadata.labels?.["rollouts-pod-template-hash"] === hash);
  if (canary.length === 0 || pods.some((p) => !p.status.podIP)) return undefined;
  const ann = canary[0]!.metadata.annotations ?? {};
  need(
    ann["prometheus.io/scrape"] === "true",
    `the canary pods carry no prometheus.io/scrape annotation: nothing scrapes their metrics, so the analysis has no data (annotations: ${JSON.stringify(ann)})`,
  );
  for (const p of pods) scrapePort(c, p);
  const scrape = await PodScrape.for(c.lab);
  scrape.serve(pods.map((pod) => ({ answers: c.answers, pod, ...(canary.includes(pod) ? { ok: okPerSec, err: errPerSec } : { ok: 10, err: 0 }) })));
  return canary;
}

/**
 * The chart's analysis query, as the API server stores the AnalysisTemplate, with the arguments
 * the Rollout passes filled in, run on the lab's Prometheus until it returns a value accept
 * takes. Returns the value (and how long the scrape took to give it).
 */
async function analysisQuery(c: Ctx, env: string, hash: string, canary: Pod[], accept: (v: number) => boolean, what: string): Promise<string> {
  const ns = c.ns(env);
  const t = c.lab.getJson<{ items: any[] }>(["get", "analysistemplates", "-n", ns])?.items[0];
  need(t, `no AnalysisTemplate in ${ns}`);
  const q = String(t.spec.metrics[0].provider.prometheus.query).split("{{args.namespace}}").join(ns).split("{{args.canary-hash}}").join(hash);
  const scrape = await PodScrape.for(c.lab);
  const r = await scrape.queryUntil(q, accept, 90_000);
  need(
    r.ok,
    `${what}: the chart's analysis query returned ${r.value ?? "no value"} from the scraped pods after ${r.ms / 1000}s (${q}); the scrape: ${await scrape.describe(
      ns,
      canary.map((p) => p.metadata.name),
    )}`,
  );
  return `${r.value!.toFixed(3)} after ${(r.ms / 1000).toFixed(1)} s`;
}

/** What the AnalysisRuns of the namespace measured: each phase's count, and the last value that passed or failed. */
function lastMeasured(c: Ctx, env: string): string {
  const runs = c.lab.getJson<{ items: any[] }>(["get", "analysisruns", "-n", c.ns(env)])?.items ?? [];
  const m: any[] = runs.flatMap((a) => a.status?.metricResults?.[0]?.measurements ?? []);
  const count = (p: string) => m.filter((x) => x.phase === p).length;
  const last = m.filter((x) => x.phase === "Successful" || x.phase === "Failed").at(-1);
  return `${count("Successful")} passed, ${count("Failed")} failed, ${count("Inconclusive")} empty${last ? `, last ${last.value}` : ""}`;
}

type Series = { record: string; labels: Record<string, string>; expr: string };

/**
 * The port an annotation-based scrape calls on a pod (its prometheus.io/port), as the API server
 * stores the pod: a port the container declares; for a gRPC server an HTTP port of its own (a gRPC
 * server does not answer Prometheus's HTTP/1.1 scrape on its gRPC port), the container port
 * "metrics", which the service is told as METRICS_PORT. Returns how the port was found.
 */
export function scrapePort(c: Pick<Ctx, "answers">, p: Pod): { port: number; note: string } {
  const ann = p.metadata.annotations ?? {};
  const port = Number(ann["prometheus.io/port"]);
  const ctr = p.spec.containers[0]!;
  const ports = ctr.ports ?? [];
  const declared = ports.find((x) => x.containerPort === port);
  need(
    declared,
    `pod ${p.metadata.name}: the scrape port ${ann["prometheus.io/port"]} (prometheus.io/port) is not a port of its container (${JSON.stringify(ports)})`,
  );
  if (c.answers.protocol !== "grpc") return { port, note: `scrape port ${port} (${declared!.name})` };
  const grpcPort = ports.find((x) => x.name === "http")?.containerPort;
  need(port !== grpcPort, `pod ${p.metadata.name}: Prometheus would scrape the gRPC port ${port}, which does not answer an HTTP/1.1 scrape`);
  need(declared!.name === "metrics", `pod ${p.metadata.name}: the scrape port ${port} is the container port "${declared!.name}", not "metrics"`);
  const env = ctr.env?.find((e) => e.name === "METRICS_PORT")?.value;
  need(
    env === String(port),
    `pod ${p.metadata.name}: METRICS_PORT is ${env ?? "not set"}, the scrape port ${port}: the service is not told where to serve its metrics`,
  );
  return { port, note: `scrape port ${port} ("metrics", METRICS_PORT; the gRPC port ${grpcPort} apart)` };
}

/**
 * The request counter of each pod as an annotation-based scrape gives it, growing by ok and err
 * requests per second, as the service exports it: an HTTP server's counter by status (err: 500),
 * a gRPC server's grpc_server_handled_total by grpc_code (err: Unavailable), the counter of the
 * gRPC Prometheus interceptors (go-grpc-middleware's, java-grpc-prometheus, py-grpc-prometheus).
 */
function scrapeSeries(c: Ctx, env: string, pods: Pod[], okPerSec: number, errPerSec: number): Series[] {
  const grpc = c.answers.protocol === "grpc";
  // The request metric the chart's query reads (requestMetric, name{statusLabel}), as the service exports it.
  const [, metric, label] = /^([^{]+)\{([^}]+)\}$/.exec(String(c.answers.requestMetric ?? "")) ?? [];
  need(metric !== undefined && label !== undefined, `no request metric in the answers (requestMetric: ${JSON.stringify(c.answers.requestMetric)})`);
  const [okL, errL] = grpc ? [{ [label!]: "OK" }, { [label!]: "Unavailable" }] : [{ [label!]: "200" }, { [label!]: "500" }];
  const out: Series[] = [];
  for (const p of pods) {
    scrapePort(c, p);
    // The kubernetes-pods scrape job of the community Prometheus chart: namespace, pod, and every pod label (labelmap).
    const labels: Record<string, string> = { namespace: c.ns(env), pod: p.metadata.name, job: "kubernetes-pods" };
    for (const [k, v] of Object.entries(p.metadata.labels ?? {})) labels[k.replace(/[^a-zA-Z0-9_]/g, "_")] = v;
    out.push({ record: metric!, labels: { ...labels, ...okL }, expr: `time() * ${okPerSec}` });
    if (errPerSec > 0) out.push({ record: metric!, labels: { ...labels, ...errL }, expr: `time() * ${errPerSec}` });
  }
  return out;
}

async function progressive(c: Ctx): Promise<string> {
  const { lab } = c;
  // Canary in the first environment (dev when there is one: the analysis must work there first);
  // blue-green where promotion is manual (outside dev), when there is such an environment.
  const env = c.answers.strategy === "blue-green" ? c.envs[c.envs.length - 1]! : c.envs[0]!;
  const notes: string[] = [];
  const r0 = rolloutOf(c, env);
  need(r0, `no Rollout ${c.name} in ${c.ns(env)}`);
  const stable0 = r0.status?.stableRS;
  if (c.answers.strategy === "canary") {
    const analysis = c.answers.canaryAnalysis === true;
    // dev has the analysis off (no steady traffic there): the lab turns it on where it walks the
    // canary, and tolerates the empty measurements taken before its series reach Prometheus
    // (an empty result is inconclusive; past inconclusiveLimit it would pause the canary).
    const extra = analysis ? ["analysis.enabled=true", "analysis.inconclusiveLimit=60"] : [];
    // success
    // Pauses long enough for the scraped series to reach the analysis (Prometheus's discovery
    // passes new targets on every 5 s, and a rate needs two scrapes) before the steps run out.
    await update(c, env, BUILT2, analysis ? [...extra, "rollout.canary.pauseDuration=10s"] : extra);
    const hash = await waitFor("the canary to start", 60_000, () => {
      const r = rolloutOf(c, env);
      return r?.status?.currentPodHash && r.status.currentPodHash !== stable0 ? r.status.currentPodHash : undefined;
    });
    let passing = "";
    if (analysis) {
      const canary = await waitForAsync("canary pods with IPs", 60_000, () => serveScrape(c, env, hash, 10, 0));
      passing = await analysisQuery(c, env, hash, canary, (v) => v === 1, "every request succeeds");
    }
    const steps = (rolloutOf(c, env).spec.strategy.canary.steps as unknown[]).length;
    const done = await waitFor("the canary to walk every step to 100%", 180_000, () => {
      const r = rolloutOf(c, env);
      if (r?.status?.abort)
        throw new Fail(`the canary aborted although the analysis query reports success: ${r.status.message ?? ""} ${analysisMessage(c, env)}`);
      return r?.status?.stableRS === hash && r.status.phase === "Healthy" && r.status.currentStepIndex === steps ? r : undefined;
    });
    notes.push(
      `canary ${stable0}→${done.status.stableRS} walked ${steps} steps to 100%${analysis ? ` with the analysis passing on the scraped pods (query ${passing}, AnalysisRun measured ${lastMeasured(c, env)})` : ""}`,
    );
    if (analysis) {
      // A run the rollout's end terminates is Successful too: one of its measurements must have passed.
      const runs = lab.getJson<{ items: any[] }>(["get", "analysisruns", "-n", c.ns(env)])?.items ?? [];
      need(
        runs.some((a) => a.status?.phase === "Successful" && (a.status.metricResults?.[0]?.measurements ?? []).some((m: any) => m.phase === "Successful")),
        `no successful AnalysisRun with a passing measurement: ${runs.map((a) => `${a.metadata.name} ${a.status?.phase} ${a.status?.message ?? ""}`).join("; ")} ${analysisMessage(c, env)}`,
      );
      // failure
      // Longer pauses than the lab's 2 s: the failing series must reach Prometheus (a reload and
      // two samples) before the steps run out, on a loaded machine too.
      await update(c, env, BUILT3, [...extra, "rollout.canary.pauseDuration=30s"]);
      const bad = await waitFor("the second canary to start", 60_000, () => {
        const r = rolloutOf(c, env);
        return r?.status?.currentPodHash && r.status.currentPodHash !== hash ? r.status.currentPodHash : undefined;
      });
      const badPods = await waitForAsync("canary pods with IPs", 60_000, () => serveScrape(c, env, bad, 1, 9));
      const failing = await analysisQuery(c, env, bad, badPods, (v) => Math.abs(v - 0.1) < 0.03, "9 of 10 requests fail");
      await waitFor("the failing canary to abort", 180_000, () => {
        const r = rolloutOf(c, env);
        if (r?.status?.stableRS === bad) throw new Fail("the canary was promoted although the analysis query reports a 10% success rate");
        return r?.status?.abort === true ? r : undefined;
      });
      await waitFor("the aborted canary to be scaled away", 60_000, () => {
        const rs = lab.getJson<{ items: any[] }>(["get", "replicasets", "-n", c.ns(env), "-l", `rollouts-pod-template-hash=${bad}`])?.items[0];
        return rs && (rs.spec.replicas ?? 0) === 0 ? true : undefined;
      });
      need(rolloutOf(c, env).status.stableRS === hash, "the stable version changed after the abort");
      notes.push(`failing analysis (query ${failing}, AnalysisRun measured ${lastMeasured(c, env)}) aborted the canary and scaled it to 0`);
    }
  } else {
    // Every environment before the last switches by itself: the promotion of the next one waits
    // for it to be Healthy, which a Rollout paused for a person never is.
    for (const mid of c.envs.slice(0, -1)) {
      const s0 = rolloutOf(c, mid)?.status?.stableRS;
      await update(c, mid, BUILT2);
      const h = await waitFor(`the preview in ${mid} to start`, 60_000, () => {
        const r = rolloutOf(c, mid);
        return r?.status?.currentPodHash && r.status.currentPodHash !== s0 ? r.status.currentPodHash : undefined;
      });
      need(
        rolloutOf(c, mid).spec.strategy.blueGreen.autoPromotionEnabled !== false,
        `${mid} waits for a person to promote it: the environment after it would never be promoted`,
      );
      await waitFor(`${mid} to switch by itself`, 120_000, () => {
        const r = rolloutOf(c, mid);
        return r?.status?.stableRS === h && r.status.phase === "Healthy" ? true : undefined;
      });
      notes.push(`${mid} switched by itself ${s0}→${h}`);
    }
    await update(c, env, BUILT2);
    const hash = await waitFor("the preview to start", 60_000, () => {
      const r = rolloutOf(c, env);
      return r?.status?.currentPodHash && r.status.currentPodHash !== stable0 ? r.status.currentPodHash : undefined;
    });
    const auto = rolloutOf(c, env).spec.strategy.blueGreen.autoPromotionEnabled !== false;
    if (!auto) {
      await waitFor("the preview to be ready and paused", 90_000, () => {
        const r = rolloutOf(c, env);
        return r?.status?.phase === "Paused" && r.status.blueGreen?.previewSelector === hash ? r : undefined;
      });
      const active = lab.getJson(["get", "service", c.name, "-n", c.ns(env)]);
      const preview = lab.getJson(["get", "service", `${c.name}-preview`, "-n", c.ns(env)]);
      need(active.spec.selector["rollouts-pod-template-hash"] === stable0, "the active Service left the stable version before promotion");
      need(preview.spec.selector["rollouts-pod-template-hash"] === hash, "the preview Service does not select the new version");
      // What `kubectl argo rollouts promote` does.
      const p = lab.kubectl(["patch", "rollout", c.name, "-n", c.ns(env), "--subresource=status", "--type=merge", "-p", '{"status":{"pauseConditions":null}}']);
      need(p.code === 0, `promote failed: ${p.stderr}`);
      lab.kubectl(["patch", "rollout", c.name, "-n", c.ns(env), "--type=merge", "-p", '{"spec":{"paused":false}}']);
      notes.push("preview served by <name>-preview while paused");
    }
    await waitFor("the promotion to switch the active Service", 120_000, () => {
      const r = rolloutOf(c, env);
      const active = lab.getJson(["get", "service", c.name, "-n", c.ns(env)]);
      return r?.status?.stableRS === hash && active?.spec.selector["rollouts-pod-template-hash"] === hash ? true : undefined;
    });
    notes.push(`blue-green ${auto ? "auto-promoted" : "promoted"} ${stable0}→${hash}`);
  }
  // HPA reads the Rollout's scale (in every environment where autoscaling is on, or with it turned on).
  const hpaEnv = c.envs.find((e) => lab.kubectl(["get", "hpa", c.name, "-n", c.ns(e)]).code === 0);
  const target = hpaEnv ?? env;
  if (!hpaEnv) await update(c, target, c.answers.strategy === "canary" && c.answers.canaryAnalysis === true ? BUILT2 : BUILT2, ["autoscaling.enabled=true"]);
  const hpa = await waitFor(`the HPA in ${c.ns(target)} to read the Rollout's scale`, 60_000, () => {
    const h = lab.getJson(["get", "hpa", c.name, "-n", c.ns(target)]);
    const able = h?.status?.conditions?.find((x: any) => x.type === "AbleToScale");
    if (able?.status === "False") throw new Fail(`HPA ${c.name} in ${c.ns(target)} cannot read the Rollout's scale: ${able.reason}: ${able.message}`);
    return able?.status === "True" ? h : undefined;
  });
  notes.push(`HPA reads the Rollout's scale in ${target} (current ${hpa.status.currentReplicas})`);
  return notes.join("; ");
}

function analysisMessage(c: Ctx, env: string): string {
  const runs = c.lab.getJson<{ items: any[] }>(["get", "analysisruns", "-n", c.ns(env)])?.items ?? [];
  return runs
    .map(
      (a) =>
        `[${a.metadata.name}: ${a.status?.phase} ${a.status?.message ?? ""} ${JSON.stringify(a.status?.metricResults?.[0]?.measurements?.slice(-1) ?? [])}]`,
    )
    .join(" ");
}

// -------------------------------------------------------------------------------------------------
// Flagger

async function flagger(c: Ctx): Promise<string> {
  const { lab } = c;
  const out: string[] = [];
  for (const env of c.envs) {
    const canary = lab.getJson(["get", "canary", c.name, "-n", c.ns(env)]);
    need(canary, `no Flagger Canary ${c.name} in ${c.ns(env)}`);
    need(canary.spec.targetRef?.name === c.name && canary.spec.targetRef?.kind === "Deployment", `the Canary targets ${JSON.stringify(canary.spec.targetRef)}`);
    if (c.identity) {
      for (const res of ["canaries.flagger.app", ...(flaggerMetricsIn(c.answers) ? ["metrictemplates.flagger.app"] : [])])
        for (const verb of ["create", "update", "delete", "get"]) {
          const r = lab.kubectl(["auth", "can-i", verb, res, "-n", c.ns(env), ...c.identity.kubectlArgs(env)]);
          need(r.stdout.trim() === "yes", `${c.identity.describe} may not ${verb} ${res} in ${c.ns(env)}`);
        }
    }
    out.push(`${env}: Canary accepted${c.identity ? ", identity may manage it" : ""}`);
  }
  out.push(await flaggerRelease(c));
  return out.join("; ");
}

/** flagger.metrics.enabled as values.yaml and values-<env>.yaml leave it. */
function flaggerMetricsOn(c: Ctx, env: string): boolean {
  const read = (f: string) => (existsSync(f) ? ((parseYaml(readFileSync(f, "utf8")) ?? {}) as { flagger?: { metrics?: { enabled?: boolean } } }) : {});
  const env1 = read(join(c.chart, `values-${env}.yaml`)).flagger?.metrics?.enabled;
  return env1 ?? read(join(c.chart, "values.yaml")).flagger?.metrics?.enabled ?? false;
}

/**
 * Releases analysed by the real Flagger controller (watching only that namespace, with plain
 * Services as router): Flagger takes over the deployed Deployment (primary from the built image,
 * the target scaled to zero), then a new image is analysed and promoted into the primary.
 *
 * Where the chart has the success-rate check (flagger.metrics: blue-green, or a canary with
 * analysis), it is on for these releases (as the chart leaves it outside dev; in dev as a person
 * turns it on once dev has traffic), its MetricTemplate pointed at the lab's Prometheus, which
 * serves the request counter of the new pods as an annotation-based scrape gives it: a passing
 * success rate must be measured (Flagger's own flagger_canary_metric_analysis) and the release
 * promoted; then a third image whose series say 10 % success must be measured as failing and
 * rolled back (the primary keeps the second image, the target is scaled to zero). The series are
 * fed as soon as the new pods exist; Flagger measures only once they are Ready, at its interval
 * (at least 10 s whatever the Canary says), so the chart's own threshold applies.
 */
async function flaggerRelease(c: Ctx): Promise<string> {
  const { lab } = c;
  const metrics = flaggerMetricsIn(c.answers);
  const env = metrics ? (c.envs.find((e) => flaggerMetricsOn(c, e)) ?? c.envs[0]!) : c.envs[0]!;
  const n = c.ns(env);
  const extra = metrics ? ["flagger.metrics.enabled=true"] : [];
  const canaryOf = () => lab.getJson(["get", "canary", c.name, "-n", n]);
  const imageOf = (d: string) => lab.getJson(["get", "deployment", d, "-n", n])?.spec?.template?.spec?.containers?.[0]?.image as string | undefined;
  const tail = () => lab.logOf(`flagger-${n}`).split("\n").slice(-8).join("\n");
  const phaseWait = (what: string, ms: number, want: (phase: string) => boolean, failedOk = false) =>
    waitFor(what, ms, () => {
      const cd = canaryOf();
      const phase = cd?.status?.phase as string | undefined;
      if (phase === "Failed" && !failedOk)
        throw new Fail(`Flagger failed the release in ${n}: ${JSON.stringify(cd.status.conditions ?? [])}\n${halts()}\n${tail()}`);
      return phase && want(phase) ? cd : undefined;
    }).catch((e: Error) => {
      if (e instanceof Fail && /failed the release|promoted an image/.test(e.message)) throw e;
      const cd = canaryOf();
      throw new Fail(`${e.message} (Canary phase ${cd?.status?.phase ?? "none"}: ${JSON.stringify(cd?.status?.conditions ?? [])})\n${halts()}\n${tail()}`);
    });
  // Flagger's "Halt <name>.<ns> advancement success-rate 10.00 < 99" messages: a measured value
  // below the minimum. Flagger logs every message it records as an Event on the Canary (its
  // events.go), and its log is where they all are: client-go's event recorder drops an object's
  // Events beyond a burst of 25 per type (then one per 5 minutes; tools/record/events_cache.go), and
  // a canary under Flagger's "kubernetes" router warns twice at every check that it runs ten
  // iterations instead of traffic steps, so by the second release its Warning Events are dropped.
  const halts = (from: "all" | "events" = "all") => {
    const events = (
      lab.getJson<{ items: { message: string }[] }>(["get", "events", "-n", n, "--field-selector", `involvedObject.kind=Canary,involvedObject.name=${c.name}`])
        ?.items ?? []
    ).map((e) => e.message);
    const logged = lab
      .logOf(`flagger-${n}`)
      .split("\n")
      .flatMap((l) => {
        try {
          const j = JSON.parse(l) as { msg?: string; canary?: string };
          return j.canary === `${c.name}.${n}` && j.msg ? [j.msg] : [];
        } catch {
          return l.includes(`${c.name}.${n}`) ? [l] : [];
        }
      });
    if (from === "events") return events.filter((m) => /advancement|no values found|Metric/.test(m)).join("\n");
    return [...new Set([...events, ...logged])].filter((m) => /advancement|no values found|Metric/.test(m)).join("\n");
  };
  // The request series of the target's pods (not the primary's) running an image.
  const feed = async (image: { digest: string }, ok: number, err: number) =>
    lab.setSeries(
      await waitFor(`the new pods of ${c.name} in ${n}`, 90_000, () => {
        const pods = podsOf(c, env).filter(
          (p) => new RegExp(`^${c.name}-[0-9a-z]+-[0-9a-z]+$`).test(p.metadata.name) && p.spec.containers[0]!.image.endsWith(image.digest),
        );
        if (!pods.length) return undefined;
        const ann = pods[0]!.metadata.annotations ?? {};
        need(
          ann["prometheus.io/scrape"] === "true",
          `the new pods carry no prometheus.io/scrape annotation: nothing scrapes their metrics (annotations: ${JSON.stringify(ann)})`,
        );
        return scrapeSeries(c, env, pods, ok, err);
      }),
    );
  const measured = async (url: string): Promise<number | undefined> => {
    const text = await (await fetch(url)).text();
    const line = text
      .split("\n")
      .find((l) => l.startsWith("flagger_canary_metric_analysis{") && l.includes('metric="success-rate"') && l.includes(`namespace="${n}"`));
    return line ? Number(line.split(" ").pop()) : undefined;
  };
  const flagger = await lab.startFlagger(n);
  try {
    const s = performance.now();
    const notes: string[] = [];
    await phaseWait(`Flagger to initialise the Canary in ${n}`, 120_000, (p) => p === "Initialized" || p === "Succeeded");
    need(imageOf(`${c.name}-primary`)?.endsWith(BUILT.digest), `the primary Flagger created runs ${imageOf(`${c.name}-primary`)}, not the deployed image`);
    await update(c, env, BUILT2, extra);
    if (metrics) {
      const mt = lab.getJson(["get", "metrictemplate", `${c.name}-success-rate`, "-n", n]);
      need(mt, `no MetricTemplate ${c.name}-success-rate in ${n}: the Canary's success-rate check has no query`);
      await feed(BUILT2, 10, 0);
    }
    await phaseWait(`Flagger to start analysing the new image in ${n}`, 60_000, (p) => p === "Progressing" || p === "Promoting" || p === "Finalising");
    const done = await phaseWait(`Flagger to promote the new image in ${n}`, 240_000, (p) => p === "Succeeded");
    need(imageOf(`${c.name}-primary`)?.endsWith(BUILT2.digest), `after the release the primary runs ${imageOf(`${c.name}-primary`)}, not the new image`);
    const target = lab.getJson(["get", "deployment", c.name, "-n", n]);
    need((target?.spec?.replicas ?? 0) === 0, `after the release Flagger left the target Deployment at ${target?.spec?.replicas} replicas`);
    const a = done.spec.analysis;
    notes.push(
      `${env}: Flagger initialised the primary from the built image, analysed the next one (${a.iterations ? `${a.iterations} iterations` : `steps of ${a.stepWeight}% to ${a.maxWeight}%`}) and promoted it in ${Math.round((performance.now() - s) / 1000)}s`,
    );
    if (metrics) {
      const v = await measured(flagger.metricsUrl);
      need(v !== undefined && v >= a.metrics[0].thresholdRange.min, `Flagger promoted without measuring a passing success rate (last measured: ${v})`);
      notes.push(`success rate measured ${v}% ≥ ${a.metrics[0].thresholdRange.min}% on Prometheus`);
      // A failing release.
      const s2 = performance.now();
      await update(c, env, BUILT3, extra);
      await feed(BUILT3, 1, 9);
      const failed = await phaseWait(
        `Flagger to roll back the failing image in ${n}`,
        240_000,
        (p) => {
          if (p === "Succeeded" && imageOf(`${c.name}-primary`)?.endsWith(BUILT3.digest))
            throw new Fail(`Flagger promoted an image whose success rate is 10 % (events: ${halts() || "none"})`);
          return p === "Failed";
        },
        true,
      );
      const low = /advancement success-rate (\d+(?:\.\d+)?) < /.exec(halts());
      need(low, `Flagger rolled back without measuring a failing success rate (its messages: ${halts() || "none"})`);
      const inEvents = /advancement success-rate (\d+(?:\.\d+)?) < /.test(halts("events"));
      need(
        imageOf(`${c.name}-primary`)?.endsWith(BUILT2.digest),
        `after the rollback the primary runs ${imageOf(`${c.name}-primary`)}, not the last promoted image`,
      );
      await waitFor(
        `the rolled-back target in ${n} to be scaled to zero`,
        60_000,
        () => (lab.getJson(["get", "deployment", c.name, "-n", n])?.spec?.replicas ?? 0) === 0,
      );
      notes.push(
        `a failing image measured at ${low![1]}% (< ${a.metrics[0].thresholdRange.min}%) was rolled back in ${Math.round((performance.now() - s2) / 1000)}s (Canary ${failed.status.phase}), the primary kept the promoted image (the measurement in Flagger's log${inEvents ? " and in the Canary's Events" : "; not in the Canary's Events, which dropped it"})`,
      );
    }
    return notes.join("; ");
  } finally {
    await flagger.stop();
  }
}

export function listSamples(): string[] {
  const d = join(REPO, "test", "fixtures", "services");
  return readdirSync(d).sort();
}
