import { TOOL_VERSION } from "../../src/version.js";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { readTree, runCli, tempDir } from "../support/cli.js";
import { action, ageFiles, commitAll, edit, git, makeRepo, MARKER_LINE, read, snapshot, updateToV2, V1, V2, V3, write } from "../support/repo.js";

const DOCKERFILE_V1 = `# syntax=docker/dockerfile:1
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN echo build

FROM gcr.io/distroless/static-debian12
COPY --from=build /src /app
EXPOSE 8080
USER 10001
ENTRYPOINT ["/app/run"]
`;
const DOCKERFILE_V2 = DOCKERFILE_V1.replace("RUN echo build\n", "RUN echo build --release\n");

const json = (r: { stdout: string }) => JSON.parse(r.stdout);
const conflicts = (out: { problems?: { kind: string; path?: string }[] }) => (out.problems ?? []).filter((p) => p.kind === "conflict").map((p) => p.path);
const state = (dir: string) => JSON.parse(read(dir, ".create-pipeline/state.json"));

function allPaths(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === ".git") continue;
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, "");
  return out;
}

describe("update demo-v1 → demo-v2, per file", () => {
  it("takes the new render for every file nobody touched, without a conflict or a stray file", async () => {
    const dir = await makeRepo();
    const r = await updateToV2(dir, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = json(r);
    expect(read(dir, "Dockerfile")).toBe(DOCKERFILE_V2);
    expect(read(dir, ".github/workflows/ci.yml")).toContain("uses: actions/checkout@v7\n");
    expect(read(dir, "README.md")).toContain("Made with the demo pack 2.0.0.");
    expect(JSON.parse(read(dir, "settings.json")).features).toEqual({ metrics: true, tracing: false });
    expect(read(dir, "added.txt")).toBe("added in version 2 for core\n");
    for (const p of ["Dockerfile", ".github/workflows/ci.yml", "README.md", "settings.json", "config/values.yaml"]) {
      expect(action(out, p), p).toBe("update");
    }
    expect(action(out, "added.txt")).toBe("create");
    expect(conflicts(out)).toEqual([]);
    // copier/cruft complaints: no conflicts on untouched files, no .rej/.orig files, nothing left behind
    for (const p of allPaths(dir)) {
      expect(p).not.toMatch(/\.(rej|orig|bak|tmp)$/);
      expect(read(dir, p), p).not.toMatch(MARKER_LINE);
    }
  });

  it("keeps a file only the user changed byte for byte and reports it as a kept edit", async () => {
    const dir = await makeRepo();
    write(dir, "svc/app.txt", "app svc\nmy own line\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(read(dir, "svc/app.txt")).toBe("app svc\nmy own line\n");
    const entry = json(r).files.find((f: { path: string }) => f.path === "svc/app.txt");
    expect(entry).toMatchObject({ action: "keep" });
    expect(entry.reason).toMatch(/your edits kept/);
  });

  it("merges text by lines when both changed different lines", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "WORKDIR /src\n", "WORKDIR /src\nENV CGO_ENABLED=0\n");
    edit(dir, "Dockerfile", "USER 10001\n", "USER 10001\nHEALTHCHECK NONE\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(action(json(r), "Dockerfile")).toBe("merge");
    expect(read(dir, "Dockerfile")).toBe(
      DOCKERFILE_V2.replace("WORKDIR /src\n", "WORKDIR /src\nENV CGO_ENABLED=0\n").replace("USER 10001\n", "USER 10001\nHEALTHCHECK NONE\n"),
    );
  });

  it("merges values.yaml by key: the user's env var and key survive next to the template's new keys, no conflict", async () => {
    const dir = await makeRepo();
    // Both edits sit right next to lines v2 changes, so a line merge alone would conflict.
    edit(dir, "config/values.yaml", "debug: false\n", "debug: false\nowner: payments # who to page\n");
    edit(dir, "config/values.yaml", "    value: json\n", '    value: json\n  - name: EXTRA_FLAG\n    value: "on"\n');
    edit(dir, "config/values.yaml", "  memory: 128Mi\n", "  memory: 128Mi\n  gpu: 0\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(action(json(r), "config/values.yaml")).toBe("merge");
    const text = read(dir, "config/values.yaml");
    expect(text).not.toMatch(MARKER_LINE);
    expect(text).toContain("# who to page");
    expect(parseYaml(text)).toEqual({
      name: "svc",
      port: 8080,
      verbose: false,
      team: "core",
      owner: "payments",
      env: [
        { name: "LOG_FORMAT", value: "json" },
        { name: "EXTRA_FLAG", value: "on" },
      ],
      resources: { cpu: "100m", memory: "256Mi", gpu: 0 },
    });
  });

  it("merges settings.json by key: the user's feature and the template's new feature both survive", async () => {
    const dir = await makeRepo();
    write(dir, "settings.json", `${JSON.stringify({ name: "svc", port: 8080, features: { metrics: true, logs: true } }, null, 2)}\n`);
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(action(json(r), "settings.json")).toBe("merge");
    expect(JSON.parse(read(dir, "settings.json"))).toEqual({ name: "svc", port: 8080, features: { metrics: true, logs: true, tracing: false } });
  });

  it("a JSON merge keeps the user's indentation", async () => {
    const dir = await makeRepo();
    write(dir, "settings.json", `${JSON.stringify({ name: "svc", port: 8080, features: { metrics: true }, owner: "me" }, null, 4)}\n`);
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(action(json(r), "settings.json")).toBe("merge");
    expect(read(dir, "settings.json")).toBe(
      `${JSON.stringify({ name: "svc", port: 8080, features: { metrics: true, tracing: false }, owner: "me" }, null, 4)}\n`,
    );
  });

  it("deletes a file the pack dropped when untouched", async () => {
    const dir = await makeRepo();
    const r = await updateToV2(dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "dropped.txt"))).toBe(false);
    expect(r.stdout).toMatch(/- dropped\.txt\s+delete: no longer generated and untouched/);
    expect(state(dir).files["dropped.txt"]).toBeUndefined();
  });

  it("keeps and reports a file the pack dropped when the user edited it", async () => {
    const dir = await makeRepo();
    write(dir, "dropped.txt", "a file that the next version drops\nbut I use it\n");
    commitAll(dir);
    const r = await updateToV2(dir);
    expect(r.code).toBe(0);
    expect(read(dir, "dropped.txt")).toBe("a file that the next version drops\nbut I use it\n");
    expect(r.stdout).toContain("dropped.txt");
    expect(r.stdout).toMatch(/dropped\.txt.*kept because you edited it/);
    // it is the user's file now: a later update leaves it alone
    const again = await runCli(["update", dir, "--set", "port=9000", "--allow-dirty"]);
    expect(again.code).toBe(0);
    expect(read(dir, "dropped.txt")).toBe("a file that the next version drops\nbut I use it\n");
  });

  it("a file the user deleted stays deleted across updates and is reported; --restore brings it back", async () => {
    const dir = await makeRepo();
    git(dir, "rm", "-q", "Dockerfile");
    commitAll(dir, "no docker");
    const r = await updateToV2(dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "Dockerfile"))).toBe(false);
    expect(r.stdout).toMatch(/Dockerfile\s+skip: you deleted it/);
    commitAll(dir);
    // a later update that changes the file's template input still does not resurrect it
    const again = await runCli(["update", dir, "--set", "port=9000"]);
    expect(again.code).toBe(0);
    expect(existsSync(join(dir, "Dockerfile"))).toBe(false);
    expect(read(dir, "README.md")).toContain("port 9000");
    commitAll(dir);
    const check = await runCli(["check", dir]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/Deleted by you[^]*Dockerfile/);

    const restored = await runCli(["update", dir, "--restore"]);
    expect(restored.code).toBe(0);
    expect(read(dir, "Dockerfile")).toBe(DOCKERFILE_V2.replace("EXPOSE 8080", "EXPOSE 9000"));
  });

  it("moves a renamed file and keeps the user's edits in it; nothing is left at the old name", async () => {
    const dir = await makeRepo();
    write(dir, "old-name.txt", "the old name\nwith my notes\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
    expect(read(dir, "new-name.txt")).toBe("the old name\nwith my notes\n");
    const out = json(r);
    expect(out.files.find((f: { path: string }) => f.path === "new-name.txt")).toMatchObject({ from: "old-name.txt" });
    expect(action(out, "old-name.txt")).toBe("delete");
    expect(state(dir).files["old-name.txt"]).toBeUndefined();
    expect(state(dir).files["new-name.txt"]).toBeDefined();
  });

  it("moves an untouched renamed file", async () => {
    const dir = await makeRepo();
    const r = await updateToV2(dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
    expect(read(dir, "new-name.txt")).toBe("the old name\n");
    expect(r.stdout).toMatch(/new-name\.txt\s+\w+ from old-name\.txt/);
  });

  it("a renamed file the user had deleted stays deleted, also on the next update", async () => {
    const dir = await makeRepo();
    git(dir, "rm", "-q", "old-name.txt");
    commitAll(dir);
    expect((await updateToV2(dir)).code).toBe(0);
    expect(existsSync(join(dir, "new-name.txt"))).toBe(false);
    commitAll(dir);
    const again = await runCli(["update", dir, "--set", "port=9000"]);
    expect(again.code).toBe(0);
    expect(existsSync(join(dir, "new-name.txt"))).toBe(false);
    expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
  });

  it("a rename the user already made by hand is merged at the new name, not duplicated", async () => {
    const dir = await makeRepo();
    git(dir, "mv", "old-name.txt", "new-name.txt");
    write(dir, "new-name.txt", "the old name\nmoved early\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(read(dir, "new-name.txt")).toBe("the old name\nmoved early\n");
    expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
    expect(action(json(r), "new-name.txt")).toBe("keep");
  });

  it("a rename never overwrites a file the user already has at the new name", async () => {
    const dir = await makeRepo();
    write(dir, "new-name.txt", "my own file\n");
    commitAll(dir);
    const r = await updateToV2(dir);
    // the user's file is not lost: the pack's new file and theirs meet as a conflict
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("new-name.txt");
    expect(read(dir, "new-name.txt")).toBe("<<<<<<< ours\nmy own file\n=======\nthe old name\n>>>>>>> create-pipeline\n");
    expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
  });

  it("applies the declarative answer migration (debug → verbose) and records the new answers", async () => {
    const dir = await makeRepo({ args: ["--debug"] });
    const r = await updateToV2(dir);
    expect(r.code).toBe(0);
    const answers = parseYaml(read(dir, ".create-pipeline.yaml"));
    expect(answers.verbose).toBe(true);
    expect(answers.team).toBe("core");
    expect(answers).not.toHaveProperty("debug");
    expect(read(dir, "config/values.yaml")).toContain("verbose: true\nteam: core\n");
  });
});

describe("update across versions (demo-v3: list items added, a second rename, a dropped answer)", () => {
  it("v1 → v3 in one step follows chained renames: the edited file lands at the last name, nothing is left behind", async () => {
    const dir = await makeRepo();
    write(dir, "old-name.txt", "the old name\nmine\n");
    commitAll(dir);
    const r = await runCli(["update", dir, "--template", V3, "--set", "team=core", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(read(dir, "docs/new-name.txt")).toBe("the old name\nmine\n");
    expect(existsSync(join(dir, "old-name.txt"))).toBe(false);
    expect(existsSync(join(dir, "new-name.txt"))).toBe(false);
    expect(json(r).files.find((f: { path: string }) => f.path === "docs/new-name.txt")).toMatchObject({ from: "old-name.txt" });
    expect(Object.keys(state(dir).files).filter((p) => p.includes("name.txt"))).toEqual(["docs/new-name.txt"]);
  });

  it("a new question with a detected default is answered by detection, as create would", async () => {
    const dir = await makeRepo();
    git(dir, "remote", "add", "origin", "git@github.com:acme/svc.git");
    const r = await runCli(["update", dir, "--template", V3, "--set", "team=core"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(parseYaml(read(dir, ".create-pipeline.yaml")).owner).toBe("acme");
    expect(read(dir, "README.md")).toContain("Owned by acme.");
    // a stored answer is never replaced by detection
    git(dir, "remote", "set-url", "origin", "git@github.com:other/svc.git");
    commitAll(dir);
    expect((await runCli(["check", dir])).code).toBe(0);
    expect((await runCli(["update", dir])).stdout).toContain("Nothing to update");
  });

  it("v1 → v2 → v3 with edits between: list items merge by identity, the dropped answer goes, a same change on both sides is clean", async () => {
    const dir = await makeRepo();
    expect((await updateToV2(dir)).code).toBe(0);
    commitAll(dir, "v2");
    // Both sit exactly where v3 adds its own list item, so only a merge by item identity is clean.
    edit(dir, "config/values.yaml", "    value: json\n", "    value: json\n  - name: EXTRA\n    value: x\n");
    edit(
      dir,
      ".github/workflows/ci.yml",
      "          persist-credentials: false\n",
      "          persist-credentials: false\n      - name: Build\n        run: echo build\n",
    );
    edit(dir, "settings.json", '"tracing": false', '"tracing": true');
    edit(dir, "new-name.txt", "the old name\n", "the old name\nv2 notes\n");
    commitAll(dir, "edits");
    const r = await runCli(["update", dir, "--template", V3, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = json(r);
    expect(conflicts(out)).toEqual([]);
    expect(action(out, "config/values.yaml")).toBe("merge");
    expect(action(out, ".github/workflows/ci.yml")).toBe("merge");
    const values = parseYaml(read(dir, "config/values.yaml"));
    expect(values.env.map((e: { name: string }) => e.name).sort()).toEqual(["EXTRA", "LOG_FORMAT", "REGION"]);
    expect(values.resources.memory).toBe("256Mi");
    const steps = parseYaml(read(dir, ".github/workflows/ci.yml")).jobs.test.steps.map((s: { name: string }) => s.name);
    expect(steps[0]).toBe("Checkout");
    expect(steps.at(-1)).toBe("Test");
    expect([...steps].sort()).toEqual(["Build", "Checkout", "Lint", "Test"]);
    expect(JSON.parse(read(dir, "settings.json")).features).toEqual({ metrics: true, tracing: true });
    expect(read(dir, "docs/new-name.txt")).toBe("the old name\nv2 notes\n");
    expect(existsSync(join(dir, "new-name.txt"))).toBe(false);
    const answers = parseYaml(read(dir, ".create-pipeline.yaml"));
    expect(answers).not.toHaveProperty("registry");
    expect(answers.team).toBe("core");
    expect(read(dir, ".create-pipeline.yaml")).toContain("demo@3.0.0");
    commitAll(dir, "v3");
    expect((await runCli(["check", dir])).code).toBe(0);
  });
});

describe("update: answers", () => {
  it("rewrites only the answers that changed in .create-pipeline.yaml: the user's comments stay", async () => {
    const dir = await makeRepo();
    edit(dir, ".create-pipeline.yaml", "port: 8080\n", "# the load balancer expects this port\nport: 8080 # do not change\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--environments", "dev,staging,prod");
    expect(r.code).toBe(0);
    const text = read(dir, ".create-pipeline.yaml");
    expect(text).toContain("# the load balancer expects this port\nport: 8080 # do not change\n");
    expect(text).toContain("demo@2.0.0");
    expect(text).not.toContain("demo@1.0.0");
    expect(parseYaml(text)).toEqual({
      name: "svc",
      language: "go",
      port: 8080,
      environments: ["dev", "staging", "prod"],
      verbose: false,
      goModule: "example.com/svc",
      registry: "ghcr.io",
      team: "core",
    });
    // in question order, as create writes them
    expect(Object.keys(parseYaml(text))).toEqual(["name", "language", "port", "environments", "verbose", "goModule", "registry", "team"]);
  });

  it("without a terminal, a new required question is an error naming its flag, and nothing is written", async () => {
    const dir = await makeRepo();
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V2]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("team");
    expect(r.stderr).toContain("--team");
    expect(snapshot(dir)).toEqual(before);
  });

  it("takes new answers from flags and --config on top of the stored ones", async () => {
    const dir = await makeRepo({ args: ["--port", "7000"] });
    const work = tempDir();
    write(work, "answers.yaml", "team: platform\nenvironments: [dev, staging, prod]\n");
    const r = await runCli(["update", dir, "--template", V2, "--config", join(work, "answers.yaml"), "--verbose"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const answers = parseYaml(read(dir, ".create-pipeline.yaml"));
    expect(answers).toMatchObject({ port: 7000, team: "platform", verbose: true, environments: ["dev", "staging", "prod"] });
    expect(read(dir, "env/staging.yaml")).toBe("environment: staging\nreplicas: 1\n");
    expect(read(dir, "README.md")).toContain("port 7000");
  });

  it("interactively asks only the new question without a default", async () => {
    const dir = await makeRepo({ args: ["--port", "7000"] });
    const r = await runCli(["update", dir, "--template", V2], { script: { answers: { team: "ops" } } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked).toEqual(["team", "confirm: Apply these changes?"]);
    expect(parseYaml(read(dir, ".create-pipeline.yaml"))).toMatchObject({ port: 7000, team: "ops" });
    expect(read(dir, "added.txt")).toBe("added in version 2 for ops\n");
  });

  it("--reconfigure asks every question with the current answers as defaults", async () => {
    const dir = await makeRepo({ args: ["--port", "7000", "--environments", "staging", "--debug"] });
    const r = await runCli(["update", dir, "--template", V2, "--reconfigure"], { script: { answers: { team: "ops", environments: ["dev", "staging"] } } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.asked).toEqual(["name", "language", "port", "environments", "verbose", "goModule", "team", "confirm: Apply these changes?"]);
    // accepting the offered defaults kept the current answers, not the pack's defaults (3000/8080, false)
    expect(parseYaml(read(dir, ".create-pipeline.yaml"))).toEqual({
      name: "svc",
      language: "go",
      port: 7000,
      environments: ["dev", "staging"],
      verbose: true,
      goModule: "example.com/svc",
      registry: "ghcr.io",
      team: "ops",
    });
    expect(existsSync(join(dir, "env/dev.yaml"))).toBe(true);
  });

  it("--reconfigure keeps advanced answers it does not ask", async () => {
    const dir = await makeRepo();
    expect((await updateToV2(dir, "--set", "registry=quay.io")).code).toBe(0);
    const r = await runCli(["update", dir, "--reconfigure", "--allow-dirty"], { script: { answers: { port: 9000 } } });
    expect(r.code).toBe(0);
    expect(r.asked).not.toContain("registry");
    expect(parseYaml(read(dir, ".create-pipeline.yaml"))).toMatchObject({ port: 9000, registry: "quay.io", team: "core" });
  });

  it("declining the confirmation writes nothing and exits 130", async () => {
    const dir = await makeRepo();
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V2], { script: { answers: { team: "ops" }, confirm: false } });
    expect(r.code).toBe(130);
    expect(snapshot(dir)).toEqual(before);
  });

  it("--reconfigure without a terminal is refused rather than ignored", async () => {
    const dir = await makeRepo();
    const r = await runCli(["update", dir, "--reconfigure"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--reconfigure");
  });
});

describe("update: conflicts", () => {
  async function conflicted() {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "RUN echo build\n", "RUN echo build --debug\n");
    commitAll(dir);
    const r = await updateToV2(dir);
    return { dir, r };
  }

  it("writes standard markers in the file, lists it, exits 4, and still updates the rest and the state", async () => {
    const { dir, r } = await conflicted();
    expect(r.code).toBe(4);
    expect(read(dir, "Dockerfile")).toBe(
      DOCKERFILE_V1.replace("RUN echo build\n", "<<<<<<< ours\nRUN echo build --debug\n=======\nRUN echo build --release\n>>>>>>> create-pipeline\n"),
    );
    expect(r.stderr).toContain("Dockerfile");
    expect(r.stderr).toMatch(/1 file has conflicts/);
    expect(r.stdout).toMatch(/! Dockerfile\s+conflict/);
    expect(read(dir, ".github/workflows/ci.yml")).toContain("actions/checkout@v7");
    expect(existsSync(join(dir, "added.txt"))).toBe(true);
    expect(state(dir).pack.version).toBe("2.0.0");
    expect(allPaths(dir).filter((p) => /\.(rej|orig)$/.test(p))).toEqual([]);
  });

  it("--json lists the conflict with ok false", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "RUN echo build\n", "RUN echo build --debug\n");
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(4);
    const out = json(r);
    expect(out).toMatchObject({ ok: false, command: "update", exitCode: 4 });
    expect(conflicts(out)).toEqual(["Dockerfile"]);
    expect(action(out, "Dockerfile")).toBe("conflict");
  });

  it("re-running update after resolving changes nothing and check passes", async () => {
    const { dir } = await conflicted();
    write(dir, "Dockerfile", DOCKERFILE_V2.replace("--release", "--release --debug"));
    commitAll(dir, "resolve");
    const before = snapshot(dir);
    const again = await runCli(["update", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing to update");
    expect(snapshot(dir)).toEqual(before);
    expect((await runCli(["check", dir])).code).toBe(0);
    expect((await runCli(["check", dir, "--strict"])).code).toBe(3);
  });

  it("re-running update with the markers still there says so instead of passing", async () => {
    const { dir } = await conflicted();
    commitAll(dir, "not resolved");
    const again = await runCli(["update", dir]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("Dockerfile");
    const check = await runCli(["check", dir]);
    expect(check.code).toBe(3);
    expect(check.stdout).toContain("Dockerfile");
  });
});

describe("update: half-resolved conflicts", () => {
  // The user resolved part of a conflict: some markers (of ours or of git's, any label) remain.
  const LEFTOVERS: [string, (text: string) => string][] = [
    ["only the start marker", (t) => t.replace("RUN echo build\n", "<<<<<<< ours\nRUN echo build --debug\n")],
    ["only the end marker", (t) => t.replace("RUN echo build\n", "RUN echo build --debug\n>>>>>>> create-pipeline\n")],
    ["only the separator", (t) => t.replace("RUN echo build\n", "RUN echo build --debug\n=======\nRUN echo build --release\n")],
    ["git's own markers", (t) => t.replace("RUN echo build\n", "<<<<<<< HEAD\nRUN echo build --debug\n=======\nRUN echo build\n>>>>>>> feature\n")],
  ];
  for (const [what, leave] of LEFTOVERS) {
    it(`${what}: check fails and update stops (exit 4) without merging over it`, async () => {
      const dir = await makeRepo();
      write(dir, "Dockerfile", leave(read(dir, "Dockerfile")));
      commitAll(dir, "half resolved");
      const check = await runCli(["check", dir]);
      expect(check.code).toBe(3);
      expect(check.stdout).toContain("Dockerfile");
      const before = snapshot(dir);
      const r = await updateToV2(dir);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/Dockerfile.*conflict markers/);
      expect(snapshot(dir)).toEqual(before);
      expect(state(dir).pack.version).toBe("1.0.0");
    });
  }
});

describe("update: git and the working tree", () => {
  it("works outside git", async () => {
    const dir = await makeRepo({ git: false });
    edit(dir, "Dockerfile", "WORKDIR /src\n", "WORKDIR /src\nENV A=1\n");
    const r = await updateToV2(dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(read(dir, "Dockerfile")).toContain("ENV A=1\n");
    expect(read(dir, "Dockerfile")).toContain("--release");
  });

  it("refuses (exit 2) when a file it would change has uncommitted edits, naming it and the way out; --allow-dirty proceeds", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "WORKDIR /src\n", "WORKDIR /src\nENV A=1\n");
    const before = snapshot(dir);
    const r = await updateToV2(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Dockerfile");
    expect(r.stderr).toContain("--allow-dirty");
    expect(r.stderr).toMatch(/commit/);
    expect(snapshot(dir)).toEqual(before);

    const ok = await updateToV2(dir, "--allow-dirty");
    expect(ok.code).toBe(0);
    expect(read(dir, "Dockerfile")).toContain("ENV A=1\n");
    expect(read(dir, "Dockerfile")).toContain("--release");
  });

  it("a staged but uncommitted edit also counts as dirty", async () => {
    const dir = await makeRepo();
    edit(dir, "settings.json", '"port": 8080', '"port": 8081');
    git(dir, "add", "settings.json");
    const r = await updateToV2(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("settings.json");
  });

  it("unrelated untracked and modified files, and edited files it keeps as they are, do not block", async () => {
    const dir = await makeRepo();
    write(dir, "notes.md", "tracked\n");
    commitAll(dir);
    write(dir, "notes.md", "tracked, now modified\n");
    write(dir, "scratch.txt", "untracked\n");
    write(dir, "svc/app.txt", "app svc\nmine, uncommitted\n"); // the template does not change it
    write(dir, "env/dev.yaml", "environment: dev\nreplicas: 2\n"); // a seed: the user's
    const r = await updateToV2(dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(read(dir, "notes.md")).toBe("tracked, now modified\n");
    expect(read(dir, "scratch.txt")).toBe("untracked\n");
    expect(read(dir, "svc/app.txt")).toBe("app svc\nmine, uncommitted\n");
    expect(read(dir, "env/dev.yaml")).toBe("environment: dev\nreplicas: 2\n");
  });

  it("works in a repo inside a subfolder of the git work tree", async () => {
    const root = tempDir();
    git(root, "init", "-q");
    const r0 = await runCli(["create", join(root, "services", "svc"), "--template", V1, "--yes", "--language", "go"]);
    expect(r0.code).toBe(0);
    commitAll(root);
    const dir = join(root, "services", "svc");
    edit(dir, "Dockerfile", "WORKDIR /src\n", "WORKDIR /src\nENV A=1\n");
    const r = await updateToV2(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Dockerfile");
    commitAll(root);
    expect((await updateToV2(dir)).code).toBe(0);
  });

  it("updates a fresh clone exactly like the original: the merge base travels with the repo", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "WORKDIR /src\n", "WORKDIR /src\nENV CGO_ENABLED=0\n");
    edit(dir, "config/values.yaml", "    value: json\n", "    value: json\n  - name: EXTRA\n    value: x\n");
    commitAll(dir);
    const clone = join(tempDir(), "clone");
    execFileSync("git", ["clone", "-q", dir, clone], { stdio: "ignore" });
    const a = await updateToV2(dir);
    const b = await updateToV2(clone);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    expect(a.code).toBe(0);
    expect(readTree(clone)).toEqual(readTree(dir));
    // merged, not merely kept: that needs the stored base
    expect(read(clone, "Dockerfile")).toContain("ENV CGO_ENABLED=0\n");
    expect(read(clone, "Dockerfile")).toContain("--release");
    expect(read(clone, "config/values.yaml")).toContain("memory: 256Mi");
    expect(read(clone, "config/values.yaml")).toContain("name: EXTRA");
  });
});

describe("update: Windows line endings (core.autocrlf)", () => {
  it("a checkout with CRLF files is not a hand edit: no conflicts on untouched files, edits still merge, endings kept", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "WORKDIR /src\n", "WORKDIR /src\nENV A=1\n");
    commitAll(dir);
    const clone = join(tempDir(), "win");
    execFileSync("git", ["clone", "-q", "-c", "core.autocrlf=true", dir, clone], { stdio: "ignore" });
    expect(read(clone, "README.md")).toContain("\r\n"); // the test means something only if git converted
    const check = await runCli(["check", clone, "--strict", "--json"]);
    expect(check.code).toBe(3); // the Dockerfile edit is a real hand edit...
    expect(
      JSON.parse(check.stdout)
        .problems.filter((p: { kind: string }) => p.kind === "hand-edit")
        .map((p: { path: string }) => p.path),
    ).toEqual(["Dockerfile"]); // ...and the only one
    ageFiles(clone);
    const before = snapshot(clone);
    const r = await updateToV2(clone, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = json(r);
    expect(conflicts(out)).toEqual([]);
    expect(action(out, "README.md")).toBe("update");
    expect(action(out, "Dockerfile")).toBe("merge");
    expect(action(out, "dropped.txt")).toBe("delete");
    expect(read(clone, "README.md")).toBe(read(dir, "README.md").replace("1.0.0", "2.0.0").replace(/\n/g, "\r\n"));
    expect(read(clone, "Dockerfile")).toBe(DOCKERFILE_V2.replace("WORKDIR /src\n", "WORKDIR /src\nENV A=1\n").replace(/\n/g, "\r\n"));
    // a file neither side changed is not rewritten
    expect(snapshot(clone)["svc/app.txt"]).toEqual(before["svc/app.txt"]);
    // git (which normalises endings) sees only the template's changes
    expect(git(clone, "diff", "--", "README.md")).toMatch(/^-Made with the demo pack 1\.0\.0\.\n\+Made with the demo pack 2\.0\.0\.$/m);
    expect(read(clone, ".create-pipeline.yaml")).toContain("demo@2.0.0");
  });
});

describe("update: mixed line endings", () => {
  it("one LF line in a CRLF file is not a whole-file edit: the template's change is taken, the file stays CRLF", async () => {
    const dir = await makeRepo();
    const crlf = read(dir, "Dockerfile").replace(/\n/g, "\r\n");
    // An editor added one line with LF only.
    write(dir, "Dockerfile", crlf.replace("WORKDIR /src\r\n", "WORKDIR /src\r\nENV A=1\n"));
    commitAll(dir);
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    expect(conflicts(json(r))).toEqual([]);
    expect(action(json(r), "Dockerfile")).toBe("merge");
    expect(read(dir, "Dockerfile")).toBe(DOCKERFILE_V2.replace("WORKDIR /src\n", "WORKDIR /src\nENV A=1\n").replace(/\n/g, "\r\n"));
  });

  it("a CRLF file that differs from the template only in endings is up to date", async () => {
    const dir = await makeRepo();
    const text = read(dir, "README.md");
    const lines = text.split("\n");
    write(
      dir,
      "README.md",
      lines
        .map((l, i) => (i === 0 ? l : `${l}`))
        .join("\r\n")
        .replace(/\r\n$/, "\n"),
    );
    commitAll(dir);
    const check = await runCli(["check", dir, "--strict"]);
    expect(check.code, check.stdout).toBe(0);
  });
});

describe("update: --dry-run, --json, re-runs", () => {
  it("--dry-run writes nothing and prints the per-file plan with unified diffs", async () => {
    const dir = await makeRepo();
    ageFiles(dir);
    const before = snapshot(dir);
    const r = await updateToV2(dir, "--dry-run");
    expect(r.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(r.stdout).toContain("Dry run, nothing written");
    expect(r.stdout).toMatch(/~ Dockerfile\s+update/);
    expect(r.stdout).toMatch(/- dropped\.txt\s+delete/);
    expect(r.stdout).toContain("--- a/Dockerfile\n+++ b/Dockerfile\n");
    expect(r.stdout).toMatch(/^-RUN echo build$/m);
    expect(r.stdout).toMatch(/^\+RUN echo build --release$/m);
    expect(r.stdout).toMatch(/^- {8}uses: actions\/checkout@v6$/m);
    expect(r.stdout).toMatch(/^\+ {8}uses: actions\/checkout@v7$/m);
    expect(r.stdout).toMatch(/^-a file that the next version drops$/m);
    expect(r.stdout).toContain("--- /dev/null\n+++ b/added.txt\n");
  });

  it("--dry-run --json gives each file's action and reason and writes nothing", async () => {
    const dir = await makeRepo();
    edit(dir, "Dockerfile", "RUN echo build\n", "RUN echo build --debug\n");
    commitAll(dir);
    ageFiles(dir);
    const before = snapshot(dir);
    const r = await updateToV2(dir, "--dry-run", "--json");
    expect(r.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    const out = json(r);
    expect(out).toMatchObject({ command: "update", dryRun: true });
    expect(conflicts(out)).toEqual(["Dockerfile"]);
    for (const f of out.files) {
      expect(typeof f.path).toBe("string");
      expect(["create", "update", "merge", "delete", "keep", "skip", "conflict"]).toContain(f.action);
      expect(f.reason.length).toBeGreaterThan(0);
    }
    expect(action(out, "Dockerfile")).toBe("conflict");
    expect(action(out, "dropped.txt")).toBe("delete");
  });

  it("--json after a real update: pack versions, answers, files, conflicts", async () => {
    const dir = await makeRepo();
    const r = await updateToV2(dir, "--json");
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out).toMatchObject({
      ok: true,
      exitCode: 0,
      command: "update",
      pack: { name: "demo", from: "1.0.0", version: "2.0.0" },
      changes: { pack: { from: "demo@1.0.0", to: "demo@2.0.0" } },
    });
    expect(conflicts(out)).toEqual([]);
    expect(out.answers).toMatchObject({ team: { value: "core", origin: "given" }, verbose: { value: false, origin: "given" } }); // migrated from the stored debug answer
    expect(out.files.find((f: { path: string }) => f.path === "new-name.txt")).toMatchObject({
      action: expect.any(String),
      from: "old-name.txt",
      owner: "managed",
    });
  });

  it("is re-runnable: a second identical update writes nothing", async () => {
    const dir = await makeRepo();
    expect((await updateToV2(dir)).code).toBe(0);
    ageFiles(dir);
    const before = snapshot(dir);
    const again = await updateToV2(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing to update");
    expect(snapshot(dir)).toEqual(before);
  });

  it("an update that only moves the pack version leaves the answers and base files untouched when they would not change", async () => {
    const dir = await makeRepo();
    const v1copy = join(tempDir(), "demo-v1-1");
    execFileSync("cp", ["-r", V1, v1copy]);
    edit(v1copy, "template.yaml", "version: 1.0.0", "version: 1.0.1");
    ageFiles(dir);
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", v1copy]);
    expect(r.code).toBe(0);
    const after = snapshot(dir);
    expect(JSON.parse(after[".create-pipeline/state.json"]!.text).pack.version).toBe("1.0.1");
    // README names the pack version, so it moves; files that do not change are not rewritten
    expect(after["README.md"]!.text).toContain("1.0.1");
    for (const p of ["Dockerfile", "config/values.yaml", "settings.json", ".github/workflows/ci.yml"]) expect(after[p], p).toEqual(before[p]);
    // the answers header names the pack it was made with
    expect(after[".create-pipeline.yaml"]!.text).toContain("demo@1.0.1");
  });

  it("is all or nothing: when a write fails nothing changes, and the same update works once the obstacle is gone", async () => {
    const dir = await makeRepo();
    write(dir, "other", "a file where the new service folder goes\n");
    commitAll(dir);
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--set", "name=other"]);
    expect(r.code).not.toBe(0);
    expect(snapshot(dir)).toEqual(before);
    git(dir, "rm", "-q", "other");
    commitAll(dir);
    const again = await runCli(["update", dir, "--set", "name=other"]);
    expect(again.code).toBe(0);
    expect(read(dir, "other/app.txt")).toBe("app other\n");
    expect(parseYaml(read(dir, ".create-pipeline.yaml")).name).toBe("other");
  });

  it("creates missing folders and removes folders emptied by deletions", async () => {
    const dir = await makeRepo({ args: ["--environments", "dev"] });
    const r = await updateToV2(dir, "--set", "name=other");
    expect(r.code).toBe(0);
    expect(read(dir, "other/app.txt")).toBe("app other\n");
    expect(existsSync(join(dir, "svc"))).toBe(false);
  });
});

describe("update: refusals", () => {
  it("a folder without a state file is not updated", async () => {
    const dir = tempDir();
    const r = await runCli(["update", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`npx @create-pipeline/cli@${TOOL_VERSION} create`);
  });

  it("with the pack recorded at create (no --template), a no-op update writes nothing", async () => {
    const dir = await makeRepo();
    ageFiles(dir);
    const before = snapshot(dir);
    const r = await runCli(["update", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Nothing to update");
    expect(snapshot(dir)).toEqual(before);
    // Recorded relative to the repository (no absolute path of this machine), and found again from there.
    expect(resolve(dir, state(dir).pack.source)).toBe(V1);
    expect(state(dir).pack.source.startsWith("/")).toBe(false);
  });
});

describe("an answer that applies only after another changed (built-in pack, one service)", () => {
  const service = () => {
    const dir = join(tempDir("cp-newly-"), "svc");
    execFileSync("mkdir", ["-p", dir]);
    write(dir, "package.json", JSON.stringify({ name: "svc", version: "1.0.0", scripts: { start: "node server.js" } }));
    write(dir, "server.js", "require('node:http').createServer().listen(3000);\n");
    return dir;
  };

  it("is asked in a terminal, and shown as defaulted, with its flag, without one", async () => {
    const dir = service();
    expect((await runCli(["create", dir, "--yes", "--owner", "acme"])).code).toBe(0);
    const no = await runCli(["update", dir, "--protocol", "grpc", "--allow-dirty"]);
    expect(no.code, no.stderr).toBe(0);
    expect(no.stdout).toContain("protocol: http → grpc");
    expect(no.stdout).toContain("grpcHealth: (none) → false (DEFAULT: it applies now; check it, or set it with --grpc-health / --no-grpc-health)");
    // An answer given is not marked.
    const given = await runCli(["update", dir, "--protocol", "http", "--allow-dirty"]);
    expect(given.code, given.stderr).toBe(0);
    const again = await runCli(["update", dir, "--protocol", "grpc", "--grpc-health", "--allow-dirty"]);
    expect(again.stdout).toContain("grpcHealth: (none) → true");
    expect(again.stdout).not.toContain("DEFAULT");
    // In a terminal --reconfigure asks it, after protocol.
    await runCli(["update", dir, "--protocol", "http", "--allow-dirty"]);
    const asked = await runCli(["update", dir, "--reconfigure", "--allow-dirty"], { script: { answers: { protocol: "grpc" }, confirm: true } });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.asked.indexOf("grpcHealth")).toBeGreaterThan(asked.asked.indexOf("protocol"));
  });
});
