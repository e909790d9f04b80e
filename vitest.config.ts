import { defineConfig } from "vitest/config";

// test/ops/npm-start.test.ts runs the README's `npm start`, whose prestart
// rebuilds dist/ in place (tsc rewrites every file) while other files import
// dist/ and spawn dist/src/main.js. It runs in its own project, in a group
// after every other file has finished; the rest run two files at a time (much
// of the suite waits on child processes, redis-server and sockets, and every
// file keeps its state under its own scratch directories and ephemeral ports).
const ALONE = ["test/ops/npm-start.test.ts"];

export default defineConfig({
  test: {
    // Real proofs and worker threads: generous per-test limits, no wall-clock assertions.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: ALONE,
          // Every scratch directory of the run lives under one TMPDIR, removed at the end.
          globalSetup: ["test/fixtures/scratch-tmp.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "rebuilds-dist",
          include: ALONE,
          globalSetup: ["test/fixtures/scratch-tmp.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
