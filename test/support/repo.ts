// Generated repositories for update/check tests: create from the demo pack, optionally under git.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect } from "vitest";
import { PACKS, REPO, runCli, tempDir, type RunResult } from "./cli.js";

export const V1 = join(PACKS, "demo-v1");
export const V2 = join(PACKS, "demo-v2");
export const V3 = join(PACKS, "demo-v3");

/** git with a fixed identity, so the dirty-file check has a committed baseline. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-C", dir, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function commitAll(dir: string, message = "change"): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", message);
}

/**
 * A repository named shop of two services made by `create` (services/api: node, services/worker:
 * python) with a GitHub remote, and a third folder beside them that the list does not name
 * (services/gateway: go), all committed. tmpPrefix names its temporary folder.
 */
export async function servicesShop(tmpPrefix: string): Promise<string> {
  const samples = join(REPO, "test", "fixtures", "services");
  const dir = join(tempDir(tmpPrefix), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(samples, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(samples, "python"), join(dir, "services", "worker"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  const r = await runCli(["create", dir, "--yes"]);
  expect(r.code, r.stderr).toBe(0);
  cpSync(join(samples, "go"), join(dir, "services", "gateway"), { recursive: true });
  commitAll(dir, "create");
  return dir;
}

/** `create` a repo named svc from demo-v1 (go, so every file exists); under git with one commit unless git: false. */
export async function makeRepo(opts: { args?: string[]; git?: boolean; pack?: string; name?: string } = {}): Promise<string> {
  const dir = join(tempDir("cp-upd-"), opts.name ?? "svc");
  const r = await runCli(["create", dir, "--template", opts.pack ?? V1, "--yes", "--language", "go", ...(opts.args ?? [])]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  if (opts.git !== false) {
    git(dir, "init", "-q");
    commitAll(dir, "create");
  }
  return dir;
}

export const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
export const write = (dir: string, path: string, text: string) => writeFileSync(join(dir, path), text);
export function edit(dir: string, path: string, from: string | RegExp, to: string): void {
  const before = read(dir, path);
  const after = before.replace(from, to);
  if (after === before) throw new Error(`test edit did not apply to ${path}: ${String(from)}`);
  write(dir, path, after);
}

/** Update to demo-v2 (team=core) non-interactively. */
export const updateToV2 = (dir: string, ...extra: string[]): Promise<RunResult> => runCli(["update", dir, "--template", V2, "--set", "team=core", ...extra]);

/** Every file (outside .git) with its modification time, to prove nothing was written. */
export function snapshot(dir: string): Record<string, { text: string; mtime: number }> {
  const out: Record<string, { text: string; mtime: number }> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === ".git") continue;
      const full = join(d, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else out[relative(dir, full)] = { text: readFileSync(full, "utf8"), mtime: s.mtimeMs };
    }
  };
  walk(dir);
  return out;
}

/** Set every file's mtime far in the past, so any write shows up as a new mtime. */
export function ageFiles(dir: string): void {
  const old = new Date("2001-01-01T00:00:00Z");
  for (const p of Object.keys(snapshot(dir))) utimesSync(join(dir, p), old, old);
}

export const MARKER_LINE = /^(<<<<<<<|=======|>>>>>>>)/m;

/** The action update/check --json gave a file. */
export function action(json: { files: { path: string; action: string }[] }, path: string): string | undefined {
  return json.files.find((f) => f.path === path)?.action;
}
