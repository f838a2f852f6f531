// Why each changing file of an update or check changes: the answers that moved (each tried alone
// to name it) or the template pack's version step. One service and several share it.
import type { PlanEntry, Tree } from "../core/types.js";
import type { ResolvedRepository } from "../core/services.js";
import type { AnswerChange, ServiceChange } from "./envelope.js";
import { changeLine } from "./report.js";

/** One thing that changed, as it is said (`port: 8000 → 8001`), and the render with only it changed. */
export interface Cause {
  line: string;
  /** The new pack's render of the previous answers with only this change made (undefined: does not render). */
  alone: () => Tree | undefined;
}

/**
 * Say why each changing file changes. `before` is the new pack's render of the previous answers
 * (undefined: they do not render): a file that differs from it changes because of answers, each
 * cause tried alone to name it (up to eight; more are all named); a file whose render of the
 * previous answers differs from the merge base changes because of the pack version step.
 */
export function explainPlan(
  plan: PlanEntry[],
  c: { tree: Tree; before: Tree | undefined; causes: Cause[]; base: () => Record<string, string>; step?: string },
): void {
  const moving = plan.filter((e) => e.kind !== "keep" && e.kind !== "skip");
  if (moving.length === 0) return;
  const { before, causes } = c;
  const alone = before && causes.length <= 8 ? causes.map((k) => k.alone()) : [];
  const base = c.step ? c.base() : {};
  for (const e of moving) {
    const because: string[] = [];
    const now = c.tree.get(e.path)?.content;
    const then = before?.get(e.path)?.content;
    if (causes.length && (before === undefined || now !== then)) {
      const named = alone.length ? causes.filter((_, i) => alone[i] === undefined || alone[i]!.get(e.path)?.content !== then) : [];
      because.push(...(named.length ? named : causes).map((k) => k.line));
    }
    if (
      c.step &&
      (before === undefined ||
        (then !== undefined && base[e.path] !== undefined && then !== base[e.path]) ||
        (then === undefined) !== (base[e.path] === undefined))
    )
      because.push(c.step);
    if (because.length) {
      e.because = because;
      // Moved by answers alone (not by the pack's version step): the reason says so.
      if (!c.step || !because.includes(c.step))
        e.reason = e.reason.replace("the template changed", "new answers change it").replace("new in the template pack", "new with these answers");
    }
  }
}

/** A service's answer change as said for a repository of several: `services[services/api].port: 8000 → 8001`. */
export const serviceChangeLines = (s: ServiceChange): string[] =>
  s.change
    ? [`services[${s.path}] ${s.change === "added" ? "added to" : "removed from"} the services list`]
    : s.answers.map((a) => `services[${s.path}].${changeLine(a)}`);

/**
 * Several services: each change (a shared answer, a service's answer, a service added or removed)
 * as a cause, its alone render made from the previous repository with only that change.
 */
export function repositoryCauses(
  before: ResolvedRepository,
  after: ResolvedRepository,
  changes: { answers: AnswerChange[]; services: ServiceChange[] },
  renderRepo: (repo: ResolvedRepository) => Tree | undefined,
): Cause[] {
  const was = new Map(before.services.map((s) => [s.path, s]));
  const is = new Map(after.services.map((s) => [s.path, s]));
  const set = (answers: Record<string, unknown>, key: string, from: Record<string, unknown> | undefined) => {
    const out = { ...answers };
    if (from && key in from) out[key] = from[key];
    else delete out[key];
    return out as ResolvedRepository["top"];
  };
  const shared = new Set(changes.answers.map((a) => a.key));
  const causes: Cause[] = changes.answers.map((a) => ({
    line: changeLine(a),
    // A shared answer reaches every service that does not set its own.
    alone: () =>
      renderRepo({
        ...before,
        top: set(before.top, a.key, after.top),
        services: before.services.map((s) => ({ ...s, answers: set(s.answers, a.key, is.get(s.path)?.answers ?? s.answers) })),
      }),
  }));
  for (const s of changes.services) {
    if (s.change === "added")
      causes.push({
        line: serviceChangeLines(s)[0]!,
        alone: () => renderRepo({ ...before, services: after.services.filter((x) => was.has(x.path) || x.path === s.path).map((x) => was.get(x.path) ?? x) }),
      });
    else if (s.change === "removed")
      causes.push({ line: serviceChangeLines(s)[0]!, alone: () => renderRepo({ ...before, services: before.services.filter((x) => x.path !== s.path) }) });
    else
      for (const a of s.answers) {
        // A service answer that only follows a changed shared answer is that change, named once.
        const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
        if (shared.has(a.key) && same(a.from, before.top[a.key]) && same(a.to, after.top[a.key])) continue;
        causes.push({
          line: `services[${s.path}].${changeLine(a)}`,
          alone: () =>
            renderRepo({
              ...before,
              services: before.services.map((x) => (x.path === s.path ? { ...x, answers: set(x.answers, a.key, is.get(x.path)?.answers) } : x)),
            }),
        });
      }
  }
  return causes;
}
