// Remote (git) packs, with degit replaced by a stand-in that "fetches" a local fixture pack: the
// network to GitHub is not reachable here, and what matters is what the CLI does around the fetch.
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { PACKS, runCli, tempDir, unwrapReport } from "../support/cli.js";

const fetched = vi.hoisted(() => ({ specs: [] as string[], clones: 0 }));
const SHA = "0123456789abcdef0123456789abcdef01234567";

vi.mock("degit", () => ({
  default: (spec: string) => {
    fetched.specs.push(spec);
    const ref = spec.split("#")[1] ?? "HEAD";
    const pack = ref === "v2" ? "demo-v2" : "demo-v1";
    return {
      repo: { ref },
      _getHash: async () => {
        if (ref === "v1-unresolved") throw new Error("could not resolve the ref"); // e.g. a host without refs listing
        return ref === "v2" ? "fedcba9876543210fedcba9876543210fedcba98" : SHA;
      },
      on: () => {},
      clone: async (dest: string) => {
        if (ref === "hang") return new Promise<void>(() => {}); // a network that never answers
        fetched.clones++;
        cpSync(join(PACKS, pack), dest, { recursive: true });
      },
    };
  },
}));

beforeEach(() => {
  fetched.specs.length = 0;
  fetched.clones = 0;
});

const state = (dir: string) => JSON.parse(readFileSync(join(dir, ".create-pipeline/state.json"), "utf8"));

describe("a template pack from a git repository", () => {
  it("is refused without --trust when nothing can be asked, before anything is fetched or written", async () => {
    const dir = join(tempDir(), "svc");
    const r = await runCli([dir, "--template", "gh:acme/packs/demo#v1", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("gh:acme/packs/demo#v1");
    expect(r.stderr).toContain("--trust");
    expect(fetched.clones).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it("with --trust is fetched, rendered, and its resolved commit pinned in the state file", async () => {
    const dir = join(tempDir(), "svc");
    const r = await runCli([dir, "--template", "gh:acme/packs/demo", "--trust", "--yes"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(fetched.specs).toEqual(["github:acme/packs/demo"]);
    expect(state(dir).pack).toEqual({ name: "demo", version: "1.0.0", source: "gh:acme/packs/demo", ref: SHA });
  });

  it("whose commit cannot be resolved records the ref asked for, so update fetches the same ref", async () => {
    const dir = join(tempDir(), "svc");
    const r = await runCli([dir, "--template", "gh:acme/packs/demo#v1-unresolved", "--trust", "--yes"]);
    expect(r.code).toBe(0);
    expect(state(dir).pack).toMatchObject({ name: "demo", ref: "v1-unresolved" });
  });

  it("interactively, asks before using it, naming the source; declining writes nothing", async () => {
    const dir = join(tempDir(), "svc");
    const no = await runCli([dir, "--template", "gh:acme/packs/demo#v1"], { script: { confirm: (m) => !m.includes("remote repository") } });
    expect(no.code).toBe(130);
    expect(no.asked[0]).toContain("gh:acme/packs/demo#v1");
    expect(fetched.clones).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const yes = await runCli([dir, "--template", "gh:acme/packs/demo#v1"], { script: {} });
    expect(yes.code).toBe(0);
    expect(fetched.clones).toBe(1);
  });

  it("a fetch that never finishes fails after the timeout with a clear message, writing nothing", async () => {
    const dir = join(tempDir(), "svc");
    process.env.CREATE_PIPELINE_FETCH_TIMEOUT_MS = "300";
    try {
      const started = Date.now();
      const r = await runCli([dir, "--template", "gh:acme/packs/demo#hang", "--trust", "--yes"]);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.code).toBe(2);
      expect(unwrapReport(r.stderr)).toContain("could not fetch template pack 'gh:acme/packs/demo#hang': downloading the pack did not finish within 300 ms");
      expect(existsSync(dir)).toBe(false);
    } finally {
      delete process.env.CREATE_PIPELINE_FETCH_TIMEOUT_MS;
    }
  });

  it("update fetches the pinned commit again, and --to moves to another ref", async () => {
    const dir = join(tempDir(), "svc");
    expect((await runCli([dir, "--template", "gh:acme/packs/demo", "--trust", "--yes"])).code).toBe(0);
    fetched.specs.length = 0;
    const same = await runCli(["check", dir, "--trust"]);
    expect(same.code).toBe(0);
    expect(fetched.specs).toEqual([`github:acme/packs/demo#${SHA}`]);

    const moved = await runCli(["update", dir, "--to", "v2", "--trust", "--set", "team=core"]);
    expect(moved.stderr).toBe("");
    expect(moved.code).toBe(0);
    expect(fetched.specs.at(-1)).toBe("github:acme/packs/demo#v2");
    expect(state(dir).pack).toMatchObject({ name: "demo", version: "2.0.0", ref: "fedcba9876543210fedcba9876543210fedcba98" });
    expect(existsSync(join(dir, "added.txt"))).toBe(true);
  });
});
