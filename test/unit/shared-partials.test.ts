// The steps one service and a repository of several services share are rendered from one partial
// each (templates/pipeline/partials/): a change to the partial reaches both. Checked by rendering
// the built-in pack with the partial marked.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { resolveAnswers, type Given } from "../../src/core/answers.js";
import { render } from "../../src/core/render.js";
import type { Pack } from "../../src/core/types.js";
import { loadPackDir } from "../../src/io/pack-dir.js";
import { REPO } from "../support/cli.js";

let pack: Pack;
beforeAll(async () => {
  pack = await loadPackDir(join(REPO, "templates", "pipeline"), { kind: "builtin", name: "pipeline" });
});

/** The steps of one job of the one-service delivery.yml, rendered with `partial` ending in a marker line. */
async function stepsWithMarked(partial: string, job: string): Promise<{ name?: string; run?: string }[]> {
  const text = pack.partials.get(partial);
  expect(text, `partials/${partial}.eta`).toBeDefined();
  const marked: Pack = { ...pack, partials: new Map(pack.partials).set(partial, `${text}          : marked-partial\n`) };
  const answers = { name: "svc", owner: "acme", mode: "gitops", environments: ["dev", "prod"] };
  const given: Record<string, Given> = {};
  for (const [k, v] of Object.entries(answers)) given[k] = { value: v, where: `--${k}` };
  const { answers: resolved } = await resolveAnswers(marked.manifest, { given, detected: {} });
  const tree = render(marked, resolved, { toolVersion: "0.0.0-test" });
  const file = [...tree.values()].find((f) => f.path === ".github/workflows/delivery.yml");
  return (parseYaml(String(file!.content)) as { jobs: Record<string, { steps: { name?: string; run?: string }[] }> }).jobs[job]!.steps;
}

describe("partials shared by one service and several services", () => {
  it("one service's wait for Argo CD before the next environment is argocd-health-wait.eta's", async () => {
    const steps = await stepsWithMarked("argocd-health-wait", "deploy-dev");
    const wait = steps.find((s) => /^Wait for Argo CD/.test(s.name ?? ""));
    expect(wait?.run).toContain(": marked-partial");
  });
});
