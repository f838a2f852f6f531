import { isUtf8 } from "node:buffer";
import { lstatSync, readlinkSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { usageError } from "../core/errors.js";
import { assertInside, assertLinkInside } from "./inside.js";
import { type ReadOptions, readRegularBytes, readUnlessLink } from "./read.js";

/** The target must be a folder or not exist yet. */
export function checkTarget(target: string): "exists" | "absent" {
  try {
    const s = statSync(target);
    if (!s.isDirectory()) throw usageError(`target '${target}' is a file, not a folder`, target, "give a folder (it is created if it does not exist)");
    return "exists";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR")
      throw usageError(`target '${target}' is below a file, not a folder`, target, "give a folder whose parent folders are folders");
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    // A symlink to nothing: the folder would be made beside it and could not take its place.
    if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink())
      throw usageError(
        `target '${target}' is a symlink to '${readlinkSync(target)}', which does not exist`,
        target,
        "create the folder it points to, or remove the link (the folder is then created), then run again",
      );
    return "absent";
  }
}

/**
 * Read what is on disk for each path; undefined when absent. `absentLikely` names the paths that
 * are probably not there (a create's new files, a file that was missing when the plan was made):
 * for those an lstat that throws nothing asks first, as a failed open costs several times more (an
 * error object per file, thousands in a repository of hundreds of services); the answer is the same.
 */
export function readFiles(target: string, paths: Iterable<string>, absentLikely?: (path: string) => boolean): Map<string, string | undefined> {
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
    if (absentLikely?.(p) && lstatOrNothing(full) === undefined) {
      out.set(p, undefined);
      continue;
    }
    const got = readUnlessLink(full);
    if (got === "link") {
      assertLinkInside(target, p);
      out.set(p, readText(full, lstatOrNothing(full)));
    } else if (got === "folder") out.set(p, readText(full, lstatOrNothing(full)));
    else out.set(p, got === undefined ? undefined : decode(full, got.bytes));
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

/**
 * Files read that are not UTF-8 (full path → where the first such byte is): their text has U+FFFD
 * in place of those bytes, so writing it back would change them (see refuseUndecodable).
 */
const notUtf8 = new Map<string, string>();

/** Where the first byte that is not UTF-8 is: "line N, byte 0xXY". */
function firstBadByte(buf: Buffer): string {
  let line = 1;
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 1 && !isUtf8(buf.subarray(i, i + len))) return `line ${line}, byte 0x${b.toString(16).toUpperCase()}`;
    if (len === 0) return `line ${line}, byte 0x${b.toString(16).toUpperCase()}`;
    if (b === 0x0a) line++;
    i += len;
  }
  return `line ${line}`;
}

/**
 * Refuse to rewrite a file whose bytes are not UTF-8 (a Latin-1 é, a stray 0xFF): merging text
 * into it would replace those bytes with U+FFFD. `paths` are the files the run is about to write
 * with the user's content in them (merges, conflicts, the answers file). Exit 2, nothing written.
 */
export function refuseUndecodable(target: string, paths: Iterable<string>): void {
  for (const p of paths) {
    const at = notUtf8.get(join(target, p));
    if (at)
      throw usageError(
        `'${p}' is not UTF-8 text (${at}): create-pipeline merges text as UTF-8, so writing your edits back would change those bytes; nothing was written`,
        join(target, p),
        `convert it to UTF-8 (for Latin-1: \`iconv -f latin1 -t utf-8 ${p} > ${p}.utf8 && mv ${p}.utf8 ${p}\`), then run again`,
      );
  }
}

/** Where a file read last is not UTF-8 ("line N, byte 0xXY"); undefined when it is UTF-8 (or was not read). */
export const notUtf8At = (target: string, path: string): string | undefined => notUtf8.get(join(target, path));

/** The text of a file read, remembering whether its bytes were UTF-8. */
function decode(full: string, buf: Buffer): string {
  if (isUtf8(buf)) notUtf8.delete(full);
  else notUtf8.set(full, firstBadByte(buf));
  return buf.toString("utf8");
}

export function readText(full: string, known?: Stats, opts: ReadOptions = {}): string | undefined {
  try {
    const s = known ?? lstatSync(full);
    if (s.isDirectory()) throw usageError(`'${full}' is a folder where a file is to be written`, full, "move or rename that folder");
    return decode(full, readRegularBytes(full, "file", opts));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}

/**
 * For commit's changedSince: reads now (when the plan is made, before any prompt) every path the
 * plan writes or deletes, a rename's old name too, and returns what tells, at commit time, which
 * of them no longer hold those bytes. Both reads are the same reader, so no decoding or size limit
 * of another reader can make a file look changed. `planned`: what the plan itself read, by path
 * (with readFiles or readTargetFile, which decode alike), taken in place of the read made now, so
 * an edit made while the plan was being made (a prompt of --reconfigure, the render) counts too.
 */
export function changedSincePlan(
  target: string,
  entries: readonly { path: string; from?: string }[],
  planned?: ReadonlyMap<string, string | undefined>,
): () => string[] {
  const paths = [...new Set(entries.flatMap((e) => (e.from ? [e.from, e.path] : [e.path])))];
  // What the plan read is taken as it is: only the other paths are read now.
  const then = readFiles(target, planned ? paths.filter((p) => !planned.has(p)) : paths);
  if (planned) for (const p of paths) if (planned.has(p)) then.set(p, planned.get(p));
  return () => {
    const now = readFiles(target, paths, (p) => then.get(p) === undefined);
    return paths.filter((p) => now.get(p) !== then.get(p));
  };
}
