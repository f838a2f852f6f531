/**
 * Bounded reading for detection: the first 64 KiB of a regular file, the
 * names in one directory, and small helpers over what was read. Nothing
 * here writes, recurses or spawns a process.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from "node:fs";

/** Largest number of bytes read from any one file. */
export const MAX_READ = 64 * 1024;

/**
 * First `MAX_READ` bytes of a regular file as UTF-8, or undefined. Read with synchronous calls:
 * the files are small and local, and a thread-pool round trip per call costs more than the read
 * (detection of a repository of hundreds of services reads thousands of them).
 */
export async function readHead(file: string): Promise<string | undefined> {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO named like a manifest must not hang detection.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const size = Math.min(st.size, MAX_READ);
    if (size === 0) return "";
    const buf = Buffer.alloc(size);
    const bytesRead = readSync(fd, buf, 0, size, 0);
    return buf.toString("utf8", 0, bytesRead).replace(/^\uFEFF/, "");
  } catch {
    return undefined;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/** Reads a file by its full path (readHead, or a cached one shared by the detections of one run). */
export type FileReader = (file: string) => Promise<string | undefined>;

/**
 * readHead remembered per path for one run: the detections of many service folders of one
 * repository ask the same questions of the folders above them (.git, the root's manifests).
 */
export function cachedReader(): FileReader {
  const seen = new Map<string, Promise<string | undefined>>();
  return (file) => {
    let r = seen.get(file);
    if (r === undefined) seen.set(file, (r = readHead(file)));
    return r;
  };
}

export interface Listing {
  files: Set<string>;
  dirs: Set<string>;
}

/** Names in one directory (no recursion); empty when unreadable. */
export async function list(dir: string): Promise<Listing> {
  const out: Listing = { files: new Set(), dirs: new Set() };
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) out.dirs.add(e.name);
      else if (e.isFile() || e.isSymbolicLink()) out.files.add(e.name);
    }
  } catch {
    // missing or unreadable: nothing to detect here
  }
  return out;
}

export type Reader = (rel: string) => Promise<string | undefined>;

/** Read the first file of `names` that exists in the listing. */
export async function firstOf(read: Reader, top: Listing, names: readonly string[]): Promise<string | undefined> {
  for (const n of names) {
    if (top.files.has(n)) {
      const t = await read(n);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** An XML text (a pom) without its comments. */
export const stripXmlComments = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, "");

/** First capture group of the first pattern that matches. */
export function firstMatch(text: string | undefined, patterns: readonly RegExp[]): string | undefined {
  if (text === undefined) return undefined;
  for (const re of patterns) {
    const m = re.exec(text);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}
