/**
 * A service whose build reads files above its folder — a Maven module whose parent pom is the
 * reactor's root, a workspace package whose lockfile is the workspace root's — is built from that
 * root, with its own Dockerfile and a Dockerfile.dockerignore beside it. Proof without a container
 * engine: the generated Dockerfile's build steps are replayed on the context BuildKit would send
 * (test/support/docker-replay.ts), offline, and the result starts and answers.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { replayDockerBuild } from "../support/docker-replay.js";

const MONOREPOS = join(REPO, "test", "fixtures", "monorepos");
type Step = { name?: string; run?: string; env?: Record<string, string> };
const json = (dir: string, p: string) => JSON.parse(readFileSync(join(dir, p), "utf8"));

async function get(port: number, path: string, deadline = Date.now() + 15_000): Promise<{ status: number; body: string }> {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: r.status, body: await r.text() };
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe("the build context of a service that needs its workspace or reactor root", () => {
  it("an npm workspace package is built from the workspace root: its install finds the root lockfile and the workspace package it uses", async () => {
    const dir = join(tempDir("cp-ctx-"), "shop");
    cpSync(join(MONOREPOS, "npm-workspace"), dir, { recursive: true });
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    const svc = json(dir, ".github/services/api.json");
    expect(svc).toMatchObject({ path: "services/api", context: ".", dockerfile: "services/api/Dockerfile" });
    expect(existsSync(join(dir, "services/api/.dockerignore"))).toBe(false);
    expect(readFileSync(join(dir, "services/api/Dockerfile.dockerignore"), "utf8")).toContain("**/node_modules/");
    const ci = readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8");
    expect(ci).toContain("context: ${{ matrix.service.context }}");

    // CI installs where the image build does (the workspace root), then tests in the service's folder.
    const ciSteps = (parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as { jobs: { test: { steps: { name?: string; run?: string }[] } } })
      .jobs.test.steps;
    const install = ciSteps.find((st) => st.name === "Install dependencies (Node.js)")!;
    const env = { ...process.env, PACKAGE_MANAGER: svc.packageManager, npm_config_offline: "true" };
    const installed = spawnSync("bash", ["-eo", "pipefail", "-c", install.run!], { cwd: join(dir, svc.context), encoding: "utf8", env, timeout: 300_000 });
    expect(installed.status, `${installed.stdout}${installed.stderr}`).toBe(0);
    const test = spawnSync("bash", ["-eo", "pipefail", "-c", svc.testCommand], { cwd: join(dir, svc.path), encoding: "utf8", env, timeout: 300_000 });
    expect(test.status, `${test.stdout}${test.stderr}`).toBe(0);

    const work = tempDir("cp-replay-");
    const b = replayDockerBuild({
      context: join(dir, svc.context),
      dockerfile: join(dir, svc.dockerfile),
      work,
      skipRunIn: ["runtime"],
      env: { npm_config_offline: "true" },
    });
    expect(b.failure).toBeUndefined();
    // What the context held: the root lockfile and the library, not the generated deployment files.
    expect(b.contextFiles).toContain("package-lock.json");
    expect(b.contextFiles).toContain("packages/greet/index.js");
    expect(b.contextFiles.filter((f) => f.startsWith("charts/") || f.startsWith(".github/"))).toEqual([]);
    // The image's working folder is the service's; its start command runs there and answers.
    const wd = b.workdirs.get("runtime")!;
    expect(wd.endsWith(join("app", "services", "api"))).toBe(true);
    const port = 20000 + (process.pid % 20000);
    const child = spawn("node", ["server.js"], { cwd: wd, env: { ...process.env, PORT: String(port), NODE_ENV: "production" }, stdio: "ignore" });
    try {
      expect(await get(port, "/healthz")).toEqual({ status: 200, body: "ok" });
      expect((await get(port, "/")).body).toBe("hello, shop");
    } finally {
      child.kill();
    }
  }, 120_000);

  it("a pnpm workspace (below the root of a polyglot repository) installs with pnpm: CI's install and test and the image build", async () => {
    // The workspace root holds pnpm-workspace.yaml and pnpm-lock.yaml; the service has neither a
    // lockfile nor a packageManager field, and uses a workspace package through the workspace:
    // protocol, which npm cannot install.
    const dir = join(tempDir("cp-ctx-"), "shop");
    cpSync(join(MONOREPOS, "pnpm-workspace"), join(dir, "web"), { recursive: true });
    cpSync(join(REPO, "test", "fixtures", "services", "go"), join(dir, "services", "gateway"), { recursive: true });
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    const svc = json(dir, ".github/services/api.json");
    expect(svc).toMatchObject({ path: "web/services/api", context: "web", packageManager: "pnpm", testCommand: "pnpm test", workdir: "web/services/api" });
    const df = readFileSync(join(dir, svc.dockerfile), "utf8");
    expect(df).toContain("pnpm install --frozen-lockfile");

    // pnpm comes from npm's cache (offline), installed into a folder of this test. The cache gets
    // the pack's pinned pnpm first, so a fresh machine's empty cache is not a failure.
    const versions = parseYaml(readFileSync(join(REPO, "templates", "pipeline", "data", "versions.yaml"), "utf8")) as Record<string, unknown>;
    const pin = JSON.stringify(versions).match(/"pnpm":"([0-9][^"]*)"/)?.[1];
    expect(pin, "templates/pipeline/data/versions.yaml pins pnpm").toBeDefined();
    // An online install into a scratch folder caches pnpm with its platform binary package.
    const warm = spawnSync("npm", ["install", "--global", "--prefix", tempDir("cp-npm-warm-"), `pnpm@${pin}`], { encoding: "utf8", timeout: 180_000 });
    expect(warm.status, `npm install pnpm@${pin}: ${warm.stdout}${warm.stderr}`).toBe(0);
    const prefix = tempDir("cp-npm-prefix-");
    const env = {
      ...process.env,
      npm_config_offline: "true",
      npm_config_prefix: prefix,
      PATH: `${join(prefix, "bin")}:${process.env.PATH}`,
    };
    const steps = (parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as { jobs: { test: { steps: Step[] } } }).jobs.test.steps;
    const install = steps.find((st) => st.name === "Install dependencies (Node.js)")!;
    const installEnv = { ...env, ...install.env, PACKAGE_MANAGER: svc.packageManager };
    const installed = spawnSync("bash", ["-eo", "pipefail", "-c", install.run!], {
      cwd: join(dir, svc.context),
      encoding: "utf8",
      env: installEnv,
      timeout: 300_000,
    });
    expect(installed.status, `${installed.stdout}${installed.stderr}`).toBe(0);
    const test = spawnSync("bash", ["-eo", "pipefail", "-c", svc.testCommand], { cwd: join(dir, svc.workdir), encoding: "utf8", env, timeout: 300_000 });
    expect(test.status, `${test.stdout}${test.stderr}`).toBe(0);
    expect(`${test.stdout}${test.stderr}`).toMatch(/pass 1/);

    const b = replayDockerBuild({
      context: join(dir, svc.context),
      dockerfile: join(dir, svc.dockerfile),
      work: tempDir("cp-replay-"),
      skipRunIn: ["runtime"],
      env,
    });
    expect(b.failure).toBeUndefined();
    expect(b.contextFiles).toContain("pnpm-lock.yaml");
    const wd = b.workdirs.get("runtime")!;
    const port = 20000 + ((process.pid + 7) % 20000);
    const child = spawn("node", ["server.js"], { cwd: wd, env: { ...process.env, PORT: String(port), NODE_ENV: "production" }, stdio: "ignore" });
    try {
      expect((await get(port, "/")).body).toBe("hello, shop");
    } finally {
      child.kill();
    }
  }, 300_000);

  it("a Maven reactor module is built from the reactor root with -pl <module> -am, and its jar is collected", async () => {
    const dir = join(tempDir("cp-ctx-"), "clinic");
    cpSync(join(MONOREPOS, "maven-reactor"), dir, { recursive: true });
    const r = await runCli(["create", dir, "--yes", "--owner", "clinic"]);
    expect(r.code, r.stderr).toBe(0);
    const svc = json(dir, ".github/services/clinic-api-gateway.json");
    expect(svc).toMatchObject({ path: "clinic-api-gateway", context: "." });
    const df = readFileSync(join(dir, svc.dockerfile), "utf8");
    expect(df).toContain("mvn -B -ntp -pl clinic-api-gateway -am package -DskipTests");
    const ciSteps = (parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as { jobs: { test: { steps: { name?: string; run?: string }[] } } })
      .jobs.test.steps;
    // A Java service has no install step: Maven resolves its dependencies in the test itself.
    expect(ciSteps.some((st) => st.name?.startsWith("Install dependencies"))).toBe(false);
    // Its test runs from the reactor root (workdir), the module selected with -pl.
    expect(svc).toMatchObject({ workdir: ".", testCommand: "mvn -B -ntp -pl clinic-api-gateway -am test" });
    const env = { ...process.env };
    const test = spawnSync("bash", ["-eo", "pipefail", "-c", svc.testCommand], { cwd: join(dir, svc.workdir), encoding: "utf8", env, timeout: 300_000 });
    expect(test.status, `${test.stdout}${test.stderr}`).toBe(0);

    const work = tempDir("cp-replay-");
    const b = replayDockerBuild({
      context: join(dir, svc.context),
      dockerfile: join(dir, svc.dockerfile),
      work,
      skipRunIn: ["runtime"],
      env: { MAVEN_ARGS: "-o -q" },
    });
    expect(b.failure).toBeUndefined();
    expect(b.contextFiles).toContain("pom.xml");
    expect(existsSync(join(b.stages.get("build")!, "out", "app.jar"))).toBe(true);
    // The module's folder alone (the context before) cannot build: its parent pom is not there.
    const alone = join(tempDir("cp-alone-"), "clinic-api-gateway");
    cpSync(join(dir, "clinic-api-gateway"), alone, { recursive: true });
    // (Its own local repository: the failed parent lookup is not recorded in the shared one.)
    const m = spawnSync("mvn", ["-o", "-q", "-B", "-ntp", `-Dmaven.repo.local=${join(tempDir("cp-m2-"), "repo")}`, "package", "-DskipTests"], {
      cwd: alone,
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(m.status).not.toBe(0);
    expect(`${m.stdout}${m.stderr}`).toMatch(/parent|Non-resolvable/i);
  }, 300_000);
});
