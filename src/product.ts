import { TOOL_VERSION } from "./version.js";

/** The npm package this tool is published as (the unscoped name belongs to an unrelated project). */
export const PACKAGE_NAME = "@create-pipeline/cli";
/** The command it installs. */
export const BIN_NAME = "create-pipeline";

/**
 * How a user runs exactly this version of the tool, e.g. `npx @create-pipeline/cli@0.1.0 update`.
 * Every message and every generated file that tells someone to run the tool uses this (never the
 * bare or unscoped name, which could run another package, and never an unpinned version).
 */
export const toolCommand = (version: string = TOOL_VERSION): string => `npx ${PACKAGE_NAME}@${version}`;
