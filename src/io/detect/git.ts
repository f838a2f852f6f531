/** GitHub owner and repository URL from the repository's `.git/config`. */
import path from "node:path";
import { readHead, type FileReader } from "./read.js";

const defaultRead: FileReader = readHead;

/** `owner` and `repoUrl` from a GitHub remote URL (https, ssh, git forms). */
export function parseGitHubRemote(url: string): { owner: string; repoUrl: string } | undefined {
  const u = url.trim();
  const m =
    /^(?:https?|git|ssh|git\+ssh):\/\/(?:[^@/]+@)?(?:www\.|ssh\.)?github\.com(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(u) ??
    /^(?:[^@/]+@)?github\.com:\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(u);
  const owner = m?.[1];
  const repo = m?.[2];
  if (owner === undefined || repo === undefined) return undefined;
  if (!/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(owner)) return undefined;
  if (!/^[A-Za-z0-9._-]+$/.test(repo) || repo === "." || repo === "..") return undefined;
  return { owner, repoUrl: `https://github.com/${owner}/${repo}.git` };
}

/** The host of a remote URL (https://host/..., ssh://git@host:22/..., git@host:org/x.git). */
export function remoteHost(url: string): string | undefined {
  const u = url.trim();
  return (/^[a-z+]+:\/\/(?:[^@/]+@)?([^/:]+)/i.exec(u) ?? /^(?:[^@/]+@)?([^/:]+):/.exec(u))?.[1]?.toLowerCase();
}

/** URL of remote "origin" (or of the only remote) in a git config file. */
export function remoteUrl(config: string | undefined): string | undefined {
  if (config === undefined) return undefined;
  const urls = new Map<string, string>();
  let remote: string | undefined;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      remote = section[1]?.toLowerCase() === "remote" ? section[2] : undefined;
      continue;
    }
    if (remote === undefined) continue;
    const kv = /^url\s*=\s*(.*)$/i.exec(line);
    const value = kv?.[1]?.replace(/^"(.*)"$/, "$1").trim();
    if (value && !urls.has(remote)) urls.set(remote, value);
  }
  return urls.get("origin") ?? (urls.size === 1 ? [...urls.values()][0] : undefined);
}

/** Contents of the repository's git config: `dir/.git/config`, following a
 * `.git` file (worktree, submodule), looking upward a few levels for the
 * repository root when `dir` is a folder inside it. */
export async function readGitConfig(dir: string, readHead: FileReader = defaultRead): Promise<string | undefined> {
  let cur = dir;
  for (let i = 0; i < 8; i++) {
    const dotGit = path.join(cur, ".git");
    const [config, pointer] = await Promise.all([readHead(path.join(dotGit, "config")), readHead(dotGit)]);
    if (config !== undefined) return config;
    const gitdir = pointer === undefined ? undefined : /^gitdir:\s*(.+)$/m.exec(pointer)?.[1]?.trim();
    if (gitdir !== undefined) {
      const abs = path.resolve(cur, gitdir);
      const common = (await readHead(path.join(abs, "commondir")))?.trim();
      const configDir = common ? path.resolve(abs, common) : abs;
      return readHead(path.join(configDir, "config"));
    }
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  return undefined;
}

/** The repository's git folder (following a `.git` file) and the folder holding it, looking upward. */
export async function gitDirOf(dir: string, readHead: FileReader = defaultRead): Promise<{ top: string; gitDir: string; commonDir: string } | undefined> {
  let cur = dir;
  for (let i = 0; i < 8; i++) {
    const dotGit = path.join(cur, ".git");
    const [head, pointer] = await Promise.all([readHead(path.join(dotGit, "HEAD")), readHead(dotGit)]);
    if (head !== undefined) return { top: cur, gitDir: dotGit, commonDir: dotGit };
    const gitdir = pointer === undefined ? undefined : /^gitdir:\s*(.+)$/m.exec(pointer)?.[1]?.trim();
    if (gitdir !== undefined) {
      const abs = path.resolve(cur, gitdir);
      const common = (await readHead(path.join(abs, "commondir")))?.trim();
      return { top: cur, gitDir: abs, commonDir: common ? path.resolve(abs, common) : abs };
    }
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  return undefined;
}

/**
 * The default branch: the remote's HEAD (`refs/remotes/origin/HEAD`, written
 * by clone), else the checked-out branch when it is a usual trunk name, else
 * `master` when that branch exists and `main` does not.
 */
export async function defaultBranch(dir: string, readHead: FileReader = defaultRead): Promise<{ branch: string; from: string } | undefined> {
  const git = await gitDirOf(dir, readHead);
  if (git === undefined) return undefined;
  const originHead = await readHead(path.join(git.commonDir, "refs/remotes/origin/HEAD"));
  const remote = /^ref:\s*refs\/remotes\/origin\/(\S+)/.exec(originHead ?? "")?.[1];
  if (remote !== undefined) return { branch: remote, from: ".git refs/remotes/origin/HEAD (the remote's default branch)" };
  const head = /^ref:\s*refs\/heads\/(\S+)/.exec((await readHead(path.join(git.gitDir, "HEAD"))) ?? "")?.[1];
  if (head !== undefined && /^(?:main|master|trunk|develop|development)$/.test(head))
    return { branch: head, from: `.git HEAD (the checked-out branch ${head})` };
  const packed = (await readHead(path.join(git.commonDir, "packed-refs"))) ?? "";
  const exists = async (b: string) =>
    (await readHead(path.join(git.commonDir, "refs/heads", b))) !== undefined ||
    packed.includes(` refs/heads/${b}\n`) ||
    packed.includes(` refs/remotes/origin/${b}\n`);
  if ((await exists("master")) && !(await exists("main"))) return { branch: "master", from: ".git: a master branch and no main" };
  if (await exists("main")) return { branch: "main", from: ".git: a main branch" };
  return undefined;
}
