import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseSimpleYaml } from "../../src/core/simple-yaml.js";
import { yamlScalar } from "../../src/core/state.js";

// The fast reader of answers files either gives exactly what the YAML library gives, or declines.
const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom("a", "Z", "0", "9", "-", ".", "/", ":", " ", "#", "@", "=", "+", "_", "y", "n", "\\", '"'), maxLength: 12 }),
  fc.constantFrom("yes", "No", "null", "~", "1.25", "22", "0x1f", "1e3", ".5", "a: b", "a #b", "- x", "[x]", "007", "-3", "https://x.y/z.git"),
  fc.integer(),
  fc.boolean(),
);
const key = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/);

function render(top: [string, unknown][], services: [string, unknown][][], raw: boolean): string {
  const v = (x: unknown) => (raw ? String(x) : yamlScalar(x));
  const entry = (k: string, x: unknown, ind: string) =>
    Array.isArray(x) ? `${ind}${k}:\n${x.map((i) => `${ind}  - ${v(i)}`).join("\n")}` : `${ind}${k}: ${v(x)}`;
  const lines = ["# comment", ...top.map(([k, x]) => entry(k, x, ""))];
  lines.push("services:");
  for (const s of services) {
    const [first, ...rest] = s;
    if (!first) continue;
    lines.push(entry(first[0], first[1], "  ").replace(/^ {2}/, "  - "));
    for (const [k, x] of rest) lines.push(entry(k, x, "    "));
  }
  return `${lines.join("\n")}\n`;
}

describe("the fast answers-file reader", () => {
  it("reads what the YAML library reads, or declines (never a different value)", () => {
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
    const pairs = fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 5 });
    fc.assert(
      fc.property(pairs, fc.array(pairs, { maxLength: 3 }), fc.boolean(), (top, services, raw) => {
        const text = render(
          top.filter(([k]) => k !== "services"),
          services.map((s) => s.filter(([k]) => k !== "services")),
          raw,
        );
        let lib: unknown;
        try {
          lib = parse(text, { uniqueKeys: true, logLevel: "silent" });
        } catch {
          lib = undefined;
        }
        const fast = parseSimpleYaml(text, "f.yaml");
        if (fast !== undefined) expect(fast.value).toEqual(lib);
      }),
      { numRuns: 400 },
    );
  });

  it("declines comments after a value, flow lists of items, and a bare key", () => {
    expect(parseSimpleYaml("a: b # note\nservices:\n  - path: x\n", "f")).toBeUndefined();
    expect(parseSimpleYaml("a: [x, y]\nservices:\n  - path: x\n", "f")).toBeUndefined();
    expect(parseSimpleYaml("a:\nservices:\n  - path: x\n", "f")).toBeUndefined();
  });

  it("says where a service's answer is, as file:line:column", () => {
    const r = parseSimpleYaml("name: x\nservices:\n  - path: a\n    port: 80\n  - path: b\n", "f.yaml")!;
    expect(r.where(["services", 0, "port"])).toBe("f.yaml:4:5");
    expect(r.where(["services", 1])).toBe("f.yaml:5:5");
    expect(r.where(["name"])).toBe("f.yaml:1:1");
    // a value: where it starts on its key's line
    expect(r.valueWhere(["name"])).toBe("f.yaml:1:7");
    expect(r.valueWhere(["services", 0, "port"])).toBe("f.yaml:4:11");
  });
});
