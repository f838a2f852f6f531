import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { yamlScalar } from "../../src/core/state.js";

describe("the answers file writer", () => {
  it("every string, number and boolean reads back as itself through a real YAML parser", () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom("a", "Z", "0", "9", "-", ".", "/", ":", " ", "#", "@", "=", "+", "_", "y", "n", "\\"), maxLength: 12 }),
      fc.constantFrom(
        "yes",
        "No",
        "ON",
        "null",
        "~",
        "1.25",
        "3.13",
        "22",
        "0x1f",
        "1e3",
        ".5",
        "a: b",
        "a #b",
        "- x",
        "[x]",
        "{x}",
        "*a",
        "&a",
        "!t",
        "%x",
        "'q'",
        '"q"',
        "`x`",
        "",
        " x",
        "x ",
        ".inf",
        ".Inf",
        ".INF",
        "-.inf",
        "+.inf",
        ".nan",
        ".NaN",
        ".NAN",
        ".infinity",
        ".nanny",
      ),
      fc.integer(),
      fc.boolean(),
    );
    fc.assert(
      fc.property(scalar, (v) => {
        expect(parse(`k: ${yamlScalar(v)}\n`).k).toStrictEqual(v);
      }),
      { numRuns: 2000 },
    );
  });

  it("common answers stay plain and readable", () => {
    expect(yamlScalar("npm run lint --if-present")).toBe("npm run lint --if-present");
    expect(yamlScalar("https://github.com/acme/api.git")).toBe("https://github.com/acme/api.git");
    expect(yamlScalar("22")).toBe('"22"');
    expect(yamlScalar("/healthz")).toBe("/healthz");
    // YAML's infinity and not-a-number spellings are strings here, so they are quoted
    for (const v of [".inf", ".NaN", ".INF", ".Inf", ".nan"]) expect(yamlScalar(v)).toBe(JSON.stringify(v));
  });
});
