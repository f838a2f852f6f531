/**
 * The two monorepo reference pipelines (seeds 001 imprun.dev and 002 Eco², shared/SEEDS.md) as
 * named profiles of a repository of several services: test/conformance/profiles-services/*.yaml
 * are answers files with a services list. Each is created with `create --yes --config` in a
 * repository holding the service folders; its whole rendered tree (every file but the tool's
 * .create-pipeline/ state and the folders' own files) is compared with the golden copy under
 * test/golden/pipeline-services/<profile>/, and it goes through the real validators.
 *
 * Update the golden trees after an intended change with
 *   npx vitest run --config vitest.conformance.config.ts test/conformance/monorepo-profiles.conformance.test.ts -u
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readTree, runCli, tempDir } from "../support/cli.js";
import { formatFindings, validateAll } from "../support/validators.js";
import { REPO } from "./combinations.js";

const PROFILES = join(REPO, "test", "conformance", "profiles-services");
const GOLDEN = join(REPO, "test", "golden", "pipeline-services");
const updating = () => (expect.getState().snapshotState as unknown as { _updateSnapshot?: string })._updateSnapshot === "all";

describe.each(
  readdirSync(PROFILES)
    .filter((f) => f.endsWith(".yaml"))
    .sort(),
)("profile %s", (file) => {
  it("renders its golden tree and passes every validator", async () => {
    const profile = join(PROFILES, file);
    const name = file.replace(/\.yaml$/, "");
    const dir = join(tempDir("cp-mono-profile-"), name);
    const { services } = parseYaml(readFileSync(profile, "utf8")) as { services: { path: string }[] };
    const own = new Set<string>();
    for (const s of services) {
      mkdirSync(join(dir, s.path), { recursive: true });
      const keep = join(s.path, ".keep");
      writeFileSync(join(dir, keep), "");
      own.add(keep);
    }
    const r = await runCli(["create", dir, "--yes", "--config", profile]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const tree = Object.fromEntries(Object.entries(readTree(dir)).filter(([p]) => !p.startsWith(".create-pipeline/") && !own.has(p)));
    const golden = join(GOLDEN, name);
    if (updating()) {
      rmSync(golden, { recursive: true, force: true });
      for (const [p, text] of Object.entries(tree)) {
        mkdirSync(dirname(join(golden, p)), { recursive: true });
        writeFileSync(join(golden, p), text);
      }
    }
    expect(existsSync(golden), `no golden tree for ${name}: run with -u`).toBe(true);
    expect(tree).toEqual(readTree(golden));
    const res = await validateAll(dir, { skip: ["pre-commit"] });
    expect(res.total, formatFindings(res.findings)).toBe(0);
    expect((await runCli(["check", dir])).code).toBe(0);
  });
});
