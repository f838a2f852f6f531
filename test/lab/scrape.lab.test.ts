/**
 * The canary analysis's data path with a real scrape (scrape.ts): charts generated for an HTTP and
 * a gRPC service with an Argo Rollouts canary analysis, and for an HTTP service with Flagger's
 * success-rate check, installed into the lab; their pods found by the lab's Prometheus through the
 * API server with the community chart's `kubernetes-pods` job, scraped from a real process that
 * serves each pod's request counter where the pod tells the service to serve it; then the chart's
 * own query (as the API server stores the AnalysisTemplate or MetricTemplate, its placeholders
 * filled in as the controller fills them) must return the success rate served. Where the chart's
 * scrape annotations, its pod labels and the query's label filters disagree, the query finds no
 * series: the cases below that break one of them must find none.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Lab, missingTools } from "./cluster.js";
import { createRepo } from "./main.js";
import { BUILT, type Pod } from "./scenarios.js";
import { PodScrape } from "./scrape.js";

const work = mkdtempSync(join(tmpdir(), "cp-lab-scrape-"));
let lab: Lab;
let scrape: PodScrape;

const COMMON = ["--mode", "push", "--cluster", "kubeconfig", "--registry", "ghcr", "--environments", "prod", "--metrics-path", "/metrics"];
const HTTP = ["--request-metric", "http_requests_total{status}"];
const REPOS = {
  http: [...COMMON, ...HTTP, "--language", "node", "--strategy", "canary", "--progressive-delivery", "argo-rollouts", "--canary-analysis"],
  grpc: [
    ...COMMON,
    "--language",
    "go",
    "--protocol",
    "grpc",
    "--request-metric",
    "grpc_server_handled_total{grpc_code}",
    "--strategy",
    "canary",
    "--progressive-delivery",
    "argo-rollouts",
    "--canary-analysis",
  ],
  flagger: [...COMMON, ...HTTP, "--language", "python", "--strategy", "blue-green", "--progressive-delivery", "flagger"],
};
const created: Record<string, { dir: string; answers: Record<string, unknown> }> = {};

/** Installs a repository's chart as release `name` into namespace ns (as admin), and waits for its Ready pods. */
async function install(repo: keyof typeof REPOS, ns: string, set: string[] = []): Promise<Pod[]> {
  const { dir, answers } = created[repo]!;
  const name = String(answers.name);
  const values = [`image.tag=${BUILT.tag}`, "minReadySeconds=0", ...set];
  const r = lab.helm(["upgrade", "--install", name, join(dir, "charts", name), "-n", ns, "--create-namespace", ...values.flatMap((v) => ["--set", v])]);
  expect(r.code, r.stderr).toBe(0);
  const end = Date.now() + 120_000;
  for (;;) {
    const pods = (lab.getJson<{ items: Pod[] }>(["get", "pods", "-n", ns])?.items ?? []).filter((p) => !p.metadata.deletionTimestamp);
    if (pods.length >= 2 && pods.every((p) => p.status.podIP && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"))) return pods;
    if (Date.now() > end) throw new Error(`pods of ${name} in ${ns} not Ready: ${JSON.stringify(pods.map((p) => [p.metadata.name, p.status]))}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** The query as the API server stores the template, with the placeholders the controller fills in. */
function storedQuery(kind: "analysistemplate" | "metrictemplate", ns: string, fill: Record<string, string>): string {
  const items = lab.getJson<{ items: any[] }>(["get", kind, "-n", ns])?.items ?? [];
  expect(items.length, `no ${kind} in ${ns}`).toBe(1);
  let q: string = kind === "analysistemplate" ? items[0].spec.metrics[0].provider.prometheus.query : items[0].spec.query;
  for (const [k, v] of Object.entries(fill)) q = q.split(k).join(v);
  return q;
}

const hashOf = (pods: Pod[]) => pods[0]!.metadata.labels!["rollouts-pod-template-hash"]!;
const serveAll = (repo: keyof typeof REPOS, pods: Pod[], ok: number, err: number) => pods.map((pod) => ({ repo, pod, ok, err }));

beforeAll(async () => {
  const miss = missingTools();
  if (miss.length) throw new Error(`the lab is not installed (missing: ${miss.join(", ")}): run bash scripts/install-lab.sh`);
  lab = await Lab.start();
  for (const [k, flags] of Object.entries(REPOS)) {
    const dir = join(work, `scrape-${k}`);
    created[k] = { dir, answers: createRepo(dir, flags).answers };
  }
  scrape = await PodScrape.for(lab);
});
afterAll(async () => {
  await lab?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("the canary analysis reads what Prometheus scrapes from the pods", () => {
  it("finds the pods through the API server, scrapes them where the service serves, and the chart's queries return the served success rate", async () => {
    const ok = await install("http", "scrape-ok");
    const fail = await install("http", "scrape-fail");
    const grpc = await install("grpc", "scrape-grpc");
    // Blue-green keeps Flagger's success-rate check off until a load test sends the new pods
    // requests (values.yaml); it is turned on here as docs/pipeline.md says, the lab serving the requests.
    const flagger = await install("flagger", "scrape-flagger", ["flagger.metrics.enabled=true"]);
    // Broken wiring: the annotations name another path than the service serves; no annotations.
    const badPath = await install("http", "scrape-badpath", ["metrics.path=/not-metrics"]);
    const noScrape = await install("http", "scrape-none", ["metrics.enabled=false"]);
    const served = [
      ...serveAll("http", ok, 10, 0),
      ...serveAll("http", fail, 1, 9),
      ...serveAll("grpc", grpc, 10, 0),
      ...serveAll("flagger", flagger, 10, 0),
      ...serveAll("http", badPath, 10, 0),
      ...serveAll("http", noScrape, 10, 0),
    ];
    scrape.serve(served.map((s) => ({ ...s, answers: created[s.repo]!.answers })));
    const figures: string[] = [];
    const expectValue = async (what: string, q: string, accept: (v: number) => boolean, ns: string, pods: Pod[]) => {
      const r = await scrape.queryUntil(q, accept, 60_000);
      figures.push(`${what}: ${r.value} after ${(r.ms / 1000).toFixed(1)} s`);
      expect(
        r.ok,
        `${what}: the query returned ${r.value}\n${q}\nscrape: ${await scrape.describe(
          ns,
          pods.map((p) => p.metadata.name),
        )}`,
      ).toBe(true);
      return r.value!;
    };
    const argoQuery = (ns: string, pods: Pod[]) => storedQuery("analysistemplate", ns, { "{{args.namespace}}": ns, "{{args.canary-hash}}": hashOf(pods) });
    expect(await expectValue("HTTP, every request succeeds", argoQuery("scrape-ok", ok), (v) => v === 1, "scrape-ok", ok)).toBe(1);
    const low = await expectValue("HTTP, 9 of 10 requests fail", argoQuery("scrape-fail", fail), (v) => Math.abs(v - 0.1) < 0.03, "scrape-fail", fail);
    expect(low).toBeLessThan(0.99);
    // The gRPC service serves on METRICS_PORT (its "metrics" port), not the gRPC port.
    expect(await expectValue("gRPC", argoQuery("scrape-grpc", grpc), (v) => v === 1, "scrape-grpc", grpc)).toBe(1);
    const grpcTargets = await scrape.targetsOf(
      "scrape-grpc",
      grpc.map((p) => p.metadata.name),
    );
    expect(grpcTargets.map((t) => new URL(t.scrapeUrl).port)).toEqual(grpc.map(() => "9464"));
    // Flagger's check: its MetricTemplate with {{ namespace }} and {{ target }} (the Deployment) filled in.
    const fq = storedQuery("metrictemplate", "scrape-flagger", { "{{ namespace }}": "scrape-flagger", "{{ target }}": String(created.flagger!.answers.name) });
    expect(await expectValue("Flagger, every request succeeds", fq, (v) => v === 100, "scrape-flagger", flagger)).toBe(100);
    // A target as the job labels it: up, with the pod labels the query filters on (- as _).
    const t = (await scrape.targetsOf("scrape-ok", [ok[0]!.metadata.name]))[0]!;
    expect(t.health).toBe("up");
    expect(t.labels.rollouts_pod_template_hash).toBe(hashOf(ok));
    expect(t.labels.app_kubernetes_io_instance).toBe(created.http!.answers.name);

    // What the query cannot see: a scrape annotation with the wrong path, none at all, and a
    // query whose label filters name labels the scrape does not give.
    const none = async (q: string) => (await scrape.queryUntil(q, () => true, 8_000)).value;
    const bp = await scrape.targetsOf(
      "scrape-badpath",
      badPath.map((p) => p.metadata.name),
    );
    expect(bp.length).toBe(badPath.length);
    expect(bp.every((x) => x.health === "down" && /404/.test(x.lastError))).toBe(true);
    expect(await none(argoQuery("scrape-badpath", badPath))).toBeUndefined();
    expect(
      await scrape.targetsOf(
        "scrape-none",
        noScrape.map((p) => p.metadata.name),
      ),
    ).toEqual([]);
    const nsQuery = argoQuery("scrape-none", noScrape);
    expect(await none(nsQuery)).toBeUndefined();
    const okQuery = argoQuery("scrape-ok", ok);
    expect(await none(okQuery.split("rollouts_pod_template_hash=").join("pod_template_hash="))).toBeUndefined();
    expect(await none(okQuery.split("namespace=").join("kubernetes_namespace="))).toBeUndefined();
    console.log(`scrape: ${figures.join("; ")}; bad path: ${bp[0]!.lastError}`);
  });
});
