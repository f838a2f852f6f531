/**
 * CI's chart check renders the whole chart: the chart renders no workload while image.tag and
 * image.digest are empty (before the first promotion), so CI sets a placeholder tag and a chart
 * error in the Deployment or Rollout fails CI, not the first promotion. The step is run as the
 * workflow has it, with the real helm, in a created repository of one service and of several.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { resolveEnv, runScript, sandbox, workflowSteps } from "../support/standins.js";
import { toolPaths } from "../support/validators.js";
import { REPO } from "./combinations.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");

async function create(services: Record<string, string>, flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-ci-chart-"), "shop");
  mkdirSync(dir, { recursive: true });
  for (const [path, sample] of Object.entries(services)) cpSync(join(SAMPLES, sample), join(dir, path), { recursive: true });
  writeFileSync(join(dir, "README.md"), "# shop\n");
  const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--repo-url", "https://github.com/acme/shop.git", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

/** CI's chart step run with the real helm (only its output kept instead of discarded). */
async function renderChart(dir: string, values: Record<string, string>) {
  const s = workflowSteps(join(dir, ".github/workflows/ci.yml")).find((x) => /^Lint and render the (Helm )?chart/.test(x.name));
  if (!s) throw new Error("no chart step in ci.yml");
  const out = join(dir, "rendered.yaml");
  const sb = sandbox();
  // The sandbox stubs helm; this run uses the real one.
  const r = await runScript(
    s.run.replaceAll("> /dev/null", `>> "${out}"`),
    { ...resolveEnv(s, values), PATH: `${dirname(toolPaths.helm)}:/usr/local/bin:/usr/bin:/bin` },
    sb,
    {
      cwd: dir,
    },
  );
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return readFileSync(out, "utf8");
}

const kinds = (yaml: string) => [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);

describe("CI renders the whole chart, workload included, before any image is promoted", () => {
  it("one service: every environment's render has the Deployment (or Rollout)", async () => {
    const dir = await create({ ".": "node" }, ["--mode", "gitops", "--environments", "dev,prod"]);
    const text = await renderChart(dir, {});
    expect(kinds(text).filter((k) => k === "Deployment" || k === "Rollout")).toHaveLength(2);
  });

  it("several services: each service's chart renders its workload in every environment", async () => {
    const dir = await create({ "services/api": "node", "services/worker": "python" }, ["--mode", "gitops", "--environments", "dev,prod"]);
    const api = JSON.parse(readFileSync(join(dir, ".github/services/hello-node.json"), "utf8")) as { chart: string; name: string };
    const text = await renderChart(dir, { "matrix.service.chart": api.chart, "matrix.service.name": api.name });
    expect(kinds(text).filter((k) => k === "Deployment" || k === "Rollout")).toHaveLength(2);
  });
});
