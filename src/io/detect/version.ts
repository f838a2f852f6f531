/** Version ranges reduced to their lower bound, shared by the language readers. */

/**
 * The lower bound of a version range, for each `||` alternative; the
 * highest of those. Upper bounds (`<`, `<=`) and exclusions are skipped.
 * Returns the numeric parts, e.g. ">=20.19 <23" → [20, 19].
 */
export function lowerBound(range: string): number[] | undefined {
  let best: number[] | undefined;
  for (const alt of range.split("||")) {
    // "20 - 22" (hyphen range): the lower bound is the first part.
    const comparators = alt
      .trim()
      .replace(/\s+-\s+.*$/, "")
      .split(/[\s,]+/);
    for (const c of comparators) {
      if (c === "" || /^(<|!=)/.test(c)) continue;
      const m = /^(?:>=|>|\^|~=|~|===|==|=)?\s*v?(\d+)((?:\.\d+)*)/.exec(c);
      if (!m?.[1]) continue;
      const parts = [Number(m[1]), ...(m[2] ?? "").split(".").filter(Boolean).map(Number)];
      if (best === undefined || compareParts(parts, best) > 0) best = parts;
      break; // one lower bound per alternative
    }
  }
  return best;
}

export function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Does the version `v` (numeric parts; missing parts match any) satisfy the
 * range? Understands npm ranges (`>=18`, `^20.1`, `~22`, `18.x`, `a || b`,
 * hyphen ranges) and Python specifiers (`>=3.9,<4`, `~=3.10`, `==3.11.*`,
 * poetry `^3.8`). An unparsable comparator is ignored.
 */
export function satisfies(v: number[], range: string): boolean {
  return range.split("||").some((alt) => {
    const hyphen = /^\s*v?([\d.x*]+)\s+-\s+v?([\d.x*]+)\s*$/.exec(alt);
    const comparators = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alt
          .trim()
          .split(/[\s,]+/)
          .filter(Boolean);
    let any = false;
    for (const c of comparators) {
      const m = /^(>=|<=|>|<|===|==|=|!=|~=|\^|~)?\s*v?(\d+(?:\.(?:\d+|x|X|\*))*)(?:\.\*)?$/.exec(c);
      if (!m?.[2]) continue;
      any = true;
      const op = m[1] ?? "";
      const parts = m[2]
        .split(".")
        .filter((p) => /^\d+$/.test(p))
        .map(Number);
      if (!check(v, op, parts)) return false;
    }
    return any;
  });
}

/** Compare only as many parts as both sides give: 3.12 vs 3.12.4 are equal. */
function cmpPrefix(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  return compareParts(a.slice(0, n), b.slice(0, n));
}

function check(v: number[], op: string, p: number[]): boolean {
  const c = cmpPrefix(v, p);
  switch (op) {
    case ">=":
      return c >= 0;
    case ">":
      return c > 0 || (c === 0 && v.length > p.length);
    case "<=":
      return c <= 0;
    case "<":
      return c < 0;
    case "!=":
      return c !== 0;
    case "^": {
      // ^0.x pins the minor; otherwise the major.
      const fixed = p[0] === 0 ? 2 : 1;
      return c >= 0 && cmpPrefix(v, p.slice(0, fixed)) === 0;
    }
    case "~":
      return c >= 0 && cmpPrefix(v, p.slice(0, Math.max(1, Math.min(2, p.length)))) === 0;
    case "~=":
      return c >= 0 && cmpPrefix(v, p.slice(0, Math.max(1, p.length - 1))) === 0;
    default:
      return c === 0; // "=", "==", "===", a bare version: a prefix match
  }
}

/**
 * The version to use for a range: the first of `preferred` (supported
 * releases, most preferred first) that the range allows; when none does
 * (an old pin such as `^14`), the range's lower bound.
 */
export function pickVersion(range: string, preferred: readonly string[], width: number): string | undefined {
  for (const p of preferred) if (satisfies(p.split(".").map(Number), range)) return p;
  const low = lowerBound(range);
  return low === undefined || low.length < width ? undefined : low.slice(0, width).join(".");
}
