// Editing the shared answers at the top of a repository's answers file that lists several
// services, keeping the user's comments and layout (the YAML library, loaded only here).
import { isMap, isScalar, parseDocument, type Document } from "yaml";
import type { AnswerValue, PackManifest } from "./types.js";

/** The answers text with these top-level answers set (changed in place, new ones before `services:`). */
export function setTopAnswers(text: string, _manifest: PackManifest, answers: Record<string, AnswerValue>): string {
  const doc = parseDocument(text, { uniqueKeys: false }) as unknown as Document; // read (and checked) before
  const map = doc.contents;
  if (!isMap(map)) return text;
  for (const [k, v] of Object.entries(answers)) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === k);
    if (pair) pair.value = doc.createNode(v);
    else {
      const at = map.items.findIndex((p) => isScalar(p.key) && p.key.value === "services");
      map.items.splice(at < 0 ? map.items.length : at, 0, doc.createPair(k, v));
    }
  }
  return doc.toString({ lineWidth: 0 });
}
