// The interactive flow of the built-in pack, scripted: how many prompts the common path takes,
// what the one-step facts confirmation offers, and that every answer's origin is shown.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, readTree, runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";

/** A Python service under git with an origin remote: everything the facts step needs is found. */
function pythonService(remote = true): string {
  const dir = join(tempDir(), "ledger");
  mkdirSync(dir);
  cpSync(join(REPO, "test", "fixtures", "services", "python"), dir, { recursive: true });
  git(dir, "init", "-q");
  if (remote) git(dir, "remote", "add", "origin", "git@github.com:acme/ledger.git");
  return dir;
}

describe("the interactive flow of the built-in pack", () => {
  it("the common path asks 8 questions: facts in one step, the 5 choices that matter, the rest, the confirmation", async () => {
    const dir = pythonService();
    const r = await runCli([dir], { script: {} });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked).toEqual([
      "confirm: Are these right?",
      "registry",
      "cluster",
      "mode",
      "strategy",
      "environments",
      "confirm: Use recommended settings for the rest?",
      "select: Write these files?",
    ]);
    const facts = r.notes.find((n) => n.startsWith("About this service"))!;
    expect(facts).toContain("Language: python (detected)");
    expect(facts).toContain("GitHub owner (organisation or user): acme (detected)");
    const summary = r.notes.find((n) => n.startsWith("Answers"))!;
    expect(summary).toContain("owner: acme (detected)");
    // Picked at a prompt (Enter on the offered choice) is the user's answer, not a default;
    // "default" is only what nobody was shown.
    expect(summary).toContain("registry: ghcr (given)");
    expect(summary).toContain("environments: dev, prod (given)");
    expect(summary).toContain("scan: true (default)");
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(true);
    // The origins survive the answers file: check still says what was detected and from where,
    // and an answer edited by hand becomes given.
    const check = JSON.parse((await runCli(["check", dir, "--json"])).stdout) as { answers: Record<string, { origin: string; from?: string }> };
    expect(check.answers.port).toEqual({ value: 8000, origin: "detected", from: "app.py" });
    expect(check.answers.owner).toMatchObject({ origin: "detected" });
    expect(check.answers.registry).toMatchObject({ origin: "given" });
    expect(check.answers.scan).toMatchObject({ origin: "default" });
    const file = join(dir, ".create-pipeline.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("port: 8000", "port: 8001"));
    const edited = JSON.parse((await runCli(["check", dir, "--json"])).stdout) as { answers: Record<string, { origin: string; from?: string }> };
    expect(edited.answers.port).toEqual({ value: 8001, origin: "given" });
    expect(edited.answers.language).toMatchObject({ origin: "detected" });
  });

  it("no to the facts asks each of them; no to the recommended settings offers the extras in one multiselect", async () => {
    const dir = pythonService();
    const r = await runCli([dir], {
      script: {
        confirm: (m) => !m.startsWith("Are these right") && !m.startsWith("Use recommended"),
        // turning the Ingress on asks for its host: there is no placeholder to fall back on
        answers: { port: "8001", ingressHost: "ledger.acme.dev" },
        extras: ["scan", "ingress"],
      },
    });
    expect(r.code).toBe(0);
    expect(r.asked).toEqual(
      expect.arrayContaining([
        "name",
        "language",
        "languageVersion",
        "port",
        "healthPath",
        "owner",
        "multiselect: Extras (space toggles, enter accepts)",
        "ingressHost",
        "releaseTool",
      ]),
    );
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("port: 8001");
    expect(answers).toContain("ingress: true");
    expect(answers).toContain("codeql: false");
    expect(answers).toContain("scan: true");
  });

  it("without a git remote the owner is asked, never a placeholder", async () => {
    const dir = pythonService(false);
    const r = await runCli([dir], { script: { answers: { owner: "acme-two" } } });
    expect(r.code).toBe(0);
    expect(r.asked[0]).toBe("owner");
    expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).toContain("owner: acme-two");
    const ci = await runCli([pythonService(false), "--yes"]);
    expect(ci.code).toBe(2);
    expect(ci.stderr).toContain("--owner <value>");
  });

  it("a registry's details are asked with the registry: ECR's AWS account and region before the cluster", async () => {
    const dir = pythonService();
    const r = await runCli([dir], { script: { answers: { registry: "ecr", awsAccountId: "123456789012", cluster: "eks" } } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked.slice(0, 5)).toEqual(["confirm: Are these right?", "registry", "awsAccountId", "cluster", "mode"]);
    // the region has a default, so it waits for the rest; asked or not, the answers are the same
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain('awsAccountId: "123456789012"');
    expect(answers).toContain("cluster: eks");
  });
});

/** Two services under git with a GitHub remote: services/api (Node.js) and services/gateway (Go). */
function shop(): string {
  const dir = join(tempDir(), "shop");
  for (const [fixture, path] of [
    ["node", "services/api"],
    ["go", "services/gateway"],
  ] as const)
    cpSync(join(REPO, "test", "fixtures", "services", fixture), join(dir, path), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "git@github.com:acme/shop.git");
  return dir;
}

const answersOf = (dir: string) => readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
/** A service's entry in the answers file, up to the next one. */
const entryOf = (text: string, path: string) => text.slice(text.indexOf(`- path: ${path}\n`)).split(/\n {2}- path: /)[0]!;

describe("the interactive flow for a repository of several services", () => {
  it("the common path asks 8 questions: every detected service's facts in one step (all included), the 5 shared choices, the rest, the confirmation", async () => {
    const dir = shop();
    const r = await runCli([dir], { script: {} });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked).toEqual([
      "confirm: Are these right?",
      "registry",
      "cluster",
      "mode",
      "strategy",
      "environments",
      "confirm: Use recommended settings for the rest?",
      "select: Write these files?",
    ]);
    const facts = r.notes.find((n) => n.startsWith("About these 2 services"))!;
    expect(facts).toMatch(/path +name +language +port +health +start from/);
    expect(facts).toMatch(/services\/api +hello-node +node \d+ +3000 +\/healthz +package\.json/);
    expect(facts).toMatch(/services\/gateway +hello-go +go 1\.\d+ +8080 +\/healthz +its build/);
    expect(facts).toContain("owner: acme (detected)");
    expect(facts).toContain("defaultBranch: main (detected)");
    // Every answer with its origin: picked at a prompt is given, untouched is default.
    const shared = r.notes.find((n) => n.startsWith("Shared answers"))!;
    expect(shared).toContain("owner: acme (detected)");
    expect(shared).toContain("registry: ghcr (given)");
    expect(shared).toContain("scan: true (default)");
    const services = r.notes.find((n) => n.startsWith("2 services"))!;
    expect(services).toContain("services/api (hello-node):");
    expect(services).toContain("  port: 3000 (detected)");
    expect(services).toContain("services/gateway (hello-go):");
    expect(services).toContain("  port: 8080 (detected)");
    expect(answersOf(dir)).toContain("- path: services/gateway");
  });

  it("no to the facts asks only those of what is picked for correcting; a corrected port holds for that service only", async () => {
    const dir = shop();
    const r = await runCli([dir], {
      script: {
        confirm: (m) => !m.startsWith("Are these right"),
        multiselect: { "Which to correct?": ["services/gateway"] },
        answers: { port: "9090" },
      },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked.slice(0, 2)).toEqual(["confirm: Are these right?", "multiselect: Which to correct?"]);
    expect(r.asked).not.toContain("services");
    expect(r.asked.filter((k) => k === "port")).toHaveLength(1);
    expect(r.asked).toContain("healthPath");
    expect(r.asked).not.toContain("owner");
    expect(r.sections).toContain("services/gateway: Service");
    expect(r.sections.some((s) => s.startsWith("services/api:"))).toBe(false);
    const services = r.notes.find((n) => n.startsWith("2 services"))!;
    expect(services).toContain("  port: 9090 (given)");
    const answers = answersOf(dir);
    expect(entryOf(answers, "services/gateway")).toContain("port: 9090");
    expect(answers).not.toMatch(/^port: 9090/m);
    expect(entryOf(answers, "services/api")).not.toContain("9090");
  });

  it("no to the facts, then which services to include: a service left out is in neither the printed command nor the answers written", async () => {
    const session = (last: string) => ({
      confirm: (m: string) => !m.startsWith("Are these right"),
      multiselect: { "Which to correct?": ["(services)"] },
      answers: { services: ["services/api"] },
      select: { "Write these files?": [last] },
    });
    const cancelled = shop();
    const c = await runCli([cancelled], { script: session("cancel") });
    expect(c.code).toBe(130);
    expect(c.asked.slice(0, 3)).toEqual(["confirm: Are these right?", "multiselect: Which to correct?", "services"]);
    // Only the services were picked for changing: no fact is asked again.
    expect(c.asked).not.toContain("port");
    expect(c.notes.find((n) => n.startsWith("1 service"))).not.toContain("services/gateway");
    const printed = c.stdout.slice(c.stdout.indexOf("npx @create-pipeline/cli@"));
    expect(printed).toMatch(/--services services\/api /);
    expect(printed).not.toContain("gateway");
    const written = shop();
    const w = await runCli([written], { script: session("write") });
    expect(w.stderr).toBe("");
    expect(w.code).toBe(0);
    expect(answersOf(written)).toContain("- path: services/api");
    expect(answersOf(written)).not.toContain("services/gateway");
    expect(existsSync(join(written, "charts", "hello-go"))).toBe(false);
  });

  it("a service left out and another's port corrected: the saved answers of the printed lines hold only the service kept", async () => {
    const dir = shop();
    const r = await runCli([dir], {
      script: {
        confirm: (m) => !m.startsWith("Are these right"),
        multiselect: { "Which to correct?": ["(services)", "services/api", "services/gateway"] },
        answers: { services: ["services/api"], port: "3100" },
        select: { "Write these files?": ["cancel"] },
      },
    });
    expect(r.code).toBe(130);
    // The service left out is not asked about.
    expect(r.sections.some((s) => s.startsWith("services/gateway:"))).toBe(false);
    const printed = r.stdout.slice(r.stdout.indexOf("cat > "));
    const saved = /<<'EOF'\n([\s\S]*?)\nEOF\n/.exec(printed)![1]!;
    expect(saved).toMatch(/- path: services\/api\n\s+port: 3100(\n|$)/);
    expect(saved).not.toContain("gateway");
  });

  it("with --services or a --config file the services are not asked, not even after no to the facts", async () => {
    const script = { confirm: (m: string) => !m.startsWith("Are these right"), multiselect: {} };
    const dir = shop();
    const r = await runCli([dir, "--services", "services/api,services/gateway"], { script });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked).toContain("multiselect: Which to correct?");
    expect(r.asked).not.toContain("services");
    expect(answersOf(dir)).toContain("- path: services/gateway");
    const file = join(tempDir(), "answers.yaml");
    writeFileSync(file, answersOf(dir));
    const again = shop();
    const c = await runCli([again, "--config", file], { script });
    expect(c.stderr).toBe("");
    expect(c.code).toBe(0);
    expect(c.asked).toContain("multiselect: Which to correct?");
    expect(c.asked).not.toContain("services");
  });

  it("change an answer at the confirmation, then cancel: the printed lines, run with --yes, write what Yes would have written", async () => {
    const session = (last: string) => ({
      select: { "Write these files?": ["change", last], "Which answer?": ["services/api\tport"] },
      answers: { port: "3100", registry: "dockerhub" },
    });
    const cancelled = shop();
    const c = await runCli([cancelled], { script: session("cancel") });
    expect(c.code).toBe(130);
    expect(c.asked.filter((k) => k === "select: Write these files?")).toHaveLength(2);
    expect(existsSync(join(cancelled, ".create-pipeline.yaml"))).toBe(false);
    // An answer for one service is no flag (a flag sets every service): the lines save every
    // answer to a file with a here-document, and create reads it.
    const printed = c.stdout.slice(c.stdout.indexOf("cat > "));
    const saved = /<<'EOF'\n([\s\S]*?)\nEOF\n/.exec(printed)![1]!;
    expect(saved).toContain("registry: dockerhub");
    expect(saved).toMatch(/- path: services\/api\n\s+port: 3100\n/);
    expect(printed.trim()).toMatch(/--config "\$\{TMPDIR:-\/tmp\}\/create-pipeline-answers\.yaml" --yes$/);
    const file = join(tempDir(), "answers.yaml");
    writeFileSync(file, saved);
    const again = await runCli(["create", cancelled, "--config", file, "--yes"]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    const written = shop();
    const w = await runCli([written], { script: session("write") });
    expect(w.code).toBe(0);
    expect(entryOf(answersOf(written), "services/api")).toContain("port: 3100");
    // The same answers: every generated file the same (the answers file is the saved one, kept as
    // a --config file is), and check reads the same answers from both.
    const generated = (dir: string) => {
      const { ".create-pipeline.yaml": _a, ".create-pipeline/state.json": _s, ...rest } = readTree(dir);
      return rest;
    };
    expect(generated(cancelled)).toEqual(generated(written));
    expect(generated(written)["charts/hello-node/values.yaml"]).toMatch(/3100/);
    expect(generated(written)["charts/hello-go/values.yaml"]).not.toMatch(/3100/);
    // Both answers files read back as the files on disk: no drift.
    for (const dir of [cancelled, written]) {
      const r = await runCli(["check", dir]);
      expect(r.code, r.stdout).toBe(0);
    }
  });

  it("a start command a service's folder does not say is asked for that service, with nothing offered", async () => {
    const dir = shop();
    mkdirSync(join(dir, "services", "jobs", "jobs"), { recursive: true });
    writeFileSync(join(dir, "services", "jobs", "requirements.txt"), "requests==2.32.3\n");
    writeFileSync(join(dir, "services", "jobs", "jobs", "__init__.py"), "");
    const r = await runCli([dir], { script: { answers: { startCommand: "python -m jobs" } } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked.filter((k) => k === "startCommand")).toHaveLength(1);
    expect(r.sections).toContain("services/jobs: Service");
    expect(r.notes.find((n) => n.startsWith("About these 3 services"))).toMatch(/services\/jobs +.* given/);
    expect(entryOf(answersOf(dir), "services/jobs")).toContain("startCommand: python -m jobs");
  });

  it("a fact a service's folder does not say is marked as a guess in the facts table", async () => {
    const dir = shop();
    const main = join(dir, "services", "gateway", "main.go");
    writeFileSync(main, readFileSync(main, "utf8").replace('cmp.Or(os.Getenv("PORT"), "8080")', 'os.Getenv("PORT")'));
    const r = await runCli([dir], { script: {} });
    expect(r.code, r.stderr).toBe(0);
    const facts = r.notes.find((n) => n.startsWith("About these 2 services"))!;
    expect(facts).toMatch(/services\/gateway +hello-go +go 1\.\d+ +\d+\* /);
    expect(facts).toMatch(/services\/api +hello-node +node \d+ +3000 /);
    expect(facts).toContain("* not found in the service's folder: the pack's default, a guess");
  });
});
