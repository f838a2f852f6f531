import type { AnswerValue, Condition } from "./types.js";

type Lookup = Readonly<Record<string, AnswerValue | undefined>>;

function truthy(v: AnswerValue | undefined): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== undefined && v !== false && v !== "" && v !== 0;
}

/** Evaluate a condition against answers. Conditions are data; nothing is ever eval'd. */
export function evaluate(cond: Condition | undefined, answers: Lookup): boolean {
  if (cond === undefined) return true;
  if ("all" in cond) return cond.all.every((c) => evaluate(c, answers));
  if ("any" in cond) return cond.any.some((c) => evaluate(c, answers));
  if ("not" in cond) return !evaluate(cond.not, answers);
  const v = answers[cond.key];
  if ("equals" in cond) return v === cond.equals;
  if ("in" in cond) return v !== undefined && !Array.isArray(v) && cond.in.includes(v);
  if ("includes" in cond) return Array.isArray(v) && v.includes(cond.includes);
  if ("truthy" in cond) return truthy(v);
  if ("matches" in cond) return typeof v === "string" && new RegExp(cond.matches).test(v);
  return false;
}

/**
 * A condition's value when only some answers are settled: undefined while it still depends on an
 * unsettled one (`any` is true as soon as one part is, `all` false as soon as one part is).
 */
export function decided(cond: Condition | undefined, answers: Lookup, settled: (key: string) => boolean): boolean | undefined {
  if (cond === undefined) return true;
  if ("all" in cond || "any" in cond) {
    const parts = "all" in cond ? cond.all : cond.any;
    const stop = "any" in cond;
    let open = false;
    for (const c of parts) {
      const v = decided(c, answers, settled);
      if (v === stop) return stop;
      if (v === undefined) open = true;
    }
    return open ? undefined : !stop;
  }
  if ("not" in cond) {
    const v = decided(cond.not, answers, settled);
    return v === undefined ? undefined : !v;
  }
  return settled(cond.key) ? evaluate(cond, answers) : undefined;
}

/** Keys a condition reads: used to order questions and to validate packs. */
export function conditionKeys(cond: Condition | undefined): string[] {
  if (cond === undefined) return [];
  if ("all" in cond) return cond.all.flatMap(conditionKeys);
  if ("any" in cond) return cond.any.flatMap(conditionKeys);
  if ("not" in cond) return conditionKeys(cond.not);
  return [cond.key];
}

/** Human text for a condition, for error messages ("strategy is canary"). */
export function describe(cond: Condition): string {
  if ("all" in cond) return cond.all.map(describe).join(" and ");
  if ("any" in cond) return cond.any.map(describe).join(" or ");
  if ("not" in cond) return `not (${describe(cond.not)})`;
  if ("equals" in cond) return `${cond.key} is ${String(cond.equals)}`;
  if ("in" in cond) return `${cond.key} is one of ${cond.in.join(", ")}`;
  if ("includes" in cond) return `${cond.key} includes ${cond.includes}`;
  if ("matches" in cond) return `${cond.key} matches ${cond.matches}`;
  return `${cond.key} is set`;
}
