/** Java: pom.xml or build.gradle(.kts), Spring configuration, entry-point sources. */
import path from "node:path";
import { stat } from "node:fs/promises";
import { newFound, put, type Found } from "./found.js";
import { portIn } from "./port-health.js";
import { firstMatch, firstOf, list, type Listing, type Reader } from "./read.js";

/** "1.8" → "8", "17" → "17", "VERSION_1_8" → "8", "21.0.2-tem" → "21". */
function javaMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const m = /^(?:JavaVersion\.)?(?:VERSION_)?(\d+)(?:[._](\d+))?/.exec(spec.trim().replace(/^['"]|['"]$/g, ""));
  if (!m?.[1]) return undefined;
  const major = m[1] === "1" && m[2] !== undefined ? m[2] : m[1];
  const n = Number(major);
  return n >= 5 && n < 100 ? String(n) : undefined;
}

/** pom.xml without the blocks whose artifactIds are not the project's. */
function pomProjectPart(pom: string): string {
  return pom
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<profiles>[\s\S]*?<\/profiles>/g, "")
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, "")
    .replace(/<build>[\s\S]*?<\/build>/g, "")
    .replace(/<reporting>[\s\S]*?<\/reporting>/g, "")
    .replace(/<dependencies>[\s\S]*?<\/dependencies>/g, "")
    .replace(/<parent>[\s\S]*?<\/parent>/g, "");
}

export async function detectJava(root: string, read: Reader, top: Listing, buildTool: "maven" | "gradle", buildFile: string | undefined): Promise<Found> {
  const found = newFound();
  const text = (buildFile ?? "").replace(/<!--[\s\S]*?-->/g, "");
  const buildName = buildTool === "maven" ? "pom.xml" : top.files.has("build.gradle.kts") ? "build.gradle.kts" : "build.gradle";
  let version: string | undefined;

  if (buildTool === "maven") {
    const own = pomProjectPart(buildFile ?? "");
    const artifactId = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(own)?.[1];
    if (artifactId !== undefined && !artifactId.includes("${")) found.name = artifactId;
    version = /<version>\s*([^<\s]+)\s*<\/version>/.exec(own)?.[1] ?? /<parent>[\s\S]*?<version>\s*([^<\s]+)\s*<\/version>[\s\S]*?<\/parent>/.exec(text)?.[1];
    const spec = firstMatch(text, [
      /<maven\.compiler\.release>\s*([\d.]+)\s*</,
      /<java\.version>\s*([\d.]+)\s*</,
      /<release>\s*([\d.]+)\s*<\/release>/,
      /<maven\.compiler\.target>\s*([\d.]+)\s*</,
      /<maven\.compiler\.source>\s*([\d.]+)\s*</,
      /<target>\s*([\d.]+)\s*<\/target>/,
    ]);
    put(found, "languageVersion", javaMajor(spec), `pom.xml Java release ${spec}`);
  } else {
    const settings = await firstOf(read, top, ["settings.gradle.kts", "settings.gradle"]);
    const rootName = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings ?? "")?.[1];
    if (rootName !== undefined) found.name = rootName;
    version = /^\s*version\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
    const spec = firstMatch(text, [
      /JavaLanguageVersion\.of\(\s*["']?(\d+)/,
      /jvmToolchain\(\s*(\d+)/,
      /options\.release(?:\.set\(|\s*=\s*)\s*(\d+)/,
      /sourceCompatibility\s*=\s*(JavaVersion\.VERSION_[\d_]+|["']?[\d.]+)/,
      /targetCompatibility\s*=\s*(JavaVersion\.VERSION_[\d_]+|["']?[\d.]+)/,
    ]);
    put(found, "languageVersion", javaMajor(spec), `${buildName} Java ${spec}`);
  }
  if (found.values.languageVersion === undefined) {
    const pinName = top.files.has(".java-version") ? ".java-version" : ".sdkmanrc";
    const pin = await firstOf(read, top, [".java-version", ".sdkmanrc"]);
    put(found, "languageVersion", javaMajor(/^\s*(?:java\s*=\s*)?(\d[\w.-]*)/m.exec(pin ?? "")?.[1]), pinName);
  }

  // Packaging: Spring Boot, Quarkus, Gradle's application plugin, or a plain jar.
  const quarkus = /io\.quarkus/.test(text);
  const boot = /spring-boot-maven-plugin|spring-boot-starter-parent|org\.springframework\.boot/.test(text);
  const application =
    buildTool === "gradle" && /(?:^|\s|\()(?:id\s*\(?\s*["']application["']|apply\s+plugin:\s*["']application["']|\bapplication\b\s*$)/m.test(text);
  if (quarkus) put(found, "javaPackaging", "quarkus", `${buildName}: io.quarkus`);
  else if (boot) put(found, "javaPackaging", "spring-boot", `${buildName}: Spring Boot plugin`);
  else if (application) put(found, "javaPackaging", "application", `${buildName}: the application plugin (installDist)`);
  else put(found, "javaPackaging", "jar", `${buildName}: no Spring Boot, Quarkus or application plugin (a runnable jar)`);
  const packaging = String(found.values.javaPackaging);

  // The build tool as the repository runs it: its wrapper (through sh when the exec bit is missing).
  const wrapper = buildTool === "maven" ? "mvnw" : "gradlew";
  let tool = buildTool === "maven" ? "mvn -B -ntp" : "gradle";
  let toolFrom = `no ${wrapper} wrapper`;
  if (top.files.has(wrapper)) {
    const executable = await stat(path.join(root, wrapper)).then(
      (s) => (s.mode & 0o111) !== 0,
      () => false,
    );
    tool = `${executable ? `./${wrapper}` : `sh ./${wrapper}`}${buildTool === "maven" ? " -B -ntp" : ""}`;
    toolFrom = executable ? `${wrapper}` : `${wrapper} (committed without its exec bit: run through sh)`;
  }
  put(found, "testCommand", `${tool} test`, `${toolFrom}: the build's test task`);
  if (buildTool === "maven") {
    if (/spotless-maven-plugin/.test(text)) put(found, "lintCommand", `${tool} spotless:check`, "pom.xml: spotless-maven-plugin");
    else if (/maven-checkstyle-plugin/.test(text)) put(found, "lintCommand", `${tool} checkstyle:check`, "pom.xml: maven-checkstyle-plugin");
  } else {
    if (/com\.diffplug\.spotless|spotless\s*\{/.test(text)) put(found, "lintCommand", `${tool} spotlessCheck`, `${buildName}: spotless plugin`);
    else if (/["']checkstyle["']|\bcheckstyle\s*\{/.test(text)) put(found, "lintCommand", `${tool} checkstyleMain`, `${buildName}: checkstyle plugin`);
  }
  const task =
    buildTool === "maven"
      ? "package -DskipTests"
      : packaging === "spring-boot"
        ? "bootJar -x test"
        : packaging === "quarkus"
          ? "quarkusBuild -x test"
          : packaging === "application"
            ? "installDist -x test"
            : "jar -x test";
  put(found, "buildCommand", `${tool} ${task}`, `${toolFrom}; ${packaging} packaging`);
  const out = buildTool === "maven" ? "target" : "build";
  const name = found.name ?? path.basename(root);
  const jarName = `${name}${version !== undefined && !version.includes("$") ? `-${version}` : ""}.jar`;
  const start =
    packaging === "quarkus"
      ? `java -jar ${out}/quarkus-app/quarkus-run.jar`
      : packaging === "application"
        ? `${out}/install/${name}/bin/${name}`
        : `java -jar ${out}/${buildTool === "maven" ? "" : "libs/"}${jarName}`;
  put(found, "startCommand", start, `${packaging} packaging of ${buildName}`);

  const resources = ["application.properties", "application.yml", "application.yaml"].map((f) => `src/main/resources/${f}`);
  const [props, yml, yaml] = await Promise.all(resources.map(read));
  const springYaml = yml ?? yaml;
  const propsName = props !== undefined ? "application.properties" : "application.yml";

  // gRPC: a gRPC server dependency and .proto services.
  const grpcDep = /quarkus-grpc|grpc-spring-boot-starter|grpc-server-spring-boot|spring-grpc|io\.grpc/.test(text);
  const protoDir = top.dirs.has("src") && (await list(path.join(root, "src/main/proto"))).files.size > 0;
  if (grpcDep && protoDir) {
    put(found, "protocol", "grpc", `${buildName}: a gRPC server dependency and src/main/proto`);
    const grpcPort =
      /^[ \t]*quarkus\.grpc\.server\.port[ \t]*[=:][ \t]*(\d{2,5})/m.exec(props ?? "")?.[1] ??
      /^[ \t]*(?:spring\.)?grpc\.server\.port[ \t]*[=:][ \t]*(\d{2,5})/m.exec(props ?? "")?.[1];
    if (grpcPort !== undefined) put(found, "port", Number(grpcPort), `${propsName} gRPC server port`);
    else if (quarkus) found.frameworkPort = { port: 9000, from: "Quarkus gRPC server default port (separate server)" };
    else found.frameworkPort = { port: 9090, from: "gRPC server default port" };
    put(
      found,
      "grpcHealth",
      quarkus || /grpc-services|grpc\.health/.test(text),
      quarkus
        ? "Quarkus registers grpc.health.v1.Health"
        : /grpc-services/.test(text)
          ? "grpc-services (grpc.health.v1.Health)"
          : "no grpc.health.v1.Health service found",
    );
  }

  put(found, "port", portIn(props) ?? springYamlPort(springYaml), `src/main/resources/${propsName} server.port`);
  const qport = /^[ \t]*quarkus\.http\.port[ \t]*[=:][ \t]*(\d{2,5})/m.exec(props ?? "")?.[1];
  if (qport !== undefined) put(found, "port", Number(qport), "application.properties quarkus.http.port");
  found.frameworkPort ??= boot || quarkus ? { port: 8080, from: `${boot ? "Spring Boot" : "Quarkus"}'s default port` } : undefined;

  // The path every route is under, and where the health endpoint is served: Spring's context path
  // and Actuator's base path and management port; Quarkus's root and non-application paths.
  const conf = (key: string) => configValue(props, key) ?? configValue(springYaml, key);
  // WebFlux has no servlet: its routes are under spring.webflux.base-path instead.
  const webflux = /spring-boot-starter-webflux/.test(text) && !/spring-boot-starter-web["'<:\s]/.test(text);
  // Spring MVC: the DispatcherServlet's path (spring.mvc.servlet.path) comes after the context path,
  // and Actuator's endpoints on the service port are served through it too.
  const servletPath = webflux ? undefined : clean(conf("spring.mvc.servlet.path"));
  const rootPath = clean(conf(webflux ? "spring.webflux.base-path" : "server.servlet.context-path") ?? conf("quarkus.http.root-path"));
  const contextPath = rootPath === undefined && servletPath === undefined ? undefined : `${rootPath ?? ""}${servletPath ?? ""}`;
  if (contextPath !== undefined) found.contextPath = contextPath;
  if (text.includes("spring-boot-starter-actuator")) {
    const servicePort = typeof found.values.port === "number" ? found.values.port : 8080;
    const mgmtPort = Number(conf("management.server.port"));
    const base = clean(conf("management.endpoints.web.base-path")) ?? "/actuator";
    const mapped = conf("management.endpoints.web.path-mapping.health") ?? "health";
    if (Number.isInteger(mgmtPort) && mgmtPort > 0 && mgmtPort !== servicePort) {
      found.notes.healthPath = `Actuator's health endpoint is served on the management port ${mgmtPort} (management.server.port), not on the service port ${servicePort}: the probes check that the service port is open`;
    } else {
      const p = `/${[contextPath, base, mapped]
        .map((x) => (x ?? "").replace(/^\/+|\/+$/g, ""))
        .filter(Boolean)
        .join("/")}`;
      put(
        found,
        "healthPath",
        p,
        `${buildName}: spring-boot-starter-actuator${rootPath ? ` under the context path ${rootPath}` : ""}${servletPath ? ` and the servlet path ${servletPath} (spring.mvc.servlet.path)` : ""}${base !== "/actuator" ? ` (base path ${base})` : ""}`,
      );
    }
  }
  if (/quarkus-smallrye-health/.test(text)) {
    const nonApp = conf("quarkus.http.non-application-root-path") ?? "q";
    const healthRoot = conf("quarkus.smallrye-health.root-path") ?? "health";
    const join = (...p: (string | undefined)[]) =>
      `/${p
        .map((x) => (x ?? "").replace(/^\/+|\/+$/g, ""))
        .filter(Boolean)
        .join("/")}`;
    const under = nonApp.startsWith("/") ? join(nonApp) : join(contextPath, nonApp);
    const p = healthRoot.startsWith("/") ? join(healthRoot, "live") : join(under, healthRoot, "live");
    if (/^true$/i.test(conf("quarkus.management.enabled") ?? ""))
      found.notes.healthPath = `quarkus.management.enabled: SmallRye Health is served on the management interface (port ${conf("quarkus.management.port") ?? "9000"}), not on the service port: the probes check that the service port is open`;
    else
      put(
        found,
        "healthPath",
        p,
        `${buildName}: quarkus-smallrye-health${p !== "/q/health/live" ? " (root and non-application paths from application.properties)" : ""}`,
      );
  }
  found.sources = await javaSources(root, top);
  return found;
}

/** `server:\n  port: 8081` (or `server.port: 8081`) in a Spring YAML file. */
function springYamlPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m =
    /^server\.port:[ \t]*(?:["']?\$\{[A-Za-z_.]+:)?["']?(\d{2,5})\b/m.exec(text) ??
    /^server:[ \t]*\r?\n(?:[ \t]+.*\r?\n)*?[ \t]+port:[ \t]*(?:["']?\$\{[A-Za-z_.]+:)?["']?(\d{2,5})\b/m.exec(text);
  const n = m?.[1] === undefined ? undefined : Number(m[1]);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

/** "/api/" → "/api"; "" and "/" → undefined. */
function clean(p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  const t = p.trim().replace(/\/+$/, "");
  return t === "" ? undefined : t.startsWith("/") ? t : `/${t}`;
}

/**
 * A key of a Spring/Quarkus configuration file: `a.b.c=v` in a .properties file, or the same key in
 * YAML written flat (`a.b.c: v`) or nested (`a:\n  b:\n    c: v`, `a.b:\n  c: v`), first document
 * only; a `${VAR:default}` placeholder gives its default.
 */
export function configValue(text: string | undefined, key: string): string | undefined {
  if (text === undefined) return undefined;
  const unwrap = (v: string) => {
    const t = v
      .replace(/\s+#.*$/, "")
      .trim()
      .replace(/^["']|["']$/g, "");
    const ph = /^\$\{[\w.-]+:([^}]*)\}$/.exec(t);
    return ph !== null ? ph[1]! : t;
  };
  const flat = new RegExp(`^[ \\t]*${key.replace(/[.]/g, "\\.")}[ \\t]*[=:][ \\t]*(.*)$`, "m").exec(text.split(/^---\s*$/m)[0]!);
  if (flat?.[1] !== undefined && flat[1].trim() !== "") return unwrap(flat[1]);
  const stack: { indent: number; key: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^---\s*$/.test(line)) break;
    if (/^\s*(?:#|$)/.test(line)) continue;
    const m = /^([ \t]*)([\w.-]+)[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (m === null) continue;
    const indent = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const full = [...stack.map((e) => e.key), m[2]!].join(".");
    const value = m[3]?.trim();
    if (value === undefined || value === "" || value.startsWith("#")) stack.push({ indent, key: m[2]! });
    else if (full === key) return unwrap(value);
  }
  return undefined;
}

/**
 * Entry-point-like Java/Kotlin sources under src/main: a bounded walk
 * (at most 40 directories, 8 levels) for *Application, *App, Main, *Server,
 * *Controller, *Health* files; at most 6 are returned.
 */
async function javaSources(root: string, top: Listing): Promise<string[]> {
  if (!top.dirs.has("src")) return [];
  const out: string[] = [];
  let level = ["src/main/java", "src/main/kotlin"];
  let visited = 0;
  // Breadth first, one level at a time, the directories of a level in parallel.
  for (let depth = 0; depth <= 8 && level.length > 0 && visited < 40 && out.length < 6; depth++) {
    level = level.slice(0, 40 - visited);
    visited += level.length;
    const listings = await Promise.all(level.map((rel) => list(path.join(root, rel))));
    const next: string[] = [];
    listings.forEach((l, i) => {
      const rel = level[i]!;
      for (const f of [...l.files].sort()) {
        if (/(?:Application|App|Main|Server|Controller|Health\w*)\.(?:java|kt)$/.test(f)) out.push(`${rel}/${f}`);
      }
      for (const d of [...l.dirs].sort()) next.push(`${rel}/${d}`);
    });
    level = next;
  }
  return out.slice(0, 6);
}
