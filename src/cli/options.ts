// The commands and options of the CLI, declared once. The parser (args.ts), the usage text and
// per-command help (help.ts) and the options table of docs/cli.md are all generated from here.

export interface CommandSpec {
  name: string;
  /** What follows the command name in the usage line. */
  args: string;
  summary: string;
  /** More about the arguments, shown by the command's --help. */
  details?: string;
}

export const COMMAND_SPECS = [
  { name: "create", args: "[dir] [options] [answer flags]", summary: "write the pipeline into dir (default .)" },
  { name: "update", args: "[dir] [options] [answer flags]", summary: "re-render with the current pack and merge your edits" },
  { name: "check", args: "[dir] [options] [answer flags]", summary: "exit 3 if update would change anything (for CI)" },
  {
    name: "diff",
    args: "[dir] [path...]",
    summary: "your hand edits against the generated base, per file",
    details:
      "When the first argument is a repository made by create-pipeline, the paths after it are inside it. Otherwise the repository is the one at or above the current folder, and every argument is a file or a folder (for every file below it), relative to the current folder. No path: every generated file.",
  },
  { name: "add", args: "<folder> [options] [answer flags]", summary: "add a service to a repository of several services" },
  { name: "schema", args: "[--template <pack>]", summary: "print the JSON Schema of the answers file" },
  { name: "help", args: "[command]", summary: "this help, or one command's options and answer flags" },
] as const satisfies readonly CommandSpec[];

export type Command = (typeof COMMAND_SPECS)[number]["name"];
export const COMMANDS: readonly Command[] = COMMAND_SPECS.map((c) => c.name);

export interface OptionSpec {
  /** Long name, without the dashes. */
  name: string;
  short?: string;
  /** Takes a value: its placeholder in the usage text. */
  value?: string;
  /** May be given more than once (values are collected). */
  multiple?: boolean;
  /** The commands that accept it; absent: every command. */
  commands?: readonly Command[];
  /** Output-only: a template pack question with the same flag name takes the flag instead. */
  yields?: boolean;
  description: string;
  /** What it does in one command's --help, where `description` (the general usage, docs/cli.md) says more than that command does. */
  per?: Partial<Record<Command, string>>;
}

/** The commands that take answers (flags, --set, --config) and plan files. */
export const ANSWERING: readonly Command[] = ["create", "update", "check", "add"];
/** The commands that load a template pack, which may ask whether to trust it. */
export const PROMPTING: readonly Command[] = [...ANSWERING, "schema", "help"];

export const OPTIONS: readonly OptionSpec[] = [
  { name: "yes", short: "y", commands: PROMPTING, description: "take defaults for every answer not given; never prompt" },
  { name: "config", value: "file", commands: ANSWERING, description: "answers from a YAML or JSON file (keys as in .create-pipeline.yaml)" },
  { name: "set", value: "key=value", multiple: true, commands: ANSWERING, description: "one answer (repeatable)" },
  { name: "template", value: "pack", commands: PROMPTING, description: "built-in name, a folder (./my-pack) or a git repo (gh:org/repo/sub#ref)" },
  { name: "trust", commands: PROMPTING, description: "allow a remote template pack (its templates run JavaScript)" },
  { name: "dry-run", commands: ["create", "update", "add"], description: "show the answers and the whole plan (with clashes); write nothing" },
  { name: "json", description: "one JSON result on stdout, errors included (its JSON Schema: dist/cli.schema.json in the package)" },
  { name: "verbose", yields: true, commands: ANSWERING, description: "list every file, not only a count per action" },
  { name: "force", commands: ["create"], description: "overwrite existing files that differ" },
  { name: "skip-existing", commands: ["create"], description: "keep existing files that differ" },
  {
    name: "services",
    value: "a,b",
    commands: ["create", "update"],
    description: "service folders: to include (create; default every one detected), or whose own answers to change (update)",
    per: { create: "service folders to include (default every one detected)", update: "service folders whose own answers to change" },
  },
  { name: "config-repo-for", value: "app", commands: ["create"], description: "lay out this GitOps config repository for the app repository <app>" },
  { name: "to", value: "version", commands: ["update"], description: "move a git template pack to this version (its git ref)" },
  { name: "reconfigure", commands: ["update"], description: "ask the questions again, current answers as defaults" },
  { name: "restore", commands: ["update"], description: "bring back generated files that were deleted" },
  { name: "allow-dirty", commands: ["create", "update", "add"], description: "change files that have uncommitted edits" },
  { name: "strict", commands: ["check"], description: "hand edits count as drift too" },
  {
    name: "strict-workflows",
    commands: ["check"],
    description: "edited or deleted generated files under .github/, and state entries the pack did not generate, count as drift",
  },
  { name: "add-workflow", commands: ["check"], description: "write a workflow that runs check on pull requests, if none does" },
  {
    name: "help",
    short: "h",
    description: "usage; with a command, its options and the pack's answer flags",
    per: Object.fromEntries(COMMANDS.map((c) => [c, ANSWERING.includes(c) ? "this help, with the pack's answer flags" : "this help"])),
  },
  { name: "version", short: "v", description: "print the version" },
];

export const optionsFor = (command: Command): OptionSpec[] => OPTIONS.filter((o) => !o.commands || o.commands.includes(command));

/** The option's description in one command's --help. */
export const describeFor = (o: OptionSpec, command: Command): string => o.per?.[command] ?? o.description;

/** `-y, --yes` / `    --config <file>`: the option as the usage text and docs show it. */
export function optionLabel(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` <${o.value}>` : ""}`;
}

/** A pack question's flag that a command option already takes: that question is answered with --set. */
export const takenFlag = (flag: string): boolean => OPTIONS.some((o) => !o.yields && o.name === flag);
