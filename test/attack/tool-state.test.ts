// The tool's own files in a repository (lock, journal, state, merge base, answers, schema) come
// with the repository, so a pull request can make them anything: a symlink to /dev/zero (an
// endless read), a FIFO or /dev/stdin (a read that never returns), a link out of the repository,
// a huge file. Every command refuses such a file with exit 2 naming it, and never hangs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, buildOnce } from "../support/build.js";
import { tempDir, unwrapReport } from "../support/cli.js";
import { makeRepo, V1 } from "../support/repo.js";

beforeAll(buildOnce);

/**
 * The real CLI, in a shell with its address space capped (an endless read fails fast instead of
 * taking the machine's memory) and killed if it has not finished in 30 s (a hang is a failure).
 */
function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, CREATE_PIPELINE_LOCK_WAIT_MS: "0" };
  for (const k of ["VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "NODE_OPTIONS"]) delete env[k];
  const r = spawnSync("bash", ["-c", 'ulimit -v 3000000; exec "$0" "$@"', process.execPath, BIN, ...args], {
    env,
    encoding: "utf8",
    timeout: 30_000,
    killSignal: "SIGKILL",
    // stdin an open pipe nobody writes to: a read of /dev/stdin would wait for ever
    stdio: ["pipe", "pipe", "pipe"],
  });
  return { code: r.status, signal: r.signal, stderr: unwrapReport(r.stderr ?? "") };
}

const fifo = (path: string) => {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
};

type Plant = (full: string, dir: string) => void;
const plants: [string, Plant][] = [
  ["a symlink to /dev/zero", (full) => symlinkSync("/dev/zero", full)],
  ["a symlink to /dev/stdin", (full) => symlinkSync("/dev/stdin", full)],
  ["a FIFO", (full) => fifo(full)],
  [
    "a symlink to a file outside the repository",
    (full, dir) => {
      // the same bytes, so only where it is can be the reason to refuse it
      const out = join(dir, "..", "outside.txt");
      writeFileSync(out, existsSync(full) ? readFileSync(full) : "{}\n");
      rmSync(full, { force: true });
      symlinkSync(out, full);
    },
  ],
];

const files: [string, string[]][] = [
  [".create-pipeline/lock", ["check", "update"]],
  [".create-pipeline/journal.json", ["check", "update"]],
  [".create-pipeline/state.json", ["check", "update", "diff"]],
  [".create-pipeline/base.json", ["check", "update", "diff"]],
  [".create-pipeline.yaml", ["check", "update"]],
  [".create-pipeline/answers.schema.json", ["check"]],
];

describe("a tool-owned file that is not a regular file inside the repository is refused, never read", () => {
  for (const [file, commands] of files)
    for (const [what, plant] of plants)
      it(`${file} as ${what}: ${commands.join(", ")} exit 2 naming it`, async () => {
        const dir = await makeRepo({ git: false });
        const full = join(dir, file);
        if (!what.includes("outside")) rmSync(full, { force: true });
        plant(full, dir);
        for (const cmd of commands) {
          const r = cli([cmd, dir, ...(cmd === "update" ? ["--yes", "--template", V1] : [])]);
          expect(r.signal, `${cmd} was killed (hung or ran out of memory)`).toBeNull();
          expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
          expect(r.stderr, cmd).toContain(file.split("/").pop()!);
          expect(r.stderr, cmd).not.toMatch(/internal error/i);
          // what to do about it is said too
          expect(r.stderr, cmd).toMatch(/replace|remove|delete|restore/i);
        }
      }, 120_000);
});

describe("an oversized lock or journal is refused, not loaded", () => {
  for (const file of [".create-pipeline/lock", ".create-pipeline/journal.json"])
    it(`${file} of 70 MB: check exit 2 naming it`, async () => {
      const dir = await makeRepo({ git: false });
      writeFileSync(join(dir, file), Buffer.alloc(70 * 1024 * 1024, 0x20));
      const r = cli(["check", dir]);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(file.split("/").pop()!);
      expect(r.stderr).toMatch(/bytes/);
    }, 120_000);
});

describe("create into a folder whose state file is not a regular file", () => {
  it("a state.json symlinked to /dev/zero: create exits 2 naming it, nothing written", async () => {
    const dir = join(tempDir("cp-create-"), "svc");
    mkdirSync(join(dir, ".create-pipeline"), { recursive: true });
    writeFileSync(join(dir, "go.mod"), "module example.com/svc\n\ngo 1.22\n");
    symlinkSync("/dev/zero", join(dir, ".create-pipeline/state.json"));
    const r = cli(["create", dir, "--template", V1, "--yes", "--language", "go", "--force"]);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("state.json");
    expect(() => readFileSync(join(dir, ".create-pipeline.yaml"))).toThrow();
  }, 120_000);
});

describe("a lock that came with the repository", () => {
  it("a committed lock (another machine's run) is refused at once by check and update, saying how to remove it", async () => {
    const { commitAll } = await import("../support/repo.js");
    const { runCli } = await import("../support/cli.js");
    const dir = await makeRepo();
    writeFileSync(
      join(dir, ".create-pipeline/lock"),
      `${JSON.stringify({ pid: 4242, host: "ci-runner-7", command: "update", started: new Date().toISOString() })}\n`,
    );
    commitAll(dir, "oops, the lock");
    for (const argv of [
      ["check", dir],
      ["update", dir, "--yes"],
    ]) {
      const r = await runCli(argv);
      const err = unwrapReport(r.stderr);
      expect(r.code, err).toBe(2);
      expect(err).toContain(".create-pipeline/lock");
      expect(err).toMatch(/committed/);
      expect(err).toContain("git rm");
      expect(err).toContain("ci-runner-7");
    }
    // nothing was changed: the lock is still there for the user to remove
    expect(existsSync(join(dir, ".create-pipeline/lock"))).toBe(true);
  }, 60_000);
});
