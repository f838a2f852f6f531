import { describe, expect, it } from "vitest";
import { parseArgs, parseSets } from "../../src/cli/args.js";
import { coerce } from "../../src/core/answers.js";
import { PipelineError } from "../../src/core/errors.js";
import type { Question } from "../../src/core/types.js";

const questions: Question[] = [
  { key: "name", type: "text", message: "Name" },
  { key: "debug", type: "confirm", message: "Debug?" },
  { key: "environments", type: "multiselect", message: "Envs", choices: [{ value: "dev" }, { value: "staging" }, { value: "prod" }] },
  { key: "port", type: "number", message: "Port" },
  { key: "goModule", type: "text", message: "Go module" },
];

const answers = (argv: string[]) => Object.fromEntries(Object.entries(parseArgs(argv, questions).answers).map(([k, g]) => [k, g.value]));

function usage(argv: string[], qs: Question[] | undefined = questions): PipelineError {
  try {
    parseArgs(argv, qs);
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    expect((e as PipelineError).code).toBe("usage");
    return e as PipelineError;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("parseArgs: confirm flags", () => {
  // What the answer becomes once checked (parseArgs keeps the raw text; coerce() reads it).
  it.each<[string[], boolean]>([
    [["--debug"], true],
    [["--no-debug"], false],
    [["--debug=false"], false],
    [["--debug=true"], true],
    [["--debug=no"], false],
    [["--debug", "false"], false],
    [["--debug", "yes"], true],
    [["--debug", "--no-debug"], false], // the last one wins
  ])("%j → %s", (argv, want) => {
    expect(coerce(questions[1]!, answers(argv).debug, "x")).toBe(want);
  });

  it("a bare confirm flag does not swallow the target folder after it", () => {
    const p = parseArgs(["--debug", "mydir"], questions);
    expect(p.answers.debug).toEqual({ value: true, where: "--debug" });
    expect(p.target).toBe("mydir");
  });

  it("--no-<flag> with a value, or --no- of a non-confirm question, is refused", () => {
    expect(usage(["--no-debug=true"]).message).toBe("option --no-debug takes no value");
    expect(usage(["--no-name"]).message).toBe("unknown option '--no-name'");
  });
});

describe("parseArgs: values, lists and targets", () => {
  it("question flags by kebab-case name, with a separate or inline value", () => {
    expect(answers(["--go-module", "example.com/x", "--port=8080", "--name", "api"])).toEqual({ goModule: "example.com/x", port: "8080", name: "api" });
    expect(parseArgs(["--port", "8080"], questions).answers.port!.where).toBe("--port");
  });

  it("a multiselect takes a comma list as one value", () => {
    expect(answers(["--environments", "dev,prod"])).toEqual({ environments: "dev,prod" });
    expect(answers(["--environments=staging"])).toEqual({ environments: "staging" });
  });

  it("a value flag without a value is refused", () => {
    const e = usage(["--name"]);
    expect(e.message).toBe("option --name needs a value");
    expect(e.hint).toBe("write --name <value>");
    expect(usage(["--name", "--debug"]).message).toBe("option --name needs a value");
  });

  it("the target is the positional argument, anywhere; a second one is refused", () => {
    expect(parseArgs(["svc", "--yes"], questions).target).toBe("svc");
    expect(parseArgs(["--yes", "svc"], questions).target).toBe("svc");
    expect(parseArgs(["create", "svc"], questions)).toMatchObject({ command: "create", target: "svc" });
    expect(parseArgs(["update", "svc"], questions)).toMatchObject({ command: "update", target: "svc" });
    const e = usage(["a", "b"]);
    expect(e.message).toBe("unexpected argument 'b' (the target folder is already 'a')");
  });

  it("after --, everything is positional: a folder named like a flag; more than one is refused", () => {
    expect(parseArgs(["--yes", "--", "--weird"], questions)).toMatchObject({ target: "--weird", flags: { yes: true } });
    expect(parseArgs(["--", "-y"], questions).flags.yes).toBe(false);
    expect(usage(["--", "a", "b"]).message).toBe("unexpected argument 'b' (the target folder is already 'a')");
    expect(usage(["a", "--", "b"]).message).toBe("unexpected argument 'b' (the target folder is already 'a')");
  });

  it("-y is --yes, -h is --help, -v is --version; other short options are refused", () => {
    expect(parseArgs(["-y"], questions).flags.yes).toBe(true);
    expect(parseArgs(["-h"], questions).flags.help).toBe(true);
    expect(parseArgs(["-v"], questions).flags.version).toBe(true);
    expect(usage(["-x"]).message).toBe("unknown option '-x'");
  });

  it("global flags: repeated --set, value flags, command-only flags", () => {
    const p = parseArgs(["--set", "a=1", "--set=b=2", "--config", "c.yaml", "--template", "./pack", "--dry-run", "--json", "--trust"], questions);
    expect(p.flags).toMatchObject({ set: ["a=1", "b=2"], config: "c.yaml", template: "./pack", dryRun: true, json: true, trust: true });
    expect(usage(["--to", "v2"]).message).toBe("option --to is for update, not create");
    expect(usage(["--yes=1"]).message).toBe("option --yes takes no value");
  });

  it("an unknown flag suggests the nearest one, pack flags included", () => {
    expect(usage(["--langauge", "go"], [...questions, { key: "language", type: "select", message: "L", choices: [{ value: "go" }] }]).hint).toBe(
      "did you mean '--language'?",
    );
    expect(usage(["--dryrun"]).hint).toBe("did you mean '--dry-run'?");
    expect(usage(["--zzzzzzzz"]).hint).toBe("`npx @create-pipeline/cli@0.1.0 create --help` lists its options and the template pack's answer flags");
  });

  it("the first pass (no pack yet) reads global flags and skips what may be answer flags", () => {
    const p = parseArgs(["--name", "api", "svc", "--template", "./pack", "--yes"]);
    expect(p).toMatchObject({ target: "svc", flags: { template: "./pack", yes: true }, answers: {} });
  });
});

describe("parseSets", () => {
  it("key=value pairs, the value may hold '='", () => {
    expect(parseSets(["port=8080", "url=https://x/?a=b"])).toEqual({
      port: { value: "8080", where: "--set port=8080" },
      url: { value: "https://x/?a=b", where: "--set url=https://x/?a=b" },
    });
    expect(() => parseSets(["port"])).toThrow("--set 'port' is not key=value");
    expect(() => parseSets(["=1"])).toThrow(PipelineError);
  });
});

describe("parseArgs: commands and option names shared with a pack", () => {
  it("a first word one typo away from a command is refused with a suggestion, not taken as a folder", () => {
    const e = usage(["updat"]);
    expect(e.message).toBe("unknown command 'updat': did you mean update?");
    expect(e.hint).toContain("./updat");
    expect(usage(["chek", "--yes"]).message).toContain("did you mean check?");
    // two neighbouring letters swapped is one slip of the fingers, whatever the word's length
    expect(usage(["chekc", "--yes"]).message).toContain("did you mean check?");
    expect(usage(["udpate"]).message).toContain("did you mean update?");
    expect(usage(["hlep"]).message).toContain("did you mean help?");
    // Words that are folder names, not typos, stay targets.
    for (const folder of ["date", "checkout", "svc", "./updat", "api"]) expect(parseArgs([folder], questions).target).toBe(folder);
  });

  it("--verbose lists files, unless the pack asks a question named verbose: then it answers it", () => {
    expect(parseArgs(["--verbose"], questions).flags.verbose).toBe(true);
    const withVerbose = [...questions, { key: "verbose", type: "confirm" as const, message: "Verbose?" }];
    const p = parseArgs(["--verbose"], withVerbose);
    expect(p.flags.verbose).toBe(false);
    expect(p.answers.verbose).toEqual({ value: true, where: "--verbose" });
    // Other options always win: a question named like one is answered with --set.
    expect(parseArgs(["--json"], [...questions, { key: "json", type: "confirm" as const, message: "J?" }]).flags.json).toBe(true);
  });
});
