// The compiled templates kept between runs (src/io/code-cache.ts), with real processes: a run
// reads V8's code from the user's cache folder instead of compiling the built-in templates, and
// whatever is in that folder (nothing, a damaged file, a file from other V8 flags, a folder that
// cannot be written) changes nothing a user sees: the same files, the same exit code.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTree, tempDir } from "../support/cli.js";
import { BIN, buildOnce } from "../support/build.js";

beforeAll(buildOnce);

function run(cwd: string, args: string[], env: Record<string, string | undefined>, nodeArgs: string[] = []) {
  const full: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1", ...env };
  for (const k of ["CREATE_PIPELINE_CACHE_DIR", "CREATE_PIPELINE_NO_CACHE", "XDG_CACHE_HOME", "NODE_OPTIONS"]) if (!(k in env)) delete full[k];
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete full[k];
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], { cwd, env: full, encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

/** A service created in a fresh parent folder, always named svc (so trees compare). */
function create(env: Record<string, string | undefined>, nodeArgs: string[] = []) {
  const parent = tempDir("cp-cc-");
  const r = run(parent, ["svc", "--yes", "--owner", "acme"], env, nodeArgs);
  expect(r.status, r.stderr).toBe(0);
  return { dir: join(parent, "svc"), tree: readTree(join(parent, "svc")), stdout: r.stdout.replaceAll(parent, "<parent>") };
}

/** Every file under a cache folder: path → bytes and mtime. */
function cacheFiles(dir: string): { path: string; bytes: Buffer; mtimeMs: number }[] {
  const out: { path: string; bytes: Buffer; mtimeMs: number }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else out.push({ path: full, bytes: readFileSync(full), mtimeMs: s.mtimeMs });
    }
  };
  try {
    walk(dir);
  } catch {}
  return out;
}

describe("the built-in templates' compiled code, kept between runs", () => {
  let plain: ReturnType<typeof create>;
  beforeAll(() => {
    plain = create({ CREATE_PIPELINE_NO_CACHE: "1", CREATE_PIPELINE_CACHE_DIR: tempDir("cp-cc-unused-") });
  });

  it("is written by the first run, read by the next, and changes nothing in what is generated", () => {
    const cache = tempDir("cp-cc-dir-");
    const first = create({ CREATE_PIPELINE_CACHE_DIR: cache });
    const kept = cacheFiles(cache);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.path).toMatch(new RegExp(`v8-${process.versions.v8.replace(/\./g, "\\.")}-${process.arch}/templates-[0-9a-f]{40}\\.bin$`));
    const second = create({ CREATE_PIPELINE_CACHE_DIR: cache });
    // Nothing new was compiled: the file is left as it is.
    expect(cacheFiles(cache)).toEqual(kept);
    expect(first.tree).toEqual(plain.tree);
    expect(second.tree).toEqual(plain.tree);
    expect(second.stdout).toBe(plain.stdout);
    // check and update read it too, and find nothing to do.
    expect(run(second.dir, ["check"], { CREATE_PIPELINE_CACHE_DIR: cache }).status).toBe(0);
    expect(run(second.dir, ["update"], { CREATE_PIPELINE_CACHE_DIR: cache }).status).toBe(0);
    expect(readTree(second.dir)).toEqual(plain.tree);
    // The repository holds none of it.
    expect(Object.keys(second.tree).filter((p) => p.endsWith(".bin") || p.includes("cache"))).toEqual([]);
  });

  it("a damaged or truncated cache file is ignored and replaced by a good one", () => {
    for (const damage of ["flip", "truncate", "garbage", "empty"] as const) {
      const cache = tempDir("cp-cc-dir-");
      create({ CREATE_PIPELINE_CACHE_DIR: cache });
      const [good] = cacheFiles(cache);
      const bytes = Buffer.from(good!.bytes);
      if (damage === "flip") for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i]! ^= 0x5a;
      const written =
        damage === "flip"
          ? bytes
          : damage === "truncate"
            ? bytes.subarray(0, bytes.length >> 1)
            : damage === "garbage"
              ? Buffer.alloc(bytes.length, 7)
              : Buffer.alloc(0);
      writeFileSync(good!.path, written);
      const again = create({ CREATE_PIPELINE_CACHE_DIR: cache });
      expect(again.tree, damage).toEqual(plain.tree);
      const [replaced] = cacheFiles(cache);
      expect(replaced!.bytes.equals(written), damage).toBe(false);
      // What replaced it is good: the next run reads it and leaves it alone.
      create({ CREATE_PIPELINE_CACHE_DIR: cache });
      expect(cacheFiles(cache)[0]!.mtimeMs, damage).toBe(replaced!.mtimeMs);
    }
  });

  it("code V8 rejects (made under other V8 flags) is ignored and replaced", () => {
    const cache = tempDir("cp-cc-dir-");
    create({ CREATE_PIPELINE_CACHE_DIR: cache }, ["--stack-size=900"]);
    const [foreign] = cacheFiles(cache);
    const again = create({ CREATE_PIPELINE_CACHE_DIR: cache });
    expect(again.tree).toEqual(plain.tree);
    const [replaced] = cacheFiles(cache);
    expect(replaced!.path).toBe(foreign!.path);
    expect(replaced!.bytes.equals(foreign!.bytes)).toBe(false);
  });

  it("a cache folder that cannot be made (a read-only or odd HOME) is no error, and CI=true runs alike", () => {
    const home = tempDir("cp-cc-home-");
    const notAFolder = join(home, "file");
    writeFileSync(notAFolder, "");
    // HOME is a file: ~/.cache cannot be made under it.
    expect(create({ HOME: notAFolder, XDG_CACHE_HOME: undefined }).tree).toEqual(plain.tree);
    expect(create({ CREATE_PIPELINE_CACHE_DIR: join(notAFolder, "cache") }).tree).toEqual(plain.tree);
    expect(readFileSync(notAFolder, "utf8")).toBe("");
    // XDG_CACHE_HOME is used when set.
    const xdg = join(home, "xdg");
    mkdirSync(xdg);
    create({ XDG_CACHE_HOME: xdg });
    expect(cacheFiles(join(xdg, "create-pipeline"))).toHaveLength(1);
  });
});
