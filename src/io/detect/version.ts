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
    const comparators = alt.trim().replace(/\s+-\s+.*$/, "").split(/[\s,]+/);
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
