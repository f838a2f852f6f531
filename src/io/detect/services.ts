/**
 * Which folders of a repository are services: a folder with a manifest of a supported language
 * (package.json, pyproject.toml, setup.py, requirements.txt, go.mod, pom.xml, build.gradle[.kts]).
 * Read only, bounded: at most MAX_DEPTH levels and MAX_DIRS folders, never into dependency, build
 * or hidden folders. A folder that is a service is not searched further, unless its manifest only
 * aggregates others (a Maven `<modules>` pom, a package.json with `workspaces`, a Gradle settings
 * file that includes projects), which is then searched like the root.
 */
import path from "node:path";
import { serviceFolderNameProblem } from "../../core/paths.js";
import { list, readHead, type Listing } from "./read.js";
import { goWithoutListener, nodeWorkerRefusal, pythonWorkerRefusal } from "./not-service.js";
import { declaredDependencies, requirementsIn } from "./pyproject.js";
import { staticFrontend } from "./frontend.js";
import { siteRefusal } from "./shape.js";
import { walk } from "./walk.js";

export interface FoundService {
  /** Folder relative to the root, "/"-separated. */
  path: string;
  /** The manifest that made it a service. */
  manifest: string;
}

export interface RepositoryShape {
  /** The root is a service itself (a manifest that does not only aggregate others). */
  rootIsService: boolean;
  /** The root's manifest only aggregates other folders (workspaces, modules). */
  rootAggregates: boolean;
  /** Service folders below the root, sorted. */
  services: FoundService[];
  /** Folders with a manifest that were left out, and why (e.g. a library of a workspace). */
  skipped: { path: string; reason: string }[];
}

const MANIFESTS = ["go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "pyproject.toml", "setup.py", "package.json", "requirements.txt"];
const SKIP = new Set([
  "node_modules",
  "vendor",
  "target",
  "build",
  "dist",
  "out",
  "bin",
  "obj",
  "venv",
  "env",
  "__pycache__",
  "site-packages",
  "coverage",
  "charts",
  "deploy",
  "docs",
  "testdata",
  "fixtures",
  "test",
  "tests",
  "e2e",
]);
const MAX_DEPTH = 3;
const MAX_DIRS = 4000;

async function aggregates(dir: string, files: Set<string>): Promise<boolean> {
  if (files.has("pnpm-workspace.yaml") || files.has("lerna.json") || files.has("go.work") || files.has("settings.gradle") || files.has("settings.gradle.kts")) {
    if (files.has("settings.gradle") || files.has("settings.gradle.kts")) {
      const s = (await readHead(path.join(dir, files.has("settings.gradle") ? "settings.gradle" : "settings.gradle.kts"))) ?? "";
      return /^\s*include\b/m.test(s);
    }
    return true;
  }
  if (files.has("pom.xml")) {
    const pom = (await readHead(path.join(dir, "pom.xml"))) ?? "";
    return /<packaging>\s*pom\s*<\/packaging>/.test(pom) && /<modules>/.test(pom);
  }
  if (files.has("package.json")) {
    const pkg = (await readHead(path.join(dir, "package.json"))) ?? "";
    return /"workspaces"\s*:/.test(pkg);
  }
  if (files.has("pyproject.toml")) {
    const py = (await readHead(path.join(dir, "pyproject.toml"))) ?? "";
    return /^\[tool\.uv\.workspace\]/m.test(py) && !/^\[project\]/m.test(py);
  }
  return false;
}

/** A package of a JavaScript workspace that cannot run on its own (no start script, no Dockerfile, no main). */
/** A package that is a static front-end (frontend.ts), with what says so. */
async function staticFrontendOf(dir: string, files: Set<string>): Promise<string | undefined> {
  try {
    return staticFrontend(JSON.parse((await readHead(path.join(dir, "package.json"))) ?? "") as Record<string, unknown>, files);
  } catch {
    return undefined;
  }
}

async function nodeLibrary(dir: string, files: Set<string>): Promise<boolean> {
  if (files.has("Dockerfile") || files.has("Containerfile")) return false;
  const pkg = (await readHead(path.join(dir, "package.json"))) ?? "";
  try {
    const j = JSON.parse(pkg) as { scripts?: Record<string, unknown> };
    return typeof j.scripts?.start !== "string";
  } catch {
    return false;
  }
}

/**
 * Why a Go or Java module is a library rather than a service, or undefined: a Go module with no
 * `package main` file, a Java module with no main class (`static void main`, Kotlin `fun main`)
 * and no plugin that makes an application (Spring Boot, Quarkus, Gradle's application plugin, a
 * `<mainClass>`). A module with a Dockerfile is a service. Reads are bounded.
 */
async function libraryReason(dir: string, manifest: string, files: Set<string>): Promise<string | undefined> {
  if (files.has("Dockerfile") || files.has("Containerfile")) return undefined;
  const has = async (rels: string[], re: RegExp) => {
    for (const f of rels) if (re.test((await readHead(path.join(dir, f))) ?? "")) return true;
    return false;
  };
  const bounds = { maxDepth: 6, maxDirs: 120, maxFiles: 150 };
  if (manifest === "go.mod") {
    const sources = await walk(dir, ["."], /\.go$/, bounds);
    return (await has(sources, /^\s*package\s+main\b/m)) ? undefined : "a Go module without a main package (a library)";
  }
  if (manifest === "pom.xml" || manifest === "build.gradle" || manifest === "build.gradle.kts") {
    const build = (await readHead(path.join(dir, manifest))) ?? "";
    if (/spring-boot|io\.quarkus|<mainClass>|\bapplication\b\s*(?:\{|$)|id\s*\(?\s*["']application["']|mainClass\s*[.=]/m.test(build)) return undefined;
    const sources = await walk(dir, ["src/main"], /\.(?:java|kt)$/, bounds);
    return (await has(sources, /\bstatic\s+(?:public\s+)?void\s+main\s*\(|^\s*fun\s+main\s*\(/m))
      ? undefined
      : "a Java module without a main class or application plugin (a library)";
  }
  return undefined;
}

/**
 * Why a Node.js or Python folder is a background worker rather than a service (not-service.ts),
 * or undefined. A folder with a Dockerfile is a service. Python: the Procfile, the dependencies
 * and the .py files at its root and in src/ (bounded), with no start command of its own.
 */
async function workerReason(dir: string, here: Listing, manifest: string): Promise<string | undefined> {
  if (here.files.has("Dockerfile") || here.files.has("Containerfile")) return undefined;
  const read = (rel: string) => readHead(path.join(dir, rel));
  if (manifest === "package.json") {
    let pkg: unknown;
    try {
      pkg = JSON.parse((await read("package.json")) ?? "");
    } catch {
      return undefined;
    }
    if (pkg === null || typeof pkg !== "object" || Array.isArray(pkg)) return undefined;
    return (await nodeWorkerRefusal(dir, read, here, pkg as Record<string, unknown>, undefined))?.message.replace(/; a pipeline deploys .*$/, "");
  }
  if (manifest === "pyproject.toml" || manifest === "setup.py" || manifest === "requirements.txt") {
    const [pyproject, pipfile, requirements, procfile] = await Promise.all(
      ["pyproject.toml", "Pipfile", "requirements.txt", "Procfile"].map((f) => (here.files.has(f) ? read(f) : Promise.resolve(undefined))),
    );
    const declared = declaredDependencies(pyproject, pipfile);
    const dependencies = [...declared.runtime, ...requirementsIn(requirements)];
    const files = await walk(dir, ["."], /\.py$/, { maxDepth: 3, maxDirs: 40, maxFiles: 60 });
    const sources = await Promise.all(files.map(read));
    return pythonWorkerRefusal(dir, { procfile, startCommand: undefined, dependencies, files, sources })?.message.replace(/; a pipeline deploys .*$/, "");
  }
  return undefined;
}

/** How a repository is laid out: one service at its root, or several below it. */
export async function findServices(root: string): Promise<RepositoryShape> {
  const top = await list(root);
  const rootManifest = MANIFESTS.find((m) => top.files.has(m));
  const rootAggregates = await aggregates(root, top.files);
  const shape: RepositoryShape = { rootIsService: rootManifest !== undefined && !rootAggregates, rootAggregates, services: [], skipped: [] };
  let seen = 0;
  const walk = async (rel: string, depth: number, dirs: Set<string>) => {
    for (const d of [...dirs].sort()) {
      if (d.startsWith(".") || SKIP.has(d) || seen >= MAX_DIRS) continue;
      seen++;
      const relPath = rel ? `${rel}/${d}` : d;
      const abs = path.join(root, relPath);
      const here = await list(abs);
      const manifest = MANIFESTS.find((m) => here.files.has(m));
      if (manifest !== undefined && !(await aggregates(abs, here.files))) {
        const odd = relPath.split("/").find((part) => serviceFolderNameProblem(part) !== undefined);
        if (odd !== undefined) {
          shape.skipped.push({ path: relPath, reason: `its name ${serviceFolderNameProblem(odd)}; rename the folder to include it` });
          continue;
        }
        if (manifest === "package.json" && !here.files.has("pyproject.toml")) {
          const frontend = await staticFrontendOf(abs, here.files);
          if (frontend !== undefined) {
            shape.skipped.push({ path: relPath, reason: `a static front-end without a server (${frontend}): no start script or Dockerfile runs one` });
            continue;
          }
          if (await nodeLibrary(abs, here.files)) {
            shape.skipped.push({ path: relPath, reason: "a package without a start script or Dockerfile (a library)" });
            continue;
          }
        }
        if (manifest === "package.json") {
          // A documentation or static site (docusaurus.config.js, .vitepress/) whose start script
          // only serves it: no service to deploy.
          let start: unknown;
          try {
            start = (JSON.parse((await readHead(path.join(abs, "package.json"))) ?? "") as { scripts?: Record<string, unknown> }).scripts?.start;
          } catch {
            start = undefined;
          }
          const site = typeof start === "string" ? siteRefusal(abs, here, { command: start }) : undefined;
          if (site !== undefined) {
            shape.skipped.push({ path: relPath, reason: site.message });
            continue;
          }
        }
        const library = await libraryReason(abs, manifest, here.files);
        if (library !== undefined) {
          shape.skipped.push({ path: relPath, reason: library });
          continue;
        }
        // A Go command-line program (no listener anywhere in its module) is no service either.
        if (manifest === "go.mod" && !here.files.has("Dockerfile") && !here.files.has("Containerfile")) {
          const gomod = (await readHead(path.join(abs, "go.mod"))) ?? "";
          const program = await goWithoutListener(abs, (rel) => readHead(path.join(abs, rel)), gomod, "its main package");
          if (program !== undefined) {
            const what = program.worker !== undefined ? `a background worker (${program.worker.sign})` : "a Go command-line program";
            shape.skipped.push({ path: relPath, reason: `${what}: no network listener found in its module` });
            continue;
          }
        }
        // A Node.js or Python background worker (a bot, a queue consumer, a Procfile of workers only)
        // opens no port either: left out as the same folder alone would be refused.
        const worker = await workerReason(abs, here, manifest);
        if (worker !== undefined) {
          shape.skipped.push({ path: relPath, reason: worker });
          continue;
        }
        shape.services.push({ path: relPath, manifest });
        continue;
      }
      if (depth < MAX_DEPTH) await walk(relPath, depth + 1, here.dirs);
    }
  };
  await walk("", 1, top.dirs);
  shape.services.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return shape;
}
