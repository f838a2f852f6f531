import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/conformance/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // The validators are external processes; one file at a time keeps 2 cores usable.
    fileParallelism: false,
  },
});
