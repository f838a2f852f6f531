/**
 * Which folder a service's image must be built from in a repository of several services. Its own
 * folder, unless its build reads files above it:
 * - a Maven module whose parent pom (`<parent>`, `relativePath` default `../pom.xml`) is in the
 *   repository: the build needs the parent chain (and a reactor builds sibling modules it uses);
 * - a Gradle project without its own settings file, included by a settings file above it;
 * - a workspace package (npm/yarn `workspaces`, `pnpm-workspace.yaml`) without its own lockfile:
 *   the install needs the workspace root's lockfile;
 * - a Go module with a `replace` directive to a local folder outside it.
 * The answer is the nearest folder holding everything the build reads (relative to the root).
 */
import path from "node:path";
import { pnpmLockMajor } from "./node.js";
import { list, stripXmlComments, type FileReader } from "./read.js";

const posix = path.posix;

/** The deepest folder that holds all of these (relative, "/"-separated; "." the root). */
function commonFolder(folders: readonly string[]): string {
  const parts = folders.map((f) => (f === "." ? [] : f.split("/")));
  const out: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0]![i]); i++) out.push(parts[0]![i]!);
  return out.length ? out.join("/") : ".";
}

/** A relative folder inside the repository, or undefined when it leaves it. */
function inside(rel: string): string | undefined {
  const n = posix.normalize(rel);
  if (n === ".." || n.startsWith("../") || posix.isAbsolute(n)) return undefined;
  return n === "" ? "." : n.replace(/\/$/, "");
}

async function mavenChain(root: string, service: string, read: FileReader): Promise<string[]> {
  const chain: string[] = [];
  let dir = service;
  for (let i = 0; i < 10; i++) {
    const pom = await read(path.join(root, dir, "pom.xml"));
    if (pom === undefined) break;
    const parent = /<parent>([\s\S]*?)<\/parent>/.exec(stripXmlComments(pom))?.[1];
    if (parent === undefined) break;
    const rp = /<relativePath\s*\/>|<relativePath>\s*([^<]*?)\s*<\/relativePath>/.exec(parent);
    if (rp && !rp[1]) break; // <relativePath/>: the parent comes from a repository, not the checkout
    const given = rp?.[1] ?? "../pom.xml";
    const target = inside(posix.join(dir, given.endsWith(".xml") ? posix.dirname(given) : given));
    if (target === undefined || target === dir || (await read(path.join(root, target, "pom.xml"))) === undefined) break;
    chain.push(target);
    dir = target;
  }
  return chain;
}

async function gradleRoot(root: string, service: string, read: FileReader): Promise<string | undefined> {
  const has = async (d: string, f: string) => (await read(path.join(root, d, f))) !== undefined;
  if ((await has(service, "settings.gradle")) || (await has(service, "settings.gradle.kts"))) return undefined;
  for (let d = service; d !== "."; ) {
    d = posix.dirname(d) || ".";
    if ((await has(d, "settings.gradle")) || (await has(d, "settings.gradle.kts"))) return d;
  }
  return undefined;
}

const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"];

async function workspaceRoot(root: string, service: string, read: FileReader): Promise<string | undefined> {
  for (const f of LOCKFILES) if ((await read(path.join(root, service, f))) !== undefined) return undefined;
  for (let d = service; d !== "."; ) {
    d = posix.dirname(d) || ".";
    const pnpm = (await read(path.join(root, d, "pnpm-workspace.yaml"))) !== undefined;
    let workspaces = false;
    const pkg = await read(path.join(root, d, "package.json"));
    if (pkg !== undefined) {
      try {
        workspaces = (JSON.parse(pkg) as { workspaces?: unknown }).workspaces !== undefined;
      } catch {
        workspaces = false;
      }
    }
    if (pnpm || workspaces) return d;
  }
  return undefined;
}

export interface Workspace {
  /** The workspace root, relative to the repository root ("." the root). */
  dir: string;
  packageManager: "npm" | "yarn" | "pnpm";
  /** Where the package manager was read. */
  from: string;
  /** Its version as the root pins it (packageManager "pnpm@9.12.0"), else the major that writes the root's lockfile. */
  version?: { value: string; from: string } | undefined;
}

/**
 * The JavaScript workspace a package belongs to (the nearest folder above it with a
 * `pnpm-workspace.yaml` or a package.json `workspaces`) and the package manager that installs it:
 * the root's package.json `packageManager`, else its lockfile (pnpm-lock.yaml or the pnpm
 * workspace file: pnpm; yarn.lock: yarn; else npm). Undefined for a package with a lockfile of
 * its own, or outside any workspace.
 */
export async function workspaceOf(root: string, service: string, read: FileReader): Promise<Workspace | undefined> {
  if (service === ".") return undefined;
  for (const f of LOCKFILES) if ((await read(path.join(root, service, f))) !== undefined) return undefined;
  for (let d = service; d !== "."; ) {
    d = posix.dirname(d) || ".";
    const at = (f: string) => (d === "." ? f : `${d}/${f}`);
    const has = async (f: string) => (await read(path.join(root, d, f))) !== undefined;
    const pnpmWorkspace = await has("pnpm-workspace.yaml");
    const pkgText = await read(path.join(root, d, "package.json"));
    let pkg: { workspaces?: unknown; packageManager?: unknown } = {};
    try {
      if (pkgText !== undefined) pkg = JSON.parse(pkgText) as typeof pkg;
    } catch {
      pkg = {};
    }
    if (!pnpmWorkspace && pkg.workspaces === undefined) continue;
    const declared = /^(npm|yarn|pnpm)@/.exec(typeof pkg.packageManager === "string" ? pkg.packageManager.trim() : "")?.[1] as
      | Workspace["packageManager"]
      | undefined;
    const of = "(the workspace root's)";
    const pinned = /^(?:npm|yarn|pnpm)@(\d+(?:\.\d+){0,2}(?:-[\w.]+)?)/.exec(typeof pkg.packageManager === "string" ? pkg.packageManager.trim() : "")?.[1];
    const pnpmLock = await read(path.join(root, d, "pnpm-lock.yaml"));
    const lock = pnpmLock === undefined ? undefined : pnpmLockMajor(pnpmLock);
    const version =
      pinned !== undefined
        ? { value: pinned, from: `${at("package.json")} packageManager "${String(pkg.packageManager)}" ${of}` }
        : lock !== undefined && (declared ?? "pnpm") === "pnpm"
          ? { value: lock.major, from: `${at("pnpm-lock.yaml")} ${lock.said} ${of}` }
          : undefined;
    if (declared !== undefined)
      return { dir: d, packageManager: declared, from: `${at("package.json")} packageManager "${String(pkg.packageManager)}" ${of}`, version };
    if (pnpmLock !== undefined) return { dir: d, packageManager: "pnpm", from: `${at("pnpm-lock.yaml")} ${of}`, version };
    if (pnpmWorkspace) return { dir: d, packageManager: "pnpm", from: `${at("pnpm-workspace.yaml")} ${of}` };
    if (await has("yarn.lock")) return { dir: d, packageManager: "yarn", from: `${at("yarn.lock")} ${of}` };
    const npmLock = (await has("package-lock.json")) ? "package-lock.json" : (await has("npm-shrinkwrap.json")) ? "npm-shrinkwrap.json" : undefined;
    return { dir: d, packageManager: "npm", from: npmLock ? `${at(npmLock)} ${of}` : `${at("package.json")} workspaces, no lockfile ${of}` };
  }
  return undefined;
}

async function goReplaces(root: string, service: string, read: FileReader): Promise<string[]> {
  const mod = await read(path.join(root, service, "go.mod"));
  if (mod === undefined) return [];
  const out: string[] = [];
  const lines = mod.split("\n");
  let block = false;
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (/^replace\s*\($/.test(line)) block = true;
    else if (block && line === ")") block = false;
    const m = (block ? /=>\s*(\.\.?\/\S*)\s*$/ : /^replace\s+.*=>\s*(\.\.?\/\S*)\s*$/).exec(line);
    const target = m?.[1] ? inside(posix.join(service, m[1])) : undefined;
    if (target !== undefined && target !== service && !target.startsWith(`${service}/`)) out.push(target);
  }
  return out;
}

/** The build context of the service in `service` (relative to `root`), or undefined for its own folder. */
export async function buildContextOf(
  root: string,
  service: string,
  facts: { language?: unknown; buildTool?: unknown },
  read: FileReader,
): Promise<string | undefined> {
  if (service === ".") return undefined;
  let needs: string[] = [];
  if (facts.language === "java" && facts.buildTool !== "gradle") needs = await mavenChain(root, service, read);
  else if (facts.language === "java") needs = [(await gradleRoot(root, service, read)) ?? service];
  else if (facts.language === "node") needs = [(await workspaceRoot(root, service, read)) ?? service];
  else if (facts.language === "go") needs = await goReplaces(root, service, read);
  const context = commonFolder([service, ...needs]);
  return context === service ? undefined : context;
}

const TOOL = /^((?:sh\s+)?\.\/mvnw|mvn|(?:sh\s+)?\.\/gradlew|gradle)((?:\s+-[\w.-]+(?:=\S+)?)*)\s+(\S.*)$/;

/**
 * A Maven module's or Gradle project's build command (as detected in its own folder) run from its
 * reactor or settings root instead, where its sibling modules are: `mvn -B -ntp test` in
 * `services/api` of a reactor at the root becomes `mvn -B -ntp -pl services/api -am test` (the
 * module and the modules it uses, built in one reactor), `./gradlew test` becomes
 * `./gradlew :services:api:test`. The root's own build tool (its wrapper) is used when it has one
 * (`rootTest`: the root's detected test command). Undefined for a command that is not the build
 * tool's.
 */
export function reactorCommand(cmd: string, service: string, context: string, buildTool: unknown, rootTest: unknown): string | undefined {
  const m = TOOL.exec(cmd.trim());
  if (!m) return undefined;
  const sub = context === "." ? service : service.slice(context.length + 1);
  const rootTool = typeof rootTest === "string" ? TOOL.exec(rootTest.trim()) : null;
  const tool = rootTool ? `${rootTool[1]}${rootTool[2]}` : `${m[1]}${m[2]}`;
  if (buildTool === "gradle") {
    const project = `:${sub.split("/").join(":")}:`;
    const tasks = m[3]!.split(/\s+/).map((t) => (t.startsWith("-") || t.startsWith(":") ? t : `${project}${t}`));
    return `${tool} ${tasks.join(" ")}`;
  }
  return `${tool} -pl ${sub} -am ${m[3]}`;
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const listDirs = async (abs: string) => [...(await list(abs)).dirs].filter((d) => !d.startsWith(".") && d !== "node_modules").sort();

const MAX_MODULES = 500;

/** artifactId of a pom (its own, not its parent's) and the artifactIds it depends on. */
function pomFacts(pom: string): { artifactId?: string; deps: string[] } {
  const text = stripXmlComments(pom).replace(/<parent>[\s\S]*?<\/parent>/, "");
  const artifactId = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(
    text.replace(/<dependencies>[\s\S]*?<\/dependencies>|<build>[\s\S]*?<\/build>|<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, ""),
  )?.[1];
  const depsBlock = /<dependencies>([\s\S]*?)<\/dependencies>/.exec(text.replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, ""))?.[1] ?? "";
  const deps = [...depsBlock.matchAll(/<artifactId>\s*([^<\s]+)\s*<\/artifactId>/g)].map((m) => m[1]!);
  return { artifactId, deps };
}

/** The modules of a Maven reactor (folder → pom facts), from its root pom's <modules>, recursively. */
async function reactorModules(root: string, top: string, read: FileReader): Promise<Map<string, { artifactId?: string; deps: string[] }>> {
  const out = new Map<string, { artifactId?: string; deps: string[] }>();
  const queue = [top];
  while (queue.length > 0 && out.size < MAX_MODULES) {
    const dir = queue.shift()!;
    if (out.has(dir)) continue;
    const pom = await read(path.join(root, dir, "pom.xml"));
    if (pom === undefined) continue;
    out.set(dir, pomFacts(pom));
    const modules = /<modules>([\s\S]*?)<\/modules>/.exec(stripXmlComments(pom))?.[1] ?? "";
    for (const m of modules.matchAll(/<module>\s*([^<]+?)\s*<\/module>/g)) {
      const d = inside(posix.join(dir, m[1]!.replace(/\/pom\.xml$/, "")));
      if (d !== undefined) queue.push(d);
    }
  }
  return out;
}

/** Folders of a JavaScript workspace's packages (its globs: "dir/*" or a folder) → package name, and what each uses. */
async function workspacePackages(root: string, ws: string, read: FileReader): Promise<Map<string, { name?: string; deps: string[] }>> {
  const globs: string[] = [];
  const pnpm = await read(path.join(root, ws, "pnpm-workspace.yaml"));
  if (pnpm !== undefined) {
    const block = /^packages:\s*\n((?:\s+-.*\n?)*)/m.exec(pnpm)?.[1] ?? "";
    for (const m of block.matchAll(/-\s*["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/gm)) globs.push(m[1]!.trim());
    const inline = /^packages:\s*\[([^\]]*)\]/m.exec(pnpm)?.[1];
    if (inline) for (const g of inline.split(",")) globs.push(g.trim().replace(/^["']|["']$/g, ""));
  }
  const pkg = parseJsonObject(await read(path.join(root, ws, "package.json")));
  const w = pkg?.workspaces;
  const list = Array.isArray(w) ? w : Array.isArray((w as { packages?: unknown })?.packages) ? (w as { packages: unknown[] }).packages : [];
  for (const g of list) if (typeof g === "string") globs.push(g);
  const out = new Map<string, { name?: string; deps: string[] }>();
  for (const g of globs) {
    if (g.startsWith("!")) continue;
    const star = /^(.*?)\/\*{1,2}$/.exec(g);
    const folders: string[] = [];
    if (star) {
      const base = inside(posix.join(ws, star[1]!));
      if (base === undefined) continue;
      const entries = await listDirs(path.join(root, base));
      for (const e of entries) folders.push(posix.join(base, e));
    } else if (!/[*?{]/.test(g)) {
      const d = inside(posix.join(ws, g));
      if (d !== undefined) folders.push(d);
    }
    for (const f of folders.slice(0, MAX_MODULES)) {
      const p = parseJsonObject(await read(path.join(root, f, "package.json")));
      if (!p) continue;
      const deps = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((k) =>
        Object.keys((p[k] as Record<string, unknown>) ?? {}),
      );
      out.set(f, { name: typeof p.name === "string" ? p.name : undefined, deps });
    }
  }
  return out;
}

/**
 * Files and folders outside a service's folder whose change changes what its build produces, so
 * that CI selects the service when they change: the Maven parent poms and the reactor modules it
 * depends on (transitively), the Gradle projects it depends on (`project(':x')`), the workspace
 * packages it uses (transitively), the local folders its go.mod replaces modules with. Relative
 * to the root, sorted; never a folder that holds the service itself.
 */
export async function dependenciesOf(root: string, service: string, facts: { language?: unknown; buildTool?: unknown }, read: FileReader): Promise<string[]> {
  if (service === ".") return [];
  const out = new Set<string>();
  const add = (p: string) => {
    if (p === "." || p === service || p.startsWith(`${service}/`) || service.startsWith(`${p}/`)) return;
    out.add(p);
  };
  /** Breadth first from `start` over `next`, bounded. */
  const reach = async (start: string[], next: (folder: string) => Promise<string[]>) => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length > 0 && seen.size < MAX_MODULES) {
      const d = queue.shift()!;
      if (seen.has(d) || d === service) continue;
      seen.add(d);
      add(d);
      queue.push(...(await next(d)));
    }
  };
  if (facts.language === "java" && facts.buildTool !== "gradle") {
    const chain = await mavenChain(root, service, read);
    for (const d of chain) out.add(d === "." ? "pom.xml" : `${d}/pom.xml`);
    const top = chain[chain.length - 1];
    if (top !== undefined) {
      const modules = await reactorModules(root, top, read);
      const byId = new Map<string, string>();
      for (const [d, f] of modules) if (f.artifactId !== undefined) byId.set(f.artifactId, d);
      const depsOf = async (d: string) =>
        (modules.get(d) ?? pomFacts((await read(path.join(root, d, "pom.xml"))) ?? "")).deps.flatMap((a) => (byId.has(a) ? [byId.get(a)!] : []));
      await reach(await depsOf(service), depsOf);
    }
  } else if (facts.language === "java") {
    const settings = await gradleRoot(root, service, read);
    if (settings !== undefined) {
      const depsOf = async (d: string) => {
        const build = (await read(path.join(root, d, "build.gradle.kts"))) ?? (await read(path.join(root, d, "build.gradle"))) ?? "";
        return [...build.matchAll(/project\(\s*(?:path\s*[:=]\s*)?["']:([\w:.-]+)["']/g)].flatMap((m) => {
          const f = inside(posix.join(settings, m[1]!.split(":").join("/")));
          return f === undefined ? [] : [f];
        });
      };
      await reach(await depsOf(service), depsOf);
    }
  } else if (facts.language === "go") {
    await reach(await goReplaces(root, service, read), (d) => goReplaces(root, d, read));
  } else if (facts.language === "node") {
    const ws = await workspaceOf(root, service, read);
    if (ws !== undefined) {
      const pkgs = await workspacePackages(root, ws.dir, read);
      const byName = new Map<string, string>();
      for (const [d, p] of pkgs) if (p.name !== undefined) byName.set(p.name, d);
      const own = parseJsonObject(await read(path.join(root, service, "package.json")));
      const ownDeps = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((k) =>
        Object.keys((own?.[k] as Record<string, unknown>) ?? {}),
      );
      const depsOf = async (d: string) => (pkgs.get(d)?.deps ?? []).flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
      await reach(
        ownDeps.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : [])),
        depsOf,
      );
    }
  }
  return [...out].sort();
}
