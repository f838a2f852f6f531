import { defineConfig } from "vitest/config";

// The lab suite: a real control plane on loopback (scripts/install-lab.sh installs it). It starts
// once per file and runs the CI subset of combinations one after the other (docs/conformance.md).
export default defineConfig({
  test: {
    include: ["test/lab/**/*.lab.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
