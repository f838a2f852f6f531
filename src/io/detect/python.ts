/** Python: pyproject.toml, setup.py / setup.cfg, version pins, usual entry files. */
import type { Found } from "./found.js";
import { firstOf, type Listing, type Reader } from "./read.js";
import { lowerBound } from "./version.js";

/** `key = "value"` pairs of one TOML table (only single-line strings). */
function tomlTable(text: string | undefined, table: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text === undefined) return out;
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([^[\]]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      inside = header[1] === table;
      continue;
    }
    if (line.startsWith("[[")) {
      inside = false;
      continue;
    }
    if (!inside) continue;
    const kv = /^["']?([A-Za-z0-9_.-]+)["']?\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (kv?.[1] !== undefined) out.set(kv[1], kv[2] ?? kv[3] ?? "");
  }
  return out;
}

/** ">=3.12" → "3.12", "3.12.4" → "3.12", "^3.11" → "3.11", ">=3.9,<4" → "3.9". */
export function majorMinor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const parts = lowerBound(spec.trim().replace(/^(?:python|pypy|cpython)-?/i, ""));
  if (parts === undefined || parts.length < 2) return undefined;
  return `${parts[0]}.${parts[1]}`;
}

export async function detectPython(read: Reader, top: Listing, pyproject: string | undefined): Promise<Found> {
  const project = tomlTable(pyproject, "project");
  const poetry = tomlTable(pyproject, "tool.poetry");
  const found: Found = { sources: [] };

  let name = project.get("name") ?? poetry.get("name");
  if (name === undefined && top.files.has("setup.py")) {
    name = /\bname\s*=\s*["']([^"']+)["']/.exec((await read("setup.py")) ?? "")?.[1];
  }
  if (name === undefined && top.files.has("setup.cfg")) {
    name = /^\[metadata\][^[]*?^name\s*=\s*([\w.-]+)/m.exec((await read("setup.cfg")) ?? "")?.[1];
  }
  if (name !== undefined) found.name = name;

  const pin = await firstOf(read, top, [".python-version"]);
  const pinned = pin
    ?.split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^\d+\.\d+/.test(l));
  const runtime = top.files.has("runtime.txt") ? (await read("runtime.txt"))?.trim() : undefined;
  found.languageVersion =
    majorMinor(pinned) ??
    majorMinor(project.get("requires-python")) ??
    majorMinor(tomlTable(pyproject, "tool.poetry.dependencies").get("python")) ??
    majorMinor(runtime);

  const pkgDir = found.name?.replace(/-/g, "_").toLowerCase();
  const files = ["main.py", "app.py", "server.py", "asgi.py", "wsgi.py", "Procfile"];
  const sources = files.filter((f) => top.files.has(f));
  for (const d of ["app", "src", pkgDir]) {
    if (d !== undefined && top.dirs.has(d)) sources.push(`${d}/main.py`, `${d}/app.py`, `${d}/__main__.py`);
  }
  if (pkgDir !== undefined && top.dirs.has("src")) {
    sources.push(`src/${pkgDir}/main.py`, `src/${pkgDir}/app.py`, `src/${pkgDir}/__main__.py`);
  }
  found.sources = sources;
  return found;
}
