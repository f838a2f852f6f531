// A framework's own default (uvicorn's port 8000 when nothing in the repository sets one) is shown
// as a default to check, with why, in the report, --json and the recorded origins, never as detected.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { git } from "../support/repo.js";

function fastapi(): string {
  const dir = join(tempDir(), "items");
  mkdirSync(dir);
  writeFileSync(join(dir, "requirements.txt"), "fastapi\nuvicorn\n");
  writeFileSync(join(dir, "main.py"), 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/items")\ndef items():\n    return []\n');
  git(dir, "init", "-q", "-b", "main");
  git(dir, "remote", "add", "origin", "https://github.com/acme/items.git");
  return dir;
}

describe("a framework's default port", () => {
  it("is a DEFAULT with why in the report and the state, not detected", async () => {
    const dir = fastapi();
    const r = await runCli([dir, "--yes"]);
    expect(r.code).toBe(0);
    const text = unwrapReport(r.stdout);
    expect(text).toMatch(/port: 8000\s+\[DEFAULT: uvicorn's default port \(nothing in the repository sets the port\); check it\]/);
    expect(text).not.toMatch(/detected \([^)]*port 8000/);
    expect(readFileSync(join(dir, ".create-pipeline", "state.json"), "utf8")).toMatch(/"port":\s*\{\s*"origin":\s*"default"/);
  });

  it("is origin default with its note in --json", async () => {
    const r = await runCli([fastapi(), "--yes", "--json"]);
    const port = JSON.parse(r.stdout).answers.port;
    expect(port).toEqual({ value: 8000, origin: "default", note: "uvicorn's default port (nothing in the repository sets the port)" });
  });
});
