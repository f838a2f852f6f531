// Bundle the CLI into one ESM file so a run loads a single module (start-up time matters:
// see `npm run bench`). Heavy, rarely used modules (prompts, degit) stay lazy imports.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
await build({
  entryPoints: { cli: "src/cli/main.ts", "dev-render": "src/cli/dev-render.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  define: { __TOOL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: "warning",
  sourcemap: "linked",
});
