/**
 * Every combination of the pairwise cover of the pipeline pack's option space
 * (see combinations.ts) is created non-interactively and run through every
 * real validator (test/support/validators.ts). A combination passes when:
 * - the CLI settles on exactly the answers the manifest's `when` conditions
 *   give (no given answer ignored, none missing);
 * - validateAll finds nothing blocking: actionlint (with shellcheck) clean on
 *   every workflow, zizmor nothing at medium or high, the workflow/dependabot
 *   schemas, hadolint clean, helm lint --strict and helm template for each
 *   environment's values file, every rendered object and every Argo CD
 *   Application valid against its schema, every YAML file parses and passes
 *   yamllint, pre-commit validate-config;
 * - the chart rendered objects for every environment.
 *
 * Two combinations run at a time. A failure prints the answers, a one-line
 * reproduction and every finding; after the run a summary groups the failures
 * by cause. CONFORMANCE_REPORT=<file> also writes the summary to a file.
 */
import { writeFileSync } from "node:fs";
import { afterAll, describe, it } from "vitest";
import { toolVersions } from "../support/validators.js";
import { label, OptionSpace, pool } from "./combinations.js";
import { createAndValidate, report, summarize, type CheckResult } from "./harness.js";

const t0 = performance.now();
const space = OptionSpace.load();
const cover = space.pairwiseCover();
const pairs = space.pairUniverse().length;
const generatedIn = Math.round(performance.now() - t0);
const limit = pool(2);
const results: CheckResult[] = [];
let started: number | undefined;

console.log(
  [
    `pipeline pack option space: ${space.countValid().toLocaleString("en")} valid combinations ` +
      `(${space.rawProduct().toLocaleString("en")} before \`when\` conditions and constraints)`,
    `pairwise cover: ${cover.length} combinations covering all ${pairs} feasible pairs (computed in ${generatedIn} ms)`,
    `values that no valid combination can have: ${space.impossibleItems().join(", ") || "none"}`,
  ].join("\n"),
);

describe.concurrent("pipeline pack: pairwise cover", () => {
  it("has its validators installed", async ({ expect }) => {
    await expect(toolVersions()).resolves.toBeDefined();
  });

  for (const c of cover) {
    it(`${c.id} ${label(space, c.answers)}`, async ({ expect }) => {
      const r = await limit(() => {
        started ??= performance.now();
        return createAndValidate(space, c);
      });
      results.push(r);
      expect(r.problems.length, report(space, r)).toBe(0);
    });
  }
});

afterAll(() => {
  if (results.length === 0) return;
  const wall = Math.round((performance.now() - (started ?? t0)) / 1000);
  const create = results.reduce((s, r) => s + r.ms.create, 0);
  const validate = results.reduce((s, r) => s + r.ms.validate, 0);
  results.sort((a, b) => a.combination.id.localeCompare(b.combination.id));
  const text = [
    `pairwise cover: ${results.length} of ${cover.length} combinations run in ${wall} s (2 at a time; create ${Math.round(create / 1000)} s, validate ${Math.round(validate / 1000)} s summed)`,
    summarize(space, results),
  ].join("\n");
  console.log(text);
  if (process.env.CONFORMANCE_REPORT) writeFileSync(process.env.CONFORMANCE_REPORT, `${text}\n`);
});
