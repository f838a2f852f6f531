// `npm run lab`: bundles the lab (test/lab/*.ts) with esbuild and runs it. See test/lab/main.ts
// for the options (--json, --all, --only, --no-pid1, --keep) and docs/conformance.md for what it proves.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const repo = new URL("..", import.meta.url).pathname;
// The bundle keeps its packages external (yaml, eta, ...): it is written inside the repository so
// that Node resolves them from its node_modules, as it does for the sources.
const cache = join(repo, "node_modules", ".cache");
mkdirSync(cache, { recursive: true });
const out = mkdtempSync(join(cache, "cp-lab-build-"));
// Also when the lab exits on a signal (process.exit skips the finally below).
process.on("exit", () => rmSync(out, { recursive: true, force: true }));
const file = join(out, "lab.mjs");
await build({
  entryPoints: [join(repo, "test", "lab", "main.ts")],
  outfile: file,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  // The modules find the repository from their own folder.
  define: { "import.meta.dirname": JSON.stringify(join(repo, "test", "lab")) },
});
const { main } = await import(pathToFileURL(file).href);
let code = 2;
try {
  code = await main(process.argv.slice(2));
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(code);
