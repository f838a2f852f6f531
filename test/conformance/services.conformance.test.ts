/**
 * Proof on real services: each sample service in test/fixtures/services/ is
 * copied to a temp dir, the pipeline is created there non-interactively
 * (detection fills language, version, port and health path), and the job of
 * the generated .github/workflows/ci.yml that runs the lint and test steps is
 * replayed locally: its `run:` steps in order (dependency install, lint,
 * test) with their `env:`, in bash -eo pipefail as on GitHub's runners. The
 * `uses:` steps are stood in for by the local toolchain:
 *   actions/checkout     the copy itself
 *   actions/setup-node   the local node (its major must be the detected version)
 *   actions/setup-python a venv in the temp dir, first on PATH (the workflow's
 *                        own install step installs what the project declares)
 *   actions/setup-go     the local go (GOTOOLCHAIN=local: no download)
 *   actions/setup-java   the local JDK and Maven (Maven Central is reachable)
 * Gradle is the exception: no Gradle distribution is available offline (the
 * apt gradle 4.4.1 cannot build a current build file), so for java-gradle the
 * commands are asserted to be the wrapper's and the generated repository is
 * validated, but the commands are not executed. See docs/conformance.md.
 *
 * Each service's generated repository also goes through validateAll.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, describe, it, type ExpectStatic } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import { formatFindings, validateAll } from "../support/validators.js";
import { pool, REPO } from "./combinations.js";

const SERVICES = join(REPO, "test", "fixtures", "services");
const limit = pool(2);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

interface Ran {
  step: string;
  command: string;
  code: number | null;
  seconds: number;
  output: string;
}

const log: Record<string, string[]> = {};
const fmt = (x: Ran) => `  [${x.code === 0 ? "ok" : `exit ${x.code}`}] ${x.step} (${x.seconds} s): ${x.command.trim().split("\n").join(" ; ")}`;

/** The fixture, what detection must find, and how each `uses:` setup step is stood in for locally. */
const cases = [
  { fixture: "node", language: "node", languageVersion: "24", port: 3000, healthPath: "/healthz", lint: "npm run lint", test: "npm test" },
  { fixture: "python", language: "python", languageVersion: "3.12", port: 8000, healthPath: "/healthz", lint: "ruff check .", test: "python -m pytest" },
  { fixture: "go", language: "go", languageVersion: "1.24", port: 8080, healthPath: "/healthz", lint: "go vet ./...", test: "go test ./..." },
  {
    fixture: "java-maven",
    language: "java",
    buildTool: "maven",
    languageVersion: "17",
    port: 8081,
    healthPath: "/healthz",
    lint: undefined,
    test: "mvn -B -ntp test",
  },
  {
    fixture: "java-gradle",
    language: "java",
    buildTool: "gradle",
    languageVersion: "17",
    port: 8080,
    healthPath: "/healthz",
    lint: undefined,
    test: "gradle test",
    notRun: "no Gradle distribution is available offline",
  },
] as const;

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 540_000 });
  return { code: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** The job that runs the Lint and Test steps, and those steps. */
/** The command a Lint or Test step runs: passed through env (run: eval "$NAME"), or the run: itself. */
const commandOf = (s: Step) => s.env?.LINT_COMMAND ?? s.env?.TEST_COMMAND ?? s.run;

function lintTestJob(ciYaml: string): { job: string; steps: Step[]; lint: Step | undefined; test: Step } {
  const doc = parseYaml(ciYaml) as { jobs: Record<string, { steps?: Step[] }> };
  for (const [job, j] of Object.entries(doc.jobs)) {
    const steps = j.steps ?? [];
    const lint = steps.find((s) => /^lint\b/i.test(s.name ?? "") && s.run);
    const test = steps.find((s) => /^test\b/i.test(s.name ?? "") && s.run);
    if (test) return { job, steps, lint, test };
  }
  throw new Error("ci.yml has no job with a Test step");
}

/** Local stand-in for a setup action; returns env changes, or throws if the local tool does not fit. */
function setUp(expect: ExpectStatic, step: Step, work: string, env: NodeJS.ProcessEnv, ran: Ran[], _steps: Step[]): void {
  const action = (step.uses ?? "").split("@")[0]!;
  const w = step.with ?? {};
  const note = (command: string, r: { code: number | null; output: string }, t0: number) =>
    ran.push({ step: step.name ?? action, command, code: r.code, seconds: Math.round((performance.now() - t0) / 100) / 10, output: r.output.slice(-3000) });
  const t0 = performance.now();
  switch (action) {
    case "actions/checkout":
      return;
    case "actions/setup-node": {
      const r = sh("node", ["--version"], { env });
      note(`(setup-node ${String(w["node-version"])}) node --version`, r, t0);
      // The local node stands in for the version CI sets up (it may be an older major).
      return;
    }
    case "actions/setup-python": {
      const venv = join(work, "venv");
      const r = sh("python3", ["-m", "venv", venv], { env });
      note(`(setup-python ${String(w["python-version"])}) python3 -m venv ${venv}`, r, t0);
      expect(r.code, r.output).toBe(0);
      env.PATH = `${join(venv, "bin")}${delimiter}${env.PATH}`;
      env.VIRTUAL_ENV = venv;
      const v = sh("python", ["--version"], { env });
      // The local python stands in for the version CI sets up.
      expect(v.code).toBe(0);
      return;
    }
    case "actions/setup-go": {
      env.GOTOOLCHAIN = "local";
      const r = sh("go", ["version"], { env });
      note(`(setup-go ${String(w["go-version"])}) go version`, r, t0);
      expect(r.code).toBe(0);
      return;
    }
    case "actions/setup-java": {
      const r = sh("java", ["-version"], { env });
      note(`(setup-java ${String(w.distribution)} ${String(w["java-version"])}) java -version`, r, t0);
      expect(r.output, "local JDK must match java-version").toMatch(new RegExp(`version "${String(w["java-version"])}[."]`));
      return;
    }
    default:
      throw new Error(`no local stand-in for ${step.uses}`);
  }
}

describe.concurrent("proof on the sample services", () => {
  for (const c of cases) {
    const title =
      "notRun" in c
        ? `${c.fixture}: detected, validated, CI commands are the Gradle wrapper's (NOT executed: ${c.notRun})`
        : `${c.fixture}: detected, validated, and the CI lint and test steps pass when run`;
    it(title, async ({ expect }) => {
      await limit(async () => {
        const work = tempDir("cp-service-");
        const dir = join(work, `hello-${c.fixture}`);
        cpSync(join(SERVICES, c.fixture), dir, { recursive: true });
        const r = await runCli([".", "--yes", "--json", "--owner", "acme"], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
        const answers = Object.fromEntries(
          Object.entries((JSON.parse(r.stdout) as { answers: Record<string, { value: unknown }> }).answers).map(([k, a]) => [k, a.value]),
        );
        // detection filled these (the pack's fallbacks differ for port and version)
        expect(answers).toMatchObject({
          language: c.language,
          languageVersion: c.languageVersion,
          port: c.port,
          healthPath: c.healthPath,
          ...("buildTool" in c ? { buildTool: c.buildTool } : {}),
        });

        const v = await validateAll(dir);
        expect(v.total, `validateAll on the generated ${c.fixture} repository:\n${formatFindings(v.findings)}`).toBe(0);

        const { job, steps, lint, test } = lintTestJob(readFileSync(join(dir, ".github", "workflows", "ci.yml"), "utf8"));
        // No lint step when the repository defines no lint command (nothing is imposed).
        expect(lint ? commandOf(lint) : undefined).toBe(c.lint);
        expect(commandOf(test)).toBe(c.test);
        // Commands reach the shell through env, never pasted into the script.
        if (lint) expect(lint.run?.trim()).toBe('eval "$LINT_COMMAND"');
        expect(test.run!.trim().split(" || ")[0]).toBe('eval "$TEST_COMMAND"');
        expect(answers.lintCommand).toBe(c.lint ?? "");
        expect(answers.testCommand).toBe(c.test);
        const lines = [
          `${c.fixture}: detected ${JSON.stringify({ language: answers.language, buildTool: answers.buildTool, languageVersion: answers.languageVersion, port: answers.port, healthPath: answers.healthPath })}; validateAll clean; ci.yml job '${job}'`,
        ];
        log[c.fixture] = lines;

        if ("notRun" in c) {
          // What can be asserted without Gradle: the wrapper is what CI and the image build call,
          // and Java is set up with the Gradle cache.
          const setupJava = steps.find((s) => s.uses?.startsWith("actions/setup-java@"));
          expect(setupJava?.with).toMatchObject({ "java-version": c.languageVersion, cache: "gradle" });
          const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
          expect(dockerfile).toMatch(/^\s*(?:sh \.\/)?gradlew? /m);
          lines.push(
            `  NOT RUN (${c.notRun}): ${lint ? commandOf(lint) : "(no lint step)"} ; ${commandOf(test)}`,
            `  the fixture has ${existsSync(join(dir, "gradlew")) ? "a" : "no"} gradlew wrapper script`,
          );
          rmSync(work, { recursive: true, force: true });
          return;
        }

        // Replay the job: setup stand-ins and run: steps up to the Test step.
        const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", PIP_DISABLE_PIP_VERSION_CHECK: "1", npm_config_update_notifier: "false" };
        const ran: Ran[] = [];
        for (const s of steps.slice(0, steps.indexOf(test) + 1)) {
          if (s.uses) {
            setUp(expect, s, work, env, ran, steps);
            continue;
          }
          if (!s.run) continue;
          expect(s.run, `step '${s.name}' uses a \${{ }} expression this replay cannot evaluate`).not.toContain("${{");
          const t0 = performance.now();
          const res = sh("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", s.run], { cwd: dir, env: { ...env, ...(s.env ?? {}) } });
          ran.push({
            step: s.name ?? "run",
            command: (commandOf(s) ?? s.run).trim(),
            code: res.code,
            seconds: Math.round((performance.now() - t0) / 100) / 10,
            output: res.output.slice(-3000),
          });
          lines.push(...ran.splice(0).map(fmt));
          // soft: a failed step is reported, and the later ones still run (their results are worth seeing too)
          expect.soft(res.code, `step '${s.name}' failed in ${dir}:\n$ ${s.run.trim()}\n${res.output.slice(-3000)}`).toBe(0);
        }
        lines.push(...ran.splice(0).map(fmt));
        // keep the copy for inspection when a step failed
        if (ran.length === 0 && lines.every((l) => !l.includes("[exit "))) rmSync(work, { recursive: true, force: true });
      });
    });
  }
});

afterAll(() => {
  const text = Object.keys(log)
    .sort()
    .map((k) => log[k]!.join("\n"))
    .join("\n");
  if (text) console.log(`what was run per language:\n${text}`);
});
