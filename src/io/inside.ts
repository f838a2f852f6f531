import { lstatSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { PipelineError } from "../core/errors.js";
import { isDotGit } from "../core/paths.js";

const realOf = new Map<string, string>();

/** The real path of the target (symlinks in the path up to it are the user's choice and are followed). */
function realTarget(target: string): string {
  let r = realOf.get(target);
  if (r === undefined) {
    r = realpathSync.native(target);
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

/** Is this real path (inside the target) in a .git folder (the repository's own, or a nested one)? */
const inGit = (root: string, real: string) => relative(root, real).split(sep).some(isDotGit);

/**
 * Refuse a path of the target whose real location is outside it: a folder on the way that is a
 * symlink to elsewhere (`.github -> ../elsewhere`), or the file itself a symlink out of the
 * target (reading it would read, and merging it would report, someone else's file). Writes
 * replace a file by rename, so a symlinked file inside is replaced, never written through.
 * `cache` remembers folders already checked (a commit of thousands of files shares a few).
 * Returns whether the file's folder exists (a file in a missing folder is not there either).
 */
export function assertInside(target: string, rel: string, cache = new Map<string, boolean>(), file = true): boolean {
  const root = realTarget(target);
  const full = join(target, rel);
  const refuse = (what: string, real: string): never => {
    throw new PipelineError("usage", `'${rel}' ${what} outside the target (${real}): refusing to read or write through it`, {
      where: full,
      hint: `replace the symlink with a real ${what.includes("folder") ? "folder" : "file"}, or remove it, then run again`,
    });
  };
  // The deepest folder on the way that exists, resolved. The cache says of a folder: true, it
  // exists and is inside; false, it is missing (and the folder above it that exists is inside).
  const parent = dirname(full);
  const missing: string[] = [];
  for (let d = parent; ; d = dirname(d)) {
    if (cache.has(d)) break;
    const st = lst(d);
    if (st) {
      const real = realpathSync.native(d);
      if (!within(root, real)) refuse(`is in a folder (${relative(target, d) || "."}) that leads`, real);
      if (inGit(root, real))
        throw new PipelineError(
          "usage",
          `'${rel}' is in a folder (${relative(target, d) || "."}) that leads into .git (${real}): refusing to read or write git's own files through it`,
          {
            where: full,
            hint: `replace the symlink ${relative(target, d)} with a real folder, or remove it, then run again`,
          },
        );
      cache.set(d, true);
      break;
    }
    missing.push(d);
    if (d === dirname(d)) break;
  }
  for (const d of missing) cache.set(d, false);
  const parentExists = cache.get(parent) === true;
  if (!file || !parentExists) return parentExists;
  if (lst(full)?.isSymbolicLink()) assertLinkInside(target, rel);
  return true;
}

/** A file of the target that is a symlink must lead inside the target (a dangling one is fine: rename replaces it). */
export function assertLinkInside(target: string, rel: string): void {
  const full = join(target, rel);
  let real: string;
  try {
    real = realpathSync.native(full);
  } catch {
    return; // a dangling link: rename replaces it, nothing outside is read
  }
  if (!within(realTarget(target), real))
    throw new PipelineError("usage", `'${rel}' is a symlink that points outside the target (${real}): refusing to read or write through it`, {
      where: full,
      hint: "replace the symlink with a real file, or remove it, then run again",
    });
  if (inGit(realTarget(target), real))
    throw new PipelineError("usage", `'${rel}' is a symlink into .git (${real}): refusing to read or write git's own files through it`, {
      where: full,
      hint: "replace the symlink with a real file, or remove it, then run again",
    });
}

/**
 * The first part of `rel` inside the target (a folder on the way, or the file itself) that is a
 * symlink, if any. GitHub does not follow a symlinked workflow file or `.github` folder, so a
 * generated workflow reached through one does not run even when its content is right.
 */
export function symlinkOnTheWay(target: string, rel: string, folders?: Map<string, "link" | "folder" | "missing">): string | undefined {
  const parts = rel.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join("/");
    // The folders on the way are shared by many paths: asked once per run of paths (`folders`).
    let kind = i < parts.length ? folders?.get(sub) : undefined;
    if (kind === undefined) {
      const st = lst(join(target, sub));
      kind = st === undefined ? "missing" : st.isSymbolicLink() ? "link" : "folder";
      if (i < parts.length) folders?.set(sub, kind);
    }
    if (kind === "missing") return undefined;
    if (kind === "link") return sub;
  }
  return undefined;
}

/**
 * Refuse a run that would change or delete a file of the target that is a symlink, or that is
 * reached through one (a folder on the way, the state folder included), wherever it leads:
 * replacing it by rename would turn the link into a regular file and leave what it pointed to
 * stale, and deleting it would delete the link. Exit 2 naming each path; nothing is written.
 */
export function refuseSymlinkedChanges(target: string, paths: Iterable<string>, command: string): void {
  const hits: { path: string; link: string }[] = [];
  const folders = new Map<string, "link" | "folder" | "missing">();
  for (const path of new Set(paths)) {
    const link = symlinkOnTheWay(target, path, folders);
    if (link !== undefined) hits.push({ path, link });
  }
  if (!hits.length) return;
  const what = (h: { path: string; link: string }) =>
    h.link === h.path ? `'${h.path}' is a symlink` : `'${h.path}' is reached through the symlink '${h.link}'`;
  throw new PipelineError(
    "usage",
    `${command} would change or delete files that are symlinks: ${hits
      .slice(0, 10)
      .map(what)
      .join("; ")}${hits.length > 10 ? `; and ${hits.length - 10} more` : ""}: nothing was written`,
    {
      where: join(target, hits[0]!.link),
      hint: "replace each symlink with a real file or folder (a copy of what it points to), or remove it, then run again",
    },
  );
}
