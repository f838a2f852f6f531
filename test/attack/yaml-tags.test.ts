// A YAML tag the 1.2 core schema does not know (`port: !foo 8080`, `!!binary`, `- !env dev`, a
// tag on a service item) in the answers file or a --config file is exit 2 naming file:line:column
// with a fix, for create --config, update, check and add, one service and several: the YAML
// library would drop it with a warning and read the value as plain text, and the tool would act on
// something the file did not say. Nothing is written. The core tags (!!str, !!int...) still read.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { makeRepo, servicesShop, snapshot, V1 } from "../support/repo.js";

const ANSWERS = ".create-pipeline.yaml";

/** Replace the one line matching `from` (whole line) in the file; returns its 1-based number. */
function retag(file: string, from: RegExp, to: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => from.test(l));
  if (i < 0) throw new Error(`no line ${String(from)} in ${file}`);
  lines[i] = lines[i]!.replace(from, to);
  writeFileSync(file, lines.join("\n"));
  return i + 1;
}

function expectTagRefused(r: { code: number; stderr: string; stdout: string }, file: string, tag: string, line: number, col: number) {
  const err = unwrapReport(r.stderr);
  expect(r.code, err + r.stdout).toBe(2);
  expect(err).toContain(`has the YAML tag '${tag}', which this tool does not read`);
  expect(err).toContain(`at: ${file}:${line}:${col}`);
  expect(err).toContain(`fix: remove '${tag}' and write the value itself`);
  expect(err).not.toContain("internal error");
}

describe("one service", () => {
  for (const [name, from, to, tag, col] of [
    ["a local tag on a scalar", /^port: 8080$/, "port: !foo 8080", "!foo", 7],
    ["!!binary (YAML 1.1, not in the core schema)", /^port: 8080$/, "port: !!binary ODA4MA==", "!!binary", 7],
    ["a local tag on a list item", /^ {2}- dev$/, "  - !env dev", "!env", 5],
    ["a local tag on the list itself", /^environments:$/, "environments: !envs", "!envs", 15],
  ] as const) {
    it(`${name}: update, update --dry-run and check exit 2 naming file:line:col, nothing written`, async () => {
      const dir = await makeRepo();
      const line = retag(join(dir, ANSWERS), from, to);
      const before = snapshot(dir);
      expectTagRefused(await runCli(["update", dir, "--template", V1, "--yes"]), ANSWERS, tag, line, col);
      expectTagRefused(await runCli(["update", dir, "--template", V1, "--yes", "--set", "debug=true"]), ANSWERS, tag, line, col);
      expectTagRefused(await runCli(["update", dir, "--template", V1, "--dry-run"]), ANSWERS, tag, line, col);
      expectTagRefused(await runCli(["check", dir, "--template", V1]), ANSWERS, tag, line, col);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("create --config with a tagged value: exit 2 naming the config file, no folder made", async () => {
    const config = join(tempDir("cp-tags-"), "answers.yaml");
    writeFileSync(config, "language: go\nport: !foo 8080\n");
    const target = join(tempDir("cp-tags-"), "svc");
    expectTagRefused(await runCli(["create", target, "--template", V1, "--yes", "--config", config]), config, "!foo", 2, 7);
    expect(() => readFileSync(join(target, ANSWERS))).toThrow();
  });

  it("a YAML 1.2 core tag is read as it says (debug: !!bool true), not refused", async () => {
    const dir = await makeRepo();
    retag(join(dir, ANSWERS), /^debug: false$/, "debug: !!bool true");
    const r = await runCli(["update", dir, "--template", V1, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, ANSWERS), "utf8")).toContain("debug: !!bool true");
  });
});

describe("several services", () => {
  it("a tag on a service's value, on a service item, on a shared list item: update, check and add exit 2, nothing written", async () => {
    const dir = await servicesShop("cp-tags-");
    const file = join(dir, ANSWERS);
    const original = readFileSync(file, "utf8");
    for (const [from, to, tag, col] of [
      [/^ {4}port: 3000$/, "    port: !foo 3000", "!foo", 11],
      [/^ {2}- path: services\/worker$/, "  - !svc\n    path: services/worker", "!svc", 5],
      [/^ {2}- dev$/, "  - !!binary ZGV2", "!!binary", 5],
    ] as const) {
      writeFileSync(file, original);
      const line = retag(file, from, to);
      const before = snapshot(dir);
      expectTagRefused(await runCli(["update", dir, "--yes"]), ANSWERS, tag, line, col);
      expectTagRefused(await runCli(["update", dir, "--dry-run"]), ANSWERS, tag, line, col);
      expectTagRefused(await runCli(["check", dir]), ANSWERS, tag, line, col);
      expectTagRefused(await runCli(["add", "services/gateway", "--yes"], { cwd: dir }), ANSWERS, tag, line, col);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("create --config of a services list with a tag: exit 2 naming the config file, nothing written", async () => {
    const dir = await servicesShop("cp-tags-");
    const config = join(tempDir("cp-tags-"), "answers.yaml");
    writeFileSync(config, readFileSync(join(dir, ANSWERS), "utf8"));
    const line = retag(config, /^ {4}port: 8000$/, "    port: !port 8000");
    const before = snapshot(dir);
    expectTagRefused(await runCli(["create", dir, "--yes", "--force", "--config", config]), config, "!port", line, 11);
    expect(snapshot(dir)).toEqual(before);
  });
});
