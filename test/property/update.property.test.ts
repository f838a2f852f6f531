// Properties of update and check over random answers and random hand edits, through the CLI.
import fc from "fast-check";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { readTree, runCli, tempDir } from "../support/cli.js";
import { ageFiles, read, snapshot, V1, V2, V3, write } from "../support/repo.js";

interface Answers {
  name: string;
  language: "node" | "go";
  port: number;
  environments: string[];
  debug: boolean;
  team: string;
}

const answersArb: fc.Arbitrary<Answers> = fc.record({
  name: fc.constantFrom("svc", "billing-api", "a1"),
  language: fc.constantFrom("node" as const, "go" as const),
  port: fc.integer({ min: 1, max: 65535 }),
  environments: fc.subarray(["dev", "staging", "prod"], { minLength: 1 }),
  debug: fc.boolean(),
  team: fc.constantFrom("core", "ops"),
});

const common = (a: Answers) => ["--yes", "--name", a.name, "--language", a.language, "--port", String(a.port), "--environments", a.environments.join(",")];
const v1Args = (a: Answers) => ["--template", V1, ...common(a), a.debug ? "--debug" : "--no-debug"];
const v2Args = (a: Answers, pack = V2) => ["--template", pack, ...common(a), a.debug ? "--verbose" : "--no-verbose", "--team", a.team];
const argsFor = (a: Answers, pack: string) => (pack === V1 ? v1Args(a) : v2Args(a, pack));

async function create(args: string[]): Promise<string> {
  const dir = join(tempDir("cp-prop-"), "repo");
  const r = await runCli(["create", dir, ...args]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return dir;
}

describe("update properties", () => {
  it("with no user edits, updating v1 → v2, v1 → v3 or v1 → v2 → v3 gives exactly the tree a fresh create at the last version gives (state files included)", async () => {
    const routes = fc.constantFrom([V2], [V3], [V2, V3]);
    await fc.assert(
      fc.asyncProperty(answersArb, routes, async (a, route) => {
        const updated = await create(v1Args(a));
        for (const pack of route) {
          const r = await runCli(["update", updated, "--template", pack, "--set", `team=${a.team}`]);
          expect(r.stderr).toBe("");
          expect(r.code).toBe(0);
        }
        const fresh = await create(v2Args(a, route.at(-1)));
        // Both record the last pack's folder as the source (update was given --template), so
        // even .create-pipeline/state.json, base.json and the answers file match byte for byte.
        expect(readTree(updated)).toEqual(readTree(fresh));
      }),
      { numRuns: 15 },
    );
  });

  it("a no-op update (same pack, same answers) changes no byte and no mtime", async () => {
    await fc.assert(
      fc.asyncProperty(answersArb, fc.constantFrom(V1, V2, V3), fc.boolean(), async (a, pack, restate) => {
        const dir = await create(argsFor(a, pack));
        ageFiles(dir);
        const before = snapshot(dir);
        // Giving an answer again with its current value is no change either.
        const r = await runCli(["update", dir, ...(restate ? ["--port", String(a.port), "--language", a.language] : [])]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("Nothing to update");
        expect(snapshot(dir)).toEqual(before);
      }),
      { numRuns: 12 },
    );
  });

  it("create then check finds no drift, also with --strict", async () => {
    await fc.assert(
      fc.asyncProperty(answersArb, fc.constantFrom(V1, V2, V3), async (a, pack) => {
        const dir = await create(argsFor(a, pack));
        const r = await runCli(["check", dir]);
        expect(r.code).toBe(0);
        expect((await runCli(["check", dir, "--strict", "--json"])).code).toBe(0);
      }),
      { numRuns: 12 },
    );
  });
});

// ---- hand edits away from what v2 changes ----

/** For each line of b, the index of the line of t it matches in a longest common subsequence, or -1. */
function matchLines(b: string[], t: string[]): number[] {
  const dp = Array.from({ length: b.length + 1 }, () => new Array<number>(t.length + 1).fill(0));
  for (let i = b.length - 1; i >= 0; i--)
    for (let j = t.length - 1; j >= 0; j--) dp[i]![j] = b[i] === t[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const m = new Array<number>(b.length).fill(-1);
  for (let i = 0, j = 0; i < b.length && j < t.length; ) {
    if (b[i] === t[j]) m[i++] = j++;
    else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  return m;
}

/** Gaps (insert before line p) whose neighbours are both unchanged and stay neighbours in t. */
function safeGaps(b: string[], t: string[]): number[] {
  const m = matchLines(b, t);
  const gaps: number[] = [];
  for (let p = 0; p <= b.length; p++) {
    const before = p === 0 ? -1 : m[p - 1]!;
    const after = p === b.length ? t.length : m[p]!;
    if ((p === 0 || before >= 0) && (p === b.length || after >= 0) && after === before + 1) gaps.push(p);
  }
  return gaps;
}

const lines = (s: string) => s.replace(/\n$/, "").split("\n");

type Edit = { kind: "line"; file: number; gap: number } | { kind: "key"; file: number } | { kind: "envVar" };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("line" as const), file: fc.nat(), gap: fc.nat() }),
  fc.record({ kind: fc.constant("key" as const), file: fc.nat() }),
  fc.constant({ kind: "envVar" as const }),
);

/** Text and YAML files a user might touch (path in v1 → path in v2; undefined: v2 drops it). */
function lineFiles(a: Answers, pack: string): [string, string | undefined][] {
  return [
    ["Dockerfile", "Dockerfile"],
    ["README.md", "README.md"],
    [`${a.name}/app.txt`, `${a.name}/app.txt`],
    ["old-name.txt", pack === V3 ? "docs/new-name.txt" : "new-name.txt"],
    ["dropped.txt", undefined],
    [".github/workflows/ci.yml", ".github/workflows/ci.yml"],
    ["config/values.yaml", "config/values.yaml"],
    ...(a.language === "go" ? ([["go-only.txt", "go-only.txt"]] as [string, string][]) : []),
  ];
}
const KEY_FILES = ["config/values.yaml", ".github/workflows/ci.yml", "settings.json"];

describe("update keeps hand edits the template did not touch", () => {
  it("lines added away from the template's changes, new keys and env vars all survive v1 → v2 or v3, with the template's changes merged in and no conflict", async () => {
    await fc.assert(
      fc.asyncProperty(answersArb, fc.constantFrom(V2, V3), fc.array(editArb, { minLength: 1, maxLength: 6 }), async (a, pack, edits) => {
        const dir = await create(v1Args(a));
        const target = readTree(await create(v2Args(a, pack)));
        const files = lineFiles(a, pack);
        const inserted: Record<string, string[]> = {};
        const keys: Record<string, Record<string, unknown>> = {};
        let n = 0;
        for (const e of edits) {
          n++;
          if (e.kind === "line") {
            const [from, to] = files[e.file % files.length]!;
            const b = lines(read(dir, from));
            const gaps = safeGaps(lines(readTree(dir)[from]!), to ? lines(target[to]!) : []);
            if (to && gaps.length === 0) continue;
            // Gaps were computed on the generated file; earlier inserts shift them, so count them in.
            const base = lines(readTree(dir)[from]!);
            const gap = to ? gaps[e.gap % gaps.length]! : e.gap % (base.length + 1);
            const line = /\.ya?ml$/.test(from) || from === "Dockerfile" ? `# user note ${n}` : `user line ${n}`;
            const at = positionAfterInserts(b, base, gap);
            b.splice(at, 0, line);
            write(dir, from, `${b.join("\n")}\n`);
            (inserted[from] ??= []).push(line);
          } else if (e.kind === "key") {
            const file = KEY_FILES[e.file % KEY_FILES.length]!;
            if (file === "settings.json") {
              const v = JSON.parse(read(dir, file));
              v[`userKey${n}`] = n;
              write(dir, file, `${JSON.stringify(v, null, 2)}\n`);
            } else write(dir, file, `${read(dir, file)}user_key_${n}: ${n}\n`);
            (keys[file] ??= {})[file === "settings.json" ? `userKey${n}` : `user_key_${n}`] = n;
          } else {
            const text = read(dir, "config/values.yaml");
            write(dir, "config/values.yaml", text.replace("    value: json\n", `    value: json\n  - name: USER_${n}\n    value: "v${n}"\n`));
            ((keys["config/values.yaml"] ??= {}) as Record<string, unknown>)[`env:USER_${n}`] = `v${n}`;
          }
        }

        const r = await runCli(["update", dir, "--template", pack, "--set", `team=${a.team}`]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        const after = readTree(dir);
        expect(Object.values(after).join("")).not.toMatch(/^(<<<<<<<|>>>>>>>) /m);

        for (const [from, to] of files) {
          const added = inserted[from];
          if (!added) continue;
          const out = after[to ?? from];
          expect(out, `${from} lost`).toBeDefined();
          for (const line of added) expect(out, `${to ?? from} keeps '${line}'`).toContain(`${line}\n`);
          if (to === undefined) continue; // dropped by v2, kept because edited
          if (keys[from] === undefined) {
            // Only lines were added: the result is v2's file with exactly those lines in it.
            const rest = lines(out!).filter((l) => !added.includes(l.trim()));
            expect(`${rest.join("\n")}\n`, to).toBe(target[to]);
          }
        }
        for (const [file, added] of Object.entries(keys)) {
          const out = after[file]!;
          const value = file.endsWith(".json") ? JSON.parse(out) : parseYaml(out);
          const expected = file.endsWith(".json") ? JSON.parse(target[file]!) : parseYaml(target[file]!);
          for (const [k, v] of Object.entries(added)) {
            if (k.startsWith("env:")) expected.env.push({ name: k.slice(4), value: v });
            else expected[k] = v;
          }
          if (expected.env) expected.env.sort((x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : 1));
          if (value.env) value.env.sort((x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : 1));
          expect(value, file).toEqual(expected);
        }
        // everything the user did not touch is exactly v2
        for (const [p, text] of Object.entries(target)) {
          const touched = Object.keys(inserted).some((f) => files.find(([x]) => x === f)?.[1] === p) || p in keys;
          if (!touched) expect(after[p], p).toBe(text);
        }
        expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 30) },
    );
  });
});

/** Where generated-line gap `gap` is in a file that already has some user lines inserted. */
function positionAfterInserts(current: string[], generated: string[], gap: number): number {
  // Walk the current file, counting generated lines (user lines are the ones not in order).
  let g = 0;
  for (let i = 0; i < current.length; i++) {
    if (g === gap) return i;
    if (current[i] === generated[g]) g++;
  }
  return current.length;
}
