/**
 * What a Node service's image holds and runs, for the package-manager and start-script shapes of
 * real repositories (test/corpus): the generated Dockerfile's build steps are replayed on the
 * context BuildKit would send (test/support/docker-replay.ts, with the real npm, pnpm and yarn
 * from the registries), then the image's CMD runs from the runtime stage and answers its health
 * path. Proves: yarn 2+ installs through Corepack without devDependencies, also for a project on
 * Plug'n'Play; a tsx start script becomes node on the build output (tsx is not in the image); a
 * start script that needs tsx with no build keeps the devDependencies; pnpm is the pinned one.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { replayDockerBuild } from "../support/docker-replay.js";

const CORPUS = join(REPO, "test", "corpus");

async function get(port: number, path: string, deadline = Date.now() + 20_000): Promise<number> {
  for (;;) {
    try {
      return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Generate the pipeline for a corpus fixture, replay its image build, return the runtime stage. */
async function image(fixture: string, edit?: (dir: string) => void) {
  const dir = join(tempDir("cp-node-img-"), "svc");
  cpSync(join(CORPUS, fixture, "repo"), dir, { recursive: true });
  edit?.(dir);
  const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
  expect(r.code, r.stderr).toBe(0);
  const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
  const work = tempDir("cp-node-replay-");
  // Global installs go to the replay's own prefix; `corepack enable` links its shims there too
  // (it would otherwise write into this machine's Node.js installation).
  const bin = join(work, "global", "bin");
  const shims = join(work, "shims");
  mkdirSync(bin, { recursive: true });
  mkdirSync(shims, { recursive: true });
  const corepack = spawnSync("sh", ["-c", "command -v corepack"], { encoding: "utf8" }).stdout.trim();
  writeFileSync(
    join(shims, "corepack"),
    `#!/bin/sh\nif [ "$1" = enable ]; then exec "${corepack}" enable --install-directory "${bin}"; fi\nexec "${corepack}" "$@"\n`,
  );
  chmodSync(join(shims, "corepack"), 0o755);
  const b = replayDockerBuild({
    context: dir,
    dockerfile: join(dir, "Dockerfile"),
    work,
    skipRunIn: ["runtime"],
    env: {
      PATH: `${shims}${delimiter}${bin}${delimiter}${process.env.PATH}`,
      npm_config_prefix: join(work, "global"),
      npm_config_update_notifier: "false",
      COREPACK_HOME: join(work, "corepack"),
      // GitHub's and Docker's builders reach repo.yarnpkg.com; here Corepack uses the npm registry.
      COREPACK_NPM_REGISTRY: "https://registry.npmjs.org",
    },
  });
  expect(b.failure).toBeUndefined();
  const runtime = b.workdirs.get("runtime")!;
  const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
  return { dir, dockerfile, runtime, cmd, bin };
}

async function starts(runtime: string, cmd: string[], healthPath: string): Promise<number> {
  const port = 21000 + (process.pid % 9000);
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: runtime,
    env: { ...process.env, PORT: String(port), NODE_ENV: "production" },
    stdio: "ignore",
    detached: true,
  });
  try {
    return await get(port, healthPath);
  } finally {
    process.kill(-child.pid!, "SIGTERM");
  }
}

describe("Node images for the package managers and start scripts of real repositories", () => {
  it("yarn 4 (berry): Corepack, production install with workspaces focus, no devDependency in the image", async () => {
    const img = await image("node-yarn-berry");
    expect(img.dockerfile).toContain("yarn workspaces focus --all --production");
    expect(existsSync(join(img.runtime, "node_modules", "ms"))).toBe(true);
    expect(existsSync(join(img.runtime, "node_modules", "eslint"))).toBe(false);
    expect(await starts(img.runtime, img.cmd, "/healthz")).toBe(200);
    const ci = readFileSync(join(img.dir, ".github/workflows/ci.yml"), "utf8");
    expect(ci.indexOf("corepack enable")).toBeLessThan(ci.indexOf("actions/setup-node"));
  }, 300_000);

  it("yarn 4 on Plug'n'Play: the image installs into node_modules, and the service starts with plain node", async () => {
    const img = await image("node-yarn-berry", (dir) => writeFileSync(join(dir, ".yarnrc.yml"), "enableTelemetry: false\n"));
    expect(existsSync(join(img.runtime, "node_modules", "ms"))).toBe(true);
    expect(existsSync(join(img.runtime, ".pnp.cjs"))).toBe(false);
    expect(await starts(img.runtime, img.cmd, "/healthz")).toBe(200);
  }, 300_000);

  it("tsx in the start script with a tsc build: the image runs node on dist/, without tsx", async () => {
    const img = await image("node-tsx-build");
    expect(img.cmd).toEqual(["node", "dist/index.js"]);
    expect(existsSync(join(img.runtime, "node_modules", "tsx"))).toBe(false);
    expect(existsSync(join(img.runtime, "dist", "index.js"))).toBe(true);
    expect(await starts(img.runtime, img.cmd, "/healthz")).toBe(200);
  }, 300_000);

  it("tsx with no build: the image keeps devDependencies (so npm start finds tsx); pnpm is the pinned 9.15.0", async () => {
    const img = await image("node-pnpm-tsx-pinned");
    expect(img.dockerfile).toContain("npm install -g pnpm@9.15.0");
    expect(img.dockerfile).not.toContain("pnpm install --frozen-lockfile --prod");
    expect(existsSync(join(img.runtime, "node_modules", "tsx"))).toBe(true);
    expect(spawnSync(join(img.bin, "pnpm"), ["--version"], { encoding: "utf8" }).stdout.trim()).toBe("9.15.0");
    expect(await starts(img.runtime, img.cmd, "/health")).toBe(200);
  }, 300_000);
});
