// Messages of a repository of several services say what they mean: singular verbs for one file,
// the rule a folder name breaks, the flag as it is spelt.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git, servicesShop } from "../support/repo.js";

const flat = (s: string) => s.replace(/\s+/g, " ");

describe("several services: wording", () => {
  it("one clashing file 'already exists'", async () => {
    const dir = join(tempDir("cp-svc-words-"), "shop");
    mkdirSync(dir, { recursive: true });
    cpSync(join(REPO, "test", "fixtures", "services", "node"), join(dir, "services", "api"), { recursive: true });
    cpSync(join(REPO, "test", "fixtures", "services", "go"), join(dir, "services", "gateway"), { recursive: true });
    writeFileSync(join(dir, "services", "api", "Dockerfile"), "FROM scratch\n");
    git(dir, "init", "-q");
    commitAll(dir, "code");
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain("1 file already exists with other content: services/api/Dockerfile");
  });

  it("a file left with conflict markers 'still holds' them", async () => {
    const dir = await servicesShop("cp-svc-words3-");
    writeFileSync(join(dir, "services/api/Dockerfile"), "<<<<<<< ours\nA\n=======\nB\n>>>>>>> create-pipeline\n");
    commitAll(dir, "markers");
    const r = await runCli(["update", dir, "--yes"]);
    expect(flat(r.stderr + r.stdout)).toContain("services/api/Dockerfile still holds conflict markers");
  });

  it("add .github names the leading dot, not a bad character", async () => {
    const dir = await servicesShop("cp-svc-words4-");
    mkdirSync(join(dir, ".github", "x"), { recursive: true });
    const r = await runCli(["add", ".github"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain("'.github' starts with '.': a service folder's name starts with a letter, digit or '_'");
    expect(r.stderr).not.toContain("has a character");
  });

  it("--set startCommand=./x names the key as given, a flag as it is spelt", async () => {
    const dir = await servicesShop("cp-svc-words5-");
    const r = await runCli(["update", dir, "--set", "startCommand=./x", "--yes"]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain("startCommand: a service answer cannot be set for every service");
    expect(r.stderr).not.toContain("--startCommand");
    const f = await runCli(["update", dir, "--start-command", "./x", "--yes"]);
    expect(flat(f.stderr)).toContain("--start-command: a service answer cannot be set for every service");
  });
});
