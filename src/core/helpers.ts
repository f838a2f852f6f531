// The YAML writer of h.yaml. The YAML library is bundled into the tool but kept off the start-up
// path of a built-in pack's create (it is the largest module), so it is handed in by whoever loads
// it: reading a pack folder does (src/io/pack-dir.ts), and loadPack loads it for a built-in pack
// whose templates call h.yaml. Nothing is required from node_modules.
let yamlStringify: ((v: unknown, o: object) => string) | undefined;
export const setYamlStringify = (f: (v: unknown, o: object) => string): void => {
  yamlStringify = f;
};
const stringify = (v: unknown, o: object) => {
  if (!yamlStringify) throw new Error("h.yaml was called before the YAML library was loaded");
  return yamlStringify(v, o);
};

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
