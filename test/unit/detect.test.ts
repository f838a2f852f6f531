import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detect, detectReport, detectedKeys, nodeMajor, majorMinor, parseGitHubRemote, remoteUrl, slugify } from "../../src/io/detect/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const services = path.resolve(here, "../fixtures/services");

const repo = tempRepos("detect-");

/** The git remote comes from whatever repository holds the fixtures: leave it out. */
async function detectFixture(name: string) {
  const { owner: _owner, repoUrl: _repoUrl, defaultBranch: _branch, ...rest } = await detect(path.join(services, name));
  return rest;
}

describe("detect() on the sample services", () => {
  it("node", async () => {
    expect(await detectFixture("node")).toEqual({
      metricsPath: "",
      name: "hello-node",
      repoName: "hello-node",
      language: "node",
      languageVersion: "24" /* engines ">=20.19": the newest supported LTS in the range */,
      lintCommand: "npm run lint",
      testCommand: "npm test",
      startCommand: "node server.js",
      port: 3000,
      healthPath: "/healthz",
      packageManager: "npm",
      protocol: "http",
    });
  });

  it("python", async () => {
    expect(await detectFixture("python")).toEqual({
      metricsPath: "",
      name: "hello-python",
      repoName: "hello-python",
      language: "python",
      languageVersion: "3.12" /* requires-python range: the preferred supported release */,
      port: 8000,
      healthPath: "/healthz",
      packageManager: "pip",
      protocol: "http",
      startCommand: "python app.py",
      lintCommand: "ruff check .",
      testCommand: "python -m pytest",
    });
  });

  it("go", async () => {
    expect(await detectFixture("go")).toEqual({
      metricsPath: "",
      name: "hello-go",
      repoName: "hello-go",
      language: "go",
      languageVersion: "1.24",
      port: 8080,
      healthPath: "/healthz",
      buildTarget: ".",
      protocol: "http",
      startCommand: "./hello-go",
      testCommand: "go test ./...",
    });
  });

  it("java-maven", async () => {
    expect(await detectFixture("java-maven")).toEqual({
      metricsPath: "",
      name: "hello-maven",
      repoName: "hello-maven",
      language: "java",
      buildTool: "maven",
      languageVersion: "17",
      port: 8081,
      healthPath: "/healthz",
      buildCommand: "mvn -B -ntp package -DskipTests",
      javaPackaging: "jar",
      javaFramework: "none",
      protocol: "http",
      startCommand: "java -jar target/hello-maven-0.1.0.jar",
      testCommand: "mvn -B -ntp test",
    });
  });

  it("java-gradle", async () => {
    expect(await detectFixture("java-gradle")).toEqual({
      metricsPath: "",
      name: "hello-gradle",
      repoName: "hello-gradle",
      language: "java",
      buildTool: "gradle",
      languageVersion: "17",
      port: 8080,
      healthPath: "/healthz",
      buildCommand: "gradle installDist -x test",
      javaPackaging: "application",
      javaFramework: "none",
      protocol: "http",
      startCommand: "build/install/hello-gradle/bin/hello-gradle",
      testCommand: "gradle test",
    });
  });

  it("returns only documented keys, with values the pack's questions accept", async () => {
    for (const s of ["node", "python", "go", "java-maven", "java-gradle"]) {
      const d = await detect(path.join(services, s));
      for (const k of Object.keys(d)) expect(detectedKeys).toContain(k);
      expect(d.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(d.languageVersion).toMatch(/^[0-9]+(\.[0-9]+){0,2}$/);
      expect(d.healthPath).toMatch(/^\/[A-Za-z0-9._~/-]*$/);
    }
  });

  it("is fast and writes nothing", async () => {
    const dir = path.join(services, "java-maven");
    const before = fs.readdirSync(dir).sort();
    await detect(dir);
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await detect(dir);
    // The target is < 5 ms on a typical repo; the bound here is loose for busy CI machines.
    expect((performance.now() - t0) / runs).toBeLessThan(50);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});

describe("detect() on synthetic repositories", () => {
  it("an empty dir yields only the folder name", async () => {
    const dir = repo({}, "Empty Service_");
    const d = await detect(dir);
    expect(d).toEqual({ name: slugify(path.basename(dir)) });
    expect(d.name).toMatch(/^empty-service-[a-z0-9]{6}$/);
  });

  it("a missing dir yields only its name", async () => {
    const dir = path.join(repo({}), "no-such-service");
    expect(await detect(dir)).toEqual({ name: "no-such-service" });
  });

  it("strips the npm scope and slugifies the package name", async () => {
    const dir = repo({
      "package.json": JSON.stringify({
        name: "@acme/Orders.API",
        engines: { node: "^22 || ^24" },
        scripts: { test: 'echo "Error: no test specified" && exit 1', lint: "eslint ." },
        main: "dist/index.js",
      }),
      "src/index.ts": 'const port = Number(process.env.PORT || "4000");\napp.get("/livez", ok);\napp.get("/health", ok);\n',
    });
    expect(await detect(dir)).toEqual({
      metricsPath: "",
      name: "orders-api",
      repoName: "orders-api",
      language: "node",
      languageVersion: "24",
      lintCommand: "npm run lint", // the placeholder test script is not a test command
      startCommand: "node dist/index.js",
      port: 4000,
      healthPath: "/livez",
      packageManager: "npm",
      protocol: "http",
    });
  });

  it("prefers .nvmrc over engines and reads listen(...)", async () => {
    const dir = repo({
      "package.json": JSON.stringify({ name: "web", engines: { node: ">=18" }, scripts: { start: "node app.js", test: "node --test" } }),
      ".nvmrc": "lts/iron\n",
      "app.js": "server.listen(5000);\n",
    });
    expect(await detect(dir)).toMatchObject({ languageVersion: "20", port: 5000, testCommand: "npm test" });
  });

  it("reads the go.mod module and version", async () => {
    const dir = repo({
      "go.mod": "module github.com/acme/payments/v2\n\ngo 1.25.3\n\nrequire github.com/google/uuid v1.6.0\n",
      "cmd/payments/main.go": 'package main\n\nfunc main() {\n\taddr := ":9000"\n\tmux.HandleFunc("/readyz", ready)\n}\n',
    });
    expect(await detect(dir)).toEqual({
      metricsPath: "",
      name: "payments",
      repoName: "payments",
      language: "go",
      languageVersion: "1.25",
      port: 9000,
      healthPath: "/readyz",
      buildTarget: "./cmd/payments",
      protocol: "http",
      startCommand: "./payments",
      testCommand: "go test ./...",
    });
  });

  it("takes a newer go.mod toolchain over the go line", async () => {
    const dir = repo({ "go.mod": "module example.com/svc\n\ngo 1.24\n\ntoolchain go1.25.1\n" });
    expect((await detect(dir)).languageVersion).toBe("1.25");
  });

  it("reads pyproject requires-python and a uvicorn port", async () => {
    const dir = repo({
      "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "Inventory_Service"\nrequires-python = ">=3.12"\n',
      "main.py": 'import uvicorn\n\n@app.get("/health")\ndef health():\n    return {}\n\nuvicorn.run(app, host="0.0.0.0", port=8001)\n',
    });
    expect(await detect(dir)).toEqual({
      metricsPath: "",
      name: "inventory-service",
      repoName: "inventory-service",
      language: "python",
      languageVersion: "3.12",
      port: 8001,
      healthPath: "/health",
      packageManager: "pip",
      protocol: "http",
    });
  });

  it("treats requirements.txt alone as Python and a Dockerfile EXPOSE as the port", async () => {
    const dir = repo({ "requirements.txt": "flask\n", ".python-version": "3.13.1\n", Dockerfile: "FROM python:3.13\nEXPOSE 5000/tcp\n" });
    expect(await detect(dir)).toMatchObject({ language: "python", languageVersion: "3.13", port: 5000 });
  });

  it("reads owner and repoUrl from an ssh git remote", async () => {
    const dir = repo({
      ".git/config":
        '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/other/fork.git\n' +
        '[remote "origin"]\n\turl = git@github.com:acme-corp/orders.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    });
    expect(await detect(dir)).toMatchObject({ owner: "acme-corp", repoUrl: "https://github.com/acme-corp/orders.git" });
  });

  it("finds the repository's git config from a folder inside it", async () => {
    const root = repo({
      ".git/config": '[remote "origin"]\n\turl = https://github.com/acme/mono\n',
      "services/api/go.mod": "module example.com/api\n\ngo 1.25\n",
    });
    expect(await detect(path.join(root, "services/api"))).toMatchObject({
      name: "api",
      repoName: "api",
      owner: "acme",
      repoUrl: "https://github.com/acme/mono.git",
    });
  });

  it("leaves owner out for a non-GitHub remote", async () => {
    const dir = repo({ ".git/config": '[remote "origin"]\n\turl = git@gitlab.com:acme/orders.git\n' });
    const d = await detect(dir);
    expect(d.owner).toBeUndefined();
    expect(d.repoUrl).toBeUndefined();
  });

  it("reads a Spring Boot pom, application.yml port and actuator", async () => {
    const dir = repo({
      "pom.xml": `<project>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.5.0</version>
  </parent>
  <groupId>com.acme</groupId>
  <artifactId>billing-service</artifactId>
  <properties><java.version>21</java.version></properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-actuator</artifactId>
    </dependency>
  </dependencies>
</project>
`,
      "src/main/resources/application.yml": "spring:\n  application:\n    name: billing\nserver:\n  shutdown: graceful\n  port: 9090\n",
    });
    expect(await detect(dir)).toEqual({
      metricsPath: "",
      name: "billing-service",
      repoName: "billing-service",
      language: "java",
      buildTool: "maven",
      languageVersion: "21",
      port: 9090,
      healthPath: "/actuator/health",
      livenessPath: "/actuator/health/liveness",
      readinessPath: "/actuator/health/readiness",
      buildCommand: "mvn -B -ntp package -DskipTests",
      javaPackaging: "spring-boot",
      protocol: "http",
      startCommand: "java -jar target/billing-service-3.5.0.jar",
      testCommand: "mvn -B -ntp test",
    });
  });

  it("reads server.port with a placeholder default and a Kotlin-DSL Gradle build", async () => {
    const dir = repo({
      "settings.gradle.kts": 'rootProject.name = "ledger"\n',
      "build.gradle.kts": "plugins { java }\njava { toolchain { languageVersion.set(JavaLanguageVersion.of(21)) } }\n",
      "src/main/resources/application.properties": "server.port=${PORT:8085}\n",
    });
    expect(await detect(dir)).toEqual({
      metricsPath: "",
      name: "ledger",
      repoName: "ledger",
      language: "java",
      buildTool: "gradle",
      languageVersion: "21",
      port: 8085,
      buildCommand: "gradle jar -x test",
      javaPackaging: "jar",
      javaFramework: "none",
      protocol: "http",
      startCommand: "java -jar build/libs/ledger.jar",
      testCommand: "gradle test",
    });
  });
});

describe("Java builds read through a version catalog or a parent pom", () => {
  it("a Groovy build whose plugins, libraries, bundle and Java version come from gradle/libs.versions.toml", async () => {
    const dir = repo({
      "settings.gradle": "rootProject.name = 'catalogue'\n",
      "gradle/libs.versions.toml": `[versions]
jdk = { strictly = "17" }
boot = "2.7.18"

[libraries]
boot-web = "org.springframework.boot:spring-boot-starter-web:2.7.18"
boot_actuator = { group = "org.springframework.boot", name = "spring-boot-starter-actuator", version.ref = "boot" }

[bundles]
ops = [
  "boot-actuator",
]

[plugins]
boot = "org.springframework.boot:2.7.18"
`,
      "build.gradle": `plugins {
  id 'java'
  alias(libs.plugins.boot)
}
version = '1.0.2'
java { toolchain { languageVersion = JavaLanguageVersion.of(libs.versions.jdk.get().toInt()) } }
dependencies {
  implementation libs.boot.web
  implementation libs.bundles.ops
}
`,
    });
    const r = await detectReport(dir);
    expect(r.values).toMatchObject({
      languageVersion: "17",
      javaPackaging: "spring-boot",
      healthPath: "/actuator/health",
      startCommand: "java -jar build/libs/catalogue-1.0.2.jar",
    });
    expect(r.from.javaPackaging).toContain("through gradle/libs.versions.toml");
    expect(r.from.languageVersion).toContain("gradle/libs.versions.toml");
  });

  it("a catalog at the settings root above a subproject; an accessor the catalog does not have is left alone", async () => {
    const dir = repo({
      "settings.gradle.kts": 'rootProject.name = "shop"\ninclude("api")\n',
      "gradle/libs.versions.toml": '[plugins]\nquarkus = { id = "io.quarkus", version = "3.15.1" }\n',
      "api/build.gradle.kts": "plugins {\n  alias(libs.plugins.quarkus)\n}\ndependencies { implementation(libs.unknown.thing) }\n",
    });
    const r = await detectReport(path.join(dir, "api"), { refusal: false });
    expect(r.values.javaPackaging).toBe("quarkus");
  });

  it("catalogs settings declare under another name and file (Kotlin create, Groovy block, a renamed default catalog) are read through their names", async () => {
    const toml =
      '[versions]\njdk = "21"\n[libraries]\nspring-boot-web = "org.springframework.boot:spring-boot-starter-web"\n' +
      'spring-boot-actuator = { module = "org.springframework.boot:spring-boot-starter-actuator" }\n' +
      '[plugins]\nspring-boot = { id = "org.springframework.boot", version = "3.4.3" }\n';
    const script = (n: string) =>
      `plugins {\n  java\n  alias(${n}.plugins.spring.boot)\n}\nversion = "0.9.1"\n` +
      `java { toolchain { languageVersion = JavaLanguageVersion.of(${n}.versions.jdk.get()) } }\n` +
      `dependencies {\n  implementation(${n}.spring.boot.web)\n  implementation(${n}.spring.boot.actuator)\n}\n`;
    const kts = await detectReport(
      repo({
        "settings.gradle.kts":
          'rootProject.name = "shipping"\ndependencyResolutionManagement {\n  versionCatalogs {\n    create("deps") {\n      from(files("gradle/deps.versions.toml"))\n    }\n  }\n}\n',
        "gradle/deps.versions.toml": toml,
        "build.gradle.kts": script("deps"),
      }),
    );
    expect(kts.values).toMatchObject({
      languageVersion: "21",
      javaPackaging: "spring-boot",
      healthPath: "/actuator/health",
      livenessPath: "/actuator/health/liveness",
      startCommand: "java -jar build/libs/shipping-0.9.1.jar",
    });
    expect(kts.from.javaPackaging).toContain("through gradle/deps.versions.toml (the catalog deps of settings.gradle.kts)");
    const groovy = await detectReport(
      repo({
        "settings.gradle":
          "rootProject.name = 'shipping'\ndependencyResolutionManagement {\n  versionCatalogs {\n    tools {\n      from(files('catalogs/tools.toml'))\n    }\n  }\n}\n",
        "catalogs/tools.toml": toml,
        "build.gradle": script("tools"),
      }),
    );
    expect(groovy.values).toMatchObject({ languageVersion: "21", javaPackaging: "spring-boot", healthPath: "/actuator/health" });
    expect(groovy.from.javaPackaging).toContain("catalogs/tools.toml (the catalog tools of settings.gradle)");
    const renamed = await detectReport(
      repo({
        "settings.gradle.kts": 'rootProject.name = "shipping"\ndependencyResolutionManagement {\n  defaultLibrariesExtensionName = "projectLibs"\n}\n',
        "gradle/libs.versions.toml": toml,
        "build.gradle.kts": script("projectLibs"),
      }),
    );
    expect(renamed.values).toMatchObject({ javaPackaging: "spring-boot", healthPath: "/actuator/health" });
    expect(renamed.from.javaPackaging).toContain("gradle/libs.versions.toml (the catalog projectLibs of settings.gradle.kts)");
  });

  it("a module inherits its parent pom's dependencies, Java release and Spring Boot BOM; a parent that is not the one named is not read", async () => {
    const parent = (id: string) => `<project>
  <groupId>com.acme</groupId>
  <artifactId>${id}</artifactId>
  <version>2.0.0</version>
  <packaging>pom</packaging>
  <modules><module>svc</module></modules>
  <properties><java.version>17</java.version><sb.version>2.6.1</sb.version></properties>
  <dependencyManagement><dependencies><dependency>
    <groupId>org.springframework.boot</groupId><artifactId>spring-boot-dependencies</artifactId>
    <version>\${sb.version}</version><type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <dependencies><dependency>
    <groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId>
  </dependency></dependencies>
</project>
`;
    const module = `<project>
  <parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>2.0.0</version></parent>
  <artifactId>svc</artifactId>
  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>
`;
    const dir = repo({ "pom.xml": parent("acme-parent"), "svc/pom.xml": module });
    const r = await detectReport(path.join(dir, "svc"), { refusal: false });
    expect(r.values).toMatchObject({ languageVersion: "17", healthPath: "/actuator/health", startCommand: "java -jar target/svc-2.0.0.jar" });
    expect(r.from.languageVersion).toContain("../pom.xml");
    const other = repo({ "pom.xml": parent("someone-else"), "svc/pom.xml": module });
    const o = await detectReport(path.join(other, "svc"), { refusal: false });
    expect(o.values.healthPath).toBeUndefined();
    expect(o.values.languageVersion).toBeUndefined();
  });

  it("the Spring Boot version: starter parent, BOM with its property, Gradle plugin", async () => {
    const { springBootVersion } = await import("../../src/io/detect/java.js");
    expect(springBootVersion("<parent><artifactId>spring-boot-starter-parent</artifactId>\n<version>2.2.13.RELEASE</version></parent>")).toBe("2.2.13.RELEASE");
    expect(springBootVersion("<artifactId>spring-boot-dependencies</artifactId><version>${b}</version>", (v) => v?.replace("${b}", "3.1.0"))).toBe("3.1.0");
    expect(springBootVersion('id("org.springframework.boot") version "3.4.2"')).toBe("3.4.2");
    expect(springBootVersion("<artifactId>spring-boot-dependencies</artifactId><version>${unknown}</version>")).toBeUndefined();
  });
});

describe("liveness and readiness paths", () => {
  const bootPom = (version: string) => `<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>${version}</version></parent>
  <artifactId>api</artifactId>
  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies>
</project>
`;
  it("Spring Boot 2.3+: Actuator's groups under the context path and base path", async () => {
    const dir = repo({
      "pom.xml": bootPom("2.7.18"),
      "src/main/resources/application.properties": "server.servlet.context-path=/shop\nmanagement.endpoints.web.base-path=/manage\n",
    });
    const r = await detectReport(dir);
    expect(r.values).toMatchObject({
      healthPath: "/shop/manage/health",
      livenessPath: "/shop/manage/health/liveness",
      readinessPath: "/shop/manage/health/readiness",
    });
    expect(r.from.livenessPath).toContain("Spring Boot 2.7.18");
  });

  it("Spring Boot on a management port: the groups there, not under the context path", async () => {
    const dir = repo({
      "pom.xml": bootPom("3.3.0"),
      "src/main/resources/application.yml": "server:\n  port: 8080\n  servlet:\n    context-path: /shop\nmanagement:\n  server:\n    port: 9001\n",
    });
    const r = await detectReport(dir);
    expect(r.values).toMatchObject({ healthPort: 9001, livenessPath: "/actuator/health/liveness", readinessPath: "/actuator/health/readiness" });
  });

  it("no groups: probes turned off, Spring Boot before 2.3, a version not found (each said)", async () => {
    const off = await detectReport(
      repo({ "pom.xml": bootPom("3.2.1"), "src/main/resources/application.properties": "management.endpoint.health.probes.enabled=false\n" }),
    );
    expect(off.values.healthPath).toBe("/actuator/health");
    expect(off.values.livenessPath).toBeUndefined();
    expect(off.notes.livenessPath).toContain("management.endpoint.health.probes.enabled is false");
    const old = await detectReport(repo({ "pom.xml": bootPom("2.2.13.RELEASE") }));
    expect(old.values.readinessPath).toBeUndefined();
    expect(old.notes.readinessPath).toContain("2.2.13.RELEASE");
    const unknown = await detectReport(
      repo({
        "pom.xml":
          "<project><artifactId>x</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>\n",
      }),
    );
    expect(unknown.values.livenessPath).toBeUndefined();
    expect(unknown.notes.livenessPath).toContain("version was not found");
  });

  it("Quarkus SmallRye Health: live and ready under the HTTP root path and the health root path", async () => {
    const dir = repo({
      "pom.xml":
        "<project><artifactId>q</artifactId><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency></dependencies></project>\n",
      "src/main/resources/application.properties":
        "quarkus.http.root-path=/app\nquarkus.smallrye-health.root-path=checks\nquarkus.smallrye-health.readiness-path=can-serve\n",
    });
    const r = await detectReport(dir);
    expect(r.values).toMatchObject({ healthPath: "/app/q/checks/live", livenessPath: "/app/q/checks/live", readinessPath: "/app/q/checks/can-serve" });
  });
});

describe("settings of a Spring profile that is not active", () => {
  const pom = `<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.0</version></parent>
  <artifactId>svc</artifactId>
  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies>
</project>
`;
  it("a port only in a later document of application.yml for an inactive profile is said, not taken", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": pom,
        "src/main/resources/application.yml":
          "spring:\n  application:\n    name: svc\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\nserver:\n  port: 9000\n",
      }),
    );
    expect(r.values.port).toBe(8080);
    expect(r.from.port).toContain("profile prod (application.yml (profile prod)) sets server.port=9000, but that profile is not active");
    expect(r.from.port).toContain("--port 9000");
  });

  it("application-<profile> files: a port and a context path of an inactive profile are said beside the answers; an active profile's are taken", async () => {
    const files = {
      "pom.xml": pom,
      "src/main/resources/application.properties": "server.port=8081\n",
      "src/main/resources/application-k8s.properties": "server.port=9100\nserver.servlet.context-path=/orders\n",
    };
    const r = await detectReport(repo(files));
    expect(r.values).toMatchObject({ port: 8081, healthPath: "/actuator/health", livenessPath: "/actuator/health/liveness" });
    expect(r.from.port).toContain("profile k8s (application-k8s.properties) sets server.port=9100");
    expect(r.from.healthPath).toContain("profile k8s (application-k8s.properties) sets server.servlet.context-path=/orders");
    const active = await detectReport(repo({ ...files, "src/main/resources/application.properties": "server.port=8081\nspring.profiles.active=k8s\n" }));
    expect(active.values).toMatchObject({ port: 9100, healthPath: "/orders/actuator/health" });
    expect(active.from.port).not.toContain("not active");
  });
});

describe("multi-document application.properties (#--- and !---, Spring Boot 2.4+)", () => {
  const pom = `<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.0</version></parent>
  <artifactId>svc</artifactId>
  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies>
</project>
`;
  it("the documents of an inactive profile are said beside the answers, never taken", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": pom,
        "src/main/resources/application.properties":
          "spring.application.name=svc\n#---\nspring.config.activate.on-profile=local\n# a developer's machine\nserver.port=8000\n" +
          "management.endpoints.web.base-path=/manage\n!---\nspring.config.activate.on-profile=demo\nmanagement.server.port=9100\n",
      }),
    );
    expect(r.values).toMatchObject({ port: 8080, healthPath: "/actuator/health", livenessPath: "/actuator/health/liveness" });
    expect(r.values.healthPort).toBeUndefined();
    expect(r.from.healthPath).toContain("profile local (application.properties (profile local)) sets management.endpoints.web.base-path=/manage");
    expect(r.from.healthPath).toContain("profile demo (application.properties (profile demo)) sets management.server.port=9100");
    expect(r.from.port).toContain("profile local (application.properties (profile local)) sets server.port=8000, but that profile is not active");
  });

  it("an active profile's document is taken (a later document wins), and so is a later document without a profile", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": pom,
        "src/main/resources/application.properties":
          "spring.profiles.active=cluster\nserver.port=8081\n#---\nspring.config.activate.on-profile=cluster\nmanagement.server.port=9100\n" +
          "#---\nspring.config.activate.on-profile=cluster\nmanagement.server.port=9200\n#---\nserver.port=8082\n",
      }),
    );
    expect(r.values).toMatchObject({ port: 8082, healthPort: 9200, healthPath: "/actuator/health" });
    expect(r.from.healthPort).toContain("application.properties (profile cluster) management.server.port");
  });

  it("a comment line right after #--- puts the lines after it back into the document before, as Spring Boot reads the file", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": pom,
        "src/main/resources/application.properties":
          "server.port=8084\n#---\n# production\nspring.config.activate.on-profile=prod\nmanagement.server.port=9000\n",
      }),
    );
    expect(r.values.port).toBe(8080);
    expect(r.values.healthPort).toBeUndefined();
    expect(r.from.port).toContain("profile prod (application.properties (profile prod)) sets server.port=8084");
  });

  it("#--- right after a # comment line is a comment, not a separator: the file is one document, the profile's", async () => {
    const r = await detectReport(
      repo({
        "pom.xml": pom,
        "src/main/resources/application.properties": "server.port=8083\n# production\n#---\nspring.config.activate.on-profile=prod\nserver.port=9000\n",
      }),
    );
    expect(r.values.port).toBe(8080);
    expect(r.from.port).toContain("profile prod (application.properties (profile prod)) sets server.port=8083");
  });
});

describe("Spring Boot's probe groups on the main server port (add-additional-paths, a group's additional-path)", () => {
  const pom = (version: string) => `<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>${version}</version></parent>
  <artifactId>svc</artifactId>
  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
  <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies>
</project>
`;
  const detectWith = (properties: string, version = "3.4.0") =>
    detectReport(repo({ "pom.xml": pom(version), "src/main/resources/application.properties": properties }));
  const add = "management.endpoint.health.probes.add-additional-paths=true\n";

  it("a management port of its own and add-additional-paths: the probes and the health check call /livez and /readyz on the service port", async () => {
    const r = await detectWith(`server.port=8081\nmanagement.server.port=9001\n${add}`);
    expect(r.values).toMatchObject({ port: 8081, healthPath: "/readyz", livenessPath: "/livez", readinessPath: "/readyz" });
    expect(r.values.healthPort).toBeUndefined();
    expect(r.from.livenessPath).toContain("management.endpoint.health.probes.add-additional-paths (/livez)");
    expect(r.from.healthPath).toContain("Actuator's health endpoint /actuator/health is on its own port 9001");
  });

  it("under the context path and the servlet path (Spring Boot 3.3 serves them there), never under Actuator's base path", async () => {
    const r = await detectWith(`server.servlet.context-path=/api\nmanagement.endpoints.web.base-path=/manage\nmanagement.server.port=9001\n${add}`);
    expect(r.values).toMatchObject({ healthPath: "/api/readyz", livenessPath: "/api/livez", readinessPath: "/api/readyz" });
    expect(r.values.healthPort).toBeUndefined();
    const servlet = await detectWith(`spring.mvc.servlet.path=/svc\nmanagement.server.port=9001\n${add}`);
    expect(servlet.values).toMatchObject({ livenessPath: "/svc/livez", readinessPath: "/svc/readyz" });
  });

  it("a group's own additional-path wins over add-additional-paths; management: paths are on the management port under its base path", async () => {
    const custom = await detectWith(
      `management.server.port=9001\n${add}management.endpoint.health.group.liveness.additional-path=server:/alive\nmanagement.endpoint.health.group.readiness.additional-path=server:/ready\n`,
    );
    expect(custom.values).toMatchObject({ livenessPath: "/alive", readinessPath: "/ready", healthPath: "/ready" });
    const mgmt = await detectWith(
      "management.server.port=9001\nmanagement.server.base-path=/ops\n" +
        "management.endpoint.health.group.liveness.additional-path=management:/live\nmanagement.endpoint.health.group.readiness.additional-path=management:/ready\n",
    );
    expect(mgmt.values).toMatchObject({ healthPort: 9001, healthPath: "/ops/actuator/health", livenessPath: "/ops/live", readinessPath: "/ops/ready" });
  });

  it("one group on the main port and the other on the management port only: the probes stay on the management port, with why", async () => {
    const r = await detectWith(`management.server.port=9001\n${add}management.endpoint.health.group.readiness.additional-path=management:/ready\n`);
    expect(r.values).toMatchObject({ healthPort: 9001, livenessPath: "/actuator/health/liveness", readinessPath: "/ready" });
    expect(r.from.livenessPath).toContain("serves the group on the main server port at /livez too");
  });

  it("no change where Actuator shares the service port, before Spring Boot 2.6, or with the probe groups turned off", async () => {
    const same = await detectWith(add);
    expect(same.values).toMatchObject({ healthPath: "/actuator/health", livenessPath: "/actuator/health/liveness" });
    const old = await detectWith(`management.server.port=9001\n${add}`, "2.5.14");
    expect(old.values).toMatchObject({ healthPort: 9001, livenessPath: "/actuator/health/liveness" });
    const off = await detectWith(`management.server.port=9001\n${add}management.endpoint.health.probes.enabled=false\n`);
    expect(off.values).toMatchObject({ healthPort: 9001, healthPath: "/actuator/health" });
    expect(off.values.livenessPath).toBeUndefined();
  });
});

describe("helpers", () => {
  it("slugify makes DNS-1123 names", () => {
    expect(slugify("My Service")).toBe("my-service");
    expect(slugify("--Café_API--")).toBe("cafe-api");
    expect(slugify("@@@")).toBe("");
    const long = slugify("a".repeat(50) + "-bcdef");
    expect(long.length).toBeLessThanOrEqual(53);
    expect(long).not.toMatch(/-$/);
    expect(slugify("x".repeat(52) + "-y")).toBe("x".repeat(52));
  });

  it("reduces version ranges", () => {
    expect(nodeMajor(">=20.19")).toBe("20");
    expect(nodeMajor("^22")).toBe("22");
    expect(nodeMajor("<23 >=20")).toBe("20");
    expect(nodeMajor("v20.11.1")).toBe("20");
    expect(nodeMajor("lts/*")).toBeUndefined();
    expect(nodeMajor("*")).toBeUndefined();
    expect(majorMinor(">=3.12")).toBe("3.12");
    expect(majorMinor("<4,>=3.10")).toBe("3.10");
    expect(majorMinor("~=3.11.2")).toBe("3.11");
    expect(majorMinor("3")).toBeUndefined();
  });

  it("parses GitHub remotes without keeping credentials", () => {
    const want = { owner: "acme", repoUrl: "https://github.com/acme/svc.git" };
    for (const url of [
      "git@github.com:acme/svc.git",
      "ssh://git@github.com/acme/svc.git",
      "ssh://git@ssh.github.com:443/acme/svc.git",
      "https://github.com/acme/svc",
      "https://x-access-token:secret@github.com/acme/svc.git",
    ]) {
      expect(parseGitHubRemote(url)).toEqual(want);
    }
    expect(parseGitHubRemote("https://example.com/acme/svc.git")).toBeUndefined();
    expect(remoteUrl('[remote "only"]\n\turl = git@github.com:a/b.git\n')).toBe("git@github.com:a/b.git");
  });
});

describe("detect() on the layouts real repositories have", () => {
  it("an open engines range gets the newest supported LTS, an exact pin stays", async () => {
    const open = repo({ "package.json": JSON.stringify({ name: "a", engines: { node: ">=12.0.0" } }) });
    expect((await detect(open)).languageVersion).toBe("24");
    const pinned = repo({ "package.json": JSON.stringify({ name: "a" }), ".nvmrc": "18.19.0\n" });
    expect((await detect(pinned)).languageVersion).toBe("18");
    const old = repo({ "package.json": JSON.stringify({ name: "a", engines: { node: "^14" } }) });
    expect((await detect(old)).languageVersion).toBe("14");
  });

  it("a Python range gets a supported release inside it; no pin is left to the pack's default", async () => {
    const ranged = repo({ "pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.8,<3.12"\n' });
    expect((await detect(ranged)).languageVersion).toBe("3.11");
    const none = repo({ "requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n" });
    expect((await detect(none)).languageVersion).toBeUndefined();
  });

  it("lockfiles name the package manager and its commands", async () => {
    const d = await detect(
      repo({
        "package.json": JSON.stringify({ name: "a", scripts: { test: "vitest run", lint: "eslint . --fix", "lint:check": "eslint ." } }),
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      }),
    );
    expect(d).toMatchObject({ packageManager: "pnpm", testCommand: "pnpm test", lintCommand: "pnpm lint:check" });
    const fixerOnly = await detect(
      repo({ "package.json": JSON.stringify({ name: "a", scripts: { lint: "prettier --write ." }, devDependencies: { prettier: "3" } }), "yarn.lock": "" }),
    );
    expect(fixerOnly.packageManager).toBe("yarn");
    expect(fixerOnly.lintCommand).toBe("yarn prettier --check .");
    const poetry = await detect(repo({ "pyproject.toml": '[tool.poetry]\nname = "a"\n\n[tool.pytest.ini_options]\n', "poetry.lock": "" }));
    expect(poetry).toMatchObject({ packageManager: "poetry", testCommand: "poetry run python -m pytest" });
    expect(poetry.lintCommand).toBeUndefined(); // no ruff imposed
  });

  it("start commands: the node file a start script runs, Procfile web, a FastAPI app object", async () => {
    const node = await detect(
      repo({
        "package.json": JSON.stringify({ name: "a", scripts: { start: "npm run build && cross-env NODE_ENV=production node dist/server.js", build: "tsc" } }),
      }),
    );
    expect(node).toMatchObject({ startCommand: "node dist/server.js", buildCommand: "npm run build" });
    // A leftover start script (and main) naming a file the repository does not have is not how
    // it starts: the script that runs the built entry is, built by its pre-script.
    const leftover = {
      name: "a",
      main: "index.js",
      scripts: { start: "node index.js", "prestart:prod": "tsc", "start:prod": "node dist/main.js" },
    };
    expect(await detect(repo({ "package.json": JSON.stringify(leftover), "src/main.ts": "listen(3000)\n" }))).toMatchObject({
      startCommand: "node dist/main.js",
      buildCommand: "npm run prestart:prod",
    });
    // Python with its requirements in a requirements/ folder and no manifest at the root.
    const reqDir = await detect(
      repo({
        "requirements/prod.txt": "flask==3.1.3\ngunicorn==27.0.1\n",
        "requirements/dev.txt": "-r prod.txt\npytest==9.2.0\n",
        Procfile: "web: gunicorn autoapp:app -b 0.0.0.0:$PORT -w 2\n",
        "autoapp.py": "from conduit.app import create_app\n\napp = create_app()\n",
        "tests/test_app.py": "def test_x():\n    pass\n",
      }),
    );
    expect(reqDir).toMatchObject({
      language: "python",
      packageManager: "pip",
      startCommand: "gunicorn autoapp:app -b 0.0.0.0:$PORT -w 2",
      testCommand: "python -m pytest",
    });
    // The same start script is taken when its file is there.
    expect((await detect(repo({ "package.json": JSON.stringify(leftover), "index.js": "require('http')\n" }))).startCommand).toBe("node index.js");
    const procfile = await detect(
      repo({ "requirements.txt": "gunicorn\nflask\n", Procfile: "web: gunicorn autoapp:app -b 0.0.0.0:$PORT -w 3\n", "autoapp.py": "app = create_app()\n" }),
    );
    expect(procfile.startCommand).toBe("gunicorn autoapp:app -b 0.0.0.0:$PORT -w 3");
    const fastapi = await detect(
      repo({
        "requirements.txt": "fastapi\nuvicorn\n",
        "api/main.py": 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root():\n    return {}\n',
      }),
    );
    expect(fastapi).toMatchObject({ startCommand: "uvicorn api.main:app --host 0.0.0.0 --port $PORT", port: 8000, healthPath: "/" });
  });

  it("Go: the cmd/<name> that serves, a flag default port, folders read at run time, gRPC", async () => {
    const d = await detect(
      repo({
        "go.mod": "module example.com/x/tool\n\ngo 1.23\n",
        "cmd/tool/main.go": 'package main\n\nfunc main() { println("cli") }\n',
        "cmd/toold/main.go":
          'package main\n\nimport "net/http"\n\nfunc main() {\n\tport := fs.Int("port", 9898, "port")\n\tt := template.ParseGlob("templates/*.html")\n\thttp.ListenAndServe(addr(*port), nil)\n}\n',
        "templates/index.html": "",
      }),
    );
    expect(d).toMatchObject({ buildTarget: "./cmd/toold", startCommand: "./toold", port: 9898, runtimeAssets: "templates" });
    const grpc = await detect(
      repo({
        "go.mod": "module example.com/greeter\n\ngo 1.23\n",
        "main.go":
          'package main\n\nimport "google.golang.org/grpc/health/grpc_health_v1"\n\nfunc main() {\n\ts := grpc.NewServer()\n\tlis, _ := net.Listen("tcp", ":50051")\n\ts.Serve(lis)\n}\n',
      }),
    );
    expect(grpc).toMatchObject({ protocol: "grpc", grpcHealth: true, port: 50051 });
    expect(grpc.healthPath).toBeUndefined();
  });

  it("Java packaging: Quarkus, the Gradle application plugin, a wrapper without its exec bit", async () => {
    const dir = repo({
      "build.gradle": "plugins {\n    id 'application'\n}\nversion = '1.0'\n",
      "settings.gradle": "rootProject.name = 'quotes'\n",
      gradlew: "#!/bin/sh\n",
    });
    fs.chmodSync(path.join(dir, "gradlew"), 0o644);
    expect(await detect(dir)).toMatchObject({
      javaPackaging: "application",
      buildCommand: "sh ./gradlew installDist -x test",
      testCommand: "sh ./gradlew test",
      startCommand: "build/install/quotes/bin/quotes",
    });
    const quarkus = await detect(
      repo({
        "pom.xml":
          "<project><artifactId>q</artifactId><version>1</version><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-rest</artifactId></dependency></dependencies></project>",
      }),
    );
    expect(quarkus).toMatchObject({ javaPackaging: "quarkus", startCommand: "java -jar target/quarkus-app/quarkus-run.jar", port: 8080 });
  });

  it("the jar a Java build makes: Maven finalName and ${revision}, Gradle archive names and gradle.properties", async () => {
    const boot = "<parent><artifactId>spring-boot-starter-parent</artifactId><version>3.3.5</version></parent>";
    const start = async (files: Record<string, string>) => (await detect(repo(files))).startCommand;
    expect(
      await start({
        "pom.xml": `<project>${boot}<artifactId>orders</artifactId><version>\${revision}</version><properties><revision>2.1.0</revision></properties></project>`,
      }),
    ).toBe("java -jar target/orders-2.1.0.jar");
    expect(
      await start({
        "pom.xml": `<project>${boot}<artifactId>orders</artifactId><version>1.0</version><build><finalName>\${project.artifactId}</finalName><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>`,
      }),
    ).toBe("java -jar target/orders.jar");
    expect(
      await start({
        "build.gradle": "plugins {\n  id 'org.springframework.boot' version '3.3.5'\n}\n\nbootJar {\n  archiveFileName = 'app.jar'\n}\n",
        "settings.gradle": "rootProject.name = 'orders'\n",
      }),
    ).toBe("java -jar build/libs/app.jar");
    expect(
      await start({
        "build.gradle.kts": 'plugins {\n  id("org.springframework.boot") version "3.3.5"\n}\n',
        "settings.gradle.kts": 'rootProject.name = "orders"\n',
        "gradle.properties": "org.gradle.jvmargs=-Xmx1g\nversion=0.9.1\n",
      }),
    ).toBe("java -jar build/libs/orders-0.9.1.jar");
    expect(
      await start({
        "build.gradle": "plugins {\n  id 'java'\n}\nversion = '1.2'\nbase {\n  archivesName = 'ledger-api'\n}\n",
        "settings.gradle": "rootProject.name = 'ledger'\n",
      }),
    ).toBe("java -jar build/libs/ledger-api-1.2.jar");
  });

  it("the default branch from the clone's origin HEAD, else the checked-out trunk", async () => {
    const dir = repo({
      ".git/HEAD": "ref: refs/heads/feature-x\n",
      ".git/refs/remotes/origin/HEAD": "ref: refs/remotes/origin/master\n",
      "go.mod": "module a\n",
    });
    expect(await detectReport(dir)).toMatchObject({ values: { defaultBranch: "master" }, from: { defaultBranch: expect.stringContaining("origin/HEAD") } });
    const local = repo({ ".git/HEAD": "ref: refs/heads/master\n", "go.mod": "module a\n" });
    expect((await detect(local)).defaultBranch).toBe("master");
  });

  it("refuses unsupported languages and monorepo layouts, naming what it found", async () => {
    expect((await detectReport(repo({ "Api.csproj": "<Project/>", "package.json": "{}" }))).refusal?.message).toMatch(/C#\/\.NET service \(Api\.csproj\)/);
    expect((await detectReport(repo({ "Cargo.toml": "[package]\n" }))).refusal?.message).toMatch(/Rust/);
    const mono = await detectReport(
      repo({ "pnpm-workspace.yaml": "packages: ['apps/*']\n", "package.json": "{}", "apps/a/package.json": "{}", "apps/b/package.json": "{}" }),
    );
    expect(mono.refusal?.message).toMatch(/monorepo root .*pnpm-workspace\.yaml.*apps\/a, apps\/b/);
    const root = repo({ ".git/HEAD": "ref: refs/heads/main\n", "services/api/package.json": "{}" });
    const sub = await detectReport(path.join(root, "services", "api"));
    expect(sub.refusal?.message).toMatch(/services\/api is a folder inside the git repository/);
    expect(sub.values.language).toBe("node"); // per-folder detection still works
    expect((await detectReport(repo({ "package.json": "{}" }))).refusal).toBeUndefined();
  });
});

describe("detect(): routes behind mounts, ports in an existing image", () => {
  it("a route on a router another file mounts gets the mount path", async () => {
    const d = await detect(
      repo({
        "package.json": JSON.stringify({ name: "a", main: "src/index.js" }),
        "src/index.js":
          'const express = require("express");\nconst routes = require("./api/routes/v1");\nconst app = express();\napp.use("/v1", routes);\napp.listen(3000);\n',
        "src/api/routes/v1/index.js":
          'const express = require("express");\nconst router = express.Router();\nrouter.get("/status", (req, res) => res.send("OK"));\nmodule.exports = router;\n',
      }),
    );
    expect(d.healthPath).toBe("/v1/status");
  });

  it("the port an existing Dockerfile runs with beats the framework's default", async () => {
    const d = await detect(
      repo({
        "pyproject.toml": '[project]\nname = "a"\ndependencies = ["fastapi[standard]"]\n',
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        Dockerfile: 'FROM python:3.12-slim\nCMD ["/app/.venv/bin/fastapi", "run", "app/main.py", "--port", "80"]\n',
      }),
    );
    expect(d).toMatchObject({ port: 80, startCommand: "fastapi run app/main.py --port 80", languageVersion: "3.12" });
  });

  it("the module's own name does not outweigh the command that serves", async () => {
    const d = await detect(
      repo({
        "go.mod": "module example.com/wtf\n\ngo 1.16\n",
        "cmd/wtf/main.go": 'package main\n\nfunc main() { println("client") }\n',
        "cmd/wtfd/main.go": "package main\n\nfunc main() { srv := NewServer(); srv.ListenAndServe() }\n",
      }),
    );
    expect(d).toMatchObject({ buildTarget: "./cmd/wtfd", startCommand: "./wtfd" });
  });
});
