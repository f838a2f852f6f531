import { describe, expect, it } from "vitest";
import { checkConstraints, coerce, flagUsage, resolveAnswers, resolveDefault, slugify, type Asker } from "../../src/core/answers.js";
import { PipelineError } from "../../src/core/errors.js";
import type { PackManifest, Question } from "../../src/core/types.js";

const q = (over: Partial<Question> & Pick<Question, "key" | "type">): Question => ({ message: over.key, ...over });

const name = q({ key: "name", type: "text", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", patternMessage: "a DNS name", maxLength: 53, slug: true });
const port = q({ key: "port", type: "number", min: 1, max: 65535 });
const language = q({ key: "language", type: "select", choices: [{ value: "node" }, { value: "go" }, { value: "python" }] });
const envs = q({ key: "environments", type: "multiselect", choices: [{ value: "dev" }, { value: "staging" }, { value: "prod" }] });
const debug = q({ key: "debug", type: "confirm" });

/** Run fn and return the PipelineError it throws. */
function thrown(fn: () => unknown): PipelineError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    return e as PipelineError;
  }
  throw new Error("expected an error");
}

describe("coerce", () => {
  it("confirm: booleans and the usual yes/no words, nothing else", () => {
    for (const v of [true, "true", "yes", "Y", "1", "on", "TRUE"]) expect(coerce(debug, v, "x")).toBe(true);
    for (const v of [false, "false", "no", "n", "0", "off", 0]) expect(coerce(debug, v, "x")).toBe(false);
    const e = thrown(() => coerce(debug, "maybe", "--debug"));
    expect(e.message).toBe("debug: 'maybe' is not a yes/no value");
    expect(e.where).toBe("--debug");
    expect(e.hint).toBe("use --debug or --no-debug");
  });

  it("number: whole numbers within min..max, from text or YAML numbers", () => {
    expect(coerce(port, "8080", "x")).toBe(8080);
    expect(coerce(port, " 443 ", "x")).toBe(443);
    expect(coerce(port, 65535, "x")).toBe(65535);
    expect(coerce(port, 1, "x")).toBe(1);
    expect(thrown(() => coerce(port, 65536, "x")).message).toBe("port: 65536 is above the maximum 65535");
    expect(thrown(() => coerce(port, "0", "x")).message).toBe("port: 0 is below the minimum 1");
    for (const bad of ["abc", "80.5", 80.5, "", "1e3", "0x50", true]) {
      const e = thrown(() => coerce(port, bad, "--port"));
      expect(e.message).toMatch(/is not a whole number$/);
      expect(e.hint).toBe("use a whole number from 1 to 65535");
    }
    // A list or mapping is not a number, even when String() of it looks like one.
    expect(thrown(() => coerce(port, [8080], "x")).message).toBe("port: expected a whole number, got a list");
    expect(thrown(() => coerce(port, { a: 1 }, "x")).message).toBe("port: expected a whole number, got a mapping");
  });

  it("select: one of the choices; a near miss or a longer spelling is suggested", () => {
    expect(coerce(language, "go", "x")).toBe("go");
    const e = thrown(() => coerce(language, "golang", "--language"));
    expect(e.message).toBe("language: 'golang' is not one of node, go, python");
    expect(e.hint).toBe("did you mean 'go'? (--language <node|go|python>)");
    expect(thrown(() => coerce(language, "pyton", "x")).hint).toContain("did you mean 'python'?");
    expect(thrown(() => coerce(language, "rust", "x")).hint).toBe("use --language <node|go|python>");
    expect(thrown(() => coerce(language, ["go"], "x")).message).toBe("language: expected one of node, go, python");
  });

  it("multiselect: a comma list or a list, in choice order, without duplicates", () => {
    expect(coerce(envs, "prod, dev", "x")).toEqual(["dev", "prod"]);
    expect(coerce(envs, ["prod", "staging", "prod"], "x")).toEqual(["staging", "prod"]);
    expect(coerce(envs, "", "x")).toEqual([]);
    const e = thrown(() => coerce(envs, "dev,prd", "--environments"));
    expect(e.message).toBe("environments: 'prd' is not one of dev, staging, prod");
    expect(e.hint).toContain("did you mean 'prod'?");
    expect(thrown(() => coerce(envs, { dev: true }, "x")).message).toBe("environments: expected a list of dev, staging, prod");
  });

  it("text: pattern and length, with the slug suggested for names", () => {
    expect(coerce(name, "billing-api", "x")).toBe("billing-api");
    const bad = thrown(() => coerce(name, "My_Service", "--name"));
    expect(bad.message).toBe("name: 'My_Service' is not valid: a DNS name");
    expect(bad.hint).toBe("did you mean 'my-service'? (--name my-service)");
    const long = thrown(() => coerce(name, "a".repeat(60), "--name"));
    expect(long.message).toBe(`name: '${"a".repeat(60)}' is 60 characters, at most 53 allowed`);
    expect(long.hint).toBe(`try '${"a".repeat(53)}'`);
    expect(thrown(() => coerce(name, ["a"], "x")).message).toBe("name: expected text, got a list");
    // no pattern: anything goes, numbers become text
    expect(coerce(q({ key: "cmd", type: "text" }), 42, "x")).toBe("42");
  });

  it("slugify makes a DNS-1123 label of at most 53 characters", () => {
    expect(slugify("My_Service")).toBe("my-service");
    expect(slugify("--Hello  World--")).toBe("hello-world");
    expect(slugify(`${"a".repeat(52)}-b`)).toBe("a".repeat(52)); // cut at 53, then the trailing '-' dropped
    expect(slugify("!!!")).toBe("");
  });

  it("flagUsage shows how to pass each type", () => {
    expect(flagUsage(debug)).toBe("--debug / --no-debug");
    expect(flagUsage(language)).toBe("--language <node|go|python>");
    expect(flagUsage(envs)).toBe("--environments <dev,staging,prod>");
    expect(flagUsage(port)).toBe("--port <number>");
    expect(flagUsage(q({ key: "goModule", type: "text" }))).toBe("--go-module <value>");
    expect(flagUsage(q({ key: "goModule", type: "text", flag: "module" }))).toBe("--module <value>");
  });
});

describe("resolveDefault", () => {
  it("a literal, checked like an answer (an invalid literal gives no default)", () => {
    expect(resolveDefault({ ...port, default: 8080 }, {}, {})).toEqual({ value: 8080, source: "default" });
    expect(resolveDefault({ ...port, default: 99999 }, {}, {})).toBeUndefined();
    expect(resolveDefault(port, {}, {})).toBeUndefined();
  });

  it("detect, else the fallback; an invalid detected value falls back too", () => {
    const d = { ...port, default: { detect: "port", else: 3000 } };
    expect(resolveDefault(d, {}, { port: 9090 })).toEqual({ value: 9090, source: "detected" });
    expect(resolveDefault(d, {}, {})).toEqual({ value: 3000, source: "default" });
    expect(resolveDefault(d, {}, { port: 70000 })).toEqual({ value: 3000, source: "default" });
    expect(resolveDefault({ ...port, default: { detect: "port" } }, {}, {})).toBeUndefined();
    // detected text is coerced to the question's type
    expect(resolveDefault(d, {}, { port: "8000" })).toEqual({ value: 8000, source: "detected" });
  });

  it("switch on another answer, with else for other values and for invalid cases", () => {
    const d = { ...port, default: { switch: "language", cases: { node: 3000, go: 8080, python: 0 }, else: 8000 } };
    expect(resolveDefault(d, { language: "node" }, {})?.value).toBe(3000);
    expect(resolveDefault(d, { language: "go" }, {})?.value).toBe(8080);
    expect(resolveDefault(d, { language: "java" }, {})?.value).toBe(8000);
    expect(resolveDefault(d, {}, {})?.value).toBe(8000);
    // a case that is not valid for the question (0 < min) falls through to else, like detect does
    expect(resolveDefault(d, { language: "python" }, {})?.value).toBe(8000);
    // nested: switch inside detect's else
    const nested = { ...port, default: { detect: "port", else: { switch: "language", cases: { go: 8080 } } } };
    expect(resolveDefault(nested, { language: "go" }, {})).toEqual({ value: 8080, source: "default" });
    expect(resolveDefault(nested, { language: "node" }, {})).toBeUndefined();
  });

  it("format fills {answer} and {detect.key}; an invalid result gives no default", () => {
    const host = q({ key: "host", type: "text", pattern: "^[a-z.-]+$", default: { format: "{name}.example.com" } });
    expect(resolveDefault(host, { name: "api" }, {})?.value).toBe("api.example.com");
    const url = q({ key: "url", type: "text", default: { format: "https://github.com/{detect.owner}/{name}" } });
    expect(resolveDefault(url, { name: "api" }, { owner: "acme" })?.value).toBe("https://github.com/acme/api");
    expect(resolveDefault(url, { name: "api" }, {})?.value).toBe("https://github.com//api");
    expect(resolveDefault(host, { name: "API_1" }, {})).toBeUndefined();
  });

  it("answer copies another answer when it fits, else the fallback", () => {
    const ns = q({ key: "ns", type: "text", pattern: "^[a-z0-9]+$", default: { answer: "owner", else: "library" } });
    expect(resolveDefault(ns, { owner: "acme" }, {})?.value).toBe("acme");
    expect(resolveDefault(ns, { owner: "Acme" }, {})?.value).toBe("library");
    expect(resolveDefault(ns, {}, {})?.value).toBe("library");
  });
});

const manifest: PackManifest = {
  name: "t",
  version: "1.0.0",
  engine: "*",
  questions: [
    { ...name, default: { detect: "name", else: "svc" } },
    { ...language, default: "node" },
    { ...port, default: { switch: "language", cases: { node: 3000, go: 8080 }, else: 8000 } },
    { ...q({ key: "goModule", type: "text" }), when: { key: "language", equals: "go" }, default: { format: "example.com/{name}" } },
    { ...envs, default: ["dev", "prod"] },
    { ...q({ key: "owner", type: "text" }) },
    { ...debug, default: false, advanced: true },
  ],
  constraints: [
    { require: { key: "environments", truthy: true }, message: "at least one environment is needed" },
    { when: { key: "language", equals: "python" }, require: { not: { key: "debug", equals: true } }, message: "python cannot debug here" },
  ],
  files: [],
  migrations: [],
};
const given = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { value: v, where: `--${k}` }]));

describe("resolveAnswers", () => {
  it("walks questions in order: later defaults and conditions see earlier answers", async () => {
    const r = await resolveAnswers(manifest, { given: given({ language: "go", owner: "acme" }), detected: { name: "ledger" } });
    expect(r.answers).toEqual({
      name: "ledger",
      language: "go",
      port: 8080,
      goModule: "example.com/ledger",
      environments: ["dev", "prod"],
      owner: "acme",
      debug: false,
    });
    expect(r.sources).toMatchObject({ name: "detected", language: "given", port: "default", owner: "given" });
  });

  it("an inactive question has no answer, and a value given for it is reported as ignored", async () => {
    const r = await resolveAnswers(manifest, { given: given({ goModule: "x", owner: "acme" }), detected: {} });
    expect("goModule" in r.answers).toBe(false);
    expect(r.ignored).toEqual(["goModule"]);
  });

  it("a value given for an inactive question is still checked: a bad one is refused where it was given", async () => {
    const m: PackManifest = {
      ...manifest,
      questions: manifest.questions.map((x) => (x.key === "goModule" ? { ...x, pattern: "^[a-z0-9./-]+$", patternMessage: "a Go module path" } : x)),
    };
    const e = (await resolveAnswers(m, { given: given({ goModule: "x\n  evil: 1", owner: "acme" }), detected: {} }).catch((x: unknown) => x)) as PipelineError;
    expect(e).toBeInstanceOf(PipelineError);
    expect(e.code).toBe("validation");
    expect(e.where).toBe("--goModule");
    const bad = (await resolveAnswers(m, { given: given({ goModule: "Not A Module", owner: "acme" }), detected: {} }).catch(
      (x: unknown) => x,
    )) as PipelineError;
    expect(bad.message).toContain("a Go module path");
    expect(bad.where).toBe("--goModule");
    // a valid one is accepted and reported as ignored, as before
    const r = await resolveAnswers(m, { given: given({ goModule: "example.com/x", owner: "acme" }), detected: {} });
    expect(r.ignored).toEqual(["goModule"]);
  });

  it("a required answer without a value fails with the flag that supplies it", async () => {
    const e = await resolveAnswers(manifest, { given: {}, detected: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PipelineError);
    expect((e as PipelineError).message).toBe("missing required answer: owner (owner)");
    expect((e as PipelineError).hint).toBe("supply --owner <value>, or put it in --config answers.yaml");
  });

  it("an unknown given key is refused with a suggestion and where it came from", async () => {
    const e = (await resolveAnswers(manifest, { given: given({ langauge: "go" }), detected: {} }).catch((x: unknown) => x)) as PipelineError;
    expect(e.message).toBe("unknown answer 'langauge'");
    expect(e.where).toBe("--langauge");
    expect(e.hint).toBe("did you mean 'language'?");
  });

  it("asks interactively for non-advanced questions only, offering the default", async () => {
    const asked: [string, unknown][] = [];
    const asker: Asker = {
      ask: async (qq, def) => {
        asked.push([qq.key, def?.value]);
        return qq.key === "owner" ? "acme" : qq.key === "port" ? "7000" : def?.value;
      },
    };
    const r = await resolveAnswers(manifest, { given: given({ language: "go" }), detected: {}, asker });
    expect(asked).toEqual([
      ["name", "svc"],
      ["port", 8080],
      ["goModule", "example.com/svc"],
      ["environments", ["dev", "prod"]],
      ["owner", undefined],
    ]);
    expect(r.answers.port).toBe(7000);
    expect(r.sources).toMatchObject({ name: "default", port: "asked", language: "given", debug: "default" });
  });

  it("a question declared before the answer that enables it is still asked, after that answer", async () => {
    const m: PackManifest = {
      ...manifest,
      questions: [
        q({
          key: "accountId",
          type: "text",
          when: {
            any: [
              { key: "registry", equals: "ecr" },
              { key: "cluster", equals: "eks" },
            ],
          },
        }),
        q({ key: "region", type: "text", when: { key: "cluster", equals: "eks" }, default: { format: "{cluster}-east" } }),
        q({ key: "registry", type: "select", choices: [{ value: "ghcr" }, { value: "ecr" }], default: "ghcr" }),
        q({ key: "cluster", type: "select", choices: [{ value: "kind" }, { value: "eks" }], default: "kind" }),
      ],
      constraints: [],
    };
    const r = await resolveAnswers(m, { given: given({ cluster: "eks", accountId: "123456789012" }), detected: {} });
    expect(r.answers).toEqual({ registry: "ghcr", cluster: "eks", accountId: "123456789012", region: "eks-east" });
    expect(r.ignored).toEqual([]);
    const e = (await resolveAnswers(m, { given: given({ cluster: "eks" }), detected: {} }).catch((x: unknown) => x)) as PipelineError;
    expect(e.message).toBe("missing required answer: accountId (accountId)");
    const asked: string[] = [];
    await resolveAnswers(m, {
      given: {},
      detected: {},
      asker: { ask: async (qq, def) => (asked.push(qq.key), qq.key === "cluster" ? "eks" : (def?.value ?? "x")) },
    });
    expect(asked).toEqual(["registry", "cluster", "accountId", "region"]);
  });

  it("constraints: require holds (when its when holds), else the constraint's message", () => {
    expect(() => checkConstraints(manifest, { environments: ["dev"], language: "python", debug: false })).not.toThrow();
    expect(() => checkConstraints(manifest, { environments: ["dev"], language: "go", debug: true })).not.toThrow();
    const none = thrown(() => checkConstraints(manifest, { environments: [] }));
    expect(none.message).toBe("at least one environment is needed");
    const py = thrown(() => checkConstraints(manifest, { environments: ["dev"], language: "python", debug: true }));
    expect(py.message).toBe("python cannot debug here");
    expect(py.where).toBe("when language is python");
  });
});

describe("detection is read only when a default needs it", () => {
  const m: PackManifest = {
    name: "p",
    version: "1.0.0",
    engine: "*",
    questions: [
      { ...name, default: { detect: "name", else: "svc" } },
      { ...port, default: 8080 },
    ],
    constraints: [],
    files: [],
    migrations: [],
  };
  const counting = () => {
    const calls = { n: 0 };
    return { calls, detect: async () => (calls.n++, { name: "from-repo" }) };
  };

  it("is not read when every answer that would use it is given", async () => {
    const { calls, detect } = counting();
    const r = await resolveAnswers(m, { given: given({ name: "api" }), detected: detect });
    expect(r.answers).toEqual({ name: "api", port: 8080 });
    expect(calls.n).toBe(0);
  });

  it("is read once, and used, when a default reads it", async () => {
    const { calls, detect } = counting();
    const r = await resolveAnswers(m, { given: {}, detected: detect });
    expect(r.answers.name).toBe("from-repo");
    expect(r.sources.name).toBe("detected");
    expect(calls.n).toBe(1);
  });
});

describe("origin defaults", () => {
  it("read where an earlier answer came from; an unanswered key takes else", () => {
    const q = { key: "gate", type: "confirm" as const, message: "gate", default: { origin: "path", cases: { default: false }, else: true } };
    expect(resolveDefault(q, { path: "/m" }, {}, { path: "default" })).toEqual({ value: false, source: "default" });
    expect(resolveDefault(q, { path: "/m" }, {}, { path: "detected" })).toEqual({ value: true, source: "default" });
    expect(resolveDefault(q, {}, {}, {})).toEqual({ value: true, source: "default" });
  });
});
