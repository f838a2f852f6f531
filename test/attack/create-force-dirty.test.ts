// create --force replaces files that exist; one with uncommitted edits (git never had them) would
// be lost for good. As update and add do, create refuses (exit 2, nothing written) unless
// --allow-dirty, for one service and for several.
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { V1, makeRepo, servicesShop, snapshot } from "../support/repo.js";

describe("create --force and uncommitted edits", () => {
  it("one service: a hand line added to the Dockerfile and not committed is not overwritten", async () => {
    const dir = await makeRepo();
    appendFileSync(join(dir, "Dockerfile"), "# my line\n");
    const before = snapshot(dir);
    const args = ["create", dir, "--template", V1, "--yes", "--language", "go", "--force"];
    const r = await runCli(args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.replace(/\s+/g, " ")).toContain("create would overwrite a file with uncommitted edits (git does not have them): Dockerfile");
    expect(r.stderr).toContain("--allow-dirty");
    expect(snapshot(dir)).toEqual(before);
    const forced = await runCli([...args, "--allow-dirty"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).not.toContain("# my line");
  });

  it("several services: a hand line in services/api/Dockerfile is not overwritten", async () => {
    const dir = await servicesShop("cp-force-dirty-");
    appendFileSync(join(dir, "services/api/Dockerfile"), "# my line\n");
    const before = snapshot(dir);
    const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--force"]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.replace(/\s+/g, " ")).toContain("uncommitted edits (git does not have them): services/api/Dockerfile");
    expect(snapshot(dir)).toEqual(before);
    const forced = await runCli(["create", dir, "--yes", "--owner", "acme", "--force", "--allow-dirty"]);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it("files it leaves alone, or committed ones, do not stop it", async () => {
    const dir = await makeRepo();
    const r = await runCli(["create", dir, "--template", V1, "--yes", "--language", "go", "--force"]);
    expect(r.code, r.stderr).toBe(0);
  });
});
