// Build step: the built-in packs are loaded (and so validated) once at build time and shipped
// beside the bundle with their templates already compiled, so a run reads two files instead of
// parsing YAML, walking folders and parsing every template:
// - dist/packs/<name>.json: the manifest, data and the templates that are not eta;
// - dist/packs/<name>.templates.js: one script whose value is every compiled template, keyed
//   ("files/<path>", "partials/<name>", the next-steps text), but those only a repository of
//   several services renders (<name>.services.templates.js). A script (not a function per
//   template made at run time) so V8 compiles the templates in one go, and so its compiled code
//   can be kept between runs (src/io/code-cache.ts).
import { createHash } from "node:crypto";
import { NEXT_STEPS, newEta, templateSource } from "../core/render.js";
import { loadPackDir } from "../io/pack-dir.js";

export interface Snapshot {
  /** dist/packs/<name>.json */
  json: string;
  /** The compiled templates' scripts by file name: <name>.templates.js, <name>.services.templates.js. */
  scripts: Record<string, string>;
}

export async function snapshotPack(dir: string, name: string): Promise<Snapshot> {
  const pack = await loadPackDir(dir, { kind: "builtin", name });
  // Built-in templates are tested over the whole option space, so they are compiled without the
  // line tracking that locates runtime errors in a pack being written: half the size, less to parse.
  const eta = newEta(false);
  const precompiled: [string, string][] = [];
  for (const [path, text] of pack.files) {
    if (path.endsWith(".eta")) precompiled.push([`files/${path}`, eta.compileToString(templateSource(`files/${path}`, text))]);
  }
  if (pack.manifest.nextSteps) precompiled.push([NEXT_STEPS, eta.compileToString(templateSource(NEXT_STEPS, pack.manifest.nextSteps))]);
  for (const [partial, text] of pack.partials) precompiled.push([`partials/${partial}`, eta.compileToString(templateSource(`partials/${partial}`, text))]);
  // Each body must stand alone as a function body (as eta's own compile() needs): then it cannot
  // reach outside its function in the one script.
  for (const [key, body] of precompiled) {
    try {
      new Function("it", "options", body);
    } catch (e) {
      throw new Error(`${dir}: ${key} does not compile: ${(e as Error).message}`);
    }
  }
  // The templates only a repository of several services renders are a script of their own, so a
  // one-service run never reads or parses them.
  const servicesPrefix = pack.manifest.services ? `files/${pack.manifest.services.repository}/` : undefined;
  const inServices = (key: string) => servicesPrefix !== undefined && key.startsWith(servicesPrefix);
  const parts = [
    { file: `${name}.templates.js`, prefix: undefined, members: precompiled.filter(([k]) => !inServices(k)) },
    { file: `${name}.services.templates.js`, prefix: servicesPrefix, members: precompiled.filter(([k]) => inServices(k)) },
  ].filter((p) => p.members.length > 0);
  // The same construction as eta's own compile() (`new Function("it", "options", body)`), as
  // members of one object literal: sloppy functions of the global scope, `this` the eta instance.
  // Each in parentheses, which V8 takes as a sign to compile it with the script: a run uses most
  // of them, and compiling once beats pre-parsing all and parsing the used ones again when they run
  // (and the code kept between runs then holds every template).
  const scripts = parts.map((p) => ({
    ...p,
    source: `({\n${p.members.map(([key, body]) => `${JSON.stringify(key)}: (function (it, options) {\n${body}\n})`).join(",\n")}\n})\n`,
  }));
  // A precompiled template's text is not needed again (its function carries it for error context).
  const compiledKeys = new Set(precompiled.map(([k]) => k));
  const files = [...pack.files].map(([p, t]) => [p, compiledKeys.has(`files/${p}`) ? "" : t]);
  const partials = [...pack.partials].map(([p, t]) => [p, compiledKeys.has(`partials/${p}`) ? "" : t]);
  const json = JSON.stringify({
    manifest: pack.manifest,
    files,
    partials,
    data: pack.data,
    templates: {
      // Each script, the templates it holds (keys under `prefix`, or every other), and a hash of
      // its content: the key of its compiled code kept between runs.
      parts: scripts.map((p) => ({ file: p.file, prefix: p.prefix, sha256: createHash("sha256").update(p.source).digest("hex") })),
      // Whether a template calls h.yaml (the YAML library is then loaded with the pack).
      usesYaml: precompiled.some(([, body]) => /\bh\.yaml\b/.test(body)),
    },
  });
  return { json, scripts: Object.fromEntries(scripts.map((p) => [p.file, p.source])) };
}

/** Write a pack's snapshot into a folder (dist/packs): <name>.json and <name>.templates.js. */
export async function writeSnapshot(dir: string, name: string, outDir: string): Promise<void> {
  const { writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const s = await snapshotPack(dir, name);
  for (const [file, source] of Object.entries(s.scripts)) writeFileSync(join(outDir, file), source);
  writeFileSync(join(outDir, `${name}.json`), s.json);
}
