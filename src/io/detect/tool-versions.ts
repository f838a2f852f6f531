/**
 * The runtime version a version manager pins for the repository: asdf's `.tool-versions`
 * (`nodejs 20.11.1`, `python 3.12.2`, `golang 1.22.3`, `java temurin-21.0.2+13.0.LTS`) and mise's
 * `mise.toml` / `.mise.toml` (`[tools]` `node = "20"`, `python = ["3.12"]`, `go = { version =
 * "1.22" }`). mise reads its own files over `.tool-versions`, and so are they read here. Each
 * language reader takes it after its own exact pins and before ranges and an existing image.
 */
import { firstOf, type Listing, type Reader } from "./read.js";

/** The tool names by language: asdf's plugin names and mise's (with their aliases). */
const NAMES: Record<"node" | "python" | "go" | "java", string[]> = {
  node: ["nodejs", "node"],
  python: ["python"],
  go: ["golang", "go"],
  java: ["java"],
};

/** A version a CI setup action can read (not "system", "ref:...", "path:..."). */
function usable(v: string | undefined): string | undefined {
  const s = v?.trim().replace(/^["']|["']$/g, "");
  return s === undefined || s === "" || /^(?:system|ref:|path:|prefix:|sub-)/.test(s) ? undefined : s;
}

/** The first version `.tool-versions` names for one of `names` ("nodejs 20.11.1 18.19.0" → "20.11.1"). */
function fromToolVersions(text: string, names: string[]): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const [tool, ...versions] = line.replace(/#.*$/, "").trim().split(/\s+/);
    if (tool !== undefined && names.includes(tool)) return usable(versions[0]);
  }
  return undefined;
}

/** The version mise.toml's [tools] gives one of `names`: a string, the first of a list, or an inline table's version. */
function fromMiseToml(text: string, names: string[]): { name: string; spec: string | undefined } | undefined {
  const tools = /^\s*\[tools\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(text)?.[1] ?? "";
  for (const line of tools.split(/\r?\n/)) {
    const m = /^\s*["']?([\w.-]+)["']?\s*=\s*(.+?)\s*(?:#.*)?$/.exec(line);
    if (m === null || !names.includes(m[1]!)) continue;
    const value = m[2]!;
    const first = /^\[\s*("[^"]*"|'[^']*')/.exec(value)?.[1] ?? /\bversion\s*=\s*("[^"]*"|'[^']*')/.exec(value)?.[1] ?? value;
    return { name: m[1]!, spec: usable(first) };
  }
  return undefined;
}

/** The version the repository's version manager files pin for `language`, with where it was read. */
export async function managerVersion(read: Reader, top: Listing, language: keyof typeof NAMES): Promise<{ spec: string; from: string } | undefined> {
  const names = NAMES[language];
  for (const f of ["mise.toml", ".mise.toml"]) {
    if (!top.files.has(f)) continue;
    const hit = fromMiseToml((await firstOf(read, top, [f])) ?? "", names);
    if (hit?.spec !== undefined) return { spec: hit.spec, from: `${f} [tools] ${hit.name} = "${hit.spec}"` };
  }
  if (top.files.has(".tool-versions")) {
    const text = (await firstOf(read, top, [".tool-versions"])) ?? "";
    const spec = fromToolVersions(text, names);
    const name = names.find((n) => new RegExp(`^\\s*${n}\\s`, "m").test(text));
    if (spec !== undefined) return { spec, from: `.tool-versions ${name} ${spec}` };
  }
  return undefined;
}
