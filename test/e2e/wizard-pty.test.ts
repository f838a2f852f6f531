// The built-in pack's interactive flow in a real 80-column pseudo-terminal (tmux), as a new user
// meets it: how many prompts the default path takes (Enter at each), what cancel prints (and that
// the printed command, pasted into a shell, creates the same answers), and that the next steps
// come out as plain lines that copy and paste.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { REPO, tempDir } from "../support/cli.js";
import { BIN, buildOnce } from "../support/build.js";
import { git } from "../support/repo.js";

let socket: string | undefined;
let serial = 0;
const tmux = (...args: string[]) => execFileSync("tmux", ["-u", "-S", socket!, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
/** The whole scroll-back; `joined`: soft-wrapped lines joined, as a terminal copies a selection. */
const screen = (joined = true) => tmux("capture-pane", "-p", ...(joined ? ["-J"] : []), "-S", "-", "-t", "cli");
const keys = (...k: string[]) => tmux("send-keys", "-t", "cli", ...k);
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A fixture copied into a new folder `name` under git, with a GitHub remote of acme unless `remote` is false. */
function repository(fixture: string, name: string, opts: { remote?: boolean; initArgs?: string[] } = {}): string {
  const dir = join(tempDir("cp-wiz-"), name);
  mkdirSync(dir);
  cpSync(join(REPO, "test", "fixtures", fixture), dir, { recursive: true });
  git(dir, "init", "-q", ...(opts.initArgs ?? []));
  if (opts.remote !== false) git(dir, "remote", "add", "origin", `git@github.com:acme/${name}.git`);
  return dir;
}

/** A Python service under git with a GitHub remote: what a user's repository looks like. */
const service = () => repository("services/python", "ledger");

/** The same service without a remote, on a `master` branch: the owner must be asked. */
const serviceWithoutRemote = () => repository("services/python", "ledger", { remote: false, initArgs: ["-b", "master"] });

/** A repository of two services (services/api: Node.js, services/gateway: Go) under git with a GitHub remote. */
function shop(): string {
  const dir = join(tempDir("cp-wiz-"), "shop");
  for (const [fixture, path] of [
    ["node", "services/api"],
    ["go", "services/gateway"],
  ] as const)
    cpSync(join(REPO, "test", "fixtures", "services", fixture), join(dir, path), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", "git@github.com:acme/shop.git");
  return dir;
}

/** A Maven reactor of three services under git with a GitHub remote: a repository of several services. */
const reactor = () => repository("monorepos/maven-reactor", "clinic");

/** Keys for the active prompt, then wait until it is answered (a later Enter must not reach it). */
async function answer(prompt: string, ...k: string[]): Promise<void> {
  keys(...k);
  await waitFor(`'${prompt}' to be answered`, () => !(activePrompt() ?? "").includes(prompt));
}

/**
 * Moves the active Yes/No confirm to No and answers it. A key sent before the prompt listens is
 * lost (a loaded machine renders first and listens a little later), so Right is sent again until
 * the terminal shows No chosen.
 */
async function answerNo(prompt: string): Promise<void> {
  await waitFor(`'${prompt}' to be asked`, () => (activePrompt() ?? "").includes(prompt));
  for (let i = 0; !/● No/.test(screen()); i++) {
    if (i === 20) throw new Error(`No is not chosen at '${prompt}'; the screen:\n${screen()}`);
    keys("Right");
    await new Promise((r) => setTimeout(r, 250));
  }
  await answer(prompt, "Enter");
}

/** Moves the active select to the option whose label contains `label` (as answerNo does, again until shown) and answers it. */
async function choose(prompt: string, label: string): Promise<void> {
  await waitFor(`'${prompt}' to be asked`, () => (activePrompt() ?? "").includes(prompt));
  const chosen = () =>
    screen()
      .split("\n")
      .some((l) => l.includes("●") && l.toLowerCase().includes(label.toLowerCase()));
  for (let i = 0; !chosen(); i++) {
    if (i === 40) throw new Error(`'${label}' is not chosen at '${prompt}'; the screen:\n${screen()}`);
    keys("Down");
    await new Promise((r) => setTimeout(r, 250));
  }
  await answer(prompt, "Enter");
}

/** What the terminal shows from `from` up to the next blank line. */
const printedFrom = (text: string, from: string) => text.slice(text.indexOf(from)).split("\n\n")[0]!;
/** A printed command as one line, with the local build standing in for npx. */
const runnable = (printed: string) =>
  printed
    .replace(/ \\\n\s*/g, " ")
    .replace(/npx @create-pipeline\/cli@\S+/, `${q(process.execPath)} ${q(BIN)}`)
    .trim();

function start(cwd: string, args: string[]): string {
  socket = join(tempDir("cp-pty-"), `tmux-${++serial}.sock`);
  const exitFile = join(tempDir(), "exit");
  const cmd = `cd ${q(cwd)} && env -u CI -u GITHUB_ACTIONS NO_COLOR=1 ${q(process.execPath)} ${q(BIN)} ${args.map(q).join(" ")}; echo EXIT=$? > ${q(exitFile)}; sleep 120`;
  tmux("new-session", "-d", "-s", "cli", "-x", "80", "-y", "50", cmd);
  return exitFile;
}

async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const exited = (f: string) => existsSync(f) && readFileSync(f, "utf8").includes("\n");
const exitCode = (f: string) => Number(/EXIT=(\d+)/.exec(readFileSync(f, "utf8"))![1]);
/** The active prompt's line (clack marks it ◆), or undefined. */
const activePrompt = () =>
  screen()
    .split("\n")
    .find((l) => l.startsWith("◆"));

/** Answer every prompt with Enter (the offered default) until `stop` shows; returns the prompts seen. */
async function enterThrough(exitFile: string, stop?: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    // One capture decides: a second one may land while the terminal redraws between prompts.
    let prompt: string | undefined;
    await waitFor("a prompt or the end", () => (prompt = activePrompt()) !== undefined || exited(exitFile));
    if (prompt === undefined) return seen;
    seen.push(prompt.replace(/^◆\s+/, "").trim());
    if (stop && prompt.includes(stop)) return seen;
    const answered = () =>
      exited(exitFile) ||
      activePrompt() !== prompt ||
      screen()
        .split("\n")
        .filter((l) => l === prompt).length === 0;
    // An Enter sent before the prompt listens is lost (a loaded machine renders first and listens
    // a little later): sent again while the same prompt still waits after 5 s.
    for (let i = 0; ; i++) {
      keys("Enter");
      try {
        await waitFor("the prompt to be answered", answered, 5_000);
        break;
      } catch (e) {
        if (i === 5) throw e;
      }
    }
  }
}

beforeAll(async () => {
  execFileSync("tmux", ["-V"]);
  await buildOnce();
});

afterEach(() => {
  if (!socket) return;
  try {
    tmux("kill-server");
  } catch {
    // already gone
  }
  rmSync(dirname(socket), { recursive: true, force: true });
  socket = undefined;
});

describe("the built-in pack in an 80-column terminal", () => {
  it("the default path is 8 prompts, all answered with Enter, and the next steps paste as plain lines", async () => {
    const dir = service();
    const exitFile = start(dir, []);
    const prompts = await enterThrough(exitFile);
    expect(exitCode(exitFile)).toBe(0);
    expect(prompts).toEqual([
      "Are these right?",
      "Container registry",
      "Kubernetes cluster",
      "Delivery mode",
      "Rollout strategy",
      "Environments (in promotion order)",
      "Use recommended settings for the rest?",
      "Write these files?",
    ]);
    const text = screen();
    expect(text).toContain("Language: python (detected)");
    expect(text).toContain("GitHub owner (organisation or user): acme (detected)");
    // Picked at a prompt (Enter on the offered choice): the user's answer; untouched: default.
    expect(text).toMatch(/registry: ghcr \(given\)/);
    expect(text).toMatch(/scan: true \(default\)/);
    // The next steps, as the pack renders them, appear line for line with no border around them.
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("owner: acme");
    const steps = text.slice(text.indexOf("Next steps for hello-python"));
    expect(steps.length).toBeGreaterThan(100);
    for (const line of steps.split("\n")) expect(line, "a next-steps line inside a box").not.toMatch(/^[│┌└]/);
    // Step 1's block, copied from the terminal as it is, is a valid shell script.
    const block = steps
      .slice(steps.indexOf("1. Configure"), steps.indexOf("\n2. "))
      .split("\n")
      .filter((l) => l.startsWith("    "));
    expect(block.filter((l) => /^\s+gh /.test(l)).length).toBeGreaterThan(2);
    // ...copied with its indentation, as a selection in the terminal gives it.
    execFileSync("bash", ["-n"], { input: block.join("\n") });
    const long = steps.split("\n").filter((l) => l.length > 80).length;
    console.log(`default path: ${prompts.length} prompts; next steps: ${steps.split("\n").length} lines, ${long} longer than 80 columns`);
    expect(long).toBe(0);
    // The terminal wrapped nothing: every line of the whole session is within 80 columns as printed.
    expect(screen(false)).toBe(screen(true));
  }, 60_000);

  it("cancel at the confirmation writes nothing, exits 130 and prints the command that repeats the answers", async () => {
    const dir = service();
    const exitFile = start(dir, []);
    // facts yes, then change the registry and the strategy
    await enterThrough(exitFile, "Container registry");
    await choose("Container registry", "Docker Hub");
    await enterThrough(exitFile, "Rollout strategy");
    await choose("Rollout strategy", "canary");
    const rest = await enterThrough(exitFile, "Write these files?");
    expect(rest.at(-1)).toContain("Write these files?");
    await choose("Write these files?", "Cancel");
    await waitFor("the end", () => exited(exitFile));
    expect(exitCode(exitFile)).toBe(130);
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    const text = screen();
    const printed = text.slice(text.indexOf("npx @create-pipeline/cli@")).split("\n\n")[0]!;
    for (const line of screen(false).split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    const command = printed.replace(/ \\\n\s*/g, " ").trim();
    expect(command).toMatch(/ --registry dockerhub .*--strategy canary .*--yes$/);
    // Pasted into a shell (with the local build standing in for npx), it creates those answers.
    const local = command.replace(/^npx @create-pipeline\/cli@\S+/, `${q(process.execPath)} ${q(BIN)}`);
    execFileSync("bash", ["-c", local], { cwd: dir, env: { ...process.env, CI: "true" }, stdio: "pipe" });
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("registry: dockerhub");
    expect(answers).toContain("strategy: canary");
    expect(answers).toContain("owner: acme");
  }, 60_000);

  it("long questions and hints wrap under the gutter, no lone group header, and Ctrl-C mid-way prints the command with the flags once", async () => {
    const dir = serviceWithoutRemote();
    const exitFile = start(dir, ["--strategy", "canary"]);
    await enterThrough(exitFile, "GitHub owner");
    keys("-l", "acme");
    keys("Enter");
    await enterThrough(exitFile, "Are these right?");
    await answerNo("Are these right?"); // No: each fact is asked, the long health question among them
    await enterThrough(exitFile, "Container registry");
    // Every line of the session so far is inside the prompts' frame: a wrapped question or hint
    // continues under the gutter bar instead of at the terminal's left edge.
    const shown = screen(false)
      .split("\n")
      .filter((l) => l.trim() !== "");
    for (const line of shown) expect(line, `a line outside the gutter:\n${shown.join("\n")}`).toMatch(/^[│┌└◆◇■▲●○◻◼├]/);
    expect(screen()).toContain("Health check path");
    // A group header stands over several questions of a step, never over a lone one.
    expect(shown.filter((l) => /^◇ {2}Image$/.test(l))).toEqual([]);
    keys("C-c");
    await waitFor("the end", () => exited(exitFile));
    expect(exitCode(exitFile)).toBe(130);
    const text = screen();
    expect(text.match(/ancelled/g), text).toHaveLength(1);
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    const printed = text.slice(text.indexOf("npx @create-pipeline/cli@")).split("\n\n")[0]!;
    const command = printed.replace(/ \\\n\s*/g, " ").trim();
    // the flag given on the command line and the answer typed at a prompt; not settled: no --yes
    expect(command).toMatch(/ --owner acme /);
    expect(command).toMatch(/ --strategy canary$/);
    const local = command.replace(/^npx @create-pipeline\/cli@\S+/, `${q(process.execPath)} ${q(BIN)}`);
    execFileSync("bash", ["-c", local], { cwd: dir, env: { ...process.env, CI: "true" }, stdio: "pipe" });
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("strategy: canary");
    expect(answers).toContain("owner: acme");
  }, 60_000);

  it("on a master branch the environments' hint names master, not main", async () => {
    const dir = serviceWithoutRemote();
    git(dir, "remote", "add", "origin", "git@github.com:acme/ledger.git");
    const exitFile = start(dir, []);
    await enterThrough(exitFile, "Environments");
    await waitFor("the choices", () => screen().includes("dev ("));
    expect(screen()).toContain("deployed on every push to master");
    expect(screen()).not.toMatch(/push to main/);
    keys("C-c");
    await waitFor("the end", () => exited(exitFile));
  }, 60_000);

  it("several services: No to the facts corrects them per service; Ctrl-C later prints the lines that save every answer so far; run, they create them", async () => {
    const dir = reactor();
    const exitFile = start(dir, []);
    const first = await enterThrough(exitFile, "Are these right?");
    expect(first).toEqual(["Are these right?"]);
    // Long folder names: a line per service instead of a table wider than the terminal.
    expect(screen()).toMatch(/clinic-customers-service: java \d+, port \d+, health \/actuator\/health,[\s│]+start from its build/);
    await answerNo("Are these right?"); // No: choose what to correct
    await enterThrough(exitFile, "Which to correct?");
    await answer("Which to correct?", "Enter"); // all of them (preselected)
    // The first service's port: typed, so it holds for that service only.
    await enterThrough(exitFile, "Port the service listens on");
    keys("BSpace", "BSpace", "BSpace", "BSpace");
    keys("-l", "9090");
    await answer("Port the service listens on", "Enter");
    await enterThrough(exitFile, "Container registry");
    await choose("Container registry", "Docker Hub"); // shared by every service
    await waitFor("the next question", () => (activePrompt() ?? "").includes("Kubernetes cluster"));
    keys("C-c");
    await waitFor("the end", () => exited(exitFile));
    expect(exitCode(exitFile)).toBe(130);
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    const text = screen();
    // said once, not again as an error of the service
    expect(text.match(/ancelled/g), text).toHaveLength(1);
    expect(text).not.toContain("create-pipeline: service");
    for (const line of screen(false).split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    // A port for one service is no flag (a flag sets every service): the lines save the answers
    // to a file with a here-document, then create reads it.
    const printed = printedFrom(text, "cat > ");
    expect(printed).toContain("registry: dockerhub");
    expect(printed).toMatch(/- path: clinic-api-gateway\n\s+port: 9090\n/);
    expect(printed).toMatch(/--config "\$\{TMPDIR:-\/tmp\}\/create-pipeline-answers\.yaml"$/);
    // Pasted into a shell, in a fresh temporary folder for the saved file, they create those answers.
    const tmp = tempDir("cp-saved-");
    execFileSync("bash", ["-c", runnable(printed)], { cwd: dir, env: { ...process.env, CI: "true", TMPDIR: tmp }, stdio: "pipe" });
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("registry: dockerhub");
    expect(answers).toMatch(/- path: clinic-api-gateway\n\s+port: 9090\n/);
    expect(readFileSync(join(dir, "charts", "clinic-api-gateway", "values.yaml"), "utf8")).toMatch(/9090/);
    expect(readFileSync(join(dir, "charts", "clinic-config-server", "values.yaml"), "utf8")).not.toMatch(/9090/);
  }, 120_000);

  it("several services: No to the facts, then a service left out of the include list; Cancel at the confirmation writes nothing, exits 130 and prints the command with the services kept", async () => {
    const dir = reactor();
    const exitFile = start(dir, []);
    const first = await enterThrough(exitFile, "Are these right?");
    expect(first).toEqual(["Are these right?"]);
    // Every detected service in the table, all included.
    expect(screen()).toMatch(/About these 3 services/);
    await answerNo("Are these right?"); // No: choose what to change
    await enterThrough(exitFile, "Which to correct?");
    expect(screen()).toMatch(/Services to set up[^\n]*3 of 3 included/);
    await answer("Which to correct?", "Enter"); // all of them (preselected), the services first
    await enterThrough(exitFile, "Services to set up");
    await answer("Services to set up", "Space", "Enter"); // the first one left out
    await enterThrough(exitFile, "Container registry");
    await choose("Container registry", "Docker Hub");
    const rest = await enterThrough(exitFile, "Write these files?");
    expect(rest.join("\n")).not.toContain("clinic-api-gateway");
    await choose("Write these files?", "Cancel");
    await waitFor("the end", () => exited(exitFile));
    expect(exitCode(exitFile)).toBe(130);
    expect(existsSync(join(dir, ".create-pipeline.yaml"))).toBe(false);
    const text = screen();
    expect(text.match(/ancelled/g), text).toHaveLength(1);
    const printed = printedFrom(text, "npx @create-pipeline/cli@");
    const command = runnable(printed);
    expect(command).toMatch(/ --services clinic-config-server,clinic-customers-service .*--registry dockerhub .*--yes$/);
    execFileSync("bash", ["-c", command], { cwd: dir, env: { ...process.env, CI: "true" }, stdio: "pipe" });
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("registry: dockerhub");
    expect(answers).toContain("- path: clinic-config-server");
    expect(answers).not.toContain("clinic-api-gateway");
  }, 120_000);

  // (Before this flow, the same repository took 39 prompts: every shared question, then each
  // service's facts one by one, and a Yes/No at the end.)
  it("several services: the default path is 8 prompts, all answered with Enter", async () => {
    const dir = shop();
    const exitFile = start(dir, []);
    const prompts = await enterThrough(exitFile);
    console.log(`several services, default path: ${prompts.length} prompts:\n${prompts.join("\n")}`);
    expect(exitCode(exitFile)).toBe(0);
    expect(prompts).toEqual([
      "Are these right?",
      "Container registry",
      "Kubernetes cluster",
      "Delivery mode",
      "Rollout strategy",
      "Environments (in promotion order)",
      "Use recommended settings for the rest?",
      "Write these files?",
    ]);
    const text = screen();
    // The facts of both services in one table, with the shared ones, before the one confirmation.
    expect(text).toMatch(/path +name +language +port +health +start from/);
    expect(text).toMatch(/services\/api +hello-node +node \d+ +3000 +\/healthz +package\.json/);
    expect(text).toMatch(/services\/gateway +hello-go +go 1\.\d+ +8080 +\/healthz +its build/);
    expect(text).toMatch(/owner: acme \(detected\)/);
    expect(text).toMatch(/registry: ghcr \(given\)/);
    expect(text).toMatch(/scan: true \(default\)/);
    // The terminal wrapped nothing: every line of the session is within 80 columns as printed.
    const raw = screen(false).split("\n");
    expect(raw.filter((l) => l.length > 80)).toEqual([]);
    const answers = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers).toContain("- path: services/api");
    expect(answers).toContain("- path: services/gateway");
  }, 120_000);

  it("several services: Cancel prints the command that, run with --yes, writes the answers Yes would have written", async () => {
    // The same session twice, in two copies of the repository: ended with Cancel, then with Yes.
    const session = async (dir: string, last: string) => {
      const exitFile = start(dir, []);
      await enterThrough(exitFile, "Container registry");
      await choose("Container registry", "Docker Hub");
      await enterThrough(exitFile, "Rollout strategy");
      await choose("Rollout strategy", "canary");
      await enterThrough(exitFile, "Use recommended settings for the rest?");
      await answerNo("Use recommended settings for the rest?"); // No: the extras
      await enterThrough(exitFile, "Extras");
      await answer("Extras", "Space", "Enter"); // the first extra (multi-arch images) turned on
      await enterThrough(exitFile, "Write these files?");
      await choose("Write these files?", last);
      await waitFor("the end", () => exited(exitFile));
      return { code: exitCode(exitFile), text: screen() };
    };
    const cancelled = shop();
    const c = await session(cancelled, "Cancel");
    expect(c.code).toBe(130);
    expect(existsSync(join(cancelled, ".create-pipeline.yaml"))).toBe(false);
    const command = runnable(printedFrom(c.text, "npx @create-pipeline/cli@"));
    expect(command).toMatch(/ --services services\/api,services\/gateway .*--registry dockerhub .*--strategy canary .*--yes$/);
    tmux("kill-server");
    rmSync(dirname(socket!), { recursive: true, force: true });
    const written = shop();
    const w = await session(written, "Yes, write them");
    expect(w.code).toBe(0);
    execFileSync("bash", ["-c", command], { cwd: cancelled, env: { ...process.env, CI: "true" }, stdio: "pipe" });
    const answers = (dir: string) => readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(answers(cancelled)).toContain("strategy: canary");
    expect(answers(cancelled)).toContain("multiArch: true");
    expect(answers(cancelled)).toBe(answers(written));
  }, 120_000);
});
