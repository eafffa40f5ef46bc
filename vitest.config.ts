import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** Two projects: `unit` runs in seconds (npm run test:unit); `int` spawns processes, servers, browsers. `npm test` runs both. */
const shared = {
  // the checkpointer conformance suite registers its tests through vitest globals
  globals: true,
  pool: "forks" as const,
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ["default"],
    // two files at a time even on 2 cores (vitest's default there is one): the int files mostly
    // wait on their processes' intervals, so the full run takes ~12 instead of ~16 minutes
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { test: { ...shared, name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.int.test.ts", "test/**/*.chaos.test.ts", "**/node_modules/**"] } },
      { test: { ...shared, name: "int", include: ["test/**/*.int.test.ts"] } },
    ],
  },
});
