import { styleText } from "node:util";

export type Paint = (format: "bold" | "dim" | "green" | "yellow" | "red" | "cyan", text: string) => string;

/**
 * Colour only for a terminal, never with NO_COLOR (any value, https://no-color.org) or TERM=dumb;
 * FORCE_COLOR (not 0) turns it on anyway. Plain text otherwise, so logs and pipes stay clean.
 */
export function painter(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): Paint {
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  const on = force || (isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb");
  if (!on) return (_f, text) => text;
  // The decision is made here: styleText must not second-guess it against process.stdout.
  return (f, text) => styleText(f, text, { validateStream: false } as never);
}
