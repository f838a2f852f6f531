// An update killed half-way leaves a journal; the next run puts the old files back from their
// backups. A file edited (or re-created) by the user between the crash and that run is theirs:
// recovery keeps it, keeps the backup beside it, and says so, instead of overwriting the edit.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { faults, SimulatedCrash } from "../../src/io/commit.js";
import { runCli, unwrapReport } from "../support/cli.js";
import { makeRepo, read, V2 } from "../support/repo.js";

afterEach(() => {
  faults.onStep = undefined;
});

/** An update to demo-v2 crashed right after `step` (a step name matched by the regexp) ran. */
async function crashedUpdate(stepName: RegExp): Promise<string> {
  const dir = await makeRepo({ git: false });
  let crashed = false;
  faults.onStep = (_n, what) => {
    if (crashed) return;
    // crash before the step after the matched one: the matched step has happened
    if (seen) {
      crashed = true;
      throw new SimulatedCrash(`crash after: ${seen}`);
    }
    if (stepName.test(what)) seen = what;
  };
  let seen: string | undefined;
  await runCli(["update", dir, "--template", V2, "--set", "team=core"]).catch(() => undefined);
  faults.onStep = undefined;
  expect(crashed, "the crash was injected").toBe(true);
  expect(existsSync(join(dir, ".create-pipeline/journal.json"))).toBe(true);
  return dir;
}

const backups = (dir: string, file: string) => readdirSync(dirname(join(dir, file))).filter((n) => n.endsWith(".bak"));

describe("recovery never overwrites a file changed after the crash", () => {
  it("a generated file edited after the crash (new version already in place) is kept; the old one stays as a backup, named", async () => {
    const dir = await crashedUpdate(/^move Dockerfile into place$/);
    const mine = `${read(dir, "Dockerfile")}# edited after the crash\n`;
    writeFileSync(join(dir, "Dockerfile"), mine);
    const r = await runCli(["check", dir]);
    const err = unwrapReport(r.stderr);
    expect(read(dir, "Dockerfile")).toBe(mine);
    expect(err).toContain("Dockerfile");
    expect(err).toMatch(/kept/);
    const baks = backups(dir, "Dockerfile");
    expect(baks.length).toBe(1);
    expect(err).toContain(baks[0]!);
    // the backup holds the file as it was before the interrupted run
    const ref = await makeRepo({ git: false });
    expect(readFileSync(join(dirname(join(dir, "Dockerfile")), baks[0]!), "utf8")).toBe(read(ref, "Dockerfile"));
    expect(existsSync(join(dir, ".create-pipeline/journal.json"))).toBe(false);
  });

  it("a file re-created by the user where the crash had moved the old one aside is kept", async () => {
    const dir = await crashedUpdate(/^move Dockerfile aside$/);
    expect(existsSync(join(dir, "Dockerfile"))).toBe(false);
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
    const r = await runCli(["check", dir]);
    expect(read(dir, "Dockerfile")).toBe("FROM scratch\n");
    expect(unwrapReport(r.stderr)).toMatch(/Dockerfile.*kept/s);
    expect(backups(dir, "Dockerfile").length).toBe(1);
  });

  it("without a change after the crash, the old file is restored as before (and no backup is left)", async () => {
    const dir = await crashedUpdate(/^move Dockerfile into place$/);
    const ref = await makeRepo({ git: false });
    await runCli(["check", dir]);
    expect(read(dir, "Dockerfile")).toBe(read(ref, "Dockerfile"));
    expect(backups(dir, "Dockerfile")).toEqual([]);
  });
});
