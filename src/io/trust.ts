// The packs this user trusts on this machine: local pack folders they named themselves with
// --template (or accepted when asked), each with a hash of the content they trusted. Kept outside
// every repository, so nothing a repository records, and nothing a pull request changes, can add
// to it; a pack whose content changed since is asked about again (or refused without a terminal).
import { existsSync, mkdirSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { sha256 } from "../core/hash.js";
import type { Pack } from "../core/types.js";
import { readRegularFile } from "./read.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the list lives: CREATE_PIPELINE_CONFIG_DIR, else $XDG_CONFIG_HOME/create-pipeline, else ~/.config/create-pipeline. */
export function trustFile(env: Env): string {
  const dir = env.CREATE_PIPELINE_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), ".config"), "create-pipeline");
  return join(dir, "trusted-packs.json");
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/**
 * What a pack will run, as one hash: its manifest, every template, partial and data file (path
 * and content). Computed from what was loaded, so it is exactly what is about to be rendered.
 */
export function packHash(pack: Pack): string {
  const h = sha256();
  const part = (kind: string, name: string, text: string) => h.update(`${kind}\0${name}\0${text.length}\0${text}\0`);
  part("manifest", "template.yaml", JSON.stringify(pack.manifest));
  for (const [p, t] of [...pack.files].sort(([a], [b]) => (a < b ? -1 : 1))) part("file", p, t);
  for (const [p, t] of [...pack.partials].sort(([a], [b]) => (a < b ? -1 : 1))) part("partial", p, t);
  part("data", "", JSON.stringify(pack.data));
  return `sha256-${h.digest("hex")}`;
}

/** Trusted folders and the content hash trusted for each (an older list without hashes counts as changed). */
function read(env: Env): Record<string, string> {
  try {
    const v = JSON.parse(readRegularFile(trustFile(env), "trust list")) as { packs?: unknown; folders?: unknown };
    const out: Record<string, string> = {};
    if (Array.isArray(v.folders)) for (const f of v.folders) if (typeof f === "string") out[f] = "";
    if (typeof v.packs === "object" && v.packs !== null) for (const [f, hash] of Object.entries(v.packs)) if (typeof hash === "string") out[f] = hash;
    return out;
  } catch {
    return {};
  }
}

/** Has this folder been trusted on this machine (whatever its content then)? */
export const isKnown = (env: Env, folder: string) => read(env)[real(folder)] !== undefined;

export type TrustState = "trusted" | "changed" | "unknown";

/** Is this folder trusted on this machine, with this content? */
export function trustOf(env: Env, folder: string, pack: Pack): TrustState {
  const recorded = read(env)[real(folder)];
  if (recorded === undefined) return "unknown";
  return recorded === packHash(pack) ? "trusted" : "changed";
}

/** Remember a local pack folder the user chose, with its content. Best effort: a read-only home only means being asked again. */
export function rememberTrust(env: Env, folder: string, pack: Pack): void {
  const file = trustFile(env);
  const packs = Object.fromEntries(Object.entries(read(env)).filter(([f, hash]) => hash && existsSync(f)));
  packs[real(folder)] = packHash(pack);
  const sorted = Object.fromEntries(Object.entries(packs).sort(([a], [b]) => (a < b ? -1 : 1)));
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ packs: sorted }, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    /* not remembered: the next update asks (or needs --trust) */
  }
}
