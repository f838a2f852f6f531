// A repository of several services after an update killed in the middle of its commit, while the
// answers file or the state file is moved aside: `add` and `create` take the lock (which undoes
// the interrupted run) before they read either. `add` read the answers file first: it said "no
// repository made by create-pipeline" (the file was aside), or planned from the answers the
// interrupted run was writing and then stopped because the file "changed after it was read";
// `create` said 11 files "already exist with other content" instead of naming the pipeline there.
// The same for an update that holds the lock while add waits for it: add plans from the answers
// that update wrote.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { faults, SimulatedCrash } from "../../src/io/commit.js";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { read, servicesShop } from "../support/repo.js";

afterEach(() => {
  faults.onStep = undefined;
});

/** An update of the shared environments, crashed just before the step named `what`. */
async function crashedUpdate(what: (step: string) => boolean): Promise<string> {
  const dir = await servicesShop("cp-svc-crash-");
  let hit = "";
  faults.onStep = (_, step) => {
    if (what(step)) {
      hit = step;
      throw new SimulatedCrash(`crash at ${step}`);
    }
  };
  const r = await runCli(["update", dir, "--yes", "--environments", "dev,staging,prod"]).catch((e: unknown) => e);
  faults.onStep = undefined;
  expect(hit, String((r as { stderr?: string }).stderr ?? r)).not.toBe("");
  return dir;
}

const aside = (path: string) => (step: string) => step === `move ${path} into place`;

describe("several services: a command after an update killed mid-commit", () => {
  for (const [name, step] of [
    ["the new answers file in place, the state file moved aside", aside(".create-pipeline/state.json")],
    ["every file moved aside, nothing new in place yet", aside(".create-pipeline.yaml")],
    ["every new file in place, the journal not yet committed", (s: string) => s === "flush the folders"],
  ] as const) {
    it(`${name}: add undoes the interrupted run, then adds the service to the answers as they were`, async () => {
      const dir = await crashedUpdate(step);
      const r = await runCli(["add", "services/gateway", "--yes"], { cwd: dir });
      expect(r.code, unwrapReport(r.stderr)).toBe(0);
      expect(r.stderr).toContain("undid an interrupted run");
      const answers = read(dir, ".create-pipeline.yaml");
      expect(answers).toContain("path: services/gateway");
      expect(answers).not.toContain("staging");
    });
  }

  it("the state file moved aside: create (without --force) says the repository already has a pipeline", async () => {
    const dir = await crashedUpdate(aside(".create-pipeline/state.json"));
    const r = await runCli(["create", dir, "--yes"]);
    const err = unwrapReport(r.stderr);
    expect(r.code, err).toBe(2);
    expect(err).toContain("undid an interrupted run");
    expect(err).toContain("already has a pipeline made by create-pipeline");
  });
});

describe("several services: add waiting for the lock of an update", () => {
  it("plans from the answers the update wrote (it read them before waiting, and stopped on their change)", async () => {
    const dir = await servicesShop("cp-svc-lock-");
    // What the update that holds the lock writes, made beforehand on a copy.
    const done = join(tempDir("cp-svc-lock-"), "shop");
    cpSync(dir, done, { recursive: true });
    const u = await runCli(["update", done, "--yes", "--environments", "dev,staging,prod"]);
    expect(u.code, u.stderr).toBe(0);
    // A live process of this machine holds the lock.
    const holder = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      mkdirSync(join(dir, ".create-pipeline"), { recursive: true });
      const lock = join(dir, ".create-pipeline", "lock");
      writeFileSync(lock, `${JSON.stringify({ pid: holder.pid, host: hostname(), command: "update", started: new Date().toISOString() })}\n`);
      const adding = runCli(["add", "services/gateway", "--yes", "--allow-dirty"], { cwd: dir });
      await new Promise((r) => setTimeout(r, 400));
      // The update writes its files and lets the lock go.
      cpSync(done, dir, { recursive: true, filter: (src) => src !== join(done, ".git") && !src.startsWith(`${join(done, ".git")}/`) });
      rmSync(lock);
      const r = await adding;
      expect(r.code, unwrapReport(r.stderr)).toBe(0);
      const answers = read(dir, ".create-pipeline.yaml");
      expect(answers).toContain("path: services/gateway");
      expect(answers).toContain("  - staging");
    } finally {
      holder.kill();
    }
  });
});
