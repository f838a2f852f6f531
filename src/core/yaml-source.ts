import { LineCounter, parseDocument, isMap, isNode, type Document } from "yaml";
import { PipelineError } from "./errors.js";

/** A parsed YAML file that can say where each value came from (file:line:column). */
export interface YamlSource {
  file: string;
  doc: Document;
  value: unknown;
  where(path: readonly (string | number)[]): string;
}

export function parseYamlSource(text: string, file: string, code: "validation" | "pack" = "validation"): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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
  const where = (path: readonly (string | number)[]): string => {
    // Point at the key when there is one, else at the value, else at the nearest parent.
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const parent = sub.length ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      if (sub.length && isMap(parent)) {
        const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === sub.at(-1));
        if (pair && isNode(pair.key) && pair.key.range) return posOf(pair.key.range[0]);
      }
      const node = sub.length ? doc.getIn(sub, true) : doc.contents;
      if (isNode(node) && node.range) return posOf(node.range[0]);
    }
    return file;
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
  return { file, doc, value, where };
}
