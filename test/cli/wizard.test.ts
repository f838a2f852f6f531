// The interactive flow of the built-in pack, scripted: how many prompts the common path takes,
// what the one-step facts confirmation offers, and that every answer's origin is shown.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";

/** A Python service under git with an origin remote: everything the facts step needs is found. */
function pythonService(remote = true): string {
  const dir = join(tempDir(), "ledger");
  mkdirSync(dir);
  cpSync(join(REPO, "test", "fixtures", "services", "python"), dir, { recursive: true });
  git(dir, "init", "-q");
  if (remote) git(dir, "remote", "add", "origin", "git@github.com:acme/ledger.git");
  return dir;
}

describe("the interactive flow of the built-in pack", () => {
  it("the common path asks 8 questions: facts in one step, the 5 choices that matter, the rest, the confirmation", async () => {
    const dir = pythonService();
    const r = await runCli([dir], { script: {} });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked).toEqual([
      "confirm: Are these right?",
      "registry",
      "cluster",
      "mode",
      "strategy",
      "environments",
      "confirm: Use recommended settings for the rest?",
      "select: Write these files?",
    ]);
    const facts = r.notes.find((n) => n.startsWith("About this service"))!;
    expect(facts).toContain("Language: python (detected)");
    expect(facts).toContain("GitHub owner (organisation or user): acme (detected)");
    const summary = r.notes.find((n) => n.startsWith("Answers"))!;
    expect(summary).toContain("owner: acme (detected)");
    // Picked at a prompt (Enter on the offered choice) is the user's answer, not a default;
    // "default" is only what nobody was shown.
    expect(summary).toContain("registry: ghcr (given)");
    expect(summary).toContain("environments: dev, prod (given)");
    expect(summary).toContain("scan: true (default)");
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(true);
    // The origins survive the answers file: check still says what was detected and from where,
    // and an answer edited by hand becomes given.
    const check = JSON.parse((await runCli(["check", dir, "--json"])).stdout) as { answers: Record<string, { origin: string; from?: string }> };
    expect(check.answers.port).toEqual({ value: 8000, origin: "detected", from: "app.py" });
    expect(check.answers.owner).toMatchObject({ origin: "detected" });
    expect(check.answers.registry).toMatchObject({ origin: "given" });
    expect(check.answers.scan).toMatchObject({ origin: "default" });
    const file = join(dir, ".create-pipeline.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("port: 8000", "port: 8001"));
    const edited = JSON.parse((await runCli(["check", dir, "--json"])).stdout) as { answers: Record<string, { origin: string; from?: string }> };
    expect(edited.answers.port).toEqual({ value: 8001, origin: "given" });
    expect(edited.answers.language).toMatchObject({ origin: "detected" });
  });

  it("no to the facts asks each of them; no to the recommended settings offers the extras in one multiselect", async () => {
    const dir = pythonService();
    const r = await runCli([dir], {
      script: {
        confirm: (m) => !m.startsWith("Are these right") && !m.startsWith("Use recommended"),
        // turning the Ingress on asks for its host: there is no placeholder to fall back on
        answers: { port: "8001", ingressHost: "ledger.acme.dev" },
        extras: ["scan", "ingress"],
      },
    });
    expect(r.code).toBe(0);
    expect(r.asked).toEqual(
      expect.arrayContaining([
        "name",
        "language",
        "languageVersion",
        "port",
        "healthPath",
        "owner",
        "multiselect: Extras (space toggles, enter accepts)",
        "ingressHost",
        "releaseTool",
      ]),
    );
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("port: 8001");
    expect(answers).toContain("ingress: true");
    expect(answers).toContain("codeql: false");
    expect(answers).toContain("scan: true");
  });

  it("without a git remote the owner is asked, never a placeholder", async () => {
    const dir = pythonService(false);
    const r = await runCli([dir], { script: { answers: { owner: "acme-two" } } });
    expect(r.code).toBe(0);
    expect(r.asked[0]).toBe("owner");
    expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).toContain("owner: acme-two");
    const ci = await runCli([pythonService(false), "--yes"]);
    expect(ci.code).toBe(2);
    expect(ci.stderr).toContain("--owner <value>");
  });
});
