// Editing the shared answers at the top of a repository's answers file that lists several
// services, keeping the user's comments and layout (the YAML library, loaded only here).
import { isMap, isScalar, isSeq, parse, parseDocument, type Document } from "yaml";
import { replaceValue } from "./answers-file.js";
import { normaliseServicePath } from "./services.js";
import type { AnswerValue, PackManifest } from "./types.js";

/** The answers text with these top-level answers set (changed in place, new ones before `services:`). */
export function setTopAnswers(text: string, _manifest: PackManifest, answers: Record<string, AnswerValue>): string {
  const doc = parseDocument(text, { uniqueKeys: false }) as unknown as Document; // read (and checked) before
  const map = doc.contents;
  if (!isMap(map)) return text;
  for (const [k, v] of Object.entries(answers)) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === k);
    if (pair) pair.value = replaceValue(doc, pair.value, v);
    else {
      const at = map.items.findIndex((p) => isScalar(p.key) && p.key.value === "services");
      map.items.splice(at < 0 ? map.items.length : at, 0, doc.createPair(k, v));
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** The answers text with these answers set under one service's item of the services list (changed in place, new ones at its end). */
export function setServiceAnswers(text: string, path: string, answers: Record<string, AnswerValue>): string {
  const doc = parseDocument(text, { uniqueKeys: false }) as unknown as Document; // read (and checked) before
  const map = doc.contents;
  if (!isMap(map)) return text;
  const list = map.items.find((p) => isScalar(p.key) && p.key.value === "services")?.value;
  if (!isSeq(list)) return text;
  const item = list.items.find((i) => {
    if (!isMap(i)) return false;
    const at = i.items.find((p) => isScalar(p.key) && p.key.value === "path");
    if (!at || !isScalar(at.value)) return false;
    try {
      return normaliseServicePath(at.value.value, "") === path;
    } catch {
      return false;
    }
  });
  if (!isMap(item)) return text;
  for (const [k, v] of Object.entries(answers)) {
    const pair = item.items.find((p) => isScalar(p.key) && p.key.value === k);
    if (pair) pair.value = replaceValue(doc, pair.value, v);
    else item.items.push(doc.createPair(k, v));
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * The answers text with one more item (`item`: the lines of a block list item, indented by two) at
 * the end of its services list, the rest untouched; undefined when that cannot be done. The result
 * is read back: it must be the old answers with exactly that item added. A list the line edit
 * cannot extend (flow style, items at column 0) gets the item from the YAML library instead.
 */
export function appendServiceItem(text: string, item: string): string | undefined {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const read = (t: string): unknown => {
    try {
      return parse(t.replace(/^\uFEFF/, ""), { uniqueKeys: false });
    } catch {
      return undefined;
    }
  };
  const old = read(text) as { services?: unknown[] } | undefined;
  const added = read(item.replace(/^ {2}/gm, ""));
  if (!Array.isArray(added)) return undefined;
  const want = JSON.stringify({ ...old, services: [...(Array.isArray(old?.services) ? old.services : []), ...added] });
  const crlf = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^services[ \t]*:/.test(l));
  if (start >= 0) {
    let end = start + 1;
    // The list runs while lines are indented, list items, blank or comments.
    while (end < lines.length && (/^[ \t-]/.test(lines[end]!) || lines[end]!.trim() === "" || lines[end]!.startsWith("#"))) end++;
    while (end > start + 1 && lines[end - 1]!.trim() === "") end--;
    if (/^services[ \t]*:[ \t]*\[\s*\]/.test(lines[start]!)) lines[start] = "services:";
    const out = [...lines];
    out.splice(end, 0, ...item.split("\n").map((l) => (crlf ? `${l}\r` : l)));
    const joined = out.join("\n");
    if (JSON.stringify(read(joined)) === want) return joined;
  }
  // Flow style, items at column 0, a quoted key: the YAML library adds the item (comments kept).
  const doc = parseDocument(text.replace(/^\uFEFF/, ""), { uniqueKeys: false });
  const list = isMap(doc.contents) ? doc.contents.get("services", true) : undefined;
  if (!isSeq(list)) return undefined;
  for (const a of added) list.items.push(doc.createNode(a));
  const out = `${bom}${doc.toString({ lineWidth: 0 })}`;
  if (JSON.stringify(read(out)) !== want) return undefined;
  return crlf ? out.replace(/\r?\n/g, "\r\n") : out;
}
