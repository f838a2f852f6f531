// `npm run lab` stopped while the control plane starts (Ctrl-C, or a CI timeout's SIGTERM) leaves
// no etcd, API server or controller running, and no lab folder behind.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, missingTools } from "./cluster.js";

/** The processes whose parent is pid, as pid → command name (zombies count as gone). */
function childrenOf(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const [state, ppid] = stat.slice(close + 2).split(" ");
      if (Number(ppid) === pid && state !== "Z") out.set(Number(e), stat.slice(stat.indexOf("(") + 1, close));
    } catch {
      /* gone meanwhile */
    }
  }
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

describe.skipIf(missingTools().length > 0)("the lab, interrupted while it starts", () => {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    it(`${sig}: no control-plane process and no lab folder is left`, async () => {
      // Its own temporary folder, to see what the lab leaves there.
      const tmp = mkdtempSync(join(tmpdir(), "cp-lab-interrupt-"));
      const p = spawn(process.execPath, [join(REPO, "scripts", "lab.mjs"), "--only", "01", "--no-pid1", "--no-services"], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TMPDIR: tmp },
      });
      let err = "";
      p.stderr.on("data", (d) => (err += d));
      p.stdout.on("data", (d) => (err += d));
      const exited = new Promise<number | null>((r) => p.once("exit", (code) => r(code)));
      // Wait until the API server runs (etcd is up then): the middle of the start-up.
      const seen = new Map<number, string>();
      const end = Date.now() + 120_000;
      while (Date.now() < end) {
        for (const [pid, name] of childrenOf(p.pid!)) seen.set(pid, name);
        if ([...seen.values()].includes("kube-apiserver")) break;
        await sleep(100);
      }
      expect([...seen.values()], err).toContain("kube-apiserver");
      expect([...seen.values()]).toContain("etcd");
      p.kill(sig);
      expect(await exited).toBe(130);
      await sleep(500);
      const left = [...seen].filter(([pid]) => running(pid)).map(([pid, name]) => `${name} (${pid})`);
      expect(left).toEqual([]);
      expect(readdirSync(tmp).filter((e) => e.startsWith("cp-lab-"))).toEqual([]);
    });
  }
});
