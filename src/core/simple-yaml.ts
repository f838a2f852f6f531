/**
 * A fast reader for the answers files this tool writes itself: comment lines, `key: scalar`,
 * `key:` with a list of scalars, and `services:` with a list of flat mappings (whose values are
 * scalars or lists of scalars). A scalar is plain or a JSON double-quoted string. Anything else
 * (flow collections, anchors, block scalars, comments after a value, an ambiguous plain scalar)
 * returns undefined and the caller parses the file with the YAML library, so the answer is always
 * the library's; this only spares a repository of hundreds of services the full parse.
 */

export interface SimpleYaml {
  value: Record<string, unknown>;
  /** file:line:column of a key (or of a list item) by path, nearest parent as a fallback. */
  where(path: readonly (string | number)[]): string;
  /** file:line:column of a key's value when it is on the key's line, else as `where`. */
  valueWhere(path: readonly (string | number)[]): string;
}

/** A plain scalar whose meaning is certain: a string, a decimal integer, true or false. */
function plain(s: string): { v: unknown } | undefined {
  if (s === "true" || s === "false") return { v: s === "true" };
  if (/^-?(?:0|[1-9][0-9]{0,14})$/.test(s)) return { v: Number(s) };
  // A folder: "." or "./path" (a build target) is a string in every YAML schema.
  if (s === "." || /^\.\/[\w./@+=-]*$/.test(s)) return { v: s };
  if (
    /^[A-Za-z_/][\w./@+=:-]*(?: [\w./@+=:-]+)*$/.test(s) &&
    !/: |:$/.test(s) &&
    !/^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/.test(s)
  )
    return { v: s };
  return undefined;
}

function scalar(raw: string): { v: unknown } | undefined {
  if (raw.startsWith('"')) {
    if (!raw.endsWith('"') || raw.length < 2 || /\\[^"\\/bfnrtu]/.test(raw)) return undefined;
    try {
      const v = JSON.parse(raw) as unknown;
      return typeof v === "string" ? { v } : undefined;
    } catch {
      return undefined;
    }
  }
  return plain(raw);
}

/**
 * The line with every double-quoted string's content removed ("..." becomes ""), by a scan: a
 * regular expression with an alternation inside a repetition recurses once per character in V8 and
 * overflows the stack on a line of a few million characters.
 */
function withoutDoubleQuoted(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    const open = line.indexOf('"', i);
    if (open < 0) return out + line.slice(i);
    let j = open + 1;
    while (j < line.length && line[j] !== '"') j += line[j] === "\\" ? 2 : 1;
    if (j >= line.length) return out + line.slice(i);
    out += `${line.slice(i, open)}""`;
    i = j + 1;
  }
  return out;
}

const KEY = /^([A-Za-z][A-Za-z0-9_]*):(?: (.*))?$/;

export function parseSimpleYaml(text: string, file: string): SimpleYaml | undefined {
  // A `__proto__` key is for the YAML library's reader, which refuses it.
  if (text.includes("\t") || text.includes("\r") || text.startsWith("\uFEFF") || text.includes("__proto__")) return undefined;
  const lines = text.split("\n");
  const value: Record<string, unknown> = {};
  const at = new Map<string, string>();
  // Lists written as "key:" and items below: with no item, YAML reads null, not [] (left to the library).
  const block: unknown[][] = [];
  const mark = (path: (string | number)[], line: number, col: number) => at.set(JSON.stringify(path), `${file}:${line + 1}:${col + 1}`);
  // A `key: value` line's value: after the key, its colon and one space.
  const valueAt = new Map<string, string>();
  const markValue = (path: (string | number)[], line: number, col: number) => valueAt.set(JSON.stringify(path), `${file}:${line + 1}:${col + 1}`);
  // What the next indented lines belong to: a top-level list, the services list, or a list inside a service.
  let list: { arr: unknown[]; path: (string | number)[]; indent: number } | undefined;
  let items: Record<string, unknown>[] | undefined;
  let item: { o: Record<string, unknown>; path: (string | number)[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "" || /^ *#/.test(line)) continue;
    if (line.startsWith("---") || line.startsWith("...")) return undefined;
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (body.endsWith(" ") || / #/.test(withoutDoubleQuoted(body))) return undefined;
    if (indent === 0) {
      list = undefined;
      items = undefined;
      item = undefined;
      const m = KEY.exec(body);
      if (!m) return undefined;
      const [, k, rest] = m as unknown as [string, string, string | undefined];
      if (k in value) return undefined;
      mark([k], i, 0);
      if (rest === undefined || rest === "") {
        const arr: unknown[] = [];
        value[k] = arr;
        block.push(arr);
        if (k === "services") items = arr as Record<string, unknown>[];
        else list = { arr, path: [k], indent: 2 };
        continue;
      }
      if (rest === "[]") {
        value[k] = [];
        continue;
      }
      const s = scalar(rest);
      if (!s) return undefined;
      value[k] = s.v;
      markValue([k], i, k.length + 2);
      continue;
    }
    // A list of scalars (top-level or inside a service).
    if (list && indent === list.indent && body.startsWith("- ")) {
      const s = scalar(body.slice(2));
      if (!s) return undefined;
      mark([...list.path, list.arr.length], i, indent + 2);
      list.arr.push(s.v);
      continue;
    }
    if (!items) return undefined;
    // A service: "  - key: value" starts one, "    key: value" continues it.
    let kv: string;
    let col: number;
    if (indent === 2 && body.startsWith("- ")) {
      const o: Record<string, unknown> = {};
      item = { o, path: ["services", items.length] };
      mark(item.path, i, 4);
      items.push(o);
      kv = body.slice(2);
      col = 4;
    } else if (indent === 4 && item) {
      kv = body;
      col = 4;
    } else return undefined;
    list = undefined;
    const m = KEY.exec(kv);
    if (!m) return undefined;
    const [, k, rest] = m as unknown as [string, string, string | undefined];
    if (k in item!.o) return undefined;
    mark([...item!.path, k], i, col);
    if (rest === undefined || rest === "") {
      const arr: unknown[] = [];
      item!.o[k] = arr;
      block.push(arr);
      list = { arr, path: [...item!.path, k], indent: 6 };
      continue;
    }
    if (rest === "[]") {
      item!.o[k] = [];
      continue;
    }
    const s = scalar(rest);
    if (!s) return undefined;
    item!.o[k] = s.v;
    markValue([...item!.path, k], i, col + k.length + 2);
  }
  if (block.some((a) => a.length === 0)) return undefined;
  const where = (path: readonly (string | number)[]) => {
    for (let n = path.length; n > 0; n--) {
      const w = at.get(JSON.stringify(path.slice(0, n)));
      if (w !== undefined) return w;
    }
    return `${file}:1:1`;
  };
  return { value, where, valueWhere: (path) => valueAt.get(JSON.stringify(path)) ?? where(path) };
}
