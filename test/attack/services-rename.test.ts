// `name` in a repository of several services: with --services it renames that service (its entry
// in the answers file and its chart), not the repository; without, the run says it is the
// repository's name that changes.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { servicesShop } from "../support/repo.js";

const topName = (text: string) => /^name:\s*(\S+)/m.exec(text)?.[1];

describe("several services: --set name", () => {
  it("with --services renames that service, not the repository", async () => {
    const dir = await servicesShop("cp-svc-rename-");
    const before = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    const r = await runCli(["update", dir, "--services", "services/api", "--set", "name=gw2", "--yes"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = readFileSync(join(dir, ".create-pipeline.yaml"), "utf8");
    expect(topName(after)).toBe(topName(before));
    expect(after).toMatch(/- path: services\/api\n(?:\s+\S.*\n)*?\s+name: gw2/);
    expect(existsSync(join(dir, "charts", "gw2", "Chart.yaml"))).toBe(true);
    expect(r.stdout).toContain("name: hello-node → gw2");
  });

  it("without --services says the repository's name is the one that changes", async () => {
    const dir = await servicesShop("cp-svc-rename-top-");
    const r = await runCli(["update", dir, "--set", "name=shop2", "--yes"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr.replace(/\s+/g, " ")).toContain("changes the repository's name (the top of .create-pipeline.yaml), not a service's");
    expect(topName(readFileSync(join(dir, ".create-pipeline.yaml"), "utf8"))).toBe("shop2");
  });
});
