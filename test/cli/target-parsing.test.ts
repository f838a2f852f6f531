import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKS, runCli, tempDir } from "../support/cli.js";

const demo = join(PACKS, "demo-v1");

describe("the target folder after an answer flag", () => {
  it("update --debug <dir> works on <dir>, not on the current folder", async () => {
    const work = tempDir();
    expect((await runCli(["svc", "--template", demo, "--yes"], { cwd: work })).code).toBe(0);
    const r = await runCli(["update", "--debug", "svc", "--allow-dirty"], { cwd: work });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(join(work, "svc", ".create-pipeline.yaml"), "utf8")).toContain("debug: true");
  });

  it("check --port 9000 <dir> reads <dir> and reports the changed answer as drift", async () => {
    const work = tempDir();
    expect((await runCli(["svc", "--template", demo, "--yes"], { cwd: work })).code).toBe(0);
    const r = await runCli(["check", "--port", "9000", "svc"], { cwd: work });
    expect(r.code).toBe(3);
  });
});

describe("a file where a folder is needed", () => {
  it("is a usage error naming the path, and nothing is written", async () => {
    const work = tempDir();
    writeFileSync(join(work, "env"), "I am a file\n");
    mkdirSync(join(work, "config"));
    const r = await runCli([work, "--template", demo, "--yes", "--force", "--language", "go"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'env' is a file where a folder is needed");
    expect(readFileSync(join(work, "env"), "utf8")).toBe("I am a file\n");
  });
});
