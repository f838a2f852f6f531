// `npm run lab`: bundles the lab (test/lab/*.ts) with esbuild and runs it. See test/lab/main.ts
// for the options (--json, --all, --only, --no-pid1, --keep) and docs/conformance.md for what it proves.
//
// It runs in two processes. This one supervises: it starts the lab as a child in a process group
// of its own, with a temporary folder of its own (TMPDIR). The lab waits for kubectl, helm and the
// control plane synchronously, so while it waits, a signal sent to it alone is handled only once
// the command it waits on ends (a `helm upgrade --wait` can take minutes). A SIGINT, SIGTERM or
// SIGHUP that reaches this process is sent to the lab's whole process group instead: the command
// it waits on ends at once and the lab stops its control plane; whatever is still running after
// STOP_GRACE_MS is killed (SIGKILL, the whole group) and the temporary folder removed.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);

/** How long the lab may take to stop after a signal before its process group is killed. */
const STOP_GRACE_MS = Number(process.env.LAB_STOP_GRACE_MS ?? 20_000);

if (process.env.LAB_SUPERVISED === "1") process.exit(await runLab());
else process.exit(await supervise());

async function supervise() {
  const keep = args.includes("--keep");
  const tmp = mkdtempSync(join(tmpdir(), "cp-lab-run-"));
  // Under setpriv --pdeathsig the lab is killed by the kernel if this process ends without
  // passing a signal on (a SIGKILL); the lab's control plane, started the same way, goes with it.
  const pdeathsig = spawnSync("setpriv", ["--help"], { encoding: "utf8" }).stdout?.includes("--pdeathsig") ?? false;
  const lab = [process.execPath, fileURLToPath(import.meta.url), ...args];
  const [cmd, ...argv] = pdeathsig ? ["setpriv", "--pdeathsig", "KILL", "--", ...lab] : lab;
  const child = spawn(cmd, argv, {
    stdio: "inherit",
    // Its own process group (pgid = its pid): the lab, every command it runs and its control plane.
    detached: true,
    env: { ...process.env, LAB_SUPERVISED: "1", TMPDIR: tmp },
  });
  const group = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* the group is gone */
    }
  };
  let signalled = false;
  let killTimer;
  const onSignal = (sig) => {
    if (signalled) return;
    signalled = true;
    process.stderr.write(`${sig}: stopping the lab (at most ${Math.round(STOP_GRACE_MS / 1000)} s)\n`);
    group(sig);
    killTimer = setTimeout(() => {
      process.stderr.write(`the lab did not stop within ${Math.round(STOP_GRACE_MS / 1000)} s: killing its processes\n`);
      group("SIGKILL");
    }, STOP_GRACE_MS);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, onSignal);
  const code = await new Promise((resolve) => {
    child.once("exit", (c, s) => resolve(c ?? (s ? 130 : 1)));
    child.once("error", (e) => {
      process.stderr.write(`the lab could not start: ${e.message}\n`);
      resolve(2);
    });
  });
  // The lab has exited; what it started in its group (a control-plane process it did not reap)
  // goes with it.
  group("SIGKILL");
  clearTimeout(killTimer);
  if (!keep) rmSync(tmp, { recursive: true, force: true });
  return signalled ? 130 : code;
}

async function runLab() {
  const { build } = await import("esbuild");
  // The bundle keeps its packages external (yaml, eta, ...): it is written inside the repository so
  // that Node resolves them from its node_modules, as it does for the sources.
  const cache = join(repo, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, "cp-lab-build-"));
  // Also when the lab exits on a signal (process.exit skips the finally below).
  process.on("exit", () => rmSync(out, { recursive: true, force: true }));
  const file = join(out, "lab.mjs");
  await build({
    entryPoints: [join(repo, "test", "lab", "main.ts")],
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    // The modules find the repository from their own folder.
    define: { "import.meta.dirname": JSON.stringify(join(repo, "test", "lab")) },
  });
  const { main } = await import(pathToFileURL(file).href);
  let code = 2;
  try {
    code = await main(args);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return code;
}
