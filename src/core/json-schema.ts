import { CONTROL, CONTROL_MULTILINE, MAX_ANSWER_LENGTH } from "./answers.js";
import type { Condition, PackManifest, Question } from "./types.js";

type Schema = Record<string, unknown>;

/**
 * JSON Schema for an answers file, so editors complete and check `.create-pipeline.yaml`. It
 * carries the same rules the CLI applies to a text answer (answers.ts `coerce`): one line (no
 * control character), the length ceiling, the pack's `pattern` and `maxLength`, and every
 * `refuse:` rule, a conditional one as "the condition fails, or the answer is refused" (checked
 * when the answers it depends on are in the same object: the file's top, or one service's entry).
 */
export function answersSchema(manifest: PackManifest): Schema {
  const properties: Record<string, unknown> = {};
  for (const q of manifest.questions) properties[q.key] = propertyOf(q);
  const conditional = (keys: readonly string[]) => conditionalRefusals(manifest.questions.filter((q) => keys.includes(q.key)));
  if (manifest.services) {
    // A repository of several services: its folder and the answers it overrides, per service.
    const keys = manifest.services.keys;
    const item: Record<string, unknown> = {
      path: { description: "The service's folder, relative to the repository root", type: "string", minLength: 1, not: { pattern: CONTROL.source } },
    };
    for (const k of keys) item[k] = properties[k];
    const rules = conditional(keys);
    properties.services = {
      description: "The services of a repository of several services; each inherits the answers above that it does not set",
      type: "array",
      minItems: 1,
      items: { type: "object", additionalProperties: false, required: ["path"], properties: item, ...(rules.length ? { allOf: rules } : {}) },
    };
  }
  const rules = conditional(manifest.questions.map((q) => q.key));
  return {
    $schema: "https://json-schema.org/draft-07/schema#",
    title: `create-pipeline answers for the '${manifest.name}' template pack ${manifest.version}`,
    type: "object",
    additionalProperties: false,
    properties,
    ...(rules.length ? { allOf: rules } : {}),
  };
}

function propertyOf(q: Question): Schema {
  const description = [q.message, q.help].filter(Boolean).join(". ");
  const choices = (q.choices ?? []).map((c) => c.value);
  switch (q.type) {
    case "confirm":
      return { description, type: "boolean" };
    case "number":
      return { description, type: "integer", ...(q.min !== undefined ? { minimum: q.min } : {}), ...(q.max !== undefined ? { maximum: q.max } : {}) };
    case "select":
      return { description, enum: choices };
    case "multiselect":
      return { description, type: "array", items: { enum: choices }, uniqueItems: true };
    default: {
      // What is refused whatever the other answers: a control character (a line break, unless the
      // question is multi-line), and each unconditional `refuse:` pattern.
      const refused = [(q.multiline ? CONTROL_MULTILINE : CONTROL).source, ...(q.refuse ?? []).filter((r) => r.when === undefined).map((r) => r.pattern)];
      return {
        description,
        type: "string",
        ...(q.pattern ? { pattern: q.pattern } : {}),
        maxLength: Math.min(q.maxLength ?? MAX_ANSWER_LENGTH, MAX_ANSWER_LENGTH),
        ...(refused.length === 1 ? { not: { pattern: refused[0] } } : { allOf: refused.map((pattern) => ({ not: { pattern } })) }),
      };
    }
  }
}

/** The `refuse:` rules that hold only under a condition. */
function conditionalRefusals(questions: readonly Question[]): Schema[] {
  const out: Schema[] = [];
  for (const q of questions)
    for (const r of q.refuse ?? []) {
      if (r.when === undefined) continue;
      // "if the condition holds, then refused", written as "the condition fails, or refused".
      out.push({ anyOf: [{ not: conditionSchema(r.when) }, { properties: { [q.key]: { not: { pattern: r.pattern } } } }] });
    }
  return out;
}

/** A condition on answers as a schema the answers object matches exactly when it holds (its keys present). */
function conditionSchema(c: Condition): Schema {
  if ("all" in c) return { allOf: c.all.map(conditionSchema) };
  if ("any" in c) return { anyOf: c.any.map(conditionSchema) };
  if ("not" in c) return { not: conditionSchema(c.not) };
  const on = (value: Schema) => ({ properties: { [c.key]: value }, required: [c.key] });
  if ("equals" in c) return on({ const: c.equals });
  if ("in" in c) return on({ enum: c.in });
  if ("includes" in c) return on({ type: "array", contains: { const: c.includes } });
  if ("matches" in c) return on({ type: "string", pattern: c.matches });
  return on({ not: { enum: [false, "", 0, []] } });
}

/**
 * The schema as the repository's copy (SCHEMA_FILE) holds it. Without the `$schema` keyword: its
 * only standard value is an http:// URL, which URL linters in many repositories reject (Spring's
 * nohttp, for one); the keywords used are draft-07's, which editors assume when it is absent.
 */
export function answersSchemaFile(manifest: PackManifest): string {
  const { $schema: _drop, ...rest } = answersSchema(manifest);
  return `${JSON.stringify(rest, null, 2)}\n`;
}
