import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { checkWorkflow } from "../../src/core/check-workflow.js";
import { PACKAGE_NAME } from "../../src/product.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../src/version.js";
import { PACKS, runCli, tempDir, unwrapReport } from "../support/cli.js";
import { actionlint, zizmor } from "../support/validators.js";

describe("check offers the pull-request workflow that runs it", () => {
  it("suggests it when no workflow runs check, writes it with --add-workflow, and the file passes actionlint and zizmor", async () => {
    const dir = join(tempDir(), "svc");
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
    const dir = join(tempDir(), "svc");
    expect((await runCli([dir, "--yes", "--owner", "acme"])).code).toBe(0);
    expect(existsSync(join(dir, ".github/workflows/pipeline-check.yml"))).toBe(true);
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("--add-workflow");
  });
});

describe("files written before the tool was published under its scope", () => {
  const unscopedWorkflow = () => checkWorkflow("0.1.0").replace(`npx --yes ${PACKAGE_NAME}@0.1.0 check`, "npx --yes create-pipeline@0.1.0 check");

  it("a check workflow that runs the unscoped package fails check, and --add-workflow rewrites just that step", async () => {
    const dir = join(tempDir(), "svc");
    expect((await runCli([dir, "--template", join(PACKS, "demo-v1"), "--yes"])).code).toBe(0);
    const path = join(dir, ".github/workflows/pipeline-check.yml");
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    const old = `${unscopedWorkflow()}# a comment the team added\n`;
    writeFileSync(path, old);

    const r = await runCli(["check", dir]);
    expect(r.code).toBe(3);
    expect(unwrapReport(r.stdout)).toContain("unrelated npm package create-pipeline");
    expect(unwrapReport(r.stdout)).toContain(`check ${dir} --add-workflow`);
    const j = JSON.parse((await runCli(["check", dir, "--json"])).stdout);
    expect(j.problems.map((p: { kind: string }) => p.kind)).toContain("unscoped-check-workflow");
    expect(readFileSync(path, "utf8")).toBe(old);

    expect((await runCli(["check", dir, "--add-workflow"])).code).toBe(0);
    const now = readFileSync(path, "utf8");
    expect(now).toContain(`npx --yes ${PACKAGE_NAME}@${TOOL_VERSION} check`);
    expect(now).not.toMatch(/npx --yes create-pipeline/);
    expect(now).toContain("# a comment the team added");
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("an answers-file header from before (unscoped command, schema URL) is drift that update rewrites", async () => {
    const dir = join(tempDir(), "svc");
    expect((await runCli([dir, "--template", join(PACKS, "demo-v1"), "--yes"])).code).toBe(0);
    const answers = join(dir, ".create-pipeline.yaml");
    const current = readFileSync(answers, "utf8");
    const old = current
      .replace(/^# yaml-language-server: .*$/m, "# yaml-language-server: $schema=https://unpkg.com/create-pipeline@0.1.0/schema/answers.schema.json")
      .replace(
        /^# Edit them and run .*$/m,
        "# Edit them and run `npx create-pipeline update` to regenerate; `npx create-pipeline check` tells CI whether files drifted.",
      );
    writeFileSync(answers, `${old}# kept: the team's note\n`);
    const c = await runCli(["check", dir]);
    expect(c.code).toBe(3);
    expect(c.stdout).toContain("header of .create-pipeline.yaml");
    const u = await runCli(["update", dir]);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(".create-pipeline.yaml");
    expect(readFileSync(answers, "utf8")).toBe(`${current}# kept: the team's note\n`);
    expect((await runCli(["check", dir])).code).toBe(0);
    // a deleted schema hint comes back as the first line
    writeFileSync(answers, readFileSync(answers, "utf8").replace(/^# yaml-language-server: .*\n/m, ""));
    expect((await runCli(["check", dir])).code).toBe(3);
    expect((await runCli(["update", dir])).code).toBe(0);
    expect(readFileSync(answers, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./.create-pipeline/answers.schema.json");
  });

  it("a stale answers schema is listed among what update writes, and hints name the folder", async () => {
    const parent = tempDir();
    expect((await runCli(["svc", "--template", join(PACKS, "demo-v1"), "--yes"], { cwd: parent })).code).toBe(0);
    writeFileSync(join(parent, "svc/.create-pipeline/answers.schema.json"), "{}\n");
    const c = await runCli(["check", "svc"], { cwd: parent });
    expect(c.code).toBe(3);
    expect(c.stdout).toContain(`Drift found: run npx ${PACKAGE_NAME}@${TOOL_VERSION} update svc.`);
    const dry = await runCli(["update", "svc", "--dry-run", "--json"], { cwd: parent });
    expect(JSON.parse(dry.stdout).files.map((f: { path: string }) => f.path)).toContain(".create-pipeline/answers.schema.json");
    const u = await runCli(["update", "svc"], { cwd: parent });
    expect(u.stdout).toContain(".create-pipeline/answers.schema.json");
    const again = await runCli(["svc", "--template", join(PACKS, "demo-v1"), "--yes"], { cwd: parent });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`npx ${PACKAGE_NAME}@${TOOL_VERSION} update svc`);
  });
});

describe("update --dry-run", () => {
  it("lists the tool's own files it would write but prints diffs only of the repository's files", async () => {
    const dir = join(tempDir(), "svc");
    expect((await runCli([dir, "--template", join(PACKS, "demo-v1"), "--yes"])).code).toBe(0);
    const answers = join(dir, ".create-pipeline.yaml");
    writeFileSync(answers, readFileSync(answers, "utf8").replace(/^port: .*$/m, "port: 9999"));
    const r = await runCli(["update", dir, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(".create-pipeline/state.json");
    expect(r.stdout).not.toMatch(/^--- .*\.create-pipeline\/(state|base)\.json/m);
    expect(r.stdout).toMatch(/^[-+]{3} .*/m);
    expect(Math.max(...r.stdout.split("\n").map((l) => l.length))).toBeLessThan(400);
  });
});
