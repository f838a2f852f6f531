import type { createHash as CreateHash } from "node:crypto";
import { createRequire } from "node:module";

// node:crypto (and the stream modules it loads) on the first hash only: a check without drift
// hashes nothing, and loading it costs start-up time.
const require = createRequire(import.meta.url);
let createHash: typeof CreateHash | undefined;

/** A new SHA-256 hash (node:crypto's, loaded on first use). */
export const sha256 = () => (createHash ??= (require("node:crypto") as typeof import("node:crypto")).createHash)("sha256");

/**
 * The hashes of the contents hashed last: a run hashes each generated file twice (the commit
 * journal, the state file), and a repository of hundreds of services has thousands of them.
 * Bounded, so a long-lived process (the tests) does not keep every content ever hashed.
 */
const recent = new Map<string, string>();
const RECENT_MAX = 20_000;

export const hashContent = (content: string): string => {
  let h = recent.get(content);
  if (h === undefined) {
    h = `sha256-${sha256().update(content).digest("hex").slice(0, 32)}`;
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(content, h);
  }
  return h;
};
