// Editing the shared answers at the top of a repository's answers file that lists several
// services, keeping the user's comments and layout (the YAML library, loaded only here).
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
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
