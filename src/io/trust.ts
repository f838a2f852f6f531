// The packs this user trusts on this machine: local pack folders they named themselves with
// --template (or accepted when asked). Kept outside every repository, so nothing a repository
// records, and nothing a pull request changes, can add to it.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the list lives: CREATE_PIPELINE_CONFIG_DIR, else $XDG_CONFIG_HOME/create-pipeline, else ~/.config/create-pipeline. */
export function trustFile(env: Env): string {
  const dir = env.CREATE_PIPELINE_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), ".config"), "create-pipeline");
  return join(dir, "trusted-packs.json");
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

function read(env: Env): string[] {
  try {
    const v = JSON.parse(readFileSync(trustFile(env), "utf8")) as { folders?: unknown };
    return Array.isArray(v.folders) ? v.folders.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export const isTrusted = (env: Env, folder: string) => read(env).includes(real(folder));

/** Remember a local pack folder the user chose. Best effort: a read-only home only means being asked again. */
export function rememberTrust(env: Env, folder: string): void {
  const file = trustFile(env);
  const folders = [...new Set([...read(env).filter((f) => existsSync(f)), real(folder)])].sort();
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ folders }, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    /* not remembered: the next update asks (or needs --trust) */
  }
}
