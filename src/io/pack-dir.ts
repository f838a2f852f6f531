// Loading a template pack from a folder: its manifest (checked), files, partials and data. Used for
// local and git packs, and at build time for the built-in ones (which then ship as a snapshot).
import { lstatSync, readdirSync, realpathSync } from "node:fs";
import { basename, isAbsolute, join, relative, sep } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { packError, PipelineError } from "../core/errors.js";
import { setYamlStringify } from "../core/helpers.js";
import { parseManifest } from "../core/manifest.js";
import { unsafePath } from "../core/paths.js";
import * as semver from "../core/semver.js";
import type { Pack, PackSource } from "../core/types.js";
import { PACKAGE_NAME } from "../product.js";
import { TOOL_VERSION } from "../version.js";
import { readRegularFile } from "./read.js";

// A pack read from a folder may call h.yaml: the YAML library is loaded here anyway.
setYamlStringify(stringifyYaml);

/** Load and check a pack from a folder: manifest, files, partials, data. Never runs its code. */
export async function loadPackDir(dir: string, source: PackSource): Promise<Pack> {
  const manifestPath = join(dir, "template.yaml");
  let text: string;
  if (lstatSync(manifestPath, { throwIfNoEntry: false })?.isSymbolicLink())
    throw packError("the pack's template.yaml is a symlink; packs must hold real files", manifestPath, "replace the symlink with a real file");
  try {
    text = readRegularFile(manifestPath, "the pack's template.yaml");
  } catch (e) {
    if (e instanceof PipelineError) throw packError(e.message, manifestPath, e.hint);
    throw packError(
      `'${dir}' is not a template pack: it has no template.yaml`,
      manifestPath,
      "a pack holds template.yaml and files/ (see docs/template-authoring.md)",
    );
  }
  const manifest = parseManifest(text, source.kind === "builtin" ? `templates/${source.name}/template.yaml` : manifestPath);
  if (!semver.satisfies(TOOL_VERSION, manifest.engine)) {
    throw new PipelineError(
      "pack",
      `template pack '${manifest.name}' ${manifest.version} needs ${PACKAGE_NAME} ${manifest.engine}, but this is ${PACKAGE_NAME} ${TOOL_VERSION}`,
      {
        where: manifestPath,
        hint: semver.gtr(TOOL_VERSION, manifest.engine)
          ? "use an older version of the pack"
          : `run it with a version of ${PACKAGE_NAME} in ${manifest.engine}${semver.minVersion(manifest.engine) ? `, e.g. npx ${PACKAGE_NAME}@${semver.minVersion(manifest.engine)}` : ""}`,
      },
    );
  }
  const root = realpathSync(dir);
  const files = await readTree(join(dir, "files"), root);
  // A file's name is its output path (before `{{key}}` substitution): one that could never be
  // written is refused whatever the answers, not only when a rule renders it.
  for (const p of files.keys()) {
    const problem = unsafePath(p.replace(/\.eta$/, ""));
    if (problem)
      throw packError(
        `template writes outside the target or to an unsafe path: '${p}' (${problem})`,
        join(dir, "files", p),
        "rename the file: template paths must stay inside the target, outside .git and create-pipeline's own files",
      );
  }
  const partials = new Map<string, string>();
  for (const [p, t] of await readTree(join(dir, "partials"), root)) if (p.endsWith(".eta")) partials.set(p.slice(0, -4), t);
  const data: Record<string, unknown> = {};
  for (const [p, t] of await readTree(join(dir, "data"), root)) {
    if (!/\.ya?ml$/.test(p)) continue;
    try {
      data[basename(p).replace(/\.ya?ml$/, "")] = parseYaml(t);
    } catch (e) {
      throw packError(`data file is not valid YAML: ${(e as Error).message.split("\n")[0]}`, join(dir, "data", p));
    }
  }
  return { manifest, source, files, partials, data };
}

const readPackFile = (full: string) => {
  try {
    return readRegularFile(full, "pack file");
  } catch (e) {
    if (e instanceof PipelineError) throw packError(e.message, full, e.hint);
    throw e;
  }
};

/** Read every file under dir as text; refuse symlinks and anything that resolves outside the pack. */
async function readTree(dir: string, packRoot: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const top = lstatSync(dir, { throwIfNoEntry: false });
  // The folder itself may not be a link either (files/ -> /somewhere/else would be read).
  if (top?.isSymbolicLink())
    throw packError(`pack folder '${basename(dir)}' is a symlink; packs must hold real folders`, dir, "replace the symlink with a real folder");
  if (!top?.isDirectory()) return out;
  // Synchronous reads: a pack is a few dozen small files, and awaiting each costs more than reading it.
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name);
      const rel = relative(dir, full).split(sep).join("/");
      const info = lstatSync(full);
      if (info.isSymbolicLink()) {
        let target: string | undefined;
        try {
          target = realpathSync(full);
        } catch {
          target = undefined;
        }
        if (!target || relative(packRoot, target).startsWith("..") || isAbsolute(relative(packRoot, target)))
          throw packError(`pack file '${rel}' is a symlink that points outside the pack`, full, "replace the symlink with a real file");
        throw packError(`pack file '${rel}' is a symlink; packs must hold real files`, full, "replace the symlink with a real file");
      }
      if (info.isDirectory()) walk(full);
      else if (info.isFile()) out.set(rel, readPackFile(full));
      else throw packError(`pack file '${rel}' is not a regular file (a FIFO, device or socket)`, full, "packs hold only real files and folders");
    }
  };
  walk(dir);
  return out;
}
