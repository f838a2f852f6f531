// A template that never finishes, a huge answer, a YAML alias bomb: clear errors, exit 2, nothing written.
import { cpSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { V1 } from "../support/repo.js";

describe("limits", () => {
  it("a template with an endless loop stops with an error naming it", async () => {
    const pack = join(tempDir(), "pack");
    cpSync(V1, pack, { recursive: true });
    writeFileSync(join(pack, "files", "loop.txt.eta"), "<% while (true) {} %>\n");
    const target = join(tempDir(), "svc");
    const started = Date.now();
    process.env.CREATE_PIPELINE_RENDER_TIMEOUT_MS = "1500";
    const r = await runCli(["create", target, "--template", pack, "--yes"]).finally(() => delete process.env.CREATE_PIPELINE_RENDER_TIMEOUT_MS);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("template files/loop.txt.eta did not finish within 1.5 s");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(existsSync(target)).toBe(false);
  }, 60_000);

  it("a 50 MB answer is refused at input, before anything is rendered", async () => {
    const target = join(tempDir(), "svc");
    const r = await runCli(["create", target, "--template", V1, "--yes", "--set", `goModule=${"x".repeat(50_000_000)}`, "--language", "go"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("answers are limited to 10000");
    expect(existsSync(target)).toBe(false);
  });

  it("a YAML alias bomb in a --config file is refused", async () => {
    const dir = tempDir();
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    lines.push("name: *l");
    writeFileSync(join(dir, "answers.yaml"), `${lines.join("\n")}\n`);
    const r = await runCli(["create", join(dir, "svc"), "--template", V1, "--yes", "--config", join(dir, "answers.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("internal error");
  });
  it("a 20 MB quoted answer in a --config file is refused like a long --set (exit 2), not an internal error", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "answers.yaml"), `goModule: "${"x".repeat(20_000_000)}"\nlanguage: go\n`);
    const target = join(dir, "svc");
    const r = await runCli(["create", target, "--template", V1, "--yes", "--config", join(dir, "answers.yaml")]);
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("answers are limited to 10000");
    expect(existsSync(target)).toBe(false);
  });
});
