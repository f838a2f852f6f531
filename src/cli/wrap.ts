// Text for an 80-column terminal: one word-wrapper for help, reports and error messages.

export const WIDTH = 80;

/**
 * Words into lines of at most `width`; later lines are indented by `indent` spaces (the first keeps
 * its own leading spaces). A `command in backticks` stays on one line when it fits one, so it can
 * be copied as it is; a single word longer than a line (a path, a URL) is left whole.
 */
export function wrapText(text: string, width: number = WIDTH, indent = 2): string {
  if (text.includes("\n"))
    return text
      .split("\n")
      .map((l) => wrapText(l, width, indent))
      .join("\n");
  const lead = /^ */.exec(text)![0];
  const words = splitWords(text.slice(lead.length), width - indent);
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${" ".repeat(indent)}${word}`;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** Split at spaces, keeping a backtick span whole when it fits a line. */
function splitWords(text: string, room: number): string[] {
  const raw = text.split(" ");
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const ticks = (w.match(/`/g) ?? []).length;
    if (ticks % 2 === 1) {
      // An opening backtick: gather up to the closing one.
      let j = i + 1;
      while (j < raw.length && (raw[j]!.match(/`/g) ?? []).length % 2 === 0) j++;
      if (j < raw.length) {
        const span = raw.slice(i, j + 1).join(" ");
        if (span.length <= room) {
          out.push(span);
          i = j;
          continue;
        }
      }
    }
    out.push(w);
  }
  return out;
}

/**
 * A `label: text` line under a gutter (`  fix: ...`): wrapped to the width, continuation lines
 * aligned under the text so the label column stays clear.
 */
export function gutterLine(label: string, text: string, width: number = WIDTH): string {
  return text
    .split("\n")
    .map((part, i) => {
      const head = i === 0 ? label : " ".repeat(label.length);
      return wrapText(`${head}${part}`, width, label.length);
    })
    .join("\n");
}
