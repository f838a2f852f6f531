// Everything the generated files install or run from a registry names an exact version: a
// package without one (`pip install pytest`, `pip install --upgrade pip`, `npm install -g pnpm`,
// `go install x@latest`) or an action on a moving tag (`@v4`, `@main`) runs whatever was
// published last, so the same commit can pass today and fail (or run other code) tomorrow.
// Checked over the pairwise option space of the built-in pack and its seed profiles, with
// pinActions on and off.
import { describe, expect, it } from "vitest";
import { render } from "../../src/core/render.js";
import { loadPack } from "../../src/io/pack-loader.js";
import { TOOL_VERSION } from "../../src/version.js";
import { OptionSpace, loadProfiles } from "../conformance/combinations.js";

const EXACT = String.raw`v?\d+(?:\.\d+){1,3}(?:-[0-9A-Za-z.-]+)?`;
/** A shell variable set from data/versions.yaml (its value is checked as an env entry), or the
 * repository's own exact pin with that as the fallback (package.json's packageManager field). */
const VAR = String.raw`\$\{?[A-Z_]+_VERSION\}?|\$\{version:-\$[A-Z_]+_VERSION\}`;

const EXACT_RE = new RegExp(`^(?:${EXACT}|${VAR})$`);
const exact = (v: string) => EXACT_RE.test(v);
const GO_EXACT = new RegExp(`@${EXACT}$`);
const USES = new RegExp(String.raw`^\s*(?:-\s+)?uses:\s+(?!\.\/)(?!docker:\/\/)[\w.-]+\/[\w./-]+@(?![0-9a-f]{40}\b)(?!${EXACT}(?:\s|$))`);
const unquote = (w: string) => w.replace(/^["']|["']$/g, "");

/** The words of one command after `marker` (up to ;, &&, ||, a redirection or a comment). */
function argsAfter(line: string, marker: RegExp): string[][] {
  const out: string[][] = [];
  for (const m of line.matchAll(marker)) {
    const rest = line.slice(m.index! + m[0].length).split(/;|&&|\|\||[<>]|\s#|\)\s*$|\bthen\b|\bfi\b/)[0]!;
    out.push(rest.trim().split(/\s+/).filter(Boolean).map(unquote));
  }
  return out;
}

/** pip: every named requirement is `name==<exact>`; files, folders and -e . are the project's own. */
function pipUnpinned(words: string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (/^(-r|--requirement|-c|--constraint|-e|--editable|-t|--target|--index-url|-i)$/.test(w)) {
      i++;
      continue;
    }
    if (w === "--upgrade" || w === "-U") continue;
    if (w.startsWith("-") || w === "." || w.startsWith("./") || w.startsWith("/") || w.startsWith("$")) continue;
    const [, spec] = /^[A-Za-z][\w.-]*(?:\[[\w,]+\])?(.*)$/.exec(w) ?? [];
    if (spec === undefined) continue;
    if (!spec.startsWith("==") || !exact(spec.slice(2))) return true;
  }
  return false;
}

/** npm global installs and npx: each package is name@<exact>. */
function npmUnpinned(words: string[], runner: boolean): boolean {
  const pkgs: string[] = [];
  let positional: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "-p" || w === "--package") pkgs.push(words[++i] ?? "");
    else if (w.startsWith("--package=")) pkgs.push(w.slice(10));
    else if (w.startsWith("-")) continue;
    else if (!positional) positional = w;
    else if (!runner) pkgs.push(w);
  }
  if (!runner && positional) pkgs.push(positional);
  if (runner && !pkgs.length && positional) pkgs.push(positional);
  return pkgs.some((p) => {
    const at = p.lastIndexOf("@");
    return at <= 0 || !exact(p.slice(at + 1));
  });
}

/** Lines installing or using something at no exact version (continuation lines joined). */
export function unpinned(text: string): string[] {
  const lines = text.replace(/\\\n\s*/g, " ").split("\n");
  return lines.filter((line) => {
    if (/^\s*#/.test(line)) return false;
    if (argsAfter(line, /\bpip3?\s+install\s/g).some(pipUnpinned)) return true;
    if (
      argsAfter(line, /\b(?:npm|pnpm)\s+(?:i|install|add)\s(?=(?:.*\s)?-g\b)/g).some((w) =>
        npmUnpinned(
          w.filter((x) => x !== "-g"),
          false,
        ),
      )
    )
      return true;
    if (argsAfter(line, /\bnpx\s/g).some((w) => npmUnpinned(w, true))) return true;
    if (argsAfter(line, /\bgo\s+install\s/g).some((w) => w.some((x) => !x.startsWith("-") && !GO_EXACT.test(x)))) return true;
    if (/\bcurl\b[^|\n]*\|\s*(?:sudo\s+)?(?:ba)?sh\b/.test(line)) return true;
    // actions: a full commit SHA or an exact version tag, never a branch or a moving major
    return USES.test(line);
  });
}

describe("the scanner", () => {
  it("flags unpinned installs and moving refs, and passes exact ones", () => {
    for (const s of [
      "python -m pip install --upgrade pip",
      "python -m pip install pytest",
      "command -v pytest >/dev/null || python -m pip install pytest",
      'python -m pip install "ruff>=0.5"',
      "npm install -g pnpm",
      "npx semantic-release",
      "npx --yes \\\n  -p semantic-release \\\n  semantic-release",
      "go install golang.org/x/vuln/cmd/govulncheck@latest",
      "curl -fsSL https://example.com/install.sh | bash",
      "      - uses: actions/checkout@v4",
      "        uses: aquasecurity/trivy-action@master",
    ])
      expect(unpinned(s), s).toHaveLength(1);
    for (const s of [
      'python -m pip install "pip==${PIP_VERSION}"',
      'python -c "import tomllib" 2>/dev/null || python -m pip install "tomli==${TOMLI_VERSION}" # Python < 3.11',
      "if [ -f requirements.txt ]; then python -m pip install -r requirements.txt; fi",
      "python -m pip install --no-deps -e .",
      "pip install .",
      "npm install -g pnpm@12.21.0",
      'npx --yes "semantic-release@${SEMANTIC_RELEASE_VERSION}"',
      'npx --yes \\\n  -p "semantic-release@${SEMANTIC_RELEASE_VERSION}" \\\n  semantic-release',
      "npx --yes @create-pipeline/cli@0.1.0 check || status=$?",
      'if ! python -m pip install --no-deps -e . > "${RUNNER_TEMP}/install-project.log" 2>&1; then',
      "go install golang.org/x/vuln/cmd/govulncheck@v1.1.4",
      "      - uses: actions/checkout@v7.0.1",
      "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
      "      - uses: ./.github/actions/local",
    ])
      expect(unpinned(s), s).toEqual([]);
  });
});

describe("generated files over the option space", () => {
  it("install and use only exact versions, with pinActions on and off", { timeout: 240_000 }, async () => {
    const space = OptionSpace.load();
    const combos = [...space.pairwiseCover(), ...loadProfiles().map((p) => ({ id: p.name, answers: space.complete(p.given) }))];
    // Both forms of action references are in the cover (the moving-tag form must never appear).
    expect(new Set(combos.map((c) => c.answers.pinActions))).toEqual(new Set([true, false]));
    const loaded = await loadPack({ kind: "builtin", name: "pipeline" });
    const offenders = new Set<string>();
    const versionVar = /^\s+([A-Z_]+_VERSION):\s*"?([^"\n]*)"?$/gm;
    let installs = 0;
    for (const c of combos) {
      const tree = render(loaded.pack, c.answers, { toolVersion: TOOL_VERSION });
      for (const [path, f] of tree) {
        installs += (f.content.match(/\bpip install\b|\binstall -g\b|\buses:/g) ?? []).length;
        for (const line of unpinned(f.content)) offenders.add(`${path}: ${line.trim()}`);
      }
      // Each *_VERSION a workflow step sets is an exact version.
      for (const [path, f] of tree)
        for (const m of f.content.matchAll(versionVar)) if (!EXACT_RE.test(m[2]!) && !m[2]!.startsWith("${{")) offenders.add(`${path}: ${m[1]}=${m[2]}`);
    }
    await loaded.cleanup();
    expect([...offenders].sort()).toEqual([]);
    // The scan saw the installs it is about (else it proves nothing).
    expect(installs).toBeGreaterThan(combos.length * 10);
    expect(combos.some((c) => c.answers.language === "python")).toBe(true);
  });
});
