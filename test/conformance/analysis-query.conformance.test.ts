/**
 * The canary's success-rate query, run by the real promtool (`promtool test rules`) on series
 * shaped as each metrics library exports them and as an annotation-based scrape labels them
 * (namespace, pod, and the pod labels: rollouts_pod_template_hash). The query must read the
 * request metric the service exports (requestMetric), count only the new version's pods, give the
 * ratio of non-failing requests, and return nothing (inconclusive, never a success) when the new
 * version has no requests.
 *
 * promtool comes with the lab's tools (scripts/install-lab.sh: .tools/lab/bin), or from PATH;
 * without it these tests are reported as skipped.
 *
 *   npx vitest run --config vitest.conformance.config.ts test/conformance/analysis-query.conformance.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { helmLintAndTemplate } from "../support/validators.js";
import { REPO } from "./combinations.js";

function findPromtool(): string | undefined {
  const lab = join(process.env.LAB_TOOLS ?? join(REPO, ".tools", "lab"), "bin", "promtool");
  if (existsSync(lab)) return lab;
  const r = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}
const PROMTOOL = findPromtool();

async function create(flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-query-"), "shop");
  const r = await runCli(["create", dir, "--yes", "--name", "shop", "--owner", "acme", "--environments", "prod", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

/** The chart's values with the canary analysis on (it needs the metrics path: none is detected here). */
async function values(flags: string[]): Promise<any> {
  return readValues(await create([...flags, "--metrics-path", "/metrics", "--canary-analysis"]));
}

const readValues = (dir: string): any => parseYaml(readFileSync(join(dir, "charts", "shop", "values.yaml"), "utf8"));

/** The objects helm renders from the chart for prod (values.yaml, values-prod.yaml and an image tag), by kind. */
async function rendered(dir: string): Promise<Record<string, any>> {
  const prod = parseYaml(readFileSync(join(dir, "charts", "shop", "values-prod.yaml"), "utf8")) ?? {};
  const file = join(tempDir("cp-query-values-"), "values-prod.yaml");
  writeFileSync(file, JSON.stringify({ ...prod, image: { ...prod.image, tag: "1.0.0" } }));
  const r = await helmLintAndTemplate(join(dir, "charts", "shop"), [file], { releaseName: "shop", namespace: "shop-prod" });
  expect(r.findings, JSON.stringify(r.findings)).toEqual([]);
  return Object.fromEntries(r.rendered.map((d) => [(d.object as { kind: string }).kind, d.object]));
}

type Series = { series: string; values: string };

/** Runs `query` over `series` with promtool and checks the value at 5m (undefined: no result). */
function promtoolTest(query: string, series: Series[], expected: number | undefined): { ok: boolean; output: string } {
  const dir = tempDir("cp-promtool-");
  writeFileSync(join(dir, "rules.yml"), "groups: []\n");
  const test = {
    rule_files: ["rules.yml"],
    evaluation_interval: "1m",
    tests: [
      {
        interval: "15s",
        input_series: series,
        promql_expr_test: [{ expr: query, eval_time: "5m", exp_samples: expected === undefined ? [] : [{ labels: "{}", value: expected }] }],
      },
    ],
  };
  writeFileSync(join(dir, "test.yml"), stringify(test));
  const r = spawnSync(PROMTOOL!, ["test", "rules", join(dir, "test.yml")], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}\n${r.stderr}` };
}

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;

// As the libraries export them (the status label's values included) — one class each.
const classes = [
  { what: "express-prom-bundle (Node)", metric: "http_request_duration_seconds_count{status_code}", ok: "200", err: "503", flags: ["--language", "node"] },
  { what: "prometheus-fastapi-instrumentator (grouped status)", metric: "http_requests_total{status}", ok: "2xx", err: "5xx", flags: ["--language", "python"] },
  { what: "prometheus-flask-exporter", metric: "flask_http_request_total{status}", ok: "200", err: "500", flags: ["--language", "python"] },
  { what: "Spring Boot Micrometer", metric: "http_server_requests_seconds_count{status}", ok: "200", err: "500", flags: ["--language", "java"] },
  { what: "client_golang promhttp counter", metric: "http_requests_total{code}", ok: "200", err: "502", flags: ["--language", "go"] },
  {
    what: "gRPC interceptors",
    metric: "grpc_server_handled_total{grpc_code}",
    ok: "OK",
    err: "Unavailable",
    flags: ["--language", "go", "--protocol", "grpc"],
  },
];

describe.skipIf(PROMTOOL === undefined)("the canary analysis query on the real promtool", () => {
  for (const c of classes) {
    it(`Argo Rollouts, ${c.what}: the new version's share of good requests; nothing when it has none`, async () => {
      const v = await values([...c.flags, "--strategy", "canary", "--progressive-delivery", "argo-rollouts", "--request-metric", c.metric]);
      const [, name, label] = /^([^{]+)\{([^}]+)\}$/.exec(c.metric)!;
      const query = (v.analysis.query as string).replaceAll("{{args.namespace}}", "shop-prod").replaceAll("{{args.canary-hash}}", "new1");
      const pod = (hash: string, status: string, n = 1) => ({
        series: `${name}${labels({ namespace: "shop-prod", pod: `shop-${hash}-p${n}`, rollouts_pod_template_hash: hash, [label!]: status })}`,
        values: "",
      });
      // the new version: 9 good for 1 failing request; the stable version fails every request,
      // another namespace too: neither may count
      const series: Series[] = [
        { ...pod("new1", c.ok), values: "0+9x40" },
        { ...pod("new1", c.err, 2), values: "0+1x40" },
        { ...pod("old1", c.err), values: "0+10x40" },
        { series: pod("new1", c.err).series.replace("shop-prod", "other"), values: "0+50x40" },
      ];
      const good = promtoolTest(query, series, 0.9);
      expect(good.ok, good.output).toBe(true);
      // what the query read before: the metric the service does not export finds nothing
      const wrong = promtoolTest(query.replaceAll(name!, "not_exported_total"), series, 0.9);
      expect(wrong.ok, "a query on another metric must not find these series").toBe(false);
      // no requests on the new version: no result, which the AnalysisTemplate takes as inconclusive
      const none = promtoolTest(query, series.slice(2), undefined);
      expect(none.ok, none.output).toBe(true);
    });
  }

  it("Flagger: the new version's percentage of good requests, the primary's pods left out", async () => {
    const v = await values([
      "--language",
      "node",
      "--strategy",
      "canary",
      "--progressive-delivery",
      "flagger",
      "--request-metric",
      "http_requests_total{status}",
    ]);
    const query = (v.flagger.metrics.query as string).replaceAll("{{ namespace }}", "shop-prod").replaceAll("{{ target }}", "shop");
    const s = (pod: string, status: string, values: string) => ({
      series: `http_requests_total${labels({ namespace: "shop-prod", pod, status })}`,
      values,
    });
    const series = [s("shop-7c9f8-abcde", "200", "0+19x40"), s("shop-7c9f8-fghij", "500", "0+1x40"), s("shop-primary-5d6e7-klmno", "500", "0+20x40")];
    const r = promtoolTest(query, series, 95);
    expect(r.ok, r.output).toBe(true);
    const none = promtoolTest(query, series.slice(2), undefined);
    expect(none.ok, none.output).toBe(true);
  });

  it("one success criterion for both controllers: the pack's SLO, as a ratio for Argo Rollouts and a percentage for Flagger", async () => {
    const slo = (parseYaml(readFileSync(join(REPO, "templates", "pipeline", "data", "canary.yaml"), "utf8")) as { successRatePercent: number })
      .successRatePercent;
    const flags = [
      "--language",
      "node",
      "--strategy",
      "canary",
      "--request-metric",
      "http_requests_total{status}",
      "--metrics-path",
      "/metrics",
      "--canary-analysis",
    ];
    const argoDir = await create([...flags, "--progressive-delivery", "argo-rollouts"]);
    const flaggerDir = await create([...flags, "--progressive-delivery", "flagger"]);
    // What each controller compares, as the chart renders it (helm template of prod).
    const analysis = (await rendered(argoDir)).AnalysisTemplate.spec.metrics[0];
    const argoMin = Number(/result\[0\] >= ([0-9.]+)$/.exec(analysis.successCondition)![1]);
    expect(analysis.failureCondition).toContain(`result[0] < ${argoMin}`);
    const flaggerMin = (await rendered(flaggerDir)).Canary.spec.analysis.metrics[0].thresholdRange.min as number;
    expect(argoMin).toBe(slo / 100);
    expect(flaggerMin).toBe(slo);
    // The same requests give each controller the same verdict: each query (run by promtool) on a
    // new version with `good` requests succeeding for every `bad` one failing, against that controller's minimum.
    const argoQuery = (readValues(argoDir).analysis.query as string).replaceAll("{{args.namespace}}", "shop-prod").replaceAll("{{args.canary-hash}}", "new1");
    const flaggerQuery = (readValues(flaggerDir).flagger.metrics.query as string).replaceAll("{{ namespace }}", "shop-prod").replaceAll("{{ target }}", "shop");
    for (const [good, bad] of [
      [9, 1],
      [49, 1],
      [99, 1],
      [199, 1],
      [1, 0],
    ]) {
      const argoSeries = [
        {
          series: `http_requests_total${labels({ namespace: "shop-prod", pod: "shop-new1-a", rollouts_pod_template_hash: "new1", status: "200" })}`,
          values: `0+${good}x40`,
        },
        {
          series: `http_requests_total${labels({ namespace: "shop-prod", pod: "shop-new1-b", rollouts_pod_template_hash: "new1", status: "500" })}`,
          values: `0+${bad}x40`,
        },
      ];
      const flaggerSeries = [
        { series: `http_requests_total${labels({ namespace: "shop-prod", pod: "shop-7c9f8-abcde", status: "200" })}`, values: `0+${good}x40` },
        { series: `http_requests_total${labels({ namespace: "shop-prod", pod: "shop-7c9f8-fghij", status: "500" })}`, values: `0+${bad}x40` },
      ];
      const ratio = good / (good + bad!);
      const a = promtoolTest(argoQuery, argoSeries, ratio);
      expect(a.ok, a.output).toBe(true);
      const f = promtoolTest(flaggerQuery, flaggerSeries, ratio * 100);
      expect(f.ok, f.output).toBe(true);
      const argoPasses = ratio >= argoMin;
      const flaggerPasses = ratio * 100 >= flaggerMin;
      expect({ good, argoPasses }).toEqual({ good, argoPasses: flaggerPasses });
      expect(argoPasses).toBe(ratio * 100 >= slo);
    }
  });
});
