// A port written into the service's files that no environment variable moves (Ktor's
// `port = 8080` in application.conf, `embeddedServer(Netty, port = 8080)`): when the answered port
// is another, create and --dry-run say so with the file and line and the fix; with `${?PORT}` the
// chart's PORT moves it and nothing is said.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { git } from "../support/repo.js";

const BUILD = `plugins {
    kotlin("jvm") version "2.1.0"
    id("io.ktor.plugin") version "3.1.3"
}

application {
    mainClass.set("io.ktor.server.netty.EngineMain")
}

dependencies {
    implementation("io.ktor:ktor-server-netty-jvm")
}
`;

function ktor(files: Record<string, string>): string {
  const dir = join(tempDir(), "quotes");
  for (const [f, text] of Object.entries({ "build.gradle.kts": BUILD, "settings.gradle.kts": 'rootProject.name = "quotes"\n', ...files })) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  git(dir, "init", "-q", "-b", "main");
  git(dir, "remote", "add", "origin", "https://github.com/acme/quotes.git");
  return dir;
}

const conf = (port: string) => `ktor {\n    deployment {\n${port}    }\n    application {\n        modules = [ com.example.ApplicationKt.module ]\n    }\n}\n`;

describe("a port no environment variable moves", () => {
  it("application.conf's port = 8080 and an answered 9090: a warning naming the file:line and the fix, in --dry-run, create and --json", async () => {
    const dir = ktor({ "src/main/resources/application.conf": conf("        port = 8080\n") });
    const dry = await runCli([dir, "--yes", "--dry-run", "--port", "9090"]);
    expect(dry.code, dry.stderr).toBe(0);
    const text = unwrapReport(dry.stdout);
    expect(text).toMatch(/WARNING: the service listens on port 8080 whatever PORT says \(src\/main\/resources\/application\.conf:3;/);
    expect(text).toMatch(/Fix: add `port = \$\{\?PORT\}` on the line after it/);
    const json = JSON.parse((await runCli([dir, "--yes", "--dry-run", "--json", "--port", "9090"])).stdout);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: "existing", path: "src/main/resources/application.conf:3" }));
    const made = await runCli([dir, "--yes", "--port", "9090"]);
    expect(made.code, made.stderr).toBe(0);
    expect(unwrapReport(made.stdout)).toMatch(/WARNING: the service listens on port 8080/);
  });

  it("embeddedServer(Netty, port = 8080) names its source line; the detected port itself, or ${?PORT}, says nothing", async () => {
    const code = ktor({
      "src/main/kotlin/com/example/Application.kt":
        'package com.example\n\nfun main() {\n    embeddedServer(Netty, port = 8080, host = "0.0.0.0", module = Application::module)\n        .start(wait = true)\n}\n',
    });
    const r = unwrapReport((await runCli([code, "--yes", "--dry-run", "--port", "9090"])).stdout);
    expect(r).toMatch(/\(src\/main\/kotlin\/com\/example\/Application\.kt:4;/);
    expect(r).toMatch(/System\.getenv\("PORT"\)\?\.toInt\(\) \?: 8080/);
    expect(unwrapReport((await runCli([code, "--yes", "--dry-run"])).stdout)).not.toMatch(/WARNING: the service listens/);
    const env = ktor({ "src/main/resources/application.conf": conf("        port = 8080\n        port = ${?PORT}\n") });
    expect(unwrapReport((await runCli([env, "--yes", "--dry-run", "--port", "9090"])).stdout)).not.toMatch(/WARNING: the service listens/);
  });

  it("in a repository of several services, under the service that has it", async () => {
    const root = join(tempDir(), "mono");
    const files: Record<string, string> = {
      "quotes/build.gradle.kts":
        'plugins {\n    id("io.ktor.plugin") version "3.1.3"\n}\napplication {\n    mainClass.set("io.ktor.server.netty.EngineMain")\n}\n',
      "quotes/src/main/resources/application.conf": conf("        port = 8080\n"),
      "web/package.json": JSON.stringify({ name: "web", main: "index.js", scripts: { start: "node index.js" }, dependencies: { express: "^4.21.0" } }),
      "web/index.js": 'require("express")().get("/healthz", (q, s) => s.send("ok")).listen(process.env.PORT || 3000);\n',
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    git(root, "init", "-q", "-b", "main");
    git(root, "remote", "add", "origin", "https://github.com/acme/mono.git");
    const r = await runCli([root, "--yes", "--dry-run", "--port", "9090"]);
    expect(r.code, r.stderr).toBe(0);
    const text = unwrapReport(r.stdout);
    expect(text).toMatch(
      /quotes \(from the repository\):[\s\S]*WARNING: the service listens on port 8080 whatever PORT says \(src\/main\/resources\/application\.conf:3;[\s\S]*web \(from the repository\)/,
    );
    expect(text.match(/WARNING: the service listens/g)).toHaveLength(1);
  });
});
