const assert = require("node:assert/strict");
const { test } = require("node:test");
const { uptime } = require("../src/format");

test("uptime reads as a duration", () => {
  assert.equal(uptime(3 * 60 * 60 * 1000), "up 3h");
});
