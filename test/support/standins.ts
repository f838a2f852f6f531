/**
 * Stand-ins for what a generated pipeline talks to, so that its shell scripts (workflow `run:`
 * steps and the command sequences of docs/pipeline.md) can be executed here:
 *
 * - a loopback HTTP stand-in for the GitHub REST/GraphQL API that records every call, backed by
 *   a local bare git repository whose pre-receive hook rejects direct pushes to a protected
 *   `main` (only the stand-in's GitHub App may bypass it, as with a ruleset bypass list);
 * - a `gh` stand-in that turns `gh api`, `gh variable set`, `gh secret set`,
 *   `gh workflow run` and `gh attestation verify` into calls to that API;
 * - stub cloud CLIs (aws, gcloud, az, kubectl, helm, docker, cosign) that record their argv,
 *   answer from a small rule table, and fail on an empty argument (what an unset variable
 *   becomes once quoted). The scripts themselves run under `set -u` where the docs do.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const TOOLS_BIN = join(REPO_ROOT, ".tools", "bin");

export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** "app" for the stand-in App's token, "actions" for any other token, "" without one. */
  actor: string;
}

export interface GitHubState {
  owner: string;
  ownerId: number;
  name: string;
  repoId: number;
  createdAt: string;
  visibility: "public" | "private";
  codeSecurity: "enabled" | "disabled";
  defaultSetup: "configured" | "not-configured";
  /** Whether environments keep required reviewers (false: a plan without them). */
  reviewersKept: boolean;
  /** Whether environments exist at all (false: a private repository on GitHub Free). */
  environmentsAvailable: boolean;
  appToken: string;
  /** Commit statuses by full sha. */
  statuses: Record<string, { context: string; state: string; description?: string }[]>;
  /** Files of the pull request, for the CI "changes" job ("old => new" is a rename). */
  prFiles: string[];
  /** Advance main once, right before the next createCommitOnBranch (a race with another push). */
  raceOnce: boolean;
  environments: Record<string, { body: unknown; policies: string[] }>;
  variables: { name: string; env?: string; value: string }[];
  secrets: { name: string; env?: string; value: string }[];
  dispatches: { workflow: string; ref: string; fields: Record<string, string> }[];
  /** The `sub` of the OIDC token the id-token endpoint hands out. */
  oidcSub: string;
  /** Deployments GitHub recorded for jobs with an environment, oldest first, with their latest state. */
  deployments: { id: number; environment: string; sha: string; state: string }[];
  /** Runs of each workflow file, newest first (GitHub lists them so). */
  workflowRuns: {
    workflow: string;
    head_sha: string;
    head_branch: string;
    event: string;
    status: string;
    conclusion: string | null;
    /** The run's id, and its jobs (latest attempt) for GET /actions/runs/{id}/jobs. */
    id?: number;
    jobs?: { name: string; conclusion: string | null }[];
  }[];
  /**
   * Artifact attestations of this repository: the subject digest and the identity of the workflow
   * that signed each (its certificate's SubjectAlternativeName, as `gh attestation verify` checks).
   */
  attestations: { digest: string; signer: string; predicateType?: string }[];
}

export interface GitHubStandIn {
  url: string;
  state: GitHubState;
  calls: ApiCall[];
  bare: string;
  /** Sets whether main is protected (the hook then refuses every pusher but the App). */
  protect(on: boolean): void;
  head(): string;
  /** Commits a file change on main directly (as another push would). */
  commit(path: string, content: string, message: string): string;
  show(ref: string, path: string): string;
  close(): Promise<void>;
}

const git = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com", ...env },
  }).trim();

const HOOK = `#!/bin/sh
# pre-receive: a protected main takes no direct push but the GitHub App's (its bypass).
if [ -f "$GIT_DIR/protected" ] && [ "\${STANDIN_ACTOR:-}" != app ]; then
  while read -r old new ref; do
    if [ "$ref" = refs/heads/main ]; then
      echo "error: GH013: Repository rule violations found for refs/heads/main." >&2
      echo "- Changes must be made through a pull request." >&2
      exit 1
    fi
  done
fi
exit 0
`;

/** A bare repository with one commit on main holding `files`, and its pre-receive hook. */
export function bareRepo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "cp-standin-git-"));
  const bare = join(root, "origin.git");
  const work = join(root, "seed");
  mkdirSync(work);
  git(root, ["init", "-q", "--bare", "-b", "main", bare]);
  writeFileSync(join(bare, "hooks", "pre-receive"), HOOK);
  chmodSync(join(bare, "hooks", "pre-receive"), 0o755);
  git(work, ["init", "-q", "-b", "main"]);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(work, p, ".."), { recursive: true });
    writeFileSync(join(work, p), c);
  }
  git(work, ["add", "-A"]);
  git(work, ["commit", "-qm", "initial"]);
  git(work, ["push", "-q", bare, "HEAD:main"]);
  return bare;
}

function pushChange(
  bare: string,
  path: string,
  content: Buffer | string,
  message: string,
  actor: string,
): { ok: true; sha: string } | { ok: false; error: string } {
  const work = mkdtempSync(join(tmpdir(), "cp-standin-work-"));
  git(work, ["clone", "-q", bare, "."]);
  mkdirSync(join(work, path, ".."), { recursive: true });
  writeFileSync(join(work, path), content);
  git(work, ["add", "-A"]);
  git(work, ["commit", "-qm", message, "--allow-empty"]);
  const r = spawnSync("git", ["push", "-q", "origin", "HEAD:main"], { cwd: work, encoding: "utf8", env: { ...process.env, STANDIN_ACTOR: actor } });
  if (r.status !== 0) return { ok: false, error: r.stderr };
  return { ok: true, sha: git(work, ["rev-parse", "HEAD"]) };
}

export async function startGitHub(files: Record<string, string>, init: Partial<GitHubState> = {}): Promise<GitHubStandIn> {
  const bare = bareRepo(files);
  const state: GitHubState = {
    owner: "acme",
    ownerId: 5544123,
    name: "svc",
    repoId: 821093847,
    createdAt: "2026-09-01T10:00:00Z",
    visibility: "public",
    codeSecurity: "disabled",
    defaultSetup: "not-configured",
    reviewersKept: true,
    environmentsAvailable: true,
    appToken: "ghs_app_token",
    statuses: {},
    prFiles: [],
    raceOnce: false,
    environments: {},
    variables: [],
    secrets: [],
    dispatches: [],
    oidcSub: "repo:acme@5544123/svc@821093847:ref:refs/heads/main",
    deployments: [],
    workflowRuns: [],
    attestations: [],
    ...init,
  };
  const calls: ApiCall[] = [];
  const head = () => git(bare, ["rev-parse", "refs/heads/main"]);
  const resolve = (ref: string): string | undefined => {
    const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: bare, encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const show = (ref: string, path: string) => git(bare, ["show", `${ref}:${path}`]) + "\n";

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep text */
    }
    const auth = String(req.headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
    const actor = auth === "" ? "" : auth === state.appToken ? "app" : "actions";
    const query = Object.fromEntries(u.searchParams.entries());
    // A list a page at a time as GitHub does (per_page 30 unless asked, at most 100).
    const paged = <T>(list: T[]): T[] => {
      const per = Math.min(Number(query.per_page ?? 30), 100);
      const page = Number(query.page ?? 1);
      return list.slice((page - 1) * per, page * per);
    };
    calls.push({ method: req.method ?? "GET", path: u.pathname, query, body, actor });
    const send = (code: number, data: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    const m = req.method ?? "GET";
    const p = u.pathname;
    const repoPath = `/repos/${state.owner}/${state.name}`;
    const notFound = () => send(404, { message: "Not Found" });
    let mm: RegExpExecArray | null;

    if (p === "/_token") return send(200, { value: jwt({ sub: state.oidcSub, aud: query.audience ?? "" }) });
    if (p === "/graphql" && m === "POST") return graphql(body as { query: string; variables: { input: Record<string, any> } }, actor, send);
    // Variables and secrets, of the repository (no env) or of an environment: set (a second set
    // replaces the value, as GitHub does), list (names) and delete.
    if (p === "/_standin/variables" || p === "/_standin/secrets") {
      const list = p.endsWith("variables") ? state.variables : state.secrets;
      const b = (body ?? {}) as { name?: string; env?: string; value?: string };
      const env = m === "GET" ? query.env || undefined : b.env || undefined;
      const at = list.findIndex((x) => x.name === b.name && (x.env || undefined) === env);
      if (m === "GET")
        return send(
          200,
          list.filter((x) => (x.env || undefined) === env).map((x) => ({ name: x.name })),
        );
      if (m === "DELETE") {
        if (at < 0) return notFound();
        list.splice(at, 1);
        return send(204, {});
      }
      if (at >= 0) list.splice(at, 1);
      list.push(body as GitHubState["variables"][number]);
      return send(201, {});
    }
    if (p === "/_standin/dispatches") {
      state.dispatches.push(body as GitHubState["dispatches"][number]);
      return send(204, {});
    }
    // Artifact attestations by subject digest, of the repository or of its owner (gh attestation
    // verify --repo / --owner): 404 when there is none, as GitHub answers.
    if ((mm = /^\/(?:repos\/([^/]+\/[^/]+)|orgs\/([^/]+))\/attestations\/([^/]+)$/.exec(p)) && m === "GET") {
      const scope = mm[1] ?? mm[2];
      const ours = mm[1] ? scope === `${state.owner}/${state.name}` : scope === state.owner;
      const found = ours ? state.attestations.filter((a) => a.digest === decodeURIComponent(mm![3])) : [];
      if (!found.length) return notFound();
      return send(200, {
        attestations: found.map((a) => ({
          repository_id: state.repoId,
          bundle: { san: a.signer, predicateType: a.predicateType ?? "https://slsa.dev/provenance/v1" },
        })),
      });
    }
    if (p.startsWith("/orgs/") && p.includes("/teams/")) return send(200, { id: 42 });
    if (p.startsWith("/users/")) return send(200, { id: 43 });
    if (!p.startsWith(repoPath)) return notFound();
    const rest = p.slice(repoPath.length);
    if (rest === "" && m === "GET")
      return send(200, {
        id: state.repoId,
        name: state.name,
        full_name: `${state.owner}/${state.name}`,
        owner: { login: state.owner, id: state.ownerId },
        default_branch: "main",
        created_at: state.createdAt,
        visibility: state.visibility,
        private: state.visibility !== "public",
        security_and_analysis: { code_security: { status: state.codeSecurity } },
      });
    if ((mm = /^\/commits\/([^/]+)$/.exec(rest)) && m === "GET") {
      const sha = resolve(mm[1] === "main" ? "refs/heads/main" : decodeURIComponent(mm[1]));
      return sha ? send(200, { sha }) : send(422, { message: `No commit found for SHA: ${mm[1]}` });
    }
    if ((mm = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(rest)) && m === "GET") {
      // Filtered as GitHub does: status=success means the run completed with that conclusion.
      const runs = state.workflowRuns.filter(
        (r) =>
          r.workflow === mm![1] &&
          (!query.branch || r.head_branch === query.branch) &&
          (!query.event || r.event === query.event) &&
          (!query.status || r.status === query.status || r.conclusion === query.status),
      );
      return send(200, { total_count: runs.length, workflow_runs: runs.slice(0, Number(query.per_page ?? 30)) });
    }
    if ((mm = /^\/actions\/runs\/(\d+)\/jobs$/.exec(rest)) && m === "GET") {
      const run = state.workflowRuns.find((r) => String(r.id) === mm![1]);
      return run ? send(200, { total_count: run.jobs?.length ?? 0, jobs: paged(run.jobs ?? []) }) : notFound();
    }
    if ((mm = /^\/commits\/([^/]+)\/statuses$/.exec(rest)) && m === "GET") {
      const sha = resolve(mm[1]);
      // Newest first.
      return send(200, paged(sha ? [...(state.statuses[sha] ?? [])].reverse() : []));
    }
    if ((mm = /^\/contents\/(.+)$/.exec(rest)) && m === "GET") {
      const ref = resolve(query.ref ?? "refs/heads/main");
      const r = ref ? spawnSync("git", ["show", `${ref}:${decodeURIComponent(mm[1])}`], { cwd: bare }) : undefined;
      if (r?.status !== 0) return notFound();
      // GitHub wraps the base64 content at 60 characters.
      const b64 = r.stdout.toString("base64").replace(/(.{60})/g, "$1\n");
      return send(200, { type: "file", encoding: "base64", content: b64 });
    }
    if ((mm = /^\/compare\/([^.]+)\.\.\.([^.]+)$/.exec(rest)) && m === "GET") {
      const a = resolve(mm[1] === "main" ? "refs/heads/main" : mm[1]);
      const b = resolve(mm[2] === "main" ? "refs/heads/main" : mm[2]);
      if (!a || !b) return notFound();
      const isAnc = (x: string, y: string) => spawnSync("git", ["merge-base", "--is-ancestor", x, y], { cwd: bare }).status === 0;
      const status = a === b ? "identical" : isAnc(a, b) ? "ahead" : isAnc(b, a) ? "behind" : "diverged";
      const list = git(bare, ["rev-list", "--reverse", `${a}..${b}`]);
      return send(200, { status, commits: list ? list.split("\n").map((sha) => ({ sha })) : [] });
    }
    if ((mm = /^\/pulls\/(\d+)\/files$/.exec(rest)) && m === "GET")
      return send(
        200,
        paged(
          state.prFiles.map((f) => {
            const [from, to] = f.split(" => ");
            return to === undefined ? { filename: f, status: "modified" } : { filename: to, previous_filename: from, status: "renamed" };
          }),
        ),
      );
    if (/^\/environments\//.test(rest) && !state.environmentsAvailable) return notFound();
    if ((mm = /^\/environments\/([^/]+)$/.exec(rest))) {
      const env = mm[1];
      if (m === "PUT") {
        const b = (body ?? {}) as Record<string, unknown>;
        if (b.reviewers && !state.reviewersKept)
          return send(422, { message: "Failed to create the environment protection rule: required reviewers are not available for this repository" });
        state.environments[env] = { body: b, policies: state.environments[env]?.policies ?? [] };
        return send(200, { name: env });
      }
      const e = state.environments[env];
      if (!e) return notFound();
      const rules = (e.body as { reviewers?: unknown[] }).reviewers?.length ? [{ type: "required_reviewers" }] : [];
      return send(200, {
        name: env,
        protection_rules: [...rules, { type: "branch_policy" }],
        deployment_branch_policy: (e.body as any).deployment_branch_policy,
      });
    }
    if ((mm = /^\/environments\/([^/]+)\/deployment-branch-policies$/.exec(rest))) {
      const e = state.environments[mm[1]];
      if (!e) return notFound();
      if (m === "POST") {
        const name = (body as { name: string }).name;
        if (e.policies.includes(name)) return send(303, { message: "already exists" });
        e.policies.push(name);
        return send(200, { name });
      }
      return send(200, { branch_policies: e.policies.map((name) => ({ name })) });
    }
    if (rest === "/deployments" && m === "GET") {
      const list = state.deployments.filter((d) => !query.environment || d.environment === query.environment).reverse();
      return send(
        200,
        list.slice(0, Number(query.per_page ?? 30)).map((d) => ({ id: d.id, sha: d.sha, environment: d.environment })),
      );
    }
    if ((mm = /^\/deployments\/(\d+)\/statuses$/.exec(rest)) && m === "GET") {
      const d = state.deployments.find((x) => x.id === Number(mm![1]));
      return d ? send(200, [{ state: d.state }]) : notFound();
    }
    if (rest === "/code-scanning/default-setup" && m === "GET") return send(200, { state: state.defaultSetup });
    return notFound();
  };

  const graphql = (body: { query: string; variables: { input: Record<string, any> } }, actor: string, send: (c: number, d: unknown) => void) => {
    if (!/createCommitOnBranch/.test(body.query)) return send(200, { errors: [{ message: "unsupported query" }] });
    const input = body.variables.input;
    if (state.raceOnce) {
      state.raceOnce = false;
      pushChange(bare, "RACE.md", `race ${Date.now()}\n`, "docs: a commit that landed meanwhile", "app");
    }
    const current = head();
    if (input.branch?.branchName !== "main" || input.branch?.repositoryNameWithOwner !== `${state.owner}/${state.name}`)
      return send(200, { data: null, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a Ref" }] });
    if (input.expectedHeadOid !== current)
      return send(200, {
        data: { createCommitOnBranch: null },
        errors: [{ type: "STALE_DATA", message: `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.` }],
      });
    const add = input.fileChanges?.additions?.[0];
    const r = pushChange(bare, add.path, Buffer.from(add.contents, "base64"), input.message.headline, actor);
    if (!r.ok)
      return send(200, {
        data: { createCommitOnBranch: null },
        errors: [{ type: "UNPROCESSABLE", message: `Repository rule violations found\n\n${r.error.replace(/^remote: /gm, "").trim()}` }],
      });
    return send(200, { data: { createCommitOnBranch: { commit: { oid: r.sha } } } });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    state,
    calls,
    bare,
    protect(on) {
      const f = join(bare, "protected");
      if (on) writeFileSync(f, "");
      else if (existsSync(f)) execFileSync("rm", [f]);
    },
    head,
    commit(path, content, message) {
      const r = pushChange(bare, path, content, message, "app");
      if (!r.ok) throw new Error(r.error);
      return r.sha;
    },
    show,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b({ alg: "RS256", typ: "JWT" })}.${b({ iss: "https://token.actions.githubusercontent.com", ...claims })}.c2ln`;
}

// ---------------------------------------------------------------------------------------------
// Command stand-ins

/** The `gh` stand-in (Node): the subset of gh the generated scripts use, against the API stand-in. */
const GH = String.raw`#!/usr/bin/env node
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const base = process.env.GH_STANDIN_URL;
const repo = process.env.GH_REPO || process.env.GITHUB_REPOSITORY;
const log = (line) => fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify(["gh", ...process.argv.slice(2)]) + "\n");
log();
const args = process.argv.slice(2);
const die = (msg, code = 1) => { process.stderr.write(msg + "\n"); process.exit(code); };
const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN || "";
function request(method, path, body) {
  const r = spawnSync("curl", ["-sS", "-X", method, "-H", "content-type: application/json", ...(token ? ["-H", "authorization: token " + token] : []),
    "-w", "\n%{http_code}", "--data-binary", "@-", base + path], { input: body === undefined ? "" : JSON.stringify(body), encoding: "utf8" });
  if (r.status !== 0) die("gh: cannot reach the API: " + r.stderr);
  const i = r.stdout.lastIndexOf("\n");
  return { code: Number(r.stdout.slice(i + 1)), text: r.stdout.slice(0, i) };
}
function setPath(obj, key, value) {
  const parts = key.replace(/\]/g, "").split("[");
  let o = obj;
  for (const p of parts.slice(0, -1)) o = o[p] = o[p] || {};
  o[parts[parts.length - 1]] = value;
}
function typed(v) { if (v === "true") return true; if (v === "false") return false; if (/^-?\d+$/.test(v)) return Number(v); if (v === "null") return null; return v; }
function stdin() { try { return fs.readFileSync(0, "utf8"); } catch { return ""; } }
if (args[0] === "api") {
  let method, jq, input, silent = false, paginate = false, endpoint; const fields = {};
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === "-X" || a === "--method") method = args[++i];
    else if (a === "-f" || a === "--raw-field") { const [k, ...v] = args[++i].split("="); setPath(fields, k, v.join("=")); }
    else if (a === "-F" || a === "--field") { const [k, ...v] = args[++i].split("="); setPath(fields, k, typed(v.join("="))); }
    else if (a === "--jq" || a === "-q") jq = args[++i];
    else if (a === "--input") input = args[++i];
    else if (a === "--silent") silent = true;
    else if (a === "--paginate") paginate = true;
    else if (a.startsWith("-")) die("gh stand-in: unsupported flag " + a, 2);
    else if (endpoint === undefined) endpoint = a;
    else die("gh stand-in: extra argument " + a, 2);
  }
  if (!endpoint) die("gh stand-in: no endpoint", 2);
  let body;
  if (input !== undefined) body = JSON.parse(input === "-" ? stdin() : fs.readFileSync(input, "utf8"));
  else if (Object.keys(fields).length) body = fields;
  method = method || (body !== undefined ? "POST" : "GET");
  const [o, r] = repo.split("/");
  const path = endpoint === "graphql" ? "/graphql" : ("/" + endpoint.replace(/^\//, "").replace("{owner}", o).replace("{repo}", r)).replace(/[<> "]/g, encodeURIComponent);
  const res = request(method, path, body);
  let data; try { data = JSON.parse(res.text); } catch { data = res.text; }
  if (res.code >= 400) die("gh: " + (data && data.message || res.text) + " (HTTP " + res.code + ")");
  if (data && Array.isArray(data.errors) && data.errors.length) { if (!silent) process.stdout.write(res.text + "\n"); die("gh: " + data.errors.map((e) => e.message).join("\n")); }
  if (silent) process.exit(0);
  // --paginate on a list: the next pages until an empty one, jq applied to each page as gh does.
  const pages = [res.text];
  if (paginate && Array.isArray(data) && data.length) {
    for (let n = 2; ; n++) {
      if (n > 100) die("gh stand-in: more than 100 pages of " + path + " (does the endpoint ignore page=?)");
      const next = request(method, path + (path.includes("?") ? "&" : "?") + "page=" + n, body);
      if (next.code >= 400 || JSON.parse(next.text).length === 0) break;
      pages.push(next.text);
    }
  }
  if (jq) { for (const text of pages) { const j = spawnSync("jq", ["-r", jq], { input: text, encoding: "utf8" }); process.stdout.write(j.stdout); if (j.status !== 0) die(j.stderr, j.status); } process.exit(0); }
  process.stdout.write(res.text + "\n");
  process.exit(0);
}
if ((args[0] === "variable" || args[0] === "secret") && (args[1] === "list" || args[1] === "delete")) {
  const kind = args[0] === "variable" ? "variables" : "secrets";
  let env, json, jq, name;
  for (let i = 2; i < args.length; i++) {
    if (args[i] === "--env" || args[i] === "-e") env = args[++i];
    else if (args[i] === "--json") json = args[++i];
    else if (args[i] === "--jq" || args[i] === "-q") jq = args[++i];
    else if (!args[i].startsWith("-") && args[1] === "delete" && name === undefined) name = args[i];
    else die("gh stand-in: unsupported flag " + args[i], 2);
  }
  if (args[1] === "delete") {
    if (!name) die("gh: a name is required", 2);
    const res = request("DELETE", "/_standin/" + kind, { name, env });
    if (res.code === 404) die("gh: failed to delete " + args[0] + " " + name + ": HTTP 404: Not Found");
    if (res.code >= 400) die("gh: " + res.text);
    process.exit(0);
  }
  if (json !== "name") die("gh stand-in: list needs --json name", 2);
  const res = request("GET", "/_standin/" + kind + (env ? "?env=" + encodeURIComponent(env) : ""));
  if (res.code >= 400) die("gh: " + res.text);
  if (jq) { const j = spawnSync("jq", ["-r", jq], { input: res.text, encoding: "utf8" }); process.stdout.write(j.stdout); process.exit(j.status); }
  process.stdout.write(res.text + "\n");
  process.exit(0);
}
if (args[0] === "variable" || args[0] === "secret") {
  if (args[1] !== "set") die("gh stand-in: only '" + args[0] + " set', 'list' and 'delete'", 2);
  const name = args[2]; let env, value;
  for (let i = 3; i < args.length; i++) { if (args[i] === "--env" || args[i] === "-e") env = args[++i]; else if (args[i] === "--body" || args[i] === "-b") value = args[++i]; else die("gh stand-in: unsupported flag " + args[i], 2); }
  if (!name || /^-/.test(name)) die("gh: a name is required", 2);
  if (value === undefined) value = stdin();
  if (value === "") die("gh: the value of " + name + " is empty", 1);
  const res = request("POST", "/_standin/" + (args[0] === "variable" ? "variables" : "secrets"), { name, env, value });
  if (res.code >= 400) die("gh: " + res.text);
  process.exit(0);
}
// gh attestation verify oci://<image>@<digest> (--repo <owner>/<name> | --owner <owner>)
// [--cert-identity <SAN>]: the attestations of that digest from the API, then the policy gh
// enforces (the signer's SAN in the repository or owner, exactly the given identity). The
// stand-in takes an image by digest only (the registry lookup of a tag is not emulated).
if (args[0] === "attestation" && args[1] === "verify") {
  let artifact, owner, repoFlag, identity;
  for (let i = 2; i < args.length; i++) {
    const a = args[i];
    if (a === "--repo" || a === "-R") repoFlag = args[++i];
    else if (a === "--owner" || a === "-o") owner = args[++i];
    else if (a === "--cert-identity") identity = args[++i];
    else if (a.startsWith("-")) die("gh stand-in: unsupported flag " + a, 2);
    else if (artifact === undefined) artifact = a;
    else die("gh stand-in: extra argument " + a, 2);
  }
  if (!artifact) die("must specify file path or container image URI, as well as one of --owner or --repo", 1);
  if (!owner && !repoFlag) die("at least one of the flags in the group [owner repo] is required", 1);
  if (owner && repoFlag) die("if any flags in the group [owner repo] are set none of the others can be; [owner repo] were all set", 1);
  const m = /^oci:\/\/([^@]+)@(sha256:[0-9a-f]+)$/.exec(artifact);
  if (!m) die("gh stand-in: an image by its digest only (oci://<image>@sha256:<hex>), got " + artifact, 2);
  if (!token) die("gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.", 4);
  const digest = m[2];
  process.stderr.write("Loaded digest " + digest + " for " + artifact + "\n");
  const res = request("GET", repoFlag ? "/repos/" + repoFlag + "/attestations/" + digest : "/orgs/" + owner + "/attestations/" + digest);
  if (res.code === 404) die("✗ No attestations found for subject " + digest + "\n\nError: HTTP 404: Not Found", 1);
  if (res.code >= 400) die("✗ Loading attestations from GitHub API failed\n\nError: HTTP " + res.code, 1);
  const prefix = "https://github.com/" + (repoFlag || owner) + "/";
  const ok = JSON.parse(res.text).attestations.filter((a) => a.bundle.predicateType === "https://slsa.dev/provenance/v1"
    && (identity ? a.bundle.san === identity : a.bundle.san.startsWith(prefix)));
  if (!ok.length) die("✗ Verification failed\n\nError: verifying with issuer \"sigstore.dev\": no attestation matched the expected SubjectAlternativeName " + (identity || prefix), 1);
  process.stderr.write("✓ Verification succeeded!\n");
  process.exit(0);
}
if (args[0] === "workflow" && args[1] === "run") {
  const workflow = args[2]; let ref = ""; const fields = {};
  for (let i = 3; i < args.length; i++) { if (args[i] === "--ref") ref = args[++i]; else if (args[i] === "--repo" || args[i] === "-R") i++; else if (args[i] === "-f") { const [k, ...v] = args[++i].split("="); fields[k] = v.join("="); } else die("gh stand-in: unsupported flag " + args[i], 2); }
  request("POST", "/_standin/dispatches", { workflow, ref, fields });
  process.exit(0);
}
die("gh stand-in: unsupported command " + args.join(" "), 2);
`;

/**
 * A rule of the CLI stubs: when every `match` entry is found in the argv (as a contiguous run,
 * in order), print `stdout`, exit with `exit`; `after` makes a rule apply only once a call with
 * those words was recorded (a create before a describe).
 */
export interface StubRule {
  cmd: string;
  match: string[];
  stdout?: string;
  exit?: number;
  stderr?: string;
  after?: string[];
}

const CLI_STUB = String.raw`#!/usr/bin/env node
const fs = require("node:fs");
const path = require("node:path");
const cmd = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const logFile = process.env.STANDIN_LOG;
const previous = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
let input = "";
if (!process.stdin.isTTY) { try { input = fs.readFileSync(0, "utf8"); } catch {} }
fs.appendFileSync(logFile, JSON.stringify([cmd, ...args]) + "\n");
const empty = args.findIndex((a) => a === "");
if (empty >= 0) { process.stderr.write(cmd + " stub: argument " + (empty + 1) + " is empty (an unset variable?)\n"); process.exit(2); }
const has = (argv, words) => { for (let i = 0; i + words.length <= argv.length; i++) if (words.every((w, j) => argv[i + j] === w)) return true; return false; };
const rules = JSON.parse(fs.readFileSync(process.env.STANDIN_RULES, "utf8"));
for (const r of rules) {
  if (r.cmd !== cmd || !has(args, r.match)) continue;
  if (r.after && !previous.some((p) => p[0] === cmd && has(p.slice(1), r.after))) continue;
  if (r.stdout) process.stdout.write(r.stdout.replace("{input}", input));
  if (r.stderr) process.stderr.write(r.stderr);
  process.exit(r.exit ?? 0);
}
// kubectl: "config set-*" writes the file KUBECONFIG names, as kubectl does.
if (cmd === "kubectl" && args[0] === "config" && /^(set-|use-context)/.test(args[1] || "") && process.env.KUBECONFIG) {
  fs.appendFileSync(process.env.KUBECONFIG, "# " + args.join(" ") + "\n");
  process.exit(0);
}
// kubectl: namespaced commands need the namespace to exist (created earlier in the same run).
if (cmd === "kubectl") {
  const i = args.findIndex((a) => a === "--namespace" || a === "-n");
  const ns = i >= 0 ? args[i + 1] : undefined;
  const created = previous.some((p) => p[0] === "kubectl" && p[1] === "create" && p[2] === "namespace" && p[3] === ns);
  if (ns && !created && ["create", "apply", "label"].includes(args[0]) && !process.env.STANDIN_NAMESPACES_EXIST) {
    process.stderr.write('Error from server (NotFound): namespaces "' + ns + '" not found\n');
    process.exit(1);
  }
}
process.exit(0);
`;

export const STUBBED_CLIS = ["aws", "gcloud", "az", "kubectl", "helm", "docker", "cosign"] as const;

export interface Sandbox {
  dir: string;
  bin: string;
  log: string;
  rulesFile: string;
  /** Recorded command lines, in order ([command, ...argv]). */
  commands(): string[][];
  setRules(rules: StubRule[]): void;
}

/** A folder with the gh stand-in and the CLI stubs (and a symlink to the real yq/jq on PATH). */
export function sandbox(rules: StubRule[] = []): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "cp-standin-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "gh"), GH);
  chmodSync(join(bin, "gh"), 0o755);
  for (const c of STUBBED_CLIS) {
    writeFileSync(join(bin, c), CLI_STUB);
    chmodSync(join(bin, c), 0o755);
  }
  const log = join(dir, "calls.jsonl");
  writeFileSync(log, "");
  const rulesFile = join(dir, "rules.json");
  writeFileSync(rulesFile, JSON.stringify(rules));
  return {
    dir,
    bin,
    log,
    rulesFile,
    commands: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    setRules: (r) => writeFileSync(rulesFile, JSON.stringify(r)),
  };
}

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** PATH for the scripts: the stand-ins first, then the pinned yq, then the system. */
export const scriptPath = (sb: Sandbox) => `${sb.bin}:${TOOLS_BIN}:/usr/local/bin:/usr/bin:/bin`;

/**
 * Runs a shell script as GitHub's runner does for `run:` (bash --noprofile --norc -eo pipefail).
 * Asynchronous: the API stand-in answers from this same process.
 */
export async function runScript(
  script: string,
  env: Record<string, string>,
  sb: Sandbox,
  opts: { shellArgs?: string[]; cwd?: string; input?: string } = {},
): Promise<ScriptResult> {
  const work = mkdtempSync(join(sb.dir, "step-"));
  const file = join(work, "script.sh");
  writeFileSync(file, script);
  const out = join(work, "output");
  const summary = join(work, "summary");
  writeFileSync(out, "");
  writeFileSync(summary, "");
  const child = spawn("bash", [...(opts.shellArgs ?? ["--noprofile", "--norc", "-eo", "pipefail"]), file], {
    cwd: opts.cwd ?? work,
    env: {
      HOME: work,
      LANG: "C.UTF-8",
      PATH: scriptPath(sb),
      STANDIN_LOG: sb.log,
      STANDIN_RULES: sb.rulesFile,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: work,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.on("error", () => {}); // a script that never reads its input
  child.stdin.end(opts.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const code = await new Promise<number>((ok) => child.on("close", (c) => ok(c ?? -1)));
  clearTimeout(timer);
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(out, "utf8").split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
  }
  return { code, stdout, stderr, outputs, summary: readFileSync(summary, "utf8") };
}

export interface WorkflowStep {
  job: string;
  name: string;
  run: string;
  /** Workflow, job and step env merged (step wins), expressions not yet substituted. */
  env: Record<string, string>;
  if?: string;
}

/** Every `run:` step of a workflow file, with its merged env. */
export function workflowSteps(file: string): WorkflowStep[] {
  const wf = parseYaml(readFileSync(file, "utf8")) as {
    env?: Record<string, unknown>;
    jobs: Record<string, { env?: Record<string, unknown>; steps?: { name?: string; run?: string; env?: Record<string, unknown>; if?: string }[] }>;
  };
  const str = (o: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, String(v)]));
  const out: WorkflowStep[] = [];
  for (const [job, j] of Object.entries(wf.jobs)) {
    for (const s of j.steps ?? []) {
      if (typeof s.run !== "string") continue;
      out.push({ job, name: s.name ?? s.run.slice(0, 40), run: s.run, env: { ...str(wf.env), ...str(j.env), ...str(s.env) }, if: s.if });
    }
  }
  return out;
}

/**
 * Substitutes the `${{ }}` expressions of a step's env with the given values (by the expression
 * text). An expression without a value is an error, so that a test states every input a script
 * gets from GitHub.
 */
export function resolveEnv(step: WorkflowStep, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env)) {
    out[k] = v.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in values)) throw new Error(`${step.job} / ${step.name}: no test value for \${{ ${expr} }} (env ${k})`);
      return values[expr];
    });
  }
  return out;
}

/**
 * The image a one-service push deploy job reads, by the expressions of its step's env: in prod (the
 * gate) the promotion source's, else the image job's. Sample values for resolveEnv.
 */
export function deployImageValues(env: string): Record<string, string> {
  return env === "prod"
    ? {
        "needs.promotion-source.outputs.tag || needs.image.outputs.tag": "sha-0123456789ab",
        "needs.promotion-source.outputs.digest || needs.image.outputs.digest": "sha256:d",
        "needs.promotion-source.outputs.sha || github.sha": "0123456789abcdef",
      }
    : { "needs.image.outputs.tag": "sha-0123456789ab", "needs.image.outputs.digest": "sha256:d" };
}

/** The fenced ```bash blocks of a markdown text between two headings (in order). */
export function bashBlocks(markdown: string, fromHeading: string, toHeading: string): string[] {
  const start = markdown.indexOf(`\n${fromHeading}\n`);
  const end = markdown.indexOf(`\n${toHeading}\n`, start + 1);
  if (start < 0 || end < 0) throw new Error(`headings ${fromHeading} / ${toHeading} not found`);
  const part = markdown.slice(start, end);
  return [...part.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
}
