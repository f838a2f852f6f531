// One rule for every path the engine writes, reads or deletes in the target, wherever it comes
// from: a rendered template path, a key of the state file or merge base, a pack migration.

/** The engine's own files: no pack may write them, no state entry may name them. */
export const isEnginePath = (p: string) => {
  const l = p.toLowerCase();
  return l === ".create-pipeline.yaml" || l === ".create-pipeline" || l.startsWith(".create-pipeline/");
};

/**
 * Why this path is not a safe relative path inside the target, or undefined when it is. With
 * `engine`, the engine's own files pass too (the commit journal names them: a run writes them).
 */
export function unsafePath(p: string, engine = false): string | undefined {
  if (typeof p !== "string" || p === "") return "it is empty";
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p)) return "it is absolute";
  if (p.includes("\\")) return "it contains a backslash";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return "it contains a control character (a newline, a tab, NUL)";
  const segs = p.split("/");
  if (segs.some((s) => s === "" || s === "." || s === "..")) return "it is not a plain relative path (empty, '.' or '..' parts)";
  if (segs.some((s) => s.toLowerCase() === ".git")) return "it is inside a .git folder (git's own data, a hook would run code)";
  if (!engine && isEnginePath(p)) return "it is one of create-pipeline's own state files";
  return undefined;
}
