import * as semver from "./semver.js";
import { actionBumpsOnly, bumpsText, settleBumps, unconfirmedBumps } from "./action-bumps.js";
import { hashContent } from "./hash.js";
import type { MergeResult } from "./merge-text.js";
import type { Migration, PlanEntry, StateFile, Tree } from "./types.js";

/** The previous render, or why there is none (shown in the report). */
export type Previous = Tree | string;

/** The three-way merge (./merge.js): base, ours (on disk), theirs (the new render). */
export type Merge3 = (path: string, base: string, ours: string, theirs: string) => MergeResult;

export interface UpdatePlanInput {
  /** T: what the pack generates now. */
  tree: Tree;
  /** The state recorded by the last create/update. */
  state: StateFile;
  /**
   * B: last generated content of managed files, or how to read it: it is read only when a file
   * differs from the new render (a `check` without drift never reads the merge base).
   */
  base: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /** O: what is on disk now, for every path of tree ∪ state ∪ rename sources. */
  disk: ReadonlyMap<string, string | undefined>;
  /** Renames declared by the pack for this version step. */
  renames?: readonly { from: string; to: string }[];
  /** Bring back generated files the user deleted. */
  restore?: boolean;
  /**
   * Files the pack declares it stopped generating in this version step (dropFile migrations): with
   * no previous render, such a file is deleted when it is exactly the merge base and matches the
   * state's hash.
   */
  drops?: ReadonlySet<string>;
  /**
   * The previous render: what the pack loaded now generates from the answers of the answers file as
   * it stood before this run (its flags, --set and prompts left out), the file a review reads. A
   * string says why there is none; it may come late (a Promise). Asked for only when a file the
   * state lists is no longer generated, or when the merge base does not match the state's hash.
   */
  previous?: () => Previous | Promise<Previous>;
  /** How a file both sides changed is merged (merge3 of ./merge.js). */
  merge: Merge3;
}

/**
 * planUpdate with the merge code (its YAML library and line differ) loaded only when a file needs
 * a merge: a check or update where nobody edited a file the pack changed never loads it.
 */
export async function planUpdateMerging(input: Omit<UpdatePlanInput, "merge">): Promise<PlanEntry[]> {
  let needed = false;
  let base: Readonly<Record<string, string>> | undefined;
  let before: Previous | undefined | null = null;
  let waiting: Promise<Previous> | undefined;
  const once = {
    ...input,
    base: () => (base ??= typeof input.base === "function" ? input.base() : input.base),
    previous: (): Previous => {
      if (before !== null) return before ?? "";
      const p = input.previous?.();
      if (p instanceof Promise) {
        // Asked for, but still coming: this plan is made again once it is there.
        waiting = p;
        return "";
      }
      before = p;
      return p ?? "";
    },
  };
  const probe: Merge3 = () => {
    needed = true;
    return { clean: true, content: "" };
  };
  let merge = probe;
  for (;;) {
    needed = false;
    waiting = undefined;
    const plan = planUpdate({ ...once, previous: input.previous && once.previous, merge });
    if (waiting !== undefined) {
      before = await waiting;
      continue;
    }
    if (!needed || merge !== probe) return plan;
    merge = (await import("./merge.js")).merge3;
  }
}

/**
 * Several renders that each show what the tool generated (the answers file as it stands, and as it
 * was committed with the state): per path, the one whose content is the file on disk, else the
 * first that holds the path. A string (why a render is missing) only when none is there.
 */
export function eitherRender(renders: readonly Previous[], disk: ReadonlyMap<string, string | undefined>): Previous {
  const trees = renders.filter((r): r is Tree => typeof r !== "string");
  if (trees.length === 0) return renders.find((r) => r !== "") ?? "";
  if (trees.length === 1) return trees[0]!;
  const out = new Map(trees[0]!);
  for (const t of trees.slice(1))
    for (const [path, f] of t) {
      const have = out.get(path);
      const o = disk.get(path);
      if (have === undefined || (have.content !== o && f.content === o)) out.set(path, f);
    }
  return out;
}

/** Files that dropFile migrations say the pack stopped generating, when moving from `fromVersion`. */
export function applicableDrops(migrations: readonly Migration[], fromVersion: string): Set<string> {
  return new Set(migrations.flatMap((m) => ("dropFile" in m && semver.satisfies(fromVersion, m.appliesTo) ? [m.dropFile] : [])));
}

/** Migrations of kind renameFile that apply when moving from `fromVersion`. */
export function applicableRenames(migrations: readonly Migration[], fromVersion: string): { from: string; to: string }[] {
  return migrations.flatMap((m) => ("renameFile" in m && semver.satisfies(fromVersion, m.appliesTo) ? [m.renameFile] : []));
}

/**
 * What `update` would do to each file, and why. B = base, O = disk, T = tree:
 * untouched by the user → take T; only the user moved → keep O; both → merge3;
 * dropped by the pack → delete only if untouched; deleted by the user → stays deleted.
 */
export function planUpdate({ tree, state, base, disk, renames = [], restore = false, previous, drops, merge }: UpdatePlanInput): PlanEntry[] {
  const O = new Map(disk);
  let before: Previous | null = null;
  const previousOf = (): Previous => {
    if (before !== null) return before;
    const p = previous?.();
    // planUpdateMerging resolves a late previous render and plans again.
    return (before = p === undefined || p instanceof Promise ? "" : p);
  };
  let loaded: Record<string, string> | undefined;
  const baseOf = () => (loaded ??= { ...(typeof base === "function" ? base() : base) });
  const prev: Record<string, StateFile["files"][string]> = { ...state.files };
  const movedFrom = new Map<string, string>();
  for (const r of renames) {
    if (!(r.from in prev) || r.to in prev) continue;
    const atFrom = O.get(r.from);
    const atTo = O.get(r.to);
    // Both names on disk: the file at the new name is not ours to overwrite. The old one is then
    // an ordinary dropped file and the new one meets the user's file as a new file would.
    if (atFrom !== undefined && atTo !== undefined) continue;
    prev[r.to] = prev[r.from]!;
    delete prev[r.from];
    const B = baseOf();
    if (r.from in B) B[r.to] = B[r.from]!;
    // Renames chain across versions (a → b in 2.0, b → c in 3.0): the file to move is still
    // the one on disk at a, and b was only ever a name in between.
    const origin = movedFrom.get(r.from);
    if (origin !== undefined) {
      movedFrom.delete(r.from);
      O.set(r.from, disk.get(r.from));
    }
    // Only the old name on disk: move it. Only the new name: the user moved it already, so
    // their copy there is merged. Neither: the user deleted it, and it stays deleted.
    if (atFrom !== undefined) {
      O.set(r.to, atFrom);
      movedFrom.set(r.to, origin ?? r.from);
    }
  }
  // Paths the pack says it generated before: declared dropped, or the old name of a rename.
  const declared = new Set([...(drops ?? []), ...renames.map((r) => r.from)]);
  const plan: PlanEntry[] = [];
  const paths = [...new Set([...tree.keys(), ...Object.keys(prev)])].sort();
  for (const path of paths) {
    const t = tree.get(path);
    const o = O.get(path);
    const was = prev[path];
    const from = movedFrom.get(path);
    const entry = decide(path, t?.content, o, was, () => baseOf()[path], t?.owner, restore, merge, previousOf, declared.has(path));
    if (from !== undefined && o !== undefined) {
      // A rename moves the file whatever else happens to it.
      if (entry.kind === "keep")
        Object.assign(entry, {
          kind: "update",
          content: o,
          reason: `moved from ${from} (renamed by the template pack)${entry.edited ? " with your edits" : ""}`,
        });
      entry.from = from;
      plan.push({ path: from, kind: "delete", reason: `renamed to ${path} by the template pack`, current: O.get(from), owner: was?.owner });
    }
    plan.push(entry);
  }
  return plan;
}

/** Generated files Dependabot's github-actions updates edit: workflows and actions under .github/. */
const WORKFLOW = /^\.github\/.*\.ya?ml$/;

function decide(
  path: string,
  t: string | undefined,
  disk: string | undefined,
  was: StateFile["files"][string] | undefined,
  baseOf: () => string | undefined,
  owner: PlanEntry["owner"],
  restore: boolean,
  merge3: Merge3,
  previousOf: () => Previous = () => "",
  declared = false,
): PlanEntry {
  const e = { path, owner: owner ?? was?.owner, current: disk };
  // A checkout with Windows line endings (git's core.autocrlf) is not a hand edit: compare and
  // merge with "\n" (what render produces), and write back in the user's line endings.
  // Line endings never make a conflict: compare and merge with "\n" whatever the file holds (one
  // LF line in a CRLF file is not a whole-file edit), and write back in the file's dominant ending.
  const cr = disk !== undefined && disk.includes("\r");
  const crlf = cr && (disk.match(/\r\n/g)?.length ?? 0) > (disk.match(/(?<!\r)\n/g)?.length ?? 0);
  const o = cr ? disk.replace(/\r\n/g, "\n") : disk;
  const eol = (text: string) => (crlf ? text.replace(/\r?\n/g, "\r\n") : text);
  if (t === undefined) {
    // The pack no longer generates this file.
    if (o === undefined) return { ...e, kind: "keep", reason: "no longer generated; already gone" };
    if (was?.owner === "seed") return { ...e, kind: "keep", reason: "no longer generated; a seed file, so it is yours" };
    return dropped(e, o, was, baseOf, previousOf, declared);
  }
  if (was === undefined) {
    if (o === undefined) return { ...e, kind: "create", reason: "new in the template pack", content: t };
    if (o === t) return { ...e, kind: "keep", reason: "up to date" };
    const m = merge3(path, "", o, t);
    if (m.clean) return { ...e, kind: "merge", reason: "new in the template pack; merged with the file already there", content: eol(m.content) };
    return { ...e, kind: "conflict", reason: "new in the template pack, but a different file is already there", content: eol(m.content) };
  }
  if (o === undefined) {
    if (restore) return { ...e, kind: "create", reason: "restored (--restore)", content: t };
    return { ...e, kind: "skip", reason: "you deleted it; it stays deleted (--restore brings it back)" };
  }
  if (o === t) return { ...e, kind: "keep", reason: "up to date" };
  if (owner === "seed") return { ...e, kind: "keep", reason: "a seed file: yours after create" };
  // The merge base (what was generated last time) must agree with the state's hash: base.json alone
  // (a file in the repository, like the state) cannot make a hand edit look untouched. When it does
  // not, the previous render takes its place if it matches the hash (both match: they are the same text).
  const recorded = (x: string | undefined) => x !== undefined && hashContent(x) === was.hash;
  const stored = baseOf();
  let b = recorded(stored) ? stored : undefined;
  if (b === undefined) {
    const before = previousOf();
    const generated = typeof before === "string" ? undefined : before.get(path)?.content;
    if (recorded(generated)) b = generated;
  }
  if (b !== undefined && o === b) return { ...e, kind: "update", reason: "the template changed; you had not edited it", content: eol(t) };
  const edited: PlanEntry & { edited: true } = { ...e, kind: "keep", reason: "", edited: true };
  if (b === undefined)
    return {
      ...edited,
      kind: "keep",
      reason:
        stored === undefined
          ? "your edits kept (no merge base recorded for it)"
          : "kept as it is: its merge base in .create-pipeline/base.json does not match the hash in .create-pipeline/state.json, so create-pipeline cannot tell your edits from its own",
    };
  // A generated file under .github/ whose only edits are newer action pins (what Dependabot's
  // github-actions updates write): said as such, and merged to the newer pin of each action.
  const bumps = WORKFLOW.test(path) ? actionBumpsOnly(b, o) : undefined;
  if (bumps) Object.assign(edited, { bumps: bumpsText(bumps), bumped: bumps });
  if (t === b) return { ...edited, kind: "keep", reason: bumps ? `actions bumped (${edited.bumps}); kept` : "your edits kept; the template did not change it" };
  const settled = bumps ? settleBumps(b, o, t) : undefined;
  const m = merge3(path, settled?.base ?? b, settled?.ours ?? o, t);
  if (m.clean) return { ...edited, kind: "merge", reason: "your edits merged with the template's changes", content: eol(m.content) };
  return {
    ...edited,
    kind: "conflict",
    reason: `${m.conflicts} conflict${m.conflicts > 1 ? "s" : ""} between your edits and the template's; resolve the markers`,
    content: eol(m.content),
  };
}

/**
 * A file the state lists that the pack no longer generates. It is deleted only when the tool can
 * show that it wrote it and nobody changed it since: the state and the merge base (files in the
 * repository that anyone can edit) never make a file ours. The proof is the previous render — the
 * pack generates this path from the answers of the answers file as they stood before this run — and
 * the file on disk is byte for byte what it generates there; or the pack declares that it dropped
 * the path in this version step (a dropFile migration, or the old name of a rename) and the file
 * is exactly the merge base, which matches the state's hash. Otherwise the file is kept and listed.
 */
function dropped(
  e: { path: string; owner: PlanEntry["owner"]; current: string | undefined },
  o: string,
  was: StateFile["files"][string] | undefined,
  baseOf: () => string | undefined,
  previousOf: () => Previous,
  declared: boolean,
): PlanEntry {
  const b = baseOf();
  const untouched = b !== undefined && o === b;
  const hashOnly = !untouched && was !== undefined && hashContent(o) === was.hash;
  if (!untouched && !hashOnly) return { ...e, kind: "keep", reason: "no longer generated; kept because you edited it", edited: true };
  const before = previousOf();
  const generated = typeof before === "string" ? undefined : before.get(e.path);
  // The file must be what that render wrote: a merge base equal to the file proves nothing by
  // itself (it is in the repository too).
  if (generated !== undefined && o === generated.content) return { ...e, kind: "delete", reason: "no longer generated and untouched" };
  // The pack itself (the one the user chose) says it stopped generating this path: what is left to
  // show is that the file is what was generated, by the merge base and the state's hash together.
  if (declared && untouched && hashContent(o) === was?.hash)
    return { ...e, kind: "delete", reason: "no longer generated and untouched (the template pack declares it dropped)" };
  const unproven = (why: string): PlanEntry => ({ ...e, kind: "keep", reason: `no longer generated; kept: ${why}`, unproven: true });
  if (typeof before === "string") return unproven(`${before || "the previous render is not available"}, so create-pipeline cannot show it generated it`);
  if (generated === undefined)
    return unproven(
      "the template pack does not generate it from the answers in .create-pipeline.yaml as they stood before this run (only the state file lists it), so it is not create-pipeline's to delete",
    );
  return unproven("it is not what the template pack generates (only the state file's hash matches), so it is not create-pipeline's to delete");
}

/** Files the state lists that update keeps because nothing shows the tool generated them. */
export const unproven = (plan: readonly PlanEntry[]) => plan.filter((e) => e.unproven === true);

/** A conflict marker line: git's and ours, whatever the label after it. */
const MARKER_LINE = /^(?:<{7}|>{7})(?:[ \t].*)?$/;
const SEPARATOR_LINE = /^={7}$/;
/** Any line that could be a marker line (a quick test before splitting the text into lines). */
const ANY_MARKER = /^(?:<{7}|>{7}|={7})/m;
/** Markup where a line of seven '=' is a heading underline, not a separator. */
const MARKUP = /\.(?:md|markdown|rst|adoc|txt)$/i;

/**
 * Conflict marker lines in `text` that `generated` (the pack's own output) does not hold: one
 * marker left behind is enough — a half-resolved conflict is still unresolved.
 */
export function conflictMarkers(text: string, generated = "", path = ""): string[] {
  // Most files hold no line starting with a marker's seven characters: one scan says so.
  if (!ANY_MARKER.test(text)) return [];
  const own = new Set(generated.split("\n").map((l) => l.replace(/\r$/, "")));
  return text
    .split("\n")
    .map((l) => l.replace(/\r$/, ""))
    .filter((l) => (MARKER_LINE.test(l) || (SEPARATOR_LINE.test(l) && !MARKUP.test(path))) && !own.has(l));
}

/** Text still holding conflict markers (from an earlier update, or half resolved). */
export const hasConflictMarkers = (text: string, generated = "", path = "") => conflictMarkers(text, generated, path).length > 0;

/**
 * Files on disk that still hold conflict markers (all of them, or only some: half resolved)
 * that the pack itself does not generate. Updating over them would record the new template as
 * merged when it never was, so `update` stops until they are resolved and `check` fails.
 */
export const unresolvedConflicts = (plan: readonly PlanEntry[], tree: Tree) =>
  plan.filter((e) => e.current !== undefined && hasConflictMarkers(e.current, tree.get(e.path)?.content ?? "", e.path)).map((e) => e.path);

/** Would applying this plan change any file? (`check` exits 3 when it would.) */
export const changesFiles = (plan: readonly PlanEntry[]) =>
  plan.some((e) => e.kind === "create" || e.kind === "update" || e.kind === "merge" || e.kind === "conflict" || e.kind === "delete");

/** Files whose hand edits `update` keeps: listed by check, failing only with --strict. */
export const handEdits = (plan: readonly PlanEntry[]) => plan.filter((e) => e.edited === true);

/** The files a plan writes with the user's text in them: merges, conflict blocks, moved files (and where they come from). */
export const userContent = (plan: readonly PlanEntry[]): string[] =>
  plan.filter((e) => e.kind === "merge" || e.kind === "conflict" || e.from !== undefined).flatMap((e) => (e.from === undefined ? [e.path] : [e.path, e.from]));

/**
 * The check option a kept hand edit or a deleted generated file fails with (undefined: it
 * passes): --strict fails every one; --strict-workflows those under .github/, which run in CI
 * with the repository's secrets, except a file whose only edits are newer pins of the same actions
 * (Dependabot's github-actions updates, which the generated dependabot.yml asks for).
 */
export function strictness(flags: { strict: boolean; strictWorkflows: boolean }): (e: Pick<PlanEntry, "path" | "bumps">) => string | undefined {
  return (e) =>
    flags.strict ? "--strict" : flags.strictWorkflows && e.path.startsWith(".github/") && e.bumps === undefined ? "--strict-workflows" : undefined;
}

/**
 * check --strict-workflows: a file whose only edits are action bumps passes only when each new SHA
 * is the commit of its version tag on github.com; otherwise it is a hand edit again, with why.
 */
export async function confirmBumps(plan: readonly PlanEntry[], flags: { strict: boolean; strictWorkflows: boolean }): Promise<void> {
  if (flags.strict || !flags.strictWorkflows) return;
  const bumped = plan.filter((e) => e.bumped !== undefined && e.bumps !== undefined);
  const failed = await unconfirmedBumps(bumped.flatMap((e) => e.bumped!));
  for (const e of bumped) {
    const why = e.bumped!.flatMap((b) => (failed.has(b) ? [failed.get(b)!] : []));
    if (!why.length) continue;
    e.bumps = undefined;
    e.reason = `${e.reason}, but not confirmed: ${why.join("; ")}`;
  }
}

/** The option that makes a state entry the pack did not generate fail check: either strict one. */
export const stateMismatchFailsWith = (flags: { strict: boolean; strictWorkflows: boolean }): string | undefined =>
  flags.strict ? "--strict" : flags.strictWorkflows ? "--strict-workflows" : undefined;
