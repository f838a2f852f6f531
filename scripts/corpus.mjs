// The fixture corpus (test/corpus/<id>/): one small service per class of repository layout,
// each with its ground truth (truth.json). For every fixture this:
//   1. copies repo/ to a temp folder and makes it a git repository on the truth's branch;
//   2. runs the CLI with `--yes --json` there (in `path` when given) as a new user would;
//   3. compares what was detected with the truth, field by field (or checks the refusal: exit 2
//      with the expected reason);
//   4. replays the generated ci.yml's install, lint and test steps with the local toolchains
//      (the setup-* actions are stood in for by the local node, python venv, go and JDK);
//   5. builds the service as the image does and runs its start command on the host as PID 1
//      in its own PID namespace (unshare --pid --fork --mount-proc), then requests the health
//      path on loopback (a TCP connect when the service has no HTTP health route).
// The results table is written to docs/corpus.md. Exit 1 when a field, a CI step or a start
// fails. `--only <id>[,<id>...]` runs those fixtures; `--detect-only` skips steps 4 and 5.
// `--only ... --merge` also writes the table: the fixtures named are run whole, every other one is
// detected (steps 1-3, so the totals cover the whole corpus) and keeps the CI and start columns of
// its row in docs/corpus.md.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const CORPUS = join(REPO, "test", "corpus");
// The CLI runs from a copy of bin/ and dist/ taken when the corpus starts: a build elsewhere in the
// checkout (the test suite rebuilds dist/ when its sources are newer) removes dist/ for a moment,
// and a fixture run in that moment failed to load the CLI at all. The copy sits under
// node_modules/ so the CLI's lazily loaded dependencies still resolve.
const argv = process.argv.slice(2);
const USAGE = `npm run corpus -- [--detect-only] [--only <fixture>[,<fixture>...] [--merge]]
  (no option)     every fixture: detection, the CI replay and the start, and the table in docs/corpus.md
  --detect-only   detection only (steps 1-3), every fixture
  --only <names>  those fixtures; with --merge their rows are written into docs/corpus.md
`;
if (argv.includes("--help") || argv.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknownArgs = argv.filter((a, i) => !["--only", "--merge", "--detect-only"].includes(a) && argv[i - 1] !== "--only");
if (unknownArgs.length > 0 || (argv.includes("--only") && (argv[argv.indexOf("--only") + 1] ?? "--").startsWith("--"))) {
  process.stderr.write(
    `npm run corpus: ${unknownArgs.length ? `unknown argument ${unknownArgs.map((a) => JSON.stringify(a)).join(", ")}` : "--only needs the fixtures"}: nothing was run\n${USAGE}`,
  );
  process.exit(2);
}
const SNAPSHOT = mkdtempSync(join(REPO, "node_modules", ".corpus-cli-"));
cpSync(join(REPO, "bin"), join(SNAPSHOT, "bin"), { recursive: true });
cpSync(join(REPO, "dist"), join(SNAPSHOT, "dist"), { recursive: true });
process.on("exit", () => rmSync(SNAPSHOT, { recursive: true, force: true }));
const CLI = join(SNAPSHOT, "bin", "create-pipeline.js");
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1]?.split(",") : undefined;
const merge = only !== undefined && argv.includes("--merge");
const detectAll = argv.includes("--detect-only");
let detectOnly = detectAll;
const FIELDS = [
  "language",
  "languageVersion",
  "buildTool",
  "packageManager",
  "packageManagerVersion",
  "imageDevDependencies",
  "javaPackaging",
  "javaFramework",
  "buildTarget",
  "runtimeAssets",
  "port",
  "protocol",
  "healthPath",
  "healthPort",
  "livenessPath",
  "readinessPath",
  "grpcHealth",
  "metricsPath",
  "startCommand",
  "buildCommand",
  "lintCommand",
  "testCommand",
  "defaultBranch",
];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: opts.timeout ?? 600_000,
    input: "",
  });
  return { code: r.status, stdout: r.stdout ?? "", out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

function gitRepo(dir, spec, id) {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "corpus",
    GIT_AUTHOR_EMAIL: "corpus@example.com",
    GIT_COMMITTER_NAME: "corpus",
    GIT_COMMITTER_EMAIL: "corpus@example.com",
  };
  sh("git", ["init", "-q", "-b", spec.branch ?? "main"], { cwd: dir, env });
  // A GitHub remote, as a clone has (the owner and repository URL come from it).
  sh("git", ["remote", "add", "origin", `https://github.com/corpus-fixtures/${id}.git`], { cwd: dir, env });
  for (const f of spec.executable ?? []) chmodSync(join(dir, f), 0o755);
  sh("git", ["add", "-A"], { cwd: dir, env });
  sh("git", ["commit", "-q", "-m", "fixture"], { cwd: dir, env });
}

/** Replays the Lint-and-test job of ci.yml: its run: steps, with local stand-ins for setup actions. */
function replayCi(dir, work, ciYaml, log) {
  const doc = parseYaml(ciYaml);
  const job = Object.values(doc.jobs).find((j) => /^lint and test$/i.test(j.name ?? ""));
  if (!job) return { ok: false, note: "ci.yml has no Lint and test job" };
  const defined = job.steps.filter((s) => /^(lint|test)$/i.test(s.name ?? "")).map((s) => s.name.toLowerCase());
  const env = {
    ...process.env,
    CI: "true",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    npm_config_update_notifier: "false",
    RUNNER_TEMP: work,
    GOTOOLCHAIN: "local",
    GOFLAGS: "-mod=mod",
    // Corepack (yarn 2+, pnpm) fetches package managers through the npm registry here (GitHub's
    // runners reach repo.yarnpkg.com), without asking, into the job's own folder.
    COREPACK_NPM_REGISTRY: "https://registry.npmjs.org",
    COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
    COREPACK_HOME: join(work, "corepack"),
  };
  // Global installs and Corepack's shims go to a prefix of the job's own, first on PATH; the
  // runner image's own tools (yarn 1) sit after the system's, as /usr/local/bin does on GitHub.
  env.npm_config_prefix = join(work, "npm-global");
  env.PATH = `${join(work, "npm-global", "bin")}${delimiter}${env.PATH}`;
  mkdirSync(join(work, "npm-global", "bin"), { recursive: true });
  let ok = true;
  for (const s of job.steps) {
    if (s.uses) {
      if (s.uses.startsWith("actions/setup-python")) {
        const venv = join(work, "venv");
        sh("python3", ["-m", "venv", venv]);
        env.PATH = `${join(venv, "bin")}${delimiter}${env.PATH}`;
        env.VIRTUAL_ENV = venv;
      }
      if (s.uses.startsWith("actions/setup-node") && s.with?.cache) {
        // GitHub's runner images ship yarn 1; setup-node's cache asks the package manager for
        // its cache folder (`yarn cache dir`, `pnpm store path`) before any install step runs.
        if (s.with.cache === "yarn" && !existsSync(join(work, "runner", "bin", "yarn"))) {
          const y = sh("npm", ["install", "-g", "--no-audit", "--no-fund", "--prefix", join(work, "runner"), "yarn@1.22.22"], { env });
          env.PATH = `${env.PATH}${delimiter}${join(work, "runner", "bin")}`;
          log.push(`  [${y.code === 0 ? "ok" : `exit ${y.code}`}] (runner stand-in) yarn 1 as on GitHub's images`);
        }
        // As setup-node asks: `yarn --version` first (it fails where the runner's yarn 1 meets a
        // project pinned to yarn 2+), then yarn 1's cache dir or yarn 2+'s cacheFolder.
        const yv = s.with.cache === "yarn" ? sh("yarn", ["--version"], { cwd: dir, env }) : undefined;
        const berry = yv !== undefined && yv.code === 0 && Number(yv.out.trim().split(".")[0]) >= 2;
        const ask =
          s.with.cache === "yarn"
            ? berry
              ? ["yarn", ["config", "get", "cacheFolder"]]
              : ["yarn", ["cache", "dir"]]
            : s.with.cache === "pnpm"
              ? ["pnpm", ["store", "path"]]
              : ["npm", ["config", "get", "cache"]];
        const c = sh(ask[0], ask[1], { cwd: dir, env });
        log.push(`  [${c.code === 0 ? "ok" : `exit ${c.code}`}] (setup-node cache: ${s.with.cache}) ${ask[0]} ${ask[1].join(" ")}`);
        if (c.code !== 0) {
          log.push(
            c.out
              .split("\n")
              .slice(0, 4)
              .map((l) => `      ${l}`)
              .join("\n"),
          );
          ok = false;
          break;
        }
      }
      continue;
    }
    if (!s.run) continue;
    if (!/^(install|lint$|test$)/i.test(s.name ?? "")) continue;
    // `corepack enable` links into the Node.js installation's folder; here, the job's prefix.
    const run = s.run.replace(/\bcorepack enable\b/g, `corepack enable --install-directory '${join(work, "npm-global", "bin")}'`);
    const t0 = Date.now();
    const r = sh("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", run], { cwd: dir, env: { ...env, ...(s.env ?? {}) } });
    log.push(`  [${r.code === 0 ? "ok" : `exit ${r.code}`}] ${s.name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${s.run.trim().split("\n")[0]}`);
    if (r.code !== 0) {
      ok = false;
      log.push(
        r.out
          .split("\n")
          .slice(-15)
          .map((l) => `      ${l}`)
          .join("\n"),
      );
      break;
    }
  }
  return {
    ok,
    env,
    note:
      defined.length === 2
        ? undefined
        : defined.length
          ? `no ${defined[0] === "lint" ? "test" : "lint"} step: the repository defines none`
          : "install only: the repository defines no lint or test",
  };
}

function waitFor(port, path, ms) {
  const deadline = Date.now() + ms;
  // 503 is "not ready yet" (a readiness check while the service finishes starting): asked again,
  // as the kubelet asks a readiness probe again, until the deadline.
  let unavailable = false;
  return new Promise((resolve) => {
    const attempt = () => {
      if (Date.now() > deadline)
        return resolve({
          ok: false,
          detail: unavailable ? `GET ${path} → 503 until ${ms / 1000} s` : `nothing answered on 127.0.0.1:${port}${path ?? ""} within ${ms / 1000} s`,
        });
      if (path) {
        fetch(`http://127.0.0.1:${port}${path}`).then(
          (r) =>
            r.status < 400
              ? resolve({ ok: true, detail: `GET ${path} → ${r.status}` })
              : r.status === 503
                ? ((unavailable = true), setTimeout(attempt, 300))
                : resolve({ ok: false, detail: `GET ${path} → ${r.status}` }),
          () => setTimeout(attempt, 300),
        );
      } else {
        const s = net.connect(port, "127.0.0.1");
        s.on("connect", () => (s.destroy(), resolve({ ok: true, detail: `TCP connect to ${port} (no HTTP health route)` })));
        s.on("error", () => setTimeout(attempt, 300));
      }
    };
    attempt();
  });
}

/** GET the metrics as Prometheus scrapes them: 200 and the text exposition format (# TYPE lines). */
async function scrape(port, path, ms) {
  const deadline = Date.now() + ms;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = await r.text();
      if (r.status === 200 && /^# TYPE /m.test(body))
        return { ok: true, detail: `GET :${port}${path} → 200 (Prometheus text, ${body.split("\n").filter((l) => l.startsWith("# TYPE ")).length} metrics)` };
      last = `GET :${port}${path} → ${r.status}${r.status === 200 ? " without Prometheus metrics" : ""}`;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return { ok: false, detail: last };
}

/** Build as the image does, then run the start command as PID 1 in its own PID namespace. */
async function startService(dir, work, answers, env, log) {
  const port = answers.port;
  const build = String(answers.buildCommand ?? "").trim();
  let runDir = dir;
  let start = answers.startCommand;
  if (answers.language === "go") {
    const bin = start.split(/\s+/)[0].split("/").pop();
    runDir = join(work, "image");
    mkdirSync(runDir, { recursive: true });
    const r = sh("go", ["build", "-trimpath", "-o", join(runDir, bin), answers.buildTarget || "."], { cwd: dir, env: { ...env, CGO_ENABLED: "0" } });
    if (r.code !== 0) return { ok: false, detail: `go build failed: ${r.out.slice(-400)}` };
    for (const a of String(answers.runtimeAssets ?? "")
      .split(",")
      .filter(Boolean))
      cpSync(join(dir, a), join(runDir, a), { recursive: true });
    log.push(`  image: go build ${answers.buildTarget} → /app/${bin}, assets: ${answers.runtimeAssets || "(none)"}`);
  } else if (answers.language === "node" && answers.packageManager === "yarn" && !existsSync(join(dir, "node_modules"))) {
    // CI installed with Plug'n'Play (no node_modules); the image installs into node_modules.
    const r = sh("yarn", ["install", "--immutable"], { cwd: dir, env: { ...env, YARN_NODE_LINKER: "node-modules" } });
    log.push(`  image: yarn install into node_modules (YARN_NODE_LINKER=node-modules, as the image) → exit ${r.code}`);
    if (r.code !== 0) return { ok: false, detail: `install failed: ${r.out.slice(-400)}` };
  }
  if (answers.language !== "go" && build) {
    const r = sh("bash", ["-c", build], { cwd: dir, env });
    log.push(`  image build: ${build} → exit ${r.code}`);
    if (r.code !== 0) return { ok: false, detail: `build failed: ${r.out.slice(-400)}` };
  }
  if (answers.language === "java" && answers.javaPackaging !== "application") {
    // The image copies the built jar; run the one the start command names.
    const jar = /-jar\s+(\S+)/.exec(start)?.[1];
    if (jar && !existsSync(join(dir, jar))) return { ok: false, detail: `${jar} was not built` };
    // The image copies it to /app/app.jar (quarkus: the quarkus-app folder) and runs it there.
    runDir = join(work, "image");
    mkdirSync(runDir, { recursive: true });
    if (answers.javaPackaging === "quarkus") cpSync(join(dir, jar, ".."), join(runDir, "quarkus-app"), { recursive: true });
    else if (jar) cpSync(join(dir, jar), join(runDir, "app.jar"));
  }
  if (answers.language === "python" && ["uv", "poetry", "pipenv"].includes(answers.packageManager)) {
    // The image installs into one virtualenv on PATH; on the host that is the project's own.
    const venv =
      answers.packageManager === "uv"
        ? join(dir, ".venv")
        : // stdout only, its absolute path line: pipenv prints advice on stderr.
          (sh(answers.packageManager, answers.packageManager === "poetry" ? ["env", "info", "-p"] : ["--venv"], { cwd: dir, env })
            .stdout.split("\n")
            .map((l) => l.trim())
            .filter((l) => l.startsWith("/"))
            .pop() ?? "");
    env = { ...env, PATH: `${join(venv, "bin")}${delimiter}${env.PATH}`, VIRTUAL_ENV: venv };
    log.push(`  image: the ${answers.packageManager} virtualenv ${venv} on PATH`);
  }
  // The process the image runs: its ENTRYPOINT and CMD (exec form), with the image's paths mapped
  // to the host (tini from the lab tools, /app/<binary> to the built binary).
  const argv = imageArgv(readFileSync(join(dir, "Dockerfile"), "utf8"), runDir);
  if (!argv.ok) return { ok: false, detail: argv.detail };
  start = argv.argv.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(" ");
  const child = spawn("unshare", ["--pid", "--fork", "--mount-proc", ...argv.argv], {
    cwd: runDir,
    // Kubernetes gives every container these variables; Spring Boot turns on Actuator's liveness
    // and readiness groups when it sees them (the chart's probes call those groups).
    env: { ...env, PORT: String(port), NODE_ENV: "production", KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const grpc = answers.protocol === "grpc";
  // A health path on a management port of its own is requested there; the service port must
  // accept connections too.
  const healthPort = !grpc && answers.healthPath && answers.healthPort > 0 && answers.healthPort !== port ? answers.healthPort : port;
  let res = await waitFor(healthPort, grpc || !answers.healthPath ? undefined : answers.healthPath, 60_000);
  if (res.ok && healthPort !== port) {
    const svc = await waitFor(port, undefined, 10_000);
    res = svc.ok
      ? { ok: true, detail: `${res.detail} on the management port ${healthPort}; TCP connect to ${port}` }
      : { ok: false, detail: `${res.detail} on the management port ${healthPort}, but ${svc.detail}` };
  }
  // The chart's probes that call a path of their own (livenessPath, readinessPath): each must answer 200.
  if (res.ok && !grpc && answers.healthPath && existsSync(join(dir, "charts", answers.name, "values.yaml"))) {
    const values = parseYaml(readFileSync(join(dir, "charts", answers.name, "values.yaml"), "utf8"));
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const p = values[probe]?.path;
      if (!res.ok || !p || res.detail.includes(` ${p} `)) continue;
      const r = await waitFor(healthPort, p, 20_000);
      res = r.ok ? { ok: true, detail: `${res.detail}; ${probe} ${r.detail}` } : { ok: false, detail: `${res.detail}, but the chart's ${probe} ${r.detail}` };
    }
  }
  // The scrape the chart sets up (metrics.path on metrics.port, else containerPort) when the service
  // exports Prometheus metrics: it must answer with the text exposition format.
  if (res.ok && answers.metricsPath && existsSync(join(dir, "charts", answers.name, "values.yaml"))) {
    const values = parseYaml(readFileSync(join(dir, "charts", answers.name, "values.yaml"), "utf8"));
    const mport = values.metrics.port || values.containerPort;
    const m = await scrape(mport, values.metrics.path, 20_000);
    res = m.ok ? { ok: true, detail: `${res.detail}; scrape ${m.detail}` } : { ok: false, detail: `${res.detail}, but the chart's scrape ${m.detail}` };
  }
  // The image's HEALTHCHECK, run on the host as Docker runs it in the container (exec form).
  if (res.ok) {
    const hc = healthcheckArgv(readFileSync(join(dir, "Dockerfile"), "utf8"));
    if (hc) {
      const h = sh(hc[0], hc.slice(1), { cwd: runDir, env: { ...env, PORT: String(port) }, timeout: 10_000 });
      res =
        h.code === 0
          ? { ok: true, detail: `${res.detail}; HEALTHCHECK passes` }
          : { ok: false, detail: `${res.detail}, but the HEALTHCHECK (${hc.join(" ")}) exits ${h.code}: ${h.out.slice(-200)}` };
    }
  }
  // PID 1 check, as `docker stop` does it: SIGTERM to the namespace's process 1 only (unshare's
  // child: tini for Node and Python, the service itself for Go and Java), never to the group.
  const t0 = Date.now();
  let pid1;
  try {
    pid1 = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/)[0]) || undefined;
  } catch {}
  try {
    if (pid1) process.kill(pid1, "SIGTERM");
  } catch {}
  const exited = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    child.on("exit", () => (clearTimeout(timer), resolve(true)));
    if (child.exitCode !== null) clearTimeout(timer), resolve(true);
  });
  if (!exited)
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  log.push(
    `  start: unshare --pid --fork --mount-proc ${start} (PORT=${port}) → ${res.detail}; SIGTERM → ${exited ? `exited in ${((Date.now() - t0) / 1000).toFixed(1)} s` : "still running after 10 s (killed)"}`,
  );
  if (res.ok && !exited) return { ok: false, detail: `${res.detail}, but SIGTERM to PID 1 did not stop it within 10 s` };
  if (!res.ok)
    log.push(
      output
        .split("\n")
        .slice(-10)
        .map((l) => `      ${l}`)
        .join("\n"),
    );
  return res;
}

/** tini as the image installs it: the lab's copy (scripts/install-lab.sh), else one on PATH. */
function tiniPath() {
  const lab = join(REPO, ".tools", "lab", "bin", "tini");
  if (existsSync(lab)) return lab;
  const which = sh("sh", ["-c", "command -v tini"]);
  if (which.code === 0) return which.out.trim();
  const inst = sh("bash", [join(REPO, "scripts", "install-lab.sh")], { env: { ...process.env, LAB_PIECES: "deb" } });
  return existsSync(lab) ? lab : (console.log(inst.out.slice(-800)), undefined);
}

/** The HEALTHCHECK's command (exec form), or undefined when the image has none. */
function healthcheckArgv(dockerfile) {
  const m = /^HEALTHCHECK\b[^\n]*?(?:\\\n[^\n]*?)*\bCMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  return m ? JSON.parse(m[1]) : undefined;
}

/** The argv the image runs: the last ENTRYPOINT followed by the last CMD (both exec form). */
function imageArgv(dockerfile, runDir) {
  const last = (word) => {
    const lines = dockerfile.split("\n").filter((l) => new RegExp(`^${word}\\s`).test(l));
    const text = lines.at(-1)?.slice(word.length).trim();
    return text ? JSON.parse(text) : [];
  };
  let argv;
  try {
    argv = [...last("ENTRYPOINT"), ...last("CMD")];
  } catch (e) {
    return { ok: false, detail: `the Dockerfile's ENTRYPOINT/CMD is not in exec form: ${e.message}` };
  }
  if (!argv.length) return { ok: false, detail: "the Dockerfile has no ENTRYPOINT or CMD" };
  const mapped = [];
  for (const a of argv) {
    if (/^\/(usr\/)?s?bin\/tini$/.test(a)) {
      const t = tiniPath();
      if (!t) return { ok: false, detail: "tini is not installed (scripts/install-lab.sh installs it)" };
      mapped.push(t);
    } else mapped.push(a.startsWith("/app/") ? join(runDir, a.slice("/app/".length)) : a);
  }
  return { ok: true, argv: mapped };
}

const show = (v) => (v === undefined ? "–" : v === "" ? "(none)" : String(v));

const rows = [];
let failures = 0;
let fieldsRight = 0;
let fieldsTotal = 0;
/** Per field: [right, compared] over the fixtures that were detected (not refused). */
const perField = new Map();
const tally = (f, ok) => {
  const t = perField.get(f) ?? [0, 0];
  perField.set(f, [t[0] + (ok ? 1 : 0), t[1] + 1]);
};
for (const id of readdirSync(CORPUS).sort()) {
  if (only && !only.includes(id) && !merge) continue;
  // With --merge, a fixture not named is only detected; its CI and start columns are kept.
  detectOnly = detectAll || (merge && !only.includes(id));
  const spec = JSON.parse(readFileSync(join(CORPUS, id, "truth.json"), "utf8"));
  const work = mkdtempSync(join(tmpdir(), `corpus-${id}-`));
  const root = join(work, "repo");
  cpSync(join(CORPUS, id, "repo"), root, { recursive: true });
  if (spec.git) gitRepo(root, spec.git, id);
  const dir = join(root, spec.path ?? ".");
  const log = [`${id} (${spec.class})`];
  const r = sh("node", [CLI, ".", "--yes", "--json"], { cwd: dir, env: { ...process.env, CI: "true" } });
  const row = { id, cls: spec.class, fields: "", ci: "", start: "", wrong: [] };
  if (spec.truth.refused) {
    const ok = r.code === 2 && r.out.includes(spec.truth.refused) && !existsSync(join(dir, ".github"));
    tally("refusal (exit 2, the reason, nothing written)", ok);
    row.fields = ok ? "refused ✔" : "NOT refused ✘";
    row.ci = row.start = "–";
    log.push(`  exit ${r.code}: ${r.out.trim().split("\n").slice(0, 3).join(" | ")}`);
    if (!ok) failures++;
    fieldsTotal++;
    if (ok) fieldsRight++;
    let reason = r.out.trim().split("\n")[0];
    try {
      reason = JSON.parse(r.stdout).error?.message ?? reason;
      // The fixture's temporary folder is not part of the reason.
      reason = reason.replaceAll(root, "<fixture>");
    } catch {}
    rows.push({ ...row, reason });
    console.log(log.join("\n"));
    rmSync(work, { recursive: true, force: true });
    continue;
  }
  if (spec.truth.services) {
    // A repository of several services: each is found, and the workflows are at the root.
    const text = r.code === 0 && existsSync(join(dir, ".create-pipeline.yaml")) ? readFileSync(join(dir, ".create-pipeline.yaml"), "utf8") : "";
    const found = [...text.matchAll(/^ {2}- path: (.+)$/gm)].map((m) => m[1].trim());
    const want = spec.truth.services;
    const ok = r.code === 0 && want.every((p) => found.includes(p)) && found.length === want.length && existsSync(join(dir, ".github", "workflows", "ci.yml"));
    tally("services of a monorepo", ok);
    row.fields = ok ? `services ✔ (${found.join(", ")})` : `services ✘ (exit ${r.code}; found ${found.join(", ") || "none"}, want ${want.join(", ")})`;
    row.ci = row.start = "– (per service: the monorepo conformance suite)";
    log.push(`  exit ${r.code}: services ${found.join(", ") || "none"}`);
    let right = ok ? 1 : 0;
    let total = 1;
    // Each service's detected answers against its truth (result.services[].answers).
    const detected = r.code === 0 ? (JSON.parse(r.stdout).result?.services ?? []) : [];
    for (const [p, truth] of Object.entries(spec.serviceTruth ?? {})) {
      const got = detected.find((x) => x.path === p)?.answers ?? {};
      const origins = detected.find((x) => x.path === p)?.origins ?? {};
      for (const f of FIELDS.filter((k) => k in truth)) {
        const v = got[f] ?? "";
        const same = String(v) === String(truth[f]);
        tally(f, same);
        total++;
        if (same) right++;
        else row.wrong.push(`${p} ${f}: ${show(v)} (want ${show(truth[f])}${origins[f]?.from ? `; from ${origins[f].from}` : ""})`);
      }
    }
    if (total > 1) row.fields = `${row.fields}; ${right - (ok ? 1 : 0)}/${total - 1} fields`;
    if (row.wrong.length) log.push(`  wrong: ${row.wrong.join("; ")}`);
    if (!ok || right !== total) failures++;
    fieldsTotal += total;
    fieldsRight += right;
    rows.push(row);
    console.log(log.join("\n"));
    rmSync(work, { recursive: true, force: true });
    continue;
  }
  if (r.code !== 0) {
    failures++;
    rows.push({ ...row, fields: `create failed (exit ${r.code})`, ci: "–", start: "–" });
    console.log(`${log.join("\n")}\n  create failed: ${r.out.slice(0, 800)}`);
    continue;
  }
  // The JSON envelope: answers as { value, origin, from } (from: where a detected one was read).
  const origins = JSON.parse(r.stdout).answers;
  const answers = Object.fromEntries(Object.entries(origins).map(([k, v]) => [k, v.value]));
  let right = 0;
  const fields = FIELDS.filter((f) => f in spec.truth);
  for (const f of fields) {
    const want = spec.truth[f];
    const got = answers[f] ?? (f === "healthPath" && answers.protocol === "grpc" ? undefined : "");
    tally(f, String(got) === String(want));
    if (String(got) === String(want)) right++;
    else
      row.wrong.push(
        `${f}: ${show(got)} (want ${show(want)}${origins?.[f]?.from ? `; from ${origins[f].from}` : origins?.[f]?.origin === "default" ? "; defaulted" : ""})`,
      );
  }
  // What the repository already had: each reported (never overwritten or mixed into).
  for (const p of spec.existing ?? []) {
    fields.push(`existing ${p}`);
    const note = (JSON.parse(r.stdout).problems ?? []).find((x) => x.kind === "existing" && x.path === p);
    tally("existing files reported", Boolean(note));
    if (note) right++;
    else row.wrong.push(`existing ${p}: not reported`);
  }
  fieldsRight += right;
  fieldsTotal += fields.length;
  row.fields = `${right}/${fields.length}`;
  if (right !== fields.length) failures++;
  log.push(`  detected ${right}/${fields.length}${row.wrong.length ? `; wrong: ${row.wrong.join("; ")}` : ""}`);
  if (detectOnly) {
    row.ci = row.start = "not run (--detect-only)";
    if (merge && !detectAll) row.keep = true;
  } else if (spec.notRun) {
    row.ci = row.start = `not run: ${spec.notRun}`;
  } else {
    const ci = replayCi(dir, work, readFileSync(join(dir, ".github", "workflows", "ci.yml"), "utf8"), log);
    row.ci = ci.ok ? (ci.note ? `pass (${ci.note})` : "pass") : "FAIL";
    if (!ci.ok) failures++;
    const st = ci.ok ? await startService(dir, work, answers, ci.env ?? process.env, log) : { ok: false, detail: "not started: CI install failed" };
    row.start = st.ok ? `pass: ${st.detail}` : `FAIL: ${st.detail}`;
    if (!st.ok) failures++;
  }
  rows.push(row);
  console.log(log.join("\n"));
  if (!failures) rmSync(work, { recursive: true, force: true });
}

const pct = fieldsTotal ? ((100 * fieldsRight) / fieldsTotal).toFixed(1) : "0";
const previous = readFileSync(join(REPO, "docs", "corpus.md"), "utf8");
for (const r of rows.filter((x) => x.keep)) {
  // The CI and start columns of the fixture's row as the table has them (" | " never inside a cell).
  const line = previous.split("\n").find((l) => l.startsWith(`| ${r.id} | `));
  const cells = line?.replace(/^\| | \|$/g, "").split(" | ");
  if (cells !== undefined && cells.length >= 5) [r.ci, r.start] = cells.slice(-2);
  else r.ci = r.start = "not run since the fixture was added (--merge)";
}
const table = [
  "| Fixture | Class | Fields right | CI lint/test | Starts (PID 1, health on loopback) |",
  "| --- | --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.id} | ${r.cls} | ${r.fields}${r.wrong.length ? `<br>${r.wrong.join("<br>")}` : ""}${r.reason ? `<br>${r.reason.replace(/\|/g, "\\|")}` : ""} | ${r.ci} | ${r.start} |`,
  ),
];
if (!only || merge) {
  const doc = previous;
  const cmd = detectAll ? "npm run corpus -- --detect-only" : merge ? `npm run corpus -- --only ${only.join(",")} --merge` : "npm run corpus";
  const note = merge && !detectAll ? " (every fixture detected; the CI and start columns of the others from their last run)" : "";
  const begin = "<!-- corpus-results:begin -->";
  const end = "<!-- corpus-results:end -->";
  const byField = ["| Field | Right | Of |", "| --- | --- | --- |", ...[...perField].map(([f, [ok, n]]) => `| ${f} | ${ok}${ok === n ? "" : " ✘"} | ${n} |`)];
  const body = `${begin}\nFields right: ${fieldsRight}/${fieldsTotal} (${pct}%), from \`${cmd}\`${note}.\n\n${table.join("\n")}\n\nBy field, over the fixtures:\n\n${byField.join("\n")}\n${end}`;
  writeFileSync(join(REPO, "docs", "corpus.md"), doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), body));
}
console.log(`\nfields right: ${fieldsRight}/${fieldsTotal} (${pct}%); failures: ${failures}`);
process.exit(failures ? 1 : 0);
