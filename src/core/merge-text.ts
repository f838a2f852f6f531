// Line-based three-way merge. Lines keep their "\n" so a missing final newline on one
// side is a change like any other instead of being silently normalised away.

import { diff3Merge } from "node-diff3";

export type MergeResult = { clean: true; content: string } | { clean: false; content: string; conflicts: number };

export const MARKER_OURS = "<<<<<<< ours";
export const MARKER_SEP = "=======";
export const MARKER_THEIRS = ">>>>>>> create-pipeline";

export function splitLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/** The cases that must come back byte for byte, whatever a diff would make of them. */
export function trivialMerge(base: string, ours: string, theirs: string): MergeResult | undefined {
  if (ours === base) return { clean: true, content: theirs };
  if (theirs === base || ours === theirs) return { clean: true, content: ours };
  return undefined;
}

export function mergeText(base: string, ours: string, theirs: string): MergeResult {
  const trivial = trivialMerge(base, ours, theirs);
  if (trivial) return trivial;
  const out: string[] = [];
  let conflicts = 0;
  // Arrays, not strings: node-diff3 would otherwise split on any whitespace.
  const regions = diff3Merge(splitLines(ours), splitLines(base), splitLines(theirs), { excludeFalseConflicts: true });
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok);
    } else if (region.conflict) {
      const { a, o, b } = region.conflict;
      // node-diff3 flags hunks that merely touch; only a change on both sides is a conflict.
      if (sameLines(a, b) || sameLines(o, b)) out.push(...a);
      else if (sameLines(o, a)) out.push(...b);
      else {
        conflicts++;
        out.push(...conflictBlock(a, b));
      }
    }
  }
  const content = out.join("");
  return conflicts === 0 ? { clean: true, content } : { clean: false, content, conflicts };
}

/** Standard markers without a base section; lines both sides share stay outside the markers. */
export function conflictBlock(ours: readonly string[], theirs: readonly string[]): string[] {
  let head = 0;
  while (head < ours.length && head < theirs.length && ours[head] === theirs[head]) head++;
  let tail = 0;
  while (tail < ours.length - head && tail < theirs.length - head && ours[ours.length - 1 - tail] === theirs[theirs.length - 1 - tail]) {
    tail++;
  }
  return [
    ...ours.slice(0, head),
    `${MARKER_OURS}\n`,
    ...terminated(ours.slice(head, ours.length - tail)),
    `${MARKER_SEP}\n`,
    ...terminated(theirs.slice(head, theirs.length - tail)),
    `${MARKER_THEIRS}\n`,
    ...ours.slice(ours.length - tail),
  ];
}

// A side ending the file without a newline must not glue its last line to a marker.
function terminated(lines: string[]): string[] {
  const last = lines.length - 1;
  return last >= 0 && !lines[last].endsWith("\n") ? [...lines.slice(0, last), `${lines[last]}\n`] : lines;
}

function sameLines(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((line, i) => line === y[i]);
}
