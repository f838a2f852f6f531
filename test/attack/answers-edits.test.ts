// Every path that edits the answers file in place (update --set and the question flags, a pack
// migration that renames an answer, update of a repository of several services, add) keeps the
// file as the user saved it: its byte-order mark and CRLF line endings, quoted keys as the keys
// they are, and never an alias or anchor it would have to break (refused with exit 2 at its
// place, nothing written). What is written reads back as exactly the intended answers.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { refuseAnswersEdit } from "../../src/core/answers-read.js";
import { updateAnswersText } from "../../src/core/answers-file.js";
import { PipelineError } from "../../src/core/errors.js";
import { runCli, unwrapReport } from "../support/cli.js";
import { commitAll, makeRepo, read, servicesShop, snapshot, updateToV2, V1, write } from "../support/repo.js";

const ANSWERS = ".create-pipeline.yaml";

/** Saved by a Windows editor: a byte-order mark and CRLF on every line. */
const windows = (text: string) => `\uFEFF${text.replace(/\n/g, "\r\n")}`;

/** The file keeps its mark and has no line that ends in a bare LF. */
function expectWindows(text: string) {
  expect(text.startsWith("\uFEFF")).toBe(true);
  expect(text.slice(1)).not.toContain("\uFEFF");
  expect(text).not.toMatch(/(^|[^\r])\n/);
  expect(text).toContain("\r\n");
}

const shop = () => servicesShop("cp-edits-");

/** Save the answers file as given and commit it. */
function save(dir: string, text: string) {
  write(dir, ANSWERS, text);
  commitAll(dir, "answers edited");
}

/** Refused with exit 2 naming the place, nothing written. */
function expectRefused(dir: string, before: ReturnType<typeof snapshot>, r: { code: number; stderr: string }, where: RegExp, say: RegExp) {
  const err = unwrapReport(r.stderr);
  expect(r.code, err).toBe(2);
  expect(err).toMatch(where);
  expect(err).toMatch(say);
  expect(err).toMatch(/fix: .*(write|drop)/);
  expect(err).not.toMatch(/internal error/i);
  expect(snapshot(dir)).toEqual(before);
}

describe("one service: an answers file with a byte-order mark and CRLF line endings", () => {
  it("update --set changes the answer and keeps both; check passes after", async () => {
    const dir = await makeRepo();
    save(dir, windows(read(dir, ANSWERS)));
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expectWindows(after);
    expect(after).toContain("\r\nport: 9000\r\n");
    commitAll(dir);
    expect((await runCli(["check", dir, "--template", V1])).code).toBe(0);
  });

  it("a pack migration that renames an answer (debug → verbose) keeps both", async () => {
    const dir = await makeRepo();
    save(dir, windows(read(dir, ANSWERS)));
    const r = await updateToV2(dir, "--yes");
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expectWindows(after);
    expect(parse(after.slice(1))).not.toHaveProperty("debug");
  });
});

describe("one service: quoted keys are the keys they are", () => {
  it("\"port\": and 'debug': are changed in place, never added a second time", async () => {
    const dir = await makeRepo();
    save(
      dir,
      read(dir, ANSWERS)
        .replace(/^port:/m, '"port":')
        .replace(/^debug:/m, "'debug':"),
    );
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000", "--set", "debug=true"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(after).toMatch(/^"port": 9000$/m);
    expect(after).toMatch(/^'debug': true$/m);
    expect(after).not.toMatch(/^(port|debug):/m);
    expect(parse(after)).toMatchObject({ port: 9000, debug: true });
  });
});

describe("one service: aliases and anchors an edit would have to break are refused", () => {
  /** name: &n svc … goModule: *n (goModule reads "svc"). */
  async function linked(): Promise<string> {
    const dir = await makeRepo();
    save(
      dir,
      read(dir, ANSWERS)
        .replace(/^name: svc$/m, "name: &n svc")
        .replace(/^goModule: .*$/m, "goModule: *n"),
    );
    return dir;
  }

  it("changing the anchored answer: exit 2 at the anchor, nothing written", async () => {
    const dir = await linked();
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "name=shop"]);
    expectRefused(dir, before, r, /at: \.create-pipeline\.yaml:4:7/, /anchor &n/);
  });

  it("changing the answer that is an alias: exit 2 at the alias, nothing written", async () => {
    const dir = await linked();
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "goModule=example.com/x"]);
    expectRefused(dir, before, r, /at: \.create-pipeline\.yaml:11:11/, /alias \(\*n\)/);
  });

  it("an update that leaves the linked answers alone goes ahead and keeps the link", async () => {
    const dir = await linked();
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, ANSWERS)).toMatch(/^name: &n svc$/m);
    expect(read(dir, ANSWERS)).toMatch(/^goModule: \*n$/m);
  });

  it("a merge key (<<: *x) is refused with its place and how to write it out", async () => {
    const dir = await makeRepo();
    save(dir, read(dir, ANSWERS).replace(/^environments:\n {2}- dev\n {2}- prod\n/m, "x: &x\n  environments: [dev, prod]\n<<: *x\n"));
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--set", "port=9000"]);
    expectRefused(dir, before, r, /at: \.create-pipeline\.yaml:9:1/, /merge key \(<<\)/);
  });
});

describe("one service: no rewrite from scratch", () => {
  it("an answers file of comments only gets the answers under its comments (no fresh file)", async () => {
    const dir = await makeRepo();
    save(dir, "# our notes: keep this\n# and this\n");
    const r = await runCli(["update", dir, "--template", V1, "--yes", "--language", "go", "--set", "port=9000"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(after).toContain("# our notes: keep this\n# and this\n");
    expect(parse(after)).toMatchObject({ port: 9000, language: "go" });
  });
});

describe("several services: a byte-order mark and CRLF line endings", () => {
  it("a shared answer changed with its flag keeps both", async () => {
    const dir = await shop();
    save(dir, windows(read(dir, ANSWERS)));
    const r = await runCli(["update", dir, "--yes", "--environments", "dev,staging,prod"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expectWindows(after);
    expect(parse(after.slice(1)).environments).toEqual(["dev", "staging", "prod"]);
    commitAll(dir);
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("one service's answer changed with --services keeps both", async () => {
    const dir = await shop();
    save(dir, windows(read(dir, ANSWERS)));
    const r = await runCli(["update", dir, "--yes", "--services", "services/api", "--port", "9001"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expectWindows(after);
    expect(parse(after.slice(1)).services[0].port).toBe(9001);
  });

  it("add keeps both", async () => {
    const dir = await shop();
    save(dir, windows(read(dir, ANSWERS)));
    const r = await runCli(["add", "services/gateway"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expectWindows(after);
    expect(parse(after.slice(1)).services.map((s: { path: string }) => s.path)).toEqual(["services/api", "services/worker", "services/gateway"]);
  });

  it("add to a file whose services list the line edit cannot extend (flow style) keeps both", async () => {
    const dir = await shop();
    const text = read(dir, ANSWERS);
    const at = text.search(/^services:/m);
    const items = parse(text).services as Record<string, unknown>[];
    save(dir, windows(`${text.slice(0, at)}services: ${JSON.stringify(items)}\n`));
    const r = await runCli(["add", "services/gateway"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expectWindows(read(dir, ANSWERS));
  });
});

describe("several services: quoted keys", () => {
  it('a quoted "services": key is the services list (update works on the repository, not one service)', async () => {
    const dir = await shop();
    save(dir, read(dir, ANSWERS).replace(/^services:/m, '"services":'));
    const r = await runCli(["update", dir, "--yes", "--environments", "dev,staging,prod"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(after).toMatch(/^"services":$/m);
    expect(parse(after).environments).toEqual(["dev", "staging", "prod"]);
    commitAll(dir);
    expect((await runCli(["check", dir])).code).toBe(0);
  });

  it("a quoted key in a service's item is changed in place", async () => {
    const dir = await shop();
    save(dir, read(dir, ANSWERS).replace(/^ {4}port: 3000$/m, '    "port": 3000'));
    const r = await runCli(["update", dir, "--yes", "--services", "services/api", "--port", "9001"]);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, ANSWERS);
    expect(after).toMatch(/^ {4}"port": 9001$/m);
    expect(after).not.toMatch(/^ {4}port: (3000|9001)$/m);
  });
});

describe("several services: aliases and anchors an edit would have to break are refused", () => {
  /** api's port anchored (&p 3000), worker's port an alias of it. */
  async function linked(): Promise<string> {
    const dir = await shop();
    save(
      dir,
      read(dir, ANSWERS)
        .replace(/^ {4}port: 3000$/m, "    port: &p 3000")
        .replace(/^ {4}port: 8000$/m, "    port: *p"),
    );
    return dir;
  }
  const line = (dir: string, re: RegExp) =>
    read(dir, ANSWERS)
      .split("\n")
      .findIndex((l) => re.test(l)) + 1;

  it("changing the anchored answer: exit 2 at the anchor, nothing written", async () => {
    const dir = await linked();
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--yes", "--services", "services/api", "--port", "9001"]);
    expectRefused(dir, before, r, new RegExp(`at: \\.create-pipeline\\.yaml:${line(dir, /port: &p/)}:11`), /anchor &p/);
  });

  it("changing the answer that is an alias: exit 2 at the alias, nothing written", async () => {
    const dir = await linked();
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--yes", "--services", "services/worker", "--port", "9002"]);
    expectRefused(dir, before, r, new RegExp(`at: \\.create-pipeline\\.yaml:${line(dir, /port: \*p/)}:11`), /alias \(\*p\)/);
  });

  it("a service item that is an alias of another's: exit 2, nothing written", async () => {
    const dir = await shop();
    const text = read(dir, ANSWERS).replace(/^ {2}- path: services\/api$/m, "  - &api\n    path: services/api");
    save(dir, `${text.trimEnd()}\n  - *api\n`);
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--yes", "--environments", "dev,staging,prod"]);
    // The reader already refuses the same folder listed twice; either way: its place, nothing written.
    expect(r.code).toBe(2);
    expect(unwrapReport(r.stderr)).toMatch(/\.create-pipeline\.yaml:\d+:\d+/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a merge key in a service's item: exit 2 at it", async () => {
    const dir = await shop();
    save(dir, read(dir, ANSWERS).replace(/^ {4}port: 8000$/m, "    <<: {port: 8000}"));
    const before = snapshot(dir);
    const r = await runCli(["update", dir, "--yes", "--services", "services/worker", "--port", "9002"]);
    expectRefused(dir, before, r, new RegExp(`at: \\.create-pipeline\\.yaml:${line(dir, /<<:/)}:5`), /merge key \(<<\)/);
  });
});

describe("the read-back before writing", () => {
  it("an edit that would not read back as the intended answers is refused with the key that differs", async () => {
    await expect(refuseAnswersEdit("port: 8080\n", "port: 8081\n", ANSWERS, { port: 9000 })).rejects.toThrow(/port would read 8081, not 9000/);
  });
  it("an edit that would lose the byte-order mark or the CRLF line endings is refused", async () => {
    await expect(refuseAnswersEdit("\uFEFFport: 8080\r\n", "port: 9000\r\n", ANSWERS, { port: 9000 })).rejects.toThrow(/byte-order mark/);
    await expect(refuseAnswersEdit("port: 8080\r\nname: a\r\n", "port: 9000\r\nname: a\n", ANSWERS, { port: 9000, name: "a" })).rejects.toThrow(/line endings/);
    await expect(refuseAnswersEdit("port: 8080\r\n", "port: 9000\r\n", ANSWERS, { port: 9000 })).resolves.toBeUndefined();
  });
  it("the one-service writer refuses (never rewrites from scratch) a file that is not a mapping", () => {
    const manifest = { questions: [{ key: "port" }] } as unknown as Parameters<typeof updateAnswersText>[1];
    expect(() => updateAnswersText("- a\n# mine\n", manifest, { port: 1 }, "0.0.0", "demo")).toThrow(PipelineError);
    expect(() => updateAnswersText("- a\n# mine\n", manifest, { port: 1 }, "0.0.0", "demo")).toThrow(/must be a mapping/);
  });
});
