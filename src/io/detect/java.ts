/** Java: pom.xml or build.gradle(.kts), Spring configuration, entry-point sources. */
import path from "node:path";
import { stat } from "node:fs/promises";
import { newFound, put, type Found } from "./found.js";
import { expandCatalog, parseCatalog } from "./gradle-catalog.js";
import { portIn } from "./port-health.js";
import { firstMatch, firstOf, list, stripXmlComments, type Listing, type Reader } from "./read.js";
import { managerVersion } from "./tool-versions.js";

/** "1.8" → "8", "17" → "17", "VERSION_1_8" → "8", "21.0.2-tem" → "21". */
function javaMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const m = /^(?:JavaVersion\.)?(?:VERSION_)?(\d+)(?:[._](\d+))?/.exec(spec.trim().replace(/^['"]|['"]$/g, ""));
  if (!m?.[1]) return undefined;
  const major = m[1] === "1" && m[2] !== undefined ? m[2] : m[1];
  const n = Number(major);
  return n >= 5 && n < 100 ? String(n) : undefined;
}

/** Micrometer's http.server.requests timer, by status, as Prometheus exports it (Spring Boot, Quarkus). */
const MICROMETER_REQUESTS = "http_server_requests_seconds_count{status}";

/** pom.xml without the blocks whose artifactIds are not the project's. */
function pomProjectPart(pom: string): string {
  return stripXmlComments(pom)
    .replace(/<profiles>[\s\S]*?<\/profiles>/g, "")
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, "")
    .replace(/<build>[\s\S]*?<\/build>/g, "")
    .replace(/<reporting>[\s\S]*?<\/reporting>/g, "")
    .replace(/<dependencies>[\s\S]*?<\/dependencies>/g, "")
    .replace(/<parent>[\s\S]*?<\/parent>/g, "");
}

export async function detectJava(root: string, read: Reader, top: Listing, buildTool: "maven" | "gradle", buildFile: string | undefined): Promise<Found> {
  const found = newFound();
  const ownText = stripXmlComments(buildFile ?? "");
  const buildName = buildTool === "maven" ? "pom.xml" : top.files.has("build.gradle.kts") ? "build.gradle.kts" : "build.gradle";
  // Maven: the parent poms in the checkout, whose <dependencies>, <build> plugins and <properties>
  // the module inherits. Gradle: the version catalog's accessors written out.
  const parents = buildTool === "maven" ? await mavenParents(read, ownText) : [];
  const catalog = buildTool === "gradle" ? await gradleCatalog(read, ownText) : undefined;
  const poms = [{ name: "pom.xml", text: ownText }, ...parents];
  const text = catalog?.text ?? poms.map((p) => p.text).join("\n");
  /** A fact read through the catalog or a parent pom says so. */
  const via = (re: RegExp): string => {
    if (catalog !== undefined) return !re.test(ownText) && re.test(text) ? ` (through ${catalog.name})` : "";
    const p = re.test(ownText) ? undefined : parents.find((x) => re.test(x.text));
    return p ? ` (inherited from the parent ${p.name})` : "";
  };
  let version: string | undefined;

  if (buildTool === "maven") {
    const own = pomProjectPart(buildFile ?? "");
    const artifactId = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(own)?.[1];
    if (artifactId !== undefined && !artifactId.includes("${")) found.name = artifactId;
    version =
      /<version>\s*([^<\s]+)\s*<\/version>/.exec(own)?.[1] ?? /<parent>[\s\S]*?<version>\s*([^<\s]+)\s*<\/version>[\s\S]*?<\/parent>/.exec(ownText)?.[1];
    // The module's own setting first, then its parents' (a child's property overrides).
    for (const p of poms) {
      const spec = firstMatch(p.text, [
        /<maven\.compiler\.release>\s*([\d.]+)\s*</,
        /<java\.version>\s*([\d.]+)\s*</,
        /<release>\s*([\d.]+)\s*<\/release>/,
        /<maven\.compiler\.target>\s*([\d.]+)\s*</,
        /<maven\.compiler\.source>\s*([\d.]+)\s*</,
        /<target>\s*([\d.]+)\s*<\/target>/,
      ]);
      put(found, "languageVersion", javaMajor(spec), `${p.name} Java release ${spec}${p.name === "pom.xml" ? "" : " (the parent pom)"}`);
    }
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
    put(
      found,
      "languageVersion",
      javaMajor(spec),
      `${buildName} Java ${spec}${spec !== undefined && !ownText.includes(spec) && catalog ? ` (a version in ${catalog.name})` : ""}`,
    );
  }
  if (found.values.languageVersion === undefined) {
    const pinName = top.files.has(".java-version") ? ".java-version" : ".sdkmanrc";
    const pin = await firstOf(read, top, [".java-version", ".sdkmanrc"]);
    put(found, "languageVersion", javaMajor(/^\s*(?:java\s*=\s*)?(\d[\w.-]*)/m.exec(pin ?? "")?.[1]), pinName);
  }
  if (found.values.languageVersion === undefined) {
    // A version manager's pin (.tool-versions, mise.toml): "temurin-21.0.2+13.0.LTS", "openjdk-17", "21".
    const manager = await managerVersion(read, top, "java");
    put(found, "languageVersion", javaMajor(/^(?:[a-z][\w.]*-)*(\d[\w.]*)/i.exec(manager?.spec ?? "")?.[1]), manager?.from ?? "");
  }

  // Packaging: Spring Boot, Quarkus, Gradle's application plugin, or a plain jar.
  const quarkus = /io\.quarkus/.test(text);
  const boot = /spring-boot-maven-plugin|spring-boot-starter-parent|org\.springframework\.boot/.test(text);
  // io.micronaut.application (and .minimal.application) applies Gradle's application plugin
  // (micronaut-projects.github.io/micronaut-gradle-plugin, "Individual plugins": "Also applies").
  const micronautApp = buildTool === "gradle" && /["']io\.micronaut\.(?:minimal\.)?application["']/.test(text);
  // io.ktor.plugin applies the application plugin beside Kotlin's JVM plugin (installDist) and the
  // Shadow plugin (buildFatJar); ktor.io, "Creating fat JARs using the Ktor Gradle plugin".
  const ktorPlugin = buildTool === "gradle" && /["']io\.ktor\.plugin["']/.test(text);
  const application =
    buildTool === "gradle" &&
    (micronautApp || ktorPlugin || /(?:^|\s|\()(?:id\s*\(?\s*["']application["']|apply\s+plugin:\s*["']application["']|\bapplication\b\s*$)/m.test(text));
  if (quarkus) put(found, "javaPackaging", "quarkus", `${buildName}: io.quarkus${via(/io\.quarkus/)}`);
  else if (boot)
    put(
      found,
      "javaPackaging",
      "spring-boot",
      `${buildName}: Spring Boot plugin${via(/spring-boot-maven-plugin|spring-boot-starter-parent|org\.springframework\.boot/)}`,
    );
  else if (application)
    put(
      found,
      "javaPackaging",
      "application",
      micronautApp
        ? `${buildName}: io.micronaut.application, which applies the application plugin (installDist)`
        : ktorPlugin && !/(?:^|\s|\()(?:id\s*\(?\s*["']application["']|apply\s+plugin:\s*["']application["']|\bapplication\b\s*$)/m.test(text)
          ? `${buildName}: io.ktor.plugin, which applies the application plugin (installDist)${via(/["']io\.ktor\.plugin["']/)}`
          : `${buildName}: the application plugin (installDist)`,
    );
  else if (buildTool === "maven" && /micronaut-parent|micronaut-maven-plugin/.test(text))
    // micronaut-parent's shade plugin makes `mvn package`'s jar the runnable one (docs.micronaut.io,
    // "Deploying the Application": java -jar target/<name>.jar).
    put(
      found,
      "javaPackaging",
      "jar",
      `${buildName}: Micronaut (micronaut-parent packages a runnable jar with its dependencies)${via(/micronaut-parent|micronaut-maven-plugin/)}`,
    );
  else put(found, "javaPackaging", "jar", `${buildName}: no Spring Boot, Quarkus or application plugin (a runnable jar)`);
  const packaging = String(found.values.javaPackaging);
  // The framework behind a runnable jar or installDist script, when it reads a port variable other
  // than PORT: Micronaut's micronaut.server.port is MICRONAUT_SERVER_PORT in the environment
  // (docs.micronaut.io, "Running Server on a Specific Port").
  if (packaging === "application" || packaging === "jar") {
    const micronautBuild = /["']io\.micronaut\.(?:minimal\.)?application["']|micronaut-parent|micronaut-maven-plugin|io\.micronaut/;
    if (micronautBuild.test(text)) put(found, "javaFramework", "micronaut", `${buildName}: Micronaut${via(micronautBuild)}`);
    else put(found, "javaFramework", "none", `${buildName}: no Micronaut (the service reads PORT itself)`);
  }

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
    // Each lint plugin's read-only check task, all in one Gradle run (never a fixer: spotlessApply,
    // ktlintFormat). Task names from the plugins' documentation: Spotless (spotlessCheck),
    // org.jlleitschuh.gradle.ktlint (ktlintCheck; github.com/JLLeitschuh/ktlint-gradle), detekt
    // (io.gitlab.arturbosch.detekt, dev.detekt from 2.0: detekt; detekt.dev/docs/gettingstarted/gradle),
    // Gradle's checkstyle plugin (checkstyleMain; checkstyleTest would lint the tests too).
    const checks: [string, string][] = [];
    if (/com\.diffplug\.spotless|spotless\s*\{/.test(text)) checks.push(["spotlessCheck", "spotless plugin"]);
    if (/org\.jlleitschuh\.gradle\.ktlint/.test(text)) checks.push(["ktlintCheck", "org.jlleitschuh.gradle.ktlint plugin"]);
    if (/io\.gitlab\.arturbosch\.detekt|["']dev\.detekt["']/.test(text)) {
      // autoCorrect = true makes the detekt task rewrite the sources: not a CI check.
      if (/\bautoCorrect\s*(?:=|\.set\()\s*true\b/.test(text))
        found.notes.lintCommand ??= `${buildName}: detekt is set to autoCorrect = true, so its task rewrites the sources; not run as the CI lint`;
      else checks.push(["detekt", "detekt plugin"]);
    }
    if (/["']checkstyle["']|\bcheckstyle\s*\{/.test(text)) checks.push(["checkstyleMain", "checkstyle plugin"]);
    if (checks.length > 0)
      put(found, "lintCommand", `${tool} ${checks.map(([t]) => t).join(" ")}`, `${buildName}: ${checks.map(([t, p]) => `${p} (${t})`).join(", ")}`);
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
  // JHipster builds for production only under its prod profile (-Pprod: the prod Spring profile,
  // the client built and bundled, no devtools); its dev profile is the default one.
  // https://www.jhipster.tech/production/ ("./mvnw -Pprod clean verify", "./gradlew -Pprod clean bootJar").
  const jhipster =
    /jhipster/i.test(text) &&
    (buildTool === "maven" ? /<profile>\s*<id>\s*prod\s*<\/id>/.test(text) : /profile_prod\.gradle|hasProperty\(\s*["']prod["']\s*\)/.test(text));
  const [verb, ...rest] = task.split(" ");
  put(
    found,
    "buildCommand",
    `${tool} ${jhipster ? [verb, "-Pprod", ...rest].join(" ") : task}`,
    `${toolFrom}; ${packaging} packaging${jhipster ? `; JHipster's prod profile (${buildName})` : ""}`,
  );
  const out = buildTool === "maven" ? "target" : "build";
  const name = found.name ?? path.basename(root);
  // The archive's name as the build names it: Maven's <finalName> (with ${project.*} and
  // <properties> resolved) and CI-friendly ${revision} versions; Gradle's archive names and a
  // version in gradle.properties.
  const prop = (k: string): string | undefined =>
    k === "project.artifactId"
      ? name
      : k === "project.version"
        ? version
        : [...text.matchAll(/<properties>([\s\S]*?)<\/properties>/g)]
            .map((m) => m[1]!.match(new RegExp(`<${k.replace(/[.]/g, "\\.")}>\\s*([^<\\s$]+)\\s*<`))?.[1])
            .find((v) => v !== undefined);
  const resolve = (v: string | undefined) => v?.replace(/\$\{([\w.-]+)\}/g, (m, k: string) => prop(k) ?? m);
  if (buildTool === "maven") version = resolve(version);
  else if (version === undefined && top.files.has("gradle.properties"))
    version = /^\s*version\s*[=:]\s*([^\s#]+)\s*$/m.exec((await read("gradle.properties")) ?? "")?.[1];
  let jarName = `${name}${version !== undefined && !version.includes("$") ? `-${version}` : ""}.jar`;
  if (buildTool === "maven") {
    const finalName = resolve(/<build>(?:(?!<plugins>)[\s\S])*?<finalName>\s*([^<\s]+)\s*<\/finalName>/.exec(text)?.[1]);
    if (finalName !== undefined && !finalName.includes("$")) jarName = `${finalName}.jar`;
  } else {
    const archiveTask = packaging === "spring-boot" ? "bootJar" : "jar";
    const block = new RegExp(`\\b${archiveTask}\\s*(?:\\{|\\(|\\.configure)[\\s\\S]*?\\n\\s*\\}`).exec(text)?.[0] ?? "";
    const set = (key: string, where: string) => new RegExp(`\\b${key}\\s*(?:=|\\.set\\()\\s*["']([^"'$]+)["']`).exec(where)?.[1];
    const file = set("archiveFileName", block);
    const base = set("archiveBaseName", block) ?? set("archivesBaseName", text) ?? set("archivesName", text);
    if (file !== undefined) jarName = file;
    else if (base !== undefined) jarName = `${base}${version !== undefined && !version.includes("$") ? `-${version}` : ""}.jar`;
  }
  if (packaging === "application") {
    // installDist's folder and script are named after the application (application { applicationName
    // = ... }, else the project); a CreateStartScripts task of its own adds a script named by its
    // applicationName (the first one that is not a client's when startScripts is turned off). An
    // existing Dockerfile that runs build/install/<dir>/bin/<script> says it outright.
    const appName = /^\s*(?:application\s*\{[^}]*?\b)?applicationName\s*(?:=|\.set\()\s*["']([\w.-]+)["']/m.exec(
      text.replace(/\btask\s*\(?\s*\w+\s*\(\s*type:\s*CreateStartScripts\)[\s\S]*?\n\}/g, "").replace(/register<CreateStartScripts>[\s\S]*?\n\}/g, ""),
    )?.[1];
    const dir = appName ?? name;
    const scripts = [
      ...text.matchAll(
        /(?:\btask\s*\(?\s*(\w+)\s*\(\s*type:\s*CreateStartScripts\)|register<CreateStartScripts>\(\s*["'](\w+)["']\))[\s\S]*?\bapplicationName\s*(?:=|\.set\()\s*["']([\w.-]+)["']/g,
      ),
    ].map((m) => ({ task: m[1] ?? m[2]!, script: m[3]! }));
    const own = scripts.find((x) => !/client/i.test(x.script)) ?? scripts[0];
    const docker = top.files.has("Dockerfile")
      ? /^\s*(?:ENTRYPOINT|CMD)\b.*?\b(build\/install\/[\w.-]+\/bin\/[\w.-]+)/m.exec((await read("Dockerfile")) ?? "")?.[1]
      : undefined;
    if (docker !== undefined) put(found, "startCommand", docker, `Dockerfile: the ENTRYPOINT/CMD runs ${docker} (installDist)`);
    else if (own !== undefined && /\bstartScripts(?:\.enabled\s*=|\s*\{[^}]*\benabled\s*=)\s*false\b/.test(text))
      put(
        found,
        "startCommand",
        `${out}/install/${dir}/bin/${own.script}`,
        `${buildName}: the CreateStartScripts task ${own.task} (applicationName ${own.script}), installed by installDist`,
      );
    else if (appName !== undefined) put(found, "startCommand", `${out}/install/${dir}/bin/${dir}`, `${buildName}: applicationName ${appName} (installDist)`);
  }
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
  // The configuration as the packaged service reads it, as layers (first wins): Spring's active
  // profiles (their application-<profile> files and YAML documents; config/ over the classpath
  // root, .properties over YAML), then the base files; Quarkus's prod profile (%prod. keys).
  const [cprops, cyml, cyaml] = boot ? await Promise.all(["properties", "yml", "yaml"].map((x) => read(`src/main/resources/config/application.${x}`))) : [];
  const configYaml = cyml ?? cyaml;
  // The profiles come from the base documents only (a later document of a multi-document file is
  // a profile's or a cloud platform's), the later of a file's documents first (it wins).
  const spring = boot
    ? springProfiles([...propsDocs(cprops).reverse(), ...yamlDocs(configYaml).reverse(), ...propsDocs(props).reverse(), ...yamlDocs(springYaml).reverse()])
    : undefined;
  const profiles = spring?.profiles ?? [];
  const layers: { text: string; name: string }[] = [];
  const add = (text: string | undefined, name: string) => {
    if (text !== undefined) layers.push({ text, name });
  };
  for (const p of [...profiles].reverse()) {
    for (const dir of ["config/", ""]) {
      const [pp, py, pya] = await Promise.all(["properties", "yml", "yaml"].map((x) => read(`src/main/resources/${dir}application-${p}.${x}`)));
      add(pp, `${dir}application-${p}.properties (profile ${p})`);
      add(py ?? pya, `${dir}application-${p}.yml (profile ${p})`);
    }
    for (const d of propsDocs(cprops, p).reverse()) add(d, `config/application.properties (profile ${p})`);
    for (const d of yamlDocs(configYaml, p).reverse()) add(d, `config/application.yml (profile ${p})`);
    for (const d of propsDocs(props, p).reverse()) add(d, `application.properties (profile ${p})`);
    for (const d of yamlDocs(springYaml, p).reverse()) add(d, `application.yml (profile ${p})`);
  }
  if (spring !== undefined) {
    // The profiles the repository configures but does not activate: a deployment may (SPRING_PROFILES_ACTIVE).
    const byName = new Map<string, { name: string; text: string }[]>();
    const push = (p: string, name: string, text: string | undefined) => {
      if (text === undefined || profiles.includes(p)) return;
      byName.set(p, [...(byName.get(p) ?? []), { name, text }]);
    };
    for (const dir of ["config/", ""]) {
      const files = [...(await list(path.join(root, "src/main/resources", dir))).files].sort();
      for (const f of files) {
        const m = /^application-([\w.-]+)\.(?:properties|ya?ml)$/.exec(f);
        if (m) push(m[1]!, `${dir}${f}`, await read(`src/main/resources/${dir}${f}`));
      }
    }
    for (const [t, n, split] of [
      [cprops, "config/application.properties", splitProps],
      [configYaml, "config/application.yml", splitYaml],
      [props, "application.properties", splitProps],
      [springYaml, "application.yml", splitYaml],
    ] as const) {
      for (const d of split(t ?? "")) {
        const on = configValue(d, "spring.config.activate.on-profile") ?? configValue(d, "spring.profiles");
        for (const p of (on ?? "")
          .split(",")
          .map((x) => x.trim())
          .filter((x) => /^[\w.-]+$/.test(x)))
          push(p, `${n} (profile ${p})`, d);
      }
    }
    spring.inactive = [...byName].map(([name, files]) => ({ name, files }));
  }
  for (const d of propsDocs(cprops).reverse()) add(d, "config/application.properties");
  for (const d of yamlDocs(configYaml).reverse()) add(d, "config/application.yml");
  for (const d of propsDocs(props).reverse()) add(d, "application.properties");
  for (const d of yamlDocs(springYaml).reverse()) add(d, "application.yml");
  const layerOf = (key: string) => {
    for (const l of layers) {
      const prod = quarkus ? configValue(l.text, `%prod.${key}`) : undefined;
      const v = prod ?? configValue(l.text, key);
      if (v !== undefined) {
        const raw = (prod !== undefined ? configValue(l.text, `%prod.${key}`, true) : configValue(l.text, key, true)) ?? v;
        return { value: v, name: l.name, key: prod !== undefined ? `%prod.${key}` : key, raw };
      }
    }
    return undefined;
  };
  const conf = (key: string): string | undefined => layerOf(key)?.value;
  /** Where a key's value was read, for the report. */
  const confFrom = (key: string): string => layerOf(key)?.name ?? propsName;
  /** "application.properties management.server.port" (and a placeholder's variable): how a value was set, for the report. */
  const confSaid = (key: string): string => {
    const l = layerOf(key);
    if (l === undefined) return `${propsName} ${key}`;
    const ph = /^\$\{([\w.-]+):([^}]*)\}$/.exec(l.raw);
    return `${l.name} ${l.key}${ph ? ` (${l.raw}: ${ph[2]} unless the environment sets ${ph[1]})` : ""}`;
  };
  /** A list-valued key ("a,b", [a, b], key[0]=a, a YAML block list) from the first layer that sets it. */
  const confList = (key: string): { items: string[]; from: string } | undefined => {
    for (const l of layers) {
      const items = (quarkus ? listIn(l.text, `%prod.${key}`) : undefined) ?? listIn(l.text, key);
      if (items !== undefined) return { items, from: l.name };
    }
    return undefined;
  };
  const join = (...p: (string | undefined)[]) =>
    `/${p
      .map((x) => (x ?? "").replace(/^\/+|\/+$/g, ""))
      .filter(Boolean)
      .join("/")}`;

  // gRPC: a gRPC server dependency and .proto services.
  const grpcDep = /quarkus-grpc|grpc-spring-boot-starter|grpc-server-spring-boot|spring-grpc|io\.grpc/.test(text);
  // A gRPC server starter for Spring Boot is a server with or without .proto files of its own (the
  // stubs may come from another artifact): net.devh's grpc-server-spring-boot-starter (grpc.server.port,
  // 9090) and LogNet's io.github.lognet:grpc-spring-boot-starter (grpc.port, 6565); both add
  // grpc.health.v1.Health unless told not to.
  const lognet = /io\.github\.lognet|org\.lognet/.test(text);
  const devh = /net\.devh|grpc-server-spring-boot-starter/.test(text);
  const starter = boot && (lognet || devh);
  const protoDir = top.dirs.has("src") && (await list(path.join(root, "src/main/proto"))).files.size > 0;
  if ((grpcDep && protoDir) || starter) {
    put(
      found,
      "protocol",
      "grpc",
      starter && !protoDir
        ? `${buildName}: ${lognet ? "io.github.lognet:grpc-spring-boot-starter" : "net.devh grpc-server-spring-boot-starter"} (a gRPC server)`
        : `${buildName}: a gRPC server dependency and src/main/proto`,
    );
    const grpcKey = ["quarkus.grpc.server.port", "spring.grpc.server.port", "grpc.server.port", ...(lognet ? ["grpc.port"] : [])].find((k) =>
      /^\d{2,5}$/.test(conf(k) ?? ""),
    );
    if (grpcKey !== undefined) put(found, "port", Number(conf(grpcKey)), `src/main/resources/${confSaid(grpcKey)} (the gRPC server's port)`);
    else if (quarkus) found.frameworkPort = { port: 9000, from: "Quarkus gRPC server default port (separate server)" };
    else if (lognet) found.frameworkPort = { port: 6565, from: "io.github.lognet:grpc-spring-boot-starter's default port (grpc.port)" };
    else found.frameworkPort = { port: 9090, from: "gRPC server default port" };
    const healthOff = ["grpc.server.health-service-enabled", "grpc.server.health-service.enabled", "grpc.enable-health", "grpc.enableHealth"].find(
      (k) => conf(k) === "false",
    );
    put(
      found,
      "grpcHealth",
      healthOff === undefined && (quarkus || starter || /grpc-services|grpc\.health/.test(text)),
      healthOff !== undefined
        ? `src/main/resources/${confSaid(healthOff)} turns the health service off`
        : quarkus
          ? "Quarkus registers grpc.health.v1.Health"
          : starter
            ? `${lognet ? "io.github.lognet:grpc-spring-boot-starter" : "net.devh grpc-server-spring-boot-starter"} registers grpc.health.v1.Health`
            : /grpc-services/.test(text)
              ? "grpc-services (grpc.health.v1.Health)"
              : "no grpc.health.v1.Health service found",
    );
  }

  const micronaut = !boot && !quarkus && /io\.micronaut/.test(text);
  if (quarkus) {
    // Quarkus: the prod profile's key (%prod.quarkus.http.port) over the plain one; %dev./%test.
    // keys and quarkus.http.test-port are not what the packaged service listens on.
    const qport = Number(conf("quarkus.http.port"));
    if (Number.isInteger(qport) && qport > 0 && qport <= 65535) put(found, "port", qport, `src/main/resources/${confSaid("quarkus.http.port")}`);
  } else if (!micronaut) {
    if (layers.length && !/^application\.(?:properties|yml)$/.test(confFrom("server.port"))) {
      // A port set by an active profile or in config/ wins over the base files'.
      const layerPort = Number(conf("server.port"));
      if (Number.isInteger(layerPort) && layerPort > 0 && layerPort <= 65535) put(found, "port", layerPort, `src/main/resources/${confSaid("server.port")}`);
    }
    // The base documents only: a later document that activates on a profile is that profile's.
    const basePort =
      propsDocs(props)
        .reverse()
        .map((d) => portIn(d))
        .find((x) => x !== undefined) ?? springYamlPort(springYaml === undefined ? undefined : yamlDocs(springYaml).join("\n---\n"));
    if (basePort !== undefined) put(found, "port", basePort, `src/main/resources/${confSaid("server.port")}`);
  }
  // Micronaut: micronaut.server.port (8080 unless set; -1 is a random port), from
  // application.properties or application.yml (docs.micronaut.io, "Running Server on a Specific Port").
  if (micronaut) {
    const spec = conf("micronaut.server.port");
    const mport = Number(spec);
    if (spec !== undefined && Number.isInteger(mport) && mport > 0 && mport <= 65535)
      put(found, "port", mport, `src/main/resources/${confSaid("micronaut.server.port")}`);
    else if (spec !== undefined)
      found.frameworkPort = {
        port: 8080,
        from: `Micronaut's default port, not what the service listens on: micronaut.server.port is ${spec} in ${confFrom("micronaut.server.port")} (-1 is a random port at each start, which no probe can reach: set a fixed one)`,
      };
  }
  found.frameworkPort ??=
    boot || quarkus || micronaut ? { port: 8080, from: `${boot ? "Spring Boot" : quarkus ? "Quarkus" : "Micronaut"}'s default port` } : undefined;
  /**
   * A key set by a profile the repository does not activate (its application-<profile> file or
   * YAML document): said beside the answer, never taken (a deployment may activate it with
   * SPRING_PROFILES_ACTIVE; the packaged service as the repository runs it does not).
   */
  const inactiveSays = (key: string, then: (v: string) => string): string[] =>
    (spring?.inactive ?? []).flatMap((p) => {
      const hit = p.files.map((f) => ({ f: f.name, v: configValue(f.text, key) })).find((x) => x.v !== undefined);
      if (hit === undefined || hit.v === conf(key)) return [];
      return [`profile ${p.name} (${hit.f}) sets ${key}=${hit.v}, but that profile is not active in the repository (not taken; ${then(hit.v!)})`];
    });
  if (boot) {
    const portSays = inactiveSays("server.port", (v) => `where the deployment activates it with SPRING_PROFILES_ACTIVE, give --port ${v}`);
    if (portSays.length && found.values.port !== undefined) found.from.port = `${found.from.port}; ${portSays.join("; ")}`;
    else if (portSays.length && found.frameworkPort !== undefined) found.frameworkPort.from = `${found.frameworkPort.from}; ${portSays.join("; ")}`;
  }

  // The path every route is under, and where the health endpoint is served: Spring's context path
  // and Actuator's base path and management port; Quarkus's root and non-application paths.
  // WebFlux has no servlet: its routes are under spring.webflux.base-path instead.
  const webflux = /spring-boot-starter-webflux/.test(text) && !/spring-boot-starter-web["'<:\s]/.test(text);
  // Spring MVC: the DispatcherServlet's path (spring.mvc.servlet.path) comes after the context path,
  // and Actuator's endpoints on the service port are served through it too.
  const servletPath = webflux ? undefined : clean(conf("spring.mvc.servlet.path"));
  // Spring Boot 1: server.context-path, and Actuator's endpoints at the management context path
  // (no /actuator), on management.port.
  const bootVersion = boot ? springBootVersion(text, resolve) : undefined;
  const bootMajor = /^(\d+)\./.exec(bootVersion ?? "")?.[1];
  const boot1 = boot && bootMajor === "1";
  const rootPath = clean(
    conf(webflux ? "spring.webflux.base-path" : "server.servlet.context-path") ??
      (boot1 ? conf("server.context-path") : undefined) ??
      conf("quarkus.http.root-path") ??
      (boot || quarkus ? undefined : conf("micronaut.server.context-path")),
  );
  const contextPath = rootPath === undefined && servletPath === undefined ? undefined : `${rootPath ?? ""}${servletPath ?? ""}`;
  if (contextPath !== undefined) found.contextPath = contextPath;
  // The dependencies the service is built with (not a BOM's managed versions).
  const deps = buildTool === "maven" ? text.replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, "") : text;
  /** The service exports no Prometheus metrics: an empty metrics path, with why (shown in the report). */
  const noMetrics = (why: string) => {
    if (found.values.metricsPath !== undefined) return;
    found.values.metricsPath = "";
    found.from.metricsPath = why;
  };
  const loopback = (a: string | undefined) => a !== undefined && /^(?:127(?:\.\d{1,3}){3}|localhost|::1|\[::1\]|0:0:0:0:0:0:0:1)$/i.test(a.trim());
  // Spring Boot's TLS: on when a key store, certificate or SSL bundle is configured, unless ssl.enabled is false.
  const springTls = (prefix: string) =>
    !/^false$/i.test(conf(`${prefix}.ssl.enabled`) ?? "") &&
    ["key-store", "certificate", "bundle"].some((k) => conf(`${prefix}.ssl.${k}`) !== undefined) &&
    `${prefix}.ssl (${confFrom(`${prefix}.ssl.${["key-store", "certificate", "bundle"].find((k) => conf(`${prefix}.ssl.${k}`) !== undefined)}`)})`;
  /** Where Actuator's endpoints are served (a path prefix, a port of their own), or why the probes cannot reach them. */
  let actuatorAt: { prefix: string; port?: number; base?: string | undefined; said: string } | undefined;
  let actuatorLost: string | undefined;
  const actuator = deps.includes("spring-boot-starter-actuator");
  if (actuator) {
    const servicePort = typeof found.values.port === "number" ? found.values.port : 8080;
    const portKey = boot1 ? "management.port" : "management.server.port";
    const mgmtSpec = conf(portKey);
    const mgmtPort = mgmtSpec === undefined ? undefined : Number(mgmtSpec);
    const base = boot1 ? clean(conf("management.context-path")) : (clean(conf("management.endpoints.web.base-path")) ?? "/actuator");
    const mapped = boot1 ? (conf("endpoints.health.path") ?? "health") : (conf("management.endpoints.web.path-mapping.health") ?? "health");
    const baseSaid = `${!boot1 && base !== "/actuator" ? ` (base path ${base}, ${confSaid("management.endpoints.web.base-path")})` : ""}${boot1 ? " (Spring Boot 1: no /actuator prefix)" : ""}`;
    const addressKey = boot1 ? "management.address" : "management.server.address";
    if (mgmtPort !== undefined && mgmtPort !== servicePort && (!Number.isInteger(mgmtPort) || mgmtPort <= 0 || mgmtPort > 65535)) {
      actuatorLost =
        mgmtPort === -1
          ? `${portKey} is -1 (${confFrom(portKey)}): Actuator serves no HTTP endpoints`
          : `${portKey} is ${mgmtSpec} (${confFrom(portKey)}), not a fixed port the probes can reach`;
    } else if (mgmtPort !== undefined && mgmtPort !== servicePort) {
      // On its own port, Actuator is under the management server's base path, not the
      // service's context or servlet path (Spring Boot 2: management.server.servlet.context-path).
      const mgmtBase = boot1 ? undefined : clean(conf("management.server.base-path") ?? conf("management.server.servlet.context-path"));
      const tls = springTls(boot1 ? "management" : "management.server");
      if (loopback(conf(addressKey)))
        actuatorLost = `${addressKey} is ${conf(addressKey)} (${confFrom(addressKey)}): Actuator's port listens on loopback only, where the kubelet's probes and Prometheus never reach it (bind it to 0.0.0.0, or drop ${addressKey}, to use it)`;
      else if (tls) actuatorLost = `Actuator's port serves HTTPS (${tls}), which the chart's HTTP probes and scrape do not speak`;
      else
        actuatorAt = {
          prefix: join(mgmtBase, base),
          port: mgmtPort,
          base: mgmtBase,
          said: `on its management port (${confSaid(portKey)})${mgmtBase ? ` under ${mgmtBase}` : ""}${baseSaid}`,
        };
    } else {
      const tls = springTls("server");
      if (tls) actuatorLost = `the service serves HTTPS (${tls}), which the chart's HTTP probes and scrape do not speak`;
      else
        actuatorAt = {
          prefix: join(contextPath, base),
          said: `${rootPath ? ` under the context path ${rootPath}` : ""}${servletPath ? ` and the servlet path ${servletPath} (spring.mvc.servlet.path)` : ""}${baseSaid}`,
        };
    }
    // A management port set only in a profile the repository does not activate (the deployment may:
    // SPRING_PROFILES_ACTIVE): said beside what was found.
    const elsewhere = (spring?.inactive ?? [])
      .map((p) => ({ p, v: p.files.map((f) => ({ f: f.name, v: configValue(f.text, portKey) })).find((x) => x.v !== undefined) }))
      .filter((x) => x.v !== undefined)
      .map(
        (x) =>
          `profile ${x.p.name} (${x.v!.f}) sets ${portKey}=${x.v!.v}; it is not active in the repository: where the deployment activates it (SPRING_PROFILES_ACTIVE), give --health-port ${x.v!.v}`,
      );
    for (const key of [
      "server.servlet.context-path",
      "management.endpoints.web.base-path",
      "management.endpoints.web.path-mapping.health",
      "management.endpoint.health.probes.enabled",
    ])
      elsewhere.push(
        ...inactiveSays(
          key,
          () => "where the deployment activates it, the health paths change with it: give them with --health-path, --liveness-path and --readiness-path",
        ),
      );
    const also = elsewhere.length ? `; ${elsewhere.join("; ")}` : "";
    if (actuatorAt !== undefined) {
      // Where Actuator is served, when not at its defaults (base path, port).
      const at = actuatorAt.said ? ` ${actuatorAt.said.trim()}` : "";
      // Spring Boot 2.3+: the liveness and readiness health groups, which it turns on by itself
      // on Kubernetes unless management.endpoint.health.probes.enabled is false (2.3.0 and 2.3.1:
      // management.health.probes.enabled). https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.kubernetes-probes
      const [major, minor] = (bootVersion ?? "").split(".").map(Number);
      const probesKey = ["management.endpoint.health.probes.enabled", "management.health.probes.enabled"].find((k) => conf(k) !== undefined);
      const groupsSaid = `${buildName}: spring-boot-starter-actuator${via(/spring-boot-starter-actuator/)}, Spring Boot ${bootVersion}`;
      const groups = major !== undefined && minor !== undefined && (major > 2 || (major === 2 && minor >= 3)) && !/^false$/i.test(conf(probesKey ?? "") ?? "");
      // Spring Boot 2.6+: a health group's additional path, "server:/<segment>" on the main server
      // port (under the context and servlet paths: the main server's dispatcher serves it) or
      // "management:/<segment>" on the management port (under management.server.base-path);
      // management.endpoint.health.probes.add-additional-paths gives the liveness and readiness
      // groups server:/livez and server:/readyz. Neither is under Actuator's base path.
      // https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.health.groups
      const addKey = "management.endpoint.health.probes.add-additional-paths";
      const extraPath = (group: "liveness" | "readiness"): { path: string; main: boolean; said: string } | undefined => {
        if (!groups || major === undefined || minor === undefined || (major === 2 && minor < 6)) return undefined;
        const key = `management.endpoint.health.group.${group}.additional-path`;
        const spec = conf(key) ?? (/^true$/i.test(conf(addKey) ?? "") ? `server:/${group === "liveness" ? "livez" : "readyz"}` : undefined);
        const m = /^(server|management):\/*([^/\s]+)\/*$/.exec(spec?.trim() ?? "");
        if (m === null) return undefined;
        const said = conf(key) !== undefined ? confSaid(key) : `${confSaid(addKey)} (/${m[2]})`;
        // management: is served by a management server of its own only.
        if (m[1] === "management") return actuatorAt!.port === undefined ? undefined : { path: join(actuatorAt!.base, m[2]), main: false, said };
        return { path: join(contextPath, m[2]), main: true, said };
      };
      const live = extraPath("liveness");
      const ready = extraPath("readiness");
      const onMain = actuatorAt.port !== undefined && live?.main === true && ready?.main === true;
      /** Said beside a probe path: its group on the main server port too, where the probes do not call it. */
      const alsoOnMain: Record<string, string> = {};
      if (onMain) {
        // Both probe groups on the main server port, beside the service: the probes call them there
        // (Actuator's own port answers while the main server may not), and so does the health check.
        const actuatorSaid = `Actuator's health endpoint ${join(actuatorAt.prefix, mapped)} is on its own port ${actuatorAt.port} (${confSaid(portKey)})`;
        put(found, "healthPath", ready.path, `${groupsSaid}: the readiness group on the main server port (${ready.said}); ${actuatorSaid}${also}`);
        found.notes.healthPort = `${actuatorSaid}, but the liveness and readiness groups are on the main server port (${ready.said}): the probes call them there`;
        put(found, "livenessPath", live.path, `${groupsSaid}: the liveness group on the main server port (${live.said})`);
        put(found, "readinessPath", ready.path, `${groupsSaid}: the readiness group on the main server port (${ready.said})`);
      } else {
        put(
          found,
          "healthPath",
          join(actuatorAt.prefix, mapped),
          `${buildName}: spring-boot-starter-actuator${via(/spring-boot-starter-actuator/)}${at}${also}`,
        );
        if (actuatorAt.port !== undefined) put(found, "healthPort", actuatorAt.port, `${confSaid(portKey)} (Actuator's own port)`);
        // One group on the main server port and the other not: the chart's probes share one port.
        const split = actuatorAt.port !== undefined && (live?.main === true) !== (ready?.main === true);
        for (const [key, g] of [
          ["livenessPath", live],
          ["readinessPath", ready],
        ] as const) {
          if (g === undefined) continue;
          if (!g.main)
            put(
              found,
              key,
              g.path,
              `${groupsSaid}: the ${key === "livenessPath" ? "liveness" : "readiness"} group's additional path on the management port (${g.said})`,
            );
          else if (split)
            alsoOnMain[key] =
              `; ${g.said} serves the group on the main server port at ${g.path} too, but the other group is on the management port only and the probes share one port: they call the management port`;
        }
      }
      if (bootVersion === undefined || major === undefined || minor === undefined) {
        found.notes.livenessPath =
          found.notes.readinessPath = `${buildName}: the Spring Boot version was not found, so whether Actuator has the liveness and readiness groups (2.3 and later) is not known: the probes call the health path`;
      } else if (major < 2 || (major === 2 && minor < 3)) {
        found.notes.livenessPath =
          found.notes.readinessPath = `Spring Boot ${bootVersion} has no liveness and readiness groups (2.3 and later): the probes call the health path`;
      } else if (probesKey !== undefined && /^false$/i.test(conf(probesKey) ?? "")) {
        found.notes.livenessPath =
          found.notes.readinessPath = `${probesKey} is false (${confFrom(probesKey)}): Actuator serves no liveness and readiness groups, so the probes call the health path`;
      } else {
        put(found, "livenessPath", join(actuatorAt.prefix, mapped, "liveness"), `${groupsSaid}: the liveness group${at}${alsoOnMain.livenessPath ?? ""}`);
        put(found, "readinessPath", join(actuatorAt.prefix, mapped, "readiness"), `${groupsSaid}: the readiness group${at}${alsoOnMain.readinessPath ?? ""}`);
      }
    } else found.notes.healthPath = `${actuatorLost}: the probes check that the service port is open${also}`;
  }
  if (boot) {
    // Prometheus metrics from Actuator: the Micrometer registry, the endpoint exposed over HTTP.
    const legacy = /simpleclient_spring_boot/.test(deps);
    if (!/micrometer-registry-prometheus/.test(deps) && !legacy)
      noMetrics(`${buildName}: no Prometheus registry (micrometer-registry-prometheus), so Actuator serves no prometheus endpoint`);
    else if (!actuator && !legacy) noMetrics(`${buildName}: micrometer-registry-prometheus without spring-boot-starter-actuator, which serves its endpoint`);
    else if (actuatorAt === undefined && actuator) noMetrics(`${buildName}: micrometer-registry-prometheus, but ${actuatorLost}`);
    else if (boot1 || legacy) {
      const at = actuatorAt?.prefix ?? join(contextPath);
      put(
        found,
        "metricsPath",
        join(at, conf("endpoints.prometheus.path") ?? "prometheus"),
        `${buildName}: Spring Boot 1 prometheus endpoint${actuatorAt?.said ? ` ${actuatorAt.said.trim()}` : ""}`,
      );
    } else {
      const include = confList("management.endpoints.web.exposure.include");
      const exclude = confList("management.endpoints.web.exposure.exclude");
      const named = (l: { items: string[] } | undefined) => l?.items.some((i) => i === "*" || i === "prometheus") === true;
      const off = [
        "management.endpoint.prometheus.enabled",
        "management.prometheus.metrics.export.enabled",
        "management.metrics.export.prometheus.enabled",
      ].find((k) => /^false$/i.test(conf(k) ?? ""));
      const mapped = conf("management.endpoints.web.path-mapping.prometheus") ?? "prometheus";
      if (!named(include))
        noMetrics(
          `${buildName}: micrometer-registry-prometheus, but Actuator does not expose its prometheus endpoint over HTTP (management.endpoints.web.exposure.include ${include === undefined ? "is not set: only health is exposed" : `is "${include.items.join(",")}" in ${include.from}`})`,
        );
      else if (named(exclude))
        noMetrics(`${buildName}: micrometer-registry-prometheus, but management.endpoints.web.exposure.exclude names it (${exclude!.from})`);
      else if (off !== undefined) noMetrics(`${buildName}: micrometer-registry-prometheus, but ${off} is false (${confFrom(off)})`);
      else if (/^none$/i.test(conf("management.endpoint.prometheus.access") ?? ""))
        noMetrics(
          `${buildName}: micrometer-registry-prometheus, but management.endpoint.prometheus.access is none (${confFrom("management.endpoint.prometheus.access")})`,
        );
      else
        put(
          found,
          "metricsPath",
          join(actuatorAt!.prefix, mapped),
          `${buildName}: micrometer-registry-prometheus, exposed by ${include!.from} management.endpoints.web.exposure.include${actuatorAt!.said ? `; Actuator ${actuatorAt!.said.trim()}` : ""}`,
        );
      if (found.values.metricsPath) {
        // Micrometer's http.server.requests timer, by status (Spring MVC and WebFlux record it).
        put(found, "requestMetric", MICROMETER_REQUESTS, `${buildName}: Spring Boot Micrometer (http.server.requests)`);
        if (actuatorAt?.port !== undefined) put(found, "metricsPort", actuatorAt.port, `${confSaid("management.server.port")} (Actuator's own port)`);
      }
    }
  }
  if (micronaut && /micronaut-management/.test(deps)) {
    // micronaut-management's health endpoint: /health (enabled and not sensitive by default), under
    // endpoints.all.path, on endpoints.all.port when set (its own server); /health/liveness and
    // /health/readiness beside it (docs.micronaut.io, "Built-In Endpoints", "The Health Endpoint").
    const off = [conf("endpoints.health.enabled"), conf("endpoints.all.enabled")].some((v) => /^false$/i.test(v ?? ""));
    const portSpec = conf("endpoints.all.port");
    const mgmtPort = portSpec === undefined ? undefined : Number(portSpec);
    if (off)
      found.notes.healthPath = `micronaut-management's health endpoint is turned off (${conf("endpoints.health.enabled") !== undefined ? confSaid("endpoints.health.enabled") : confSaid("endpoints.all.enabled")}): the probes check that the port is open`;
    else if (mgmtPort !== undefined && (!Number.isInteger(mgmtPort) || mgmtPort <= 0 || mgmtPort > 65535))
      found.notes.healthPath = `endpoints.all.port is ${portSpec}, not a fixed port the probes can reach`;
    else {
      const base = join(mgmtPort === undefined ? contextPath : undefined, conf("endpoints.all.path"), "health");
      const said = `${buildName}: micronaut-management${conf("endpoints.all.path") !== undefined ? ` (${confSaid("endpoints.all.path")})` : ""}`;
      put(found, "healthPath", base, `${said}: its health endpoint`);
      put(found, "livenessPath", `${base}/liveness`, `${said}: its liveness checks`);
      put(found, "readinessPath", `${base}/readiness`, `${said}: its readiness checks`);
      if (mgmtPort !== undefined)
        put(found, "healthPort", mgmtPort, `src/main/resources/${confSaid("endpoints.all.port")} (the management endpoints' own port)`);
    }
  }
  if (quarkus) {
    // Quarkus serves health and metrics under its non-application root (/q), or on the
    // management interface when it is enabled: its own server (port 9000 unless set), under its
    // root path (/q unless set), where the HTTP root path does not apply.
    const nonApp = conf("quarkus.http.non-application-root-path") ?? "q";
    const mgmtOn = /^true$/i.test(conf("quarkus.management.enabled") ?? "");
    let root: { path: string; port?: number; said: string } | undefined;
    let lost: string | undefined;
    if (mgmtOn) {
      const portSpec = conf("quarkus.management.port");
      const mgmtPort = portSpec === undefined ? 9000 : Number(portSpec);
      const host = conf("quarkus.management.host");
      const tls = [
        "quarkus.management.ssl.certificate.files",
        "quarkus.management.ssl.certificate.key-store-file",
        "quarkus.management.tls-configuration-name",
      ].find((k) => conf(k) !== undefined);
      if (!Number.isInteger(mgmtPort) || mgmtPort <= 0 || mgmtPort > 65535)
        lost = `quarkus.management.port is ${portSpec}, not a fixed port the probes can reach`;
      else if (loopback(host))
        lost = `quarkus.management.host is ${host} (${confFrom("quarkus.management.host")}): the management interface listens on loopback only, where the kubelet's probes and Prometheus never reach it (bind it to 0.0.0.0, or drop the key, to use it)`;
      else if (tls !== undefined)
        lost = `the management interface serves HTTPS (${tls} in ${confFrom(tls)}), which the chart's HTTP probes and scrape do not speak`;
      else
        root = {
          path: join(conf("quarkus.management.root-path") ?? "q"),
          port: mgmtPort,
          said: `on the management interface (quarkus.management.enabled in ${confFrom("quarkus.management.enabled")}; ${portSpec === undefined ? "its default port 9000" : confSaid("quarkus.management.port")})`,
        };
    } else if (/^disabled$/i.test(conf("quarkus.http.insecure-requests") ?? "")) {
      lost = `quarkus.http.insecure-requests is disabled (${confFrom("quarkus.http.insecure-requests")}): the service answers HTTPS only, which the chart's HTTP probes and scrape do not speak`;
    } else {
      root = {
        path: nonApp.startsWith("/") ? join(nonApp) : join(contextPath, nonApp),
        said: nonApp !== "q" || contextPath ? "(root and non-application paths from the configuration)" : "",
      };
    }
    const under = (p: string) => (p.startsWith("/") ? join(p) : join(root!.path, p));
    if (/quarkus-smallrye-health/.test(deps)) {
      if (root === undefined) found.notes.healthPath = `${lost}: the probes check that the service port is open`;
      else {
        // SmallRye Health's liveness and readiness paths under its root path (relative paths; an
        // absolute one from the HTTP root). https://quarkus.io/guides/smallrye-health
        const healthRoot = under(conf("quarkus.smallrye-health.root-path") ?? "health");
        const sub = (key: string, def: string) => {
          const v = conf(key) ?? def;
          return v.startsWith("/") ? join(contextPath, v) : join(healthRoot, v);
        };
        const p = sub("quarkus.smallrye-health.liveness-path", "live");
        const said = `${buildName}: quarkus-smallrye-health${root.said ? ` ${root.said}` : ""}`;
        put(found, "healthPath", p, said);
        put(found, "livenessPath", p, `${said}: its liveness checks`);
        put(found, "readinessPath", sub("quarkus.smallrye-health.readiness-path", "ready"), `${said}: its readiness checks`);
        if (root.port !== undefined) put(found, "healthPort", root.port, `${root.said.replace(/^on /, "")}`);
      }
    }
    const micrometer = /quarkus-micrometer-registry-prometheus/.test(deps) || (/quarkus-micrometer/.test(deps) && /micrometer-registry-prometheus/.test(deps));
    const smallrye = /quarkus-smallrye-metrics/.test(deps);
    const off = ["quarkus.micrometer.enabled", "quarkus.micrometer.export.prometheus.enabled"].find((k) => /^false$/i.test(conf(k) ?? ""));
    if (!micrometer && !smallrye)
      noMetrics(`${buildName}: no Prometheus registry (quarkus-micrometer-registry-prometheus or quarkus-smallrye-metrics), so Quarkus serves no metrics`);
    else if (micrometer && off !== undefined) noMetrics(`${buildName}: quarkus-micrometer-registry-prometheus, but ${off} is false (${confFrom(off)})`);
    else if (root === undefined) noMetrics(`${buildName}: ${micrometer ? "quarkus-micrometer-registry-prometheus" : "quarkus-smallrye-metrics"}, but ${lost}`);
    else {
      const key = micrometer ? "quarkus.micrometer.export.prometheus.path" : "quarkus.smallrye-metrics.path";
      const p = under(conf(key) ?? "metrics");
      const said =
        root.port !== undefined && found.values.healthPort !== root.port ? `; the chart scrapes it on the health port: give --health-port ${root.port}` : "";
      put(
        found,
        "metricsPath",
        p,
        `${buildName}: ${micrometer ? "quarkus-micrometer-registry-prometheus" : "quarkus-smallrye-metrics"}${root.said ? ` ${root.said}` : ""}${said}`,
      );
      // Quarkus Micrometer's HTTP server binder records http.server.requests by status.
      if (micrometer && found.values.metricsPath) put(found, "requestMetric", MICROMETER_REQUESTS, `${buildName}: Quarkus Micrometer (http.server.requests)`);
    }
  }
  // Spring Boot serves a static index.html as its welcome page at the root (MVC and WebFlux).
  if (boot && found.values.healthPath === undefined && /spring-boot-starter-web|spring-cloud-config-server|spring-cloud-starter-gateway/.test(text)) {
    const dirs = ["static", "public", "resources", "META-INF/resources"];
    const hit = (
      await Promise.all(dirs.map(async (d) => ((await list(path.join(root, "src/main/resources", d))).files.has("index.html") ? d : undefined)))
    ).find(Boolean);
    if (hit !== undefined)
      found.rootFallback = {
        path: join(contextPath),
        from: `src/main/resources/${hit}/index.html: Spring Boot's welcome page (no health endpoint or route found)`,
      };
  }
  found.sources = await javaSources(root, top);
  if (!boot && !quarkus && !micronaut && /io\.ktor/.test(text)) await ktorPort(found, read);
  return found;
}

/**
 * Ktor's port: ktor.deployment.port in application.conf (HOCON, a later `port = ${?PORT}` taking
 * the environment's when it is set) or application.yaml (`port: "$PORT:8080"`), else the port
 * given to embeddedServer(Netty, port = 8080) in the entry sources.
 */
async function ktorPort(found: Found, read: Reader): Promise<void> {
  // A literal port that no environment variable overrides is the port the service listens on
  // whatever the chart's PORT says: kept (found.fixedPort) to be said when the answer differs.
  const lineOf = (text: string, re: RegExp) => {
    const i = text.split("\n").findIndex((l) => re.test(l));
    return i < 0 ? "" : `:${i + 1}`;
  };
  const fixed = (port: number, file: string, at: string, fix: string) => {
    if (found.values.port === port && found.from.port?.startsWith(file)) found.fixedPort = { port, where: `${file}${at}`, fix };
  };
  const confFile = "src/main/resources/application.conf";
  const conf = await read(confFile);
  const hocon = conf === undefined ? [] : hoconValues(conf, "ktor.deployment.port");
  const literal = hocon.map((v) => /^["']?(\d{2,5})["']?$/.exec(v)?.[1]).find((v) => v !== undefined);
  const env = hocon.map((v) => /^\$\{\?(\w+)\}$/.exec(v)?.[1]).find((v) => v !== undefined);
  if (literal !== undefined) {
    put(
      found,
      "port",
      Number(literal),
      `${confFile} ktor.deployment.port = ${literal}${env !== undefined ? ` (\${?${env}} sets it from the environment when ${env} is set)` : ""}`,
    );
    if (env === undefined)
      fixed(
        Number(literal),
        confFile,
        lineOf(conf ?? "", new RegExp(`\\bport\\s*[=:]\\s*["']?${literal}\\b`)),
        `add \`port = \${?PORT}\` on the line after it (ktor.deployment.port), so the PORT the chart sets moves it`,
      );
  }
  for (const f of ["application.yaml", "application.yml"]) {
    const text = await read(`src/main/resources/${f}`);
    const v = configValue(text, "ktor.deployment.port");
    const m = v === undefined ? null : /^(?:\$\{?(\w+)\}?:)?(\d{2,5})$/.exec(v);
    if (m !== null) {
      put(
        found,
        "port",
        Number(m[2]),
        `src/main/resources/${f} ktor.deployment.port "${v}"${m[1] !== undefined ? ` (${m[1]} from the environment when set)` : ""}`,
      );
      if (m[1] === undefined)
        fixed(
          Number(m[2]),
          `src/main/resources/${f}`,
          lineOf(text ?? "", new RegExp(`^\\s*port\\s*:\\s*["']?${m[2]}\\b`)),
          `write it \`port: "$PORT:${m[2]}"\` (ktor.deployment.port), so the PORT the chart sets moves it`,
        );
    }
  }
  for (const f of found.sources) {
    const text = await read(f);
    const m = /\bembeddedServer\(\s*\w+\s*,\s*(?:port\s*=\s*)?(?:([^,\n]*?)\?:\s*)?(\d{2,5})\b/.exec(text ?? "");
    if (m !== null) {
      put(found, "port", Number(m[2]), `${f}: ${m[0]}`);
      if (m[1] === undefined)
        fixed(
          Number(m[2]),
          f,
          `:${(text ?? "").slice(0, m.index).split("\n").length}`,
          `read it from the environment: \`port = System.getenv("PORT")?.toInt() ?: ${m[2]}\``,
        );
    }
  }
}

/** The values a HOCON file assigns to a dotted key, in order (nested blocks and dotted keys). */
export function hoconValues(text: string, key: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  const body = text.replace(/^\s*(?:#|\/\/).*$/gm, "");
  for (const m of body.matchAll(/([\w.-]+|"[^"]*")\s*(?:=|:)?\s*\{|\}|([\w.-]+|"[^"]*")\s*(?:=|:)\s*((?:\$\{[^}\n]*\}|[^\n{}])+)/g)) {
    if (m[0] === "}") stack.pop();
    else if (m[1] !== undefined) stack.push(m[1].replace(/"/g, ""));
    else if (m[2] !== undefined && [...stack, m[2].replace(/"/g, "")].join(".") === key) out.push(m[3]!.trim().replace(/\s*(?:#|\/\/).*$/, ""));
  }
  return out;
}

/**
 * The Spring Boot version the build uses: spring-boot-starter-parent's version, the
 * spring-boot-dependencies BOM imported in <dependencyManagement> (its version property resolved),
 * a spring-boot.version property; Gradle's plugin version (after the catalog is written out),
 * a platform of the BOM, springBootVersion or the Gradle plugin on the buildscript classpath.
 */
export function springBootVersion(text: string, resolve: (v: string | undefined) => string | undefined = (v) => v): string | undefined {
  const raw = firstMatch(text, [
    /<artifactId>\s*spring-boot-starter-parent\s*<\/artifactId>\s*<version>\s*([^<\s]+)\s*</,
    /<artifactId>\s*spring-boot-dependencies\s*<\/artifactId>\s*<version>\s*([^<\s]+)\s*</,
    /<spring-boot\.version>\s*([^<\s]+)\s*</,
    /org\.springframework\.boot["']\)?\s+version\s+["']([^"']+)["']/,
    /org\.springframework\.boot:spring-boot-(?:dependencies|gradle-plugin):(\d[^"'\s)]*)/,
    /springBootVersion\s*=\s*["']([^"']+)["']/,
  ]);
  const v = resolve(raw);
  return v !== undefined && /^\d+\.\d+/.test(v) ? v : undefined;
}

/** Parent poms in the checkout (relativePath, default ../pom.xml), nearest first; each is the parent the module names (its artifactId). */
async function mavenParents(read: Reader, pom: string): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  let dir = ".";
  let current = pom;
  for (let i = 0; i < 5; i++) {
    const parent = /<parent>([\s\S]*?)<\/parent>/.exec(current)?.[1];
    if (parent === undefined) break;
    const rp = /<relativePath\s*\/>|<relativePath>\s*([^<]*?)\s*<\/relativePath>/.exec(parent);
    if (rp && !rp[1]) break;
    const given = rp?.[1] ?? "../pom.xml";
    const file = path.posix.normalize(path.posix.join(dir, given.endsWith(".xml") ? given : `${given}/pom.xml`));
    const raw = await read(file);
    const text = raw === undefined ? undefined : stripXmlComments(raw);
    const want = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(parent)?.[1];
    if (text === undefined || want === undefined || /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(pomProjectPart(text))?.[1] !== want) break;
    out.push({ name: file, text: text.replace(/<modules>[\s\S]*?<\/modules>/g, "") });
    dir = path.posix.dirname(file);
    current = text;
  }
  return out;
}

/**
 * The build script with its version catalogs written out: the default one (gradle/libs.versions.toml
 * as `libs`, or the name settings give it with defaultLibrariesExtensionName) and those that
 * settings.gradle(.kts) declares under dependencyResolutionManagement { versionCatalogs { ... } }
 * from a file (`create("deps") { from(files("gradle/deps.versions.toml")) }`, Groovy's
 * `deps { from(files('...')) }`), each read at the settings root (here or above a subproject).
 * https://docs.gradle.org/current/userguide/version_catalogs.html
 */
async function gradleCatalog(read: Reader, script: string): Promise<{ text: string; name: string } | undefined> {
  for (const up of ["", "../", "../../", "../../../"]) {
    const kts = await read(`${up}settings.gradle.kts`);
    const settings = kts ?? (await read(`${up}settings.gradle`));
    const settingsName = `${up}settings.gradle${kts !== undefined ? ".kts" : ""}`;
    const declared = settings === undefined ? [] : catalogDeclarations(settings);
    const defaultName = /defaultLibrariesExtensionName(?:\.set\(|\s*=)\s*["']([A-Za-z_]\w*)["']/.exec(settings ?? "")?.[1] ?? "libs";
    const catalogs = [...declared];
    // The default catalog file is imported by itself, unless a declared catalog already reads it.
    if (!declared.some((d) => path.posix.normalize(d.file) === "gradle/libs.versions.toml" || d.name === defaultName))
      catalogs.push({ name: defaultName, file: "gradle/libs.versions.toml" });
    let text = script;
    const names: string[] = [];
    let found = false;
    for (const c of catalogs) {
      if (!new RegExp(`\\b${c.name}\\.`).test(script)) continue;
      const file = path.posix.normalize(`${up}${c.file}`);
      const toml = await read(file);
      if (toml === undefined) continue;
      found = true;
      const out = expandCatalog(text, parseCatalog(toml), c.name);
      if (out.used) {
        text = out.text;
        names.push(c.name === "libs" && c.file === "gradle/libs.versions.toml" ? file : `${file} (the catalog ${c.name} of ${settingsName})`);
      }
    }
    if (found || settings !== undefined) return names.length ? { text, name: names.join(" and ") } : undefined;
  }
  return undefined;
}

/** The catalogs settings.gradle(.kts) declares from a file: name and file (relative to the settings root). */
export function catalogDeclarations(settings: string): { name: string; file: string }[] {
  const at = settings.search(/\bversionCatalogs\s*\{/);
  if (at < 0) return [];
  const block = settings.slice(at);
  const out: { name: string; file: string }[] = [];
  const re = /(?:\b(?:create|register)\(\s*["']([A-Za-z_]\w*)["']\s*\)|\b([A-Za-z_]\w*))\s*\{\s*from\s*\(?\s*files\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of block.matchAll(re)) {
    const name = m[1] ?? m[2]!;
    if (name === "versionCatalogs" || out.some((o) => o.name === name)) continue;
    out.push({ name, file: m[3]! });
  }
  return out;
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

interface SpringProfiles {
  profiles: string[];
  /** Profiles the repository configures (application-<p> files, YAML documents) but does not activate. */
  inactive: { name: string; files: { name: string; text: string }[] }[];
}

/**
 * Spring's profiles as the packaged service starts with them, in order (a later one wins), from the
 * base files (config/ first; a YAML file's documents without a profile): spring.profiles.include,
 * then spring.profiles.active, else spring.profiles.default, else the implicit "default" profile;
 * each followed by the members of its spring.profiles.group.<name>.
 */
function springProfiles(files: (string | undefined)[]): SpringProfiles {
  const first = (key: string) => files.reduce<string | undefined>((acc, f) => acc ?? configValue(f, key) ?? listIn(f, key)?.join(","), undefined);
  const names = (spec: string | undefined) =>
    (spec ?? "")
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((p) => p.trim().replace(/^["']|["']$/g, ""))
      .filter((p) => /^[\w.-]+$/.test(p));
  const active = names(first("spring.profiles.active"));
  const start = [...names(first("spring.profiles.include")), ...(active.length ? active : names(first("spring.profiles.default") ?? "default"))];
  const out: string[] = [];
  const expand = (p: string, depth: number) => {
    if (out.includes(p) || depth > 4) return;
    out.push(p);
    for (const m of names(first(`spring.profiles.group.${p}`))) expand(m, depth + 1);
  };
  for (const p of start) expand(p, 0);
  return { profiles: out.slice(0, 8), inactive: [] };
}

/**
 * The documents of a multi-document Spring YAML file that apply: without `profile`, those that
 * activate on no profile (the first, and later ones without spring.config.activate.on-profile /
 * spring.profiles); with it, those that activate on that profile. In file order (later wins).
 */
function yamlDocs(text: string | undefined, profile?: string): string[] {
  return activeDocs(text === undefined ? undefined : splitYaml(text), profile);
}

/** The documents of a multi-document Spring .properties file that apply, as yamlDocs does for YAML. */
function propsDocs(text: string | undefined, profile?: string): string[] {
  return activeDocs(text === undefined ? undefined : splitProps(text), profile);
}

/** A YAML file's documents (`---` lines). */
function splitYaml(text: string): string[] {
  return text.split(/^---[ \t]*(?:#.*)?$/m);
}

/**
 * A .properties file's documents (Spring Boot 2.4+), split as Spring Boot's
 * OriginTrackedPropertiesLoader splits them: a `#---` or `!---` line (no leading blanks, exactly
 * three hyphens) starts a new document, except right after a comment line of the same prefix (it
 * is a comment then); a comment line while the new document has no key yet puts it back into the
 * one before (so `#---` followed by a comment line does not split the file); an empty document is
 * dropped.
 * https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.files.multi-document
 */
function splitProps(text: string): string[] {
  const docs: { lines: string[]; keys: boolean }[] = [];
  let doc = { lines: [] as string[], keys: false };
  let lastComment: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trimStart();
    if (t === "") {
      doc.lines.push(line);
      lastComment = undefined;
    } else if (t[0] === "#" || t[0] === "!") {
      if (/^[#!]---[ \t]*$/.test(line) && lastComment !== line[0]) {
        if (doc.keys) docs.push(doc);
        doc = { lines: [], keys: false };
        continue;
      }
      if (!doc.keys && docs.length > 0) doc = { lines: [...docs.pop()!.lines, ...doc.lines], keys: true };
      doc.lines.push(line);
      lastComment = t[0];
    } else {
      doc.lines.push(line);
      doc.keys = true;
      lastComment = undefined;
    }
  }
  if (doc.keys || docs.length === 0) docs.push(doc);
  return docs.map((d) => d.lines.join("\n"));
}

function activeDocs(docs: string[] | undefined, profile?: string): string[] {
  if (docs === undefined) return [];
  return docs.filter((d) => {
    const on = configValue(d, "spring.config.activate.on-profile") ?? configValue(d, "spring.profiles");
    if (profile === undefined) return on === undefined;
    return (on ?? "").split(",").some((x) => x.trim() === profile);
  });
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
export function configValue(text: string | undefined, key: string, raw = false): string | undefined {
  if (text === undefined) return undefined;
  const unwrap = (v: string) => {
    const t = v
      .replace(/\s+#.*$/, "")
      .trim()
      .replace(/^["']|["']$/g, "");
    const ph = /^\$\{[\w.-]+:([^}]*)\}$/.exec(t);
    return ph !== null && !raw ? ph[1]! : t;
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

/**
 * A list-valued key of a Spring/Quarkus configuration file (first document): `k=a,b`, `k: [a, b]`,
 * `k[0]=a`, or a YAML block list under the key (`k:\n  - a\n  - b`, nested keys too).
 */
export function listIn(text: string | undefined, key: string): string[] | undefined {
  if (text === undefined) return undefined;
  const split = (v: string) =>
    v
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((x) => x.trim().replace(/^["']|["']$/g, ""))
      .filter(Boolean);
  const flat = configValue(text, key);
  if (flat !== undefined) return split(flat);
  const doc = text.split(/^---\s*$/m)[0]!;
  const esc = key.replace(/[.]/g, "\\.");
  const indexed = [...doc.matchAll(new RegExp(`^[ \\t]*${esc}\\[\\d+\\][ \\t]*[=:][ \\t]*(.+)$`, "gm"))].map((m) => m[1]!.trim().replace(/^["']|["']$/g, ""));
  if (indexed.length) return indexed;
  // A YAML block list: the key's line (nested or flat) with no value, then "- item" lines.
  const lines = doc.split(/\r?\n/);
  const stack: { indent: number; key: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(?:#|$)/.test(line)) continue;
    const m = /^([ \t]*)([\w.-]+)[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (m === null) continue;
    const indent = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const full = [...stack.map((e) => e.key), m[2]!].join(".");
    const value = m[3]?.trim();
    if (value !== undefined && value !== "" && !value.startsWith("#")) continue;
    if (full === key) {
      const items: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const it = /^([ \t]*)-[ \t]+(.+?)\s*(?:#.*)?$/.exec(lines[j]!);
        if (it === null) {
          if (/^\s*(?:#|$)/.test(lines[j]!)) continue;
          break;
        }
        items.push(it[2]!.replace(/^["']|["']$/g, ""));
      }
      return items.length ? items : undefined;
    }
    stack.push({ indent, key: m[2]! });
  }
  return undefined;
}
