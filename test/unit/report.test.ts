import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPlan, unifiedDiff } from "../../src/cli/report.js";
import { tempDir } from "../support/cli.js";

/** What `diff -u` prints for the same two texts, with the same a/ b/ labels. */
function diffU(before: string, after: string, context = 3): string {
  const dir = tempDir();
  writeFileSync(join(dir, "a"), before);
  writeFileSync(join(dir, "b"), after);
  const r = spawnSync("diff", [`-U${context}`, "--label", "a/f.txt", "--label", "b/f.txt", join(dir, "a"), join(dir, "b")], { encoding: "utf8" });
  if (r.status === 2 || r.error) throw new Error(`diff failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/**
 * Apply a unified diff to `before`, checking every header count and every context and removed
 * line as `patch` would. Returns the patched text.
 */
function applyPatch(before: string, diff: string): string {
  const src = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const lines = diff.split("\n");
  expect(lines.pop()).toBe(""); // ends with a newline
  expect(lines[0]).toMatch(/^--- /);
  expect(lines[1]).toMatch(/^\+\+\+ /);
  const out: string[] = [];
  let at = 0; // next unread line of `before`
  let k = 2;
  while (k < lines.length) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[k]!);
    expect(h, `hunk header: ${lines[k]}`).not.toBeNull();
    const [aStart, aLen, bStart, bLen] = [Number(h![1]), h![2] === undefined ? 1 : Number(h![2]), Number(h![3]), h![4] === undefined ? 1 : Number(h![4])];
    const first = aLen === 0 ? aStart : aStart - 1; // 0-based index of the hunk in `before`
    expect(first).toBeGreaterThanOrEqual(at);
    while (at < first) out.push(src[at++]!);
    expect(bLen === 0 ? bStart : bStart - 1).toBe(out.length);
    k++;
    let seenA = 0;
    let seenB = 0;
    while (k < lines.length && !lines[k]!.startsWith("@@")) {
      const l = lines[k++]!;
      const noEol = lines[k] === "\\ No newline at end of file";
      if (noEol) k++;
      const text = `${l.slice(1)}${noEol ? "" : "\n"}`;
      if (l[0] === " " || l[0] === "-") {
        expect(src[at], `line ${at + 1} of before`).toBe(text);
        at++;
        seenA++;
      }
      if (l[0] === " " || l[0] === "+") {
        out.push(text);
        seenB++;
      }
      expect([" ", "-", "+"]).toContain(l[0]);
    }
    expect([seenA, seenB]).toEqual([aLen, bLen]);
  }
  while (at < src.length) out.push(src[at++]!);
  return out.join("");
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join("");

describe("unifiedDiff", () => {
  it.each<[string, string, string]>([
    ["one changed line", "a\nb\nc\n", "a\nB\nc\n"],
    ["a new file's content from empty", "", "x\ny\n"],
    ["everything removed", "x\ny\n", ""],
    ["a whole-line replacement", "a\n", "b\n"],
    ["lines added at the end", "a\nb\n", "a\nb\nc\nd\n"],
    ["lines added at the start", "c\nd\n", "a\nb\nc\nd\n"],
    ["two far-apart changes make two hunks", numbered(20), numbered(20).replace("line 3\n", "three\n").replace("line 18\n", "")],
    ["changes six lines apart share one hunk", numbered(20), numbered(20).replace("line 5\n", "five\n").replace("line 12\n", "twelve\n")],
    ["changes seven lines apart make two hunks", numbered(20), numbered(20).replace("line 5\n", "five\n").replace("line 13\n", "thirteen\n")],
    ["a missing final newline added", "a\nb", "a\nb\n"],
    ["a final newline removed", "a\nb\n", "a\nb"],
    ["a block replaced in the middle", "head\nold 1\nold 2\ntail\n", "head\nnew 1\nnew 2\nnew 3\ntail\n"],
  ])("%s: the same text as diff -u", (_, before, after) => {
    expect(unifiedDiff("f.txt", before, after)).toBe(diffU(before, after));
  });

  it("honours the context size like diff -U", () => {
    const before = numbered(12);
    const after = before.replace("line 6\n", "six\n");
    expect(unifiedDiff("f.txt", before, after, 1)).toBe(diffU(before, after, 1));
    expect(unifiedDiff("f.txt", before, after, 0)).toBe(diffU(before, after, 0));
  });

  it("labels a file that does not exist yet (or any more) /dev/null", () => {
    expect(unifiedDiff("x.txt", undefined, "a\n")).toBe("--- /dev/null\n+++ b/x.txt\n@@ -0,0 +1 @@\n+a\n");
    expect(unifiedDiff("x.txt", "a\n", undefined)).toBe("--- a/x.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n");
  });

  it("is empty when nothing differs", () => {
    expect(unifiedDiff("f", "a\nb\n", "a\nb\n")).toBe("");
    expect(unifiedDiff("f", "", "")).toBe("");
  });

  it("always describes a correct patch: applying it to before gives after", () => {
    const text = fc
      .tuple(fc.array(fc.constantFrom("a", "b", "c", "", "d e"), { maxLength: 14 }), fc.boolean())
      .map(([ls, eol]) => (ls.length === 0 ? "" : ls.join("\n") + (eol ? "\n" : "")));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const d = unifiedDiff("f.txt", before, after, context);
        if (before === after) expect(d).toBe("");
        else expect(applyPatch(before, d)).toBe(after);
      }),
      { numRuns: 400 },
    );
  });
});

describe("formatPlan", () => {
  it("one line per file with its symbol, the reason, and a tally; keeps hidden unless all", () => {
    const plan = [
      { path: "README.md", kind: "create" as const, reason: "new file" },
      { path: "config/values.yaml", kind: "keep" as const, reason: "already identical" },
      { path: "Dockerfile", kind: "conflict" as const, reason: "exists with other content" },
    ];
    expect(formatPlan(plan, { verbose: true })).toBe(
      ["  + README.md   create: new file", "  ! Dockerfile  conflict: exists with other content", "  (1 create, 1 keep, 1 conflict)"].join("\n"),
    );
    expect(formatPlan(plan, { all: true })).toContain("  = config/values.yaml  keep: already identical");
    // Collapsed (the default): new files are counted, what touches an existing file is listed.
    expect(formatPlan(plan)).toBe(
      ["  ! Dockerfile  conflict: exists with other content", "  (1 create, 1 keep, 1 conflict; --verbose lists every file)"].join("\n"),
    );
    expect(formatPlan([])).toBe("  (nothing to do)");
  });

  it("fits 80 columns: a reason that would not fit goes on its own line; causes follow", () => {
    const long = {
      path: "charts/a-rather-long-service-name/templates/analysistemplate.yaml",
      kind: "update" as const,
      reason: "the generated content changed; you had not edited it",
      because: ["port: 8000 → 8001"],
    };
    const text = formatPlan([long], { verbose: true });
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain("\n      update: the generated content changed; you had not edited it\n      because port: 8000 → 8001");
  });
});
