import { createRequire } from "node:module";

// Loaded on first use: no built-in template calls h.yaml, and the YAML library is the largest
// module a create would otherwise load.
let yamlStringify: ((v: unknown, o: object) => string) | undefined;
const stringify = (v: unknown, o: object) =>
  (yamlStringify ??= (createRequire(import.meta.url)("yaml") as { stringify: typeof yamlStringify }).stringify!)(v, o);

/** Helpers templates reach as `it.h`. Pure string functions only. */
export const helpers = {
  yaml(value: unknown, indent = 0): string {
    const text = stringify(value, { lineWidth: 0 }).replace(/\n$/, "");
    return helpers.indent(text, indent).trimStart();
  },
  json(value: unknown): string {
    return JSON.stringify(value, null, 2);
  },
  indent(text: string, n: number): string {
    const pad = " ".repeat(n);
    return text
      .split("\n")
      .map((l) => (l.length ? pad + l : l))
      .join("\n");
  },
  quote(s: unknown): string {
    return JSON.stringify(String(s));
  },
  kebab(s: string): string {
    return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/[^a-z0-9-]+/gi, "-");
  },
  title(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
  },
  upper(s: string): string {
    return s.toUpperCase().replace(/-/g, "_");
  },
};
