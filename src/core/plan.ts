import type { PlanEntry, Tree } from "./types.js";

/** How `create` treats a file that already exists with other content. */
export type ExistingPolicy = "error" | "force" | "skip";

export interface CreatePlanInput {
  tree: Tree;
  /** What is on disk now for each path of the tree (undefined: absent). */
  disk: ReadonlyMap<string, string | undefined>;
  policy: ExistingPolicy;
  /** Per-file choices made interactively; they win over the policy. */
  decisions?: Readonly<Record<string, "overwrite" | "skip">>;
}

/** What `create` would do to each file, and why. Pure: the caller commits it. */
export function planCreate({ tree, disk, policy, decisions = {} }: CreatePlanInput): PlanEntry[] {
  const plan: PlanEntry[] = [];
  for (const f of tree.values()) {
    const current = disk.get(f.path);
    const base = { path: f.path, owner: f.owner };
    if (current === undefined) {
      plan.push({ ...base, kind: "create", reason: "new file", content: f.content });
    } else if (current === f.content) {
      plan.push({ ...base, kind: "keep", reason: "already identical", current });
    } else {
      const choice = decisions[f.path] ?? (policy === "force" ? "overwrite" : policy === "skip" ? "skip" : undefined);
      if (choice === "overwrite")
        plan.push({
          ...base,
          kind: "update",
          reason: decisions[f.path] ? "exists; overwrite chosen" : "exists; overwritten (--force)",
          content: f.content,
          current,
        });
      else if (choice === "skip")
        plan.push({ ...base, kind: "skip", reason: decisions[f.path] ? "exists; kept as it is" : "exists; kept (--skip-existing)", current });
      else plan.push({ ...base, kind: "conflict", reason: "exists with other content", content: f.content, current });
    }
  }
  return plan;
}

export const writes = (plan: readonly PlanEntry[]) =>
  plan.filter((e) => e.content !== undefined && (e.kind === "create" || e.kind === "update" || e.kind === "merge" || e.kind === "conflict"));

/**
 * Every path an update or add touches: what it writes or deletes, the metadata files it rewrites,
 * and where a moved file comes from (each is checked for symlinks before anything is written).
 */
export const touchedPaths = (plan: readonly PlanEntry[], meta: readonly { path: string }[]): string[] => [
  ...writes(plan).map((e) => e.path),
  ...plan.filter((e) => e.kind === "delete").map((e) => e.path),
  ...meta.map((e) => e.path),
  ...plan.flatMap((e) => (e.from ? [e.from] : [])),
];

export function summarize(plan: readonly PlanEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of plan) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}
