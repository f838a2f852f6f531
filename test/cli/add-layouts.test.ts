// `add` appends a service to the services list of the answers file, whatever valid layout the team
// gave that list: the file read back must be the old answers plus that item, or nothing is written.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../support/cli.js";
import { commitAll, git } from "../support/repo.js";

const SAMPLES = join(REPO, "test", "fixtures", "services");

/** Two services made by create, committed, and a third folder not in the list yet. */
async function repo(): Promise<string> {
  const dir = join(tempDir("cp-add-"), "shop");
  mkdirSync(dir, { recursive: true });
  cpSync(join(SAMPLES, "node"), join(dir, "services", "api"), { recursive: true });
  cpSync(join(SAMPLES, "python"), join(dir, "services", "worker"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  const r = await runCli(["create", dir, "--yes"]);
  expect(r.code, r.stderr).toBe(0);
  commitAll(dir, "create");
  cpSync(join(SAMPLES, "go"), join(dir, "services", "gateway"), { recursive: true });
  commitAll(dir, "gateway");
  return dir;
}

const answers = (dir: string) => readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");

/** The answers file with its services list rewritten by `layout` (same content). */
function relayout(dir: string, layout: (items: Record<string, unknown>[]) => string): Record<string, unknown>[] {
  const text = answers(dir);
  const items = parse(text).services as Record<string, unknown>[];
  const at = text.search(/^services:/m);
  writeFileSync(join(dir, ".create-pipeline.yaml"), `${text.slice(0, at)}${layout(items)}`);
  expect(parse(answers(dir)).services).toEqual(items);
  commitAll(dir, "relayout");
  return items;
}

async function addsGateway(dir: string, before: Record<string, unknown>[]) {
  const r = await runCli(["add", "services/gateway"], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const after = parse(answers(dir)).services as Record<string, unknown>[];
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.map((s) => s.path)).toEqual([...before.map((s) => s.path), "services/gateway"]);
  expect(existsSync(join(dir, "services/gateway/Dockerfile"))).toBe(true);
  commitAll(dir, "add");
  const check = await runCli(["check", dir]);
  expect(check.code, check.stdout + check.stderr).toBe(0);
}

describe("add keeps the answers file valid whatever the layout of its services list", () => {
  it("a flow-style list", async () => {
    const dir = await repo();
    const items = relayout(
      dir,
      (xs) =>
        `services: [${xs
          .map(
            (x) =>
              `{${Object.entries(x)
                .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
                .join(", ")}}`,
          )
          .join(", ")}]\n`,
    );
    await addsGateway(dir, items);
  });

  it("a block list with its items at column 0, and CRLF line endings", async () => {
    const dir = await repo();
    const items = relayout(
      dir,
      (xs) =>
        `services:\n${xs
          .map((x) =>
            Object.entries(x)
              .map(([k, v], i) => `${i === 0 ? "- " : "  "}${k}: ${JSON.stringify(v)}`)
              .join("\n"),
          )
          .join("\n")}\n`,
    );
    writeFileSync(join(dir, ".create-pipeline.yaml"), answers(dir).replace(/\n/g, "\r\n"));
    commitAll(dir, "crlf");
    await addsGateway(dir, items);
    expect(answers(dir)).not.toMatch(/[^\r]\n/);
  });
});
