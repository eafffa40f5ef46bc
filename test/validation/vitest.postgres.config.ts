/** Runs only the checkpointer conformance suite against PostgreSQL; it registers its tests through vitest globals. */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/validation/postgres-saver.spec.ts"],
    globals: true,
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
