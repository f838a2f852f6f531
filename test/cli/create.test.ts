import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKS, readTree, runCli, tempDir } from "../support/cli.js";

const demo = join(PACKS, "demo-v1");

describe("create, non-interactive", () => {
  it("writes the rendered tree, the answers file and the state, and reports each file", async () => {
    const dir = join(tempDir(), "billing-api");
    const r = await runCli([dir, "--template", demo, "--yes", "--language", "go", "--environments", "prod,dev"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const tree = readTree(dir);
    expect(Object.keys(tree)).toEqual(
      expect.arrayContaining([
        ".create-pipeline.yaml",
        ".create-pipeline/state.json",
        "README.md",
        "billing-api/app.txt",
        "env/dev.yaml",
        "env/prod.yaml",
        "go-only.txt",
      ]),
    );
    // the folder name became the service name; environments come in choice order
    expect(tree["README.md"]).toContain("# billing-api");
    expect(tree["README.md"]).toMatch(/- dev\n- prod\n/);
    expect(tree["go-only.txt"]).toBe("only for go: example.com/billing-api\n");
    expect(tree[".create-pipeline.yaml"]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(tree[".create-pipeline.yaml"]).toContain("language: go");
    // The file list is collapsed to a count; --verbose lists every file.
    expect(r.stdout).not.toContain("+ README.md");
    expect(r.stdout).toMatch(/\(\d+ create; --verbose lists every file\)/);
    expect(r.stdout).toContain("gh secret set BILLING_API_TOKEN");
    expect(r.stdout).toMatch(/Answers: 2 given; 1 detected \(name billing-api\); \d+ default/);
    const verbose = await runCli([join(tempDir(), "v"), "--template", demo, "--yes", "--verbose"]);
    expect(verbose.stdout).toContain("+ README.md");
  });

  it("--dry-run writes nothing and --json describes every file", async () => {
    const dir = join(tempDir(), "svc");
    const r = await runCli([dir, "--template", demo, "--yes", "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.answers.port).toEqual({ value: 3000, origin: "default" });
    expect(out.answers.name).toEqual({ value: "svc", origin: "detected" });
    expect(out.files.find((f: { path: string }) => f.path === "README.md")).toMatchObject({ action: "create", owner: "managed" });
    expect(out.files.find((f: { path: string }) => f.path === "env/dev.yaml")).toMatchObject({ owner: "seed" });
  });

  it("takes answers from --config with --set and flags winning over it", async () => {
    const work = tempDir();
    writeFileSync(join(work, "answers.yaml"), "name: from-file\nport: 9000\nlanguage: go\n");
    const r = await runCli(["out", "--template", demo, "--config", "answers.yaml", "--set", "port=9100", "--yes"], { cwd: work });
    expect(r.code).toBe(0);
    const readme = readFileSync(join(work, "out", "README.md"), "utf8");
    expect(readme).toContain("# from-file");
    expect(readme).toContain("port 9100");
  });

  it("never overwrites an existing file silently; --force and --skip-existing decide", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "README.md"), "mine\n");
    const r = await runCli([dir, "--template", demo, "--yes", "--language", "go"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("README.md");
    expect(r.stderr).toContain("--force");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("mine\n");
    expect(existsSync(join(dir, "settings.json"))).toBe(false);

    const skip = await runCli([dir, "--template", demo, "--yes", "--language", "go", "--skip-existing"]);
    expect(skip.code).toBe(0);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("mine\n");
    expect(existsSync(join(dir, "settings.json"))).toBe(true);

    const again = await runCli([dir, "--template", demo, "--yes", "--language", "go", "--force"]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("# ");
  });

  it("refuses to create over a repo that already has a pipeline", async () => {
    const dir = tempDir();
    expect((await runCli([dir, "--template", demo, "--yes", "--language", "go"])).code).toBe(0);
    const r = await runCli([dir, "--template", demo, "--yes", "--language", "go"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("update");
  });
});

describe("create, interactive (scripted prompter)", () => {
  it("asks the questions in order, shows the detected default, confirms and writes", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "go.mod"), "module github.com/acme/ledger\n\ngo 1.25.1\n");
    const r = await runCli([dir, "--template", demo], { script: { answers: { port: "7070", environments: ["dev"] } } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked.slice(0, 6)).toEqual(["name", "language", "port", "environments", "debug", "goModule"]);
    expect(r.asked.at(-1)).toBe("select: Write these files?");
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("name: ledger");
    expect(answers).toContain("language: go");
    expect(answers).toContain("port: 7070");
    expect(r.notes.join("\n")).toContain("language: go (detected)");
    expect(r.notes.join("\n")).toContain("port: 7070 (given)");
  });

  it("cancel at the confirmation writes nothing, exits 130 and prints the command that repeats the answers", async () => {
    const work = tempDir();
    const r = await runCli(["x", "--template", demo], {
      cwd: work,
      script: { answers: { port: "7070", debug: true }, select: { "Write these files?": ["cancel"] } },
    });
    expect(r.code).toBe(130);
    expect(existsSync(join(work, "x"))).toBe(false);
    const cmd = r.stdout
      .slice(r.stdout.indexOf("npx "))
      .replace(/ \\\n /g, "")
      .trim();
    expect(cmd).toMatch(/^npx @create-pipeline\/cli@\d+\.\d+\.\d+ create x --template \S+ --port 7070 --debug --yes$/);
    // Run as printed (without npx), it creates exactly what was answered.
    const again = await runCli(cmd.split(" ").slice(3), { cwd: work });
    expect(again.code).toBe(0);
    expect(readFileSync(join(work, "x", "config", "values.yaml"), "utf8")).toContain("debug: true");
    expect(readFileSync(join(work, "x", "README.md"), "utf8")).toContain("port 7070");
  });

  it("change an answer at the confirmation, then write", async () => {
    const dir = join(tempDir(), "x");
    const r = await runCli([dir, "--template", demo], {
      script: { answers: { port: "7070" }, select: { "Write these files?": ["change", "write"], "Which answer?": ["port"] } },
    });
    expect(r.code).toBe(0);
    expect(r.asked.filter((a) => a === "port")).toHaveLength(2);
    expect(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")).toContain("port: 7070");
  });

  it("Ctrl-C at a prompt writes nothing and exits 130", async () => {
    const dir = join(tempDir(), "x");
    const r = await runCli([dir, "--template", demo], { script: { cancelAt: "port" } });
    expect(r.code).toBe(130);
    expect(existsSync(dir)).toBe(false);
  });

  it("asks per existing file: show diff, then keep mine / overwrite", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "README.md"), "mine\n");
    mkdirSync(join(dir, "config"));
    writeFileSync(join(dir, "config", "values.yaml"), "theirs: 1\n");
    const r = await runCli([dir, "--template", demo, "--yes"], { script: {} });
    // --yes never prompts, even in a terminal
    expect(r.code).toBe(2);
    const i = await runCli([dir, "--template", demo], { script: { existing: ["diff", "skip", "overwrite"] } });
    expect(i.code).toBe(0);
    expect(i.notes.join("\n")).toContain("-mine");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(dir, "config", "values.yaml"), "utf8")).toContain("resources:");
  });
});

describe("create, where the target comes from", () => {
  it("a yes/no flag followed by the folder writes into that folder, not the current one", async () => {
    const work = tempDir();
    const r = await runCli(["--debug", "svc", "--template", demo, "--yes"], { cwd: work });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(work)).toEqual(["svc"]);
    expect(readFileSync(join(work, "svc", "config", "values.yaml"), "utf8")).toContain("debug: true");
    expect(readFileSync(join(work, "svc", "README.md"), "utf8")).toContain("# svc");
  });

  it("after --, a folder named like a flag is the target; a second one is an error", async () => {
    const work = tempDir();
    const r = await runCli(["--template", demo, "--yes", "--", "--odd"], { cwd: work });
    expect(r.code).toBe(0);
    expect(existsSync(join(work, "--odd", "README.md"))).toBe(true);
    const two = await runCli(["--template", demo, "--yes", "--", "a", "b"], { cwd: work });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("unexpected argument 'b'");
    expect(existsSync(join(work, "a"))).toBe(false);
  });
});

describe("create, what detection found but did not take", () => {
  it("a health route on a router whose mounting is not followed: no path, the default shown with why", async () => {
    const dir = tempDir();
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ name: "orders", main: "src/server.js", dependencies: { express: "^4.21.0" } }),
      "src/server.js": 'const express = require("express");\nconst app = express();\nrequire("./boot")(app);\napp.listen(3000);\n',
      "src/routes/health.js": 'const router = require("express").Router();\nrouter.get("/healthz", (req, res) => res.send("ok"));\nmodule.exports = router;\n',
    };
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(join(dir, p, ".."), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    const json = JSON.parse((await runCli([dir, "--yes", "--dry-run", "--json", "--owner", "acme"])).stdout);
    expect(json.answers.healthPath).toMatchObject({ value: "", origin: "default", note: expect.stringContaining("/healthz in src/routes/health.js") });
    const text = await runCli([dir, "--yes", "--dry-run", "--owner", "acme"]);
    expect(text.code).toBe(0);
    expect(text.stdout.replace(/\n\s+/g, " ")).toMatch(
      /healthPath: \(none\)\s+\[DEFAULT: the route \/healthz in src\/routes\/health\.js is on a router whose mounting is not followed .*check it\]/,
    );
  });
});
