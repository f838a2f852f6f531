/**
 * Framework conventions real repositories rely on: Next.js file routes and `next start -p`,
 * Django URLconfs reached through include(), Go ports from viper and committed config files,
 * Micronaut's configuration and management endpoint, and Gradle lint plugins' check tasks.
 */
import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-conv-");
const report = async (files: Record<string, string>) => detectReport(repo(files), { refusal: false });
const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("Next.js", () => {
  const pkg = (start: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ name: "web", scripts: { build: "next build", start }, dependencies: { next: "15.5.9", react: "19.1.1" }, ...extra });
  const handler = lines("export async function GET() {", '  return Response.json({ status: "ok" });', "}");

  it("an App Router route handler exporting GET is the health path; next start -p gives the port", async () => {
    const r = await report({ "package.json": pkg("next start -p 4000"), "app/api/health/route.ts": handler, "app/page.tsx": "export default () => null;\n" });
    expect(r.values).toMatchObject({ healthPath: "/api/health", port: 4000, startCommand: "npm start" });
    expect(r.from.healthPath).toBe("app/api/health/route.ts: an App Router route handler exporting GET");
    expect(r.from.port).toMatch(/next start -p 4000/);
  });

  it("src/app, route groups left out of the URL, --port=, and 3000 when next start is given no port", async () => {
    const r = await report({
      "package.json": pkg("next start --port=8081"),
      "src/app/(ops)/healthz/route.js": "export const GET = () => new Response('ok');\n",
    });
    expect(r.values).toMatchObject({ healthPath: "/healthz", port: 8081 });
    const d = await report({ "package.json": pkg("next start"), "src/app/api/status/route.ts": "export { handler as GET };\nfunction handler() {}\n" });
    expect(d.values).toMatchObject({ healthPath: "/api/status", port: 3000 });
    expect(d.from.port).toMatch(/Next\.js's default port/);
  });

  it("a Pages Router API route, under next.config's basePath and trailingSlash", async () => {
    const r = await report({
      "package.json": pkg("next start"),
      "pages/api/health.ts": "export default function handler(req, res) { res.status(200).json({ ok: true }); }\n",
      "next.config.js": lines("module.exports = {", '  basePath: "/shop",', "  trailingSlash: true,", "};"),
    });
    expect(r.values.healthPath).toBe("/shop/api/health/");
    expect(r.from.healthPath).toMatch(
      /pages\/api\/health\.ts: a Pages Router API route \(next\.config\.js basePath "\/shop", next\.config\.js trailingSlash: true\)/,
    );
  });

  it("not taken: a handler without GET, private and dynamic folders, src/app beside a root app/, a basePath that is not a literal", async () => {
    const none = await report({
      "package.json": pkg("next start"),
      "app/api/health/route.ts": "export async function POST() { return new Response(null); }\n",
      "app/_internal/healthz/route.ts": handler,
      "app/[tenant]/ready/route.ts": handler,
      "src/app/livez/route.ts": handler,
    });
    expect(none.values.healthPath).toBeUndefined();
    const base = await report({
      "package.json": pkg("next start"),
      "app/api/health/route.ts": handler,
      "next.config.mjs": "export default { basePath: process.env.BASE_PATH };\n",
    });
    expect(base.values.healthPath).toBeUndefined();
    expect(base.notes.healthPath).toMatch(/basePath process\.env\.BASE_PATH, which is not a string literal/);
  });
});

describe("Django URLconfs through include()", () => {
  const manage = lines("import os", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")');
  const base = {
    "manage.py": manage,
    "requirements.txt": "django==5.1\n",
    "shop/__init__.py": "",
    "shop/settings.py": lines('ROOT_URLCONF = "shop.urls"'),
    "status/__init__.py": "",
    "status/urls.py": lines("from django.urls import path", "from . import views", "", 'urlpatterns = [path("health/", views.health)]'),
  };

  it("one include(): the project's prefix before the app's route", async () => {
    const r = await report({ ...base, "shop/urls.py": lines("from django.urls import include, path", 'urlpatterns = [path("api/", include("status.urls"))]') });
    expect(r.values.healthPath).toBe("/api/health/");
    expect(r.from.healthPath).toBe('status/urls.py: route /health/ (include("status.urls") at "api/" in shop/urls.py)');
  });

  it("nested includes: a 2-tuple with a namespace, then a module imported under another name", async () => {
    const r = await report({
      ...base,
      "shop/urls.py": lines("from django.urls import include, path", 'urlpatterns = [path("v1/", include(("api.urls", "api"), namespace="v1"))]'),
      "api/__init__.py": "",
      "api/urls.py": lines(
        "from django.urls import include, path",
        "from status import urls as status_urls",
        'urlpatterns = [path("ops/", include(status_urls))]',
      ),
    });
    expect(r.values.healthPath).toBe("/v1/ops/health/");
    expect(r.from.healthPath).toMatch(/include\("api\.urls"\) at "v1\/" in shop\/urls\.py, include\(status_urls\) at "ops\/" in api\/urls\.py/);
  });

  it("an inline include([...]) list", async () => {
    const r = await report({
      ...base,
      "status/urls.py": "",
      "shop/urls.py": lines(
        "from django.urls import include, path",
        "from status import views",
        'urlpatterns = [path("internal/", include([path("healthz/", views.health)]))]',
      ),
    });
    expect(r.values.healthPath).toBe("/internal/healthz/");
  });

  it("an app URLconf no include() reaches is not served: not taken, and said why", async () => {
    const r = await report({ ...base, "shop/urls.py": lines("from django.urls import path", "urlpatterns = []") });
    expect(r.values.healthPath).toBeUndefined();
    expect(r.notes.healthPath).toMatch(/status\/urls\.py.*not the project's URLconf \(ROOT_URLCONF "shop\.urls"\)/);
  });
});

describe("Go: the port from a configuration file the service reads", () => {
  const gomod = "module example.com/svc\n\ngo 1.22\n";
  const serve = 'http.HandleFunc("/healthz", h)';

  it("viper: the key the code reads, in the file SetConfigName and AddConfigPath name, over SetDefault", async () => {
    const r = await report({
      "go.mod": gomod,
      "main.go": lines(
        "package main",
        "func main() {",
        '\tviper.SetConfigName("config")',
        '\tviper.AddConfigPath("./configs")',
        '\tviper.SetDefault("server.port", 8080)',
        `\t${serve}`,
        '\thttp.ListenAndServe(fmt.Sprintf(":%d", viper.GetInt("server.port")), nil)',
        "}",
      ),
      "configs/config.yaml": lines("database:", "  port: 5432", "server:", "  port: 8081"),
    });
    expect(r.values.port).toBe(8081);
    expect(r.from.port).toBe(
      'configs/config.yaml server.port: 8081 (the code reads "server.port"), read through viper SetConfigName("config") in AddConfigPath("./configs")',
    );
  });

  it('TOML through SetConfigFile; an address value (":9090")', async () => {
    const r = await report({
      "go.mod": gomod,
      "main.go": lines(
        "package main",
        "func main() {",
        '\tviper.SetConfigFile("app.toml")',
        `\t${serve}`,
        '\thttp.ListenAndServe(viper.GetString("http.addr"), nil)',
        "}",
      ),
      "app.toml": lines("[redis]", 'addr = "localhost:6379"', "", "[http]", 'addr = ":9090"'),
    });
    expect(r.values.port).toBe(9090);
    expect(r.from.port).toMatch(/^app\.toml http\.addr: :9090 \(the code reads "http\.addr"\), read through viper SetConfigFile\("app\.toml"\)/);
  });

  it("a path the code opens and unmarshals (a -config flag's default): the service's own port key, not the database's", async () => {
    const r = await report({
      "go.mod": gomod,
      "main.go": lines(
        "package main",
        'var configPath = flag.String("config", "config/settings.yaml", "settings file")',
        "type Config struct {",
        '\tPostgres struct{ Port int `yaml:"port"` } `yaml:"postgres"`',
        '\tServer struct{ Port int `yaml:"port"` } `yaml:"server"`',
        "}",
        "func main() {",
        "\tb, _ := os.ReadFile(*configPath)",
        "\tvar c Config",
        "\t_ = yaml.Unmarshal(b, &c)",
        `\t${serve}`,
        '\thttp.ListenAndServe(fmt.Sprintf(":%d", c.Server.Port), nil)',
        "}",
      ),
      "config/settings.yaml": lines("postgres:", "  port: 5432", "server:", "  port: 7070"),
    });
    expect(r.values.port).toBe(7070);
    expect(r.from.port).toMatch(/config\/settings\.yaml server\.port: 7070, read through the path "config\/settings\.yaml" in the code/);
  });

  it("not taken: a YAML file that is not configuration (an OpenAPI document), a config file the code does not read", async () => {
    const r = await report({
      "go.mod": gomod,
      "main.go": lines("package main", "func main() {", '\tspec, _ := os.ReadFile("openapi.yaml")', `\t${serve}`, '\thttp.ListenAndServe(":8000", nil)', "}"),
      "openapi.yaml": lines("servers:", "  - url: http://localhost:9999", "x-port: 9999"),
      "config.yaml": lines("server:", "  port: 7777"),
    });
    expect(r.values.port).toBe(8000);
  });
});

describe("Gradle lint plugins: their read-only check tasks as the CI lint", () => {
  const settings = 'rootProject.name = "svc"\n';
  const build = (plugins: string, extra = "") => lines("plugins {", '    kotlin("jvm") version "2.0.21"', "    application", plugins, "}", extra);

  it("ktlint (org.jlleitschuh.gradle.ktlint) and detekt: ktlintCheck and detekt in one run", async () => {
    const r = await report({
      "settings.gradle.kts": settings,
      "build.gradle.kts": build('    id("org.jlleitschuh.gradle.ktlint") version "12.1.1"\n    id("io.gitlab.arturbosch.detekt") version "1.23.7"'),
    });
    expect(r.values.lintCommand).toBe("gradle ktlintCheck detekt");
    expect(r.from.lintCommand).toBe("build.gradle.kts: org.jlleitschuh.gradle.ktlint plugin (ktlintCheck), detekt plugin (detekt)");
  });

  it("through a version catalog alias; spotless beside checkstyle runs both", async () => {
    const r = await report({
      "settings.gradle.kts": settings,
      "gradle/libs.versions.toml": lines("[plugins]", 'ktlint = { id = "org.jlleitschuh.gradle.ktlint", version = "12.1.1" }'),
      "build.gradle.kts": build("    alias(libs.plugins.ktlint)"),
    });
    expect(r.values.lintCommand).toBe("gradle ktlintCheck");
    const both = await report({
      "settings.gradle": "",
      "build.gradle": lines("plugins {", "    id 'java'", "    id 'checkstyle'", "    id 'com.diffplug.spotless' version '6.25.0'", "}"),
    });
    expect(both.values.lintCommand).toBe("gradle spotlessCheck checkstyleMain");
  });

  it("nothing imposed: no lint plugin, or detekt set to rewrite the sources (autoCorrect = true)", async () => {
    const none = await report({ "settings.gradle.kts": settings, "build.gradle.kts": build("") });
    expect(none.values.lintCommand).toBeUndefined();
    const fixer = await report({
      "settings.gradle.kts": settings,
      "build.gradle.kts": build('    id("io.gitlab.arturbosch.detekt") version "1.23.7"', lines("detekt {", "    autoCorrect = true", "}")),
    });
    expect(fixer.values.lintCommand).toBeUndefined();
    expect(fixer.notes.lintCommand).toMatch(/autoCorrect = true.*rewrites the sources/);
  });
});

describe("Micronaut", () => {
  const gradle = (deps: string) =>
    lines(
      "plugins {",
      '    id("com.github.johnrengelman.shadow") version "8.1.1"',
      '    id("io.micronaut.application") version "4.4.4"',
      "}",
      'version = "0.3.0"',
      "java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }",
      "dependencies {",
      '    implementation("io.micronaut:micronaut-http-server-netty")',
      deps,
      "}",
      'application { mainClass.set("com.example.Application") }',
    );
  const settings = 'rootProject.name = "orders"\n';

  it("Gradle: micronaut.server.port from application.yml, /health from micronaut-management, installDist packaging", async () => {
    const r = await report({
      "settings.gradle.kts": settings,
      "build.gradle.kts": gradle('    implementation("io.micronaut:micronaut-management")'),
      "src/main/resources/application.yml": lines("micronaut:", "  application:", "    name: orders", "  server:", "    port: 8085"),
    });
    expect(r.values).toMatchObject({
      javaPackaging: "application",
      startCommand: "build/install/orders/bin/orders",
      port: 8085,
      healthPath: "/health",
      livenessPath: "/health/liveness",
      readinessPath: "/health/readiness",
    });
    expect(r.from.javaPackaging).toMatch(/io\.micronaut\.application, which applies the application plugin/);
    expect(r.from.port).toBe("src/main/resources/application.yml micronaut.server.port");
    expect(r.from.healthPath).toBe("build.gradle.kts: micronaut-management: its health endpoint");
  });

  it("8080 by default; endpoints under endpoints.all.path on endpoints.all.port; no health endpoint without micronaut-management", async () => {
    const r = await report({
      "settings.gradle.kts": settings,
      "build.gradle.kts": gradle('    implementation("io.micronaut:micronaut-management")'),
      "src/main/resources/application.properties": lines("endpoints.all.path=/ops", "endpoints.all.port=8086"),
    });
    expect(r.values).toMatchObject({ port: 8080, healthPath: "/ops/health", healthPort: 8086 });
    expect(r.from.port).toBe("Micronaut's default port");
    const none = await report({ "settings.gradle.kts": settings, "build.gradle.kts": gradle("") });
    expect(none.values.healthPath).toBeUndefined();
  });

  it("Maven (micronaut-parent's shaded jar); a random port (-1) and a turned-off health endpoint are said, not taken", async () => {
    const pom = lines(
      "<project>",
      "  <parent><groupId>io.micronaut.platform</groupId><artifactId>micronaut-parent</artifactId><version>4.7.6</version></parent>",
      "  <artifactId>orders</artifactId><version>0.3.0</version>",
      "  <properties><jdk.version>21</jdk.version><release.version>21</release.version></properties>",
      "  <dependencies><dependency><groupId>io.micronaut</groupId><artifactId>micronaut-management</artifactId></dependency></dependencies>",
      "  <build><plugins><plugin><groupId>io.micronaut.maven</groupId><artifactId>micronaut-maven-plugin</artifactId></plugin></plugins></build>",
      "</project>",
    );
    const r = await report({
      "pom.xml": pom,
      "src/main/resources/application.properties": lines("micronaut.server.port=-1", "endpoints.health.enabled=false"),
    });
    expect(r.values).toMatchObject({ javaPackaging: "jar", startCommand: "java -jar target/orders-0.3.0.jar" });
    expect(r.values.healthPath).toBeUndefined();
    expect(r.from.port).toMatch(/not what the service listens on: micronaut\.server\.port is -1 in application\.properties/);
    expect(r.notes.healthPath).toMatch(/health endpoint is turned off \(application\.properties endpoints\.health\.enabled\)/);
  });
});
