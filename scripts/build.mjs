// Bundle the CLI into one ESM file so a run loads a single module (start-up time matters:
// see `npm run bench`). Heavy, rarely used modules (prompts, degit) stay lazy imports.
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: "src/cli/main.ts", "dev-render": "src/cli/dev-render.ts", snapshot: "src/cli/snapshot.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Dependencies are bundled (one file to load is much faster than hundreds); the prompt
  // library and degit are loaded lazily, on the paths that use them, from node_modules.
  external: ["@clack/prompts", "degit"],
  define: { __TOOL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: "warning",
  minify: process.env.NO_MINIFY !== "1",
  sourcemap: "linked",
  // Bundled CommonJS dependencies require() node built-ins.
  banner: { js: "import { createRequire as __cpRequire } from 'node:module'; const require = __cpRequire(import.meta.url);" },
});

// Built-in packs, pre-validated, as JSON beside the bundle (see src/cli/snapshot.ts).
const { snapshotPack, schemaFor } = await import("../dist/snapshot.js");
const packsDir = new URL("../templates/", import.meta.url);
mkdirSync(new URL("../dist/packs/", import.meta.url), { recursive: true });
for (const entry of readdirSync(packsDir, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  writeFileSync(new URL(`../dist/packs/${entry.name}.json`, import.meta.url), await snapshotPack(new URL(entry.name, packsDir).pathname, entry.name));
}
// The answers schema of the default pack, referenced by every generated .create-pipeline.yaml.
writeFileSync(new URL("../schema/answers.schema.json", import.meta.url), await schemaFor(new URL("pipeline", packsDir).pathname, "pipeline"));
