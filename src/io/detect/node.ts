/** Node: package.json, .nvmrc / .node-version, the start script and main file. */
import path from "node:path";
import type { Found } from "./found.js";
import { portIn } from "./port-health.js";
import { firstOf, list, type Listing, type Reader } from "./read.js";
import { lowerBound } from "./version.js";

const NODE_LTS: Record<string, string> = {
  argon: "4",
  boron: "6",
  carbon: "8",
  dubnium: "10",
  erbium: "12",
  fermium: "14",
  gallium: "16",
  hydrogen: "18",
  iron: "20",
  jod: "22",
  krypton: "24",
};

/** ">=20.19" → "20", "^22" → "22", "v20.11.1" → "20", "lts/iron" → "20". */
export function nodeMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const s = spec.trim().toLowerCase();
  const lts = /^lts\/([a-z]+)$/.exec(s);
  if (lts?.[1] !== undefined) return NODE_LTS[lts[1]];
  const parts = lowerBound(s);
  const major = parts?.[0];
  return major !== undefined && major >= 4 && major < 100 ? String(major) : undefined;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export async function detectNode(root: string, read: Reader, top: Listing, pkgText: string | undefined): Promise<Found> {
  const pkg = parseJson(pkgText);
  const found: Found = { sources: [] };
  if (pkg === undefined) return found;

  const name = str(pkg.name);
  if (name !== undefined) found.name = name.replace(/^@[^/]+\//, "");

  const pin = await firstOf(read, top, [".nvmrc", ".node-version"]);
  const volta = str(asRecord(pkg.volta)?.node);
  const engines = str(asRecord(pkg.engines)?.node);
  found.languageVersion = nodeMajor(pin?.split(/\r?\n/)[0]) ?? nodeMajor(volta) ?? nodeMajor(engines);

  const scripts = asRecord(pkg.scripts) ?? {};
  const test = str(scripts.test);
  if (test !== undefined && !/no test specified/i.test(test)) found.testCommand = "npm test";
  if (str(scripts.lint) !== undefined) found.lintCommand = "npm run lint";

  const start = str(scripts.start);
  const main = str(pkg.main);
  if (start !== undefined) found.startCommand = start;
  else if (main !== undefined) found.startCommand = `node ${main}`;

  // The file the start script runs, `main` (and their TypeScript sources
  // when they point at build output), then the usual entry points.
  const startFile = start === undefined ? undefined : /(?:^|\s)((?:\.\/)?[\w./-]+\.[cm]?[jt]s)(?=\s|$)/.exec(start)?.[1];
  const named = [startFile, main]
    .filter((c): c is string => c !== undefined && !c.split(/[\\/]/).includes(".."))
    .map((c) => path.posix.normalize(c))
    .flatMap((c) => {
      const built = /^(?:dist|build|lib|out)\/(.+)\.[cm]?js$/.exec(c)?.[1];
      return built === undefined ? [c] : [c, `src/${built}.ts`];
    });
  const src = top.dirs.has("src") ? await list(path.join(root, "src")) : undefined;
  const usual = [
    ...["server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs", "app.mjs"].filter((f) => top.files.has(f)),
    ...["index", "server", "app", "main"]
      .flatMap((b) => [`${b}.ts`, `${b}.js`, `${b}.mjs`])
      .filter((f) => src?.files.has(f))
      .map((f) => `src/${f}`),
  ];
  found.sources = [...new Set([...named, ...usual])];
  // A PORT=4000 prefix in the start script is the most explicit.
  if (start !== undefined) found.port = portIn(/\bPORT=\d/.test(start) ? start : undefined);
  return found;
}
