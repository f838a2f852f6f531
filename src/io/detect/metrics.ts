/**
 * Prometheus metrics outside the JVM frameworks (Spring Boot and Quarkus are read in java.ts): the
 * client library the service depends on, and the path its sources serve the metrics on.
 */
import { put, type Found } from "./found.js";

interface Library {
  /** How the library is named in the manifest. */
  dep: RegExp;
  name: string;
  /** The path the library serves the metrics on by itself (a middleware with a default route). */
  serves?: string;
  /** The request counter the library records for every request, as `name{statusLabel}` (a middleware). */
  counts?: string;
}

const LIBRARIES: Record<string, Library[]> = {
  node: [
    { dep: /"express-prom-bundle"\s*:/, name: "express-prom-bundle", serves: "/metrics", counts: "http_request_duration_seconds_count{status_code}" },
    { dep: /"@willsoto\/nestjs-prometheus"\s*:/, name: "@willsoto/nestjs-prometheus", serves: "/metrics" },
    { dep: /"fastify-metrics"\s*:/, name: "fastify-metrics", serves: "/metrics", counts: "http_request_duration_seconds_count{status_code}" },
    { dep: /"prom-client"\s*:/, name: "prom-client" },
  ],
  python: [
    { dep: /prometheus[-_]fastapi[-_]instrumentator/i, name: "prometheus-fastapi-instrumentator", serves: "/metrics", counts: "http_requests_total{status}" },
    { dep: /prometheus[-_]flask[-_]exporter/i, name: "prometheus-flask-exporter", serves: "/metrics", counts: "flask_http_request_total{status}" },
    { dep: /django[-_]prometheus/i, name: "django-prometheus", serves: "/metrics", counts: "django_http_responses_total_by_status_total{status}" },
    { dep: /starlette[-_]exporter/i, name: "starlette_exporter", counts: "starlette_requests_total{status_code}" },
    { dep: /starlette[-_]prometheus/i, name: "starlette-prometheus", counts: "starlette_responses_total{status_code}" },
    { dep: /aioprometheus/i, name: "aioprometheus" },
    { dep: /py[-_]grpc[-_]prometheus/i, name: "py-grpc-prometheus", counts: "grpc_server_handled_total{grpc_code}" },
    { dep: /prometheus[-_]client/i, name: "prometheus_client" },
  ],
  go: [
    { dep: /github\.com\/zsais\/go-gin-prometheus\b/, name: "zsais/go-gin-prometheus", serves: "/metrics", counts: "gin_requests_total{code}" },
    { dep: /github\.com\/slok\/go-http-metrics\b/, name: "slok/go-http-metrics", counts: "http_request_duration_seconds_count{code}" },
    {
      dep: /github\.com\/grpc-ecosystem\/go-grpc-prometheus\b|github\.com\/grpc-ecosystem\/go-grpc-middleware\/providers\/prometheus\b/,
      name: "the gRPC Prometheus interceptors",
      counts: "grpc_server_handled_total{grpc_code}",
    },
    { dep: /github\.com\/prometheus\/client_golang\b/, name: "prometheus/client_golang" },
    { dep: /github\.com\/VictoriaMetrics\/metrics\b/, name: "VictoriaMetrics/metrics" },
  ],
  java: [{ dep: /micrometer-registry-prometheus|io\.prometheus|prometheus-metrics-exporter/, name: "a Prometheus client" }],
};

const KNOWN = {
  node: "prom-client, express-prom-bundle, @willsoto/nestjs-prometheus, fastify-metrics",
  python: "prometheus_client, prometheus-fastapi-instrumentator, prometheus-flask-exporter, django-prometheus",
  go: "github.com/prometheus/client_golang",
  java: "micrometer-registry-prometheus, io.prometheus",
} as const;

/**
 * Record metricsPath: "" (with why) when the manifest names no Prometheus client; the path a
 * source file serves them on (a "/…metrics" route beside the client's handler); the library's own
 * default; else nothing (the pack's default, shown as one) with a note. Then requestMetric beside
 * a path that was found or guessed (see detectRequestMetric).
 */
export function detectMetrics(
  found: Found,
  language: keyof typeof KNOWN,
  manifest: { name: string; text: string },
  files: string[],
  texts: (string | undefined)[],
): void {
  const path = metricsPathOf(found, language, manifest, files, texts);
  if (path !== undefined) detectRequestMetric(found, language, manifest, files, texts, path === "guessed");
}

/** detectMetrics' path: "found" when it recorded one, "guessed" when a note says the path is a guess. */
function metricsPathOf(
  found: Found,
  language: keyof typeof KNOWN,
  manifest: { name: string; text: string },
  files: string[],
  texts: (string | undefined)[],
): "found" | "guessed" | undefined {
  if (found.values.metricsPath !== undefined) return undefined;
  const lib = LIBRARIES[language]!.find((l) => l.dep.test(manifest.text));
  if (lib === undefined) {
    found.values.metricsPath = "";
    found.from.metricsPath = `${manifest.name}: no Prometheus client library (${KNOWN[language]})`;
    return undefined;
  }
  // A separate metrics server (prometheus_client.start_http_server, Go's own listener) is not a
  // path on the service port.
  for (let i = 0; i < files.length; i++) {
    const t = texts[i];
    if (t === undefined) continue;
    if (language === "python" && /\bstart_(?:http|wsgi)_server\s*\(/.test(t)) {
      const port = /\bstart_(?:http|wsgi)_server\s*\(\s*(?:port\s*=\s*)?(\d{2,5})\b/.exec(t)?.[1];
      if (port === undefined) {
        found.notes.metricsPath = `${files[i]}: prometheus_client's start_http_server serves the metrics on a port of its own, not on the service port, and its port is not a literal: give --metrics-port (the path is a guess)`;
        found.notes.metricsPort = `${files[i]}: start_http_server's port is not a literal`;
        return undefined;
      }
      const said = `${files[i]}: prometheus_client's start_http_server(${port}), a metrics server of its own`;
      put(found, "metricsPath", "/metrics", `${said} (it answers on any path)`);
      put(found, "metricsPort", Number(port), said);
      return "found";
    }
    // Go: a listener of its own for the metrics, http.ListenAndServe(":9090", promhttp.Handler()),
    // or a mux with the promhttp handler on it.
    const side = language === "go" ? goMetricsListener(t) : undefined;
    if (side !== undefined) {
      const said = `${files[i]}: a metrics listener of its own on :${side.port}`;
      put(found, "metricsPath", side.path, `${said}${side.path === "/metrics" && side.any ? " (promhttp answers on any path)" : ` (route ${side.path})`}`);
      put(found, "metricsPort", side.port, said);
      return "found";
    }
  }
  const handler =
    /promhttp|prom-?client|register\.metrics|generateLatest|make_asgi_app|make_wsgi_app|metrics\.WritePrometheus|PrometheusController|exposeMetrics|handle_metrics|\bexpose\(/i;
  for (let i = 0; i < files.length; i++) {
    const t = texts[i];
    if (t === undefined || !handler.test(t)) continue;
    const m = /["'`](\/[\w./-]*metrics)["'`]/.exec(t);
    if (m?.[1] !== undefined) {
      put(found, "metricsPath", m[1], `${files[i]}: route ${m[1]} (${lib.name} in ${manifest.name})`);
      return "found";
    }
  }
  if (lib.serves !== undefined) {
    put(found, "metricsPath", lib.serves, `${manifest.name}: ${lib.name} (its default path)`);
    return "found";
  }
  found.notes.metricsPath = `${lib.name} is in ${manifest.name} but no route serving the metrics was found in the sources: the path is a guess`;
  return "guessed";
}

/**
 * A Go listener that serves only the metrics: `ListenAndServe(":9090", promhttp.Handler())`, or
 * with a mux that a promhttp handler was put on (`mux.Handle("/metrics", promhttp.Handler())`).
 */
export function goMetricsListener(text: string): { port: number; path: string; any: boolean } | undefined {
  for (const m of text.matchAll(/ListenAndServe(?:TLS)?\(\s*"[\w.[\]-]*:(\d{2,5})"\s*,\s*([\w.]+(?:\(\))?)/g)) {
    const port = Number(m[1]);
    const handler = m[2]!;
    if (/^promhttp\.Handler(?:For)?\b/.test(handler)) return { port, path: "/metrics", any: true };
    const mux = /^\w+$/.test(handler) ? handler : undefined;
    if (mux === undefined) continue;
    const routes = [...text.matchAll(new RegExp(`\\b${mux}\\.Handle(?:Func)?\\(\\s*"(/[^"]*)"\\s*,\\s*([^\\n]*)`, "g"))];
    const metrics = routes.find((r) => /promhttp\./.test(r[2]!));
    // Only a mux that serves nothing but the metrics is a metrics listener.
    if (metrics !== undefined && routes.every((r) => r === metrics || /pprof|debug/.test(r[1]!))) return { port, path: metrics[1]!, any: false };
  }
  return undefined;
}

/** Label names that hold a request's outcome (an HTTP status or a gRPC code), most usual first. */
const STATUS_LABELS = ["status", "status_code", "code", "statusCode", "http_status", "response_code", "grpc_code"];

/** A metric the service's own code defines: its exported name and its labels. */
interface Defined {
  name: string;
  labels: string[];
  file: string;
}

const unquote = (list: string) => [...list.matchAll(/["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]/g)].map((m) => m[1]!);

/**
 * Request metrics the sources define with the client library (the exported name, as a scrape shows
 * it): prom-client `new Counter({ name, labelNames })` (and NestJS makeCounterProvider), Python
 * prometheus_client `Counter("name", "help", ["status"])` (exported with `_total`), Go client_golang
 * `NewCounterVec(CounterOpts{Namespace, Subsystem, Name}, []string{"code"})`. Histograms and
 * summaries count requests in their `_count` series.
 */
export function definedMetrics(language: string, file: string, text: string): Defined[] {
  const out: Defined[] = [];
  if (language === "node") {
    const re = /(?:new\s+(?:[\w$]+\.)?(Counter|Histogram|Summary)|make(Counter|Histogram|Summary)Provider)\s*(?:<[^>]*>)?\(\s*\{([\s\S]{0,800}?)\}\s*\)/g;
    for (const m of text.matchAll(re)) {
      const kind = m[1] ?? m[2]!;
      const body = m[3]!;
      const name = /\bname\s*:\s*["'`]([a-zA-Z_:][a-zA-Z0-9_:]*)["'`]/.exec(body)?.[1];
      const labels = /\blabelNames\s*:\s*\[([^\]]*)\]/.exec(body)?.[1];
      if (name === undefined || labels === undefined) continue;
      out.push({ name: kind === "Counter" ? name : `${name}_count`, labels: unquote(labels), file });
    }
  } else if (language === "python") {
    const re =
      /\b(Counter|Histogram|Summary)\(\s*["']([a-zA-Z_:][a-zA-Z0-9_:]*)["']\s*,\s*(?:["'][^"'\n]*["']|[\w.]+)\s*,\s*(?:labelnames\s*=\s*)?[[(]([^\])]*)[\])]/g;
    const kw = /\b(Counter|Histogram|Summary)\(\s*["']([a-zA-Z_:][a-zA-Z0-9_:]*)["'][^)]{0,300}?\blabelnames\s*=\s*[[(]([^\])]*)[\])]/g;
    for (const m of [...text.matchAll(re), ...text.matchAll(kw)]) {
      const base = m[2]!.replace(/_total$/, "");
      const name = m[1] === "Counter" ? `${base}_total` : `${m[2]}_count`;
      if (!out.some((d) => d.name === name)) out.push({ name, labels: unquote(m[3]!), file });
    }
  } else if (language === "go") {
    const re = /New(Counter|Histogram|Summary)Vec\(\s*prometheus\.(?:Counter|Histogram|Summary)Opts\s*\{([\s\S]{0,800}?)\}\s*,\s*\[\]string\s*\{([^}]*)\}/g;
    for (const m of text.matchAll(re)) {
      const field = (f: string) => new RegExp(`\\b${f}\\s*:\\s*"([a-zA-Z0-9_:]*)"`).exec(m[2]!)?.[1];
      const name = field("Name");
      if (name === undefined || name === "") continue;
      const full = [field("Namespace"), field("Subsystem"), name].filter((x) => x !== undefined && x !== "").join("_");
      out.push({ name: m[1] === "Counter" ? full : `${full}_count`, labels: unquote(m[3]!), file });
    }
  }
  return out;
}

/**
 * Record requestMetric (`name{statusLabel}`): the counter a middleware records for every request,
 * else a request metric the sources define with a status label. Only beside a metrics path that
 * was found: with the path a guess (`guessed`), a metric found is said in a note, not taken, so the
 * canary analysis stays off until the path is confirmed.
 */
export function detectRequestMetric(
  found: Found,
  language: keyof typeof KNOWN,
  manifest: { name: string; text: string },
  files: string[],
  texts: (string | undefined)[],
  guessed = false,
): void {
  if (found.values.requestMetric !== undefined) return;
  let metric: string | undefined;
  let from = "";
  const grpc = found.values.protocol === "grpc";
  const middleware = LIBRARIES[language]!.find((l) => l.counts !== undefined && l.dep.test(manifest.text) && l.counts.includes("grpc_code") === grpc);
  if (middleware !== undefined) [metric, from] = [middleware.counts!, `${manifest.name}: ${middleware.name} (the request metric it records)`];
  else {
    const defined = files.flatMap((f, i) => (texts[i] === undefined ? [] : definedMetrics(language, f, texts[i]!)));
    const withStatus = defined.map((d) => ({ ...d, status: STATUS_LABELS.find((l) => d.labels.includes(l)) })).filter((d) => d.status !== undefined);
    // A request metric over any other (a job or queue counter may have a status too).
    const best = withStatus.find((d) => /request|http|grpc|handled|response/i.test(d.name)) ?? withStatus[0];
    if (best !== undefined) [metric, from] = [`${best.name}{${best.status}}`, `${best.file}: ${best.name} with the label ${best.status}`];
    else if (defined.length > 0 || LIBRARIES[language]!.some((l) => l.dep.test(manifest.text))) {
      found.notes.requestMetric = `no request metric with a status label was found in the sources (${defined.length ? `found ${defined.map((d) => d.name).join(", ")}, without one` : "the client library records none by itself"}): the canary analysis has nothing to measure; give --request-metric 'name{statusLabel}'`;
      return;
    }
  }
  if (metric === undefined) return;
  if (guessed) {
    found.notes.requestMetric = `${from.replace(/ \(the request metric it records\)$/, "")} gives ${metric}, but the metrics path is a guess, so it is not taken: confirm the path with --metrics-path and give --request-metric '${metric}'`;
    return;
  }
  put(found, "requestMetric", metric, from);
}
