// Duplicate keys in an answers file, a --config file or a pack's template.yaml are an error that
// names the second key's line and column; the check is one pass over each map (large files stay fast).
import { describe, expect, it } from "vitest";
import { parseAnswersFile } from "../../src/core/answers-file.js";
import { PipelineError } from "../../src/core/errors.js";
import { parseYamlSource } from "../../src/core/yaml-source.js";

const failure = (f: () => unknown): PipelineError => {
  try {
    f();
  } catch (e) {
    if (e instanceof PipelineError) return e;
    throw e;
  }
  throw new Error("no error was thrown");
};

describe("duplicate keys", () => {
  it("a repeated answer is exit 2 at the repeated key's line and column", () => {
    const e = failure(() => parseAnswersFile("name: a\nport: 8080\nname: b\n", ".create-pipeline.yaml"));
    expect(e.code).toBe("validation");
    expect(e.message).toBe(".create-pipeline.yaml is not valid YAML: Map keys must be unique");
    expect(e.where).toBe(".create-pipeline.yaml:3:1");
  });

  it("a repeated key in a nested map is found there, not confused with the same key in a sibling map", () => {
    const text = "a:\n  x: 1\n  y: 2\nb:\n  x: 1\n  y: 2\n  x: 3\n";
    const e = failure(() => parseYamlSource(text, "f.yaml"));
    expect(e.where).toBe("f.yaml:7:3");
    expect(parseYamlSource("a:\n  x: 1\nb:\n  x: 1\n", "f.yaml").value).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it("1 and '1' are different keys (as YAML compares them); a quoted repeat is the same key", () => {
    expect(parseYamlSource("1: a\n'1': b\n", "f.yaml").value).toEqual({ 1: "b" });
    expect(failure(() => parseYamlSource("k: a\n'k': b\n", "f.yaml")).where).toBe("f.yaml:2:1");
  });

  it("in a file of 5,000 keys, the one repeated at the end is reported with its line", () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `key${i}: ${i}`);
    lines.push("key17: again");
    const e = failure(() => parseAnswersFile(`${lines.join("\n")}\n`, "big.yaml"));
    expect(e.message).toContain("Map keys must be unique");
    expect(e.where).toBe("big.yaml:5001:1");
  });

  it("a pack's template.yaml with a repeated top-level field is a pack error at its line", () => {
    const e = failure(() => parseYamlSource("name: p\nversion: 1.0.0\nname: q\n", "template.yaml", "pack"));
    expect(e.code).toBe("pack");
    expect(e.where).toBe("template.yaml:3:1");
  });
});
