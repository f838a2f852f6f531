// One rule for every path the engine writes, reads or deletes in the target, wherever it comes
// from: a rendered template path, a key of the state file or merge base, a pack migration, a
// service folder in the answers, the commit journal.

/**
 * Code points HFS+ (macOS) ignores when it compares names: `.g\u200cit` is `.git` there. The same
 * list git uses to refuse such paths (git's `utf8.c`, `next_hfs_char`).
 */
// eslint-disable-next-line no-misleading-character-class
const HFS_IGNORABLE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * The name a case-insensitive file system (Windows, macOS) opens for this path segment: lower
 * case, without HFS+-ignorable code points, without an NTFS stream suffix (`.git::$INDEX_ALLOCATION`
 * is the folder `.git`), and without the trailing dots and spaces Windows drops (`.git.`, `.git `).
 */
export function fsName(seg: string): string {
  let s = seg.replace(HFS_IGNORABLE, "").toLowerCase();
  const colon = s.indexOf(":");
  if (colon >= 0) s = s.slice(0, colon);
  return s.replace(/[. ]+$/, "");
}

/** Is this segment git's folder on some file system: `.git`, `.GIT`, `.git.`, `.git `, or its NTFS short name `git~1`? */
export const isDotGit = (seg: string) => {
  const n = fsName(seg);
  return n === ".git" || /^git~\d+$/.test(n);
};

/** The engine's own files: no pack may write them, no state entry may name them. */
export const isEnginePath = (p: string) => {
  const segs = p.split("/");
  const first = fsName(segs[0] ?? "");
  // NTFS short names of `.create-pipeline.yaml` / `.create-pipeline` (CREATE~1.YAM, CREATE~1).
  return first === ".create-pipeline.yaml" || first === ".create-pipeline" || /^create~\d+(\.[^.]*)?$/.test(first);
};

/** Segments of letters, digits, '.', '_' and '-', none of them only dots (at most one leading dot). */
const PLAIN_PATH = /^\.?[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/\.?[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
/** Among plain paths: a segment that is git's folder (any case, trailing dots). */
const DOT_GIT = /(?:^|\/)\.git\.*(?:\/|$)/i;
/** Among plain paths: the engine's own files as the first segment (any case, trailing dots). */
const ENGINE_FIRST = /^\.create-pipeline(?:\.yaml)?\.*(?:\/|$)/i;

/**
 * Why this path is not a safe relative path inside the target, or undefined when it is. With
 * `engine`, the engine's own files pass too (the commit journal names them: a run writes them).
 * Names are compared as a case-insensitive file system opens them (see `fsName`), so a path that
 * is `.git` or an engine file on Windows or macOS is refused on every platform.
 */
export function unsafePath(p: string, engine = false): string | undefined {
  // Most paths are plain ASCII names: one test clears them (a repository of hundreds of services
  // checks thousands of paths per run); anything else gets every rule below.
  if (typeof p === "string" && PLAIN_PATH.test(p) && !DOT_GIT.test(p) && (engine || !ENGINE_FIRST.test(p))) return undefined;
  if (typeof p !== "string" || p === "") return "it is empty";
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p)) return "it is absolute";
  if (p.includes("\\")) return "it contains a backslash";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return "it contains a control character (a newline, a tab, NUL)";
  const segs = p.split("/");
  if (segs.some((s) => s === "" || s === "." || s === "..")) return "it is not a plain relative path (empty, '.' or '..' parts)";
  // `...` or `. .` is `..` to nobody, but Windows opens it as the folder itself or its parent.
  if (segs.some((s) => /^[. ]+$/.test(s.replace(HFS_IGNORABLE, "")))) return "a part of it is only dots and spaces, which Windows reads as '.' or '..'";
  if (segs.some(isDotGit))
    return "it is inside a .git folder (git's own data, a hook would run code; on Windows or macOS '.GIT', '.git.', '.git ' and 'git~1' are that folder too)";
  if (!engine && isEnginePath(p)) return "it is one of create-pipeline's own state files";
  return undefined;
}

/** Do two relative paths name the same file on a case-insensitive file system (see `fsName`)? */
export const samePath = (a: string, b: string) => {
  const x = a.split("/");
  const y = b.split("/");
  return x.length === y.length && x.every((s, i) => fsName(s) === fsName(y[i] ?? ""));
};

/**
 * Why a service folder's name cannot be carried by the generated files, or undefined: it lands in
 * workflow paths filters, `working-directory`, Dockerfile COPY lines, pre-commit file patterns and
 * shell scripts, so it is held to the characters every one of them takes as they are.
 */
export function serviceFolderNameProblem(name: string): string | undefined {
  if (/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name)) return undefined;
  // A name of allowed characters but for its first one (.github, -x): the rule it breaks is that one.
  if (/^[^A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name)) return `starts with '${name[0]}': a service folder's name starts with a letter, digit or '_'`;
  return "has a character the generated workflows, Dockerfile and scripts cannot carry as it is (a space, quote, '$', '#', '{', a non-ASCII letter...)";
}
