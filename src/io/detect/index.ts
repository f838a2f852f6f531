/**
 * Detection: read what a service repository already says (manifests, version
 * pin files, a few well-known source files, `.git/config`) and turn it into
 * facts that pre-fill the pack's questions (`{ detect: key }` defaults).
 *
 * Rules:
 * - read only, never write; never spawn processes (no `git`, no `node`);
 * - known small files, each read up to 64 KiB, and one bounded walk of the
 *   sources (a few levels, at most 50 files; never node_modules, build
 *   output or tests) for routes and ports;
 * - whatever is not found stays absent: nothing is guessed. The pack's
 *   `else:` defaults fill the gaps, and the CLI shows them as defaults;
 * - every fact carries where it came from (`detectReport().from`);
 * - a language or layout that is not supported is reported as a refusal
 *   (`detectReport().refusal`), never turned into another language's pipeline:
 *   a start command (Procfile web, package.json scripts.start) that needs another
 *   runtime (Ruby, PHP, .NET, Bun, Deno...), a foreign manifest beside a
 *   requirements.txt that holds only tooling, a documentation or static site.
 */
import { slugify } from "../../core/answers.js";
import { toolCommand } from "../../product.js";
import path from "node:path";
import { newFound, put, type Found, type FixedPort } from "./found.js";
import { staticFrontend, staticFrontendRefusal } from "./frontend.js";
import { defaultBranch, parseGitHubRemote, readGitConfig, remoteHost, remoteUrl } from "./git.js";
import { detectGo } from "./go.js";
import { detectJava } from "./java.js";
import { detectMetrics } from "./metrics.js";
import { detectNode, jsonProblem, parseJson } from "./node.js";
import { bestHealth, portIn } from "./port-health.js";
import { chainParts, detectPython } from "./python.js";
import { scanRoutes } from "./routes.js";
import { MAX_READ, cachedReader, list, type FileReader, type Reader } from "./read.js";
import {
  goProgramRefusal,
  goWithoutListener,
  nodeLibraryRefusal,
  nodeWorkerRefusal,
  pythonLibraryRefusal,
  pythonWorkerRefusal,
  toolingRootRefusal,
} from "./not-service.js";
import { declaredDependencies, requirementsIn } from "./pyproject.js";
import { envHostOf, envHostRefusal, envPrefixable, loopbackRefusal, unloopStart } from "./loopback.js";
import { javaGrpcServer, pythonGrpcServer } from "./grpc.js";
import { foreignRuntimeOf, nestedUnsupported, refusalFor, siteRefusal, type Refusal } from "./shape.js";
import { walk } from "./walk.js";

export { parseGitHubRemote, remoteUrl } from "./git.js";
export { nodeMajor, nodeVersionFor } from "./node.js";
export { refusalFor, type Refusal } from "./shape.js";
export { majorMinor, pythonVersionFor } from "./python.js";

export type DetectedValue = string | number | boolean | string[] | undefined;
export type DetectResult = Record<string, DetectedValue>;

/**
 * The keys `detect()` may return (a key is absent when nothing was found).
 *
 * - `name`: service name, a DNS-1123 slug (see `slugify`), from the
 *   manifest of the detected language (package.json `name` without its
 *   `@scope/`, pyproject `[project]`/`[tool.poetry]` `name`, the last path
 *   segment of the go.mod `module`, pom.xml `artifactId`, settings.gradle
 *   `rootProject.name`), else (at the repository's top) the repository's name
 *   from the git remote, else the folder name.
 * - `repoName`: the same name unless only the folder gives it, at a
 *   repository's top or outside git (the folder a clone was made in is no
 *   name of the repository).
 * - `language`: `node` | `python` | `go` | `java`.
 * - `buildTool`: `maven` | `gradle` (Java only).
 * - `languageVersion`: e.g. `"22"`, `"3.12"`, `"1.25"`, `"21"`.
 * - `packageManager`: `npm` | `yarn` | `pnpm` (packageManager field, lockfile)
 *   or `pip` | `poetry` | `uv` | `pipenv` (lockfile, Pipfile, requirements).
 * - `packageManagerVersion` (Node): the packageManager field's version, the
 *   release .yarnrc.yml's yarnPath names, else the major that writes the
 *   lockfile's format (yarn.lock __metadata, pnpm-lock.yaml lockfileVersion).
 * - `imageDevDependencies` (Node): true when the start script runs a
 *   devDependency (tsx, ts-node, nodemon...) and no build output replaces it.
 * - `lintCommand`, `testCommand`: only what the repository defines, read-only
 *   (package.json scripts that are not fixers or placeholders, Makefile lint
 *   targets, ruff/flake8 configuration, pytest/unittest/Django tests, Maven
 *   and Gradle wrappers, spotless/checkstyle/ktlint/detekt plugins' check
 *   tasks, `go test`).
 * - `buildCommand`: the build script or task (Java: bootJar, quarkusBuild,
 *   installDist or jar).
 * - `startCommand`: how production starts the service: a `node <file>` the
 *   start scripts run, Procfile `web:`, a Dockerfile CMD, a gunicorn/uvicorn/
 *   fastapi/flask invocation for the app object found, Django, a script run
 *   as `__main__`; Go `./<binary>`; Java `java -jar <jar>` or the installDist
 *   script (the application plugin, io.micronaut.application, io.ktor.plugin). `$PORT` in it is the port.
 * - `buildTarget` (Go): `.` or `./cmd/<name>` (the one that starts a server).
 * - `runtimeAssets` (Go): comma-separated top-level folders read at run time.
 * - `javaPackaging`: `spring-boot` | `quarkus` | `application` | `jar`.
 * - `javaFramework` (an `application` or `jar`): `micronaut` (io.micronaut in
 *   the build file) or `none`.
 * - `protocol`: `grpc` when a gRPC server (and no HTTP server) is found: Go's
 *   grpc.NewServer(), Java's gRPC frameworks, a Python grpcio server run as a
 *   script (grpc.server() and add_insecure_port, whose address gives the port);
 *   `grpcHealth`: whether it serves grpc.health.v1.Health. A Go service with an
 *   HTTP server beside its gRPC server (a grpc-gateway) is `http` on the HTTP
 *   server's port (see go.ts).
 * - `port`: a number, from a PORT default, a flag default, an env fallback,
 *   a listen call, Spring/Quarkus/Micronaut/Ktor configuration, `next start -p`, a
 *   Go service's committed config file (viper), .env.example, `EXPOSE` in an
 *   existing Dockerfile, else the framework's own default.
 * - `healthPath`: a health route found in the sources (with a NestJS global
 *   prefix, Django include()s), a Next.js route handler or API route file,
 *   Actuator, SmallRye Health or micronaut-management, else a root route.
 * - `livenessPath`, `readinessPath`: the paths the liveness (and startup) and
 *   readiness probes call when the framework serves them apart from the
 *   health path: Actuator's liveness and readiness groups (Spring Boot 2.3+,
 *   unless management.endpoint.health.probes.enabled is false), SmallRye
 *   Health's live and ready checks, micronaut-management's /health/liveness
 *   and /health/readiness; a readiness route found beside the health route
 *   (/readyz next to /healthz) as readinessPath; absent otherwise (the probes call
 *   `healthPath`).
 * - `healthPort`: the port the health path is served on when the framework
 *   serves it on a management port of its own (Spring Boot
 *   management.server.port, Quarkus's management interface, Micronaut's
 *   endpoints.all.port), profiles read.
 * - `metricsPath`: where the service serves Prometheus metrics (Actuator's
 *   prometheus endpoint with micrometer-registry-prometheus and its HTTP
 *   exposure, Quarkus Micrometer or SmallRye Metrics, a route beside
 *   prom-client / prometheus_client / client_golang, a middleware's default),
 *   or `""` when the manifest names no Prometheus client (or the endpoint is
 *   not exposed or cannot be reached).
 * - `metricsPort`: the port the metrics are served on when it is not the
 *   service port (prometheus_client's start_http_server, a Go listener of its
 *   own for promhttp, Spring Boot's management port).
 * - `requestMetric`: the request counter and its status label, `name{label}`
 *   (a middleware's: express-prom-bundle, prometheus-flask-exporter, Micrometer
 *   ...; else one the sources define with a status label), only beside a
 *   metricsPath that was found.
 * - `defaultBranch`: the remote's HEAD, else the checked-out trunk branch.
 * - `owner`, `repoUrl`: from the GitHub remote `origin` in `.git/config`;
 *   `repoUrl` is `https://github.com/<owner>/<repo>.git`.
 */
export const detectedKeys: readonly string[] = Object.freeze([
  "name",
  "repoName",
  "language",
  "buildTool",
  "languageVersion",
  "packageManager",
  "packageManagerVersion",
  "imageDevDependencies",
  "lintCommand",
  "testCommand",
  "buildCommand",
  "startCommand",
  "buildTarget",
  "runtimeAssets",
  "javaPackaging",
  "javaFramework",
  "protocol",
  "grpcHealth",
  "port",
  "healthPath",
  "healthPort",
  "livenessPath",
  "readinessPath",
  "metricsPath",
  "metricsPort",
  "requestMetric",
  "defaultBranch",
  "owner",
  "repoUrl",
]);

// One slug rule for detection and for the answers (src/core/answers.ts).
export { slugify };

export interface DetectReport {
  /** Facts by key (see `detectedKeys`); a key is absent when nothing was found. */
  values: DetectResult;
  /** Where each fact came from: a file and what in it. */
  from: Record<string, string>;
  /**
   * Keys left to their default although something was found, with why (a health route on a
   * router whose mounting is not followed: the probes check the port instead).
   */
  notes: Record<string, string>;
  /** Why this folder cannot be made one service's pipeline (a language or a layout not supported). */
  refusal?: Refusal | undefined;
  /** Facts the repository must supply that were not found, by key, with what was looked for: a
   * default would be a guess (a start command naming a file that is not there). */
  unresolved?: Record<string, string> | undefined;
  /**
   * Values that are a framework's or server's own default (uvicorn's port 8000, Spring Boot's
   * 8080), nothing in the repository setting them: shown as defaults to check, with why
   * (`notes`), not as detected.
   */
  defaulted?: Record<string, string> | undefined;
  /** A port the service listens on that no environment variable moves (the port detected, written
   * as a literal), with where and how to let PORT set it: `create` warns when the answered port differs. */
  fixedPort?: FixedPort | undefined;
}

/**
 * Facts about the service in `dir`, for `{ detect: key }` defaults. Keys are
 * listed in `detectedKeys`; a key is absent when nothing was found.
 */
export async function detect(dir: string, opts: DetectOptions = {}): Promise<DetectResult> {
  return (await detectReport(dir, opts)).values;
}

export interface DetectOptions {
  /** How files are read (a reader cached for one run, shared by the detections of many folders). */
  read?: FileReader;
  /** Also say whether the folder is refused as one service (default true). */
  refusal?: boolean;
  /** The JavaScript workspace the folder is a member of: its root's package manager installs it. */
  workspace?: { packageManager: string; from: string; version?: { value: string; from: string } | undefined } | undefined;
}

/** `detect()` with where each fact came from and whether the folder is refused. Per folder: a
 * service inside a larger repository is read on its own (the refusal says it is a subfolder). */
export async function detectReport(dir: string, opts: DetectOptions = {}): Promise<DetectReport> {
  const root = path.resolve(dir);
  // One read per file for the whole detection: the Go module's sources, for one, are read by
  // the main-package closure, the configuration-file port and the listener scan.
  const readFile = opts.read ?? cachedReader();
  const read: Reader = (rel) => readFile(path.join(root, rel));
  const top = await list(root);
  const readIf = (n: string) => (top.files.has(n) ? read(n) : Promise.resolve(undefined));

  const [pkgText, pyproject, gomod, pom, gradle, gradleKts, dockerfile, gitConfig, branch, refusal] = await Promise.all([
    readIf("package.json"),
    readIf("pyproject.toml"),
    readIf("go.mod"),
    readIf("pom.xml"),
    readIf("build.gradle"),
    readIf("build.gradle.kts"),
    top.files.has("Dockerfile") ? read("Dockerfile") : readIf("Containerfile"),
    readGitConfig(root, readFile),
    defaultBranch(root, readFile),
    opts.refusal === false ? undefined : refusalFor(root, readFile),
  ]);

  // Which language: the most specific manifest wins (a Python or Java
  // service may carry a package.json for tooling; requirements.txt alone
  // is weaker than a package.json).
  let language: "node" | "python" | "go" | "java" | undefined;
  let buildTool: "maven" | "gradle" | undefined;
  let languageFrom = "";
  const has = (n: string) => top.files.has(n);
  const pyMarker = ["pyproject.toml", "setup.py", "manage.py", "Pipfile"].find(has);
  if (has("go.mod")) [language, languageFrom] = ["go", "go.mod"];
  else if (has("pom.xml")) [language, buildTool, languageFrom] = ["java", "maven", "pom.xml"];
  else if (has("build.gradle") || has("build.gradle.kts"))
    [language, buildTool, languageFrom] = ["java", "gradle", has("build.gradle.kts") ? "build.gradle.kts" : "build.gradle"];
  else if (pyMarker !== undefined) [language, languageFrom] = ["python", pyMarker];
  else if (has("package.json")) [language, languageFrom] = ["node", "package.json"];
  else if (has("requirements.txt")) [language, languageFrom] = ["python", "requirements.txt"];
  else {
    // No manifest at the root: requirements in a requirements/ folder (requirements/prod.txt,
    // base.txt, dev.txt), or Python entry files at the root (app.py, wsgi.py, autoapp.py).
    const reqs = top.dirs.has("requirements") ? [...(await list(path.join(root, "requirements"))).files].filter((f) => f.endsWith(".txt")).sort() : [];
    const pyEntry = [...top.files].sort().find((f) => /^(?:app|main|wsgi|asgi|autoapp|server|run)\.py$/.test(f));
    if (reqs.length) [language, languageFrom] = ["python", `requirements/${reqs[0]}`];
    else if (pyEntry !== undefined) [language, languageFrom] = ["python", `${pyEntry} (a Python entry file; no manifest)`];
  }

  let found: Found = newFound();
  if (language === "node") found = await detectNode(root, read, top, pkgText, dockerfile, opts.workspace);
  else if (language === "python") found = await detectPython(root, read, top, pyproject, dockerfile);
  else if (language === "go") found = await detectGo(root, read, top, gomod);
  else if (language === "java" && buildTool !== undefined) {
    found = await detectJava(root, read, top, buildTool, buildTool === "maven" ? pom : (gradleKts ?? gradle));
  }
  const v = found.values;
  const from = found.from;

  // Port and health route: the known source files, then a bounded walk of the sources, then the Dockerfile.
  const ext =
    language === "node" ? /\.(?:[cm]?[jt]s)$/ : language === "python" ? /\.py$/ : language === "go" ? /\.go$/ : language === "java" ? /\.(?:java|kt)$/ : /^$/;
  const walked =
    language === undefined || found.onlySources
      ? []
      : await walk(
          root,
          language === "java" ? ["src/main"] : language === "node" ? ["src", "routes", "app", "lib", "server", "api"].filter((d) => top.dirs.has(d)) : ["."],
          ext,
          { maxDepth: language === "java" ? 9 : 4, maxFiles: 50 },
        );
  const files = [...new Set([...found.sources, ...walked, ".env.example", ".env.sample"])];
  const texts = await Promise.all(files.map((f) => (f.startsWith(".env") && !has(f) ? Promise.resolve(undefined) : read(f))));
  // A Python gRPC server run as a script (grpc.server() and add_insecure_port): gRPC probes on its port.
  if (language === "python" && (v.startCommand === undefined || /^python3?\s/.test(String(v.startCommand)))) {
    const g = pythonGrpcServer(files, texts);
    if (g !== undefined) {
      put(found, "protocol", "grpc", `${g.file}: grpc.server()${g.written ? ` and ${g.written})` : ""}`);
      put(found, "grpcHealth", g.health, g.health ? "registers grpc.health.v1.Health (grpcio-health-checking)" : "no grpc.health.v1.Health service registered");
      if (g.port !== undefined && v.port === undefined) put(found, "port", g.port, `${g.file}: ${g.written})`);
    }
  }
  // A plain Java gRPC server (io.grpc's ServerBuilder.forPort): gRPC probes on the port it is given.
  if (language === "java" && v.protocol === undefined) {
    const g = javaGrpcServer(files, texts);
    if (g !== undefined) {
      put(found, "protocol", "grpc", `${g.file}: ${g.written}`);
      put(
        found,
        "grpcHealth",
        g.health,
        g.health ? "adds grpc.health.v1.Health (grpc-services' HealthStatusManager)" : "no grpc.health.v1.Health service added to the server",
      );
      if (g.port !== undefined && v.port === undefined) put(found, "port", g.port, `${g.file}: ${g.written}`);
    }
  }
  if (v.port === undefined) {
    // A Procfile's web line that chains commands (migrate, then serve): the port is the server's, the last command's.
    const lastOfWeb = (t: string | undefined) => t?.replace(/^(web:\s*)(.+)$/m, (_m, w: string, line: string) => `${w}${chainParts(line).pop() ?? ""}`);
    for (let i = 0; i < files.length && v.port === undefined; i++)
      put(found, "port", portIn(files[i] === "Procfile" ? lastOfWeb(texts[i]) : texts[i]), files[i]!);
  }
  // A server's flags that bind loopback only (--host 127.0.0.1, --bind localhost:8000) would keep
  // the probes out: the start command binds every interface instead.
  if (typeof v.startCommand === "string") {
    const unloop = unloopStart(v.startCommand);
    if (unloop.changed.length > 0) {
      v.startCommand = unloop.cmd;
      from.startCommand = `${from.startCommand ?? "the start command"} (${unloop.changed.join("; ")}: loopback is out of the probes' reach in a pod)`;
    }
  }
  // A listener whose host is read from the environment with a loopback default (process.env.HOST
  // || "127.0.0.1", os.environ.get("HOST", "127.0.0.1")): the start command sets it to 0.0.0.0
  // (`env` runs the program in its place, so it keeps the same process), or the folder is refused
  // when the image runs it otherwise (a yarn or pnpm start).
  const codeStart = typeof v.startCommand === "string" ? v.startCommand : undefined;
  let envLoopback: Refusal | undefined;
  const envHost = codeStart !== undefined && !/^env\s/.test(codeStart) ? envHostOf(language, files, texts) : undefined;
  if (envHost !== undefined && codeStart !== undefined) {
    if (envPrefixable(language, codeStart)) {
      v.startCommand = `env ${envHost.variable}=0.0.0.0 ${codeStart}`;
      from.startCommand = `${from.startCommand ?? "the start command"} (with env ${envHost.variable}=0.0.0.0: ${envHost.file} reads the host from ${envHost.variable}, ${envHost.fallback} by default, out of the probes' reach in a pod)`;
    } else envLoopback = envHostRefusal(root, envHost, codeStart, typeof v.port === "number" ? v.port : undefined);
  }
  // An existing Dockerfile (EXPOSE, ENV PORT, --port in its CMD) says more than a framework default.
  const start = typeof v.startCommand === "string" ? v.startCommand : undefined;
  // The server is the last of chained commands; a port an earlier one names (a database's) is not its port.
  const server = start === undefined ? undefined : chainParts(start).pop();
  if (server !== undefined && !/\$\{?PORT\b/.test(server)) put(found, "port", portIn(server), `the start command "${start}"`);
  put(found, "port", portIn(dockerfile), "Dockerfile EXPOSE / ENV PORT");
  const frameworkDefault = v.port === undefined && found.frameworkPort !== undefined;
  if (frameworkDefault) put(found, "port", found.frameworkPort!.port, found.frameworkPort!.from);

  if (v.protocol !== "grpc" && language !== undefined) {
    // Health routes with the full path a request takes (router, blueprint, group and controller
    // prefixes, where they are mounted); one whose mounting is not followed is never taken.
    const scan = scanRoutes(language, files, texts, { contextPath: found.contextPath });
    const best = bestHealth(scan.health.map((h) => h.path));
    const hit = scan.health.find((h) => h.path === best);
    if (hit !== undefined) put(found, "healthPath", hit.path, `${hit.file}: route ${hit.written}${hit.via ? ` (${hit.via})` : ""}`);
    // A readiness route beside the health route (/readyz next to /healthz): the readiness probe
    // calls it, so a pod that is alive but not ready (a dependency down) leaves the Service
    // without being restarted.
    const readyRe = /\/(?:_?readyz|ready|readiness|health\/ready|health\/readiness)\/?$/;
    if (hit !== undefined && v.healthPath === hit.path && !readyRe.test(hit.path)) {
      const readyRank = (p: string) => ["readyz", "ready", "readiness"].findIndex((w) => new RegExp(`[/_]${w}/?$`).test(p));
      const ready = scan.health.filter((h) => readyRe.test(h.path)).sort((a, b) => readyRank(a.path) - readyRank(b.path))[0];
      if (ready !== undefined)
        put(
          found,
          "readinessPath",
          ready.path,
          `${ready.file}: route ${ready.written}${ready.via ? ` (${ready.via})` : ""}, a readiness route beside ${hit.path}`,
        );
    }
    const dockerHealth = /^[ \t]*HEALTHCHECK\b.*?https?:\/\/[^/\s"']+(\/[\w./~-]*)/m.exec(dockerfile ?? "")?.[1];
    put(found, "healthPath", dockerHealth, "Dockerfile HEALTHCHECK");
    const lostHealth = scan.unmounted.filter((u) => u.written !== "/");
    const lostBest = bestHealth(lostHealth.map((u) => u.written));
    const lost = lostHealth.find((u) => u.written === lostBest);
    const lostNote =
      lost === undefined
        ? ""
        : `the route ${lost.written} in ${lost.file} is on a router whose mounting is not followed (${lost.reason.replace(/^[^:]*: /, "")})`;
    if (v.healthPath === undefined && scan.root[0] !== undefined) {
      const r = scan.root[0];
      put(found, "healthPath", r.path, `${r.file}: a root route${r.via ? ` (${r.via})` : ""}${lost ? `; ${lostNote}` : " (no health route found)"}`);
    }
    if (v.healthPath === undefined && lost === undefined && found.rootFallback !== undefined)
      put(found, "healthPath", found.rootFallback.path, found.rootFallback.from);
    if (v.healthPath === undefined && lost !== undefined) found.notes.healthPath ??= `${lostNote}: the probes check that the port is open`;
  }

  if (language !== undefined) put(found, "protocol", "http", "the sources (no gRPC server found)");

  // Prometheus metrics: the client library in the manifest and where the sources serve them
  // (Spring Boot and Quarkus: from their configuration, in java.ts).
  if (language !== undefined && found.values.metricsPath === undefined) {
    let manifest: { name: string; text: string };
    if (language === "node") manifest = { name: "package.json", text: pkgText ?? "" };
    else if (language === "go") manifest = { name: "go.mod", text: gomod ?? "" };
    else if (language === "java") manifest = { name: languageFrom, text: (buildTool === "maven" ? pom : (gradleKts ?? gradle)) ?? "" };
    else {
      const reqDir = top.dirs.has("requirements")
        ? [...(await list(path.join(root, "requirements"))).files].filter((f) => f.endsWith(".txt")).map((f) => `requirements/${f}`)
        : [];
      const names = ["pyproject.toml", "requirements.txt", "Pipfile", "setup.py", "setup.cfg", ...reqDir].filter(
        (n) => n.startsWith("requirements/") || has(n),
      );
      const parts = await Promise.all(names.map((n) => read(n)));
      manifest = { name: names.join(", ") || "the Python manifests", text: parts.join("\n") };
    }
    detectMetrics(found, language, manifest, files, texts);
  }
  put(found, "language", language, languageFrom);
  put(found, "buildTool", buildTool, languageFrom);
  if (branch !== undefined) put(found, "defaultBranch", branch.branch, branch.from);
  const remote = remoteUrl(gitConfig);
  const github = remote === undefined ? undefined : parseGitHubRemote(remote);
  put(found, "owner", github?.owner, ".git/config remote");
  put(found, "repoUrl", github?.repoUrl, ".git/config remote");
  if (github === undefined) {
    // A GitHub Enterprise server or another host (GitLab, Bitbucket): said with its host, so a
    // missing owner is not a mystery.
    const host = remote === undefined ? undefined : remoteHost(remote);
    const notGitHub =
      remote === undefined
        ? "no git remote to read it from"
        : // (Credentials in an https remote's URL are never printed.)
          `the git remote "${remote.replace(/^([a-z+]+:\/\/)[^@/]+@/i, "$1")}" is ${host !== undefined ? `on ${host}, ` : ""}not github.com`;
    found.notes.owner ??= `${notGitHub}: give --owner <the github.com organisation or user>`;
    found.notes.repoUrl ??= `${notGitHub}: made from owner and name, a guess`;
  }

  // The name: the manifest's, else (at the repository's top) the repository's from its git remote,
  // the same in every clone, else the folder's. `repoName` is the name unless only the folder
  // gives it at a repository's top or outside git: the folder a clone was made in (repo-main, a
  // temporary folder) is no name of the repository, and the built-in pack takes it as a default.
  const manifestName = slugify(found.name ?? "") || undefined;
  // Only at the repository's top: a folder inside it (a service of several) is named by its folder.
  const atTop = top.dirs.has(".git") || top.files.has(".git");
  const repository = remote === undefined || !atTop ? undefined : repositoryOf(remote);
  const remoteName = repository === undefined ? undefined : slugify(repository) || undefined;
  const folder = slugify(path.basename(root)) || undefined;
  if (manifestName !== undefined) put(found, "name", manifestName, `${languageFrom || "manifest"} name "${found.name}"`);
  else if (remoteName !== undefined) put(found, "name", remoteName, `.git/config remote (the repository ${repository})`);
  else put(found, "name", folder, "the folder name");
  // (A folder inside a git repository, below its top, is named the same in every clone.)
  const inside = !atTop && gitConfig !== undefined;
  if (manifestName !== undefined || remoteName !== undefined || inside) put(found, "repoName", found.values.name, found.from.name ?? "");
  else if (folder !== undefined) found.notes.name ??= "no name in a manifest and no git remote: the folder name, which another clone may not share";

  // A manifest that does not parse is not read as an empty one: the service would be guessed.
  // (A manifest longer than what detection reads is not judged by its cut text.)
  const whole = pkgText !== undefined && Buffer.byteLength(pkgText) < MAX_READ;
  const broken = language === "node" && whole ? jsonProblem(pkgText) : undefined;
  const invalid: Refusal | undefined =
    broken === undefined
      ? undefined
      : {
          message: `package.json ${broken.syntax ? "is not valid JSON" : "is not a JSON object"} (${broken.message}, line ${broken.line}, column ${broken.column}), so nothing about the service can be read from it`,
          hint: `nothing was written; fix package.json (npm cannot read it either) and run \`${toolCommand()} create\` again, or say what the service is with --language node|python|go|java with --start-command and --port`,
          where: `${path.join(root, "package.json")}:${broken.line}:${broken.column}`,
        };

  // Nothing of a supported language at the root: a project of another one further down (a .NET
  // solution without its .sln at the root) is named, not reported as an empty folder.
  const nested = language === undefined && refusal === undefined ? await nestedUnsupported(root, top) : undefined;
  // A documentation or static site: no service to run, whatever manifest builds it.
  const pkgScripts = language === "node" ? parseJson(pkgText)?.scripts : undefined;
  const startScript =
    pkgScripts !== null && typeof pkgScripts === "object" && /^(?:npm|yarn|pnpm) start$/.test(String(v.startCommand ?? ""))
      ? (pkgScripts as Record<string, unknown>).start
      : undefined;
  const site =
    refusal === undefined && nested === undefined
      ? siteRefusal(root, top, {
          command: typeof v.startCommand === "string" ? v.startCommand : undefined,
          script: typeof startScript === "string" ? startScript : undefined,
          from: from.startCommand,
        })
      : undefined;

  // A runtime that looks like Node.js (Bun, Deno) or another one the start script runs: the
  // image would have only node (refused, naming the script and Bun's lockfile).
  let runtime: Refusal | undefined;
  if (language === "node" && refusal === undefined && invalid === undefined && site === undefined) {
    const startScript = parseJson(pkgText)?.scripts;
    const s = startScript !== null && typeof startScript === "object" ? (startScript as Record<string, unknown>).start : undefined;
    const bunLock = ["bun.lockb", "bun.lock"].find(has);
    const viaScript = typeof s === "string" && /^(?:npm|yarn|pnpm) start$/.test(String(v.startCommand ?? "")) ? foreignRuntimeOf(s, false) : undefined;
    const name = viaScript ?? (v.startCommand === undefined && bunLock !== undefined ? "Bun" : undefined);
    if (name !== undefined) {
      const what = [viaScript !== undefined ? `package.json scripts.start "${String(s)}"` : "", name === "Bun" ? (bunLock ?? "") : ""]
        .filter(Boolean)
        .join("; ");
      runtime = {
        message: `${name}${/^Java /.test(name) ? "" : " service"} (${what}${viaScript === undefined ? ", and no start command node can run" : ""}): create-pipeline supports Node.js, Python, Go and Java services only`,
        hint: `nothing was written; ${name === "Bun" || name === "Deno" ? `${name} is not Node.js: ` : ""}its image and CI need that runtime, which create-pipeline does not build (a start script run by node is what it supports)`,
        where: path.join(root, viaScript !== undefined ? "package.json" : (bunLock ?? "package.json")),
      };
    }
  }

  // A program that is not a network service: a Go command-line program (no listener anywhere in
  // its module), an npm library, a root package.json that only runs its sub-folders' services.
  let notService: Refusal | undefined;
  if (refusal === undefined && invalid === undefined && nested === undefined && site === undefined && runtime === undefined) {
    if (language === "go" && gomod !== undefined && found.entry !== undefined && !/^[ \t]*EXPOSE\b/im.test(dockerfile ?? "")) {
      const cli = await goWithoutListener(root, read, gomod, found.entry);
      if (cli !== undefined) notService = goProgramRefusal(root, cli);
    } else if (language === "node") {
      const pkg = parseJson(pkgText);
      if (pkg !== undefined)
        notService =
          (await toolingRootRefusal(root, top, pkg, from.startCommand, [
            "package.json",
            "pyproject.toml",
            "requirements.txt",
            "go.mod",
            "pom.xml",
            "build.gradle",
            "build.gradle.kts",
          ])) ??
          (await nodeLibraryRefusal(root, read, top, pkg, from.startCommand)) ??
          (await nodeWorkerRefusal(root, read, top, pkg, typeof v.startCommand === "string" ? v.startCommand : undefined));
    } else if (language === "python") {
      const [requirements, pipfile, procfile] = await Promise.all([readIf("requirements.txt"), readIf("Pipfile"), readIf("Procfile")]);
      const startCommand = typeof v.startCommand === "string" ? v.startCommand : undefined;
      const declared = declaredDependencies(pyproject, pipfile);
      const dependencies = [...declared.runtime, ...requirementsIn(requirements)];
      if (startCommand === undefined) notService = pythonLibraryRefusal(root, top, { pyproject, requirements, pipfile, sources: texts });
      notService ??= pythonWorkerRefusal(root, { procfile, startCommand, dependencies, files, sources: texts });
    }
  }

  // A static front-end (a Vite app's build, no server): said as such, not as a missing start command.
  const frontendPkg = language === "node" && v.startCommand === undefined ? parseJson(pkgText) : undefined;
  const frontend = frontendPkg === undefined ? undefined : staticFrontend(frontendPkg, top.files);
  if (frontend !== undefined && refusal === undefined && invalid === undefined && site === undefined && runtime === undefined)
    notService ??= staticFrontendRefusal(root, frontend);
  // A listener the code binds to loopback only: no probe could ever reach it.
  const loopback = envLoopback ?? loopbackRefusal(root, language, codeStart, files, texts, typeof v.port === "number" ? v.port : undefined, found.configBind);

  const values: DetectResult = {};
  const fromOut: Record<string, string> = {};
  for (const k of detectedKeys) {
    if (v[k] !== undefined) {
      values[k] = v[k];
      fromOut[k] = from[k] ?? "";
    }
  }
  const unresolved: Record<string, string> = {};
  // No service here at all (an empty folder, only docs): not a Node.js service by default. The
  // language and how it starts must be said; the port and the rest have the language's defaults.
  if (language === undefined && refusal === undefined && invalid === undefined && nested === undefined && site === undefined) {
    unresolved.language = `no service found in ${path.basename(root) || root}: no manifest (package.json, pyproject.toml, requirements.txt, go.mod, pom.xml, build.gradle) or entry file to tell its language`;
    unresolved.startCommand = "no start command: the folder holds no service to read it from";
  }
  if (values.startCommand === undefined && (language === "python" || language === "node"))
    unresolved.startCommand =
      language === "python"
        ? "no start command found: no Procfile web line, Dockerfile CMD, Makefile run/start/serve target, app object or app factory (FastAPI, Flask, Starlette...) with its server, wsgi.py/asgi.py, manage.py, or script that runs itself"
        : "no start command found: no start script that can run in the image, main, or usual entry file (server.js, index.js, app.js, src/...)";
  // (The name's note stays when only the folder names it: a default of the built-in pack, see repoName.)
  const notes = Object.fromEntries(Object.entries(found.notes).filter(([k]) => values[k] === undefined || (k === "name" && values.repoName === undefined)));
  const defaulted: Record<string, string> = {};
  if (frameworkDefault && values.port !== undefined) defaulted.port = `${fromOut.port} (nothing in the repository sets the port)`;
  Object.assign(notes, defaulted);
  return {
    values,
    from: fromOut,
    notes,
    ...(Object.keys(defaulted).length ? { defaulted } : {}),
    ...(found.fixedPort !== undefined && values.port === found.fixedPort.port ? { fixedPort: found.fixedPort } : {}),
    refusal: invalid ?? refusal ?? nested ?? site ?? runtime ?? notService ?? loopback,
    ...(Object.keys(unresolved).length ? { unresolved } : {}),
  };
}

/** The repository's name in a git remote URL (https://host/org/shop-api.git, git@host:org/shop-api). */
function repositoryOf(remote: string): string | undefined {
  const last = remote
    .trim()
    .replace(/[/\\]+$/, "")
    .replace(/\.git$/i, "")
    .split(/[/:]/)
    .pop();
  return last === undefined || last === "" || last === "." || last === ".." ? undefined : last;
}
