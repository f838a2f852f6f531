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
import { REPO } from "./combinations.js";

function findPromtool(): string | undefined {
  const lab = join(process.env.LAB_TOOLS ?? join(REPO, ".tools", "lab"), "bin", "promtool");
  if (existsSync(lab)) return lab;
  const r = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}
const PROMTOOL = findPromtool();

async function values(flags: string[]): Promise<any> {
  const dir = join(tempDir("cp-query-"), "shop");
  const r = await runCli(["create", dir, "--yes", "--name", "shop", "--owner", "acme", "--environments", "prod", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return parseYaml(readFileSync(join(dir, "charts", "shop", "values.yaml"), "utf8"));
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
});
