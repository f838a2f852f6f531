// A built-in pack's compiled templates (dist/packs/<name>.templates.js, one script) and the code
// V8 compiled for them, kept between runs in the user's cache folder: compiling the templates is
// most of what a run does after start-up, and V8 reads its own compiled code back far faster.
// The cache is only ever an optimisation: a missing, unreadable, corrupt or foreign file (another
// Node.js, other V8 flags, another build of the templates) is ignored and the templates compile
// as without it; a folder that cannot be written (a read-only HOME) is not an error. Nothing is
// written into a repository.
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { readRegularBytes } from "./read.js";

type Env = Readonly<Record<string, string | undefined>>;
type TemplateFn = (this: unknown, it: object, options: object) => string;

/**
 * Where compiled code is kept: CREATE_PIPELINE_CACHE_DIR, else $XDG_CACHE_HOME/create-pipeline,
 * else ~/.cache/create-pipeline (%LOCALAPPDATA% on Windows); none with CREATE_PIPELINE_NO_CACHE=1.
 */
export function cacheDir(env: Env): string | undefined {
  if (env.CREATE_PIPELINE_NO_CACHE === "1") return undefined;
  if (env.CREATE_PIPELINE_CACHE_DIR) return env.CREATE_PIPELINE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (process.platform === "win32" && env.LOCALAPPDATA) || join(env.HOME || homedir(), ".cache");
  return join(base, "create-pipeline");
}

const MAGIC = 0x63706363; // "cpcc"
const HEADER = 16; // magic, meta length, two checksum words
const MAX_CACHE = 32 * 1024 * 1024;

/**
 * Two 32-bit lanes over the bytes: V8 checks a code cache's version, flags and source length, but
 * (in release builds) not its content, so a damaged file is caught here before V8 sees it.
 */
function checksum(bytes: Uint8Array): [number, number] {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
  let a = 0x811c9dc5 ^ bytes.length;
  let b = 0x9e3779b1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul((b + w) | 0, 0x85ebca6b) ^ (b >>> 13);
  }
  for (let i = words.length * 4; i < aligned.length; i++) a = Math.imul(a ^ aligned[i]!, 0x01000193);
  return [a >>> 0, b >>> 0];
}

export interface CompiledTemplates {
  /** The compiled template for "files/<path>", "partials/<name>" or the next-steps text. */
  get(key: string): TemplateFn | undefined;
  /** Keep what V8 compiled in this run for the next, when it compiled a template the cache lacked. */
  save(): void;
}

/**
 * The templates of `file` (a script whose value is an object of template functions), whose
 * content has the hash `sha256` (recorded at build time): compiled from V8's cached code when a
 * good cache for this Node.js and this content is there, else from the source.
 */
export function compiledTemplates(file: string, sha256: string, env: Env = process.env): CompiledTemplates {
  const dir = cacheDir(env);
  // Per V8 version and architecture, so two Node.js versions do not overwrite each other's cache.
  const cacheFile = dir && join(dir, `v8-${process.versions.v8}-${process.arch}`, `templates-${sha256.slice(0, 40)}.bin`);
  let loaded: { script: vm.Script; fns: Record<string, TemplateFn>; accepted: boolean; cachedKeys: Set<string> } | undefined;
  const used = new Set<string>();
  const wrappers = new Map<string, TemplateFn>();

  const load = () => {
    if (loaded) return loaded;
    const source = readRegularBytes(file, "built-in templates").toString("utf8");
    const cached = cacheFile ? readCache(cacheFile) : undefined;
    // A rejected cache (another V8 build or flags, another source) leaves V8 compiling the source.
    const script = new vm.Script(source, { filename: file, cachedData: cached?.payload });
    const accepted = cached !== undefined && !script.cachedDataRejected;
    const fns = script.runInThisContext() as Record<string, TemplateFn>;
    loaded = { script, fns, accepted, cachedKeys: new Set(accepted ? cached!.keys : []) };
    return loaded;
  };

  return {
    get(key) {
      let w = wrappers.get(key);
      if (w) return w;
      const { fns } = load();
      if (!Object.hasOwn(fns, key)) return undefined;
      const fn = fns[key]!;
      // Which templates ran (V8 compiles a function when it first runs): the cache is written
      // again only when one ran that it did not hold.
      w = function (this: unknown, it: object, options: object) {
        used.add(key);
        return fn.call(this, it, options);
      };
      wrappers.set(key, w);
      return w;
    },
    save() {
      if (!cacheFile || !loaded) return;
      const { script, accepted, cachedKeys } = loaded;
      if (accepted && [...used].every((k) => cachedKeys.has(k))) return;
      writeCache(cacheFile, script, [...new Set([...cachedKeys, ...used])].sort());
    },
  };
}

function readCache(file: string): { payload: Buffer; keys: string[] } | undefined {
  try {
    const bytes = readRegularBytes(file, "code cache", { max: MAX_CACHE, noFollow: true });
    if (bytes.length < HEADER || bytes.readUInt32LE(0) !== MAGIC) return undefined;
    const metaLength = bytes.readUInt32LE(4);
    if (HEADER + metaLength > bytes.length) return undefined;
    const [a, b] = checksum(bytes.subarray(HEADER));
    if (bytes.readUInt32LE(8) !== a || bytes.readUInt32LE(12) !== b) return undefined;
    const meta = JSON.parse(bytes.toString("utf8", HEADER, HEADER + metaLength)) as { keys?: unknown };
    if (!Array.isArray(meta.keys) || !meta.keys.every((k) => typeof k === "string")) return undefined;
    return { payload: bytes.subarray(HEADER + metaLength), keys: meta.keys };
  } catch {
    return undefined;
  }
}

/** Written beside its place and renamed into it: a reader sees a whole file or none. Never fails the run. */
function writeCache(file: string, script: vm.Script, keys: string[]): void {
  const folder = join(file, "..");
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fd: number | undefined;
  let made = false;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Opened (exclusively, so a planted file or link is never followed) before the work of
    // serialising the code: a folder that cannot be written costs nothing more.
    fd = openSync(tmp, "wx", 0o600);
    made = true;
    const meta = Buffer.from(JSON.stringify({ keys }), "utf8");
    // The payload starts on a 4-byte boundary (the checksum reads it as words without a copy).
    const pad = (4 - ((HEADER + meta.length) % 4)) % 4;
    const body = Buffer.concat([meta, Buffer.alloc(pad, 0x20), script.createCachedData()]);
    const header = Buffer.alloc(HEADER);
    const [a, b] = checksum(body);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(meta.length + pad, 4);
    header.writeUInt32LE(a, 8);
    header.writeUInt32LE(b, 12);
    writeSync(fd, header);
    writeSync(fd, body);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch {
    try {
      if (fd !== undefined) closeSync(fd);
      if (made) unlinkSync(tmp);
    } catch {}
  }
}
