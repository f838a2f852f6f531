// Proves each validator in ./validators.ts really runs: a known-bad input gives
// findings, a known-good one gives none. Fixtures are written to temp dirs.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  type Finding,
  type K8sDoc,
  actionlint,
  checkJsonschema,
  detectCharts,
  formatFindings,
  hadolint,
  hadolintReport,
  helmLintAndTemplate,
  loadK8sDocs,
  manifestFilesIn,
  listFiles,
  preCommitValidate,
  validateAll,
  validateK8sObjects,
  yamlParses,
  yamllint,
  yamllintReport,
  zizmor,
  zizmorReport,
} from "./validators.js";

const T = 60_000;
const tempDirs: string[] = [];

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cp-validators-"));
  tempDirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

const messages = (fs_: Finding[]): string => formatFindings(fs_);

// ---------------------------------------------------------------------------
// fixtures

const CHECKOUT_PINNED = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2";

const GOOD_WORKFLOW = `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions: {}
concurrency:
  group: ci-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  test:
    name: test
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - name: Checkout
        uses: ${CHECKOUT_PINNED}
        with:
          persist-credentials: false
      - name: Build
        id: build
        run: echo "digest=sha256:abc" >> "$GITHUB_OUTPUT"
      - name: Show
        env:
          DIGEST: \${{ steps.build.outputs.digest }}
        run: echo "built $DIGEST"
`;

const GOOD_DOCKERFILE = `FROM debian:12.7-slim
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\
    && rm -rf /var/lib/apt/lists/*
USER 10001
CMD ["curl", "--version"]
`;

const CHART_YAML = `apiVersion: v2
name: svc
description: test chart
type: application
version: 0.1.0
appVersion: "1.0.0"
`;

const CHART_VALUES = `replicaCount: 1
image:
  repository: ghcr.io/acme/svc
  tag: "1.0.0"
`;

const CHART_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .Chart.Name }}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - name: http
              containerPort: 8080
          resources:
            limits:
              memory: 128Mi
`;

const CHART_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app.kubernetes.io/name: {{ .Chart.Name }}
  ports:
    - name: http
      port: 80
      targetPort: http
`;

function goodChart(prefix = "chart"): Record<string, string> {
  return {
    [`${prefix}/Chart.yaml`]: CHART_YAML,
    [`${prefix}/values.yaml`]: CHART_VALUES,
    [`${prefix}/values-dev.yaml`]: "replicaCount: 1\n",
    [`${prefix}/values-prod.yaml`]: "replicaCount: 3\n",
    [`${prefix}/templates/deployment.yaml`]: CHART_DEPLOYMENT,
    [`${prefix}/templates/service.yaml`]: CHART_SERVICE,
  };
}

const ARGOCD_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: svc-dev
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/svc.git
    targetRevision: main
    path: chart
    helm:
      valueFiles:
        - values-dev.yaml
  destination:
    server: https://kubernetes.default.svc
    namespace: svc-dev
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
`;

const deployment = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "svc" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "svc" } },
    template: {
      metadata: { labels: { app: "svc" } },
      spec: { containers: [{ name: "app", image: "ghcr.io/acme/svc:1.0.0" }] },
    },
    ...spec,
  },
});

const doc = (object: unknown, file = "test.yaml"): K8sDoc => ({ file, object });

// ---------------------------------------------------------------------------

describe("actionlint", { timeout: T }, () => {
  it("passes a clean workflow", async () => {
    const dir = repo({ ".github/workflows/ci.yml": GOOD_WORKFLOW });
    expect(await actionlint(dir), messages(await actionlint(dir))).toEqual([]);
  });

  it("reports an undefined step output", async () => {
    const dir = repo({
      ".github/workflows/ci.yaml": GOOD_WORKFLOW.replace("steps.build.outputs.digest", "steps.nope.outputs.x"),
    });
    const f = await actionlint(dir);
    expect(
      f.some((x) => x.file === ".github/workflows/ci.yaml" && /nope/.test(x.message) && x.line === 27),
      messages(f),
    ).toBe(true);
  });

  it("runs shellcheck on run: scripts", async () => {
    const dir = repo({ ".github/workflows/ci.yml": GOOD_WORKFLOW.replace('echo "built $DIGEST"', "cd $DIGEST") });
    const f = await actionlint(dir);
    expect(
      f.some((x) => /shellcheck/.test(x.message) && /SC2086/.test(x.message)),
      messages(f),
    ).toBe(true);
  });

  it("returns nothing when there are no workflows", async () => {
    expect(await actionlint(repo({ "README.md": "# x\n" }))).toEqual([]);
  });
});

describe("zizmor", { timeout: T }, () => {
  it("passes a hardened workflow (pedantic notes are advisories only)", async () => {
    const dir = repo({ ".github/workflows/ci.yml": GOOD_WORKFLOW });
    const r = await zizmorReport(dir);
    expect(r.findings, messages(r.findings)).toEqual([]);
  });

  it("reports an unpinned action", async () => {
    const dir = repo({ ".github/workflows/ci.yml": GOOD_WORKFLOW.replace(CHECKOUT_PINNED, "actions/checkout@v4") });
    const f = await zizmor(dir);
    expect(
      f.some((x) => /^unpinned-uses/.test(x.message) && x.file === ".github/workflows/ci.yml" && x.line === 19),
      messages(f),
    ).toBe(true);
  });

  it("reports template injection in run:", async () => {
    const dir = repo({
      ".github/workflows/ci.yml": GOOD_WORKFLOW.replace('echo "built $DIGEST"', 'echo "${{ github.event.pull_request.title }}"'),
    });
    const f = await zizmor(dir);
    expect(
      f.some((x) => /^template-injection/.test(x.message)),
      messages(f),
    ).toBe(true);
  });
});

describe("check-jsonschema (SchemaStore workflow/dependabot schemas)", { timeout: T }, () => {
  it("passes a valid workflow and dependabot config", async () => {
    const dir = repo({
      ".github/workflows/ci.yml": GOOD_WORKFLOW,
      ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n",
    });
    const f = await checkJsonschema(dir);
    expect(f, messages(f)).toEqual([]);
  });

  it("reports an unknown job key and a bad dependabot interval", async () => {
    const dir = repo({
      ".github/workflows/ci.yml": GOOD_WORKFLOW.replace("    steps:", "    stepz:"),
      ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: fortnightly\n",
    });
    const f = await checkJsonschema(dir);
    expect(
      f.some((x) => x.file === ".github/workflows/ci.yml" && /stepz/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === ".github/dependabot.yml"),
      messages(f),
    ).toBe(true);
  });
});

describe("hadolint", { timeout: T }, () => {
  it("passes a clean Dockerfile", async () => {
    const dir = repo({ Dockerfile: GOOD_DOCKERFILE });
    const f = await hadolint(dir);
    expect(f, messages(f)).toEqual([]);
  });

  it("reports :latest and unpinned apt packages", async () => {
    const dir = repo({ "docker/Dockerfile": "FROM ubuntu:latest\nRUN apt-get install curl\n" });
    const r = await hadolintReport(dir);
    const codes = r.findings.map((x) => x.message.split(" ")[0]);
    expect(codes).toEqual(expect.arrayContaining(["DL3007", "DL3008", "DL3014"]));
    expect(r.findings.every((x) => x.file === "docker/Dockerfile")).toBe(true);
    expect(r.advisories.map((x) => x.message.split(" ")[0])).toContain("DL3015"); // info level
  });
});

describe("yamlParses", () => {
  it("passes valid multi-document YAML and skips chart templates", async () => {
    const dir = repo({
      "deploy/a.yaml": "a: 1\n---\nb: [1, 2]\n",
      ...goodChart(),
      "chart/templates/extra.yaml": "{{- if .Values.x }}\nfoo: {{ .Values.x }}\n{{- end }}\n",
    });
    expect(await yamlParses(dir)).toEqual([]);
  });

  it("reports a syntax error and a duplicate key with their lines", async () => {
    const dir = repo({ "a.yml": "ok: 1\nlist: [1, 2\n", "b.yaml": "x: 1\ny: 2\nx: 3\n" });
    const f = await yamlParses(dir);
    expect(
      f.some((x) => x.file === "a.yml"),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "b.yaml" && x.line === 3 && /DUPLICATE_KEY/.test(x.message)),
      messages(f),
    ).toBe(true);
  });
});

describe("yamllint", { timeout: T }, () => {
  it("passes clean YAML with the relaxed preset when the repo has no config", async () => {
    const dir = repo({ "deploy/a.yaml": "a: 1\nb:\n  - x\n", ...goodChart() });
    const f = await yamllint(dir);
    expect(f, messages(f)).toEqual([]);
  });

  it("reports duplicate keys", async () => {
    const dir = repo({ "a.yaml": "x: 1\nx: 2\n" });
    const f = await yamllint(dir);
    expect(
      f.some((x) => x.file === "a.yaml" && x.line === 2 && /key-duplicates/.test(x.message)),
      messages(f),
    ).toBe(true);
  });

  it("uses the repository's .yamllint.yaml", async () => {
    const dir = repo({
      ".yamllint.yaml": "extends: default\nrules:\n  document-start: disable\n  line-length:\n    max: 20\n    level: error\n",
      "a.yaml": "short: 1\nthis_key_is_long: a value that is far too long\n",
    });
    const r = await yamllintReport(dir);
    expect(
      r.findings.some((x) => x.line === 2 && /line-length/.test(x.message)),
      messages(r.findings),
    ).toBe(true);
  });
});

describe("preCommitValidate", { timeout: T }, () => {
  it("passes a valid config", async () => {
    const dir = repo({
      ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n        entry: echo\n        language: system\n",
    });
    const f = await preCommitValidate(dir);
    expect(f, messages(f)).toEqual([]);
  });

  it("reports a remote repo without rev", async () => {
    const dir = repo({
      ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    hooks:\n      - id: trailing-whitespace\n",
    });
    const f = await preCommitValidate(dir);
    expect(f.length, messages(f)).toBe(1);
    expect(f[0]!.message).toMatch(/rev/);
  });

  it("returns nothing without a config", async () => {
    expect(await preCommitValidate(repo({ "a.yaml": "a: 1\n" }))).toEqual([]);
  });
});

describe("helmLintAndTemplate", { timeout: T }, () => {
  it("lints and renders a good chart once per values file", async () => {
    const dir = repo(goodChart());
    const r = await helmLintAndTemplate(path.join(dir, "chart"), ["values-dev.yaml", "values-prod.yaml"], { rootDir: dir });
    expect(r.findings, messages(r.findings)).toEqual([]);
    const kinds = r.rendered.map((d) => `${(d.object as { kind: string }).kind} ${d.file}`);
    expect(kinds).toEqual([
      "Service chart/templates/service.yaml [values: chart/values-dev.yaml]",
      "Deployment chart/templates/deployment.yaml [values: chart/values-dev.yaml]",
      "Service chart/templates/service.yaml [values: chart/values-prod.yaml]",
      "Deployment chart/templates/deployment.yaml [values: chart/values-prod.yaml]",
    ]);
    const prod = r.rendered[3]!.object as { spec: { replicas: number } };
    expect(prod.spec.replicas).toBe(3);
    expect(await validateK8sObjects(r.rendered)).toEqual([]);
  });

  it("reports a broken template", async () => {
    const dir = repo({
      ...goodChart(),
      "chart/templates/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.image.tag | noSuchFunction }}\n",
    });
    const r = await helmLintAndTemplate(path.join(dir, "chart"), ["values-dev.yaml"], { rootDir: dir });
    expect(
      r.findings.some((x) => x.tool === "helm lint" && /noSuchFunction/.test(x.message)),
      messages(r.findings),
    ).toBe(true);
    expect(
      r.findings.some((x) => x.tool === "helm template"),
      messages(r.findings),
    ).toBe(true);
  });

  it("reports a missing values file and a strict-mode lint warning", async () => {
    const dir = repo({ ...goodChart(), "chart/Chart.yaml": CHART_YAML.replace("version: 0.1.0", "version: one") });
    const r = await helmLintAndTemplate(path.join(dir, "chart"), ["values-nope.yaml", "values-dev.yaml"], { rootDir: dir });
    expect(
      r.findings.some((x) => x.file === "chart/values-nope.yaml"),
      messages(r.findings),
    ).toBe(true);
    expect(
      r.findings.some((x) => x.tool === "helm lint" && /version/i.test(x.message)),
      messages(r.findings),
    ).toBe(true);
  });
});

describe("validateK8sObjects", { timeout: T }, () => {
  it("accepts valid Kubernetes, Argo Rollouts, Argo CD and Flagger objects", async () => {
    const objs = [
      deployment({}),
      { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80, targetPort: "http" }] } },
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: { name: "svc" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "svc" } },
          template: { metadata: { labels: { app: "svc" } }, spec: { containers: [{ name: "app", image: "i:1" }] } },
          strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: "1m" } }, { analysis: { templates: [{ templateName: "ok" }] } }] } },
        },
      },
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AnalysisTemplate",
        metadata: { name: "ok" },
        spec: {
          metrics: [
            {
              name: "success-rate",
              interval: "1m",
              successCondition: "result[0] >= 0.95",
              provider: { prometheus: { address: "http://prometheus:9090", query: "sum(up)" } },
            },
          ],
        },
      },
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: "p", namespace: "argocd" },
        spec: { sourceRepos: ["*"], destinations: [{ server: "https://kubernetes.default.svc", namespace: "*" }] },
      },
      {
        apiVersion: "flagger.app/v1beta1",
        kind: "Canary",
        metadata: { name: "svc" },
        spec: {
          targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "svc" },
          service: { port: 80, targetPort: 8080 },
          analysis: {
            interval: "1m",
            threshold: 5,
            maxWeight: 50,
            stepWeight: 10,
            metrics: [{ name: "request-success-rate", thresholdRange: { min: 99 }, interval: "1m" }],
            webhooks: [{ name: "load", url: "http://loadtester/", timeout: "5s", metadata: { cmd: "hey http://svc" } }],
          },
        },
      },
    ];
    const dir = repo({ "deploy/argocd/app-dev.yaml": ARGOCD_APP });
    const docs = [...objs.map((o) => doc(o)), ...loadK8sDocs(dir, ["deploy/argocd/app-dev.yaml"])];
    const f = await validateK8sObjects(docs);
    expect(f, messages(f)).toEqual([]);
  });

  it('rejects replicas: "two" (schema and strict decoding)', async () => {
    const f = await validateK8sObjects([doc(deployment({ replicas: "two" }))]);
    expect(
      f.some((x) => x.tool === "kubernetes-models" && /\/spec\/replicas: must be integer/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.tool === "kube-strict" && /replicas/.test(x.message)),
      messages(f),
    ).toBe(true);
  });

  it("rejects a missing required field and an unknown field", async () => {
    const noContainers = deployment({});
    (noContainers.spec as { template: { spec: Record<string, unknown> } }).template.spec = {};
    const typo = deployment({});
    (typo.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!.resouces = {};
    const f = await validateK8sObjects([doc(noContainers, "a.yaml"), doc(typo, "b.yaml")]);
    expect(
      f.some((x) => x.file === "a.yaml" && /containers/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "b.yaml" && x.tool === "kube-strict" && /unknown field.*resouces/.test(x.message)),
      messages(f),
    ).toBe(true);
  });

  it("rejects bad Argo CD, Argo Rollouts and Flagger objects", async () => {
    const dir = repo({ "app.yaml": ARGOCD_APP.replace("prune: true", 'prune: "yes"') });
    const docs = [
      ...loadK8sDocs(dir, ["app.yaml"]),
      doc(
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Rollout",
          metadata: { name: "r" },
          spec: { strategy: { canary: { steps: [{ setWeight: "twenty" }] } } },
        },
        "rollout.yaml",
      ),
      // kube-strict reports unknown fields only when the object has no type error
      doc(
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Rollout",
          metadata: { name: "r2" },
          spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { bogusStep: {} }] } } },
        },
        "rollout2.yaml",
      ),
      doc(
        {
          apiVersion: "flagger.app/v1beta1",
          kind: "Canary",
          metadata: { name: "c" },
          spec: { service: { port: "eighty" }, analysis: { interval: "1m", metrics: [{ thresholdRange: { min: 99 } }] } },
        },
        "canary.yaml",
      ),
    ];
    const f = await validateK8sObjects(docs);
    expect(
      f.some((x) => x.file === "app.yaml" && x.line === 1 && /prune/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "rollout.yaml" && /setWeight/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "rollout2.yaml" && x.tool === "kube-strict" && /unknown field.*bogusStep/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "canary.yaml" && x.tool === "kube-strict" && /port/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "canary.yaml" && /spec\.targetRef is missing/.test(x.message)),
      messages(f),
    ).toBe(true);
    expect(
      f.some((x) => x.file === "canary.yaml" && /metrics\[0\]\.name is missing/.test(x.message)),
      messages(f),
    ).toBe(true);
  });

  it("reports objects no schema covers instead of passing them", async () => {
    const f = await validateK8sObjects([
      doc({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "m" }, spec: {} }),
      doc({ apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "d" } }),
      doc({ kind: "Service" }),
    ]);
    expect(f.map((x) => x.message)).toEqual([
      expect.stringMatching(/^no schema for monitoring.coreos.com\/v1 ServiceMonitor/),
      expect.stringMatching(/^no schema for apps\/v1 Deploymnet/),
      expect.stringMatching(/^not a Kubernetes object/),
    ]);
  });
});

describe("missing tools", { timeout: T }, () => {
  it("throws, naming the tool and the install script, instead of passing", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "cp-no-tools-"));
    tempDirs.push(empty);
    vi.stubEnv("CREATE_PIPELINE_TOOLS_DIR", empty);
    vi.resetModules();
    try {
      const v = await import("./validators.js");
      const dir = repo({
        ".github/workflows/ci.yml": GOOD_WORKFLOW,
        Dockerfile: GOOD_DOCKERFILE,
        ".pre-commit-config.yaml": "repos: []\n",
        "a.yaml": "a: 1\n",
      });
      for (const [name, fn] of [
        ["actionlint", () => v.actionlint(dir)],
        ["zizmor", () => v.zizmor(dir)],
        ["hadolint", () => v.hadolint(dir)],
        ["yamllint", () => v.yamllint(dir)],
        ["pre-commit", () => v.preCommitValidate(dir)],
        ["check-jsonschema", () => v.checkJsonschema(dir)],
        ["helm", () => v.helmLintAndTemplate(dir, [])],
        ["kube-strict", () => v.validateK8sObjects([doc(deployment({}))])],
      ] as const) {
        await expect(fn(), name).rejects.toThrow(new RegExp(`"${name}".*bash scripts/install-tools\\.sh`));
      }
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe("validateAll", { timeout: 120_000 }, () => {
  const sample = (): Record<string, string> => ({
    ".github/workflows/ci.yml": GOOD_WORKFLOW,
    ".github/dependabot.yml":
      "version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /\n    schedule:\n      interval: weekly\n    cooldown:\n      default-days: 7\n",
    Dockerfile: GOOD_DOCKERFILE,
    ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n        entry: echo\n        language: system\n",
    ...goodChart("charts/svc"),
    "deploy/argocd/app-dev.yaml": ARGOCD_APP.replace("path: chart", "path: charts/svc"),
  });

  it("finds the chart, its values files and the Argo CD manifests", () => {
    const dir = repo({ ...sample(), "charts/svc/charts/sub/Chart.yaml": CHART_YAML.replace("name: svc", "name: sub") });
    expect(detectCharts(dir)).toEqual([{ dir: "charts/svc", valuesFiles: ["values-dev.yaml", "values-prod.yaml"] }]);
    expect(manifestFilesIn(dir, listFiles(dir))).toEqual(["deploy/argocd/app-dev.yaml"]);
  });

  it("passes a clean sample repository and reports each tool", async () => {
    const dir = repo(sample());
    const t0 = performance.now();
    const r = await validateAll(dir);
    const ms = Math.round(performance.now() - t0);
    expect(r.total, formatFindings(r.findings)).toBe(0);
    expect(Object.keys(r.findings).sort()).toEqual([
      "actionlint",
      "check-jsonschema",
      "hadolint",
      "helm",
      "kubernetes",
      "pre-commit",
      "yaml-parse",
      "yamllint",
      "zizmor",
    ]);
    expect(r.rendered.length).toBe(8); // 2 objects x values-dev / values-prod x as written / as promoted
    expect(r.rendered.filter((d) => d.file.endsWith(" as promoted]")).length).toBe(4);
    console.log(`validateAll on a small sample: ${ms} ms; per tool: ${JSON.stringify(r.timingsMs)}`);
  });

  it("collects findings from every layer of a broken sample", async () => {
    const files = sample();
    files[".github/workflows/ci.yml"] = GOOD_WORKFLOW.replace(CHECKOUT_PINNED, "actions/checkout@v4").replace(
      "steps.build.outputs.digest",
      "steps.nope.outputs.x",
    );
    files.Dockerfile = "FROM ubuntu:latest\nRUN apt-get install curl\n";
    files["charts/svc/values-prod.yaml"] = "replicaCount: two\n";
    files["deploy/argocd/app-dev.yaml"] = ARGOCD_APP.replace("selfHeal: true", "selfHeal: true\n      bogus: 1").replace("prune: true", "prune: 3");
    const r = await validateAll(repo(files), { skip: ["yamllint"] });
    expect(r.findings.yamllint).toBeUndefined();
    for (const tool of ["actionlint", "zizmor", "hadolint", "kubernetes"] as const) {
      expect(r.findings[tool]?.length ?? 0, `${tool}\n${formatFindings(r.findings)}`).toBeGreaterThan(0);
    }
    const k8s = formatFindings(r.findings.kubernetes ?? []);
    expect(k8s).toMatch(/values-prod\.yaml.*replicas/);
    expect(k8s).toMatch(/deploy\/argocd\/app-dev\.yaml.*prune/);
  });
});
