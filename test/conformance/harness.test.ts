// A zizmor config in the generated repository is honoured by validateAll (as by the user's CI),
// so the harness accepts only the one the pinActions=false answer stands for.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/cli.js";
import { zizmorConfigProblems } from "./harness.js";

function repo(config: string): string {
  const dir = tempDir("cp-zizmor-cfg-");
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github", "zizmor.yml"), config);
  return dir;
}

const tagPolicy = 'rules:\n  unpinned-uses:\n    config:\n      policies:\n        "*": ref-pin\n';

describe("generated zizmor config", () => {
  it("is accepted when it only allows tag refs and pinActions is off", () => {
    expect(zizmorConfigProblems(repo(tagPolicy), { pinActions: false }, [".github/zizmor.yml"])).toEqual([]);
  });

  it("is refused when pinActions is on", () => {
    expect(zizmorConfigProblems(repo(tagPolicy), { pinActions: true }, [".github/zizmor.yml"])).toHaveLength(1);
  });

  it("is refused when it disables or relaxes anything else", () => {
    for (const cfg of [
      "rules:\n  unpinned-uses:\n    disable: true\n",
      `${tagPolicy}  template-injection:\n    disable: true\n`,
      `${tagPolicy}  excessive-permissions:\n    ignore: [delivery.yml]\n`,
    ])
      expect(zizmorConfigProblems(repo(cfg), { pinActions: false }, [".github/zizmor.yml"]), cfg).toHaveLength(1);
  });
});
