// Every way the tool tells someone to run it names the package we own and an exact version.
// The unscoped npm name `create-pipeline` belongs to an unrelated project: `npx create-pipeline`
// (or `npx @create-pipeline/cli` with no version, or `@latest`) in a generated workflow or a
// printed hint would run code nobody here chose. Checked over the whole pairwise option space of
// the built-in pack, the pack's next steps, and the CLI's messages on its main paths.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { render, renderText } from "../../src/core/render.js";
import { loadPack } from "../../src/io/pack-loader.js";
import { PACKAGE_NAME } from "../../src/product.js";
import { TOOL_VERSION } from "../../src/version.js";
import { OptionSpace, loadProfiles } from "../conformance/combinations.js";
import { REPO, readTree, runCli, tempDir } from "../support/cli.js";

const EXACT = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?`;

/** Lines that invoke the tool in a way that could run another package or another version. */
export function badInvocations(text: string, opts: { source?: boolean; messages?: boolean } = {}): string[] {
  const runner = String.raw`(?:npx|pnpx|bunx|npm\s+(?:exec|x)|pnpm\s+(?:dlx|exec)|yarn\s+(?:dlx|exec))`;
  const install = String.raw`(?:npm|pnpm|yarn|bun)\s+(?:i|install|add)(?:\s+-{1,2}[\w-]+)*`;
  const bad: RegExp[] = [
    // a package runner with the unscoped name, with or without a version
    new RegExp(String.raw`\b${runner}\b(?:\s+-{1,2}[\w-]+(?:[= ]\S+)?)*\s+(?:-p\s+|--package[= ])?create-pipeline(?![\w/-])`),
    // `<pm> create pipeline` / `npm init pipeline` resolve to the unscoped create-pipeline package
    /\b(?:npm|pnpm|yarn|bun)\s+(?:create|init)\s+pipeline\b/,
    // installing the unscoped name
    new RegExp(String.raw`\b${install}\s+create-pipeline(?![\w/-])`),
    // running or installing our package without an exact version (none, a range, a dist-tag, a
    // placeholder); in the tool's source the version is usually interpolated, which is fine
    new RegExp(
      String.raw`\b(?:${runner}|${install})\b(?:\s+-{1,2}[\w-]+(?:[= ]\S+)?)*\s+(?:-p\s+|--package[= ])?@create-pipeline/cli(?!@${EXACT}(?![\w.<>-]))${opts.source ? String.raw`(?!@\$\{)` : ""}`,
    ),
    // the bare command in a how-to-run hint: `create-pipeline update`, `create-pipeline --yes`, `create-pipeline my-svc`
    /(?<![\w@/.-])create-pipeline\s+(?:create|update|check|schema|diff|add|-{1,2}[a-z])\b/,
    ...(opts.source ? [] : [/`create-pipeline\s+[^`\n]*`/]),
    // an interpolation that never happened: a printed hint with `${...}` in it
    ...(opts.messages ? [/\$\{[A-Za-z_][\w.]*\([^)]*\)\}|\$\{(?:toolCommand|PACKAGE_NAME|TOOL_VERSION)\b/] : []),
  ];
  return text.split("\n").filter((line) => bad.some((re) => re.test(line)));
}

/** Mentions of our package in text; the package name alone (say, in prose) is fine, invocations are what count. */
const mentionsRun = (text: string) => text.includes(`${PACKAGE_NAME}@${TOOL_VERSION}`);

describe("the detector itself", () => {
  it("flags each unsafe form and passes the exact one", () => {
    for (const s of [
      "npx create-pipeline update",
      "npx -y create-pipeline",
      "pnpx create-pipeline",
      "npm exec create-pipeline -- check",
      "pnpm dlx create-pipeline",
      "yarn dlx create-pipeline@0.1.0 update",
      "pnpm create pipeline",
      "yarn create pipeline",
      "npm i -g create-pipeline",
      "run `create-pipeline --yes`",
      "run `create-pipeline my-svc`",
      "npx --yes create-pipeline@0.1.0 check",
      "npm create pipeline",
      "npx @create-pipeline/cli update",
      "npx @create-pipeline/cli@latest update",
      "npx @create-pipeline/cli@^0.1.0 check",
      "run `create-pipeline update` to change it",
    ])
      expect(badInvocations(s), s).toEqual([s]);
    expect(badInvocations("fix: `${toolCommand()} update <dir> [flags]`", { messages: true })).toHaveLength(1);
    expect(badInvocations("npx --yes @create-pipeline/cli@<version> update")).toHaveLength(1);
    for (const s of [
      "npx --yes @create-pipeline/cli@0.1.0 check",
      "`npx @create-pipeline/cli@1.2.3-rc.1 update`",
      "npm install -g @create-pipeline/cli@0.1.0",
      "state in .create-pipeline/state.json",
      "# made by create-pipeline",
      "what create-pipeline writes for this repository",
      "the create-pipeline pack",
      "published as `@create-pipeline/cli` (once installed, the command is `create-pipeline`)",
      '"title": "create-pipeline answers for the pack"',
      "  or, installed (npm install -g @create-pipeline/cli@0.1.0): create-pipeline [command] ...",
      'echo "::group::${env}"',
    ])
      expect(badInvocations(s), s).toEqual([]);
  });
});

describe("generated files over the option space", () => {
  it("invoke only the owned package at this exact version", async () => {
    const space = OptionSpace.load();
    const combos = [...space.pairwiseCover(), ...loadProfiles().map((p) => ({ id: p.name, answers: space.complete(p.given) }))];
    const loaded = await loadPack({ kind: "builtin", name: "pipeline" });
    const pack = loaded.pack;
    let files = 0;
    let runs = 0;
    const offenders: string[] = [];
    for (const c of combos) {
      const tree = render(pack, c.answers, { toolVersion: TOOL_VERSION });
      const texts: [string, string][] = [...tree].map(([p, f]) => [p, f.content]);
      if (pack.manifest.nextSteps) texts.push(["(next steps)", renderText(pack, pack.manifest.nextSteps, c.answers, { toolVersion: TOOL_VERSION })]);
      for (const [path, text] of texts) {
        files++;
        if (mentionsRun(text)) runs++;
        for (const line of badInvocations(text)) offenders.push(`${c.id} ${path}: ${line.trim()}`);
      }
    }
    await loaded.cleanup();
    expect(offenders).toEqual([]);
    expect(combos.length).toBeGreaterThan(10);
    // The check workflow and the guide really do tell people how to run it (else this proves nothing).
    expect(runs).toBeGreaterThan(combos.length);
    expect(files).toBeGreaterThan(combos.length * 10);
    // It renders every combination of the cover and every profile: minutes on a loaded machine.
  }, 300_000);
});

describe("CLI messages", () => {
  it("name the owned package and exact version on create, check, update, help and errors", async () => {
    const dir = tempDir();
    const out: string[] = [];
    const record = (r: { stdout: string; stderr: string }) => out.push(r.stdout, r.stderr);
    record(await runCli(["--help"], { cwd: dir }));
    record(await runCli(["update", "--help"], { cwd: dir }));
    const created = await runCli(["svc", "--yes", "--language", "node", "--owner", "acme"], { cwd: dir });
    expect(created.code).toBe(0);
    record(created);
    const target = join(dir, "svc");
    const tree = readTree(target);
    out.push(...Object.values(tree));
    // the answers file names the exact command and its schema is a file in the repository
    expect(tree[".create-pipeline.yaml"]).toContain(`npx ${PACKAGE_NAME}@${TOOL_VERSION} update`);
    expect(tree[".create-pipeline.yaml"]).toMatch(/^# yaml-language-server: \$schema=\.\/\.create-pipeline\/answers\.schema\.json$/m);
    expect(JSON.parse(tree[".create-pipeline/answers.schema.json"]!).properties.language).toBeDefined();
    // drift: an answer edited by hand
    const answers = join(target, ".create-pipeline.yaml");
    writeFileSync(answers, readFileSync(answers, "utf8").replace(/^port: .*$/m, "port: 9999"));
    const drift = await runCli(["check", target], { cwd: dir });
    expect(drift.code).toBe(3);
    record(drift);
    record(await runCli(["update", target, "--allow-dirty"], { cwd: dir }));
    // errors with hints: a second create, update of a folder without state, a bad flag
    record(await runCli(["svc", "--yes"], { cwd: dir }));
    record(await runCli(["update", tempDir()], { cwd: dir }));
    record(await runCli(["check", target, "--bogus-flag"], { cwd: dir }));
    // a target given where a flag value was expected: the hint names the command to type
    record(await runCli(["update", "--name", "svc", "--yes"], { cwd: dir }));
    record(await runCli(["check", "--port", "svc", "--json"], { cwd: dir }));
    const text = out.join("\n");
    expect(badInvocations(text, { messages: true })).toEqual([]);
    expect(text).toContain(`npx ${PACKAGE_NAME}@${TOOL_VERSION}`);
  });

  it("no source file of the tool spells an unsafe invocation", () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else for (const line of badInvocations(readFileSync(p, "utf8"), { source: true })) offenders.push(`${p.slice(REPO.length + 1)}: ${line.trim()}`);
      }
    };
    walk(join(REPO, "src"));
    walk(join(REPO, "templates"));
    walk(join(REPO, "bin"));
    expect(offenders).toEqual([]);
    // a literal spec in source is held to the exact-version rule too
    expect(badInvocations("const s = 'npx @create-pipeline/cli@latest update';", { source: true })).toHaveLength(1);
    expect(badInvocations("const s = `npx ${PACKAGE_NAME}@${version}`;", { source: true })).toEqual([]);
  });

  it("messages quote every command they tell someone to run the same way: in backticks, the tool as its exact command", async () => {
    // A bare `run create again`, `create --force` or `(git checkout -- ...)` next to a quoted
    // `npx @create-pipeline/cli@<version> update` reads as two conventions (and the bare tool
    // command runs nothing when pasted).
    const bare = [
      /\brun (?:create|update|add|check|diff)\b/,
      /(?<![\w`-])(?:create|update) --force\b(?!\\?`)/,
      /(?<![`\w])git (?:checkout|rm|mv|status|diff|add|commit)\b(?![^`\n]*`)/,
      /(?<![`\w])iconv -f\b/,
    ];
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".ts"))
          for (const line of readFileSync(p, "utf8").split("\n"))
            if (!/^\s*(?:\/\/|\*|\/\*)/.test(line) && bare.some((re) => re.test(line))) offenders.push(`${p.slice(REPO.length + 1)}: ${line.trim()}`);
      }
    };
    walk(join(REPO, "src"));
    expect(offenders).toEqual([]);
    // as printed: a git command, quoted
    const dir = join(tempDir(), "svc");
    expect((await runCli(["create", dir, "--yes", "--owner", "acme", "--language", "node", "--start-command", "node index.js"])).code).toBe(0);
    writeFileSync(join(dir, ".create-pipeline", "state.json"), "{\n");
    const r = await runCli(["check", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("fix: restore it from git (`git checkout -- .create-pipeline/`)");
  });

  it("the README and docs, which ship with the package, name it the same way", () => {
    const offenders: string[] = [];
    const docs = [
      "README.md",
      ...readdirSync(join(REPO, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => join("docs", f)),
    ];
    for (const f of docs) for (const line of badInvocations(readFileSync(join(REPO, f), "utf8"))) offenders.push(`${f}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
