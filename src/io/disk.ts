import { lstatSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { usageError } from "../core/errors.js";
import { assertInside, assertLinkInside } from "./inside.js";
import { type ReadOptions, readRegularFile } from "./read.js";

/** The target must be a folder or not exist yet. */
export function checkTarget(target: string): "exists" | "absent" {
  try {
    const s = statSync(target);
    if (!s.isDirectory()) throw usageError(`target '${target}' is a file, not a folder`, target, "give a folder (it is created if it does not exist)");
    return "exists";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "absent";
    throw e;
  }
}

/** Read what is on disk for each path; undefined when absent. */
export function readFiles(target: string, paths: Iterable<string>): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  // Nothing is read through a symlink that leads outside the target (nor written: commit checks again).
  const checked = new Map<string, boolean>();
  const exists = statSync(target, { throwIfNoEntry: false }) !== undefined;
  for (const p of paths) {
    // A file in a folder that is missing is missing too; else one lstat says what is there.
    if (!exists || !assertInside(target, p, checked, false)) {
      out.set(p, undefined);
      continue;
    }
    const full = join(target, p);
    const st = lstatOrNothing(full);
    if (st?.isSymbolicLink()) assertLinkInside(target, p);
    out.set(p, st === undefined ? undefined : readText(full, st));
  }
  return out;
}

function lstatOrNothing(full: string): Stats | undefined {
  try {
    return lstatSync(full, { throwIfNoEntry: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
}

/**
 * A file of the target read by its name (the tool's state, merge base, answers and schema, the
 * workflows `check` looks at): its real place must be inside the target, and it must be a regular
 * file of sane size (a FIFO, a device or /dev/stdin is refused, never waited on). Undefined: absent.
 */
export function readTargetFile(target: string, rel: string): string | undefined {
  if (statSync(target, { throwIfNoEntry: false }) === undefined || !assertInside(target, rel)) return undefined;
  return readText(join(target, rel), undefined, {
    hint: `replace ${rel} with a regular file (restore it from git, or remove it), then run again`,
  });
}

export function readText(full: string, known?: Stats, opts: ReadOptions = {}): string | undefined {
  try {
    const s = known ?? lstatSync(full);
    if (s.isDirectory()) throw usageError(`'${full}' is a folder where a file is to be written`, full, "move or rename that folder");
    return readRegularFile(full, "file", opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}
