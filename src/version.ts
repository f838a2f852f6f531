// Replaced at build time by the bundler; the fallback serves tests run from source.
declare const __TOOL_VERSION__: string | undefined;
export const TOOL_VERSION: string = typeof __TOOL_VERSION__ === "string" ? __TOOL_VERSION__ : "0.1.0";
