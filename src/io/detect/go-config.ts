/**
 * Go: the port from a configuration file committed in the repository that the service reads at
 * start (YAML, TOML or JSON): through viper (`SetConfigName("config")` + `AddConfigPath("./configs")`,
 * or `SetConfigFile("config.yaml")`; viper reads a config file over its SetDefault values:
 * github.com/spf13/viper README, "Why Viper?" precedence: flag, env, config, key/value store,
 * default), or a path literal the code opens (`os.ReadFile("config.yaml")`, a `-config` flag's
 * default) and unmarshals. The key is the one the code asks viper for (`GetInt("server.port")`,
 * `GetString("http.addr")`), else a `port`/`addr` key of the service's own (not a database's,
 * a cache's or a metrics listener's).
 */
import { serviceKey } from "./port-health.js";
import type { Reader } from "./read.js";

const EXTS = ["yaml", "yml", "toml", "json"];
const PORT_KEY = /(?:^|[._-])(?:port|addr|address|listen|listen_?addr|http_?port|bind)$/i;

/** Key paths → scalar values of a simple YAML file (nested maps, first document). */
export function flattenYaml(text: string): [string, string][] {
  const out: [string, string][] = [];
  const stack: { indent: number; key: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^---\s*$/.test(line) && out.length > 0) break;
    if (/^\s*(?:#|$)/.test(line)) continue;
    const m = /^([ \t]*)(["']?)([\w.-]+)\2[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (m === null) continue;
    const indent = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const value = m[4]?.replace(/\s+#.*$/, "").trim();
    if (value === undefined || value === "") stack.push({ indent, key: m[3]! });
    else out.push([[...stack.map((e) => e.key), m[3]!].join("."), value.replace(/^["']|["']$/g, "")]);
  }
  return out;
}

/** Key paths → scalar values of a simple TOML file (`[server]` tables, `key = value`). */
export function flattenToml(text: string): [string, string][] {
  const out: [string, string][] = [];
  let table = "";
  for (const line of text.split(/\r?\n/)) {
    const t = /^\s*\[([\w.-]+)\]\s*(?:#.*)?$/.exec(line);
    if (t !== null) {
      table = t[1]!;
      continue;
    }
    const kv = /^\s*([\w.-]+)\s*=\s*(.+?)\s*(?:#.*)?$/.exec(line);
    if (kv !== null) out.push([table ? `${table}.${kv[1]}` : kv[1]!, kv[2]!.replace(/^["']|["']$/g, "")]);
  }
  return out;
}

/** Key paths → scalar values of a JSON object. */
function flattenJson(text: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (v: unknown, key: string) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}.${k}` : k);
    else if (typeof v === "string" || typeof v === "number") out.push([key, String(v)]);
  };
  try {
    walk(JSON.parse(text), "");
  } catch {
    // not JSON: nothing read
  }
  return out;
}

/** A port in a value: 8081, "8081", ":8081", "0.0.0.0:8081". */
function portOf(value: string): number | undefined {
  const m = /^(?:[\w.[\]-]*:)?(\d{2,5})$/.exec(value.trim());
  const n = m === null ? undefined : Number(m[1]);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

const clean = (p: string) => p.replace(/^\.\//, "").replace(/\/$/, "");

/**
 * The port a committed configuration file gives the service, with where it came from; undefined
 * when the sources read no such file or it holds no port of the service's own.
 */
export async function goConfigPort(sourceTexts: string[], read: Reader): Promise<{ port: number; from: string } | undefined> {
  const code = sourceTexts.join("\n");
  const candidates: { file: string; how: string }[] = [];
  // viper: SetConfigFile("path"), or SetConfigName("name") in each AddConfigPath (default: none, so "." only when added).
  for (const m of code.matchAll(/\bSetConfigFile\(\s*"([^"$]+)"\s*\)/g)) candidates.push({ file: clean(m[1]!), how: `viper SetConfigFile("${m[1]}")` });
  const names = [...code.matchAll(/\bSetConfigName\(\s*"([\w.-]+)"\s*\)/g)].map((m) => m[1]!);
  const dirs = [...code.matchAll(/\bAddConfigPath\(\s*"([^"$]*)"\s*\)/g)].map((m) => m[1]!).filter((d) => !d.startsWith("/") && !d.startsWith("~"));
  const type = /\bSetConfigType\(\s*"(\w+)"\s*\)/.exec(code)?.[1];
  for (const name of names)
    for (const dir of dirs)
      for (const ext of type === undefined ? EXTS : [type === "yml" ? "yml" : type, ...(type === "yaml" ? ["yml"] : [])]) {
        const file = clean(`${clean(dir) === "." || dir === "" ? "" : `${clean(dir)}/`}${name}.${ext}`);
        candidates.push({ file, how: `viper SetConfigName("${name}") in AddConfigPath("${dir}")` });
      }
  // A path literal the code opens or takes as a flag's default ("config.yaml", "configs/app.toml").
  for (const m of code.matchAll(/"((?:\.\/)?[\w./-]*\.(?:ya?ml|toml|json))"/g)) {
    const file = clean(m[1]!);
    // Only a configuration file by its name or folder, not an OpenAPI document or a compose file.
    if (
      file.includes("..") ||
      candidates.some((c) => c.file === file) ||
      !/(?:^|\/)(?:configs?|conf|settings)\/|(?:config|conf|settings|app|server|service)[\w-]*\.\w+$/i.test(file)
    )
      continue;
    candidates.push({ file, how: `the path "${m[1]}" in the code` });
  }
  // Keys the code asks viper for.
  const asked = [...code.matchAll(/\.Get(?:Int|Int32|Int64|Uint|Uint16|String)?\(\s*"([\w.-]+)"\s*\)/g)]
    .map((m) => m[1]!.toLowerCase())
    .filter((k) => PORT_KEY.test(k));
  for (const c of candidates) {
    const text = await read(c.file);
    if (text === undefined) continue;
    const ext = /\.(\w+)$/.exec(c.file)?.[1] ?? "";
    const pairs = ext === "toml" ? flattenToml(text) : ext === "json" ? flattenJson(text) : flattenYaml(text);
    const keyed = pairs.map(([k, v]) => [k.toLowerCase(), v, k] as const);
    const pick =
      asked.map((a) => keyed.find(([k, v]) => k === a && portOf(v) !== undefined)).find((x) => x !== undefined) ??
      keyed.find(([k, v]) => PORT_KEY.test(k) && serviceKey(k) && portOf(v) !== undefined);
    if (pick === undefined) continue;
    const asks = asked.includes(pick[0]) ? ` (the code reads "${pick[0]}")` : "";
    return { port: portOf(pick[1])!, from: `${c.file} ${pick[2]}: ${pick[1]}${asks}, read through ${c.how}` };
  }
  return undefined;
}
