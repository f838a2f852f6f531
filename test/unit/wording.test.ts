// Words a user reads (messages in the sources, the built-in pack's templates and next steps, the
// docs) never repeat a small word by mistake ("The the template pack"), even across a line break
// or a comment marker.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../support/cli.js";
import { makeRepo, V2 } from "../support/repo.js";

const SMALL = "the|a|an|to|of|is|in|and|it|be|for|on|that|with|as|at|by|or|this|are|was|not|its|can|from|if|when|you|your";
const DOUBLED = new RegExp(`\\b(${SMALL})(?:\\s|#|//|\\*)+\\1\\b`, "gi");

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files(full, out);
    else if (/\.(ts|eta|ya?ml|md|mjs|sh|json)$/.test(name)) out.push(full);
  }
  return out;
}

describe("wording", () => {
  it("no doubled small word in the sources, the built-in pack, the docs or the README", () => {
    const found: string[] = [];
    for (const f of [...files(join(REPO, "src")), ...files(join(REPO, "templates")), ...files(join(REPO, "docs")), join(REPO, "README.md")]) {
      for (const m of readFileSync(f, "utf8").matchAll(DOUBLED)) found.push(`${relative(REPO, f)}: ${m[0].replace(/\s+/g, " ")}`);
    }
    expect(found).toEqual([]);
  });

  it("check's report of a new question reads as a sentence", async () => {
    const dir = await makeRepo();
    const r = await runCli(["check", dir, "--template", V2]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^The template pack \S+ asks a new question/);
    expect(r.stdout.match(DOUBLED)).toBeNull();
  });

  it("would catch one", () => {
    expect("The the template pack".match(DOUBLED)).not.toBeNull();
    expect("is not in the\n// the pack".match(DOUBLED)).not.toBeNull();
  });
});
