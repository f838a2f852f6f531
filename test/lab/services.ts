/**
 * The lab's scenario for a repository of several services (GitOps: one ApplicationSet, one
 * AppProject), against the real control plane of cluster.ts:
 *
 *   setup   the one-time setup of the repository's docs/pipeline.md, run as written (GitHub-only
 *           blocks aside; the downloads stand in, shims.ts): every service's namespaces exist, and
 *           the ApplicationSet and the AppProject pass the real Argo CD CRDs
 *   apps    the ApplicationSet expanded as its controller does (test/support/applicationset.ts);
 *           every Application is accepted by the Application CRD, is in the project, and its
 *           source and destination are ones the project allows
 *   sync    each Application's chart rendered with its value files and applied as Argo CD's
 *           controller does: first as committed (no workload, nothing names an unbuilt image),
 *           then after the promotion commit; every rendered kind is allowed by the project and
 *           every workload becomes Ready under the restricted Pod Security profile
 */
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { type ExpandedApplication, expandApplicationSet } from "../support/applicationset.js";
import { REPO, type Lab } from "./cluster.js";
import { type Answers, type Application, type Check, type ComboResult, type Ctx, need, recorder, setupBlocks, syncApplication } from "./scenarios.js";
import { writeShims } from "./shims.js";

/** The sample services of test/fixtures/services the repository is made of, and their folders. */
export const SERVICES_REPO = [
  { fixture: "node", path: "services/api" },
  { fixture: "python", path: "services/worker" },
  { fixture: "go", path: "services/gateway" },
];

/** A repository of several services in `dir`, created as a person would (GitOps, two environments). */
export function servicesRepo(dir: string, create: (dir: string, flags: string[]) => { answers: Answers }): { answers: Answers } {
  mkdirSync(dir, { recursive: true });
  for (const s of SERVICES_REPO) cpSync(join(REPO, "test", "fixtures", "services", s.fixture), join(dir, s.path), { recursive: true });
  return create(dir, ["--mode", "gitops", "--environments", "dev,prod", "--repo-url", "https://github.com/acme/shop.git"]);
}

interface ServicesFile {
  services: ({ name: string; path: string } & Answers)[];
  [k: string]: unknown;
}

export async function runServices(lab: Lab, id: string, dir: string): Promise<ComboResult> {
  const t0 = performance.now();
  const checks: Check[] = [];
  const file = parseYaml(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")) as ServicesFile;
  const { services, ...shared } = file;
  const answers: Answers = { ...shared, services: services.map((s) => s.name) };
  const check = recorder(checks);
  // Each service's context: its own answers (the shared ones and its overrides), chart and namespaces.
  const ctxOf = (name: string): Ctx => {
    const s = services.find((x) => x.name === name);
    need(s, `the ApplicationSet names a service ${name} that .create-pipeline.yaml does not list`);
    const a: Answers = { ...shared, ...s };
    return {
      lab,
      answers: a,
      dir,
      name,
      envs: a.environments as string[],
      ns: (env) => `${name}-${env}`,
      controller: a.strategy === "rolling" ? undefined : (a.progressiveDelivery as string),
      chart: join(dir, "charts", name),
      identity: undefined,
    };
  };
  let apps: ExpandedApplication[] = [];
  const setupOk = await check("setup", () => {
    // Argo CD's own namespace exists where Argo CD is installed (a prerequisite of the docs).
    if (lab.kubectl(["get", "namespace", "argocd"]).code !== 0) lab.kubectl(["create", "namespace", "argocd"]);
    const doc = readFileSync(join(dir, "docs", "pipeline.md"), "utf8");
    // The one-time setup as it stands, block after block in one shell as a person pastes them
    // (GitHub-only configuration aside): Argo CD and its notifications, the namespaces of every
    // service and environment, the check that no other repository owns these names, the applies.
    const blocks = setupBlocks(doc).filter((b) => !/GitHub: environments|A GitHub App/.test(b.section));
    need(
      blocks.some((b) => /^\s*kubectl apply -f deploy\/argocd\/$/m.test(b.code)),
      "docs/pipeline.md does not say how to apply deploy/argocd/ (no setup block with kubectl apply -f deploy/argocd/)",
    );
    const cmd = `the docs' one-time setup (${blocks.map((b) => b.section.replace(/^\d+\.\s*/, "")).join("; ")})`;
    const shims = writeShims(dir);
    const script = blocks.map((b) => `echo ${JSON.stringify(`@@ ${b.section}`)} >&2\n${b.code}`).join("\n");
    const r = lab.run("bash", ["-e", "-o", "pipefail", "-c", script], {
      cwd: dir,
      env: { PATH: `${shims}:${lab.env().PATH}`, REGISTRY_PASSWORD: "lab-registry-token" },
      timeoutMs: 300_000,
    });
    need(r.code === 0, `${cmd} failed at "${[...r.stderr.matchAll(/^@@ (.*)$/gm)].pop()?.[1] ?? "?"}":\n${r.stderr.slice(-1500)}`);
    // Every service's namespace of every environment, made by the docs before any sync.
    const missing = services
      .flatMap((s) => (shared.environments as string[]).map((e) => `${s.name}-${e}`))
      .filter((n) => lab.kubectl(["get", "namespace", n]).code !== 0);
    need(missing.length === 0, `${cmd} made no namespace ${missing.join(", ")}`);
    const set = lab.getJson(["get", "applicationset", String(shared.name), "-n", "argocd"]);
    need(set, `ApplicationSet ${shared.name} is not in the cluster after \`${cmd}\``);
    const project = lab.getJson(["get", "appproject", String(shared.name), "-n", "argocd"]);
    need(project, `AppProject ${shared.name} is not in the cluster after \`${cmd}\``);
    // What the ApplicationSet controller creates, from the object the API server stored.
    apps = expandApplicationSet(set);
    const want = services.length * (shared.environments as string[]).length;
    need(apps.length === want, `the ApplicationSet generates ${apps.length} Applications, not one per service and environment (${want})`);
    const names = new Set(apps.map((a) => a.metadata.name));
    need(names.size === apps.length, `the ApplicationSet generates Applications with the same name: ${apps.map((a) => a.metadata.name).join(", ")}`);
    const a = lab.kubectl(["apply", "-f", "-"], { input: apps.map((x) => JSON.stringify(x)).join("\n---\n") });
    need(a.code === 0, `the Applications the ApplicationSet generates do not pass the Application CRD:\n${a.stderr.slice(-1500)}`);
    for (const app of apps) {
      need(app.spec.project === project.metadata.name, `Application ${app.metadata.name} is in project ${app.spec.project}, not ${project.metadata.name}`);
      need(
        (project.spec.sourceRepos as string[]).includes(app.spec.source.repoURL),
        `AppProject ${project.metadata.name} does not allow ${app.spec.source.repoURL}`,
      );
      need(
        (project.spec.destinations as { namespace: string }[]).some((d) => d.namespace === app.spec.destination.namespace),
        `AppProject ${project.metadata.name} does not allow namespace ${app.spec.destination.namespace} (Application ${app.metadata.name})`,
      );
    }
    return `${cmd}: ApplicationSet and AppProject accepted; ${apps.length} Applications (${[...names].join(", ")}) accepted by the Application CRD, each in the project, source and destination allowed`;
  });
  if (setupOk) {
    await check("sync + first-sync", async () => {
      const project = lab.getJson(["get", "appproject", String(shared.name), "-n", "argocd"]);
      const notes: string[] = [];
      for (const app of apps) {
        const svc = String(app.spec.source.helm.releaseName);
        const c = ctxOf(svc);
        const env = c.envs.find((e) => c.ns(e) === app.spec.destination.namespace);
        need(env, `Application ${app.metadata.name} deploys into ${app.spec.destination.namespace}, which is none of ${svc}'s environments`);
        notes.push(`${app.metadata.name}: ${(await syncApplication(c, project, app as unknown as Application, env!)).join(", ")}`);
      }
      return notes.join("; ");
    });
  }
  return { id, answers, dir, checks, ms: Math.round(performance.now() - t0) };
}

/** The namespaces a services result used (to free the cluster afterwards). */
export function servicesNamespaces(r: ComboResult): string[] {
  const envs = (r.answers.environments as string[] | undefined) ?? [];
  return ((r.answers.services as string[] | undefined) ?? []).flatMap((s) => envs.map((e) => `${s}-${e}`));
}
