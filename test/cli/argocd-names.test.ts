// The Argo CD objects (the ApplicationSet and AppProject of several services, the Applications and
// AppProject of one) are named after the repository, not after the folder it is cloned into: two
// clones of the same repository in differently named folders (repo-main, a temporary folder) name
// them the same, from the git remote. Without a remote the folder name is a default, said as one.
// An existing repository keeps the name recorded in its answers: update never renames the Argo CD
// objects (a renamed Application orphans or prunes what the old one deployed).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

const REMOTE = "https://github.com/acme/shop-api.git";
const samples = join(REPO, "test", "fixtures", "services");

const metaName = (dir: string, path: string) => /^metadata:\n(?:\s.*\n)*?\s+name: (\S+)/m.exec(readFileSync(join(dir, path), "utf8"))?.[1];

/** Two services (no manifest at the root) in a folder of that name, with the GitHub remote or none. */
function twoServices(folder: string, remote: string | undefined): string {
  const dir = join(tempDir("cp-argoname-"), folder);
  mkdirSync(dir, { recursive: true });
  cpSync(join(samples, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(samples, "python"), join(dir, "services", "worker"), { recursive: true });
  git(dir, "init", "-q");
  if (remote) git(dir, "remote", "add", "origin", remote);
  return dir;
}

/** One Node.js service whose package.json has no name, in a folder of that name. */
function oneService(folder: string, remote: string | undefined): string {
  const dir = join(tempDir("cp-argoname-"), folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ scripts: { start: "node index.js" }, dependencies: { express: "4" } }));
  writeFileSync(join(dir, "index.js"), 'require("express")().listen(3000);\n');
  git(dir, "init", "-q");
  if (remote) git(dir, "remote", "add", "origin", remote);
  return dir;
}

describe("Argo CD names come from the repository, not the folder", () => {
  it("several services: two clones in differently named folders name the ApplicationSet and AppProject after the remote", async () => {
    const names = [];
    for (const folder of ["repo-main", "tmp-x7q2"]) {
      const dir = twoServices(folder, REMOTE);
      const r = await runCli(["create", dir, "--yes"]);
      expect(r.code, r.stderr).toBe(0);
      names.push([metaName(dir, "deploy/argocd/applicationset.yaml"), metaName(dir, "deploy/argocd/project.yaml")]);
    }
    expect(names).toEqual([
      ["shop-api", "shop-api"],
      ["shop-api", "shop-api"],
    ]);
  });

  it("one service without a name in its manifest: the Applications and AppProject are named after the remote", async () => {
    const dir = oneService("repo-main", REMOTE);
    const r = await runCli(["create", dir, "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).answers.name).toMatchObject({ value: "shop-api", origin: "detected" });
    expect(metaName(dir, "deploy/argocd/project.yaml")).toBe("shop-api");
    expect(metaName(dir, "deploy/argocd/dev.yaml")).toBe("shop-api-dev");
  });

  it("without a remote the folder name is a default, said as one", async () => {
    const dir = oneService("repo-main", undefined);
    const r = await runCli(["create", dir, "--yes", "--owner", "acme", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const name = JSON.parse(r.stdout).answers.name;
    expect(name).toMatchObject({ value: "repo-main", origin: "default" });
    expect(name.note).toContain("the folder name");
    const services = twoServices("repo-main", undefined);
    const s = await runCli(["create", services, "--yes", "--owner", "acme", "--json"]);
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).answers.name).toMatchObject({ value: "repo-main", origin: "default" });
  });

  it("update keeps the name an existing repository recorded: no Argo CD object is renamed", async () => {
    for (const [dir, files] of [
      [oneService("repo-main", undefined), ["deploy/argocd/project.yaml", "deploy/argocd/dev.yaml"]],
      [twoServices("repo-main", undefined), ["deploy/argocd/project.yaml", "deploy/argocd/applicationset.yaml"]],
    ] as const) {
      expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
      commitAll(dir, "create");
      // The remote comes later (the repository is pushed): the recorded name stays.
      git(dir, "remote", "add", "origin", REMOTE);
      const check = await runCli(["check", dir]);
      expect(check.code, check.stdout).toBe(0);
      const u = await runCli(["update", dir]);
      expect(u.code, u.stdout + u.stderr).toBe(0);
      for (const f of files) expect(metaName(dir, f)).toMatch(/^repo-main/);
      expect(git(dir, "status", "--porcelain")).toBe("");
    }
  });
});
