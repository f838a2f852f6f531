// Bundle the CLI into one ESM file so a run loads a single module (start-up time matters:
// see `npm run bench`). Heavy, rarely used modules (prompts, degit) stay lazy imports.
// Also writes dist/THIRD-PARTY-NOTICES.md: the licence of every package bundled into dist/.
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const faultsBuild = process.env.CREATE_PIPELINE_FAULTS_BUILD === "1";
rmSync(join(root, "dist"), { recursive: true, force: true });
// Bundled CommonJS dependencies require() node built-ins: the files that call require get it.
const REQUIRE = "import { createRequire as __cpRequire } from 'node:module'; const require = __cpRequire(import.meta.url);";
const options = {
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Dependencies are bundled (one file to load is much faster than hundreds); the prompt
  // library and degit are loaded lazily, on the paths that use them, from node_modules, and
  // semver's function modules (src/core/semver.ts) are required on first use. Those three are the
  // runtime dependencies; nothing bundled is also one (test/e2e/package.test.ts checks both).
  external: ["@clack/prompts", "degit"],
  // The YAML library's ES module build (the same code as its CommonJS one, which Node's export
  // conditions pick): only what the CLI uses is bundled, and its exports are named ones.
  alias: { yaml: "./node_modules/yaml/browser/index.js" },
  // Fault injection (CREATE_PIPELINE_FAULT_STEP, src/io/commit.ts) exists only in the build the
  // crash tests run (CREATE_PIPELINE_FAULTS_BUILD=1, test/support/build.ts); the published build
  // (prepack) has none: the code is removed, not just switched off.
  define: { __TOOL_VERSION__: JSON.stringify(pkg.version), __FAULTS__: faultsBuild ? "true" : "false" },
  logLevel: "warning",
  // Shared chunks are named by their hash alone ("./chunk-" repeated in every import between
  // chunks is 1.6 KB of the package); a command's own chunk keeps its module's name.
  chunkNames: "[hash]",
  minify: process.env.NO_MINIFY !== "1",
  // Source maps only on request (SOURCEMAP=1): the published package ships none.
  sourcemap: process.env.SOURCEMAP === "1" ? "linked" : false,
  banner: { js: REQUIRE },
};
// The CLI alone: its chunks are split by its commands only. The build-time entry points (the
// packs' snapshot, a pack author's render) are bundled apart, so they add no chunk boundary to
// what is published (and are not published: see package.json "files").
const result = await build({ ...options, entryPoints: { cli: "src/cli/main.ts" }, metafile: true });
await build({ ...options, entryPoints: { "dev-render": "src/cli/dev-render.ts", snapshot: "src/cli/snapshot.ts" }, splitting: false });
// Node's built-in modules are required, not imported: an ES module import of one builds its ES
// module facade, which reads every export, lazy ones too (node:fs's streams and promises,
// node:util's MIME types, node:buffer's File), so a run would load modules it never uses. Each
// import statement of a node:* module (node:module aside: the preamble comes from it) becomes a
// require() of the same bindings at the top of its chunk (where ES imports are hoisted to); the
// require() preamble stays only where it is used.
const BUILTIN_IMPORT = /(?<=^|[;\n}])\s*import\s*(?:([\w$]+)\s*,?\s*)?(\{[\w$\s,]*\}|\*\s*as\s*[\w$]+)?\s*from\s*(["'])(node:(?!module["'])[\w/]+)\3;?/g;
function requireBuiltins(text) {
  const hoisted = [];
  const body = text.replace(BUILTIN_IMPORT, (_all, def, named, _q, spec) => {
    const req = `require(${JSON.stringify(spec)})`;
    const parts = [];
    if (def) parts.push(`${def}=${req}`);
    if (named?.startsWith("*")) parts.push(`${named.replace(/^\*\s*as\s*/, "")}=${def ?? req}`);
    else if (named && named.replace(/[{}\s]/g, "") !== "") parts.push(`${named.replace(/\s+as\s+/g, ":")}=${def ?? req}`);
    if (parts.length) hoisted.push(`const ${parts.join(",")};`);
    else hoisted.push(`${req};`);
    return "";
  });
  return `${hoisted.join("")}${body}`;
}
for (const name of readdirSync(join(root, "dist"))) {
  if (!name.endsWith(".js") || name === "snapshot.js" || name === "dev-render.js") continue;
  const file = join(root, "dist", name);
  let text = readFileSync(file, "utf8");
  if (!text.startsWith(`${REQUIRE}\n`)) throw new Error(`${name} does not start with the require() preamble`);
  text = `${REQUIRE}\n${requireBuiltins(text.slice(REQUIRE.length + 1))}`;
  if (/\bfrom\s*["']node:(?!module["'])/.test(text))
    throw new Error(`${name} still imports a built-in module (an import statement the build did not turn into require())`);
  writeFileSync(file, /\brequire\b/.test(text.slice(REQUIRE.length)) ? text : text.slice(REQUIRE.length + 1));
}
// The JSON Schema of the --json envelope, as the package ships it: docs/cli.schema.json without
// its indentation (the descriptions kept).
writeFileSync(join(root, "dist", "cli.schema.json"), `${JSON.stringify(JSON.parse(readFileSync(join(root, "docs", "cli.schema.json"), "utf8")))}\n`);

// Every package whose code is inside dist/, with its licence text (MIT and ISC require it).
const bundled = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m || bundled.has(m[1])) continue;
  const dir = join(root, input.slice(0, m.index + m[0].length));
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!licenceFile) throw new Error(`${m[1]} is bundled into dist/ but has no licence file to ship`);
  bundled.set(m[1], { version: meta.version, license: meta.license, text: readFileSync(join(dir, licenceFile), "utf8").trim() });
}
const notices = [...bundled.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, b]) => `## ${name}@${b.version} (${b.license})\n\n\`\`\`\n${b.text}\n\`\`\``);
// Which kind of build this is, for test/support/build.ts (a build without faults is rebuilt for the tests).
if (faultsBuild) writeFileSync(join(root, "dist", ".faults-build"), "fault injection built in (tests only)\n");
writeFileSync(
  join(root, "dist", "THIRD-PARTY-NOTICES.md"),
  `# Third-party notices\n\nThe bundled files in this folder contain code from these packages, under these licences.\n\n${notices.join("\n\n")}\n`,
);

// Built-in packs, pre-validated, beside the bundle: <name>.json and its compiled templates,
// <name>.templates.js (see src/cli/snapshot.ts).
const { writeSnapshot } = await import(join(root, "dist", "snapshot.js"));
const packsDir = join(root, "templates");
mkdirSync(join(root, "dist", "packs"), { recursive: true });
for (const entry of readdirSync(packsDir, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  await writeSnapshot(join(packsDir, entry.name), entry.name, join(root, "dist", "packs"));
}
// (The answers schema is written into each repository, .create-pipeline/answers.schema.json, and
// printed by the schema command; the package publishes no copy of its own.)
