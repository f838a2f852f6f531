import assert from "node:assert/strict";
import { test } from "node:test";
import { quoteById } from "../src/quotes.js";

test("a quote by id", () => {
  assert.equal(quoteById(2)?.text, "Make it work, make it right, make it fast.");
  assert.equal(quoteById(9), undefined);
});
