import type { PackManifest, Question } from "./types.js";

/** JSON Schema for an answers file, so editors complete and check `.create-pipeline.yaml`. */
export function answersSchema(manifest: PackManifest): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const q of manifest.questions) properties[q.key] = propertyOf(q);
  if (manifest.services) {
    // A repository of several services: its folder and the answers it overrides, per service.
    const keys = manifest.services.keys;
    const item: Record<string, unknown> = { path: { description: "The service's folder, relative to the repository root", type: "string", minLength: 1 } };
    for (const k of keys) item[k] = properties[k];
    properties.services = {
      description: "The services of a repository of several services; each inherits the answers above that it does not set",
      type: "array",
      minItems: 1,
      items: { type: "object", additionalProperties: false, required: ["path"], properties: item },
    };
  }
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

/**
 * The schema as the repository's copy (SCHEMA_FILE) holds it. Without the `$schema` keyword: its
 * only standard value is an http:// URL, which URL linters in many repositories reject (Spring's
 * nohttp, for one); the keywords used are draft-07's, which editors assume when it is absent.
 */
export function answersSchemaFile(manifest: PackManifest): string {
  const { $schema: _drop, ...rest } = answersSchema(manifest);
  return `${JSON.stringify(rest, null, 2)}\n`;
}
