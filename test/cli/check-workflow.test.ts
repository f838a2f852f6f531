import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../src/version.js";
import { PACKS, runCli, tempDir } from "../support/cli.js";
import { actionlint, zizmor } from "../support/validators.js";

describe("check offers the pull-request workflow that runs it", () => {
  it("suggests it when no workflow runs check, writes it with --add-workflow, and the file passes actionlint and zizmor", async () => {
    const dir = tempDir();
    expect((await runCli([dir, "--template", join(PACKS, "demo-v1"), "--yes"])).code).toBe(0);
    const before = await runCli(["check", dir]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain("check --add-workflow");

    const add = await runCli(["check", dir, "--add-workflow"]);
    expect(add.code).toBe(0);
    const wf = readFileSync(join(dir, ".github/workflows/pipeline-check.yml"), "utf8");
    expect(wf).toContain(`npx --yes @create-pipeline/cli@${TOOL_VERSION} check`);
    // (the demo pack's own ci.yml is deliberately unpinned; only the offered workflow is judged here)
    const mine = (f: { file: string }) => f.file.endsWith("pipeline-check.yml");
    expect((await actionlint(dir)).filter(mine)).toEqual([]);
    expect((await zizmor(dir)).filter(mine)).toEqual([]);

    const after = await runCli(["check", dir, "--json"]);
    expect(JSON.parse(after.stdout).problems.map((p: { kind: string }) => p.kind)).not.toContain("no-check-workflow");
    expect((await runCli(["check", dir])).stdout).not.toContain("--add-workflow");
  });

  it("the built-in pack already generates it, so check does not offer it", async () => {
    const dir = tempDir();
    expect((await runCli([dir, "--yes", "--owner", "acme"])).code).toBe(0);
    expect(existsSync(join(dir, ".github/workflows/pipeline-check.yml"))).toBe(true);
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("--add-workflow");
  });
});
