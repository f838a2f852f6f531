import { TOOL_VERSION } from "../../src/version.js";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { ageFiles, commitAll, edit, git, makeRepo, read, snapshot, updateToV2, V1, V2, write } from "../support/repo.js";

const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe("check", () => {
  it("exits 0 right after create, writing nothing", async () => {
    const dir = await makeRepo();
    ageFiles(dir);
    const before = snapshot(dir);
    const r = await runCli(["check", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No drift");
    expect((await runCli(["check", dir, "--strict"])).code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it("--json after create: ok, no drift, nothing listed", async () => {
    const dir = await makeRepo();
    const r = await runCli(["check", dir, "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      schemaVersion: 1,
      ok: true,
      command: "check",
      exitCode: 0,
      changes: { answers: [] },
      files: [],
      pack: { name: "demo", from: "1.0.0", version: "1.0.0" },
    });
    expect(json(r).problems.filter((p: { kind: string }) => p.kind !== "no-check-workflow")).toEqual([]);
  });

  it("exits 3 for a newer pack, naming the pack move and the files, and writes nothing", async () => {
    const dir = await makeRepo();
    ageFiles(dir);
    const before = snapshot(dir);
    const r = await runCli(["check", dir, "--template", V2, "--set", "team=core"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("demo@1.0.0 → demo@2.0.0");
    expect(r.stdout).toMatch(/~ Dockerfile\s+update/);
    expect(r.stdout).toMatch(/- dropped\.txt\s+delete/);
    expect(r.stdout).toMatch(/\+ added\.txt\s+create/);
    expect(r.stdout).toContain("Drift found");
    expect(snapshot(dir)).toEqual(before);
    const j = await runCli(["check", dir, "--template", V2, "--set", "team=core", "--json"]);
    expect(j.code).toBe(3);
    const out = json(j);
    expect(out).toMatchObject({
      ok: false,
      exitCode: 3,
      pack: { from: "1.0.0", version: "2.0.0" },
      changes: { pack: { from: "demo@1.0.0", to: "demo@2.0.0" } },
    });
    expect(out.problems).toContainEqual(expect.objectContaining({ kind: "drift" }));
    expect(out.files.find((f: { path: string }) => f.path === "Dockerfile")).toMatchObject({
      action: "update",
      reason: expect.any(String),
      because: ["template pack demo@1.0.0 → demo@2.0.0"],
    });
  });

  it("exits 3 (drift, not a usage error) when the newer pack asks a question without a default", async () => {
    const dir = await makeRepo();
    const r = await runCli(["check", dir, "--template", V2]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("team");
    expect(r.stdout).toContain("--team");
    const j = await runCli(["check", dir, "--template", V2, "--json"]);
    expect(j.code).toBe(3);
    expect(json(j)).toMatchObject({ ok: false, exitCode: 3, problems: [{ kind: "unanswered", message: expect.stringContaining("--team") }] });
  });

  it("exits 3 after an answer is edited in .create-pipeline.yaml; update then brings it back to 0", async () => {
    const dir = await makeRepo();
    edit(dir, ".create-pipeline.yaml", "port: 8080", "port: 9000");
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/~ README\.md\s+update/);
    expect(r.stdout).toMatch(/~ config\/values\.yaml\s+update/);
    // It says why: the answer that moved, not "the template changed".
    expect(r.stdout).toContain("Answers changed since the files were generated:\n  port: 8080 → 9000");
    expect(r.stdout).toMatch(/~ README\.md\s+update: new answers change it; you had not edited it\n\s+because port: 8080 → 9000/);
    expect(r.stdout).not.toContain("the template changed");
    const j = json(await runCli(["check", dir, "--json"]));
    expect(j.changes).toEqual({ answers: [{ key: "port", from: 8080, to: 9000 }] });
    expect(j.files.find((f: { path: string }) => f.path === "README.md").because).toEqual(["port: 8080 → 9000"]);
    commitAll(dir);
    const u = await runCli(["update", dir]);
    expect(u.code).toBe(0);
    expect(read(dir, "README.md")).toContain("port 9000");
    // the hand-edited answers file is left as the user wrote it
    expect(read(dir, ".create-pipeline.yaml")).toContain("port: 9000");
    const again = await runCli(["check", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No drift");
  });

  it("exits 3 when a managed file is out of date with the pack it records (same version, new output)", async () => {
    const pack = join(tempDir(), "pack");
    execFileSync("cp", ["-r", V1, pack]);
    const dir = await makeRepo({ pack });
    edit(pack, "files/Dockerfile.eta", "USER 10001", "USER 65532");
    // The pack's content changed since it was trusted: it runs again only when trusted again.
    expect((await runCli(["check", dir])).code).toBe(2);
    const r = await runCli(["check", dir, "--trust"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/~ Dockerfile\s+update: the template changed/);
    expect(r.stdout).not.toContain("README.md");
    expect((await runCli(["update", dir])).code).toBe(0);
    expect(read(dir, "Dockerfile")).toContain("USER 65532");
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("lists hand edits update keeps but passes; --strict fails on them", async () => {
    const dir = await makeRepo();
    write(dir, "svc/app.txt", "app svc\nmine\n");
    write(dir, "env/dev.yaml", "environment: dev\nreplicas: 5\n"); // a seed: the user's, never a hand edit
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Hand edits update keeps \(allowed\):\n {2}\* svc\/app\.txt: your edits kept/);
    expect(r.stdout).not.toContain("env/dev.yaml");
    const strict = await runCli(["check", dir, "--strict"]);
    expect(strict.code).toBe(3);
    expect(strict.stdout).toContain("svc/app.txt");
    expect(strict.stdout).toContain("Drift found");
    const j = await runCli(["check", dir, "--strict", "--json"]);
    expect(j.code).toBe(3);
    expect(json(j)).toMatchObject({ ok: false, exitCode: 3 });
    expect(json(j).problems.filter((p: { kind: string }) => p.kind === "hand-edit" || p.kind === "drift")).toEqual([
      expect.objectContaining({ kind: "hand-edit", path: "svc/app.txt" }),
    ]);
    expect(json(j).files).toEqual([expect.objectContaining({ path: "svc/app.txt", action: "keep" })]);
  });

  it("a file the user deleted is reported but is not drift", async () => {
    const dir = await makeRepo();
    git(dir, "rm", "-q", "settings.json");
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Deleted by you \(stay deleted\):\n {2}- settings\.json/);
  });

  it("after an update to the newer pack, check against it passes", async () => {
    const dir = await makeRepo();
    write(dir, "svc/app.txt", "app svc\nmine\n");
    commitAll(dir);
    expect((await updateToV2(dir)).code).toBe(0);
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(0);
    expect((await runCli(["check", dir, "--template", V2])).code).toBe(0);
  });

  it("runs in CI without a terminal and never prompts", async () => {
    const dir = await makeRepo();
    const r = await runCli(["check", dir, "--template", V2], { script: {}, env: { CI: "true" } });
    expect(r.code).toBe(3);
    expect(r.asked).toEqual([]);
    // even in a terminal, check asks nothing
    const tty = await runCli(["check", dir, "--template", V2], { script: {} });
    expect(tty.code).toBe(3);
    expect(tty.asked).toEqual([]);
  });

  it("a folder that was not made by create-pipeline is a usage error, not a pass", async () => {
    const r = await runCli(["check", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`npx @create-pipeline/cli@${TOOL_VERSION} create`);
  });
});

describe("check with a hand edit that conflicts with the template's change", () => {
  it("fits 80 columns, and does not list the conflicting file among the hand edits update keeps", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "RUN echo build\n", "RUN echo build --debug\n");
    edit(dir, ".github/workflows/ci.yml", /$/, "\n# ours\n");
    commitAll(dir);
    const r = await runCli(["check", dir, "--template", V2, "--set", "team=core"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/! Dockerfile\s+conflict/);
    expect(r.stdout).toMatch(/resolve the\s+markers/);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    const kept = r.stdout.slice(r.stdout.indexOf("Hand edits update keeps"));
    expect(kept).toContain(".github/workflows/ci.yml");
    expect(kept).not.toContain("Dockerfile");
  });
});
