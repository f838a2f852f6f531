import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fileKind, merge3, mergeText } from "../../src/core/merge.js";

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join("");

describe("identities", () => {
  const b = "a\r\nb\r\nc";
  const o = "a\r\nB\r\nc";
  const t = "a\r\nb\r\nC\n";
  it.each(["f.txt", "values.yaml", "a.json"])("are byte for byte for %s", (path) => {
    expect(merge3(path, b, b, t)).toEqual({ clean: true, content: t });
    expect(merge3(path, b, o, b)).toEqual({ clean: true, content: o });
    expect(merge3(path, b, o, o)).toEqual({ clean: true, content: o });
  });
});

describe("mergeText", () => {
  const base = lines("one", "two", "three", "four", "five");

  it("keeps disjoint edits from both sides", () => {
    const ours = lines("ONE", "two", "three", "four", "five");
    const theirs = lines("one", "two", "three", "four", "FIVE", "six");
    expect(mergeText(base, ours, theirs)).toEqual({ clean: true, content: lines("ONE", "two", "three", "four", "FIVE", "six") });
  });

  it("does not flag the same change made on both sides", () => {
    const both = lines("one", "TWO", "three", "four", "five");
    const theirs = lines("one", "TWO", "three", "four", "FIVE");
    expect(mergeText(base, both, theirs)).toEqual({ clean: true, content: theirs });
  });

  it("writes a conflict with standard markers and no base section", () => {
    const ours = lines("one", "user", "three", "four", "five");
    const theirs = lines("one", "template", "three", "four", "five");
    expect(mergeText(base, ours, theirs)).toEqual({
      clean: false,
      conflicts: 1,
      content: lines("one", "<<<<<<< ours", "user", "=======", "template", ">>>>>>> create-pipeline", "three", "four", "five"),
    });
  });

  it("counts each conflict and keeps lines both sides added outside the markers", () => {
    const ours = lines("one", "x", "mine", "three", "four", "u", "five");
    const theirs = lines("one", "x", "theirs", "three", "four", "t", "five");
    const result = mergeText(base, ours, theirs);
    expect(result.clean).toBe(false);
    expect(result).toMatchObject({ conflicts: 2 });
    expect(result.content).toContain(lines("one", "x", "<<<<<<< ours", "mine", "=======", "theirs", ">>>>>>> create-pipeline", "three"));
  });

  it("keeps a missing final newline the user chose", () => {
    const ours = "ONE\ntwo\nthree\nfour\nfive";
    const theirs = lines("one", "two", "THREE", "four", "five");
    expect(mergeText(base, ours, theirs)).toEqual({ clean: true, content: "ONE\ntwo\nTHREE\nfour\nfive" });
  });

  it("terminates a conflicting last line before the closing marker", () => {
    const result = mergeText("a\nb\n", "a\nmine", "a\ntheirs\n");
    expect(result.content).toBe(lines("a", "<<<<<<< ours", "mine", "=======", "theirs", ">>>>>>> create-pipeline"));
  });
});

describe("fileKind", () => {
  it.each([
    ["charts/api/values.yaml", "yaml"],
    [".github/workflows/ci.yml", "yaml"],
    ["renovate.json", "json"],
    ["charts/api/templates/deployment.yaml", "text"],
    ["charts/api/templates/_helpers.tpl", "text"],
    ["charts/api/templates/NOTES.txt", "text"],
    ["Dockerfile", "text"],
  ])("%s is %s", (path, kind) => expect(fileKind(path)).toBe(kind));
});

const values = `# Default values
replicaCount: 1

image:
  repository: ghcr.io/acme/api
  tag: "1.0.0" # set by CI

env:
  - name: LOG_LEVEL
    value: info
service:
  port: 8080
`;

describe("merge3 on YAML", () => {
  it("merges an added env var and a template key on neighbouring lines", () => {
    const ours = values
      .replace("    value: info\n", '    value: info\n  - name: FEATURE_X\n    value: "on"\n')
      .replace("replicaCount: 1", "replicaCount: 3 # prod");
    const theirs = values.replace("service:", "# Probes added in 2.0\nprobes:\n  enabled: true\nservice:");
    expect(mergeText(values, ours, theirs).clean).toBe(false);

    const result = merge3("charts/api/values.yaml", values, ours, theirs);
    expect(result.clean).toBe(true);
    expect(result.content).toBe(`# Default values
replicaCount: 3 # prod

image:
  repository: ghcr.io/acme/api
  tag: "1.0.0" # set by CI

env:
  - name: LOG_LEVEL
    value: info
  - name: FEATURE_X
    value: "on"
# Probes added in 2.0
probes:
  enabled: true
service:
  port: 8080
`);
  });

  it("keeps a user's new top-level key next to a template's new key", () => {
    const ours = `${values}podAnnotations:\n  team: payments\n`;
    const theirs = `${values}resources: {}\n`;
    const result = merge3("values.yaml", values, ours, theirs);
    expect(result.clean).toBe(true);
    expect(parse(result.content)).toMatchObject({ podAnnotations: { team: "payments" }, resources: {} });
    expect(result.content.indexOf("resources")).toBeLessThan(result.content.indexOf("podAnnotations"));
  });

  it("keeps the user's comment when the template changes the value", () => {
    const ours = values.replace("# set by CI", "# pinned: see INC-42");
    const theirs = values.replace('"1.0.0"', '"2.0.0"').replace("service:", "nodeSelector: {}\nservice:");
    const result = merge3("values.yaml", values, ours, theirs);
    expect(result).toMatchObject({ clean: true });
    expect(result.content).toContain('tag: "2.0.0" # pinned: see INC-42\n');
    expect(result.content).toContain("# Default values\n");
  });

  it("applies a template deletion next to a user addition", () => {
    const ours = values.replace("service:\n", "extra: true\nservice:\n");
    const theirs = values.replace("env:\n  - name: LOG_LEVEL\n    value: info\n", "");
    const result = merge3("values.yaml", values, ours, theirs);
    expect(result.clean).toBe(true);
    expect(parse(result.content)).toEqual({
      replicaCount: 1,
      image: { repository: "ghcr.io/acme/api", tag: "1.0.0" },
      extra: true,
      service: { port: 8080 },
    });
  });

  it("reports a key both sides changed differently with markers", () => {
    const ours = values.replace("port: 8080", "port: 9090");
    const theirs = values.replace("port: 8080", "port: 80");
    const result = merge3("values.yaml", values, ours, theirs);
    expect(result).toEqual({
      clean: false,
      conflicts: 1,
      content: values.replace("  port: 8080\n", lines("<<<<<<< ours", "  port: 9090", "=======", "  port: 80", ">>>>>>> create-pipeline")),
    });
  });

  it("merges a workflow step the user added with a version bump on the line above", () => {
    const base = `name: ci
on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: actions/checkout@v4
      - name: Test
        run: |
          npm ci
          npm test
`;
    const ours = base.replace("      - name: Test\n", "      - name: Lint # mine\n        run: npm run lint\n      - name: Test\n");
    const theirs = base.replace("checkout@v4", "checkout@v5");
    expect(mergeText(base, ours, theirs).clean).toBe(false);
    const result = merge3(".github/workflows/ci.yml", base, ours, theirs);
    expect(result).toEqual({
      clean: true,
      content: ours.replace("checkout@v4", "checkout@v5"),
    });
  });

  it("keeps sequences at the key's column when the user writes them that way", () => {
    const base = "env:\n- name: A\n  value: a\nport: 1\n";
    const ours = "env:\n- name: A\n  value: a\n- name: B\n  value: b\nport: 1\n";
    const theirs = "env:\n- name: A\n  value: a\nextra: x\nport: 1\n";
    expect(merge3("values.yaml", base, ours, theirs)).toEqual({
      clean: true,
      content: "env:\n- name: A\n  value: a\n- name: B\n  value: b\nextra: x\nport: 1\n",
    });
  });

  it("merges lists of scalars as ordered sets", () => {
    const base = "branches:\n  - main\n  - legacy\n";
    const ours = "branches:\n  - main\n  - legacy\n  - develop\n";
    const theirs = "branches:\n  - main\n  - release\n";
    expect(merge3("ci.yml", base, ours, theirs)).toEqual({
      clean: true,
      content: "branches:\n  - main\n  - release\n  - develop\n",
    });
  });

  it("treats lists of maps without an identity key as whole values", () => {
    const base = "rules:\n  - port: 1\n";
    const ours = "rules:\n  - port: 2\n";
    const theirs = "rules:\n  - port: 3\n";
    expect(merge3("values.yaml", base, ours, theirs)).toMatchObject({ clean: false, conflicts: 1 });
  });

  it("merges multi-document files document by document", () => {
    const base = "a: 1\nb: 2\n---\nc: 3\n";
    const ours = "a: 1\nmine: 1\nb: 2\n---\nc: 3\n";
    const theirs = "a: 1\ntpl: 1\nb: 2\n---\nc: 4\n";
    const result = merge3("all.yaml", base, ours, theirs);
    expect(result).toEqual({ clean: true, content: "a: 1\ntpl: 1\nmine: 1\nb: 2\n---\nc: 4\n" });
  });

  it("follows the template's new comment on a key the user left alone", () => {
    const base = "a: 1\n# old doc\nb: 2\n";
    const ours = "a: 1\nmine: 1\n# old doc\nb: 2\n";
    const theirs = "a: 1\ntpl: 1\n# new doc\nb: 2\n";
    expect(merge3("values.yaml", base, ours, theirs)).toEqual({ clean: true, content: "a: 1\ntpl: 1\nmine: 1\n# new doc\nb: 2\n" });
  });

  it("turns a clean line merge that no longer parses into a whole-file conflict", () => {
    const base = "a: 1\nb: 2\nd: 4\n";
    const ours = "c: 1\na: 1\nb: 2\nd: 4\n";
    const theirs = "a: 1\nb: 2\nd: 4\nc: 2\n";
    expect(merge3("values.yaml", base, ours, theirs)).toEqual({
      clean: false,
      conflicts: 1,
      content: `<<<<<<< ours\n${ours}=======\n${theirs}>>>>>>> create-pipeline\n`,
    });
  });

  it("keeps Windows line endings when merging by key", () => {
    const result = merge3("values.yaml", "a: 1\r\nb: 2\r\n", "a: 1\r\nx: 1\r\nb: 2\r\n", "a: 1\r\ny: 1\r\nb: 2\r\n");
    expect(result).toEqual({ clean: true, content: "a: 1\r\ny: 1\r\nx: 1\r\nb: 2\r\n" });
  });

  it("never merges Helm templates by key", () => {
    const base = "env:\n  - name: A\nport: 1\n";
    const ours = "env:\n  - name: A\n  - name: B\nport: 1\n";
    const theirs = "env:\n  - name: A\nextra: x\nport: 1\n";
    expect(merge3("charts/x/values.yaml", base, ours, theirs).clean).toBe(true);
    expect(merge3("charts/x/templates/cm.yaml", base, ours, theirs)).toMatchObject({ clean: false, conflicts: 1 });
  });
});

describe("merge3 on JSON", () => {
  const base = `{\n  "name": "api",\n  "port": 8080\n}\n`;

  it("merges keys added on neighbouring lines, 2-space indented, ours order first", () => {
    const ours = `{\n  "name": "api",\n  "owner": "me",\n  "port": 8080\n}\n`;
    const theirs = `{\n  "name": "api",\n  "region": "eu",\n  "port": 8080\n}\n`;
    expect(mergeText(base, ours, theirs).clean).toBe(false);
    expect(merge3("config.json", base, ours, theirs)).toEqual({
      clean: true,
      content: `{\n  "name": "api",\n  "region": "eu",\n  "owner": "me",\n  "port": 8080\n}\n`,
    });
  });

  it("keeps the user's formatting when the line merge already agrees", () => {
    const b = `{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n`;
    const ours = `{\n  "a":   1,\n  "b": 2,\n  "c": 3\n}\n`;
    const theirs = `{\n  "a": 1,\n  "b": 2,\n  "c": 4\n}\n`;
    expect(merge3("x.json", b, ours, theirs)).toEqual({ clean: true, content: `{\n  "a":   1,\n  "b": 2,\n  "c": 4\n}\n` });
  });

  it("reports a value changed differently on both sides", () => {
    const ours = base.replace("8080", "1");
    const theirs = base.replace("8080", "2");
    expect(merge3("config.json", base, ours, theirs)).toMatchObject({ clean: false, conflicts: 1 });
  });
});

describe("merge3 on YAML: a user's comment is never dropped (repros found by the merge property test)", () => {
  it("a comment on a key the template renamed and changed: a conflict that shows it, not a silent drop", () => {
    const r = merge3("values.yaml", "k0: a\n", "# note U0x\nk0: a\n", "k0r0: t1\n");
    expect(r.clean).toBe(false);
    expect(r.content).toContain("# note U0x");
  });

  it("a comment beside a key the template removed stays in the result or in a conflict", () => {
    const r = merge3("values.yaml", "a: 1\nb: 2\nc: 3\n", "a: 1\nb: 2 # keep me, I asked for 2\nc: 3\n", "a: 1\nc: 4\n");
    expect(r.content).toContain("# keep me, I asked for 2");
  });

  it("a comment on a key the template did not touch still merges cleanly", () => {
    const r = merge3("values.yaml", "a: 1\nb: 2\n", "a: 1\n# mine\nb: 2\n", "a: 5\nb: 2\n");
    expect(r).toEqual({ clean: true, content: "a: 5\n# mine\nb: 2\n" });
  });
});
