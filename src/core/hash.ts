import { createHash } from "node:crypto";

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
    h = `sha256-${createHash("sha256").update(content).digest("hex").slice(0, 32)}`;
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(content, h);
  }
  return h;
};
