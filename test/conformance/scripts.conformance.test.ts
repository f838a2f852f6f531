/**
 * The generated pipeline's shell code, executed here against stand-ins (test/support/standins.ts):
 * a loopback GitHub API backed by a bare git repository whose hook refuses direct pushes to a
 * protected main, a `gh` stand-in, and stub cloud CLIs that record their arguments and fail on
 * empty ones. What GitHub would do is not guessed here: each test states the inputs a script gets
 * (every `${{ }}` of its env) and asserts what it did: calls, their order, quoting, exit codes and
 * the messages a user reads.
 *
 *   npx vitest run --config vitest.conformance.config.ts test/conformance/scripts.conformance.test.ts
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli, tempDir } from "../support/cli.js";
import {
  bashBlocks,
  REPO_ROOT,
  deployImageValues,
  resolveEnv,
  runScript,
  sandbox,
  startGitHub,
  TOOLS_BIN,
  workflowSteps,
  type GitHubStandIn,
  type Sandbox,
  type StubRule,
  type WorkflowStep,
} from "../support/standins.js";
import { PUSH_ON_EKS } from "../support/answers.js";

const YQ = join(TOOLS_BIN, "yq");

async function generate(name: string, flags: string[]): Promise<string> {
  const dir = join(tempDir("cp-scripts-"), name);
  const r = await runCli(["create", dir, "--yes", "--name", name, "--owner", "acme", ...flags]);
  if (r.code !== 0) throw new Error(`create failed (${r.code}): ${r.stderr}`);
  return dir;
}

const step = (dir: string, workflow: string, job: string, name: RegExp): WorkflowStep => {
  const s = workflowSteps(join(dir, ".github", "workflows", workflow)).find((x) => x.job === job && name.test(x.name));
  if (!s) throw new Error(`no step ${name} in ${workflow} / ${job}`);
  return s;
};

const apiEnv = (gh: GitHubStandIn, sha: string) => ({
  GH_STANDIN_URL: gh.url,
  GITHUB_REPOSITORY: `${gh.state.owner}/${gh.state.name}`,
  GITHUB_SHA: sha,
  GITHUB_SERVER_URL: "https://github.com",
});

const imageOf = (valuesYaml: string) => (parseYaml(valuesYaml) as { image: { tag: string; digest: string } }).image;

const graphqlCalls = (gh: GitHubStandIn) => gh.calls.filter((c) => c.path === "/graphql");

describe("GitOps promotion (Delivery, deploy-<env> jobs)", () => {
  let dir: string;
  let gh: GitHubStandIn;
  let sb: Sandbox;
  const name = "shop";
  const values = (env: string) => `charts/${name}/values-${env}.yaml`;

  beforeAll(async () => {
    expect(existsSync(YQ), "the pinned yq is missing: run bash scripts/install-tools.sh").toBe(true);
    dir = await generate(name, ["--environments", "dev,prod"]);
    const files: Record<string, string> = {};
    for (const env of ["dev", "prod"]) files[values(env)] = readFileSync(join(dir, values(env)), "utf8");
    gh = await startGitHub(files, { name });
    sb = sandbox();
  });
  afterAll(() => gh?.close());

  const promote = async (env: string, sha: string, token: string) => {
    const s = step(dir, "delivery.yml", `deploy-${env}`, /^Commit the image/);
    expect(s.run).not.toContain("${{");
    const tag = `sha-${sha.slice(0, 12)}`;
    return runScript(
      s.run,
      {
        ...apiEnv(gh, sha),
        ...resolveEnv(s, {
          "steps.app.outputs.token || github.token": token,
          "steps.app.outputs.token != ''": String(token === gh.state.appToken),
          "needs.image.outputs.tag": tag,
          "needs.image.outputs.digest": `sha256:${"a".repeat(60)}${sha.slice(0, 4)}`,
          // prod, the gate: a push run's image (no promotion by hand)
          "needs.promotion-source.outputs.tag || needs.image.outputs.tag": tag,
          "needs.promotion-source.outputs.digest || needs.image.outputs.digest": `sha256:${"a".repeat(60)}${sha.slice(0, 4)}`,
          "needs.promotion-source.outputs.sha || github.sha": sha,
        }),
      },
      sb,
    );
  };

  it("commits the new image to values-dev.yaml through the API, as one signed-by-GitHub commit with [skip ci]", async () => {
    const sha = gh.head();
    const before = gh.show("main", values("dev"));
    const r = await promote("dev", sha, "ghs_workflow_token");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const head = gh.head();
    expect(head).not.toBe(sha);
    expect(r.outputs.sha).toBe(head);
    const after = gh.show("main", values("dev"));
    expect(imageOf(after)).toEqual({ tag: `sha-${sha.slice(0, 12)}`, digest: `sha256:${"a".repeat(60)}${sha.slice(0, 4)}` });
    // only the two keys changed; comments survive
    const commentLines = (t: string) => t.split("\n").filter((l) => l.trim().startsWith("#"));
    expect(commentLines(after)).toEqual(commentLines(before));
    const message = spawnSync("git", ["log", "-1", "--format=%s", head], { cwd: gh.bare, encoding: "utf8" }).stdout.trim();
    expect(message).toBe(`chore(dev): deploy sha-${sha.slice(0, 12)} [skip ci]`);
    expect(graphqlCalls(gh)).toHaveLength(1);
    expect(r.summary).toContain(`dev → sha-${sha.slice(0, 12)}`);
  });

  it("changes nothing when the environment already runs that image", async () => {
    const calls = graphqlCalls(gh).length;
    const deployed = spawnSync("git", ["rev-parse", "main~1"], { cwd: gh.bare, encoding: "utf8" }).stdout.trim();
    const r = await promote("dev", deployed, "ghs_workflow_token");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("dev already runs");
    expect(graphqlCalls(gh)).toHaveLength(calls);
  });

  it("on a protected main, fails at once with GitHub's refusal and says what to set up (no retries)", async () => {
    gh.protect(true);
    const head = gh.head();
    const calls = graphqlCalls(gh).length;
    const r = await promote("prod", head, "ghs_workflow_token");
    expect(r.code).toBe(1);
    const text = r.stdout + r.stderr;
    expect(text).toContain("Repository rule violations found");
    expect(text).toContain("Changes must be made through a pull request");
    expect(text).toContain("::error::the promotion commit to main was refused (above). A protected main needs the GitHub App");
    expect(graphqlCalls(gh).length - calls).toBe(1);
    expect(gh.head()).toBe(head);
  });

  it("on a protected main, the GitHub App's token passes (it is on the bypass list)", async () => {
    const head = gh.head();
    const r = await promote("prod", head, gh.state.appToken);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(gh.head()).not.toBe(head);
    expect(graphqlCalls(gh).at(-1)?.actor).toBe("app");
    expect(imageOf(gh.show("main", values("prod"))).tag).toBe(`sha-${head.slice(0, 12)}`);
  });

  it("retries only a race with another commit, starting again from the new main", async () => {
    const head = gh.head();
    gh.state.raceOnce = true;
    const calls = graphqlCalls(gh).length;
    const r = await promote("dev", head, gh.state.appToken);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain("main moved while promoting (attempt 1/5)");
    expect(graphqlCalls(gh).length - calls).toBe(2);
    const second = graphqlCalls(gh).at(-1)!.body as { variables: { input: { expectedHeadOid: string } } };
    expect(second.variables.input.expectedHeadOid).not.toBe(head);
  });

  it("never moves an environment back to an older commit (an older run that starts late)", async () => {
    const newer = gh.head();
    const r1 = await promote("dev", newer, gh.state.appToken);
    expect(r1.code, r1.stderr).toBe(0);
    const older = spawnSync("git", ["rev-list", "--max-parents=0", "main"], { cwd: gh.bare, encoding: "utf8" }).stdout.trim();
    const calls = graphqlCalls(gh).length;
    const r2 = await promote("dev", older, gh.state.appToken);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toContain(`::notice::dev already runs sha-${newer.slice(0, 12)}, newer than sha-${older.slice(0, 12)}: nothing to do`);
    expect(graphqlCalls(gh)).toHaveLength(calls);
    expect(imageOf(gh.show("main", values("dev"))).tag).toBe(`sha-${newer.slice(0, 12)}`);
  });

  describe("waiting for Argo CD before the next environment", () => {
    const wait = async (promoted: string, minutes: string) => {
      const s = step(dir, "delivery.yml", "deploy-dev", /^Wait for Argo CD/);
      return runScript(
        s.run,
        {
          ...apiEnv(gh, promoted),
          ...resolveEnv(s, {
            "github.token": "ghs_workflow_token",
            "steps.promote.outputs.sha": promoted,
            "vars.ARGOCD_HEALTH_WAIT_MINUTES || '15'": minutes,
            "needs.image.outputs.tag": "sha-x",
            "needs.image.outputs.digest": "sha256:x",
          }),
        },
        sb,
      );
    };
    it("passes when Argo CD reported the application healthy on the promotion or a later commit", async () => {
      const promoted = spawnSync("git", ["rev-parse", "main~1"], { cwd: gh.bare, encoding: "utf8" }).stdout.trim();
      const later = gh.head();
      gh.state.statuses[later] = [{ context: `argocd/${name}-dev`, state: "success" }];
      const r = await wait(promoted, "1");
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toContain(`${name}-dev is Synced and Healthy at ${later}`);
    });
    it("finds Argo CD's status behind more than 30 newer statuses of other checks (all pages are read)", async () => {
      const promoted = gh.head();
      const others = Array.from({ length: 40 }, (_, i) => ({ context: `ci/check-${i}`, state: "success" }));
      gh.state.statuses[promoted] = [{ context: `argocd/${name}-dev`, state: "failure" }, ...others];
      const r = await wait(promoted, "0");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`::error::Argo CD reports ${name}-dev failure at ${promoted}: prod is not promoted`);
    });
    it("fails, naming the application, when Argo CD reported a failure", async () => {
      const promoted = gh.head();
      gh.state.statuses[promoted] = [{ context: `argocd/${name}-dev`, state: "failure" }];
      const r = await wait(promoted, "1");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`::error::Argo CD reports ${name}-dev failure at ${promoted}: prod is not promoted`);
    });
    it("gives up with a message that says how to set it up when no status ever arrives", async () => {
      const promoted = gh.commit("README.md", "x\n", "docs: x");
      const r = await wait(promoted, "0");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`::error::no 'argocd/${name}-dev' success status after 0 minutes`);
      expect(r.stdout).toContain("ARGOCD_HEALTH_GATE=off");
    });
  });
});

describe("CI: one required check that always runs", () => {
  let dir: string;
  let gh: GitHubStandIn;
  let sb: Sandbox;
  beforeAll(async () => {
    // A test command given (an empty folder defines none, and none is imposed).
    dir = await generate("api", ["--language", "python", "--test-command", "python -m pytest"]);
    gh = await startGitHub({ "README.md": "x\n" }, { name: "api" });
    sb = sandbox();
  });
  afterAll(() => gh?.close());

  it("has no paths filter, runs in the merge queue and is called by Delivery", async () => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as { on: Record<string, unknown> };
    expect(Object.keys(wf.on).sort()).toEqual(["merge_group", "pull_request", "workflow_call"]);
    expect(JSON.stringify(wf.on)).not.toContain("paths");
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as {
      jobs: Record<string, { uses?: string; needs?: string | string[] }>;
    };
    expect(delivery.jobs.ci.uses).toBe("./.github/workflows/ci.yml");
    expect(delivery.jobs["build-amd64"].needs).toBe("ci");
  });

  const changes = async (pr: string) => {
    const s = step(dir, "ci.yml", "changes", /^Code or docs only/);
    return runScript(s.run, { ...apiEnv(gh, "0"), ...resolveEnv(s, { "github.token": "t", "github.event.pull_request.number": pr }) }, sb);
  };
  it("skips the heavy jobs of a docs-only pull request, and only then", async () => {
    gh.state.prFiles = ["docs/pipeline.md", "README.md"];
    const docs = await changes("7");
    expect(docs.code, docs.stderr).toBe(0);
    expect(docs.outputs.code).toBe("false");
    gh.state.prFiles = ["docs/pipeline.md", "app/main.py"];
    expect((await changes("7")).outputs.code).toBe("true");
    expect((await changes("")).outputs.code).toBe("true"); // a push, the merge queue, Delivery
    // code moved into docs/ (a rename) is a code change
    gh.state.prFiles = ["app/notes.py => docs/notes.md"];
    expect((await changes("7")).outputs.code).toBe("true");
    gh.state.prFiles = ["docs/old.md => docs/new.md"];
    expect((await changes("7")).outputs.code).toBe("false");
  });

  it("CI's image build reads the cache Delivery's build writes (same scope)", async () => {
    const ci = parseYaml(readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8")) as { jobs: Record<string, any> };
    const delivery = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    const ciBuild = Object.values(ci.jobs)
      .flatMap((j: any) => j.steps ?? [])
      .find((x: any) => x.uses?.startsWith("docker/build-push-action"));
    const dBuild = delivery.jobs["build-amd64"].steps.find((x: any) => x.uses?.startsWith("docker/build-push-action"));
    const scope = (v: string) => /scope=([^,\s]+)/.exec(v)?.[1];
    expect(scope(ciBuild.with["cache-from"])).toBe(scope(dBuild.with["cache-to"]));
    expect(scope(dBuild.with["cache-to"])).toBe("build-amd64");
  });

  it("the CI result job fails on any failed or cancelled job and passes skipped ones", async () => {
    const s = step(dir, "ci.yml", "result", /./);
    const run = (results: string) => runScript(s.run, resolveEnv(s, { "join(needs.*.result, ' ')": results }), sb);
    expect((await run("success skipped skipped")).code).toBe(0);
    const failed = await run("success failure success");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("::error::a CI job ended with 'failure'");
    expect((await run("success cancelled success")).code).toBe(1);
  });

  it("tests with python -m pytest (a flat app/ + tests/ layout imports)", async () => {
    const ci = readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8");
    expect(ci).toMatch(/^\s+(?:run: )?python -m pytest\b/m);
  });
});

describe("Image: pushed by digest, tagged after the scan, never rebuilt by a re-run", () => {
  let dir: string;
  let sb: Sandbox;
  const image = "ghcr.io/acme/pix";
  beforeAll(async () => {
    dir = await generate("pix", ["--multi-arch"]);
    sb = sandbox();
  });
  const sha = "0123456789abcdef0123456789abcdef01234567";
  // The index the stub's --dry-run prints (then a newline, as buildx does), and its digest.
  const index = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}';
  const indexDigest = `sha256:${createHash("sha256").update(index).digest("hex")}`;
  const run = async (name: RegExp, rules: StubRule[], values: Record<string, string>, box = sb, env: Record<string, string> = {}) => {
    box.setRules(rules);
    const s = step(dir, "delivery.yml", "image", name);
    return runScript(s.run, { GITHUB_SHA: sha, ...resolveEnv(s, values), ...env }, box);
  };
  const indexStep = (rules: StubRule[], digests: Record<string, string>, box = sb) =>
    run(
      /^Push the image index by digest/,
      rules,
      { "needs.build-amd64.outputs.digest": digests.amd64 ?? "", "needs.build-arm64.outputs.digest": digests.arm64 ?? "" },
      box,
    );
  const tagStep = (rules: StubRule[], outputs: Record<string, string>, box = sb, env: Record<string, string> = {}) =>
    run(
      /^Tag the signed image/,
      rules,
      {
        "steps.index.outputs.tag": `sha-${(env.GITHUB_SHA ?? sha).slice(0, 12)}`,
        "steps.index.outputs.digest": outputs.digest ?? "",
        "steps.index.outputs.reused": outputs.reused ?? "false",
        "github.token": "ghs_workflow_token",
      },
      box,
      env,
    );
  it("the build jobs push by digest only (no tag before the scan), per architecture, on a native arm64 runner", async () => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    for (const arch of ["amd64", "arm64"]) {
      const build = wf.jobs[`build-${arch}`].steps.find((x: any) => x.name === "Build and push by digest");
      expect(build.with.outputs).toContain("push-by-digest=true");
      expect(build.with.tags).toBeUndefined();
      const scans = wf.jobs[`build-${arch}`].steps.filter((x: any) => /^Scan the image/.test(x.name ?? ""));
      expect(scans).toHaveLength(2);
      for (const sc of scans) expect(sc.env.TRIVY_PLATFORM).toBe("${{ env.PLATFORM }}");
    }
    expect(wf.jobs["build-arm64"]["runs-on"]).toContain("ubuntu-24.04-arm");
    expect(wf.jobs.image.needs).toEqual(["build-amd64", "build-arm64"]);
  });
  it("pushes the index of both scanned digests by its digest, attests and signs that digest, and only then tags it", async () => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    const steps = wf.jobs.image.steps as { name: string; with?: Record<string, string>; env?: Record<string, string> }[];
    const at = (re: RegExp) => steps.findIndex((x) => re.test(x.name));
    expect(at(/^Push the image index by digest/)).toBeGreaterThanOrEqual(0);
    expect(at(/^Push the image index by digest/)).toBeLessThan(at(/^Attest build provenance/));
    expect(at(/^Attest build provenance/)).toBeLessThan(at(/^Sign the image/));
    expect(at(/^Sign the image/)).toBeLessThan(at(/^Tag the signed image/));
    expect(steps.find((x) => x.name === "Attest build provenance")!.with!["subject-digest"]).toBe("${{ steps.index.outputs.digest }}");
    expect(steps.find((x) => x.name.startsWith("Sign the image"))!.env!.DIGEST).toBe("${{ steps.index.outputs.digest }}");
    expect(wf.jobs.image.outputs).toEqual({ tag: "${{ steps.tag.outputs.tag }}", digest: "${{ steps.tag.outputs.digest }}" });
    const box = sandbox();
    const r = await indexStep(
      [
        { cmd: "docker", match: ["imagetools", "create", "--dry-run"], stdout: `${index}\n` },
        { cmd: "docker", match: ["imagetools", "inspect", `${image}@${indexDigest}`], stdout: JSON.stringify({ digest: indexDigest }) },
        { cmd: "docker", match: ["imagetools", "inspect"], exit: 1, stderr: "not found" },
      ],
      { amd64: "sha256:aaa", arm64: "sha256:bbb" },
      box,
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const creates = box.commands().filter((c) => c[0] === "docker" && c.includes("create"));
    expect(creates).toEqual([
      ["docker", "buildx", "imagetools", "create", "--dry-run", `${image}@sha256:aaa`, `${image}@sha256:bbb`],
      // No tag: the index is pushed under its own digest.
      ["docker", "buildx", "imagetools", "create", "--tag", `${image}@${indexDigest}`, `${image}@sha256:aaa`, `${image}@sha256:bbb`],
    ]);
    expect(r.outputs).toMatchObject({ tag: "sha-0123456789ab", digest: indexDigest, reused: "false" });
    // Then, after attest and sign, the tags sha-<12> and main on that digest, read back.
    const tagBox = sandbox();
    const t = await tagStep(
      [
        { cmd: "docker", match: ["imagetools", "inspect"], after: ["imagetools", "create"], stdout: JSON.stringify({ digest: indexDigest }) },
        { cmd: "docker", match: ["imagetools", "inspect"], exit: 1, stderr: "not found" },
      ],
      { digest: indexDigest },
      tagBox,
    );
    expect(t.code, t.stderr + t.stdout).toBe(0);
    expect(tagBox.commands().filter((c) => c.includes("create"))).toEqual([
      ["docker", "buildx", "imagetools", "create", "--tag", `${image}:sha-0123456789ab`, `${image}@${indexDigest}`],
      ["docker", "buildx", "imagetools", "create", "--tag", `${image}:main`, `${image}@${indexDigest}`],
    ]);
    expect(t.outputs).toMatchObject({ tag: "sha-0123456789ab", digest: indexDigest });
  });
  it("a re-run finds the tag and reuses its digest without creating anything; its signature is checked", async () => {
    const box = sandbox();
    const r = await indexStep([{ cmd: "docker", match: ["imagetools", "inspect"], stdout: '{"digest":"sha256:old"}' }], {}, box);
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ digest: "sha256:old", reused: "true" });
    const t = await tagStep(
      [{ cmd: "docker", match: ["imagetools", "inspect"], stdout: '{"digest":"sha256:old"}' }],
      { digest: "sha256:old", reused: "true" },
      box,
    );
    expect(t.code, t.stderr).toBe(0);
    expect(box.commands().some((c) => c.includes("create"))).toBe(false);
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    const verify = wf.jobs.image.steps.find((x: any) => /^Verify the published image's signature/.test(x.name ?? ""));
    expect(verify.if).toContain("steps.index.outputs.reused == 'true'");
    const cosign = wf.jobs.image.steps.find((x: any) => x.name === "Install cosign");
    expect(cosign.if).not.toContain("reused");
    const unsigned = sandbox();
    const v = await run(/^Verify the published/, [{ cmd: "cosign", match: ["verify"], exit: 1 }], { "steps.tag.outputs.digest": "sha256:old" }, unsigned);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`::error::${image}@sha256:old (tagged sha-0123456789ab) has no valid signature by`);
  });
  it("a re-run promotes the reused digest only once its build provenance attestation checks out", async () => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    const steps = wf.jobs.image.steps as { name?: string; if?: string; env?: Record<string, string> }[];
    const at = (re: RegExp) => steps.findIndex((x) => re.test(x.name ?? ""));
    const attest = steps[at(/^Verify the published image's build provenance/)];
    expect(attest, "no attestation check on a re-run").toBeDefined();
    expect(attest.if).toContain("steps.index.outputs.reused == 'true'");
    // Where the build attests (public, or ATTESTATIONS=true), a re-run checks; elsewhere there is nothing to check.
    expect(attest.if).toContain("github.event.repository.visibility == 'public' || vars.ATTESTATIONS == 'true'");
    expect(at(/^Verify the published image's build provenance/)).toBeGreaterThan(at(/^Tag the signed image/));
    // The job's token reads the attestations (write includes read).
    expect(wf.jobs.image.permissions.attestations).toBe("write");
    const digest = `sha256:${"e".repeat(64)}`;
    const identity = "https://github.com/acme/pix/.github/workflows/delivery.yml@refs/heads/main";
    const gh = await startGitHub({ "README.md": "pix\n" }, { name: "pix" });
    try {
      const check = async () => {
        const box = sandbox();
        const s = step(dir, "delivery.yml", "image", /^Verify the published image's build provenance/);
        const r = await runScript(
          s.run,
          {
            ...apiEnv(gh, sha),
            ...resolveEnv(s, { "github.token": "ghs_workflow_token", "steps.tag.outputs.digest": digest, "steps.tag.outputs.tag": "sha-0123456789ab" }),
          },
          box,
        );
        return { ...r, gh: box.commands().filter((c) => c[0] === "gh") };
      };
      // No attestation for that digest: the promotion stops, with what to do.
      const none = await check();
      expect(none.code).toBe(1);
      expect(none.stdout).toContain(
        `::error::${image}@${digest} (tagged sha-0123456789ab) has no build provenance attestation by ${identity}: it is not promoted. Delete the tag`,
      );
      expect(none.gh).toEqual([["gh", "attestation", "verify", `oci://${image}@${digest}`, "--repo", "acme/pix", "--cert-identity", identity]]);
      // Attested, but by another workflow of the repository: refused as well.
      gh.state.attestations.push({ digest, signer: "https://github.com/acme/pix/.github/workflows/other.yml@refs/heads/main" });
      expect((await check()).code).toBe(1);
      // Attested by this repository's Delivery workflow on main: promoted.
      gh.state.attestations.push({ digest, signer: identity });
      const ok = await check();
      expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    } finally {
      await gh.close();
    }
  });
  it("a run that finishes late leaves main on a newer commit's image; a newer run moves it", async () => {
    const gh = await startGitHub({ "README.md": "pix\n" }, { name: "pix" });
    try {
      const older = gh.commit("a.txt", "1\n", "older");
      const newer = gh.commit("a.txt", "2\n", "newer");
      // main's image as imagetools lists a multi-platform index, with the revision label the build sets.
      const onMain = (rev: string) => JSON.stringify({ "linux/amd64": { config: { Labels: { "org.opencontainers.image.revision": rev } } } });
      const tagAt = async (commit: string, mainAt: string) => {
        const box = sandbox();
        const t = await tagStep(
          [
            { cmd: "docker", match: ["inspect", `${image}:main`], stdout: onMain(mainAt) },
            { cmd: "docker", match: ["imagetools", "inspect"], after: ["imagetools", "create"], stdout: JSON.stringify({ digest: indexDigest }) },
            { cmd: "docker", match: ["imagetools", "inspect"], exit: 1, stderr: "not found" },
          ],
          { digest: indexDigest },
          box,
          { GITHUB_SHA: commit, GH_STANDIN_URL: gh.url, GITHUB_REPOSITORY: "acme/pix" },
        );
        expect(t.code, t.stderr + t.stdout).toBe(0);
        return {
          out: t.stdout,
          tags: box
            .commands()
            .filter((c) => c.includes("create"))
            .map((c) => c[c.indexOf("--tag") + 1]),
        };
      };
      const late = await tagAt(older, newer);
      expect(late.tags).toEqual([`${image}:sha-${older.slice(0, 12)}`]);
      expect(late.out).toContain(`${image}:main stays on the image of ${newer.slice(0, 12)}`);
      const inOrder = await tagAt(newer, older);
      expect(inOrder.tags).toEqual([`${image}:sha-${newer.slice(0, 12)}`, `${image}:main`]);
    } finally {
      await gh.close();
    }
  });
  it("a tag another run moved to another digest stops the run; nothing is retagged", async () => {
    const box = sandbox();
    const t = await tagStep([{ cmd: "docker", match: ["imagetools", "inspect"], stdout: '{"digest":"sha256:other"}' }], { digest: indexDigest }, box);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`::error::${image}:sha-0123456789ab already points at sha256:other, not at this run's ${indexDigest}`);
    expect(box.commands().some((c) => c.includes("create"))).toBe(false);
  });
  it("refuses to push the index when an architecture produced no digest", async () => {
    const r = await indexStep([{ cmd: "docker", match: ["imagetools", "inspect"], exit: 1 }], { amd64: "sha256:aaa" }, sandbox());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::the linux/arm64 build produced no digest");
  });
  it("signs with keyless cosign only for public repositories or by opt-in", async () => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    const sign = wf.jobs.image.steps.find((x: any) => /^Sign the image/.test(x.name ?? ""));
    expect(sign.if).toContain("github.event.repository.visibility == 'public' || vars.COSIGN_PRIVATE == 'true'");
    const upload = wf.jobs["build-amd64"].steps.find((x: any) => /code scanning/.test(x.name ?? ""));
    expect(upload.if).toContain("vars.CODE_SCANNING == 'true'");
    expect(wf.jobs["build-amd64"].permissions.actions).toBe("read");
  });
});

describe("Push mode: ordering, Helm 4, OIDC subject on failure", () => {
  let dir: string;
  let gh: GitHubStandIn;
  let sb: Sandbox;
  beforeAll(async () => {
    dir = await generate("pay", [...PUSH_ON_EKS, "--environments", "dev,staging,prod"]);
    gh = await startGitHub({ "README.md": "x\n" }, { name: "pay" });
    sb = sandbox();
  });
  afterAll(() => gh?.close());

  it("skips the upgrade when the release already runs a newer commit, deploys otherwise", async () => {
    const older = gh.head();
    const newer = gh.commit("a.txt", "a\n", "feat: a");
    const s = step(dir, "delivery.yml", "deploy-staging", /already running a newer commit/);
    const run = async (deployed: string, sha: string) => {
      sb.setRules([{ cmd: "helm", match: ["get", "values"], stdout: JSON.stringify({ image: { tag: `sha-${deployed.slice(0, 12)}` } }) }]);
      return runScript(
        s.run,
        {
          ...apiEnv(gh, sha),
          ...resolveEnv(s, { "github.token": "t", "needs.image.outputs.tag": `sha-${sha.slice(0, 12)}`, "needs.image.outputs.digest": "sha256:d" }),
        },
        sb,
      );
    };
    const late = await run(newer, older);
    expect(late.code, late.stderr).toBe(0);
    expect(late.outputs.deploy).toBe("false");
    expect(late.stdout).toContain(`::notice::staging already runs sha-${newer.slice(0, 12)}, newer than sha-${older.slice(0, 12)}`);
    expect((await run(older, newer)).outputs.deploy).toBe("true");
    expect((await run(newer, newer)).outputs.deploy).toBe("true");
  });

  it("upgrades with Helm 4's --rollback-on-failure, quoting every value", async () => {
    const s = step(dir, "delivery.yml", "deploy-prod", /^helm upgrade/);
    const before = sb.commands().length;
    const r = await runScript(
      s.run,
      resolveEnv(s, {
        "needs.promotion-source.outputs.tag || needs.image.outputs.tag": "sha-0123456789ab",
        "needs.promotion-source.outputs.digest || needs.image.outputs.digest": "sha256:d d",
        "needs.promotion-source.outputs.sha || github.sha": "0123456789abcdef",
      }),
      sb,
    );
    expect(r.code, r.stderr).toBe(0);
    const helm = sb
      .commands()
      .slice(before)
      .find((c) => c[0] === "helm");
    expect(helm).toEqual([
      "helm",
      "upgrade",
      "--install",
      "pay",
      "charts/pay",
      "--namespace",
      "pay-prod",
      "--values",
      "charts/pay/values.yaml",
      "--values",
      "charts/pay/values-prod.yaml",
      "--set",
      "image.tag=sha-0123456789ab",
      "--set",
      "image.digest=sha256:d d",
      "--rollback-on-failure",
      "--wait",
      "--timeout",
      "10m",
      "--history-max",
      "10",
    ]);
    const wf = readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8");
    expect(wf).not.toContain("--atomic");
    expect(wf).toMatch(/version: v4\./);
  });

  it("each environment's job uses that environment's identity, and says so when it is missing", async () => {
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
    const login = wf.jobs["deploy-dev"].steps.find((x: any) => x.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(login.with["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    const build = wf.jobs["build-amd64"].steps.find((x: any) => x.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(build.with["role-to-assume"]).toBe("${{ vars.AWS_ROLE_ARN }}");
    const s = step(dir, "delivery.yml", "deploy-dev", /identity is configured/);
    const r = await runScript(s.run, resolveEnv(s, { "vars.AWS_DEPLOY_ROLE_ARN": "", "needs.image.outputs.tag": "t", "needs.image.outputs.digest": "d" }), sb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::the dev environment has no AWS_DEPLOY_ROLE_ARN variable");
  });

  it("a failed login prints the exact OIDC subject the job presents", async () => {
    const s = step(dir, "delivery.yml", "deploy-dev", /^Show the OIDC subject/);
    gh.state.oidcSub = "repo:acme@5544123/pay@821093847:environment:dev";
    const r = await runScript(
      s.run,
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${gh.url}/_token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "rt",
        ...resolveEnv(s, { "needs.image.outputs.tag": "t", "needs.image.outputs.digest": "d" }),
      },
      sb,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("this job's OIDC subject is 'repo:acme@5544123/pay@821093847:environment:dev'; the identity must trust exactly it");
    expect(gh.calls.at(-1)?.query.audience).toBe("sts.amazonaws.com");
  });
});

describe("Promotion order: staging switches before prod, an overtaken run stops, a promotion by hand builds nothing", () => {
  let push: string;
  let gitops: string;
  let gh: GitHubStandIn;
  let sb: Sandbox;
  const commits: string[] = [];
  beforeAll(async () => {
    const common = ["--environments", "dev,staging,prod", "--strategy", "blue-green", "--progressive-delivery", "argo-rollouts"];
    push = await generate("pay", ["--mode", "push", ...common]);
    gitops = await generate("pay", ["--mode", "gitops", ...common]);
    const files: Record<string, string> = {};
    for (const env of ["dev", "staging", "prod"]) files[`charts/pay/values-${env}.yaml`] = readFileSync(join(gitops, `charts/pay/values-${env}.yaml`), "utf8");
    gh = await startGitHub(files, { name: "pay" });
    for (const f of ["a", "b", "c"]) commits.push(gh.commit(`${f}.txt`, `${f}\n`, `feat: ${f}`));
    sb = sandbox();
  });
  afterAll(() => gh?.close());
  const tag = (sha: string) => `sha-${sha.slice(0, 12)}`;

  describe("push mode, the Rollout's smoke check", () => {
    /** kubectl that reports the Rollout paused for a promotion `pausedPolls` times, then Healthy. */
    const rolloutKubectl = (pausedPolls: number) => {
      const counter = join(sb.dir, `polls-${Date.now()}`);
      const paused = JSON.stringify({
        metadata: { generation: 2 },
        spec: { strategy: { blueGreen: { autoPromotionEnabled: false } } },
        status: { observedGeneration: "2", phase: "Paused", pauseConditions: [{ reason: "BlueGreenPause" }] },
      });
      const healthy = JSON.stringify({
        metadata: { generation: 2 },
        spec: { strategy: { blueGreen: {} } },
        status: { observedGeneration: "2", phase: "Healthy" },
      });
      writeFileSync(
        join(sb.bin, "kubectl"),
        `#!/bin/sh\necho "kubectl $*" >> "${counter}.log"\nn=$(cat "${counter}" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${counter}"\nif [ $n -le ${pausedPolls} ]; then echo '${paused}'; else echo '${healthy}'; fi\n`,
      );
      spawnSync("chmod", ["+x", join(sb.bin, "kubectl")]);
      writeFileSync(join(sb.bin, "sleep"), "#!/bin/sh\nexit 0\n");
      spawnSync("chmod", ["+x", join(sb.bin, "sleep")]);
      return () => readFileSync(`${counter}.log`, "utf8").trim().split("\n").length;
    };
    const smoke = (env: string) => {
      const s = step(push, "delivery.yml", `deploy-${env}`, /^Smoke check/);
      return runScript(s.run, resolveEnv(s, deployImageValues(env)), sb);
    };
    it("staging waits until it has switched (someone promoted it), so prod never deploys before staging serves the version", async () => {
      const polls = rolloutKubectl(3);
      const r = await smoke("staging");
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(polls()).toBe(4);
      expect(r.stdout.match(/::warning::/g)).toHaveLength(1);
      expect(r.stdout).toContain(
        "::warning::pay in pay-staging is paused until someone runs: kubectl argo rollouts promote pay -n pay-staging (prod is deployed after that)",
      );
    });
    it("prod, the last environment, hands the switch to a person and ends the job", async () => {
      const polls = rolloutKubectl(3);
      const r = await smoke("prod");
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(polls()).toBe(1);
      expect(r.stdout).toContain("::notice::pay in pay-prod is paused until someone runs: kubectl argo rollouts promote pay -n pay-prod");
    });
    afterAll(() => {
      // back to the recording stubs
      const fresh = sandbox();
      writeFileSync(join(sb.bin, "kubectl"), readFileSync(join(fresh.bin, "kubectl")));
      spawnSync("rm", ["-f", join(sb.bin, "sleep")]);
    });
  });

  it("push mode: a run overtaken in staging by a newer one does not deploy its older image to prod", async () => {
    const [a, b] = commits as [string, string];
    // run B deployed staging, then run A (older, started late) recorded its staging job too
    gh.state.deployments.push({ id: 1, environment: "staging", sha: b, state: "success" }, { id: 2, environment: "staging", sha: a, state: "success" });
    const s = step(push, "delivery.yml", "deploy-prod", /already running a newer commit/);
    const run = (sha: string) =>
      runScript(
        s.run,
        {
          ...apiEnv(gh, sha),
          ...resolveEnv(s, {
            "github.token": "t",
            "needs.promotion-source.outputs.tag || needs.image.outputs.tag": tag(sha),
            "needs.promotion-source.outputs.digest || needs.image.outputs.digest": "sha256:d",
            "needs.promotion-source.outputs.sha || github.sha": sha,
          }),
        },
        sb,
      );
    sb.setRules([{ cmd: "helm", match: ["get", "values"], stdout: "{}" }]);
    const late = await run(a);
    expect(late.code, late.stderr).toBe(0);
    expect(late.outputs.deploy).toBe("false");
    expect(late.stdout).toContain(`::notice::staging already got ${tag(b)}, newer than ${tag(a)}: this run was overtaken`);
    const current = await run(b);
    expect(current.outputs.deploy, current.stderr + current.stdout).toBe("true");
    // GitHub's API unreachable: staging's deployments cannot be read, and the job stops rather
    // than taking "none read" for "nothing newer" and deploying.
    const blind = await runScript(
      s.run,
      {
        ...apiEnv(gh, a),
        GH_STANDIN_URL: "http://127.0.0.1:9",
        ...resolveEnv(s, {
          "github.token": "t",
          "needs.promotion-source.outputs.tag || needs.image.outputs.tag": tag(a),
          "needs.promotion-source.outputs.digest || needs.image.outputs.digest": "sha256:d",
          "needs.promotion-source.outputs.sha || github.sha": a,
        }),
      },
      sb,
    );
    expect(blind.code).not.toBe(0);
    expect(blind.outputs.deploy).toBeUndefined();
    gh.state.deployments.length = 0;
  });

  it("gitops: a run overtaken in staging does not commit its older image to values-prod.yaml", async () => {
    const [a, , c] = commits as [string, string, string];
    // staging already runs the newer commit c
    const values = gh.show("main", "charts/pay/values-staging.yaml").replace('tag: ""', `tag: "${tag(c)}"`);
    gh.commit("charts/pay/values-staging.yaml", values, "chore(staging): deploy c");
    const s = step(gitops, "delivery.yml", "deploy-prod", /^Commit the image/);
    const before = graphqlCalls(gh).length;
    const r = await runScript(
      s.run,
      {
        ...apiEnv(gh, a),
        ...resolveEnv(s, {
          "steps.app.outputs.token || github.token": "ghs_t",
          "steps.app.outputs.token != ''": "false",
          "needs.promotion-source.outputs.tag || needs.image.outputs.tag": tag(a),
          "needs.promotion-source.outputs.digest || needs.image.outputs.digest": "sha256:a",
          "needs.promotion-source.outputs.sha || github.sha": a,
        }),
      },
      sb,
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(`::notice::staging already runs ${tag(c)}, newer than ${tag(a)}: this run was overtaken`);
    expect(graphqlCalls(gh)).toHaveLength(before);
  });

  it("a promotion by hand skips CI and every build, and gives prod what staging runs", async () => {
    for (const dir of [push, gitops]) {
      const wf = parseYaml(readFileSync(join(dir, ".github/workflows/delivery.yml"), "utf8")) as { jobs: Record<string, any> };
      expect(wf.jobs.ci.if).toContain("!inputs.promote");
      expect(wf.jobs["promotion-source"].if).toBe("${{ inputs.promote }}");
      const prod = wf.jobs["deploy-prod"];
      expect(prod.needs).toContain("promotion-source");
      expect(prod.if).toContain("inputs.promote && needs.promotion-source.result == 'success'");
      expect(prod.if).toContain("needs.deploy-staging.result == 'success'");
      expect(prod.env.IMAGE_DIGEST).toBe("${{ needs.promotion-source.outputs.digest || needs.image.outputs.digest }}");
      // no other environment moves
      expect(wf.jobs["deploy-staging"].needs).not.toContain("promotion-source");
    }
  });

  it("push mode: the image is the newest commit staging deployed successfully, its digest read from the registry", async () => {
    const [a, b, c] = commits as [string, string, string];
    gh.state.deployments.push(
      { id: 11, environment: "staging", sha: b, state: "success" },
      { id: 12, environment: "staging", sha: c, state: "failure" },
      { id: 13, environment: "staging", sha: a, state: "success" }, // an overtaken run, recorded last
      { id: 14, environment: "dev", sha: c, state: "success" },
    );
    const find = step(push, "delivery.yml", "promotion-source", /^Find the commit staging runs/);
    const r1 = await runScript(find.run, { ...apiEnv(gh, gh.head()), ...resolveEnv(find, { "github.token": "t" }) }, sb);
    expect(r1.code, r1.stderr + r1.stdout).toBe(0);
    expect(r1.outputs.sha).toBe(b);
    const digest = `sha256:${"9".repeat(64)}`;
    sb.setRules([{ cmd: "docker", match: ["buildx", "imagetools", "inspect", `ghcr.io/acme/pay:${tag(b)}`], stdout: JSON.stringify({ digest }) }]);
    const read = step(push, "delivery.yml", "promotion-source", /^Read the digest/);
    const r2 = await runScript(read.run, resolveEnv(read, { "steps.commit.outputs.sha": b }), sb);
    expect(r2.code, r2.stderr + r2.stdout).toBe(0);
    expect(r2.outputs).toMatchObject({ tag: tag(b), digest, sha: b });
    gh.state.deployments.length = 0;
    gh.state.deployments.push({ id: 21, environment: "staging", sha: a, state: "failure" });
    const none = await runScript(find.run, { ...apiEnv(gh, gh.head()), ...resolveEnv(find, { "github.token": "t" }) }, sb);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("::error::no successful deployment to staging yet: nothing to promote to prod");
  });

  it("gitops: the image is the tag and digest values-staging.yaml holds", async () => {
    const [, , c] = commits as [string, string, string];
    const values = gh.show("main", "charts/pay/values-staging.yaml").replace('digest: ""', `digest: "sha256:${"c".repeat(64)}"`);
    gh.commit("charts/pay/values-staging.yaml", values, "chore(staging): digest");
    const s = step(gitops, "delivery.yml", "promotion-source", /^Read the image staging runs/);
    const r = await runScript(s.run, { ...apiEnv(gh, gh.head()), ...resolveEnv(s, { "github.token": "t" }) }, sb);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ tag: tag(c), digest: `sha256:${"c".repeat(64)}`, sha: c });
  });
});

describe("Releases", () => {
  it("release-please opens its pull request with the GitHub App's token; the release starts Delivery with the tag", async () => {
    const dir = await generate("rel", []);
    const wf = parseYaml(readFileSync(join(dir, ".github/workflows/release.yml"), "utf8")) as { jobs: Record<string, any> };
    const rp = wf.jobs.release.steps.find((x: any) => x.name === "release-please");
    expect(rp.with.token).toBe("${{ steps.app.outputs.token || github.token }}");
    const gh = await startGitHub({ "README.md": "x\n" }, { name: "rel" });
    const sb = sandbox();
    try {
      const s = step(dir, "release.yml", "image", /^Start Delivery/);
      const r = await runScript(s.run, { ...apiEnv(gh, "0"), ...resolveEnv(s, { "github.token": "t", "needs.release.outputs.tag": "v1.2.3" }) }, sb);
      expect(r.code, r.stderr).toBe(0);
      expect(gh.state.dispatches).toEqual([{ workflow: "delivery.yml", ref: "main", fields: { "release-tag": "v1.2.3" } }]);
      const bad = step(dir, "delivery.yml", "release-image", /^Find the commit/);
      const rb = await runScript(bad.run, { ...apiEnv(gh, "0"), ...resolveEnv(bad, { "github.token": "t", "inputs.release-tag": "1.2.3; rm -rf /" }) }, sb);
      expect(rb.code).toBe(1);
      expect(rb.stdout).toContain("::error::release-tag must look like v1.2.3 (got '1.2.3; rm -rf /')");
    } finally {
      await gh.close();
    }
    const setup = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    expect(setup).not.toContain("can_approve_pull_request_reviews");
  });
});

// ---------------------------------------------------------------------------------------------
// The one-time setup of docs/pipeline.md, run as written (in order, in one shell, set -euo pipefail)

const DOC_RULES: StubRule[] = [
  { cmd: "aws", match: ["iam", "get-open-id-connect-provider"], exit: 254, stderr: "NoSuchEntity" },
  { cmd: "aws", match: ["ecr", "get-login-password"], stdout: "ecr-login-password" },
  { cmd: "az", match: ["ad", "app", "create", "--display-name"], stdout: "{input}" }, // replaced per test
  { cmd: "az", match: ["account", "show", "--query", "tenantId"], stdout: "tenant-0000\n" },
  { cmd: "az", match: ["account", "show", "--query", "id"], stdout: "subscription-0000\n" },
  { cmd: "az", match: ["acr", "show"], stdout: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r\n" },
  { cmd: "az", match: ["ad", "sp", "list"], stdout: "sp-object-0001\n" },
  { cmd: "az", match: ["ad", "sp", "create", "--id", "app-id-0001", "--query", "id"], stdout: "sp-object-0002\n" },
  { cmd: "az", match: ["aks", "show"], stdout: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c\n" },
  { cmd: "gcloud", match: ["projects", "describe"], stdout: "123456789\n" },
  {
    cmd: "gcloud",
    match: ["workload-identity-pools", "describe"],
    after: ["workload-identity-pools", "create"],
    stdout: "projects/123456789/locations/global/workloadIdentityPools/github\n",
  },
  { cmd: "gcloud", match: ["workload-identity-pools", "describe"], exit: 1, stderr: "NOT_FOUND" },
  { cmd: "kubectl", match: ["config", "view"], stdout: "https://k8s.example:6443" },
  { cmd: "kubectl", match: ["get", "configmap", "kube-root-ca.crt"], stdout: "-----BEGIN CERTIFICATE-----" },
  { cmd: "kubectl", match: ["create", "token"], stdout: "short-lived-token" },
];

async function runSetup(
  name: string,
  flags: string[],
  state: Parameters<typeof startGitHub>[1] = {},
  input = "",
  reviewer = "platform",
  reviewerType = "Team",
  rules: StubRule[] = [],
) {
  const dir = await generate(name, flags);
  const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
  // What a person fills in: the VAR="<...>" placeholder lines, and secrets typed at a prompt.
  const keyFile = join(dir, "app-key.pem");
  writeFileSync(keyFile, "-----BEGIN RSA PRIVATE KEY-----\n");
  const argocdKeyFile = join(dir, "argocd-status-key.pem");
  writeFileSync(argocdKeyFile, "-----BEGIN RSA PRIVATE KEY-----\nargocd-status\n-----END RSA PRIVATE KEY-----\n");
  const fill: Record<string, string> = {
    APP_ID: "123456",
    APP_KEY_FILE: keyFile,
    ARGOCD_APP_ID: "654321",
    ARGOCD_APP_INSTALLATION_ID: "98765432",
    ARGOCD_APP_KEY_FILE: argocdKeyFile,
    ARGOCD_URL: "https://argocd.acme.example",
  };
  // ...and the choice the setup asks for at its top: the team that approves the last environment.
  const blocks = bashBlocks(docs, "## One-time setup", "## Promoting").map((b) =>
    b
      .replace(/^(\w+)="<[^>]*>"/gm, (line, v: string) => {
        if (!(v in fill)) throw new Error(`no test value for the placeholder ${line}`);
        return `${v}="${fill[v]}"`;
      })
      .replace(/^REVIEWER=""$/m, `REVIEWER="${reviewer}"`)
      .replace(/^REVIEWER_TYPE=Team$/m, `REVIEWER_TYPE=${reviewerType}`),
  );
  const gh = await startGitHub({ "README.md": "x\n" }, { name, ...state });
  const sb = sandbox(
    [...rules, ...DOC_RULES].map((r) => (r.cmd === "az" && r.match[1] === "app" && r.match[2] === "create" ? { ...r, stdout: "app-id-0001\n" } : r)),
  );
  const r = await runScript(
    ["set -euo pipefail", ...blocks].join("\n"),
    {
      ...apiEnv(gh, "0"),
      GH_REPO: `acme/${name}`,
      REGISTRY_PASSWORD: "pull-token-the-docs-ask-for",
      SLACK_BOT_TOKEN: "xoxb-the-docs-ask-for",
      PIPELINE_EVENTS_URL: "https://hooks.example.com/argocd?token=a b",
    },
    sb,
    { shellArgs: ["--noprofile", "--norc"], cwd: dir, input },
  );
  await gh.close();
  return { dir, docs, blocks, gh, sb, r, cmds: sb.commands() };
}

const argAfter = (cmd: string[], flag: string) => cmd[cmd.indexOf(flag) + 1];

describe("docs/pipeline.md one-time setup, run as written", () => {
  it("Argo CD notifications: the pipeline's keys applied with their own field manager after Argo CD, then a status-only App and Slack's token", async () => {
    const { r, cmds, dir } = await runSetup("cart", ["--environments", "dev,prod", "--argocd-notify", "slack", "--argocd-slack-channel", "cart-alerts"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const kubectl = cmds.filter((c) => c[0] === "kubectl").map((c) => c.slice(1));
    const argocdInstall = kubectl.findIndex((c) => c.includes("--namespace") && c.includes("argocd") && c[0] === "apply");
    const cm = kubectl.findIndex((c) => c[0] === "apply" && c.includes("deploy/argocd/notifications/argocd-notifications-cm.yaml"));
    expect(argocdInstall).toBeGreaterThanOrEqual(0);
    expect(cm).toBeGreaterThan(argocdInstall);
    expect(kubectl[cm]).toEqual(expect.arrayContaining(["--server-side", "--field-manager", "cart-pipeline"]));
    // server-side apply of the file leaves other teams' keys alone: it must not be a client-side apply or a replace
    expect(
      kubectl.some(
        (c) =>
          c[0] === "replace" || (c[0] === "apply" && c.includes("deploy/argocd/notifications/argocd-notifications-cm.yaml") && !c.includes("--server-side")),
      ),
    ).toBe(false);
    const patches = kubectl.filter((c) => c[0] === "patch").map((c) => ({ what: `${c[1]} ${c[2]}`, body: JSON.parse(argAfter(c, "-p")) }));
    expect(patches.map((p) => p.what)).toEqual([
      "secret argocd-notifications-secret",
      "configmap argocd-notifications-cm",
      "configmap argocd-notifications-cm",
      "configmap argocd-notifications-cm",
      "secret argocd-notifications-secret",
    ]);
    // The file applied with --force-conflicts holds the pipeline's own keys only: forcing can take
    // over nothing another team keeps (a service, its options).
    const applied = parseYaml(readFileSync(join(dir, "deploy/argocd/notifications/argocd-notifications-cm.yaml"), "utf8"));
    for (const key of Object.keys(applied.data)) expect(key).toMatch(/^(trigger|template)\.pipeline-/);
    // The Slack service, where nobody set one: its token read from the secret by reference.
    expect(patches[3]!.body.data).toEqual({ "service.slack": "token: $slack-token\n" });
    // the statuses' links: context.argocdUrl, which the templates read, is set where nothing set it
    expect(patches[2]!.body.data).toEqual({ context: "argocdUrl: https://argocd.acme.example\n" });
    const cmText = readFileSync(join(dir, "deploy/argocd/notifications/argocd-notifications-cm.yaml"), "utf8");
    expect(cmText).toContain("{{.context.argocdUrl}}/applications/argocd/");
    expect(patches[0]!.body.stringData["github-privateKey"]).toContain("argocd-status");
    // the GitHub service reads the key from the secret by reference, never inline
    expect(parseYaml(patches[1]!.body.data["service.github"])).toEqual({ appID: 654321, installationID: 98765432, privateKey: "$github-privateKey" });
    expect(patches[4]!.body.stringData).toEqual({ "slack-token": "xoxb-the-docs-ask-for" });
    // Another team's Slack service (its own token key) is already there: kept, and said so.
    const theirs = await runSetup(
      "cart",
      ["--environments", "dev,prod", "--argocd-notify", "slack", "--argocd-slack-channel", "cart-alerts"],
      {},
      "",
      "platform",
      "Team",
      [{ cmd: "kubectl", match: ["-o", "jsonpath={.data.service\\.slack}"], stdout: "token: $their-slack-token\n" }],
    );
    expect(theirs.r.code, theirs.r.stderr).toBe(0);
    expect(theirs.r.stderr).toContain("Argo CD already has a Slack service (service.slack): kept");
    const cmPatches = theirs.cmds.filter((c) => c[0] === "kubectl" && c[1] === "patch" && c[2] === "configmap").map((c) => JSON.parse(argAfter(c, "-p")).data);
    expect(cmPatches.some((d) => "service.slack" in d)).toBe(false);
  });

  it("Argo CD names are per Argo CD: an object of this repository's names made for another repository stops the setup before anything is applied", async () => {
    const applied = (cmds: string[][]) => cmds.some((c) => c[0] === "kubectl" && c[1] === "apply" && c.includes("deploy/argocd/"));
    const taken = (obj: string, url: string): StubRule[] => [{ cmd: "kubectl", match: ["get", obj, "--namespace", "argocd"], stdout: url }];
    // Another repository's service of the same name already has its prod Application.
    const other = await runSetup(
      "cart",
      ["--environments", "dev,prod"],
      {},
      "",
      "platform",
      "Team",
      taken("application/cart-prod", "https://github.com/other/cart.git"),
    );
    expect(other.r.code).not.toBe(0);
    expect(other.r.stderr).toContain(
      "Argo CD already has application/cart-prod (https://github.com/other/cart.git), made for another repository: nothing applied.",
    );
    expect(other.r.stderr).toContain("another name (name: in .create-pipeline.yaml, then update)");
    expect(applied(other.cmds)).toBe(false);
    // This repository's own objects (the setup run again) are no obstacle.
    const own = await runSetup(
      "cart",
      ["--environments", "dev,prod"],
      {},
      "",
      "platform",
      "Team",
      taken("appproject/cart", "https://github.com/acme/cart.git"),
    );
    expect(own.r.code, own.r.stderr).toBe(0);
    expect(applied(own.cmds)).toBe(true);
    // Several services: the ApplicationSet, the AppProject and every service's Application per environment.
    const root = join(tempDir("cp-scripts-"), "shop");
    const samples = join(REPO_ROOT, "test", "fixtures", "services");
    cpSync(join(samples, "node"), join(root, "services", "api"), { recursive: true });
    cpSync(join(samples, "go"), join(root, "services", "gateway"), { recursive: true });
    const created = await runCli(["create", root, "--yes", "--owner", "acme", "--environments", "dev,prod"]);
    expect(created.code, created.stderr).toBe(0);
    const block = [...readFileSync(join(root, "docs/pipeline.md"), "utf8").matchAll(/```bash\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes("OBJECTS=("))!;
    const names = readdirSync(join(root, ".github/services")).map((f) => f.replace(/\.json$/, ""));
    const run = async (rules: StubRule[]) => {
      const sb = sandbox(rules);
      // The block also makes the pull secrets: it asks for the registry token first.
      const r = await runScript(["set -euo pipefail", block].join("\n"), { REGISTRY_PASSWORD: "read-only-token" }, sb, { cwd: root });
      return { r, cmds: sb.commands() };
    };
    const clash = await run(taken(`application/${names[1]}-dev`, "https://github.com/other/shop.git"));
    expect(clash.r.code).not.toBe(0);
    expect(clash.r.stderr).toContain(`application/${names[1]}-dev (https://github.com/other/shop.git)`);
    expect(applied(clash.cmds)).toBe(false);
    const checked = clash.cmds.filter((c) => c[0] === "kubectl" && c[1] === "get").map((c) => c[2]);
    expect(checked.sort()).toEqual(
      ["appproject/shop", "applicationset/shop", ...names.flatMap((n) => ["dev", "prod"].map((e) => `application/${n}-${e}`))].sort(),
    );
    const clean = await run([]);
    expect(clean.r.code, clean.r.stderr).toBe(0);
    expect(applied(clean.cmds)).toBe(true);
  });

  it("Argo CD notifications to a webhook: its URL is stored as given, and a missing one stops the setup with what to set", async () => {
    const ok = await runSetup("cart2", ["--environments", "dev", "--argocd-notify", "webhook"]);
    expect(ok.r.code, ok.r.stderr).toBe(0);
    const patch = ok.cmds.filter((c) => c[0] === "kubectl" && c[1] === "patch").pop()!;
    expect(JSON.parse(argAfter(patch, "-p"))).toEqual({ stringData: { "pipeline-events-url": "https://hooks.example.com/argocd?token=a b" } });
    const dir = ok.dir;
    const docs = readFileSync(join(dir, "docs/pipeline.md"), "utf8");
    const block = bashBlocks(docs, "## One-time setup", "## Promoting").find((b) => b.includes("pipeline-events-url"))!;
    const sb = sandbox();
    const missing = await runScript(["set -euo pipefail", block.replace(/^(\w+)="<[^>]*>"/gm, '$1="/dev/null"')].join("\n"), {}, sb, {
      shellArgs: ["--noprofile", "--norc"],
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("set PIPELINE_EVENTS_URL to the URL that receives the reports of Argo CD");
  });

  it("AWS (ECR + EKS, push): one role per identity, each trusting one immutable subject; environments from main only", async () => {
    const { r, gh, cmds } = await runSetup("orders", [...PUSH_ON_EKS, "--environments", "dev,staging,prod"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    for (const env of ["dev", "staging", "prod"]) expect(gh.state.environments[env].policies).toEqual(["main"]);
    const roles = cmds.filter((c) => c[0] === "aws" && c[2] === "create-role");
    const trust = Object.fromEntries(roles.map((c) => [argAfter(c, "--role-name"), JSON.parse(argAfter(c, "--assume-role-policy-document"))]));
    expect(Object.keys(trust)).toEqual(["github-orders-build", "github-orders-dev", "github-orders-staging", "github-orders-prod"]);
    const sub = (role: string) => trust[role].Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
    expect(sub("github-orders-build")).toBe("repo:acme@5544123/orders@821093847:ref:refs/heads/main");
    expect(sub("github-orders-prod")).toBe("repo:acme@5544123/orders@821093847:environment:prod");
    // the provider is created once, before the roles
    const provider = cmds.findIndex((c) => c[0] === "aws" && c[2] === "create-open-id-connect-provider");
    expect(provider).toBeGreaterThanOrEqual(0);
    expect(provider).toBeLessThan(cmds.indexOf(roles[0]));
    // each environment's deploy role reaches only its namespace
    const scopes = cmds
      .filter((c) => c[0] === "aws" && c[2] === "associate-access-policy")
      .map((c) => [argAfter(c, "--principal-arn"), argAfter(c, "--access-scope")]);
    expect(scopes).toContainEqual(["arn:aws:iam::123456789012:role/github-orders-prod", "type=namespace,namespaces=orders-prod"]);
    expect(gh.state.variables).toContainEqual({ name: "AWS_DEPLOY_ROLE_ARN", env: "staging", value: "arn:aws:iam::123456789012:role/github-orders-staging" });
    expect(gh.state.variables).toContainEqual({ name: "PROMOTION_GATE", value: "reviewers" });
  });

  it("GKE with Artifact Registry: every service account the nodes run as gets roles/artifactregistry.reader, Autopilot and Standard", async () => {
    const flags = ["--mode", "gitops", "--cluster", "gke", "--registry", "gar", "--gcp-project", "p-123456"];
    const reader = (cmds: string[][]) =>
      cmds
        .filter((c) => c[0] === "gcloud" && c[1] === "artifacts" && c.includes("add-iam-policy-binding") && c.includes("roles/artifactregistry.reader"))
        .map((c) => argAfter(c, "--member"));
    const setup = async (name: string, cluster: unknown) => {
      const s = await runSetup(name, flags, {}, "", "platform", "Team", [
        { cmd: "gcloud", match: ["container", "clusters", "describe"], stdout: `${JSON.stringify(cluster)}\n` },
      ]);
      expect(s.r.code, s.r.stderr + s.r.stdout).toBe(0);
      const describe = s.cmds.find((c) => c[0] === "gcloud" && c[1] === "container")!;
      expect(describe.slice(0, 4)).toEqual(["gcloud", "container", "clusters", "describe"]);
      expect(argAfter(describe, "--format")).toBe("json");
      return reader(s.cmds);
    };
    const compute = "serviceAccount:123456789-compute@developer.gserviceaccount.com";
    // Autopilot, created without a service account: the Compute Engine default one (its nodes
    // run as the auto-provisioning default, which says "default"; the old read of
    // nodeConfig.serviceAccount finds nothing on Autopilot).
    expect(
      await setup("gka", { autopilot: { enabled: true }, clusterAutoscaling: { autoprovisioningNodePoolDefaults: { serviceAccount: "default" } } }),
    ).toEqual([compute]);
    // Autopilot created with a service account of its own: that one, and only it.
    const own = "ap-nodes@p-123456.iam.gserviceaccount.com";
    expect(
      await setup("gko", {
        autopilot: { enabled: true },
        clusterAutoscaling: { autoprovisioningNodePoolDefaults: { serviceAccount: own } },
        nodePools: [{ config: { serviceAccount: own } }],
        nodeConfig: { serviceAccount: "default" },
      }),
    ).toEqual([`serviceAccount:${own}`]);
    // Standard: every node pool's (one on the default, one of its own); the auto-provisioning
    // defaults count only where node auto-provisioning is on.
    expect(
      await setup("gks", {
        autopilot: {},
        clusterAutoscaling: { autoprovisioningNodePoolDefaults: { serviceAccount: "nap@p-123456.iam.gserviceaccount.com" } },
        nodePools: [{ config: { serviceAccount: "default" } }, { config: { serviceAccount: "gke-nodes@p-123456.iam.gserviceaccount.com" } }],
      }),
    ).toEqual([compute, "serviceAccount:gke-nodes@p-123456.iam.gserviceaccount.com"]);
  });

  it("an older repository (created before 15 July 2026) is trusted with its name-based subject", async () => {
    const { r, cmds } = await runSetup("legacy", ["--registry", "ecr", "--aws-account-id", "123456789012"], { createdAt: "2025-03-01T00:00:00Z" });
    expect(r.code, r.stderr).toBe(0);
    const role = cmds.find((c) => c[0] === "aws" && c[2] === "create-role")!;
    expect(JSON.parse(argAfter(role, "--assume-role-policy-document")).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:acme/legacy:ref:refs/heads/main",
    );
  });

  it("without required reviewers on the plan, warns and switches prod to the dispatch gate", async () => {
    const { r, gh } = await runSetup("solo", ["--environments", "dev,prod"], { reviewersKept: false, visibility: "private" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("WARNING: prod has no required reviewers on this plan");
    expect(gh.state.variables).toContainEqual({ name: "PROMOTION_GATE", value: "dispatch" });
    expect(gh.state.variables).toContainEqual({ name: "CODE_SCANNING", value: "false" });
    expect(gh.state.environments.prod.policies).toEqual(["main"]);
  });

  it("reads the environments' branch policies back: where GitHub keeps none (a private repository on Free), it says which environments any branch can deploy to", async () => {
    const flags = ["--environments", "dev,prod", "--mode", "push", "--cluster", "eks", "--registry", "ecr", "--aws-account-id", "123456789012"];
    const guarded = await runSetup("guarded", flags, { visibility: "private" });
    expect(guarded.r.code, guarded.r.stderr).toBe(0);
    expect(guarded.r.stderr).not.toContain("not limited to main");
    const { r } = await runSetup("free", flags, { visibility: "private", environmentsAvailable: false });
    expect(r.stderr).toContain("WARNING: not limited to main: dev prod release. Any branch can deploy there with that environment's identity and secrets.");
    expect(r.stderr).toContain('docs/pipeline.md, "Environments on every plan"');
  });

  it("a team approves with self-review prevented; a single user as the reviewer may approve their own push", async () => {
    const team = await runSetup("teamed", ["--environments", "dev,prod"]);
    expect(team.r.code, team.r.stderr).toBe(0);
    expect(team.gh.state.environments.prod.body).toMatchObject({ prevent_self_review: true, reviewers: [{ type: "Team", id: 42 }] });
    const solo = await runSetup("soloist", ["--environments", "dev,prod"], {}, "", "octocat", "User");
    expect(solo.r.code, solo.r.stderr).toBe(0);
    expect(solo.gh.state.environments.prod.body).toMatchObject({ prevent_self_review: false, reviewers: [{ type: "User", id: 43 }] });
    expect(solo.gh.state.variables).toContainEqual({ name: "PROMOTION_GATE", value: "reviewers" });
  });

  it("left without a REVIEWER, the setup says so and switches prod to the dispatch gate", async () => {
    const { r, gh } = await runSetup("unset", ["--environments", "dev,prod"], {}, "", "");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("WARNING: prod has no required reviewers; it is promoted only by:");
    expect(gh.state.variables).toContainEqual({ name: "PROMOTION_GATE", value: "dispatch" });
  });

  it("an organisation with CodeQL default setup keeps codeql.yml idle; Code Security turns uploads on", async () => {
    const { r, gh } = await runSetup("scanned", [], { visibility: "private", codeSecurity: "enabled", defaultSetup: "configured" });
    expect(r.code, r.stderr).toBe(0);
    expect(gh.state.variables).toContainEqual({ name: "CODE_SCANNING", value: "true" });
    expect(gh.state.variables).toContainEqual({ name: "CODEQL_WORKFLOW", value: "false" });
  });

  it("Azure (ACR + AKS, push): each client ID is stored after its application exists", async () => {
    const { r, gh, cmds } = await runSetup("billing", [
      "--mode",
      "push",
      "--cluster",
      "aks",
      "--registry",
      "acr",
      "--acr-name",
      "billingacr1",
      "--azure-resource-group",
      "rg-billing",
      "--environments",
      "dev,prod",
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const creates = cmds.map((c, i) => [c, i] as const).filter(([c]) => c[0] === "az" && c[2] === "app" && c[3] === "create");
    expect(creates.map(([c]) => argAfter(c, "--display-name"))).toEqual(["github-billing-build", "github-billing-dev", "github-billing-prod"]);
    const setVar = cmds.findIndex((c) => c[0] === "gh" && c[1] === "variable" && c[3] === "AZURE_CLIENT_ID");
    expect(setVar).toBeGreaterThan(creates[0][1]);
    expect(gh.state.variables).toContainEqual({ name: "AZURE_CLIENT_ID", value: "app-id-0001" });
    expect(gh.state.variables).toContainEqual({ name: "AZURE_DEPLOY_CLIENT_ID", env: "prod", value: "app-id-0001" });
    const creds = cmds.filter((c) => c[0] === "az" && c[3] === "federated-credential").map((c) => JSON.parse(argAfter(c, "--parameters")).subject);
    expect(creds).toEqual([
      "repo:acme@5544123/billing@821093847:ref:refs/heads/main",
      "repo:acme@5544123/billing@821093847:environment:dev",
      "repo:acme@5544123/billing@821093847:environment:prod",
    ]);
    // roles go to the new service principal's object ID with its type: no lookup of a principal
    // that Entra ID may not have replicated yet
    const roles = cmds.filter((c) => c[0] === "az" && c[1] === "role" && c[3] === "create");
    expect(roles).toHaveLength(5);
    for (const c of roles) {
      expect(argAfter(c, "--assignee-object-id")).toBe("sp-object-0002");
      expect(argAfter(c, "--assignee-principal-type")).toBe("ServicePrincipal");
      expect(c).not.toContain("--assignee");
    }
  });

  it("Google Cloud (GAR + GKE, push): the provider admits this repository from main only; one service account per subject", async () => {
    const { r, gh, cmds } = await runSetup("catalog", [
      "--mode",
      "push",
      "--cluster",
      "gke",
      "--registry",
      "gar",
      "--gcp-project",
      "shop-prod-42",
      "--environments",
      "dev,prod",
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const provider = cmds.find((c) => c[0] === "gcloud" && c.includes("create-oidc"))!;
    expect(provider[provider.indexOf("create-oidc") + 1]).toBe("r821093847");
    expect(argAfter(provider, "--attribute-condition")).toBe("assertion.repository_id == '821093847' && assertion.ref == 'refs/heads/main'");
    const members = cmds
      .filter((c) => c[0] === "gcloud" && c.includes("add-iam-policy-binding") && c.includes("roles/iam.workloadIdentityUser"))
      .map((c) => [argAfter(c, "add-iam-policy-binding"), argAfter(c, "--member")]);
    expect(members).toContainEqual([
      "github-catalog-prod@shop-prod-42.iam.gserviceaccount.com",
      "principal://iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/subject/repo:acme@5544123/catalog@821093847:environment:prod",
    ]);
    expect(gh.state.variables).toContainEqual({
      name: "GCP_WORKLOAD_IDENTITY_PROVIDER",
      value: "projects/123456789/locations/global/workloadIdentityPools/github/providers/r821093847",
    });
    expect(gh.state.variables).toContainEqual({
      name: "GCP_DEPLOY_SERVICE_ACCOUNT",
      env: "dev",
      value: "github-catalog-dev@shop-prod-42.iam.gserviceaccount.com",
    });
  });

  it("a plain kubeconfig: a namespace-limited, expiring token per environment, stored right after it is made", async () => {
    const { r, gh, cmds, dir } = await runSetup("edge", ["--mode", "push", "--cluster", "kubeconfig", "--environments", "dev,prod"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const tokens = cmds.filter((c) => c[0] === "kubectl" && c[1] === "create" && c[2] === "token");
    expect(tokens.map((c) => [argAfter(c, "--namespace"), argAfter(c, "--duration")])).toEqual([
      ["edge-dev", "2160h"],
      ["edge-prod", "2160h"],
    ]);
    expect(
      gh.state.secrets
        .filter((s) => s.name === "KUBECONFIG")
        .map((s) => [s.env, s.value.includes("set-credentials github-deployer --token short-lived-token")]),
    ).toEqual([
      ["dev", true],
      ["prod", true],
    ]);
    expect(readdirSync(dir).filter((f) => f.startsWith("kubeconfig-"))).toEqual([]);
    expect(readFileSync(join(dir, "docs/pipeline.md"), "utf8")).not.toContain("kubernetes.io/service-account-token");
  });

  it("GitOps with a GitHub App and Docker Hub: every block runs, nothing reads an unset variable", async () => {
    const { r, gh } = await runSetup(
      "feed",
      ["--registry", "dockerhub", "--environments", "dev,staging,prod", "--strategy", "canary"],
      {},
      "dckr_pat_typed_at_the_prompt",
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(gh.state.variables.map((v) => v.name)).toEqual(expect.arrayContaining(["DOCKERHUB_USERNAME", "PIPELINE_APP_ID", "PROMOTION_GATE"]));
    expect(gh.state.secrets).toEqual(expect.arrayContaining([{ name: "DOCKERHUB_TOKEN", value: "dckr_pat_typed_at_the_prompt" }]));
  });

  describe("the GitHub App's key passes main's rules: only jobs of an environment that accepts main alone can read it", () => {
    const KEY = "-----BEGIN RSA PRIVATE KEY-----\n";
    /** Every job whose steps read the App's key, with the environment it names. */
    const keyJobs = (dir: string) =>
      readdirSync(join(dir, ".github/workflows")).flatMap((f) => {
        const wf = parseYaml(readFileSync(join(dir, ".github/workflows", f), "utf8")) as {
          jobs: Record<string, { environment?: string | { name: string }; steps?: unknown[] }>;
        };
        return Object.entries(wf.jobs)
          .filter(([, j]) => JSON.stringify(j.steps ?? []).includes("secrets.PIPELINE_APP_PRIVATE_KEY"))
          .map(([id, j]) => ({ job: `${f}:${id}`, env: typeof j.environment === "string" ? j.environment : j.environment?.name }));
      });

    it("GitOps with release-please: a secret of dev, staging, prod and release, each limited to main; none for the repository", async () => {
      const { r, gh, dir } = await runSetup("feed", ["--environments", "dev,staging,prod", "--release-tool", "release-please"], {
        // An earlier setup stored the key and the ID for the whole repository.
        secrets: [{ name: "PIPELINE_APP_PRIVATE_KEY", value: "old" }],
        variables: [{ name: "PIPELINE_APP_ID", value: "1" }],
      });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const jobs = keyJobs(dir);
      expect(jobs.map((j) => j.job).sort()).toEqual([
        "delivery.yml:deploy-dev",
        "delivery.yml:deploy-prod",
        "delivery.yml:deploy-staging",
        "release.yml:release",
      ]);
      for (const { job, env } of jobs) {
        expect(env, `${job} names an environment`).toBeTruthy();
        expect(gh.state.environments[env!]?.policies, `${job}: ${env} accepts main only`).toEqual(["main"]);
        expect(gh.state.environments[env!]?.body, job).toMatchObject({ deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } });
      }
      const where = (list: { name: string; env?: string; value: string }[], name: string) =>
        list
          .filter((x) => x.name === name)
          .map((x) => `${x.env ?? "(repository)"}=${x.value}`)
          .sort();
      expect(where(gh.state.secrets, "PIPELINE_APP_PRIVATE_KEY")).toEqual(["dev", "prod", "release", "staging"].map((e) => `${e}=${KEY}`));
      expect(where(gh.state.variables, "PIPELINE_APP_ID")).toEqual(["dev", "prod", "release", "staging"].map((e) => `${e}=123456`));
      expect(r.stderr).not.toContain("the App's key is not stored");
    });

    it("push mode with release-please: only the release job reads it, from the environment release", async () => {
      const { r, gh, dir } = await runSetup("ledger", ["--release-tool", "release-please", ...PUSH_ON_EKS]);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(keyJobs(dir)).toEqual([{ job: "release.yml:release", env: "release" }]);
      expect(gh.state.environments.release?.policies).toEqual(["main"]);
      expect(gh.state.secrets.filter((x) => x.name === "PIPELINE_APP_PRIVATE_KEY").map((x) => x.env)).toEqual(["release"]);
    });

    it("where environments keep no branch policy (a private repository on GitHub Free), the key is stored nowhere and the setup says so", async () => {
      const { r, gh } = await runSetup("free-app", ["--environments", "dev,prod", "--release-tool", "release-please"], {
        visibility: "private",
        environmentsAvailable: false,
      });
      expect(r.stderr).toContain("WARNING: dev is not limited to main: the App's key is not stored there");
      expect(r.stderr).toContain("WARNING: release is not limited to main");
      expect(gh.state.secrets.filter((x) => x.name === "PIPELINE_APP_PRIVATE_KEY")).toEqual([]);
      expect(gh.state.variables.filter((x) => x.name === "PIPELINE_APP_ID")).toEqual([]);
    });
  });
});

describe("every run: script of the option space parses and expands no expression", () => {
  const combos: [string, string[]][] = [
    ["def", []],
    ["py", ["--language", "python", "--mode", "push", "--cluster", "gke", "--registry", "gar", "--gcp-project", "p-123456", "--multi-arch", "--slack"]],
    [
      "jv",
      [
        "--language",
        "java",
        "--build-tool",
        "gradle",
        "--mode",
        "push",
        "--cluster",
        "aks",
        "--registry",
        "acr",
        "--acr-name",
        "acr12345",
        "--azure-resource-group",
        "rg",
        "--strategy",
        "canary",
        "--progressive-delivery",
        "flagger",
      ],
    ],
    ["go", ["--language", "go", "--strategy", "blue-green", "--release-tool", "semantic-release", "--registry", "dockerhub", "--no-pin-actions"]],
    [
      "kc",
      [
        "--mode",
        "push",
        "--cluster",
        "kubeconfig",
        "--strategy",
        "canary",
        "--environments",
        "dev",
        "--no-scan",
        "--no-supply-chain",
        "--release-tool",
        "none",
      ],
    ],
  ];
  it.each(combos)("%s", async (name, flags) => {
    const dir = await generate(`s-${name}`, flags);
    const wfDir = join(dir, ".github/workflows");
    for (const f of readdirSync(wfDir)) {
      for (const s of workflowSteps(join(wfDir, f))) {
        expect(s.run, `${f} / ${s.job} / ${s.name}`).not.toMatch(/\$\{\{/);
        const r = spawnSync("bash", ["-n"], { input: s.run, encoding: "utf8" });
        expect(r.status, `${f} / ${s.job} / ${s.name}: ${r.stderr}`).toBe(0);
      }
    }
  });
});
