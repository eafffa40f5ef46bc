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
    // at least two files at a time (vitest's default is one fewer than the cores: one on 2 cores):
    // the int files mostly wait on their processes' intervals, so the full run there takes ~12
    // instead of ~16 minutes
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { test: { ...shared, name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.int.test.ts", "test/**/*.chaos.test.ts", "**/node_modules/**"] } },
      { test: { ...shared, name: "int", include: ["test/**/*.int.test.ts"] } },
    ],
  },
});
