import assert from "node:assert/strict";
import test from "node:test";

// The price format the pages show, checked without a build.
test("cents are shown with two decimals", () => {
  const format = (cents) => `€${(cents / 100).toFixed(2)}`;
  assert.equal(format(1999), "€19.99");
});
