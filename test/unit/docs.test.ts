// docs/cli.md's commands and options tables are generated from the one declaration
// (src/cli/options.ts): this keeps them equal. UPDATE_DOCS=1 rewrites them.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandHelp, commandsMarkdown, optionsMarkdown, usage } from "../../src/cli/help.js";
import { COMMANDS, OPTIONS } from "../../src/cli/options.js";
import { REPO } from "../support/cli.js";

const DOC = join(REPO, "docs", "cli.md");

function section(text: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  expect(text, `docs/cli.md has <!-- ${name}:start/end --> markers`).toMatch(re);
  return text.replace(re, `$1${body}\n$2`);
}

describe("docs/cli.md", () => {
  it("its commands and options tables are the declared ones", () => {
    const text = readFileSync(DOC, "utf8");
    const want = section(section(text, "commands", commandsMarkdown()), "options", optionsMarkdown());
    if (process.env.UPDATE_DOCS === "1") writeFileSync(DOC, want);
    else expect(text).toBe(want);
  });
});

describe("help text", () => {
  it("lists every command and option, fits 80 columns, and per command only that command's options", () => {
    const all = usage();
    for (const c of COMMANDS) expect(all).toContain(`  ${c} `);
    for (const o of OPTIONS) expect(all).toContain(`--${o.name}`);
    const update = commandHelp("update");
    expect(update).toContain("--reconfigure");
    expect(update).not.toContain("--add-workflow");
    for (const text of [all, ...COMMANDS.map(commandHelp)]) for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

describe("the built-in pack's answer flags in help", () => {
  it("fit 80 columns", async () => {
    const { loadPack } = await import("../../src/io/pack-loader.js");
    const { packHelp } = await import("../../src/cli/help.js");
    const loaded = await loadPack({ kind: "builtin", name: "pipeline" });
    const text = packHelp(loaded.pack.manifest);
    await loaded.cleanup();
    expect(text).toContain("--registry");
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
