// The shared path rule refuses every spelling a case-insensitive file system (Windows, macOS)
// opens as git's folder or the engine's own files, and nothing a pack legitimately writes.
import { describe, expect, it } from "vitest";
import { samePath, unsafePath } from "../../src/core/paths.js";

describe("unsafePath: git's folder and the engine's files under every spelling", () => {
  const git = [
    ".git/config",
    ".GIT/config",
    "a/.Git/hooks/pre-commit",
    ".git./hooks/pre-commit",
    ".git../config",
    ".git /config",
    ".git . /config",
    "sub/.GIT. /hooks/x",
    "git~1/config",
    "GIT~1/hooks/pre-commit",
    "sub/git~2/config",
    ".git::$INDEX_ALLOCATION/hooks/x",
    ".git:stream/x",
    ".g\u200cit/config",
    ".gi\ufefft/config",
    "\u200e.git/config",
  ];
  for (const p of git)
    it(`refuses ${JSON.stringify(p)} as git's folder`, () => {
      expect(unsafePath(p)).toMatch(/\.git folder/);
      expect(unsafePath(p, true)).toMatch(/\.git folder/);
    });

  const engine = [
    ".create-pipeline.yaml.",
    ".CREATE-PIPELINE.YAML",
    ".create-pipeline /state.json",
    ".Create-Pipeline./base.json",
    "CREATE~1.YAM",
    "create~1/state.json",
  ];
  for (const p of engine)
    it(`refuses ${JSON.stringify(p)} as an engine file, and lets the journal name it`, () => {
      expect(unsafePath(p)).toMatch(/create-pipeline's own/);
      expect(unsafePath(p, true)).toBeUndefined();
    });

  for (const p of ["...", "a/. ./b", " /x", "a/ . /b"])
    it(`refuses ${JSON.stringify(p)}: only dots and spaces`, () => expect(unsafePath(p)).toMatch(/dots and spaces/));

  for (const p of [
    ".github/workflows/ci.yaml",
    ".gitignore",
    ".gitattributes",
    ".github/.git-blame-ignore-revs",
    "git/x",
    "my.git/x",
    ".gitx/a",
    "charts/api/values.yaml",
    "docs/pipeline.md",
    ".create-pipeline-notes.md",
  ])
    it(`accepts ${JSON.stringify(p)}`, () => expect(unsafePath(p)).toBeUndefined());

  it("samePath compares as a case-insensitive file system opens names", () => {
    expect(samePath(".create-pipeline/journal.json", ".Create-Pipeline./JOURNAL.json ")).toBe(true);
    expect(samePath(".create-pipeline/journal.json", ".create-pipeline/journal.jso")).toBe(false);
  });
});
