import { PACKAGE_NAME, toolCommand } from "../product.js";
import vm from "node:vm";
import { Eta } from "eta/core";
import { evaluate } from "./conditions.js";
import { packError, PipelineError, stoppedMessage } from "./errors.js";
import { globToRegExp } from "./glob.js";
import { helpers } from "./helpers.js";
import { unsafePath } from "./paths.js";
import type { Answers, FileRule, Ownership, Pack, RenderedFile, Tree } from "./types.js";

const ETA_SUFFIX = ".eta";

/**
 * A line holding only a `<% code %>` tag should vanish from the output. Rather than deleting the
 * newline (which would shift eta's line numbers in error messages) it is moved inside the tag.
 */
export function trimCodeLines(src: string): string {
  const lines = src.split("\n");
  let out = "";
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    const m = /^[ \t]*(<%(?![=~])(?:(?!%>).)*)%>[ \t]*$/.exec(line);
    out += m && !last ? `${m[1]}\n%>` : last ? line : `${line}\n`;
  });
  return out;
}

/** `debug` makes compiled templates track their line for runtime errors (at some cost in size). */
export const newEta = (debug = true) => new Eta({ autoEscape: false, autoTrim: false, useWith: false, debug, cache: false });

/** The text eta compiles for a template or partial (the key is "files/<path>" or "partials/<name>"). */
export function templateSource(key: string, text: string): string {
  // A partial is inlined mid-line: its file's final newline is not part of it.
  return trimCodeLines(key.startsWith("partials/") ? text.replace(/\n$/, "") : text);
}

type TemplateFn = ReturnType<Eta["compile"]>;

function compileFor(eta: Eta, pack: Pack, key: string, text: string): TemplateFn {
  // A built-in pack's templates were compiled at build time (src/cli/snapshot.ts).
  const fn = pack.precompiled?.get(key);
  if (fn !== undefined) return fn as unknown as TemplateFn;
  return compileChecked(eta, templateSource(key, text), key);
}

const etaOf = new WeakMap<Pack, Eta>();

/** One eta instance per pack, its partials compiled once (render and renderText share it). */
function makeEta(pack: Pack): Eta {
  const cached = etaOf.get(pack);
  if (cached) return cached;
  const eta = newEta();
  etaOf.set(pack, eta);
  for (const [name, text] of pack.partials) {
    try {
      eta.loadTemplate(`@${name}`, compileFor(eta, pack, `partials/${name}`, text));
    } catch (e) {
      throw asTemplateError(e, `partials/${name}.eta`);
    }
  }
  return eta;
}

/** Compile, turning a JavaScript syntax error into one that names the template line. */
function compileChecked(eta: Eta, text: string, file: string) {
  try {
    return eta.compile(text);
  } catch (e) {
    const code = (() => {
      try {
        return eta.compileToString(text);
      } catch {
        return undefined;
      }
    })();
    let line: number | undefined;
    if (code !== undefined) {
      try {
        new vm.Script(`(function(){${code}\n})`, { filename: "tpl" });
      } catch (se) {
        const at = /tpl:(\d+)/.exec(String((se as Error).stack));
        if (at) {
          const upto = code.split("\n").slice(0, Number(at[1]));
          for (let i = upto.length - 1; i >= 0; i--) {
            const m = /__eta\.line=(\d+)/.exec(upto[i]!);
            if (m) {
              line = Number(m[1]);
              break;
            }
          }
        }
      }
    }
    const msg = (e as Error).message;
    const unclosed = /at line (\d+) col (\d+)/.exec(msg);
    if (unclosed) line = Number(unclosed[1]);
    const first = msg.split("\n").find((l) => l.trim() && !/^Bad template syntax/.test(l)) ?? msg;
    throw packError(`template syntax error: ${first.trim().replace(/:$/, "")}`, `${file}${line ? `:${line}` : ""}`, "fix the template at that line");
  }
}

function asTemplateError(e: unknown, file: string): PipelineError {
  if (e instanceof PipelineError) return e;
  const msg = (e as Error).message ?? String(e);
  const line = /^line (\d+)/.exec(msg)?.[1] ?? /:(\d+)\n/.exec(msg)?.[1];
  const last = msg.split("\n").filter(Boolean).at(-1) ?? msg;
  return packError(`template failed while rendering: ${last}`, `${file}${line ? `:${line}` : ""}`, "fix the template at that line");
}

/** Validate a rendered output path: relative, normalised, inside the target, not git's or the engine's own. */
export function checkSafePath(p: string, template: string): string {
  const problem = unsafePath(p);
  if (problem)
    throw packError(
      `template writes outside the target or to an unsafe path: '${p}' (${problem})`,
      template,
      "template paths must be relative and stay inside the target, outside .git and create-pipeline's own files",
    );
  return p;
}

interface FilePlanItem {
  template: string;
  outPath: string;
  owner: Ownership;
  vars: Record<string, unknown>;
}

function substitute(path: string, vars: Record<string, unknown>, template: string): string {
  return path.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined || v === null || v === "" || typeof v === "object")
      throw packError(`path uses '{{${k}}}' but it has no single value`, template, `answer '${k}' or guard the file with a 'when' rule`);
    return String(v);
  });
}

/** File rules with their globs compiled, per manifest (rendered once per service in a repository of many). */
const rulesOf = new WeakMap<object, { rule: FileRule; re: RegExp }[]>();

/** Which files a pack writes for these answers, and with what variables. */
/** Per pack: each template with the file rules that match it (answers decide only their `when`). */
const templatesOf = new WeakMap<Pack, { template: string; logical: string; matching: FileRule[]; used: string[] }[]>();

function templatesWithRules(pack: Pack) {
  let out = templatesOf.get(pack);
  if (out) return out;
  let rules = rulesOf.get(pack.manifest);
  if (!rules) rulesOf.set(pack.manifest, (rules = pack.manifest.files.map((rule) => ({ rule, re: globToRegExp(rule.match) }))));
  // Templates kept for a repository of several services are not part of a one-service render.
  const only = pack.manifest.services && !pack.servicesPart ? `${pack.manifest.services.repository}/` : undefined;
  out = [];
  for (const template of [...pack.files.keys()].sort()) {
    if (only !== undefined && template.startsWith(only)) continue;
    const logical = template.endsWith(ETA_SUFFIX) ? template.slice(0, -ETA_SUFFIX.length) : template;
    const matching = rules.filter((r) => r.re.test(logical)).map((r) => r.rule);
    const used = [...logical.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g)].map((m) => m[1]!);
    out.push({ template, logical, matching, used });
  }
  templatesOf.set(pack, out);
  return out;
}

export function selectFiles(pack: Pack, answers: Answers): FilePlanItem[] {
  const items: FilePlanItem[] = [];
  const base = { ...answers } as Record<string, unknown>;
  for (const { template, logical, matching, used } of templatesWithRules(pack)) {
    if (!matching.every((r) => evaluate(r.when, answers))) continue;
    const owner = matching.reduce<Ownership>((o, r) => r.owner ?? o, "managed");
    const each = matching.find((r) => r.each)?.each;
    const list = each ? answers[each.key] : [undefined];
    for (const item of Array.isArray(list) ? list : []) {
      const vars = each ? { ...base, [each.as]: item } : base;
      const outPath = used.length ? substitute(logical, vars, `files/${template}`) : logical;
      try {
        checkSafePath(outPath, `files/${template}`);
      } catch (e) {
        if (used.length === 0) throw e;
        // The path is unsafe because of an answer: say which one, so the user can fix it.
        const shown = used.map((k) => `${k}='${String(vars[k])}'`).join(", ");
        throw packError(
          `the answer ${shown} makes files/${template} write to '${outPath}', outside the target or to an unsafe path`,
          `files/${template}`,
          `give ${used.map((k) => (each && k === each.as ? each.key : k)).join(", ")} a plain relative name (no '..', no leading '/' or '\\')`,
        );
      }
      items.push({ template, outPath, owner, vars });
    }
  }
  return items;
}

export function normalise(text: string): string {
  const lf = (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text).trimEnd();
  return lf.length ? `${lf}\n` : "";
}

export interface RenderContext {
  toolVersion: string;
}

/**
 * What templates know of the tool: `it.tool.version`, `it.tool.package` (the npm name) and
 * `it.tool.command` (`npx <package>@<version>`, the one way generated files tell people to run it).
 */
const toolContext = (version: string) => ({ version, package: PACKAGE_NAME, command: toolCommand(version) });

/** Render a pack for a set of answers: pure, in memory, deterministic. */
/** Compiled templates per pack, kept across renders (a repository of many services renders the same pack once per service). */
const compiledOf = new WeakMap<Pack, Map<string, ReturnType<Eta["compile"]>>>();

export function render(pack: Pack, answers: Answers, ctx: RenderContext): Tree {
  const eta = makeEta(pack);
  let compiled = compiledOf.get(pack);
  if (!compiled) compiledOf.set(pack, (compiled = new Map()));
  const out = new Map<string, RenderedFile>();
  const common = {
    data: pack.data,
    pack: { name: pack.manifest.name, version: pack.manifest.version },
    tool: toolContext(ctx.toolVersion),
    h: helpers,
  };
  const items = selectFiles(pack, answers);
  // One time limit around the whole tree (arming the limit costs a watchdog per call, which a
  // repository of many services would pay thousands of times); `current` names the template
  // that was running when it fired.
  let current = "";
  const contents = limited(
    () =>
      items.map((item) => {
        const src = pack.files.get(item.template)!;
        if (!item.template.endsWith(ETA_SUFFIX)) return src;
        const file = (current = running = `files/${item.template}`);
        let fn = compiled.get(item.template);
        if (!fn) {
          fn = compileFor(eta, pack, file, src);
          compiled.set(item.template, fn);
        }
        try {
          return fn.call(eta, { ...item.vars, ...common }, { async: false, filepath: file } as never) as string;
        } catch (e) {
          throw asTemplateError(e, file);
        }
      }),
    () => current,
  );
  for (const [i, item] of items.entries()) {
    const file = `files/${item.template}`;
    const content = contents[i]!;
    if (content.length > MAX_FILE_SIZE)
      throw packError(
        `${file} renders ${Math.round(content.length / 1e6)} MB for '${item.outPath}'; a generated file is limited to ${MAX_FILE_SIZE / 1e6} MB`,
        file,
        "check the answers that feed it (a very long value?) or the template's loops",
      );
    const text = normalise(content);
    if (text === "") continue;
    if (out.has(item.outPath))
      throw packError(`two templates write '${item.outPath}'`, `${out.get(item.outPath)!.template} and ${file}`, "make their file rules exclusive");
    out.set(item.outPath, { path: item.outPath, content: text, owner: item.owner, template: file });
  }
  // A path cannot be both a file and a folder ("app" and "app/main.go"): the commit would fail half-way.
  const paths = [...out.keys()].sort();
  for (const p of paths) {
    const clash = paths.find((q) => q.startsWith(`${p}/`));
    if (clash)
      throw packError(
        `'${p}' is written as a file and also holds '${clash}'`,
        `${out.get(p)!.template} and ${out.get(clash)!.template}`,
        "make their paths or file rules exclusive",
      );
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Render a free-standing eta string (the pack's next-steps text) with the same context. */
/** The key of the pack's next-steps text among precompiled templates and in error messages. */
export const NEXT_STEPS = "template.yaml#nextSteps";

/** The largest file a template may produce (characters). */
export const MAX_FILE_SIZE = 5_000_000;

/**
 * How long one render may run (ms): one service's tree, or every service of a repository of
 * several (renderServices); CREATE_PIPELINE_RENDER_TIMEOUT_MS overrides.
 */
const renderTimeout = () => {
  const v = Number(typeof process !== "undefined" ? process.env.CREATE_PIPELINE_RENDER_TIMEOUT_MS : undefined);
  return Number.isFinite(v) && v > 0 ? v : 10_000;
};

/** The script that runs a template under the time limit (made on first render, not at start-up):
 * it calls the work parked on a global for the duration of the call, in this context (a context of
 * its own would cost a new V8 context per run for nothing: the work is a closure from here). */
const WORK = "__createPipelineRenderWork";
let runner: vm.Script | undefined;

/**
 * While a template runs, JavaScript signal handlers cannot (the thread is busy in it): SIGINT
 * interrupts the template itself (`breakOnSigint`) and ends as "cancelled"; SIGTERM and SIGHUP
 * are held by the run's handlers until the template returns or reaches its time limit, and then
 * stop the run with its one line (nothing is written before the commit).
 */
/** The template running now, named by a time limit that fires (a render inside another's limit). */
let running = "";
/** Is a time limit armed? A render inside one runs under it (arming one costs a watchdog thread). */
let armed = false;

/** Run a template function with a time limit: `<% while (true) {} %>` stops the run instead of hanging it. */
function limited<T>(work: () => T, which: string | (() => string)): T {
  if (armed) return work();
  const g = globalThis as Record<string, unknown>;
  g[WORK] = work;
  armed = true;
  try {
    runner ??= new vm.Script(`globalThis.${WORK}()`, { filename: "create-pipeline-render" });
    return runner.runInThisContext({ timeout: renderTimeout(), breakOnSigint: true }) as T;
  } catch (e) {
    const file = typeof which === "string" ? which : which();
    const code = (e as { code?: string })?.code;
    if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT")
      throw packError(
        `template ${file} did not finish within ${renderTimeout() / 1000} s (an endless loop?)`,
        file,
        "fix the template's loop; CREATE_PIPELINE_RENDER_TIMEOUT_MS raises the limit",
      );
    if (code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
      throw new PipelineError("cancelled", stoppedMessage("SIGINT", `nothing was written (it was rendering ${file})`), { signal: "SIGINT" });
    throw e;
  } finally {
    armed = false;
    delete g[WORK];
  }
}

/**
 * Run several renders under one time limit (a repository of many services: one watchdog instead
 * of one per service); a limit that fires names the template that was running.
 */
export const underOneLimit = <T>(work: () => T): T => limited(work, () => running);

export function renderText(pack: Pack, text: string, answers: Answers, ctx: RenderContext): string {
  const eta = makeEta(pack);
  const fn = compileFor(eta, pack, NEXT_STEPS, text);
  try {
    return normalise(
      limited(
        () =>
          fn.call(
            eta,
            { ...answers, data: pack.data, pack: { name: pack.manifest.name, version: pack.manifest.version }, tool: toolContext(ctx.toolVersion), h: helpers },
            { async: false } as never,
          ),
        NEXT_STEPS,
      ),
    );
  } catch (e) {
    throw asTemplateError(e, NEXT_STEPS);
  }
}
