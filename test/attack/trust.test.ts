// Nothing recorded in a repository makes the tool run code the user did not trust on this machine.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, buildOnce } from "../support/build.js";
import { tempDir, unwrapReport } from "../support/cli.js";
import { V1 } from "../support/repo.js";

beforeAll(buildOnce);

/** A fresh machine as far as trust goes: its own config folder. */
function machine() {
  const config = tempDir("cp-config-");
  return (args: string[], cwd?: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CREATE_PIPELINE_CONFIG_DIR: config, CI: "true" };
    for (const k of ["VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "NODE_OPTIONS"]) delete env[k];
    const r = spawnSync(process.execPath, [BIN, ...args], { env, cwd, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/** A pack whose template runs code that leaves a mark when rendered. */
function evilPack(): string {
  const dir = join(tempDir("cp-evil-"), "pack");
  cpSync(V1, dir, { recursive: true });
  writeFileSync(join(dir, "files", "README.md.eta"), '<% process.stdout.write("PWNED-BY-PACK\\n") %>hello\n');
  return dir;
}

function setState(dir: string, edit: (s: { pack: { source: string } }) => void) {
  const p = join(dir, ".create-pipeline/state.json");
  const s = JSON.parse(readFileSync(p, "utf8"));
  edit(s);
  writeFileSync(p, JSON.stringify(s, null, 2));
}

describe("trust", () => {
  it("a state file naming builtin:<a path> is refused, never loaded as a built-in", () => {
    const run = machine();
    const dir = join(tempDir(), "svc");
    expect(run(["create", dir, "--yes", "--name", "svc", "--owner", "acme"]).code).toBe(0);
    setState(dir, (s) => (s.pack.source = `builtin:../../${evilPack()}`));
    const r = run(["check", dir]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("is not a built-in template pack");
    expect(r.stdout + r.stderr).not.toContain("PWNED");
  });

  it("a pull request that points the state at its own local pack does not get its code run by check", () => {
    const dev = machine();
    const dir = join(tempDir(), "svc");
    expect(dev(["create", dir, "--template", V1, "--yes"]).code).toBe(0);
    const evil = evilPack();
    cpSync(evil, join(dir, "tools", "pack"), { recursive: true });
    setState(dir, (s) => (s.pack.source = "./tools/pack"));
    // CI (a machine that trusts nothing): check refuses instead of running the pack.
    const ci = machine();
    const r = ci(["check", dir]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("not run without your say");
    expect(r.stdout + r.stderr).not.toContain("PWNED");
    // The developer's machine trusted demo-v1, not this folder: the same refusal.
    expect(dev(["update", dir, "--yes"]).code).toBe(2);
    // Trusting it is a decision made on the command line.
    const trusted = ci(["check", dir, "--trust"]);
    expect(trusted.stdout).toContain("PWNED");
  });

  it("a local pack named at create is trusted on that machine only, and recorded without the home path", () => {
    const dev = machine();
    const home = tempDir("cp-home-");
    const pack = join(home, "packs", "demo");
    cpSync(V1, pack, { recursive: true });
    const dir = join(home, "src", "svc");
    expect(dev(["create", dir, "--template", pack, "--yes"]).code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, ".create-pipeline/state.json"), "utf8"));
    expect(state.pack.source).toBe("../../packs/demo");
    for (const f of [".create-pipeline/state.json", ".create-pipeline.yaml"]) expect(readFileSync(join(dir, f), "utf8")).not.toContain(home);
    expect(dev(["check", dir]).code).toBe(0);
    const other = machine();
    expect(other(["check", dir]).code).toBe(2);
  });

  it("trust covers the content that was trusted: a changed pack is refused without a terminal until trusted again", () => {
    const dev = machine();
    const pack = join(tempDir("cp-pack-"), "demo");
    cpSync(V1, pack, { recursive: true });
    const dir = join(tempDir(), "svc");
    expect(dev(["create", dir, "--template", pack, "--yes"]).code).toBe(0);
    expect(dev(["check", dir]).code).toBe(0);
    // Later, the pack's content changes (a pulled branch, a shared folder, a pull request to it).
    writeFileSync(join(pack, "files", "README.md.eta"), '<% process.stdout.write("PWNED-BY-CHANGE\\n") %>hello\n');
    for (const cmd of [
      ["check", dir],
      ["update", dir, "--yes"],
    ]) {
      const r = dev(cmd);
      expect(r.code, r.stderr).toBe(2);
      expect(unwrapReport(r.stderr)).toContain("changed since you trusted it");
      expect(unwrapReport(r.stderr)).toContain("--trust");
      expect(r.stdout + r.stderr).not.toContain("PWNED");
    }
    // Trusting it again is a decision on the command line; from then on it runs without asking.
    expect(dev(["check", dir, "--trust"]).stdout).toContain("PWNED-BY-CHANGE");
    expect(dev(["check", dir]).stdout).toContain("PWNED-BY-CHANGE");
    writeFileSync(join(pack, "template.yaml"), `${readFileSync(join(pack, "template.yaml"), "utf8")}\n# edited\n`);
    // A comment does not change what runs... but a manifest change does.
    expect(dev(["check", dir]).stdout).toContain("PWNED-BY-CHANGE");
    writeFileSync(join(pack, "template.yaml"), readFileSync(join(pack, "template.yaml"), "utf8").replace(/^description: .*$/m, "description: changed"));
    expect(dev(["check", dir]).code).toBe(2);
  });
});
