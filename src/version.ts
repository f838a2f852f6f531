import { readFileSync } from "node:fs";

// Replaced at build time by the bundler; run from source (tests), it is read from package.json,
// so there is one place that says which version this is.
declare const __TOOL_VERSION__: string | undefined;
export const TOOL_VERSION: string =
  typeof __TOOL_VERSION__ === "string"
    ? __TOOL_VERSION__
    : (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
