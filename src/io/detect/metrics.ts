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
}

const LIBRARIES: Record<string, Library[]> = {
  node: [
    { dep: /"express-prom-bundle"\s*:/, name: "express-prom-bundle", serves: "/metrics" },
    { dep: /"@willsoto\/nestjs-prometheus"\s*:/, name: "@willsoto/nestjs-prometheus", serves: "/metrics" },
    { dep: /"fastify-metrics"\s*:/, name: "fastify-metrics", serves: "/metrics" },
    { dep: /"prom-client"\s*:/, name: "prom-client" },
  ],
  python: [
    { dep: /prometheus[-_]fastapi[-_]instrumentator/i, name: "prometheus-fastapi-instrumentator", serves: "/metrics" },
    { dep: /prometheus[-_]flask[-_]exporter/i, name: "prometheus-flask-exporter", serves: "/metrics" },
    { dep: /django[-_]prometheus/i, name: "django-prometheus", serves: "/metrics" },
    { dep: /starlette[-_]exporter|starlette[-_]prometheus|aioprometheus/i, name: "a Starlette Prometheus exporter" },
    { dep: /prometheus[-_]client/i, name: "prometheus_client" },
  ],
  go: [
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
 * default; else nothing (the pack's default, shown as one) with a note.
 */
export function detectMetrics(
  found: Found,
  language: keyof typeof KNOWN,
  manifest: { name: string; text: string },
  files: string[],
  texts: (string | undefined)[],
): void {
  if (found.values.metricsPath !== undefined) return;
  const lib = LIBRARIES[language]!.find((l) => l.dep.test(manifest.text));
  if (lib === undefined) {
    found.values.metricsPath = "";
    found.from.metricsPath = `${manifest.name}: no Prometheus client library (${KNOWN[language]})`;
    return;
  }
  // A separate metrics server (prometheus_client.start_http_server, Go's own listener) is not a
  // path on the service port.
  for (let i = 0; i < files.length; i++) {
    const t = texts[i];
    if (t === undefined) continue;
    if (language === "python" && /\bstart_(?:http|wsgi)_server\s*\(/.test(t)) {
      found.notes.metricsPath = `${files[i]}: prometheus_client's start_http_server serves the metrics on a port of its own, not on the service port: set the chart's metrics.port to it (the path is a guess)`;
      return;
    }
  }
  const handler =
    /promhttp|prom-?client|register\.metrics|generateLatest|make_asgi_app|make_wsgi_app|metrics\.WritePrometheus|PrometheusController|exposeMetrics|\bexpose\(/i;
  for (let i = 0; i < files.length; i++) {
    const t = texts[i];
    if (t === undefined || !handler.test(t)) continue;
    const m = /["'`](\/[\w./-]*metrics)["'`]/.exec(t);
    if (m?.[1] !== undefined) {
      put(found, "metricsPath", m[1], `${files[i]}: route ${m[1]} (${lib.name} in ${manifest.name})`);
      return;
    }
  }
  if (lib.serves !== undefined) {
    put(found, "metricsPath", lib.serves, `${manifest.name}: ${lib.name} (its default path)`);
    return;
  }
  found.notes.metricsPath = `${lib.name} is in ${manifest.name} but no route serving the metrics was found in the sources: the path is a guess`;
}
