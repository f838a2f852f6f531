// A new user's first runs, on a terminal and in CI: every error and notice fits 80 columns with its
// gutter, the suggestions name the folder and the command meant, the help says what a command
// takes, a wizard interrupted anywhere keeps what was given, and a repository whose default
// branch is not `main` never reads `main` as its branch.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../src/version.js";
import { REPO, readTree, runCli, tempDir, unwrapReport } from "../support/cli.js";
import { git } from "../support/repo.js";

/** A Python service under git on `branch`, with a GitHub remote unless told otherwise. */
function service(opts: { remote?: boolean; branch?: string } = {}): string {
  const dir = join(tempDir(), "ledger");
  mkdirSync(dir);
  cpSync(join(REPO, "test", "fixtures", "services", "python"), dir, { recursive: true });
  git(dir, "init", "-q", "-b", opts.branch ?? "main");
  if (opts.remote !== false) git(dir, "remote", "add", "origin", "git@github.com:acme/ledger.git");
  return dir;
}

const tooLong = (text: string) => text.split("\n").filter((l) => l.length > 80);

describe("errors and notices at 80 columns", () => {
  it("no line of a failure's output is longer than 80 columns, and wrapped parts keep their gutter", async () => {
    const dir = service({ remote: false });
    const parent = join(dir, "..");
    mkdirSync(join(parent, "empty"));
    const made = service();
    expect((await runCli([made, "--yes"])).code).toBe(0);
    const drifted = join(made, ".create-pipeline.yaml");
    writeFileSync(drifted, readFileSync(drifted, "utf8").replace("port: 8000", "port: 8001"));
    const clashing = service();
    writeFileSync(join(clashing, "Dockerfile"), "FROM scratch\n");
    const cases: { argv: string[]; code: number }[] = [
      // many required answers missing at once (the list of answers and of flags)
      { argv: [dir, "--registry", "acr", "--cluster", "aks", "--mode", "push"], code: 2 },
      { argv: [dir, "--registry", "ecr", "--cluster", "eks", "--mode", "push"], code: 2 },
      // an unknown option without a near one: the fix names the help command
      { argv: [dir, "--completely-unknown-option", "x"], code: 2 },
      { argv: [dir, "--regsitry", "ecr"], code: 2 },
      { argv: ["diff", "--strict"], code: 2 },
      { argv: [dir, "--force", "--skip-existing"], code: 2 },
      { argv: [dir, "--owner", "acme", "--port", "70000"], code: 2 },
      { argv: [dir, "--owner", "acme", "--name", "My_Service_Name_That_Kubernetes_And_Helm_Would_Both_Refuse_Outright"], code: 2 },
      { argv: [dir, "--config", "no-such-answers.yaml"], code: 2 },
      { argv: [dir, "--template", "gh:acme/packs/pipeline"], code: 2 },
      { argv: ["check", join(parent, "empty")], code: 2 },
      { argv: ["update", join(parent, "empty")], code: 2 },
      { argv: ["help", "updat"], code: 2 },
      { argv: ["updat"], code: 2 },
      { argv: ["--version", "extra"], code: 2 },
      { argv: [made], code: 2 }, // already made: update or --force
      { argv: ["check", made], code: 3 },
      { argv: [clashing, "--yes"], code: 2 },
      { argv: [clashing, "--yes", "--dry-run"], code: 2 },
      { argv: [dir, "--owner", "acme", "--dry-run", "--template", "pipeline"], code: 0 },
    ];
    for (const c of cases) {
      const r = await runCli(c.argv, { cwd: parent });
      expect(r.code, `${c.argv.join(" ")}\n${r.stderr}`).toBe(c.code);
      const out = c.code === 0 || c.code === 3 || c.argv.includes("--dry-run") ? r.stdout.slice(0, 2000) + r.stderr : r.stderr;
      expect(out.trim().length, c.argv.join(" ")).toBeGreaterThan(0);
      expect(tooLong(out), `${c.argv.join(" ")}:\n${out}`).toEqual([]);
      // A wrapped error line continues indented under its own part (never at the left edge).
      if (r.stderr.startsWith("create-pipeline: "))
        for (const line of r.stderr.trimEnd().split("\n").slice(1)) expect(line, r.stderr).toMatch(/^ {2}\S|^ {6,}\S/);
    }
  });

  it("the missing-answers list wraps into one readable message that still names every flag", async () => {
    const dir = service({ remote: false });
    const r = await runCli([dir, "--registry", "acr", "--cluster", "aks", "--mode", "push"]);
    expect(r.code).toBe(2);
    const text = unwrapReport(r.stderr);
    expect(text).toMatch(/^create-pipeline: missing required answers: owner \(.*\); acrName \(.*\); azureResourceGroup/);
    expect(text).toMatch(/\n {2}fix: supply --owner <value>, --acr-name <value>, --azure-resource-group <value>/);
    for (const line of r.stderr.split("\n").filter((l) => l.startsWith("       "))) expect(line).toMatch(/^ {7}\S/);
  });
});

describe("suggestions name what was meant", () => {
  it("check in a folder that was never made suggests create with that folder", async () => {
    const parent = tempDir();
    mkdirSync(join(parent, "svc"));
    const r = await runCli(["check", "svc"], { cwd: parent });
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain(`fix: run \`npx @create-pipeline/cli@${TOOL_VERSION} create svc\` first`);
    const here = await runCli(["update"], { cwd: join(parent, "svc") });
    expect(unwrapReport(here.stderr)).toContain(`fix: run \`npx @create-pipeline/cli@${TOOL_VERSION} create\` first`);
  });

  it("help with a mistyped command says which one was meant; --version takes nothing else", async () => {
    const r = await runCli(["help", "updat"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no command 'updat': did you mean update?");
    expect(r.stderr).toContain(`help update`);
    const far = await runCli(["help", "zzzzzz"]);
    expect(far.code).toBe(2);
    expect(unwrapReport(far.stderr)).toContain("commands: create, update, check");

    const v = await runCli(["--version", "extra"]);
    expect(v.code).toBe(2);
    expect(v.stdout).toBe("");
    expect(v.stderr).toContain("--version takes no other arguments (got 'extra')");
    expect((await runCli(["--version"])).stdout).toBe(`${TOOL_VERSION}\n`);
    expect((await runCli(["-v"])).code).toBe(0);
  });
});

describe("help", () => {
  it("check --help's usage line names the answer flags it lists; an empty default reads as none", async () => {
    const check = (await runCli(["check", "--help"])).stdout;
    expect(check).toContain("check [dir] [options] [answer flags]");
    expect(check).toContain("Answer flags of the 'pipeline' pack");
    const all = (await runCli(["--help"])).stdout;
    expect(all).not.toMatch(/\(default \)/);
    const gitops = all.slice(all.indexOf("--gitops-repo"), all.indexOf("\n  --", all.indexOf("--gitops-repo")));
    expect(gitops.replace(/\s+/g, " ")).toContain("(default: none)");
  });
});

describe("the wizard", () => {
  it("an option error on a terminal is the error alone: no session header printed before it", async () => {
    const r = await runCli([service(), "--regsitry", "ecr"], { script: {} });
    expect(r.code).toBe(2);
    expect(r.intros).toEqual([]);
    expect(r.asked).toEqual([]);
    expect(r.stderr).toContain("did you mean '--registry'?");
    // ...and a good run still opens with it, once.
    const ok = await runCli([service()], { script: {} });
    expect(ok.code).toBe(0);
    expect(ok.intros).toEqual([`@create-pipeline/cli@${TOOL_VERSION}`]);
  });

  it("Ctrl-C at a prompt in the middle prints the command with the flags and the answers so far, once", async () => {
    const dir = service();
    const r = await runCli([dir, "--strategy", "canary", "--no-scan"], { script: { cancelAt: "mode", answers: { registry: "dockerhub" } } });
    expect(r.code).toBe(130);
    expect(readTree(dir)[".create-pipeline.yaml"]).toBeUndefined();
    expect(r.stdout.match(/To start again/g)).toHaveLength(1);
    const command = r.stdout
      .slice(r.stdout.indexOf("npx "))
      .replace(/ \\\n\s*/g, " ")
      .trim();
    expect(command).toMatch(/ --registry dockerhub /);
    expect(command).toMatch(/ --strategy canary /);
    expect(command).toMatch(/ --no-scan$/);
    // Only flags, nothing chosen yet: still printed (the flags are not lost).
    const early = await runCli([service(), "--strategy", "canary"], { script: { cancelAt: "registry" } });
    expect(early.code).toBe(130);
    expect(early.stdout.replace(/ \\\n\s*/g, " ")).toMatch(/create \S+ --strategy canary\n/);
  });

  it("a group header stands over several questions, never over a lone one", async () => {
    // No remote: the owner is the one fact asked on its own, before the facts step.
    const r = await runCli([service({ remote: false })], { script: { answers: { owner: "acme" } } });
    expect(r.code).toBe(0);
    expect(r.asked[0]).toBe("owner");
    expect(r.sections).not.toContain("Image");
    expect(r.sections).toContain("Deploy");
  });

  it("a fact not found in the repository is shown as a guess, not as a plain default", async () => {
    const dir = service();
    writeFileSync(join(dir, "app.py"), "print('no server here')\n");
    const r = await runCli([dir], { script: {} });
    const facts = r.notes.find((n) => n.startsWith("About this service"))!;
    expect(facts).toMatch(/Port the service listens on: \d+ \(not found: a guess\)/);
    expect(facts).not.toContain("(default)");
  });
});

describe("a repository without a git remote", () => {
  it("the owner's prompt does not claim it was read from a remote, and Argo CD's repository URL is shown as a guess", async () => {
    const dir = service({ remote: false });
    const r = await runCli([dir], { script: { answers: { owner: "acme" } } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.asked[0]).toBe("owner");
    expect(r.placeholders.owner).toBeDefined();
    expect(r.placeholders.owner).not.toMatch(/detected from/i);
    const facts = r.notes.find((n) => n.startsWith("About this service"))!;
    expect(facts).toContain("Git repository URL Argo CD syncs from: https://github.com/acme/hello-python.git (not found: a guess)");
  });

  it("without a terminal, the guessed repository URL is marked DEFAULT with why, in the text and in --json", async () => {
    const dir = service({ remote: false });
    const dry = await runCli([dir, "--yes", "--owner", "acme", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.replace(/\n {4}/g, " ")).toContain(
      "repoUrl: https://github.com/acme/hello-python.git  [DEFAULT: no git remote to read it from: made from owner and name, a guess; check it]",
    );
    const json = JSON.parse((await runCli([dir, "--yes", "--owner", "acme", "--json"])).stdout) as { answers: Record<string, unknown> };
    expect(json.answers.repoUrl).toEqual({
      value: "https://github.com/acme/hello-python.git",
      origin: "default",
      note: "no git remote to read it from: made from owner and name, a guess",
    });
    // With a GitHub remote it is read from there, and said so.
    const withRemote = service();
    const detected = JSON.parse((await runCli([withRemote, "--yes", "--json"])).stdout) as { answers: Record<string, unknown> };
    expect(detected.answers.repoUrl).toEqual({ value: "https://github.com/acme/ledger.git", origin: "detected", from: ".git/config remote" });
  });
});

describe("a repository whose default branch is master", () => {
  /** `main` as a word, except where it is not a branch: Python's entry point, Go's main package, URLs, Poetry's main group. */
  const NOT_A_BRANCH = /__main__|main\.py|main package|package main|func main|main\(\)|\/main\/|--only main|main group/;
  const branchMains = (text: string) =>
    text
      .split("\n")
      .filter((l) => /\bmain\b/.test(l.replace(new RegExp(NOT_A_BRANCH.source, "g"), "")))
      .map((l) => l.trim());

  it("every generated file and the next steps name master, never main, over several option sets", async () => {
    const sets = [
      [],
      ["--registry", "ecr", "--aws-account-id", "123456789012", "--cluster", "eks", "--mode", "push"],
      ["--registry", "gar", "--gcp-project", "acme-prod", "--cluster", "gke", "--release-tool", "semantic-release"],
      ["--registry", "acr", "--acr-name", "acmeregistry", "--azure-resource-group", "rg", "--cluster", "aks", "--environments", "dev,staging,prod"],
    ];
    for (const flags of sets) {
      const dir = service({ branch: "master" });
      const r = await runCli([dir, "--yes", ...flags]);
      expect(r.code, r.stderr).toBe(0);
      const tree = readTree(dir);
      const found: string[] = [];
      for (const [path, content] of Object.entries(tree)) {
        if (path.startsWith(".create-pipeline/") || path === "app.py" || path === "pyproject.toml") continue;
        for (const line of branchMains(content)) found.push(`${path}: ${line}`);
      }
      for (const line of branchMains(r.stdout)) found.push(`next steps: ${line}`);
      expect(found, flags.join(" ")).toEqual([]);
      expect(tree["docs/pipeline.md"]).toContain("--ref master");
      expect(r.stdout).toContain("--ref master");
    }
  });

  it("the next steps do not promise an approval that only a set REVIEWER gives", async () => {
    const r = await runCli([service({ branch: "master" }), "--yes"]);
    const steps = r.stdout.slice(r.stdout.indexOf("Next steps"));
    expect(steps).toContain('REVIEWER=""');
    expect(steps).not.toMatch(/prod waits for an approval\./);
    expect(steps.replace(/\s+/g, " ")).toContain(
      "prod waits for REVIEWER's approval if you set one in step 1; otherwise promote it by hand: gh workflow run delivery.yml --ref master -f promote=true",
    );
  });
});
