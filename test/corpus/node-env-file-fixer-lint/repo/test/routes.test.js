import { test } from "node:test";
import assert from "node:assert/strict";
import { handle } from "../src/routes.js";

test("the health route answers ok", () => {
  let status = 0;
  let body = "";
  handle(
    { method: "GET", url: "/healthz" },
    {
      writeHead: (s) => {
        status = s;
      },
      end: (b) => {
        body = b;
      },
    },
  );
  assert.equal(status, 200);
  assert.equal(body, "ok");
});
