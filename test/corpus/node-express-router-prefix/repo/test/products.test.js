const test = require("node:test");
const assert = require("node:assert");
const { items } = require("../src/routes/products");

test("the catalog has a lamp", () => {
  assert.strictEqual(items[0].name, "lamp");
});
