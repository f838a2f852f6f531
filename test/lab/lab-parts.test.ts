// The lab's pure parts, in the main suite (no cluster needed): what it reads from a generated
// repository, the CI subset it picks, and that its pinned controller is the one the docs install.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { OptionSpace } from "../conformance/combinations.js";
import { runCli, tempDir } from "../support/cli.js";
import { toolPaths } from "../support/validators.js";
import { HELM } from "./cluster.js";
import { ciItems, ciQuick, ciSubset, deliveryKind, docSection, forRecord, keptRuns, main, mergeRuns } from "./main.js";
import { podEnv, runtimeCommand } from "./pid1.js";
import { type Pod, scrapePort, setupBlocks } from "./scenarios.js";

const REPO = join(import.meta.dirname, "..", "..");

async function create(flags: string[]) {
  const dir = join(tempDir("cp-lab-parts-"), "svc");
  const r = await runCli([dir, "--yes", "--name", "svc", "--owner", "acme", ...flags]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe("lab: reading a generated repository", () => {
  it("finds the one-time setup's bash blocks in order, ending with the cluster's", async () => {
    const dir = await create(["--mode", "push", "--cluster", "eks", "--aws-account-id", "123456789012", "--strategy", "canary"]);
    const blocks = setupBlocks(readFileSync(join(dir, "docs", "pipeline.md"), "utf8"));
    const sections = blocks.map((b) => b.section);
    expect(sections[0]).toMatch(/GitHub/);
    expect(sections.at(-1)).toMatch(/The cluster/);
    expect(
      blocks
        .filter((b) => /AWS/.test(b.section))
        .map((b) => b.code)
        .join("\n"),
    ).toContain('--kubernetes-groups "github-svc-${env}-deployers"');
    expect(blocks.at(-1)!.code).toContain("--group github-svc-dev-deployers");
    expect(blocks.at(-1)!.code).toContain("--group github-svc-prod-deployers");
  });

  it("reads the runtime stage's command and HEALTHCHECK of each language's Dockerfile", async () => {
    const node = runtimeCommand(readFileSync(join(await create(["--language", "node", "--health-path", "/healthz"]), "Dockerfile"), "utf8"));
    expect(node.entrypoint).toEqual(["/usr/bin/tini", "--"]);
    expect(node.cmd[0]).toBe("node");
    expect(node.healthcheck?.join(" ")).toContain("process.env.PORT");
    expect(node.env.PORT).toBe("3000");
    const go = runtimeCommand(readFileSync(join(await create(["--language", "go"]), "Dockerfile"), "utf8"));
    expect(go.entrypoint).toEqual(["/app/app"]); // the binary named by the start command (./app by default)
    expect(go.healthcheck).toBeUndefined();
  });

  it("moves a JVM framework's own port variable to the port the service is run on, with PORT", async () => {
    for (const [flags, variable] of [
      [["--java-packaging", "spring-boot"], "SERVER_PORT"],
      [["--java-packaging", "jar", "--java-framework", "micronaut"], "MICRONAUT_SERVER_PORT"],
    ] as const) {
      const dir = await create(["--language", "java", ...flags, "--port", "8081", "--metrics-path", "/actuator/prometheus"]);
      const image = runtimeCommand(readFileSync(join(dir, "Dockerfile"), "utf8")).env;
      const r = spawnSync(HELM, ["template", "svc", join(dir, "charts", "svc"), "--set", "image.tag=sha-0123456789ab"], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const container = parseAllDocuments(r.stdout)
        .map((d) => d.toJS())
        .find((o) => o?.kind === "Deployment").spec.template.spec.containers[0];
      const env = podEnv(image, container.env, 8081, 40123);
      expect(env.PORT).toBe("40123");
      expect(env[variable], variable).toBe("40123");
    }
  });
});

describe("lab: the CI subset", () => {
  it("shows every value of the cover's dimensions and every delivery kind again, with far fewer combinations", () => {
    const cover = OptionSpace.load().pairwiseCover();
    const subset = ciSubset(cover);
    const items = (cs: typeof cover) => new Set(cs.flatMap(ciItems));
    expect([...items(cover)].filter((p) => !items(subset).has(p))).toEqual([]);
    // Each environment shape, each strategy with each controller (and analysis).
    for (const shape of new Set(cover.map((c) => JSON.stringify(c.answers.environments))))
      expect(subset.some((c) => JSON.stringify(c.answers.environments) === shape)).toBe(true);
    for (const kind of new Set(cover.map((c) => deliveryKind(c.answers)))) expect(subset.some((c) => deliveryKind(c.answers) === kind)).toBe(true);
    expect(subset.length).toBeLessThan(cover.length / 4);
    // The first test to compute the pairwise cover (kept for the others): slow on a loaded machine.
  }, 300_000);
});

describe("lab: the CI share", () => {
  it("has one combination of each kind the lab exists to prove, all from the CI subset", () => {
    const cover = OptionSpace.load().pairwiseCover();
    const subset = ciSubset(cover);
    const quick = ciQuick(cover);
    const a = quick.map((c) => c.answers);
    expect(quick.every((c) => subset.includes(c))).toBe(true);
    expect(a.some((x) => x.progressiveDelivery === "argo-rollouts" && x.strategy === "canary" && x.canaryAnalysis === true)).toBe(true);
    expect(a.some((x) => x.mode === "gitops" && x.progressiveDelivery === "argo-rollouts")).toBe(true);
    expect(a.some((x) => x.progressiveDelivery === "argo-rollouts" && x.strategy === "blue-green")).toBe(true);
    // A Flagger blue-green release gated on the chart's success-rate check.
    expect(a.some((x) => x.progressiveDelivery === "flagger" && x.strategy === "blue-green")).toBe(true);
    expect(a.some((x) => x.httpRoute === true)).toBe(true);
    expect(quick.length).toBeLessThanOrEqual(5);
  });
});

describe("lab: pinned pieces", () => {
  it("runs the Helm that the generated workflows pin (their --rollback-on-failure is Helm 4's)", () => {
    const versions = parseYaml(readFileSync(join(REPO, "templates", "pipeline", "data", "versions.yaml"), "utf8")) as { tools: Record<string, string> };
    // npm test runs scripts/install-tools.sh first: the binary the lab and the validators use is there.
    const r = spawnSync(HELM, ["version", "--template", "{{.Version}}"], { encoding: "utf8" });
    expect(r.error, `${HELM}: run bash scripts/install-tools.sh`).toBeUndefined();
    expect(r.stdout.trim()).toBe(versions.tools.helm);
    expect(toolPaths.helm).toBe(HELM);
  });

  it("runs an Argo Rollouts controller of the minor version that docs/pipeline.md installs", () => {
    const versions = parseYaml(readFileSync(join(REPO, "templates", "pipeline", "data", "versions.yaml"), "utf8")) as { tools: Record<string, string> };
    const script = readFileSync(join(REPO, "scripts", "install-lab.sh"), "utf8");
    const minor = (v: string | undefined) => v?.split(".").slice(0, 2).join(".");
    expect(minor(/^ARGO_ROLLOUTS_VERSION=(\S+)/m.exec(script)?.[1])).toBe(minor(versions.tools["argo-rollouts"]));
  });
});

describe("lab: npm run lab", () => {
  it("loads its bundle with the project's packages and answers a bad --only with exit 2, not a missing module", () => {
    // The bundle imports yaml and the other dependencies from node_modules at run time.
    const r = spawnSync(process.execPath, [join(REPO, "scripts", "lab.mjs"), "--only", "999", "--no-pid1"], { encoding: "utf8", cwd: REPO });
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find package/);
    // Without the lab installed it says how to install it; with it, that no combination matches.
    expect(r.stderr).toMatch(/No combination matches --only|The lab is not installed/);
    expect(r.status).toBe(2);
  });
});

describe("lab: the results table of docs/conformance.md", () => {
  it("takes each combination from the latest run that has it, with that run's date, and marks the cover's others not run", () => {
    const cover = OptionSpace.load().pairwiseCover();
    const [a, b, c] = cover;
    const res = (id: string, answers: Record<string, unknown>, ok: boolean) => ({
      id,
      answers,
      dir: "",
      checks: [{ scenario: "setup", ok, detail: ok ? "" : "refused", ms: 1000 }],
      ms: 1000,
    });
    // A run's repository is named lab-<id>, and the answers derived from the name follow it.
    const named = (x: (typeof cover)[number]) =>
      JSON.parse(
        JSON.stringify(x.answers)
          .split(String(x.answers.name))
          .join(`lab-${x.id.slice(1)}`),
      ) as Record<string, unknown>;
    const older = {
      date: "2026-11-01T00:00:00Z",
      scope: "--only",
      startupMs: 1,
      combinations: [res(a!.id, named(a!), false), res(b!.id, named(b!), true)],
      pid1: [],
      ok: false,
    };
    // A later run of the first one; the second id run with other answers (an older cover) does not count.
    const newer = {
      date: "2026-11-02T00:00:00Z",
      scope: "--only",
      startupMs: 1,
      combinations: [res(a!.id, named(a!), true), res(c!.id, { ...named(c!), mode: "x" }, true)],
      pid1: [],
      ok: true,
    };
    const { rows } = mergeRuns([newer, older], cover);
    expect(rows.length).toBe(cover.length);
    expect(rows[0]).toMatchObject({ id: a!.id, date: newer.date, checks: [{ ok: true }] });
    expect(rows[1]).toMatchObject({ id: b!.id, date: older.date });
    expect(rows[2]!.checks).toEqual([]);
    const doc = docSection([older, newer], cover);
    expect(doc).toContain(`${cover.length - 2} were not run`);
    expect(doc).toMatch(new RegExp(`\\| ${c!.id} .*\\| not run +\\|`));
    expect(doc).toMatch(new RegExp(`\\| ${a!.id} .*\\| 2026-11-02 \\|`));
  });

  it("finds a kept result's combination by its answers when the cover's ids have moved", () => {
    const cover = OptionSpace.load().pairwiseCover();
    const c = cover[3]!;
    const answers = JSON.parse(JSON.stringify(c.answers).split(String(c.answers.name)).join("lab-999")) as Record<string, unknown>;
    // Kept under another id (the cover of its day numbered it #999), and without an answer added since.
    const { [Object.keys(c.answers).find((k) => !(k in c.given) && k !== "name")!]: _dropped, ...older } = answers;
    const run = {
      date: "2026-11-03T00:00:00Z",
      startupMs: 1,
      combinations: [{ id: "#999", answers: older, dir: "", checks: [{ scenario: "setup", ok: true, detail: "", ms: 1 }], ms: 1 }],
      pid1: [],
      ok: true,
    };
    const { rows } = mergeRuns([run], cover);
    expect(rows.find((r) => r.id === c.id)).toMatchObject({ date: run.date, checks: [{ ok: true }] });
    expect(rows.some((r) => r.id === "#999")).toBe(false);
    expect(rows.filter((r) => r.checks.length).length).toBe(1);
  });

  it("keeps a run without its temporary folders and with each check's detail cut to 40 lines", () => {
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const kept = forRecord({
      startupMs: 1,
      combinations: [{ id: "#01", answers: {}, dir: "/tmp/x/lab-01", checks: [{ scenario: "sync", ok: false, detail: long, ms: 1 }], ms: 1 }],
      pid1: [{ service: "node", ok: false, detail: long }],
      ok: false,
    });
    expect(kept.combinations[0]!.dir).toBe("");
    expect(kept.combinations[0]!.checks[0]!.detail.split("\n")).toHaveLength(41);
    expect(kept.combinations[0]!.checks[0]!.detail).toMatch(/^line 0\n[\s\S]*line 39\n\(60 more lines\)$/);
    expect(kept.pid1[0]!.detail.split("\n")).toHaveLength(41);
  });

  it("results in docs/conformance.md are what the kept runs say (npm run lab -- --doc writes them)", () => {
    const doc = readFileSync(join(REPO, "docs", "conformance.md"), "utf8");
    const start = doc.indexOf("<!-- lab-results:start");
    const end = doc.indexOf("<!-- lab-results:end -->") + "<!-- lab-results:end -->".length;
    expect(start).toBeGreaterThan(0);
    const runs = keptRuns();
    expect(runs.length).toBeGreaterThan(0);
    expect(doc.slice(start, end)).toBe(docSection(runs, OptionSpace.load().pairwiseCover()));
  });
});

describe("lab: the scrape port it reads from a pod", () => {
  it("a gRPC server's pods are scraped on their metrics port, never on the gRPC port", async () => {
    const dir = await create([
      "--language",
      "go",
      "--protocol",
      "grpc",
      "--port",
      "8080",
      "--strategy",
      "canary",
      "--progressive-delivery",
      "argo-rollouts",
      "--canary-analysis",
      "--request-metric",
      "grpc_server_handled_total{grpc_code}",
    ]);
    const r = spawnSync(HELM, ["template", "svc", join(dir, "charts", "svc"), "--set", "image.tag=v1"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const rollout = r.stdout
      .split(/^---$/m)
      .map((d) => parseYaml(d))
      .find((o) => o?.kind === "Rollout");
    const pod = { ...rollout.spec.template, status: {} } as Pod;
    const grpc = { answers: { protocol: "grpc" } };
    expect(scrapePort(grpc, pod).port).toBe(9464);
    // as the chart was before: the annotation on the gRPC port, no metrics port, no METRICS_PORT
    const before = structuredClone(pod);
    before.metadata.annotations!["prometheus.io/port"] = "8080";
    before.spec.containers[0]!.ports = before.spec.containers[0]!.ports!.filter((p) => p.name === "http");
    expect(() => scrapePort(grpc, before)).toThrow(/would scrape the gRPC port 8080/);
    // the port declared but the service not told
    const untold = structuredClone(pod);
    untold.spec.containers[0]!.env = untold.spec.containers[0]!.env!.filter((e) => e.name !== "METRICS_PORT");
    expect(() => scrapePort(grpc, untold)).toThrow(/METRICS_PORT is not set/);
    // an HTTP server's metrics on its own port are fine
    expect(scrapePort({ answers: { protocol: "http" } }, before).port).toBe(8080);
  });
});

describe("npm run lab's arguments", () => {
  it("--help prints the options, and an unknown argument or an --only without its value stops with exit 2 before anything starts", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const w1 = process.stdout.write.bind(process.stdout);
    const w2 = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
    try {
      expect(await main(["--help"])).toBe(0);
      expect(out.join("")).toMatch(/--only <ids>/);
      expect(await main(["--onyl", "3"])).toBe(2);
      expect(err.join("")).toMatch(/unknown argument "--onyl", "3": nothing was started/);
      expect(await main(["--record", "--only"])).toBe(2);
      expect(err.join("")).toMatch(/--only needs the combinations/);
    } finally {
      process.stdout.write = w1;
      process.stderr.write = w2;
    }
  });
});
