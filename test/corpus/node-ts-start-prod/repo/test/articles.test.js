const test = require("node:test");
const assert = require("node:assert");
const { findArticle } = require("../dist/articles.js");

test("finds an article by its slug", () => {
  assert.strictEqual(findArticle("hello").title, "Hello");
  assert.strictEqual(findArticle("nope"), undefined);
});
