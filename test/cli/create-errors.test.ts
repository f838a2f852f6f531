// Bad input to `create`: each case must give ONE message on stderr that says what is wrong,
// where (a flag, file:line:column or template file:line) and how to fix it; exit 2; and write nothing.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../src/version.js";
import { PACKS, readTree, REPO, runCli, tempDir, unwrapReport, type RunResult } from "../support/cli.js";

const demo = join(PACKS, "demo-v1");
const pack = (name: string) => join(PACKS, name);

interface Expected {
  /** Text the first line must contain. */
  message: (string | RegExp)[];
  /** The whole `at:` value, or a pattern for it. */
  at: string | RegExp;
  /** Text the `fix:` line must contain. */
  fix: (string | RegExp)[];
}

/** The error report: exactly "create-pipeline: <what>", "  at: <where>", "  fix: <how>". */
function expectOneError(r: RunResult, want: Expected): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  for (const line of r.stderr.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
  const lines = unwrapReport(r.stderr).replace(/\n$/, "").split("\n");
  expect(lines, r.stderr).toHaveLength(3);
  const [what, at, fix] = lines as [string, string, string];
  expect(what).toMatch(/^create-pipeline: \S/);
  expect(r.stderr.match(/create-pipeline:/g)).toHaveLength(1);
  for (const m of want.message) expect(what).toMatch(typeof m === "string" ? new RegExp(escapeRe(m)) : m);
  expect(at).toMatch(/^ {2}at: /);
  const where = at.slice("  at: ".length);
  if (typeof want.at === "string") expect(where).toBe(want.at);
  else expect(where).toMatch(want.at);
  expect(fix).toMatch(/^ {2}fix: \S/);
  for (const f of want.fix) expect(fix).toMatch(typeof f === "string" ? new RegExp(escapeRe(f)) : f);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A work folder whose listing (and the target inside it) must not change. */
function workspace(files: Record<string, string> = {}) {
  const work = tempDir();
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(work, p, ".."), { recursive: true });
    writeFileSync(join(work, p), c);
  }
  const before = readTree(work);
  return {
    work,
    target: join(work, "svc"),
    expectUnchanged() {
      expect(readTree(work)).toEqual(before);
      expect(readdirSync(work).sort()).toEqual(
        Object.keys(files)
          .map((p) => p.split("/")[0]!)
          .filter((v, i, a) => a.indexOf(v) === i)
          .sort(),
      );
    },
  };
}

describe("create: bad flags", () => {
  it("an unknown flag suggests the one meant", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", demo, "--yes", "--langauge", "go"]);
    expectOneError(r, { message: ["unknown option '--langauge'"], at: "--langauge", fix: ["did you mean '--language'?"] });
    w.expectUnchanged();
  });

  it("an unknown choice suggests a valid one, even when it is a longer spelling", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", demo, "--yes", "--language", "golang"]);
    expectOneError(r, { message: ["language: 'golang' is not one of node, go"], at: "--language", fix: ["did you mean 'go'?"] });
    w.expectUnchanged();
  });

  it("an unknown item of a list answer names the item and suggests the choice", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", demo, "--yes", "--environments", "dev,prd"]);
    expectOneError(r, {
      message: ["environments: 'prd' is not one of dev, staging, prod"],
      at: "--environments",
      fix: ["did you mean 'prod'?", "--environments <dev,staging,prod>"],
    });
    w.expectUnchanged();
  });

  it("a name that is not a Kubernetes/Helm name suggests its slug", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", demo, "--yes", "--name", "My_Service"]);
    expectOneError(r, { message: ["name: 'My_Service' is not valid", "lowercase"], at: "--name", fix: ["did you mean 'my-service'?", "--name my-service"] });
    w.expectUnchanged();
  });

  it("a name longer than 53 characters is refused with the limit and a shorter suggestion", async () => {
    const w = workspace();
    const long = `billing-${"x".repeat(52)}`;
    expect(long).toHaveLength(60);
    const r = await runCli([w.target, "--template", demo, "--yes", "--name", long]);
    expectOneError(r, { message: ["is 60 characters, at most 53 allowed"], at: "--name", fix: [`'${long.slice(0, 53)}'`] });
    w.expectUnchanged();
  });

  it.each([
    ["70000", "70000 is above the maximum 65535"],
    ["0", "0 is below the minimum 1"],
    ["abc", "'abc' is not a whole number"],
    ["80.5", "'80.5' is not a whole number"],
  ])("--port %s is refused with the valid range", async (port, message) => {
    const w = workspace();
    const r = await runCli([w.target, "--template", demo, "--yes", "--port", port]);
    expectOneError(r, { message: [`port: ${message}`], at: "--port", fix: ["from 1 to 65535"] });
    w.expectUnchanged();
  });

  it("Argo CD's notifications with push delivery are refused where given, for one service and for several (push has no Argo CD)", async () => {
    const w = workspace();
    const want = {
      message: ["Argo CD's notifications", "need GitOps delivery", "--mode push there is no Argo CD"],
      at: "--argocd-notify",
      fix: ["drop --argocd-notify", "--mode gitops"],
    };
    expectOneError(await runCli([w.target, "--yes", "--owner", "acme", "--language", "go", "--mode", "push", "--argocd-notify", "slack"]), want);
    w.expectUnchanged();
    const services = join(REPO, "test", "fixtures", "services");
    const root = workspace();
    for (const [from, to] of [
      ["node", "api"],
      ["go", "gateway"],
    ])
      cpSync(join(services, from!), join(root.work, "shop", "services", to!), { recursive: true });
    const before = readTree(root.work);
    expectOneError(await runCli([join(root.work, "shop"), "--yes", "--owner", "acme", "--mode", "push", "--argocd-notify", "webhook"]), want);
    expect(readTree(root.work)).toEqual(before);
    // The same answers in a --config file (plain answers, and a services file) are given for this
    // command as the flags are: refused where the file says them.
    const config = join(root.work, "answers.yaml");
    writeFileSync(config, "mode: push\nargocdNotify: slack\nargocdSlackChannel: ops\n");
    const fromFile = { ...want, at: `${config}:2:15`, fix: [...want.fix, "argocdNotify and argocdSlackChannel in a --config file"] };
    expectOneError(await runCli([w.target, "--yes", "--owner", "acme", "--language", "go", "--start-command", "./app", "--config", config]), fromFile);
    w.expectUnchanged();
    expectOneError(await runCli([join(root.work, "shop"), "--yes", "--owner", "acme", "--config", config]), fromFile);
    writeFileSync(config, "mode: push\nargocdNotify: webhook\nservices:\n  - path: services/api\n  - path: services/gateway\n");
    expectOneError(await runCli([join(root.work, "shop"), "--yes", "--owner", "acme", "--config", config]), fromFile);
    rmSync(config);
    expect(readTree(root.work)).toEqual(before);
    // "none" asks for nothing: accepted, and reported as not used.
    const none = await runCli([w.target, "--yes", "--owner", "acme", "--language", "go", "--mode", "push", "--argocd-notify", "none"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain("Ignored (not used with these answers): argocdNotify");
  });

  it("--force with --skip-existing is refused before anything is touched", async () => {
    const w = workspace({ "svc/README.md": "mine\n" });
    const r = await runCli([w.target, "--template", demo, "--yes", "--force", "--skip-existing"]);
    expectOneError(r, { message: ["--force and --skip-existing cannot be used together"], at: "--force", fix: ["pick one"] });
    w.expectUnchanged();
  });

  it("a target that is a file is refused", async () => {
    const w = workspace({ svc: "a file, not a folder\n" });
    const r = await runCli([w.target, "--template", demo, "--yes"]);
    expectOneError(r, { message: ["is a file, not a folder"], at: w.target, fix: ["give a folder"] });
    w.expectUnchanged();
  });

  it("a missing required answer lists the flags that supply it (no terminal, no --yes)", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", pack("required-answer")]);
    expect(r.asked).toEqual([]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toMatch(
      /^create-pipeline: missing required answers: owner \(GitHub owner of the repository\); registry \(Container registry\)\n/,
    );
    expect(unwrapReport(r.stderr)).toMatch(/\n {2}fix: supply --owner <value>, --registry <ghcr\|ecr>, or put them in --config answers\.yaml\n$/);
    w.expectUnchanged();

    const one = await runCli([w.target, "--template", pack("required-answer"), "--yes", "--owner", "acme"]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("missing required answer: registry");
    expect(one.stderr).toContain("supply --registry <ghcr|ecr>, or put it in --config");
    expect(one.stderr).not.toContain("--owner");
    w.expectUnchanged();
  });
});

describe("create: what the repository must say and does not", () => {
  it.each([
    ["Python", { "svc/pyproject.toml": '[project]\nname = "lib"\ndependencies = ["requests"]\n', "svc/lib/__init__.py": "" }, "Procfile web line"],
    [
      "Node.js",
      { "svc/package.json": '{ "name": "tool", "scripts": { "test": "node --test" } }\n', "svc/lib/util.js": "module.exports = 1;\n" },
      "start script",
    ],
  ])("a %s service with nothing that starts it is refused (never a default naming a file that is not there)", async (_lang, files, looked) => {
    const w = workspace(files);
    const r = await runCli([w.target, "--yes", "--owner", "acme"]);
    expectOneError(r, { message: ["no start command found", looked], at: w.target, fix: ['--start-command "<value>"', "would only be a guess"] });
    w.expectUnchanged();
    // Given, it is used as it is.
    const ok = await runCli([w.target, "--yes", "--owner", "acme", "--start-command", "node lib/util.js"]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe("create: a folder that holds no service", () => {
  it.each([
    ["empty", {}],
    ["with only a README and docs", { "svc/README.md": "# svc\n", "svc/docs/notes.md": "notes\n" }],
  ])("an existing folder %s is refused without --language and --start-command; nothing written", async (_what, files) => {
    const w = workspace(files);
    mkdirSync(w.target, { recursive: true });
    const r = await runCli([w.target, "--yes", "--owner", "acme"]);
    expectOneError(r, {
      message: ["no service found in svc", "no manifest"],
      at: w.target,
      fix: ["--language <node|python|go|java>", '--start-command "<value>"', "would only be guesses"],
    });
    // The language alone is not enough: how it starts would still be a guess.
    const lang = await runCli([w.target, "--yes", "--owner", "acme", "--language", "python"]);
    expectOneError(lang, { message: ["no start command"], at: w.target, fix: ['--start-command "<value>"', "python main.py"] });
    expect(readdirSync(w.target)).toEqual(
      Object.keys(files)
        .map((f) => f.split("/")[1]!)
        .sort(),
    );
    // Both given: made, and said so.
    const made = await runCli([w.target, "--yes", "--owner", "acme", "--language", "python", "--start-command", "python -m svc", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout).answers.language).toEqual({ value: "python", origin: "given" });
  });

  it("a new folder (one create makes) still gets the pack's defaults, each shown", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).answers.language).toMatchObject({ value: "node", origin: "default" });
  });

  it("in a terminal, the language is offered as a guess and the start command is asked, nothing offered", async () => {
    const w = workspace();
    mkdirSync(w.target);
    const r = await runCli([w.target, "--owner", "acme"], { script: { answers: { startCommand: "node server.js" } } });
    expect(r.code, r.stderr).toBe(0);
    const facts = r.notes.find((n) => n.startsWith("About this service"))!;
    expect(facts).toMatch(/Language: node \(not found: a guess\)/);
    expect(r.asked).toContain("startCommand");
    expect(r.placeholders.startCommand).toBeDefined();
    expect(readFileSync(join(w.target, ".create-pipeline.yaml"), "utf8")).toContain("startCommand: node server.js");
  });
});

describe("create: a manifest that cannot be read", () => {
  it.each([
    ["a trailing comma", '{\n  "name": "api",\n  "scripts": { "start": "node server.js" },\n}\n', "is not valid JSON", "line 4, column 1", ":4:1"],
    ["a missing brace", '{\n  "name": "api",\n  "scripts": { "start": "node server.js" }\n', "is not valid JSON", "line 4, column 1", ":4:1"],
    ["an array", "[]\n", "is not a JSON object", "line 1, column 1", ":1:1"],
  ])("a package.json with %s is refused, naming the file, line and column; nothing written", async (_what, text, message, place, suffix) => {
    const w = workspace({ "svc/package.json": text, "svc/server.js": "require('http').createServer().listen(3000);\n" });
    const r = await runCli([w.target, "--yes", "--owner", "acme"]);
    expectOneError(r, { message: [`package.json ${message}`, place], at: join(w.target, "package.json") + suffix, fix: ["fix package.json", "--language"] });
    w.expectUnchanged();
    // --json says the same, and still writes nothing.
    const j = await runCli([w.target, "--yes", "--owner", "acme", "--json"]);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: "usage", where: join(w.target, "package.json") + suffix });
    w.expectUnchanged();
    // Saying what the service is goes past it (the broken manifest is then not read).
    const given = await runCli([w.target, "--yes", "--owner", "acme", "--language", "node", "--start-command", "node server.js"]);
    expect(given.code, given.stderr).toBe(0);
  });

  it("a package.json with a byte order mark is read as npm reads it", async () => {
    const w = workspace({ "svc/package.json": '\uFEFF{ "name": "api", "scripts": { "start": "node server.js" } }\n', "svc/server.js": "" });
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/startCommand: node server\.js\s+\[from package\.json scripts/);
  });
});

describe("create: bad config files", () => {
  it("a YAML syntax error points at file:line:column", async () => {
    const w = workspace({ "answers.yaml": "name: svc\nlanguage: go: x\nport: 8080\n" });
    const r = await runCli(["svc", "--template", demo, "--yes", "--config", "answers.yaml"], { cwd: w.work });
    expectOneError(r, { message: ["answers.yaml is not valid YAML"], at: "answers.yaml:2:11", fix: ["fix the YAML syntax"] });
    w.expectUnchanged();
  });

  it("an unknown key points at its line and suggests the key meant", async () => {
    const w = workspace({ "answers.yaml": "name: svc\n\nlangauge: go\n" });
    const r = await runCli(["svc", "--template", demo, "--yes", "--config", "answers.yaml"], { cwd: w.work });
    expectOneError(r, { message: ["unknown key 'langauge' in answers.yaml"], at: "answers.yaml:3:1", fix: ["did you mean 'language'?"] });
    w.expectUnchanged();
  });

  it("several unknown keys are all reported at once, each at its line", async () => {
    const w = workspace({ "answers.yaml": "name: svc\nprot: 8080\n\nlangauge: go\nzzzz: 1\n" });
    const r = await runCli(["svc", "--template", demo, "--yes", "--config", "answers.yaml"], { cwd: w.work });
    expectOneError(r, {
      message: [
        "3 unknown keys in answers.yaml: 'prot' at answers.yaml:2:1 (did you mean 'port'?); 'langauge' at answers.yaml:4:1 (did you mean 'language'?); 'zzzz' at answers.yaml:5:1",
      ],
      at: "answers.yaml:2:1",
      fix: ["rename or remove each of them (known keys: "],
    });
    w.expectUnchanged();
  });

  it.each([
    ["port: 99999", "port: 99999 is above the maximum 65535", "from 1 to 65535", 7],
    ['port: "8080x"', "port: '8080x' is not a whole number", "from 1 to 65535", 7],
    ["port:   8080x # typo", "port: '8080x' is not a whole number", "from 1 to 65535", 9],
    ["language: rust", "language: 'rust' is not one of node, go", "--language <node|go>", 11],
    ["environments: [dev, prd]", "environments: 'prd' is not one of dev, staging, prod", "did you mean 'prod'?", 15],
    ["environments: { dev: true }", "environments: expected a list of dev, staging, prod", "--environments <dev,staging,prod>", 15],
    ["debug: maybe", "debug: 'maybe' is not a yes/no value", "--no-debug", 8],
  ])("a bad value (%s) points at the value itself: line and column", async (line, message, fix, column) => {
    const w = workspace({ "answers.yaml": `# answers\nname: svc\n${line}\n` });
    const r = await runCli(["svc", "--template", demo, "--yes", "--config", "answers.yaml"], { cwd: w.work });
    expectOneError(r, { message: [message], at: `answers.yaml:3:${column}`, fix: [fix] });
    w.expectUnchanged();
  });

  it("a bad value in a JSON --config file points at the value", async () => {
    const w = workspace({ "answers.json": '{\n  "name": "svc",\n  "port": "8080x"\n}\n' });
    const r = await runCli(["svc", "--template", demo, "--yes", "--config", "answers.json"], { cwd: w.work });
    expectOneError(r, { message: ["port: '8080x' is not a whole number"], at: "answers.json:3:11", fix: ["from 1 to 65535"] });
    w.expectUnchanged();
  });
});

describe("create: broken template packs", () => {
  it.each([
    ["broken-unclosed", "template syntax error: unclosed tag at line 5 col 11", "files/app.yaml.eta:5"],
    ["broken-js", "template syntax error: Unexpected token ';'", "files/app.yaml.eta:6"],
    ["broken-runtime", "template failed while rendering: Cannot read properties of undefined (reading 'port')", "files/app.yaml.eta:6"],
  ])("%s: the error names the template file and line", async (name, message, at) => {
    const w = workspace();
    const r = await runCli([w.target, "--template", pack(name), "--yes"]);
    expectOneError(r, { message: [message], at, fix: ["fix the template at that line"] });
    w.expectUnchanged();
  });

  it("an invalid template.yaml points at file:line:column", async () => {
    const w = workspace();
    const file = join(pack("bad-manifest"), "template.yaml");
    const r = await runCli([w.target, "--template", pack("bad-manifest"), "--yes"]);
    expectOneError(r, {
      message: ["question 'port' has type 'integer'; use one of text, number, select, multiselect, confirm"],
      at: `${file}:10:5`,
      fix: ["docs/template-authoring.md"],
    });
    w.expectUnchanged();
  });

  it("a misspelt condition in template.yaml is a pack error at its line, not a crash", async () => {
    const w = workspace();
    const file = join(pack("bad-condition"), "template.yaml");
    const r = await runCli([w.target, "--template", pack("bad-condition"), "--yes"]);
    expectOneError(r, {
      message: ["condition on 'metrics' needs exactly one of equals, in, includes, truthy, matches, not 'equal'"],
      at: `${file}:15:27`,
      fix: ["did you mean 'equals'?"],
    });
    w.expectUnchanged();
  });

  it("a pack that needs a newer engine names both versions", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", pack("newer-engine"), "--yes"]);
    expectOneError(r, {
      message: ["template pack 'newer-engine' 3.0.0 needs @create-pipeline/cli >=9.0.0", `this is @create-pipeline/cli ${TOOL_VERSION}`],
      at: join(pack("newer-engine"), "template.yaml"),
      fix: ["run it with a version of @create-pipeline/cli in >=9.0.0, e.g. npx @create-pipeline/cli@9.0.0"],
    });
    w.expectUnchanged();
  });

  it("a pack file that is a symlink pointing outside the pack is refused", async () => {
    const w = workspace();
    const outside = tempDir();
    writeFileSync(join(outside, "secret.txt"), "not for the pack\n");
    const evil = join(tempDir(), "evil-pack");
    cpSync(pack("unsafe-path"), evil, { recursive: true });
    symlinkSync(join(outside, "secret.txt"), join(evil, "files", "leak.txt"));
    const r = await runCli([w.target, "--template", evil, "--yes"]);
    expectOneError(r, {
      message: ["pack file 'leak.txt' is a symlink that points outside the pack"],
      at: join(evil, "files", "leak.txt"),
      fix: ["replace the symlink with a real file"],
    });
    w.expectUnchanged();
  });

  it.each(["../evil", "../../evil", "/tmp/evil", "a/../../evil", "..", "."])(
    "an answer that makes a path unsafe (%s) is refused and nothing is written",
    async (dir) => {
      const w = workspace();
      const r = await runCli([w.target, "--template", pack("unsafe-path"), "--yes", "--dir", dir]);
      expectOneError(r, {
        message: [`the answer dir='${dir}' makes files/{{dir}}/app.txt.eta write to`, "outside the target or to an unsafe path"],
        at: "files/{{dir}}/app.txt.eta",
        fix: ["give dir a plain relative name"],
      });
      w.expectUnchanged();
      expect(existsSync("/tmp/evil")).toBe(false);
    },
  );
});

describe("create: remote packs", () => {
  it("a remote pack is refused without --trust when nothing can be asked, naming the source", async () => {
    const w = workspace();
    const r = await runCli([w.target, "--template", "gh:nonexistent-org-zz/nope", "--yes"]);
    expectOneError(r, { message: ["template pack 'gh:nonexistent-org-zz/nope' comes from a remote repository"], at: "--template", fix: ["--trust"] });
    w.expectUnchanged();
  });

  it("an unreachable or missing remote pack fails quickly with the reason", async () => {
    const w = workspace();
    const started = Date.now();
    const r = await runCli([w.target, "--template", "gh:nonexistent-org-zz/nope", "--trust", "--yes"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expectOneError(r, {
      message: ["could not fetch template pack 'gh:nonexistent-org-zz/nope'", /github\.com\/nonexistent-org-zz\/nope/],
      at: "--template",
      fix: ["check the repository, path and ref exist and the network can reach it"],
    });
    w.expectUnchanged();
  }, 30_000);
});

describe("create: a canary gated on metrics the service does not export", () => {
  const springWithout = {
    "svc/pom.xml":
      "<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.5</version></parent><artifactId>svc</artifactId><version>1</version><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency><dependency><groupId>io.micrometer</groupId><artifactId>micrometer-registry-prometheus</artifactId></dependency></dependencies><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>",
    "svc/src/main/resources/application.properties": "management.endpoints.web.exposure.include=health,info\n",
  };

  it("--canary-analysis true is refused with what was found and the flags that fix it; nothing written", async () => {
    const w = workspace(springWithout);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "canary", "--canary-analysis", "true"]);
    expectOneError(r, {
      message: ["the canary analysis (--canary-analysis)", "exports no Prometheus metrics", 'exposure.include is "health,info"'],
      at: "when strategy is canary and canaryAnalysis is true",
      fix: ["--metrics-path", "--canary-analysis false"],
    });
    w.expectUnchanged();
  });

  it("Flagger's blue-green (always gated on metrics) is refused the same way", async () => {
    const w = workspace(springWithout);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "blue-green", "--progressive-delivery", "flagger"]);
    expectOneError(r, {
      message: ["Flagger's blue-green", "exports no Prometheus metrics"],
      at: "when progressiveDelivery is flagger and strategy is blue-green",
      fix: ["--metrics-path", "--progressive-delivery argo-rollouts"],
    });
    w.expectUnchanged();
  });

  it("by default the canary runs without the analysis, and says so; the chart scrapes nothing", async () => {
    const w = workspace(springWithout);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "canary"]);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapReport(r.stdout)).toMatch(/metricsPath: \(none\) +\[from pom\.xml: micrometer-registry-prometheus, but Actuator does not expose/);
    expect(unwrapReport(r.stdout)).toMatch(/canaryAnalysis: false +\[DEFAULT: the service exports no Prometheus metrics/);
    expect(existsSync(join(w.target, "charts/svc/templates/analysistemplate.yaml"))).toBe(false);
    expect(readFileSync(join(w.target, "charts/svc/values.yaml"), "utf8")).toMatch(/metrics:\n(?:\s+#.*\n)+\s+enabled: false\n/);
  });

  it("--metrics-path alone: no request metric is known, so the analysis stays off and says why; asked for, it is refused", async () => {
    const w = workspace(springWithout);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "canary", "--metrics-path", "/actuator/prometheus"]);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapReport(r.stdout)).toMatch(/canaryAnalysis: false +\[DEFAULT: no request metric is known \(requestMetric\).*--request-metric/);
    expect(existsSync(join(w.target, "charts/svc/templates/analysistemplate.yaml"))).toBe(false);
    const w2 = workspace(springWithout);
    const r2 = await runCli([
      w2.target,
      "--yes",
      "--owner",
      "acme",
      "--strategy",
      "canary",
      "--metrics-path",
      "/actuator/prometheus",
      "--canary-analysis",
      "true",
    ]);
    expectOneError(r2, {
      message: ["the canary analysis (--canary-analysis)", "no request metric is known (requestMetric is empty)"],
      at: "when strategy is canary and canaryAnalysis is true",
      fix: ["--request-metric 'http_requests_total{status}'", "--canary-analysis false"],
    });
    w2.expectUnchanged();
    const w3 = workspace(springWithout);
    const r3 = await runCli([
      w3.target,
      "--yes",
      "--owner",
      "acme",
      "--strategy",
      "blue-green",
      "--progressive-delivery",
      "flagger",
      "--metrics-path",
      "/actuator/prometheus",
    ]);
    expectOneError(r3, {
      message: ["Flagger's blue-green", "no request metric is known"],
      at: "when progressiveDelivery is flagger and strategy is blue-green",
      fix: ["--request-metric", "--progressive-delivery argo-rollouts"],
    });
    w3.expectUnchanged();
  });

  it("a request metric that is not name{statusLabel} is refused with the form it needs", async () => {
    const w = workspace(springWithout);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--request-metric", "http_requests_total"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--request-metric/);
    expect(r.stderr).toMatch(/http_requests_total\{status\}/);
    w.expectUnchanged();
  });

  it("--metrics-path and --request-metric: the analysis is on, scrapes that path and queries that metric", async () => {
    const w = workspace(springWithout);
    const r = await runCli([
      w.target,
      "--yes",
      "--owner",
      "acme",
      "--strategy",
      "canary",
      "--metrics-path",
      "/actuator/prometheus",
      "--request-metric",
      "http_server_requests_seconds_count{outcome}",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const values = readFileSync(join(w.target, "charts/svc/values.yaml"), "utf8");
    expect(values).toMatch(
      /sum\(rate\(http_server_requests_seconds_count\{namespace="\{\{args.namespace\}\}",\n\s+rollouts_pod_template_hash="\{\{args.canary-hash\}\}",outcome!~"5.."\}/,
    );
    expect(existsSync(join(w.target, "charts/svc/templates/analysistemplate.yaml"))).toBe(true);
    expect(readFileSync(join(w.target, "charts/svc/values.yaml"), "utf8")).toMatch(
      /enabled: true\n\s+# path the metrics are served on.\n\s+path: "\/actuator\/prometheus"/,
    );
  });
});

describe("create: the canary analysis follows what is known of the request metric", () => {
  const pkg = (deps: Record<string, string>) => JSON.stringify({ name: "svc", dependencies: { express: "^4", ...deps }, scripts: { start: "node server.js" } });

  it("a middleware's metric detected with its path: the analysis is on by default, reads it, and is off in dev", async () => {
    const w = workspace({
      "svc/package.json": pkg({ "express-prom-bundle": "^7", "prom-client": "^15" }),
      "svc/server.js": "const app = require('express')();\napp.use(require('express-prom-bundle')({}));\napp.listen(process.env.PORT || 3000);\n",
    });
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "canary", "--environments", "dev,prod"]);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapReport(r.stdout)).toMatch(/requestMetric: http_request_duration_seconds_count\{status_code\} +\[from package\.json: express-prom-bundle/);
    const values = readFileSync(join(w.target, "charts/svc/values.yaml"), "utf8");
    expect(values).toMatch(
      /sum\(rate\(http_request_duration_seconds_count\{namespace="\{\{args.namespace\}\}",\n\s+rollouts_pod_template_hash="\{\{args.canary-hash\}\}",status_code!~"5.."\}/,
    );
    expect(readFileSync(join(w.target, "charts/svc/values-dev.yaml"), "utf8")).toMatch(/analysis:\n(?:\s+#.*\n)*\s+enabled: false\n/);
    expect(readFileSync(join(w.target, "charts/svc/values-prod.yaml"), "utf8")).not.toMatch(/^analysis:/m);
  });

  it("a counter found while the metrics path is only a guess: the analysis is off by default, both said as defaults", async () => {
    const w = workspace({
      "svc/package.json": pkg({ "prom-client": "^15" }),
      "svc/server.js":
        "const client = require('prom-client');\nnew client.Counter({ name: 'http_requests_total', help: 'r', labelNames: ['status'] });\nrequire('express')().listen(process.env.PORT || 3000);\n",
    });
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "canary"]);
    expect(r.code, r.stderr).toBe(0);
    const out = unwrapReport(r.stdout);
    expect(out).toMatch(/metricsPath: \/metrics +\[DEFAULT: prom-client is in package\.json but no route serving the metrics was found/);
    expect(out).toMatch(
      /requestMetric: \(none\) +\[DEFAULT: server\.js: http_requests_total with the label status gives http_requests_total\{status\}, but the metrics path is a guess/,
    );
    expect(out).toMatch(/canaryAnalysis: false +\[DEFAULT: no request metric is known/);
    expect(existsSync(join(w.target, "charts/svc/templates/analysistemplate.yaml"))).toBe(false);
  });
});

describe("create: a request metric given while the metrics path is only the pack's guess", () => {
  it("leaves the analysis off by default and says why; with --metrics-path too it is on", async () => {
    const files = {
      "svc/package.json": JSON.stringify({ name: "svc", dependencies: { express: "^4", "prom-client": "^15" }, scripts: { start: "node server.js" } }),
      "svc/server.js": "require('express')().listen(process.env.PORT || 3000);\n",
    };
    const w = workspace(files);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--strategy", "canary", "--request-metric", "http_requests_total{status}"]);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapReport(r.stdout)).toMatch(/canaryAnalysis: false +\[DEFAULT: the metrics path \(metricsPath\) is only the pack's guess/);
    expect(existsSync(join(w.target, "charts/svc/templates/analysistemplate.yaml"))).toBe(false);
    const w2 = workspace(files);
    const r2 = await runCli([
      w2.target,
      "--yes",
      "--owner",
      "acme",
      "--strategy",
      "canary",
      "--request-metric",
      "http_requests_total{status}",
      "--metrics-path",
      "/metrics",
    ]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(existsSync(join(w2.target, "charts/svc/templates/analysistemplate.yaml"))).toBe(true);
  });
});

describe("create: a runtime or a site it does not make pipelines for", () => {
  it.each([
    [
      "a Ruby service with a requirements.txt for tooling",
      {
        "svc/Gemfile": 'gem "puma"\n',
        "svc/config.ru": "run ->(env) { [200, {}, ['ok']] }\n",
        "svc/requirements.txt": "pre-commit\n",
        "svc/Procfile": "web: bundle exec puma -p $PORT\n",
      },
      ['Ruby service (Procfile web runs "bundle exec puma -p $PORT")'],
      "Procfile",
    ],
    [
      "a Bun start script",
      { "svc/package.json": '{"scripts":{"start":"bun run src/index.ts"}}\n', "svc/bun.lockb": "x" },
      ['Bun service (package.json scripts.start "bun run src/index.ts"; bun.lockb)'],
      "package.json",
    ],
    [
      "an MkDocs site",
      { "svc/mkdocs.yml": "site_name: x\n", "svc/requirements.txt": "mkdocs\n" },
      ["a documentation site (mkdocs.yml) is not a service"],
      "mkdocs.yml",
    ],
  ])("%s is refused naming its cause, with no --start-command to try; nothing written", async (_what, files, message, at) => {
    const w = workspace(files);
    const r = await runCli([w.target, "--yes", "--owner", "acme"]);
    expectOneError(r, { message, at: join(w.target, at), fix: ["nothing was written"] });
    expect(r.stderr).not.toMatch(/--start-command/);
    w.expectUnchanged();
  });
});

describe("create: a program that is not a network service", () => {
  const goCli = {
    "svc/go.mod": "module example.com/wc\n\ngo 1.22\n",
    "svc/main.go":
      'package main\n\nimport (\n\t"flag"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tflag.Parse()\n\tb, _ := os.ReadFile(flag.Arg(0))\n\tfmt.Println(len(b))\n}\n',
  };
  const library = {
    "svc/package.json": '{"name":"slug","version":"1.0.0","exports":"./index.js","types":"./index.d.ts","scripts":{"test":"node --test"}}\n',
    "svc/index.js": "module.exports = (s) => s.trim().toLowerCase();\n",
  };
  const toolingRoot = {
    "svc/package.json":
      '{"name":"notes","private":true,"scripts":{"start":"concurrently \\"npm start --prefix backend\\" \\"npm run dev --prefix frontend\\""}}\n',
    "svc/backend/package.json": '{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4"}}\n',
    "svc/backend/server.js": 'require("express")().listen(process.env.PORT || 4000);\n',
    "svc/frontend/package.json": '{"name":"web","scripts":{"dev":"vite","start":"vite preview --port $PORT"},"devDependencies":{"vite":"^6"}}\n',
  };

  it.each([
    [
      "a Go command-line program",
      goCli,
      ["a Go command-line program (main.go, built on the flag package): no network listener found in it"],
      "main.go",
      ["--port <port>"],
    ],
    ["an npm library", library, ["an npm library (package.json exports, types): no start script"], "package.json", ["npm publish", "--start-command"]],
    [
      "a root package.json that only runs its sub-folders",
      toolingRoot,
      ["a repository root whose package.json only runs tools over its sub-folders (backend, frontend)"],
      "package.json",
      ["--services backend,frontend"],
    ],
  ])("%s is refused: exit 2, what was found, what to give to insist; nothing written", async (_what, files, message, at, fix) => {
    const w = workspace(files);
    const r = await runCli([w.target, "--yes", "--owner", "acme"]);
    expectOneError(r, { message, at: join(w.target, at), fix: ["nothing was written", ...fix] });
    w.expectUnchanged();
  });

  it("the answers that say it is a service after all are taken: --port for the Go program, --start-command for the library", async () => {
    const go = workspace(goCli);
    const r = await runCli([go.target, "--yes", "--owner", "acme", "--port", "8080"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(go.target, ".github", "workflows", "ci.yml"))).toBe(true);
    const lib = workspace(library);
    const s = await runCli([lib.target, "--yes", "--owner", "acme", "--start-command", "node index.js", "--port", "3000"]);
    expect(s.code, s.stderr).toBe(0);
    expect(existsSync(join(lib.target, "Dockerfile"))).toBe(true);
  });

  const loopbackGo = {
    "svc/go.mod": "module example.com/albums\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
    "svc/main.go":
      'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET("/healthz", func(c *gin.Context) { c.String(200, "ok") })\n\tr.Run("localhost:8081")\n}\n',
  };

  it("a service bound to loopback is refused with its port and the fix, even named with --services; --start-command goes on", async () => {
    const w = workspace(loopbackGo);
    const r = await runCli([w.target, "--yes", "--owner", "acme"]);
    expectOneError(r, {
      message: ['the service listens on loopback only (main.go: r.Run("localhost:8081"), port 8081)'],
      at: join(w.target, "main.go"),
      fix: ["nothing was written", 'listen on ":8081"', "--start-command"],
    });
    const named = await runCli([w.target, "--yes", "--owner", "acme", "--services", "."]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/cannot make a pipeline for \.: the service listens on loopback\s+only/);
    w.expectUnchanged();
    const given = await runCli([w.target, "--yes", "--owner", "acme", "--start-command", "./albums -addr :8081", "--port", "8081"]);
    expect(given.code, given.stderr).toBe(0);
  });

  // As a Node.js or Python program that opens no port: naming it is not enough (its probes would
  // wait on a port nothing opens); its port or start command says it does listen.
  it("a Go command-line program named as a service with --services is refused unless --port or --start-command is given", async () => {
    const go = workspace(goCli);
    const r = await runCli([go.target, "--yes", "--owner", "acme", "--services", "."]);
    expect(r.code, r.stdout).toBe(2);
    expect(unwrapReport(r.stderr)).toMatch(/cannot make a pipeline for \.: a Go command-line program \(main\.go/);
    expect(unwrapReport(r.stderr)).toMatch(/--port <port>.*or leave \. out of `--services`/);
    go.expectUnchanged();
    const given = await runCli([go.target, "--yes", "--owner", "acme", "--services", ".", "--port", "8080"]);
    expect(given.code, given.stderr).toBe(0);
    expect(readFileSync(join(go.target, ".create-pipeline.yaml"), "utf8")).toMatch(/- path: \.\n/);
  });

  it("the sub-folders of a tooling root named with --services get their pipelines", async () => {
    const w = workspace(toolingRoot);
    const r = await runCli([w.target, "--yes", "--owner", "acme", "--services", "backend,frontend"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(w.target, ".create-pipeline.yaml"), "utf8")).toMatch(/- path: backend\n[\s\S]*- path: frontend\n/);
  });
});
