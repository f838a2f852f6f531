/**
 * The lab's control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok
 * (fake nodes whose pods become Ready), the Argo Rollouts controller and Prometheus, all real
 * binaries from .tools/lab (scripts/install-lab.sh), all bound to 127.0.0.1 on free ports, all in
 * one temporary folder that stop() removes.
 *
 * Identities (static tokens): "admin" (system:masters) for setup and for impersonation, and
 * "rollouts-controller" / "kwok" / "kube-controller-manager" / "kube-scheduler" for the components.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..");
export const LAB_DIR = process.env.LAB_TOOLS ?? join(REPO, ".tools", "lab");
export const LAB_BIN = join(LAB_DIR, "bin");
/** The Helm the generated workflows pin (tools.helm in versions.yaml), as scripts/install-tools.sh installs it. */
export const HELM_VERSION =
  /^ {2}helm: *(v[0-9][0-9.]*)/m.exec(readFileSync(join(REPO, "templates", "pipeline", "data", "versions.yaml"), "utf8"))?.[1] ?? "unknown";
export const HELM = join(REPO, ".tools", "helm", HELM_VERSION, "helm");
export const K8S_VERSION = "v1.34.2";

const REQUIRED = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok", "rollouts-controller", "flagger", "prometheus"];

/** The lab's binaries that are missing (empty when `bash scripts/install-lab.sh` has run). */
export function missingTools(opts: { rollouts?: boolean } = {}): string[] {
  const skip = opts.rollouts === false ? ["rollouts-controller", "crds/argo-rollouts"] : [];
  const miss = REQUIRED.filter((b) => !skip.includes(b) && !existsSync(join(LAB_BIN, b)));
  if (!existsSync(HELM)) miss.push(`helm ${HELM_VERSION} (.tools/helm/${HELM_VERSION}/helm: bash scripts/install-tools.sh)`);
  for (const d of ["crds/argo-rollouts", "crds/argo-cd/applicationset-crd.yaml", "crds/flagger", "crds/gateway-api", "kwok-stages"])
    if (!skip.includes(d) && !existsSync(join(LAB_DIR, d))) miss.push(d);
  return miss;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunOut {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
}

export interface StartOptions {
  /** Start the Argo Rollouts controller (default true). */
  rollouts?: boolean;
  /** Start Prometheus (default true). */
  prometheus?: boolean;
  /** Keep the folder after stop() (its logs help when something failed). */
  keep?: boolean;
}

export class Lab {
  readonly dir: string;
  readonly adminToken = randomBytes(16).toString("hex");
  /** The identity Prometheus discovers pods as (scrape.ts gives it the rights it needs). */
  readonly prometheusToken = randomBytes(16).toString("hex");
  readonly apiPort: number;
  readonly promPort: number;
  readonly adminKubeconfig: string;
  readonly audit: string;
  /** Time to a control plane that schedules pods and runs every controller, in ms. */
  startupMs = 0;
  private procs: Proc[] = [];
  private promRulesFile: string;

  private constructor(
    dir: string,
    apiPort: number,
    promPort: number,
    private readonly opts: StartOptions,
  ) {
    this.dir = dir;
    this.apiPort = apiPort;
    this.promPort = promPort;
    this.adminKubeconfig = join(dir, "admin.kubeconfig");
    this.audit = join(dir, "audit.log");
    this.promRulesFile = join(dir, "prometheus", "series.rules.yml");
  }

  get server(): string {
    return `https://127.0.0.1:${this.apiPort}`;
  }
  get prometheusUrl(): string {
    return `http://127.0.0.1:${this.promPort}`;
  }
  /** The CA that signed the API server's certificate (also the root CA of service-account tokens). */
  get caFile(): string {
    return join(this.dir, "certs", "apiserver.crt");
  }

  static async start(opts: StartOptions = {}): Promise<Lab> {
    const miss = missingTools(opts);
    if (miss.length) throw new Error(`the lab is not installed (missing: ${miss.join(", ")}); run: bash scripts/install-lab.sh`);
    const t0 = performance.now();
    const dir = mkdtempSync(join(tmpdir(), "cp-lab-"));
    if (!opts.keep) DIRS.add(dir);
    const lab = new Lab(dir, await freePort(), await freePort(), opts);
    try {
      await lab.boot();
    } catch (e) {
      await lab.stop(true);
      throw e;
    }
    lab.startupMs = Math.round(performance.now() - t0);
    return lab;
  }

  /** Starts a process of the lab (stopped with it), its output in logs/<name>.log. */
  spawnProc(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
    reapOnExit();
    const log = join(this.dir, "logs", `${name}.log`);
    mkdirSync(join(this.dir, "logs"), { recursive: true });
    const fd = openSync(log, "a");
    // Under setpriv --pdeathsig the process is killed by the kernel when this one ends in any way,
    // a SIGKILL included (a test runner's worker killed on a timeout runs no exit handler).
    const [cmd, argv] = PDEATHSIG ? ["setpriv", ["--pdeathsig", "KILL", "--", bin, ...args]] : [bin, args];
    const child = spawn(cmd, argv, { stdio: ["ignore", fd, fd], env: { ...process.env, ...env }, detached: false });
    const p = { name, child, log };
    LIVE.add(child);
    child.once("exit", () => LIVE.delete(child));
    this.procs.push(p);
    return p;
  }

  private kubeconfig(file: string, token: string, ns = "default") {
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster:
      server: ${this.server}
      certificate-authority: ${this.caFile}
users:
  - name: u
    user:
      token: ${token}
contexts:
  - name: lab
    context: { cluster: lab, user: u, namespace: ${ns} }
current-context: lab
`,
    );
  }

  private async waitFor(what: string | (() => string), ms: number, fn: () => boolean | Promise<boolean>, proc?: Proc) {
    const end = Date.now() + ms;
    for (;;) {
      const label = typeof what === "string" ? what : what();
      if (proc && proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}) while waiting for ${label}:\n${tail(proc.log)}`);
      try {
        if (await fn()) return;
      } catch {
        /* not yet */
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${label}${proc ? `:\n${tail(proc.log)}` : ""}`);
      await sleep(300);
    }
  }

  private async boot() {
    const d = this.dir;
    for (const sub of ["etcd", "certs", "prometheus", "logs"]) mkdirSync(join(d, sub), { recursive: true });
    // --- etcd
    const etcdPort = await freePort();
    const peerPort = await freePort();
    const etcd = this.spawnProc("etcd", join(LAB_BIN, "etcd"), [
      "--data-dir",
      join(d, "etcd"),
      "--listen-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--advertise-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--listen-peer-urls",
      `http://127.0.0.1:${peerPort}`,
      "--initial-advertise-peer-urls",
      `http://127.0.0.1:${peerPort}`,
      "--initial-cluster",
      `default=http://127.0.0.1:${peerPort}`,
      "--unsafe-no-fsync",
    ]);
    // --- API server
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const saKey = join(d, "certs", "sa.key");
    const saPub = join(d, "certs", "sa.pub");
    writeFileSync(saKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(saPub, publicKey.export({ type: "spki", format: "pem" }));
    const tokens: Record<string, string> = {};
    const tokenLines = [`${this.adminToken},admin,admin,system:masters`];
    for (const u of ["kube-controller-manager", "kube-scheduler", "kwok", "rollouts-controller"]) {
      tokens[u] = randomBytes(16).toString("hex");
      // The components run as cluster admins: the lab checks the pipeline's identities, not theirs.
      tokenLines.push(`${tokens[u]},${u === "kube-controller-manager" || u === "kube-scheduler" ? `system:${u}` : u},${u},system:masters`);
    }
    // Prometheus's pod discovery: a user of its own, with no rights until scrape.ts grants them.
    tokenLines.push(`${this.prometheusToken},prometheus,prometheus`);
    writeFileSync(join(d, "tokens.csv"), tokenLines.join("\n") + "\n");
    writeFileSync(
      join(d, "audit-policy.yaml"),
      `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create, update, patch, delete]
`,
    );
    await this.waitFor("etcd", 30_000, async () => (await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok, etcd);
    const api = this.spawnProc("kube-apiserver", join(LAB_BIN, "kube-apiserver"), [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${this.apiPort}`,
      `--cert-dir=${join(d, "certs")}`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      "--service-account-issuer=https://kubernetes.default.svc",
      `--token-auth-file=${join(d, "tokens.csv")}`,
      "--authorization-mode=RBAC",
      "--service-cluster-ip-range=10.96.0.0/16",
      `--audit-policy-file=${join(d, "audit-policy.yaml")}`,
      `--audit-log-path=${this.audit}`,
      "--audit-log-format=json",
      "--enable-priority-and-fairness=false",
      "--profiling=false",
    ]);
    this.kubeconfig(this.adminKubeconfig, this.adminToken);
    await this.waitFor("the API server", 120_000, () => existsSync(this.caFile) && this.kubectl(["get", "--raw", "/readyz"]).code === 0, api);
    // --- controllers, scheduler, fake nodes
    const kc = (u: string) => {
      const f = join(d, `${u}.kubeconfig`);
      this.kubeconfig(f, tokens[u]!);
      return f;
    };
    const kcm = kc("kube-controller-manager");
    this.spawnProc("kube-controller-manager", join(LAB_BIN, "kube-controller-manager"), [
      `--kubeconfig=${kcm}`,
      `--authentication-kubeconfig=${kcm}`,
      `--authorization-kubeconfig=${kcm}`,
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${this.caFile}`,
      "--leader-elect=false",
      "--use-service-account-credentials=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
      "--horizontal-pod-autoscaler-sync-period=2s",
      // Without it a fake node whose lease renewal is late on a loaded machine is marked NotReady
      // and its pods un-Ready for good (kwok does not make them Ready again); the lab removes the
      // new nodes' not-ready taint itself.
      "--controllers=*,-node-lifecycle-controller",
    ]);
    const sch = kc("kube-scheduler");
    this.spawnProc("kube-scheduler", join(LAB_BIN, "kube-scheduler"), [
      `--kubeconfig=${sch}`,
      `--authentication-kubeconfig=${sch}`,
      `--authorization-kubeconfig=${sch}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
    ]);
    const stages = readdirSync(join(LAB_DIR, "kwok-stages")).flatMap((f) => ["--config", join(LAB_DIR, "kwok-stages", f)]);
    this.spawnProc("kwok", join(LAB_BIN, "kwok"), [
      `--kubeconfig=${kc("kwok")}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--node-lease-duration-seconds=40",
      "--server-address=127.0.0.1:0",
      ...stages,
    ]);
    for (const n of ["lab-node-1", "lab-node-2"]) {
      this.apply(`apiVersion: v1
kind: Node
metadata:
  name: ${n}
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0" }
  labels: { kubernetes.io/hostname: ${n}, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok }
spec: {}
status:
  allocatable: { cpu: "32", memory: 128Gi, pods: "110" }
  capacity: { cpu: "32", memory: 128Gi, pods: "110" }
`);
    }
    let nodes = "";
    await this.waitFor("ready, untainted fake nodes", 60_000, () => {
      const r = this.kubectl(["get", "nodes", "-o", "json"]);
      if (r.code !== 0) return false;
      const items = JSON.parse(r.stdout).items as { spec: { taints?: { key: string }[] }; status: { conditions?: { type: string; status: string }[] } }[];
      nodes = JSON.stringify(items.map((n) => [n.spec.taints, n.status.conditions?.map((c) => `${c.type}=${c.status}`)]));
      // One key per call: kubectl refuses the whole call when one of the taints is absent.
      for (const n of items) for (const t of n.spec.taints ?? []) this.kubectl(["taint", "nodes", "--all", `${t.key}-`]);
      return items.length === 2 && items.every((n) => !n.spec.taints?.length && n.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    }).catch((e: Error) => {
      throw new Error(`${e.message} (nodes' taints and conditions: ${nodes})`);
    });
    // The default service account appears once the controller manager runs.
    await this.waitFor(
      "the controller manager (default service account)",
      60_000,
      () => this.kubectl(["get", "serviceaccount", "default", "-n", "default"]).code === 0,
    );
    // --- CRDs (Argo CD, Flagger, the Gateway API, Argo Rollouts) and the Rollouts controller
    for (const set of ["argo-cd", "flagger", "gateway-api"]) {
      const r = this.kubectl(["apply", "--server-side", "-f", join(LAB_DIR, "crds", set)]);
      if (r.code !== 0) throw new Error(`applying the ${set} CRDs failed:\n${r.stderr}`);
    }
    if (this.opts.rollouts !== false) {
      // The release's install manifest, applied as docs/pipeline.md applies it (its Deployment's pod
      // is a kwok pod; the controller itself runs on the host, below).
      this.kubectl(["create", "namespace", "argo-rollouts"]);
      const r = this.kubectl(["apply", "--server-side", "--namespace", "argo-rollouts", "-f", join(LAB_DIR, "crds", "argo-rollouts")]);
      if (r.code !== 0) throw new Error(`applying the Argo Rollouts install manifest failed:\n${r.stderr}`);
    }
    await this.waitFor("the CRDs to be established", 60_000, () => {
      const crds = this.getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(["get", "crd"])?.items ?? [];
      return crds.length > 0 && crds.every((c) => c.status?.conditions?.some((x) => x.type === "Established" && x.status === "True"));
    });
    if (this.opts.rollouts !== false) {
      this.spawnProc("rollouts-controller", join(LAB_BIN, "rollouts-controller"), [
        `--kubeconfig=${kc("rollouts-controller")}`,
        "--leader-elect=false",
        `--metricsport=${await freePort()}`,
        `--healthzPort=${await freePort()}`,
        "--loglevel=info",
      ]);
    }
    if (this.opts.prometheus !== false) await this.startPrometheus();
  }

  /**
   * Starts the Flagger controller for one namespace (it would take over every Canary otherwise),
   * with the lab's Prometheus as its metrics server and plain Kubernetes Services as its router.
   * Returns how to stop it and the address of its own metrics.
   */
  async startFlagger(namespace: string): Promise<{ stop: () => Promise<void>; metricsUrl: string }> {
    // Flagger authenticates with the admin token: the lab checks the pipeline's identities, not the controller's.
    const f = join(this.dir, `flagger-${namespace}.kubeconfig`);
    this.kubeconfig(f, this.adminToken, namespace);
    const port = await freePort();
    const p = this.spawnProc(`flagger-${namespace}`, join(LAB_BIN, "flagger"), [
      `-kubeconfig=${f}`,
      `-namespace=${namespace}`,
      "-mesh-provider=kubernetes",
      `-metrics-server=${this.prometheusUrl}`,
      `-port=${port}`,
      "-log-level=info",
      "-control-loop-interval=2s",
    ]);
    await sleep(1000);
    if (p.child.exitCode !== null) throw new Error(`flagger exited (${p.child.exitCode}):\n${tail(p.log)}`);
    const stop = async () => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
      const end = Date.now() + 5000;
      while (p.child.exitCode === null && p.child.signalCode === null && Date.now() < end) await sleep(100);
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
      this.procs = this.procs.filter((x) => x !== p);
    };
    // Flagger's own /metrics: flagger_canary_metric_analysis is the last value of each metric check.
    return { stop, metricsUrl: `http://127.0.0.1:${port}/metrics` };
  }

  // ---------------------------------------------------------------------------------------------
  // Prometheus: a real server on loopback (built with the Kubernetes service discovery). Its series
  // come from a real scrape of the pods (scrape.ts: the community chart's kubernetes-pods job,
  // set by setScrapeConfigs), or from recording rules that the lab rewrites (and reloads) per
  // scenario, shaped as that scrape gives them (Flagger's releases).

  private async startPrometheus() {
    writeFileSync(this.promRulesFile, "groups: []\n");
    this.writePromConfig([]);
    const p = this.spawnProc("prometheus", join(LAB_BIN, "prometheus"), [
      `--config.file=${join(this.dir, "prometheus", "prometheus.yml")}`,
      `--storage.tsdb.path=${join(this.dir, "prometheus", "data")}`,
      `--web.listen-address=127.0.0.1:${this.promPort}`,
      "--web.enable-lifecycle",
    ]);
    await this.waitFor("Prometheus", 60_000, async () => (await fetch(`${this.prometheusUrl}/-/ready`)).ok, p);
  }

  private writePromConfig(scrapeConfigs: object[]) {
    writeFileSync(
      join(this.dir, "prometheus", "prometheus.yml"),
      `global: { evaluation_interval: 1s, scrape_interval: 1s }
rule_files: [${JSON.stringify(this.promRulesFile)}]
scrape_configs: ${JSON.stringify(scrapeConfigs)}
`,
    );
  }

  /** Replaces Prometheus's scrape jobs (JSON is YAML) and reloads it. */
  async setScrapeConfigs(scrapeConfigs: object[]) {
    this.writePromConfig(scrapeConfigs);
    const r = await fetch(`${this.prometheusUrl}/-/reload`, { method: "POST" });
    if (!r.ok) throw new Error(`Prometheus reload failed: ${r.status} ${await r.text()}`);
  }

  /** Prometheus's active scrape targets (its /api/v1/targets). */
  async promTargets(): Promise<{ labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string }[]> {
    const r = await fetch(`${this.prometheusUrl}/api/v1/targets?state=active`);
    const j = (await r.json()) as { data?: { activeTargets?: { labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string }[] } };
    return j.data?.activeTargets ?? [];
  }

  /**
   * Replaces the series Prometheus serves. Each entry is a recording rule: `record` is the metric
   * name, `labels` its labels, `expr` a PromQL expression of time (e.g. "time() * 5" for a counter
   * growing by 5/s).
   */
  async setSeries(series: { record: string; labels: Record<string, string>; expr: string }[]) {
    const rules = series
      .map((s) => `      - record: ${s.record}\n        expr: ${JSON.stringify(s.expr)}\n        labels: ${JSON.stringify(s.labels)}`)
      .join("\n");
    writeFileSync(this.promRulesFile, `groups:\n  - name: lab\n    interval: 1s\n    rules:\n${rules}\n`);
    const r = await fetch(`${this.prometheusUrl}/-/reload`, { method: "POST" });
    if (!r.ok) throw new Error(`Prometheus reload failed: ${r.status} ${await r.text()}`);
  }

  async promQuery(q: string): Promise<number | undefined> {
    const r = await fetch(`${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const j = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
    const v = j.data?.result?.[0]?.value[1];
    return v === undefined ? undefined : Number(v);
  }

  // ---------------------------------------------------------------------------------------------

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KUBECONFIG: this.adminKubeconfig,
      PATH: `${LAB_BIN}:${join(REPO, ".tools", "bin")}:${process.env.PATH}`,
      HELM_CACHE_HOME: join(this.dir, "helm", "cache"),
      HELM_CONFIG_HOME: join(this.dir, "helm", "config"),
      HELM_DATA_HOME: join(this.dir, "helm", "data"),
      ...extra,
    };
  }

  run(bin: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): RunOut {
    const r = spawnSync(bin, args, {
      env: this.env(opts.env),
      input: opts.input,
      // Without input, stdin is /dev/null rather than Node's socket pair: bash reads ~/.bashrc when
      // its stdin is a socket (as under sshd), and a PATH set there would put the real cloud CLIs
      // before the lab's stand-ins.
      stdio: opts.input === undefined ? ["ignore", "pipe", "pipe"] : "pipe",
      cwd: opts.cwd,
      encoding: "utf8",
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 64 << 20,
    });
    return { code: r.status ?? (r.error ? 127 : 1), stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
  }

  kubectl(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): RunOut {
    return this.run(join(LAB_BIN, "kubectl"), args, opts);
  }

  helm(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): RunOut {
    return this.run(HELM, args, opts);
  }

  apply(yaml: string, extra: string[] = []): RunOut {
    const r = this.kubectl(["apply", ...extra, "-f", "-"], { input: yaml });
    if (r.code !== 0) throw new Error(`kubectl apply failed:\n${r.stderr}\n---\n${yaml}`);
    return r;
  }

  getJson<T = any>(args: string[]): T | undefined {
    const r = this.kubectl([...args, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
  }

  /** Audit events (create/update/patch/delete), in the order the API server handled them. */
  auditEvents(): { verb: string; user: string; resource: string; namespace?: string; name?: string; code: number; ts: string }[] {
    if (!existsSync(this.audit)) return [];
    return readFileSync(this.audit, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l))
      .filter((e) => e.stage === "ResponseComplete")
      .map((e) => ({
        verb: e.verb,
        user: e.impersonatedUser?.username ?? e.user?.username,
        resource: e.objectRef?.subresource ? `${e.objectRef.resource}/${e.objectRef.subresource}` : e.objectRef?.resource,
        namespace: e.objectRef?.namespace,
        name: e.objectRef?.name,
        code: e.responseStatus?.code,
        ts: e.requestReceivedTimestamp,
      }));
  }

  logOf(name: string): string {
    const f = join(this.dir, "logs", `${name}.log`);
    return existsSync(f) ? readFileSync(f, "utf8") : "";
  }

  async stop(force = false) {
    for (const p of [...this.procs].reverse()) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    const end = Date.now() + 10_000;
    while (this.procs.some((p) => p.child.exitCode === null && p.child.signalCode === null) && Date.now() < end) await sleep(100);
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    this.procs = [];
    if (!this.opts.keep || force === false) {
      if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
      DIRS.delete(this.dir);
    }
  }
}

// Every control-plane process still running. If this process ends without stop() (a signal while
// the lab starts, an uncaught error, process.exit), they are killed as it exits: etcd and the API
// server are never left behind.
const LIVE = new Set<ChildProcess>();
// util-linux's setpriv, when it has --pdeathsig (Debian's does): see spawnProc.
const PDEATHSIG = spawnSync("setpriv", ["--help"], { encoding: "utf8" }).stdout?.includes("--pdeathsig") ?? false;
// The lab folders not yet removed (without --keep): removed as this process exits.
const DIRS = new Set<string>();
let reaping = false;
function reapOnExit() {
  if (reaping) return;
  reaping = true;
  process.on("exit", () => {
    for (const c of LIVE) {
      try {
        c.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
    for (const d of DIRS) rmSync(d, { recursive: true, force: true });
  });
}

function tail(file: string, n = 30): string {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").split("\n").slice(-n).join("\n");
}
