/**
 * The dependencies a Python project declares, read from its manifests without a TOML library:
 * pyproject.toml (PEP 621 `[project] dependencies` and `[project.optional-dependencies]`, PEP 735
 * `[dependency-groups]`, `[tool.uv] dev-dependencies`, `[tool.pdm.dev-dependencies]`, Poetry's
 * `[tool.poetry.dependencies]`, `[tool.poetry.dev-dependencies]` and
 * `[tool.poetry.group.<name>.dependencies]`) and a Pipfile (`[packages]`, `[dev-packages]`).
 * Arrays may be on one line or spread over several, with comments and trailing commas.
 */

export interface Declared {
  /** What the service needs to run (installed in the image). */
  runtime: Set<string>;
  /** Extras and groups (dev, test, lint, ...): installed for CI, not in the image. */
  dev: Set<string>;
}

/** A requirement string's distribution name, normalised (PEP 503: lower case, `_`/`.` as `-`). */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m?.[1] === undefined ? undefined : normalise(m[1]);
}

export function normalise(name: string): string {
  return name.toLowerCase().replace(/[._-]+/g, "-");
}

interface Section {
  table: string;
  /** Each key of the table with its raw value text (an array may span several lines). */
  entries: { key: string; value: string }[];
}

/** Strip a `#` comment that is not inside a string. */
function uncomment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

/** Open brackets minus closed ones outside strings. */
function depth(text: string): number {
  let d = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") d++;
    else if (c === "]" || c === "}") d--;
  }
  return d;
}

/** The tables of a TOML document with their keys; a multi-line array value is joined. */
export function tomlSections(text: string | undefined): Section[] {
  const out: Section[] = [];
  if (text === undefined) return out;
  let cur: Section = { table: "", entries: [] };
  out.push(cur);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = uncomment(lines[i]!).trim();
    if (line === "") continue;
    const header = /^\[\[?\s*([^[\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      cur = { table: header[1]!.replace(/\s*\.\s*/g, ".").replace(/["']/g, ""), entries: [] };
      out.push(cur);
      continue;
    }
    const kv = /^("[^"]+"|'[^']+'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (kv === null) continue;
    let value = kv[2]!;
    // An array or inline table continues until its brackets close.
    while (depth(value) > 0 && i + 1 < lines.length) value += `\n${uncomment(lines[++i]!)}`;
    cur.entries.push({ key: kv[1]!.replace(/^["']|["']$/g, ""), value });
  }
  return out;
}

/** The strings of an array value: `["a>=1", 'b[x]']` → ["a>=1", "b[x]"]. */
export function stringsIn(value: string): string[] {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "");
}

/** The runtime and development dependencies pyproject.toml and a Pipfile declare. */
export function declaredDependencies(pyproject: string | undefined, pipfile: string | undefined): Declared {
  const runtime = new Set<string>();
  const dev = new Set<string>();
  const addAll = (to: Set<string>, reqs: string[]) => {
    for (const r of reqs) {
      const n = requirementName(r);
      if (n !== undefined) to.add(n);
    }
  };
  for (const s of tomlSections(pyproject)) {
    const t = s.table;
    for (const { key, value } of s.entries) {
      if (t === "project" && key === "dependencies") addAll(runtime, stringsIn(value));
      else if (t === "project.optional-dependencies" || t === "dependency-groups" || t === "tool.pdm.dev-dependencies")
        addAll(dev, stringsIn(value.replace(/\{[^}]*\}/g, "")));
      else if (t === "tool.uv" && key === "dev-dependencies") addAll(dev, stringsIn(value));
      else if (t === "tool.poetry.dependencies" && key.toLowerCase() !== "python") addAll(runtime, [key]);
      else if ((t === "tool.poetry.dev-dependencies" || /^tool\.poetry\.group\.[^.]+\.dependencies$/.test(t)) && key.toLowerCase() !== "python")
        addAll(dev, [key]);
    }
  }
  for (const s of tomlSections(pipfile)) {
    if (s.table === "packages")
      addAll(
        runtime,
        s.entries.map((e) => e.key),
      );
    if (s.table === "dev-packages")
      addAll(
        dev,
        s.entries.map((e) => e.key),
      );
  }
  return { runtime, dev };
}

/** Requirement names of a requirements file (`-r other.txt` and options skipped). */
export function requirementsIn(text: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of (text ?? "").split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "" || line.startsWith("-")) continue;
    const n = requirementName(line);
    if (n !== undefined && !/^(?:https?|git\+|file):/.test(line)) out.add(n);
  }
  return out;
}
