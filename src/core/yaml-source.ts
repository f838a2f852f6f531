import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, visit, type Document } from "yaml";
import { PipelineError } from "./errors.js";

/** A parsed YAML file that can say where each value came from (file:line:column). */
export interface YamlSource {
  file: string;
  doc: Document;
  value: unknown;
  where(path: readonly (string | number)[]): string;
  /** file:line:column of the value at a path (a wrong value is reported where it is written), else as `where`. */
  valueWhere(path: readonly (string | number)[]): string;
}

/** How deep `[`/`{` may nest in a file this tool reads (its own files nest a few levels). */
export const MAX_NESTING = 1000;

/**
 * Where flow collections (`[`, `{`) first nest deeper than MAX_NESTING, outside quotes and
 * comments; undefined when they never do. The YAML library (and everything that walks a value
 * after it) recurses once per level: 100,000 levels would end in a stack overflow, not an error
 * that says what is wrong.
 */
export function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = "";
      continue;
    }
    // A quote opens a quoted scalar only where one can start (after a space, an indicator or at a
    // line's start); an apostrophe inside a plain word (it's) is text.
    if ((c === '"' || c === "'") && (i === 0 || /[\s[\]{},:-]/.test(text[i - 1]!))) quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl;
    } else if (c === "[" || c === "{") {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return undefined;
}

export function parseYamlSource(text: string, file: string, code: "validation" | "pack" = "validation"): YamlSource {
  const lineCounter = new LineCounter();
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const line = text.slice(0, deep).split("\n").length;
    throw new PipelineError(code, `${file} is nested too deeply: more than ${MAX_NESTING} levels of [ ] or { }`, {
      where: `${file}:${line}`,
      hint: "write the values out flat (an answers file holds values one or two levels deep)",
    });
  }
  // The library's own duplicate-key check compares each key with every earlier one (a file of
  // 30,000 keys took seconds): it is off, and the one pass below does the same with a set per map.
  // resolveKnownTags off: YAML 1.1's !!binary, !!set, !!omap, !!pairs and !!timestamp are not in
  // the 1.2 core schema this tool reads, so they are unknown tags like any `!local` one (below).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false });
  const posOf = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  const first = doc.errors[0];
  if (first) {
    throw new PipelineError(code, `${file} is not valid YAML: ${first.message.split("\n")[0]}`, {
      where: posOf(first.pos[0]),
      hint: "fix the YAML syntax at that position",
    });
  }
  // A tag the core schema does not know (`port: !foo 8080`, `!!binary`, `- !env dev`) would be
  // dropped by the library with only a warning, the value read as plain text or a map: the file
  // meant something this tool cannot see, so it says so (the 1.2 core tags !!str, !!int, !!map...
  // are read as they say).
  const tag = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (tag) {
    const source = text.slice(tag.pos[0], tag.pos[1]);
    throw new PipelineError(code, `${file} has the YAML tag '${source}', which this tool does not read`, {
      where: posOf(tag.pos[0]),
      hint: `remove '${source}' and write the value itself (\`port: 8080\`, not \`port: !tag 8080\`): this tool reads plain YAML 1.2 values`,
    });
  }
  // Keys must be unique in each map, as the library's uniqueKeys option checks (scalar keys by
  // value), with its message, at the second occurrence of the key.
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value))
          throw new PipelineError(code, `${file} is not valid YAML: Map keys must be unique`, {
            where: pair.key.range ? posOf(pair.key.range[0]) : file,
            hint: "fix the YAML syntax at that position",
          });
        seen.add(pair.key.value);
      }
    },
  });
  // `__proto__` as a key would set the object's prototype instead of a value: the key would be
  // silently dropped (and its contents inherited by lookups). No file of this tool has such a key.
  visit(doc, {
    Pair(_, pair) {
      // A merge key is YAML 1.1: this tool reads YAML 1.2, where `<<` would be a key of its own
      // (and an answer the file meant to inherit would silently be missing).
      if (isScalar(pair.key) && pair.key.value === "<<" && !isScalar(pair.value))
        throw new PipelineError(code, `${file} has a YAML merge key (<<), which this tool does not read (YAML 1.2 has none)`, {
          where: pair.key.range ? posOf(pair.key.range[0]) : file,
          hint: "write the keys it brings in out in place of `<<: *…`, then run the command again",
        });
      if (isScalar(pair.key) && pair.key.value === "__proto__")
        throw new PipelineError(code, `${file} has a key '__proto__', which is not a name this tool reads`, {
          where: pair.key.range ? posOf(pair.key.range[0]) : file,
          hint: "remove that key",
        });
    },
  });
  // Where each key and value starts, by path: built on first use in one walk (a file of
  // hundreds of services asks for thousands of places; looking each up from the top would not scale).
  let keys: Map<string, number> | undefined;
  let values: Map<string, number> | undefined;
  const index = () => {
    keys = new Map();
    values = new Map();
    const walk = (node: unknown, path: (string | number)[]) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isNode(pair.key)) continue;
          const k = (pair.key as { value?: unknown }).value;
          if (typeof k !== "string" && typeof k !== "number") continue;
          const sub = [...path, k];
          const id = JSON.stringify(sub);
          if (pair.key.range && !keys!.has(id)) keys!.set(id, pair.key.range[0]);
          if (isNode(pair.value) && pair.value.range && !values!.has(id)) values!.set(id, pair.value.range[0]);
          walk(pair.value, sub);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const sub = [...path, i];
          if (isNode(item) && item.range) values!.set(JSON.stringify(sub), item.range[0]);
          walk(item, sub);
        });
      }
    };
    walk(doc.contents, []);
  };
  const where = (path: readonly (string | number)[]): string => {
    if (!keys) index();
    // Point at the key when there is one, else at the value, else at the nearest parent.
    for (let n = path.length; n > 0; n--) {
      const id = JSON.stringify(path.slice(0, n));
      const at = keys!.get(id) ?? values!.get(id);
      if (at !== undefined) return posOf(at);
    }
    const top = doc.contents;
    if (isNode(top) && top.range) return posOf(top.range[0]);
    return file;
  };
  const valueWhere = (path: readonly (string | number)[]): string => {
    if (!values) index();
    const at = values!.get(JSON.stringify(path));
    return at !== undefined ? posOf(at) : where(path);
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The YAML library stops a document whose aliases expand without bound (an "alias bomb").
    throw new PipelineError(code, `${file} cannot be read: ${(e as Error).message}`, {
      where: file,
      hint: "write the values out instead of nesting aliases (&name / *name)",
    });
  }
  return { file, doc, value, where, valueWhere };
}
