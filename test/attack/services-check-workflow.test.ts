// A repository of several services gets the same pull-request check workflow as one service
// (.github/workflows/pipeline-check.yml, running check --strict-workflows at the root), and
// check --add-workflow says how to get it back rather than doing nothing silently.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { commitAll, servicesShop } from "../support/repo.js";

const FLOW = ".github/workflows/pipeline-check.yml";

describe("several services: the pipeline check workflow", () => {
  it("create writes it, running check at the repository root, and check passes on it", async () => {
    const dir = await servicesShop("cp-svc-flow-");
    const text = readFileSync(join(dir, FLOW), "utf8");
    expect(text).toMatch(/check --strict-workflows "\$GITHUB_WORKSPACE"/);
    // The section the workflow's comment points to, in the services' docs/pipeline.md too.
    expect(text.replace(/\n#\s*/g, " ")).toContain('docs/pipeline.md, "Protecting the pipeline files"');
    expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8")).toMatch(/^### \d+\. Protecting the pipeline files$/m);
    const r = await runCli(["check", dir, "--strict-workflows"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("deleted: check --add-workflow says how to write it back, and update --restore does", async () => {
    const dir = await servicesShop("cp-svc-flow-del-");
    rmSync(join(dir, FLOW));
    commitAll(dir, "drop the check workflow");
    const r = await runCli(["check", dir, "--add-workflow"]);
    expect(r.stderr.replace(/\s+/g, " ")).toContain(`--add-workflow: ${FLOW} is generated`);
    expect(r.stderr).toContain("update --restore");
    const u = await runCli(["update", dir, "--restore", "--yes"]);
    expect(u.code, u.stdout + u.stderr).toBe(0);
    expect(readFileSync(join(dir, FLOW), "utf8")).toContain("check --strict-workflows");
  });
});
