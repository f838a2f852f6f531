// The YAML writer of h.yaml. The YAML library is bundled into the tool but kept off the start-up
// path of a built-in pack's create (it is the largest module), so it is handed in by whoever loads
// it: reading a pack folder does (src/io/pack-dir.ts), and loadPack loads it for a built-in pack
// whose templates call h.yaml (src/core/yaml-writer.ts). Nothing is required from node_modules.
let yamlStringify: ((v: unknown, o: object) => string) | undefined;
export const setYamlStringify = (f: (v: unknown, o: object) => string): void => {
  yamlStringify = f;
};
const stringify = (v: unknown, o: object) => {
  if (!yamlStringify) throw new Error("h.yaml was called before the YAML library was loaded");
  return yamlStringify(v, o);
};

/** Characters a YAML plain scalar may be made of here (no indicators; no leading '-', '?', ':' or '.' except './'). */
const PLAIN_YAML = /^(?:[A-Za-z0-9_/$]|\.\/)[\w ./$=,@%+:()-]*[\w./$=@%+()-]$|^[A-Za-z_/]$/;
/** Plain text a YAML reader would take for something else than a string (1.1 or 1.2 rules). */
const YAML_SPECIAL =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[-+]?[0-9][0-9_.:eE+-]*|0[xob][0-9a-fA-F_]+)$/;
/** Characters a POSIX shell never treats specially in a word. */
const SHELL_PLAIN = /^[\w./:=@%+,-]+$/;

/** Helpers templates reach as `it.h`. Pure string functions only. */
export const helpers = {
  yaml(value: unknown, indent = 0): string {
    const text = stringify(value, { lineWidth: 0 }).replace(/\n$/, "");
    return helpers.indent(text, indent).trimStart();
  },
  json(value: unknown): string {
    return JSON.stringify(value, null, 2);
  },
  indent(text: string, n: number): string {
    const pad = " ".repeat(n);
    return text
      .split("\n")
      .map((l) => (l.length ? pad + l : l))
      .join("\n");
  },
  quote(s: unknown): string {
    return JSON.stringify(String(s));
  },
  /**
   * A YAML scalar that reads back as exactly `s` (YAML 1.1 and 1.2 readers alike): plain when
   * that is unambiguous, otherwise double-quoted with JSON escapes (a subset of YAML's).
   */
  yamlString(s: unknown): string {
    const t = String(s);
    return PLAIN_YAML.test(t) && !/: |:$| #/.test(t) && !YAML_SPECIAL.test(t) ? t : JSON.stringify(t);
  },
  /** One POSIX shell word: bare when it holds only characters the shell never treats specially, else single-quoted. */
  shellWord(s: unknown): string {
    const t = String(s);
    return SHELL_PLAIN.test(t) ? t : `'${t.replace(/'/g, `'\\''`)}'`;
  },
  /**
   * One command where there is no shell script around it (a Dockerfile `RUN x && y` line, a
   * pre-commit entry): plain words as they are, anything else as `sh -c '<s>'`, so quotes, `#`,
   * `;` and `&&` in `s` mean what they mean in a shell and nothing after it is swallowed.
   */
  shellCommand(s: unknown): string {
    const t = String(s).trim();
    return /^[\w./:=@%+,-]+( [\w./:=@%+,-]+)*$/.test(t) && !/^\w+=/.test(t) ? t : `sh -c ${helpers.shellWord(t)}`;
  },
  /** A Markdown code span that shows `s` as it is, also inside a table cell. */
  mdCode(s: unknown): string {
    const t = String(s);
    const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
    const fence = "`".repeat(longest + 1);
    const pad = t.startsWith("`") || t.endsWith("`") || /^ .* $/.test(t) ? " " : "";
    return `${fence}${pad}${t.replace(/\|/g, "\\|")}${pad}${fence}`;
  },
  kebab(s: string): string {
    return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/[^a-z0-9-]+/gi, "-");
  },
  title(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
  },
  upper(s: string): string {
    return s.toUpperCase().replace(/-/g, "_");
  },
};
