import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-metrics-");

const dep = (g: string, a: string) => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId></dependency>`;
/** A Spring Boot pom with these dependencies (web and the Boot plugin always). */
const boot = (version: string, ...deps: string[]) =>
  `<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>${version}</version></parent><artifactId>svc</artifactId><version>1</version><dependencies>${dep("org.springframework.boot", "spring-boot-starter-web")}${deps.join("")}</dependencies><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>`;
const actuator = dep("org.springframework.boot", "spring-boot-starter-actuator");
const prometheus = dep("io.micrometer", "micrometer-registry-prometheus");
const quarkus = (...deps: string[]) =>
  `<project><artifactId>q</artifactId><version>1</version><dependencies>${dep("io.quarkus", "quarkus-rest")}${deps.join("")}</dependencies></project>`;

describe("metricsPath: Spring Boot's Actuator", () => {
  it("follows the base path, the path mapping and the context path; exposure by * counts", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator, prometheus),
        "src/main/resources/application.properties":
          "server.servlet.context-path=/shop\nmanagement.endpoints.web.base-path=/manage\nmanagement.endpoints.web.exposure.include=*\nmanagement.endpoints.web.path-mapping.prometheus=metrics\n",
      }),
    );
    expect(r.values).toMatchObject({ healthPath: "/shop/manage/health", metricsPath: "/shop/manage/metrics" });
  });

  it("on the management port: under management.server.base-path, not the context path; scraped there", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator, prometheus),
        "src/main/resources/application.yml":
          "server:\n  servlet:\n    context-path: /shop\nmanagement:\n  server:\n    port: 9001\n    base-path: /mgmt\n  endpoints:\n    web:\n      exposure:\n        include: [health, prometheus]\n",
      }),
    );
    expect(r.values).toMatchObject({ healthPath: "/mgmt/actuator/health", healthPort: 9001, metricsPath: "/mgmt/actuator/prometheus" });
  });

  it("says plainly why there are none: no registry, the endpoint not exposed, excluded, switched off", async () => {
    const cases: [string, string, RegExp][] = [
      [boot("3.3.5", actuator), "", /no Prometheus registry \(micrometer-registry-prometheus\)/],
      [
        boot("3.3.5", actuator, prometheus),
        "",
        /does not expose its prometheus endpoint over HTTP \(management\.endpoints\.web\.exposure\.include is not set: only health is exposed\)/,
      ],
      [
        boot("3.3.5", actuator, prometheus),
        "management.endpoints.web.exposure.include=health,info\n",
        /exposure\.include is "health,info" in application\.properties/,
      ],
      [
        boot("3.3.5", actuator, prometheus),
        "management.endpoints.web.exposure.include=*\nmanagement.endpoints.web.exposure.exclude=prometheus\n",
        /exclude names it/,
      ],
      [
        boot("3.3.5", actuator, prometheus),
        "management.endpoints.web.exposure.include=prometheus\nmanagement.prometheus.metrics.export.enabled=false\n",
        /export\.enabled is false/,
      ],
      [boot("3.3.5", prometheus), "", /without spring-boot-starter-actuator/],
    ];
    for (const [pom, props, why] of cases) {
      const r = await detectReport(repo({ "pom.xml": pom, "src/main/resources/application.properties": props }));
      expect(r.values.metricsPath).toBe("");
      expect(r.from.metricsPath).toMatch(why);
    }
  });

  it("Spring Boot 1: the endpoint at the management context path, no /actuator", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": boot("1.5.22.RELEASE", actuator, prometheus, dep("io.micrometer", "micrometer-spring-legacy")),
        "src/main/resources/application.properties": "management.context-path=/admin\n",
      }),
    );
    expect(r.values).toMatchObject({ healthPath: "/admin/health", metricsPath: "/admin/prometheus" });
  });

  it("a management port bound to loopback or serving TLS: port probes and no scrape, with why", async () => {
    const loop = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator, prometheus),
        "src/main/resources/application.properties":
          "management.server.port=9001\nmanagement.server.address=127.0.0.1\nmanagement.endpoints.web.exposure.include=health,prometheus\n",
      }),
    );
    expect(loop.values.healthPath).toBeUndefined();
    expect(loop.values.healthPort).toBeUndefined();
    expect(loop.notes.healthPath).toMatch(/management\.server\.address is 127\.0\.0\.1 .*loopback only.*the probes check that the service port is open/);
    expect(loop.values.metricsPath).toBe("");
    expect(loop.from.metricsPath).toMatch(/loopback only/);
    const tls = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator),
        "src/main/resources/application.properties": "server.ssl.key-store=classpath:keystore.p12\nserver.ssl.key-store-password=secret\n",
      }),
    );
    expect(tls.values.healthPath).toBeUndefined();
    expect(tls.notes.healthPath).toMatch(/serves HTTPS \(server\.ssl/);
  });
});

describe("Spring profiles", () => {
  it("reads spring.profiles.include, the implicit default profile and spring.profiles.group", async () => {
    const implicit = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator),
        "src/main/resources/application.properties": "server.port=8081\n",
        "src/main/resources/application-default.properties": "management.server.port=9002\n",
      }),
    );
    expect(implicit.values).toMatchObject({ port: 8081, healthPort: 9002 });
    const grouped = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator),
        "src/main/resources/application.yml": "spring:\n  profiles:\n    active: prod\n    include: base\n    group:\n      prod: ops\n",
        "src/main/resources/application-base.properties": "server.port=8082\n",
        "src/main/resources/application-ops.properties": "management.server.port=9003\n",
      }),
    );
    expect(grouped.values).toMatchObject({ port: 8082, healthPort: 9003 });
  });

  it("a management port set only in a profile the repository does not activate is said beside the answer", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator),
        "src/main/resources/application.properties": "spring.profiles.active=local\n",
        "src/main/resources/application-k8s.properties": "management.server.port=9090\n",
      }),
    );
    expect(r.values.healthPath).toBe("/actuator/health");
    expect(r.values.healthPort).toBeUndefined();
    expect(r.from.healthPath).toMatch(/profile k8s \(application-k8s\.properties\) sets management\.server\.port=9090; it is not active .*--health-port 9090/);
  });

  it("labels a placeholder's default as one", async () => {
    const r = await detectReport(
      repo({ "pom.xml": boot("3.3.5", actuator), "src/main/resources/application.properties": "management.server.port=${MGMT_PORT:9001}\n" }),
    );
    expect(r.values.healthPort).toBe(9001);
    expect(r.from.healthPort).toMatch(/\$\{MGMT_PORT:9001\}: 9001 unless the environment sets MGMT_PORT/);
  });
});

describe("Quarkus", () => {
  it("port: %prod. over the plain key; %dev., %test. and test-port never; labelled with its key", async () => {
    const props = "quarkus.http.test-port=8083\n%dev.quarkus.http.port=8081\n%test.quarkus.http.port=8082\n";
    const none = await detectReport(repo({ "pom.xml": quarkus(), "src/main/resources/application.properties": props }));
    expect(none.values.port).toBe(8080);
    expect(none.from.port).toMatch(/Quarkus's default port/);
    const plain = await detectReport(repo({ "pom.xml": quarkus(), "src/main/resources/application.properties": `${props}quarkus.http.port=8090\n` }));
    expect(plain.values.port).toBe(8090);
    expect(plain.from.port).toMatch(/application\.properties quarkus\.http\.port$/);
    const prod = await detectReport(
      repo({ "pom.xml": quarkus(), "src/main/resources/application.properties": `${props}quarkus.http.port=8090\n%prod.quarkus.http.port=8095\n` }),
    );
    expect(prod.values.port).toBe(8095);
    expect(prod.from.port).toMatch(/%prod\.quarkus\.http\.port/);
    expect(prod.from.port).not.toMatch(/server\.port/);
  });

  it("metrics under the non-application root, on the management interface, or none", async () => {
    const micrometer = dep("io.quarkus", "quarkus-micrometer-registry-prometheus");
    const health = dep("io.quarkus", "quarkus-smallrye-health");
    const root = await detectReport(repo({ "pom.xml": quarkus(micrometer), "src/main/resources/application.properties": "quarkus.http.root-path=/api\n" }));
    expect(root.values.metricsPath).toBe("/api/q/metrics");
    const mgmt = await detectReport(
      repo({
        "pom.xml": quarkus(micrometer, health),
        "src/main/resources/application.properties": "quarkus.management.enabled=true\nquarkus.http.root-path=/api\n",
      }),
    );
    expect(mgmt.values).toMatchObject({ healthPath: "/q/health/live", healthPort: 9000, metricsPath: "/q/metrics" });
    const custom = await detectReport(
      repo({ "pom.xml": quarkus(micrometer), "src/main/resources/application.properties": "quarkus.micrometer.export.prometheus.path=/prom\n" }),
    );
    expect(custom.values.metricsPath).toBe("/prom");
    const loop = await detectReport(
      repo({
        "pom.xml": quarkus(micrometer, health),
        "src/main/resources/application.properties": "quarkus.management.enabled=true\nquarkus.management.host=localhost\n",
      }),
    );
    expect(loop.values.healthPath).toBeUndefined();
    expect(loop.notes.healthPath).toMatch(/quarkus\.management\.host is localhost .*loopback only/);
    expect(loop.values.metricsPath).toBe("");
    const without = await detectReport(repo({ "pom.xml": quarkus(health) }));
    expect(without.values.metricsPath).toBe("");
    expect(without.from.metricsPath).toMatch(/no Prometheus registry \(quarkus-micrometer-registry-prometheus/);
  });
});

describe("metricsPath: other languages", () => {
  it("a route beside the client's handler, a middleware's default, a guess said as one, or none", async () => {
    const node = await detectReport(
      repo({
        "package.json": JSON.stringify({ name: "api", dependencies: { express: "^4", "prom-client": "^15" }, scripts: { start: "node server.js" } }),
        "server.js":
          "const client = require('prom-client');\nconst app = require('express')();\napp.get('/internal/metrics', async (req, res) => res.end(await client.register.metrics()));\napp.listen(process.env.PORT || 3000);\n",
      }),
    );
    expect(node.values.metricsPath).toBe("/internal/metrics");
    expect(node.from.metricsPath).toMatch(/server\.js: route \/internal\/metrics \(prom-client in package\.json\)/);
    const bare = await detectReport(
      repo({
        "package.json": JSON.stringify({ name: "api", dependencies: { express: "^4", "prom-client": "^15" }, scripts: { start: "node server.js" } }),
        "server.js": "const app = require('express')();\napp.listen(3000);\n",
      }),
    );
    expect(bare.values.metricsPath).toBeUndefined();
    expect(bare.notes.metricsPath).toMatch(/prom-client is in package\.json but no route serving the metrics was found.*a guess/);
    const none = await detectReport(
      repo({ "package.json": JSON.stringify({ name: "api", dependencies: { express: "^4" }, scripts: { start: "node server.js" } }), "server.js": "" }),
    );
    expect(none.values.metricsPath).toBe("");
    expect(none.from.metricsPath).toMatch(/package\.json: no Prometheus client library/);
    const py = await detectReport(
      repo({
        "requirements.txt": "fastapi\nuvicorn\nprometheus-fastapi-instrumentator==7.0.0\n",
        "main.py":
          "from fastapi import FastAPI\nfrom prometheus_fastapi_instrumentator import Instrumentator\napp = FastAPI()\nInstrumentator().instrument(app).expose(app)\n",
      }),
    );
    expect(py.values.metricsPath).toBe("/metrics");
    const go = await detectReport(
      repo({
        "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire github.com/prometheus/client_golang v1.19.0\n",
        "main.go":
          'package main\n\nimport (\n\t"net/http"\n\t"github.com/prometheus/client_golang/prometheus/promhttp"\n)\n\nfunc main() {\n\thttp.Handle("/debug/metrics", promhttp.Handler())\n\thttp.ListenAndServe(":8080", nil)\n}\n',
      }),
    );
    expect(go.values.metricsPath).toBe("/debug/metrics");
  });
});

describe("requestMetric: the request counter the canary analysis reads", () => {
  const node = (deps: Record<string, string>, server: string) =>
    repo({
      "package.json": JSON.stringify({ name: "api", dependencies: { express: "^4", ...deps }, scripts: { start: "node server.js" } }),
      "server.js": server,
    });

  it("a middleware's own metric, by the library in the manifest", async () => {
    const bundle = await detectReport(
      node(
        { "express-prom-bundle": "^7" },
        "const promBundle = require('express-prom-bundle');\nconst app = require('express')();\napp.use(promBundle({ includeMethod: true }));\napp.listen(3000);\n",
      ),
    );
    expect(bundle.values).toMatchObject({ metricsPath: "/metrics", requestMetric: "http_request_duration_seconds_count{status_code}" });
    expect(bundle.from.requestMetric).toMatch(/package\.json: express-prom-bundle/);
    const flask = await detectReport(
      repo({
        "requirements.txt": "flask\ngunicorn\nprometheus-flask-exporter==0.23.1\n",
        "app.py": "from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\napp = Flask(__name__)\nmetrics = PrometheusMetrics(app)\n",
      }),
    );
    expect(flask.values.requestMetric).toBe("flask_http_request_total{status}");
    const fastapi = await detectReport(
      repo({
        "requirements.txt": "fastapi\nuvicorn\nprometheus-fastapi-instrumentator\n",
        "main.py":
          "from fastapi import FastAPI\nfrom prometheus_fastapi_instrumentator import Instrumentator\napp = FastAPI()\nInstrumentator().instrument(app).expose(app)\n",
      }),
    );
    expect(fastapi.values.requestMetric).toBe("http_requests_total{status}");
    const spring = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator, prometheus),
        "src/main/resources/application.properties": "management.endpoints.web.exposure.include=health,prometheus\n",
      }),
    );
    expect(spring.values.requestMetric).toBe("http_server_requests_seconds_count{status}");
    const q = await detectReport(repo({ "pom.xml": quarkus(dep("io.quarkus", "quarkus-micrometer-registry-prometheus")) }));
    expect(q.values).toMatchObject({ metricsPath: "/q/metrics", requestMetric: "http_server_requests_seconds_count{status}" });
  });

  it("a counter the code defines with a status label: prom-client, prometheus_client, client_golang", async () => {
    const prom = await detectReport(
      node(
        { "prom-client": "^15" },
        "const client = require('prom-client');\nconst jobs = new client.Counter({ name: 'jobs_done', help: 'jobs', labelNames: ['status'] });\nconst reqs = new client.Counter({\n  name: 'shop_http_requests',\n  help: 'requests',\n  labelNames: ['method', 'route', 'code'],\n});\nconst app = require('express')();\napp.get('/metrics', async (req, res) => res.end(await client.register.metrics()));\napp.listen(3000);\n",
      ),
    );
    expect(prom.values.requestMetric).toBe("shop_http_requests{code}");
    expect(prom.from.requestMetric).toMatch(/server\.js: shop_http_requests with the label code/);
    const py = await detectReport(
      repo({
        "requirements.txt": "flask\nprometheus_client\n",
        "app.py":
          "from flask import Flask\nfrom prometheus_client import Counter, make_wsgi_app\nREQS = Counter('api_requests_total', 'Requests', ['endpoint', 'status'])\napp = Flask(__name__)\n@app.route('/metrics')\ndef metrics():\n    return make_wsgi_app()\n",
      }),
    );
    expect(py.values.requestMetric).toBe("api_requests_total{status}");
    const go = await detectReport(
      repo({
        "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire github.com/prometheus/client_golang v1.19.0\n",
        "main.go":
          'package main\n\nimport (\n\t"net/http"\n\t"github.com/prometheus/client_golang/prometheus"\n\t"github.com/prometheus/client_golang/prometheus/promhttp"\n)\n\nvar hits = prometheus.NewCounterVec(prometheus.CounterOpts{\n\tNamespace: "shop",\n\tName:      "http_requests_total",\n\tHelp:      "requests",\n}, []string{"code", "method"})\n\nfunc main() {\n\thttp.Handle("/metrics", promhttp.Handler())\n\thttp.ListenAndServe(":8080", nil)\n}\n',
      }),
    );
    expect(go.values.requestMetric).toBe("shop_http_requests_total{code}");
  });

  it("none known: a client without a request counter, or a metrics path that is only a guess, is said beside the empty answer", async () => {
    const bare = await detectReport(
      node(
        { "prom-client": "^15" },
        "const client = require('prom-client');\nclient.collectDefaultMetrics();\nconst app = require('express')();\napp.get('/metrics', async (req, res) => res.end(await client.register.metrics()));\napp.listen(3000);\n",
      ),
    );
    expect(bare.values.metricsPath).toBe("/metrics");
    expect(bare.values.requestMetric).toBeUndefined();
    expect(bare.notes.requestMetric).toMatch(/no request metric with a status label was found.*--request-metric/);
    const guessed = await detectReport(
      node(
        { "prom-client": "^15" },
        "const client = require('prom-client');\nnew client.Counter({ name: 'http_requests_total', help: 'r', labelNames: ['status'] });\nrequire('express')().listen(3000);\n",
      ),
    );
    expect(guessed.values.metricsPath).toBeUndefined();
    expect(guessed.values.requestMetric).toBeUndefined();
    expect(guessed.notes.requestMetric).toMatch(/http_requests_total\{status\}, but the metrics path is a guess/);
  });
});

describe("metricsPort: metrics served on a port of their own", () => {
  it("Go: a promhttp listener of its own is the metrics port, never the service port", async () => {
    const r = await detectReport(
      repo({
        "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire github.com/prometheus/client_golang v1.19.0\n",
        "main.go":
          'package main\n\nimport (\n\t"net/http"\n\t"github.com/prometheus/client_golang/prometheus/promhttp"\n)\n\nfunc main() {\n\tgo http.ListenAndServe(":9090", promhttp.Handler())\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(":8080", mux)\n}\n',
      }),
    );
    expect(r.values).toMatchObject({ port: 8080, metricsPort: 9090, metricsPath: "/metrics" });
    expect(r.from.metricsPort).toMatch(/main\.go: a metrics listener of its own on :9090/);
  });

  it("Python: prometheus_client's start_http_server; Spring Boot: the management port", async () => {
    const py = await detectReport(
      repo({
        "requirements.txt": "prometheus_client\n",
        "worker.py":
          "import os\nfrom prometheus_client import start_http_server, Counter\nJOBS = Counter('jobs_total', 'jobs', ['status'])\nif __name__ == '__main__':\n    start_http_server(9100)\n    from http.server import HTTPServer\n    HTTPServer(('', int(os.environ.get('PORT', '8000'))), None).serve_forever()\n",
      }),
    );
    expect(py.values).toMatchObject({ metricsPort: 9100, metricsPath: "/metrics" });
    const spring = await detectReport(
      repo({
        "pom.xml": boot("3.3.5", actuator, prometheus),
        "src/main/resources/application.properties": "management.server.port=9001\nmanagement.endpoints.web.exposure.include=health,prometheus\n",
      }),
    );
    expect(spring.values).toMatchObject({ metricsPort: 9001, healthPort: 9001 });
  });
});
