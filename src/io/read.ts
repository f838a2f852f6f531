// Reading a file the tool did not make: only a regular file, and not an endless one. A FIFO, a
// device (/dev/zero), a socket or a folder would block the run forever or never end; the check is
// made on the opened descriptor (opened without blocking), so a file swapped after a stat is caught.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { usageError } from "../core/errors.js";

/** The largest file read (bytes): far above any answers, state or template file. */
export const MAX_READ = 64 * 1024 * 1024;

const kindOf = (s: Stats) =>
  s.isFIFO()
    ? "a FIFO (named pipe)"
    : s.isCharacterDevice() || s.isBlockDevice()
      ? "a device"
      : s.isSocket()
        ? "a socket"
        : s.isDirectory()
          ? "a folder"
          : "not a regular file";

export interface ReadOptions {
  /** The largest size read (bytes); default MAX_READ. */
  max?: number;
  /** A symlink is refused too (files only the tool writes, which it never makes a link). */
  noFollow?: boolean;
  /** How to fix a refused file; default: replace it with a regular file (or a smaller one). */
  hint?: string;
}

/** Read a regular file as UTF-8; anything else is exit 2 naming it (ENOENT and other errors are thrown as they are). */
export function readRegularFile(full: string, what = "file", opts: ReadOptions = {}): string {
  return readRegularBytes(full, what, opts).toString("utf8");
}

/** The same as readRegularFile, giving the bytes as they are. */
export function readRegularBytes(full: string, what = "file", opts: ReadOptions = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK | (opts.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (e) {
    // O_NOFOLLOW on a symlink: ELOOP (EMLINK on some BSDs)
    if (opts.noFollow && ["ELOOP", "EMLINK"].includes((e as NodeJS.ErrnoException).code ?? ""))
      throw usageError(`${what} '${full}' is a symbolic link, not a regular file: it is not read`, full, opts.hint ?? "replace it with a regular file");
    // A socket (or a device with nothing behind it), such as /dev/stdin when it is a socket.
    if ((e as NodeJS.ErrnoException).code === "ENXIO")
      throw usageError(`${what} '${full}' is a socket or a device, not a regular file: it is not read`, full, opts.hint ?? "replace it with a regular file");
    throw e;
  }
  return readOpened(fd, full, what, opts) as Buffer;
}

/**
 * Read a file of the target without following a symlink: undefined when it is a symlink (the
 * caller checks where it leads), a folder (the caller says so) or missing. One open, one fstat
 * and one read for an ordinary file (a repository of hundreds of services reads thousands).
 */
export function readUnlessLink(full: string, what = "file"): { bytes: Buffer } | "link" | "folder" | undefined {
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (code === "ELOOP") return "link";
    if (code === "ENXIO")
      throw usageError(`${what} '${full}' is a socket or a device, not a regular file: it is not read`, full, "replace it with a regular file");
    throw e;
  }
  const got = readOpened(fd, full, what, {}, true);
  return got === "folder" ? "folder" : { bytes: got };
}

function readOpened(fd: number, full: string, what: string, opts: ReadOptions, folderOk = false): Buffer | "folder" {
  const max = opts.max ?? MAX_READ;
  try {
    const s = fstatSync(fd);
    if (folderOk && s.isDirectory()) return "folder";
    if (!s.isFile())
      throw usageError(`${what} '${full}' is ${kindOf(s)}, not a regular file: it is not read`, full, opts.hint ?? "replace it with a regular file");
    if (s.size > max) throw usageError(`${what} '${full}' is ${s.size} bytes; files over ${max} bytes are not read`, full, opts.hint ?? "give a smaller file");
    // Never more than the limit, even from a file that grows while it is read.
    let buf = Buffer.allocUnsafe(Math.min(s.size, max) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) return buf.subarray(0, n);
      n += got;
      if (n > max) throw usageError(`${what} '${full}' is over ${max} bytes; it is not read`, full, opts.hint ?? "give a smaller file");
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
    }
  } finally {
    closeSync(fd);
  }
}
