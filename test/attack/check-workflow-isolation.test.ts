// The pull-request workflow that runs `check` must not run code the pull request supplies: a
// committed node_modules/@create-pipeline/cli (with its bin), a package.json naming it, or an .npmrc
// (another registry, another cache) in the checkout. The step is replayed here as the runner would
// run it (its working-directory, its env, bash -eo pipefail), against such a checkout, with npx
// offline: it must neither run the planted tool nor read the checkout's npm settings.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkWorkflow } from "../../src/core/check-workflow.js";
import { TOOL_VERSION } from "../../src/version.js";
import { type Step, checkStep } from "../support/check-step.js";
import { runCli, tempDir } from "../support/cli.js";

/** A checkout a hostile pull request made: its own copy of the tool and its own npm settings. */
function hostileCheckout(): { checkout: string; evilCache: string } {
  const checkout = join(tempDir("cp-pr-"), "repo");
  const evilCache = join(tempDir("cp-evil-"), "cache");
  const pkg = join(checkout, "node_modules/@create-pipeline/cli");
  mkdirSync(join(pkg, "bin"), { recursive: true });
  mkdirSync(join(checkout, "node_modules/.bin"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@create-pipeline/cli", version: TOOL_VERSION, bin: { "create-pipeline": "bin/cli.js" } }));
  writeFileSync(join(pkg, "bin/cli.js"), "#!/usr/bin/env node\nconsole.log('HIJACKED: the pull request ran its own tool');\n");
  chmodSync(join(pkg, "bin/cli.js"), 0o755);
  symlinkSync("../@create-pipeline/cli/bin/cli.js", join(checkout, "node_modules/.bin/create-pipeline"));
  writeFileSync(join(checkout, "package.json"), JSON.stringify({ name: "svc", private: true, devDependencies: { "@create-pipeline/cli": TOOL_VERSION } }));
  writeFileSync(join(checkout, ".npmrc"), `registry=http://127.0.0.1:9/\ncache=${evilCache}\n`);
  return { checkout, evilCache };
}

/** Run the step as the runner does, npx made offline (no network here) and reporting its settings first. */
function replay(step: Step, checkout: string) {
  const runnerTemp = tempDir("cp-runner-temp-");
  const home = tempDir("cp-home-");
  const expand = (v: string) => {
    const out = v.replaceAll("${{ runner.temp }}", runnerTemp).replaceAll("${{ github.workspace }}", checkout);
    expect(out, `an expression the replay does not know: ${v}`).not.toContain("${{");
    return out;
  };
  const shims = tempDir("cp-shim-");
  const realNpx = spawnSync("bash", ["-c", "command -v npx"], { encoding: "utf8" }).stdout.trim();
  writeFileSync(
    join(shims, "npx"),
    `#!/bin/bash\necho "npx-cwd=$(pwd)"\necho "npx-registry=$(npm config get registry)"\necho "npx-cache=$(npm config get cache)"\nexec "${realNpx}" --offline "$@"\n`,
  );
  chmodSync(join(shims, "npx"), 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${shims}:${process.env.PATH}`,
    HOME: home,
    GITHUB_WORKSPACE: checkout,
    RUNNER_TEMP: runnerTemp,
    CI: "true",
  };
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v));
  const cwd = step["working-directory"] ? expand(step["working-directory"]) : checkout;
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], { cwd, env, encoding: "utf8", timeout: 120_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  const field = (k: string) => out.match(new RegExp(`^npx-${k}=(.*)$`, "m"))?.[1];
  return { out, cwd: field("cwd"), registry: field("registry"), cache: field("cache") };
}

async function builtInWorkflow(): Promise<string> {
  // A new folder: the pack's defaults make the service (an existing empty one is refused).
  const dir = join(tempDir(), "svc");
  const r = await runCli([dir, "--yes", "--owner", "acme"]);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(join(dir, ".github/workflows/pipeline-check.yml"), "utf8");
}

describe("the check workflow runs the published tool, not one the pull request commits", () => {
  const cases: [string, () => Promise<string> | string][] = [
    ["the built-in pack's pipeline-check.yml", builtInWorkflow],
    ["the workflow check --add-workflow writes", () => checkWorkflow(TOOL_VERSION)],
  ];
  for (const [what, workflow] of cases)
    it(`${what}: no planted node_modules bin, no checkout .npmrc, the public registry`, async () => {
      const step = checkStep(await workflow());
      const { checkout, evilCache } = hostileCheckout();
      const r = replay(step, checkout);
      expect(r.out).not.toContain("HIJACKED");
      expect(r.cwd, r.out).toBeDefined();
      const rel = relative(checkout, r.cwd!);
      expect(rel === "" || !rel.startsWith(".."), `npx runs inside the checkout (${r.cwd})`).toBe(false);
      expect(r.registry).toBe("https://registry.npmjs.org/");
      expect(r.cache).not.toBe(evilCache);
      // the checkout is still what is checked
      expect(step.run).toMatch(/check --strict-workflows "\$GITHUB_WORKSPACE"/);
    }, 180_000);
});
