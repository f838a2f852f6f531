import { isAbsolute, relative } from "node:path";
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

/** How to show a folder to the user: relative when it is below the current folder, else absolute. */
export function displayPath(cwd: string, target: string): string {
  const rel = relative(cwd, target);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? target : rel;
}

/** The command to run for a repository: with its folder (shell-quoted) when that is not the current one. */
export function commandFor(cwd: string, target: string, command: string): string {
  const dir = displayPath(cwd, target);
  const arg = dir === "." ? "" : /^[\w./@+-]+$/.test(dir) ? ` ${dir}` : ` '${dir.replace(/'/g, "'\\''")}'`;
  return `${toolCommand()} ${command}${arg}`;
}
