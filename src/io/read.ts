// Reading a file the tool did not make: only a regular file, and not an endless one. A FIFO, a
// device (/dev/zero), a socket or a folder would block the run forever or never end; the check is
// made on the opened descriptor (opened without blocking), so a file swapped after a stat is caught.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
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
  const fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw usageError(`${what} '${full}' is ${kindOf(s)}, not a regular file: it is not read`, full, "replace it with a regular file");
    if (s.size > MAX_READ) throw usageError(`${what} '${full}' is ${s.size} bytes; files over ${MAX_READ} bytes are not read`, full, "give a smaller file");
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}
