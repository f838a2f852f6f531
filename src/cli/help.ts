import { flagName, flagUsage } from "../core/answers.js";
import type { PackManifest } from "../core/types.js";
import { BIN_NAME, PACKAGE_NAME, toolCommand } from "../product.js";
import { TOOL_VERSION } from "../version.js";
import { WIDTH, wrapText } from "./wrap.js";
import { COMMAND_SPECS, describeFor, OPTIONS, optionLabel, optionsFor, PROMPTING, takenFlag, type Command } from "./options.js";

const NOTHING_ASKED = `Without a terminal (CI), or with --yes or --json, nothing is ever asked: a
missing answer is an error that lists the flags that supply it.`;

/** The exit codes, each with the commands that can end with it (absent: every command). */
const EXIT_CODES: { text: string; commands?: readonly Command[] }[] = [
  { text: "0 ok" },
  { text: "1 internal error" },
  { text: "2 usage or validation error" },
  { text: "3 check found drift", commands: ["check"] },
  { text: "4 update left conflicts to resolve", commands: ["update", "add"] },
  { text: "130 cancelled" },
];
/** The commands that write files (check: --add-workflow), whose run a signal rolls back. */
const WRITING: readonly Command[] = ["create", "update", "check", "add"];

/** What follows the options: whether anything is asked, and the exit codes (of one command, or all). */
function epilogue(command?: Command): string {
  const codes = EXIT_CODES.filter((c) => command === undefined || !c.commands || c.commands.includes(command)).map((c) => c.text);
  const lines: string[] = [];
  for (const text of codes) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 3 + text.length <= WIDTH) lines[last] += `   ${text}`;
    else lines.push(`  ${text}`);
  }
  const rolledBack = command === undefined || WRITING.includes(command) ? " (rolled back: nothing left half written)" : "";
  lines.push(`  143, 129 stopped by SIGTERM, SIGHUP${rolledBack}`);
  const asks = command === undefined || PROMPTING.includes(command);
  return `${asks ? `${NOTHING_ASKED}\n\n` : ""}Exit codes\n${lines.join("\n")}\n`;
}

/** The description column: after the longest option label, so every row lines up. */
const COLUMN = 2 + Math.max(...OPTIONS.map((o) => optionLabel(o).length)) + 2;

/** The option rows: of every command (the general usage), or of one command with what each does there. */
const optionRows = (opts: typeof OPTIONS, command?: Command) =>
  opts.map((o) => {
    // In the general usage, an option of a few commands names them (each command's --help is exact).
    const only = command === undefined && o.commands && o.commands.length <= 3 ? `${o.commands.join("/")}: ` : "";
    const description = command === undefined ? o.description : describeFor(o, command);
    return wrapText(`  ${optionLabel(o).padEnd(COLUMN - 2)}${only}${description}`, WIDTH, COLUMN);
  });

/** The general usage: every command, every option. */
export function usage(): string {
  const cmds = COMMAND_SPECS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}${c.name === "create" ? " (the default)" : ""}`);
  return `${PACKAGE_NAME}@${TOOL_VERSION}: a CI/CD pipeline for a service, kept current.

Usage
  ${toolCommand()} [command] [dir] [options] [answer flags]
  or installed (npm install -g ${PACKAGE_NAME}@${TOOL_VERSION}):
  ${BIN_NAME} [command] [dir] [options] [answer flags]

Commands
${cmds.join("\n")}

Options
${optionRows(OPTIONS).join("\n")}

<command> --help: the options that command takes and the pack's answer flags.

${epilogue()}`;
}

/** One command's usage and options (the pack's answer flags are added by the caller). */
export function commandHelp(command: Command): string {
  const spec = COMMAND_SPECS.find((c) => c.name === command)!;
  return `${wrapText(`${PACKAGE_NAME}@${TOOL_VERSION} ${command}: ${spec.summary}`, WIDTH, 2)}

Usage
  ${toolCommand()} ${command} ${spec.args}
${"details" in spec ? `\n${wrapText(`  ${spec.details}`, WIDTH, 2)}\n` : ""}
Options
${optionRows(optionsFor(command), command).join("\n")}

${epilogue(command)}`;
}

/** The commands table of docs/cli.md (a test keeps the doc equal to this). */
export function commandsMarkdown(): string {
  const rows = COMMAND_SPECS.map((c) => `| \`${c.name} ${c.args.replace(/\|/g, "\\|")}\` | ${c.summary} |`);
  return ["| command | what it does |", "| --- | --- |", ...rows].join("\n");
}

/** The options table of docs/cli.md (a test keeps the doc equal to this). */
export function optionsMarkdown(): string {
  const rows = OPTIONS.map((o) => `| \`${optionLabel(o).trim()}\` | ${o.commands ? o.commands.join(", ") : "all"} | ${o.description} |`);
  return ["| option | commands | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

export function packHelp(m: PackManifest): string {
  const rows = m.questions.map((q) => {
    // A question whose flag is also a command option is answered with --set.
    const flag = takenFlag(flagName(q)) ? `--set ${q.key}=<value>` : flagUsage(q);
    const def =
      q.default === undefined
        ? "required"
        : typeof q.default === "object" && !Array.isArray(q.default)
          ? "derived"
          : q.default === "" || (Array.isArray(q.default) && q.default.length === 0)
            ? "default: none"
            : `default ${Array.isArray(q.default) ? q.default.join(",") : String(q.default)}`;
    return `  ${flag}\n${wrapText(`      ${q.message} (${def})`, WIDTH, 6)}`;
  });
  return `\nAnswer flags of the '${m.name}' pack ${m.version}\n${rows.join("\n")}\n`;
}
