/**
 * What create-pipeline cannot do yet, found before anything is generated: a
 * language it has no pack support for, a monorepo root (several services),
 * a folder inside a larger repository (workflows would land where GitHub
 * never runs them). Each refusal names what was found and what to supply.
 */
import path from "node:path";
import { gitDirOf } from "./git.js";
import { list, readHead, stripXmlComments, type FileReader, type Listing } from "./read.js";

export interface Refusal {
  /** One line: what was found. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** The file or folder it is about. */
  where: string;
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

/** Manifests of languages without support, and what they are. */
function unsupportedLanguage(top: Listing): { language: string; file: string } | undefined {
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
    ["pubspec.yaml", "Dart"],
    ["CMakeLists.txt", "C/C++"],
  ];
  for (const [file, language] of table) {
    if (top.files.has(file) && !BACKEND_MANIFESTS.some((m) => top.files.has(m))) return { language, file };
  }
  return undefined;
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
  const lang = unsupportedLanguage(top);
  if (lang !== undefined) {
    return {
      message: `${lang.language} service (${lang.file}): create-pipeline supports Node.js, Python, Go and Java services only`,
      hint: `nothing was written; if this really is one of those, say so with ${flags}`,
      where: path.join(root, lang.file),
    };
  }

  // A monorepo root: a workspace declaration, or several service folders.
  const read = (f: string) => (top.files.has(f) ? readFile(path.join(root, f)) : Promise.resolve(undefined));
  const [pkg, pom, settings, settingsKts] = await Promise.all([read("package.json"), read("pom.xml"), read("settings.gradle"), read("settings.gradle.kts")]);
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
      hint: `nothing was written; run create at the repository root (a repository of several services gets one pipeline per service folder there), or say what to make here with ${flags} (and move the workflows yourself)`,
      where: root,
    };
  }
  return undefined;
}
