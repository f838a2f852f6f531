// A run killed at any step of its commit must leave the repository, after the next run of any
// command, byte for byte as it was before or as it would be after: never half of each, never a
// temp file, backup, journal, lock or staging folder left behind. The crash is injected at EVERY
// step (not random kills) for create and update, and at every phase boundary of a 3,000-file pack.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { faults, SimulatedCrash } from "../../src/io/commit.js";
import { runCli, tempDir } from "../support/cli.js";
import { V1, V2 } from "../support/repo.js";

/** Every entry under dir with its bytes and mode, hidden files included. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const full = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = statSync(full);
      if (st.isDirectory()) {
        out[`${r}/`] = "dir";
        walk(full, r);
      } else out[r] = `${(st.mode & 0o777).toString(8)} ${readFileSync(full, "utf8")}`;
    }
  };
  walk(dir, "");
  return out;
}

/** Count the steps of a commit, or crash at step `at`. */
function arm(at?: number): { steps: string[] } {
  const seen = { steps: [] as string[] };
  faults.onStep = (n, what) => {
    seen.steps.push(what);
    if (n === at) throw new SimulatedCrash(`crash at step ${n}: ${what}`);
  };
  return seen;
}

afterEach(() => {
  faults.onStep = undefined;
});

interface Scenario {
  /** A folder holding the starting repository (copied for each crash). */
  setup: () => string;
  /** The command that is crashed, relative to the copy. */
  argv: (dir: string) => string[];
  /** Where the repository is inside the copy. */
  repo: (dir: string) => string;
}

/** Run the scenario once cleanly to learn its steps and the after-state, then crash at each step. */
async function crashEverywhere(s: Scenario, pick?: (count: number, steps: string[]) => number[], ways = ["after", "before"]) {
  const start = s.setup();
  const clean = tempDir("cp-crash-");
  cpSync(start, clean, { recursive: true });
  const before = snapshot(s.repo(clean));
  const seen = arm();
  const ok = await runCli(s.argv(clean), { cwd: clean });
  faults.onStep = undefined;
  expect([0, 4], ok.stderr).toContain(ok.code);
  const after = snapshot(s.repo(clean));
  expect(after).not.toEqual(before);
  const count = seen.steps.length;
  expect(count).toBeGreaterThan(3);
  const outcomes = new Set<string>();
  const steps = pick ? pick(count, seen.steps) : Array.from({ length: count }, (_, i) => i + 1);
  const t0 = Date.now();
  for (const at of steps) {
    const dir = tempDir("cp-crash-");
    cpSync(start, dir, { recursive: true });
    arm(at);
    const crashed = await runCli(s.argv(dir), { cwd: dir }).catch((e: unknown) => e);
    faults.onStep = undefined;
    expect(String((crashed as { stderr?: string }).stderr ?? crashed), `step ${at}`).toContain(`crash at step ${at}`);
    // The next run of any command finds it: here `check`, which only reads otherwise.
    const repo = s.repo(dir);
    if (existsSync(repo)) {
      const next = await runCli(["check", repo], { cwd: dir });
      expect([0, 2, 3], `check after a crash at step ${at}: ${next.stderr}`).toContain(next.code);
      expect(next.stdout, `step ${at}`).not.toContain("Deleted by you");
    } else {
      // A killed create of a new folder: the next create of it sweeps the staging folder.
      await runCli(["create", repo, "--template", V1, "--yes", "--dry-run"], { cwd: dir });
    }
    const now = snapshot(repo);
    const which = JSON.stringify(now) === JSON.stringify(before) ? "before" : JSON.stringify(now) === JSON.stringify(after) ? "after" : "neither";
    outcomes.add(which);
    if (which === "neither") expect(now, `crash at step ${at} (${seen.steps[at - 1]}): neither the old nor the new state`).toEqual(after);
    // Nothing left beside the repository either (a new target's staging folder).
    expect(
      readdirSync(dirname(repo)).filter((n) => n.includes(".create-pipeline-")),
      `step ${at}`,
    ).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CRASH_TRACE) console.log(`step ${at}: ${which} ${Date.now() - t0} ms`);
  }
  // Early crashes roll back, late ones roll forward: both ways were taken.
  expect([...outcomes].sort()).toEqual(ways);
  return { count, steps: seen.steps };
}

describe("a crash at every step of the commit", () => {
  it("create into a new folder: no staging folder left, the target absent or complete", async () => {
    const r = await crashEverywhere(
      {
        setup: () => tempDir("cp-start-"),
        argv: (d) => ["create", join(d, "svc"), "--template", V1, "--yes", "--language", "go"],
        repo: (d) => join(d, "svc"),
      },
      undefined,
      ["after", "before"],
    );
    // The one rename makes the new folder appear whole; only the flush of its parent's entry
    // (a crash there leaves the complete folder) comes after it.
    expect(r.steps.slice(-2)).toEqual(["move the staging folder into place", "flush the parent folder"]);
  });

  it("create into an existing folder with files of its own", async () => {
    await crashEverywhere({
      setup: () => {
        const d = tempDir("cp-start-");
        mkdirSync(join(d, "svc"));
        writeFileSync(join(d, "svc", "README.md"), "my readme\n");
        writeFileSync(join(d, "svc", "main.go"), "package main\n");
        return d;
      },
      argv: (d) => ["create", join(d, "svc"), "--template", V1, "--yes", "--language", "go", "--force"],
      repo: (d) => join(d, "svc"),
    });
  });

  it("update to a new pack version with a hand edit, a rename and a deletion", async () => {
    const start = tempDir("cp-start-");
    const made = await runCli(["create", join(start, "svc"), "--template", V1, "--yes", "--language", "go"]);
    expect(made.code).toBe(0);
    // A hand edit that update merges.
    const readme = join(start, "svc", "README.md");
    writeFileSync(readme, `${readFileSync(readme, "utf8")}\nMy own notes.\n`);
    const r = await crashEverywhere({
      setup: () => start,
      argv: (d) => ["update", join(d, "svc"), "--template", V2, "--yes", "--allow-dirty", "--set", "team=core"],
      repo: (d) => join(d, "svc"),
    });
    expect(r.steps).toContain("flush the journal (committed)");
  });

  it("update of a 3,000-file pack: every phase boundary and its neighbours", async () => {
    const pack = tempDir("cp-bigpack-");
    const mk = (version: string, text: string) => {
      const p = join(pack, version);
      mkdirSync(join(p, "files"), { recursive: true });
      writeFileSync(
        join(p, "template.yaml"),
        `name: big\nversion: ${version}\nengine: ">=0.1.0"\ndescription: many files\nquestions:\n  - key: name\n    type: text\n    message: Name\n    default: big\n`,
      );
      for (let i = 0; i < 3000; i++) {
        const dir = join(p, "files", `d${Math.floor(i / 100)}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `f${i}.txt`), `${text} ${i}\n`);
      }
      return p;
    };
    const v1 = mk("1.0.0", "one");
    const v2 = mk("2.0.0", "two");
    const start = tempDir("cp-start-");
    expect((await runCli(["create", join(start, "svc"), "--template", v1, "--yes"])).code).toBe(0);
    const r = await crashEverywhere(
      {
        setup: () => start,
        argv: (d) => ["update", join(d, "svc"), "--template", v2, "--yes", "--allow-dirty"],
        repo: (d) => join(d, "svc"),
      },
      (count, steps) => {
        // The first and last step, and the last and first step of each kind of work (the phase
        // boundaries, where an off-by-one in recovery would show), plus two in the middle of the renames.
        const kind = (x: string) => x.replace(/\S*[/.]\S*/g, "");
        const picks = new Set([1, count]);
        for (let i = 1; i < steps.length; i++) if (kind(steps[i]!) !== kind(steps[i - 1]!)) picks.add(i + 1);
        picks.add(steps.findIndex((x) => x.endsWith(" into place")) + 1500);
        return [...picks].filter((n) => n >= 1 && n <= count).sort((a, b) => a - b);
      },
    );
    expect(r.count).toBeGreaterThan(9000);
  }, 600_000);
});
