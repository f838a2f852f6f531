/**
 * Gradle version catalogs (gradle/libs.versions.toml, or one settings.gradle declares under a name
 * of its own): the `libs.*` accessors (`<name>.*`) of a build script written out as the coordinates
 * they stand for, so the Java reader sees the dependencies, plugins and versions the catalog declares.
 *
 * Accessors: a library `spring-boot-starter-web` is `libs.spring.boot.starter.web` ("-", "_" and
 * "." separate the same accessor parts), a plugin is `libs.plugins.<alias>`, a bundle
 * `libs.bundles.<alias>` and a version `libs.versions.<alias>` (with `.get()`).
 * https://docs.gradle.org/current/userguide/version_catalogs.html
 */

export interface Catalog {
  versions: Map<string, string>;
  /** Alias → "group:name[:version]". */
  libraries: Map<string, string>;
  /** Alias → { id, version }. */
  plugins: Map<string, { id: string; version?: string | undefined }>;
  /** Alias → library aliases. */
  bundles: Map<string, string[]>;
}

/** "spring-boot_starter.web" → "spring.boot.starter.web": the accessor form of an alias. */
const accessor = (alias: string) => alias.replace(/[-_]/g, ".").toLowerCase();

/** The tables of a catalog: `[section]` then `key = value` entries (values over several lines for arrays). */
function tomlSections(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const section = /^\[([\w.-]+)\]\s*(?:#.*)?$/.exec(line);
    if (section) {
      current = new Map();
      out.set(section[1]!, current);
      continue;
    }
    const kv = /^["']?([\w.-]+)["']?\s*=\s*(.*)$/.exec(line);
    if (kv === null || current === undefined) continue;
    let value = kv[2]!;
    // An array or inline table continued on the next lines.
    const open = (v: string) => (v.match(/[[{]/g)?.length ?? 0) - (v.match(/[\]}]/g)?.length ?? 0);
    while (open(value.replace(/"[^"]*"|'[^']*'/g, "")) > 0 && i + 1 < lines.length) value += ` ${lines[++i]!.trim()}`;
    current.set(kv[1]!, value.replace(/\s+#[^"']*$/, "").trim());
  }
  return out;
}

const str = (v: string | undefined) => /^["']([^"']*)["']$/.exec(v?.trim() ?? "")?.[1];
/** A field of an inline table: `{ module = "g:a", version.ref = "x" }`. */
const field = (table: string, key: string) => new RegExp(`(?:^|[{,\\s])${key.replace(/[.]/g, "\\.")}\\s*=\\s*["']([^"']*)["']`).exec(table)?.[1];

/** A version entry: "1.2" or { strictly/require/prefer = "1.2" }. */
function versionOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return str(v) ?? field(v, "strictly") ?? field(v, "require") ?? field(v, "prefer");
}

export function parseCatalog(text: string): Catalog {
  const s = tomlSections(text);
  const versions = new Map<string, string>();
  for (const [k, v] of s.get("versions") ?? []) {
    const ver = versionOf(v);
    if (ver !== undefined) versions.set(accessor(k), ver);
  }
  const refVersion = (table: string) => {
    const ref = field(table, "version.ref");
    if (ref !== undefined) return versions.get(accessor(ref));
    return field(table, "version") ?? versionOf(/version\s*=\s*(\{[^}]*\})/.exec(table)?.[1]);
  };
  const libraries = new Map<string, string>();
  for (const [k, v] of s.get("libraries") ?? []) {
    const plain = str(v);
    let coords: string | undefined;
    if (plain !== undefined) coords = plain;
    else {
      const module =
        field(v, "module") ?? (field(v, "group") !== undefined && field(v, "name") !== undefined ? `${field(v, "group")}:${field(v, "name")}` : undefined);
      const ver = refVersion(v);
      if (module !== undefined) coords = ver !== undefined ? `${module}:${ver}` : module;
    }
    if (coords !== undefined) libraries.set(accessor(k), coords);
  }
  const plugins = new Map<string, { id: string; version?: string | undefined }>();
  for (const [k, v] of s.get("plugins") ?? []) {
    const plain = str(v);
    if (plain !== undefined) {
      const [id, version] = plain.split(":");
      if (id) plugins.set(accessor(k), { id, version });
      continue;
    }
    const id = field(v, "id");
    if (id !== undefined) plugins.set(accessor(k), { id, version: refVersion(v) });
  }
  const bundles = new Map<string, string[]>();
  for (const [k, v] of s.get("bundles") ?? []) {
    const items = [...v.matchAll(/["']([^"']+)["']/g)].map((m) => accessor(m[1]!));
    bundles.set(accessor(k), items);
  }
  return { versions, libraries, plugins, bundles };
}

/** The longest known alias at the start of a dotted accessor chain, and the rest. */
function longest<T>(chain: string, table: Map<string, T>): { alias: string; value: T; rest: string } | undefined {
  const parts = chain.split(".");
  for (let n = parts.length; n > 0; n--) {
    const alias = parts.slice(0, n).join(".").toLowerCase();
    const value = table.get(alias);
    if (value !== undefined) return { alias, value, rest: parts.slice(n).join(".") };
  }
  return undefined;
}

/**
 * A build script with its catalog accessors written out: `alias(libs.plugins.x)` becomes
 * `id("<plugin id>") version "<version>"`, a library accessor `"<group>:<name>[:<version>]"`, a
 * bundle its libraries, `libs.versions.x.get()` (and `.toInt()`) the version itself.
 * `used` says whether any accessor was resolved.
 */
export function expandCatalog(script: string, catalog: Catalog, name = "libs"): { text: string; used: boolean } {
  let used = false;
  const lib = (alias: string) => catalog.libraries.get(alias);
  let text = script.replace(new RegExp(`\\balias\\(\\s*${name}\\.plugins\\.([\\w.]+?)\\s*\\)`, "g"), (m, chain: string) => {
    const hit = longest(chain, catalog.plugins);
    if (hit === undefined) return m;
    used = true;
    return `id("${hit.value.id}")${hit.value.version !== undefined ? ` version "${hit.value.version}"` : ""}`;
  });
  text = text.replace(new RegExp(`\\b${name}\\.versions\\.([\\w.]+?)(?:\\.get\\(\\)(?:\\.toInt\\(\\))?)`, "g"), (m, chain: string) => {
    const v = catalog.versions.get(chain.toLowerCase());
    if (v === undefined) return m;
    used = true;
    return /^\d+$/.test(v) ? v : `"${v}"`;
  });
  text = text.replace(new RegExp(`\\b${name}\\.bundles\\.([\\w.]+)`, "g"), (m, chain: string) => {
    const hit = longest(chain, catalog.bundles);
    if (hit === undefined) return m;
    used = true;
    return hit.value.map((a) => `"${lib(a) ?? a}"`).join(", ");
  });
  text = text.replace(new RegExp(`\\b${name}\\.(?!plugins\\.|versions\\.|bundles\\.)([A-Za-z][\\w]*(?:\\.[A-Za-z][\\w]*)*)`, "g"), (m, chain: string) => {
    const hit = longest(chain, catalog.libraries);
    if (hit === undefined) return m;
    used = true;
    return `"${hit.value}"${hit.rest && !/^(?:get|asProvider)\b/.test(hit.rest) ? `.${hit.rest}` : ""}`;
  });
  return { text, used };
}
