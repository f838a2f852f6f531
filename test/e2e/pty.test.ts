// The CLI in a real pseudo-terminal (tmux): the clack prompts are answered with keys, Ctrl-C
// cancels, and CI=true never prompts even with a terminal. Every wait polls with a deadline and
// each test runs its own tmux server, killed afterwards, so nothing can hang or leak.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { PACKS, REPO, readTree, tempDir } from "../support/cli.js";
import { BIN, buildOnce } from "../support/build.js";

const demo = join(PACKS, "demo-v1");
let serial = 0;
let socket: string | undefined;

const tmux = (...args: string[]) => execFileSync("tmux", ["-u", "-S", socket!, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "cli");
const keys = (...k: string[]) => tmux("send-keys", "-t", "cli", ...k);
const type = (text: string) => tmux("send-keys", "-t", "cli", "-l", text);
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Start the CLI in a detached 120x40 session. The shell writes its exit code to a file, then
 * stays so the screen can still be read.
 */
function start(args: string[], env: string): { exitFile: string } {
  // A private server per test, its socket in a temp folder (so no other tmux is touched).
  socket = join(tempDir("cp-pty-"), `tmux-${++serial}.sock`);
  const exitFile = join(tempDir(), "exit");
  const cmd = `cd ${q(REPO)} && env -u CI -u GITHUB_ACTIONS ${env} ${q(process.execPath)} ${q(BIN)} ${args.map(q).join(" ")}; echo EXIT=$? > ${q(exitFile)}; sleep 120`;
  tmux("new-session", "-d", "-s", "cli", "-x", "120", "-y", "40", cmd);
  return { exitFile };
}

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const waitText = (text: string, ms?: number) => waitFor(`"${text}"`, () => screen().includes(text), ms);

async function exitCode(exitFile: string, ms?: number): Promise<number> {
  await waitFor("the command to end", () => existsSync(exitFile) && readFileSync(exitFile, "utf8").includes("\n"), ms);
  return Number(/EXIT=(\d+)/.exec(readFileSync(exitFile, "utf8"))![1]);
}

beforeAll(async () => {
  // No tmux means no terminal test: fail, never pass silently (.ci/run installs it).
  execFileSync("tmux", ["-V"]);
  await buildOnce();
});

afterEach(() => {
  if (socket) {
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
    rmSync(dirname(socket), { recursive: true, force: true });
    socket = undefined;
  }
});

describe("in a real terminal", () => {
  it("asks every question, shows the answers and files, and writes what was answered", async () => {
    const target = join(tempDir(), "svc");
    const { exitFile } = start([target, "--template", demo, "--verbose"], "");

    await waitText("Service name");
    expect(screen()).toContain("svc"); // the folder name is offered
    keys("BSpace", "BSpace", "BSpace");
    type("ledger");
    await waitText("ledger");
    keys("Enter");

    await waitText("Language");
    expect(screen()).toMatch(/Node\.js[\s\S]*Go/);
    keys("Down", "Enter"); // Node.js → Go

    await waitText("Port");
    await waitText("8080"); // the default follows the language
    keys("Enter");

    await waitText("Environments");
    keys("Down", "Space", "Enter"); // dev and prod are preselected; add staging

    await waitText("Debug logging?");
    keys("Left", "Enter"); // No → Yes

    await waitText("Go module path"); // asked only for go
    await waitText("example.com/ledger");
    keys("Enter");

    await waitText("Write these files?");
    const summary = screen();
    for (const line of [
      "name: ledger (given)",
      "language: go (given)",
      "port: 8080 (given)", // Enter on the offered default at its prompt: the user's answer
      "environments: dev, staging, prod (given)",
      "debug: true (given)",
      "goModule: example.com/ledger (given)",
    ])
      expect(summary).toContain(line);
    for (const file of ["+ README.md", "+ env/staging.yaml", "+ go-only.txt", "+ ledger/app.txt", "+ .create-pipeline.yaml"]) expect(summary).toContain(file);
    expect(existsSync(target)).toBe(false); // nothing before the confirmation
    keys("Enter");

    expect(await exitCode(exitFile)).toBe(0);
    await waitText("Next steps");
    expect(screen()).toContain("gh secret set LEDGER_TOKEN");
    const tree = readTree(target);
    expect(tree["README.md"]).toContain("# ledger");
    expect(tree["README.md"]).toContain("A go service on port 8080.");
    expect(tree["README.md"]).toMatch(/- dev\n- staging\n- prod\n/);
    expect(tree["config/values.yaml"]).toContain("debug: true");
    expect(tree["go-only.txt"]).toBe("only for go: example.com/ledger\n");
    expect(Object.keys(tree)).toEqual(expect.arrayContaining(["ledger/app.txt", "env/dev.yaml", "env/staging.yaml", "env/prod.yaml"]));
    expect(tree[".create-pipeline.yaml"]).toMatch(
      /name: ledger\nlanguage: go\nport: 8080\nenvironments:\n {2}- dev\n {2}- staging\n {2}- prod\ndebug: true\ngoModule: example.com\/ledger\n/,
    );
  });

  it("Ctrl-C at a prompt exits 130 and writes nothing", async () => {
    const parent = tempDir();
    const target = join(parent, "svc");
    const { exitFile } = start([target, "--template", demo], "");
    await waitText("Service name");
    keys("Enter");
    await waitText("Language");
    keys("C-c");
    expect(await exitCode(exitFile)).toBe(130);
    expect(screen()).toContain("nothing was written");
    expect(existsSync(target)).toBe(false);
  });

  it("Ctrl-C at the final confirmation exits 130 and writes nothing", async () => {
    const target = join(tempDir(), "svc");
    const { exitFile } = start([target, "--template", demo, "--language", "go", "--environments", "dev", "--no-debug"], "");
    for (const prompt of ["Service name", "Port", "Go module path"]) {
      await waitText(prompt);
      keys("Enter");
    }
    await waitText("Write these files?");
    keys("C-c");
    expect(await exitCode(exitFile)).toBe(130);
    expect(existsSync(target)).toBe(false);
  });

  it("with CI=true nothing is asked even in a terminal: defaults are taken without a key pressed", async () => {
    const target = join(tempDir(), "svc");
    const { exitFile } = start([target, "--template", demo], "CI=true");
    expect(await exitCode(exitFile)).toBe(0);
    expect(screen()).not.toContain("Service name");
    expect(readTree(target)["README.md"]).toContain("# svc");
  });

  it("with CI=true a required answer without a default fails at once, naming the flags", async () => {
    const target = join(tempDir(), "svc");
    const { exitFile } = start([target, "--template", join(PACKS, "required-answer")], "CI=true");
    expect(await exitCode(exitFile)).toBe(2);
    expect(screen()).toContain("fix: supply --owner <value>, --registry <ghcr|ecr>");
    expect(existsSync(target)).toBe(false);
  });
});
