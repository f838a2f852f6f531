// What people read: the diff command, colour only where it belongs, dry runs that show everything.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { painter } from "../../src/cli/style.js";
import { PACKS, runCli, tempDir } from "../support/cli.js";
import { edit, makeRepo, write } from "../support/repo.js";

const ESC = "\u001b[";

describe("diff", () => {
  it("shows the user's hand edits per file against the generated base, and only those", async () => {
    const dir = await makeRepo();
    const clean = await runCli(["diff", dir]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("No hand edits");
    edit(dir, "Dockerfile", "RUN echo build\n", "RUN echo build --debug\n");
    write(dir, "env/dev.yaml", "environment: dev\nreplicas: 9\n"); // a seed file: the user's, not compared
    const r = await runCli(["diff", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--- a/Dockerfile\n+++ b/Dockerfile\n");
    expect(r.stdout).toMatch(/^-RUN echo build$/m);
    expect(r.stdout).toMatch(/^\+RUN echo build --debug$/m);
    expect(r.stdout).not.toContain("env/dev.yaml");
    expect(r.stdout).toContain("1 file differs from what create-pipeline generated");
    // one file by name; a seed or unknown file is a usage error that says why
    expect((await runCli(["diff", dir, "README.md"])).stdout).toContain("No hand edits: README.md");
    const seed = await runCli(["diff", dir, "env/dev.yaml"]);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("seed file");
    expect((await runCli(["diff", tempDir()])).code).toBe(2);
  });
});

describe("colour", () => {
  it("only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR forces it", () => {
    expect(painter({}, true)("red", "x")).toContain(ESC);
    expect(painter({}, false)("red", "x")).toBe("x");
    expect(painter({ NO_COLOR: "1" }, true)("red", "x")).toBe("x");
    expect(painter({ TERM: "dumb" }, true)("red", "x")).toBe("x");
    expect(painter({ FORCE_COLOR: "1" }, false)("red", "x")).toContain(ESC);
    expect(painter({ FORCE_COLOR: "0" }, true)("red", "x")).toContain(ESC);
  });

  it("piped output of a real run has no escape codes; FORCE_COLOR adds them", async () => {
    const plain = await runCli([join(tempDir(), "a"), "--template", join(PACKS, "demo-v1"), "--yes", "--dry-run"]);
    expect(plain.stdout).not.toContain(ESC);
    const forced = await runCli([join(tempDir(), "b"), "--template", join(PACKS, "demo-v1"), "--yes", "--dry-run"], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(ESC);
  });
});

describe("--dry-run", () => {
  it("interactive: asks, then shows every answer with its origin and the whole plan, writes nothing", async () => {
    const dir = join(tempDir(), "svc");
    const r = await runCli([dir, "--template", join(PACKS, "demo-v1"), "--dry-run"], { script: { answers: { port: "7070" } } });
    expect(r.code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(r.stdout).toContain("port: 7070 (given)");
    expect(r.stdout).toContain("name: svc (detected)");
    expect(r.stdout).toMatch(/\+ README\.md\s+create/);
    expect(r.asked).not.toContain("select: Write these files?");
  });

  it("lists the files that would clash instead of stopping", async () => {
    const dir = tempDir();
    write(dir, "README.md", "mine\n");
    const r = await runCli([dir, "--template", join(PACKS, "demo-v1"), "--yes", "--dry-run", "--language", "go"]);
    // the whole plan is shown, and the exit code is the one the real run would have
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Would clash");
    expect(r.stdout).toMatch(/! README\.md/);
  });
});

describe("help", () => {
  it("update --help in a repository shows update's options and the answer flags of the pack it was made with", async () => {
    const dir = await makeRepo();
    const r = await runCli(["update", dir, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--reconfigure");
    expect(r.stdout).not.toContain("--add-workflow");
    expect(r.stdout).toContain("Answer flags of the 'demo' pack");
    expect(r.stdout).toContain("--go-module <value>");
    // elsewhere: the built-in pack's
    const plain = await runCli(["update", "--help"], { cwd: tempDir() });
    expect(plain.stdout).toContain("Answer flags of the 'pipeline' pack");
  });

  it("a command's --help says only what applies to that command (options, prompts, exit codes)", async () => {
    const diff = (await runCli(["diff", "--help"], { cwd: tempDir() })).stdout;
    // diff asks nothing, takes no answer flags, finds no drift and leaves no conflicts
    expect(diff).not.toMatch(/--yes|answer flags|check found drift|conflicts to resolve|rolled back/);
    expect(diff).toMatch(/-h, --help +this help\n/);
    expect(diff).toContain("2 usage or validation error");
    const update = (await runCli(["update", "--help"], { cwd: tempDir() })).stdout;
    expect(update).toMatch(/--services <a,b> +service folders whose own answers to change\n/);
    expect(update).not.toContain("check found drift");
    expect(update).toContain("4 update left conflicts to resolve");
    expect(update).toContain("nothing is ever asked");
    const check = (await runCli(["check", "--help"], { cwd: tempDir() })).stdout;
    expect(check).toContain("3 check found drift");
    expect(check).not.toContain("conflicts to resolve");
    // the general usage still lists every option and exit code
    const all = (await runCli(["--help"], { cwd: tempDir() })).stdout;
    for (const text of ["3 check found drift", "4 update left conflicts to resolve", "(create; default every one detected)"]) expect(all).toContain(text);
  });
});
