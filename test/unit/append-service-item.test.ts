// appendServiceItem: a YAML alias, anchor or merge key in the way is a typed refusal
// (LinkedValueError, exit 2 naming file:line:column) that reaches the user; any other reason
// the edit cannot be made is `undefined`, for the caller's own refusal.
import { describe, expect, it } from "vitest";
import { LinkedValueError } from "../../src/core/answers-file.js";
import { appendServiceItem } from "../../src/core/answers-file-services.js";
import { PipelineError } from "../../src/core/errors.js";

const ITEM = "  - path: services/gateway\n    name: gateway";

function refusal(text: string): unknown {
  try {
    appendServiceItem(text, ITEM);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("appendServiceItem", () => {
  it("a services list that is an alias: LinkedValueError (validation, file:line:col)", () => {
    const e = refusal("name: shop\nlist: &l\n  - path: services/api\n    name: api\nservices: *l\n");
    expect(e).toBeInstanceOf(LinkedValueError);
    expect(e).toBeInstanceOf(PipelineError);
    expect((e as PipelineError).code).toBe("validation");
    expect((e as PipelineError).message).toContain("is a YAML alias (*l)");
    expect((e as PipelineError).where).toBe(".create-pipeline.yaml:5:11");
  });

  it("a flow services list holding an anchor an alias reads: LinkedValueError", () => {
    const e = refusal("name: shop\nservices: [&a {path: services/api, name: api}]\nfirst: *a\n");
    expect(e).toBeInstanceOf(LinkedValueError);
    expect((e as PipelineError).message).toContain("YAML anchor &a");
  });

  it("a services key that is not a list: undefined (no typed refusal), whatever the message", () => {
    expect(refusal("name: shop\nservices: {a: 1}\n")).toBeUndefined();
    expect(appendServiceItem("name: shop\nservices: {a: 1}\n", ITEM)).toBeUndefined();
  });

  it("a plain block list gets the item by a line edit", () => {
    const out = appendServiceItem("name: shop\nservices:\n  - path: services/api\n    name: api\n", ITEM);
    expect(out).toBe("name: shop\nservices:\n  - path: services/api\n    name: api\n  - path: services/gateway\n    name: gateway\n");
  });
});
