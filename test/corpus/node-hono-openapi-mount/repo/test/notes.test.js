import assert from "node:assert/strict";
import { test } from "node:test";
import app from "../src/app.js";

test("lists the notes under /api/v1", async () => {
  const res = await app.request("/api/v1/notes");
  assert.equal(res.status, 200);
  assert.equal((await res.json()).length, 1);
});

test("the health route answers under /api/v1", async () => {
  const res = await app.request("/api/v1/health");
  assert.equal(res.status, 200);
});
