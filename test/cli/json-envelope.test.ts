// Every command's --json output, success and error, is one object of the documented shape:
// validated against docs/cli.schema.json, with its exit code and answer origins as printed.
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/options.js";
import { PACKS, REPO, runCli, tempDir, type RunResult } from "../support/cli.js";
import { commitAll, edit, git, makeRepo, V2, write } from "../support/repo.js";

const schema = JSON.parse(readFileSync(join(REPO, "docs", "cli.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const seen = new Set<string>();

/** The one JSON object on stdout, valid against the schema, with the process exit code in it. */
function envelope(r: RunResult): Record<string, any> {
  const out: Record<string, any> = JSON.parse(r.stdout);
  if (!validate(out)) throw new Error(`not a valid envelope: ${JSON.stringify(validate.errors, null, 2)}\n${r.stdout}`);
  expect(out.exitCode).toBe(r.code);
  expect(out.ok).toBe(r.code === 0);
  seen.add(out.command);
  return out;
}

describe("--json in a repository of several services", () => {
  it("create and check give only the shared answers at the top; each service's are in result.services with their origins", async () => {
    const dir = join(tempDir("cp-json-shared-"), "shop");
    for (const [folder, sample] of [
      ["services/a", "go"],
      ["services/b", "node"],
    ] as const)
      cpSync(join(REPO, "test", "fixtures", "services", sample), join(dir, folder), { recursive: true });
    git(dir, "init", "-q");
    const made = envelope(await runCli(["create", dir, "--owner", "acme", "--yes", "--json"]));
    commitAll(dir, "create");
    const checked = envelope(await runCli(["check", dir, "--json"]));
    for (const j of [made, checked]) {
      for (const k of ["language", "languageVersion", "port", "startCommand", "testCommand"]) expect(j.answers).not.toHaveProperty(k);
      expect(j.answers.owner).toEqual({ value: "acme", origin: "given" });
      expect(j.answers.name.value).toBe("shop");
      const b = j.result.services.find((s: { path: string }) => s.path === "services/b");
      expect(b.answers.port).toBe(3000);
      expect(b.origins.port.origin).toBe("detected");
      expect(b.origins.language.origin).toBe("detected");
    }
  });
});

describe("the --json envelope", () => {
  it("create, create --dry-run with a clash, and create errors", async () => {
    const work = tempDir();
    const made = envelope(await runCli(["svc", "--json", "--owner", "acme", "--language", "go"], { cwd: work }));
    expect(made).toMatchObject({ command: "create", pack: { name: "pipeline" } });
    expect(made.answers.language).toEqual({ value: "go", origin: "given" });
    expect(made.answers.name).toEqual({ value: "svc", origin: "detected" });
    expect(made.answers.registry).toEqual({ value: "ghcr", origin: "default" });
    expect(made.nextSteps).toContain("Next steps");

    const clash = tempDir();
    write(clash, "Dockerfile", "FROM scratch\n");
    const dry = envelope(await runCli([clash, "--json", "--dry-run", "--owner", "acme", "--language", "go", "--start-command", "./app"], { cwd: work }));
    expect(dry.dryRun).toBe(true);
    expect(dry).toMatchObject({ ok: false, exitCode: 2 });
    expect(dry.problems).toContainEqual(expect.objectContaining({ kind: "clash", path: "Dockerfile" }));
    expect(dry.files.find((f: { path: string }) => f.path === "Dockerfile").action).toBe("conflict");
    // without --dry-run the clash is an error, in the same envelope
    expect(envelope(await runCli([clash, "--json", "--owner", "acme", "--language", "go", "--start-command", "./app"], { cwd: work })).error).toMatchObject({
      code: "usage",
      message: expect.stringContaining("Dockerfile"),
    });
    expect(envelope(await runCli([tempDir(), "--json"], { cwd: work })).error).toMatchObject({ code: "validation", hint: expect.stringContaining("--owner") });
    const typo = envelope(await runCli(["updat", "--json"], { cwd: work }));
    // A mistyped command ran no create: the envelope does not say it did.
    expect(typo.command).toBe("unknown");
    expect(typo.error).toMatchObject({ code: "usage", message: "unknown command 'updat': did you mean update?" });
    expect(envelope(await runCli([tempDir(), "--json", "--template", join(PACKS, "does-not-exist")], { cwd: work })).exitCode).toBe(2);
  });

  it("update, update --dry-run, a conflicted update, check (clean, drift, a new question), diff", async () => {
    const dir = await makeRepo();
    const clean = envelope(await runCli(["check", dir, "--json"]));
    expect(clean.changes).toEqual({ answers: [] });
    edit(dir, ".create-pipeline.yaml", "port: 8080", "port: 8081");
    const drift = envelope(await runCli(["check", dir, "--json"]));
    expect(drift.changes.answers).toEqual([{ key: "port", from: 8080, to: 8081 }]);
    expect(envelope(await runCli(["check", dir, "--json", "--template", V2])).problems[0].kind).toBe("unanswered");
    commitAll(dir);
    const dry = envelope(await runCli(["update", dir, "--json", "--dry-run"]));
    expect(dry.files.find((f: { path: string }) => f.path === "README.md").because).toEqual(["port: 8080 → 8081"]);
    expect(envelope(await runCli(["update", dir, "--json"])).changes.answers).toHaveLength(1);
    edit(dir, "Dockerfile", "RUN echo build\n", "RUN echo build --debug\n");
    commitAll(dir);
    const conflicted = envelope(await runCli(["update", dir, "--json", "--template", V2, "--set", "team=core"]));
    expect(conflicted.exitCode).toBe(4);
    expect(conflicted.problems).toContainEqual(expect.objectContaining({ kind: "conflict", path: "Dockerfile" }));
    const diff = envelope(await runCli(["diff", dir, "--json"]));
    expect(diff.files.map((f: { path: string }) => f.path)).toContain("Dockerfile");
    expect(envelope(await runCli(["update", join(dir, "nope"), "--json"])).error.code).toBe("usage");
  });

  it("a repository of several services: create, add, check, update", async () => {
    const dir = tempDir();
    for (const [folder, sample] of [
      ["services/a", "go"],
      ["services/b", "node"],
      ["services/c", "python"],
    ] as const)
      cpSync(join(REPO, "test", "fixtures", "services", sample), join(dir, folder), { recursive: true });
    const made = envelope(await runCli(["create", dir, "--json", "--owner", "acme", "--services", "services/a,services/b"]));
    expect(made.result.services.map((s: { path: string }) => s.path)).toEqual(["services/a", "services/b"]);
    expect(made.result.services[0].origins.language).toEqual({ origin: "detected", from: "go.mod" });
    expect(made.answers.owner).toEqual({ value: "acme", origin: "given" });
    const added = envelope(await runCli(["add", "services/c", "--json", "--allow-dirty"], { cwd: dir }));
    expect(added.command).toBe("add");
    expect(added.files.some((f: { path: string; action: string }) => f.path === "services/c/Dockerfile" && f.action === "create")).toBe(true);
    expect(envelope(await runCli(["check", dir, "--json"])).result.drift).toBe(false);
    expect(envelope(await runCli(["update", dir, "--json"])).result.services).toHaveLength(3);
    expect(envelope(await runCli(["add", "../elsewhere", "--json"], { cwd: dir })).error.code).toBe("usage");
  });

  it("several services: update, add and check --json say what changed, shared and per service, with the answers and the pack", async () => {
    const dir = tempDir();
    for (const [folder, sample] of [
      ["services/a", "go"],
      ["services/b", "node"],
      ["services/c", "python"],
    ] as const)
      cpSync(join(REPO, "test", "fixtures", "services", sample), join(dir, folder), { recursive: true });
    expect((await runCli(["create", dir, "--owner", "acme", "--services", "services/a,services/b", "--yes"])).code).toBe(0);
    git(dir, "init", "-q");
    commitAll(dir, "create");
    // A shared answer and one service's answer, with flags (dry run and for real: the same report).
    const args = ["update", dir, "--json", "--environments", "dev,staging,prod"];
    const dry = envelope(await runCli([...args, "--dry-run"]));
    const done = envelope(await runCli(args));
    for (const u of [dry, done]) {
      expect(u.pack).toMatchObject({ name: "pipeline", source: "builtin:pipeline", from: u.pack.version });
      expect(u.answers.environments).toEqual({ value: ["dev", "staging", "prod"], origin: "given" });
      expect(u.changes.answers).toEqual([{ key: "environments", from: ["dev", "prod"], to: ["dev", "staging", "prod"] }]);
      expect(u.changes.services).toEqual([]);
    }
    commitAll(dir, "environments");
    const one = envelope(await runCli(["update", dir, "--json", "--services", "services/b", "--port", "9001"]));
    expect(one.changes.answers).toEqual([]);
    expect(one.changes.services).toEqual([{ path: "services/b", name: expect.any(String), answers: [{ key: "port", from: 3000, to: 9001 }] }]);
    commitAll(dir, "port");
    const added = envelope(await runCli(["add", "services/c", "--json"], { cwd: dir }));
    expect(added.changes.services).toEqual([
      expect.objectContaining({ path: "services/c", change: "added", answers: expect.arrayContaining([{ key: "language", to: "python" }]) }),
    ]);
    commitAll(dir, "add");
    // An answer edited in the answers file by hand: check reports it for that service.
    edit(dir, ".create-pipeline.yaml", /^( {4}port: )9001$/m, "$19002");
    const check = envelope(await runCli(["check", dir, "--json"]));
    expect(check.exitCode).toBe(3);
    expect(check.changes.services).toEqual([{ path: "services/b", name: expect.any(String), answers: [{ key: "port", from: 9001, to: 9002 }] }]);
    expect(check.answers.owner).toEqual({ value: "acme", origin: "given" });
  });

  it("schema, help and version", async () => {
    expect(envelope(await runCli(["schema", "--json"])).result.properties.language).toBeDefined();
    expect(envelope(await runCli(["help", "update", "--json"])).result).toContain("--reconfigure");
    expect(envelope(await runCli(["--version", "--json"])).result).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("a validation error carries the pack and the answers given, each with where it was given", async () => {
    const work = tempDir();
    const bad = envelope(await runCli(["svc", "--json", "--owner", "acme", "--port", "99999", "--set", "registry=ecr"], { cwd: work }));
    expect(bad.error).toMatchObject({ code: "validation", where: "--port" });
    expect(bad.pack).toMatchObject({ name: "pipeline", source: "builtin:pipeline" });
    expect(bad.target).toBe(join(work, "svc"));
    expect(bad.answers.port).toEqual({ value: "99999", origin: "given", from: "--port" });
    expect(bad.answers.registry).toEqual({ value: "ecr", origin: "given", from: "--set registry=ecr" });
    // update: the answers file's answers too, with their line
    const dir = await makeRepo();
    edit(dir, ".create-pipeline.yaml", "port: 8080", "port: 0");
    const stale = envelope(await runCli(["update", dir, "--json"]));
    expect(stale.error.code).toBe("validation");
    expect(stale.pack).toMatchObject({ name: expect.any(String), version: expect.any(String) });
    expect(stale.answers.port).toMatchObject({ value: 0, origin: "given", from: expect.stringContaining(".create-pipeline.yaml") });
  });

  it("the schema holds a several-services create to each service's origins", () => {
    const base = { schemaVersion: 1, ok: true, command: "create", exitCode: 0, dryRun: true, target: "/x", files: [] };
    const service = { path: "api", answers: { port: 8080 }, origins: { port: { origin: "detected", from: "app.py" } } };
    expect(validate({ ...base, result: { services: [service], skipped: [] } })).toBe(true);
    const { origins: _o, ...without } = service;
    expect(validate({ ...base, result: { services: [without], skipped: [] } })).toBe(false);
    expect(validate({ ...base, result: { services: [{ ...service, origins: { port: { origin: "guessed" } } }], skipped: [] } })).toBe(false);
  });

  it("the schema is strict enough to catch the old shapes", () => {
    // a create validation error without the pack it was checked against
    expect(
      validate({ schemaVersion: 1, ok: false, command: "create", exitCode: 2, error: { code: "validation", message: "port: 0 is below the minimum 1" } }),
    ).toBe(false);
    expect(validate({ ok: false, error: { code: "usage", exitCode: 2, message: "x" } })).toBe(false);
    expect(validate({ schemaVersion: 1, ok: true, command: "check", exitCode: 0, drift: false })).toBe(false);
    expect(validate({ schemaVersion: 1, ok: true, command: "create", exitCode: 0, answers: { port: 8000 } })).toBe(false);
  });

  it("covers every command", () => {
    expect([...seen].sort()).toEqual([...COMMANDS, "version", "unknown"].sort());
  });
});
