/**
 * The container's command as PID 1: for a sample service, the generated Dockerfile's ENTRYPOINT +
 * CMD is run on the host in its own PID namespace (`unshare --pid --fork --mount-proc`), where it
 * is PID 1 exactly as in a container (the kernel drops signals PID 1 has no handler for). The
 * health path must answer, the Dockerfile's HEALTHCHECK must pass against the port the chart
 * gives (PORT), and SIGTERM must end it promptly; the chart's preStop delay plus that time must
 * fit in its termination grace period.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { HELM, LAB_BIN, freePort, sleep } from "./cluster.js";

/**
 * Why the Gradle sample is not run: its build needs Gradle 7 or newer (Java toolchains,
 * platform()); Debian's gradle package is 4.4.1, which runs on Java 9 at most, Maven Central does
 * not publish Gradle distributions, and a Gradle wrapper downloads its distribution from Gradle's
 * own servers, which the machine cannot reach.
 */
export const GRADLE_SKIP =
  "no Gradle >= 7 can be installed here (Debian has 4.4.1, which needs Java <= 9; Maven Central has no Gradle distribution; the wrapper downloads from Gradle's servers)";

export interface Pid1Result {
  service: string;
  ok: boolean;
  detail: string;
  /** SIGTERM to exit, in ms. */
  exitMs?: number;
  skipped?: string;
}

/** The runtime stage's WORKDIR, ENTRYPOINT, CMD and HEALTHCHECK CMD of a Dockerfile (exec form). */
export function runtimeCommand(dockerfile: string) {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages[stages.length - 1]!;
  const exec = (kw: string) => {
    const m = new RegExp(`^${kw} (\\[.*\\])\\s*$`, "m").exec(last);
    return m ? (JSON.parse(m[1]!) as string[]) : [];
  };
  const hc = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])\s*$/m.exec(last) ?? /^HEALTHCHECK .*CMD (\[.*\])\s*$/m.exec(last);
  const env: Record<string, string> = {};
  for (const m of last.matchAll(/^ENV ((?:[^\n]*\\\n)*[^\n]*)$/gm))
    for (const kv of m[1]!.replace(/\\\n/g, " ").matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[kv[1]!] = kv[2]!;
  return {
    workdir: /^WORKDIR (\S+)/m.exec(last)?.[1] ?? "/",
    entrypoint: exec("ENTRYPOINT"),
    cmd: exec("CMD"),
    healthcheck: hc ? (JSON.parse(hc[1]!) as string[]) : undefined,
    env,
  };
}

/**
 * The pod's environment with the service moved to `port`: the image's ENV, then the chart's
 * container env, where every variable that carries the listening port (PORT, and a framework's
 * own such as SERVER_PORT, QUARKUS_HTTP_PORT or MICRONAUT_SERVER_PORT: a name ending in PORT
 * whose value is the chart's containerPort) gets `port` instead.
 */
export function podEnv(
  imageEnv: Record<string, string>,
  containerEnv: { name: string; value?: string }[],
  chartPort: number,
  port: number,
): Record<string, string> {
  const env: Record<string, string> = { ...imageEnv };
  for (const e of containerEnv) if (e.value !== undefined) env[e.name] = e.value;
  for (const [k, v] of Object.entries(env)) if (/PORT$/.test(k) && v === String(chartPort)) env[k] = String(port);
  env.PORT = String(port);
  return env;
}

/**
 * Maps the container's paths to the host: tini to the lab's tini, /app (a Go binary) and
 * /app/app.jar to what `build` produced, the WORKDIR to the service folder.
 */
function hostArgv(argv: string[], workdir: string, svc: string, built: Record<string, string>): string[] {
  return argv.map((a) => {
    if (/^\/(usr\/)?(s?bin)\/tini$/.test(a)) return join(LAB_BIN, "tini");
    if (built[a]) return built[a]!;
    if (a.startsWith(`${workdir}/`)) return join(svc, a.slice(workdir.length + 1));
    return a;
  });
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

/** Builds what the runtime stage copies from the build stages (the Go binary, the jar). */
function build(svc: string, language: string, out: string, entry: string | undefined, target: string): Record<string, string> | string {
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(cmd, args, { cwd: svc, encoding: "utf8", env: { ...process.env, ...env }, timeout: 600_000 });
  if (language === "go") {
    // The binary the ENTRYPOINT names, built from the answered package.
    const image = entry ?? "/app";
    const r = run("go", ["build", "-o", join(out, "app"), target], { GOTOOLCHAIN: "local", CGO_ENABLED: "0" });
    return r.status === 0 ? { [image]: join(out, "app") } : `go build failed: ${r.stderr}`;
  }
  if (language === "java") {
    if (existsSync(join(svc, "build.gradle")) || existsSync(join(svc, "build.gradle.kts"))) return `skip:${GRADLE_SKIP}`;
    const r = run("mvn", ["-B", "-q", "-ntp", "package", "-DskipTests"]);
    if (r.status !== 0) return `mvn package failed: ${r.stdout.slice(-1500)}${r.stderr.slice(-500)}`;
    const jar = readdirSync(join(svc, "target")).find((f) => f.endsWith(".jar") && !/sources|javadoc|^original-/.test(f));
    return jar ? { "/app/app.jar": join(svc, "target", jar) } : "mvn package made no jar";
  }
  return {};
}

export async function runPid1(service: string, svc: string, answers: Record<string, unknown>, out: string): Promise<Pid1Result> {
  const dockerfile = readFileSync(join(svc, "Dockerfile"), "utf8");
  const rc = runtimeCommand(dockerfile);
  const built = build(svc, String(answers.language), out, rc.entrypoint[0], String(answers.buildTarget ?? "."));
  if (typeof built === "string") {
    if (built.startsWith("skip:")) return { service, ok: true, skipped: built.slice(5), detail: "" };
    return { service, ok: false, detail: built };
  }
  const argv = hostArgv([...rc.entrypoint, ...rc.cmd], rc.workdir, svc, built);
  if (argv.length === 0) return { service, ok: false, detail: "the Dockerfile's runtime stage has no ENTRYPOINT or CMD in exec form" };
  // The chart's pod: containerPort as PORT, grace period and preStop.
  const chart = join(svc, "charts", String(answers.name));
  // As a promotion leaves it: the chart renders its workload only once an image is set.
  const r = spawnSync(HELM, ["template", String(answers.name), chart, "--set", "image.tag=sha-0123456789ab"], { encoding: "utf8" });
  if (r.status !== 0) return { service, ok: false, detail: `helm template failed: ${r.stderr}` };
  const workload = parseAllDocuments(r.stdout)
    .map((d) => d.toJS())
    .find((o) => o && (o.kind === "Deployment" || o.kind === "Rollout"));
  if (!workload) return { service, ok: false, detail: "the chart renders no Deployment or Rollout once an image is promoted" };
  const pod = workload.spec.template.spec;
  const container = pod.containers[0];
  const grace: number = pod.terminationGracePeriodSeconds ?? 30;
  const preStop: number = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const chartPort: number = container.ports[0].containerPort;
  // A port other than the chart's default shows whether the service and its HEALTHCHECK follow PORT.
  const port = await freePort();
  // The image's ENV, but for what points into the image's filesystem (PATH, a virtualenv).
  const imageEnv = Object.fromEntries(Object.entries(rc.env).filter(([k, v]) => !["PATH", "VIRTUAL_ENV"].includes(k) && !v.includes("$")));
  const env: NodeJS.ProcessEnv = { ...process.env, ...podEnv(imageEnv, container.env ?? [], chartPort, port), HOME: out };
  const health = `http://127.0.0.1:${port}${answers.healthPath}`;
  const child = spawn("unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", "--", ...argv], { cwd: svc, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  const kill = () => child.exitCode === null && child.kill("SIGKILL");
  try {
    const end = Date.now() + (answers.language === "java" ? 90_000 : 30_000);
    while (!(await httpOk(health))) {
      if (child.exitCode !== null)
        return { service, ok: false, detail: `${argv.join(" ")} exited (${child.exitCode}) before answering ${answers.healthPath}:\n${output.slice(-1000)}` };
      if (Date.now() > end) return { service, ok: false, detail: `${answers.healthPath} did not answer on PORT=${port}:\n${output.slice(-1000)}` };
      await sleep(200);
    }
    const notes = [`${argv.map((a) => a.split("/").pop()).join(" ")} answered ${answers.healthPath} on PORT=${port}`];
    if (rc.healthcheck) {
      const hc = spawnSync(rc.healthcheck[0]!, rc.healthcheck.slice(1), { cwd: svc, env, encoding: "utf8", timeout: 10_000 });
      if (hc.status !== 0)
        return {
          service,
          ok: false,
          detail: `the Dockerfile's HEALTHCHECK fails while the service answers on PORT=${port} (chart containerPort ${chartPort}): ${rc.healthcheck.join(" ")}\n${hc.stderr}`,
        };
      notes.push("HEALTHCHECK passed");
    }
    // PID 1 of the namespace: unshare's child.
    const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/);
    const pid1 = Number(kids[0]);
    const t = performance.now();
    process.kill(pid1, "SIGTERM");
    const limit = 10_000;
    const code = await Promise.race([exited, sleep(limit).then(() => "timeout" as const)]);
    const ms = Math.round(performance.now() - t);
    if (code === "timeout")
      return {
        service,
        ok: false,
        detail: `PID 1 (${argv.join(" ")}) ignored SIGTERM for ${limit / 1000}s: every rollout would wait out the ${grace}s grace period and kill in-flight requests`,
        exitMs: ms,
      };
    if (preStop <= 0)
      return { service, ok: false, detail: `the chart has no preStop delay: the pod gets SIGTERM while Services still route to it`, exitMs: ms };
    if (preStop + ms / 1000 + 2 > grace)
      return { service, ok: false, detail: `preStop ${preStop}s + exit ${ms}ms does not fit the ${grace}s grace period`, exitMs: ms };
    notes.push(`SIGTERM to exit ${ms} ms; preStop ${preStop}s + exit within the ${grace}s grace period`);
    return { service, ok: true, detail: notes.join("; "), exitMs: ms };
  } finally {
    kill();
  }
}
