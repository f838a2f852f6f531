import { describe, expect, it } from "vitest";
import type { PipelineError } from "../../src/core/errors.js";
import { parseManifest } from "../../src/core/manifest.js";

const head = 'name: p\nversion: 1.0.0\nengine: ">=0.1.0"\nquestions:\n';

function error(text: string): PipelineError {
  try {
    parseManifest(text, "template.yaml");
  } catch (e) {
    return e as PipelineError;
  }
  throw new Error("expected an error");
}

describe("template.yaml strictness", () => {
  it("an unquoted comma in a choice's flow mapping is caught, pointing at the line", () => {
    const e = error(
      `${head}  - key: registry\n    type: select\n    message: Registry\n    choices:\n      - { value: ghcr, hint: no setup, uses GITHUB_TOKEN }\n`,
    );
    expect(e.message).toContain("choice 1 of question 'registry' has an unknown field 'uses GITHUB_TOKEN'");
    expect(e.where).toBe("template.yaml:9:40"); // where "uses GITHUB_TOKEN" starts
    expect(e.hint).toContain("quote");
  });

  it("a misspelt question field is an error with a suggestion", () => {
    const e = error(`${head}  - key: port\n    type: number\n    message: Port\n    defualt: 80\n`);
    expect(e.message).toContain("unknown field 'defualt'");
    expect(e.where).toBe("template.yaml:8:5");
    expect(e.hint).toBe("did you mean 'default'?");
  });

  it("the built-in pack's manifest is accepted", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL("../../templates/pipeline/template.yaml", import.meta.url), "utf8");
    const m = parseManifest(text);
    const registry = m.questions.find((q) => q.key === "registry")!;
    expect(registry.choices!.find((c) => c.value === "ghcr")!.hint).toBe("no setup, uses GITHUB_TOKEN");
  });
});
