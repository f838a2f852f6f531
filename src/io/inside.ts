import { lstatSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { PipelineError } from "../core/errors.js";

const realOf = new Map<string, string>();

/** The real path of the target (symlinks in the path up to it are the user's choice and are followed). */
function realTarget(target: string): string {
  let r = realOf.get(target);
  if (r === undefined) {
    r = realpathSync(target);
    realOf.set(target, r);
  }
  return r;
}

/** lstat that answers "nothing there" for a missing path or one under a file. */
function lst(p: string) {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
}

const within = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
};

/**
 * Refuse a path of the target whose real location is outside it: a folder on the way that is a
 * symlink to elsewhere (`.github -> ../elsewhere`), or the file itself a symlink out of the
 * target (reading it would read, and merging it would report, someone else's file). Writes
 * replace a file by rename, so a symlinked file inside is replaced, never written through.
 * `cache` remembers folders already checked (a commit of thousands of files shares a few).
 */
export function assertInside(target: string, rel: string, cache = new Map<string, boolean>(), file = true): void {
  const root = realTarget(target);
  const full = join(target, rel);
  const refuse = (what: string, real: string): never => {
    throw new PipelineError("usage", `'${rel}' ${what} outside the target (${real}): refusing to read or write through it`, {
      where: full,
      hint: `replace the symlink with a real ${what.includes("folder") ? "folder" : "file"}, or remove it, then run again`,
    });
  };
  // The deepest folder on the way that exists, resolved.
  for (let d = dirname(full); ; d = dirname(d)) {
    if (cache.get(d)) break;
    const st = lst(d);
    if (st) {
      const real = realpathSync(d);
      if (!within(root, real)) refuse(`is in a folder (${relative(target, d) || "."}) that leads`, real);
      cache.set(d, true);
      break;
    }
    if (d === dirname(d)) break;
  }
  if (!file) return;
  const st = lst(full);
  if (st?.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(full);
    } catch {
      return; // a dangling link: rename replaces it, nothing outside is read
    }
    if (!within(root, real)) refuse("is a symlink that points", real);
  }
}
