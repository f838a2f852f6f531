const test = require("node:test");
const assert = require("node:assert");
const { boards } = require("../src/routes");

test("boards start green", () => {
  assert.equal(boards[0].status, "green");
});
