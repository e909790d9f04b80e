import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every scratch directory of the run lives under one TMPDIR, removed at the end.
    globalSetup: ["test/fixtures/scratch-tmp.ts"],
    // Real proofs and worker threads: generous per-test limits, no wall-clock assertions.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
