import { expect } from "vitest";
import { parse } from "yaml";

/** A workflow step, as far as replaying it needs. */
export interface Step {
  run?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

/** The one step that runs the tool's check, from a workflow's text. */
export function checkStep(workflow: string): Step {
  const doc = parse(workflow) as { jobs: Record<string, { steps: Step[] }> };
  const found = Object.values(doc.jobs)
    .flatMap((j) => j.steps)
    .filter((s) => /@create-pipeline\/cli@\S+ check\b/.test(s.run ?? ""));
  expect(found.length).toBe(1);
  return found[0]!;
}
