/**
 * Detection: read what a service repository already says (manifests, version
 * pin files, a few well-known source files, `.git/config`) and turn it into
 * facts that pre-fill the pack's questions (`{ detect: key }` defaults).
 *
 * Rules:
 * - read only, never write; never spawn processes (no `git`, no `node`);
 * - only a handful of known small files, each read up to 64 KiB; no walk of
 *   the tree (one bounded walk of `src/main/{java,kotlin}` for Java), never
 *   into node_modules;
 * - whatever is not found stays absent: nothing is guessed. The pack's
 *   `else:` defaults fill the gaps.
 */
import { slugify } from "../../core/answers.js";
import path from "node:path";
import type { Found } from "./found.js";
import { parseGitHubRemote, readGitConfig, remoteUrl } from "./git.js";
import { detectGo } from "./go.js";
import { detectJava } from "./java.js";
import { detectNode } from "./node.js";
import { bestHealth, healthIn, portIn } from "./port-health.js";
import { detectPython } from "./python.js";
import { list, readHead, type Reader } from "./read.js";

export { parseGitHubRemote, remoteUrl } from "./git.js";
export { nodeMajor } from "./node.js";
export { majorMinor } from "./python.js";

export type DetectedValue = string | number | boolean | string[] | undefined;
export type DetectResult = Record<string, DetectedValue>;

/**
 * The keys `detect()` may return (a key is absent when nothing was found).
 *
 * - `name`: service name, a DNS-1123 slug (see `slugify`), from the
 *   manifest of the detected language (package.json `name` without its
 *   `@scope/`, pyproject `[project]`/`[tool.poetry]` `name`, the last path
 *   segment of the go.mod `module`, pom.xml `artifactId`, settings.gradle
 *   `rootProject.name`), else the folder name.
 * - `language`: `node` | `python` | `go` | `java`.
 * - `buildTool`: `maven` | `gradle` (Java only).
 * - `languageVersion`: e.g. `"22"`, `"3.12"`, `"1.25"`, `"21"`.
 * - `lintCommand`, `testCommand`: Node only, from package.json scripts.
 * - `startCommand`: Node only, package.json `scripts.start`, else
 *   `node <main>`.
 * - `port`: a number, from a PORT default or listen call in the main file,
 *   Spring `server.port`, or `EXPOSE` in an existing Dockerfile.
 * - `healthPath`: a literal health route found in the same files, or
 *   `/actuator/health` when Spring Boot Actuator is a dependency.
 * - `owner`, `repoUrl`: from the GitHub remote `origin` in `.git/config`;
 *   `repoUrl` is `https://github.com/<owner>/<repo>.git`.
 */
export const detectedKeys: readonly string[] = Object.freeze([
  "name",
  "language",
  "buildTool",
  "languageVersion",
  "lintCommand",
  "testCommand",
  "startCommand",
  "port",
  "healthPath",
  "owner",
  "repoUrl",
]);

// One slug rule for detection and for the answers (src/core/answers.ts).
export { slugify };

/**
 * Facts about the service in `dir`, for `{ detect: key }` defaults. Keys are
 * listed in `detectedKeys`; a key is absent when nothing was found.
 */
export async function detect(dir: string): Promise<DetectResult> {
  const root = path.resolve(dir);
  const read: Reader = (rel) => readHead(path.join(root, rel));
  const top = await list(root);
  const readIf = (n: string) => (top.files.has(n) ? read(n) : Promise.resolve(undefined));

  const [pkgText, pyproject, gomod, pom, gradle, gradleKts, dockerfile, gitConfig] = await Promise.all([
    readIf("package.json"),
    readIf("pyproject.toml"),
    readIf("go.mod"),
    readIf("pom.xml"),
    readIf("build.gradle"),
    readIf("build.gradle.kts"),
    top.files.has("Dockerfile") ? read("Dockerfile") : readIf("Containerfile"),
    readGitConfig(root),
  ]);

  // Which language: the most specific manifest wins (a Python or Java
  // service may carry a package.json for tooling; requirements.txt alone
  // is weaker than a package.json).
  let language: "node" | "python" | "go" | "java" | undefined;
  let buildTool: "maven" | "gradle" | undefined;
  const has = (n: string) => top.files.has(n);
  if (has("go.mod")) language = "go";
  else if (has("pom.xml")) [language, buildTool] = ["java", "maven"];
  else if (has("build.gradle") || has("build.gradle.kts")) [language, buildTool] = ["java", "gradle"];
  else if (has("pyproject.toml") || has("setup.py")) language = "python";
  else if (has("package.json")) language = "node";
  else if (has("requirements.txt")) language = "python";

  let found: Found = { sources: [] };
  if (language === "node") found = await detectNode(root, read, top, pkgText);
  else if (language === "python") found = await detectPython(read, top, pyproject);
  else if (language === "go") found = await detectGo(root, top, gomod);
  else if (language === "java" && buildTool !== undefined) {
    found = await detectJava(root, read, top, buildTool, buildTool === "maven" ? pom : (gradleKts ?? gradle));
  }

  // Port and health route: the known source files, then the Dockerfile.
  const texts = await Promise.all(found.sources.map(read));
  let port = found.port;
  for (const t of texts) port ??= portIn(t);
  port ??= portIn(dockerfile);
  const healthPath =
    found.healthPath ??
    bestHealth(texts.flatMap(healthIn)) ??
    /^[ \t]*HEALTHCHECK\b.*?https?:\/\/[^/\s"']+(\/[\w./~-]*)/m.exec(dockerfile ?? "")?.[1];

  const remote = remoteUrl(gitConfig);
  const github = remote === undefined ? undefined : parseGitHubRemote(remote);

  const name = slugify(found.name ?? "") || slugify(path.basename(root)) || undefined;

  const result: DetectResult = {
    name,
    language,
    buildTool,
    languageVersion: found.languageVersion,
    lintCommand: found.lintCommand,
    testCommand: found.testCommand,
    startCommand: found.startCommand,
    port,
    healthPath,
    owner: github?.owner,
    repoUrl: github?.repoUrl,
  };
  for (const k of Object.keys(result)) if (result[k] === undefined) delete result[k];
  return result;
}
