import { defineConfig } from "vitest/config";

// The main suite: unit, golden, property, CLI and end-to-end tests. The conformance suite that
// drives the real validators over the option space has its own config (npm run conformance).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/conformance/**", "test/lab/**/*.lab.test.ts", "test/fixtures/**", "test/corpus/**", "node_modules/**"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
