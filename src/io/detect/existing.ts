/**
 * What a repository already has of a pipeline before `create` writes one: Helm charts (any folder
 * holding a Chart.yaml), Dockerfiles, GitHub workflows, release tools, git hook managers and
 * dependency-update bots. Bounded reads only (src/io/detect/read.ts); src/core/existing.ts decides
 * what each means for the files about to be written.
 */
import path from "node:path";
import type { ExistingItem } from "../../core/existing.js";
import { list, readHead, type Listing } from "./read.js";

/** Folders never searched for charts or Dockerfiles: dependencies, builds, VCS, virtualenvs. */
const SKIP = new Set(["node_modules", "vendor", "dist", "build", "target", "out", ".git", ".venv", "venv", "__pycache__", "coverage", ".create-pipeline"]);

const RELEASE: readonly [RegExp, string][] = [
  [/^\.releaserc(\.(json|ya?ml|js|cjs|mjs))?$|^release\.config\.(js|cjs|mjs|ts)$/, "semantic-release"],
  [/^release-please-config\.json$|^\.release-please-manifest\.json$/, "release-please"],
  [/^\.goreleaser\.ya?ml$|^goreleaser\.ya?ml$/, "GoReleaser"],
];
const UPDATES = /^(renovate\.json5?|\.renovaterc(\.json5?)?)$/;

/** Everything found, with paths relative to root (forward slashes). */
export async function existingSetup(root: string): Promise<ExistingItem[]> {
  const items: ExistingItem[] = [];
  const read = (rel: string) => readHead(path.join(root, rel));

  // Charts and Dockerfiles: breadth first, four levels, at most 200 folders.
  let level = ["."];
  let visited = 0;
  for (let depth = 0; depth <= 4 && level.length && visited < 200; depth++) {
    const next: string[] = [];
    for (const rel of level.slice(0, 200 - visited)) {
      visited++;
      const l = await list(path.join(root, rel));
      const at = (f: string) => (rel === "." ? f : `${rel}/${f}`);
      if (l.files.has("Chart.yaml")) {
        const text = (await read(at("Chart.yaml"))) ?? "";
        items.push({ kind: "chart", path: rel, name: /^name:\s*["']?([^"'\s#]+)/m.exec(text)?.[1], text });
      }
      for (const f of l.files)
        if (/^(Dockerfile|Containerfile)(\..+)?$|\.Dockerfile$/.test(f)) items.push({ kind: "dockerfile", path: at(f), text: await read(at(f)) });
      for (const d of l.dirs) if (!SKIP.has(d) && (!d.startsWith(".") || depth === 0)) next.push(at(d));
    }
    level = next.filter((d) => !d.startsWith(".github") && !d.startsWith(".git/"));
  }

  const wf = await list(path.join(root, ".github", "workflows"));
  for (const f of [...wf.files].sort())
    if (/\.ya?ml$/.test(f)) items.push({ kind: "workflow", path: `.github/workflows/${f}`, text: await read(`.github/workflows/${f}`) });

  const top = await list(root);
  for (const f of [...top.files].sort()) {
    for (const [re, tool] of RELEASE) if (re.test(f)) items.push({ kind: "release", path: f, name: tool });
    if (UPDATES.test(f)) items.push({ kind: "updates", path: f, name: "Renovate" });
    if (/^\.pre-commit-config\.ya?ml$/.test(f)) items.push({ kind: "hooks", path: f, name: "pre-commit", text: await read(f) });
    if (/^\.?lefthook\.(ya?ml|json|toml)$/.test(f)) items.push({ kind: "hooks", path: f, name: "lefthook" });
  }
  // Formatters and linters of the repository's own that would read generated files.
  items.push(...(await ignoreFormatters(root, top)));
  for (const f of [...top.files].sort()) {
    if (/^\.markdownlint-cli2\./.test(f)) items.push({ kind: "formatter", path: f, name: "markdownlint-cli2" });
    if (/^\.yamllint(\.ya?ml)?$/.test(f)) items.push({ kind: "formatter", path: f, name: "yamllint", text: await read(f) });
    if (/^biome\.jsonc?$/.test(f)) items.push({ kind: "formatter", path: f, name: "Biome" });
  }
  // Other CI systems that run the repository's checks.
  const OTHER_CI: readonly [string, string][] = [
    [".travis.yml", "Travis CI"],
    [".gitlab-ci.yml", "GitLab CI"],
    ["Jenkinsfile", "Jenkins"],
    ["azure-pipelines.yml", "Azure Pipelines"],
    ["bitbucket-pipelines.yml", "Bitbucket Pipelines"],
    [".drone.yml", "Drone"],
  ];
  for (const [f, name] of OTHER_CI) if (top.files.has(f)) items.push({ kind: "ci", path: f, name });
  if (top.dirs.has(".circleci") && (await list(path.join(root, ".circleci"))).files.has("config.yml"))
    items.push({ kind: "ci", path: ".circleci/config.yml", name: "CircleCI" });
  if (top.dirs.has(".husky")) items.push({ kind: "hooks", path: ".husky/", name: "husky" });
  if (top.dirs.has(".changeset")) items.push({ kind: "release", path: ".changeset/", name: "Changesets" });
  const pkg = top.files.has("package.json") ? await read("package.json") : undefined;
  if (pkg && /"release"\s*:\s*\{/.test(pkg) && /semantic-release/.test(pkg)) items.push({ kind: "release", path: "package.json", name: "semantic-release" });
  const gh = await list(path.join(root, ".github"));
  for (const f of gh.files) {
    if (/^renovate\.json5?$/.test(f)) items.push({ kind: "updates", path: `.github/${f}`, name: "Renovate" });
    if (/^dependabot\.ya?ml$/.test(f)) items.push({ kind: "updates", path: `.github/${f}`, name: "Dependabot" });
  }
  return items;
}

/**
 * The repository's formatters that read an ignore file the tool keeps a marked block in (prettier,
 * markdownlint), each with that file's text (undefined when there is none yet). `top`: the root's
 * listing when the caller has it.
 */
export async function ignoreFormatters(root: string, top?: Listing): Promise<ExistingItem[]> {
  const l = top ?? (await list(root));
  const read = (rel: string) => readHead(path.join(root, rel));
  const items: ExistingItem[] = [];
  const pkgText = l.files.has("package.json") ? await read("package.json") : undefined;
  const hasFile = (re: RegExp) => [...l.files].some((f) => re.test(f));
  if (hasFile(/^\.prettierrc(\..+)?$|^prettier\.config\.(js|cjs|mjs|ts)$/) || (pkgText && /^\s{2}"prettier"\s*:\s*["{]/m.test(pkgText)))
    items.push({
      kind: "formatter",
      path: ".prettierignore",
      name: "prettier",
      text: l.files.has(".prettierignore") ? await read(".prettierignore") : undefined,
    });
  if (hasFile(/^\.markdownlint(\.(jsonc?|ya?ml))?$|^\.markdownlintrc$/))
    items.push({
      kind: "formatter",
      path: ".markdownlintignore",
      name: "markdownlint",
      text: l.files.has(".markdownlintignore") ? await read(".markdownlintignore") : undefined,
    });
  return items;
}
