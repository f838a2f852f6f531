// No write, read or delete outside the target: recorded paths (state, base, migrations), symlinked
// folders inside the target, symlinked pack folders, nested .git paths and the engine's own files.
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { hashContent } from "../../src/core/hash.js";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { makeRepo, V1 } from "../support/repo.js";

/** A copy of demo-v1 with one extra template file (path relative to files/) or manifest tweak. */
function packWith(files: Record<string, string>, edit?: (m: Record<string, unknown[]>) => void): string {
  const dir = join(tempDir("cp-pack-"), "pack");
  cpSync(V1, dir, { recursive: true });
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, "files", p, ".."), { recursive: true });
    writeFileSync(join(dir, "files", p), t);
  }
  if (edit) {
    const m = parse(readFileSync(join(dir, "template.yaml"), "utf8"));
    edit(m);
    writeFileSync(join(dir, "template.yaml"), stringify(m));
  }
  return dir;
}

describe("recorded paths are checked like rendered ones", () => {
  it("a state entry pointing outside the repository cannot make update delete that file", async () => {
    const dir = await makeRepo({ git: false });
    const victim = join(dir, "..", "victim");
    mkdirSync(victim);
    writeFileSync(join(victim, "important.txt"), "precious\n");
    const statePath = join(dir, ".create-pipeline/state.json");
    const state = JSON.parse(readFileSync(statePath, "utf8"));
    state.files["../victim/important.txt"] = { owner: "managed", hash: hashContent("precious\n") };
    writeFileSync(statePath, JSON.stringify(state));
    for (const cmd of ["update", "check"]) {
      const r = await runCli([cmd, dir, "--yes"]);
      expect(r.code, r.stderr).toBe(2);
      expect(unwrapReport(r.stderr)).toContain("unsafe path '../victim/important.txt'");
    }
    expect(readFileSync(join(victim, "important.txt"), "utf8")).toBe("precious\n");
  });

  for (const entry of [".git./hooks/pre-commit", ".GIT /hooks/pre-commit", "git~1/hooks/pre-commit"])
    it(`a state entry '${entry}' (git's folder on Windows or macOS) is refused by update and check`, async () => {
      const dir = await makeRepo({ git: false });
      const statePath = join(dir, ".create-pipeline/state.json");
      const state = JSON.parse(readFileSync(statePath, "utf8"));
      state.files[entry] = { owner: "managed", hash: hashContent("x\n") };
      writeFileSync(statePath, JSON.stringify(state));
      for (const cmd of ["update", "check"]) {
        const r = await runCli([cmd, dir, "--yes"]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(".git folder");
      }
    });

  it("a merge base entry with an unsafe path is refused", async () => {
    const dir = await makeRepo({ git: false });
    const basePath = join(dir, ".create-pipeline/base.json");
    const base = JSON.parse(readFileSync(basePath, "utf8"));
    base[".git/hooks/pre-commit"] = "#!/bin/sh\necho owned\n";
    writeFileSync(basePath, JSON.stringify(base));
    const r = await runCli(["update", dir, "--yes"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain(".git folder");
  });

  it("a malformed state file is a clear error, exit 2", async () => {
    const dir = await makeRepo({ git: false });
    for (const text of [
      "{",
      "[]",
      '{"schemaVersion":1,"pack":null,"files":{}}',
      '{"schemaVersion":1,"pack":{"name":"d","version":"1.0.0","source":"x"},"files":{"a":5}}',
    ]) {
      writeFileSync(join(dir, ".create-pipeline/state.json"), text);
      const r = await runCli(["check", dir]);
      expect(r.code, text).toBe(2);
      expect(r.stderr).not.toContain("internal error");
    }
  });

  it("a pack migration that renames a file out of the target is refused when the pack loads", async () => {
    const pack = packWith({}, (m) => m.migrations!.push({ appliesTo: "<1.0.0", renameFile: { from: "README.md", to: "../outside.md" } }));
    const r = await runCli(["create", join(tempDir(), "svc"), "--template", pack, "--yes"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("renames to '../outside.md'");
  });

  it("a pack migration that declares a file outside the target dropped is refused when the pack loads", async () => {
    const pack = packWith({}, (m) => m.migrations!.push({ appliesTo: "<1.0.0", dropFile: "../victim/important.txt" }));
    const r = await runCli(["create", join(tempDir(), "svc"), "--template", pack, "--yes"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("drops '../victim/important.txt'");
  });
});

describe("symlinks and git's folder", () => {
  it("a symlinked folder inside the target that leads outside is refused: nothing is written there", async () => {
    const dir = await makeRepo({ git: false });
    const elsewhere = join(tempDir(), "elsewhere");
    mkdirSync(elsewhere);
    // The user (or a checked-out repository) replaced config/ by a link to elsewhere.
    const { renameSync } = await import("node:fs");
    renameSync(join(dir, "config"), join(elsewhere, "config"));
    symlinkSync(join(elsewhere, "config"), join(dir, "config"));
    const before = readFileSync(join(elsewhere, "config", "values.yaml"), "utf8");
    const r = await runCli(["update", dir, "--yes", "--set", "debug=true", "--allow-dirty"]);
    expect(r.code, r.stderr).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("outside the target");
    expect(readFileSync(join(elsewhere, "config", "values.yaml"), "utf8")).toBe(before);
    const c = await runCli(["create", join(tempDir(), "x"), "--template", V1, "--yes"]);
    expect(c.code).toBe(0);
  });

  it("create --force into a folder whose .github is a link elsewhere writes nothing there", async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(dir, "config"));
    const r = await runCli(["create", dir, "--template", V1, "--yes", "--force", "--language", "go"]);
    expect(r.code, r.stderr).toBe(2);
    expect(existsSync(join(elsewhere, "values.yaml"))).toBe(false);
    expect(existsSync(join(dir, ".create-pipeline"))).toBe(false);
  });

  for (const folder of ["files", "partials", "data"]) {
    it(`a pack whose ${folder}/ folder is a symlink is refused`, async () => {
      const pack = join(tempDir(), "pack");
      cpSync(V1, pack, { recursive: true });
      const outside = tempDir();
      writeFileSync(join(outside, "secret.yaml"), "secret: 1\n");
      if (folder === "files") {
        const { rmSync } = await import("node:fs");
        rmSync(join(pack, "files"), { recursive: true });
      }
      symlinkSync(outside, join(pack, folder));
      const r = await runCli(["create", join(tempDir(), "svc"), "--template", pack, "--yes"]);
      expect(r.code).toBe(2);
      expect(unwrapReport(r.stderr)).toContain(`pack folder '${folder}' is a symlink`);
    });
  }

  // On Windows and macOS (case-insensitive, trailing dots and spaces dropped, NTFS short names,
  // HFS+-ignorable code points) each of these is git's folder or the engine's own file.
  for (const path of [
    "sub/.git/hooks/pre-commit",
    ".GIT/config",
    ".git./hooks/pre-commit",
    ".git /config",
    "sub/GIT~1/hooks/post-checkout",
    ".g\u200cit/config",
    ".create-pipeline/state.json",
    ".create-pipeline.yaml",
    ".Create-Pipeline.yaml.",
  ]) {
    it(`a pack that writes ${path} is refused with exit 2`, async () => {
      const pack = packWith({ [path]: "x\n" });
      const target = join(tempDir(), "svc");
      const r = await runCli(["create", target, "--template", pack, "--yes"]);
      expect(r.code, r.stderr).toBe(2);
      expect(unwrapReport(r.stderr)).toContain(`unsafe path: '${path}'`);
      expect(existsSync(target)).toBe(false);
    });
  }

  it("a misspelt field in template.yaml (wehn) is an error naming the right one", async () => {
    const pack = packWith({}, (m) => m.files!.push({ match: "extra/**", wehn: { key: "debug", equals: true } }));
    const r = await runCli(["create", join(tempDir(), "svc"), "--template", pack, "--yes"]);
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toContain("unknown field 'wehn'");
    expect(unwrapReport(r.stderr)).toContain("did you mean 'when'?");
  });

  it("a newline in the pack's path cannot add keys to the answers file", async () => {
    const parent = tempDir();
    const pack = join(parent, "evil\nport: 1\nx");
    cpSync(V1, pack, { recursive: true });
    const target = join(tempDir(), "svc");
    const r = await runCli(["create", target, "--template", pack, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    const answers = readFileSync(join(target, ".create-pipeline.yaml"), "utf8");
    expect(answers).not.toMatch(/^port: 1$/m);
    expect(Object.keys(parse(answers))).not.toContain("x");
  });
});

describe("names the tool writes through are its own", () => {
  it("a symlink planted at a temp file's name is replaced, never written through", async () => {
    const dir = await makeRepo({ git: false });
    const victim = join(tempDir("cp-victim-"), "bashrc");
    writeFileSync(victim, "precious\n");
    // The temp name of a file update will write, for this process (what a repository could carry).
    const planted = join(dir, `.README.md.create-pipeline-${process.pid}.tmp`);
    symlinkSync(victim, planted);
    writeFileSync(join(dir, ".create-pipeline.yaml"), readFileSync(join(dir, ".create-pipeline.yaml"), "utf8").replace(/^port: .*$/m, "port: 9999"));
    const r = await runCli(["update", dir, "--allow-dirty"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(join(dir, "README.md")).isSymbolicLink()).toBe(false);
    expect(existsSync(planted)).toBe(false);
  });

  it("a state folder that is a symlink is refused before the lock or recovery touch anything behind it", async () => {
    const outside = tempDir("cp-victim-");
    writeFileSync(join(outside, "lock"), "x\n");
    writeFileSync(join(outside, "journal.json.tmp"), "x\n");
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(outside, "lock"), old, old);
    const dir = tempDir();
    symlinkSync(outside, join(dir, ".create-pipeline"));
    for (const cmd of ["check", "update"]) {
      const r = await runCli([cmd, dir]);
      expect(r.code).toBe(2);
      expect(unwrapReport(r.stderr)).toContain("symbolic link");
    }
    expect(readFileSync(join(outside, "lock"), "utf8")).toBe("x\n");
    expect(readFileSync(join(outside, "journal.json.tmp"), "utf8")).toBe("x\n");
  });
});

describe("answers that name a folder", () => {
  for (const bad of ["services/.git.", ".GIT /api", "services/git~1", ".create-pipeline./api"])
    it(`a service folder '${bad}' in the answers file is refused with exit 2, nothing written`, async () => {
      const dir = join(tempDir("cp-mono-"), "shop");
      const samples = join(import.meta.dirname, "..", "fixtures", "services");
      cpSync(join(samples, "node"), join(dir, "services", "api"), { recursive: true });
      cpSync(join(samples, "go"), join(dir, "services", "gw"), { recursive: true });
      const created = await runCli(["create", dir, "--yes", "--owner", "acme"]);
      expect(created.code, created.stderr).toBe(0);
      const file = join(dir, ".create-pipeline.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("path: services/gw", `path: ${JSON.stringify(bad)}`));
      const before = readFileSync(file, "utf8");
      for (const cmd of ["check", "update"]) {
        const r = await runCli([cmd, dir, "--yes"]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`service folder '${bad}' cannot be used`);
      }
      expect(readFileSync(file, "utf8")).toBe(before);
    });
});

describe("names that would not survive the files they land in", () => {
  it("detection leaves out a service folder whose name the generated files cannot carry, and says why", async () => {
    const dir = join(tempDir("cp-mono-"), "shop");
    const samples = join(import.meta.dirname, "..", "fixtures", "services");
    cpSync(join(samples, "node"), join(dir, "services", "api"), { recursive: true });
    cpSync(join(samples, "go"), join(dir, "services", "gw"), { recursive: true });
    cpSync(join(samples, "node"), join(dir, "services", "my $(id) api"), { recursive: true });
    const r = await runCli(["create", dir, "--yes", "--owner", "acme"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("services/my $(id) api");
    expect(r.stdout).toContain("cannot carry as it is");
    const answers = parse(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8")) as { services: { path: string }[] };
    expect(answers.services.map((s) => s.path)).toEqual(["services/api", "services/gw"]);
  });

  for (const name of ["5", "2048-game", "on", "null", "yes"])
    it(`a service named '${name}' (not a string to YAML, or not a DNS-1035 label) is refused with exit 2`, async () => {
      const target = join(tempDir(), "svc");
      const r = await runCli(["create", target, "--yes", "--language", "go", "--owner", "acme", "--name", name]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`name: '${name}'`);
      expect(existsSync(target)).toBe(false);
    });
});

describe("keys that are not data", () => {
  it("a '__proto__' key in the answers file or a --config file is refused, never silently dropped", async () => {
    const dir = await makeRepo({ git: false });
    const file = join(dir, ".create-pipeline.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}__proto__:\n  port: 1\n`);
    for (const cmd of ["check", "update"]) {
      const r = await runCli([cmd, dir, "--yes"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("has a key '__proto__'");
    }
    const config = join(tempDir(), "answers.json");
    writeFileSync(config, '{"name": "svc", "__proto__": {"port": 1}}');
    const r = await runCli(["create", join(tempDir(), "svc"), "--template", V1, "--yes", "--config", config]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("has a key '__proto__'");
  });
});
