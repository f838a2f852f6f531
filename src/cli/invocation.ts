import { TOOL_VERSION } from "../version.js";

/** How every message and generated file runs this tool: the scoped package at this exact version. */
export const INVOCATION = `npx @create-pipeline/cli@${TOOL_VERSION}`;
