// The answers file is the user's: `update` rewrites only the values that changed and never takes a
// comment with it — on the key's line above, after the value, or inside a list — whether the answer
// changed, went away (it no longer applies, or a migration renamed it), or stayed.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli } from "../support/cli.js";
import { commitAll, makeRepo, read, updateToV2, V1, write } from "../support/repo.js";

const ANSWERS = ".create-pipeline.yaml";

/** The user's comments in a YAML text, trimmed (not the tool's own header lines, which name the pack and version). */
const comments = (text: string) =>
  text
    .split("\n")
    .map((l) => l.match(/(?:^|\s)(#.*)$/)?.[1]?.trim())
    .filter((c): c is string => c !== undefined && !/^# (?:yaml-language-server:|The answers that define|Edit them and run)/.test(c));

/** The answers file of a go repository, with the user's comments on and around its answers. */
async function commented(): Promise<string> {
  const dir = await makeRepo();
  const text = read(dir, ANSWERS)
    .replace(/^port: 8080$/m, "# the port the load balancer expects\nport: 8080 # agreed with ops")
    .replace(/^environments:\n {2}- dev\n/m, "environments:\n  # dev first\n  - dev # the shared one\n")
    .replace(/^debug: false$/m, "# before debug\ndebug: false # off until the next incident")
    .replace(/^goModule: (.*)$/m, "# our module path\ngoModule: $1 # see go.mod\n# after the last answer");
  expect(text).toContain("# agreed with ops");
  expect(text).toContain("# after the last answer");
  write(dir, ANSWERS, text);
  commitAll(dir, "comments");
  return dir;
}

describe("update keeps the user's comments in the answers file", () => {
  it("changed answers (a number and a list): the comments on the key, after the value and in the list stay", async () => {
    const dir = await commented();
    const before = comments(read(dir, ANSWERS));
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--port", "9000", "--environments", "dev,staging,prod"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(parseYaml(after)).toMatchObject({ port: 9000, environments: ["dev", "staging", "prod"] });
    expect(after).toMatch(/^# the port the load balancer expects\nport: 9000 # agreed with ops$/m);
    expect(after).toMatch(/^ {2}- dev # the shared one$/m);
    expect(comments(after)).toEqual(before);
  });

  it("an answer that no longer applies (goModule after switching to node): its comments stay in the file", async () => {
    const dir = await commented();
    const before = comments(read(dir, ANSWERS));
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--language", "node"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(parseYaml(after)).not.toHaveProperty("goModule");
    expect(comments(after)).toEqual(before);
  });

  it("an answer a migration renames (debug → verbose in demo 2.0.0): its comments stay in the file", async () => {
    const dir = await commented();
    const before = comments(read(dir, ANSWERS));
    const r = await updateToV2(dir, "--yes");
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(parseYaml(after)).not.toHaveProperty("debug");
    for (const c of before) expect(comments(after)).toContain(c);
  });
});

describe("update keeps the user's comments in the answers file of several services", () => {
  it("a shared answer changed with a flag: the comments on it stay", async () => {
    const { cpSync, mkdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { REPO, tempDir } = await import("../support/cli.js");
    const { git } = await import("../support/repo.js");
    const dir = join(tempDir("cp-comments-"), "shop");
    mkdirSync(dir, { recursive: true });
    cpSync(join(REPO, "test", "fixtures", "services", "node"), join(dir, "services", "api"), { recursive: true });
    cpSync(join(REPO, "test", "fixtures", "services", "go"), join(dir, "services", "gateway"), { recursive: true });
    git(dir, "init", "-q");
    git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
    expect((await runCli(["create", dir, "--yes"])).code).toBe(0);
    const text = read(dir, ANSWERS).replace(
      /^environments:\n {2}- dev\n/m,
      "# where it runs\nenvironments: # the list\n  # dev first\n  - dev # the shared one\n",
    );
    expect(text).toContain("# the shared one");
    write(dir, ANSWERS, text);
    commitAll(dir, "comments");
    const before = comments(text);
    const r = await runCli(["update", dir, "--yes", "--environments", "dev,staging,prod"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(parseYaml(after).environments).toEqual(["dev", "staging", "prod"]);
    expect(comments(after)).toEqual(before);
  });
});
