// Free-text answers that reach YAML, Dockerfiles, shells and Markdown (commands, URLs): a hostile
// string (control characters, quotes, line breaks, `${{`, `$(`, backticks, YAML indicators) is
// either refused at input (exit 2, naming the answer) or rendered so that every generated file
// has exactly the structure it has with a harmless value, and holds the value exactly, in the
// encoding its place needs (YAML scalar, shell word, Dockerfile exec form, Markdown code span).
// A sample of such values then goes through the real validators (actionlint, hadolint).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { coerce, resolveAnswers, type Given } from "../../src/core/answers.js";
import { PipelineError } from "../../src/core/errors.js";
import { helpers } from "../../src/core/helpers.js";
import { render } from "../../src/core/render.js";
import { parseServicesFile, renderServices, resolveServices, type ServicesModel } from "../../src/core/services.js";
import type { Pack, Question, Tree } from "../../src/core/types.js";
import { loadPackDir } from "../../src/io/pack-dir.js";
import { REPO } from "../support/cli.js";
import { actionlint, formatFindings, hadolint, preCommitValidate, yamlParses } from "../support/validators.js";

const ctx = { toolVersion: "0.0.0-test" };
/** A harmless value every free-text answer accepts, distinctive enough to find in the output. */
const P = "https://placeholder.invalid/p";
/** The placeholder the current comparison looks for (P, or a service's folder or name). */
let placeholder = P;
/** Characters that break naive interpolation into YAML, shells or Markdown. */
const DANGEROUS = ["'", '"', "`", "$", "#", "{", "}", "|", ";", "&", "\\", "\n", " "];

const BASE: Record<string, unknown> = {
  name: "svc",
  owner: "acme",
  ingress: true,
  ingressHost: "svc.example.com",
  strategy: "canary",
  canaryAnalysis: true,
  requestMetric: "http_requests_total{status}",
  mode: "gitops",
  preCommit: true,
  environments: ["dev", "prod"],
};
const PROFILES: Record<string, Record<string, unknown>> = {
  node: {
    ...BASE,
    language: "node",
    packageManager: "npm",
    startCommand: "node index.js",
    lintCommand: "npm run lint",
    testCommand: "npm test",
    buildCommand: "npm run build",
  },
  python: {
    ...BASE,
    language: "python",
    packageManager: "pip",
    startCommand: "python main.py",
    lintCommand: "flake8",
    testCommand: "make test",
    buildCommand: "make build",
  },
  go: { ...BASE, language: "go", startCommand: "./app", lintCommand: "go vet ./...", testCommand: "go test ./...", buildCommand: "make build" },
  java: {
    ...BASE,
    language: "java",
    buildTool: "maven",
    javaPackaging: "spring-boot",
    lintCommand: "mvn -B verify",
    testCommand: "mvn -B test",
    buildCommand: "mvn -B package",
  },
};

/** Values that switch the pack to another feature (pytest, ruff, yarn scripts, Go binaries): compared elsewhere. */
const BRANCHES = /pytest|ruff|golangci|yarn|pnpm|install\//;

const FRAGMENTS = [
  "\n",
  "\r\n",
  "\r",
  "\t",
  "\u0000",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u2028",
  "'",
  '"',
  "`",
  "$(",
  ")",
  "${{",
  "}}",
  "${",
  "}",
  "$PORT",
  "#",
  " #",
  " # x",
  ": ",
  ":",
  "- ",
  "-",
  "&&",
  "&",
  "|",
  "||",
  ";",
  ">",
  "<",
  "*",
  "!",
  "%",
  "@",
  "?",
  "[",
  "]",
  "{",
  "}",
  ",",
  "\\",
  "\\n",
  " ",
  "  ",
  "a",
  "x y",
  "make",
  "npm test",
  "1",
  "0x1",
  "true",
  "null",
  "~",
  "é",
  "💥",
  "---",
  "...",
  "<<",
  "=",
];
const hostile = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: "binary" }) }), {
    minLength: 1,
    maxLength: 10,
  })
  .map((a) => a.join(""));
/** Some values start like a URL or a command so that answers with a loose pattern accept them. */
const value = fc.oneof(
  hostile,
  hostile.map((s) => `https://x${s}`),
  hostile.map((s) => `make ${s}`),
);

const accepts = (q: Question, v: string) => {
  try {
    coerce(q, v, "test");
    return true;
  } catch {
    return false;
  }
};

/**
 * How the placeholder looks and how the value must look in each kind of place: a YAML or JSON
 * string holds the value itself (or the one command that runs it); a Dockerfile line holds it as
 * one shell command; Markdown as a code span.
 */
type Kind = "data" | "dockerfile" | "markdown";
const encodings = (s: string, kind: Kind, p: string): [string, string][] =>
  kind === "data"
    ? [
        [p, s],
        [p, helpers.shellCommand(s)],
        // A folder in a file pattern (pre-commit's `files:`) is a regular expression, escaped.
        [p, s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")],
      ]
    : kind === "dockerfile"
      ? [[p, helpers.shellCommand(s)]]
      : [
          [helpers.mdCode(p), helpers.mdCode(s)],
          // In the docs' shell blocks: one shell word, quoted as the shell needs.
          [helpers.shellWord(p), helpers.shellWord(s)],
          ...(SAFE_WORD.test(s) ? ([[p, s]] as [string, string][]) : []),
        ];
/** A folder or name held to these characters means the same in every file it lands in, as it is. */
const SAFE_WORD = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;

/** `s` is the value as given and as trimmed (commands are used trimmed; docs may quote them as given). */
const placed = (withP: string, withS: string, s: string[], kind: Kind) =>
  withP === withS || s.some((v) => encodings(v, kind, placeholder).some(([p, e]) => withP.includes(p) && withP.split(p).join(e) === withS));

/** Values derived from an answer rather than holding it: Prometheus's namespace, read from its address. */
const DERIVED = /\.networkPolicy\.metricsFromNamespaces\[\d+\]$/;

/** Parsed YAML (or JSON) with the placeholder and with the value: same shape, value exactly where the placeholder was. */
function sameShape(a: unknown, b: unknown, s: string[], at: string): void {
  if (typeof a === "string" && typeof b === "string" && DERIVED.test(at)) {
    // Worked out from an answer, not the answer itself: it can only ever be a Kubernetes name.
    expect(b, `${at}: a derived namespace that is not a DNS label`).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    return;
  }
  if (typeof a === "string" && typeof b === "string") {
    expect(placed(a, b, s, "data"), `${at}: ${JSON.stringify(b)} is not ${JSON.stringify(a)} with the value in place`).toBe(true);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b) && b.length === a.length, `${at}: a list changed length (something was injected)`).toBe(true);
    a.forEach((x, i) => sameShape(x, (b as unknown[])[i], s, `${at}[${i}]`));
    return;
  }
  if (a !== null && typeof a === "object") {
    expect(b !== null && typeof b === "object" && !Array.isArray(b), `${at}: not a mapping any more`).toBe(true);
    // A key may hold the value too (a service's folder keys release-please's packages).
    const keyOf = (k: string) => {
      const v = s.find((x) => Object.hasOwn(b as object, k.split(placeholder).join(x)));
      return v === undefined ? k : k.split(placeholder).join(v);
    };
    expect(Object.keys(b as object).sort(), `${at}: keys changed (something was injected)`).toEqual(Object.keys(a).map(keyOf).sort());
    for (const k of Object.keys(a)) sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[keyOf(k)], s, `${at}.${k}`);
    return;
  }
  expect(b, `${at}: a scalar changed type or value`).toEqual(a);
}

const parseYaml = (text: string, file: string): unknown[] =>
  parseAllDocuments(text).map((d) => {
    expect(
      d.errors.map((e) => e.message),
      `${file} does not parse`,
    ).toEqual([]);
    return d.toJS({ maxAliasCount: 100 });
  });

/** Dockerfile logical lines (continuations joined), comments and blank lines dropped. */
const logicalLines = (text: string) =>
  text
    .replace(/\\\n/g, "\u0001")
    .split("\n")
    .filter((l) => l.trim() && !l.trimStart().startsWith("#"));

const plainWords = (s: string) => /^[\w./:=@%+,-]+(\s+[\w./:=@%+,-]+)*$/.test(s);

function compareTrees(withP: Tree, withS: Tree, values: string[]): void {
  const s = values[0]!;
  expect([...withS.keys()], "the value changed which files are written").toEqual([...withP.keys()]);
  for (const [path, f] of withP) {
    const a = f.content;
    const b = withS.get(path)!.content;
    if (a === b) continue;
    if (/\.ya?ml$/.test(path) && !/^charts\/[^/]+\/templates\//.test(path)) {
      sameShape(parseYaml(a, path), parseYaml(b, path), values, path);
    } else if (path.endsWith(".json")) {
      sameShape(JSON.parse(a), JSON.parse(b), values, path);
    } else if (/(^|\/)Dockerfile$/.test(path)) {
      const la = logicalLines(a);
      const lb = logicalLines(b);
      expect(lb.length, `${path}: instructions were added or removed`).toBe(la.length);
      la.forEach((line, i) => {
        const other = lb[i]!;
        expect(other.split(/\s/)[0], `${path}: instruction ${i + 1} changed kind`).toBe(line.split(/\s/)[0]);
        const exec = /^(CMD|ENTRYPOINT) (\[.*\])$/.exec(other);
        if (exec && line !== other) {
          // Exec form must stay JSON (Docker silently falls back to a shell otherwise) and be the command's argv.
          const argv = JSON.parse(exec[2]!) as string[];
          if (plainWords(s)) expect(argv, `${path}: ${other}`).toEqual(s.split(/\s+/));
          else {
            // Through sh: the value exactly, with `exec ` put before its last command (or as it is
            // when that already starts with exec).
            expect(argv.slice(0, 2), `${path}: ${other}`).toEqual(["sh", "-c"]);
            const script = argv[2]!;
            const held = script === s || [...script.matchAll(/exec /g)].some((m) => script.slice(0, m.index) + script.slice(m.index! + 5) === s);
            expect(held, `${path}: ${other} does not hold ${JSON.stringify(s)} exactly (with exec put before a command)`).toBe(true);
          }
        } else {
          expect(placed(line, other, values, "dockerfile"), `${path}: ${JSON.stringify(other)} is not ${JSON.stringify(line)} with the value in place`).toBe(
            true,
          );
        }
      });
    } else {
      const la = a.split("\n");
      const lb = b.split("\n");
      expect(lb.length, `${path}: lines were added or removed`).toBe(la.length);
      la.forEach((line, i) => expect(placed(line, lb[i]!, values, "markdown"), `${path}:${i + 1}: ${JSON.stringify(lb[i])}`).toBe(true));
    }
  }
}

let pack: Pack;
let freeText: Question[];
beforeAll(async () => {
  const dir = join(REPO, "templates", "pipeline");
  pack = await loadPackDir(dir, { kind: "builtin", name: "pipeline" });
  freeText = pack.manifest.questions.filter((q) => q.type === "text" && accepts(q, P));
});

async function renderWith(profile: string, key: string, v: string): Promise<Tree> {
  const given: Record<string, Given> = {};
  for (const [k, x] of Object.entries({ ...PROFILES[profile], [key]: v })) given[k] = { value: x, where: `--${k}` };
  const { answers } = await resolveAnswers(pack.manifest, { given, detected: {} });
  return render(pack, answers, ctx);
}

describe("free-text answers: refused or rendered exactly (built-in pack)", () => {
  it("finds the free-text answers from the pack's own schema", () => {
    expect(freeText.map((q) => q.key)).toEqual(
      expect.arrayContaining(["lintCommand", "testCommand", "buildCommand", "startCommand", "prometheusAddress", "repoUrl"]),
    );
  });

  it("every other text answer is held to a pattern that refuses quoting-sensitive characters", () => {
    const strict = pack.manifest.questions.filter((q) => q.type === "text" && !freeText.includes(q));
    expect(strict.length).toBeGreaterThan(5);
    for (const q of strict) {
      expect(q.pattern, `${q.key} has no pattern`).toBeTruthy();
      fc.assert(
        fc.property(fc.stringMatching(new RegExp(q.pattern!)), fc.nat(), fc.constantFrom(...DANGEROUS), (ok, at, c) => {
          const i = ok.length ? at % (ok.length + 1) : 0;
          expect(accepts(q, ok.slice(0, i) + c + ok.slice(i)), `${q.key} accepts ${JSON.stringify(c)}`).toBe(false);
        }),
        { numRuns: 50, seed: 42 },
      );
    }
  });

  it("refuses line breaks, control characters and ${{ with exit 2 naming the answer", () => {
    for (const q of freeText) {
      for (const bad of ["a\nb", "a\r\nb", "a\tb", "a\u0000b", "a\u2028b", "a ${{ secrets.TOKEN }}"]) {
        let err: unknown;
        try {
          coerce(q, `https://x${bad}`, `--${q.key}`);
        } catch (e) {
          err = e;
        }
        expect(err, `${q.key} accepted ${JSON.stringify(bad)}`).toBeInstanceOf(PipelineError);
        expect((err as PipelineError).code).toBe("validation");
        expect((err as PipelineError).message.startsWith(`${q.key}: `)).toBe(true);
        expect((err as PipelineError).where).toBe(`--${q.key}`);
        expect((err as PipelineError).hint).toBeTruthy();
      }
    }
  });

  it("every hostile value is refused, or every file keeps its shape and holds the value exactly", async () => {
    let rendered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(PROFILES)), fc.nat(), value, async (profile, pick, raw) => {
        const q = freeText[pick % freeText.length]!;
        const s = raw.trim();
        fc.pre(s !== "" && !BRANCHES.test(s));
        let withS: Tree;
        try {
          withS = await renderWith(profile, q.key, raw);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(PipelineError);
          expect((e as PipelineError).code).toBe("validation");
          expect((e as PipelineError).message).toContain(q.key);
          refused++;
          return;
        }
        rendered++;
        if (profile === "go" && q.key === "startCommand") {
          // Distroless: the binary and plain arguments only (anything else is refused above).
          expect(plainWords(s)).toBe(true);
          const entry = /^ENTRYPOINT (.*)$/m.exec(withS.get("Dockerfile")!.content)![1]!;
          const words = s.split(/\s+/);
          expect(JSON.parse(entry)).toEqual([`/app/${words[0]!.split("/").pop()}`, ...words.slice(1)]);
          return;
        }
        compareTrees(await renderWith(profile, q.key, P), withS, [s, raw]);
      }),
      { numRuns: 400, seed: 0x1dea, endOnFailure: true },
    );
    // Both outcomes happen: the property is not vacuous either way.
    expect(rendered).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(40);
  }, 120_000);
});

describe("free-text answers through the real validators", () => {
  const SAMPLES = [
    "make lint # strict",
    "[ -f x ] && make",
    "echo a: b",
    "''",
    `echo "$(date)" 'it'\\''s' \`id\``,
    "a; b | c > /dev/null",
    "echo - x",
    "{a: b}",
    "true",
  ];
  for (const profile of ["node", "java"]) {
    it(`${profile}: commands with shell and YAML syntax still give valid workflows, Dockerfile and hooks`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "cp-inject-"));
      try {
        for (const [i, v] of SAMPLES.entries()) {
          const given: Record<string, Given> = {};
          for (const [k, x] of Object.entries({ ...PROFILES[profile], lintCommand: v, testCommand: `${v} t`, buildCommand: v, startCommand: `node ${v}` }))
            given[k] = { value: x, where: `--${k}` };
          const { answers } = await resolveAnswers(pack.manifest, { given, detected: {} });
          const tree = render(pack, answers, ctx);
          const out = join(dir, String(i));
          for (const f of tree.values()) {
            mkdirSync(dirname(join(out, f.path)), { recursive: true });
            writeFileSync(join(out, f.path), f.content);
          }
          const findings = [...(await yamlParses(out)), ...(await actionlint(out)), ...(await hadolint(out)), ...(await preCommitValidate(out))];
          expect(findings, `${JSON.stringify(v)}:\n${formatFindings(findings)}`).toEqual([]);
          // The workflow runs the command exactly: through env, never pasted into the script.
          const ci = parseYaml(tree.get(".github/workflows/ci.yml")!.content, "ci.yml")[0] as { jobs: { test: { steps: { env?: Record<string, string> }[] } } };
          const env = Object.assign({}, ...ci.jobs.test.steps.map((st) => st.env ?? {}));
          expect(env.LINT_COMMAND).toBe(v.trim());
          expect(env.TEST_COMMAND).toBe(`${v} t`.trim());
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});

// A repository of several services: the same property for each service's own answers (its
// commands, folder, name and port) and for the shared ones written at the top of the answers file.
describe("free-text answers in a repository of several services: refused or rendered exactly", () => {
  const SERVICE_KEYS = ["lintCommand", "testCommand", "buildCommand", "startCommand"];
  const service = (profile: string, extra: Record<string, unknown>) => {
    const keys = new Set(pack.manifest.services!.keys);
    return Object.fromEntries(Object.entries({ ...PROFILES[profile], ...extra }).filter(([k]) => keys.has(k)));
  };
  /**
   * The answers file (as JSON, which it may be) with shared answers on top and two services of
   * different languages, read as the CLI reads it: every service folder goes through its checks.
   */
  function model(over: { top?: Record<string, unknown>; api?: Record<string, unknown>; worker?: Record<string, unknown>; apiPath?: string }): ServicesModel {
    const file = {
      ...BASE,
      name: "shop",
      ...over.top,
      services: [
        { path: over.apiPath ?? "services/api", ...service("node", { name: "api", port: 3000, ...over.api }) },
        { path: "services/worker", ...service("python", { name: "worker", port: 8000, ...over.worker }) },
      ],
    };
    return parseServicesFile(JSON.stringify(file, null, 2), ".create-pipeline.yaml", pack.manifest);
  }
  async function renderModel(m: ServicesModel): Promise<Tree> {
    const repo = await resolveServices(pack.manifest, m, { detectRoot: async () => ({}), detectService: async () => ({}) });
    return renderServices(pack, repo, ctx);
  }
  /** The placeholder tree with the placeholder's own spelling moved from file names to the value's. */
  const renamed = (t: Tree, from: string, to: string): Tree =>
    new Map([...t].map(([k, f]) => [k.split(from).join(to), f] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  const refusedOk = (e: unknown, key: string) => {
    expect(e, String(e)).toBeInstanceOf(PipelineError);
    expect((e as PipelineError).code, String(e)).toBe("validation");
    expect(`${(e as PipelineError).message} ${(e as PipelineError).where ?? ""}`).toContain(key);
  };

  it("a service's own commands, and shared free-text answers, are refused or land exactly", async () => {
    let rendered = 0;
    let refused = 0;
    const shared = freeText.filter((q) => !pack.manifest.services!.keys.includes(q.key)).map((q) => q.key);
    expect(shared).toEqual(expect.arrayContaining(["prometheusAddress", "repoUrl"]));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SERVICE_KEYS, ...shared), fc.constantFrom("api", "worker", "top"), value, async (key, who, raw) => {
        const s = raw.trim();
        fc.pre(s !== "" && !BRANCHES.test(s));
        const where = shared.includes(key) ? "top" : who;
        const m = (v: string) => model({ [where]: { [key]: v } });
        let withS: Tree;
        try {
          withS = await renderModel(m(raw));
        } catch (e) {
          refusedOk(e, key);
          refused++;
          return;
        }
        rendered++;
        placeholder = P;
        compareTrees(await renderModel(m(P)), withS, [s, raw]);
      }),
      { numRuns: 150, seed: 0x5e41, endOnFailure: true },
    );
    expect(rendered).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 240_000);

  it("a service's folder, name and port are refused or land exactly, in every file that names them", async () => {
    let rendered = 0;
    let refused = 0;
    const PP = "services/zqpath";
    const PN = "zqzq";
    // Hostile strings, and values that look valid (so the accepted side is exercised too).
    const plausible = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,10}(\/[A-Za-z0-9_][A-Za-z0-9._-]{0,6})?$/),
      fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/),
      fc.integer({ min: -5, max: 70_000 }).map(String),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("path", "name", "port"), fc.oneof(value, plausible), async (key, raw) => {
        const v = key === "path" ? `services/${raw}` : raw;
        const m = (x: string) => (key === "path" ? model({ apiPath: x }) : model({ api: { [key]: x } }));
        let withS: Tree;
        try {
          withS = await renderModel(m(v));
          expect(key === "path" ? "" : v, "a number or name with more than digits or a DNS label was accepted").toMatch(
            key === "port" ? /^\s*\d+\s*$/ : key === "name" ? /^[a-z0-9-]*$/ : /^$/,
          );
        } catch (e) {
          refusedOk(e, key === "path" ? "service folder" : key);
          refused++;
          return;
        }
        rendered++;
        if (key === "port") {
          // A number: only a whole number in range gets this far, and every file holds that number
          // exactly where it holds another port given the same way (8123), and nothing else changed.
          const withPort = await renderModel(m("8123"));
          expect([...withS.keys()]).toEqual([...withPort.keys()]);
          for (const [path, f] of withPort) expect(withS.get(path)!.content, path).toBe(f.content.split("8123").join(String(Number(v))));
          return;
        }
        const p = key === "path" ? PP : PN;
        const norm = key === "path" ? m(v).services[0]!.path : v.trim();
        placeholder = p;
        compareTrees(renamed(await renderModel(m(p)), p, norm), withS, [norm, v]);
      }),
      { numRuns: 150, seed: 0x9a7e, endOnFailure: true },
    );
    expect(rendered).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(30);
  }, 240_000);
});
