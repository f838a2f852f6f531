import { flagUsage } from "../core/answers.js";
import type { PackManifest } from "../core/types.js";
import { BIN_NAME, PACKAGE_NAME, toolCommand } from "../product.js";
import { TOOL_VERSION } from "../version.js";

export const USAGE = `${PACKAGE_NAME}@${TOOL_VERSION}: a complete CI/CD pipeline for a service, kept current.

Usage
  ${toolCommand()} [command] [dir] [options] [answer flags]
  or, installed (npm install -g ${PACKAGE_NAME}@${TOOL_VERSION}): ${BIN_NAME} [command] ...

Commands
  create   write the pipeline into dir (default .); the default command
  update   re-render with the current pack and merge your edits
  check    exit 3 if update would change anything ([--strict] [--json])
  schema   print the JSON Schema of the answers ([--template <pack>])

Options
  -y, --yes               take defaults for every answer not given; never prompt
      --config <file>     answers from a YAML/JSON file (keys as in .create-pipeline.yaml)
      --set key=value     one answer (repeatable)
      --template <pack>   built-in name, a folder (./my-pack) or a git repo (gh:org/repo/sub#ref)
      --trust             allow a remote template pack (its templates run JavaScript)
      --dry-run           show what would change; write nothing
      --json              machine-readable result on stdout
      --force             create: overwrite existing files that differ
      --skip-existing     create: keep existing files that differ
      --to <version>      update: move to this version of a remote pack (its git ref)
      --reconfigure       update: ask every question again, current answers as defaults
      --restore           update: bring back generated files that were deleted
      --allow-dirty       update: change files that have uncommitted edits
      --strict            check: hand edits count as drift too
      --add-workflow      check: write a workflow that runs check on pull requests, if none does
  -h, --help              this help (a pack's answer flags: --help --template <pack>)
  -v, --version           the version

Without a terminal (CI), or with --yes or --json, nothing is ever asked: a missing answer is an
error that lists the flags that supply it.

Exit codes
  0 ok   1 internal error   2 usage or validation error   3 check found drift
  4 update left conflicts to resolve   130 cancelled
`;

export function packHelp(m: PackManifest): string {
  const rows = m.questions.map((q) => {
    const def = q.default === undefined ? "required" : typeof q.default === "object" && !Array.isArray(q.default) ? "derived" : `default ${Array.isArray(q.default) ? q.default.join(",") : String(q.default)}`;
    return `  ${flagUsage(q).padEnd(44)} ${q.message} (${def})`;
  });
  return `\nAnswer flags of the '${m.name}' pack ${m.version}\n${rows.join("\n")}\n`;
}
