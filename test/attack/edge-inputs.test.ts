// Inputs at the edge of what the tool reads: an answers file saved with a byte-order mark, answer
// keys that name an object's own machinery (__proto__, constructor, prototype), a file nested
// 100,000 levels deep, a hand edit that made a file non-UTF-8, a lock left by another machine
// without a start time, and a service folder that is a symlink out of the repository. Each is
// either handled exactly or refused with exit 2 and a message that says what and where.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, buildOnce } from "../support/build.js";
import { REPO, runCli, tempDir, unwrapReport } from "../support/cli.js";
import { commitAll, git, makeRepo, read, V1, write } from "../support/repo.js";

beforeAll(buildOnce);

const CONFIG = tempDir("cp-config-");

/** A real run with a deadline (a hang or a crash of the process is a failure, not a stuck test). */
function cli(args: string[], extra: Record<string, string> = {}, cwd?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", CREATE_PIPELINE_CONFIG_DIR: CONFIG, ...extra };
  for (const k of ["VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "NODE_OPTIONS"]) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env,
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: unwrapReport(r.stderr) };
}

describe("an answers file with a UTF-8 byte-order mark", () => {
  it("update rewrites its header in place: one schema line, one header, the mark kept; check then passes", async () => {
    const dir = await makeRepo();
    const text = read(dir, ".create-pipeline.yaml");
    write(dir, ".create-pipeline.yaml", `\uFEFF${text}`);
    commitAll(dir, "saved with a BOM");
    expect((await runCli(["check", dir, "--template", V1])).code).toBe(0);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "debug=true"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ".create-pipeline.yaml");
    expect(after.match(/yaml-language-server/g)).toHaveLength(1);
    expect(after.match(/^# The answers that define/gm)).toHaveLength(1);
    expect(after.startsWith("\uFEFF# yaml-language-server")).toBe(true);
    expect(after).toContain("debug: true");
    expect((await runCli(["check", dir, "--template", V1])).code).toBe(0);
  });
});

describe("answer keys that name an object's machinery", () => {
  for (const key of ["__proto__", "constructor", "prototype"])
    it(`--set ${key}=x is refused with exit 2, nothing written`, async () => {
      const dir = join(tempDir(), "svc");
      const r = await runCli(["create", dir, "--template", V1, "--yes", "--set", `${key}=x`]);
      expect(r.code).toBe(2);
      expect(unwrapReport(r.stderr)).toContain(`--set ${key}=x`);
      expect(existsSync(dir)).toBe(false);
    });
});

describe("a file nested 100,000 levels deep", () => {
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  it("as --config: exit 2 saying it is nested too deeply, never a stack overflow", () => {
    const file = join(tempDir(), "answers.yaml");
    writeFileSync(file, `name: svc\nenvironments: ${deep}\n`);
    const r = cli(["create", join(tempDir(), "svc"), "--template", V1, "--yes", "--config", file]);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("answers.yaml");
    expect(r.stderr).toMatch(/nested too deeply/);
    expect(r.stderr).not.toMatch(/call stack|internal error/i);
  });

  it("as .create-pipeline.yaml: check and update exit 2 the same way", async () => {
    const dir = await makeRepo({ git: false });
    const text = read(dir, ".create-pipeline.yaml");
    expect(text).toMatch(/^debug: false$/m);
    writeFileSync(join(dir, ".create-pipeline.yaml"), text.replace(/^debug: false$/m, `debug: ${deep}`));
    for (const cmd of ["check", "update"]) {
      const r = cli([cmd, dir, "--template", V1, "--yes"]);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
      expect(r.stderr, cmd).toMatch(/nested too deeply/);
      expect(r.stderr, cmd).not.toMatch(/call stack|internal error/i);
    }
  });
});

describe("a hand edit that made a file non-UTF-8", () => {
  it("check says the file is not UTF-8 (and where), not only that it was edited", async () => {
    const dir = await makeRepo();
    const path = "svc/app.txt";
    writeFileSync(join(dir, path), Buffer.concat([readFileSync(join(dir, path)), Buffer.from("caf\xe9\n", "latin1")]));
    const r = await runCli(["check", dir, "--template", V1]);
    expect(unwrapReport(r.stdout)).toMatch(/svc\/app\.txt: .*not UTF-8 text \(line \d+, byte 0xE9\)/);
    const json = JSON.parse((await runCli(["check", dir, "--template", V1, "--json"])).stdout);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: "not-utf8", path }));
  });
});

describe("a lock left by another machine", () => {
  it("without a start time, it is judged by the file's age: an old one is taken over, a fresh one is waited for", () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    const lock = join(dir, ".create-pipeline/lock");
    writeFileSync(lock, JSON.stringify({ pid: 4242, host: `not-${hostname()}`, command: "update" }));
    const fresh = cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "0" });
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain("another create-pipeline run is working on this repository");
    const old = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    utimesSync(lock, old, old);
    const r = cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "0" });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
  it("a start time in the future is unknown: judged by the file's age, and with both in the future it is stale", () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    const lock = join(dir, ".create-pipeline/lock");
    const future = { pid: 4242, host: `not-${hostname()}`, command: "update", started: "2100-01-01T00:00:00.000Z" };
    // A fresh file: a run on a machine whose clock is ahead may still hold it.
    writeFileSync(lock, JSON.stringify(future));
    expect(cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "0" }).code).toBe(2);
    // Two hours old by the file: taken over, whatever start time it names.
    const old = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    utimesSync(lock, old, old);
    expect(cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "0" }).code).toBe(0);
    expect(existsSync(lock)).toBe(false);
    // The file's time in the future too: nothing says when it was taken, so it does not block for ever.
    writeFileSync(lock, JSON.stringify(future));
    const ahead = Date.parse("2100-01-01T00:00:00.000Z") / 1000;
    utimesSync(lock, ahead, ahead);
    const r = cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "0" });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});

describe("add with a service folder that is a symlink out of the repository", () => {
  it("is refused before anything in it is read", async () => {
    const dir = join(tempDir("cp-mono-"), "shop");
    cpSync(join(REPO, "test/fixtures/services/node"), join(dir, "services/api"), { recursive: true });
    cpSync(join(REPO, "test/fixtures/services/python"), join(dir, "services/worker"), { recursive: true });
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
    expect((await runCli(["create", dir, "--yes"])).code).toBe(0);
    commitAll(dir, "create");
    // Outside: a folder whose package.json is a FIFO. Opening it at all would be a read of
    // something outside the repository (the tool refuses a FIFO, naming it: that names the read).
    const outside = join(tempDir("cp-outside-"), "secret");
    mkdirSync(outside);
    expect(spawnSync("mkfifo", [join(outside, "package.json")]).status).toBe(0);
    symlinkSync(outside, join(dir, "services/evil"));
    const r = cli(["add", "services/evil"], {}, dir);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/services\/evil.*outside the repository/);
    expect(r.stderr).not.toContain("package.json");
  });
});
