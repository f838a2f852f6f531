// The package's links, from one place: package.json's `repository` is the source of truth;
// `homepage`, `bugs`, the README's links to the docs (the package ships no docs/ folder, so the
// registry page needs absolute links) and the JSON Schema's $id are all derived from it, and
// every docs page the README links to exists.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/cli.js";

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  files: string[];
};
const base = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");

describe("package links", () => {
  it("homepage and bugs follow repository", () => {
    expect(pkg.repository.type).toBe("git");
    expect(base).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(pkg.homepage).toBe(`${base}#readme`);
    expect(pkg.bugs.url).toBe(`${base}/issues`);
  });

  it("the README links to the docs through the repository URL, each to a page that exists", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    const docs = links.filter((l) => /docs\//.test(l));
    expect(docs.length).toBeGreaterThan(3);
    for (const l of docs) {
      expect(l, "a relative link is dead on the registry page").toMatch(new RegExp(`^${base.replace(/[.]/g, "\\.")}/blob/main/docs/`));
      expect(existsSync(join(REPO, l.slice(`${base}/blob/main/`.length).replace(/#.*$/, ""))), l).toBe(true);
    }
  });

  it("the --json schema's $id lives in the same repository", () => {
    const schema = JSON.parse(readFileSync(join(REPO, "docs", "cli.schema.json"), "utf8")) as { $id: string };
    expect(schema.$id).toBe(`${base}/blob/main/docs/cli.schema.json`);
  });
});
