// A Helm chart the tool did not write is never overwritten or mixed into in a repository of
// several services, as for one service: create (--force and --skip-existing too) and add stop
// with exit 2, naming the chart folder and what to do, and write nothing.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git, servicesShop, snapshot } from "../support/repo.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");

function twoServices(): string {
  const dir = join(tempDir("cp-svc-chart-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  commitAll(dir, "code");
  return dir;
}

function ownChart(dir: string, name: string): void {
  mkdirSync(join(dir, "charts", name), { recursive: true });
  writeFileSync(join(dir, "charts", name, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
  writeFileSync(join(dir, "charts", name, "values.yaml"), "mine: true\n");
}

describe("several services: the repository's own Helm chart", () => {
  for (const flag of ["--force", "--skip-existing", undefined]) {
    it(`create ${flag ?? "(no flag)"} refuses to write into charts/hello-node/ it did not write`, async () => {
      const dir = twoServices();
      ownChart(dir, "hello-node");
      const before = snapshot(dir);
      const r = await runCli(["create", dir, "--yes", "--owner", "acme", ...(flag ? [flag] : [])]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toContain("charts/hello-node/ holds the repository's own Helm chart");
      expect(r.stderr).toMatch(/move your chart/);
      expect(snapshot(dir)).toEqual(before);
      expect(readFileSync(join(dir, "charts", "hello-node", "values.yaml"), "utf8")).toBe("mine: true\n");
    });
  }

  it("add refuses to merge the new service's chart into charts/hello-go/ it did not write", async () => {
    const dir = await servicesShop("cp-svc-chart-add-");
    ownChart(dir, "hello-go");
    commitAll(dir, "own chart");
    const before = snapshot(dir);
    const r = await runCli(["add", "services/gateway"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain("charts/hello-go/ holds the repository's own Helm chart");
    expect(r.stderr).toContain("--name <other>");
    expect(snapshot(dir)).toEqual(before);
  });

  it("create --force over its own earlier create still rewrites its own chart", async () => {
    const dir = twoServices();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
    commitAll(dir, "create");
    const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--force"]);
    expect(r.code, r.stderr).toBe(0);
  });
});
