// Editing the shared answers at the top of a repository's answers file that lists several
// services, keeping the user's comments and layout (the YAML library, loaded only here).
import { isAlias, isMap, isScalar, isSeq, parse, type Document, type Node, type YAMLMap } from "yaml";
import { editAnswersDocument, LinkedValueError, refuseLinked, refuseMergeKeys, replaceValue, sameValue, type At } from "./answers-file.js";
import { bareText, inTextForm, textForm } from "./answers-read.js";
import { validationError } from "./errors.js";
import { normaliseServicePath } from "./services.js";
import { ANSWERS_FILE } from "./state.js";
import type { AnswerValue, PackManifest } from "./types.js";

/** Set these answers in a mapping of the file (changed in place; new ones where `insertAt` says). */
function setIn(
  doc: Document,
  map: YAMLMap,
  at: At,
  file: string,
  answers: Record<string, AnswerValue>,
  old: Record<string, unknown>,
  insertAt: () => number,
  where: string,
) {
  refuseMergeKeys(map, at, file);
  for (const [k, v] of Object.entries(answers)) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === k);
    if (pair) {
      if (sameValue(old[k], v)) continue;
      refuseLinked(doc, pair.value, at, file, `answer '${k}'${where}`, true);
      pair.value = replaceValue(doc, pair.value, v);
    } else map.items.splice(insertAt(), 0, doc.createPair(k, v));
  }
}

/** The answers text with these top-level answers set (changed in place, new ones before `services:`). */
export function setTopAnswers(text: string, _manifest: PackManifest, answers: Record<string, AnswerValue>, file = ANSWERS_FILE): string {
  return editAnswersDocument(
    text,
    file,
    (doc, map, at, old) =>
      setIn(
        doc,
        map,
        at,
        file,
        answers,
        old,
        () => {
          const i = map.items.findIndex((p) => isScalar(p.key) && p.key.value === "services");
          return i < 0 ? map.items.length : i;
        },
        "",
      ),
    (old) => ({ ...old, ...answers }),
  );
}

/** Whether a services-list item is the service in folder `path`. */
function isService(item: unknown, path: string): boolean {
  const p = (item as { path?: unknown } | null)?.path;
  if (typeof p !== "string") return false;
  try {
    return normaliseServicePath(p, "") === path;
  } catch {
    return false;
  }
}

/** The answers text with these answers set under one service's item of the services list (changed in place, new ones at its end). */
export function setServiceAnswers(text: string, path: string, answers: Record<string, AnswerValue>, file = ANSWERS_FILE): string {
  return editAnswersDocument(
    text,
    file,
    (doc, map, at, old) => {
      const pair = map.items.find((p) => isScalar(p.key) && p.key.value === "services");
      const list = pair?.value;
      if (isAlias(list)) refuseLinked(doc, list, at, file, "the services list", true);
      if (!isSeq(list))
        throw validationError(
          `${file} has no services list to change service ${path} in`,
          at(pair ?? map),
          "write the services as a list under `services:`, then run the command again",
        );
      const oldItems = (old.services ?? []) as unknown[];
      const index = oldItems.findIndex((i) => isService(i, path));
      const item = list.items[index];
      if (index < 0 || item === undefined)
        throw validationError(`service ${path} is not in the services list of ${file}`, at(list), "add it with the add command first");
      // The item itself is changed: it must not be an alias of another, nor anchored for one.
      refuseLinked(doc, item, at, file, `the item of service ${path}`, true, false);
      if (!isMap(item))
        throw validationError(
          `the item of service ${path} in ${file} is not a mapping`,
          at(item),
          "write it as `- path: <folder>` with `key: value` lines under it",
        );
      setIn(doc, item, at, file, answers, (oldItems[index] ?? {}) as Record<string, unknown>, () => item.items.length, ` of service ${path}`);
    },
    (old) => {
      const services = [...((old.services ?? []) as Record<string, unknown>[])];
      const index = services.findIndex((i) => isService(i, path));
      services[index] = { ...services[index], ...answers };
      return { ...old, services };
    },
  );
}

/**
 * The answers text with one more item (`item`: the lines of a block list item, indented by two) at
 * the end of its services list, the rest untouched; undefined when that cannot be done. The result
 * is read back: it must be the old answers with exactly that item added, with the file's
 * byte-order mark and line endings. A list the line edit cannot extend (flow style, items at
 * column 0, a quoted key) gets the item from the YAML library instead.
 */
export function appendServiceItem(text: string, item: string, file = ANSWERS_FILE): string | undefined {
  const form = textForm(text);
  const body = bareText(text);
  const read = (t: string): unknown => {
    try {
      return parse(bareText(t), { uniqueKeys: false });
    } catch {
      return undefined;
    }
  };
  const old = read(body) as { services?: unknown[] } | undefined;
  const added = read(item.replace(/^ {2}/gm, ""));
  if (!Array.isArray(added)) return undefined;
  const want = JSON.stringify({ ...old, services: [...(Array.isArray(old?.services) ? old.services : []), ...added] });
  const lines = body.split("\n");
  const start = lines.findIndex((l) => /^services[ \t]*:/.test(l));
  if (start >= 0) {
    let end = start + 1;
    // The list runs while lines are indented, list items, blank or comments.
    while (end < lines.length && (/^[ \t-]/.test(lines[end]!) || lines[end]!.trim() === "" || lines[end]!.startsWith("#"))) end++;
    while (end > start + 1 && lines[end - 1]!.trim() === "") end--;
    if (/^services[ \t]*:[ \t]*\[\s*\]/.test(lines[start]!)) lines[start] = "services:";
    const out = [...lines];
    out.splice(end, 0, ...item.split("\n"));
    const joined = inTextForm(out.join("\n"), form);
    if (JSON.stringify(read(joined)) === want) return joined;
  }
  // Flow style, items at column 0, a quoted key: the YAML library adds the item (comments kept).
  try {
    return editAnswersDocument(
      text,
      file,
      (doc, map, at) => {
        const pair = map.items.find((p) => isScalar(p.key) && p.key.value === "services");
        if (isAlias(pair?.value) || (pair && isSeq(pair.value))) refuseLinked(doc, pair.value, at, file, "the services list", true);
        if (!pair || !isSeq(pair.value)) throw validationError("no services list", file);
        for (const a of added) pair.value.items.push(doc.createNode(a) as Node);
      },
      () => JSON.parse(want) as unknown,
    );
  } catch (e) {
    // An alias, anchor or merge key in the way is said as such; anything else is the caller's refusal.
    if (e instanceof LinkedValueError) throw e;
    return undefined;
  }
}
