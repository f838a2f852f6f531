import type { PackManifest, Question } from "./types.js";

/** JSON Schema for an answers file, so editors complete and check `.create-pipeline.yaml`. */
export function answersSchema(manifest: PackManifest): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const q of manifest.questions) properties[q.key] = propertyOf(q);
  return {
    $schema: "https://json-schema.org/draft-07/schema#",
    title: `create-pipeline answers for the '${manifest.name}' template pack ${manifest.version}`,
    type: "object",
    additionalProperties: false,
    properties,
  };
}

function propertyOf(q: Question): Record<string, unknown> {
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
    default:
      return { description, type: "string", ...(q.pattern ? { pattern: q.pattern } : {}), ...(q.maxLength ? { maxLength: q.maxLength } : {}) };
  }
}
