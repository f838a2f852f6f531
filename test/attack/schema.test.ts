// One schema drives everything: the answers JSON Schema published for editors and for validating a
// --config file must refuse what the CLI refuses (a line break or control character, `${{`, the
// pack's other `refuse:` rules, over-long answers) and accept what it accepts. Each case is one
// answers file, given to the CLI (create --config --dry-run) and to check-jsonschema.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { toolPaths } from "../support/validators.js";

const BASE = { owner: "acme", language: "node" };
const HOSTILE = [
  "make lint # strict",
  "echo a: b && [ -f x ] && make",
  "''",
  "line one\nline two",
  "carriage\rreturn",
  "tab\there",
  "nul\u0000byte",
  "next\u0085line",
  "separator\u2028here",
  "echo ${{ secrets.TOKEN }}",
  "x".repeat(10_001),
];

const cases: { name: string; answers: Record<string, unknown> }[] = [];
for (const key of ["lintCommand", "testCommand", "buildCommand", "startCommand"])
  for (const v of HOSTILE) cases.push({ name: `${key}=${JSON.stringify(v.slice(0, 40))}`, answers: { ...BASE, [key]: v } });
// A refusal that depends on another answer: a Go image has no shell, so its start command is plain words.
for (const [language, v] of [
  ["go", "./server --port 8080"],
  ["go", './server "--port" 8080'],
  ["go", "./server; rm -rf /"],
  ["node", './server "--port" 8080'],
] as const)
  cases.push({ name: `startCommand under ${language}: ${v}`, answers: { ...BASE, language, startCommand: v } });
for (const v of ["http://prometheus.monitoring:9090", "http://x/${{ github.token }}", "http://x\n/y"])
  cases.push({
    name: `prometheusAddress=${JSON.stringify(v)}`,
    answers: { ...BASE, strategy: "canary", canaryAnalysis: true, requestMetric: "http_requests_total{status}", prometheusAddress: v },
  });
for (const v of ["https://github.com/acme/deploy.git", "https://github.com/acme/${{ github.token }}.git", "https://github.com/acme/a\tb.git"])
  cases.push({ name: `repoUrl=${JSON.stringify(v)}`, answers: { ...BASE, mode: "gitops", repoUrl: v } });

describe("the answers JSON Schema refuses exactly what the CLI refuses", () => {
  it(`${cases.length} answers files: check-jsonschema and create --config agree on each`, async () => {
    const dir = tempDir("cp-schema-");
    const schema = await runCli(["schema"]);
    expect(schema.code, schema.stderr).toBe(0);
    writeFileSync(join(dir, "schema.json"), schema.stdout);
    const files = cases.map((c, i) => {
      const f = join(dir, `case-${i}.json`);
      writeFileSync(f, JSON.stringify(c.answers));
      return f;
    });
    const cli: boolean[] = [];
    for (const f of files) {
      const r = await runCli(["create", join(dir, "svc"), "--config", f, "--yes", "--dry-run"]);
      expect([0, 2], r.stderr).toContain(r.code);
      expect(r.stderr).not.toContain("internal error");
      cli.push(r.code === 0);
    }
    const r = spawnSync(toolPaths.checkJsonschema, ["--schemafile", join(dir, "schema.json"), "--output-format", "json", "--color", "never", ...files], {
      encoding: "utf8",
    });
    const out = JSON.parse(r.stdout) as { errors?: { filename: string }[]; parse_errors?: unknown[] };
    expect(out.parse_errors ?? []).toEqual([]);
    const rejected = new Set((out.errors ?? []).map((e) => e.filename));
    const verdicts = cases.map((c, i) => `${c.name}: cli ${cli[i] ? "accepts" : "refuses"}, schema ${rejected.has(files[i]!) ? "refuses" : "accepts"}`);
    const disagree = verdicts.filter((v) => /accepts, schema refuses|refuses, schema accepts/.test(v));
    expect(disagree).toEqual([]);
    // The cases mean something: both outcomes occur, for the free-text commands and the conditional rule.
    expect(cli.filter(Boolean).length).toBeGreaterThanOrEqual(10);
    expect(cli.filter((x) => !x).length).toBeGreaterThanOrEqual(30);
    expect(verdicts.find((v) => v.startsWith('startCommand under go: ./server "--port"'))).toContain("cli refuses");
    expect(verdicts.find((v) => v.startsWith('startCommand under node: ./server "--port"'))).toContain("cli accepts");
  }, 120_000);
});
