/**
 * A lint script that rewrites files (a fixer: `eslint . --fix`, `prettier --write .`,
 * `ruff check --fix`, `ruff format`, `black .`) turned into the same check without rewriting,
 * which a CI job can run: the fixing flag dropped (eslint, stylelint, biome, ruff check), or the
 * tool's own check mode (prettier --check, ruff format --check, black --check, isort
 * --check-only). A part with no read-only form known here is said, with why.
 */

/** One `&&` part's words, quoted words kept whole. */
function words(part: string): string[] {
  return part.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
}

/** Flags that make a linter rewrite the files it checks (dropped: the same run then only reports). */
const FIX_FLAGS = /^(?:--fix|--fix-type(?:=\S+)?|--write|--apply|--apply-unsafe|--unsafe|--unsafe-fixes|--fix-only)$/;

/** Linters whose run without their fixing flag only reports. */
const DROP_FLAG_TOOLS = new Set(["eslint", "stylelint", "tslint", "standard", "xo", "oxlint", "biome", "markdownlint", "markdownlint-cli2", "next"]);

export type ReadOnly = { command: string; changed: string[] } | { reason: string };

/** The read-only form of one command of a lint script (no `&&` in it). */
function partReadOnly(part: string): ReadOnly {
  const w = words(part.trim());
  const runner = w[0] === "npx" || w[0] === "bunx" ? 1 : w[0] === "pnpm" && w[1] === "exec" ? 2 : 0;
  const tool = w[runner];
  if (tool === undefined) return { reason: "an empty command" };
  const rest = w.slice(runner + 1);
  const cmd = (ws: string[]) => [tool, ...ws].join(" ");
  if (/^(?:npm|pnpm|yarn)$/.test(tool) && runner === 0) return { reason: `"${part.trim()}" runs another script, whose read-only form is not known here` };
  if (tool === "prettier") {
    if (rest.some((x) => /^(?:--check|-c|--list-different|-l)$/.test(x))) return { command: cmd(rest), changed: [] };
    const written = rest.some((x) => /^(?:--write|-w)$/.test(x));
    return { command: cmd(["--check", ...rest.filter((x) => !/^(?:--write|-w)$/.test(x))]), changed: [written ? "--write → --check" : "--check added"] };
  }
  if (tool === "ruff") {
    if (rest[0] === "format") {
      if (rest.includes("--check") || rest.includes("--diff")) return { command: cmd(rest), changed: [] };
      return { command: cmd(["format", "--check", ...rest.slice(1)]), changed: ["ruff format → ruff format --check"] };
    }
    const dropped = rest.filter((x) => FIX_FLAGS.test(x));
    return { command: cmd(rest.filter((x) => !FIX_FLAGS.test(x))), changed: dropped.map((d) => `${d} dropped`) };
  }
  if (tool === "black") {
    if (rest.includes("--check") || rest.includes("--diff")) return { command: cmd(rest), changed: [] };
    return { command: cmd(["--check", ...rest]), changed: ["--check added"] };
  }
  if (tool === "isort") {
    if (rest.some((x) => /^(?:--check|--check-only|-c|--diff)$/.test(x))) return { command: cmd(rest), changed: [] };
    return { command: cmd(["--check-only", ...rest]), changed: ["--check-only added"] };
  }
  if (DROP_FLAG_TOOLS.has(tool)) {
    const dropped = rest.filter((x) => FIX_FLAGS.test(x));
    // `biome format --write` → `biome format` (reports the files it would change and fails).
    return { command: cmd(rest.filter((x) => !FIX_FLAGS.test(x))), changed: dropped.map((d) => `${d} dropped`) };
  }
  const fixing = rest.find((x) => FIX_FLAGS.test(x) || x === "-w");
  if (fixing !== undefined) return { reason: `${tool} ${fixing} rewrites files and no read-only form of ${tool} is known here` };
  return { command: cmd(rest), changed: [] };
}

/**
 * The read-only form of a lint script (`a --fix && b --write` → `a && b --check`): each part's
 * command (the tool named without a runner), and what was changed; or why there is none.
 */
export function readOnlyForm(script: string): { parts: string[]; changed: string[] } | { reason: string } {
  if (/[|;]|\$\(|`/.test(script.replace(/"[^"]*"|'[^']*'/g, ""))) return { reason: "a pipeline or a list of commands, which is not rewritten here" };
  const parts: string[] = [];
  const changed: string[] = [];
  for (const p of script.split("&&").map((s) => s.trim())) {
    if (/^(?:[A-Z_][A-Z0-9_]*=\S*\s+)+/.test(p)) return { reason: `"${p}" sets environment variables, which is not rewritten here` };
    const r = partReadOnly(p);
    if ("reason" in r) return r;
    parts.push(r.command);
    changed.push(...r.changed);
  }
  if (changed.length === 0) return { reason: "no fixing flag was found to drop" };
  return { parts, changed };
}
