// Build step: the built-in packs are loaded (and so validated) once at build time and shipped as
// JSON beside the bundle with their templates already compiled, so a run reads one file instead
// of parsing YAML, walking folders and parsing every template.
import { NEXT_STEPS, newEta, templateSource } from "../core/render.js";
import { loadPackDir } from "../io/pack-dir.js";

export async function snapshotPack(dir: string, name: string): Promise<string> {
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
  // A precompiled template's text is not needed again (its function carries it for error context).
  const compiledKeys = new Set(precompiled.map(([k]) => k));
  const files = [...pack.files].map(([p, t]) => [p, compiledKeys.has(`files/${p}`) ? "" : t]);
  const partials = [...pack.partials].map(([p, t]) => [p, compiledKeys.has(`partials/${p}`) ? "" : t]);
  return JSON.stringify({ manifest: pack.manifest, files, partials, data: pack.data, precompiled });
}
