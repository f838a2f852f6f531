// The tools a repository pins are the ones its pipeline installs: pnpm at the release its
// lockfile's format names (a major only: that major's pinned last release, never "latest"), and
// golangci-lint for a Go service that configures it (its major from the configuration).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";

function service(files: Record<string, string>): string {
  const dir = join(tempDir("cp-tools-"), "svc");
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}
const steps = (dir: string) =>
  (
    parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as {
      jobs: Record<string, { name?: string; steps: { name?: string; run?: string; env?: Record<string, string> }[] }>;
    }
  ).jobs.test!.steps;

describe("tools at the repository's versions", () => {
  it("pnpm from a lockfile's format (9.0): pnpm 9's pinned release in CI and in the image, not the pack's newer pnpm", async () => {
    const dir = service({
      "package.json": JSON.stringify({ name: "svc", scripts: { start: "node server.js", test: "node --test" } }),
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "server.js": "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n",
    });
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain("npm install -g pnpm@9.15.9 && pnpm install --frozen-lockfile --prod");
    const install = steps(dir).find((s) => s.name?.startsWith("Install pnpm"))!;
    expect(install.env).toEqual({ PNPM_VERSION: "9.15.9" });
  });

  it("golangci-lint configured: CI installs it (v2 for a version 2 configuration) and runs it, with no go vet", async () => {
    const dir = service({
      "go.mod": "module example.com/shop\n\ngo 1.24\n",
      "main.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      ".golangci.yml": 'version: "2"\n',
    });
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    const all = steps(dir);
    const install = all.find((s) => s.name === "Install golangci-lint")!;
    expect(install.run).toContain('go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v${GOLANGCI_LINT_VERSION}"');
    expect(install.env?.GOLANGCI_LINT_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(all.find((s) => s.name === "Lint")!.env).toEqual({ LINT_COMMAND: "golangci-lint run" });
    expect(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")).not.toContain("go vet");
  });
});
