import { toolCommand } from "../../product.js";
/**
 * What create-pipeline cannot do yet, found before anything is generated: a
 * language it has no pack support for, a monorepo root (several services),
 * a folder inside a larger repository (workflows would land where GitHub
 * never runs them). Each refusal names what was found and what to supply.
 */
import path from "node:path";
import { gitDirOf } from "./git.js";
import { requirementsIn } from "./pyproject.js";
import { list, readHead, stripXmlComments, type FileReader, type Listing } from "./read.js";

export interface Refusal {
  /** One line: what was found. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** The file or folder it is about. */
  where: string;
  /**
   * Answers that, given explicitly, say the user knows better and the refusal is not applied
   * (`language` always does): `port` and `startCommand` for a program where no listener was found.
   */
  overriddenBy?: string[] | undefined;
  /**
   * A program that opens no port (a Node.js, Python or Go background worker, a Go command-line
   * program): refused even where naming a folder takes it, unless one of `overriddenBy` is given
   * for it (its Deployment's probes would wait on a port nothing opens).
   */
  worker?: boolean | undefined;
  /** The service could never be reached as it is (bound to loopback): refused even where naming a folder takes it. */
  unreachable?: boolean | undefined;
}

const SUPPORTED_MANIFESTS = [
  "package.json",
  "pyproject.toml",
  "setup.py",
  "requirements.txt",
  "Pipfile",
  "manage.py",
  "go.mod",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
];
const BACKEND_MANIFESTS = SUPPORTED_MANIFESTS.filter((m) => m !== "package.json");

/** Manifests of a supported language that say the folder is that language's service on their own
 * (a requirements.txt alone may be only tooling: pre-commit, ansible, a docs builder). */
const STRONG_MANIFESTS = BACKEND_MANIFESTS.filter((m) => m !== "requirements.txt");

/** A requirements.txt entry that makes a Python service (a web framework or server, gRPC). */
export const PYTHON_SERVICE =
  /^(?:django|flask|fastapi|starlette|gunicorn|uvicorn|hypercorn|granian|daphne|waitress|aiohttp|tornado|sanic|quart|litestar|falcon|bottle|pyramid|grpcio|streamlit|gradio|dash|celery)$/;

/** Files beside a foreign manifest that make it the application (not a tool of a Python service). */
const APP_FILES: Record<string, string[]> = {
  Ruby: ["config.ru"],
  PHP: ["artisan", "index.php", "symfony.lock"],
};

/** Manifests of languages without support, and what they are. `requirements` is the root
 * requirements.txt's text when there is one: a foreign manifest wins over it when it names no
 * Python service or when the foreign language's application file is there. */
function unsupportedLanguage(top: Listing, requirements?: string): { language: string; file: string; why?: string } | undefined {
  const files = [...top.files];
  const dotnet =
    files.find((f) => /\.(?:csproj|fsproj|vbproj|sln|slnx)$/.test(f)) ??
    (top.files.has("global.json") && top.files.has("Program.cs") ? "Program.cs" : undefined);
  if (dotnet !== undefined) return { language: "C#/.NET", file: dotnet };
  const table: [string, string][] = [
    ["Cargo.toml", "Rust"],
    ["Gemfile", "Ruby"],
    ["composer.json", "PHP"],
    ["mix.exs", "Elixir"],
    ["build.sbt", "Scala (sbt)"],
    ["Package.swift", "Swift"],
    ["deno.json", "Deno"],
    ["deno.jsonc", "Deno"],
    ["pubspec.yaml", "Dart"],
    ["CMakeLists.txt", "C/C++"],
  ];
  for (const [file, language] of table) {
    if (!top.files.has(file) || STRONG_MANIFESTS.some((m) => top.files.has(m))) continue;
    if (!top.files.has("requirements.txt")) return { language, file };
    // (One that includes other files, -r requirements/base.txt or -e ., is not judged by its own lines.)
    if (requirements === undefined || /^\s*(?:-r|--requirement|-c|--constraint|-e|--editable)\b|^\s*\.\s*$/m.test(requirements)) continue;
    const app = (APP_FILES[language] ?? []).filter((f) => top.files.has(f));
    if (app.length > 0) return { language, file, why: app.join(", ") };
    const names = requirementsIn(requirements);
    if (![...names].some((n) => PYTHON_SERVICE.test(n))) {
      const shown = [...names].slice(0, 4).join(", ") + (names.size > 4 ? ", ..." : "");
      return { language, file, why: `; requirements.txt holds no Python service${names.size ? `: ${shown}` : ""}` };
    }
  }
  return undefined;
}

/**
 * The runtime a start command needs when it is not one create-pipeline builds images for:
 * `bundle exec puma`, `php artisan serve`, `dotnet Api.dll`, `bun run src/index.ts`,
 * `deno run main.ts`, `java -jar` without a Maven or Gradle build. Undefined for the others.
 */
export function foreignRuntimeOf(command: string, javaBuild: boolean): string | undefined {
  const last =
    command
      .split(/&&|;/)
      .map((p) => p.trim())
      .filter(Boolean)
      .pop() ?? "";
  const bare = last.replace(/^exec\s+/, "").replace(/^(?:(?:env|cross-env)\s+)?(?:[A-Za-z_]\w*=\S*\s+)*/, "");
  const word = bare.split(/\s+/)[0] ?? "";
  const base = word.split("/").pop() ?? "";
  if (/^(?:bundle|rails|puma|unicorn|unicorn_rails|rackup|thin|passenger|ruby|hanami|sidekiq|falcon-host)$/.test(base)) return "Ruby";
  if (/^(?:php|php-fpm\S*|heroku-php-apache2|heroku-php-nginx|frankenphp|artisan|rr)$/.test(base)) return "PHP";
  if (base === "dotnet" || /\.dll$/.test(word)) return "C#/.NET";
  if (base === "cargo" || /(?:^|\/)target\/(?:release|debug)\//.test(word)) return "Rust";
  if (/^(?:mix|elixir|iex)$/.test(base) || /(?:^|\/)_build\/prod\/rel\//.test(word)) return "Elixir";
  if (base === "bun" || base === "bunx") return "Bun";
  if (base === "deno") return "Deno";
  if (base === "java" && !javaBuild) return "Java without a Maven or Gradle build";
  return undefined;
}

/**
 * A project of a language without support one or two folders down, for a root that holds nothing
 * of a supported language: `src/Api/Api.csproj` (a .NET solution without its .sln at the root).
 */
export async function nestedUnsupported(root: string, top: Listing): Promise<Refusal | undefined> {
  const skip = /^(?:node_modules|\.|bin$|obj$|docs?$|tests?$|vendor$|packages$|dist$|build$|target$)/;
  let level = [...top.dirs]
    .filter((d) => !skip.test(d))
    .sort()
    .slice(0, 30);
  for (let depth = 1; depth <= 2 && level.length > 0; depth++) {
    const lists = await Promise.all(level.map((d) => list(path.join(root, d))));
    const next: string[] = [];
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i]!;
      const rel = level[i]!;
      if (SUPPORTED_MANIFESTS.some((m) => l.files.has(m))) continue;
      const lang = unsupportedLanguage(l);
      if (lang !== undefined) {
        const at = `${rel}/${lang.file}`;
        return {
          message: `${lang.language} service (${lang.language === "C#/.NET" ? `a .NET project at ${at}` : at}; nothing of Node.js, Python, Go or Java at the root): create-pipeline supports Node.js, Python, Go and Java services only`,
          hint: "nothing was written; its image and CI need that language's own toolchain, which create-pipeline does not build",
          where: path.join(root, at),
        };
      }
      for (const d of [...l.dirs]
        .filter((x) => !skip.test(x))
        .sort()
        .slice(0, 20))
        next.push(`${rel}/${d}`);
    }
    level = next.slice(0, 60);
  }
  return undefined;
}

/** Configuration files of documentation and static site generators, and what they make. */
const SITE_CONFIGS: [RegExp, string][] = [
  [/^mkdocs\.ya?ml$/, "a documentation site"],
  [/^docusaurus\.config\.[cm]?[jt]s$/, "a documentation site"],
  [/^book\.toml$/, "a documentation site"],
  [/^antora(?:-playbook)?\.ya?ml$/, "a documentation site"],
  [/^hugo\.(?:toml|ya?ml|json)$/, "a static site"],
  [/^(?:\.eleventy|eleventy\.config)\.[cm]?js$/, "a static site"],
];

/** A start command or script that only serves or builds the site. */
const SITE_TOOL = /\b(?:mkdocs|docusaurus|vitepress|vuepress|hugo|jekyll|eleventy|mdbook|sphinx-build|sphinx-autobuild|antora|docsify)\b/;

/**
 * A documentation or static site at the root (mkdocs.yml, docusaurus.config.*, .vitepress/...)
 * with no service beside it: no start command, or one that only runs the site's own tool.
 */
export function siteRefusal(
  root: string,
  top: Listing,
  start: { command?: string | undefined; script?: string | undefined; from?: string | undefined },
): Refusal | undefined {
  let config: string | undefined;
  let kind = "";
  for (const f of [...top.files].sort()) {
    const hit = SITE_CONFIGS.find(([re]) => re.test(f));
    if (hit !== undefined) [config, kind] = [f, hit[1]];
    if (config !== undefined) break;
  }
  if (config === undefined && top.dirs.has(".vitepress")) [config, kind] = [".vitepress/", "a documentation site"];
  if (config === undefined) return undefined;
  const runs = [start.command, start.script].find((c) => c !== undefined && SITE_TOOL.test(c));
  if (start.command !== undefined && runs === undefined) return undefined;
  const why = runs === undefined ? "no start command of a service beside it" : `its start command only serves the site: ${start.from ?? `"${runs}"`}`;
  return {
    message: `${kind} (${config}) is not a service: ${why}`,
    hint: `nothing was written; a site is built into static files and published (GitHub Pages, a static host), not run as a service with a port; run \`${toolCommand()} create\` in the folder of a service`,
    where: path.join(root, config),
  };
}

/** Service folders below `root` (one and two levels down), by the manifest each holds. */
async function serviceFolders(root: string, top: Listing): Promise<string[]> {
  const skip = /^(?:node_modules|\.|docs?$|examples?$|test|tests$|scripts$|charts$|deploy$|vendor$|dist$|build$|target$)/;
  const out: string[] = [];
  const dirs = [...top.dirs]
    .filter((d) => !skip.test(d))
    .sort()
    .slice(0, 40);
  const firsts = await Promise.all(dirs.map((d) => list(path.join(root, d))));
  const seconds: string[] = [];
  firsts.forEach((l, i) => {
    const d = dirs[i]!;
    if (SUPPORTED_MANIFESTS.some((m) => l.files.has(m)) || unsupportedLanguage(l)) out.push(d);
    else if (/^(?:apps|services|packages|cmd|modules|projects|src)$/.test(d)) for (const s of [...l.dirs].sort().slice(0, 20)) seconds.push(`${d}/${s}`);
  });
  const lists = await Promise.all(seconds.map((d) => list(path.join(root, d))));
  lists.forEach((l, i) => {
    if (["package.json", "pyproject.toml", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts"].some((m) => l.files.has(m))) out.push(seconds[i]!);
  });
  return out;
}

/** Why `dir` cannot be given a pipeline as one service (undefined: it can). */
export async function refusalFor(dir: string, readFile: FileReader = readHead): Promise<Refusal | undefined> {
  const root = path.resolve(dir);
  const top = await list(root);
  const flags = "--language node|python|go|java with --start-command and --port";
  const read = (f: string) => (top.files.has(f) ? readFile(path.join(root, f)) : Promise.resolve(undefined));
  const [pkg, pom, settings, settingsKts, requirements, procfile] = await Promise.all([
    read("package.json"),
    read("pom.xml"),
    read("settings.gradle"),
    read("settings.gradle.kts"),
    read("requirements.txt"),
    read("Procfile"),
  ]);
  // How the platform the repository was written for starts it: a runtime without support is
  // refused whatever other manifests are at the root (a requirements.txt for tooling).
  const web = /^web:\s*(.+?)\s*$/m.exec(procfile ?? "")?.[1];
  const javaBuild = ["pom.xml", "build.gradle", "build.gradle.kts"].some((m) => top.files.has(m));
  const webRuntime = web === undefined ? undefined : foreignRuntimeOf(web, javaBuild);
  if (webRuntime !== undefined) {
    return {
      message: `${webRuntime}${/^Java /.test(webRuntime) ? "" : " service"} (Procfile web runs "${web}"): create-pipeline supports Node.js, Python, Go and Java (Maven or Gradle) services only`,
      hint: "nothing was written; its image and CI need that runtime's own toolchain, which create-pipeline does not build (a pipeline for another language would not run it)",
      where: path.join(root, "Procfile"),
    };
  }
  const lang = unsupportedLanguage(top, requirements);
  if (lang !== undefined) {
    return {
      message: `${lang.language} service (${lang.file}${lang.why === undefined ? "" : lang.why.startsWith(";") ? lang.why : `, ${lang.why}`}): create-pipeline supports Node.js, Python, Go and Java services only`,
      hint: `nothing was written; if this really is one of those, say so with ${flags}`,
      where: path.join(root, lang.file),
    };
  }

  // A monorepo root: a workspace declaration, or several service folders.
  const declared: string[] = [];
  if (top.files.has("pnpm-workspace.yaml")) declared.push("pnpm-workspace.yaml");
  if (/"workspaces"\s*:/.test(pkg ?? "")) declared.push("package.json workspaces");
  if (top.files.has("lerna.json")) declared.push("lerna.json");
  if (top.files.has("go.work")) declared.push("go.work");
  if (/<modules>\s*<module>/.test(stripXmlComments(pom ?? "").replace(/<profiles>[\s\S]*?<\/profiles>/g, ""))) declared.push("pom.xml <modules>");
  const includes = [...`${settings ?? ""}\n${settingsKts ?? ""}`.matchAll(/^\s*include\s*\(?\s*["']/gm)].length;
  if (includes > 0) declared.push("settings.gradle include");
  const services = await serviceFolders(root, top);
  const rootService = BACKEND_MANIFESTS.some((m) => top.files.has(m)) || (pkg !== undefined && declared.length === 0);
  if (declared.length > 0 || (services.length >= 2 && !rootService)) {
    const shown = services.slice(0, 6).join(", ") + (services.length > 6 ? `, and ${services.length - 6} more` : "");
    return {
      message: `a monorepo root (${[...declared, services.length ? `service folders: ${shown}` : ""].filter(Boolean).join("; ")}): one pipeline per service in one repository is not supported yet`,
      hint: `nothing was written; to make this root one service anyway, say what it is with ${flags}`,
      where: root,
    };
  }

  // A folder inside a larger repository.
  const git = await gitDirOf(root, readFile);
  if (git !== undefined && path.resolve(git.top) !== root) {
    return {
      message: `${path.relative(git.top, root) || "."} is a folder inside the git repository at ${git.top}: GitHub runs workflows only from the repository root's .github/workflows, so a pipeline made here would never run`,
      hint: `nothing was written; run \`${toolCommand()} create\` at the repository root (a repository of several services gets one pipeline per service folder there), or say what to make here with ${flags} (and move the workflows yourself)`,
      where: root,
    };
  }
  return undefined;
}
