import semver from "semver";
import { hashContent } from "./hash.js";
import { merge3 } from "./merge.js";
import type { Migration, PlanEntry, StateFile, Tree } from "./types.js";

export interface UpdatePlanInput {
  /** T: what the pack generates now. */
  tree: Tree;
  /** The state recorded by the last create/update. */
  state: StateFile;
  /** B: last generated content of managed files. */
  base: Readonly<Record<string, string>>;
  /** O: what is on disk now, for every path of tree ∪ state ∪ rename sources. */
  disk: ReadonlyMap<string, string | undefined>;
  /** Renames declared by the pack for this version step. */
  renames?: readonly { from: string; to: string }[];
  /** Bring back generated files the user deleted. */
  restore?: boolean;
}

/** Migrations of kind renameFile that apply when moving from `fromVersion`. */
export function applicableRenames(migrations: readonly Migration[], fromVersion: string): { from: string; to: string }[] {
  return migrations.flatMap((m) => ("renameFile" in m && semver.satisfies(fromVersion, m.appliesTo, { includePrerelease: true }) ? [m.renameFile] : []));
}

/**
 * What `update` would do to each file, and why. B = base, O = disk, T = tree:
 * untouched by the user → take T; only the user moved → keep O; both → merge3;
 * dropped by the pack → delete only if untouched; deleted by the user → stays deleted.
 */
export function planUpdate({ tree, state, base, disk, renames = [], restore = false }: UpdatePlanInput): PlanEntry[] {
  const O = new Map(disk);
  const B: Record<string, string> = { ...base };
  const prev: Record<string, StateFile["files"][string]> = { ...state.files };
  const movedFrom = new Map<string, string>();
  for (const r of renames) {
    if (!(r.from in prev) || r.to in prev) continue;
    prev[r.to] = prev[r.from]!;
    delete prev[r.from];
    if (r.from in B) B[r.to] = B[r.from]!;
    O.set(r.to, O.get(r.from));
    movedFrom.set(r.to, r.from);
  }
  const plan: PlanEntry[] = [];
  const paths = [...new Set([...tree.keys(), ...Object.keys(prev)])].sort();
  for (const path of paths) {
    const t = tree.get(path);
    const o = O.get(path);
    const was = prev[path];
    const from = movedFrom.get(path);
    const entry = decide(path, t?.content, o, was, B[path], t?.owner, restore);
    if (from !== undefined && o !== undefined) {
      // A rename moves the file whatever else happens to it.
      if (entry.kind === "keep" || entry.kind === "skip") Object.assign(entry, { kind: "update", content: o, reason: `${entry.reason}; moved` });
      entry.from = from;
      plan.push({ path: from, kind: "delete", reason: `renamed to ${path} by the template pack`, current: O.get(from), owner: was?.owner });
    }
    plan.push(entry);
  }
  return plan;
}

function decide(
  path: string,
  t: string | undefined,
  o: string | undefined,
  was: StateFile["files"][string] | undefined,
  b: string | undefined,
  owner: PlanEntry["owner"],
  restore: boolean,
): PlanEntry {
  const e = { path, owner: owner ?? was?.owner, current: o };
  if (t === undefined) {
    // The pack no longer generates this file.
    if (o === undefined) return { ...e, kind: "keep", reason: "no longer generated; already gone" };
    if (was?.owner === "seed") return { ...e, kind: "keep", reason: "no longer generated; a seed file, so it is yours" };
    if (hashContent(o) === was?.hash) return { ...e, kind: "delete", reason: "no longer generated and untouched" };
    return { ...e, kind: "keep", reason: "no longer generated; kept because you edited it", edited: true };
  }
  if (was === undefined) {
    if (o === undefined) return { ...e, kind: "create", reason: "new in the template pack", content: t };
    if (o === t) return { ...e, kind: "keep", reason: "up to date" };
    const m = merge3(path, "", o, t);
    return { ...e, kind: "conflict", reason: "new in the template pack, but a different file is already there", content: m.content };
  }
  if (o === undefined) {
    if (restore) return { ...e, kind: "create", reason: "restored (--restore)", content: t };
    return { ...e, kind: "skip", reason: "you deleted it; it stays deleted (--restore brings it back)" };
  }
  if (o === t) return { ...e, kind: "keep", reason: "up to date" };
  if (owner === "seed") return { ...e, kind: "keep", reason: "a seed file: yours after create" };
  const untouched = b !== undefined ? o === b : hashContent(o) === was.hash;
  if (untouched) return { ...e, kind: "update", reason: "the template changed; you had not edited it", content: t };
  const edited = { ...e, edited: true };
  if (b === undefined) return { ...edited, kind: "keep", reason: "your edits kept (no merge base recorded for it)" };
  if (t === b) return { ...edited, kind: "keep", reason: "your edits kept; the template did not change it" };
  const m = merge3(path, b, o, t);
  if (m.clean) return { ...edited, kind: "merge", reason: "your edits merged with the template's changes", content: m.content };
  return { ...edited, kind: "conflict", reason: `${m.conflicts} conflict${m.conflicts > 1 ? "s" : ""} between your edits and the template's; resolve the markers`, content: m.content };
}

/** Would applying this plan change any file? (`check` exits 3 when it would.) */
export const changesFiles = (plan: readonly PlanEntry[]) => plan.some((e) => e.kind === "create" || e.kind === "update" || e.kind === "merge" || e.kind === "conflict" || e.kind === "delete");

/** Files whose hand edits `update` keeps: listed by check, failing only with --strict. */
export const handEdits = (plan: readonly PlanEntry[]) => plan.filter((e) => e.edited === true);
