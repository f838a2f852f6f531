import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PipelineError, didYouMean, environmentError, exitCodeOf, usageError } from "../core/errors.js";
import { toolCommand } from "../product.js";
import { stopOutsideSessions } from "../io/session.js";
import { seeSignals } from "../io/stop.js";
import { TOOL_VERSION } from "../version.js";
import { COMMANDS, mistypedCommand, mistypedFirst, parseArgs, type Command } from "./args.js";
import { envelope, errorEnvelope, printJson } from "./envelope.js";
import type { CliIo } from "./io.js";
import { openPack } from "./inputs.js";
import { abandonedFetch } from "../io/pack-loader.js";
import { WIDTH, gutterLine, wrapText } from "./wrap.js";
import { ANSWERING } from "./options.js";

/** argv → command → exit code. The only place that turns errors into messages. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const stopHandling = stopOutsideSessions(io.stderr);
  try {
    const code = await runCommand(argv, io);
    // A signal that came during the last synchronous stretch still stops the run (and says so).
    await seeSignals();
    return code;
  } finally {
    stopHandling();
  }
}

async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes("--json");
  // A mistyped command ran no command at all: its envelope says so ("unknown"), not "create".
  let command: string = (COMMANDS as readonly string[]).includes(argv[0] ?? "") ? argv[0]! : mistypedFirst(argv, io.cwd) ? "unknown" : "create";
  try {
    const first = parseArgs(argv, undefined, io.cwd);
    json = first.flags.json;
    command = first.command;
    if (first.flags.version) {
      // `--version` prints one line and takes nothing else: `--version extra` is a mistake, not a version.
      const extra = argv.find((a, i) => a !== "--version" && a !== "-v" && a !== "--json" && !(i === 0 && a === first.command));
      if (extra !== undefined) throw usageError(`--version takes no other arguments (got '${extra}')`, extra, "run --version alone");
      io.stdout(json ? printJson(envelope("version", 0, { result: TOOL_VERSION })) : `${TOOL_VERSION}\n`);
      return 0;
    }
    if (first.flags.help || first.command === "help") {
      // `update --help` or `help update`: that command; bare `--help` or `help`: everything.
      const explicit = argv[0] === first.command;
      const about = first.command === "help" ? first.target : explicit ? first.command : undefined;
      if (about !== undefined && !(COMMANDS as readonly string[]).includes(about)) {
        const near = mistypedCommand(about) ?? didYouMean(about, COMMANDS);
        throw usageError(
          `no command '${about}'${near ? `: did you mean ${near}?` : ""}`,
          about,
          near ? `run \`${toolCommand()} help ${near}\`` : `commands: ${COMMANDS.join(", ")}`,
        );
      }
      const { commandHelp, packHelp, usage } = await import("./help.js");
      let text = about ? commandHelp(about as Command) : usage();
      // The pack's answer flags belong to the commands that take answers.
      if (about === undefined || ANSWERING.includes(about as Command)) {
        // update/check/add in a repository: the answer flags of the pack it was made with.
        const recorded =
          about !== undefined && about !== "create" && first.flags.template === undefined ? (await import("./update.js")).recordedPackOf(io, first) : undefined;
        const loaded = await openPack(io, first, recorded);
        text += packHelp(loaded.pack.manifest);
        await loaded.cleanup();
      }
      io.stdout(json ? printJson(envelope("help", 0, { result: text })) : text);
      return 0;
    }
    switch (first.command) {
      case "create": {
        const { runCreate } = await import("./create.js");
        return await runCreate(io, argv, first);
      }
      case "update":
      case "check": {
        const { runUpdate } = await import("./update.js");
        return await runUpdate(io, argv, first);
      }
      case "add": {
        const { runAdd } = await import("./services.js");
        return await runAdd(io, argv, first);
      }
      case "diff": {
        const { runDiff } = await import("./diff.js");
        // diff takes no answers: every option must be one of its own.
        return await runDiff(io, parseArgs(argv, [], io.cwd));
      }
      case "schema": {
        parseArgs(argv, [], io.cwd); // schema takes no answers: every option must be one of its own
        const loaded = await openPack(io, first);
        const { answersSchema } = await import("../core/json-schema.js");
        const schema = answersSchema(loaded.pack.manifest);
        await loaded.cleanup();
        io.stdout(
          json
            ? printJson(envelope("schema", 0, { pack: { name: loaded.pack.manifest.name, version: loaded.pack.manifest.version }, result: schema }))
            : `${JSON.stringify(schema, null, 2)}\n`,
        );
        return 0;
      }
      default:
        return 0;
    }
  } catch (e) {
    // A stop signal that came while a template held the thread (a long or endless one) is seen
    // only now: let it end the run with its own message instead of a second, misleading one.
    await seeSignals();
    return report(e, io, json, command);
  }
}

function report(e: unknown, io: CliIo, json: boolean, command: string): number {
  const err =
    e instanceof PipelineError
      ? e
      : (environmentError(e) ??
        new PipelineError("internal", `internal error: ${(e as Error)?.message ?? String(e)}`, {
          hint: "please report it with the command you ran",
          cause: e,
        }));
  const code = exitCodeOf(err);
  if (json) io.stdout(printJson(errorEnvelope(command, code, err)));
  // An interrupted prompt has already said it was cancelled (once is enough).
  if (err.code === "cancelled" && err.shown) return code;
  // 80 columns: each part wrapped under its own label, so the gutter stays clear.
  const lines = [wrapText(`create-pipeline: ${err.message}`, WIDTH, 2)];
  if (err.where) lines.push(gutterLine("  at: ", err.where));
  if (err.hint) lines.push(gutterLine("  fix: ", err.hint));
  if (err.code === "internal" && io.env.DEBUG && e instanceof Error) lines.push(String(e.stack));
  io.stderr(`${lines.join("\n")}\n`);
  return code;
}

/** Process entry: real streams, real terminal. */
export async function main(): Promise<void> {
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // (stdout first: output piped or to a file never makes the stdin stream, and its modules, for nothing)
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
    // The prompt library and its adapter only in a terminal that asks something.
    prompter: async () => (await import("../io/prompter.js")).clackPrompter(),
  };
  const code = await run(process.argv.slice(2), io);
  process.exitCode = code;
  // The run is over. Whatever still holds the process (a timer a trusted template started, a
  // socket) must not keep it alive: in automation that is a hang. Output to pipes and files is
  // written synchronously here, so nothing printed is cut off.
  setTimeout(() => process.exit(code), 500).unref();
  // A remote fetch abandoned on its timeout may keep sockets open: do not wait for them.
  if (abandonedFetch) process.exit(code);
}

/** Is this module the program node was started with (`node dist/cli.js`), not a module the bin loaded? */
function isEntry(): boolean {
  const started = process.argv[1];
  if (started === undefined || !import.meta.url.startsWith("file:")) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Started directly, the bundle runs as the bin does (the bin only adds its handling of a stop
// signal that comes while this loads): never a silent exit 0.
if (isEntry()) void main();
