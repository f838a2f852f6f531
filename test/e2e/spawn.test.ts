// Real runs of bin/create-pipeline.js in a child process: exit codes, --version, --help, and
// runs without a terminal (stdin not a TTY, or CI=true) that must never prompt and never hang.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKS, REPO, readTree, tempDir, unwrapReport } from "../support/cli.js";
import { BIN, buildOnce } from "../support/build.js";

const demo = join(PACKS, "demo-v1");
const required = join(PACKS, "required-answer");
const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };

/** The environment of a plain shell in no CI; tests add what they need. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ["CI", "GITHUB_ACTIONS", "VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "NODE_OPTIONS"]) if (!(k in extra)) delete env[k];
  return env;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawn the CLI with stdin not a terminal. A hang shows up as a timeout, never as a stuck test. */
function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; stdio?: "ignore" | "empty" } = {}): Run {
  const started = Date.now();
  const o: SpawnSyncOptions = {
    cwd: opts.cwd ?? tempDir(),
    env: baseEnv(opts.env),
    encoding: "utf8",
    timeout: 20_000,
    killSignal: "SIGKILL",
  };
  if (opts.stdio === "empty") o.input = "";
  else o.stdio = ["ignore", "pipe", "pipe"];
  const r = spawnSync(process.execPath, [BIN, ...args], o);
  if (r.error) throw new Error(`create-pipeline ${args.join(" ")}: ${r.error.message} (a hang?)\n${String(r.stdout)}\n${String(r.stderr)}`);
  return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - started };
}

/** Characters of the clack prompts: none may appear when nothing may be asked. */
const PROMPT_MARKS = /[◆◇│┌└●○◼◻]/;

beforeAll(buildOnce);

describe("spawned: version, help, exit codes", () => {
  it("--version prints the package version and exits 0", () => {
    for (const flag of ["--version", "-v"]) {
      const r = cli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe("");
    }
  });

  it("the bundle started directly (node dist/cli.js) runs the CLI as the bin does, never a silent exit 0", () => {
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [join(REPO, "dist", "cli.js"), ...args], { cwd: tempDir(), env: baseEnv(), encoding: "utf8", timeout: 20_000 });
      return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
    };
    expect(run(["--version"])).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: "" });
    const wrong = run(["updat"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("did you mean update?");
    // A bare run without a terminal is the bin's bare run: create asks for what it needs (exit 2).
    const bare = run([]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain("missing required answer: owner");
  });

  it("--help lists the exit codes and the pack's answer flags", () => {
    const r = cli(["--help", "--template", demo]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("Exit codes");
    expect(r.stdout).toMatch(/0 ok\s+1 internal error\s+2 usage or validation error\s+3 check found drift/);
    expect(r.stdout).toMatch(/4 update left conflicts to resolve\s+130 cancelled/);
    expect(r.stdout).toContain("Answer flags of the 'demo' pack 1.0.0");
    for (const flag of [
      "--name <value>",
      "--language <node|go>",
      "--port <number>",
      "--environments <dev,staging,prod>",
      "--debug / --no-debug",
      "--go-module <value>",
    ])
      expect(r.stdout).toContain(flag);
  });

  it("a usage error exits 2 with one message on stderr and nothing on stdout", () => {
    const work = tempDir();
    const r = cli(["svc", "--template", demo, "--langauge", "go"], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("create-pipeline: unknown option '--langauge'\n  at: --langauge\n  fix: did you mean '--language'?\n");
    expect(readdirSync(work)).toEqual([]);
  });
});

describe("spawned: start-up", () => {
  it("a create with its output piped loads none of the built-in modules it never uses (node:fs's streams, MIME types, File)", () => {
    // The modules Node has loaded when the run ends, written by a preload (Node's own list).
    const work = tempDir();
    const list = join(work, "modules.txt");
    const preload = join(work, "modules.cjs");
    writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));\n`);
    const r = spawnSync(
      process.execPath,
      ["--require", preload, BIN, "svc", "--yes", "--owner", "acme", "--language", "node", "--start-command", "node index.js"],
      {
        cwd: work,
        env: baseEnv({ CI: "true" }),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 20_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const loaded = readFileSync(list, "utf8").split("\n");
    expect(loaded).toContain("NativeModule vm");
    expect(loaded.filter((m) => ["NativeModule internal/fs/streams", "NativeModule internal/mime", "NativeModule internal/file"].includes(m))).toEqual([]);
  });
});

describe("spawned: a repository of several services, the bundle as published", () => {
  it("create, then add a third service: the bundle's lazily loaded YAML library gives add what it needs (exit 0, a valid answers file)", () => {
    const dir = join(tempDir(), "shop");
    mkdirSync(join(dir, "services"), { recursive: true });
    for (const [lang, name] of [
      ["node", "api"],
      ["python", "worker"],
    ])
      cpSync(join(REPO, "test", "fixtures", "services", lang!), join(dir, "services", name!), { recursive: true });
    const git = (...a: string[]) => spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...a], { cwd: dir, encoding: "utf8" });
    git("init", "-q");
    git("remote", "add", "origin", "https://github.com/acme/shop.git");
    expect(cli(["create", ".", "--yes"], { cwd: dir }).status).toBe(0);
    git("add", "-A");
    git("commit", "-qm", "create");
    cpSync(join(REPO, "test", "fixtures", "services", "go"), join(dir, "services", "gateway"), { recursive: true });
    git("add", "-A");
    git("commit", "-qm", "gateway");
    const r = cli(["add", "services/gateway"], { cwd: dir });
    expect(r.stderr).not.toContain("internal error");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).toMatch(/- path: services\/gateway/);
    expect(cli(["check", "."], { cwd: dir }).status).toBe(0);
  });
});

describe("spawned without a terminal: never prompts, never hangs", () => {
  for (const [label, extra] of [
    ["stdin not a TTY", {}],
    ["CI=true", { CI: "true" }],
  ] as const) {
    for (const stdio of ["ignore", "empty"] as const) {
      it(`${label} (stdin ${stdio === "ignore" ? "/dev/null" : "an empty pipe"}): all defaults available → writes and exits 0`, () => {
        const work = tempDir();
        const r = cli(["svc", "--template", demo], { cwd: work, env: extra, stdio });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.stdout).not.toMatch(PROMPT_MARKS);
        expect(r.stdout).toContain("Wrote svc with demo@1.0.0");
        const tree = readTree(join(work, "svc"));
        expect(tree["README.md"]).toContain("# svc");
        expect(tree[".create-pipeline.yaml"]).toContain("language: node");
      });
    }

    it(`${label}: a required answer without a default → exit 2 naming the flags, nothing written`, () => {
      const work = tempDir();
      const r = cli(["svc", "--template", required], { cwd: work, env: extra });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(unwrapReport(r.stderr)).toContain("missing required answers: owner (GitHub owner of the repository); registry (Container registry)");
      expect(unwrapReport(r.stderr)).toContain("fix: supply --owner <value>, --registry <ghcr|ecr>");
      expect(existsSync(join(work, "svc"))).toBe(false);
    });
  }

  it("a remote pack whose git asks for credentials fails fast instead of waiting for a password", () => {
    // A stand-in for git: like GitHub for a missing or private repository, it wants a username,
    // and waits for one unless terminal prompts are disabled.
    const bin = tempDir();
    const git = join(bin, "git");
    writeFileSync(
      git,
      `#!/bin/sh
if [ "$GIT_TERMINAL_PROMPT" = "0" ]; then
  echo "fatal: could not read Username for 'https://github.com': terminal prompts disabled" >&2
  exit 128
fi
sleep 30
`,
    );
    chmodSync(git, 0o755);
    const work = tempDir();
    const r = cli(["svc", "--template", "gh:nonexistent-org-zz/private", "--trust"], { cwd: work, env: { PATH: `${bin}:${process.env.PATH ?? ""}` } });
    expect(r.ms).toBeLessThan(15_000);
    expect(r.status).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("could not fetch template pack 'gh:nonexistent-org-zz/private'");
    expect(unwrapReport(r.stderr)).toContain("terminal prompts disabled");
    expect(readdirSync(work)).toEqual([]);
  });
});
