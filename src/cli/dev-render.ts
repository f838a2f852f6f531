// Pack authors' helper: render a pack folder with answers into a directory, no questions asked.
// usage: node dist/dev-render.js <packDir> <outDir> [key=value ...]
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { resolveAnswers, type Given } from "../core/answers.js";
import { render } from "../core/render.js";
import { loadPackDir } from "../io/pack-dir.js";
import { TOOL_VERSION } from "../version.js";

const [packDir, outDir, ...sets] = process.argv.slice(2);
if (!packDir || !outDir) {
  console.error("usage: node dist/dev-render.js <packDir> <outDir> [key=value ...]");
  process.exit(2);
}
const pack = await loadPackDir(resolve(packDir), { kind: "local", path: resolve(packDir) });
const given: Record<string, Given> = {};
for (const s of sets) {
  const i = s.indexOf("=");
  given[s.slice(0, i)] = { value: s.slice(i + 1), where: `--set ${s}` };
}
try {
  const { answers } = await resolveAnswers(pack.manifest, { given, detected: {} });
  const tree = render(pack, answers, { toolVersion: TOOL_VERSION });
  await rm(outDir, { recursive: true, force: true });
  for (const f of tree.values()) {
    const p = join(outDir, f.path);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.content);
  }
  console.log(`${tree.size} files written to ${outDir}`);
  console.log(JSON.stringify(answers));
} catch (e) {
  const err = e as { message: string; where?: string; hint?: string };
  console.error(`error: ${err.message}${err.where ? `\n  at ${err.where}` : ""}${err.hint ? `\n  fix: ${err.hint}` : ""}`);
  process.exit(2);
}
