// What a new user meets first, beyond the happy path: no placeholder that reaches the cluster,
// next steps and help that fit an 80-column terminal and paste into a shell, options refused by
// the commands that do not use them, diff's paths, and the interactive flow's cancel and change.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isPair, isScalar, parseDocument, visit } from "yaml";
import { renderText } from "../../src/core/render.js";
import { loadPack } from "../../src/io/pack-loader.js";
import { OptionSpace } from "../conformance/combinations.js";
import { BIN, buildOnce } from "../support/build.js";
import { REPO, readTree, runCli, tempDir } from "../support/cli.js";
import { git } from "../support/repo.js";

/** A Python service under git with an origin remote. */
function pythonService(): string {
  const dir = join(tempDir(), "ledger");
  mkdirSync(dir);
  cpSync(join(REPO, "test", "fixtures", "services", "python"), dir, { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "git@github.com:acme/ledger.git");
  return dir;
}

const long = (text: string) => text.split("\n").filter((l) => l.length > 80);

describe("no placeholder host", () => {
  it("--ingress without a host is refused under --yes, naming --ingress-host; nothing is written", async () => {
    const dir = pythonService();
    const before = readTree(dir);
    const r = await runCli([dir, "--yes", "--ingress"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ingressHost");
    expect(r.stderr).toContain("--ingress-host <value>");
    expect(readTree(dir)).toEqual(before);
  });

  it("no generated file names example.com, with the Ingress off or on with the host given", async () => {
    for (const flags of [[], ["--ingress", "--ingress-host", "api.acme.dev"]]) {
      const dir = pythonService();
      const r = await runCli([dir, "--yes", ...flags]);
      expect(r.code, r.stderr).toBe(0);
      const tree = readTree(dir);
      expect(
        Object.entries(tree)
          .filter(([, text]) => text.includes("example.com"))
          .map(([p]) => p),
      ).toEqual([]);
      if (flags.length) expect(tree["charts/hello-python/values-prod.yaml"]).toContain('host: "api.acme.dev"');
    }
  });

  it("the wizard asks for the host when the Ingress is turned on", async () => {
    const dir = pythonService();
    const r = await runCli([dir], {
      script: { confirm: (m) => !m.startsWith("Use recommended"), extras: ["ingress"], answers: { ingressHost: "shop.acme.dev" } },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.asked).toContain("ingressHost");
    expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).toContain("ingressHost: shop.acme.dev");
  });
});

describe("at 80 columns", () => {
  it("every next-steps line fits, over a pairwise cover of the built-in pack's options, and step 1 pastes as it is shown", async () => {
    const space = OptionSpace.load();
    const loaded = await loadPack({ kind: "builtin", name: "pipeline" } as never);
    const nextSteps = loaded.pack.manifest.nextSteps!;
    const cover = space.pairwiseCover();
    expect(cover.length).toBeGreaterThan(10);
    for (const c of cover) {
      const text = renderText(loaded.pack, nextSteps, { ...c.answers, name: "hello-python" }, { toolVersion: "0.1.0" });
      expect(long(text), `${c.id}: ${JSON.stringify(c.given)}`).toEqual([]);
      expect(text, "a placeholder the user must edit inside a command").not.toMatch(/^ {4}[^#\n]*<[a-z][a-z -]*>/m);
      // The block as the terminal shows it (indented), pasted into bash: valid, and without a
      // here-document, whose indented end marker would never end it.
      const block = text.slice(text.indexOf("1. Configure"), text.indexOf("\n2. ")).split("\n").slice(1).join("\n");
      expect(block).not.toContain("<<");
      execFileSync("bash", ["-n"], { input: block });
    }
    await loaded.cleanup();
    // The cover itself takes a while to compute (every confirm and select is a dimension).
  }, 180_000);

  it("the reviewer of the last environment is a variable set at the top of the block, not a placeholder", async () => {
    const dir = pythonService();
    git(dir, "checkout", "-q", "-b", "trunk");
    const r = await runCli([dir, "--yes"]);
    const steps = r.stdout.slice(r.stdout.indexOf("Next steps"));
    expect(steps).not.toContain("<team-slug>");
    const block = steps.slice(steps.indexOf("1. Configure"));
    expect(block.indexOf('REVIEWER=""')).toBeGreaterThan(0);
    expect(block.indexOf('REVIEWER=""')).toBeLessThan(block.indexOf("gh api"));
    expect(steps).toContain("Then push to trunk"); // the repository's branch, not an assumed main
  });

  it("create's whole report and every --help fit, with the option descriptions in one column", async () => {
    const r = await runCli([pythonService(), "--yes"]);
    expect(long(r.stdout)).toEqual([]);
    for (const argv of [["--help"], ["create", "--help"], ["update", "--help"], ["diff", "--help"], ["help", "check"]]) {
      const help = (await runCli(argv)).stdout;
      expect(long(help), argv.join(" ")).toEqual([]);
      const options = help.slice(help.indexOf("\nOptions\n") + 9, help.indexOf("\n\n", help.indexOf("\nOptions\n") + 9)).split("\n");
      const rows = options.filter((l) => /^ {2}(-\w, )?--|^ {6}--/.test(l));
      expect(rows.length).toBeGreaterThanOrEqual(3);
      const column = (l: string) => /^\s+\S.*?\S {2,}(?=\S)/.exec(l)![0].length;
      expect(new Set(rows.map(column)).size, options.join("\n")).toBe(1);
      // continuation lines start at that column
      const col = column(rows[0]!);
      for (const l of options.filter((x) => !rows.includes(x))) expect(/^ */.exec(l)![0].length, l).toBe(col);
    }
  });
});

describe("options and arguments each command takes", () => {
  it("an option of another command, or an answer flag, is refused by diff, check and schema with exit 2", async () => {
    const dir = pythonService();
    expect((await runCli([dir, "--yes"])).code).toBe(0);
    const before = readTree(dir);
    for (const argv of [
      ["diff", "--force"],
      ["diff", "--dry-run"],
      ["diff", "--set", "port=1"],
      ["diff", "--owner", "acme"],
      ["check", "--dry-run"],
      ["check", "--force"],
      ["schema", "--port", "80"],
      ["schema", "--allow-dirty"],
    ]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(/create-pipeline: (option --[\w-]+ is for [\w/]+, not \w+|unknown option '--[\w-]+')\n {2}at: --/);
      expect(r.stderr).toMatch(new RegExp(`fix: .*${argv[0]} --help`));
    }
    const typo = await runCli(["diff", "--jsno"], { cwd: dir });
    expect(typo.stderr).toContain("did you mean '--json'?");
    expect(readTree(dir)).toEqual(before);
  });

  it("diff inside the repository: arguments are paths (files or folders), relative to the current folder", async () => {
    const dir = pythonService();
    expect((await runCli([dir, "--yes"])).code).toBe(0);
    writeFileSync(join(dir, "Dockerfile"), `${readFileSync(join(dir, "Dockerfile"), "utf8")}# mine\n`);
    const values = join(dir, "charts", "hello-python", "values.yaml");
    writeFileSync(values, `${readFileSync(values, "utf8")}# mine too\n`);
    const one = await runCli(["diff", "Dockerfile"], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain("+++ b/Dockerfile");
    expect(one.stdout).not.toContain("values.yaml");
    const folder = await runCli(["diff", "charts"], { cwd: dir });
    expect(folder.stdout).toContain("+++ b/charts/hello-python/values.yaml");
    expect(folder.stdout).not.toContain("Dockerfile");
    const below = await runCli(["diff", "values.yaml", "../../Dockerfile"], { cwd: join(dir, "charts", "hello-python") });
    expect(below.stdout).toContain("2 files differ");
    const outside = await runCli(["diff", dir, "Dockerfile"], { cwd: tempDir() });
    expect(outside.stdout).toContain("+++ b/Dockerfile");
    const none = await runCli(["diff", "nope.txt"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("nope.txt is not a file generated by create-pipeline");
    const notRepo = await runCli(["diff", "Dockerfile"], { cwd: tempDir() });
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain("'Dockerfile' does not exist");
  });
});

describe("the end of the wizard", () => {
  it("Ctrl-C at the confirmation on the all-defaults path does what Cancel does: 130, the same command, nothing written", async () => {
    const results = [];
    for (const script of [{ select: { "Write these files?": ["cancel"] } }, { cancelAt: "Write these files?" }]) {
      const dir = pythonService();
      const before = readTree(dir);
      const r = await runCli([dir], { cwd: join(dir, ".."), script });
      expect(r.code).toBe(130);
      expect(readTree(dir)).toEqual(before);
      results.push(r.stdout);
    }
    expect(results[0]).toContain("npx @create-pipeline/cli@");
    expect(results[1]).toBe(results[0]);
  });

  it("Change an answer reaches every answer that applies, the advanced ones included", async () => {
    const dir = pythonService();
    const r = await runCli([dir], {
      script: {
        select: { "Write these files?": ["change", "change", "write"], "Which answer?": ["lintCommand", "testCommand"] },
        answers: { lintCommand: "make lint", testCommand: "make test" },
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("lintCommand: make lint");
    expect(answers).toContain("testCommand: make test");
  });
});

describe("the command printed on cancel", () => {
  beforeAll(async () => {
    await buildOnce();
  });

  it("answers a pack question named like a command option with --set, and run as printed it repeats the answers", async () => {
    const pack = join(tempDir(), "named-like-options");
    mkdirSync(join(pack, "files"), { recursive: true });
    writeFileSync(
      join(pack, "template.yaml"),
      [
        "name: named-like-options",
        "version: 1.0.0",
        'engine: ">=0.1.0"',
        "questions:",
        "  - { key: name, type: text, message: Name, default: svc }",
        "  - { key: to, type: text, message: Where it is deployed, default: staging }",
        "  - { key: force, type: confirm, message: Force it, default: false }",
        "  - { key: verbose, type: confirm, message: Chatty logs, default: false }",
        "",
      ].join("\n"),
    );
    writeFileSync(join(pack, "files", "out.txt.eta"), "<%= it.to %> <%= it.force %> <%= it.verbose %>\n");
    // (and the YAML helper works in the built tool, with the library bundled rather than installed)
    writeFileSync(join(pack, "files", "values.yaml.eta"), "<%~ it.h.yaml({ where: it.to, flags: [it.force] }) %>\n");
    const work = tempDir();
    const r = await runCli(["svc", "--template", pack], {
      cwd: work,
      script: { answers: { to: "eu-prod", force: true, verbose: true }, select: { "Write these files?": ["cancel"] } },
    });
    expect(r.code).toBe(130);
    expect(existsSync(join(work, "svc"))).toBe(false);
    const printed = r.stdout.slice(r.stdout.indexOf("npx @create-pipeline/cli@")).trim();
    expect(printed).toContain("--set to=eu-prod");
    expect(printed).toContain("--set force=true");
    expect(printed).not.toMatch(/--to |--force\b/);
    // Pasted into a shell (the local build standing in for npx), it writes those answers.
    const command = printed.replace(/^npx @create-pipeline\/cli@\S+/, `'${process.execPath}' '${BIN}'`);
    execFileSync("bash", ["-c", command], { cwd: work, env: { ...process.env, CI: "true" }, stdio: "pipe" });
    expect(readFileSync(join(work, "svc", "out.txt"), "utf8")).toBe("eu-prod true true\n");
    expect(readFileSync(join(work, "svc", "values.yaml"), "utf8")).toBe("where: eu-prod\nflags:\n  - true\n");
    expect(readdirSync(join(work, "svc"))).toContain(".create-pipeline.yaml");
  });
});

describe("a new pack question named like a command option", () => {
  it("check tells how to answer it with --set, and that answer works", async () => {
    const pack = (version: string, extra: string[]) => {
      const dir = join(tempDir(), `pack-${version}`);
      mkdirSync(join(dir, "files"), { recursive: true });
      writeFileSync(
        join(dir, "template.yaml"),
        [
          "name: renamed",
          `version: ${version}`,
          'engine: ">=0.1.0"',
          "questions:",
          "  - { key: name, type: text, message: Name, default: svc }",
          ...extra,
          "",
        ].join("\n"),
      );
      writeFileSync(join(dir, "files", "out.txt.eta"), "<%= it.name %> <%= it.to ?? '' %>\n");
      return dir;
    };
    const v1 = pack("1.0.0", []);
    const v2 = pack("1.1.0", ["  - { key: to, type: text, message: Where it is deployed }"]);
    const dir = join(tempDir(), "svc");
    expect((await runCli([dir, "--template", v1, "--yes"])).code).toBe(0);
    const c = await runCli(["check", dir, "--template", v2]);
    expect(c.code).toBe(3);
    expect(c.stdout).toContain("--set to=<value>");
    expect(c.stdout).not.toContain("--to <value>");
    const u = await runCli(["update", dir, "--template", v2, "--set", "to=eu", "--allow-dirty"]);
    expect(u.code, u.stderr).toBe(0);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("svc eu\n");
  });
});

describe("the pack's descriptions reach the help whole", () => {
  const file = join(REPO, "templates", "pipeline", "template.yaml");
  const text = readFileSync(file, "utf8");
  const DESCRIPTIONS = new Set(["message", "help", "patternMessage", "label", "hint"]);

  it("no description in template.yaml is cut by a '#' that YAML reads as a comment", () => {
    const cut: string[] = [];
    let seen = 0;
    visit(parseDocument(text), {
      Pair(_, pair) {
        if (!isPair(pair) || !isScalar(pair.key) || !DESCRIPTIONS.has(String(pair.key.value)) || !isScalar(pair.value)) return;
        seen++;
        const end = pair.value.range![1];
        const rest = text.slice(end, text.indexOf("\n", end) === -1 ? text.length : text.indexOf("\n", end));
        if (/^\s*#/.test(rest)) {
          const line = text.slice(0, end).split("\n").length;
          cut.push(`template.yaml:${line}: ${String(pair.key.value)} "${String(pair.value.value)}" then ${rest.trim()}`);
        }
      },
    });
    expect(seen).toBeGreaterThan(50);
    expect(cut).toEqual([]);
  });

  it("every question's message is in `create --help` as written", async () => {
    const r = await runCli(["create", "--help"]);
    expect(r.code).toBe(0);
    // The help wraps a description under its flag: joined back, each reads as in the pack.
    const help = r.stdout.replace(/\n {6,}(?=\S)/g, " ");
    const doc = parseDocument(text).toJS() as { questions: { key: string; message: string }[] };
    const missing = doc.questions.filter((q) => !help.includes(`${q.message} (`)).map((q) => `${q.key}: ${q.message}`);
    expect(missing).toEqual([]);
    expect(help).toContain("Slack channel for Argo CD's reports (without #)");
  });
});

describe("answers on the command line", () => {
  it("`add --help` lists the pack's answer flags, as create's does", async () => {
    const r = await runCli(["add", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Answer flags of the 'pipeline' pack");
    expect(r.stdout).toMatch(/\n {2}--port <number>\n/);
  });

  it("one answer given two values (--set and its flag) is refused, naming both; nothing is written", async () => {
    const dir = pythonService();
    const before = readTree(dir);
    const r = await runCli([dir, "--yes", "--set", "port=8080", "--port", "9090"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("port is given two values: --set port=8080 and --port 9090");
    expect(readTree(dir)).toEqual(before);
    // The same value twice is no conflict.
    expect((await runCli([dir, "--yes", "--set", "port=8080", "--port", "8080", "--dry-run"])).code).toBe(0);
  });

  it("check with an answer flag suggests the update that carries it", async () => {
    const dir = pythonService();
    expect((await runCli([dir, "--yes"])).code).toBe(0);
    const r = await runCli(["check", dir, "--port", "9999"]);
    expect(r.code).toBe(3);
    expect(r.stdout.replace(/\n +/g, " ")).toMatch(/Drift found: run npx @create-pipeline\/cli@\S+ update \S+ --port 9999\./);
    const j = JSON.parse((await runCli(["check", dir, "--port", "9999", "--json"])).stdout) as { problems: { kind: string; message: string }[] };
    expect(j.problems.find((p) => p.kind === "drift")?.message).toMatch(/update \S+ --port 9999$/);
    // The suggested command does what check said: afterwards check passes with the new answer.
    expect((await runCli(["update", dir, "--port", "9999", "--yes", "--allow-dirty"])).code).toBe(0);
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("--config naming a file that is not there says so, and where it looked", async () => {
    const dir = tempDir();
    const r = await runCli(["svc", "--yes", "--owner", "acme", "--config", "answers.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    const text = r.stderr.replace(/\n {2,}(?!at:|fix:)/g, " ");
    expect(text).toContain("config file 'answers.yaml' not found");
    expect(text).toContain(`at: ${join(dir, "answers.yaml")}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an unknown key in a --config file gets a did-you-mean, as an unknown flag does", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "answers.yaml"), "name: svc\nowner: acme\nprot: 8080\n");
    const r = await runCli(["svc", "--yes", "--config", "answers.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown key 'prot' in answers.yaml");
    expect(r.stderr).toContain("did you mean 'port'?");
    const flag = await runCli(["svc", "--yes", "--prot", "8080"], { cwd: dir });
    expect(flag.stderr).toContain("did you mean '--port'?");
  });
});
