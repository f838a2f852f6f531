// A repository whose remote is not on github.com (a GitHub Enterprise server, GitLab): the missing
// owner is said with why, naming the remote's host and the flag.
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir, unwrapReport } from "../support/cli.js";
import { git } from "../support/repo.js";

function service(remote: string): string {
  const dir = join(tempDir(), "ledger");
  mkdirSync(dir);
  cpSync(join(REPO, "test", "fixtures", "services", "python"), dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "remote", "add", "origin", remote);
  return dir;
}

describe("a remote that is not on github.com", () => {
  for (const [remote, host] of [
    ["git@ghe.example.com:org/ledger.git", "ghe.example.com"],
    ["https://gitlab.com/org/ledger.git", "gitlab.com"],
  ] as const)
    it(`${host}: the missing owner names the remote's host and --owner`, async () => {
      const r = await runCli([service(remote), "--yes"]);
      expect(r.code).toBe(2);
      const text = unwrapReport(r.stderr);
      expect(text).toContain(`missing required answer: owner`);
      expect(text).toContain(`the git remote "${remote}" is on ${host}, not github.com: give --owner`);
    });

  it("a token in an https remote's URL is not printed", async () => {
    const r = await runCli([service("https://oauth2:glpat-secret123@gitlab.example.com/org/ledger.git"), "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("glpat-secret123");
    expect(unwrapReport(r.stderr)).toContain(`the git remote "https://gitlab.example.com/org/ledger.git" is on gitlab.example.com, not github.com`);
  });
});
