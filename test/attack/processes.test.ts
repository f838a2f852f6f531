// Real processes: a second run while one holds the repository, a stale lock, kill -9 in the middle
// of a commit, SIGTERM and SIGHUP (CI cancellation) during an update.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, buildOnce } from "../support/build.js";
import { tempDir, unwrapReport } from "../support/cli.js";
import { V1 } from "../support/repo.js";

beforeAll(buildOnce);

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ["VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "NODE_OPTIONS"]) delete e[k];
  return e;
}

function cli(args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: env(extra),
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const full = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(full).isDirectory()) walk(full, r);
      else out[r] = readFileSync(full, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

/** A pack of many files, so a run lasts long enough to be signalled half-way. */
function bigPack(version: string, text: string, n = 3000): string {
  const p = join(tempDir("cp-big-"), "pack");
  mkdirSync(join(p, "files"), { recursive: true });
  writeFileSync(
    join(p, "template.yaml"),
    `name: big\nversion: ${version}\nengine: ">=0.1.0"\nquestions:\n  - key: name\n    type: text\n    message: Name\n    default: big\n`,
  );
  for (let i = 0; i < n; i++) {
    const dir = join(p, "files", `d${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.txt`), `${text} ${i}\n`);
  }
  return p;
}

const leftovers = (dir: string) => Object.keys(snapshot(dir)).filter((p) => /create-pipeline-\d+\.(tmp|bak)|journal|\/lock$/.test(p));

describe("one run at a time", () => {
  it("a second run while another holds the lock waits briefly, then exits 2 naming the holder", async () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    const holder: ChildProcess = spawn("sleep", ["30"]);
    try {
      writeFileSync(
        join(dir, ".create-pipeline/lock"),
        JSON.stringify({ pid: holder.pid, host: hostname(), command: "update", started: "2026-01-01T00:00:00.000Z" }),
      );
      const started = Date.now();
      const r = cli(["update", dir, "--yes", "--set", "debug=true"], { CREATE_PIPELINE_LOCK_WAIT_MS: "700" });
      expect(r.code).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(unwrapReport(r.stderr)).toContain(`another create-pipeline run is working on this repository: update (pid ${holder.pid}`);
      expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).not.toContain("debug: true");
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("a lock left by a process that is gone is taken over", () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    const dead = spawnSync("true").pid!;
    writeFileSync(join(dir, ".create-pipeline/lock"), JSON.stringify({ pid: dead, host: hostname(), command: "update", started: new Date().toISOString() }));
    const r = cli(["update", dir, "--yes", "--set", "debug=true", "--allow-dirty"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, ".create-pipeline/lock"))).toBe(false);
  });

  it("two updates at once: both answers end up in the repository, and check passes", async () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes", "--language", "go"]).code).toBe(0);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((res) => {
        const c = spawn(process.execPath, [BIN, "update", dir, "--yes", "--allow-dirty", ...args], {
          env: env({ CREATE_PIPELINE_LOCK_WAIT_MS: "20000" }),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        c.stderr.on("data", (d) => (stderr += d));
        c.on("close", (code) => res({ code, stderr }));
      });
    const [a, b] = await Promise.all([run(["--set", "debug=true"]), run(["--set", "port=9999"])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("debug: true");
    expect(answers).toContain("port: 9999");
    expect(cli(["check", dir]).code).toBe(0);
  });
});

describe("killed and signalled runs", () => {
  it("kill -9 at each phase of a real update: the next check puts the repository back, byte for byte", () => {
    const dir = join(tempDir(), "svc");
    expect(cli(["create", dir, "--template", V1, "--yes", "--language", "go"]).code).toBe(0);
    // The reset below gives debug and port as flags (recorded as given from then on): start from there.
    const reset = () => cli(["update", dir, "--yes", "--set", "debug=false", "--set", "port=8080", "--allow-dirty"]);
    expect(cli(["update", dir, "--yes", "--set", "debug=true", "--allow-dirty"]).code).toBe(0);
    expect(reset().code).toBe(0);
    const before = snapshot(dir);
    const seenStates = new Set<string>();
    for (const step of [1, 2, 5, 9, 14, 20, 26, 30]) {
      const r = cli(["update", dir, "--yes", "--set", "debug=true", "--set", "port=7000", "--allow-dirty"], { CREATE_PIPELINE_FAULT_STEP: String(step) });
      if (r.signal !== "SIGKILL") {
        // Fewer steps than that: the run finished. Reset for the next one.
        expect(r.code, r.stderr).toBe(0);
        seenStates.add("finished");
      } else {
        const journal = existsSync(join(dir, ".create-pipeline/journal.json"));
        const c = cli(["check", dir]);
        if (journal) expect(unwrapReport(c.stderr)).toMatch(/undid an interrupted run|finished an interrupted run/);
        const now = snapshot(dir);
        expect(leftovers(dir)).toEqual([]);
        if (JSON.stringify(now) === JSON.stringify(before)) {
          seenStates.add("before");
          expect(c.code).toBe(0);
        } else {
          seenStates.add("after");
          expect(now[".create-pipeline.yaml"]).toContain("port: 7000");
        }
      }
      // Back to the start for the next step.
      expect(reset().code).toBe(0);
      expect(snapshot(dir)).toEqual(before);
    }
    expect([...seenStates].sort()).toEqual(["after", "before"]);
  });

  it("SIGTERM at each step of a real update's commit: exit 143, one line saying what was rolled back, the old or the new tree byte for byte", () => {
    const dir = join(tempDir(), "svc");
    // The answers the test changes and changes back are given from the start, so their origin
    // ("given") is the same before and after.
    expect(cli(["create", dir, "--template", V1, "--yes", "--language", "go", "--set", "debug=false", "--set", "port=8080"]).code).toBe(0);
    const before = snapshot(dir);
    const args = ["update", dir, "--yes", "--set", "debug=true", "--set", "port=7000", "--allow-dirty"];
    const seen = new Set<string>();
    for (let step = 1; step <= 200; step += 2) {
      const r = cli(args, { CREATE_PIPELINE_FAULT_STEP: String(step), CREATE_PIPELINE_FAULT_SIGNAL: "SIGTERM" });
      expect(r.signal, "ended by the signal without a word").toBeNull();
      if (r.code === 0 && r.stderr === "") break; // the commit has fewer steps: no signal was sent
      expect(r.code, r.stderr).toBe(143);
      const line = unwrapReport(r.stderr.trim()); // one report, wrapped to 80 columns
      expect(line.split("\n")).toHaveLength(1);
      expect(leftovers(dir)).toEqual([]);
      const now = snapshot(dir);
      if (/rolled back|nothing was written/.test(line)) {
        expect(line).toMatch(
          /^create-pipeline: stopped by SIGTERM: (nothing was written|every change was rolled back \(\d+ files? as they were\)); run the same command again/,
        );
        expect(now).toEqual(before);
        seen.add(/rolled back/.test(line) ? "rolled back" : "nothing");
      } else {
        // After the last step that can still go back: everything is in place, and it says so.
        expect(line).toBe("create-pipeline: stopped by SIGTERM: the changes were already all written; run the same command again to finish the job");
        expect(now[".create-pipeline.yaml"]).toContain("port: 7000");
        expect(cli(["check", dir]).code).toBe(0);
        seen.add("done");
        expect(cli(["update", dir, "--yes", "--set", "debug=false", "--set", "port=8080", "--allow-dirty"]).code).toBe(0);
        expect(snapshot(dir)).toEqual(before);
      }
    }
    expect([...seen].sort()).toEqual(["done", "nothing", "rolled back"]);
  }, 120_000);

  for (const [sig, exit] of [
    ["SIGTERM", 143],
    ["SIGHUP", 129],
    ["SIGINT", 130],
  ] as const) {
    it(`${sig} during an update of 3,000 files: exit ${exit} with one line, the old or the new state, nothing left over`, async () => {
      const v1 = bigPack("1.0.0", "one");
      const v2 = bigPack("2.0.0", "two");
      const dir = join(tempDir(), "svc");
      expect(cli(["create", dir, "--template", v1, "--yes"]).code).toBe(0);
      const before = snapshot(dir);
      const child = spawn(process.execPath, [BIN, "update", dir, "--template", v2, "--yes", "--allow-dirty"], {
        env: env(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      // Signal once the commit has started writing temp files.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !readdirSync(join(dir, "d0")).some((n) => n.endsWith(".tmp"))) await new Promise((r) => setTimeout(r, 5));
      child.kill(sig);
      const code = await new Promise<number | null>((res) => child.on("close", (c) => res(c)));
      const now = snapshot(dir);
      expect(leftovers(dir)).toEqual([]);
      if (code === exit) {
        expect(unwrapReport(stderr.trim()).split("\n")).toEqual([
          expect.stringMatching(
            new RegExp(
              `^create-pipeline: stopped by ${sig}: (nothing was written|every change was rolled back \\(3003 files as they were\\)); run the same command again`,
            ),
          ),
        ]);
        expect(now).toEqual(before);
      } else {
        // The signal came after the last step: the update finished.
        expect(code, stderr).toBe(0);
        expect(now["d0/f0.txt"]).toBe("two 0\n");
      }
    }, 120_000);
  }
});
