// The workflow `check --add-workflow` offers, for repositories whose pack does not generate one.
// Actions are pinned by commit SHA (the same pins the built-in pack uses).
import { PACKAGE_NAME } from "../product.js";

export const CHECK_WORKFLOW_PATH = ".github/workflows/pipeline-check.yml";

/** Does any of these workflow texts already run the check (by the package, any version, or the installed bin)? */
export const runsCheck = (workflows: readonly string[]) =>
  workflows.some((w) => /(?:@create-pipeline\/cli(?:@\S+)?|(?<![\w@/.-])create-pipeline)\s+check\b/.test(w));

/**
 * A workflow step that runs the check through the unscoped npm name (which belongs to an unrelated
 * package), as files written before the tool was published under its scope do.
 */
const UNSCOPED_RUN = /\bnpx\s+(?:--?[\w-]+\s+)*create-pipeline(?:@[^\s/]+)?(?=\s+check\b)/g;
export const runsUnscoped = (workflow: string) => new RegExp(UNSCOPED_RUN.source).test(workflow);
/** The same workflow with each such step running this package at this version instead. */
export const rescope = (workflow: string, toolVersion: string) => workflow.replace(UNSCOPED_RUN, `npx --yes ${PACKAGE_NAME}@${toolVersion}`);

export function checkWorkflow(toolVersion: string): string {
  return `# Fails a pull request when the pipeline files are out of date with what create-pipeline
# ${toolVersion} generates for this repository's answers (.create-pipeline.yaml): a pending update,
# conflict markers left unresolved, any hand edit or deletion of a generated file under .github/
# (a newer pin of the same action, as Dependabot writes it, is not one), or a state file that lists
# files the template did not generate (--strict-workflows). Hand edits
# elsewhere that update keeps, and generated files deleted on purpose, are listed but allowed; use
# --strict instead to fail on them too. The check runs only the built-in template pack: a pack
# named in the repository's state is not run without --trust.
# This workflow runs as the pull request has it, so a pull request can change or remove it: protect
# .github/ with CODEOWNERS and a required code owner review (branch protection or a ruleset).
name: Pipeline check

on:
  pull_request:
    branches: [main]

permissions: {}

concurrency:
  group: \${{ github.workflow }}-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  check:
    name: Pipeline files match their template
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read # check out the code
    steps:
      - name: Check out
        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false

      - name: Set up Node.js
        uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0
        with:
          node-version: "22"
          package-manager-cache: false

      # npx runs in the runner's temporary folder, outside the checkout, with npm settings from an
      # empty file and the public registry: a node_modules/, package.json or .npmrc the pull
      # request commits cannot replace the tool that checks it.
      - name: Pipeline files match their template
        working-directory: \${{ runner.temp }}
        env:
          npm_config_userconfig: \${{ runner.temp }}/create-pipeline-npmrc
          npm_config_registry: https://registry.npmjs.org/
        run: |
          : > "$npm_config_userconfig"
          npx --yes ${PACKAGE_NAME}@${toolVersion} check --strict-workflows "$GITHUB_WORKSPACE"
`;
}
