/**
 * Proof for a repository of several services, through the real validators and real processes:
 * - the corpus's monorepo shape (a Maven reactor of services: test/fixtures/monorepos/
 *   maven-reactor) and a polyglot repository (the sample services under services/) are created
 *   non-interactively; their services are detected; the whole tree passes validateAll (actionlint,
 *   zizmor, hadolint, helm lint/template per chart and environment, the Argo CD ApplicationSet and
 *   AppProject against their schemas, yamllint);
 * - each service's generated CI commands (.github/services/<name>.json: lint and test, run in
 *   its folder as the CI matrix does) run with the local toolchain;
 * - .github/scripts/changed-services.sh picks the right services in a real git history;
 * - .github/scripts/promote.sh promotes several services in one commit to a bare git repository
 *   standing in for the config repository (pushes racing each other included), and opens a pull
 *   request against a loopback stand-in of the GitHub API;
 * - .github/scripts/app-token.sh mints a GitHub App installation token from that stand-in, which
 *   checks the App's signed JWT with the App's public key.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";
import { formatFindings, TOOLS_DIR, validateAll } from "../support/validators.js";
import { REPO } from "./combinations.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");
const REACTOR = join(REPO, "test", "fixtures", "monorepos", "maven-reactor");
const BIN = join(TOOLS_DIR, "bin");
const PATH = `${BIN}${delimiter}${process.env.PATH}`;

function polyglot(): string {
  const dir = join(tempDir("cp-mono-conf-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  cpSync(join(SAMPLES, "python"), join(dir, "services", "worker"), { recursive: true });
  writeFileSync(join(dir, "README.md"), "# shop\n");
  return dir;
}

function reactor(): string {
  const dir = join(tempDir("cp-mono-conf-"), "clinic");
  cpSync(REACTOR, dir, { recursive: true });
  return dir;
}

const sh = (cwd: string, script: string, env: Record<string, string> = {}) =>
  spawnSync("bash", ["-eo", "pipefail", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH, GOTOOLCHAIN: "local", CI: "true", ...env },
    timeout: 540_000,
  });

const services = (dir: string) =>
  readdirSync(join(dir, ".github/services"))
    .sort()
    .map(
      (f) =>
        JSON.parse(readFileSync(join(dir, ".github/services", f), "utf8")) as {
          name: string;
          path: string;
          context: string;
          language: string;
          buildTool: string | null;
          lintCommand: string;
          testCommand: string;
          chart: string;
        },
    );

describe.each([
  ["the corpus monorepo shape (Maven reactor)", reactor, ["--owner", "clinic"]],
  ["a polyglot repository (Node, Go, Python)", polyglot, ["--owner", "acme"]],
  ["a polyglot repository delivering to a separate config repository", polyglot, ["--owner", "acme", "--gitops-repo", "acme/shop-config"]],
  [
    "a polyglot repository, push mode with canary on Argo Rollouts",
    polyglot,
    ["--owner", "acme", "--mode", "push", "--strategy", "canary", "--registry", "ecr", "--aws-account-id", "123456789012", "--cluster", "eks"],
  ],
] as const)("%s", (_label, make, flags) => {
  let dir = "";
  beforeAll(async () => {
    dir = make();
    const r = await runCli(["create", dir, "--yes", ...flags]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("detects every service and passes every validator", async () => {
    const found = services(dir);
    expect(found.length).toBeGreaterThanOrEqual(3);
    const res = await validateAll(dir, { skip: ["pre-commit"] });
    expect(res.total, formatFindings(res.findings)).toBe(0);
    // Dependabot covers each service's folder (or the root its build reads) in its ecosystem, and
    // its Dockerfile; CodeQL analyses each language the services use.
    const dependabot = parseYaml(readFileSync(join(dir, ".github/dependabot.yml"), "utf8")) as {
      updates: { "package-ecosystem": string; directory?: string; directories?: string[] }[];
    };
    const eco = { node: "npm", python: "pip", go: "gomod", java: "maven" } as Record<string, string>;
    for (const s of found) {
      const ctx = `/${s.context === "." ? "" : s.context}`.replace(/^\/$/, "/");
      expect(dependabot.updates.some((u) => u["package-ecosystem"] === (s.buildTool === "gradle" ? "gradle" : eco[s.language]) && u.directory === ctx)).toBe(
        true,
      );
      expect(dependabot.updates.find((u) => u["package-ecosystem"] === "docker")?.directories).toContain(`/${s.path}`);
    }
    const codeql = parseYaml(readFileSync(join(dir, ".github/workflows/codeql.yml"), "utf8"));
    const langs = codeql.jobs.analyze.strategy.matrix.include.map((i: { language: string }) => i.language);
    expect(langs).toContain("actions");
    expect(langs.length).toBe(new Set(found.map((s) => s.language)).size + 1);
    // The charts and the Argo CD objects were validated, not skipped.
    expect(res.rendered.length).toBeGreaterThan(0);
    expect((await runCli(["check", dir])).code).toBe(0);
  });
});

describe("the generated per-service CI commands run", () => {
  it("in each service's folder, as the CI matrix runs them", async () => {
    const dir = polyglot();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
    const ran: string[] = [];
    for (const s of services(dir)) {
      const cwd = join(dir, s.path);
      let install = "";
      if (s.language === "node") install = "npm ci --no-audit --no-fund";
      if (s.language === "go") install = "go mod download";
      if (s.language === "python")
        install = `python3 -m venv "${cwd}/.venv" && . "${cwd}/.venv/bin/activate" && python -m pip install -q ruff pytest && if [ -f requirements.txt ]; then python -m pip install -q -r requirements.txt; fi`;
      const activate = s.language === "python" ? `. "${cwd}/.venv/bin/activate" && ` : "";
      const r = sh(cwd, `${install}\n${activate}eval "$LINT_COMMAND"\n${activate}eval "$TEST_COMMAND"`, {
        LINT_COMMAND: s.lintCommand,
        TEST_COMMAND: s.testCommand,
      });
      expect(r.status, `${s.name} (${s.path}): ${r.stdout}\n${r.stderr}`).toBe(0);
      ran.push(s.language);
    }
    expect(ran.sort()).toEqual(["go", "node", "python"]);
  });

  it("for a module of the Maven reactor, with the parent pom beside it", async () => {
    const dir = reactor();
    expect((await runCli(["create", dir, "--yes", "--owner", "clinic", "--services", "clinic-config-server"])).code).toBe(0);
    const [s] = services(dir);
    const r = sh(join(dir, s!.path), `eval "$LINT_COMMAND" && eval "$TEST_COMMAND"`, { LINT_COMMAND: s!.lintCommand, TEST_COMMAND: s!.testCommand });
    expect(r.status, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stdout).toContain("BUILD SUCCESS");
  });
});

describe("pre-commit and releases for several services", () => {
  it.each([["release-please"], ["semantic-release"]])(
    "with %s: every file passes its validator, and a service's lint hook runs in its folder",
    async (tool) => {
      const dir = polyglot();
      const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--pre-commit", "--release-tool", tool]);
      expect(r.code, r.stderr).toBe(0);
      const res = await validateAll(dir);
      expect(res.total, formatFindings(res.findings)).toBe(0);
      const found = services(dir);
      const release = readFileSync(join(dir, ".github/workflows/release.yml"), "utf8");
      if (tool === "release-please") {
        // One package per service folder, each with its own tag; one version file entry each.
        const config = JSON.parse(readFileSync(join(dir, "release-please-config.json"), "utf8"));
        expect(Object.keys(config.packages).sort()).toEqual(found.map((s) => s.path).sort());
        for (const s of found) expect(config.packages[s.path]).toMatchObject({ component: s.name, "include-component-in-tag": true });
        expect(Object.keys(JSON.parse(readFileSync(join(dir, ".release-please-manifest.json"), "utf8"))).sort()).toEqual(found.map((s) => s.path).sort());
        expect(release).toContain("googleapis/release-please-action");
      } else {
        expect(existsSync(join(dir, ".releaserc.json"))).toBe(true);
        expect(release).toContain("semantic-release");
      }
      // A service's lint hook, run as pre-commit runs a local hook: its entry split like a shell
      // line (shlex), its args appended, from the repository root.
      const config = parseYaml(readFileSync(join(dir, ".pre-commit-config.yaml"), "utf8"));
      const local = config.repos.find((x: { repo: string; hooks: { id: string }[] }) => x.repo === "local" && x.hooks.some((h) => h.id.startsWith("lint-")));
      const gateway = found.find((s) => s.path === "services/gateway")!;
      const hook = local.hooks.find((h: { id: string }) => h.id === `lint-${gateway.name}`);
      expect(hook.files).toBe("^services/gateway/");
      const argv = JSON.parse(
        execFileSync("python3", ["-c", "import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1]) + sys.argv[2:]))", hook.entry, ...hook.args], {
          encoding: "utf8",
        }),
      ) as string[];
      const run = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: "utf8", env: { ...process.env, PATH, GOTOOLCHAIN: "local" }, timeout: 300_000 });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      // And it fails when the service's lint fails.
      writeFileSync(join(dir, "services/gateway/bad.go"), 'package main\n\nimport "fmt"\n\nfunc bad() { fmt.Printf("%d\\n", "x") }\n');
      const failing = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: "utf8", env: { ...process.env, PATH, GOTOOLCHAIN: "local" }, timeout: 300_000 });
      expect(failing.status).not.toBe(0);
    },
  );
});

describe("changed-services.sh", () => {
  it("picks the services a change touches, and all of them for a shared file", async () => {
    const dir = polyglot();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "create");
    const base = git(dir, "rev-parse", "HEAD").trim();
    const pick = (b: string) => {
      const out = execFileSync("bash", [".github/scripts/changed-services.sh", b, "HEAD"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const line = out.split("\n").find((l) => l.startsWith("services="))!;
      return { names: (JSON.parse(line.slice("services=".length)) as { name: string }[]).map((s) => s.name), any: out.includes("any=true") };
    };
    const names = services(dir).map((s) => s.name);
    const api = services(dir).find((s) => s.path === "services/api")!;
    writeFileSync(join(dir, "services/api/server.js"), `${readFileSync(join(dir, "services/api/server.js"), "utf8")}\n// change\n`);
    git(dir, "commit", "-qam", "api");
    expect(pick(base)).toEqual({ names: [api.name], any: true });
    const afterApi = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, "README.md"), "# shop, documented\n");
    git(dir, "commit", "-qam", "docs");
    expect(pick(afterApi)).toEqual({ names: [], any: false });
    const afterDocs = git(dir, "rev-parse", "HEAD").trim();
    writeFileSync(join(dir, "Makefile"), "all:\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "shared build file");
    expect(pick(afterDocs).names.sort()).toEqual([...names].sort());
    const gw = services(dir).find((s) => s.path === "services/gateway")!;
    const values = join(dir, gw.chart, "values-dev.yaml");
    writeFileSync(values, `${readFileSync(values, "utf8")}# tuned\n`);
    const afterShared = git(dir, "rev-parse", "HEAD").trim();
    git(dir, "commit", "-qam", "gateway chart");
    expect(pick(afterShared).names).toEqual([gw.name]);
    // a file moved from the api service into docs/ changes the api service (both names count)
    const afterGateway = git(dir, "rev-parse", "HEAD").trim();
    mkdirSync(join(dir, "docs"), { recursive: true });
    git(dir, "mv", "services/api/server.js", "docs/server.md");
    git(dir, "commit", "-qm", "move");
    expect(pick(afterGateway).names).toEqual([api.name]);
    // No usable base (first push, manual run): every service.
    expect(pick("").names.sort()).toEqual([...names].sort());
    expect(pick("0000000000000000000000000000000000000000").names.length).toBe(names.length);
  });
});

describe("promotion against local stand-ins", () => {
  const yq = join(BIN, "yq");
  let api: Server;
  let apiUrl = "";
  const requests: { method: string; url: string; auth: string; body: string }[] = [];
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const body = (req: IncomingMessage) =>
    new Promise<string>((ok) => {
      let b = "";
      req.on("data", (c) => (b += c));
      req.on("end", () => ok(b));
    });

  beforeAll(async () => {
    // A loopback stand-in for the parts of the GitHub API the scripts use.
    api = createServer(async (req, res) => {
      const b = await body(req);
      requests.push({ method: req.method ?? "", url: req.url ?? "", auth: String(req.headers.authorization ?? ""), body: b });
      const send = (code: number, o: unknown) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(o));
      };
      const bearer = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
      const jwtOk = () => {
        const [h, p, sig] = bearer.split(".");
        if (!h || !p || !sig) return false;
        const okSig = verify(
          "RSA-SHA256",
          Buffer.from(`${h}.${p}`),
          createPublicKey(publicKey.export({ type: "spki", format: "pem" })),
          Buffer.from(sig, "base64url"),
        );
        const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { iss: string; exp: number; iat: number };
        return okSig && claims.iss === "4242" && claims.exp - claims.iat <= 600;
      };
      if (req.method === "GET" && req.url === "/repos/acme/shop-config/installation")
        return jwtOk() ? send(200, { id: 77 }) : send(401, { message: "bad JWT" });
      if (req.method === "POST" && req.url === "/app/installations/77/access_tokens")
        return jwtOk() ? send(201, { token: "ghs_standin", expires_at: "2099-01-01T00:00:00Z" }) : send(401, { message: "bad JWT" });
      if (req.method === "POST" && req.url === "/repos/acme/shop-config/pulls") {
        if (bearer !== "ghs_standin") return send(401, { message: "bad token" });
        return send(201, { html_url: "http://127.0.0.1/acme/shop-config/pull/1", number: 1 });
      }
      send(404, { message: "not found" });
    });
    await new Promise<void>((ok) => api.listen(0, "127.0.0.1", ok));
    const addr = api.address();
    apiUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((ok) => api.close(() => ok())));

  /**
   * A created app repository (for its scripts) and the repository promotions write to, as a bare
   * git repository with a working clone: the app repository itself, or (gitops) a config
   * repository laid out by `create --config-repo-for`.
   */
  async function setup(gitops = false): Promise<{ dir: string; bare: string; work: string; names: string[] }> {
    const dir = polyglot();
    const extra = gitops ? ["--gitops-repo", "acme/shop-config"] : [];
    expect((await runCli(["create", dir, "--yes", "--owner", "acme", "--environments", "dev,staging,prod", ...extra])).code).toBe(0);
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "create");
    let source = dir;
    if (gitops) {
      source = join(tempDir("cp-mono-config-"), "shop-config");
      mkdirSync(source);
      const r = await runCli(["create", source, "--config-repo-for", dir]);
      expect(r.code, r.stderr).toBe(0);
      git(source, "init", "-q");
      git(source, "add", "-A");
      git(source, "commit", "-qm", "layout");
    }
    const bare = join(tempDir("cp-mono-bare-"), "remote.git");
    git(dir, "clone", "-q", "--bare", source, bare);
    const work = join(tempDir("cp-mono-work-"), "work");
    git(dir, "clone", "-q", bare, work);
    return { dir, bare, work, names: services(dir).map((s) => s.name) };
  }

  const promote = (work: string, script: string, env: string, images: unknown, extra: Record<string, string> = {}) =>
    new Promise<{ code: number; out: string }>((ok) => {
      const p = spawn("bash", [script, env, JSON.stringify(images)], {
        cwd: work,
        env: { ...process.env, PATH, GIT_CONFIG_GLOBAL: "/dev/null", PROMOTE_BACKOFF: "0", ...extra },
      });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("close", (code) => ok({ code: code ?? 1, out }));
    });

  it("writes every service's image into its values file in one commit per environment", async () => {
    expect(existsSync(yq), "yq is installed by scripts/install-tools.sh").toBe(true);
    const { dir, bare, work, names } = await setup();
    const images = names.slice(0, 2).map((name, i) => ({ name, tag: `sha-00000000000${i}`, digest: `sha256:${String(i).repeat(64)}` }));
    const before = Number(git(bare, "rev-list", "--count", "main").trim());
    const r = await promote(work, join(dir, ".github/scripts/promote.sh"), "dev", images);
    expect(r.code, r.out).toBe(0);
    expect(Number(git(bare, "rev-list", "--count", "main").trim())).toBe(before + 1);
    const files = git(bare, "show", "--name-only", "--format=%s", "main").trim().split("\n");
    expect(files[0]).toBe(`chore(dev): deploy ${names[0]}, ${names[1]} [skip ci]`);
    expect(files.slice(1).filter(Boolean).sort()).toEqual(images.map((i) => `charts/${i.name}/values-dev.yaml`).sort());
    const values = parseYaml(git(bare, "show", `main:charts/${names[0]}/values-dev.yaml`));
    expect(values.image).toEqual({ tag: images[0]!.tag, digest: images[0]!.digest });
    // Comments of the team's values file survive the edit.
    expect(git(bare, "show", `main:charts/${names[0]}/values-dev.yaml`)).toContain("# This file is yours to edit");
    // Promoting the same images again changes nothing.
    const again = await promote(work, join(dir, ".github/scripts/promote.sh"), "dev", images);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain("already runs these images");
  });

  it("retries a push that lost a race, so concurrent promotions all land", async () => {
    const { dir, bare, names } = await setup();
    const works = ["dev", "staging", "prod"].map((env) => {
      const w = join(tempDir("cp-mono-race-"), env);
      git(dir, "clone", "-q", bare, w);
      return { env, w };
    });
    const results = await Promise.all(
      works.map(({ env, w }) =>
        promote(w, join(dir, ".github/scripts/promote.sh"), env, [{ name: names[0], tag: `sha-${env.padEnd(12, "0")}`, digest: "sha256:" + "a".repeat(64) }]),
      ),
    );
    for (const r of results) expect(r.code, r.out).toBe(0);
    for (const env of ["dev", "staging", "prod"])
      expect(parseYaml(git(bare, "show", `main:charts/${names[0]}/values-${env}.yaml`)).image.tag).toBe(`sha-${env.padEnd(12, "0")}`);
  });

  it("promotes to the config repository: an App token from the API stand-in, a push for dev, a pull request for prod", async () => {
    const { dir, bare, work, names } = await setup(true);
    // Spawned asynchronously: the API stand-in answers from this process's event loop.
    const token = await new Promise<{ code: number; out: string }>((ok) => {
      const p = spawn("bash", [join(dir, ".github/scripts/app-token.sh")], {
        cwd: work,
        env: {
          ...process.env,
          PATH,
          APP_ID: "4242",
          APP_PRIVATE_KEY: pem,
          TARGET_REPOSITORY: "acme/shop-config",
          GITHUB_API_URL: apiUrl,
          GITHUB_OUTPUT: join(work, ".out"),
        },
      });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("close", (code) => ok({ code: code ?? 1, out }));
    });
    expect(token.code, token.out).toBe(0);
    expect(readFileSync(join(work, ".out"), "utf8")).toContain("token=ghs_standin");
    // The token is limited to the config repository and to the two permissions promotion needs.
    const asked = JSON.parse(requests.find((q) => q.url.endsWith("/access_tokens"))!.body);
    expect(asked).toEqual({ repositories: ["shop-config"], permissions: { contents: "write", pull_requests: "write" } });
    // The workflow's promote step, as generated.
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8"));
    const step = (job: string) => (delivery.jobs[job].steps as { name: string; env?: Record<string, string> }[]).find((x) => x.name.startsWith("Promote to"))!;
    expect(step("promote-dev").env!.PROMOTE_VIA).toBe("push");
    expect(step("promote-prod").env!.PROMOTE_VIA).toBe("pull-request");
    const pattern = step("promote-dev").env!.VALUES_PATTERN!;
    expect(pattern).toBe("apps/shop/{env}/{name}/values.yaml");
    const images = [{ name: names[1], tag: "sha-111111111111", digest: "sha256:" + "b".repeat(64) }];
    const dev = await promote(work, join(dir, ".github/scripts/promote.sh"), "dev", images, { VALUES_PATTERN: pattern });
    expect(dev.code, dev.out).toBe(0);
    expect(parseYaml(git(bare, "show", `main:apps/shop/dev/${names[1]}/values.yaml`)).image.tag).toBe("sha-111111111111");
    const r = await promote(work, join(dir, ".github/scripts/promote.sh"), "prod", images, {
      VALUES_PATTERN: pattern,
      PROMOTE_VIA: "pull-request",
      TARGET_REPOSITORY: "acme/shop-config",
      GH_TOKEN: "ghs_standin",
      GITHUB_API_URL: apiUrl,
      RUNNER_TEMP: work,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("Opened http://127.0.0.1/acme/shop-config/pull/1");
    const pr = JSON.parse(requests.find((q) => q.url === "/repos/acme/shop-config/pulls")!.body);
    expect(pr).toMatchObject({ head: "promote/prod", base: "main", title: `chore(prod): deploy ${names[1]}` });
    // The branch holds the change; main does not (a person merges the pull request).
    expect(parseYaml(git(bare, "show", `promote/prod:apps/shop/prod/${names[1]}/values.yaml`)).image.tag).toBe("sha-111111111111");
    expect(parseYaml(git(bare, "show", `main:apps/shop/prod/${names[1]}/values.yaml`)).image.tag).toBe("");
    // The ApplicationSet reads the chart from the app repository and the values from the config repository.
    const appset = parseYaml(readFileSync(join(dir, "deploy/argocd/applicationset.yaml"), "utf8"));
    expect(appset.spec.template.spec.sources.map((x: { repoURL: string }) => x.repoURL)).toEqual([
      "https://github.com/acme/shop.git",
      "https://github.com/acme/shop-config.git",
    ]);
  });
});
