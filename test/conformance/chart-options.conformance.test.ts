/**
 * The chart's traffic options and the Argo CD notifications, as a user meets them: what the chart
 * renders per environment with the real helm (NetworkPolicy, TLS on the production Ingress, the
 * Gateway API HTTPRoute), that the real validators accept it and reject what breaks it, and that
 * the notifications configuration is consistent with the Applications and with the promotion's
 * health gate. The pairwise cover (pack.conformance.test.ts) runs every combination of these
 * answers through the validators; this file checks what the objects say.
 *
 *   npx vitest run --config vitest.conformance.config.ts test/conformance/chart-options.conformance.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { helmLintAndTemplate, TOOLS_DIR, validateAll, validateK8sObjects } from "../support/validators.js";

async function generate(name: string, flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-chart-"), name);
  const r = await runCli(["create", dir, "--yes", "--name", name, "--owner", "acme", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

type Obj = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: any };

/**
 * helm lint --strict and helm template of one environment (values.yaml, values-<env>.yaml, then the
 * test's additions, merged as helm -f would), every object validated; returns them by kind.
 * An image tag is set so that the workload has pods.
 */
async function render(dir: string, name: string, env: string, extra: string[] = []): Promise<Record<string, Obj[]>> {
  const chart = join(dir, "charts", name);
  const layers = [readFileSync(join(chart, `values-${env}.yaml`), "utf8"), `image:\n  tag: "1.0.0"\n${extra.join("\n")}\n`];
  const merged = layers.map((l) => parseYaml(l) ?? {}).reduce(deepMerge, {});
  const f = join(tempDir("cp-values-"), `values-${env}.yaml`);
  writeFileSync(f, JSON.stringify(merged));
  const r = await helmLintAndTemplate(chart, [f], { releaseName: name, namespace: `${name}-${env}` });
  expect(r.findings, JSON.stringify(r.findings)).toEqual([]);
  const k = await validateK8sObjects(r.rendered);
  expect(k, JSON.stringify(k)).toEqual([]);
  const byKind: Record<string, Obj[]> = {};
  for (const d of r.rendered) {
    const o = d.object as Obj;
    (byKind[o.kind] ??= []).push(o);
  }
  return byKind;
}

function deepMerge(a: any, b: any): any {
  if (typeof a !== "object" || a === null || Array.isArray(a) || typeof b !== "object" || b === null || Array.isArray(b)) return b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? deepMerge(a[k], v) : v;
  return out;
}

describe("NetworkPolicy (default on)", () => {
  it("denies ingress except the namespace, the ingress controller on the service port and Prometheus on the metrics port", async () => {
    const dir = await generate("shop", [
      "--language",
      "node",
      "--ingress",
      "--ingress-host",
      "shop.example.com",
      "--ingress-namespace",
      "traefik",
      "--environments",
      "dev,prod",
      "--strategy",
      "canary",
      "--prometheus-address",
      "http://prom-server.observability.svc:9090",
      // Given, not guessed: the canary's analysis (and so the scrape) is on.
      "--metrics-path",
      "/metrics",
      "--request-metric",
      "http_requests_total{status}",
    ]);
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("networkPolicy: true");
    const objs = await render(dir, "shop", "prod");
    expect(objs.NetworkPolicy).toHaveLength(1);
    const np = objs.NetworkPolicy![0]!.spec;
    // every pod of the release, Flagger's or Argo Rollouts' too: the instance label
    expect(np.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/instance": "shop" } });
    expect(np.policyTypes).toEqual(["Ingress"]);
    const byNs = (ns: string) =>
      np.ingress.find((r: any) => r.from?.some((f: any) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === ns));
    expect(np.ingress[0]).toEqual({ from: [{ podSelector: {} }] });
    expect(byNs("traefik").ports).toEqual([{ protocol: "TCP", port: 3000 }]);
    // the canary analysis turns the scrape annotations on: Prometheus's namespace, from its address
    const deployment = (objs.Rollout ?? objs.Deployment)![0]!;
    expect(deployment.spec.template.metadata.annotations["prometheus.io/scrape"]).toBe("true");
    expect(byNs("observability").ports).toEqual([{ protocol: "TCP", port: 3000 }]);
    expect(np.ingress).toHaveLength(3);
    // the pods the policy selects are the workload's
    expect(deployment.spec.template.metadata.labels["app.kubernetes.io/instance"]).toBe("shop");
  });

  it("restrictEgress adds Egress with DNS only (plus extraEgress); --no-network-policy renders none", async () => {
    const dir = await generate("api", ["--language", "go", "--environments", "dev"]);
    const restricted = await render(dir, "api", "dev", [
      "networkPolicy:",
      "  restrictEgress: true",
      "  extraEgress:",
      "    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]",
      "      ports: [{protocol: TCP, port: 5432}]",
    ]);
    const np = restricted.NetworkPolicy![0]!.spec;
    expect(np.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(np.egress[0].ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    expect(np.egress[1].ports).toEqual([{ protocol: "TCP", port: 5432 }]);
    // without an Ingress or HTTPRoute nobody outside the namespace is let in, and metrics are off
    expect(np.ingress).toEqual([{ from: [{ podSelector: {} }] }]);

    const off = await generate("api", ["--language", "go", "--environments", "dev", "--no-network-policy"]);
    expect((await render(off, "api", "dev")).NetworkPolicy).toBeUndefined();
  });

  it("the values schema refuses a namespace that is not a DNS label (helm lint fails)", async () => {
    const dir = await generate("api", ["--language", "go", "--environments", "dev"]);
    const chart = join(dir, "charts", "api");
    const bad = join(chart, "bad.yaml");
    writeFileSync(bad, "networkPolicy:\n  fromNamespaces: [Ingress_NGINX]\n");
    const r = await helmLintAndTemplate(chart, [bad]);
    expect(r.findings.map((f) => f.message).join("\n")).toMatch(/fromNamespaces/);
  });
});

describe("NetworkPolicy behind a cloud load balancer that reaches the pods itself", () => {
  const ipBlocks = (np: any) =>
    np.ingress.filter((r: any) => r.from?.some((f: any) => f.ipBlock)).map((r: any) => ({ cidrs: r.from.map((f: any) => f.ipBlock.cidr), ports: r.ports }));
  const exposed = ["--language", "node", "--ingress", "--ingress-host", "shop.example.com", "--environments", "dev,prod"];

  it("GKE: lets in Google's load balancer and health-check ranges on the service port, no namespace guess", async () => {
    const dir = await generate("shop", [...exposed, "--cluster", "gke", "--gcp-project", "acme-prod-1"]);
    const answers = parseYaml(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8"));
    expect(answers.trafficSource).toBe("load-balancer");
    expect(answers.ingressNamespace).toBeUndefined();
    const np = (await render(dir, "shop", "prod")).NetworkPolicy![0]!.spec;
    expect(ipBlocks(np)).toEqual([{ cidrs: ["35.191.0.0/16", "130.211.0.0/22"], ports: [{ protocol: "TCP", port: 3000 }] }]);
    // no rule for an ingress-nginx namespace that does not exist on GKE
    expect(JSON.stringify(np)).not.toContain("ingress-nginx");
    const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    expect(docs).toContain("proxy-only");
    expect(docs).toContain("https://cloud.google.com/load-balancing/docs/firewall-rules");
  });

  it("EKS: off by default when exposed, and create says so; on, it needs the load balancer's CIDRs (exit 2 without them)", async () => {
    const dir = join(tempDir("cp-chart-"), "shop");
    const eks = [...exposed, "--cluster", "eks", "--aws-account-id", "123456789012"];
    const r = await runCli(["create", dir, "--yes", "--name", "shop", "--owner", "acme", ...eks]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("NetworkPolicy: off (DEFAULT on EKS with a load balancer)");
    expect(r.stdout).toContain("--load-balancer-cidrs");
    expect((await render(dir, "shop", "prod")).NetworkPolicy).toBeUndefined();
    expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8")).toContain("The NetworkPolicy is therefore **off**");

    const refused = await runCli(["create", join(tempDir("cp-chart-"), "shop"), "--yes", "--name", "shop", "--owner", "acme", ...eks, "--network-policy"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("missing required answer: loadBalancerCidrs");
    expect(refused.stderr).toContain("--load-balancer-cidrs");

    const on = await generate("shop", [...eks, "--network-policy", "--load-balancer-cidrs", "10.20.0.0/20, 10.20.16.0/20"]);
    const np = (await render(on, "shop", "prod")).NetworkPolicy![0]!.spec;
    expect(ipBlocks(np)).toEqual([{ cidrs: ["10.20.0.0/20", "10.20.16.0/20"], ports: [{ protocol: "TCP", port: 3000 }] }]);
  });

  it("proxies in the cluster (answered on GKE too) keep the namespace rule; a bad CIDR fails helm lint", async () => {
    const dir = await generate("shop", [
      ...exposed,
      "--cluster",
      "gke",
      "--gcp-project",
      "acme-prod-1",
      "--traffic-source",
      "proxy",
      "--ingress-namespace",
      "traefik",
    ]);
    const np = (await render(dir, "shop", "prod")).NetworkPolicy![0]!.spec;
    expect(ipBlocks(np)).toEqual([]);
    expect(np.ingress.some((r: any) => r.from?.some((f: any) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "traefik"))).toBe(true);
    const chart = join(dir, "charts", "shop");
    const bad = join(chart, "bad.yaml");
    writeFileSync(bad, "networkPolicy:\n  fromCidrs: [everywhere]\n");
    const r = await helmLintAndTemplate(chart, [bad]);
    expect(r.findings.map((f) => f.message).join("\n")).toMatch(/fromCidrs/);
  });
});

describe("GitOps dev,staging,prod: every environment before the last finishes by itself within the health gate", () => {
  const minutes = (d: string) => {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
    if (!m || d === "") throw new Error(`a pause without a duration waits for a person: '${d}'`);
    return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60;
  };
  /** The gate's default wait in the deploy job of `env` (before the next environment is promoted). */
  const gateMinutes = (dir: string, env: string) => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    const wait = wf.jobs[`deploy-${env}`].steps.find((x: any) => /^Wait for Argo CD/.test(x.name ?? ""));
    const m = /ARGOCD_HEALTH_WAIT_MINUTES \|\| '(\d+)'/.exec(wait.env.WAIT_MINUTES);
    return Number(m![1]);
  };
  // Argo CD polls git every 3 minutes; pods start and the notification is sent.
  const SYNC = 3 + 2;

  for (const [strategy, controller] of [
    ["canary", "argo-rollouts"],
    ["blue-green", "argo-rollouts"],
    ["canary", "flagger"],
    ["blue-green", "flagger"],
  ] as const) {
    it(`${controller} ${strategy}: staging completes unattended before the gate's wait runs out; prod still waits for a person or traffic`, async () => {
      const dir = await generate("shop", [
        "--language",
        "node",
        "--environments",
        "dev,staging,prod",
        "--strategy",
        strategy,
        "--progressive-delivery",
        controller,
        "--request-metric",
        "http_requests_total{status}",
        "--metrics-path",
        "/metrics",
      ]);
      for (const env of ["dev", "staging"]) {
        const objs = await render(dir, "shop", env);
        let needed: number;
        if (controller === "argo-rollouts") {
          const s = objs.Rollout![0]!.spec.strategy;
          if (strategy === "blue-green") {
            expect(s.blueGreen.autoPromotionEnabled, `${env} waits for a promotion`).toBe(true);
            needed = (s.blueGreen.autoPromotionSeconds ?? 0) / 60;
          } else {
            needed = s.canary.steps.filter((x: any) => "pause" in x).reduce((t: number, x: any) => t + minutes(x.pause.duration ?? ""), 0);
            if (env === "dev") expect(objs.AnalysisTemplate, "dev: without steady traffic the analysis is off").toBeUndefined();
            else {
              // with no traffic in staging, a measurement is inconclusive (never a success) and does
              // not pause the canary before its steps are done; a measured failure still aborts it
              const at = objs.AnalysisTemplate![0]!.spec.metrics[0];
              expect(at.successCondition, `${env}: an empty result passes`).toMatch(/^len\(result\) > 0 && !isNaN/);
              expect(at.failureCondition).toMatch(/^len\(result\) > 0 && !isNaN\(result\[0\]\) && result\[0\] < /);
              expect(at.inconclusiveLimit * minutes(at.interval), `${env}: empty measurements would pause the canary before its steps end`).toBeGreaterThan(
                needed,
              );
              // the metrics path is proven here: the first measurement comes before the steps end
              expect(minutes(at.initialDelay ?? "0s"), `${env}: the analysis would end before it measured`).toBeLessThan(needed);
            }
          }
        } else {
          const a = objs.Canary![0]!.spec.analysis;
          expect(a.metrics ?? [], `${env}: builtin metrics without traffic roll the release back`).toEqual([]);
          expect(a.webhooks ?? [], `${env}: a confirm-promotion webhook waits for a person`).toEqual([]);
          const steps = strategy === "blue-green" ? a.iterations : a.maxWeight / a.stepWeight;
          // initialisation, the steps, promotion and finalising, one interval each
          needed = (steps + 3) * minutes(a.interval);
        }
        if (env !== "dev") expect(needed + SYNC, `${env}: ${needed} min of rollout + ${SYNC} min of sync`).toBeLessThanOrEqual(gateMinutes(dir, "dev"));
        expect(needed + SYNC).toBeLessThanOrEqual(gateMinutes(dir, env));
      }
      // prod keeps its guards: a person promotes the blue-green switch; the analysis needs traffic
      const prod = await render(dir, "shop", "prod");
      if (controller === "argo-rollouts" && strategy === "blue-green") expect(prod.Rollout![0]!.spec.strategy.blueGreen.autoPromotionEnabled).toBe(false);
      if (controller === "argo-rollouts" && strategy === "canary") {
        const at = prod.AnalysisTemplate![0]!.spec.metrics[0];
        expect(at.successCondition).toMatch(/^len\(result\) > 0 && !isNaN/);
        expect(at.failureCondition).toMatch(/^len\(result\) > 0 && !isNaN/);
        expect(at.inconclusiveLimit).toBeLessThanOrEqual(3);
        // the new pods' rate has no series until they are scraped and the query's window has two
        // samples: with the community chart's 1m scrape interval, the first scrape (up to 1m) and
        // the window; measuring earlier spends the few inconclusive measurements prod tolerates
        const window = minutes(/\[(\w+)\]/.exec(at.provider.prometheus.query)![1]!);
        expect(minutes(at.initialDelay ?? "0s"), "prod: the first measurements would find no series").toBeGreaterThanOrEqual(window + 1);
      }
      if (controller === "flagger" && strategy === "canary") expect((prod.Canary![0]!.spec.analysis.metrics ?? []).length).toBeGreaterThan(0);
      if (controller === "flagger" && strategy === "blue-green") {
        // blue-green sends no production traffic to the new pods during the analysis: without a
        // load-test webhook the success rate has no series and every check fails
        const a = prod.Canary![0]!.spec.analysis;
        expect(a.webhooks ?? []).toEqual([]);
        expect(a.metrics ?? [], "prod: the success-rate check without a load test rolls every release back").toEqual([]);
        const withLoad = await render(dir, "shop", "prod", [
          "flagger:",
          "  metrics:",
          "    enabled: true",
          "  webhooks:",
          "    - name: load-test",
          "      type: rollout",
          "      url: http://flagger-loadtester.test/",
          "      metadata:",
          '        cmd: "hey -z 1m -q 5 -c 2 http://shop-canary.shop-prod/"',
        ]);
        expect(withLoad.Canary![0]!.spec.analysis.metrics.map((m: any) => m.name)).toEqual(["success-rate"]);
        expect(withLoad.MetricTemplate).toHaveLength(1);
      }
    });
  }
});

describe("TLS on the production Ingress", () => {
  it("prod serves HTTPS from <name>-tls issued by the cert-manager ClusterIssuer; dev stays plain HTTP", async () => {
    const dir = await generate("shop", [
      "--language",
      "node",
      "--ingress",
      "--ingress-host",
      "shop.example.com",
      "--environments",
      "dev,staging,prod",
      "--tls-issuer",
      "corp-acme",
    ]);
    const prod = (await render(dir, "shop", "prod")).Ingress![0]!;
    expect(prod.metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": "corp-acme" });
    expect(prod.spec.tls).toEqual([{ hosts: ["shop.example.com"], secretName: "shop-tls" }]);
    for (const env of ["dev", "staging"]) {
      const ing = (await render(dir, "shop", env)).Ingress![0]!;
      expect(ing.spec.tls).toBeUndefined();
      expect(ing.metadata.annotations).toBeUndefined();
      expect(ing.spec.rules[0].host).toBe(`${env}.shop.example.com`);
    }
    const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    expect(docs).toContain("a ClusterIssuer named `corp-acme`");
  });

  it("with no issuer the Secret is the user's: no cert-manager annotation, and the docs say how to create it", async () => {
    const dir = await generate("shop", [
      "--language",
      "node",
      "--ingress",
      "--ingress-host",
      "shop.example.com",
      "--environments",
      "dev,prod",
      "--tls-issuer",
      "",
    ]);
    const prod = (await render(dir, "shop", "prod")).Ingress![0]!;
    expect(prod.metadata.annotations).toBeUndefined();
    expect(prod.spec.tls).toEqual([{ hosts: ["shop.example.com"], secretName: "shop-tls" }]);
    expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8")).toContain("kubectl create secret tls shop-tls --namespace shop-prod");
  });

  it("an environment set without dev or prod puts TLS on its last environment", async () => {
    const dir = await generate("shop", ["--language", "node", "--ingress", "--ingress-host", "shop.example.com", "--environments", "staging"]);
    expect((await render(dir, "shop", "staging")).Ingress![0]!.spec.tls).toEqual([{ hosts: ["staging.shop.example.com"], secretName: "shop-tls" }]);
  });
});

describe("Gateway API HTTPRoute", () => {
  it("attaches each environment's host to the answered Gateway and routes to the Service; no Ingress", async () => {
    const dir = await generate("api", [
      "--language",
      "python",
      "--http-route",
      "--gateway-name",
      "public",
      "--gateway-namespace",
      "edge",
      "--ingress-host",
      "api.acme.dev",
      "--environments",
      "dev,prod",
      "--mode",
      "push",
    ]);
    const answers = parseYaml(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8"));
    // the NetworkPolicy lets the Gateway's namespace in by default
    expect(answers.ingressNamespace).toBe("edge");
    for (const [env, host] of [
      ["dev", "dev.api.acme.dev"],
      ["prod", "api.acme.dev"],
    ] as const) {
      const objs = await render(dir, "api", env);
      expect(objs.Ingress).toBeUndefined();
      const route = objs.HTTPRoute![0]!;
      expect(route.apiVersion).toBe("gateway.networking.k8s.io/v1");
      // prod (TLS) attaches only to the HTTPS listener: a plain HTTP listener of the Gateway never serves it
      const section = env === "prod" ? { sectionName: "https" } : {};
      expect(route.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "edge", ...section }]);
      expect(route.spec.hostnames).toEqual([host]);
      expect(route.spec.rules).toEqual([{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "api", port: 80 }] }]);
      const service = objs.Service!.find((s) => s.metadata.name === "api")!;
      expect(service.spec.ports[0].port).toBe(80);
      const np = objs.NetworkPolicy![0]!.spec;
      expect(np.ingress[1].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).toBe("edge");
    }
    // push mode: the deployers get the HTTPRoute rights the "edit" role lacks
    const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    expect(docs).toContain("--resource httproutes.gateway.networking.k8s.io");
    const v = await validateAll(dir);
    expect(v.total, JSON.stringify(v.findings)).toBe(0);
  });

  it("the Gateway API schemas catch what the CRD would refuse: a wrong path type, an unknown field", async () => {
    const dir = await generate("api", [
      "--language",
      "go",
      "--http-route",
      "--gateway-name",
      "public",
      "--gateway-namespace",
      "edge",
      "--ingress-host",
      "api.acme.dev",
      "--environments",
      "dev",
    ]);
    const chart = join(dir, "charts", "api");
    const bad = join(chart, "bad.yaml");
    writeFileSync(bad, 'image:\n  tag: "1"\nhttpRoute:\n  matches:\n    - path: {type: Prefix, value: /}\n');
    const r = await helmLintAndTemplate(chart, [bad], { releaseName: "api" });
    const route = r.rendered.filter((d) => (d.object as Obj).kind === "HTTPRoute");
    expect(route).toHaveLength(1);
    expect((await validateK8sObjects(route)).map((f) => f.message).join("\n")).toMatch(/HTTPRoute "api".*must be equal to one of the allowed values/);
    const typo = structuredClone(route[0]!);
    (typo.object as Obj).spec.rules[0].matches[0] = { path: { type: "PathPrefix", value: "/" } };
    (typo.object as Obj).spec.rules[0].backendRefs[0].prot = 80;
    expect((await validateK8sObjects([typo])).map((f) => `${f.tool}: ${f.message}`).join("\n")).toMatch(
      /kube-strict: .*unknown field "spec.rules\[0\].backendRefs\[0\].prot"/,
    );
  });

  it("asks for the Gateway when none is given (no guessed name), and an Ingress answer excludes the route", async () => {
    const missing = await runCli(["create", join(tempDir("cp-chart-"), "x"), "--yes", "--name", "x", "--owner", "acme", "--http-route"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--gateway-name");
    const both = await generate("web", ["--ingress", "--ingress-host", "web.acme.dev", "--environments", "dev"]);
    expect(readFileSync(join(both, ".create-pipeline.yaml"), "utf8")).not.toContain("httpRoute:");
  });
});

describe("a health path on a management port of its own (Spring Boot management.server.port, Quarkus's management interface)", () => {
  it("probes call it on a second container port; the Service and the helm test stay on the service port; metrics follow it", async () => {
    const dir = await generate("stock", [
      "--language",
      "java",
      "--build-tool",
      "maven",
      "--port",
      "8085",
      "--health-path",
      "/actuator/health",
      "--health-port",
      "9464",
      "--environments",
      "dev,prod",
    ]);
    const objs = await render(dir, "stock", "prod", ["metrics:\n  enabled: true"]);
    const pod = objs.Deployment![0]!.spec.template;
    const c = pod.spec.containers[0];
    expect(c.ports).toEqual([
      { name: "http", containerPort: 8085, protocol: "TCP" },
      { name: "management", containerPort: 9464, protocol: "TCP" },
    ]);
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"])
      expect(c[probe].httpGet, probe).toEqual({ path: "/actuator/health", port: "management" });
    // the Service exposes the service port only; the helm test checks that it accepts connections
    expect(objs.Service![0]!.spec.ports).toEqual([expect.objectContaining({ targetPort: "http" })]);
    const test = objs.Pod!.find((p) => p.metadata.name.endsWith("-test-connection"))!;
    expect(test.spec.containers[0].command).toEqual(["nc"]);
    // Actuator's Prometheus endpoint is on the management port too
    expect(pod.metadata.annotations["prometheus.io/port"]).toBe("9464");
    const np = objs.NetworkPolicy![0]!.spec;
    expect(JSON.stringify(np.ingress)).toContain('"port":9464');
    const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
    expect(dockerfile).toContain('CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:9464/actuator/health"]');
    expect(dockerfile).toMatch(/^EXPOSE 8085$/m);

    // set back to the service port (0), the chart is as before: one port, probes on it
    const same = await render(dir, "stock", "prod", ["healthPort: 0"]);
    const c0 = same.Deployment![0]!.spec.template.spec.containers[0];
    expect(c0.ports).toHaveLength(1);
    expect(c0.readinessProbe.httpGet.port).toBe("http");
    expect(same.Pod!.find((p) => p.metadata.name.endsWith("-test-connection"))!.spec.containers[0].command).toEqual(["wget"]);
  });
});

describe("liveness and readiness checks of their own (Spring Boot Actuator's groups, SmallRye Health's live and ready)", () => {
  it("the startup and liveness probes call livenessPath, the readiness probe readinessPath, on the management port; the helm test and HEALTHCHECK keep healthPath", async () => {
    const dir = await generate("stock", [
      "--language",
      "java",
      "--build-tool",
      "maven",
      "--port",
      "8085",
      "--health-path",
      "/actuator/health",
      "--health-port",
      "9464",
      "--liveness-path",
      "/actuator/health/liveness",
      "--readiness-path",
      "/actuator/health/readiness",
      "--environments",
      "dev,prod",
    ]);
    const c = (await render(dir, "stock", "prod")).Deployment![0]!.spec.template.spec.containers[0];
    expect(c.startupProbe.httpGet).toEqual({ path: "/actuator/health/liveness", port: "management" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/actuator/health/liveness", port: "management" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/actuator/health/readiness", port: "management" });
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain('http://127.0.0.1:9464/actuator/health"]');

    // Given as the health path (the default), the probes call the health path as before.
    const plain = await generate("plain", ["--language", "node", "--health-path", "/healthz", "--environments", "dev"]);
    expect(readFileSync(join(plain, ".create-pipeline.yaml"), "utf8")).toContain("livenessPath: /healthz");
    const p = (await render(plain, "plain", "dev")).Deployment![0]!.spec.template.spec.containers[0];
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(p[probe].httpGet.path, probe).toBe("/healthz");
  });
});

describe("a gRPC server's metrics on an HTTP port of their own", () => {
  it("the pods get a metrics container port and METRICS_PORT, which the scrape annotation and the NetworkPolicy follow; the gRPC port is refused", async () => {
    const dir = await generate("ledger", [
      "--language",
      "go",
      "--protocol",
      "grpc",
      "--port",
      "8080",
      "--strategy",
      "canary",
      "--progressive-delivery",
      "argo-rollouts",
      "--canary-analysis",
      "--request-metric",
      "grpc_server_handled_total{grpc_code}",
      "--environments",
      "dev,prod",
      "--prometheus-address",
      "http://prom-server.observability.svc:9090",
    ]);
    const objs = await render(dir, "ledger", "prod");
    const pod = objs.Rollout![0]!.spec.template;
    const c = pod.spec.containers[0];
    expect(c.ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "metrics", containerPort: 9464, protocol: "TCP" },
    ]);
    expect(c.env).toContainEqual({ name: "METRICS_PORT", value: "9464" });
    // the probes stay on the gRPC port
    expect(c.readinessProbe.tcpSocket ?? c.readinessProbe.grpc).toBeDefined();
    expect(pod.metadata.annotations["prometheus.io/port"]).toBe("9464");
    const np = objs.NetworkPolicy![0]!.spec;
    const prom = np.ingress.find((r: any) => JSON.stringify(r.from).includes('"observability"'));
    expect(prom.ports).toEqual([{ protocol: "TCP", port: 9464 }]);
    // the Service exposes the gRPC port only
    expect(objs.Service!.flatMap((s) => s.spec.ports.map((p: any) => p.targetPort))).not.toContain("metrics");
    expect(readFileSync(join(dir, "docs", "pipeline.md"), "utf8")).toContain("`METRICS_PORT` variable (`metrics.port` in `values.yaml`, by default\n9464");

    // another port moves all three
    const moved = await render(dir, "ledger", "prod", ["metrics:\n  port: 9100"]);
    const m = moved.Rollout![0]!.spec.template;
    expect(m.spec.containers[0].ports[1]).toEqual({ name: "metrics", containerPort: 9100, protocol: "TCP" });
    expect(m.metadata.annotations["prometheus.io/port"]).toBe("9100");
    expect(JSON.stringify(moved.NetworkPolicy![0]!.spec.ingress)).toContain('"port":9100');

    // the gRPC port itself, or 0 (which meant the service port), is refused with what to set
    const chart = join(dir, "charts", "ledger");
    for (const [bad, msg] of [
      [
        "metrics:\n  port: 8080\nimage:\n  tag: v1\n",
        /metrics\.port is 8080, the gRPC port .*Set metrics\.port to the port of the service's HTTP metrics server/,
      ],
      ["metrics:\n  port: 0\n", /metrics\/port.*minimum/],
    ] as const) {
      const f = join(tempDir("cp-values-"), "bad.yaml");
      writeFileSync(f, bad);
      const r = await helmLintAndTemplate(chart, [f]);
      expect(r.findings.map((x) => x.message).join("\n")).toMatch(msg);
    }
  });

  it("an HTTP service keeps its metrics on the service port: no second port", async () => {
    const dir = await generate("cart", [
      "--language",
      "node",
      "--strategy",
      "canary",
      "--progressive-delivery",
      "argo-rollouts",
      "--canary-analysis",
      "--request-metric",
      "http_requests_total{status}",
      "--environments",
      "prod",
    ]);
    const objs = await render(dir, "cart", "prod");
    const pod = objs.Rollout![0]!.spec.template;
    expect(pod.spec.containers[0].ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(pod.spec.containers[0].env.map((e: any) => e.name)).not.toContain("METRICS_PORT");
    expect(pod.metadata.annotations["prometheus.io/port"]).toBe("3000");
  });

  it("an HTTP service whose metrics server has a port of its own (--metrics-port): declared, scraped and let through there", async () => {
    const dir = await generate("feed", [
      "--language",
      "go",
      "--port",
      "8080",
      "--metrics-port",
      "9090",
      "--strategy",
      "canary",
      "--progressive-delivery",
      "argo-rollouts",
      "--request-metric",
      "http_requests_total{code}",
      "--metrics-path",
      "/metrics",
      "--environments",
      "prod",
    ]);
    const objs = await render(dir, "feed", "prod");
    const pod = objs.Rollout![0]!.spec.template;
    expect(pod.spec.containers[0].ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "metrics", containerPort: 9090, protocol: "TCP" },
    ]);
    expect(pod.metadata.annotations["prometheus.io/port"]).toBe("9090");
    expect(JSON.stringify(objs.NetworkPolicy![0]!.spec.ingress)).toContain('"port":9090');
    // the Service keeps the service port only
    expect(objs.Service!.flatMap((x) => x.spec.ports.map((p: any) => p.targetPort))).not.toContain("metrics");
    const q = objs.AnalysisTemplate![0]!.spec.metrics[0].provider.prometheus.query;
    expect(q).toContain('http_requests_total{namespace="{{args.namespace}}", rollouts_pod_template_hash="{{args.canary-hash}}",code!~"5.."}');
  });
});

describe("pod defaults from the review", () => {
  it("spreads the pods over zones then nodes without ever blocking scheduling, and injects no Service links; explicit constraints replace the default", async () => {
    const dir = await generate("shop", ["--language", "node", "--environments", "dev,prod"]);
    const pod = (await render(dir, "shop", "prod")).Deployment![0]!.spec.template.spec;
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.topologySpreadConstraints).toEqual(
      ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "app.kubernetes.io/instance": "shop" } },
      })),
    );
    const own = (
      await render(dir, "shop", "prod", [
        "topologySpreadConstraints:",
        "  - {maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: x}}}",
      ])
    ).Deployment![0]!.spec.template.spec;
    expect(own.topologySpreadConstraints).toHaveLength(1);
    expect(own.topologySpreadConstraints[0].maxSkew).toBe(2);
    const off = (await render(dir, "shop", "prod", ["topologySpread:", "  enabled: false"])).Deployment![0]!.spec.template.spec;
    expect(off.topologySpreadConstraints).toBeUndefined();
  });
});

describe("Argo CD notifications", () => {
  const load = (dir: string) => {
    const cm = parseYaml(readFileSync(join(dir, "deploy/argocd/notifications/argocd-notifications-cm.yaml"), "utf8"));
    const data = cm.data as Record<string, string>;
    const triggers = Object.fromEntries(
      Object.entries(data)
        .filter(([k]) => k.startsWith("trigger."))
        .map(([k, v]) => [k.slice(8), parseYaml(v)]),
    );
    const templates = Object.fromEntries(
      Object.entries(data)
        .filter(([k]) => k.startsWith("template."))
        .map(([k, v]) => [k.slice(9), parseYaml(v)]),
    );
    const services = Object.keys(data)
      .filter((k) => k.startsWith("service."))
      .map((k) => k.replace(/^service\.(webhook\.)?/, ""));
    return { cm, triggers, templates, services };
  };

  for (const [channel, flags] of [
    ["none", []],
    ["slack", ["--argocd-notify", "slack", "--argocd-slack-channel", "shop-alerts"]],
    ["webhook", ["--argocd-notify", "webhook"]],
  ] as const) {
    it(`${channel}: every subscription names a trigger and a configured service, every trigger's templates exist`, async () => {
      const dir = await generate("shop", ["--environments", "dev,staging,prod", ...flags]);
      const { cm, triggers, templates, services } = load(dir);
      const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
      expect(cm.metadata).toEqual({ name: "argocd-notifications-cm", namespace: "argocd" });
      for (const [name, conds] of Object.entries(triggers)) {
        for (const c of conds as { when: string; send: string[] }[]) {
          expect(c.when, name).toMatch(/\S/);
          for (const t of c.send) expect(Object.keys(templates), `${name} sends ${t}`).toContain(t);
        }
      }
      for (const env of ["dev", "staging", "prod"]) {
        const app = parseYaml(readFileSync(join(dir, `deploy/argocd/${env}.yaml`), "utf8"));
        const subs = Object.entries(app.metadata.annotations as Record<string, string>).filter(([k]) => k.startsWith("notifications.argoproj.io/subscribe."));
        expect(subs.length).toBeGreaterThanOrEqual(3);
        for (const [k, recipient] of subs) {
          const [, trigger, service] = /^notifications\.argoproj\.io\/subscribe\.([^.]+)\.(.+)$/.exec(k)!;
          expect(Object.keys(triggers), k).toContain(trigger);
          // Every service is set by the setup commands (docs/pipeline.md), once per Argo CD and kept
          // when there: service.github, service.slack, service.webhook.<name>. The file applied
          // with --force-conflicts holds none.
          expect(services, k).toEqual([]);
          expect(docs, k).toContain(`jsonpath='{.data.service\\.${service === "slack" || service === "github" ? service : `webhook\\.${service}`}}'`);
          if (service === "slack") expect(recipient).toBe("shop-alerts");
          // each template has the part the subscribed service reads
          for (const t of (triggers[trigger!] as { send: string[] }[]).flatMap((c) => c.send))
            expect(Object.keys(templates[t] as object), `${t} for ${service}`).toContain(
              service === "slack" ? "message" : service === "github" ? "github" : "webhook",
            );
        }
      }
      expect(services).toEqual([]);
    });
  }

  it("the status label is the context the next environment's promotion waits for: success when deployed, failure otherwise", async () => {
    const dir = await generate("shop", ["--environments", "dev,prod"]);
    const { templates, triggers } = load(dir);
    const delivery = readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8");
    expect(delivery).toContain('context="argocd/${APPLICATION}"');
    expect(delivery).toMatch(/APPLICATION: shop-dev\b/);
    const states = Object.fromEntries(
      Object.entries(triggers).map(([name, conds]) => {
        const t = templates[(conds as { send: string[] }[])[0]!.send[0]!] as { github: { status: { state: string; label: string } } };
        expect(t.github.status.label).toBe("argocd/{{.app.metadata.name}}");
        return [name, t.github.status.state];
      }),
    );
    // The same on the config repository's commit (a separate config repository's Applications).
    expect(states).toEqual({
      "pipeline-on-deployed": "success",
      "pipeline-on-sync-failed": "failure",
      "pipeline-on-health-degraded": "failure",
      "pipeline-config-on-deployed": "success",
      "pipeline-config-on-sync-failed": "failure",
      "pipeline-config-on-health-degraded": "failure",
    });
    const app = parseYaml(readFileSync(join(dir, "deploy/argocd/dev.yaml"), "utf8"));
    expect(app.metadata.name).toBe("shop-dev");
  });

  describe("run by Argo CD's notifications engine against an Application's states", () => {
    const engine = join(TOOLS_DIR, "bin", "argocd-trigger");
    const OLD = "1".repeat(40);
    const NEW = "2".repeat(40);
    /**
     * The trigger run as Argo CD's notifications controller runs it (its triggers package): whether
     * it fires and, when it does, the commit its GitHub status goes to (the template's revisionPath).
     */
    const fire = (dir: string, trigger: string, status: object) => {
      const { triggers, templates } = load(dir);
      const conds = triggers[trigger] as { send: string[] }[];
      const template = templates[conds[0]!.send[0]!] as { github: { revisionPath: string } };
      const r = spawnSync(engine, [], {
        input: JSON.stringify({ triggers, trigger, app: { metadata: { name: "shop-dev" }, status }, render: [template.github.revisionPath] }),
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { results: { triggered: boolean }[]; rendered: string[] };
      return out.results.some((x) => x.triggered) ? out.rendered[0] : undefined;
    };
    const synced = (revision: string, health: string) => ({
      health: { status: health },
      sync: { status: "Synced", revision },
      operationState: { phase: "Succeeded", operation: { sync: { revision } }, syncResult: { revision } },
    });

    it("health-degraded reports a revision only once Argo CD has synced it, and on that revision", async () => {
      expect(existsSync(engine), "argocd-trigger is built by scripts/install-tools.sh").toBe(true);
      const dir = await generate("shop", ["--environments", "dev,prod"]);
      const degraded = (status: object) => fire(dir, "pipeline-on-health-degraded", status);
      // The previous revision is Degraded; the promotion commit NEW is seen but not synced yet.
      expect(degraded({ ...synced(OLD, "Degraded"), sync: { status: "OutOfSync", revision: NEW } })).toBeUndefined();
      // Its sync is running.
      expect(
        degraded({
          ...synced(OLD, "Degraded"),
          sync: { status: "OutOfSync", revision: NEW },
          operationState: { phase: "Running", operation: { sync: { revision: NEW } } },
        }),
      ).toBeUndefined();
      // NEW synced and Degraded: failure on NEW.
      expect(degraded(synced(NEW, "Degraded"))).toBe(NEW);
      // A later commit that does not change this application (it stays Synced): the failure goes to
      // the revision that was synced, never to one that was not.
      expect(degraded({ ...synced(OLD, "Degraded"), sync: { status: "Synced", revision: NEW } })).toBe(OLD);
      expect(degraded(synced(NEW, "Healthy"))).toBeUndefined();
      // The success the promotion waits for: NEW synced and Healthy, on NEW.
      expect(fire(dir, "pipeline-on-deployed", synced(NEW, "Healthy"))).toBe(NEW);
      expect(fire(dir, "pipeline-on-deployed", { ...synced(OLD, "Healthy"), sync: { status: "OutOfSync", revision: NEW } })).toBeUndefined();
    });

    it("an Application with two sources (chart here, values in a config repository) reports once per pair of revisions, not once ever", async () => {
      const dir = await generate("shop", ["--environments", "dev,prod", "--argocd-notify", "webhook"]);
      const { triggers, templates } = load(dir);
      /** The key the notifications controller remembers a sent notification by (empty: none, the trigger re-arms only when its condition turns false). */
      const oncePer = (trigger: string, status: object, render: string[] = []) => {
        const r = spawnSync(engine, [], {
          input: JSON.stringify({ triggers, trigger, app: { metadata: { name: "shop-dev" }, status }, render }),
          encoding: "utf8",
        });
        expect(r.status, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as { results: { triggered: boolean; oncePer: string }[]; rendered: string[] };
        expect(
          out.results.some((x) => x.triggered),
          `${trigger} fires`,
        ).toBe(true);
        return { key: out.results[0]!.oncePer, rendered: out.rendered };
      };
      const CONFIG1 = "3".repeat(40);
      const CONFIG2 = "4".repeat(40);
      // As Argo CD writes a two-source Application: `revision` is "" in the sync result (not
      // omitted), absent from the operation and the sync status; `revisions` has one per source.
      const twoSources = (config: string, health: string, phase = "Succeeded") => ({
        health: { status: health },
        sync: { status: "Synced", revisions: [OLD, config] },
        operationState: {
          phase,
          message: "one or more objects failed to apply",
          operation: { sync: { revisions: [OLD, config] } },
          syncResult: { revision: "", revisions: [OLD, config] },
        },
      });
      for (const trigger of ["pipeline-on-health-degraded", "pipeline-on-sync-failed", "pipeline-on-deployed"]) {
        const health = trigger === "pipeline-on-deployed" ? "Healthy" : "Degraded";
        const phase = trigger === "pipeline-on-sync-failed" ? "Failed" : "Succeeded";
        const first = oncePer(trigger, twoSources(CONFIG1, health, phase)).key;
        const second = oncePer(trigger, twoSources(CONFIG2, health, phase)).key;
        // A promotion to the config repository is a new key: its failure is reported too.
        expect(first, trigger).toContain(CONFIG1);
        expect(second, trigger).toContain(CONFIG2);
        expect(second, trigger).not.toBe(first);
        // One source: the key is still the commit itself (what the controller already recorded).
        const one = oncePer(trigger, {
          ...synced(NEW, health),
          operationState: { ...synced(NEW, health).operationState, phase },
        }).key;
        expect(one, trigger).toBe(NEW);
      }
      // What the webhook and the message say: the revisions synced, not an empty revision.
      const hook = templates["pipeline-app-health-degraded"] as { message: string; webhook: { "pipeline-events": { body: string } } };
      const { rendered } = oncePer("pipeline-on-health-degraded", twoSources(CONFIG2, "Degraded"), [
        hook.message,
        // The controller adds .context (Argo CD's URL); the engine here runs with the Application only.
        hook.webhook["pipeline-events"].body.replaceAll("{{.context.argocdUrl}}", "https://argocd.example"),
      ]);
      expect(rendered[0]).toBe(`shop-dev is Degraded at ${OLD} ${CONFIG2}.`);
      expect(JSON.parse(rendered[1]!).revision).toBe(`${OLD} ${CONFIG2}`);
      const failed = templates["pipeline-app-sync-failed"] as { message: string };
      expect(oncePer("pipeline-on-sync-failed", twoSources(CONFIG2, "Degraded", "Failed"), [failed.message]).rendered[0]).toContain(`at ${OLD} ${CONFIG2}:`);
      expect(oncePer("pipeline-on-health-degraded", synced(NEW, "Degraded"), [hook.message]).rendered[0]).toBe(`shop-dev is Degraded at ${NEW}.`);
    });
  });

  it("several repositories share one Argo CD: every answer and every name writes the same triggers and templates (no server-side apply conflict)", async () => {
    const shared = async (name: string, flags: string[]) => {
      const { cm } = load(await generate(name, ["--environments", "dev", ...flags]));
      return Object.fromEntries(Object.entries(cm.data as Record<string, string>).filter(([k]) => !k.startsWith("service.")));
    };
    const a = await shared("cart", []);
    expect(Object.keys(a).sort()).toEqual([
      "template.pipeline-app-deployed",
      "template.pipeline-app-health-degraded",
      "template.pipeline-app-sync-failed",
      "template.pipeline-config-app-deployed",
      "template.pipeline-config-app-health-degraded",
      "template.pipeline-config-app-sync-failed",
      "trigger.pipeline-config-on-deployed",
      "trigger.pipeline-config-on-health-degraded",
      "trigger.pipeline-config-on-sync-failed",
      "trigger.pipeline-on-deployed",
      "trigger.pipeline-on-health-degraded",
      "trigger.pipeline-on-sync-failed",
    ]);
    expect(await shared("orders", ["--argocd-notify", "webhook"])).toEqual(a);
    expect(await shared("billing", ["--argocd-notify", "slack", "--argocd-slack-channel", "billing"])).toEqual(a);
  });

  it("push mode has no Argo CD and no notifications file", async () => {
    const dir = await generate("shop", ["--mode", "push", "--environments", "dev"]);
    expect(() => readFileSync(join(dir, "deploy/argocd/notifications/argocd-notifications-cm.yaml"))).toThrow();
    expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).not.toContain("argocdNotify");
  });
});

describe("a JVM framework listens on the chart's containerPort", () => {
  type Env = { name: string; value?: string }[];
  const envOf = (objs: Record<string, Obj[]>): Env => objs.Deployment![0]!.spec.template.spec.containers[0].env;
  const dockerEnv = (dir: string) => /^FROM \S+ AS runtime\n(?:#.*\n)*ENV ((?:.*\\\n)*.*)$/m.exec(readFileSync(join(dir, "Dockerfile"), "utf8"))?.[1];

  it("Spring Boot on a port other than 8080 gets SERVER_PORT, Quarkus QUARKUS_HTTP_PORT, Micronaut MICRONAUT_SERVER_PORT, next to PORT; a value of env wins", async () => {
    for (const [flags, variable] of [
      [["--java-packaging", "spring-boot"], "SERVER_PORT"],
      [["--java-packaging", "quarkus"], "QUARKUS_HTTP_PORT"],
      [["--java-packaging", "application", "--java-framework", "micronaut"], "MICRONAUT_SERVER_PORT"],
      [["--java-packaging", "jar", "--java-framework", "micronaut"], "MICRONAUT_SERVER_PORT"],
    ] as const) {
      const dir = await generate("shop", ["--language", "java", ...flags, "--port", "9090", "--environments", "dev"]);
      const env = envOf(await render(dir, "shop", "dev"));
      expect(env.filter((e) => /PORT$/.test(e.name))).toEqual([
        { name: "PORT", value: "9090" },
        { name: variable, value: "9090" },
      ]);
      // containerPort moved in an environment's values: the framework follows it.
      expect(envOf(await render(dir, "shop", "dev", ["containerPort: 7070"])).find((e) => e.name === variable)!.value).toBe("7070");
      // The team's own value of the variable is the only one the pod gets.
      const own = envOf(await render(dir, "shop", "dev", ["env:", `  ${variable}: "7000"`]));
      expect(own.filter((e) => e.name === variable)).toEqual([{ name: variable, value: "7000" }]);
      // The image alone (docker run) listens where its health check and EXPOSE say.
      expect(dockerEnv(dir)).toBe(`PORT=9090 \\\n    ${variable}=9090`);
      // The generated guide says which variable the pods get.
      expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8")).toMatch(new RegExp(`\\| Port variables \\| the pods get \`PORT\` and \`${variable}\``));
    }
  });

  it("a plain jar, the application plugin and a gRPC Spring Boot server get PORT only", async () => {
    for (const flags of [
      ["--java-packaging", "jar"],
      ["--java-packaging", "application"],
      ["--java-packaging", "spring-boot", "--protocol", "grpc"],
    ]) {
      const dir = await generate("shop", ["--language", "java", ...flags, "--port", "9090", "--environments", "dev"]);
      const env = envOf(await render(dir, "shop", "dev"));
      expect(
        env.filter((e) => /PORT$/.test(e.name)).map((e) => e.name),
        flags.join(" "),
      ).toEqual(["PORT"]);
      expect(dockerEnv(dir), flags.join(" ")).toBe("PORT=9090");
    }
  });
});
