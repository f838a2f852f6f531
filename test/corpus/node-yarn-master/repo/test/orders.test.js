import { test } from "node:test";
import assert from "node:assert";

test("adds", () => assert.equal(1 + 1, 2));
