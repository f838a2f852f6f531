const test = require("node:test");
const assert = require("node:assert");
const ms = require("ms");

test("uptime reads in words", () => {
  assert.strictEqual(ms(60000), "1m");
});
