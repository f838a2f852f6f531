// Three-way merge of a regenerated file with the user's copy on disk. Text merges by line;
// YAML and JSON also merge by key, because edits on neighbouring lines that a line merge
// calls a conflict (an env var added next to a new template key) are usually independent.

import { deepEqual, mergeStructured, parseValue, type StructuredKind } from "./merge-structured.js";
import { conflictBlock, mergeText, splitLines, trivialMerge, type MergeResult } from "./merge-text.js";

export { mergeText, type MergeResult };

/** Helm templates are Go templates that merely end in .yaml: only the line merge is safe there. */
export function fileKind(path: string): StructuredKind | "text" {
  const p = path.replace(/\\/g, "/");
  if (/(^|\/)templates\//.test(p)) return "text";
  if (/\.json$/i.test(p)) return "json";
  if (/\.ya?ml$/i.test(p)) return "yaml";
  return "text";
}

/** base = what the tool generated last time, ours = what is on disk now (the user's), theirs = what the tool generates now. */
export function merge3(path: string, base: string, ours: string, theirs: string): MergeResult {
  const trivial = trivialMerge(base, ours, theirs);
  if (trivial) return trivial;
  const line = mergeText(base, ours, theirs);
  const kind = fileKind(path);
  if (kind === "text") return line;

  const merged = mergeStructured(kind, base, ours, theirs);
  // A key merge that drops a comment the user wrote (on a key the template removed or renamed)
  // is not a clean merge: the line result, or a conflict, keeps it in front of the user.
  const structured = merged !== null && keepsUserComments(base, ours, merged) ? merged : null;
  if (line.clean) {
    // The line result keeps formatting best, as long as it means what the key merge means.
    const lineValue = parseValue(kind, line.content);
    if (lineValue && (structured === null || deepEqual(lineValue.value, parseValue(kind, structured)?.value))) {
      return line;
    }
  }
  if (structured !== null) return { clean: true, content: structured };
  if (merged !== null && line.clean) return { clean: false, content: conflictBlock(splitLines(ours), splitLines(theirs)).join(""), conflicts: 1 };
  if (!line.clean || !parseValue(kind, ours) || !parseValue(kind, theirs)) return line;
  // The lines merged into something that no longer parses and the keys clash: the user decides.
  return { clean: false, content: conflictBlock(splitLines(ours), splitLines(theirs)).join(""), conflicts: 1 };
}

/** The comment on a line (from an unquoted " #" or a leading "#"), trimmed; undefined when none. */
function commentOf(line: string): string | undefined {
  const m = /(?:^|\s)(#.*)$/.exec(line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (q) => " ".repeat(q.length)));
  return m ? line.slice(line.length - m[1]!.length).trim() : undefined;
}

/** Every comment the user added (on a line that is not in the base) is still in `merged`. */
export function keepsUserComments(base: string, ours: string, merged: string): boolean {
  const had = new Set(splitLines(base).map((l) => l.trim()));
  for (const line of splitLines(ours)) {
    if (had.has(line.trim())) continue;
    const c = commentOf(line.replace(/\r?\n$/, ""));
    if (c !== undefined && c !== "#" && !merged.includes(c)) return false;
  }
  return true;
}
