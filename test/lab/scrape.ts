/**
 * A real scrape of the canary pods: the lab's Prometheus discovers the pods through the API server
 * (kubernetes_sd_configs, role: pod) with the community Prometheus chart's own `kubernetes-pods`
 * job, and scrapes a real process (metrics-server.mjs) that serves each pod's request counter over
 * HTTP the way the generated service is told to (on METRICS_PORT or PORT, at the metrics path).
 *
 * One rewrite is the lab's own: kwok pods run no containers and their IPs (10.0.0.0/24, kwok's
 * default pool) reach nothing, so after the chart's rules have made `__address__` the pod's IP
 * with its prometheus.io/port, the last two octets of that IP are moved into 127.<lab>.0.0/16,
 * where metrics-server.mjs listens for that pod. The port, the path, the labels and the choice of
 * pods stay the chart's.
 */
import { randomInt } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Lab, Proc } from "./cluster.js";
import { sleep } from "./cluster.js";

/** What scrape.ts needs of a pod, as the API server stores it. */
export interface ScrapedPod {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: { ports?: { name?: string; containerPort: number }[]; env?: { name: string; value?: string }[] }[] };
  status: { podIP?: string };
}

/**
 * The relabelling of the `kubernetes-pods` job of the community chart, as it is there:
 * prometheus-community/helm-charts, charts/prometheus/values.yaml, `serverFiles."prometheus.yml"
 * .scrape_configs` (chart 27.x; the job has had these rules since the IPv6 address rule was added).
 */
export const KUBERNETES_PODS_RELABEL: Record<string, unknown>[] = [
  { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], action: "keep", regex: "true" },
  { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape_slow"], action: "drop", regex: "true" },
  { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scheme"], action: "replace", regex: "(https?)", target_label: "__scheme__" },
  { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_path"], action: "replace", target_label: "__metrics_path__", regex: "(.+)" },
  {
    source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
    action: "replace",
    regex: "(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})",
    replacement: "[$2]:$1",
    target_label: "__address__",
  },
  {
    source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
    action: "replace",
    regex: "(\\d+);((([0-9]+?)(\\.|$)){4})",
    replacement: "$2:$1",
    target_label: "__address__",
  },
  { action: "labelmap", regex: "__meta_kubernetes_pod_annotation_prometheus_io_param_(.+)", replacement: "__param_$1" },
  { action: "labelmap", regex: "__meta_kubernetes_pod_label_(.+)" },
  { source_labels: ["__meta_kubernetes_namespace"], action: "replace", target_label: "namespace" },
  { source_labels: ["__meta_kubernetes_pod_name"], action: "replace", target_label: "pod" },
  { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed|Completed", action: "drop" },
];

/** The lab's one rewrite: the pod's IPv4 address (port kept) moved into 127.<octet>.0.0/16. */
export const loopbackRewrite = (octet: number) => ({
  source_labels: ["__address__"],
  action: "replace",
  regex: "[0-9]+\\.[0-9]+\\.([0-9]+)\\.([0-9]+):([0-9]+)",
  replacement: `127.${octet}.$1.$2:$3`,
  target_label: "__address__",
});

/** Where the rewrite sends a pod's scrape: its IP's last two octets in 127.<octet>.0.0/16. */
export function loopbackOf(podIP: string, octet: number): string {
  const m = /^\d+\.\d+\.(\d+)\.(\d+)$/.exec(podIP);
  if (!m) throw new Error(`pod IP ${podIP} is not an IPv4 address`);
  return `127.${octet}.${m[1]}.${m[2]}`;
}

/**
 * The community chart's job, pointed at the lab's API server: in a cluster, Prometheus's pod uses
 * its service account's token and CA; here a user of its own ("prometheus"), with the rights the
 * chart's ClusterRole gives it on pods.
 */
export function kubernetesPodsJob(o: { apiServer: string; caFile: string; tokenFile: string; octet: number }) {
  return {
    job_name: "kubernetes-pods",
    honor_labels: true,
    kubernetes_sd_configs: [{ role: "pod", api_server: o.apiServer, tls_config: { ca_file: o.caFile }, authorization: { credentials_file: o.tokenFile } }],
    relabel_configs: [...KUBERNETES_PODS_RELABEL, loopbackRewrite(o.octet)],
  };
}

/**
 * Where the service serves its metrics, from what the pod tells it (not from the scrape
 * annotations, which the scrape reads): METRICS_PORT when the chart sets it; else, for a JVM
 * framework with a management port, that port (its metrics are served beside its health
 * endpoint); else PORT, the service's own port. The path is the one the service serves them on
 * (metricsPath).
 */
export function serviceMetricsEndpoint(answers: Record<string, unknown>, pod: ScrapedPod): { port: number; path: string } {
  const ctr = pod.spec.containers[0]!;
  const env = (n: string) => ctr.env?.find((e) => e.name === n)?.value;
  const management = ctr.ports?.find((p) => p.name === "management")?.containerPort;
  const port = Number(env("METRICS_PORT") ?? (answers.language === "java" && management ? management : env("PORT")));
  return { port, path: String(answers.metricsPath || "/metrics") };
}

/** The request counter the service exports (requestMetric: name{statusLabel}) at ok and err requests per second. */
export function requestCounter(answers: Record<string, unknown>, okPerSec: number, errPerSec: number) {
  const [, metric, label] = /^([^{]+)\{([^}]+)\}$/.exec(String(answers.requestMetric ?? "")) ?? [];
  if (!metric || !label) throw new Error(`no request metric in the answers (requestMetric: ${JSON.stringify(answers.requestMetric)})`);
  // An HTTP server's counter by status (err: 500); a gRPC server's grpc_server_handled_total by
  // grpc_code (err: Unavailable), with the other labels the gRPC Prometheus interceptors give.
  const grpc = answers.protocol === "grpc";
  const base: Record<string, string> = grpc ? { grpc_method: "Get", grpc_service: "lab.v1.Lab", grpc_type: "unary" } : { method: "GET" };
  return {
    metric,
    series: [
      { labels: { ...base, [label]: grpc ? "OK" : "200" }, perSec: okPerSec },
      { labels: { ...base, [label]: grpc ? "Unavailable" : "500" }, perSec: errPerSec },
    ],
  };
}

export interface ScrapeTarget {
  pod: string;
  host: string;
  port: number;
  path: string;
  metric: string;
  series: { labels: Record<string, string>; perSec: number }[];
}

/** The scrape of one lab: its Prometheus job, its identity's rights, and the metrics process. */
export class PodScrape {
  private static of = new WeakMap<Lab, PodScrape>();
  readonly octet = randomInt(2, 255);
  private proc: Proc | undefined;
  private readonly file: string;

  private constructor(private readonly lab: Lab) {
    this.file = join(lab.dir, "prometheus", "metrics-targets.json");
  }

  /** The lab's scrape, started on first use. */
  static async for(lab: Lab): Promise<PodScrape> {
    let s = PodScrape.of.get(lab);
    if (!s) {
      s = new PodScrape(lab);
      await s.start();
      PodScrape.of.set(lab, s);
    }
    return s;
  }

  private async start() {
    const { lab } = this;
    // The rights the community chart's ClusterRole gives the server on pods.
    lab.apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: lab-prometheus }
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: lab-prometheus }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lab-prometheus }
subjects:
  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: prometheus }
`);
    const tokenFile = join(lab.dir, "prometheus", "token");
    writeFileSync(tokenFile, lab.prometheusToken, { mode: 0o600 });
    this.write([]);
    this.proc = lab.spawnProc("metrics-server", process.execPath, [join(import.meta.dirname, "metrics-server.mjs"), this.file]);
    await lab.setScrapeConfigs([kubernetesPodsJob({ apiServer: lab.server, caFile: lab.caFile, tokenFile, octet: this.octet })]);
  }

  private write(targets: ScrapeTarget[]) {
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ targets }));
    renameSync(`${this.file}.tmp`, this.file);
  }

  /**
   * Serves these pods' request counters (replacing what was served: every pod served is named here): each on the loopback address
   * the rewrite gives its IP, on the port and path the service is told to serve its metrics on.
   */
  serve(pods: { answers: Record<string, unknown>; pod: ScrapedPod; ok: number; err: number }[]) {
    if (this.proc && this.proc.child.exitCode !== null) throw new Error(`metrics-server.mjs exited:\n${this.lab.logOf("metrics-server")}`);
    const targets: ScrapeTarget[] = [];
    for (const { answers, pod, ok, err } of pods) {
      if (!pod.status.podIP) throw new Error(`pod ${pod.metadata.name} has no IP yet`);
      const { port, path } = serviceMetricsEndpoint(answers, pod);
      targets.push({ pod: pod.metadata.name, host: loopbackOf(pod.status.podIP, this.octet), port, path, ...requestCounter(answers, ok, err) });
    }
    this.write(targets);
    return targets;
  }

  /** The kubernetes-pods job's targets of these pods (by the `pod` label the job gives). */
  async targetsOf(namespace: string, pods: string[]) {
    return (await this.lab.promTargets()).filter(
      (t) => t.labels.job === "kubernetes-pods" && t.labels.namespace === namespace && pods.includes(t.labels.pod ?? ""),
    );
  }

  /** How the pods' scrape stands: each pod's target (URL, health, last error), or none discovered. */
  async describe(namespace: string, pods: string[]): Promise<string> {
    const ts = await this.targetsOf(namespace, pods);
    return pods
      .map((p) => {
        const t = ts.find((x) => x.labels.pod === p);
        return t ? `${p}: ${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ""}` : `${p}: not discovered (no kubernetes-pods target)`;
      })
      .join("; ");
  }

  /** Waits until the query (PromQL, the chart's with its placeholders filled in) returns a value accepted by ok. */
  async queryUntil(q: string, ok: (v: number) => boolean, ms: number): Promise<{ value: number | undefined; ms: number; ok: boolean }> {
    const t0 = Date.now();
    let value: number | undefined;
    while (Date.now() - t0 < ms) {
      value = await this.lab.promQuery(q);
      if (value !== undefined && ok(value)) return { value, ms: Date.now() - t0, ok: true };
      await sleep(500);
    }
    return { value, ms: Date.now() - t0, ok: false };
  }
}
