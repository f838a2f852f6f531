// A first argument one edit from a command (two for longer words) is a mistyped command, not a
// folder to create into: "did you mean <command>?", exit 2, nothing written, in text and in
// --json (whose envelope names no command it did not run).
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/options.js";
import { REPO, runCli, tempDir, unwrapReport } from "../support/cli.js";

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(REPO, "docs", "cli.schema.json"), "utf8")));

/** Near-misses of each command: a letter dropped, doubled, swapped or changed, a capital. */
const NEAR: Record<string, string[]> = {
  create: ["crate", "creat", "craete", "Create", "ceate", "createe", "CREATE"],
  update: ["updat", "udpate", "upadte", "Update", "updte", "updatee"],
  check: ["chek", "chekc", "cehck", "Check", "chec", "checkk", "chack"],
  diff: ["dif", "dfif", "Diff", "diif", "difff"],
  add: ["ad", "Add", "addd", "adf"],
  schema: ["schem", "shcema", "Schema", "scheme", "schemaa"],
  help: ["hepl", "halp", "Help", "hel", "helpp"],
};

describe("a mistyped command", () => {
  it("the near-misses cover every command", () => {
    expect(Object.keys(NEAR).sort()).toEqual([...COMMANDS].sort());
  });

  for (const [command, typos] of Object.entries(NEAR))
    it(`${typos.join(", ")}: did you mean ${command}? (exit 2, nothing written, text and --json)`, async () => {
      const cwd = tempDir();
      for (const typo of typos) {
        const text = await runCli([typo], { cwd });
        expect(text.code, typo).toBe(2);
        expect(text.stdout, typo).toBe("");
        expect(unwrapReport(text.stderr), typo).toContain(`unknown command '${typo}': did you mean ${command}?`);
        const json = await runCli([typo, "--json"], { cwd });
        expect(json.code, typo).toBe(2);
        const out = JSON.parse(json.stdout);
        expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
        expect(out).toMatchObject({ ok: false, exitCode: 2, command: "unknown", error: { code: "usage" } });
        expect(out.error.message).toBe(`unknown command '${typo}': did you mean ${command}?`);
        expect(out.error.where).toBe(typo);
      }
      expect(readdirSync(cwd)).toEqual([]);
    });

  it("another tool's word for a command (upgrade, init, new, status, verify): did you mean …? (exit 2, nothing written)", async () => {
    const cwd = tempDir();
    for (const [word, command] of [
      ["upgrade", "update"],
      ["init", "create"],
      ["new", "create"],
      ["status", "check"],
      ["verify", "check"],
      ["Upgrade", "update"],
    ] as const) {
      const text = await runCli([word, "--yes"], { cwd });
      expect(text.code, word).toBe(2);
      expect(unwrapReport(text.stderr), word).toContain(`unknown command '${word}': did you mean ${command}?`);
      expect(unwrapReport(text.stderr), word).not.toContain("owner");
    }
    expect(readdirSync(cwd)).toEqual([]);
    // A folder of that name is still create's target.
    mkdirSync(join(cwd, "new"));
    const r = await runCli(["new", "--json"], { cwd });
    expect(JSON.parse(r.stdout).command).toBe("create");
  });

  it("a folder of that name is create's target, and its envelope says create", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "chek"));
    const r = await runCli(["chek", "--json"], { cwd });
    const out = JSON.parse(r.stdout);
    // create ran into it (and asks for the owner it needs): no "did you mean".
    expect(out.command).toBe("create");
    expect(out.error.code).toBe("validation");
    expect(out.error.message).not.toContain("did you mean");
    expect(readdirSync(join(cwd, "chek"))).toEqual([]);
  });
});
