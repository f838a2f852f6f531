import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, from the bundle (dist/) or from src/ in tests. The published package carries
 * the built-in packs pre-compiled (dist/packs/<name>.json); a checkout also has their sources in
 * templates/.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && (existsSync(join(dir, "templates")) || existsSync(join(dir, "dist", "packs")))) return dir;
    dir = dirname(dir);
  }
  throw new Error("create-pipeline: cannot find its built-in packs");
}

/** The folder of the built-in packs' sources (absent from the published package). */
export const builtinPacksDir = () => join(packageRoot(), "templates");
/** The folder of the pre-compiled built-in packs (after a build). */
export const compiledPacksDir = () => join(packageRoot(), "dist", "packs");
