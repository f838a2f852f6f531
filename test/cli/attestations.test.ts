// Artifact attestations exist for public repositories on every plan, and for private ones only on
// GitHub Enterprise Cloud: elsewhere actions/attest fails, and with it the build and every
// promotion. The step runs for a public repository, or a private one that set ATTESTATIONS=true.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");

function attestStep(dir: string): { if?: string } {
  const wf = parse(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
  const steps = Object.values(wf.jobs as Record<string, { steps?: { uses?: string; if?: string }[] }>).flatMap((j) => j.steps ?? []);
  const found = steps.filter((s) => s.uses?.startsWith("actions/attest"));
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("build provenance attestation: public repositories, or ATTESTATIONS=true", () => {
  it("one service and several services", async () => {
    const one = join(tempDir("cp-attest-"), "svc");
    cpSync(join(SAMPLES, "node"), one, { recursive: true });
    const r = await runCli(["create", one, "--yes", "--owner", "acme", "--supply-chain", "true"]);
    expect(r.code, r.stderr).toBe(0);
    const root = join(tempDir("cp-attest-"), "shop");
    mkdirSync(root, { recursive: true });
    cpSync(join(SAMPLES, "node"), join(root, "services", "api"), { recursive: true });
    cpSync(join(SAMPLES, "go"), join(root, "services", "gateway"), { recursive: true });
    git(root, "init", "-q");
    const s = await runCli(["create", root, "--yes", "--owner", "acme", "--supply-chain", "true"]);
    expect(s.code, s.stderr).toBe(0);
    for (const dir of [one, root]) {
      const cond = attestStep(dir).if ?? "";
      expect(cond).toContain("github.event.repository.visibility == 'public' || vars.ATTESTATIONS == 'true'");
      expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8")).toContain("ATTESTATIONS=true");
    }
  });
});
