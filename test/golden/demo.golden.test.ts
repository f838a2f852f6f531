// Golden trees: the demo pack rendered for named profiles, compared file by file with the
// snapshots under test/golden/demo/<profile>/ (update with `npx vitest run test/golden -u`, then
// review the diff). The tree listing is a snapshot too, so an added or dropped file shows up.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKS, readTree, runCli, tempDir } from "../support/cli.js";

const demo = join(PACKS, "demo-v1");
const GOLDEN = join(import.meta.dirname, "demo");

const profiles: Record<string, string[]> = {
  defaults: [],
  "go-all-envs-debug": ["--language", "go", "--environments", "dev,staging,prod", "--debug"],
  "node-prod-only": ["--language", "node", "--environments", "prod"],
};

/** Create into <fresh temp>/svc so the folder name (the default service name) is the same every run. */
async function create(args: string[]): Promise<Record<string, string>> {
  const target = join(tempDir(), "svc");
  const r = await runCli([target, "--template", demo, "--yes", ...args]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return readTree(target);
}

/** The pack's absolute path is recorded (answers header, state file); it differs per checkout. */
// A local pack is recorded relative to the repository: ../../../<absolute packs path without its first slash>.
// The packs folder as the answers header names it: absolute, or relative to wherever the test's
// temporary target is (which depends on where the checkout is).
const portable = (text: string) =>
  text
    .split(PACKS)
    .join("<packs>")
    .replace(/(?:\.\.\/)*\.\.<packs>/g, "<packs>")
    .replace(/(?:\.\.\/)+(?:[^\s()/]+\/)*test\/fixtures\/packs(?=\/)/g, "<packs>");

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const full = join(d, n);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

describe("golden trees of the demo pack", () => {
  for (const [profile, args] of Object.entries(profiles)) {
    it(`${profile}: every file matches its snapshot`, async () => {
      const tree = await create(args);
      const paths = Object.keys(tree).sort();
      await expect(`${paths.join("\n")}\n`).toMatchFileSnapshot(join(GOLDEN, `${profile}.files.txt`));
      for (const p of paths) await expect(portable(tree[p]!)).toMatchFileSnapshot(join(GOLDEN, profile, p));
      // A snapshot file the render no longer produces is stale: delete it.
      expect(filesUnder(join(GOLDEN, profile)).filter((p) => !paths.includes(p))).toEqual([]);
    });

    it(`${profile}: the same answers give byte-identical trees`, async () => {
      expect(await create(args)).toEqual(await create(args));
    });
  }

  it("the profiles differ where their answers differ", async () => {
    const go = await create(profiles["go-all-envs-debug"]!);
    const prod = await create(profiles["node-prod-only"]!);
    expect(go["go-only.txt"]).toBe("only for go: example.com/svc\n");
    expect(prod["go-only.txt"]).toBeUndefined();
    expect(Object.keys(go).filter((p) => p.startsWith("env/"))).toEqual(["env/dev.yaml", "env/prod.yaml", "env/staging.yaml"]);
    expect(Object.keys(prod).filter((p) => p.startsWith("env/"))).toEqual(["env/prod.yaml"]);
    expect(go["config/values.yaml"]).toContain("debug: true");
    expect(prod["config/values.yaml"]).toContain("debug: false");
  });
});
