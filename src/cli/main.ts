import { PipelineError, exitCodes } from "../core/errors.js";
import { answersSchema } from "../core/json-schema.js";
import { clackPrompter } from "../io/prompter.js";
import { TOOL_VERSION } from "../version.js";
import { parseArgs } from "./args.js";
import { runCreate } from "./create.js";
import { USAGE, packHelp } from "./help.js";
import type { CliIo } from "./io.js";
import { openPack } from "./inputs.js";

/** argv → command → exit code. The only place that turns errors into messages. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes("--json");
  try {
    const first = parseArgs(argv);
    json = first.flags.json;
    if (first.flags.version) {
      io.stdout(`${TOOL_VERSION}\n`);
      return 0;
    }
    if (first.flags.help || first.command === "help") {
      let text = USAGE;
      if (first.flags.template !== undefined || first.command === "create" || first.command === "help") {
        const loaded = await openPack(io, first);
        text += packHelp(loaded.pack.manifest);
        await loaded.cleanup();
      }
      io.stdout(text);
      return 0;
    }
    switch (first.command) {
      case "create":
        return await runCreate(io, argv, first);
      case "update":
      case "check": {
        const { runUpdate } = await import("./update.js");
        return await runUpdate(io, argv, first);
      }
      case "add": {
        const { runAdd } = await import("./services.js");
        return await runAdd(io, argv, first);
      }
      case "schema": {
        const loaded = await openPack(io, first);
        io.stdout(`${JSON.stringify(answersSchema(loaded.pack.manifest), null, 2)}\n`);
        await loaded.cleanup();
        return 0;
      }
      default:
        return 0;
    }
  } catch (e) {
    return report(e, io, json);
  }
}

function report(e: unknown, io: CliIo, json: boolean): number {
  const err =
    e instanceof PipelineError
      ? e
      : new PipelineError("internal", `internal error: ${(e as Error)?.message ?? String(e)}`, { hint: "please report it with the command you ran", cause: e });
  const code = exitCodes[err.code];
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: { code: err.code, exitCode: code, message: err.message, where: err.where, hint: err.hint } }, null, 2)}\n`);
  const lines = [`create-pipeline: ${err.message}`];
  if (err.where) lines.push(`  at: ${err.where}`);
  if (err.hint) lines.push(`  fix: ${err.hint}`);
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
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    prompter: clackPrompter,
  };
  const code = await run(process.argv.slice(2), io);
  process.exitCode = code;
  // A remote fetch abandoned on its timeout may keep sockets open: do not wait for them.
  const { abandonedFetch } = await import("../io/pack-loader.js");
  if (abandonedFetch) process.exit(code);
}
