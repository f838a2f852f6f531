/** Go: go.mod (module, go and toolchain lines), main.go and cmd/<name>/main.go. */
import path from "node:path";
import type { Found } from "./found.js";
import { list, type Listing } from "./read.js";
import { compareParts } from "./version.js";

export async function detectGo(root: string, top: Listing, gomod: string | undefined): Promise<Found> {
  const found: Found = { sources: [] };
  const mod = gomod ?? "";
  const module = /^\s*module\s+"?([^\s"]+)"?/m.exec(mod)?.[1];
  if (module !== undefined) {
    const segments = module.split("/").filter((s) => s !== "" && !/^v\d+$/.test(s));
    found.name = segments[segments.length - 1];
  }
  const toolchain = /^\s*toolchain\s+go(\d+\.\d+)/m.exec(mod)?.[1];
  const goLine = /^\s*go\s+(\d+\.\d+)/m.exec(mod)?.[1];
  // The toolchain line (when newer) names the Go that builds the module.
  found.languageVersion =
    toolchain !== undefined && (goLine === undefined || compareParts(toolchain.split(".").map(Number), goLine.split(".").map(Number)) > 0)
      ? toolchain
      : goLine;

  const sources = ["main.go", "server.go"].filter((f) => top.files.has(f));
  if (top.dirs.has("cmd")) {
    const cmd = [...(await list(path.join(root, "cmd"))).dirs].sort();
    // Prefer cmd/<name>, then cmd/server, then the rest (at most 4).
    cmd.sort((a, b) => rankCmd(b, found.name) - rankCmd(a, found.name));
    sources.push(...cmd.slice(0, 4).map((d) => `cmd/${d}/main.go`));
  }
  found.sources = sources;
  return found;
}

function rankCmd(d: string, name: string | undefined): number {
  if (d === name) return 3;
  if (d === "server" || d === "api") return 2;
  return 0;
}
