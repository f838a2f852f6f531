// `npm run lab` stopped while the control plane starts (Ctrl-C, or a CI timeout's SIGTERM) leaves
// no etcd, API server or controller running, and no lab folder behind; also when the signal comes
// while the lab waits on a kubectl that does not end by itself, or that ignores SIGTERM: the stop is
// bounded in time.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAB_BIN, LAB_DIR, REPO, missingTools } from "./cluster.js";

/** The processes below pid (children, grandchildren, ...), as pid → command name (zombies count as gone). */
function descendantsOf(pid: number): Map<number, string> {
  const procs: { pid: number; ppid: number; name: string }[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const [state, ppid] = stat.slice(close + 2).split(" ");
      if (state !== "Z") procs.push({ pid: Number(e), ppid: Number(ppid), name: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      /* gone meanwhile */
    }
  }
  const out = new Map<number, string>();
  const walk = (p: number) => {
    for (const c of procs.filter((x) => x.ppid === p && !out.has(x.pid))) {
      out.set(c.pid, c.name);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The lab's tools with a kubectl that, for the control plane's first server-side apply (the CRDs,
 * while etcd and the API server run), waits ten minutes instead, as a kubectl stuck on an
 * unresponsive API server would (and with ignoreTerm, ignoring SIGTERM as well).
 */
function stallingTools(ignoreTerm: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "cp-lab-tools-"));
  for (const e of readdirSync(LAB_DIR)) if (e !== "bin") symlinkSync(join(LAB_DIR, e), join(dir, e));
  mkdirSync(join(dir, "bin"));
  for (const b of readdirSync(LAB_BIN)) if (b !== "kubectl") symlinkSync(join(LAB_BIN, b), join(dir, "bin", b));
  const kubectl = join(dir, "bin", "kubectl");
  writeFileSync(
    kubectl,
    `#!/bin/bash
for a in "$@"; do
  if [ "$a" = --server-side ]; then ${ignoreTerm ? "trap '' TERM; " : ""}exec sleep 600; fi
done
exec ${JSON.stringify(join(LAB_BIN, "kubectl"))} "$@"
`,
  );
  chmodSync(kubectl, 0o755);
  return dir;
}

async function interrupt(sig: NodeJS.Signals, opts: { until: string; env?: NodeJS.ProcessEnv }) {
  // Its own temporary folder, to see what the lab leaves there.
  const tmp = mkdtempSync(join(tmpdir(), "cp-lab-interrupt-"));
  const p = spawn(process.execPath, [join(REPO, "scripts", "lab.mjs"), "--only", "01", "--no-pid1", "--no-services", "--no-shared"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TMPDIR: tmp, ...opts.env },
  });
  let err = "";
  p.stderr.on("data", (d) => (err += d));
  p.stdout.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((r) => p.once("exit", (code) => r(code)));
  const seen = new Map<number, string>();
  const end = Date.now() + 180_000;
  while (Date.now() < end) {
    for (const [pid, name] of descendantsOf(p.pid!)) seen.set(pid, name);
    if ([...seen.values()].includes(opts.until)) break;
    await sleep(100);
  }
  expect([...seen.values()], err).toContain(opts.until);
  expect([...seen.values()]).toContain("etcd");
  expect([...seen.values()]).toContain("kube-apiserver");
  // The signal goes to the process started, alone (as a CI timeout sends it), not to its group.
  const t0 = Date.now();
  p.kill(sig);
  const code = await exited;
  const ms = Date.now() - t0;
  await sleep(500);
  const left = [...seen].filter(([pid]) => running(pid)).map(([pid, name]) => `${name} (${pid})`);
  return { code, ms, left, err, tmp, folders: readdirSync(tmp).filter((e) => e.startsWith("cp-lab-")) };
}

describe.skipIf(missingTools().length > 0)("the lab, interrupted while it starts", () => {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    it(`${sig}: no control-plane process and no lab folder is left`, async () => {
      // Wait until the API server runs (etcd is up then): the middle of the start-up.
      const r = await interrupt(sig, { until: "kube-apiserver" });
      expect(r.code, r.err).toBe(130);
      expect(r.left).toEqual([]);
      expect(r.folders).toEqual([]);
    });
  }

  it("SIGKILL (no handler can run, as when a test runner kills its worker): the kernel stops every control-plane process", async () => {
    const r = await interrupt("SIGKILL", { until: "kube-apiserver" });
    expect(r.code, r.err).toBe(null);
    expect(r.left).toEqual([]);
    // Only the folder stays behind (no code ran to remove it).
    rmSync(r.tmp, { recursive: true, force: true });
  });

  it("SIGTERM while it waits on a kubectl: the kubectl is stopped with it, at once", async () => {
    // Before, the lab handled the signal only once that kubectl ended (its 120 s timeout here).
    const tools = stallingTools(false);
    const r = await interrupt("SIGTERM", { until: "sleep", env: { LAB_TOOLS: tools, LAB_STOP_GRACE_MS: "60000" } });
    rmSync(tools, { recursive: true });
    expect(r.code, r.err).toBe(130);
    expect(r.err).not.toContain("did not stop within");
    expect(r.ms, r.err).toBeLessThan(30_000);
    expect(r.left).toEqual([]);
    expect(r.folders).toEqual([]);
  });

  it("SIGTERM while it waits on a kubectl that ignores SIGTERM: every process is killed after the grace period", async () => {
    const tools = stallingTools(true);
    const r = await interrupt("SIGTERM", { until: "sleep", env: { LAB_TOOLS: tools, LAB_STOP_GRACE_MS: "5000" } });
    rmSync(tools, { recursive: true });
    expect(r.code, r.err).toBe(130);
    expect(r.err).toContain("the lab did not stop within 5 s: killing its processes");
    expect(r.ms, r.err).toBeLessThan(15_000);
    expect(r.left).toEqual([]);
    expect(r.folders).toEqual([]);
  });
});
