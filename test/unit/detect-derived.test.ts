/**
 * Answers derived from what the repository says rather than taken as written: a lint script that
 * rewrites files run without rewriting, a start script's --env-file of a file the image does not
 * have, the package manager's version from the workspace root, runtime versions from .tool-versions
 * and mise.toml, Ktor's Gradle plugin and port.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";
import { readOnlyForm } from "../../src/io/detect/lint.js";
import { workspaceOf } from "../../src/io/detect/context.js";
import { cachedReader } from "../../src/io/detect/read.js";
import { findServices } from "../../src/io/detect/services.js";

const repo = tempRepos("detect-derived-");
const report = async (files: Record<string, string>) => detectReport(repo(files), { refusal: false });
const pkg = (o: Record<string, unknown>) => JSON.stringify({ name: "svc", ...o });

describe("a lint script that rewrites files", () => {
  it("NestJS's eslint --fix is run without --fix, shown as derived from the script", async () => {
    const r = await report({
      "package.json": pkg({
        scripts: { lint: 'eslint "{src,apps,libs,test}/**/*.ts" --fix', start: "node dist/main.js" },
        devDependencies: { eslint: "^9.0.0" },
      }),
      "package-lock.json": "{}",
    });
    expect(r.values.lintCommand).toBe('npx eslint "{src,apps,libs,test}/**/*.ts"');
    expect(r.from.lintCommand).toMatch(/scripts\["lint"\].*--fix dropped.*fixer/);
    expect(r.notes.lintCommand).toBeUndefined();
  });

  it("prettier --write becomes --check, each part of a chain, through the package manager's exec", async () => {
    const r = await report({
      "package.json": pkg({
        scripts: { lint: "eslint . --fix && prettier --write .", start: "node index.js" },
        devDependencies: { eslint: "9", prettier: "3" },
      }),
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "index.js": "",
    });
    expect(r.values.lintCommand).toBe("pnpm exec eslint . && pnpm exec prettier --check .");
    // A read-only part (tsc, from the typescript package) is kept as it is.
    const typed = await report({
      "package.json": pkg({ scripts: { lint: "tsc --noEmit && eslint src --fix" }, devDependencies: { eslint: "9", typescript: "5" } }),
      "package-lock.json": "{}",
    });
    expect(typed.values.lintCommand).toBe("npx tsc --noEmit && npx eslint src");
  });

  it("a read-only lint script beside the fixer is preferred", async () => {
    const r = await report({ "package.json": pkg({ scripts: { lint: "eslint . --fix", "lint:check": "eslint ." } }), "yarn.lock": "" });
    expect(r.values.lintCommand).toBe("yarn lint:check");
  });

  it("a fixer with no read-only form says why, not that nothing was found", async () => {
    const r = await report({ "package.json": pkg({ scripts: { lint: "npm run format && eslint . --fix" } }), "package-lock.json": "{}" });
    expect(r.values.lintCommand).toBeUndefined();
    expect(r.notes.lintCommand).toMatch(/rewrites files.*no read-only form.*runs another script/);
    // A tool the dependencies do not install would fail in CI as the script itself would.
    const uninstalled = await report({ "package.json": pkg({ scripts: { lint: "eslint . --fix" } }), "package-lock.json": "{}" });
    expect(uninstalled.values.lintCommand).toBeUndefined();
    expect(uninstalled.notes.lintCommand).toMatch(/eslint is not in package.json's dependencies/);
  });

  it("the read-only forms of the usual fixers", () => {
    const parts = (s: string) => {
      const r = readOnlyForm(s);
      return "parts" in r ? r.parts.join(" && ") : `no: ${r.reason}`;
    };
    expect(parts("ruff check --fix .")).toBe("ruff check .");
    expect(parts("ruff format .")).toBe("ruff format --check .");
    expect(parts("black .")).toBe("black --check .");
    expect(parts("isort src")).toBe("isort --check-only src");
    expect(parts("biome check --write ./src")).toBe("biome check ./src");
    expect(parts("prettier -w src")).toBe("prettier --check src");
    expect(parts("gofmt -w .")).toMatch(/^no: gofmt -w rewrites files/);
  });
});

describe("a start script's --env-file", () => {
  it("a .env that is gitignored is not in the image: the flag is dropped, and said", async () => {
    const r = await report({
      "package.json": pkg({ scripts: { start: "node --env-file=.env server.js" } }),
      "package-lock.json": "{}",
      ".gitignore": "node_modules\n.env\n",
      ".env": "PORT=3000\n",
      "server.js": "require('http').createServer().listen(process.env.PORT || 3000);\n",
    });
    expect(r.values.startCommand).toBe("node server.js");
    expect(r.from.startCommand).toMatch(/without --env-file \(\.env is ignored by \.gitignore.*chart/);
  });

  it("the space form and an absent file; a committed env file and --env-file-if-exists are kept", async () => {
    const absent = await report({ "package.json": pkg({ scripts: { start: "node --env-file .env src/index.js" } }), "src/index.js": "" });
    expect(absent.values.startCommand).toBe("node src/index.js");
    const committed = await report({
      "package.json": pkg({ scripts: { start: "node --env-file=config.env index.js" } }),
      "config.env": "A=1\n",
      "index.js": "",
    });
    expect(committed.values.startCommand).toBe("node --env-file=config.env index.js");
    const ifExists = await report({ "package.json": pkg({ scripts: { start: "node --env-file-if-exists=.env index.js" } }), "index.js": "" });
    expect(ifExists.values.startCommand).toBe("node --env-file-if-exists=.env index.js");
  });
});

describe("a pnpm workspace's services", () => {
  it("take pnpm's version from the root package.json packageManager, shown as the root's", async () => {
    const root = repo({
      "package.json": JSON.stringify({ name: "mono", private: true, packageManager: "pnpm@9.12.3+sha512.abc" }),
      "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "apps/api/package.json": pkg({ scripts: { start: "node server.js" } }),
      "apps/api/server.js": "",
    });
    const read = cachedReader();
    const workspace = await workspaceOf(root, "apps/api", read);
    const r = await detectReport(path.join(root, "apps/api"), { refusal: false, read, workspace });
    expect(r.values).toMatchObject({ packageManager: "pnpm", packageManagerVersion: "9.12.3" });
    expect(r.from.packageManagerVersion).toBe(`package.json packageManager "pnpm@9.12.3+sha512.abc" (the workspace root's)`);
  });

  it("without a pin at the root, the major that writes the root's lockfile", async () => {
    const root = repo({
      "package.json": JSON.stringify({ name: "mono", private: true }),
      "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
      "pnpm-lock.yaml": "lockfileVersion: '6.0'\n",
      "apps/web/package.json": pkg({ scripts: { start: "node server.js" } }),
      "apps/web/server.js": "",
    });
    const read = cachedReader();
    const r = await detectReport(path.join(root, "apps/web"), { refusal: false, read, workspace: await workspaceOf(root, "apps/web", read) });
    expect(r.values.packageManagerVersion).toBe("8");
    expect(r.from.packageManagerVersion).toMatch(/^pnpm-lock\.yaml lockfileVersion 6\.0 \(written by pnpm 8\) \(the workspace root's\)/);
  });
});

describe("runtime versions from .tool-versions and mise.toml", () => {
  it("Node: read when node's own files pin nothing exactly; below .nvmrc, above an engines range", async () => {
    const tv = await report({ "package.json": pkg({ scripts: { start: "node index.js" } }), "index.js": "", ".tool-versions": "ruby 3.3.0\nnodejs 20.11.1\n" });
    expect(tv.values.languageVersion).toBe("20");
    expect(tv.from.languageVersion).toBe(".tool-versions nodejs 20.11.1");
    const overRange = await report({
      "package.json": pkg({ engines: { node: ">=18" }, scripts: { start: "node index.js" } }),
      "index.js": "",
      "mise.toml": '[env]\nA = "1"\n\n[tools]\nnode = "22.11.0"\npython = "3.12"\n',
    });
    expect(overRange.values.languageVersion).toBe("22");
    expect(overRange.from.languageVersion).toBe('mise.toml [tools] node = "22.11.0"');
    const nvmrc = await report({
      "package.json": pkg({ scripts: { start: "node index.js" } }),
      "index.js": "",
      ".nvmrc": "24\n",
      ".tool-versions": "nodejs 20.11.1\n",
    });
    expect(nvmrc.values.languageVersion).toBe("24");
  });

  it("Python, Go and Java: each language's name in either file", async () => {
    const py = await report({
      "requirements.txt": "flask\n",
      "app.py": "from flask import Flask\napp = Flask(__name__)\n",
      ".mise.toml": '[tools]\npython = ["3.11.9", "3.12"]\n',
    });
    expect(py.values.languageVersion).toBe("3.11");
    expect(py.from.languageVersion).toBe('.mise.toml [tools] python = "3.11.9"');
    const pinned = await report({ "requirements.txt": "flask\n", "app.py": "", ".python-version": "3.13\n", ".tool-versions": "python 3.11.9\n" });
    expect(pinned.values.languageVersion).toBe("3.13");
    const go = await report({ "go.mod": "module example.com/svc\n", "main.go": "package main\nfunc main() {}\n", ".tool-versions": "golang 1.22.3\n" });
    expect(go.values.languageVersion).toBe("1.22");
    expect(go.from.languageVersion).toBe(".tool-versions golang 1.22.3");
    const java = await report({ "pom.xml": "<project><artifactId>svc</artifactId></project>", ".tool-versions": "java temurin-21.0.2+13.0.LTS\n" });
    expect(java.values.languageVersion).toBe("21");
    const system = await report({ "pom.xml": "<project><artifactId>svc</artifactId></project>", "mise.toml": '[tools]\njava = "system"\n' });
    expect(system.values.languageVersion).toBeUndefined();
  });
});

describe("Ktor with its Gradle plugin", () => {
  const build = `plugins {
    kotlin("jvm") version "2.1.0"
    id("io.ktor.plugin") version "3.1.3"
}

group = "com.example"
version = "0.0.1"

application {
    mainClass.set("io.ktor.server.netty.EngineMain")
}

kotlin {
    jvmToolchain(21)
}

dependencies {
    implementation("io.ktor:ktor-server-core-jvm")
    implementation("io.ktor:ktor-server-netty-jvm")
}
`;
  it("installs the application plugin's distribution (a runnable image), port from application.conf with its PORT override", async () => {
    const r = await report({
      "build.gradle.kts": build,
      "settings.gradle.kts": 'rootProject.name = "orders"\n',
      "src/main/resources/application.conf":
        "ktor {\n    deployment {\n        port = 8081\n        port = ${?PORT}\n    }\n    application {\n        modules = [ com.example.ApplicationKt.module ]\n    }\n}\n",
      "src/main/kotlin/com/example/Application.kt": "package com.example\n\nfun main(args: Array<String>) = io.ktor.server.netty.EngineMain.main(args)\n",
    });
    expect(r.values).toMatchObject({
      javaPackaging: "application",
      buildCommand: "gradle installDist -x test",
      startCommand: "build/install/orders/bin/orders",
      port: 8081,
    });
    expect(r.from.javaPackaging).toMatch(/io\.ktor\.plugin, which applies the application plugin/);
    expect(r.from.port).toMatch(/application\.conf ktor\.deployment\.port = 8081 \(\$\{\?PORT\} sets it from the environment/);
  });

  it("the port from application.yaml, or from embeddedServer(Netty, port = ...)", async () => {
    const yaml = await report({
      "build.gradle.kts": build,
      "src/main/resources/application.yaml":
        'ktor:\n  deployment:\n    port: "$PORT:8090"\n  application:\n    modules:\n      - com.example.ApplicationKt.module\n',
    });
    expect(yaml.values.port).toBe(8090);
    const code = await report({
      "build.gradle.kts": build,
      "src/main/kotlin/com/example/Application.kt":
        'fun main() {\n    embeddedServer(Netty, port = System.getenv("PORT")?.toInt() ?: 8082, host = "0.0.0.0", module = Application::module)\n        .start(wait = true)\n}\n',
    });
    expect(code.values.port).toBe(8082);
    expect(code.from.port).toMatch(/Application\.kt: embeddedServer/);
  });

  it("a health route of its routing DSL, under the route blocks around it", async () => {
    const r = await report({
      "build.gradle.kts": build,
      "src/main/resources/application.conf": "ktor.deployment.port = 8080\n",
      "src/main/kotlin/com/example/plugins/Routing.kt": `package com.example.plugins

fun Application.configureRouting() {
    routing {
        get("/") { call.respondText("Hello \${"$"}{call.request.uri}") }
        route("/api") {
            get("/users/{id}") { call.respond(HttpStatusCode.OK) }
            route("/v1") {
                get("/healthz") { call.respondText("ok") }
            }
        }
    }
}
`,
    });
    expect(r.values.healthPath).toBe("/api/v1/healthz");
    expect(r.from.healthPath).toMatch(/Routing\.kt: route \/healthz \(route\("\/api"\) > route\("\/v1"\)\)/);
  });
});

describe("a static front-end (a Vite app's build, no server)", () => {
  const vite = {
    "package.json": JSON.stringify({
      name: "dashboard",
      private: true,
      type: "module",
      scripts: { dev: "vite", build: "tsc -b && vite build", preview: "vite preview" },
      devDependencies: { vite: "^6.0.0", typescript: "^5.6.0" },
    }),
    "index.html": '<div id="root"></div><script type="module" src="/src/main.tsx"></script>\n',
    "src/main.tsx": "import React from 'react';\n",
  };
  it("is refused as what it is, naming what to supply, not as a missing start command", async () => {
    const r = await detectReport(repo(vite));
    expect(r.refusal?.message).toMatch(/^a static front-end without a server \(package\.json scripts\.build "tsc -b && vite build", index\.html\)/);
    expect(r.refusal?.hint).toMatch(/--start-command and --port/);
    expect(r.refusal?.overriddenBy).toEqual(["startCommand", "port"]);
  });

  it("is left out of a repository's services as a front-end, not as a library", async () => {
    const root = repo({
      ...Object.fromEntries(Object.entries(vite).map(([k, t]) => [`apps/web/${k}`, t])),
      "apps/api/package.json": pkg({ scripts: { start: "node server.js" } }),
      "apps/api/server.js": "require('http').createServer().listen(3000);\n",
    });
    const shape = await findServices(root);
    expect(shape.services.map((s) => (typeof s === "string" ? s : s.path))).toEqual(["apps/api"]);
    expect(shape.skipped).toEqual([{ path: "apps/web", reason: expect.stringMatching(/^a static front-end without a server \(package\.json scripts\.build/) }]);
  });
});

describe("Micronaut: the framework behind a jar or an installDist script", () => {
  it("io.micronaut.application (Gradle) and micronaut-parent (Maven) are javaFramework micronaut, with its port and management health", async () => {
    const gradle = await report({
      "build.gradle.kts":
        'plugins {\n    id("io.micronaut.application") version "4.4.2"\n}\n\nmicronaut {\n    runtime("netty")\n}\n\ndependencies {\n    implementation("io.micronaut:micronaut-management")\n}\n\napplication {\n    mainClass = "com.example.Application"\n}\n',
      "settings.gradle.kts": 'rootProject.name = "ledger"\n',
      "src/main/resources/application.yml": "micronaut:\n  application:\n    name: ledger\n  server:\n    port: 8085\n",
    });
    expect(gradle.values).toMatchObject({ javaPackaging: "application", javaFramework: "micronaut", port: 8085, healthPath: "/health" });
    expect(gradle.from.javaFramework).toMatch(/build\.gradle\.kts: Micronaut/);
    const maven = await report({
      "pom.xml":
        "<project>\n  <parent>\n    <groupId>io.micronaut.platform</groupId>\n    <artifactId>micronaut-parent</artifactId>\n    <version>4.6.0</version>\n  </parent>\n  <artifactId>ledger</artifactId>\n</project>\n",
    });
    expect(maven.values).toMatchObject({ javaPackaging: "jar", javaFramework: "micronaut", port: 8080 });
  });

  it("a plain jar or the application plugin alone is javaFramework none; Spring Boot has none at all", async () => {
    const plain = await report({ "pom.xml": "<project><artifactId>svc</artifactId></project>" });
    expect(plain.values.javaFramework).toBe("none");
    const boot = await report({
      "pom.xml": "<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent><artifactId>svc</artifactId></project>",
    });
    expect(boot.values.javaFramework).toBeUndefined();
  });
});

describe("JHipster's production build", () => {
  it("runs the build under its prod profile (-Pprod), Maven and Gradle; a pom with no JHipster keeps the plain build", async () => {
    const pom = (extra: string) =>
      `<project>\n  <parent><artifactId>spring-boot-starter-parent</artifactId><version>3.4.5</version></parent>\n  <artifactId>store</artifactId>\n  <dependencies>\n${extra}  </dependencies>\n  <profiles>\n    <profile>\n      <id>dev</id>\n      <activation><activeByDefault>true</activeByDefault></activation>\n    </profile>\n    <profile>\n      <id>prod</id>\n    </profile>\n  </profiles>\n</project>\n`;
    const maven = await report({
      "pom.xml": pom("    <dependency><groupId>tech.jhipster</groupId><artifactId>jhipster-framework</artifactId></dependency>\n"),
    });
    expect(maven.values.buildCommand).toBe("mvn -B -ntp package -Pprod -DskipTests");
    expect(maven.from.buildCommand).toMatch(/JHipster's prod profile/);
    const gradle = await report({
      "build.gradle":
        "plugins {\n    id 'org.springframework.boot' version '3.4.5'\n}\n\nif (project.hasProperty('prod')) {\n    apply from: 'gradle/profile_prod.gradle'\n} else {\n    apply from: 'gradle/profile_dev.gradle'\n}\n\ndependencies {\n    implementation 'tech.jhipster:jhipster-framework'\n}\n",
    });
    expect(gradle.values.buildCommand).toBe("gradle bootJar -Pprod -x test");
    const plain = await report({ "pom.xml": pom("") });
    expect(plain.values.buildCommand).toBe("mvn -B -ntp package -DskipTests");
  });
});

describe("a readiness route beside the health route", () => {
  it("/readyz next to /healthz is the readiness probe's path; /healthz alone leaves it to the health path", async () => {
    const app = (routes: string) => `const express = require("express");\nconst app = express();\n${routes}app.listen(process.env.PORT || 3000);\n`;
    const both = await report({
      "package.json": pkg({ main: "index.js", scripts: { start: "node index.js" }, dependencies: { express: "^4.21.0" } }),
      "index.js": app('app.get("/healthz", (req, res) => res.send("ok"));\napp.get("/readyz", (req, res) => res.send(db.ok ? "ok" : "no"));\n'),
    });
    expect(both.values).toMatchObject({ healthPath: "/healthz", readinessPath: "/readyz" });
    expect(both.from.readinessPath).toMatch(/index\.js: route \/readyz, a readiness route beside \/healthz/);
    const one = await report({
      "package.json": pkg({ main: "index.js", scripts: { start: "node index.js" }, dependencies: { express: "^4.21.0" } }),
      "index.js": app('app.get("/healthz", (req, res) => res.send("ok"));\n'),
    });
    expect(one.values.healthPath).toBe("/healthz");
    expect(one.values.readinessPath).toBeUndefined();
  });
});
