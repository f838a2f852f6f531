// End to end with the built-in pack and the real validators: create, edit values.yaml, a workflow
// and the Dockerfile by hand, move to a newer version of the pack that changes those same files,
// update — the hand edits and the template changes are both there, and the result still passes
// every validator.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, edit, git, MARKER_LINE, read } from "../support/repo.js";
import { formatFindings, validateAll } from "../support/validators.js";

/** A copy of the built-in pack, optionally with edits to its templates (each must apply). */
function packCopy(dir: string, version: string, edits: [file: string, from: string | RegExp, to: string][] = []): string {
  cpSync(join(REPO, "templates", "pipeline"), dir, { recursive: true });
  edit(dir, "template.yaml", /^version: .*$/m, `version: ${version}`);
  for (const [file, from, to] of edits) edit(dir, file, from, to);
  return dir;
}

describe("update of a generated service repository to a newer pack", () => {
  it("keeps hand edits to values.yaml, a workflow and the Dockerfile, brings the template changes, and passes the validators", async () => {
    const work = tempDir("cp-e2e-");
    const v1 = packCopy(join(work, "pack-v1"), "1.0.1");
    const v2 = packCopy(join(work, "pack-v2"), "1.1.0", [
      ["files/charts/{{name}}/values.yaml.eta", "revisionHistoryLimit: 5", "revisionHistoryLimit: 7"],
      ["files/.github/workflows/ci.yml.eta", "timeout-minutes: 20", "timeout-minutes: 25"],
      // Every Node runtime stage (one service, or one built from its own folder).
      ["files/Dockerfile.eta", /ENV NODE_ENV=production/g, "ENV NODE_ENV=production\nENV NODE_OPTIONS=--enable-source-maps"],
    ]);
    const dir = join(work, "svc");
    const created = await runCli([dir, "--template", v1, "--yes", "--language", "node", "--owner", "acme", "--test-command", "npm test"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    git(dir, "init", "-q");
    commitAll(dir, "create");

    // Hand edits, on lines the new pack version does not touch.
    edit(dir, "charts/svc/values.yaml", /^env: \{\}$/m, 'env:\n  FEATURE_FLAG: "on"');
    edit(
      dir,
      ".github/workflows/ci.yml",
      "      - name: Test\n",
      "      - name: Audit dependencies\n        run: npm audit --audit-level=high\n\n      - name: Test\n",
    );
    edit(dir, "Dockerfile", "USER 10001:10001", 'LABEL org.opencontainers.image.source="https://github.com/acme/svc"\nUSER 10001:10001');
    commitAll(dir, "hand edits");

    const up = await runCli(["update", dir, "--template", v2]);
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/charts\/svc\/values\.yaml\s+merge/);
    expect(up.stdout).toMatch(/\.github\/workflows\/ci\.yml\s+merge/);
    expect(up.stdout).toMatch(/Dockerfile\s+merge/);

    const values = read(dir, "charts/svc/values.yaml");
    expect(values).toContain('  FEATURE_FLAG: "on"');
    expect(values).toContain("revisionHistoryLimit: 7");
    const ci = read(dir, ".github/workflows/ci.yml");
    expect(ci).toContain("npm audit --audit-level=high");
    expect(ci).toContain("timeout-minutes: 25");
    const dockerfile = read(dir, "Dockerfile");
    expect(dockerfile).toContain('LABEL org.opencontainers.image.source="https://github.com/acme/svc"');
    expect(dockerfile).toContain("ENV NODE_OPTIONS=--enable-source-maps");
    for (const f of ["charts/svc/values.yaml", ".github/workflows/ci.yml", "Dockerfile"]) expect(read(dir, f)).not.toMatch(MARKER_LINE);
    expect(read(dir, ".create-pipeline/state.json")).toContain('"version": "1.1.0"');

    const v = await validateAll(dir);
    expect(v.total, formatFindings(Object.values(v.findings).flat())).toBe(0);

    commitAll(dir, "update");
    expect((await runCli(["check", dir, "--template", v2])).code).toBe(0);
    expect((await runCli(["check", dir, "--template", v2, "--strict"])).code).toBe(3);
  });
});
