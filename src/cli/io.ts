import { isAbsolute, relative, resolve } from "node:path";
import type { Prompter } from "../io/prompter.js";
import { toolCommand } from "../product.js";

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Both stdin and stdout are terminals. */
  isTTY: boolean;
  /** Called only on interactive paths. */
  prompter: () => Promise<Prompter>;
}

/** Prompts are allowed only with a terminal, outside CI, and without --yes/--json. */
export function interactive(io: CliIo, flags: { yes: boolean; json: boolean }): boolean {
  const ci = io.env.CI !== undefined && io.env.CI !== "" && io.env.CI !== "false" && io.env.CI !== "0";
  return io.isTTY && !ci && !flags.yes && !flags.json;
}

/** Where the user is: the current folder, and the environment (a CI job that runs the tool outside its checkout). */
type Here = string | Pick<CliIo, "cwd" | "env">;

/**
 * How to show a folder to the user: relative when it is below the current folder, else absolute.
 * In a GitHub Actions job that runs the tool from outside the checkout (the check workflow runs
 * it from the runner's temporary folder, so the checkout's node_modules and .npmrc are never
 * used) the checkout is the repository its readers know: it is shown as its root ("."), never as
 * the runner's path, so the commands printed work as they are in a clone.
 */
export function displayPath(here: Here, target: string): string {
  const cwd = typeof here === "string" ? here : here.cwd;
  const rel = relative(cwd, target);
  if (rel === "") return ".";
  if (!rel.startsWith("..") && !isAbsolute(rel)) return rel;
  if (typeof here !== "string" && here.env.GITHUB_ACTIONS === "true" && here.env.GITHUB_WORKSPACE && resolve(here.env.GITHUB_WORKSPACE) === resolve(target))
    return ".";
  return target;
}

/** The command to run for a repository: with its folder (shell-quoted) when that is not the current one. */
export function commandFor(here: Here, target: string, command: string): string {
  const dir = displayPath(here, target);
  const arg = dir === "." ? "" : /^[\w./@+-]+$/.test(dir) ? ` ${dir}` : ` '${dir.replace(/'/g, "'\\''")}'`;
  return `${toolCommand()} ${command}${arg}`;
}
