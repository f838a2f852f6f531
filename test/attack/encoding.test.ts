// A hand-edited file that is not UTF-8 (a Latin-1 é, a stray 0xFF byte): the tool works on text
// as UTF-8, so merging it would turn those bytes into U+FFFD while the report says "your edits
// merged". update refuses such a file (exit 2, nothing written); the bytes stay exactly as they were.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { unwrapReport } from "../support/cli.js";
import { commitAll, makeRepo, read, updateToV2 } from "../support/repo.js";

/** Every file (outside .git) as bytes. */
function bytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      if (n === ".git") continue;
      const full = join(d, n);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full).toString("hex");
    }
  };
  walk(dir);
  return out;
}

describe("non-UTF-8 bytes in a hand-edited file", () => {
  it("a Dockerfile edit holding \\xe9 and \\xff that update would merge: exit 2 naming the file and line, every byte kept", async () => {
    const dir = await makeRepo();
    // v2 changes the Dockerfile elsewhere, so this edit is merged, not just kept.
    const generated = read(dir, "Dockerfile");
    expect(Buffer.from(generated, "latin1").toString("latin1")).toBe(generated); // all one byte a character
    const edited = Buffer.from(generated.replace("USER 10001\n", "USER 10001\n# caf\u00e9 \u00ff LABEL\n"), "latin1");
    expect(edited.includes(Buffer.from([0xe9, 0x20, 0xff]))).toBe(true);
    writeFileSync(join(dir, "Dockerfile"), edited);
    commitAll(dir);
    const before = bytes(dir);
    for (const extra of [[], ["--dry-run"]]) {
      const r = await updateToV2(dir, ...extra);
      const err = unwrapReport(r.stderr);
      expect(r.code, err).toBe(2);
      expect(err).toContain("Dockerfile");
      expect(err).toMatch(/not UTF-8/);
      expect(err).toMatch(/line \d+/);
      expect(err).not.toMatch(/your edits merged/);
      expect(bytes(dir)).toEqual(before);
    }
    expect(readFileSync(join(dir, "Dockerfile")).equals(edited)).toBe(true);
  });

  it("a Latin-1 comment in the answers file: update exits 2 and leaves it byte for byte", async () => {
    const dir = await makeRepo();
    const answers = Buffer.concat([readFileSync(join(dir, ".create-pipeline.yaml")), Buffer.from("# r\u00e9sum\u00e9\n", "latin1")]);
    writeFileSync(join(dir, ".create-pipeline.yaml"), answers);
    commitAll(dir);
    const before = bytes(dir);
    const r = await updateToV2(dir);
    expect(r.code, r.stderr).toBe(2);
    expect(unwrapReport(r.stderr)).toContain(".create-pipeline.yaml");
    expect(bytes(dir)).toEqual(before);
  });

  it("a non-UTF-8 file update keeps as it is (nothing to merge) does not stop the update", async () => {
    const dir = await makeRepo();
    // app.txt is the same in v1 and v2: the edit is kept, never rewritten.
    const path = "svc/app.txt";
    const edited = Buffer.concat([readFileSync(join(dir, path)), Buffer.from([0xe9, 0xff, 0x0a])]);
    writeFileSync(join(dir, path), edited);
    commitAll(dir);
    const r = await updateToV2(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, path)).equals(edited)).toBe(true);
  });
});
