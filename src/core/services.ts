/**
 * A repository of several services: one answers file at the root holds the answers every service
 * shares at the top and a `services:` list with, per service, its folder (`path`) and only what
 * differs. A service inherits every answer it does not override; a service answer left out of
 * both takes the pack's default for that service (detection in the service's folder included).
 *
 * Rendering (pure): per service, the pack's `services.inFolder` templates are written inside the
 * service's folder and `services.perService` templates at the root (their path carries the name);
 * once for the repository, the templates under `files/<services.repository>/` (prefix dropped) and
 * the `services.shared` ones, with `it.services` listing every service's resolved answers.
 */
import { defaultKeys, resolveAnswers, resolveDefault, type Asker, type Given, type Resolved } from "./answers.js";
import { didYouMean, PipelineError, usageError, validationError } from "./errors.js";
import { globToRegExp } from "./glob.js";
import { render, underOneLimit, type RenderContext } from "./render.js";
import { packLine, schemaLine, yamlScalar } from "./state.js";
import type { AnswerValue, Answers, Detected, Pack, PackManifest, RenderedFile, ServicesSpec, Tree } from "./types.js";
import { unknownKeysError } from "./answers-read.js";
import { parseSimpleYaml } from "./simple-yaml.js";
import { parseYamlSource } from "./yaml-source.js";
import { serviceFolderNameProblem, unsafePath } from "./paths.js";
import { toolCommand } from "../product.js";

/** One service as written in the answers file. */
export interface ServiceEntry {
  /** Folder relative to the repository root ("." for the root itself), normalised. */
  path: string;
  /** The answers it overrides. */
  given: Record<string, Given>;
  where: string;
}

export interface ServicesModel {
  /** Answers shared by every service (and the repository's own: `name` is the repository's). */
  top: Record<string, Given>;
  services: ServiceEntry[];
}

export interface ResolvedService {
  path: string;
  answers: Answers;
  sources: Resolved["sources"];
  /**
   * The folder the service's image is built from (relative to the repository root): its own
   * folder, or the workspace or reactor root above it when the build needs files there (a Maven
   * parent pom, a workspace lockfile). Templates get it as `buildContext`.
   */
  context?: string;
  /**
   * Files and folders outside its own folder whose change changes its build (a parent pom, the
   * sibling modules or workspace packages it uses, a Go replace target). Templates get it as
   * `watchPaths`.
   */
  watch?: string[];
}

export interface ResolvedRepository {
  top: Answers;
  /** Where each shared answer came from (given, detected, default or asked), when resolved here. */
  topSources?: Resolved["sources"];
  services: ResolvedService[];
}

/** Does this answers file describe a repository of several services? (No YAML parse: start-up time.) */
export { isServicesAnswers } from "./services-only.js";

export function servicesSpec(manifest: PackManifest, where?: string): ServicesSpec {
  if (manifest.services) return manifest.services;
  throw usageError(
    `the template pack ${manifest.name}@${manifest.version} renders one service per repository; it has no 'services:' section for a repository of several services`,
    where,
    `use a pack that supports several services (the built-in pack does), or run \`${toolCommand()} create\` in one service's folder`,
  );
}

/**
 * A service folder as written by a user: relative to the repository root, inside it, normalised
 * (no "./" prefix, no trailing "/", "." for the root). Anything else is refused with the reason.
 */
export function normaliseServicePath(raw: unknown, where: string): string {
  if (typeof raw !== "string" || raw.trim() === "")
    throw validationError("a service needs 'path': its folder relative to the repository root", where, "write e.g. `- path: services/api`");
  const p = raw.trim().replace(/\\/g, "/");
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p) || p.startsWith("~"))
    throw validationError(`service folder '${raw}' is not under the repository`, where, "give a path relative to the repository root, e.g. services/api");
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.some((s) => s === ".."))
    throw validationError(
      `service folder '${raw}' is not under the repository`,
      where,
      `a service must live inside the repository that holds .create-pipeline.yaml; run \`${toolCommand()} create\` in the other repository instead`,
    );
  const unsafe = parts.length ? unsafePath(parts.join("/")) : undefined;
  if (unsafe) throw validationError(`service folder '${raw}' cannot be used: ${unsafe}`, where, "give the service's own folder");
  const odd = parts.find((part) => serviceFolderNameProblem(part) !== undefined);
  if (odd !== undefined)
    throw validationError(
      `service folder '${raw}' cannot be used: '${odd}' ${serviceFolderNameProblem(odd)}`,
      where,
      "rename the folder to letters, digits, '.', '_' and '-' (starting with a letter, digit or '_')",
    );
  return parts.length ? parts.join("/") : ".";
}

/** Read an answers file that has a `services:` list (the repository's `.create-pipeline.yaml` or a --config file). */
export function parseServicesFile(text: string, file: string, manifest: PackManifest): ServicesModel {
  const spec = servicesSpec(manifest, file);
  // The file as this tool writes it is read by a small reader (hundreds of services); anything
  // else a person wrote goes to the YAML library.
  const src = parseSimpleYaml(text, file) ?? parseYamlSource(text, file);
  const v = src.value;
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw validationError(`${file} must be a mapping of answer keys to values`, src.where([]), "write it as `key: value` lines and a `services:` list");
  const known = manifest.questions.map((q) => q.key);
  const top: Record<string, Given> = {};
  const unknown: string[] = [];
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (k === "services") continue;
    if (!known.includes(k)) unknown.push(k);
    else top[k] = { value: val, where: src.valueWhere([k]) };
  }
  if (unknown.length > 0) throw unknownKeysError(file, unknown, [...known, "services"], (k) => src.where([k]), `services, ${known.join(", ")}`);
  const list = (v as Record<string, unknown>).services;
  if (!Array.isArray(list))
    throw validationError(
      `'services' in ${file} must be a list of services`,
      src.where(["services"]),
      "write `services:` then one `- path: <folder>` item per service",
    );
  const services: ServiceEntry[] = [];
  const seen = new Map<string, string>();
  list.forEach((item, i) => {
    const where = src.where(["services", i]);
    if (item === null || typeof item !== "object" || Array.isArray(item))
      throw validationError(`service ${i + 1} in ${file} must be a mapping with 'path'`, where, "write `- path: <folder>` and the answers it overrides");
    const o = item as Record<string, unknown>;
    const path = normaliseServicePath(o.path, src.where(["services", i, "path"]));
    if (seen.has(path))
      throw validationError(`service folder '${path}' is listed twice`, where, `remove one of the two entries (the other is at ${seen.get(path)})`);
    seen.set(path, where);
    const given: Record<string, Given> = {};
    for (const [k, val] of Object.entries(o)) {
      if (k === "path") continue;
      if (!spec.keys.includes(k)) {
        const shared = known.includes(k);
        const near = shared ? undefined : didYouMean(k, spec.keys);
        throw validationError(
          shared ? `'${k}' is shared by every service: it cannot be set per service (${path})` : `unknown key '${k}' for service ${path}`,
          src.where(["services", i, k]),
          shared ? `move it to the top of ${file}` : near ? `did you mean '${near}'?` : `a service may set: path, ${spec.keys.join(", ")}`,
        );
      }
      given[k] = { value: val, where: src.valueWhere(["services", i, k]) };
    }
    services.push({ path, given, where });
  });
  return { top, services };
}

export interface ResolveServicesOptions {
  /** Facts about the repository root (owner, repository URL). */
  detectRoot: () => Promise<Detected>;
  /** Facts about one service folder. */
  detectService: (path: string) => Promise<Detected>;
  /** The folder its image is built from, when not its own (see ResolvedService.context). */
  contextOf?: (path: string, answers: Answers) => Promise<string | undefined>;
  /** What outside its folder the service's build reads (see ResolvedService.watch). */
  watchOf?: (path: string, answers: Answers) => Promise<string[]>;
  /** Interactive create only: asks the questions of one service (path shown by the caller). */
  askService?: (path: string) => Asker | undefined;
  askTop?: Asker;
}

/** Settle the repository's answers, then every service's (shared answers first, its own on top). */
export async function resolveServices(manifest: PackManifest, model: ServicesModel, opts: ResolveServicesOptions): Promise<ResolvedRepository> {
  const spec = servicesSpec(manifest);
  if (model.services.length === 0)
    throw validationError("the services list is empty", undefined, `add a service with \`${toolCommand()} add <folder>\`, or list them under \`services:\``);
  const serviceKeys = new Set(spec.keys);
  // A service answer without a default (a public host) may be given per service only: each
  // service's own resolution says when one has none.
  // A shared answer whose default reads a service answer (the canary analysis reads metricsPath)
  // settles once for every service: when a service detects that answer empty (it exports no
  // metrics), the shared default is settled as for that service, not as for none.
  const readByShared = new Set(manifest.questions.filter((q) => !serviceKeys.has(q.key)).flatMap((q) => defaultKeys(q.default)));
  const detectRoot = async (): Promise<Detected> => {
    const root = await opts.detectRoot();
    const out: Record<string, AnswerValue | undefined> = { ...root };
    for (const k of [...serviceKeys].filter((k) => readByShared.has(k) && model.top[k] === undefined)) {
      // Nothing detected where the pack's default is empty (no request metric known) is empty too.
      const q = manifest.questions.find((x) => x.key === k);
      const emptyDefault = q !== undefined && resolveDefault(q, {}, {})?.value === "";
      const seen: AnswerValue[] = [];
      for (const s of model.services) {
        if (s.given[k] !== undefined) {
          seen.push(s.given[k].value as AnswerValue);
          continue;
        }
        const v = (await opts.detectService(s.path))[k];
        if (v === "" || (v === undefined && emptyDefault)) {
          out[k] = "";
          break;
        }
        if (v !== undefined) seen.push(v);
      }
      // Every service has one (each its own request metric): the shared default is settled as with one.
      if (out[k] === undefined && emptyDefault && seen.length === model.services.length && seen[0] !== undefined) out[k] = seen[0];
    }
    return out;
  };
  const topResolved = await resolveAnswers(manifest, { given: model.top, detected: detectRoot, asker: opts.askTop, optional: serviceKeys });
  const top = topResolved.answers;
  // What every service inherits: the repository's shared answers as settled, and the service
  // answers written at the top (the repository's own name excepted).
  const inherited: Record<string, Given> = {};
  for (const [k, v] of Object.entries(top)) if (!serviceKeys.has(k)) inherited[k] = { value: v, where: model.top[k]?.where ?? `${k} (shared)` };
  for (const [k, g] of Object.entries(model.top)) if (serviceKeys.has(k) && k !== "name") inherited[k] = g;
  const services: ResolvedService[] = [];
  for (const s of model.services) {
    let r: Resolved;
    try {
      r = await resolveAnswers(manifest, { given: { ...inherited, ...s.given }, detected: () => opts.detectService(s.path), asker: opts.askService?.(s.path) });
    } catch (e) {
      // (A cancelled prompt has said so already: it is not the service's error.)
      if (e instanceof PipelineError && e.code !== "cancelled" && !e.message.includes(`service ${s.path}`))
        throw new PipelineError(e.code, `service ${s.path}: ${e.message}`, { where: e.where ?? s.where, hint: e.hint });
      throw e;
    }
    const context = await opts.contextOf?.(s.path, r.answers);
    const watch = (await opts.watchOf?.(s.path, r.answers)) ?? [];
    services.push({
      path: s.path,
      answers: r.answers,
      sources: r.sources,
      ...(context !== undefined && context !== s.path ? { context } : {}),
      ...(watch.length > 0 ? { watch } : {}),
    });
  }
  checkDistinct(services, model);
  return { top, topSources: topResolved.sources, services };
}

function checkDistinct(services: readonly ResolvedService[], model?: ServicesModel): void {
  const byName = new Map<string, string>();
  for (const s of services) {
    const name = String(s.answers.name);
    const other = byName.get(name);
    if (other !== undefined)
      throw validationError(
        `services ${other} and ${s.path} are both named '${name}'`,
        model?.services.find((e) => e.path === s.path)?.where,
        `give one of them its own name (\`name:\` under its entry in the services list)`,
      );
    byName.set(name, s.path);
  }
  // The first service in the list whose folder holds p ("." holds every other one): each of p's
  // parent folders looked up, not every pair compared (hundreds of services).
  const first = new Map<string, number>();
  services.forEach((s, i) => {
    if (!first.has(s.path)) first.set(s.path, i);
  });
  for (const { path: p } of services) {
    let at = p === "." ? undefined : first.get(".");
    for (let i = p.indexOf("/"); i !== -1; i = p.indexOf("/", i + 1)) {
      const j = first.get(p.slice(0, i));
      if (j !== undefined && (at === undefined || j < at)) at = j;
    }
    const outer = at === undefined ? undefined : services[at]!.path;
    if (outer !== undefined && outer !== ".")
      throw validationError(
        `service folder '${p}' is inside service folder '${outer}'`,
        model?.services.find((e) => e.path === p)?.where,
        "services must not nest; list the inner one only, or move it",
      );
  }
}

// (A one-service render's refusal of answers for several services only: ./services-only.ts.)
export { refuseServicesOnly } from "./services-only.js";

/** The partial packs used for a repository of several services (built once per pack). */
const parts = new WeakMap<Pack, { service: Pack; repository: Pack; inFolder: RegExp[]; prefix: string }>();

function partsOf(pack: Pack) {
  const cached = parts.get(pack);
  if (cached) return cached;
  const spec = servicesSpec(pack.manifest);
  const logical = (t: string) => t.replace(/\.eta$/, "");
  const res = (globs: readonly string[]) => globs.map(globToRegExp);
  const inFolder = res(spec.inFolder);
  const perService = res(spec.perService);
  const shared = res(spec.shared);
  const prefix = `${spec.repository}/`;
  const matches = (rs: RegExp[], t: string) => rs.some((r) => r.test(logical(t)));
  const pick = (f: (t: string) => boolean) => new Map([...pack.files].filter(([t]) => f(t)));
  const built = {
    service: { ...pack, servicesPart: "service" as const, files: pick((t) => matches(inFolder, t) || matches(perService, t)) },
    repository: { ...pack, servicesPart: "repository" as const, files: pick((t) => !matches(perService, t) && (t.startsWith(prefix) || matches(shared, t))) },
    inFolder,
    prefix,
  };
  parts.set(pack, built);
  return built;
}

/** Render the whole repository: every service's files and the repository's own. Pure. */
export function renderServices(pack: Pack, repo: ResolvedRepository, ctx: RenderContext): Tree {
  return underOneLimit(() => renderAll(pack, repo, ctx));
}

function renderAll(pack: Pack, repo: ResolvedRepository, ctx: RenderContext): Tree {
  checkDistinct(repo.services);
  const { service, repository, inFolder, prefix } = partsOf(pack);
  const out = new Map<string, RenderedFile>();
  const put = (path: string, f: RenderedFile, who: string) => {
    const prior = out.get(path);
    if (prior) throw usageError(`two services write '${path}'`, who, "give the services distinct names and folders");
    out.set(path, { ...f, path });
  };
  const strip = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : p);
  for (const s of repo.services) {
    const tree = render(service, { ...s.answers, servicePath: s.path, buildContext: s.context ?? s.path, watchPaths: s.watch ?? [] } as Answers, ctx);
    for (const f of tree.values()) {
      const template = f.template.replace(/^files\//, "").replace(/\.eta$/, "");
      const local = inFolder.some((r) => r.test(template));
      put(local && s.path !== "." ? `${s.path}/${f.path}` : strip(f.path), f, s.path);
    }
  }
  const listed = repo.services.map((s) => ({ ...s.answers, path: s.path, buildContext: s.context ?? s.path }));
  const tree = render(repository, { ...repo.top, services: listed } as unknown as Answers, ctx);
  for (const f of tree.values()) put(strip(f.path), f, "the repository");
  // A service folder may not hold another service's files.
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The answers file for a new repository of several services. Service answers that every service
 * shares move to the top (convention over configuration); each service lists its path, its name
 * and only what differs from the top.
 */
export function serializeServicesAnswers(manifest: PackManifest, repo: ResolvedRepository, toolVersion: string, packLabel: string): string {
  const spec = servicesSpec(manifest);
  const serviceKeys = new Set(spec.keys);
  const same = (a: AnswerValue | undefined, b: AnswerValue | undefined) => JSON.stringify(a) === JSON.stringify(b);
  const hoisted = new Map<string, AnswerValue>();
  if (repo.services.length > 1) {
    for (const k of spec.keys) {
      if (k === "name") continue;
      const first = repo.services[0]!.answers[k];
      if (first !== undefined && repo.services.every((s) => same(s.answers[k], first))) hoisted.set(k, first);
    }
  }
  const lines: string[] = [
    schemaLine(),
    packLine(packLabel),
    "# Answers at the top are shared by every service; each service lists its folder and only what differs.",
    `# Edit them and run \`${toolCommand(toolVersion)} update\`; add a service with \`${toolCommand(toolVersion)} add <folder>\`.`,
  ];
  const entry = (k: string, v: AnswerValue, indent: string) =>
    Array.isArray(v) ? `${indent}${k}:\n${v.map((i) => `${indent}  - ${yamlScalar(i)}`).join("\n")}` : `${indent}${k}: ${yamlScalar(v)}`;
  const notYet = new Set(spec.notYet);
  for (const q of manifest.questions) {
    if (notYet.has(q.key)) continue;
    if (serviceKeys.has(q.key) && q.key !== "name") {
      if (hoisted.has(q.key)) lines.push(entry(q.key, hoisted.get(q.key)!, ""));
      continue;
    }
    if (q.key in repo.top) lines.push(entry(q.key, repo.top[q.key]!, ""));
  }
  lines.push("services:");
  for (const s of repo.services) lines.push(serviceEntryText(manifest, s, hoisted));
  return `${lines.join("\n")}\n`;
}

/** One `- path: …` item of the services list (2-space indent), with what differs from the top. */
export function serviceEntryText(manifest: PackManifest, s: ResolvedService, top: ReadonlyMap<string, AnswerValue>): string {
  const spec = servicesSpec(manifest);
  const out = [`  - path: ${yamlScalar(s.path)}`];
  for (const k of spec.keys) {
    const v = s.answers[k];
    if (v === undefined || (k !== "name" && JSON.stringify(top.get(k)) === JSON.stringify(v))) continue;
    out.push(Array.isArray(v) ? `    ${k}:\n${v.map((i) => `      - ${yamlScalar(i)}`).join("\n")}` : `    ${k}: ${yamlScalar(v)}`);
  }
  return out.join("\n");
}

/** The service answers written at the top of a parsed file (what a new service inherits). */
export function topServiceAnswers(manifest: PackManifest, model: ServicesModel): Map<string, AnswerValue> {
  const spec = servicesSpec(manifest);
  const m = new Map<string, AnswerValue>();
  for (const k of spec.keys) if (k !== "name" && model.top[k] !== undefined) m.set(k, model.top[k]!.value as AnswerValue);
  return m;
}
