// A repository of several services: create detects the service folders and writes one answers
// file (shared answers on top, per-service overrides below); add, update and check work on the
// whole repository, and a change to one service touches only its files.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir, unwrapReport } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");
const REACTOR = join(REPO, "test", "fixtures", "monorepos", "maven-reactor");

/** A polyglot repository: four services under services/, a library package, a README at the root. */
export function polyglot(): string {
  const dir = join(tempDir("cp-mono-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "python"), join(dir, "services", "worker"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  cpSync(join(SAMPLES, "java-maven"), join(dir, "services", "orders"), { recursive: true });
  mkdirSync(join(dir, "packages", "ui-kit"), { recursive: true });
  writeFileSync(join(dir, "packages", "ui-kit", "package.json"), JSON.stringify({ name: "@shop/ui-kit", version: "1.0.0", main: "index.js" }));
  writeFileSync(join(dir, "README.md"), "# shop\n");
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  return dir;
}

const read = (dir: string, p: string) => readFileSync(join(dir, p), "utf8");
const answers = (dir: string) => parseYaml(read(dir, ".create-pipeline.yaml")) as Record<string, unknown> & { services: Record<string, unknown>[] };
const changed = (r: { stdout: string }) =>
  (JSON.parse(r.stdout).files as { path: string; action: string }[]).filter((f) => f.action !== "keep" && f.action !== "skip").map((f) => f.path);

describe("create in a repository of several services", () => {
  it("leaves a Node.js background worker's folder out with why, and keeps the HTTP API", async () => {
    const dir = join(tempDir("cp-mono-"), "chat");
    cpSync(join(SAMPLES, "node"), join(dir, "api"), { recursive: true });
    mkdirSync(join(dir, "bot"), { recursive: true });
    writeFileSync(
      join(dir, "bot", "package.json"),
      JSON.stringify({ name: "bot", private: true, scripts: { start: "node bot.js" }, dependencies: { telegraf: "^4.16.3" } }),
    );
    writeFileSync(join(dir, "bot", "bot.js"), 'const { Telegraf } = require("telegraf");\nnew Telegraf(process.env.BOT_TOKEN).launch();\n');
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "https://github.com/acme/chat.git");
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Set up 1 service");
    expect(unwrapReport(r.stdout)).toMatch(
      /Not services \(left out\): bot \(a background worker with no network listener \(Node\.js, telegraf in package\.json\): bot\.js runs \.launch\(\)/,
    );
    expect(answers(dir).services.map((s) => s.path)).toEqual(["api"]);
    expect(existsSync(join(dir, "bot", "Dockerfile"))).toBe(false);

    // Named with --services, it is refused as it would be alone, with the flags that say it listens.
    const named = await runCli(["create", dir, "--yes", "--force", "--services", "api,bot"]);
    expect(named.code).toBe(2);
    expect(unwrapReport(named.stderr)).toMatch(/cannot make a pipeline for bot: a background worker with no network listener \(Node\.js, telegraf/);
    expect(unwrapReport(named.stderr)).toMatch(/`--port <port>`.*leave bot out of `--services`/);
    const insisted = await runCli(["create", dir, "--yes", "--force", "--services", "api,bot", "--port", "8080", "--allow-dirty"]);
    expect(insisted.code, insisted.stderr).toBe(0);
    expect(answers(dir).services.map((s) => s.path)).toEqual(["api", "bot"]);
  });

  it("detects every service folder, leaves a library out, and writes each service's files in its place", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Set up 4 services");
    expect(r.stdout).toMatch(/packages\/ui-kit \(a package without a start script/);
    const a = answers(dir);
    expect(a.services.map((s) => s.path)).toEqual(["services/api", "services/gateway", "services/orders", "services/worker"]);
    expect(a.services.map((s) => s.language)).toEqual(["node", "go", "java", "python"]);
    // Shared answers are at the top only; a service lists what differs.
    expect(a.registry).toBe("ghcr");
    expect(a.owner).toBe("acme");
    expect(a.services.every((s) => !("registry" in s) && !("owner" in s))).toBe(true);
    for (const s of a.services) {
      expect(existsSync(join(dir, String(s.path), "Dockerfile"))).toBe(true);
      expect(existsSync(join(dir, "charts", String(s.name), "Chart.yaml"))).toBe(true);
      const svc = JSON.parse(read(dir, `.github/services/${String(s.name)}.json`));
      expect(svc).toMatchObject({ name: s.name, path: s.path, language: s.language, chart: `charts/${String(s.name)}` });
    }
    // Each service is detected on its own: its start command and image entry point are its own,
    // never one service's (or the root's default) imposed on the others.
    const run = (p: string) =>
      read(dir, `${p}/Dockerfile`)
        .split("\n")
        .filter((l) => /^(?:CMD|ENTRYPOINT) /.test(l))
        .join(" ");
    expect(run("services/api")).toContain('CMD ["node", "server.js"]');
    expect(run("services/worker")).not.toMatch(/node|\/app\/gateway/);
    expect(run("services/gateway")).toMatch(/ENTRYPOINT \["\/app\/[\w-]+"/);
    expect(run("services/gateway")).not.toContain("node");
    expect(run("services/orders")).toContain('"-jar", "/app/app.jar"');
    expect(a.startCommand).toBeUndefined();
    // One set of root workflows and Argo CD objects, no per-service copies.
    expect(existsSync(join(dir, "Dockerfile"))).toBe(false);
    const appset = parseYaml(read(dir, "deploy/argocd/applicationset.yaml"));
    expect(appset.kind).toBe("ApplicationSet");
    const [services, envs] = appset.spec.generators[0].matrix.generators;
    expect(services.list.elements.map((e: { service: string }) => e.service)).toEqual(a.services.map((s) => s.name));
    expect(envs.list.elements).toEqual([{ env: "dev" }, { env: "prod" }]);
    const project = parseYaml(read(dir, "deploy/argocd/project.yaml"));
    expect(project.spec.destinations).toHaveLength(8);
    const ci = parseYaml(read(dir, ".github/workflows/ci.yml"));
    expect(Object.keys(ci.jobs)).toEqual(["changes", "test", "container", "passed", "result"]);
    expect(ci.jobs.test.defaults.run["working-directory"]).toBe("${{ matrix.service.workdir }}");
    const check = await runCli(["check", dir]);
    expect(check.stdout).toContain("No drift: 4 services");
    expect(check.code).toBe(0);
  });

  it("the root workflows and the ApplicationSet follow the repository's default branch", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes", "--default-branch", "develop"]);
    expect(r.code, r.stderr).toBe(0);
    const ci = parseYaml(read(dir, ".github/workflows/ci.yml"));
    expect(ci.on.pull_request.branches).toEqual(["develop"]);
    const delivery = parseYaml(read(dir, ".github/workflows/delivery.yml"));
    expect(delivery.on.push.branches).toEqual(["develop"]);
    // On the default branch CI runs inside Delivery, on the services Delivery picked, before anything is built.
    expect(Object.keys(ci.on).sort()).toEqual(["merge_group", "pull_request", "workflow_call"]);
    expect(delivery.jobs.ci.uses).toBe("./.github/workflows/ci.yml");
    expect(delivery.jobs.ci.needs).toBe("changes");
    expect(delivery.jobs.build.needs).toEqual(["changes", "ci"]);
    expect(read(dir, ".github/workflows/delivery.yml")).not.toMatch(/refs\/heads\/main|ref: main/);
    const appset = parseYaml(read(dir, "deploy/argocd/applicationset.yaml"));
    expect(appset.spec.template.spec.source.targetRevision).toBe("develop");
  });

  it("--json gives each shared answer its origin: detected, default or given, as for one service", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes", "--json", "--strategy", "canary"]);
    expect(r.code, r.stderr).toBe(0);
    const answers = JSON.parse(r.stdout).answers as Record<string, { value: unknown; origin: string }>;
    expect(answers.owner).toMatchObject({ value: "acme", origin: "detected" });
    expect(answers.registry).toMatchObject({ value: "ghcr", origin: "default" });
    expect(answers.strategy).toMatchObject({ value: "canary", origin: "given" });
    expect(new Set(Object.values(answers).map((a) => a.origin))).toEqual(new Set(["detected", "default", "given"]));
  });

  it("includes only the folders named by --services", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes", "--services", "services/api,services/worker"]);
    expect(r.code).toBe(0);
    expect(answers(dir).services.map((s) => s.path)).toEqual(["services/api", "services/worker"]);
    expect(existsSync(join(dir, "services/gateway/Dockerfile"))).toBe(false);
  });

  it("refuses a service folder outside the repository, writing nothing", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes", "--services", "services/api,../elsewhere"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("is not under the repository");
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    const missing = await runCli(["create", dir, "--yes", "--services", "services/nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("service folder 'services/nope' does not exist");
  });

  it("refuses a service whose package.json is not valid JSON, naming it with line and column, writing nothing", async () => {
    const dir = polyglot();
    writeFileSync(join(dir, "services", "api", "package.json"), '{\n  "name": "api",\n  "scripts": { "start": "node server.js", }\n}\n');
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.code, r.stderr).toBe(2);
    const text = unwrapReport(r.stderr);
    expect(text).toContain("cannot make a pipeline for services/api: package.json is not valid JSON");
    expect(text).toContain(`at: ${join(dir, "services", "api", "package.json")}:3:`);
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    // Left out, the other services go ahead.
    const rest = await runCli(["create", dir, "--yes", "--services", "services/worker,services/gateway"]);
    expect(rest.code, rest.stderr).toBe(0);
  });

  it("in a terminal, no to the facts offers which detected services to include", async () => {
    const dir = polyglot();
    const r = await runCli(["create", dir], {
      script: {
        confirm: (m) => !m.startsWith("Are these right"),
        multiselect: { "Which to correct?": ["(services)"] },
        answers: { services: ["services/gateway"] },
      },
    });
    expect(r.code).toBe(0);
    expect(r.asked.slice(0, 3)).toEqual(["confirm: Are these right?", "multiselect: Which to correct?", "services"]);
    expect(answers(dir).services.map((s) => s.path)).toEqual(["services/gateway"]);
  });

  it("says, per service, where each answer came from (the file it was read from, or defaulted and why); --json has it as result.services[].origins", async () => {
    const dir = polyglot();
    git(dir, "checkout", "-q", "-b", "master");
    const r = await runCli(["create", dir, "--yes", "--dry-run"]);
    expect(r.code).toBe(0);
    const text = unwrapReport(r.stdout);
    // Each service's section, with its detected answers' files and its defaulted ones flagged.
    const section = (p: string) => text.slice(text.indexOf(`${p} (from the repository):`)).split(/\n(?=services\/\w+ \(from)/)[0]!;
    expect(section("services/api")).toMatch(/language: node {2}\[from package\.json\]/);
    expect(section("services/orders")).toMatch(/buildTool: maven {2}\[from pom\.xml\]/);
    expect(section("services/worker")).toMatch(/language: python {2}\[from /);
    expect(section("services/api")).toMatch(/readinessPath: \S+ {2}\[DEFAULT: healthPath's value/);
    // The repository's branch is read at the root (a repository on master gets master, never main).
    expect(section("services/gateway")).toMatch(/defaultBranch: master {2}\[from \.git HEAD/);

    const j = JSON.parse((await runCli(["create", dir, "--yes", "--dry-run", "--json", "--port", "9000"])).stdout);
    const api = j.result.services.find((s: { path: string }) => s.path === "services/api");
    expect(api.origins.language).toEqual({ origin: "detected", from: "package.json" });
    expect(api.origins.port).toEqual({ origin: "given" });
    expect(api.origins.defaultBranch).toMatchObject({ origin: "detected" });
    expect(api.origins.lintCommand.origin).toMatch(/^(detected|default)$/);
    expect(Object.keys(api.origins).sort()).toEqual(Object.keys(api.answers).sort());
  });

  it("keeps a repository whose root is a service a one-service pipeline", async () => {
    const dir = join(tempDir("cp-mono-"), "app");
    cpSync(join(SAMPLES, "go"), dir, { recursive: true });
    cpSync(join(SAMPLES, "node"), join(dir, "web"), { recursive: true });
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code).toBe(0);
    expect(answers(dir).services).toBeUndefined();
    expect(existsSync(join(dir, "Dockerfile"))).toBe(true);
  });

  it("reads a Maven reactor's modules as services, with the parent's Java version", async () => {
    const dir = join(tempDir("cp-mono-"), "clinic");
    cpSync(REACTOR, dir, { recursive: true });
    const r = await runCli(["create", dir, "--yes", "--json", "--owner", "clinic"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.result.services.map((s: { path: string; answers: Record<string, unknown> }) => [s.path, s.answers.port, s.answers.languageVersion])).toEqual([
      ["clinic-api-gateway", 8080, "17"],
      ["clinic-config-server", 8888, "17"],
      ["clinic-customers-service", 8081, "17"],
    ]);
    // What every service shares is written once, at the top.
    const a = answers(dir);
    expect(a.languageVersion).toBe("17");
    // Each module's own start command (its jar's name) and test command (the module, from the
    // reactor root) are its own answers.
    expect(a.services[0]).toEqual({
      path: "clinic-api-gateway",
      name: "clinic-api-gateway",
      port: 8080,
      startCommand: "java -jar target/clinic-api-gateway-1.0.0.jar",
      testCommand: "mvn -B -ntp -pl clinic-api-gateway -am test",
    });
  });
});

describe("a change outside a service's folder that its build reads selects it", () => {
  const pick = (dir: string, base: string) => {
    const out = execFileSync("bash", [".github/scripts/changed-services.sh", base, "HEAD"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return (
      JSON.parse(
        out
          .split("\n")
          .find((l) => l.startsWith("services="))!
          .slice("services=".length),
      ) as { name: string }[]
    )
      .map((s) => s.name)
      .sort();
  };
  const change = (dir: string, file: string) => {
    const base = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, file), `${readFileSync(join(dir, file), "utf8")}\n`);
    git(dir, "commit", "-qam", `change ${file}`);
    return base;
  };

  it("a Go replace target, a workspace package, a reactor's sibling module and a nested parent pom", async () => {
    const dir = polyglot();
    // Go: the gateway replaces a module with a folder outside it.
    mkdirSync(join(dir, "libs", "greet"), { recursive: true });
    writeFileSync(join(dir, "libs", "greet", "go.mod"), "module example.com/greet\n\ngo 1.24\n");
    writeFileSync(join(dir, "libs", "greet", "greet.go"), "package greet\n");
    writeFileSync(join(dir, "services/gateway/go.mod"), `${read(dir, "services/gateway/go.mod")}\nreplace example.com/greet => ../../libs/greet\n`);
    // A Maven reactor below the root: its parent pom, a library module, and a service using it.
    cpSync(REACTOR, join(dir, "java"), { recursive: true });
    mkdirSync(join(dir, "java", "clinic-common"), { recursive: true });
    writeFileSync(
      join(dir, "java", "clinic-common", "pom.xml"),
      "<project><modelVersion>4.0.0</modelVersion><parent><groupId>org.example.clinic</groupId><artifactId>clinic-microservices</artifactId><version>1.0.0</version></parent><artifactId>clinic-common</artifactId></project>\n",
    );
    const parent = join(dir, "java", "pom.xml");
    writeFileSync(parent, readFileSync(parent, "utf8").replace("<modules>", "<modules>\n    <module>clinic-common</module>"));
    const pom = join(dir, "java", "clinic-config-server", "pom.xml");
    writeFileSync(
      pom,
      readFileSync(pom, "utf8").replace(
        "</project>",
        "<dependencies><dependency><groupId>org.example.clinic</groupId><artifactId>clinic-common</artifactId><version>1.0.0</version></dependency></dependencies></project>",
      ),
    );
    const r = await runCli(["create", dir, "--yes", "--services", "services/gateway,services/api,java/clinic-config-server,java/clinic-api-gateway"]);
    expect(r.code, r.stderr).toBe(0);
    const svc = (n: string) => JSON.parse(read(dir, `.github/services/${n}.json`)) as { watch: string[] };
    const gw = answers(dir).services.find((s) => s.path === "services/gateway")!.name as string;
    expect(svc(gw).watch).toEqual(["libs/greet"]);
    expect(svc("clinic-config-server").watch).toEqual(["java/clinic-common", "java/pom.xml"]);
    expect(svc("clinic-api-gateway").watch).toEqual(["java/pom.xml"]);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "create");
    expect(pick(dir, change(dir, "libs/greet/greet.go"))).toEqual([gw]);
    expect(pick(dir, change(dir, "java/clinic-common/pom.xml"))).toEqual(["clinic-config-server"]);
    expect(pick(dir, change(dir, "java/pom.xml"))).toEqual(["clinic-api-gateway", "clinic-config-server"]);
  });

  it("a workspace package a service uses, and what that package uses", async () => {
    const dir = join(tempDir("cp-mono-"), "shop");
    cpSync(join(REPO, "test", "fixtures", "monorepos", "npm-workspace"), dir, { recursive: true });
    mkdirSync(join(dir, "packages", "base"), { recursive: true });
    writeFileSync(join(dir, "packages", "base", "package.json"), JSON.stringify({ name: "@shop/base", version: "1.0.0" }));
    writeFileSync(join(dir, "packages", "base", "index.js"), "module.exports = {};\n");
    const greet = join(dir, "packages", "greet", "package.json");
    writeFileSync(greet, JSON.stringify({ ...JSON.parse(readFileSync(greet, "utf8")), dependencies: { "@shop/base": "1.0.0" } }));
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(read(dir, ".github/services/api.json")).watch).toEqual(["packages/base", "packages/greet"]);
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "create");
    expect(pick(dir, change(dir, "packages/base/index.js"))).toEqual(["api"]);
  });
});

describe("library modules are not services", () => {
  it("a Go module without a main package and a Java module without a main class are left out, and said so", async () => {
    const dir = polyglot();
    mkdirSync(join(dir, "libs", "greet"), { recursive: true });
    writeFileSync(join(dir, "libs", "greet", "go.mod"), "module example.com/greet\n\ngo 1.24\n");
    writeFileSync(join(dir, "libs", "greet", "greet.go"), 'package greet\n\nfunc Hello() string { return "hello" }\n');
    mkdirSync(join(dir, "libs", "common", "src", "main", "java", "org", "example"), { recursive: true });
    writeFileSync(
      join(dir, "libs", "common", "pom.xml"),
      "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId><artifactId>common</artifactId><version>1.0.0</version></project>\n",
    );
    writeFileSync(join(dir, "libs", "common", "src", "main", "java", "org", "example", "Names.java"), "package org.example;\n\npublic final class Names {}\n");
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("libs/greet (a Go module without a main package (a library))");
    expect(r.stdout).toContain("libs/common (a Java module without a main class or application plugin (a library))");
    expect(answers(dir).services.map((s) => s.path)).toEqual(["services/api", "services/gateway", "services/orders", "services/worker"]);
  });
});

describe("Dependabot for a Go service built from a folder above it", () => {
  it("reads go.mod in the service's own folder, not the build context's", async () => {
    const dir = polyglot();
    // A replace directive to a module outside the service: the image is built from the root.
    mkdirSync(join(dir, "libs", "greet"), { recursive: true });
    writeFileSync(join(dir, "libs", "greet", "go.mod"), "module example.com/greet\n\ngo 1.24\n");
    writeFileSync(join(dir, "libs", "greet", "greet.go"), 'package greet\n\nfunc Hello() string { return "hello" }\n');
    const mod = join(dir, "services", "gateway", "go.mod");
    writeFileSync(mod, `${read(dir, "services/gateway/go.mod")}\nrequire example.com/greet v0.0.0\n\nreplace example.com/greet => ../../libs/greet\n`);
    const r = await runCli(["create", dir, "--yes", "--services", "services/gateway,services/api"]);
    expect(r.code, r.stderr).toBe(0);
    const name = (answers(dir).services.find((x) => x.path === "services/gateway")?.name ?? "") as string;
    expect(JSON.parse(read(dir, `.github/services/${name}.json`)).context).toBe(".");
    const updates = (parseYaml(read(dir, ".github/dependabot.yml")) as { updates: { "package-ecosystem": string; directory?: string }[] }).updates;
    expect(updates.filter((u) => u["package-ecosystem"] === "gomod").map((u) => u.directory)).toEqual(["/services/gateway"]);
  });
});

describe("an answer without a default, given per service only", () => {
  it("a public host per service with none at the top; a service without one is named", async () => {
    const dir = polyglot();
    const cfg = join(dir, "answers.yaml");
    const entries = (withLast: boolean) =>
      ["services/api", "services/gateway", "services/orders", "services/worker"]
        .map((p, i) => `  - path: ${p}\n${i < 3 || withLast ? `    ingressHost: s${i}.example.org\n` : ""}`)
        .join("");
    writeFileSync(cfg, `owner: acme\ningress: true\nservices:\n${entries(false)}`);
    const refused = await runCli(["create", dir, "--yes", "--config", cfg]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/service services\/worker: missing required answer: ingressHost/);
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    writeFileSync(cfg, `owner: acme\ningress: true\nservices:\n${entries(true)}`);
    const r = await runCli(["create", dir, "--yes", "--config", cfg]);
    expect(r.code, r.stderr).toBe(0);
    const byPath = new Map(
      readdirSync(join(dir, ".github/services")).map((f) => {
        const svc = JSON.parse(read(dir, `.github/services/${f}`)) as { path: string; name: string };
        return [svc.path, svc.name];
      }),
    );
    for (const [i, p] of ["services/api", "services/gateway", "services/orders", "services/worker"].entries())
      expect(read(dir, `charts/${byPath.get(p)}/values-prod.yaml`)).toContain(`host: "s${i}.example.org"`);
    expect((await runCli(["check", dir])).code).toBe(0);
  });
});

describe("create --config with answers given beside it", () => {
  it("records the flags and --set in the answers file, so check finds no drift and update keeps them", async () => {
    const dir = polyglot();
    const cfg = join(dir, "answers.yaml");
    writeFileSync(cfg, "# our services\nowner: acme\nservices:\n  - path: services/api\n  - path: services/worker\n    port: 9000\n");
    const r = await runCli(["create", dir, "--yes", "--config", cfg, "--registry", "dockerhub", "--port", "8081", "--set", "strategy=canary"]);
    expect(r.code, r.stderr).toBe(0);
    const a = answers(dir);
    expect(a).toMatchObject({ owner: "acme", registry: "dockerhub", port: 8081, strategy: "canary" });
    // The file's own text is kept; a service's own answer still wins over the flag at the top.
    expect(read(dir, ".create-pipeline.yaml")).toContain("# our services");
    expect(a.services.find((s) => s.path === "services/worker")?.port).toBe(9000);
    // The files follow the flags: the api service's chart serves on the flag's port.
    const byPath = new Map(
      readdirSync(join(dir, ".github/services")).map((f) => {
        const svc = JSON.parse(read(dir, `.github/services/${f}`)) as { path: string; name: string };
        return [svc.path, svc.name];
      }),
    );
    expect(read(dir, `charts/${byPath.get("services/api")}/values.yaml`)).toMatch(/\b8081\b/);
    expect(read(dir, `charts/${byPath.get("services/worker")}/values.yaml`)).toMatch(/\b9000\b/);
    const check = await runCli(["check", dir]);
    expect(check.code, check.stdout).toBe(0);
    commitAll(dir);
    const u = await runCli(["update", dir, "--json"]);
    expect(u.code, u.stderr).toBe(0);
    expect(changed(u)).toEqual([]);
  });
});

describe("a service whose start command is not found", () => {
  /** The polyglot repository and a Python service with dependencies but nothing that starts it. */
  const withJobs = () => {
    const dir = polyglot();
    mkdirSync(join(dir, "services", "jobs", "jobs"), { recursive: true });
    writeFileSync(join(dir, "services", "jobs", "requirements.txt"), "requests==2.32.3\n");
    writeFileSync(join(dir, "services", "jobs", "jobs", "__init__.py"), "");
    writeFileSync(join(dir, "services", "jobs", "jobs", "sync.py"), "def run():\n    return 0\n");
    return dir;
  };

  it("is refused like one service: exit 2, what was looked for, how to give it, nothing written", async () => {
    const dir = withJobs();
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.code).toBe(2);
    const msg = unwrapReport(r.stderr);
    expect(msg).toContain("service services/jobs: no start command found");
    expect(msg).toMatch(/Procfile/);
    expect(msg).toContain("- path: services/jobs / startCommand:");
    expect(msg).toContain("--services services/api,services/gateway,services/orders,services/worker");
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    expect(existsSync(join(dir, "services/api/Dockerfile"))).toBe(false);
  });

  it("its start command given under its entry in the services list is used, the others' detected", async () => {
    const dir = withJobs();
    const cfg = join(dir, "answers.yaml");
    const paths = ["services/api", "services/gateway", "services/jobs", "services/orders", "services/worker"];
    writeFileSync(
      cfg,
      `owner: acme\nservices:\n${paths.map((p) => `  - path: ${p}\n${p === "services/jobs" ? "    startCommand: python -m jobs.sync\n" : ""}`).join("")}`,
    );
    const r = await runCli(["create", dir, "--yes", "--config", cfg]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, "services/jobs/Dockerfile")).toMatch(/CMD \["python", "-m", "jobs\.sync"\]/);
    expect(read(dir, "services/api/Dockerfile")).toContain('CMD ["node", "server.js"]');
    // Left out with --services, the rest is created.
    const other = withJobs();
    const left = await runCli(["create", other, "--yes", "--services", "services/api,services/worker"]);
    expect(left.code, left.stderr).toBe(0);
    expect(existsSync(join(other, "services/jobs/Dockerfile"))).toBe(false);
  });
});

describe("a JavaScript workspace's package manager is its root's, for every member", () => {
  /** A workspace at `ws` (relative folder) with two members that have no lockfile of their own. */
  function workspace(files: Record<string, string>, ws = "."): string {
    const dir = join(tempDir("cp-mono-"), "shop");
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(dir, ws, f, ".."), { recursive: true });
      writeFileSync(join(dir, ws, f), text);
    }
    for (const name of ["api", "web"]) {
      mkdirSync(join(dir, ws, "services", name), { recursive: true });
      writeFileSync(
        join(dir, ws, "services", name, "package.json"),
        JSON.stringify({ name, scripts: { start: "node server.js", test: "node --test", lint: "eslint ." } }),
      );
      writeFileSync(join(dir, ws, "services", name, "server.js"), "require('node:http').createServer().listen(process.env.PORT || 3000);\n");
    }
    return dir;
  }
  const facts = async (dir: string) => {
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    return ["api", "web"].map((n) => {
      const s = JSON.parse(read(dir, `.github/services/${n}.json`));
      return [s.packageManager, s.testCommand, s.lintCommand, s.context];
    });
  };

  it.each([
    [
      "pnpm-lock.yaml and pnpm-workspace.yaml",
      { "package.json": '{"private":true}', "pnpm-workspace.yaml": "packages: [services/*]\n", "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" },
      "pnpm",
    ],
    ["pnpm-workspace.yaml without a root package.json", { "pnpm-workspace.yaml": "packages: [services/*]\n" }, "pnpm"],
    ["the root's packageManager field", { "package.json": '{"private":true,"workspaces":["services/*"],"packageManager":"pnpm@10.0.0"}' }, "pnpm"],
    ["yarn.lock with workspaces", { "package.json": '{"private":true,"workspaces":["services/*"]}', "yarn.lock": "# yarn lockfile v1\n" }, "yarn"],
  ])("%s", async (_label, files, pm) => {
    const dir = workspace(files);
    const run = pm === "npm" ? "npm run lint" : `${pm} lint`;
    expect(await facts(dir)).toEqual([
      [pm, `${pm} test`, run, "."],
      [pm, `${pm} test`, run, "."],
    ]);
  });

  it("a pnpm workspace in a folder of a polyglot repository", async () => {
    const dir = workspace(
      { "package.json": '{"private":true}', "pnpm-workspace.yaml": "packages: [services/*]\n", "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" },
      "web",
    );
    cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
    expect(await facts(dir)).toEqual([
      ["pnpm", "pnpm test", "pnpm lint", "web"],
      ["pnpm", "pnpm test", "pnpm lint", "web"],
    ]);
  });
});

describe("update, check and add on the whole repository", () => {
  async function created(): Promise<string> {
    const dir = polyglot();
    const r = await runCli(["create", dir, "--yes"]);
    expect(r.code).toBe(0);
    commitAll(dir, "create");
    return dir;
  }

  it("check reports a missing or stale schema copy of the answers, and update writes it back", async () => {
    const dir = await created();
    const schema = join(dir, ".create-pipeline/answers.schema.json");
    const good = read(dir, ".create-pipeline/answers.schema.json");
    writeFileSync(schema, good.replace('"properties"', '"x-stale": true, "properties"'));
    const check = await runCli(["check", dir]);
    expect(check.code).toBe(3);
    expect(check.stdout).toContain(".create-pipeline/answers.schema.json, the schema of the answers, is out of date.");
    const json = JSON.parse((await runCli(["check", dir, "--json"])).stdout);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: "drift", path: ".create-pipeline/answers.schema.json" }));
    expect((await runCli(["update", dir, "--allow-dirty"])).code).toBe(0);
    expect(read(dir, ".create-pipeline/answers.schema.json")).toBe(good);
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("--reconfigure asks the shared questions again with the current answers as defaults, and writes what changed at the top", async () => {
    const dir = await created();
    const before = read(dir, ".create-pipeline.yaml");
    const r = await runCli(["update", dir, "--reconfigure", "--allow-dirty"], { script: { answers: { environments: ["dev", "staging", "prod"] } } });
    expect(r.code, r.stderr).toBe(0);
    // Shared questions were asked; a service's own answers were not.
    expect(r.asked).toContain("environments");
    expect(r.asked).toContain("registry");
    expect(r.asked).not.toContain("port");
    const after = answers(dir);
    expect(after.environments).toEqual(["dev", "staging", "prod"]);
    expect(after.registry).toBe("ghcr");
    expect(after.services).toEqual(parseYaml(before).services);
    for (const s of after.services) expect(existsSync(join(dir, "charts", String(s.name), "values-staging.yaml"))).toBe(true);
    expect((await runCli(["check", dir])).code).toBe(0);
    // Without a terminal it says what to do instead.
    const no = await runCli(["update", dir, "--reconfigure"]);
    expect(no.code).toBe(2);
    expect(unwrapReport(no.stderr)).toContain("--reconfigure asks the shared questions again, which needs a terminal");
  });

  it("an answer changed for one service touches only that service's files", async () => {
    const dir = await created();
    const name = String(answers(dir).services.find((s) => s.path === "services/gateway")!.name);
    const text = read(dir, ".create-pipeline.yaml").replace(/(path: services\/gateway\n(?: {4}.*\n)*? {4}port: )\d+/, "$19090");
    expect(text).toContain("9090");
    writeFileSync(join(dir, ".create-pipeline.yaml"), text);
    const check = await runCli(["check", dir, "--json"]);
    expect(check.code).toBe(3);
    const r = await runCli(["update", dir, "--json", "--allow-dirty"]);
    expect(r.code).toBe(0);
    const paths = changed(r).filter((p) => !p.startsWith(".create-pipeline"));
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.startsWith("services/gateway/") || p.startsWith(`charts/${name}/`) || p === `.github/services/${name}.json`).toBe(true);
    expect(read(dir, "services/gateway/Dockerfile")).toContain("EXPOSE 9090");
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("update --services <folder> with an answer flag changes that service's answer only: written under its item, only its files change", async () => {
    const dir = await created();
    const before = answers(dir);
    const name = String(before.services.find((s) => s.path === "services/gateway")!.name);
    const r = await runCli(["update", dir, "--services", "services/gateway", "--port", "9090", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const paths = changed(r).filter((p) => !p.startsWith(".create-pipeline"));
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.startsWith("services/gateway/") || p.startsWith(`charts/${name}/`) || p === `.github/services/${name}.json`).toBe(true);
    const after = answers(dir);
    expect(after.services.find((s) => s.path === "services/gateway")!.port).toBe(9090);
    // the other services and the top as they were
    for (const s of after.services.filter((x) => x.path !== "services/gateway")) expect(s).toEqual(before.services.find((b) => b.path === s.path));
    expect(after.port).toBe(before.port);
    expect(read(dir, "services/gateway/Dockerfile")).toContain("EXPOSE 9090");
    expect((await runCli(["check", dir])).code).toBe(0);
    // Without --services a service answer is still refused (it would set every service), and says how.
    const all = await runCli(["update", dir, "--port", "9191"]);
    expect(all.code).toBe(2);
    expect(unwrapReport(all.stderr)).toContain("--services <folder,...>");
    // A folder that is not in the list is named, with the ones that are.
    const wrong = await runCli(["update", dir, "--services", "services/nope", "--port", "9191"]);
    expect(wrong.code).toBe(2);
    expect(unwrapReport(wrong.stderr)).toContain("--services: 'services/nope' is not in the services list");
    expect(unwrapReport(wrong.stderr)).toContain("services/gateway");
  });

  it("update --reconfigure --services asks that service's own questions again, current answers as defaults; only its files change", async () => {
    const dir = await created();
    const before = answers(dir);
    const name = String(before.services.find((s) => s.path === "services/api")!.name);
    const r = await runCli(["update", dir, "--reconfigure", "--services", "services/api"], { script: { answers: { port: 8181 } } });
    expect(r.code, r.stderr).toBe(0);
    // The service's own questions, not the shared ones.
    expect(r.asked).toContain("port");
    expect(r.asked).not.toContain("registry");
    expect(r.asked).not.toContain("environments");
    // What git sees changed since the create's commit.
    const paths = git(dir, "status", "--porcelain", "--untracked-files=all")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3))
      .filter((p) => !p.startsWith(".create-pipeline"));
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.startsWith("services/api/") || p.startsWith(`charts/${name}/`) || p === `.github/services/${name}.json`).toBe(true);
    const after = answers(dir);
    expect(after.services.find((s) => s.path === "services/api")!.port).toBe(8181);
    for (const s of after.services.filter((x) => x.path !== "services/api")) expect(s).toEqual(before.services.find((b) => b.path === s.path));
    expect((await runCli(["check", dir])).code).toBe(0);
    // --services with one service at the root is refused.
    const one = join(tempDir("cp-one-"), "svc");
    expect((await runCli(["create", one, "--yes", "--owner", "acme"])).code).toBe(0);
    const refused = await runCli(["update", one, "--services", "x"]);
    expect(refused.code).toBe(2);
    expect(unwrapReport(refused.stderr)).toContain("this one has one service at its root");
  });

  it("a service question that applies only after a changed answer is asked in a terminal, and shown as defaulted without one", async () => {
    const dir = await created();
    expect(answers(dir).services.find((s) => s.path === "services/api")!.grpcHealth).toBeUndefined();
    // In a terminal: protocol http → grpc makes grpcHealth apply; it is asked after protocol.
    const r = await runCli(["update", dir, "--reconfigure", "--services", "services/api", "--allow-dirty"], {
      script: { answers: { protocol: "grpc", grpcHealth: true } },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.asked).toContain("grpcHealth");
    expect(r.asked.indexOf("grpcHealth")).toBeGreaterThan(r.asked.indexOf("protocol"));
    const api = answers(dir).services.find((s) => s.path === "services/api")!;
    expect(api.protocol).toBe("grpc");
    expect(api.grpcHealth).toBe(true);
    expect(r.stdout).toContain("grpcHealth: (none) → true");
    expect(r.stdout).not.toContain("DEFAULT");
    // Without a terminal: the flag changes protocol; grpcHealth takes its default, and says so.
    const other = await created();
    const no = await runCli(["update", other, "--services", "services/api", "--protocol", "grpc"]);
    expect(no.code, no.stderr).toBe(0);
    const said = unwrapReport(no.stdout);
    expect(said).toContain("What changes in services/api:");
    expect(said).toContain("protocol: http → grpc");
    expect(said).toContain(
      "grpcHealth: (none) → false (DEFAULT: it applies now; check it, or set it with --grpc-health / --no-grpc-health --services services/api)",
    );
  });

  it("add writes the new service's files and changes only shared files besides", async () => {
    const dir = polyglot();
    expect((await runCli(["create", dir, "--yes", "--services", "services/api,services/worker"])).code).toBe(0);
    commitAll(dir, "create");
    const r = await runCli(["add", "services/gateway", "--json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const paths = changed(r);
    const names = answers(dir).services.map((s) => String(s.name));
    expect(paths).toContain("services/gateway/Dockerfile");
    expect(paths).toContain(`charts/${names[2]}/Chart.yaml`);
    for (const p of paths) {
      for (const other of [
        "services/api/",
        "services/worker/",
        `charts/${names[0]}/`,
        `charts/${names[1]}/`,
        `.github/services/${names[0]}.json`,
        `.github/services/${names[1]}.json`,
      ])
        expect(p.startsWith(other)).toBe(false);
    }
    expect(answers(dir).services.map((s) => s.path)).toEqual(["services/api", "services/worker", "services/gateway"]);
    expect((await runCli(["check", dir])).code).toBe(0);
    const again = await runCli(["add", "services/gateway"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already in .create-pipeline.yaml");
    const outside = await runCli(["add", "../other"], { cwd: dir });
    expect(outside.code).toBe(2);
    expect(unwrapReport(outside.stderr)).toContain("is not under the repository");
  });

  it("removing a service from the list deletes the files it was given (the answers committed with the state show them); an edited one is kept", async () => {
    const dir = await created();
    const worker = String(answers(dir).services.find((s) => s.path === "services/worker")!.name);
    const a = read(dir, ".create-pipeline.yaml");
    const without = a.replace(/ {2}- path: services\/worker\n(?: {4}.*\n)*/, "");
    expect(without).not.toContain("services/worker");
    writeFileSync(join(dir, ".create-pipeline.yaml"), without);
    writeFileSync(join(dir, `charts/${worker}/values.yaml`), `${read(dir, `charts/${worker}/values.yaml`)}# ours\n`);
    commitAll(dir, "drop worker");
    const r = await runCli(["update", dir, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const files = JSON.parse(r.stdout).files as { path: string; action: string; unproven?: boolean }[];
    const deleted = files.filter((f) => f.action === "delete").map((f) => f.path);
    expect(deleted).toEqual(expect.arrayContaining(["services/worker/Dockerfile", `charts/${worker}/Chart.yaml`, `.github/services/${worker}.json`]));
    for (const p of deleted) expect(existsSync(join(dir, p))).toBe(false);
    // The service's own code and the values file the team edited stay.
    expect(existsSync(join(dir, "services/worker/app.py"))).toBe(true);
    expect(read(dir, `charts/${worker}/values.yaml`)).toContain("# ours");
    expect(files.find((f) => f.path === `charts/${worker}/values.yaml`)).toMatchObject({ action: "keep" });
    expect(read(dir, "deploy/argocd/applicationset.yaml")).not.toContain(`service: ${worker}`);
    commitAll(dir, "update");
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("a service removed in the same commit that changed the state: nothing shows the files are the tool's, so update keeps and lists them", async () => {
    const dir = await created();
    const a = read(dir, ".create-pipeline.yaml");
    writeFileSync(join(dir, ".create-pipeline.yaml"), a.replace(/ {2}- path: services\/worker\n(?: {4}.*\n)*/, ""));
    // The state rewritten in the same commit (its content unchanged): that commit's answers are the new ones.
    writeFileSync(join(dir, ".create-pipeline/state.json"), JSON.stringify(JSON.parse(read(dir, ".create-pipeline/state.json"))));
    commitAll(dir, "drop worker");
    const r = await runCli(["update", dir]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "services/worker/Dockerfile"))).toBe(true);
    expect(r.stdout).toContain("Kept, not deleted");
    expect(r.stdout.replace(/\s+/g, " ")).toMatch(
      /services\/worker\/Dockerfile: the template pack does not generate it from the answers in \.create-pipeline\.yaml/,
    );
    // The next run no longer lists them: the state left them out; the team deletes them.
    const text = await runCli(["update", dir, "--dry-run"]);
    expect(text.stdout).not.toContain("Kept, not deleted");
  });

  it("refuses unknown and misplaced keys in the services list, naming the line", async () => {
    const dir = await created();
    const a = read(dir, ".create-pipeline.yaml");
    writeFileSync(join(dir, ".create-pipeline.yaml"), a.replace("  - path: services/api\n", "  - path: services/api\n    registry: dockerhub\n"));
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'registry' is shared by every service");
    expect(r.stderr).toMatch(/\.create-pipeline\.yaml:\d+:\d+/);
    writeFileSync(join(dir, ".create-pipeline.yaml"), a.replace("  - path: services/api\n", "  - path: ../api\n"));
    const out = await runCli(["check", dir]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("is not under the repository");
  });
});

describe("a one-service repository with a separate config repository (--gitops-repo)", () => {
  /** A one-service repository: the service at the root. */
  const oneService = () => {
    const dir = join(tempDir("cp-one-gitops-"), "hello");
    cpSync(join(SAMPLES, "node"), dir, { recursive: true });
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "https://github.com/acme/hello.git");
    return dir;
  };

  it("is set up as a repository of one service (--services .), which create, update and check then handle", async () => {
    const dir = oneService();
    const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--gitops-repo", "acme/config"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.replace(/\s+/g, " ")).toContain(
      "--gitops-repo is supported for a repository of several services: setting this one up as a repository of one service (--services .)",
    );
    const a = answers(dir);
    expect(a.gitopsRepo).toBe("acme/config");
    expect(a.services.map((s) => s.path)).toEqual(["."]);
    // The promotion writes to the config repository.
    expect(read(dir, ".github/workflows/delivery.yml")).toContain("TARGET_REPOSITORY: acme/config");
    commitAll(dir);
    const check = await runCli(["check", dir]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const update = await runCli(["update", dir, "--yes"]);
    expect(update.code, update.stdout + update.stderr).toBe(0);
    expect(update.stdout).toContain("Nothing to update");
  });

  it("where it cannot be (a new folder), the refusal names the command that works", async () => {
    const dir = join(tempDir("cp-one-gitops-new-"), "fresh");
    const r = await runCli([
      "create",
      dir,
      "--yes",
      "--owner",
      "acme",
      "--language",
      "node",
      "--start-command",
      "node index.js",
      "--gitops-repo",
      "acme/config",
    ]);
    expect(r.code).toBe(2);
    const said = r.stderr.replace(/\s+/g, " ");
    expect(said).toContain("gitopsRepo is supported for a repository of several services only, so far");
    expect(said).toMatch(/ create \S*fresh --services \. --gitops-repo acme\/config`/);
    expect(existsSync(dir)).toBe(false);
  });
});

/** Two services (Node, Go) that both serve /healthz, made by create and committed: their shared answers sit at the top. */
async function twoHealthz(...createFlags: string[]): Promise<string> {
  const dir = join(tempDir("cp-add-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gw"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  const r = await runCli(["create", dir, "--yes", "--owner", "acme", ...createFlags]);
  expect(r.code, r.stderr).toBe(0);
  commitAll(dir, "create");
  return dir;
}

/** A Flask worker serving /health (not the others' /healthz). */
function flaskWorker(dir: string): void {
  mkdirSync(join(dir, "services", "worker"), { recursive: true });
  writeFileSync(join(dir, "services", "worker", "requirements.txt"), "flask\ngunicorn\n");
  writeFileSync(
    join(dir, "services", "worker", "app.py"),
    'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/health")\ndef health():\n    return "ok"\n',
  );
}

describe("add a service whose own facts differ from the shared answers", () => {
  it("takes its detected health path (and what follows from it) as its own, shown as detected, and writes it in its chart", async () => {
    const dir = await twoHealthz();
    expect(read(dir, ".create-pipeline.yaml")).toMatch(/^healthPath: \/healthz$/m);
    flaskWorker(dir);
    const dry = await runCli(["add", "services/worker", "--dry-run"], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Would add service services\/worker \(worker\)\.\nDry run, nothing written\./);
    expect(dry.stdout).not.toContain("Added service");
    const answers = dry.stdout.slice(dry.stdout.indexOf("Answers of services/worker"));
    expect(answers).toMatch(/^ {2}healthPath: \/health \(detected\)$/m);
    // gunicorn's own default port: nothing in the worker sets one, so it is a default to check.
    expect(answers).toMatch(/^ {2}port: 8000 \(default\)$/m);
    expect(answers).toMatch(/^ {2}livenessPath: \/health \(default\)$/m);
    expect(answers).toMatch(/^ {2}readinessPath: \/health \(default\)$/m);
    const r = await runCli(["add", "services/worker"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Added service services\/worker \(worker\)\./);
    const item = read(dir, ".create-pipeline.yaml").split("- path: services/worker")[1]!;
    expect(item).toMatch(/^ {4}healthPath: \/health$/m);
    expect(item).toMatch(/^ {4}livenessPath: \/health$/m);
    const values = read(dir, "charts/worker/values.yaml");
    expect(values).toMatch(/healthPath: "?\/health"?$/m);
    expect(values).not.toContain("/healthz");
    // The others keep the shared answers.
    expect(read(dir, "charts/hello-node/values.yaml")).toContain("/healthz");
    const check = await runCli(["check", dir]);
    expect(check.code, check.stdout).toBe(0);
  });
});

describe("origins after create, in a repository of several services", () => {
  it("update, check and add keep each answer's recorded origin (detected, default); an answer edited in the file is given", async () => {
    const dir = await twoHealthz();
    const dry = await runCli(["update", dir, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}owner: acme \(given\)$/m);
    expect(dry.stdout).toMatch(/^ {2}registry: ghcr \(default\)$/m);
    const api = dry.stdout.slice(dry.stdout.indexOf("Answers of services/api"));
    expect(api).toMatch(/^ {2}port: 3000 \(detected\)$/m);
    expect(api).toMatch(/^ {2}healthPath: \/healthz \(detected\)$/m);
    const check = await runCli(["check", dir, "--json"]);
    expect(check.code, check.stdout).toBe(0);
    const j = JSON.parse(check.stdout);
    expect(j.answers.registry).toEqual({ value: "ghcr", origin: "default" });
    expect(j.answers.owner).toEqual({ value: "acme", origin: "given" });
    const checkedApi = j.result.services.find((s: { path: string }) => s.path === "services/api");
    expect(checkedApi.origins.port.origin).toBe("detected");
    expect(checkedApi.origins.healthPath.origin).toBe("detected");
    // An answer edited in the file is given from then on.
    writeFileSync(join(dir, ".create-pipeline.yaml"), read(dir, ".create-pipeline.yaml").replace("port: 3000", "port: 3001"));
    const edited = JSON.parse((await runCli(["update", dir, "--json", "--allow-dirty"])).stdout);
    const editedApi = edited.result.services.find((s: { path: string }) => s.path === "services/api");
    expect(editedApi.origins.port.origin).toBe("given");
    expect(editedApi.origins.startCommand.origin).toBe("detected");
    expect(edited.answers.registry.origin).toBe("default");
    commitAll(dir, "port");
    flaskWorker(dir);
    const add = await runCli(["add", "services/worker", "--json"], { cwd: dir });
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added.answers.registry.origin).toBe("default");
    const byPath = (p: string) => added.result.services.find((s: { path: string }) => s.path === p).origins;
    expect(byPath("services/api").port.origin).toBe("given");
    expect(byPath("services/gw").port.origin).toBe("detected");
    expect(byPath("services/worker").port.origin).toBe("default"); // gunicorn's default port
    expect(byPath("services/worker").port.note).toMatch(/^gunicorn's default port \(nothing in the repository sets the port\)$/);
    expect(byPath("services/worker").language.origin).toBe("detected");
  });
});

describe("add with a separate config repository", () => {
  it("says that the config repository needs the new service's values files, and the command that writes them", async () => {
    const dir = await twoHealthz("--gitops-repo", "acme/shop-config");
    flaskWorker(dir);
    const r = await runCli(["add", "services/worker"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Added service services\/worker \(worker\)\.\nBefore its first promotion, the config repository acme\/shop-config needs its values files/,
    );
    expect(r.stdout).toMatch(/`npx @create-pipeline\/cli@\d+\.\d+\.\d+ create --config-repo-for <this repository's folder>`/);
    // Without a config repository, nothing of it is said.
    const plain = await twoHealthz();
    flaskWorker(plain);
    const p = await runCli(["add", "services/worker"], { cwd: plain });
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).not.toContain("config repository");
  });
});
