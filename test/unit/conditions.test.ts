import { describe, expect, it } from "vitest";
import { conditionKeys, describe as describeCond, evaluate } from "../../src/core/conditions.js";
import type { Answers, Condition } from "../../src/core/types.js";

const answers: Answers = {
  language: "go",
  port: 8080,
  zero: 0,
  empty: "",
  debug: false,
  scan: true,
  environments: ["dev", "prod"],
  none: [],
};

describe("evaluate", () => {
  it("no condition holds", () => {
    expect(evaluate(undefined, answers)).toBe(true);
  });

  it.each<[Condition, boolean]>([
    [{ key: "language", equals: "go" }, true],
    [{ key: "language", equals: "node" }, false],
    [{ key: "port", equals: 8080 }, true],
    [{ key: "port", equals: "8080" }, false], // no loose equality
    [{ key: "debug", equals: false }, true],
    [{ key: "missing", equals: false }, false], // absent is not false
    [{ key: "environments", equals: "dev" }, false],
  ])("equals: %j → %s", (c, want) => expect(evaluate(c, answers)).toBe(want));

  it.each<[Condition, boolean]>([
    [{ key: "language", in: ["node", "go"] }, true],
    [{ key: "language", in: ["python"] }, false],
    [{ key: "port", in: [80, 8080] }, true],
    [{ key: "missing", in: ["go"] }, false],
    [{ key: "environments", in: ["dev"] }, false], // a list is not "in" a list
  ])("in: %j → %s", (c, want) => expect(evaluate(c, answers)).toBe(want));

  it.each<[Condition, boolean]>([
    [{ key: "environments", includes: "prod" }, true],
    [{ key: "environments", includes: "staging" }, false],
    [{ key: "none", includes: "dev" }, false],
    [{ key: "language", includes: "g" }, false], // a string is not a list
    [{ key: "missing", includes: "dev" }, false],
  ])("includes: %j → %s", (c, want) => expect(evaluate(c, answers)).toBe(want));

  it.each<[string, boolean]>([
    ["language", true],
    ["port", true],
    ["scan", true],
    ["environments", true],
    ["zero", false],
    ["empty", false],
    ["debug", false],
    ["none", false],
    ["missing", false],
  ])("truthy: %s → %s", (key, want) => expect(evaluate({ key, truthy: true }, answers)).toBe(want));

  it("all / any / not combine, and empty lists behave like every/some", () => {
    const go: Condition = { key: "language", equals: "go" };
    const node: Condition = { key: "language", equals: "node" };
    expect(evaluate({ all: [go, { key: "scan", truthy: true }] }, answers)).toBe(true);
    expect(evaluate({ all: [go, node] }, answers)).toBe(false);
    expect(evaluate({ any: [node, go] }, answers)).toBe(true);
    expect(evaluate({ any: [node, { key: "debug", truthy: true }] }, answers)).toBe(false);
    expect(evaluate({ not: go }, answers)).toBe(false);
    expect(evaluate({ not: node }, answers)).toBe(true);
    expect(evaluate({ not: { all: [go, { not: node }] } }, answers)).toBe(false);
    expect(evaluate({ all: [] }, answers)).toBe(true);
    expect(evaluate({ any: [] }, answers)).toBe(false);
  });

  it("conditionKeys lists every key read; describe reads like a sentence", () => {
    const c: Condition = {
      all: [{ key: "a", equals: 1 }, { any: [{ key: "b", in: ["x", "y"] }, { not: { key: "c", includes: "z" } }] }, { key: "d", truthy: true }],
    };
    expect(conditionKeys(c)).toEqual(["a", "b", "c", "d"]);
    expect(describeCond(c)).toBe("a is 1 and b is one of x, y or not (c includes z) and d is set");
  });
});
