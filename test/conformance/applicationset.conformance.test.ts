/**
 * The generated ApplicationSet, expanded as Argo CD's ApplicationSet controller expands it: the
 * matrix generator's child generators (list generators here) give the cartesian product of their
 * parameter sets, and the template is rendered with Go templates for each (goTemplate: true,
 * missingkey=error: an unknown key fails, as in the controller). Each resulting Application is
 * validated against Argo CD's Application schema and kube-strict, and checked against the
 * repository (its chart and values files exist) and the AppProject (its source and destination
 * are allowed). The expansion is test/support/applicationset.ts (the lab uses it too).
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { expandApplicationSet } from "../support/applicationset.js";
import { formatFindings, validateK8sObjects } from "../support/validators.js";

function applications(dir: string) {
  const set = parseYaml(readFileSync(join(dir, "deploy/argocd/applicationset.yaml"), "utf8"));
  expect(set.kind).toBe("ApplicationSet");
  expect(set.spec.goTemplate).toBe(true);
  return expandApplicationSet(set) as { metadata: { name: string }; spec: Record<string, any> }[];
}

function polyglot(): string {
  const dir = join(tempDir("cp-appset-"), "shop");
  mkdirSync(dir, { recursive: true });
  for (const [from, to] of [
    ["node", "services/api"],
    ["python", "services/worker"],
    ["go", "services/gateway"],
  ])
    cpSync(join(REPO, "test", "fixtures", "services", from!), join(dir, to!), { recursive: true });
  return dir;
}

describe("the ApplicationSet, expanded as the ApplicationSet controller would", () => {
  it("gives one valid Application per service and environment, whose chart, values and destination exist and are allowed", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--repo-url", "https://github.com/acme/shop.git", "--environments", "dev,staging,prod"]);
    expect(r.code, r.stderr).toBe(0);
    const apps = applications(dir);
    expect(apps).toHaveLength(3 * 3);
    expect(new Set(apps.map((a) => a.metadata.name)).size).toBe(9);
    const findings = await validateK8sObjects(apps.map((a) => ({ file: `Application ${a.metadata.name}`, object: a })));
    expect(findings, formatFindings(findings)).toEqual([]);
    const project = parseYaml(readFileSync(join(dir, "deploy/argocd/project.yaml"), "utf8"));
    for (const a of apps) {
      const src = a.spec.source;
      expect(existsSync(join(dir, src.path, "Chart.yaml")), src.path).toBe(true);
      for (const v of src.helm.valueFiles) expect(existsSync(join(dir, src.path, v)), `${src.path}/${v}`).toBe(true);
      expect(project.spec.sourceRepos).toContain(src.repoURL);
      expect(project.spec.destinations).toContainEqual(a.spec.destination);
      expect(a.spec.project).toBe(project.metadata.name);
    }
  });

  it("with a separate config repository: the chart from the app repository, the values from the config repository", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--repo-url", "https://github.com/acme/shop.git", "--gitops-repo", "acme/shop-config"]);
    expect(r.code, r.stderr).toBe(0);
    const apps = applications(dir);
    expect(apps.length).toBeGreaterThan(0);
    const findings = await validateK8sObjects(apps.map((a) => ({ file: `Application ${a.metadata.name}`, object: a })));
    expect(findings, formatFindings(findings)).toEqual([]);
    const project = parseYaml(readFileSync(join(dir, "deploy/argocd/project.yaml"), "utf8"));
    // The config repository, laid out by the same tool, holds every values file the Applications name.
    const config = join(tempDir("cp-appset-config-"), "shop-config");
    mkdirSync(config, { recursive: true });
    const c = await runCli(["create", config, "--config-repo-for", dir]);
    expect(c.code, c.stderr).toBe(0);
    for (const a of apps) {
      const sources = a.spec.sources as { repoURL: string; path?: string; ref?: string; helm?: { valueFiles: string[] } }[];
      const chart = sources.find((s) => s.path?.startsWith("charts/"))!;
      const values = sources.find((s) => s.ref !== undefined)!;
      expect(existsSync(join(dir, chart.path!, "Chart.yaml"))).toBe(true);
      expect(values.repoURL).toContain("acme/shop-config");
      for (const v of chart.helm!.valueFiles.filter((f) => f.startsWith(`$${values.ref}/`)))
        expect(existsSync(join(config, v.slice(values.ref!.length + 2))), v).toBe(true);
      for (const s of sources) expect(project.spec.sourceRepos).toContain(s.repoURL);
    }
  });
});
