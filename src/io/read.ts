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

/** Read a regular file as UTF-8; anything else is exit 2 naming it (ENOENT and other errors are thrown as they are). */
export function readRegularFile(full: string, what = "file"): string {
  return readOpened(openSync(full, constants.O_RDONLY | constants.O_NONBLOCK), full, what);
}

/**
 * Read a file of the target without following a symlink: undefined when it is a symlink (the
 * caller checks where it leads), a folder (the caller says so) or missing. One open, one fstat
 * and one read for an ordinary file (a repository of hundreds of services reads thousands).
 */
export function readUnlessLink(full: string, what = "file"): { text: string } | "link" | "folder" | undefined {
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (code === "ELOOP") return "link";
    throw e;
  }
  return readOpened(fd, full, what, true);
}

function readOpened(fd: number, full: string, what: string): string;
function readOpened(fd: number, full: string, what: string, folderOk: true): { text: string } | "folder";
function readOpened(fd: number, full: string, what: string, folderOk = false): string | { text: string } | "folder" {
  try {
    const s = fstatSync(fd);
    if (folderOk && s.isDirectory()) return "folder";
    if (!s.isFile()) throw usageError(`${what} '${full}' is ${kindOf(s)}, not a regular file: it is not read`, full, "replace it with a regular file");
    if (s.size > MAX_READ) throw usageError(`${what} '${full}' is ${s.size} bytes; files over ${MAX_READ} bytes are not read`, full, "give a smaller file");
    // Read to the end: one read for a file as big as fstat said (a short read of a regular file
    // is its end); a file that grew since is read on.
    let buf = Buffer.allocUnsafe(s.size + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > MAX_READ) throw usageError(`${what} '${full}' grew over ${MAX_READ} bytes while it was read`, full, "give a smaller file");
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const want = buf.length - n;
      const got = readSync(fd, buf, n, want, null);
      n += got;
      if (got < want) break;
    }
    const text = buf.toString("utf8", 0, n);
    return folderOk ? { text } : text;
  } finally {
    closeSync(fd);
  }
}
