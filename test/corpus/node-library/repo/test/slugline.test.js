import assert from "node:assert/strict";
import { test } from "node:test";
import slugline from "../index.js";

test("a title becomes a slug", () => {
  assert.equal(slugline("Straße über Łódź!"), "strasse-ueber-lodz");
  assert.equal(slugline("  Hello, World  ", { separator: "_" }), "hello_world");
});
