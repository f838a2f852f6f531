// A repository of several services: update and check say why each file changes, as for one
// service: the shared answer that moved, a service's answer (services[<folder>].key) or the
// template pack's version step, in the text and in --json (files[].because).
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");
const read = (dir: string, p: string) => readFileSync(join(dir, p), "utf8");

/** services/api (node, port 3000) and services/gateway (go), created and committed. */
async function shop(): Promise<string> {
  const dir = join(tempDir("cp-why-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  const r = await runCli(["create", dir, "--yes"]);
  expect(r.code, r.stderr).toBe(0);
  commitAll(dir, "create");
  return dir;
}

type FileJson = { path: string; action: string; reason: string; because?: string[] };
const files = (stdout: string) => JSON.parse(stdout).files as FileJson[];
const file = (stdout: string, path: string) => files(stdout).find((f) => f.path === path);

describe("several services: why each file changes", () => {
  it("an edited shared answer and a service's answer are named per file, in check and update, text and --json", async () => {
    const dir = await shop();
    const text = read(dir, ".create-pipeline.yaml");
    expect(text).toMatch(/^scan: true$/m);
    expect(text).toMatch(/^ {4}port: 3000$/m);
    writeFileSync(join(dir, ".create-pipeline.yaml"), text.replace(/^scan: true$/m, "scan: false").replace(/^ {4}port: 3000$/m, "    port: 3001"));
    commitAll(dir, "answers");

    const check = await runCli(["check", dir]);
    expect(check.code).toBe(3);
    expect(check.stdout).toContain("Answers changed since the files were generated:\n  scan: true → false\n  services[services/api].port: 3000 → 3001\n");
    expect(check.stdout).toMatch(
      /~ charts\/hello-node\/values\.yaml\n\s+update: new answers change it.*\n\s+because services\[services\/api\]\.port: 3000 → 3001\n/,
    );
    expect(check.stdout).toMatch(/~ \.github\/workflows\/delivery\.yml\n\s+update: new answers change it.*\n\s+because scan: true → false\n/);
    expect(check.stdout).not.toContain("the template changed");

    const checkJson = await runCli(["check", dir, "--json"]);
    expect(checkJson.code).toBe(3);
    const c = JSON.parse(checkJson.stdout);
    expect(c.result.answersChanged).toBe(true);
    expect(file(checkJson.stdout, "services/api/Dockerfile")?.because).toEqual(["services[services/api].port: 3000 → 3001"]);
    expect(file(checkJson.stdout, ".github/workflows/delivery.yml")?.because).toEqual(["scan: true → false"]);
    // The other service's files do not move.
    expect(files(checkJson.stdout).some((f) => f.path.startsWith("services/gateway/"))).toBe(false);

    const dry = await runCli(["update", dir, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("What changed:\n  scan: true → false\n  services[services/api].port: 3000 → 3001\n");
    expect(dry.stdout).toContain("because services[services/api].port: 3000 → 3001");

    const up = await runCli(["update", dir, "--json"]);
    expect(up.code, up.stderr).toBe(0);
    const chart = file(up.stdout, "charts/hello-node/values.yaml")!;
    expect(chart.reason).toMatch(/^new answers change it/);
    expect(chart.because).toEqual(["services[services/api].port: 3000 → 3001"]);
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("a shared answer that every service follows is named once, not once per service", async () => {
    const dir = await shop();
    const text = read(dir, ".create-pipeline.yaml");
    // Both services' ports at the top, then that shared answer changed.
    const moved = text.replace(/^ {4}port: \d+\n/gm, "").replace(/^scan: true$/m, "scan: true\nport: 9000");
    writeFileSync(join(dir, ".create-pipeline.yaml"), moved);
    const up = await runCli(["update", dir, "--allow-dirty"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain("What changed:\n  port: 3000 → 9000\n");
    expect(up.stdout).toContain("services[services/gateway].port: 8080 → 9000");
    expect(up.stdout).not.toContain("services[services/api].port");
    expect(up.stdout).toMatch(/services\/api\/Dockerfile\n\s+update: new answers change it.*\n\s+because port: 3000 → 9000\n/);
  });

  it("a service added names itself for its new files and the shared files it changes", async () => {
    const dir = await shop();
    cpSync(join(SAMPLES, "python"), join(dir, "services", "worker"), { recursive: true });
    const r = await runCli(["add", join(dir, "services", "worker"), "--dry-run", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const added = "services[services/worker] added to the services list";
    expect(file(r.stdout, "charts/hello-python/Chart.yaml")).toMatchObject({ action: "create", reason: "new with these answers", because: [added] });
    expect(file(r.stdout, ".github/workflows/ci.yml")).toMatchObject({ action: "update", because: [added] });
    expect(files(r.stdout).some((f) => f.path.startsWith("services/api/") && f.action !== "keep")).toBe(false);
  });

  it("a template pack version step is named for the files it moves", async () => {
    const dir = await shop();
    // As if the files came from pipeline@0.9.0, whose docs/pipeline.md read differently.
    const old = `${read(dir, "docs/pipeline.md")}\nAn older paragraph.\n`;
    writeFileSync(join(dir, "docs/pipeline.md"), old);
    const base = JSON.parse(read(dir, ".create-pipeline/base.json"));
    base["docs/pipeline.md"] = old;
    writeFileSync(join(dir, ".create-pipeline/base.json"), JSON.stringify(base));
    const state = JSON.parse(read(dir, ".create-pipeline/state.json"));
    state.pack.version = "0.9.0";
    state.files["docs/pipeline.md"].hash = `sha256-${createHash("sha256").update(old).digest("hex").slice(0, 32)}`;
    writeFileSync(join(dir, ".create-pipeline/state.json"), `${JSON.stringify(state, null, 2)}\n`);
    commitAll(dir, "older pack");

    const check = await runCli(["check", dir]);
    expect(check.code).toBe(3);
    expect(check.stdout).toContain("The template pack moved: pipeline@0.9.0 → pipeline@1.0.0.");
    expect(check.stdout).toMatch(/~ docs\/pipeline\.md\s+update: .*\n\s+because template pack pipeline@0\.9\.0 → pipeline@1\.0\.0\n/);
    expect(check.stdout).not.toContain("Answers changed");
    const up = await runCli(["update", dir, "--dry-run", "--json"]);
    expect(file(up.stdout, "docs/pipeline.md")?.because).toEqual(["template pack pipeline@0.9.0 → pipeline@1.0.0"]);
    expect(JSON.parse(up.stdout).changes.pack).toEqual({ from: "pipeline@0.9.0", to: "pipeline@1.0.0" });
    const text = await runCli(["update", dir, "--dry-run"]);
    expect(text.stdout).toContain("What changed:\n  template pack pipeline@0.9.0 → pipeline@1.0.0\n");
  });
});

describe("several services: --dry-run shows the answers and the whole plan, as for one service", () => {
  it("create --dry-run: shared and per-service answers with their origins, every file, clashes listed (exit 2, nothing written)", async () => {
    const dir = join(tempDir("cp-dry-"), "shop");
    mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
    cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
    cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
    writeFileSync(join(dir, ".github", "workflows", "ci.yml"), "name: ours\n");
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
    const r = await runCli(["create", dir, "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Shared answers:\n {2}name: shop \(detected\)\n/);
    expect(r.stdout).toContain("  registry: ghcr (default)\n");
    expect(r.stdout).toContain("  owner: acme (detected)\n");
    expect(r.stdout).toMatch(/Answers of services\/api \(hello-node\):\n {2}name: hello-node \(detected\)\n/);
    expect(r.stdout).toMatch(/Answers of services\/gateway \(hello-go\):\n(?: {2}.*\n)* {2}port: 8080 \(detected\)\n/);
    expect(r.stdout).toMatch(/Answers of services\/gateway \(hello-go\):\n(?: {2}.*\n)* {2}runtimeAssets: "" \(default\)\n/);
    // The whole plan, new files included.
    expect(r.stdout).toMatch(/\+ services\/api\/Dockerfile\s+create: new file/);
    expect(r.stdout).toMatch(/\+ charts\/hello-go\/Chart\.yaml\s+create: new file/);
    expect(r.stdout).toMatch(/! \.github\/workflows\/ci\.yml\n\s+conflict: exists with other content/);
    expect(r.stdout).toMatch(
      /Would clash \(exist with other content; --force overwrites, --skip-existing keeps\n {2}them\):\n {2}! \.github\/workflows\/ci\.yml\n/,
    );
    for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(readdirSync(dir).sort()).toEqual([".git", ".github", "services"]);
    expect(read(dir, ".github/workflows/ci.yml")).toBe("name: ours\n");
    const json = await runCli(["create", dir, "--dry-run", "--json"]);
    expect(json.code).toBe(2);
    const j = JSON.parse(json.stdout);
    expect(j.problems).toEqual([expect.objectContaining({ kind: "clash", path: ".github/workflows/ci.yml" })]);
    expect(j.files).toContainEqual(expect.objectContaining({ path: "services/api/Dockerfile", action: "create" }));
    expect(j.error.code).toBe("usage");
    expect(readdirSync(dir).sort()).toEqual([".git", ".github", "services"]);
    // Without --dry-run it stops, as before.
    const real = await runCli(["create", dir]);
    expect(real.code).toBe(2);
    expect(real.stderr).toContain(".github/workflows/ci.yml");
  });

  it("update --dry-run: the answers with their origins, what changed, every file and the diffs; nothing written", async () => {
    const dir = await shop();
    const text = read(dir, ".create-pipeline.yaml");
    writeFileSync(join(dir, ".create-pipeline.yaml"), text.replace(/^ {4}port: 3000$/m, "    port: 3001"));
    const r = await runCli(["update", dir, "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Shared answers:\n {2}name: shop \(detected\)\n/);
    expect(r.stdout).toMatch(/Answers of services\/api \(hello-node\):\n(?: {2}.*\n)* {2}port: 3001 \(given\)\n/);
    expect(r.stdout).toContain("What changed:\n  services[services/api].port: 3000 → 3001\n");
    expect(r.stdout).toMatch(/update would:\n/);
    // Unchanged files are listed too: the whole plan.
    expect(r.stdout).toMatch(/= services\/gateway\/Dockerfile\s+keep: up to date/);
    expect(r.stdout).toContain("--- a/services/api/Dockerfile\n+++ b/services/api/Dockerfile\n");
    expect(r.stdout).toContain("+EXPOSE 3001");
    expect(read(dir, "services/api/Dockerfile")).toContain("EXPOSE 3000");
  });
});
