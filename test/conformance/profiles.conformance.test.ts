/**
 * Named profiles (test/conformance/profiles/*.yaml): `default` and one per
 * reference pipeline in shared/SEEDS.md. Each is created with
 * `create --yes --config <profile>.yaml`, its whole rendered tree is compared
 * with the golden copy under test/golden/pipeline/<profile>/ (every file but
 * the tool's own .create-pipeline/ state), and it goes through every real
 * validator like the pairwise cover.
 *
 * Update the golden trees after an intended change with
 *   npx vitest run --config vitest.conformance.config.ts test/conformance/profiles.conformance.test.ts -u
 * (stale golden files of removed outputs are deleted in that mode).
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../support/cli.js";
import { listFiles } from "../support/validators.js";
import { loadProfiles, OptionSpace, REPO, type Profile } from "./combinations.js";
import { createAndValidate, report, type CheckResult } from "./harness.js";

const GOLDEN = join(REPO, "test", "golden", "pipeline");
const space = OptionSpace.load();
const profiles = loadProfiles();

const runs = new Map<string, Promise<CheckResult>>();
function created(p: Profile): Promise<CheckResult> {
  let r = runs.get(p.name);
  if (!r) {
    const c = space.combination(p.name, space.complete(p.given));
    r = createAndValidate(space, c, { argv: ["--config", p.file], folder: p.name === "default" ? "my-service" : String(c.answers.name), keep: true });
    runs.set(p.name, r);
  }
  return r;
}

const reproduce = (p: Profile) => `node bin/create-pipeline.js /tmp/repro --yes --config ${p.file.slice(REPO.length + 1)}`;
const updating = () => (expect.getState().snapshotState as unknown as { _updateSnapshot?: string })._updateSnapshot === "all";

describe("named profiles", () => {
  it("include the default and one per reference pipeline", () => {
    expect(profiles.map((p) => p.name)).toEqual([
      "default",
      "seed-000-eks-python",
      "seed-001-node-gitops-canary",
      "seed-002-python-gitops-rollouts",
      "seed-003-cookiecutter-defaults",
      "seed-004-python-mlops",
    ]);
  });

  for (const p of profiles) {
    describe(p.name, () => {
      it("renders the golden tree", async () => {
        const r = await created(p);
        expect(r.files.length, `create failed:\n${r.problems.map((x) => x.detail).join("\n")}`).toBeGreaterThan(0);
        const tree = readTree(r.dir);
        const rendered = Object.keys(tree)
          .filter((f) => !f.startsWith(".create-pipeline/"))
          .sort();
        for (const f of rendered) await expect(tree[f]).toMatchFileSnapshot(join(GOLDEN, p.name, f));
        const dir = join(GOLDEN, p.name);
        const stale = existsSync(dir) ? listFiles(dir).filter((f) => !rendered.includes(f)) : [];
        if (updating()) for (const f of stale) rmSync(join(dir, f));
        else expect(stale, `golden files no longer rendered (run with -u to delete them)`).toEqual([]);
      });

      it("passes every validator", async () => {
        const r = await created(p);
        expect(r.problems.length, report(space, r, reproduce(p), "test/conformance/profiles.conformance.test.ts")).toBe(0);
        rmSync(join(r.dir, ".."), { recursive: true, force: true });
      });
    });
  }
});
