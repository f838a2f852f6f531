// Start-up and command cost, as ratios to `node -e 0` measured in the same run (medians), so the
// figures mean something on a shared, noisy machine. Not a test: it prints, and exits non-zero
// only if a ratio is over its budget (BENCH_STRICT=1).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = new URL("..", import.meta.url).pathname;
const cli = join(repo, "bin", "create-pipeline.js");
const runs = Number(process.env.BENCH_RUNS ?? 11);
const work = mkdtempSync(join(tmpdir(), "cp-bench-"));
// The compiled templates kept between runs (src/io/code-cache.ts) go to a folder of this run; the
// warm-up run of each measure fills it, as a user's first run does.
const cacheDir = join(work, "code-cache");

/** `args` is the command's arguments, or a function that gives them for each run (after `prepare`). */
function once(args, prepare, env = {}) {
  prepare?.();
  const argv = typeof args === "function" ? args() : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, {
    cwd: work,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", CREATE_PIPELINE_CACHE_DIR: cacheDir, ...env },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    console.error(`benchmark command failed (${r.status}): node ${argv.join(" ")}\n${r.stderr}`);
    process.exit(1);
  }
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Baseline and command alternate run by run, so a change in machine load hits both alike. */
function pair(args, prepare, env) {
  const base = [];
  const cmd = [];
  once(args, prepare, env); // warm the file cache (and the code cache)
  for (let i = 0; i < runs; i++) {
    base.push(once(["-e", "0"]));
    cmd.push(once(args, prepare, env));
  }
  return { base: median(base), ms: median(cmd) };
}

// "The conventions moved on": a copy of this build whose built-in pack is a newer version with a
// template change, as a user gets by upgrading create-pipeline.
const nextTool = join(work, "next-tool");
for (const part of ["bin", "dist", "templates", "package.json"]) cpSync(join(repo, part), join(nextTool, part), { recursive: true });
symlinkSync(join(repo, "node_modules"), join(nextTool, "node_modules"));
const nextPack = join(nextTool, "templates", "pipeline");
const manifest = join(nextPack, "template.yaml");
writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/^version: .*$/m, "version: 99.0.0"));
const dockerfile = join(nextPack, "files", "Dockerfile.eta");
writeFileSync(dockerfile, `${readFileSync(dockerfile, "utf8")}LABEL org.opencontainers.image.vendor="bench"\n`);
const { writeSnapshot } = await import(join(nextTool, "dist", "snapshot.js"));
await writeSnapshot(nextPack, "pipeline", join(nextTool, "dist", "packs"));
const nextCli = join(nextTool, "bin", "create-pipeline.js");

const repoDir = join(work, "svc");
const pristine = join(work, "svc-pristine");
spawnSync(process.execPath, [cli, pristine, "--yes", "--owner", "acme"], {
  cwd: work,
  stdio: "ignore",
  env: { ...process.env, CREATE_PIPELINE_CACHE_DIR: cacheDir },
});
const reset = () => {
  rmSync(repoDir, { recursive: true, force: true });
  cpSync(pristine, repoDir, { recursive: true });
};

const results = [];
const measure = (label, args, prepare, budget, env) => {
  const { base, ms } = pair(args, prepare, env);
  results.push({ label, ms, base, ratio: ms / base, budget });
};
// Each create writes a folder of its own, and none is removed before the end of the run: removing
// the files of the run before just ahead of a measured create makes that create slower for a
// reason of the benchmark's own (ext4 without a journal, for one, when it allocates an inode passes
// over those freed in the last seconds one by one: a cost that grows with the files just removed).
let outs = 0;
const newOut = () => [cli, `out-${++outs}`, "--yes", "--owner", "acme"];
measure("create (default pack, --yes)", newOut, undefined, 2);
// Without the code cache: a first run, or a cache folder that cannot be written.
measure("create, no code cache", newOut, undefined, 2.5, { CREATE_PIPELINE_NO_CACHE: "1" });
reset();
measure("check (no drift)", [cli, "check", repoDir], undefined, 2.5);
measure("update (no-op)", [cli, "update", repoDir], undefined, 2.5);
measure("update (template changed)", [nextCli, "update", repoDir], reset, 3);

// A repository of several services: synthetic repositories of 1, 10 and 200 services (Node, Python,
// Go and Java in turn, each a folder with its manifest); `create --yes` of all of them and `check`
// of the result, each in one process. Targets for 200 services: create <= 3 s, check <= 1 s.
const scaleRuns = Number(process.env.BENCH_SCALE_RUNS ?? 3);
function synthetic(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(3, "0")}`;
    const d = join(dir, "services", name);
    mkdirSync(d, { recursive: true });
    const kind = i % 4;
    if (kind === 0)
      writeFileSync(
        join(d, "package.json"),
        JSON.stringify({ name, version: "1.0.0", engines: { node: ">=22" }, scripts: { start: "node server.js", test: "node --test" } }),
      );
    // (each says how it starts: a service that does not is refused, never given a guessed command)
    if (kind === 0) writeFileSync(join(d, "server.js"), "require('node:http').createServer().listen(process.env.PORT);\n");
    if (kind === 1) writeFileSync(join(d, "pyproject.toml"), `[project]\nname = "${name}"\nversion = "1.0.0"\nrequires-python = ">=3.12"\n`);
    if (kind === 1) writeFileSync(join(d, "app.py"), 'if __name__ == "__main__":\n    print("serving")\n');
    if (kind === 2) {
      writeFileSync(join(d, "go.mod"), `module example.com/${name}\n\ngo 1.25\n`);
      writeFileSync(join(d, "main.go"), "package main\n\nfunc main() {}\n");
    }
    if (kind === 3)
      writeFileSync(
        join(d, "pom.xml"),
        `<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId><artifactId>${name}</artifactId><version>1.0.0</version><properties><java.version>21</java.version></properties></project>\n`,
      );
    if (kind === 3) {
      mkdirSync(join(d, "src", "main", "java"), { recursive: true });
      writeFileSync(join(d, "src", "main", "java", "App.java"), "public final class App {\n  public static void main(String[] args) {}\n}\n");
    }
  }
  writeFileSync(join(dir, "README.md"), "# synthetic\n");
}
const scale = [];
for (const n of [1, 10, 200]) {
  const src = join(work, `mono-${n}-src`);
  synthetic(src, n);
  const c = [];
  const k = [];
  const b = [];
  for (let i = 0; i < scaleRuns; i++) {
    // A copy of its own for each run, removed only at the end (as the single-service creates above).
    const out = join(work, `mono-${n}-${i}`);
    b.push(once(["-e", "0"]));
    c.push(once([cli, "create", out, "--yes", "--owner", "bench"], () => cpSync(src, out, { recursive: true })));
    b.push(once(["-e", "0"]));
    k.push(once([cli, "check", out]));
  }
  scale.push({ n, create: median(c), check: median(k), base: median(b) });
}

console.log(`create-pipeline benchmark: median of ${runs} runs each, ratio to \`node -e 0\` measured alongside`);
for (const r of results) {
  const ok = r.ratio <= r.budget ? "ok" : "OVER";
  console.log(
    `  ${r.label.padEnd(30)} ${r.ms.toFixed(1).padStart(7)} ms  node -e 0 ${r.base.toFixed(1).padStart(6)} ms  ratio ${r.ratio.toFixed(2)} (budget ${r.budget}) ${ok}`,
  );
}
console.log(`\nSeveral services in one repository (median of ${scaleRuns} runs; targets for 200 services: create <= 3000 ms, check <= 1000 ms)`);
const first = scale[0];
for (const s of scale) {
  const line = (what, ms, per1) =>
    `  ${`${what} ${s.n} service${s.n > 1 ? "s" : ""}`.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  ratio ${(ms / s.base).toFixed(1).padStart(5)}  ${(ms / s.n).toFixed(1).padStart(6)} ms/service  growth vs 1 service x${(ms / per1).toFixed(1)} for x${s.n} services`;
  console.log(line("create", s.create, first.create));
  console.log(line("check", s.check, first.check));
}
const big = scale.at(-1);
const scaleOk = big.create <= 3000 && big.check <= 1000;
console.log(`  200 services: create ${big.create <= 3000 ? "ok" : "OVER"}, check ${big.check <= 1000 ? "ok" : "OVER"}`);
rmSync(work, { recursive: true, force: true });
if (process.env.BENCH_STRICT === "1" && (results.some((r) => r.ratio > r.budget) || !scaleOk)) process.exit(1);
